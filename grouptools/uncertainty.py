"""Uncertainty principles on finite groups: support in real space versus rank in Fourier space.

Meshulam (1992): for a nonzero function ``f`` on a finite group ``G``,

    |supp f| * rank(f_hat) >= |G|,    rank(f_hat) = sum_rho d_rho rank f_hat(rho),

and for abelian ``G`` (all ``d_rho = 1``) this is the Donoho-Stark (1989) inequality
``|supp f| |supp f_hat| >= |G|``. Equality holds for the indicator of a subgroup ``K``
(``f_hat(rho)`` is ``|K|`` times the projector onto the ``K``-invariant vectors of ``rho``, so
``rank f_hat = |G|/|K|``) and for its translates ``1_{gK}``, ``1_{Kg}`` (``docs/theory.md``).
Low Fourier rank, which the implicit bias of linear G-CNNs favours, forces large support.

Numerical conventions: ``support_size`` counts entries with ``|f(g)| > tol * max|f|`` and
``fourier_rank`` counts singular values ``> tol * s_max`` where ``s_max`` is the largest singular
value over *all* blocks (both relative, so scale invariant; ``tol = 0`` counts exact nonzeros).

Examples
--------
>>> import grouptools as gt
>>> from grouptools.uncertainty import subgroup_indicator, meshulam_bound
>>> G = gt.dihedral(4)
>>> K = G.subgroup([G.element("s")])
>>> rep = meshulam_bound(G, subgroup_indicator(G, K))
>>> rep.support, rep.rank, rep.product, rep.order, rep.holds, rep.tight
(2, 4, 8, 8, True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ._errors import InvalidGroupError, ParameterTypeError, quote
from .fourier import FourierBlocks, transform
from .fourier._blocks import check_choice, check_group, numeric_array
from .fourier._norms import singular_values

if TYPE_CHECKING:
    from .groups import FiniteGroup

__all__ = [
    "DEFAULT_TOL",
    "UncertaintyReport",
    "block_ranks",
    "check_meshulam",
    "coset_indicator",
    "donoho_stark",
    "fourier_rank",
    "meshulam_bound",
    "subgroup_indicator",
    "support_size",
]

#: Default relative tolerance of :func:`support_size` and :func:`fourier_rank`.
DEFAULT_TOL = 1e-9


def _check_tol(tol: float) -> float:
    if isinstance(tol, (bool, np.bool_)) or not isinstance(tol, (int, float, np.integer, np.floating)):
        raise ParameterTypeError(f"tol must be a number in [0, 1), got {quote(tol)}")
    t = float(tol)
    if not 0 <= t < 1:
        raise InvalidGroupError(f"tol must be in [0, 1), got {quote(tol)}")
    return t


def support_size(f: Any, tol: float = DEFAULT_TOL) -> Any:
    """``|supp f|``: the number of ``g`` with ``|f(g)| > tol * max_g |f(g)|`` (last axis).

    Parameters
    ----------
    f : array_like, shape (..., n)
    tol : float in [0, 1)
        Relative threshold; ``0`` counts the exact nonzeros.

    Returns
    -------
    int or ndarray of int
        Batched over leading axes; ``0`` for the zero function.

    Examples
    --------
    >>> from grouptools.uncertainty import support_size
    >>> support_size([1.0, 1e-14, 0.0, -2.0])
    2
    >>> support_size([1.0, 1e-14, 0.0, -2.0], tol=0)
    3
    """
    t = _check_tol(tol)
    a = np.abs(numeric_array(f, "support_size's argument"))
    if a.ndim < 1:
        raise InvalidGroupError("support_size needs a vector (a function on G)")
    top = a.max(axis=-1, keepdims=True, initial=0.0)
    count = np.sum((a > t * top) & (a > 0), axis=-1)
    return int(count) if np.ndim(count) == 0 else count


def block_ranks(G: FiniteGroup, f: Any, tol: float = DEFAULT_TOL) -> np.ndarray:
    """Numerical rank of every block ``f_hat(rho)``: shape ``(..., number of irreps)``.

    ``f`` is a function ``(..., |G|)`` or :class:`~grouptools.fourier.FourierBlocks`; singular
    values ``> tol * s_max`` count, ``s_max`` the largest over all blocks (per batch entry).
    """
    t = _check_tol(tol)
    check_group(G)
    blocks = f if isinstance(f, FourierBlocks) else transform(G, f)
    sv = singular_values(blocks)
    smax = np.max(np.stack([s.max(axis=-1, initial=0.0) for s in sv], axis=-1), axis=-1)
    thr = (t * smax)[..., None]
    return np.stack([np.sum((s > thr) & (s > 0), axis=-1) for s in sv], axis=-1)


def fourier_rank(G: FiniteGroup, f: Any, tol: float = DEFAULT_TOL) -> Any:
    """``rank(f_hat) = sum_rho d_rho rank f_hat(rho)`` (Meshulam's Fourier rank).

    Parameters
    ----------
    G : FiniteGroup
    f : array_like (..., |G|) or FourierBlocks
    tol : float in [0, 1)
        Singular values ``> tol * s_max`` count, with ``s_max`` the largest singular value over all
        blocks. The rank does not depend on the normalization of the transform.

    Returns
    -------
    int or ndarray of int

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.uncertainty import fourier_rank
    >>> G = gt.dihedral(3)
    >>> fourier_rank(G, np.eye(6)[0]), fourier_rank(G, np.ones(6))    # delta: full; constant: 1
    (6, 1)
    """
    check_group(G)
    blocks = f if isinstance(f, FourierBlocks) else transform(G, f)
    ranks = block_ranks(G, blocks, tol)
    r = np.sum(ranks * np.asarray(blocks.dims), axis=-1)
    return int(r) if np.ndim(r) == 0 else r


@dataclass(frozen=True)
class UncertaintyReport:
    """``support * rank >= order``: the numbers of one uncertainty inequality.

    ``rank`` is the Fourier rank (Meshulam) or ``|supp f_hat|`` (Donoho-Stark); ``holds`` is
    ``product >= order`` and ``tight`` is ``product == order``.
    """

    support: int
    rank: int
    order: int

    @property
    def product(self) -> int:
        return self.support * self.rank

    @property
    def holds(self) -> bool:
        return self.product >= self.order

    @property
    def tight(self) -> bool:
        return self.product == self.order

    @property
    def ratio(self) -> float:
        """``product / order`` (``>= 1`` by the theorem)."""
        return self.product / self.order


def _single(G: FiniteGroup, f: Any) -> np.ndarray:
    check_group(G)
    a = numeric_array(f, "a function on G")
    if a.shape != (G.order,):
        raise InvalidGroupError(f"need one function of shape ({G.order},), got {a.shape}")
    if not np.any(a != 0):
        raise InvalidGroupError("the uncertainty principles are about nonzero functions")
    return a


def meshulam_bound(G: FiniteGroup, f: Any, tol: float = DEFAULT_TOL) -> UncertaintyReport:
    """Support, Fourier rank and ``|G|`` of a nonzero ``f`` (Meshulam 1992).

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.uncertainty import meshulam_bound
    >>> r = meshulam_bound(gt.symmetric(3), np.eye(6)[0])
    >>> r.support, r.rank, r.holds, r.tight
    (1, 6, True, True)
    """
    a = _single(G, f)
    return UncertaintyReport(support_size(a, tol), fourier_rank(G, a, tol), G.order)


def check_meshulam(G: FiniteGroup, f: Any, tol: float = DEFAULT_TOL) -> bool:
    """Whether ``|supp f| * rank(f_hat) >= |G|`` holds numerically (it always should).

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.uncertainty import check_meshulam
    >>> check_meshulam(gt.dihedral(5), np.random.default_rng(0).normal(size=10))
    True
    """
    return meshulam_bound(G, f, tol).holds


def donoho_stark(G: FiniteGroup, f: Any, tol: float = DEFAULT_TOL) -> UncertaintyReport:
    """``|supp f| * |supp f_hat| >= |G|`` for an abelian group (Donoho and Stark 1989).

    ``|supp f_hat|`` counts the characters with ``|f_hat(chi)| > tol * max |f_hat|``.

    Raises
    ------
    InvalidGroupError
        If ``G`` is not abelian.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.uncertainty import donoho_stark
    >>> G = gt.cyclic(12)
    >>> comb = np.zeros(12); comb[::3] = 1.0                  # the subgroup 3Z/12Z
    >>> r = donoho_stark(G, comb)
    >>> r.support, r.rank, r.tight
    (4, 3, True)
    """
    if not G.is_abelian:
        raise InvalidGroupError("Donoho-Stark is the abelian case; use meshulam_bound for non-abelian groups")
    a = _single(G, f)
    fh = transform(G, a).flatten()
    return UncertaintyReport(support_size(a, tol), support_size(fh, tol), G.order)


def _elements(G: FiniteGroup, subgroup: Any) -> np.ndarray:
    check_group(G)
    if hasattr(subgroup, "elements") and hasattr(subgroup, "parent"):
        if subgroup.parent is not G and subgroup.parent != G:
            raise InvalidGroupError("the subgroup belongs to another group")
        return np.asarray(subgroup.elements, dtype=np.int64)
    if isinstance(subgroup, (int, np.integer)) and not isinstance(subgroup, (bool, np.bool_)):
        subgroup = [subgroup]  # one generator
    return np.asarray(G.subgroup(subgroup).elements, dtype=np.int64)


def subgroup_indicator(G: FiniteGroup, subgroup: Any) -> np.ndarray:
    """The indicator ``1_K`` of a subgroup ``K`` (a :class:`~grouptools.Subgroup`, or elements that
    generate it). Attains Meshulam's bound: ``|K| * |G|/|K| = |G|``.

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.uncertainty import subgroup_indicator
    >>> subgroup_indicator(gt.cyclic(6), [2])
    array([1., 0., 1., 0., 1., 0.])
    """
    out = np.zeros(G.order)
    out[_elements(G, subgroup)] = 1.0
    return out


def coset_indicator(G: FiniteGroup, subgroup: Any, g: Any, side: str = "left") -> np.ndarray:
    """The indicator of the coset ``g K`` (``side="left"``) or ``K g`` (``"right"``).

    Translates do not change the support or the Fourier rank (``(L_g f)^(rho) = rho(g) f_hat(rho)``),
    so cosets attain Meshulam's bound too.

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.uncertainty import coset_indicator
    >>> coset_indicator(gt.cyclic(6), [2], 1)
    array([0., 1., 0., 1., 0., 1.])
    """
    els = _elements(G, subgroup)
    check_choice(side, "side", ("left", "right"))
    if isinstance(g, str):
        x = G.element(g)
    elif isinstance(g, (int, np.integer)) and not isinstance(g, (bool, np.bool_)):
        x = int(g)
    else:
        raise ParameterTypeError(f"g must be an element index or a word, got {quote(g)}")
    if not 0 <= x < G.order:
        raise InvalidGroupError(f"element index {x} out of range 0..{G.order - 1}")
    if side == "left":
        members = G.multiply(np.full(els.size, x), els)
    elif side == "right":
        members = G.multiply(els, np.full(els.size, x))
    else:
        raise InvalidGroupError(f"side must be 'left' or 'right', got {quote(side)}")
    out = np.zeros(G.order)
    out[np.asarray(members)] = 1.0
    return out
