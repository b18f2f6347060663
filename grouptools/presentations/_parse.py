"""Parser and printer for finitely presented groups and words in GAP syntax.

A presentation is written ``<a, b | a^4, b^2, (a*b)^2>``: comma-separated generator names, a
bar, and comma-separated relations. A relation is a word (a relator) or an equation ``u = v``
(the relator ``u*v^-1``). Words are built from generators with ``*`` (juxtaposition is not
accepted), powers ``x^k`` (``k`` a possibly negative integer), parentheses, commutators
``[x, y] = x^-1*y^-1*x*y`` (``[x, y, z] = [[x, y], z]`` as in GAP), conjugates
``x^y = y^-1*x*y`` (``y`` a generator, a parenthesised word or a commutator), and the identity
``1`` or ``<identity>``. Words as GAP prints them (``F1^2*F2^-1*F1``, long lines broken with a
backslash) parse unchanged.

Internally a word is a tuple of nonzero ints: generator ``s`` (0-based) is ``s + 1`` and its
inverse ``-(s + 1)``. Words are always freely reduced.

Everything that grows with the input is bounded: nesting depth (:data:`MAX_DEPTH`), exponent
magnitude (:data:`MAX_EXPONENT`) and expanded word length (``max_length``, default
:data:`MAX_LENGTH` letters); exceeding a bound is a :class:`PresentationSyntaxError` like any
other malformed input.
"""

from __future__ import annotations

from collections.abc import Sequence


from grouptools._errors import PresentationSyntaxError, quote

from ._words import Presentation, check_generators, format_word, free_reduce

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "Presentation",
    "format_word",
    "free_reduce",
    "parse_presentation",
    "parse_word",
]

#: Maximal nesting depth of parentheses, brackets and conjugating exponents.
MAX_DEPTH = 200
#: Maximal absolute value of an integer exponent.
MAX_EXPONENT = 10**6
#: Default maximal length (letters) of an expanded word, and of all relators together.
MAX_LENGTH = 10**6
#: The parser gives up after producing this many times ``max_length`` letters in total
#: (bounds the time spent on inputs whose words expand and then cancel again).
_WORK_FACTOR = 16

_WHITESPACE = frozenset(" \t\n\r\f\v")
_MAX_DIGITS = len(str(MAX_EXPONENT))


def _is_name_start(c: str) -> bool:
    return ("a" <= c <= "z") or ("A" <= c <= "Z")


def _is_name_char(c: str) -> bool:
    return _is_name_start(c) or ("0" <= c <= "9") or c == "_"


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"




