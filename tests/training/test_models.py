"""Tests of training.models: linearizations, gradients (finite differences), equivariance, equivalences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools
from training._errors import ParameterError, ParameterTypeError, ShapeError
from training.models import (
    GCNN,
    CircularCNN,
    Diagonal,
    FullyConnected,
    LinearModel,
    TensorNetwork,
    correlation_index,
    real_dft_matrix,
)

FAST = settings(max_examples=20, deadline=None, database=None)


# -- helpers --------------------------------------------------------------------------------------------
def fd_param_grad(model: LinearModel, X: np.ndarray, g: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Central differences of w -> sum_n g_n f(x_n; w) along every flat parameter."""
    w0 = model.flat_params()
    out = np.empty_like(w0)
    for i in range(w0.size):
        e = np.zeros_like(w0)
        e[i] = eps
        out[i] = (g @ model.with_flat_params(w0 + e).forward(X) - g @ model.with_flat_params(w0 - e).forward(X)) / (2 * eps)
    return out


def fd_input_grad(model: LinearModel, x: np.ndarray, eps: float = 1e-3) -> np.ndarray:
    """Central differences of x -> f(x): for a model linear in x this is beta."""
    D = x.size
    E = np.eye(D) * eps
    return (model.forward(x + E) - model.forward(x - E)) / (2 * eps)


