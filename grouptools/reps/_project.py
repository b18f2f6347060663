"""Exact irreducible representations that are not (found to be) monomial.

Given a character ``chi`` of degree ``d`` and a monomial representation ``R = Ind_H^G lambda``
of dimension ``D`` that contains ``chi`` exactly once (Frobenius reciprocity:
``<chi|_H, lambda>_H = 1``), the ``chi``-isotypic subspace of ``R`` is the image of the central
idempotent ``e_chi = (d/|G|) sum_g conj(chi(g)) R(g)`` and carries ``chi`` (Dixon 1970, "Computing
irreducible representations of groups", Math. Comp. 24; Curtis & Reiner 1962, 33.8):

1. ``v = e_chi e_0`` is computed exactly: the class sums ``sum_{g in C} R(g) e_0`` are integer
   counts of roots of unity, multiplied once per class by ``conj(chi(C))`` in ``Z[x]/(x^M - 1)``.
2. The orbit vectors ``R(t) v`` (``t`` in the transversal of ``H``) span the ``d``-dimensional
   invariant subspace. If ``d`` of them are pairwise orthogonal (all have the same norm, so this
   is a clique search in the "orthogonal" graph on cosets), they form a basis in which the exact
   images ``X_s = (D/d) W^H R(s) W`` are *exactly unitary*. Otherwise a well-conditioned basis
   is chosen (pivoted QR) and ``X_s`` solves ``W[I] X_s = (R(s) W)[I]``; the unitary form is
   ``Q^H R(s) Q`` for ``W = Q T`` (the invariant Hermitian form ``W^H W = T^H T``), with change of
   basis ``C = T^-1``: ``U(g) = C^-1 X(g) C``.
3. Exactness: ``R(s) W = W X_s`` is checked over Q(zeta_M) for every generator; since ``R`` is an
   exactly verified representation and ``W`` has full column rank, every relator of ``G`` maps to
   the identity under ``X``. The exact traces at class representatives are compared with the
   character table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..arith._cycmatrix import CycMatrix
from ..arith._fields import power_basis_table
from .._errors import VerificationError
from ..groups._group import FiniteGroup
from ._induce import InducedData, monomial_homomorphism_ok, monomial_images

__all__ = [
    "CyclotomicRep",
    "NotOrthogonalError",
    "ProjectionPlan",
    "CharInfo",
    "plan_projection",
    "build_projection",
    "reduce_roots",
    "find_clique",
    "pivoted_cholesky",
]


def reduce_roots(coef: np.ndarray, M: int, den: int = 1) -> CycMatrix:
    """CycMatrix from "root" coefficients ``coef[..., t]`` of ``E(M)^t`` (shape (r, c, M))."""
    r, c, _ = coef.shape
    tab = power_basis_table(M)
    if np.abs(coef).max(initial=0) * np.abs(tab).max(initial=0) * M < (1 << 52):
        red = np.rint(coef.reshape(r * c, M).astype(np.float64) @ tab).astype(np.int64)
    else:
        red = (coef.reshape(r * c, M).astype(object) @ tab.astype(object))
    return CycMatrix.from_coefficients(red.reshape(r, c, tab.shape[1]), M, den)


def find_clique(adj: np.ndarray, size: int, limit: int = 20000) -> list[int] | None:
    """A clique of ``size`` vertices containing vertex 0 in the graph ``adj`` (boolean,
    symmetric), by bounded backtracking over bitsets; ``None`` if none is found within
    ``limit`` steps.

    Examples
    --------
    >>> A = np.array([[0, 1, 1, 0], [1, 0, 1, 1], [1, 1, 0, 0], [0, 1, 0, 0]], bool)
    >>> find_clique(A, 3)
    [0, 1, 2]
    """
    n = adj.shape[0]
    nb = [int(sum(1 << int(j) for j in np.flatnonzero(adj[i]))) for i in range(n)]
    steps = 0

    def rec(clique: list[int], cand: int) -> list[int] | None:
        nonlocal steps
        if len(clique) == size:
            return clique
        while cand:
            steps += 1
            if steps > limit or len(clique) + bin(cand).count("1") < size:
                return None
            v = (cand & -cand).bit_length() - 1
            cand &= ~(1 << v)
            got = rec(clique + [v], cand & nb[v])
            if got is not None:
                return got
        return None

    if size == 1:
        return [0]
    return rec([0], nb[0])


class NotOrthogonalError(VerificationError):
    """The numerically orthogonal orbit basis is not exactly orthogonal (the caller retries
    with a general basis)."""


@dataclass
class CyclotomicRep:
    """Exact generator images over Q(zeta_M) with their unitary numerical form."""

    images: list[CycMatrix]
    unitary: np.ndarray  # (k, d, d) complex
    change_of_basis: np.ndarray | None  # C with U = C^-1 X C, None if X is unitary
    exact_unitary: bool
    M: int
    source: str


def _chi_conj_roots(exact: list, M: int) -> tuple[np.ndarray, int]:
    """Root coefficients (ncl, M) of conj(chi) at each class over E(M), and a denominator."""
    vals = [v.conjugate() for v in exact]
    den = 1
    for v in vals:
        for q in v.coefficients().values():
            den = math.lcm(den, Fraction(q).denominator)
    out = np.zeros((len(vals), M), np.int64)
    for c, v in enumerate(vals):
        n = v.conductor
        for k, q in v.coefficients().items():
            q = Fraction(q)
            out[c, (k * (M // n)) % M] += q.numerator * (den // q.denominator)
    return out, den


def _apply_roots(P: np.ndarray, E: np.ndarray, W: np.ndarray, M: int) -> np.ndarray:
    """``R W`` in root coefficients for the monomial ``R = (P, E)`` (exponents mod M)."""
    out = np.empty_like(W)
    D = P.size
    t = np.arange(M)
    idx = (t[None, :] - E[:, None]) % M  # out[P[i], :, t] = W[i, :, t - E[i]]
    for i in range(D):
        out[P[i]] = W[i][:, idx[i]]
    return out


@dataclass
class ProjectionPlan:
    """Numerical choices for :func:`build_projection`: the induced representation, the field
    ``M``, the character as exponents of ``E(M)`` on ``H``, and the cosets whose orbit vectors
    span the ``chi``-isotypic subspace (``orth``: pairwise orthogonal)."""

    data: InducedData
    M: int
    lamM: np.ndarray
    cols: list[int]
    orth: bool


class CharInfo:
    """Exact and numerical data of one character used by the projection."""

    def __init__(self, table, i: int) -> None:
        ncl = len(table.degrees)
        self.index = i
        self.degree = int(table.degrees[i])
        self.exact = [table.value(i, c) for c in range(ncl)]
        self.values = np.asarray(table.values)[i]
        self.conductor = 1
        for v in self.exact:
            self.conductor = math.lcm(self.conductor, v.conductor)


def plan_projection(G: FiniteGroup, chi: CharInfo, data: InducedData, *, unitary: bool = True,
                    clique_limit: int = 20000) -> ProjectionPlan | None:
    """Choose a basis of the ``chi``-isotypic subspace of ``data`` (one linear character
    induced, containing ``chi`` exactly once) among the orbit vectors ``R(t_a) v``,
    ``v = e_chi e_0``.

    Since ``R(t_a) e_0 = e_a``, the orbit vectors are the columns of the projection matrix
    ``e_chi`` itself, whose Gram matrix is ``e_chi`` again (Hermitian idempotent). With
    ``unitary`` the columns must be pairwise orthogonal (clique search; ``None`` if there is
    none within ``clique_limit`` steps); otherwise well-conditioned columns are chosen by
    pivoted QR.
    """
    d = chi.degree
    n = G.order
    m = data.m
    T = data.transversal
    D = T.size
    lam = data.lam[0]
    q = m // math.gcd(m, math.gcd(*[int(x) for x in lam], m))
    M = math.lcm(q, chi.conductor)
    if np.any((lam * M) % m):
        raise VerificationError("linear character values are not in Q(zeta_M)")
    lamM = (lam * M) // m  # exponents of E(M) on H
    roots = np.exp(2j * np.pi * np.arange(M) / M)
    # v = e_chi e_0: R(g) e_0 = lambda(h_g) e_labels[g]
    w = np.conj(chi.values[G.class_index]) * roots[lamM[T.hpos]] * (d / n)
    v = np.bincount(T.labels, weights=w.real, minlength=D) + 1j * np.bincount(
        T.labels, weights=w.imag, minlength=D)
    tol = 1e-9 * (d / D)
    if unitary and int(np.sum(np.abs(v[1:]) < tol)) < d - 1:
        return None  # e_chi e_0 has fewer than d - 1 orthogonal orbit vectors
    # orbit vectors R(t_a) v = e_chi e_a: the columns of the projection matrix
    perm, hp = T.action(T.reps)
    proj = np.zeros((D, D), complex)
    proj[perm, np.arange(D)[:, None]] = roots[lamM[hp]] * v[None, :]
    if unitary:
        adj = np.abs(proj) < tol
        np.fill_diagonal(adj, False)
        cols = find_clique(adj, d, clique_limit)
        if cols is None:
            return None
        return ProjectionPlan(data, M, lamM, cols, True)
    return ProjectionPlan(data, M, lamM, sorted(pivoted_cholesky(proj, d)), False)


def pivoted_cholesky(A: np.ndarray, r: int) -> list[int]:
    """Indices of ``r`` well-conditioned columns of a Hermitian positive semidefinite matrix of
    rank ``r`` (greedy pivoted Cholesky, ``O(n r^2)``; Higham 2002, 10.3).

    Examples
    --------
    >>> A = np.array([[2.0, 2.0, 0.0], [2.0, 2.0, 0.0], [0.0, 0.0, 1.0]])
    >>> sorted(pivoted_cholesky(A, 2))
    [0, 2]
    """
    n = A.shape[0]
    diag = np.real(np.diag(A)).astype(np.float64).copy()
    L = np.zeros((n, r), dtype=A.dtype)
    piv: list[int] = []
    for k in range(r):
        j = int(np.argmax(diag))
        if diag[j] <= 0:
            raise VerificationError("projection has smaller rank than the character degree")
        piv.append(j)
        col = A[:, j] - L[:, :k] @ np.conj(L[j, :k])
        L[:, k] = col / np.sqrt(diag[j])
        diag -= np.abs(L[:, k]) ** 2
        diag[piv] = -np.inf
    return piv


def build_projection(G: FiniteGroup, chi: CharInfo, plan: ProjectionPlan) -> CyclotomicRep:
    """Exact generator images on the subspace chosen by :func:`plan_projection`, verified.

    Raises
    ------
    VerificationError
        If an exact check fails.
    """
    d = chi.degree
    n = G.order
    data, M, lamM, cols, orth = plan.data, plan.M, plan.lamM, plan.cols, plan.orth
    m = data.m
    T = data.transversal
    D = T.size
    if not monomial_homomorphism_ok(G, data.perms, data.exps, m)[0]:
        raise VerificationError("induced representation is not a homomorphism")
    ci = G.class_index
    chic, cden = _chi_conj_roots(chi.exact, M)
    ncl = chic.shape[0]
    counts = np.bincount((ci * D + T.labels) * M + lamM[T.hpos], minlength=ncl * D * M)
    counts = counts.reshape(ncl, D, M).astype(np.int64)
    vroot = np.zeros((D, M), np.int64)
    for k in np.flatnonzero(chic.any(axis=0)):
        vroot += np.tensordot(chic[:, k], np.roll(counts, int(k), axis=2), axes=(0, 0))
    Wroot = np.zeros((D, d, M), np.int64)
    tp, th = T.action(T.reps[cols])
    for col in range(d):
        Wroot[:, col:col + 1, :] = _apply_roots(tp[col], lamM[th[col]], vroot[:, None, :], M)
    Wroot *= d
    den = n * cden
    W = reduce_roots(Wroot, M, den)
    gens_roots = [(data.perms[s], lamM[T.action(np.array([g]))[1][0]])
                  for s, g in enumerate(G.generators)]
    RW = [reduce_roots(_apply_roots(p, e, Wroot, M), M, den) for p, e in gens_roots]
    rows = None
    if orth:
        WH = W.conj_transpose()
        if not (WH @ W) == CycMatrix.identity(d, M) * Fraction(d, D):
            raise NotOrthogonalError("orbit basis is not orthogonal")
        images = [(WH @ Y) * Fraction(D, d) for Y in RW]
        unitary = np.stack([X.to_complex() for X in images])
        change = None
    else:
        import scipy.linalg  # lazily, to keep `import grouptools` light

        Wn = W.to_complex()
        _, _, piv = scipy.linalg.qr(Wn.T, pivoting=True, mode="economic")
        rows = sorted(int(x) for x in piv[:d])
        WI = W.rows(rows)
        images = [WI.solve(Y.rows(rows)) for Y in RW]
        Qn, Tn = np.linalg.qr(Wn)
        unitary = np.stack([Qn.conj().T @ _numeric_monomial(p, e, M) @ Qn for p, e in gens_roots])
        change = np.linalg.inv(Tn)
    for Y, X in zip(RW, images):
        if not Y == W @ X:
            raise VerificationError("the projected subspace is not invariant")
    # exact traces at the class representatives, R(x) as products along their tree words
    WIinv = None if orth else W.rows(rows).inverse()
    xs = np.asarray(G.conjugacy_classes().representatives, np.int64)
    cp, ce = monomial_images(G, data.perms, data.exps, m, xs)
    for c in range(ncl):
        Y = reduce_roots(_apply_roots(cp[c], (ce[0, c] * M) // m, Wroot, M), M, den)
        if orth:
            tr = (W.conj_transpose() @ Y).trace() * Fraction(D, d)
        else:
            tr = (WIinv @ Y.rows(rows)).trace()
        if tr != chi.exact[c]:
            raise VerificationError(f"projected character differs from the table at class {c}")
    src = f"e_chi Ind_H^G(lambda), |H| = {data.subgroup.order}, D = {D}"
    return CyclotomicRep(images, unitary, change, orth, M, src)


def _numeric_monomial(p: np.ndarray, e: np.ndarray, M: int) -> np.ndarray:
    D = p.size
    out = np.zeros((D, D), complex)
    out[p, np.arange(D)] = np.exp(2j * np.pi * np.asarray(e) / M)
    return out
