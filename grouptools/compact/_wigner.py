r"""Wigner D-matrices of SO(3): rotations, Euler angles, small-d recursion, real forms, harmonics.

Conventions (used everywhere in :mod:`grouptools.compact`)
-----------------------------------------------------------
- **Rotations** are active and right-handed. Euler angles are **ZYZ**:
  ``R(alpha, beta, gamma) = R_z(alpha) R_y(beta) R_z(gamma)`` with ``alpha, gamma`` in ``[0, 2 pi)``
  and ``beta`` in ``[0, pi]``.
- **Wigner D** (Condon-Shortley phase, as in Varshalovich et al. 1988, Sakurai, Wikipedia and
  ``sympy.physics.quantum.spin.Rotation``):
  ``D^l_{mn}(alpha, beta, gamma) = <l m| exp(-i alpha J_z) exp(-i beta J_y) exp(-i gamma J_z) |l n>
  = exp(-i m alpha) d^l_{mn}(beta) exp(-i n gamma)``, rows and columns indexed ``m, n = -l..l``
  (array index ``m + l``). ``R -> D^l(R)`` is a unitary representation: ``D(R1 R2) = D(R1) D(R2)``.
- **Small d** ``d^l_{mn}(beta) = <l m| exp(-i beta J_y) |l n>`` is real, e.g.
  ``d^1_{10}(beta) = -sin(beta)/sqrt(2)``.
- **Spherical harmonics** (Condon-Shortley), point ``x = R(alpha, beta, gamma) e_z`` has polar angle
  ``theta = beta`` and azimuth ``phi = alpha``:
  ``Y_l^m(theta, phi) = sqrt((2l+1)/(4 pi)) d^l_{m0}(theta) exp(i m phi) = sqrt((2l+1)/(4 pi))
  conj(D^l_{m0}(phi, theta, 0))`` and ``Y_l^m(R^{-1} x) = sum_k Y_l^k(x) D^l_{km}(R)``.
- **Real forms.** With the real spherical harmonics ``S_l^mu`` (``mu < 0``:
  ``(i/sqrt 2)(Y^mu - (-1)^mu Y^{-mu})``; ``mu = 0``: ``Y^0``; ``mu > 0``:
  ``(1/sqrt 2)(Y^{-mu} + (-1)^mu Y^mu)``), written ``S = Q Y``, the matrix ``P = conj(Q)``
  (:func:`real_basis_change`) makes ``D_real^l(R) = P D^l(R) P^H`` real orthogonal, and
  ``S_l^mu(R^{-1} x) = sum_nu S_l^nu(x) D_real^l(R)_{nu mu}``.

Algorithm
---------
``d^l(beta)`` for all ``l <= lmax`` and all ``(m, n)`` at once by the three-term recursion in the
degree (Edmonds 1957, in the form used by Kostelec and Rockmore 2008 for SOFT; it is the
recurrence of the Jacobi polynomials ``P^{(|m-n|, |m+n|)}_{l - max(|m|,|n|)}``, run forward as in
SOFT; the tests find it within ``1e-12`` of exact values up to ``l = 60``):

    ``d^{J+1}_{mn} = (J+1)(2J+1) / sqrt(((J+1)^2 - m^2)((J+1)^2 - n^2)) *
    [ (cos beta - m n / (J (J+1))) d^J_{mn} - sqrt((J^2 - m^2)(J^2 - n^2)) / (J (2J+1)) d^{J-1}_{mn} ]``

seeded on the border ``max(|m|, |n|) = J`` by the closed form
``d^J_{J n}(beta) = (-1)^{J-n} sqrt(binom(2J, J+n)) cos(beta/2)^{J+n} sin(beta/2)^{J-n}`` and its
symmetries ``d_{mn} = (-1)^{m-n} d_{nm} = d_{-n,-m}``, evaluated in logarithms (no overflow of the
binomials). Cost ``O(lmax^3)`` per angle for all degrees. The tests compare against exact values
(``sympy`` for small ``l``, exact rational-times-radical Wigner sums for ``l`` up to 60).

References
----------
A. R. Edmonds. Angular Momentum in Quantum Mechanics. Princeton 1957.
P. J. Kostelec, D. N. Rockmore. FFTs on the rotation group. J. Fourier Anal. Appl. 14 (2008) 145-179.
D. A. Varshalovich, A. N. Moskalev, V. K. Khersonskii. Quantum Theory of Angular Momentum. 1988.
"""

from __future__ import annotations

from math import lgamma
from typing import Any, Iterator

import numpy as np
from scipy.special import gammaln

