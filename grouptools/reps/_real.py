"""Real orthogonal forms of irreducible representations with Frobenius-Schur indicator +1.

For a unitary irreducible ``U`` of real type there is a symmetric unitary ``K`` with
``U(g) K = K conj(U(g))`` for all ``g`` (Frobenius & Schur 1906; Serre 1977, 13.2); it is the
group average ``sum_g U(g) X U(g)^T`` of any ``X`` (normalized). Writing ``K = S S^T`` with ``S``
unitary, ``S^-1 U(g) S`` is real. For symmetric unitary ``K`` the principal square root ``S`` (via
the complex Schur form, after a global phase that keeps the spectrum away from the branch cut)
is a polynomial in ``K``, hence symmetric and unitary, and ``S S^T = S^2 = K`` (a numerical Takagi
factorization).
"""

from __future__ import annotations

import numpy as np

from .._errors import VerificationError
from ..groups._group import FiniteGroup

__all__ = ["real_form", "real_intertwiner", "symmetric_unitary_sqrt"]


def real_intertwiner(mats: np.ndarray, seed: int = 20240607) -> np.ndarray:
    """Symmetric unitary ``S`` with ``S^H U(g) S`` real for all ``g``, for a unitary
    irreducible representation of real type given by all its element matrices ``mats``.

    The intertwiner ``K`` with ``U K = K conj(U)`` is the group average
    ``sum_g U(g) X U(g)^T`` of a random ``X`` (one-dimensional commutant by Schur's lemma),
    normalized to be unitary; ``S`` is its principal square root.

    Raises
    ------
    VerificationError
        If there is no symmetric unitary intertwiner (the indicator is not +1).

    Examples
    --------
    >>> r, s = np.array([[0, -1], [1, 0]]), np.array([[1, 0], [0, -1]])   # the square's group
    >>> D8 = [np.linalg.matrix_power(r, i) @ np.linalg.matrix_power(s, j)
    ...       for i in range(4) for j in range(2)]
    >>> V = np.array([[1, 1j], [1j, 1]]) / np.sqrt(2)                    # a complex basis
    >>> U = np.array([V.conj().T @ g @ V for g in D8])
    >>> S = real_intertwiner(U)
    >>> bool(np.abs((S.conj().T @ U @ S).imag).max() < 1e-12)
    True
    """
    d = mats.shape[1]
    eye = np.eye(d)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((d, d)) + 1j * rng.standard_normal((d, d))
    K = ((mats @ X) @ np.transpose(mats, (0, 2, 1))).sum(axis=0)
    scale = np.sqrt(np.abs(np.trace(K @ K.conj().T)) / d)
    if scale < 1e-8 * mats.shape[0]:
        raise VerificationError("no intertwiner with the conjugate: the indicator is not +1")
    K = K / scale
    if np.abs(K - K.T).max() > 1e-9 or np.abs(K @ K.conj().T - eye).max() > 1e-9:
        raise VerificationError("the intertwiner is not symmetric unitary: indicator is not +1")
    return symmetric_unitary_sqrt((K + K.T) / 2)


def symmetric_unitary_sqrt(K: np.ndarray) -> np.ndarray:
    """A symmetric unitary ``S`` with ``S S^T = K``, for a symmetric unitary ``K``.

    The principal square root of ``K`` rotated by a global phase ``c`` that keeps its spectrum
    away from the branch cut, ``S = sqrt(c K) / sqrt(c)``: a polynomial in ``K``, hence
    symmetric, unitary and ``S S^T = S^2 = K`` (a numerical Takagi factorization of ``K``;
    Takagi 1925). Computed from the complex Schur form (``K`` is normal: ``T`` is diagonal).

    Examples
    --------
    >>> K = np.array([[0, 1j], [1j, 0]])
    >>> S = symmetric_unitary_sqrt(K)
    >>> bool(np.allclose(S @ S.T, K) and np.allclose(S @ S.conj().T, np.eye(2)))
    True
    """
    ang = np.sort(np.angle(np.linalg.eigvals(K)))
    gaps = np.diff(np.concatenate([ang, [ang[0] + 2 * np.pi]]))
    j = int(np.argmax(gaps))
    mid = ang[j] + gaps[j] / 2
    phase = np.exp(1j * (np.pi - mid))  # c K has its spectrum away from the branch cut of sqrt
    import scipy.linalg  # lazily, to keep `import grouptools` light

    T, Z = scipy.linalg.schur(K * phase, output="complex")
    return ((Z * np.sqrt(np.diag(T))[None, :]) @ Z.conj().T) / np.sqrt(phase)


def real_form(G: FiniteGroup, mats: np.ndarray, label: str = "irrep") -> np.ndarray:
    """Real orthogonal matrices ``(|G|, d, d)`` equivalent to the unitary ``mats``, for an
    irreducible representation of real type.

    Raises
    ------
    VerificationError
        If the result is not real or not orthogonal to 1e-12.
    """
    if np.abs(mats.imag).max(initial=0) < 1e-13:
        out = np.ascontiguousarray(mats.real)
    else:
        S = real_intertwiner(mats)
        R = (S.conj().T @ mats) @ S
        err = np.abs(R.imag).max(initial=0)
        if err > 1e-12:
            raise VerificationError(f"{label}: real form has imaginary part {err:.1e}")
        out = np.ascontiguousarray(R.real)
    d = mats.shape[1]
    err = np.abs(out @ np.transpose(out, (0, 2, 1)) - np.eye(d)).max(initial=0)
    if err > 1e-12:
        raise VerificationError(f"{label}: real form is not orthogonal ({err:.1e})")
    out.setflags(write=False)
    return out
