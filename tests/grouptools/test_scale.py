"""Groups at scale: structure arithmetic, classes, lazy little-group irreps, Fourier transforms.

References are independent of the code under test: Cayley tables built along the spanning tree
(for small groups), the right-regular permutations ``right_perms`` (for large ones), closed
formulas for class numbers and degrees, an orbit count of signed permutation matrices in plain
Python, the Dixon-Schneider character table, and the definition ``sum_g f(g) rho(g)``.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import grouptools as gt
from grouptools.cli import group_info
from grouptools.fourier import inverse, transform
from grouptools.reps._api import LITTLE_MIN_ORDER, character_table, uses_little_group
from grouptools.reps._chartable import character_table as dixon_table

SETTINGS = settings(max_examples=12, deadline=None, database=None)


@st.composite
def structured_groups(draw, max_order: int = 3000):
    """A catalogue group that carries a construction record."""
    kind = draw(st.sampled_from(["cyclic", "abelian", "dihedral", "dicyclic", "p4m", "product", "affine"]))
    if kind == "cyclic":
        return gt.cyclic(draw(st.integers(1, max_order)))
    if kind == "abelian":
        inv = draw(st.lists(st.integers(1, 12), min_size=1, max_size=3))
        return gt.abelian(inv if math.prod(inv) <= max_order else inv[:1])
    if kind == "dihedral":
        return gt.dihedral(draw(st.integers(1, max_order // 2)))
    if kind == "dicyclic":
        return gt.dicyclic(draw(st.integers(1, max_order // 4)))
    if kind == "p4m":
        return gt.torus_p4m(draw(st.integers(1, int(math.sqrt(max_order / 8)))))
    if kind == "affine":
        return gt.smallgroup_200_44()
    a = gt.dihedral(draw(st.integers(2, 6)))
    b = draw(st.sampled_from([gt.cyclic(3), gt.dicyclic(2), gt.abelian((2, 2))]))
    return gt.direct_product(a, b)


@st.composite
def large_groups(draw):
    """A group of order 10^4 .. 10^6 with its order from a formula."""
    kind = draw(st.sampled_from(["cyclic", "abelian", "dihedral", "dicyclic", "p4m"]))
    if kind == "cyclic":
        n = draw(st.integers(10**4, 10**6))
        return gt.cyclic(n), n
    if kind == "abelian":
        a, b = draw(st.integers(100, 1000)), draw(st.integers(100, 1000))
        return gt.abelian((a, b)), a * b
    if kind == "dihedral":
        n = draw(st.integers(5000, 200_000))
        return gt.dihedral(n), 2 * n
    if kind == "dicyclic":
        n = draw(st.integers(2500, 100_000))
        return gt.dicyclic(n), 4 * n
    n = draw(st.integers(36, 120))
    return gt.torus_p4m(n), 8 * n * n


# -- arithmetic ----------------------------------------------------------------------------------
@SETTINGS
@given(structured_groups(), st.integers(0, 2**32))
def test_structure_arithmetic_matches_the_table(G, seed):
    n = G.order
    T = np.asarray(G.cayley_table)  # along the spanning tree, from right_perms
    A = G.arithmetic
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, n, 400), rng.integers(0, n, 400)
    assert np.array_equal(A.multiply(a, b), T[a, b])
    assert np.array_equal(T[np.arange(n), A.inverse(np.arange(n))], np.zeros(n))
    # element orders: the least k with a^k = 1, by walking the table
    x = rng.integers(0, n, 20)
    for g, o in zip(x, A.orders(x)):
        k, y = 1, int(g)
        while y != 0:
            y, k = int(T[y, g]), k + 1
        assert o == k


@SETTINGS
@given(large_groups(), st.integers(0, 2**32))
def test_large_groups_multiply_like_their_regular_action(Gn, seed):
    G, order = Gn
    assert G.order == order
    rng = np.random.default_rng(seed)
    x = rng.integers(0, order, 1000)
    for s, g in enumerate(G.generators):  # x * generator, the right-regular action
        assert np.array_equal(G.multiply(x, g), G.right_perms[s][x])
    y, z = rng.integers(0, order, 1000), rng.integers(0, order, 1000)
    assert np.array_equal(G.multiply(G.multiply(x, y), z), G.multiply(x, G.multiply(y, z)))
    assert not np.any(G.multiply(x, G.inverse[x]))
    o = G.element_orders[x]
    assert not np.any(G.power(x, o)) and np.all(order % o == 0)


# -- classes and degrees -------------------------------------------------------------------------
def _p4m_degrees(n: int) -> Counter:
    """Irrep degrees of (C_n x C_n) : D4 by an orbit count of the signed permutations of Z_n^2."""
    mats = [(1, 0, 0, 1), (0, -1, 1, 0), (-1, 0, 0, -1), (0, 1, -1, 0),
            (1, 0, 0, -1), (-1, 0, 0, 1), (0, 1, 1, 0), (0, -1, -1, 0)]
    stab_degrees = {1: [1], 2: [1, 1], 4: [1, 1, 1, 1], 8: [1, 1, 1, 1, 2]}
    seen, out = set(), Counter()
    for u in range(n):
        for v in range(n):
            if (u, v) in seen:
                continue
            orbit = {((a * u + b * v) % n, (c * u + d * v) % n) for a, b, c, d in mats}
            seen |= orbit
            for dpsi in stab_degrees[8 // len(orbit)]:
                out[len(orbit) * dpsi] += 1
    return out


def _expected_degrees(kind: str, n: int) -> Counter:
    if kind == "dihedral":
        return Counter({1: 2, 2: (n - 1) // 2}) if n % 2 else Counter({1: 4, 2: (n - 2) // 2})
    if kind == "dicyclic":
        return Counter({1: 4, 2: n - 1})
    return _p4m_degrees(n)


@SETTINGS
@given(st.sampled_from(["dihedral", "dicyclic", "p4m"]), st.integers(3, 2000))
def test_lazy_irreps_have_the_degrees_of_the_formulas(kind, n):
    if kind == "p4m":
        n = 2 + n % 60
    G = {"dihedral": gt.dihedral, "dicyclic": gt.dicyclic, "p4m": gt.torus_p4m}[kind](n)
    R = G.irreps()
    assert Counter(int(d) for d in (r.dim for r in R)) == _expected_degrees(kind, n)
    assert sum(r.dim ** 2 for r in R) == G.order
    assert len(R) == len(G.conjugacy_classes())  # classes by conjugation, irreps by orbits
    assert R[0].dim == 1 and np.allclose(R[0].at(np.arange(min(G.order, 50))), 1)


@pytest.mark.parametrize("spec, classes", [
    ("dihedral(500000)", 500000 // 2 + 3), ("cyclic(1000000)", 10**6),
    ("dicyclic(200000)", 200003), ("C1000 x C1000", 10**6)])
def test_info_of_large_groups(spec, classes):
    info = group_info(gt.group(spec))
    assert info["classes"] == classes and sum(info["class_sizes"]) == info["order"]
    assert info["solvable"]


def test_info_of_torus_p4m_300():
    G = gt.group("torus_p4m(300)")
    info = group_info(G)
    assert info["order"] == 720000 and info["exponent"] == 600
    assert info["classes"] == sum(_p4m_degrees(300).values())


# -- lazy irreps ---------------------------------------------------------------------------------
@SETTINGS
@given(large_groups(), st.integers(0, 2**32))
def test_lazy_irreps_are_unitary_homomorphisms(Gn, seed):
    G, order = Gn
    rng = np.random.default_rng(seed)
    R = G.irreps()
    for i in rng.integers(0, len(R), 3):
        rho = R[int(i)]
        a, b = rng.integers(0, order, 200), rng.integers(0, order, 200)
        ra, rb, rab = rho.at(a), rho.at(b), rho.at(G.multiply(a, b))
        np.testing.assert_allclose(ra @ rb, rab, atol=1e-9)
        eye = np.broadcast_to(np.eye(rho.dim), ra.shape)
        np.testing.assert_allclose(ra @ np.conj(np.swapaxes(ra, -1, -2)), eye, atol=1e-12)
        assert np.allclose(rho(int(a[0])), ra[0])


@pytest.mark.parametrize("G", [gt.dihedral(600), gt.torus_p4m(12), gt.dicyclic(300), gt.abelian((40, 30))],
                         ids=["D1200", "p4m(12)", "Dic300", "C40xC30"])
def test_little_group_table_equals_dixon_schneider(G):
    assert uses_little_group(G) and G.order > LITTLE_MIN_ORDER
    T = character_table(G)
    D = dixon_table(G)  # independent: class products, eigenvectors, exact certificate
    assert sorted(T.degrees) == sorted(D.degrees)
    ours = sorted(map(tuple, np.round(np.asarray(T.values), 9).tolist()), key=str)
    theirs = sorted(map(tuple, np.round(np.asarray(D.values), 9).tolist()), key=str)
    assert ours == theirs
    assert Counter(T.frobenius_schur) == Counter(D.frobenius_schur)
    rho = G.irreps()[len(G.irreps()) // 2]
    fs = rho.frobenius_schur
    assert fs == T.frobenius_schur[rho.index]


def test_character_table_limit_is_named_and_immediate():
    with pytest.raises(gt.GroupTooLargeError, match="max_entries"):
        character_table(gt.dihedral(25000))
    T = character_table(gt.dihedral(2048))
    cls = gt.dihedral(2048).conjugacy_classes()
    r1 = int(np.asarray(gt.dihedral(2048).class_index)[1])  # the class of the rotation r
    vals = sorted(np.round(np.asarray(T.values)[:, r1].real, 9).tolist())
    expected = sorted([1.0, 1.0, -1.0, -1.0] + [round(2 * math.cos(2 * math.pi * j / 2048), 9) for j in range(1, 1024)])
    assert vals == expected


def test_matrices_respect_the_memory_budget():
    rho = gt.dihedral(25000).irreps()[-1]
    with pytest.raises(gt.GroupTooLargeError, match="max_bytes"):
        rho.build_matrices(max_bytes=10**6)
    M = rho.build_matrices(max_bytes=10**8)
    np.testing.assert_allclose(M[[3, 70000 % 50000]], rho.at([3, 20000]))


def test_irrep_sequence_protocol():
    R = gt.cyclic(10**6).irreps()
    assert len(R) == 10**6 and R[-1].index == 10**6 - 1 and R[5] is R[5]
    assert [r.index for r in R[2:5]] == [2, 3, 4]
    with pytest.raises(IndexError):
        R[10**6]
    with pytest.raises(gt.ParameterTypeError):
        R["a"]
    labels = R.character_labels()
    x = np.array([1, 999_999, 123_457])
    for i in (0, 7, 500_000):
        np.testing.assert_allclose(R[i].at(x)[:, 0, 0], np.exp(2j * np.pi * labels[i] * x / 10**6), atol=1e-9)
    with pytest.raises(gt.ElementError):
        R[1].at([10**6])


# -- Fourier at scale ----------------------------------------------------------------------------
@pytest.mark.parametrize("spec", ["dihedral(5000)", "torus_p4m(30)", "cyclic(300000)"])
def test_fourier_at_scale_inverts_and_matches_the_definition(spec):
    G = gt.group(spec)
    rng = np.random.default_rng(7)
    f = rng.standard_normal((2, G.order))
    F = transform(G, f)
    np.testing.assert_allclose(inverse(G, F, real=True), f, atol=1e-9)
    R = G.irreps()
    for r in (len(R) - 1, len(R) // 3):
        block = np.einsum("bg,gij->bij", f, R[r].at(np.arange(G.order)))
        np.testing.assert_allclose(F[r], block, atol=1e-8 * G.order)


@settings(max_examples=6, deadline=None)
@given(st.integers(min_value=256, max_value=700))
def test_lazy_character_table_matches_traces_when_the_field_exceeds_the_exponent(n):
    # dicyclic(n), order 4n >= 1024: the induced irreps live over E(4n) while the exponent is
    # 2n or 4n; the table built from them must still equal the traces of the matrices
    G = gt.dicyclic(n)
    T = G.character_table()
    R = G.irreps()
    reps = np.asarray(G.conjugacy_classes().representatives)
    rng = np.random.default_rng(n)
    for i in rng.choice(len(R), size=6, replace=False):
        traces = np.trace(R[int(i)].at(reps), axis1=-2, axis2=-1)
        assert np.allclose(T.values[int(i)], traces, atol=1e-9)
        # Frobenius-Schur from the definition, on the elements: (1/|G|) sum_g chi(g^2)
        g = np.arange(G.order)
        sq = np.trace(R[int(i)].at(G.multiply(g, g)), axis1=-2, axis2=-1).sum() / G.order
        assert R[int(i)].frobenius_schur == round(sq.real)
