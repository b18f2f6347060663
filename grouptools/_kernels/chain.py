"""Kernel of the chain FFT (:mod:`grouptools.fourier._chain`): one sparse matrix applied to many
prefixes and a batch.

A level of the separation-of-variables FFT maps, for each of ``P`` prefixes (cosets of the
subgroup), a vector of length ``K_in`` to one of length ``K_out``, the same sparse matrix for
every prefix. The data are ``(P, K, batch)`` arrays with the batch innermost and contiguous;
the matrix is in CSR form (``indptr``, ``indices``, ``values``). Real matrices act on complex
data viewed as interleaved floats (``(P, K, 2 batch)``), so one real kernel serves both.
Parallel over the ``P * K_out`` output rows (``prange``); each thread writes its own rows.
"""

from __future__ import annotations

from ._function import kernel, prange

__all__ = ["csr_apply"]


@kernel(parallel=True)
def csr_apply(indptr, indices, values, src, dst, accumulate):
    """``dst[p, r, b] (+)= sum_e values[e] * src[p, indices[e], b]`` over ``e`` in row ``r``.

    ``accumulate == 0`` overwrites ``dst`` (rows without entries become 0), otherwise adds.

    Examples
    --------
    >>> import numpy as np
    >>> indptr, indices, values = np.array([0, 1, 3]), np.array([1, 0, 1]), np.array([2.0, 1.0, -1.0])
    >>> src = np.arange(4.0).reshape(2, 2, 1)                  # two prefixes of (x0, x1)
    >>> csr_apply.py(indptr, indices, values, src, np.zeros((2, 2, 1)), 0)[:, :, 0]
    array([[ 2., -1.],
           [ 6., -1.]])
    """
    P = src.shape[0]
    R = indptr.shape[0] - 1
    nb = src.shape[2]
    for q in prange(P * R):
        p = q // R
        r = q - p * R
        if accumulate == 0:
            for b in range(nb):
                dst[p, r, b] = 0
        for e in range(indptr[r], indptr[r + 1]):
            c = indices[e]
            v = values[e]
            for b in range(nb):
                dst[p, r, b] += v * src[p, c, b]
    return dst
