"""Representations beyond irreps: constructions, decomposition, equivariant maps (issue 13).

Expected values are derived independently of the code under test: characters from fixed
points of the coset action and from the character table, inner products from class sizes,
block matrices assembled from the irreps' own generator images.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools import CycMatrix

GROUPS = {
    "C5": lambda: gt.cyclic(5),
    "D4": lambda: gt.dihedral(4),
    "D5": lambda: gt.dihedral(5),
    "S4": lambda: gt.symmetric(4),
    "Dic3": lambda: gt.dicyclic(3),
    "Q8": lambda: gt.quaternion(),
    "A4": lambda: gt.alternating(4),
    "p4m2": lambda: gt.torus_p4m(2),
    "p4m3": lambda: gt.torus_p4m(3),
    "pres_S3": lambda: gt.from_presentation("<a, b | a^3, b^2, (a*b)^2>"),
    "pres_C2xC4": lambda: gt.from_presentation("<a, b | a^2, b^4, a*b*a^-1*b^-1>"),
}
_CACHE: dict[str, gt.FiniteGroup] = {}


def group(name: str) -> gt.FiniteGroup:
    if name not in _CACHE:
        _CACHE[name] = GROUPS[name]()
    return _CACHE[name]


SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
names = st.sampled_from(sorted(GROUPS))


def inner_products(G: gt.FiniteGroup, chi: np.ndarray) -> np.ndarray:
    """<chi, chi_i> from the class sizes and the character table (independent of decompose)."""
    T = G.character_table()
    sizes = np.array([c.size for c in G.conjugacy_classes()], float)
    vals = np.asarray(T.values)
    return np.rint(((chi * sizes) @ vals.conj().T / G.order).real).astype(int)


def coset_character(G: gt.FiniteGroup, H: gt.Subgroup) -> np.ndarray:
    """Fixed points of each class representative on G/H, by the definition g t H = t H."""
    inside = np.zeros(G.order, bool)
    inside[H.elements] = True
    labels, reps = G.cosets(H, "left")
    out = []
    for c in G.conjugacy_classes():
        g = c.representative
        out.append(sum(1 for t in reps if labels[G.multiply(g, int(t))] == labels[int(t)]))
    return np.array(out, float)


def block_exact(irreps, blocks, s: int) -> CycMatrix:
    mats = [irreps[i].generator_images[s] for i, _ in blocks]
    n = sum(X.shape[0] for X in mats)
    rows, col = [], 0
    for X in mats:
        d = X.shape[0]
        parts = [CycMatrix.zeros(d, col, 1)] if col else []
        parts.append(X)
        if n - col - d:
            parts.append(CycMatrix.zeros(d, n - col - d, 1))
        rows.append(CycMatrix.hstack(parts))
        col += d
    return CycMatrix.vstack(rows)


def block_numeric(irreps, blocks, s: int) -> np.ndarray:
    mats = [irreps[i].unitary_generator_images[s] for i, _ in blocks]
    n = sum(X.shape[0] for X in mats)
    out = np.zeros((n, n), complex)
    col = 0
    for X in mats:
        d = X.shape[0]
        out[col:col + d, col:col + d] = X
        col += d
    return out


def cyclic_subgroup(G: gt.FiniteGroup, x: int) -> gt.Subgroup:
    return G.subgroup([x % G.order])


@SETTINGS
@given(names, st.integers(0, 10**6))
def test_permutation_representation_decomposes_exactly(name, seed):
    G = group(name)
    H = cyclic_subgroup(G, seed)
    R = G.permutation_representation(H)
    assert R.dim == G.order // H.order and R.points[0] == 0
    D = R.decompose()
    assert D.multiplicities.tolist() == inner_products(G, coset_character(G, H)).tolist()
    Q = D.change_of_basis
    assert Q.rank() == R.dim
    for s, X in enumerate(R.exact_generator_images):
        assert X @ Q == Q @ block_exact(D.irreps, D.blocks, s)


@SETTINGS
@given(names, st.integers(0, 10**6))
def test_tensor_products_decompose_exactly(name, seed):
    G = group(name)
    R = G.irreps()
    exact = [r for r in R if r.exact_unitary]
    r1, r2 = exact[seed % len(exact)], exact[(seed // 7) % len(exact)]
    T = r1.tensor(r2)
    chi = np.asarray(G.character_table().values)[r1.index] * np.asarray(G.character_table().values)[r2.index]
    D = gt.clebsch_gordan(r1, r2)
    assert D.is_exact
    assert D.multiplicities.tolist() == inner_products(G, chi).tolist()
    Q = D.change_of_basis
    assert Q.rank() == T.dim
    for s, X in enumerate(T.exact_generator_images):
        assert X @ Q == Q @ block_exact(D.irreps, D.blocks, s)


@SETTINGS
@given(names, st.integers(0, 10**6))
def test_numeric_decomposition_is_unitary(name, seed):
    G = group(name)
    R = G.irreps()
    rho = R[seed % len(R)]
    U = np.asarray(rho.unitary_generator_images)
    rep = gt.Representation(G, list(U)).direct_sum(G.regular_representation())
    assert not rep.is_exact
    D = rep.decompose()
    Q = D.change_of_basis
    assert np.abs(Q.conj().T @ Q - np.eye(rep.dim)).max() < 1e-10
    expected = inner_products(G, np.full(len(G.conjugacy_classes()), 0.0) + np.asarray(
        G.character_table().values)[rho.index] + np.array(
        [G.order if c.representative == 0 else 0 for c in G.conjugacy_classes()]))
    assert D.multiplicities.tolist() == expected.tolist()
    for s in range(len(G.generators)):
        blk = Q.conj().T @ rep.numeric_generator_images[s] @ Q
        assert np.abs(blk - block_numeric(D.irreps, D.blocks, s)).max() < 1e-10


@SETTINGS
@given(names, st.integers(0, 10**6))
def test_frobenius_reciprocity(name, seed):
    G = group(name)
    H = cyclic_subgroup(G, seed)
    K, emb = H.as_group()
    sigma = K.irreps()[seed % len(K.irreps())]
    induced = gt.induce(sigma, G, emb).decompose().multiplicities
    for i, rho in enumerate(G.irreps()):
        res = rho.restrict(H).decompose(exact=False).multiplicities
        assert induced[i] == res[sigma.index]


@SETTINGS
@given(names, st.integers(0, 10**6))
def test_equivariant_basis(name, seed):
    G = group(name)
    H = cyclic_subgroup(G, seed)
    P = G.permutation_representation(H)
    rho = G.irreps()[seed % len(G.irreps())]
    for rin, rout in ((P, G.regular_representation()), (rho, P), (P.tensor(rho), P)):
        B = gt.equivariant_basis(rin, rout)
        m_in, m_out = (inner_products(G, np.asarray([complex(c) for c in r.character]))
                       for r in (rin, rout))
        assert B.shape == (int(m_in @ m_out), rout.dim, rin.dim)
        for g in G.generators:
            assert np.abs(rout(g) @ B - B @ rin(g)).max(initial=0) < 1e-10
        flat = B.reshape(B.shape[0], rout.dim * rin.dim)
        assert np.abs(flat @ flat.conj().T - np.eye(B.shape[0])).max(initial=0) < 1e-10  # independent
    assert gt.equivariant_basis(P, G.regular_representation()).dtype == np.float64


def test_dual_and_direct_sum_characters():
    G = gt.symmetric(4)
    T = np.asarray(G.character_table().values)
    R = G.irreps()
    S = R[1].direct_sum(R[3]).dual()
    assert S.decompose().multiplicities.tolist() == inner_products(G, np.conj(T[1] + T[3])).tolist()


def test_irrep_is_a_representation():
    G = gt.dihedral(4)
    for i, rho in enumerate(G.irreps()):
        assert isinstance(rho, gt.Representation) and rho.is_irreducible
        assert rho.decompose().multiplicities.tolist() == [int(j == i) for j in range(len(G.irreps()))]


def test_tetrahedron_edges():
    G = gt.symmetric(4)
    b = G.element("b")
    H = G.subgroup([x for x in range(G.order) if G.multiply(x, b) == G.multiply(b, x)])
    assert H.order == 4
    D = G.permutation_representation(H).decompose()
    assert D.multiplicities.tolist() == inner_products(G, coset_character(G, H)).tolist()


def test_sympy_and_integer_input():
    sympy = pytest.importorskip("sympy")
    G = gt.cyclic(3)
    w = sympy.exp(2 * sympy.pi * sympy.I / 3)
    R = gt.Representation(G, [sympy.Matrix([[w, 0], [0, 1]])])
    assert R.is_exact and R.decompose().multiplicities.tolist() == [1, 1, 0]
    P = gt.Representation(G, [np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0]])])
    assert P.is_exact and P.is_unitary and not P.is_irreducible


def test_bad_input_raises_named_errors():
    G = gt.cyclic(4)
    with pytest.raises(gt.InvalidGroupError):
        gt.Representation(G, [[[2]]])
    with pytest.raises(gt.InvalidGroupError):
        gt.Representation(G, [np.array([[1j * 1.1]])])
    with pytest.raises(gt.ParameterError):
        gt.Representation(G, [[[1, 0]]])
    with pytest.raises(gt.ParameterError):
        gt.Representation(G, [])
    with pytest.raises(gt.ParameterTypeError):
        gt.Representation(G, 5)
    with pytest.raises(gt.ParameterError):
        gt.Representation(G, [np.array([[1j]])]).decompose(exact=True)
    with pytest.raises(gt.ParameterError):
        G.regular_representation().tensor(gt.cyclic(3).regular_representation())
    with pytest.raises(gt.ParameterError):
        G.regular_representation().decompose(field="quaternion")
    with pytest.raises(gt.ElementError):
        G.regular_representation().at(17)
    with pytest.raises(gt.InvalidGroupError):
        gt.induce(gt.cyclic(2).regular_representation(), G, [0, 1])


def test_json_and_gap_export():
    G = gt.symmetric(3)
    R = G.regular_representation()
    data = json.loads(json.dumps(R.to_json()))
    for s, X in zip(G.generator_names, R.exact_generator_images):
        assert CycMatrix.from_gap(data["exact_images"][s]) == X
    D = R.decompose()
    dd = json.loads(json.dumps(D.to_json()))
    assert dd["multiplicities"] == D.multiplicities.tolist()
    assert CycMatrix.from_gap(dd["change_of_basis"]) == D.change_of_basis
    text = D.to_gap()
    assert text.startswith("rec( multiplicities := [ 1, 1, 2 ]") and "E(3)" in text
    with pytest.raises(gt.ParameterError):
        gt.Representation(G, list(G.irreps()[2].unitary_generator_images)).to_gap()


def test_real_decomposition():
    try:
        from grouptools.reps import _realirreps  # noqa: F401
    except ImportError:  # pragma: no cover
        pytest.skip("grouptools.reps._realirreps (G.real_irreps) is not there yet")
    G = gt.dihedral(5)
    R = G.permutation_representation(G.subgroup([G.element("s")]))
    D = R.decompose(field="real")
    Q = D.change_of_basis
    assert Q.dtype == np.float64 and np.abs(Q.T @ Q - np.eye(R.dim)).max() < 1e-10
    for s in range(2):
        col = 0
        for i, _ in D.blocks:
            d = D.irreps[i].dim
            blk = Q.T @ R.numeric_generator_images[s].real @ Q
            assert np.abs(blk[col:col + d, col:col + d] - D.irreps[i].generator_images[s]).max() < 1e-10
            col += d


@pytest.mark.parametrize("make", [lambda: gt.special_linear(2, 3), lambda: gt.symmetric(4), lambda: gt.dihedral(5)])
def test_restriction_to_the_trivial_subgroup(make):
    """A group without generators: the restriction of an irrep of degree d is d copies of the
    trivial representation (its character at the identity was 1 instead of d)."""
    G = make()
    T = G.subgroup([])
    for rho in G.irreps():
        R = rho.restrict(T)
        assert R.dim == rho.dim and [int(v.to_gap()) for v in R.character] == [rho.dim]
        for exact in (True, False):
            D = R.decompose(exact=exact)
            assert D.multiplicities.tolist() == [rho.dim]
