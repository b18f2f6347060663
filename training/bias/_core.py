"""Numerical core of :mod:`training.bias`: regularizers, gradients, KKT certificates and solvers.

Everything here works on a :class:`~training.bias._fourier.FourierOperator` ``A`` (blocks
``M_k = (A b)_k`` with weights ``w_k`` and Plancherel constant ``c``, ``A^T W A = c I``), an exponent
``p`` and the rows ``z_n = y_n x_n`` of the margin constraints ``<z_n, b> >= 1``; see
:mod:`training.bias` for the mathematics and the references.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import nnls

from .._checks import as_real, check_positive_int
from .._errors import NotSeparatedError, ParameterError, ShapeError, TrainingError
from ._fourier import (
    FourierOperator,
    GroupLike,
    dft_operator,
    fourier_operator,
    identity_operator,
)

KINDS = ("l2", "lp", "dft", "schatten", "transformed")


class BiasSolverError(TrainingError, RuntimeError):
    """A numerical solver (cvxpy, NNLS) failed on a well-posed problem."""


# -- problem setup ----------------------------------------------------------------
@dataclass(frozen=True)
class Setup:
    """A regularizer ``R`` on the variable space (``beta``, or ``z`` for ``"transformed"``)."""

    kind: str
    depth: int
    p: float
    op: FourierOperator
    D: int
    S: np.ndarray | None = None

    def to_var(self, beta: np.ndarray) -> np.ndarray:
        """Variable of a predictor: ``beta`` itself, or the ``z`` with ``S^T z = beta``."""
        if self.S is None:
            return beta
        z, *_ = np.linalg.lstsq(self.S.T, beta, rcond=None)
        if np.linalg.norm(self.S.T @ z - beta) > 1e-6 * max(np.linalg.norm(beta), 1e-300):
            raise ParameterError("beta is not in the range of transform.T, so it has no transformed variable z")
        return z

    def to_beta(self, var: np.ndarray) -> np.ndarray:
        return var if self.S is None else self.S.T @ var

    def data(self, X: np.ndarray) -> np.ndarray:
        """Data in the variable space: ``X`` or ``X S^T`` (so that ``<x, S^T z> = <S x, z>``)."""
        return X if self.S is None else X @ self.S.T


def make_setup(kind: object, D: int, *, depth: object, group: GroupLike | None = None, transform: Any = None) -> Setup:
    """Check the options of a regularizer and build its :class:`Setup` for predictors in ``R^D``."""
    if kind not in KINDS:
        raise ParameterError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    L = check_positive_int("depth", depth)
    p = 2.0 if kind == "l2" else 2.0 / L
    if kind == "schatten":
        if group is None:
            raise ParameterError("kind='schatten' needs group= (a group with irreps() or a list of irrep matrices)")
        op = fourier_operator(group)
        if op.n != D:
            raise ShapeError(f"predictors have dimension {D} but the group has order {op.n}")
        return Setup("schatten", L, p, op, D)
    if kind == "transformed":
        if transform is None:
            raise ParameterError("kind='transformed' needs transform= (the matrix S, shape (m, D))")
        S = as_real("transform", transform)  # DataTypeError for complex or non-numeric data
        if S.ndim != 2 or S.shape[1] != D or not np.all(np.isfinite(S)):
            raise ShapeError(f"transform must be a finite (m, {D}) matrix, got shape {S.shape}")
        if np.linalg.matrix_rank(S) != S.shape[0]:
            raise ParameterError("transform must have linearly independent rows (rank m)")
        return Setup("transformed", L, p, identity_operator(S.shape[0]), D, S)
    op = dft_operator(D) if kind == "dft" else identity_operator(D)
    return Setup(str(kind), L, p, op, D)


# -- singular values, regularizer, gradient -------------------------------------------------------------
@dataclass(frozen=True)
class BlockSVD:
    """Per size group: blocks ``M``, ``U``, ``s``, ``Vh`` and the mask of nonzero singular values."""

    M: list[np.ndarray]
    U: list[np.ndarray]
    s: list[np.ndarray]
    Vh: list[np.ndarray]
    mask: list[np.ndarray]


def block_svd(op: FourierOperator, b: np.ndarray, rank_tol: float) -> BlockSVD:
    """SVD of every block; singular values ``<= rank_tol * max_all s`` count as zero."""
    Ms = op.forward(b)
    Us, ss, Vhs = [], [], []
    for M in Ms:
        U, s, Vh = np.linalg.svd(M)
        Us.append(U)
        ss.append(s)
        Vhs.append(Vh)
    smax = max(float(np.max(s, initial=0.0)) for s in ss)
    masks = [s > rank_tol * smax for s in ss]
    return BlockSVD(Ms, Us, ss, Vhs, masks)


def regularizer(op: FourierOperator, p: float, b: np.ndarray) -> float:
    """``R(b) = sum_k w_k sum_i s_i(M_k)^p``."""
    total = 0.0
    for g, M in zip(op.batches, op.forward(b)):
        s = np.abs(M[..., 0, 0]) if g.d == 1 else np.linalg.svd(M, compute_uv=False)
        sp = np.where(s > 0, s, 0.0) ** p if p > 0 else s
        total += float(np.sum(g.weights[:, None] * sp.reshape(g.weights.size, -1)))
    return total


def gamma_blocks(svd: BlockSVD, p: float) -> list[np.ndarray]:
    """``dR/dM_k / w_k``: ``2 M`` for ``p = 2``, else ``p U S^(p-1) V^H`` on the nonzero singular values."""
    if p == 2.0:
        return [2.0 * M for M in svd.M]
    out = []
    for U, s, Vh, m in zip(svd.U, svd.s, svd.Vh, svd.mask):
        scale = np.where(m, p * np.where(m, s, 1.0) ** (p - 1.0), 0.0)
        out.append(np.einsum("...ij,...j,...jk->...ik", U, scale, Vh))
    return out


def gradient(op: FourierOperator, p: float, b: np.ndarray, rank_tol: float) -> np.ndarray:
    """Gradient of ``R`` at ``b`` (for ``p <= 1``: on the manifold of fixed block ranks)."""
    svd = block_svd(op, b, rank_tol)
    G = gamma_blocks(svd, p)
    return op.adjoint([g.weights[:, None, None] * Gk for g, Gk in zip(op.batches, G)])


def tangent_projection(X: np.ndarray, U: np.ndarray, Vh: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Project ``X`` (``(..., k, d, d)``) on the tangent spaces of the fixed-rank manifolds.

    ``P_T(X) = P_U X + X P_V - P_U X P_V`` with ``P_U = U_r U_r^H``, ``P_V = V_r V_r^H`` (Vandereycken
    2013, fixed-rank matrix manifolds).
    """
    Um = U * mask[..., None, :]
    Vm = np.conj(np.swapaxes(Vh, -1, -2)) * mask[..., None, :]
    PU = Um @ np.conj(np.swapaxes(Um, -1, -2))
    PV = Vm @ np.conj(np.swapaxes(Vm, -1, -2))
    PUX = PU @ X
    return PUX + X @ PV - PUX @ PV


