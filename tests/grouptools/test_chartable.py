"""Tests of exact character tables (grouptools.reps._chartable).

Expected values come from GAP (``tests/data/gap_reference.json``, written by
``scripts/gen_gap_reference.py``), from formulas (cyclic and dihedral groups, Q8), and from
independent exact computations: both orthogonality relations are checked in the group ring
``Z[x]/(x^e - 1)`` followed by exact division by the cyclotomic polynomial from sympy; tables
of direct products are compared with tensor products of the factors' tables; power maps and
Frobenius-Schur indicators are recomputed from the group itself.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools.reps._chartable import CharacterTable, character_table, class_names
from grouptools.reps._dixon import class_products, certify, power_maps
from grouptools.arith._modular import matmul_mod
from grouptools.arith._numtheory import primes_one_mod, root_of_unity_mod, unit_group_generators
from grouptools.arith._cyclotomic import Cyclotomic
from grouptools._errors import GroupTooLargeError, GroupToolsError, VerificationError
from strategies import catalogue_groups

DATA = Path(__file__).resolve().parents[1] / "data" / "gap_reference.json"
REFERENCE = json.loads(DATA.read_text())["groups"]
SMALL = [g for g in REFERENCE if g["collection"] == "small"]
LARGER = [g for g in REFERENCE if g not in SMALL and g["order"] < 6000]
HUGE = [g for g in REFERENCE if g["order"] >= 6000]

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- independent exact arithmetic ------------------------------------------------------------


def phi_coefficients(e: int) -> np.ndarray:
    """Integer coefficients of the e-th cyclotomic polynomial, highest degree first (sympy)."""
    x = sympy.Symbol("x")
    return np.array([int(c) for c in sympy.Poly(sympy.cyclotomic_poly(e, x), x).all_coeffs()],
                    dtype=object)


def reduce_mod_phi(v: np.ndarray, e: int) -> np.ndarray:
    """Rows of ``v`` (coefficients of x^0..x^(e-1)) reduced modulo Phi_e (exact long division;
    int64 with an overflow guard: the coefficients stay small because Phi_e is monic with
    small coefficients and x^j mod Phi_e is bounded for j < e)."""
    phi = phi_coefficients(e)[::-1].astype(np.int64)  # lowest degree first, monic
    deg = len(phi) - 1
    r = np.array(v, dtype=np.int64).reshape(-1, e).copy()
    for top in range(e - 1, deg - 1, -1):
        c = r[:, top].copy()
        r[:, top - deg: top + 1] -= c[:, None] * phi[None, :]
        assert np.abs(r).max(initial=0) < 2**50
    return r[:, :deg]


def group_ring_products(Xa, Xb, weights, e):
    """``sum_c w_c * sum_{s,t} x^(Xa[c,s] - Xb[c,t])`` as an integer vector of length e."""
    diffs = (Xa[:, :, None].astype(np.int64) - Xb[:, None, :]) % e
    w = np.broadcast_to(np.asarray(weights, np.int64)[:, None, None], diffs.shape)
    return np.bincount(diffs.ravel(), weights=w.ravel(), minlength=e).astype(np.int64)


def exact_orthogonality(T: CharacterTable) -> None:
    """Row and column orthogonality, exactly in Z[zeta_e]."""
    e, h, k, n = T.exponent, len(T), T.nclasses, T.group.order
    X = [T.eigenvalue_exponents(i) for i in range(h)]
    sizes = np.array(T.class_sizes)
    rows = [group_ring_products(X[i], X[j], sizes, e) for i in range(h) for j in range(h)]
    red = reduce_mod_phi(np.stack(rows), e)
    target = np.zeros_like(red)
    target[:, 0] = [n if i == j else 0 for i in range(h) for j in range(h)]
    assert (red == target).all(), "row orthogonality"
    by_degree = {}
    for x in X:
        by_degree.setdefault(x.shape[1], []).append(x)
    stacks = [np.stack(xs).astype(np.int64) for xs in by_degree.values()]  # (h_d, k, d)
    cols = []
    for r in range(k):
        for s in range(k):
            diffs = np.concatenate(
                [((Y[:, r, :, None] - Y[:, s, None, :]) % e).ravel() for Y in stacks]
            )
            cols.append(np.bincount(diffs, minlength=e))
    red = reduce_mod_phi(np.stack(cols), e)
    target = np.zeros_like(red)
    target[:, 0] = [T.centralizer_orders[r] if r == s else 0 for r in range(k) for s in range(k)]
    assert (red == target).all(), "column orthogonality"


def element_squares_identity(G) -> int:
    return int(np.count_nonzero(G.power(np.arange(G.order), 2) == 0))


# -- properties on catalogue groups ----------------------------------------------------------


@SETTINGS
@given(catalogue_groups(max_order=100))
def test_table_properties(case):
    G, order, label = case
    T = character_table(G)
    n, h, k = G.order, len(T), T.nclasses
    assert n == order
    assert h == k == len(G.conjugacy_classes())
    assert sum(d * d for d in T.degrees) == n
    assert all(n % d == 0 for d in T.degrees)
    assert T.degrees[0] == 1 and list(T.degrees) == sorted(T.degrees)
    assert all(T.eigenvalue_exponents(0).ravel() == 0)  # trivial character first
    assert T.classes == G.conjugacy_classes()
    assert T.class_sizes == tuple(c.size for c in G.conjugacy_classes())
    assert T.exponent == G.exponent
    exact_orthogonality(T)
    # Frobenius-Schur indicators and the involution count
    assert set(T.frobenius_schur) <= {-1, 0, 1}
    assert element_squares_identity(G) == sum(nu * d for nu, d in zip(T.frobenius_schur, T.degrees))
    reps = np.array([c.representative for c in T.classes])
    sq = G.class_index[G.power(reps, 2)]
    fs = (T.values[:, sq] * np.array(T.class_sizes)).sum(axis=1) / n
    assert np.allclose(fs, T.frobenius_schur, atol=1e-9)
    # real characters are exactly those with nonzero indicator
    real = np.all(np.abs(T.values.imag) < 1e-9, axis=1)
    assert list(real) == [nu != 0 for nu in T.frobenius_schur]


@SETTINGS
@given(catalogue_groups(max_order=200), st.integers(-30, 30))
def test_power_maps(case, k):
    G, _, _ = case
    T = character_table(G)
    reps = np.array([c.representative for c in T.classes])
    pm = T.power_map(k)
    assert np.array_equal(pm, G.class_index[G.power(reps, k)])
    orders = np.array(T.class_orders)
    assert np.array_equal(orders[pm], orders // np.gcd(orders, k))
    # chi(g^k) is the k-th "power" of the eigenvalues of rho(g)
    for i in range(len(T)):
        X = T.eigenvalue_exponents(i)
        assert np.array_equal(np.sort(X.astype(np.int64) * k % T.exponent, axis=1), X[pm])


@SETTINGS
@given(catalogue_groups(max_order=40), catalogue_groups(max_order=24))
def test_direct_product_is_tensor_product(c1, c2):
    G1, G2 = c1[0], c2[0]
    G = gt.direct_product(G1, G2)
    T, T1, T2 = character_table(G), character_table(G1), character_table(G2)
    n2 = G2.order
    reps = np.array([c.representative for c in T.classes])
    c1s = G1.class_index[reps // n2]
    c2s = G2.class_index[reps % n2]
    e, e1, e2 = T.exponent, T1.exponent, T2.exponent
    assert e == math.lcm(e1, e2)
    expected = Counter()
    for i1 in range(len(T1)):
        X1 = T1.eigenvalue_exponents(i1)[c1s].astype(np.int64) * (e // e1)
        for i2 in range(len(T2)):
            X2 = T2.eigenvalue_exponents(i2)[c2s].astype(np.int64) * (e // e2)
            tensor = np.sort(((X1[:, :, None] + X2[:, None, :]) % e).reshape(len(reps), -1), axis=1)
            expected[tensor.tobytes()] += 1
    got = Counter(T.eigenvalue_exponents(i).astype(np.int64).tobytes() for i in range(len(T)))
    assert got == expected


@SETTINGS
@given(st.integers(1, 60))
def test_cyclic_formula(n):
    T = character_table(gt.cyclic(n))
    e = T.exponent
    assert e == n
    reps = np.array([c.representative for c in T.classes])  # element a^r has index r
    expected = {tuple((j * reps) % n) for j in range(n)}
    got = {tuple(T.eigenvalue_exponents(i)[:, 0]) for i in range(n)}
    assert got == expected
    assert T.value(0, 0) == 1


@SETTINGS
@given(st.integers(1, 60))
def test_dihedral_formula(m):
    T = character_table(gt.dihedral(m))
    linear = 2 if m % 2 else 4
    if m <= 2:
        linear = 2 * m
    assert Counter(T.degrees) == Counter({1: linear, 2: (2 * m - linear) // 4})
    assert set(T.frobenius_schur) == {1}  # all dihedral characters are real


def test_quaternion_indicator():
    T = character_table(gt.quaternion(8))
    assert T.degrees == (1, 1, 1, 1, 2)
    assert T.frobenius_schur == (1, 1, 1, 1, -1)


def test_exact_values_match_complex():
    T = character_table(gt.smallgroup_200_44())
    ex = np.array([[complex(v.to_complex()) for v in row] for row in T.exact_values])
    assert np.abs(ex - T.values).max() < 1e-12
    assert T.value(5, 0) == 8
    for i in range(len(T)):
        for c in range(T.nclasses):
            assert T.value(i, c).conjugate() == T.value(i, int(T.inverse_classes[c]))


def test_multiplicities():
    T = character_table(gt.dicyclic(3))
    M = T.multiplicities
    assert M.shape == (len(T), T.nclasses, T.exponent)
    assert (M.sum(axis=2) == np.array(T.degrees)[:, None]).all()
    z = np.exp(2j * np.pi * np.arange(T.exponent) / T.exponent)
    assert np.allclose(M @ z, T.values, atol=1e-12)
    assert not M.flags.writeable and not T.values.flags.writeable


def test_memoized_and_immutable():
    G = gt.symmetric(4)
    T = character_table(G)
    assert character_table(G) is T
    with pytest.raises(AttributeError):
        T.degrees = (1,)
    with pytest.raises(ValueError):
        T.values[0, 0] = 2


def test_inner_product_and_decompose():
    T = character_table(gt.symmetric(5))
    n = T.group.order
    regular = np.zeros(T.nclasses)
    regular[0] = n
    assert T.decompose(regular).tolist() == list(T.degrees)
    gram = T.inner_product(T.values, T.values)
    assert np.allclose(gram, np.eye(len(T)))
    # tensor squares decompose into nonnegative multiplicities of the right total degree
    squares = T.values * T.values
    mult = T.decompose(squares)
    assert (mult >= 0).all()
    assert (mult @ np.array(T.degrees) == np.array(T.degrees) ** 2).all()
    with pytest.raises(GroupToolsError):
        T.decompose(T.values[1] / 2)
    with pytest.raises(GroupToolsError):
        T.decompose(np.ones(3))


def test_display_and_json():
    T = character_table(gt.alternating(5))
    text = T.display()
    lines = text.splitlines()
    assert lines[0] == "A5"
    assert any(line.split() == ["1a", "2a", "3a", "5a", "5b"] for line in lines)
    assert sum(line.startswith("X.") for line in lines) == 5
    assert "A = " in text and ("*A" in text)
    data = T.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["degrees"] == [1, 3, 3, 4, 5]
    assert [Cyclotomic.from_gap(v) for v in data["characters"][1]] == list(T.exact_values[1])
    wide = character_table(gt.dihedral(order=60)).display(width=60)
    assert all(len(line) <= 60 for line in wide.splitlines() if not line.startswith("A"))


def test_class_names():
    assert class_names([1, 2, 2, 4, 3]) == ("1a", "2a", "2b", "4a", "3a")
    assert class_names([2] * 28)[26:] == ("2aa", "2ab")


def test_limits():
    G = gt.dihedral(10)
    with pytest.raises(GroupTooLargeError):
        character_table(G, max_classes=3)
    with pytest.raises(GroupTooLargeError):
        character_table(G, max_class_products=10)


# -- the certificate rejects wrong tables ----------------------------------------------------


def _pieces(G):
    T = character_table(G)
    reps = np.array([c.representative for c in T.classes], np.int64)
    sizes = np.array(T.class_sizes, np.int64)
    powers = power_maps(G, reps, T.exponent)
    B = class_products(G, reps)
    groups = [np.array(X) for X in T._groups]
    return T, B, sizes, powers, groups


def test_certificate_accepts_correct_table():
    for G in (gt.alternating(5), gt.dicyclic(5), gt.torus_p4m(3)):
        T, B, sizes, powers, groups = _pieces(G)
        fs = certify(G, B, sizes, powers, T.degrees, tuple(groups), T.exponent)
        assert fs == T.frobenius_schur


@pytest.mark.parametrize("case", ["duplicate", "wrong_value", "swap_irrational", "permuted"])
def test_certificate_rejects(case):
    G = {"duplicate": gt.cyclic(3), "wrong_value": gt.symmetric(3),
         "swap_irrational": gt.alternating(5), "permuted": gt.dihedral(4)}[case]
    T, B, sizes, powers, groups = _pieces(G)
    e = T.exponent
    if case == "duplicate":  # C3: rows 1 and 2 equal
        groups[0][2] = groups[0][1]
    elif case == "wrong_value":  # S3: the 2-dim character gets the value 2 on 3-cycles
        c = T.class_orders.index(3)
        groups[1][0, c] = [0, 0]
    elif case == "swap_irrational":  # A5: one 3-dim character with 5a, 5b swapped only once
        c5 = [c for c, o in enumerate(T.class_orders) if o == 5]
        X = groups[1]
        X[0, c5[0]], X[0, c5[1]] = X[0, c5[1]].copy(), X[0, c5[0]].copy()
        X[1, c5[0]] = X[1, c5[1]]
    else:  # D8: a linear character's values permuted across classes
        X = groups[0]
        X[1, [1, 2]] = X[1, [2, 1]]
        X[1, 3] = (X[1, 3] + e // 2) % e
    with pytest.raises(VerificationError):
        certify(G, B, sizes, powers, T.degrees, tuple(groups), e)


# -- helpers ---------------------------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 300), st.integers(1, 40), st.integers(0, 2**32))
def test_matmul_mod(e, m, seed):
    p = next(primes_one_mod(e))
    assert (p - 1) % e == 0 and p < 2**31 and sympy.isprime(p)
    rng = np.random.default_rng(seed)
    a = rng.integers(0, p, (m, 7)).astype(np.int64)
    b = rng.integers(0, p, (7, 5)).astype(np.int64)
    expected = (a.astype(object) @ b.astype(object)) % p
    assert (matmul_mod(a, b, p) == expected).all()
    w = root_of_unity_mod(e, p)
    assert pow(w, e, p) == 1 and all(pow(w, e // q, p) != 1 for q in sympy.primefactors(e))


@pytest.mark.parametrize("e", [1, 2, 8, 24, 56, 60, 105, 120, 997])
def test_unit_generators(e):
    gens = [g for g, _ in unit_group_generators(e)]
    units = {u for u in range(e) if math.gcd(u, e) == 1} if e > 1 else {0}
    span = {1 % e}
    frontier = [1 % e]
    while frontier:
        x = frontier.pop()
        for g in gens:
            y = x * g % e
            if y not in span:
                span.add(y)
                frontier.append(y)
    assert span == units


# -- GAP reference ---------------------------------------------------------------------------


def check_against_gap(ref: dict) -> None:
    G = gt.from_presentation(ref["presentation"])
    assert G.order == ref["order"]
    T = character_table(G)
    perm = [int(G.class_index[G.element(c["word"])]) for c in ref["classes"]]
    assert sorted(perm) == list(range(T.nclasses)), "class representatives"
    assert [T.class_sizes[p] for p in perm] == [c["size"] for c in ref["classes"]]
    assert [T.class_orders[p] for p in perm] == [c["order"] for c in ref["classes"]]
    assert list(class_names([c["order"] for c in ref["classes"]])) == [
        c["name"] for c in ref["classes"]
    ]
    for prime, gap_map in ref["power_maps"].items():
        ours = T.power_map(int(prime))
        assert [int(ours[perm[j]]) for j in range(len(perm))] == [perm[x] for x in gap_map]
    assert Counter(T.degrees) == Counter(ref["degrees"])
    assert Counter(zip(T.degrees, T.frobenius_schur)) == Counter(
        zip(ref["degrees"], ref["frobenius_schur"])
    )
    if ref["characters"] is not None:
        gap_rows = Counter(
            (tuple(Cyclotomic.from_gap(v) for v in row), nu)
            for row, nu in zip(ref["characters"], ref["frobenius_schur"])
        )
        ours_rows = Counter(
            (tuple(T.exact_values[i][p] for p in perm), T.frobenius_schur[i]) for i in range(len(T))
        )
        assert ours_rows == gap_rows


NR_SMALL_GROUPS = {  # GAP's NrSmallGroups(n), n = 1..32
    1: 1, 2: 1, 3: 1, 4: 2, 5: 1, 6: 2, 7: 1, 8: 5, 9: 2, 10: 2, 11: 1, 12: 5, 13: 1, 14: 2, 15: 1,
    16: 14, 17: 1, 18: 5, 19: 1, 20: 5, 21: 2, 22: 2, 23: 1, 24: 15, 25: 2, 26: 2, 27: 5, 28: 4,
    29: 1, 30: 4, 31: 1, 32: 51,
}


def test_reference_file():
    assert DATA.stat().st_size < 5_000_000
    assert [g["gap_id"] for g in SMALL] == [[n, i] for n, count in NR_SMALL_GROUPS.items()
                                            for i in range(1, count + 1)]
    assert len(SMALL) == sum(
        {1: 1, 2: 1, 3: 1, 4: 2, 5: 1, 6: 2, 7: 1, 8: 5, 9: 2, 10: 2, 11: 1, 12: 5, 13: 1, 14: 2,
         15: 1, 16: 14, 17: 1, 18: 5, 19: 1, 20: 5, 21: 2, 22: 2, 23: 1, 24: 15, 25: 2, 26: 2,
         27: 5, 28: 4, 29: 1, 30: 4, 31: 1, 32: 51}.values()
    )


@pytest.mark.parametrize("ref", SMALL, ids=[g["label"] for g in SMALL])
def test_gap_small_groups(ref):
    check_against_gap(ref)


@pytest.mark.parametrize("ref", LARGER, ids=[g["label"] for g in LARGER])
def test_gap_larger_groups(ref):
    check_against_gap(ref)


@pytest.mark.parametrize("ref", HUGE, ids=[g["label"] for g in HUGE])
def test_gap_torus_p4m_28(ref):
    check_against_gap(ref)
    T = character_table(gt.torus_p4m(28))  # the catalogue construction, other generators
    assert Counter(T.degrees) == Counter({1: 8, 2: 6, 4: 78, 8: 78})
    assert Counter(T.degrees) == Counter(ref["degrees"])


@SETTINGS
@given(catalogue_groups(max_order=100), st.integers(-50, 50))
def test_galois_conjugates(case, k):
    G, _, _ = case
    T = character_table(G)
    if math.gcd(k, T.exponent) != 1:
        with pytest.raises(GroupToolsError):
            T.galois_conjugate(0, k)
        return
    pm = T.power_map(k)
    images = [T.galois_conjugate(i, k) for i in range(len(T))]
    assert sorted(images) == list(range(len(T)))
    for i, j in enumerate(images):
        assert np.allclose(T.values[j], T.values[i][pm], atol=1e-9)
    conj = [T.galois_conjugate(i, -1) for i in range(len(T))]
    assert np.allclose(T.values[conj], T.values.conj(), atol=1e-9)
    assert all((conj[i] == i) == (T.frobenius_schur[i] != 0) for i in range(len(T)))
