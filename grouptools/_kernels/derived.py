"""Kernels behind the derived element arithmetic of groups without a construction record.

Subgroup closures and power walks on the regular action, images of a permutation action along a
spanning tree, products and orders in a polycyclic normal form, and products and orders of
permutations ranked through a hash table of their base images (open addressing, linear probing,
``slot = key mod P`` for a prime ``P``: no overflow, so both variants hash alike).

Following :mod:`grouptools._kernels._function`: ``k(...)`` runs the numba compilation (built on
first use), ``k.py(...)`` the same source in plain Python; the tests compare them.

Notation. A *permutation* of the ``n`` elements is an int32 array of length ``n`` (typically the
left multiplication ``x -> g x`` of an element ``g``). A *polycyclic table set* describes a
series ``G = G_0 > G_1 > ... > G_L = 1`` with cyclic factors of orders ``ms[j]``: ``sizes[j] =
|G_j|`` (``sizes[L] = 1``), the element ``n t_j^e`` of ``G_j`` (``n`` in ``G_{j+1}``) has index
``e * sizes[j+1] + n``, and ``tables[offsets[j] + (r * sizes[j+1]) + n]`` is, for ``r < ms[j]``,
the index of ``t_j^r n t_j^-r`` and, for ``r = ms[j] + e``, that of ``t_j^e n t_j^-e c_j`` with
``c_j = t_j^ms[j]`` (the product that carries into ``G_{j+1}``).
"""

from __future__ import annotations

import numpy as np

from ._function import kernel

__all__ = [
    "close_left",
    "hash_find",
    "hash_insert",
    "iterate_blocks",
    "pc_multiply",
    "pc_orders",
    "pc_product",
    "perm_multiply",
    "perm_orders",
    "relative_order",
    "tree_images",
]


@kernel
def close_left(perms: np.ndarray, nperms: int, members: np.ndarray, size: int,
               mask: np.ndarray) -> int:
    """Extend a subgroup closed under ``perms[:nperms - 1]`` by the permutation ``perms[nperms - 1]``.

    ``members[:size]`` lists the subgroup, ``mask`` marks it (both updated in place); returns the
    new size. Each element is visited once per permutation: ``O(|new subgroup| * nperms)``.

    Examples
    --------
    >>> import numpy as np
    >>> perms = np.array([[2, 3, 4, 5, 0, 1]], np.int32)    # C6, left multiplication by 2
    >>> members = np.zeros(6, np.int32); mask = np.zeros(6, np.bool_); mask[0] = True
    >>> size = close_left.py(perms, 1, members, 1, mask)
    >>> size, sorted(members[:size].tolist())
    (3, [0, 2, 4])
    """
    new = nperms - 1
    head = size
    # the new generator applied to the old elements
    for i in range(size):
        y = perms[new, members[i]]
        if not mask[y]:
            mask[y] = True
            members[size] = y
            size += 1
    # every generator applied to the new elements (breadth first)
    while head < size:
        x = members[head]
        head += 1
        for t in range(nperms):
            y = perms[t, x]
            if not mask[y]:
                mask[y] = True
                members[size] = y
                size += 1
    return size


@kernel
def relative_order(perm: np.ndarray, mask: np.ndarray, limit: int) -> tuple[int, int]:
    """``(m, t^m)`` for the least ``m >= 1`` with ``t^m`` in the set ``mask``, where ``perm`` is
    the left multiplication by ``t`` (so ``t^m = perm^m(0)``); ``(-1, -1)`` past ``limit`` steps.

    Examples
    --------
    >>> import numpy as np
    >>> m, c = relative_order.py(np.array([1, 2, 3, 0], np.int32), np.array([1, 0, 1, 0], np.bool_), 9)
    >>> int(m), int(c)
    (2, 2)
    """
    x = perm[0]
    m = 1
    while not mask[x]:
        if m >= limit:
            return -1, -1
        x = perm[x]
        m += 1
    return m, x


