r"""Band-limited harmonic analysis on SO(3): Fourier transforms, synthesis, convolution theorems.

A function with band limit ``B`` is ``f(g) = sum_{l<B} (2l+1) tr(D^l(g)^H f_hat(l))`` with the blocks
``f_hat(l) = int f(g) D^l(g) dg`` (normalized Haar measure; the compact analogue of ``docs/theory.md``:
``f_hat(rho) = sum_g f(g) rho(g)`` becomes an integral against a probability measure, so
the inverse has no ``1/|G|``). With the real forms ``D_real^l = P D^l P^H``
(:func:`~grouptools.compact.real_basis_change`) a real function has real blocks
``f_hat_real(l) = P f_hat(l) P^H`` and ``f(g) = sum_l (2l+1) tr(D_real^l(g)^T f_hat_real(l))``.
Plancherel: ``int f conj(h) dg = sum_l (2l+1) tr(f_hat(l) h_hat(l)^H)``.

Convolution ``(f * h)(u) = int f(u v^{-1}) h(v) dv`` has ``(f * h)^(l) = f_hat(l) h_hat(l)``; the
G-CNN correlation of Cohen & Welling (2016), ``(x star w)(g) = int w(h) x(g h) dh = int w(g^{-1} k) x(k) dk``,
commutes with left translations ``(L_k x)(g) = x(k^{-1} g)`` and has
``(x star w)^(l) = x_hat(l) w_hat(l)^H`` for real ``w`` (``docs/theory.md``): substituting ``k = g h``,
``D^l(g) = D^l(k) D^l(h)^H``, so ``int int w(h) x(k) D^l(k) D^l(h)^H dk dh = x_hat(l) w_hat'(l)^H`` with
``w_hat'`` the transform of ``conj(w)``. The same holds for the real blocks (``P`` is unitary).

Fast transform (the "semi-naive" algorithm of Kostelec and Rockmore 2008): on a grid of
:mod:`~grouptools.compact._quadrature`, the forward transform is a 2-D FFT over ``(alpha, gamma)``
for every ``beta`` (``O(B^3 log B)``), then for every degree a weighted sum over ``beta`` of
``d^l_{mn}(beta_k)`` times the FFT coefficients (``sum_l (2l+1)^2 n_beta = O(B^4)``); the inverse
runs the same steps backwards. Total ``O(B^4)`` time (versus ``O(B^6)`` for direct summation) and
``O(B^3)`` memory; the Wigner-d tables of a grid are cached when they are small (at most
``D_CACHE_ENTRIES`` numbers), else recomputed degree by degree by the recursion.

References
----------
P. J. Kostelec, D. N. Rockmore. FFTs on the rotation group. J. Fourier Anal. Appl. 14 (2008) 145-179.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Iterator, Sequence

import numpy as np

from .._errors import InvalidGroupError
from ._quadrature import SO3Grid, check_bandlimit
from ._wigner import iter_wigner_d, real_basis_change, wigner_D, wigner_D_real

__all__ = [
    "so3_forward",
    "so3_inverse",
    "so3_evaluate",
    "so3_convolve",
    "so3_correlate",
    "so3_real_blocks",
    "so3_complex_blocks",
    "grid_wigner_d",
    "D_CACHE_ENTRIES",
]

D_CACHE_ENTRIES = 4_000_000
"""Largest Wigner-d table (number of float64 values) kept in the per-grid cache (32 MB)."""

_CACHE: "OrderedDict[tuple, list[np.ndarray]]" = OrderedDict()
_CACHE_SLOTS = 8


def grid_wigner_d(beta: np.ndarray, lmax: int, key: tuple | None = None) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(l, d^l(beta))`` (``(2l+1, 2l+1, nbeta)``), cached under ``key`` when small."""
    size = sum((2 * l + 1) ** 2 for l in range(lmax + 1)) * np.size(beta)
    if key is not None and size <= D_CACHE_ENTRIES:
        k = key + (lmax,)
        tables = _CACHE.get(k)
        if tables is None:
            tables = [d.copy() for _, d in iter_wigner_d(lmax, beta)]
            for d in tables:
                d.setflags(write=False)
            _CACHE[k] = tables
            while len(_CACHE) > _CACHE_SLOTS:
                _CACHE.popitem(last=False)
        else:
            _CACHE.move_to_end(k)
        yield from enumerate(tables)
    else:
        yield from iter_wigner_d(lmax, beta)


