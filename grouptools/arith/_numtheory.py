"""Small number-theory helpers shared by the exact layers (one copy, tested once)."""

from __future__ import annotations

__all__ = ["is_prime", "prime_factors"]

_SMALL = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def is_prime(n: int) -> bool:
    """Deterministic Miller-Rabin primality test, exact for ``n < 3.3 * 10^24``.

    With the first twelve primes as bases the test has no pseudoprimes below that bound
    (Sorenson and Webster 2015).

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


def prime_factors(n: int) -> list[int]:
    """The distinct prime factors of ``n >= 1``, increasing (trial division).

    Examples
    --------
    >>> prime_factors(6272), prime_factors(1), prime_factors(97)
    ([2, 7], [], [97])
    """
    out, q = [], 2
    while q * q <= n:
        if n % q == 0:
            out.append(q)
            while n % q == 0:
                n //= q
        q += 1 if q == 2 else 2
    if n > 1:
        out.append(n)
    return out
