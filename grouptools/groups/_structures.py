"""Construction records of product groups: how a group was built, for fast algorithms.

A group built by :func:`~grouptools.abelian`, :func:`~grouptools.direct_product` or
:func:`~grouptools.semidirect_product` (and the families built from them) carries one of these in
:attr:`FiniteGroup.structure`; layers above (Fourier transforms, irreps) recognise them by type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from ._group import FiniteGroup

__all__ = ["AbelianStructure", "DirectProductStructure", "SemidirectStructure", "Structure"]


@dataclass(frozen=True)
class AbelianStructure:
    """``C_{n1} x ... x C_{nr}``: element index = ``ravel_multi_index(exponents, invariants)``
    (last factor fastest); generator ``i`` is the unit vector ``e_i``."""

    invariants: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class DirectProductStructure:
    """``G1 x ... x Gr``: element index = ``ravel_multi_index((i1, ..., ir), orders)``."""

    factors: tuple[FiniteGroup, ...]


@dataclass(frozen=True, eq=False)
class SemidirectStructure:
    """``N : H``: the element ``n*h`` has index ``h*|N| + n`` and ``action[h, n]`` is the
    index in ``N`` of ``h n h^-1``."""

    normal: FiniteGroup
    complement: FiniteGroup
    action: np.ndarray = field(repr=False)


#: Any construction record.
Structure = AbelianStructure | DirectProductStructure | SemidirectStructure
