"""G-CNN vs CNN vs FC on (C5 x C5) : Q8, GAP's SmallGroup(200, 44) (Lawrence et al. 2022).

Lawrence et al.'s ``CCQ200`` experiment ("SmallGroup(200, 44) G-CNN and 10 Gaussian datapoints"): 5 + 5
Gaussian functions on ``gt.smallgroup_200_44()`` (irrep degrees 1, 1, 1, 1, 2, 8, 8, 8) with labels
+-1 and mean shift ``+-1e-2``. The G-CNN (predicted: d_rho-weighted Schatten 2/L quasi-norm of the
Fourier blocks), the circular CNN over C200 reading the same vectors as signals (DFT l_{2/L}) and
FC (SVM) are trained at depths 3 and 2. With three 8 x 8 blocks the Schatten bias is a genuine
low-rank bias, not a sparsity bias.

Examples
--------
>>> QUICK.N, QUICK.shift
(10, 0.01)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import grouptools as gt

from ._config import GroupConfig, TrainConfig
from ._data import separable_gaussian
from ._plots import plot_group_comparison
from ._runner import compare_architectures
from ._store import write_json

__all__ = ["Config", "FULL", "NAME", "QUICK", "TINY", "plot", "run"]

NAME = "smallgroup_200_44"


@dataclass(frozen=True)
class Config(GroupConfig):
    """:class:`~training.experiments._config.GroupConfig` (N Gaussian points, depths, seed, starts,
    FC width, training) plus the mean shift. The quick run uses FC width 32 (the SVM prediction
    holds for every width) to keep the polish of FC cheap.

    Attributes
    ----------
    shift : float
        Mean shift ``label * shift`` of the Gaussian points (0: pure noise with random labels).
    """

    shift: float = 0.01


TINY = Config(N=4, depths=(2,), starts=2, fc_width=8,
              train=TrainConfig(steps=300, lr=0.1, record_points=8, polish=False))
QUICK = Config(N=10, seed=1, starts=3, fc_width=32,
               train=TrainConfig(steps=2000, lr=0.1, init_scale=0.5, record_points=25, polish_max_iter=50))
FULL = Config(N=10, seed=1, starts=8, train=TrainConfig(steps=30000, lr=0.1, init_scale=0.5, record_points=60))


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Train the three architectures on Gaussian data on gt.smallgroup_200_44(); return the metrics (JSON-ready)."""
    G = gt.smallgroup_200_44()
    X, y = separable_gaussian(config.N, G.order, seed=config.seed, shift=config.shift)
    out = compare_architectures(NAME, G, X, y, config, progress)
    if out_dir is not None:
        write_json(out, Path(out_dir) / f"{NAME}.json")
    return out


def plot(metrics: dict, path: str | Path) -> None:
    """Schatten ratio of G-CNN, CNN and FC over training (top) and each against its own prediction (bottom)."""
    plot_group_comparison(metrics, path, "(C5 x C5) : Q8 = SmallGroup(200,44), Gaussian inputs: G-CNN vs CNN vs FC")
