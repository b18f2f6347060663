"""Character tables and irreps of direct products assembled from the factors
(grouptools.reps._products, dispatched by grouptools.reps._api).

Expected values are independent of the code under test: Dixon-Schneider's certified table of a
separately built copy of the same group (``grouptools.reps.dixon_schneider_table``, which
never takes the product route), the degree formula
``sum d^2 = |G|``, the orthogonality relations, the group law (``rho(x) rho(y) = rho(x y)``
with ``x y`` from ``G.multiply``), unitarity and the definition of the Frobenius-Schur indicator
``(1/|G|) sum_g chi(g^2)``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools._errors import GroupTooLargeError
from grouptools.reps import character_table, irreps
from grouptools.reps._api import PRODUCT_MIN_ORDER, uses_direct_product
from grouptools.reps import dixon_schneider_table as dixon_table
from grouptools.reps._products import ProductIrreps, product_rows, product_table

SETTINGS = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

FACTORS = {
    "alternating(4)": lambda: gt.alternating(4),
    "alternating(5)": lambda: gt.alternating(5),
    "symmetric(3)": lambda: gt.symmetric(3),
    "symmetric(4)": lambda: gt.symmetric(4),
    "symmetric(5)": lambda: gt.symmetric(5),
    "projective_special_linear(2,7)": lambda: gt.projective_special_linear(2, 7),
}


@st.composite
def factor(draw):
    """A small catalogue group (built afresh) and its label."""
    kind = draw(st.sampled_from(sorted(FACTORS) + ["dihedral", "dicyclic", "cyclic"]))
    if kind == "dihedral":
        n = draw(st.integers(1, 6))
        return gt.dihedral(n), f"dihedral({n})"
    if kind == "dicyclic":
        n = draw(st.integers(1, 4))
        return gt.dicyclic(n), f"dicyclic({n})"
    if kind == "cyclic":
        n = draw(st.integers(1, 8))
        return gt.cyclic(n), f"cyclic({n})"
    return FACTORS[kind](), kind


@st.composite
def products(draw, max_order: int = 2000):
    """Labels of 2 or 3 factors with product order at most ``max_order``; ``build()`` makes a
    new group object each call (memos of one route never reach the other's copy)."""
    fs = draw(st.lists(factor(), min_size=2, max_size=3))
    assume(math.prod(F.order for F, _ in fs) <= max_order)
    assume(not all(F.is_abelian for F, _ in fs))  # all abelian: an AbelianStructure, closed forms
    labels = [label for _, label in fs]
    return labels


def build(labels: list[str]) -> gt.FiniteGroup:
    return gt.group(" x ".join(labels))


def _rows(T) -> list[bytes]:
    return [T.eigenvalue_exponents(i).astype(np.int64).tobytes() for i in range(len(T))]


@SETTINGS
@given(products())
def test_table_equals_dixon_schneider(labels):
    G, H = build(labels), build(labels)
    assume(hasattr(G.structure, "factors"))  # all factors abelian: an AbelianStructure, closed forms
    assert G is not H
    T = product_table(G, character_table, max_entries=10**8)
    D = dixon_table(H)
    assert np.array_equal(G.class_index, H.class_index)
    assert T.exponent == D.exponent
    # the same rows in the same (canonical) order, the same indicators and power maps
    assert T.degrees == D.degrees
    assert _rows(T) == _rows(D)
    assert T.frobenius_schur == D.frobenius_schur
    for k in (-1, 2, 3, 5, T.exponent + 1):
        assert np.array_equal(T.power_map(k), D.power_map(k))


@SETTINGS
@given(products(max_order=1500), st.integers(0, 2**32 - 1))
def test_product_irreps_properties(labels, seed):
    G = build(labels)
    assume(hasattr(G.structure, "factors"))  # all factors abelian: an AbelianStructure, closed forms
    R = ProductIrreps(G, [irreps(F) for F in G.structure.factors],
                      product_rows(G, character_table), lambda: character_table(G))
    T = product_table(G, character_table, max_entries=10**8)
    assert int((R.dims ** 2).sum()) == G.order
    assert tuple(R.dims.tolist()) == T.degrees
    rng = np.random.default_rng(seed)
    xs, ys = rng.integers(0, G.order, (2, 16))
    reps = np.asarray(G.conjugacy_classes().representatives)
    for i in sorted({0, len(R) - 1, int(rng.integers(len(R)))}):
        rho = R[i]
        A, B = rho.at(xs), rho.at(ys)
        C = rho.at(np.asarray(G.multiply(xs, ys)))
        assert np.abs(A @ B - C).max() < 1e-10  # homomorphism
        eye = np.eye(rho.dim)
        assert np.abs(A @ np.conj(np.transpose(A, (0, 2, 1))) - eye).max() < 1e-12  # unitary
        # the irrep's character is its row of the table (rows agree)
        chi = np.trace(rho.at(reps), axis1=1, axis2=2)
        assert np.abs(chi - T.values[i]).max() < 1e-9
        # Frobenius-Schur indicator from its definition
        sq = np.asarray(G.power(np.arange(G.order), 2)).ravel()
        nu = np.trace(rho.at(sq), axis1=1, axis2=2).sum() / G.order
        assert abs(nu - T.frobenius_schur[i]) < 1e-8
    # exact and numeric generator images agree (the exact ones are Kronecker products)
    rho = R[len(R) - 1]
    for s, X in enumerate(rho.generator_images):
        if rho.change_of_basis is None:
            assert np.abs(X.to_complex() - rho.at(G.generators[s])).max() < 1e-10


@SETTINGS
@given(products(max_order=1200))
def test_orthogonality(labels):
    G = build(labels)
    T = product_table(G, character_table, max_entries=10**8)
    V = np.asarray(T.values)
    sizes = np.asarray(T.class_sizes, float)
    assert np.abs((V * sizes) @ V.conj().T / G.order - np.eye(len(T))).max() < 1e-9
    assert np.abs(V.conj().T @ V - np.diag(G.order / sizes)).max() < 1e-7 * G.order


def test_matrices_are_verified_and_agree_with_at():
    G = gt.group("A5 x S3")
    R = ProductIrreps(G, [irreps(F) for F in G.structure.factors],
                      product_rows(G, character_table), lambda: character_table(G))
    rho = R[len(R) - 1]  # degree 5 x 2, not monomial (A5's degree-5 irrep is projected)
    M = rho.matrices
    assert M.shape == (G.order, rho.dim, rho.dim)
    assert np.abs(M - rho.at(np.arange(G.order))).max() < 1e-12
    assert np.abs(M[G.multiply(3, 77)] - M[3] @ M[77]).max() < 1e-10


@pytest.mark.parametrize("spec, order, nclasses", [
    ("A5 x C200", 12_000, 1000),
    ("S5 x dihedral(100)", 24_000, 7 * 53),
    ("A5 x A5 x C10", 36_000, 250),
])
def test_large_products(spec, order, nclasses):
    G = gt.group(spec)
    assert G.order == order and uses_direct_product(G)
    R = irreps(G)
    assert len(R) == nclasses and int((R.dims ** 2).sum()) == order
    T = character_table(G)
    assert T.nclasses == nclasses and T.degrees == tuple(R.dims.tolist())
    V = np.asarray(T.values)
    sizes = np.asarray(T.class_sizes, float)
    assert np.abs((V * sizes) @ V.conj().T / order - np.eye(nclasses)).max() < 1e-9
    rng = np.random.default_rng(7)
    xs, ys = rng.integers(0, order, (2, 20))
    reps = np.asarray(G.conjugacy_classes().representatives)
    for i in (0, nclasses // 2, nclasses - 1):
        rho = R[i]
        assert np.abs(rho.at(xs) @ rho.at(ys) - rho.at(np.asarray(G.multiply(xs, ys)))).max() < 1e-10
        assert np.abs(np.trace(rho.at(reps), axis1=1, axis2=2) - V[i]).max() < 1e-9


def test_psl27_x_c1000_lazy_irreps_and_refused_table():
    G = gt.group("PSL(2,7) x C1000")
    R = irreps(G)
    assert len(R) == 6 * 1000 and int((R.dims ** 2).sum()) == 168_000
    # the table would hold sum(degrees) * classes = 28000 * 6000 exponents
    with pytest.raises(GroupTooLargeError, match="max_entries"):
        character_table(G)
    rng = np.random.default_rng(3)
    xs, ys = rng.integers(0, G.order, (2, 10))
    for i in (1, 3000, 5999):
        rho = R[i]
        assert np.abs(rho.at(xs) @ rho.at(ys) - rho.at(np.asarray(G.multiply(xs, ys)))).max() < 1e-10
    # a character from the coordinates: chi(g1, g2) = chi1(g1) chi2(g2), with factor irreps
    K1, K2 = G.structure.factors
    psi1, psi2 = R.factor_irreps(5999)
    g = np.arange(0, G.order, 997)
    chi = np.trace(R[5999].at(g), axis1=1, axis2=2)
    a, b = np.unravel_index(g, (K1.order, K2.order))
    expected = np.trace(psi1.at(a), axis1=1, axis2=2) * np.trace(psi2.at(b), axis1=1, axis2=2)
    assert np.abs(chi - expected).max() < 1e-9


def test_table_limit_is_checked():
    G = gt.group("A5 x C200")
    with pytest.raises(GroupTooLargeError, match="max_entries"):
        product_table(G, character_table, max_entries=1000)


def test_dispatch():
    assert uses_direct_product(gt.group("A5 x C200"))
    assert not uses_direct_product(gt.alternating(5))
    assert not uses_direct_product(gt.group("C10 x C20"))  # abelian: closed forms
    small = gt.group("A5 x C2")
    assert uses_direct_product(small) == (small.order >= PRODUCT_MIN_ORDER)
