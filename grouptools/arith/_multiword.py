"""Exact arithmetic on integer arrays of unbounded size ("multiword" integers).

Arrays are ``int64`` while every entry is below ``2^62`` in absolute value and Python ints
(``dtype=object``) otherwise; every operation bounds its result before it computes, so nothing
overflows silently. Integer matrix products use float64 BLAS when the Cauchy bound proves it
exact (``< 2^53``), int64 when ``< 2^63``, else ``2^s``-limb splitting with exact float64 limb
products or Python ints [Knu]_.

References
----------
.. [Knu] D. E. Knuth, *The Art of Computer Programming*, vol. 2, 3rd ed., Addison-Wesley 1997,
   4.3.1 (multiple-precision arithmetic).
"""

from __future__ import annotations

import numpy as np

__all__ = ["I64_SAFE", "as_object", "imatmul", "lincomb", "maxabs", "scale", "shrink"]

#: int64 arrays keep their entries below this in absolute value.
I64_SAFE = 1 << 62


def maxabs(a: np.ndarray) -> int:
    """max |a| as a Python int (0 for empty arrays).

    Examples
    --------
    >>> maxabs(np.array([3, -7])), maxabs(np.array([2**70], dtype=object)) == 2**70
    (7, True)
    """
    if a.size == 0:
        return 0
    return max(abs(int(a.max())), abs(int(a.min())))


def shrink(a: np.ndarray) -> np.ndarray:
    """int64 if all entries are below 2^62 in absolute value, else Python ints (object).

    Examples
    --------
    >>> shrink(np.array([1, 2], dtype=object)).dtype, shrink(np.array([2**63], dtype=object)).dtype
    (dtype('int64'), dtype('O'))
    """
    if a.dtype == object:
        if maxabs(a) < I64_SAFE:
            return a.astype(np.int64)
        return a
    if a.dtype != np.int64:
        if a.dtype.kind not in "iu" or a.dtype.itemsize >= 8:
            return shrink(np.array([int(x) for x in a.flat], dtype=object).reshape(a.shape))
        return a.astype(np.int64)
    if maxabs(a) >= I64_SAFE:
        return a.astype(object)
    return a


def as_object(a: np.ndarray) -> np.ndarray:
    """``a`` with Python-int entries (``dtype=object``), so products cannot overflow.

    Examples
    --------
    >>> (as_object(np.array([2**62])) * 4)[0] == 2**64
    True
    """
    return a if a.dtype == object else a.astype(object)


def lincomb(a: np.ndarray, x: int, b: np.ndarray, y: int) -> np.ndarray:
    """Exact ``x a + y b`` for integer arrays and Python ints.

    Examples
    --------
    >>> lincomb(np.array([1, 2]), 3, np.array([1, 1]), -1).tolist()
    [2, 5]
    """
    bound = abs(x) * maxabs(a) + abs(y) * maxabs(b)
    if bound < I64_SAFE and a.dtype != object and b.dtype != object:
        return a * x + b * y
    return shrink(as_object(a) * x + as_object(b) * y)


def scale(a: np.ndarray, x: int) -> np.ndarray:
    """Exact ``x a``.

    Examples
    --------
    >>> scale(np.array([2**61]), 4)[0] == 2**63
    True
    """
    if x == 1:
        return a
    if abs(x) * maxabs(a) < I64_SAFE and a.dtype != object:
        return a * x
    return shrink(as_object(a) * x)


def _split_limbs(a: np.ndarray, s: int, nlimbs: int) -> list[np.ndarray]:
    """Signed limbs ``a = sum_i l_i 2^(s i)`` with ``|l_i| < 2^s`` (float64 arrays)."""
    neg = a < 0
    mag = np.where(neg, -a, a)
    mask = (1 << s) - 1
    out = []
    for i in range(nlimbs):
        limb = ((mag >> (s * i)) & mask).astype(np.int64)
        out.append(np.where(neg, -limb, limb).astype(np.float64))
    return out


def imatmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact integer matrix product of 2-D int64/object arrays (see the module notes).

    Examples
    --------
    >>> a = np.array([[2**40, 1]], dtype=object)
    >>> imatmul(a, a.T)[0, 0] == 2**80 + 1
    True
    """
    k = a.shape[1]
    r, c = a.shape[0], b.shape[1]
    ma, mb = maxabs(a), maxabs(b)
    if ma == 0 or mb == 0 or k == 0:
        return np.zeros((r, c), dtype=np.int64)
    bound = ma * mb * k
    if bound < (1 << 53):
        return np.rint(a.astype(np.float64) @ b.astype(np.float64)).astype(np.int64)
    if bound < (1 << 63) and a.dtype != object and b.dtype != object:
        return shrink(a @ b)
    # limb splitting: every limb product is exact in float64
    s = max(1, (53 - k.bit_length()) // 2)
    la = -(-ma.bit_length() // s)
    lb = -(-mb.bit_length() // s)
    # rough cost model (seconds): la*lb float products + Python-int splitting / recombination
    # versus one Python-int product
    limb_cost = 2e-9 * la * lb * r * k * c + 1e-7 * (la * a.size + lb * b.size
                                                     + (la + lb) * r * c)
    obj_cost = 1.2e-7 * r * k * c
    if obj_cost < limb_cost:
        return shrink(as_object(a) @ as_object(b))
    al = _split_limbs(a, s, la)
    bl = _split_limbs(b, s, lb)
    acc: dict[int, np.ndarray] = {}
    for i, x in enumerate(al):
        for j, y in enumerate(bl):
            prod = np.rint(x @ y).astype(np.int64)  # |prod| < 2^(2s) k <= 2^53
            t = i + j
            if t in acc:
                acc[t] = acc[t] + prod  # at most min(la, lb) < 2^9 terms: no overflow
            else:
                acc[t] = prod
    # Horner in 2^s over t = max..0
    out = np.zeros((r, c), dtype=object)
    top = max(acc)
    for t in range(top, -1, -1):
        out = out * (1 << s)
        if t in acc:
            out = out + acc[t].astype(object)
    return shrink(out)

