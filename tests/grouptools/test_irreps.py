"""Tests of the exact irreducible representations (grouptools.reps._irreps and helpers).

Expected values are independent of the code under test: the group law (``G.multiply``),
Schur orthogonality of matrix coefficients, ``sum d^2 = |G|``, the character table (another
module), degrees of well-known groups from the literature (Atlas of Finite Groups; James &
Liebeck, *Representations and Characters of Groups*), the Frobenius-Schur count
``(1/|G|) sum chi(g^2)``, exact relator evaluation with CycMatrix, sympy's Smith normal form
and cyclotomic polynomials, and brute force on small cases.
"""

from __future__ import annotations

import itertools
import json
import math
from functools import lru_cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools.reps._chartable import character_table
from grouptools.arith._cycmatrix import CycMatrix
from grouptools._errors import GroupTooLargeError, GroupToolsError, InvalidGroupError
from grouptools.reps._induce import (
    Transversal,
    induce,
    mono_compose,
    mono_inverse,
    monomial_eigenvalues,
    monomial_images,
    tree_monomials,
)
from grouptools.reps._irreps import Irrep, irreps
from grouptools.reps._export import format_irreps, irreps_from_json, irreps_to_gap, irreps_to_json
from grouptools.arith._fields import power_basis_table
from grouptools.arith._numtheory import cyclotomic_polynomial
from grouptools.reps._project import find_clique
from grouptools.reps._real import real_intertwiner
from grouptools.reps._subgroups import (
    candidate_subgroups,
    linear_characters,
    relation_lattice,
    smith_form,
)

# -- groups -----------------------------------------------------------------------------------
SPECS = {
    "cyclic": [(n,) for n in (1, 2, 5, 6, 12)],
    "abelian": [((2, 4),), ((3, 3, 2),)],
    "dihedral": [(n,) for n in (1, 2, 3, 4, 5, 6, 8, 12)],
    "dicyclic": [(n,) for n in (2, 3, 4, 5)],
    "symmetric": [(3,), (4,)],
    "alternating": [(4,)],
    "special_linear": [(2, 3)],
    "general_linear": [(2, 3)],
    "smallgroup_200_44": [()],
    "torus_p4m": [(1,), (2,), (3,)],
    "frobenius20": [()],
    "product_D4_C3": [()],
    "product_Q8_S3": [()],
}


@lru_cache(maxsize=None)
def make(kind: str, args: tuple) -> gt.FiniteGroup:
    if kind == "frobenius20":
        return gt.semidirect_product(gt.cyclic(5), gt.cyclic(4), [["a^2"]])
    if kind == "product_D4_C3":
        return gt.direct_product(gt.dihedral(4), gt.cyclic(3))
    if kind == "product_Q8_S3":
        return gt.direct_product(gt.quaternion(8), gt.symmetric(3))
    return getattr(gt, kind)(*args)


GROUP_KEYS = [(k, a) for k, lst in SPECS.items() for a in lst]
groups = st.sampled_from(GROUP_KEYS).map(lambda ka: make(*ka))

NONSOLVABLE = {
    # degrees from the Atlas of Finite Groups / James & Liebeck
    "A5": (lambda: gt.alternating(5), [1, 3, 3, 4, 5]),
    "S5": (lambda: gt.symmetric(5), [1, 1, 4, 4, 5, 5, 6]),
    "SL(2,5)": (lambda: gt.special_linear(2, 5), [1, 2, 2, 3, 3, 4, 4, 5, 6]),
    "PSL(2,7)": (lambda: gt.projective_special_linear(2, 7), [1, 3, 3, 6, 7, 8]),
    "A6": (lambda: gt.alternating(6), [1, 5, 5, 8, 8, 9, 10]),
    "S6": (lambda: gt.symmetric(6), [1, 1, 5, 5, 5, 5, 9, 9, 10, 10, 16]),
}


@lru_cache(maxsize=None)
def nonsolvable(name: str) -> gt.FiniteGroup:
    return NONSOLVABLE[name][0]()


