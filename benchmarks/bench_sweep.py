"""Benchmark of the sweeps on Dask (``training.sweeps``); prints markdown for ``docs/benchmarks.md``.

Three measurements, each a real :func:`training.sweeps.run_sweep` on a fresh ``LocalCluster`` of
single-threaded worker processes, writing its Parquet store to a temporary directory:

1. **Scaling**: the same sweep of ``--tasks`` tasks of about 1 s (G-CNN, ``dihedral(8)``, depth 2,
   Gaussian data, polish on, ``steps`` chosen so that one task takes about 1 s on this machine) with 1
   and with 2 workers, ``--repeat`` pairs of runs (the median pair is shown, every ratio listed).
   Throughput = tasks / time from the first submission to the last row written (the cluster
   start-up with the workers' imports, a one-time cost, is reported apart). Target: 2 workers >=
   1.7x 1 worker.
2. **Scheduling overhead** (2 workers): ``(workers x run time - sum of the tasks' own times) /
   sum of the tasks' own times``, the task time measured inside the worker around the whole task.
   Everything outside the task body counts as overhead: submission, serialization, the driver's
   Parquet write, idle workers at the end. Target: < 5% for tasks of about 1 s.
3. **A 1,000-task sweep** of small groups (cyclic and dihedral groups of order <= 12, FC and G-CNN,
   depth 2, 25 seeds, short trainings) on 2 workers, run to the end; the driver's resident memory
   (RSS) and the Python allocations it holds (``tracemalloc``), read after a full garbage
   collection when the rows written first reach each of :data:`MARKS` below the total. Target: the
   driver's memory flat in the number of tasks.
4. **The driver's own memory** over one sweep of ``--synthetic`` synthetic tasks of no work (each
   returns a row of the store's schema), sampled the same way: what the driver holds per task apart
   from the tasks themselves (spec walk, submissions, results, store writes), after a warm-up sweep.

5. **The machine's ceiling** for the scaling tasks: the same tasks in 1 and in 2 plain processes
   without Dask, measured right after each Dask pair. Its 2/1 ratio bounds what any scheduler can
   reach here; Dask's ratio over it is the share the sweeps keep.

Usage::

    python benchmarks/bench_sweep.py [--tasks 40] [--repeat 3] [--big 1000] [--synthetic 3000]
"""

from __future__ import annotations

import argparse
import gc
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


def _plain_worker(n: int, steps: int, part: int, parts: int, ready, go, q) -> None:
    """One plain process of :func:`plain_processes`: imports and one warm-up task, then its share of
    the tasks once every process is ready; puts (task seconds, finish time) on ``q``. BLAS runs on
    one thread: :func:`training.sweeps.run_task` limits it around every task (threadpoolctl)."""
    spec = parse_spec(one_second_spec(n, steps))
    tasks = list(spec.tasks())
    run_task(tasks[0], "warm")
    ready.wait()
    go.wait()
    busy = sum(run_task(t, "plain")["seconds"] for t in tasks[part::parts])
    q.put((busy, time.perf_counter()))


