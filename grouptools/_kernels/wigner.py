"""numba kernel of the Wigner small-d recursion, with its pure numpy twin.

One step of the three-term recursion in the degree (see :mod:`grouptools.compact._wigner`): given
``cur = d^j`` (``(2j+1, 2j+1, nb)``) and ``prev = d^{j-1}`` (``(2j-1, 2j-1, nb)``), fill the interior
``new[1:-1, 1:-1]`` of ``d^{j+1}`` (``(2j+3, 2j+3, nb)``). The border is seeded by the caller.
Both functions take all data as arguments; the numba kernel is compiled once (``cache=True``) and
fuses the arithmetic (no temporaries), which makes the recursion about 5x faster at ``B = 64``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["wigner_step", "wigner_step_py"]


@njit(cache=True)
def wigner_step(prev: np.ndarray, cur: np.ndarray, cb: np.ndarray, j: int, new: np.ndarray) -> None:  # pragma: no cover - compiled
    """Fill ``new[1:-1, 1:-1]`` with ``d^{j+1}`` from ``cur = d^j``, ``prev = d^{j-1}`` (numba)."""
    J = j + 1
    nb = cb.shape[0]
    for a in range(2 * j + 1):
        m = a - j
        for b in range(2 * j + 1):
            n = b - j
            coef = (J * (2 * j + 1)) / math.sqrt((J * J - m * m) * (J * J - n * n))
            if j > 0:
                shift = m * n / (j * (j + 1))
                c2 = 0.0
                inside = a >= 1 and a <= 2 * j - 1 and b >= 1 and b <= 2 * j - 1
                if inside:
                    c2 = math.sqrt((j * j - m * m) * (j * j - n * n)) / (j * (2 * j + 1))
                for k in range(nb):
                    v = (cb[k] - shift) * cur[a, b, k]
                    if inside:
                        v -= c2 * prev[a - 1, b - 1, k]
                    new[a + 1, b + 1, k] = coef * v
            else:
                for k in range(nb):
                    new[a + 1, b + 1, k] = coef * cb[k] * cur[a, b, k]


def wigner_step_py(prev: np.ndarray, cur: np.ndarray, cb: np.ndarray, j: int, new: np.ndarray) -> None:
    """Pure numpy twin of :func:`wigner_step` (same arguments, same result).

    Examples
    --------
    >>> cb = np.cos(np.array([0.3]))
    >>> d0 = np.ones((1, 1, 1)); new = np.zeros((3, 3, 1))
    >>> wigner_step_py(np.zeros((0, 0, 1)), d0, cb, 0, new)
    >>> bool(np.isclose(new[1, 1, 0], np.cos(0.3)))    # d^1_00 = cos(beta)
    True
    """
    J = j + 1
    mm = np.arange(-j, j + 1, dtype=float)[:, None]
    nn = mm.T
    coef = (J * (2 * j + 1)) / np.sqrt((J * J - mm * mm) * (J * J - nn * nn))
    if j > 0:
        shift = mm * nn / (j * (j + 1))
        c2 = np.sqrt(np.maximum((j * j - mm * mm) * (j * j - nn * nn), 0.0)) / (j * (2 * j + 1))
        inner = (cb[None, None, :] - shift[..., None]) * cur
        inner[1:-1, 1:-1] -= c2[1:-1, 1:-1, None] * prev
        new[1:-1, 1:-1] = coef[..., None] * inner
    else:
        new[1:-1, 1:-1] = coef[..., None] * cb[None, None, :] * cur
