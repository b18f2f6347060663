r"""Clebsch-Gordan coefficients and Wigner 3j symbols of SO(3), in the toolkit's complex and real bases.

Conventions are those of :mod:`grouptools.compact._wigner`: Condon-Shortley phase, index
``m + l``, ``D_real^l = P_l D^l P_l^H`` with ``P_l`` = :func:`real_basis_change`.

- **Complex basis.** ``C[m1 + l1, m2 + l2, m + l] = <l1 m1 l2 m2 | l m>``, the standard
  Condon-Shortley coefficients (``<l1 l1 l2 (l-l1) | l l> > 0``), as in
  ``sympy.physics.wigner.clebsch_gordan``. With ``Q`` the coupling matrix (columns ordered by
  ``l = |l1-l2| .. l1+l2``, then ``m``; rows by ``(m1, m2)`` in ``np.kron`` order),
  ``D^{l1}(R) (x) D^{l2}(R) = Q (sum_l D^l(R)) Q^H`` and ``Q`` is real orthogonal.
- **Real basis.** ``C_real = (-i)^s (P_{l1} (x) P_{l2}) C P_l^H`` with ``s = (l1 + l2 + l) mod 2``
  (the transformed coefficients are real for even ``l1 + l2 + l`` and imaginary for odd; the
  phase makes them real), so ``D_real^{l1} (x) D_real^{l2} = Q_real (sum_l D_real^l) Q_real^T``
  with ``Q_real`` real orthogonal.
- **3j symbols** ``(l1 l2 l3; m1 m2 m3) = (-1)^(l1 - l2 - m3) / sqrt(2 l3 + 1)
  <l1 m1 l2 m2 | l3 -m3>``.

Algorithm
---------
Racah's closed form (Racah 1942) in exact integers: with ``n = l1 + l2 - l``,
``a = l + l1 - l2``, ``b = l - l1 + l2``,
``<l1 m1 l2 m2 | l m> = I sqrt((2l+1) (l+m)! (l-m)! (l1-m1)! (l1+m1)! (l2-m2)! (l2+m2)! /
((l1+l2+l+1)! n! a! b!))`` with the integer
``I = sum_k (-1)^k binom(n, k) binom(a, l1 - m1 - k) binom(b, l2 + m2 - k)``. The radicand is
formed exactly as a ratio of Python integers and converted once with correct rounding, so each
coefficient is within about one ulp (no cancellation in floating point). Degrees up to
:data:`MAX_CG_DEGREE`.

References
----------
G. Racah. Theory of complex spectra II. Phys. Rev. 62 (1942) 438-462.
D. A. Varshalovich, A. N. Moskalev, V. K. Khersonskii. Quantum Theory of Angular Momentum. 1988,
chapter 8.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .._errors import GroupTooLargeError, ParameterError, ParameterTypeError, check_int, quote
from ._wigner import real_basis_change

__all__ = [
    "CG_BASES",
    "MAX_CG_DEGREE",
    "clebsch_gordan_so3",
    "so3_coupling_matrix",
    "wigner_3j",
]

#: Largest ``l1``, ``l2`` accepted (then ``l <= 2 MAX_CG_DEGREE``).
MAX_CG_DEGREE = 20
#: The bases of the coefficients.
CG_BASES = ("complex", "real")


def _degree(name: str, l: object, limit: int) -> int:
    l = check_int(name, l)
    if l < 0:
        raise ParameterError(f"{name} must be >= 0, got {quote(l)}")
    if l > limit:
        raise GroupTooLargeError(f"{name}={l} exceeds the limit {limit} (MAX_CG_DEGREE)")
    return l


def _check(l1: object, l2: object, l: object) -> tuple[int, int, int]:
    a = _degree("l1", l1, MAX_CG_DEGREE)
    b = _degree("l2", l2, MAX_CG_DEGREE)
    c = _degree("l", l, 2 * MAX_CG_DEGREE)
    if not abs(a - b) <= c <= a + b:
        raise ParameterError(f"(l1, l2, l) = ({a}, {b}, {c}) violates the triangle condition "
                             "|l1 - l2| <= l <= l1 + l2")
    return a, b, c


def _basis(basis: object) -> str:
    if not isinstance(basis, str):
        raise ParameterTypeError(f"basis must be a str, got {type(basis).__name__}")
    if basis not in CG_BASES:
        raise ParameterError(f"basis must be 'complex' or 'real', got {quote(basis)}")
    return basis


@lru_cache(maxsize=None)
def _fact(n: int) -> int:
    return math.factorial(n)


@lru_cache(maxsize=256)
def _complex_cg(l1: int, l2: int, l: int) -> np.ndarray:
    """Racah's formula (module docstring), read-only ``(2l1+1, 2l2+1, 2l+1)`` float64."""
    n, a, b = l1 + l2 - l, l + l1 - l2, l - l1 + l2
    den = _fact(l1 + l2 + l + 1) * _fact(n) * _fact(a) * _fact(b)
    bn = [math.comb(n, k) for k in range(n + 1)]
    ba = [math.comb(a, k) for k in range(a + 1)]
    bb = [math.comb(b, k) for k in range(b + 1)]
    out = np.zeros((2 * l1 + 1, 2 * l2 + 1, 2 * l + 1))
    for m1 in range(-l1, l1 + 1):
        for m2 in range(max(-l2, -l - m1), min(l2, l - m1) + 1):
            m = m1 + m2
            p, q = l1 - m1, l2 + m2
            total = 0
            for k in range(max(0, p - a, q - b), min(n, p, q) + 1):
                term = bn[k] * ba[p - k] * bb[q - k]
                total += -term if k & 1 else term
            if total == 0:
                continue
            num = (total * total * (2 * l + 1) * _fact(l + m) * _fact(l - m) * _fact(l1 - m1)
                   * _fact(l1 + m1) * _fact(l2 - m2) * _fact(l2 + m2))
            val = math.sqrt(num / den)  # int / int: correctly rounded
            out[m1 + l1, m2 + l2, m + l] = val if total > 0 else -val
    out.setflags(write=False)
    return out


