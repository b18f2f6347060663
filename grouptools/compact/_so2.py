r"""Band-limited harmonic analysis on SO(2) and O(2).

Conventions (the compact analogue of ``docs/theory.md``, normalized Haar measure):
``f_hat(rho) = int f(g) rho(g) dg`` and ``f(g) = sum_rho d_rho tr(rho(g)^H f_hat(rho))``.
Band limit ``B`` means frequencies ``|k| < B`` (as for SO(3), degrees ``l < B``).

**SO(2)**: ``g = r_theta``; irreps ``chi_k(theta) = exp(i k theta)``, ``k in Z``. Coefficients
``c_k = (1/2 pi) int f(theta) exp(i k theta) dtheta`` and ``f(theta) = sum_k c_k exp(-i k theta)``;
stored as an array ``(..., 2B-1)`` with index ``k + B - 1``. A real ``f`` has ``c_{-k} = conj(c_k)``.

**O(2)**: ``g = r_theta m^s`` (``s in {0, 1}``, ``m = diag(1, -1)`` the reflection in the x-axis), so
``(theta_1, s_1)(theta_2, s_2) = (theta_1 + (-1)^{s_1} theta_2, s_1 xor s_2)``. Irreps: the trivial
one, ``det`` (``(-1)^s``) and, for ``k >= 1``, ``rho_k(theta, s) = R(k theta) diag(1, (-1)^s)`` with
``R(t) = [[cos t, -sin t], [sin t, cos t]]``: real orthogonal, of real type. Blocks are stored in the
order ``[trivial, det, rho_1, ..., rho_{B-1}]``; samples as ``(..., 2, n)`` with ``[s, j]`` the value
at ``(2 pi j / n, s)``.

Transforms from ``n >= 2B - 1`` equispaced samples per sheet are exact for band-limited functions
(the discrete orthogonality of ``exp(i k theta_j)`` for ``|k| < n``) and cost one FFT,
``O(n log n)``. Convolution ``(f * h)(u) = int f(u v^{-1}) h(v) dv`` has
``(f * h)^(rho) = f_hat(rho) h_hat(rho)`` (:func:`so2_convolve`, :func:`o2_convolve`). The G-CNN
correlation of Cohen & Welling (2016), ``(x star w)(g) = int w(h) x(g h) dh``, which commutes with left
translations ``(L_k x)(g) = x(k^{-1} g)``, has ``(x star w)^(rho) = x_hat(rho) w_hat(rho)^H`` for real
``w`` (as on SO(3), :mod:`~grouptools.compact._so3`): on SO(2) ``c_k(x) conj(c_k(w))``, on O(2)
``x_hat(rho) w_hat(rho)^T`` (real blocks); ``training.compact.BandLimitedGCNN`` implements this layer.

References
----------
J. W. Cooley, J. W. Tukey. An algorithm for the machine calculation of complex Fourier series.
Math. Comp. 19 (1965) 297-301.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._errors import InvalidGroupError, quote
from ._quadrature import check_bandlimit

__all__ = [
    "so2_character",
    "so2_forward",
    "so2_inverse",
    "so2_convolve",
    "o2_multiply",
    "o2_irreps",
    "o2_forward",
    "o2_inverse",
    "o2_convolve",
]


def _check_samples(n: int, B: int) -> None:
    if n < 2 * B - 1:
        raise InvalidGroupError(f"band limit {B} needs at least {2 * B - 1} samples, got {n}")


def so2_character(k: Any, theta: Any) -> np.ndarray:
    """``chi_k(theta) = exp(i k theta)`` (broadcast).

    Examples
    --------
    >>> bool(np.isclose(so2_character(2, np.pi / 4), 1j))
    True
    """
    return np.exp(1j * np.asarray(k, dtype=float) * np.asarray(theta, dtype=float))


def so2_forward(samples: Any, bandlimit: int | None = None) -> np.ndarray:
    """Coefficients ``c_k = int f chi_k`` for ``|k| < B`` from ``n`` equispaced samples ``f(2 pi j / n)``.

    Parameters
    ----------
    samples : array_like, shape (..., n)
    bandlimit : int, optional
        ``B`` with ``2B - 1 <= n``; default ``(n + 1) // 2``.

    Returns
    -------
    numpy.ndarray
        Shape ``(..., 2B - 1)``, index ``k + B - 1``.

    Examples
    --------
    >>> theta = 2 * np.pi * np.arange(5) / 5
    >>> np.round(so2_forward(np.cos(theta)), 12) + 0.0     # cos = (chi_1 + chi_-1) / 2
    array([0. +0.j, 0.5+0.j, 0. +0.j, 0.5+0.j, 0. +0.j])
    """
    f = np.asarray(samples)
    n = f.shape[-1]
    B = (n + 1) // 2 if bandlimit is None else check_bandlimit(bandlimit)
    _check_samples(n, B)
    E = np.fft.ifft(f, axis=-1)  # E[k] = (1/n) sum_j f_j exp(+2 pi i k j / n) = c_k
    k = np.arange(-(B - 1), B) % n
    return E[..., k]


def so2_inverse(coeffs: Any, n: int) -> np.ndarray:
    """Samples ``f(2 pi j / n) = sum_k c_k exp(-i k theta_j)``, ``j = 0..n-1``.

    Examples
    --------
    >>> c = np.array([0.5, 0.0, 0.5])           # cos(theta)
    >>> np.round(so2_inverse(c, 4).real, 12) + 0.0
    array([ 1.,  0., -1.,  0.])
    """
    c = np.asarray(coeffs)
    if c.shape[-1] % 2 != 1:
        raise InvalidGroupError(f"SO(2) coefficients have odd length 2B - 1, got {c.shape[-1]}")
    B = (c.shape[-1] + 1) // 2
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise InvalidGroupError(f"n must be an integer, got {quote(n)}")
    _check_samples(int(n), B)
    T = np.zeros(c.shape[:-1] + (int(n),), dtype=complex)
    T[..., np.arange(-(B - 1), B) % n] = c
    return np.fft.fft(T, axis=-1)  # sum_k c_k exp(-2 pi i k j / n)


def so2_convolve(f_hat: Any, h_hat: Any) -> np.ndarray:
    """Coefficients of ``(f * h)(u) = int f(u v^{-1}) h(v) dv``: the product ``f_hat h_hat``.

    Examples
    --------
    >>> so2_convolve(np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0]))
    array([2., 4., 6.])
    """
    a, b = np.asarray(f_hat), np.asarray(h_hat)
    if a.shape[-1] != b.shape[-1]:
        raise InvalidGroupError(f"coefficient lengths differ: {a.shape[-1]} and {b.shape[-1]}")
    return a * b


# -- O(2) -----------------------------------------------------------------------------------------------
def o2_multiply(g1: tuple[Any, Any], g2: tuple[Any, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Product ``(theta_1, s_1)(theta_2, s_2) = (theta_1 + (-1)^{s_1} theta_2 mod 2 pi, s_1 xor s_2)``.

    Examples
    --------
    >>> t, s = o2_multiply((0.5, 1), (0.2, 1))
    >>> round(float(t), 12), int(s)
    (0.3, 0)
    """
    t1, s1 = np.asarray(g1[0], dtype=float), np.asarray(g1[1], dtype=int)
    t2, s2 = np.asarray(g2[0], dtype=float), np.asarray(g2[1], dtype=int)
    return np.mod(t1 + np.where(s1 % 2 == 1, -t2, t2), 2 * np.pi), (s1 + s2) % 2


