"""Benchmark of the sweeps on Dask (``training.sweeps``); prints markdown for ``docs/benchmarks.md``.

Three measurements, each a real :func:`training.sweeps.run_sweep` on a fresh ``LocalCluster`` of
single-threaded worker processes, writing its Parquet store to a temporary directory:

1. **Scaling**: the same sweep of ``--tasks`` tasks of about 1 s (G-CNN, ``dihedral(8)``, depth 2,
   Gaussian data, polish on, ``steps`` chosen so that one task takes about 1 s on this machine) with 1
   and with 2 workers. Throughput = tasks / time from the first submission to the last row written
   (the cluster start-up, a one-time cost, is reported apart). Target: 2 workers >= 1.7x 1 worker.
2. **Scheduling overhead** (2 workers): ``(workers x run time - sum of the tasks' own times) /
   sum of the tasks' own times``, the task time measured inside the worker around the whole task.
   Everything outside the task body counts as overhead: submission, serialization, the driver's
   Parquet write, idle workers at the end. Target: < 5% for tasks of about 1 s.
3. **A 1,000-task sweep** of small groups (cyclic and dihedral groups of order <= 12, FC and G-CNN,
   depth 2, 25 seeds, short trainings) on 2 workers, run to the end; the driver's resident memory
   (RSS, sampled every 0.2 s) after the first 100 rows and at the end, and the peak of the driver's
   Python allocations (``tracemalloc``) in a 100-task and the 1,000-task sweep. Target: the driver's
   memory flat in the number of tasks.
4. **The driver's own memory** over sweeps of 200, 800 and 2,400 synthetic tasks of no work (each
   returns a row of the store's schema): what the driver holds per task apart from the tasks
   themselves (spec walk, submissions, results, store writes), after a warm-up sweep.

Usage::

    python benchmarks/bench_sweep.py [--tasks 40] [--big 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import tracemalloc

import psutil

from training.sweeps import error_row, parse_spec, read_rows, run_sweep, run_task, task_key


def one_second_spec(n: int, steps: int) -> dict:
    return {"sweep": {"name": "bench-1s", "groups": ["dihedral(8)"], "architectures": ["G-CNN"], "depths": [2],
                      "data": ["gaussian"], "N": [4], "seeds": list(range(n)), "steps": steps, "starts": 1}}


def calibrate() -> int:
    """Steps for which one task takes about 1 s here (measured in this process, one BLAS thread)."""
    spec = parse_spec(one_second_spec(1, 2000))
    task = next(spec.tasks())
    run_task(task, "warm")
    t = run_task(task, "probe")["seconds"]
    return max(100, int(2000 * 1.0 / t))


def scaling(n: int, steps: int) -> list[dict]:
    out = []
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as d:
            s = run_sweep(parse_spec(one_second_spec(n, steps)), d, workers=workers, progress=False)
            df = read_rows(d)
            assert len(df) == n and (df["status"] == "ok").all(), df["status"].value_counts()
            busy = float(df["seconds"].sum())
            out.append({"workers": workers, "startup": s.seconds_startup, "run": s.seconds_run,
                        "throughput": n / s.seconds_run, "task_mean": busy / n,
                        "overhead": (workers * s.seconds_run - busy) / busy})
    return out


def big_spec(n_seeds: int) -> dict:
    groups = [f"cyclic({k})" for k in range(2, 13)] + [f"dihedral({k})" for k in range(3, 7)]
    return {"sweep": {"name": "bench-big", "groups": groups[:10], "architectures": ["FC", "G-CNN"], "depths": [2],
                      "data": ["gaussian"], "N": [2], "seeds": list(range(n_seeds)), "steps": 40, "starts": 1,
                      "polish_max_iter": 30}}


def memory_run(n_seeds: int) -> dict:
    spec = parse_spec(big_spec(n_seeds))
    proc = psutil.Process()
    samples: list[tuple[int, int]] = []
    stop = threading.Event()
    with tempfile.TemporaryDirectory() as d:
        rows = os.path.join(d, "rows")

        def sample() -> None:
            while not stop.is_set():
                n = len(os.listdir(rows)) if os.path.isdir(rows) else 0
                samples.append((n, proc.memory_info().rss))
                stop.wait(0.2)

        th = threading.Thread(target=sample, daemon=True)
        tracemalloc.start()
        th.start()
        t = time.perf_counter()
        s = run_sweep(spec, d, workers=2, progress=False)
        wall = time.perf_counter() - t
        stop.set()
        th.join()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        df = read_rows(d)
        assert len(df) == spec.n_tasks and df["key"].is_unique
        assert set(df["key"]) == {task_key(x) for x in spec.tasks()}
    first = next((r for n, r in samples if n >= min(100, spec.n_tasks)), samples[-1][1])
    return {"tasks": spec.n_tasks, "wall": wall, "run": s.seconds_run, "ok": s.ok, "errors": s.errors,
            "failed": s.failed, "traced_peak": peak, "rss_100": first, "rss_end": samples[-1][1],
            "rss_max": max(r for _, r in samples)}


def synthetic_task(task: dict, key: str) -> dict:
    """A task of no work: its (error) row, of the store's schema. Defined in ``__main__``, so the
    workers receive it by value."""
    return error_row(task, key, "error", "synthetic task of no work")


def plateau_run(n_seeds: int) -> dict:
    """The driver's memory over a sweep of ``15 * n_seeds`` synthetic tasks: Python allocations
    still held at the end (``tracemalloc``, after the cluster is closed) and their peak."""
    spec = parse_spec({"sweep": {**big_spec(n_seeds)["sweep"], "architectures": ["FC"], "name": "bench-plateau",
                                 "groups": big_spec(n_seeds)["sweep"]["groups"][:5]}})
    with tempfile.TemporaryDirectory() as d:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        t = time.perf_counter()
        s = run_sweep(spec, d, workers=2, progress=False, task_fn=synthetic_task)
        wall = time.perf_counter() - t
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        n = len(os.listdir(os.path.join(d, "rows")))
    return {"tasks": spec.n_tasks, "rows": n, "wall": wall, "run": s.seconds_run, "held": held - base,
            "peak": peak - base}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=40)
    ap.add_argument("--big", type=int, default=1000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    steps = calibrate()
    sc = scaling(args.tasks, steps)
    small = memory_run(5)
    big = memory_run(max(1, args.big // 20))
    plateau_run(10)  # warm-up: the client's imports and first connections are not per-task memory
    plateau = [plateau_run(k) for k in (40, 160, 480)]
    load = os.getloadavg()[0]
    speed = sc[1]["throughput"] / sc[0]["throughput"]
    mb = 2**20
    print(f"`python benchmarks/bench_sweep.py`, run {time.strftime('%Y-%m-%d')} ({time.perf_counter() - t0:.0f} s), "
          f"{os.cpu_count()} cores, load average {load:.1f} at the end; dask LocalCluster, one single-threaded "
          "worker process per worker, BLAS pinned to one thread.\n")
    print(f"Scaling: {args.tasks} tasks of {sc[0]['task_mean']:.2f} s (G-CNN on dihedral(8), L = 2, polish on, "
          f"{steps} steps).\n")
    print("| workers | cluster start-up | run time | tasks / s | mean task time (in worker) | scheduling overhead |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in sc:
        print(f"| {r['workers']} | {r['startup']:.1f} s | {r['run']:.1f} s | {r['throughput']:.3f} | "
              f"{r['task_mean']:.2f} s | {100 * r['overhead']:.1f}% |")
    print(f"\nTargets: 2 workers / 1 worker >= 1.7x: {'met' if speed >= 1.7 else 'NOT met'} ({speed:.2f}x); "
          f"scheduling overhead < 5% (2 workers): {'met' if sc[1]['overhead'] < 0.05 else 'NOT met'} "
          f"({100 * sc[1]['overhead']:.1f}%).\n")
    print("Driver memory (2 workers, small groups, FC and G-CNN, L = 2, short trainings):\n")
    print("| tasks | run time | rows ok / error / failed | driver RSS after 100 rows | driver RSS at the end "
          "| driver RSS max | driver peak traced (Python) |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: |")
    for r in (small, big):
        print(f"| {r['tasks']} | {r['run']:.1f} s | {r['ok']} / {r['errors']} / {r['failed']} | "
              f"{r['rss_100'] / mb:.0f} MiB | {r['rss_end'] / mb:.0f} MiB | {r['rss_max'] / mb:.0f} MiB | "
              f"{r['traced_peak'] / mb:.1f} MiB |")
    growth = big["traced_peak"] / max(small["traced_peak"], 1)
    print(f"\nThe {big['tasks']}-task sweep ran to the end with one row per task; the driver's traced peak is "
          f"{growth:.2f}x that of the {small['tasks']}-task sweep (flat: at most {4 * 2 * 2} tasks in flight).")
    print("\nDriver memory over sweeps of synthetic tasks of no work (the driver's own bookkeeping: "
          "spec walk, submissions, store writes; 2 workers):\n")
    print("| tasks | rows | run time | driver peak traced (Python) | held at the end |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for r in plateau:
        print(f"| {r['tasks']} | {r['rows']} | {r['run']:.1f} s | {r['peak'] / mb:.2f} MiB | {r['held'] / mb:.2f} MiB |")
    print(f"\nFrom {plateau[0]['tasks']} to {plateau[-1]['tasks']} tasks the peak goes "
          f"{plateau[0]['peak'] / mb:.2f} -> {plateau[-1]['peak'] / mb:.2f} MiB.")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
