"""Yun, Krishnan & Mobahi (2021): linear tensor networks in the transformed input space.

**Regression.** An orthogonally decomposable linear tensor network of depth 2 with transform ``S``
(here the real orthogonal DFT, :func:`training.real_dft_matrix`) is a diagonal network in ``z = S beta``.
Started at ``a(0) = 2 alpha``, ``b(0) = 0`` (coordinates ``z = a * b``; the single-stream form of
``z = u^2 - v^2`` with ``u(0) = v(0) = alpha``, see :mod:`training._bias_regression`) and trained by
gradient descent on the squared loss of underdetermined data (``N < D``), it converges to the
interpolant minimizing ``Q_alpha(z) = sum_j alpha_j^2 q(z_j / alpha_j^2)``,
``q(u) = 2 - sqrt(4 + u^2) + u arcsinh(u/2)`` (Woodworth et al. 2020). The initialization scales
``alpha_j = alpha * s_j`` have a fixed random shape ``s_j`` (spread ``init_spread``) and a swept
overall scale ``alpha``. As ``alpha -> 0`` the limit approaches the weighted l1 interpolant (weights
``log(1/alpha_j^2)``, which become uniform as ``alpha -> 0``), as ``alpha -> infinity`` the weighted
l2 interpolant (weights ``1/alpha_j^2``). The figure plots the relative distance of the gradient
descent solution to the ``Q_alpha`` minimizer (:func:`training.bias.q_alpha_minimizer`) and to the
weighted l1 and l2 minimizers (:func:`training.bias.regression_min_norm`) against ``alpha``.

For regression there is no max-margin problem, so there is nothing to polish: the run is stopped
when the loss is below ``loss_tol``, and the KKT column holds the stationarity residual of ``Q_alpha``
on the interpolation set, ``||(I - P) grad Q(z)|| / ||grad Q(z)||`` (``P`` the projection on the row
space of ``X S^T``).

**Classification.** The same networks at depths 2 and 3 on separable data, compared with the
predicted ``min ||z||_{2/L}`` s.t. ``y_n <S x_n, z> >= 1`` (kind ``"transformed"``), raw and polished.

Examples
--------
>>> QUICK.alphas[0], QUICK.depths
(0.001, (2, 3))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import bias
from .._checks import check_positive_int
from .._errors import ParameterError
from .._fit import Record, StopRule, fit
from ..models import TensorNetwork, real_dft_matrix
from ._config import TrainConfig, check_positive
from ._data import separable_gaussian
from ._plots import new_figure, plot_ratio_traces, save_figure
from ._problems import solve_problem
from ._report import num, progress_bar, row
from ._runner import run_arch
from ._store import write_json

__all__ = ["Config", "FULL", "NAME", "QUICK", "REG_TOL", "TINY", "plot", "run"]

NAME = "tensor_regression"


@dataclass(frozen=True)
class Config:
    """Configuration.

    Attributes
    ----------
    D : int
        Input dimension (also the size of the transform).
    N : int
        Number of regression targets / classification points (``N < D``).
    alphas : tuple of float
        Overall initialization scales swept in the regression.
    init_spread : float
        ``s_j = exp(init_spread * u_j)``, ``u_j`` uniform on [-1, 1]: the shape of the scales.
    reg_steps : int
        Maximum gradient-descent steps per regression run.
    reg_lr : float
        Step size as a fraction of ``1 / (lambda_max(Xt Xt^T) max(1, 4 max_j alpha_j^2))``.
    loss_tol : float
        Stop a regression run when the (summed) squared loss is below this.
    depths : tuple of int
        Depths of the classification runs.
    seed : int
    starts : int
        Starts of the nonconvex max-margin solver (L >= 3).
    train : TrainConfig
        Classification training.
    """

    D: int = 16
    N: int = 6
    alphas: tuple[float, ...] = (1e-3, 1e-2, 0.1, 0.3, 1.0, 3.0, 10.0)
    init_spread: float = 0.5
    reg_steps: int = 200_000
    reg_lr: float = 0.2
    loss_tol: float = 1e-22
    depths: tuple[int, ...] = (2, 3)
    seed: int = 0
    starts: int = 4
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        if check_positive_int("N", self.N) >= check_positive_int("D", self.D):
            raise ParameterError(f"regression must be underdetermined: N={self.N} < D={self.D}")
        for a in self.alphas:
            check_positive("alpha", a)
        if not (self.init_spread >= 0):
            raise ParameterError(f"init_spread must be >= 0, got {self.init_spread!r}")
        check_positive_int("reg_steps", self.reg_steps)
        check_positive("reg_lr", self.reg_lr)
        check_positive("loss_tol", self.loss_tol)
        for L in self.depths:
            check_positive_int("depth", L)
        check_positive_int("starts", self.starts)


TINY = Config(D=8, N=3, alphas=(0.01, 10.0), reg_steps=20000, depths=(2,),
              train=TrainConfig(steps=300, lr=0.1, record_points=8))
QUICK = Config(train=TrainConfig(steps=3000, lr=0.1, init_scale=0.5, record_points=25))
FULL = Config(D=32, N=12, alphas=(1e-4, 1e-3, 1e-2, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0), reg_steps=2_000_000,
              reg_lr=0.05, starts=8, train=TrainConfig(steps=30000, lr=0.1, init_scale=0.5, record_points=60))

REG_TOL = 2e-2
"""A regression run is consistent if its relative distance to the Q_alpha minimizer is below this."""


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def _q_stationarity(z: np.ndarray, a: np.ndarray, Xt: np.ndarray) -> float:
    """``||(I - P) grad Q_alpha(z)|| / ||grad Q_alpha(z)||`` for depth 2 (``grad = arcsinh(z / (2 a^2))``)."""
    g = np.arcsinh(z / (2.0 * a**2))
    Q, _ = np.linalg.qr(Xt.T)
    r = g - Q @ (Q.T @ g)
    return float(np.linalg.norm(r) / max(np.linalg.norm(g), 1e-300))


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Regression sweep over alpha and classification at each depth; return the metrics (JSON-ready)."""
    D, N = config.D, config.N
    rng = np.random.default_rng(config.seed)
    X = rng.standard_normal((N, D))
    t = rng.standard_normal(N)
    shape = np.exp(config.init_spread * rng.uniform(-1.0, 1.0, D))
    S = real_dft_matrix(D)
    Xt = X @ S.T
    lam = float(np.linalg.eigvalsh(Xt @ Xt.T).max())
    out: dict = {"name": NAME, "config": config, "regression": [], "classification": {}, "rows": [], "summary": [],
                 "data": {"X": X, "targets": t, "shape": shape}}
    l1 = bias.regression_min_norm(X, t, "l1", transform=S)
    with progress_bar(len(config.alphas) + len(config.depths), NAME, progress) as bar:
        for alpha in config.alphas:
            a = alpha * shape
            m = TensorNetwork.from_transform(S, depth=2).with_params([2.0 * a, np.zeros(D)])
            lr = config.reg_lr / (lam * max(1.0, 4.0 * float(np.max(a)) ** 2))
            res = fit(m, X, t, "squared", steps=config.reg_steps, lr=lr, reduction="sum",
                      stop=StopRule(loss_tol=config.loss_tol), record=Record(points=10), progress=False)
            z = S @ res.model.linearization()
            q = bias.q_alpha_minimizer(X, t, a, 2, transform=S)
            wl2 = bias.regression_min_norm(X, t, "l2", transform=S, weights=1.0 / a**2)
            wl1 = (bias.regression_min_norm(X, t, "l1", transform=S, weights=np.log(1.0 / a**2))
                   if np.all(a < 1) else None)
            entry = {
                "alpha": alpha, "steps": res.steps, "stop_reason": res.stop_reason, "loss": float(res.history.loss[-1]),
                "dist_q": _rel(z, q.z), "dist_weighted_l1": None if wl1 is None else _rel(z, wl1.z),
                "dist_l1": _rel(z, l1.z), "dist_weighted_l2": _rel(z, wl2.z),
                "q_ratio": bias.q_alpha(z, a, 2) / bias.q_alpha(q.z, a, 2),
                "cosine": float(z @ q.z / (np.linalg.norm(z) * np.linalg.norm(q.z))),
                "stationarity": _q_stationarity(z, a, Xt), "z": z, "z_q": q.z,
            }
            out["regression"].append(entry)
            ok = entry["dist_q"] <= REG_TOL and res.stop_reason == "loss_tol"
            v = ("consistent" if ok else
                 f"inconsistent: distance {num(entry['dist_q'], '.1e')} to the Q_alpha minimizer ({res.stop_reason})")
            out["rows"].append({
                "experiment": NAME, "architecture": f"tensor L=2, regression, alpha={alpha:g}",
                "prediction": "argmin Q_alpha(z) s.t. X S^T z = y", "ratio_raw": entry["q_ratio"],
                "ratio_polished": None, "cosine_raw": entry["cosine"], "cosine_polished": None,
                "kkt_raw": entry["stationarity"], "kkt_polished": None,
                "verdict": v + " (regression: nothing to polish)"})
            bar.update(1)
        Xc, yc = separable_gaussian(N, D, seed=config.seed + 7)
        for L in config.depths:
            P = solve_problem(Xc, yc, "transformed", L, transform=S, starts=config.starts, seed=config.seed)
            r = run_arch("tensor", Xc, yc, P, config.train, seed=config.seed + 1, transform=S)
            out["classification"][f"L={L}"] = {"tensor": r}
            out["rows"].append(row(NAME, r, f"tensor L={L}, classification"))
            bar.update(1)
    reg = out["regression"]
    out["summary"] += [
        "relative distance of the GD interpolant to the Q_alpha minimizer: "
        + ", ".join(f"alpha={e['alpha']:g}: {num(e['dist_q'], '.1e')}" for e in reg),
        "to the (unweighted) l1 interpolant: " + ", ".join(num(e["dist_l1"], ".2f") for e in reg)
        + "; to the weighted l2 interpolant: " + ", ".join(num(e["dist_weighted_l2"], ".2f") for e in reg),
    ]
    if out_dir is not None:
        write_json(out, Path(out_dir) / f"{NAME}.json")
    return out


