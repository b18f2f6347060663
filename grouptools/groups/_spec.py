"""``grouptools.group(spec)``: one grammar for groups, shared with the command line.

Grammar (whitespace is free)::

    spec     := presentation | product
    product  := factor ( ("x" | "×") factor )*
    factor   := atom ( "^" INT )?              # G^k = G x ... x G
    atom     := "(" product ")" | NAME "(" [arg ("," arg)*] ")" | SHORTHAND
    arg      := INT | NAME "=" INT
    SHORTHAND:= C<n> | S<n> | A<n> | Q<n> (order n) | Dic<n> | D<n> (refused: ambiguous)

``presentation`` is ``<gens | relations>`` (see :func:`grouptools.from_presentation`).
Named groups: ``cyclic(n)``, ``abelian(n1, ..., nr)``, ``dihedral(n)`` (the n-gon, order 2n),
``dihedral(order=m)``, ``DihedralGroup(m)`` (GAP: order m), ``dicyclic(n)``,
``quaternion(order)``, ``symmetric(n)``, ``alternating(n)``, ``SL(d,p)``, ``GL(d,p)``,
``PSL(d,p)``, ``torus_p4m(n)`` ((C_n x C_n) : D4), ``SmallGroup(200,44)``, and GAP's
``CyclicGroup``, ``AbelianGroup``, ``SymmetricGroup``, ``AlternatingGroup``, ``QuaternionGroup``.

Limits: a catalogue expression is parsed completely and the order of every part computed by its
formula *before* anything is built, so ``max_order`` (and ``max_cosets``: a catalogue group is
its own coset table, with one coset per element) refuse too large groups at once; ``time_budget``
is checked between the construction steps. Errors speak of the expression the user wrote
(``cyclic(10000000): order 10000000 exceeds max_order=1000000``) and quote at most
:data:`~grouptools._errors.QUOTE_LIMIT` characters of it.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ._abelian import abelian, cyclic
from ._catalogue import (
    dicyclic,
    dihedral,
    direct_product,
    from_presentation,
    quaternion,
    smallgroup_200_44,
    torus_p4m,
)
from ._concrete import (
    alternating,
    general_linear,
    projective_special_linear,
    special_linear,
    symmetric,
)
from .._errors import (
    EnumerationLimitError,
    GroupToolsError,
    ParameterTypeError,
    PresentationSyntaxError,
    SpecError,
    check_limit,
    excerpt,
    quote,
)
from ._group import FiniteGroup

__all__ = ["DEFAULT_LIMITS", "group", "parse_spec"]

_TOKEN = re.compile(r"\s*(?:(?P<int>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[()=,^×]))")

_MAX_INT = 10**7
_MAX_DIGITS = len(str(_MAX_INT))

#: Default limits of :func:`group` (those of :func:`grouptools.from_presentation`).
DEFAULT_LIMITS: dict[str, Any] = {"max_order": 1_000_000, "max_cosets": 4_000_000, "time_budget": 60.0}

#: Orders are computed exactly up to this bound (beyond it only "more than" is known).
_ORDER_CAP = 10**40


def _smallgroup(n: int, i: int) -> FiniteGroup:
    if (n, i) == (200, 44):
        return smallgroup_200_44()
    raise SpecError(
        "not available: grouptools has no small-groups library; known ids: (200,44)"
    )


def _gap_dihedral(m: int) -> FiniteGroup:
    return dihedral(order=m)


def _dihedral(*args: int, order: int | None = None) -> FiniteGroup:
    if order is not None:
        if args:
            raise SpecError("dihedral takes either n (vertices) or order=m, not both")
        return dihedral(order=order)
    if len(args) != 1:
        raise SpecError("dihedral takes one argument: n (the n-gon, order 2n) or order=m")
    return dihedral(args[0])


# -- orders by formula (None: unknown, e.g. invalid arguments; the constructor then says why) -------
def _prod(values: Any) -> int:
    """Product, saturating at ``_ORDER_CAP + 1`` (all factors >= 1)."""
    out = 1
    for v in values:
        out *= v
        if out > _ORDER_CAP:
            return _ORDER_CAP + 1
    return out


def _pow(p: int, e: int) -> int:
    return _prod(p for _ in range(e)) if p > 1 else 1


def _factorial(n: int) -> int:
    return _prod(range(2, n + 1))


def _sl_order(d: int, p: int) -> int:
    """``|SL(d, p)| = p^(d(d-1)/2) prod_{i=2..d} (p^i - 1)`` (saturating, lazily)."""
    return _prod(
        _pow(p, d * (d - 1) // 2) if i == 1 else _pow(p, i) - 1 for i in range(1, d + 1)
    )


def _order_of(name: str, args: list[int], kwargs: dict[str, int]) -> Optional[int]:
    a = args
    try:
        if name in ("cyclic", "CyclicGroup") and not kwargs and len(a) == 1:
            return a[0]
        if name in ("abelian", "AbelianGroup") and not kwargs:
            return _prod(a)
        if name == "dihedral":
            if kwargs == {} and len(a) == 1:
                return 2 * a[0]
            if set(kwargs) == {"order"} and not a:
                return kwargs["order"]
            return None
        if name == "DihedralGroup" and not kwargs and len(a) == 1:
            return a[0]
        if name == "dicyclic" and not kwargs and len(a) == 1:
            return 4 * a[0]
        if name in ("quaternion", "QuaternionGroup") and len(a) + len(kwargs) == 1:
            return a[0] if a else kwargs.get("order")
        if name in ("symmetric", "SymmetricGroup") and not kwargs and len(a) == 1:
            return _factorial(a[0])
        if name in ("alternating", "AlternatingGroup") and not kwargs and len(a) == 1:
            return max(1, _factorial(a[0]) // 2) if a[0] <= 1000 else _ORDER_CAP + 1
        if not kwargs and len(a) == 2 and a[0] >= 1 and a[1] >= 2:
            d, p = a
            if name in ("SL", "special_linear"):
                return _sl_order(d, p)
            if name in ("GL", "general_linear"):
                return _prod([p - 1, _sl_order(d, p)])
            if name in ("PSL", "projective_special_linear"):
                sl = _sl_order(d, p)
                return sl if sl > _ORDER_CAP else sl // math.gcd(d, p - 1)
        if name == "torus_p4m" and not kwargs and len(a) == 1:
            return 8 * a[0] * a[0]
        if name == "SmallGroup" and not kwargs and len(a) == 2:
            return a[0]
    except (TypeError, KeyError):  # pragma: no cover - defensive
        return None
    return None


_NAMED: dict[str, Callable[..., FiniteGroup]] = {
    "cyclic": cyclic,
    "CyclicGroup": cyclic,
    "abelian": lambda *a: abelian(a),
    "AbelianGroup": lambda *a: abelian(a),
    "dihedral": _dihedral,
    "DihedralGroup": _gap_dihedral,
    "dicyclic": dicyclic,
    "quaternion": quaternion,
    "QuaternionGroup": quaternion,
    "symmetric": symmetric,
    "SymmetricGroup": symmetric,
    "alternating": alternating,
    "AlternatingGroup": alternating,
    "SL": special_linear,
    "GL": general_linear,
    "PSL": projective_special_linear,
    "special_linear": special_linear,
    "general_linear": general_linear,
    "projective_special_linear": projective_special_linear,
    "torus_p4m": torus_p4m,
    "SmallGroup": _smallgroup,
}

#: The names listed when a name is unknown (one line: the GAP aliases are summarized).
_KNOWN = ("cyclic, abelian, dihedral, dicyclic, quaternion, symmetric, alternating, SL, GL, PSL, "
          "torus_p4m, SmallGroup and the GAP names CyclicGroup etc.")

_SHORT = re.compile(r"^(C|S|A|Q|Dic|D)(\d+)$")
_SHORT_NAMES = {"C": "cyclic", "S": "symmetric", "A": "alternating", "Q": "quaternion", "Dic": "dicyclic"}


# -- the expression tree -------------------------------------------------------------------------------
@dataclass
class _Node:
    """A parsed part of an expression: ``text`` is what the user wrote, ``order`` its order by
    formula (``None`` if unknown)."""

    text: str
    order: Optional[int]
    name: str = ""
    args: list[int] = field(default_factory=list)
    kwargs: dict[str, int] = field(default_factory=dict)
    factors: list["_Node"] = field(default_factory=list)  # direct product (or power: repeated)


def _show(text: str) -> str:
    """The user's text, at most QUOTE_LIMIT characters of it, for the start of a message."""
    before, after = excerpt(text.strip(), 0)
    return before + after


