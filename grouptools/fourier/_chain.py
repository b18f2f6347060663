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
I*, J. AMS 1997). Writing ``g = t_m t_{m-1} ... t_1`` (``t_i in T_i``) the function is read once
in that order, and level ``i`` maps, for each of the ``|G|/|G_i|`` prefixes ``t_m ... t_{i+1}``,
the ``|T_i|`` transforms on ``G_{i-1}`` to the transform on ``G_i``: a sparse matrix (the
entries of ``rho(t)`` times the block structure, exact zeros dropped), the same for every prefix,
applied by one numba kernel (:mod:`grouptools._kernels.chain`). Memory: ``O(|G| batch)``.

**Symmetric groups** take Young's orthogonal form (real) and the left transversal
``t_j = s_j s_{j+1} ... s_{k-1}`` (``j = 1..k``) of ``S_{k-1}`` in ``S_k`` (the cycles of Clausen's
FFT for ``S_n``; Clausen, *Fast Fourier transforms for metabelian groups*, SIAM J. Comput. 1989,
and Maslen, *The efficient computation of Fourier transforms on the symmetric group*, Math. Comp.
1998, who proves at most ``(3/4) n(n-1) |S_n|`` operations by factoring the ``rho(t_j)`` further
into the sparse ``rho(s_i)``; here each level is the one sparse matrix of the entries of the
``rho(t_j)``, all of it in real arithmetic). Complex levels of other groups that are not sparse
run as dense products, one per irrep of ``G_{i-1}`` (:class:`DenseLevel`, BLAS; the levels are
in :mod:`._chain_levels`).

