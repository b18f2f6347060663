"""Input checks shared by the models, the losses, :func:`training.fit`, :func:`training.polish`, the bias solvers and the metrics.

One place decides what counts as valid data, so that every entry point rejects the same inputs with
the same named errors (:mod:`training._errors`):

- :func:`as_real` -- any array argument: real numbers only (strings, object arrays, complex numbers
  and dates raise :class:`DataTypeError` instead of numpy's casts and ``ComplexWarning``);
- :func:`check_targets` -- labels or targets: shape ``(N,)``, finite, and for the classification losses
  exactly ``-1`` or ``+1`` (:class:`LabelError`, naming the labels found and the fix);
- :func:`check_vector`, :func:`check_data` -- vectors and data sets without a model (the predictor
  space: :mod:`training.bias`, :mod:`training.metrics`); a model's training set is checked by
  :func:`training._training_set.check_training_set` with the same functions;
- :func:`check_positive_int` -- integer options (depths, widths, counts).

Messages quote at most 80 characters of the user's input (:func:`clip`).

Examples
--------
>>> import numpy as np
>>> as_real("y", [1, -1]).tolist()
[1.0, -1.0]
>>> check_targets(np.array([0.0, 1.0]), 2, "binary", "the exponential loss")
Traceback (most recent call last):
...
training._errors.LabelError: the exponential loss needs labels -1 or +1, found {0, 1}: use y = 2*y - 1
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from ._errors import DataTypeError, LabelError, ParameterError, ShapeError

__all__ = [
    "Labels",
    "as_real",
    "check_binary_labels",
    "check_data",
    "check_finite_rows",
    "check_positive_int",
    "check_targets",
    "check_vector",
    "clip",
]

Labels = Literal["binary", "real"]
"""``"binary"``: labels exactly -1 or +1 (exponential, logistic losses; max-margin problems);
``"real"``: any finite real targets (squared loss)."""

MAX_QUOTE = 80
"""Longest piece of user input quoted in an error message."""


def clip(text: object, n: int = MAX_QUOTE) -> str:
    """``str(text)`` on one line, cut to ``n`` characters (``...`` marks a cut).

    Examples
    --------
    >>> clip("x" * 100, 10)
    'xxxxxxx...'
    """
    s = " ".join(str(text).split())
    return s if len(s) <= n else s[: max(n - 3, 0)] + "..."


def as_real(name: str, a: Any) -> np.ndarray:
    """``a`` as a float64 array, refusing data that are not real numbers.

    Booleans and integers are converted. Returns ``a`` itself if it is already a float64 array.

    Raises
    ------
    DataTypeError
        Strings, object arrays (mixed or non-numeric entries, ``None``), complex numbers (even with a
        zero imaginary part: pass ``a.real``), dates or other non-numeric dtypes.
    ShapeError
        Ragged nested sequences.

    Examples
    --------
    >>> as_real("X", np.array([1 + 2j]))
    Traceback (most recent call last):
    ...
    training._errors.DataTypeError: X is complex (largest |imaginary part| 2); real data are required: pass X.real if the imaginary part is rounding error
    """
    if isinstance(a, np.ndarray) and a.dtype == np.float64:
        return a
    try:
        arr = np.asarray(a)
    except (ValueError, TypeError) as exc:
        raise ShapeError(f"{name} is not a rectangular array of numbers ({clip(exc)})") from None
    kind = arr.dtype.kind
    if kind in "biuf":
        return arr.astype(np.float64, copy=False)
    if kind == "c":
        imag = float(np.max(np.abs(arr.imag), initial=0.0))
        raise DataTypeError(f"{name} is complex (largest |imaginary part| {imag:.3g}); real data are required: "
                            f"pass {name}.real if the imaginary part is rounding error")
    if kind in "USa":
        example = clip(repr(str(arr.flat[0])) if arr.size else "''", 40)
        raise DataTypeError(f"{name} contains strings (e.g. {example}); real numbers are required"
                            + (": code the classes as -1.0 and +1.0" if name == "y" else ""))
    if kind == "O":
        real = (int, float, np.integer, np.floating)
        bad = [v for v in arr.flat if not isinstance(v, real)][:1]
        what = (f"entry {clip(repr(bad[0]), 40)} of type {type(bad[0]).__name__}" if bad
                else "numbers stored as Python objects")
        raise DataTypeError(f"{name} is an object array ({what}); pass a numeric array, "
                            f"e.g. np.asarray({name}, dtype=float)")
    raise DataTypeError(f"{name} has dtype {arr.dtype}; real numbers are required")


def _format_values(values: np.ndarray, limit: int = 6) -> str:
    shown = ", ".join(f"{v:g}" for v in values[:limit])
    more = f", ... ({values.size} distinct values)" if values.size > limit else ""
    return clip("{" + shown + more + "}")


def check_binary_labels(y: np.ndarray, what: str = "this loss") -> None:
    """Raise :class:`LabelError` unless every entry of the float array ``y`` is exactly -1 or +1.

    The message names the labels found and how to recode them (``2*y - 1`` for 0/1 labels).
    """
    if np.all((y == 1.0) | (y == -1.0)):
        return
    vals = np.unique(y[np.isfinite(y)])
    if vals.size and np.all((vals == 0.0) | (vals == 1.0)):
        hint = "use y = 2*y - 1"
    elif vals.size == 2:
        hint = f"use y = np.where(y == {vals[1]:g}, 1.0, -1.0)"
    elif vals.size == 1:
        hint = "code the two classes as -1.0 and +1.0"
    else:
        hint = "binary classification needs two classes coded -1.0 and +1.0 (real targets: use the squared loss)"
    raise LabelError(f"{what} needs labels -1 or +1, found {_format_values(vals)}: {hint}")


def check_targets(y: Any, n: int | None, labels: Labels = "real", what: str = "this loss") -> np.ndarray:
    """Labels or targets as a float array of shape ``(n,)``: finite, and -1/+1 if ``labels="binary"``.

    ``n=None`` accepts any non-empty 1-d array. ``what`` names the consumer in messages
    (e.g. ``"the exponential loss"``).

    Raises
    ------
    DataTypeError, ShapeError, LabelError
    """
    y = check_vector("y", y, n)
    if labels == "binary":
        check_binary_labels(y, what)
    elif labels != "real":
        raise ParameterError(f"labels must be 'binary' or 'real', got {labels!r}")
    return y


def check_positive_int(name: str, value: object, minimum: int = 1) -> int:
    """``value`` as an ``int`` if it is an integer (not a bool) ``>= minimum``.

    Raises
    ------
    ParameterError
        Anything else; the message names ``name``.

    Examples
    --------
    >>> check_positive_int("depth", 3)
    3
    >>> check_positive_int("steps", 0, 0)
    0
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ParameterError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_vector(name: str, v: Any, n: int | None = None) -> np.ndarray:
    """``v`` as a finite real vector of shape ``(n,)`` (any length >= 1 if ``n`` is None).

    Raises
    ------
    DataTypeError
        Complex, string, object or other non-real data (:func:`as_real`).
    ShapeError
        Wrong shape, ragged or not finite.

    Examples
    --------
    >>> check_vector("beta", [1, 2], 2).tolist()
    [1.0, 2.0]
    """
    a = as_real(name, v)
    if a.ndim != 1 or (n is not None and a.shape[0] != n) or a.shape[0] == 0:
        want = f"({n},)" if n is not None else "(D,) with D >= 1"
        raise ShapeError(f"{name} must have shape {want}, got {a.shape}")
    finite = np.isfinite(a)
    if not np.all(finite):
        i = int(np.argmin(finite))
        raise ShapeError(f"{name} must be finite, got {name}[{i}] = {a[i]}")
    return a


