"""Serialization of one irrep: a JSON-ready dict and GAP text of its exact generator images.

Below :mod:`._irreps` (it only reads an irrep's public attributes), so that
:meth:`Irrep.to_json` and :meth:`Irrep.to_gap` and the checked public functions of
:mod:`._export` share one implementation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from ._irrep import Irrep

__all__ = ["complex_rows", "irrep_dict", "irrep_gap"]


def complex_rows(A: np.ndarray) -> list:
    """A complex matrix as nested ``[real, imag]`` pairs (JSON has no complex numbers)."""
    return [[[float(z.real), float(z.imag)] for z in row] for row in np.asarray(A)]


def irrep_dict(rho: Irrep) -> dict:
    """One irrep as a JSON-ready dict (the format of :func:`grouptools.irreps_to_json`)."""
    names = rho.group.generator_names
    out: dict[str, Any] = {
        "index": rho.index,
        "dim": rho.dim,
        "frobenius_schur": rho.frobenius_schur,
        "monomial": rho.is_monomial,
        "exact_unitary": rho.exact_unitary,
        "field": rho.field,
        "source": rho.source,
        "character": [v.to_gap() for v in rho.character],
        "images": {s: complex_rows(U) for s, U in zip(names, rho.unitary_generator_images)},
        "exact": {s: X.to_gap() for s, X in zip(names, rho.generator_images)},
    }
    if not rho.exact_unitary:
        out["change_of_basis"] = complex_rows(rho.change_of_basis)
    return out


def irrep_gap(rho: Irrep) -> str:
    """The exact generator images of one irrep as a GAP list of matrices."""
    mats = []
    for X in rho.generator_images:
        rows = ["[ " + ", ".join(X.to_gap()[r]) + " ]" for r in range(X.shape[0])]
        mats.append("[ " + ", ".join(rows) + " ]")
    return "[ " + ", ".join(mats) + " ]"
