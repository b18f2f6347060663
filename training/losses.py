"""Losses for binary classification and regression, computed stably.

Each loss takes the model outputs ``f`` (shape ``(N,)``) and the labels or targets ``y`` and returns
a :class:`LossResult` with the value, the derivative with respect to the outputs, the logarithm of
the value (always finite for the margin losses, even when the value itself underflows to 0 or
overflows to ``inf``) and the ratio ``grad / value`` used by normalized gradient descent (Nacson et
al. 2019), computed in the log domain so that it is accurate at any margin.

Margins are ``m_n = y_n f_n``. The classification losses are

- exponential: ``l(m) = exp(-m)`` (Soudry et al. 2018; Gunasekar et al. 2018),
- logistic: ``l(m) = log(1 + exp(-m))``,

and the regression loss is the squared loss ``l(f, y) = (f - y)^2 / 2``.

``reduction="sum"`` adds the per-sample losses, ``reduction="mean"`` averages them (it only rescales
the step size; ``grad_over_value`` does not depend on it).

Notes
-----
The exponential loss at a margin below about ``-709.78`` exceeds the largest float64, so its
``value`` is ``inf`` there (and its derivative ``-y inf``); this is the only non-finite output, it is
documented and intentional (the number is truly unrepresentable). ``log_value`` and
``grad_over_value`` stay finite. The logistic and squared losses never overflow for finite inputs of
moderate size (``|f| <= 1e150``).

References
----------
M. S. Nacson, J. D. Lee, S. Gunasekar, P. H. P. Savarese, N. Srebro, D. Soudry. Convergence of
gradient descent on separable data. AISTATS 2019.
D. Soudry, E. Hoffer, M. S. Nacson, S. Gunasekar, N. Srebro. The implicit bias of gradient descent
on separable data. JMLR 2018.
"""

from __future__ import annotations

import math
from typing import Callable, Literal, NamedTuple

import numpy as np

from ._checks import Labels, as_real, check_binary_labels
from ._errors import ParameterError, ShapeError

__all__ = ["LOSSES", "LossResult", "exponential", "get_loss", "logistic", "loss_labels", "squared"]

Reduction = Literal["sum", "mean"]


class LossResult(NamedTuple):
    """Value and derivatives of a loss.

    Attributes
    ----------
    value : float
        The loss (sum or mean over samples).
    grad : numpy.ndarray
        Derivative of ``value`` with respect to the outputs, shape ``(N,)``.
    log_value : float
        ``log(value)`` computed without forming ``value`` (``-inf`` only if the loss is exactly 0).
    grad_over_value : numpy.ndarray
        ``grad / value`` computed in the log domain (zeros if the loss is exactly 0).
    """

    value: float
    grad: np.ndarray
    log_value: float
    grad_over_value: np.ndarray


def _check(f: np.ndarray, y: np.ndarray, reduction: str, labels: Labels, what: str) -> tuple[np.ndarray, np.ndarray]:
    """The input checks of every loss (:mod:`training._checks`): real arrays of equal length, finite,
    and labels exactly -1 or +1 for the classification losses (``labels="binary"``)."""
    f = as_real("f", f)
    y = as_real("y", y)
    if f.ndim != 1 or f.shape != y.shape or f.size == 0:
        raise ShapeError(f"outputs and labels must be non-empty 1-d arrays of equal length, got shapes {f.shape} and {y.shape}")
    if reduction not in ("sum", "mean"):
        raise ParameterError(f"reduction must be 'sum' or 'mean', got {reduction!r}")
    if not np.all(np.isfinite(y)):
        raise ShapeError("labels must be finite")
    if not np.all(np.isfinite(f)):
        raise ShapeError("outputs and labels must be finite (the model output overflowed: lower the step size)")
    if labels == "binary":
        check_binary_labels(y, what)
    return f, y


def _logsumexp(a: np.ndarray) -> float:
    """``log(sum(exp(a)))`` of a finite 1-d array, shifted by its maximum so nothing overflows.

    :func:`scipy.special.logsumexp` computes the same, but its array-API dispatch costs about
    0.4 ms per call on the few samples of a training set: 45% of a sweep task's time was spent there.
    """
    top = float(np.max(a))
    return top + math.log(float(np.sum(np.exp(a - top))))


def _reduce(value: float, grad: np.ndarray, log_value: float, ratio: np.ndarray, n: int, reduction: str) -> LossResult:
    if reduction == "mean":
        return LossResult(value / n, grad / n, log_value - np.log(n), ratio)
    return LossResult(value, grad, log_value, ratio)


def exponential(f: np.ndarray, y: np.ndarray, reduction: Reduction = "sum") -> LossResult:
    """Exponential loss ``sum_n exp(-y_n f_n)`` (or its mean).

    Parameters
    ----------
    f : numpy.ndarray
        Model outputs, shape ``(N,)``.
    y : numpy.ndarray
        Labels, each exactly ``-1`` or ``+1``, shape ``(N,)``.
    reduction : {"sum", "mean"}
        How per-sample losses are combined.

    Returns
    -------
    LossResult
        ``value`` is ``inf`` only when it exceeds the float64 range (margins below about -709.78).

    Raises
    ------
    LabelError
        Labels other than -1 and +1 (e.g. 0/1 labels: use ``2*y - 1``).

    Examples
    --------
    >>> r = exponential(np.array([0.0, 1e4]), np.array([1.0, 1.0]))
    >>> float(r.value), r.grad.tolist(), round(float(r.log_value), 12)
    (1.0, [-1.0, -0.0], 0.0)
    >>> float(exponential(np.array([-1e4]), np.array([1.0])).log_value)
    10000.0
    """
    f, y = _check(f, y, reduction, "binary", "the exponential loss")
    m = y * f
    with np.errstate(over="ignore"):
        e = np.exp(-m)
    value = float(np.sum(e))
    log_value = _logsumexp(-m)
    ratio = -y * np.exp(-m - log_value)
    return _reduce(value, -y * e, log_value, ratio, f.size, reduction)


