"""Configurations of the experiments: how an architecture is trained, and the group comparisons.

Examples
--------
>>> TrainConfig(steps=10).steps
10
>>> check_positive_int("N", 0)
Traceback (most recent call last):
...
training._errors.ParameterError: N must be an integer >= 1, got 0
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._checks import check_positive_int
from .._errors import ParameterError

__all__ = ["GroupConfig", "TrainConfig", "check_positive"]


def check_positive(name: str, v: object) -> float:
    """``v`` as a ``float`` if it is a finite real number ``> 0`` (not a bool).

    Raises
    ------
    ParameterError

    Examples
    --------
    >>> check_positive("lr", 1)
    1.0
    """
    if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)) or not (0 < v < math.inf):
        raise ParameterError(f"{name} must be a finite number > 0, got {v!r}")
    return float(v)


@dataclass(frozen=True)
class TrainConfig:
    """How one architecture is trained and polished.

    Attributes
    ----------
    steps : int
        Gradient-descent updates (normalized GD, ``training.fit(normalized=True)``).
    lr : float
        Initial step size; divided by 4 after a divergence, multiplied by 4 after a run that does not
        separate the data (:func:`train`), at most ``max_retries`` times.
    init_scale : float
        Initialization scale of the models (``init_scale=`` of :mod:`training.models`).
    record_points : int
        Log-spaced points at which the objective ratios are recorded.
    polish : bool
        Run :func:`training.polish` on the final iterate.
    polish_max_iter : int
        Solver iterations of the polish.
    polish_max_params : int
        Skip the polish (reported as such) for models with more parameters than this.
    polish_slsqp_max : int
        Polish with SLSQP up to this many parameters, with trust-constr above. SLSQP is O(n^3) per
        iteration but reliable; trust-constr was seen to stop at parameter-space KKT points that are
        saddles of the factored problem (polished ratio > 1 on convex L = 2 problems).
    max_retries : int
        Step-size changes before giving up.
    """

    steps: int = 2000
    lr: float = 0.05
    init_scale: float = 1.0
    record_points: int = 40
    polish: bool = True
    polish_max_iter: int = 100
    polish_max_params: int = 100_000
    polish_slsqp_max: int = 1600
    max_retries: int = 5

    def __post_init__(self) -> None:
        check_positive_int("steps", self.steps, 0)
        check_positive("lr", self.lr)
        check_positive("init_scale", self.init_scale)
        check_positive_int("record_points", self.record_points)
        check_positive_int("polish_max_iter", self.polish_max_iter)
        check_positive_int("polish_max_params", self.polish_max_params)
        check_positive_int("polish_slsqp_max", self.polish_slsqp_max)
        check_positive_int("max_retries", self.max_retries, 0)


@dataclass(frozen=True)
class GroupConfig:
    """Configuration shared by the G-CNN vs CNN vs FC experiments on one group.

    Attributes
    ----------
    N : int
        Number of data points.
    depths : tuple of int
        Depths L (Lawrence et al. use L = 3; L = 2 is the convex case).
    seed : int
        Seed of the data and the initializations.
    starts : int
        Starts of the nonconvex max-margin solver (L >= 3).
    fc_width : int, optional
        Hidden width of the FC network (default ``|G|``, as in Lawrence et al.).
    train : TrainConfig
        Steps, step size, initialization, polishing.
    """

    N: int = 4
    depths: tuple[int, ...] = (3, 2)
    seed: int = 0
    starts: int = 4
    fc_width: int | None = None
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        check_positive_int("N", self.N)
        for L in self.depths:
            check_positive_int("depth", L)
        check_positive_int("starts", self.starts)
        if self.fc_width is not None:
            check_positive_int("fc_width", self.fc_width)
