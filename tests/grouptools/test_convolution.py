"""Tests of grouptools.fourier._convolution and the numba kernels of grouptools._kernels.convolution.

Expected values come from the definitions evaluated literally with the Cayley table
(``sum_v f(u v^-1) w(v)``, ``sum_h w(h) x(g h)``) or with ``G.multiply`` in plain-Python loops,
from the convolution theorem with the dense Fourier transform, and, for image lifting, from numpy
array operations on the images (rolls, ``rot90``, ``flip`` and index permutations written from the
geometric action, not from the group).

The correlation is the G-CNN layer of Cohen & Welling (ICML 2016), ``(x star w)(g) = sum_h w(h)
x(g h)``; it commutes with left translations ``(L_k x)(g) = x(k^-1 g)``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools._kernels import convolution as _kernels
from grouptools.fourier._convolution import (
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
    lambda: gt.group("<a, b | a^4, b^2, (a*b)^2>"),  # from a presentation: D8, non-abelian
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
    """``(x star w)(g) = sum_h w(h) x(g h)`` literally (``T[:, h]`` lists ``g h`` over ``g``)."""
    T = np.asarray(G.cayley_table)
    out = np.zeros(np.broadcast_shapes(x.shape, w.shape), np.result_type(x, w))
    for h in range(G.order):
        out = out + w[..., h, None] * x[..., T[:, h]]
    return out


def corr_loop(G, x, w):
    """``(x star w)(g) = sum_h w(h) x(g h)`` as a plain-Python double loop over ``G.multiply``."""
    n = G.order
    out = np.zeros(x.shape, np.result_type(x, w))
    for g in range(n):
        for h in range(n):
            out[..., g] += w[h] * x[..., G.multiply(g, h)]
    return out


def left_loop(G, x, k):
    """``(L_k x)(g) = x(k^-1 g)`` with ``G.multiply`` and ``G.inverse`` (not the code under test)."""
    ki = int(G.inverse[k])
    return x[..., [G.multiply(ki, g) for g in range(G.order)]]


def right_loop(G, x, k):
    """``(R_k x)(g) = x(g k)``."""
    return x[..., [G.multiply(g, k) for g in range(G.order)]]


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
    """Correlation and convolution (in its first argument) commute with left translations."""
    rng = np.random.default_rng(seed)
    k %= G.order
    x, w = rand(rng, (2, G.order)), rand(rng, (G.order,))
    assert close(correlate(G, left_translate(G, x, k), w), left_translate(G, correlate(G, x, w), k))
    assert close(convolve(G, left_translate(G, x, k), w), left_translate(G, convolve(G, x, w), k))


# the left-translation property over a presentation group, non-abelian catalogue groups, p4m tori
_EQUI_MAKERS = [
    lambda: gt.group("<a, b | a^4, b^2, (a*b)^2>"),
    lambda: gt.group("<a, b | a^3, b^2, (a*b)^2>"),
    lambda: gt.dihedral(5),
    lambda: gt.dicyclic(3),
    lambda: gt.symmetric(4),
    lambda: gt.torus_p4m(2),
    lambda: gt.torus_p4m(3),
]
_EQUI: dict = {}


def _equi_group(i: int) -> gt.FiniteGroup:
    if i not in _EQUI:
        _EQUI[i] = _EQUI_MAKERS[i]()
    return _EQUI[i]


@settings(max_examples=25, deadline=None)
@given(i=st.integers(0, len(_EQUI_MAKERS) - 1), seed=st.integers(0, 2**32 - 1), k=st.integers(0, 10**6),
       method=st.sampled_from(["direct", "fourier"]), sparsity=st.sampled_from([0.0, 0.7]))
def test_correlation_commutes_with_left_translations(i, seed, k, method, sparsity):
    """``correlate(L_k x, w) = L_k correlate(x, w)``, every side checked against a plain double loop."""
    G = _equi_group(i)
    rng = np.random.default_rng(seed)
    k %= G.order
    x, w = rand(rng, (2, G.order)), rand(rng, (G.order,), sparsity=sparsity)
    Lx = left_loop(G, x, k)
    got = correlate(G, Lx, w, method=method)
    assert close(got, corr_loop(G, Lx, w))  # the definition sum_h w(h) x(g h)
    assert close(got, left_loop(G, correlate(G, x, w, method=method), k))  # L_k (x star w)
    assert close(left_translate(G, x, k), Lx)  # the library's L_k is the same translation


@pytest.mark.parametrize("i", range(len(_EQUI_MAKERS)))
def test_correlation_is_not_right_equivariant(i):
    """On these non-abelian groups some right translation does not commute with the layer.

    (The old convention ``sum_h w(h) x(h g)`` commuted with every ``R_k``; this pins the new one.)
    """
    G = _equi_group(i)
    assert not G.is_abelian
    rng = np.random.default_rng(i)
    x, w = rand(rng, (G.order,)), rand(rng, (G.order,))
    y = correlate(G, x, w)
    assert any(not close(correlate(G, right_loop(G, x, k), w), right_loop(G, y, k), 1e-6) for k in range(G.order))


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1))
def test_correlation_fourier_identity(G, seed):
    """For real w: (x star w)^(rho) = x_hat(rho) w_hat(rho)^H; for complex w, w_hat -> transform of conj(w)."""
    rng = np.random.default_rng(seed)
    x, w = rand(rng, (G.order,), True), rand(rng, (G.order,))
    C, X, W = (transform(G, a, method="dense") for a in (corr_def(G, x, w), x, w))
    for c, a, b in zip(C, X, W):
        assert close(c, a @ np.conj(b).T)
    wc = rand(rng, (G.order,), True)
    C, Wc = (transform(G, a, method="dense") for a in (corr_def(G, x, wc), np.conj(wc)))
    for c, a, b in zip(C, X, Wc):
        assert close(c, a @ np.conj(b).T)


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
    _kernels.conv_direct.py(T, vidx, wval, ft, b)
    assert close(a, b, 1e-12)
    wmat = rand(rng, (vidx.size, 3, 2), dtype == np.complex128).astype(dtype)
    ft3 = rand(rng, (n, 5, 3), dtype == np.complex128).astype(dtype)
    a3, b3 = np.empty((n, 5, 2), dtype), np.empty((n, 5, 2), dtype)
    _kernels.conv_direct_channels(T, vidx, wmat, ft3, a3)
    _kernels.conv_direct_channels.py(T, vidx, wmat, ft3, b3)
    assert close(a3, b3, 1e-12)


def test_direct_route_through_twins_matches():
    from grouptools.fourier._convolution import _direct

    G = _group(5)
    rng = np.random.default_rng(0)
    f, w = rand(rng, (3, G.order)), rand(rng, (G.order,), sparsity=0.5)
    assert close(_direct(G, f, w), _direct(G, f, w, python=True), 1e-12)
    fc, wc = rand(rng, (3, 2, G.order)), rand(rng, (4, 2, G.order))
    assert close(_direct(G, fc, wc), _direct(G, fc, wc, python=True), 1e-12)


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


# numpy operations on an n x n image (about its centre, so composed with a shift) and the element of
# torus_p4m(n) acting as each, from (g . x)(p) = x(g^-1 . p) with r: (u, v) -> (-v, u),
# s: (u, v) -> (u, -v), x, y: unit shifts of rows and columns (indices mod n):
# * roll(img, 1, axis=0)[u, v] = img[u - 1, v]: the shift x;
# * rot90(img)[u, v] = img[v, n-1-u] = (r . img)[u + 1, v] = (x^-1 . (r . img))[u, v]: x^-1 r;
# * flip(img, axis=1)[u, v] = img[u, n-1-v] = (s . img)[u, v + 1]: y^-1 s;
# * flip(img, axis=0)[u, v] = img[n-1-u, v]; r^2 s: (u, v) -> (-u, v), so this is x^-1 r^2 s;
# * img.T[u, v] = img[v, u]; r s: (u, v) -> (v, u), an involution: r s.
IMAGE_OPS = {
    "roll0": (lambda im: np.roll(im, 1, axis=-2), "x"),
    "roll1": (lambda im: np.roll(im, 1, axis=-1), "y"),
    "rot90": (lambda im: np.rot90(im, axes=(-2, -1)), "x^-1*r"),
    "flip1": (lambda im: np.flip(im, axis=-1), "y^-1*s"),
    "flip0": (lambda im: np.flip(im, axis=-2), "x^-1*r^2*s"),
    "transpose": (lambda im: np.swapaxes(im, -1, -2), "r*s"),
}


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 4), ops=st.lists(st.sampled_from(sorted(IMAGE_OPS)), min_size=1, max_size=4),
       seed=st.integers(0, 2**32 - 1), method=st.sampled_from(["direct", "fourier"]))
def test_numpy_image_ops_are_left_translations_of_the_lift(n, ops, seed, method):
    """rot90/flip/roll of an image lift to ``L_g``, and the correlation of the lift follows."""
    G = _torus(n)
    rng = np.random.default_rng(seed)
    img = rng.normal(size=(2, n, n))
    moved, g = img, 0
    assert [G.multiply(0, h) for h in range(G.order)] == list(range(G.order))  # 0 is the identity
    for op in ops:  # applying op after the previous ones multiplies g on the left
        fn, word = IMAGE_OPS[op]
        moved = fn(moved)
        g = G.multiply(G.element(word), g)
    F, Fm = lift_image(G, img), lift_image(G, moved)
    assert np.array_equal(Fm, left_loop(G, F, g))
    w = rand(rng, (G.order,), sparsity=0.5)
    out = correlate(G, Fm, w, method=method)
    assert close(out, left_loop(G, correlate(G, F, w, method=method), g))
    assert close(out, corr_def(G, Fm, w))


_TORI: dict = {}


def _torus(n: int) -> gt.FiniteGroup:
    if n not in _TORI:
        _TORI[n] = gt.torus_p4m(n)
    return _TORI[n]


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