def _log_log1p_exp(t: np.ndarray) -> np.ndarray:
    """``log(log(1 + exp(t)))`` for any real t, without underflow for very negative t."""
    out = np.empty_like(t)
    small = t < -30.0
    # log1p(u) = u (1 - u/2 + ...), so log(log1p(u)) = log u - u/2 + O(u^2) with u = exp(t) < 1e-13.
    out[small] = t[small] - 0.5 * np.exp(t[small])
    out[~small] = np.log(np.logaddexp(0.0, t[~small]))
    return out


def logistic(f: np.ndarray, y: np.ndarray, reduction: Reduction = "sum") -> LossResult:
    """Logistic loss ``sum_n log(1 + exp(-y_n f_n))`` (or its mean).

    Parameters
    ----------
    f : numpy.ndarray
        Model outputs, shape ``(N,)``.
    y : numpy.ndarray
        Labels, each exactly ``-1`` or ``+1``, shape ``(N,)``.
    reduction : {"sum", "mean"}
        How per-sample losses are combined.

    Returns
    -------
    LossResult

    Raises
    ------
    LabelError
        Labels other than -1 and +1 (e.g. 0/1 labels: use ``2*y - 1``).

    Examples
    --------
    >>> r = logistic(np.array([0.0]), np.array([1.0]))
    >>> bool(np.isclose(r.value, np.log(2))), r.grad.tolist()
    (True, [-0.5])
    >>> float(logistic(np.array([1e4]), np.array([1.0])).log_value)
    -10000.0
    """
    f, y = _check(f, y, reduction, "binary", "the logistic loss")
    m = y * f
    per = np.logaddexp(0.0, -m)
    value = float(np.sum(per))
    log_value = _logsumexp(_log_log1p_exp(-m))
    sig = np.exp(-np.logaddexp(0.0, m))  # sigma(-m), no overflow
    log_sig = -np.logaddexp(0.0, m)
    ratio = -y * np.exp(log_sig - log_value)
    return _reduce(value, -y * sig, log_value, ratio, f.size, reduction)


def squared(f: np.ndarray, y: np.ndarray, reduction: Reduction = "sum") -> LossResult:
    """Squared loss ``sum_n (f_n - y_n)^2 / 2`` (or its mean).

    Parameters
    ----------
    f : numpy.ndarray
        Model outputs, shape ``(N,)``.
    y : numpy.ndarray
        Real targets, shape ``(N,)``.
    reduction : {"sum", "mean"}
        How per-sample losses are combined.

    Returns
    -------
    LossResult
        ``log_value`` is ``-inf`` and ``grad_over_value`` is zero when the fit is exact.

    Examples
    --------
    >>> r = squared(np.array([1.0, 3.0]), np.array([0.0, 1.0]))
    >>> float(r.value), r.grad.tolist()
    (2.5, [1.0, 2.0])
    """
    f, y = _check(f, y, reduction, "real", "the squared loss")
    r = f - y
    scale = float(np.max(np.abs(r)))
    if scale == 0.0:
        zeros = np.zeros_like(r)
        return _reduce(0.0, zeros, -np.inf, zeros, f.size, reduction)
    rs = r / scale  # avoid overflow of r**2 for huge residuals
    value = 0.5 * scale * scale * float(np.sum(rs * rs))
    log_value = float(np.log(0.5) + 2.0 * np.log(scale) + np.log(np.sum(rs * rs)))
    ratio = rs / (0.5 * scale * float(np.sum(rs * rs)))
    return _reduce(value, r, log_value, ratio, f.size, reduction)


LossFunction = Callable[..., LossResult]

LOSSES: dict[str, LossFunction] = {
    "exp": exponential,
    "exponential": exponential,
    "logistic": logistic,
    "log": logistic,
    "squared": squared,
    "sq": squared,
    "mse": squared,
}
"""Names accepted by :func:`get_loss` and :func:`training.fit`."""

_LABELS: dict[LossFunction, Labels] = {exponential: "binary", logistic: "binary", squared: "real"}


def loss_labels(loss: LossFunction) -> tuple[Labels, str]:
    """What labels a loss needs, and its name for messages: ``("binary", ...)`` (exactly -1/+1) for the
    exponential and logistic losses, ``("real", ...)`` for the squared loss and user-supplied losses.

    Examples
    --------
    >>> loss_labels(logistic)
    ('binary', 'the logistic loss')
    """
    kind = _LABELS.get(loss, "real")
    name = {exponential: "the exponential loss", logistic: "the logistic loss", squared: "the squared loss"}.get(
        loss, f"loss {getattr(loss, '__name__', 'function')}")
    return kind, name


def get_loss(loss: str | LossFunction) -> LossFunction:
    """Resolve a loss name (see :data:`LOSSES`) or pass a loss function through.

    Parameters
    ----------
    loss : str or callable
        A name such as ``"exp"``, ``"logistic"``, ``"squared"``, or a function with the signature
        of :func:`exponential`.

    Returns
    -------
    callable

    Examples
    --------
    >>> get_loss("exp") is exponential
    True
    """
    if callable(loss):
        return loss
    if isinstance(loss, str) and loss.lower() in LOSSES:
        return LOSSES[loss.lower()]
    raise ParameterError(f"unknown loss {loss!r}: use one of {sorted(set(LOSSES))}")