class _Parser:
    """Recursive-descent parser over ``text`` (two Python frames per nesting level)."""

    def __init__(self, text: str, gens: dict[str, int], max_length: int) -> None:
        self.text = text
        self.n = len(text)
        self.pos = 0
        self.gens = gens
        self.max_length = max_length
        self.work_left = _WORK_FACTOR * max_length + 1024

    # -- lexical helpers -------------------------------------------------------------------

    def error(self, message: str, pos: int | None = None) -> PresentationSyntaxError:
        p = self.pos if pos is None else pos
        return PresentationSyntaxError(message, self.text, min(max(p, 0), self.n))

    def skip_ws(self) -> None:
        text, n, pos = self.text, self.n, self.pos
        while pos < n:
            c = text[pos]
            if c in _WHITESPACE:
                pos += 1
            elif c == "\\" and pos + 1 < n and text[pos + 1] in "\r\n":
                # GAP breaks long output lines with a backslash before the newline
                pos += 2
                if text[pos - 1] == "\r" and pos < n and text[pos] == "\n":
                    pos += 1
            else:
                break
        self.pos = pos

    def peek(self) -> str:
        self.skip_ws()
        return self.text[self.pos] if self.pos < self.n else ""

    def expect(self, c: str, what: str) -> None:
        if self.peek() != c:
            raise self.error(f"expected {what}" + self._found())
        self.pos += 1

    def _found(self) -> str:
        if self.pos >= self.n:
            return ", found end of input"
        return f", found {self.text[self.pos]!r}"

    def at_identity_token(self) -> int:
        """Length of an ``<identity>`` / ``<identity ...>`` token at ``pos`` (0 if none)."""
        text, pos = self.text, self.pos
        if not text.startswith("<identity", pos):
            return 0
        end = pos + len("<identity")
        if text.startswith(">", end):
            return end + 1 - pos
        if text.startswith(" ...>", end):
            return end + 5 - pos
        return 0

    def name(self) -> tuple[str, int]:
        self.skip_ws()
        start = self.pos
        text, n = self.text, self.n
        if start >= n or not _is_name_start(text[start]):
            raise self.error("expected a generator name" + self._found())
        end = start + 1
        while end < n and _is_name_char(text[end]):
            end += 1
        self.pos = end
        return text[start:end], start

    def integer(self) -> int:
        start = self.pos
        text, n = self.text, self.n
        end = start
        while end < n and _is_digit(text[end]):
            end += 1
        digits = text[start:end].lstrip("0")
        if len(digits) > _MAX_DIGITS or (digits and int(digits) > MAX_EXPONENT):
            raise self.error(f"integer too large (at most {MAX_EXPONENT})", start)
        self.pos = end
        return int(digits) if digits else 0

    # -- word arithmetic (free reduction, bounded length and work) -------------------------

    def spend(self, amount: int, pos: int) -> None:
        self.work_left -= amount
        if self.work_left < 0:
            raise self.error(
                f"expansion too large (more than {_WORK_FACTOR} x max_length letters produced)",
                pos,
            )

    def check_length(self, length: int, pos: int) -> None:
        if length > self.max_length:
            raise self.error(
                f"expanded word too long ({length} letters, max_length={self.max_length})", pos
            )

    def mul_into(self, dst: list[int], src: Sequence[int], pos: int) -> None:
        """``dst := dst * src`` with free cancellation at the junction (``src`` reduced)."""
        k = 0
        m = len(src)
        while k < m and dst and dst[-1] == -src[k]:
            dst.pop()
            k += 1
        if k < m:
            self.check_length(len(dst) + m - k, pos)
            self.spend(m - k, pos)
            dst.extend(src[k:] if k else src)

    def power(self, w: list[int], e: int, pos: int) -> list[int]:
        if e == 0 or not w:
            return []
        if e < 0:
            w = [-x for x in reversed(w)]
            e = -e
        if e == 1:
            return w
        # w = u * c * u^-1 with c cyclically reduced; then w^e = u * c^e * u^-1 (reduced)
        t = 0
        n = len(w)
        while 2 * t + 1 < n and w[t] == -w[n - 1 - t]:
            t += 1
        core = w[t : n - t]
        length = 2 * t + len(core) * e
        self.check_length(length, pos)
        self.spend(length, pos)
        return w[:t] + core * e + w[n - t :]

    def conjugate(self, x: list[int], y: list[int], pos: int) -> list[int]:
        """``y^-1 * x * y``."""
        self.check_length(len(x) + 2 * len(y), pos)
        out = [-c for c in reversed(y)]
        self.spend(len(out), pos)
        self.mul_into(out, x, pos)
        self.mul_into(out, y, pos)
        return out

    def commutator(self, x: list[int], y: list[int], pos: int) -> list[int]:
        """``x^-1 * y^-1 * x * y``."""
        self.check_length(2 * (len(x) + len(y)), pos)
        out = [-c for c in reversed(x)]
        self.spend(len(out), pos)
        self.mul_into(out, [-c for c in reversed(y)], pos)
        self.mul_into(out, x, pos)
        self.mul_into(out, y, pos)
        return out

    # -- grammar ---------------------------------------------------------------------------

    def word(self, depth: int) -> list[int]:
        """word := factor ('*' factor)* ; factor := atom ['^' exponent]."""
        if depth > MAX_DEPTH:
            raise self.error(f"nesting deeper than {MAX_DEPTH}")
        result: list[int] = []
        while True:
            self.skip_ws()
            start = self.pos
            base = self.atom(depth)
            if self.peek() == "^":
                caret = self.pos
                self.pos += 1
                c = self.peek()
                sign = 1
                if c in "+-":
                    sign = -1 if c == "-" else 1
                    self.pos += 1
                    c = self.peek()
                    if not _is_digit(c):
                        raise self.error(
                            "expected an integer exponent after the sign" + self._found()
                        )
                if _is_digit(c):
                    base = self.power(base, sign * self.integer(), caret)
                else:
                    conj = self.atom(depth + 1)
                    base = self.conjugate(base, conj, caret)
                if self.peek() == "^":
                    raise self.error("repeated '^' is ambiguous: use parentheses")
            self.mul_into(result, base, start)
            if self.peek() != "*":
                return result
            self.pos += 1

    def atom(self, depth: int) -> list[int]:
        if depth > MAX_DEPTH:
            raise self.error(f"nesting deeper than {MAX_DEPTH}")
        c = self.peek()
        start = self.pos
        if c == "(":
            self.pos += 1
            w = self.word(depth + 1)
            self.expect(")", "')'")
            return w
        if c == "[":
            self.pos += 1
            w = self.word(depth + 1)
            self.expect(",", "',' in commutator")
            while True:
                y = self.word(depth + 1)
                w = self.commutator(w, y, start)
                nxt = self.peek()
                if nxt == ",":
                    self.pos += 1
                    continue
                self.expect("]", "']' or ',' in commutator")
                return w
        if _is_digit(c):
            value = self.integer()
            if value != 1:
                raise self.error(
                    f"unexpected number {value}: only 1 (the identity) may stand alone", start
                )
            return []
        if c == "<":
            k = self.at_identity_token()
            if k:
                self.pos += k
                return []
            raise self.error("unexpected '<' (only '<identity>' may appear in a word)")
        if _is_name_start(c):
            name, pos = self.name()
            index = self.gens.get(name)
            if index is None:
                raise self.error(f"unknown generator {quote(name)}", pos)
            return [index + 1]
        if c == "":
            raise self.error("unexpected end of input: expected a word")
        raise self.error(f"unexpected {c!r}: expected a generator, '1', '(' or '['")

    def relations(self) -> list[list[int]]:
        """relation := word ('=' word)*; ``u = v`` gives ``u*v^-1`` and a chain
        ``u1 = u2 = ... = uk`` gives ``u1*u2^-1, ..., u(k-1)*uk^-1`` (as in Magma)."""
        words = [self.word(0)]
        positions = []
        while self.peek() == "=":
            positions.append(self.pos)
            self.pos += 1
            words.append(self.word(0))
        if len(words) == 1:
            return words
        if not words[-1]:  # u1 = ... = uk = 1: each word is a relator
            return [w for w in words[:-1] if w] or [[]]
        out = []
        for u, v, eq in zip(words, words[1:], positions):
            rel = list(u)
            self.mul_into(rel, [-c for c in reversed(v)], eq)
            out.append(rel)
        return out

    def presentation(self) -> Presentation:
        self.expect("<", "'<' starting the presentation")
        gens: list[str] = []
        index: dict[str, int] = {}
        if self.peek() != "|":
            while True:
                name, pos = self.name()
                if name in index:
                    raise self.error(f"duplicate generator {quote(name)}", pos)
                index[name] = len(gens)
                gens.append(name)
                c = self.peek()
                if c == ",":
                    self.pos += 1
                    continue
                if c == "|":
                    break
                raise self.error("expected ',' or '|' after a generator" + self._found())
        self.pos += 1  # the '|'
        self.gens = index
        rels: list[tuple[int, ...]] = []
        total = 0
        if self.peek() != ">":
            while True:
                start = self.pos
                for r in self.relations():
                    total += len(r)
                    if total > self.max_length:
                        raise self.error(
                            "relators too long in total "
                            f"(more than max_length={self.max_length} letters)",
                            start,
                        )
                    rels.append(tuple(r))
                c = self.peek()
                if c == ",":
                    self.pos += 1
                    continue
                if c == ">":
                    break
                hint = " (write products with '*')" if _is_name_start(c) or c in "([" else ""
                raise self.error("expected ',' or '>' after a relation" + self._found() + hint)
        self.pos += 1  # the '>'
        self.skip_ws()
        if self.pos != self.n:
            raise self.error("unexpected text after the closing '>'")
        return Presentation(tuple(gens), tuple(rels))