def _grid_key(grid: SO3Grid | Any) -> tuple:
    return ("grid", grid.kind, grid.B, grid.beta.size)


def _check_grid(grid: Any) -> None:
    if not hasattr(grid, "beta_weights") or not hasattr(grid, "gamma"):
        raise InvalidGroupError(f"grid must be an SO3Grid (grouptools.compact.so3_grid), got {type(grid).__name__}")


def _bandlimit(grid: SO3Grid, bandlimit: int | None) -> int:
    if bandlimit is None:
        return grid.B
    B = check_bandlimit(bandlimit)
    if B > grid.B:
        raise InvalidGroupError(f"bandlimit={B} exceeds the grid's band limit {grid.B}")
    return B


def _freq_index(l: int, n: int) -> np.ndarray:
    return np.arange(-l, l + 1) % n


def so3_real_blocks(blocks: Sequence[Any]) -> list[np.ndarray]:
    """Complex blocks of a real function to real blocks: ``P f_hat(l) P^H`` (real part).

    Examples
    --------
    >>> from grouptools.compact import so3_grid, so3_forward
    >>> g = so3_grid(2)
    >>> a, b, c = g.angles()
    >>> F = so3_forward(np.cos(b), g)
    >>> bool(np.allclose(so3_real_blocks(F)[1], so3_forward(np.cos(b), g, real=True)[1]))
    True
    """
    out = []
    for l, F in enumerate(blocks):
        P = real_basis_change(l)
        out.append(np.ascontiguousarray((P @ np.asarray(F) @ P.conj().T).real))
    return out


def so3_complex_blocks(blocks: Sequence[Any]) -> list[np.ndarray]:
    """Real blocks to complex blocks: ``P^H f_hat_real(l) P`` (inverse of :func:`so3_real_blocks`)."""
    out = []
    for l, F in enumerate(blocks):
        P = real_basis_change(l)
        out.append(P.conj().T @ np.asarray(F) @ P)
    return out


def so3_forward(samples: Any, grid: SO3Grid, *, real: bool = False, bandlimit: int | None = None) -> list[np.ndarray]:
    """Fourier blocks ``f_hat(l) = int f(g) D^l(g) dg`` (``l < B``) from samples on ``grid``.

    Exact when ``f`` has band limit ``grid.B`` (quadrature exactness); for other ``f`` it is the
    quadrature approximation. ``O(B^4)`` (module docstring).

    Parameters
    ----------
    samples : array_like, shape (..., n_beta, n_alpha, n_gamma)
        Values on the grid (``grid.angles()``), leading axes are batch axes.
    grid : SO3Grid
    real : bool
        Return the real blocks ``P f_hat(l) P^H`` (for real ``f``; the imaginary parts, zero up to
        rounding for real samples, are dropped).
    bandlimit : int, optional
        Compute only degrees ``l < bandlimit`` (at most ``grid.B``).

    Returns
    -------
    list of numpy.ndarray
        Block ``l`` has shape ``(..., 2l+1, 2l+1)``.

    Raises
    ------
    InvalidGroupError
        Wrong grid or sample shape.

    Examples
    --------
    >>> from grouptools.compact import so3_grid, wigner_D
    >>> g = so3_grid(3)
    >>> a, b, c = g.angles()
    >>> f = np.conj(wigner_D(1, a, b, c)[..., 0, 2])      # conj(D^1_{-1,1}): one entry of degree 1
    >>> F = so3_forward(f, g)
    >>> bool(np.isclose(F[1][0, 2], 1 / 3)), float(np.abs(F[2]).max()) < 1e-12
    (True, True)
    """
    _check_grid(grid)
    B = _bandlimit(grid, bandlimit)
    f = np.asarray(samples)
    if f.shape[-3:] != grid.shape:
        raise InvalidGroupError(f"samples must end with the grid shape {grid.shape}, got {f.shape}")
    nb, na, ng = grid.shape
    S = np.fft.fft2(f, axes=(-2, -1)) / (na * ng)
    c = _freq_index(B - 1, na)
    Sc = S[..., c[:, None], c[None, :]]  # centered: Sc[..., j, m + B - 1, n + B - 1]
    del S
    w = grid.beta_weights
    out = []
    for l, d in grid_wigner_d(grid.beta, B - 1, _grid_key(grid)):
        sl = slice(B - 1 - l, B + l)
        dw = np.moveaxis(d, -1, 0) * w[:, None, None]  # (nb, 2l+1, 2l+1)
        out.append(np.einsum("...jmn,jmn->...mn", Sc[..., sl, sl], dw))
    return so3_real_blocks(out) if real else out


