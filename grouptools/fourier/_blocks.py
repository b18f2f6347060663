"""The container of group Fourier coefficients, :class:`FourierBlocks`.

A Fourier transform on ``G`` is one ``d_rho x d_rho`` matrix per irrep ``rho`` (in the order of
``G.irreps()``), possibly batched along leading axes. Internally the blocks of equal degree are
stored together as one array ``(..., R, d, d)`` (``R`` irreps of degree ``d``), which the fast
transforms fill directly and the norms process in one vectorized call; ``blocks[r]`` is a view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Sequence

import functools
from dataclasses import dataclass

import numpy as np

from .._errors import ElementError, InvalidGroupError, ParameterTypeError, quote

if TYPE_CHECKING:
    from ..groups import FiniteGroup


# -- argument checks shared by grouptools.fourier and grouptools.uncertainty ---------------------------
def check_group(G: Any) -> FiniteGroup:
    """``G`` if it is a group (a :class:`~grouptools.FiniteGroup` or an object with its
    ``order`` and ``irreps``), else :class:`~grouptools.ParameterTypeError`."""
    if not (hasattr(G, "order") and hasattr(G, "irreps")):
        raise ParameterTypeError(f"expected a FiniteGroup, got {type(G).__name__}")
    return G


def check_choice(value: Any, name: str, allowed: Sequence[Any]) -> Any:
    """``value`` if it is one of ``allowed`` (strings or None), else a named error:
    :class:`ParameterTypeError` for a non-string, :class:`InvalidGroupError` (a ParameterError)
    for an unknown string."""
    if value is not None and not isinstance(value, str):
        raise ParameterTypeError(f"{name} must be one of {tuple(allowed)}, got {quote(value)}")
    if value not in allowed:
        raise InvalidGroupError(f"{name} must be one of {tuple(allowed)}, got {quote(value)}")
    return value


def numeric_array(x: Any, what: str) -> np.ndarray:
    """``x`` as a numeric (bool, int, float or complex) array; :class:`InvalidGroupError`
    (a ParameterError) for ragged or non-numeric input."""
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):  # ragged nested sequences
        raise InvalidGroupError(f"{what} must be a regular numeric array, got {quote(x)}") from None
    if arr.dtype.kind not in "biufc":
        raise InvalidGroupError(f"{what} must be numeric, got dtype {arr.dtype}")
    return arr

__all__ = ["FourierBlocks"]


class FourierBlocks(Sequence):
    """Group Fourier coefficients: a list-like of ``(..., d, d)`` complex arrays, one per irrep.

    Parameters
    ----------
    blocks : sequence of array_like
        Block ``r`` has shape ``(..., d_r, d_r)``; all blocks share the leading (batch) shape.

    Notes
    -----
    **Flat layout.** :meth:`flatten` concatenates the blocks in irrep order, each block row-major:
    entry ``(i, j)`` of block ``r`` is at position ``offset_r + i * d_r + j`` with
    ``offset_r = sum_{s < r} d_s^2``. The vector has ``sum_r d_r^2 = |G|`` entries, and
    :func:`grouptools.fourier.fourier_matrix` is the matrix of ``f -> transform(G, f).flatten()``.

    Blocks of equal degree are stored together (``(..., R, d, d)`` arrays); indexing returns views,
    so writing into ``blocks[r]`` changes the container.

    Examples
    --------
    >>> import numpy as np
    >>> from grouptools.fourier import FourierBlocks
    >>> B = FourierBlocks([np.ones((1, 1)), 2 * np.eye(2)])
    >>> B.dims, len(B), B.batch_shape
    ((1, 2), 2, ())
    >>> B.flatten().real
    array([1., 2., 0., 0., 2.])
    >>> (B @ B)[1].real
    array([[4., 0.],
           [0., 4.]])
    """

    __slots__ = ("_dims", "_groups", "_where", "_batch")

    def __init__(self, blocks: Sequence[Any]) -> None:
        if isinstance(blocks, (str, bytes)) or not hasattr(blocks, "__iter__"):
            raise ParameterTypeError(
                f"FourierBlocks needs a sequence of square arrays, got {type(blocks).__name__}"
            )
        arrs = [numeric_array(b, "a Fourier block") for b in blocks]
        if not arrs:
            raise InvalidGroupError("FourierBlocks needs at least one block")
        batch = arrs[0].shape[:-2]
        dims = []
        for a in arrs:
            if a.ndim < 2 or a.shape[-1] != a.shape[-2] or a.shape[:-2] != batch:
                raise InvalidGroupError(
                    f"blocks must be square with a common batch shape {batch}, got {a.shape}"
                )
            dims.append(int(a.shape[-1]))
        groups = []
        for d in sorted(set(dims)):
            idx = np.array([r for r, e in enumerate(dims) if e == d], dtype=np.int64)
            data = np.stack([arrs[r] for r in idx], axis=-3).astype(np.complex128, copy=False)
            groups.append((idx, data))
        self._set(tuple(dims), groups, batch)

    # -- construction ---------------------------------------------------------------------------
    def _set(self, dims: tuple[int, ...], groups: list, batch: tuple[int, ...]) -> None:
        self._dims = dims
        self._groups = groups
        self._batch = tuple(batch)
        self._where = None  # (group, position) of each irrep: built on first indexing

    def _locate(self, r: int) -> tuple[int, int]:
        if self._where is None:
            g_of = np.zeros(len(self._dims), np.int64)
            p_of = np.zeros(len(self._dims), np.int64)
            for g, (idx, _) in enumerate(self._groups):
                g_of[idx] = g
                p_of[idx] = np.arange(len(idx))
            self._where = (g_of, p_of)
        return int(self._where[0][r]), int(self._where[1][r])

    @classmethod
    def from_groups(
        cls, dims: Sequence[int], groups: list[tuple[np.ndarray, np.ndarray]]
    ) -> FourierBlocks:
        """Build from the blocks stored by degree, without copying (the inverse of :meth:`grouped`).

        Parameters
        ----------
        dims : sequence of int
            The degree of every irrep, in irrep order.
        groups : list of (ndarray, ndarray)
            Per degree ``d``: the indices of the irreps of degree ``d`` and a complex array
            ``(..., R, d, d)`` of their blocks; all arrays share the batch shape.

        Examples
        --------
        >>> import numpy as np
        >>> from grouptools.fourier import FourierBlocks
        >>> B = FourierBlocks([np.ones((1, 1)), 2 * np.eye(2)])
        >>> FourierBlocks.from_groups(B.dims, B.grouped()).allclose(B)
        True
        """
        out = cls.__new__(cls)
        batch = groups[0][1].shape[:-3]
        if not (isinstance(dims, tuple) and all(type(d) is int for d in dims[:8])):
            dims = tuple(int(d) for d in dims)
        out._set(dims, list(groups), batch)
        return out

    @classmethod
    def from_flat(cls, G: FiniteGroup | Sequence[int], vec: Any, *, copy: bool = True) -> FourierBlocks:
        """Inverse of :meth:`flatten`.

        Parameters
        ----------
        G : FiniteGroup or sequence of int
            The group (its ``irreps()`` give the degrees) or the degrees themselves.
        vec : array_like, shape (..., sum d^2)
        copy : bool
            ``False``: the blocks may be views of ``vec`` (when it is complex128 and the blocks of
            each degree are contiguous), for callers that own a freshly computed ``vec``.

        Examples
        --------
        >>> import numpy as np
        >>> from grouptools.fourier import FourierBlocks
        >>> FourierBlocks.from_flat([1, 2], np.arange(5.0))[1].real
        array([[1., 2.],
               [3., 4.]])
        """
        if type(G) is tuple and all(type(d) is int for d in G):
            dims = G  # the degrees as the methods pass them (checked when they were built)
        else:
            dims = tuple(int(d) for d in (G if _is_int_sequence(G) else (r.dim for r in check_group(G).irreps())))
        if not dims or min(dims) < 1:
            raise InvalidGroupError(
                f"degrees must be a non-empty sequence of positive integers, got {quote(dims)}"
            )
        v = vec if type(vec) is np.ndarray and vec.dtype == np.complex128 else numeric_array(vec, "a flat Fourier vector")
        layout = _flat_layout(dims)
        if v.ndim < 1 or v.shape[-1] != layout.total:
            raise InvalidGroupError(f"a flat Fourier vector needs {layout.total} entries, got shape {v.shape}")
        batch = v.shape[:-1]
        groups = []
        for d, idx, columns in layout.parts:
            part = v[..., columns] if isinstance(columns, np.ndarray) else v[..., columns[0] : columns[1]]
            groups.append((idx, part.reshape(batch + (idx.size, d, d)).astype(np.complex128, copy=copy)))
        return cls.from_groups(dims, groups)

    # -- sequence protocol ----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._dims)

    def __getitem__(self, r: Any) -> Any:
        if isinstance(r, slice):
            return [self[i] for i in range(*r.indices(len(self)))]
        if isinstance(r, (bool, np.bool_)) or not isinstance(r, (int, np.integer)):
            raise ParameterTypeError(f"a block index must be an int or a slice, got {quote(r)}")
        r = int(r)
        if r < 0:
            r += len(self)
        if not 0 <= r < len(self):
            raise ElementError(f"block index {r} out of range for {len(self)} irreps")
        g, p = self._locate(r)
        return self._groups[g][1][..., p, :, :]

    def __iter__(self) -> Iterator[np.ndarray]:
        for r in range(len(self)):
            yield self[r]

    def __repr__(self) -> str:
        return f"<FourierBlocks: {len(self)} blocks of degrees {_summarize(self._dims)}, batch {self._batch}>"

    # -- metadata -------------------------------------------------------------------------------
    @property
    def dims(self) -> tuple[int, ...]:
        """Degrees ``d_rho`` of the blocks, in irrep order."""
        return self._dims

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """The leading (batch) shape shared by all blocks."""
        return self._batch

    @property
    def order(self) -> int:
        """``sum d_rho^2``, the order of the group."""
        return sum(d * d for d in self._dims)

    def grouped(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The blocks stored by degree: a list of ``(irrep indices, array (..., R, d, d))``.

        Examples
        --------
        >>> import numpy as np
        >>> from grouptools.fourier import FourierBlocks
        >>> [(idx.tolist(), a.shape) for idx, a in FourierBlocks([np.eye(2), np.ones((1, 1))]).grouped()]
        [([1], (1, 1, 1)), ([0], (1, 2, 2))]
        """
        return list(self._groups)

    def flatten(self) -> np.ndarray:
        """Concatenate the blocks (row-major each) into a ``(..., |G|)`` complex vector."""
        offsets = np.concatenate([[0], np.cumsum([d * d for d in self._dims])])
        out = np.empty(self._batch + (int(offsets[-1]),), dtype=np.complex128)
        for idx, data in self._groups:
            d = data.shape[-1]
            flat = data.reshape(self._batch + (idx.size * d * d,))
            if idx[-1] - idx[0] == idx.size - 1:  # a run of consecutive irreps: one slice
                out[..., offsets[idx[0]] : offsets[idx[-1] + 1]] = flat
            else:
                cols = (offsets[idx][:, None] + np.arange(d * d)[None, :]).ravel()
                out[..., cols] = flat
        return out

    def to_list(self) -> list[np.ndarray]:
        """The blocks as a list of arrays (views)."""
        return list(self)

    def copy(self) -> FourierBlocks:
        """A deep copy."""
        return FourierBlocks.from_groups(self._dims, [(i, a.copy()) for i, a in self._groups])

    # -- arithmetic -----------------------------------------------------------------------------
    def _map(self, fn: Any) -> FourierBlocks:
        return FourierBlocks.from_groups(self._dims, [(i, fn(a)) for i, a in self._groups])

    def _zip(self, other: FourierBlocks, fn: Any) -> FourierBlocks:
        if not isinstance(other, FourierBlocks) or other._dims != self._dims:
            raise InvalidGroupError("FourierBlocks of different groups (degrees) cannot be combined")
        return FourierBlocks.from_groups(
            self._dims, [(i, fn(a, b)) for (i, a), (_, b) in zip(self._groups, other._groups)]
        )

    def conj_transpose(self) -> FourierBlocks:
        """Blockwise conjugate transpose ``rho -> f_hat(rho)^H``."""
        return self._map(lambda a: np.conj(np.swapaxes(a, -1, -2)))

    @property
    def H(self) -> FourierBlocks:  # noqa: N802 - numpy's name for the conjugate transpose
        """Blockwise conjugate transpose (same as :meth:`conj_transpose`)."""
        return self.conj_transpose()

    def conj(self) -> FourierBlocks:
        """Blockwise complex conjugate."""
        return self._map(np.conj)

    def matmul(self, other: FourierBlocks) -> FourierBlocks:
        """Blockwise matrix product ``f_hat(rho) @ g_hat(rho)`` (batch shapes broadcast)."""
        return self._zip(other, np.matmul)

    __matmul__ = matmul

    def __add__(self, other: FourierBlocks) -> FourierBlocks:
        return self._zip(other, np.add)

    def __sub__(self, other: FourierBlocks) -> FourierBlocks:
        return self._zip(other, np.subtract)

    def __neg__(self) -> FourierBlocks:
        return self._map(np.negative)

    def __mul__(self, c: Any) -> FourierBlocks:
        if isinstance(c, FourierBlocks):
            raise InvalidGroupError("use @ for the blockwise matrix product of FourierBlocks")
        c = np.asarray(c) if isinstance(c, np.ndarray) or np.isscalar(c) else numeric_array(c, "a factor")
        if c.dtype.kind not in "biufc":
            raise ParameterTypeError(f"FourierBlocks can be multiplied by numbers only, got {quote(c)}")
        if c.ndim:  # per-batch scalars: broadcast over (R, d, d)
            return self._map(lambda a: a * c[..., None, None, None])
        return self._map(lambda a: a * c)

    __rmul__ = __mul__

    def scaled(self, weights: Sequence[float]) -> FourierBlocks:
        """Multiply block ``r`` by ``weights[r]``."""
        w = numeric_array(weights, "weights")
        if w.dtype.kind == "c":
            raise InvalidGroupError("weights must be real")
        w = w.astype(float)
        if w.shape != (len(self),):
            raise InvalidGroupError(f"need one weight per block ({len(self)}), got shape {w.shape}")
        return FourierBlocks.from_groups(
            self._dims, [(i, a * w[i][:, None, None]) for i, a in self._groups]
        )

    def allclose(self, other: FourierBlocks, rtol: float = 1e-10, atol: float = 1e-12) -> bool:
        """Whether all blocks agree to ``rtol``, ``atol`` (``numpy.allclose``)."""
        if not isinstance(other, FourierBlocks) or other._dims != self._dims:
            return False
        return all(np.allclose(a, b, rtol=rtol, atol=atol) for (_, a), (_, b) in zip(self._groups, other._groups))


