"""The symmetric group's pieces of the chain FFT (:mod:`._chain`): the transversals
``t_j = s_j s_{j+1} ... s_{k-1}`` of ``S_{k-1}`` in ``S_k`` (the cycles of Clausen's FFT for ``S_n``;
Clausen, *Fast Fourier transforms for metabelian groups*, SIAM J. Comput. 1989) and the blocks of
a level in Young's orthogonal form."""

from __future__ import annotations

import numpy as np

from ..groups import FiniteGroup
from ..reps._young import permutation_images, removable_corners, young_matrices, young_sparse
from ._chain_levels import level_blocks

__all__ = ["cycles", "elements_of", "young_blocks"]


def cycles(k: int) -> np.ndarray:
    """Image lists of ``t_j = s_j s_{j+1} ... s_{k-1}`` (``j = 1..k``, ``t_k = 1``): a left
    transversal of ``S_{k-1}`` in ``S_k`` (``t_j^-1`` maps the point ``k-1`` to ``j-1``)."""
    out = np.tile(np.arange(k), (k, 1))
    for j in range(1, k):
        p = np.arange(k)
        for i in range(j, k):  # GAP order: first s_j, then s_{j+1}, ...
            q = np.arange(k)
            q[[i - 1, i]] = [i, i - 1]
            p = q[p]
        out[j - 1] = p
    return out


def _minus(lam: tuple[int, ...], i: int) -> tuple[int, ...]:
    out = list(lam)
    out[i] -= 1
    return tuple(x for x in out if x)


def young_blocks(k: int, labels: tuple, below: tuple, left: list | None = None) -> tuple:
    """Degrees, input degrees and blocks of the level ``S_{k-1} -> S_k`` of Young's form over the
    transversal :func:`cycles`."""
    where = {lam: i for i, lam in enumerate(below)}
    branching = tuple(tuple(where[_minus(lam, i)] for i in removable_corners(lam)) for lam in labels)
    T = cycles(k)
    mats = [young_matrices(lam, T) for lam in labels]
    dims = tuple(young_sparse(l).dim for l in labels)
    in_dims = tuple(young_sparse(l).dim for l in below)
    return dims, in_dims, level_blocks(dims, in_dims, branching, mats, left)


def elements_of(G: FiniteGroup, perms: np.ndarray) -> np.ndarray:
    """The elements of a symmetric group with these image lists (on the first points)."""
    img = permutation_images(G)
    n = img.shape[1]
    full = np.tile(np.arange(n), (perms.shape[0], 1))
    full[:, : perms.shape[1]] = perms
    w = n ** np.arange(n - 1, -1, -1, dtype=np.int64)
    keys = img @ w
    order = np.argsort(keys)
    return order[np.searchsorted(keys[order], full @ w)].astype(np.int64)
