"""The theorems end to end: train, measure the objective ratio to the predicted optimum along the
run, polish, and certify (issue 5's acceptance tests).

Predictions are solved independently of training (``training.bias.max_margin``: cvxpy/Clarabel
for L = 2, a local stationary-point search for L = 3); the certificate is the KKT
residual in predictor space.
"""

from __future__ import annotations

import numpy as np
import pytest

import grouptools as gt
import training
from training import bias, metrics


def _data(D: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, D))
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    return X, y


CASES_L2 = [
    ("diagonal", lambda D, G: training.Diagonal(D, depth=2, init_scale=0.5, seed=3), "lp", None),
    ("cnn", lambda D, G: training.CircularCNN(D, depth=2, init_scale=0.5, seed=3), "dft", None),
    ("gcnn-D8", lambda D, G: training.GCNN(G, depth=2, init_scale=0.5, seed=3), "schatten", gt.dihedral(4)),
    ("gcnn-200-44", lambda D, G: training.GCNN(G, depth=2, init_scale=0.5, seed=3), "schatten",
     gt.smallgroup_200_44()),
]


@pytest.mark.parametrize("label,make,kind,G", CASES_L2, ids=[c[0] for c in CASES_L2])
def test_depth2_ratio_falls_and_polished_point_is_optimal(label, make, kind, G):
    D = G.order if G is not None else 8
    X, y = _data(D, 4, seed=11)
    kw = {"depth": 2, "group": G}
    star = bias.max_margin(X, y, kind, **kw)
    assert star.kkt_residual < 1e-6
    model = make(D, G)
    ratios = []
    for steps in (200, 2000, 8000):
        model = training.fit(model, X, y, steps=steps, lr=0.1, normalized=True, progress=False).model
        ratios.append(metrics.objective_ratio(model.linearization(), star.beta, X, y, kind, **kw))
    assert ratios[-1] < ratios[0], ratios          # the raw ratio falls along the run
    assert ratios[-1] >= 1 - 1e-9                  # and never beats the convex optimum
    polished = training.polish(model, X, y)
    ratio = metrics.objective_ratio(polished.beta, star.beta, X, y, kind, **kw)
    assert ratio < 1.01, (ratios, ratio)
    assert metrics.cosine(polished.beta, star.beta) > 0.99


@pytest.mark.parametrize("G", [gt.dihedral(4), gt.smallgroup_200_44()], ids=["D8", "200-44"])
def test_depth3_polished_point_is_certified(G):
    X, y = _data(G.order, 4, seed=5)
    model = training.GCNN(G, depth=3, init_scale=0.7, seed=2)
    model = training.fit(model, X, y, steps=3000, lr=0.1, normalized=True, progress=False).model
    polished = training.polish(model, X, y)
    cert = bias.predictor_kkt_residual(polished.beta, X, y, "schatten", depth=3, group=G)
    assert cert.residual < 1e-3
    # the raw iterate is not yet a certified point (asymptotic convergence)
    raw = bias.predictor_kkt_residual(model.linearization(), X, y, "schatten", depth=3, group=G)
    assert raw.residual > cert.residual
