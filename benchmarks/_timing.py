"""Timing and memory helpers shared by the benchmark scripts."""

from __future__ import annotations

import subprocess
import time
import tracemalloc
from typing import Any, Callable

__all__ = ["best", "mib", "run_watched", "traced_peak"]


def best(fn: Callable[[], Any], repeat: int, clock: Callable[[], float] = time.perf_counter) -> float:
    """Best time of ``repeat`` calls (after the caller's warm-up) on ``clock``: wall time by default,
    ``time.thread_time`` for the CPU time of the calling thread (which other processes of a shared
    machine do not inflate)."""
    times = []
    for _ in range(repeat):
        t = clock()
        fn()
        times.append(clock() - t)
    return min(times)


def traced_peak(fn: Callable[[], Any]) -> int:
    """Peak bytes allocated through Python/numpy while ``fn`` runs."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def mib(b: float, digits: int = 0) -> str:
    """Bytes as MiB (KiB below one MiB)."""
    return f"{b / 2**20:.{digits}f} MiB" if b >= 2**20 else f"{b / 2**10:.0f} KiB"


def run_watched(cmd: list[str], gb: float, timeout: float) -> tuple[str | None, str, int]:
    """Run ``cmd`` in a child process killed above ``gb`` GiB resident or after ``timeout`` s.

    Returns ``(stdout, why, peak)``: ``stdout`` is ``None`` when the child was killed or failed,
    with the reason in ``why``; ``peak`` is the largest resident size seen (bytes, sampled every
    0.1 s). ``ulimit -v`` cannot be used for torch-based baselines: torch reserves tens of GiB
    of address space.
    """
    import psutil  # a dependency of dask.distributed

    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc, peak = psutil.Process(p.pid), 0
    while p.poll() is None:
        try:
            peak = max(peak, proc.memory_info().rss)
        except psutil.Error:
            pass
        elapsed = time.perf_counter() - t0
        if peak > gb * 2**30 or elapsed > timeout:
            p.kill()
            p.wait()
            if peak > gb * 2**30:
                return None, f"killed above {gb:.0f} GiB resident after {elapsed:.0f} s", peak
            return None, f"timeout {timeout:.0f} s", peak
        time.sleep(0.1)
    out, err = p.communicate()
    if p.returncode != 0:
        last = err.strip().splitlines()[-1][:80] if err.strip() else str(p.returncode)
        return None, f"failed ({last})", peak
    return out, "", peak
