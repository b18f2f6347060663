"""Full-width linear convolutional networks: circular (Gunasekar et al. 2018) and group (Lawrence et al. 2022)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._errors import ParameterTypeError, ShapeError
from ._models_base import LinearModel, _check_positive_int, _check_scale

__all__ = ["CircularCNN", "GCNN", "correlation_index"]


# -- circular correlation (numpy.fft) ------------------------------------------------------------------
def _circ_corr(H: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Rows of ``H`` correlated with ``w``: ``out[n, d] = sum_k w[k] H[n, (k + d) mod D]``."""
    D = w.shape[0]
    return np.fft.irfft(np.conj(np.fft.rfft(w)) * np.fft.rfft(H, axis=-1), n=D, axis=-1)


def _circ_corr_backward(H: np.ndarray, G: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adjoint of :func:`_circ_corr`: ``(dH, dw)`` for the upstream gradient ``G``.

    ``dH[n, m] = sum_d G[n, d] w[(m - d) mod D]`` (a circular convolution) and
    ``dw[k] = sum_{n, d} G[n, d] H[n, (k + d) mod D]`` (the correlation of ``H`` with ``G``).
    """
    D = w.shape[0]
    Gh = np.fft.rfft(G, axis=-1)
    dH = np.fft.irfft(Gh * np.fft.rfft(w), n=D, axis=-1)
    dw = np.fft.irfft(np.sum(np.conj(Gh) * np.fft.rfft(H, axis=-1), axis=0), n=D)
    return dH, dw


class CircularCNN(LinearModel):
    """Full-width linear circular CNN of depth L (Gunasekar et al. 2018).

    Layers ``h_0 = x``, ``h_l = h_{l-1} star w_l`` for ``l = 1..L-1`` with the circular
    cross-correlation

        ``(h star w)[d] = sum_{k=0}^{D-1} w[k] h[(k + d) mod D]``

    (the cyclic-group case of the G-CNN layer ``(x star w)(g) = sum_h w(h) x(h g)``, no ``1/sqrt(D)``
    factor), and a dense last layer ``f(x) = <h_{L-1}, v>``. Parameters: filters ``w_1..w_{L-1}`` and
    ``v``, all in R^D.

    With the unnormalized DFT ``a_hat = numpy.fft.fft(a)`` (``a_hat[j] = sum_d a[d] e^{-2 pi i j d/D}``)
    one layer is ``(h star w)^ = conj(w_hat) h_hat`` for real w, and Parseval gives

        ``beta_hat = w_hat_1 * w_hat_2 * ... * w_hat_{L-1} * v_hat``  (elementwise, no conjugations),

    i.e. ``beta = w_1 (*) ... (*) w_{L-1} (*) v`` with circular convolution ``(a (*) b)[m] =
    sum_d a[m - d] b[d]``. Gradient descent with exponential loss converges in direction to a
    stationary point of ``min ||beta_hat||_{2/L}`` subject to margins ``>= 1`` (Thm 2/2a).

    Parameters
    ----------
    D : int
        Input dimension (length of every filter).
    depth : int
        Number of layers L (L - 1 convolutions and the dense layer).
    init_scale : float
        Entries are drawn from ``N(0, init_scale^2 / D)``.
    seed : int
        Seed of the ``numpy.random.Generator``.

    References
    ----------
    S. Gunasekar, J. D. Lee, D. Soudry, N. Srebro. Implicit bias of gradient descent on linear
    convolutional networks. NeurIPS 2018.

    Examples
    --------
    >>> m = CircularCNN(6, depth=3, seed=1)
    >>> w1, w2, v = m.params
    >>> beta_hat = np.fft.fft(w1) * np.fft.fft(w2) * np.fft.fft(v)
    >>> bool(np.allclose(np.fft.fft(m.linearization()), beta_hat))
    True
    >>> bool(np.allclose(m.forward(np.eye(6)), m.linearization()))
    True
    """

    def __init__(self, D: int, depth: int, *, init_scale: float = 1.0, seed: int = 0) -> None:
        D = _check_positive_int("D", D)
        depth = _check_positive_int("depth", depth)
        scale = _check_scale(init_scale) / np.sqrt(D)
        rng = np.random.default_rng(seed)
        super().__init__([rng.standard_normal(D) * scale for _ in range(depth)])
        self.input_dim = D
        self.depth = depth

    def layer_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """Hidden activations ``[h_0 = X, h_1, ..., h_{L-1}]``, each of shape ``(N, D)``."""
        H = [self._check_X(X)]
        for w in self._params[:-1]:
            H.append(_circ_corr(H[-1], w))
        return H

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``<h_{L-1}(x_n), v>``."""
        return self.layer_outputs(X)[-1] @ self._params[-1]

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Backpropagation through the correlations (adjoint = circular convolution)."""
        X, g = self._check_X_g(X, dL_df)
        H = self.layer_outputs(X)
        grads: list[np.ndarray] = [np.empty(0)] * self.depth
        grads[-1] = H[-1].T @ g
        G = np.outer(g, self._params[-1])
        for l in range(self.depth - 2, -1, -1):
            G, grads[l] = _circ_corr_backward(H[l], G, self._params[l])
        return grads

    def linearization(self) -> np.ndarray:
        """``beta = ifft(w_hat_1 ... w_hat_{L-1} v_hat)`` (real)."""
        prod = np.ones(self.input_dim // 2 + 1, dtype=complex)
        for w in self._params:
            prod = prod * np.fft.rfft(w)
        return np.fft.irfft(prod, n=self.input_dim)


# -- G-correlation (real space, Cayley table) ----------------------------------------------------------
def correlation_index(cayley_table: np.ndarray, inverse: np.ndarray) -> np.ndarray:
    """Index matrix ``K[m, g] = index of g_m g^{-1}`` of the G-correlation layer.

    The layer ``(x star w)(g) = sum_h w(h) x(h g)`` is ``out = x @ A(w)`` with ``A(w) = w[K]``:
    substituting ``m = h g`` gives ``out(g) = sum_m x(m) w(m g^{-1})``.

    Parameters
    ----------
    cayley_table : numpy.ndarray
        ``cayley_table[i, j]`` is the index of ``g_i g_j``, shape ``(n, n)``.
    inverse : numpy.ndarray
        ``inverse[i]`` is the index of ``g_i^{-1}``, shape ``(n,)``.

    Returns
    -------
    numpy.ndarray
        Integer array of shape ``(n, n)``.

    Examples
    --------
    >>> C = (np.arange(3)[:, None] + np.arange(3)) % 3   # cyclic group of order 3
    >>> correlation_index(C, np.array([0, 2, 1])).tolist()
    [[0, 2, 1], [1, 0, 2], [2, 1, 0]]
    """
    C = np.asarray(cayley_table)
    inv = np.asarray(inverse)
    n = C.shape[0]
    if C.ndim != 2 or C.shape != (n, n) or inv.shape != (n,):
        raise ShapeError(f"cayley_table must be (n, n) and inverse (n,), got {C.shape} and {inv.shape}")
    return np.ascontiguousarray(C[:, inv].astype(np.intp))


def _gcorr(H: np.ndarray, w: np.ndarray, K: np.ndarray) -> np.ndarray:
    """G-correlation of the rows of ``H`` with ``w``: ``H @ w[K]``."""
    return H @ w[K]


def _gcorr_backward(H: np.ndarray, G: np.ndarray, w: np.ndarray, K: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adjoint of :func:`_gcorr`: ``dH = G A^T`` and ``dw[k] = sum_{K[m, g] = k} (H^T G)[m, g]``."""
    dH = G @ w[K].T
    dw = np.bincount(K.ravel(), weights=(H.T @ G).ravel(), minlength=w.shape[0])
    return dH, dw


def _group_data(G: Any) -> tuple[int, np.ndarray, np.ndarray]:
    try:
        n = int(G.order)
        C = np.asarray(G.cayley_table)
        inv = np.asarray(G.inverse)
    except AttributeError as exc:
        raise ParameterTypeError(
            f"G must be a finite group with order, cayley_table and inverse (e.g. grouptools.dihedral(4)), got {type(G).__name__}"
        ) from exc
    if C.shape != (n, n) or inv.shape != (n,):
        raise ShapeError(f"group of order {n} has cayley_table {C.shape} and inverse {inv.shape}")
    return n, C, inv


class GCNN(LinearModel):
    """Linear group-convolutional network over a finite group G (Lawrence et al. 2022).

    Inputs are real functions on G (vectors of length ``|G|``, indexed like the group elements).
    Layers ``h_0 = x``, ``h_l = h_{l-1} star w_l`` for ``l = 1..L-1`` with the full-width
    G-correlation ``(x star w)(g) = sum_h w(h) x(h g)`` and real filters ``w_l`` in R^|G|, then a
    dense layer ``f(x) = <h_{L-1}, v>``. Each correlation commutes with right translations
    ``(R_k x)(g) = x(g k)``.

    The linearization is the group convolution ``beta = w_1 * w_2 * ... * w_{L-1} * v`` with
    ``(a * b)(u) = sum_t a(u t^{-1}) b(t)``; with the Fourier transform ``f_hat(rho) = sum_g f(g)
    rho(g)`` (THEORY.md, section 1) this is ``beta_hat(rho) = w_hat_1(rho) ... w_hat_{L-1}(rho)
    v_hat(rho)``. Gradient descent with exponential loss converges in direction to a first-order
    stationary point of the d_rho-weighted Schatten 2/L quasi-norm of ``beta_hat`` subject to margins
    ``>= 1``.

    Parameters
    ----------
    G : FiniteGroup
        Any object with ``order``, ``cayley_table`` (``[i, j]`` = index of ``g_i g_j``) and
        ``inverse`` (``[i]`` = index of ``g_i^{-1}``), e.g. ``grouptools.dihedral(4)``.
    depth : int
        Number of layers L (L - 1 G-correlations and the dense layer; the seeds use L = 3).
    init_scale : float
        Entries are drawn from ``N(0, init_scale^2 / |G|)``.
    seed : int
        Seed of the ``numpy.random.Generator``.

    Notes
    -----
    The layers run in real space: one correlation is ``H @ w[K]`` with the precomputed index matrix
    ``K = correlation_index(G.cayley_table, G.inverse)``, ``O(N |G|^2)`` time and ``O(|G|^2)``
    memory. The layer math lives in module functions that take the precomputed data
    (``_gcorr(H, w, K)``, ``_gcorr_backward(H, G, w, K)``); :meth:`forward`, :meth:`grad` and
    :meth:`linearization` call ``_forward_real``, ``_grad_real`` and ``_linearization_real``. A
    Fourier-space path for large groups plugs in beside them as ``_forward_fourier`` /
    ``_grad_fourier`` with the same signatures, using ``(x star w)^(rho) = w_hat(rho)^H x_hat(rho)``
    with precomputed irreps in place of ``K``.

    References
    ----------
    H. Lawrence, K. Georgiev, A. Dienes, B. T. Kiani. Implicit bias of linear equivariant networks.
    ICML 2022 (arXiv:2110.06084).
    T. Cohen, M. Welling. Group equivariant convolutional networks. ICML 2016.

    Examples
    --------
    >>> class C4:  # the cyclic group of order 4, g_i = i
    ...     order = 4
    ...     cayley_table = (np.arange(4)[:, None] + np.arange(4)) % 4
    ...     inverse = (-np.arange(4)) % 4
    >>> m = GCNN(C4(), depth=3, seed=0)
    >>> bool(np.allclose(m.forward(np.eye(4)), m.linearization()))
    True
    """

    def __init__(self, G: Any, depth: int, *, init_scale: float = 1.0, seed: int = 0) -> None:
        n, C, inv = _group_data(G)
        depth = _check_positive_int("depth", depth)
        scale = _check_scale(init_scale) / np.sqrt(n)
        rng = np.random.default_rng(seed)
        super().__init__([rng.standard_normal(n) * scale for _ in range(depth)])
        self.group = G
        self.input_dim = n
        self.depth = depth
        self._K = correlation_index(C, inv)

    def layer_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """Hidden activations ``[h_0 = X, h_1, ..., h_{L-1}]``, each of shape ``(N, |G|)``."""
        H = [self._check_X(X)]
        for w in self._params[:-1]:
            H.append(_gcorr(H[-1], w, self._K))
        return H

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``<h_{L-1}(x_n), v>``."""
        return self._forward_real(X)

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Backpropagation through the G-correlations."""
        return self._grad_real(*self._check_X_g(X, dL_df))

    def linearization(self) -> np.ndarray:
        """``beta = A(w_1) A(w_2) ... A(w_{L-1}) v`` with ``A(w) = w[K]`` (the convolution ``w_1 * ... * v``)."""
        return self._linearization_real()

    def _forward_real(self, X: np.ndarray) -> np.ndarray:
        return self.layer_outputs(X)[-1] @ self._params[-1]

    def _grad_real(self, X: np.ndarray, g: np.ndarray) -> list[np.ndarray]:
        H = self.layer_outputs(X)
        grads: list[np.ndarray] = [np.empty(0)] * self.depth
        grads[-1] = H[-1].T @ g
        Gr = np.outer(g, self._params[-1])
        for l in range(self.depth - 2, -1, -1):
            Gr, grads[l] = _gcorr_backward(H[l], Gr, self._params[l], self._K)
        return grads

    def _linearization_real(self) -> np.ndarray:
        beta = self._params[-1]
        for w in reversed(self._params[:-1]):
            beta = w[self._K] @ beta
        return beta