# -- independent checks -----------------------------------------------------------------------
def check_representation(G: gt.FiniteGroup, reps: tuple, pairs: int = 64, seed: int = 0) -> None:
    """Homomorphism on random pairs, unitarity, traces = table characters."""
    T = character_table(G)
    rng = np.random.default_rng(seed)
    a = rng.integers(0, G.order, pairs)
    b = rng.integers(0, G.order, pairs)
    ab = np.asarray(G.multiply(a, b))
    for i, rho in enumerate(reps):
        U = rho.matrices
        d = rho.dim
        assert U.shape == (G.order, d, d) and U.dtype == np.complex128
        assert np.abs(U[ab] - U[a] @ U[b]).max() < 1e-10
        assert np.abs(U @ np.conj(np.transpose(U, (0, 2, 1))) - np.eye(d)).max() < 1e-12
        assert np.allclose(U[0], np.eye(d), atol=1e-12)
        traces = np.trace(U, axis1=1, axis2=2)
        assert np.abs(traces - np.asarray(T.values)[i][G.class_index]).max() < 1e-9


def check_schur_orthogonality(G: gt.FiniteGroup, reps: tuple) -> None:
    """The normalized matrix coefficients sqrt(d/|G|) rho_ij form an orthonormal basis."""
    cols = [np.sqrt(r.dim / G.order) * r.matrices.reshape(G.order, -1) for r in reps]
    Phi = np.concatenate(cols, axis=1)
    assert Phi.shape == (G.order, G.order)
    assert np.abs(Phi.conj().T @ Phi - np.eye(G.order)).max() < 1e-10


def exact_relators_hold(G: gt.FiniteGroup, rho: Irrep) -> bool:
    X = rho.generator_images
    inv = [x.inverse() for x in X]
    ident = CycMatrix.identity(rho.dim, rho.field)
    for rel in G.presentation.relators:
        P = ident
        for c in rel:
            P = P @ (X[c - 1] if c > 0 else inv[-c - 1])
        if not P == ident:
            return False
    return True


# -- properties over generated groups ------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(groups, st.integers(0, 2**16))
def test_representations_of_generated_groups(G, seed):
    reps = irreps(G)
    T = character_table(G)
    assert len(reps) == len(G.conjugacy_classes())
    assert [r.dim for r in reps] == list(T.degrees)
    assert sum(r.dim ** 2 for r in reps) == G.order
    assert all(G.order % r.dim == 0 for r in reps)
    assert reps[0].dim == 1 and np.allclose(reps[0].matrices, 1)
    check_representation(G, reps, seed=seed)


@settings(max_examples=12, deadline=None)
@given(groups)
def test_schur_orthogonality(G):
    check_schur_orthogonality(G, irreps(G))


@settings(max_examples=12, deadline=None)
@given(groups)
def test_real_forms_and_indicator(G):
    for rho in irreps(G):
        U = rho.matrices
        # Frobenius-Schur indicator from the matrices: (1/|G|) sum_g tr(rho(g)^2)
        fs = np.trace(U @ U, axis1=1, axis2=2).sum() / G.order
        assert abs(fs - rho.frobenius_schur) < 1e-9
        R = rho.real_matrices
        if rho.frobenius_schur != 1:
            assert R is None
            continue
        assert R.dtype == np.float64 and R.shape == U.shape
        assert np.abs(R @ np.transpose(R, (0, 2, 1)) - np.eye(rho.dim)).max() < 1e-12
        for s, g in enumerate(G.generators):
            assert np.abs(R[G.right_perms[s]] - R @ R[g]).max() < 1e-10
        assert np.allclose(np.trace(R, axis1=1, axis2=2), np.trace(U, axis1=1, axis2=2).real)


@settings(max_examples=10, deadline=None)
@given(groups)
def test_relators_hold_exactly(G):
    for rho in irreps(G):
        if G.order <= 72 or rho.dim <= 2:
            assert exact_relators_hold(G, rho)


