"""Exceptions raised by the ``training`` package.

Every error the package raises on purpose derives from :class:`TrainingError`, so callers can catch
one class. Errors about bad arguments also derive from :class:`ValueError` (or :class:`TypeError`),
so generic handlers keep working. Messages are one line and say what to change.
"""

from __future__ import annotations

__all__ = [
    "DataTypeError",
    "DivergenceError",
    "LabelError",
    "NotSeparatedError",
    "OutputError",
    "ParameterError",
    "ParameterTypeError",
    "ShapeError",
    "SweepStalledError",
    "TrainingError",
]


class TrainingError(Exception):
    """Base class of all errors raised by ``training``."""


class DivergenceError(TrainingError):
    """Gradient descent diverged: the loss became NaN or infinite, or grew by a huge factor.

    Attributes
    ----------
    step : int
        The step at which the divergence was detected.
    """

    def __init__(self, message: str, step: int = -1) -> None:
        self.step = step
        super().__init__(message)


class ShapeError(TrainingError, ValueError):
    """An array argument has the wrong shape or is not finite."""


class ParameterError(TrainingError, ValueError):
    """A scalar or option argument has an invalid value (e.g. a negative step size)."""


class ParameterTypeError(TrainingError, TypeError):
    """An argument has the wrong type (e.g. a group object without a Cayley table)."""


class NotSeparatedError(TrainingError, ValueError):
    """The model does not separate the data (some margin y_n f(x_n) <= 0), so no rescaling helps."""


class LabelError(ParameterError):
    """Labels do not suit the loss: classification losses need labels exactly ``-1`` or ``+1``."""


class DataTypeError(ParameterTypeError, ValueError):
    """An array argument is not real numeric data (strings, objects, complex numbers, dates).

    Also a :class:`ValueError`, the error numpy raised for such arrays before.
    """


class OutputError(ParameterError):
    """An output path is unusable (not writable, not a directory) or holds a corrupt results file."""


class SweepStalledError(TrainingError):
    """A sweep received no result for longer than its ``stall_timeout``: the cluster stopped answering
    (lost workers, failed heartbeats) or a task ran longer than allowed. The rows written before are
    complete; rerunning the same command resumes."""