The blocks come out in the adapted bases; block ``r`` is then rotated to the basis of
``G.irreps()``, ``U_r X U_r^H`` (:meth:`AdaptedIrreps.basis`), ``2 d^3`` multiply-adds per
irrep of degree ``d > 1`` (real BLAS when ``U_r`` is real). :attr:`ChainPlan.madds` counts every
multiply-add per function: the entries of the sparse matrices times the prefixes they are
applied to (in the plan's arithmetic: real for ``S_n``), plus the rotations.
``execute(..., basis="adapted")`` returns the blocks in the adapted bases without the rotations
(:attr:`ChainPlan.adapted_madds`). The inverse is the adjoint of the same steps, the same count.
For ``method="auto"`` the count is scaled by the measured cost of a multiply-add against one
operation of the dense product (:data:`CHAIN_MADD_DENSE_OPS`).
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import GroupToolsError, VerificationError
from .._kernels._function import choose_plain
from .._kernels.chain import csr_apply
from .._kernels.convolution import threads_for
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
from ._chain_levels import ZERO_TOL, DenseLevel, Sparse, level_ops
from ._dense import DENSE_SPEEDUP
from ._support import degrees, memo

if TYPE_CHECKING:
    from ..groups import FiniteGroup

__all__ = [
    "CHAIN_AUTO_MAX_ORDER",
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
    "young_madds",
]

#: ``method="auto"`` considers the chain of a group other than a symmetric group only up to this
#: order (building its numeric adapted irreps takes minutes beyond); ``method="chain"`` has no limit.
CHAIN_AUTO_MAX_ORDER = 1 << 13
#: ``method="auto"`` considers the chain only for groups of at least this order (below it one
#: BLAS product with the dense Fourier matrix is cheaper than any chain of kernel calls).
CHAIN_MIN_ORDER = 256
#: Time of one multiply-add of the chain FFT in units of one operation of the dense product
#: (BLAS), measured interleaved in one run on an idle machine, batch 100 (``benchmarks/
#: bench_chain_fft.py --calibrate``, 2026-12-03: A6 10.2, S6 7.4, PSL(2,11) 9.2, PSL(2,13) 6.6, a
#: 2-group of order 512 25.6): :func:`cost` is ``madds * CHAIN_MADD_DENSE_OPS / DENSE_SPEEDUP``,
#: in the units of the dense method's ``|G|^2 / DENSE_SPEEDUP``. 8 makes the faster choice for
#: four of the five (all but the 2-group, where the chain is 1.15x slower than dense).
CHAIN_MADD_DENSE_OPS = 8.0
#: A complex level runs as dense products (:class:`DenseLevel`, BLAS) unless that takes more than
#: this many times the multiply-adds of the sparse kernel (BLAS runs several times faster per
#: multiply-add than the gathers of the sparse kernel).
BLAS_SPEEDUP = 4
#: ... and its products (one per input irrep) average at least this many multiply-adds per prefix (many tiny products
#: cost more in Python overhead than the sparse kernel).
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
        ``perm[q]`` is the element ``t_m ... t_1`` at flat position ``q`` of the chain order.
    levels : tuple of (int, Sparse or DenseLevel)
        Per level, the number of prefixes and the map applied to each (sparse kernel, or dense
        products for complex levels that are not sparse).
    real : bool
        Whether all sparse matrices are real (then real input is transformed in real arithmetic).
    bases : tuple of (ndarray or None)
        Per irrep, ``U_r`` (float64 when real, else complex128; ``None`` for degree 1, where the
        rotation is the identity).
    chain_orders : tuple of int
        ``|G_m|, ..., |G_0|``.
    madds : int
        Multiply-adds per function (forward or inverse): sparse entries times prefixes, plus
        ``2 d^3`` per irrep of degree ``d > 1`` for the rotations to ``G.irreps()``.
    rotation_madds : int
        The part of ``madds`` spent on the rotations.
    """

    order: int
    dims: tuple[int, ...]
    perm: np.ndarray
    levels: tuple
    real: bool
    bases: tuple
    chain_orders: tuple[int, ...]
    madds: int
    rotation_madds: int

    @property
    def adapted_madds(self) -> int:
        """Multiply-adds per function of the transform in the adapted bases
        (``execute(..., basis="adapted")``): :attr:`madds` without the rotations."""
        return self.madds - self.rotation_madds


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


def _young_level(k: int, labels: tuple, below: tuple) -> list:
    """The level ``S_{k-1} -> S_k`` of Young's form over the transversal :func:`_cycles`."""
    where = {lam: i for i, lam in enumerate(below)}
    branching = tuple(tuple(where[_minus(lam, i)] for i in removable_corners(lam)) for lam in labels)
    T = _cycles(k)
    mats = [young_matrices(lam, T) for lam in labels]
    M, _ = level_ops(tuple(young_sparse(l).dim for l in labels), tuple(young_sparse(l).dim for l in below),
                      branching, mats)
    return M


def _minus(lam: tuple[int, ...], i: int) -> tuple[int, ...]:
    out = list(lam)
    out[i] -= 1
    return tuple(x for x in out if x)


def young_madds(n: int) -> int:
    """Multiply-adds per function of the chain FFT of ``S_n`` (real arithmetic), from the
    partitions alone, including the rotations to ``G.irreps()`` (``2 d^3`` per irrep of degree > 1).

    Examples
    --------
    >>> young_madds(5) < 120 ** 2                     # the dense product
    True
    >>> young_madds(7) < 4 * 0.75 * 7 * 6 * 5040     # within 4x of Maslen's bound
    True
    """
    total = 0
    for k in range(2, n + 1):
        total += math.factorial(n) // math.factorial(k) * _young_steps(k).nnz
    return total + sum(2 * young_sparse(lam).dim ** 3 for lam in partitions(n) if young_sparse(lam).dim > 1)


def _young_steps(k: int) -> Sparse:
    if k not in _YOUNG_CACHE:
        _YOUNG_CACHE[k] = _young_level(k, partitions(k), partitions(k - 1))
    return _YOUNG_CACHE[k]


_YOUNG_CACHE: dict[int, Sparse] = {}


def _transversal(G: FiniteGroup, big: np.ndarray, small: np.ndarray) -> np.ndarray:
    """Left coset representatives of ``small`` in ``big`` (element indices in ``G``), the
    identity first."""
    inside = np.zeros(G.order, bool)
    inside[small] = True
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


def chain_plan(G: FiniteGroup, A: AdaptedIrreps) -> ChainPlan:
    """The chain FFT plan for the adapted irreps ``A`` of ``G`` (see the module docstring).

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
    elems = np.zeros(1, np.int64)
    ops = []
    real = True
    n = G.order
    for i in range(1, len(levels)):
        lvl, below = levels[i], levels[i - 1]
        if A.young:
            k = i + 1
            op = _young_steps(k) if k < len(levels) else _young_level(k, lvl.labels, below.labels)
            T = _elements_of(G, _cycles(k))
        else:
            T = _transversal(G, lvl.elements, below.elements)
            mats = [lvl.evaluate(q, T) for q in range(len(lvl.dims))]
            op, r = level_ops(lvl.dims, below.dims, lvl.branching, mats)
            real = real and r
            dense = DenseLevel.build(lvl.dims, below.dims, lvl.branching, mats)
            if not r and dense.nnz <= BLAS_SPEEDUP * op.nnz and dense.nnz >= MIN_PRODUCT * len(dense.groups):
                op = dense
        elems = G.multiply(T[:, None], elems[None, :]).ravel()
        ops.append((n // lvl.order, op))
    if not np.array_equal(np.bincount(elems, minlength=n), np.ones(n, np.int64)):
        raise VerificationError("the coset representatives do not factor the group")
    dims = degrees(G)
    bases = []
    for r, d in enumerate(dims):  # degree 1: U X U^H = X for a unitary 1 x 1 U
        U = None if d == 1 else np.asarray(A.basis(r), np.complex128)
        if U is not None and np.abs(U.imag).max() <= ZERO_TOL:  # real bases: real BLAS for the rotations
            U = np.ascontiguousarray(U.real)
        bases.append(U)
    rot = sum(2 * d**3 for d in dims if d > 1)
    madds = sum(P * op.nnz for P, op in ops) + rot
    return ChainPlan(n, dims, elems, tuple(ops), real, tuple(bases), tuple(int(H.order) for H in A.chain), madds, rot)


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
    level reads each of the ``|G|`` entries once per coset, and the indices along any chain sum to
    at least the sum of the prime factors of ``|G|`` (with multiplicity); exact for ``S_n``.
    ``inf`` below :data:`CHAIN_MIN_ORDER` and, except for symmetric groups, above
    :data:`CHAIN_AUTO_MAX_ORDER` (the numeric adapted irreps take minutes there)."""
    n = G.order
    if n < CHAIN_MIN_ORDER:
        return math.inf
    if symmetric_degree(G) is not None:
        return _scaled(young_madds(symmetric_degree(G)))
    if n > CHAIN_AUTO_MAX_ORDER:
        return math.inf
    s, m, p = 0, n, 2
    while p * p <= m:
        while m % p == 0:
            s, m = s + p, m // p
        p += 1
    return _scaled(n * (s + (m if m > 1 else 0)))


def _scaled(madds: int) -> float:
    """Multiply-adds in the registry's units (those of the dense ``|G|^2 / DENSE_SPEEDUP``)."""
    return float(madds) * CHAIN_MADD_DENSE_OPS / DENSE_SPEEDUP


def cost(G: FiniteGroup) -> float:
    """The multiply-adds per function of the plan (:attr:`ChainPlan.madds`) times
    :data:`CHAIN_MADD_DENSE_OPS` ``/ DENSE_SPEEDUP`` (the measured speed against the dense
    product), from the partitions
    for symmetric groups; other groups build the plan (adapted irreps along the default chain)
    the first time (:func:`grouptools.fourier.choose_method` asks only when :func:`lower_bound`
    beats the other methods). ``inf`` below :data:`CHAIN_MIN_ORDER` and when the plan cannot be
    built (a limit, a failed check)."""
    if G.order < CHAIN_MIN_ORDER:
        return math.inf
    n = symmetric_degree(G)
    if n is not None:
        return _scaled(young_madds(n))
    try:
        return _scaled(plan(G).madds)
    except GroupToolsError:  # no plan (a limit or a failed check): never chosen automatically
        return math.inf


def plan(G: FiniteGroup) -> ChainPlan:
    """The plan along the default chain, kept in ``G.memo("fourier.chain")``.

    Examples
    --------
    >>> import grouptools as gt
    >>> plan(gt.symmetric(4)).chain_orders
    (24, 6, 2, 1)
    """
    return memo(G, "chain", lambda: chain_plan(G, adapted_irreps(G)))


def _run(M: Sparse, src: np.ndarray, dst: np.ndarray, acc: int) -> None:
    work = src.shape[0] * M.nnz * src.shape[2]
    if choose_plain(work):
        csr_apply.py(M.indptr, M.indices, M.values, src, dst, acc)
        return
    with threads_for(work):
        csr_apply(M.indptr, M.indices, M.values, src, dst, acc)


def _blas_limit(p: ChainPlan, force: bool = False) -> Any:
    """Single-threaded BLAS for the many small products of :class:`DenseLevel`: multithreaded
    OpenBLAS on matrices of a few dozen rows is slower, and pathologically so (50x measured) on
    a loaded machine (``force``: also for the plans without dense levels, for the rotations)."""
    if not force and not any(isinstance(op, DenseLevel) for _, op in p.levels):
        return nullcontext()
    if not _CONTROLLER:  # one controller per process: building one scans the loaded libraries
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - optional
            return nullcontext()
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1, user_api="blas")


