"""Exact, unitary irreducible representations of enumerable finite groups.

:func:`irreps` returns one :class:`Irrep` per row of
:func:`~grouptools.reps._chartable.character_table`
(same order: trivial first, then by degree). Each irrep has exact generator images over a
cyclotomic field and unitary complex matrices for every element.

Algorithms
----------
* **Degree 1.** The generator images are the character values (roots of unity).
* **Direct products** (``G.structure`` a ``DirectProductStructure``): outer tensor products of
  the factors' irreps (Curtis & Reiner 1962, 43.2).
* **Monomial irreps** (all irreps of M-groups: supersolvable and nilpotent groups, dihedral,
  ``(C_n x C_n) : D4``, ``(C5 x C5) : Q8``, ...): a subgroup ``H`` of index ``chi(1)`` and a linear
  character ``lambda`` of ``H`` with ``<chi|_H, lambda>_H = 1`` give ``Ind_H^G lambda = chi``
  (Frobenius reciprocity; Dixon 1970; Baum & Clausen 1994, "Computing irreducible
  representations of supersolvable groups", Math. Comp. 63). Generator images are pairs
  (permutation, root-of-unity exponents): exact and exactly unitary. Subgroups come from
  :func:`~grouptools.reps._subgroups.candidate_subgroups` (Clifford/Mackey theory for
  ``N : K`` with abelian ``N``, then a generic bounded search), linear characters from the Smith
  form of the abelianization.
* **Other irreps** (A5, S5, SL(2,3), GL(2,3), PSL(2,7), ...): the central idempotent ``e_chi``
  applied to an induced monomial representation containing ``chi`` once, see
  :mod:`grouptools.reps._project` (Dixon 1970). Exact images over Q(zeta_M); exactly unitary
  when an orthogonal orbit basis exists, else unitarized numerically (``change_of_basis``).
* **Real forms** (Frobenius-Schur indicator +1): a symmetric unitary intertwiner ``K`` with
  ``U(g) K = K conj(U(g))`` is factored ``K = S S^T`` (``S`` = principal square root, symmetric
  and unitary), and ``S^H U(g) S`` is real orthogonal (Frobenius & Schur 1906; Serre 1977, 13.2).

Verification (failures raise :class:`~grouptools.VerificationError`), all exact unless noted:

* monomial representations (integer arithmetic): every relator of the stored presentation maps
  to the identity -- or, for groups without one, ``rho(g) rho(s) = rho(g s)`` on every
  Cayley-graph edge (the relators of Schreier's presentation); at every class representative
  (product along its tree word) the eigenvalues, hence the character, equal the table's;
* projected representations: the induced representation is verified as above, the invariance
  ``R(s) W = W X_s`` holds over Q(zeta_M) for every generator (with ``W`` of full rank this
  implies every relator), the relators of a stored presentation are also evaluated exactly
  within a cost budget, and the exact traces at class representatives equal the table's;
* tensor products: the factors are verified and the exact character is the product;
* each irrep matches its own row of the table, so they are pairwise inequivalent, and
  ``sum d^2 = |G|``;
* numerical matrices: unitary to 1e-12 and multiplicative on every edge to 1e-10 (projected
  irreps), or built from exactly re-checked monomial data.
"""

from __future__ import annotations

import contextlib

import math
from typing import Any

import numpy as np

from ..arith._cycmatrix import CycMatrix
from .._errors import GroupToolsError, VerificationError, check_limit, check_type
from ..groups._group import FiniteGroup
from ._induce import MonomialRep as _Mono
from ._induce import (
    Transversal,
    frobenius_multiplicities,
    induce,
    linear_chunks,
    verify_monomial,
)
from ._irrep import Irrep, tree_products
from ._project import CharInfo, NotOrthogonalError, build_projection, plan_projection
from ._subgroups import candidate_subgroups, check_order_limit, linear_characters
from ._tensor import direct_product_irreps

__all__ = ["DEFAULT_SEARCH_LIMIT", "Irrep", "irreps", "tree_products"]

#: Default bound on the number of candidate subgroups examined.
DEFAULT_SEARCH_LIMIT = 400
#: Default bound on the group order.
DEFAULT_MAX_ORDER = 200_000
#: Budget (letters times d^3) for exact relator checks of projected representations.
_RELATOR_BUDGET = 2_000_000


