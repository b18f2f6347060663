"""Exceptions raised by grouptools.

Every error the library raises on bad input derives from :class:`GroupToolsError`, so callers
(and the command line) can catch one class. Where natural an error also derives from the standard
exception a caller would expect (:class:`ValueError`, :class:`TypeError`, :class:`IndexError`), so
``except ValueError`` keeps working.

Messages are one line and bounded: whenever a message quotes the user's input (a specification, a
presentation, a word, a value), it quotes at most :data:`QUOTE_LIMIT` characters of it, through
:func:`quote` or :func:`excerpt` (a window around the offending position, with ``...`` where text
was cut, control characters escaped).

Hierarchy::

    GroupToolsError
    +-- ParameterError (ValueError)            bad argument value: out of range, wrong shape
    |   +-- InvalidGroupError                  the data do not define a group
    |   +-- InvalidLimitError (+ EnumerationLimitError)   max_order, max_cosets, time_budget
    +-- ParameterTypeError (TypeError)         argument of the wrong type, unknown keyword
    +-- ElementError (IndexError)              element index, letter or block index out of range
    +-- PresentationSyntaxError (ValueError)   a presentation or word does not parse
    +-- SpecError (ValueError)                 a catalogue expression is malformed
    +-- InfiniteGroupError, EnumerationLimitError, GroupTooLargeError, VerificationError
    +-- CyclotomicError (ValueError)
"""

from __future__ import annotations

import math
import reprlib
from typing import Any

__all__ = [
    "QUOTE_LIMIT",
    "CyclotomicError",
    "ElementError",
    "EnumerationLimitError",
    "GroupTooLargeError",
    "GroupToolsError",
    "InfiniteGroupError",
    "InvalidGroupError",
    "InvalidLimitError",
    "ParameterError",
    "ParameterTypeError",
    "PresentationSyntaxError",
    "SpecError",
    "VerificationError",
    "check_index",
    "check_int",
    "check_limit",
    "check_type",
    "excerpt",
    "quote",
]

#: At most this many characters of the user's input are quoted in an error message.
QUOTE_LIMIT = 80

_ELLIPSIS = "..."


def _escape(c: str) -> str:
    """One character as shown in a message (control and other unprintable characters escaped)."""
    return c if c.isprintable() else repr(c)[1:-1]


def _take(chars: Any, budget: int) -> tuple[list[str], bool]:
    """Escaped characters from ``chars`` while they fit in ``budget``; and whether some were cut."""
    out: list[str] = []
    used = 0
    for c in chars:
        e = _escape(c)
        if used + len(e) > budget:
            return out, True
        out.append(e)
        used += len(e)
    return out, False


def excerpt(text: str, position: int = 0, limit: int = QUOTE_LIMIT) -> tuple[str, str]:
    """The text before and after ``position``, together at most ``limit`` characters.

    A window around ``position`` (about half of ``limit`` on each side when both sides are long);
    ``...`` marks where text was cut. Unprintable characters are escaped (``\\n``), so the result
    is one line. Reads only ``O(limit)`` characters of ``text``.

    Examples
    --------
    >>> excerpt("<a | a^2, c>", 10)
    ('<a | a^2, ', 'c>')
    >>> before, after = excerpt("x" * 1000 + "!" + "y" * 1000, 1000, limit=10)
    >>> before, after
    ('...xxxxx', '!yyyy...')
    """
    text = str(text)
    position = min(max(int(position), 0), len(text))
    left_src = text[max(0, position - limit) : position][::-1]  # nearest character first
    right_src = text[position : position + limit]
    half = limit // 2
    right_need = sum(len(e) for e in _take(right_src, limit)[0])
    left_budget = max(half, limit - right_need)  # a short right side leaves its budget to the left
    left, _ = _take(left_src, left_budget)
    right, _ = _take(right_src, limit - sum(map(len, left)))
    before = (_ELLIPSIS if len(left) < position else "") + "".join(reversed(left))
    after = "".join(right) + (_ELLIPSIS if len(right) < len(text) - position else "")
    return before, after


