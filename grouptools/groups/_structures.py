"""Construction records of product groups: how a group was built, for fast algorithms.

A group built by :func:`~grouptools.abelian`, :func:`~grouptools.direct_product`,
:func:`~grouptools.semidirect_product` or :func:`~grouptools.dicyclic` (and the families built
from them) carries one of these in :attr:`FiniteGroup.structure`; layers above (Fourier
transforms, irreps) recognise them by type, and each gives the group its element arithmetic
(:mod:`grouptools.groups._arithmetic`) through :meth:`arithmetic`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ._arithmetic import (
    AbelianArithmetic,
    Arithmetic,
    ExtensionArithmetic,
    ProductArithmetic,
    SemidirectArithmetic,
)

if TYPE_CHECKING:  # pragma: no cover
    from ._group import FiniteGroup

__all__ = [
    "AbelianStructure",
    "DirectProductStructure",
    "ExtensionStructure",
    "SemidirectStructure",
    "Structure",
]


@dataclass(frozen=True)
class AbelianStructure:
    """``C_{n1} x ... x C_{nr}``: element index = ``ravel_multi_index(exponents, invariants)``
    (last factor fastest); generator ``i`` is the unit vector ``e_i``."""

    invariants: tuple[int, ...]

    def arithmetic(self) -> Arithmetic:
        """Index arithmetic on exponent vectors."""
        return AbelianArithmetic(tuple(int(n) for n in self.invariants))


@dataclass(frozen=True, eq=False)
class DirectProductStructure:
    """``G1 x ... x Gr``: element index = ``ravel_multi_index((i1, ..., ir), orders)``."""

    factors: tuple[FiniteGroup, ...]

    def arithmetic(self) -> Arithmetic:
        """Coordinatewise arithmetic of the factors."""
        return ProductArithmetic(tuple(G.arithmetic for G in self.factors))


@dataclass(frozen=True, eq=False)
class SemidirectStructure:
    """``N : H``: the element ``n*h`` has index ``h*|N| + n`` and ``action[h, n]`` is the
    index in ``N`` of ``h n h^-1``."""

    normal: FiniteGroup
    complement: FiniteGroup
    action: np.ndarray = field(repr=False)

    def arithmetic(self) -> Arithmetic:
        """``(n1 h1)(n2 h2) = (n1 . h1 n2 h1^-1)(h1 h2)`` with the tabulated action."""
        return SemidirectArithmetic(self.normal.arithmetic, self.complement.arithmetic, self.action)


@dataclass(frozen=True, eq=False)
class ExtensionStructure:
    """A cyclic extension ``N . C_m`` that need not split: the element ``n t^j`` has index
    ``j*|N| + n`` (``0 <= j < m``), ``t^m = c`` (an element of ``N``) and ``action[j, n]`` is the
    index of ``t^j n t^-j``. The dicyclic groups are ``C_2n . C_2`` with ``t^2 = a^n``."""

    normal: FiniteGroup
    m: int
    action: np.ndarray = field(repr=False)
    c: int = 0

    def arithmetic(self) -> Arithmetic:
        """``(n1 t^j1)(n2 t^j2) = n1 (t^j1 n2 t^-j1) [c] t^(j1+j2 mod m)``."""
        return ExtensionArithmetic(self.normal.arithmetic, int(self.m), self.action, int(self.c))


#: Any construction record.
Structure = AbelianStructure | DirectProductStructure | SemidirectStructure | ExtensionStructure
