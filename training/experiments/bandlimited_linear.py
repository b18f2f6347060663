r"""Linear band-limited G-CNNs over SO(3) (or O(2), SO(2)): certified implicit bias.

The compact-group version of Lawrence et al.'s linear G-CNN experiments. Inputs are real band-limited
functions on the group in real orthonormal coordinates (:func:`grouptools.compact.block_space`;
Gaussian coordinates, i.e. white noise of band limit B, alternating labels). For each depth L:

1. the predicted problem ``min sum_k w_k ||beta_hat_k||_{S,2/L}^{2/L}`` s.t. margins ``>= 1``
   (``w_k = 2l + 1`` for SO(3)) is solved by :func:`training.bias.bandlimited.bandlimited_max_margin`
   (convex for L = 2: cvxpy + Clarabel; local solver from several starts for L >= 3);
2. :class:`training.models.BandLimitedGCNN` is trained by normalized gradient descent on the
   exponential loss (:func:`training.experiments._runner.train`), then polished to the KKT point of
   ``min ||w||^2`` s.t. margins ``>= 1`` (:func:`training.polish`);
3. the raw and polished predictors are compared with the prediction: objective ratio
   ``R(beta)/R(beta*)`` (both at margin 1), cosine, and the predictor-space KKT residual
   (:func:`training.bias.bandlimited.bandlimited_kkt_certificate`); for the polished point also the identity
   ``||w||^2 = L R(beta)`` (the balanced factorization is the parameter-space optimum);
4. an FC network on the same coordinates is trained and scored on the same Schatten problem (its own
   prediction is the SVM), as in Lawrence et al.'s comparisons.

Examples
--------
>>> QUICK.group, QUICK.bandlimit, QUICK.depths
('so3', 3, (2, 3))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grouptools.compact import block_space

from .. import bias
from .._errors import NotSeparatedError, ParameterError, TrainingError
from ..bias.bandlimited import bandlimited_operator, schatten_objective
from ..metrics import cosine
from ..models import BandLimitedGCNN
from ..polish import polish
from ._config import TrainConfig
from ._data import separable_gaussian
from ._plots import new_figure, plot_ratio_traces, save_figure
from ._problems import Problem, solve_problem
from ._report import fmt, polish_status, progress_bar, row, summarize
from ._runner import run_arch, train, verdict
from ._store import write_json

__all__ = ["Config", "FULL", "NAME", "QUICK", "TINY", "plot", "run", "run_gcnn"]

NAME = "bandlimited_linear"


@dataclass(frozen=True)
class Config:
    """Configuration of :func:`run`.

    Attributes
    ----------
    group : {"so3", "o2", "so2"}
    bandlimit : int
        Band limit B (degrees ``< B``).
    N : int
        Number of data points (Gaussian coordinates, alternating labels).
    depths : tuple of int
    seed : int
    starts : int
        Starts of the nonconvex solver (L >= 3).
    fc_width : int
        Hidden width of the FC baseline.
    train : TrainConfig
    """

    group: str = "so3"
    bandlimit: int = 3
    N: int = 8
    depths: tuple[int, ...] = (2, 3)
    seed: int = 0
    starts: int = 4
    fc_width: int = 8
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        if self.group not in ("so3", "o2", "so2"):
            raise ParameterError(f"group must be 'so3', 'o2' or 'so2', got {self.group!r}")
        for name in ("bandlimit", "N", "starts", "fc_width"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ParameterError(f"{name} must be a positive integer, got {v!r}")
        if not self.depths or any(isinstance(L, bool) or not isinstance(L, int) or L < 1 for L in self.depths):
            raise ParameterError(f"depths must be positive integers, got {self.depths!r}")


TINY = Config(bandlimit=2, N=4, depths=(2,), train=TrainConfig(steps=200, lr=0.1, record_points=6))
QUICK = Config(train=TrainConfig(steps=3000, lr=0.1, init_scale=0.5, record_points=25))
FULL = Config(bandlimit=4, N=16, starts=8, fc_width=16,
              train=TrainConfig(steps=40000, lr=0.1, init_scale=0.5, record_points=60))


def _assess(P: Problem, beta: np.ndarray, X: np.ndarray, y: np.ndarray, raw: bool) -> dict:
    return {"ratio": P.ratio(beta, X, y), "cosine": cosine(beta, P.optimum.beta), "kkt": P.kkt(beta, X, y, raw=raw)}


def _block_singular_values(beta: np.ndarray, space) -> list[list[float]]:
    b = beta / np.linalg.norm(beta)
    return [np.linalg.svd(M, compute_uv=False).tolist() for M in space.to_blocks(b)]


def run_gcnn(space, X: np.ndarray, y: np.ndarray, P: Problem, P_l2: Problem, cfg: Config) -> dict:
    """Train, polish and assess the band-limited G-CNN of depth ``P.depth`` (a :func:`row`-compatible dict)."""
    L = P.depth
    model = BandLimitedGCNN(space, depth=L, init_scale=cfg.train.init_scale, seed=cfg.seed + 1)
    metrics = {"ratio:pred": lambda m: P.ratio(m.linearization(), X, y),
               "ratio:schatten": lambda m: P.ratio(m.linearization(), X, y),
               "ratio:l2": lambda m: P_l2.ratio(m.linearization(), X, y)}
    res, lr = train(model, X, y, cfg.train, metrics=metrics)
    beta_raw = res.model.linearization()
    raw = _assess(P, beta_raw, X, y, raw=True)
    pol, note = None, ""
    if not cfg.train.polish:
        note = "polish disabled"
    else:
        try:
            pol = polish(res.model, X, y, max_iter=cfg.train.polish_max_iter)
        except NotSeparatedError:
            note = "polish impossible: the iterate does not separate the data"
        except (TrainingError, ValueError, np.linalg.LinAlgError) as exc:
            note = f"polish failed: {type(exc).__name__}"
    polished = None if pol is None else _assess(P, pol.beta, X, y, raw=False)
    balance = None
    if pol is not None:
        RL = L * schatten_objective(pol.beta, space, L)
        balance = abs(pol.objective - RL) / RL if RL > 0 else None
    h = res.history
    return {
        "architecture": "G-CNN", "depth": L, "kind": "schatten", "prediction": P.label, "lr": lr, "steps": res.steps,
        "n_params": res.model.n_params,
        "history": {"step": h.step, "loss": h.loss, "margin": h.margin, **dict(h.metrics.items())},
        "raw": raw, "polished": polished,
        "polish": {"note": note} if pol is None else {"note": note, "success": bool(pol.success),
                                                      "param_kkt": pol.kkt_residual, "method": pol.method,
                                                      "norm_vs_L_R_gap": balance},
        "cross": {"schatten": {"raw": raw["ratio"], "polished": None if polished is None else polished["ratio"]},
                  "l2": {"raw": P_l2.ratio(beta_raw, X, y), "polished": None if pol is None else P_l2.ratio(pol.beta, X, y)}},
        "verdict": verdict(raw, polished, P.optimum.convex, note),
        "beta_raw": beta_raw, "beta_polished": None if pol is None else pol.beta,
        "singular_values": {"optimum": _block_singular_values(P.optimum.beta, space),
                            "polished": None if pol is None else _block_singular_values(pol.beta, space),
                            "raw": _block_singular_values(beta_raw, space)},
    }


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Run the experiment (module docstring).

    Returns
    -------
    dict
        ``config``, ``space`` (name, band limit, dimension, block sizes), ``optima`` per depth,
        ``runs`` (``{"L=<d>": {"G-CNN": ..., "FC": ...}}``), ``rows`` (report table) and ``summary``.
    """
    cfg = config
    space = block_space(cfg.group, cfg.bandlimit)
    op = bandlimited_operator(space)
    X, y = separable_gaussian(cfg.N, space.dim, seed=cfg.seed)
    out: dict = {"name": NAME, "config": cfg,
                 "space": {"name": space.name, "bandlimit": space.bandlimit, "dim": space.dim,
                           "blocks": [s.label for s in space.specs], "weights": space.weights},
                 "optima": {}, "runs": {}, "rows": [], "summary": []}
    with progress_bar(2 * len(cfg.depths), NAME, progress) as bar:
        for L in cfg.depths:
            opt = bias.max_margin(X, y, "schatten", depth=L, group=op, starts=cfg.starts, seed=cfg.seed)
            P = Problem("schatten", L, opt, group=op)
            P_l2 = solve_problem(X, y, "l2", L)
            out["optima"][f"L={L}"] = {"objective": schatten_objective(opt.beta, space, L), "status": opt.status,
                                       "kkt": opt.kkt_residual, "convex": opt.convex}
            runs = {"G-CNN": run_gcnn(space, X, y, P, P_l2, cfg)}
            bar.update(1)
            runs["FC"] = run_arch("FC", X, y, P_l2, cfg.train, seed=cfg.seed + 1, width=cfg.fc_width,
                                  cross={"schatten": P, "l2": P_l2})
            bar.update(1)
            out["runs"][f"L={L}"] = runs
            out["rows"] += [row(f"{NAME} ({space.name}, B={space.bandlimit})", runs["G-CNN"], f"band-limited G-CNN L={L}"),
                            row(f"{NAME} ({space.name}, B={space.bandlimit})", runs["FC"], f"FC L={L}")]
    gaps = ", ".join(f"{k}: " + (fmt(v["G-CNN"]["polish"].get("norm_vs_L_R_gap"), "kkt") if v["G-CNN"]["polished"]
                                 else f"{polish_status(v['G-CNN'])} ({v['G-CNN']['polish']['note']})")
                     for k, v in out["runs"].items())
    out["summary"] += [
        f"{space.name} band limit {space.bandlimit} (dimension {space.dim}), N = {cfg.N} Gaussian inputs",
        "own prediction, objective ratio (polished, else raw): " + summarize(out["runs"]),
        "Schatten_{2/L} ratio of both architectures (the G-CNN's problem): " + summarize(out["runs"], "schatten"),
        "polished G-CNN: relative gap between ||w||^2 and L * R(beta) (0 = balanced optimum): " + gaps,
    ]
    if out_dir is not None:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        write_json(out, Path(out_dir) / f"{NAME}.json")
    return out


