"""Public type aliases and protocols of grouptools (one module, as in galois's ``typing``).

Annotations across the package use these names. :class:`GroupLike` is the protocol the layers
above :mod:`grouptools.groups` rely on: what a Fourier transform, a character table or a network
needs from a group, all of it public API of :class:`~grouptools.FiniteGroup`.

Examples
--------
>>> import grouptools as gt
>>> from grouptools.typing import GroupLike
>>> isinstance(gt.cyclic(3), GroupLike)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Literal, Protocol, TypeAlias, TypeVar, runtime_checkable

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # pragma: no cover
    from .groups import SpanningTree, Structure
    from .presentations import Presentation

__all__ = [
    "ElementIndex",
    "Elements",
    "GroupLike",
    "Norm",
    "Signal",
]

T = TypeVar("T")

#: One element of a group, by its index ``0..|G|-1`` (the identity is 0).
ElementIndex: TypeAlias = int | np.integer
#: Element indices: an int or an array-like of ints (vectorized operations broadcast).
Elements: TypeAlias = int | np.integer | npt.ArrayLike
#: Functions on a group, batched along leading axes: the last axis has length ``|G|``.
Signal: TypeAlias = npt.ArrayLike
#: Normalization of Fourier transforms, with scipy.fft's names (``"unitary"`` = ``"ortho"``).
Norm: TypeAlias = Literal["backward", "ortho", "forward", "unitary"]


@runtime_checkable
class GroupLike(Protocol):
    """What the layers above :mod:`grouptools.groups` need from a finite group."""

    @property
    def order(self) -> int: ...

    @property
    def generators(self) -> tuple[int, ...]: ...

    @property
    def generator_names(self) -> tuple[str, ...]: ...

    @property
    def right_perms(self) -> np.ndarray: ...

    @property
    def structure(self) -> Structure | None: ...

    @property
    def inverse(self) -> np.ndarray: ...

    @property
    def spanning_tree(self) -> SpanningTree: ...

    @property
    def letter_perms(self) -> np.ndarray: ...

    @property
    def defining_presentation(self) -> Presentation | None: ...

    def memo(self, key: str, build: Callable[[], T] | None = None) -> T | None: ...

    def multiply(self, a: Elements, b: Elements) -> int | np.ndarray: ...

    def letter_word(self, x: int) -> list[int]: ...

    def left_multiplication(self, s: int) -> np.ndarray: ...

    def right_multiplication(self, s: int) -> np.ndarray: ...
