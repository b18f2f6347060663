"""Polycyclic arithmetic of solvable groups: a series with cyclic factors and tabulated actions.

A finite solvable group has a series ``G = G_0 > G_1 > ... > G_L = 1`` with ``G_{j+1}`` normal in
``G_j`` and ``G_j / G_{j+1} = <t_j G_{j+1}>`` cyclic of order ``m_j``. Every element is
uniquely ``n t_j^e`` with ``n`` in ``G_{j+1}`` and ``0 <= e < m_j``; it gets the index
``e |G_{j+1}| + idx(n)``, so an index is the mixed-radix number of the exponents of
``g = t_{L-1}^{e_{L-1}} ... t_1^{e_1} t_0^{e_0}`` -- the normal form of a polycyclic
presentation (Sims 1994, "Computation with finitely presented groups", ch. 9; Holt, Eick &
O'Brien 2005, "Handbook of computational group theory", ch. 8). Instead of collecting words,
the conjugation ``n -> t_j^e n t_j^-e`` of each ``t_j`` on ``G_{j+1}`` is tabulated (``|G_j|``
entries per level), together with its product by ``c_j = t_j^{m_j}``; a product then costs one
table lookup per level (:class:`PolycyclicArithmetic`, the flat form of nested
:class:`~grouptools.groups._arithmetic.ExtensionArithmetic`).

The series is found on the regular action (:func:`polycyclic_arithmetic`): the derived series
``D_0 = G > D_1 = [G, G] > ...`` by normal closures of commutators of generators, each abelian
factor ``D_i / D_{i+1}`` refined by adding the generators of ``D_i`` one at a time (every
subgroup between ``D_{i+1}`` and ``D_i`` is normal in ``D_i``). All of it costs
``O(|G| (L + number of generators))`` array steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .._kernels import derived as _kp
from ._arithmetic import AbelianArithmetic, Arithmetic, ExtensionArithmetic
from ._arrays import readonly
from ._regular import Budget, RegularAction, inverse_perm

if TYPE_CHECKING:  # pragma: no cover
    from ._group import FiniteGroup

__all__ = ["PolycyclicArithmetic", "polycyclic_arithmetic", "polycyclic_series"]


@dataclass(frozen=True, eq=False)
class PolycyclicArithmetic:
    """Products in a polycyclic normal form by tabulated conjugation (see the module docstring).

    ``ms[j]`` are the relative orders, ``sizes[j] = |G_j|`` (``sizes[L] = 1``) and the tables
    follow :mod:`grouptools._kernels.polycyclic`; ``inverses[x]`` is the index of ``g_x^-1``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> A, to_inner = polycyclic_arithmetic(gt.from_presentation("<r, s | r^6, s^2, (s*r)^2>"))
    >>> A.ms.tolist(), A.order        # D12 / D12' = C2 x C2, D12' = C3
    ([2, 2, 3], 12)
    >>> np.bincount(A.orders(np.arange(12))).tolist()   # 7 involutions, 2 of order 3, 2 of 6
    [0, 1, 7, 2, 0, 0, 2]
    """

    ms: np.ndarray = field(repr=False)
    sizes: np.ndarray = field(repr=False)
    offsets: np.ndarray = field(repr=False)
    tables: np.ndarray = field(repr=False)
    inverses: np.ndarray = field(repr=False)

    @property
    def order(self) -> int:
        return int(self.sizes[0])

    @property
    def depth(self) -> int:
        return int(self.ms.size) + 2

    def multiply(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = np.broadcast_arrays(np.asarray(a, np.int64), np.asarray(b, np.int64))
        run = _kp.pc_multiply.for_work(a.size * max(1, self.ms.size))
        out = run(a.ravel(), b.ravel(), self.sizes, self.ms, self.offsets, self.tables)
        return out.reshape(a.shape)

    def inverse(self, a: np.ndarray) -> np.ndarray:
        return self.inverses[np.asarray(a, np.int64)].astype(np.int64)

    def orders(self, a: np.ndarray) -> np.ndarray:
        a = np.asarray(a, np.int64)
        run = _kp.pc_orders.for_work(a.size * 4 * max(1, self.ms.size) ** 2)
        return run(a.ravel(), self.sizes, self.ms, self.offsets, self.tables).reshape(a.shape)

    def nested(self) -> Arithmetic:
        """The same arithmetic as nested :class:`ExtensionArithmetic` (slower: for checks)."""
        L = self.ms.size
        inner: Arithmetic = AbelianArithmetic((1,))
        for j in range(L - 1, -1, -1):
            N, m = int(self.sizes[j + 1]), int(self.ms[j])
            block = self.tables[self.offsets[j]: self.offsets[j] + 2 * m * N].reshape(2 * m, N)
            c = int(block[m, 0])  # t^0 * 1 * t^0 * c = c
            inner = ExtensionArithmetic(inner, m, block[:m].astype(np.int64), c)
        return inner


def polycyclic_series(R: RegularAction) -> list[tuple[int, int]] | None:
    """Pairs ``(t_j, m_j)``, top down, of a series with cyclic factors, or ``None`` if ``G`` is
    not solvable (its derived series stops at a nontrivial perfect subgroup).

    Generators ``t_j`` are element indices; ``G_j = <t_j, ..., t_{L-1}>``.
    """
    G, n = R.G, R.n
    gens = sorted({int(g) for g in G.generators if g != 0})
    lefts = [R.left(g) for g in gens]
    conjugators = [R.conjugation(L) for L in lefts]
    size = n
    steps: list[tuple[int, int]] = []
    while size > 1:
        comms = []
        for i, b in enumerate(gens):
            inv_b = inverse_perm(lefts[i])
            R.budget.charge(len(gens) * 2 + n)
            for a, La in zip(gens, lefts):
                if a != b:  # a^b a^-1 = (a (a^b)^-1)^-1, with a^b = b^-1 a b
                    ab = int(inv_b[La[b]])
                    comms.append(int(R.inv[La[R.inv[ab]]]))
        mask, dsize, dgens, dlefts = R.normal_closure(comms, conjugators)
        if dsize == size:
            return None
        # refine size / dsize: add gens to the derived subgroup one at a time
        members = np.flatnonzero(mask).astype(np.int32)
        refine: list[tuple[int, int]] = []
        for g, L in zip(gens, lefts):
            if mask[g]:
                continue
            m, _ = _kp.relative_order.for_work(n)(L, mask, n)
            R.budget.charge(2 * m * members.size)
            members = _kp.iterate_blocks.for_work(m * members.size)(L, members, m)
            mask[members] = True
            refine.append((g, int(m)))
        if members.size != size:  # pragma: no cover - the generators generate D_i
            raise AssertionError("the generators of a derived term do not generate it")
        steps.extend(reversed(refine))
        size, gens, lefts = dsize, dgens, list(dlefts)
    return steps


def polycyclic_arithmetic(G: FiniteGroup, budget: Budget | None = None
                          ) -> tuple[PolycyclicArithmetic, np.ndarray] | None:
    """A :class:`PolycyclicArithmetic` of a solvable ``G`` and the relabelling ``to_inner`` (the
    polycyclic index of each element of ``G``), or ``None`` if ``G`` is not solvable.

    Raises :class:`~grouptools.groups._regular.WorkLimitExceeded` past the budget.
    """
    R = RegularAction(G, budget if budget is not None else Budget(1 << 62))
    steps = polycyclic_series(R)
    if steps is None:
        return None
    return _build(R, steps)


def _build(R: RegularAction, steps: list[tuple[int, int]]) -> tuple[PolycyclicArithmetic, np.ndarray]:
    """Tables of the series ``steps`` (top down), built bottom up."""
    n, L = R.n, len(steps)
    ms = np.array([m for _, m in steps], np.int64)
    sizes = np.ones(L + 1, np.int64)
    for j in range(L - 1, -1, -1):
        sizes[j] = sizes[j + 1] * ms[j]
    offsets = np.concatenate([[0], np.cumsum(2 * sizes[:L])]).astype(np.int64)
    tables = np.zeros(int(offsets[L]), np.int32)
    offsets = offsets[:L]
    pos = np.full(n, -1, np.int32)  # polycyclic index of the elements of G_{j+1}
    pos[0] = 0
    E = np.zeros(1, np.int32)  # elements of G_{j+1} in polycyclic order
    for j in range(L - 1, -1, -1):
        t, m = steps[j]
        N = E.size
        Lt = R.left(t)
        R.budget.charge(4 * m * N)
        conj = R.conjugation(Lt)
        act = pos[_kp.iterate_blocks.for_work(m * N)(conj, E, m)]
        c = int(pos[_kp.iterate_blocks.for_work(m)(Lt, np.zeros(1, np.int32), m + 1)[m]])
        if act.min() < 0 or c < 0:  # pragma: no cover - G_{j+1} is normal in G_j
            raise AssertionError("a term of the series is not normalized by the next generator")
        block = tables[offsets[j]: offsets[j] + 2 * m * N]
        block[: m * N] = act
        run = _kp.pc_multiply.for_work(m * N * (L - j))
        block[m * N:] = run(act.astype(np.int64), np.full(m * N, c, np.int64), sizes[j + 1:],
                            ms[j + 1:], offsets[j + 1:], tables)
        E = _kp.iterate_blocks.for_work(m * N)(R.right(Lt), E, m)
        pos[E[N:]] = np.arange(N, m * N, dtype=np.int32)
    inverses = np.empty(n, np.int64)
    inverses[pos] = pos[R.inv]
    arith = PolycyclicArithmetic(readonly(ms), readonly(sizes), readonly(offsets),
                                 readonly(tables), readonly(inverses))
    return arith, pos.astype(np.int64)
