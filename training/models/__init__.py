"""Linear network models with hand-written forward and backward passes (numpy only).

Every model computes ``f(x) = <x, beta(w)>`` for a parameter list ``w`` (``model.params``, one array
per layer) and shares the interface of :class:`LinearModel`: ``forward(X)``, ``grad(X, dL_df)``,
``linearization()``, ``param_norm_sq()``, ``copy()``, ``with_params(params)``, plus flat-vector
helpers used by :func:`training.polish`. Shapes and conventions follow ``docs/theory.md`` (section 2).

==================  ==========================================  =========================================
model               parameters                                  linearization beta
==================  ==========================================  =========================================
FullyConnected      W_1 (D x D_1), ..., W_L (D_{L-1} x 1)       W_1 W_2 ... W_L
Diagonal            w_1, ..., w_L in R^D                        w_1 * ... * w_L (elementwise)
CircularCNN         w_1, ..., w_{L-1}, v in R^D                 fft(beta) = fft(w_1) ... fft(v)
GCNN                w_1, ..., w_{L-1}, v in R^|G|               beta_hat(rho) = v_hat(rho) ... w_hat_1(rho)
TensorNetwork       v_1, ..., v_L in R^m                        S^T ((U_1^T v_1) * ... * (U_L^T v_L))
BandLimitedGCNN     w_1, ..., w_{L-1}, v (band-limited)         beta_hat_k = V_k W_{L-1,k} ... W_1k
==================  ==========================================  =========================================

Two nonlinear networks share the interface where it applies: :class:`ReLUNet` (ReLU layers without
biases, homogeneous of degree 3, so :func:`training.polish` applies; ``linearization()`` is the mean
input gradient at its anchors) and :class:`SphericalCNN` (S^2 -> SO(3) -> invariant output; its own
``forward`` / ``backward``). :mod:`training.models.bandlimited` also has ``balanced_params`` and
``bandlimited_space``.

Examples
--------
>>> import numpy as np
>>> from training.models import Diagonal
>>> m = Diagonal(4, depth=2, seed=0)
>>> bool(np.allclose(m.forward(np.eye(4)), m.linearization()))
True
"""

from __future__ import annotations

from ._base import LinearModel
from ._conv import GCNN, CircularCNN, correlation_index
from ._dense import Diagonal, FullyConnected
from ._relu import RELU_ARCHS, ReLUNet
from ._spherical import SphericalCNN
from ._tensor import TensorNetwork, real_dft_matrix
from .bandlimited import BandLimitedGCNN

__all__ = [
    "BandLimitedGCNN",
    "CircularCNN",
    "Diagonal",
    "FullyConnected",
    "GCNN",
    "LinearModel",
    "RELU_ARCHS",
    "ReLUNet",
    "SphericalCNN",
    "TensorNetwork",
    "correlation_index",
    "real_dft_matrix",
]