def _order_text(n: int) -> str:
    return str(n) if n <= _ORDER_CAP else f"more than 10^{len(str(_ORDER_CAP)) - 1}"


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        end = len(text.rstrip())
        pos = 0
        while pos < end:
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                while text[pos].isspace():
                    pos += 1
                raise self.error(f"unexpected character {quote(text[pos])}", pos)
            kind = m.lastgroup or "op"
            self.tokens.append((kind, m.group(kind), m.start(kind)))
            pos = m.end()
        self.i = 0

    def error(self, message: str, pos: int | None) -> SpecError:
        if pos is None:
            pos = len(self.text)
            where = "end of input"
        else:
            where = f"position {pos}"
        before, after = excerpt(self.text, pos)
        return SpecError(f"{message} at {where}: {before}<here>{after}")

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _pos(self) -> int | None:
        tok = self.peek()
        return tok[2] if tok else None

    def _end(self) -> int:
        """End offset of the last consumed token."""
        kind, value, pos = self.tokens[self.i - 1]
        return pos + len(value)

    def expect(self, value: str) -> None:
        tok = self.peek()
        if tok is None or tok[1] != value:
            raise self.error(f"expected {value!r}", self._pos())
        self.i += 1

    def product(self, depth: int = 0) -> _Node:
        if depth > 50:
            raise self.error("group expression nested too deeply", self._pos())
        start = self._pos() or 0
        factors = [self.factor(depth)]
        while (tok := self.peek()) is not None and tok[1] in ("x", "×"):
            self.i += 1
            factors.append(self.factor(depth))
        if len(factors) == 1:
            return factors[0]
        orders = [f.order for f in factors]
        order = None if None in orders else _prod(orders)  # type: ignore[arg-type]
        return _Node(self.text[start : self._end()], order, factors=factors)

    def factor(self, depth: int) -> _Node:
        start = self._pos() or 0
        G = self.atom(depth)
        tok = self.peek()
        if tok is not None and tok[1] == "^":
            self.i += 1
            pos = self._pos()
            k = self.integer()
            if k < 1 or k > 64:
                raise self.error(f"power of a group must be between 1 and 64, got {k}", pos)
            if k > 1:
                order = None if G.order is None else _prod([G.order] * k)
                G = _Node(self.text[start : self._end()], order, factors=[G] * k)
        return G

    def integer(self) -> int:
        tok = self.peek()
        if tok is None or tok[0] != "int":
            raise self.error("expected an integer", self._pos())
        digits = tok[1].lstrip("0")
        if len(digits) > _MAX_DIGITS or (digits and int(digits) > _MAX_INT):
            raise self.error(f"integer too large (at most {_MAX_INT})", tok[2])
        self.i += 1
        return int(digits or "0")

    def atom(self, depth: int) -> _Node:
        tok = self.peek()
        if tok is None:
            raise self.error("expected a group", None)
        kind, value, pos = tok
        if value == "(":
            self.i += 1
            G = self.product(depth + 1)
            self.expect(")")
            return _Node(self.text[pos : self._end()], G.order, factors=[G])
        if kind != "name":
            raise self.error("expected a group", pos)
        self.i += 1
        nxt = self.peek()
        if nxt is not None and nxt[1] == "(":
            if value not in _NAMED:
                raise SpecError(
                    f"unknown group {quote(value, 40)} at position {pos}; known: {_KNOWN}"
                )
            self.i += 1
            args: list[int] = []
            kwargs: dict[str, int] = {}
            if (t := self.peek()) is not None and t[1] == ")":
                self.i += 1
            else:
                while True:
                    t = self.peek()
                    if t is not None and t[0] == "name":
                        self.i += 1
                        self.expect("=")
                        if t[1] in kwargs:
                            raise self.error(f"repeated argument {quote(t[1])}", t[2])
                        kwargs[t[1]] = self.integer()
                    else:
                        args.append(self.integer())
                    t = self.peek()
                    if t is not None and t[1] == ",":
                        self.i += 1
                        continue
                    self.expect(")")
                    break
            text = self.text[pos : self._end()]
            return _Node(text, _order_of(value, args, kwargs), value, args, kwargs)
        m = _SHORT.match(value)
        if m:
            letter, num = m.group(1), int(m.group(2)) if len(m.group(2)) <= _MAX_DIGITS else _MAX_INT + 1
            if num > _MAX_INT:
                raise self.error(f"integer too large (at most {_MAX_INT})", pos)
            if letter == "D":
                raise self.error(
                    f"{value!r} is ambiguous (order {num} in GAP and the papers, the {num}-gon "
                    f"elsewhere): write dihedral({num}) for the {num}-gon (order {2 * num}) or "
                    f"dihedral(order={num})",
                    pos,
                )
            name = _SHORT_NAMES[letter]
            return _Node(value, _order_of(name, [num], {}), name, [num], {})
        raise self.error(f"unknown group {quote(value)}", pos)


