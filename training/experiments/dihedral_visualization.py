"""Sparsity and low rank in a trained linear G-CNN over dihedral groups (the poster's heat maps).

A 3-layer linear G-CNN (two G-correlations and a dense layer) is trained by normalized gradient
descent on a few Gaussian points on the dihedral group of order 64 (the poster's figure) and of
order 60 (Lawrence et al.'s D60). Heat maps show beta in real space (element ``r^i s^j`` at row ``j``,
column ``i``; ``gt.dihedral`` puts it at index ``j n + i``) and the singular values of every Fourier
block ``beta_hat(rho)`` (one row per irrep, 4 of degree 1 then the 2 x 2 blocks), at initialization
and after training. The trained predictor concentrates on few irreps with rank-deficient blocks
(the Schatten 2/3 bias) while it is spread out in real space (Meshulam's uncertainty principle).

Examples
--------
>>> QUICK.orders
(64, 60)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import grouptools as gt

from .. import bias
from .._checks import check_positive_int
from ._config import TrainConfig
from ._data import separable_gaussian
from ._plots import new_figure, save_figure
from ._problems import solve_problem
from ._report import progress_bar, row
from ._runner import make_model, run_arch
from ._store import write_json

__all__ = ["Config", "FULL", "NAME", "QUICK", "TINY", "plot", "run"]

NAME = "dihedral_visualization"


@dataclass(frozen=True)
class Config:
    """Configuration.

    Attributes
    ----------
    orders : tuple of int
        Orders ``2n`` of the dihedral groups.
    N : int
        Number of Gaussian data points (alternating labels).
    depth : int
        Depth of the G-CNN (3 in the poster).
    seed : int
        Seed of the data and of the initialization.
    starts : int
        Starts of the nonconvex max-margin solver.
    train : TrainConfig
        Steps, step size, initialization, polishing.
    """

    orders: tuple[int, ...] = (64, 60)
    N: int = 4
    depth: int = 3
    seed: int = 0
    starts: int = 3
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        for o in self.orders:
            if check_positive_int("order", o, 2) % 2:
                raise ValueError(f"a dihedral group has even order, got {o}")
        check_positive_int("N", self.N)
        check_positive_int("depth", self.depth)
        check_positive_int("starts", self.starts)


TINY = Config(orders=(16,), N=3, starts=2, train=TrainConfig(steps=300, lr=0.1, record_points=8))
QUICK = Config(N=8, train=TrainConfig(steps=3000, lr=0.1, init_scale=0.5, record_points=25, polish_max_iter=50))
FULL = Config(N=12, starts=8, train=TrainConfig(steps=40000, lr=0.1, init_scale=0.5, record_points=60))


def _singular_values(op, beta: np.ndarray) -> np.ndarray:
    """Singular values of every block, padded with NaN to the largest degree: shape ``(irreps, d_max)``."""
    svals = op.singular_values(beta)
    out = np.full((len(svals), int(op.dims.max())), np.nan)
    for k, s in enumerate(svals):
        out[k, : s.size] = s
    return out


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Train the G-CNN on each dihedral group; return betas and block singular values (JSON-ready)."""
    out: dict = {"name": NAME, "config": config, "groups": {}, "rows": [], "summary": []}
    with progress_bar(len(config.orders), NAME, progress) as bar:
        for order in config.orders:
            G = gt.dihedral(order=order)
            op = bias.fourier_operator(G)
            X, y = separable_gaussian(config.N, order, seed=config.seed)
            P = solve_problem(X, y, "schatten", config.depth, group=G, starts=config.starts, seed=config.seed)
            run_ = run_arch("G-CNN", X, y, P, config.train, seed=config.seed + 1, group=G)
            init = make_model("G-CNN", order, config.depth, init_scale=config.train.init_scale, seed=config.seed + 1,
                              group=G).linearization()
            betas = {"init": init, "trained": np.asarray(run_["beta_raw"])}
            if run_["beta_polished"] is not None:
                betas["polished"] = np.asarray(run_["beta_polished"])
            betas["optimum"] = P.optimum.beta
            sv = {k: _singular_values(op, b) for k, b in betas.items()}
            ranks = {k: int(np.sum(op.dims * np.sum(v > 1e-2 * np.nanmax(v), axis=1))) for k, v in sv.items()}
            out["groups"][f"D{order}"] = {"run": run_, "betas": betas, "singular_values": sv, "dims": op.dims,
                                          "fourier_rank_1pct": ranks}
            out["rows"].append(row(NAME, run_, f"G-CNN L={config.depth} on D{order}"))
            out["summary"].append(
                f"D{order}: Fourier rank sum_rho d_rho rank(beta_hat(rho)) (1% tolerance) "
                + ", ".join(f"{k} {v}" for k, v in ranks.items()) + f" (|G| = {order})")
            bar.update(1)
    if out_dir is not None:
        write_json(out, Path(out_dir) / f"{NAME}.json")
    return out


def plot(metrics: dict, path: str | Path) -> None:
    """Per group: |beta| in real space (init, trained) and block singular values (init, trained)."""
    groups = metrics["groups"]
    fig, axes = new_figure(len(groups), 4, width=3.6, height=2.8)
    for i, (label, g) in enumerate(groups.items()):
        order = len(g["betas"]["init"])
        for j, key in enumerate(("init", "trained")):
            b = np.asarray(g["betas"][key], dtype=float)
            ax = axes[i, j]
            im = ax.imshow(np.abs(b).reshape(2, order // 2) / np.max(np.abs(b)), aspect="auto", cmap="viridis",
                           vmin=0, vmax=1)
            ax.set_yticks([0, 1], ["r^i", "r^i s"])
            ax.set_xlabel("i")
            ax.set_title(f"{label}: |beta| ({key}), real space", fontsize=9)
            fig.colorbar(im, ax=ax, shrink=0.8)
            sv = np.asarray([[np.nan if v is None else v for v in r] for r in g["singular_values"][key]], dtype=float)
            ax = axes[i, 2 + j]
            im = ax.imshow(sv.T / np.nanmax(sv), aspect="auto", cmap="magma", vmin=0, vmax=1)
            ax.set_xlabel("irrep rho (4 of degree 1, then degree 2)")
            ax.set_yticks(range(sv.shape[1]), [f"s{k + 1}" for k in range(sv.shape[1])])
            ax.set_title(f"{label}: singular values of beta_hat ({key})", fontsize=9)
            fig.colorbar(im, ax=ax, shrink=0.8)
    fig.suptitle("3-layer linear G-CNN on dihedral groups: real space vs Fourier space", fontsize=10)
    save_figure(fig, path)
