"""Small array helpers shared by the modules of :mod:`grouptools.groups`."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._errors import ParameterTypeError, quote

__all__ = ["default_names", "integer_array", "readonly", "weak_components"]

#: Up to this many edges ``weak_components`` runs a union-find in plain Python (a few ms) rather
#: than import scipy.sparse.csgraph (~0.2-0.4 s).
SMALL_GRAPH = 1 << 15
#: Up to this many edges the union-find runs element by element (below, vectorised hooking).
TINY_GRAPH = 128


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
    ``x -> p[x]`` for every index array ``p`` in ``perms``: scipy's ``connected_components``, or
    for at most :data:`SMALL_GRAPH` edges vectorised hooking (at most :data:`TINY_GRAPH` edges: a
    union-find in Python), components numbered by their least vertex. Callers use only the
    partition, not the numbering.

    Examples
    --------
    >>> weak_components(4, [np.array([1, 0, 2, 3])]).tolist()
    [0, 0, 1, 2]
    """
    if len(perms) == 0:
        return np.arange(n)
    if n * len(perms) <= TINY_GRAPH:
        return _components_python(n, perms)
    if n * len(perms) <= SMALL_GRAPH:
        labels = _components_hooking(n, perms)
        if labels is not None:
            return labels
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    cols = np.concatenate([np.asarray(p).ravel() for p in perms])
    rows = np.tile(np.arange(n), len(perms))
    graph = csr_matrix((np.ones(rows.size, np.int8), (rows, cols)), shape=(n, n))
    return connected_components(graph, directed=True, connection="weak")[1]


def _components_hooking(n: int, perms: list[np.ndarray] | np.ndarray,
                        max_rounds: int = 64) -> np.ndarray | None:
    """:func:`weak_components` by vectorised hooking and shortcutting (Shiloach and Vishkin,
    "An O(log n) parallel connectivity algorithm", 1982): every root joins the least root it
    shares an edge with, then pointers jump to their roots; ``None`` if ``max_rounds`` rounds
    do not settle it (the caller falls back to scipy).

    Examples
    --------
    >>> _components_hooking(5, [np.array([0, 3, 2, 1, 4]), np.array([4, 1, 2, 3, 0])]).tolist()
    [0, 1, 2, 1, 0]
    """
    parent = np.arange(n)
    src = np.tile(np.arange(n), len(perms))
    dst = np.concatenate([np.asarray(p, dtype=np.int64).ravel() for p in perms])
    for _ in range(max_rounds):
        a, b = parent[src], parent[dst]
        diff = a != b
        if not diff.any():
            return np.unique(parent, return_inverse=True)[1].reshape(n)
        a, b = a[diff], b[diff]
        np.minimum.at(parent, np.maximum(a, b), np.minimum(a, b))
        for _ in range(n.bit_length() + 1):
            up = parent[parent]
            if np.array_equal(up, parent):
                break
            parent = up
    return None


def _components_python(n: int, perms: list[np.ndarray] | np.ndarray) -> np.ndarray:
    """:func:`weak_components` by union-find, each root the least vertex of its component.

    Examples
    --------
    >>> _components_python(5, [np.array([0, 3, 2, 1, 4]), np.array([4, 1, 2, 3, 0])]).tolist()
    [0, 1, 2, 1, 0]
    """
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in perms:
        for x, y in enumerate(np.asarray(p).ravel().tolist()):
            rx, ry = find(x), find(y)
            if rx < ry:
                parent[ry] = rx
            elif ry < rx:
                parent[rx] = ry
    roots = np.array([find(x) for x in range(n)], dtype=np.int64)
    return np.unique(roots, return_inverse=True)[1].reshape(n)
