"""Tests of grouptools.fourier: transforms, fast paths, FourierBlocks, norms.

Expected values are independent of the code under test: the definition evaluated directly from
the irrep matrices (``sum_g f(g) rho(g)`` by a Python loop), numpy's FFT for cyclic groups, the
exact character table (traces of blocks), Plancherel's identity, and numpy's matrix norms.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools.fourier import (
    FourierBlocks,
    choose_method,
    fourier_matrix,
    inverse,
    lp_norm,
    schatten_norm,
    transform,
    weighted_schatten,
)
from grouptools.fourier import _clifford
from grouptools.fourier._support import group_irreps

SETTINGS = settings(max_examples=25, deadline=None)


# -- groups ------------------------------------------------------------------------------------
def _frobenius(p: int, k: int) -> gt.FiniteGroup:
    """C_p : C_k with a -> a^r, r of multiplicative order dividing k mod p."""
    r = next(x for x in range(1, p) if pow(x, k, p) == 1 and (k == 1 or x != 1)) if k > 1 else 1
    return gt.semidirect_product(gt.cyclic(p), gt.cyclic(k), [[f"a^{r}"]])


GROUP_MAKERS = {
    "cyclic": lambda i: gt.cyclic([1, 2, 5, 12][i % 4]),
    "abelian": lambda i: gt.abelian([(2, 2), (2, 3, 4), (4, 6), (3, 3, 2)][i % 4]),
    "dihedral": lambda i: gt.dihedral([1, 3, 4, 7][i % 4]),
    "dicyclic": lambda i: gt.dicyclic([1, 2, 3, 5][i % 4]),
    "direct": lambda i: [
        gt.direct_product(gt.cyclic(2), gt.dihedral(3)),
        gt.direct_product(gt.dihedral(4), gt.abelian((2, 2))),
        gt.direct_product(gt.symmetric(3), gt.dihedral(2)),
        gt.direct_product(gt.abelian((2, 2)), gt.cyclic(3)),
    ][i % 4],
    "semidirect": lambda i: [_frobenius(5, 4), _frobenius(7, 3), _frobenius(5, 2), gt.smallgroup_200_44()][i % 4],
    "torus": lambda i: gt.torus_p4m([1, 2, 3, 4][i % 4]),
    "symmetric": lambda i: gt.symmetric([3, 4][i % 2]),
}
_CACHE: dict = {}


def make_group(kind: str, i: int) -> gt.FiniteGroup:
    """Groups are built once per session (their irreps and plans are memoized on them)."""
    if (kind, i) not in _CACHE:
        _CACHE[(kind, i)] = GROUP_MAKERS[kind](i)
    return _CACHE[(kind, i)]


groups = st.builds(make_group, st.sampled_from(sorted(GROUP_MAKERS)), st.integers(0, 3))


def functions(rng: np.random.Generator, G: gt.FiniteGroup, shape: tuple, complex_: bool) -> np.ndarray:
    f = rng.normal(size=shape + (G.order,))
    if complex_:
        f = f + 1j * rng.normal(size=f.shape)
    return f


def definition(G: gt.FiniteGroup, f: np.ndarray) -> list[np.ndarray]:
    """``f_hat(rho) = sum_g f(g) rho(g)`` by an explicit loop over the elements."""
    out = []
    for rho in group_irreps(G):
        m = np.asarray(rho.matrices)
        acc = np.zeros(f.shape[:-1] + (rho.dim, rho.dim), complex)
        for g in range(G.order):
            acc = acc + f[..., g, None, None] * m[g]
        out.append(acc)
    return out


def rel_err(a: np.ndarray, b: np.ndarray) -> float:
    scale = max(np.abs(b).max(initial=0.0), 1e-300)
    return float(np.abs(a - b).max(initial=0.0) / scale)


# -- definition, inversion, Plancherel ---------------------------------------------------------
@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1), complex_=st.booleans())
def test_transform_is_the_definition(G, seed, complex_):
    f = functions(np.random.default_rng(seed), G, (2,), complex_)
    expected = definition(G, f)
    got = transform(G, f)
    assert got.dims == tuple(e.shape[-1] for e in expected)
    for a, b in zip(got, expected):
        assert rel_err(a, b) < 1e-10


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1), complex_=st.booleans(), norm=st.sampled_from([None, "unitary"]))
def test_inverse_round_trip(G, seed, complex_, norm):
    f = functions(np.random.default_rng(seed), G, (3, 2), complex_)
    back = inverse(G, transform(G, f, norm), norm)
    assert back.shape == f.shape
    assert rel_err(back, f) < 1e-10
    if not complex_:
        back_r = inverse(G, transform(G, f, norm), norm, real=True)
        assert back_r.dtype == np.float64 and rel_err(back_r, f) < 1e-10


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1))
def test_plancherel_both_normalizations(G, seed):
    rng = np.random.default_rng(seed)
    f, h = functions(rng, G, (), True), functions(rng, G, (), True)
    lhs = np.sum(f * np.conj(h))
    F, H = transform(G, f), transform(G, h)
    rhs = sum(d * np.trace(a @ np.conj(b).T) for d, a, b in zip(F.dims, F, H)) / G.order
    assert abs(lhs - rhs) < 1e-10 * (1 + abs(lhs)) * G.order
    Fu, Hu = transform(G, f, "unitary"), transform(G, h, "unitary")
    assert abs(np.vdot(Hu.flatten(), Fu.flatten()) - lhs) < 1e-9 * (1 + abs(lhs))
    assert math.isclose(np.linalg.norm(Fu.flatten()), np.linalg.norm(f), rel_tol=1e-10)


def norm_weight(norm, d: int, n: int) -> float:
    """The factor of block rho (degree d) of a group of order n under scipy.fft's norm names."""
    return {None: 1.0, "backward": 1.0, "ortho": math.sqrt(d / n), "unitary": math.sqrt(d / n),
            "forward": 1.0 / n}[norm]


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1), complex_=st.booleans(),
       norm=st.sampled_from([None, "backward", "ortho", "unitary", "forward"]))
