"""Exact matrices over a cyclotomic field Q(zeta_m), vectorized with numpy.

A :class:`CycMatrix` stores the coefficients of its entries in the power basis
``1, z, ..., z^(d-1)`` of Q(zeta_m) (``z = E(m)``, ``d = phi(m)``, reduction modulo the
cyclotomic polynomial ``Phi_m``) as an integer array of shape ``(rows, cols, d)`` with one
positive common denominator. The array is ``int64`` while every entry is below ``2^62`` in
absolute value and Python ints (``dtype=object``) otherwise; every operation checks bounds
before it computes, so nothing overflows silently.

Algorithms
----------
* Products ``A @ B`` are multi-modular: evaluating at the ``d`` roots of ``Phi_m``
  modulo primes ``p = 1 mod m`` turns one product over Q(zeta_m) into ``d`` products of
  integer matrices mod ``p``; enough primes are used for the a-priori bound
  ``k d G max|A| max|B|`` on the result's coefficients (``G``: growth of the reduction
  mod ``Phi_m``), so Chinese remaindering returns the exact product. Other integer products
  (scalar multiples, Galois action, change of field) use float64 BLAS when the Cauchy bound
  proves it exact (``< 2^53``), int64 when ``< 2^63``, else 2^s-limb splitting with exact
  float64 limb products or Python ints [Knuth, TAOCP 2, 4.3.1].
* Linear algebra (``rref``, ``rank``, ``nullspace``, ``solve``, ``inverse``) is multi-modular
  [vzGG, ch. 5 and 12]: for primes ``p = 1 mod m`` (``p < 2^26``) ``Phi_m`` splits into
  linear factors, so Z[zeta_m] -> F_p^d (evaluation at the ``d`` roots of ``Phi_m`` mod
  ``p``) and the work is ``d`` batched Gauss-Jordan eliminations over F_p per prime, all
  primes and roots vectorized at once. With the rank profile ``(I, J)`` (pivot rows and
  columns) fixed, ``delta = det A[I, J]`` (in Z[zeta_m], *not* its norm) and
  ``Y = delta A[I, J]^-1 A[I, :]`` are integral, so their power-basis coefficients are
  recovered by symmetric Chinese remaindering. The result is *certified*: the identity
  ``delta A = A[:, J] Y`` holds modulo every prime used and, once the product of the primes
  exceeds twice a bound on both sides, holds over Z; together with ``det A[I, J] != 0 mod p``
  this proves rank, pivots and ``rref(A) = Y / delta`` exactly. Primes are added until the
  certificate holds (early termination), starting from a Hadamard-bound estimate.
  Finally ``1/delta`` is computed in the field (norm, see :class:`Cyclotomic`).

References
----------
.. [vzGG] J. von zur Gathen, J. Gerhard, *Modern Computer Algebra*, 3rd ed., CUP 2013.
"""

from __future__ import annotations

import math
import numbers
from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from grouptools.arith._cyclotomic import Cyclotomic, _check_order, _factorize, _lcm
from grouptools.arith._numtheory import is_prime
from grouptools._errors import (
    CyclotomicError,
    ElementError,
    GroupTooLargeError,
    ParameterError,
    ParameterTypeError,
    VerificationError,
    check_index,
    check_int,
    quote,
)

__all__ = ["CycMatrix"]

_I64_SAFE = 1 << 62  # int64 arrays keep |entries| below this
_PRIME_BITS = 26  # primes p < 2^26: (p-1)^2 * 1024 < 2^63
_MAX_PRIMES = 4096  # hard cap on moduli for one certified computation
_MAX_PROFILE_ROUNDS = 8


# ---------------------------------------------------------------------------------------------
# integer array helpers (exact, overflow-checked)
# ---------------------------------------------------------------------------------------------


def _maxabs(a: np.ndarray) -> int:
    """max |a| as a Python int (0 for empty arrays)."""
    if a.size == 0:
        return 0
    if a.dtype == object:
        return max(abs(int(a.max())), abs(int(a.min())))
    return max(abs(int(a.max())), abs(int(a.min())))


def _shrink(a: np.ndarray) -> np.ndarray:
    """int64 if all entries are below 2^62 in absolute value, else Python ints (object)."""
    if a.dtype == object:
        if _maxabs(a) < _I64_SAFE:
            return a.astype(np.int64)
        return a
    if a.dtype != np.int64:
        if a.dtype.kind not in "iu" or a.dtype.itemsize >= 8:
            return _shrink(np.array([int(x) for x in a.flat], dtype=object).reshape(a.shape))
        return a.astype(np.int64)
    if _maxabs(a) >= _I64_SAFE:
        return a.astype(object)
    return a


def _obj(a: np.ndarray) -> np.ndarray:
    return a if a.dtype == object else a.astype(object)


def _lincomb(a: np.ndarray, x: int, b: np.ndarray, y: int) -> np.ndarray:
    """Exact ``x a + y b`` for integer arrays and Python ints."""
    bound = abs(x) * _maxabs(a) + abs(y) * _maxabs(b)
    if bound < _I64_SAFE and a.dtype != object and b.dtype != object:
        return a * x + b * y
    return _shrink(_obj(a) * x + _obj(b) * y)


def _scale(a: np.ndarray, x: int) -> np.ndarray:
    """Exact ``x a``."""
    if x == 1:
        return a
    if abs(x) * _maxabs(a) < _I64_SAFE and a.dtype != object:
        return a * x
    return _shrink(_obj(a) * x)


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


