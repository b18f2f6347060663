"""Kernel of the level-by-level FFT over a subgroup chain (:mod:`grouptools.fourier._solvable`).

A transform along a chain ``1 = G_0 < G_1 < ... < G_n = G`` is a product of sparse levels: level
``l`` maps a vector of length ``|G|``, cut into contiguous blocks of length ``K_l = |G_l|`` (one
per coset of ``G_l``), block by block with one sparse ``K_l x K_l`` matrix (CSR). All levels run
on one function at a time, ping-ponging between two buffers of length ``|G|`` that stay in cache
(the Clausen-Baum scheme, *Fast Fourier Transforms*, 1993: every level reads and writes the
whole vector once). Parallel over the batch (``prange``); each thread writes its own rows.

The input is gathered (``buf[i] = x[b, gather[i]]``) and the output scattered
(``out[b, scatter[i]] = buf[i]``), which puts the group elements into the chain's order and back.
"""

from __future__ import annotations

import numpy as np

from ._function import kernel, prange

__all__ = ["CACHE_ROWS", "apply_levels", "level_rows"]

#: Rows (of eight complex numbers, 128 bytes) a block may have to run through several levels
#: in cache: 1024 rows, 128 kB for the source and the destination.
CACHE_ROWS = 1024


@kernel
def level_rows(src, dst, segptr, indices, vre, vim, start, k, lo, hi):
    """One level on the blocks ``lo, lo + k, ..., hi - k`` of ``src`` ``(n, 16)`` (the real parts of
    eight functions, then their imaginary parts), into ``dst``: the sums of a row in sixteen scalar
    accumulators (written out: the compiler keeps them in registers; an accumulator array or a
    row view is two to three times slower).

    Examples
    --------
    >>> import numpy as np
    >>> src = np.zeros((2, 16)); src[:, 0] = [1.0, 2.0]
    >>> segptr = np.array([0, 2, 2, 2, 3, 4, 4])    # row 0: +x0 +x1; row 1: +x0 -x1
    >>> dst = np.zeros((2, 16))
    >>> level_rows.py(src, dst, segptr, np.array([0, 1, 0, 1]), np.ones(4), np.zeros(4), 0, 2, 0, 2)[:, 0]
    array([ 3., -1.])
    """
    for base in range(lo, hi, k):
        for r in range(k):
            row = base + r
            q = start + 3 * r
            ar0 = 0.0
            ai0 = 0.0
            ar1 = 0.0
            ai1 = 0.0
            ar2 = 0.0
            ai2 = 0.0
            ar3 = 0.0
            ai3 = 0.0
            ar4 = 0.0
            ai4 = 0.0
            ar5 = 0.0
            ai5 = 0.0
            ar6 = 0.0
            ai6 = 0.0
            ar7 = 0.0
            ai7 = 0.0
            for e in range(segptr[q], segptr[q + 1]):
                c = base + indices[e]
                ar0 += src[c, 0]
                ai0 += src[c, 8 + 0]
                ar1 += src[c, 1]
                ai1 += src[c, 8 + 1]
                ar2 += src[c, 2]
                ai2 += src[c, 8 + 2]
                ar3 += src[c, 3]
                ai3 += src[c, 8 + 3]
                ar4 += src[c, 4]
                ai4 += src[c, 8 + 4]
                ar5 += src[c, 5]
                ai5 += src[c, 8 + 5]
                ar6 += src[c, 6]
                ai6 += src[c, 8 + 6]
                ar7 += src[c, 7]
                ai7 += src[c, 8 + 7]
            for e in range(segptr[q + 1], segptr[q + 2]):
                c = base + indices[e]
                ar0 -= src[c, 0]
                ai0 -= src[c, 8 + 0]
                ar1 -= src[c, 1]
                ai1 -= src[c, 8 + 1]
                ar2 -= src[c, 2]
                ai2 -= src[c, 8 + 2]
                ar3 -= src[c, 3]
                ai3 -= src[c, 8 + 3]
                ar4 -= src[c, 4]
                ai4 -= src[c, 8 + 4]
                ar5 -= src[c, 5]
                ai5 -= src[c, 8 + 5]
                ar6 -= src[c, 6]
                ai6 -= src[c, 8 + 6]
                ar7 -= src[c, 7]
                ai7 -= src[c, 8 + 7]
            for e in range(segptr[q + 2], segptr[q + 3]):
                c = base + indices[e]
                wr = vre[e]
                wi = vim[e]
                ar0 += wr * src[c, 0] - wi * src[c, 8 + 0]
                ai0 += wr * src[c, 8 + 0] + wi * src[c, 0]
                ar1 += wr * src[c, 1] - wi * src[c, 8 + 1]
                ai1 += wr * src[c, 8 + 1] + wi * src[c, 1]
                ar2 += wr * src[c, 2] - wi * src[c, 8 + 2]
                ai2 += wr * src[c, 8 + 2] + wi * src[c, 2]
                ar3 += wr * src[c, 3] - wi * src[c, 8 + 3]
                ai3 += wr * src[c, 8 + 3] + wi * src[c, 3]
                ar4 += wr * src[c, 4] - wi * src[c, 8 + 4]
                ai4 += wr * src[c, 8 + 4] + wi * src[c, 4]
                ar5 += wr * src[c, 5] - wi * src[c, 8 + 5]
                ai5 += wr * src[c, 8 + 5] + wi * src[c, 5]
                ar6 += wr * src[c, 6] - wi * src[c, 8 + 6]
                ai6 += wr * src[c, 8 + 6] + wi * src[c, 6]
                ar7 += wr * src[c, 7] - wi * src[c, 8 + 7]
                ai7 += wr * src[c, 8 + 7] + wi * src[c, 7]
            dst[row, 0] = ar0
            dst[row, 8] = ai0
            dst[row, 1] = ar1
            dst[row, 9] = ai1
            dst[row, 2] = ar2
            dst[row, 10] = ai2
            dst[row, 3] = ar3
            dst[row, 11] = ai3
            dst[row, 4] = ar4
            dst[row, 12] = ai4
            dst[row, 5] = ar5
            dst[row, 13] = ai5
            dst[row, 6] = ar6
            dst[row, 14] = ai6
            dst[row, 7] = ar7
            dst[row, 15] = ai7
    return dst


