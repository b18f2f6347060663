"""Benchmark of one gradient step of a 3-layer linear G-CNN on ``torus_p4m(28)``; prints markdown.

Setting: ``G = torus_p4m(28) = (C28 x C28) : D4`` (|G| = 6272), ``N = 200`` random real inputs
(``N(0, 1/|G|)`` entries) with random labels, depth L = 3 (two full-width G-correlations and a
dense layer), exponential loss with mean reduction. One gradient step = forward pass over all N
points, loss derivative, backward pass, parameter update. The layer is the G-correlation
``(x star w)(g) = sum_h w(h) x(g h)`` of Cohen & Welling ("Group equivariant convolutional
networks", ICML 2016).

Compared, in one process:

* **ours, Fourier path** (:class:`training.models.GCNN`, ``method="auto"`` picks ``"fourier"``):
  with the data transform cached by ``model.precompute(X)`` (its one-time cost is reported
  separately), and without any cache (the data then enter only through ``X @ beta`` and ``X^T g``).
  Also ``training.fit`` end to end (its log-spaced recording included).
* **reference unfolding** in numpy, computed as the reference code of Lawrence, Georgiev, Dienes,
  Kiani ("Implicit bias of linear equivariant networks", ICML 2022) does in its ``g_conv_func``:
  the layer input ``x`` of shape ``(N, |G|)`` is unfolded with the Cayley table,
  ``U[n, g, h] = x[n, cayley[g, h]]`` (``cayley[g, h]`` = index of ``g h``; ``|G|^2`` numbers per
  input, 315 MB in float64), and the layer is the batched matrix product
  ``out[n, g] = sum_h U[n, g, h] w[h]``. The backward pass is what automatic differentiation of
  these two operations computes: ``dw = sum_{n, g} U[n, g, h] dout[n, g]`` and, for the input of
  the second layer, the adjoint of the gather, a scatter-add of ``dout[n, g] w[h]`` into
  ``dx[n, cayley[g, h]]``. All 200 unfoldings at once would need about 60 GB per layer, so it runs
  in chunks of ``--chunk`` inputs. By default only ``--chunks`` chunks are timed and the step time
  is **scaled** to N inputs (chunk time x N / chunk); ``--full-baseline`` times the whole step
  instead. The gradients of the timed chunks are checked against ours.
* **ours, real path** (``method="real"``: filter unfolding ``H @ w[K]``, ``O(N |G|^2)``), as a
  stronger real-space reference (``--no-real`` skips it).

Before any timing, :func:`check_agreement` runs the reference unfolding on small groups and checks
that its layer outputs equal :func:`grouptools.correlate` (both methods) and
:meth:`training.models.GCNN.feature_maps` (both paths), and its gradients equal ``GCNN.grad``, to a
relative 1e-9; the benchmark stops if they do not.

Memory: peak bytes traced by ``tracemalloc`` (numpy buffers) during one step (baseline: one
chunk), and the process peak RSS after each part.

Usage::

    python benchmarks/bench_gcnn.py             # a few minutes; peak memory a few GB (chunk 1)
    python benchmarks/bench_gcnn.py --quick     # smaller group torus_p4m(12), fewer steps
    python benchmarks/bench_gcnn.py --tiny      # torus_p4m(4), N = 20: a smoke test of the script
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
from training.models import GCNN  # noqa: E402

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


# -- the reference unfolding (Lawrence et al. 2022, g_conv_func) -------------------------------------
class Unfolding:
    """Linear G-CNN step by unfolding the layer inputs, ``U[n, g, h] = x[n, cayley[g, h]]`` (numpy).

    A layer is ``out[n, g] = sum_h U[n, g, h] w[h]`` (a batched matrix product of the unfolded
    input with the filter); the backward pass is that of automatic differentiation (module docstring).
    """

    def __init__(self, G: Any) -> None:
        self.cayley = np.ascontiguousarray(np.asarray(G.cayley_table), dtype=np.intp)  # [g, h] = index of g h
        self.n = int(G.order)
        self._flat: dict[int, np.ndarray] = {}  # scatter indices per chunk size (built once, like an index tensor)

    def unfold(self, x: np.ndarray) -> np.ndarray:
        """``U[n, g, h] = x[n, cayley[g, h]]``, shape ``(N, |G|, |G|)``."""
        return x[:, self.cayley]

    def layer(self, x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(out, U)``: ``out[n, g] = sum_h U[n, g, h] w[h]`` (batched matmul) and the unfolding."""
        U = self.unfold(x)
        return np.matmul(U, w), U

    def layer_backward(self, U: np.ndarray, w: np.ndarray, dout: np.ndarray, need_dx: bool) -> tuple[np.ndarray | None, np.ndarray]:
        """``(dx, dw)`` of :meth:`layer`: ``dw = sum_{n,g} U[n, g, :] dout[n, g]`` and the scatter-add
        of ``dU[n, g, h] = dout[n, g] w[h]`` into ``dx[n, cayley[g, h]]`` (the adjoint of the gather)."""
        dw = np.matmul(dout[:, None, :], U).sum(axis=(0, 1))
        if not need_dx:
            return None, dw
        c, n = dout.shape
        dU = dout[:, :, None] * w[None, None, :]  # (c, |G|, |G|)
        flat = self._flat.get(c)
        if flat is None:
            flat = self._flat[c] = (self.cayley[None, :, :] + n * np.arange(c)[:, None, None]).ravel()
        dx = np.bincount(flat, weights=dU.ravel(), minlength=c * n).reshape(c, n)
        return dx, dw

    def forward_maps(self, params: list[np.ndarray], X: np.ndarray) -> list[np.ndarray]:
        """The outputs of the correlation layers for the rows of ``X`` (for the agreement check)."""
        out, h = [], X
        for w in params[:-1]:
            h, _ = self.layer(h, w)
            out.append(h)
        return out

    def chunk(self, params: list[np.ndarray], X: np.ndarray, g: np.ndarray) -> list[np.ndarray]:
        """Gradients of ``sum_n g_n f(x_n)`` over the rows of ``X`` (one chunk of inputs)."""
        *filters, v = params
        grads = [np.zeros_like(p) for p in params]
        U, h = [], X
        for w in filters:  # forward: unfold the layer input, one batched matmul
            h, Ux = self.layer(h, w)
            U.append(Ux)
        grads[-1] = g @ h
        dh = np.outer(g, v)
        for l in range(len(filters) - 1, -1, -1):  # backward
            dh, grads[l] = self.layer_backward(U[l], filters[l], dh, need_dx=l > 0)
            U[l] = None  # free the unfolding as autograd would
        return grads


