"""Exact cyclotomic numbers: elements of the fields Q(zeta_n), in GAP's notation.

A :class:`Cyclotomic` is stored like GAP stores its cyclotomics: the *conductor* ``n`` (the
smallest ``n`` with the number in Q(zeta_n); never ``2 mod 4``) and the rational coefficients
of the number in the *Zumbroich basis* of Q(zeta_n) [Zum]_, [Bre]_. Because the Zumbroich
basis of a subfield Q(zeta_d) is a subset of the basis of Q(zeta_n), this form is unique:
equal numbers built in different fields compare and hash equal (``E(4)**2 == -1``,
``E(6) == -E(3)**2``) and the GAP text printed by :meth:`Cyclotomic.to_gap` is the text GAP
itself prints.

The Zumbroich basis of Q(zeta_n), ``n = prod p^nu_p``, is the set of roots
``prod_p prod_{k<nu_p} E(p^(k+1))^(j_k)`` with ``j_0 in {1..p-1}`` (``{0}`` for ``p = 2``) and
``j_k`` in ``{-(p-1)/2..(p-1)/2}`` (``{0, 1}`` for ``p = 2``) for ``k > 0``. A root of unity
outside the basis is rewritten with the relations ``sum_b E(n)^(k + b n/p) = 0`` (sum over
the ``p``-th roots of unity), one prime at a time, as GAP's ``ConvertToBase`` does.

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
import re
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Mapping, Sequence, Union

import numpy as np

from grouptools._errors import CyclotomicError, ParameterTypeError, check_int, quote

if TYPE_CHECKING:  # pragma: no cover
    import sympy

__all__ = [
    "Cyclotomic",
    "E",
    "ER",
    "EI",
    "MAX_CONDUCTOR",
    "zumbroich_basis",
]

#: Largest conductor (order of a root of unity) accepted anywhere; tables are O(n).
MAX_CONDUCTOR = 1 << 17

Rational = Union[int, Fraction]
CycLike = Union["Cyclotomic", int, Fraction]


# ---------------------------------------------------------------------------------------------
# number theory helpers
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _factorize(n: int) -> tuple[tuple[int, int], ...]:
    """Prime factorization of ``1 <= n`` as ``((p, e), ...)`` with increasing primes."""
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


def _phi(n: int) -> int:
    """Euler's totient."""
    r = n
    for p, _ in _factorize(n):
        r = r // p * (p - 1)
    return r


def _check_order(n: int) -> int:
    """Validate the order ``n`` of a root of unity."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise CyclotomicError(f"order of a root of unity must be an int, got {quote(n)}")
    n = int(n)
    if n < 1:
        raise CyclotomicError(f"order of a root of unity must be positive, got {n}")
    if n > MAX_CONDUCTOR:
        raise CyclotomicError(f"order {n} exceeds MAX_CONDUCTOR={MAX_CONDUCTOR}")
    return n


def _lcm(a: int, b: int) -> int:
    return a // math.gcd(a, b) * b


# ---------------------------------------------------------------------------------------------
# Zumbroich basis tables
# ---------------------------------------------------------------------------------------------


class _ZData:
    """Zumbroich-basis data of Q(zeta_n) for ``n`` not ``2 mod 4`` (cached per ``n``)."""

    __slots__ = ("n", "primes", "basis", "_exp", "odd_simple")

    def __init__(self, n: int) -> None:
        self.n = n
        primes = []
        for p, nu in _factorize(n):
            pn = p**nu
            primes.append((p, p ** (nu - 1), pn, pow(n // pn, -1, pn) if pn < n else 1, n // p))
        self.primes = tuple(primes)
        # odd primes dividing n exactly once (candidates for subfield reduction)
        self.odd_simple = tuple(p for p, nu in _factorize(n) if p > 2 and nu == 1)
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
    n = _check_order(n)
    if n % 4 == 2:
        return [2 * k for k in zumbroich_basis(n // 2)]
    zd = _zdata(n)
    return [k for k in range(n) if zd.basis[k]]


def _to_basis(n: int, acc: Mapping[int, int]) -> dict[int, int]:
    """Rewrite ``sum acc[k] zeta_n^k`` (any exponents mod n) in the Zumbroich basis of n."""
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


def _reduce(n: int, coeffs: dict[int, int]) -> tuple[int, dict[int, int]]:
    """Move a Zumbroich-basis element of Q(zeta_n) to its smallest cyclotomic field.

    Uses GAP's criteria: if the gcd ``g`` of ``n`` and all exponents is > 1 the number lies in
    Q(zeta_(n/g)) with exponents divided by ``g``; for an odd prime ``p`` dividing ``n`` once,
    the number lies in Q(zeta_(n/p)) iff its coefficients are constant on the ``p - 1``
    basis roots ``zeta^(k0 + b n/p)``, ``b = 1..p-1``, of every coset (then it equals
    ``-c zeta_n^k0``).
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


# ---------------------------------------------------------------------------------------------
# the scalar class
# ---------------------------------------------------------------------------------------------


