"""Full-width linear convolutional networks: circular (Gunasekar et al. 2018) and group (Lawrence et al. 2022)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_positive_int
from .._errors import ParameterError, ParameterTypeError, ShapeError
from ._base import LinearModel, check_scale
from ._bilinear import BilinearForm, correlation_tensor, vector_form
from ._gcnn_fourier import (
    DEFAULT_CACHE_BYTES,
    GCNNFourier,
    circular_forward,
    circular_grad,
    circular_linearization,
    resolve_method,
)
from ._multichannel import MultiChannelPlan, check_support

__all__ = ["CircularCNN", "GCNN", "correlation_index"]


#: ``method="auto"`` of :class:`CircularCNN` works end to end in Fourier space above this length.
_CIRCULAR_FOURIER_MIN = 64


# -- circular correlation (numpy.fft) ------------------------------------------------------------------
def _circ_corr(H: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Rows of ``H`` correlated with ``w``: ``out[n, d] = sum_k w[k] H[n, (k + d) mod D]``."""
    D = w.shape[0]
    return np.fft.irfft(np.conj(np.fft.rfft(w)) * np.fft.rfft(H, axis=-1), n=D, axis=-1)


def _circ_corr_backward(H: np.ndarray, G: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adjoint of :func:`_circ_corr`: ``(dH, dw)`` for the upstream gradient ``G``.

    ``dH[n, m] = sum_d G[n, d] w[(m - d) mod D]`` (a circular convolution) and
    ``dw[k] = sum_{n, d} G[n, d] H[n, (k + d) mod D]`` (the correlation of ``H`` with ``G``).
    """
    D = w.shape[0]
    Gh = np.fft.rfft(G, axis=-1)
    dH = np.fft.irfft(Gh * np.fft.rfft(w), n=D, axis=-1)
    dw = np.fft.irfft(np.sum(np.conj(Gh) * np.fft.rfft(H, axis=-1), axis=0), n=D)
    return dH, dw


class CircularCNN(LinearModel):
    """Full-width linear circular CNN of depth L (Gunasekar et al. 2018).

    Layers ``h_0 = x``, ``h_l = h_{l-1} star w_l`` for ``l = 1..L-1`` with the circular
    cross-correlation

        ``(h star w)[d] = sum_{k=0}^{D-1} w[k] h[(k + d) mod D]``

    (the cyclic-group case of the G-CNN layer ``(x star w)(g) = sum_h w(h) x(g h)``, no ``1/sqrt(D)``
    factor), and a dense last layer ``f(x) = <h_{L-1}, v>``. Parameters: filters ``w_1..w_{L-1}`` and
    ``v``, all in R^D.

    With the unnormalized DFT ``a_hat = numpy.fft.fft(a)`` (``a_hat[j] = sum_d a[d] e^{-2 pi i j d/D}``)
    one layer is ``(h star w)^ = conj(w_hat) h_hat`` for real w, and Parseval gives

        ``beta_hat = w_hat_1 * w_hat_2 * ... * w_hat_{L-1} * v_hat``  (elementwise, no conjugations),

    i.e. ``beta = w_1 (*) ... (*) w_{L-1} (*) v`` with circular convolution ``(a (*) b)[m] =
    sum_d a[m - d] b[d]``. Gradient descent with exponential loss converges in direction to a
    stationary point of ``min ||beta_hat||_{2/L}`` subject to margins ``>= 1`` (Thm 2/2a).

    Parameters
    ----------
    D : int
        Input dimension (length of every filter).
    depth : int
        Number of layers L (L - 1 convolutions and the dense layer).
    init_scale : float
        Entries are drawn from ``N(0, init_scale^2 / D)``.
    seed : int
        Seed of the ``numpy.random.Generator``.
    method : {"auto", "real", "fourier"}
        ``"real"``: layer by layer (one FFT correlation per layer and sample, ``O(L N D log D)``).
        ``"fourier"``: end to end in Fourier space, ``f = X @ beta`` and the gradients from
        ``z = X^T dL/df`` alone (``O(N D + L D log D)``; :mod:`training.models._gcnn_fourier`).
        ``"auto"``: ``"fourier"`` for ``D > 64``. Both give the same values up to rounding.

    References
    ----------
    S. Gunasekar, J. D. Lee, D. Soudry, N. Srebro. Implicit bias of gradient descent on linear
    convolutional networks. NeurIPS 2018.

    Examples
    --------
    >>> m = CircularCNN(6, depth=3, seed=1)
    >>> w1, w2, v = m.params
    >>> beta_hat = np.fft.fft(w1) * np.fft.fft(w2) * np.fft.fft(v)
    >>> bool(np.allclose(np.fft.fft(m.linearization()), beta_hat))
    True
    >>> bool(np.allclose(m.forward(np.eye(6)), m.linearization()))
    True
    >>> a, b = CircularCNN(100, 3, seed=2, method="real"), CircularCNN(100, 3, seed=2)
    >>> b.method
    'fourier'
    >>> X = np.random.default_rng(0).standard_normal((3, 100))
    >>> bool(np.allclose(a.forward(X), b.forward(X)))
    True
    """

    def __init__(self, D: int, depth: int, *, init_scale: float = 1.0, seed: int = 0, method: str = "auto") -> None:
        D = check_positive_int("D", D)
        depth = check_positive_int("depth", depth)
        if method not in ("real", "fourier", "auto"):
            raise ParameterError(f"method must be 'real', 'fourier' or 'auto', got {method!r}")
        scale = check_scale(init_scale) / np.sqrt(D)
        rng = np.random.default_rng(seed)
        super().__init__([rng.standard_normal(D) * scale for _ in range(depth)])
        self.input_dim = D
        self.depth = depth
        self.method = ("fourier" if D > _CIRCULAR_FOURIER_MIN else "real") if method == "auto" else method

    def layer_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """Hidden activations ``[h_0 = X, h_1, ..., h_{L-1}]``, each of shape ``(N, D)``."""
        H = [self.check_inputs(X)]
        for w in self._params[:-1]:
            H.append(_circ_corr(H[-1], w))
        return H

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``<h_{L-1}(x_n), v>``."""
        if self.method == "fourier":
            return circular_forward(self._params, self.check_inputs(X))
        return self.layer_outputs(X)[-1] @ self._params[-1]

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Backpropagation through the correlations (adjoint = circular convolution)."""
        X, g = self.check_inputs_and_weights(X, dL_df)
        if self.method == "fourier":
            return circular_grad(self._params, X, g)
        H = self.layer_outputs(X)
        grads: list[np.ndarray] = [np.empty(0)] * self.depth
        grads[-1] = H[-1].T @ g
        G = np.outer(g, self._params[-1])
        for l in range(self.depth - 2, -1, -1):
            G, grads[l] = _circ_corr_backward(H[l], G, self._params[l])
        return grads

    def linearization(self) -> np.ndarray:
        """``beta = ifft(w_hat_1 ... w_hat_{L-1} v_hat)`` (real)."""
        if self.method == "fourier":
            return circular_linearization(self._params)
        prod = np.ones(self.input_dim // 2 + 1, dtype=complex)
        for w in self._params:
            prod = prod * np.fft.rfft(w)
        return np.fft.irfft(prod, n=self.input_dim)

    def bilinear_form(self) -> BilinearForm:
        """Depth 2: ``beta_m = sum_{k + d = m mod D} w[k] v[d] = w^T B_m v``, one channel (``U = w``, ``V = v``).

        Raises
        ------
        ParameterError
            If ``depth != 2``.

        Examples
        --------
        >>> m = CircularCNN(5, depth=2, seed=0)
        >>> form = m.bilinear_form()
        >>> bool(np.allclose(form.predictor(*form.to_factors(m.params)), m.linearization()))
        True
        """
        if self.depth != 2:
            raise ParameterError(f"bilinear_form needs a depth-2 model, this one has depth {self.depth}")
        D = self.input_dim
        return vector_form(correlation_tensor((np.arange(D)[:, None] + np.arange(D)) % D))


# -- G-correlation (real space, Cayley table) ----------------------------------------------------------
def correlation_index(cayley_table: np.ndarray, inverse: np.ndarray) -> np.ndarray:
    """Index matrix ``K[m, g] = index of g^{-1} g_m`` of the G-correlation layer.

    The layer ``(x star w)(g) = sum_h w(h) x(g h)`` (Cohen & Welling 2016) is ``out = x @ A(w)``
    with ``A(w) = w[K]``: substituting ``m = g h`` gives ``out(g) = sum_m x(m) w(g^{-1} m)``.

    Parameters
    ----------
    cayley_table : numpy.ndarray
        ``cayley_table[i, j]`` is the index of ``g_i g_j``, shape ``(n, n)``.
    inverse : numpy.ndarray
        ``inverse[i]`` is the index of ``g_i^{-1}``, shape ``(n,)``.

    Returns
    -------
    numpy.ndarray
        Integer array of shape ``(n, n)``.

    Examples
    --------
    >>> C = (np.arange(3)[:, None] + np.arange(3)) % 3   # cyclic group of order 3
    >>> correlation_index(C, np.array([0, 2, 1])).tolist()
    [[0, 2, 1], [1, 0, 2], [2, 1, 0]]

    On a non-abelian group, ``g K[m, g] = m``:

    >>> import grouptools as gt
    >>> G = gt.symmetric(3)
    >>> K = correlation_index(G.cayley_table, G.inverse)
    >>> all(G.cayley_table[g, K[m, g]] == m for m in range(6) for g in range(6))
    True
    """
    C = np.asarray(cayley_table)
    inv = np.asarray(inverse)
    n = C.shape[0]
    if C.ndim != 2 or C.shape != (n, n) or inv.shape != (n,):
        raise ShapeError(f"cayley_table must be (n, n) and inverse (n,), got {C.shape} and {inv.shape}")
    return np.ascontiguousarray(C[inv, :].T.astype(np.intp))  # K[m, g] = C[g^-1, m]


def _gcorr(H: np.ndarray, w: np.ndarray, K: np.ndarray) -> np.ndarray:
    """G-correlation of the rows of ``H`` with ``w``: ``H @ w[K]``, ``out(g) = sum_m H(m) w(g^-1 m)``."""
    return H @ w[K]


def _gcorr_backward(H: np.ndarray, G: np.ndarray, w: np.ndarray, K: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adjoint of :func:`_gcorr`: ``dH = G A^T`` and ``dw[k] = sum_{K[m, g] = k} (H^T G)[m, g]``."""
    dH = G @ w[K].T
    dw = np.bincount(K.ravel(), weights=(H.T @ G).ravel(), minlength=w.shape[0])
    return dH, dw


def _group_data(G: Any) -> tuple[int, np.ndarray, np.ndarray]:
    try:
        n = int(G.order)
        C = np.asarray(G.cayley_table)
        inv = np.asarray(G.inverse)
    except AttributeError as exc:
        raise ParameterTypeError(
            f"G must be a finite group with order, cayley_table and inverse (e.g. grouptools.dihedral(4)), got {type(G).__name__}"
        ) from exc
    if C.shape != (n, n) or inv.shape != (n,):
        raise ShapeError(f"group of order {n} has cayley_table {C.shape} and inverse {inv.shape}")
    return n, C, inv


def _group_order(G: Any) -> int:
    try:
        return check_positive_int("G.order", G.order)
    except AttributeError as exc:
        raise ParameterTypeError(
            f"G must be a finite group with an order (e.g. grouptools.dihedral(4)), got {type(G).__name__}"
        ) from exc


class _GroupData:
    """Per-group data shared by a :class:`GCNN` and its copies: the index matrix and the Fourier engine.

    Both are built on first use, so a model on the Fourier path never asks for the Cayley table nor
    builds the ``(|G|, |G|)`` index matrix.
    """

    def __init__(self, G: Any) -> None:
        self.group = G
        self._K: np.ndarray | None = None
        self._engine: GCNNFourier | None = None

    @property
    def K(self) -> np.ndarray:
        if self._K is None:
            _, C, inv = _group_data(self.group)
            self._K = correlation_index(C, inv)
        return self._K

    @property
    def engine(self) -> GCNNFourier:
        if self._engine is None:
            self._engine = GCNNFourier(self.group)
        return self._engine

    def clear_cache(self) -> None:
        """Drop the engine's cached data and filter transforms (if the engine was built)."""
        if self._engine is not None:
            self._engine.clear_cache()


class GCNN(LinearModel):
    """Linear group-convolutional network over a finite group G (Lawrence et al. 2022).

    Inputs are real functions on G (vectors of length ``|G|``, indexed like the group elements).
    Layers ``h_0 = x``, ``h_l = h_{l-1} star w_l`` for ``l = 1..L-1`` with the full-width
    G-correlation of Cohen & Welling (2016)

        ``(x star w)(g) = sum_h w(h) x(g h) = sum_k w(g^{-1} k) x(k)``

    and real filters ``w_l`` in R^|G|, then a dense layer ``f(x) = <h_{L-1}, v>``. Each correlation
    commutes with left translations ``(L_k x)(g) = x(k^{-1} g)``, so the feature maps
    (:meth:`feature_maps`) of ``L_k x`` are those of ``x`` translated by ``L_k``; for images lifted
    by :func:`grouptools.lift_image` a shift, rotation or flip of the image is such a translation.

    With the Fourier transform ``f_hat(rho) = sum_g f(g) rho(g)`` (``docs/theory.md``) one layer is
    ``(h star w)^(rho) = h_hat(rho) w_hat(rho)^H``, and Plancherel turns the dense layer into
    ``f(x) = (1/|G|) sum_rho d_rho Re tr(x_hat(rho) beta_hat(rho)^H)`` with

        ``beta_hat(rho) = v_hat(rho) w_hat_{L-1}(rho) ... w_hat_1(rho)``,

    i.e. the linearization is the group convolution ``beta = v * w_{L-1} * ... * w_1`` with
    ``(a * b)(u) = sum_t a(u t^{-1}) b(t)``. Gradient descent with exponential loss converges in
    direction to a first-order stationary point of the d_rho-weighted Schatten 2/L quasi-norm of
    ``beta_hat`` subject to margins ``>= 1`` (Lawrence et al. 2022; the quasi-norm does not depend
    on the order of the factors).

    Parameters
    ----------
    G : FiniteGroup
        Any object with ``order``, ``cayley_table`` (``[i, j]`` = index of ``g_i g_j``) and
        ``inverse`` (``[i]`` = index of ``g_i^{-1}``), e.g. ``grouptools.dihedral(4)``; the Fourier
        path needs a :class:`grouptools.FiniteGroup`.
    depth : int
        Number of layers L (L - 1 G-correlations and the dense layer; Lawrence et al. 2022 use L = 3).
    init_scale : float
        Entries are drawn from ``N(0, init_scale^2 / |G|)``.
    seed : int
        Seed of the ``numpy.random.Generator``.
    method : {"auto", "real", "fourier"}
        ``"real"``: real space with the Cayley table. ``"fourier"``: Fourier space with the irreps
        (:mod:`training.models._gcnn_fourier`). ``"auto"``: ``"fourier"`` for a
        :class:`grouptools.FiniteGroup` of order > 64, else ``"real"``. Both paths compute the same
        function and gradients (equal up to rounding); the resolved choice is :attr:`method`.
        Multi-channel and local models run in real space only.
    channels : int
        Number K of channels of the hidden layers (default 1).
    support : sequence of int, optional
        Element indices of the filter support S (default: all of G). With ``channels=1`` and the
        full support the model is the one above, parameters ``(|G|,)`` each. Otherwise layers are
        ``out_o(g) = sum_i sum_{s in S} W[o, i, s] x_i(g h_s)`` (``1 -> K -> ... -> K`` channels)
        and a dense layer ``f = sum_k <h_k, v_k>``; parameters ``(K, 1, |S|)``, ``(K, K, |S|)``,
        ..., ``(K, |G|)``, entries ``N(0, init_scale^2 / fan_in)``
        (:mod:`training.models._multichannel`).

    Notes
    -----
    **Real space.** One correlation is ``H @ w[K]`` with the index matrix
    ``K = correlation_index(G.cayley_table, G.inverse)``, ``O(N |G|^2)`` time and ``O(|G|^2)``
    memory. The layer math lives in module functions that take the precomputed data
    (``_gcorr(H, w, K)``, ``_gcorr_backward(H, G, w, K)``); ``_forward_real``, ``_grad_real`` and
    ``_linearization_real`` run it.

    **Fourier space** (``_forward_fourier``, ``_grad_fourier``, ``_linearization_fourier``). With
    ``(x star w)^(rho) = x_hat(rho) w_hat(rho)^H`` and Plancherel, ``f(x) = <x, beta>`` with
    ``beta_hat`` the product of the filter blocks, and the gradient with respect to ``w_l`` is
    ``Re inverse(P_l^H z_hat Q_l^H)`` with ``z = sum_n g_n x_n`` and ``P_l``, ``Q_l`` the products
    of the blocks before and after ``w_hat_l`` in ``v_hat w_hat_{L-1} ... w_hat_1``. A step costs
    a transform and an inverse of the L filters, ``O(L sum_rho d_rho^3)`` per-irrep products and
    ``O(N |G|)`` for the data; the Cayley table is never built. :meth:`precompute` caches ``x_hat`` of a training set (then the data
    enter through ``x_hat`` and each step saves one transform and one inverse).

    References
    ----------
    H. Lawrence, K. Georgiev, A. Dienes, B. T. Kiani. Implicit bias of linear equivariant networks.
    ICML 2022 (arXiv:2110.06084).
    T. Cohen, M. Welling. Group equivariant convolutional networks. ICML 2016.

    Examples
    --------
    >>> class C4:  # the cyclic group of order 4, g_i = i
    ...     order = 4
    ...     cayley_table = (np.arange(4)[:, None] + np.arange(4)) % 4
    ...     inverse = (-np.arange(4)) % 4
    >>> m = GCNN(C4(), depth=3, seed=0)
    >>> bool(np.allclose(m.forward(np.eye(4)), m.linearization()))
    True

    The two paths agree:

    >>> import grouptools as gt
    >>> G = gt.dihedral(5)
    >>> real, fourier = GCNN(G, 3, seed=1, method="real"), GCNN(G, 3, seed=1, method="fourier")
    >>> X = np.random.default_rng(0).standard_normal((4, 10)); g = np.ones(4)
    >>> fourier.precompute(X)
    >>> bool(np.allclose(real.forward(X), fourier.forward(X)))
    True
    >>> all(np.allclose(a, b) for a, b in zip(real.grad(X, g), fourier.grad(X, g)))
    True

    The feature maps follow left translations ``(L_k x)(g) = x(k^{-1} g)``:

    >>> k = G.element("s")
    >>> Lk = gt.left_translate(G, X, k)
    >>> all(np.allclose(a, gt.left_translate(G, b, k)) for a, b in zip(real.feature_maps(Lk), real.feature_maps(X)))
    True
    """

    def __init__(
        self, G: Any, depth: int, *, init_scale: float = 1.0, seed: int = 0, method: str = "auto",
        channels: int = 1, support: Any = None,
    ) -> None:
        n = _group_order(G)
        depth = check_positive_int("depth", depth)
        self.channels = check_positive_int("channels", channels)
        self.support = check_support(n, support)
        self._plan: MultiChannelPlan | None = None
        resolved = resolve_method(G, n, method)
        if self.channels > 1 or self.support.size < n:
            if method == "fourier":
                raise ParameterError("method='fourier' needs channels=1 and the full support")
            _, C, inv = _group_data(G)
            self._plan = MultiChannelPlan(C, inv, self.support)
            rng = np.random.default_rng(seed)
            LinearModel.__init__(self, self._plan.init_params(depth, self.channels, check_scale(init_scale), rng))
            self.group, self.input_dim, self.depth, self.method = G, n, depth, "real"
            self._shared = _GroupData(G)
            return
        shared = _GroupData(G)
        if resolved == "real":
            _ = shared.K  # validate the group and build the index matrix now, as before
        else:
            _ = shared.engine  # the irreps
        scale = check_scale(init_scale) / np.sqrt(n)
        rng = np.random.default_rng(seed)
        super().__init__([rng.standard_normal(n) * scale for _ in range(depth)])
        self.group = G
        self.input_dim = n
        self.depth = depth
        self.method = resolved
        self._shared = shared

    @property
    def _K(self) -> np.ndarray:
        """The index matrix of the real-space path (built on first use)."""
        return self._shared.K

    def precompute(self, X: np.ndarray, *, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        """Cache the Fourier transform of the training inputs ``X`` (Fourier path; no-op in real space).

        Later :meth:`forward`, :meth:`grad` and :meth:`layer_outputs` calls on this very array (for
        instance :func:`training.fit` on it, also with a copy of the model) use the cached
        ``x_hat``. The cache is keyed by the array object: do not modify ``X`` in place afterwards
        (a sample of its entries is re-checked on each call; call :meth:`precompute` again after a
        change). One array is cached at a time.

        Parameters
        ----------
        X : numpy.ndarray
            Inputs, a ``float64`` array of shape ``(N, |G|)``.
        max_bytes : int
            Largest size of the cache (``16 N |G|`` bytes).

        Raises
        ------
        ShapeError
            If ``X`` is not a finite ``float64`` array of shape ``(N, |G|)``.
        ParameterError
            If the cache would need more than ``max_bytes``.
        """
        if self.method == "fourier" and self._plan is None:
            self._shared.engine.precompute(X, max_bytes=max_bytes)
        else:
            self.check_inputs(X)

    def clear_cache(self) -> None:
        """Drop the cached data transform of :meth:`precompute`."""
        self._shared.clear_cache()

    def layer_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """Hidden activations ``[h_0 = X, h_1, ..., h_{L-1}]``, each of shape ``(N, |G|)`` (``(N, C_l, |G|)`` for a multi-channel or local model)."""
        X = self.check_inputs(X)
        if self._plan is not None:
            return self._plan.layer_outputs(self._params, X)
        if self.method == "fourier":
            return self._shared.engine.layer_outputs(self._params, X)
        return self._layer_outputs_real(X)

    def feature_maps(self, X: np.ndarray) -> list[np.ndarray]:
        """Outputs of the G-correlation layers, ``[h_1, ..., h_{L-1}]``, each of shape ``(N, |G|)``.

        ``h_l = h_{l-1} star w_l`` with ``h_0 = X`` and ``(h star w)(g) = sum_u w(u) h(g u)``; the
        input and the dense output are not included (a depth-1 model has none). The maps are
        left-equivariant: ``feature_maps(L_k X)[l] = L_k feature_maps(X)[l]`` with
        ``(L_k x)(g) = x(k^{-1} g)`` (:func:`grouptools.left_translate`).

        Parameters
        ----------
        X : numpy.ndarray
            Inputs, real array of shape ``(N, |G|)``.

        Returns
        -------
        list of numpy.ndarray
            ``L - 1`` arrays of shape ``(N, |G|)``, computed on the path of :attr:`method`
            (``(N, K, |G|)`` for a multi-channel or local model).

        Raises
        ------
        ShapeError
            If ``X`` does not have shape ``(N, |G|)``.

        Examples
        --------
        >>> import grouptools as gt
        >>> G = gt.dihedral(4)
        >>> m = GCNN(G, depth=3, seed=0)
        >>> X = np.random.default_rng(0).standard_normal((2, 8))
        >>> h1, h2 = m.feature_maps(X)
        >>> h1.shape, h2.shape
        ((2, 8), (2, 8))
        >>> T, w1 = G.cayley_table, m.params[0]
        >>> bool(np.allclose(h1[0], [sum(w1[h] * X[0, T[g, h]] for h in range(8)) for g in range(8)]))
        True
        """
        return self.layer_outputs(X)[1:]

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``<h_{L-1}(x_n), v>``."""
        if self._plan is not None:
            return self._plan.forward(self._params, self.check_inputs(X))
        if self.method == "fourier":
            return self._forward_fourier(self.check_inputs(X))
        return self._forward_real(X)

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Backpropagation through the G-correlations (or its Fourier-space equivalent)."""
        X, g = self.check_inputs_and_weights(X, dL_df)
        if self._plan is not None:
            return self._plan.grad(self._params, X, g)
        if self.method == "fourier":
            return self._grad_fourier(X, g)
        return self._grad_real(X, g)

    def linearization(self) -> np.ndarray:
        """``beta = A(w_1) A(w_2) ... A(w_{L-1}) v`` with ``A(w) = w[K]`` (the convolution ``v * w_{L-1} * ... * w_1``)."""
        if self._plan is not None:
            return self._plan.linearization(self._params)
        if self.method == "fourier":
            return self._linearization_fourier()
        return self._linearization_real()

    def bilinear_form(self) -> BilinearForm:
        """Depth 2: ``beta_m = sum_k sum_{s, g : g h_s = m} W[k, 0, s] v_k(g) = sum_k u_k^T B_m v_k``.

        ``B = correlation_tensor(G.cayley_table, support)``, ``u_k = W[k, 0, :]`` (``|S|`` filter
        entries), ``v_k`` the dense weights of channel k (``U = w[None]``, ``V = v[None]`` for the
        one-channel full-width model).

        Raises
        ------
        ParameterError
            If ``depth != 2``.

        Examples
        --------
        >>> import grouptools as gt
        >>> m = GCNN(gt.dihedral(4), 2, channels=3, support=[0, 1, 4])
        >>> form = m.bilinear_form()
        >>> form.channels, form.tensor.shape
        (3, (8, 3, 8))
        >>> bool(np.allclose(form.predictor(*form.to_factors(m.params)), m.linearization()))
        True
        """
        if self.depth != 2:
            raise ParameterError(f"bilinear_form needs a depth-2 model, this one has depth {self.depth}")
        B = correlation_tensor(_group_data(self.group)[1], self.support)
        if self._plan is None:
            return vector_form(B)
        K, S = self.channels, self.support.size
        return BilinearForm(B, K, lambda ps: (np.reshape(ps[0], (K, S)).astype(float), np.array(ps[1], dtype=float)),
                            lambda U, V: [np.reshape(U, (K, 1, S)).astype(float), np.array(V, dtype=float)])

    # -- real space ----------------------------------------------------------------------------------------
    def _layer_outputs_real(self, X: np.ndarray) -> list[np.ndarray]:
        H = [X]
        for w in self._params[:-1]:
            H.append(_gcorr(H[-1], w, self._K))
        return H

    def _forward_real(self, X: np.ndarray) -> np.ndarray:
        return self._layer_outputs_real(X)[-1] @ self._params[-1]

    def _grad_real(self, X: np.ndarray, g: np.ndarray) -> list[np.ndarray]:
        H = self._layer_outputs_real(X)
        grads: list[np.ndarray] = [np.empty(0)] * self.depth
        grads[-1] = H[-1].T @ g
        Gr = np.outer(g, self._params[-1])
        for l in range(self.depth - 2, -1, -1):
            Gr, grads[l] = _gcorr_backward(H[l], Gr, self._params[l], self._K)
        return grads

    def _linearization_real(self) -> np.ndarray:
        beta = self._params[-1]
        for w in reversed(self._params[:-1]):
            beta = w[self._K] @ beta
        return beta

    # -- Fourier space -------------------------------------------------------------------------------------
    def _forward_fourier(self, X: np.ndarray) -> np.ndarray:
        return self._shared.engine.forward(self._params, X)

    def _grad_fourier(self, X: np.ndarray, g: np.ndarray) -> list[np.ndarray]:
        return self._shared.engine.grad(self._params, X, g)

    def _linearization_fourier(self) -> np.ndarray:
        return self._shared.engine.linearization(self._params)
