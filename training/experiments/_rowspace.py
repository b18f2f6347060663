"""Full-batch training of a fully connected linear network in the row space of its data.

Gradient descent on ``sum_n l(y_n f(x_n))`` with ``f(x) = x W_1 W_2 ... W_L`` changes the first
layer by ``-eta X^T G_1`` (``G_1`` the backpropagated signal of the first hidden layer), a matrix
whose columns lie in the row space of the data ``X`` (``N x D``). With the thin QR factorization
``X^T = Q R`` (``Q`` of shape ``D x N`` with orthonormal columns) every full-batch iterate is
therefore

    ``W_1(t) = W_1(0) + Q A(t)``,  ``A(0) = 0``, ``A(t)`` of shape ``N x width``,

and the training inputs enter only through ``X W_1 = X W_1(0) + R^T A``. :class:`RowSpaceFC` is that
exact reparameterization (Gunasekar, Lee, Soudry and Srebro, "Characterizing implicit bias in terms
of optimization geometry", ICML 2018, use the same observation for the first layer of linear
networks): the parameters are ``[A, W_2, ..., W_L]``, the step on ``A`` is ``Q^T`` of the step on
``W_1``, so the trajectory is that of :class:`training.models.FullyConnected` from the same
initialization (up to rounding), while a step costs ``O(N^2 width)`` instead of ``O(N D width)``.
The digits experiment at 28 x 28 trains its FC network (``D = 6272``, width 64) this way: about
a hundred times fewer operations per step for ``N = 100``.

:meth:`RowSpaceFC.param_norm_sq` is the squared norm of the *full* parameters
``||W_1||^2 + sum_l ||W_l||^2`` (what the normalized step size of :func:`training.fit` reads), and
:meth:`RowSpaceFC.linearization` the full predictor ``W_1 W_2 ... W_L`` in ``R^D``; the model is not
homogeneous in its own parameters (``W_1(0)`` is fixed), so after training it is converted back by
:meth:`RowSpaceFC.dense` before polishing or scoring.

Examples
--------
>>> import numpy as np
>>> from training import fit
>>> from training.models import FullyConnected
>>> rng = np.random.default_rng(0)
>>> X = rng.standard_normal((6, 40)); y = np.array([1.0, -1.0] * 3)
>>> fc = FullyConnected(40, widths=5, depth=3, init_scale=0.5, seed=1)
>>> a = fit(fc, X, y, steps=200, lr=0.05, normalized=True, progress=False).model
>>> b = fit(RowSpaceFC.of(fc, X), X, y, steps=200, lr=0.05, normalized=True, progress=False).model
>>> bool(np.allclose(a.linearization(), b.linearization(), rtol=1e-9, atol=1e-12))
True
>>> b.dense().n_params == fc.n_params
True
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .._errors import ShapeError
from ..models import FullyConnected, LinearModel

__all__ = ["RowSpaceFC"]


class RowSpaceFC(LinearModel):
    """A :class:`~training.models.FullyConnected` network whose first layer moves in ``span(X^T)`` (module docstring).

    Build it with :meth:`of`; ``X`` is the training matrix, recognized by identity in
    :meth:`forward` and :meth:`grad` (other inputs take the general path ``X' W_1(0) + (X' Q) A``).
    """

    def __init__(self, params: Sequence[np.ndarray], w0: np.ndarray, basis: np.ndarray, X: np.ndarray) -> None:
        super().__init__(params)
        self.input_dim = int(w0.shape[0])
        self.depth = len(self._params)
        self._w0, self._q, self._x = w0, basis, X
        self._xw0, self._c = X @ w0, X @ basis  # X W_1(0) and R^T
        self._qw0 = basis.T @ w0  # Q^T W_1(0), for the norm
        self._n0 = float(np.vdot(w0, w0))

    @classmethod
    def of(cls, model: FullyConnected, X: np.ndarray) -> RowSpaceFC:
        """The reparameterization of ``model`` (its current first layer as ``W_1(0)``) for full-batch training on ``X``.

        Raises
        ------
        ShapeError
            ``X`` does not have the model's input width.
        """
        X = model.check_inputs(X)
        if model.depth < 2:
            raise ShapeError("RowSpaceFC needs a hidden layer (depth >= 2)")
        q, _ = np.linalg.qr(X.T)  # D x min(N, D), orthonormal columns
        w0 = model.params[0].copy()
        A = np.zeros((q.shape[1], w0.shape[1]))
        return cls([A] + [p.copy() for p in model.params[1:]], w0, q, X)

    def _first(self, X: np.ndarray) -> np.ndarray:
        A = self._params[0]
        if X is self._x:
            return self._xw0 + self._c @ A
        return X @ self._w0 + (X @ self._q) @ A

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``X W_1 W_2 ... W_L`` with ``W_1 = W_1(0) + Q A``."""
        H = self._first(X)
        for W in self._params[1:]:
            H = H @ W
        return H[:, 0]

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Gradients with respect to ``[A, W_2, ..., W_L]`` (``dA = Q^T dW_1``)."""
        g = np.asarray(dL_df, dtype=float)
        acts = [self._first(X)]
        for W in self._params[1:-1]:
            acts.append(acts[-1] @ W)
        G = g[:, None]
        grads: list[np.ndarray] = [np.empty(0)] * self.depth
        for l in range(self.depth - 1, 0, -1):
            grads[l] = acts[l - 1].T @ G
            G = G @ self._params[l].T
        C = self._c if X is self._x else X @ self._q
        grads[0] = C.T @ G
        return grads

    def _tail(self) -> np.ndarray:
        v = self._params[-1][:, 0]
        for W in reversed(self._params[1:-1]):
            v = W @ v
        return v

    def linearization(self) -> np.ndarray:
        """``beta = (W_1(0) + Q A) W_2 ... W_L`` in ``R^D``."""
        u = self._tail()
        return self._w0 @ u + self._q @ (self._params[0] @ u)

    def param_norm_sq(self) -> float:
        """``||W_1(0) + Q A||^2 + sum_{l >= 2} ||W_l||^2`` (the full network's squared parameter norm)."""
        A = self._params[0]
        first = self._n0 + 2.0 * float(np.vdot(self._qw0, A)) + float(np.vdot(A, A))
        return first + float(sum(np.vdot(p, p) for p in self._params[1:]))

    def dense(self) -> FullyConnected:
        """The same network as a :class:`~training.models.FullyConnected` (first layer ``W_1(0) + Q A``)."""
        fc = FullyConnected(self.input_dim, widths=[p.shape[0] for p in self._params[1:]], init_scale=1.0)
        return fc.with_params([self._w0 + self._q @ self._params[0]] + [p.copy() for p in self._params[1:]])
