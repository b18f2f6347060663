"""Nonlinear networks may locally have the same bias: a ReLU G-CNN on D60 (the poster's figure 5a).

Three ReLU networks without biases, all positively homogeneous of degree 3 in their parameters,

- G-CNN: ``f(x) = <relu(relu(x star w1) star w2), v>`` with the D60 correlation
  ``(x star w)(g) = sum_h w(h) x(g h)`` (Cohen & Welling, "Group equivariant convolutional
  networks", ICML 2016; left-equivariant, and so is the whole ReLU network up to the last layer),
- CNN: the same with the cyclic group C60 (circular correlation of the same vectors),
- FC: ``f(x) = relu(relu(x W1) W2) v``,

are trained by normalized gradient descent on the exponential loss of Gaussian data on D60. Their
*local linearizations* ``beta_n = grad_x f(x_n)`` (the input gradients at the data points) are
compared through the d_rho-weighted Schatten 2/3 quasi-norm of their group Fourier blocks, each
normalized to unit l2 norm as in Lawrence, Georgiev, Dienes, Kiani, "Implicit bias of linear
equivariant networks" (ICML 2022). The reference is the same quantity for the
linear G-CNN's predicted predictor (the best stationary point of the Schatten max-margin problem).
The prediction (a heuristic, not a theorem) is that the ReLU G-CNN has the lowest local Schatten
norms.

The networks are :class:`training.models.ReLUNet` (numpy forward and backward passes); they are
homogeneous, so :func:`training.polish` applies (the KKT point of the parameter-space max-margin
problem; Lyu & Li 2020).

Examples
--------
>>> import numpy as np
>>> summary_line({"FC": {"raw": {"ratio": 1.5}, "polished": {"ratio": 1.25}}})
'mean local Schatten_{2/3} of unit-norm input gradients / that of the linear optimum (raw -> polished): FC 1.5000 -> 1.2500'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import grouptools as gt

from .. import bias
from .._checks import check_positive_int
from .._errors import DivergenceError, NotSeparatedError, ParameterError, TrainingError
from ..losses import exponential
from ..models import RELU_ARCHS, ReLUNet, correlation_index
from ..polish import polish
from ._config import TrainConfig
from ._data import separable_gaussian
from ._plots import ARCH_COLORS, new_figure, save_figure
from ._problems import solve_problem
from ._report import fmt, polish_status, polished_cell, progress_bar
from ._store import jsonable, write_json

__all__ = ["Config", "FULL", "NAME", "QUICK", "TINY", "plot", "run", "summary_line"]

NAME = "nonlinear_local"


@dataclass(frozen=True)
class Config:
    """Configuration.

    Attributes
    ----------
    order : int
        Order of the dihedral group (60: the D60 of Lawrence et al. 2022).
    N : int
        Number of Gaussian points (alternating labels).
    fc_width : int, optional
        Hidden width of the FC baseline (default: the group order; much narrower ReLU networks
        without biases get stuck with data points on which every unit is inactive).
    seed : int
    starts : int
        Starts of the max-margin solver for the linear reference.
    train : TrainConfig
        Steps, step size, initialization, polishing (``training.polish`` with SLSQP and without the
        Newton refinement, only up to ``polish_slsqp_max`` parameters: the ReLU kinks make the
        parameter-space problem nonsmooth, so the polish is an attempt whose KKT residual is reported).
    """

    order: int = 60
    N: int = 10
    fc_width: int | None = None
    seed: int = 0
    starts: int = 3
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        if check_positive_int("order", self.order, 2) % 2:
            raise ParameterError(f"a dihedral group has even order, got {self.order}")
        check_positive_int("N", self.N)
        check_positive_int("starts", self.starts)
        if self.fc_width is not None:
            check_positive_int("fc_width", self.fc_width)


TINY = Config(order=12, N=4, starts=2, train=TrainConfig(steps=400, lr=0.2, init_scale=0.5, record_points=8))
QUICK = Config(train=TrainConfig(steps=8000, lr=0.2, init_scale=0.5, record_points=25, polish_max_iter=50))
FULL = Config(N=20, starts=8, train=TrainConfig(steps=30000, lr=0.2, init_scale=0.5, record_points=60))


def _gd(model: ReLUNet, X: np.ndarray, y: np.ndarray, cfg: TrainConfig, metric) -> tuple[ReLUNet, dict, float]:
    """Normalized GD with log-spaced records and the step-size search of
    :func:`training.experiments._runner.train`.

    The step is ``lr / (L(w) max(1, ||w||^2 / ||w_0||^2)^2)``: Nacson et al.'s loss normalization,
    damped as the parameters grow (the curvature of ``log L`` grows like ``||w||^4`` for degree 3);
    relative to the initial norm, so that wide FC layers are not penalized for their size.
    Divide the step by 4 after a divergence, multiply it by 4 after a run that does not separate
    the data, at most ``1 + cfg.max_retries`` runs."""
    when = {0, cfg.steps, *np.unique(np.round(np.geomspace(1, max(cfg.steps, 1), cfg.record_points)).astype(int)).tolist()}
    lr, diverged, last = cfg.lr, False, None
    w0 = max(model.param_norm_sq(), 1e-300)
    for _ in range(cfg.max_retries + 1):
        m = model.copy()
        hist: dict = {"step": [], "loss": [], "local": []}
        ok, best = True, np.inf
        for t in range(cfg.steps + 1):
            res = exponential(m.forward(X), y, "mean")
            if not np.isfinite(res.log_value) or res.log_value > best + 13.8:  # grew by 1e6: diverged
                ok = False
                break
            best = min(best, res.log_value)
            if t in when:
                hist["step"].append(t)
                hist["loss"].append(res.value)
                hist["local"].append(metric(m))
            if t == cfg.steps:
                break
            eta = lr / max(1.0, m.param_norm_sq() / w0) ** 2
            for p, q in zip(m.params, m.grad(X, res.grad_over_value)):
                p -= eta * q
        if not ok:
            if last is not None:  # a smaller step ran without diverging: keep it
                return last
            diverged = True
            lr /= 4.0
            continue
        last = (m, hist, lr)
        if diverged or float(np.min(y * m.forward(X))) > 0:
            return last
        lr *= 4.0
    if last is not None:
        return last
    raise DivergenceError(f"ReLU training diverged down to lr={lr * 4:.3g}: lower TrainConfig.lr")


def _local_schatten(G_rows: np.ndarray, op: Any) -> float:
    """Mean over rows of the Schatten 2/3 quasi-norm of the unit-l2 local linearizations."""
    vals = [bias.quasi_norm(g / np.linalg.norm(g), "schatten", depth=3, group=op) for g in G_rows if np.linalg.norm(g) > 0]
    return float(np.mean(vals)) if vals else float("nan")


def _final_ratio(run: dict) -> float:
    """The polished local Schatten ratio of a run, else the raw one (NaN if neither is finite)."""
    for key in ("polished", "raw"):
        r = (run.get(key) or {}).get("ratio")
        if r is not None and np.isfinite(r):
            return float(r)
    return float("nan")


def summary_line(runs: dict) -> str:
    """``"... (raw -> polished): G-CNN 1.0123 -> 1.0040, FC 1.2000 -> skipped"``: a missing polished
    value prints as the run's polish status (``skipped``, ``failed``), a NaN ratio as ``n/a``, never ``nan``.

    Examples
    --------
    >>> summary_line({"FC": {"raw": {"ratio": 1.2}, "polished": None,
    ...                      "polish": {"note": "polish skipped (5000 parameters)"}}})
    'mean local Schatten_{2/3} of unit-norm input gradients / that of the linear optimum (raw -> polished): FC 1.2000 -> skipped'
    """
    cells = []
    for a, r in runs.items():
        raw = r["raw"]["ratio"]
        cells.append(f"{a} {fmt(raw, 'ratio')}" + ("" if raw is not None and np.isfinite(raw) else " (zero input gradients)")
                     + f" -> {polished_cell(r, 'ratio', 'ratio')}")
    return ("mean local Schatten_{2/3} of unit-norm input gradients / that of the linear optimum "
            "(raw -> polished): " + ", ".join(cells))


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Train the three ReLU networks; return local Schatten norms over training and at the end."""
    G = gt.dihedral(order=config.order)
    op = bias.fourier_operator(G)
    X, y = separable_gaussian(config.N, config.order, seed=config.seed)
    P = solve_problem(X, y, "schatten", 3, group=G, starts=config.starts, seed=config.seed)
    ref = bias.quasi_norm(P.optimum.beta / np.linalg.norm(P.optimum.beta), "schatten", depth=3, group=op)
    Ks = {"G-CNN": correlation_index(G.cayley_table, G.inverse),
          "CNN": correlation_index(gt.cyclic(config.order).cayley_table, gt.cyclic(config.order).inverse)}
    out: dict = {"name": NAME, "config": config, "reference": ref, "runs": {}, "rows": [], "summary": []}

    def local(m: ReLUNet) -> float:
        return _local_schatten(m.input_gradients(X), op) / ref

    def cos(m: ReLUNet) -> float:
        Gr = m.input_gradients(X)
        b = P.optimum.beta / np.linalg.norm(P.optimum.beta)
        vals = [abs(g @ b) / np.linalg.norm(g) for g in Gr if np.linalg.norm(g) > 0]
        return float(np.mean(vals)) if vals else float("nan")  # NaN: every input gradient is zero

    with progress_bar(len(RELU_ARCHS), NAME, progress) as bar:
        for arch in RELU_ARCHS:
            m0 = ReLUNet(arch, config.order, K=Ks.get(arch), width=config.fc_width, init_scale=config.train.init_scale,
                         seed=config.seed + 1, anchors=X)
            m, hist, lr = _gd(m0, X, y, config.train, local)
            raw = {"ratio": local(m), "cosine": cos(m), "kkt": None}
            pol, note = None, ""
            if config.train.polish and m.n_params <= min(config.train.polish_max_params, config.train.polish_slsqp_max):
                try:
                    # no active-set Newton refinement: the ReLU kinks make it slow and it does not help
                    pol = polish(m, X, y, max_iter=config.train.polish_max_iter, method="slsqp", refine=False)
                except NotSeparatedError:
                    note = "polish impossible: the network does not separate the data"
                except (TrainingError, ValueError, np.linalg.LinAlgError) as exc:
                    note = f"polish failed: {type(exc).__name__}"
            elif not config.train.polish:
                note = "polish disabled"
            else:
                note = f"polish skipped ({m.n_params} parameters)"
            polished = None if pol is None else {"ratio": local(pol.model), "cosine": cos(pol.model),
                                                 "kkt": pol.kkt_residual}
            out["runs"][arch] = {"architecture": arch, "lr": lr, "history": hist, "raw": raw, "polished": polished,
                                 "polish": {"note": note} if pol is None else {"note": note, "success": bool(pol.success)}}
            bar.update(1)
    final = {a: _final_ratio(out["runs"][a]) for a in RELU_ARCHS}
    finite = [a for a in RELU_ARCHS if np.isfinite(final[a])]
    low = min(finite, key=final.__getitem__) if finite else None
    for arch in RELU_ARCHS:
        r = out["runs"][arch]
        pol = r["polished"] or {}
        if low is None:
            v = "ordering undecided: no network has a nonzero input gradient (local Schatten norm n/a)"
        else:
            v = ("ordering as predicted: the G-CNN has the lowest local Schatten norm" if low == "G-CNN"
                 else f"ordering not as predicted: {low} has the lowest local Schatten norm")
            if not np.isfinite(final[arch]):
                v += "; n/a for this network: every input gradient is zero"
        if pol.get("kkt") is not None and pol["kkt"] > 1e-4:
            v += f"; polish KKT residual {pol['kkt']:.1e}"
        if not r["polished"] and r["polish"].get("note"):
            v += f"; {r['polish']['note']}"  # why the polished cells say skipped / failed
        out["rows"].append({"polish_status": polish_status(r), "experiment": NAME,
                            "architecture": f"ReLU {arch} on D{config.order}",
                            "prediction": "local Schatten_{2/3} (heuristic; KKT = parameter space)",
                            "ratio_raw": r["raw"]["ratio"], "ratio_polished": pol.get("ratio"),
                            "cosine_raw": r["raw"]["cosine"], "cosine_polished": pol.get("cosine"),
                            "kkt_raw": None, "kkt_polished": pol.get("kkt"), "verdict": v})
    out["summary"].append(summary_line(out["runs"]))
    if out_dir is not None:
        write_json(jsonable(out), Path(out_dir) / f"{NAME}.json")
    return out


