"""Synthetic data of the experiments.

Examples
--------
>>> X, y = separable_gaussian(4, 6, seed=0)
>>> X.shape, y.tolist()
((4, 6), [1.0, -1.0, 1.0, -1.0])
"""

from __future__ import annotations

import numpy as np

from .._checks import check_positive_int

__all__ = ["separable_gaussian", "unit_rms"]


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
    N, D = check_positive_int("N", N), check_positive_int("D", D)
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