def _check_max_length(max_length: int) -> int:
    if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 0:
        raise PresentationSyntaxError(f"max_length must be a non-negative int, got {quote(max_length)}")
    return max_length


def parse_presentation(text: str, *, max_length: int = MAX_LENGTH) -> Presentation:
    """Parse a presentation ``<gens | rels>`` in GAP syntax.

    Parameters
    ----------
    text : str
        E.g. ``"<a, b | a^4, b^2, (a*b)^2>"``. Relations are relators (words) or equations
        ``u = v`` (giving ``u*v^-1``); ``<a, b | >`` has no relators.
    max_length : int, optional
        Maximal number of letters of one expanded relator and of all relators together.

    Returns
    -------
    Presentation
        Generators in order of appearance, freely reduced relators in order of appearance.

    Raises
    ------
    PresentationSyntaxError
        On any malformed input (unknown or repeated generator, unbalanced brackets, exponent
        above :data:`MAX_EXPONENT`, nesting above :data:`MAX_DEPTH`, expansion above
        ``max_length``); ``position`` points at the offending character.

    Examples
    --------
    >>> p = parse_presentation("<a, b | a^2, b^3, (a*b)^5>")
    >>> p.generators, p.relators[1]
    (('a', 'b'), (2, 2, 2))
    >>> parse_presentation("<x, y | [x, y], x^y = x^2>").relators
    ((-1, -2, 1, 2), (-2, 1, 2, -1, -1))
    """
    if not isinstance(text, str):
        raise PresentationSyntaxError(f"expected a str, got {type(text).__name__}")
    parser = _Parser(text, {}, _check_max_length(max_length))
    try:
        return parser.presentation()
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the stack far below the limit
        raise parser.error("nesting too deep") from None


