r"""Real orthonormal coordinates of band-limited real functions, organized in Fourier blocks.

A :class:`BlockSpace` describes the real vector space of real band-limited functions on SO(2),
O(2), SO(3) (or S^2) through their Fourier blocks ``F_k``. Coordinates are chosen so that the
Euclidean inner product is the ``L^2`` inner product (Plancherel):

    ``<x, y> = sum_k w_k Re tr(F_k(x)^H F_k(y)) = int f_x f_y``

where ``w_k`` is the Plancherel weight of block ``k``:

==========  ===============================================  ===========  ========================
space       blocks ``F_k``                                   shape        weight ``w_k``
==========  ===============================================  ===========  ========================
``so3``     real blocks ``P f_hat(l) P^H``, ``l < B``          2l+1 square  ``2l + 1``
``o2``      trivial, det, ``rho_k`` (``k < B``), real          1, 1, 2      ``d_rho``
``so2``     ``c_0`` (real), ``c_k`` for ``1 <= k < B``         1 x 1        1, then 2 (pair k, -k)
``s2``      real harmonic coefficients ``f_real_l``            (2l+1) x 1   1 (area measure)
==========  ===============================================  ===========  ========================

A real block contributes ``sqrt(w) vec(F)`` (C order) to the coordinates; a *pair* block (a complex
irrep together with its conjugate, as ``chi_k, chi_-k`` of SO(2), whose coefficients of a real
function are conjugate) contributes ``sqrt(w) (Re vec F, Im vec F)``. The predicted implicit bias of
a depth-L G-CNN is ``sum_k w_k ||F_k||_{S, 2/L}^{2/L}``, which for a pair block counts ``chi_k`` and
``chi_-k`` once each (``docs/theory.md``; the unnormalized finite-group sum becomes a sum
with the Haar probability measure).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .._errors import InvalidGroupError, quote
from ._quadrature import check_bandlimit

__all__ = ["BlockSpace", "BlockSpec", "so3_space", "so2_space", "o2_space", "s2_space", "block_space"]


@dataclass(frozen=True)
class BlockSpec:
    """One Fourier block: shape ``(rows, cols)``, Plancherel weight, pair flag and a label."""

    rows: int
    cols: int
    weight: float
    pair: bool
    label: str

    @property
    def size(self) -> int:
        """Number of real coordinates of the block."""
        return self.rows * self.cols * (2 if self.pair else 1)


class BlockSpace:
    """Coordinates of real band-limited functions by Fourier blocks (module docstring).

    Attributes
    ----------
    name : str
        ``"so3"``, ``"so2"``, ``"o2"`` or ``"s2"``.
    bandlimit : int
    specs : tuple of BlockSpec
    dim : int
        Number of real coordinates (the real dimension of the space).
    offsets : numpy.ndarray
        Start of every block in the coordinate vector (length ``n_blocks + 1``).

    Examples
    --------
    >>> S = so3_space(3)
    >>> S.dim, [b.shape for b in S.to_blocks(np.arange(S.dim, dtype=float))]
    (35, [(1, 1), (3, 3), (5, 5)])
    """

    def __init__(self, name: str, bandlimit: int, specs: Sequence[BlockSpec]) -> None:
        self.name = name
        self.bandlimit = int(bandlimit)
        self.specs = tuple(specs)
        self.offsets = np.concatenate([[0], np.cumsum([s.size for s in self.specs])]).astype(int)
        self.dim = int(self.offsets[-1])

    def __repr__(self) -> str:
        return f"BlockSpace({self.name!r}, bandlimit={self.bandlimit}, dim={self.dim})"

    @property
    def n_blocks(self) -> int:
        return len(self.specs)

    @property
    def weights(self) -> np.ndarray:
        """Plancherel weights ``w_k``."""
        return np.array([s.weight for s in self.specs])

    @property
    def square(self) -> bool:
        """Whether every block is square (a group, not the sphere)."""
        return all(s.rows == s.cols for s in self.specs)

    def _check(self, x: Any) -> np.ndarray:
        a = np.asarray(x, dtype=float)
        if a.ndim < 1 or a.shape[-1] != self.dim:
            raise InvalidGroupError(f"coordinates must end with dimension {self.dim}, got shape {a.shape}")
        return a

    def to_blocks(self, x: Any) -> list[np.ndarray]:
        """Blocks ``F_k`` of coordinates ``x`` (shape ``(..., dim)``): real arrays, complex for pairs."""
        x = self._check(x)
        lead = x.shape[:-1]
        out = []
        for s, a, b in zip(self.specs, self.offsets[:-1], self.offsets[1:]):
            v = x[..., a:b] / np.sqrt(s.weight)
            n = s.rows * s.cols
            if s.pair:
                out.append((v[..., :n] + 1j * v[..., n:]).reshape(lead + (s.rows, s.cols)))
            else:
                out.append(v.reshape(lead + (s.rows, s.cols)))
        return out

    def from_blocks(self, blocks: Sequence[Any]) -> np.ndarray:
        """Coordinates of blocks (inverse of :meth:`to_blocks`); imaginary parts of real blocks are dropped.

        This is also the adjoint of :meth:`to_blocks` for the weighted inner product
        ``sum_k w_k Re tr(A_k^H B_k)``, so a block gradient maps to the coordinate gradient.
        """
        if len(blocks) != self.n_blocks:
            raise InvalidGroupError(f"expected {self.n_blocks} blocks, got {len(blocks)}")
        parts = []
        lead = None
        for s, F in zip(self.specs, blocks):
            F = np.asarray(F)
            if F.shape[-2:] != (s.rows, s.cols):
                raise InvalidGroupError(f"block {s.label} must end with shape ({s.rows}, {s.cols}), got {F.shape}")
            lead = F.shape[:-2] if lead is None else np.broadcast_shapes(lead, F.shape[:-2])
        for s, F in zip(self.specs, blocks):
            F = np.broadcast_to(np.asarray(F), lead + (s.rows, s.cols)).reshape(lead + (-1,)) * np.sqrt(s.weight)
            if s.pair:
                parts.extend([F.real, F.imag])
            else:
                parts.append(F.real)
        return np.concatenate([np.asarray(p, dtype=float) for p in parts], axis=-1)

    def schatten_terms(self, x: Any, p: float) -> np.ndarray:
        """Per block ``sum_i s_i(F_k)^p`` (``p > 0``), shape ``(..., n_blocks)``.

        Examples
        --------
        >>> S = so2_space(2)
        >>> S.schatten_terms(S.from_blocks([np.array([[3.0]]), np.array([[4j]])]), 1.0)
        array([3., 4.])
        """
        if not p > 0:
            raise InvalidGroupError(f"p must be > 0, got {quote(p)}")
        out = []
        for F in self.to_blocks(x):
            s = np.linalg.svd(F, compute_uv=False)
            out.append(np.sum(np.where(s > 0, s, 0.0) ** p, axis=-1))
        return np.stack(out, axis=-1)

    def fourier_matrices(self, scale: float = 1.0) -> list[np.ndarray]:
        """The linear map ``x -> blocks`` as "irrep matrices": ``F_k(x) = sum_j x_j M_k[j]``, scaled.

        Returns one array ``(dim, rows, cols)`` per block, and two (``M`` and ``conj(M)``) per pair
        block, so that ``sum_k (rows_k) ||scale F_k||_F^2 = scale^2 ||x||^2`` for the group spaces
        (each block weight equals its size, pairs split into two blocks of weight ``w/2``). With
        ``scale = sqrt(dim)`` this is the format of ``training.bias.operator_from_irreps``
        (Plancherel constant ``|G| = dim``).
        """
        eye = np.eye(self.dim)
        out = []
        for k, F in enumerate(self.to_blocks(eye)):
            F = np.asarray(F) * scale
            if self.specs[k].pair:
                out.extend([F.astype(complex), np.conj(F).astype(complex)])
            else:
                out.append(F.astype(complex))
        return out


def so3_space(B: int) -> BlockSpace:
    """Real band-limited functions on SO(3): real blocks of degrees ``l < B`` (``dim = B(4B^2 - 1)/3``).

    Examples
    --------
    >>> so3_space(4).dim
    84
    """
    B = check_bandlimit(B)
    return BlockSpace("so3", B, [BlockSpec(2 * l + 1, 2 * l + 1, 2 * l + 1.0, False, f"l={l}") for l in range(B)])


def so2_space(B: int) -> BlockSpace:
    """Real band-limited functions on SO(2): ``c_0`` and the pairs ``c_k`` (``dim = 2B - 1``).

    Examples
    --------
    >>> so2_space(3).dim, [s.weight for s in so2_space(3).specs]
    (5, [1.0, 2.0, 2.0])
    """
    B = check_bandlimit(B)
    specs = [BlockSpec(1, 1, 1.0, False, "k=0")] + [BlockSpec(1, 1, 2.0, True, f"k=+-{k}") for k in range(1, B)]
    return BlockSpace("so2", B, specs)


def o2_space(B: int) -> BlockSpace:
    """Real band-limited functions on O(2): trivial, det, ``rho_1..rho_{B-1}`` (``dim = 4B - 2``).

    Examples
    --------
    >>> o2_space(3).dim
    10
    """
    B = check_bandlimit(B)
    specs = [BlockSpec(1, 1, 1.0, False, "trivial"), BlockSpec(1, 1, 1.0, False, "det")]
    specs += [BlockSpec(2, 2, 2.0, False, f"rho_{k}") for k in range(1, B)]
    return BlockSpace("o2", B, specs)


def s2_space(B: int) -> BlockSpace:
    """Real band-limited functions on S^2 by real harmonic coefficients (``dim = B^2``).

    Examples
    --------
    >>> s2_space(4).dim
    16
    """
    B = check_bandlimit(B)
    return BlockSpace("s2", B, [BlockSpec(2 * l + 1, 1, 1.0, False, f"l={l}") for l in range(B)])


def block_space(name: str | BlockSpace, B: int | None = None) -> BlockSpace:
    """A space by name (``"so3"``, ``"so2"``, ``"o2"``, ``"s2"``) and band limit, or the space itself.

    Examples
    --------
    >>> block_space("o2", 2)
    BlockSpace('o2', bandlimit=2, dim=6)
    """
    if isinstance(name, BlockSpace):
        return name
    makers = {"so3": so3_space, "so2": so2_space, "o2": o2_space, "s2": s2_space}
    if name not in makers:
        raise InvalidGroupError(f"space must be one of {sorted(makers)}, got {quote(name)}")
    if B is None:
        raise InvalidGroupError("a band limit B is needed")
    return makers[name](B)