def _imatmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact integer matrix product of 2-D int64/object arrays (see module notes)."""
    k = a.shape[1]
    r, c = a.shape[0], b.shape[1]
    ma, mb = _maxabs(a), _maxabs(b)
    if ma == 0 or mb == 0 or k == 0:
        return np.zeros((r, c), dtype=np.int64)
    bound = ma * mb * k
    if bound < (1 << 53):
        return np.rint(a.astype(np.float64) @ b.astype(np.float64)).astype(np.int64)
    if bound < (1 << 63) and a.dtype != object and b.dtype != object:
        return _shrink(a @ b)
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
        return _shrink(_obj(a) @ _obj(b))
    al = _split_limbs(_obj(a) if a.dtype == object else a, s, la)
    bl = _split_limbs(_obj(b) if b.dtype == object else b, s, lb)
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
    return _shrink(out)


# ---------------------------------------------------------------------------------------------
# field data for Q(zeta_m) in the power basis
# ---------------------------------------------------------------------------------------------


def _cyclotomic_poly(m: int) -> list[int]:
    """Coefficients (low to high) of the cyclotomic polynomial Phi_m."""
    # Phi_m = prod_{d | m} (x^d - 1)^mu(m/d), by exact division
    num = [1]
    den = [1]

    def mul(p: list[int], q: list[int]) -> list[int]:
        out = [0] * (len(p) + len(q) - 1)
        for i, x in enumerate(p):
            if x:
                for j, y in enumerate(q):
                    out[i + j] += x * y
        return out

    for dd in range(1, m + 1):
        if m % dd:
            continue
        fac = _factorize(m // dd) if m // dd > 1 else ()
        if any(e > 1 for _, e in fac):
            continue  # mu = 0
        poly = [-1] + [0] * (dd - 1) + [1]
        if len(fac) % 2 == 0:
            num = mul(num, poly)
        else:
            den = mul(den, poly)
    # exact division num / den (den monic up to sign: leading coeff 1)
    num = num[:]
    out = [0] * (len(num) - len(den) + 1)
    for i in range(len(out) - 1, -1, -1):
        c = num[i + len(den) - 1] // den[-1]
        out[i] = c
        if c:
            for j, y in enumerate(den):
                num[i + j] -= c * y
    return out


def _unit_powers(m: int, d: int) -> np.ndarray:
    """Correctly rounded ``exp(2 pi i s / m)`` for ``s < d`` (exact at multiples of i)."""
    import mpmath

    out = np.empty(d, dtype=np.complex128)
    with mpmath.workprec(80):
        for s in range(d):
            x = mpmath.mpf(2 * s) / m
            out[s] = complex(float(mpmath.cospi(x)), float(mpmath.sinpi(x)))
    return out


class _Field:
    """Power-basis data of Q(zeta_m) (cached per ``m``)."""

    def __init__(self, m: int) -> None:
        self.m = m
        self.units = [k for k in range(m) if math.gcd(k, m) == 1]
        d = self.d = len(self.units)
        phi = _cyclotomic_poly(m)
        self.phi_poly = phi
        # x^k mod Phi_m for k < m
        tab = np.zeros((m, d), dtype=np.int64)
        cur = [0] * d
        cur[0] = 1
        for k in range(m):
            tab[k] = cur
            lead = cur[-1]
            cur = [0] + cur[:-1]
            if lead:
                for i in range(d):
                    cur[i] -= lead * phi[i]
        self.pow = tab
        self.pow.setflags(write=False)
        self.pow_nz = [[(i, int(v)) for i, v in enumerate(row) if v] for row in tab.tolist()]
        # red2[s, t*d + v] = coefficient v of x^(s+t) mod Phi
        idx = (np.arange(d)[:, None] + np.arange(d)[None, :]) % m
        self.red2 = tab[idx].reshape(d, d * d)
        self.red_growth = int(np.abs(tab[np.arange(2 * d - 1) % m]).sum(axis=0).max())
        ang = 2 * np.pi * np.outer(np.arange(d), np.array(self.units, dtype=np.float64)) / m
        self.emb = np.exp(1j * ang)  # coef @ emb -> all complex embeddings
        self.w = _unit_powers(m, d)
        self._primes: list[tuple[int, np.ndarray, np.ndarray]] = []
        self._galois: dict[int, np.ndarray] = {}
        self._stacked: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        try:
            vin = np.linalg.inv(self.emb.T)
            self.vinv_norm = float(np.abs(vin).sum(axis=1).max()) * 1.01 + 1.0
        except np.linalg.LinAlgError:  # pragma: no cover
            self.vinv_norm = float(d) ** d

    def galois_matrix(self, k: int) -> np.ndarray:
        g = self._galois.get(k)
        if g is None:
            g = self.pow[(np.arange(self.d) * k) % self.m]
            self._galois[k] = g
        return g

    def prime(self, i: int) -> tuple[int, np.ndarray, np.ndarray]:
        """The i-th modulus: ``(p, V, Vinv)``, ``V[j, i] = r_j^i`` for the roots ``r_j``."""
        if len(self._primes) <= i:
            self._more_primes(max(i + 1 - len(self._primes), len(self._primes), 4))
        return self._primes[i]

    def _more_primes(self, count: int) -> None:
        """Append ``count`` primes ``p = 1 mod m`` below 2^26 (descending) with their
        Vandermonde matrices at the roots of ``Phi_m`` mod ``p`` (inverted in one batch)."""
        m, d = self.m, self.d
        qs = [q for q, _ in _factorize(m)] if m > 1 else []
        if self._primes:
            p = self._primes[-1][0] - m
        else:
            top = (1 << _PRIME_BITS) - 1
            p = top - ((top - 1) % m)
        found = []
        while len(found) < count:
            if p < (1 << (_PRIME_BITS - 1)):
                raise CyclotomicError(f"too few primes = 1 mod {m} below 2^{_PRIME_BITS}")
            if is_prime(p):
                a = 2
                while True:
                    z = pow(a, (p - 1) // m, p)
                    if all(pow(z, m // q, p) != 1 for q in qs):
                        break
                    a += 1
                roots = np.array([pow(z, k, p) for k in self.units], dtype=np.int64)
                V = np.ones((d, d), dtype=np.int64)
                for i in range(1, d):
                    V[:, i] = V[:, i - 1] * roots % p
                found.append((p, V))
            p -= m
        Vinv, _, ok = _gj_inverse_det(np.stack([V for _, V in found]),
                                      np.array([q for q, _ in found], dtype=np.int64))
        if not ok.all():  # pragma: no cover - distinct roots: invertible Vandermonde
            raise VerificationError("singular Vandermonde matrix mod p")
        for (q, V), Vi in zip(found, Vinv, strict=True):
            self._primes.append((q, V, Vi))

    def stacked(self, nprimes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Primes ``(P,)``, ``V^T`` and ``Vinv^T`` stacked ``(P, d, d)`` for the first P."""
        got = self._stacked.get(nprimes)
        if got is None:
            ps = [self.prime(i) for i in range(nprimes)]
            got = (np.array([q[0] for q in ps], dtype=np.int64),
                   np.stack([q[1].T for q in ps]), np.stack([q[2].T for q in ps]))
            self._stacked[nprimes] = got
        return got

    def mult_matrix(self, vec: np.ndarray) -> np.ndarray:
        """Matrix ``M`` with ``coef(y * x) = coef(y) @ M`` for ``x`` with coefficients vec."""
        return _imatmul(vec.reshape(1, self.d), self.red2).reshape(self.d, self.d)


@lru_cache(maxsize=64)
def _field(m: int) -> _Field:
    return _Field(m)


# ---------------------------------------------------------------------------------------------
# batched modular kernels (numpy, per-batch primes)
# ---------------------------------------------------------------------------------------------


