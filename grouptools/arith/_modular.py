"""Linear algebra modulo word-size primes, batched over primes, and Chinese remaindering.

Every function works on int64 arrays with one prime per matrix of a batch, so that the ``d``
evaluations of a matrix over Q(zeta_m) at the roots of ``Phi_m`` modulo many primes are reduced
in a few numpy passes: products, Gauss-Jordan inverses and determinants, rank profiles
(row-echelon pivots), reduction of big integers modulo many primes at once and symmetric
Chinese remaindering by Garner's mixed-radix algorithm [vzGG]_ (5.4, 5.6).

References
----------
.. [vzGG] J. von zur Gathen, J. Gerhard, *Modern Computer Algebra*, 3rd ed., CUP 2013.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from grouptools._errors import GroupTooLargeError
from grouptools.arith._multiword import I64_SAFE, maxabs, shrink

__all__ = ["crt", "inverse_det_mod", "inverse_mod", "matmul_mod", "rank_profiles", "reduce_mod"]


def inverse_mod(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Elementwise ``x^-1 mod p`` (``x != 0 mod p``): Python's ``pow`` for small batches,
    vectorized Fermat ``x^(p-2)`` otherwise.

    Examples
    --------
    >>> inverse_mod(np.array([2, 3]), np.array([7, 7])).tolist()
    [4, 5]
    """
    if x.size <= 4096:
        xs, ps = x.tolist(), p.tolist()
        return np.array([pow(int(a), -1, int(q)) for a, q in zip(xs, ps, strict=True)],
                        dtype=np.int64).reshape(x.shape)
    res = np.ones_like(x)
    base = x % p
    e = p - 2
    while True:
        odd = (e & 1) == 1
        res = np.where(odd, res * base % p, res)
        e = e >> 1
        if not e.any():
            return res
        base = base * base % p


def matmul_mod(a: np.ndarray, b: np.ndarray, p: int | np.ndarray) -> np.ndarray:
    """Exact batched ``a @ b mod p`` for int64 entries in ``[0, p)``, primes ``p < 2^31``.

    ``p`` is an int or an array of the batch shape of ``a @ b`` (one prime per matrix). For
    ``p < 2^26`` the int64 products of chunks of 1024 terms stay below ``2^62``; larger primes
    split both factors into 16-bit limbs, whose products (entries below ``k 2^32 < 2^53``, ``k``
    the inner dimension) float64 BLAS computes exactly.

    Examples
    --------
    >>> a = np.array([[2**30, 5]], dtype=np.int64)
    >>> p = 2**31 - 1
    >>> int(matmul_mod(a, a.T, p)[0, 0]) == (2**60 + 25) % p
    True
    >>> matmul_mod(np.array([[[2]], [[3]]]), np.array([[[4]], [[4]]]), np.array([7, 5])).ravel().tolist()
    [1, 2]
    """
    parr = np.asarray(p, dtype=np.int64)
    pp = parr.reshape(parr.shape + (1, 1))
    k = a.shape[-1]
    if int(parr.max()) < 1 << 26:
        if k <= 1024:
            return (a @ b) % pp
        out = np.zeros(a.shape[:-1] + b.shape[-1:], dtype=np.int64)
        for s in range(0, k, 1024):
            out = (out + a[..., s:s + 1024] @ b[..., s:s + 1024, :]) % pp
        return out
    if k >= 1 << 21:  # pragma: no cover - far beyond the class limits
        raise GroupTooLargeError("inner dimension too large for exact modular products")
    a1, a0 = (a >> 16).astype(np.float64), (a & 0xFFFF).astype(np.float64)
    b1, b0 = (b >> 16).astype(np.float64), (b & 0xFFFF).astype(np.float64)
    hh = (a1 @ b1).astype(np.int64) % pp
    mid = ((a1 @ b0).astype(np.int64) + (a0 @ b1).astype(np.int64)) % pp
    ll = (a0 @ b0).astype(np.int64) % pp
    return (hh * ((1 << 32) % pp) % pp + mid * (1 << 16) % pp + ll) % pp



