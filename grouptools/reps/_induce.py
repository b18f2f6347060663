"""Monomial matrices and induced representations ``Ind_H^G lambda`` with exact integer data.

A monomial matrix of size ``d`` over the ``m``-th roots of unity is a pair ``(perm, exp)`` of
integer arrays: ``M e_i = E(m)^exp[i] e_perm[i]`` (the column convention of
:meth:`CycMatrix.monomial <grouptools.arith._cycmatrix.CycMatrix.monomial>`). Products and inverses are
index arithmetic, so a monomial representation is verified exactly with integers.

For a subgroup ``H`` with left transversal ``t_0 = 1, t_1, ..., t_{D-1}`` and a linear character
``lambda`` of ``H``, the induced representation is ``rho(g) e_i = lambda(t_j^-1 g t_i) e_j`` where
``g t_i`` lies in ``t_j H`` (Frobenius 1898; Curtis & Reiner 1962, 10.1). Its character at a class
``C`` is ``|C_G(g)| / |H| * sum_{y in C cap H} lambda(y)``, and by Frobenius reciprocity
``<chi, Ind lambda>_G = <chi|_H, lambda>_H``: with ``D = chi(1)`` and multiplicity 1 the induced
representation *is* ``chi`` (Dixon 1970; Baum & Clausen 1994).
"""

from __future__ import annotations

import math

import numpy as np

from .._errors import VerificationError
from ..groups._group import FiniteGroup, Subgroup
from ._subgroups import LinearCharacters, tree_levels

__all__ = [
    "mono_compose",
    "mono_inverse",
    "tree_monomials",
    "monomial_edges_ok",
    "InducedData",
    "Transversal",
    "induce",
    "frobenius_multiplicities",
    "MonomialRep",
    "verify_monomial",
    "monomial_homomorphism_ok",
    "monomial_images",
    "monomial_eigenvalues",
]


def mono_compose(pa: np.ndarray, ea: np.ndarray, pb: np.ndarray, eb: np.ndarray,
                 m: int) -> tuple[np.ndarray, np.ndarray]:
    """Product ``A B`` of monomial matrices (batched over leading axes; ``ea`` and ``eb`` may
    carry extra leading batch axes that broadcast against the permutations').

    Examples
    --------
    >>> p, e = mono_compose(np.array([1, 0]), np.array([0, 1]), np.array([1, 0]),
    ...                     np.array([0, 1]), 4)
    >>> p.tolist(), e.tolist()
    ([0, 1], [1, 1])
    """
    p = np.take_along_axis(pa, pb, axis=-1)
    ea_b = np.broadcast_to(ea, np.broadcast_shapes(ea.shape, eb.shape))
    idx = np.broadcast_to(pb, ea_b.shape)
    e = (eb + np.take_along_axis(ea_b, idx, axis=-1)) % m
    return p, e


