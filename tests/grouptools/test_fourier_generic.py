"""The discovered fast Fourier route (``grouptools.fourier._discovered``) for groups without structure.

Expected values come from the dense definition ``f_hat(rho) = sum_g f(g) rho(g)`` (an independent
computation with the irrep matrices), from Plancherel, from round trips, and from group axioms
checked directly with the multiplication.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools._errors import InvalidGroupError
from grouptools.fourier import choose_method, inverse, transform
from grouptools.fourier import _discovered
from strategies import rel_err, signals

P128 = "<a,b,r,s | a^4, b^4, [a,b], r^4, s^2, (s*r)^2, r^-1*a*r*b^-1, r^-1*b*r*a, s^-1*a*s*a^-1, s^-1*b*s*b>"

BUILDERS = {
    "p128": lambda: gt.group(P128),
    # the catalogue's dicyclic groups carry their structure; presented, they must be discovered
    "dic3": lambda: gt.from_presentation("<a,x | a^6, x^2*a^-3, x^-1*a*x*a>"),
    "dic5": lambda: gt.from_presentation("<a,x | a^10, x^2*a^-5, x^-1*a*x*a>"),
    "S4": lambda: gt.symmetric(4),
    "SL(2,3)": lambda: gt.special_linear(2, 3),
    "D12": lambda: gt.from_presentation("<r,s | r^12, s^2, (s*r)^2>"),
    "Q16": lambda: gt.from_presentation("<a,x | a^8, x^2*a^-4, x^-1*a*x*a>"),
}
GROUPS = {name: build() for name, build in BUILDERS.items()}
NAMES = sorted(GROUPS)




@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), batch=st.sampled_from([(), (3,), (2, 2)]), complex_=st.booleans())
def test_matches_dense(name, seed, batch, complex_):
    G = GROUPS[name]
    f = signals(G, seed, batch, complex_)
    got = transform(G, f, method="discovered")
    want = transform(G, f, method="dense")
    assert got.dims == want.dims and got.batch_shape == batch
    assert rel_err(got, want) < 1e-10


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), complex_=st.booleans())
def test_inverse_and_plancherel(name, seed, complex_):
    G = GROUPS[name]
    f = signals(G, seed, (4,), complex_)
    u = transform(G, f, norm="unitary", method="discovered")
    # Plancherel: the unitary transform is an isometry
    np.testing.assert_allclose(np.linalg.norm(u.flatten(), axis=-1), np.linalg.norm(f, axis=-1), rtol=1e-10)
    back = inverse(G, u, norm="unitary", method="discovered")
    np.testing.assert_allclose(back, f, rtol=0, atol=1e-10 * np.abs(f).max())
    dense_back = inverse(G, u, norm="unitary", method="dense")
    np.testing.assert_allclose(back, dense_back, rtol=0, atol=1e-10 * np.abs(f).max())
    if not complex_:
        real = inverse(G, u, norm="unitary", method="discovered", real=True)
        assert real.dtype == np.float64
        np.testing.assert_allclose(real, f, rtol=0, atol=1e-10 * np.abs(f).max())


@pytest.mark.parametrize("name", NAMES)
def test_auto_choice(name):
    G = GROUPS[name]
    assert G.structure is None
    A = _discovered.abelian_normal_subgroup(G)
    # SL(2,3): the largest abelian normal subgroup is the centre C2 (Q8's cyclic subgroups of
    # order 4 are permuted by the elements of order 3), below the paying threshold
    assert (A.order >= _discovered.MIN_PAYING_ORDER) == (name != "SL(2,3)")
    # these groups are tiny (order <= 128): the dense product is the cheapest route for them
    assert choose_method(G) == "dense"
    f = signals(G, 1, (2,), False)
    assert rel_err(transform(G, f), transform(G, f, method="discovered" if name != "SL(2,3)" else "dense")) < 1e-10
    assert rel_err(transform(G, f), transform(G, f, method="dense")) < 1e-10


def test_auto_choice_for_a_large_presented_group():
    G = gt.from_presentation("<a, x | a^400, x^2*a^-200, x^-1*a*x*a>")  # dicyclic, order 800
    assert G.structure is None and choose_method(G) == "discovered"
    f = signals(G, 2, (2,), False)
    assert rel_err(transform(G, f), transform(G, f, method="dense")) < 1e-10


# largest abelian normal subgroups, known by hand: V4 < S4, C_{2n} < Dic_n, C8 < Q16, C12 < D12
KNOWN_ORDERS = {"S4": 4, "dic3": 6, "dic5": 10, "Q16": 8, "D12": 12, "SL(2,3)": 2}


@pytest.mark.parametrize("name", NAMES)
def test_subgroup_is_abelian_and_normal(name):
    G = GROUPS[name]
    A = _discovered.abelian_normal_subgroup(G)
    els = np.asarray(A.elements, dtype=np.int64)
    assert A.order > 1 and G.order % A.order == 0
    # abelian: all products commute (checked on all pairs with the Cayley table)
    T = G.cayley_table
    assert np.array_equal(T[np.ix_(els, els)], T[np.ix_(els, els)].T)
    # normal: g a g^-1 stays in A for every g
    inside = np.zeros(G.order, bool)
    inside[els] = True
    g = np.arange(G.order)
    conj = T[T[g[:, None], els[None, :]], G.inverse[g][:, None]]
    assert inside[conj].all()
    if name in KNOWN_ORDERS:
        assert A.order == KNOWN_ORDERS[name]


def test_layout_is_a_coset_decomposition():
    for G in GROUPS.values():
        g = _discovered.discovered_layout(G)
        lay = g.layout
        assert g.kernel == 1 and int(np.prod(lay.invariants)) * lay.ncoset == G.order
        assert np.array_equal(np.sort(g.perm), np.arange(G.order))
        assert np.array_equal(g.perm[g.inv_perm], np.arange(G.order))
        # perm[t |A| + e] = phi(e) t: the first element of each coset row is t itself
        m = G.order // lay.ncoset
        assert np.array_equal(g.perm[::m], lay.t_elements)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(2, 12), min_size=1, max_size=3).filter(lambda v: np.prod(v) <= 600))
def test_abelian_basis(invariants):
    H = gt.abelian(tuple(invariants))
    found = _discovered.abelian_basis(H)
    assert found is not None
    basis, orders = found
    assert int(np.prod(orders)) == H.order
    assert [int(H.element_orders[b]) for b in basis] == list(orders)
    # independence: the products b^e over the grid are pairwise distinct, hence all of H
    elems = np.zeros(1, np.int64)
    for b, n in zip(basis, orders):
        pw = np.array([H.power(b, e) for e in range(n)], np.int64)
        elems = np.asarray(H.multiply(elems[:, None], pw[None, :])).ravel()
    assert np.unique(elems).size == H.order
    # invariant factors: each order divides the previous one
    assert all(orders[i] % orders[i + 1] == 0 for i in range(len(orders) - 1))


def test_padded_grid_fallback(monkeypatch):
    """Without a basis, the generators of A give a surjective grid; sums are divided by |K|."""
    original = _discovered._reduced_generators

    def redundant(G, elements, limit=64):
        gens = original(G, elements, limit)
        sq = int(G.multiply(gens[0], gens[0])) if gens else 0
        return gens + (sq,) if sq != 0 else gens

    monkeypatch.setattr(_discovered, "abelian_basis", lambda H: None)
    monkeypatch.setattr(_discovered, "_reduced_generators", redundant)
    G = gt.dicyclic(3)  # a fresh group: nothing cached
    g = _discovered.discovered_layout(G)
    assert g.kernel > 1 and g.inv_perm is None and g.perm.size == g.kernel * G.order
    for complex_ in (False, True):
        f = signals(G, 7, (3,), complex_)
        got = transform(G, f, method="discovered")
        want = transform(G, f, method="dense")
        assert rel_err(got, want) < 1e-10
        np.testing.assert_allclose(inverse(G, got, method="discovered"), f, atol=1e-10)
        np.testing.assert_allclose(inverse(G, got, method="discovered", real=True), f.real, atol=1e-10)


def test_kernels_twins_agree():
    G = GROUPS["p128"]
    f = signals(G, 3, (2,), False)
    P = _discovered.plan(G)
    a = _discovered.execute(P, f, inverse=False)
    b = _discovered.execute(P, f, inverse=False, python=True)
    assert rel_err(a, b) < 1e-12
    x = _discovered.execute(P, a, inverse=True)
    y = _discovered.execute(P, a, inverse=True, python=True)
    np.testing.assert_allclose(x, y, atol=1e-12)


def test_not_applicable():
    A5 = gt.alternating(5)
    assert not _discovered.applies(A5)
    assert choose_method(A5) == "dense"
    with pytest.raises(InvalidGroupError):
        transform(A5, np.zeros(60), method="discovered")


def test_structured_groups_keep_their_route():
    assert choose_method(gt.dihedral(500)) == "clifford"
    assert choose_method(gt.cyclic(600)) == "abelian"
    G = gt.dihedral(6)  # forcing discovered on a structured group still agrees with dense
    f = signals(G, 5, (2,), True)
    assert rel_err(transform(G, f, method="discovered"), transform(G, f, method="dense")) < 1e-10