# ---------------------------------------------------------------------------------------------
# construction
# ---------------------------------------------------------------------------------------------
def irreps(G: FiniteGroup, *, search_limit: int = DEFAULT_SEARCH_LIMIT,
           max_order: int = DEFAULT_MAX_ORDER) -> tuple[Irrep, ...]:
    """All irreducible representations of ``G``, in the order of its character table.

    Memoized per group (the first call's limits apply).

    Parameters
    ----------
    G : FiniteGroup
    search_limit : int
        Maximum number of candidate subgroups examined when searching for monomial irreps and
        for representations to project from.
    max_order : int
        Largest group order accepted.

    Returns
    -------
    tuple of Irrep
        Trivial first, then by degree (the rows of ``character_table(G)``).

    Raises
    ------
    ParameterTypeError
        ``G`` is not a FiniteGroup.
    InvalidLimitError
        ``search_limit`` or ``max_order`` is not a positive int.
    GroupTooLargeError
        If ``G.order > max_order``.
    GroupToolsError
        If no construction is found within ``search_limit``.
    VerificationError
        If an exact check fails (a bug).

    Examples
    --------
    >>> import grouptools as gt
    >>> [rho.dim for rho in irreps(gt.alternating(5))]
    [1, 3, 3, 4, 5]
    >>> sum(rho.dim ** 2 for rho in irreps(gt.smallgroup_200_44()))
    200
    """
    check_type("G", G, FiniteGroup, "a FiniteGroup")
    search_limit = check_limit("search_limit", search_limit)
    max_order = check_limit("max_order", max_order)
    check_order_limit(G, max_order)
    return G.memo("irreps", lambda: _build(G, search_limit))


def _build(G: FiniteGroup, search_limit: int) -> tuple[Irrep, ...]:
    from ._chartable import character_table

    table = character_table(G)
    degrees = [int(x) for x in table.degrees]
    nchar = len(degrees)
    m = int(table.exponent)
    if sum(d * d for d in degrees) != G.order or nchar != len(G.conjugacy_classes()):
        raise VerificationError("character table degrees do not satisfy sum d^2 = |G|")
    reps: dict[int, Any] = {}
    _linear(G, table, degrees, m, reps)
    for i, rep in direct_product_irreps(G, table, search_limit, irreps).items():
        if degrees[i] > 1:
            reps[i] = rep
    cands = _Candidates(G, search_limit)
    _monomial_search(G, table, degrees, m, reps, cands)
    _project_remaining(G, table, degrees, m, reps, cands)
    if sorted(reps) != list(range(nchar)):
        raise GroupToolsError("no construction found for some irreps; raise search_limit")
    out = []
    for i in range(nchar):
        rep = reps[i]
        if isinstance(rep, _Mono):
            out.append(Irrep(G, i, degrees[i], mono=rep))
        else:
            out.append(Irrep(G, i, degrees[i], cyc=rep))
    _verify_all(G, table, out)
    return tuple(out)


def _linear(G: FiniteGroup, table: Any, degrees: list[int], m: int,
            reps: dict[int, Any]) -> None:
    """Degree-1 irreps: generator images are the character values."""
    ci = G.class_index
    gcls = [int(ci[g]) for g in G.generators]
    k = len(gcls)
    idx = [i for i, d in enumerate(degrees) if d == 1]
    exps = np.zeros((len(idx), k, 1), np.int64)
    for b, i in enumerate(idx):
        X = np.asarray(table.eigenvalue_exponents(i))  # (ncl, 1): chi(g_c) = E(m)^X[c, 0]
        exps[b, :, 0] = X[gcls, 0]
    perms = np.zeros((k, 1), np.int64)
    verify_monomial(G, table, perms, exps, idx, m)
    for b, i in enumerate(idx):
        reps[i] = _Mono(perms, exps[b], m, "linear character")


class _Candidates:
    """The candidate subgroups of ``G`` (generated lazily once, replayable) and their linear
    characters (memoized)."""

    def __init__(self, G: FiniteGroup, limit: int) -> None:
        self._gen = candidate_subgroups(G, limit)
        self._seen: list[Any] = []
        self._lin: dict[int, Any] = {}

    def __iter__(self) -> Any:
        yield from list(self._seen)
        for H in self._gen:
            self._seen.append(H)
            yield H

    def linear(self, H: Any, m: int) -> Any:
        if id(H) not in self._lin:
            self._lin[id(H)] = linear_characters(H, m)
        return self._lin[id(H)]


def _monomial_search(G: FiniteGroup, table: Any, degrees: list[int], m: int,
                     reps: dict[int, Any], cands: _Candidates) -> None:
    """Find ``(H, lambda)`` with ``Ind_H^G lambda = chi`` for the missing irreps."""
    needed = {i for i, d in enumerate(degrees) if i not in reps}
    if not needed:
        return
    values = np.asarray(table.values)
    n = G.order
    for H in cands:
        if not needed:
            break
        D = n // H.order
        targets = sorted(i for i in needed if degrees[i] == D)
        if not targets:
            continue
        lin = cands.linear(H, m)
        chosen: dict[int, np.ndarray] = {}
        for _, ex in linear_chunks(lin):
            mu = frobenius_multiplicities(G, H, ex, m, values[targets])
            for col, i in enumerate(targets):
                if i not in chosen:
                    rows = np.flatnonzero(np.abs(mu[:, col] - 1) < 1e-6)
                    if rows.size:
                        chosen[i] = ex[rows[0]]
            if len(chosen) == len(targets):
                break
        if not chosen:
            continue
        idx = sorted(chosen)
        data = induce(G, H, np.stack([chosen[i] for i in idx]), m)
        ok = verify_monomial(G, table, data.perms, data.exps, idx, m)
        src = f"Ind_H^G(lambda), |H| = {H.order}"
        for b, i in enumerate(idx):
            if ok[b]:
                reps[i] = _Mono(data.perms, data.exps[b], m, src)
                needed.discard(i)
        if not needed:
            break  # before the generator computes another candidate


