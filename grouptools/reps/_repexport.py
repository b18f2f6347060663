"""JSON and GAP export of representations and decompositions (duck-typed on their public
attributes, below :mod:`._representation` and :mod:`._decompose`).

Representation JSON (:func:`representation_dict`)::

    {"kind": "representation", "order": n, "generators": ["a", ...], "dim": d,
     "exact": true, "images": {"a": [[[re, im], ...], ...], ...},
     "exact_images": {"a": [["E(4)", "0"], ...], ...},          # exact only
     "monomial": {"perms": [[...]], "exps": [[...]], "m": M},    # monomial only
     "character": ["3", "-1", ...],                             # GAP notation, or [re, im]
     "points": [0, 5, ...]}                                      # permutation / induced only

Decomposition JSON (:func:`decomposition_dict`)::

    {"kind": "decomposition", "field": "complex", "exact": true,
     "multiplicities": [0, 1, ...], "blocks": [[irrep, copy], ...],
     "change_of_basis": [["1", "E(3)", ...], ...]                # GAP notation when exact,
     "numeric_change_of_basis": [[[re, im], ...], ...],
     "representation": {...}}

GAP text uses the same conventions as :func:`grouptools.irreps_to_gap` (``E(n)`` notation, lists
of rows), readable by GAP's ``EvalString``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._errors import ParameterError
from ._serialize import complex_rows

__all__ = ["decomposition_dict", "decomposition_gap", "gap_matrix", "representation_dict",
           "representation_gap"]


def gap_matrix(X: Any) -> str:
    """An exact matrix (``CycMatrix``) as GAP text ``[ [ ... ], ... ]``."""
    return "[ " + ", ".join("[ " + ", ".join(row) + " ]" for row in X.to_gap()) + " ]"


def _character(rep: Any) -> list:
    ch = rep.character
    if isinstance(ch, np.ndarray):
        return [[float(z.real), float(z.imag)] for z in ch]
    return [c.to_gap() for c in ch]


def representation_dict(rep: Any) -> dict:
    """A representation as a JSON-ready dict (module docstring).

    Examples
    --------
    >>> import grouptools as gt
    >>> d = gt.cyclic(2).regular_representation().to_json()
    >>> d["dim"], d["exact_images"]["a"], d["character"]
    (2, [['0', '1'], ['1', '0']], ['2', '0'])
    """
    G = rep.group
    names = G.generator_names
    out: dict[str, Any] = {
        "kind": "representation",
        "order": G.order,
        "generators": list(names),
        "dim": rep.dim,
        "exact": bool(rep.is_exact),
        "images": {s: complex_rows(U) for s, U in zip(names, rep.numeric_generator_images)},
        "character": _character(rep),
    }
    if rep.is_exact:
        out["exact_images"] = {s: X.to_gap() for s, X in zip(names, rep.exact_generator_images)}
    mono = rep.monomial_data
    if mono is not None:
        out["monomial"] = {"perms": mono[0].tolist(), "exps": mono[1].tolist(), "m": int(mono[2])}
    if getattr(rep, "points", None) is not None:
        out["points"] = [int(x) for x in rep.points]
    return out


def representation_gap(rep: Any) -> str:
    """The exact generator images as a GAP list of matrices.

    Raises
    ------
    ParameterError
        For a numeric representation.

    Examples
    --------
    >>> import grouptools as gt
    >>> gt.cyclic(2).regular_representation().to_gap()
    '[ [ [ 0, 1 ], [ 1, 0 ] ] ]'
    """
    if not rep.is_exact:
        raise ParameterError("GAP export needs an exact representation")
    return "[ " + ", ".join(gap_matrix(X) for X in rep.exact_generator_images) + " ]"


def decomposition_dict(dec: Any) -> dict:
    """A decomposition as a JSON-ready dict (module docstring).

    Examples
    --------
    >>> import grouptools as gt
    >>> d = gt.cyclic(2).regular_representation().decompose().to_json()
    >>> d["multiplicities"], d["blocks"], d["change_of_basis"]
    ([1, 1], [[0, 0], [1, 0]], [['1', '1'], ['1', '-1']])
    """
    Q = dec.change_of_basis
    out: dict[str, Any] = {
        "kind": "decomposition",
        "field": dec.field,
        "exact": bool(dec.is_exact),
        "multiplicities": [int(m) for m in dec.multiplicities],
        "blocks": [[i, j] for i, j in dec.blocks],
        "change_of_basis": Q.to_gap() if dec.is_exact else complex_rows(Q),
        "numeric_change_of_basis": complex_rows(dec.numeric_change_of_basis),
        "representation": representation_dict(dec.representation),
    }
    return out


def decomposition_gap(dec: Any) -> str:
    """A GAP record with the multiplicities, the blocks and the exact change of basis.

    Raises
    ------
    ParameterError
        For a numeric decomposition.

    Examples
    --------
    >>> import grouptools as gt
    >>> print(gt.cyclic(2).regular_representation().decompose().to_gap())
    rec( multiplicities := [ 1, 1 ], blocks := [ [ 1, 1 ], [ 2, 1 ] ], basis := [ [ 1, 1 ], [ 1, -1 ] ] )
    """
    if not dec.is_exact:
        raise ParameterError("GAP export needs an exact decomposition")
    mult = ", ".join(str(int(m)) for m in dec.multiplicities)
    blocks = ", ".join(f"[ {i + 1}, {j + 1} ]" for i, j in dec.blocks)
    return (f"rec( multiplicities := [ {mult} ], blocks := [ {blocks} ], "
            f"basis := {gap_matrix(dec.change_of_basis)} )")
