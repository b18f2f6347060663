"""Small array helpers shared by the modules of :mod:`grouptools.groups`."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._errors import ParameterTypeError, quote

__all__ = ["default_names", "integer_array", "readonly", "weak_components"]


def readonly(a: np.ndarray) -> np.ndarray:
    """Mark ``a`` read-only and return it (the arrays a group hands out are immutable)."""
    a.setflags(write=False)
    return a


def integer_array(x: Any, what: str) -> np.ndarray:
    """``x`` as an int64 array; ParameterTypeError unless its entries are integers (an empty
    float array, e.g. ``np.asarray([])``, counts as integer).

    Examples
    --------
    >>> integer_array([1, 2], "elements").dtype
    dtype('int64')
    """
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):  # ragged nested sequences
        raise ParameterTypeError(f"{what} must be an array of integers, got {quote(x)}") from None
    if arr.dtype.kind not in "iu":
        if not (arr.size == 0 and arr.dtype.kind == "f"):
            raise ParameterTypeError(f"{what} must be integers, got {quote(x)}")
    return arr.astype(np.int64, copy=False)


def default_names(k: int) -> tuple[str, ...]:
    """Generator names ``a, b, c, ...`` (``g1, g2, ...`` beyond 26).

    Examples
    --------
    >>> default_names(3)
    ('a', 'b', 'c')
    """
    if k <= 26:
        return tuple(chr(ord("a") + i) for i in range(k))
    return tuple(f"g{i + 1}" for i in range(k))


def weak_components(n: int, perms: list[np.ndarray] | np.ndarray) -> np.ndarray:
    """Labels of the weakly connected components of the graph on ``0..n-1`` with the edges
    ``x -> p[x]`` for every index array ``p`` in ``perms`` (scipy's ``connected_components``).

    Examples
    --------
    >>> weak_components(4, [np.array([1, 0, 2, 3])]).tolist()
    [0, 0, 1, 2]
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    if len(perms) == 0:
        return np.arange(n)
    cols = np.concatenate([np.asarray(p).ravel() for p in perms])
    rows = np.tile(np.arange(n), len(perms))
    graph = csr_matrix((np.ones(rows.size, np.int8), (rows, cols)), shape=(n, n))
    return connected_components(graph, directed=True, connection="weak")[1]
