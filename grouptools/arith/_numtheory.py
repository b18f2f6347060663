"""Elementary number theory shared by every exact layer (one copy of each, tested once).

Primality (deterministic Miller-Rabin), factorization by trial division, primitive roots,
primes ``p = 1 (mod m)`` with primitive ``m``-th roots of unity modulo ``p`` (the moduli of the
multimodular algorithms), a cyclic decomposition of the unit group ``(Z/n)^*`` (the Galois
group of Q(zeta_n)), cyclotomic polynomials and exact rationals. Pure Python integers; the
array algorithms modulo primes are in :mod:`grouptools.arith._modular`.

References
----------
.. [SW] J. Sorenson, J. Webster, *Strong pseudoprimes to twelve prime bases*, Math. Comp. 86
   (2017), 985-1003.
.. [Coh] H. Cohen, *A Course in Computational Algebraic Number Theory*, GTM 138, Springer
   1993: 1.4 (primitive roots, the structure of ``(Z/n)^*``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from fractions import Fraction
from functools import lru_cache

from grouptools._errors import ParameterError

__all__ = [
    "as_rational",
    "cyclotomic_polynomial",
    "factorize",
    "is_prime",
    "prime_factors",
    "primes_one_mod",
    "primitive_root",
    "root_of_unity_mod",
    "square_part",
    "unit_group_generators",
]

_SMALL = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def is_prime(n: int) -> bool:
    """Deterministic Miller-Rabin primality test, exact for ``n < 3.3 * 10^24``.

    With the first twelve primes as bases the test has no pseudoprimes below that bound [SW]_.

    Examples
    --------
    >>> [p for p in range(20) if is_prime(p)]
    [2, 3, 5, 7, 11, 13, 17, 19]
    >>> is_prime(2**31 - 1), is_prime(3215031751)
    (True, False)
    """
    if n < 2:
        return False
    for q in _SMALL:
        if n % q == 0:
            return n == q
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in _SMALL:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


@lru_cache(maxsize=4096)
def factorize(n: int) -> tuple[tuple[int, int], ...]:
    """Prime factorization of ``n >= 1`` as ``((p, e), ...)`` with increasing primes (trial
    division).

    Examples
    --------
    >>> factorize(360), factorize(1), factorize(97)
    (((2, 3), (3, 2), (5, 1)), (), ((97, 1),))
    """
    n = int(n)
    out = []
    p = 2
    while p * p <= n:
        if n % p == 0:
            e = 0
            while n % p == 0:
                n //= p
                e += 1
            out.append((p, e))
        p += 1 if p == 2 else 2
    if n > 1:
        out.append((n, 1))
    return tuple(out)


def prime_factors(n: int) -> list[int]:
    """The distinct prime factors of ``n >= 1``, increasing.

    Examples
    --------
    >>> prime_factors(6272), prime_factors(1), prime_factors(97)
    ([2, 7], [], [97])
    """
    return [p for p, _ in factorize(n)]


def square_part(n: int, bound: int) -> tuple[int, int]:
    """``n = s^2 f`` with ``f`` squarefree, for ``n >= 1``, as ``(s, f)``.

    Trial division stops at the prime candidate ``bound``; a cofactor left then that is neither
    a square nor certainly prime raises ValueError (so ``bound`` limits the work).

    Examples
    --------
    >>> square_part(360, 100), square_part(7, 100)
    ((6, 10), (1, 7))
    """
    s, f = 1, 1
    p = 2
    while p * p <= n and p <= bound:
        if n % p == 0:
            e = 0
            while n % p == 0:
                n //= p
                e += 1
            s *= p ** (e // 2)
            if e % 2:
                f *= p
        p += 1 if p == 2 else 2
    if n > 1:
        r = math.isqrt(n)
        if r * r == n:
            s *= r
        elif p * p > n:
            f *= n  # no factor below sqrt(n): n is prime
        else:
            raise ValueError(f"{n} has no prime factor <= {bound}: cannot split off its square part")
    return s, f


def primitive_root(p: int) -> int:
    """The smallest primitive root modulo the prime ``p`` (a generator of ``(Z/p)^*``).

    ``g`` is one iff ``g^((p-1)/q) != 1 (mod p)`` for every prime ``q | p - 1`` [Coh]_.

    Examples
    --------
    >>> primitive_root(7), primitive_root(41), primitive_root(2)
    (3, 6, 1)
    """
    if p == 2:
        return 1
    qs = prime_factors(p - 1)
    g = 2
    while any(pow(g, (p - 1) // q, p) == 1 for q in qs):
        g += 1
    return g


def primes_one_mod(m: int, limit: int = 1 << 31) -> Iterator[int]:
    """The odd primes ``p = 1 (mod m)`` below ``limit``, largest first (a generator).

    For such ``p`` the field ``F_p`` contains the ``m``-th roots of unity, so the cyclotomic
    polynomial ``Phi_m`` splits into linear factors modulo ``p``.

    Examples
    --------
    >>> gen = primes_one_mod(12, 100)
    >>> [next(gen) for _ in range(3)]
    [97, 73, 61]
    """
    k = (limit - 2) // m
    while k >= 1:
        p = k * m + 1
        if p > 2 and is_prime(p):
            yield p
        k -= 1


def root_of_unity_mod(m: int, p: int) -> int:
    """A primitive ``m``-th root of unity modulo the prime ``p = 1 (mod m)``.

    The first ``z = a^((p-1)/m)``, ``a = 1, 2, ...``, with ``z^(m/q) != 1`` for every prime
    ``q | m``.

    Examples
    --------
    >>> root_of_unity_mod(4, 13), root_of_unity_mod(1, 13)
    (8, 1)
    """
    if (p - 1) % m:
        raise ParameterError(f"{p} is not 1 modulo {m}: no primitive {m}-th roots of unity")
    qs = prime_factors(m)
    for a in range(1, p):
        z = pow(a, (p - 1) // m, p)
        if all(pow(z, m // q, p) != 1 for q in qs):
            return z
    raise ParameterError(f"{p} is not a prime")  # pragma: no cover - F_p^* is cyclic


@lru_cache(maxsize=256)
def unit_group_generators(n: int) -> tuple[tuple[int, int], ...]:
    """Generators ``g_i`` of ``(Z/n)^*`` with their orders ``t_i``: ``(Z/n)^* = prod <g_i>``.

    From ``(Z/n)^* = prod_p (Z/p^e)^*`` (Chinese remainders): a primitive root for odd ``p``
    (a primitive root ``g`` mod ``p`` or ``g + p`` is one mod every ``p^e``), and ``-1``, ``5``
    for ``2^e``, ``e >= 3`` [Coh]_. Empty for ``n <= 2``.

    Examples
    --------
    >>> unit_group_generators(24)
    ((7, 2), (13, 2), (17, 2))
    >>> unit_group_generators(9)
    ((2, 6),)
    """
    chain = []
    for p, e in factorize(n):
        pe = p**e
        rest = n // pe
        gens = []
        if p == 2:
            if e >= 2:
                gens.append((pe - 1, 2))
            if e >= 3:
                gens.append((5, pe // 4))
        else:
            g = primitive_root(p)
            if e > 1 and pow(g, p - 1, p * p) == 1:
                g += p
            gens.append((g, pe // p * (p - 1)))
        for g, t in gens:
            # lift: g mod p^e, 1 mod the rest
            x = g if rest == 1 else (g * rest * pow(rest, -1, pe) + pe * pow(pe, -1, rest)) % n
            chain.append((x, t))
    return tuple(chain)


@lru_cache(maxsize=256)
def cyclotomic_polynomial(m: int) -> tuple[int, ...]:
    """Integer coefficients (low to high) of ``Phi_m``, from ``x^m - 1 = prod_{d | m} Phi_d``.

    Examples
    --------
    >>> cyclotomic_polynomial(12)
    (1, 0, -1, 0, 1)
    >>> cyclotomic_polynomial(1)
    (-1, 1)
    """
    num = [-1] + [0] * (m - 1) + [1]
    for d in range(1, m):
        if m % d == 0:
            den = cyclotomic_polynomial(d)
            nz = [(j, x) for j, x in enumerate(den) if x]
            # exact division of num by the monic polynomial den
            out = [0] * (len(num) - len(den) + 1)
            rem = num[:]
            for k in range(len(out) - 1, -1, -1):
                c = rem[k + len(den) - 1]
                out[k] = c
                if c:
                    for j, x in nz:
                        rem[k + j] -= c * x
            num = out
    return tuple(num)


def as_rational(x: object) -> Fraction | int | None:
    """``x`` as int/Fraction if it is an exact rational Python/numpy number, else None.

    Examples
    --------
    >>> as_rational(True), as_rational(Fraction(1, 2)), as_rational(0.5)
    (1, Fraction(1, 2), None)
    """
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, Fraction):
        return x
    if isinstance(x, numbers.Rational):
        return Fraction(int(x.numerator), int(x.denominator))
    return None