def _parse(text: str) -> _Node:
    if not isinstance(text, str):
        raise ParameterTypeError(f"a group specification must be a string, got {type(text).__name__}")
    if not text.strip():
        raise SpecError("empty group specification")
    parser = _Parser(text)
    node = parser.product()
    tok = parser.peek()
    if tok is not None:
        raise parser.error(f"unexpected {quote(tok[1])}", tok[2])
    return node


class _Builder:
    """Builds a parsed expression within the limits."""

    def __init__(self, max_order: int, max_cosets: int, time_budget: float) -> None:
        self.max_order = max_order
        self.max_cosets = max_cosets
        self.time_budget = time_budget
        self.deadline = time.monotonic() + time_budget

    def check(self, node: _Node) -> None:
        n = node.order
        if n is None:
            return
        for name, limit in (("max_order", self.max_order), ("max_cosets", self.max_cosets)):
            if n > limit:
                raise EnumerationLimitError(
                    f"{_show(node.text)}: order {_order_text(n)} exceeds {name}={limit}"
                )

    def build(self, node: _Node) -> FiniteGroup:
        self.check(node)
        if time.monotonic() > self.deadline:
            raise EnumerationLimitError(
                f"{_show(node.text)}: exceeded time_budget={self.time_budget:g} s"
            )
        if node.name:
            return self.call(node)
        built: dict[int, FiniteGroup] = {}  # G^k repeats one node: build it once
        for f in node.factors:
            if id(f) not in built:
                built[id(f)] = self.build(f)
        factors = [built[id(f)] for f in node.factors]
        if len(factors) == 1:
            return factors[0]
        try:
            return direct_product(*factors)
        except GroupToolsError as exc:
            raise _restate(exc, node.text) from None

    def call(self, node: _Node) -> FiniteGroup:
        fn = _NAMED[node.name]
        try:
            return fn(*node.args, **node.kwargs)
        except TypeError as exc:  # wrong number of arguments, unknown keyword
            if isinstance(exc, GroupToolsError):
                raise _restate(exc, node.text) from None
            raise SpecError(f"{_show(node.text)}: bad arguments ({_signature_hint(exc)})") from None
        except GroupToolsError as exc:
            raise _restate(exc, node.text) from None


