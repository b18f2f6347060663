"""Shared machinery of the experiments: configs, data, the training runner, reports and plots.

Every training experiment follows the same protocol (``docs/experiments.md``):

1. solve the max-margin problem predicted for each architecture (:func:`solve_problem`, which calls
   :func:`training.bias.max_margin`: the convex optimum for ``L <= 2``, the best stationary point
   over several starts for ``L >= 3``);
2. train the architecture by normalized gradient descent on the exponential loss
   (:func:`train`, with a small step-size search: /4 after a divergence, x4 after a run that does
   not separate the data), recording the objective
   ratio ``R(beta_t) / R(beta*)`` (both at minimum margin 1) along the way;
3. polish the final iterate with :func:`training.polish` (the KKT point of the parameter-space
   max-margin problem the run is heading for);
4. report, for the RAW iterate and the POLISHED point, the objective ratio, the cosine to ``beta*``
   and the predictor-space KKT residual of the predicted problem
   (:func:`training.bias.kkt_residual`), and a verdict (:func:`verdict`).

The raw iterate is certified with looser tolerances (``RAW_ACTIVE_TOL``, ``RAW_RANK_TOL``): its margins
are only approximately equal and its small singular values decay like ``1/log t``.

Examples
--------
>>> import numpy as np
>>> X, y = separable_gaussian(4, 6, seed=0)
>>> X.shape, y.tolist()
((4, 6), [1.0, -1.0, 1.0, -1.0])
>>> fmt(1.23456, "ratio"), fmt(None, "kkt"), fmt(3.2e-9, "kkt")
('1.2346', 'n/a', '3.2e-09')
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from .. import bias
from .._errors import DivergenceError, NotSeparatedError, ParameterError, TrainingError
from .._fit import FitResult, Record, fit
from ..metrics import cosine
from ..models import GCNN, CircularCNN, Diagonal, FullyConnected, LinearModel, TensorNetwork
from ..polish import polish
from ._store import atomic_write, jsonable, write_json  # noqa: F401  (jsonable, write_json: re-exported)

__all__ = [
    "ARCH_KIND",
    "PREDICTION",
    "TrainConfig",
    "Problem",
    "group_operator",
    "solve_problem",
    "make_model",
    "train",
    "run_arch",
    "verdict",
    "irreps_of",
    "GroupConfig",
    "compare_architectures",
    "plot_group_comparison",
    "summarize",
    "row",
    "separable_gaussian",
    "unit_rms",
    "progress_bar",
    "jsonable",
    "write_json",
    "polish_status",
    "polished_cell",
    "fmt",
    "report_table",
    "new_figure",
    "save_figure",
    "plot_ratio_traces",
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


def _check_int(name: str, v: object, minimum: int = 1) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < minimum:
        raise ParameterError(f"{name} must be an integer >= {minimum}, got {v!r}")
    return int(v)


def _check_pos(name: str, v: object) -> float:
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
        _check_int("steps", self.steps, 0)
        _check_pos("lr", self.lr)
        _check_pos("init_scale", self.init_scale)
        _check_int("record_points", self.record_points)
        _check_int("polish_max_iter", self.polish_max_iter)
        _check_int("polish_max_params", self.polish_max_params)
        _check_int("polish_slsqp_max", self.polish_slsqp_max)
        _check_int("max_retries", self.max_retries, 0)


# -- predicted problems -----------------------------------------------------------------------------------
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
    group: Any = None
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
            k = bias.kkt_residual(beta, X, y, self.kind, **self._kw(), **tols)
        except NotSeparatedError:
            return math.nan
        excess = 0.0 if k.normal_norm is None else max(0.0, float(k.normal_norm) - 1.0)
        return max(float(k.residual), excess)


_OPS: dict[int, tuple[Any, Any]] = {}
_OPS_MAX = 32


def irreps_of(G: Any) -> tuple:
    """``G.irreps()``, or ``grouptools.reps._irreps.irreps(G)`` where the method is not available yet."""
    if hasattr(G, "irreps"):
        return tuple(G.irreps())
    from grouptools.reps._irreps import irreps

    return tuple(irreps(G))


def group_operator(G: Any) -> bias.FourierOperator:
    """The Fourier operator of a group (``G.irreps()``, or ``grouptools.reps._irreps.irreps(G)`` if the
    FiniteGroup method is not available), cached per group object.

    Examples
    --------
    >>> import grouptools as gt
    >>> group_operator(gt.dihedral(4)).dims.tolist()
    [1, 1, 1, 1, 2]
    """
    if isinstance(G, bias.FourierOperator):
        return G
    hit = _OPS.get(id(G))
    if hit is not None and hit[0] is G:
        return hit[1]
    op = bias.fourier_operator([np.asarray(r.matrices) for r in irreps_of(G)])
    if len(_OPS) >= _OPS_MAX:
        _OPS.pop(next(iter(_OPS)))
    _OPS[id(G)] = (G, op)  # the strong reference keeps id(G) from being reused
    return op


def solve_problem(
    X: np.ndarray, y: np.ndarray, kind: str, depth: int, *, group: Any = None, transform: Any = None,
    starts: int = 4, seed: int = 0,
) -> Problem:
    """Solve the predicted problem with :func:`training.bias.max_margin` (``group`` may be a FiniteGroup).

    Examples
    --------
    >>> import numpy as np
    >>> P = solve_problem(np.array([[1.0, 2.0]]), np.array([1.0]), "lp", 2)
    >>> P.optimum.beta.tolist(), P.label
    ([0.0, 0.5], 'min l_{2/L}(b) (L=2)')
    """
    op = group_operator(group) if kind == "schatten" else None
    res = bias.max_margin(X, y, kind, depth=depth, group=op, transform=transform, starts=starts, seed=seed)
    return Problem(kind, int(depth), res, op, transform)


# -- models and training ----------------------------------------------------------------------------------
def make_model(
    arch: str, D: int, depth: int, *, init_scale: float = 1.0, seed: int = 0, group: Any = None,
    transform: Any = None, width: int | None = None,
) -> LinearModel:
    """Build one of the linear architectures of :data:`ARCH_KIND`.

    ``"FC"`` has hidden width ``width`` (default D), ``"CNN"`` is the full-width circular CNN over
    ``C_D``, ``"G-CNN"`` needs ``group``, ``"tensor"`` needs ``transform``.

    Examples
    --------
    >>> make_model("diagonal", 3, 2).n_params
    6
    """
    if arch == "FC":
        return FullyConnected(D, widths=width if width is not None else D, depth=depth, init_scale=init_scale, seed=seed)
    if arch == "diagonal":
        return Diagonal(D, depth, init_scale=init_scale, seed=seed)
    if arch == "CNN":
        return CircularCNN(D, depth, init_scale=init_scale, seed=seed)
    if arch == "G-CNN":
        if group is None:
            raise ParameterError("the G-CNN needs group=")
        return GCNN(group, depth, init_scale=init_scale, seed=seed)
    if arch == "tensor":
        if transform is None:
            raise ParameterError("the tensor network needs transform=")
        return TensorNetwork.from_transform(transform, depth, init_scale=init_scale, seed=seed)
    raise ParameterError(f"unknown architecture {arch!r}; expected one of {', '.join(ARCH_KIND)}")


def train(
    model: LinearModel, X: np.ndarray, y: np.ndarray, cfg: TrainConfig, *,
    metrics: Mapping[str, Callable[[LinearModel], float]] | None = None, loss: str = "exp",
    normalized: bool = True, steps: int | None = None,
) -> tuple[FitResult, float]:
    """:func:`training.fit` with a simple step-size search.

    After a divergence the step size is divided by 4; if a run ends without separating the data
    (classification losses) and no run has diverged yet, it is multiplied by 4 (a small-initialization
    saddle escapes too slowly). At most ``1 + cfg.max_retries`` runs. Returns the fit result and
    the step size that was used.

    Raises
    ------
    DivergenceError
        If every run diverged.
    """
    lr = cfg.lr
    record = Record(points=cfg.record_points, metrics=dict(metrics or {}))
    n = cfg.steps if steps is None else steps
    diverged, last = False, None
    for _ in range(cfg.max_retries + 1):
        try:
            res = fit(model, X, y, loss, steps=n, lr=lr, normalized=normalized, record=record, progress=False)
        except DivergenceError:
            if last is not None:  # a smaller step ran without diverging: keep it
                return last
            diverged = True
            lr /= 4.0
            continue
        last = (res, lr)
        if loss == "squared" or diverged or float(np.min(y * res.model.forward(X))) > 0:
            return last
        lr *= 4.0
    if last is not None:
        return last
    raise DivergenceError(f"training diverged {cfg.max_retries + 1} times down to lr={lr * 4:.3g}: lower TrainConfig.lr")


def _assess(problem: Problem, beta: np.ndarray | None, X: np.ndarray, y: np.ndarray, raw: bool) -> dict:
    if beta is None:
        return {"ratio": None, "cosine": None, "kkt": None}
    return {
        "ratio": problem.ratio(beta, X, y),
        "cosine": cosine(beta, problem.optimum.beta),
        "kkt": problem.kkt(beta, X, y, raw=raw),
    }


def _num(x: Any, spec: str) -> str:
    """``x`` formatted with ``spec``; ``"skipped"`` for None, ``"n/a"`` for NaN/inf (never ``nan``)."""
    if x is None:
        return "skipped"
    x = float(x)
    return format(x, spec) if math.isfinite(x) else "n/a"


def verdict(raw: Mapping[str, Any], polished: Mapping[str, Any] | None, convex: bool, note: str = "") -> str:
    """One-line verdict from the raw and polished figures (the protocol of ``docs/experiments.md``).

    The wording separates what the theory predicts from what was found. Gradient descent converges in
    direction to a first-order stationary (KKT) point of the predicted problem; only for a convex
    problem (the SVM of FC at any depth, L <= 2 otherwise) is every such point the global optimum.

    - Convex: ``"consistent: global optimum (ratio q, KKT residual r)"`` when the polished ratio is
      within ``RATIO_TOL`` of 1 and the KKT residual below ``KKT_TOL``; ``"inconsistent: ..."`` when
      the ratio is above.
    - Nonconvex (L >= 3): ``"consistent: stationary (KKT residual r) at the best known point (ratio q)"``;
      a certified stationary point above the best known one is ``"stationary, not optimal: ... a
      local solution P% above the best known point (ratio q)"``, never plain "consistent".
    - Without a polished point the verdict rests on the raw ratio, is marked ``raw only, not
      certified`` and says why (``note``, e.g. ``polish skipped``).

    Missing figures print as ``skipped`` (never ``nan``).

    Examples
    --------
    >>> verdict({"ratio": 1.02}, {"ratio": 1.0000001, "kkt": 1e-12}, True)
    'consistent: global optimum (ratio 1.0000, KKT residual 1.0e-12)'
    >>> verdict({"ratio": 1.3}, {"ratio": 1.2, "kkt": 1e-9}, False)
    'stationary, not optimal: KKT residual 1.0e-09, a local solution 20% above the best known point (ratio 1.2000)'
    """
    target = "the global optimum" if convex else "the best known point"
    if polished is None or polished.get("ratio") is None or not np.isfinite(polished["ratio"]):
        r = raw.get("ratio")
        why = note or "polish unavailable"
        if r is None or not np.isfinite(r):
            return f"undecided: the iterate does not separate the data{'; ' + note if note else ''}"
        if r <= 1 + 0.05:
            return f"near {target} (raw only, not certified: ratio {r:.4f}; {why})"
        return f"undecided: raw ratio {r:.4f} (directional convergence is ~1/log t; {why})"
    r, k = float(polished["ratio"]), polished.get("kkt")
    stationary = k is not None and np.isfinite(k) and k <= KKT_TOL
    kkt = _num(k, ".1e")
    if convex:
        if r <= 1 + RATIO_TOL and stationary:
            return f"consistent: global optimum (ratio {r:.4f}, KKT residual {kkt})"
        if r <= 1 + RATIO_TOL:
            return f"consistent: objective at the global optimum (ratio {r:.6f}), not certified (KKT residual {kkt})"
        return (f"inconsistent: polished ratio {r:.4f} > 1 at a parameter-space KKT point "
                "(a saddle of the factored problem?)")
    if not stationary:
        return f"not certified: polished KKT residual {kkt} > {KKT_TOL:g} (polish did not converge?)"
    if abs(r - 1) <= RATIO_TOL:
        return f"consistent: stationary (KKT residual {kkt}) at the best known point (ratio {r:.4f})"
    if r < 1:
        return (f"consistent: stationary (KKT residual {kkt}), better than the best known point of the solver "
                f"(ratio {r:.4f})")
    return (f"stationary, not optimal: KKT residual {kkt}, a local solution {100 * (r - 1):.0f}% above the best "
            f"known point (ratio {r:.4f})")


def run_arch(
    arch: str, X: np.ndarray, y: np.ndarray, problem: Problem, cfg: TrainConfig, *, seed: int = 0,
    group: Any = None, transform: Any = None, width: int | None = None,
    cross: Mapping[str, Problem] | None = None, embed: Callable[[np.ndarray], np.ndarray] | None = None,
    X_cross: np.ndarray | None = None,
) -> dict:
    """Train one architecture, polish it, and compare RAW and POLISHED with the predicted problem.

    ``cross`` holds further problems evaluated on the same iterates (e.g. the G-CNN's Schatten problem
    for every architecture), recorded over training as ``history["ratio:" + name]``. If the
    architecture works in another space than the cross problems (the 2-D CNN on images, scored on
    functions on the group), ``embed`` maps its beta to that space and ``X_cross`` are the data there.

    Returns
    -------
    dict
        ``architecture, depth, kind, prediction, lr, steps, n_params, seconds, history, raw, polished,
        polish, cross, verdict, beta_raw, beta_polished`` (JSON-ready after :func:`jsonable`).
    """
    emb = embed if embed is not None else (lambda b: b)
    Xc = X if X_cross is None else X_cross
    metrics = {"ratio:pred": lambda m: problem.ratio(m.linearization(), X, y)}
    metrics.update({f"ratio:{k}": (lambda m, P=P: P.ratio(emb(m.linearization()), Xc, y)) for k, P in (cross or {}).items()})
    model = make_model(arch, X.shape[1], problem.depth, init_scale=cfg.init_scale, seed=seed, group=group,
                       transform=transform, width=width)
    t0 = time.perf_counter()
    res, lr = train(model, X, y, cfg, metrics=metrics)
    t1 = time.perf_counter()
    beta_raw = res.model.linearization()
    pol, note = None, ""
    if not cfg.polish:
        note = "polish disabled"
    elif res.model.n_params > cfg.polish_max_params:
        note = f"polish skipped: {res.model.n_params} parameters > {cfg.polish_max_params}"
    else:
        try:
            method = "slsqp" if res.model.n_params <= cfg.polish_slsqp_max else "trust-constr"
            pol = polish(res.model, X, y, max_iter=cfg.polish_max_iter, method=method)
        except NotSeparatedError:
            note = "polish impossible: the iterate does not separate the data"
        except (TrainingError, ValueError, np.linalg.LinAlgError) as exc:
            note = f"polish failed: {type(exc).__name__}"
    t2 = time.perf_counter()
    beta_pol = None if pol is None else pol.beta
    raw = _assess(problem, beta_raw, X, y, raw=True)
    polished = None if pol is None else _assess(problem, beta_pol, X, y, raw=False)
    h = res.history
    return {
        "architecture": arch,
        "depth": problem.depth,
        "kind": problem.kind,
        "prediction": problem.label,
        "lr": lr,
        "steps": res.steps,
        "n_params": res.model.n_params,
        "seconds": {"train": t1 - t0, "polish": t2 - t1},
        "history": {"step": h.step, "loss": h.loss, "margin": h.margin, **{k: v for k, v in h.metrics.items()}},
        "raw": raw,
        "polished": polished,
        "polish": {"note": note} if pol is None else {
            "note": note, "success": bool(pol.success), "param_kkt": pol.kkt_residual, "method": pol.method},
        "cross": {k: {"raw": P.ratio(emb(beta_raw), Xc, y),
                      "polished": None if beta_pol is None else P.ratio(emb(beta_pol), Xc, y)}
                  for k, P in (cross or {}).items()},
        "verdict": verdict(raw, polished, problem.optimum.convex, note),
        "beta_raw": beta_raw,
        "beta_polished": beta_pol,
    }


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
        _check_int("N", self.N)
        for L in self.depths:
            _check_int("depth", L)
        _check_int("starts", self.starts)
        if self.fc_width is not None:
            _check_int("fc_width", self.fc_width)


def compare_architectures(name: str, G: Any, X: np.ndarray, y: np.ndarray, cfg: GroupConfig, progress: bool) -> dict:
    """G-CNN vs CNN vs FC on functions on ``G`` (Lawrence et al.'s D8, C10xC10xC2 and SmallGroup(200,44) runs).

    For each depth the three predicted problems are solved (Schatten for the G-CNN, the DFT over the
    cyclic group ``C_|G|`` for the CNN, as in the reference code of Lawrence et al., the SVM for FC), each architecture is
    trained and polished, and all of them are also scored on the Schatten and SVM problems (``cross``).

    Returns
    -------
    dict
        ``{"name", "config", "group", "runs": {"L=<d>": {arch: run}}, "optima", "rows", "summary"}``.
    """
    out: dict = {"name": name, "config": cfg, "group": {"order": int(G.order), "irrep_dims": group_operator(G).dims},
                 "runs": {}, "optima": {}, "rows": [], "summary": []}
    with progress_bar(3 * len(cfg.depths), name, progress) as bar:
        for L in cfg.depths:
            P = {
                "schatten": solve_problem(X, y, "schatten", L, group=G, starts=cfg.starts, seed=cfg.seed),
                "dft": solve_problem(X, y, "dft", L, starts=cfg.starts, seed=cfg.seed),
                "l2": solve_problem(X, y, "l2", L),
            }
            out["optima"][f"L={L}"] = {k: {"objective": p.optimum.objective, "status": p.optimum.status,
                                           "kkt": p.optimum.kkt_residual} for k, p in P.items()}
            runs = {}
            for arch in ("G-CNN", "CNN", "FC"):
                runs[arch] = run_arch(arch, X, y, P[ARCH_KIND[arch]], cfg.train, seed=cfg.seed + 1, group=G,
                                      width=cfg.fc_width, cross={"schatten": P["schatten"], "l2": P["l2"]})
                out["rows"].append(row(name, runs[arch]))
                bar.update(1)
            out["runs"][f"L={L}"] = runs
    out["summary"] += [
        "own prediction, objective ratio (polished, else raw): " + summarize(out["runs"]),
        "Schatten_{2/L} ratio of every architecture (G-CNN's problem): " + summarize(out["runs"], "schatten"),
        "SVM ratio of every architecture (FC's problem): " + summarize(out["runs"], "l2"),
    ]
    return out


def plot_group_comparison(metrics: Mapping[str, Any], path: str | Path, title: str) -> None:
    """Top row: Schatten ratio of the three architectures per depth (Lawrence et al.'s figure, at margin 1);
    bottom row: each architecture against its own prediction."""
    runs = metrics["runs"]
    fig, axes = new_figure(2, len(runs))
    for j, (label, rr) in enumerate(runs.items()):
        plot_ratio_traces(axes[0, j], rr, "ratio:schatten", f"{label}: Schatten_{{2/L}} of beta_hat vs G-CNN optimum")
        plot_ratio_traces(axes[1, j], rr, "ratio:pred", f"{label}: each architecture vs its own prediction")
    fig.suptitle(title, fontsize=10)
    save_figure(fig, path)


def summarize(runs: Mapping[str, Mapping[str, Mapping[str, Any]]], key: str = "pred") -> str:
    """One line per depth with the polished (else raw) ratio of every architecture for problem ``key``.

    ``key="pred"`` is each architecture's own prediction; other keys are the ``cross`` problems. A raw
    ratio stands in (marked ``(raw)``) where there is no polished point; a ratio that is undefined
    (NaN: the predictor does not separate the data) prints as ``n/a`` with that reason, never ``nan``.

    Examples
    --------
    >>> summarize({"L=2": {"FC": {"raw": {"ratio": float("nan")}, "polished": None}}})
    'L=2: FC n/a (raw; does not separate the data)'
    """
    def finite(x: Any) -> bool:
        return x is not None and math.isfinite(float(x))

    parts = []
    for label, rr in runs.items():
        cells = []
        for arch, run in rr.items():
            if key == "pred":
                pol, raw = (run.get("polished") or {}).get("ratio"), run["raw"]["ratio"]
            else:
                pol, raw = run["cross"][key]["polished"], run["cross"][key]["raw"]
            if finite(pol):
                cells.append(f"{arch} {fmt(pol, 'ratio')}")
            elif finite(raw):
                cells.append(f"{arch} {fmt(raw, 'ratio')} (raw)")
            else:
                cells.append(f"{arch} n/a (raw; does not separate the data)")
        parts.append(f"{label}: " + ", ".join(cells))
    return "; ".join(parts)


def polish_status(run: Mapping[str, Any]) -> str | None:
    """``None`` if the run has a polished point, else what the report prints in its place:
    ``"skipped"`` (polish disabled or skipped), ``"failed"`` or ``"n/a"``."""
    if run.get("polished"):
        return None
    note = str((run.get("polish") or {}).get("note") or "")
    if note.startswith(("polish skipped", "polish disabled")):
        return "skipped"
    if note.startswith(("polish failed", "polish impossible")):
        return "failed"
    return "n/a"


def polished_cell(run: Mapping[str, Any], key: str, what: str) -> str:
    """The polished ``key`` of a run formatted by :func:`fmt`, or, when the run has no polished point,
    its :func:`polish_status` (``"skipped"``, ``"failed"``, ``"n/a"``): never ``nan``.

    Examples
    --------
    >>> polished_cell({"polished": None, "polish": {"note": "polish skipped (500 parameters)"}}, "ratio", "ratio")
    'skipped'
    >>> polished_cell({"polished": {"ratio": 1.0}}, "ratio", "ratio")
    '1.0000'
    """
    status = polish_status(run)
    return status if status is not None else fmt((run.get("polished") or {}).get(key), what)


def row(experiment: str, run: Mapping[str, Any], architecture: str | None = None) -> dict:
    """A report row from :func:`run_arch` output (``polish_status``: see :func:`polish_status`)."""
    pol = run.get("polished") or {}
    return {
        "polish_status": polish_status(run),
        "experiment": experiment,
        "architecture": architecture or f"{run['architecture']} L={run['depth']}",
        "prediction": run["prediction"],
        "ratio_raw": run["raw"]["ratio"],
        "ratio_polished": pol.get("ratio"),
        "cosine_raw": run["raw"]["cosine"],
        "cosine_polished": pol.get("cosine"),
        "kkt_raw": run["raw"]["kkt"],
        "kkt_polished": pol.get("kkt"),
        "verdict": run["verdict"],
    }


# -- data ---------------------------------------------------------------------------------------------------
def separable_gaussian(N: int, D: int, *, seed: int = 0, shift: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """``N`` standard Gaussian points in ``R^D`` with alternating labels ``+1, -1, ...``, rescaled to
    root-mean-square norm 1.

    ``shift`` adds ``label * shift`` to every coordinate before the rescaling (Lawrence et al.'s
    SmallGroup(200,44) data use ``1e-2``). With ``N <= D`` the data are separable through the origin
    with probability 1. A common rescaling of the data leaves every max-margin direction unchanged;
    unit-size inputs keep the step sizes of normalized gradient descent comparable across dimensions.

    Examples
    --------
    >>> X, y = separable_gaussian(3, 5, seed=1, shift=0.5)
    >>> X.shape, y.tolist(), round(float(np.mean(np.sum(X ** 2, axis=1))), 12)
    ((3, 5), [1.0, -1.0, 1.0], 1.0)
    """
    N, D = _check_int("N", N), _check_int("D", D)
    rng = np.random.default_rng(seed)
    y = np.where(np.arange(N) % 2 == 0, 1.0, -1.0)
    X = rng.standard_normal((N, D)) + float(shift) * y[:, None]
    return unit_rms(X), y


def unit_rms(X: np.ndarray) -> np.ndarray:
    """``X`` divided by the root-mean-square norm of its rows.

    Examples
    --------
    >>> unit_rms(np.array([[3.0, 4.0]])).tolist()
    [[0.6, 0.8]]
    """
    X = np.asarray(X, dtype=float)
    return X / max(float(np.sqrt(np.mean(np.sum(X**2, axis=1)))), 1e-300)


# -- progress, JSON, report ---------------------------------------------------------------------------------
def progress_bar(total: int, desc: str, enabled: bool):
    """A tqdm bar on stderr, shown only if ``enabled`` and stderr is a terminal (no escape codes in logs)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, leave=False, disable=not (enabled and sys.stderr.isatty()), file=sys.stderr)


def fmt(x: Any, what: str) -> str:
    """Format a table entry: ``what`` in {"ratio", "cosine", "kkt"}; None/NaN -> ``n/a``."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    return f"{x:.1e}" if what == "kkt" else f"{x:.4f}"


REPORT_COLUMNS = ("experiment", "architecture", "prediction", "ratio raw", "ratio polished", "cosine raw",
                  "cosine polished", "KKT raw", "KKT polished", "verdict")


def report_table(rows: Iterable[Mapping[str, Any]]) -> str:
    """The Markdown table of the report (columns :data:`REPORT_COLUMNS`).

    Missing entries print as ``n/a``, the polished ones as the row's ``polish_status`` (e.g.
    ``skipped``) when it has one.

    Examples
    --------
    >>> print(report_table([{"experiment": "e", "architecture": "FC", "prediction": "SVM",
    ...     "ratio_raw": 1.0, "ratio_polished": None, "cosine_raw": 1.0, "cosine_polished": None,
    ...     "kkt_raw": 0.0, "kkt_polished": None, "verdict": "ok"}]).splitlines()[2])
    | e | FC | SVM | 1.0000 | n/a | 1.0000 | n/a | 0.0e+00 | n/a | ok |
    """
    lines = ["| " + " | ".join(REPORT_COLUMNS) + " |", "|" + " --- |" * len(REPORT_COLUMNS)]
    for r in rows:
        status = r.get("polish_status")  # "skipped" etc. in the polished cells when there is no polished point

        def pol(x: Any, what: str) -> str:
            return status if x is None and status else fmt(x, what)

        cells = [r["experiment"], r["architecture"], r["prediction"],
                 fmt(r["ratio_raw"], "ratio"), pol(r["ratio_polished"], "ratio"),
                 fmt(r["cosine_raw"], "cosine"), pol(r["cosine_polished"], "cosine"),
                 fmt(r["kkt_raw"], "kkt"), pol(r["kkt_polished"], "kkt"), r["verdict"]]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


# -- plotting -----------------------------------------------------------------------------------------------
ARCH_COLORS = {"G-CNN": "tab:red", "CNN": "tab:blue", "FC": "tab:green", "diagonal": "tab:purple",
               "tensor": "tab:orange"}


def new_figure(nrows: int, ncols: int, *, width: float = 4.2, height: float = 3.2):
    """A matplotlib Figure with an Agg canvas (no pyplot, no global backend change) and its axes array."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def save_figure(fig: Any, path: str | Path) -> None:
    """Save as PNG (100 dpi, fixed metadata so that reruns give identical files), atomically."""
    atomic_write(path, lambda fh: fig.savefig(fh, format="png", dpi=100, metadata={"Software": None}))


