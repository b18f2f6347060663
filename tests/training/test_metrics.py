"""Tests of training.metrics against explicit sums, numpy's SVD and DFT matrix, and identities.

Irreps are built here by hand (characters of C_n, rotation/reflection matrices of D_4); expected
values come from explicit Fourier sums, Plancherel's identity, and the Meshulam / Donoho-Stark
uncertainty principles (with equality for subgroup indicators).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training import NotSeparatedError, ParameterError, ShapeError
from training.bias import max_margin
from training.metrics import (
    cosine,
    dft_lp_norm,
    dft_support,
    fourier_blocks,
    fourier_rank,
    fourier_ranks,
    lp_norm,
    min_margin,
    normalize_margin,
    objective_ratio,
    schatten_norms,
    support,
    weighted_schatten_norm,
)


def d8_irreps() -> list[np.ndarray]:
    """Irreps of the dihedral group of order 8, element a + 4 b = r^a s^b."""
    a = np.tile(np.arange(4), 2)
    b = np.repeat([0, 1], 4)
    one = [np.ones(8), (-1.0) ** b, (-1.0) ** a, (-1.0) ** (a + b)]
    th = np.pi * a / 2
    R = np.stack([np.stack([np.cos(th), -np.sin(th)], -1), np.stack([np.sin(th), np.cos(th)], -1)], -2)
    F = np.where(b[:, None, None] == 1, np.diag([1.0, -1.0])[None], np.eye(2)[None])
    return [v.reshape(8, 1, 1).astype(complex) for v in one] + [(R @ F).astype(complex)]


D8 = d8_irreps()
FAKE_GROUP = SimpleNamespace(order=8, irreps=lambda: tuple(SimpleNamespace(dim=m.shape[1], matrices=m) for m in D8))


def explicit_blocks(beta: np.ndarray) -> list[np.ndarray]:
    return [sum(beta[g] * rho[g] for g in range(8)) for rho in D8]


vectors8 = st.lists(st.floats(-10, 10, allow_nan=False), min_size=8, max_size=8).map(np.array)


# -- directions and margins -------------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), c=st.floats(0.01, 100))
def test_cosine_properties(seed: int, c: float) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(5), rng.standard_normal(5)
    Q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    assert cosine(a, c * a) == pytest.approx(1.0)
    assert cosine(a, -c * a) == pytest.approx(-1.0)
    assert cosine(a, b) == pytest.approx(cosine(b, a))
    assert cosine(Q @ a, Q @ b) == pytest.approx(cosine(a, b), abs=1e-12)
    assert -1.0 <= cosine(a, b) <= 1.0
    assert cosine(np.array([1.0, 0.0]), np.array([1.0, np.sqrt(3.0)])) == pytest.approx(0.5)


def test_margins() -> None:
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 1.0]])
    y = np.array([1.0, -1.0, 1.0])
    beta = np.array([-1.0, 2.0])
    assert min_margin(beta, X, y) == pytest.approx(min(3.0, 5.0, 2.0))
    nb = normalize_margin(beta, X, y)
    np.testing.assert_allclose(nb, beta / 2.0)
    assert min_margin(nb, X, y) == pytest.approx(1.0)
    with pytest.raises(NotSeparatedError):
        normalize_margin(-beta, X, y)


def test_objective_ratio() -> None:
    rng = np.random.default_rng(3)
    X = rng.standard_normal((4, 6))
    y = np.sign(X @ rng.standard_normal(6))
    star = max_margin(X, y, "lp", depth=2).beta
    assert objective_ratio(star, star, X, y, "lp", depth=2) == pytest.approx(1.0)
    b = star + 0.3 * rng.standard_normal(6)
    if min_margin(b, X, y) > 0:
        # explicit: l1 norms at margin 1
        expected = np.abs(b / min_margin(b, X, y)).sum() / np.abs(star).sum()
        assert objective_ratio(7.0 * b, star, X, y, "lp", depth=2) == pytest.approx(expected)
        assert objective_ratio(b, 0.1 * star, X, y, "lp", depth=2) >= 1.0
    svm = max_margin(X, y, "l2").beta
    assert objective_ratio(star, svm, X, y, "l2", depth=1) == pytest.approx(np.sum(star**2) / np.sum(svm**2))
    assert objective_ratio(star, svm, X, y, "l2", depth=1) >= 1.0


# -- norms ---------------------------------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(beta=vectors8, p=st.sampled_from([0.5, 2 / 3, 1.0, 2.0, 3.0]))
def test_lp_and_dft_norms(beta: np.ndarray, p: float) -> None:
    assert lp_norm(beta, p) == pytest.approx(np.sum(np.abs(beta) ** p) ** (1 / p), abs=1e-12)
    F = np.exp(-2j * np.pi * np.outer(np.arange(8), np.arange(8)) / 8)
    # for p < 1 a frequency that vanishes exactly contributes its round-off (1e-16)^p, so compare loosely
    tol = 1e-9 if p >= 1 else 1e-5
    assert dft_lp_norm(beta, p) == pytest.approx(np.sum(np.abs(F @ beta) ** p) ** (1 / p), rel=tol, abs=tol)
    assert lp_norm(beta, np.inf) == pytest.approx(np.max(np.abs(beta)))


@settings(max_examples=30, deadline=None)
@given(beta=vectors8, p=st.sampled_from([2 / 3, 1.0, 2.0]))
def test_schatten_norms_against_explicit_blocks(beta: np.ndarray, p: float) -> None:
    blocks = explicit_blocks(beta)
    for got, M in zip(fourier_blocks(beta, D8), blocks):
        np.testing.assert_allclose(got, M, atol=1e-9)
    expected = np.array([np.sum(np.linalg.svd(M, compute_uv=False) ** p) ** (1 / p) for M in blocks])
    np.testing.assert_allclose(schatten_norms(beta, D8, p), expected, rtol=1e-9, atol=1e-9)
    dims = np.array([1, 1, 1, 1, 2])
    total = np.sum(dims * expected**p) ** (1 / p)
    assert weighted_schatten_norm(beta, FAKE_GROUP, p) == pytest.approx(total, rel=1e-9, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(beta=vectors8)
def test_plancherel(beta: np.ndarray) -> None:
    # sum_rho d_rho ||beta_hat(rho)||_F^2 = |G| ||beta||^2
    assert weighted_schatten_norm(beta, D8, 2) ** 2 == pytest.approx(8 * beta @ beta, rel=1e-9, abs=1e-9)


# -- ranks, supports, uncertainty -------------------------------------------------------------------------------------
def test_subgroup_indicators_attain_meshulam_equality() -> None:
    rotations = np.array([1.0, 1, 1, 1, 0, 0, 0, 0])  # the cyclic subgroup <r>
    np.testing.assert_array_equal(fourier_ranks(rotations, D8), [1, 1, 0, 0, 0])
    assert fourier_rank(rotations, D8) * support(rotations).size == 8
    reflection = np.zeros(8)
    reflection[[0, 4]] = 1.0  # the subgroup {1, s}
    np.testing.assert_array_equal(fourier_ranks(reflection, D8), [1, 0, 1, 0, 1])
    assert fourier_rank(reflection, D8) == 1 + 1 + 2 * 1
    assert fourier_rank(reflection, D8) * support(reflection).size == 8
    comb = np.zeros(12)
    comb[::3] = 1.0  # subgroup of Z_12 of order 4: dual comb of 3 frequencies
    np.testing.assert_array_equal(dft_support(comb), [0, 4, 8])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), k=st.integers(1, 8))
def test_uncertainty_principles(seed: int, k: int) -> None:
    rng = np.random.default_rng(seed)
    f = np.zeros(8)
    f[rng.choice(8, k, replace=False)] = rng.standard_normal(k)
    assert support(f).size * fourier_rank(f, D8) >= 8  # Meshulam
    assert support(f).size * dft_support(f).size >= 8  # Donoho-Stark


def test_rank_tolerance() -> None:
    beta = explicit_inverse([np.array([[2.0]]), np.array([[0.0]]), np.array([[0.0]]), np.array([[0.0]]),
                             np.diag([1.0, 1e-4])])
    np.testing.assert_array_equal(fourier_ranks(beta, D8), [1, 0, 0, 0, 2])
    np.testing.assert_array_equal(fourier_ranks(beta, D8, rtol=1e-3), [1, 0, 0, 0, 1])
    assert fourier_rank(beta, D8, rtol=1e-3) == 3
    np.testing.assert_array_equal(support(np.array([1.0, 1e-3, 0.0]), rtol=1e-2), [0])


def explicit_inverse(blocks: list[np.ndarray]) -> np.ndarray:
    """f(g) = (1/|G|) sum_rho d_rho tr(rho(g)^H f_hat(rho))."""
    return np.real(sum(rho.shape[1] * np.einsum("gji,ji->g", rho.conj(), B) for rho, B in zip(D8, blocks))) / 8


def test_errors() -> None:
    with pytest.raises(ParameterError):
        cosine(np.zeros(3), np.ones(3))
    with pytest.raises(ShapeError):
        cosine(np.ones(3), np.ones(4))
    with pytest.raises(ParameterError):
        lp_norm(np.ones(3), -1)
    with pytest.raises(ParameterError):
        fourier_ranks(np.ones(8), D8, rtol=2.0)
    with pytest.raises(ShapeError):
        schatten_norms(np.ones(7), D8, 1)


def test_with_grouptools_irreps() -> None:
    grouptools = pytest.importorskip("grouptools")
    G = grouptools.dihedral(4)
    if not hasattr(G, "irreps"):
        pytest.skip("grouptools irreps are not available yet")
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(8), rng.standard_normal(8)
    T = np.asarray(G.cayley_table)
    conv = np.zeros(8)
    np.add.at(conv, T.ravel(), np.outer(a, b).ravel())  # (a * b)(u) = sum_{st = u} a(s) b(t)
    for A, B, C in zip(fourier_blocks(a, G), fourier_blocks(b, G), fourier_blocks(conv, G)):
        np.testing.assert_allclose(A @ B, C, atol=1e-9)  # convolution theorem
    assert weighted_schatten_norm(a, G, 2) ** 2 == pytest.approx(8 * a @ a)
    assert sorted(int(r.dim) for r in G.irreps()) == [1, 1, 1, 1, 2]
