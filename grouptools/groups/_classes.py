"""Element orders and conjugacy classes of a :class:`~grouptools.FiniteGroup` (a mixin).

Classes are the orbits of conjugation by the generators: the weakly connected components of the
union of the conjugation permutations, ``O(n k)`` for ``n`` elements and ``k`` generators. Element
orders use the prime factors of ``|G|`` (an element's order divides it), or the invariants of an
abelian product directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Sequence

import numpy as np

from ..arith._numtheory import prime_factors
from ._arrays import readonly, weak_components

if TYPE_CHECKING:  # pragma: no cover
    from ._subgroups import Subgroup

__all__ = ["ClassList", "ClassesMixin", "ConjugacyClass"]


@dataclass(frozen=True)
class ConjugacyClass:
    """A conjugacy class: its representative (smallest element index), size and elements."""

    representative: int
    size: int
    elements: np.ndarray
    order: int

    def __len__(self) -> int:
        return self.size

    def __contains__(self, x: object) -> bool:
        return bool(np.any(self.elements == x))


class ClassList(Sequence[ConjugacyClass]):
    """The conjugacy classes of a group as a read-only sequence, entries built on access.

    ``sizes``, ``representatives`` and ``orders`` are arrays over the classes (in sequence
    order); ``G.conjugacy_classes()[c]`` is a :class:`ConjugacyClass`.

    Examples
    --------
    >>> import grouptools as gt
    >>> cl = gt.dihedral(4).conjugacy_classes()
    >>> len(cl), cl.sizes.tolist(), cl[2].elements.tolist()
    (5, [1, 1, 2, 2, 2], [4, 6])
    """

    __slots__ = ("_index", "_by_class", "_bounds", "sizes", "representatives", "orders")

    def __init__(self, class_index: np.ndarray, element_orders: np.ndarray) -> None:
        by_class = np.argsort(class_index, kind="stable").astype(np.int32)
        sizes = np.bincount(class_index)
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        self._index = class_index
        self._by_class = readonly(by_class)
        self._bounds = bounds
        self.sizes = readonly(sizes.astype(np.int64))
        self.representatives = readonly(by_class[bounds[:-1]].astype(np.int64))
        self.orders = readonly(np.asarray(element_orders)[self.representatives].astype(np.int64))

    def __len__(self) -> int:
        return int(self.sizes.size)

    def __getitem__(self, c):  # type: ignore[override]
        if isinstance(c, slice):
            return tuple(self[i] for i in range(*c.indices(len(self))))
        if isinstance(c, (bool, np.bool_)) or not isinstance(c, (int, np.integer)):
            raise TypeError(f"class indices must be integers, got {type(c).__name__}")
        k = len(self)
        if not -k <= c < k:
            raise IndexError(f"class index {int(c)} out of range for {k} classes")
        c = int(c) % k
        els = readonly(self._by_class[self._bounds[c] : self._bounds[c + 1]])  # sorted: stable argsort
        return ConjugacyClass(int(self.representatives[c]), int(self.sizes[c]), els, int(self.orders[c]))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ClassList):
            return np.array_equal(self._index, other._index)
        if isinstance(other, tuple):
            return tuple(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self)} conjugacy classes>"


class ClassesMixin:
    """Element orders and conjugacy classes; mixed into :class:`~grouptools.FiniteGroup`."""

    __slots__ = ()

    # -- orders ---------------------------------------------------------------------------
    @property
    def element_orders(self) -> np.ndarray:
        """Read-only array of the orders of all elements."""

        def build() -> np.ndarray:
            n = self.order
            arith = self.arithmetic
            if arith is not None:  # closed forms, or |g| = |gN| |g^|gN|| along the structure
                return readonly(arith.orders(np.arange(n, dtype=np.int64)))
            elems = np.arange(n, dtype=np.int32)
            orders = np.full(n, n, dtype=np.int64)
            for p in prime_factors(n):
                while True:
                    cand = orders % p == 0
                    if not np.any(cand):
                        break
                    idx = np.nonzero(cand)[0]
                    pw = np.asarray(self.power(elems[idx], orders[idx] // p))
                    hit = pw == 0
                    if not np.any(hit):
                        break
                    orders[idx[hit]] //= p
            return readonly(orders)

        return self.memo("orders", build)

    def element_order(self, x: int) -> int:
        """Order of the single element ``x``."""
        x = self._index(x)
        known = self.memo("orders")
        if known is not None:
            return int(known[x])
        o = self.order
        for p in prime_factors(self.order):
            while o % p == 0 and self.power(x, o // p) == 0:
                o //= p
        return o

    @property
    def exponent(self) -> int:
        """Least common multiple of the element orders."""
        return reduce(math.lcm, (int(o) for o in np.unique(self.element_orders)), 1)

    # -- structure ------------------------------------------------------------------------
    @property
    def is_abelian(self) -> bool:
        """Whether all generators commute."""
        if type(self._structure).__name__ == "AbelianStructure":
            return True
        gens = self.generators
        return all(
            self.multiply(a, b) == self.multiply(b, a) for i, a in enumerate(gens) for b in gens[i + 1 :]
        )

    def conjugation_perms(self) -> np.ndarray:
        """Read-only ``(k, n)`` array, row ``s``: ``x -> s^-1 x s`` for generator ``s``."""

        def build() -> np.ndarray:
            k = len(self._names)
            out = np.empty((k, self.order), np.int32)
            arith = None if "table" in self._cache else self.arithmetic
            if arith is not None:
                xs = np.arange(self.order, dtype=np.int64)
                for s, g in enumerate(self.generators):
                    out[s] = arith.multiply(arith.inverse(np.int64(g)), arith.multiply(xs, np.int64(g)))
                return readonly(out)
            for s in range(k):
                left_inv = self.left_multiplication(int(self.letter_perms[2 * s + 1, 0]))
                out[s] = self._perms[s][left_inv]
            return readonly(out)

        return self.memo("conj", build)

    def conjugacy_classes(self) -> ClassList:
        """The conjugacy classes: identity first, then by element order, size, representative.

        Orbits of conjugation by the generators (connected components of the union of the
        conjugation permutations), ``O(n k)``. A sequence (:class:`ClassList`) whose entries are
        built on access, with the sizes, representatives and orders as arrays.
        """
        return self.memo("classes", lambda: ClassList(self.class_index, self.element_orders))

    @property
    def class_index(self) -> np.ndarray:
        """Read-only array mapping each element to the index of its conjugacy class
        (in the order of :meth:`conjugacy_classes`)."""

        def build() -> np.ndarray:
            n = self.order
            if type(self._structure).__name__ == "AbelianStructure":
                raw = np.arange(n)
            else:
                raw = weak_components(n, self.conjugation_perms())
            # relabel in the sorted class order
            reps = np.full(raw.max() + 1, n, dtype=np.int64)
            np.minimum.at(reps, raw, np.arange(n))
            sizes = np.bincount(raw)
            orders = self.element_orders[reps]
            keys = np.lexsort((reps, sizes, orders, reps != 0))
            relabel = np.empty(len(reps), np.int32)
            relabel[keys] = np.arange(len(reps), dtype=np.int32)
            return readonly(relabel[raw])

        return self.memo("class_index", build)

    def centre(self) -> Subgroup:
        """The centre ``Z(G)``."""
        conj = self.conjugation_perms()
        fixed = np.all(conj == np.arange(self.order), axis=0)
        return self.subgroup(np.flatnonzero(fixed))

    center = centre