def plain_processes(n: int, steps: int, procs: int) -> dict:
    """The machine's own scaling for the same tasks, without Dask: ``procs`` plain processes
    (``multiprocessing``, spawn), each with BLAS pinned to one thread, imported and warmed up, start
    together and run their share of the ``n`` tasks; throughput = n / (last finish - start). The
    ratio for 2 processes over 1 is the ceiling any scheduler can reach for these tasks here."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    ready, go, q = ctx.Barrier(procs + 1), ctx.Event(), ctx.Queue()
    ps = [ctx.Process(target=_plain_worker, args=(n, steps, i, procs, ready, go, q)) for i in range(procs)]
    for x in ps:
        x.start()
    ready.wait()
    t = time.perf_counter()
    go.set()
    res = [q.get() for _ in ps]
    for x in ps:
        x.join()
    run = max(r[1] for r in res) - t
    return {"workers": procs, "run": run, "throughput": n / run, "task_mean": sum(r[0] for r in res) / n}


def big_spec(n_seeds: int) -> dict:
    groups = [f"cyclic({k})" for k in range(2, 13)] + [f"dihedral({k})" for k in range(3, 7)]
    return {"sweep": {"name": "bench-big", "groups": groups[:10], "architectures": ["FC", "G-CNN"], "depths": [2],
                      "data": ["gaussian"], "N": [2], "seeds": list(range(n_seeds)), "steps": 40, "starts": 1,
                      "polish_max_iter": 30}}


MARKS = (100, 300, 600, 900, 1500, 2000, 2900, 4900)


def sampled_sweep(spec, task_fn=run_task) -> dict:
    """Run ``spec`` on 2 workers while a thread watches the rows written (every 0.05 s). When the
    count first reaches one of :data:`MARKS` below the total, it runs a full garbage collection (so
    cyclic garbage awaiting the collector is not counted as held) and records the driver's RSS and
    the Python allocations it holds (``tracemalloc``)."""
    proc = psutil.Process()
    samples: list[tuple[int, int, int]] = []
    stop = threading.Event()
    marks = [m for m in MARKS if m < spec.n_tasks]
    with tempfile.TemporaryDirectory() as d:
        rows = os.path.join(d, "rows")

        def sample() -> None:
            while not stop.is_set() and marks:
                n = len(os.listdir(rows)) if os.path.isdir(rows) else 0
                if n >= marks[0]:
                    marks.pop(0)
                    gc.collect()
                    samples.append((n, proc.memory_info().rss, tracemalloc.get_traced_memory()[0]))
                stop.wait(0.05)

        th = threading.Thread(target=sample, daemon=True)
        tracemalloc.start()
        th.start()
        t = time.perf_counter()
        s = run_sweep(spec, d, workers=2, progress=False, task_fn=task_fn)
        wall = time.perf_counter() - t
        stop.set()
        th.join()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        df = read_rows(d)
        assert len(df) == spec.n_tasks and df["key"].is_unique
        assert set(df["key"]) == {task_key(x) for x in spec.tasks()}
    return {"tasks": spec.n_tasks, "wall": wall, "run": s.seconds_run, "ok": s.ok, "errors": s.errors,
            "failed": s.failed, "traced_peak": peak, "samples": samples}


def synthetic_task(task: dict, key: str) -> dict:
    """A task of no work: its (error) row, of the store's schema. Defined in ``__main__``, so the
    workers receive it by value."""
    return error_row(task, key, "error", "synthetic task of no work")


def synthetic_spec(n_seeds: int):
    base = big_spec(n_seeds)["sweep"]
    return parse_spec({"sweep": {**base, "architectures": ["FC"], "name": "bench-plateau", "groups": base["groups"][:5]}})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=40)
    ap.add_argument("--big", type=int, default=1000)
    ap.add_argument("--synthetic", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3, help="pairs of scaling runs (1 then 2 workers)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    steps = calibrate()
    pairs, plain = [], []
    for _ in range(args.repeat):  # interleaved: Dask 1 and 2 workers, then plain 1 and 2 processes
        pairs.append(scaling(args.tasks, steps))
        plain.append([plain_processes(args.tasks, steps, k) for k in (1, 2)])
    ratios = [p[1]["throughput"] / p[0]["throughput"] for p in pairs]
    ceilings = [p[1]["throughput"] / p[0]["throughput"] for p in plain]
    median = sorted(range(len(pairs)), key=ratios.__getitem__)[len(pairs) // 2]
    sc = pairs[median]  # the median pair
    big = sampled_sweep(parse_spec(big_spec(max(1, args.big // 20))))
    sampled_sweep(synthetic_spec(10), synthetic_task)  # warm-up: the client's imports and first connections
    plateau = sampled_sweep(synthetic_spec(max(1, args.synthetic // 5)), synthetic_task)
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
    print(f"\nThe median of {args.repeat} pairs of runs (1 worker, then 2) is shown; the ratios of the pairs: "
          f"{', '.join(f'{r:.2f}x' for r in ratios)}.")
    print("\nThe machine's ceiling for the same tasks, measured right after each Dask pair: plain processes "
          "without Dask (spawned, BLAS pinned, warmed up, started together), 2 processes over 1:\n")
    print("| pair | Dask 2/1 workers | plain 2/1 processes | Dask / plain | task time alone / with 2 (plain) |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for i, (r, c, pl) in enumerate(zip(ratios, ceilings, plain)):
        print(f"| {i + 1} | {r:.2f}x | {c:.2f}x | {r / c:.2f} | {pl[0]['task_mean']:.2f} s / {pl[1]['task_mean']:.2f} s |")
    eff = sorted(r / c for r, c in zip(ratios, ceilings))[len(ratios) // 2]
    print(f"\nMedian Dask / plain: {eff:.2f} (1.00 = the sweeps lose nothing to Dask on this machine).")
    print(f"\nTargets: 2 workers / 1 worker >= 1.7x: {'met' if speed >= 1.7 else 'NOT met'} ({speed:.2f}x); "
          f"scheduling overhead < 5% (2 workers): {'met' if sc[1]['overhead'] < 0.05 else 'NOT met'} "
          f"({100 * sc[1]['overhead']:.1f}%).\n")
    print(f"Driver memory during one {big['tasks']}-task sweep (2 workers, small groups, FC and G-CNN, L = 2, "
          f"short trainings): {big['run']:.1f} s, rows ok / error / failed {big['ok']} / {big['errors']} / "
          f"{big['failed']}, one row per task.\n")
    print("| rows written | driver RSS | driver Python allocations held (tracemalloc) |")
    print("| ---: | ---: | ---: |")
    for n, rss, held in big["samples"]:
        print(f"| {n} | {rss / mb:.0f} MiB | {held / mb:.2f} MiB |")
    print(f"\nThe driver's own memory during one sweep of {plateau['tasks']} synthetic tasks of no work (spec walk, "
          f"submissions, results, store writes; 2 workers; {plateau['run']:.1f} s):\n")
    print("| rows written | driver RSS | driver Python allocations held (tracemalloc) |")
    print("| ---: | ---: | ---: |")
    for n, rss, held in plateau["samples"]:
        print(f"| {n} | {rss / mb:.0f} MiB | {held / mb:.2f} MiB |")
    ps = plateau["samples"]
    if len(ps) >= 2:  # from 1,000 rows (or half the run, if shorter) to the last mark
        a, b = next(x for x in ps if x[0] >= min(1000, ps[-1][0] // 2)), ps[-1]
        per = (b[2] - a[2]) / max(1, b[0] - a[0])
        print(f"\nFrom {a[0]} to {b[0]} rows the driver's held allocations change by {(b[2] - a[2]) / mb:+.2f} MiB "
              f"({per:+.0f} bytes per task) and its RSS by {(b[1] - a[1]) / mb:+.0f} MiB.")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