@kernel
def iterate_blocks(perm: np.ndarray, first: np.ndarray, m: int) -> np.ndarray:
    """``out[e * N + i] = perm^e(first[i])`` for ``0 <= e < m`` (``N = len(first)``).

    Examples
    --------
    >>> import numpy as np
    >>> iterate_blocks.py(np.array([1, 2, 0], np.int32), np.array([0, 1], np.int32), 3).tolist()
    [0, 1, 1, 2, 2, 0]
    """
    N = first.shape[0]
    out = np.empty(m * N, np.int32)
    for i in range(N):
        out[i] = first[i]
    for k in range(N, m * N):
        out[k] = perm[out[k - N]]
    return out


@kernel
def tree_images(order: np.ndarray, parent: np.ndarray, letter: np.ndarray,
                images: np.ndarray) -> np.ndarray:
    """Images of every element in a permutation action, along a spanning tree.

    ``images[t]`` is the image list of letter ``t`` (point ``i -> images[t, i]``) and the action
    is on the right: ``out[x, i] = images[letter[x], out[parent[x], i]]``, ``out[0]`` the
    identity.

    Examples
    --------
    >>> import numpy as np
    >>> tree = [np.array(a, np.int32) for a in ([0, 1, 2], [-1, 0, 1], [-1, 0, 0])]
    >>> images = np.array([[1, 2, 0]], np.int16)                # C3 acting on 3 points
    >>> tree_images.py(*tree, images).tolist()
    [[0, 1, 2], [1, 2, 0], [2, 0, 1]]
    """
    n = order.shape[0]
    d = images.shape[1]
    out = np.empty((n, d), images.dtype)
    for i in range(d):
        out[0, i] = i
    for j in range(1, n):
        x = order[j]
        p = parent[x]
        t = letter[x]
        for i in range(d):
            out[x, i] = images[t, out[p, i]]
    return out


@kernel
def pc_product(x: int, y: int, level: int, sizes: np.ndarray, ms: np.ndarray,
               offsets: np.ndarray, tables: np.ndarray) -> int:
    """The index of ``x y`` in ``G_level`` (``x``, ``y`` indices below ``sizes[level]``).

    Examples
    --------
    >>> import numpy as np
    >>> # C4 as C2 . C2 (t^2 = c, the generator of the inner C2): sizes 4, 2, 1
    >>> sizes, ms = np.array([4, 2, 1]), np.array([2, 2])
    >>> tables = np.array([0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0], np.int32)
    >>> offsets = np.array([0, 8])
    >>> [int(pc_product.py(2, y, 0, sizes, ms, offsets, tables)) for y in range(4)]
    [2, 3, 1, 0]
    """
    r = 0
    for j in range(level, ms.shape[0]):
        N = sizes[j + 1]
        m = ms[j]
        e1 = x // N
        e2 = y // N
        n1 = x - e1 * N
        n2 = y - e2 * N
        s = e1 + e2
        row = e1
        if s >= m:
            s -= m
            row += m
        r += s * N
        x = n1
        y = tables[offsets[j] + row * N + n2]
    return r


@kernel
def pc_multiply(a: np.ndarray, b: np.ndarray, sizes: np.ndarray, ms: np.ndarray,
                offsets: np.ndarray, tables: np.ndarray) -> np.ndarray:
    """``out[i]`` = index of ``a[i] b[i]`` in ``G_0`` (see :func:`pc_product`)."""
    out = np.empty(a.shape[0], np.int64)
    for i in range(a.shape[0]):
        out[i] = pc_product(a[i], b[i], 0, sizes, ms, offsets, tables)
    return out


@kernel
def pc_orders(a: np.ndarray, sizes: np.ndarray, ms: np.ndarray, offsets: np.ndarray,
              tables: np.ndarray) -> np.ndarray:
    """Element orders: ``|g| = |g G_1| * |g^|g G_1||`` level by level, powers by squaring.

    Examples
    --------
    >>> import numpy as np
    >>> sizes, ms = np.array([4, 2, 1]), np.array([2, 2])
    >>> tables = np.array([0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0], np.int32)
    >>> pc_orders.py(np.arange(4), sizes, ms, np.array([0, 8]), tables).tolist()
    [1, 2, 4, 4]
    """
    out = np.empty(a.shape[0], np.int64)
    L = ms.shape[0]
    for i in range(a.shape[0]):
        x = a[i]
        order = 1
        for j in range(L):
            N = sizes[j + 1]
            e = x // N
            if e == 0:
                continue
            m = ms[j]
            g, h = e, m  # gcd(e, m)
            while h:
                g, h = h, g % h
            q = m // g
            order *= q
            # x <- x^q (it lies in G_{j+1}: index below N)
            base = x
            acc = 0
            k = q
            while k:
                if k & 1:
                    acc = pc_product(acc, base, j, sizes, ms, offsets, tables)
                k >>= 1
                if k:
                    base = pc_product(base, base, j, sizes, ms, offsets, tables)
            x = acc
        out[i] = order
    return out


