"""Tests of training.models._lifting.LiftingGCNN: the lifting layer, gradients, equivariance, fit/polish."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from training import fit, polish
from training._errors import ParameterError, ParameterTypeError, ShapeError
from training.bias import max_margin
from training.models import GCNN
from training.models._lifting import LiftingGCNN, lifting_index

FAST = settings(max_examples=12, deadline=None, database=None)

_CACHE: dict[str, tuple[gt.FiniteGroup, gt.Subgroup]] = {}


def space(name: str) -> tuple[gt.FiniteGroup, gt.Subgroup]:
    """(G, H) for a few homogeneous spaces G/H."""
    if name not in _CACHE:
        if name == "D4/<s>":          # the 4 vertices of a square
            G = gt.dihedral(4)
            H = G.subgroup([G.element("s")])
        elif name == "D6/<s>":
            G = gt.dihedral(6)
            H = G.subgroup([G.element("s")])
        elif name == "D8/<r^2>":      # a normal subgroup: G/H has 4 points
            G = gt.dihedral(8)
            H = G.subgroup([G.element("r^2")])
        elif name == "S3/<b>":
            G = gt.symmetric(3)
            H = G.subgroup([G.element("b")])
        elif name == "p4m2/D4":       # the 2 x 2 torus
            G = gt.torus_p4m(2)
            H = G.subgroup([G.element("r"), G.element("s")])
        elif name == "D3/1":
            G = gt.dihedral(3)
            H = G.subgroup([])
        else:
            raise KeyError(name)
        _CACHE[name] = (G, H)
    return _CACHE[name]


NAMES = ["D4/<s>", "D6/<s>", "D8/<r^2>", "S3/<b>", "p4m2/D4", "D3/1"]

model_args = st.tuples(st.sampled_from(NAMES), st.integers(2, 4), st.integers(0, 10_000))


def build(args) -> LiftingGCNN:
    name, depth, seed = args
    G, H = space(name)
    return LiftingGCNN(G, H, depth, seed=seed)


def real(rep: gt.Representation, g: int) -> np.ndarray:
    M = rep(g)
    assert np.abs(M.imag).max() < 1e-12
    return M.real


def fd_param_grad(model, X: np.ndarray, g: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    w0 = model.flat_params()
    out = np.empty_like(w0)
    for i in range(w0.size):
        e = np.zeros_like(w0)
        e[i] = eps
        out[i] = (g @ model.with_flat_params(w0 + e).forward(X) - g @ model.with_flat_params(w0 - e).forward(X)) / (2 * eps)
    return out


def rel_err(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def correlation_matrix(G: gt.FiniteGroup, w: np.ndarray) -> np.ndarray:
    """The G-correlation (h star w)(g) = sum_u w(u) h(g u) as a matrix M with (h star w) = M h."""
    n = G.order
    M = np.zeros((n, n))
    for g in range(n):
        for u in range(n):
            M[g, G.multiply(g, u)] += w[u]
    return M


def lifting_matrix_by_definition(G: gt.FiniteGroup, H: gt.Subgroup, w: np.ndarray) -> np.ndarray:
    """(x star w)(g) = sum_y w(y) x(g y) from the coset labels: M[g, label(g t_y)] += w(y)."""
    labels, reps = G.cosets(H, "left")
    M = np.zeros((G.order, len(reps)))
    for g in range(G.order):
        for y, t in enumerate(reps):
            M[g, labels[G.multiply(g, int(t))]] += w[y]
    return M


# -- the lifting layer ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_lifting_matrix_matches_the_definition(name):
    G, H = space(name)
    m = LiftingGCNN(G, H, 2, seed=1)
    assert np.allclose(m.lifting_matrix(), lifting_matrix_by_definition(G, H, m.params[0]))
    # the points are those of the permutation representation
    assert np.array_equal(np.asarray(m.representation.points), np.asarray(G.cosets(H, "left")[1]))


@pytest.mark.parametrize("name", NAMES)
def test_lifting_layer_is_equivariant(name):
    G, H = space(name)
    m = LiftingGCNN(G, H, 2, seed=2)
    A = m.lifting_matrix()
    R = G.regular_representation()
    P = G.permutation_representation(H)
    for s in G.generators:
        assert np.allclose(real(R, s) @ A, A @ real(P, s), atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_lifting_filters_are_exactly_the_equivariant_maps(name):
    G, H = space(name)
    P = G.permutation_representation(H)
    E = gt.equivariant_basis(P, G.regular_representation())
    m = LiftingGCNN(G, H, 2)
    k = P.dim
    assert E.shape[0] == k                       # dim Hom_G(C[G/H], C[G]) = |G/H|
    mats = np.stack([m.with_params([np.eye(k)[y], m.params[1]]).lifting_matrix() for y in range(k)])
    flat, Ef = mats.reshape(k, -1), E.reshape(k, -1)
    coeffs = flat @ Ef.T                          # E is orthonormal
    assert np.allclose(coeffs @ Ef, flat, atol=1e-10)  # each lifting map is in the span of the basis
    assert np.linalg.matrix_rank(coeffs) == k          # and they span it
    w = np.random.default_rng(0).standard_normal(k)
    A = m.with_params([w, m.params[1]]).lifting_matrix()
    assert abs(np.sum(A**2) - G.order * w @ w) < 1e-10


@FAST
@given(model_args, st.integers(0, 10_000))
def test_feature_maps_follow_left_translations(args, k):
    m = build(args)
    G = m.group
    g = k % G.order
    X = np.random.default_rng(k).standard_normal((3, m.input_dim))
    LX = X @ real(m.representation, g).T        # (L_g x)(y) = x(g^-1 y)
    for a, b in zip(m.feature_maps(LX), m.feature_maps(X)):
        assert np.allclose(a, gt.left_translate(G, b, g), atol=1e-10)


def test_lifting_with_the_origin_filter_is_lift_image():
    G = gt.torus_p4m(3)
    H = G.subgroup([G.element("r"), G.element("s")])
    m = LiftingGCNN(G, H, 2)
    assert np.array_equal(m.representation.points, np.arange(9))   # the pixels, row-major
    m = m.with_params([np.eye(9)[0], m.params[1]])
    imgs = np.random.default_rng(0).standard_normal((4, 3, 3))
    assert np.allclose(m.feature_maps(imgs.reshape(4, 9))[0], gt.lift_image(G, imgs))


def test_trivial_subgroup_is_the_gcnn():
    G, H = space("D3/1")
    K = lifting_index(G, H)
    assert K.shape == (6, 6)
    gc = GCNN(G, 3, seed=7, method="real")
    m = LiftingGCNN(G, H, 3).with_params(gc.params)
    X = np.random.default_rng(0).standard_normal((5, 6))
    g = np.random.default_rng(1).standard_normal(5)
    assert np.allclose(m.forward(X), gc.forward(X))
    assert all(np.allclose(a, b) for a, b in zip(m.grad(X, g), gc.grad(X, g)))


# -- the network -------------------------------------------------------------------------------------------------
@FAST
@given(model_args)
def test_gradient_matches_finite_differences(args):
    m = build(args)
    rng = np.random.default_rng(args[2])
    X = rng.standard_normal((4, m.input_dim))
    g = rng.standard_normal(4)
    assert rel_err(m.flat_grad(X, g), fd_param_grad(m, X, g)) < 1e-6


@FAST
@given(model_args)
def test_linearization_from_explicit_matrices(args):
    m = build(args)
    G = m.group
    M = lifting_matrix_by_definition(G, m.subgroup, m.params[0])
    for w in m.params[1:-1]:
        M = correlation_matrix(G, w) @ M
    beta = M.T @ m.params[-1]
    assert rel_err(m.linearization(), beta) < 1e-10
    X = np.random.default_rng(args[2]).standard_normal((4, m.input_dim))
    assert rel_err(m.forward(X), X @ beta) < 1e-10
    assert rel_err(m.forward(np.eye(m.input_dim)), beta) < 1e-10


def test_shapes_and_depth():
    G, H = space("D4/<s>")
    m = LiftingGCNN(G, H, 4, seed=0)
    assert m.input_dim == 4 and m.depth == 4 and m.n_params == 4 + 3 * 8
    assert [h.shape for h in m.feature_maps(np.ones((2, 4)))] == [(2, 8), (2, 8), (2, 8)]
    X = np.ones((2, 4))
    assert np.allclose(m.scaled(1.5).forward(X), 1.5**4 * m.forward(X))


# -- the bilinear form ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["D4/<s>", "p4m2/D4", "S3/<b>"])
def test_bilinear_form_contract(name):
    G, H = space(name)
    m = LiftingGCNN(G, H, 2, seed=3)
    form = m.bilinear_form()
    assert form.channels == 1 and form.tensor.shape == (m.input_dim, m.input_dim, G.order)
    U, V = form.to_factors(m.params)
    assert abs(form.norm_sq(U, V) - m.param_norm_sq()) < 1e-12
    assert np.allclose(form.predictor(U, V), m.linearization(), atol=1e-12)
    rng = np.random.default_rng(0)
    U2, V2 = rng.standard_normal(U.shape), rng.standard_normal(V.shape)
    params = form.from_factors(U2, V2)
    assert [p.shape for p in params] == [p.shape for p in m.params]
    assert np.allclose(m.with_params(params).linearization(), form.predictor(U2, V2), atol=1e-12)
    # B_y = sum over g of e_{g^-1 y} e_g^T: every column of B_y has exactly one 1
    assert np.array_equal(form.tensor.sum(axis=1), np.ones((m.input_dim, G.order)))


def test_bilinear_form_needs_depth_two():
    G, H = space("D4/<s>")
    with pytest.raises(ParameterError, match="depth 2"):
        LiftingGCNN(G, H, 3).bilinear_form()
    with pytest.raises(ParameterError, match="max_bytes"):
        LiftingGCNN(G, H, 2).bilinear_form(max_bytes=8)


# -- training --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [2, 3])
def test_fit_and_polish(depth):
    G, H = space("D4/<s>")
    rng = np.random.default_rng(5)
    X = rng.standard_normal((6, 4))
    y = np.sign(X @ np.array([1.0, -0.5, 0.3, 0.8]))
    m = LiftingGCNN(G, H, depth, seed=0, init_scale=0.5)
    trained = fit(m, X, y, steps=500, lr=0.5 if depth == 2 else 0.1, normalized=True, progress=False).model
    assert np.min(y * trained.forward(X)) > 0
    r = polish(trained, X, y)
    assert r.success and r.max_violation < 1e-8
    assert r.objective <= r.start_objective + 1e-9
    assert np.min(y * (X @ r.beta)) > 1 - 1e-8


def weighted_nuclear(G: gt.FiniteGroup, f: np.ndarray) -> float:
    """sum_rho d_rho ||f_hat(rho)||_* with f_hat(rho) = sum_g f(g) rho(g) (grouptools' irreps)."""
    return float(sum(rho.dim * np.linalg.svd(np.einsum("g,gij->ij", f, rho.matrices), compute_uv=False).sum()
                     for rho in G.irreps()))


@pytest.mark.parametrize("name", ["D4/<s>", "p4m2/D4", "D6/<s>"])
def test_depth_two_bias_is_the_schatten_bias_of_the_lifted_data(name):
    # the Notes of LiftingGCNN: R(beta) = 2 / (|G| sqrt|H|) sum_rho d_rho ||beta~_hat(rho)||_*, and the
    # polished direction is the Schatten max-margin predictor of the lifted data, read on the points
    G, H = space(name)
    labels, points = (np.asarray(a) for a in G.cosets(H, "left"))
    m = LiftingGCNN(G, H, 2, seed=0, init_scale=0.5)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((5, m.input_dim))
    y = np.sign(X @ rng.standard_normal(m.input_dim))
    trained = fit(m, X, y, steps=500, lr=0.5, normalized=True, progress=False).model
    r = polish(trained, X, y)
    assert r.success
    predicted = 2 / (G.order * np.sqrt(H.order)) * weighted_nuclear(G, r.beta[labels])
    assert abs(r.objective - predicted) < 1e-6 * r.objective
    lifted = max_margin(X[:, labels], y, "schatten", depth=2, group=G).beta
    assert np.allclose(lifted, lifted[points][labels], atol=1e-6 * np.abs(lifted).max())  # right-H-invariant
    b = lifted[points]
    assert r.beta @ b / (np.linalg.norm(r.beta) * np.linalg.norm(b)) > 1 - 1e-6


# -- errors -------------------------------------------------------------------------------------------------------------
def test_errors():
    G, H = space("D4/<s>")
    with pytest.raises(ParameterTypeError):
        LiftingGCNN("D4", H, 2)
    with pytest.raises(ParameterTypeError):
        LiftingGCNN(G, [1], 2)
    other = gt.dihedral(5)
    with pytest.raises(ParameterError, match="another group"):
        LiftingGCNN(G, other.subgroup([other.element("s")]), 2)
    with pytest.raises(ParameterError, match="depth"):
        LiftingGCNN(G, H, 1)
    with pytest.raises(ParameterError, match="max_order"):
        LiftingGCNN(G, H, 2, max_order=4)
    with pytest.raises(ParameterError):
        LiftingGCNN(G, H, 2, init_scale=float("nan"))
    with pytest.raises(ShapeError):
        LiftingGCNN(G, H, 2).forward(np.ones((2, 8)))
