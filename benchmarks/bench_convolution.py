"""Benchmark of group convolution on ``torus_p4m(28)`` (|G| = 6272); prints markdown.

A batch of real signals is convolved, ``(f * w)(u) = sum_v f(u v^-1) w(v)``, with one filter by

* the Fourier route (``convolve(..., method="fourier")``: Clifford FFT, blockwise products,
  inverse FFT; memory ``O(batch |G|)``),
* the numba kernel over the Cayley table (``method="direct"``; ``O(nnz(w) |G|)`` per signal),
* the Cayley-table *gather* method of the reference code of Lawrence et al., ``out[b, u] = sum_v f[b, T[u, inv[v]]] w[v]``
  by fancy indexing, in chunks of rows ``u`` (it needs ``batch * chunk * |G|`` floats per chunk).

for a dense random filter and for a local 3 x 3 filter (9 translations, identity rotation).
Times are the best of ``--repeat`` runs after a warm-up (the slow dense-filter runs and the gather
method: one run); memory is the ``tracemalloc`` peak of one call (numpy buffers; the Cayley table itself, ``4 |G|^2`` bytes, is built once and not counted).

Usage::

    python benchmarks/bench_convolution.py [--n 28] [--batch 100] [--quick]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import grouptools as gt  # noqa: E402
from _timing import best, mib, traced_peak  # noqa: E402
from grouptools.fourier._convolution import convolve


def gather_convolve(
    T: np.ndarray, inv: np.ndarray, f: np.ndarray, w: np.ndarray, chunk: int, rows: int | None = None
) -> np.ndarray:
    """Lawrence et al.'s method: gather ``f[b, T[u, inv[v]]]`` for a chunk of rows ``u``, contract with ``w``.

    ``rows`` limits the computation to the first rows (for measuring the per-chunk memory).
    """
    n = T.shape[0]
    out = np.zeros((f.shape[0], n))
    Tinv = None
    for start in range(0, n if rows is None else rows, chunk):
        rows = T[start : start + chunk][:, inv]  # (chunk, n): index of u v^-1
        Tinv = f[:, rows]  # (batch, chunk, n)
        out[:, start : start + chunk] = Tinv @ w
    del Tinv
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=28)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--chunk", type=int, default=16, help="rows per chunk of the gather method")
    ap.add_argument("--quick", action="store_true", help="n = 8")
    args = ap.parse_args()
    n = 8 if args.quick else args.n
    G = gt.torus_p4m(n)
    rng = np.random.default_rng(0)
    f = rng.normal(size=(args.batch, G.order))
    w_dense = rng.normal(size=G.order)
    w_local = np.zeros(G.order)  # a 3 x 3 stencil of translations (h = identity)
    for du in (-1, 0, 1):
        for dv in (-1, 0, 1):
            w_local[np.ravel_multi_index((du % n, dv % n), (n, n))] = rng.normal()
    t0 = time.perf_counter()
    T = np.asarray(G.cayley_table)
    inv = np.asarray(G.inverse)
    t_table = time.perf_counter() - t0
    t0 = time.perf_counter()
    convolve(G, f[:2], w_dense, method="fourier")
    convolve(G, f[:2], w_dense, method="direct")
    t_setup = time.perf_counter() - t0

    print(f"numpy {np.__version__}, {os.cpu_count()} CPUs\n")
    print(f"### Convolution on torus_p4m({n}), |G| = {G.order}, batch of {args.batch} real signals\n")
    print(f"Cayley table {t_table:.2f} s ({mib(T.nbytes, 1)}); irreps, plan and JIT {t_setup:.2f} s, once per group.\n")
    print("| filter | method | time | vs gather | peak traced memory | max deviation |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for label, w in (("dense random", w_dense), ("3x3 local (nnz 9)", w_local)):
        # one timed run of the gather method (about a minute at n = 28); its memory is per chunk,
        # so it is traced on the first chunks only
        t0 = time.perf_counter()
        ref = gather_convolve(T, inv, f, w, args.chunk)
        t_gather = time.perf_counter() - t0
        m_gather = traced_peak(lambda: gather_convolve(T, inv, f, w, args.chunk, rows=4 * args.chunk))
        rows = []
        for method in ("fourier", "direct"):
            out = convolve(G, f, w, method=method)
            dev = float(np.abs(out - ref).max() / np.abs(ref).max())
            reps = args.repeat if (method == "fourier" or not label.startswith("dense")) else 1
            t = best(lambda: convolve(G, f, w, method=method), reps)
            m = traced_peak(lambda: convolve(G, f, w, method=method))
            rows.append((method, t, m, dev))
        for method, t, m, dev in rows:
            name = {"fourier": "Fourier route", "direct": "numba direct (Cayley table)"}[method]
            print(f"| {label} | {name} | {t:.3f} s | {t_gather / t:.1f}x faster | {mib(m, 1)} | {dev:.1e} |")
        print(f"| {label} | gather, chunks of {args.chunk} rows (reference code) | {t_gather:.3f} s | 1.0x | {mib(m_gather, 1)} | 0 |")
    print(f"\nSignals and output: {mib(f.nbytes, 1)} each (batch x |G| float64).")


if __name__ == "__main__":
    main()
