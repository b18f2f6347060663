"""Exact arithmetic: number theory, cyclotomic numbers and matrices over cyclotomic fields.

The lowest layer of grouptools after the errors and kernels: it imports nothing from the group
layers. :class:`Cyclotomic` is an element of ``Q(zeta_n)`` in GAP's Zumbroich basis (printed as
GAP prints it); :class:`CycMatrix` a matrix over ``Q(zeta_m)`` with multimodular, certified
elimination.

Modules, bottom to top: ``_numtheory`` (primes, factorization, primitive roots, primes
``1 mod m`` and roots of unity mod ``p``, ``(Z/n)^*``, cyclotomic polynomials; the one copy used
by every layer), ``_multiword`` (exact big-integer arrays), ``_modular`` (batched linear
algebra mod ``p``, CRT), ``_zumbroich`` (canonical form and arithmetic of cyclotomic numbers),
``_gap_syntax`` (GAP text and sympy), ``_cyclotomic`` (:class:`Cyclotomic`, ``E``, ``ER``,
``EI``), ``_fields`` (power-basis tables of ``Q(zeta_m)`` and their images mod ``p``),
``_certify`` (certified elimination), ``_matrix_input`` (validation), ``_linalg`` and
``_cycmatrix`` (:class:`CycMatrix`).

Examples
--------
>>> from grouptools.arith import E, ER
>>> print(E(4) ** 2, ER(5) ** 2)
-1 5
"""

from __future__ import annotations

from ._cyclotomic import EI, ER, Cyclotomic, E
from ._cycmatrix import CycMatrix
from ._zumbroich import MAX_CONDUCTOR, zumbroich_basis

__all__ = [
    "CycMatrix",
    "Cyclotomic",
    "E",
    "EI",
    "ER",
    "MAX_CONDUCTOR",
    "zumbroich_basis",
]
