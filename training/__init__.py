"""Linear networks, losses, gradient descent and polishing for the implicit-bias experiments.

Layers (``docs/design.md``): ``training`` imports from the public API of ``grouptools`` only, never
the reverse; inside ``training`` imports point down ``models < fit, polish < bias < metrics <
experiments``.

- :mod:`training.models`: ``FullyConnected``, ``Diagonal``, ``CircularCNN``, ``GCNN``,
  ``TensorNetwork``, ``BandLimitedGCNN`` (hand-written forward/backward, ``linearization()``), and
  the nonlinear ``ReLUNet`` and ``SphericalCNN``.
- :mod:`training.losses`: ``exponential``, ``logistic``, ``squared`` (stable values and derivatives).
- :func:`fit`: gradient descent (plain, scheduled, normalized; stopping rules; log-spaced history).
- :func:`polish`: local solve of the parameter-space max-margin problem from a gradient-descent
  iterate, with multipliers and the parameter-space KKT residual (:func:`parameter_kkt_residual`;
  Lyu & Li 2020; Ji & Telgarsky 2020).
- :mod:`training.bias` (loaded on first access): the predicted max-margin problems in predictor
  space, their solvers and certificates (:func:`training.bias.predictor_kkt_residual`);
  :mod:`training.bias.bandlimited` for the compact groups.
- :mod:`training.metrics`, :mod:`training.experiments` (loaded on first access).

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
    SweepStalledError,
    TrainingError,
)
from ._fit import FitResult, History, Record, StopRule, fit
from .losses import LossResult, exponential, get_loss, logistic, squared
from .models import (
    GCNN,
    BandLimitedGCNN,
    CircularCNN,
    Diagonal,
    FullyConnected,
    LinearModel,
    ReLUNet,
    SphericalCNN,
    TensorNetwork,
    correlation_index,
    real_dft_matrix,
)
from .polish import PolishResult, parameter_kkt_residual, polish

_LAZY = ("bias", "experiments", "metrics")


def __getattr__(name: str):
    """Import the submodules that need scipy.optimize (``bias``, ``metrics``) or plotting (``experiments``) on first access."""
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BandLimitedGCNN",
    "CircularCNN",
    "DataTypeError",
    "Diagonal",
    "DivergenceError",
    "FitResult",
    "FullyConnected",
    "GCNN",
    "History",
    "LabelError",
    "LinearModel",
    "LossResult",
    "NotSeparatedError",
    "OutputError",
    "ParameterError",
    "ParameterTypeError",
    "PolishResult",
    "ReLUNet",
    "Record",
    "ShapeError",
    "SphericalCNN",
    "StopRule",
    "SweepStalledError",
    "TensorNetwork",
    "TrainingError",
    "bias",
    "correlation_index",
    "exponential",
    "fit",
    "get_loss",
    "logistic",
    "metrics",
    "parameter_kkt_residual",
    "polish",
    "real_dft_matrix",
    "squared",
]