def so3_inverse(blocks: Sequence[Any], grid: SO3Grid, *, real: bool | None = None) -> np.ndarray:
    """Samples on ``grid`` of ``f(g) = sum_l (2l+1) tr(D^l(g)^H f_hat(l))``.

    Parameters
    ----------
    blocks : sequence of array_like
        ``f_hat(l)`` of shape ``(..., 2l+1, 2l+1)`` for ``l = 0..len-1`` (``len <= grid.B``).
    grid : SO3Grid
    real : bool, optional
        The blocks are the real blocks (``P f_hat P^H``) of a real function: the result is real.
        Default: True iff every block has a real dtype.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., n_beta, n_alpha, n_gamma)``; complex unless ``real``.

    Examples
    --------
    >>> from grouptools.compact import so3_grid
    >>> g = so3_grid(3, "gauss")
    >>> rng = np.random.default_rng(0)
    >>> F = [rng.standard_normal((2 * l + 1, 2 * l + 1)) for l in range(3)]
    >>> G = so3_forward(so3_inverse(F, g), g, real=True)
    >>> max(float(np.abs(a - b).max()) for a, b in zip(F, G)) < 1e-12
    True
    """
    _check_grid(grid)
    blocks = [np.asarray(F) for F in blocks]
    if len(blocks) == 0 or len(blocks) > grid.B:
        raise InvalidGroupError(f"need between 1 and {grid.B} blocks for this grid, got {len(blocks)}")
    for l, F in enumerate(blocks):
        if F.shape[-2:] != (2 * l + 1, 2 * l + 1):
            raise InvalidGroupError(f"block {l} must end with shape ({2 * l + 1}, {2 * l + 1}), got {F.shape}")
    if real is None:
        real = all(not np.iscomplexobj(F) for F in blocks)
    cblocks = so3_complex_blocks(blocks) if real else blocks
    lead = np.broadcast_shapes(*(F.shape[:-2] for F in cblocks))
    nb, na, ng = grid.shape
    Bc = len(cblocks)
    Tc = np.zeros(lead + (nb, 2 * Bc - 1, 2 * Bc - 1), dtype=complex)
    for l, d in grid_wigner_d(grid.beta, Bc - 1, _grid_key(grid)):
        sl = slice(Bc - 1 - l, Bc + l)
        Tc[..., sl, sl] += (2 * l + 1) * np.einsum("mnj,...mn->...jmn", d, cblocks[l])
    c = _freq_index(Bc - 1, na)
    T = np.zeros(lead + (nb, na, ng), dtype=complex)
    T[..., c[:, None], c[None, :]] = Tc
    del Tc
    f = np.fft.ifft2(T, axes=(-2, -1)) * (na * ng)
    return np.ascontiguousarray(f.real) if real else f


