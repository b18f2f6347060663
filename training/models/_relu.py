"""A ReLU network without biases: two layers (dense or group-correlation) and a dense output.

``f(x) = relu(relu(x A_1) A_2) v`` is positively homogeneous of degree 3 in its parameters, so
:func:`training.polish` applies (the KKT point of the parameter-space max-margin problem; Lyu & Li
2020). The convolutional layers are the G-correlation ``(h star w)(g) = sum_h w(h) x(g h)`` of
Cohen & Welling ("Group equivariant convolutional networks", ICML 2016) as ``h @ w[K]`` with the
index matrix of :func:`training.models.correlation_index`. The network is not linear:
``linearization()`` returns the mean local linearization (input gradient) at :attr:`ReLUNet.anchors`.

Examples
--------
>>> import numpy as np
>>> m = ReLUNet("FC", 4, seed=0)
>>> X = np.random.default_rng(1).standard_normal((3, 4))
>>> G = m.input_gradients(X)
>>> bool(np.allclose((G * X).sum(axis=1), m.forward(X)))  # Euler: f(x) = <x, grad f(x)> for ReLU nets
True
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive_int
from .._errors import ParameterError
from ._base import LinearModel

__all__ = ["RELU_ARCHS", "ReLUNet"]

RELU_ARCHS = ("G-CNN", "CNN", "FC")
"""Layer types of :class:`ReLUNet`."""


class ReLUNet(LinearModel):
    """Two ReLU layers and a dense output, no biases (degree-3 homogeneous).

    Parameters
    ----------
    arch : {"G-CNN", "CNN", "FC"}
        Layer type: G-correlation with index matrix ``K`` (``G-CNN`` and ``CNN``) or dense (``FC``).
    D : int
        Input dimension.
    K : numpy.ndarray, optional
        ``K[m, g]`` = index of ``g^{-1} g_m`` (:func:`training.models.correlation_index`), for the
        convolutional architectures: a layer is ``h @ w[K]``, ``(h star w)(g) = sum_m h(m) w(g^{-1} m)``.
    width : int, optional
        Hidden width of FC (default D).
    init_scale : float
        He-style initialization ``N(0, 2 init_scale^2 / fan_in)``.
    seed : int
    anchors : numpy.ndarray, optional
        Points at which :meth:`linearization` averages the input gradients.
    """

    def __init__(self, arch: str, D: int, *, K: np.ndarray | None = None, width: int | None = None,
                 init_scale: float = 1.0, seed: int = 0, anchors: np.ndarray | None = None) -> None:
        if arch not in RELU_ARCHS:
            raise ParameterError(f"arch must be one of {RELU_ARCHS}, got {arch!r}")
        if arch != "FC" and (K is None or np.shape(K) != (D, D)):
            raise ParameterError(f"the {arch} needs the (D, D) correlation index matrix K")
        rng = np.random.default_rng(seed)
        s = init_scale * np.sqrt(2.0 / D)
        if arch == "FC":
            w = D if width is None else check_positive_int("width", width)
            params = [rng.standard_normal((D, w)) * s, rng.standard_normal((w, w)) * init_scale * np.sqrt(2.0 / w),
                      rng.standard_normal(w) * init_scale / np.sqrt(w)]
        else:
            params = [rng.standard_normal(D) * s for _ in range(3)]
        super().__init__(params)
        self.arch, self.input_dim, self.depth = arch, int(D), 3
        self._K = None if K is None else np.asarray(K, dtype=np.intp)
        self.anchors = np.zeros((1, D)) if anchors is None else np.asarray(anchors, dtype=float)

    def _mats(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a, b, v = self._params
        if self.arch == "FC":
            return a, b, v
        return a[self._K], b[self._K], v

    def _pass(self, X: np.ndarray):
        A1, A2, v = self._mats()
        h1 = X @ A1
        a1 = np.maximum(h1, 0.0)
        h2 = a1 @ A2
        a2 = np.maximum(h2, 0.0)
        return A1, A2, v, h1, a1, h2, a2

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``relu(relu(X A1) A2) v``."""
        return self._pass(self.check_inputs(X))[-1] @ self._params[2]

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Backpropagation (the ReLU derivative is taken as 0 at 0)."""
        X, g = self.check_inputs_and_weights(X, dL_df)
        A1, A2, v, h1, a1, h2, a2 = self._pass(X)
        dv = a2.T @ g
        G2 = np.outer(g, v) * (h2 > 0)
        dA2 = a1.T @ G2
        G1 = (G2 @ A2.T) * (h1 > 0)
        dA1 = X.T @ G1
        if self.arch == "FC":
            return [dA1, dA2, dv]
        n = self.input_dim
        return [np.bincount(self._K.ravel(), weights=dA1.ravel(), minlength=n),
                np.bincount(self._K.ravel(), weights=dA2.ravel(), minlength=n), dv]

    def input_gradients(self, X: np.ndarray) -> np.ndarray:
        """Local linearizations ``grad_x f(x_n)``, one row per input."""
        X = self.check_inputs(X)
        A1, A2, v, h1, a1, h2, a2 = self._pass(X)
        G2 = v[None, :] * (h2 > 0)
        G1 = (G2 @ A2.T) * (h1 > 0)
        return G1 @ A1.T

    def linearization(self) -> np.ndarray:
        """Mean local linearization at :attr:`anchors` (the network is not linear)."""
        return self.input_gradients(self.anchors).mean(axis=0)