def plot(metrics: dict, path: str | Path) -> None:
    """Left: distances to the Q_alpha, l1 and weighted-l2 interpolants against alpha; right: classification."""
    reg = metrics["regression"]
    fig, axes = new_figure(1, 2)
    ax = axes[0, 0]
    alphas = np.array([e["alpha"] for e in reg], dtype=float)
    for key, label, style in (("dist_q", "Q_alpha minimizer (prediction)", "o-"),
                              ("dist_weighted_l1", "weighted l1 (alpha -> 0)", "s--"),
                              ("dist_l1", "l1", "^:"),
                              ("dist_weighted_l2", "weighted l2 (alpha -> inf)", "d--")):
        vals = np.array([np.nan if e[key] is None else e[key] for e in reg], dtype=float)
        ax.plot(alphas, np.maximum(vals, 1e-12), style, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("initialization scale alpha")
    ax.set_ylabel("||z_GD - z_ref|| / ||z_ref||")
    ax.set_title("regression, depth 2: GD interpolant vs predicted minimizers", fontsize=9)
    ax.legend(fontsize=7)
    runs = {f"tensor {k}": v["tensor"] for k, v in metrics["classification"].items()}
    plot_ratio_traces(axes[0, 1], runs, "ratio:pred", "classification: vs min l_{2/L}(z), b = S^T z")
    fig.suptitle("Linear tensor networks with the real DFT transform (Yun, Krishnan & Mobahi 2021)", fontsize=10)
    save_figure(fig, path)
