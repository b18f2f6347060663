r"""Predicted implicit biases of linear networks, and stationarity certificates.

Gradient descent with exponential loss on separable data converges in direction to (a first-order
stationary point of) a max-margin problem whose regularizer depends on the architecture
(``docs/theory.md``). With labels ``y_n = +-1`` and ``p = 2/L`` for depth ``L``:

=================  ======================================================  ===========================
``kind``           problem (all subject to ``y_n <x_n, beta> >= 1``)        architecture, reference
=================  ======================================================  ===========================
``"l2"``           ``min ||beta||_2``  (any depth)                          fully connected;
                                                                            Gunasekar et al. 2018, Thm 1
``"lp"``           ``min ||beta||_p``                                       diagonal network
``"dft"``          ``min ||F beta||_p``, ``F beta = numpy.fft.fft(beta)``   full-width linear CNN;
                                                                            Gunasekar et al. 2018, Thm 2
``"schatten"``     ``min [sum_rho d_rho ||beta_hat(rho)||_{S,p}^p]^(1/p)``  linear G-CNN;
                                                                            Lawrence et al. 2022
``"transformed"``  ``beta = S^T z``, ``min ||z||_p`` s.t.                   linear tensor network;
                   ``y_n <S x_n, z> >= 1``                                  Yun, Krishnan, Mobahi 2021
=================  ======================================================  ===========================

For any model, ``max_margin(X, y, regulariser="representation_cost", model=m)`` minimizes the
representation cost ``R(beta) = min {||w||^2 : beta(w) = beta}`` of ``m`` under the margins, and
:func:`representation_cost` evaluates ``R`` (depth 2: a semidefinite program in the model's
bilinear form; depth >= 3: the factored problem from several starts; :mod:`training.bias._repcost`
has the derivations and the closed forms). :func:`closed_form_of` returns the closed form of a
depth-2 G-CNN, lifting G-CNN or dense-head steerable network with a regular hidden layer: the
weighted nuclear norm of the stacked Fourier blocks of its input channels (:mod:`training.bias._repclosed`).

with the group Fourier transform ``beta_hat(rho) = sum_g beta(g) rho(g)`` (unnormalized, unitary
irreps) and the Schatten quasi-norm ``||M||_{S,p}`` (the l_p norm of the singular values). DFT
entries are complex: ``||F beta||_p^p = sum_j |fft(beta)_j|^p``. Depth ``L = 1`` means ``p = 2``, and
every kind reduces to the SVM (in ``z`` for ``"transformed"``), because of Plancherel's identity.

Conventions. :func:`objective` returns the *sum form* ``R(beta) = sum_k w_k sum_i s_i(M_k)^p``
(``w_k = d_rho`` for groups, 1 otherwise; for ``"l2"`` ``R = ||beta||_2^2``), :func:`quasi_norm` its
``1/p``-th power, the quantity in the table. For an abelian group with characters as irreps the
Schatten objective equals the DFT objective: the numpy DFT is the Fourier transform with
characters ``exp(-2 pi i j g / D)``; with the conjugate characters (or any ordering of the
characters) the blocks are permuted and conjugated, which leaves every modulus unchanged.

Solvers. ``L <= 2`` is convex. ``p = 2``: the SVM by least-distance programming (Lawson and Hanson
1974, an exact active-set method). ``p = 1``: cvxpy with Clarabel (l1 norm, sums of complex moduli,
d_rho-weighted nuclear norms of the Fourier blocks; complex blocks through the real embedding
``[[Re, -Im], [Im, Re]]``, whose nuclear norm is twice the complex one), then polished in the
factored parameterization. ``L >= 3`` (``p < 1``) is nonconvex: from each start (the ``L = 2``
solution, the SVM, random vectors) we run iteratively reweighted least squares on
``sum_k w_k tr((M_k^H M_k + eps I)^(p/2))`` with ``eps -> 0`` (Mohan and Fazel 2012), then SLSQP on
the equivalent smooth problem in the factored (network) parameterization
``min sum_l ||w_l||^2 s.t. margins of w_1 * ... * w_L >= 1``, and keep the start with the lowest
objective; every start is reported. Candidates are cleaned by zeroing singular values below
``rank_tol`` times the largest one and rescaled to minimum margin exactly 1.

Certificates (``docs/theory.md``). For ``beta`` with minimum
margin 1 and active set ``A = {n : y_n <x_n, beta> <= 1 + active_tol}``, :func:`predictor_kkt_residual`
solves ``min_{lambda >= 0} ||P_T(grad R(beta) - sum_{n in A} lambda_n y_n x_n)||`` by NNLS, where for
``p <= 1`` ``P_T`` projects on the tangent space of the manifold of predictors whose Fourier blocks
keep their ranks (supports for l_p) and the gradient is taken on that manifold:
``d/dM sum_i s_i^p = p U S^(p-1) V^H`` (nonzero singular values only), pulled back by the adjoint of
``beta -> beta_hat(rho)``, ``A(g) -> Re tr(rho(g)^H A)``. The relative residual is
``||P_T(grad - sum lambda y x)|| / ||grad||``. For ``p = 1`` stationarity also needs the normal
parts of ``(1/c) A(sum lambda y x)`` to have spectral norm ``<= 1`` (the subdifferential of the
nuclear norm); :attr:`KKTResult.normal_norm` reports it.

References
----------
S. Gunasekar, J. Lee, D. Soudry, N. Srebro. Implicit bias of gradient descent on linear
convolutional networks. NeurIPS 2018.
C. Yun, S. Krishnan, H. Mobahi. A unifying view on implicit bias in training linear neural networks.
ICLR 2021.
H. Lawrence, K. Georgiev, A. Dienes, B. T. Kiani. Implicit bias of linear equivariant networks.
ICML 2022.
B. Woodworth, S. Gunasekar, J. Lee, E. Moroshko, P. Savarese, I. Golan, D. Soudry, N. Srebro.
Kernel and rich regimes in overparametrized models. COLT 2020.
K. Mohan, M. Fazel. Iterative reweighted algorithms for matrix rank minimization. JMLR 2012.
C. Lawson, R. Hanson. Solving Least Squares Problems. Prentice-Hall 1974.

Examples
--------
>>> import numpy as np
>>> from training.bias import max_margin, predictor_kkt_residual
>>> X = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0]]); y = np.array([1.0, -1.0])
>>> r = max_margin(X, y, "lp", depth=2)
>>> np.round(r.beta, 6) + 0.0, round(r.objective, 6)
(array([ 0. ,  0.5, -0.5]), 1.0)
>>> predictor_kkt_residual(r.beta, X, y, "lp", depth=2).residual < 1e-8
True
"""

