"""Tests of the Fourier-space path of the linear G-CNN and circular CNN (training.models._gcnn_fourier).

Expected values come from the real-space path (Cayley table, an independent computation), from
the definition of the G-correlation written out with the Cayley table, and from finite differences.
"""

from __future__ import annotations

import copy
import functools
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from training import fit
from training._errors import ParameterError, ParameterTypeError, ShapeError
from training.models._gcnn_fourier import FOURIER_MIN_ORDER, FourierPlan, GCNNFourier, resolve_method
from training.models import GCNN, CircularCNN

FAST = settings(max_examples=15, deadline=None, database=None)

GROUPS = {
    "D8": lambda: gt.dihedral(4),
    "D10": lambda: gt.dihedral(5),
    "SG200_44": gt.smallgroup_200_44,
    "p4m2": lambda: gt.torus_p4m(2),
    "S3": lambda: gt.symmetric(3),
    "C6": lambda: gt.cyclic(6),
}


@functools.lru_cache(maxsize=None)
def group(name: str):
    return GROUPS[name]()


def pair(name: str, depth: int, seed: int, init_scale: float = 1.0) -> tuple[GCNN, GCNN]:
    G = group(name)
    real = GCNN(G, depth, seed=seed, init_scale=init_scale, method="real")
    fourier = GCNN(G, depth, seed=seed, init_scale=init_scale, method="fourier")
    return real, fourier


def rel_err(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def list_rel_err(a, b) -> float:
    return rel_err(np.concatenate([np.ravel(x) for x in a]), np.concatenate([np.ravel(x) for x in b]))


# -- equality of the two paths ---------------------------------------------------------------------------
@FAST
@given(name=st.sampled_from(sorted(GROUPS)), depth=st.integers(1, 4), N=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_paths_agree(name, depth, N, seed):
    real, fourier = pair(name, depth, seed)
    n = real.input_dim
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, n))
    g = rng.standard_normal(N)
    beta = real.linearization()
    assert rel_err(fourier.linearization(), beta) < 1e-10
    for cached in (False, True):
        if cached:
            fourier.precompute(X)
        assert rel_err(fourier.forward(X), real.forward(X)) < 1e-10
        assert list_rel_err(fourier.grad(X, g), real.grad(X, g)) < 1e-10
        assert list_rel_err(fourier.layer_outputs(X), real.layer_outputs(X)) < 1e-10
    # the real-space hooks stay reachable on a Fourier model, and the Fourier hooks on a real one
    assert rel_err(fourier._forward_real(X), fourier._forward_fourier(X)) < 1e-10
    assert list_rel_err(real._grad_fourier(X, g), real._grad_real(X, g)) < 1e-10
    assert rel_err(real._linearization_fourier(), beta) < 1e-10
    assert rel_err(fourier.jacobian(X[:2]), real.jacobian(X[:2])) < 1e-10


def test_forward_matches_the_definition():
    """f(x) from (x star w)(g) = sum_h w(h) x(g h), written out with the Cayley table."""
    G = group("SG200_44")
    C = np.asarray(G.cayley_table)
    m = GCNN(G, 3, seed=5, method="fourier")
    x = np.random.default_rng(1).standard_normal(G.order)
    h = x
    for w in m.params[:-1]:
        h = np.array([w @ h[C[g, :]] for g in range(G.order)])  # sum_h w(h) x(g h)
    assert rel_err(m.forward(x[None]), [h @ m.params[-1]]) < 1e-12


def test_fourier_relation_of_the_linearization():
    """beta_hat(rho) = v_hat(rho) w_hat_{L-1}(rho) ... w_hat_1(rho), with the irrep matrices (docs/theory.md)."""
    G = group("D10")
    m = GCNN(G, 3, seed=2, method="fourier")
    beta = m.linearization()
    for rho in G.irreps():
        R = np.asarray(rho.matrices)
        prod = np.eye(rho.dim)
        for w in reversed(m.params):
            prod = prod @ np.einsum("g,gij->ij", w, R)
        assert rel_err(np.einsum("g,gij->ij", beta, R), prod) < 1e-10


# -- training trajectories ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(GROUPS))
@pytest.mark.parametrize("depth", [2, 3])
def test_fit_trajectories_agree(name, depth):
    real, fourier = pair(name, depth, seed=11, init_scale=1.5)
    n = real.input_dim
    rng = np.random.default_rng(3)
    X = rng.standard_normal((12, n)) / np.sqrt(n)  # unit-scale inputs keep lr=0.1 stable
    y = np.where(rng.standard_normal(12) > 0, 1.0, -1.0)
    kw = dict(steps=6, lr=0.5, record=6, progress=False)
    res_r = fit(real, X, y, **kw)
    res_f = fit(fourier, X, y, **kw)
    cached = fourier.copy()
    cached.precompute(X)
    res_c = fit(cached, X, y, **kw)
    moved = list_rel_err(res_r.model.params, real.params)
    assert moved > 1e-3  # the runs did move
    for res in (res_f, res_c):
        assert list_rel_err(res.model.params, res_r.model.params) < 1e-10
        assert rel_err(res.history.loss, res_r.history.loss) < 1e-10
        assert rel_err(res.history.beta_dir, res_r.history.beta_dir) < 1e-10
    assert res_c.model.method == "fourier"


