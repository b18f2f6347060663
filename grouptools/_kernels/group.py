"""numba kernels behind :class:`~grouptools.FiniteGroup`, each with a pure-Python twin.

Every kernel takes the permutation data as arguments (no module state) and is compiled once
(``cache=True``). The twins (``*_py``) implement the same loop in plain Python/numpy; the tests
run both and compare them.

Notation: ``letters`` is a ``(2k, n)`` int32 array whose row ``2s`` is right multiplication by
generator ``s`` and row ``2s+1`` right multiplication by its inverse (GAP's letter order
``a, a^-1, b, b^-1, ...``). A *spanning tree* of the Cayley graph is given by ``order`` (a
breadth-first order of the elements, starting at the identity 0), ``parent`` and ``letter`` with
``g_x = g_parent[x] * letter[x]``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = [
    "cayley_rows",
    "cayley_rows_py",
    "bfs_tree",
    "bfs_tree_py",
    "tree_apply",
    "tree_apply_py",
    "multiply_pairs",
    "multiply_pairs_py",
]


@njit(cache=True)
def bfs_tree(letters: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Breadth-first spanning tree of the right Cayley graph from the identity.

    Returns ``(order, parent, letter, depth)``; ``order`` lists the elements reached (all of them
    for a group), ``parent[0] = -1``. Letters are tried in row order, so words are shortlex-minimal
    in the letter order of ``letters``.
    """
    n = letters.shape[1]
    nl = letters.shape[0]
    parent = np.full(n, -1, np.int32)
    letter = np.full(n, -1, np.int32)
    depth = np.full(n, -1, np.int32)
    order = np.empty(n, np.int32)
    depth[0] = 0
    order[0] = 0
    head = 0
    tail = 1
    while head < tail:
        x = order[head]
        head += 1
        for t in range(nl):
            y = letters[t, x]
            if depth[y] < 0:
                depth[y] = depth[x] + 1
                parent[y] = x
                letter[y] = t
                order[tail] = y
                tail += 1
    return order[:tail], parent, letter, depth


def bfs_tree_py(letters: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pure-Python twin of :func:`bfs_tree`."""
    n = letters.shape[1]
    parent = np.full(n, -1, np.int32)
    letter = np.full(n, -1, np.int32)
    depth = np.full(n, -1, np.int32)
    depth[0] = 0
    order = [0]
    head = 0
    while head < len(order):
        x = order[head]
        head += 1
        for t in range(letters.shape[0]):
            y = int(letters[t, x])
            if depth[y] < 0:
                depth[y] = depth[x] + 1
                parent[y] = x
                letter[y] = t
                order.append(y)
    return np.asarray(order, np.int32), parent, letter, depth


@njit(cache=True)
def tree_apply(
    order: np.ndarray, parent: np.ndarray, letter: np.ndarray, perms: np.ndarray, start: int
) -> np.ndarray:
    """Evaluate ``out[x] = perms[letter[x], out[parent[x]]]`` along the tree, ``out[0] = start``.

    With ``perms`` the right-multiplication letters and ``start = s`` this is left multiplication
    ``x -> s * g_x``; with ``perms[t]`` the right multiplication by ``phi(letter t)`` and
    ``start = 0`` it evaluates a homomorphism ``phi`` on every element.
    """
    m = perms.shape[1]
    out = np.empty(order.shape[0], np.int32)
    out[0] = start
    for i in range(1, order.shape[0]):
        x = order[i]
        v = out[parent[x]]
        if v < 0 or v >= m:
            out[x] = -1
        else:
            out[x] = perms[letter[x], v]
    return out


def tree_apply_py(
    order: np.ndarray, parent: np.ndarray, letter: np.ndarray, perms: np.ndarray, start: int
) -> np.ndarray:
    """Pure-Python twin of :func:`tree_apply`."""
    out = np.empty(order.shape[0], np.int32)
    out[0] = start
    for x in order[1:]:
        out[x] = perms[letter[x], out[parent[x]]]
    return out


@njit(cache=True)
def multiply_pairs(
    letters: np.ndarray, parent: np.ndarray, letter: np.ndarray, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """Products ``g_a[i] * g_b[i]`` by applying the tree word of ``b[i]`` to ``a[i]``.

    Cost: the depth of ``b[i]`` in the tree per pair; no Cayley table needed.
    """
    out = np.empty(a.shape[0], np.int32)
    buf = np.empty(letters.shape[1] + 1, np.int32)
    for i in range(a.shape[0]):
        y = b[i]
        k = 0
        while y != 0:
            buf[k] = letter[y]
            y = parent[y]
            k += 1
        x = a[i]
        for j in range(k - 1, -1, -1):
            x = letters[buf[j], x]
        out[i] = x
    return out


def multiply_pairs_py(
    letters: np.ndarray, parent: np.ndarray, letter: np.ndarray, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """Pure-Python twin of :func:`multiply_pairs`."""
    out = np.empty(len(a), np.int32)
    for i, (x, y) in enumerate(zip(a.tolist(), b.tolist())):
        word = []
        while y != 0:
            word.append(int(letter[y]))
            y = int(parent[y])
        for t in reversed(word):
            x = int(letters[t, x])
        out[i] = x
    return out


@njit(cache=True)
def cayley_rows(
    order: np.ndarray, parent: np.ndarray, letter: np.ndarray, letters: np.ndarray
) -> np.ndarray:
    """The Cayley table, row by row: ``out[i, x] = letters[letter[x], out[i, parent[x]]]``.

    Row ``i`` is left multiplication by ``g_i`` propagated along the spanning tree; ``O(n^2)``
    with contiguous writes.
    """
    n = letters.shape[1]
    out = np.empty((n, n), np.int32)
    for i in range(n):
        out[i, 0] = i
        for j in range(1, order.shape[0]):
            x = order[j]
            out[i, x] = letters[letter[x], out[i, parent[x]]]
    return out


def cayley_rows_py(
    order: np.ndarray, parent: np.ndarray, letter: np.ndarray, letters: np.ndarray
) -> np.ndarray:
    """Pure-Python (numpy-vectorized columns) twin of :func:`cayley_rows`."""
    n = letters.shape[1]
    out = np.empty((n, n), np.int32)
    out[:, 0] = np.arange(n)
    for x in order[1:]:
        out[:, x] = letters[letter[x]][out[:, parent[x]]]
    return out