from __future__ import annotations

from ._convex import solve_separable
from ._core import KKTResult
from ._fourier import (
    BlockBatch,
    FourierOperator,
    GroupLike,
    dft_operator,
    fourier_operator,
    identity_operator,
    operator_from_irreps,
)
from ._maxmargin import (
    KINDS,
    MaxMarginResult,
    StartInfo,
    max_margin,
    objective,
    objective_gradient,
    predictor_kkt_residual,
    quasi_norm,
)
from ._repclosed import ClosedForm, closed_form_of
from ._repcost import RepresentationCost, representation_cost, uses_closed_form
from ._repmargin import MarginResult, representation_cost_max_margin
from ._regression import (
    RegressionResult,
    q_alpha,
    q_alpha_minimizer,
    regression_min_norm,
)

__all__ = [
    "BlockBatch",
    "ClosedForm",
    "FourierOperator",
    "GroupLike",
    "KINDS",
    "KKTResult",
    "MarginResult",
    "MaxMarginResult",
    "RegressionResult",
    "RepresentationCost",
    "StartInfo",
    "closed_form_of",
    "dft_operator",
    "fourier_operator",
    "identity_operator",
    "max_margin",
    "objective",
    "objective_gradient",
    "operator_from_irreps",
    "predictor_kkt_residual",
    "q_alpha",
    "q_alpha_minimizer",
    "quasi_norm",
    "regression_min_norm",
    "representation_cost",
    "representation_cost_max_margin",
    "solve_separable",
    "uses_closed_form",
]
