"""Decomposition of a real representation into the real irreducibles ``G.real_irreps()``.

For a real irrep ``sigma`` with commutant ``K`` (``R``, ``C`` or the quaternions: dimension
``e = 1, 2, 4``, Frobenius & Schur 1906; Serre 1977, 13.2) the real space ``Hom_G(sigma, R)`` has
dimension ``e m`` for ``m`` copies of ``sigma`` in ``R``. It is computed from the generators by
spinning (as :mod:`grouptools.reps._hom`, over ``R``): ``Phi = [R(w_b) phi]_b B^-1`` with ``phi``
in the nullspace of ``R(s) Z = Z C_s``. Copies are then chosen greedily: each basis map,
projected orthogonally off the copies chosen so far (an orthogonal ``R`` keeps the orthogonal
complement invariant, so the projection is again a ``G``-map), is kept if it is nonzero and
scaled to an isometry (``Phi^T Phi`` commutes with ``sigma`` and is symmetric, hence scalar).
A semisimple module is the sum of the images of a basis of ``Hom``, and an image not inside the
chosen direct sum meets it trivially, so the greedy choice reaches the isotypic component.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._errors import ParameterError, VerificationError

__all__ = ["real_decomposition", "real_hom"]

_TOL = 1e-8


def real_hom(G: Any, R: np.ndarray, S: np.ndarray) -> list[np.ndarray]:
    """A basis of the real ``Hom_G(sigma, R)`` (``n x d`` matrices) from real generator images
    ``R`` (k, n, n) and ``S`` (k, d, d) of an irreducible ``sigma``."""
    k, n, _ = R.shape
    d = S.shape[1]
    gens = np.array(G.generators, np.int64)
    vecs, src = [np.eye(d)[:, 0]], [(-1, -1)]
    i = 0
    while len(vecs) < d and i < len(vecs):
        for s in range(k):
            v = S[s] @ vecs[i]
            if np.linalg.matrix_rank(np.stack(vecs + [v], axis=1), tol=_TOL) > len(vecs):
                vecs.append(v)
                src.append((i, s))
                if len(vecs) == d:
                    break
        i += 1
    if len(vecs) < d or gens.size != k:
        raise VerificationError("a real irrep is not irreducible under its generators")
    RW = [np.eye(n)]
    for i, s in src[1:]:
        RW.append(R[s] @ RW[i])
    B = np.stack(vecs, axis=1)
    C = np.linalg.solve(B, S @ B)
    RWs = np.stack(RW)
    A = np.concatenate([R[s] @ RW[a] - np.einsum("b,bij->ij", C[s][:, a], RWs)
                        for s in range(k) for a in range(d)], axis=0)
    _, sv, Vh = np.linalg.svd(A, full_matrices=True)
    r = int(np.sum(sv > _TOL * max(1.0, sv[0] if sv.size else 0.0)))
    Binv = np.linalg.inv(B)
    return [np.stack([RW[b] @ phi for b in range(d)], axis=1) @ Binv for phi in Vh[r:]]


def real_decomposition(rep: Any, factory: Any) -> Any:
    """``rep`` (real, orthogonal images) decomposed into ``G.real_irreps()``: a ``factory``
    object (:class:`~grouptools.reps._decompose.Decomposition`) with a real orthogonal ``Q``,
    ``Q^T R(g) Q = block_diag(sigma(g))`` with the real irreps' own matrices.

    Raises
    ------
    ParameterError
        If ``rep`` is not real orthogonal.
    VerificationError
        If a check fails.
    """
    G = rep.group
    U = np.asarray(rep.numeric_generator_images)
    n = rep.dim
    if np.abs(U.imag).max(initial=0) > 1e-12:
        raise ParameterError("field='real' needs a representation with real matrices")
    R = np.ascontiguousarray(U.real)
    if np.abs(R @ np.transpose(R, (0, 2, 1)) - np.eye(n)).max(initial=0) > 1e-9:
        raise ParameterError("field='real' needs orthogonal matrices (e.g. a permutation representation)")
    reals = G.real_irreps()
    mult = np.zeros(len(reals), np.int64)
    cols = []
    W = np.zeros((n, 0))
    for t, sigma in enumerate(reals):
        S = np.asarray(sigma.generator_images, np.float64)
        d = sigma.dim
        for Phi in real_hom(G, R, S):
            Phi = Phi - W @ (W.T @ Phi)
            c = float(np.trace(Phi.T @ Phi)) / d
            if c < 1e-10:
                continue
            Phi = Phi / np.sqrt(c)
            if np.abs(Phi.T @ Phi - np.eye(d)).max() > 1e-7:
                raise VerificationError("a real intertwiner is not a scaled isometry")
            W = np.concatenate([W, Phi], axis=1)
            cols.append(Phi)
            mult[t] += 1
    if W.shape[1] != n:
        raise VerificationError(f"the real copies span {W.shape[1]} of {n} dimensions")
    out = factory(rep, mult, W, reals, False, "real")
    for s in range(R.shape[0]):
        col = 0
        for i, _ in out.blocks:
            d = reals[i].dim
            blk = W[:, col:col + d]
            if np.abs(R[s] @ blk - blk @ reals[i].generator_images[s]).max() > 1e-8 * max(1, n):
                raise VerificationError("the real change of basis does not intertwine")
            col += d
    return out