def check_agreement(tol: float = 1e-9) -> list[str]:
    """Reference unfolding against ``grouptools.correlate``, ``GCNN.feature_maps`` and ``GCNN.grad``.

    On ``torus_p4m(2)`` (order 32), ``dihedral(5)`` and a group given by a presentation; raises
    ``SystemExit`` on a relative difference above ``tol``. Returns one line per group.
    """
    lines = []
    for name, G in (("torus_p4m(2)", gt.torus_p4m(2)), ("dihedral(5)", gt.dihedral(5)),
                    ("<a, b | a^4, b^2, (a*b)^2>", gt.group("<a, b | a^4, b^2, (a*b)^2>"))):
        rng = np.random.default_rng(0)
        X = rng.standard_normal((5, G.order))
        g = rng.standard_normal(5)
        base = Unfolding(G)
        errs = {}
        for method in ("real", "fourier"):
            m = GCNN(G, 3, seed=1, method=method)
            params = [p.copy() for p in m.params]
            ref_maps = base.forward_maps(params, X)
            errs[f"feature_maps[{method}]"] = max(rel_err(a, b) for a, b in zip(m.feature_maps(X), ref_maps))
            errs[f"grad[{method}]"] = max(rel_err(a, b) for a, b in zip(m.grad(X, g), base.chunk(params, X, g)))
        for method in ("direct", "fourier"):
            w = rng.standard_normal(G.order)
            errs[f"correlate[{method}]"] = rel_err(gt.correlate(G, X, w, method=method), base.layer(X, w)[0])
        worst = max(errs.values())
        lines.append(f"{name}: max relative difference {worst:.1e} ({', '.join(sorted(errs))})")
        if not worst <= tol:
            raise SystemExit(f"the reference unfolding disagrees with ours on {name}: {errs}")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=28, help="torus_p4m(n), order 8 n^2")
    ap.add_argument("--N", type=int, default=200, help="training points")
    ap.add_argument("--steps", type=int, default=300, help="timed steps of our path")
    ap.add_argument("--chunk", type=int, default=1, help="inputs unfolded at once by the baseline")
    ap.add_argument("--chunks", type=int, default=4, help="baseline chunks timed (then scaled)")
    ap.add_argument("--full-baseline", action="store_true", help="time the whole baseline step")
    ap.add_argument("--no-real", action="store_true", help="skip our real-space path")
    ap.add_argument("--quick", action="store_true", help="torus_p4m(12), 50 steps")
    ap.add_argument("--tiny", action="store_true", help="torus_p4m(4), N = 20, 10 steps (smoke test)")
    args = ap.parse_args()
    if args.quick:
        args.n, args.steps = 12, 50
    if args.tiny:
        args.n, args.N, args.steps = 4, 20, 10
    lr = 0.05

    # agreement of the reference unfolding with ours, before any timing
    t0 = time.perf_counter()
    agreement = check_agreement()
    t_check = time.perf_counter() - t0

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

    # baseline: the reference unfolding, on the model's current parameters
    params = [p.copy() for p in cached.params]
    g_full = LOSS(cached.forward(X), y, "mean").grad
    ref = cached.grad(X, g_full)
    t0 = time.perf_counter()
    base = Unfolding(G)
    t_base_setup = time.perf_counter() - t0
    nchunks_total = -(-args.N // args.chunk)
    timed = nchunks_total if args.full_baseline else min(args.chunks, nchunks_total)
    base.chunk(params, X[: args.chunk], g_full[: args.chunk])  # warm-up (builds the scatter indices)
    chunk_times, errs = [], []
    acc = [np.zeros_like(p) for p in params]
    for c in range(timed):
        rows = slice(c * args.chunk, (c + 1) * args.chunk)
        t0 = time.perf_counter()
        part = base.chunk(params, X[rows], g_full[rows])
        chunk_times.append(time.perf_counter() - t0)
        ours_part = cached.with_params(params).grad(np.ascontiguousarray(X[rows]), g_full[rows])
        errs.append(max(rel_err(a, b) for a, b in zip(part, ours_part)))
        acc = [a + b for a, b in zip(acc, part)]
    if args.full_baseline:
        base_step = sum(chunk_times)
        errs.append(max(rel_err(a, b) for a, b in zip(acc, ref)))
        how = f"measured: all {nchunks_total} chunks of {args.chunk}"
    else:
        base_step = float(np.mean(chunk_times)) * nchunks_total
        how = f"**scaled**: {timed} chunks of {args.chunk} inputs timed, x {nchunks_total} chunks"
    mem_base = traced_peak(lambda: base.chunk(params, X[: args.chunk], g_full[: args.chunk]))
    rss_base = rss_mib()
    del base

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
        print(f"| ours, real path (`H @ w[K]`) | {t_real:.3g} s | {1 / t_real:.2f} | {t_real / ours:,.0f} | "
              f"{mem_real / mib:,.0f} MiB | one step; gradient rel. diff {err_real:.1e} |")
    print(f"| reference unfolding (Lawrence et al. 2022; numpy) | {base_step:.3g} s | {1 / base_step:.4f} | {base_step / ours:,.0f} | "
          f"{mem_base / mib:,.0f} MiB | {how}; gradient rel. diff {max(errs):.1e} |")
    print()
    rate_ok = "met" if 1 / ours >= 100 else "MISSED"
    ratio_ok = "met" if base_step / ours >= 1000 else "MISSED"
    print(f"Targets: >= 100 steps/s: {rate_ok} ({1 / ours:.0f}); >= 1000x the reference unfolding: {ratio_ok} "
          f"({base_step / ours:,.0f}x).")
    print()
    print("| one-time cost | seconds |")
    print("| --- | ---: |")
    print(f"| build `torus_p4m({args.n})` | {t_group:.2f} |")
    print(f"| `G.irreps()` (first call) | {t_irreps:.2f} |")
    print(f"| `GCNN(G, 3)` (Fourier plan) | {t_model:.2f} |")
    print(f"| first step (kernel compilation, FFT plans) | {t_warm:.2f} |")
    print(f"| `model.precompute(X)`: transform of the {args.N} inputs | {t_pre:.3f} (peak traced {mem_pre / mib:.0f} MiB) |")
    print(f"| baseline setup: Cayley table | {t_base_setup:.2f} |")
    print(f"| agreement check (small groups, before timing) | {t_check:.2f} |")
    if real_row is not None:
        print(f"| real path setup: index matrix `K` | {real_row[3]:.2f} |")
    print()
    print(f"Process peak RSS: {rss_ours:,.0f} MiB after our runs, {rss_base:,.0f} MiB after the baseline. "
          f"Baseline mean chunk {np.mean(chunk_times):.3f} s ({len(chunk_times)} chunks of {args.chunk}).")
    print()
    print("Agreement of the reference unfolding with ours (layer outputs and gradients, checked before timing):")
    print()
    for line in agreement:
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