def test_every_norm_against_the_definition(G, seed, complex_, norm):
    """Forward: w_rho sum_g f(g) rho(g); inverse: f(g) = sum_rho d_rho/(|G| w_rho) tr(rho(g)^H B(rho))."""
    n = G.order
    f = functions(np.random.default_rng(seed), G, (2,), complex_)
    got = transform(G, f, norm)
    for a, b in zip(got, definition(G, f)):
        assert rel_err(a, norm_weight(norm, b.shape[-1], n) * b) < 1e-10
    back = np.zeros(f.shape, complex)
    for rho, B in zip(group_irreps(G), got):
        m = np.asarray(rho.matrices)
        c = rho.dim / (n * norm_weight(norm, rho.dim, n))
        for g in range(n):
            back[..., g] += c * np.trace(np.conj(m[g]).T @ B, axis1=-2, axis2=-1)
    assert rel_err(back, f) < 1e-10
    assert rel_err(inverse(G, got, norm), back) < 1e-10
    assert rel_err(f @ fourier_matrix(G, norm).T, got.flatten()) < 1e-10


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1))
def test_trace_of_block_is_character_sum(G, seed):
    """tr f_hat(rho) = sum_g f(g) chi_rho(g) with the exact character table."""
    f = functions(np.random.default_rng(seed), G, (), True)
    F = transform(G, f)
    for rho, block in zip(group_irreps(G), F):
        assert abs(np.trace(block) - np.sum(f * np.asarray(rho.character_values))) < 1e-9 * (1 + np.abs(f).sum())


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1), g=st.integers(0, 10**6))
def test_translation_acts_on_blocks(G, seed, g):
    """(L_g f)^(rho) = rho(g) f_hat(rho) and (R_g f)^(rho) = f_hat(rho) rho(g)^H."""
    from grouptools.fourier._convolution import left_translate, right_translate

    g %= G.order
    f = functions(np.random.default_rng(seed), G, (), False)
    F = transform(G, f)
    L, R = transform(G, left_translate(G, f, g)), transform(G, right_translate(G, f, g))
    for rho, a, bl, br in zip(group_irreps(G), F, L, R):
        m = np.asarray(rho.matrices)[g]
        assert rel_err(bl, m @ a) < 1e-10 and rel_err(br, a @ np.conj(m).T) < 1e-10