@settings(max_examples=10, deadline=None)
@given(groups)
def test_exact_images_unitary_or_change_of_basis(G):
    for rho in irreps(G):
        X = rho.generator_images
        U = rho.unitary_generator_images
        if rho.exact_unitary:
            assert rho.change_of_basis is None
            for x, u in zip(X, U):
                assert (x @ x.conj_transpose()).is_identity()
                assert np.abs(x.to_complex() - u).max() < 1e-12
        else:
            C = rho.change_of_basis
            for x, u in zip(X, U):
                assert np.abs(np.linalg.solve(C, x.to_complex() @ C) - u).max() < 1e-9
        if rho.is_monomial:
            for x in X:
                nz = (np.abs(x.to_complex()) > 1e-12).sum(axis=0)
                assert np.all(nz == 1)


@settings(max_examples=8, deadline=None)
@given(groups)
def test_json_round_trip(G):
    data = json.loads(json.dumps(irreps_to_json(G)))
    assert data["order"] == G.order and data["generators"] == list(G.generator_names)
    for item, rho in zip(data["irreps"], irreps(G)):
        assert item["dim"] == rho.dim and item["frobenius_schur"] == rho.frobenius_schur
        assert set(item["images"]) == set(item["exact"]) == set(G.generator_names)
        assert ("change_of_basis" in item) == (not item["exact_unitary"])
    fresh = gt.FiniteGroup(G.right_perms, G.generator_names, presentation=G.defining_presentation,
                           structure=G.structure)
    back = irreps_from_json(fresh, data)
    for a, b in zip(irreps(G), back):
        assert np.abs(a.matrices - b.matrices).max() < 1e-12
        assert a.is_monomial == b.is_monomial and a.exact_unitary == b.exact_unitary
        assert all(x == y for x, y in zip(a.generator_images, b.generator_images))


# -- families with known answers -------------------------------------------------------------------
@pytest.mark.parametrize("n", [3, 4, 5, 8, 9])
def test_dihedral_degrees_and_monomial(n):
    G = gt.dihedral(n)
    reps = irreps(G)
    lin = 2 if n % 2 else 4
    assert sorted(r.dim for r in reps) == [1] * lin + [2] * ((2 * n - lin) // 4)
    assert all(r.is_monomial and r.exact_unitary for r in reps)


@pytest.mark.parametrize("make_group", [
    lambda: gt.smallgroup_200_44(), lambda: gt.torus_p4m(4), lambda: gt.quaternion(16),
    lambda: gt.dicyclic(6), lambda: gt.abelian((4, 6)),
    lambda: gt.semidirect_product(gt.cyclic(7), gt.cyclic(3), [["a^2"]]),
])
def test_supersolvable_groups_are_monomial(make_group):
    # every irrep of a supersolvable group is induced from a linear character (Huppert)
    G = make_group()
    reps = irreps(G)
    assert all(r.is_monomial for r in reps)
    check_representation(G, reps, pairs=32)


def mackey_degrees(n: int) -> list[int]:
    """Degrees of (C_n x C_n) : D4 by Mackey's little group method, computed by brute force:
    for each D4-orbit of characters of C_n^2 with stabilizer S, the degrees |orbit| * dim(sigma),
    sigma in Irr(S); subgroups of D4 have irreps of dims 1 (abelian) or [1, 1, 1, 1, 2] (D4)."""
    r = np.array([[0, -1], [1, 0]])
    s = np.array([[1, 0], [0, -1]])
    D4 = [np.linalg.matrix_power(r, i) @ np.linalg.matrix_power(s, j)
          for i in range(4) for j in range(2)]
    seen, degs = set(), []
    for psi in itertools.product(range(n), repeat=2):
        if psi in seen:
            continue
        orbit = {tuple(int(v) for v in (np.array(psi) @ g) % n) for g in D4}
        seen |= orbit
        stab = 8 // len(orbit)
        dims = [1, 1, 1, 1, 2] if stab == 8 else [1] * stab
        degs += [len(orbit) * dd for dd in dims]
    return sorted(degs)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_torus_p4m_degrees_by_mackey(n):
    G = gt.torus_p4m(n)
    reps = irreps(G)
    assert sorted(r.dim for r in reps) == mackey_degrees(n)
    assert all(r.is_monomial for r in reps)


def test_torus_p4m_28_mnist_group():
    # the degrees of (C28 x C28) : D4: 8 x 1, 6 x 2, 78 x 4, 78 x 8 (GAP)
    G = gt.torus_p4m(28)
    degs = [r.dim for r in irreps(G)]
    assert [degs.count(d) for d in (1, 2, 4, 8)] == [8, 6, 78, 78]
    assert all(r.is_monomial for r in irreps(G))
    rho = irreps(G)[-1]
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, G.order, 50), rng.integers(0, G.order, 50)
    U = rho.matrices
    assert np.abs(U[np.asarray(G.multiply(a, b))] - U[a] @ U[b]).max() < 1e-10