def o2_irreps(B: int, theta: Any, s: Any) -> list[np.ndarray]:
    """Irrep matrices ``[trivial, det, rho_1, ..., rho_{B-1}]`` at ``(theta, s)``, shapes ``(..., d, d)``.

    Examples
    --------
    >>> g1, g2 = (0.4, 1), (1.3, 0)
    >>> t, s = o2_multiply(g1, g2)
    >>> all(np.allclose(a, b @ c) for a, b, c in zip(o2_irreps(3, t, s), o2_irreps(3, *g1), o2_irreps(3, *g2)))
    True
    """
    B = check_bandlimit(B)
    t, s = np.broadcast_arrays(np.asarray(theta, dtype=float), np.asarray(s, dtype=int))
    sign = np.where(s % 2 == 1, -1.0, 1.0)
    out = [np.ones(t.shape + (1, 1)), sign[..., None, None].copy()]
    for k in range(1, B):
        c, sn = np.cos(k * t), np.sin(k * t)
        M = np.empty(t.shape + (2, 2))
        M[..., 0, 0] = c
        M[..., 1, 0] = sn
        M[..., 0, 1] = -sn * sign
        M[..., 1, 1] = c * sign
        out.append(M)
    return out


def o2_forward(samples: Any, bandlimit: int | None = None) -> list[np.ndarray]:
    """Blocks ``f_hat(rho) = int f rho`` (order of :func:`o2_irreps`) from samples ``(..., 2, n)``.

    Examples
    --------
    >>> n = 6; theta = 2 * np.pi * np.arange(n) / n
    >>> f = np.stack([np.ones(n), -np.ones(n)])                # the det character
    >>> [np.round(b, 12).tolist() for b in o2_forward(f, 2)][:2]
    [[[0.0]], [[1.0]]]
    """
    f = np.asarray(samples)
    if f.ndim < 2 or f.shape[-2] != 2:
        raise InvalidGroupError(f"O(2) samples must have shape (..., 2, n), got {f.shape}")
    n = f.shape[-1]
    B = (n + 1) // 2 if bandlimit is None else check_bandlimit(bandlimit)
    _check_samples(n, B)
    E = np.fft.ifft(f, axis=-1)  # E[..., s, k mod n] = (1/n) sum_j f[s, j] exp(i k theta_j)
    mean = E[..., :, 0]
    out = [(0.5 * (mean[..., 0] + mean[..., 1]))[..., None, None], (0.5 * (mean[..., 0] - mean[..., 1]))[..., None, None]]
    for k in range(1, B):
        Ep, Em = E[..., :, k % n], E[..., :, (-k) % n]
        C = 0.5 * (Ep + Em)
        S = (Ep - Em) / 2j
        M = np.empty(f.shape[:-2] + (2, 2), dtype=np.result_type(C, S))
        M[..., 0, 0] = 0.5 * (C[..., 0] + C[..., 1])
        M[..., 0, 1] = 0.5 * (-S[..., 0] + S[..., 1])
        M[..., 1, 0] = 0.5 * (S[..., 0] + S[..., 1])
        M[..., 1, 1] = 0.5 * (C[..., 0] - C[..., 1])
        out.append(M)
    if not np.iscomplexobj(f):
        out = [np.ascontiguousarray(M.real) for M in out]
    return out