def _mod_inv_vec(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Elementwise ``x^-1 mod p`` (``x != 0 mod p``): Python's ``pow`` for small batches,
    vectorized Fermat ``x^(p-2)`` otherwise."""
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


def _matmul_mod(a: np.ndarray, b: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Batched ``a @ b mod p`` for entries in ``[0, p)``, ``p < 2^26`` (chunks of 1024)."""
    k = a.shape[-1]
    pp = p.reshape(p.shape + (1, 1))
    if k <= 1024:
        return (a @ b) % pp
    out = np.zeros(a.shape[:-1] + b.shape[-1:], dtype=np.int64)
    for s in range(0, k, 1024):
        out = (out + a[..., s:s + 1024] @ b[..., s:s + 1024, :]) % pp
    return out


def _gj_inverse_det(M: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batched Gauss-Jordan inverse and determinant of ``M (B, r, r)`` modulo ``p (B,)``.

    Returns ``(inv, det, ok)``; ``ok[b]`` is False where ``M[b]`` is singular mod ``p[b]``.
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
        inv = _mod_inv_vec(pv, p)
        A[:, k, k:] = A[:, k, k:] * inv[:, None] % p1
        f = A[:, :, k].copy()
        f[:, k] = 0
        A[:, :, k:] = (A[:, :, k:] - f[:, :, None] * A[:, None, k, k:]) % p2
    det = np.where(ok, det, 0)
    return A[:, :, r:], det, ok


def _rank_profiles(M: np.ndarray, p: np.ndarray, heights: np.ndarray | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row-echelon rank profiles of ``M (B, n, c)`` modulo ``p (B,)``.

    Returns ``(rank (B,), pivot_cols (B, n), pivot_rows (B, n))``, padded with -1; pivot rows
    are original row indices with ``M[b][rows, cols]`` nonsingular mod ``p[b]``. Among the
    candidate pivot rows the one of least ``heights`` (original row order) is chosen, which
    keeps the determinant of the pivot block, and so the number of primes, small.
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
        inv = _mod_inv_vec(Ah[h, rr, j], ph)
        Ah[h, rr, j:] = Ah[h, rr, j:] * inv[:, None] % ph[:, None]
        f = Ah[:, :, j].copy()
        f[ar[None, :] <= rr[:, None]] = 0
        prow = Ah[h, rr, j:][:, None, :]
        Ah[:, :, j:] = (Ah[:, :, j:] - f[:, :, None] * prow) % ph[:, None, None]
        A[hb] = Ah
        rk[hb] += 1
    return rk, pc, pr


def _crt(res: np.ndarray, primes: list[int]) -> tuple[np.ndarray, int]:
    """Symmetric Chinese remaindering of ``res (P, N)`` (Garner's mixed radix).

    Returns the integers in ``(-M/2, M/2]``, ``M = prod primes`` (int64 or object array), and M.
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
    if M < _I64_SAFE:
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
    return _shrink(val), M


def _field_matmul(F: _Field, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact product of coefficient arrays ``a (r, k, d)`` and ``b (k, c, d)`` over Q(zeta_m).

    Evaluation/interpolation at the roots of ``Phi_m`` modulo primes ``p = 1 mod m``: ``d``
    independent ``r x k x c`` products per prime instead of one ``(r, kd) x (kd, cd)``
    product, and Chinese remaindering with enough primes for the a-priori coefficient bound
    ``k d G max|a| max|b|`` (``G`` = growth of the reduction mod ``Phi_m``), so the result is
    exact.
    """
    r, k, d = a.shape
    c = b.shape[1]
    ma, mb = _maxabs(a), _maxabs(b)
    if ma == 0 or mb == 0 or k == 0:
        return np.zeros((r, c, d), dtype=np.int64)
    bound = k * d * F.red_growth * ma * mb
    nprimes = max(1, -(-(2 * bound).bit_length() // (_PRIME_BITS - 1)))
    if nprimes > _MAX_PRIMES:
        raise CyclotomicError("matrix entries too large")
    pv, VT, VinvT = F.stacked(nprimes)
    primes = pv.tolist()
    am = _reduce_mod(a, primes).reshape(nprimes, r * k, d)
    bm = _reduce_mod(b, primes).reshape(nprimes, k * c, d)
    ae = _matmul_mod(am, VT, pv).reshape(nprimes, r, k, d).transpose(0, 3, 1, 2)
    be = _matmul_mod(bm, VT, pv).reshape(nprimes, k, c, d).transpose(0, 3, 1, 2)
    pb = np.repeat(pv, d)
    ce = _matmul_mod(ae.reshape(nprimes * d, r, k), be.reshape(nprimes * d, k, c), pb)
    ce = ce.reshape(nprimes, d, r * c).transpose(0, 2, 1)
    cc = _matmul_mod(ce, VinvT, pv)  # (P, r*c, d)
    if nprimes == 1:
        half = primes[0] // 2
        out = np.where(cc[0] > half, cc[0] - primes[0], cc[0])
    else:
        out, _ = _crt(cc.reshape(nprimes, -1), primes)
    return out.reshape(r, c, d)


# ---------------------------------------------------------------------------------------------
# certified multi-modular elimination
# ---------------------------------------------------------------------------------------------


def _reduce_mod(a: np.ndarray, primes: Sequence[int]) -> np.ndarray:
    """``a mod p`` for each prime, shape ``(P,) + a.shape``, int64.

    Big (object) entries are split once into 20-bit limbs ``l_i``; then
    ``a mod p = sum_i l_i (2^(20 i) mod p) mod p`` for all primes is one int64 matrix product
    (each term < 2^46), instead of one pass of Python big-int ``%`` per prime.
    """
    pv = np.array(primes, dtype=np.int64)
    if a.dtype != object:
        return a[None] % pv.reshape((-1,) + (1,) * a.ndim)
    flat = a.ravel()
    nbits = max(1, _maxabs(a).bit_length())
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


def _evaluate(F: _Field, a: np.ndarray, idx: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Evaluations of ``a (n, c, d)`` at the roots of the primes ``idx``: ``(P*d, n, c)``."""
    primes = [F.prime(i)[0] for i in idx]
    n, c, d = a.shape
    am = _reduce_mod(a, primes).reshape(len(idx), n * c, d)
    VT = np.stack([F.prime(i)[1].T for i in idx])
    pv = np.array(primes, dtype=np.int64)
    ev = _matmul_mod(am, VT, pv)  # (P, n*c, d_roots)
    ev = ev.transpose(0, 2, 1).reshape(len(idx) * d, n, c)
    return ev, np.repeat(pv, d)


def _row_heights(a: np.ndarray) -> np.ndarray:
    """Bit length of the largest coefficient of each row of ``a (n, c, d)``."""
    n = a.shape[0]
    if a.size == 0:
        return np.zeros(n)
    flat = a.reshape(n, -1)
    return np.array([float(max(abs(int(row.max())), abs(int(row.min()))).bit_length())
                     for row in flat])


def _profile(F: _Field, a: np.ndarray, idx: Sequence[int]
             ) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    """Best (largest rank, leftmost pivots) rank profile of ``a`` over the given primes."""
    ev, pb = _evaluate(F, a, idx)
    rk, pc, pr = _rank_profiles(ev, pb, _row_heights(a))
    best = None
    for b in range(len(rk)):
        r = int(rk[b])
        key = (-r, tuple(int(x) for x in pc[b, :r]))
        if best is None or key < best[0]:
            best = (key, tuple(sorted(int(x) for x in pr[b, :r])))
    (negr, J), I = best  # type: ignore[misc]
    return -negr, I, J


def _log2_hadamard(F: _Field, a: np.ndarray, I: Sequence[int], J: Sequence[int],
                   T: Sequence[int]) -> float:
    """Estimated log2 of the largest power-basis coefficient of ``det a[I, J]`` and of the
    minors ``det a[I, J with one column replaced by t in T]`` (Cramer's rule).

    Hadamard's bound by rows and by columns, in every complex embedding, the smaller of the
    two, times ``||V^-1||`` (coefficients from embeddings).
    """
    if not len(I):
        return 0.0
    sub = a[list(I)]
    ma = _maxabs(sub)
    shift = max(0, ma.bit_length() - 900)
    if sub.dtype == object:
        fl = np.vectorize(lambda x: float(x >> shift), otypes=[float])(sub)
    else:
        fl = sub.astype(np.float64)
    emb = np.abs(fl @ F.emb) ** 2  # (r, c, d)
    J, T = list(J), list(T)
    eJ = emb[:, J]
    extra_r = emb[:, T].max(axis=1) if T else np.zeros((len(I), F.d))
    rows = 0.5 * np.log2(np.maximum(eJ.sum(axis=1) + extra_r, 1.0)).sum(axis=0)
    colJ = 0.5 * np.log2(np.maximum(eJ.sum(axis=0), 1.0)).sum(axis=0)
    colT = 0.5 * np.log2(np.maximum(emb[:, T].sum(axis=0), 1.0)).max(axis=0) if T else 0.0
    per_emb = np.minimum(rows, colJ + colT) + shift * len(I)
    return float(per_emb.max()) + math.log2(F.vinv_norm)


class _Certified:
    """Result of :func:`_certified_elimination`: ``delta`` and ``Y`` (coefficient ints)."""

    def __init__(self, r: int, I: tuple[int, ...], J: tuple[int, ...], T: tuple[int, ...],
                 delta: np.ndarray, Y: np.ndarray) -> None:
        self.r, self.I, self.J, self.T = r, I, J, T
        self.delta = delta
        self.Y = Y


def _certified_elimination(F: _Field, a: np.ndarray, square: int | None = None) -> _Certified:
    """Certified ``delta = det a[I, J]``, ``Y = delta a[I, J]^-1 a[I, T]`` (T = non-pivots).

    ``a`` is an integer coefficient array ``(n, c, d)``. If ``square`` is given the pivots are
    forced to ``I = J = range(square)`` (caller proved ``a[:, :square]`` nonsingular).
    """
    n, c, d = a.shape
    ma = _maxabs(a)
    G = F.red_growth
    if square is not None:
        r, I, J = square, tuple(range(square)), tuple(range(square))
    else:
        r, I, J = _profile(F, a, [0])
    next_prime = 1 if square is None else 0
    for _round in range(_MAX_PROFILE_ROUNDS):
        Jset = set(J)
        T = tuple(j for j in range(c) if j not in Jset)
        K = tuple(i for i in range(n) if i not in set(I))
        if r == 0:
            return _Certified(0, (), (), T, np.zeros(d, dtype=np.int64),
                              np.zeros((0, len(T), d), dtype=np.int64))
        est = _log2_hadamard(F, a, I, J, T)
        need = est + ma.bit_length() + math.log2(r * d * G + 1) + 4
        nprimes = max(1, math.ceil(need / (_PRIME_BITS - 1)))
        res_Y: list[np.ndarray] = []
        res_d: list[np.ndarray] = []
        used: list[int] = []
        restart = False
        zero_mask = np.array([[T[t] < J[i] for t in range(len(T))] for i in range(r)],
                             dtype=bool).reshape(r, len(T))
        while True:
            want = nprimes - len(used)
            idx = list(range(next_prime, next_prime + want))
            next_prime += want
            if next_prime > _MAX_PRIMES:
                raise CyclotomicError(f"entries too large: elimination needs more than "
                                      f"{_MAX_PRIMES} primes")
            ev, pb = _evaluate(F, a, idx)
            P = len(idx)
            sub = ev[:, list(I)][:, :, list(J)]
            inv, det, ok = _gj_inverse_det(sub, pb)
            rows_I = ev[:, list(I)]
            RT = _matmul_mod(inv, rows_I[:, :, list(T)], pb)  # (P*d, r, t)
            good = ok.reshape(P, d).all(axis=1)
            check = np.ones(P * d, dtype=bool)
            if zero_mask.any():
                check &= ~(RT[:, zero_mask] != 0).any(axis=1)
            if K and T:
                rows_K = ev[:, list(K)]
                lhs = rows_K[:, :, list(T)]
                rhs = _matmul_mod(rows_K[:, :, list(J)], RT, pb)
                check &= (lhs == rhs).all(axis=(1, 2))
            check = check.reshape(P, d).all(axis=1)
            bad_profile = good & ~check
            if bad_profile.any():
                # some prime sees a larger rank or earlier pivots: the profile was unlucky
                b = int(np.nonzero(bad_profile)[0][0])
                r2, I2, J2 = _profile(F, a, [idx[b]])
                if (-r2, J2) < (-r, J):
                    r, I, J = r2, I2, J2
                    restart = True
                    break
                raise VerificationError("inconsistent modular rank profiles")  # pragma: no cover
            Yev = (det[:, None, None] * RT) % pb[:, None, None]
            t = len(T)
            Yev = Yev.reshape(P, d, r * t).transpose(0, 2, 1)  # (P, r*t, d_roots)
            VinvT = np.stack([F.prime(i)[2].T for i in idx])
            pv = pb[::d]
            Ycoef = _matmul_mod(Yev, VinvT, pv)  # (P, r*t, d)
            dcoef = _matmul_mod(det.reshape(P, 1, d), VinvT, pv)[:, 0, :]
            for q in range(P):
                if good[q]:
                    used.append(idx[q])
                    res_Y.append(Ycoef[q].reshape(-1))
                    res_d.append(dcoef[q])
            if len(used) < nprimes:
                continue
            primes = [F.prime(i)[0] for i in used]
            both = np.concatenate([np.stack(res_d), np.stack(res_Y)], axis=1)
            vals, M = _crt(both, primes)
            delta = vals[:d]
            Y = vals[d:].reshape(r, t, d)
            md, my = _maxabs(delta), _maxabs(Y)
            bound = max(md * ma * d * G, r * d * G * ma * my)
            if md and M > 2 * bound:
                return _Certified(r, I, J, T, delta, Y)
            nprimes = max(nprimes + 1, 2 * nprimes)
        if not restart:  # pragma: no cover
            break
    raise VerificationError("rank profile did not stabilize")


# ---------------------------------------------------------------------------------------------
# the matrix class
# ---------------------------------------------------------------------------------------------


def _cyc_vector(F: _Field, x: Cyclotomic) -> tuple[list[int], int]:
    """Power-basis numerators and denominator of ``x`` in Q(zeta_m)."""
    n = x.conductor
    if F.m % n:
        raise CyclotomicError(f"{quote(x.to_gap())} is not in Q(zeta_{F.m})")
    f = F.m // n
    vec = [0] * F.d
    rows = F.pow_nz
    m = F.m
    for e, c in x._terms:
        for i, v in rows[(e * f) % m]:
            vec[i] += c * v
    return vec, x.denominator


def _as_cyc(x: Any) -> Cyclotomic:
    if isinstance(x, Cyclotomic):
        return x
    c = Cyclotomic._coerce(x)
    if c is None:
        raise CyclotomicError(f"cannot use {type(x).__name__} as a cyclotomic entry")
    return c


def _rows_of(rows: Any, what: str) -> list:
    """``rows`` as a list of row sequences; ParameterTypeError unless a sequence of sequences."""
    def seq(x: Any) -> bool:
        return not isinstance(x, (str, bytes, dict)) and hasattr(x, "__iter__") and hasattr(x, "__len__")

    if not seq(rows):
        raise ParameterTypeError(f"{what} must be a sequence of rows (sequences of entries), got {quote(rows)}")
    out = list(rows)
    for r in out:
        if not seq(r):
            raise ParameterTypeError(f"each of the {what} must be a sequence of entries, got {quote(r)}")
    return out


def _size(name: str, n: Any) -> int:
    """A matrix dimension: an int >= 0 (ParameterTypeError / ParameterError otherwise)."""
    n = check_int(name, n)
    if n < 0:
        raise ParameterError(f"{name} must be >= 0, got {n}")
    return n


MAX_ENTRIES = 1 << 27
"""Largest number of coefficients (``rows * cols * phi(m)``) of a matrix built by ``zeros``/``identity``."""


def _check_entries(rows: int, cols: int, d: int) -> None:
    if rows * cols * d > MAX_ENTRIES:
        raise GroupTooLargeError(f"a {rows} x {cols} matrix over a field of degree {d} needs "
                                 f"{rows * cols * d} coefficients, more than MAX_ENTRIES={MAX_ENTRIES}")


def _index_list(idx: Any, what: str) -> list:
    if isinstance(idx, (str, bytes)) or not hasattr(idx, "__iter__"):
        raise ParameterTypeError(f"{what} needs a sequence of indices, got {quote(idx)}")
    return list(idx)


def _int_array(x: Any, what: str) -> np.ndarray:
    """``x`` as an int64 array; ParameterTypeError unless its entries are (machine) integers."""
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):  # ragged
        raise CyclotomicError(f"{what} must be a regular array of ints, got {quote(x)}") from None
    if arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype.kind not in "iu" and not (arr.dtype == object and all(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in arr.flat)):
        raise ParameterTypeError(f"{what} must have int entries, got {quote(x)}")
    try:
        return arr.astype(np.int64)
    except OverflowError:
        raise CyclotomicError(f"{what} has entries beyond 64 bits, got {quote(x)}") from None


def _take_axis(key: Any, n: int, what: str) -> np.ndarray:
    """``np.arange(n)[key]`` for a slice or an index array, with named errors."""
    if isinstance(key, slice):
        return np.arange(n)[key]
    if not isinstance(key, np.ndarray) and isinstance(key, (list, tuple)) and key and all(
            isinstance(v, (bool, np.bool_)) for v in key):
        key = np.asarray(key, dtype=bool)
    if isinstance(key, np.ndarray) and key.dtype == bool:
        if key.shape != (n,):
            raise ParameterError(f"a boolean CycMatrix {what} mask must have shape ({n},), got {key.shape}")
        return np.arange(n)[key]
    idx = _int_array(key, f"CycMatrix {what} indices")
    if idx.ndim != 1:
        raise ParameterError(f"CycMatrix {what} indices must be one-dimensional, got shape {idx.shape}")
    if idx.size and (idx.min() < -n or idx.max() >= n):
        bad = idx[(idx < -n) | (idx >= n)][0]
        raise ElementError(f"CycMatrix {what} index must lie in {-n}..{n - 1}, got {int(bad)}")
    return np.arange(n)[idx]


class CycMatrix:
    """Exact matrix over the cyclotomic field Q(zeta_m) (immutable).

    Parameters
    ----------
    rows : nested sequence of Cyclotomic / int / Fraction, or CycMatrix
        The entries, row by row.
    m : int, optional
        The field Q(zeta_m) (e.g. the exponent of a group). Defaults to the lcm of the entries'
        conductors. Every entry must lie in Q(zeta_m).

    Notes
    -----
    See the module docstring for the storage and the algorithms. Operations between matrices
    over different ``m`` work in Q(zeta_lcm(m1, m2)).

    Examples
    --------
    >>> from grouptools.arith._cyclotomic import E
    >>> A = CycMatrix([[1, E(3)], [E(3) ** 2, 2]], m=3)
    >>> A.inverse() @ A == CycMatrix.identity(2, 3)
    True
    >>> A.trace()
    Cyclotomic('3')
    >>> A.to_gap()
    [['1', 'E(3)'], ['E(3)^2', '2']]
    """

    __slots__ = ("_c", "_den", "_m", "_F")
    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (CycMatrix.from_coefficients, (np.array(self._c), self._m, self._den))

    def __init__(self, rows: Any, m: int | None = None) -> None:
        if isinstance(rows, CycMatrix):
            src = rows if m is None else rows.to_field(m)
            self._c, self._den, self._m, self._F = src._c, src._den, src._m, src._F
            return
        if isinstance(rows, np.ndarray) and rows.dtype.kind in "iu" and rows.ndim == 2:
            mm = _check_order(1 if m is None else m)
            coef = np.zeros(rows.shape + (_field(mm).d,), dtype=object)
            coef[:, :, 0] = [[int(x) for x in row] for row in rows.tolist()]
            self._set(coef, 1, mm)
            return
        entries = [[_as_cyc(x) for x in row] for row in _rows_of(rows, "rows")]
        nr = len(entries)
        nc = len(entries[0]) if nr else 0
        if any(len(row) != nc for row in entries):
            raise CyclotomicError("rows of a CycMatrix must have equal lengths")
        if m is None:
            m = 1
            for row in entries:
                for x in row:
                    m = _lcm(m, x.conductor)
        m = _check_order(m)
        F = _field(m)
        den = 1
        for row in entries:
            for x in row:
                den = _lcm(den, x.denominator)
        coef = np.zeros((nr, nc, F.d), dtype=object)
        for i, row in enumerate(entries):
            for j, x in enumerate(row):
                if x:
                    vec, xd = _cyc_vector(F, x)
                    f = den // xd
                    coef[i, j] = [v * f for v in vec]
        self._set(coef, den, m)

    # -- construction -------------------------------------------------------------------------

    def _set(self, coef: np.ndarray, den: int, m: int, normalized: bool = False) -> None:
        self._m = m
        self._F = _field(m)
        if not normalized:
            coef, den = _normalize(coef, den)
        coef.setflags(write=False)
        self._c = coef
        self._den = den

    @classmethod
    def _new(cls, coef: np.ndarray, den: int, m: int) -> "CycMatrix":
        obj = object.__new__(cls)
        obj._set(coef, den, m)
        return obj

    @classmethod
    def from_coefficients(cls, coef: Any, m: int, den: int = 1) -> "CycMatrix":
        """Matrix from power-basis coefficients: entry ``(i, j)`` is
        ``sum_s coef[i, j, s] E(m)^s / den``.

        Parameters
        ----------
        coef : array_like of int, shape (rows, cols, phi(m))
        m : int
        den : int, optional
            Nonzero common denominator.

        Examples
        --------
        >>> CycMatrix.from_coefficients([[[0, 1]]], 3).entry(0, 0)
        Cyclotomic('E(3)')
        """
        m = _check_order(m)
        F = _field(m)
        try:
            arr = np.asarray(coef)
        except (TypeError, ValueError):  # ragged nested sequences
            raise CyclotomicError(f"coefficients must be a regular integer array, got {quote(coef)}") from None
        if arr.dtype == object:
            if not all(isinstance(x, numbers.Integral) for x in arr.flat):
                raise CyclotomicError("coefficients must be integers")
            arr = np.array([int(x) for x in arr.flat], dtype=object).reshape(arr.shape)
        elif not np.issubdtype(arr.dtype, np.integer):
            raise CyclotomicError("coefficients must be integers")
        if arr.ndim != 3 or arr.shape[2] != F.d:
            raise CyclotomicError(f"coefficient array must have shape (rows, cols, {F.d})")
        if isinstance(den, bool) or not isinstance(den, numbers.Integral) or den == 0:
            raise CyclotomicError("denominator must be a nonzero int")
        return cls._new(_shrink(arr), int(den), m)

    @classmethod
    def zeros(cls, rows: int, cols: int, m: int) -> "CycMatrix":
        """The ``rows x cols`` zero matrix over Q(zeta_m).

        Examples
        --------
        >>> CycMatrix.zeros(2, 3, 5).is_zero()
        True
        """
        m = _check_order(m)
        rows, cols = _size("rows", rows), _size("cols", cols)
        _check_entries(rows, cols, _field(m).d)
        return cls._new(np.zeros((rows, cols, _field(m).d), dtype=np.int64), 1, m)

    @classmethod
    def identity(cls, n: int, m: int) -> "CycMatrix":
        """The ``n x n`` identity matrix over Q(zeta_m).

        Examples
        --------
        >>> CycMatrix.identity(3, 4).is_identity()
        True
        """
        m = _check_order(m)
        n = _size("n", n)
        _check_entries(n, n, _field(m).d)
        c = np.zeros((n, n, _field(m).d), dtype=np.int64)
        c[np.arange(n), np.arange(n), 0] = 1
        return cls._new(c, 1, m)

    @classmethod
    def monomial(cls, perm: Sequence[int], exponents: Sequence[int], m: int) -> "CycMatrix":
        """Monomial matrix ``M`` with ``M[perm[i], i] = E(m)^exponents[i]``, zeros elsewhere.

        So ``M e_i = E(m)^exponents[i] e_perm[i]`` (column convention of induced
        representations).

        Examples
        --------
        >>> M = CycMatrix.monomial([1, 0], [0, 1], 4)
        >>> M.to_gap()
        [['0', 'E(4)'], ['1', '0']]
        """
        m = _check_order(m)
        F = _field(m)
        perm = _int_array(perm, "perm")
        ex = _int_array(exponents, "exponents")
        n = len(perm) if perm.ndim == 1 else -1
        if n < 0 or ex.shape != (n,) or sorted(perm.tolist()) != list(range(n)):
            raise CyclotomicError("monomial needs a permutation of range(n) and n exponents")
        c = np.zeros((n, n, F.d), dtype=np.int64)
        c[perm, np.arange(n)] = F.pow[ex % m]
        return cls._new(c, 1, m)

    @classmethod
    def monomial_sum(cls, perms: Any, exponents: Any, m: int,
                     weights: Sequence[Any] | None = None) -> "CycMatrix":
        """``sum_g weights[g] * monomial(perms[g], exponents[g], m)``, vectorized.

        The projection pattern ``sum_g c_g rho(g)`` for monomial representations ``rho``:
        each term is a scatter-add of shifted coefficient vectors (multiplication by a root of
        unity is a cyclic shift modulo ``x^m - 1``), followed by one reduction mod ``Phi_m``.

        Parameters
        ----------
        perms : int array (G, n)
            Each row a permutation of ``range(n)``.
        exponents : int array (G, n)
        m : int
        weights : sequence of G cyclotomics (in Q(zeta_m)), ints or Fractions, optional
            Defaults to all 1.

        Examples
        --------
        >>> # regular representation of C3: sum of all group elements
        >>> S = CycMatrix.monomial_sum([[0, 1, 2], [1, 2, 0], [2, 0, 1]], [[0] * 3] * 3, 3)
        >>> S.to_gap()
        [['1', '1', '1'], ['1', '1', '1'], ['1', '1', '1']]
        """
        m = _check_order(m)
        F = _field(m)
        perms = _int_array(perms, "perms")
        ex = _int_array(exponents, "exponents")
        if perms.ndim != 2 or ex.shape != perms.shape:
            raise CyclotomicError("perms and exponents must be int arrays of equal shape (G, n)")
        G, n = perms.shape
        if G and ((np.sort(perms, axis=1) != np.arange(n)).any()):
            raise CyclotomicError("every row of perms must be a permutation of range(n)")
        if weights is None:
            W = np.zeros((G, F.d), dtype=np.int64)
            if F.d:
                W[:, 0] = 1
            wden = 1
        else:
            if len(weights) != G:
                raise CyclotomicError("need one weight per monomial matrix")
            ws = [_as_cyc(w) for w in weights]
            wden = 1
            for w in ws:
                wden = _lcm(wden, w.denominator)
            W = np.zeros((G, F.d), dtype=object)
            for g, w in enumerate(ws):
                if w:
                    vec, dd = _cyc_vector(F, w)
                    W[g] = [v * (wden // dd) for v in vec]
            W = _shrink(W)
        d = F.d
        # only power-basis slots used by some weight (just slot 0 for rational weights)
        used = np.nonzero(W.any(axis=0))[0] if G else np.zeros(0, dtype=np.int64)
        W = W[:, used]
        # key of (row, col, exponent-slot) in the "full" representation mod x^m - 1
        rows = perms  # (G, n)
        cols = np.broadcast_to(np.arange(n), (G, n))
        shift = ex % m
        slot = (shift[:, :, None] + used[None, None, :]) % m  # (G, n, |used|)
        key = ((rows * n + cols)[:, :, None] * m + slot).ravel()
        vals = np.broadcast_to(W[:, None, :], (G, n, len(used))).ravel()
        size = n * n * m
        if W.dtype != object and G * _maxabs(W) < (1 << 53):
            full = np.rint(np.bincount(key, weights=vals.astype(np.float64), minlength=size))
            full = full.astype(np.int64)
        else:
            full = np.zeros(size, dtype=object)
            np.add.at(full, key, vals.astype(object))
            full = _shrink(full)
        coef = _imatmul(full.reshape(n * n, m), F.pow).reshape(n, n, d)
        return cls._new(coef, wden, m)

    @classmethod
    def from_gap(cls, rows: Sequence[Sequence[str]], m: int | None = None) -> "CycMatrix":
        """Matrix from GAP notation, a list of lists of strings (see
        :meth:`Cyclotomic.from_gap`).

        Examples
        --------
        >>> CycMatrix.from_gap([["E(3)", "0"], ["-1/2", "E(3)^2"]]).m
        3
        """
        return cls([[Cyclotomic.from_gap(s) for s in row] for row in _rows_of(rows, "rows")], m)

    @staticmethod
    def hstack(blocks: Sequence["CycMatrix"]) -> "CycMatrix":
        """Horizontal concatenation (equal row counts).

        Examples
        --------
        >>> CycMatrix.hstack([CycMatrix.identity(2, 1), CycMatrix.zeros(2, 1, 1)]).shape
        (2, 3)
        """
        return _stack(blocks, axis=1)

    @staticmethod
    def vstack(blocks: Sequence["CycMatrix"]) -> "CycMatrix":
        """Vertical concatenation (equal column counts).

        Examples
        --------
        >>> CycMatrix.vstack([CycMatrix.identity(2, 3), CycMatrix.zeros(1, 2, 3)]).shape
        (3, 2)
        """
        return _stack(blocks, axis=0)

    # -- basic properties ---------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)``.

        Examples
        --------
        >>> CycMatrix.zeros(2, 3, 4).shape
        (2, 3)
        """
        return self._c.shape[0], self._c.shape[1]

    @property
    def m(self) -> int:
        """The field is Q(zeta_m).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(3), E(4)]]).m
        12
        """
        return self._m

    @property
    def degree(self) -> int:
        """``phi(m)``, the length of the coefficient vectors.

        Examples
        --------
        >>> CycMatrix.zeros(1, 1, 60).degree
        16
        """
        return self._F.d

    @property
    def denominator(self) -> int:
        """Positive common denominator of all coefficients (coprime to their gcd).

        Examples
        --------
        >>> from fractions import Fraction
        >>> CycMatrix([[Fraction(1, 2), Fraction(1, 3)]]).denominator
        6
        """
        return self._den

    @property
    def coefficients(self) -> np.ndarray:
        """Read-only integer array ``(rows, cols, phi(m))`` of power-basis numerators
        (``int64``, or Python ints in an object array when an entry reaches 2^62).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(3) ** 2]]).coefficients.tolist()  # E(3)^2 = -1 - E(3)
        [[[-1, -1]]]
        """
        return self._c

    def __repr__(self) -> str:
        r, c = self.shape
        return f"CycMatrix(<{r}x{c} over Q(zeta_{self._m})>)"

    # -- entries ------------------------------------------------------------------------------

    def entry(self, i: int, j: int) -> Cyclotomic:
        """Entry ``(i, j)`` as a :class:`Cyclotomic`.

        Examples
        --------
        >>> CycMatrix.identity(2, 5).entry(1, 1)
        Cyclotomic('1')
        """
        r, c = self.shape
        v = self._c[check_index("row index", i, r, negative=True), check_index("column index", j, c, negative=True)]
        return Cyclotomic._from_roots(self._m, {s: int(x) for s, x in enumerate(v) if x},
                                      self._den)

    def to_cyclotomics(self) -> list[list[Cyclotomic]]:
        """All entries as nested lists of :class:`Cyclotomic`.

        Examples
        --------
        >>> CycMatrix.identity(2, 3).to_cyclotomics()
        [[Cyclotomic('1'), Cyclotomic('0')], [Cyclotomic('0'), Cyclotomic('1')]]
        """
        r, c = self.shape
        return [[self.entry(i, j) for j in range(c)] for i in range(r)]

    def __getitem__(self, key: Any) -> "CycMatrix | Cyclotomic":
        """``M[i, j]`` is a Cyclotomic; any other key (slices, index lists, ``M[i]``) gives a
        2-D CycMatrix (an int index keeps its axis with length 1).

        Examples
        --------
        >>> M = CycMatrix([[1, 2, 3], [4, 5, 6]])
        >>> M[1, 2], M[0].shape, M[:, [2, 0]].to_gap()
        (Cyclotomic('6'), (1, 3), [['3', '1'], ['6', '4']])
        """
        if not isinstance(key, tuple):
            key = (key, slice(None))
        if len(key) != 2:
            raise CyclotomicError("CycMatrix index must have at most two components")
        a, b = key
        ia = isinstance(a, numbers.Integral) and not isinstance(a, bool)
        ib = isinstance(b, numbers.Integral) and not isinstance(b, bool)
        r, c = self.shape
        if ia:
            i = check_index("CycMatrix row index", a, r, negative=True)
        if ib:
            j = check_index("CycMatrix column index", b, c, negative=True)
        if ia and ib:
            return self.entry(i, j)
        if ia:
            a = slice(i, i + 1)
        if ib:
            b = slice(j, j + 1)
        rows, cols = _take_axis(a, r, "row"), _take_axis(b, c, "column")
        sub = self._c[np.ix_(rows, cols)]
        return CycMatrix._new(np.array(sub), self._den, self._m)

    def rows(self, idx: Sequence[int]) -> "CycMatrix":
        """Submatrix of the given rows (in that order).

        Examples
        --------
        >>> CycMatrix([[1], [2], [3]]).rows([2, 0]).to_gap()
        [['3'], ['1']]
        """
        return self[_index_list(idx, "rows"), :]  # type: ignore[return-value]

    def cols(self, idx: Sequence[int]) -> "CycMatrix":
        """Submatrix of the given columns (in that order).

        Examples
        --------
        >>> CycMatrix([[1, 2, 3]]).cols([1]).to_gap()
        [['2']]
        """
        return self[:, _index_list(idx, "cols")]  # type: ignore[return-value]

    # -- conversions --------------------------------------------------------------------------

    def to_complex(self) -> np.ndarray:
        """complex128 array of the values (principal embedding ``E(m) = exp(2 pi i/m)``).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(4)]]).to_complex()
        array([[0.+1.j]])
        """
        c = self._c
        if c.dtype == object or _maxabs(c) >= (1 << 53):
            den = self._den
            fl = np.vectorize(lambda x: x / den, otypes=[np.float64])(c) if c.size else \
                np.zeros(c.shape)
            return fl @ self._F.w
        return (c.astype(np.float64) @ self._F.w) / self._den

    def to_gap(self) -> list[list[str]]:
        """Entries in GAP notation (nested lists of str).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(8) + E(8) ** 3, -1]]).to_gap()
        [['E(8)+E(8)^3', '-1']]
        """
        return [[x.to_gap() for x in row] for row in self.to_cyclotomics()]

    def to_field(self, m: int) -> "CycMatrix":
        """The same matrix over Q(zeta_m); every entry must lie in Q(zeta_m).

        Examples
        --------
        >>> CycMatrix.identity(2, 3).to_field(12).m
        12
        """
        m = _check_order(m)
        if m == self._m:
            return self
        if m % self._m == 0:
            F2 = _field(m)
            f = m // self._m
            emb = F2.pow[(np.arange(self._F.d) * f) % m]  # (d1, d2)
            r, c = self.shape
            coef = _imatmul(self._c.reshape(r * c, self._F.d), emb).reshape(r, c, F2.d)
            return CycMatrix._new(coef, self._den, m)
        return CycMatrix(self.to_cyclotomics(), m)

    # -- comparisons --------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CycMatrix):
            return NotImplemented
        if self.shape != other.shape:
            return False
        a, b = _common(self, other)
        return a._den == b._den and bool(np.array_equal(a._c, b._c))

    def is_zero(self) -> bool:
        """True iff every entry is 0.

        Examples
        --------
        >>> CycMatrix([[0, 0]]).is_zero(), CycMatrix([[0, 1]]).is_zero()
        (True, False)
        """
        return not self._c.any()

    def is_identity(self) -> bool:
        """True iff the matrix is square and equals the identity.

        Examples
        --------
        >>> CycMatrix([[1, 0], [0, 1]]).is_identity()
        True
        """
        r, c = self.shape
        if r != c or self._den != 1:
            return False
        target = np.zeros_like(self._c)
        target[np.arange(r), np.arange(r), 0] = 1
        return bool(np.array_equal(self._c, target))

    # -- arithmetic ---------------------------------------------------------------------------

    def __neg__(self) -> "CycMatrix":
        return CycMatrix._new(-self._c if self._c.dtype != object else -self._c, self._den,
                              self._m)

    def __pos__(self) -> "CycMatrix":
        return self

    def __add__(self, other: Any) -> "CycMatrix":
        if not isinstance(other, CycMatrix):
            return NotImplemented
        if self.shape != other.shape:
            raise CyclotomicError(f"shape mismatch {self.shape} + {other.shape}")
        a, b = _common(self, other)
        den = _lcm(a._den, b._den)
        coef = _lincomb(a._c, den // a._den, b._c, den // b._den)
        return CycMatrix._new(coef, den, a._m)

    def __sub__(self, other: Any) -> "CycMatrix":
        if not isinstance(other, CycMatrix):
            return NotImplemented
        return self + (-other)

    def _scalar(self, x: Cyclotomic) -> "CycMatrix":
        if not x:
            return CycMatrix.zeros(*self.shape, self._m)
        m = _lcm(self._m, x.conductor)
        A = self.to_field(m)
        F = A._F
        vec, xden = _cyc_vector(F, x)
        r, c = A.shape
        vec_arr = _shrink(np.array(vec, dtype=object))
        if x.is_rational:
            coef = _scale(A._c, int(vec_arr[0]))
        else:
            M = F.mult_matrix(vec_arr)
            coef = _imatmul(A._c.reshape(r * c, F.d), M).reshape(r, c, F.d)
        return CycMatrix._new(coef, A._den * xden, m)

    def __mul__(self, other: Any) -> "CycMatrix":
        if isinstance(other, CycMatrix):
            return NotImplemented
        x = Cyclotomic._coerce(other)
        if x is None:
            return NotImplemented
        return self._scalar(x)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> "CycMatrix":
        if isinstance(other, CycMatrix):
            return NotImplemented
        x = Cyclotomic._coerce(other)
        if x is None:
            return NotImplemented
        return self._scalar(x.inverse())

    def __matmul__(self, other: Any) -> "CycMatrix":
        if not isinstance(other, CycMatrix):
            return NotImplemented
        r, k = self.shape
        k2, c = other.shape
        if k != k2:
            raise CyclotomicError(f"shape mismatch {self.shape} @ {other.shape}")
        a, b = _common(self, other)
        coef = _field_matmul(a._F, a._c, b._c)
        return CycMatrix._new(coef, a._den * b._den, a._m)

    def transpose(self) -> "CycMatrix":
        """Transpose.

        Examples
        --------
        >>> CycMatrix([[1, 2]]).transpose().to_gap()
        [['1'], ['2']]
        """
        return CycMatrix._new(np.ascontiguousarray(self._c.transpose(1, 0, 2)), self._den,
                              self._m)

    @property
    def T(self) -> "CycMatrix":
        """Transpose."""
        return self.transpose()

    def galois(self, k: int) -> "CycMatrix":
        """Entrywise Galois automorphism ``E(m) -> E(m)^k`` (``k`` coprime to ``m``).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(5)]]).galois(2).entry(0, 0) == E(5) ** 2
        True
        """
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            raise CyclotomicError("Galois exponent must be an int")
        k = int(k) % self._m if self._m > 1 else 0
        if math.gcd(k, self._m) != 1:
            raise CyclotomicError(f"Galois exponent {k} is not coprime to m={self._m}")
        if self._m <= 2 or k == 1:
            return self
        r, c = self.shape
        Gm = self._F.galois_matrix(k)
        coef = _imatmul(self._c.reshape(r * c, self._F.d), Gm).reshape(r, c, self._F.d)
        return CycMatrix._new(coef, self._den, self._m)

    def conjugate(self) -> "CycMatrix":
        """Entrywise complex conjugate.

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(3)]]).conjugate().to_gap()
        [['E(3)^2']]
        """
        return self.galois(-1)

    def conj_transpose(self) -> "CycMatrix":
        """Conjugate transpose ``A^H``.

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[1, E(4)]]).conj_transpose().to_gap()
        [['1'], ['-E(4)']]
        """
        return self.conjugate().transpose()

    @property
    def H(self) -> "CycMatrix":
        """Conjugate transpose."""
        return self.conj_transpose()

    def trace(self) -> Cyclotomic:
        """Sum of the diagonal entries.

        Examples
        --------
        >>> CycMatrix.identity(4, 7).trace()
        Cyclotomic('4')
        """
        r, c = self.shape
        n = min(r, c)
        v = _obj(self._c[np.arange(n), np.arange(n)]).sum(axis=0) if n else \
            np.zeros(self._F.d, dtype=object)
        return Cyclotomic._from_roots(self._m, {s: int(x) for s, x in enumerate(v) if x},
                                      self._den)

    # -- exact linear algebra -----------------------------------------------------------------

    def _elim(self, for_rank: bool = False) -> _Certified:
        # rank, rref and nullspace do not change when a row is divided by its content; the
        # rank does not change either under column scaling and permutation, so for rank()
        # columns are also made primitive and sorted by height (small pivot blocks = few
        # primes)
        c = _remove_content(self._c, axis=0)
        if for_rank and c.size:
            c = _remove_content(c, axis=1)
            order = np.argsort(_row_heights(c.transpose(1, 0, 2)), kind="stable")
            c = np.ascontiguousarray(c[:, order])
        return _certified_elimination(self._F, c)

    def rank(self) -> int:
        """Exact rank (certified multi-modular elimination).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[1, E(3)], [E(3) ** 2, 1]]).rank()
        1
        """
        if self._c.size == 0:
            return 0
        return self._elim(for_rank=True).r

    def rref(self) -> tuple["CycMatrix", tuple[int, ...]]:
        """Reduced row echelon form and the pivot columns.

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> R, piv = CycMatrix([[2, 2 * E(4)], [1, E(4)]]).rref()
        >>> R.to_gap(), piv
        ([['1', 'E(4)'], ['0', '0']], (0,))
        """
        r, c = self.shape
        d = self._F.d
        if self._c.size == 0:
            return CycMatrix.zeros(r, c, self._m), ()
        cert = self._elim()
        coef, den = self._rref_rows(cert)
        out = np.zeros((r, c, d), dtype=object)
        if cert.r:
            out[:cert.r] = coef
        return CycMatrix._new(_shrink(out), den, self._m), cert.J

    def _rref_rows(self, cert: _Certified) -> tuple[np.ndarray, int]:
        """First ``r`` rows of the rref as (numerators (r, c, d), denominator)."""
        F = self._F
        d = F.d
        r, c = cert.r, self.shape[1]
        if r == 0:
            return np.zeros((0, c, d), dtype=np.int64), 1
        inv_num, inv_den = _field_inverse(F, cert.delta)
        if cert.T:
            M = F.mult_matrix(inv_num)
            Yt = _imatmul(cert.Y.reshape(r * len(cert.T), d), M).reshape(r, len(cert.T), d)
        coef = np.zeros((r, c, d), dtype=object)
        coef[np.arange(r), list(cert.J), 0] = inv_den
        if cert.T:
            coef[:, list(cert.T)] = _obj(Yt)
        return _shrink(coef), inv_den

    def nullspace(self) -> "CycMatrix":
        """Basis of ``{x : A x = 0}`` as the columns of a ``cols x (cols - rank)`` matrix.

        Column ``k`` has a 1 in the ``k``-th non-pivot row and zeros in the other non-pivot
        rows (the basis read off the rref, as in sympy).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> A = CycMatrix([[1, E(3)], [E(3) ** 2, 1]])
        >>> (A @ A.nullspace()).is_zero()
        True
        """
        r, c = self.shape
        d = self._F.d
        if self._c.size == 0:
            return CycMatrix.identity(c, self._m)
        cert = self._elim()
        T = cert.T
        coef = np.zeros((c, len(T), d), dtype=object)
        if not T:
            return CycMatrix._new(_shrink(coef), 1, self._m)
        rows, den = self._rref_rows(cert)
        # x_T = e_k, x_J = -R[:, T_k]
        coef[list(T), np.arange(len(T)), 0] = den
        if cert.r:
            coef[list(cert.J)] = -_obj(rows[:, list(T)])
        return CycMatrix._new(_shrink(coef), den, self._m)

    def solve(self, rhs: "CycMatrix") -> "CycMatrix":
        """The unique ``X`` with ``self @ X == rhs`` for square nonsingular ``self``.

        Raises
        ------
        CyclotomicError
            If the matrix is not square or is singular.

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> A = CycMatrix([[1, E(4)], [E(4), 3]])
        >>> b = CycMatrix([[1], [0]], 4)
        >>> A @ A.solve(b) == b
        True
        """
        if not isinstance(rhs, CycMatrix):
            raise CyclotomicError("solve needs a CycMatrix right-hand side")
        n, c = self.shape
        if n != c:
            raise CyclotomicError(f"solve needs a square matrix, got shape {self.shape}")
        if rhs.shape[0] != n:
            raise CyclotomicError(f"shape mismatch {self.shape} vs {rhs.shape}")
        A, B = _common(self, rhs)
        F = A._F
        k = B.shape[1]
        if n == 0:
            return CycMatrix.zeros(0, k, A._m)
        # nonsingular? (rank n mod a prime proves it; otherwise certify the rank)
        r, _, _ = _profile(F, A._c, [0, 1])
        if r < n:
            if A.rank() < n:
                raise CyclotomicError("matrix is singular")
        if k == 0:
            return CycMatrix.zeros(n, 0, A._m)
        if A._c.dtype == object or B._c.dtype == object:
            aug = np.concatenate([_obj(A._c), _obj(B._c)], axis=1)
        else:
            aug = np.concatenate([A._c, B._c], axis=1)
        cert = _certified_elimination(F, _shrink(aug), square=n)
        inv_num, inv_den = _field_inverse(F, cert.delta)
        M = F.mult_matrix(inv_num)
        d = F.d
        X = _imatmul(cert.Y.reshape(n * k, d), M).reshape(n, k, d)
        # (Ac / da) X = Bc / db  =>  X = (da / db) Ac^-1 Bc
        X = _scale(X, A._den)
        return CycMatrix._new(X, inv_den * B._den, A._m)

    def inverse(self) -> "CycMatrix":
        """Exact inverse; raises CyclotomicError if the matrix is singular or not square.

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> A = CycMatrix([[E(5), 1], [0, 2]])
        >>> (A @ A.inverse()).is_identity()
        True
        """
        n, c = self.shape
        if n != c:
            raise CyclotomicError(f"inverse needs a square matrix, got shape {self.shape}")
        return self.solve(CycMatrix.identity(n, self._m))


def _field_inverse(F: _Field, vec: np.ndarray) -> tuple[np.ndarray, int]:
    """Power-basis numerators and denominator of ``1 / x`` for x in Z[zeta_m] (coefficients
    ``vec``), via :meth:`Cyclotomic.inverse` (norm)."""
    x = Cyclotomic._from_roots(F.m, {s: int(v) for s, v in enumerate(vec) if v})
    y = x.inverse()
    num, den = _cyc_vector(F, y)
    return _shrink(np.array(num, dtype=object)), den


def _remove_content(c: np.ndarray, axis: int) -> np.ndarray:
    """Divide every row (``axis=0``) or column (``axis=1``) of ``c (n, k, d)`` by the gcd of
    its coefficients."""
    if c.size == 0:
        return c
    cc = c if axis == 0 else c.transpose(1, 0, 2)
    r = cc.shape[0]
    flat = cc.reshape(r, -1)
    if c.dtype == object:
        g = [math.gcd(*row) for row in flat.tolist()]
    else:
        g = np.gcd.reduce(flat, axis=1).tolist()
    if not any(x > 1 for x in g):
        return c
    gg = np.array([max(int(x), 1) for x in g], dtype=object if c.dtype == object else np.int64)
    out = cc // gg[:, None, None]
    if axis == 1:
        out = out.transpose(1, 0, 2)
    return _shrink(np.ascontiguousarray(out))


def _normalize(coef: np.ndarray, den: int) -> tuple[np.ndarray, int]:
    """Make ``den > 0`` and ``gcd(coef, den) = 1``; shrink the dtype."""
    den = int(den)
    if den == 0:
        raise CyclotomicError("division by zero")
    coef = _shrink(coef)
    if den < 0:
        den = -den
        coef = -coef
    if den == 1:
        return coef, 1
    if coef.size == 0:
        return coef, 1
    if coef.dtype == object:
        g = math.gcd(den, *coef.ravel().tolist())
    else:
        g = math.gcd(den, int(np.gcd.reduce(coef.ravel())))
    if g == 0:
        return coef, 1
    if not coef.any():
        return coef, 1
    if g > 1:
        coef = coef // g
        den //= g
    return coef, den


def _common(a: CycMatrix, b: CycMatrix) -> tuple[CycMatrix, CycMatrix]:
    """Both matrices over the same field Q(zeta_lcm)."""
    if a._m == b._m:
        return a, b
    m = _lcm(a._m, b._m)
    return a.to_field(m), b.to_field(m)


def _stack(blocks: Sequence[CycMatrix], axis: int) -> CycMatrix:
    if isinstance(blocks, (str, bytes, CycMatrix)) or not hasattr(blocks, "__iter__"):
        raise ParameterTypeError(f"stack needs a sequence of CycMatrix, got {type(blocks).__name__}")
    blocks = list(blocks)
    bad = [b for b in blocks if not isinstance(b, CycMatrix)]
    if bad:
        raise ParameterTypeError(f"stack needs a sequence of CycMatrix, got an entry of type {type(bad[0]).__name__}")
    if not blocks:
        raise CyclotomicError("stack needs a nonempty sequence of CycMatrix")
    m = 1
    for b in blocks:
        m = _lcm(m, b._m)
    blocks = [b.to_field(m) for b in blocks]
    other = 1 - axis
    if len({b.shape[other] for b in blocks}) != 1:
        raise CyclotomicError("stacked matrices must agree in the other dimension")
    den = 1
    for b in blocks:
        den = _lcm(den, b._den)
    parts = [_scale(b._c, den // b._den) for b in blocks]
    if any(p.dtype == object for p in parts):
        parts = [_obj(p) for p in parts]
    return CycMatrix._new(np.concatenate(parts, axis=axis), den, m)
