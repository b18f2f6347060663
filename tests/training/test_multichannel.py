"""Tests of the multi-channel, local-filter G-CNN (training.models._multichannel) and of the bilinear forms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
import training
from training._errors import ParameterError, ShapeError
from training.models import GCNN, BilinearForm, CircularCNN, Diagonal, FullyConnected, correlation_index

FAST = settings(max_examples=15, deadline=None, database=None)
GROUPS = {"D3": gt.dihedral(3), "D4": gt.dihedral(4), "C5": gt.cyclic(5), "Q8": gt.dicyclic(2)}


def fd_grad(model, X, g, eps=1e-6):
    """Central differences of w -> sum_n g_n f(x_n; w)."""
    w0 = model.flat_params()
    out = np.empty_like(w0)
    for i in range(w0.size):
        e = np.zeros_like(w0)
        e[i] = eps
        out[i] = (g @ model.with_flat_params(w0 + e).forward(X) - g @ model.with_flat_params(w0 - e).forward(X)) / (2 * eps)
    return out


@st.composite
def configs(draw):
    name = draw(st.sampled_from(sorted(GROUPS)))
    G = GROUPS[name]
    n = G.order
    support = sorted(draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=n)))
    K = draw(st.integers(1, 3))
    if K == 1 and len(support) == n:
        support = support[:-1] or [0]
    depth = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 10**6))
    return G, depth, K, support, seed


def _layer_loops(T, support, x, W):
    """``out[o, g] = sum_{i, s} W[o, i, s] x[i, g h_s]`` with loops over the Cayley table."""
    C_out, C_in, _ = W.shape
    n = T.shape[0]
    out = np.zeros((C_out, n))
    for o in range(C_out):
        for i in range(C_in):
            for s, h in enumerate(support):
                for g in range(n):
                    out[o, g] += W[o, i, s] * x[i, T[g, h]]
    return out


@FAST
@given(configs())
def test_gradient_matches_finite_differences(cfg):
    G, depth, K, support, seed = cfg
    m = GCNN(G, depth, channels=K, support=support, seed=seed)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((3, G.order))
    g = rng.standard_normal(3)
    np.testing.assert_allclose(m.flat_grad(X, g), fd_grad(m, X, g), rtol=1e-6, atol=1e-7)


@FAST
@given(configs())
def test_forward_is_linear_with_the_linearization(cfg):
    G, depth, K, support, seed = cfg
    m = GCNN(G, depth, channels=K, support=support, seed=seed)
    X = np.random.default_rng(seed + 1).standard_normal((4, G.order))
    np.testing.assert_allclose(m.forward(X), X @ m.linearization(), atol=1e-10)
    np.testing.assert_allclose(m.linearization(), m.forward(np.eye(G.order)), atol=1e-10)


@FAST
@given(configs())
def test_layers_follow_the_definition_and_left_translations(cfg):
    G, depth, K, support, seed = cfg
    m = GCNN(G, max(depth, 2), channels=K, support=support, seed=seed)
    T = np.asarray(G.cayley_table)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, G.order))
    maps = m.feature_maps(X)
    h = X[0][None]
    for W, H in zip(m.params[:-1], maps):  # each layer is the correlation of its definition
        h = _layer_loops(T, support, h, W)
        np.testing.assert_allclose(H[0], h, atol=1e-10)
    inv = np.asarray(G.inverse)
    for k in range(G.order):  # (L_k x)(g) = x(k^-1 g)
        idx = T[inv[k], :]
        for H, HL in zip(maps, m.feature_maps(X[:, idx])):
            np.testing.assert_allclose(HL, H[..., idx], atol=1e-10)


def test_one_channel_full_support_is_the_original_model():
    G = gt.dihedral(4)
    for method in ("real", "fourier"):
        a = GCNN(G, 3, seed=3, method=method)
        b = GCNN(G, 3, seed=3, method=method, channels=1, support=range(8))
        assert b.method == method and [p.shape for p in b.params] == [(8,)] * 3
        for p, q in zip(a.params, b.params):
            np.testing.assert_array_equal(p, q)


def test_shapes_and_errors():
    G = gt.dihedral(4)
    m = GCNN(G, 3, channels=2, support=[4, 0])
    assert [p.shape for p in m.params] == [(2, 1, 2), (2, 2, 2), (2, 8)]
    assert m.support.tolist() == [0, 4] and m.method == "real"
    assert [h.shape for h in m.feature_maps(np.ones((5, 8)))] == [(5, 2, 8)] * 2
    for bad in ([], [0, 0], [8], [-1], ["a"], [[0, 1]]):
        with pytest.raises(ParameterError):
            GCNN(G, 2, support=bad)
    with pytest.raises(ParameterError):
        GCNN(G, 2, channels=0)
    with pytest.raises(ParameterError):
        GCNN(G, 2, channels=2, method="fourier")
    with pytest.raises(ShapeError):
        m.forward(np.ones((2, 7)))
    with pytest.raises(ParameterError):
        m.bilinear_form()  # depth 3


def _models():
    G = gt.dihedral(3)
    return [
        FullyConnected(4, widths=3, depth=2, seed=1),
        Diagonal(4, depth=2, seed=2),
        CircularCNN(5, 2, seed=3),
        GCNN(G, 2, seed=4),
        GCNN(G, 2, channels=3, support=[0, 2, 3], seed=5),
        GCNN(gt.dicyclic(2), 2, channels=2, seed=6),
    ]


@pytest.mark.parametrize("model", _models(), ids=lambda m: type(m).__name__)
def test_bilinear_form_contract(model):
    form = model.bilinear_form()
    assert isinstance(form, BilinearForm) and form.input_dim == model.input_dim
    U, V = form.to_factors(model.params)
    assert U.shape == (form.channels, form.left_dim) and V.shape == (form.channels, form.right_dim)
    assert form.norm_sq(U, V) == pytest.approx(model.param_norm_sq(), rel=1e-12)
    # beta_i = sum_k u_k^T B_i v_k, written out with loops
    B = form.tensor
    beta = [sum(U[k] @ B[i] @ V[k] for k in range(form.channels)) for i in range(form.input_dim)]
    np.testing.assert_allclose(beta, model.linearization(), atol=1e-12)
    rng = np.random.default_rng(0)
    U2, V2 = rng.standard_normal(U.shape), rng.standard_normal(V.shape)
    m2 = model.with_params(form.from_factors(U2, V2))
    np.testing.assert_allclose(m2.linearization(), form.predictor(U2, V2), atol=1e-12)
    for a, b in zip(form.to_factors(m2.params), (U2, V2)):
        np.testing.assert_array_equal(a, b)
    # the Jacobians are those of the bilinear map (finite differences are exact for a bilinear map)
    dU, dV = form.predictor_jacobian(U, V)
    E = np.zeros_like(U)
    E[0, 0] = 1.0
    np.testing.assert_allclose(dU[:, 0, 0], form.predictor(U + E, V) - form.predictor(U, V), atol=1e-12)
    lam = rng.standard_normal(form.input_dim)
    Z = rng.standard_normal(B.shape[1:])
    assert lam @ form.apply(Z) == pytest.approx(np.sum(form.adjoint(lam) * Z), rel=1e-12)


def test_full_width_form_matches_the_index_matrix():
    G = gt.dihedral(4)
    B = GCNN(G, 2).bilinear_form().tensor
    K = correlation_index(G.cayley_table, G.inverse)  # beta = w[K] @ v
    for m in range(8):
        for h in range(8):
            for g in range(8):
                assert B[m, h, g] == float(K[m, g] == h)


def test_form_errors():
    with pytest.raises(ShapeError):
        BilinearForm(np.ones((2, 2)), 1, lambda p: p, lambda u, v: [u, v])
    with pytest.raises(ParameterError):
        BilinearForm(np.ones((2, 2, 2)), 0, lambda p: p, lambda u, v: [u, v])
    form = Diagonal(3, 2).bilinear_form()
    with pytest.raises(ShapeError):
        form.predictor(np.ones((1, 2)), np.ones((1, 3)))
    with pytest.raises(ParameterError):
        FullyConnected(3, depth=3).bilinear_form()


def test_fit_and_polish_a_local_multichannel_model():
    G = gt.dihedral(4)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10, 8))
    y = np.sign(X @ rng.standard_normal(8))
    m = GCNN(G, 2, channels=2, support=[0, 1, 4], seed=0, init_scale=0.5)
    res = training.fit(m, X, y, steps=300, lr=0.05, progress=False)
    assert np.all(y * res.model.forward(X) > 0), "gradient descent separates the data"
    pol = training.polish(res.model, X, y)
    assert pol.success
    assert np.min(y * pol.model.forward(X)) == pytest.approx(1.0, abs=1e-6)
    assert pol.objective <= res.model.param_norm_sq() / np.min(y * res.model.forward(X)) + 1e-9
