r"""Multi-channel linear G-CNN layers with local filters (the engine of ``GCNN(..., channels=K, support=S)``).

A layer maps ``C_in`` functions on a finite group G to ``C_out`` functions by the G-correlation of
Cohen & Welling (2016) restricted to a filter support ``S = (h_0, ..., h_{|S|-1})``:

    ``out_o(g) = sum_{i < C_in} sum_{s < |S|} W[o, i, s] x_i(g h_s)``.

It commutes with left translations ``(L_k x)(g) = x(k^{-1} g)``: ``sum_s W x_i(k^{-1} g h_s) =
out_o(k^{-1} g)``, for every support. The network is ``1 -> K -> ... -> K`` channels through
``L - 1`` such layers, then a dense layer ``f(x) = sum_k <h_{L-1, k}, v_k>``; parameters are
``W_1`` of shape ``(K, 1, |S|)``, ``W_l`` of shape ``(K, K, |S|)`` for ``1 < l < L`` and ``V`` of
shape ``(K, |G|)`` (``(1, |G|)`` for depth 1).

Real space, with index arrays ``P[g, s] = index of g h_s`` (gather) and
``Q[m, s] = index of m h_s^{-1}`` (its inverse, for the adjoint: ``g h_s = m`` iff ``g = Q[m, s]``).
One layer is one matrix product of the gathered input ``(N |G|, C_in |S|)`` with the filters,
``O(N C_in C_out |G| |S|)`` time and ``O(N C_in |G| |S|)`` memory; the backward pass is the exact adjoint (``dW[o, i, s] = sum_{n, g} G[n, o, g] x_i(g h_s)`` and
``dx_i(m) = sum_{o, s} W[o, i, s] G[n, o, Q[m, s]]``).

References
----------
T. Cohen, M. Welling. Group equivariant convolutional networks. ICML 2016.
M. Jagadeesan, I. Razenshteyn, S. Gunasekar. Inductive bias of multi-channel linear convolutional
networks with bounded weight norm. COLT 2022.

Examples
--------
>>> import numpy as np
>>> import grouptools as gt
>>> G = gt.dihedral(4)
>>> plan = MultiChannelPlan(G.cayley_table, G.inverse, support=[0, 1, 4])
>>> params = plan.init_params(depth=3, channels=2, init_scale=1.0, rng=np.random.default_rng(0))
>>> [p.shape for p in params]
[(2, 1, 3), (2, 2, 3), (2, 8)]
>>> X = np.random.default_rng(1).standard_normal((3, 8))
>>> bool(np.allclose(plan.forward(params, X), X @ plan.linearization(params)))
True
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .._errors import ParameterError, ShapeError

__all__ = ["MultiChannelPlan", "check_support"]


def check_support(order: int, support: object) -> np.ndarray:
    """``support`` as a sorted array of distinct element indices in ``[0, order)``.

    ``None`` means all of G. At most ``order`` entries are read (a longer support must repeat).

    Raises
    ------
    ParameterError
        Empty, not integers, out of range, or repeated entries.

    Examples
    --------
    >>> check_support(8, [4, 0, 1]).tolist()
    [0, 1, 4]
    """
    if support is None:
        return np.arange(order)
    try:
        S = np.asarray(support)
    except (TypeError, ValueError):
        raise ParameterError("support must be a sequence of element indices") from None
    if S.ndim != 1 or S.size == 0 or S.dtype.kind not in "iu":
        raise ParameterError(f"support must be a non-empty 1-d sequence of integer element indices, got {S.dtype} of shape {S.shape}")
    if S.size > order:
        raise ParameterError(f"support has {S.size} entries but the group has only {order} elements")
    if S.min() < 0 or S.max() >= order:
        raise ParameterError(f"support indices must lie in [0, {order}), got min {S.min()} and max {S.max()}")
    out = np.unique(S)
    if out.size != S.size:
        raise ParameterError("support has repeated element indices")
    return out.astype(np.intp)


class MultiChannelPlan:
    """Index arrays and layer math of a multi-channel G-CNN with filters on a support ``S``.

    Parameters
    ----------
    cayley_table : array_like
        ``[i, j]`` = index of ``g_i g_j``, shape ``(n, n)``.
    inverse : array_like
        ``[i]`` = index of ``g_i^{-1}``, shape ``(n,)``.
    support : array_like of int, optional
        Filter support (element indices); default all of G. Sorted by :func:`check_support`.

    Attributes
    ----------
    order : int
    support : numpy.ndarray
    P, Q : numpy.ndarray
        ``P[g, s]`` = index of ``g h_s``; ``Q[m, s]`` = index of ``m h_s^{-1}``; shape ``(n, |S|)``.
    """

    def __init__(self, cayley_table: object, inverse: object, support: object = None) -> None:
        T = np.asarray(cayley_table)
        inv = np.asarray(inverse)
        n = T.shape[0] if T.ndim == 2 else -1
        if T.ndim != 2 or T.shape != (n, n) or inv.shape != (n,):
            raise ShapeError(f"cayley_table must be (n, n) and inverse (n,), got {T.shape} and {inv.shape}")
        self.order = int(n)
        self.support = check_support(n, support)
        self.P = np.ascontiguousarray(T[:, self.support].astype(np.intp))
        self.Q = np.ascontiguousarray(T[:, inv[self.support]].astype(np.intp))

    # -- parameters -----------------------------------------------------------------------------
    def param_shapes(self, depth: int, channels: int) -> list[tuple[int, ...]]:
        """Shapes ``[(K, 1, |S|), (K, K, |S|), ..., (K, n)]`` of the ``depth`` parameter arrays."""
        S, n, K = self.support.size, self.order, channels
        if depth == 1:
            return [(1, n)]
        return [(K, 1, S)] + [(K, K, S)] * (depth - 2) + [(K, n)]

    def init_params(self, depth: int, channels: int, init_scale: float, rng: np.random.Generator) -> list[np.ndarray]:
        """Random parameters, entries ``N(0, init_scale^2 / fan_in)`` (``fan_in = C_in |S|``, ``K n`` for the last layer)."""
        out = []
        for shape in self.param_shapes(depth, channels):
            fan_in = int(np.prod(shape[1:]))
            out.append(rng.standard_normal(shape) * (init_scale / np.sqrt(fan_in)))
        return out

    # -- one layer ------------------------------------------------------------------------------
    def _gathered(self, H: np.ndarray) -> np.ndarray:
        """``A[(n, g), (i, s)] = H[n, i, g h_s]``, shape ``(N |G|, C_in |S|)``."""
        N, C, n = H.shape
        return H[:, :, self.P].transpose(0, 2, 1, 3).reshape(N * n, C * self.support.size)

    def layer(self, H: np.ndarray, W: np.ndarray) -> np.ndarray:
        """``out[n, o, g] = sum_{i, s} W[o, i, s] H[n, i, g h_s]`` for ``H`` of shape ``(N, C_in, n)``."""
        N, n, O = H.shape[0], self.order, W.shape[0]
        return (self._gathered(H) @ W.reshape(O, -1).T).reshape(N, n, O).transpose(0, 2, 1)

    def layer_adjoint(self, H: np.ndarray | None, G: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Adjoint of :meth:`layer` at upstream gradient ``G`` (``(N, C_out, n)``): ``(dH, dW)``.

        ``dW`` is ``None`` when ``H`` is ``None`` (only the input gradient is wanted).
        """
        N, O, n = G.shape
        C, S = W.shape[1], self.support.size
        Gm = G.transpose(0, 2, 1).reshape(N * n, O)
        R = (Gm @ W.reshape(O, C * S)).reshape(N, n, C, S)  # R[n, g, i, s]: gradient reaching x_i(g h_s)
        # dx_i(m) = sum_s R[n, Q[m, s], i, s]; the advanced indices come first: shape (n, S, N, C)
        dH = R[:, self.Q, :, np.arange(S)[None, :]].sum(axis=1).transpose(1, 2, 0)
        dW = None if H is None else (Gm.T @ self._gathered(H)).reshape(O, C, S)
        return np.ascontiguousarray(dH), dW

    # -- the network ----------------------------------------------------------------------------
    def layer_outputs(self, params: Sequence[np.ndarray], X: np.ndarray) -> list[np.ndarray]:
        """``[h_0, ..., h_{L-1}]`` with ``h_0 = X[:, None, :]``, each of shape ``(N, C_l, n)``."""
        H = [X[:, None, :]]
        for W in params[:-1]:
            H.append(self.layer(H[-1], W))
        return H

    def forward(self, params: Sequence[np.ndarray], X: np.ndarray) -> np.ndarray:
        """``f(x_n) = sum_k <h_{L-1, k}(x_n), v_k>``."""
        return np.einsum("nkg,kg->n", self.layer_outputs(params, X)[-1], params[-1])

    def grad(self, params: Sequence[np.ndarray], X: np.ndarray, g: np.ndarray) -> list[np.ndarray]:
        """Gradients of ``sum_n g_n f(x_n)`` with respect to each parameter array (backpropagation)."""
        H = self.layer_outputs(params, X)
        grads: list[np.ndarray] = [np.empty(0)] * len(params)
        grads[-1] = np.einsum("n,nkg->kg", g, H[-1])
        Gr = g[:, None, None] * params[-1][None]
        for l in range(len(params) - 2, -1, -1):
            Gr, dW = self.layer_adjoint(H[l], Gr, params[l])
            grads[l] = dW
        return grads

    def linearization(self, params: Sequence[np.ndarray]) -> np.ndarray:
        """``beta = df/dx``: the dense layer pulled back through the adjoints of the layers."""
        Gr = params[-1][None]
        for W in reversed(params[:-1]):
            Gr, _ = self.layer_adjoint(None, Gr, W)
        return Gr[0, 0]
