"""Fast Fourier transform over an abelian normal subgroup with Clifford-theoretic assembly.

Let ``N`` be an abelian normal subgroup of ``G`` (a grid ``C_{n1} x ... x C_{nr}``) and ``T`` a
transversal, so every element is ``n t`` uniquely. For an irrep ``rho`` the commuting unitaries
``rho(n)`` are simultaneously diagonalized once, ``rho(n) = Z D(n) Z^H`` with
``D(n) = diag(chi_1(n), ..., chi_d(n))``: by Clifford's theorem (Clifford 1937) the ``chi_i`` are
the characters of ``N`` in one ``G``-orbit, each with the same multiplicity. Then

    f_hat(rho) = sum_t [sum_n f(n t) rho(n)] rho(t) = Z [ sum_t diag(F_t(chi_i)) Hs_t ] Z^H,

with ``F_t(chi) = sum_n f(n t) chi(n)`` the (unnormalized, ``+i``) DFT of ``f`` on the coset
``N t`` and ``Hs_t = Z^H rho(t) Z``. ``Hs_t`` maps the ``chi``-eigenspace to the ``t chi``-one,
so it is block-monomial and stored sparsely. Per function the cost is ``|T|`` FFTs of size
``|N|`` plus ``sum_rho (nnz(Hs) + 2 d_rho^3 [if Z != I])``; for ``(C_n x C_n) : D4`` about
``|G| log|N| + 8 |G|`` operations instead of ``|G|^2``. The inverse runs the same steps backwards:
``v_t[i] = (Z^H f_hat Z Hs_t^H)[i, i]`` is scattered into the coset spectra, then one forward FFT
per coset. This is the abelian-normal-subgroup step of the FFTs for solvable groups of Clausen and
Baum (*Fast Fourier Transforms*, 1993, ch. 7) and of Rockmore (1995), with an FFT over ``N``.

Applies to :class:`~grouptools.SemidirectStructure` ``N : H`` with ``N`` abelian (``T = H``, the
coset ``N h`` stored contiguously) and :class:`~grouptools.DirectProductStructure` with at least one
abelian factor (``N`` = the product of the abelian factors, ``T`` = the others). Other layouts
(:mod:`._discovered`) hand theirs to :func:`build_plan` explicitly: the plan depends on ``G`` only
through its irreps and the layout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import VerificationError
from .._kernels import convolution as kernels
from ..groups import AbelianStructure, DirectProductStructure, SemidirectStructure
from ._abelian import ROOT_TOL, Grid, grid_dft, unit_indices
from ._blocks import FourierBlocks
from ._support import degrees, group_irreps, irrep_at, memo

if TYPE_CHECKING:
    from ..groups import FiniteGroup

__all__ = [
    "DegreePlan",
    "Layout",
    "Plan",
    "applies",
    "build_plan",
    "coset_view",
    "cost",
    "execute",
    "layout",
    "plan",
]

#: Entries of ``Z^H rho(t) Z`` below this (absolute; the matrices are unitary) are structural zeros.
SPARSE_TOL = 1e-12
#: Largest allowed deviation of ``Z^H rho(n) Z`` from a diagonal matrix.
DIAG_TOL = 1e-10


def _abelian_factor(F: FiniteGroup) -> bool:
    return isinstance(F.structure, AbelianStructure) and F.order > 1


def applies(G: FiniteGroup) -> bool:
    """Whether ``G`` is a semidirect product with abelian normal factor or a direct product with
    an abelian factor (and is not itself abelian-structured)."""
    s = G.structure
    if isinstance(s, SemidirectStructure):
        return _abelian_factor(s.normal)
    if isinstance(s, DirectProductStructure):
        return any(_abelian_factor(F) for F in s.factors)
    return False


def cost(G: FiniteGroup) -> float:
    """``|G| log2 |N| + |T| |G|`` operations per function (coset FFTs, then the assembly, at most
    ``|T|`` entries per block entry), ``inf`` where it does not apply."""
    if not applies(G):
        return math.inf
    lay = layout(G)
    return G.order * (math.log2(max(G.order // lay.ncoset, 2)) + lay.ncoset)


@dataclass(frozen=True)
class Layout:
    """``G = N T``: element ``n t`` (``n`` flat in the grid ``invariants``) at ``index[t, n]``.

    ``index`` is ``None`` when the layout is contiguous (``index[t, n] = t |N| + n``).
    ``t_elements`` are the coset representatives and ``n_gens`` the elements of ``N`` at the unit
    vectors of the grid.
    """

    invariants: tuple[int, ...]
    ncoset: int
    index: np.ndarray | None
    t_elements: np.ndarray
    n_gens: np.ndarray

    @property
    def size(self) -> int:
        """Length ``ncoset * prod(invariants)`` of a function in this layout."""
        return self.ncoset * int(np.prod(self.invariants, dtype=np.int64))


def layout(G: FiniteGroup) -> Layout:
    """The coset layout of ``G.structure`` (kept in ``G.memo("fourier.clifford.layout")``).

    Examples
    --------
    >>> import grouptools as gt
    >>> lay = layout(gt.torus_p4m(3))
    >>> lay.invariants, lay.ncoset
    ((3, 3), 8)
    """

    def build() -> Layout:
        s = G.structure
        if isinstance(s, SemidirectStructure):
            inv = tuple(int(v) for v in s.normal.structure.invariants)
            nn = s.normal.order
            nt = s.complement.order
            return Layout(inv, nt, None, np.arange(nt, dtype=np.int64) * nn, unit_indices(inv))
        orders = tuple(F.order for F in s.factors)
        ab = [i for i, F in enumerate(s.factors) if _abelian_factor(F)]
        rest = [i for i in range(len(orders)) if i not in ab]
        inv = tuple(int(v) for i in ab for v in s.factors[i].structure.invariants)
        shape = tuple(orders[i] for i in rest) + tuple(orders[i] for i in ab)
        coords = np.indices(shape).reshape(len(shape), -1)
        full = np.empty((len(orders), coords.shape[1]), np.int64)
        for pos, i in enumerate(rest + ab):
            full[i] = coords[pos]
        nt = int(np.prod([orders[i] for i in rest], dtype=np.int64))
        index = np.ravel_multi_index(tuple(full), orders).reshape(nt, -1).astype(np.int64)
        return Layout(inv, nt, index, index[:, 0].copy(), index[0, unit_indices(inv)])

    return memo(G, "clifford.layout", build)


@dataclass(frozen=True)
class DegreePlan:
    """Precomputed data of the irreps of one degree ``d`` (``R`` of them)."""

    idx: np.ndarray  # (R,) irrep indices
    pos: np.ndarray  # (R, d) flat N-frequency of the diagonal entries
    z: np.ndarray  # (R, d, d) basis change, or (0, d, d) when every Z is the identity
    zh: np.ndarray  # conjugate transposes of z
    ptr: np.ndarray  # (R*d + 1,) CSR rows of Hs
    tt: np.ndarray
    jj: np.ndarray
    val: np.ndarray


@dataclass(frozen=True)
class Plan:
    """A Clifford plan: the layout, its frequency grid, the degrees of ``G.irreps()`` and the
    per-degree data."""

    layout: Layout
    grid: Grid
    dims: tuple[int, ...]
    degrees: list[DegreePlan]


def _diagonalize(mats: np.ndarray, rng: np.random.Generator) -> np.ndarray | None:
    """A unitary ``Z`` with ``Z^H m Z`` diagonal for the commuting unitaries ``mats``; ``None`` if they
    are diagonal already (Schur form of a random combination, a normal matrix)."""
    import scipy.linalg as sla  # lazily: keeps `import grouptools` free of scipy.linalg

    d = mats.shape[-1]
    off = mats - mats * np.eye(d)[None]
    if np.abs(off).max(initial=0.0) <= 1e-13:
        return None
    for _ in range(4):
        c = rng.normal(size=mats.shape[0]) + 1j * rng.normal(size=mats.shape[0])
        a = np.tensordot(c, mats, axes=(0, 0))
        _, z = sla.schur(a, output="complex")
        dm = np.conj(z.T)[None] @ mats @ z[None]
        if np.abs(dm - dm * np.eye(d)[None]).max() <= DIAG_TOL:
            return z
    raise VerificationError("the restriction of an irrep to the abelian normal subgroup is not diagonalizable")


def build_plan(G: FiniteGroup, lay: Layout) -> Plan:
    """The Clifford plan of ``G`` over the coset layout ``lay`` (not cached: see :func:`plan`).

    Per degree: the positions of the characters of ``N`` on the diagonal, the bases ``Z`` and the
    sparse ``Hs_t = Z^H rho(t) Z``.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.dihedral(5)
    >>> [dp.pos.shape for dp in build_plan(G, layout(G)).degrees]
    [(2, 1), (2, 2)]
    """
    grid = Grid.of(lay.invariants)
    irr = group_irreps(G)
    if hasattr(irr, "members") and lay.index is None:
        return _plan_from_families(G, lay, grid, irr)
    rng = np.random.default_rng(20240917)
    per: dict[int, list] = {}
    for r, rho in enumerate(irr):
        d = int(rho.dim)
        gm = irrep_at(rho, lay.n_gens, G)
        z = _diagonalize(gm, rng)
        diag = np.diagonal(gm if z is None else np.conj(z.T)[None] @ gm @ z[None], axis1=1, axis2=2)
        # characters chi_i on the generators of N -> flat frequencies
        pos = _positions(diag, lay.invariants)
        tm = irrep_at(rho, lay.t_elements, G)
        hs = tm if z is None else np.conj(z.T)[None] @ tm @ z[None]
        per.setdefault(d, []).append((r, pos, z, hs))
    plans = []
    for d in sorted(per):
        items = per[d]
        nr = len(items)
        pos = np.stack([it[1] for it in items]).astype(np.int64)
        if all(it[2] is None for it in items):
            z = np.zeros((0, d, d), np.complex128)
        else:
            z = np.stack([np.eye(d, dtype=np.complex128) if it[2] is None else it[2] for it in items])
        hs = np.stack([it[3] for it in items])  # (R, T, d, d)
        rows = np.transpose(hs, (0, 2, 1, 3)).reshape(nr * d, lay.ncoset * d)  # row (r,i), col (t,j)
        mask = np.abs(rows) > SPARSE_TOL
        ptr = np.concatenate([[0], np.cumsum(mask.sum(axis=1))]).astype(np.int64)
        rr, cc = np.nonzero(mask)
        plans.append(
            DegreePlan(
                np.array([it[0] for it in items], np.int64),
                pos,
                np.ascontiguousarray(z),
                np.ascontiguousarray(np.conj(np.swapaxes(z, 1, 2))),
                ptr,
                (cc // d).astype(np.int64),
                (cc % d).astype(np.int64),
                np.ascontiguousarray(rows[rr, cc]),
            )
        )
    return Plan(lay, grid, degrees(G), plans)


def _plan_from_families(G: FiniteGroup, lay: Layout, grid: Grid, irr: Any) -> Plan:
    """The plan of irreps from the little-group method, all at once per family: ``rho(n)`` is
    diagonal already (``Z = I``) with the characters of the orbit on the diagonal, and
    ``Hs_t = rho(t)`` is monomial, read off the family's formula at the transversal."""
    fams, fam_of, member = irr.members()
    dims = np.asarray(irr.dims)
    t_el = np.asarray(lay.t_elements, np.int64)
    nt = t_el.size
    plans = []
    for d in np.unique(dims):
        d = int(d)
        idx = np.flatnonzero(dims == d)
        pos = np.empty((idx.size, d), np.int64)
        rows_l, cols_l, vals_l = [], [], []
        for fi in np.unique(fam_of[idx]):
            sel = np.flatnonzero(fam_of[idx] == fi)
            fam = fams[int(fi)]
            mem = member[idx[sel]]
            pos[sel] = fam.diagonal_labels(mem)
            P, E = fam.images(mem[:, None], t_el[None, :])  # (R, T, d): rho(t) e_j = w^E e_P
            r = np.broadcast_to(sel[:, None, None], P.shape)
            t = np.broadcast_to(np.arange(nt)[None, :, None], P.shape)
            j = np.broadcast_to(np.arange(d)[None, None, :], P.shape)
            rows_l.append((r * d + P).ravel())
            cols_l.append((t * d + j).ravel())
            vals_l.append(np.exp(2j * np.pi * (E % fam.M) / fam.M).ravel())
        rows, cols, vals = (np.concatenate(v) for v in (rows_l, cols_l, vals_l))
        order = np.lexsort((cols, rows))
        rows, cols, vals = rows[order], cols[order], vals[order]
        ptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=idx.size * d))]).astype(np.int64)
        z = np.zeros((0, d, d), np.complex128)
        plans.append(DegreePlan(idx.astype(np.int64), pos, z, z.copy(), ptr, (cols // d).astype(np.int64),
                                (cols % d).astype(np.int64), np.ascontiguousarray(vals)))
    return Plan(lay, grid, tuple(dims.tolist()), plans)


def plan(G: FiniteGroup) -> Plan:
    """The Clifford plan of ``G`` over :func:`layout` (kept in ``G.memo("fourier.clifford")``)."""
    return memo(G, "clifford", lambda: build_plan(G, layout(G)))


def _positions(diag: np.ndarray, inv: tuple[int, ...]) -> np.ndarray:
    """Flat frequency of each diagonal position from the values on the generators ``(m, d)``."""
    n = np.asarray(inv, dtype=np.int64)
    k = np.rint(np.angle(diag.T) / (2 * np.pi) * n[None, :]).astype(np.int64) % n[None, :]  # (d, m)
    if np.abs(diag.T - np.exp(2j * np.pi * k / n[None, :])).max(initial=0.0) > ROOT_TOL:
        raise VerificationError("an irrep restricted to the abelian normal subgroup has non-root eigenvalues")
    return np.ravel_multi_index(tuple(k.T), inv).astype(np.int64)


def coset_view(lay: Layout, x: np.ndarray, *, inverse: bool = False) -> np.ndarray:
    """``(B, size)`` functions in element order -> ``(B, T, *invariants)`` in the layout, or back
    (``inverse=True``, from ``(B, size)`` in layout order).

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> lay = layout(gt.direct_product(gt.symmetric(3), gt.cyclic(2)))
    >>> x = np.arange(12.0)[None]
    >>> bool(np.array_equal(coset_view(lay, coset_view(lay, x).reshape(1, -1), inverse=True), x))
    True
    """
    if inverse:
        if lay.index is None:
            return x
        out = np.empty_like(x)
        out[:, lay.index.ravel()] = x
        return out
    if lay.index is not None:
        x = x[:, lay.index]
    return x.reshape((x.shape[0], lay.ncoset) + lay.invariants)


def _basis(dp: DegreePlan, a: np.ndarray, inverse: bool) -> np.ndarray:
    """``Z a Z^H`` (forward) or ``Z^H a Z`` (inverse); ``a`` itself when every ``Z`` is the identity."""
    if not dp.z.shape[0]:
        return np.ascontiguousarray(a, dtype=np.complex128)
    left, right = (dp.zh, dp.z) if inverse else (dp.z, dp.zh)
    return np.matmul(np.matmul(left, a), right)


def execute(
    p: Plan, data: np.ndarray | FourierBlocks, *, inverse: bool, real: bool = False, python: bool = False
) -> Any:
    """The Clifford transform in either direction (``1/size`` included in the inverse).

    Forward: coset FFTs of ``f`` ``(..., size)`` (in element order), then per degree the sparse
    assembly ``M = sum_t diag(F_t(chi_i)) Hs_t`` and ``f_hat = Z M Z^H``. Inverse: ``Z^H f_hat Z``
    is scattered into the coset spectra, then one FFT per coset in the other direction (``real``:
    the real part, by real-output FFTs). ``python`` runs the kernels uncompiled (``.py``).

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> P = plan(gt.dihedral(4))
    >>> f = np.arange(8.0)
    >>> B = execute(P, f, inverse=False)
    >>> bool(np.allclose(execute(P, B, inverse=True, real=True), f))
    True
    """
    lay, grid = p.layout, p.grid
    axes = tuple(range(2, 2 + len(lay.invariants)))
    if inverse:
        batch = data.batch_shape
        nb = int(np.prod(batch, dtype=np.int64))
        stored = {int(i[0]): a for i, a in data.grouped()}
        spec = np.zeros((nb, lay.ncoset, grid.half_size if real else grid.size), np.complex128)
    else:
        batch = data.shape[:-1]
        x = coset_view(lay, data.reshape(-1, lay.size))
        nb = x.shape[0]
        real_in = not np.iscomplexobj(x)
        spec = grid_dft(x, grid, axes, inverse=False, real=real_in).reshape(nb, lay.ncoset, -1)
        spec = np.ascontiguousarray(spec)
        groups = []
    for dp in p.degrees:
        d = dp.pos.shape[1]
        if inverse:
            a = _basis(dp, stored[int(dp.idx[0])].reshape(nb, dp.idx.size, d, d), inverse=True)
            args = _scatter_targets(grid, dp, real)
            work = nb * 2 * dp.val.size
            kernels.run(
                kernels.clifford_inverse, a, dp.ptr, dp.tt, dp.jj, dp.val, *args, spec, work=work, python=python
            )
        else:
            if real_in:  # read conj-or-not from the half spectrum of rfftn
                rpos, rconj = grid.hpos[dp.pos], grid.hconj[dp.pos]
            else:
                rpos, rconj = dp.pos, np.zeros(dp.pos.shape, bool)
            out = np.empty((nb, dp.idx.size, d, d), np.complex128)
            work = nb * (dp.val.size + out[0].size)
            kernels.run(
                kernels.clifford_forward, spec, rpos, rconj, dp.ptr, dp.tt, dp.jj, dp.val, out, work=work, python=python
            )
            groups.append((dp.idx, _basis(dp, out, inverse=False).reshape(batch + out.shape[1:])))
    if not inverse:
        return FourierBlocks.from_groups(p.dims, groups)
    spec = spec.reshape((nb, lay.ncoset) + (grid.half if real else grid.shape))
    x = grid_dft(spec, grid, axes, inverse=True, real=real).reshape(nb, -1) / lay.size
    return coset_view(lay, x, inverse=True).reshape(batch + (lay.size,))


def _scatter_targets(grid: Grid, dp: DegreePlan, real: bool) -> tuple[np.ndarray, ...]:
    """``q1, c1, q2, c2, w`` of :func:`grouptools._kernels.convolution.clifford_inverse`: with
    ``real``, the conjugate of the Hermitian part on the half spectrum."""
    shape = dp.pos.shape
    d = shape[1]
    if real:
        q1, c1 = grid.to_half[dp.pos], np.ones(shape, bool)
        q2, c2 = grid.to_half[grid.neg[dp.pos]], np.zeros(shape, bool)
        return q1, c1, q2, c2, np.full(dp.idx.size, 0.5 * d)
    q2 = np.full(shape, -1, np.int64)
    return dp.pos, np.zeros(shape, bool), q2, np.zeros(shape, bool), np.full(dp.idx.size, float(d))