def rel_err(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def check_model(model: LinearModel, seed: int) -> None:
    rng = np.random.default_rng(seed + 1000)
    D = model.input_dim
    X = rng.standard_normal((5, D))
    g = rng.standard_normal(5)
    beta = model.linearization()
    # linearization = evaluation on the basis vectors, and the input gradient
    assert rel_err(model.forward(np.eye(D)), beta) < 1e-10
    assert rel_err(fd_input_grad(model, rng.standard_normal(D)), beta) < 1e-6
    assert rel_err(model.forward(X), X @ beta) < 1e-10
    # parameter gradient against central differences
    assert rel_err(model.flat_grad(X, g), fd_param_grad(model, X, g)) < 1e-6
    # homogeneity of degree L and the norm
    c = 1.7
    assert rel_err(model.scaled(c).linearization(), c**model.depth * beta) < 1e-12
    assert np.isclose(model.param_norm_sq(), np.sum(model.flat_params() ** 2))


# -- groups ---------------------------------------------------------------------------------------------
def element_order(G, i: int) -> int:
    k, j = 1, i
    while j != 0:
        j = int(G.cayley_table[j, i])
        k += 1
    return k


def dihedral_irrep2(G) -> np.ndarray:
    """The 2-d irrep of D8 built from the Cayley table: r -> rotation by 90 degrees, s -> reflection."""
    C = G.cayley_table
    r = next(i for i in range(G.order) if element_order(G, i) == 4)
    powers = [0]
    for _ in range(3):
        powers.append(int(C[powers[-1], r]))
    s = next(i for i in range(G.order) if i not in powers and element_order(G, i) == 2)
    R = np.array([[0.0, -1.0], [1.0, 0.0]])
    F = np.array([[1.0, 0.0], [0.0, -1.0]])
    rho = np.zeros((G.order, 2, 2))
    for a in range(4):
        rho[powers[a]] = np.linalg.matrix_power(R, a)
        rho[int(C[powers[a], s])] = np.linalg.matrix_power(R, a) @ F
    return rho


@pytest.fixture(scope="module")
def d8():
    return grouptools.dihedral(4)


def test_dihedral_irrep_is_a_representation(d8):
    rho = dihedral_irrep2(d8)
    C = d8.cayley_table
    for i in range(8):
        for j in range(8):
            assert np.allclose(rho[i] @ rho[j], rho[C[i, j]])


# -- finite differences over shapes, depths and seeds ----------------------------------------------------
@FAST
@given(D=st.integers(1, 5), hidden=st.lists(st.integers(1, 4), max_size=3), seed=st.integers(0, 10**6))
def test_fully_connected(D, hidden, seed):
    m = FullyConnected(D, widths=tuple(hidden), seed=seed)
    assert m.depth == len(hidden) + 1
    check_model(m, seed)
    beta = m.params[0]
    for W in m.params[1:]:
        beta = beta @ W
    assert rel_err(m.linearization(), beta[:, 0]) < 1e-12


@FAST
@given(D=st.integers(1, 6), depth=st.integers(1, 5), seed=st.integers(0, 10**6))
def test_diagonal(D, depth, seed):
    m = Diagonal(D, depth=depth, seed=seed)
    check_model(m, seed)
    assert rel_err(m.linearization(), np.prod(np.stack(m.params), axis=0)) < 1e-12


def naive_circ_corr(h: np.ndarray, w: np.ndarray) -> np.ndarray:
    D = h.size
    return np.array([sum(w[k] * h[(k + d) % D] for k in range(D)) for d in range(D)])


@FAST
@given(D=st.integers(1, 7), depth=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_circular_cnn(D, depth, seed):
    m = CircularCNN(D, depth=depth, seed=seed)
    check_model(m, seed)
    # forward against the convolution convention written out by hand
    x = np.random.default_rng(seed).standard_normal(D)
    h = x
    for w in m.params[:-1]:
        h = naive_circ_corr(h, w)
    assert np.isclose(m.forward(x[None])[0], h @ m.params[-1])
    # documented DFT relation: beta_hat = w_hat_1 ... w_hat_{L-1} v_hat
    prod = np.prod(np.stack([np.fft.fft(w) for w in m.params]), axis=0)
    assert rel_err(np.fft.fft(m.linearization()), prod) < 1e-10


@FAST
@given(depth=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_gcnn_dihedral(depth, seed):
    G = grouptools.dihedral(4)
    m = GCNN(G, depth=depth, seed=seed)
    check_model(m, seed)
    # forward against the definition (x star w)(g) = sum_h w(h) x(g h)
    C = G.cayley_table
    x = np.random.default_rng(seed).standard_normal(8)
    h = x
    for w in m.params[:-1]:
        h = np.array([sum(w[a] * h[C[g, a]] for a in range(8)) for g in range(8)])
    assert np.isclose(m.forward(x[None])[0], h @ m.params[-1])
    # Fourier relation at the 2-d irrep (docs/theory.md): beta_hat(rho) = v_hat(rho) w_hat_{L-1}(rho) ... w_hat_1(rho)
    rho = dihedral_irrep2(G)

    def hat(f):
        return np.einsum("g,gij->ij", f, rho)

    prod = np.eye(2)
    for w in reversed(m.params):
        prod = prod @ hat(w)
    assert rel_err(hat(m.linearization()), prod) < 1e-10


def test_gcnn_layers_commute_with_left_translations(d8):
    m = GCNN(d8, depth=4, seed=3)
    C = d8.cayley_table
    X = np.random.default_rng(0).standard_normal((3, 8))
    H = m.layer_outputs(X)
    for k in range(8):
        Lk = C[k, :]  # (L_{k^-1} x)(g) = x(k g); every left translation is one of these
        Hk = m.layer_outputs(X[:, Lk])
        for l in range(1, m.depth):
            assert np.allclose(Hk[l], H[l][:, Lk])
    # right translations (R_k x)(g) = x(g k) do not commute with the layer (D8 is not abelian)
    assert any(not np.allclose(m.layer_outputs(X[:, C[:, k]])[1], H[1][:, C[:, k]]) for k in range(8))


@pytest.mark.parametrize("n", [1, 5, 6])
def test_gcnn_on_cyclic_group_is_the_circular_cnn(n):
    G = grouptools.cyclic(n)
    a = next((i for i in range(n) if element_order(G, i) == n), 0)
    p = [0]  # p[k] = index of a^k
    for _ in range(n - 1):
        p.append(int(G.cayley_table[p[-1], a]))
    p = np.array(p)
    gm = GCNN(G, depth=3, seed=7)
    cm = CircularCNN(n, depth=3).with_params([w[p] for w in gm.params])
    X = np.random.default_rng(1).standard_normal((4, n))
    assert np.allclose(gm.forward(X), cm.forward(X[:, p]))
    assert np.allclose(gm.linearization()[p], cm.linearization())


def test_correlation_index_definition(d8):
    K = correlation_index(d8.cayley_table, d8.inverse)
    for m in range(8):
        for g in range(8):
            assert d8.cayley_table[g, K[m, g]] == m  # g K[m, g] = m, i.e. K[m, g] = g^-1 m


# -- tensor networks ------------------------------------------------------------------------------------
def random_orthogonal(m: int, rng: np.random.Generator) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((m, m)))
    return q * np.sign(np.diag(r))


@FAST
@given(D=st.integers(1, 5), m_extra=st.integers(0, 2), depth=st.integers(1, 3), seed=st.integers(0, 10**6))
def test_tensor_network(D, m_extra, depth, seed):
    rng = np.random.default_rng(seed)
    m = D + m_extra
    S = rng.standard_normal((m, D))
    U = [random_orthogonal(m, rng) for _ in range(depth)]
    net = TensorNetwork(S, U, seed=seed)
    check_model(net, seed)
    # f(x) = M(x)(v_1, ..., v_L) with the dense data tensor
    x = rng.standard_normal(D)
    T = net.data_tensor(x)
    for v in net.params:
        T = np.tensordot(T, v, axes=([0], [0]))
    assert np.isclose(float(T), net.forward(x[None])[0])


@FAST
@given(D=st.integers(1, 6), depth=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_tensor_network_identity_is_diagonal(D, depth, seed):
    diag = Diagonal(D, depth=depth, seed=seed)
    tn = TensorNetwork.from_transform(np.eye(D), depth=depth).with_params(diag.params)
    X = np.random.default_rng(seed).standard_normal((4, D))
    g = np.random.default_rng(seed + 1).standard_normal(4)
    assert np.allclose(tn.forward(X), diag.forward(X))
    assert np.allclose(tn.linearization(), diag.linearization())
    for a, b in zip(tn.grad(X, g), diag.grad(X, g)):
        assert np.allclose(a, b)


def test_real_dft_matrix():
    for D in (1, 2, 5, 8):
        S = real_dft_matrix(D)
        assert np.allclose(S @ S.T, np.eye(D))
        a = np.random.default_rng(D).standard_normal(D)
        ah = np.fft.fft(a)
        z = S @ a
        assert np.isclose(z[0], ah[0].real / np.sqrt(D))
        if D >= 3:
            assert np.isclose(z[1], np.sqrt(2 / D) * ah[1].real)
            assert np.isclose(z[2], -np.sqrt(2 / D) * ah[1].imag)


@pytest.mark.parametrize("D,depth", [(6, 2), (7, 3), (8, 4)])
def test_real_dft_tensor_network_matches_even_cnn(D, depth):
    """Even filters: the CNN is the tensor network on the DFT cosine rows, weighted n_k^(L-1).

    For an even filter w = sum_k a_k e_k (e_k the cosine rows of the real DFT) the DFT is real,
    w_hat[k] = n_k a_k with n_k = sqrt(D) (k = 0 or D/2) and sqrt(D/2) otherwise, so the CNN has
    beta = sum_k n_k^(L-1) prod_l a_{l,k} e_k: the tensor network with S = diag(n^(L-1)) S_cos.
    """
    Sdft = real_dft_matrix(D)
    cos_rows = [0] + list(range(1, D - (D % 2 == 0), 2)) + ([D - 1] if D % 2 == 0 else [])
    S_cos = Sdft[cos_rows]
    n = np.full(len(cos_rows), np.sqrt(D / 2))
    n[0] = np.sqrt(D)
    if D % 2 == 0:
        n[-1] = np.sqrt(D)
    rng = np.random.default_rng(D)
    coords = [rng.standard_normal(len(cos_rows)) for _ in range(depth)]
    cnn = CircularCNN(D, depth=depth).with_params([S_cos.T @ a for a in coords])
    for w in cnn.params:
        assert np.allclose(w, w[(-np.arange(D)) % D])  # even filters
    tn = TensorNetwork.from_transform(n[:, None] ** (depth - 1) * S_cos, depth=depth).with_params(coords)
    assert np.allclose(tn.linearization(), cnn.linearization())
    X = rng.standard_normal((3, D))
    assert np.allclose(tn.forward(X), cnn.forward(X))
    # the full real-DFT network multiplies real-DFT coordinates: S beta = prod_l v_l
    full = TensorNetwork.from_transform(Sdft, depth=depth, seed=1)
    assert np.allclose(Sdft @ full.linearization(), np.prod(np.stack(full.params), axis=0))


# -- interface ------------------------------------------------------------------------------------------
def test_copy_with_params_and_flat_roundtrip():
    m = FullyConnected(3, widths=2, depth=3, seed=0)
    c = m.copy()
    c.params[0][0, 0] += 1.0
    assert m.params[0][0, 0] != c.params[0][0, 0]
    w = m.flat_params()
    assert np.array_equal(m.with_flat_params(w).flat_params(), w)
    assert m.n_params == w.size == 3 * 2 + 2 * 2 + 2
    J = m.jacobian(np.eye(3))
    assert np.allclose(J @ np.ones(m.n_params), [m.flat_grad(np.eye(3)[i : i + 1], np.ones(1)).sum() for i in range(3)])


def test_seed_determinism_and_init_scale():
    a, b = Diagonal(50, depth=2, seed=4, init_scale=0.1), Diagonal(50, depth=2, seed=4, init_scale=0.1)
    assert np.array_equal(a.flat_params(), b.flat_params())
    assert 0.05 < np.std(a.flat_params()) < 0.2
    assert np.all(Diagonal(5, depth=3, init_scale=0.0).flat_params() == 0)


def test_errors(d8):
    with pytest.raises(ShapeError):
        Diagonal(3, depth=2).forward(np.ones((2, 4)))
    with pytest.raises(ShapeError):
        Diagonal(3, depth=2).grad(np.ones((2, 3)), np.ones(3))
    with pytest.raises(ShapeError):
        Diagonal(3, depth=2).with_params([np.ones(3)])
    with pytest.raises(ParameterError):
        Diagonal(3, depth=0)
    with pytest.raises(ParameterError):
        Diagonal(3, depth=2, init_scale=-1.0)
    with pytest.raises(ParameterError):
        FullyConnected(3, widths=(2, 2), depth=2)
    with pytest.raises(ParameterError):
        FullyConnected(3)
    with pytest.raises(ParameterTypeError):
        GCNN(object(), depth=2)
    with pytest.raises(ParameterError):
        TensorNetwork(np.eye(2), [np.ones((2, 2))])
    assert isinstance(ShapeError("x"), ValueError)