def o2_inverse(blocks: Sequence[Any], n: int) -> np.ndarray:
    """Samples ``(..., 2, n)`` of ``f(g) = sum_rho d_rho tr(rho(g)^T f_hat(rho))`` (direct, ``O(n B)``).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> F = [rng.standard_normal((1, 1)), rng.standard_normal((1, 1)), rng.standard_normal((2, 2))]
    >>> G = o2_forward(o2_inverse(F, 4), 2)
    >>> max(float(np.abs(a - b).max()) for a, b in zip(F, G)) < 1e-12
    True
    """
    blocks = [np.asarray(F) for F in blocks]
    if len(blocks) < 2:
        raise InvalidGroupError("O(2) blocks start with the trivial and det blocks")
    B = len(blocks) - 1
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise InvalidGroupError(f"n must be an integer, got {quote(n)}")
    _check_samples(int(n), B)
    theta = 2 * np.pi * np.arange(n) / n
    t = np.broadcast_to(theta, (2, n))
    s = np.broadcast_to(np.array([[0], [1]]), (2, n))
    rhos = o2_irreps(B, t, s)
    out = 0
    for rho, F in zip(rhos, blocks):
        d = rho.shape[-1]
        if F.shape[-2:] != (d, d):
            raise InvalidGroupError(f"O(2) block of an irrep of degree {d} must end with ({d}, {d}), got {F.shape}")
        out = out + d * np.einsum("sjab,...ab->...sj", rho, F)
    return np.asarray(out)


def o2_convolve(f_hat: Sequence[Any], h_hat: Sequence[Any]) -> list[np.ndarray]:
    """Blocks of the O(2) convolution ``(f * h)(u) = int f(u v^{-1}) h(v) dv``: ``f_hat(rho) h_hat(rho)``.

    Examples
    --------
    >>> f = [np.eye(1), np.eye(1), np.eye(2)]
    >>> [b.shape for b in o2_convolve(f, f)]
    [(1, 1), (1, 1), (2, 2)]
    """
    if len(f_hat) != len(h_hat):
        raise InvalidGroupError(f"block counts differ: {len(f_hat)} and {len(h_hat)}")
    return [np.asarray(a) @ np.asarray(b) for a, b in zip(f_hat, h_hat)]
