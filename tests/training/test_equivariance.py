"""Left equivariance of the G-CNN feature maps (training.models.GCNN.feature_maps).

The G-correlation layer is ``(x star w)(g) = sum_h w(h) x(g h)`` (Cohen & Welling, "Group
equivariant convolutional networks", ICML 2016), which commutes with left translations
``(L_k x)(g) = x(k^-1 g)``. Expected values are computed here with plain-Python loops over
``G.multiply`` (the layer definition and the translation), not with the code under test; image
transformations are numpy's ``roll``, ``rot90``, ``flip`` and ``transpose``, whose group elements of
``torus_p4m(n)`` are derived from the geometric action in the comments of ``IMAGE_OPS``.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from training.models import GCNN

GROUPS = {
    "presentation D8": lambda: gt.group("<a, b | a^4, b^2, (a*b)^2>"),
    "presentation S3": lambda: gt.group("<a, b | a^3, b^2, (a*b)^2>"),
    "D10": lambda: gt.dihedral(5),
    "S4": lambda: gt.symmetric(4),
    "Dic3": lambda: gt.dicyclic(3),
    "p4m2": lambda: gt.torus_p4m(2),
    "p4m3": lambda: gt.torus_p4m(3),
}


@functools.lru_cache(maxsize=None)
def group(name: str) -> gt.FiniteGroup:
    return GROUPS[name]()


@functools.lru_cache(maxsize=None)
def mult(name: str) -> list[list[int]]:
    """The multiplication table from ``G.multiply``, one call per pair."""
    G = group(name)
    return [[int(G.multiply(a, b)) for b in range(G.order)] for a in range(G.order)]


def left(name: str, x: np.ndarray, k: int) -> np.ndarray:
    """``(L_k x)(g) = x(k^-1 g)``."""
    M = mult(name)
    e = next(a for a in range(len(M)) if all(M[a][b] == b for b in range(len(M))))  # identity
    ki = next(a for a in range(len(M)) if M[a][k] == e)  # k^-1
    return x[..., [M[ki][g] for g in range(len(M))]]


def correlation_loop(name: str, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``(x star w)(g) = sum_h w(h) x(g h)``, row by row, as a plain double loop."""
    M = mult(name)
    n = len(M)
    out = np.zeros(x.shape)
    for row in range(x.shape[0]):
        for g in range(n):
            out[row, g] = sum(w[h] * x[row, M[g][h]] for h in range(n))
    return out


