"""The canonical form of cyclotomic numbers: GAP's Zumbroich basis, as integer dictionaries.

An element of Q(zeta_n) is stored like GAP stores its cyclotomics: the *conductor* ``n`` (the
smallest ``n`` with the number in Q(zeta_n); never ``2 mod 4``) and the rational coefficients
of the number in the *Zumbroich basis* of Q(zeta_n) [Zum]_, [Bre]_. Because the Zumbroich
basis of a subfield Q(zeta_d) is a subset of the basis of Q(zeta_n), this form is unique.

The Zumbroich basis of Q(zeta_n), ``n = prod p^nu_p``, is the set of roots
``prod_p prod_{k<nu_p} E(p^(k+1))^(j_k)`` with ``j_0 in {1..p-1}`` (``{0}`` for ``p = 2``) and
``j_k`` in ``{-(p-1)/2..(p-1)/2}`` (``{0, 1}`` for ``p = 2``) for ``k > 0``. A root of unity
outside the basis is rewritten with the relations ``sum_b E(n)^(k + b n/p) = 0`` (sum over
the ``p``-th roots of unity), one prime at a time, as GAP's ``ConvertToBase`` does.

Here a number is a triple ``(n, terms, den)``: ``terms`` the sorted pairs ``(k, c)`` of
integer numerators of the basis roots ``E(n)^k`` and ``den > 0`` their common denominator,
coprime to them. :class:`grouptools.arith.Cyclotomic` wraps such triples.

References
----------
.. [Zum] M. Zumbroich, *Grundlagen einer Arithmetik in Kreisteilungskoerpern und ihre
   Implementation in CAS*, Diplomarbeit, RWTH Aachen, 1989.
.. [Bre] T. Breuer, *Integral bases for subfields of cyclotomic fields*, AAECC 8 (1997),
   279-289; and the GAP reference manual, chapter "Cyclotomic Numbers".
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from grouptools._errors import CyclotomicError, quote
from grouptools.arith._numtheory import factorize, square_part, unit_group_generators

__all__ = [
    "MAX_CONDUCTOR",
    "Number",
    "Terms",
    "add",
    "check_order",
    "complex_part",
    "galois",
    "galois_terms",
    "inverse",
    "multiply",
    "normalize",
    "power",
    "reduce_conductor",
    "roots_to_canonical",
    "sqrt_int",
    "to_basis",
    "zumbroich_basis",
]

#: Largest conductor (order of a root of unity) accepted anywhere; tables are O(n).
MAX_CONDUCTOR = 1 << 17

#: Sorted ``(exponent, integer numerator)`` pairs of Zumbroich basis roots.
Terms = tuple[tuple[int, int], ...]
#: A canonical number ``(conductor, terms, den)``.
Number = tuple[int, Terms, int]

_ZERO: Number = (1, (), 1)
_ONE: Number = (1, ((0, 1),), 1)


def check_order(n: int) -> int:
    """Validate the order ``n`` of a root of unity: an int in ``1..MAX_CONDUCTOR``.

    Raises
    ------
    CyclotomicError
        Otherwise.

    Examples
    --------
    >>> check_order(12)
    12
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise CyclotomicError(f"order of a root of unity must be an int, got {quote(n)}")
    n = int(n)
    if n < 1:
        raise CyclotomicError(f"order of a root of unity must be positive, got {n}")
    if n > MAX_CONDUCTOR:
        raise CyclotomicError(f"order {n} exceeds MAX_CONDUCTOR={MAX_CONDUCTOR}")
    return n


