"""Training throughput on the 28 x 28 digits (``digits_1_vs_5`` full mode) against the seeds' unfolding; prints markdown.

Setting: the data of ``python -m training run digits_1_vs_5`` (full mode): scikit-learn's digits 1
and 5, ``--n-per-class`` of each (default 50), upsampled to 28 x 28 and lifted to functions on
``G = torus_p4m(28) = (C28 x C28) : D4`` (|G| = 6272), unit RMS norm. One gradient
step on the exponential loss (mean) of a linear G-CNN of depth 3 (and 2): forward pass,
loss derivative, backward pass, update.

Compared:

* **ours**: :class:`training.models.GCNN` (Fourier path) with the data transform cached by
  ``precompute`` (as :func:`training.fit` does), on all N images, and through ``training.fit``;
* **the seeds' unfolding** (Lawrence, Georgiev, Dienes, Kiani, "Implicit bias of linear
  equivariant networks", ICML 2022, reference code): the layer input is unfolded with the Cayley
  table, ``U[n, g, h] = x[n, cayley[g, h]]`` (``|G|^2`` float64 numbers, 315 MB per input), then
  ``U @ w``; rebuilt in :class:`bench_gcnn.Unfolding`. Their code unfolds the whole batch at once, so
  it runs here at the largest N whose unfoldings fit in ``--mem-gb`` (the gather, its gradient and
  the scatter indices take about 3 unfoldings per input), on the first N images of the same data;
  its step time for all N images is that of ``ceil(N / N_fit)`` such batches (measured on one
  batch, **scaled**). Its gradients are checked against ours.

Usage::

    python benchmarks/bench_digits28.py              # a few minutes; peak RSS about --mem-gb + 1.5 GB
    python benchmarks/bench_digits28.py --tiny       # 12 x 12 images (|G| = 1152): a smoke test
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import grouptools as gt  # noqa: E402
from bench_gcnn import LOSS, Unfolding, model_step, rel_err, rss_mib  # noqa: E402
from grouptools.fourier import lift_image  # noqa: E402
from training import Record, fit  # noqa: E402
from training.experiments._data import unit_rms  # noqa: E402
from training.experiments.digits_1_vs_5 import load_digits_1_vs_5, upsample_digits  # noqa: E402
from training.models import GCNN  # noqa: E402


def data(size: int, n_per_class: int) -> tuple[gt.FiniteGroup, np.ndarray, np.ndarray]:
    """The lifted stand-in digits of the full mode (as ``digits_1_vs_5.run``)."""
    imgs, y = load_digits_1_vs_5(n_per_class, seed=0)
    imgs = upsample_digits(imgs, size)
    G = gt.torus_p4m(size)
    XI = unit_rms(imgs.reshape(len(y), size * size))
    return G, np.ascontiguousarray(lift_image(G, XI) / np.sqrt(8)), y


def ours_rate(model: GCNN, X: np.ndarray, y: np.ndarray, steps: int, lr: float, with_fit: bool = True) -> tuple[float, float]:
    """(median seconds per step with the cached transform, steps/s through training.fit)."""
    m = model.copy()
    m.precompute(X)
    for _ in range(3):
        model_step(m, X, y, 1e-6)  # plain steps, tiny rate: the timing does not depend on it
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        model_step(m, X, y, 1e-6)
        times.append(time.perf_counter() - t)
    # training.fit as the experiment runs it: normalized gradient descent (a step that does not diverge here)
    if not with_fit:  # the step time alone (the fit's rate is measured on the whole data)
        return float(np.median(times)), float('nan')
    res = fit(model.copy(), X, y, steps=steps, lr=lr / 20, normalized=True, record=Record(points=3), progress=False)
    return float(np.median(times)), res.steps / res.elapsed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=28, help="image side (torus_p4m(size), order 8 size^2)")
    ap.add_argument("--n-per-class", type=int, default=50, help="images of each digit")
    ap.add_argument("--steps", type=int, default=200, help="timed steps of ours")
    ap.add_argument("--mem-gb", type=float, default=3.0, help="memory budget of the unfolding batch")
    ap.add_argument("--base-steps", type=int, default=2, help="timed steps of the unfolding")
    ap.add_argument("--tiny", action="store_true", help="12 x 12 images, 20 steps")
    args = ap.parse_args()
    if args.tiny:
        args.size, args.steps, args.n_per_class = 12, 20, 10
    lr = 0.05
    G, X, y = data(args.size, args.n_per_class)
    n, N = int(G.order), len(y)
    per_input = 3 * 8 * n * n
    n_fit = max(1, min(N, int(args.mem_gb * 2**30 // per_input)))
    rows = []
    for depth in (3, 2):
        model = GCNN(G, depth, init_scale=0.5, seed=1)
        t_ours, fit_rate = ours_rate(model, X, y, args.steps, lr)
        t_ours_fit, _ = ours_rate(model, np.ascontiguousarray(X[:n_fit]), y[:n_fit], args.steps, lr, with_fit=False)
        # the seeds' unfolding on the first n_fit images, all unfolded at once
        base = Unfolding(G)
        params = [p.copy() for p in model.params]
        Xb, yb = np.ascontiguousarray(X[:n_fit]), y[:n_fit]
        g = LOSS(model.forward(Xb), yb, "mean").grad
        base.chunk(params, Xb, g)  # warm-up: scatter indices
        times = []
        for _ in range(args.base_steps):
            t = time.perf_counter()
            grads = base.chunk(params, Xb, g)
            times.append(time.perf_counter() - t)
        err = max(rel_err(a, b) for a, b in zip(grads, model.grad(Xb, g)))
        t_base = float(np.median(times))
        del base
        rows.append((depth, t_ours, fit_rate, t_ours_fit, t_base, err))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    batches = math.ceil(N / n_fit)
    print(f"`torus_p4m({args.size})`, |G| = {n}; the full mode's data: N = {N} lifted {args.size} x {args.size} "
          f"stand-in digits; exponential loss; {os.cpu_count()} cores, load average {load:.1f} at the end. "
          f"Unfolding batch: N_fit = {n_fit} inputs ({per_input * n_fit / 2**30:.1f} GB of the budget of "
          f"{args.mem_gb:g} GB; all {N} at once would need {per_input * N / 2**30:.0f} GB). "
          f"Peak RSS of the benchmark: {rss_mib():.0f} MiB.\n")
    print("| depth | ours, N = %d: s / step | steps / s | ours via `fit` | ours, N = %d | unfolding, N = %d | "
          "unfolding, N = %d (scaled x %d) | ours faster | gradient rel. diff. |" % (N, n_fit, n_fit, N, batches))
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for depth, t_ours, fit_rate, t_fit, t_base, err in rows:
        print(f"| {depth} | {t_ours * 1e3:.2f} ms | {1 / t_ours:.0f} | {fit_rate:.0f} / s | {t_fit * 1e3:.2f} ms | "
              f"{t_base:.2f} s | {t_base * batches:.1f} s | {t_base * batches / t_ours:.0f}x | {err:.1e} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
