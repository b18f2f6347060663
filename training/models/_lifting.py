r"""A linear G-CNN on a homogeneous space: the lifting layer from G/H to G, then G-correlations.

Inputs are real functions on the left cosets ``G/H`` (vectors of length ``|G/H|`` indexed like the
points of ``G.permutation_representation(H)``: point ``y`` is the coset ``t_y H`` of the
representative ``t_y = points[y]``). The first layer is the **lifting correlation** of Cohen &
Welling (2016, section 6.2), a filter ``w`` on ``G/H`` placed at every group element:

    ``(x star w)(g) = sum_{y in G/H} w(g^{-1} y) x(y) = sum_{y in G/H} w(y) x(g y)``.

It commutes with left translations, ``(L_k x)(y) = x(k^{-1} y)`` on ``G/H`` and
``(L_k h)(g) = h(k^{-1} g)`` on G, and the maps ``x -> x star w`` are all of
``Hom_G(C[G/H], C[G])`` (the matrix of ``w`` has ``w`` in its identity row, so ``w -> x star w`` is
injective, and ``dim Hom_G = |G/H|`` by Frobenius reciprocity); ``||x star .||_F^2 = |G| ||w||^2``.
The seeds' way of feeding images to a G-CNN, ``gt.lift_image``, is the lifting correlation with
the filter ``w = e_H`` (the indicator of the origin): ``lift(x)(g) = x(g H)``. For
``G = gt.torus_p4m(n)`` and ``H`` its point group D4 the points of ``G/H`` are the translations,
i.e. the pixels of an ``n x n`` image in row-major order: ``image.reshape(-1)`` is an input.

Examples
--------
>>> import numpy as np
>>> import grouptools as gt
>>> G = gt.torus_p4m(2)
>>> D4 = G.subgroup([G.element("r"), G.element("s")])
>>> m = LiftingGCNN(G, D4, depth=3, seed=0)
>>> m.input_dim, [p.shape for p in m.params]
(4, [(4,), (32,), (32,)])
>>> bool(np.allclose(m.forward(np.eye(4)), m.linearization()))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_positive_int
from .._errors import ParameterError, ParameterTypeError
from ._base import LinearModel, check_scale
from ._bilinear import BilinearForm, vector_form
from ._conv import correlation_index

__all__ = ["DEFAULT_MAX_ORDER", "LiftingGCNN", "lifting_index"]

#: Largest group order :class:`LiftingGCNN` accepts by default (its index matrices are ``|G|^2``).
DEFAULT_MAX_ORDER = 4096


def lifting_index(G: Any, H: Any) -> np.ndarray:
    """Index matrix ``K[y, g]`` = the point of ``g^{-1} t_y H`` in ``G/H`` (shape ``(|G/H|, |G|)``).

    The lifting correlation is ``out = x @ w[K]`` for a row ``x`` on ``G/H``:
    ``out(g) = sum_y x(y) w(g^{-1} y)``. Points are numbered as in
    ``G.permutation_representation(H)`` (by ``G.cosets(H, "left")``, smallest representative first).

    Parameters
    ----------
    G : grouptools.FiniteGroup
    H : grouptools.Subgroup
        A subgroup of ``G``.

    Returns
    -------
    numpy.ndarray
        Integer array of shape ``(|G/H|, |G|)``.

    Examples
    --------
    For ``H`` trivial it is the index matrix of the G-correlation (:func:`correlation_index`):

    >>> import numpy as np
    >>> import grouptools as gt
    >>> G = gt.dihedral(3)
    >>> K = lifting_index(G, G.subgroup([]))
    >>> bool(np.array_equal(K, correlation_index(G.cayley_table, G.inverse)))
    True
    """
    labels, reps = G.cosets(H, "left")
    labels = np.asarray(labels, dtype=np.intp)
    reps = np.asarray(reps, dtype=np.int64)
    inv = np.asarray(G.inverse, dtype=np.int64)
    prod = np.asarray(G.multiply(np.broadcast_to(inv[None, :], (reps.size, G.order)),
                                 np.broadcast_to(reps[:, None], (reps.size, G.order))))
    return np.ascontiguousarray(labels[prod])


def _corr(H: np.ndarray, w: np.ndarray, K: np.ndarray) -> np.ndarray:
    """``H @ w[K]``: ``out(g) = sum_y H(y) w(K[y, g])``."""
    return H @ w[K]


def _corr_backward(H: np.ndarray, Gr: np.ndarray, w: np.ndarray, K: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adjoint of :func:`_corr`: ``dH = Gr w[K]^T`` and ``dw[a] = sum_{K[y, g] = a} (H^T Gr)[y, g]``."""
    return Gr @ w[K].T, np.bincount(K.ravel(), weights=(H.T @ Gr).ravel(), minlength=w.shape[0])


