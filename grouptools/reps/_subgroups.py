"""Subgroups to induce from, and the linear characters of a subgroup.

Two ingredients of the monomial-representation search of :mod:`grouptools.reps._irreps`:

* :func:`linear_characters` -- all linear characters of a subgroup ``H``, through its
  abelianization ``H / H'``: the exponent sums of the spanning-tree words of ``H`` give the
  abelianized Schreier relations (one per Cayley-graph edge of ``H``), whose lattice is brought to
  Hermite normal form and then to Smith normal form (Smith 1861; Cohen 1993, *A Course in
  Computational Algebraic Number Theory*, 2.4.4). The dual of the Smith form lists
  ``Hom(H, C^*)`` as exponent vectors of the root of unity ``E(m)``.
* :func:`candidate_subgroups` -- a bounded, lazy stream of subgroups worth inducing from
  (Dixon 1970; Baum & Clausen 1994): for a semidirect product ``N : K`` with abelian ``N`` the
  subgroups ``N : L`` for ``L <= K`` (Mackey's little group method, Serre 1977, 8.2), then
  derived-series terms, the centre, centralizers and normalizers of cyclic subgroups, Sylow
  subgroups and their normalizers, cyclic subgroups, products with normal abelian subgroups,
  normalizers and intersections of earlier candidates.

Everything here works on element indices of the parent group and needs no Cayley table.
"""

from __future__ import annotations

import math
from typing import Iterator

import numpy as np

from ..arith._lattice import relation_lattice, smith_form
from ..arith._numtheory import prime_factors
from .._errors import GroupTooLargeError, VerificationError
from ..groups._group import FiniteGroup, Subgroup

__all__ = ["LinearCharacters", "linear_characters", "candidate_subgroups", "subgroup_from_mask",
           "MAX_COMPLEMENT_ORDER"]

#: Largest complement ``K`` of a semidirect product ``N : K`` whose subgroups are enumerated.
MAX_COMPLEMENT_ORDER = 512


# ---------------------------------------------------------------------------------------------
# spanning-tree helpers
# ---------------------------------------------------------------------------------------------
def tree_levels(G: FiniteGroup) -> list[np.ndarray]:
    """Nodes of the BFS spanning tree of ``G`` grouped by depth (depth >= 1), in BFS order."""

    def build() -> list[np.ndarray]:
        order, _, _, depth = G.spanning_tree
        d = depth[order]
        cuts = np.flatnonzero(np.diff(d)) + 1
        return [lvl for lvl in np.split(order, cuts)[1:]]

    return G.memo("irreps_tree_levels", build)


def exponent_sums(G: FiniteGroup) -> np.ndarray:
    """``(n, k)`` int64: exponent sums of the tree word of every element in each generator."""
    _, parent, letter, _ = G.spanning_tree
    k = len(G.generator_names)
    ws = np.zeros((G.order, k), np.int64)
    delta = np.zeros((2 * k, k), np.int64)
    delta[0::2] = np.eye(k, dtype=np.int64)
    delta[1::2] = -np.eye(k, dtype=np.int64)
    for lvl in tree_levels(G):
        ws[lvl] = ws[parent[lvl]] + delta[letter[lvl]]
    return ws


class LinearCharacters:
    """The linear characters of a subgroup ``H`` of ``G`` as exponents of ``E(m)``.

    Attributes
    ----------
    subgroup : Subgroup
        ``H`` (elements sorted, parent indices).
    m : int
        Values are powers of ``E(m)``.
    invariants : tuple of int
        Abelian invariants of ``H / H'`` (Smith form, 1s dropped); ``count`` is their product.
    """

    def __init__(self, subgroup: Subgroup, m: int, ws: np.ndarray, dual: np.ndarray,
                 invariants: tuple[int, ...]) -> None:
        self.subgroup = subgroup
        self.m = m
        self._ws = ws
        self._dual = dual  # (r, k) generators of the character group, exponents mod m
        self.invariants = invariants
        self.count = math.prod(invariants)

    def coordinates(self, start: int, stop: int) -> np.ndarray:
        """Exponent vectors (on the generators of ``H``) of the characters ``start..stop-1``."""
        idx = np.arange(start, stop, dtype=np.int64)
        coords = np.zeros((idx.size, self._dual.shape[1]), np.int64)
        for inv, gen in zip(reversed(self.invariants), reversed(list(self._dual))):
            idx, c = np.divmod(idx, inv)
            coords = (coords + c[:, None] * gen[None, :]) % self.m
        return coords

    def exponents(self, start: int, stop: int) -> np.ndarray:
        """``(stop - start, |H|)``: ``E(m)^e[j, x]`` is the value of character ``start + j`` on
        the ``x``-th element of ``H`` (sorted parent order)."""
        return (self.coordinates(start, stop) @ self._ws.T) % self.m


