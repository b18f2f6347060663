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
abelian factor (``N`` = the product of the abelian factors, ``T`` = the others).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.fft as sfft
import scipy.linalg as sla

from .._kernels import convolution as _kernels, convolution_py as _kernels_py
from .._errors import VerificationError
from ._abelian import ROOT_TOL, Grid, unit_indices
from ._blocks import FourierBlocks
from ._fourier import degrees, group_irreps, irrep_at, memo

__all__ = ["applies", "transform_clifford", "inverse_clifford", "layout", "plan"]

#: Entries of ``Z^H rho(t) Z`` below this (absolute; the matrices are unitary) are structural zeros.
SPARSE_TOL = 1e-12
#: Largest allowed deviation of ``Z^H rho(n) Z`` from a diagonal matrix.
DIAG_TOL = 1e-10


def _is(obj: Any, name: str) -> bool:
    return type(obj).__name__ == name


def applies(G: Any) -> bool:
    """Whether ``G`` is a semidirect product with abelian normal factor or a direct product with
    an abelian factor (and is not itself abelian-structured)."""
    s = G.structure
    if _is(s, "SemidirectStructure"):
        return _is(s.normal.structure, "AbelianStructure") and s.normal.order > 1
    if _is(s, "DirectProductStructure"):
        return any(_is(F.structure, "AbelianStructure") and F.order > 1 for F in s.factors)
    return False


@dataclass(frozen=True)
class Layout:
    """``G = N T``: element ``n t`` (``n`` flat in the grid ``invariants``) at ``index[t, n]``.

    ``index`` is ``None`` when the layout is contiguous (``index[t, n] = t |N| + n``).
    """

    invariants: tuple[int, ...]
    ncoset: int
    index: np.ndarray | None
    t_elements: np.ndarray
    n_gens: np.ndarray


def layout(G: Any) -> Layout:
    """The coset layout used by the Clifford transform (cached per group)."""

    def build() -> Layout:
        s = G.structure
        if _is(s, "SemidirectStructure"):
            inv = tuple(int(v) for v in s.normal.structure.invariants)
            nn = s.normal.order
            nt = s.complement.order
            return Layout(inv, nt, None, np.arange(nt, dtype=np.int64) * nn, unit_indices(inv))
        orders = tuple(F.order for F in s.factors)
        ab = [i for i, F in enumerate(s.factors) if _is(F.structure, "AbelianStructure") and F.order > 1]
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

    return memo(G, "clifford_layout", build)


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
    layout: Layout
    grid: Grid
    degrees: list[DegreePlan]


def _diagonalize(mats: np.ndarray, rng: np.random.Generator) -> np.ndarray | None:
    """A unitary ``Z`` with ``Z^H m Z`` diagonal for the commuting unitaries ``mats``; ``None`` if they
    are diagonal already (Schur form of a random combination, a normal matrix)."""
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


def plan(G: Any) -> Plan:
    """The Clifford plan of ``G`` (cached per group): per degree, positions, bases and sparse ``Hs``."""

    def build() -> Plan:
        lay = layout(G)
        grid = Grid.of(lay.invariants)
        irr = group_irreps(G)
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
        return Plan(lay, grid, plans)

    return memo(G, "clifford_plan", build)


def _positions(diag: np.ndarray, inv: tuple[int, ...]) -> np.ndarray:
    """Flat frequency of each diagonal position from the values on the generators ``(m, d)``."""
    n = np.asarray(inv, dtype=np.int64)
    k = np.rint(np.angle(diag.T) / (2 * np.pi) * n[None, :]).astype(np.int64) % n[None, :]  # (d, m)
    if np.abs(diag.T - np.exp(2j * np.pi * k / n[None, :])).max(initial=0.0) > ROOT_TOL:
        raise VerificationError("an irrep restricted to the abelian normal subgroup has non-root eigenvalues")
    return np.ravel_multi_index(tuple(k.T), inv).astype(np.int64)


def _kernels_module(py: bool) -> Any:
    return _kernels_py if py else _kernels


def _coset_view(lay: Layout, x: np.ndarray) -> np.ndarray:
    """``(B, |G|)`` -> ``(B, T, *invariants)``."""
    if lay.index is not None:
        x = x[:, lay.index]
    return x.reshape((x.shape[0], lay.ncoset) + lay.invariants)


