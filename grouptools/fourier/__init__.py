"""Harmonic analysis on finite groups: Fourier transforms, their inverse, and norms of the blocks.

Conventions (``docs/theory.md``), for the irreps ``rho`` of ``G.irreps()`` (unitary, in that
order and basis):

* ``f_hat(rho) = sum_g f(g) rho(g)`` (:func:`transform`);
* ``f(g) = (1/|G|) sum_rho d_rho tr(rho(g)^H f_hat(rho))`` (:func:`inverse`);
* ``norm=`` takes scipy.fft's names: ``"backward"`` (default, as above), ``"ortho"`` (alias
  ``"unitary"``) scales block ``rho`` by ``sqrt(d_rho/|G|)``, an isometry, and ``"forward"`` by
  ``1/|G|`` (then the inverse has no ``1/|G|``);
* convolution ``(f * h)^(rho) = f_hat(rho) h_hat(rho)`` (:func:`convolve`) and the G-CNN layer
  ``(x star w)(g) = sum_h w(h) x(g h)`` (:func:`correlate`), which commutes with left translations.

Methods, registered with their applicability and cost (``grouptools.fourier._registry``): an FFT
for groups with an :class:`~grouptools.AbelianStructure` (``"abelian"``); for semidirect products
``N : H`` with ``N`` abelian (e.g. :func:`grouptools.torus_p4m`) and direct products with an
abelian factor, an FFT over ``N`` followed by a Clifford-theoretic assembly (``"clifford"``); the
same over an abelian normal subgroup found from the multiplication (``"discovered"``); separation
of variables along a chain of subgroups with adapted irreps, for every group (``"chain"``; Young's
orthogonal form for the symmetric groups); the dense definition otherwise (``"dense"``).
``method="auto"`` takes the cheapest (:func:`choose_method`).

Examples
--------
>>> import numpy as np
>>> import grouptools as gt
>>> from grouptools.fourier import transform, inverse
>>> G = gt.dihedral(4)
>>> f = np.arange(8.0)
>>> F = transform(G, f)
>>> F.dims
(1, 1, 1, 1, 2)
>>> bool(np.allclose(inverse(G, F).real, f))
True
>>> U = transform(G, f, norm="ortho")          # Plancherel: an isometry
>>> bool(np.isclose(np.linalg.norm(U.flatten()), np.linalg.norm(f)))
True
"""

from __future__ import annotations

from ._blocks import FourierBlocks
from ._convolution import (
    convolve,
    correlate,
    left_translate,
    lift_image,
    regular_representation,
    right_translate,
)
from ._dense import fourier_matrix
from ._fourier import inverse, transform
from ._norms import lp_norm, schatten_norm, singular_values, weighted_schatten
from ._registry import choose_method

__all__ = [
    "FourierBlocks",
    "choose_method",
    "convolve",
    "correlate",
    "fourier_matrix",
    "inverse",
    "left_translate",
    "lift_image",
    "lp_norm",
    "regular_representation",
    "right_translate",
    "schatten_norm",
    "singular_values",
    "transform",
    "weighted_schatten",
]
