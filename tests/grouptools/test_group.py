"""Properties of FiniteGroup: axioms, orders from formulas, classes, subgroups, constructors."""

from __future__ import annotations

import math
import pickle

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import catalogue_groups, known_presentations

import grouptools as gt
from grouptools._kernels import group as k

FAST = settings(max_examples=25, deadline=None)


def test_catalogue_facts(small_group):
    name, G, order, nclasses, abelian, solvable = small_group
    assert G.order == order
    assert len(G.conjugacy_classes()) == nclasses
    assert G.is_abelian is abelian
    assert G.is_solvable is solvable


@FAST
@given(catalogue_groups())
def test_orders_from_formulas_and_axioms(data):
    G, order, _ = data
    assert G.order == order
    T = G.cayley_table
    n = G.order
    rng = np.random.default_rng(n)
    x, y, z = rng.integers(0, n, size=(3, 200))
    assert np.array_equal(T[T[x, y], z], T[x, T[y, z]])  # associativity
    assert np.array_equal(T[0], np.arange(n)) and np.array_equal(T[:, 0], np.arange(n))
    inv = G.inverse
    assert np.all(T[np.arange(n), inv] == 0) and np.all(T[inv, np.arange(n)] == 0)
    # Latin square
    assert all(np.array_equal(np.sort(T[i]), np.arange(n)) for i in range(0, n, max(1, n // 7)))


@FAST
@given(catalogue_groups())
def test_class_equation_and_element_orders(data):
    G, order, _ = data
    classes = G.conjugacy_classes()
    assert sum(c.size for c in classes) == order
    assert all(order % c.size == 0 for c in classes)
    assert classes[0].elements.tolist() == [0]
    centre = G.centre()
    assert sum(1 for c in classes if c.size == 1) == centre.order
    T = G.cayley_table
    inv = G.inverse
    for c in classes:
        g = c.representative
        conj = T[T[inv, g], np.arange(order)]  # x^-1 g x for all x
        assert set(conj.tolist()) == set(c.elements.tolist())
    orders = G.element_orders
    for x in range(0, order, max(1, order // 10)):
        o = int(orders[x])
        assert G.power(x, o) == 0
        assert all(G.power(x, o // p) != 0 for p in range(2, o + 1) if o % p == 0 and all(p % q for q in range(2, p)))
    assert G.exponent == math.lcm(*orders.tolist())


@FAST
@given(catalogue_groups(), st.lists(st.integers(0, 10**6), min_size=1, max_size=3))
def test_lagrange_and_cosets(data, picks):
    G, order, _ = data
    gens = [p % order for p in picks]
    H = G.subgroup(gens)
    assert order % H.order == 0
    assert all(g in H for g in gens)
    T = G.cayley_table
    els = H.elements
    assert set(T[np.ix_(els, els)].ravel().tolist()) == set(els.tolist())  # closed
    for side in ("left", "right"):
        labels, reps = G.cosets(H, side)
        assert len(reps) == H.index
        assert np.all(np.bincount(labels) == H.order)
        for c, r in enumerate(reps):
            coset = T[r, els] if side == "left" else T[els, r]
            assert np.all(labels[coset] == c)


@FAST
@given(catalogue_groups())
def test_words_are_normal_forms(data):
    G, order, _ = data
    _, _, _, depth = G.spanning_tree
    for x in range(0, order, max(1, order // 20)):
        w = G.word(x)
        assert G.element(w) == x
        length = 0 if w == "1" else sum(abs(int(e)) if e else 1 for e in
                                          [(p.split("^") + [""])[1] for p in w.split("*")])
        assert length == depth[x]


@FAST
@given(catalogue_groups(max_order=120))
def test_derived_series_and_normal_closure(data):
    G, order, _ = data
    D = G.derived_subgroup()
    assert D.is_normal
    T = G.cayley_table
    inv = G.inverse
    # G/G' is abelian: every commutator lies in G'
    rng = np.random.default_rng(order)
    a, b = rng.integers(0, order, size=(2, 30))
    comm = T[T[inv[a], inv[b]], T[a, b]]
    assert all(c in D for c in comm)
    assert (D.order == 1) == G.is_abelian
    series = G.derived_series()
    assert all(series[i].order % series[i + 1].order == 0 for i in range(len(series) - 1))


def test_symmetric_derived_is_alternating():
    for n in range(2, 7):
        assert gt.symmetric(n).derived_subgroup().order == math.factorial(n) // 2


def test_nilpotent():
    assert gt.quaternion(16).is_nilpotent
    assert gt.abelian((4, 6)).is_nilpotent
    assert not gt.symmetric(3).is_nilpotent
    assert not gt.dihedral(3).is_nilpotent


@settings(max_examples=20, deadline=None)
@given(known_presentations())
def test_presentations_give_known_orders(data):
    text, order = data
    G = gt.group(text)
    assert G.order == order
    for rel in G.presentation.relators:
        assert G.element(rel) == 0


def test_presentation_of_catalogue_groups_defines_the_group(group_catalogue):
    # the attached presentation, enumerated independently, gives the same order
    for name, G in group_catalogue.items():
        if G.order > 200:
            continue
        H = gt.from_presentation(G.presentation)
        assert H.order == G.order, name
        for rel in G.presentation.relators:
            assert G.element(rel) == 0, name


def test_schreier_presentation():
    G = gt.from_permutations([[1, 2, 3, 0], [3, 2, 1, 0]])  # D8 on the square's vertices
    P = G.presentation
    assert gt.from_presentation(P).order == 8


def test_kernels_match_twins():
    for G in (gt.dihedral(5), gt.symmetric(4), gt.smallgroup_200_44()):
        letters = G.letter_perms
        a = k.bfs_tree(letters)
        b = k.bfs_tree.py(letters)
        assert all(np.array_equal(x, y) for x, y in zip(a, b))
        order, parent, letter, _ = a
        assert np.array_equal(k.cayley_rows(order, parent, letter, letters),
                              k.cayley_rows.py(order, parent, letter, letters))
        assert np.array_equal(k.tree_apply(order, parent, letter, letters, 3),
                              k.tree_apply.py(order, parent, letter, letters, 3))
        rng = np.random.default_rng(0)
        x, y = rng.integers(0, G.order, size=(2, 50)).astype(np.int32)
        assert np.array_equal(k.multiply_pairs(letters, parent, letter, x, y),
                              k.multiply_pairs.py(letters, parent, letter, x, y))
        assert np.array_equal(k.multiply_pairs(letters, parent, letter, x, y),
                              G.cayley_table[x, y])


def test_table_free_multiplication_agrees_with_table():
    G = gt.torus_p4m(3)
    H = gt.FiniteGroup(G.right_perms, G.generator_names, max_table_order=10)
    rng = np.random.default_rng(1)
    a, b = rng.integers(0, G.order, size=(2, 300))
    assert np.array_equal(H.multiply(a, b), G.cayley_table[a, b])
    assert np.array_equal(H.inverse, G.inverse)
    assert np.array_equal(H.class_index, G.class_index)
    with pytest.raises(gt.GroupTooLargeError):
        H.cayley_table


def test_immutability_and_pickle():
    G = gt.dihedral(6)
    with pytest.raises(AttributeError):
        G.order = 3
    with pytest.raises(ValueError):
        G.cayley_table[0, 0] = 1
    with pytest.raises(ValueError):
        G.right_perms[0, 0] = 1
    H = pickle.loads(pickle.dumps(G))
    assert H == G and hash(H) == hash(G)


def test_from_cayley_table_validates():
    G = gt.dihedral(3)
    H = gt.from_cayley_table(G.cayley_table)
    assert H.order == 6 and len(H.conjugacy_classes()) == 3
    t = np.array(G.cayley_table)
    perm = np.array([0, 2, 1, 3, 4, 5])  # relabel: still a group table
    relabelled = perm[t[np.ix_(np.argsort(perm), np.argsort(perm))]]
    assert gt.from_cayley_table(relabelled).order == 6
    # a Latin square with identity 0 that is not associative (order 5 loop)
    loop = np.array([[0, 1, 2, 3, 4], [1, 0, 3, 4, 2], [2, 4, 0, 1, 3], [3, 2, 4, 0, 1], [4, 3, 1, 2, 0]])
    with pytest.raises(gt.InvalidGroupError, match="associative"):
        gt.from_cayley_table(loop)
    bad = t.copy()
    bad[1, 1], bad[1, 2] = bad[1, 2], bad[1, 1]
    with pytest.raises(gt.InvalidGroupError):
        gt.from_cayley_table(bad)
    shifted = (t + 1) % 6
    with pytest.raises(gt.InvalidGroupError, match="identity"):
        gt.from_cayley_table(shifted)
    with pytest.raises(gt.InvalidGroupError):
        gt.from_cayley_table([[0, 1], [1, 2]])


def test_invalid_constructions():
    with pytest.raises(gt.InvalidGroupError):
        gt.FiniteGroup([[1, 1, 0]])
    with pytest.raises(gt.InvalidGroupError):  # not regular: S3 acting on 3 points
        gt.FiniteGroup([[1, 2, 0], [1, 0, 2]])
    with pytest.raises(gt.InvalidGroupError):  # a -> a^2 is not an automorphism of C4 ... of C6? it is not bijective
        gt.semidirect_product(gt.cyclic(6), gt.cyclic(2), [["a^2"]])
    with pytest.raises(gt.InvalidGroupError):  # a -> a^2 is an automorphism of C5 of order 4, not 2
        gt.semidirect_product(gt.cyclic(5), gt.cyclic(2), [["a^2"]])
    with pytest.raises(gt.InvalidGroupError):
        gt.dihedral(order=7)
    with pytest.raises(gt.InvalidGroupError):
        gt.dihedral(3, order=6)
    with pytest.raises(gt.InvalidGroupError):
        gt.quaternion(12)
    with pytest.raises(gt.EnumerationLimitError):
        gt.from_matrices([[[1, 1], [0, 1]]])  # infinite over Z
    with pytest.raises(gt.InvalidGroupError):
        gt.from_matrices([[[2, 0], [0, 1]]])


def test_products_and_structures():
    G = gt.direct_product(gt.cyclic(3), gt.dihedral(4))
    assert G.order == 24 and isinstance(G.structure, gt.DirectProductStructure)
    # index convention: (i, j) -> i*8 + j
    a = G.element("a")
    assert a == 8
    A = gt.group("C10 x C10 x C2")
    assert A.structure == gt.AbelianStructure((10, 10, 2))
    T = gt.torus_p4m(5)
    s = T.structure
    assert isinstance(s, gt.SemidirectStructure)
    assert s.normal.order == 25 and s.complement.order == 8
    # element n*h at index h*|N| + n; h n h^-1 = action[h, n]
    for h in range(8):
        for n in (1, 7, 13):
            hn = T.multiply(T.multiply(h * 25, n), T.inverse[h * 25])
            assert hn == s.action[h, n]


def test_dihedral_conventions():
    assert gt.dihedral(4) == gt.dihedral(order=8) == gt.group("DihedralGroup(8)")
    assert gt.group("dihedral(order=60)").order == 60
    with pytest.raises(gt.SpecError, match="ambiguous"):
        gt.group("D8")


def test_known_large_groups():
    G = gt.torus_p4m(28)
    assert G.order == 6272 and len(G.conjugacy_classes()) == 170
    assert gt.group("C10 x C10 x C2").order == 200
    assert gt.dihedral(order=64).order == 64 and gt.dihedral(order=120).order == 120


def test_cayley_graph():
    G = gt.dihedral(5)
    graph = G.cayley_graph()
    assert isinstance(graph, nx.DiGraph)
    assert graph.number_of_nodes() == 10 and graph.number_of_edges() == 20
    assert nx.is_strongly_connected(graph)
    assert {d["generator"] for _, _, d in graph.edges(data=True)} == {"r", "s"}
    for u, v, d in graph.edges(data=True):
        assert G.multiply(u, G.element(d["generator"])) == v


def test_spec_grammar():
    assert gt.group("cyclic(10) x cyclic(10) x cyclic(2)").order == 200
    assert gt.group("C5^2").order == 25
    assert gt.group("(C2 x C3) x S3").order == 36
    assert gt.group("SymmetricGroup(4)").order == 24
    assert gt.group("SL(2,3)").order == 24
    assert gt.group("PSL(2,7)").order == 168
    assert gt.group("Q16").order == 16
    for bad in ["", "foo(2)", "cyclic(", "cyclic(2))", "C2 x", "dihedral(1, order=2)", "SmallGroup(8,3)", "cyclic(0)"]:
        with pytest.raises(gt.GroupToolsError):
            gt.group(bad)


# -- issue 10: named errors, limits for catalogue specs ------------------------------------------
@pytest.mark.parametrize("spec", [
    "cyclic(7)", "abelian(2, 6)", "abelian()", "dihedral(5)", "dihedral(order=12)", "DihedralGroup(8)",
    "dicyclic(3)", "quaternion(16)", "Q8", "symmetric(4)", "S1", "alternating(5)", "A2", "A4", "SL(2,3)",
    "GL(2,3)", "PSL(2,7)", "PSL(3,2)", "SL(1,5)", "GL(1,5)", "GL(2,2)", "torus_p4m(3)", "SmallGroup(200,44)",
    "C2 x S3", "C3^3", "(C2 x C2)^2 x Dic2",
])
def test_order_formulas_of_specs(spec):
    from grouptools.groups._spec import _parse

    assert _parse(spec).order == gt.group(spec).order


def test_group_limits_for_catalogue_specs():
    with pytest.raises(gt.EnumerationLimitError, match=r"^S4: order 24 exceeds max_order=10$"):
        gt.group("S4", max_order=10)
    with pytest.raises(gt.EnumerationLimitError, match="exceeds max_cosets=20"):
        gt.group("C5 x C5", max_cosets=20)
    assert gt.group("S4", max_order=24).order == 24
    with pytest.raises(gt.EnumerationLimitError, match=r"^cyclic\(10000000\): order 10000000 exceeds max_order=1000000$"):
        gt.group("cyclic(10000000)")
    with pytest.raises(gt.EnumerationLimitError, match="time_budget"):
        gt.group("C2 x C3", time_budget=1e-9)
    for bad in (-5, 0):
        with pytest.raises(gt.InvalidLimitError):
            gt.group("S4", max_order=bad)
        with pytest.raises(ValueError):  # InvalidLimitError is a ParameterError, a ValueError
            gt.group("<a | a^2>", max_order=bad)
    with pytest.raises(gt.ParameterTypeError, match="foo"):
        gt.group("S4", foo=3)
    with pytest.raises(TypeError):  # ParameterTypeError is a TypeError
        gt.group("<a | a^2>", foo=3)


def test_catalogue_errors_name_the_users_spec():
    with pytest.raises(gt.InvalidGroupError, match=r"^cyclic\(0\): "):
        gt.group("C3 x cyclic(0)")
    with pytest.raises(gt.InvalidGroupError, match=r"^quaternion\(12\): "):
        gt.group("quaternion(12)")
    with pytest.raises(gt.SpecError, match=r"^SmallGroup\(8,3\): not available"):
        gt.group("SmallGroup(8,3)")
    with pytest.raises(gt.SpecError, match=r"^cyclic\(1, 2\): bad arguments"):
        gt.group("cyclic(1, 2)")
    with pytest.raises(gt.SpecError, match="integer too large"):
        gt.group("cyclic(" + "9" * 5000 + ")")  # not Python's int-from-str digit limit


@given(st.integers(-10**6, 10**6))
@settings(max_examples=30, deadline=None, database=None)
def test_word_element_round_trip_and_range(i):
    G = gt.dihedral(5)
    if 0 <= i < G.order:
        assert G.element(G.word(i)) == i == G.element(i)
    else:
        with pytest.raises(gt.ElementError):
            G.word(i)
        with pytest.raises(IndexError):
            G.element(i)
