"""Exact arithmetic: number theory, cyclotomic numbers and matrices over cyclotomic fields.

The lowest layer of grouptools after the errors and kernels: it imports nothing from the group
layers. :class:`Cyclotomic` is an element of ``Q(zeta_n)`` in GAP's Zumbroich basis (printed as
GAP prints it); :class:`CycMatrix` a matrix over ``Q(zeta_m)`` with multimodular, certified
elimination.

Examples
--------
>>> from grouptools.arith import E, ER
>>> print(E(4) ** 2, ER(5) ** 2)
-1 5
"""

from __future__ import annotations

from ._cyclotomic import EI, ER, MAX_CONDUCTOR, Cyclotomic, E, zumbroich_basis
from ._cycmatrix import CycMatrix

__all__ = sorted(["CycMatrix", "Cyclotomic", "E", "EI", "ER", "MAX_CONDUCTOR", "zumbroich_basis"])
