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
from .._errors import GroupToolsError, VerificationError, check_index, check_limit, check_type
from ..groups._group import FiniteGroup
from ._induce import MonomialRep as _Mono
from ._induce import (
    Transversal,
    frobenius_multiplicities,
    induce,
    linear_chunks,
    monomial_edges_ok,
    tree_monomials,
    verify_monomial,
)
from ._project import CharInfo, CyclotomicRep, NotOrthogonalError, build_projection, plan_projection
from ._real import real_form
from ._serialize import irrep_dict, irrep_gap
from ._subgroups import candidate_subgroups, check_order_limit, linear_characters, tree_levels
from ._tensor import direct_product_irreps

__all__ = ["Irrep", "irreps", "DEFAULT_SEARCH_LIMIT"]

#: Default bound on the number of candidate subgroups examined.
DEFAULT_SEARCH_LIMIT = 400
#: Default bound on the group order.
DEFAULT_MAX_ORDER = 200_000
#: Budget (letters times d^3) for exact relator checks of projected representations.
_RELATOR_BUDGET = 2_000_000


class Irrep:
    """An irreducible unitary representation of a finite group (immutable).

    Obtain irreps from :func:`irreps` (``G.irreps()``); equality and hashing use
    ``(group, index)``.

    Attributes
    ----------
    group : FiniteGroup
    index : int
        Position in ``irreps(group)`` and row of the character table.
    dim : int

    Examples
    --------
    >>> import grouptools as gt
    >>> rho = irreps(gt.dihedral(4))[4]
    >>> rho.dim, rho.is_monomial, rho.exact_unitary, rho.frobenius_schur
    (2, True, True, 1)
    >>> [X.to_gap() for X in rho.generator_images]
    [[['E(4)', '0'], ['0', '-E(4)']], [['0', '1'], ['1', '0']]]
    >>> rho.matrices.shape
    (8, 2, 2)
    >>> bool(np.allclose(rho("r*s"), rho("r") @ rho("s")))
    True
    """

    __slots__ = ("_group", "_index", "_dim", "_mono", "_cyc", "_cache")

    def __init__(self, group: FiniteGroup, index: int, dim: int, *, mono: _Mono | None = None,
                 cyc: CyclotomicRep | None = None) -> None:
        if (mono is None) == (cyc is None):
            raise VerificationError("an Irrep needs exactly one of monomial or cyclotomic data")
        object.__setattr__(self, "_group", group)
        object.__setattr__(self, "_index", int(index))
        object.__setattr__(self, "_dim", int(dim))
        object.__setattr__(self, "_mono", mono)
        object.__setattr__(self, "_cyc", cyc)
        object.__setattr__(self, "_cache", {})

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("Irrep is immutable")

    def __delattr__(self, key: str) -> None:
        raise AttributeError("Irrep is immutable")

    def _memo(self, key: str, fn: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    # -- identity --------------------------------------------------------------------------
    @property
    def group(self) -> FiniteGroup:
        """The group represented."""
        return self._group

    @property
    def index(self) -> int:
        """Position in ``irreps(group)`` (row of the character table)."""
        return self._index

    @property
    def dim(self) -> int:
        """The degree ``chi(1)``."""
        return self._dim

    @property
    def label(self) -> str:
        """``"rho_<index>"``."""
        return f"rho_{self._index}"

    @property
    def key(self) -> tuple[int, int]:
        """Hashable id ``(hash(group), index)``."""
        return (hash(self._group), self._index)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Irrep):
            return NotImplemented
        return self._index == other._index and self._group == other._group

    def __repr__(self) -> str:
        kind = "monomial" if self.is_monomial else "cyclotomic"
        return f"<Irrep {self.label} of {self._group!r}: dim {self._dim}, {kind}>"

    # -- characters -------------------------------------------------------------------------
    def _table(self) -> Any:
        from ._chartable import character_table

        return character_table(self._group)

    @property
    def character(self) -> tuple:
        """Exact character values per conjugacy class (tuple of ``Cyclotomic``)."""
        t = self._table()
        return self._memo("character", lambda: tuple(
            t.value(self._index, c) for c in range(len(t.degrees))))

    @property
    def character_values(self) -> np.ndarray:
        """Complex character value of every element (element order)."""
        def build() -> np.ndarray:
            vals = np.asarray(self._table().values)[self._index][self._group.class_index]
            vals.setflags(write=False)
            return vals
        return self._memo("character_values", build)

    @property
    def frobenius_schur(self) -> int:
        """Frobenius-Schur indicator: 1 (real), 0 (complex) or -1 (quaternionic)."""
        return int(np.asarray(self._table().frobenius_schur)[self._index])

    # -- exact data -------------------------------------------------------------------------
    @property
    def is_monomial(self) -> bool:
        """Whether the exact generator images are monomial (induced from a linear character)."""
        return self._mono is not None

    @property
    def exact_unitary(self) -> bool:
        """Whether the exact generator images are unitary (then ``matrices`` uses them)."""
        return True if self._mono is not None else self._cyc.exact_unitary

    @property
    def field(self) -> int:
        """``M``: the exact images lie in Q(zeta_M) (``E(M)``)."""
        return self._mono.m if self._mono is not None else self._cyc.M

    @property
    def source(self) -> str:
        """How the representation was constructed (human-readable)."""
        return self._mono.source if self._mono is not None else self._cyc.source

    @property
    def monomial_data(self) -> tuple[np.ndarray, np.ndarray, int] | None:
        """``(perms, exps, m)`` with ``rho(s) e_i = E(m)^exps[s, i] e_perms[s, i]``, or ``None``."""
        if self._mono is None:
            return None
        return self._mono.perms.copy(), self._mono.exps.copy(), self._mono.m

    @property
    def generator_images(self) -> tuple[CycMatrix, ...]:
        """Exact images of the generators (``CycMatrix`` over Q(zeta_M))."""
        def build() -> tuple[CycMatrix, ...]:
            if self._mono is not None:
                mo = self._mono
                return tuple(CycMatrix.monomial(mo.perms[s], mo.exps[s], mo.m)
                             for s in range(mo.perms.shape[0]))
            return tuple(self._cyc.images)
        return self._memo("generator_images", build)

    @property
    def change_of_basis(self) -> np.ndarray | None:
        """``C`` with ``matrices[g] = C^-1 X(g) C`` for the exact images ``X``; ``None`` when the
        exact images are unitary (then ``matrices`` are their values)."""
        if self._mono is not None or self._cyc.change_of_basis is None:
            return None
        return self._cyc.change_of_basis.copy()

    @property
    def unitary_generator_images(self) -> np.ndarray:
        """``(k, d, d)`` complex: the unitary images of the generators."""
        def build() -> np.ndarray:
            if self._mono is not None:
                mo = self._mono
                k, d = mo.perms.shape
                out = np.zeros((k, d, d), complex)
                for s in range(k):
                    out[s, mo.perms[s], np.arange(d)] = _roots(mo.exps[s], mo.m)
            else:
                out = np.array(self._cyc.unitary, dtype=complex)
            out.setflags(write=False)
            return out
        return self._memo("unitary_generator_images", build)

    # -- matrices ---------------------------------------------------------------------------
    @property
    def matrices(self) -> np.ndarray:
        """Read-only ``(|G|, d, d)`` complex128: the unitary matrix of every element (element
        order), products along the BFS spanning tree ``G.spanning_tree``.

        Monomial irreps: products of the exact (permutation, exponent) data, checked exactly to
        be multiplicative on every Cayley-graph edge, so the matrices are monomial with
        correctly rounded roots of unity (unitary and multiplicative to rounding). Otherwise:
        products of the unitary generator images, verified unitary to 1e-12 and multiplicative
        on every Cayley-graph edge to 1e-10.
        """
        return self._memo("matrices", self._build_matrices)

    @property
    def has_matrices(self) -> bool:
        """Whether :attr:`matrices`, the ``(|G|, d, d)`` numeric images, are built already (then
        reading them costs nothing; callers needing a few elements may use them).

        Examples
        --------
        >>> import grouptools as gt
        >>> rho = gt.dihedral(5).irreps()[-1]
        >>> rho.has_matrices
        False
        >>> rho.matrices.shape
        (10, 2, 2)
        >>> rho.has_matrices
        True
        """
        return "matrices" in self._cache

    def _build_matrices(self) -> np.ndarray:
        G = self._group
        n, d = G.order, self._dim
        if self._mono is not None:
            mo = self._mono
            P, E = tree_monomials(G, mo.perms, mo.exps[None], mo.m)
            # exact checks of the data placed below: permutations, multiplicative on every edge
            if not (np.array_equal(np.sort(P, axis=1), np.broadcast_to(np.arange(d), P.shape))
                    and monomial_edges_ok(G, mo.perms, mo.exps[None], P, E, mo.m)[0]):
                raise VerificationError(f"{self.label}: monomial matrices are not multiplicative")
            out = np.zeros((n, d, d), complex)
            out[np.arange(n)[:, None], P, np.arange(d)[None, :]] = _roots(E[0], mo.m)
        else:
            out = tree_products(G, self.unitary_generator_images)
            _check_numeric(G, out, self.unitary_generator_images, self.label)
        out.setflags(write=False)
        return out

    def __call__(self, g: int | str) -> np.ndarray:
        """The unitary matrix of element ``g`` (an index in ``0..|G|-1`` or a word in the generators).

        Raises :class:`~grouptools.ElementError` (an ``IndexError``) for an index out of range and
        :class:`~grouptools.ParameterTypeError` (a ``TypeError``) for a non-integer.
        """
        if isinstance(g, str):
            x = self._group.element(g)
        else:  # ParameterTypeError for a non-integer, ElementError (an IndexError) out of range
            x = check_index("element index", g, self._group.order)
        return self.matrices[x]

    @property
    def real_matrices(self) -> np.ndarray | None:
        """For Frobenius-Schur indicator +1: a real orthogonal form ``(|G|, d, d)`` float64,
        equivalent to :attr:`matrices` (``real = S^H U S`` for a unitary ``S``); else ``None``."""
        if self.frobenius_schur != 1:
            return None
        return self._memo("real", lambda: real_form(self._group, self.matrices, self.label))

    # -- export -----------------------------------------------------------------------------
    def to_json(self) -> dict:
        """JSON-ready dict (the format of :func:`grouptools.irreps_to_json`)."""
        return irrep_dict(self)

    def to_gap(self) -> str:
        """The exact generator images as a GAP list of matrices."""
        return irrep_gap(self)


