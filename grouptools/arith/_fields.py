"""Tables of the cyclotomic fields Q(zeta_m) in the power basis, and their modular images.

An element of Q(zeta_m) is a coefficient vector in the power basis ``1, z, ..., z^(d-1)``
(``z = E(m)``, ``d = phi(m)``, reduction modulo the cyclotomic polynomial ``Phi_m``). For
primes ``p = 1 mod m`` (``p < 2^26``) ``Phi_m`` splits into linear factors, so
``Z[zeta_m] -> F_p^d`` (evaluation at the ``d`` roots of ``Phi_m`` mod ``p``, a Vandermonde
matrix ``V``) turns field arithmetic into ``d`` independent computations over ``F_p``; with
enough primes Chinese remaindering recovers exact integer coefficients [vzGG]_ (5.4, 5.6).

References
----------
.. [vzGG] J. von zur Gathen, J. Gerhard, *Modern Computer Algebra*, 3rd ed., CUP 2013.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from grouptools._errors import CyclotomicError, VerificationError, quote
from grouptools.arith._cyclotomic import Cyclotomic, from_root_numerators, numerators
from grouptools.arith._modular import crt, inverse_det_mod, matmul_mod, reduce_mod
from grouptools.arith._multiword import imatmul, maxabs, shrink
from grouptools.arith._numtheory import (
    cyclotomic_polynomial,
    primes_one_mod,
    root_of_unity_mod,
)

__all__ = [
    "MAX_PRIMES",
    "PRIME_BITS",
    "FieldTables",
    "cyc_vector",
    "evaluate",
    "field_inverse",
    "field_matmul",
    "field_tables",
    "power_basis_table",
]

#: Moduli are primes ``p = 1 mod m`` below ``2^PRIME_BITS``: ``(p-1)^2 * 1024 < 2^63``.
PRIME_BITS = 26
#: Hard cap on the number of moduli of one computation.
MAX_PRIMES = 4096


@lru_cache(maxsize=128)
def power_basis_table(m: int) -> np.ndarray:
    """``(m, phi(m))`` int64, read-only: row ``k`` holds the coefficients of ``x^k mod Phi_m(x)``.

    Examples
    --------
    >>> power_basis_table(3).tolist()
    [[1, 0], [0, 1], [-1, -1]]
    """
    phi = cyclotomic_polynomial(m)
    d = len(phi) - 1
    tab = np.zeros((m, d), np.int64)
    cur = [0] * d
    cur[0] = 1
    for k in range(m):
        tab[k] = cur
        lead = cur[-1]
        cur = [0] + cur[:-1]
        if lead:
            cur = [c - lead * p for c, p in zip(cur, phi[:d])]
    tab.setflags(write=False)
    return tab


def _unit_powers(m: int, d: int) -> np.ndarray:
    """Correctly rounded ``exp(2 pi i s / m)`` for ``s < d`` (exact at multiples of i)."""
    import mpmath

    out = np.empty(d, dtype=np.complex128)
    with mpmath.workprec(80):
        for s in range(d):
            x = mpmath.mpf(2 * s) / m
            out[s] = complex(float(mpmath.cospi(x)), float(mpmath.sinpi(x)))
    return out


class FieldTables:
    """Power-basis data of Q(zeta_m), ``d = phi(m)``; build them with :func:`field_tables`.

    Attributes
    ----------
    m, d : int
        The field Q(zeta_m) and its degree.
    units : list of int
        ``k < m`` coprime to ``m``: the roots of ``Phi_m`` are ``E(m)^k``.
    pow : int64 array (m, d)
        :func:`power_basis_table`; ``pow_nz`` its nonzero entries by row.
    red2 : int64 array (d, d * d)
        ``red2[s, t * d + v]`` is coefficient ``v`` of ``x^(s+t) mod Phi_m``.
    red_growth : int
        Bound on the coefficient growth of the reduction of a product mod ``Phi_m``.
    emb : complex array (d, d)
        ``coef @ emb`` are the values in all complex embeddings; ``w`` the principal one.
    vinv_norm : float
        Bound on ``||V^-1||`` (coefficients from embeddings).

    Examples
    --------
    >>> F = field_tables(5)
    >>> p, V, Vinv = F.prime(0)
    >>> p % 5, bool(((V @ Vinv) % p == np.eye(4, dtype=np.int64)).all())
    (1, True)
    """

    def __init__(self, m: int) -> None:
        self.m = m
        self.units = [k for k in range(m) if math.gcd(k, m) == 1]
        d = self.d = len(self.units)
        tab = self.pow = power_basis_table(m)
        self.pow_nz = [[(i, int(v)) for i, v in enumerate(row) if v] for row in tab.tolist()]
        # red2[s, t*d + v] = coefficient v of x^(s+t) mod Phi
        idx = (np.arange(d)[:, None] + np.arange(d)[None, :]) % m
        self.red2 = tab[idx].reshape(d, d * d)
        self.red_growth = int(np.abs(tab[np.arange(2 * d - 1) % m]).sum(axis=0).max())
        ang = 2 * np.pi * np.outer(np.arange(d), np.array(self.units, dtype=np.float64)) / m
        self.emb = np.exp(1j * ang)  # coef @ emb -> all complex embeddings
        self.w = _unit_powers(m, d)
        self._primes: list[tuple[int, np.ndarray, np.ndarray]] = []
        self._prime_source = primes_one_mod(m, 1 << PRIME_BITS)
        self._galois: dict[int, np.ndarray] = {}
        self._stacked: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        try:
            vin = np.linalg.inv(self.emb.T)
            self.vinv_norm = float(np.abs(vin).sum(axis=1).max()) * 1.01 + 1.0
        except np.linalg.LinAlgError:  # pragma: no cover
            self.vinv_norm = float(d) ** d

    def galois_matrix(self, k: int) -> np.ndarray:
        """Matrix ``G`` with ``coef(sigma_k(x)) = coef(x) @ G`` (``E(m) -> E(m)^k``)."""
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
        found = []
        while len(found) < count:
            p = next(self._prime_source, 0)
            if p < (1 << (PRIME_BITS - 1)):
                raise CyclotomicError(f"too few primes = 1 mod {m} below 2^{PRIME_BITS}")
            z = root_of_unity_mod(m, p)
            roots = np.array([pow(z, k, p) for k in self.units], dtype=np.int64)
            V = np.ones((d, d), dtype=np.int64)
            for i in range(1, d):
                V[:, i] = V[:, i - 1] * roots % p
            found.append((p, V))
        Vinv, _, ok = inverse_det_mod(np.stack([V for _, V in found]),
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
        return imatmul(vec.reshape(1, self.d), self.red2).reshape(self.d, self.d)


@lru_cache(maxsize=64)
def field_tables(m: int) -> FieldTables:
    """The (cached) :class:`FieldTables` of Q(zeta_m).

    Examples
    --------
    >>> F = field_tables(12)
    >>> F.d, F.pow[6].tolist()  # E(12)^6 = -1
    (4, [-1, 0, 0, 0])
    """
    return FieldTables(m)


def cyc_vector(F: FieldTables, x: Cyclotomic) -> tuple[list[int], int]:
    """Power-basis numerators and denominator of ``x`` in Q(zeta_m) (CyclotomicError if ``x``
    is not in the field).

    Examples
    --------
    >>> from grouptools.arith import E
    >>> cyc_vector(field_tables(3), E(3) ** 2 / 2)
    ([-1, -1], 2)
    """
    n = x.conductor
    if F.m % n:
        raise CyclotomicError(f"{quote(x.to_gap())} is not in Q(zeta_{F.m})")
    f = F.m // n
    vec = [0] * F.d
    rows = F.pow_nz
    m = F.m
    for e, c in numerators(x)[1]:
        for i, v in rows[(e * f) % m]:
            vec[i] += c * v
    return vec, x.denominator


def field_inverse(F: FieldTables, vec: np.ndarray) -> tuple[np.ndarray, int]:
    """Power-basis numerators and denominator of ``1 / x`` for x in Z[zeta_m] (coefficients
    ``vec``), via :meth:`Cyclotomic.inverse` (norm).

    Examples
    --------
    >>> num, den = field_inverse(field_tables(4), np.array([2, 0]))
    >>> num.tolist(), den
    ([1, 0], 2)
    """
    x = from_root_numerators(F.m, {s: int(v) for s, v in enumerate(vec) if v})
    y = x.inverse()
    num, den = cyc_vector(F, y)
    return shrink(np.array(num, dtype=object)), den


def evaluate(F: FieldTables, a: np.ndarray, idx: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Evaluations of ``a (n, c, d)`` at the roots of the primes ``idx``: ``(P*d, n, c)``, and
    the prime of each evaluation ``(P*d,)``.

    Examples
    --------
    >>> ev, pb = evaluate(field_tables(4), np.array([[[0, 1]]]), [0])  # E(4) at both roots
    >>> sorted(int(x) * int(x) % int(pb[0]) for x in ev.ravel()) == [pb[0] - 1] * 2
    True
    """
    primes = [F.prime(i)[0] for i in idx]
    n, c, d = a.shape
    am = reduce_mod(a, primes).reshape(len(idx), n * c, d)
    VT = np.stack([F.prime(i)[1].T for i in idx])
    pv = np.array(primes, dtype=np.int64)
    ev = matmul_mod(am, VT, pv)  # (P, n*c, d_roots)
    ev = ev.transpose(0, 2, 1).reshape(len(idx) * d, n, c)
    return ev, np.repeat(pv, d)