def test_smallgroup_200_44_degrees():
    assert [r.dim for r in irreps(gt.smallgroup_200_44())] == [1, 1, 1, 1, 2, 8, 8, 8]


def test_direct_product_degrees_are_products():
    A, B = gt.dihedral(4), gt.alternating(4)
    G = gt.direct_product(A, B)
    want = sorted(a.dim * b.dim for a in irreps(A) for b in irreps(B))
    assert sorted(r.dim for r in irreps(G)) == want
    check_representation(G, irreps(G), pairs=32)


@pytest.mark.parametrize("name", list(NONSOLVABLE))
def test_nonsolvable_groups(name):
    G = nonsolvable(name)
    reps = irreps(G)
    assert [r.dim for r in reps] == NONSOLVABLE[name][1]
    check_representation(G, reps, pairs=48)
    for rho in reps:
        if rho.frobenius_schur == 1:
            R = rho.real_matrices
            assert np.abs(R @ np.transpose(R, (0, 2, 1)) - np.eye(rho.dim)).max() < 1e-12
    if G.order <= 168:
        check_schur_orthogonality(G, reps)


def test_non_monomial_irreps_are_projected():
    # SL(2,3) has no subgroup of index 2, so its 2-dimensional irreps are not monomial
    reps = irreps(gt.special_linear(2, 3))
    assert [r.dim for r in reps if not r.is_monomial] == [2, 2, 2]
    assert all(exact_relators_hold(gt.special_linear(2, 3), r) for r in reps)


def test_irreps_on_a_group_without_presentation_of_its_own():
    G = gt.from_permutations([[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]])  # S5, Schreier presentation
    assert G.defining_presentation is None
    reps = irreps(G)
    assert sorted(r.dim for r in reps) == [1, 1, 4, 4, 5, 5, 6]
    check_representation(G, reps, pairs=32)


# -- the Irrep object ---------------------------------------------------------------------------
def test_irrep_object():
    G = gt.dihedral(4)
    reps = irreps(G)
    assert irreps(G) is reps
    rho = reps[4]
    assert rho.label == "rho_4" and rho.key == (hash(G), 4) and rho.index == 4
    assert rho == irreps(G)[4] and hash(rho) == hash(irreps(G)[4]) and rho != reps[3]
    assert np.allclose(rho("r*s"), rho.matrices[G.element("r*s")])
    assert np.allclose(rho(G.element("r")), rho.matrices[G.element("r")])
    with pytest.raises(AttributeError):
        rho.dim = 3
    with pytest.raises(IndexError):
        rho(G.order)
    assert not rho.matrices.flags.writeable
    assert len(rho.character) == len(G.conjugacy_classes())
    assert np.allclose(rho.character_values, np.trace(rho.matrices, axis1=1, axis2=2))
    assert "monomial" in repr(rho)


def test_limits_and_errors():
    with pytest.raises(GroupTooLargeError):
        irreps(gt.dihedral(100), max_order=100)
    with pytest.raises(GroupToolsError):
        irreps(gt.alternating(5), search_limit=0)


