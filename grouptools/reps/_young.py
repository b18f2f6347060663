"""Young's orthogonal form: the irreps of ``S_n`` adapted to the chain ``S_1 < S_2 < ... < S_n``.

The irreps of ``S_n`` are indexed by the partitions ``lambda`` of ``n``; the irrep ``lambda`` has
a basis ``e_T`` indexed by the standard Young tableaux ``T`` of shape ``lambda``. With the
*content* ``c_T(k) = column - row`` of the box holding ``k`` and the *axial distance*
``r = c_T(i+1) - c_T(i)``, the adjacent transposition ``s_i = (i, i+1)`` acts by

    rho(s_i) e_T = (1/r) e_T + sqrt(1 - 1/r^2) e_{s_i T},

where ``s_i T`` swaps ``i`` and ``i+1`` (the second term is absent when ``s_i T`` is not standard,
i.e. ``r = +-1``). The matrices are real orthogonal and symmetric, with at most two nonzeros per
row (A. Young, *On quantitative substitutional analysis VI*, 1931; G. James and A. Kerber, *The
Representation Theory of the Symmetric Group*, 1981, 3.4; A. Okounkov and A. Vershik, *A new
approach to representation theory of symmetric groups*, 1996).

**Last-letter order.** The tableaux are ordered by the row of ``n``, then the row of ``n-1``, ...
(ascending), recursively: removing ``n`` from the tableaux of ``lambda`` whose ``n`` sits at the
removable corner of row ``i`` gives all tableaux of ``lambda - box_i``, in their own last-letter
order. Hence the restriction of ``rho_lambda`` to ``S_{n-1}`` (the permutations fixing ``n``) is
*exactly* block diagonal, ``rho_{lambda - box_i}`` in the rows of the removable corners ``i``
ascending (the branching rule), and likewise down the whole chain (a Gel'fand-Tsetlin basis).

Conventions of grouptools: a permutation ``p`` is an image list of ``0..n-1``, products act on the
right as in GAP (``p*q`` first applies ``p``), and ``s_i`` (``1 <= i < n``) swaps the points
``i-1`` and ``i``. ``rho(p*q) = rho(p) rho(q)``.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import InvalidGroupError, ParameterError, check_limit, quote
from ..groups._permutation import NATURAL_ACTION

if TYPE_CHECKING:
    from ..groups import FiniteGroup

__all__ = [
    "MAX_YOUNG_DEGREE",
    "YoungSparse",
    "partitions",
    "permutation_images",
    "removable_corners",
    "standard_tableaux",
    "symmetric_degree",
    "transposition_elements",
    "young_generators",
    "young_matrices",
    "young_sparse",
]

#: Largest ``n`` handled (``gt.symmetric`` stops at 9 too).
MAX_YOUNG_DEGREE = 12


def _check_n(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise ParameterError(f"n must be an int, got {quote(n)}")
    n = int(n)
    if not 1 <= n <= MAX_YOUNG_DEGREE:
        raise ParameterError(f"n must lie in 1..{MAX_YOUNG_DEGREE}, got {n}")
    return n


def _check_shape(shape: Any) -> tuple[int, ...]:
    try:
        lam = tuple(int(x) for x in shape)
    except (TypeError, ValueError):
        raise ParameterError(f"a partition must be a sequence of ints, got {quote(shape)}") from None
    if not lam or min(lam) < 1 or any(a < b for a, b in zip(lam, lam[1:])):
        raise ParameterError(f"a partition must be a non-increasing sequence of positive ints, got {quote(shape)}")
    _check_n(sum(lam))
    return lam


def partitions(n: int) -> tuple[tuple[int, ...], ...]:
    """The partitions of ``n`` in reverse lexicographic order (``(n)`` first, ``(1, ..., 1)`` last).

    Examples
    --------
    >>> partitions(4)
    ((4,), (3, 1), (2, 2), (2, 1, 1), (1, 1, 1, 1))
    """
    n = _check_n(n)
    return _partitions(n, n)


@lru_cache(maxsize=None)
def _partitions(n: int, largest: int) -> tuple[tuple[int, ...], ...]:
    if n == 0:
        return ((),)
    out = []
    for first in range(min(n, largest), 0, -1):
        out.extend((first,) + rest for rest in _partitions(n - first, first))
    return tuple(out)


def removable_corners(shape: Any) -> tuple[int, ...]:
    """The rows ``i`` (ascending) whose last box can be removed leaving a partition.

    Examples
    --------
    >>> removable_corners((3, 3, 1))
    (1, 2)
    """
    lam = _check_shape(shape)
    return tuple(i for i in range(len(lam)) if i == len(lam) - 1 or lam[i] > lam[i + 1])


def _remove(lam: tuple[int, ...], i: int) -> tuple[int, ...]:
    out = list(lam)
    out[i] -= 1
    return tuple(x for x in out if x)


def standard_tableaux(shape: Any) -> np.ndarray:
    """The standard Young tableaux of ``shape`` in last-letter order, as the row of each letter.

    Returns
    -------
    ndarray of int, shape (f_lambda, n)
        Row ``t`` gives the row index of the letters ``1..n`` in tableau ``t`` (the columns follow:
        the letters of a row are increasing). ``f_lambda`` is the hook-length number.

    Examples
    --------
    >>> standard_tableaux((2, 1)).tolist()     # 1 3 / 2 (3 in row 0) before 1 2 / 3
    [[0, 1, 0], [0, 0, 1]]
    """
    return _tableaux(_check_shape(shape)).copy()


@lru_cache(maxsize=64)
def _tableaux(lam: tuple[int, ...]) -> np.ndarray:
    n = sum(lam)
    if n == 1:
        return np.zeros((1, 1), np.int64)
    parts = []
    for i in removable_corners(lam):
        sub = _tableaux(_remove(lam, i))
        parts.append(np.concatenate([sub, np.full((sub.shape[0], 1), i, np.int64)], axis=1))
    out = np.concatenate(parts, axis=0)
    out.setflags(write=False)
    return out


def _contents(rows: np.ndarray) -> np.ndarray:
    """``content[t, k] = column - row`` of letter ``k+1`` in tableau ``t``."""
    T, n = rows.shape
    cols = np.zeros((T, n), np.int64)
    for k in range(n):  # the column of letter k is the number of earlier letters in its row
        cols[:, k] = (rows[:, :k] == rows[:, k : k + 1]).sum(axis=1)
    return cols - rows


class YoungSparse:
    """The matrices ``rho_lambda(s_i)`` in sparse form (each row has at most two nonzeros).

    Attributes
    ----------
    shape : tuple of int
    dim : int
    diag : ndarray (n-1, dim)
        ``rho(s_i)[t, t] = 1/r``.
    partner : ndarray of int (n-1, dim)
        The index of ``s_i T`` (or ``-1`` when it is not standard).
    off : ndarray (n-1, dim)
        ``rho(s_i)[t, partner] = sqrt(1 - 1/r^2)`` (0 without a partner).
    """

    __slots__ = ("shape", "dim", "diag", "partner", "off")

    def __init__(self, shape: tuple[int, ...], diag: np.ndarray, partner: np.ndarray, off: np.ndarray) -> None:
        self.shape = shape
        self.dim = int(diag.shape[1]) if diag.ndim == 2 else 1
        self.diag, self.partner, self.off = diag, partner, off

    def dense(self, i: int) -> np.ndarray:
        """``rho(s_i)`` as a dense ``(dim, dim)`` float array (``1 <= i < n``)."""
        n = sum(self.shape)
        if not 1 <= int(i) < n:
            raise ParameterError(f"s_i needs 1 <= i < {n}, got {quote(i)}")
        k = int(i) - 1
        M = np.diag(self.diag[k]).astype(float)
        has = self.partner[k] >= 0
        M[np.flatnonzero(has), self.partner[k][has]] = self.off[k][has]
        return M


def young_sparse(shape: Any) -> YoungSparse:
    """Young's orthogonal form of the irrep ``shape`` on the adjacent transpositions, sparse.

    Examples
    --------
    >>> Y = young_sparse((2, 1))
    >>> Y.dense(1).tolist()                  # 1, 2 in one column of 1 3 / 2, in one row of 1 2 / 3
    [[-1.0, 0.0], [0.0, 1.0]]
    >>> np.round(Y.dense(2), 4).tolist()     # axial distances 2 and -2
    [[0.5, 0.866], [0.866, -0.5]]
    """
    return _young_sparse(_check_shape(shape))


@lru_cache(maxsize=64)
def _young_sparse(lam: tuple[int, ...]) -> YoungSparse:
    rows = _tableaux(lam)
    T, n = rows.shape
    cont = _contents(rows)
    index = {r.tobytes(): t for t, r in enumerate(rows)}
    diag = np.zeros((max(n - 1, 0), T))
    partner = np.full((max(n - 1, 0), T), -1, np.int64)
    off = np.zeros((max(n - 1, 0), T))
    for k in range(n - 1):  # s_{k+1} swaps letters k+1 and k+2 (0-based k, k+1)
        r = (cont[:, k + 1] - cont[:, k]).astype(float)
        diag[k] = 1.0 / r
        for t in np.flatnonzero(np.abs(r) > 1).tolist():
            sw = rows[t].copy()
            sw[[k, k + 1]] = sw[[k + 1, k]]
            partner[k, t] = index[sw.tobytes()]
            off[k, t] = math.sqrt(1.0 - 1.0 / (r[t] * r[t]))
    for a in (diag, partner, off):
        a.setflags(write=False)
    return YoungSparse(lam, diag, partner, off)


def young_generators(shape: Any) -> np.ndarray:
    """``rho_lambda(s_i)`` for ``i = 1..n-1`` as a dense ``(n-1, d, d)`` float array.

    Examples
    --------
    >>> S = young_generators((2, 1))
    >>> bool(np.allclose(S[0] @ S[1] @ S[0], S[1] @ S[0] @ S[1]))      # the braid relation
    True
    """
    Y = young_sparse(shape)
    n = sum(Y.shape)
    if n == 1:
        return np.zeros((0, 1, 1))
    return np.stack([Y.dense(i) for i in range(1, n)])


def young_matrices(shape: Any, perms: Any, *, max_entries: int = 1 << 26) -> np.ndarray:
    """``rho_lambda(p)`` for permutations ``p`` (image lists of ``0..n-1``), vectorized.

    Each ``p`` is written as a reduced word ``s_{i_1} ... s_{i_k}`` by bubble sort (swapping
    adjacent positions ``i-1, i`` with ``p[i-1] > p[i]`` replaces ``p`` by ``s_i * p``), and
    ``rho(p) = rho(s_{i_1}) ... rho(s_{i_k})``, at most ``n(n-1)/2`` sparse updates for all ``p``
    at once.

    Parameters
    ----------
    shape : partition of n
    perms : int array (..., n)
    max_entries : int
        Largest number of matrix entries ``len(perms) * d^2`` built.

    Returns
    -------
    ndarray (..., d, d) float

    Raises
    ------
    GroupTooLargeError
        If the result would exceed ``max_entries``.

    Examples
    --------
    >>> S = young_generators((2, 1))
    >>> bool(np.allclose(young_matrices((2, 1), [[1, 0, 2], [2, 1, 0]]), [S[0], S[0] @ S[1] @ S[0]]))
    True
    """
    from .._errors import GroupTooLargeError

    Y = young_sparse(shape)
    n, d = sum(Y.shape), Y.dim
    max_entries = check_limit("max_entries", max_entries)
    P = np.asarray(perms)
    if P.ndim < 1 or P.shape[-1] != n or P.dtype.kind not in "iu":
        raise ParameterError(f"perms must be an int array (..., {n}), got {quote(perms)}")
    batch = P.shape[:-1]
    w = P.reshape(-1, n).astype(np.int64).copy()
    if w.size and not np.array_equal(np.sort(w, axis=1), np.broadcast_to(np.arange(n), w.shape)):
        raise ParameterError("each row of perms must be a permutation of 0..n-1")
    if w.shape[0] * d * d > max_entries:
        raise GroupTooLargeError(f"{w.shape[0]} matrices of degree {d} exceed max_entries={max_entries}")
    M = np.broadcast_to(np.eye(d), (w.shape[0], d, d)).copy()
    for _ in range(n):
        moved = False
        for k in range(n - 1):
            sel = np.flatnonzero(w[:, k] > w[:, k + 1])
            if sel.size == 0:
                continue
            moved = True
            w[np.ix_(sel, [k, k + 1])] = w[np.ix_(sel, [k + 1, k])]
            # M <- M rho(s_{k+1}): column c gets diag[c] M[:, c] + off[partner] M[:, partner]
            sub = M[sel]
            new = sub * Y.diag[k][None, None, :]
            has = np.flatnonzero(Y.partner[k] >= 0)
            new[:, :, has] += sub[:, :, Y.partner[k][has]] * Y.off[k][has][None, None, :]
            M[sel] = new
        if not moved:
            break
    return M.reshape(batch + (d, d))


# ---------------------------------------------------------------------------------------------
# S_n as a FiniteGroup
# ---------------------------------------------------------------------------------------------
def symmetric_degree(G: FiniteGroup) -> int | None:
    """``n`` if ``G`` carries a natural action (``gt.symmetric(n)``, ``from_permutations``) on ``n``
    points and has order ``n!`` (so it is the full symmetric group on them), else ``None``;
    also ``1`` and ``2`` for groups of order 1 and 2.

    Examples
    --------
    >>> import grouptools as gt
    >>> symmetric_degree(gt.symmetric(5)), symmetric_degree(gt.alternating(5)), symmetric_degree(gt.cyclic(2))
    (5, None, 2)
    """
    if G.order <= 2:
        return G.order
    act = G.memo(NATURAL_ACTION)
    if act is None:
        return None
    n = int(np.asarray(act).shape[1])
    return n if n <= MAX_YOUNG_DEGREE and math.factorial(n) == G.order else None


def permutation_images(G: FiniteGroup) -> np.ndarray:
    """``images[x]``: the image list of element ``x`` of a symmetric group (``(|G|, n)`` int64),
    from its natural action along the spanning tree (``g_x = g_parent * letter``, so
    ``images[x] = letter_image[images[parent]]``).

    Raises
    ------
    InvalidGroupError
        If ``G`` is not a symmetric group with its natural action (:func:`symmetric_degree`).

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.symmetric(3)
    >>> permutation_images(G)[list(G.generators)].tolist()
    [[1, 2, 0], [1, 0, 2]]
    """

    def build() -> np.ndarray:
        n = symmetric_degree(G)
        if n is None:
            raise InvalidGroupError(f"{G!r} is not a symmetric group with a natural action")
        if G.order <= 2:
            img = np.array([[0, 1], [1, 0]], np.int64)[: G.order, : max(n, 1)] if n == 2 else np.zeros((1, 1), np.int64)
            img.setflags(write=False)
            return img
        act = np.asarray(G.memo(NATURAL_ACTION), np.int64)
        letters = np.empty((2 * act.shape[0], n), np.int64)
        letters[0::2] = act
        letters[1::2] = np.argsort(act, axis=1)
        order, parent, letter, depth = G.spanning_tree
        img = np.empty((G.order, n), np.int64)
        img[0] = np.arange(n)
        order = np.asarray(order)
        dep = np.asarray(depth)[order]
        for lvl in range(1, int(dep.max()) + 1):
            xs = order[dep == lvl]
            par = np.asarray(parent)[xs]
            let = np.asarray(letter)[xs]
            img[xs] = np.take_along_axis(letters[let], img[par], axis=1)
        img.setflags(write=False)
        return img

    return G.memo("reps.permutation_images", build)


def transposition_elements(G: FiniteGroup) -> np.ndarray:
    """The element indices of ``s_1, ..., s_{n-1}`` (``s_i`` swaps points ``i-1`` and ``i``) in
    a symmetric group with its natural action.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.symmetric(3)
    >>> permutation_images(G)[transposition_elements(G)].tolist()
    [[1, 0, 2], [0, 2, 1]]
    """
    img = permutation_images(G)
    n = img.shape[1]
    key = img @ (n ** np.arange(n - 1, -1, -1, dtype=np.int64))
    out = []
    for i in range(1, n):
        p = np.arange(n)
        p[[i - 1, i]] = [i, i - 1]
        out.append(int(np.flatnonzero(key == p @ (n ** np.arange(n - 1, -1, -1)))[0]))
    return np.array(out, np.int64)
