"""Fast Fourier transform of solvable groups along a composition series (Clausen-Baum).

For the chain ``1 = G_0 < ... < G_n = G`` of :mod:`._solvable_irreps` (prime indices ``p_i``,
through an abelian normal subgroup) and irreps adapted to it, a function on a coset
``G_i t`` is a function on ``G_(i-1) g_i^e t`` for ``e < p_i``, and for an irrep ``rho`` of ``G_i``
restricting to ``sigma_1 + ... + sigma_r`` on ``G_(i-1)``

    f_hat(rho) = sum_e [ sigma_1-hat(f_e) + ... + sigma_r-hat(f_e) ] rho(g_i)^e,

a sparse linear map from the ``p_i`` spectra of ``G_(i-1)`` to the spectrum of ``G_i``, the same
for every coset. Applying the levels ``i = 1..n`` to all cosets is the FFT of Beth (1984) and
Clausen and Baum (*Fast Fourier Transforms*, 1993, ch. 8; U. Baum, "Existence and efficient
construction of fast Fourier transforms on supersolvable groups", Comput. Complexity 1, 1991):
``O(|G| log |G|)`` operations when the ``rho(g_i)`` are sparse (monomial, as for supersolvable
groups when ``A`` separates the diagonal; dense blocks otherwise). The levels run in one numba
kernel (:func:`grouptools._kernels.levels.apply_levels`), per function in cache.

The adapted bases are not those of ``G.irreps()``: each irrep of ``G.irreps()`` is matched to an
adapted one (its row of ``G.character_table()`` against the adapted traces at the class
representatives) and the unitary intertwiner ``U`` with ``rho(g) U = U rho_adapted(g)`` is solved
for on the generators (checked on random elements). The rotation ``f_hat(rho) = U f_hat_adapted U^H``
is two more sparse levels (left and right multiplication; a monomial ``U`` is a relabelling with
phases) and, with the result laid out as :class:`FourierBlocks` stores it, part of the same
kernel call. Consecutive levels are multiplied into one where that adds no entries (fewer passes
over the data, e.g. two radix-2 steps into one radix-4 step). The inverse applies the adjoint
levels in reverse order (``f = (1/|G|) F^H D f_hat``, ``D`` the degrees; the irreps are unitary).

``madds`` counts the complex multiply-adds per function (coefficients ``+1``/``-1`` included):
the entries of each level times the number of cosets it is applied to, rotations included. For
the 2-groups of ``benchmarks/bench_chain_fft.py`` it is about ``2 |G| log2 |G|``.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import GroupTooLargeError, InvalidGroupError, VerificationError
from .._kernels import levels as kernels
from .._kernels.convolution import threads_for
from ._blocks import FourierBlocks
from ._solvable_irreps import AdaptedIrrep, Chain, adapted_irreps, build_chain, evaluate, intertwiner
from ._support import degree_groups, degrees, group_irreps, irrep_at, memo

if TYPE_CHECKING:
    from ..groups import FiniteGroup

__all__ = ["MAX_ORDER", "MIN_ORDER", "SolvablePlan", "applies", "chain", "cost", "execute", "plan"]

#: Largest group handled (plan memory and build time grow with ``|G|``).
MAX_ORDER = 1 << 16
#: ``method="auto"`` uses the route from this order on: below it the plan (adapted irreps and
#: intertwiners) costs more than it saves against the dense product.
MIN_ORDER = 256
#: Entries below this (absolute; the matrices are unitary) are structural zeros.
SPARSE_TOL = 1e-12
#: Consecutive levels are multiplied into one when that adds at most this factor of entries.
MERGE_FILL = 1.0


def chain(G: FiniteGroup) -> Chain | None:
    """The composition series (kept in ``G.memo("fourier.solvable.chain")``), ``None`` if ``G`` is
    not solvable or larger than :data:`MAX_ORDER`.

    Examples
    --------
    >>> import grouptools as gt
    >>> chain(gt.dihedral(4)).primes.tolist()
    [2, 2, 2]
    """

    def build() -> Chain | None:
        if G.order < 2 or G.order > MAX_ORDER:
            return None
        return build_chain(G, max_order=MAX_ORDER)

    return memo(G, "solvable.chain", build)


def applies(G: FiniteGroup) -> bool:
    """Whether ``G`` is solvable, nontrivial and of order at most :data:`MAX_ORDER`."""
    return chain(G) is not None


def cost(G: FiniteGroup) -> float:
    """``|G| sum_i p_i`` operations per function (a lower bound of the levels' count: every entry
    of level ``i`` reads ``p_i`` spectra); ``inf`` (never chosen by ``method="auto"``) for groups
    with a ``structure`` (their own routes apply), below :data:`MIN_ORDER` or where the route does
    not apply.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.from_permutations([[1, 0, 2, 3, 4, 5, 6, 7], [2, 3, 0, 1, 4, 5, 6, 7], [4, 5, 6, 7, 0, 1, 2, 3]])
    >>> cost(G), cost(gt.dihedral(200))      # below MIN_ORDER; a structured group
    (inf, inf)
    """
    if G.structure is not None or G.order < MIN_ORDER:
        return math.inf
    ch = chain(G)
    if ch is None:
        return math.inf
    return float(G.order * int(ch.primes.sum()))


@dataclass(frozen=True)
class SolvablePlan:
    """The chain, the degrees of ``G.irreps()``, the levels forward and adjoint (the arguments of
    :func:`grouptools._kernels.levels.apply_levels`) and the multiply-add count per function."""

    chain: Chain
    dims: tuple[int, ...]
    forward: tuple[np.ndarray, ...]
    adjoint: tuple[np.ndarray, ...]
    madds: int

    @property
    def chain_orders(self) -> tuple[int, ...]:
        """``|G_i|`` along the chain."""
        return tuple(int(v) for v in self.chain.orders)


def _level_csr(prev: list[AdaptedIrrep], new: list[AdaptedIrrep], p: int) -> tuple[np.ndarray, ...]:
    """Rows, columns and values of one level: output entry ``(rho, u, v)`` at
    ``off(rho) + u d + v``, input ``e |G_(i-1)| + off(sigma) + u' d_sigma + w``."""
    offp = np.concatenate([[0], np.cumsum([s.dim ** 2 for s in prev])]).astype(np.int64)
    nprev = int(offp[-1])
    rows, cols, vals = [], [], []
    off = 0
    for rho in new:
        d = rho.dim
        R = rho.gm[-1]
        Re = np.eye(d, dtype=np.complex128)
        for e in range(p):
            for k, s in rho.blocks:
                ds = prev[k].dim
                sub = Re[s : s + ds, :]
                wi, v = np.nonzero(np.abs(sub) > SPARSE_TOL)
                u = np.arange(ds)[:, None]
                rows.append((off + (s + u) * d + v[None, :]).ravel())
                cols.append((e * nprev + offp[k] + u * ds + wi[None, :]).ravel())
                vals.append(np.broadcast_to(sub[wi, v][None, :], (ds, wi.size)).ravel())
            Re = Re @ R
        off += d * d
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals).astype(np.complex128)


