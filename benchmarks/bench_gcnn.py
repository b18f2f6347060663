"""Benchmark of one gradient step of a 3-layer linear G-CNN on ``torus_p4m(28)``; prints markdown.

Setting: ``G = torus_p4m(28) = (C28 x C28) : D4`` (|G| = 6272), ``N = 200`` random real inputs
(``N(0, 1/|G|)`` entries) with random labels, depth L = 3 (two full-width G-correlations and a
dense layer), exponential loss with mean reduction. One gradient step = forward pass over all N
points, loss derivative, backward pass, parameter update.

Compared, in one process:

* **ours, Fourier path** (:class:`training.models.GCNN`, ``method="auto"`` picks ``"fourier"``):
  with the data transform cached by ``model.precompute(X)`` (its one-time cost is reported
  separately), and without any cache (the data then enter only through ``X @ beta`` and ``X^T g``).
  Also ``training.fit`` end to end (its log-spaced recording included).
* **seeds' method** in numpy: Cayley-table unfolding of every layer input, ``U_x[g, h] = x(h g)``
  (a ``|G| x |G|`` matrix, 315 MB in float64), so each correlation is the matrix-vector product
  ``U_x @ w``; backward: ``dw = U_x^T dh`` with the stored unfoldings and
  ``dh_prev = A(w) dh`` with the unfolded filter ``A(w)[m, g] = w(m g^-1)`` (built once per step).
  All 200 unfoldings at once would need about 60 GB per layer (2 x 200 x 315 MB), so it runs in
  chunks of ``--chunk`` inputs. By default only ``--chunks`` chunks are timed and the step time is
  **scaled** to N inputs (``per-step part + chunk time x N / chunk``); ``--full-baseline`` times
  the whole step instead. The gradients of the timed chunks are checked against ours.
* **ours, real path** (``method="real"``: filter unfolding ``H @ w[K]``, ``O(N |G|^2)``), as a
  stronger real-space reference (``--no-real`` skips it).

Memory: peak bytes traced by ``tracemalloc`` (numpy buffers) during one step (baseline: one
chunk plus the per-step filter unfolding), and the process peak RSS after each part.

Usage::

    python benchmarks/bench_gcnn.py             # about 1-2 minutes
    python benchmarks/bench_gcnn.py --quick     # smaller group torus_p4m(12), fewer steps
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from typing import Any

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import grouptools as gt  # noqa: E402
from _timing import traced_peak  # noqa: E402
from training import Record, fit  # noqa: E402
from training.losses import get_loss  # noqa: E402
from training.models import GCNN, correlation_index  # noqa: E402

LOSS = get_loss("exp")


def rss_mib() -> float:
    """Peak resident set size of this process so far, MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rel_err(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


# -- one step of the library model ---------------------------------------------------------------
def model_step(model: GCNN, X: np.ndarray, y: np.ndarray, lr: float) -> list[np.ndarray]:
    """Forward, exponential-loss derivative, backward and update (as ``training.fit`` does)."""
    g = LOSS(model.forward(X), y, "mean").grad
    grads = model.grad(X, g)
    for p, q in zip(model.params, grads):
        p -= lr * q
    return grads


def time_steps(model: GCNN, X: np.ndarray, y: np.ndarray, steps: int, lr: float) -> np.ndarray:
    times = np.empty(steps)
    for i in range(steps):
        t = time.perf_counter()
        model_step(model, X, y, lr)
        times[i] = time.perf_counter() - t
    return times


# -- the seeds' method: Cayley-table unfolding of the inputs -------------------------------------------
class Unfolding:
    """Linear G-CNN step by unfolding the layer inputs, ``U_x[g, h] = x(h g)`` (numpy baseline)."""

    def __init__(self, G: Any) -> None:
        T = np.asarray(G.cayley_table)
        self.idx = np.ascontiguousarray(T.T, dtype=np.intp)  # idx[g, h] = index of h g
        self.K = correlation_index(T, G.inverse)  # K[m, g] = index of m g^-1

    def chunk(self, params: list[np.ndarray], X: np.ndarray, g: np.ndarray, A: list[np.ndarray]) -> list[np.ndarray]:
        """Gradient contributions of the rows of ``X`` (``A[l] = w_l[K]`` built once per step)."""
        *filters, v = params
        grads = [np.zeros_like(p) for p in params]
        for x, gn in zip(X, g):
            U, h = [], x
            for w in filters:  # forward: unfold the layer input, one matrix-vector product
                Ux = h[self.idx]
                U.append(Ux)
                h = Ux @ w
            grads[-1] += gn * h
            dh = gn * v
            for l in range(len(filters) - 1, -1, -1):  # backward
                grads[l] += U[l].T @ dh
                if l:
                    dh = A[l] @ dh  # adjoint of the layer with respect to its input
            del U
        return grads

    def filters_unfolded(self, params: list[np.ndarray]) -> list[np.ndarray]:
        return [None] + [w[self.K] for w in params[1:-1]]  # layer 1 needs no input gradient


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=28, help="torus_p4m(n), order 8 n^2")
    ap.add_argument("--N", type=int, default=200, help="training points")
    ap.add_argument("--steps", type=int, default=300, help="timed steps of our path")
    ap.add_argument("--chunk", type=int, default=2, help="inputs unfolded at once by the baseline")
    ap.add_argument("--chunks", type=int, default=2, help="baseline chunks timed (then scaled)")
    ap.add_argument("--full-baseline", action="store_true", help="time the whole baseline step")
    ap.add_argument("--no-real", action="store_true", help="skip our real-space path")
    ap.add_argument("--quick", action="store_true", help="torus_p4m(12), 50 steps")
    args = ap.parse_args()
    if args.quick:
        args.n, args.steps = 12, 50
    lr = 0.05

    t0 = time.perf_counter()
    G = gt.torus_p4m(args.n)
    t_group = time.perf_counter() - t0
    n = G.order
    t0 = time.perf_counter()
    G.irreps()
    t_irreps = time.perf_counter() - t0
    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.N, n)) / np.sqrt(n)
    y = np.where(rng.standard_normal(args.N) > 0, 1.0, -1.0)

    t0 = time.perf_counter()
    model = GCNN(G, 3, seed=0)
    t_model = time.perf_counter() - t0
    method_used = model.method
    t0 = time.perf_counter()
    model_step(model.copy(), X, y, lr)  # first call: numba kernels, FFT plans
    t_warm = time.perf_counter() - t0

    # ours, uncached
    plain = model.copy()
    time_steps(plain, X, y, 5, lr)
    t_plain = time_steps(plain, X, y, args.steps, lr)
    mem_plain = traced_peak(lambda: model_step(plain, X, y, lr))
    # ours, cached data transform
    cached = model.copy()
    t0 = time.perf_counter()
    cached.precompute(X)
    t_pre = time.perf_counter() - t0
    mem_pre = traced_peak(lambda: cached.precompute(X))
    time_steps(cached, X, y, 5, lr)
    t_cached = time_steps(cached, X, y, args.steps, lr)
    mem_cached = traced_peak(lambda: model_step(cached, X, y, lr))
    # ours, through training.fit (cache shared with the copy fit makes)
    res = fit(cached, X, y, steps=args.steps, lr=lr, record=Record(points=3), progress=False)
    fit_rate = res.steps / res.elapsed
    rss_ours = rss_mib()

    # baseline: the seeds' unfolding, on the model's current parameters
    params = [p.copy() for p in cached.params]
    g_full = LOSS(cached.forward(X), y, "mean").grad
    ref = cached.grad(X, g_full)
    t0 = time.perf_counter()
    base = Unfolding(G)
    t_base_setup = time.perf_counter() - t0
    nchunks_total = -(-args.N // args.chunk)
    timed = nchunks_total if args.full_baseline else min(args.chunks, nchunks_total)
    t0 = time.perf_counter()
    A = base.filters_unfolded(params)
    t_per_step = time.perf_counter() - t0
    chunk_times, errs = [], []
    acc = [np.zeros_like(p) for p in params]
    for c in range(timed):
        rows = slice(c * args.chunk, (c + 1) * args.chunk)
        t0 = time.perf_counter()
        part = base.chunk(params, X[rows], g_full[rows], A)
        chunk_times.append(time.perf_counter() - t0)
        ours_part = cached.with_params(params).grad(np.ascontiguousarray(X[rows]), g_full[rows])
        errs.append(max(rel_err(a, b) for a, b in zip(part, ours_part)))
        acc = [a + b for a, b in zip(acc, part)]
    if args.full_baseline:
        base_step = t_per_step + sum(chunk_times)
        errs.append(max(rel_err(a, b) for a, b in zip(acc, ref)))
        how = f"measured: all {nchunks_total} chunks of {args.chunk}"
    else:
        base_step = t_per_step + float(np.mean(chunk_times)) * nchunks_total
        how = f"**scaled**: {timed} chunks of {args.chunk} inputs timed, x {nchunks_total} chunks"
    mem_base = traced_peak(lambda: base.chunk(params, X[: args.chunk], g_full[: args.chunk], base.filters_unfolded(params)))
    rss_base = rss_mib()
    del A, base

    # our real-space path
    real_row = None
    if not args.no_real:
        t0 = time.perf_counter()
        real = GCNN(G, 3, seed=0, method="real").with_params(params)
        t_real_setup = time.perf_counter() - t0
        t0 = time.perf_counter()
        real_grads = model_step(real.copy(), X, y, lr)
        t_real = time.perf_counter() - t0
        err_real = max(rel_err(a, b) for a, b in zip(real_grads, ref))
        mem_real = traced_peak(lambda: model_step(real.copy(), X, y, lr))
        real_row = (t_real, mem_real, err_real, t_real_setup)

    # -- report ----------------------------------------------------------------------------------------
    mib = 2.0**20
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"`torus_p4m({args.n})`, |G| = {n}, {len(G.irreps())} irreps, N = {args.N}, depth 3 "
          f"(GCNN method `{method_used}`), exponential loss; {os.cpu_count()} cores, "
          f"load average {load:.1f} at the end of the run. Step times: median (best) of {args.steps} steps.\n")
    ours = float(np.median(t_plain))  # the default path (no cache) is the reference
    med_cached = float(np.median(t_cached))
    print("| method | time per step | steps / s | time / ours | peak traced memory | notes |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    print(f"| **ours, Fourier** (default) | {1e3 * ours:.2f} ms ({1e3 * t_plain.min():.2f}) | {1 / ours:.0f} | 1 | "
          f"{mem_plain / mib:.1f} MiB | data only through `X @ beta` and `X^T g` |")
    print(f"| ours, Fourier, cached `x_hat` | {1e3 * med_cached:.2f} ms ({1e3 * t_cached.min():.2f}) | {1 / med_cached:.0f} | "
          f"{med_cached / ours:.2f} | {mem_cached / mib:.1f} MiB | after `model.precompute(X)` |")
    print(f"| ours, `training.fit` ({res.steps} steps) | {1e3 / fit_rate:.2f} ms | {fit_rate:.0f} | "
          f"{1 / fit_rate / ours:.2f} | - | cached; whole loop, recording at 3 log-spaced steps |")
    if real_row is not None:
        t_real, mem_real, err_real, _ = real_row
        print(f"| ours, real path (`H @ w[K]`) | {t_real:.2f} s | {1 / t_real:.2f} | {t_real / ours:,.0f} | "
              f"{mem_real / mib:,.0f} MiB | one step; gradient rel. diff {err_real:.1e} |")
    print(f"| seeds' unfolding (numpy) | {base_step:.1f} s | {1 / base_step:.4f} | {base_step / ours:,.0f} | "
          f"{mem_base / mib:,.0f} MiB | {how}; gradient rel. diff {max(errs):.1e} |")
    print()
    rate_ok = "met" if 1 / ours >= 100 else "MISSED"
    ratio_ok = "met" if base_step / ours >= 1000 else "MISSED"
    print(f"Targets: >= 100 steps/s: {rate_ok} ({1 / ours:.0f}); >= 1000x the seeds' method: {ratio_ok} "
          f"({base_step / ours:,.0f}x).")
    print()
    print("| one-time cost | seconds |")
    print("| --- | ---: |")
    print(f"| build `torus_p4m({args.n})` | {t_group:.2f} |")
    print(f"| `G.irreps()` (first call) | {t_irreps:.2f} |")
    print(f"| `GCNN(G, 3)` (Fourier plan) | {t_model:.2f} |")
    print(f"| first step (kernel compilation, FFT plans) | {t_warm:.2f} |")
    print(f"| `model.precompute(X)`: transform of the {args.N} inputs | {t_pre:.3f} (peak traced {mem_pre / mib:.0f} MiB) |")
    print(f"| baseline setup: Cayley table, index matrices | {t_base_setup:.2f} |")
    if real_row is not None:
        print(f"| real path setup: index matrix `K` | {real_row[3]:.2f} |")
    print()
    print(f"Process peak RSS: {rss_ours:,.0f} MiB after our runs, {rss_base:,.0f} MiB after the baseline. "
          f"Baseline per-step filter unfolding {t_per_step:.2f} s, mean chunk {np.mean(chunk_times):.2f} s "
          f"({len(chunk_times)} chunks of {args.chunk}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
