"""The data of irreps adapted to a chain of subgroups: :class:`ChainLevel` and :class:`AdaptedIrreps`
(built by :func:`grouptools.reps.adapted_irreps`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .._errors import ParameterError, quote
from ..groups import FiniteGroup, Subgroup

__all__ = ["ADAPTED_TOL", "AdaptedIrrep", "AdaptedIrreps", "ChainLevel", "chain_key"]

#: Tolerance of the checks of the adapted bases (unitarity, intertwining, realness).
ADAPTED_TOL = 1e-8


@dataclass(frozen=True, eq=False)
class ChainLevel:
    """The adapted irreps of one subgroup ``G_i`` of the chain.

    Attributes
    ----------
    elements : ndarray of int
        The elements of ``G_i`` (indices in ``G``), sorted.
    dims : tuple of int
        Degrees of its adapted irreps, in order.
    branching : tuple of tuple of int
        For each irrep, the irreps of ``G_{i-1}`` on its diagonal blocks, in order (empty at
        ``i = 0``).
    labels : tuple
        A partition per irrep (Young route) or the index in ``G_i``'s own ``irreps()``.
    evaluate : callable ``(r, elements) -> (len, d, d)``
        The matrices of irrep ``r`` at elements of ``G_i`` (indices in ``G``).
    """

    elements: np.ndarray
    dims: tuple[int, ...]
    branching: tuple[tuple[int, ...], ...]
    labels: tuple
    evaluate: Callable[[int, np.ndarray], np.ndarray]

    @property
    def order(self) -> int:
        """``|G_i|``."""
        return int(self.elements.size)


@dataclass(frozen=True, eq=False)
class AdaptedIrreps:
    """Irreps of every subgroup of a chain, adapted to it; see :func:`adapted_irreps`.

    Attributes
    ----------
    group : FiniteGroup
    chain : tuple of Subgroup
        ``G = G_m > ... > G_0 = 1`` (subgroups of ``group``), top first.
    levels : tuple of ChainLevel
        ``levels[i]`` is ``G_i`` (``levels[-1]`` is ``G``, its irreps in ``G.irreps()`` order).
    young : bool
        Whether the route is Young's orthogonal form (the chain ``S_1 < ... < S_n``; ``levels[i]``
        is then ``S_{i+1}``, the permutations of the points ``0..i``).
    real : bool
        Whether every adapted irrep is real orthogonal (Young's form, and the numeric route with
        ``real=True``): :meth:`ChainLevel.evaluate` then returns float64.
    """

    group: FiniteGroup
    chain: tuple[Subgroup, ...]
    levels: tuple[ChainLevel, ...]
    young: bool
    _bases: Callable[[], tuple[np.ndarray, ...]]
    real: bool = False

    @property
    def dims(self) -> tuple[int, ...]:
        """Degrees of the adapted irreps of ``G`` (those of ``G.irreps()``)."""
        return self.levels[-1].dims

    def __len__(self) -> int:
        return len(self.dims)

    def __getitem__(self, r: int) -> AdaptedIrrep:
        """The adapted irrep ``r`` of ``G`` (in the order of ``G.irreps()``)."""
        if isinstance(r, bool) or not isinstance(r, (int, np.integer)) or not -len(self) <= r < len(self):
            raise ParameterError(f"irrep index must be an int in 0..{len(self) - 1}, got {quote(r)}")
        return AdaptedIrrep(self, int(r) % len(self))

    def at(self, r: int, elements: Any) -> np.ndarray:
        """``rho_r(g)`` of the adapted irrep ``r`` of ``G`` at the given elements, ``(len, d, d)``."""
        return self.levels[-1].evaluate(int(r), np.atleast_1d(np.asarray(elements, np.int64)))

    def basis(self, r: int) -> np.ndarray:
        """The unitary ``U`` with ``G.irreps()[r](g) = U rho_r(g) U^H`` (``rho_r`` adapted)."""
        route = "young" if self.young else "real" if self.real else "numeric"
        return self.group.memo(chain_key(self.chain, "bases." + route), self._bases)[int(r)]


@dataclass(frozen=True, eq=False)
class AdaptedIrrep:
    """One adapted irrep of ``G``: ``rho(g)`` by calling it, ``at(elements)`` vectorized.

    Examples
    --------
    >>> import grouptools as gt
    >>> rho = gt.symmetric(4).irreps(adapted_to="default")[3]
    >>> rho.dim, rho(5).shape
    (3, (3, 3))
    """

    irreps: AdaptedIrreps
    index: int

    @property
    def dim(self) -> int:
        """The degree."""
        return int(self.irreps.dims[self.index])

    def at(self, elements: Any) -> np.ndarray:
        """The matrices at the given element indices, ``(len, d, d)``."""
        return self.irreps.at(self.index, elements)

    def __call__(self, g: int) -> np.ndarray:
        return self.at([g])[0]


def chain_key(chain: Sequence[Subgroup], what: str) -> str:
    """The memo key of the adapted irreps of ``chain`` (``what``: the route or ``"bases"``)."""
    h = hashlib.sha1()
    for s in chain:
        h.update(np.asarray(s.elements, np.int64).tobytes() + b"|")
    return "reps.adapted." + what + "." + h.hexdigest()