def transform_clifford(G: Any, f: np.ndarray, *, py_kernels: bool = False) -> FourierBlocks:
    """Fourier blocks of ``f`` ``(..., |G|)`` by coset FFTs and Clifford assembly."""
    p = plan(G)
    lay, grid = p.layout, p.grid
    batch = f.shape[:-1]
    x = _coset_view(lay, f.reshape(-1, G.order))
    nb = x.shape[0]
    axes = tuple(range(2, 2 + len(lay.invariants)))
    if np.iscomplexobj(x):
        spec = sfft.ifftn(x, axes=axes, norm="forward", workers=-1).reshape(nb, lay.ncoset, -1)
        read = lambda dp: (dp.pos, np.zeros(dp.pos.shape, bool))  # noqa: E731
    else:
        spec = sfft.rfftn(x, axes=axes, workers=-1).reshape(nb, lay.ncoset, -1)
        read = lambda dp: (grid.hpos[dp.pos], grid.hconj[dp.pos])  # noqa: E731
    spec = np.ascontiguousarray(spec)
    K = _kernels_module(py_kernels)
    groups = []
    for dp in p.degrees:
        rpos, rconj = read(dp)
        d = dp.pos.shape[1]
        out = np.empty((nb, dp.idx.size, d, d), np.complex128)
        with _kernels.threads_for(nb * (dp.val.size + out[0].size)):
            K.clifford_forward(spec, rpos, rconj, dp.ptr, dp.tt, dp.jj, dp.val, out)
        if dp.z.shape[0]:  # f_hat = Z M Z^H
            tmp = np.matmul(dp.z, out)
            np.matmul(tmp, dp.zh, out=out)
        groups.append((dp.idx, out.reshape(batch + out.shape[1:])))
    return FourierBlocks._from_groups(degrees(G), groups)


def inverse_clifford(G: Any, blocks: FourierBlocks, real: bool, *, py_kernels: bool = False) -> np.ndarray:
    """Inverse transform: scatter into coset spectra, then one forward FFT per coset."""
    p = plan(G)
    lay, grid = p.layout, p.grid
    batch = blocks.batch_shape
    nb = int(np.prod(batch, dtype=np.int64))
    data = {int(i[0]): a for i, a in blocks.grouped()}
    size = grid.half_size if real else grid.size
    spec = np.zeros((nb, lay.ncoset, size), np.complex128)
    K = _kernels_module(py_kernels)
    for dp in p.degrees:
        d = dp.pos.shape[1]
        a = data[int(dp.idx[0])].reshape(nb, dp.idx.size, d, d)
        a = np.matmul(np.matmul(dp.zh, a), dp.z) if dp.z.shape[0] else np.ascontiguousarray(a, dtype=np.complex128)
        if real:  # X = conj of the Hermitian part, on the half spectrum
            q1, c1 = grid.to_half[dp.pos], np.ones(dp.pos.shape, bool)
            q2, c2 = grid.to_half[grid.neg[dp.pos]], np.zeros(dp.pos.shape, bool)
            w = np.full(dp.idx.size, 0.5 * d)
        else:
            q1, c1 = dp.pos, np.zeros(dp.pos.shape, bool)
            q2, c2 = np.full(dp.pos.shape, -1, np.int64), np.zeros(dp.pos.shape, bool)
            w = np.full(dp.idx.size, float(d))
        with _kernels.threads_for(nb * 2 * dp.val.size):
            K.clifford_inverse(a, dp.ptr, dp.tt, dp.jj, dp.val, q1, c1, q2, c2, w, spec)
    axes = tuple(range(2, 2 + len(lay.invariants)))
    if real:
        spec = spec.reshape((nb, lay.ncoset) + grid.half)
        x = sfft.irfftn(spec, s=grid.shape, axes=axes, norm="forward", workers=-1)
    else:
        x = sfft.fftn(spec.reshape((nb, lay.ncoset) + grid.shape), axes=axes, workers=-1)
    x = x.reshape(nb, -1) / G.order
    if lay.index is not None:
        out = np.empty_like(x)
        out[:, lay.index.ravel()] = x
        x = out
    return x.reshape(batch + (G.order,))
