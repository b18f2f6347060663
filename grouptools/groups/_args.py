"""Argument checks and small presentation builders shared by the group constructors."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from .._errors import InvalidGroupError, ParameterTypeError, quote
from ..presentations import Presentation, parse_word
from ._group import FiniteGroup

__all__ = [
    "as_sequence",
    "check_group",
    "check_positive",
    "int_entries",
    "presentation_from",
    "word_power",
]


def presentation_from(names: Sequence[str], relators: Sequence[str | tuple[int, ...]]) -> Presentation:
    """A presentation from relators given as short strings or as words (tuples of letters).

    Relators whose length grows with a user's parameter (``a^n``) are built as words, never
    printed and parsed again: the parser's limits are for user input, not for the catalogue.
    """
    return Presentation(
        tuple(names), tuple(parse_word(r, names) if isinstance(r, str) else r for r in relators)
    )


def word_power(letter: int, n: int) -> tuple[int, ...]:
    """The word ``x^n`` (``letter`` = s + 1 for generator s)."""
    return (letter,) * n if n >= 0 else (-letter,) * -n


def check_group(value: Any, what: str = "a group") -> FiniteGroup:
    if not isinstance(value, FiniteGroup):
        raise ParameterTypeError(f"{what} must be a FiniteGroup, got {type(value).__name__}")
    return value


def as_sequence(value: Any, what: str) -> list[Any]:
    """``value`` as a list, refusing strings and non-iterables with ParameterTypeError."""
    if isinstance(value, (str, bytes, Mapping, set, frozenset)) or not hasattr(value, "__iter__"):
        raise ParameterTypeError(f"{what} must be a sequence, got {type(value).__name__}")
    return list(value)


def int_entries(value: Any, what: str) -> np.ndarray:
    """``value`` as an int64 array; ParameterTypeError unless its entries are integers."""
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested sequences
        raise InvalidGroupError(f"{what} is not a regular array of integers ({exc})") from None
    if arr.size == 0 and arr.dtype.kind == "f":
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise ParameterTypeError(f"{what} must have integer entries, got {quote(value)}")
    return arr.astype(np.int64)


def check_positive(name: str, n: Any, minimum: int = 1) -> int:
    """``n`` as an int: ParameterTypeError unless an integer, InvalidGroupError if below ``minimum``."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise ParameterTypeError(f"{name} must be an integer >= {minimum}, got {quote(n)}")
    if n < minimum:
        raise InvalidGroupError(f"{name} must be an integer >= {minimum}, got {quote(n)}")
    return int(n)
