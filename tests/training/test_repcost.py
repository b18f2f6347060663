"""Tests of the representation cost (training.bias._repcost) and its max-margin problem.

Closed forms are computed here from their definitions (numpy norms, the group Fourier transform of
grouptools), not with the code under test, and compared with the semidefinite program.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
import training
from training._errors import NotSeparatedError, ParameterError, ParameterTypeError, ShapeError
from training.bias import max_margin, representation_cost, representation_cost_max_margin
from training.models import GCNN, CircularCNN, Diagonal, FullyConnected

FAST = settings(max_examples=8, deadline=None, database=None)
GROUPS = {"D3": gt.dihedral(3), "D4": gt.dihedral(4), "C6": gt.cyclic(6), "Q8": gt.dicyclic(2)}


def schatten_cost(G, beta):
    """``(2/|G|) sum_rho d_rho ||beta_hat(rho)||_*`` with ``beta_hat(rho) = sum_g beta(g) rho(g)``."""
    total = 0.0
    for block in gt.fourier.transform(G, beta):
        M = np.atleast_2d(np.asarray(block))
        total += M.shape[0] * np.linalg.svd(M, compute_uv=False).sum()
    return 2.0 * total / G.order


def vecs(n_min=2, n_max=6):
    return st.integers(n_min, n_max).flatmap(
        lambda n: st.lists(st.floats(-3, 3, allow_nan=False), min_size=n, max_size=n).filter(
            lambda v: np.linalg.norm(v) > 0.1))


# -- closed forms against the SDP ------------------------------------------------------------------
@FAST
@given(vecs(), st.integers(1, 4))
def test_fully_connected_is_twice_the_l2_norm(beta, width):
    beta = np.array(beta)
    r = representation_cost(FullyConnected(beta.size, widths=width, depth=2), beta)
    assert r.exact and r.rank == 1
    assert r.value == pytest.approx(2 * np.linalg.norm(beta), rel=1e-6)


@FAST
@given(vecs())
def test_diagonal_is_twice_the_l1_norm(beta):
    beta = np.array(beta)
    r = representation_cost(Diagonal(beta.size, depth=2), beta)
    assert r.exact
    assert r.value == pytest.approx(2 * np.abs(beta).sum(), rel=1e-6)
    # the minimizing parameters represent beta with that norm
    m = Diagonal(beta.size, 2).with_params(r.params)
    np.testing.assert_allclose(m.linearization(), beta, atol=1e-7)
    assert m.param_norm_sq() == pytest.approx(r.value, rel=1e-6)


@FAST
@given(st.sampled_from(sorted(GROUPS)), st.integers(1, 3), st.integers(0, 10**6))
def test_full_width_gcnn_is_the_schatten_cost_for_any_channels(name, K, seed):
    G = GROUPS[name]
    beta = np.random.default_rng(seed).standard_normal(G.order)
    r = representation_cost(GCNN(G, 2, channels=K, seed=seed), beta)
    expected = schatten_cost(G, beta)
    assert r.lower_bound == pytest.approx(expected, rel=1e-6)
    assert r.exact and r.value == pytest.approx(expected, rel=1e-6)
    m = GCNN(G, 2, channels=K).with_params(r.params)
    np.testing.assert_allclose(m.linearization(), beta, atol=1e-6)


@FAST
@given(st.integers(3, 8), st.integers(0, 10**6))
def test_circular_cnn_is_the_l1_norm_of_the_dft(D, seed):
    beta = np.random.default_rng(seed).standard_normal(D)
    r = representation_cost(CircularCNN(D, 2), beta)
    assert r.value == pytest.approx(2.0 / D * np.abs(np.fft.fft(beta)).sum(), rel=1e-6)


def test_local_filters_cost_at_least_the_full_width_cost():
    G = gt.dihedral(4)
    beta = np.random.default_rng(3).standard_normal(8)
    full = schatten_cost(G, beta)
    values = [representation_cost(GCNN(G, 2, channels=K, support=[0, 1, 4]), beta).lower_bound for K in (1, 2, 4)]
    assert all(v >= full * (1 - 1e-7) for v in values)
    assert values[0] == pytest.approx(values[1], rel=1e-9) == values[2]  # the SDP bound does not depend on K


# -- R(beta(w)) <= ||w||^2, equality at polished points ---------------------------------------------
@FAST
@given(st.integers(0, 10**6))
def test_cost_is_at_most_the_parameter_norm(seed):
    G = gt.dihedral(3)
    for m in (GCNN(G, 2, channels=2, support=[0, 1, 3], seed=seed), GCNN(G, 2, seed=seed),
              FullyConnected(4, widths=3, depth=2, seed=seed), Diagonal(4, depth=2, seed=seed)):
        r = representation_cost(m, m.linearization())
        assert r.value <= m.param_norm_sq() * (1 + 1e-7)
        assert r.lower_bound <= m.param_norm_sq() * (1 + 1e-7)


def test_depth_three_uses_the_factored_problem():
    beta = np.array([3.0, -1.0, 2.0])
    m = FullyConnected(3, widths=3, depth=3, seed=0)
    r = representation_cost(m, beta, starts=3)
    assert r.method == "factored" and not r.exact and np.isnan(r.lower_bound)
    # min sum ||W_l||^2 s.t. W_1 W_2 W_3 = beta is L ||beta||^(2/L) (balanced rank-one layers, AM-GM)
    assert r.value == pytest.approx(3 * np.linalg.norm(beta) ** (2 / 3), rel=1e-5)
    assert r.kkt_residual <= 1e-6
    own = representation_cost(m, m.linearization(), starts=1)
    assert own.value <= m.param_norm_sq() * (1 + 1e-9)
    g = GCNN(gt.dihedral(3), 3, channels=2, support=[0, 1, 3], seed=2)
    own = representation_cost(g, g.linearization(), starts=1)
    assert own.method == "factored" and own.value <= g.param_norm_sq() * (1 + 1e-9)
    np.testing.assert_allclose(g.with_params(own.params).linearization(), g.linearization(), atol=1e-7)


def test_equality_at_polished_points():
    rng = np.random.default_rng(1)
    G = gt.dihedral(4)
    X = rng.standard_normal((12, 8))
    y = np.sign(X @ rng.standard_normal(8))
    for m in (GCNN(G, 2, channels=2, support=[0, 1, 4], seed=0, init_scale=0.5), Diagonal(8, 2, seed=0, init_scale=0.5)):
        res = training.fit(m, X, y, steps=2000, lr=0.05, progress=False)
        pol = training.polish(res.model, X, y)
        assert pol.success
        r = representation_cost(pol.model, pol.model.linearization())
        assert r.value <= pol.model.param_norm_sq() * (1 + 1e-7)
        assert r.value == pytest.approx(pol.model.param_norm_sq(), rel=1e-5)


# -- the max-margin problem ------------------------------------------------------------------------
def _data(n, N, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, n))
    return X, np.sign(X @ rng.standard_normal(n))


def _check_margin_kkt(r, X, y):
    m = y * (X @ r.beta)
    assert m.min() == pytest.approx(1.0, abs=1e-8)
    assert np.all(r.multipliers >= 0)
    assert np.all(r.multipliers[m > 1 + 1e-5] == 0)  # complementary slackness
    assert r.kkt_residual <= 1e-6 and r.normal_norm <= 1 + 1e-6


@FAST
@given(st.integers(0, 10**6))
def test_max_margin_matches_the_closed_forms(seed):
    X, y = _data(6, 8, seed)
    svm = max_margin(X, y, "l2")  # FC: min 2||beta||_2 has the SVM solution
    r = representation_cost_max_margin(FullyConnected(6, widths=2, depth=2), X, y)
    _check_margin_kkt(r, X, y)
    np.testing.assert_allclose(r.beta, svm.beta, atol=1e-6)
    assert r.objective == pytest.approx(2 * np.linalg.norm(svm.beta), rel=1e-6)
    l1 = max_margin(X, y, "lp", depth=2)  # diagonal: the l1 max-margin problem
    r = representation_cost_max_margin(Diagonal(6, 2), X, y)
    assert r.objective == pytest.approx(2 * np.abs(l1.beta).sum(), rel=1e-6)
    assert np.min(y * (X @ r.beta)) == pytest.approx(1.0, abs=1e-8)


@FAST
@given(st.sampled_from(["D3", "D4", "Q8"]), st.integers(1, 2), st.integers(0, 10**6))
def test_gcnn_max_margin_is_the_nuclear_norm_problem(name, K, seed):
    G = GROUPS[name]
    X, y = _data(G.order, 6, seed)
    ref = max_margin(X, y, "schatten", depth=2, group=G)
    r = max_margin(X, y, regulariser="representation_cost", model=GCNN(G, 2, channels=K))
    assert r.kind == "representation_cost" and r.status == "optimal" and r.convex
    assert r.objective == pytest.approx(schatten_cost(G, ref.beta), rel=1e-6)
    assert r.objective == pytest.approx(schatten_cost(G, r.beta), rel=1e-6)
    assert GCNN(G, 2, channels=K).with_params(r.params).param_norm_sq() == pytest.approx(r.objective, rel=1e-6)


def test_local_max_margin_certificate():
    G = gt.dihedral(8)
    X, y = _data(16, 20, 2)
    m = GCNN(G, 2, channels=4, support=[0, 1, 7, 8], seed=0)
    r = representation_cost_max_margin(m, X, y)
    _check_margin_kkt(r, X, y)
    assert r.exact and r.rank <= 4 and r.status == "optimal"
    net = m.with_params(r.params)
    np.testing.assert_allclose(net.linearization(), r.beta, atol=1e-7)
    assert net.param_norm_sq() == pytest.approx(r.objective, rel=1e-6)
    assert representation_cost(m, r.beta).value == pytest.approx(r.objective, rel=1e-6)


def test_deep_max_margin_is_a_local_kkt_point():
    X, y = _data(3, 5, 4)
    r = max_margin(X, y, regulariser="representation_cost", model=FullyConnected(3, widths=3, depth=3), starts=2)
    svm = max_margin(X, y, "l2")
    np.testing.assert_allclose(r.beta / np.linalg.norm(r.beta), svm.beta / np.linalg.norm(svm.beta), atol=1e-4)
    assert r.status == "stationary" and not r.convex and r.lower_bound is None


def test_errors():
    m = Diagonal(3, 2)
    with pytest.raises(ShapeError):
        representation_cost(m, np.ones(4))
    with pytest.raises(ParameterTypeError):
        representation_cost("not a model", np.ones(3))
    with pytest.raises(ParameterError):
        max_margin(np.eye(3), np.ones(3), regulariser="nuclear", model=m)
    with pytest.raises(ParameterError):
        max_margin(np.eye(3), np.ones(3), regulariser="representation_cost")
    with pytest.raises(NotSeparatedError):
        representation_cost_max_margin(m, np.array([[1.0, 0, 0], [1.0, 0, 0]]), np.array([1.0, -1.0]))
    zero = representation_cost(m, np.zeros(3))
    assert zero.value == 0.0 and zero.exact


def test_invariant_head_is_the_invariant_svm():
    from training.models._steerable import SteerableNet

    G = gt.dihedral(4)
    R = G.regular_representation()
    P = sum(np.asarray(R(g)).real for g in range(G.order)) / G.order  # projector on the fixed vectors
    m = SteerableNet(G, [R, R], head="invariant", seed=0)
    rng = np.random.default_rng(0)
    beta = P @ rng.standard_normal(8)
    r = representation_cost(m, beta)
    assert r.exact and r.value == pytest.approx(2 * np.linalg.norm(beta), rel=1e-6)
    assert representation_cost(m, rng.standard_normal(8)).value == np.inf  # not invariant
    X = rng.standard_normal((10, 8))
    y = np.sign(X @ P @ rng.standard_normal(8))
    mm = max_margin(X, y, regulariser="representation_cost", model=m)
    svm = max_margin(X @ P.T, y, "l2")  # the SVM on the orbit-averaged data
    np.testing.assert_allclose(mm.beta, svm.beta, atol=1e-6)
    assert mm.objective == pytest.approx(2 * np.linalg.norm(svm.beta), rel=1e-6)


def test_one_local_channel_can_cost_more_than_the_sdp_bound():
    G = gt.dihedral(4)
    beta = np.random.default_rng(0).standard_normal(8)
    one = representation_cost(GCNN(G, 2, channels=1, support=[0, 1, 4]), beta, starts=6)
    assert one.rank > 1 and one.method == "sdp+factored"
    assert one.value >= one.lower_bound * (1 - 1e-9)
    assert one.kkt_residual <= 1e-6  # a stationary point of the factored problem
    net = GCNN(G, 2, channels=1, support=[0, 1, 4]).with_params(one.params)
    np.testing.assert_allclose(net.linearization(), beta, atol=1e-7)
    assert net.param_norm_sq() == pytest.approx(one.value, rel=1e-9)
    two = representation_cost(GCNN(G, 2, channels=2, support=[0, 1, 4]), beta)
    assert two.lower_bound == pytest.approx(one.lower_bound, rel=1e-9)
    assert two.exact and two.value <= one.value


def test_scs_solver_agrees_with_clarabel():
    G = gt.dihedral(4)
    beta = np.random.default_rng(5).standard_normal(8)
    m = GCNN(G, 2, channels=2, support=[0, 1, 4])
    a = representation_cost(m, beta)
    b = representation_cost(m, beta, solver="SCS")
    assert b.lower_bound == pytest.approx(a.lower_bound, rel=1e-5)
    assert representation_cost(FullyConnected(3, widths=2, depth=2), np.array([3.0, 4.0, 0.0]), solver="SCS").value == pytest.approx(10.0, rel=1e-6)


def test_size_limit_is_checked_before_solving():
    m = GCNN(gt.dihedral(8), 2, support=list(range(9)))  # p + q = 9 + 16 > 20, unsplit, no closed form
    with pytest.raises(ParameterError):
        representation_cost(m, np.ones(16), max_side=20)
    with pytest.raises(ParameterError):
        representation_cost_max_margin(m, np.eye(16), np.ones(16), max_side=20)
    with pytest.raises(ParameterError):  # the full-width G-CNN has a closed form, but the SDP is asked for
        representation_cost(GCNN(gt.dihedral(8), 2), np.ones(16), max_side=20, method="sdp")
