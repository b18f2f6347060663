"""Bases of ``Hom_G(rho, R)`` for an irreducible ``rho`` and a representation ``R``, from the
generators only (nothing of size ``|G|``).

Each basis map ``Phi`` (an ``n x d`` matrix with ``R(g) Phi = Phi rho(g)``) is one copy of
``rho`` inside ``R``, in exactly ``rho``'s basis; the images of a basis of ``Hom_G(rho, R)`` form
a direct sum, the ``rho``-isotypic component (Serre 1977, *Linear Representations of Finite
Groups*, 2.6-2.7; Dixon 1970, "Computing irreducible representations of groups", Math. Comp. 24).

* **Monomial** ``R`` (permutation, regular, induced, tensor products of monomial irreps) splits
  along the orbits of its permutation part into induced representations ``Ind_{H_b}^G lambda``
  (``H_b`` the stabilizer of a base point ``b``, ``lambda(h)`` the scalar of ``R(h)`` at ``b``).
  By Frobenius reciprocity (Frobenius 1898; Serre 1977, 7.2) the copies of ``rho`` in one orbit
  are ``Phi[i, :] = c_i u rho(t_i^-1)`` for the row vectors ``u`` with ``u rho(h) = lambda(h) u``
  on the Schreier generators ``h`` of ``H_b`` (``t_i`` with ``R(t_i) e_b = c_i e_i``): a ``d``-variable
  system per orbit.
* **Other** ``R``: spinning ``e_1`` under ``rho`` gives elements ``w_1 = 1, ..., w_d`` with
  ``B = [rho(w_b) e_1]`` invertible; ``Phi`` is determined by ``phi = Phi e_1`` as
  ``Phi = [R(w_b) phi]_b B^-1``, and ``phi`` solves ``R(s) Z = Z C_s`` with ``Z = [R(w_b) phi]``,
  ``C_s = B^-1 rho(s) B``: ``n`` unknowns.

Exact systems are solved exactly on a subset of their equations chosen numerically (pivoted
QR, Businger & Golub 1965) with exactly the rank the full system has numerically; the caller
verifies ``R(s) Q = Q D(s)`` exactly on every generator, which certifies the result.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..arith._cycmatrix import CycMatrix
from ..arith._cyclotomic import E
from .._errors import VerificationError
from ..groups._group import FiniteGroup
from ._repdata import ExactEvaluator, monomial_at

__all__ = ["IrrepImages", "Orbit", "hom_generic", "hom_monomial", "monomial_orbits", "place"]

#: Relative threshold on singular values for numerical ranks.
RANK_TOL = 1e-8


class IrrepImages:
    """Images of an irrep in the chosen basis: ``exact`` = the exact generator images ``X``
    (``Irrep.generator_images``), numeric ones in the same basis; else the unitary ``U``."""

    def __init__(self, rho: Any, exact: bool) -> None:
        self.rho, self.exact, self.G, self.d = rho, exact, rho.group, rho.dim
        C = rho.change_of_basis if exact else None
        self.C = C
        self.Cinv = None if C is None else np.linalg.inv(C)
        self.mono = rho.monomial_data
        self._ev: ExactEvaluator | None = None

    def numeric(self, xs: np.ndarray) -> np.ndarray:
        U = np.asarray(self.rho.at(np.asarray(xs, np.int64)))
        return U if self.C is None else self.C @ U @ self.Cinv

    def generators_numeric(self) -> np.ndarray:
        return self.numeric(np.array(self.G.generators, np.int64))

    def exact_at(self, xs: np.ndarray, scale: np.ndarray | None = None, m: int = 1) -> list[CycMatrix]:
        """Exact ``E(m)^scale[i] X(xs[i])``."""
        xs = np.asarray(xs, np.int64)
        sc = np.zeros(xs.size, np.int64) if scale is None else np.asarray(scale, np.int64)
        if self.mono is not None:
            P, Ex = monomial_at(self.G, self.mono[0], self.mono[1], self.mono[2], xs)
            L = math.lcm(self.mono[2], m)
            return [CycMatrix.monomial(p, e * (L // self.mono[2]) + c * (L // m), L)
                    for p, e, c in zip(P, Ex, sc)]
        if self._ev is None:
            self._ev = ExactEvaluator(self.G, self.rho.generator_images, self.rho.dim)
        out = [self._ev.image(int(x)) for x in xs]
        return [X if c % m == 0 else X * E(m) ** int(c) for X, c in zip(out, sc)]


class Orbit:
    """One orbit of the permutation part of a monomial representation: ``points`` (BFS order,
    ``points[0] = b``), ``elems[i]`` with ``R(elems[i]) e_b = E(m)^phase[i] e_points[i]``, and the
    distinct nontrivial Schreier generators ``hs`` of the stabilizer with ``R(h) e_b =
    E(m)^lam e_b``."""

    def __init__(self, points: np.ndarray, elems: np.ndarray, phase: np.ndarray, hs: np.ndarray,
                 lam: np.ndarray) -> None:
        self.points, self.elems, self.phase, self.hs, self.lam = points, elems, phase, hs, lam


def monomial_orbits(G: FiniteGroup, perms: np.ndarray, exps: np.ndarray, m: int) -> list[Orbit]:
    """The orbits of a monomial representation with transversals and Schreier generators
    (breadth-first, one vectorized step per level).

    Raises
    ------
    VerificationError
        If a Schreier generator gets two different scalars (not a representation).
    """
    k, n = perms.shape
    gens = np.array(G.generators, np.int64)
    elem = np.full(n, -1, np.int64)
    phase = np.zeros(n, np.int64)
    orbits = []
    for b in range(n):
        if elem[b] >= 0:
            continue
        elem[b], phase[b] = 0, 0
        order, frontier = [np.array([b])], np.array([b])
        while frontier.size:
            new = []
            for s in range(k):
                j = perms[s][frontier]
                fresh = elem[j] < 0
                if not fresh.any():
                    continue
                jj, first = np.unique(j[fresh], return_index=True)
                src = frontier[fresh][first]
                elem[jj] = np.asarray(G.multiply(np.full(src.size, gens[s]), elem[src]))
                phase[jj] = (phase[src] + exps[s][src]) % m
                new.append(jj)
            frontier = np.unique(np.concatenate(new)) if new else np.zeros(0, np.int64)
            if frontier.size:
                order.append(frontier)
        pts = np.concatenate(order)
        hs_all, lam_all = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        inv = G.inverse
        for s in range(k):
            j = perms[s][pts]
            h = np.asarray(G.multiply(inv[elem[j]], np.asarray(G.multiply(np.full(pts.size, gens[s]), elem[pts]))))
            hs_all.append(np.atleast_1d(h))
            lam_all.append((phase[pts] + exps[s][pts] - phase[j]) % m)
        h, lam = np.concatenate(hs_all), np.concatenate(lam_all)
        key = np.unique(np.stack([h, lam], axis=1), axis=0)
        if np.unique(key[:, 0]).size != key.shape[0] or np.any(key[key[:, 0] == 0, 1] != 0):
            raise VerificationError("the monomial images are not a representation (stabilizer scalars)")
        key = key[key[:, 0] != 0]
        orbits.append(Orbit(pts, elem[pts].copy(), phase[pts].copy(), key[:, 0], key[:, 1]))
    return orbits


def _null(A: np.ndarray) -> tuple[np.ndarray, int]:
    """Orthonormal nullspace (columns) and the numerical rank of ``A``."""
    if A.shape[0] == 0:
        return np.eye(A.shape[1], dtype=complex), 0
    _, s, Vh = np.linalg.svd(A, full_matrices=True)
    r = int(np.sum(s > RANK_TOL * max(1.0, s[0] if s.size else 0.0)))
    return Vh[r:].conj().T, r


def _select_rows(A: np.ndarray, r: int) -> list[int]:
    """``r`` rows of ``A`` of full numerical rank ``r`` (pivoted QR of ``A^H``)."""
    import scipy.linalg  # lazily, to keep `import grouptools` light

    if r == 0:
        return []
    _, _, piv = scipy.linalg.qr(A.conj().T, pivoting=True, mode="economic")
    return sorted(int(p) for p in piv[:r])


def place(n: int, ncols: int, pieces: list[tuple[np.ndarray, int, CycMatrix]]) -> CycMatrix:
    """The exact ``n x ncols`` matrix with ``piece`` at rows ``rows`` and columns from ``col``
    (zeros elsewhere), for ``pieces = [(rows, col, piece), ...]``."""
    L = math.lcm(1, *(p.m for _, _, p in pieces))
    ps = [(r, c, p.to_field(L)) for r, c, p in pieces]
    den = math.lcm(1, *(p.denominator for _, _, p in ps))
    deg = CycMatrix.zeros(1, 1, L).degree
    big = any(np.asarray(p.coefficients).dtype == object for _, _, p in ps)
    coef = np.zeros((n, ncols, deg), dtype=object if big else np.int64)
    for rows, col, p in ps:
        c = np.asarray(p.coefficients)
        f = den // p.denominator
        if not big and f > 1 and np.abs(c).max(initial=0) * f >= (1 << 62):
            coef = coef.astype(object)
            big = True
        coef[np.asarray(rows)[:, None], col + np.arange(p.shape[1])[None, :]] = c * f
    return CycMatrix.from_coefficients(coef, L, den)


def hom_monomial(G: FiniteGroup, orbits: list[Orbit], m: int, n: int, ir: IrrepImages,
                 mult: int) -> Any:
    """A basis of ``Hom_G(rho, R)`` for monomial ``R`` (orbits from :func:`monomial_orbits`) as
    one ``n x (mult d)`` matrix (copy ``j`` in columns ``j d .. j d + d - 1``): exact
    ``CycMatrix`` if ``ir.exact``, else complex with orthonormal columns."""
    d = ir.d
    inv = G.inverse
    eye = np.eye(d)
    pieces: list[tuple[np.ndarray, int, CycMatrix]] = []
    out = None if ir.exact else np.zeros((n, mult * d), complex)
    off = 0
    for orb in orbits:
        if off == mult:
            break
        q = orb.hs.size
        if q:
            Xh = ir.numeric(orb.hs)
            lam = np.exp(2j * np.pi * orb.lam / m)
            A = np.transpose(Xh - lam[:, None, None] * eye, (0, 2, 1)).reshape(q * d, d)
        else:
            A = np.zeros((0, d), complex)
        N, r = _null(A)
        mo = d - r
        if mo == 0:
            continue
        if off + mo > mult:
            raise VerificationError(f"more copies of {ir.rho!r} than its multiplicity {mult}")
        tinv = inv[orb.elems]
        if not ir.exact:
            Xt = ir.numeric(tinv)  # (|O|, d, d)
            c = np.exp(2j * np.pi * orb.phase / m)
            blk = np.einsum("dj,ide->ije", N, Xt) * c[:, None, None] * math.sqrt(d / orb.points.size)
            out[orb.points, off * d:(off + mo) * d] = blk.reshape(orb.points.size, mo * d)
        else:
            rows = _select_rows(A, r)
            if rows:
                hsel = sorted({row // d for row in rows})
                Xe = dict(zip(hsel, ir.exact_at(orb.hs[hsel])))
                parts = []
                for row in rows:
                    t, col = divmod(row, d)
                    Mh = Xe[t] - CycMatrix.identity(d, 1) * E(m) ** int(orb.lam[t])
                    parts.append(Mh.cols([col]).transpose())
                Nx = CycMatrix.vstack(parts).nullspace()
            else:
                Nx = CycMatrix.identity(d, 1)
            if Nx.shape[1] != mo:
                raise VerificationError("exact and numeric stabilizer systems disagree")
            Hst = CycMatrix.hstack(ir.exact_at(tinv, orb.phase, m))  # d x |O| d
            B = Nx.transpose() @ Hst  # mo x |O| d
            c = np.asarray(B.coefficients)
            c = c.reshape(mo, orb.points.size, d, -1).transpose(1, 0, 2, 3).reshape(orb.points.size, mo * d, -1)
            pieces.append((orb.points, off * d, CycMatrix.from_coefficients(c, B.m, B.denominator)))
        off += mo
    if off != mult:
        raise VerificationError(f"found {off} copies of {ir.rho!r}, the character says {mult}")
    return place(n, mult * d, pieces) if ir.exact else out


def hom_generic(G: FiniteGroup, R_exact: Any, R_num: np.ndarray, ir: IrrepImages, mult: int) -> Any:
    """A basis of ``Hom_G(rho, R)`` for ``R`` given by dense generator images (``R_exact`` a
    tuple of CycMatrix or ``None``, ``R_num`` complex), as one ``n x (mult d)`` matrix."""
    d, n = ir.d, R_num.shape[1]
    k = len(G.generators)
    gens = np.array(G.generators, np.int64)
    Xn = ir.generators_numeric()
    Xe = ir.exact_at(gens) if ir.exact else None
    # spin e_1: elements w_b with B = [X(w_b) e_1] invertible
    vecs, elems, src = [np.eye(d)[:, 0].astype(complex)], [0], [(-1, -1)]
    i = 0
    while len(vecs) < d and i < len(vecs):
        for s in range(k):
            v = Xn[s] @ vecs[i]
            Vm = np.stack(vecs + [v], axis=1)
            if np.linalg.matrix_rank(Vm, tol=1e-8) > len(vecs):
                vecs.append(v)
                elems.append(int(G.multiply(int(gens[s]), elems[i])))
                src.append((i, s))
                if len(vecs) == d:
                    break
        i += 1
    if len(vecs) < d:
        raise VerificationError(f"{ir.rho!r} is not irreducible under its generators")
    RW = [np.eye(n, dtype=complex)]
    for i, s in src[1:]:
        RW.append(R_num[s] @ RW[i])
    Bn = np.stack(vecs, axis=1)
    Cn = np.linalg.solve(Bn, Xn @ Bn)  # (k, d, d)
    blocks = []
    for s in range(k):
        for a in range(d):
            blocks.append(R_num[s] @ RW[a] - np.einsum("b,bij->ij", Cn[s][:, a], np.stack(RW)))
    A = np.concatenate(blocks, axis=0) if blocks else np.zeros((0, n), complex)  # trivial group
    N, r = _null(A)
    if n - r != mult:
        raise VerificationError(f"found {n - r} copies of {ir.rho!r}, the character says {mult}")
    if not ir.exact:
        Phis = [np.stack([RW[b] @ N[:, j] for b in range(d)], axis=1) @ np.linalg.inv(Bn)
                for j in range(mult)]
        Gm = np.array([[np.trace(P.conj().T @ Q) / d for Q in Phis] for P in Phis])
        L = np.linalg.cholesky(Gm)
        Linv = np.linalg.inv(L).conj().T
        Phis = [sum(Phis[i] * Linv[i, j] for i in range(mult)) for j in range(mult)]
        return np.concatenate(Phis, axis=1) if Phis else np.zeros((n, 0), complex)
    XW = [CycMatrix.identity(d, 1)]
    RWe = [CycMatrix.identity(n, 1)]
    for i, s in src[1:]:
        XW.append(Xe[s] @ XW[i])
        RWe.append(R_exact[s] @ RWe[i])
    Be = CycMatrix.hstack([x.cols([0]) for x in XW])
    Binv = Be.inverse()
    Ce = [Binv @ Xe[s] @ Be for s in range(k)]
    rows = _select_rows(A, r)
    parts = []
    for blk in sorted({row // n for row in rows}):
        s, a = divmod(blk, d)
        sel = [row - blk * n for row in rows if row // n == blk]
        P = (R_exact[s] @ RWe[a]).rows(sel)
        for b in range(d):
            coef = Ce[s].entry(b, a)
            if coef:
                P = P - RWe[b].rows(sel) * coef
        parts.append(P)
    Nx = CycMatrix.vstack(parts).nullspace() if parts else CycMatrix.identity(n, 1)
    if Nx.shape[1] != mult:
        raise VerificationError("exact and numeric intertwining systems disagree")
    Phis = [CycMatrix.hstack([RWe[b] @ Nx.cols([j]) for b in range(d)]) @ Binv for j in range(mult)]
    return CycMatrix.hstack(Phis)