_CONTROLLER: list = []


def _forward(p: ChainPlan, X: np.ndarray) -> np.ndarray:
    """``X`` (|G|, width) in chain order -> the adapted blocks (|G|, width), level by level."""
    with _blas_limit(p):
        return _forward_levels(p, X)


def _adjoint(p: ChainPlan, Y: np.ndarray) -> np.ndarray:
    """The adjoint of :func:`_forward`: adapted blocks -> chain order."""
    with _blas_limit(p):
        return _adjoint_levels(p, Y)


def _forward_levels(p: ChainPlan, X: np.ndarray) -> np.ndarray:
    for P, op in p.levels:
        Xv = X.reshape(P, -1, X.shape[-1])
        if isinstance(op, DenseLevel):
            Y = op.forward(Xv)
        else:
            Y = np.empty((P, op.shape[0], X.shape[-1]), X.dtype)
            _run(op, Xv, Y, 0)
        X = Y.reshape(p.order, -1)
    return X


def _adjoint_levels(p: ChainPlan, Y: np.ndarray) -> np.ndarray:
    for P, op in reversed(p.levels):
        Yv = Y.reshape(P, -1, Y.shape[-1])
        if isinstance(op, DenseLevel):
            X = op.adjoint(Yv)
        else:
            X = np.empty((P, op.shape[1], Y.shape[-1]), Y.dtype)
            _run(op.adjoint, Yv, X, 0)
        Y = X.reshape(p.order, -1)
    return Y


