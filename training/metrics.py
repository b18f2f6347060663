"""Metrics comparing trained predictors with the predicted implicit biases.

Directions (:func:`cosine`), margins (:func:`min_margin`, :func:`normalize_margin`), the
suboptimality ratio ``R(beta_t) / R(beta*)`` at margin 1 (:func:`objective_ratio`), real-space and
DFT l_p (quasi-)norms, group Fourier Schatten norms per block and in total, and numerical ranks and
supports. Conventions follow :mod:`training.bias` and ``docs/theory.md``: ``numpy.fft.fft`` is the
(unnormalized) DFT, the group transform is ``beta_hat(rho) = sum_g beta(g) rho(g)``, and the total
Schatten quasi-norm is ``[sum_rho d_rho ||beta_hat(rho)||_{S,p}^p]^(1/p)`` (Lawrence et al. 2022).

Numerical ranks and supports use a relative tolerance: a singular value (or entry modulus) counts as
nonzero if it exceeds ``rtol`` times the largest singular value over all blocks (or the largest
modulus). The default ``rtol = 1e-6`` matches the cleaning threshold of
:func:`training.bias.max_margin`; for gradient-descent iterates, whose small components decay only
slowly, a larger ``rtol`` (e.g. ``1e-2``) shows the emerging structure.

Examples
--------
>>> import numpy as np
>>> from training.metrics import cosine, lp_norm, dft_support
>>> cosine(np.array([1.0, 0.0]), np.array([1.0, 1.0]))  # doctest: +ELLIPSIS
0.7071067811865...
>>> lp_norm(np.array([1.0, -4.0]), 0.5)
9.0
>>> dft_support(np.ones(4))  # a constant has only the zero frequency
array([0])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import check_data, check_vector
from ._errors import NotSeparatedError, ParameterError
from .bias import GroupLike, fourier_operator, objective

__all__ = [
    "cosine",
    "dft_lp_norm",
    "dft_support",
    "fourier_blocks",
    "fourier_rank",
    "fourier_ranks",
    "lp_norm",
    "min_margin",
    "normalize_margin",
    "objective_ratio",
    "schatten_norms",
    "support",
    "weighted_schatten_norm",
]


def _p(p: object) -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float, np.floating, np.integer)) or not (p > 0):
        raise ParameterError(f"p must be a positive number (or inf), got {p!r}")
    return float(p)


def _rtol(rtol: object) -> float:
    if isinstance(rtol, bool) or not isinstance(rtol, (int, float, np.floating, np.integer)) or not (0 <= rtol < 1):
        raise ParameterError(f"rtol must be a number in [0, 1), got {rtol!r}")
    return float(rtol)


def _lp(values: np.ndarray, p: float) -> float:
    if np.isinf(p):
        return float(np.max(values, initial=0.0))
    return float(np.sum(values**p) ** (1.0 / p))


def cosine(a: Any, b: Any) -> float:
    """Cosine of the angle between two nonzero vectors, ``<a, b> / (||a|| ||b||)``.

    Examples
    --------
    >>> import numpy as np
    >>> round(cosine(np.array([1.0, 2.0]), np.array([-2.0, -4.0])), 12)
    -1.0
    """
    a = check_vector("a", a)
    b = check_vector("b", b, a.size)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        raise ParameterError("cosine needs nonzero vectors")
    return float(np.clip(a @ b / (na * nb), -1.0, 1.0))


def min_margin(beta: Any, X: Any, y: Any) -> float:
    """Minimum margin ``min_n y_n <x_n, beta>`` (labels in {-1, +1}).

    Examples
    --------
    >>> import numpy as np
    >>> min_margin(np.array([1.0, 1.0]), np.array([[1.0, 0.0], [0.0, -2.0]]), np.array([1.0, -1.0]))
    1.0
    """
    X, y = check_data(X, y, what="min_margin")
    b = check_vector("beta", beta, X.shape[1])
    return float(np.min(y * (X @ b)))


def normalize_margin(beta: Any, X: Any, y: Any) -> np.ndarray:
    """``beta`` divided by its minimum margin, so that ``min_n y_n <x_n, beta> = 1``.

    Raises
    ------
    NotSeparatedError
        The minimum margin is ``<= 0``.

    Examples
    --------
    >>> import numpy as np
    >>> normalize_margin(np.array([2.0, 0.0]), np.array([[1.0, 3.0]]), np.array([1.0]))
    array([1., 0.])
    """
    m = min_margin(beta, X, y)
    if not m > 0:
        raise NotSeparatedError(f"beta does not separate the data (min margin {m:.3g} <= 0)")
    return np.asarray(beta, dtype=float) / m


def objective_ratio(
    beta: Any, beta_star: Any, X: Any, y: Any, kind: str, *, depth: int, group: GroupLike | None = None, transform: Any = None
) -> float:
    """``R(beta) / R(beta_star)`` with both rescaled to minimum margin 1.

    ``R`` is the sum form of the regularizer of ``kind`` (:func:`training.bias.objective`). For a
    gradient-descent iterate ``beta_t`` and the predicted optimum ``beta*`` this is the
    suboptimality of the iterate (``>= 1`` when ``beta*`` is a global minimizer; it tends to 1 as
    training converges in direction).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 1.0]]); y = np.array([1.0])
    >>> objective_ratio(np.array([1.0, 0.0]), np.array([0.5, 0.5]), X, y, "l2", depth=1)
    2.0
    """
    X, y = check_data(X, y)
    b = normalize_margin(beta, X, y)
    bs = normalize_margin(beta_star, X, y)
    kw = {"depth": depth, "group": group, "transform": transform}
    return objective(b, kind, **kw) / objective(bs, kind, **kw)


def lp_norm(beta: Any, p: float) -> float:
    """``||beta||_p = (sum_j |beta_j|^p)^(1/p)`` (a quasi-norm for ``p < 1``; ``p = inf``: max).

    Examples
    --------
    >>> import numpy as np
    >>> lp_norm(np.array([3.0, -4.0]), 2)
    5.0
    """
    return _lp(np.abs(check_vector("beta", beta)), _p(p))


def dft_lp_norm(beta: Any, p: float) -> float:
    """``||F beta||_p`` with ``F beta = numpy.fft.fft(beta)`` (complex entries, moduli).

    Examples
    --------
    >>> import numpy as np
    >>> dft_lp_norm(np.array([1.0, 0.0, 0.0]), 1)  # |fft| = (1, 1, 1)
    3.0
    """
    return _lp(np.abs(np.fft.fft(check_vector("beta", beta))), _p(p))


def fourier_blocks(beta: Any, group: GroupLike) -> list[np.ndarray]:
    """The group Fourier coefficients ``beta_hat(rho) = sum_g beta(g) rho(g)``, in irreps order.

    Parameters
    ----------
    beta : array_like, shape (|G|,)
    group : FiniteGroup, FourierOperator or list of irrep matrices
        See :func:`training.bias.fourier_operator`.

    Examples
    --------
    >>> import numpy as np
    >>> sign = np.array([1.0, -1.0]).reshape(2, 1, 1)
    >>> [complex(M[0, 0]) for M in fourier_blocks(np.array([1.0, 0.0]), [np.ones((2, 1, 1)), sign])]
    [(1+0j), (1+0j)]
    """
    op = fourier_operator(group)
    return op.blocks(check_vector("beta", beta, op.n))


def schatten_norms(beta: Any, group: GroupLike, p: float) -> np.ndarray:
    """``||beta_hat(rho)||_{S,p}`` for every irrep (the l_p norm of its singular values).

    Examples
    --------
    >>> import numpy as np
    >>> chars = [np.exp(2j * np.pi * k * np.arange(2) / 2).reshape(2, 1, 1) for k in range(2)]
    >>> schatten_norms(np.array([1.0, 2.0]), chars, 1)  # |1 + 2|, |1 - 2|
    array([3., 1.])
    """
    p = _p(p)
    op = fourier_operator(group)
    return np.array([_lp(s, p) for s in op.singular_values(check_vector("beta", beta, op.n))])


def weighted_schatten_norm(beta: Any, group: GroupLike, p: float) -> float:
    """``[sum_rho d_rho ||beta_hat(rho)||_{S,p}^p]^(1/p)``, the G-CNN bias quasi-norm for ``p = 2/L``.

    Examples
    --------
    >>> import numpy as np
    >>> chars = [np.exp(2j * np.pi * k * np.arange(2) / 2).reshape(2, 1, 1) for k in range(2)]
    >>> weighted_schatten_norm(np.array([1.0, 2.0]), chars, 1)
    4.0
    """
    p = _p(p)
    op = fourier_operator(group)
    svals = op.singular_values(check_vector("beta", beta, op.n))
    if np.isinf(p):
        return float(max(np.max(s) for s in svals))
    return float(sum(d * np.sum(s**p) for d, s in zip(op.weights, svals)) ** (1.0 / p))


def fourier_ranks(beta: Any, group: GroupLike, rtol: float = 1e-6) -> np.ndarray:
    """Numerical rank of every Fourier block (relative tolerance over all blocks, module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> chars = [np.exp(2j * np.pi * k * np.arange(2) / 2).reshape(2, 1, 1) for k in range(2)]
    >>> fourier_ranks(np.array([1.0, 1.0]), chars)
    array([1, 0])
    """
    rtol = _rtol(rtol)
    op = fourier_operator(group)
    svals = op.singular_values(check_vector("beta", beta, op.n))
    smax = max(float(np.max(s)) for s in svals)
    return np.array([int(np.sum(s > rtol * smax)) for s in svals])


def fourier_rank(beta: Any, group: GroupLike, rtol: float = 1e-6) -> int:
    """``rank(beta_hat) = sum_rho d_rho rank beta_hat(rho)``, the Fourier rank of Meshulam's uncertainty principle.

    Examples
    --------
    >>> import numpy as np
    >>> chars = [np.exp(2j * np.pi * k * np.arange(2) / 2).reshape(2, 1, 1) for k in range(2)]
    >>> fourier_rank(np.array([1.0, 0.0]), chars)
    2
    """
    op = fourier_operator(group)
    return int(np.sum(op.dims * fourier_ranks(beta, op, rtol)))


def support(beta: Any, rtol: float = 1e-6) -> np.ndarray:
    """Indices ``j`` with ``|beta_j| > rtol * max |beta|``.

    Examples
    --------
    >>> import numpy as np
    >>> support(np.array([1.0, 1e-9, -2.0]))
    array([0, 2])
    """
    a = np.abs(check_vector("beta", beta))
    return np.flatnonzero(a > _rtol(rtol) * np.max(a))


def dft_support(beta: Any, rtol: float = 1e-6) -> np.ndarray:
    """Frequencies ``j`` with ``|fft(beta)_j| > rtol * max |fft(beta)|``.

    Examples
    --------
    >>> import numpy as np
    >>> dft_support(np.array([1.0, 0.0, -1.0, 0.0]))  # cos(pi g / 2): frequencies 1 and 3
    array([1, 3])
    """
    a = np.abs(np.fft.fft(check_vector("beta", beta)))
    return np.flatnonzero(a > _rtol(rtol) * np.max(a))
