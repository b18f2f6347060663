"""The predicted max-margin problems of the experiments and how iterates are scored against them.

Examples
--------
>>> import numpy as np
>>> P = solve_problem(np.array([[1.0, 2.0]]), np.array([1.0]), "lp", 2)
>>> P.optimum.beta.tolist(), P.label
([0.0, 0.5], 'min l_{2/L}(b) (L=2)')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import bias
from .._errors import NotSeparatedError

__all__ = [
    "ARCH_KIND",
    "KKT_TOL",
    "PREDICTION",
    "Problem",
    "RATIO_TOL",
    "RAW_ACTIVE_TOL",
    "RAW_RANK_TOL",
    "solve_problem",
]

ARCH_KIND = {"FC": "l2", "diagonal": "lp", "CNN": "dft", "G-CNN": "schatten", "tensor": "transformed"}
"""The max-margin problem (``training.bias`` kind) predicted for each architecture."""

PREDICTION = {
    "l2": "SVM: min l_2(b)",
    "lp": "min l_{2/L}(b)",
    "dft": "min l_{2/L}(DFT b)",
    "schatten": "min Schatten_{2/L}(b_hat)",
    "transformed": "min l_{2/L}(z), b = S^T z",
}
"""Short labels of the predicted problems (report tables)."""

RATIO_TOL = 1e-3
"""A polished objective ratio within ``1 +- RATIO_TOL`` counts as reaching the predicted optimum."""
KKT_TOL = 1e-4
"""A predictor-space KKT residual below this certifies first-order stationarity (as ``training.bias``)."""
RAW_ACTIVE_TOL = 0.05
"""Raw iterates: constraints within 5% of the minimum margin count as active."""
RAW_RANK_TOL = 1e-2
"""Raw iterates: singular values below 1% of the largest count as zero (``training.metrics``)."""


@dataclass(frozen=True)
class Problem:
    """A predicted max-margin problem and its (best known) solution.

    Attributes
    ----------
    kind : str
        ``training.bias`` kind.
    depth : int
        Depth L (``p = 2/L``; ignored by ``"l2"``).
    optimum : training.bias.MaxMarginResult
        The solution of :func:`training.bias.max_margin`.
    group : FourierOperator, optional
        For ``"schatten"``.
    transform : numpy.ndarray, optional
        For ``"transformed"``.
    """

    kind: str
    depth: int
    optimum: bias.MaxMarginResult
    group: bias.FourierOperator | None = None
    transform: Any = None

    @property
    def label(self) -> str:
        """Label for tables, e.g. ``"min l_{2/L}(b) (L=3)"``."""
        return PREDICTION[self.kind] + ("" if self.kind == "l2" else f" (L={self.depth})")

    def _kw(self) -> dict:
        return {"depth": self.depth, "group": self.group, "transform": self.transform}

    def objective(self, beta: np.ndarray) -> float:
        """``R(beta)`` in sum form (``training.bias.objective``)."""
        return bias.objective(beta, self.kind, **self._kw())

    def ratio(self, beta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        """``R(beta / margin) / R(beta*)``; NaN if ``beta`` does not separate the data."""
        m = float(np.min(y * (X @ beta)))
        if not m > 0:
            return math.nan
        return self.objective(beta / m) / self.optimum.objective

    def kkt(self, beta: np.ndarray, X: np.ndarray, y: np.ndarray, *, raw: bool) -> float:
        """Predictor-space KKT residual (loose tolerances for raw iterates); NaN if not separated.

        For ``p = 1`` (L = 2) stationarity also needs the normal parts of the multiplier combination
        to have spectral norm ``<= 1`` (the subdifferential of the nuclear / l1 norm); the excess
        ``normal_norm - 1`` is reported if it is larger than the tangential residual.
        """
        tols = {"active_tol": RAW_ACTIVE_TOL, "rank_tol": RAW_RANK_TOL} if raw else {}
        try:
            k = bias.predictor_kkt_residual(beta, X, y, self.kind, **self._kw(), **tols)
        except NotSeparatedError:
            return math.nan
        excess = 0.0 if k.normal_norm is None else max(0.0, float(k.normal_norm) - 1.0)
        return max(float(k.residual), excess)


def solve_problem(
    X: np.ndarray, y: np.ndarray, kind: str, depth: int, *, group: bias.GroupLike | None = None, transform: Any = None,
    starts: int = 4, seed: int = 0,
) -> Problem:
    """Solve the predicted problem with :func:`training.bias.max_margin`.

    ``group`` (for ``"schatten"``) may be a FiniteGroup: its Fourier operator
    (:func:`training.bias.fourier_operator`, kept in the group's memo) is stored in the problem.
    """
    op = bias.fourier_operator(group) if kind == "schatten" else None
    res = bias.max_margin(X, y, kind, depth=depth, group=op, transform=transform, starts=starts, seed=seed)
    return Problem(kind, int(depth), res, op, transform)