def field_matmul(F: FieldTables, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact product of coefficient arrays ``a (r, k, d)`` and ``b (k, c, d)`` over Q(zeta_m).

    Evaluation/interpolation at the roots of ``Phi_m`` modulo primes ``p = 1 mod m``: ``d``
    independent ``r x k x c`` products per prime instead of one ``(r, kd) x (kd, cd)``
    product, and Chinese remaindering with enough primes for the a-priori coefficient bound
    ``k d G max|a| max|b|`` (``G`` = growth of the reduction mod ``Phi_m``), so the result is
    exact.

    Examples
    --------
    >>> field_matmul(field_tables(4), np.array([[[0, 1]]]), np.array([[[0, 1]]])).tolist()
    [[[-1, 0]]]
    """
    r, k, d = a.shape
    c = b.shape[1]
    ma, mb = maxabs(a), maxabs(b)
    if ma == 0 or mb == 0 or k == 0:
        return np.zeros((r, c, d), dtype=np.int64)
    bound = k * d * F.red_growth * ma * mb
    nprimes = max(1, -(-(2 * bound).bit_length() // (PRIME_BITS - 1)))
    if nprimes > MAX_PRIMES:
        raise CyclotomicError("matrix entries too large")
    pv, VT, VinvT = F.stacked(nprimes)
    primes = pv.tolist()
    am = reduce_mod(a, primes).reshape(nprimes, r * k, d)
    bm = reduce_mod(b, primes).reshape(nprimes, k * c, d)
    ae = matmul_mod(am, VT, pv).reshape(nprimes, r, k, d).transpose(0, 3, 1, 2)
    be = matmul_mod(bm, VT, pv).reshape(nprimes, k, c, d).transpose(0, 3, 1, 2)
    pb = np.repeat(pv, d)
    ce = matmul_mod(ae.reshape(nprimes * d, r, k), be.reshape(nprimes * d, k, c), pb)
    ce = ce.reshape(nprimes, d, r * c).transpose(0, 2, 1)
    cc = matmul_mod(ce, VinvT, pv)  # (P, r*c, d)
    if nprimes == 1:
        half = primes[0] // 2
        out = np.where(cc[0] > half, cc[0] - primes[0], cc[0])
    else:
        out, _ = crt(cc.reshape(nprimes, -1), primes)
    return out.reshape(r, c, d)