def rel_err(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


# -- GCNN.feature_maps ----------------------------------------------------------------------------------------
@settings(max_examples=20, deadline=None, database=None)
@given(name=st.sampled_from(sorted(GROUPS)), depth=st.integers(1, 4), k=st.integers(0, 10**6),
       method=st.sampled_from(["real", "fourier"]), seed=st.integers(0, 10**6))
def test_feature_maps_follow_left_translations(name, depth, k, method, seed):
    G = group(name)
    n = G.order
    k %= n
    m = GCNN(G, depth, seed=seed, method=method)
    assert m.method == method
    X = np.random.default_rng(seed).standard_normal((2, n))
    maps = m.feature_maps(X)
    assert len(maps) == depth - 1 and all(h.shape == (2, n) for h in maps)
    # the definition, layer by layer
    h = X
    for w, got in zip(m.params[:-1], maps):
        h = correlation_loop(name, h, w)
        assert rel_err(got, h) < 1e-10
    # equivariance: feature_maps(L_k X) = L_k feature_maps(X)
    moved = m.feature_maps(left(name, X, k))
    for a, b in zip(moved, maps):
        assert rel_err(a, left(name, b, k)) < 1e-10


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_feature_maps_of_both_paths_agree_and_are_not_right_equivariant(name):
    G = group(name)
    real, fourier = GCNN(G, 3, seed=1, method="real"), GCNN(G, 3, seed=1, method="fourier")
    X = np.random.default_rng(2).standard_normal((3, G.order))
    a, b = real.feature_maps(X), fourier.feature_maps(X)
    assert len(a) == len(b) == 2
    assert max(rel_err(p, q) for p, q in zip(b, a)) < 1e-10
    assert all(np.array_equal(p, q) for p, q in zip(a, real.layer_outputs(X)[1:]))
    # the old convention sum_h w(h) x(h g) commuted with right translations; this one does not
    M = mult(name)
    right = lambda x, k: x[..., [M[g][k] for g in range(G.order)]]  # noqa: E731
    assert any(rel_err(real.feature_maps(right(X, k))[0], right(a[0], k)) > 1e-6 for k in range(G.order))


def test_feature_maps_depth_one_and_shape_errors():
    m = GCNN(gt.dihedral(3), 1)
    assert m.feature_maps(np.ones((2, 6))) == []
    from training._errors import ShapeError

    with pytest.raises(ShapeError):
        GCNN(gt.dihedral(3), 3).feature_maps(np.ones((2, 5)))


# -- images lifted to torus_p4m(n) ------------------------------------------------------------------------------
# numpy operations on an n x n image (about its centre, so composed with a shift) and the element of
# torus_p4m(n) acting as each, from (g . x)(p) = x(g^-1 . p) with r: (u, v) -> (-v, u),
# s: (u, v) -> (u, -v), x, y: unit shifts of rows and columns (indices mod n), as documented in
# grouptools.lift_image:
# * roll(img, 1, axis=0)[u, v] = img[u - 1, v]: the shift x (axis 1: y);
# * rot90(img)[u, v] = img[v, n-1-u] = (r . img)[u + 1, v]: x^-1 r;
# * flip(img, axis=1)[u, v] = img[u, n-1-v] = (s . img)[u, v + 1]: y^-1 s;
# * flip(img, axis=0)[u, v] = img[n-1-u, v], and r^2 s: (u, v) -> (-u, v): x^-1 r^2 s;
# * img.T[u, v] = img[v, u], and r s: (u, v) -> (v, u): r s.
IMAGE_OPS = {
    "roll0": (lambda im: np.roll(im, 1, axis=-2), "x"),
    "roll1": (lambda im: np.roll(im, 1, axis=-1), "y"),
    "rot90": (lambda im: np.rot90(im, axes=(-2, -1)), "x^-1*r"),
    "flip1": (lambda im: np.flip(im, axis=-1), "y^-1*s"),
    "flip0": (lambda im: np.flip(im, axis=-2), "x^-1*r^2*s"),
    "transpose": (lambda im: np.swapaxes(im, -1, -2), "r*s"),
}


@settings(max_examples=20, deadline=None, database=None)
@given(n=st.sampled_from([2, 3]), ops=st.lists(st.sampled_from(sorted(IMAGE_OPS)), min_size=1, max_size=3),
       method=st.sampled_from(["real", "fourier"]), seed=st.integers(0, 10**6))
def test_image_transformations_move_the_lifted_feature_maps(n, ops, method, seed):
    name = f"p4m{n}"
    G = group(name)
    M = mult(name)
    rng = np.random.default_rng(seed)
    img = rng.standard_normal((2, n, n))
    moved, g = img, next(a for a in range(G.order) if all(M[a][b] == b for b in range(G.order)))
    for op in ops:  # applying op after the previous ones multiplies g on the left
        fn, word = IMAGE_OPS[op]
        moved = fn(moved)
        g = M[G.element(word)][g]
    F, Fm = gt.lift_image(G, img), gt.lift_image(G, moved)
    # the lift: constant on the cosets n H, lift(x)(n h) = x(n) (index h |N| + n)
    assert np.array_equal(F, np.tile(img.reshape(2, n * n), (1, 8)))
    assert np.array_equal(Fm, left(name, F, g))  # lift(g . img) = L_g lift(img)
    m = GCNN(G, 3, seed=seed, method=method)
    for a, b in zip(m.feature_maps(Fm), m.feature_maps(F)):
        assert rel_err(a, left(name, b, g)) < 1e-10