# -- fast paths against the dense method --------------------------------------------------------
FAST = [
    ("abelian", lambda: gt.abelian((3, 4, 2))),
    ("abelian", lambda: gt.cyclic(30)),
    ("clifford", lambda: gt.torus_p4m(3)),
    ("clifford", lambda: gt.torus_p4m(4)),
    ("clifford", lambda: gt.smallgroup_200_44()),
    ("clifford", lambda: gt.dihedral(9)),
    ("clifford", lambda: _frobenius(7, 6)),
    ("clifford", lambda: gt.direct_product(gt.dihedral(4), gt.abelian((2, 2)))),
    ("clifford", lambda: gt.direct_product(gt.abelian((3,)), gt.symmetric(3))),
]


@pytest.mark.parametrize("method,make", FAST)
@pytest.mark.parametrize("complex_", [False, True])
def test_fast_paths_agree_with_dense(method, make, complex_):
    G = make()
    f = functions(np.random.default_rng(7), G, (4,), complex_)
    dense = transform(G, f, method="dense")
    fast = transform(G, f, method=method)
    assert rel_err(fast.flatten(), dense.flatten()) < 1e-10
    for real in ([False, True] if not complex_ else [False]):
        a = inverse(G, dense, method="dense", real=real)
        b = inverse(G, dense, method=method, real=real)
        assert rel_err(b, a) < 1e-10


def test_auto_method_choice():
    # tiny groups: the dense product (one BLAS call) beats every fast route; large ones: the FFTs
    assert choose_method(gt.cyclic(5)) == "dense"
    assert choose_method(gt.torus_p4m(2)) == "dense"
    assert choose_method(gt.symmetric(3)) == "dense"
    assert choose_method(gt.cyclic(1024)) == "abelian"
    assert choose_method(gt.abelian((32, 32))) == "abelian"
    assert choose_method(gt.torus_p4m(12)) == "clifford"
    assert choose_method(gt.dihedral(1000)) == "clifford"
    with pytest.raises(gt.InvalidGroupError):
        transform(gt.symmetric(3), np.zeros(6), method="clifford")
    with pytest.raises(gt.InvalidGroupError):
        transform(gt.dihedral(3), np.zeros(6), method="abelian")
    with pytest.raises(gt.InvalidGroupError):
        transform(gt.dihedral(3), np.zeros(6), method="fft")


@pytest.mark.parametrize("make", [lambda: gt.torus_p4m(3), lambda: gt.smallgroup_200_44(),
                                  lambda: gt.direct_product(gt.dihedral(3), gt.cyclic(2))])
def test_clifford_kernels_equal_twins(make):
    G = make()
    rng = np.random.default_rng(3)
    for complex_ in (False, True):
        f = functions(rng, G, (5,), complex_)
        P = _clifford.plan(G)
        a = _clifford.execute(P, f, inverse=False)
        b = _clifford.execute(P, f, inverse=False, python=True)
        assert rel_err(a.flatten(), b.flatten()) < 1e-12
        for real in (False, True):
            x = _clifford.execute(P, a, inverse=True, real=real)
            y = _clifford.execute(P, a, inverse=True, real=real, python=True)
            assert rel_err(x, y) < 1e-12


def test_clifford_with_rotated_irrep_basis():
    """The plan handles irreps whose restriction to N is not diagonal (random unitary bases)."""
    base = gt.torus_p4m(3)
    rng = np.random.default_rng(11)

    class Rotated:
        def __init__(self, rho):
            d = rho.dim
            q, _ = np.linalg.qr(rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d)))
            self.dim = d
            self.matrices = np.conj(q).T @ np.asarray(rho.matrices) @ q
            self.character_values = rho.character_values

    class G2(gt.FiniteGroup):
        __slots__ = ()

        def irreps(self):
            return self.memo("rotated", lambda: tuple(Rotated(r) for r in group_irreps(base)))

    G = G2(base.right_perms, base.generator_names, structure=base.structure, _checked=True)
    p = _clifford.plan(G)
    assert any(dp.z.shape[0] for dp in p.degrees)
    f = functions(rng, G, (3,), False)
    assert rel_err(transform(G, f).flatten(), transform(G, f, method="dense").flatten()) < 1e-10
    B = transform(G, f, method="dense")
    assert rel_err(inverse(G, B, real=True), f) < 1e-10


