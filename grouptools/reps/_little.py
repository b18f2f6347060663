"""Irreps of groups with an abelian normal subgroup by the little-group method, evaluated lazily.

For ``G = A : H`` with ``A = C_{n1} x ... x C_{nr}`` abelian (every catalogue semidirect
product: dihedral groups, ``(C_n x C_n) : D4``, affine groups), Mackey's little-group method
(Serre 1977, "Linear representations of finite groups", 8.2; Baum & Clausen 1994 for the
supersolvable case) gives every irrep without a character table:

1. ``H`` acts on the characters ``chi_k(a) = exp(2 pi i sum_c k_c a_c / n_c)`` of ``A`` by
   ``(h . chi)(a) = chi(h^-1 a h)``; one representative ``k`` per orbit;
2. its stabiliser ``S = H_k`` has irreps ``psi`` (small: computed exactly by
   :func:`grouptools.reps._irreps.irreps`, monomial ``psi = Ind_L^S lambda``);
3. ``rho_{k, psi} = Ind_{A S}^G (chi_k psi)`` has degree ``[H : S] dim psi``; the ``rho`` over all
   orbits and ``psi`` are the irreps of ``G``, each once.

For a cyclic extension ``A . C_m`` (``t^m = c`` in ``A``; the dicyclic groups) the stabiliser
of ``chi_k`` is ``A <t^s>`` for the orbit length ``s`` and ``chi_k`` extends to it in ``m / s``
ways (``t^s -> omega`` with ``omega^(m/s) = chi_k(c)``), each induced to ``G``. Abelian groups
have the linear characters ``chi_k`` in closed form.

All these irreps are monomial: ``rho(g) e_u = E(M)^E[u] e_P[u]``, and :class:`Family` evaluates
``(P, E)`` for any elements from the group's coordinates (``g = a h``) in ``O(d)`` array
operations per element, without a Cayley table or a spanning tree. Irreps sharing the
stabiliser and ``psi`` form one family (they differ in ``k`` only) and are verified together:
every relator of the group's presentation maps to the identity, exactly in integer arithmetic
(:func:`relators_hold`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._errors import GroupToolsError, GroupTooLargeError
from ..groups._group import FiniteGroup

__all__ = ["Family", "families", "little_group_applies", "relators_hold", "DEFAULT_MAX_ACTION"]

#: Largest ``|H| * |A|`` (entries of the action of the complement on the characters of ``A``).
DEFAULT_MAX_ACTION = 50_000_000


class NotMonomialError(GroupToolsError):
    """A stabiliser has an irrep that is not monomial (the little-group route does not apply)."""


def _abelian_invariants(G: FiniteGroup) -> tuple[int, ...] | None:
    return getattr(G.structure, "invariants", None)


def little_group_applies(G: FiniteGroup) -> bool:
    """Whether ``G`` is abelian, ``A : H`` or ``A . C_m`` with ``A`` an abelian product."""
    st = G.structure
    if _abelian_invariants(G) is not None:
        return True
    normal = getattr(st, "normal", None)
    return normal is not None and _abelian_invariants(normal) is not None


# ---------------------------------------------------------------------------------------------
# characters of A
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Dual:
    """Characters of ``A = C_{n1} x ... x C_{nr}``: label ``k`` (a coordinate vector) gives
    ``chi_k(a) = E(N)^(sum_c k_c a_c N / n_c)`` with ``N = lcm(n_c)``."""

    inv: tuple[int, ...]
    N: int = field(init=False)
    size: int = field(init=False)
    scale: np.ndarray = field(init=False, repr=False)
    strides: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        N = math.lcm(*self.inv)
        object.__setattr__(self, "N", N)
        object.__setattr__(self, "size", math.prod(self.inv))  # read on every evaluation
        object.__setattr__(self, "scale", np.array([N // n for n in self.inv], np.int64))
        strides = np.cumprod((1,) + self.inv[::-1])[:-1][::-1]
        object.__setattr__(self, "strides", strides.astype(np.int64))

    def coords(self, idx: np.ndarray) -> np.ndarray:
        """``(..., r)`` coordinates of element (or label) indices."""
        idx = np.asarray(idx, np.int64)
        return (idx[..., None] // self.strides) % np.array(self.inv, np.int64)

    def index(self, coords: np.ndarray) -> np.ndarray:
        return (np.asarray(coords, np.int64) % np.array(self.inv, np.int64)) @ self.strides

    def exps(self, labels: np.ndarray, a_coords: np.ndarray) -> np.ndarray:
        """``chi_label(a)`` as exponents of ``E(N)``: ``labels (..., r)``, ``a_coords (..., r)``."""
        return (labels * a_coords * self.scale).sum(axis=-1) % self.N

    def action(self, images: np.ndarray) -> np.ndarray:
        """Labels of ``chi o phi`` for every label, where the automorphism ``phi`` maps the unit
        vector ``e_j`` to the element with coordinates ``images[j]``: an index array."""
        labels = self.coords(np.arange(self.size))
        vals = np.zeros(labels.shape, np.int64)
        for j in range(len(self.inv)):  # (chi_k o phi)(e_j) = chi_k(images[j])
            vals[:, j] = self.exps(labels, images[j][None, :]) // self.scale[j]
        return self.index(vals)


# ---------------------------------------------------------------------------------------------
# families of irreps
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Family:
    """Monomial irreps of one shape, differing in the orbit representative only.

    ``labels[f]`` (``(m, r)``) are the characters ``t_i . chi_k`` of ``A`` attached to the
    transversal; ``kind`` selects the formula (``"abelian"``, ``"split"``, ``"extension"``).
    """

    kind: str
    group: FiniteGroup
    dual: _Dual
    dim: int
    M: int
    labels: np.ndarray | None = field(repr=False)  # (nk, m, r) or None for "abelian"
    count: int = 0
    sigma: np.ndarray | None = field(default=None, repr=False)  # split: (|H|, m) row blocks
    ell: np.ndarray | None = field(default=None, repr=False)  # split: (|H|, m) stabiliser elements
    psi_P: np.ndarray | None = field(default=None, repr=False)  # split: (|S|, dpsi)
    psi_E: np.ndarray | None = field(default=None, repr=False)
    psi_m: int = 1
    m: int = 1  # extension: m; split: number of cosets
    omega: np.ndarray | None = field(default=None, repr=False)  # extension: (nk,) exponents of E(M)
    source: str = ""

    def diagonal_labels(self, f: np.ndarray) -> np.ndarray:
        """``(len(f), dim)``: the flat label (index in ``A``'s grid) of the character of ``A``
        on each diagonal entry of ``rho(a)`` (diagonal for every ``a`` in ``A``)."""
        f = np.asarray(f, np.int64)
        if self.kind == "abelian":
            return f[:, None].copy()
        lab = self.dual.index(self.labels[f])  # (len, m)
        return np.repeat(lab, self.dim // lab.shape[1], axis=1)

    def _split(self, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        nA = self.dual.size
        top, a = np.divmod(np.asarray(xs, np.int64), nA)
        return a, top

    def images(self, f: np.ndarray | int, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(P, E)`` of members ``f`` at elements ``xs`` (broadcast): ``P (..., d)`` and
        ``E (..., d)`` exponents of ``E(M)``."""
        f = np.asarray(f, np.int64)
        xs = np.asarray(xs, np.int64)
        f, xs = np.broadcast_arrays(f, xs)
        dual = self.dual
        if self.kind == "abelian":
            a = dual.coords(xs)
            return np.zeros(xs.shape + (1,), np.int64), dual.exps(dual.coords(f), a)[..., None]
        a, top = self._split(xs)
        ac = dual.coords(a)[..., None, :]  # (..., 1, r)
        lab = self.labels[f]  # (..., m, r)
        ch = dual.exps(lab, ac)  # (..., m): chi_{k_i}(a)
        if self.kind == "split":
            dp = self.psi_P.shape[1]
            rows = self.sigma[top]  # (..., m)
            ls = self.ell[top]
            chi_rows = np.take_along_axis(ch, rows, axis=-1)  # (..., m)
            P = (rows[..., None] * dp + self.psi_P[ls]).reshape(xs.shape + (self.dim,))
            E = (chi_rows[..., None] * (self.M // dual.N) + self.psi_E[ls] * (self.M // self.psi_m))
            return P, E.reshape(xs.shape + (self.dim,)) % self.M
        # extension: rho(a t^j) e_i = chi_{k_r}(a) omega^q e_r, i + j = q s + r
        s = self.dim
        u = np.arange(s) + top[..., None]
        q, r = np.divmod(u, s)
        chi_r = np.take_along_axis(ch, r, axis=-1)
        E = chi_r * (self.M // dual.N) + q * self.omega[f][..., None]
        return r, E % self.M


def _psi_tables(S: FiniteGroup, psi) -> tuple[np.ndarray, np.ndarray, int]:
    from ._induce import tree_monomials

    data = psi.monomial_data
    if data is None:
        raise NotMonomialError(f"the stabiliser {S!r} has an irrep that is not monomial")
    perms, exps, m = data
    P, E = tree_monomials(S, perms, exps[None], m)
    return P, E[0], m


def _split_families(G: FiniteGroup, max_action: int) -> list[Family]:
    from ._irreps import irreps

    st = G.structure
    A, H = st.normal, st.complement
    dual = _Dual(tuple(int(n) for n in A.structure.invariants))
    nA, nH = dual.size, H.order
    if nA * nH > max_action:
        raise GroupTooLargeError(
            f"the action of a complement of order {nH} on {nA} characters exceeds "
            f"max_action={max_action}")
    Hinv = H.inverse
    units = dual.strides  # the unit vectors e_j as element indices of A
    act = np.asarray(st.action)
    # L[h, k]: the label of h . chi_k, (h . chi)(a) = chi(h^-1 a h)
    L = np.stack([dual.action(dual.coords(act[Hinv[h], units])) for h in range(nH)])
    reps = np.unique(L.min(axis=0))
    stab = L[:, reps] == reps[None, :]  # (|H|, #orbits)
    keys, which = np.unique(stab.T, axis=0, return_inverse=True)
    which = which.ravel()
    table = H.cayley_table
    out: list[Family] = []
    for key_i in sorted(range(len(keys)), key=lambda i: (-int(keys[i].sum()), i)):
        ks = reps[which == key_i]
        members = np.flatnonzero(keys[key_i])
        Ssub = H.subgroup(members)
        S, emb = Ssub.as_group()
        pos = np.full(nH, -1, np.int64)
        pos[emb] = np.arange(emb.size)
        # left cosets t S
        coset = np.full(nH, -1, np.int64)
        trans: list[int] = []
        for h in range(nH):
            if coset[h] < 0:
                coset[table[h, emb]] = len(trans)
                trans.append(h)
        t = np.array(trans, np.int64)
        y = table[:, t]  # (|H|, m): h t_j
        sigma = coset[y]
        ell = pos[table[Hinv[t[sigma]], y]]
        labels = np.transpose(dual.coords(L[t][:, ks]), (1, 0, 2))  # (nk, m, r)
        for psi in irreps(S):
            pP, pE, pm = _psi_tables(S, psi)
            dim = len(t) * psi.dim
            out.append(Family("split", G, dual, dim, math.lcm(dual.N, pm), labels, len(ks),
                              sigma, ell, pP, pE, pm, len(t),
                              source=f"little group: Ind from A : stabiliser of order {S.order}"))
    return out


def _extension_families(G: FiniteGroup, max_action: int) -> list[Family]:
    st = G.structure
    A, m, c = st.normal, int(st.m), int(st.c)
    dual = _Dual(tuple(int(n) for n in A.structure.invariants))
    nA = dual.size
    if nA * m > max_action:
        raise GroupTooLargeError(f"{m} powers acting on {nA} characters exceed max_action={max_action}")
    act = np.asarray(st.action)
    Lt = dual.action(dual.coords(act[m - 1, dual.strides]))  # chi -> t . chi, (t.chi)(a) = chi(t^-1 a t)
    orbit = [np.arange(nA)]
    for _ in range(m - 1):
        orbit.append(Lt[orbit[-1]])
    orb = np.stack(orbit)  # (m, nA): t^j . chi_k
    back = orb == np.arange(nA)[None, :]
    back[0] = False
    length = np.where(back.any(axis=0), np.argmax(back, axis=0), m)
    reps = np.flatnonzero(orb.min(axis=0) == np.arange(nA))
    M = dual.N * m
    out: list[Family] = []
    cc = dual.coords(np.int64(c))
    for s in sorted(set(length[reps].tolist())):
        ks = reps[length[reps] == s]
        labels = np.transpose(dual.coords(orb[:s][:, ks]), (1, 0, 2))  # (nk, s, r)
        e_c = dual.exps(dual.coords(ks), cc[None, :])  # chi_k(c) in E(N)
        for qw in range(m // s):
            omega = ((e_c + dual.N * qw) * s) % M  # omega^(m/s) = chi_k(c)
            out.append(Family("extension", G, dual, s, M, labels, len(ks), m=m, omega=omega,
                              source=f"little group: Ind from A <t^{s}>"))
    return out


def families(G: FiniteGroup, *, max_action: int = DEFAULT_MAX_ACTION) -> list[Family]:
    """The families of irreps of ``G`` (memoized), trivial family first.

    Raises
    ------
    GroupToolsError
        If ``G`` is not of a shape the method covers (see :func:`little_group_applies`).
    NotMonomialError
        If a stabiliser has a non-monomial irrep.
    GroupTooLargeError
        If the action on the characters exceeds ``max_action`` entries.
    """
    inv = _abelian_invariants(G)
    if inv is not None:
        dual = _Dual(tuple(int(n) for n in inv))
        return [Family("abelian", G, dual, 1, dual.N, None, dual.size, source="linear character")]
    st = G.structure
    if not little_group_applies(G):
        raise GroupToolsError("the little-group method needs A : H or A . C_m with A abelian")
    if hasattr(st, "complement"):
        return _split_families(G, max_action)
    return _extension_families(G, max_action)


# ---------------------------------------------------------------------------------------------
# exact verification
# ---------------------------------------------------------------------------------------------
def _compose(Pa: np.ndarray, Ea: np.ndarray, Pb: np.ndarray, Eb: np.ndarray, M: int):
    """``rho(a) rho(b)`` for monomial data: perms ``(d,)``, exps ``(B, d)``."""
    return Pa[Pb], (Eb + Ea[:, Pb]) % M


def _power(P: np.ndarray, E: np.ndarray, e: int, M: int):
    d = P.shape[0]
    rP, rE = np.arange(d), np.zeros_like(E)
    while e:
        if e & 1:
            rP, rE = _compose(rP, rE, P, E, M)
        e >>= 1
        if e:
            P, E = _compose(P, E, P, E, M)
    return rP, rE


def relators_hold(fam: Family) -> bool:
    """Exactly (integers mod ``M``): every relator of ``G``'s defining presentation maps to the
    identity under every member of the family, so each member is a homomorphism. Runs of one
    letter are powered by repeated squaring, so ``a^(10^6)`` costs 20 products."""
    G = fam.group
    pres = G.defining_presentation
    if pres is None:
        raise GroupToolsError("the little-group irreps need the group's defining presentation")
    k = len(G.generator_names)
    gens = np.array(G.generators, np.int64)
    members = np.arange(fam.count)
    d, M = fam.dim, fam.M
    P, E = fam.images(members[:, None], gens[None, :])  # (nk, k, d)
    if fam.kind != "abelian" and not (P == P[:1]).all():
        return False
    letters = []
    for s in range(k):
        p, e = P[0, s], E[:, s]
        ip = np.empty_like(p)
        ip[p] = np.arange(d)
        letters.append((p, e))
        letters.append((ip, (-e[:, ip]) % M))  # inverse monomial
    for rel in pres.relators:
        rP, rE = np.arange(d), np.zeros((fam.count, d), np.int64)
        i = 0
        while i < len(rel):
            j = i
            while j < len(rel) and rel[j] == rel[i]:
                j += 1
            c = rel[i]
            t = 2 * (c - 1) if c > 0 else 2 * (-c - 1) + 1
            lp, le = _power(*letters[t], j - i, M)
            rP, rE = _compose(rP, rE, lp, le, M)
            i = j
        if not (np.array_equal(rP, np.arange(d)) and not rE.any()):
            return False
    return True
