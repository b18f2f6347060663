r"""Band-limited linear G-CNNs over the compact groups SO(2), O(2), SO(3).

Inputs are real band-limited functions on the group, given by their real orthonormal coordinates
(:class:`grouptools.compact.BlockSpace`: ``<x, x'> = int f_x f_x' dg`` with the normalized Haar
measure). A depth-L network has L - 1 full-width G-correlation layers with band-limited real filters
``w_1..w_{L-1}`` and a dense last layer ``v``:

    ``h_0 = x``,  ``h_l = h_{l-1} star w_l``,  ``(x star w)(g) = int w(u) x(g u) du``,  ``f(x) = <h_{L-1}, v>``

(the G-correlation of Cohen & Welling, "Group equivariant convolutional networks", ICML 2016, with
the sum over G replaced by the Haar integral; it commutes with left translations
``(L_k x)(g) = x(k^{-1} g)``). Per Fourier block (degree ``l`` of SO(3), irrep of O(2), frequency
pair of SO(2)), with ``f_hat(rho) = int f(g) rho(g) dg``, a layer is ``H_l = H_{l-1} W_l^H``
(``docs/theory.md``), so the linearization has the blocks

    ``beta_hat_k = V_k W_{L-1,k} ... W_2k W_1k``

(the compact analogue of ``GCNN``: blocks of dimension ``2l + 1`` replace the irreps). With the
Plancherel weights ``w_k`` of the space (``2l+1`` for SO(3), ``d_rho`` for O(2), 1 for ``c_0`` and 2
for each pair ``(c_k, c_-k)`` of SO(2)), the parameter norm is ``sum_l ||w_l||^2 = sum_l sum_k w_k
||W_lk||_F^2`` and

    ``min { sum_l ||w_l||^2 : beta(w) = beta } = L * sum_k w_k ||beta_hat_k||_{S,2/L}^{2/L}``

(per block: the variational form of the Schatten quasi-norm, as in Lawrence et al. 2022; the minimum
is attained by the balanced factorization, :func:`balanced_params`). The implicit bias this implies,
its solver and its certificate are in :mod:`training.bias.bandlimited`.

References
----------
H. Lawrence, K. Georgiev, A. Dienes, B. T. Kiani. Implicit bias of linear equivariant networks.
ICML 2022 (arXiv:2110.06084).
T. Cohen, M. Welling. Group equivariant convolutional networks. ICML 2016.

Examples
--------
>>> import numpy as np
>>> from training.models.bandlimited import BandLimitedGCNN, balanced_params
>>> m = BandLimitedGCNN("so3", 3, depth=2, seed=0)
>>> beta = m.linearization()
>>> bool(np.allclose(m.forward(np.eye(m.input_dim)), beta))
True
>>> bool(np.isclose(m.with_params(balanced_params(beta, m.space, 2)).linearization(), beta).all())
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._checks import check_positive_int, check_vector
from .._errors import ParameterError, ParameterTypeError
from ._base import LinearModel, check_scale

if TYPE_CHECKING:
    from grouptools.compact import BlockSpace

__all__ = ["BandLimitedGCNN", "balanced_params", "bandlimited_space"]


def bandlimited_space(group: Any, bandlimit: int | None = None) -> BlockSpace:
    """The coordinate space of band-limited functions on ``group``.

    Parameters
    ----------
    group : {"so2", "o2", "so3"} or BlockSpace
        A group name (then ``bandlimit`` is needed) or a square space
        (:func:`grouptools.compact.so3_space`, ...), returned unchanged.
    bandlimit : int, optional
        Band limit B (degrees ``< B``) when ``group`` is a name.

    Raises
    ------
    ParameterError
        A name without ``bandlimit``, or a bad ``bandlimit``.
    ParameterTypeError
        Anything else, or a space with non-square blocks (not a group).

    Examples
    --------
    >>> bandlimited_space("so3", 3).dim
    35
    """
    from grouptools.compact import BlockSpace, block_space

    if isinstance(group, BlockSpace):
        sp = group
    elif isinstance(group, str) and group in ("so2", "o2", "so3"):
        if bandlimit is None:
            raise ParameterError("bandlimit is needed when the group is given by name")
        sp = block_space(group, check_positive_int("bandlimit", bandlimit))
    else:
        raise ParameterTypeError(f"group must be 'so2', 'o2', 'so3' or a square BlockSpace, got {group!r}")
    if not sp.square:
        raise ParameterTypeError(f"the {sp.name} space has non-square blocks: it is not a group")
    return sp


def _herm(A: np.ndarray) -> np.ndarray:
    return np.conj(np.swapaxes(A, -1, -2))


class BandLimitedGCNN(LinearModel):
    """Linear band-limited G-CNN over SO(2), O(2) or SO(3) (module docstring).

    Parameters
    ----------
    group : {"so2", "o2", "so3"} or BlockSpace
        The group (with ``bandlimit``) or its coordinate space (:func:`grouptools.compact.so3_space`, ...).
    bandlimit : int, optional
        Band limit B (degrees ``< B``) when ``group`` is a name.
    depth : int
        Number of layers L (L - 1 correlations and the dense layer).
    init_scale : float
        Coordinates of every layer are drawn from ``N(0, init_scale^2 / D)``.
    seed : int
        Seed of the ``numpy.random.Generator``.

    Attributes
    ----------
    space : BlockSpace
        Coordinates of inputs, filters and the linearization (``input_dim = space.dim``).

    Notes
    -----
    Layers run on the Fourier blocks (``H <- H W^H``, one small matrix product per block), so a
    forward pass costs ``O(N sum_k d_k^3)``: ``O(N B^4)`` for SO(3). The network is equivariant: if
    ``x`` is left-translated by ``g``, ``(L_g x)(u) = x(g^{-1} u)`` (blocks
    ``X_k -> rho_k(g) X_k``), so is every hidden layer.

    Examples
    --------
    >>> m = BandLimitedGCNN("o2", 3, depth=3, seed=1)
    >>> m.input_dim, m.depth, len(m.params)
    (10, 3, 3)
    >>> X = np.random.default_rng(0).standard_normal((4, 10))
    >>> bool(np.allclose(m.forward(X), X @ m.linearization()))
    True
    """

    def __init__(self, group: Any, bandlimit: int | None = None, depth: int = 2, *, init_scale: float = 1.0, seed: int = 0) -> None:
        space = bandlimited_space(group, bandlimit)
        depth = check_positive_int("depth", depth)
        scale = check_scale(init_scale) / np.sqrt(space.dim)
        rng = np.random.default_rng(seed)
        super().__init__([rng.standard_normal(space.dim) * scale for _ in range(depth)])
        self.space = space
        self.input_dim = space.dim
        self.depth = depth

    def _param_blocks(self) -> list[list[np.ndarray]]:
        return [self.space.to_blocks(p) for p in self._params]

    def layer_blocks(self, X: np.ndarray) -> list[list[np.ndarray]]:
        """Hidden activations as blocks: ``[H_0 = blocks(X), H_1, ..., H_{L-1}]`` (each ``(N, d, d)`` per block)."""
        X = self.check_inputs(X)
        H = [self.space.to_blocks(X)]
        for W in self._param_blocks()[:-1]:
            H.append([Hk @ _herm(Wk)[None] for Wk, Hk in zip(W, H[-1])])
        return H

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``<h_{L-1}(x_n), v>``."""
        H = self.layer_blocks(X)[-1]
        return self.space.from_blocks(H) @ self._params[-1]

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Backpropagation on the blocks: ``dW_i = C_i^H sum_n g_n H_{i-1,n}``, ``C_i = V W_{L-1} ... W_{i+1}``.

        (``f = Re <X, C_i W_i D_i>`` with ``D_i = W_{i-1} ... W_1`` and ``H_{i-1} = X D_i^H``, in
        the weighted block inner product that :meth:`~grouptools.compact.BlockSpace.from_blocks`
        maps to coordinates.)
        """
        X, g = self.check_inputs_and_weights(X, dL_df)
        H = self.layer_blocks(X)
        P = self._param_blocks()
        L = self.depth
        grads: list[np.ndarray] = [np.empty(0)] * L
        prefix = P[-1]  # C_{L-1} = V
        grads[-1] = self.space.from_blocks([np.tensordot(g, Hk, axes=1) for Hk in H[-1]])
        for i in range(L - 2, -1, -1):
            Gi = [_herm(Ck) @ np.tensordot(g, Hk, axes=1) for Hk, Ck in zip(H[i], prefix)]
            grads[i] = self.space.from_blocks(Gi)
            prefix = [Ck @ Wk for Wk, Ck in zip(P[i], prefix)]
        return grads

    def linearization_blocks(self) -> list[np.ndarray]:
        """Fourier blocks ``beta_hat_k = V_k W_{L-1,k} ... W_1k``."""
        P = self._param_blocks()
        out = P[-1]
        for W in reversed(P[:-1]):
            out = [Bk @ Wk for Wk, Bk in zip(W, out)]
        return out

    def linearization(self) -> np.ndarray:
        """``beta`` in the coordinates of :attr:`space` (``f(x) = <x, beta>``)."""
        return self.space.from_blocks(self.linearization_blocks())


def balanced_params(beta: Any, group: Any, depth: int, bandlimit: int | None = None) -> list[np.ndarray]:
    """Parameters of a depth-L network with linearization ``beta`` and the smallest norm, ``L * R(beta)``.

    Per block ``M = U S V^H``: ``W_1 = ... = W_{L-1} = V S^(1/L) V^H`` and ``V = U S^(1/L) V^H``
    (the balanced factorization; Lawrence et al. 2022), so that ``V W_{L-1} ... W_1 = M`` and
    ``sum_l ||w_l||^2 = L R(beta)``, ``R`` = :func:`training.bias.bandlimited.schatten_objective`.

    Examples
    --------
    >>> m = BandLimitedGCNN("so3", 3, depth=3, seed=2)
    >>> beta = m.linearization()
    >>> b = m.with_params(balanced_params(beta, m.space, 3))
    >>> norm = 3 * float(m.space.weights @ m.space.schatten_terms(beta, 2 / 3))  # L * sum_k w_k ||M_k||_{S,2/L}^{2/L}
    >>> bool(np.allclose(b.linearization(), beta)), bool(np.isclose(b.param_norm_sq(), norm))
    (True, True)
    """
    space = bandlimited_space(group, bandlimit)
    L = check_positive_int("depth", depth)
    inner, last = [], []
    for M in space.to_blocks(check_vector("beta", beta, space.dim)):
        U, s, Vh = np.linalg.svd(M)
        r = s ** (1.0 / L)
        inner.append((_herm(Vh) * r) @ Vh)
        last.append((U * r) @ Vh)
    return [space.from_blocks(inner) for _ in range(L - 1)] + [space.from_blocks(last)]
