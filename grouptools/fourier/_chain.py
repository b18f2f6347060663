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
``O(|G| batch)``.

**Symmetric groups** take Young's orthogonal form (real) and the left transversal
``t_j = s_j s_{j+1} ... s_{k-1}`` (``j = 1..k``) of ``S_{k-1}`` in ``S_k`` (the cycles of Clausen's
FFT for ``S_n``; Clausen, *Fast Fourier transforms for metabelian groups*, SIAM J. Comput. 1989,
and Maslen, *The efficient computation of Fourier transforms on the symmetric group*, Math. Comp.
1998, who proves at most ``(3/4) n(n-1) |S_n|`` operations by factoring the ``rho(t_j)`` further
into the sparse ``rho(s_i)``; here each level is the one sparse matrix of the entries of the
``rho(t_j)`` or its dense products, all of it in real arithmetic).

The blocks come out in the adapted bases, each stored transposed; block ``r`` is then rotated to
the basis of ``G.irreps()``, ``U_r X U_r^H`` (:meth:`AdaptedIrreps.basis`). The left factor is
folded into the top level's matrices (``U_r rho_r(t)``; free for BLAS products) when that is
cheaper than ``d^3`` apart, so the rotation costs ``d^3`` (the right factor, one product on the
stored transpose) or ``2 d^3`` multiply-adds per irrep of degree ``d > 1``. :attr:`ChainPlan.madds`
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
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import GroupToolsError, VerificationError
from ..reps._adapted import AdaptedIrreps, adapted_irreps
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
from ._dense import DENSE_SPEEDUP
from ._support import degrees, memo

if TYPE_CHECKING:
    from ..groups import FiniteGroup

