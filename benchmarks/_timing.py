"""Timing and memory helpers shared by the benchmark scripts."""

from __future__ import annotations

import time
import tracemalloc
from typing import Any, Callable

__all__ = ["best", "traced_peak", "mib"]


def best(fn: Callable[[], Any], repeat: int) -> float:
    """Best wall time of ``repeat`` calls (after the caller's warm-up)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
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
