"""Fully connected and diagonal linear networks (Gunasekar et al. 2018)."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .._checks import check_positive_int
from .._errors import ParameterError
from ._base import LinearModel, check_scale
from ._bilinear import BilinearForm, vector_form

__all__ = ["Diagonal", "FullyConnected"]


class FullyConnected(LinearModel):
    """Fully connected linear network ``f(x) = x^T W_1 W_2 ... W_L``.

    ``W_1`` has shape ``(D, D_1)``, ``W_l`` shape ``(D_{l-1}, D_l)`` and ``W_L`` shape
    ``(D_{L-1}, 1)``; the linearization is ``beta = W_1 W_2 ... W_L``. Gradient descent on a
    separable classification problem with exponential loss converges in direction to the hard-margin
    SVM, for every depth (Gunasekar et al. 2018, Thm 1; Ji & Telgarsky 2019).

    Parameters
    ----------
    D : int
        Input dimension.
    widths : int or sequence of int, optional
        Hidden widths ``(D_1, ..., D_{L-1})``; an int means that width for every hidden layer;
        ``None`` means width ``D``.
    depth : int, optional
        Number of layers L (required unless ``widths`` is a sequence, whose length + 1 it must equal).
    init_scale : float
        Entries of ``W_l`` are drawn from ``N(0, init_scale^2 / fan_in)`` with ``fan_in`` the number of
        rows of ``W_l``.
    seed : int
        Seed of the ``numpy.random.Generator``.

    References
    ----------
    S. Gunasekar, J. D. Lee, D. Soudry, N. Srebro. Implicit bias of gradient descent on linear
    convolutional networks. NeurIPS 2018.
    Z. Ji, M. Telgarsky. Gradient descent aligns the layers of deep linear networks. ICLR 2019.

    Examples
    --------
    >>> m = FullyConnected(3, widths=(4, 2), seed=0)
    >>> m.depth, [p.shape for p in m.params]
    (3, [(3, 4), (4, 2), (2, 1)])
    >>> bool(np.allclose(m.forward(np.eye(3)), m.linearization()))
    True
    """

    def __init__(
        self,
        D: int,
        widths: int | Sequence[int] | None = None,
        depth: int | None = None,
        *,
        init_scale: float = 1.0,
        seed: int = 0,
    ) -> None:
        D = check_positive_int("D", D)
        if widths is None or isinstance(widths, (int, np.integer)):
            if depth is None:
                raise ParameterError("depth is required unless widths is a sequence of hidden widths")
            depth = check_positive_int("depth", depth)
            w = D if widths is None else check_positive_int("widths", widths)
            hidden = [w] * (depth - 1)
        else:
            hidden = [check_positive_int("widths[i]", w) for w in widths]
            if depth is not None and check_positive_int("depth", depth) != len(hidden) + 1:
                raise ParameterError(f"depth={depth} needs {depth - 1} hidden widths, got {len(hidden)}")
        scale = check_scale(init_scale)
        rng = np.random.default_rng(seed)
        dims = [D, *hidden, 1]
        params = [rng.standard_normal((a, b)) * (scale / np.sqrt(a)) for a, b in zip(dims[:-1], dims[1:])]
        super().__init__(params)
        self.input_dim = D
        self.depth = len(params)

    @property
    def widths(self) -> tuple[int, ...]:
        """Hidden widths ``(D_1, ..., D_{L-1})``."""
        return tuple(p.shape[1] for p in self._params[:-1])

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``X W_1 ... W_L`` (shape ``(N,)``)."""
        H = self.check_inputs(X)
        for W in self._params:
            H = H @ W
        return H[:, 0]

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Backpropagation: ``dW_l = H_{l-1}^T G_l`` with ``G_L = dL_df`` and ``G_{l-1} = G_l W_l^T``."""
        X, g = self.check_inputs_and_weights(X, dL_df)
        acts = [X]
        for W in self._params[:-1]:
            acts.append(acts[-1] @ W)
        G = g[:, None]
        grads: list[np.ndarray] = [np.empty(0)] * self.depth
        for l in range(self.depth - 1, -1, -1):
            grads[l] = acts[l].T @ G
            if l:
                G = G @ self._params[l].T
        return grads

    def linearization(self) -> np.ndarray:
        """``beta = W_1 W_2 ... W_L`` (multiplied right to left, matrix-vector products)."""
        v = self._params[-1][:, 0]
        for W in reversed(self._params[:-1]):
            v = W @ v
        return v

    def bilinear_form(self) -> BilinearForm:
        """Depth 2: ``beta = sum_k W_1[:, k] w_2[k]``, one channel per hidden unit.

        ``K = D_1``, ``u_k = W_1[:, k]`` (``p = D``), ``v_k = w_2[k]`` (``q = 1``), ``B_i = e_i``
        (a ``D x 1`` matrix): ``U = W_1^T``, ``V = W_2``.

        Raises
        ------
        ParameterError
            If ``depth != 2``.

        Examples
        --------
        >>> m = FullyConnected(3, widths=2, depth=2, seed=0)
        >>> form = m.bilinear_form()
        >>> form.channels, form.tensor.shape
        (2, (3, 3, 1))
        >>> bool(np.allclose(form.predictor(*form.to_factors(m.params)), m.linearization()))
        True
        """
        if self.depth != 2:
            raise ParameterError(f"bilinear_form needs a depth-2 model, this one has depth {self.depth}")
        D = self.input_dim
        return BilinearForm(np.eye(D).reshape(D, D, 1), self.widths[0],
                            lambda ps: (np.array(ps[0], dtype=float).T, np.array(ps[1], dtype=float)),
                            lambda U, V: [np.array(U, dtype=float).T, np.array(V, dtype=float)])


class Diagonal(LinearModel):
    """Diagonal linear network ``f(x) = <x, w_1 * w_2 * ... * w_L>`` (elementwise products).

    Gradient descent with exponential loss converges in direction to a first-order stationary point
    of ``min ||beta||_{2/L}`` subject to margins ``>= 1`` (Gunasekar et al. 2018; for L = 2 the
    l1 max-margin problem).

    Parameters
    ----------
    D : int
        Input dimension (each layer has D weights).
    depth : int
        Number of layers L.
    init_scale : float
        Entries are drawn from ``N(0, init_scale^2)``.
    seed : int
        Seed of the ``numpy.random.Generator``.

    Examples
    --------
    >>> m = Diagonal(3, depth=2).with_params([np.array([1.0, 2, 3]), np.array([2.0, 0, -1])])
    >>> m.linearization().tolist(), m.forward(np.array([[1.0, 1, 1]])).tolist()
    ([2.0, 0.0, -3.0], [-1.0])
    """

    def __init__(self, D: int, depth: int, *, init_scale: float = 1.0, seed: int = 0) -> None:
        D = check_positive_int("D", D)
        depth = check_positive_int("depth", depth)
        scale = check_scale(init_scale)
        rng = np.random.default_rng(seed)
        super().__init__([rng.standard_normal(D) * scale for _ in range(depth)])
        self.input_dim = D
        self.depth = depth

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``sum_d x_d w_1[d] ... w_L[d]``, one layer at a time."""
        H = self.check_inputs(X)
        for w in self._params:
            H = H * w
        return H.sum(axis=1)

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """``dw_l = (X^T dL_df) * prod_{k != l} w_k`` (prefix and suffix products, no division)."""
        X, g = self.check_inputs_and_weights(X, dL_df)
        z = X.T @ g
        L = self.depth
        prefix = [np.ones(self.input_dim)]
        for w in self._params[:-1]:
            prefix.append(prefix[-1] * w)
        suffix = np.ones(self.input_dim)
        grads: list[np.ndarray] = [np.empty(0)] * L
        for l in range(L - 1, -1, -1):
            grads[l] = z * prefix[l] * suffix
            suffix = suffix * self._params[l]
        return grads

    def linearization(self) -> np.ndarray:
        """``beta = w_1 * ... * w_L``."""
        beta = np.ones(self.input_dim)
        for w in self._params:
            beta = beta * w
        return beta

    def bilinear_form(self) -> BilinearForm:
        """Depth 2: ``beta_i = w_1[i] w_2[i] = u^T B_i v`` with ``B_i = e_i e_i^T``, one channel.

        The semidefinite relaxation of this form has optimum ``Z = diag(beta)`` (rank
        ``nnz(beta)``), but ``B`` only reads the diagonal of ``Z`` so the rank-one ``u v^T`` with
        ``u_i v_i = beta_i`` is as good: the cost is ``2 ||beta||_1`` (see
        :mod:`training.bias._repcost`).

        Raises
        ------
        ParameterError
            If ``depth != 2``.

        Examples
        --------
        >>> m = Diagonal(3, depth=2, seed=0)
        >>> form = m.bilinear_form()
        >>> bool(np.allclose(form.predictor(*form.to_factors(m.params)), m.linearization()))
        True
        """
        if self.depth != 2:
            raise ParameterError(f"bilinear_form needs a depth-2 model, this one has depth {self.depth}")
        D = self.input_dim
        B = np.zeros((D, D, D))
        B[np.arange(D), np.arange(D), np.arange(D)] = 1.0
        return vector_form(B)