def _apply(P: np.ndarray, X: np.ndarray, axis: int) -> np.ndarray:
    """``P`` applied to ``X`` along ``axis`` for a real basis change ``P``, whose row ``r`` has
    its nonzeros in the columns ``r`` and ``2l - r`` (elementwise: no dense product)."""
    r = np.arange(P.shape[0])
    d1, d2 = P[r, r], P[r, r[::-1]].copy()
    d2[P.shape[0] // 2] = 0  # the middle row has one nonzero
    Xm = np.moveaxis(X, axis, -1)
    return np.moveaxis(Xm * d1 + Xm[..., ::-1] * d2, -1, axis)


@lru_cache(maxsize=256)
def _real_cg(l1: int, l2: int, l: int) -> np.ndarray:
    C = _complex_cg(l1, l2, l)
    P1, P2, P = real_basis_change(l1), real_basis_change(l2), real_basis_change(l)
    R = _apply(P1, C.astype(complex), 0)
    R = _apply(P2, R, 1)
    R = _apply(P.conj(), R, 2)                                 # R P^H = (conj(P) R^T)^T
    if (l1 + l2 + l) % 2:
        R = -1j * R
    err = np.abs(R.imag).max(initial=0)
    if err > 1e-12:  # pragma: no cover - a convention error, caught by the tests
        raise ParameterError(f"real Clebsch-Gordan coefficients have imaginary part {err:.1e}")
    out = np.ascontiguousarray(R.real)
    out.setflags(write=False)
    return out


def clebsch_gordan_so3(l1: int, l2: int, l: int, basis: str = "complex") -> np.ndarray:
    """Clebsch-Gordan coefficients of SO(3): array ``(2l1+1, 2l2+1, 2l+1)`` float64.

    ``basis="complex"``: ``C[m1+l1, m2+l2, m+l] = <l1 m1 l2 m2 | l m>`` (Condon-Shortley);
    ``basis="real"``: the coefficients in the real bases of :func:`wigner_D_real` (module
    docstring). Columns ``C[:, :, j]`` flattened are orthonormal, and
    ``(D^{l1} (x) D^{l2}) C_flat = C_flat D^l``.

    Parameters
    ----------
    l1, l2 : int
        In ``0..MAX_CG_DEGREE``.
    l : int
        ``|l1 - l2| <= l <= l1 + l2``.
    basis : {"complex", "real"}

    Raises
    ------
    ParameterTypeError
        Non-integer degrees or a non-string basis.
    ParameterError
        Negative degrees, the triangle condition violated, an unknown basis.
    GroupTooLargeError
        ``l1`` or ``l2`` above :data:`MAX_CG_DEGREE`.

    Examples
    --------
    >>> C = clebsch_gordan_so3(1, 1, 0)
    >>> bool(np.isclose(C[2, 0, 0], 1 / np.sqrt(3)))   # <1 1 1 -1 | 0 0>
    True
    >>> Cr = clebsch_gordan_so3(1, 1, 1, basis="real")
    >>> bool(np.allclose(Cr.reshape(9, 3).T @ Cr.reshape(9, 3), np.eye(3)))
    True
    """
    a, b, c = _check(l1, l2, l)
    basis = _basis(basis)
    src = _complex_cg(a, b, c) if basis == "complex" else _real_cg(a, b, c)
    return src.copy()


def wigner_3j(l1: int, l2: int, l3: int) -> np.ndarray:
    """Wigner 3j symbols ``W[m1+l1, m2+l2, m3+l3] = (l1 l2 l3; m1 m2 m3)``, float64.

    ``(l1 l2 l3; m1 m2 m3) = (-1)^(l1 - l2 - m3) <l1 m1 l2 m2 | l3 -m3> / sqrt(2 l3 + 1)``
    (as ``sympy.physics.wigner.wigner_3j``); zero unless ``m1 + m2 + m3 = 0``.

    Raises
    ------
    ParameterTypeError, ParameterError, GroupTooLargeError
        As :func:`clebsch_gordan_so3` (``l3`` in the role of ``l``).

    Examples
    --------
    >>> W = wigner_3j(1, 1, 0)
    >>> bool(np.isclose(W[0, 2, 0], 1 / np.sqrt(3)))    # (1 1 0; -1 1 0)
    True
    """
    a, b, c = _check(l1, l2, l3)
    C = _complex_cg(a, b, c)[:, :, ::-1]        # m3 -> -m3
    m3 = np.arange(-c, c + 1)
    sign = np.where((a - b - m3) % 2 == 0, 1.0, -1.0)
    return C * sign / math.sqrt(2 * c + 1)


def so3_coupling_matrix(l1: int, l2: int, basis: str = "complex") -> np.ndarray:
    """The coupling matrix ``Q`` of ``D^{l1} (x) D^{l2}``: square of size ``(2l1+1)(2l2+1)``.

    Rows are ``(m1, m2)`` in ``np.kron`` order (``(m1+l1)(2l2+1) + m2+l2``); columns are
    ``l = |l1-l2| .. l1+l2`` and within each ``m = -l..l`` (or the real index ``mu``):
    ``D^{l1}(R) (x) D^{l2}(R) = Q (sum_l D^l(R)) Q^H`` (``basis="complex"``; ``Q`` real
    orthogonal) and ``D_real^{l1} (x) D_real^{l2} = Q (sum_l D_real^l) Q^T``
    (``basis="real"``, ``Q`` real orthogonal).

    Raises
    ------
    ParameterTypeError, ParameterError, GroupTooLargeError
        As :func:`clebsch_gordan_so3`.

    Examples
    --------
    >>> from grouptools.compact import wigner_D_real
    >>> Q = so3_coupling_matrix(1, 2, basis="real")
    >>> blocks = [wigner_D_real(l, 0.3, 1.1, 2.0) for l in (1, 2, 3)]
    >>> import scipy.linalg
    >>> lhs = np.kron(wigner_D_real(1, 0.3, 1.1, 2.0), wigner_D_real(2, 0.3, 1.1, 2.0))
    >>> bool(np.allclose(lhs, Q @ scipy.linalg.block_diag(*blocks) @ Q.T))
    True
    """
    a = _degree("l1", l1, MAX_CG_DEGREE)
    b = _degree("l2", l2, MAX_CG_DEGREE)
    basis = _basis(basis)
    N = (2 * a + 1) * (2 * b + 1)
    cols = [clebsch_gordan_so3(a, b, l, basis).reshape(N, 2 * l + 1)
            for l in range(abs(a - b), a + b + 1)]
    return np.concatenate(cols, axis=1)
