"""Left and right multiplications of a group through its regular action, without a Cayley table.

The tools behind the derived arithmetics (:mod:`._derived`): a :class:`RegularAction` wraps a
:class:`~grouptools.groups._group.FiniteGroup` and gives, in ``O(|G|)`` each, the permutation of
the elements induced by left multiplication by any element (propagated along the spanning tree),
its inverse, right multiplications and conjugations (through the inverse map:
``x g = (g^-1 x^-1)^-1``), subgroup closures and normal closures (breadth first with left
multiplications). Every ``O(|G|)`` step is charged to a :class:`Budget`, which raises
:class:`WorkLimitExceeded` before the work starts once its bound is passed.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Iterable

import numpy as np

from .._kernels import group as _kg
from .._kernels import derived as _kp

if TYPE_CHECKING:  # pragma: no cover
    from ._group import FiniteGroup

__all__ = ["Budget", "RegularAction", "WorkLimitExceeded", "inverse_perm"]


class WorkLimitExceeded(Exception):
    """Raised by :meth:`Budget.charge` when a derivation would exceed its work bound."""


class Budget:
    """A work bound in elementary steps (about one array element touched each).

    Examples
    --------
    >>> b = Budget(100)
    >>> b.charge(60); b.used
    60
    >>> b.charge(60)
    Traceback (most recent call last):
    ...
    grouptools.groups._regular.WorkLimitExceeded: work bound 100 exceeded (needs 120)
    """

    def __init__(self, limit: int) -> None:
        self.limit = int(limit)
        self.used = 0

    def charge(self, work: int) -> None:
        """Account for ``work`` steps about to be done (raises before doing them)."""
        if self.used + work > self.limit:
            raise WorkLimitExceeded(f"work bound {self.limit} exceeded (needs {self.used + work})")
        self.used += int(work)


def inverse_perm(p: np.ndarray) -> np.ndarray:
    """The inverse of a permutation given as an index array (int32).

    Examples
    --------
    >>> import numpy as np
    >>> inverse_perm(np.array([2, 0, 1])).tolist()
    [1, 2, 0]
    """
    out = np.empty(p.shape[0], np.int32)
    out[p] = np.arange(p.shape[0], dtype=np.int32)
    return out


class RegularAction:
    """Multiplication maps of ``G`` as index arrays of length ``|G|`` (each ``O(|G|)``).

    Parameters
    ----------
    G : FiniteGroup
        The group (its spanning tree, letter permutations and inverse map are used).
    budget : Budget
        Charged ``|G|`` per map built.

    Examples
    --------
    >>> import grouptools as gt
    >>> R = RegularAction(gt.dihedral(3), Budget(10**6))
    >>> r, s = R.G.generators
    >>> bool(R.G.multiply(r, s) == R.left(r)[s] == R.right(R.left(s))[r])
    True
    """

    def __init__(self, G: FiniteGroup, budget: Budget) -> None:
        self.G = G
        self.n = G.order
        self.budget = budget
        budget.charge(4 * self.n * max(1, len(G.generator_names)))
        self.inv = np.ascontiguousarray(G.inverse, dtype=np.int32)
        order, parent, letter, _ = G.spanning_tree
        self._tree = (order, parent, letter, np.ascontiguousarray(G.letter_perms, np.int32))
        self._apply = _kg.tree_apply.for_work(self.n)

    def left(self, g: int) -> np.ndarray:
        """``x -> g x`` (propagated along the spanning tree)."""
        self.budget.charge(self.n)
        return self._apply(*self._tree, int(g))

    def right(self, left_g: np.ndarray) -> np.ndarray:
        """``x -> x g`` from the left multiplication by ``g``: ``x g = (g^-1 x^-1)^-1``."""
        self.budget.charge(3 * self.n)
        return self.inv[inverse_perm(left_g)[self.inv]]

    def conjugation(self, left_g: np.ndarray) -> np.ndarray:
        """``x -> g x g^-1`` from the left multiplication by ``g``."""
        self.budget.charge(4 * self.n)
        inv = self.inv
        return left_g[inv[left_g[inv]]]

    def normal_closure(self, elements: Iterable[int], conjugators: list[np.ndarray]
                       ) -> tuple[np.ndarray, int, list[int], np.ndarray]:
        """The smallest subgroup containing ``elements`` and mapped into itself by every map in
        ``conjugators`` (pass the conjugations by the generators of ``G`` for the normal
        closure in ``G``, ``[]`` for the subgroup generated).

        Returns ``(mask, size, gens, lefts)``: the membership mask, the order, the generators
        added (each one enlarges the subgroup, so at most ``log2 |G|`` of them) and their left
        multiplications (``lefts[i]`` for ``gens[i]``).
        """
        n = self.n
        cap = max(1, n.bit_length())
        lefts = np.empty((cap, n), np.int32)
        members = np.zeros(n, np.int32)
        mask = np.zeros(n, np.bool_)
        mask[0] = True
        size = 1
        gens: list[int] = []
        queue = deque(int(x) for x in elements)
        close = _kp.close_left.for_work(n)
        while queue:
            c = queue.popleft()
            if mask[c]:
                continue
            if len(gens) == cap:  # pragma: no cover - each generator doubles the subgroup
                raise AssertionError("subgroup closure added more than log2|G| generators")
            lefts[len(gens)] = self.left(c)
            gens.append(c)
            self.budget.charge(n * len(gens))
            size = close(lefts, len(gens), members, size, mask)
            queue.extend(int(conj[c]) for conj in conjugators)
        return mask, size, gens, lefts[: len(gens)]