def test_minibatch_fit_agrees():
    real, fourier = pair("SG200_44", 3, seed=4, init_scale=1.5)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10, 200)) / np.sqrt(200)
    y = np.sign(rng.standard_normal(10))
    fourier.precompute(X)  # mini-batches are new arrays: they take the uncached path
    # lr=0.5 diverges on this draw (the norm of the degree-3 parameters grows 7 -> 15 in 3 steps)
    kw = dict(steps=5, lr=0.2, batch_size=4, seed=1, record=3, progress=False)
    a, b = fit(real, X, y, **kw), fit(fourier, X, y, **kw)
    assert list_rel_err(a.model.params, real.params) > 1e-3  # the runs did move
    assert list_rel_err(b.model.params, a.model.params) < 1e-10


# -- gradients against finite differences ---------------------------------------------------------------
def test_full_finite_difference_gradient():
    G = group("p4m2")
    m = GCNN(G, 3, seed=9, method="fourier")
    rng = np.random.default_rng(0)
    X, g = rng.standard_normal((4, G.order)), rng.standard_normal(4)
    w0 = m.flat_params()
    eps = 1e-5
    fd = np.empty_like(w0)
    for i in range(w0.size):
        e = np.zeros_like(w0)
        e[i] = eps
        fd[i] = (g @ m.with_flat_params(w0 + e).forward(X) - g @ m.with_flat_params(w0 - e).forward(X)) / (2 * eps)
    assert rel_err(m.flat_grad(X, g), fd) < 1e-7


@settings(max_examples=6, deadline=None, database=None)
@given(k=st.sampled_from([3, 4]), depth=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_directional_finite_differences(k, depth, seed):
    """Auto-selected Fourier path on p4m(k) (order 72, 128): directional derivatives."""
    G = gt.torus_p4m(k)
    m = GCNN(G, depth, seed=seed)
    assert m.method == "fourier"
    rng = np.random.default_rng(seed)
    X, g = rng.standard_normal((5, G.order)), rng.standard_normal(5)
    m.precompute(X)
    grad = m.flat_grad(X, g)
    w0 = m.flat_params()
    for _ in range(3):
        u = rng.standard_normal(w0.size)
        eps = 1e-4
        fd = (g @ m.with_flat_params(w0 + eps * u).forward(X) - g @ m.with_flat_params(w0 - eps * u).forward(X)) / (2 * eps)
        assert abs(grad @ u - fd) <= 1e-6 * (abs(fd) + np.linalg.norm(grad) * np.linalg.norm(u))


# -- equivariance ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["SG200_44", "p4m2", "D10"])
def test_layers_commute_with_left_translations(name):
    G = group(name)
    C = np.asarray(G.cayley_table)
    m = GCNN(G, 4, seed=3, method="fourier")
    X = np.random.default_rng(0).standard_normal((3, G.order))
    H = m.layer_outputs(X)
    for k in np.random.default_rng(1).choice(G.order, size=min(6, G.order), replace=False):
        Hk = m.layer_outputs(X[:, C[k, :]])  # (L_{k^-1} x)(g) = x(k g)
        for l in range(1, m.depth):
            assert rel_err(Hk[l], H[l][:, C[k, :]]) < 1e-10
    if not G.is_abelian:  # right translations do not commute with the layer
        assert any(rel_err(m.layer_outputs(X[:, C[:, k]])[1], H[1][:, C[:, k]]) > 1e-3 for k in range(G.order))


# -- method choice, cache, errors -----------------------------------------------------------------------------
class DuckC4:
    order = 4
    cayley_table = (np.arange(4)[:, None] + np.arange(4)) % 4
    inverse = (-np.arange(4)) % 4


def test_method_choice():
    assert GCNN(gt.dihedral(4), 2).method == "real"
    assert FOURIER_MIN_ORDER == 64
    assert GCNN(gt.torus_p4m(3), 2).method == "fourier"  # order 72
    assert GCNN(gt.torus_p4m(3), 2, method="real").method == "real"
    assert GCNN(DuckC4(), 2).method == "real"
    assert resolve_method(DuckC4(), 4, "auto") == "real"
    with pytest.raises(ParameterTypeError):
        GCNN(DuckC4(), 2, method="fourier")
    with pytest.raises(ParameterError):
        GCNN(gt.dihedral(4), 2, method="fft")
    with pytest.raises(ParameterError):
        CircularCNN(8, 2, method="fft")
    m = GCNN(gt.torus_p4m(3), 3)
    X = np.random.default_rng(0).standard_normal((2, 72))
    m.grad(X, np.ones(2)), m.linearization(), m.layer_outputs(X)
    assert m._shared._K is None  # the Fourier path never builds the index matrix


def test_cache_identity_and_edits():
    G = group("SG200_44")
    m = GCNN(G, 3, seed=0, method="fourier")
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 200))
    engine = m._shared.engine
    assert not engine.cached(X)
    m.precompute(X)
    assert engine.cached(X) and not engine.cached(X.copy())
    copy = m.copy()  # copies share the cache (fit works on a copy)
    assert copy._shared.engine.cached(X)
    X[:] = rng.standard_normal(X.shape)  # an in-place edit of every entry is detected
    assert not engine.cached(X)
    assert rel_err(m.forward(X), X @ m._linearization_real()) < 1e-10
    m.clear_cache()
    m.precompute(X)
    assert engine.cached(X)
    with pytest.raises(ShapeError):
        m.precompute(X.astype(np.float32))
    with pytest.raises(ShapeError):
        m.precompute(X[:, :10])
    with pytest.raises(ParameterError):
        m.precompute(X, max_bytes=100)
    GCNN(G, 2, method="real").precompute(X)  # a no-op in real space