def _roots(e: np.ndarray, m: int) -> np.ndarray:
    """``exp(2 pi i e / m)`` with exact values at multiples of a quarter turn."""
    e = np.asarray(e) % m
    out = np.exp(2j * np.pi * e / m)
    four = (4 * e) % m == 0
    if four.any():
        out[four] = np.array([1, 1j, -1, -1j])[(4 * e[four]) // m]
    return out


def tree_products(G: FiniteGroup, gens: np.ndarray) -> np.ndarray:
    """All element matrices as products of generator matrices along the BFS tree."""
    _, parent, letter, _ = G.spanning_tree
    k, d, _ = gens.shape
    letters = np.empty((2 * k, d, d), complex)
    letters[0::2] = gens
    letters[1::2] = np.conj(np.transpose(gens, (0, 2, 1)))
    out = np.empty((G.order, d, d), complex)
    out[0] = np.eye(d)
    for lvl in tree_levels(G):
        out[lvl] = out[parent[lvl]] @ letters[letter[lvl]]
    return out


def _check_numeric(G: FiniteGroup, mats: np.ndarray, gens: np.ndarray, label: str) -> None:
    d = mats.shape[1]
    err = np.abs(mats @ np.conj(np.transpose(mats, (0, 2, 1))) - np.eye(d)).max(initial=0)
    if err > 1e-12:
        raise VerificationError(f"{label}: matrices are not unitary (error {err:.1e})")
    for s in range(gens.shape[0]):
        e2 = np.abs(mats @ gens[s] - mats[G.right_perms[s]]).max(initial=0)
        if e2 > 1e-10:
            raise VerificationError(f"{label}: matrices are not multiplicative (error {e2:.1e})")


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