class _ZData:
    """Zumbroich-basis data of Q(zeta_n) for ``n`` not ``2 mod 4`` (cached per ``n``)."""

    __slots__ = ("_exp", "basis", "n", "odd_simple", "primes")

    def __init__(self, n: int) -> None:
        self.n = n
        primes = []
        for p, nu in factorize(n):
            pn = p**nu
            primes.append((p, p ** (nu - 1), pn, pow(n // pn, -1, pn) if pn < n else 1, n // p))
        self.primes = tuple(primes)
        # odd primes dividing n exactly once (candidates for subfield reduction)
        self.odd_simple = tuple(p for p, nu in factorize(n) if p > 2 and nu == 1)
        k = np.arange(n, dtype=np.int64)
        good = np.ones(n, dtype=bool)
        for p, q, pn, uinv, _ in self.primes:
            s = (k * uinv) % pn
            if p == 2:
                good &= s < q
            else:
                low = s % q
                low = np.where(low > q // 2, low - q, low)
                b = ((s - low) // q) % p
                good &= b != 0
        self.basis = good.tolist()
        self._exp: dict[int, tuple[tuple[int, int], ...]] = {}

    def _good(self, e: int, p: int, q: int, pn: int, uinv: int) -> bool:
        s = (e * uinv) % pn
        if p == 2:
            return s < q
        low = s % q
        if low > q // 2:
            low -= q
        return ((s - low) // q) % p != 0

    def expansion(self, k: int) -> tuple[tuple[int, int], ...]:
        """Coefficients (exponent, +-1) of ``zeta_n^k`` in the Zumbroich basis."""
        r = self._exp.get(k)
        if r is not None:
            return r
        n = self.n
        terms: dict[int, int] = {k: 1}
        for p, q, pn, uinv, step in self.primes:
            new: dict[int, int] = {}
            for e, c in terms.items():
                if self._good(e, p, q, pn, uinv):
                    new[e] = new.get(e, 0) + c
                elif p == 2:
                    e2 = (e + step) % n
                    new[e2] = new.get(e2, 0) - c
                else:
                    for b in range(1, p):
                        e2 = (e + b * step) % n
                        new[e2] = new.get(e2, 0) - c
            terms = new
        r = tuple(sorted((e, c) for e, c in terms.items() if c))
        self._exp[k] = r
        return r


@lru_cache(maxsize=64)
def _zdata(n: int) -> _ZData:
    return _ZData(n)


def zumbroich_basis(n: int) -> list[int]:
    """Exponents ``k`` such that ``E(n)^k`` lies in the Zumbroich basis of Q(zeta_n).

    Same as GAP's ``ZumbroichBase(n, 1)``.

    Parameters
    ----------
    n : int
        Positive integer. For ``n = 2 mod 4`` the basis of Q(zeta_(n/2)) = Q(zeta_n) is
        returned with exponents w.r.t. ``E(n)`` (all even), as GAP does.

    Returns
    -------
    list of int
        Increasing exponents; there are ``phi(n)`` of them.

    Examples
    --------
    >>> zumbroich_basis(9)
    [2, 3, 4, 5, 6, 7]
    >>> zumbroich_basis(12)
    [4, 7, 8, 11]
    """
    n = check_order(n)
    if n % 4 == 2:
        return [2 * k for k in zumbroich_basis(n // 2)]
    zd = _zdata(n)
    return [k for k in range(n) if zd.basis[k]]


def to_basis(n: int, acc: Mapping[int, int]) -> dict[int, int]:
    """Rewrite ``sum acc[k] zeta_n^k`` (any exponents mod n) in the Zumbroich basis of n.

    Examples
    --------
    >>> to_basis(3, {0: 1})  # 1 = -E(3) - E(3)^2
    {1: -1, 2: -1}
    """
    zd = _zdata(n)
    basis = zd.basis
    out: dict[int, int] = {}
    get = out.get
    for k, c in acc.items():
        if not c:
            continue
        k %= n
        if basis[k]:
            out[k] = get(k, 0) + c
        else:
            for e, s in zd.expansion(k):
                out[e] = get(e, 0) + s * c
    return out


def reduce_conductor(n: int, coeffs: dict[int, int]) -> tuple[int, dict[int, int]]:
    """Move a Zumbroich-basis element of Q(zeta_n) to its smallest cyclotomic field.

    Uses GAP's criteria: if the gcd ``g`` of ``n`` and all exponents is > 1 the number lies in
    Q(zeta_(n/g)) with exponents divided by ``g``; for an odd prime ``p`` dividing ``n`` once,
    the number lies in Q(zeta_(n/p)) iff its coefficients are constant on the ``p - 1``
    basis roots ``zeta^(k0 + b n/p)``, ``b = 1..p-1``, of every coset (then it equals
    ``-c zeta_n^k0``).

    Examples
    --------
    >>> reduce_conductor(15, {1: 1, 4: 1, 7: 1, 13: 1})  # -E(3)^2 = E(15) + E(15)^4 + ...
    (3, {2: -1})
    """
    coeffs = {e: c for e, c in coeffs.items() if c}
    while n > 1:
        if not coeffs:
            return 1, {}
        g = n
        for e in coeffs:
            g = math.gcd(g, e)
            if g == 1:
                break
        if g > 1:
            n //= g
            coeffs = {e // g: c for e, c in coeffs.items()}
            continue
        reduced = False
        for p in _zdata(n).odd_simple:
            if len(coeffs) % (p - 1):
                continue
            step = n // p
            inv = pow(step, -1, p)
            groups: dict[int, list[int]] = {}
            ok = True
            for e, c in coeffs.items():
                k0 = (e + ((-e * inv) % p) * step) % n
                grp = groups.get(k0)
                if grp is None:
                    groups[k0] = [c, 1]
                elif grp[0] != c:
                    ok = False
                    break
                else:
                    grp[1] += 1
            if ok and all(cnt == p - 1 for _, cnt in groups.values()):
                n //= p
                coeffs = {k0 // p: -c for k0, (c, _) in groups.items()}
                reduced = True
                break
        if not reduced:
            break
    return n, coeffs


def normalize(n: int, coeffs: Mapping[int, int], den: int) -> Number:
    """Canonical ``(conductor, terms, den)`` of ``sum coeffs[k] E(n)^k / den`` (Zumbroich
    coefficients at ``n``, ``den != 0``): cancel the content, make ``den > 0`` and move the
    number to its conductor.

    Examples
    --------
    >>> normalize(12, {4: 2, 8: 2}, -4)  # (E(3) + E(3)^2) / -2 = 1/2
    (1, ((0, 1),), 2)
    """
    nz = {e: c for e, c in coeffs.items() if c}
    if not nz:
        return 1, (), 1
    if den < 0:
        den = -den
        nz = {e: -c for e, c in nz.items()}
    g = den
    for c in nz.values():
        g = math.gcd(g, c)
        if g == 1:
            break
    if g > 1:
        den //= g
        nz = {e: c // g for e, c in nz.items()}
    if n > 1:
        n, nz = reduce_conductor(n, nz)
    return n, tuple(sorted(nz.items())), den


def roots_to_canonical(n: int, acc: Mapping[int, int], den: int = 1) -> Number:
    """Canonical ``(conductor, terms, den)`` of ``sum acc[k] E(n)^k / den`` for any ``n >= 1``
    and any exponents.

    Examples
    --------
    >>> roots_to_canonical(6, {1: 1})  # E(6) = -E(3)^2
    (3, ((2, -1),), 1)
    """
    if n % 4 == 2:
        h = n // 2
        # E(2h) = -E(h)^((h+1)/2) for odd h
        t = (h + 1) // 2
        acc2: dict[int, int] = {}
        for k, c in acc.items():
            e = (k * t) % h
            acc2[e] = acc2.get(e, 0) + (-c if k % 2 else c)
        n, acc = h, acc2
    if n == 1:
        return normalize(1, {0: sum(acc.values())}, den)
    return normalize(n, to_basis(n, acc), den)


def galois_terms(n: int, terms: Terms, k: int) -> Terms:
    """Terms of the image of ``sum c E(n)^e`` under ``E(n) -> E(n)^k`` (``k`` coprime to ``n``).

    Examples
    --------
    >>> galois_terms(5, ((1, 1),), 2)
    ((2, 1),)
    """
    coeffs = to_basis(n, {(e * k) % n: c for e, c in terms})
    return tuple(sorted((e, c) for e, c in coeffs.items() if c))


class _TrigTable(dict):
    """Lazy ``k -> (round(cos(2 pi k/n) 2^bits), round(sin(2 pi k/n) 2^bits))``."""

    def __init__(self, n: int, bits: int) -> None:
        super().__init__()
        self.n = n
        self.bits = bits

    def __missing__(self, k: int) -> tuple[int, int]:
        import mpmath

        with mpmath.workprec(self.bits + 40):
            scale = mpmath.mpf(2) ** self.bits
            x = mpmath.mpf(2 * k) / self.n
            # cospi/sinpi are exact at multiples of 1/2, so exact zeros stay exact
            v = (int(mpmath.nint(mpmath.cospi(x) * scale)),
                 int(mpmath.nint(mpmath.sinpi(x) * scale)))
        self[k] = v
        return v


@lru_cache(maxsize=256)
def _trig_table(n: int, bits: int) -> _TrigTable:
    return _TrigTable(n, bits)


def complex_part(n: int, terms: Terms, den: int, which: int) -> float:
    """Real (``which = 0``) or imaginary (1) part of ``sum c E(n)^e / den`` (``n > 1``) as a
    float, within one unit in the last place.

    Ratios of big integers against 128-bit (more if there is cancellation) fixed-point tables
    of cos and sin; exact zeros are detected exactly (via the complex conjugate).

    Examples
    --------
    >>> complex_part(4, ((1, 1),), 1, 0), complex_part(4, ((1, 1),), 2, 1)
    (0.0, 0.5)
    """
    bits = 128
    absum = sum(abs(c) for _, c in terms)
    zero_checked = False
    while True:
        tab = _trig_table(n, bits)
        num = sum(c * tab[e][which] for e, c in terms)
        # each table entry is within 1/2 of the true value * 2^bits
        if abs(num) >= absum << 62 or bits >= 1 << 13:
            return num / (den << bits)
        if not zero_checked:
            zero_checked = True
            conj = galois_terms(n, terms, -1)
            if conj == (terms if which else tuple((e, -c) for e, c in terms)):
                return 0.0
        bits *= 4


# -- arithmetic of canonical numbers ----------------------------------------------------------


def _lift(x: Number, n: int) -> dict[int, int]:
    """Numerators of ``x * den`` in the Zumbroich basis of ``n`` (a multiple of the conductor)."""
    xn, terms, _ = x
    if n == xn:
        return dict(terms)
    f = n // xn
    return to_basis(n, {e * f: c for e, c in terms})


def add(x: Number, y: Number) -> Number:
    """``x + y``.

    Examples
    --------
    >>> add((3, ((1, 1),), 1), (3, ((2, 1),), 1))  # E(3) + E(3)^2 = -1
    (1, ((0, -1),), 1)
    """
    if not y[1]:
        return x
    if not x[1]:
        return y
    n = math.lcm(x[0], y[0])
    a, b = _lift(x, n), _lift(y, n)
    d1, d2 = x[2], y[2]
    den = math.lcm(d1, d2)
    f1, f2 = den // d1, den // d2
    acc = {e: c * f1 for e, c in a.items()}
    for e, c in b.items():
        acc[e] = acc.get(e, 0) + c * f2
    return normalize(n, acc, den)


def multiply(x: Number, y: Number) -> Number:
    """``x * y``: the product in the group ring of the roots of unity, rewritten in the basis.

    Examples
    --------
    >>> multiply((4, ((1, 1),), 1), (4, ((1, 1),), 2))  # E(4) * E(4) / 2
    (1, ((0, -1),), 2)
    """
    if not x[1] or not y[1]:
        return _ZERO
    if x[0] == 1 or y[0] == 1:
        (n, terms, den), r = (x, y) if y[0] == 1 else (y, x)
        c = r[1][0][1]
        return normalize(n, {e: v * c for e, v in terms}, den * r[2])
    n = math.lcm(x[0], y[0])
    a_items = _lift(x, n).items() if x[0] != n else x[1]
    b_items = list(_lift(y, n).items() if y[0] != n else y[1])
    acc: dict[int, int] = {}
    get = acc.get
    for e1, c1 in a_items:
        for e2, c2 in b_items:
            k = e1 + e2
            if k >= n:
                k -= n
            acc[k] = get(k, 0) + c1 * c2
    return normalize(n, to_basis(n, acc), x[2] * y[2])


def galois(x: Number, k: int) -> Number:
    """Image of ``x`` under ``E(n) -> E(n)^k`` (``k`` coprime to the conductor, any sign).

    Examples
    --------
    >>> galois((5, ((1, 1),), 1), -1)
    (5, ((4, 1),), 1)
    """
    n, terms, den = x
    if n == 1:
        return x
    k %= n
    if k == 1:
        return x
    return n, galois_terms(n, terms, k), den


def _conjugate_product(x: Number, g: int, t: int) -> Number:
    """``prod_{s=1}^{t-1} galois(x, g^s)`` with O(log t) products (binary splitting)."""
    # P(a) = prod_{s<a} galois(g^s)(x); P(2a) = P(a) * galois(g^a)(P(a)); P(a+1) = P(a)*g^a(x)
    n = x[0]
    p_val = x
    a = 1
    for bit in bin(t - 1)[3:]:
        p_val = multiply(p_val, galois(p_val, pow(g, a, n)))
        a *= 2
        if bit == "1":
            p_val = multiply(p_val, galois(x, pow(g, a, n)))
            a += 1
    return galois(p_val, g % n)


def inverse(x: Number) -> Number:
    """``1 / x`` for ``x != 0`` (CyclotomicError for zero).

    ``1/x = c / N(x)`` where ``N(x) = x c`` is the field norm and ``c`` the product of the
    other Galois conjugates, computed along the cyclic factors ``<g>`` of ``(Z/n)^*`` with
    ``O(log |g|)`` multiplications each.

    Examples
    --------
    >>> inverse((1, ((0, 2),), 3)), inverse((4, ((1, 1),), 1))
    ((1, ((0, 3),), 2), (4, ((1, -1),), 1))
    """
    n, terms, den = x
    if not terms:
        raise CyclotomicError("division by zero")
    if n == 1:
        return normalize(1, {0: den}, terms[0][1])
    cof, y = _ONE, x
    for g, t in unit_group_generators(n):
        c = _conjugate_product(y, g, t)
        cof = multiply(cof, c)
        y = multiply(y, c)
    if y[0] != 1:  # pragma: no cover - the norm is rational
        raise CyclotomicError("internal error: norm is not rational")
    return multiply(cof, normalize(1, {0: y[2]}, y[1][0][1]))


def power(x: Number, k: int) -> Number:
    """``x^k`` for an int ``k`` (binary powering; ``x != 0`` if ``k < 0``).

    Examples
    --------
    >>> power((3, ((1, 1),), 1), -1)
    (3, ((2, 1),), 1)
    """
    if k < 0:
        x = inverse(x)
        k = -k
    n, terms, den = x
    if len(terms) == 1 and den == 1 and abs(terms[0][1]) == 1:
        # +- a root of unity: reduce the exponent
        k %= 2 * n
    result = _ONE
    while k:
        if k & 1:
            result = multiply(result, x)
        k >>= 1
        if k:
            x = multiply(x, x)
    return result


def sqrt_int(n: int) -> Number:
    """Principal square root of an integer (``i sqrt(-n)`` for ``n < 0``), as a product of
    quadratic Gauss sums: ``sum_k (k/p) E(p)^k`` is ``sqrt(p)`` for ``p = 1 mod 4`` and
    ``i sqrt(p)`` for ``p = 3 mod 4``; ``sqrt(2) = E(8) - E(8)^3``.

    Raises
    ------
    CyclotomicError
        If the root has a conductor beyond MAX_CONDUCTOR.

    Examples
    --------
    >>> sqrt_int(-4), sqrt_int(5)
    ((4, ((1, 2),), 1), (5, ((1, 1), (2, -1), (3, -1), (4, 1)), 1))
    """
    if n == 0:
        return _ZERO
    if n < 0:
        return multiply((4, ((1, 1),), 1), sqrt_int(-n))
    try:
        s, f = square_part(n, MAX_CONDUCTOR)
    except ValueError:
        raise CyclotomicError("square root of a number with a huge prime factor") from None
    if f > MAX_CONDUCTOR:
        raise CyclotomicError(f"square root of {f} has conductor beyond MAX_CONDUCTOR")
    result: Number = (1, ((0, s),), 1)
    for p, _ in factorize(f):
        if p == 2:
            r = roots_to_canonical(8, {1: 1, 3: -1})
        else:
            r = roots_to_canonical(p, {k: 1 if pow(k, (p - 1) // 2, p) == 1 else -1
                                       for k in range(1, p)})
            if p % 4 == 3:
                r = multiply((4, ((1, -1),), 1), r)
        result = multiply(result, r)
    return result