from .._errors import GroupTooLargeError, InvalidGroupError, quote
from .._kernels.wigner import wigner_step

__all__ = [
    "rotation_matrix",
    "euler_angles",
    "wigner_d",
    "wigner_d_matrices",
    "iter_wigner_d",
    "wigner_D",
    "wigner_D_real",
    "real_basis_change",
    "spherical_harmonics",
    "real_spherical_harmonics",
    "MAX_DEGREE",
]

MAX_DEGREE = 2048
"""Largest degree accepted (memory of the recursion grows like ``lmax^2`` per angle)."""


def _check_degree(name: str, l: object, *, limit: int = MAX_DEGREE) -> int:
    if isinstance(l, bool) or not isinstance(l, (int, np.integer)) or l < 0:
        raise InvalidGroupError(f"{name} must be an integer >= 0, got {quote(l)}")
    if l > limit:
        raise GroupTooLargeError(f"{name}={l} exceeds the limit {limit}")
    return int(l)


# -- rotations --------------------------------------------------------------------------------------------
def rotation_matrix(alpha: Any, beta: Any, gamma: Any) -> np.ndarray:
    """The rotation ``R_z(alpha) R_y(beta) R_z(gamma)`` (ZYZ Euler angles), shape ``(..., 3, 3)``.

    Examples
    --------
    >>> R = rotation_matrix(np.pi / 2, 0.0, 0.0)
    >>> np.round(R @ [1.0, 0.0, 0.0], 12) + 0.0
    array([0., 1., 0.])
    """
    a, b, g = np.broadcast_arrays(*(np.asarray(t, dtype=float) for t in (alpha, beta, gamma)))
    ca, sa, cb, sb, cg, sg = np.cos(a), np.sin(a), np.cos(b), np.sin(b), np.cos(g), np.sin(g)
    R = np.empty(a.shape + (3, 3))
    R[..., 0, 0] = ca * cb * cg - sa * sg
    R[..., 0, 1] = -ca * cb * sg - sa * cg
    R[..., 0, 2] = ca * sb
    R[..., 1, 0] = sa * cb * cg + ca * sg
    R[..., 1, 1] = -sa * cb * sg + ca * cg
    R[..., 1, 2] = sa * sb
    R[..., 2, 0] = -sb * cg
    R[..., 2, 1] = sb * sg
    R[..., 2, 2] = cb
    return R


