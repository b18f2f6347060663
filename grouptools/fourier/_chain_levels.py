"""The levels of the chain FFT (:mod:`grouptools.fourier._chain`) and the layout they run on.

A level maps, for each prefix, the ``|T|`` transforms on ``G_{i-1}`` to the transform on ``G_i``:
``f_hat(rho) = sum_{t in T} rho(t) [ (+)_sigma f_t_hat(sigma) ]`` (Clausen, *Fast generalized
Fourier transforms*, Theoret. Comput. Sci. 1989; Maslen and Rockmore, *Separation of variables
and the computation of Fourier transforms on finite groups, I*, J. AMS 1997). For the block of
``rho`` (degree ``d``) fed by ``sigma`` (degree ``e``, at columns ``o .. o+e``) this is the product
``R X`` of ``R[a, (t, c)] = rho(t)[a, o + c]`` (``d x |T| e``) with the stacked blocks ``X_t(sigma)``:
the column index of ``sigma`` rides along unchanged.

**Layout.** The data of level ``i`` is one 2-D array ``(|G_i| T', L')``, ``T' = |T_{i+1}|`` and
``L' = (|G| / |G_{i+1}|) batch``: each row is a contiguous vector over the prefixes of the next
level and the batch. The rows run over ``(sigma, column j, t, row c, t')``, so for a fixed
``sigma`` the stack ``X`` is ``e`` (one per column ``j``) times ``T'`` matrices ``(|T| e, L')`` at a
row stride of ``T' L'``, and the block of ``rho`` is written as rows ``(rho, column, t', row)``,
which is the next level's input without any copy (the column index outermost: each block is
stored transposed). A level is then either a handful of BLAS products per block
(:class:`DenseLevel`, ``numpy.matmul`` on strided views) or one sparse kernel over the long rows
(:class:`Sparse`, :func:`grouptools._kernels.chain.csr_rows`) where most entries of the ``rho(t)``
are zero (Young's orthogonal form).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._kernels._function import choose_plain
from .._kernels.chain import csr_rows
from .._kernels.convolution import threads_for

__all__ = ["DenseLevel", "Sparse", "ZERO_TOL", "as_dtype_of", "flat_offsets", "level_blocks"]

#: Entries of ``rho(t)`` below this (relative to 1) are dropped as exact zeros of the adapted basis.
ZERO_TOL = 1e-13


def flat_offsets(dims: tuple[int, ...]) -> np.ndarray:
    """``0, d_0^2, d_0^2 + d_1^2, ...``: where each block starts in a flat vector of blocks."""
    return np.concatenate([[0], np.cumsum([d * d for d in dims])]).astype(np.int64)


def level_blocks(dims: tuple, in_dims: tuple, branching: tuple, mats: list, left: list | None = None) -> list:
    """The blocks of one level: ``(r, s, o, R)`` with ``R[a, (t, c)] = (U_r rho_r(t))[a, o + c]``
    (``d x |T| e``) for each irrep ``r`` of the level and each irrep ``s`` (at columns ``o``) on the
    diagonal of its restriction; ``mats[r]`` is ``rho_r`` at the transversal, ``left[r]`` an
    optional ``U_r`` folded into the rows (the rotation of the top level to ``G.irreps()``)."""
    nT = int(mats[0].shape[0])
    out = []
    for r, d in enumerate(dims):
        M = np.asarray(mats[r])
        if left is not None and left[r] is not None:
            M = np.einsum("ab,tbc->tac", left[r], M)
        o = 0
        for s in branching[r]:
            e = in_dims[s]
            out.append((r, s, o, np.ascontiguousarray(M[:, :, o : o + e].transpose(1, 0, 2).reshape(d, nT * e))))
            o += e
    return out


def _real(R: np.ndarray) -> bool:
    return bool(np.all(np.abs(np.imag(R)) <= ZERO_TOL))


def as_dtype_of(X: np.ndarray, real: bool) -> tuple[np.ndarray, bool]:
    """``X`` ready for a level with real (``real``) or complex matrices: complex data for complex
    matrices (cast), float views of complex data for real ones. Returns the array to compute on
    and whether it is such a float view of complex data."""
    if not real:
        return X.astype(np.complex128, copy=False), False
    if np.iscomplexobj(X):
        return X.view(np.float64), True
    return X, False


@dataclass(frozen=True, eq=False)
class DenseLevel:
    """A level applied as BLAS products (``numpy.matmul`` on strided views of the layout), one per
    run of consecutive input irreps ``s`` of one degree ``e``: for each ``s`` the rows ``R`` of
    every block fed by ``s`` stacked (``(H, |T| e)``, ``H = |T| e`` by Frobenius reciprocity, so
    the ``k`` irreps of a run stack to ``(k, H, |T| e)``) times the ``e T'`` matrices
    ``(|T| e, L')`` of each ``s``, one pass over the input; the ``k e T' H`` result rows go to
    their rows of the output with one fancy-indexed copy (written in place when the run is one
    ``s`` feeding one block). Real input to complex matrices runs as one real product with
    ``[Re R; Im R]``, the rows of the real blocks without their zero imaginary parts.

    ``groups`` holds ``(in_start, e, R, RH, R_split, dest, direct, dest_imag)``: the row offset of
    the run in the input, ``R`` ``(k, H, |T| e)``, ``RH = R^H`` for the adjoint, the stacked
    ``[Re R; Im R[imag]]`` over the rows ``imag`` of ``R`` that have an imaginary part (``None``
    for a real level), the output row of each result row (``dest``, in the order
    ``(s, j, t', row)``), for a single block its ``(out_start, d, o)`` (``direct``), and the
    output rows of the imaginary results (``dest_imag``).
    """

    groups: tuple
    cosets: int
    copies: int
    size: int
    real: bool

    @property
    def nnz(self) -> int:
        """Multiply-adds per prefix: ``sum |T| d e^2`` over the blocks."""
        return int(sum(g[2].size * g[1] for g in self.groups))

    @property
    def split_nnz(self) -> int:
        """Real multiply-adds per prefix of the real product of real input (:attr:`nnz` for a
        real level; the rows of ``[Re R; Im R]`` with an imaginary part for a complex one)."""
        if self.real:
            return self.nnz
        return int(sum(g[4].size * g[1] for g in self.groups))

    @staticmethod
    def build(dims: tuple, in_dims: tuple, blocks: list, copies: int) -> DenseLevel:
        """From :func:`level_blocks`; ``copies`` is ``T'`` (1 at the top)."""
        out_off, in_off = flat_offsets(dims), flat_offsets(in_dims)
        nT = blocks[0][3].shape[1] // in_dims[blocks[0][1]]
        real = all(_real(R) for *_, R in blocks)
        by_s: dict[int, list] = {}
        for r, s, o, R in blocks:
            by_s.setdefault(s, []).append((r, o, R))
        runs: list[list[int]] = []
        for s in sorted(by_s):
            if runs and in_dims[runs[-1][-1]] == in_dims[s] and runs[-1][-1] == s - 1:
                runs[-1].append(s)
            else:
                runs.append([s])
        groups = []
        for run in runs:
            e = int(in_dims[run[0]])
            Rs, dests = [], []
            for s in run:
                part = by_s[s]
                R = np.concatenate([b[2] for b in part], axis=0)
                Rs.append(np.ascontiguousarray(R.real) if real else np.asarray(R, np.complex128))
                j, tp = np.arange(e)[:, None, None], np.arange(copies)[None, :, None]
                dests.append(np.concatenate([out_off[r] * copies + (o + j) * copies * dims[r] + tp * dims[r]
                                             + np.arange(dims[r])[None, None, :] for r, o, _ in part], axis=2).ravel())
            R = np.ascontiguousarray(np.stack(Rs))
            dest = np.concatenate(dests).astype(np.int64)
            imag = None if real else np.flatnonzero(np.abs(R.imag).max(axis=(0, 2)) > ZERO_TOL)
            split = None if real else np.ascontiguousarray(np.concatenate([R.real, R.imag[:, imag]], axis=1))
            dest_imag = None if real else dest.reshape(len(run), e, copies, R.shape[1])[..., imag].ravel()
            part = by_s[run[0]]
            direct = (int(out_off[part[0][0]]) * copies, int(dims[part[0][0]]), int(part[0][1])) \
                if len(run) == 1 and len(part) == 1 else None
            groups.append((int(in_off[run[0]]) * nT * copies, e, R, np.ascontiguousarray(np.conj(np.swapaxes(R, 1, 2))),
                           split, dest, direct, dest_imag))
        return DenseLevel(tuple(groups), int(nT), int(copies), int(out_off[-1]), real)

    def _input(self, X: np.ndarray, ins: int, e: int, k: int) -> np.ndarray:
        nT, cp, L = self.cosets, self.copies, X.shape[1]
        return X[ins : ins + k * nT * e * e * cp].reshape(k, e, nT * e, cp, L).transpose(0, 1, 3, 2, 4)

    def _direct(self, Y: np.ndarray, direct: tuple, e: int) -> np.ndarray:
        outs, d, o = direct
        return Y[outs : outs + d * d * self.copies].reshape(1, d, self.copies, d, Y.shape[1])[:, o : o + e]

    def forward(self, X: np.ndarray) -> np.ndarray:
        """``X`` (``|G_i| T'``, ``L'``) -> the level's output of the same shape."""
        split = not self.real and not np.iscomplexobj(X)
        if split:
            Xw, view = X, False
            Y = np.empty(X.shape, np.complex128)
            Yf = Y.view(np.float64).reshape(X.shape[0], X.shape[1], 2)
        else:
            Xw, view = as_dtype_of(X, self.real)
            Y = np.empty_like(Xw)
        L = Xw.shape[1]
        for ins, e, R, _, R2, dest, direct, dest_imag in self.groups:
            k, h = R.shape[0], R.shape[1]
            Xv = self._input(Xw, ins, e, k)
            if split:
                Z = np.matmul(R2[:, None, None], Xv)  # (k, e, T', h + rows with an imaginary part, L)
                Yf[dest, :, 0] = Z[..., :h, :].reshape(-1, L)
                Yf[dest, :, 1] = 0.0
                Yf[dest_imag, :, 1] = Z[..., h:, :].reshape(-1, L)
            elif direct is not None:
                np.matmul(R[:, None, None], Xv, out=self._direct(Y, direct, e))
            else:
                Y[dest] = np.matmul(R[:, None, None], Xv).reshape(-1, L)
        return Y.view(np.complex128) if view else Y

    def adjoint(self, Y: np.ndarray) -> np.ndarray:
        """The adjoint of :meth:`forward`."""
        Yw, view = as_dtype_of(Y, self.real)
        X = np.empty_like(Yw)
        L = Yw.shape[1]
        for ins, e, R, RH, _, dest, direct, _ in self.groups:
            k = R.shape[0]
            if direct is not None:
                Z = self._direct(Yw, direct, e)
            else:
                Z = Yw[dest].reshape(k, e, self.copies, -1, L)
            np.matmul(RH[:, None, None], Z, out=self._input(X, ins, e, k))
        return X.view(np.complex128) if view else X


@dataclass(frozen=True, eq=False)
class Sparse:
    """A level as a CSR matrix over the rows of the layout (exact zeros of the ``rho(t)`` dropped),
    applied by :func:`grouptools._kernels.chain.csr_rows`; ``adjoint`` is the conjugate transpose
    (a :class:`Sparse` itself)."""

    indptr: np.ndarray
    sbase: np.ndarray
    sstep: np.ndarray
    values: np.ndarray
    dbase: np.ndarray
    dstep: np.ndarray
    copies: int
    adjoint: Sparse | None = None

    @property
    def nnz(self) -> int:
        """Multiply-adds per prefix (stored entries)."""
        return int(self.values.size)

    @property
    def real(self) -> bool:
        """Whether the entries are real."""
        return self.values.dtype == np.float64

    @staticmethod
    def build(dims: tuple, in_dims: tuple, blocks: list, copies: int) -> Sparse:
        """From :func:`level_blocks`; ``copies`` is ``T'``."""
        out_off, in_off = flat_offsets(dims), flat_offsets(in_dims)
        nT = blocks[0][3].shape[1] // in_dims[blocks[0][1]]
        rows, cols, vals = [], [], []
        for r, s, o, R in blocks:
            d, e = R.shape[0], in_dims[s]
            a, k = np.nonzero(np.abs(R) > ZERO_TOL)
            t, c = k // e, k % e
            j = np.arange(e)
            # output row (r, column o + j, row a); input row (s, column j, t, row c)
            rows.append((out_off[r] + (o + j[None, :]) * d + a[:, None]).ravel())
            cols.append((nT * in_off[s] + j[None, :] * nT * e + (t * e + c)[:, None]).ravel())
            vals.append(np.repeat(R[a, k], e))
        r_, c_, v_ = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
        real = _real(v_)
        v_ = v_.real.astype(np.float64) if real else v_.astype(np.complex128)
        n = int(out_off[-1])
        # destination rows: output (r, j, a) -> r's start * T' + j T' d + a, step d; input rows -> i T', step 1
        rdeg = np.repeat(np.asarray(dims, np.int64), [d * d for d in dims])
        local = np.arange(n) - np.repeat(out_off[:-1], [d * d for d in dims])
        out_base = np.repeat(out_off[:-1], [d * d for d in dims]) * copies + (local // rdeg) * copies * rdeg + local % rdeg
        fwd = _csr(r_, c_ * copies, np.ones_like(c_), v_, out_base, rdeg, n, copies)
        adj = _csr(c_, out_base[r_], rdeg[r_], np.conj(v_), np.arange(n, dtype=np.int64) * copies,
                   np.ones(n, np.int64), n, copies)
        return Sparse(*fwd, copies, Sparse(*adj, copies))

    def apply(self, X: np.ndarray) -> np.ndarray:
        """``X`` (``|G_i| T'``, ``L'``) -> the level's output (or, on :attr:`adjoint`, back)."""
        Xw, view = as_dtype_of(X, self.real)
        Y = np.empty_like(Xw)
        args = (self.indptr, self.sbase, self.sstep, self.values, self.dbase, self.dstep, self.copies, Xw, Y)
        work = self.nnz * Xw.shape[1] * self.copies
        if choose_plain(work):
            csr_rows.py(*args)
        else:
            with threads_for(work):
                csr_rows(*args)
        return Y.view(np.complex128) if view else Y

    def forward(self, X: np.ndarray) -> np.ndarray:
        """The level (as :meth:`DenseLevel.forward`)."""
        return self.apply(X)


def _csr(rows: np.ndarray, sbase: np.ndarray, sstep: np.ndarray, vals: np.ndarray, dbase: np.ndarray,
         dstep: np.ndarray, n: int, copies: int) -> tuple:
    """CSR arrays (rows ``0..n-1``, entries sorted by row) and the per-row destination bases."""
    order = np.argsort(rows, kind="stable")
    indptr = np.zeros(n + 1, np.int64)
    np.add.at(indptr, rows + 1, 1)
    return (np.cumsum(indptr), np.asarray(sbase, np.int64)[order], np.asarray(sstep, np.int64)[order], vals[order],
            np.asarray(dbase, np.int64), np.asarray(dstep, np.int64))