@kernel
def hash_insert(keys: np.ndarray, values: np.ndarray, slot_keys: np.ndarray,
                slot_vals: np.ndarray) -> None:
    """Insert distinct non-negative ``keys`` with ``values`` into the table ``slot_keys``
    (``-1`` = empty; its length a prime larger than ``len(keys)``), in place.

    Examples
    --------
    >>> import numpy as np
    >>> sk, sv = np.full(7, -1, np.int64), np.zeros(7, np.int64)
    >>> hash_insert.py(np.array([3, 10, 5]), np.array([0, 1, 2]), sk, sv)
    >>> int(hash_find.py(sk, sv, 10)), int(hash_find.py(sk, sv, 4))
    (1, -1)
    """
    P = slot_keys.shape[0]
    for i in range(keys.shape[0]):
        h = keys[i] % P
        while slot_keys[h] != -1:
            h += 1
            if h == P:
                h = 0
        slot_keys[h] = keys[i]
        slot_vals[h] = values[i]


@kernel
def hash_find(slot_keys: np.ndarray, slot_vals: np.ndarray, key: int) -> int:
    """The value stored under ``key`` (see :func:`hash_insert`), ``-1`` if absent."""
    P = slot_keys.shape[0]
    h = key % P
    while slot_keys[h] != key:
        if slot_keys[h] == -1:
            return -1
        h += 1
        if h == P:
            h = 0
    return slot_vals[h]


@kernel
def perm_multiply(images: np.ndarray, base: np.ndarray, a: np.ndarray, b: np.ndarray,
                  slot_keys: np.ndarray, slot_vals: np.ndarray) -> np.ndarray:
    """``out[i]``: the element whose base images are those of ``g_a[i] g_b[i]`` (right action:
    ``b_j -> images[b[i], images[a[i], b_j]]``), looked up by key ``sum_j image_j d^(r-1-j)``.

    Examples
    --------
    >>> import numpy as np
    >>> images = np.array([[0, 1, 2], [1, 2, 0], [2, 0, 1]], np.int16)   # C3 on 3 points
    >>> sk, sv = np.full(5, -1, np.int64), np.zeros(5, np.int64)
    >>> hash_insert.py(np.array([0, 1, 2]), np.arange(3), sk, sv)    # base (0,): key = image of 0
    >>> perm_multiply.py(images, np.array([0]), np.array([1, 2]), np.array([1, 2]), sk, sv).tolist()
    [2, 1]
    """
    d = images.shape[1]
    out = np.empty(a.shape[0], np.int64)
    for i in range(a.shape[0]):
        key = 0
        for j in range(base.shape[0]):
            key = key * d + np.int64(images[b[i], images[a[i], base[j]]])
        out[i] = hash_find(slot_keys, slot_vals, key)
    return out


@kernel
def perm_orders(images: np.ndarray, base: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Orders of the permutations ``images[a[i]]``: the lcm of the cycle lengths of the base
    points (a power of ``g`` is 1 iff it fixes the base).

    Examples
    --------
    >>> import numpy as np
    >>> images = np.array([[0, 1, 2, 3], [1, 0, 3, 2], [1, 2, 0, 3]], np.int16)
    >>> perm_orders.py(images, np.array([0, 2]), np.array([0, 1, 2])).tolist()
    [1, 2, 3]
    """
    out = np.empty(a.shape[0], np.int64)
    for i in range(a.shape[0]):
        row = a[i]
        order = 1
        for j in range(base.shape[0]):
            p = base[j]
            z = images[row, p]
            k = 1
            while z != p:
                z = images[row, z]
                k += 1
            g, h = order, k  # order <- lcm(order, k)
            while h:
                g, h = h, g % h
            order = order // g * k
        out[i] = order
    return out
