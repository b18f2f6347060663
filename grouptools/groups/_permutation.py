"""Arithmetic of a group with a known faithful permutation action of small degree: base images.

A *base* of a permutation group is a sequence of points ``b_1, ..., b_r`` whose pointwise
stabilizer is trivial, so that an element is determined by its base images
``(b_1^g, ..., b_r^g)`` (Sims 1970, "Computational methods in the study of permutation
groups"; Holt, Eick & O'Brien 2005, "Handbook of computational group theory", ch. 4). Here all
``|G|`` elements are enumerated anyway (``G`` is given by its regular action), so the base is
chosen greedily on the image table of the elements and an element is *ranked* by binary search
of its base-image key among the sorted keys of all elements, which replaces sifting through a
stabilizer chain: a product costs ``r`` gathers and one search, whatever the group's diameter.

Groups built from permutations or matrices (:mod:`._concrete`) record their action in the
memo under :data:`NATURAL_ACTION`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .._kernels import derived as _kp
from ..arith._numtheory import is_prime
from ._arrays import readonly
from ._regular import Budget

if TYPE_CHECKING:  # pragma: no cover
    from ._group import FiniteGroup

__all__ = ["BaseImageArithmetic", "MAX_TABLE_ENTRIES", "NATURAL_ACTION", "permutation_arithmetic"]

#: Memo key of a faithful action: a ``(k, d)`` int array, row ``s`` the image list of generator
#: ``s`` on ``0..d-1``, acting on the right (the element ``g_x * s`` maps ``i`` to
#: ``row_s[image of i under g_x]``).
NATURAL_ACTION = "groups.natural_action"

#: Largest ``|G| * degree`` for which the image table (int16 or int32) is built.
MAX_TABLE_ENTRIES = 1 << 26


@dataclass(frozen=True, eq=False)
class BaseImageArithmetic:
    """Element arithmetic in ``G``'s own indexing from the images of every element.

    ``images[x, i]`` is the image of point ``i`` under ``g_x``, ``base`` a base, and the hash
    table ``slot_keys``/``slot_vals`` maps the base-image key of each element
    (``sum_i images[x, base[i]] * d^(r-1-i)``) to ``x``; ``inverses`` is the inverse map.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> G = gt.symmetric(4)
    >>> A = permutation_arithmetic(G, G.memo(NATURAL_ACTION))
    >>> a, b = G.generators
    >>> int(A.multiply(np.int64(a), np.int64(b))) == G.multiply(a, b), int(A.orders(np.int64(a)))
    (True, 4)
    """

    images: np.ndarray = field(repr=False)
    base: np.ndarray = field(repr=False)
    slot_keys: np.ndarray = field(repr=False)
    slot_vals: np.ndarray = field(repr=False)
    inverses: np.ndarray = field(repr=False)

    @property
    def order(self) -> int:
        return int(self.images.shape[0])

    @property
    def depth(self) -> int:
        return int(self.base.size) + 3

    def multiply(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = np.broadcast_arrays(np.asarray(a, np.int64), np.asarray(b, np.int64))
        run = _kp.perm_multiply.for_work(a.size * (self.base.size + 2))
        out = run(self.images, self.base, a.ravel(), b.ravel(), self.slot_keys, self.slot_vals)
        return out.reshape(a.shape)

    def inverse(self, a: np.ndarray) -> np.ndarray:
        return self.inverses[np.asarray(a, np.int64)]

    def orders(self, a: np.ndarray) -> np.ndarray:
        a = np.asarray(a, np.int64)
        run = _kp.perm_orders.for_work(a.size * self.base.size * 4)
        return run(self.images, self.base, a.ravel()).reshape(a.shape)


def permutation_arithmetic(G: FiniteGroup, action: np.ndarray | None,
                           budget: Budget | None = None) -> BaseImageArithmetic | None:
    """A :class:`BaseImageArithmetic` of ``G`` from a faithful action (``(k, d)`` image lists of
    the generators, see :data:`NATURAL_ACTION`), or ``None`` when there is none, it is too large
    (``|G| * d`` above :data:`MAX_TABLE_ENTRIES`) or not faithful.

    Raises :class:`~grouptools.groups._regular.WorkLimitExceeded` past the budget.
    """
    if action is None:
        return None
    n = G.order
    action = np.asarray(action, np.int64)
    k, d = action.shape
    if k != len(G.generator_names) or n * d > MAX_TABLE_ENTRIES:
        return None
    budget = budget if budget is not None else Budget(1 << 62)
    budget.charge(n * d * 3)
    dtype = np.int16 if d < (1 << 15) else np.int32
    letters = np.empty((2 * k, d), dtype)
    letters[0::2] = action
    for s in range(k):
        letters[2 * s + 1, action[s]] = np.arange(d)
    order, parent, letter, _ = G.spanning_tree
    images = _kp.tree_images.for_work(n * d)(order, parent, letter, letters)
    base, keys = _choose_base(images, n, budget)
    if base is None:
        return None
    P = next(p for p in range(2 * n + 1, 4 * n + 3) if is_prime(p))  # Bertrand: one exists
    slot_keys = np.full(P, -1, np.int64)
    slot_vals = np.zeros(P, np.int64)
    _kp.hash_insert.for_work(2 * n)(keys, np.arange(n, dtype=np.int64), slot_keys, slot_vals)
    A = BaseImageArithmetic(readonly(images), readonly(base), readonly(slot_keys),
                            readonly(slot_vals), readonly(np.asarray(G.inverse, np.int64)))
    # the recorded action must be the one G was built from: g_x * s has the images of g_x, then s
    budget.charge(k * n * (base.size + 2))
    x = np.arange(n, dtype=np.int64)
    for s, g in enumerate(G.generators):
        if not np.array_equal(A.multiply(x, np.int64(g)), G.right_perms[s]):
            return None
    return A


def _choose_base(images: np.ndarray, n: int, budget: Budget
                 ) -> tuple[np.ndarray, np.ndarray] | tuple[None, None]:
    """Points added greedily while they shrink the pointwise stabilizer (the elements fixing
    every point so far), until it is trivial: ``(base, keys)``, or ``(None, None)`` if the
    action is not faithful or the keys overflow int64."""
    d = images.shape[1]
    fixing = np.ones(n, np.bool_)
    count = n
    base: list[int] = []
    for p in range(d):
        budget.charge(2 * n)
        trial = fixing & (images[:, p] == p)
        c = int(np.count_nonzero(trial))
        if c < count:
            fixing, count = trial, c
            base.append(p)
            if count == 1:
                break
    if count != 1 or len(base) * np.log2(max(d, 2)) >= 62:
        return None, None
    keys = np.zeros(n, np.int64)
    for p in base:
        keys = keys * d + images[:, p]
    return np.array(base, np.int64), keys
