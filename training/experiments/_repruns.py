"""Training protocol for architectures outside :data:`~training.experiments._problems.ARCH_KIND` (issue 14).

:func:`~training.experiments._runner.run_arch` builds its models from a name; the experiments of
steerable networks, multi-channel local G-CNNs and lifting networks build them themselves and score
them against the representation-cost problem of :func:`training.bias.max_margin`
(``regulariser="representation_cost"``) or against a closed-form problem
(:class:`~training.experiments._problems.Problem`). :func:`run_model` follows the protocol of
``docs/experiments.md``: normalized gradient descent (:func:`~training.experiments._runner.train`),
then :func:`training.polish`, then RAW and POLISHED ratios, cosines and KKT residuals.

For a :class:`RepCostProblem` the ratio is ``R(beta / margin) / R(beta*)`` with ``R`` evaluated by
``cost`` (the SDP of :func:`training.bias.representation_cost` or a closed form); without ``cost``
(depth >= 3, where ``R`` is only known locally) it is the **parameter ratio**
``||w||^2 / margin^(2/L) / R(beta*)``, an upper bound of the predictor ratio, and the KKT residual is
the parameter-space residual of ``min ||w||^2 s.t. margins >= 1`` (:func:`training.polish.parameter_kkt_residual`).
Over training the parameter ratio is recorded for every run (``history["ratio:pred"]``; for a closed-form Problem its own ratio).

References
----------
K. Lyu, J. Li. Gradient descent maximizes the margin of homogeneous neural networks. ICLR 2020.

Examples
--------
>>> import numpy as np
>>> from training.models import Diagonal
>>> X = np.array([[1.0, 2.0], [0.0, 1.0]]); y = np.array([1.0, -1.0])
>>> P = rep_cost_problem(Diagonal(2, 2), X, y)
>>> np.round(P.optimum.beta, 6) + 0.0       # b_2 <= -1 and b_1 >= 1 - 2 b_2: the l1 max-margin point
array([ 3., -1.])
>>> round(P.optimum.objective, 6), P.label   # R = 2 ||beta||_1
(8.0, 'min R(b) (representation cost, L=2)')
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

from .. import bias
from .._errors import NotSeparatedError
from ..metrics import cosine
from ..polish import parameter_kkt_residual, rescale_to_unit_margin
from ._config import TrainConfig
from ._problems import RAW_ACTIVE_TOL, Problem
from ._runner import polish_or_note, train, verdict

__all__ = ["RepCostProblem", "rep_cost_problem", "run_model"]


@dataclass(frozen=True)
class RepCostProblem:
    """The representation-cost max-margin problem of a model and how predictors are scored on it.

    Attributes
    ----------
    depth : int
    optimum : training.bias.MaxMarginResult
        :func:`training.bias.max_margin` with ``regulariser="representation_cost"``.
    cost : callable or None
        ``beta -> R(beta)`` (exact: SDP or closed form); ``None`` for the parameter ratio.
    note : str
        How the optimum was obtained (shown in the prediction label).
    """

    depth: int
    optimum: Any
    cost: Callable[[np.ndarray], float] | None = None
    note: str = ""

    kind = "representation_cost"

    @property
    def label(self) -> str:
        """``"min R(b) (representation cost, L=2)"``."""
        return f"min R(b) (representation cost{', ' + self.note if self.note else ''}, L={self.depth})"

    def ratio(self, beta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        """``R(beta / margin) / R(beta*)``; NaN without ``cost`` or if ``beta`` does not separate the data."""
        m = float(np.min(y * (X @ beta)))
        if self.cost is None or not m > 0:
            return math.nan
        return float(self.cost(beta / m)) / self.optimum.objective


def rep_cost_problem(model: Any, X: np.ndarray, y: np.ndarray, *, exact_cost: bool = True, starts: int = 4,
                     seed: int = 0, cost: Callable[[np.ndarray], float] | None = None, note: str = "") -> RepCostProblem:
    """Solve ``min R(beta)`` under the margins for ``model``'s architecture.

    With ``exact_cost`` and depth 2 the ratio evaluates ``R`` by :func:`training.bias.representation_cost`
    (one SDP per evaluation) unless ``cost`` is given; otherwise the parameter ratio is used.
    """
    opt = bias.max_margin(X, y, regulariser="representation_cost", model=model, starts=starts, seed=seed)
    if cost is None and exact_cost and model.depth == 2:
        def cost(b: np.ndarray) -> float:
            return float(bias.representation_cost(model, b, starts=starts, seed=seed).value)
    return RepCostProblem(int(model.depth), opt, cost, note)


def _param_ratio(model: Any, X: np.ndarray, y: np.ndarray, R_star: float) -> float:
    m = float(np.min(y * model.forward(X)))
    if not m > 0:
        return math.nan
    return float(model.param_norm_sq()) / m ** (2.0 / model.depth) / R_star


def _param_kkt(model: Any, X: np.ndarray, y: np.ndarray, active_tol: float) -> float:
    try:
        return float(parameter_kkt_residual(rescale_to_unit_margin(model, X, y), X, y, active_tol=active_tol)[0])
    except NotSeparatedError:
        return math.nan


def run_model(
    name: str, model: Any, X: np.ndarray, y: np.ndarray, problem: Problem | RepCostProblem, cfg: TrainConfig, *,
    embed: Callable[[np.ndarray], np.ndarray] | None = None, X_pred: np.ndarray | None = None,
    cross: Mapping[str, Any] | None = None,
) -> dict:
    """Train ``model`` on ``(X, y)``, polish it and score RAW and POLISHED against ``problem``.

    ``embed`` maps the model's predictor to the space of ``problem`` whose data are ``X_pred``
    (e.g. a lifting network's predictor on G/H to a function on G); ``cross`` holds further problems
    scored on the final points the same way (``{name: problem}``).

    Returns
    -------
    dict
        As :func:`~training.experiments._runner.run_arch`: ``architecture, depth, kind, prediction, lr,
        steps, n_params, seconds, history, raw, polished, polish, cross, verdict, beta_raw,
        beta_polished``; ``raw`` and ``polished`` also hold ``param_ratio`` (``||w||^2`` at margin 1
        over ``R(beta*)`` for a :class:`RepCostProblem`) and ``param_kkt``.
    """
    emb = embed if embed is not None else (lambda b: b)
    Xp = X if X_pred is None else X_pred
    rep = isinstance(problem, RepCostProblem)
    R_star = float(problem.optimum.objective)
    metrics = {"ratio:pred": (lambda m: _param_ratio(m, X, y, R_star)) if rep else
               (lambda m: problem.ratio(emb(m.linearization()), Xp, y))}
    t0 = time.perf_counter()
    res, lr = train(model, X, y, cfg, metrics=metrics)
    t1 = time.perf_counter()
    trained = res.model
    pol, note = polish_or_note(trained, X, y, cfg)
    t2 = time.perf_counter()

    def assess(m: Any, raw: bool) -> dict:
        beta = emb(m.linearization())
        tol = RAW_ACTIVE_TOL if raw else 1e-6
        out = {"ratio": problem.ratio(beta, Xp, y), "cosine": cosine(beta, problem.optimum.beta),
               "param_ratio": _param_ratio(m, X, y, R_star) if rep else None,
               "param_kkt": _param_kkt(m, X, y, tol)}
        if rep and problem.cost is None:
            out["ratio"] = out["param_ratio"]
        out["kkt"] = out["param_kkt"] if rep else problem.kkt(beta, Xp, y, raw=raw)
        return out

    raw = assess(trained, True)
    polished = None if pol is None else assess(pol.model, False)
    h = res.history
    return {
        "architecture": name, "depth": int(model.depth), "kind": problem.kind, "prediction": problem.label,
        "optimum": {"status": problem.optimum.status, "rank": getattr(problem.optimum, "rank", None),
                    "convex": bool(problem.optimum.convex), "objective": R_star},
        "lr": lr, "steps": res.steps, "n_params": trained.n_params,
        "seconds": {"train": t1 - t0, "polish": t2 - t1},
        "history": {"step": h.step, "loss": h.loss, "margin": h.margin, **dict(h.metrics)},
        "raw": raw, "polished": polished,
        "polish": {"note": note} if pol is None else {"note": note, "success": bool(pol.success),
                                                      "param_kkt": pol.kkt_residual, "method": pol.method},
        "cross": {k: {"raw": P.ratio(emb(trained.linearization()), Xp, y),
                      "polished": None if pol is None else P.ratio(emb(pol.beta), Xp, y)}
                  for k, P in (cross or {}).items()},
        "verdict": verdict(raw, polished, bool(problem.optimum.convex) and (model.depth <= 2 or problem.kind == "l2"), note),
        "beta_raw": trained.linearization(),
        "beta_polished": None if pol is None else pol.beta,
    }