def test_import_rejects_bad_data():
    G = gt.symmetric(3)
    data = irreps_to_json(G)
    with pytest.raises(InvalidGroupError):
        irreps_from_json(gt.cyclic(6), data)
    bad = json.loads(json.dumps(data))
    bad["generators"] = ["x", "y"]
    with pytest.raises(InvalidGroupError):
        irreps_from_json(G, bad)
    bad = json.loads(json.dumps(data))
    bad["irreps"][2]["exact"]["a"] = [["1", "0"], ["0", "1"]]  # not a representation of S3
    bad["irreps"][2]["images"]["a"] = [[[1, 0], [0, 0]], [[0, 0], [1, 0]]]
    with pytest.raises(InvalidGroupError):
        irreps_from_json(gt.symmetric(3), bad)
    bad = json.loads(json.dumps(data))
    bad["irreps"][2]["images"]["b"][0][0] = [0.5, 0]
    with pytest.raises(InvalidGroupError):
        irreps_from_json(gt.symmetric(3), bad)
    bad = json.loads(json.dumps(data))
    bad["irreps"] = bad["irreps"][:2]
    with pytest.raises(InvalidGroupError):
        irreps_from_json(gt.symmetric(3), bad)


def test_import_installs_and_checks_non_unitary_forms():
    G = gt.alternating(5)
    data = irreps_to_json(G)
    assert any(not item["exact_unitary"] for item in data["irreps"])
    H = gt.alternating(5)
    back = irreps_from_json(H, data, install=True)
    assert irreps(H) is back


def parse_gap_list(text: str):
    """Nested lists of entry strings from a GAP list literal (independent tiny parser)."""
    stack, cur, tok = [], None, ""
    for ch in text:
        if ch == "[":
            stack.append([])
        elif ch in ",]":
            if tok.strip():
                stack[-1].append(tok.strip())
            tok = ""
            if ch == "]":
                cur = stack.pop()
                if stack:
                    stack[-1].append(cur)
        else:
            tok += ch
    return cur


def test_text_and_gap_export():
    G = gt.symmetric(3)
    text = format_irreps(G)
    assert all(f"rho_{i}" in text for i in range(3)) and "b -> [ [ 0, 1 ], [ 1, 0 ] ]" in text
    rows = parse_gap_list(irreps_to_gap(G))
    assert len(rows) == 3 and all(len(r) == 2 for r in rows)
    for rho, mats in zip(irreps(G), rows):
        for X, M in zip(rho.generator_images, mats):
            assert X == CycMatrix.from_gap(M)
        assert parse_gap_list(rho.to_gap()) == mats


# -- helpers -----------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4).flatmap(
    lambda r: st.lists(st.lists(st.integers(-9, 9), min_size=r, max_size=r), min_size=1,
                       max_size=6)),
    st.sampled_from([2, 4, 6, 12, 30]))
def test_relation_lattice_and_smith_form(rows, m):
    from sympy import Matrix
    from sympy.matrices.normalforms import smith_normal_form

    R = np.array(rows, dtype=np.int64)
    r = R.shape[1]
    B = relation_lattice(R, m)
    assert np.all(np.tril(B, -1) == 0) and np.all(np.diag(B) > 0)
    full = Matrix(np.concatenate([R, m * np.eye(r, dtype=np.int64)]).tolist())
    want = [abs(int(x)) for x in smith_normal_form(full).diagonal() if x != 0]
    d, Q = smith_form(B)
    assert [x for x in d if x != 1] == sorted(x for x in want if x != 1)
    assert all(d[i + 1] % d[i] == 0 for i in range(len(d) - 1))
    assert abs(round(np.linalg.det(np.array(Q, dtype=float)))) == 1
    assert math.prod(d) == abs(round(np.linalg.det(B.astype(float))))


@pytest.mark.parametrize("make_group", [lambda: gt.symmetric(4), lambda: gt.smallgroup_200_44(),
                                        lambda: gt.special_linear(2, 3), lambda: gt.torus_p4m(2)])
def test_linear_characters_of_subgroups(make_group):
    G = make_group()
    for H in itertools.islice(candidate_subgroups(G), 12):
        lin = linear_characters(H, G.exponent)
        Hg, _ = H.as_group()
        E = lin.exponents(0, lin.count)
        T = Hg.cayley_table
        assert np.all((E[:, T] - E[:, :, None] - E[:, None, :]) % G.exponent == 0)
        assert len({e.tobytes() for e in E}) == lin.count
        assert lin.count * Hg.derived_subgroup().order == Hg.order


