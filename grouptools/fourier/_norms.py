"""Schatten (quasi-)norms of Fourier blocks, the d_rho-weighted norm of docs/theory.md, real-space l_p.

For a matrix ``M`` with singular values ``s_1 >= s_2 >= ...`` the Schatten p-(quasi)norm is
``||M||_{S,p} = (sum_i s_i^p)^(1/p)`` for ``0 < p < inf`` and ``s_1`` for ``p = inf`` (a norm for
``p >= 1``, a quasi-norm for ``p < 1``). The regularizer of a depth-``L`` linear G-CNN
(Lawrence et al. 2022; ``docs/theory.md``) is, with ``p = 2/L``,

    R(beta) = sum_rho d_rho ||beta_hat(rho)||_{S,p}^p,    ||beta_hat||^(S)_p = R^(1/p),

on the *unnormalized* transform ``beta_hat``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._errors import InvalidGroupError, ParameterTypeError, quote
from ._blocks import numeric_array
from ._blocks import FourierBlocks

__all__ = ["schatten_norm", "weighted_schatten", "lp_norm", "singular_values"]


def _check_p(p: Any) -> float:
    try:
        pf = float(p)
    except (TypeError, ValueError):
        raise InvalidGroupError(f"p must be a positive number or inf, got {quote(p)}") from None
    if not pf > 0:  # also rejects nan
        raise InvalidGroupError(f"p must be in (0, inf], got {quote(p)}")
    return pf


def _power_sum(s: np.ndarray, p: float, axis: Any) -> np.ndarray:
    """``sum s^p`` along ``axis`` (``max`` for ``p = inf``); ``s >= 0``."""
    if np.isinf(p):
        return np.max(s, axis=axis, initial=0.0)
    return np.sum(s**p, axis=axis)


def singular_values(blocks: FourierBlocks) -> list[np.ndarray]:
    """Singular values of every block: a list of ``(..., d_r)`` arrays (descending), in irrep order.

    Examples
    --------
    >>> import numpy as np
    >>> from grouptools.fourier import FourierBlocks
    >>> from grouptools.fourier._norms import singular_values
    >>> [s.tolist() for s in singular_values(FourierBlocks([np.array([[-3.0]]), np.diag([1.0, 2.0])]))]
    [[3.0], [2.0, 1.0]]
    """
    if not isinstance(blocks, FourierBlocks):
        raise ParameterTypeError(
            f"singular_values needs FourierBlocks (use grouptools.fourier.transform), got {type(blocks).__name__}"
        )
    out: list[Any] = [None] * len(blocks)
    for idx, data in blocks.grouped():
        s = np.linalg.svd(data, compute_uv=False)  # (..., R, d)
        for p, r in enumerate(idx.tolist()):
            out[r] = s[..., p, :]
    return out


def schatten_norm(a: Any, p: float = 1.0) -> Any:
    """Schatten p-(quasi)norm: the l_p norm of the singular values.

    Parameters
    ----------
    a : array_like, shape (..., m, n), or FourierBlocks
        A matrix or a stack of matrices; for :class:`FourierBlocks` the norm of every block.
    p : float in (0, inf]
        ``p = 1`` nuclear, ``p = 2`` Frobenius, ``p = inf`` spectral; ``p < 1`` a quasi-norm.

    Returns
    -------
    ndarray
        Shape ``(...)`` for an array; ``(..., number of blocks)`` for FourierBlocks.

    Raises
    ------
    InvalidGroupError
        If ``p`` is not in ``(0, inf]`` or ``a`` is not at least 2-dimensional.

    Examples
    --------
    >>> import numpy as np
    >>> from grouptools.fourier import schatten_norm
    >>> M = np.diag([3.0, 4.0])
    >>> float(schatten_norm(M, 1)), float(schatten_norm(M, 2)), float(schatten_norm(M, np.inf))
    (7.0, 5.0, 4.0)
    >>> round(float(schatten_norm(M, 0.5)), 6)     # (sqrt 3 + sqrt 4)^2
    13.928203
    """
    pf = _check_p(p)
    if isinstance(a, FourierBlocks):
        sv = singular_values(a)
        vals = [_root(_power_sum(s, pf, -1), pf) for s in sv]
        return np.stack(vals, axis=-1)
    m = numeric_array(a, "schatten_norm's argument")
    if m.ndim < 2:
        raise InvalidGroupError(f"schatten_norm needs a matrix or a stack of matrices, got shape {m.shape}")
    s = np.linalg.svd(m, compute_uv=False)
    return _root(_power_sum(s, pf, -1), pf)


def _root(x: np.ndarray, p: float) -> np.ndarray:
    return x if np.isinf(p) else x ** (1.0 / p)


def weighted_schatten(blocks: FourierBlocks, p: float, *, summed: bool = False) -> Any:
    """The ``d_rho``-weighted Schatten quasi-norm of Fourier blocks (``docs/theory.md``).

    ``R = sum_rho d_rho ||B(rho)||_{S,p}^p`` (``summed=True``) or the norm ``R^(1/p)``
    (default). For ``p = 2/L`` and the unnormalized transform of ``beta`` this is
    ``||beta_hat||^(S)_{2/L}`` of Lawrence et al. (2022); for ``p = inf`` the largest
    singular value over all blocks (weights are irrelevant).

    Parameters
    ----------
    blocks : FourierBlocks
        E.g. ``transform(G, beta)``; batched blocks give a batched result.
    p : float in (0, inf]
    summed : bool
        Return the power sum ``R`` instead of ``R^(1/p)``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import weighted_schatten, FourierBlocks
    >>> B = FourierBlocks([np.array([[2.0]]), np.diag([1.0, 0.0])])
    >>> float(weighted_schatten(B, 1, summed=True))       # 1*2 + 2*(1 + 0)
    4.0
    >>> float(weighted_schatten(B, 0.5))                  # (1*sqrt 2 + 2*1)^2
    11.65685424949238
    """
    pf = _check_p(p)
    if not isinstance(blocks, FourierBlocks):
        raise InvalidGroupError("weighted_schatten needs FourierBlocks (use grouptools.fourier.transform)")
    total: Any = 0.0
    for idx, data in blocks.grouped():
        d = data.shape[-1]
        s = np.linalg.svd(data, compute_uv=False)  # (..., R, d)
        if np.isinf(pf):
            total = np.maximum(total, np.max(s, axis=(-2, -1), initial=0.0))
        else:
            total = total + d * np.sum(s**pf, axis=(-2, -1))
    if np.isinf(pf) or summed:
        return total
    return total ** (1.0 / pf)


def lp_norm(f: Any, p: float, *, summed: bool = False) -> Any:
    """Real-space ``l_p`` (quasi-)norm ``(sum_g |f(g)|^p)^(1/p)`` along the last axis.

    ``summed=True`` returns ``sum_g |f(g)|^p``; ``p = inf`` gives ``max |f|``.

    Examples
    --------
    >>> from grouptools.fourier import lp_norm
    >>> float(lp_norm([3.0, -4.0], 2)), float(lp_norm([1.0, 1.0], 0.5)), float(lp_norm([1.0, -2.0], float("inf")))
    (5.0, 4.0, 2.0)
    """
    pf = _check_p(p)
    a = np.abs(numeric_array(f, "lp_norm's argument"))
    if a.ndim < 1:
        raise InvalidGroupError("lp_norm needs a vector (function on G)")
    total = _power_sum(a, pf, -1)
    if np.isinf(pf) or summed:
        return total
    return total ** (1.0 / pf)