def parse_word(
    text: str, generators: Sequence[str], *, max_length: int = MAX_LENGTH
) -> tuple[int, ...]:
    """Parse a word in GAP syntax over the given generators.

    Parameters
    ----------
    text : str
        E.g. ``"F1^2*F2^-1*F1"``, ``"[a, b]^2"``, ``"1"``.
    generators : sequence of str
        Generator names; generator ``generators[s]`` becomes the letter ``s + 1``.
    max_length : int, optional
        Maximal length of the expanded word.

    Returns
    -------
    tuple of int
        The freely reduced word.

    Raises
    ------
    PresentationSyntaxError
        On malformed input or an unknown generator (``position`` points at it).

    Examples
    --------
    >>> parse_word("F1^2*F2^-1*F1", ["F1", "F2"])
    (1, 1, -2, 1)
    >>> parse_word("a^b", ["a", "b"])
    (-2, 1, 2)
    """
    if not isinstance(text, str):
        raise PresentationSyntaxError(f"expected a str, got {type(text).__name__}")
    gens = check_generators(generators)
    parser = _Parser(text, {g: i for i, g in enumerate(gens)}, _check_max_length(max_length))
    try:
        w = parser.word(0)
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the stack far below the limit
        raise parser.error("nesting too deep") from None
    parser.skip_ws()
    if parser.pos != parser.n:
        raise parser.error(f"unexpected {parser.text[parser.pos]!r} after the word")
    return tuple(w)