def vectorize(op: FourierOperator, blocks: list[np.ndarray], weighted: bool = True) -> np.ndarray:
    """Flatten blocks ``(..., k, d, d)`` to real vectors, scaled by ``sqrt(w_k)`` if ``weighted``.

    Real size groups contribute their real parts only; complex ones real and imaginary parts.
    """
    parts = []
    for g, M in zip(op.batches, blocks):
        if weighted:
            M = M * np.sqrt(g.weights)[:, None, None]
        lead = M.shape[:-3]
        parts.append(M.real.reshape(lead + (-1,)))
        if not g.real:
            parts.append(M.imag.reshape(lead + (-1,)))
    return np.concatenate(parts, axis=-1)


def unvectorize(op: FourierOperator, v: np.ndarray) -> list[np.ndarray]:
    """Inverse of ``vectorize(op, ., weighted=False)`` for one vector."""
    out, pos = [], 0
    for g in op.batches:
        size = g.weights.size * g.d * g.d
        re = v[pos : pos + size]
        pos += size
        if g.real:
            M = re.astype(complex)
        else:
            M = re + 1j * v[pos : pos + size]
            pos += size
        out.append(M.reshape(g.weights.size, g.d, g.d))
    return out


# -- KKT certificate ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KKTResult:
    """First-order stationarity certificate (see :func:`predictor_kkt_residual`).

    Attributes
    ----------
    residual : float
        ``||P_T(grad R - sum_n lambda_n y_n x_n)|| / ||grad R||`` at the rescaled ``beta``.
    multipliers : numpy.ndarray
        Best ``lambda >= 0`` (zero outside the active set), shape ``(N,)``.
    active : numpy.ndarray
        Indices of the active constraints.
    scale : float
        Minimum margin of the given ``beta`` (it was divided by this).
    ranks : numpy.ndarray
        Numerical rank of every block (support indicator for ``"lp"``/``"dft"``/``"transformed"``).
    normal_norm : float or None
        For ``p = 1``: the largest spectral norm of the normal parts (stationary iff ``<= 1`` as
        well); ``None`` otherwise.
    gradient_norm : float
        ``||grad R||`` (on the manifold) at the rescaled ``beta``.
    """

    residual: float
    multipliers: np.ndarray
    active: np.ndarray
    scale: float
    ranks: np.ndarray
    normal_norm: float | None
    gradient_norm: float


