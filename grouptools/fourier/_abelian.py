"""Fourier transform of an abelian group ``C_{n1} x ... x C_{nr}`` by the multidimensional FFT.

With element ``a = (a_1, ..., a_r)`` at index ``ravel_multi_index(a, invariants)``, the irreps are
the characters ``chi_k(a) = exp(2 pi i sum_j k_j a_j / n_j)``, so

    f_hat(chi_k) = sum_a f(a) exp(+2 pi i k.a / n),

the *unnormalized inverse* DFT (``scipy.fft.ifftn(..., norm="forward")``); for real ``f`` it is
``conj(rfftn(f)[k])`` on the stored half of the spectrum and ``rfftn(f)[-k]`` on the other half.
The inverse transform is ``f(a) = (1/|G|) sum_k f_hat(chi_k) exp(-2 pi i k.a / n)``, a forward FFT.
The characters of ``G.irreps()`` are matched to the frequencies ``k`` once per group (cached).
Cooley and Tukey (1965); the FFTs are scipy's pocketfft with all cores (``workers=-1``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import VerificationError
from ..groups import AbelianStructure
from ._blocks import FourierBlocks
from ._support import degrees, group_irreps, irrep_at, memo

if TYPE_CHECKING:
    from ..groups import FiniteGroup

__all__ = [
    "AbelianPlan",
    "Grid",
    "ROOT_TOL",
    "applies",
    "character_exponents",
    "cost",
    "execute",
    "grid_dft",
    "plan",
    "unit_indices",
]

#: Tolerance for recognizing a character value as an n-th root of unity.
ROOT_TOL = 1e-8


def applies(G: FiniteGroup) -> bool:
    """Whether ``G`` carries an :class:`~grouptools.AbelianStructure`."""
    return isinstance(G.structure, AbelianStructure)


def cost(G: FiniteGroup) -> float:
    """``|G| log2 |G|`` operations per function (one FFT), ``inf`` where it does not apply."""
    return G.order * math.log2(max(G.order, 2)) if applies(G) else math.inf


@dataclass(frozen=True)
class Grid:
    """Index maps of the frequency grid ``Z_{n1} x ... x Z_{nr}`` and its real-FFT half.

    ``half`` is the grid of ``rfftn`` (last axis ``n_r // 2 + 1``). For a flat frequency ``p``:
    ``neg[p]`` is the flat index of ``-k``; ``hpos[p]``/``hconj[p]`` say where to read
    ``conj``-or-not of the half spectrum so that ``value(p) = conj(R[hpos]) if hconj else R[hpos]``
    gives ``sum f exp(+2 pi i k.a/n)`` for real ``f`` (``R`` the flattened ``rfftn`` of ``f``);
    ``to_half[p]`` is the half index of ``p`` or ``-1``.
    """

    shape: tuple[int, ...]
    half: tuple[int, ...]
    neg: np.ndarray
    hpos: np.ndarray
    hconj: np.ndarray
    to_half: np.ndarray

    @classmethod
    def of(cls, shape: tuple[int, ...]) -> Grid:
        shape = tuple(int(s) for s in shape)
        n = int(np.prod(shape, dtype=np.int64))
        k = np.indices(shape).reshape(len(shape), n)
        negk = (-k) % np.asarray(shape)[:, None]
        neg = np.ravel_multi_index(tuple(negk), shape)
        half = shape[:-1] + (shape[-1] // 2 + 1,)
        in_half = k[-1] <= shape[-1] // 2
        to_half = np.full(n, -1, np.int64)
        to_half[in_half] = np.ravel_multi_index(tuple(k[:, in_half]), half)
        # sum f e^{+ik.a} = conj(fft(f)[k]) = fft(f)[-k] for real f; rfft stores fft(f)[k] on the half
        hconj = in_half.copy()
        hpos = np.where(in_half, to_half, to_half[neg])
        return cls(shape, half, neg, hpos, hconj, to_half)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def half_size(self) -> int:
        return int(np.prod(self.half, dtype=np.int64))


def grid_dft(x: np.ndarray, grid: Grid, axes: tuple[int, ...], *, inverse: bool, real: bool) -> np.ndarray:
    """The unnormalized DFT over the grid axes of ``x``, in the direction of the Fourier method.

    Forward (``inverse=False``): ``sum_a x(a) exp(+2 pi i k.a/n)`` for complex ``x``
    (``ifftn(norm="forward")``), and for real ``x`` its ``rfftn`` (``exp(-...)`` on the half grid,
    which the caller reads conjugated, see :class:`Grid`). Inverse: ``sum_k X(k) exp(-2 pi i k.a/n)``
    (``fftn``), and with ``real`` the real signal of the half spectrum ``conj(X)``
    (``irfftn(norm="forward")``). All cores (``workers=-1``).

    Examples
    --------
    >>> import numpy as np
    >>> g = Grid.of((4,))
    >>> grid_dft(np.array([0, 1, 0, 0j]), g, (0,), inverse=False, real=False).round(12)
    array([ 1.+0.j,  0.+1.j, -1.+0.j, -0.-1.j])
    """
    import scipy.fft as sfft  # lazily: scipy.fft costs ~0.3 s at import

    if not inverse:
        if real:
            return sfft.rfftn(x, axes=axes, workers=-1)
        return sfft.ifftn(x, axes=axes, norm="forward", workers=-1)
    if real:
        return sfft.irfftn(x, s=grid.shape, axes=axes, norm="forward", workers=-1)
    return sfft.fftn(x, axes=axes, workers=-1)


def unit_indices(inv: tuple[int, ...]) -> np.ndarray:
    """Flat indices of the unit vectors ``e_j`` of the grid (``0`` for a factor ``C_1``)."""
    eye = np.eye(len(inv), dtype=np.int64) % np.maximum(np.asarray(inv, dtype=np.int64), 1)[None, :]
    return np.array([np.ravel_multi_index(tuple(eye[j]), inv) for j in range(len(inv))], dtype=np.int64)


def character_exponents(G: FiniteGroup, irreps: Any, invariants: tuple[int, ...], gens: np.ndarray) -> np.ndarray:
    """Flat frequency index ``ravel(k)`` of each 1-dimensional irrep (a character) of an abelian grid.

    ``gens[j]`` is the element index of the unit vector ``e_j``; ``chi(e_j) = exp(2 pi i k_j/n_j)``.

    Raises
    ------
    VerificationError
        If a value is not an ``n_j``-th root of unity.
    """
    vals = np.stack([irrep_at(rho, gens, G)[:, 0, 0] for rho in irreps])  # (R, r)
    n = np.asarray(invariants, dtype=np.int64)
    ang = np.angle(vals) / (2 * np.pi) * n[None, :]
    k = np.rint(ang).astype(np.int64) % n[None, :]
    expected = np.exp(2j * np.pi * k / n[None, :])
    if np.abs(vals - expected).max(initial=0.0) > ROOT_TOL:
        raise VerificationError("irrep values on the generators of an abelian group are not roots of unity")
    if len(invariants) == 0:
        return np.zeros(len(irreps), np.int64)
    return np.ravel_multi_index(tuple(k.T), invariants).astype(np.int64)


@dataclass(frozen=True)
class AbelianPlan:
    """Where the characters of ``G.irreps()`` sit in the spectrum of the grid."""

    grid: Grid
    dims: tuple[int, ...]
    pos: np.ndarray  # irrep r -> flat frequency
    hpos: np.ndarray  # irrep r -> half-spectrum index (real input)
    hconj: np.ndarray
    at_half: np.ndarray  # half index -> irrep with frequency k
    at_neg_half: np.ndarray  # half index -> irrep with frequency -k


def plan(G: FiniteGroup) -> AbelianPlan:
    """The abelian plan of ``G`` (kept in ``G.memo("fourier.abelian")``).

    Examples
    --------
    >>> import grouptools as gt
    >>> plan(gt.abelian((2, 3))).grid.shape
    (2, 3)
    """

    def build() -> AbelianPlan:
        inv = tuple(int(v) for v in G.structure.invariants)
        grid = Grid.of(inv)
        gens = unit_indices(inv)
        irr = group_irreps(G)
        if any(d != 1 for d in degrees(G)):
            raise VerificationError("an abelian group has an irrep of degree > 1")
        labels = getattr(irr, "character_labels", lambda: None)()
        pos = labels if labels is not None else character_exponents(G, irr, inv, gens)
        if np.bincount(pos, minlength=grid.size).max(initial=1) != 1 or len(irr) != grid.size:
            raise VerificationError("the characters of G.irreps() are not the distinct characters of G")
        where = np.empty(grid.size, np.int64)
        where[pos] = np.arange(grid.size)
        half_flat = np.flatnonzero(grid.to_half >= 0)
        order = np.argsort(grid.to_half[half_flat])
        half_flat = half_flat[order]
        return AbelianPlan(
            grid, degrees(G), pos, grid.hpos[pos], grid.hconj[pos], where[half_flat], where[grid.neg[half_flat]]
        )

    return memo(G, "abelian", build)


def execute(p: AbelianPlan, data: np.ndarray | FourierBlocks, *, inverse: bool, real: bool = False) -> Any:
    """One FFT of the whole batch: ``f -> blocks (..., 1, 1)`` or back (``1/|G|`` included).

    Forward, ``f_hat(chi_k) = sum_a f(a) exp(+2 pi i k.a/n)``; inverse,
    ``f(a) = (1/|G|) sum_k f_hat(chi_k) exp(-2 pi i k.a/n)`` (with ``real``, the real part:
    ``Re f = fftn(S_h)`` for the Hermitian part ``S_h(k) = (S(k) + conj(S(-k)))/2``, computed by
    ``irfftn`` of ``conj(S_h)`` on the half grid).

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> P = plan(gt.cyclic(4))
    >>> B = execute(P, np.array([0.0, 1.0, 0.0, 0.0]), inverse=False)
    >>> execute(P, B, inverse=True, real=True)
    array([0., 1., 0., 0.])
    """
    grid = p.grid
    n = grid.size
    axes = tuple(range(1, len(grid.shape) + 1))
    if inverse:
        batch = data.batch_shape
        ((_, v),) = data.grouped()
        v = v.reshape(-1, n)  # irrep order (the only degree is 1)
        if real:
            spec = 0.5 * (np.conj(v[:, p.at_half]) + v[:, p.at_neg_half])
            spec = spec.reshape((-1,) + grid.half)
        else:
            spec = np.empty_like(v)
            spec[:, p.pos] = v
            spec = spec.reshape((-1,) + grid.shape)
        out = grid_dft(spec, grid, axes, inverse=True, real=real)
        return (out / n).reshape(batch + (n,))
    batch = data.shape[:-1]
    x = data.reshape((-1,) + grid.shape)
    real_in = not np.iscomplexobj(x)
    spec = grid_dft(x, grid, axes, inverse=False, real=real_in).reshape(x.shape[0], -1)
    vals = spec[:, p.hpos] if real_in else spec[:, p.pos]
    if real_in:
        np.conjugate(vals, out=vals, where=p.hconj[None, :])
    return FourierBlocks.from_groups(p.dims, [(np.arange(n), vals.reshape(batch + (n, 1, 1)))])