@kernel(parallel=True)
def apply_levels(x, gather, segptr, indices, values, level_start, block, scatter, out, cache_rows):
    """Apply the levels ``l = 0, 1, ...`` to every row of ``x``, writing ``out``.

    Row ``r`` of level ``l`` has three segments of entries, ``q = level_start[l] + 3 r``:
    ``segptr[q] .. segptr[q + 1]`` with coefficient ``+1``, then ``-1``, then ``values[e]``
    (offsets into ``indices``/``values`` are absolute). The level is applied to each of the
    ``N // block[l]`` blocks of length ``block[l]``. Eight functions are processed side by side
    (the innermost axis), real and imaginary parts apart (numba's complex product checks for
    infinities) (:func:`level_rows`). The leading levels with ``block[l] <= cache_rows`` run one
    block (the largest of theirs) at a time, through all of them, while it is in cache.

    Examples
    --------
    >>> import numpy as np
    >>> # one level: the butterfly [[1, 1], [1, -1]] on blocks of length 2
    >>> segptr = np.array([0, 2, 2, 2, 3, 4, 4])  # row 0: +x0 +x1; row 1: +x0 -x1
    >>> indices, values = np.array([0, 1, 0, 1]), np.ones(4, np.complex128)
    >>> x = np.array([[1.0, 2.0, 3.0, 5.0]])
    >>> out = np.zeros((1, 4), np.complex128)
    >>> ident = np.arange(4)
    >>> apply_levels.py(x, ident, segptr, indices, values, np.array([0]), np.array([2]), ident, out, 1024).real
    array([[ 3., -1.,  8., -2.]])
    """
    nb = x.shape[0]
    n = gather.shape[0]
    nlev = block.shape[0]
    vre = values.real.copy()
    vim = values.imag.copy()
    inner = 0  # the leading levels whose blocks fit in cache run block by block
    outer = 1  # the largest of their blocks (the blocks are orders along a chain: each divides it)
    while inner < nlev and block[inner] <= cache_rows:
        outer = max(outer, block[inner])
        inner += 1
    for chunk in prange((nb + 7) // 8):
        b0 = chunk * 8
        w = min(8, nb - b0)
        bufs = np.zeros((2, n, 16))  # columns: real parts of the 8 functions, then imaginary parts
        for lane in range(w):  # one function at a time: its row of x stays in cache
            for i in range(n):
                v = x[b0 + lane, gather[i]]
                bufs[0, i, lane] = v.real
                bufs[0, i, 8 + lane] = v.imag
        if inner > 0:
            for lo in range(0, n, outer):
                for lev in range(inner):
                    level_rows(bufs[lev % 2], bufs[1 - lev % 2], segptr, indices, vre, vim,
                               level_start[lev], block[lev], lo, lo + outer)
        for lev in range(inner, nlev):
            level_rows(bufs[lev % 2], bufs[1 - lev % 2], segptr, indices, vre, vim, level_start[lev], block[lev], 0, n)
        res = bufs[nlev % 2]
        for lane in range(w):
            for i in range(n):
                out[b0 + lane, scatter[i]] = res[i, lane] + 1j * res[i, 8 + lane]
    return out
