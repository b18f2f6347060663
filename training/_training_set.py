"""The training set of a model: the one check shared by :func:`training.fit` and :func:`training.polish`.

Examples
--------
>>> import numpy as np
>>> from training.models import Diagonal
>>> X, y = check_training_set(Diagonal(2, depth=2), np.eye(2), [1, -1])
>>> X.shape, y.tolist()
((2, 2), [1.0, -1.0])
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

from ._checks import Labels, check_finite_rows, check_targets
from ._errors import ParameterError

__all__ = ["TrainableModel", "check_training_set"]


@runtime_checkable
class TrainableModel(Protocol):
    """What :func:`training.fit` and :func:`training.polish` need of a model (every
    :class:`training.models.LinearModel` has it): input checks, a forward and a backward pass.

    This layer sits below :mod:`training.models`, so it names the protocol instead of the class.
    """

    def check_inputs(self, X: Any) -> np.ndarray:
        """``X`` as a float64 ``(N, input_dim)`` array, or a named error."""

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``f(x_n)``."""

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Gradients of ``sum_n dL_df[n] f(x_n)`` with respect to the parameters."""


def check_training_set(
    model: Any, X: Any, y: Any, labels: Labels = "binary", what: str = "this loss"
) -> tuple[np.ndarray, np.ndarray]:
    """The training set of ``model``: ``X`` of shape ``(N, model.input_dim)`` with N >= 1, finite
    (:meth:`training.models.LinearModel.check_inputs`), and targets ``y``
    (:func:`training._checks.check_targets`).

    Raises
    ------
    ParameterError
        ``model`` is not a model (:class:`TrainableModel`, e.g. a :class:`training.models.LinearModel`).
    DataTypeError, ShapeError, LabelError
        Bad ``X`` or ``y``.
    """
    if not isinstance(model, TrainableModel):
        raise ParameterError(f"model must be a training.models.LinearModel, got {type(model).__name__}")
    X = check_finite_rows(model.check_inputs(X), "X and y must be finite")
    return X, check_targets(y, X.shape[0], labels, what)
