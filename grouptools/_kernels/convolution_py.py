"""Pure-Python (numpy) twins of the numba kernels in :mod:`grouptools._kernels.convolution`.

Same signatures, same results (up to floating-point summation order); the tests run both. They
are also the fallback the library would use if numba were unavailable, and document the kernels
in plain array code.

Examples
--------
>>> import numpy as np
>>> import grouptools as gt
>>> from grouptools._kernels import convolution_py as K
>>> G = gt.cyclic(4)
>>> f = np.array([[1.0], [0.0], [0.0], [0.0]])       # delta at the identity, as a column
>>> out = np.zeros((4, 1))
>>> K.conv_direct(np.asarray(G.cayley_table), np.array([1]), np.array([2.0]), f, out)[:, 0]
array([0., 0., 0., 2.])

``out[u] = sum_e f[T[u, vidx[e]]] wval[e]``: row ``u`` reads ``f(u v)`` for the listed ``v``. With
``wval[e] = w(vidx[e])`` this is the G-correlation ``sum_h w(h) f(u h)``, with
``wval[e] = w(vidx[e]^-1)`` the convolution ``sum_v f(u v^-1) w(v)``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["conv_direct", "conv_direct_channels", "clifford_forward", "clifford_inverse"]


def conv_direct(table, vidx, wval, ft, out):
    """Twin of :func:`grouptools._kernels.convolution.conv_direct`: one gather of ``(|G|, batch)`` per filter entry."""
    out[...] = 0
    for e in range(len(vidx)):
        out += ft[table[:, vidx[e]]] * wval[e]
    return out


def conv_direct_channels(table, vidx, wmat, ft, out):
    """Twin of :func:`grouptools._kernels.convolution.conv_direct_channels`."""
    out[...] = 0
    for e in range(len(vidx)):
        out += ft[table[:, vidx[e]]] @ wmat[e]
    return out


def _rows(ptr, tt, jj, val, row):
    sl = slice(int(ptr[row]), int(ptr[row + 1]))
    return tt[sl], jj[sl], val[sl]


def clifford_forward(spec, rpos, rconj, ptr, tt, jj, val, out):
    """Twin of :func:`grouptools._kernels.convolution.clifford_forward` (vectorized over the batch)."""
    nr, d = rpos.shape
    nb = spec.shape[0]
    for r in range(nr):
        m = np.zeros((nb, d, d), np.complex128)
        for i in range(d):
            t_, j_, v_ = _rows(ptr, tt, jj, val, r * d + i)
            vals = spec[:, t_, rpos[r, i]]  # (B, nnz)
            if rconj[r, i]:
                vals = np.conj(vals)
            np.add.at(m, (slice(None), i, j_), vals * v_[None, :])
        out[:, r] = m
    return out


def clifford_inverse(blocks, ptr, tt, jj, val, q1, c1, q2, c2, w, out):
    """Twin of :func:`grouptools._kernels.convolution.clifford_inverse` (vectorized over the batch)."""
    nb, nr, d, _ = blocks.shape
    nt = out.shape[1]
    for r in range(nr):
        m = blocks[:, r]
        for i in range(d):
            t_, j_, v_ = _rows(ptr, tt, jj, val, r * d + i)
            v = np.zeros((nb, nt), np.complex128)
            np.add.at(v, (slice(None), t_), m[:, i, j_] * np.conj(v_)[None, :])
            touched = np.unique(t_)
            x = v[:, touched]
            if q1[r, i] >= 0:
                out[:, touched, q1[r, i]] += w[r] * (np.conj(x) if c1[r, i] else x)
            if q2[r, i] >= 0:
                out[:, touched, q2[r, i]] += w[r] * (np.conj(x) if c2[r, i] else x)
    return out
