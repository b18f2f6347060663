"""Benchmark: the depth-2 representation cost and its max-margin problem (issue 14 targets).

Run ``python benchmarks/bench_repcost.py`` (``--repeat R``). For ``GCNN(G, 2, channels=4,
support=S)`` with ``S`` the identity, the rotations ``r, r^-1`` and the reflection ``s`` (a local
filter of 4 elements) on the dihedral groups of order 16 (``gt.dihedral(8)``, a 16-dimensional
predictor) and order 64 (``gt.dihedral(32)``, a 64-dimensional predictor):

* ``representation_cost(model, beta)`` of a random predictor (the semidefinite program of
  :mod:`training.bias`; target < 2 s);
* ``max_margin(X, y, regulariser="representation_cost", model=model)`` on ``|G| / 2`` Gaussian
  points with random labels (separable: fewer points than dimensions; target < 10 s).

Best of ``--repeat`` runs after one warm-up (cvxpy's import and first compilation excluded; the
warm-up time is printed too). BLAS limited to one thread.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

import grouptools as gt  # noqa: E402
from benchmarks._timing import best  # noqa: E402
from training.bias import max_margin, representation_cost  # noqa: E402
from training.models import GCNN  # noqa: E402


def case(n: int, repeat: int) -> str:
    G = gt.dihedral(n)
    r, s = (int(g) for g in G.generators[:2])
    support = sorted({0, r, int(G.inverse[r]), s})
    model = GCNN(G, 2, channels=4, support=support, seed=0)
    rng = np.random.default_rng(0)
    beta = rng.standard_normal(G.order)
    N = G.order // 2
    X = rng.standard_normal((N, G.order))
    y = np.where(rng.standard_normal(N) > 0, 1.0, -1.0)
    t = time.perf_counter()
    rc = representation_cost(model, beta)
    cold = time.perf_counter() - t
    t_cost = best(lambda: representation_cost(model, beta), repeat)
    mm = max_margin(X, y, regulariser="representation_cost", model=model)
    t_mm = best(lambda: max_margin(X, y, regulariser="representation_cost", model=model), repeat)
    return (f"| dihedral({n}) | {G.order} | {len(support)} | 4 | {t_cost:.3f} s | {t_mm:.3f} s ({N} points) | {cold:.2f} s | "
            f"{rc.value:.4f} (rank {rc.rank}) | {float(np.min(y * (X @ mm.beta))):.6f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    print("| group | order = predictor dim | support | K | representation cost | max-margin "
          "| first call (cvxpy import) | R(beta) | min margin |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for n in (8, 32):
        print(case(n, args.repeat), flush=True)


if __name__ == "__main__":
    main()