def test_pickle_and_deepcopy_drop_the_cache():
    m = GCNN(group("SG200_44"), 3, seed=1, method="fourier")
    X = np.random.default_rng(0).standard_normal((3, 200))
    m.precompute(X)
    for other in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m)):
        assert not other._shared.engine.cached(X)
        assert rel_err(other.forward(X), m.forward(X)) < 1e-12


def test_plan_layout_and_inverse():
    G = group("SG200_44")
    plan = FourierPlan(G)
    assert sum(R * d * d for d, _, R in plan.segments) == G.order
    # Plancherel weights: sum_g f(g) h(g) = sum_k w_k Re(f_hat[k] conj(h_hat[k])) for real f, h
    rng = np.random.default_rng(0)
    f, h = rng.standard_normal((2, G.order))
    F, H = plan.transform(f), plan.transform(h)
    assert abs(f @ h - plan.weights @ (F * np.conj(H)).real) < 1e-10 * np.linalg.norm(f) * np.linalg.norm(h)
    assert rel_err(plan.inverse_real(F), f) < 1e-12
    with pytest.raises(ParameterTypeError):
        GCNNFourier(DuckC4())


# -- circular CNN -----------------------------------------------------------------------------------------------
@FAST
@given(D=st.integers(1, 9), depth=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_circular_paths_agree(D, depth, seed):
    a = CircularCNN(D, depth, seed=seed, method="real")
    b = CircularCNN(D, depth, seed=seed, method="fourier")
    rng = np.random.default_rng(seed)
    X, g = rng.standard_normal((4, D)), rng.standard_normal(4)
    assert rel_err(b.linearization(), a.linearization()) < 1e-10
    assert rel_err(b.forward(X), a.forward(X)) < 1e-10
    assert list_rel_err(b.grad(X, g), a.grad(X, g)) < 1e-10


def test_circular_fit_agrees():
    a, b = CircularCNN(100, 3, seed=1, init_scale=1.5, method="real"), CircularCNN(100, 3, seed=1, init_scale=1.5)
    assert b.method == "fourier"
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((8, 100)) / 10, np.sign(rng.standard_normal(8))
    kw = dict(steps=6, lr=0.5, record=3, progress=False)
    ra, rb = fit(a, X, y, **kw), fit(b, X, y, **kw)
    assert list_rel_err(ra.model.params, a.params) > 1e-3
    assert list_rel_err(rb.model.params, ra.model.params) < 1e-10


def test_per_group_data_lives_in_the_group_memo():
    """The Fourier plan of the G-CNN and the Fourier operator of training.bias are built once per group and
    kept in ``G.memo`` (released with the group), and the operator's blocks are the Fourier matrix's rows."""
    from grouptools.fourier import fourier_matrix

    from training.bias import fourier_operator
    from training.models._gcnn_fourier import PLAN_MEMO_KEY, fourier_plan

    G = gt.dihedral(5)
    assert G.memo(PLAN_MEMO_KEY) is None and G.memo("training.fourier_operator") is None
    assert GCNNFourier(G).plan is fourier_plan(G) is G.memo(PLAN_MEMO_KEY)
    op = fourier_operator(G)
    assert fourier_operator(G) is op and G.memo("training.fourier_operator") is op
    beta = np.random.default_rng(0).standard_normal(G.order)
    flat = np.concatenate([M.ravel() for M in op.blocks(beta)])
    assert np.allclose(flat, fourier_matrix(G) @ beta, atol=1e-12)
