r"""Band-limited functions on the sphere S^2: transforms, and convolutions with SO(3) outputs.

A function with band limit ``B`` is ``f(x) = sum_{l<B} sum_m f_lm Y_l^m(x)`` with
``f_lm = int_{S^2} f conj(Y_l^m) dx`` (area measure, orthonormal Condon-Shortley harmonics, see
:mod:`~grouptools.compact._wigner`); coefficients are stored as a list of arrays
``(..., 2l+1)`` (index ``m + l``). Real functions also have real coefficients
``f_real_l = P f_l`` in the real harmonics ``S_l^mu`` (:func:`~grouptools.compact.real_basis_change`),
so that ``int f^2 dx = sum_l ||f_real_l||^2``.

Rotations act by ``(T f)(x) = f(T^{-1} x)``; then ``(T f)_l = D^l(T) f_l`` (and
``D_real^l(T) f_real_l``).

Convolutions (for real ``f``, ``psi``; Driscoll and Healy 1994; Cohen et al. 2018):

- **S^2 -> SO(3) correlation** ``[psi star f](R) = int_{S^2} psi(R^{-1} x) f(x) dx`` (the first layer
  of a spherical CNN; equivariant: rotating ``f`` by ``T`` left-translates the output by ``T``)
  has the SO(3) blocks (:mod:`~grouptools.compact._so3` conventions)
  ``[psi star f]^(l) = f_l psi_l^H / (2l+1)`` (rank one), and in real form
  ``f_real_l psi_real_l^T / (2l+1)``.
- **S^2 convolution with a kernel** ``(f * h)(x) = int_{SO(3)} f(R e_z) h(R^{-1} x) dR`` has
  ``(f * h)_lm = f_lm h_l0 / sqrt(4 pi (2l+1))`` (only the zonal part of ``h`` matters).

Transforms on the grids of :mod:`~grouptools.compact._quadrature`: an FFT in ``alpha`` and, per
degree, a weighted sum over ``beta`` of ``d^l_{m0}``: ``O(B^3)`` time.

References
----------
J. R. Driscoll, D. M. Healy. Computing Fourier transforms and convolutions on the 2-sphere.
Adv. Appl. Math. 15 (1994) 202-250.
T. S. Cohen, M. Geiger, J. Koehler, M. Welling. Spherical CNNs. ICLR 2018.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._errors import InvalidGroupError, quote
from ._quadrature import S2Grid, check_bandlimit
from ._so3 import grid_wigner_d
from ._wigner import real_basis_change, real_spherical_harmonics, spherical_harmonics

__all__ = [
    "s2_forward",
    "s2_inverse",
    "s2_evaluate",
    "s2_convolve",
    "s2_so3_correlate",
    "s2_real_coefficients",
    "s2_complex_coefficients",
]


def _check_grid(grid: Any) -> None:
    if not isinstance(grid, S2Grid):
        raise InvalidGroupError(f"grid must be an S2Grid (grouptools.compact.s2_grid), got {type(grid).__name__}")


def _key(grid: S2Grid) -> tuple:
    return ("grid", grid.kind, grid.B, grid.beta.size)


def s2_real_coefficients(coeffs: Sequence[Any]) -> list[np.ndarray]:
    """Complex coefficients of a real function to real ones: ``P f_l`` (real part)."""
    return [np.ascontiguousarray((np.asarray(c) @ real_basis_change(l).T).real) for l, c in enumerate(coeffs)]


def s2_complex_coefficients(coeffs: Sequence[Any]) -> list[np.ndarray]:
    """Real coefficients to complex ones: ``P^H f_real_l``."""
    return [np.asarray(c) @ np.conj(real_basis_change(l)) for l, c in enumerate(coeffs)]


def s2_forward(samples: Any, grid: S2Grid, *, real: bool = False, bandlimit: int | None = None) -> list[np.ndarray]:
    """Coefficients ``f_lm = int f conj(Y_l^m) dx`` (``l < B``) from samples on ``grid``.

    Exact for band-limited ``f``; otherwise the quadrature approximation of the projection.

    Parameters
    ----------
    samples : array_like, shape (..., n_beta, n_alpha)
    grid : S2Grid
    real : bool
        Return real coefficients ``P f_l`` (for real ``f``).
    bandlimit : int, optional
        Compute only ``l < bandlimit`` (at most ``grid.B``).

    Returns
    -------
    list of numpy.ndarray
        Entry ``l`` has shape ``(..., 2l+1)``.

    Examples
    --------
    >>> from grouptools.compact import s2_grid
    >>> g = s2_grid(3)
    >>> theta = g.beta[:, None] + 0 * g.alpha
    >>> c = s2_forward(np.cos(theta), g)       # cos(theta) = sqrt(4 pi / 3) Y_1^0
    >>> bool(np.isclose(c[1][1].real, np.sqrt(4 * np.pi / 3)))
    True
    """
    _check_grid(grid)
    B = grid.B if bandlimit is None else check_bandlimit(bandlimit)
    if B > grid.B:
        raise InvalidGroupError(f"bandlimit must be in 1..{grid.B}, got {quote(bandlimit)}")
    f = np.asarray(samples)
    if f.shape[-2:] != grid.shape:
        raise InvalidGroupError(f"samples must end with the grid shape {grid.shape}, got {f.shape}")
    na = grid.alpha.size
    S = np.fft.fft(f, axis=-1) / na  # S[..., j, m mod na]
    w = grid.beta_weights
    out = []
    for l, d in grid_wigner_d(grid.beta, B - 1, _key(grid)):
        m = np.arange(-l, l + 1) % na
        col = d[:, l, :] * w[None, :]  # (2l+1, nb): d^l_{m0}(beta_j) w_j
        out.append(np.sqrt(4 * np.pi * (2 * l + 1)) * np.einsum("...jm,mj->...m", S[..., m], col))
    return s2_real_coefficients(out) if real else out


def s2_inverse(coeffs: Sequence[Any], grid: S2Grid, *, real: bool | None = None) -> np.ndarray:
    """Samples on ``grid`` of ``f = sum_lm f_lm Y_l^m`` (``real``: coefficients are real ones).

    Examples
    --------
    >>> from grouptools.compact import s2_grid
    >>> g = s2_grid(4, "gauss")
    >>> rng = np.random.default_rng(1)
    >>> c = [rng.standard_normal(2 * l + 1) for l in range(4)]
    >>> back = s2_forward(s2_inverse(c, g), g, real=True)
    >>> max(float(np.abs(a - b).max()) for a, b in zip(c, back)) < 1e-12
    True
    """
    _check_grid(grid)
    coeffs = [np.asarray(c) for c in coeffs]
    if not 1 <= len(coeffs) <= grid.B:
        raise InvalidGroupError(f"need between 1 and {grid.B} degrees for this grid, got {len(coeffs)}")
    for l, c in enumerate(coeffs):
        if c.shape[-1:] != (2 * l + 1,):
            raise InvalidGroupError(f"degree {l} coefficients must end with shape ({2 * l + 1},), got {c.shape}")
    if real is None:
        real = all(not np.iscomplexobj(c) for c in coeffs)
    cc = s2_complex_coefficients(coeffs) if real else coeffs
    lead = np.broadcast_shapes(*(c.shape[:-1] for c in cc))
    nb, na = grid.shape
    T = np.zeros(lead + (nb, na), dtype=complex)
    for l, d in grid_wigner_d(grid.beta, len(cc) - 1, _key(grid)):
        m = np.arange(-l, l + 1) % na
        T[..., m] += np.sqrt((2 * l + 1) / (4 * np.pi)) * np.einsum("mj,...m->...jm", d[:, l, :], cc[l])
    f = np.fft.ifft(T, axis=-1) * na
    return np.ascontiguousarray(f.real) if real else f


def s2_evaluate(coeffs: Sequence[Any], theta: Any, phi: Any, *, real: bool | None = None) -> np.ndarray:
    """Direct synthesis ``f(theta, phi) = sum f_lm Y_l^m(theta, phi)`` (batch axes first).

    Examples
    --------
    >>> c = [np.array([np.sqrt(4 * np.pi)])]   # the constant 1
    >>> float(s2_evaluate(c, 0.3, 0.2).real)
    1.0
    """
    coeffs = [np.asarray(c) for c in coeffs]
    if real is None:
        real = all(not np.iscomplexobj(c) for c in coeffs)
    t, p = np.broadcast_arrays(np.asarray(theta, dtype=float), np.asarray(phi, dtype=float))
    out = 0
    for l, c in enumerate(coeffs):
        Y = real_spherical_harmonics(l, t, p) if real else spherical_harmonics(l, t, p)
        out = out + np.einsum("...m,Am->...A", c, Y.reshape(-1, 2 * l + 1)).reshape(c.shape[:-1] + t.shape)
    return np.asarray(out)


def s2_convolve(f: Sequence[Any], h: Sequence[Any]) -> list[np.ndarray]:
    """Coefficients of ``(f * h)(x) = int_{SO(3)} f(R e_z) h(R^{-1} x) dR``: ``f_lm h_l0 / sqrt(4 pi (2l+1))``.

    Complex coefficients (the ``m = 0`` entry of real and complex coefficients coincide, so real
    coefficients work as well).

    Examples
    --------
    >>> one = [np.array([np.sqrt(4 * np.pi)])]
    >>> s2_convolve(one, one)[0].real / np.sqrt(4 * np.pi)     # int 1 dR = 1
    array([1.])
    """
    if len(f) != len(h):
        raise InvalidGroupError(f"both functions need the same degrees, got {len(f)} and {len(h)}")
    return [np.asarray(fl) * np.asarray(hl)[..., l : l + 1] / np.sqrt(4 * np.pi * (2 * l + 1)) for l, (fl, hl) in enumerate(zip(f, h))]


def s2_so3_correlate(f: Sequence[Any], psi: Sequence[Any]) -> list[np.ndarray]:
    """SO(3) blocks of ``[psi star f](R) = int psi(R^{-1} x) f(x) dx``: ``f_l psi_l^H / (2l+1)``.

    For real ``f`` and ``psi``; with real coefficients the result is the real blocks (module
    docstring), with complex coefficients the complex blocks.

    Examples
    --------
    >>> f = [np.array([1.0]), np.array([0.0, 1.0, 0.0])]
    >>> [B.shape for B in s2_so3_correlate(f, f)]
    [(1, 1), (3, 3)]
    """
    if len(f) != len(psi):
        raise InvalidGroupError(f"both functions need the same degrees, got {len(f)} and {len(psi)}")
    out = []
    for l, (fl, pl) in enumerate(zip(f, psi)):
        fl, pl = np.asarray(fl), np.asarray(pl)
        out.append(fl[..., :, None] * np.conj(pl)[..., None, :] / (2 * l + 1))
    return out
