"""Benchmark of the machine itself: throughput of two processes against one, for pure Python,
numpy array operations and single-threaded BLAS products (4 s each).

Run ``python benchmarks/bench_cores.py``. It bounds what any two-worker scheduler can reach on the
machine (the scaling target of ``bench_sweep.py``): a ratio below 2 for numeric work means the two
cores share something (a physical core, caches, memory bandwidth).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"

SECONDS = 4.0


def work(kind: str, q: mp.Queue) -> None:
    """Rounds of ``kind`` per second, for :data:`SECONDS`, put on ``q``."""
    import numpy as np

    rng = np.random.default_rng(0)
    A = rng.standard_normal((64, 64))
    x = rng.standard_normal(2000)
    t = time.perf_counter()
    n = 0
    while time.perf_counter() - t < SECONDS:
        if kind == "blas":
            for _ in range(100):
                A = A @ A
                A /= np.abs(A).max()
        elif kind == "numpy":
            for _ in range(100):
                x = np.cumsum(np.sort(x))[::-1].copy()
                x /= np.abs(x).max()
        else:
            s = 0
            for i in range(20000):
                s += i * i
        n += 1
    q.put(n / (time.perf_counter() - t))


def rate(kind: str, processes: int) -> float:
    q: mp.Queue = mp.Queue()
    ps = [mp.Process(target=work, args=(kind, q)) for _ in range(processes)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    return sum(q.get() for _ in ps)


def main() -> None:
    print("| workload | 2 processes / 1 process |")
    print("| --- | ---: |")
    for kind in ("python", "numpy", "blas"):
        print(f"| {kind} | {rate(kind, 2) / rate(kind, 1):.2f}x |", flush=True)


if __name__ == "__main__":
    main()
