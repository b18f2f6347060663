"""The dense Fourier operator :func:`fourier_matrix` and the ``"dense"`` method built on it.

Row ``offset_r + i d_r + j`` of ``F`` is ``g -> rho_r(g)[i, j]`` (the flat layout of
:meth:`FourierBlocks.flatten`), so ``flatten(f_hat) = F f`` and, by Schur orthogonality,
``f = (1/|G|) F^H (D flatten(f_hat))`` with ``D`` the degree ``d_r`` of the block of each row.
The ``"dense"`` method applies these two products: ``O(|G|^2)`` per function, for any group.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._errors import GroupTooLargeError, check_limit
from ._blocks import FourierBlocks, check_group
from ._support import degrees, group_irreps, memo, norm_weights

if TYPE_CHECKING:
    from ..groups import FiniteGroup
    from ..typing import Norm

__all__ = ["DENSE_CACHE_ORDER", "DENSE_SPEEDUP", "DensePlan", "applies", "cost", "execute", "fourier_matrix", "plan"]

#: The dense method keeps the Fourier matrix of groups up to this order in the group memo
#: (``16 |G|^2`` bytes); larger ones build it per call.
DENSE_CACHE_ORDER = 2048


def fourier_matrix(G: FiniteGroup, norm: Norm | None = None, *, max_order: int = 8192) -> np.ndarray:
    """The matrix ``F`` of the Fourier transform: ``transform(G, f, norm).flatten() == F @ f``.

    Row ``offset_r + i d_r + j`` (see :meth:`FourierBlocks.flatten`) is ``g -> rho_r(g)[i, j]``,
    times the weight of ``norm``.

    Parameters
    ----------
    G : FiniteGroup
    norm : {None, "backward", "ortho", "forward", "unitary"}
        ``None``/``"backward"``: unscaled. ``"ortho"`` (alias ``"unitary"``): the rows of block
        ``rho`` scaled by ``sqrt(d_rho/|G|)``, so ``F`` is unitary. ``"forward"``: scaled by ``1/|G|``.
    max_order : int
        Largest order for which the dense ``(|G|, |G|)`` complex matrix (``16 |G|^2`` bytes) is built.

    Returns
    -------
    ndarray, shape (|G|, |G|)
        complex128.

    Raises
    ------
    GroupTooLargeError
        If ``G.order > max_order``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import fourier_matrix
    >>> F = fourier_matrix(gt.cyclic(4), norm="ortho")
    >>> bool(np.allclose(F @ F.conj().T, np.eye(4)))
    True
    """
    check_group(G)
    max_order = check_limit("max_order", max_order)
    n = G.order
    if n > max_order:
        raise GroupTooLargeError(
            f"the Fourier matrix of a group of order {n} needs {16 * n * n / 2**30:.1f} GiB (max_order={max_order})"
        )
    weights = norm_weights(G, norm)
    rows = []
    for r, rho in enumerate(group_irreps(G)):
        d = int(rho.dim)
        m = np.asarray(rho.matrices, dtype=np.complex128).reshape(n, d * d).T
        rows.append(m * weights[r] if weights is not None else m)
    return np.ascontiguousarray(np.concatenate(rows, axis=0))


@dataclass(frozen=True)
class DensePlan:
    """The unnormalized Fourier matrix, the degrees, the degree of the block of each row, and the
    two layouts the products read.

    ``forward_real`` is ``(|G|, 2 |G|)`` float64 with the real and imaginary parts of ``F.T``
    interleaved column by column, so that for real ``x`` the one real product ``x @ forward_real``
    *is* ``x @ F.T`` viewed as complex128 (no cast of ``x`` to complex, half the flops of a complex
    product, no copy of the result). ``forward_complex`` is ``F.T`` contiguous.
    """

    matrix: np.ndarray  # (|G|, |G|) complex
    dims: tuple[int, ...]
    row_degrees: np.ndarray  # (|G|,) float
    forward_real: np.ndarray  # (|G|, 2 |G|) float
    forward_complex: np.ndarray  # (|G|, |G|) complex, F.T contiguous


def applies(G: FiniteGroup) -> bool:
    """The dense method applies to every group."""
    return True


#: How many times faster one operation of the dense product (BLAS) runs than one of the fast
#: methods (FFTs, gathers, sparse assembly, Python overhead per call). 1.0 until the crossover
#: is measured on a quiet machine (``benchmarks/bench_scale.py``, the crossover table).
DENSE_SPEEDUP = 24.0


def cost(G: FiniteGroup) -> float:
    """``|G|^2 / DENSE_SPEEDUP``: ``|G|^2`` operations per function, at BLAS speed."""
    return float(G.order) ** 2 / DENSE_SPEEDUP


def plan(G: FiniteGroup) -> DensePlan:
    """The dense plan of ``G``, kept in ``G.memo("fourier.dense")`` up to :data:`DENSE_CACHE_ORDER`.

    Examples
    --------
    >>> import grouptools as gt
    >>> plan(gt.dihedral(3)).matrix.shape
    (6, 6)
    """

    def build() -> DensePlan:
        dims = degrees(G)
        rows = np.repeat(np.asarray(dims, dtype=float), [d * d for d in dims])
        F = fourier_matrix(G, max_order=G.order)
        Ft = np.ascontiguousarray(F.T)
        return DensePlan(F, dims, rows, Ft.view(np.float64), Ft)

    return memo(G, "dense", build) if G.order <= DENSE_CACHE_ORDER else build()


def execute(
    p: DensePlan, data: np.ndarray | FourierBlocks, *, inverse: bool, real: bool = False
) -> np.ndarray | FourierBlocks:
    """One product with the Fourier matrix: ``F f`` (forward) or ``(1/|G|) F^H D f_hat`` (inverse).

    Parameters
    ----------
    p : DensePlan
    data : ndarray (..., |G|) or FourierBlocks
        Functions (forward) or blocks (inverse).
    inverse : bool
        The direction.
    real : bool
        Inverse only: return the real part.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> P = plan(gt.dihedral(3))
    >>> f = np.arange(6.0)
    >>> bool(np.allclose(execute(P, execute(P, f, inverse=False), inverse=True, real=True), f))
    True
    """
    F = p.matrix
    n = F.shape[0]
    if inverse:  # x (1/|G|) conj(F) = conj(conj(x) F) / |G|, x = D flatten(f_hat)
        x = np.conj(data.flatten().reshape(-1, n) * (p.row_degrees / n))
        y = (x @ F).reshape(data.batch_shape + (n,))
        return np.ascontiguousarray(y.real) if real else np.conj(y)
    x = data.reshape(-1, n)
    if np.iscomplexobj(x):
        y = x @ p.forward_complex
    else:  # real functions: one real product with the interleaved (Re, Im) columns of F.T
        y = (x @ p.forward_real).view(np.complex128)
    return FourierBlocks.from_flat(p.dims, y.reshape(data.shape[:-1] + (n,)), copy=False)
