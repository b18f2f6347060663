"""Exact cyclotomic numbers: elements of the fields Q(zeta_n), in GAP's notation.

A :class:`Cyclotomic` is stored like GAP stores its cyclotomics: the conductor ``n`` and the
rational coefficients of the number in the Zumbroich basis of Q(zeta_n) (see
:mod:`grouptools.arith._zumbroich`, [Zum]_, [Bre]_). The form is unique: equal numbers built
in different fields compare and hash equal (``E(4)**2 == -1``, ``E(6) == -E(3)**2``) and the
GAP text printed by :meth:`Cyclotomic.to_gap` is the text GAP itself prints. Square roots
(:func:`ER`) are products of quadratic Gauss sums [IR]_.

References
----------
.. [Zum] M. Zumbroich, *Grundlagen einer Arithmetik in Kreisteilungskoerpern und ihre
   Implementation in CAS*, Diplomarbeit, RWTH Aachen, 1989.
.. [Bre] T. Breuer, *Integral bases for subfields of cyclotomic fields*, AAECC 8 (1997),
   279-289; and the GAP reference manual, chapter "Cyclotomic Numbers".
.. [IR] K. Ireland, M. Rosen, *A Classical Introduction to Modern Number Theory*, 2nd ed.,
   GTM 84, Springer 1990, 6.4 (the sign of the quadratic Gauss sum).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Union

from grouptools._errors import CyclotomicError, ParameterTypeError, check_int, quote
from grouptools.arith._gap_syntax import (
    Constructors,
    format_gap,
    parse_gap,
    parse_sympy,
    to_sympy,
)
from grouptools.arith._numtheory import as_rational
from grouptools.arith._zumbroich import (
    Number,
    add,
    check_order,
    complex_part,
    galois,
    inverse,
    multiply,
    power,
    roots_to_canonical,
    sqrt_int,
)

if TYPE_CHECKING:  # pragma: no cover
    import sympy

__all__ = [
    "EI",
    "ER",
    "Cyclotomic",
    "E",
    "as_cyclotomic",
    "from_root_numerators",
    "numerators",
]

Rational = Union[int, Fraction]
CycLike = Union["Cyclotomic", int, Fraction]


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
    them (see :mod:`grouptools.arith._zumbroich`). Products are computed in the group ring of the roots of
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

    __slots__ = ("_den", "_hash", "_n", "_terms")

    _n: int
    _terms: tuple[tuple[int, int], ...]
    _den: int

    def __init__(self, value: CycLike = 0) -> None:
        if isinstance(value, Cyclotomic):
            self._n, self._terms, self._den = value._n, value._terms, value._den
            self._hash = value._hash
            return
        q = as_rational(value)
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
    def _raw(cls, n: int, terms: tuple[tuple[int, int], ...], den: int) -> Cyclotomic:
        obj = object.__new__(cls)
        obj._n = n
        obj._terms = terms
        obj._den = den
        obj._hash = None
        return obj

    @classmethod
    def _from_roots(cls, n: int, acc: Mapping[int, int], den: int = 1) -> Cyclotomic:
        """``sum acc[k] E(n)^k / den`` for any ``n >= 1`` and any exponents."""
        return cls._raw(*roots_to_canonical(n, acc, den))

    # -- public constructors -----------------------------------------------------------------

    @classmethod
    def root_of_unity(cls, k: int, n: int) -> Cyclotomic:
        """``E(n)^k``, the root of unity ``exp(2 pi i k / n)``.

        Examples
        --------
        >>> Cyclotomic.root_of_unity(3, 12)
        Cyclotomic('E(4)')
        >>> Cyclotomic.root_of_unity(1, 6) == -E(3) ** 2
        True
        """
        n = check_order(n)
        return cls._from_roots(n, {check_int("k", k) % n: 1})

    @classmethod
    def from_root_coefficients(
        cls, n: int, coeffs: Sequence[Rational] | Mapping[int, Rational]
    ) -> Cyclotomic:
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
        n = check_order(n)
        if isinstance(coeffs, (str, bytes)) or not (isinstance(coeffs, Mapping) or hasattr(coeffs, "__iter__")):
            raise ParameterTypeError(f"coeffs must be a sequence or a mapping of rationals, got {quote(coeffs)}")
        items = coeffs.items() if isinstance(coeffs, Mapping) else enumerate(coeffs)
        fr: list[tuple[int, Fraction]] = []
        den = 1
        for k, c in items:
            q = as_rational(c)
            if q is None:
                raise CyclotomicError(f"coefficient {quote(c)} is not rational")
            q = Fraction(q)
            if q:
                fr.append((check_int("exponent", k), q))
                den = math.lcm(den, q.denominator)
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
        q = as_rational(other)
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

    def __neg__(self) -> Cyclotomic:
        return Cyclotomic._raw(self._n, tuple((e, -c) for e, c in self._terms), self._den)

    def __pos__(self) -> Cyclotomic:
        return self

    def __add__(self, other: object) -> Cyclotomic:
        o = as_cyclotomic(other)
        if o is None:
            return NotImplemented
        return Cyclotomic._raw(*add(numerators(self), numerators(o)))

    __radd__ = __add__

    def __sub__(self, other: object) -> Cyclotomic:
        o = as_cyclotomic(other)
        if o is None:
            return NotImplemented
        return self + (-o)

    def __rsub__(self, other: object) -> Cyclotomic:
        o = as_cyclotomic(other)
        if o is None:
            return NotImplemented
        return o + (-self)

    def __mul__(self, other: object) -> Cyclotomic:
        o = as_cyclotomic(other)
        if o is None:
            return NotImplemented
        return Cyclotomic._raw(*multiply(numerators(self), numerators(o)))

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> Cyclotomic:
        o = as_cyclotomic(other)
        if o is None:
            return NotImplemented
        return self * o.inverse()

    def __rtruediv__(self, other: object) -> Cyclotomic:
        o = as_cyclotomic(other)
        if o is None:
            return NotImplemented
        return o * self.inverse()

    def __pow__(self, k: object) -> Cyclotomic:
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            return NotImplemented
        return Cyclotomic._raw(*power(numerators(self), int(k)))

    def inverse(self) -> Cyclotomic:
        """Exact multiplicative inverse; raises CyclotomicError for zero.

        Uses ``1/x = c / N(x)`` where ``N(x) = x c`` is the field norm and ``c`` the product
        of the other Galois conjugates (see :func:`grouptools.arith._zumbroich.inverse`).

        Examples
        --------
        >>> (1 + E(5)).inverse() * (1 + E(5))
        Cyclotomic('1')
        """
        return Cyclotomic._raw(*inverse(numerators(self)))

    def galois(self, k: int) -> Cyclotomic:
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
        return Cyclotomic._raw(*galois(numerators(self), k))

    def conjugate(self) -> Cyclotomic:
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
        return format_gap(self._n, self._terms, self._den)

    def __str__(self) -> str:
        return self.to_gap()

    def __repr__(self) -> str:
        return f"Cyclotomic('{self.to_gap()}')"

    @classmethod
    def from_gap(cls, text: str) -> Cyclotomic:
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
        return parse_gap(text, _MAKE)

    # -- sympy --------------------------------------------------------------------------------

    def to_sympy(self) -> sympy.Expr:
        """A sympy expression ``sum c_k exp(2 pi i k / n)`` equal to this number.

        Examples
        --------
        >>> E(4).to_sympy()
        I
        >>> import sympy
        >>> sympy.expand_complex(ER(2).to_sympy())
        sqrt(2)
        """
        return to_sympy(self._n, self._terms, self._den)

    @classmethod
    def from_sympy(cls, expr: object) -> Cyclotomic:
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
        return parse_sympy(expr, _MAKE)

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
        return complex(complex_part(self._n, self._terms, self._den, 0),
                       complex_part(self._n, self._terms, self._den, 1))

    def __complex__(self) -> complex:
        return self.to_complex()


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
    q = as_rational(n)
    if q is None:
        raise CyclotomicError(f"ER needs a rational argument, got {quote(n)}")
    q = Fraction(q)
    num, den = q.numerator, q.denominator
    return Cyclotomic._raw(*sqrt_int(num * den)) * Fraction(1, den)


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
    q = as_rational(n)
    if q is None:
        raise CyclotomicError(f"EI needs a rational argument, got {quote(n)}")
    return E(4) * ER(q)


def as_cyclotomic(x: object) -> Cyclotomic | None:
    """``x`` as a :class:`Cyclotomic` if it is one or an exact rational, else None.

    Examples
    --------
    >>> as_cyclotomic(Fraction(1, 2)), as_cyclotomic(0.5)
    (Cyclotomic('1/2'), None)
    """
    if isinstance(x, Cyclotomic):
        return x
    q = as_rational(x)
    if q is None:
        return None
    return Cyclotomic(q)


def numerators(x: Cyclotomic) -> Number:
    """The canonical form ``(conductor, terms, den)`` of ``x``: ``x = sum_(k, c) c E(n)^k / den``
    over the Zumbroich basis (see :mod:`grouptools.arith._zumbroich`).

    Examples
    --------
    >>> numerators(E(12) / 2)
    (12, ((7, -1),), 2)
    """
    return x._n, x._terms, x._den


def from_root_numerators(n: int, acc: Mapping[int, int], den: int = 1) -> Cyclotomic:
    """``sum acc[k] E(n)^k / den`` for integer ``acc`` (any exponents) and ``den != 0``: the
    fast constructor for exact integer data (no validation).

    Examples
    --------
    >>> from_root_numerators(4, {0: 1, 1: 1}, 2)
    Cyclotomic('1/2+1/2*E(4)')
    """
    return Cyclotomic._from_roots(n, acc, den)

_MAKE: Constructors[Cyclotomic] = Constructors(Cyclotomic, Cyclotomic.root_of_unity, ER)
