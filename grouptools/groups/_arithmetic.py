"""Element arithmetic without a Cayley table: products, inverses, powers and orders by index arithmetic.

A group of ``10^4`` to ``10^6`` elements has no room for its Cayley table (``4 n^2`` bytes) and
walking a spanning tree costs its diameter per product (``n / 2`` for the cyclic group). The
groups the toolkit builds know how they were built, and that gives each element coordinates in
which the product is a few array operations:

* :class:`AbelianArithmetic` -- ``C_{n1} x ... x C_{nr}``: add exponent vectors;
* :class:`ProductArithmetic` -- ``G1 x ... x Gr``: multiply coordinatewise;
* :class:`SemidirectArithmetic` -- ``N : H`` with the action tabulated on ``|H| x |N|`` entries:
  ``(n1 h1)(n2 h2) = (n1 . h1 n2 h1^-1)(h1 h2)``;
* :class:`ExtensionArithmetic` -- a cyclic extension ``N . C_m`` (``t^m = c`` in ``N``, the
  conjugation by ``t`` tabulated on ``m x |N|`` entries): the dicyclic groups, and, nested, the
  polycyclic presentations of solvable groups (Sims 1994, "Computation with finitely presented
  groups", ch. 9; Holt, Eick & O'Brien 2005, "Handbook of computational group theory", ch. 8),
  where the tabulated conjugation replaces collection;
* :class:`TableArithmetic` -- a Cayley table, for groups small enough;
* :class:`RelabelledArithmetic` -- any of these in other coordinates (two index maps).

Every arithmetic works on int64 arrays of element indices of any shape (vectorized), costs
``O(depth)`` array operations per product independent of the group's diameter, and has memory
``O(|G|)`` at most (the action tables). :func:`power` and :func:`element_orders` are written once
over the protocol; arithmetics with a quotient (semidirect, extension) compute orders recursively
(``|g| = |gN| * |g^{|gN|}|``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Protocol, Sequence

import numpy as np

from ._arrays import readonly

__all__ = [
    "AbelianArithmetic",
    "Arithmetic",
    "ExtensionArithmetic",
    "ProductArithmetic",
    "RelabelledArithmetic",
    "SemidirectArithmetic",
    "TableArithmetic",
    "element_orders",
    "power",
]


class Arithmetic(Protocol):
    """What a group's element arithmetic provides (all vectorized over int64 index arrays)."""

    @property
    def order(self) -> int:
        """Number of elements."""
        ...

    @property
    def depth(self) -> int:
        """Array operations per product, roughly (for cost estimates)."""
        ...

    def multiply(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Indices of ``g_a g_b`` (``a`` and ``b`` broadcast)."""
        ...

    def inverse(self, a: np.ndarray) -> np.ndarray:
        """Indices of ``g_a^-1``."""
        ...

    def orders(self, a: np.ndarray) -> np.ndarray:
        """Element orders of ``g_a``."""
        ...


def power(arith: Arithmetic, a: np.ndarray, e: np.ndarray | int) -> np.ndarray:
    """``g_a ** e`` by repeated squaring (``e >= 0`` broadcast against ``a``).

    Examples
    --------
    >>> import numpy as np
    >>> power(AbelianArithmetic((10,)), np.array([3, 4]), 3).tolist()
    [9, 2]
    """
    a, e = np.broadcast_arrays(np.asarray(a, np.int64), np.asarray(e, np.int64))
    e = e.copy()
    base = a.copy()
    result = np.zeros(a.shape, np.int64)
    while True:
        odd = (e & 1) == 1
        if odd.any():
            result = np.where(odd, arith.multiply(result, base), result)
        e >>= 1
        if not (e > 0).any():
            return result
        base = arith.multiply(base, base)


def element_orders(arith: Arithmetic, a: np.ndarray, primes: Sequence[int]) -> np.ndarray:
    """Orders of ``g_a`` from the prime factors of a multiple ``M`` of every element order:
    start at ``M`` and divide by ``p`` while ``g^(o/p) = 1`` (all elements at once)."""
    a = np.asarray(a, np.int64)
    orders = np.full(a.shape, arith.order, np.int64)
    for p in primes:
        while True:
            idx = np.flatnonzero((orders % p == 0).ravel())
            if idx.size == 0:
                break
            flat = orders.reshape(-1)
            hit = power(arith, a.reshape(-1)[idx], flat[idx] // p) == 0
            if not hit.any():
                break
            flat[idx[hit]] //= p
    return orders


def _as_int(a: np.ndarray | int) -> np.ndarray:
    return np.asarray(a, dtype=np.int64)


@dataclass(frozen=True)
class AbelianArithmetic:
    """``C_{n1} x ... x C_{nr}``, element index ``ravel_multi_index(exponents, invariants)``.

    Examples
    --------
    >>> import numpy as np
    >>> A = AbelianArithmetic((4, 6))
    >>> int(A.multiply(np.int64(7), np.int64(11))), int(A.inverse(np.int64(7))), int(A.orders(np.int64(7)))
    (12, 23, 12)
    """

    invariants: tuple[int, ...]
    strides: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        strides, s = [], 1
        for n in reversed(self.invariants):
            strides.append(s)
            s *= n
        object.__setattr__(self, "strides", tuple(reversed(strides)))

    @functools.cached_property
    def order(self) -> int:
        return int(np.prod(self.invariants, dtype=object))

    @property
    def depth(self) -> int:
        return 3 * len(self.invariants)

    def coordinates(self, a: np.ndarray | int) -> list[np.ndarray]:
        """The exponent vector of ``g_a``, one array per invariant."""
        a = _as_int(a)
        return [(a // s) % n for s, n in zip(self.strides, self.invariants)]

    def index(self, coords: Sequence[np.ndarray]) -> np.ndarray:
        """The element index of an exponent vector (reduced modulo the invariants)."""
        out = np.zeros(np.broadcast(*coords).shape, np.int64) if coords else np.int64(0)
        for c, s, n in zip(coords, self.strides, self.invariants):
            out = out + (np.asarray(c, np.int64) % n) * s
        return out

    def multiply(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if len(self.invariants) == 1:
            return (_as_int(a) + _as_int(b)) % self.invariants[0]
        return self.index([x + y for x, y in zip(self.coordinates(a), self.coordinates(b))])

    def inverse(self, a: np.ndarray) -> np.ndarray:
        if len(self.invariants) == 1:
            return (-_as_int(a)) % self.invariants[0]
        return self.index([-x for x in self.coordinates(a)])

    def power_of(self, a: np.ndarray, e: np.ndarray | int) -> np.ndarray:
        """``g_a ** e`` in closed form (any integer ``e``)."""
        e = _as_int(e)
        return self.index([(x * (e % n)) % n for x, n in zip(self.coordinates(a), self.invariants)])

    def orders(self, a: np.ndarray) -> np.ndarray:
        out = np.ones(np.shape(a), np.int64)
        for x, n in zip(self.coordinates(a), self.invariants):
            out = np.lcm(out, n // np.gcd(x, n))
        return out


@dataclass(frozen=True, eq=False)
class ProductArithmetic:
    """``G1 x ... x Gr``, element index ``ravel_multi_index((i1, ..., ir), orders)``."""

    factors: tuple[Arithmetic, ...]
    orders_: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "orders_", tuple(f.order for f in self.factors))

    @functools.cached_property
    def order(self) -> int:
        return int(np.prod(self.orders_, dtype=object))

    @property
    def depth(self) -> int:
        return sum(f.depth for f in self.factors) + 2 * len(self.factors)

    def split(self, a: np.ndarray | int) -> tuple[np.ndarray, ...]:
        """The factor coordinates of ``g_a``."""
        return np.unravel_index(_as_int(a), self.orders_)

    def join(self, parts: Sequence[np.ndarray]) -> np.ndarray:
        """The element index of factor coordinates."""
        return np.ravel_multi_index(tuple(np.asarray(p, np.int64) for p in parts), self.orders_)

    def multiply(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self.join([f.multiply(x, y) for f, x, y in zip(self.factors, self.split(a), self.split(b))])

    def inverse(self, a: np.ndarray) -> np.ndarray:
        return self.join([f.inverse(x) for f, x in zip(self.factors, self.split(a))])

    def orders(self, a: np.ndarray) -> np.ndarray:
        out = np.ones(np.shape(a), np.int64)
        for f, x in zip(self.factors, self.split(a)):
            out = np.lcm(out, f.orders(x))
        return out


class _OverNormal:
    """Coordinates ``(n, q)`` of the element ``n t_q`` at index ``q |N| + n`` (``t_q`` a coset
    representative of the normal subgroup ``N``)."""

    normal: Arithmetic

    def split(self, a: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
        """``(n, q)`` with ``g_a = n t_q``."""
        q, n = np.divmod(_as_int(a), self.normal.order)
        return n, q

    def join(self, n: np.ndarray, q: np.ndarray) -> np.ndarray:
        """The index of ``n t_q``."""
        return np.asarray(q, np.int64) * self.normal.order + n


@dataclass(frozen=True, eq=False)
class SemidirectArithmetic(_OverNormal):
    """``N : H``: the element ``n h`` has index ``h |N| + n``; ``action[h, n]`` is ``h n h^-1``."""

    normal: Arithmetic
    complement: Arithmetic
    action: np.ndarray = field(repr=False)

    @functools.cached_property
    def order(self) -> int:
        return self.normal.order * self.complement.order

    @property
    def depth(self) -> int:
        return self.normal.depth + self.complement.depth + 4

    def multiply(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        n1, h1 = self.split(a)
        n2, h2 = self.split(b)
        return self.join(self.normal.multiply(n1, self.action[h1, n2]), self.complement.multiply(h1, h2))

    def inverse(self, a: np.ndarray) -> np.ndarray:
        n, h = self.split(a)
        hi = self.complement.inverse(h)
        return self.join(self.action[hi, self.normal.inverse(n)], hi)

    def orders(self, a: np.ndarray) -> np.ndarray:
        a = _as_int(a)
        oh = self.complement.orders(self.split(a)[1])
        inside = power(self, a, oh)  # lies in N: its h-part is 1
        return oh * self.normal.orders(self.split(inside)[0])


@dataclass(frozen=True, eq=False)
class ExtensionArithmetic(_OverNormal):
    """A cyclic extension ``N . C_m``: elements ``n t^j`` (index ``j |N| + n``, ``0 <= j < m``)
    with ``t^m = c`` in ``N`` and ``action[j, n] = t^j n t^-j``."""

    normal: Arithmetic
    m: int
    action: np.ndarray = field(repr=False)
    c: int = 0

    @functools.cached_property
    def order(self) -> int:
        return self.normal.order * self.m

    @property
    def depth(self) -> int:
        return self.normal.depth * 2 + 5

    def multiply(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        n1, j1 = self.split(a)
        n2, j2 = self.split(b)
        n = self.normal.multiply(n1, self.action[j1, n2])
        j = j1 + j2
        carry = j >= self.m
        if self.c != 0 and np.any(carry):
            n = np.where(carry, self.normal.multiply(n, np.int64(self.c)), n)
        return self.join(n, j - self.m * carry)

    def inverse(self, a: np.ndarray) -> np.ndarray:
        # (n t^j)^-1 = t^-j n^-1 = t^(m-j) c^-1 n^-1 = (t^(m-j) c^-1 n^-1 t^-(m-j)) t^(m-j)
        n, j = self.split(a)
        ni = self.normal.inverse(n)
        inner = self.normal.multiply(self.normal.inverse(np.int64(self.c)), ni)
        k = np.where(j == 0, 0, self.m - j)
        return self.join(np.where(j == 0, ni, self.action[k, inner]), k)

    def orders(self, a: np.ndarray) -> np.ndarray:
        a = _as_int(a)
        j = self.split(a)[1]
        oq = self.m // np.gcd(j, self.m)
        inside = power(self, a, oq)
        return oq * self.normal.orders(self.split(inside)[0])


@dataclass(frozen=True, eq=False)
class TableArithmetic:
    """A Cayley table (``table[i, j]`` = index of ``g_i g_j``) with its inverses; ``primes``
    are the prime factors of the order (element orders by :func:`element_orders`)."""

    table: np.ndarray = field(repr=False)
    inverses: np.ndarray = field(repr=False)
    primes: tuple[int, ...] = ()

    @property
    def order(self) -> int:
        return int(self.table.shape[0])

    @property
    def depth(self) -> int:
        return 1

    def multiply(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self.table[_as_int(a), _as_int(b)].astype(np.int64)

    def inverse(self, a: np.ndarray) -> np.ndarray:
        return self.inverses[_as_int(a)].astype(np.int64)

    def orders(self, a: np.ndarray) -> np.ndarray:
        return element_orders(self, a, self.primes)


@dataclass(frozen=True, eq=False)
class RelabelledArithmetic:
    """An arithmetic in other coordinates: ``to_inner[x]`` is the inner index of element ``x``
    and ``from_inner`` its inverse permutation."""

    inner: Arithmetic
    to_inner: np.ndarray = field(repr=False)
    from_inner: np.ndarray = field(repr=False)

    @classmethod
    def of(cls, inner: Arithmetic, to_inner: np.ndarray) -> RelabelledArithmetic:
        """Relabel by the permutation ``to_inner`` (its inverse is computed)."""
        to_inner = np.asarray(to_inner, np.int64)
        back = np.empty_like(to_inner)
        back[to_inner] = np.arange(to_inner.size, dtype=np.int64)
        return cls(inner, readonly(to_inner), readonly(back))

    @property
    def order(self) -> int:
        return self.inner.order

    @property
    def depth(self) -> int:
        return self.inner.depth + 3

    def multiply(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self.from_inner[self.inner.multiply(self.to_inner[_as_int(a)], self.to_inner[_as_int(b)])]

    def inverse(self, a: np.ndarray) -> np.ndarray:
        return self.from_inner[self.inner.inverse(self.to_inner[_as_int(a)])]

    def orders(self, a: np.ndarray) -> np.ndarray:
        return self.inner.orders(self.to_inner[_as_int(a)])
