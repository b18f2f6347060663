"""The training protocol of the experiments: build, train, polish and assess one architecture.

Every training experiment follows the same protocol (``docs/experiments.md``):

1. solve the max-margin problem predicted for each architecture (:func:`~training.experiments._problems.solve_problem`,
   which calls :func:`training.bias.max_margin`: the convex optimum for ``L <= 2``, the best
   stationary point over several starts for ``L >= 3``);
2. train the architecture by normalized gradient descent on the exponential loss
   (:func:`train`, with a small step-size search: /4 after a divergence, x4 after a run that does
   not separate the data), recording the objective ratio ``R(beta_t) / R(beta*)`` (both at minimum
   margin 1) along the way;
3. polish the final iterate with :func:`training.polish` (the KKT point of the parameter-space
   max-margin problem the run is heading for);
4. report, for the RAW iterate and the POLISHED point, the objective ratio, the cosine to ``beta*``
   and the predictor-space KKT residual of the predicted problem
   (:func:`training.bias.predictor_kkt_residual`), and a verdict (:func:`verdict`).

The raw iterate is certified with looser tolerances (``RAW_ACTIVE_TOL``, ``RAW_RANK_TOL``): its margins
are only approximately equal and its small singular values decay like ``1/log t``.

Examples
--------
>>> make_model("diagonal", 3, 2).n_params
6
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Mapping

import numpy as np

from .. import bias
from .._errors import DivergenceError, NotSeparatedError, ParameterError, TrainingError
from .._fit import FitResult, Record, fit
from ..metrics import cosine
from ..models import (
    GCNN,
    CircularCNN,
    Diagonal,
    FullyConnected,
    LinearModel,
    TensorNetwork,
)
from ..polish import polish
from ._config import GroupConfig, TrainConfig
from ._problems import ARCH_KIND, KKT_TOL, RATIO_TOL, Problem, solve_problem
from ._report import num, progress_bar, row, summarize
from ._rowspace import RowSpaceFC

if TYPE_CHECKING:
    from grouptools import FiniteGroup

__all__ = ["compare_architectures", "make_model", "polish_or_note", "run_arch", "train", "verdict"]


def make_model(
    arch: str, D: int, depth: int, *, init_scale: float = 1.0, seed: int = 0, group: Any = None,
    transform: Any = None, width: int | None = None,
) -> LinearModel:
    """Build one of the linear architectures of :data:`ARCH_KIND`.

    ``"FC"`` has hidden width ``width`` (default D), ``"CNN"`` is the full-width circular CNN over
    ``C_D``, ``"G-CNN"`` needs ``group``, ``"tensor"`` needs ``transform``.

    Examples
    --------
    >>> make_model("FC", 3, 2, width=4).n_params
    16
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
    kkt = num(k, ".1e")
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


#: When a polish does not certify, it is continued from its end point with this many times
#: ``TrainConfig.polish_max_iter`` iterations (:func:`polish_or_note`).
POLISH_RESTART_FACTOR = 10


def polish_or_note(trained: Any, X: np.ndarray, y: np.ndarray, cfg: TrainConfig) -> tuple[Any, str]:
    """Polish the trained model as ``cfg`` asks: ``(result, "")``, or ``(None, why not)`` when
    polishing is disabled, too large (``cfg.polish_max_params``), impossible (the iterate does
    not separate the data) or fails (the error's name).

    The method is SLSQP up to ``cfg.polish_slsqp_max`` parameters, trust-constr above, with
    ``cfg.polish_max_iter`` iterations. A polish that ends without a certified KKT point is
    continued from its end point (:func:`training.polish.polish` with ``continue_factor =
    POLISH_RESTART_FACTOR``): the same method with ten times the iterations, then the other method.
    """
    if not cfg.polish:
        return None, "polish disabled"
    if trained.n_params > cfg.polish_max_params:
        return None, f"polish skipped: {trained.n_params} parameters > {cfg.polish_max_params}"
    try:
        method = "slsqp" if trained.n_params <= cfg.polish_slsqp_max else "trust-constr"
        return polish(trained, X, y, max_iter=cfg.polish_max_iter, method=method,
                      continue_factor=POLISH_RESTART_FACTOR), ""
    except NotSeparatedError:
        return None, "polish impossible: the iterate does not separate the data"
    except (TrainingError, ValueError, np.linalg.LinAlgError) as exc:
        return None, f"polish failed: {type(exc).__name__}"


