"""GAP's text form and sympy expressions of cyclotomic numbers: printing and parsing.

Printing works on the canonical triples ``(n, terms, den)`` of
:mod:`grouptools.arith._zumbroich`. Parsing is generic: a recursive-descent parser of GAP's
expression grammar [GAP]_ and a walk over sympy expression trees build their values with
:class:`Constructors` (rationals, roots of unity, square roots) and the operators of the number
type, so this module sits below the number type :class:`grouptools.arith.Cyclotomic`.

References
----------
.. [GAP] The GAP Group, *GAP -- Groups, Algorithms, and Programming*, reference manual,
   chapter "Cyclotomic Numbers" (``E``, ``ER``, ``EI``, the printed form).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from grouptools._errors import CyclotomicError, quote
from grouptools.arith._numtheory import as_rational
from grouptools.arith._zumbroich import MAX_CONDUCTOR, Terms, check_order

if TYPE_CHECKING:  # pragma: no cover
    from typing import Self

    import sympy

__all__ = ["Constructors", "GapNumber", "format_gap", "parse_gap", "parse_sympy", "to_sympy"]


class GapNumber(Protocol):
    """What the parsers need of a number type (:class:`grouptools.arith.Cyclotomic` is one)."""

    def __add__(self, other: Self, /) -> Self: ...
    def __sub__(self, other: Self, /) -> Self: ...
    def __mul__(self, other: Self, /) -> Self: ...
    def __truediv__(self, other: Self, /) -> Self: ...
    def __neg__(self) -> Self: ...
    def __pow__(self, k: int, /) -> Self: ...
    def __bool__(self) -> bool: ...
    def conjugate(self) -> Self: ...
    def to_fraction(self) -> Fraction: ...
    def coefficients(self) -> dict[int, Fraction]: ...
    @property
    def is_rational(self) -> bool: ...
    @property
    def denominator(self) -> int: ...


N = TypeVar("N", bound=GapNumber)


@dataclass(frozen=True)
class Constructors(Generic[N]):
    """How the parsers build numbers of type ``N``.

    Attributes
    ----------
    rational : callable
        ``q -> q`` as an ``N`` (int or Fraction).
    root_of_unity : callable
        ``(k, n) -> E(n)^k``.
    sqrt : callable
        ``q -> ER(q)``, the principal square root of a Fraction.
    """

    rational: Callable[[int | Fraction], N]
    root_of_unity: Callable[[int, int], N]
    sqrt: Callable[[Fraction], N]


def format_gap(n: int, terms: Terms, den: int) -> str:
    """GAP's printed form of the canonical number ``(n, terms, den)``, exactly as GAP's
    ``String`` prints it.

    Terms follow the Zumbroich basis in increasing exponent order, e.g. ``E(5)^2+E(5)^3``,
    ``-E(4)``, ``1/2*E(3)``, ``-3/2*E(12)^7``, ``-1``.

    Examples
    --------
    >>> format_gap(12, ((7, -3),), 2), format_gap(1, ((0, -1),), 1), format_gap(1, (), 1)
    ('-3/2*E(12)^7', '-1', '0')
    """
    if n == 1:
        return str(Fraction(terms[0][1], den) if terms else Fraction(0))
    parts = []
    for i, (e, c) in enumerate(terms):
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


def to_sympy(n: int, terms: Terms, den: int) -> sympy.Expr:
    """A sympy expression ``sum c_k exp(2 pi i k / n) / den`` for ``(n, terms, den)``.

    Examples
    --------
    >>> to_sympy(4, ((1, 1),), 1), to_sympy(1, ((0, 3),), 4)
    (I, 3/4)
    """
    import sympy

    if n == 1:
        return sympy.Rational(terms[0][1] if terms else 0, den)
    return sympy.Add(*[sympy.Rational(c, den) * sympy.exp(2 * sympy.pi * sympy.I * sympy.Rational(e, n))
                       for e, c in terms])


def parse_gap(text: str, make: Constructors[N]) -> N:
    """Parse GAP's notation for a cyclotomic number, building the value with ``make``.

    See :meth:`grouptools.arith.Cyclotomic.from_gap` for the accepted text.

    Raises
    ------
    CyclotomicError
        On unparsable text, unsupported names or division by zero.

    Examples
    --------
    >>> from grouptools.arith import ER, Cyclotomic
    >>> make = Constructors(Cyclotomic, Cyclotomic.root_of_unity, ER)
    >>> parse_gap("(1/2)^2 - EI(3)", make)
    Cyclotomic('-5/4*E(3)+3/4*E(3)^2')
    """
    if not isinstance(text, str):
        raise CyclotomicError(f"GAP text must be a str, got {type(text).__name__}")
    return _GapParser(text, make).parse()


def parse_sympy(expr: object, make: Constructors[N]) -> N:
    """Convert a sympy expression built from rationals, ``I``, square roots of rationals,
    ``exp(2 pi I q)``, ``(-1)**q``, ``cos(pi q)`` and ``sin(pi q)`` (``q`` rational) with
    ``+``, ``*`` and integer powers, building the value with ``make``.

    Raises
    ------
    CyclotomicError
        If the expression is not of that form.

    Examples
    --------
    >>> import sympy
    >>> from grouptools.arith import ER, Cyclotomic
    >>> make = Constructors(Cyclotomic, Cyclotomic.root_of_unity, ER)
    >>> parse_sympy(sympy.sin(sympy.pi / 2) + sympy.Rational(1, 3), make)
    Cyclotomic('4/3')
    """
    return _from_sympy(expr, make, 0)


_TOKEN = re.compile(r"\s*(?:(\d+)|([A-Za-z_][A-Za-z_0-9]*)|(\S))")
_MAX_DEPTH = 200
_MAX_POWER = 1 << 12


class _GapParser(Generic[N]):
    """Recursive-descent parser for GAP cyclotomic expressions.

    Grammar (GAP precedence: ``^`` binds tighter than unary minus)::

        expr   := term (("+" | "-") term)*
        term   := unary (("*" | "/") unary)*
        unary  := ("+" | "-") unary | power
        power  := atom ("^" ["+" | "-"] (INT | "(" expr ")"))?
        atom   := INT | ("E" | "ER" | "EI") "(" expr ")" | "(" expr ")"
    """

    def __init__(self, text: str, make: Constructors[N]) -> None:
        self.make = make
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

    def parse(self) -> N:
        if not self.toks:
            raise self.error("empty text")
        v = self.expr()
        if self.i != len(self.toks):
            raise self.error("unexpected token")
        return v

    def expr(self) -> N:
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

    def term(self) -> N:
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

    def unary(self) -> N:
        if self.accept("-"):
            return -self.unary()
        if self.accept("+"):
            return self.unary()
        return self.power()

    def integer_value(self, v: N, what: str) -> int:
        if not v.is_rational or v.denominator != 1:
            raise self.error(f"{what} must be an integer")
        return v.to_fraction().numerator

    def power(self) -> N:
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
            coef = base.coefficients()
            unit = (len(coef) == 1 and base.denominator == 1
                    and abs(next(iter(coef.values()))) == 1)
            if abs(k) > _MAX_POWER and not unit:
                raise self.error("exponent too large")
            if k < 0 and not base:
                raise self.error("division by zero")
            return base**k
        return base

    def atom(self) -> N:
        t = self.peek()
        if t is None:
            raise self.error("unexpected end")
        kind, val, _ = t
        if kind == "int":
            self.i += 1
            return self.make.rational(int(val))
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
                return self.make.root_of_unity(1, n)
            if not arg.is_rational:
                raise self.error(f"argument of {val} must be rational")
            q = arg.to_fraction()
            root = self.make.sqrt(q)
            return root if val == "ER" else self.make.root_of_unity(1, 4) * root
        if self.accept("("):
            v = self.expr()
            self.expect(")")
            return v
        raise self.error(f"unexpected {quote(val)}")


def _from_sympy(expr: object, make: Constructors[N], depth: int) -> N:
    import sympy

    if depth > _MAX_DEPTH:
        raise CyclotomicError("sympy expression nested too deeply")
    q = as_rational(expr)
    if q is not None:
        return make.rational(q)
    if not isinstance(expr, sympy.Basic):
        raise CyclotomicError(f"cannot convert {type(expr).__name__} to Cyclotomic")
    if isinstance(expr, sympy.Rational):
        return make.rational(Fraction(int(expr.p), int(expr.q)))
    if expr is sympy.I:
        return make.root_of_unity(1, 4)
    if isinstance(expr, sympy.Add):
        r = make.rational(0)
        for a in expr.args:
            r = r + _from_sympy(a, make, depth + 1)
        return r
    if isinstance(expr, sympy.Mul):
        r = make.rational(1)
        for a in expr.args:
            r = r * _from_sympy(a, make, depth + 1)
        return r
    if isinstance(expr, sympy.Pow):
        b, e = expr.args
        if isinstance(e, sympy.Integer):
            k = int(e)
            if abs(k) > _MAX_POWER:
                raise CyclotomicError(f"exponent {k} too large")
            base = _from_sympy(b, make, depth + 1)
            if k < 0 and not base:
                raise CyclotomicError("division by zero")
            return base**k
        if isinstance(e, sympy.Rational) and isinstance(b, sympy.Rational):
            num, den = int(e.p), int(e.q)
            if b == -1:
                return make.root_of_unity(num, 2 * den)
            if den == 2:
                r = make.sqrt(Fraction(int(b.p), int(b.q)))
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
        return make.root_of_unity(int(q.p), check_order(int(q.q)))
    if isinstance(expr, (sympy.cos, sympy.sin)):
        q = expr.args[0] / (2 * sympy.pi)
        if not q.is_Rational:
            q = sympy.simplify(q)
        if not q.is_Rational:
            raise CyclotomicError(f"{expr} is not cyclotomic")
        z = make.root_of_unity(int(q.p), check_order(int(q.q)))
        zi = z.conjugate()
        if isinstance(expr, sympy.cos):
            return (z + zi) * make.rational(Fraction(1, 2))
        return (z - zi) * make.root_of_unity(1, 4).conjugate() * make.rational(Fraction(1, 2))
    raise CyclotomicError(f"cannot convert sympy expression {expr} to Cyclotomic")