def _sparse(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, k: int) -> Any:
    import scipy.sparse as sps  # lazily: keeps `import grouptools` light

    m = sps.csr_matrix((vals, (rows, cols)), shape=(k, k))
    m.sum_duplicates()
    return m


def _merge(levels: list[tuple[Any, int]], fill: float) -> list[tuple[Any, int]]:
    """Multiply consecutive levels into one while that does not add entries beyond ``fill`` times
    the two (fewer passes over the data for the same work; e.g. two radix-2 steps into radix 4)."""
    import scipy.sparse as sps

    out = [levels[0]]
    for m, k in levels[1:]:
        prev, kp = out[-1]
        big = sps.kron(sps.identity(k // kp, dtype=np.complex128, format="csr"), prev, format="csr")
        prod = (m @ big).tocsr()
        prod.data[np.abs(prod.data) < SPARSE_TOL] = 0
        prod.eliminate_zeros()
        if prod.nnz <= fill * (m.nnz + big.nnz):
            out[-1] = (prod, k)
        else:
            out.append((m, k))
    return out


def _segmented(levels: list[tuple[Any, int]]) -> tuple[np.ndarray, ...]:
    """The levels for :func:`grouptools._kernels.levels.apply_levels`: per row, the entries with
    coefficient ``+1``, then ``-1``, then the others; absolute offsets; ``level_start``, ``block``."""
    segs, idx, vals, starts, blocks = [], [], [], [], []
    base_e = base_q = 0
    for m, k in levels:
        m = m.tocoo()
        kind = np.where(np.abs(m.data - 1) < 1e-14, 0, np.where(np.abs(m.data + 1) < 1e-14, 1, 2))
        order = np.lexsort((m.col, kind, m.row))
        rows, kind = m.row[order], kind[order]
        counts = np.bincount(rows * 3 + kind, minlength=3 * k)
        segs.append(base_e + np.concatenate([[0], np.cumsum(counts)[:-1]]))
        idx.append(m.col[order].astype(np.int64))
        vals.append(m.data[order].astype(np.complex128))
        starts.append(base_q)
        blocks.append(k)
        base_e += m.nnz
        base_q += 3 * k
    segs.append(np.array([base_e]))
    return (np.concatenate(segs).astype(np.int64), np.concatenate(idx), np.ascontiguousarray(np.concatenate(vals)),
            np.asarray(starts, np.int64), np.asarray(blocks, np.int64))


def _match(G: FiniteGroup, ch: Chain, top: list[AdaptedIrrep], rng: np.random.Generator) -> list[tuple[int, np.ndarray]]:
    """For each irrep of ``G.irreps()``: the adapted irrep it is equivalent to and the unitary
    ``U`` with ``U rho_adapted(g) = rho(g) U`` (solved on the generators, checked on probes).

    Candidates have the character of the irrep's row of ``G.character_table()`` at the class
    representatives (one solve per irrep), then, if that fails, the traces at the probes."""
    irr = group_irreps(G)
    n, L = G.order, ch.gens.size
    probes = np.concatenate([np.asarray(G.generators, np.int64), rng.integers(0, n, 16)])
    ng = len(G.generators)
    ad_vals = [evaluate(r, ch.digits(probes, L)) for r in top]
    ad_fp = np.stack([np.trace(v, axis1=1, axis2=2) for v in ad_vals])
    ad_dims = np.array([r.dim for r in top])
    table = np.asarray(G.character_table().values, np.complex128)
    reps = np.array([int(c.representative) for c in G.conjugacy_classes()], np.int64)
    rep_dig = ch.digits(reps, L)
    ad_chars = np.stack([np.trace(evaluate(r, rep_dig), axis1=1, axis2=2) for r in top])

    def key(chars: np.ndarray) -> bytes:
        return np.rint(np.stack([chars.real, chars.imag]) * 1e5).astype(np.int64).tobytes()

    by_char: dict[bytes, list[int]] = {}
    for q, c in enumerate(ad_chars):
        by_char.setdefault(key(c), []).append(q)
    used = np.zeros(len(top), bool)
    out = []
    for r, rho in enumerate(irr):
        gv = irrep_at(rho, probes, G)
        fp = np.trace(gv, axis1=1, axis2=2)
        same = (ad_dims == gv.shape[-1]) & ~used
        by_table = [q for q in by_char.get(key(table[r]), []) if same[q]]
        by_probes = same & (np.abs(ad_fp - fp[None]).max(axis=1) < 1e-6)
        by_probes[by_table] = False
        hit = None
        for q in by_table + np.flatnonzero(by_probes).tolist():
            U = intertwiner(list(ad_vals[q][:ng]), list(gv[:ng]), None)
            if U is not None and np.abs(U[None] @ ad_vals[q] - gv @ U[None]).max() < 1e-8:
                hit = (q, U)
                break
        if hit is None:
            raise VerificationError(f"irrep {r} of G.irreps() matches no adapted irrep")
        used[hit[0]] = True
        out.append(hit)
    return out


def plan(G: FiniteGroup) -> SolvablePlan:
    """The plan (kept in ``G.memo("fourier.solvable")``).

    Raises
    ------
    InvalidGroupError
        If ``G`` is not solvable (or trivial).
    GroupTooLargeError
        If ``G.order > MAX_ORDER``.

    Examples
    --------
    >>> import grouptools as gt
    >>> P = plan(gt.symmetric(4))
    >>> P.chain_orders, P.madds > 0
    ((1, 2, 4, 12, 24), True)
    """

    def build() -> SolvablePlan:
        with _single_threaded_blas():
            return _build(G)

    return memo(G, "solvable", build)


def _single_threaded_blas() -> Any:
    """Single-threaded BLAS while the plan is built: its many small eigenproblems and products
    run slower multithreaded, and pathologically so on a loaded machine."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _build(G: FiniteGroup) -> SolvablePlan:
    if G.order > MAX_ORDER:
        raise GroupTooLargeError(f"method='solvable' needs |G| <= {MAX_ORDER}, got {G.order}")
    ch = chain(G)
    if ch is None:
        raise InvalidGroupError("method='solvable' needs a nontrivial solvable group")
    levels = adapted_irreps(G, ch)
    n, orders = G.order, ch.orders
    parts = []
    for i in range(1, ch.gens.size + 1):
        parts.append(_level_csr(levels[i - 1], levels[i], int(ch.primes[i - 1])))
    dims = degrees(G)
    top = levels[-1]
    match = _match(G, ch, top, np.random.default_rng(7))
    # rotations to the bases of G.irreps(), in the order FourierBlocks stores the blocks:
    # left (final (r,u,v) <- sum_w U_uw X_q[w,v]) and right (<- sum_z X_r[u,z] conj(U_vz))
    offa = np.concatenate([[0], np.cumsum([r.dim ** 2 for r in top])]).astype(np.int64)
    lr, lc, lv, rr, rc, rv = [], [], [], [], [], []
    wfinal = np.empty(n)
    start = 0
    for d, idx in degree_groups(dims):
        for j, r in enumerate(idx.tolist()):
            q, U = match[r]
            base = start + j * d * d
            wfinal[base : base + d * d] = d
            uu, ww = np.nonzero(np.abs(U) > SPARSE_TOL)
            vv = np.arange(d)[None, :]
            lr.append((base + uu[:, None] * d + vv).ravel())
            lc.append((offa[q] + ww[:, None] * d + vv).ravel())
            lv.append(np.repeat(U[uu, ww], d))
            rr.append((base + vv.T * d + uu[None, :]).ravel())  # rows (u', v=uu), col (u', z=ww)
            rc.append((base + vv.T * d + ww[None, :]).ravel())
            rv.append(np.broadcast_to(np.conj(U[uu, ww])[None, :], (d, uu.size)).ravel())
        start += idx.size * d * d
    cat = np.concatenate
    levels = [(_sparse(r_, c_, v_, int(orders[i])), int(orders[i])) for i, (r_, c_, v_) in enumerate(parts, start=1)]
    levels.append((_sparse(cat(lr), cat(lc), cat(lv), n), n))
    levels.append((_sparse(cat(rr), cat(rc), cat(rv), n), n))
    levels = _merge(levels, MERGE_FILL)
    madds = sum(m.nnz * (n // k) for m, k in levels)
    adjoint = [(m.conj().T.tocsr(), k) for m, k in levels[::-1]]
    first = adjoint[0][0].tocoo()
    adjoint[0] = (_sparse(first.row, first.col, first.data * (wfinal[first.col] / n), n), n)
    return SolvablePlan(ch, dims, _segmented(levels), _segmented(adjoint), int(madds))


def execute(p: SolvablePlan, data: np.ndarray | FourierBlocks, *, inverse: bool, real: bool = False,
            python: bool = False) -> Any:
    """The transform along the chain in either direction (``1/|G|`` included in the inverse);
    ``python`` runs the kernel uncompiled.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import transform
    >>> G = gt.symmetric(4)
    >>> P = plan(G)
    >>> f = np.arange(24.0)
    >>> execute(P, f, inverse=False).allclose(transform(G, f, method="dense"))
    True
    >>> bool(np.allclose(execute(P, transform(G, f), inverse=True, real=True), f))
    True
    """
    ch = p.chain
    n = ch.elements.size
    ident = np.arange(n, dtype=np.int64)
    if inverse:
        batch = data.batch_shape
        flat = np.concatenate([a.reshape(-1, idx.size * a.shape[-1] ** 2) for idx, a in data.grouped()], axis=1)
        flat = np.ascontiguousarray(flat, dtype=np.complex128)
        gather, scatter, levels = ident, ch.elements, p.adjoint
    else:
        batch = data.shape[:-1]
        flat = np.ascontiguousarray(data.reshape(-1, n))
        gather, scatter, levels = ch.elements, ident, p.forward
    out = np.empty((flat.shape[0], n), np.complex128)
    work = 8 * flat.shape[0] * p.madds  # a complex multiply-add: eight real operations
    run = kernels.apply_levels.py if python else kernels.apply_levels
    with threads_for(work):
        run(flat, gather, *levels[:3], levels[3], levels[4], scatter, out, kernels.CACHE_ROWS)
    if inverse:
        res = out.real.copy() if real else out
        return res.reshape(batch + (n,))
    groups, start = [], 0
    for d, idx in degree_groups(p.dims):
        size = idx.size * d * d
        groups.append((idx, out[:, start : start + size].reshape(batch + (idx.size, d, d))))
        start += size
    return FourierBlocks.from_groups(p.dims, groups)
