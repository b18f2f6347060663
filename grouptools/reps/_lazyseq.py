"""The lazy sequence of irreps shared by the routes that build irreps on demand."""

from __future__ import annotations

from abc import abstractmethod
from collections import OrderedDict
from typing import Any, Iterator, Sequence

from .._errors import check_index
from ._irrep import Irrep

__all__ = ["KEEP", "LazyIrreps"]

#: Irrep objects of a lazy sequence kept alive (least recently used first out).
KEEP = 4096


class LazyIrreps(Sequence[Irrep]):
    """A read-only sequence of irreps built on access (``len``, indexing, slicing, iteration):
    subclasses set ``dims`` (the degrees, one per irrep), ``_keep`` (an empty
    :class:`~collections.OrderedDict`) and implement ``_make(i)``; at most :data:`KEEP` irreps
    are kept alive.

    Examples
    --------
    >>> import grouptools as gt
    >>> R = gt.cyclic(5000).irreps()
    >>> isinstance(R, LazyIrreps), len(R), R[-1] is R[4999]
    (True, 5000, True)
    """

    __slots__ = ()
    dims: Any
    _keep: OrderedDict[int, Irrep]

    @abstractmethod
    def _make(self, i: int) -> Irrep:
        """The irrep at position ``i`` (built on first access)."""

    def __len__(self) -> int:
        return int(self.dims.size)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return tuple(self[j] for j in range(*i.indices(len(self))))
        i = check_index("irrep index", i, len(self), negative=True) % len(self)
        rho = self._keep.get(i)
        if rho is None:
            rho = self._make(i)
            self._keep[i] = rho
            if len(self._keep) > KEEP:
                self._keep.popitem(last=False)
        else:
            self._keep.move_to_end(i)
        return rho

    def __iter__(self) -> Iterator[Irrep]:
        return (self[i] for i in range(len(self)))