def inverse_det_mod(M: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batched Gauss-Jordan inverse and determinant of ``M (B, r, r)`` modulo ``p (B,)``.

    Returns ``(inv, det, ok)``; ``ok[b]`` is False where ``M[b]`` is singular mod ``p[b]``.

    Examples
    --------
    >>> inv, det, ok = inverse_det_mod(np.array([[[1, 2], [3, 4]], [[1, 1], [1, 1]]]),
    ...                                np.array([7, 7]))
    >>> inv[0].tolist(), det.tolist(), ok.tolist()
    ([[5, 1], [5, 3]], [5, 0], [True, False])
    """
    B, r, _ = M.shape
    A = np.zeros((B, r, 2 * r), dtype=np.int64)
    A[:, :, :r] = M % p[:, None, None]
    A[:, np.arange(r), r + np.arange(r)] = 1
    det = np.ones(B, dtype=np.int64)
    ok = np.ones(B, dtype=bool)
    bidx = np.arange(B)
    p1 = p[:, None]
    p2 = p[:, None, None]
    for k in range(r):
        nz = A[:, k:, k] != 0
        has = nz.any(axis=1)
        ok &= has
        piv = k + nz.argmax(axis=1)
        swap = piv != k
        if swap.any():
            sb, pr = bidx[swap], piv[swap]
            tmp = A[sb, k, :].copy()
            A[sb, k, :] = A[sb, pr, :]
            A[sb, pr, :] = tmp
            det[sb] = (p[sb] - det[sb]) % p[sb]
        pv = np.where(has, A[:, k, k], 1)
        det = det * pv % p
        inv = inverse_mod(pv, p)
        A[:, k, k:] = A[:, k, k:] * inv[:, None] % p1
        f = A[:, :, k].copy()
        f[:, k] = 0
        A[:, :, k:] = (A[:, :, k:] - f[:, :, None] * A[:, None, k, k:]) % p2
    det = np.where(ok, det, 0)
    return A[:, :, r:], det, ok


def rank_profiles(M: np.ndarray, p: np.ndarray, heights: np.ndarray | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row-echelon rank profiles of ``M (B, n, c)`` modulo ``p (B,)``.

    Returns ``(rank (B,), pivot_cols (B, n), pivot_rows (B, n))``, padded with -1; pivot rows
    are original row indices with ``M[b][rows, cols]`` nonsingular mod ``p[b]``. Among the
    candidate pivot rows the one of least ``heights`` (original row order) is chosen, which
    keeps the determinant of the pivot block, and so the number of primes, small.

    Examples
    --------
    >>> rk, cols, rows = rank_profiles(np.array([[[0, 1, 2], [0, 2, 4]]]), np.array([5]))
    >>> rk.tolist(), cols.tolist(), rows.tolist()
    ([1], [[1, -1]], [[0, -1]])
    """
    B, n, c = M.shape
    A = M % p[:, None, None]
    rk = np.zeros(B, dtype=np.int64)
    rowid = np.tile(np.arange(n), (B, 1))
    pc = np.full((B, n), -1, dtype=np.int64)
    pr = np.full((B, n), -1, dtype=np.int64)
    bidx = np.arange(B)
    ar = np.arange(n)
    hts = np.zeros(n) if heights is None else np.asarray(heights, dtype=np.float64)
    for j in range(c):
        if (rk >= n).all():
            break
        mask = (A[:, :, j] != 0) & (ar[None, :] >= rk[:, None])
        has = mask.any(axis=1)
        if not has.any():
            continue
        hb = bidx[has]
        piv = np.where(mask[has], hts[rowid[hb]], np.inf).argmin(axis=1)
        rr = rk[has]
        h = np.arange(len(hb))
        Ah = A[hb]
        tmp = Ah[h, rr].copy()
        Ah[h, rr] = Ah[h, piv]
        Ah[h, piv] = tmp
        tmpi = rowid[hb, rr].copy()
        rowid[hb, rr] = rowid[hb, piv]
        rowid[hb, piv] = tmpi
        pc[hb, rr] = j
        pr[hb, rr] = rowid[hb, rr]
        ph = p[hb]
        inv = inverse_mod(Ah[h, rr, j], ph)
        Ah[h, rr, j:] = Ah[h, rr, j:] * inv[:, None] % ph[:, None]
        f = Ah[:, :, j].copy()
        f[ar[None, :] <= rr[:, None]] = 0
        prow = Ah[h, rr, j:][:, None, :]
        Ah[:, :, j:] = (Ah[:, :, j:] - f[:, :, None] * prow) % ph[:, None, None]
        A[hb] = Ah
        rk[hb] += 1
    return rk, pc, pr


def crt(res: np.ndarray, primes: list[int]) -> tuple[np.ndarray, int]:
    """Symmetric Chinese remaindering of ``res (P, N)`` (Garner's mixed radix).

    Returns the integers in ``(-M/2, M/2]``, ``M = prod primes`` (int64 or object array), and M.

    Examples
    --------
    >>> vals, M = crt(np.array([[1, 6], [1, 0]]), [7, 11])
    >>> vals.tolist(), M
    ([1, -22], 77)
    """
    P, N = res.shape
    digits = []
    for i, p in enumerate(primes):
        v = np.zeros(N, dtype=np.int64)
        for j in range(i - 1, -1, -1):
            v = (v * primes[j] + digits[j]) % p
        mi = 1
        for j in range(i):
            mi = mi * primes[j] % p
        c = pow(mi, -1, p) if i else 1
        digits.append(((res[i] - v) % p) * c % p)
    M = math.prod(primes)
    if M < I64_SAFE:
        val = np.zeros(N, dtype=np.int64)
        for j in range(P - 1, -1, -1):
            val = val * primes[j] + digits[j]
    else:
        val = np.zeros(N, dtype=object)
        j = P - 1
        # combine pairs of digits in int64 first (p_j p_{j+1} < 2^52)
        while j >= 0:
            if j >= 1:
                pair = digits[j - 1] + digits[j] * primes[j - 1]
                val = val * (primes[j] * primes[j - 1]) + pair.astype(object)
                j -= 2
            else:
                val = val * primes[j] + digits[j].astype(object)
                j -= 1
    half = M // 2
    val = np.where(val > half, val - M, val)
    return shrink(val), M


def reduce_mod(a: np.ndarray, primes: Sequence[int]) -> np.ndarray:
    """``a mod p`` for each prime, shape ``(P,) + a.shape``, int64.

    Big (object) entries are split once into 20-bit limbs ``l_i``; then
    ``a mod p = sum_i l_i (2^(20 i) mod p) mod p`` for all primes is one int64 matrix product
    (each term < 2^46), instead of one pass of Python big-int ``%`` per prime.

    Examples
    --------
    >>> reduce_mod(np.array([-1, 2**80], dtype=object), [7, 11]).tolist()
    [[6, 4], [10, 1]]
    """
    pv = np.array(primes, dtype=np.int64)
    if a.dtype != object:
        return a[None] % pv.reshape((-1,) + (1,) * a.ndim)
    flat = a.ravel()
    nbits = max(1, maxabs(a).bit_length())
    nl = -(-nbits // 20)
    neg = flat < 0
    mag = np.where(neg, -flat, flat)
    limbs = np.empty((nl, flat.size), dtype=np.int64)
    for i in range(nl):
        limbs[i] = ((mag >> (20 * i)) & 0xFFFFF).astype(np.int64)
    tab = np.array([[pow(2, 20 * i, p) for i in range(nl)] for p in primes], dtype=np.int64)
    res = np.zeros((len(primes), flat.size), dtype=np.int64)
    for s in range(0, nl, 1 << 16):
        res = (res + tab[:, s:s + (1 << 16)] @ limbs[s:s + (1 << 16)]) % pv[:, None]
    res = np.where(neg[None, :], (pv[:, None] - res) % pv[:, None], res)
    return res.reshape((len(primes),) + a.shape)
