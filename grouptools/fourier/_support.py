"""Helpers shared by the Fourier methods: irreps and degrees, irrep values, argument checks, norms.

Conventions (``docs/theory.md``): for a function ``f`` on ``G`` and an irrep ``rho`` of
``G.irreps()`` (unitary, in that order and basis),

    f_hat(rho) = sum_g f(g) rho(g),    f(g) = (1/|G|) sum_rho d_rho tr(rho(g)^H f_hat(rho)).

A ``norm`` (the names of :mod:`scipy.fft`) multiplies block ``rho`` of the forward transform by a
weight ``w_rho`` and divides the blocks by it before the inverse (:func:`norm_weights`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, TypeVar

import numpy as np

from .._errors import InvalidGroupError, quote
from ._blocks import FourierBlocks, check_choice, check_group

if TYPE_CHECKING:
    from ..groups import FiniteGroup
    from ..typing import Norm

__all__ = [
    "NORMS",
    "check_blocks",
    "check_function",
    "degree_groups",
    "degrees",
    "group_irreps",
    "irrep_at",
    "memo",
    "norm_weights",
]

T = TypeVar("T")

#: Accepted values of ``norm=``: scipy.fft's names, ``None`` (= ``"backward"``) and ``"unitary"``
#: (an alias of ``"ortho"``).
NORMS = (None, "backward", "ortho", "forward", "unitary")


def group_irreps(G: FiniteGroup) -> tuple:
    """``G.irreps()``: the irreps in Fourier-block order.

    Examples
    --------
    >>> import grouptools as gt
    >>> [rho.dim for rho in group_irreps(gt.dihedral(3))]
    [1, 1, 2]
    """
    irr = G.irreps()
    return irr if hasattr(irr, "dims") else tuple(irr)  # a lazy sequence stays lazy


def degrees(G: FiniteGroup) -> tuple[int, ...]:
    """Degrees of ``G.irreps()``, in order.

    Examples
    --------
    >>> import grouptools as gt
    >>> degrees(gt.dihedral(4))
    (1, 1, 1, 1, 2)
    """
    irr = group_irreps(G)
    dims = getattr(irr, "dims", None)
    if dims is not None:
        return tuple(dims.tolist())
    return tuple(int(r.dim) for r in irr)


def degree_groups(dims: tuple[int, ...]) -> list[tuple[int, np.ndarray]]:
    """``(d, indices of the irreps of degree d)`` for each degree, ascending (the storage order
    of :class:`FourierBlocks`).

    Examples
    --------
    >>> [(d, idx.tolist()) for d, idx in degree_groups((1, 2, 1))]
    [(1, [0, 2]), (2, [1])]
    """
    arr = np.asarray(dims, dtype=np.int64)
    return [(int(d), np.flatnonzero(arr == d)) for d in np.unique(arr)]


def irrep_at(rho: Any, elements: Any, G: FiniteGroup | None = None) -> np.ndarray:
    """The matrices ``rho(g)`` for the given element indices, complex ``(len, d, d)``.

    For a few elements of a large group (``G`` given, at most ``|G|/8`` elements, ``rho`` with
    ``unitary_generator_images``), the products of the unitary generator images along the words
    ``G.letter_word(g)`` of the spanning tree, so that the ``(|G|, d, d)`` array ``rho.matrices``
    is not needed; otherwise, or when ``rho.matrices`` is built already (``rho.has_matrices``),
    rows of ``rho.matrices``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> G = gt.torus_p4m(4)
    >>> rho = G.irreps()[-1]
    >>> bool(np.allclose(irrep_at(rho, [5, 17], G), rho.matrices[[5, 17]]))
    True
    """
    els = np.asarray(elements, dtype=np.int64).ravel()
    if getattr(rho, "is_lazy", False):  # evaluated from the group's coordinates
        return np.asarray(rho.at(els))
    gens = getattr(rho, "unitary_generator_images", None)
    if G is None or gens is None or 8 * els.size > G.order or getattr(rho, "has_matrices", False):
        return np.asarray(rho.matrices)[els].astype(np.complex128, copy=False)
    gens = np.asarray(gens, dtype=np.complex128)
    letters = np.empty((2 * gens.shape[0],) + gens.shape[1:], np.complex128)
    letters[0::2] = gens
    letters[1::2] = np.conj(np.swapaxes(gens, 1, 2))
    out = np.empty((els.size,) + gens.shape[1:], np.complex128)
    for pos, x in enumerate(els.tolist()):
        m = np.eye(gens.shape[1], dtype=np.complex128)
        for t in G.letter_word(x):
            m = m @ letters[t]
        out[pos] = m
    return out


def memo(G: FiniteGroup, key: str, build: Callable[[], T]) -> T:
    """``G.memo("fourier." + key, build)``: the per-group cache of the Fourier methods.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.cyclic(3)
    >>> memo(G, "example", lambda: 7), G.memo("fourier.example")
    (7, 7)
    """
    return G.memo(f"fourier.{key}", build)


def check_function(G: FiniteGroup, f: Any) -> np.ndarray:
    """``f`` as an array ``(..., |G|)`` of float64 or complex128.

    Examples
    --------
    >>> import grouptools as gt
    >>> check_function(gt.cyclic(2), [1, 0]).dtype
    dtype('float64')
    """
    check_group(G)
    if type(f) is np.ndarray and f.dtype.kind in "fc" and f.itemsize in (8, 16) and f.ndim and f.shape[-1] == G.order:
        return f  # float64 or complex128 already
    try:
        arr = np.asarray(f)
    except (TypeError, ValueError):  # ragged nested sequences
        raise InvalidGroupError(f"a function on G must be a regular numeric array, got {quote(f)}") from None
    if arr.ndim < 1 or arr.shape[-1] != G.order:
        raise InvalidGroupError(f"a function on G needs a last axis of length {G.order}, got shape {arr.shape}")
    if np.iscomplexobj(arr):
        return arr.astype(np.complex128, copy=False)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise InvalidGroupError(f"a function on G must be numeric, got dtype {arr.dtype}")
    return arr.astype(np.float64, copy=False)


def check_blocks(G: FiniteGroup, blocks: Any) -> FourierBlocks:
    """``blocks`` as :class:`FourierBlocks` matching the degrees of ``G.irreps()``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> check_blocks(gt.cyclic(2), [np.ones((1, 1)), np.zeros((1, 1))]).dims
    (1, 1)
    """
    check_group(G)
    if not isinstance(blocks, FourierBlocks):
        blocks = FourierBlocks(blocks)
    expected = degrees(G)
    if blocks.dims != expected:
        raise InvalidGroupError(
            f"{len(blocks.dims)} blocks (sum d^2 = {blocks.order}) do not match the "
            f"{len(expected)} irreps of G (order {G.order})"
        )
    return blocks


def norm_weights(G: FiniteGroup, norm: Norm | None) -> np.ndarray | None:
    """The weight ``w_rho`` of each block under ``norm``, or ``None`` for the unnormalized
    ``"backward"`` transform (also ``norm=None``).

    ``"ortho"`` (alias ``"unitary"``): ``sqrt(d_rho/|G|)``, which makes ``f -> blocks`` an
    isometry (Plancherel); ``"forward"``: ``1/|G|`` (the inverse then has no ``1/|G|``). The forward
    transform multiplies block ``rho`` by ``w_rho``, the inverse divides by it first.

    Examples
    --------
    >>> import grouptools as gt
    >>> norm_weights(gt.dihedral(3), "ortho").round(4).tolist()
    [0.4082, 0.4082, 0.5774]
    >>> norm_weights(gt.dihedral(3), "forward").round(4).tolist()
    [0.1667, 0.1667, 0.1667]
    >>> norm_weights(gt.dihedral(3), "backward") is None
    True
    """
    check_choice(norm, "norm", NORMS)
    if norm is None or norm == "backward":
        return None
    dims = np.asarray(degrees(G), dtype=float)
    if norm == "forward":
        return np.full(dims.size, 1.0 / G.order)
    return np.sqrt(dims / G.order)