def quote(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """A bounded ``repr``-like quotation of a user's value for an error message.

    Strings are quoted in single quotes, escaped, and cut to ``limit`` characters with ``...``;
    other objects are shown by :mod:`reprlib` and cut to ``limit`` characters.

    Examples
    --------
    >>> quote("dihedral(4)")
    "'dihedral(4)'"
    >>> len(quote("x" * 10**5))
    85
    >>> quote(list(range(100)), limit=20)
    '[0, 1, 2, 3, 4, 5...'
    """
    if isinstance(value, str):
        before, after = excerpt(value, 0, limit)
        return f"'{before}{after}'"
    short = reprlib.Repr()
    short.maxstring = short.maxother = short.maxlong = limit
    try:
        text = short.repr(value)
    except Exception:  # a broken __repr__ must not hide the real error
        text = f"<{type(value).__name__} object>"
    text = "".join(_escape(c) for c in text[: limit + 1])
    return text if len(text) <= limit else text[:limit] + _ELLIPSIS


class GroupToolsError(Exception):
    """Base class of all errors raised by grouptools."""


class ParameterError(GroupToolsError, ValueError):
    """An argument has a bad value: out of range, the wrong shape, an unknown option."""


class ParameterTypeError(GroupToolsError, TypeError):
    """An argument has the wrong type, or a keyword argument is unknown."""


class ElementError(GroupToolsError, IndexError):
    """An index is out of range: an element index of a group, a letter of a word (``|letter|``
    above the number of generators), a block index of Fourier blocks."""


class PresentationSyntaxError(GroupToolsError, ValueError):
    """A presentation or word could not be parsed.

    The message shows at most :data:`QUOTE_LIMIT` characters of the text around the offending
    position, marked ``<here>``.

    Attributes
    ----------
    text : str
        The text that was parsed (in full).
    position : int
        0-based offset of the offending character in ``text``.
    """

    def __init__(self, message: str, text: str = "", position: int = 0) -> None:
        self.text = text
        self.position = position
        if text:
            before, after = excerpt(text, position)
            message = f"{message} at position {position}: {before}<here>{after}"
        super().__init__(message)


class SpecError(GroupToolsError, ValueError):
    """A group specification (catalogue expression) is malformed or ambiguous."""


class InfiniteGroupError(GroupToolsError):
    """The presentation defines an infinite group (proved, e.g. by its abelianization)."""


class EnumerationLimitError(GroupToolsError):
    """Coset enumeration exceeded ``max_cosets``, ``max_order`` or its time budget, or a
    group would exceed ``max_order``.

    The group may be infinite or merely larger than the limits allow.
    """


class InvalidLimitError(ParameterError, EnumerationLimitError):
    """A limit (``max_order``, ``max_cosets``, ``time_budget``) is not a positive number.

    A :class:`ParameterError`; also an :class:`EnumerationLimitError`, which it was before it had
    a name of its own.
    """


class InvalidGroupError(ParameterError):
    """Data (a Cayley table, permutations, matrices, an action, a catalogue parameter) do not
    define a group."""


class GroupTooLargeError(GroupToolsError):
    """An operation would need more memory than allowed for a group of this order."""


class VerificationError(GroupToolsError):
    """An internal exact verification failed. This is a bug in grouptools; please report it."""


class CyclotomicError(GroupToolsError, ValueError):
    """Bad input to cyclotomic arithmetic (unparsable GAP notation, division by zero)."""


def check_limit(name: str, value: Any, *, integer: bool = True) -> Any:
    """``value`` if it is a valid limit: a positive int (``integer``) or a positive finite number.

    Raises
    ------
    InvalidLimitError
        Otherwise (also for ``bool``, strings, NaN, infinity).

    Examples
    --------
    >>> check_limit("max_order", 10)
    10
    >>> check_limit("max_order", -5)
    Traceback (most recent call last):
    ...
    grouptools._errors.InvalidLimitError: max_order must be a positive int, got -5
    """
    import numbers

    kind = "a positive int" if integer else "a positive number"
    wanted = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, wanted):
        raise InvalidLimitError(f"{name} must be {kind}, got {quote(value)}")
    value = int(value) if integer else float(value)
    if not value > 0 or (not integer and not math.isfinite(value)):
        raise InvalidLimitError(f"{name} must be {kind}, got {quote(value)}")
    return value


def check_int(name: str, value: Any) -> int:
    """``value`` as an int: a Python or numpy integer (or a 0-d integer array), not ``bool``.

    Raises
    ------
    ParameterTypeError
        Otherwise (floats, strings, ``None``, arrays, ``bool``).

    Examples
    --------
    >>> check_int("k", 3)
    3
    >>> check_int("k", 2.0)
    Traceback (most recent call last):
    ...
    grouptools._errors.ParameterTypeError: k must be an int, got 2.0
    """
    import numpy as np

    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ParameterTypeError(f"{name} must be an int, got {quote(value)}")
    return int(value)


def check_index(name: str, value: Any, n: int, *, negative: bool = False) -> int:
    """``value`` as an index into a sequence of length ``n``, in ``0..n-1``.

    With ``negative=True`` Python-style indices ``-n..-1`` are accepted too and normalized.

    Raises
    ------
    ParameterTypeError
        ``value`` is not an int (:func:`check_int`).
    ElementError
        Out of range.

    Examples
    --------
    >>> check_index("class index", -1, 4, negative=True)
    3
    >>> check_index("character index", 7, 4)
    Traceback (most recent call last):
    ...
    grouptools._errors.ElementError: character index must lie in 0..3, got 7
    """
    i = check_int(name, value)
    lo = -n if negative else 0
    if not lo <= i < n:
        span = f"{lo}..{n - 1}" if n > 0 else "an empty range"
        raise ElementError(f"{name} must lie in {span}, got {quote(i)}")
    return i % n


def check_type(name: str, value: Any, cls: type | tuple[type, ...], wanted: str) -> Any:
    """``value`` if it is an instance of ``cls``, else :class:`ParameterTypeError` naming ``wanted``.

    Examples
    --------
    >>> check_type("x", 1, str, "a string")
    Traceback (most recent call last):
    ...
    grouptools._errors.ParameterTypeError: x must be a string, got int
    """
    if not isinstance(value, cls):
        raise ParameterTypeError(f"{name} must be {wanted}, got {type(value).__name__}")
    return value
