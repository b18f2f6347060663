"""Real orthogonal adapted irreps (``grouptools.reps._adapted_numeric``, ``real_chain``), the
truncated and real chain plans of the chain FFT, and ``G.irreps(adapted_to=...)``.

Expected values: the dense definition ``f_hat(rho) = sum_g f(g) rho(g)`` with ``G.irreps()``
(``method="dense"``), the block structure and orthogonality the adapted irreps must have (checked
entrywise on every element of each subgroup), and Frobenius-Schur indicators computed here from
the definition ``(1/|H|) sum_h chi(h^2)`` with the traces of the subgroup's own irreps.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import block_diag

import grouptools as gt
from grouptools._errors import InvalidGroupError, ParameterError, ParameterTypeError
from grouptools.fourier import _chain, transform
from grouptools.reps import adapted_irreps, default_chain
from grouptools.reps._adapted import real_chain
from strategies import rel_err, signals

BUILDERS = {
    "S4": lambda: gt.symmetric(4),
    "A5": lambda: gt.alternating(5),
    "D5": lambda: gt.dihedral(5),
    "C2xS3": lambda: gt.direct_product(gt.cyclic(2), gt.symmetric(3)),
    "D6 presented": lambda: gt.from_presentation("<r,s | r^6, s^2, (s*r)^2>"),
    "A5 presented": lambda: gt.from_presentation("<a,b | a^2, b^3, (a*b)^5>"),
    "S4 presented": lambda: gt.from_presentation("<a,b | a^2, b^3, (a*b)^4>"),
    "A6": lambda: gt.alternating(6),
    "PSL(2,7)": lambda: gt.projective_special_linear(2, 7),
    "Q8": lambda: gt.quaternion(),
    "C3": lambda: gt.cyclic(3),
}
GROUPS = {name: build() for name, build in BUILDERS.items()}


def indicators(G, H):
    """Frobenius-Schur indicators of the irreps of the subgroup ``H`` from the definition."""
    K, emb = H.as_group()
    sq = K.multiply(np.arange(K.order), np.arange(K.order))
    return [round(float(np.real(np.trace(np.asarray(r.at(sq)), axis1=1, axis2=2).sum())) / K.order)
            for r in K.irreps()]


def check_real_adapted(G, A):
    """Every adapted irrep of every group of the chain is real orthogonal and restricts to the next
    group down as the block diagonal of the listed irreps, on every element; the top ones are
    ``G.irreps()`` up to the unitary bases."""
    for i in range(1, len(A.levels)):
        L, P = A.levels[i], A.levels[i - 1]
        for r, d in enumerate(L.dims):
            M = L.evaluate(r, L.elements)
            assert M.dtype == np.float64
            assert np.abs(M @ np.swapaxes(M, 1, 2) - np.eye(d)).max() < 1e-10
            low = L.evaluate(r, P.elements)
            want = np.array([block_diag(*[P.evaluate(s, np.array([x]))[0] for s in L.branching[r]])
                             for x in P.elements])
            assert np.abs(low - want).max() < 1e-10
    xs = np.arange(G.order)
    for r, rho in enumerate(G.irreps()):
        U = A.basis(r)
        assert np.abs(U @ U.conj().T - np.eye(rho.dim)).max() < 1e-10
        assert np.abs(np.asarray(rho.at(xs)) - U @ A.at(r, xs) @ U.conj().T).max() < 1e-10


@pytest.mark.parametrize("name", ["S4", "A5", "D5", "C2xS3", "D6 presented", "A5 presented", "A6", "S4 presented"])
def test_real_chain_gives_real_adapted_irreps(name):
    G = GROUPS[name]
    chain = real_chain(G)
    assert chain[0].order == G.order and chain[-1].order == 1
    assert all(a.order % b.order == 0 and b.order < a.order for a, b in zip(chain, chain[1:]))
    for H in chain[:-1]:  # the point of the chain: no irrep of indicator 0 or -1 anywhere
        assert set(indicators(G, H)) == {1}
    A = adapted_irreps(G, chain, real=True)
    assert A.real
    check_real_adapted(G, A)


@pytest.mark.parametrize("name", ["Q8", "C3", "PSL(2,7)"])
def test_real_route_refused_without_real_type(name):
    G = GROUPS[name]
    assert real_chain(G) is None
    assert min(indicators(G, G.subgroup(G.generators))) < 1
    with pytest.raises(InvalidGroupError):
        adapted_irreps(G, real=True)
    assert not adapted_irreps(G).real  # the default route stays complex
    with pytest.raises(ParameterTypeError):
        adapted_irreps(G, real="yes")


@pytest.mark.parametrize("name", ["S4 presented", "D6 presented", "A5", "C2xS3"])
@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_chain_real_exactly_when_every_indicator_is_one(name, seed):
    """``real=None`` takes the real route exactly when every group of the chain (but the trivial
    one) has only irreps of indicator +1 (computed here from the definition)."""
    G = GROUPS[name]
    rng = np.random.default_rng(seed)
    chain = [G.subgroup(G.generators)]
    while chain[-1].order > 1:
        cur = chain[-1].elements
        H = G.subgroup(rng.choice(cur, size=int(rng.integers(1, 3))).tolist())
        chain.append(H if H.order < chain[-1].order else G.subgroup([]))
    A = adapted_irreps(G, chain)
    want = all(set(indicators(G, H)) == {1} for H in chain[:-1])
    assert A.real == want
    if want:
        check_real_adapted(G, A)


@pytest.mark.parametrize("name", ["A5", "S4 presented", "D6 presented", "A6", "C2xS3"])
@settings(max_examples=2, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), complex_=st.booleans())
def test_every_candidate_plan_matches_dense(name, seed, complex_):
    """Every plan the planner chooses from (default, real and truncated chains) gives the dense
    definition, forward and inverse, batched, in the bases of ``G.irreps()`` and in its own adapted
    bases."""
    G = GROUPS[name]
    f = signals(G, seed, (3,), complex_)
    want = transform(G, f, method="dense")
    plans = _chain.candidate_plans(G)
    assert any(P.real for P in plans) and any(len(P.chain_orders) < len(P.adapted.chain) for P in plans)
    for P in plans:
        got = _chain.execute(P, f, inverse=False)
        assert rel_err(got, want) < 1e-10
        assert np.allclose(_chain.execute(P, want, inverse=True), f, atol=1e-10)
        ad = _chain.execute(P, f, inverse=False, basis="adapted")
        for r in range(len(P.dims)):
            assert np.allclose(ad[r], np.einsum("bg,gij->bij", f, P.adapted.at(r, np.arange(G.order))), atol=1e-10)
    chosen = _chain.plan(G)
    model = [_chain._scaled(P.real_madds, P.calls) for P in plans]
    assert _chain._scaled(chosen.real_madds, chosen.calls) == min(model)


def test_truncated_plan_orders_and_bad_base():
    G = GROUPS["A5"]
    A = adapted_irreps(G)
    orders = [H.order for H in A.chain]
    for b in range(1, len(A.levels)):
        P = _chain.chain_plan(G, A, base=b)
        assert P.chain_orders == tuple(orders[: len(orders) - b]) + (1,)
    for bad in (0, len(A.levels), True, 1.5, "1"):
        with pytest.raises(ParameterError):
            _chain.chain_plan(G, A, base=bad)


def test_irreps_adapted_to():
    G = GROUPS["A5"]
    A = G.irreps(adapted_to="default")
    assert [H.order for H in A.chain] == [H.order for H in default_chain(G)]
    chain = real_chain(G)
    B = G.irreps(adapted_to=chain)
    assert B.real and len(B) == len(G.irreps())
    rho = B[3]
    assert rho.dim == G.irreps()[3].dim
    assert np.array_equal(rho(7), B.at(3, [7])[0])
    assert np.array_equal(B[-1].at([1, 2]), B.at(len(B) - 1, [1, 2]))
    for bad in (len(B), "0", 1.0, True):
        with pytest.raises(ParameterError):
            B[bad]
    with pytest.raises(ParameterError):
        G.irreps(adapted_to="best")
    with pytest.raises(ParameterTypeError):
        G.irreps(adapted_to=[1, 2])


def test_real_route_size_limit_checked_first(monkeypatch):
    """The commutant's linear system is refused before it is built; ``real=None`` then falls back
    to the complex route, ``real=True`` raises."""
    from grouptools._errors import GroupTooLargeError
    from grouptools.reps import _adapted_numeric

    monkeypatch.setattr(_adapted_numeric, "REAL_MAX_UNKNOWNS", 3)
    G = gt.alternating(5)  # G > 1: each irrep of degree d has d copies of the trivial one, d^2 unknowns
    with pytest.raises(GroupTooLargeError):
        adapted_irreps(G, [G.subgroup([])], real=True)
    A = adapted_irreps(G, [G.subgroup([])])
    assert not A.real and A.dims == tuple(r.dim for r in G.irreps())