@pytest.mark.parametrize("n", [1, 2, 7, 12])
def test_cyclic_matches_numpy_fft(n):
    """For C_n with characters chi_k(a) = exp(2 pi i k a/n): f_hat(chi_k) = n * ifft(f)[k]."""
    G = gt.cyclic(n)
    f = np.random.default_rng(n).normal(size=n)
    F = transform(G, f).flatten()
    a = G.generators[0] if G.generators else 0
    ks = [int(round(np.angle(np.asarray(r.matrices)[a, 0, 0]) / (2 * np.pi) * n)) % n for r in group_irreps(G)]
    assert sorted(ks) == list(range(n))
    assert np.allclose(F, n * np.fft.ifft(f)[ks], atol=1e-12)


# -- FourierBlocks, the Fourier matrix ------------------------------------------------------------
@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1))
def test_flatten_round_trip_and_fourier_matrix(G, seed):
    rng = np.random.default_rng(seed)
    f = functions(rng, G, (2,), True)
    B = transform(G, f)
    v = B.flatten()
    assert v.shape == (2, G.order)
    assert FourierBlocks.from_flat(G, v).allclose(B, rtol=0, atol=0)
    offsets = np.cumsum([0] + [d * d for d in B.dims])
    for r, d in enumerate(B.dims):  # row-major blocks, concatenated
        assert np.array_equal(v[:, offsets[r] : offsets[r + 1]].reshape(2, d, d), B[r])
    F = fourier_matrix(G)
    assert rel_err(f @ F.T, v) < 1e-12
    U = fourier_matrix(G, norm="unitary")
    assert np.allclose(U @ np.conj(U).T, np.eye(G.order), atol=1e-10)


def test_blocks_arithmetic():
    G = gt.dihedral(4)
    rng = np.random.default_rng(0)
    A, B = transform(G, rng.normal(size=(3, 8))), transform(G, rng.normal(size=8))
    P = A @ B
    assert P.batch_shape == (3,)
    for a, b, p in zip(A, B, P):
        assert np.allclose(p, a @ b)
    for a, h in zip(A, A.H):
        assert np.allclose(h, np.conj(np.swapaxes(a, -1, -2)))
    S = A + 2 * A - A * 3.0
    assert all(np.allclose(s, 0) for s in S)
    assert (-A)[4].shape == (3, 2, 2) and np.allclose((-A)[4], -A[4])
    assert len(A[1:3]) == 2 and A[-1] is not None
    with pytest.raises(gt.InvalidGroupError):
        A @ transform(gt.cyclic(8), np.zeros(8))
    with pytest.raises(gt.InvalidGroupError):
        FourierBlocks([np.zeros((2, 3))])
    with pytest.raises(gt.InvalidGroupError):
        FourierBlocks.from_flat(G, np.zeros(7))
    with pytest.raises(IndexError):
        A[5]


def test_argument_errors():
    G = gt.dihedral(3)
    with pytest.raises(gt.InvalidGroupError):
        transform(G, np.zeros(5))
    with pytest.raises(gt.InvalidGroupError):
        transform(G, np.zeros(6), norm="orthonormal")
    with pytest.raises(gt.InvalidGroupError):
        inverse(G, transform(gt.cyclic(6), np.zeros(6)))
    with pytest.raises(gt.InvalidGroupError):
        transform(G, np.array(["a"] * 6))
    with pytest.raises(gt.GroupTooLargeError):
        fourier_matrix(G, max_order=5)


def test_irrep_values_from_generator_words_match_matrices():
    """The plan reads rho at a few elements through words; compare with rho.matrices."""
    from grouptools.fourier._support import irrep_at

    G = gt.torus_p4m(4)
    els = np.array([0, 1, 17, 100, 127])
    for rho in group_irreps(G):
        assert np.allclose(irrep_at(rho, els, G), np.asarray(rho.matrices)[els], atol=1e-12)


