"""Representation theory: exact character tables, irreducible representations, their export.

Sits above :mod:`grouptools.groups`. Character tables by Dixon-Schneider with an exact modular
certificate; irreps by induction from linear characters (monomial), by tensor products for
direct products, or by central-idempotent projection and spinning (Dixon 1970), each verified
exactly before it is returned.

Examples
--------
>>> from grouptools.groups import symmetric
>>> from grouptools.reps import character_table, irreps
>>> character_table(symmetric(3)).degrees, [r.dim for r in irreps(symmetric(3))]
((1, 1, 2), [1, 1, 2])
"""

from __future__ import annotations

from ._adapted import AdaptedIrreps, adapted_irreps, default_chain, real_chain
from ._api import IrrepSequence, character_table, irreps
from ._decompose import Decomposition
from ._equivariant import clebsch_gordan, equivariant_basis
from ._chartable import CharacterTable
from ._chartable import character_table as dixon_schneider_table
from ._export import (
    format_irreps,
    irrep_to_gap,
    irrep_to_json,
    irreps_from_json,
    irreps_to_gap,
    irreps_to_json,
)
from ._irrep import Irrep
from ._representation import Representation, induce
from ._realirreps import RealIrrep, real_irreps

__all__ = [
    "AdaptedIrreps",
    "CharacterTable",
    "Irrep",
    "IrrepSequence",
    "RealIrrep",
    "adapted_irreps",
    "character_table",
    "default_chain",
    "dixon_schneider_table",
    "format_irreps",
    "induce",
    "irrep_to_gap",
    "irrep_to_json",
    "irreps",
    "irreps_from_json",
    "irreps_to_gap",
    "irreps_to_json",
    "real_chain",
    "real_irreps",
]
