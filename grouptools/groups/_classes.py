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
from typing import TYPE_CHECKING

import numpy as np

from ..arith._numtheory import prime_factors
from ._arrays import readonly, weak_components

if TYPE_CHECKING:  # pragma: no cover
    from ._subgroups import Subgroup

__all__ = ["ClassesMixin", "ConjugacyClass"]


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


class ClassesMixin:
    """Element orders and conjugacy classes; mixed into :class:`~grouptools.FiniteGroup`."""

    __slots__ = ()

    # -- orders ---------------------------------------------------------------------------
    @property
    def element_orders(self) -> np.ndarray:
        """Read-only array of the orders of all elements."""

        def build() -> np.ndarray:
            n = self.order
            inv = getattr(self._structure, "invariants", None)
            if inv is not None:  # abelian product: lcm of the coordinate orders
                coords = np.indices(inv).reshape(len(inv), -1)
                ords = np.ones(n, np.int64)
                for c, m in zip(coords, inv):
                    ords = np.lcm(ords, m // np.gcd(c, m))
                return readonly(ords)
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
        return reduce(math.lcm, (c.order for c in self.conjugacy_classes()), 1)

    # -- structure ------------------------------------------------------------------------
    @property
    def is_abelian(self) -> bool:
        """Whether all generators commute."""
        gens = self.generators
        return all(
            self.multiply(a, b) == self.multiply(b, a) for i, a in enumerate(gens) for b in gens[i + 1 :]
        )

    def conjugation_perms(self) -> np.ndarray:
        """Read-only ``(k, n)`` array, row ``s``: ``x -> s^-1 x s`` for generator ``s``."""

        def build() -> np.ndarray:
            k = len(self._names)
            out = np.empty((k, self.order), np.int32)
            for s in range(k):
                left_inv = self.left_multiplication(int(self.letter_perms[2 * s + 1, 0]))
                out[s] = self._perms[s][left_inv]
            return readonly(out)

        return self.memo("conj", build)

    def conjugacy_classes(self) -> tuple[ConjugacyClass, ...]:
        """The conjugacy classes: identity first, then by element order, size, representative.

        Orbits of conjugation by the generators (connected components of the union of the
        conjugation permutations), ``O(n k)``.
        """

        def build() -> tuple[ConjugacyClass, ...]:
            labels = self.class_index
            orders = self.element_orders
            idx = np.argsort(labels, kind="stable")
            bounds = np.flatnonzero(np.diff(labels[idx])) + 1
            groups = np.split(idx.astype(np.int32), bounds)
            classes = []
            for els in groups:
                rep = int(els.min())
                classes.append(
                    ConjugacyClass(rep, int(els.size), readonly(np.sort(els)), int(orders[rep]))
                )
            classes.sort(key=lambda c: (c.representative != 0, c.order, c.size, c.representative))
            return tuple(classes)

        return self.memo("classes", build)

    @property
    def class_index(self) -> np.ndarray:
        """Read-only array mapping each element to the index of its conjugacy class
        (in the order of :meth:`conjugacy_classes`)."""

        def build() -> np.ndarray:
            n = self.order
            raw = weak_components(n, self.conjugation_perms())
            # relabel in the sorted class order
            reps = np.full(raw.max() + 1, n, dtype=np.int64)
            np.minimum.at(reps, raw, np.arange(n))
            sizes = np.bincount(raw)
            orders = self.element_orders[reps]
            keys = sorted(range(len(reps)), key=lambda c: (reps[c] != 0, orders[c], sizes[c], reps[c]))
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