def check_finite_rows(X: np.ndarray, message: str = "X must be finite") -> np.ndarray:
    """``X`` (a real 2-d array) if it has at least one row and every entry is finite.

    Raises
    ------
    ShapeError
        No rows (``"X must have at least one row"``) or a non-finite entry (``message``, then the
        first such entry).
    """
    if X.shape[0] == 0:
        raise ShapeError(f"X must have at least one row (N >= 1), got shape {X.shape}")
    finite = np.isfinite(X)
    if not np.all(finite):
        i, j = np.argwhere(~finite)[0]
        raise ShapeError(f"{message}, got X[{i}, {j}] = {X[i, j]}")
    return X


def check_data(X: Any, y: Any, labels: Labels = "binary", what: str = "the max-margin problem") -> tuple[np.ndarray, np.ndarray]:
    """A data set without a model: ``X`` a finite real ``(N, D)`` array with ``N, D >= 1`` and ``y`` by
    :func:`check_targets` (``labels="binary"``: exactly -1 or +1, a :class:`LabelError` naming the
    labels found; ``"real"``: any finite real targets).

    Raises
    ------
    DataTypeError, ShapeError, LabelError

    Examples
    --------
    >>> X, y = check_data([[1, 2]], [-1])
    >>> X.tolist(), y.tolist()
    ([[1.0, 2.0]], [-1.0])
    """
    X = as_real("X", X)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ShapeError(f"X must have shape (N, D) with N, D >= 1, got {X.shape}")
    check_finite_rows(X)
    return X, check_targets(y, X.shape[0], labels, what)