def _project_remaining(G: FiniteGroup, table: Any, degrees: list[int], m: int,
                       reps: dict[int, Any], cands: _Candidates, unitary_attempts: int = 40,
                       options_per_char: int = 48, max_unitary_dim: int = 2048) -> None:
    """Irreps not found as monomial: project from induced representations (Dixon 1970).

    Options ``(H, lambda)`` with ``<chi|_H, lambda> = 1`` are ranked by the dimension of the
    induced representation (real ``lambda`` first for real characters of indicator +1, so that
    the exact form can be real); the first ``unitary_attempts`` are searched for an orthogonal
    orbit basis (exactly unitary images), else the smallest is used.
    """
    todo = [i for i in range(len(degrees)) if i not in reps]
    if not todo:
        return
    n = G.order
    values = np.asarray(table.values)[todo]
    fs = np.asarray(table.frobenius_schur)
    subs = sorted(cands, key=lambda H: -H.order)
    subs.append(G.subgroup([]))
    options: dict[int, list[tuple[int, int, Any, np.ndarray]]] = {i: [] for i in todo}
    for H in subs:
        if all(len(options[i]) >= options_per_char for i in todo):
            break
        lin = cands.linear(H, m)
        for _, ex in linear_chunks(lin):
            mu = frobenius_multiplicities(G, H, ex, m, values)
            for col, i in enumerate(todo):
                for r in np.flatnonzero(np.abs(mu[:, col] - 1) < 1e-6):
                    if len(options[i]) >= options_per_char:
                        break
                    e = ex[r]
                    q = m // math.gcd(m, math.gcd(*[int(x) for x in e], m))
                    options[i].append((n // H.order, q, H, e))
    transversals: dict[int, Transversal] = {}

    def transversal(H: Any) -> Transversal:
        if id(H) not in transversals:
            transversals[id(H)] = Transversal(G, H)
        return transversals[id(H)]

    for i in todo:
        real = fs[i] == 1 and np.abs(np.asarray(table.values)[i].imag).max() < 1e-9
        opts = sorted(options[i], key=lambda o: ((o[1] > 2) if real else 0, o[0], o[1]))
        if not opts:
            raise GroupToolsError(f"no induced representation contains irrep {i} exactly once; "
                                  "raise search_limit")
        chi = CharInfo(table, i)
        plan = None
        for D, q, H, e in opts[:unitary_attempts]:
            if D <= max_unitary_dim:
                plan = plan_projection(G, chi, induce(G, transversal(H), e[None], m))
                if plan is not None:
                    break
        if plan is not None:
            # an orbit basis that is numerically but not exactly orthogonal falls through to a
            # general basis below
            with contextlib.suppress(NotOrthogonalError):
                reps[i] = build_projection(G, chi, plan)
                continue
        D, q, H, e = min(opts, key=lambda o: (o[0], o[1]))
        plan = plan_projection(G, chi, induce(G, transversal(H), e[None], m), unitary=False)
        reps[i] = build_projection(G, chi, plan)


def _verify_all(G: FiniteGroup, table: Any, out: list[Irrep]) -> None:
    """Global checks: ``sum d^2 = |G|``, and the stored presentation's relators for the
    cyclotomic irreps (exactly, when ``relator letters * d^3 <= _RELATOR_BUDGET``; they are
    implied anyway by the exact invariance checks of the projection).

    Every irrep was checked against its own (distinct) row of the table, so they are pairwise
    inequivalent.
    """
    if sum(r.dim ** 2 for r in out) != G.order:
        raise VerificationError("sum of squared degrees differs from |G|")
    pres = G.defining_presentation
    if pres is None:
        return
    for rho in out:
        if rho.is_monomial:
            continue
        d = rho.dim
        cost = sum(len(r) for r in pres.relators) * d ** 3
        if cost > _RELATOR_BUDGET:
            continue
        gens = rho.generator_images
        invs = [X.inverse() for X in gens]
        ident = CycMatrix.identity(d, rho.field)
        for rel in pres.relators:
            P = ident
            for c in rel:
                P = P @ (gens[c - 1] if c > 0 else invs[-c - 1])
            if not P.is_identity():
                raise VerificationError(f"{rho.label}: a relator does not map to the identity")