def plot(metrics: dict, path: str | Path) -> None:
    """Top: Schatten ratio during training (G-CNN and FC) per depth; bottom: singular values per block."""
    runs = metrics["runs"]
    fig, axes = new_figure(2, len(runs), width=4.4, height=3.3)
    labels = metrics["space"]["blocks"]
    for j, (label, rr) in enumerate(runs.items()):
        plot_ratio_traces(axes[0, j], rr, "ratio:schatten", f"{label}: Schatten_{{2/L}} ratio vs predicted optimum")
        ax = axes[1, j]
        sv = rr["G-CNN"]["singular_values"]
        styles = [("optimum", "predicted beta*", "black", "o", 70), ("polished", "G-CNN polished", "tab:red", "x", 40),
                  ("raw", "G-CNN raw", "tab:orange", "+", 40)]
        for key, name, color, marker, size in styles:
            if sv.get(key) is None:
                continue
            for k, s in enumerate(sv[key]):
                s = np.asarray(s, dtype=float)
                ax.scatter(np.full(s.size, k), np.maximum(s, 1e-12), marker=marker, s=size, color=color,
                           label=name if k == 0 else None, facecolors="none" if marker == "o" else None)
        ax.set_yscale("log")
        ax.set_ylim(1e-9, 2)
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, fontsize=7)
        ax.set_ylabel("singular values of beta_hat_k (||beta|| = 1)")
        ax.set_title(f"{label}: Fourier blocks", fontsize=9)
        ax.legend(fontsize=7)
    sp = metrics["space"]
    fig.suptitle(f"band-limited linear G-CNN on {sp['name']} (B = {sp['bandlimit']}, dim {sp['dim']})", fontsize=10)
    save_figure(fig, path)