def _signature_hint(exc: TypeError) -> str:
    msg = str(exc)
    return msg.split(") ", 1)[-1] if ") " in msg else msg


def _restate(exc: GroupToolsError, text: str) -> GroupToolsError:
    """The same kind of error, its message prefixed by the user's expression."""
    label = _show(text)
    message = str(exc)
    if message.startswith(label + ":"):
        return exc
    if isinstance(exc, PresentationSyntaxError):  # never an internal presentation: say what failed
        new: GroupToolsError = SpecError(f"{label}: cannot be built ({message.split(' at position')[0]})")
    else:
        try:
            new = type(exc)(f"{label}: {message}")
        except Exception:  # pragma: no cover - an error class with another signature
            new = SpecError(f"{label}: {message}")
    return new


def _limits(max_order: Any, max_cosets: Any, time_budget: Any) -> tuple[int, int, float]:
    return (
        int(check_limit("max_order", max_order)),
        int(check_limit("max_cosets", max_cosets)),
        float(check_limit("time_budget", time_budget, integer=False)),
    )


def parse_spec(
    text: str,
    *,
    max_order: int = DEFAULT_LIMITS["max_order"],
    max_cosets: int = DEFAULT_LIMITS["max_cosets"],
    time_budget: float = DEFAULT_LIMITS["time_budget"],
) -> FiniteGroup:
    """Build the group of a catalogue expression (not a presentation), within the limits.

    Raises
    ------
    SpecError
        If the expression is malformed (the message shows where).
    EnumerationLimitError
        If the order of the expression or of a part exceeds ``max_order`` or ``max_cosets``
        (checked before anything is built), or building exceeds ``time_budget``.
    InvalidLimitError
        If a limit is not positive.
    InvalidGroupError
        If the arguments do not define a group (``cyclic(0)``).
    """
    limits = _limits(max_order, max_cosets, time_budget)
    node = _parse(text)
    return _Builder(*limits).build(node)


