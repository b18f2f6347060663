"""The levels of the chain FFT (:mod:`grouptools.fourier._chain`): the sparse matrix of one level
(:class:`Sparse`, applied by the kernel :func:`grouptools._kernels.chain.csr_apply`) and its
dense alternative for complex levels (:class:`DenseLevel`, one BLAS product per input irrep).

A level maps, for each prefix, the ``|T|`` transforms on ``G_{i-1}`` (blocks of the adapted irreps
``sigma``, row-major, in the flat layout of :meth:`FourierBlocks.flatten`) to the transform on
``G_i``: ``f_hat(rho) = sum_{t in T} rho(t) [ (+)_sigma f_t_hat(sigma) ]`` (Clausen, *Fast
generalized Fourier transforms*, Theoret. Comput. Sci. 1989; Maslen and Rockmore, *Separation of
variables and the computation of Fourier transforms on finite groups, I*, J. AMS 1997).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["DenseLevel", "Sparse", "ZERO_TOL", "flat_offsets", "level_ops"]

#: Entries of ``rho(t)`` below this (relative to 1) are dropped as exact zeros of the adapted basis.
ZERO_TOL = 1e-13


@dataclass(frozen=True, eq=False)
class Sparse:
    """A CSR matrix (``indptr``, ``indices``, ``values``) of shape ``(rows, cols)`` and its
    conjugate transpose (``adjoint``), for the forward and the inverse transform."""

    indptr: np.ndarray
    indices: np.ndarray
    values: np.ndarray
    shape: tuple[int, int]
    adjoint: Any = None

    @property
    def nnz(self) -> int:
        """Number of stored entries."""
        return int(self.indices.size)

    @staticmethod
    def build(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, shape: tuple[int, int], real: bool) -> Sparse:
        """The CSR matrix with these entries (duplicates summed) and its adjoint."""

        def csr(r: np.ndarray, c: np.ndarray, v: np.ndarray, sh: tuple[int, int]) -> tuple:
            order = np.lexsort((c, r))
            r, c, v = r[order], c[order], v[order]
            if r.size:
                key = r * sh[1] + c
                first = np.concatenate([[True], key[1:] != key[:-1]])
                v = np.add.reduceat(v, np.flatnonzero(first)) if not first.all() else v
                r, c = r[first], c[first]
            indptr = np.zeros(sh[0] + 1, np.int64)
            np.add.at(indptr, r + 1, 1)
            return np.cumsum(indptr), c.astype(np.int64), v

        vals = vals.real.astype(np.float64) if real else vals.astype(np.complex128)
        p, i, v = csr(rows, cols, vals, shape)
        pa, ia, va = csr(cols, rows, np.conj(vals), (shape[1], shape[0]))
        return Sparse(p, i, v, shape, Sparse(pa, ia, va, (shape[1], shape[0])))


def flat_offsets(dims: tuple[int, ...]) -> np.ndarray:
    return np.concatenate([[0], np.cumsum([d * d for d in dims])]).astype(np.int64)


def level_ops(dims: tuple, in_dims: tuple, branching: tuple, mats: list) -> tuple[list, bool]:
    """The sparse matrix of one level: entry ``(r, a, b) <- sum_t sum_c rho_r(t)[a, c] X_t(c, b)``
    for ``c`` in the diagonal block of ``b`` (``mats[r]`` is ``rho_r`` at the transversal)."""
    out_off, in_off = flat_offsets(dims), flat_offsets(in_dims)
    K_in = int(in_off[-1])
    nT = mats[0].shape[0]
    rows, cols, vals = [], [], []
    for r, d in enumerate(dims):
        R = mats[r]
        o = 0
        for s in branching[r]:
            e = in_dims[s]
            blk = R[:, :, o : o + e]  # rho(t)[a, c] for c in this block
            t, a, c = np.nonzero(np.abs(blk) > ZERO_TOL)
            if t.size:
                bb = np.arange(e)
                rows.append((out_off[r] + a[:, None] * d + o + bb[None, :]).ravel())
                cols.append((t[:, None] * K_in + in_off[s] + c[:, None] * e + bb[None, :]).ravel())
                vals.append(np.repeat(blk[t, a, c], e))
            o += e
    vals_all = np.concatenate(vals)
    real = bool(np.all(np.abs(np.imag(vals_all)) <= ZERO_TOL))
    M = Sparse.build(np.concatenate(rows), np.concatenate(cols), vals_all, (int(out_off[-1]), nT * K_in), real)
    return M, real


@dataclass(frozen=True, eq=False)
class DenseLevel:
    """A level applied by dense products (BLAS), one per input irrep ``sigma`` (degree ``e``, at
    ``in_off``): the rows ``rho_r(t)[:, o:o+e]`` of every block of ``sigma`` in every irrep ``r``
    stacked into ``R`` (``(sum d, |T| e)``), so ``Z = R X_t(sigma)`` gives all the blocks fed by
    ``sigma`` at once; ``groups`` holds ``(in_off, e, R, parts)`` with ``parts`` the
    ``(row, out_off, d, o)`` of each block (``row``: its first row in ``R``)."""

    groups: tuple
    cosets: int
    K_in: int
    K_out: int

    @property
    def nnz(self) -> int:
        """Multiply-adds per prefix: ``sum |T| d e^2``."""
        return int(sum(R.shape[0] * R.shape[1] * e for _, e, R, _ in self.groups))

    @staticmethod
    def build(dims: tuple, in_dims: tuple, branching: tuple, mats: list) -> DenseLevel:
        """From ``mats[r]``, ``rho_r`` at the transversal."""
        out_off, in_off = flat_offsets(dims), flat_offsets(in_dims)
        nT = int(mats[0].shape[0])
        by_sigma: dict[int, list] = {}
        for r, d in enumerate(dims):
            o = 0
            for s in branching[r]:
                e = in_dims[s]
                R = np.asarray(mats[r], np.complex128)[:, :, o : o + e].transpose(1, 0, 2).reshape(d, nT * e)
                by_sigma.setdefault(s, []).append((int(out_off[r]), d, o, R))
                o += e
        groups = []
        for s, blocks in sorted(by_sigma.items()):
            rows = np.concatenate([[0], np.cumsum([b[1] for b in blocks])])
            R = np.ascontiguousarray(np.concatenate([b[3] for b in blocks], axis=0))
            groups.append((int(in_off[s]), int(in_dims[s]), R, tuple((int(rows[i]), oo, d, o)
                                                                   for i, (oo, d, o, _) in enumerate(blocks))))
        return DenseLevel(tuple(groups), nT, int(in_off[-1]), int(out_off[-1]))

    def forward(self, X: np.ndarray) -> np.ndarray:
        """``X`` (P, |T| K_in, width) complex -> (P, K_out, width)."""
        P, W, nT = X.shape[0], X.shape[-1], self.cosets
        Xv = X.reshape(P, nT, self.K_in, W)
        Y = np.empty((P, self.K_out, W), X.dtype)
        for io, e, R, parts in self.groups:
            Xs = Xv[:, :, io : io + e * e, :].reshape(P, nT, e, e, W).transpose(1, 2, 0, 3, 4).reshape(nT * e, -1)
            Z = R @ Xs  # one BLAS product per input irrep: every block it feeds
            for row, oo, d, o in parts:
                Yb = Y[:, oo : oo + d * d, :].reshape(P, d, d, W)
                Yb[:, :, o : o + e, :] = Z[row : row + d].reshape(d, P, e, W).transpose(1, 0, 2, 3)
        return Y

    def adjoint(self, Y: np.ndarray) -> np.ndarray:
        """The adjoint of :meth:`forward`."""
        P, W, nT = Y.shape[0], Y.shape[-1], self.cosets
        X = np.empty((P, nT, self.K_in, W), Y.dtype)
        for io, e, R, parts in self.groups:
            Ys = np.empty((R.shape[0], P * e * W), Y.dtype)
            for row, oo, d, o in parts:
                Yb = Y[:, oo : oo + d * d, :].reshape(P, d, d, W)[:, :, o : o + e, :]
                Ys[row : row + d] = Yb.transpose(1, 0, 2, 3).reshape(d, -1)
            Z = R.conj().T @ Ys  # (|T| e, P e W)
            X[:, :, io : io + e * e, :] = Z.reshape(nT, e, P, e, W).transpose(2, 0, 1, 3, 4).reshape(P, nT, e * e, W)
        return X.reshape(P, nT * self.K_in, W)


