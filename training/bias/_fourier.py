"""Fourier operators: the real-linear maps ``beta -> (blocks)`` behind every implicit-bias regularizer.

Every regularizer of :mod:`training.bias` has the form (``docs/theory.md``, "The three results";
Lawrence, Georgiev, Dienes, Kiani, "Implicit bias of linear equivariant networks", ICML 2022)

    ``R(beta) = sum_k w_k sum_i s_i(M_k)^p``,   ``M_k = (A beta)_k``,

a weighted sum of ``p``-th powers of the singular values of square complex blocks ``M_k`` that depend
real-linearly on ``beta``. A :class:`FourierOperator` stores ``A`` and the weights ``w_k``:

============  ==========================  ==========  ==================================
operator      blocks                      weights     constant ``c``
============  ==========================  ==========  ==================================
identity      ``beta_j`` (1 x 1, real)    1           1
DFT           ``numpy.fft.fft(beta)_j``   1           ``D``
group         ``beta_hat(rho)`` (d x d)   ``d_rho``   ``|G|``
============  ==========================  ==========  ==================================

with the group Fourier transform ``beta_hat(rho) = sum_g beta(g) rho(g)`` (unnormalized, unitary
irreps). In each case Plancherel's identity reads ``c ||beta||^2 = sum_k w_k ||M_k||_F^2``, i.e.
``A^T W A = c I`` where ``A^T`` is the adjoint for the real inner product ``<M, N> = Re tr(M^H N)``
and ``W`` multiplies block ``k`` by ``w_k``. The adjoint of one group block is

    ``A_rho^T(M)(g) = Re tr(rho(g)^H M) = Re sum_ij conj(rho(g)_ij) M_ij``,

because ``<A_rho beta, M> = Re tr((sum_g beta(g) rho(g))^H M) = sum_g beta(g) Re tr(rho(g)^H M)``
for real ``beta``.

The numpy DFT is the group transform of the cyclic group with the characters
``chi_j(g) = exp(-2 pi i j g / D)``; with the conjugate characters ``exp(+2 pi i j g / D)`` the blocks
are complex conjugates, so every singular-value functional agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence, Union

import numpy as np

from .._checks import as_real
from .._errors import ParameterTypeError, ShapeError

if TYPE_CHECKING:
    from grouptools import FiniteGroup

__all__ = ["BlockBatch", "FourierOperator", "GroupLike", "dft_operator", "fourier_operator", "identity_operator", "operator_from_irreps"]


GroupLike = Union["FiniteGroup", "FourierOperator", Sequence[Any]]
"""What :func:`fourier_operator` accepts: a FiniteGroup, an operator, or the list of irrep matrices."""


@dataclass(frozen=True)
class BlockBatch:
    """All blocks of one size ``d`` of a :class:`FourierOperator`: ``k`` blocks with weights
    ``weights`` (shape ``(k,)``); :attr:`FourierOperator.batches` lists them by increasing ``d``.

    For a group operator ``re`` and ``im`` are the real matrices ``(n, k*d*d)`` of the real and
    imaginary parts of the irrep entries (column ``j*d*d + a*d + b`` holds ``rho_j(g)[a, b]`` for all
    ``g``), so that blocks are BLAS products; they are ``None`` for the identity and DFT operators.
    ``real`` is True if every block of a real vector is real (then imaginary parts are dropped when
    blocks are flattened, and ``im`` is ``None``). ``indices`` are the positions of these blocks in
    the original (irreps) order.
    """

    d: int
    weights: np.ndarray
    real: bool
    indices: np.ndarray
    re: np.ndarray | None = None
    im: np.ndarray | None = None


class FourierOperator:
    """A real-linear map from ``R^n`` to a list of square complex blocks, with block weights.

    Build one with :func:`fourier_operator` (group, from ``G.irreps()`` or a list of irrep matrices),
    :func:`dft_operator` or :func:`identity_operator`; the module docstring gives the conventions.

    Attributes
    ----------
    n : int
        Dimension of the real vectors ``beta``.
    c : float
        Plancherel constant: ``c ||beta||^2 = sum_k w_k ||M_k||_F^2``.
    kind : str
        ``"identity"``, ``"dft"`` or ``"group"``.
    dims : numpy.ndarray
        Block sizes ``d_k`` in the original (irreps) order.
    weights : numpy.ndarray
        Block weights ``w_k`` in the original order (``d_rho`` for a group, 1 otherwise).

    Examples
    --------
    >>> import numpy as np
    >>> chars = [np.exp(2j * np.pi * k * np.arange(3) / 3).reshape(3, 1, 1) for k in range(3)]
    >>> op = fourier_operator(chars)
    >>> [b.shape for b in op.blocks(np.array([1.0, 0.0, 0.0]))]
    [(1, 1), (1, 1), (1, 1)]
    """

    def __init__(self, n: int, c: float, kind: str, batches: Sequence[BlockBatch]) -> None:
        self.n = int(n)
        self.c = float(c)
        self.kind = kind
        self._batches = tuple(batches)
        nblocks = sum(g.weights.size for g in self._batches)
        dims = np.empty(nblocks, dtype=int)
        weights = np.empty(nblocks)
        for g in self._batches:
            dims[g.indices] = g.d
            weights[g.indices] = g.weights
        self.dims = dims
        self.weights = weights

    # -- batched interface (the solvers of training.bias) ----------------------------------------------
    @property
    def batches(self) -> tuple[BlockBatch, ...]:
        """The blocks batched by size (increasing ``d``): the layout of :meth:`forward` and :meth:`adjoint`."""
        return self._batches

    def forward(self, B: np.ndarray) -> list[np.ndarray]:
        """Blocks of the rows of ``B`` (shape ``(..., n)``), grouped by size: ``(..., k, d, d)`` each."""
        B = np.asarray(B, dtype=float)
        if self.kind == "identity":
            return [B[..., :, None, None].astype(complex)]
        if self.kind == "dft":
            return [np.fft.fft(B, axis=-1)[..., :, None, None]]
        out = []
        for g in self._batches:
            shape = B.shape[:-1] + (g.weights.size, g.d, g.d)
            M = (B @ g.re).astype(complex)
            if not g.real:
                M += 1j * (B @ g.im)
            out.append(M.reshape(shape))
        return out

    def adjoint(self, blocks: Sequence[np.ndarray]) -> np.ndarray:
        """Adjoint of :meth:`forward` for the real inner product ``sum Re tr(M^H N)``."""
        if self.kind == "identity":
            return np.real(blocks[0][..., 0, 0]).copy()
        if self.kind == "dft":
            C = blocks[0][..., 0, 0]
            return np.real(self.n * np.fft.ifft(C, axis=-1))
        lead = np.shape(blocks[0])[:-3]
        out = np.zeros(lead + (self.n,))
        for g, M in zip(self._batches, blocks):
            M = np.asarray(M)
            # contiguous copies: matmul uses BLAS only for contiguous operands (M.real is strided)
            out += np.ascontiguousarray(M.real).reshape(lead + (-1,)) @ g.re.T
            if not g.real:
                out += np.ascontiguousarray(M.imag).reshape(lead + (-1,)) @ g.im.T
        return out

    def inverse(self, blocks: Sequence[np.ndarray]) -> np.ndarray:
        """Left inverse ``(1/c) A^T W``: the real vector whose blocks are (the projection of) ``blocks``."""
        return self.adjoint([g.weights[:, None, None] * M for g, M in zip(self._batches, blocks)]) / self.c

    # -- public per-block interface -----------------------------------------------------------------
    def blocks(self, beta: np.ndarray) -> list[np.ndarray]:
        """The blocks of one vector ``beta`` in the original (irreps) order, each ``(d, d)`` complex."""
        beta = as_real("beta", beta)
        if beta.shape != (self.n,):
            raise ShapeError(f"beta must have shape ({self.n},), got {beta.shape}")
        out: list[np.ndarray] = [np.empty((0, 0))] * int(self.dims.size)
        for g, M in zip(self._batches, self.forward(beta)):
            for j, idx in enumerate(g.indices):
                out[int(idx)] = M[j]
        return out

    def singular_values(self, beta: np.ndarray) -> list[np.ndarray]:
        """Singular values of every block (original order), each a descending array of length ``d``."""
        return [np.linalg.svd(M, compute_uv=False) for M in self.blocks(beta)]


def identity_operator(n: int) -> FourierOperator:
    """The identity on ``R^n`` as ``n`` real 1 x 1 blocks of weight 1 (``c = 1``).

    Examples
    --------
    >>> identity_operator(3).c
    1.0
    """
    return FourierOperator(n, 1.0, "identity", [BlockBatch(1, np.ones(n), True, np.arange(n))])


def dft_operator(n: int) -> FourierOperator:
    """The unnormalized numpy DFT ``beta -> numpy.fft.fft(beta)`` as ``n`` complex 1 x 1 blocks (``c = n``).

    Examples
    --------
    >>> import numpy as np
    >>> op = dft_operator(4)
    >>> bool(np.allclose(op.blocks(np.arange(4.0))[1][0, 0], np.fft.fft(np.arange(4.0))[1]))
    True
    """
    return FourierOperator(n, float(n), "dft", [BlockBatch(1, np.ones(n), False, np.arange(n))])


def operator_from_irreps(matrices_list: Sequence[Any], *, check: bool = True) -> FourierOperator:
    """The group Fourier operator from a complete list of unitary irreps, given by their matrices.

    Parameters
    ----------
    matrices_list : sequence of array_like
        One complex array ``(|G|, d, d)`` per irrep, ``matrices[g] = rho(g)`` in element order.
    check : bool
        Verify completeness (``sum d^2 = |G|``), unitarity and Plancherel's identity on the identity
        matrix (cost ``O(|G|^2)``).

    Returns
    -------
    FourierOperator
        Blocks ``beta_hat(rho) = sum_g beta(g) rho(g)`` with weights ``d_rho``, ``c = |G|``.

    Raises
    ------
    ShapeError
        Inconsistent shapes, non-unitary matrices, or an incomplete set of irreps.

    Examples
    --------
    >>> import numpy as np
    >>> sign = np.array([1, -1], dtype=complex).reshape(2, 1, 1)
    >>> op = operator_from_irreps([np.ones((2, 1, 1)), sign])
    >>> op.c, [float(M[0, 0].real) for M in op.blocks(np.array([2.0, 1.0]))]
    (2.0, [3.0, 1.0])
    """
    mats = [np.asarray(m, dtype=complex) for m in matrices_list]
    if not mats:
        raise ShapeError("need at least one irrep")
    n = mats[0].shape[0]
    for m in mats:
        if m.ndim != 3 or m.shape[0] != n or m.shape[1] != m.shape[2] or m.shape[1] < 1:
            raise ShapeError(f"irrep matrices must have shape (|G|, d, d) with |G| = {n}, got {m.shape}")
    dims = np.array([m.shape[1] for m in mats])
    if check:
        if int(np.sum(dims**2)) != n:
            raise ShapeError(f"irreps are incomplete: sum d^2 = {int(np.sum(dims ** 2))} but |G| = {n}")
        for m in mats:
            eye = np.eye(m.shape[1])
            if not np.allclose(np.einsum("gji,gjk->gik", np.conj(m), m), eye, atol=1e-8):
                raise ShapeError("irrep matrices must be unitary")
    batches = []
    for d in sorted(set(int(x) for x in dims)):
        idx = np.flatnonzero(dims == d)
        stack = np.stack([mats[i] for i in idx])  # (k, n, d, d)
        real = bool(np.allclose(stack.imag, 0.0, atol=1e-13))
        flat = np.moveaxis(stack, 1, 0).reshape(n, -1)  # column k*d*d + i*d + j: entry (i, j) of block k
        re = np.ascontiguousarray(flat.real)
        im = None if real else np.ascontiguousarray(flat.imag)
        batches.append(BlockBatch(d, dims[idx].astype(float), real, idx, re, im))
    op = FourierOperator(n, float(n), "group", batches)
    if check:
        eye = np.eye(n)
        if not np.allclose(op.inverse(op.forward(eye)), eye, atol=1e-8):
            raise ShapeError("irreps fail Plancherel's identity: are they pairwise inequivalent?")
    return op


MEMO_KEY = "training.fourier_operator"
"""Key of the operator in the memo of a :class:`grouptools.FiniteGroup` (``G.memo``)."""


def _group_operator(G: FiniteGroup) -> FourierOperator:
    """The operator of a FiniteGroup from its Fourier matrix (:func:`grouptools.fourier.fourier_matrix`).

    Row ``offset_r + i d_r + j`` of the matrix is ``g -> rho_r(g)[i, j]``, so its rows
    ``offset_r .. offset_r + d_r^2`` are the matrices of ``rho_r`` in element order.
    """
    from grouptools.fourier import fourier_matrix

    F = fourier_matrix(G, max_order=max(int(G.order), 1))
    n = F.shape[1]
    mats, start = [], 0
    for rho in G.irreps():
        d = int(rho.dim)
        mats.append(F[start : start + d * d].T.reshape(n, d, d))
        start += d * d
    return operator_from_irreps(mats)


def fourier_operator(group: GroupLike) -> FourierOperator:
    """The group Fourier operator of ``group`` (``beta -> [beta_hat(rho)]``, weights ``d_rho``).

    Parameters
    ----------
    group : FiniteGroup, FourierOperator or sequence of array_like
        A group with ``irreps()`` (each irrep with ``.matrices`` of shape ``(|G|, d, d)``, unitary,
        element order; e.g. ``grouptools.dihedral(4)``), an operator (returned unchanged), or the
        list of irrep matrices itself. The operator of a :class:`grouptools.FiniteGroup` is built
        from :func:`grouptools.fourier.fourier_matrix` and kept in the group's memo
        (``G.memo("training.fourier_operator")``), so it lives as long as the group.

    Returns
    -------
    FourierOperator

    Raises
    ------
    ParameterTypeError
        ``group`` is none of the accepted types.
    ShapeError
        The irreps are inconsistent (see :func:`operator_from_irreps`).

    Examples
    --------
    >>> import numpy as np
    >>> chars = [np.exp(2j * np.pi * k * np.arange(4) / 4).reshape(4, 1, 1) for k in range(4)]
    >>> fourier_operator(chars).weights
    array([1., 1., 1., 1.])
    """
    if isinstance(group, FourierOperator):
        return group
    from grouptools import FiniteGroup

    if isinstance(group, FiniteGroup):
        return group.memo(MEMO_KEY, lambda: _group_operator(group))
    if hasattr(group, "irreps"):
        return operator_from_irreps([np.asarray(r.matrices) for r in group.irreps()])
    if isinstance(group, (list, tuple)):
        return operator_from_irreps(group)
    raise ParameterTypeError(
        f"group must have irreps(), be a FourierOperator or a list of irrep matrices, got {type(group).__name__}"
    )