def _columns(p: ChainPlan, x: np.ndarray) -> tuple[np.ndarray, bool]:
    """``x`` (B, |G|) as the working array (|G|, width): real (interleaved for complex input)
    when the plan is real, else complex."""
    xt = np.ascontiguousarray(x.T)
    if not p.real:
        return xt.astype(np.complex128, copy=False), True
    if np.iscomplexobj(xt):
        return xt.view(np.float64), True
    return xt, False


def _rotate(p: ChainPlan, Y: np.ndarray, cplx: bool, inverse: bool) -> np.ndarray:
    """The blocks in the working layout ``Y`` (``(|G|, width)``: flat block entries by batch;
    interleaved real and imaginary parts when ``cplx`` and the plan is real) rotated to the bases
    of ``G.irreps()``, ``U_r X_r U_r^H`` (``inverse``: back, ``U_r^H X_r U_r``), as a complex
    ``(|G|, batch)`` array: per irrep two products ``(d, d) @ (d, d batch)`` (real BLAS when ``U_r``
    is real).

    Examples
    --------
    >>> import grouptools as gt
    >>> P = plan(gt.symmetric(3))
    >>> rng = np.random.default_rng(0)
    >>> Y = rng.normal(size=(6, 4))
    >>> Z = _rotate(P, Y, False, False)
    >>> U = P.bases[2]                                        # the irrep of degree 2, at rows 2..5
    >>> X = np.moveaxis(Y[2:].reshape(2, 2, 4), -1, 0)
    >>> bool(np.allclose(np.moveaxis(Z[2:].reshape(2, 2, 4), -1, 0), U @ X @ U.conj().T))
    True
    >>> bool(np.allclose(_rotate(P, Z, False, True), Y))
    True
    """
    # both products act from the left on arrays with the batch last, so a real U acts on the
    # float view of complex blocks (real and imaginary parts interleaved along the batch)
    inter = np.iscomplexobj(Y) or (cplx and p.real)
    Yf = Y.view(np.float64) if np.iscomplexobj(Y) else Y
    Yc = Yf.view(np.complex128) if inter else Yf
    out = Yc.astype(np.complex128)  # a copy: the degree 1 blocks as they are
    W = out.shape[1]
    o = 0
    for d, U in zip(p.dims, p.bases):
        if U is not None:
            V = np.conj(U.T) if inverse else U
            src = (Yf if np.isrealobj(V) else Yc)[o : o + d * d]
            w = src.shape[1]
            A = (V @ src.reshape(d, d * w)).reshape(d, d, w)  # (U X)[a, c, batch]
            B = np.conj(V) @ A.transpose(1, 0, 2).reshape(d, d * w)  # (U X U^H)[a, c'] at [c', a]
            Z = B.reshape(d, d, w).transpose(1, 0, 2).reshape(d * d, w)
            out[o : o + d * d] = Z.view(np.complex128) if (inter and Z.dtype == np.float64) else Z
        o += d * d
    return out.reshape(-1, W)


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
    n = p.order
    if inverse:
        batch = data.batch_shape
        rows = np.repeat(np.asarray(p.dims, float), [d * d for d in p.dims])
        z = np.ascontiguousarray((data.flatten().reshape(-1, n) * (rows / n)).T)  # (|G|, batch)
        if rotate:
            with _blas_limit(p, force=True):
                z = _rotate(p, z, False, True)
        Z, cplx = (z.view(np.float64), True) if p.real else (z, True)
        W = _adjoint(p, Z)
        w = (W.view(np.complex128) if cplx and p.real else W).T
        f = np.empty((w.shape[0], n), w.dtype)
        f[:, p.perm] = w
        f = f.reshape(batch + (n,))
        return np.ascontiguousarray(f.real) if real else f.astype(np.complex128, copy=False)
    x = data.reshape(-1, n)[:, p.perm]
    X, cplx = _columns(p, x)
    Y = _forward(p, X)
    if rotate:
        with _blas_limit(p, force=True):
            y = _rotate(p, Y, cplx, False).T
    else:
        y = (Y.view(np.complex128) if cplx and p.real else Y).T.astype(np.complex128)
    return FourierBlocks.from_flat(p.dims, y.reshape(data.shape[:-1] + (n,)), copy=False)