def mono_inverse(p: np.ndarray, e: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of a monomial matrix (last axis is the matrix index; ``e`` may be batched).

    Examples
    --------
    >>> p, e = mono_inverse(np.array([1, 2, 0]), np.array([1, 0, 0]), 3)
    >>> p.tolist(), e.tolist()
    ([2, 0, 1], [0, 2, 0])
    """
    q = np.argsort(p, axis=-1)
    idx = np.broadcast_to(q, e.shape)
    return q, (-np.take_along_axis(e, idx, axis=-1)) % m


def _letter_data(perms: np.ndarray, exps: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Monomials of the letters ``a, a^-1, b, ...``: ``(2k, d)`` perms and ``(B, 2k, d)`` exps."""
    k, d = perms.shape
    B = exps.shape[0]
    lp = np.empty((2 * k, d), np.int64)
    le = np.empty((B, 2 * k, d), np.int64)
    lp[0::2] = perms
    le[:, 0::2] = exps
    for s in range(k):
        q, qe = mono_inverse(perms[s], exps[:, s], m)
        lp[2 * s + 1] = q
        le[:, 2 * s + 1] = qe
    return lp, le


def tree_monomials(G: FiniteGroup, perms: np.ndarray, exps: np.ndarray,
                   m: int) -> tuple[np.ndarray, np.ndarray]:
    """Monomial images of all elements, as products along the BFS spanning tree ``G.spanning_tree``.

    Parameters
    ----------
    perms : int array (k, d)
        Permutation parts of the generator images (shared by the batch).
    exps : int array (B, k, d)
        Exponent parts of ``B`` representations with these permutation parts.

    Returns
    -------
    P : (n, d) int64 and E : (B, n, d) int64
        ``rho(g_x) = (P[x], E[:, x])`` where ``g_x = g_parent * letter`` along the tree.
    """
    _, parent, letter, _ = G.spanning_tree
    n = G.order
    k, d = perms.shape
    B = exps.shape[0]
    lp, le = _letter_data(np.asarray(perms, np.int64), np.asarray(exps, np.int64), m)
    P = np.empty((n, d), np.int64)
    E = np.empty((B, n, d), np.int64)
    P[0] = np.arange(d)
    E[:, 0] = 0
    for lvl in tree_levels(G):
        let = letter[lvl]
        for t in np.unique(let):
            nodes = lvl[let == t] if len(lvl) > 1 else lvl
            par = parent[nodes]
            P[nodes] = P[par][:, lp[t]]
            E[:, nodes] = (le[:, t][:, None, :] + E[:, par][:, :, lp[t]]) % m
    return P, E


def monomial_edges_ok(G: FiniteGroup, gperms: np.ndarray, gexps: np.ndarray, P: np.ndarray,
                      E: np.ndarray, m: int) -> np.ndarray:
    """Exact check of ``rho(g) rho(s) = rho(g s)`` on every Cayley-graph edge (all ``g``, all
    generators ``s``): equivalent to all relators of Schreier's presentation mapping to the
    identity. Returns a boolean per batch member."""
    ok = np.ones(E.shape[0], bool)
    for s in range(gperms.shape[0]):
        succ = G.right_perms[s]
        ps = gperms[s]
        if not np.array_equal(P[:, ps], P[succ]):
            return np.zeros(E.shape[0], bool)
        e2 = (gexps[:, s][:, None, :] + E[:, :, ps]) % m
        ok &= np.all(e2 == E[:, succ], axis=(1, 2))
    return ok


def frobenius_multiplicities(G: FiniteGroup, H: Subgroup, exps: np.ndarray, m: int,
                             values: np.ndarray) -> np.ndarray:
    """``<chi|_H, lambda>_H`` for the linear characters with exponent rows ``exps`` (B, |H|) and
    the characters with class values ``values`` (nchars, nclasses): a ``(B, nchars)`` float
    array of (numerically) integer multiplicities."""
    ci = G.class_index[H.elements]
    ncl = values.shape[1]
    B = exps.shape[0]
    cos = np.cos(2 * np.pi * np.arange(m) / m)
    sin = np.sin(2 * np.pi * np.arange(m) / m)
    key = (np.arange(B)[:, None] * ncl + ci[None, :]).ravel()
    e = exps.ravel() % m
    re = np.bincount(key, weights=cos[e], minlength=B * ncl).reshape(B, ncl)
    im = np.bincount(key, weights=sin[e], minlength=B * ncl).reshape(B, ncl)
    S = re - 1j * im  # sum over C cap H of conj(lambda)
    return (S @ values.T).real / H.order


class Transversal:
    """Left cosets ``t_j H`` of a subgroup: ``labels[g]`` is the coset of ``g``, ``reps[j] = t_j``
    (``t_0 = 1``) and ``hpos[g]`` the position in ``H.elements`` of ``h`` with ``g = t_j h``.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.dihedral(3)
    >>> T = Transversal(G, G.subgroup([G.element("r")]))
    >>> T.reps.tolist(), T.labels.tolist(), T.hpos.tolist()
    ([0, 3], [0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 2, 1])
    """

    def __init__(self, G: FiniteGroup, H: Subgroup) -> None:
        self.group = G
        self.subgroup = H
        labels, reps = G.cosets(H, "left")
        self.labels = np.asarray(labels)
        self.reps = np.asarray(reps)
        self.size = int(self.reps.size)
        n = G.order
        h = np.asarray(G.multiply(G.inverse[self.reps[self.labels]], np.arange(n)))
        self.hpos = self._positions(h)

    def _positions(self, h: np.ndarray) -> np.ndarray:
        H = self.subgroup
        pos = np.searchsorted(H.elements, h)
        if np.any(pos >= H.order) or np.any(H.elements[np.minimum(pos, H.order - 1)] != h):
            raise VerificationError("transversal: an element is not in its coset")
        return pos

    def action(self, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each ``x`` in ``xs`` and coset ``i``: ``x t_i = t_j h``; returns ``j`` and the
        position of ``h`` in ``H``, both ``(len(xs), D)``."""
        xs = np.asarray(xs, np.int64)
        X = np.asarray(self.group.multiply(xs[:, None], self.reps[None, :]))
        return self.labels[X].astype(np.int64), self.hpos[X]


class InducedData:
    """Generator images of ``Ind_H^G lambda`` for a batch of linear characters of ``H``.

    ``perms[s]`` (shared) and ``exps[b, s]`` (exponents of ``E(m)``) describe the monomial image
    of generator ``s``; ``lam[b]`` is character ``b`` on the elements of ``H``.
    """

    def __init__(self, transversal: Transversal, lam: np.ndarray, m: int) -> None:
        self.transversal = transversal
        self.subgroup = transversal.subgroup
        self.reps = transversal.reps
        self.lam = np.asarray(lam, np.int64) % m
        self.m = m
        gens = np.array(transversal.group.generators, np.int64)
        perms, hp = transversal.action(gens)
        self.perms = perms
        self.exps = self.lam[:, hp]

    def images(self, xs: np.ndarray, b: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Monomial images ``(perm, exps)`` of the elements ``xs`` for character ``b``."""
        perm, hp = self.transversal.action(xs)
        return perm, self.lam[b][hp]


def induce(G: FiniteGroup, H: Subgroup | Transversal, lam_exps: np.ndarray, m: int) -> InducedData:
    """Monomial generator images of ``Ind_H^G lambda`` for each row of ``lam_exps`` (B, |H|).

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.dihedral(3)
    >>> H = G.subgroup([G.element("r")])
    >>> data = induce(G, H, np.array([[0, 2, 4]]), 6)   # lambda(r) = E(3)
    >>> data.perms.tolist(), data.exps.tolist()
    ([[0, 1], [1, 0]], [[[2, 4], [0, 0]]])
    """
    T = H if isinstance(H, Transversal) else Transversal(G, H)
    return InducedData(T, lam_exps, m)


def linear_chunks(lin: LinearCharacters, max_entries: int = 1 << 22):
    """Yield ``(start, exps)`` chunks of the linear characters' exponent table."""
    step = max(1, max_entries // max(1, lin.subgroup.order))
    for start in range(0, lin.count, step):
        yield start, lin.exponents(start, min(lin.count, start + step))


class MonomialRep:
    """Monomial generator images: ``perms (k, d)``, ``exps (k, d)`` of ``E(m)``."""

    __slots__ = ("perms", "exps", "m", "source")

    def __init__(self, perms: np.ndarray, exps: np.ndarray, m: int, source: str) -> None:
        exps = np.asarray(exps, np.int64) % m
        g = int(np.gcd.reduce(np.append(exps.ravel(), m)))  # smallest field Q(zeta_(m/g))
        self.perms = np.asarray(perms, np.int64)
        self.exps = exps // g
        self.m = m // g
        self.source = source


def _words_images(lp: np.ndarray, le: np.ndarray, words: list[list[int]],
                  m: int) -> tuple[np.ndarray, np.ndarray]:
    """Monomial images of words in the letters (``(2k, d)`` perms ``lp``, ``(B, 2k, d)`` exps
    ``le``), all words at once position by position: ``(W, d)`` perms and ``(B, W, d)``
    exps."""
    d = lp.shape[1]
    B = le.shape[0]
    W = len(words)
    L = max((len(w) for w in words), default=0)
    ident = lp.shape[0]
    lp2 = np.concatenate([lp, np.arange(d)[None]])
    le2 = np.concatenate([le, np.zeros((B, 1, d), np.int64)], axis=1)
    pad = np.full((W, L), ident, np.int64)
    for j, w in enumerate(words):
        pad[j, :len(w)] = w
    P = np.broadcast_to(np.arange(d), (W, d)).copy()
    # exponents as (W, d, B), int64 without reduction inside the loop (< L m + m)
    E = np.zeros((W, d, B), np.int64)
    le3 = np.ascontiguousarray(np.transpose(le2, (1, 2, 0)))  # (2k+1, d, B)
    rows = np.arange(W)[:, None]
    for pos in range(L):
        t = pad[:, pos]
        pl = lp2[t]
        P = P[rows, pl]
        E = le3[t] + E[rows, pl]
    return P, np.transpose(E % m, (2, 0, 1))


def element_words(G: FiniteGroup, xs: np.ndarray) -> list[list[int]]:
    """Spanning-tree words of the elements ``xs`` as letter lists (``2s``, ``2s+1``),
    memoized per group and element."""
    memo = G.memo("irreps_words", dict)
    out = []
    for x in xs:
        x = int(x)
        w = memo.get(x)
        if w is None:
            w = memo[x] = G.letter_word(x)
        out.append(w)
    return out


def relator_words(G: FiniteGroup) -> list[list[int]] | None:
    """The relators of the stored presentation as letter lists, or ``None`` if the group has
    no stored presentation (then its presentation is Schreier's, one relator per edge)."""
    pres = G.defining_presentation
    if pres is None:
        return None
    return [[2 * (c - 1) if c > 0 else 2 * (-c - 1) + 1 for c in rel] for rel in pres.relators]


def monomial_images(G: FiniteGroup, perms: np.ndarray, exps: np.ndarray, m: int,
                    xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Images ``(P (len, d), E (B, len, d))`` of the elements ``xs``: products of the
    generator images along the elements' spanning-tree words."""
    lp, le = _letter_data(np.asarray(perms, np.int64), np.asarray(exps, np.int64), m)
    return _words_images(lp, le, element_words(G, xs), m)


def monomial_homomorphism_ok(G: FiniteGroup, perms: np.ndarray, exps: np.ndarray,
                             m: int) -> np.ndarray:
    """Exact check that generator images define a homomorphism (one bool per batch member):
    every relator of the stored presentation maps to the identity, or, without a stored
    presentation, ``rho(g) rho(s) = rho(g s)`` on every Cayley-graph edge (the relators of
    Schreier's presentation)."""
    rels = relator_words(G)
    if rels is None:
        P, E = tree_monomials(G, perms, exps, m)
        return monomial_edges_ok(G, perms, exps, P, E, m)
    lp, le = _letter_data(np.asarray(perms, np.int64), np.asarray(exps, np.int64), m)
    P, E = _words_images(lp, le, rels, m)
    if not np.array_equal(P, np.broadcast_to(np.arange(P.shape[1]), P.shape)):
        return np.zeros(le.shape[0], bool)
    return ~E.any(axis=(1, 2))


def monomial_eigenvalues(P: np.ndarray, E: np.ndarray, m: int, L: int) -> np.ndarray | None:
    """Exact eigenvalues of monomial matrices as exponents of ``E(L)``, sorted.

    A cycle of length ``l`` of the permutation whose exponents sum to ``s`` contributes the
    ``l``-th roots of ``E(m)^s``: ``E(l L)^(s L/m + j L)``, ``j < l``. ``P`` is ``(X, d)`` (shared
    by the batch), ``E`` is ``(B, X, d)``; returns ``(B, X, d)`` sorted exponents mod ``L``, or
    ``None`` if an eigenvalue is not an ``L``-th root of unity.

    Examples
    --------
    >>> monomial_eigenvalues(np.array([[1, 0]]), np.array([[[0, 0]]]), 1, 2).tolist()
    [[[0, 1]]]
    """
    X, d = P.shape
    B = E.shape[0]
    if X == 0 or d == 0:
        return np.zeros((B, X, d), np.int64)
    if L % m:  # E(m) is not a power of E(L): work over E(lcm(L, m)) and come back
        f = math.lcm(L, m) // L
        wide = monomial_eigenvalues(P, E, m, L * f)
        if wide is None or np.any(wide % f):
            return None
        return wide // f
    idx = np.broadcast_to(np.arange(d), (X, d))
    lead = idx.copy()  # smallest index of the cycle through each point
    cur = idx
    for _ in range(d - 1):
        cur = np.take_along_axis(P, cur, axis=1)
        np.minimum(lead, cur, out=lead)
    key = (np.arange(X)[:, None] * d + lead).ravel()
    length = np.bincount(key, minlength=X * d)[key].reshape(X, d)
    bkey = (np.arange(B)[:, None] * (X * d) + key[None, :]).ravel()
    ssum = np.bincount(bkey, weights=None if E.size == 0 else E.reshape(B, -1).ravel(),
                       minlength=B * X * d)
    ssum = np.rint(ssum).astype(np.int64)[bkey].reshape(B, X, d) % m  # exponent sum of cycle
    # rank of each point within its cycle (0 .. length - 1)
    order = np.argsort(lead * d + idx, axis=1, kind="stable")
    sorted_lead = np.take_along_axis(lead, order, axis=1)
    new_group = np.ones((X, d), bool)
    new_group[:, 1:] = sorted_lead[:, 1:] != sorted_lead[:, :-1]
    pos = np.broadcast_to(np.arange(d), (X, d))
    start = np.maximum.accumulate(np.where(new_group, pos, 0), axis=1)
    rank = np.empty((X, d), np.int64)
    np.put_along_axis(rank, order, pos - start, axis=1)
    if np.any(L % length):
        return None
    sp = ssum * (L // m)
    if np.any(sp % length[None]):
        return None
    out = (sp // length[None] + rank[None] * (L // length)[None]) % L
    out.sort(axis=2)
    return out


def verify_monomial(G: FiniteGroup, table, perms: np.ndarray, exps: np.ndarray, idx: list[int],
                    m: int) -> np.ndarray:
    """Exact checks of a batch of monomial representations (shared ``perms`` (k, D), ``exps``
    (B, k, D) of ``E(m)``): homomorphism (:func:`monomial_homomorphism_ok`), and at every
    class representative (product along its tree word) the eigenvalues -- hence the
    character -- equal the table's eigenvalues of the rows ``idx``.

    Raises
    ------
    VerificationError
        If a check fails.
    """
    if not monomial_homomorphism_ok(G, perms, exps, m).all():
        raise VerificationError("monomial representation is not a homomorphism")
    reps = np.asarray(G.conjugacy_classes().representatives, np.int64)
    Pc, Ec = monomial_images(G, perms, exps, m, reps)
    mt = int(table.exponent)
    L = m * mt // math.gcd(m, mt)  # compare over E(L)
    got = monomial_eigenvalues(Pc, Ec, m, L)
    if got is None:
        raise VerificationError("an eigenvalue is not a root of unity of the group's exponent")
    for b, i in enumerate(idx):
        X = np.sort(np.asarray(table.eigenvalue_exponents(i)) * (L // mt), axis=1)
        if X.shape != got.shape[1:] or not np.array_equal(got[b], X):
            raise VerificationError("monomial character differs from the table")
    return np.ones(len(idx), bool)
