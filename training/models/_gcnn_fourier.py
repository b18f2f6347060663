"""Fourier-space forward and backward passes of the full-width linear G-CNN and circular CNN.

The linear G-CNN of depth L (:class:`training.models.GCNN`) computes ``f(x) = <x, beta>`` with

    beta_hat(rho) = v_hat(rho) w_hat_{L-1}(rho) ... w_hat_2(rho) w_hat_1(rho)

for the Fourier transform ``f_hat(rho) = sum_g f(g) rho(g)`` (``docs/theory.md``): one
correlation layer ``(h star w)(g) = sum_u w(u) h(g u)`` (Cohen & Welling 2016) is
``(h star w)^(rho) = h_hat(rho) w_hat(rho)^H`` for a real filter ``w``, so
``h_hat_{L-1} = x_hat w_hat_1^H ... w_hat_{L-1}^H``, and Plancherel turns the dense last layer into
``<h, v> = (1/|G|) sum_rho d_rho Re tr(h_hat(rho) v_hat(rho)^H)``, so
``f(x) = (1/|G|) sum_rho d_rho Re tr(x_hat(rho) beta_hat(rho)^H)``.

Because the network is linear in its input, the backward pass needs the data only through
``z = sum_n g_n x_n`` (``g = dL/df``): ``sum_n g_n f(x_n) = <z, beta>``. Writing the factors of
``beta_hat`` in product order, ``A_1 = v_hat``, ``A_2 = w_hat_{L-1}``, ..., ``A_L = w_hat_1``, and
``P_j = A_1 ... A_{j-1}``, ``Q_j = A_{j+1} ... A_L``, a perturbation of the real filter behind
``A_j`` changes ``<z, beta>`` by ``(1/|G|) sum_rho d_rho Re tr(M_j dA_j^H)`` with

    M_j(rho) = P_j(rho)^H z_hat(rho) Q_j(rho)^H,

and since ``dA_j = sum_g dw(g) rho(g)`` the gradient is the adjoint of the transform applied to
``M_j``, which is the real part of the inverse transform:

    d<z, beta>/dw(g) = Re (1/|G|) sum_rho d_rho tr(rho(g)^H M_j(rho)) = Re inverse(M_j)(g).

A step therefore costs one transform of the L filters, a few per-irrep matrix products
(``O(L sum_rho d_rho^3)``, batched over the irreps of equal degree), one inverse transform of the L
gradient blocks, and ``O(N |G|)`` for the data (``X @ beta`` and ``X^T g``; or the same products
against the cached ``x_hat`` after :meth:`GCNNFourier.precompute`). Nothing is ``O(N |G|^2)`` and
the N data points are never transformed per step. Without a cache the forward pass needs one more
inverse (``beta``) and the backward pass one more transform (``z_hat``); with it, the outputs are
``f_n = sum_k c_k Re(x_hat_n[k] conj(beta_hat[k]))`` on the flat layout (``c_k = d_rho / |G|``)
and ``z_hat = sum_n g_n x_hat_n``.

The circular CNN (:class:`training.models.CircularCNN`) is the abelian special case with
``numpy.fft``: ``beta_hat = w_hat_1 ... v_hat`` elementwise (the order of the factors is
immaterial) and ``d<z, beta>/dw_l = irfft(z_hat conj(Q_l))`` with ``Q_l = prod_{m != l} w_hat_m``.

References
----------
H. Lawrence, K. Georgiev, A. Dienes, B. T. Kiani. Implicit bias of linear equivariant networks.
ICML 2022 (arXiv:2110.06084).
S. Gunasekar, J. D. Lee, D. Soudry, N. Srebro. Implicit bias of gradient descent on linear
convolutional networks. NeurIPS 2018.

Examples
--------
>>> import numpy as np
>>> import grouptools as gt
>>> G = gt.dihedral(4)
>>> engine = GCNNFourier(G)
>>> rng = np.random.default_rng(0)
>>> params = [rng.standard_normal(8) for _ in range(3)]
>>> beta = engine.linearization(params)
>>> X = rng.standard_normal((5, 8))
>>> bool(np.allclose(engine.forward(params, X), X @ beta))
True
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from .._errors import ParameterError, ParameterTypeError, ShapeError

if TYPE_CHECKING:
    from grouptools import FiniteGroup

__all__ = [
    "DEFAULT_CACHE_BYTES",
    "FOURIER_MIN_ORDER",
    "FourierPlan",
    "GCNNFourier",
    "PLAN_MEMO_KEY",
    "circular_forward",
    "circular_grad",
    "circular_linearization",
    "fourier_plan",
    "resolve_method",
    "supports_fourier",
]

#: ``method="auto"`` of :class:`training.models.GCNN` uses the Fourier path above this order.
FOURIER_MIN_ORDER = 64

#: Default bound on the memory of a cached data transform (:meth:`GCNNFourier.precompute`).
DEFAULT_CACHE_BYTES = 2**31

#: Rows of the data transformed at once by :meth:`GCNNFourier.precompute` aim at this many bytes.
_CHUNK_BYTES = 2**26

#: Entries of a cached data array re-read at every lookup (a cheap check against in-place edits).
_SAMPLE = 256


# -- method choice --------------------------------------------------------------------------------------
def supports_fourier(G: Any) -> bool:
    """Whether ``G`` is a :class:`grouptools.FiniteGroup` (so it has irreps and Fourier transforms).

    Examples
    --------
    >>> import grouptools as gt
    >>> supports_fourier(gt.cyclic(3)), supports_fourier(object())
    (True, False)
    """
    from grouptools import FiniteGroup

    return isinstance(G, FiniteGroup)


def resolve_method(G: Any, order: int, method: object) -> str:
    """Resolve ``method`` of :class:`training.models.GCNN` to ``"real"`` or ``"fourier"``.

    ``"auto"`` is ``"fourier"`` when ``G`` supports the group Fourier transform and
    ``order > FOURIER_MIN_ORDER``, else ``"real"``.

    Raises
    ------
    ParameterError
        If ``method`` is not ``"real"``, ``"fourier"`` or ``"auto"``.
    ParameterTypeError
        If ``method="fourier"`` for a group object without irreps.

    Examples
    --------
    >>> import grouptools as gt
    >>> resolve_method(gt.dihedral(4), 8, "auto"), resolve_method(gt.dihedral(40), 80, "auto")
    ('real', 'fourier')
    """
    if method not in ("real", "fourier", "auto"):
        raise ParameterError(f"method must be 'real', 'fourier' or 'auto', got {method!r}")
    ok = supports_fourier(G)
    if method == "fourier" and not ok:
        raise ParameterTypeError(
            f"method='fourier' needs a grouptools.FiniteGroup (irreps, Fourier transform), got {type(G).__name__}"
        )
    if method == "auto":
        return "fourier" if ok and order > FOURIER_MIN_ORDER else "real"
    return str(method)


# -- layout of the Fourier blocks ------------------------------------------------------------------------
class FourierPlan:
    """The flat layout of the Fourier blocks of ``G``, grouped by degree, for the G-CNN fast path.

    A function's transform is kept as one complex vector of length ``|G|``: the blocks of
    :meth:`grouptools.fourier.FourierBlocks.flatten` (row-major each), reordered so that the irreps
    of equal degree are consecutive (the identity when ``G.irreps()`` is sorted by degree, as the
    catalogue groups are). :meth:`views` returns one ``(..., R, d, d)`` view per degree, on which
    the per-irrep products run as a single batched ``matmul``.

    Parameters
    ----------
    G : FiniteGroup
        The group; :func:`grouptools.fourier.transform` and ``inverse`` do the transforms.

    Attributes
    ----------
    dims : tuple of int
        Degrees of ``G.irreps()``, in irrep order.
    segments : list of (int, int, int)
        ``(d, start, R)``: the ``R`` irreps of degree ``d`` occupy ``[start, start + R d^2)``.
    weights : numpy.ndarray
        ``d_rho / |G|`` at each flat position (the Plancherel weights), shape ``(|G|,)``.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> plan = FourierPlan(gt.dihedral(4))
    >>> plan.segments
    [(1, 0, 4), (2, 4, 1)]
    >>> f = np.arange(8.0)
    >>> bool(np.allclose(plan.inverse_real(plan.transform(f)), f))
    True
    """

    def __init__(self, G: FiniteGroup) -> None:
        if not supports_fourier(G):
            raise ParameterTypeError(f"the Fourier path needs a grouptools.FiniteGroup, got {type(G).__name__}")
        self.group = G
        self.order = int(G.order)
        self.dims = tuple(int(r.dim) for r in G.irreps())
        offsets = np.concatenate([[0], np.cumsum([d * d for d in self.dims])]).astype(np.int64)
        order_by_degree = sorted(range(len(self.dims)), key=lambda r: (self.dims[r], r))
        perm = np.concatenate([np.arange(offsets[r], offsets[r + 1]) for r in order_by_degree])
        self._perm = None if np.array_equal(perm, np.arange(self.order)) else perm
        self.segments: list[tuple[int, int, int]] = []
        start = 0
        for d in sorted(set(self.dims)):
            count = self.dims.count(d)
            self.segments.append((d, start, count))
            start += count * d * d
        self.weights = np.concatenate([np.full(R * d * d, d / self.order) for d, _, R in self.segments])

    def transform(self, f: np.ndarray) -> np.ndarray:
        """Transforms of real functions ``f`` (shape ``(..., |G|)``) in the flat degree-sorted layout."""
        from grouptools.fourier import transform

        flat = transform(self.group, f).flatten()
        return flat if self._perm is None else flat[..., self._perm]

    def inverse_real(self, flat: np.ndarray) -> np.ndarray:
        """Real part of the inverse transform of flat degree-sorted blocks, shape ``(..., |G|)``."""
        from grouptools.fourier import FourierBlocks, inverse

        if self._perm is not None:
            unsorted = np.empty_like(flat)
            unsorted[..., self._perm] = flat
            flat = unsorted
        return inverse(self.group, FourierBlocks.from_flat(self.dims, flat), real=True)

    def views(self, flat: np.ndarray) -> list[np.ndarray]:
        """Per degree, the ``(..., R, d, d)`` view of a flat array ``(..., |G|)``."""
        batch = flat.shape[:-1]
        return [flat[..., s : s + R * d * d].reshape(batch + (R, d, d)) for d, s, R in self.segments]


PLAN_MEMO_KEY = "training.gcnn_fourier_plan"
"""Key of the :class:`FourierPlan` in the memo of its group (``G.memo``)."""


def fourier_plan(G: FiniteGroup) -> FourierPlan:
    """The :class:`FourierPlan` of ``G``, built once and kept in the group's memo (it lives as long as ``G``).

    Raises
    ------
    ParameterTypeError
        ``G`` is not a :class:`grouptools.FiniteGroup`.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.dihedral(4)
    >>> fourier_plan(G) is fourier_plan(G)
    True
    """
    if not supports_fourier(G):
        raise ParameterTypeError(f"the Fourier path needs a grouptools.FiniteGroup, got {type(G).__name__}")
    return G.memo(PLAN_MEMO_KEY, lambda: FourierPlan(G))


# -- data products ---------------------------------------------------------------------------------------
# The data enter a step only through X @ beta and g @ X, memory-bound products over the N x |G| data.
# numpy's own single-threaded loops (einsum) run them at memory speed and, unlike a multithreaded
# BLAS gemv, do not stall when the other cores are busy (measured: 0.7 ms against 8-16 ms for
# 200 x 12544 on a loaded 2-core machine).
def _matvec(X: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("nk,k->n", X, b)


def _vecmat(g: np.ndarray, X: np.ndarray) -> np.ndarray:
    return np.einsum("n,nk->k", g, X)


# -- per-irrep algebra ------------------------------------------------------------------------------------
def _ct(a: np.ndarray) -> np.ndarray:
    return np.conj(np.swapaxes(a, -1, -2))


def _chain(A: np.ndarray) -> np.ndarray:
    """``A[0] @ A[1] @ ... @ A[L-1]`` for a stack ``(L, R, d, d)``."""
    P = A[0]
    for l in range(1, A.shape[0]):
        P = P @ A[l]
    return P


def _adjoint_blocks(plan: FourierPlan, A_views: list[np.ndarray], Z: np.ndarray) -> np.ndarray:
    """``M_j = P_j^H Z Q_j^H`` for the factors ``A[0] ... A[L-1]`` of a chain, flat ``(L, |G|)``.

    ``P_j`` and ``Q_j`` are the products of the factors before and after ``A[j]`` (module docstring).
    """
    L = A_views[0].shape[0]
    M = np.empty((L, plan.order), dtype=np.complex128)
    for A, Zb, Mb in zip(A_views, plan.views(Z), plan.views(M)):
        suffix: list[np.ndarray | None] = [None] * L  # Q_l^H
        Q = None
        for l in range(L - 1, -1, -1):
            suffix[l] = None if Q is None else _ct(Q)
            Q = A[l] if Q is None else A[l] @ Q
        left = Zb  # P_l^H Z, updated left to right
        for l in range(L):
            Mb[l] = left if suffix[l] is None else left @ suffix[l]
            if l + 1 < L:
                left = _ct(A[l]) @ left
    return M


class _DataEntry:
    """A cached data transform, valid while ``ref()`` is the same array with the same sampled entries."""

    __slots__ = ("ref", "rows", "cols", "sample", "xv")

    def __init__(self, X: np.ndarray, xhat: np.ndarray) -> None:
        self.ref = weakref.ref(X)
        k = min(_SAMPLE, X.size)
        rng = np.random.default_rng(X.shape[0] * 1_000_003 + X.shape[1])
        flat = rng.choice(X.size, size=k, replace=False) if k else np.zeros(0, np.int64)
        self.rows, self.cols = np.unravel_index(flat, X.shape)
        self.sample = X[self.rows, self.cols].copy()
        self.xv = xhat.view(np.float64)  # (N, 2|G|): interleaved real and imaginary parts

    def matches(self, X: np.ndarray) -> bool:
        return self.ref() is X and np.array_equal(X[self.rows, self.cols], self.sample)


class GCNNFourier:
    """Fourier-space engine of the linear G-CNN: forward, backward, linearization, hidden layers.

    The parameters are passed to every call as the list ``[w_1, ..., w_{L-1}, v]`` of real arrays
    of length ``|G|``. The transforms of the filters of the last call are kept (keyed by the
    parameter values), so a :meth:`grad` right after a :meth:`forward` at the same parameters, as in
    :func:`training.fit`, reuses them.

    Parameters
    ----------
    G : FiniteGroup
        The group (its irreps and :mod:`grouptools.fourier` transforms).

    Notes
    -----
    See the module docstring for the formulas. :meth:`precompute` caches the transform of one
    training set; the cache is keyed by the identity of the array (and re-checks a sample of its
    entries on every lookup), so pass the same ``float64`` array to :func:`training.fit` and do not
    modify it in place afterwards (or call :meth:`precompute` again).

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> G = gt.cyclic(5)
    >>> engine = GCNNFourier(G)
    >>> params = [np.eye(5)[1], np.eye(5)[2], np.arange(5.0)]
    >>> x = np.arange(5.0)[None] ** 2
    >>> bool(np.isclose(engine.forward(params, x)[0], x[0] @ engine.linearization(params)))
    True
    """

    def __init__(self, G: FiniteGroup) -> None:
        self.plan = fourier_plan(G)
        self._blocks_key: list[np.ndarray] | None = None
        self._blocks_val: tuple[list[np.ndarray], np.ndarray] | None = None
        self._data: _DataEntry | None = None

    def __getstate__(self) -> dict:
        """Pickling (and ``copy.deepcopy``) drops the caches; the data cache holds a weak reference."""
        state = self.__dict__.copy()
        state.update(_data=None, _blocks_key=None, _blocks_val=None)
        return state

    # -- caches -------------------------------------------------------------------------------------------
    def _blocks(self, params: Sequence[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
        """Per-degree filter transforms ``(L, R, d, d)`` and the flat ``beta_hat`` (cached by value).

        The transforms are in parameter order; ``beta_hat = v_hat w_hat_{L-1} ... w_hat_1``.
        """
        key = self._blocks_key
        if (
            key is not None
            and self._blocks_val is not None
            and len(key) == len(params)
            and all(np.array_equal(a, b) for a, b in zip(key, params))
        ):
            return self._blocks_val
        W = np.stack([np.asarray(p, dtype=float) for p in params])
        A = self.plan.views(self.plan.transform(W))
        beta_hat = np.empty(self.plan.order, dtype=np.complex128)
        for Ad, Bd in zip(A, self.plan.views(beta_hat)):
            Bd[...] = _chain(Ad[::-1])
        self._blocks_key = [W[l].copy() for l in range(W.shape[0])]
        self._blocks_val = (A, beta_hat)
        return self._blocks_val

    def precompute(self, X: np.ndarray, *, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        """Transform the rows of ``X`` once and keep them for :meth:`forward` and :meth:`grad`.

        Later calls with the same array object use ``x_hat`` instead of the real-space data
        (replacing the previous cache). The transform runs in chunks of rows.

        Parameters
        ----------
        X : numpy.ndarray
            ``float64`` array ``(N, |G|)``; keep passing this very object.
        max_bytes : int
            Largest size of the cached transform (``16 N |G|`` bytes).

        Raises
        ------
        ShapeError
            If ``X`` is not a finite float64 array of shape ``(N, |G|)``.
        ParameterError
            If the cache would exceed ``max_bytes``.
        """
        n = self.plan.order
        if not isinstance(X, np.ndarray) or X.dtype != np.float64 or X.ndim != 2 or X.shape[1] != n:
            raise ShapeError(f"precompute needs a float64 array of shape (N, {n})")
        if not np.all(np.isfinite(X)):
            raise ShapeError("precompute needs finite data")
        need = 16 * X.shape[0] * n
        if need > max_bytes:
            raise ParameterError(f"the cached transform needs {need} bytes > max_bytes={max_bytes}")
        xhat = np.empty((X.shape[0], n), dtype=np.complex128)
        step = max(1, _CHUNK_BYTES // (16 * n))
        for start in range(0, X.shape[0], step):
            xhat[start : start + step] = self.plan.transform(X[start : start + step])
        self._data = _DataEntry(X, xhat)

    def clear_cache(self) -> None:
        """Drop the cached data transform and filter transforms."""
        self._data = None
        self._blocks_key = self._blocks_val = None

    def cached(self, X: np.ndarray) -> bool:
        """Whether :meth:`precompute` holds the transform of this very array (unchanged)."""
        return self._data is not None and self._data.matches(X)

    # -- the network ----------------------------------------------------------------------------------------
    def forward(self, params: Sequence[np.ndarray], X: np.ndarray) -> np.ndarray:
        """Outputs ``f(x_n) = <x_n, beta>`` for the rows of ``X`` (shape ``(N, |G|)``)."""
        _, beta_hat = self._blocks(params)
        if self.cached(X):
            return _matvec(self._data.xv, (self.plan.weights * beta_hat).view(np.float64))
        return _matvec(X, self.plan.inverse_real(beta_hat))

    def grad(self, params: Sequence[np.ndarray], X: np.ndarray, g: np.ndarray) -> list[np.ndarray]:
        """Gradients of ``sum_n g_n f(x_n)`` with respect to each filter: ``Re inverse(M_l)``."""
        A, _ = self._blocks(params)
        if self.cached(X):
            Z = _vecmat(g, self._data.xv).view(np.complex128)
        else:
            Z = self.plan.transform(_vecmat(g, X))
        # the chain beta_hat = A_L ... A_1 runs over the parameters in reverse order
        M = _adjoint_blocks(self.plan, [Ad[::-1] for Ad in A], Z)
        grads = self.plan.inverse_real(M[::-1])
        return [np.ascontiguousarray(row) for row in grads]

    def linearization(self, params: Sequence[np.ndarray]) -> np.ndarray:
        """``beta = inverse(beta_hat)`` with ``beta_hat = v_hat w_hat_{L-1} ... w_hat_1``."""
        return self.plan.inverse_real(self._blocks(params)[1])

    def layer_outputs(self, params: Sequence[np.ndarray], X: np.ndarray) -> list[np.ndarray]:
        """Hidden activations ``[X, h_1, ..., h_{L-1}]`` via ``h_hat_l = h_hat_{l-1} w_hat_l^H``."""
        A, _ = self._blocks(params)
        out = [X]
        if len(params) < 2:
            return out
        if self.cached(X):
            H = self._data.xv.view(np.complex128)
        else:
            H = self.plan.transform(X)
        for l in range(len(params) - 1):
            Hn = np.empty_like(H)
            for Ad, Hd, Nd in zip(A, self.plan.views(H), self.plan.views(Hn)):
                np.matmul(Hd, _ct(Ad[l]), out=Nd)
            H = Hn
            out.append(self.plan.inverse_real(H))
        return out


# -- circular CNN (numpy.fft) -----------------------------------------------------------------------------
def circular_linearization(params: Sequence[np.ndarray]) -> np.ndarray:
    """``beta = irfft(rfft(w_1) ... rfft(w_{L-1}) rfft(v))`` for the circular CNN.

    Examples
    --------
    >>> import numpy as np
    >>> circular_linearization([np.eye(4)[1], np.arange(4.0)])   # a shift of v
    array([3., 0., 1., 2.])
    """
    D = params[0].shape[0]
    return np.fft.irfft(np.prod(np.fft.rfft(np.stack(params), axis=-1), axis=0), n=D)


def circular_forward(params: Sequence[np.ndarray], X: np.ndarray) -> np.ndarray:
    """Outputs ``X @ beta`` of the circular CNN (``O(N D + L D log D)``).

    Examples
    --------
    >>> import numpy as np
    >>> float(circular_forward([np.eye(3)[0], np.ones(3)], np.ones((1, 3)))[0])
    3.0
    """
    return _matvec(X, circular_linearization(params))


def circular_grad(params: Sequence[np.ndarray], X: np.ndarray, g: np.ndarray) -> list[np.ndarray]:
    """Gradients of ``sum_n g_n f(x_n)``: ``irfft(rfft(X^T g) conj(prod_{m != l} rfft(w_m)))``.

    Examples
    --------
    >>> import numpy as np
    >>> gr = circular_grad([np.eye(3)[0], np.arange(3.0)], np.eye(3)[:1], np.ones(1))
    >>> [np.round(a, 12).tolist() for a in gr]
    [[0.0, 2.0, 1.0], [1.0, 0.0, 0.0]]
    """
    D = params[0].shape[0]
    F = np.fft.rfft(np.stack(params), axis=-1)
    L = F.shape[0]
    Z = np.fft.rfft(_vecmat(g, X))
    prefix = np.ones_like(F)
    suffix = np.ones_like(F)
    for l in range(1, L):
        prefix[l] = prefix[l - 1] * F[l - 1]
        suffix[L - 1 - l] = suffix[L - l] * F[L - l]
    grads = np.fft.irfft(Z * np.conj(prefix * suffix), n=D, axis=-1)
    return [np.ascontiguousarray(row) for row in grads]
