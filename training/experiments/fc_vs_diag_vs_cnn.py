"""Gunasekar et al.'s contrast: fully connected, diagonal and circular convolutional linear networks.

On random separable data (``N < D`` Gaussian points) each architecture is trained at depths
1, 2, 3 and compared with its predicted max-margin problem (Gunasekar et al. 2018, Thms 1, 2, 2a):

- fully connected, any depth: the hard-margin SVM (``"l2"``);
- diagonal, depth L: ``min ||beta||_{2/L}`` (``"lp"``; L = 2 is the convex l1 problem);
- full-width circular CNN, depth L: ``min ||DFT beta||_{2/L}`` (``"dft"``).

Depth 1 is a linear model for all three, so all predictions coincide with the SVM. The figure plots,
per depth, the objective ratio ``R(beta_t) / R(beta*)`` of each architecture for its own problem
over training.

Examples
--------
>>> TINY.depths, QUICK.D
((1, 2), 16)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .._checks import check_positive_int
from ._config import TrainConfig
from ._data import separable_gaussian
from ._plots import new_figure, plot_ratio_traces, save_figure
from ._problems import ARCH_KIND, solve_problem
from ._report import progress_bar, row, summarize
from ._runner import run_arch
from ._store import write_json

__all__ = ["ARCHS", "Config", "FULL", "NAME", "QUICK", "TINY", "plot", "run"]

NAME = "fc_vs_diag_vs_cnn"
ARCHS = ("FC", "diagonal", "CNN")


@dataclass(frozen=True)
class Config:
    """Configuration.

    Attributes
    ----------
    D : int
        Input dimension.
    N : int
        Number of points (``N < D`` keeps the data separable).
    depths : tuple of int
        Depths L to train.
    seed : int
        Seed of the data and of the initializations.
    starts : int
        Starts of the nonconvex max-margin solver (L >= 3).
    train : TrainConfig
        Steps, step size, initialization scale, polishing.
    """

    D: int = 16
    N: int = 6
    depths: tuple[int, ...] = (1, 2, 3)
    seed: int = 0
    starts: int = 6
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        check_positive_int("D", self.D)
        check_positive_int("N", self.N)
        for L in self.depths:
            check_positive_int("depth", L)
        check_positive_int("starts", self.starts)


TINY = Config(D=8, N=3, depths=(1, 2), train=TrainConfig(steps=400, lr=0.1, record_points=10))
QUICK = Config(D=16, N=6, train=TrainConfig(steps=3000, lr=0.1, init_scale=0.5, record_points=30))
FULL = Config(D=32, N=12, starts=10, train=TrainConfig(steps=30000, lr=0.1, init_scale=0.5, record_points=60))


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Train FC, diagonal and CNN networks at each depth; return the metrics (JSON-ready).

    Returns
    -------
    dict
        ``{"name", "config", "runs": {"L=<d>": {arch: run}}, "rows": [...], "summary": [...]}``
    """
    X, y = separable_gaussian(config.N, config.D, seed=config.seed)
    out = {"name": NAME, "config": config, "runs": {}, "rows": [], "summary": []}
    with progress_bar(len(config.depths) * len(ARCHS), NAME, progress) as bar:
        for L in config.depths:
            runs = {}
            for arch in ARCHS:
                P = solve_problem(X, y, ARCH_KIND[arch], L, starts=config.starts, seed=config.seed)
                runs[arch] = run_arch(arch, X, y, P, config.train, seed=config.seed + 1)
                out["rows"].append(row(NAME, runs[arch]))
                bar.update(1)
            out["runs"][f"L={L}"] = runs
    out["summary"].append("objective ratios for the own prediction (polished, else raw): " + summarize(out["runs"]))
    if out_dir is not None:
        write_json(out, Path(out_dir) / f"{NAME}.json")
    return out


def plot(metrics: dict, path: str | Path) -> None:
    """One panel per depth: objective ratio of each architecture for its own predicted problem."""
    runs = metrics["runs"]
    fig, axes = new_figure(1, len(runs))
    for ax, (label, rr) in zip(axes[0], runs.items()):
        plot_ratio_traces(ax, rr, "ratio:pred", f"{label}: each architecture vs its own prediction")
    fig.suptitle("FC -> SVM, diagonal -> l_{2/L}, CNN -> DFT l_{2/L} (Gunasekar et al. 2018)", fontsize=10)
    save_figure(fig, path)