class LiftingGCNN(LinearModel):
    r"""Linear G-CNN on functions on ``G/H``: a lifting layer, G-correlations, a dense last layer.

    Layers ``h_1 = x star w_1`` (the lifting correlation, module docstring; ``w_1`` a filter on
    ``G/H``), ``h_l = h_{l-1} star w_l`` for ``l = 2..L-1`` (the G-correlation
    ``(h star w)(g) = sum_u w(u) h(g u)`` of :class:`~training.models.GCNN`, ``w_l`` on G), and
    ``f(x) = <h_{L-1}, v>``. Parameters ``[w_1 (|G/H|), w_2, ..., w_{L-1}, v (|G|)]``, depth
    ``L >= 2``; the predictor is ``beta = A_1 A_2 ... A_{L-1} v`` with ``A_1 = w_1[K_lift]`` and
    ``A_l = w_l[K]`` (:func:`lifting_index`, :func:`~training.models.correlation_index`).

    This is a separate class rather than an option of :class:`~training.models.GCNN`: the input
    space, the first filter's length and the index matrix all differ, and a GCNN's inputs stay
    functions on G. With ``H`` trivial it is the real-space GCNN of the same depth, parameter for
    parameter. Every feature map ``h_l`` is left-equivariant: ``L_k x`` on ``G/H`` gives
    ``L_k h_l`` on G (Cohen & Welling 2016). The lifting filters span ``Hom_G(C[G/H], C[G])``
    with ``||A_1||_F^2 = |G| ||w_1||^2``, so the parameter norm is, layer by layer, the Frobenius
    norm of an equivariant map divided by ``sqrt(|G|)``: the orthonormal-basis parameterization of
    :class:`~training.models._steerable.SteerableNet` up to one constant per layer, which changes
    the representation cost ``min ||w||^2`` only by a constant factor.

    Parameters
    ----------
    G : grouptools.FiniteGroup
    H : grouptools.Subgroup
        A subgroup of ``G``; inputs are functions on ``G/H``.
    depth : int
        Number of layers L >= 2 (the lifting layer, ``L - 2`` G-correlations, the dense layer).
    init_scale : float
        ``w_1`` has entries ``N(0, init_scale^2 / |G/H|)``, the other layers
        ``N(0, init_scale^2 / |G|)`` (as :class:`~training.models.GCNN`).
    seed : int
        Seed of the ``numpy.random.Generator``.
    max_order : int
        Largest ``|G|`` accepted (the index matrices take ``8 |G| (|G/H| + |G|)`` bytes).

    Attributes
    ----------
    group, subgroup
        ``G`` and ``H``.
    representation : grouptools.Representation
        ``G.permutation_representation(H)``, whose points label the inputs.
    lift_index : numpy.ndarray
        :func:`lifting_index` ``(G, H)``, read-only.

    Raises
    ------
    ParameterTypeError
        ``G`` not a :class:`grouptools.FiniteGroup` or ``H`` not a :class:`grouptools.Subgroup`.
    ParameterError
        ``H`` a subgroup of another group, ``depth < 2``, ``|G| > max_order``.

    Notes
    -----
    **The depth-2 bias.** Write ``f~(u) = f(u H)`` for the lift of a function on ``G/H`` to a
    right-H-invariant function on G. Then ``beta~ = v * w~`` (the group convolution of
    ``docs/theory.md``), so ``beta~_hat(rho) = v_hat(rho) w~_hat(rho)`` with
    ``w~_hat(rho) = w~_hat(rho) P_H(rho)``, ``P_H = (1/|H|) sum_h rho(h)``, and by Plancherel
    ``||v||^2 + ||w||^2 = (1/|G|) sum_rho d_rho (||v_hat||_F^2 + ||w~_hat||_F^2 / |H|)``. Minimizing
    block by block (``min ||A||^2 + ||B||^2 / c`` over ``AB = M`` is ``2 ||M||_* / sqrt(c)``; the
    minimizer keeps ``B = B P_H`` because ``M = M P_H``) gives the representation cost

        ``R(beta) = 2 / (|G| sqrt(|H|)) sum_rho d_rho ||beta~_hat(rho)||_*``,

    the G-CNN's weighted nuclear norm of the lifted predictor (``H`` trivial: the G-CNN). Since
    ``<x, beta> = <x~, beta~> / |H|`` and the Schatten max-margin predictor of lifted data can be
    taken right-H-invariant (averaging over right translations by ``H`` keeps the margins and does
    not increase the norm), the depth-2 lifting network is biased, in direction, towards the
    predictor of a depth-2 G-CNN trained on the lifted data ``x~``, read on the coset
    representatives. Both statements are checked in ``tests/training/test_lifting.py``.

    References
    ----------
    T. Cohen, M. Welling. Group equivariant convolutional networks. ICML 2016.
    H. Lawrence, K. Georgiev, A. Dienes, B. T. Kiani. Implicit bias of linear equivariant networks.
    ICML 2022.

    Examples
    --------
    Functions on the vertices of a triangle (``D3 / <s>``), lifted to ``D3``:

    >>> import numpy as np
    >>> import grouptools as gt
    >>> G = gt.dihedral(3)
    >>> m = LiftingGCNN(G, G.subgroup([G.element("s")]), depth=2, seed=0)
    >>> P = m.representation                              # P(k) x = L_k x on G/H
    >>> x = np.random.default_rng(0).standard_normal((1, 3)); k = G.element("r")
    >>> h = m.feature_maps(x)[0]
    >>> bool(np.allclose(m.feature_maps(x @ P(k).real.T)[0], gt.left_translate(G, h, k)))
    True
    """

    def __init__(self, G: Any, H: Any, depth: int, *, init_scale: float = 1.0, seed: int = 0,
                 max_order: int = DEFAULT_MAX_ORDER) -> None:
        import grouptools as gt  # on first use: ``import training`` does not load grouptools

        if not isinstance(G, gt.FiniteGroup):
            raise ParameterTypeError(f"G must be a grouptools.FiniteGroup, got {type(G).__name__}")
        if not isinstance(H, gt.Subgroup):
            raise ParameterTypeError(f"H must be a grouptools.Subgroup of G (G.subgroup(...)), got {type(H).__name__}")
        if H.parent != G:
            raise ParameterError("H is a subgroup of another group")
        depth = check_positive_int("depth", depth, 2)
        max_order = check_positive_int("max_order", max_order)
        if G.order > max_order:
            raise ParameterError(f"|G| = {G.order} > max_order={max_order} (index matrices of |G|^2 entries)")
        scale = check_scale(init_scale)
        H = H if H.parent is G else G.subgroup(H.generators)
        rep = G.permutation_representation(H)
        n, m = G.order, rep.dim
        Kl = lifting_index(G, H)
        Kl.setflags(write=False)
        K = None
        if depth > 2:
            K = correlation_index(G.cayley_table, G.inverse)
            K.setflags(write=False)
        rng = np.random.default_rng(seed)
        params = [rng.standard_normal(m) * (scale / np.sqrt(m))]
        params += [rng.standard_normal(n) * (scale / np.sqrt(n)) for _ in range(depth - 1)]
        super().__init__(params)
        self.group = G
        self.subgroup = H
        self.representation = rep
        self.lift_index = Kl
        self._K = K
        self.input_dim = m
        self.depth = depth

    # -- the layers ---------------------------------------------------------------------------------
    def lifting_matrix(self) -> np.ndarray:
        """The lifting layer as a matrix ``A`` of shape ``(|G|, |G/H|)``: ``h_1 = A x``, ``A[g, y] = w_1(g^{-1} y)``.

        Examples
        --------
        >>> import numpy as np
        >>> import grouptools as gt
        >>> G = gt.dihedral(4); m = LiftingGCNN(G, G.subgroup([G.element("s")]), 2)
        >>> A = m.lifting_matrix(); R = G.regular_representation(); P = m.representation
        >>> all(np.allclose(R(g).real @ A, A @ P(g).real) for g in G.generators)
        True
        """
        return self._params[0][self.lift_index].T

    def layer_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """``[h_0 = X, h_1, ..., h_{L-1}]``: ``h_0`` of shape ``(N, |G/H|)``, the others ``(N, |G|)``."""
        H = [self.check_inputs(X)]
        H.append(_corr(H[0], self._params[0], self.lift_index))
        for w in self._params[1:-1]:
            H.append(_corr(H[-1], w, self._K))
        return H

    def feature_maps(self, X: np.ndarray) -> list[np.ndarray]:
        """The feature maps on G, ``[h_1, ..., h_{L-1}]``, each of shape ``(N, |G|)``.

        ``h_1 = x star w_1`` (lifting), ``h_l = h_{l-1} star w_l``; all left-equivariant:
        ``feature_maps(L_k X)[l] = L_k feature_maps(X)[l]``.

        Raises
        ------
        ShapeError
            If ``X`` is not of shape ``(N, |G/H|)``.

        Examples
        --------
        With the filter ``e_H`` the lifting layer is ``x(g H)``, the seeds' lift of an image:

        >>> import numpy as np
        >>> import grouptools as gt
        >>> G = gt.torus_p4m(3); D4 = G.subgroup([G.element("r"), G.element("s")])
        >>> m = LiftingGCNN(G, D4, 2)
        >>> m = m.with_params([np.eye(9)[0], m.params[1]])
        >>> img = np.random.default_rng(0).standard_normal((3, 3))
        >>> bool(np.allclose(m.feature_maps(img.reshape(1, 9))[0][0], gt.lift_image(G, img)))
        True
        """
        return self.layer_outputs(X)[1:]

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``<h_{L-1}(x_n), v>``."""
        return self.layer_outputs(X)[-1] @ self._params[-1]

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Backpropagation through the correlations (the adjoint of ``H -> H @ w[K]`` in both ``H`` and ``w``)."""
        X, g = self.check_inputs_and_weights(X, dL_df)
        H = self.layer_outputs(X)
        grads: list[np.ndarray] = [np.empty(0)] * self.depth
        grads[-1] = H[-1].T @ g
        Gr = np.outer(g, self._params[-1])
        for l in range(self.depth - 2, 0, -1):
            Gr, grads[l] = _corr_backward(H[l], Gr, self._params[l], self._K)
        _, grads[0] = _corr_backward(H[0], Gr, self._params[0], self.lift_index)
        return grads

    def linearization(self) -> np.ndarray:
        """``beta = A_1 A_2 ... A_{L-1} v`` with ``A_1 = w_1[K_lift]``, ``A_l = w_l[K]`` (shape ``(|G/H|,)``)."""
        beta = self._params[-1]
        for w in reversed(self._params[1:-1]):
            beta = w[self._K] @ beta
        return self._params[0][self.lift_index] @ beta

    def bilinear_form(self, *, max_bytes: int = 2**30) -> BilinearForm:
        """The depth-2 network as a bilinear form (:class:`training.models._bilinear.BilinearForm`).

        ``beta(y) = sum_g w_1(g^{-1} y) v(g)``: one channel, ``u = w_1`` (``p = |G/H|``),
        ``v`` (``q = |G|``) and ``B[y, a, g] = 1`` where ``g^{-1} y = a``, else 0.

        Parameters
        ----------
        max_bytes : int
            Largest size of the tensor ``B`` (``8 |G/H|^2 |G|`` bytes), checked before it is built.

        Raises
        ------
        ParameterError
            If the network does not have depth 2, or ``B`` would exceed ``max_bytes``.

        Examples
        --------
        >>> import numpy as np
        >>> import grouptools as gt
        >>> G = gt.symmetric(3); m = LiftingGCNN(G, G.subgroup([G.element("b")]), 2, seed=1)
        >>> form = m.bilinear_form()
        >>> form.tensor.shape, form.channels
        ((3, 3, 6), 1)
        >>> bool(np.allclose(form.predictor(*form.to_factors(m.params)), m.linearization()))
        True
        """
        if self.depth != 2:
            raise ParameterError(f"bilinear_form needs a network of depth 2, this one has depth {self.depth}")
        m, n = self.lift_index.shape
        if 8 * m * m * n > check_positive_int("max_bytes", max_bytes):
            raise ParameterError(f"the bilinear tensor needs {8 * m * m * n} bytes > max_bytes={max_bytes}")
        B = np.zeros((m, m, n))
        ys, gs = np.indices((m, n))
        B[ys, self.lift_index, gs] = 1.0
        return vector_form(B)
