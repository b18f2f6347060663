r"""Band-limited harmonic analysis on the compact groups SO(2), O(2), SO(3) and the sphere S^2.

The compact counterpart of the finite-group Fourier layer, for band-limited G-CNNs (``docs/compact.md``).
Conventions follow ``docs/theory.md`` with the sum over a finite group replaced by the integral against
the normalized Haar measure: ``f_hat(rho) = int f(g) rho(g) dg`` and
``f(g) = sum_rho d_rho tr(rho(g)^H f_hat(rho))``; the G-CNN correlation
``(x star w)(g) = int w(h) x(g h) dh`` (left-equivariant, Cohen & Welling 2016) has blocks
``x_hat(rho) w_hat(rho)^H`` for real ``w``. Band limit ``B`` means degrees (frequencies)
``< B``. Euler angles are ZYZ, Wigner matrices use the Condon-Shortley phase
(:mod:`grouptools.compact._wigner`).

=====================  ==========================================================================
topic                  functions
=====================  ==========================================================================
rotations, Wigner      :func:`rotation_matrix`, :func:`euler_angles`, :func:`wigner_d`,
                       :func:`wigner_d_matrices`, :func:`wigner_D`, :func:`wigner_D_real`,
                       :func:`real_basis_change`, :func:`spherical_harmonics`,
                       :func:`real_spherical_harmonics`
Clebsch-Gordan         :func:`clebsch_gordan_so3`, :func:`wigner_3j`, :func:`so3_coupling_matrix`
quadrature             :func:`so3_grid`, :func:`s2_grid` (SOFT / Driscoll-Healy, Gauss-Legendre)
SO(3) transforms       :func:`so3_forward`, :func:`so3_inverse`, :func:`so3_evaluate`,
                       :func:`so3_convolve`, :func:`so3_correlate`, :func:`so3_real_blocks`,
                       :func:`so3_complex_blocks`
S^2 transforms         :func:`s2_forward`, :func:`s2_inverse`, :func:`s2_evaluate`,
                       :func:`s2_convolve`, :func:`s2_so3_correlate`
SO(2), O(2)            :func:`so2_forward`, :func:`so2_inverse`, :func:`so2_convolve`,
                       :func:`o2_irreps`, :func:`o2_multiply`, :func:`o2_forward`,
                       :func:`o2_inverse`, :func:`o2_convolve`
coordinates            :class:`BlockSpace`, :func:`so3_space`, :func:`so2_space`, :func:`o2_space`,
                       :func:`s2_space`, :func:`block_space`
finite subgroups       :func:`rotation_subgroup`, :func:`restriction_character`,
                       :func:`restriction_multiplicities`, :func:`character_table_numeric`
=====================  ==========================================================================

Examples
--------
>>> import numpy as np
>>> from grouptools import compact as gc
>>> g = gc.so3_grid(4)
>>> rng = np.random.default_rng(0)
>>> F = [rng.standard_normal((2 * l + 1, 2 * l + 1)) for l in range(4)]   # real blocks
>>> f = gc.so3_inverse(F, g)                                               # samples of a real f
>>> G = gc.so3_forward(f, g, real=True)
>>> max(float(np.abs(a - b).max()) for a, b in zip(F, G)) < 1e-12
True
"""

from __future__ import annotations

from ._clebsch import CG_BASES, MAX_CG_DEGREE, clebsch_gordan_so3, so3_coupling_matrix, wigner_3j
from ._quadrature import GRID_KINDS, MAX_BANDLIMIT, S2Grid, SO3Grid, s2_grid, so3_grid
from ._so2 import (
    o2_convolve,
    o2_forward,
    o2_inverse,
    o2_irreps,
    o2_multiply,
    so2_character,
    so2_convolve,
    so2_forward,
    so2_inverse,
)
from ._so3 import (
    so3_complex_blocks,
    so3_convolve,
    so3_correlate,
    so3_evaluate,
    so3_forward,
    so3_inverse,
    so3_real_blocks,
)
from ._spaces import BlockSpace, BlockSpec, block_space, o2_space, s2_space, so2_space, so3_space
from ._sphere import (
    s2_complex_coefficients,
    s2_convolve,
    s2_evaluate,
    s2_forward,
    s2_inverse,
    s2_real_coefficients,
    s2_so3_correlate,
)
from ._subgroups import (
    RotationGroup,
    axis_angle_matrix,
    character_table_numeric,
    restriction_character,
    restriction_multiplicities,
    rotation_angle,
    rotation_subgroup,
)
from ._wigner import (
    euler_angles,
    iter_wigner_d,
    real_basis_change,
    real_spherical_harmonics,
    rotation_matrix,
    spherical_harmonics,
    wigner_D,
    wigner_D_real,
    wigner_d,
    wigner_d_matrices,
)

__all__ = [
    "BlockSpace",
    "BlockSpec",
    "CG_BASES",
    "GRID_KINDS",
    "MAX_BANDLIMIT",
    "MAX_CG_DEGREE",
    "RotationGroup",
    "S2Grid",
    "SO3Grid",
    "axis_angle_matrix",
    "block_space",
    "character_table_numeric",
    "clebsch_gordan_so3",
    "euler_angles",
    "iter_wigner_d",
    "o2_convolve",
    "o2_forward",
    "o2_inverse",
    "o2_irreps",
    "o2_multiply",
    "o2_space",
    "real_basis_change",
    "real_spherical_harmonics",
    "restriction_character",
    "restriction_multiplicities",
    "rotation_angle",
    "rotation_matrix",
    "rotation_subgroup",
    "s2_complex_coefficients",
    "s2_convolve",
    "s2_evaluate",
    "s2_forward",
    "s2_grid",
    "s2_inverse",
    "s2_real_coefficients",
    "s2_so3_correlate",
    "s2_space",
    "so2_character",
    "so2_convolve",
    "so2_forward",
    "so2_inverse",
    "so2_space",
    "so3_complex_blocks",
    "so3_convolve",
    "so3_correlate",
    "so3_coupling_matrix",
    "so3_evaluate",
    "so3_forward",
    "so3_grid",
    "so3_inverse",
    "so3_real_blocks",
    "so3_space",
    "spherical_harmonics",
    "wigner_3j",
    "wigner_D",
    "wigner_D_real",
    "wigner_d",
    "wigner_d_matrices",
]
