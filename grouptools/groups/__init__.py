"""Finite groups as immutable objects: the group core, subgroups, classes, the catalogue, specs.

Sits above :mod:`grouptools.presentations`. The representation theory above it
(:mod:`grouptools.reps`) is reached from :meth:`FiniteGroup.irreps` and
:meth:`FiniteGroup.character_table` by lazy imports only.

Examples
--------
>>> from grouptools.groups import dihedral, group
>>> group("dihedral(order=8)") == dihedral(4)
True
"""

from __future__ import annotations

from ._abelian import abelian, cyclic
from ._catalogue import (
    affine_group,
    dicyclic,
    dihedral,
    direct_product,
    from_presentation,
    quaternion,
    semidirect_product,
    smallgroup_200_44,
    torus_p4m,
)
from ._concrete import (
    alternating,
    from_matrices,
    from_permutations,
    general_linear,
    projective_special_linear,
    special_linear,
    symmetric,
)
from ._group import ConjugacyClass, FiniteGroup, SpanningTree, Subgroup
from ._structures import (
    AbelianStructure,
    DirectProductStructure,
    ExtensionStructure,
    SemidirectStructure,
    Structure,
)
from ._spec import group

__all__ = [
    "AbelianStructure",
    "ConjugacyClass",
    "DirectProductStructure",
    "ExtensionStructure",
    "FiniteGroup",
    "SemidirectStructure",
    "SpanningTree",
    "Structure",
    "Subgroup",
    "abelian",
    "affine_group",
    "alternating",
    "cyclic",
    "dicyclic",
    "dihedral",
    "direct_product",
    "from_matrices",
    "from_permutations",
    "from_presentation",
    "general_linear",
    "group",
    "projective_special_linear",
    "quaternion",
    "semidirect_product",
    "smallgroup_200_44",
    "special_linear",
    "symmetric",
    "torus_p4m",
]