def kkt(op: FourierOperator, p: float, Zv: np.ndarray, b: np.ndarray, *, active_tol: float, rank_tol: float) -> KKTResult:
    """Relative residual of ``grad R(b) = sum_n lambda_n z_n`` (tangent part), best ``lambda >= 0``.

    ``b`` is first rescaled to minimum margin 1. In block space the condition reads
    ``Gamma = P_T((1/c) A Z^T lambda)`` with ``Gamma_k = dR/dM_k / w_k`` (see :func:`gamma_blocks`),
    measured in the ``w``-weighted Frobenius norm, which equals the Euclidean norm of the matching
    gradients in ``R^n`` (Plancherel). For ``p = 1`` the normal parts must also have spectral norm
    ``<= 1``; their largest spectral norm is returned as ``normal_norm``.
    """
    margins = Zv @ b
    scale = float(np.min(margins))
    if not scale > 0:
        raise NotSeparatedError(f"beta does not separate the data (min margin {scale:.3g} <= 0)")
    b = b / scale
    margins = margins / scale
    active = np.flatnonzero(margins <= 1.0 + active_tol)
    svd = block_svd(op, b, rank_tol)
    ranks = np.zeros(op.dims.size, dtype=int)
    for g, m in zip(op.batches, svd.mask):
        ranks[g.indices] = m.sum(axis=-1)
    G = gamma_blocks(svd, p)
    target = vectorize(op, G)
    gnorm = float(np.linalg.norm(target))
    data = [Xb / op.c for Xb in op.forward(Zv[active])]
    if p <= 1.0:
        proj = [tangent_projection(Xb, U[None], Vh[None], m[None]) for Xb, U, Vh, m in zip(data, svd.U, svd.Vh, svd.mask)]
    else:
        proj = data
    C = vectorize(op, proj).T
    try:
        lam_a, rnorm = nnls(C, target, maxiter=50 * max(C.shape[1], 1))
    except RuntimeError as exc:  # pragma: no cover - NNLS iteration limit
        raise BiasSolverError(f"NNLS for the KKT multipliers failed: {exc}") from exc
    lam = np.zeros(Zv.shape[0])
    lam[active] = lam_a
    normal = None
    if p == 1.0:
        normal = 0.0
        for Xb, Pb in zip(data, proj):
            Nk = np.tensordot(lam_a, Xb - Pb, axes=1)
            normal = max(normal, float(np.max(np.linalg.norm(Nk, ord=2, axis=(-2, -1)), initial=0.0)))
    # gradient norm in R^n: ||A^T W Gamma|| = sqrt(c) ||Gamma||_W
    return KKTResult(rnorm / gnorm, lam, active, scale, ranks, normal, gnorm * np.sqrt(op.c))