def _as_rational(x: Any) -> Fraction | int | None:
    """``x`` as int/Fraction if it is an exact rational Python/numpy number, else None."""
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, numbers.Integral):
        return int(x)
    if isinstance(x, Fraction):
        return x
    if isinstance(x, numbers.Rational):
        return Fraction(int(x.numerator), int(x.denominator))
    return None


class Cyclotomic:
    """An exact element of a cyclotomic field Q(zeta_n) (immutable, hashable).

    Build numbers with :func:`E` (GAP's ``E(n)`` = ``exp(2 pi i / n)``), :func:`ER`,
    :func:`EI`, :meth:`root_of_unity`, :meth:`from_root_coefficients`, :meth:`from_gap`,
    :meth:`from_sympy` or ``Cyclotomic(q)`` for a rational ``q``, and combine them with
    ``+ - * / **`` (also with ``int`` and ``Fraction`` operands).

    Parameters
    ----------
    value : int, Fraction or Cyclotomic, optional
        A rational number (default 0) or a cyclotomic to copy.

    Notes
    -----
    Canonical form: conductor ``n`` (not ``2 mod 4``), integer numerators of the coefficients
    of the Zumbroich basis roots ``E(n)^k`` and one positive common denominator coprime to
    them (see the module docstring). Products are computed in the group ring of the roots of
    unity and rewritten in the basis; inverses use the norm:
    ``1/x = prod_{s != 1} s(x) / N(x)`` with the Galois conjugates ``s(x)`` computed along a
    chain of cyclic subgroups of ``(Z/n)^*`` with ``O(log)`` multiplications each.

    Examples
    --------
    >>> from grouptools.arith._cyclotomic import E, ER
    >>> E(4) ** 2
    Cyclotomic('-1')
    >>> E(6) == -E(3) ** 2
    True
    >>> print(ER(5))
    E(5)-E(5)^2-E(5)^3+E(5)^4
    >>> (1 + ER(5)) / 2 * ((1 - ER(5)) / 2)
    Cyclotomic('-1')
    >>> complex(E(8))
    (0.7071067811865476+0.7071067811865476j)
    """

    __slots__ = ("_n", "_terms", "_den", "_hash")

    _n: int
    _terms: tuple[tuple[int, int], ...]
    _den: int

    def __init__(self, value: CycLike = 0) -> None:
        if isinstance(value, Cyclotomic):
            self._n, self._terms, self._den = value._n, value._terms, value._den
            self._hash = value._hash
            return
        q = _as_rational(value)
        if q is None:
            raise CyclotomicError(f"cannot convert {type(value).__name__} to Cyclotomic")
        q = Fraction(q)
        self._n = 1
        self._terms = ((0, q.numerator),) if q else ()
        self._den = q.denominator
        self._hash = None

    def __reduce__(self) -> tuple:
        return (Cyclotomic._raw, (self._n, self._terms, self._den))

    # -- internal constructors ---------------------------------------------------------------

    @classmethod
    def _raw(cls, n: int, terms: tuple[tuple[int, int], ...], den: int) -> "Cyclotomic":
        obj = object.__new__(cls)
        obj._n = n
        obj._terms = terms
        obj._den = den
        obj._hash = None
        return obj

    @classmethod
    def _from_basis(cls, n: int, coeffs: Mapping[int, int], den: int) -> "Cyclotomic":
        """Normalize Zumbroich coefficients ``coeffs`` / ``den`` at conductor ``n``."""
        nz = {e: c for e, c in coeffs.items() if c}
        if not nz:
            return _ZERO
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
            n, nz = _reduce(n, nz)
        return cls._raw(n, tuple(sorted(nz.items())), den)

    @classmethod
    def _from_roots(cls, n: int, acc: Mapping[int, int], den: int = 1) -> "Cyclotomic":
        """``sum acc[k] E(n)^k / den`` for any ``n >= 1`` and any exponents."""
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
            return cls._from_basis(1, {0: sum(acc.values())}, den)
        return cls._from_basis(n, _to_basis(n, acc), den)

    def _lift(self, n: int) -> dict[int, int]:
        """Numerators of ``self * den`` in the Zumbroich basis of ``n`` (a multiple)."""
        if n == self._n:
            return dict(self._terms)
        f = n // self._n
        return _to_basis(n, {e * f: c for e, c in self._terms})

    # -- public constructors -----------------------------------------------------------------

    @classmethod
    def root_of_unity(cls, k: int, n: int) -> "Cyclotomic":
        """``E(n)^k``, the root of unity ``exp(2 pi i k / n)``.

        Examples
        --------
        >>> Cyclotomic.root_of_unity(3, 12)
        Cyclotomic('E(4)')
        >>> Cyclotomic.root_of_unity(1, 6) == -E(3) ** 2
        True
        """
        n = _check_order(n)
        return cls._from_roots(n, {check_int("k", k) % n: 1})

    @classmethod
    def from_root_coefficients(
        cls, n: int, coeffs: Sequence[Rational] | Mapping[int, Rational]
    ) -> "Cyclotomic":
        """``sum_k coeffs[k] * E(n)^k`` for rational coefficients.

        Parameters
        ----------
        n : int
            Order of the roots of unity.
        coeffs : sequence or mapping
            A sequence (index ``k``) or a mapping ``{k: c}`` (``k`` any int, taken mod
            ``n``) of ints / Fractions. Typical use: a character value from eigenvalue
            multiplicities.

        Examples
        --------
        >>> Cyclotomic.from_root_coefficients(5, [0, 1, 0, 0, 1])
        Cyclotomic('E(5)+E(5)^4')
        >>> Cyclotomic.from_root_coefficients(4, {1: 1, 3: 1})
        Cyclotomic('0')
        """
        n = _check_order(n)
        if isinstance(coeffs, (str, bytes)) or not (isinstance(coeffs, Mapping) or hasattr(coeffs, "__iter__")):
            raise ParameterTypeError(f"coeffs must be a sequence or a mapping of rationals, got {quote(coeffs)}")
        items = coeffs.items() if isinstance(coeffs, Mapping) else enumerate(coeffs)
        fr: list[tuple[int, Fraction]] = []
        den = 1
        for k, c in items:
            q = _as_rational(c)
            if q is None:
                raise CyclotomicError(f"coefficient {quote(c)} is not rational")
            q = Fraction(q)
            if q:
                fr.append((check_int("exponent", k), q))
                den = _lcm(den, q.denominator)
        acc: dict[int, int] = {}
        for k, q in fr:
            k %= n
            acc[k] = acc.get(k, 0) + q.numerator * (den // q.denominator)
        return cls._from_roots(n, acc, den)

    # -- properties ---------------------------------------------------------------------------

    @property
    def conductor(self) -> int:
        """Smallest ``n`` (not ``2 mod 4``) with the number in Q(zeta_n); 1 for rationals.

        Examples
        --------
        >>> E(6).conductor, (E(8) + E(8) ** 3).conductor, ER(3).conductor
        (3, 8, 12)
        """
        return self._n

    @property
    def denominator(self) -> int:
        """Least common denominator of the Zumbroich coefficients (1 iff algebraic integer).

        Examples
        --------
        >>> (E(5) / 6).denominator
        6
        """
        return self._den

    @property
    def is_rational(self) -> bool:
        """True iff the number is in Q.

        Examples
        --------
        >>> (E(7) + E(7) ** 6).is_rational, (E(3) + E(3) ** 2).is_rational
        (False, True)
        """
        return self._n == 1

    @property
    def is_integral(self) -> bool:
        """True iff the number is an algebraic integer (the Zumbroich basis is integral).

        Examples
        --------
        >>> ((1 + ER(5)) / 2).is_integral, (ER(5) / 2).is_integral
        (True, False)
        """
        return self._den == 1

    @property
    def is_real(self) -> bool:
        """True iff the number equals its complex conjugate.

        Examples
        --------
        >>> (E(5) + E(5) ** 4).is_real, E(5).is_real
        (True, False)
        """
        return self._n <= 2 or self.conjugate() == self

    def coefficients(self) -> dict[int, Fraction]:
        """Zumbroich-basis coefficients ``{k: c}``: the number is ``sum c * E(conductor)^k``.

        Examples
        --------
        >>> E(12).coefficients()
        {7: Fraction(-1, 1)}
        """
        return {e: Fraction(c, self._den) for e, c in self._terms}

    def to_fraction(self) -> Fraction:
        """The number as a Fraction; raises CyclotomicError if it is not rational.

        Examples
        --------
        >>> (E(3) + E(3) ** 2).to_fraction()
        Fraction(-1, 1)
        """
        if self._n != 1:
            raise CyclotomicError(f"{self.to_gap()} is not rational")
        return Fraction(self._terms[0][1], self._den) if self._terms else Fraction(0)

    def __int__(self) -> int:
        q = self.to_fraction()
        if q.denominator != 1:
            raise CyclotomicError(f"{self.to_gap()} is not an integer")
        return q.numerator

    def __float__(self) -> float:
        if not self.is_real:
            raise CyclotomicError(f"{self.to_gap()} is not real")
        return self.to_complex().real

    def __bool__(self) -> bool:
        return bool(self._terms)

    # -- equality and hashing -----------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Cyclotomic):
            return (self._n == other._n and self._den == other._den
                    and self._terms == other._terms)
        q = _as_rational(other)
        if q is None:
            return NotImplemented
        if self._n != 1:
            return False
        return self.to_fraction() == q

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            if self._n == 1:
                h = hash(self.to_fraction())
            else:
                h = hash((self._n, self._terms, self._den))
            self._hash = h
        return h

    # -- arithmetic ---------------------------------------------------------------------------

    @staticmethod
    def _coerce(x: Any) -> "Cyclotomic | None":
        if isinstance(x, Cyclotomic):
            return x
        q = _as_rational(x)
        if q is None:
            return None
        return Cyclotomic(q)

    def __neg__(self) -> "Cyclotomic":
        return Cyclotomic._raw(self._n, tuple((e, -c) for e, c in self._terms), self._den)

    def __pos__(self) -> "Cyclotomic":
        return self

    def __add__(self, other: Any) -> "Cyclotomic":
        o = Cyclotomic._coerce(other)
        if o is None:
            return NotImplemented
        if not o._terms:
            return self
        if not self._terms:
            return o
        n = _lcm(self._n, o._n)
        a = self._lift(n)
        b = o._lift(n)
        d1, d2 = self._den, o._den
        den = _lcm(d1, d2)
        f1, f2 = den // d1, den // d2
        acc = {e: c * f1 for e, c in a.items()}
        for e, c in b.items():
            acc[e] = acc.get(e, 0) + c * f2
        return Cyclotomic._from_basis(n, acc, den)

    __radd__ = __add__

    def __sub__(self, other: Any) -> "Cyclotomic":
        o = Cyclotomic._coerce(other)
        if o is None:
            return NotImplemented
        return self + (-o)

    def __rsub__(self, other: Any) -> "Cyclotomic":
        o = Cyclotomic._coerce(other)
        if o is None:
            return NotImplemented
        return o + (-self)

    def __mul__(self, other: Any) -> "Cyclotomic":
        o = Cyclotomic._coerce(other)
        if o is None:
            return NotImplemented
        if not self._terms or not o._terms:
            return _ZERO
        if o._n == 1 or self._n == 1:
            x, r = (self, o) if o._n == 1 else (o, self)
            c = r._terms[0][1]
            return Cyclotomic._from_basis(x._n, {e: v * c for e, v in x._terms},
                                          x._den * r._den)
        n = _lcm(self._n, o._n)
        a = self._lift(n) if self._n != n else self._terms
        b = o._lift(n) if o._n != n else o._terms
        a_items = a.items() if isinstance(a, dict) else a
        b_items = list(b.items() if isinstance(b, dict) else b)
        acc: dict[int, int] = {}
        get = acc.get
        for e1, c1 in a_items:
            for e2, c2 in b_items:
                k = e1 + e2
                if k >= n:
                    k -= n
                acc[k] = get(k, 0) + c1 * c2
        return Cyclotomic._from_basis(n, _to_basis(n, acc), self._den * o._den)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> "Cyclotomic":
        o = Cyclotomic._coerce(other)
        if o is None:
            return NotImplemented
        return self * o.inverse()

    def __rtruediv__(self, other: Any) -> "Cyclotomic":
        o = Cyclotomic._coerce(other)
        if o is None:
            return NotImplemented
        return o * self.inverse()

    def __pow__(self, k: Any) -> "Cyclotomic":
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            return NotImplemented
        k = int(k)
        base = self
        if k < 0:
            base = self.inverse()
            k = -k
        if len(base._terms) == 1 and base._den == 1 and abs(base._terms[0][1]) == 1:
            # +- a root of unity: reduce the exponent
            k %= 2 * base._n
        result: Cyclotomic = _ONE
        while k:
            if k & 1:
                result = result * base
            k >>= 1
            if k:
                base = base * base
        return result

    def inverse(self) -> "Cyclotomic":
        """Exact multiplicative inverse; raises CyclotomicError for zero.

        Uses ``1/x = c / N(x)`` where ``N(x) = x c`` is the field norm and ``c`` the product
        of the other Galois conjugates.

        Examples
        --------
        >>> (1 + E(5)).inverse() * (1 + E(5))
        Cyclotomic('1')
        """
        if not self._terms:
            raise CyclotomicError("division by zero")
        if self._n == 1:
            c = self._terms[0][1]
            return Cyclotomic._from_basis(1, {0: self._den}, c)
        cof = _ONE
        x = self
        for g, t in _galois_chain(self._n):
            c = _conjugate_product(x, g, t)
            cof = cof * c
            x = x * c
        if x._n != 1:  # pragma: no cover - the norm is rational
            raise CyclotomicError("internal error: norm is not rational")
        return cof * Cyclotomic._from_basis(1, {0: x._den}, x._terms[0][1])

    def galois(self, k: int) -> "Cyclotomic":
        """Image under the Galois automorphism ``E(n) -> E(n)^k`` (GAP's ``GaloisCyc``).

        Parameters
        ----------
        k : int
            Coprime to the conductor (any sign).

        Examples
        --------
        >>> E(5).galois(2)
        Cyclotomic('E(5)^2')
        >>> ER(5).galois(2) == -ER(5)
        True
        """
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            raise CyclotomicError(f"Galois exponent must be an int, got {quote(k)}")
        n = self._n
        k = int(k) % n if n > 1 else 0
        if n == 1:
            return self
        if math.gcd(k, n) != 1:
            raise CyclotomicError(f"Galois exponent {k} is not coprime to the conductor {n}")
        if k == 1:
            return self
        acc = {(e * k) % n: c for e, c in self._terms}
        coeffs = _to_basis(n, acc)
        return Cyclotomic._raw(n, tuple(sorted((e, c) for e, c in coeffs.items() if c)),
                               self._den)

    def conjugate(self) -> "Cyclotomic":
        """Complex conjugate (``galois(-1)``).

        Examples
        --------
        >>> E(3).conjugate()
        Cyclotomic('E(3)^2')
        """
        return self.galois(-1)

    # -- GAP notation -------------------------------------------------------------------------

    def to_gap(self) -> str:
        """GAP notation, exactly as GAP's ``String`` prints this cyclotomic.

        Terms follow the Zumbroich basis in increasing exponent order, e.g.
        ``E(5)^2+E(5)^3``, ``-E(4)``, ``1/2*E(3)``, ``-3/2*E(12)^7``, ``-1``.

        Examples
        --------
        >>> (E(8) + E(8) ** 3).to_gap()
        'E(8)+E(8)^3'
        >>> (Fraction(1, 2) + E(4) / 3).to_gap()
        '1/2+1/3*E(4)'
        """
        if self._n == 1:
            return str(self.to_fraction())
        n, den = self._n, self._den
        parts = []
        for i, (e, c) in enumerate(self._terms):
            q = Fraction(c, den)
            root = "" if e == 0 else (f"E({n})" if e == 1 else f"E({n})^{e}")
            if not root:
                text = str(q)
                if q > 0 and i:
                    text = "+" + text
            elif q == 1:
                text = root if i == 0 else "+" + root
            elif q == -1:
                text = "-" + root
            else:
                text = f"{q}*{root}"
                if q > 0 and i:
                    text = "+" + text
            parts.append(text)
        return "".join(parts)

    def __str__(self) -> str:
        return self.to_gap()

    def __repr__(self) -> str:
        return f"Cyclotomic('{self.to_gap()}')"

    @classmethod
    def from_gap(cls, text: str) -> "Cyclotomic":
        """Parse GAP's notation for a cyclotomic number.

        Accepts sums, differences, products and quotients of integers, ``E(n)``, ``ER(q)``
        (square root), ``EI(q)`` (``E(4)*ER(q)``), parentheses and integer powers ``x^k``, e.g.
        the output of GAP's ``Print``/``String`` (line continuations ``\\`` + newline are
        ignored). Other GAP irrationalities (``EB``, ``b7``, ``r2``, ...) are rejected.

        Parameters
        ----------
        text : str
            GAP text.

        Raises
        ------
        CyclotomicError
            On unparsable text, unsupported names or division by zero.

        Examples
        --------
        >>> Cyclotomic.from_gap("-3/2*E(12)^7")
        Cyclotomic('-3/2*E(12)^7')
        >>> Cyclotomic.from_gap("ER(5)") == 2 * (E(5) + E(5) ** 4) + 1
        True
        >>> Cyclotomic.from_gap("E(3)^-1 + (1/2)^2")  # 1 = -E(3)-E(3)^2 in the basis
        Cyclotomic('-1/4*E(3)+3/4*E(3)^2')
        """
        if not isinstance(text, str):
            raise CyclotomicError(f"GAP text must be a str, got {type(text).__name__}")
        return _GapParser(text).parse()

    # -- sympy --------------------------------------------------------------------------------

    def to_sympy(self) -> "sympy.Expr":
        """A sympy expression ``sum c_k exp(2 pi i k / n)`` equal to this number.

        Examples
        --------
        >>> E(4).to_sympy()
        I
        >>> import sympy
        >>> sympy.expand_complex(ER(2).to_sympy())
        sqrt(2)
        """
        import sympy

        if self._n == 1:
            return sympy.Rational(self.to_fraction().numerator, self.to_fraction().denominator)
        terms = []
        for e, c in self._terms:
            q = sympy.Rational(c, self._den)
            terms.append(q * sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(e, self._n)))
        return sympy.Add(*terms)

    @classmethod
    def from_sympy(cls, expr: Any) -> "Cyclotomic":
        """Convert a sympy expression built from rationals, ``I``, square roots of rationals,
        ``exp(2 pi I q)``, ``(-1)**q``, ``cos(pi q)`` and ``sin(pi q)`` (``q`` rational) with
        ``+``, ``*`` and integer powers.

        Raises
        ------
        CyclotomicError
            If the expression is not of that form.

        Examples
        --------
        >>> import sympy
        >>> Cyclotomic.from_sympy(sympy.exp(2 * sympy.pi * sympy.I / 5))
        Cyclotomic('E(5)')
        >>> Cyclotomic.from_sympy((1 + sympy.sqrt(5)) / 2)
        Cyclotomic('-E(5)^2-E(5)^3')
        >>> Cyclotomic.from_sympy(sympy.cos(2 * sympy.pi / 3))
        Cyclotomic('-1/2')
        """
        return _from_sympy(expr, 0)

    # -- numerical values ---------------------------------------------------------------------

    def to_complex(self) -> complex:
        """Value as a Python complex, with full double accuracy.

        Real and imaginary parts are computed as ratios of big integers against 128-bit (more
        if there is cancellation) fixed-point tables of cos and sin, so each part is within one
        unit in the last place (exact zeros are detected exactly).

        Examples
        --------
        >>> (E(5) + E(5) ** 4).to_complex()
        (0.6180339887498949+0j)
        """
        if not self._terms:
            return 0j
        if self._n == 1:
            return complex(self._terms[0][1] / self._den)
        return complex(self._part(0), self._part(1))

    def __complex__(self) -> complex:
        return self.to_complex()

    def _part(self, which: int) -> float:
        """Real (0) or imaginary (1) part as a float."""
        n = self._n
        bits = 128
        absum = sum(abs(c) for _, c in self._terms)
        zero_checked = False
        while True:
            tab = _trig_table(n, bits)
            num = sum(c * tab[e][which] for e, c in self._terms)
            # each table entry is within 1/2 of the true value * 2^bits
            if abs(num) >= absum << 62 or bits >= 1 << 13:
                return num / (self._den << bits)
            if not zero_checked:
                zero_checked = True
                c = self.conjugate()
                if (c == self) if which else (c == -self):
                    return 0.0
            bits *= 4


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