def euler_angles(R: Any, *, tol: float = 1e-12) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ZYZ Euler angles ``(alpha, beta, gamma)`` of rotation matrices ``R`` (shape ``(..., 3, 3)``).

    ``alpha, gamma`` are in ``[0, 2 pi)``, ``beta`` in ``[0, pi]``. At the gimbal-lock angles
    ``beta = 0, pi`` (``|sin beta| <= tol``) only ``alpha +- gamma`` is determined; ``gamma = 0``.

    Raises
    ------
    InvalidGroupError
        If ``R`` does not have shape ``(..., 3, 3)``.

    Examples
    --------
    >>> a, b, g = euler_angles(rotation_matrix(0.3, 1.2, 2.5))
    >>> np.round([float(a), float(b), float(g)], 12).tolist()
    [0.3, 1.2, 2.5]
    """
    R = np.asarray(R, dtype=float)
    if R.ndim < 2 or R.shape[-2:] != (3, 3):
        raise InvalidGroupError(f"rotation matrices must have shape (..., 3, 3), got {R.shape}")
    sb = np.hypot(R[..., 0, 2], R[..., 1, 2])
    beta = np.arctan2(sb, R[..., 2, 2])  # accurate near 0 and pi, unlike arccos
    regular = sb > tol
    alpha = np.where(regular, np.arctan2(R[..., 1, 2], R[..., 0, 2]), 0.0)
    gamma = np.where(regular, np.arctan2(R[..., 2, 1], -R[..., 2, 0]), 0.0)
    north = ~regular & (R[..., 2, 2] > 0)
    south = ~regular & (R[..., 2, 2] <= 0)
    alpha = np.where(north, np.arctan2(R[..., 1, 0], R[..., 0, 0]), alpha)
    alpha = np.where(south, np.arctan2(-R[..., 1, 0], -R[..., 0, 0]), alpha)
    beta = np.where(north, 0.0, np.where(south, np.pi, beta))
    two_pi = 2 * np.pi
    return np.mod(alpha, two_pi), beta, np.mod(gamma, two_pi)


# -- small d ----------------------------------------------------------------------------------------------
def _border_seed(J: int, k: np.ndarray, log_ch: np.ndarray, log_sh: np.ndarray, sg_ch: np.ndarray, sg_sh: np.ndarray) -> np.ndarray:
    """``sqrt(binom(2J, J+k)) cos(b/2)^(J+k) sin(b/2)^(J-k)`` for ``k = -J..J`` (shape ``(2J+1, nb)``)."""
    k = k[:, None]
    logc = 0.5 * (lgamma(2 * J + 1) - gammaln(J + k + 1.0) - gammaln(J - k + 1.0))
    a = J + k
    b = J - k
    with np.errstate(invalid="ignore", divide="ignore"):
        ta = np.where(a == 0, 0.0, a * log_ch[None, :])
        tb = np.where(b == 0, 0.0, b * log_sh[None, :])
    sign = np.where(a % 2 == 1, sg_ch[None, :], 1.0) * np.where(b % 2 == 1, sg_sh[None, :], 1.0)
    return sign * np.exp(logc + ta + tb)


def iter_wigner_d(lmax: int, beta: Any, *, kernel: str = "numba") -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(l, d^l(beta))`` for ``l = 0..lmax``; ``d^l`` has shape ``(2l+1, 2l+1, nbeta)``.

    The three-term recursion of the module docstring, for all angles at once (``beta`` is
    flattened). Memory ``O(lmax^2 nbeta)``: only the current blocks are kept. ``kernel`` selects
    the interior update: ``"numba"`` (:func:`grouptools._kernels.wigner.wigner_step`, compiled) or
    ``"python"`` (the same kernel uncompiled, ``wigner_step.py``).

    Examples
    --------
    >>> [d.shape for _, d in iter_wigner_d(2, [0.1, 0.2])]
    [(1, 1, 2), (3, 3, 2), (5, 5, 2)]
    """
    L = _check_degree("lmax", lmax)
    if kernel not in ("numba", "python"):
        raise InvalidGroupError(f"kernel must be 'numba' or 'python', got {quote(kernel)}")
    step = wigner_step if kernel == "numba" else wigner_step.py
    b = np.atleast_1d(np.asarray(beta, dtype=float)).ravel()
    nb = b.size
    cb = np.cos(b)
    ch, sh = np.cos(b / 2), np.sin(b / 2)
    with np.errstate(divide="ignore"):
        log_ch, log_sh = np.log(np.abs(ch)), np.log(np.abs(sh))
    sg_ch, sg_sh = np.sign(ch), np.sign(sh)
    prev = np.zeros((0, 0, nb))
    cur = np.zeros((0, 0, nb))
    for J in range(L + 1):
        new = np.empty((2 * J + 1, 2 * J + 1, nb))
        if J >= 1:
            step(prev, cur, cb, J - 1, new)
        # border max(|m|, |n|) = J, from the closed form and the symmetries
        k = np.arange(-J, J + 1)
        new[-1, :] = _border_seed(J, k, log_ch, log_sh, sg_ch, sg_sh) * ((-1.0) ** (J - k))[:, None]  # d_{J,n}
        new[0, :] = _border_seed(J, -k, log_ch, log_sh, sg_ch, sg_sh)  # d_{-J,n}
        new[:, -1] = _border_seed(J, k, log_ch, log_sh, sg_ch, sg_sh)  # d_{m,J}
        new[:, 0] = _border_seed(J, -k, log_ch, log_sh, sg_ch, sg_sh) * ((-1.0) ** (J + k))[:, None]  # d_{m,-J}
        yield J, new
        prev, cur = cur, new


def wigner_d_matrices(lmax: int, beta: Any) -> list[np.ndarray]:
    """``[d^0(beta), ..., d^lmax(beta)]``, each of shape ``shape(beta) + (2l+1, 2l+1)``.

    Examples
    --------
    >>> d = wigner_d_matrices(1, np.pi / 2)
    >>> np.round(d[1], 12) + 0.0
    array([[ 0.5      ,  0.7071068,  0.5      ],
           [-0.7071068,  0.       ,  0.7071068],
           [ 0.5      , -0.7071068,  0.5      ]])
    """
    shape = np.shape(beta)
    return [np.moveaxis(d, -1, 0).reshape(shape + d.shape[:2]) for _, d in iter_wigner_d(lmax, beta)]