def group(spec: str | FiniteGroup, **limits: Any) -> FiniteGroup:
    """A :class:`FiniteGroup` from a presentation or a catalogue expression.

    Parameters
    ----------
    spec : str
        ``"<a, b | a^4, b^2, (a*b)^2>"`` or ``"dihedral(32)"``, ``"C10 x C10 x C2"``,
        ``"torus_p4m(28)"``, ``"SymmetricGroup(5)"``, ...
    **limits
        ``max_order`` (default 10^6), ``max_cosets`` (default 4 * 10^6) and ``time_budget``
        (seconds, default 60): for presentations the limits of the coset enumeration; a catalogue
        expression larger than ``max_order`` or ``max_cosets`` is refused before it is built.

    Raises
    ------
    SpecError, PresentationSyntaxError, InfiniteGroupError, EnumerationLimitError,
    InvalidGroupError
        See :func:`parse_spec` and :func:`grouptools.from_presentation`.
    InvalidLimitError
        If a limit is not a positive number (a :class:`~grouptools.ParameterError`).
    ParameterTypeError
        If ``spec`` is not a string or a keyword is not one of the limits.

    Examples
    --------
    >>> import grouptools as gt
    >>> gt.group("cyclic(10) x cyclic(10) x cyclic(2)").order
    200
    >>> gt.group("<a, b | a^2, b^3, (a*b)^5>").order
    60
    >>> gt.group("dihedral(order=8)") == gt.group("dihedral(4)")
    True
    >>> gt.group("symmetric(5)", max_order=100)
    Traceback (most recent call last):
    ...
    grouptools._errors.EnumerationLimitError: symmetric(5): order 120 exceeds max_order=100
    """
    unknown = sorted(set(limits) - set(DEFAULT_LIMITS))
    if unknown:
        raise ParameterTypeError(
            f"group() got an unexpected keyword argument {quote(unknown[0])}; "
            f"the limits are {', '.join(DEFAULT_LIMITS)}"
        )
    values = _limits(**{**DEFAULT_LIMITS, **limits})
    if isinstance(spec, FiniteGroup):
        return spec
    if not isinstance(spec, str):
        raise ParameterTypeError(f"a group specification must be a string, got {type(spec).__name__}")
    if spec.lstrip().startswith("<"):
        return from_presentation(spec, **dict(zip(DEFAULT_LIMITS, values)))
    return _Builder(*values).build(_parse(spec))