__all__ = [
    "CHAIN_AUTO_MAX_ORDER",
    "CHAIN_CALL_DENSE_OPS",
    "CHAIN_MADD_DENSE_OPS",
    "CHAIN_MIN_ORDER",
    "ChainPlan",
    "DenseLevel",
    "Sparse",
    "applies",
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
CHAIN_MADD_DENSE_OPS = 1.3
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
CHAIN_CALL_DENSE_OPS = 2300.0
#: A complex level runs as BLAS products (:class:`DenseLevel`) unless that takes more than this
#: many times the multiply-adds of the sparse kernel (:class:`Sparse`; BLAS runs several times
#: faster per multiply-add than the kernel's complex axpy over long rows) ...
BLAS_SPEEDUP = 4
#: ... a real one (Young's orthogonal form) unless more than this many times (the real kernel is
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
        level, one or two per input irrep of a :class:`DenseLevel` (the product, and the copy of
        its result unless written in place), one or two per run of rotations, and six more (the
        reorderings and the output)."""
        total = 6
        for _, op in self.levels:
            total += sum(1 + (g[6] is None) for g in op.groups) if isinstance(op, DenseLevel) else 1
        return total + sum(1 + (run[3] is not None) for run in self.rotation_runs)

    @cached_property
    def transpose(self) -> np.ndarray:
        """``transpose[k]``: the row of the top level's output (blocks stored transposed) holding
        flat entry ``k`` of :meth:`FourierBlocks.flatten` (an involution)."""
        return _block_transpose(self.dims)


def _block_transpose(dims: tuple[int, ...]) -> np.ndarray:
    """The index map of :attr:`ChainPlan.transpose` (each ``d x d`` block transposed in place)."""
    if dims not in _TRANSPOSE:
        out = []
        o = 0
        for d in dims:
            out.append(o + np.arange(d * d).reshape(d, d).T.ravel())
            o += d * d
        _TRANSPOSE[dims] = np.concatenate(out).astype(np.int64)
    return _TRANSPOSE[dims]


_TRANSPOSE: dict = {}


def _cycles(k: int) -> np.ndarray:
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


def _young_blocks(k: int, labels: tuple, below: tuple, left: list | None = None) -> tuple:
    """Degrees, input degrees and blocks of the level ``S_{k-1} -> S_k`` of Young's form over the
    transversal :func:`_cycles`."""
    where = {lam: i for i, lam in enumerate(below)}
    branching = tuple(tuple(where[_minus(lam, i)] for i in removable_corners(lam)) for lam in labels)
    T = _cycles(k)
    mats = [young_matrices(lam, T) for lam in labels]
    dims = tuple(young_sparse(l).dim for l in labels)
    in_dims = tuple(young_sparse(l).dim for l in below)
    return dims, in_dims, level_blocks(dims, in_dims, branching, mats, left)


def _choose(dims: tuple, in_dims: tuple, blocks: list, copies: int, prefixes: int) -> Sparse | DenseLevel:
    """The sparse kernel or the BLAS products for one level, by count: BLAS unless it takes more
    than :data:`BLAS_SPEEDUP` (:data:`REAL_BLAS_SPEEDUP` for a real level) times the multiply-adds
    of the sparse kernel, or its products (one per input irrep) average fewer than
    :data:`MIN_PRODUCT` multiply-adds per function."""
    sparse = Sparse.build(dims, in_dims, blocks, copies)
    dense_madds = sum(R.size * in_dims[s] for _, s, _, R in blocks)
    calls = len({s for _, s, _, _ in blocks})  # one product per input irrep
    speedup = REAL_BLAS_SPEEDUP if sparse.real else BLAS_SPEEDUP
    if dense_madds <= speedup * sparse.nnz and dense_madds * prefixes >= MIN_PRODUCT * calls:
        return DenseLevel.build(dims, in_dims, blocks, copies)
    return sparse


def _top(dims: tuple, in_dims: tuple, branching_blocks: Any, bases: list, fold: bool | None = None) -> tuple:
    """The top level with and without the left rotations folded in, and the rotations left to do.

    ``branching_blocks(left)`` builds the blocks (``left``: the ``U_r`` to fold, or ``None``).
    Folding costs nothing for BLAS products; it is chosen when the folded level (always run by
    BLAS) costs at most the level without it plus ``d^3`` per irrep for a separate left product
    (a complex ``U`` on a real level: real input then runs as one real product with
    ``[Re R; Im R]``, :class:`DenseLevel`); ``fold`` forces the choice."""
    plain_blocks = branching_blocks(None)
    plain = _choose(dims, in_dims, plain_blocks, 1, 1)
    left = [U if d > 1 else None for U, d in zip(bases, dims)]
    cube = sum(d**3 for d in dims if d > 1)
    folded_blocks = branching_blocks(left)
    folded = DenseLevel.build(dims, in_dims, folded_blocks, 1)
    fold = folded.nnz <= plain.nnz + cube if fold is None else fold
    rights = [None if U is None else np.ascontiguousarray(np.conj(U)) for U in left]
    if fold:
        return folded, plain, tuple((None, R) for R in rights), folded.nnz + cube, plain.nnz
    return plain, plain, tuple(zip(left, rights)), plain.nnz + 2 * cube, plain.nnz


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
    dims, in_dims, _ = _young_blocks(n, labels, below)
    _, _, _, irreps, adapted = _top(dims, in_dims, lambda left: _young_blocks(n, labels, below, left)[2], eye)
    return total + (adapted if basis == "adapted" else irreps)


def _young_steps(k: int, n: int) -> Sparse | DenseLevel:
    """The level ``S_{k-1} -> S_k`` of ``S_n`` (``k < n``; ``T' = k + 1`` copies)."""
    key = (k, n, BLAS_SPEEDUP, REAL_BLAS_SPEEDUP, MIN_PRODUCT)  # the choice depends on these
    if key not in _YOUNG_CACHE:
        dims, in_dims, blocks = _young_blocks(k, partitions(k), partitions(k - 1))
        _YOUNG_CACHE[key] = _choose(dims, in_dims, blocks, k + 1, math.factorial(n) // math.factorial(k))
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


def _elements_of(G: FiniteGroup, perms: np.ndarray) -> np.ndarray:
    """The elements of a symmetric group with these image lists (on the first points)."""
    img = permutation_images(G)
    n = img.shape[1]
    full = np.tile(np.arange(n), (perms.shape[0], 1))
    full[:, : perms.shape[1]] = perms
    w = n ** np.arange(n - 1, -1, -1, dtype=np.int64)
    keys = img @ w
    order = np.argsort(keys)
    return order[np.searchsorted(keys[order], full @ w)].astype(np.int64)


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
        total += P * op.nnz * (1 if op.real and not cplx else 2 if op.real or not cplx else 4)
        cplx = cplx or not op.real
    cplx = cplx or any(U is not None and np.iscomplexobj(U) for pair in rotations for U in pair)
    for d, pair in zip(dims, rotations):
        for U in pair:
            if U is not None:
                total += d**3 * (4 if np.iscomplexobj(U) else 2 if cplx else 1)
    return int(total)


def chain_plan(G: FiniteGroup, A: AdaptedIrreps, fold: bool | None = None) -> ChainPlan:
    """The chain FFT plan for the adapted irreps ``A`` of ``G`` (see the module docstring);
    ``fold``: fold the left rotations into the top level (``None``: when that is cheaper).

    Raises
    ------
    VerificationError
        If the products ``t_m ... t_1`` are not all the elements of ``G``.

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.reps import adapted_irreps
    >>> G = gt.alternating(5)
    >>> P = chain_plan(G, adapted_irreps(G))
    >>> P.chain_orders, P.madds < G.order ** 2
    ((60, 12, 4, 2, 1), True)
    """
    levels = A.levels
    m = len(levels) - 1
    n = G.order
    sizes = [levels[i].order // levels[i - 1].order for i in range(1, m + 1)] + [1]
    elems = np.zeros(1, np.int64)
    ops = []
    for i in range(1, m + 1):
        lvl, below = levels[i], levels[i - 1]
        if A.young:
            T = _elements_of(G, _cycles(i + 1))
        else:
            T = _transversal(G, lvl.elements, below.elements)
        elems = G.multiply(T[:, None], elems[None, :]).ravel()  # (t_i, ..., t_1), t_i outermost
        if i == m:
            break
        if A.young:
            ops.append((n // lvl.order, _young_steps(i + 1, m + 1)))
        else:
            mats = [lvl.evaluate(q, T) for q in range(len(lvl.dims))]
            blocks = level_blocks(lvl.dims, below.dims, lvl.branching, mats)
            ops.append((n // lvl.order, _choose(lvl.dims, below.dims, blocks, sizes[i], n // lvl.order)))
    if not np.array_equal(np.bincount(elems, minlength=n), np.ones(n, np.int64)):
        raise VerificationError("the coset representatives do not factor the group")
    perm = elems.reshape(sizes[:m][::-1]).transpose(tuple(range(m - 1, -1, -1))).ravel()
    bases = _bases(G, A)
    top, below = levels[m], levels[m - 1]
    if A.young:
        def blocks_of(left: list | None) -> list:
            return _young_blocks(m + 1, top.labels, below.labels, left)[2]
    else:
        mats = [top.evaluate(q, T) for q in range(len(top.dims))]

        def blocks_of(left: list | None) -> list:
            return level_blocks(top.dims, below.dims, top.branching, mats, left)
    run, adapted_top, rotations, top_madds, top_adapted = _top(top.dims, below.dims, blocks_of, bases, fold)
    real = all(op.real for _, op in ops) and adapted_top.real
    ops.append((1, run))
    below_madds = sum(P * op.nnz for P, op in ops[:-1])
    dims = degrees(G)
    return ChainPlan(n, dims, perm, tuple(ops), real, rotations, adapted_top, tuple(int(H.order) for H in A.chain),
                     below_madds + top_madds, below_madds + top_adapted, real_madds(ops, dims, rotations))


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
    return _scaled(P.real_madds, P.calls)


def plan(G: FiniteGroup) -> ChainPlan:
    """The plan along the default chain, kept in ``G.memo("fourier.chain")``.

    Examples
    --------
    >>> import grouptools as gt
    >>> plan(gt.symmetric(4)).chain_orders
    (24, 6, 2, 1)
    """
    return memo(G, "chain", lambda: chain_plan(G, adapted_irreps(G)))


def _blas_limit() -> Any:
    """Single-threaded BLAS for the many small products of the levels and rotations: multithreaded
    OpenBLAS on matrices of a few dozen rows is slower, and pathologically so (50x measured) on
    a loaded machine."""
    if not _CONTROLLER:  # one controller per process: building one scans the loaded libraries
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - optional
            return nullcontext()
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1, user_api="blas")


_CONTROLLER: list = []


def _rotate(p: ChainPlan, Y: np.ndarray, inverse: bool) -> np.ndarray:
    """The blocks in the layout of the top level (``(|G|, width)``, each block transposed: row
    ``(r, j, a)`` holds entry ``(a, j)``) rotated to the bases of ``G.irreps()``: ``U_r X U_r^H``
    as ``conj(U_r) (U_r X)^T`` on the stored transpose (the left factor only where it is not
    folded into the top level); ``inverse``: the adjoint steps, back. Returns a new array.

    Examples
    --------
    >>> import grouptools as gt
    >>> P = plan(gt.symmetric(3))
    >>> rng = np.random.default_rng(0)
    >>> Y = rng.normal(size=(6, 4))
    >>> Z = _rotate(P, Y, False)
    >>> U = P.rotations[2][1].conj()                        # U for the irrep of degree 2, rows 2..5
    >>> X = np.moveaxis(Y[2:].reshape(2, 2, 4), -1, 0)       # the stored transposes X^T
    >>> L = U if P.rotations[2][0] is not None else np.eye(2)
    >>> got = np.moveaxis(Z[2:].reshape(2, 2, 4), -1, 0)
    >>> bool(np.allclose(got, np.swapaxes(L @ np.swapaxes(X, 1, 2) @ U.conj().T, 1, 2)))
    True
    >>> bool(np.allclose(_rotate(P, Z, True), Y))
    True
    """
    complex_u = any(U is not None and np.iscomplexobj(U) for pair in p.rotations for U in pair)
    out = Y.astype(np.complex128) if complex_u else Y.copy()  # the degree 1 blocks as they are
    for o, d, k, left, right in p.rotation_runs:  # k consecutive irreps of degree d: one product each
        x, y = Y[o : o + k * d * d], out[o : o + k * d * d]
        real_u = not np.iscomplexobj(right) and (left is None or not np.iscomplexobj(left))
        if real_u and np.iscomplexobj(x):  # a real U on complex blocks: real BLAS on the float views
            x, y = x.view(np.float64), y.view(np.float64)
        elif real_u and np.iscomplexobj(y):  # ... on real blocks of a complex output: its real part
            y = y.real
        w = x.shape[1]
        if not inverse:
            if left is not None:  # (U X)^T = X^T U^T: per column j of X, U on the rows a
                x = np.matmul(left[:, None], x.reshape(k, d, d, w))
            if y.flags.c_contiguous and y.dtype == np.result_type(right, x):  # in place
                np.matmul(right, x.reshape(k, d, d * w), out=y.reshape(k, d, d * w))
                continue
            z = np.matmul(right, x.reshape(k, d, d * w))
        else:
            z = np.matmul(np.conj(np.swapaxes(right, 1, 2)), x.reshape(k, d, d * w))
            if left is not None:
                z = np.matmul(np.conj(np.swapaxes(left, 1, 2))[:, None], z.reshape(k, d, d, w))
        y[...] = z.reshape(k * d * d, w)
    return out


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
    tr = p.transpose
    with _blas_limit():
        if inverse:
            batch = data.batch_shape
            rows = np.repeat(np.asarray(p.dims, float), [d * d for d in p.dims])
            flat = data.flatten().reshape(-1, n) * (rows / n)
            Z = flat.T[tr]  # (|G|, batch), each block transposed
            if rotate:
                Z = _rotate(p, Z, True)
            X = _levels(p, Z, top, True)
            f = np.empty((X.shape[1], n), X.dtype)
            f[:, p.perm] = X.T
            f = f.reshape(batch + (n,))
            return np.ascontiguousarray(f.real) if real else f.astype(np.complex128, copy=False)
        x = np.asarray(data).reshape(-1, n)
        if x.dtype not in (np.float64, np.complex128):
            x = x.astype(np.complex128 if np.iscomplexobj(x) else np.float64)
        X = x.T[p.perm]  # (|G|, batch) in the rows of the first level
        Y = _levels(p, X, top, False)
        if rotate:
            Y = _rotate(p, Y, False)
    y = Y.T[:, tr]
    y = y if y.dtype == np.complex128 else y.astype(np.complex128)
    return FourierBlocks.from_flat(p.dims, y.reshape(data.shape[:-1] + (n,)), copy=False)
