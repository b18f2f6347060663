"""Benchmark: SO(3) Fourier transforms (FFT + Wigner-d, O(B^4)) against direct summation (O(B^6)).

Run from the repository root::

    python benchmarks/bench_so3.py [--bandlimits 16 32 64] [--grid soft] [--repeat 3]
                                   [--direct-budget 3e8] [--threads 1]

For each band limit B (degrees l < B) on the SOFT grid ((2B)^3 points; ``--grid gauss``: B x 2B x 2B):

- *inverse* is :func:`grouptools.compact.so3_inverse` of random complex blocks of degrees ``l < B``,
  *forward* :func:`grouptools.compact.so3_forward` of the resulting samples (round-trip error =
  largest deviation from the original blocks);
  ``first`` is the first call (it computes the Wigner-d tables, which are then cached when they
  hold at most ``D_CACHE_ENTRIES`` numbers, i.e. up to B = 32 on the SOFT grid), ``best`` the best
  of ``--repeat`` later calls;
- *direct* evaluates the defining sums ``f_hat(l) = sum_g w_g f(g) D^l(g)`` and
  ``f(g) = sum_l (2l+1) tr(D^l(g)^H f_hat(l))`` point by point, in chunks of grid points (all
  ``D^l(g)`` of a chunk from one Wigner-d recursion; BLAS for the sums). It is run only when
  ``points * sum_l (2l+1)^2 <= --direct-budget`` multiply-adds; otherwise the cell says
  ``skipped`` (nothing is extrapolated). The direct result is compared with the fast one.

The growth rate is the slope of log(time) against log(B) between consecutive band limits (4 means
O(B^4)). A markdown table is printed. BLAS is limited to ``--threads`` threads.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grouptools.compact import so3_forward, so3_grid, so3_inverse
from grouptools.compact._so3 import D_CACHE_ENTRIES
from grouptools.compact._wigner import iter_wigner_d


def _timed(fn, repeat: int) -> tuple[float, float, object]:
    t = time.perf_counter()
    out = fn()
    first = time.perf_counter() - t
    best = math.inf
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return first, best, out


def _direct(samples: np.ndarray, blocks: list[np.ndarray], grid, chunk: int) -> tuple[float, float, list[np.ndarray], np.ndarray]:
    """Direct forward and inverse transforms; returns (forward time, inverse time, blocks, samples)."""
    B = len(blocks)
    a, b, g = (x.reshape(-1) for x in grid.angles())
    w = np.asarray(grid.weights).reshape(-1)
    f = samples.reshape(-1)
    fwd = [np.zeros((2 * l + 1, 2 * l + 1), dtype=complex) for l in range(B)]
    inv = np.zeros(f.size, dtype=complex)
    t_f = t_i = 0.0
    for s in range(0, f.size, chunk):
        sl = slice(s, min(s + chunk, f.size))
        for l, d in iter_wigner_d(B - 1, b[sl]):
            t0 = time.perf_counter()
            m = np.arange(-l, l + 1)
            D = np.exp(-1j * np.outer(a[sl], m))[:, :, None] * np.moveaxis(d, -1, 0) * np.exp(-1j * np.outer(g[sl], m))[:, None, :]
            Dflat = D.reshape(D.shape[0], -1)
            t1 = time.perf_counter()
            fwd[l] += ((w[sl] * f[sl]) @ Dflat).reshape(2 * l + 1, 2 * l + 1)
            t2 = time.perf_counter()
            inv[sl] += (2 * l + 1) * (np.conj(Dflat) @ blocks[l].reshape(-1))
            t3 = time.perf_counter()
            build = t1 - t0
            t_f += build / 2 + (t2 - t1)  # the D matrices serve both directions: half the cost each
            t_i += build / 2 + (t3 - t2)
    return t_f, t_i, fwd, inv.reshape(samples.shape)


def _fmt(t: float | None) -> str:
    if t is None:
        return "skipped"
    return f"{t * 1e3:.1f} ms" if t < 1 else f"{t:.2f} s"


def _slope(ts: list[float | None], Bs: list[int], i: int) -> str:
    if i == 0 or ts[i] is None or ts[i - 1] is None:
        return "-"
    return f"{math.log(ts[i] / ts[i - 1]) / math.log(Bs[i] / Bs[i - 1]):.2f}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bandlimits", type=int, nargs="+", default=[16, 32, 64])
    ap.add_argument("--grid", choices=["soft", "gauss"], default="soft")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--direct-budget", type=float, default=3e8, help="max points * coefficients for the direct sums")
    ap.add_argument("--chunk", type=int, default=2048, help="grid points per chunk of the direct sums")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    from threadpoolctl import threadpool_limits

    Bs = sorted(args.bandlimits)
    rows = []
    with threadpool_limits(limits=args.threads, user_api="blas"):
        for B in Bs:
            grid = so3_grid(B, args.grid)
            rng = np.random.default_rng(B)
            cblocks = [rng.standard_normal((2 * l + 1, 2 * l + 1)) + 1j * rng.standard_normal((2 * l + 1, 2 * l + 1))
                       for l in range(B)]
            fi_first, fi_best, samples = _timed(lambda: so3_inverse(cblocks, grid), args.repeat)
            ff_first, ff_best, F = _timed(lambda: so3_forward(samples, grid), args.repeat)
            f_c = samples
            err_fast = max(float(np.abs(x - y).max()) for x, y in zip(F, cblocks))
            npts = int(np.prod(grid.shape))
            ncoef = sum((2 * l + 1) ** 2 for l in range(B))
            cached = ncoef * grid.beta.size <= D_CACHE_ENTRIES
            row = {"B": B, "points": npts, "coefficients": ncoef, "cached": cached,
                   "fwd_first": ff_first, "fwd": ff_best, "inv_first": fi_first, "inv": fi_best,
                   "err_fast": err_fast, "dir_fwd": None, "dir_inv": None, "err_direct": None}
            if npts * ncoef <= args.direct_budget:
                t_f, t_i, Fd, fd = _direct(samples, cblocks, grid, args.chunk)
                row.update(dir_fwd=t_f, dir_inv=t_i,
                           err_direct=max(max(float(np.abs(x - y).max()) for x, y in zip(Fd, F)), float(np.abs(fd - f_c).max())))
            rows.append(row)
            print(f"B={B} done", file=sys.stderr)
    fwd = [r["fwd"] for r in rows]
    inv = [r["inv"] for r in rows]
    dfw = [r["dir_fwd"] for r in rows]
    din = [r["dir_inv"] for r in rows]
    print(f"SO(3) transforms on the {args.grid} grid, BLAS threads = {args.threads}, best of {args.repeat} "
          f"(first call in parentheses)\n")
    print("| B | grid points | coefficients | forward (FFT) | inverse (FFT) | growth fwd/inv | direct forward | "
          "direct inverse | growth direct fwd/inv | round-trip error | direct - fast |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for i, r in enumerate(rows):
        err_d = "skipped" if r["err_direct"] is None else f"{r['err_direct']:.1e}"
        print(f"| {r['B']} | {r['points']} | {r['coefficients']} | {_fmt(r['fwd'])} ({_fmt(r['fwd_first'])}) | "
              f"{_fmt(r['inv'])} ({_fmt(r['inv_first'])}) | {_slope(fwd, Bs, i)} / {_slope(inv, Bs, i)} | "
              f"{_fmt(r['dir_fwd'])} | {_fmt(r['dir_inv'])} | {_slope(dfw, Bs, i)} / {_slope(din, Bs, i)} | "
              f"{r['err_fast']:.1e} | {err_d} |")
    skipped = [r["B"] for r in rows if r["dir_fwd"] is None]
    if skipped:
        print(f"\nDirect summation skipped for B = {skipped}: points * coefficients exceeds --direct-budget "
              f"{args.direct_budget:.0e} (no extrapolation).")
    print("Wigner-d tables cached (first call computes them) for B = " + str([r["B"] for r in rows if r["cached"]]) +
          "; recomputed by the recursion on every call for the others.")


if __name__ == "__main__":
    main()
