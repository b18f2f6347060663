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
GCNN(channels=K,    W_1 (K,1,|S|), W_l (K,K,|S|), V (K,|G|)     sum over channel paths (adjoint of the
support=S)                                                      layers applied to V)
SteerableNet        theta_l: coefficients of the equivariant        W_1^T ... W_{L-1}^T h (h: invariant or
                    basis (rep_{l-1}, rep_l); head h            dense head)
LiftingGCNN         w_1 on G/H -> G, w_2, ..., v in R^|G|       GCNN on the lifted input (lifting layer)
TensorNetwork       v_1, ..., v_L in R^m                        S^T ((U_1^T v_1) * ... * (U_L^T v_L))
BandLimitedGCNN     w_1, ..., w_{L-1}, v (band-limited)         beta_hat_k = V_k W_{L-1,k} ... W_1k
==================  ==========================================  =========================================

Two nonlinear networks share the interface where it applies: :class:`ReLUNet` (ReLU layers without
biases, homogeneous of degree 3, so :func:`training.polish` applies; ``linearization()`` is the mean
input gradient at its anchors) and :class:`SphericalCNN` (S^2 -> SO(3) -> invariant output; its own
``forward`` / ``backward``). :mod:`training.models.bandlimited` also has ``balanced_params`` and
``bandlimited_space``.

Depth-2 models (``FullyConnected``, ``Diagonal``, ``CircularCNN``, ``GCNN``, ``SteerableNet``,
``LiftingGCNN``) expose
``bilinear_form()``, a :class:`BilinearForm` ``beta_i = sum_k u_k^T B_i v_k`` with
``||w||^2 = sum_k ||u_k||^2 + ||v_k||^2`` (used by :func:`training.bias.representation_cost`).

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
from ._bilinear import BilinearForm, correlation_tensor, stacked_form, vector_form
from ._conv import GCNN, CircularCNN, correlation_index
from ._dense import Diagonal, FullyConnected
from ._lifting import LiftingGCNN
from ._relu import RELU_ARCHS, ReLUNet
from ._spherical import SphericalCNN
from ._steerable import SteerableNet
from ._tensor import TensorNetwork, real_dft_matrix
from .bandlimited import BandLimitedGCNN

__all__ = [
    "BandLimitedGCNN",
    "BilinearForm",
    "CircularCNN",
    "Diagonal",
    "FullyConnected",
    "GCNN",
    "LiftingGCNN",
    "LinearModel",
    "RELU_ARCHS",
    "ReLUNet",
    "SphericalCNN",
    "SteerableNet",
    "TensorNetwork",
    "correlation_index",
    "correlation_tensor",
    "real_dft_matrix",
    "stacked_form",
    "vector_form",
]
