"""The 28 x 28 path of digits_1_vs_5: the upsampled stand-in, the block-structured Schatten solver and
the augmented-Lagrangian polish (checked against the dense solvers on problems small enough for both)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import grouptools as gt
from training import bias, fit
from training._errors import ParameterError
from training.experiments import digits_1_vs_5 as digits
from training.experiments._large_schatten import balanced_gcnn, lean_operator, schatten_problem
from training.models import GCNN
from training.polish import polish


def bilinear_reference(img: np.ndarray, size: int) -> np.ndarray:
    """Corner-aligned bilinear interpolation written out: output pixel i sits at i (h-1)/(size-1)."""
    h = img.shape[0]
    t = np.arange(size) * (h - 1) / (size - 1)
    rows = np.stack([np.interp(t, np.arange(h), img[:, j]) for j in range(h)], axis=1)  # (size, h)
    return np.stack([np.interp(t, np.arange(h), rows[i]) for i in range(size)])


def test_upsampling_is_corner_aligned_bilinear_then_seed_normalization():
    imgs, _ = digits.load_digits_1_vs_5(3, seed=1)
    out = digits.upsample_digits(imgs, 28)
    assert out.shape == (6, 28, 28)
    for img, up in zip(imgs, out):
        assert np.allclose(up * 0.3081 + 0.1307, bilinear_reference(img, 28), atol=1e-12)
    assert np.array_equal(out, digits.upsample_digits(imgs, 28))  # deterministic
    assert np.allclose(digits.upsample_digits(np.zeros((1, 8, 8)), 14), -0.1307 / 0.3081)
    assert np.allclose(digits.upsample_digits(np.ones((2, 8, 8)), 28), (1 - 0.1307) / 0.3081)


@pytest.mark.parametrize("images, size", [(np.zeros((2, 8, 9)), 28), (np.zeros((2, 8, 8)), 7),
                                          (np.zeros((2, 8, 8)), 65), (np.zeros((2, 8, 8)), True),
                                          (np.zeros((8, 8)), 28)])
def test_upsampling_rejects_bad_input(images, size):
    with pytest.raises(ParameterError):
        digits.upsample_digits(images, size)


def test_config_checks_image_size():
    with pytest.raises(ParameterError, match="image_size"):
        digits.Config(image_size=7)
    assert digits.FULL.image_size == 28 and digits.FULL.n_per_class == 50 and digits.FULL.depths == (3, 2)


def test_lean_operator_equals_the_dense_one():
    G = gt.torus_p4m(4)
    lean, dense = lean_operator(G), bias.fourier_operator(G)
    b = np.random.default_rng(0).standard_normal(G.order)
    assert np.array_equal(lean.dims, dense.dims)
    for M, N in zip(lean.forward(b), dense.forward(b)):
        assert np.allclose(M, N, atol=1e-12)


def test_balanced_gcnn_factors_the_predictor():
    G = gt.dihedral(5)
    op = lean_operator(G)
    b = np.random.default_rng(3).standard_normal(G.order)
    for L in (2, 3):
        m = balanced_gcnn(G, op, b, L)
        assert np.allclose(m.linearization(), b, atol=1e-12)
        assert np.isclose(m.param_norm_sq(), L / G.order * bias.objective(b, "schatten", depth=L, group=op))


def _data(G, N=12, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N, G.order)), np.where(np.arange(N) % 2 == 0, 1.0, -1.0)


@pytest.mark.parametrize("G", [gt.dihedral(6), gt.torus_p4m(4)], ids=["D6", "p4m(4)"])
def test_block_schatten_solver_agrees_with_the_dense_one(G):
    X, y = _data(G)
    op = lean_operator(G)
    for L in (2, 3):
        mine = schatten_problem(X, y, L, G, op).optimum
        ref = bias.max_margin(X, y, "schatten", depth=L, group=G, starts=4)
        if L == 2:  # convex: the same optimum
            assert mine.status == ref.status == "optimal"
            assert abs(mine.objective / ref.objective - 1) < 1e-8
        else:  # a stationary point at least as good as the dense solver's best
            assert mine.status == "stationary" and mine.objective <= ref.objective * (1 + 1e-8)
        assert np.isclose(float(np.min(y * (X @ mine.beta))), 1.0)


@pytest.mark.parametrize("L", [2, 3])
def test_augmented_lagrangian_polish_agrees_with_slsqp(L):
    G = gt.dihedral(6)
    X, y = _data(G, N=10)
    trained = fit(GCNN(G, L, init_scale=0.5, seed=1), X, y, "exp", steps=2000, lr=0.05, normalized=True).model
    dense = polish(trained, X, y, method="slsqp")
    scal = polish(trained, X, y, method="augmented-lagrangian")
    assert dense.success and scal.success and scal.method == "augmented-lagrangian"
    assert scal.kkt_residual <= 1e-6 and scal.max_violation <= 1e-9
    assert abs(scal.objective / dense.objective - 1) < 1e-7
    assert np.allclose(scal.beta, dense.beta, atol=1e-5 * np.linalg.norm(dense.beta))


def test_large_models_use_the_augmented_lagrangian(monkeypatch):
    import sys

    tp = sys.modules["training.polish"]  # the package face exports the function polish under that name

    G = gt.dihedral(4)
    X, y = _data(G, N=6)
    trained = fit(GCNN(G, 2, init_scale=0.5, seed=2), X, y, "exp", steps=1000, lr=0.05, normalized=True).model
    monkeypatch.setattr(tp, "LARGE_PARAMS", 10)
    r = polish(trained, X, y, method="trust-constr")
    assert r.method == "augmented-lagrangian" and r.success


def test_tiny_run_of_the_block_structured_path(monkeypatch):
    """TINY28's path (upsampled stand-in, lean operator, block Schatten solver, augmented-Lagrangian
    polish) at a small order: 12 x 12 images, |G| = 1152, forced onto the large-order solvers."""
    import sys

    monkeypatch.setattr(digits, "LARGE_ORDER", 100)
    monkeypatch.setattr(sys.modules["training.polish"], "LARGE_PARAMS", 1000)
    cfg = replace(digits.TINY28, image_size=12, train=replace(digits.TINY28.train, steps=300))
    out = digits.run(cfg)
    assert out["group"]["order"] == 1152 and "upsampled to 12x12" in out["source"]
    runs = out["runs"]["L=2"]
    assert set(runs) == {"G-CNN", "CNN", "FC"}
    g = runs["G-CNN"]
    assert g["polish"]["method"] == "augmented-lagrangian" and runs["FC"]["polish"]["method"] == "trust-constr"
    assert g["polished"]["ratio"] <= 1 + 1e-6 and g["polished"]["kkt"] <= 1e-6
    assert len(g["history"]["ratio:schatten"]) == len(g["history"]["step"]) >= 2


@pytest.mark.slow
def test_tiny28_runs_at_order_6272():
    out = digits.run(digits.TINY28)
    assert out["group"]["order"] == 6272 and sorted(out["group"]["irrep_dims"].tolist()).count(8) == 78
    g = out["runs"]["L=2"]["G-CNN"]
    assert g["polish"]["method"] == "augmented-lagrangian" and g["polish"]["success"]
    assert g["polished"]["ratio"] <= 1.001
