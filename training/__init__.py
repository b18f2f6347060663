"""Linear networks, losses, gradient descent and polishing for the implicit-bias experiments.

Layers (``docs/design.md``): ``training`` imports from ``grouptools`` only, never the reverse.

- :mod:`training.models`: ``FullyConnected``, ``Diagonal``, ``CircularCNN``, ``GCNN``,
  ``TensorNetwork`` (hand-written forward/backward, ``linearization()``).
- :mod:`training.losses`: ``exponential``, ``logistic``, ``squared`` (stable values and derivatives).
- :func:`fit`: gradient descent (plain, scheduled, normalized; stopping rules; log-spaced history).
- :func:`polish`: local solve of the parameter-space max-margin problem from a gradient-descent
  iterate, with multipliers and the KKT residual (Lyu & Li 2020; Ji & Telgarsky 2020).

Examples
--------
>>> import numpy as np, training
>>> X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -0.5]]); y = np.array([1.0, 1.0, -1.0])
>>> m = training.fit(training.Diagonal(2, depth=2, seed=0), X, y, steps=300, lr=0.5,
...                  normalized=True, progress=False).model
>>> bool(np.all(y * m.forward(X) > 0))
True
"""

from ._errors import (
    DataTypeError,
    DivergenceError,
    LabelError,
    NotSeparatedError,
    OutputError,
    ParameterError,
    ParameterTypeError,
    ShapeError,
    TrainingError,
)
from ._fit import FitResult, History, Record, StopRule, fit
from .losses import LossResult, exponential, get_loss, logistic, squared
from .models import (
    GCNN,
    CircularCNN,
    Diagonal,
    FullyConnected,
    LinearModel,
    TensorNetwork,
    correlation_index,
    real_dft_matrix,
)
from .polish import PolishResult, kkt_residual, polish

_LAZY = ("bias", "metrics", "experiments")


def __getattr__(name: str):
    """Import the heavier submodules (``bias`` loads cvxpy) on first access."""
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "bias",
    "metrics",
    "TrainingError",
    "DivergenceError",
    "ShapeError",
    "ParameterError",
    "ParameterTypeError",
    "NotSeparatedError",
    "LabelError",
    "DataTypeError",
    "OutputError",
    "LinearModel",
    "FullyConnected",
    "Diagonal",
    "CircularCNN",
    "GCNN",
    "TensorNetwork",
    "correlation_index",
    "real_dft_matrix",
    "LossResult",
    "exponential",
    "logistic",
    "squared",
    "get_loss",
    "fit",
    "FitResult",
    "History",
    "StopRule",
    "Record",
    "polish",
    "PolishResult",
    "kkt_residual",
]