def run_arch(
    arch: str, X: np.ndarray, y: np.ndarray, problem: Problem, cfg: TrainConfig, *, seed: int = 0,
    group: Any = None, transform: Any = None, width: int | None = None,
    cross: Mapping[str, Problem] | None = None, embed: Callable[[np.ndarray], np.ndarray] | None = None,
    X_cross: np.ndarray | None = None, row_space: bool = False,
) -> dict:
    """Train one architecture, polish it, and compare RAW and POLISHED with the predicted problem.

    ``cross`` holds further problems evaluated on the same iterates (e.g. the G-CNN's Schatten problem
    for every architecture), recorded over training as ``history["ratio:" + name]``. If the
    architecture works in another space than the cross problems (the 2-D CNN on images, scored on
    functions on the group), ``embed`` maps its beta to that space and ``X_cross`` are the data there.
    ``row_space`` trains an ``"FC"`` network through :class:`~training.experiments._rowspace.RowSpaceFC`
    (the same trajectory, first layer moved in the row space of ``X``: for ``D`` much larger than N).

    Returns
    -------
    dict
        ``architecture, depth, kind, prediction, lr, steps, n_params, seconds, cpu_seconds, history, raw,
        polished, polish, cross, verdict, beta_raw, beta_polished`` (JSON-ready after :func:`jsonable`;
        ``seconds`` and ``cpu_seconds`` are the wall and CPU times of training and polish).
    """
    emb = embed if embed is not None else (lambda b: b)
    Xc = X if X_cross is None else X_cross
    metrics = {"ratio:pred": lambda m: problem.ratio(m.linearization(), X, y)}
    metrics.update({f"ratio:{k}": (lambda m, P=P: P.ratio(emb(m.linearization()), Xc, y)) for k, P in (cross or {}).items()})
    model = make_model(arch, X.shape[1], problem.depth, init_scale=cfg.init_scale, seed=seed, group=group,
                       transform=transform, width=width)
    if row_space and isinstance(model, FullyConnected) and model.depth >= 2:
        model = RowSpaceFC.of(model, X)
    t0, c0 = time.perf_counter(), time.process_time()
    res, lr = train(model, X, y, cfg, metrics=metrics)
    t1, c1 = time.perf_counter(), time.process_time()
    trained = res.model.dense() if isinstance(res.model, RowSpaceFC) else res.model
    beta_raw = trained.linearization()
    pol, note = polish_or_note(trained, X, y, cfg)
    t2, c2 = time.perf_counter(), time.process_time()
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
        "n_params": trained.n_params,
        "seconds": {"train": t1 - t0, "polish": t2 - t1},
        "cpu_seconds": {"train": c1 - c0, "polish": c2 - c1},
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


def compare_architectures(name: str, G: FiniteGroup, X: np.ndarray, y: np.ndarray, cfg: GroupConfig, progress: bool) -> dict:
    """G-CNN vs CNN vs FC on functions on ``G`` (Lawrence et al.'s D8, C10xC10xC2 and SmallGroup(200,44) runs).

    For each depth the three predicted problems are solved (Schatten for the G-CNN, the DFT over the
    cyclic group ``C_|G|`` for the CNN, as in the reference code of Lawrence et al., the SVM for FC), each architecture is
    trained and polished, and all of them are also scored on the Schatten and SVM problems (``cross``).

    Returns
    -------
    dict
        ``{"name", "config", "group", "runs": {"L=<d>": {arch: run}}, "optima", "rows", "summary"}``.
    """
    out: dict = {"name": name, "config": cfg, "group": {"order": int(G.order), "irrep_dims": bias.fourier_operator(G).dims},
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
