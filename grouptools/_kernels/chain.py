"""Kernel of the chain FFT (:mod:`grouptools.fourier._chain`): one sparse level applied to long rows.

A level of the separation-of-variables FFT is a sparse linear map between the rows of two 2-D
arrays ``(rows, L)`` whose rows are long contiguous vectors (the prefixes of the next level and
the batch, ``L = P' x batch``). The map is the same for each of ``T'`` interleaved copies: CSR
row ``i`` writes the destination rows ``dbase[i] + t * dstep[i]`` (``t < T'``) from the source rows
``sbase[e] + t * sstep[e]`` of its entries ``e``. Real matrices act on complex data viewed as
interleaved floats (``L`` doubled), so one real kernel serves both. Parallel over the
``rows x T'`` destination rows (``prange``); each is written by exactly one iteration.
"""

from __future__ import annotations

from ._function import kernel, prange

__all__ = ["csr_rows"]


@kernel(parallel=True)
def csr_rows(indptr, sbase, sstep, values, dbase, dstep, copies, src, dst):
    """``dst[dbase[i] + t dstep[i], :] = sum_e values[e] * src[sbase[e] + t sstep[e], :]`` over the
    entries ``e`` of CSR row ``i``, for every row ``i`` and ``t < copies`` (rows without entries
    become 0).

    Examples
    --------
    >>> import numpy as np
    >>> indptr = np.array([0, 1, 3])                          # row 0: 2 x0; row 1: x0 - x1
    >>> sbase, sstep = np.array([1, 0, 1]), np.array([2, 2, 2])
    >>> values = np.array([2.0, 1.0, -1.0])
    >>> dbase, dstep = np.array([0, 1]), np.array([2, 2])
    >>> src = np.arange(4.0).reshape(4, 1)                    # copy t: (x0, x1) at rows 2t, 2t + 1
    >>> csr_rows.py(indptr, sbase, sstep, values, dbase, dstep, 2, src, np.zeros((4, 1)))[:, 0]
    array([ 2., -1.,  6., -1.])
    """
    R = indptr.shape[0] - 1
    L = src.shape[1]
    for q in prange(R * copies):
        i = q // copies
        t = q - i * copies
        out = dst[dbase[i] + t * dstep[i]]  # 1-D rows: numba vectorizes these loops, not 2-D indexing
        for b in range(L):
            out[b] = 0
        for e in range(indptr[i], indptr[i + 1]):
            x = src[sbase[e] + t * sstep[e]]
            v = values[e]
            for b in range(L):
                out[b] += v * x[b]
    return dst
