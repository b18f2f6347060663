"""Kernels behind :class:`~grouptools.FiniteGroup`: spanning trees, products, the Cayley table.

Every kernel takes the permutation data as arguments (no module state) and follows the convention
of :mod:`grouptools._kernels._function`: ``bfs_tree(letters)`` runs the numba compilation (built
on first use), ``bfs_tree.py(letters)`` the same source in plain Python; the tests compare them.

Notation: ``letters`` is a ``(2k, n)`` int32 array whose row ``2s`` is right multiplication by
generator ``s`` and row ``2s+1`` right multiplication by its inverse (GAP's letter order
``a, a^-1, b, b^-1, ...``). A *spanning tree* of the Cayley graph is given by ``order`` (a
breadth-first order of the elements, starting at the identity 0), ``parent`` and ``letter`` with
``g_x = g_parent[x] * letter[x]``.
"""

from __future__ import annotations

import numpy as np

from ._function import choose_plain, kernel

__all__ = ["bfs_tree", "bfs_tree_levels", "cayley_rows", "multiply_pairs", "spanning_tree", "tree_apply"]


@kernel
def bfs_tree(letters: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Breadth-first spanning tree of the right Cayley graph from the identity.

    Returns ``(order, parent, letter, depth)``; ``order`` lists the elements reached (all of them
    for a group), ``parent[0] = -1``. Letters are tried in row order, so words are shortlex-minimal
    in the letter order of ``letters``.

    Examples
    --------
    >>> import numpy as np
    >>> letters = np.array([[1, 2, 0], [2, 0, 1]], np.int32)   # C3 = <a>: a, a^-1
    >>> [a.tolist() for a in bfs_tree.py(letters)]
    [[0, 1, 2], [-1, 0, 0], [-1, 0, 1], [0, 1, 1]]
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



#: Up to this many letter entries the element-by-element search is faster than numpy's per-level
#: overhead.
TINY_TREE = 512
#: Levels :func:`bfs_tree_levels` expands before it hands over to the element-by-element search.
MAX_LEVELS = 48


def bfs_tree_levels(letters: np.ndarray, max_levels: int = MAX_LEVELS) -> tuple | None:
    """:func:`bfs_tree` level by level in numpy (the same tree: within a level the candidates are
    taken in the order the element-by-element search meets them, element-major, letter-minor,
    and the first meeting wins); ``None`` if the graph has more than ``max_levels`` levels.

    Examples
    --------
    >>> letters = np.array([[1, 2, 0], [2, 0, 1]], np.int32)
    >>> [a.tolist() for a in bfs_tree_levels(letters)]
    [[0, 1, 2], [-1, 0, 0], [-1, 0, 1], [0, 1, 1]]
    """
    nl, n = letters.shape
    parent = np.full(n, -1, np.int32)
    letter = np.full(n, -1, np.int32)
    depth = np.full(n, -1, np.int32)
    depth[0] = 0
    chunks = [np.zeros(1, np.int64)]
    frontier = chunks[0]
    level = 0
    while frontier.size:
        if level >= max_levels:
            return None
        level += 1
        cand = letters[:, frontier].T.ravel()  # element-major, letter-minor
        fresh = np.flatnonzero(depth[cand] < 0)
        if fresh.size == 0:
            break
        ys, first = np.unique(cand[fresh], return_index=True)
        pos = fresh[first]
        order = np.argsort(pos, kind="stable")
        ys, pos = ys[order], pos[order]
        depth[ys] = level
        parent[ys] = frontier[pos // nl]
        letter[ys] = pos % nl
        frontier = ys.astype(np.int64)
        chunks.append(frontier)
    return np.concatenate(chunks).astype(np.int32), parent, letter, depth


def spanning_tree(letters: np.ndarray) -> tuple:
    """:func:`bfs_tree` by the fastest variant for the input: element by element in plain Python
    for tiny inputs (:data:`TINY_TREE`), levels in numpy for small ones
    (:func:`~grouptools._kernels._function.choose_plain`) of few levels, else the compiled
    kernel."""
    if choose_plain(letters.size):
        if letters.size <= TINY_TREE:
            return bfs_tree.py(letters)
        # a level costs the numpy overhead of about 80 entries searched one by one: the levels
        # win for graphs of small diameter; give up after size / 80 of them (cyclic, dihedral)
        tree = bfs_tree_levels(letters, max(2, min(MAX_LEVELS, letters.size // 80)))
        return tree if tree is not None else bfs_tree.py(letters)
    return bfs_tree(letters)


@kernel
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



@kernel
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



@kernel
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
