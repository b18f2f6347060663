"""G-CNN vs CNN vs FC on the dihedral group of order 8 with Fourier-sparse inputs.

As in Lawrence et al.'s D8 notebook ("D8 G-CNN and 2 columns of the D8 DFT matrix"), every input is one
column of the group DFT matrix: the real part of one matrix coefficient ``g -> rho(g)[i, j]`` of one
irrep ``rho`` of ``gt.dihedral(4)``, i.e. a function whose Fourier transform is supported on a single
irrep. Lawrence et al. used two such inputs with labels -1 and +1. The architectures, predictions and
figure are those of :mod:`training.experiments.d8_gaussian`.

For inputs supported on one-dimensional irreps the SVM is itself Fourier-sparse, so the FC network
and the G-CNN are predicted to reach the same direction, while the CNN (whose Fourier basis is that
of the cyclic group C8) is not.

Examples
--------
>>> QUICK.coefficients
((1, 0, 0), (2, 0, 0))
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

import grouptools as gt

from .._errors import ParameterError
from ._config import GroupConfig, TrainConfig
from ._plots import plot_group_comparison
from ._runner import compare_architectures
from ._store import write_json

__all__ = ["Config", "FULL", "NAME", "QUICK", "TINY", "fourier_sparse_inputs", "plot", "run"]

NAME = "d8_sparse"


@dataclass(frozen=True)
class Config(GroupConfig):
    """:class:`~training.experiments._config.GroupConfig` (N is ignored: one point per coefficient) plus:

    Attributes
    ----------
    coefficients : tuple of (int, int, int)
        ``(irrep index, i, j)`` per input: ``x(g) = Re rho(g)[i, j]`` (``Im`` if the real part
        vanishes), irreps in the order of ``G.irreps()`` (trivial first, then by degree).
    labels : tuple of float
        Labels of the inputs (+-1).
    """

    coefficients: tuple[tuple[int, int, int], ...] = ((1, 0, 0), (2, 0, 0))
    labels: tuple[float, ...] = (-1.0, 1.0)

    def __post_init__(self) -> None:
        super().__post_init__()
        if len(self.coefficients) != len(self.labels) or not self.labels:
            raise ParameterError("coefficients and labels must have the same (nonzero) length")
        if any(v not in (-1.0, 1.0) for v in self.labels):
            raise ParameterError("labels must be +1 or -1")


def fourier_sparse_inputs(G: gt.FiniteGroup, coefficients: tuple[tuple[int, int, int], ...]) -> np.ndarray:
    """Inputs ``x_n(g) = Re rho_k(g)[i, j]`` (columns of the group DFT matrix), one row per coefficient.

    Examples
    --------
    >>> fourier_sparse_inputs(gt.dihedral(2), ((0, 0, 0),)).tolist()  # the trivial character
    [[1.0, 1.0, 1.0, 1.0]]
    """
    reps = G.irreps()
    rows = []
    for k, i, j in coefficients:
        if not (0 <= k < len(reps)) or not (0 <= i < reps[k].dim and 0 <= j < reps[k].dim):
            raise ParameterError(f"no matrix coefficient ({k}, {i}, {j}): the group has {len(reps)} irreps")
        c = np.asarray(reps[k].matrices)[:, i, j]
        x = c.real if np.linalg.norm(c.real) > 1e-9 * np.linalg.norm(c) else c.imag
        rows.append(np.where(np.abs(x) < 1e-12, 0.0, x))
    return np.array(rows)


TINY = Config(depths=(2,), train=TrainConfig(steps=300, lr=0.1, record_points=8))
QUICK = Config(train=TrainConfig(steps=4000, lr=0.1, init_scale=0.5, record_points=30))
FULL = Config(starts=10, train=TrainConfig(steps=50000, lr=0.1, init_scale=0.5, record_points=60))


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Train the three architectures on Fourier-sparse inputs on D8; return the metrics (JSON-ready)."""
    G = gt.dihedral(4)
    X = fourier_sparse_inputs(G, config.coefficients)
    y = np.array(config.labels, dtype=float)
    out = compare_architectures(NAME, G, X, y, config, progress)
    out["inputs"] = X
    if out_dir is not None:
        write_json(out, Path(out_dir) / f"{NAME}.json")
    return out


def plot(metrics: dict, path: str | Path) -> None:
    """Schatten ratio of G-CNN, CNN and FC over training (top) and each against its own prediction (bottom)."""
    plot_group_comparison(metrics, path, "D8, Fourier-sparse inputs (columns of the group DFT matrix)")
