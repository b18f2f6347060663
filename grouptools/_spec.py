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
"""

from __future__ import annotations

import re
from typing import Any, Callable

from . import _catalogue as cat
from ._errors import SpecError
from ._group import FiniteGroup

__all__ = ["group", "parse_spec"]

_TOKEN = re.compile(r"\s*(?:(?P<int>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[()=,^×]))")

_MAX_INT = 10**7


def _smallgroup(n: int, i: int) -> FiniteGroup:
    if (n, i) == (200, 44):
        return cat.smallgroup_200_44()
    raise SpecError(
        f"SmallGroup({n},{i}) is not available: grouptools has no small-groups library; "
        "known ids: (200,44)"
    )


def _gap_dihedral(m: int) -> FiniteGroup:
    return cat.dihedral(order=m)


def _dihedral(*args: int, order: int | None = None) -> FiniteGroup:
    if order is not None:
        if args:
            raise SpecError("dihedral takes either n (vertices) or order=m, not both")
        return cat.dihedral(order=order)
    if len(args) != 1:
        raise SpecError("dihedral takes one argument: n (the n-gon, order 2n) or order=m")
    return cat.dihedral(args[0])


_NAMED: dict[str, Callable[..., FiniteGroup]] = {
    "cyclic": cat.cyclic,
    "CyclicGroup": cat.cyclic,
    "abelian": lambda *a: cat.abelian(a),
    "AbelianGroup": lambda *a: cat.abelian(a),
    "dihedral": _dihedral,
    "DihedralGroup": _gap_dihedral,
    "dicyclic": cat.dicyclic,
    "quaternion": cat.quaternion,
    "QuaternionGroup": cat.quaternion,
    "symmetric": cat.symmetric,
    "SymmetricGroup": cat.symmetric,
    "alternating": cat.alternating,
    "AlternatingGroup": cat.alternating,
    "SL": cat.special_linear,
    "GL": cat.general_linear,
    "PSL": cat.projective_special_linear,
    "special_linear": cat.special_linear,
    "general_linear": cat.general_linear,
    "projective_special_linear": cat.projective_special_linear,
    "torus_p4m": cat.torus_p4m,
    "SmallGroup": _smallgroup,
}

_SHORT = re.compile(r"^(C|S|A|Q|Dic|D)(\d+)$")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise SpecError(f"unexpected character {text[pos:].lstrip()[:1]!r} at position "
                                f"{len(text) - len(text[pos:].lstrip())} in {text!r}")
            kind = m.lastgroup or "op"
            self.tokens.append((kind, m.group(kind), m.start(kind)))
            pos = m.end()
        self.i = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def expect(self, value: str) -> None:
        tok = self.peek()
        if tok is None or tok[1] != value:
            where = f"position {tok[2]}" if tok else "end of input"
            raise SpecError(f"expected {value!r} at {where} in {self.text!r}")
        self.i += 1

    def product(self, depth: int = 0) -> FiniteGroup:
        if depth > 50:
            raise SpecError("group expression nested too deeply")
        factors = [self.factor(depth)]
        while (tok := self.peek()) is not None and tok[1] in ("x", "×"):
            self.i += 1
            factors.append(self.factor(depth))
        return factors[0] if len(factors) == 1 else cat.direct_product(*factors)

    def factor(self, depth: int) -> FiniteGroup:
        G = self.atom(depth)
        tok = self.peek()
        if tok is not None and tok[1] == "^":
            self.i += 1
            k = self.integer()
            if k < 1 or k > 64:
                raise SpecError(f"power of a group must be between 1 and 64, got {k}")
            G = cat.direct_product(*([G] * k)) if k > 1 else G
        return G

    def integer(self) -> int:
        tok = self.peek()
        if tok is None or tok[0] != "int":
            where = f"position {tok[2]}" if tok else "end of input"
            raise SpecError(f"expected an integer at {where} in {self.text!r}")
        self.i += 1
        v = int(tok[1])
        if v > _MAX_INT:
            raise SpecError(f"integer {v} too large (limit {_MAX_INT})")
        return v

    def atom(self, depth: int) -> FiniteGroup:
        tok = self.peek()
        if tok is None:
            raise SpecError(f"expected a group at end of input in {self.text!r}")
        kind, value, pos = tok
        if value == "(":
            self.i += 1
            G = self.product(depth + 1)
            self.expect(")")
            return G
        if kind != "name":
            raise SpecError(f"expected a group at position {pos} in {self.text!r}")
        self.i += 1
        nxt = self.peek()
        if nxt is not None and nxt[1] == "(":
            if value not in _NAMED:
                raise SpecError(f"unknown group {value!r} at position {pos}; known: "
                                + ", ".join(sorted(_NAMED)))
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
                        kwargs[t[1]] = self.integer()
                    else:
                        args.append(self.integer())
                    t = self.peek()
                    if t is not None and t[1] == ",":
                        self.i += 1
                        continue
                    self.expect(")")
                    break
            return _call(value, _NAMED[value], args, kwargs)
        m = _SHORT.match(value)
        if m:
            letter, num = m.group(1), int(m.group(2))
            if letter == "D":
                raise SpecError(
                    f"{value!r} is ambiguous (order {num} in GAP and the papers, the {num}-gon "
                    f"elsewhere): write dihedral({num}) for the {num}-gon (order {2 * num}) or "
                    f"dihedral(order={num})"
                )
            fn = {"C": cat.cyclic, "S": cat.symmetric, "A": cat.alternating,
                  "Q": cat.quaternion, "Dic": cat.dicyclic}[letter]
            return _call(value, fn, [num], {})
        raise SpecError(f"unknown group {value!r} at position {pos}")


def _call(label: str, fn: Callable[..., FiniteGroup], args: list[int], kwargs: dict[str, int]) -> FiniteGroup:
    try:
        return fn(*args, **kwargs)
    except TypeError as exc:
        raise SpecError(f"bad arguments for {label}: {exc}") from None


def parse_spec(text: str) -> FiniteGroup:
    """Build the group of a catalogue expression (not a presentation)."""
    if not isinstance(text, str) or not text.strip():
        raise SpecError("empty group specification")
    parser = _Parser(text)
    G = parser.product()
    tok = parser.peek()
    if tok is not None:
        raise SpecError(f"unexpected {tok[1]!r} at position {tok[2]} in {text!r}")
    return G


def group(spec: str | FiniteGroup, **limits: Any) -> FiniteGroup:
    """A :class:`FiniteGroup` from a presentation or a catalogue expression.

    Parameters
    ----------
    spec : str
        ``"<a, b | a^4, b^2, (a*b)^2>"`` or ``"dihedral(32)"``, ``"C10 x C10 x C2"``,
        ``"torus_p4m(28)"``, ``"SymmetricGroup(5)"``, ...
    **limits
        ``max_order``, ``max_cosets``, ``time_budget`` for presentations.

    Raises
    ------
    SpecError, PresentationSyntaxError, InfiniteGroupError, EnumerationLimitError,
    InvalidGroupError

    Examples
    --------
    >>> import grouptools as gt
    >>> gt.group("cyclic(10) x cyclic(10) x cyclic(2)").order
    200
    >>> gt.group("<a, b | a^2, b^3, (a*b)^5>").order
    60
    >>> gt.group("dihedral(order=8)") == gt.group("dihedral(4)")
    True
    """
    if isinstance(spec, FiniteGroup):
        return spec
    if not isinstance(spec, str):
        raise SpecError(f"a group specification must be a string, got {type(spec).__name__}")
    if spec.lstrip().startswith("<"):
        return cat.from_presentation(spec, **limits)
    if limits:
        raise SpecError(f"limits {sorted(limits)} only apply to presentations")
    return parse_spec(spec)
