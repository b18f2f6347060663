"""The ``"chain"`` method: the Fourier transform by separation of variables along a subgroup chain.

For a chain ``G = G_m > ... > G_0 = 1`` and irreps adapted to it (:func:`grouptools.reps.adapted_irreps`:
the restriction of each irrep ``rho`` of ``G_i`` to ``G_{i-1}`` is block diagonal with irreps
``sigma`` of ``G_{i-1}``), every ``g in G_i`` is ``g = t h`` with ``t`` in a left transversal
``T_i`` of ``G_{i-1}`` and ``h in G_{i-1}``, and

    f_hat(rho) = sum_{t in T_i} rho(t) [ (+)_sigma f_t_hat(sigma) ],    f_t(h) = f(t h),

so the transforms on ``G_i`` are assembled from ``|T_i|`` transforms on ``G_{i-1}`` (Clausen,
*Fast generalized Fourier transforms*, Theoret. Comput. Sci. 1989; Diaconis and Rockmore,
*Efficient computation of the Fourier transform on finite groups*, J. AMS 1990; Maslen and
Rockmore, *Separation of variables and the computation of Fourier transforms on finite groups,
I*, J. AMS 1997). Writing ``g = t_m t_{m-1} ... t_1`` (``t_i in T_i``) the function is read once,
in the order ``(t_1, ..., t_m)`` (``t_1`` outermost), and level ``i`` maps, for each of the
``|G|/|G_i|`` prefixes ``t_m ... t_{i+1}``, the ``|T_i|`` transforms on ``G_{i-1}`` to the
transform on ``G_i``. The data of every level is one ``(rows, L)`` array whose rows are long
contiguous vectors over the remaining prefixes and the batch, laid out so that each level reads
and writes it in place (:mod:`._chain_levels`): a level is either a few BLAS products on strided
views (:class:`DenseLevel`, one per irrep of ``G_{i-1}``) or one sparse kernel over the rows
(:class:`Sparse`, :mod:`grouptools._kernels.chain`), whichever its count favours. Memory:
``O(|G| batch)``. A *truncated* plan (``base=k``) starts with the dense transform of ``G_k`` in
its adapted irreps (the level from the trivial group, ``T = G_k``): fewer, larger products.

**Real arithmetic.** Where every group of the chain has only irreps of real type the adapted
irreps are real orthogonal (:mod:`grouptools.reps._adapted_numeric`), so a real function is
transformed in real arithmetic up to the rotations, about four times fewer real multiply-adds
than with complex adapted irreps; :func:`candidate_plans` also tries the chain of
:func:`grouptools.reps.real_chain` and the real top part of the default chain, and
:func:`plan` keeps the candidate of least modelled time.

**Symmetric groups** take Young's orthogonal form (real) and the left transversal
``t_j = s_j s_{j+1} ... s_{k-1}`` (``j = 1..k``) of ``S_{k-1}`` in ``S_k`` (the cycles of Clausen's
FFT for ``S_n``; Clausen, *Fast Fourier transforms for metabelian groups*, SIAM J. Comput. 1989,
and Maslen, *The efficient computation of Fourier transforms on the symmetric group*, Math. Comp.
1998, who proves at most ``(3/4) n(n-1) |S_n|`` operations by factoring the ``rho(t_j)`` further
into the sparse ``rho(s_i)``; here each level is the one sparse matrix of the entries of the
``rho(t_j)`` or its dense products, all of it in real arithmetic).

The blocks come out in the adapted bases, each stored transposed; block ``r`` is then rotated to
the basis of ``G.irreps()``, ``U_r X U_r^H`` (:meth:`AdaptedIrreps.basis`; :mod:`._chain_rotate`).
The left factor is folded into the top level's matrices (``U_r rho_r(t)``; free for BLAS
products) when that lowers the real count (a complex ``U_r`` makes a real level complex), so the
rotation costs ``d^3`` (the right factor, one product on the stored transpose) or ``2 d^3``
multiply-adds per irrep of degree ``d > 1``. :attr:`ChainPlan.madds`
counts every multiply-add per function: the entries of the levels' matrices times the prefixes
they are applied to (in the plan's arithmetic: real for ``S_n``), plus the rotations;
:attr:`ChainPlan.real_madds` the real ones for real input. ``execute(..., basis="adapted")``
returns the blocks in the adapted bases without the rotations (:attr:`ChainPlan.adapted_madds`).
The inverse is the adjoint of the same steps, the same count. For ``method="auto"`` the real
count and the number of calls are scaled by their measured cost against one operation of the
dense product (:data:`CHAIN_MADD_DENSE_OPS`, :data:`CHAIN_CALL_DENSE_OPS`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import GroupToolsError, GroupTooLargeError, InvalidGroupError, ParameterError, VerificationError, quote
from ..reps._adapted import AdaptedIrreps, adapted_irreps, real_chain
from ..reps._adapted_numeric import real_prefix
from ..reps._young import (
    partitions,
    permutation_images,
    removable_corners,
    symmetric_degree,
    young_matrices,
    young_sparse,
)
from ._blocks import FourierBlocks, check_choice
from ._chain_levels import ZERO_TOL, DenseLevel, Sparse, level_blocks
from ._chain_rotate import absorb, blas_limit, block_transpose, emit
from ._chain_young import cycles, elements_of, young_blocks
from ._dense import DENSE_SPEEDUP
from ._support import degrees, memo

if TYPE_CHECKING:
    from ..groups import FiniteGroup

__all__ = [
    "BASE_MAX_ORDER",
    "CHAIN_AUTO_MAX_ORDER",
    "CHAIN_CALL_DENSE_OPS",
    "CHAIN_MADD_DENSE_OPS",
    "CHAIN_MIN_ORDER",
    "ChainPlan",
    "DenseLevel",
    "Sparse",
    "applies",
    "candidate_plans",
    "chain_plan",
    "cost",
    "costly",
    "execute",
    "lower_bound",
    "plan",
    "real_madds",
    "young_madds",
]

#: ``method="auto"`` considers the chain of a group other than a symmetric group only up to this
#: order (building its numeric adapted irreps takes minutes beyond); ``method="chain"`` has no limit.
CHAIN_AUTO_MAX_ORDER = 1 << 13
#: ``method="auto"`` considers the chain only for groups of at least this order (below it one
#: BLAS product with the dense Fourier matrix is cheaper than any chain of kernel calls).
CHAIN_MIN_ORDER = 256
#: Time of one real multiply-add of the chain FFT (:attr:`ChainPlan.real_madds`) in units of one
#: operation of the dense product (BLAS) ...
CHAIN_MADD_DENSE_OPS = 1.2
#: ... and of one call of the transform (a BLAS product, a kernel, a copy; :attr:`ChainPlan.calls`)
#: per function at batch 100: :func:`cost` is ``(real_madds * CHAIN_MADD_DENSE_OPS + calls *
#: CHAIN_CALL_DENSE_OPS) / DENSE_SPEEDUP``, in the units of the dense ``|G|^2 / DENSE_SPEEDUP``.
#: Fitted (least squares) to the thread CPU times (``time.thread_time``, one BLAS and one numba
#: thread, so that the other processes of a shared machine do not enter) of A6, S6, PSL(2,11),
#: PSL(2,13) and a 2-group of order 512, batch 100, best of 15 (``benchmarks/bench_chain_fft.py
#: --calibrate``, 2026-12-03); on a second run the model is within 30% of the measured time for
#: these and SmallGroup(384,5602) (0.7 for S6, whose cost ``auto`` takes from the partitions) and
#: makes the faster choice: dense for A6, SmallGroup(384,5602) and the 2-group, the chain for S6,
#: PSL(2,11) and PSL(2,13).
CHAIN_CALL_DENSE_OPS = 2900.0
#: A complex level runs as BLAS products (:class:`DenseLevel`) unless that takes more than this
#: many times the multiply-adds of the sparse kernel (:class:`Sparse`; BLAS runs several times
#: faster per multiply-add than the kernel's complex axpy over long rows) ...
BLAS_SPEEDUP = 4
#: ... a level of Young's orthogonal form unless more than this many times (the real kernel is
#: close to BLAS: on the idle machine, S6 and S7 take the same time within 10% with 1, 1.5 and 2,
#: and 1 keeps the count of the ``S_n`` levels lowest, 1.40 x Maslen's bound for S7 against 1.68
#: with 2) ...
REAL_BLAS_SPEEDUP = 1
#: ... or its products average fewer than this many multiply-adds per function (many tiny
#: products cost more in call overhead than the sparse kernel).
MIN_PRODUCT = 64


@dataclass(frozen=True, eq=False)
class ChainPlan:
    """The precomputed chain FFT of a group.

    Attributes
    ----------
    order : int
    dims : tuple of int
        Degrees of ``G.irreps()``.
    perm : ndarray of int
        ``perm[q]`` is the element ``t_m ... t_1`` at row ``q`` of the first level's input (the rows
        run over ``(t_1, t_2, ..., t_m)``, ``t_1`` outermost).
    levels : tuple of (int, Sparse or DenseLevel)
        Per level, bottom first, the number of prefixes and the map (sparse kernel or BLAS
        products); the top one with the left rotations folded in when that is cheaper.
    real : bool
        Whether the transform in the adapted bases is real (all levels, the top one without the
        rotations): real input is then transformed in real arithmetic up to the rotations.
    rotations : tuple of (ndarray or None, ndarray or None)
        Per irrep, the ``U_r`` still to apply from the left (``None`` when folded into the top level
        or of degree 1) and ``conj(U_r)`` applied to the transposed block from the left (the right
        factor ``U_r^H``; ``None`` for degree 1).
    adapted_top : Sparse or DenseLevel
        The top level without the rotations (``execute(..., basis="adapted")``).
    chain_orders : tuple of int
        ``|G_m|, ..., |G_0|``.
    madds : int
        Multiply-adds per function (forward or inverse), rotations to ``G.irreps()`` included.
    adapted_madds : int
        The same without the rotations.
    real_madds : int
        The real multiply-adds of the forward transform of a real function (:func:`real_madds`),
        what :func:`cost` scales.
    adapted : AdaptedIrreps
        The adapted irreps the plan runs on (``execute(..., basis="adapted")`` gives the blocks
        ``sum_g f(g) adapted.at(r, g)``); ``chain_orders`` may skip groups of ``adapted.chain``
        (a truncated plan).
    """

    order: int
    dims: tuple[int, ...]
    perm: np.ndarray
    levels: tuple
    real: bool
    rotations: tuple
    adapted_top: Any
    chain_orders: tuple[int, ...]
    madds: int
    adapted_madds: int
    real_madds: int
    adapted: AdaptedIrreps

    @property
    def rotation_madds(self) -> int:
        """The part of :attr:`madds` spent on the rotations to ``G.irreps()``."""
        return self.madds - self.adapted_madds

    @cached_property
    def rotation_runs(self) -> tuple:
        """The rotations batched: ``(offset, d, k, left, right)`` for each run of ``k``
        consecutive irreps of degree ``d > 1`` whose factors have the same kind (``left`` and
        ``right`` stacked ``(k, d, d)``; ``left`` ``None`` when folded)."""
        runs: list = []
        o = 0
        for d, (left, right) in zip(self.dims, self.rotations):
            if right is not None:
                kind = (d, left is None, np.iscomplexobj(right), left is None or np.iscomplexobj(left))
                if runs and runs[-1][0] == kind and runs[-1][1] + runs[-1][2] * d * d == o:
                    runs[-1][2] += 1
                    runs[-1][3].append(left)
                    runs[-1][4].append(right)
                else:
                    runs.append([kind, o, 1, [left], [right]])
            o += d * d
        return tuple((o, kind[0], k, None if kind[1] else np.stack(ls), np.stack(rs)) for kind, o, k, ls, rs in runs)

    @cached_property
    def calls(self) -> int:
        """Calls of BLAS products, kernels and copies of one transform: one per :class:`Sparse`
        level, one or two per run of input irreps of one degree of a :class:`DenseLevel` (the
        product, and the copy of its result unless written in place), one or two per run of rotations, and six more (the
        reorderings and the output)."""
        total = 6
        for _, op in self.levels:
            total += sum(1 + (g[6] is None) for g in op.groups) if isinstance(op, DenseLevel) else 1
        return total + sum(1 + (run[3] is not None) for run in self.rotation_runs)

    @cached_property
    def complex_rotations(self) -> bool:
        """Whether some rotation to ``G.irreps()`` is complex (the output is then complex before
        the last step)."""
        return any(U is not None and np.iscomplexobj(U) for pair in self.rotations for U in pair)

    @property
    def modelled_cost(self) -> float:
        """The modelled time, :func:`_scaled` of :attr:`real_madds` and :attr:`calls`."""
        return _scaled(self.real_madds, self.calls)

    @cached_property
    def ones(self) -> np.ndarray:
        """The flat positions of the blocks of degree 1."""
        offs = np.concatenate([[0], np.cumsum([d * d for d in self.dims])])[:-1]
        return offs[np.asarray(self.dims) == 1].astype(np.int64)

    @cached_property
    def transpose(self) -> np.ndarray:
        """``transpose[k]``: the row of the top level's output (blocks stored transposed) holding
        flat entry ``k`` of :meth:`FourierBlocks.flatten` (an involution)."""
        return block_transpose(self.dims)

    @cached_property
    def plain_runs(self) -> tuple:
        """The runs of :attr:`rotation_runs` without the rotations (``basis="adapted"``)."""
        return tuple((o, d, k, None, None) for o, d, k, _, _ in self.rotation_runs)


def _choose(dims: tuple, in_dims: tuple, blocks: list, copies: int, prefixes: int,
            young: bool = False) -> Sparse | DenseLevel:
    """The sparse kernel or the BLAS products for one level, by count: BLAS unless it takes more
    than :data:`BLAS_SPEEDUP` (:data:`REAL_BLAS_SPEEDUP` for a level of Young's form, ``young``)
    times the multiply-adds of the sparse kernel, or its products (one per input irrep) average
    fewer than :data:`MIN_PRODUCT` multiply-adds per function."""
    sparse = Sparse.build(dims, in_dims, blocks, copies)
    dense_madds = sum(R.size * in_dims[s] for _, s, _, R in blocks)
    calls = len({s for _, s, _, _ in blocks})  # one product per input irrep
    speedup = REAL_BLAS_SPEEDUP if sparse.real and young else BLAS_SPEEDUP
    if dense_madds <= speedup * sparse.nnz and dense_madds * prefixes >= MIN_PRODUCT * calls:
        return DenseLevel.build(dims, in_dims, blocks, copies)
    return sparse


def _top(dims: tuple, in_dims: tuple, branching_blocks: Any, bases: list, fold: bool | None = None,
         young: bool = False) -> tuple:
    """The top level with and without the left rotations folded in, and the rotations left to do.

    ``branching_blocks(left)`` builds the blocks (``left``: the ``U_r`` to fold, or ``None``).
    Folding costs nothing for BLAS products, but a complex ``U`` folded into a real level makes
    it complex (real input then runs as one real product with ``[Re R; Im R]``,
    :class:`DenseLevel`, several times slower per multiply-add than the real product), so a
    complex ``U`` is folded only into a level that is complex anyway. Of the choices -- no folding
    (``2 d^3`` per irrep apart), folding every ``U``, folding the real ones only -- the one of
    fewest real multiply-adds on real input (:func:`real_madds`) is taken; ``fold`` forces all or
    none."""
    plain_blocks = branching_blocks(None)
    plain = _choose(dims, in_dims, plain_blocks, 1, 1, young)
    left = [U if d > 1 else None for U, d in zip(bases, dims)]
    cube = sum(d**3 for d in dims if d > 1)
    rights = [None if U is None else np.ascontiguousarray(np.conj(U)) for U in left]
    options = [(plain, tuple(zip(left, rights)), plain.nnz + 2 * cube)] if fold is not True else []
    real_left = [None if U is None or np.iscomplexobj(U) else U for U in left]
    mixed = plain.real and any(U is not None and R is None for U, R in zip(left, real_left))  # complex U, real level
    # a complex U is folded only into a complex level: a real level made complex runs the slower
    # split product of real input (measured 0.83 against 0.12 ms for A6's top level)
    if fold is True or (fold is None and not mixed):
        folded = DenseLevel.build(dims, in_dims, branching_blocks(left), 1)
        options.append((folded, tuple((None, R) for R in rights), folded.nnz + cube))
    if fold is None and mixed and any(U is not None for U in real_left):  # fold the real U only
        part = DenseLevel.build(dims, in_dims, branching_blocks(real_left), 1)
        rest = sum(d**3 for U, R, d in zip(left, real_left, dims) if U is not None and R is None)
        options.append((part, tuple((None if R is not None else U, W) for U, R, W in zip(left, real_left, rights)),
                        part.nnz + cube + rest))
    run, rotations, madds = min(options, key=lambda o: real_madds([(1, o[0])], dims, o[1]))
    return run, plain, rotations, madds, plain.nnz


def young_madds(n: int, basis: str = "irreps") -> int:
    """Multiply-adds per function of the chain FFT of ``S_n`` (real arithmetic), from the
    partitions alone, including the rotations to ``G.irreps()`` (``basis="adapted"``: without
    them). The rotation costs ``d^3`` per irrep of degree ``d > 1`` when the left factor is folded
    into the top level, ``2 d^3`` otherwise (whichever is cheaper, as the plan chooses).

    Examples
    --------
    >>> young_madds(5) < 120 ** 2                     # the dense product
    True
    >>> young_madds(7) < 4 * 0.75 * 7 * 6 * 5040     # within 4x of Maslen's bound
    True
    """
    total = 0
    for k in range(2, n):
        total += math.factorial(n) // math.factorial(k) * _young_steps(k, n).nnz
    labels, below = partitions(n), partitions(n - 1)
    eye = [np.eye(young_sparse(lam).dim) for lam in labels]
    dims, in_dims, _ = young_blocks(n, labels, below)
    _, _, _, irreps, adapted = _top(dims, in_dims, lambda left: young_blocks(n, labels, below, left)[2], eye, young=True)
    return total + (adapted if basis == "adapted" else irreps)


def _young_steps(k: int, n: int) -> Sparse | DenseLevel:
    """The level ``S_{k-1} -> S_k`` of ``S_n`` (``k < n``; ``T' = k + 1`` copies)."""
    key = (k, n, BLAS_SPEEDUP, REAL_BLAS_SPEEDUP, MIN_PRODUCT)  # the choice depends on these
    if key not in _YOUNG_CACHE:
        dims, in_dims, blocks = young_blocks(k, partitions(k), partitions(k - 1))
        _YOUNG_CACHE[key] = _choose(dims, in_dims, blocks, k + 1, math.factorial(n) // math.factorial(k), True)
    return _YOUNG_CACHE[key]


_YOUNG_CACHE: dict[tuple, Sparse | DenseLevel] = {}


def _transversal(G: FiniteGroup, big: np.ndarray, small: np.ndarray) -> np.ndarray:
    """Left coset representatives of ``small`` in ``big`` (element indices in ``G``), the
    identity first."""
    covered = np.zeros(G.order, bool)
    reps = []
    for x in big.tolist():
        if covered[x]:
            continue
        reps.append(x)
        covered[G.multiply(np.full(small.size, x), small)] = True
    return np.array(reps, np.int64)


def _bases(G: FiniteGroup, A: AdaptedIrreps) -> list:
    """``U_r`` per irrep of ``G`` (float64 when real, else complex128)."""
    out = []
    for r in range(len(degrees(G))):
        U = np.asarray(A.basis(r), np.complex128)
        out.append(np.ascontiguousarray(U.real) if np.abs(U.imag).max() <= ZERO_TOL else U)
    return out


def real_madds(ops: Any, dims: tuple, rotations: tuple) -> int:
    """Real multiply-adds of the forward transform of a real function: per level its count times
    1 (real level, real data), 2 (real level on complex data as floats, or the first complex level
    on real data as one real product with ``[Re R; Im R]``) or 4 (complex on complex); the
    rotations ``d^3`` per factor, times 1, 2 (real ``U``, complex data) or 4 (complex ``U``).

    Examples
    --------
    >>> import grouptools as gt
    >>> P = plan(gt.alternating(5))
    >>> P.madds <= P.real_madds <= 4 * P.madds
    True
    """
    total, cplx = 0, False
    for P, op in ops:
        if not op.real and not cplx and isinstance(op, DenseLevel):  # one real product, [Re R; Im R]
            total += P * op.split_nnz
        else:
            total += P * op.nnz * (1 if op.real and not cplx else 2 if op.real or not cplx else 4)
        cplx = cplx or not op.real
    cplx = cplx or any(U is not None and np.iscomplexobj(U) for pair in rotations for U in pair)
    for d, pair in zip(dims, rotations):
        for U in pair:
            if U is not None:
                total += d**3 * (4 if np.iscomplexobj(U) else 2 if cplx else 1)
    return int(total)


def chain_plan(G: FiniteGroup, A: AdaptedIrreps, fold: bool | None = None, base: int = 1) -> ChainPlan:
    """The chain FFT plan for the adapted irreps ``A`` of ``G`` (see the module docstring);
    ``fold``: fold the left rotations into the top level (``None``: when that is cheaper);
    ``base``: run the levels from ``levels[base]`` up only, the first one being the dense
    transform of ``G_base`` in its adapted irreps (from the trivial group; adapted irreps of the
    chain are adapted to every such truncation).

    Raises
    ------
    VerificationError
        If the products ``t_m ... t_1`` are not all the elements of ``G``.
    ParameterError
        If ``base`` is not one of ``1 .. m``.

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.reps import adapted_irreps
    >>> G = gt.alternating(5)
    >>> A = adapted_irreps(G)
    >>> P = chain_plan(G, A)
    >>> P.chain_orders, P.madds < G.order ** 2
    ((60, 12, 4, 2, 1), True)
    >>> chain_plan(G, A, base=3).chain_orders                # A4 > 1 in one dense level
    (60, 12, 1)
    """
    levels = A.levels
    m = len(levels) - 1
    if isinstance(base, bool) or not isinstance(base, int) or not 1 <= base <= m:
        raise ParameterError(f"base must be an int in 1..{m}, got {quote(base)}")
    n = G.order
    steps = list(range(base, m + 1))
    sizes = [levels[base].order] + [levels[i].order // levels[i - 1].order for i in steps[1:]] + [1]
    elems = np.zeros(1, np.int64)
    ops = []
    for k, i in enumerate(steps):
        lvl = levels[i]
        if k == 0 and base > 1:  # from the trivial group: d copies of its one irrep, T = all of G_base
            T, in_dims, branching = lvl.elements, (1,), tuple((0,) * d for d in lvl.dims)
        else:
            in_dims, branching = levels[i - 1].dims, lvl.branching
            T = elements_of(G, cycles(i + 1)) if A.young else _transversal(G, lvl.elements, levels[i - 1].elements)
        elems = G.multiply(T[:, None], elems[None, :]).ravel()  # (t_i, ..., t_1), t_i outermost
        if i == m:
            break
        if A.young and not (k == 0 and base > 1):
            ops.append((n // lvl.order, _young_steps(i + 1, m + 1)))
        else:
            mats = [lvl.evaluate(q, T) for q in range(len(lvl.dims))]
            blocks = level_blocks(lvl.dims, in_dims, branching, mats)
            ops.append((n // lvl.order, _choose(lvl.dims, in_dims, blocks, sizes[k + 1], n // lvl.order)))
    if not np.array_equal(np.bincount(elems, minlength=n), np.ones(n, np.int64)):
        raise VerificationError("the coset representatives do not factor the group")
    L = len(steps)
    perm = elems.reshape(sizes[:L][::-1]).transpose(tuple(range(L - 1, -1, -1))).ravel()
    bases = _bases(G, A)
    top = levels[m]
    mats = [top.evaluate(q, T) for q in range(len(top.dims))]

    def blocks_of(left: list | None) -> list:
        return level_blocks(top.dims, in_dims, branching, mats, left)

    run, adapted_top, rotations, top_madds, top_adapted = _top(top.dims, in_dims, blocks_of, bases, fold,
                                                               A.young and not (m == base and base > 1))
    real = all(op.real for _, op in ops) and adapted_top.real
    ops.append((1, run))
    below_madds = sum(P * op.nnz for P, op in ops[:-1])
    dims = degrees(G)
    orders = tuple(int(levels[i].order) for i in reversed(steps)) + (1,)
    return ChainPlan(n, dims, perm, tuple(ops), real, rotations, adapted_top, orders,
                     below_madds + top_madds, below_madds + top_adapted, real_madds(ops, dims, rotations), A)


#: :func:`plan` also tries truncated chains (:func:`chain_plan` with ``base``) whose first level,
#: the dense transform of ``G_base``, has order at most this.
BASE_MAX_ORDER = 256


def candidate_plans(G: FiniteGroup) -> list[ChainPlan]:
    """The plans :func:`plan` chooses from: the default chain's adapted irreps (real where the
    chain allows) and, when those are complex, real adapted irreps (real arithmetic: about four
    times fewer real multiply-adds) along the longest top part of the default chain whose groups
    have only irreps of real type and along :func:`grouptools.reps.real_chain`; each with every
    truncation whose dense first level has order at most :data:`BASE_MAX_ORDER`.

    Examples
    --------
    >>> import grouptools as gt
    >>> plans = candidate_plans(gt.alternating(6))
    >>> any(P.real for P in plans), any(not P.real for P in plans)
    (True, True)
    """
    A = adapted_irreps(G)
    routes = [A]
    if not A.real:
        k = real_prefix([G] + [H.as_group()[0] for H in A.chain[1:-1]])
        chains = [A.chain[1:k]] if k >= 2 else []  # G and at least one proper subgroup of real type
        rc = real_chain(G, overhead=2 * CHAIN_CALL_DENSE_OPS / CHAIN_MADD_DENSE_OPS)
        chains += [rc] if rc is not None and len(rc) > 2 else []
        for chain in chains:
            try:
                routes.append(adapted_irreps(G, chain, real=True))
            except (VerificationError, InvalidGroupError, GroupTooLargeError):  # out of reach: not a candidate
                pass
    out = []
    for B in routes:  # the whole chain, and every truncation below the top with a small first level
        bases = [1] + [b for b in range(2, len(B.levels) - 1) if B.levels[b].order <= BASE_MAX_ORDER]
        out.extend(chain_plan(G, B, base=b) for b in bases)
    return out


# ---------------------------------------------------------------------------------------------
# the registry interface
# ---------------------------------------------------------------------------------------------
def applies(G: FiniteGroup) -> bool:
    """Every group has a chain (its default chain, :func:`grouptools.reps.default_chain`)."""
    return True


def costly(G: FiniteGroup) -> bool:
    """Whether :func:`cost` builds the plan (every group but the symmetric ones)."""
    return symmetric_degree(G) is None


def lower_bound(G: FiniteGroup) -> float:
    """A lower bound of :func:`cost` without building anything (scaled as :func:`cost`): every
    level reads each of the ``|G|`` entries once per coset, the indices along any chain sum to
    at least the sum of the prime factors of ``|G|`` (with multiplicity), and a transform makes at
    least seven calls; for ``S_n`` :func:`cost` itself. ``inf`` below :data:`CHAIN_MIN_ORDER`
    and, except for symmetric groups, above :data:`CHAIN_AUTO_MAX_ORDER` (the numeric adapted
    irreps take minutes there)."""
    n = G.order
    if n < CHAIN_MIN_ORDER:
        return math.inf
    if symmetric_degree(G) is not None:
        return cost(G)
    if n > CHAIN_AUTO_MAX_ORDER:
        return math.inf
    s, m, p = 0, n, 2
    while p * p <= m:
        while m % p == 0:
            s, m = s + p, m // p
        p += 1
    return _scaled(n * (s + (m if m > 1 else 0)), 7)


def _scaled(real_madds: int, calls: int) -> float:
    """Real multiply-adds and calls in the registry's units (those of the dense ``|G|^2 / DENSE_SPEEDUP``)."""
    return (float(real_madds) * CHAIN_MADD_DENSE_OPS + calls * CHAIN_CALL_DENSE_OPS) / DENSE_SPEEDUP


def cost(G: FiniteGroup) -> float:
    """The modelled time of the plan, :func:`_scaled` of its :attr:`ChainPlan.real_madds` and
    :attr:`ChainPlan.calls` (the measured speed against the dense product, see
    :data:`CHAIN_CALL_DENSE_OPS`). Symmetric groups from the partitions (the real count bounded
    by the levels in real arithmetic and four real multiply-adds per rotation multiply-add,
    three calls per level); other groups build the plan (adapted irreps along the default
    chain) the first time (:func:`grouptools.fourier.choose_method` asks only when
    :func:`lower_bound` beats the other methods). ``inf`` below :data:`CHAIN_MIN_ORDER` and when
    the plan cannot be built (a limit, a failed check)."""
    if G.order < CHAIN_MIN_ORDER:
        return math.inf
    n = symmetric_degree(G)
    if n is not None:
        adapted = young_madds(n, "adapted")
        return _scaled(adapted + 4 * (young_madds(n) - adapted), 6 + 3 * n)
    try:
        P = plan(G)
    except GroupToolsError:  # no plan (a limit or a failed check): never chosen automatically
        return math.inf
    return P.modelled_cost


def plan(G: FiniteGroup) -> ChainPlan:
    """The plan of :func:`candidate_plans` of least modelled time (:func:`_scaled` of its real
    multiply-adds and calls), kept in ``G.memo("fourier.chain")``.

    Examples
    --------
    >>> import grouptools as gt
    >>> plan(gt.symmetric(5)).chain_orders[:2]
    (120, 24)
    """
    return memo(G, "chain", lambda: min(candidate_plans(G), key=lambda P: P.modelled_cost))


def _levels(p: ChainPlan, X: np.ndarray, top: Any, inverse: bool) -> np.ndarray:
    """The levels (bottom first; ``inverse``: their adjoints, top first) on the layout array."""
    ops = [(P, op) for P, op in p.levels[:-1]] + [(1, top)]
    n = p.order
    for P, op in (reversed(ops) if inverse else ops):
        X = X.reshape(n * op.copies // P, -1)  # (|G_i| T', (|G| / |G_{i+1}|) width)
        if not inverse:
            X = op.forward(X)
        else:
            X = op.adjoint.apply(X) if isinstance(op, Sparse) else op.adjoint(X)
    return X.reshape(n, -1)


def execute(p: ChainPlan, data: Any, *, inverse: bool, real: bool = False, basis: str = "irreps") -> Any:
    """The chain FFT (forward) or its adjoint with the degrees and ``1/|G|`` (inverse).

    ``basis="irreps"`` (the default, what the registry runs): blocks in the bases of
    ``G.irreps()`` (:attr:`ChainPlan.madds` multiply-adds per function). ``basis="adapted"``:
    blocks in the adapted bases of :func:`grouptools.reps.adapted_irreps` (Young's orthogonal form
    for ``S_n``), without the rotations ``U X U^H`` (:attr:`ChainPlan.adapted_madds`).

    Raises
    ------
    ParameterError
        If ``basis`` is not ``"irreps"`` or ``"adapted"``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import transform
    >>> G = gt.symmetric(4)
    >>> f = np.random.default_rng(0).normal(size=(3, 24))
    >>> B = execute(plan(G), f, inverse=False)
    >>> B.allclose(transform(G, f, method="dense"))
    True
    >>> bool(np.allclose(execute(plan(G), B, inverse=True, real=True), f))
    True
    >>> Y = execute(plan(G), f, inverse=False, basis="adapted")      # Young's orthogonal form
    >>> bool(np.allclose(execute(plan(G), Y, inverse=True, real=True, basis="adapted"), f))
    True
    """
    check_choice(basis, "basis", ("irreps", "adapted"))
    rotate = basis == "irreps"
    top = p.levels[-1][1] if rotate else p.adapted_top
    n = p.order
    if inverse:
        batch = data.batch_shape
        rows = np.repeat(np.asarray(p.dims, float), [d * d for d in p.dims])
        flat = data.flatten().reshape(-1, n) * (rows / n)
        with blas_limit():
            X = _levels(p, absorb(p, flat, rotate), top, True)
        f = np.empty((X.shape[1], n), X.dtype)
        f[:, p.perm] = X.T
        f = f.reshape(batch + (n,))
        return np.ascontiguousarray(f.real) if real else f.astype(np.complex128, copy=False)
    x = np.asarray(data).reshape(-1, n)
    if x.dtype not in (np.float64, np.complex128):
        x = x.astype(np.complex128 if np.iscomplexobj(x) else np.float64)
    with blas_limit():  # one BLAS thread: the many small products are slower multithreaded
        y = emit(p, _levels(p, x.T[p.perm], top, False), rotate)
    return FourierBlocks.from_flat(p.dims, y.reshape(data.shape[:-1] + (n,)), copy=False)
