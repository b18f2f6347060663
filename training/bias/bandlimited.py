r"""The implicit bias of the band-limited G-CNNs over SO(2), O(2), SO(3), and its certificate.

Gradient descent on the exponential loss of a depth-L :class:`training.models.BandLimitedGCNN`
converges in direction to a first-order stationary point of (:mod:`training.models.bandlimited`)

    ``min sum_k w_k ||beta_hat_k||_{S,2/L}^{2/L}  s.t.  y_n <x_n, beta> >= 1``

(:func:`schatten_objective`), the ``d_l = 2l+1`` weighted Schatten ``2/L`` quasi-norm of the Fourier
blocks for SO(3). For L = 2 it is the weighted nuclear norm, convex: :func:`bandlimited_max_margin`
solves it with cvxpy + Clarabel through :func:`training.bias.max_margin`, and
:func:`bandlimited_kkt_certificate` returns the stationarity certificate of
:func:`training.bias.predictor_kkt_residual`. Both receive the block map as a ``FourierOperator``
built by :func:`bandlimited_operator` (``operator_from_irreps`` with "irrep matrices" indexed by
coordinates). That operator's blocks are ``sqrt(D)`` times the Fourier blocks so that its Plancherel
constant is ``D`` (the ``|G|`` that ``training.bias`` assumes); its objective values are therefore
``D^(1/L)`` times :func:`schatten_objective`, which changes neither minimizers nor objective ratios
nor the (relative) KKT residual.

References
----------
H. Lawrence, K. Georgiev, A. Dienes, B. T. Kiani. Implicit bias of linear equivariant networks.
ICML 2022 (arXiv:2110.06084).
S. Gunasekar, J. Lee, D. Soudry, N. Srebro. Implicit bias of gradient descent on linear
convolutional networks. NeurIPS 2018.

Examples
--------
>>> import numpy as np
>>> from training.models import BandLimitedGCNN
>>> from training.bias.bandlimited import schatten_objective
>>> m = BandLimitedGCNN("so3", 3, depth=2, seed=0)
>>> bool(m.param_norm_sq() >= 2 * schatten_objective(m.linearization(), m.space, 2) - 1e-12)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import check_positive_int, check_vector
from ..models.bandlimited import bandlimited_space
from ._fourier import FourierOperator, operator_from_irreps
from ._core import KKTResult
from ._maxmargin import MaxMarginResult, max_margin, predictor_kkt_residual

__all__ = [
    "BandLimitedBias",
    "bandlimited_kkt_certificate",
    "bandlimited_max_margin",
    "bandlimited_operator",
    "schatten_objective",
    "schatten_terms",
]


def schatten_terms(beta: Any, group: Any, p: float, bandlimit: int | None = None) -> np.ndarray:
    """Per block ``sum_i s_i(beta_hat_k)^p`` (unweighted), shape ``(n_blocks,)``.

    Examples
    --------
    >>> from grouptools.compact import so2_space
    >>> S = so2_space(2)
    >>> schatten_terms(S.from_blocks([np.array([[1.0]]), np.array([[3 + 4j]])]), S, 0.5).round(6)
    array([1.      , 2.236068])
    """
    space = bandlimited_space(group, bandlimit)
    return space.schatten_terms(check_vector("beta", beta, space.dim), float(p))


def schatten_objective(beta: Any, group: Any, depth: int, bandlimit: int | None = None) -> float:
    """``R(beta) = sum_k w_k ||beta_hat_k||_{S,2/L}^{2/L}`` (sum form; module docstring).

    ``L * R(beta)`` is the smallest parameter norm ``sum_l ||w_l||^2`` of a depth-L network with
    linearization ``beta``.

    Examples
    --------
    >>> from grouptools.compact import so3_space
    >>> S = so3_space(2)
    >>> beta = S.from_blocks([np.array([[2.0]]), np.diag([3.0, 0.0, 0.0])])
    >>> schatten_objective(beta, S, 2)      # 1 * 2 + 3 * 3
    11.0
    """
    space = bandlimited_space(group, bandlimit)
    L = check_positive_int("depth", depth)
    terms = space.schatten_terms(check_vector("beta", beta, space.dim), 2.0 / L)
    return float(np.dot(space.weights, terms))


_OPERATORS: dict[tuple[str, int], FourierOperator] = {}


def bandlimited_operator(group: Any, bandlimit: int | None = None) -> FourierOperator:
    """The block map ``x -> (sqrt(D) beta_hat_k)`` as a :class:`training.FourierOperator`.

    Built with :func:`training.operator_from_irreps` from
    :meth:`grouptools.compact.BlockSpace.fourier_matrices` (``scale = sqrt(D)``; SO(2) pairs become
    the two conjugate blocks ``c_k`` and ``c_-k``). Cached per space.

    Examples
    --------
    >>> op = bandlimited_operator("so3", 3)
    >>> op.n, op.c, op.dims.tolist()
    (35, 35.0, [1, 3, 5])
    """
    space = bandlimited_space(group, bandlimit)
    key = (space.name, space.bandlimit)
    op = _OPERATORS.get(key)
    if op is None:
        op = operator_from_irreps(space.fourier_matrices(scale=np.sqrt(space.dim)), check=False)
        _OPERATORS[key] = op
    return op


@dataclass(frozen=True)
class BandLimitedBias:
    """The predicted predictor of a band-limited G-CNN (:func:`bandlimited_max_margin`).

    Attributes
    ----------
    beta : numpy.ndarray
        Minimizer (L = 2) or best stationary point found (L >= 3), minimum margin 1.
    objective : float
        :func:`schatten_objective` of ``beta``.
    status : str
        ``training.bias`` status (``"optimal"``, ``"inaccurate"``, ``"stationary"``, ``"not_stationary"``).
    kkt_residual : float
        Relative stationarity residual (:func:`bandlimited_kkt_certificate`).
    convex : bool
    result : training.MaxMarginResult
        The raw result (objective values on the scaled operator, see the module docstring).
    """

    beta: np.ndarray
    objective: float
    status: str
    kkt_residual: float
    convex: bool
    result: MaxMarginResult


def bandlimited_max_margin(X: Any, y: Any, group: Any, depth: int = 2, *, bandlimit: int | None = None, starts: int = 4, seed: int = 0) -> BandLimitedBias:
    """Solve ``min sum_k w_k ||beta_hat_k||_{S,2/L}^{2/L} s.t. y_n <x_n, beta> >= 1``.

    ``L <= 2``: convex (cvxpy + Clarabel on the weighted nuclear norm, then certified); ``L >= 3``:
    the local solver of :func:`training.bias.max_margin` from ``starts`` starts.

    Raises
    ------
    training.NotSeparatedError
        The data are not separable through the origin.

    Examples
    --------
    >>> from grouptools.compact import so3_space
    >>> S = so3_space(2)
    >>> X = np.random.default_rng(0).standard_normal((3, S.dim)); y = np.array([1.0, -1.0, 1.0])
    >>> r = bandlimited_max_margin(X, y, S, 2)
    >>> r.status, bool(r.kkt_residual < 1e-6), bool(np.isclose(np.min(y * (X @ r.beta)), 1.0))
    ('optimal', True, True)
    """
    space = bandlimited_space(group, bandlimit)
    op = bandlimited_operator(space)
    res = max_margin(X, y, "schatten", depth=depth, group=op, starts=starts, seed=seed)
    return BandLimitedBias(res.beta, schatten_objective(res.beta, space, depth), res.status, res.kkt_residual, res.convex, res)


def bandlimited_kkt_certificate(
    beta: Any, X: Any, y: Any, group: Any, depth: int = 2, *, bandlimit: int | None = None,
    active_tol: float = 1e-6, rank_tol: float = 1e-6,
) -> KKTResult:
    """First-order stationarity certificate of ``beta`` for the predicted problem (:func:`training.bias.predictor_kkt_residual`).

    The residual and ``normal_norm`` (L = 2: the dual spectral-norm condition) are invariant under
    the operator scaling of :func:`bandlimited_operator`; the multipliers are ``D^(1/L)`` times those
    of the problem in :func:`schatten_objective` form.

    Examples
    --------
    >>> from grouptools.compact import so2_space
    >>> S = so2_space(2)
    >>> X = np.array([[1.0, 0.5, 0.0]]); y = np.array([1.0])
    >>> r = bandlimited_max_margin(X, y, S, 2)
    >>> bool(bandlimited_kkt_certificate(r.beta, X, y, S, 2).residual < 1e-8)
    True
    """
    space = bandlimited_space(group, bandlimit)
    return predictor_kkt_residual(beta, X, y, "schatten", depth=depth, group=bandlimited_operator(space),
                             active_tol=active_tol, rank_tol=rank_tol)