def test_irrep_at_reuses_built_matrices():
    """Once ``rho.matrices`` is built (``rho.has_matrices``), irrep_at reads its rows exactly."""
    from grouptools.fourier._support import irrep_at

    G = gt.torus_p4m(4)
    rho = G.irreps()[-1]
    els = np.array([3, 40])
    assert not rho.has_matrices
    words = irrep_at(rho, els, G)
    assert not rho.has_matrices  # a few elements of a large group: no (|G|, d, d) array built
    mats = rho.matrices
    assert rho.has_matrices
    assert np.array_equal(irrep_at(rho, els, G), mats[els])
    assert np.allclose(words, mats[els], atol=1e-12)


# -- norms ----------------------------------------------------------------------------------------
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), p=st.sampled_from([0.3, 0.5, 1.0, 2.0, 3.0, np.inf]),
       m=st.integers(1, 5), n=st.integers(1, 5))
def test_schatten_norm_matches_eigenvalues(seed, p, m, n):
    a = np.random.default_rng(seed).normal(size=(2, m, n))
    # singular values from the eigenvalues of A^T A (independent of numpy.linalg.svd)
    gram = np.swapaxes(a, -1, -2) @ a if m >= n else a @ np.swapaxes(a, -1, -2)  # min(m, n) square
    ev = np.clip(np.linalg.eigvalsh(gram), 0, None)
    s = np.sqrt(ev)
    expected = s.max(axis=-1) if np.isinf(p) else np.sum(s**p, axis=-1) ** (1 / p)
    assert np.allclose(schatten_norm(a, p), expected, rtol=1e-8, atol=1e-10)
    if p == 1.0:
        assert np.allclose(schatten_norm(a, 1), [np.linalg.norm(x, "nuc") for x in a])
    if p == 2.0:
        assert np.allclose(schatten_norm(a, 2), [np.linalg.norm(x, "fro") for x in a])


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1))
def test_weighted_schatten_plancherel_and_abelian(G, seed):
    f = functions(np.random.default_rng(seed), G, (), False)
    B = transform(G, f)
    # p = 2: sum_rho d ||f_hat||_F^2 = |G| ||f||^2 (Plancherel), independent of the irreps
    assert math.isclose(weighted_schatten(B, 2, summed=True), G.order * np.sum(f**2), rel_tol=1e-9)
    assert math.isclose(weighted_schatten(B, 2), math.sqrt(G.order * np.sum(f**2)), rel_tol=1e-9)
    assert math.isclose(weighted_schatten(B, np.inf), max(np.linalg.norm(b, 2) for b in B), rel_tol=1e-9)
    per = schatten_norm(B, 0.5)
    assert per.shape == (len(B),)
    assert math.isclose(weighted_schatten(B, 0.5, summed=True), sum(d * x**0.5 for d, x in zip(B.dims, per)), rel_tol=1e-9)


def test_weighted_schatten_abelian_is_lp_of_dft():
    """For abelian G the weighted norm is the l_p norm of the DFT (the CNN result of Gunasekar et al., "Implicit bias of gradient descent on linear convolutional networks", 2018)."""
    G = gt.cyclic(10)
    f = np.random.default_rng(2).normal(size=10)
    dft = np.fft.fft(f)
    for p in (0.5, 1.0, 2.0 / 3.0):
        assert math.isclose(weighted_schatten(transform(G, f), p), np.sum(np.abs(dft) ** p) ** (1 / p), rel_tol=1e-9)


def test_weighted_schatten_batched_and_lp():
    G = gt.dihedral(4)
    f = np.random.default_rng(1).normal(size=(3, 8))
    w = weighted_schatten(transform(G, f), 1.0)
    assert w.shape == (3,)
    assert np.allclose(w, [weighted_schatten(transform(G, x), 1.0) for x in f])
    assert np.allclose(lp_norm(f, 2), np.linalg.norm(f, axis=1))
    assert np.allclose(lp_norm(f, 0.5, summed=True), np.sum(np.sqrt(np.abs(f)), axis=1))
    assert np.allclose(lp_norm(f, np.inf), np.abs(f).max(axis=1))
    for bad in (0, -1, "x", float("nan")):
        with pytest.raises(gt.InvalidGroupError):
            lp_norm(f, bad)
    with pytest.raises(gt.InvalidGroupError):
        schatten_norm(np.ones(3), 1)
