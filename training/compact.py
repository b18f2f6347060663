r"""Band-limited linear G-CNNs over the compact groups SO(2), O(2), SO(3), and their implicit bias.

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

(per block: the variational form of the Schatten quasi-norm, as in Lawrence et al. 2022;
the minimum is attained by the balanced factorization, :func:`balanced_params`). So gradient descent
on the exponential loss converges in direction to a first-order stationary point of

    ``min sum_k w_k ||beta_hat_k||_{S,2/L}^{2/L}  s.t.  y_n <x_n, beta> >= 1``

(:func:`schatten_objective`), the ``d_l = 2l+1`` weighted Schatten ``2/L`` quasi-norm of the Fourier
blocks for SO(3). For L = 2 it is the weighted nuclear norm, convex: :func:`predicted_bias` solves it
with cvxpy + Clarabel through :func:`training.bias.max_margin`, and :func:`kkt_certificate` returns
the stationarity certificate of :func:`training.bias.kkt_residual`. Both receive the block map as a
``FourierOperator`` built by :func:`compact_operator` (``operator_from_irreps`` with "irrep matrices"
indexed by coordinates). That operator's blocks are ``sqrt(D)`` times the Fourier blocks so that its
Plancherel constant is ``D`` (the ``|G|`` that ``training.bias`` assumes); its objective values are
therefore ``D^(1/L)`` times :func:`schatten_objective`, which changes neither minimizers nor
objective ratios nor the (relative) KKT residual.

References
----------
H. Lawrence, K. Georgiev, A. Dienes, B. T. Kiani. Implicit bias of linear equivariant networks.
ICML 2022 (arXiv:2110.06084).
T. Cohen, M. Geiger, J. Koehler, M. Welling. Spherical CNNs. ICLR 2018.
S. Gunasekar, J. Lee, D. Soudry, N. Srebro. Implicit bias of gradient descent on linear
convolutional networks. NeurIPS 2018.

Examples
--------
>>> import numpy as np
>>> from training.compact import BandLimitedGCNN, schatten_objective
>>> m = BandLimitedGCNN("so3", 3, depth=2, seed=0)
>>> beta = m.linearization()
>>> bool(np.allclose(m.forward(np.eye(m.input_dim)), beta))
True
>>> bool(m.param_norm_sq() >= 2 * schatten_objective(beta, m.space, 2) - 1e-12)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from grouptools.compact import BlockSpace, block_space

from . import bias
from ._errors import ParameterError, ParameterTypeError, ShapeError
from ._models_base import LinearModel, _check_positive_int, _check_scale

__all__ = [
    "BandLimitedGCNN",
    "compact_operator",
    "schatten_terms",
    "schatten_objective",
    "balanced_params",
    "predicted_bias",
    "kkt_certificate",
    "CompactBias",
]


def _space(group: Any, bandlimit: int | None) -> BlockSpace:
    if isinstance(group, BlockSpace):
        sp = group
    elif isinstance(group, str) and group in ("so2", "o2", "so3"):
        if bandlimit is None:
            raise ParameterError("bandlimit is needed when the group is given by name")
        sp = block_space(group, _check_positive_int("bandlimit", bandlimit))
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
        space = _space(group, bandlimit)
        depth = _check_positive_int("depth", depth)
        scale = _check_scale(init_scale) / np.sqrt(space.dim)
        rng = np.random.default_rng(seed)
        super().__init__([rng.standard_normal(space.dim) * scale for _ in range(depth)])
        self.space = space
        self.input_dim = space.dim
        self.depth = depth

    def _param_blocks(self) -> list[list[np.ndarray]]:
        return [self.space.to_blocks(p) for p in self._params]

    def layer_blocks(self, X: np.ndarray) -> list[list[np.ndarray]]:
        """Hidden activations as blocks: ``[H_0 = blocks(X), H_1, ..., H_{L-1}]`` (each ``(N, d, d)`` per block)."""
        X = self._check_X(X)
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
        X, g = self._check_X_g(X, dL_df)
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


# -- the predicted bias ---------------------------------------------------------------------------------------
def _check_beta(beta: Any, space: BlockSpace) -> np.ndarray:
    b = np.asarray(beta, dtype=float)
    if b.shape != (space.dim,) or not np.all(np.isfinite(b)):
        raise ShapeError(f"beta must be a finite vector of shape ({space.dim},), got {b.shape}")
    return b


def schatten_terms(beta: Any, group: Any, p: float, bandlimit: int | None = None) -> np.ndarray:
    """Per block ``sum_i s_i(beta_hat_k)^p`` (unweighted), shape ``(n_blocks,)``.

    Examples
    --------
    >>> from grouptools.compact import so2_space
    >>> S = so2_space(2)
    >>> schatten_terms(S.from_blocks([np.array([[1.0]]), np.array([[3 + 4j]])]), S, 0.5).round(6)
    array([1.      , 2.236068])
    """
    space = _space(group, bandlimit)
    return space.schatten_terms(_check_beta(beta, space), float(p))


def schatten_objective(beta: Any, group: Any, depth: int, bandlimit: int | None = None) -> float:
    """``R(beta) = sum_k w_k ||beta_hat_k||_{S,2/L}^{2/L}`` (sum form; module docstring).

    ``L * R(beta)`` is the smallest parameter norm ``sum_l ||w_l||^2`` of a depth-L network with
    linearization ``beta``.

    Examples
    --------
    >>> from grouptools.compact import so3_space
    >>> S = so3_space(2)
    >>> beta = S.from_blocks([np.array([[2.0]]), np.diag([3.0, 0.0, 0.0])])
    >>> schatten_objective(beta, S, 2)      # 1 * 2 + 3 * 3
    11.0
    """
    space = _space(group, bandlimit)
    L = _check_positive_int("depth", depth)
    terms = space.schatten_terms(_check_beta(beta, space), 2.0 / L)
    return float(np.dot(space.weights, terms))


def balanced_params(beta: Any, group: Any, depth: int, bandlimit: int | None = None) -> list[np.ndarray]:
    """Parameters of a depth-L network with linearization ``beta`` and norm ``L * schatten_objective``.

    Per block ``M = U S V^H``: ``W_1 = ... = W_{L-1} = V S^(1/L) V^H`` and ``V = U S^(1/L) V^H``
    (the balanced factorization; Lawrence et al. 2022), so that ``V W_{L-1} ... W_1 = M``.

    Examples
    --------
    >>> m = BandLimitedGCNN("so3", 3, depth=3, seed=2)
    >>> beta = m.linearization()
    >>> b = m.with_params(balanced_params(beta, m.space, 3))
    >>> bool(np.allclose(b.linearization(), beta)), bool(np.isclose(b.param_norm_sq(), 3 * schatten_objective(beta, m.space, 3)))
    (True, True)
    """
    space = _space(group, bandlimit)
    L = _check_positive_int("depth", depth)
    inner, last = [], []
    for M in space.to_blocks(_check_beta(beta, space)):
        U, s, Vh = np.linalg.svd(M)
        r = s ** (1.0 / L)
        inner.append((_herm(Vh) * r) @ Vh)
        last.append((U * r) @ Vh)
    return [space.from_blocks(inner) for _ in range(L - 1)] + [space.from_blocks(last)]


_OPS: dict[tuple, bias.FourierOperator] = {}


def compact_operator(group: Any, bandlimit: int | None = None) -> bias.FourierOperator:
    """The block map ``x -> (sqrt(D) beta_hat_k)`` as a :class:`training.bias.FourierOperator`.

    Built with :func:`training.bias.operator_from_irreps` from
    :meth:`grouptools.compact.BlockSpace.fourier_matrices` (``scale = sqrt(D)``; SO(2) pairs become
    the two conjugate blocks ``c_k`` and ``c_-k``). Cached per space.

    Examples
    --------
    >>> op = compact_operator("so3", 3)
    >>> op.n, op.c, op.dims.tolist()
    (35, 35.0, [1, 3, 5])
    """
    space = _space(group, bandlimit)
    key = (space.name, space.bandlimit)
    op = _OPS.get(key)
    if op is None:
        op = bias.operator_from_irreps(space.fourier_matrices(scale=np.sqrt(space.dim)), check=False)
        _OPS[key] = op
    return op


@dataclass(frozen=True)
class CompactBias:
    """The predicted predictor of a band-limited G-CNN (:func:`predicted_bias`).

    Attributes
    ----------
    beta : numpy.ndarray
        Minimizer (L = 2) or best stationary point found (L >= 3), minimum margin 1.
    objective : float
        :func:`schatten_objective` of ``beta``.
    status : str
        ``training.bias`` status (``"optimal"``, ``"inaccurate"``, ``"stationary"``, ``"not_stationary"``).
    kkt_residual : float
        Relative stationarity residual (:func:`kkt_certificate`).
    convex : bool
    result : training.bias.MaxMarginResult
        The raw result (objective values on the scaled operator, see the module docstring).
    """

    beta: np.ndarray
    objective: float
    status: str
    kkt_residual: float
    convex: bool
    result: bias.MaxMarginResult


def predicted_bias(X: Any, y: Any, group: Any, depth: int = 2, *, bandlimit: int | None = None, starts: int = 4, seed: int = 0) -> CompactBias:
    """Solve ``min sum_k w_k ||beta_hat_k||_{S,2/L}^{2/L} s.t. y_n <x_n, beta> >= 1``.

    ``L <= 2``: convex (cvxpy + Clarabel on the weighted nuclear norm, then certified); ``L >= 3``:
    the local solver of :func:`training.bias.max_margin` from ``starts`` starts.

    Raises
    ------
    training.NotSeparatedError
        The data are not separable through the origin.

    Examples
    --------
    >>> from grouptools.compact import so3_space
    >>> S = so3_space(2)
    >>> X = np.random.default_rng(0).standard_normal((3, S.dim)); y = np.array([1.0, -1.0, 1.0])
    >>> r = predicted_bias(X, y, S, 2)
    >>> r.status, bool(r.kkt_residual < 1e-6), bool(np.isclose(np.min(y * (X @ r.beta)), 1.0))
    ('optimal', True, True)
    """
    space = _space(group, bandlimit)
    op = compact_operator(space)
    res = bias.max_margin(X, y, "schatten", depth=depth, group=op, starts=starts, seed=seed)
    return CompactBias(res.beta, schatten_objective(res.beta, space, depth), res.status, res.kkt_residual, res.convex, res)


def kkt_certificate(
    beta: Any, X: Any, y: Any, group: Any, depth: int = 2, *, bandlimit: int | None = None,
    active_tol: float = 1e-6, rank_tol: float = 1e-6,
) -> bias.KKTResult:
    """First-order stationarity certificate of ``beta`` for the predicted problem (:func:`training.bias.kkt_residual`).

    The residual and ``normal_norm`` (L = 2: the dual spectral-norm condition) are invariant under
    the operator scaling of :func:`compact_operator`; the multipliers are ``D^(1/L)`` times those
    of the problem in :func:`schatten_objective` form.

    Examples
    --------
    >>> from grouptools.compact import so2_space
    >>> S = so2_space(2)
    >>> X = np.array([[1.0, 0.5, 0.0]]); y = np.array([1.0])
    >>> r = predicted_bias(X, y, S, 2)
    >>> bool(kkt_certificate(r.beta, X, y, S, 2).residual < 1e-8)
    True
    """
    space = _space(group, bandlimit)
    return bias.kkt_residual(beta, X, y, "schatten", depth=depth, group=compact_operator(space),
                             active_tol=active_tol, rank_tol=rank_tol)


# -- a nonlinear spherical CNN (Cohen et al. 2018) ------------------------------------------------------------
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

        B = _check_positive_int("bandlimit", bandlimit)
        if len(channels) != 2:
            raise ParameterError(f"channels must be a pair (C1, C2), got {channels!r}")
        C1, C2 = (_check_positive_int("channels", c) for c in channels)
        scale = _check_scale(init_scale)
        self.bandlimit, self.channels = B, (C1, C2)
        self.input_dim = B * B
        Bg = B if grid_bandlimit is None else _check_positive_int("grid_bandlimit", grid_bandlimit)
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
        X = np.asarray(X, dtype=float)
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
        B = self.bandlimit
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
        X = np.asarray(X, dtype=float)
        rows = [self.backward(X[i : i + 1], np.ones(1))[1][0] for i in range(X.shape[0])]
        return np.array(rows).reshape(X.shape[0], self.input_dim)