def plot(metrics: dict, path: str | Path) -> None:
    """Local Schatten ratio over training for the three ReLU networks (stars: polished)."""
    fig, axes = new_figure(1, 2)
    ax = axes[0, 0]
    for arch, r in metrics["runs"].items():
        h = r["history"]
        steps = np.asarray(h["step"], dtype=float)
        vals = np.asarray(h["local"], dtype=float)
        ok = steps > 0
        ax.plot(steps[ok], vals[ok], color=ARCH_COLORS[arch], label=f"ReLU {arch}")
        if r["polished"] is not None:
            ax.plot([steps[-1]], [r["polished"]["ratio"]], marker="*", ms=11, color=ARCH_COLORS[arch], ls="none")
    ax.axhline(1.0, color="black", ls="--", lw=0.8, label="linear G-CNN optimum")
    ax.set_xscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("mean local Schatten_{2/3} / reference")
    ax.set_title("Schatten norm of local linearizations (* = polished)", fontsize=9)
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    for arch, r in metrics["runs"].items():
        h = r["history"]
        steps = np.asarray(h["step"], dtype=float)
        ok = steps > 0
        ax.plot(steps[ok], np.asarray(h["loss"], dtype=float)[ok], color=ARCH_COLORS[arch], label=f"ReLU {arch}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("exponential loss (mean)")
    ax.set_title("training loss", fontsize=9)
    ax.legend(fontsize=7)
    fig.suptitle("ReLU networks on D60: local implicit bias (Lawrence et al. 2022, fig. 5a)", fontsize=10)
    save_figure(fig, path)