# -- Galois chains for norms ------------------------------------------------------------------


def _primitive_root(p: int) -> int:
    """Smallest primitive root modulo the odd prime ``p``."""
    qs = [q for q, _ in _factorize(p - 1)]
    g = 2
    while any(pow(g, (p - 1) // q, p) == 1 for q in qs):
        g += 1
    return g


@lru_cache(maxsize=256)
def _galois_chain(n: int) -> tuple[tuple[int, int], ...]:
    """Generators ``g_i`` of ``(Z/n)^*`` with orders ``t_i``: ``(Z/n)^* = prod <g_i>``.

    From ``(Z/n)^* = prod_p (Z/p^e)^*`` (Chinese remainders): a primitive root for odd
    ``p`` (a primitive root ``g`` mod ``p`` or ``g + p`` is one mod every ``p^e``), and
    ``-1``, ``5`` for ``2^e``, ``e >= 3``.
    """
    chain = []
    for p, e in _factorize(n):
        pe = p**e
        rest = n // pe
        gens = []
        if p == 2:
            if e >= 2:
                gens.append((pe - 1, 2))
            if e >= 3:
                gens.append((5, pe // 4))
        else:
            g = _primitive_root(p)
            if e > 1 and pow(g, p - 1, p * p) == 1:
                g += p
            gens.append((g, pe // p * (p - 1)))
        for g, t in gens:
            # lift: g mod p^e, 1 mod the rest
            x = g if rest == 1 else (g * rest * pow(rest, -1, pe) + pe * pow(pe, -1, rest)) % n
            chain.append((x, t))
    return tuple(chain)


def _conjugate_product(x: Cyclotomic, g: int, t: int) -> Cyclotomic:
    """``prod_{s=1}^{t-1} x.galois(g^s)`` with O(log t) products (binary splitting)."""
    # P(a) = prod_{s<a} galois(g^s)(x); P(2a) = P(a) * galois(g^a)(P(a)); P(a+1) = P(a)*g^a(x)
    target = t - 1
    p_val = x
    a = 1
    for bit in bin(target)[3:]:
        p_val = p_val * p_val.galois(pow(g, a, x._n) if x._n > 1 else 1)
        a *= 2
        if bit == "1":
            p_val = p_val * x.galois(pow(g, a, x._n) if x._n > 1 else 1)
            a += 1
    return p_val.galois(g % x._n) if x._n > 1 else p_val


# ---------------------------------------------------------------------------------------------
# GAP's E, ER, EI
# ---------------------------------------------------------------------------------------------


def E(n: int) -> Cyclotomic:
    """GAP's ``E(n)``: the primitive root of unity ``exp(2 pi i / n)``.

    Examples
    --------
    >>> E(3) + E(3) ** 2
    Cyclotomic('-1')
    >>> E(12)
    Cyclotomic('-E(12)^7')
    """
    return Cyclotomic.root_of_unity(1, n)


def _square_part(n: int) -> tuple[int, int]:
    """``n = s^2 f`` with ``f`` squarefree, for ``n >= 1``.

    Trial division stops at ``MAX_CONDUCTOR``; a cofactor that is then neither a square nor
    small cannot have a square root of conductor <= MAX_CONDUCTOR (CyclotomicError).
    """
    s, f = 1, 1
    p = 2
    while p * p <= n and p <= MAX_CONDUCTOR:
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
            f *= n  # n is prime
        else:
            raise CyclotomicError("square root of a number with a huge prime factor")
    if f > MAX_CONDUCTOR:
        raise CyclotomicError(f"square root of {f} has conductor beyond MAX_CONDUCTOR")
    return s, f


def _sqrt_int(n: int) -> Cyclotomic:
    """Principal square root of an integer (quadratic Gauss sums)."""
    if n == 0:
        return _ZERO
    if n < 0:
        return E(4) * _sqrt_int(-n)
    s, f = _square_part(n)
    result = Cyclotomic(s)
    for p, _ in _factorize(f):
        if p == 2:
            r = E(8) - E(8) ** 3
        else:
            # g = sum_k (k/p) E(p)^k equals sqrt(p) if p = 1 mod 4 and i sqrt(p) otherwise
            acc = {}
            for k in range(1, p):
                acc[k] = 1 if pow(k, (p - 1) // 2, p) == 1 else -1
            r = Cyclotomic._from_roots(p, acc)
            if p % 4 == 3:
                r = -E(4) * r
        result = result * r
    return result


def ER(n: Rational) -> Cyclotomic:
    """GAP's ``ER(n)``: the principal square root of a rational ``n`` (``i sqrt(-n)`` if n<0).

    Examples
    --------
    >>> print(ER(2))
    E(8)-E(8)^3
    >>> ER(-3) == 2 * E(3) + 1
    True
    >>> ER(Fraction(1, 2)) ** 2
    Cyclotomic('1/2')
    """
    q = _as_rational(n)
    if q is None:
        raise CyclotomicError(f"ER needs a rational argument, got {quote(n)}")
    q = Fraction(q)
    num, den = q.numerator, q.denominator
    return _sqrt_int(num * den) * Fraction(1, den)


def EI(n: Rational) -> Cyclotomic:
    """GAP's ``EI(n)``, defined as ``E(4) * ER(n)``.

    For ``n > 0`` this is ``sqrt(-n)`` (e.g. ``EI(3) = E(3) - E(3)^2``); like GAP,
    ``EI(-1) = -1``.

    Examples
    --------
    >>> EI(3) == E(3) - E(3) ** 2
    True
    >>> EI(-3) == -ER(3)
    True
    """
    q = _as_rational(n)
    if q is None:
        raise CyclotomicError(f"EI needs a rational argument, got {quote(n)}")
    return E(4) * ER(q)


# ---------------------------------------------------------------------------------------------
# GAP parser
# ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(\d+)|([A-Za-z_][A-Za-z_0-9]*)|(\S))")
_MAX_DEPTH = 200
_MAX_POWER = 1 << 12


class _GapParser:
    """Recursive-descent parser for GAP cyclotomic expressions.

    Grammar (GAP precedence: ``^`` binds tighter than unary minus)::

        expr   := term (("+" | "-") term)*
        term   := unary (("*" | "/") unary)*
        unary  := ("+" | "-") unary | power
        power  := atom ("^" ["+" | "-"] (INT | "(" expr ")"))?
        atom   := INT | ("E" | "ER" | "EI") "(" expr ")" | "(" expr ")"
    """

    def __init__(self, text: str) -> None:
        self.text = text.replace("\\\n", "").replace("\\\r\n", "")
        self.toks: list[tuple[str, str, int]] = []
        pos = 0
        t = self.text
        while pos < len(t):
            m = _TOKEN.match(t, pos)
            if m is None or m.end() == pos:  # only trailing whitespace left
                break
            if m.group(1) is not None:
                self.toks.append(("int", m.group(1), m.start(1)))
            elif m.group(2) is not None:
                self.toks.append(("name", m.group(2), m.start(2)))
            elif m.group(3) is not None:
                self.toks.append(("sym", m.group(3), m.start(3)))
            pos = m.end()
        self.i = 0
        self.depth = 0

    def error(self, msg: str) -> CyclotomicError:
        if self.i < len(self.toks):
            where = f"at position {self.toks[self.i][2]}"
        else:
            where = "at end of text"
        short = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return CyclotomicError(f"cannot parse GAP cyclotomic {short!r}: {msg} {where}")

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def accept(self, sym: str) -> bool:
        t = self.peek()
        if t is not None and t[0] == "sym" and t[1] == sym:
            self.i += 1
            return True
        return False

    def expect(self, sym: str) -> None:
        if not self.accept(sym):
            raise self.error(f"expected {sym!r}")

    def parse(self) -> Cyclotomic:
        if not self.toks:
            raise self.error("empty text")
        v = self.expr()
        if self.i != len(self.toks):
            raise self.error("unexpected token")
        return v

    def expr(self) -> Cyclotomic:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.error("nesting too deep")
        v = self.term()
        while True:
            if self.accept("+"):
                v = v + self.term()
            elif self.accept("-"):
                v = v - self.term()
            else:
                break
        self.depth -= 1
        return v

    def term(self) -> Cyclotomic:
        v = self.unary()
        while True:
            if self.accept("*"):
                v = v * self.unary()
            elif self.accept("/"):
                d = self.unary()
                if not d:
                    raise self.error("division by zero")
                v = v / d
            else:
                break
        return v

    def unary(self) -> Cyclotomic:
        if self.accept("-"):
            return -self.unary()
        if self.accept("+"):
            return self.unary()
        return self.power()

    def integer_value(self, v: Cyclotomic, what: str) -> int:
        if not v.is_rational or v.denominator != 1:
            raise self.error(f"{what} must be an integer")
        return int(v)

    def power(self) -> Cyclotomic:
        base = self.atom()
        if self.accept("^"):
            sign = 1
            if self.accept("-"):
                sign = -1
            elif self.accept("+"):
                sign = 1
            t = self.peek()
            if t is not None and t[0] == "int":
                self.i += 1
                k = int(t[1])
            elif self.accept("("):
                k = self.integer_value(self.expr(), "exponent")
                self.expect(")")
            else:
                raise self.error("expected an integer exponent")
            k *= sign
            unit = (len(base._terms) == 1 and base.denominator == 1
                    and abs(base._terms[0][1]) == 1)
            if abs(k) > _MAX_POWER and not unit:
                raise self.error("exponent too large")
            if k < 0 and not base:
                raise self.error("division by zero")
            return base**k
        return base

    def atom(self) -> Cyclotomic:
        t = self.peek()
        if t is None:
            raise self.error("unexpected end")
        kind, val, _ = t
        if kind == "int":
            self.i += 1
            return Cyclotomic(int(val))
        if kind == "name":
            if val not in ("E", "ER", "EI"):
                raise self.error(f"unsupported GAP name {quote(val)}")
            self.i += 1
            self.expect("(")
            arg = self.expr()
            self.expect(")")
            if val == "E":
                n = self.integer_value(arg, "argument of E")
                if n < 1:
                    raise self.error("argument of E must be positive")
                if n > MAX_CONDUCTOR:
                    raise self.error("argument of E exceeds MAX_CONDUCTOR")
                return E(n)
            if not arg.is_rational:
                raise self.error(f"argument of {val} must be rational")
            q = arg.to_fraction()
            return ER(q) if val == "ER" else EI(q)
        if self.accept("("):
            v = self.expr()
            self.expect(")")
            return v
        raise self.error(f"unexpected {quote(val)}")


# ---------------------------------------------------------------------------------------------
# sympy conversion
# ---------------------------------------------------------------------------------------------


def _from_sympy(expr: Any, depth: int) -> Cyclotomic:
    import sympy

    if depth > _MAX_DEPTH:
        raise CyclotomicError("sympy expression nested too deeply")
    q = _as_rational(expr)
    if q is not None:
        return Cyclotomic(q)
    if not isinstance(expr, sympy.Basic):
        raise CyclotomicError(f"cannot convert {type(expr).__name__} to Cyclotomic")
    if isinstance(expr, sympy.Rational):
        return Cyclotomic(Fraction(int(expr.p), int(expr.q)))
    if expr is sympy.I:
        return E(4)
    if isinstance(expr, sympy.Add):
        r = _ZERO
        for a in expr.args:
            r = r + _from_sympy(a, depth + 1)
        return r
    if isinstance(expr, sympy.Mul):
        r = _ONE
        for a in expr.args:
            r = r * _from_sympy(a, depth + 1)
        return r
    if isinstance(expr, sympy.Pow):
        b, e = expr.args
        if isinstance(e, sympy.Integer):
            k = int(e)
            if abs(k) > _MAX_POWER:
                raise CyclotomicError(f"exponent {k} too large")
            base = _from_sympy(b, depth + 1)
            if k < 0 and not base:
                raise CyclotomicError("division by zero")
            return base**k
        if isinstance(e, sympy.Rational) and isinstance(b, sympy.Rational):
            num, den = int(e.p), int(e.q)
            if b == -1:
                return Cyclotomic.root_of_unity(num, 2 * den)
            if den == 2:
                r = ER(Fraction(int(b.p), int(b.q)))
                if num < 0 and not r:
                    raise CyclotomicError("division by zero")
                return r**num
        raise CyclotomicError(f"power {expr} is not a cyclotomic number")
    if isinstance(expr, sympy.exp):
        q = expr.args[0] / (2 * sympy.pi * sympy.I)
        if not q.is_Rational:
            q = sympy.simplify(q)
        if not q.is_Rational:
            raise CyclotomicError(f"{expr} is not a root of unity")
        return Cyclotomic.root_of_unity(int(q.p), _check_order(int(q.q)))
    if isinstance(expr, (sympy.cos, sympy.sin)):
        q = expr.args[0] / (2 * sympy.pi)
        if not q.is_Rational:
            q = sympy.simplify(q)
        if not q.is_Rational:
            raise CyclotomicError(f"{expr} is not cyclotomic")
        z = Cyclotomic.root_of_unity(int(q.p), _check_order(int(q.q)))
        zi = z.conjugate()
        if isinstance(expr, sympy.cos):
            return (z + zi) * Fraction(1, 2)
        return (z - zi) * E(4).conjugate() * Fraction(1, 2)
    raise CyclotomicError(f"cannot convert sympy expression {expr} to Cyclotomic")


_ZERO = Cyclotomic._raw(1, (), 1)
_ONE = Cyclotomic._raw(1, ((0, 1),), 1)