def so3_evaluate(blocks: Sequence[Any], alpha: Any, beta: Any, gamma: Any, *, real: bool | None = None) -> np.ndarray:
    """Direct synthesis ``f(g) = sum_l (2l+1) tr(D^l(g)^H f_hat(l))`` at arbitrary rotations.

    ``O(B^3)`` per point; used as the independent reference for the fast transforms. ``real`` as in
    :func:`so3_inverse` (then ``f = sum_l (2l+1) tr(D_real^l(g)^T f_hat_real(l))``). Batch axes of
    the blocks come first in the result, then the shape of the angles.

    Examples
    --------
    >>> F = [np.array([[2.0]]), np.zeros((3, 3))]
    >>> float(so3_evaluate(F, 0.1, 0.2, 0.3))
    2.0
    """
    blocks = [np.asarray(F) for F in blocks]
    for l, F in enumerate(blocks):
        if F.shape[-2:] != (2 * l + 1, 2 * l + 1):
            raise InvalidGroupError(f"block {l} must end with shape ({2 * l + 1}, {2 * l + 1}), got {F.shape}")
    if real is None:
        real = all(not np.iscomplexobj(F) for F in blocks)
    a, b, g = np.broadcast_arrays(*(np.asarray(t, dtype=float) for t in (alpha, beta, gamma)))
    lead = np.broadcast_shapes(*(F.shape[:-2] for F in blocks))
    out = np.zeros(lead + a.shape, dtype=float if real else complex)
    for l, F in enumerate(blocks):
        d = 2 * l + 1
        D = wigner_D_real(l, a, b, g) if real else np.conj(wigner_D(l, a, b, g))
        val = np.einsum("...mn,Amn->...A", F, D.reshape(-1, d, d))
        out = out + d * val.reshape(F.shape[:-2] + a.shape)
    return out


def _check_pair(f: Sequence[Any], h: Sequence[Any]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    f = [np.asarray(F) for F in f]
    h = [np.asarray(H) for H in h]
    if len(f) != len(h):
        raise InvalidGroupError(f"both functions need the same number of blocks, got {len(f)} and {len(h)}")
    for l, (F, H) in enumerate(zip(f, h)):
        if F.shape[-2:] != (2 * l + 1, 2 * l + 1) or H.shape[-2:] != (2 * l + 1, 2 * l + 1):
            raise InvalidGroupError(f"block {l} must end with shape ({2 * l + 1}, {2 * l + 1})")
    return f, h


def so3_convolve(f_hat: Sequence[Any], h_hat: Sequence[Any]) -> list[np.ndarray]:
    """Blocks of ``(f * h)(u) = int f(u v^{-1}) h(v) dv``: ``f_hat(l) h_hat(l)`` (convolution theorem).

    Works for complex blocks and for real blocks (``P`` is unitary, so the product form is kept).

    Examples
    --------
    >>> f = [np.array([[2.0]])]; h = [np.array([[3.0]])]    # constants 2 and 3
    >>> so3_convolve(f, h)[0]
    array([[6.]])
    """
    f, h = _check_pair(f_hat, h_hat)
    return [F @ H for F, H in zip(f, h)]


def so3_correlate(x_hat: Sequence[Any], w_hat: Sequence[Any]) -> list[np.ndarray]:
    """Blocks of the G-CNN layer ``(x star w)(g) = int w(h) x(g h) dh``: ``x_hat(l) w_hat(l)^H`` (real ``w``).

    The left-equivariant correlation of Cohen & Welling (2016): ``(L_k x) star w = L_k (x star w)``
    for ``(L_k x)(g) = x(k^{-1} g)`` (blocks ``X -> D^l(k) X``). Works for complex blocks and for the
    real blocks of :func:`so3_real_blocks` (``P`` is unitary). For complex ``w`` pass the blocks of
    ``conj(w)``.

    Examples
    --------
    >>> x = [np.array([[1.0]]), np.eye(3)]; w = [np.array([[2.0]]), 2 * np.eye(3)]
    >>> [float(B[0, 0]) for B in so3_correlate(x, w)]
    [2.0, 2.0]
    >>> x = [np.zeros((1, 1)), np.diag([1.0, 2.0, 3.0])]; w = [np.zeros((1, 1)), np.triu(np.ones((3, 3)))]
    >>> so3_correlate(x, w)[1]                     # x_hat w_hat^H, not w_hat^H x_hat
    array([[1., 0., 0.],
           [2., 2., 0.],
           [3., 3., 3.]])
    """
    x, w = _check_pair(x_hat, w_hat)
    return [X @ np.conj(np.swapaxes(W, -1, -2)) for X, W in zip(x, w)]