def linear_characters(subgroup: Subgroup, m: int) -> LinearCharacters:
    """All linear characters of ``subgroup`` with values in the ``m``-th roots of unity.

    ``m`` must be a multiple of the exponent of the subgroup (e.g. the parent's exponent).

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.symmetric(4)
    >>> lin = linear_characters(G.subgroup(G.generators), G.exponent)
    >>> lin.invariants, lin.count
    ((2,), 2)
    >>> lin.exponents(0, 2)[:, list(G.subgroup(G.generators).elements).index(G.element("b"))]
    array([0, 6])
    """
    H, emb = subgroup.as_group()
    k = len(H.generator_names)
    n = H.order
    if k == 0:
        return LinearCharacters(subgroup, m, np.zeros((n, 0), np.int64), np.zeros((0, 0), np.int64),
                                (1,))
    ws = exponent_sums(H)
    rels = [ws + np.eye(k, dtype=np.int64)[s] - ws[H.right_perms[s]] for s in range(k)]
    B = relation_lattice(np.concatenate(rels), m)
    d, Q = smith_form(B)
    Qa = np.array(Q, dtype=object)
    dual, invs = [], []
    for i, di in enumerate(d):
        if di == 1:
            continue
        if m % di:
            raise VerificationError(f"abelian invariant {di} does not divide m={m}")
        dual.append([int(x) * (m // di) % m for x in Qa[:, i]])
        invs.append(di)
    if not invs:
        return LinearCharacters(subgroup, m, ws, np.zeros((0, k), np.int64), (1,))
    # the subgroup's element order is the sorted parent order (as_group keeps it)
    return LinearCharacters(subgroup, m, ws, np.array(dual, dtype=np.int64), tuple(invs))


# ---------------------------------------------------------------------------------------------
# subgroups
# ---------------------------------------------------------------------------------------------
def subgroup_from_mask(G: FiniteGroup, mask: np.ndarray) -> Subgroup:
    """The subgroup with the given membership mask (closed under multiplication), with a small
    generating set chosen greedily by element order."""
    elements = np.flatnonzero(mask).astype(np.int32)
    orders = G.element_orders[elements]
    by_order = elements[np.argsort(-orders, kind="stable")]
    gens: list[int] = []
    inside = np.zeros(G.order, bool)
    inside[0] = True
    while inside.sum() < elements.size:
        g = int(next(x for x in by_order if not inside[x]))
        gens.append(g)
        sub = G.subgroup(gens)
        inside[:] = False
        inside[sub.elements] = True
        if not np.all(mask[sub.elements]):
            raise VerificationError("subgroup_from_mask: the mask is not closed")
    els = np.flatnonzero(inside).astype(np.int32)
    els.setflags(write=False)
    return Subgroup(G, tuple(sorted(gens)), els)


def _normalizer(G: FiniteGroup, gens: tuple[int, ...], mask: np.ndarray) -> np.ndarray:
    """Mask of ``N_G(S)``, ``S`` given by generators and membership mask."""
    inv = G.inverse
    out = np.ones(G.order, bool)
    for s in gens:
        conj = np.asarray(G.multiply(inv, G.left_multiplication(int(s))))  # x^-1 s x
        out &= mask[conj]
    return out


def _centralizer(G: FiniteGroup, g: int) -> np.ndarray:
    return G.left_multiplication(int(g)) == G.right_multiplication(int(g))


def _sylow(G: FiniteGroup, p: int) -> np.ndarray:
    """Mask of a Sylow ``p``-subgroup (grown inside normalizers, Sylow's theorem)."""
    n = G.order
    pa = 1
    while n % (pa * p) == 0:
        pa *= p
    orders = G.element_orders
    mask = np.zeros(n, bool)
    mask[0] = True
    gens: tuple[int, ...] = ()
    while mask.sum() < pa:
        norm = _normalizer(G, gens, mask) & ~mask
        cand = np.flatnonzero(norm)
        o = orders[cand]
        r = o.copy()
        while True:  # r = p'-part of o
            div = r % p == 0
            if not div.any():
                break
            r[div] //= p
        y = np.asarray(G.power(cand, r))
        ok = (~mask[y]) & (y != 0)
        if not ok.any():
            raise VerificationError("Sylow subgroup growth failed")
        gens = gens + (int(y[np.flatnonzero(ok)[0]]),)
        mask[:] = False
        mask[G.subgroup(gens).elements] = True
    return mask


def _all_subgroups(K: FiniteGroup, limit: int) -> list[np.ndarray]:
    """Masks of the subgroups of a small group ``K`` up to conjugacy (cyclic subgroups, then
    joins until closed), at most ``limit`` of them."""
    n = K.order
    found: dict[bytes, tuple[tuple[int, ...], np.ndarray]] = {}
    conj = K.conjugation_perms()

    def canon(mask: np.ndarray) -> bytes:
        # orbit of the subgroup under conjugation: canonical = lexicographically least
        seen = {mask.tobytes(): mask}
        frontier = [mask]
        while frontier:
            nxt = []
            for msk in frontier:
                els = np.flatnonzero(msk)
                for c in conj:
                    m2 = np.zeros(n, bool)
                    m2[c[els]] = True
                    key = m2.tobytes()
                    if key not in seen:
                        seen[key] = m2
                        nxt.append(m2)
            frontier = nxt
        return min(seen)

    # K is small: its Cayley table (one vectorised product) makes each closure a few gathers
    table = np.asarray(K.multiply(np.arange(n)[:, None], np.arange(n)[None, :]), np.int64)

    def add(gens: tuple[int, ...]) -> bool:
        mask = np.zeros(n, bool)
        mask[0] = True
        frontier = np.zeros(1, np.int64)
        cols = np.asarray(gens, np.int64)
        while frontier.size and cols.size:  # breadth-first over right multiplication by gens
            nxt = np.unique(table[frontier][:, cols])
            frontier = nxt[~mask[nxt]]
            mask[frontier] = True
        key = canon(mask)
        if key in found:
            return False
        found[key] = (gens, mask)
        return True

    add(())
    # <g> = <g^u> for units u mod ord(g), and conjugate generators give conjugate subgroups:
    # only one generator per class of cyclic subgroups is closed.
    orders = np.asarray(K.element_orders, np.int64)
    covered = np.zeros(n, bool)
    for g in range(1, n):
        if len(found) >= limit:
            break
        if covered[g]:
            continue
        add((g,))
        o = int(orders[g])
        units = np.array([u for u in range(1, o) if math.gcd(u, o) == 1], np.int64)
        gens_of = np.atleast_1d(np.asarray(K.power(np.full(units.size, g), units), np.int64))
        for c in conj:
            covered[np.asarray(c)[gens_of]] = True
    changed = True
    while changed and len(found) < limit:
        changed = False
        items = list(found.values())
        for i, (ga, _) in enumerate(items):
            for gb, _ in items[i + 1:]:
                if len(found) >= limit:
                    break
                if add(tuple(sorted(set(ga) | set(gb)))):
                    changed = True
    return [mask for _, mask in found.values()]


def candidate_subgroups(G: FiniteGroup, limit: int = 400) -> Iterator[Subgroup]:
    """Lazily yield distinct proper subgroups of ``G`` to induce linear characters from.

    At most ``limit`` subgroups are produced (see the module docstring for the families, in
    the order they are tried).

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.dihedral(4)
    >>> sorted({H.order for H in candidate_subgroups(G)})
    [2, 4]
    """
    n = G.order
    seen: set[bytes] = set()
    found: list[Subgroup] = []

    def emit(sub: Subgroup | None, mask: np.ndarray | None = None) -> Subgroup | None:
        if sub is None:
            if mask is None or mask.all():
                return None
            key = np.packbits(mask).tobytes()
            if key in seen:
                return None
            sub = subgroup_from_mask(G, mask)
        else:
            if sub.order == n:
                return None
            m2 = np.zeros(n, bool)
            m2[sub.elements] = True
            key = np.packbits(m2).tobytes()
            if key in seen:
                return None
        seen.add(key)
        found.append(sub)
        return sub

    def mask_of(sub: Subgroup) -> np.ndarray:
        m2 = np.zeros(n, bool)
        m2[sub.elements] = True
        return m2

    count = 0

    def budget() -> bool:
        return count < limit

    st = G.structure
    if st is not None and hasattr(st, "complement") and hasattr(st, "normal"):
        N, K = st.normal, st.complement
        if K.order <= MAX_COMPLEMENT_ORDER:
            nN = N.order
            ngens = tuple(int(x) for x in N.generators)
            for kmask in sorted(_all_subgroups(K, limit), key=lambda mk: -int(mk.sum())):
                if not budget():
                    return
                lel = np.flatnonzero(kmask).astype(np.int64)
                els = np.sort((lel[:, None] * nN + np.arange(nN)[None, :]).ravel()).astype(np.int32)
                lgens = tuple(int(x) * nN for x in K.subgroup(lel.tolist()).generators) \
                    if lel.size > 1 else ()
                els.setflags(write=False)
                sub = emit(Subgroup(G, tuple(sorted(set(ngens + lgens) - {0})), els))
                if sub is not None:
                    count += 1
                    yield sub
    if n == 1:
        return
    # normal subgroups: derived series, centre
    normals: list[Subgroup] = []
    for D in list(G.derived_series()[1:]) + [G.centre()]:
        if D.order in (1, n):
            continue
        normals.append(D)
        sub = emit(D)
        if sub is not None and budget():
            count += 1
            yield sub
    classes = G.conjugacy_classes()[1:]
    by_centralizer = sorted(classes, key=lambda c: (c.size, -c.order))
    for c in by_centralizer:  # centralizers
        if not budget():
            return
        if c.size == 1:
            continue
        sub = emit(None, _centralizer(G, c.representative))
        if sub is not None:
            count += 1
            yield sub
    for c in sorted(classes, key=lambda c: -c.order):  # normalizers of cyclic subgroups
        if not budget():
            return
        cyc = G.subgroup([c.representative])
        sub = emit(None, _normalizer(G, cyc.generators, mask_of(cyc)))
        if sub is not None:
            count += 1
            yield sub
    for p in prime_factors(n):  # Sylow subgroups and their normalizers
        if not budget():
            return
        smask = _sylow(G, p)
        ssub = emit(None, smask)
        if ssub is not None:
            count += 1
            yield ssub
            sub = emit(None, _normalizer(G, ssub.generators, smask))
            if sub is not None and budget():
                count += 1
                yield sub
    for c in sorted(classes, key=lambda c: -c.order):  # cyclic subgroups
        if not budget():
            return
        sub = emit(G.subgroup([c.representative]))
        if sub is not None:
            count += 1
            yield sub
    abelian_normals = [A for A in normals if _is_abelian_subgroup(G, A)]
    for A in abelian_normals:  # A<g>
        for c in classes:
            if not budget():
                return
            if c.representative in A:
                continue
            sub = emit(G.subgroup(list(A.generators) + [c.representative]))
            if sub is not None:
                count += 1
                yield sub
    # normalizers and pairwise intersections of earlier candidates
    base = list(found)
    for S in base:
        if not budget():
            return
        if S.order > 1:
            sub = emit(None, _normalizer(G, S.generators, mask_of(S)))
            if sub is not None:
                count += 1
                yield sub
    base = list(found)
    for i, A in enumerate(base):
        ma = mask_of(A)
        for B in base[i + 1:]:
            if not budget():
                return
            inter = ma & mask_of(B)
            s = int(inter.sum())
            if s in (1, A.order, B.order):
                continue
            sub = emit(None, inter)
            if sub is not None:
                count += 1
                yield sub


def _is_abelian_subgroup(G: FiniteGroup, S: Subgroup) -> bool:
    gens = S.generators
    return all(G.multiply(a, b) == G.multiply(b, a)
               for i, a in enumerate(gens) for b in gens[i + 1:])


def check_order_limit(G: FiniteGroup, max_order: int) -> None:
    """Raise :class:`GroupTooLargeError` above ``max_order``."""
    if G.order > max_order:
        raise GroupTooLargeError(
            f"irreps of a group of order {G.order} exceed max_order={max_order}")
