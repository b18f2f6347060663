"""Finite abelian groups ``C_{n1} x ... x C_{nr}`` by their invariants, and cyclic groups."""

from __future__ import annotations

import itertools
from typing import Sequence

import numpy as np

from .._errors import InvalidGroupError
from ._args import as_sequence, check_positive, presentation_from, word_power
from ._arrays import default_names
from ._group import FiniteGroup
from ._structures import AbelianStructure

__all__ = ["abelian", "cyclic"]


def abelian(invariants: Sequence[int], *, names: Sequence[str] | None = None) -> FiniteGroup:
    """The abelian group ``C_{n1} x ... x C_{nr}``.

    Element ``(e1, ..., er)`` (meaning ``a^e1 b^e2 ...``) has index
    ``numpy.ravel_multi_index((e1, ..., er), invariants)``.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.abelian((10, 10, 2))
    >>> G.order, G.exponent, len(G.conjugacy_classes())
    (200, 10, 200)
    """
    inv = tuple(check_positive("an invariant", n) for n in as_sequence(invariants, "invariants"))
    if not inv:  # the empty product: the trivial group
        inv = (1,)
    order = 1
    for n in inv:  # stops early: no huge product of a long list
        order *= n
        if order > 10**7:
            break
    if order > 10**7:
        raise InvalidGroupError(f"abelian group of order {order} exceeds the limit 10^7")
    names = tuple(names) if names is not None else default_names(len(inv))
    coords = np.indices(inv).reshape(len(inv), -1)
    perms = np.empty((len(inv), order), np.int64)
    for i, n in enumerate(inv):
        shifted = coords.copy()
        shifted[i] = (shifted[i] + 1) % n
        perms[i] = np.ravel_multi_index(tuple(shifted), inv)
    rels: list[str | tuple[int, ...]] = [word_power(i + 1, n) for i, n in enumerate(inv)]
    rels += [(-i - 1, -j - 1, i + 1, j + 1) for i, j in itertools.combinations(range(len(inv)), 2)]
    label = " x ".join(f"C{n}" for n in inv)
    return FiniteGroup(
        perms,
        names,
        presentation=presentation_from(names, rels),
        structure=AbelianStructure(inv),
        name=label,
        _checked=True,
    )


def cyclic(n: int) -> FiniteGroup:
    """The cyclic group ``C_n = <a | a^n>``; element ``i`` is ``a^i``.

    Examples
    --------
    >>> import grouptools as gt
    >>> gt.cyclic(6).element("a^-1")
    5
    """
    return abelian((check_positive("n", n),))
