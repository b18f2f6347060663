"""A small nonlinear spherical CNN (Cohen, Geiger, Koehler, Welling, "Spherical CNNs", ICLR 2018).

Examples
--------
>>> import numpy as np
>>> net = SphericalCNN(2, (1, 1), seed=0)
>>> net.forward(np.zeros((1, 4))).shape
(1,)
"""

from __future__ import annotations

import numpy as np

from .._checks import as_real, check_positive_int
from .._errors import ParameterError, ShapeError
from ._base import check_scale

__all__ = ["SphericalCNN"]


def _relu_mask(z: np.ndarray) -> np.ndarray:
    return (z > 0).astype(z.dtype)


def _mm(A: np.ndarray, M: np.ndarray) -> np.ndarray:
    """``A @ M`` over the last axis of ``A`` as one 2-D BLAS product (batched matmul is much slower)."""
    return (A.reshape(-1, A.shape[-1]) @ M).reshape(A.shape[:-1] + (M.shape[1],))


class SphericalCNN:
    r"""A small nonlinear spherical CNN with hand-written backpropagation (numpy).

    Input: a real band-limited function on S^2 by its real harmonic coordinates
    (:func:`grouptools.compact.s2_space`, ``B^2`` numbers, orthonormal in ``L^2(S^2)``). Layers
    (Cohen et al. 2018), all rotation-equivariant up to the quadrature of the ReLU:

    1. S^2 -> SO(3) correlation with ``C1`` filters ``psi_c`` on S^2:
       ``Z1_c(R) = int psi_c(R^{-1} x) f(x) dx``, blocks ``f_l psi_{c,l}^T / (2l+1)``
       (:func:`grouptools.compact.s2_so3_correlate`), plus a bias ``b1_c``;
    2. ReLU on the SO(3) quadrature grid, then projection back to degrees ``< B`` by the quadrature;
    3. SO(3) -> SO(3) correlation ``Z2_k(R) = sum_c int psi_ck(R^{-1} Q) A1_c(Q) dQ``, blocks
       ``sum_c A1_c,l psi_ck,l^T`` (real forms), plus a bias ``b2_k``;
    4. ReLU on the grid and invariant pooling ``p_k = int A2_k dR`` (the quadrature mean);
    5. a dense output ``out = <p, v> + b0``.

    Synthesis and analysis on the grid are dense matrices (``so3_grid(B, grid)`` points times
    ``sum_l (2l+1)^2``), built once from :func:`grouptools.compact.so3_inverse`: for the small
    band limits used here this direct method is faster than the FFT path. The adjoint of synthesis
    is ``(2l+1)`` times the analysis of ``y / w`` (``w`` the quadrature weights), which is what the
    matrices implement.

    Parameters
    ----------
    bandlimit : int
    channels : tuple of int
        ``(C1, C2)``.
    grid : {"gauss", "soft"}
        Quadrature grid of the ReLU layers.
    grid_bandlimit : int, optional
        Band limit of that grid (default ``bandlimit``); a finer grid (``> bandlimit``) samples the
        ReLU outputs more densely and reduces the aliasing that breaks exact invariance.
    init_scale : float
    seed : int

    Examples
    --------
    >>> net = SphericalCNN(3, (2, 2), seed=0)
    >>> X = np.random.default_rng(0).standard_normal((4, 9))
    >>> net.forward(X).shape, net.input_gradient(X).shape
    ((4,), (4, 9))
    """

    def __init__(
        self, bandlimit: int, channels: tuple[int, int] = (4, 4), *, grid: str = "gauss", grid_bandlimit: int | None = None,
        init_scale: float = 1.0, seed: int = 0,
    ) -> None:
        from grouptools.compact import so3_grid, so3_inverse

        B = check_positive_int("bandlimit", bandlimit)
        if len(channels) != 2:
            raise ParameterError(f"channels must be a pair (C1, C2), got {channels!r}")
        C1, C2 = (check_positive_int("channels", c) for c in channels)
        scale = check_scale(init_scale)
        self.bandlimit, self.channels = B, (C1, C2)
        self.input_dim = B * B
        Bg = B if grid_bandlimit is None else check_positive_int("grid_bandlimit", grid_bandlimit)
        if Bg < B:
            raise ParameterError(f"grid_bandlimit={Bg} must be >= bandlimit={B}")
        self.grid = so3_grid(Bg, grid)
        dims = [(2 * l + 1) ** 2 for l in range(B)]
        self._off = np.concatenate([[0], np.cumsum(dims)]).astype(int)
        nflat = int(self._off[-1])
        eye = np.eye(nflat)
        blocks = [eye[:, a:b].reshape(nflat, 2 * l + 1, 2 * l + 1) for l, (a, b) in enumerate(zip(self._off[:-1], self._off[1:]))]
        synth = so3_inverse(blocks, self.grid, real=True).reshape(nflat, -1)  # row (l, m, n): (2l+1) Dr_mn(g)
        w = np.asarray(self.grid.weights).reshape(-1)
        deg = np.concatenate([np.full(d, 2 * l + 1.0) for l, d in enumerate(dims)])
        self._synth = synth
        self._analysis = (synth / deg[:, None] * w[None, :]).T  # (points, nflat): w_g Dr_mn(g)
        self._w = w
        rng = np.random.default_rng(seed)
        params = []
        for l in range(B):  # psi1_l: (C1, 2l+1)
            params.append(rng.standard_normal((C1, 2 * l + 1)) * scale * np.sqrt(2 * l + 1.0))
        params.append(np.zeros(C1))
        for l in range(B):  # psi2_l: (C1, C2, 2l+1, 2l+1)
            params.append(rng.standard_normal((C1, C2, 2 * l + 1, 2 * l + 1)) * scale / np.sqrt(C1 * (2 * l + 1.0)))
        params.append(np.zeros(C2))
        params.append(rng.standard_normal(C2) * scale / np.sqrt(C2))
        params.append(np.zeros(1))
        self.params = params

    # parameter layout: [psi1_0..psi1_{B-1}, b1, psi2_0..psi2_{B-1}, b2, v, b0]
    def _split(self) -> tuple[list, np.ndarray, list, np.ndarray, np.ndarray, float]:
        B, p = self.bandlimit, self.params
        return p[:B], p[B], p[B + 1 : 2 * B + 1], p[2 * B + 1], p[2 * B + 2], float(p[2 * B + 3][0])

    def _flat_blocks(self, blocks: list[np.ndarray]) -> np.ndarray:
        lead = blocks[0].shape[:-2]
        return np.concatenate([b.reshape(lead + (-1,)) for b in blocks], axis=-1)

    def _unflat(self, u: np.ndarray) -> list[np.ndarray]:
        lead = u.shape[:-1]
        return [u[..., a:b].reshape(lead + (2 * l + 1, 2 * l + 1)) for l, (a, b) in enumerate(zip(self._off[:-1], self._off[1:]))]

    def _forward(self, X: np.ndarray) -> dict:
        X = as_real("X", X)
        if X.ndim != 2 or X.shape[1] != self.input_dim:
            raise ShapeError(f"X must have shape (N, {self.input_dim}), got {X.shape}")
        psi1, b1, psi2, b2, v, b0 = self._split()
        f = [X[:, l * l : (l + 1) ** 2] for l in range(self.bandlimit)]
        F1 = [fl[:, None, :, None] * pl[None, :, None, :] / (2 * l + 1) for l, (fl, pl) in enumerate(zip(f, psi1))]
        z1 = _mm(self._flat_blocks(F1), self._synth) + b1[None, :, None]  # (N, C1, points)
        a1 = np.maximum(z1, 0.0)
        A1 = self._unflat(_mm(a1, self._analysis))  # (N, C1, d, d)
        F2 = [np.einsum("ncij,ckqj->nkiq", Al, pl) for Al, pl in zip(A1, psi2)]  # sum_c A1_c psi_ck^T
        z2 = _mm(self._flat_blocks(F2), self._synth) + b2[None, :, None]
        a2 = np.maximum(z2, 0.0)
        pooled = _mm(a2, self._w[:, None])[..., 0]  # (N, C2)
        out = pooled @ v + b0
        return {"f": f, "z1": z1, "A1": A1, "z2": z2, "pooled": pooled, "out": out}

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs (logits), shape ``(N,)``."""
        return self._forward(X)["out"]

    def backward(self, X: np.ndarray, dL_dout: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """Gradients of ``sum_n dL_dout[n] out_n``: parameter gradients (layout of :attr:`params`) and ``d/dX``."""
        c = self._forward(X)
        g = np.asarray(dL_dout, dtype=float)
        if g.shape != (c["out"].shape[0],):
            raise ShapeError(f"dL_dout must have shape ({c['out'].shape[0]},), got {g.shape}")
        psi1, b1, psi2, b2, v, b0 = self._split()
        d_v = c["pooled"].T @ g
        d_b0 = np.array([g.sum()])
        d_pooled = np.outer(g, v)
        d_z2 = d_pooled[:, :, None] * self._w[None, None, :] * _relu_mask(c["z2"])
        d_b2 = d_z2.sum(axis=(0, 2))
        d_F2 = self._unflat(_mm(d_z2, self._synth.T))
        d_psi2 = [np.einsum("nkiq,ncij->ckqj", dF, Al) for dF, Al in zip(d_F2, c["A1"])]
        d_A1 = [np.einsum("nkiq,ckqj->ncij", dF, pl) for dF, pl in zip(d_F2, psi2)]
        d_z1 = _mm(self._flat_blocks(d_A1), self._analysis.T) * _relu_mask(c["z1"])
        d_b1 = d_z1.sum(axis=(0, 2))
        d_F1 = self._unflat(_mm(d_z1, self._synth.T))
        d_psi1 = [np.einsum("ncij,ni->cj", dF, fl) / (2 * l + 1) for l, (dF, fl) in enumerate(zip(d_F1, c["f"]))]
        d_f = [np.einsum("ncij,cj->ni", dF, pl) / (2 * l + 1) for l, (dF, pl) in enumerate(zip(d_F1, psi1))]
        grads = d_psi1 + [d_b1] + d_psi2 + [d_b2, d_v, d_b0]
        return grads, np.concatenate(d_f, axis=1)

    def input_gradient(self, X: np.ndarray) -> np.ndarray:
        """Local linearizations ``d out / d x`` at every row of ``X`` (shape ``(N, B^2)``, real harmonic coordinates)."""
        X = as_real("X", X)
        rows = [self.backward(X[i : i + 1], np.ones(1))[1][0] for i in range(X.shape[0])]
        return np.array(rows).reshape(X.shape[0], self.input_dim)