def plot_ratio_traces(ax: Any, runs: Mapping[str, Mapping[str, Any]], key: str, title: str, *, ylabel: str = "") -> None:
    """Plot ``history[key]`` (an objective ratio) of several runs against the step (log-log), the line 1,
    and the POLISHED ratio as a star at the last step."""
    top = 1.0
    lo = 1.0
    cycle = iter(["tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown"])
    for arch, run in runs.items():
        h = run["history"]
        steps = np.asarray(h["step"], dtype=float)
        vals = np.asarray([np.nan if v is None else v for v in h[key]], dtype=float)
        ok = (steps > 0) & np.isfinite(vals)
        color = ARCH_COLORS.get(arch) or next(cycle)
        ax.plot(steps[ok], vals[ok], color=color, label=f"{arch} (raw)")
        if ok.any():
            top = max(top, float(np.nanmin(vals[ok])) * 1.5)
            lo = min(lo, float(np.nanmin(vals[ok])))
        name = key.split(":", 1)[1]
        pol = (run.get("polished") or {}).get("ratio") if name == "pred" else run["cross"][name]["polished"]
        if pol is not None and np.isfinite(pol) and steps.size:
            ax.plot([steps[-1]], [pol], marker="*", ms=11, color=color, ls="none")
            lo = min(lo, pol)
    ax.axhline(1.0, color="black", lw=0.8, ls="--", label="optimum (* = polished)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(0.97 * lo, max(top, 1.2 * lo, 1.1))
    from matplotlib.ticker import FuncFormatter

    from matplotlib.ticker import NullFormatter

    ax.xaxis.set_minor_formatter(NullFormatter())
    fmt_ = FuncFormatter(lambda v, _: f"{v:.3g}")
    ax.yaxis.set_major_formatter(fmt_)
    lo_, hi_ = ax.get_ylim()
    if hi_ / lo_ < 8:  # label the minor ticks only when less than a decade is shown
        ax.yaxis.set_minor_formatter(fmt_)
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel or "R(beta_t) / R(beta*)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)