def wigner_d(l: int, beta: Any) -> np.ndarray:
    """Wigner small-d matrix ``d^l(beta)``, shape ``shape(beta) + (2l+1, 2l+1)``, index ``[m+l, n+l]``.

    Examples
    --------
    >>> b = 0.7
    >>> bool(np.isclose(wigner_d(1, b)[2, 1], -np.sin(b) / np.sqrt(2)))  # d^1_{10}
    True
    """
    l = _check_degree("l", l)
    shape = np.shape(beta)
    d = None
    for _, d in iter_wigner_d(l, beta):
        pass
    return np.moveaxis(d, -1, 0).reshape(shape + d.shape[:2])


def wigner_D(l: int, alpha: Any, beta: Any, gamma: Any) -> np.ndarray:
    """Complex Wigner D-matrix ``D^l(alpha, beta, gamma)`` (module conventions), shape ``(..., 2l+1, 2l+1)``.

    Examples
    --------
    >>> R1, R2 = (0.3, 1.1, 2.0), (1.7, 0.4, 5.0)
    >>> a, b, g = euler_angles(rotation_matrix(*R1) @ rotation_matrix(*R2))
    >>> bool(np.allclose(wigner_D(2, a, b, g), wigner_D(2, *R1) @ wigner_D(2, *R2)))
    True
    """
    l = _check_degree("l", l)
    a, b, g = np.broadcast_arrays(*(np.asarray(t, dtype=float) for t in (alpha, beta, gamma)))
    m = np.arange(-l, l + 1)
    d = wigner_d(l, b)
    ea = np.exp(-1j * a[..., None] * m)
    eg = np.exp(-1j * g[..., None] * m)
    return ea[..., :, None] * d * eg[..., None, :]


def real_basis_change(l: int) -> np.ndarray:
    """The unitary ``P`` (``(2l+1, 2l+1)``) with ``D_real^l = P D^l P^H`` real; ``P = conj(Q)``, ``S = Q Y``.

    Rows are indexed by the real index ``mu = -l..l``, columns by ``m`` (module docstring).

    Examples
    --------
    >>> P = real_basis_change(1)
    >>> bool(np.allclose(P @ P.conj().T, np.eye(3)))
    True
    """
    l = _check_degree("l", l)
    Q = np.zeros((2 * l + 1, 2 * l + 1), dtype=complex)
    s = np.sqrt(0.5)
    for mu in range(-l, l + 1):
        r = mu + l
        if mu < 0:
            Q[r, mu + l] = 1j * s
            Q[r, -mu + l] = -1j * s * (-1) ** mu
        elif mu == 0:
            Q[r, l] = 1.0
        else:
            Q[r, -mu + l] = s
            Q[r, mu + l] = s * (-1) ** mu
    return np.conj(Q)


def wigner_D_real(l: int, alpha: Any, beta: Any, gamma: Any) -> np.ndarray:
    """Real orthogonal Wigner matrix ``D_real^l = P D^l P^H`` (module docstring), shape ``(..., 2l+1, 2l+1)``.

    Examples
    --------
    >>> Dr = wigner_D_real(1, 0.3, 1.0, 2.0)
    >>> bool(np.allclose(Dr @ Dr.T, np.eye(3))), Dr.dtype
    (True, dtype('float64'))
    """
    P = real_basis_change(l)
    D = P @ wigner_D(l, alpha, beta, gamma) @ P.conj().T
    return np.ascontiguousarray(D.real)


def spherical_harmonics(l: int, theta: Any, phi: Any) -> np.ndarray:
    """``Y_l^m(theta, phi)`` for ``m = -l..l`` (last axis), Condon-Shortley phase, orthonormal on S^2.

    Examples
    --------
    >>> bool(np.isclose(spherical_harmonics(1, 0.4, 0.0)[1].real, np.sqrt(3 / (4 * np.pi)) * np.cos(0.4)))
    True
    """
    l = _check_degree("l", l)
    t, p = np.broadcast_arrays(np.asarray(theta, dtype=float), np.asarray(phi, dtype=float))
    m = np.arange(-l, l + 1)
    d0 = wigner_d(l, t)[..., :, l]
    return np.sqrt((2 * l + 1) / (4 * np.pi)) * d0 * np.exp(1j * p[..., None] * m)


def real_spherical_harmonics(l: int, theta: Any, phi: Any) -> np.ndarray:
    """Real spherical harmonics ``S_l^mu(theta, phi)`` (``mu = -l..l``, last axis): ``S = Q Y = conj(P) Y``.

    Examples
    --------
    >>> S = real_spherical_harmonics(2, 0.5, 1.0)
    >>> S.dtype, S.shape
    (dtype('float64'), (5,))
    """
    Y = spherical_harmonics(l, theta, phi)
    Q = np.conj(real_basis_change(l))
    return np.ascontiguousarray((Y @ Q.T).real)
