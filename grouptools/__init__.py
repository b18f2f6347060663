"""grouptools: finite groups, exact representations and harmonic analysis for equivariant networks.

The public surface is re-exported here from the layers, bottom to top: :mod:`grouptools.arith`
(exact arithmetic), :mod:`grouptools.presentations` (words, parser, coset enumeration),
:mod:`grouptools.groups` (finite groups and the catalogue), :mod:`grouptools.reps` (character
tables and irreps), :mod:`grouptools.fourier` (transforms, convolution, norms) with
:mod:`grouptools.uncertainty`, and :mod:`grouptools.compact`.

Errors: every error raised on bad input is a :class:`GroupToolsError`; bad argument values are
:class:`ParameterError` (a :class:`ValueError`; :class:`InvalidGroupError` and
:class:`InvalidLimitError` are kinds of it), wrong argument types and unknown keywords
:class:`ParameterTypeError` (a :class:`TypeError`), out-of-range element indices and letters
:class:`ElementError` (an :class:`IndexError`); see :mod:`grouptools._errors` for the hierarchy.
Messages are one line and quote at most 80 characters of the input.

Examples
--------
>>> import grouptools as gt
>>> G = gt.group("<a, b | a^4, b^2, (a*b)^2>")
>>> G.order, G.is_abelian
(8, False)
"""

from __future__ import annotations

from . import fourier, uncertainty
from ._errors import (
    CyclotomicError,
    ElementError,
    EnumerationLimitError,
    GroupTooLargeError,
    GroupToolsError,
    InfiniteGroupError,
    InvalidGroupError,
    InvalidLimitError,
    ParameterError,
    ParameterTypeError,
    PresentationSyntaxError,
    SpecError,
    VerificationError,
)
from .arith import EI, ER, CycMatrix, Cyclotomic, E
from .fourier import (
    convolve,
    correlate,
    left_translate,
    lift_image,
    regular_representation,
    right_translate,
)
from .groups import (
    AbelianStructure,
    ConjugacyClass,
    DirectProductStructure,
    ExtensionStructure,
    FiniteGroup,
    SemidirectStructure,
    Subgroup,
    abelian,
    affine_group,
    alternating,
    cyclic,
    dicyclic,
    dihedral,
    direct_product,
    from_matrices,
    from_permutations,
    from_presentation,
    general_linear,
    group,
    projective_special_linear,
    quaternion,
    semidirect_product,
    smallgroup_200_44,
    special_linear,
    symmetric,
    torus_p4m,
)
from .presentations import (
    Presentation,
    abelian_invariants,
    enumerate_cosets,
    format_word,
    free_reduce,
    parse_presentation,
    parse_word,
)
from .reps import (
    CharacterTable,
    Decomposition,
    Irrep,
    Representation,
    character_table,
    clebsch_gordan,
    equivariant_basis,
    format_irreps,
    induce,
    irreps,
    irreps_from_json,
    irreps_to_gap,
    irreps_to_json,
)

from_cayley_table = FiniteGroup.from_cayley_table

__version__ = "0.1.0"

__all__ = [
    "AbelianStructure",
    "CharacterTable",
    "ConjugacyClass",
    "CycMatrix",
    "Cyclotomic",
    "CyclotomicError",
    "Decomposition",
    "DirectProductStructure",
    "E",
    "EI",
    "ER",
    "ElementError",
    "EnumerationLimitError",
    "ExtensionStructure",
    "FiniteGroup",
    "GroupTooLargeError",
    "GroupToolsError",
    "InfiniteGroupError",
    "InvalidGroupError",
    "InvalidLimitError",
    "Irrep",
    "ParameterError",
    "ParameterTypeError",
    "Presentation",
    "PresentationSyntaxError",
    "Representation",
    "SemidirectStructure",
    "SpecError",
    "Subgroup",
    "VerificationError",
    "abelian",
    "abelian_invariants",
    "affine_group",
    "alternating",
    "character_table",
    "clebsch_gordan",
    "convolve",
    "correlate",
    "cyclic",
    "dicyclic",
    "dihedral",
    "direct_product",
    "enumerate_cosets",
    "equivariant_basis",
    "format_irreps",
    "format_word",
    "fourier",
    "free_reduce",
    "from_cayley_table",
    "from_matrices",
    "from_permutations",
    "from_presentation",
    "general_linear",
    "group",
    "induce",
    "irreps",
    "irreps_from_json",
    "irreps_to_gap",
    "irreps_to_json",
    "left_translate",
    "lift_image",
    "parse_presentation",
    "parse_word",
    "projective_special_linear",
    "quaternion",
    "regular_representation",
    "right_translate",
    "semidirect_product",
    "smallgroup_200_44",
    "special_linear",
    "symmetric",
    "torus_p4m",
    "uncertainty",
]