# -- least-distance programming (Lawson & Hanson 1974, ch. 23) ----------------------------------------------
def ldp(G: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``argmin ||x||_2 s.t. G x >= h`` and its multipliers ``mu >= 0`` (``x = G^T mu``).

    Solved exactly through the nonnegative least-squares problem ``min ||E u - f||, u >= 0`` with
    ``E = [G^T; h^T]`` and ``f = e_{n+1}`` (Lawson and Hanson, *Solving Least Squares Problems*,
    1974, ch. 23). Raises :class:`NotSeparatedError` if the constraints are infeasible.
    """
    m, n = G.shape
    E = np.vstack([G.T, h[None, :]])
    f = np.zeros(n + 1)
    f[-1] = 1.0
    try:
        u, _ = nnls(E, f, maxiter=50 * max(m, 10))
    except RuntimeError as exc:  # pragma: no cover - NNLS iteration limit
        raise BiasSolverError(f"NNLS in the least-distance program failed: {exc}") from exc
    r = E @ u - f
    if not r[-1] < -1e-12:
        raise NotSeparatedError("the data are not linearly separable through the origin")
    x = -r[:n] / r[-1]
    return x, u / (-r[-1])


def svm(Zv: np.ndarray) -> np.ndarray:
    """Hard-margin SVM through the origin, ``argmin ||b|| s.t. Zv b >= 1``, by :func:`ldp`."""
    b, _ = ldp(Zv, np.ones(Zv.shape[0]))
    return b


# -- iteratively reweighted least squares for p < 2 -------------------------------------------------------
def _inv_sqrt_weight(M: np.ndarray, eps: float, p: float) -> np.ndarray:
    """``(M^H M + eps I)^((1 - p/2)/2)`` for a stack of blocks."""
    H = np.conj(np.swapaxes(M, -1, -2)) @ M
    ev, V = np.linalg.eigh(H)
    f = (np.maximum(ev, 0.0) + eps) ** ((1.0 - p / 2.0) / 2.0)
    return (V * f[..., None, :]) @ np.conj(np.swapaxes(V, -1, -2))


def irls(
    op: FourierOperator,
    p: float,
    Zv: np.ndarray,
    b0: np.ndarray,
    *,
    max_iter: int = 300,
    eps0: float = 1e-2,
    eps_min: float = 1e-15,
    eps_decay: float = 0.5,
    tol: float = 1e-11,
) -> tuple[np.ndarray, int]:
    """Local minimization of ``R`` subject to ``Zv b >= 1`` by iteratively reweighted least squares.

    Majorize-minimize on the smoothed objective ``R_eps(b) = sum_k w_k tr((M_k^H M_k + eps I)^(p/2))``
    (concave in ``M^H M``, so its linearization is an upper bound): each step solves
    ``min sum_k w_k tr(W_k M_k^H M_k)`` with ``W_k = (M_k^H M_k + eps I)^(p/2 - 1)`` at the current
    iterate, subject to the margins (Mohan and Fazel 2012; Daubechies et al. 2010), while ``eps``
    decreases geometrically from ``eps0 * s_max^2`` to ``eps_min * s_max^2``. The weighted problem is
    the least-distance program ``min ||v|| s.t. <R^T z_n, v> >= 1`` with ``b = R v``,
    ``R = (1/c) A^T W^(1/2) W_eps^(-1/2)`` (``R R^T`` is the inverse of the weighted quadratic form,
    because ``W_eps`` preserves the image of ``A``), so only bounded powers of ``W_eps`` are formed.
    Returns the last iterate and the number of iterations.
    """
    data = op.forward(Zv)  # (N, k, d, d) per group
    sq = [np.sqrt(g.weights)[:, None, None] / op.c for g in op.batches]
    b = np.array(b0, dtype=float)
    ones = np.ones(Zv.shape[0])
    smax0 = None
    eps = 0.0
    it = 0
    for it in range(1, max_iter + 1):
        Ms = op.forward(b)
        smax = max(float(np.max(np.linalg.svd(M, compute_uv=False), initial=0.0)) for M in Ms)
        if smax0 is None:
            smax0 = max(smax, 1e-300)
            eps = eps0 * smax0**2
        Wh = [_inv_sqrt_weight(M, eps, p) for M in Ms]
        H = vectorize(op, [Xb * s[None] @ W[None] for Xb, s, W in zip(data, sq, Wh)], weighted=False)
        v, _ = ldp(H, ones)
        Vb = unvectorize(op, v)
        b_new = op.adjoint([s * Vk @ W for s, Vk, W in zip(sq, Vb, Wh)])
        change = np.linalg.norm(b_new - b) / max(np.linalg.norm(b_new), 1e-300)
        b = b_new
        at_floor = eps <= eps_min * smax0**2 * (1 + 1e-12)
        if at_floor and change < tol:
            break
        eps = max(eps * eps_decay, eps_min * smax0**2)
    return b, it


def truncate(op: FourierOperator, b: np.ndarray, rank_tol: float) -> np.ndarray:
    """Set singular values ``<= rank_tol * s_max`` to zero (block by block) and map back to ``R^n``."""
    svd = block_svd(op, b, rank_tol)
    blocks = [np.einsum("...ij,...j,...jk->...ik", U, np.where(m, s, 0.0), Vh) for U, s, Vh, m in zip(svd.U, svd.s, svd.Vh, svd.mask)]
    return op.inverse(blocks)
