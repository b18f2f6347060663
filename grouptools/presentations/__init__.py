"""Finitely presented groups: words, the presentation parser (GAP syntax) and coset enumeration.

Sits above :mod:`grouptools.arith` and below :mod:`grouptools.groups`: it knows words and
relators, not group objects. Coset enumeration is Hasselgrove-Leech-Trotter with lookahead
(Holt, Eick and O'Brien, *Handbook of Computational Group Theory*, 2005, ch. 5) with explicit
limits.

Examples
--------
>>> from grouptools.presentations import parse_presentation, enumerate_cosets
>>> P = parse_presentation("<a, b | a^4, b^2, (a*b)^2>")
>>> P.generators, len(P.relators)
(('a', 'b'), 3)
"""

from __future__ import annotations

from ._coset import MAX_TABLE_ENTRIES, abelian_invariants, enumerate_cosets
from ._parse import MAX_DEPTH, MAX_EXPONENT, MAX_LENGTH, parse_presentation, parse_word
from ._words import Presentation, format_word, free_reduce

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_TABLE_ENTRIES",
    "Presentation",
    "abelian_invariants",
    "enumerate_cosets",
    "format_word",
    "free_reduce",
    "parse_presentation",
    "parse_word",
]
