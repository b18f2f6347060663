"""The group Fourier transform and its inverse: one implementation, parameterised by direction.

Conventions (``docs/theory.md``): for a function ``f`` on ``G`` and an irrep ``rho`` of
``G.irreps()``,

    f_hat(rho) = sum_g f(g) rho(g),
    f(g) = (1/|G|) sum_rho d_rho tr(rho(g)^H f_hat(rho)),

(``norm="backward"``, the default). ``norm="ortho"`` (alias ``"unitary"``) multiplies block ``rho``
by ``sqrt(d_rho/|G|)``, which makes ``f -> blocks`` an isometry (Plancherel), and
``norm="forward"`` by ``1/|G|`` (the inverse then has no ``1/|G|``); the names are those of
:mod:`scipy.fft`. The computation is delegated to a method of the registry (:mod:`._registry`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import ParameterTypeError, quote
from ._blocks import FourierBlocks
from ._registry import get_method
from ._support import check_blocks, check_function, norm_weights

if TYPE_CHECKING:
    from ..groups import FiniteGroup
    from ..typing import Norm

__all__ = ["inverse", "transform"]


def _apply(G: FiniteGroup, data: Any, norm: Norm | None, method: str, *, inverse: bool, real: bool = False) -> Any:
    """Check the arguments, pick the method, apply the ``norm`` weights on the right side."""
    data = check_blocks(G, data) if inverse else check_function(G, data)
    weights = norm_weights(G, norm)
    m = get_method(G, method)
    if inverse and weights is not None:
        data = data.scaled(1.0 / weights)
    out = m.run(G, data, inverse=inverse, real=real)
    if not inverse and weights is not None:
        out = out.scaled(weights)
    return out


def transform(G: FiniteGroup, f: Any, norm: Norm | None = None, *, method: str = "auto") -> FourierBlocks:
    """The group Fourier transform ``f_hat(rho) = sum_g f(g) rho(g)`` for every irrep of ``G``.

    Parameters
    ----------
    G : FiniteGroup
        The group; its ``irreps()`` fix the order and the basis of the blocks.
    f : array_like, shape (..., |G|)
        Real or complex functions on ``G`` (element order), batched along leading axes.
    norm : {None, "backward", "ortho", "forward", "unitary"}
        The names of :mod:`scipy.fft`. ``None`` or ``"backward"`` (default): the unnormalized
        transform above (the inverse carries ``1/|G|``). ``"ortho"``: block ``rho`` scaled by
        ``sqrt(d_rho/|G|)``, an isometry from ``C^|G|`` (Plancherel); ``"unitary"`` is an alias.
        ``"forward"``: scaled by ``1/|G|`` (the inverse then has no factor).
    method : {"auto", "abelian", "clifford", "discovered", "solvable", "chain", "dense"}
        ``"dense"`` evaluates the definition with :func:`fourier_matrix` (``O(|G|^2)`` per
        function). ``"abelian"`` (groups with an :class:`~grouptools.AbelianStructure`) is a
        multidimensional FFT. ``"clifford"`` (semidirect products ``N : H`` with ``N`` abelian, and
        direct products with abelian factors) is an FFT over ``N`` for each coset followed by a
        Clifford-theoretic assembly of the blocks (``O(|G| log|N| + |H| sum_rho d_rho^2)`` per
        function). ``"discovered"`` (any group with a nontrivial abelian normal subgroup ``A``,
        found from the multiplication) is the same Clifford route over ``A`` and a transversal.
        ``"solvable"`` (solvable groups) is the Clausen-Baum FFT along a composition series with
        prime steps (``O(|G| log |G|)`` for supersolvable groups; Baum 1991).
        ``"chain"`` (any group) is separation of variables along a chain of subgroups with
        adapted irreps (Young's orthogonal form for symmetric groups; Maslen and Rockmore 1997).
        ``"auto"`` takes the method of least estimated cost that applies
        (:func:`choose_method`); it uses ``"discovered"`` for groups without ``structure`` when
        ``|A| >= 4``.

    Returns
    -------
    FourierBlocks
        Block ``r`` has shape ``(..., d_r, d_r)``, in the order and basis of ``G.irreps()``.

    Raises
    ------
    InvalidGroupError
        If ``f`` has the wrong length, ``norm`` or ``method`` is unknown, or a forced method does
        not apply to ``G``.

    Notes
    -----
    The FFT paths follow Cooley and Tukey (1965) over ``N`` and the Clifford (1937) decomposition
    of ``rho`` restricted to an abelian normal subgroup, as in the FFTs for solvable groups of
    Clausen and Baum (*Fast Fourier Transforms*, 1993) and Rockmore (1995).

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import transform
    >>> G = gt.cyclic(4)
    >>> np.round(transform(G, [1.0, 0.0, 0.0, 0.0]).flatten().real, 12)
    array([1., 1., 1., 1.])
    >>> np.round(transform(G, [1.0, 0.0, 0.0, 0.0], norm="ortho").flatten().real, 12)
    array([0.5, 0.5, 0.5, 0.5])
    >>> np.round(transform(G, [1.0, 0.0, 0.0, 0.0], norm="forward").flatten().real, 12)
    array([0.25, 0.25, 0.25, 0.25])
    """
    return _apply(G, f, norm, method, inverse=False)


def inverse(
    G: FiniteGroup, blocks: Any, norm: Norm | None = None, *, method: str = "auto", real: bool = False
) -> np.ndarray:
    """The inverse transform ``f(g) = (1/|G|) sum_rho d_rho tr(rho(g)^H f_hat(rho))``.

    Parameters
    ----------
    G : FiniteGroup
    blocks : FourierBlocks or sequence of arrays ``(..., d, d)``
        In the order and basis of ``G.irreps()``.
    norm : {None, "backward", "ortho", "forward", "unitary"}
        Must match the ``norm`` of the forward transform: the blocks are divided by its weights
        (``sqrt(d_rho/|G|)`` for ``"ortho"``/``"unitary"``, ``1/|G|`` for ``"forward"``, none for
        ``None``/``"backward"``) before the formula above. So ``"forward"`` computes
        ``sum_rho d_rho tr(rho(g)^H f_hat(rho))`` without ``1/|G|``.
    method : {"auto", "abelian", "clifford", "discovered", "solvable", "chain", "dense"}
        As in :func:`transform`.
    real : bool
        Return the real part only (computed with real-output FFTs on the fast paths).

    Returns
    -------
    ndarray, shape (..., |G|)
        complex128, or float64 if ``real``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import transform, inverse
    >>> G = gt.dihedral(3)
    >>> f = np.arange(6.0)
    >>> bool(np.allclose(inverse(G, transform(G, f), real=True), f))
    True
    >>> bool(np.allclose(inverse(G, transform(G, f, "forward"), "forward", real=True), f))
    True
    """
    if not isinstance(real, (bool, np.bool_)):
        raise ParameterTypeError(f"real must be a bool, got {quote(real)}")
    return _apply(G, blocks, norm, method, inverse=True, real=bool(real))