def test_monomial_algebra_against_dense_matrices():
    rng = np.random.default_rng(3)
    m = 12

    def dense(p, e):
        A = np.zeros((p.size, p.size), complex)
        A[p, np.arange(p.size)] = np.exp(2j * np.pi * e / m)
        return A

    for _ in range(20):
        d = int(rng.integers(1, 6))
        pa, pb = rng.permutation(d), rng.permutation(d)
        ea, eb = rng.integers(0, m, d), rng.integers(0, m, d)
        p, e = mono_compose(pa, ea, pb, eb, m)
        assert np.allclose(dense(p, e), dense(pa, ea) @ dense(pb, eb))
        q, f = mono_inverse(pa, ea, m)
        assert np.allclose(dense(q, f), np.linalg.inv(dense(pa, ea)))


def test_tree_products_agree_with_word_products_and_induction_formula():
    G = gt.symmetric(4)
    H = next(S for S in candidate_subgroups(G) if S.order == 8)  # a Sylow 2-subgroup
    lin = linear_characters(H, G.exponent)
    lam = lin.exponents(0, lin.count)
    data = induce(G, Transversal(G, H), lam, G.exponent)
    P, E = tree_monomials(G, data.perms, data.exps, G.exponent)
    xs = np.arange(G.order)
    P2, E2 = monomial_images(G, data.perms, data.exps, G.exponent, xs)
    assert np.array_equal(P, P2) and np.array_equal(E, E2)
    P3, E3 = data.images(xs, b=1)
    assert np.array_equal(P, P3) and np.array_equal(E[1], E3)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 7), st.sampled_from([1, 2, 3, 4, 6, 12]), st.integers(0, 2**16))
def test_monomial_eigenvalues_power_sums(d, m, seed):
    # equal power sums tr(A^k), k = 1..d, mean equal eigenvalue multisets (Newton)
    rng = np.random.default_rng(seed)
    P = np.array([rng.permutation(d) for _ in range(3)])
    E = rng.integers(0, m, (2, 3, d))
    L = m * math.lcm(*range(1, d + 1))
    got = monomial_eigenvalues(P, E, m, L)
    for b in range(2):
        for x in range(3):
            A = np.zeros((d, d), complex)
            A[P[x], np.arange(d)] = np.exp(2j * np.pi * E[b, x] / m)
            for k in range(1, d + 1):
                want = np.trace(np.linalg.matrix_power(A, k))
                assert abs(np.exp(2j * np.pi * k * got[b, x] / L).sum() - want) < 1e-9


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 9), st.integers(0, 2**16), st.integers(1, 4))
def test_find_clique_brute_force(n, seed, size):
    rng = np.random.default_rng(seed)
    A = rng.random((n, n)) < 0.5
    A = np.triu(A, 1)
    A = A | A.T
    got = find_clique(A, size)
    exists = any(all(A[a, b] for a, b in itertools.combinations((0,) + c, 2))
                 for c in itertools.combinations(range(1, n), size - 1))
    assert (got is not None) == exists
    if got is not None:
        assert got[0] == 0 and len(set(got)) == size
        assert all(A[a, b] for a, b in itertools.combinations(got, 2))


@pytest.mark.parametrize("m", [1, 2, 3, 4, 6, 12, 15, 30, 60, 105])
def test_cyclotomic_polynomial_and_power_basis(m):
    import sympy

    x = sympy.Symbol("x")
    want = [int(c) for c in reversed(sympy.Poly(sympy.cyclotomic_poly(m, x), x).all_coeffs())]
    assert list(cyclotomic_polynomial(m)) == want
    tab = power_basis_table(m)
    z = np.exp(2j * np.pi / m)
    assert np.allclose(tab @ z ** np.arange(tab.shape[1]), z ** np.arange(m))


def test_real_intertwiner_rejects_complex_type():
    U = irreps(gt.cyclic(3))[1].matrices
    with pytest.raises(GroupToolsError):
        real_intertwiner(U)
