"""grouptools: finite groups, exact representations and harmonic analysis for equivariant networks.

The public surface is re-exported here; implementation lives in private modules.

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

from ._catalogue import (
    AbelianStructure,
    DirectProductStructure,
    SemidirectStructure,
    abelian,
    affine_group,
    alternating,
    dicyclic,
    dihedral,
    direct_product,
    from_matrices,
    from_permutations,
    from_presentation,
    general_linear,
    projective_special_linear,
    quaternion,
    semidirect_product,
    smallgroup_200_44,
    special_linear,
    symmetric,
    torus_p4m,
    cyclic,
)
from ._chartable import CharacterTable, character_table
from ._cyclotomic import E, EI, ER, Cyclotomic
from ._cycmatrix import CycMatrix
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
from ._group import ConjugacyClass, FiniteGroup, Subgroup
from . import fourier, uncertainty
from ._convolution import (
    convolve,
    correlate,
    left_translate,
    lift_image,
    regular_representation,
    right_translate,
)
from ._irreps import Irrep, irreps
from ._irreps_export import format_irreps, irreps_from_json, irreps_to_gap, irreps_to_json
from ._coset import abelian_invariants, enumerate_cosets
from ._parse import Presentation, format_word, free_reduce, parse_presentation, parse_word
from ._spec import group

from_cayley_table = FiniteGroup.from_cayley_table

__version__ = "0.1.0"

__all__ = [
    "AbelianStructure",
    "CharacterTable",
    "ConjugacyClass",
    "CycMatrix",
    "Cyclotomic",
    "CyclotomicError",
    "DirectProductStructure",
    "E",
    "EI",
    "ER",
    "ElementError",
    "EnumerationLimitError",
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
    "SemidirectStructure",
    "SpecError",
    "Subgroup",
    "VerificationError",
    "abelian",
    "abelian_invariants",
    "convolve",
    "correlate",
    "fourier",
    "left_translate",
    "lift_image",
    "regular_representation",
    "right_translate",
    "uncertainty",
    "affine_group",
    "alternating",
    "character_table",
    "cyclic",
    "dicyclic",
    "dihedral",
    "direct_product",
    "enumerate_cosets",
    "format_irreps",
    "format_word",
    "free_reduce",
    "from_cayley_table",
    "from_matrices",
    "from_permutations",
    "from_presentation",
    "general_linear",
    "group",
    "irreps",
    "irreps_from_json",
    "irreps_to_gap",
    "irreps_to_json",
    "parse_presentation",
    "parse_word",
    "projective_special_linear",
    "quaternion",
    "semidirect_product",
    "smallgroup_200_44",
    "special_linear",
    "symmetric",
    "torus_p4m",
]