@dataclass(frozen=True)
class _FlatLayout:
    total: int
    parts: tuple  # per degree d: (d, irrep indices, (start, stop) or column indices)


@functools.lru_cache(maxsize=256)
def _flat_layout(dims: tuple[int, ...]) -> _FlatLayout:
    """Where the blocks of each degree sit in a flat vector (cached per tuple of degrees)."""
    offsets = np.concatenate([[0], np.cumsum([d * d for d in dims])]).astype(np.int64)
    parts = []
    for d in sorted(set(dims)):
        idx = np.array([r for r, e in enumerate(dims) if e == d], dtype=np.int64)
        idx.setflags(write=False)
        if idx[-1] - idx[0] == idx.size - 1:
            columns: tuple[int, int] | np.ndarray = (int(offsets[idx[0]]), int(offsets[idx[-1] + 1]))
        else:
            columns = (offsets[idx][:, None] + np.arange(d * d)[None, :]).ravel()
            columns.setflags(write=False)
        parts.append((d, idx, columns))
    return _FlatLayout(int(offsets[-1]), tuple(parts))


def _is_int_sequence(x: Any) -> bool:
    if isinstance(x, (list, tuple, np.ndarray)):
        return all(isinstance(v, (int, np.integer)) for v in x)
    return False


def _summarize(dims: Sequence[int]) -> str:
    counts: dict[int, int] = {}
    for d in dims:
        counts[d] = counts.get(d, 0) + 1
    return " + ".join(f"{c} x {d}" for d, c in sorted(counts.items()))
