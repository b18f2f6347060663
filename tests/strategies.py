"""Hypothesis strategies shared by the test suite: groups with known orders, and functions."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st

import grouptools as gt


def _factorial(n: int) -> int:
    return math.factorial(n)


@st.composite
def catalogue_groups(draw, max_order: int = 200):
    """A catalogue group with its order computed from a formula: ``(group, order, label)``."""
    kind = draw(st.sampled_from(
        ["cyclic", "dihedral", "abelian", "dicyclic", "symmetric", "alternating", "direct", "torus"]
    ))
    if kind == "cyclic":
        n = draw(st.integers(1, max_order))
        return gt.cyclic(n), n, f"cyclic({n})"
    if kind == "dihedral":
        n = draw(st.integers(1, max_order // 2))
        return gt.dihedral(n), 2 * n, f"dihedral({n})"
    if kind == "abelian":
        inv = draw(st.lists(st.integers(1, 8), min_size=1, max_size=3))
        if math.prod(inv) > max_order:
            inv = inv[:1]
        return gt.abelian(inv), math.prod(inv), f"abelian({inv})"
    if kind == "dicyclic":
        n = draw(st.integers(1, max(1, max_order // 4)))
        return gt.dicyclic(n), 4 * n, f"dicyclic({n})"
    if kind == "symmetric":
        n = draw(st.integers(1, 5))
        return gt.symmetric(n), _factorial(n), f"symmetric({n})"
    if kind == "alternating":
        n = draw(st.integers(3, 5))
        return gt.alternating(n), _factorial(n) // 2, f"alternating({n})"
    if kind == "torus":
        n = draw(st.integers(1, 4))
        return gt.torus_p4m(n), 8 * n * n, f"torus_p4m({n})"
    a = draw(st.integers(1, 6))
    b = draw(st.integers(1, 4))
    return gt.direct_product(gt.cyclic(a), gt.dihedral(b)), 2 * a * b, f"C{a} x dihedral({b})"


@st.composite
def known_presentations(draw):
    """A presentation string of a group of known order: ``(text, order)``."""
    kind = draw(st.sampled_from(["cyclic", "dihedral", "abelian2", "dicyclic", "triangle"]))
    if kind == "cyclic":
        n = draw(st.integers(1, 60))
        return f"<a | a^{n}>", n
    if kind == "dihedral":
        n = draw(st.integers(2, 40))
        return f"<r, s | r^{n}, s^2, (s*r)^2>", 2 * n
    if kind == "abelian2":
        m, n = draw(st.integers(1, 12)), draw(st.integers(1, 12))
        return f"<a, b | a^{m}, b^{n}, [a, b]>", m * n
    if kind == "dicyclic":
        n = draw(st.integers(1, 15))
        return f"<a, x | a^{2 * n}, x^2 = a^{n}, x^-1*a*x = a^-1>", 4 * n
    # spherical triangle groups (2,3,k): orders 12, 24, 60 for k = 3, 4, 5
    k = draw(st.sampled_from([3, 4, 5]))
    return f"<a, b | a^2, b^3, (a*b)^{k}>", {3: 12, 4: 24, 5: 60}[k]


def rel_err(a: np.ndarray, b: np.ndarray) -> float:
    """Largest entrywise difference of ``a`` and ``b`` relative to the largest entry of ``b``."""
    a, b = a.flatten(), b.flatten()
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-300))


def signals(G: gt.FiniteGroup, seed: int, batch: tuple[int, ...], complex_: bool) -> np.ndarray:
    """Gaussian functions on ``G`` of shape ``batch + (|G|,)``, real or complex."""
    rng = np.random.default_rng(seed)
    f = rng.normal(size=batch + (G.order,))
    if complex_:
        f = f + 1j * rng.normal(size=f.shape)
    return f
