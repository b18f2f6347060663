"""The output step of the chain FFT (:mod:`._chain`): the blocks of the top level, stored
transposed, rotated to the bases of ``G.irreps()`` (``U X U^H``, :meth:`AdaptedIrreps.basis`) and
laid out as :meth:`FourierBlocks.flatten`; and its adjoint for the inverse. The plan ``p`` is a
:class:`grouptools.fourier._chain.ChainPlan` (its ``rotation_runs``, ``complex_rotations``, ``ones``
and ``transpose``).
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import numpy as np

__all__ = ["absorb", "blas_limit", "block_transpose", "emit", "rotated"]


def block_transpose(dims: tuple[int, ...]) -> np.ndarray:
    """The index map of :attr:`ChainPlan.transpose` (each ``d x d`` block transposed in place)."""
    if dims not in _TRANSPOSE:
        out = []
        o = 0
        for d in dims:
            out.append(o + np.arange(d * d).reshape(d, d).T.ravel())
            o += d * d
        _TRANSPOSE[dims] = np.concatenate(out).astype(np.int64)
    return _TRANSPOSE[dims]


_TRANSPOSE: dict = {}


def blas_limit() -> Any:
    """Single-threaded BLAS for the many small products of the levels and rotations: multithreaded
    OpenBLAS on matrices of a few dozen rows is slower, and pathologically so (50x measured) on
    a loaded machine."""
    if not _CONTROLLER:  # one controller per process: building one scans the loaded libraries
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - optional
            return nullcontext()
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1, user_api="blas")


_CONTROLLER: list = []


def rotated(left: Any, right: np.ndarray, x: np.ndarray, k: int, d: int, inverse: bool) -> np.ndarray:
    """``k`` stored transposes ``x`` (``(k d d, w)``, row ``(i, j, a)`` holding entry ``(a, j)``)
    rotated to the bases of ``G.irreps()``, ``U X U^H``, as ``conj(U) (U X)^T`` (the left factor
    only where not folded into the top level; ``inverse``: the adjoint steps, back); returns
    ``(k, d, d, w)``, again transposes. Real ``U`` on complex blocks run as real products on the
    float views."""
    w = x.shape[1]
    view = np.iscomplexobj(x) and not np.iscomplexobj(right) and (left is None or not np.iscomplexobj(left))
    if view:
        x = np.ascontiguousarray(x).view(np.float64)
    wv = x.shape[1]
    if not inverse:
        if left is not None:  # (U X)^T = X^T U^T: per column j of X, U on the rows a
            x = _left(left, x, k, d, wv)
        x = x.reshape(k, d, d * wv)
        z = np.matmul(right, x.astype(np.result_type(right, x), copy=False))  # BLAS wants one dtype
    else:
        x = x.reshape(k, d, d * wv)
        z = np.matmul(np.conj(np.swapaxes(right, 1, 2)), x.astype(np.result_type(right, x), copy=False))
        if left is not None:
            z = _left(np.conj(np.swapaxes(left, 1, 2)), z, k, d, wv)
    z = np.ascontiguousarray(z).reshape(k, d, d, wv)
    return z.view(np.complex128) if view else z


def _left(U: np.ndarray, x: np.ndarray, k: int, d: int, w: int) -> np.ndarray:
    """``U_i`` on the rows ``a`` of the ``k`` stored transposes ``x[i, j, a, :]``: one BLAS product
    per irrep on a transposed copy (a broadcast ``matmul`` runs without BLAS)."""
    xt = np.ascontiguousarray(x.reshape(k, d, d, w).transpose(0, 2, 1, 3))
    if np.iscomplexobj(U) and not np.iscomplexobj(x):  # complex U on real data: one real product
        zz = np.matmul(np.concatenate([U.real, U.imag], axis=1), xt.reshape(k, d, d * w))
        z = np.empty((k, d, d * w), np.complex128)
        z.real, z.imag = zz[:, :d], zz[:, d:]
    else:
        z = np.matmul(U, xt.reshape(k, d, d * w).astype(np.result_type(U, x), copy=False))
    return z.reshape(k, d, d, w).transpose(0, 2, 1, 3)


def emit(p: Any, Y: np.ndarray, rotate: bool) -> np.ndarray:
    """The top level's output ``(|G|, w)`` (blocks stored transposed) as the flat blocks
    ``(w, |G|)`` complex of :meth:`FourierBlocks.flatten`, rotated to the bases of ``G.irreps()``
    (``rotate``) first: one product per run of irreps, written into one array, then one gather
    (:attr:`ChainPlan.transpose`).

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.fourier._chain import plan
    >>> P = plan(gt.symmetric(3))
    >>> Y = np.random.default_rng(0).normal(size=(6, 4))
    >>> bool(np.allclose(absorb(P, emit(P, Y, True), True), Y))
    True
    """
    if rotate and p.rotation_runs:
        Z = np.empty(Y.shape, np.complex128 if np.iscomplexobj(Y) or p.complex_rotations else Y.dtype)
        Z[p.ones] = Y[p.ones]
        for o, d, k, left, right in p.rotation_runs:
            Z[o : o + k * d * d] = rotated(left, right, Y[o : o + k * d * d], k, d, False).reshape(k * d * d, -1)
        Y = Z
    return Y.T[:, p.transpose].astype(np.complex128, copy=False)


def absorb(p: Any, flat: np.ndarray, rotate: bool) -> np.ndarray:
    """The adjoint of :func:`emit`: flat blocks ``(w, |G|)`` to the top level's layout ``(|G|, w)``."""
    Z = flat.T[p.transpose]
    if rotate:
        for o, d, k, left, right in p.rotation_runs:
            Z[o : o + k * d * d] = rotated(left, right, Z[o : o + k * d * d], k, d, True).reshape(k * d * d, -1)
    return Z
