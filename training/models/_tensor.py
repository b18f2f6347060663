"""Linear tensor networks in the orthogonally decomposable case (Yun, Krishnan & Mobahi 2021)."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .._checks import check_positive_int
from .._errors import ParameterError, ShapeError
from ._base import LinearModel, check_scale

__all__ = ["TensorNetwork", "real_dft_matrix"]


def real_dft_matrix(D: int) -> np.ndarray:
    """The real orthogonal DFT of size D (the real form of the unitary DFT).

    Rows, for ``d = 0..D-1``: ``1/sqrt(D)``; then for each ``1 <= k < D/2`` the pair
    ``sqrt(2/D) cos(2 pi k d / D)``, ``sqrt(2/D) sin(2 pi k d / D)``; and, for even D, the Nyquist row
    ``(-1)^d / sqrt(D)``. In terms of ``a_hat = numpy.fft.fft(a)``: ``(S a)`` lists
    ``a_hat[0]/sqrt(D)``, then ``sqrt(2/D) Re a_hat[k]``, ``-sqrt(2/D) Im a_hat[k]``, ...

    Parameters
    ----------
    D : int
        Size.

    Returns
    -------
    numpy.ndarray
        Orthogonal matrix of shape ``(D, D)``.

    Examples
    --------
    >>> S = real_dft_matrix(5)
    >>> bool(np.allclose(S @ S.T, np.eye(5)))
    True
    """
    D = check_positive_int("D", D)
    d = np.arange(D)
    rows = [np.full(D, 1.0 / np.sqrt(D))]
    for k in range(1, (D + 1) // 2):
        rows.append(np.sqrt(2.0 / D) * np.cos(2 * np.pi * k * d / D))
        rows.append(np.sqrt(2.0 / D) * np.sin(2 * np.pi * k * d / D))
    if D % 2 == 0 and D > 1:
        rows.append((-1.0) ** d / np.sqrt(D))
    return np.array(rows)


class TensorNetwork(LinearModel):
    """Orthogonally decomposable linear tensor network (Yun et al. 2021).

    A linear tensor network computes ``f(x) = M(x)(v_1, ..., v_L)`` for a data tensor ``M(x)`` that is
    linear in x. This class implements the orthogonally decomposable case

        ``M(x) = sum_j [S x]_j  u_1^j (x) u_2^j (x) ... (x) u_L^j``,

    with a transform ``S`` (shape ``(m, D)``) and, for each layer l, orthonormal vectors ``u_l^j``
    (the columns of an orthogonal ``m x m`` matrix ``U_l``). Then
    ``f(x) = sum_j [S x]_j prod_l <u_l^j, v_l>``: a diagonal network in the transformed input
    ``S x`` with layer coordinates ``c_l = U_l^T v_l``, and

        ``beta = S^T (c_1 * c_2 * ... * c_L)``.

    With ``S = I`` and ``U_l = I`` this is :class:`Diagonal`. With ``S`` the real DFT
    (:func:`real_dft_matrix`) it is a diagonal network in the real Fourier basis; a real circular CNN
    is *not* of this form for L >= 2 (a product of Fourier coefficients is a complex product, which
    mixes each cosine/sine pair), but its restriction to even filters is, with the cosine rows of the
    DFT weighted per frequency (see the tests). Classification with exponential loss: ``beta`` is
    proportional to ``S^T z`` with ``z`` a stationary point of ``min ||z||_{2/L}`` subject to
    ``y_n <S x_n, z> >= 1`` (Yun et al. 2021, Thm 1).

    Parameters
    ----------
    S : numpy.ndarray
        Real transform of shape ``(m, D)`` (e.g. orthogonal, or the real form of a unitary).
    U : sequence of numpy.ndarray, optional
        L orthogonal ``(m, m)`` matrices whose columns are ``u_l^j``; identity matrices by default.
    depth : int, optional
        Number of layers L (required if ``U`` is not given; must equal ``len(U)`` otherwise).
    init_scale : float
        Entries of ``v_l`` are drawn from ``N(0, init_scale^2)``.
    seed : int
        Seed of the ``numpy.random.Generator``.

    References
    ----------
    C. Yun, S. Krishnan, H. Mobahi. A unifying view on implicit bias in training linear neural
    networks. ICLR 2021.

    Examples
    --------
    >>> m = TensorNetwork.from_transform(np.eye(3), depth=2)
    >>> v1, v2 = m.params
    >>> bool(np.allclose(m.linearization(), v1 * v2))
    True
    """

    def __init__(
        self,
        S: np.ndarray,
        U: Sequence[np.ndarray] | None = None,
        depth: int | None = None,
        *,
        init_scale: float = 1.0,
        seed: int = 0,
    ) -> None:
        S = np.array(S, dtype=float)
        if S.ndim != 2 or 0 in S.shape or not np.all(np.isfinite(S)):
            raise ShapeError(f"S must be a finite 2-d array of shape (m, D), got shape {S.shape}")
        m = S.shape[0]
        if U is None:
            if depth is None:
                raise ParameterError("depth is required when U is not given")
            depth = check_positive_int("depth", depth)
            Us = [np.eye(m) for _ in range(depth)]
        else:
            Us = [np.array(u, dtype=float) for u in U]
            if depth is not None and check_positive_int("depth", depth) != len(Us):
                raise ParameterError(f"depth={depth} but {len(Us)} matrices U were given")
            if not Us:
                raise ParameterError("U must contain at least one matrix")
            for l, u in enumerate(Us):
                if u.shape != (m, m):
                    raise ShapeError(f"U[{l}] must have shape ({m}, {m}), got {u.shape}")
                if not np.allclose(u.T @ u, np.eye(m), atol=1e-10):
                    raise ParameterError(f"U[{l}] must be orthogonal (orthonormal columns u_l^j)")
        scale = check_scale(init_scale)
        rng = np.random.default_rng(seed)
        super().__init__([rng.standard_normal(m) * scale for _ in Us])
        self.S = S
        self.U = Us
        self.input_dim = S.shape[1]
        self.depth = len(Us)

    @classmethod
    def from_transform(
        cls, S: np.ndarray, depth: int, *, U: Sequence[np.ndarray] | None = None, init_scale: float = 1.0, seed: int = 0
    ) -> "TensorNetwork":
        """Orthogonally decomposable network of the given depth built from the transform ``S``.

        Parameters
        ----------
        S : numpy.ndarray
            Transform of shape ``(m, D)``.
        depth : int
            Number of layers L.
        U : sequence of numpy.ndarray, optional
            Orthogonal matrices of the vectors ``u_l^j`` (identity by default).
        init_scale : float
            Standard deviation of the initial entries.
        seed : int
            Seed of the ``numpy.random.Generator``.

        Returns
        -------
        TensorNetwork

        Examples
        --------
        >>> TensorNetwork.from_transform(real_dft_matrix(4), depth=3).n_params
        12
        """
        return cls(S, U, depth, init_scale=init_scale, seed=seed)

    def _coords(self) -> list[np.ndarray]:
        return [u.T @ v for u, v in zip(self.U, self._params)]

    def data_tensor(self, x: np.ndarray) -> np.ndarray:
        """The dense data tensor ``M(x)`` of shape ``(m,) * L`` (``m ** L`` entries: small cases only)."""
        x = np.asarray(x, dtype=float)
        if x.shape != (self.input_dim,):
            raise ShapeError(f"x must have shape ({self.input_dim},), got {x.shape}")
        m = self.S.shape[0]
        if m**self.depth > 10**7:
            raise ParameterError(f"data tensor has {m}**{self.depth} entries: too large to form")
        T = np.diag(self.S @ x) @ self.U[0].T  # rows j: z_j u_1^j
        for u in self.U[1:]:
            T = T[..., None] * u.T.reshape((m,) + (1,) * (T.ndim - 1) + (m,))
        return T.sum(axis=0)

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``sum_j [S x]_j prod_l <u_l^j, v_l>``."""
        H = self.check_inputs(X) @ self.S.T
        for c in self._coords():
            H = H * c
        return H.sum(axis=1)

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """``dv_l = U_l ((S X^T dL_df) * prod_{k != l} c_k)``."""
        X, g = self.check_inputs_and_weights(X, dL_df)
        z = self.S @ (X.T @ g)
        cs = self._coords()
        L = self.depth
        prefix = [np.ones_like(z)]
        for c in cs[:-1]:
            prefix.append(prefix[-1] * c)
        suffix = np.ones_like(z)
        grads: list[np.ndarray] = [np.empty(0)] * L
        for l in range(L - 1, -1, -1):
            grads[l] = self.U[l] @ (z * prefix[l] * suffix)
            suffix = suffix * cs[l]
        return grads

    def linearization(self) -> np.ndarray:
        """``beta = S^T (c_1 * ... * c_L)`` with ``c_l = U_l^T v_l``."""
        prod = np.ones(self.S.shape[0])
        for c in self._coords():
            prod = prod * c
        return self.S.T @ prod
