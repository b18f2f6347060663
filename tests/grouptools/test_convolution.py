"""Tests of grouptools._convolution and the numba kernels of grouptools._kernels.

Expected values come from the definitions evaluated literally with the Cayley table
(``sum_v f(u v^-1) w(v)``, ``sum_h w(h) x(h g)``), from the convolution theorem with the dense
Fourier transform, and, for image lifting, from numpy array operations on the images (rolls and
index permutations written from the geometric action, not from the group).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools import _kernels, _kernels_py
from grouptools._convolution import (
    _choose,
    convolve,
    correlate,
    left_translate,
    lift_image,
    regular_representation,
    right_translate,
)
from grouptools.fourier import transform

SETTINGS = settings(max_examples=20, deadline=None)

_MAKERS = [
    lambda: gt.cyclic(9),
    lambda: gt.abelian((2, 6)),
    lambda: gt.dihedral(5),
    lambda: gt.dicyclic(3),
    lambda: gt.symmetric(4),
    lambda: gt.torus_p4m(2),
    lambda: gt.torus_p4m(3),
    lambda: gt.semidirect_product(gt.cyclic(7), gt.cyclic(3), [["a^2"]]),
    lambda: gt.direct_product(gt.dihedral(4), gt.abelian((2,))),
    lambda: gt.direct_product(gt.symmetric(3), gt.dihedral(2)),
]
_GROUPS: dict = {}


def _group(i: int) -> gt.FiniteGroup:
    if i not in _GROUPS:
        _GROUPS[i] = _MAKERS[i]()
    return _GROUPS[i]


groups = st.builds(_group, st.integers(0, len(_MAKERS) - 1))


def conv_def(G, f, w):
    """``(f * w)(u) = sum_v f(u v^-1) w(v)`` literally."""
    T, inv = np.asarray(G.cayley_table), np.asarray(G.inverse)
    out = np.zeros(np.broadcast_shapes(f.shape, w.shape), np.result_type(f, w))
    for v in range(G.order):
        out = out + f[..., T[:, inv[v]]] * w[..., v, None]
    return out


def corr_def(G, x, w):
    """``(x star w)(g) = sum_h w(h) x(h g)`` literally."""
    T = np.asarray(G.cayley_table)
    out = np.zeros(np.broadcast_shapes(x.shape, w.shape), np.result_type(x, w))
    for h in range(G.order):
        out = out + w[..., h, None] * x[..., T[h, :]]
    return out


def rand(rng, shape, complex_=False, sparsity=0.0):
    a = rng.normal(size=shape)
    if complex_:
        a = a + 1j * rng.normal(size=shape)
    if sparsity:
        a = a * (rng.random(shape) >= sparsity)
    return a


def close(a, b, tol=1e-10):
    return np.abs(a - b).max(initial=0.0) <= tol * (1 + np.abs(b).max(initial=0.0))


# -- against the definitions ---------------------------------------------------------------------
@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1), complex_=st.booleans(),
       method=st.sampled_from(["direct", "fourier", "auto"]), sparsity=st.sampled_from([0.0, 0.9]))
def test_convolve_and_correlate_match_definitions(G, seed, complex_, method, sparsity):
    rng = np.random.default_rng(seed)
    f = rand(rng, (2, 3, G.order), complex_)
    w = rand(rng, (G.order,), complex_, sparsity)
    got = convolve(G, f, w, method=method)
    assert got.shape == f.shape and (np.iscomplexobj(got) == complex_)
    assert close(got, conv_def(G, f, w))
    assert close(correlate(G, f, w, method=method), corr_def(G, f, w))


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1), method=st.sampled_from(["direct", "fourier"]),
       complex_=st.booleans())
def test_multichannel_is_a_sum_over_input_channels(G, seed, method, complex_):
    rng = np.random.default_rng(seed)
    x = rand(rng, (2, 3, G.order), complex_)
    w = rand(rng, (4, 3, G.order), complex_, 0.5)
    exp_conv = np.stack([sum(conv_def(G, x[:, i], w[o, i]) for i in range(3)) for o in range(4)], axis=1)
    exp_corr = np.stack([sum(corr_def(G, x[:, i], w[o, i]) for i in range(3)) for o in range(4)], axis=1)
    assert close(convolve(G, x, w, method=method), exp_conv)
    assert close(correlate(G, x, w, method=method), exp_corr)
    assert convolve(G, x[0], w, method=method).shape == (4, G.order)


# -- algebra -----------------------------------------------------------------------------------------
@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1))
def test_convolution_theorem_and_associativity(G, seed):
    rng = np.random.default_rng(seed)
    f, w, h = (rand(rng, (G.order,), True) for _ in range(3))
    fw = conv_def(G, f, w)
    F, W, FW = (transform(G, a, method="dense") for a in (f, w, fw))
    for a, b, c in zip(F, W, FW):  # (f * w)^ = f_hat w_hat
        assert close(c, a @ b)
    assert close(convolve(G, convolve(G, f, w), h), convolve(G, f, convolve(G, w, h)))


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1), k=st.integers(0, 10**6))
def test_equivariance(G, seed, k):
    """Correlation commutes with right translations, convolution with left translations."""
    rng = np.random.default_rng(seed)
    k %= G.order
    x, w = rand(rng, (2, G.order)), rand(rng, (G.order,))
    assert close(correlate(G, right_translate(G, x, k), w), right_translate(G, correlate(G, x, w), k))
    assert close(convolve(G, left_translate(G, x, k), w), left_translate(G, convolve(G, x, w), k))


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1))
def test_correlation_fourier_identity(G, seed):
    """For real w: (x star w)^(rho) = w_hat(rho)^H x_hat(rho) (THEORY.md)."""
    rng = np.random.default_rng(seed)
    x, w = rand(rng, (G.order,), True), rand(rng, (G.order,))
    C, X, W = (transform(G, a, method="dense") for a in (corr_def(G, x, w), x, w))
    for c, a, b in zip(C, X, W):
        assert close(c, np.conj(b).T @ a)


# -- kernels and their twins -----------------------------------------------------------------------
@pytest.mark.parametrize("i", [2, 4, 6])
@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_kernels_equal_twins(i, dtype):
    G = _group(i)
    rng = np.random.default_rng(i)
    T = np.asarray(G.cayley_table)
    n = G.order
    vidx = np.sort(rng.choice(n, size=max(1, n // 3), replace=False)).astype(np.int64)
    wval = rand(rng, vidx.shape, dtype == np.complex128).astype(dtype)
    ft = rand(rng, (n, 5), dtype == np.complex128).astype(dtype)
    a, b = np.empty((n, 5), dtype), np.empty((n, 5), dtype)
    _kernels.conv_direct(T, vidx, wval, ft, a)
    _kernels_py.conv_direct(T, vidx, wval, ft, b)
    assert close(a, b, 1e-12)
    wmat = rand(rng, (vidx.size, 3, 2), dtype == np.complex128).astype(dtype)
    ft3 = rand(rng, (n, 5, 3), dtype == np.complex128).astype(dtype)
    a3, b3 = np.empty((n, 5, 2), dtype), np.empty((n, 5, 2), dtype)
    _kernels.conv_direct_channels(T, vidx, wmat, ft3, a3)
    _kernels_py.conv_direct_channels(T, vidx, wmat, ft3, b3)
    assert close(a3, b3, 1e-12)


def test_direct_route_through_twins_matches():
    from grouptools._convolution import _direct

    G = _group(5)
    rng = np.random.default_rng(0)
    f, w = rand(rng, (3, G.order)), rand(rng, (G.order,), sparsity=0.5)
    assert close(_direct(G, f, w), _direct(G, f, w, py=True), 1e-12)
    fc, wc = rand(rng, (3, 2, G.order)), rand(rng, (4, 2, G.order))
    assert close(_direct(G, fc, wc), _direct(G, fc, wc, py=True), 1e-12)


# -- translations, regular representation ------------------------------------------------------------
@SETTINGS
@given(G=groups, a=st.integers(0, 10**6), b=st.integers(0, 10**6))
def test_regular_representation(G, a, b):
    a, b = a % G.order, b % G.order
    ab = G.multiply(a, b)
    for side in ("left", "right"):
        Pa, Pb = (regular_representation(G, x, side=side) for x in (a, b))
        assert np.array_equal(Pa @ Pb, regular_representation(G, ab, side=side))  # homomorphism
        S = regular_representation(G, a, side=side, kind="sparse")
        assert np.array_equal(S.toarray(), Pa)
    f = np.arange(G.order, dtype=float)
    assert np.array_equal(regular_representation(G, a) @ f, left_translate(G, f, a))
    assert np.array_equal(f[regular_representation(G, a, side="right", kind="index")], right_translate(G, f, a))
    # definitions: (L_a f)(u) = f(a^-1 u), (R_a f)(u) = f(u a)
    T, inv = np.asarray(G.cayley_table), np.asarray(G.inverse)
    assert np.array_equal(left_translate(G, f, a), f[T[inv[a], :]])
    assert np.array_equal(right_translate(G, f, a), f[T[:, a]])
    # L_a e_u = e_{a u}
    assert np.array_equal(np.argmax(regular_representation(G, a), axis=0), T[a, :])


def test_translation_and_regular_errors():
    G = gt.dihedral(3)
    with pytest.raises(gt.InvalidGroupError):
        left_translate(G, np.zeros(6), 6)
    with pytest.raises(gt.InvalidGroupError):
        regular_representation(G, 1, side="up")
    with pytest.raises(gt.InvalidGroupError):
        regular_representation(G, 1, kind="list")
    with pytest.raises(gt.GroupTooLargeError):
        regular_representation(G, 1, max_order=4)
    assert np.array_equal(left_translate(G, np.arange(6.0), "r"), left_translate(G, np.arange(6.0), G.element("r")))


# -- image lifting ---------------------------------------------------------------------------------------
def act_on_image(gen: str, img: np.ndarray) -> np.ndarray:
    """``(g . x)(p) = x(g^-1 . p)`` for the generators of torus_p4m, from the geometry."""
    n = img.shape[-1]
    u, v = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    if gen == "x":  # translation by (1, 0)
        return np.roll(img, 1, axis=-2)
    if gen == "y":  # translation by (0, 1)
        return np.roll(img, 1, axis=-1)
    if gen == "r":  # rotation (u, v) -> (-v, u); its inverse is (u, v) -> (v, -u)
        return img[..., v, (-u) % n]
    if gen == "s":  # reflection (u, v) -> (u, -v), an involution
        return img[..., u, (-v) % n]
    raise ValueError(gen)


@pytest.mark.parametrize("n", [3, 4, 5])
def test_lift_image_is_equivariant(n):
    G = gt.torus_p4m(n)
    rng = np.random.default_rng(n)
    img = rng.normal(size=(2, n, n))
    F = lift_image(G, img)
    assert F.shape == (2, G.order)
    assert np.array_equal(lift_image(G, img.reshape(2, n * n)), F)
    for _ in range(6):
        word = list(rng.choice(["x", "y", "r", "s"], size=rng.integers(1, 6)))
        moved = img
        for gen in reversed(word):  # (g1 g2) . x = g1 . (g2 . x)
            moved = act_on_image(gen, moved)
        g = G.element("*".join(word))
        assert np.array_equal(lift_image(G, moved), left_translate(G, F, g))


def test_lift_image_errors():
    with pytest.raises(gt.InvalidGroupError):
        lift_image(gt.symmetric(3), np.zeros((2, 3)))
    with pytest.raises(gt.InvalidGroupError):
        lift_image(gt.torus_p4m(3), np.zeros((4, 4)))


# -- method choice and errors ---------------------------------------------------------------------------
def test_method_choice_and_errors():
    G = gt.torus_p4m(4)
    assert _choose(G, "auto", nnz=3, channels=1) == "direct"
    assert _choose(G, "auto", nnz=G.order, channels=1) == "fourier"
    assert _choose(gt.symmetric(4), "auto", nnz=24, channels=1) == "direct"
    small = gt.FiniteGroup(G.right_perms, G.generator_names, structure=G.structure, max_table_order=16, _checked=True)
    assert _choose(small, "auto", nnz=1, channels=1) == "fourier"
    f = np.random.default_rng(0).normal(size=(2, G.order))
    w = np.eye(G.order)[5]
    assert close(convolve(small, f, w), conv_def(G, f, w))
    with pytest.raises(gt.GroupTooLargeError):
        convolve(small, f, w, method="direct")
    with pytest.raises(gt.InvalidGroupError):
        convolve(G, f, w, method="fft")
    with pytest.raises(gt.InvalidGroupError):
        convolve(G, f, np.zeros((2, G.order)))
    with pytest.raises(gt.InvalidGroupError):
        convolve(G, f, np.zeros((3, 4, G.order)))
    with pytest.raises(gt.InvalidGroupError):
        correlate(G, f[:, :5], w)
