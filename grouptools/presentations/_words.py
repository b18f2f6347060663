"""Words in the generators of a group: free reduction, printing in GAP syntax, roots of words,
and :class:`Presentation`, the generators and relators of a finitely presented group.

A word is a tuple of nonzero ints: generator ``s`` (0-based) is ``s + 1`` and its inverse
``-(s + 1)``; words are kept freely reduced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from grouptools._errors import PresentationSyntaxError, quote

__all__ = ["Presentation", "check_generators", "format_word", "free_reduce", "word_root"]

#: A generator name: a letter, then letters, digits and underscores.
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def free_reduce(word: Iterable[int]) -> tuple[int, ...]:
    """Freely reduce a word: cancel adjacent ``x, -x`` pairs until none is left.

    Parameters
    ----------
    word : iterable of int
        Letters: generator ``s`` (0-based) is ``s + 1``, its inverse ``-(s + 1)``.

    Returns
    -------
    tuple of int
        The freely reduced word.

    Raises
    ------
    PresentationSyntaxError
        If a letter is not a nonzero integer.

    Examples
    --------
    >>> free_reduce([1, 2, -2, -1, 1, 1])
    (1, 1)
    >>> free_reduce([])
    ()
    """
    out: list[int] = []
    for letter in word:
        x = _as_letter(letter)
        if out and out[-1] == -x:
            out.pop()
        else:
            out.append(x)
    return tuple(out)


def _as_letter(letter: object) -> int:
    if isinstance(letter, bool) or not hasattr(letter, "__index__"):
        raise PresentationSyntaxError(f"a letter must be a nonzero int, got {quote(letter)}")
    x = int(letter.__index__())  # type: ignore[attr-defined]
    if x == 0:
        raise PresentationSyntaxError("a letter must be a nonzero int, got 0")
    return x


def check_generators(generators: Sequence[str]) -> tuple[str, ...]:
    if isinstance(generators, str):
        raise PresentationSyntaxError(
            f"generators must be a sequence of names, not the string {quote(generators)}"
        )
    gens = tuple(generators)
    seen: set[str] = set()
    for g in gens:
        if not isinstance(g, str) or NAME_RE.match(g) is None:
            raise PresentationSyntaxError(
                f"invalid generator name {quote(g)}: expected [A-Za-z][A-Za-z0-9_]*"
            )
        if g in seen:
            raise PresentationSyntaxError(f"duplicate generator name {quote(g)}")
        seen.add(g)
    return gens


def _is_reduced_word(word: tuple, ngens: int) -> bool:
    """Fast check (numpy) that a long tuple of ints is a freely reduced word in range."""
    if not all(type(x) is int for x in word):
        return False
    arr = np.fromiter(word, dtype=np.int64, count=len(word))
    mag = np.abs(arr)
    return bool(mag.min() >= 1 and mag.max() <= ngens and not np.any(arr[1:] == -arr[:-1]))


def _check_word(word: Sequence[int], ngens: int) -> tuple[int, ...]:
    if isinstance(word, (str, bytes)) or not isinstance(word, Iterable):
        raise PresentationSyntaxError(f"a word must be a sequence of ints, got {quote(word)}")
    if type(word) is tuple and len(word) > 256 and _is_reduced_word(word, ngens):
        return word  # e.g. the relator a^n of a large cyclic group
    w = free_reduce(word)
    for x in w:
        if abs(x) > ngens:
            raise PresentationSyntaxError(
                f"letter {x} out of range for {ngens} generator(s): "
                f"expected 1 <= |letter| <= {ngens}"
            )
    return w


def format_word(word: Sequence[int], generators: Sequence[str]) -> str:
    """Format a word in GAP syntax, collapsing runs of equal letters into powers.

    Parameters
    ----------
    word : sequence of int
        Letters (``s + 1`` for generator ``s``, ``-(s + 1)`` for its inverse); it is freely
        reduced first.
    generators : sequence of str
        Generator names.

    Returns
    -------
    str
        E.g. ``"a^2*b^-1*a"``; the identity is ``"1"``.

    Raises
    ------
    PresentationSyntaxError
        If a letter is out of range or a generator name is invalid.

    Examples
    --------
    >>> format_word([1, 1, -2, 1], ["a", "b"])
    'a^2*b^-1*a'
    >>> format_word([], ["a", "b"])
    '1'
    """
    gens = check_generators(generators)
    w = _check_word(word, len(gens))
    return _format_checked(w, gens)


def _format_checked(w: Sequence[int], gens: Sequence[str]) -> str:
    if not w:
        return "1"
    parts: list[str] = []
    i = 0
    n = len(w)
    while i < n:
        x = w[i]
        j = i
        while j < n and w[j] == x:
            j += 1
        e = (j - i) * (1 if x > 0 else -1)
        name = gens[abs(x) - 1]
        parts.append(name if e == 1 else f"{name}^{e}")
        i = j
    return "*".join(parts)


def word_root(w: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
    """Return ``(u, e)`` with ``w == u * e`` and ``e`` maximal (``u`` not a proper power).

    Uses the Knuth-Morris-Pratt failure function (Knuth, Morris and Pratt, 1977): the
    smallest period of ``w`` is ``n - fail[n]``.
    """
    n = len(w)
    if n == 0:
        return w, 1
    fail = [0] * (n + 1)
    fail[0] = -1
    k = -1
    for i in range(n):
        while k >= 0 and w[k] != w[i]:
            k = fail[k]
        k += 1
        fail[i + 1] = k
    period = n - fail[n]
    if n % period == 0:
        return w[:period], n // period
    return w, 1


@dataclass(frozen=True)
class Presentation:
    """A finite presentation ``<generators | relators>``.

    Parameters
    ----------
    generators : tuple of str
        Distinct names matching ``[A-Za-z][A-Za-z0-9_]*``.
    relators : tuple of tuple of int
        Words (generator ``s`` is ``s + 1``, its inverse ``-(s + 1)``). They are freely reduced
        on construction (lists are accepted and converted to tuples).

    Raises
    ------
    PresentationSyntaxError
        If a name is invalid or repeated, or a letter is out of range.

    Examples
    --------
    >>> from grouptools.presentations import parse_presentation
    >>> p = Presentation(("a", "b"), ((1, 1, 1, 1), (2, 2), (1, 2, 1, 2)))
    >>> str(p)
    '<a, b | a^4, b^2, (a*b)^2>'
    >>> parse_presentation(str(p)) == p
    True
    """

    generators: tuple[str, ...]
    relators: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        gens = check_generators(self.generators)
        if isinstance(self.relators, (str, bytes)) or not isinstance(self.relators, Iterable):
            raise PresentationSyntaxError("relators must be a sequence of words, not a string")
        rels = tuple(_check_word(r, len(gens)) for r in self.relators)
        object.__setattr__(self, "generators", gens)
        object.__setattr__(self, "relators", rels)

    def __str__(self) -> str:
        parts = []
        for r in self.relators:
            root, e = word_root(r)
            if e > 1 and len(root) > 1:
                parts.append(f"({_format_checked(root, self.generators)})^{e}")
            else:
                parts.append(_format_checked(r, self.generators))
        gens = ", ".join(self.generators)
        rels = ", ".join(parts)
        return f"<{gens} | {rels}>" if gens else f"< | {rels}>"
