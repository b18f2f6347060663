r"""Linear steerable networks: layers spanned by an equivariant basis, invariant or dense head.

A steerable layer between real representations ``rep_{l-1}`` and ``rep_l`` of a finite group G is
a map in ``Hom_G(rep_{l-1}, rep_l) = {W : rep_l(g) W = W rep_{l-1}(g) for all g}``; the network
stacks ``L - 1`` of them and ends with a head (Chen & Zhu 2023; the regular-representation case is
the G-CNN of Cohen & Welling 2016). With the orthonormal basis ``E_{l,1..k_l}`` of
``gt.equivariant_basis(rep_{l-1}, rep_l)`` each layer is ``W_l = sum_a theta_{l,a} E_{l,a}`` and
``||theta_l||_2 = ||W_l||_F``, so the parameter norm of the network is the Frobenius norm of its
layers whatever basis grouptools picks.

Examples
--------
>>> import numpy as np
>>> import grouptools as gt
>>> G = gt.dihedral(4)
>>> R = G.regular_representation()
>>> m = SteerableNet(G, [R, R], head="invariant", seed=0)
>>> [p.shape for p in m.params]              # |G| equivariant maps R -> R, one invariant head
[(8,), (1,)]
>>> bool(np.allclose(m.forward(np.eye(8)), m.linearization()))
True
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._checks import check_positive_int
from .._errors import ParameterError, ParameterTypeError
from ._base import LinearModel, check_scale
from ._bilinear import BilinearForm, vector_form

__all__ = ["DEFAULT_BASIS_BYTES", "SteerableNet", "check_real_representation", "hom_dimension"]

#: Default memory budget of the equivariant bases of one :class:`SteerableNet` (bytes).
DEFAULT_BASIS_BYTES = 2**30

_HEADS = ("invariant", "dense")


def check_real_representation(rep: Any, G: Any, name: str = "rep", *, tol: float = 1e-10) -> np.ndarray:
    """The generator images of a real representation of ``G``, as a float64 array ``(k, d, d)``.

    Parameters
    ----------
    rep : grouptools.Representation
        A representation of ``G`` whose matrices are real (e.g. ``G.regular_representation()``,
        ``G.permutation_representation(H)``, a real irrep).
    G : grouptools.FiniteGroup
        The group.
    name : str
        Name of the argument in messages.
    tol : float
        Largest imaginary part accepted as rounding error.

    Returns
    -------
    numpy.ndarray
        ``rep(s)`` for the generators ``s`` of ``G`` (in ``G.generators`` order), read-only.

    Raises
    ------
    ParameterTypeError
        If ``rep`` is not a :class:`grouptools.Representation`.
    ParameterError
        If ``rep`` is a representation of another group or has non-real matrices.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.cyclic(3)
    >>> check_real_representation(G.regular_representation(), G).shape
    (1, 3, 3)
    >>> check_real_representation(G.irreps()[1], G)
    Traceback (most recent call last):
    ...
    training._errors.ParameterError: rep is not real (largest |imaginary part| of a generator image 0.866); steerable layers need real representations (regular, permutation, real irreps)
    """
    import grouptools as gt  # on first use: ``import training`` does not load grouptools

    if not isinstance(rep, gt.Representation):
        raise ParameterTypeError(f"{name} must be a grouptools.Representation, got {type(rep).__name__}")
    if rep.group != G:
        raise ParameterError(f"{name} is a representation of {rep.group!r}, not of {G!r}")
    U = np.asarray(rep.numeric_generator_images)
    imag = float(np.max(np.abs(U.imag), initial=0.0))
    if imag > tol:
        raise ParameterError(f"{name} is not real (largest |imaginary part| of a generator image {imag:.3g}); "
                             "steerable layers need real representations (regular, permutation, real irreps)")
    out = np.array(U.real, dtype=np.float64)
    out.setflags(write=False)
    return out


def hom_dimension(rep_in: Any, rep_out: Any) -> int:
    """``dim Hom_G(rep_in, rep_out) = (1/|G|) sum_g chi_in(g) conj(chi_out(g))`` from the characters.

    Costs the two characters (one matrix per conjugacy class), so it bounds the size of
    ``gt.equivariant_basis(rep_in, rep_out)`` before it is built (Serre 1977, 2.3).

    Examples
    --------
    >>> import grouptools as gt
    >>> R = gt.dihedral(5).regular_representation()
    >>> hom_dimension(R, R)
    10
    """
    G = rep_in.group
    sizes = np.asarray(G.conjugacy_classes().sizes, dtype=float)

    def values(rep: Any) -> np.ndarray:
        chi = rep.character
        return np.array([complex(c) for c in chi]) if isinstance(chi, tuple) else np.asarray(chi, complex)

    inner = np.sum(sizes * values(rep_in) * np.conj(values(rep_out))) / G.order
    return int(round(inner.real))


class SteerableNet(LinearModel):
    r"""Linear steerable network ``f(x) = h^T W_{L-1} ... W_1 x`` with equivariant layers.

    ``reps = [rep_0, rep_1, ..., rep_{L-1}]`` are real representations of ``G``; inputs ``x`` live in
    ``rep_0`` (``input_dim = rep_0.dim``). Layer ``l = 1..L-1`` is

        ``W_l = sum_a theta_{l,a} E_{l,a}``,  ``E_l = gt.equivariant_basis(rep_{l-1}, rep_l)``,

    an orthonormal real basis of ``Hom_G(rep_{l-1}, rep_l)`` of shape ``(k_l, d_l, d_{l-1})``, so
    ``rep_l(g) W_l = W_l rep_{l-1}(g)`` for every parameter value and ``||theta_l|| = ||W_l||_F``.
    The head ``h = sum_b phi_b h_b`` is

    - ``"invariant"``: ``h_b`` an orthonormal basis of the invariant vectors of ``rep_{L-1}``
      (``gt.equivariant_basis(rep_{L-1}, trivial)``, so ``h^T rep_{L-1}(g) = h^T``) and ``f`` is a
      G-invariant function: ``f(rep_0(g) x) = f(x)``;
    - ``"dense"``: ``h = phi`` an unconstrained vector of ``R^{d_{L-1}}``.

    The parameters are ``[theta_1, ..., theta_{L-1}, phi]`` (depth ``L = len(reps)``, homogeneous of
    degree L), the predictor ``beta = W_1^T ... W_{L-1}^T h``. With the invariant head,
    ``beta = rep_0(g)^T beta`` for all g; for orthogonal ``rep_0`` this puts ``beta`` in the
    subspace fixed by G, and Chen & Zhu (2023) show that gradient flow on separable data then
    converges in direction to the G-invariant max-margin classifier (the SVM on the orbit-augmented
    data). With ``rep_l`` regular and the dense head this is a G-CNN (Cohen & Welling 2016) in a
    different parameterization: the basis is orthonormal, so ``||theta_l||^2 = ||W_l||_F^2 =
    |G| ||w_l||^2`` in terms of a filter ``w_l``.

    Parameters
    ----------
    G : grouptools.FiniteGroup
        The group.
    reps : sequence of grouptools.Representation
        ``[rep_0, ..., rep_{L-1}]``, at least one, all real representations of ``G``.
    head : {"invariant", "dense"}
        The last layer.
    init_scale : float
        ``theta_l`` has entries ``N(0, init_scale^2 d_l / k_l)`` (so ``E ||W_l||_F^2 =
        init_scale^2 d_l``, as a dense ``N(0, init_scale^2 / d_{l-1})`` layer); the head
        ``N(0, init_scale^2 / k)`` with ``k`` its number of parameters.
    seed : int
        Seed of the ``numpy.random.Generator``.
    max_bytes : int
        Largest memory of the equivariant bases (``8 k_l d_l d_{l-1}`` bytes each), checked from the
        characters (:func:`hom_dimension`) before any basis is built.

    Attributes
    ----------
    group : grouptools.FiniteGroup
    representations : tuple of grouptools.Representation
    head : str
    bases : tuple of numpy.ndarray
        ``E_1, ..., E_{L-1}`` (read-only, shapes ``(k_l, d_l, d_{l-1})``) and the head basis
        (read-only, shape ``(k, d_{L-1})``; the identity for the dense head).
    generator_images : tuple of numpy.ndarray
        For each representation, its real generator images ``(len(G.generators), d, d)``
        (float64, computed once; :func:`check_real_representation`).

    Raises
    ------
    ParameterTypeError
        ``G`` not a :class:`grouptools.FiniteGroup`, ``reps`` not representations.
    ParameterError
        Empty ``reps``, a representation of another group or with non-real matrices, an unknown
        ``head``, a layer with no equivariant maps (``Hom_G(rep_{l-1}, rep_l) = 0``), an invariant
        head on a representation with no invariant vectors, bases larger than ``max_bytes``.

    Notes
    -----
    **Depth 2, invariant head, orthogonal ``rep_0``.** The representation cost
    ``R(beta) = min {||theta||^2 + ||phi||^2 : beta(theta, phi) = beta}`` is ``2 ||beta||_2`` on the
    vectors fixed by G (and infinite elsewhere). Lower bound: ``||beta|| = ||W^T h|| <=
    ||W||_F ||h|| <= (||W||_F^2 + ||h||^2) / 2``. It is attained: for a fixed ``beta`` and any
    nonzero invariant ``h`` of ``rep_1``, ``W = h beta^T / ||h||^2`` is equivariant
    (``rep_1(g) h = h`` and ``beta^T rep_0(g) = beta^T``) with ``W^T h = beta``, and scaling ``h`` to
    ``||h||^2 = ||beta||`` gives ``||W||_F^2 + ||h||^2 = 2 ||beta||``. So the max-margin problem in
    parameter space is the hard-margin SVM restricted to the fixed subspace, as Chen & Zhu state;
    ``tests/training/test_steerable.py`` checks the polished networks against it.

    References
    ----------
    Z. Chen, W. Zhu. On the implicit bias of linear equivariant steerable networks. NeurIPS 2023.
    T. Cohen, M. Welling. Group equivariant convolutional networks. ICML 2016.
    T. Cohen, M. Welling. Steerable CNNs. ICLR 2017.

    Examples
    --------
    Hidden features in the permutation representation of the triangle's vertices:

    >>> import numpy as np
    >>> import grouptools as gt
    >>> G = gt.dihedral(3)
    >>> R = G.regular_representation()
    >>> P = G.permutation_representation(G.subgroup([G.element("s")]))
    >>> m = SteerableNet(G, [R, P, R], head="dense", seed=1)
    >>> [p.shape for p in m.params], m.depth     # dim Hom_G(C[G], V) = dim V
    ([(3,), (3,), (6,)], 3)
    >>> W1, W2 = m.layer_matrices()
    >>> all(np.allclose(P(g).real @ W1, W1 @ R(g).real) for g in G.generators)
    True

    The invariant head gives an invariant predictor:

    >>> inv = SteerableNet(G, [R, R], head="invariant", seed=0)
    >>> beta = inv.linearization()
    >>> bool(np.allclose(beta, beta.mean()))     # constant on G: the fixed vectors of R
    True
    """

    def __init__(
        self,
        G: Any,
        reps: Sequence[Any],
        head: str = "invariant",
        *,
        init_scale: float = 1.0,
        seed: int = 0,
        max_bytes: int = DEFAULT_BASIS_BYTES,
    ) -> None:
        import grouptools as gt

        if not isinstance(G, gt.FiniteGroup):
            raise ParameterTypeError(f"G must be a grouptools.FiniteGroup, got {type(G).__name__}")
        if isinstance(reps, (str, bytes)) or not isinstance(reps, Sequence):
            raise ParameterTypeError(f"reps must be a sequence of grouptools.Representation, got {type(reps).__name__}")
        reps = tuple(reps)
        if not reps:
            raise ParameterError("reps must hold at least the input representation")
        if head not in _HEADS:
            raise ParameterError(f"head must be 'invariant' or 'dense', got {head!r}")
        max_bytes = check_positive_int("max_bytes", max_bytes)
        scale = check_scale(init_scale)
        images = tuple(check_real_representation(r, G, f"reps[{i}]") for i, r in enumerate(reps))
        trivial = G.irreps()[0] if head == "invariant" else None
        pairs = [(reps[l - 1], reps[l]) for l in range(1, len(reps))]
        if trivial is not None:
            pairs.append((reps[-1], trivial))
        sizes = [hom_dimension(a, b) for a, b in pairs]
        total = sum(8 * k * a.dim * b.dim for k, (a, b) in zip(sizes, pairs))
        if total > max_bytes:
            raise ParameterError(f"the equivariant bases need {total} bytes > max_bytes={max_bytes}")
        for l, k in enumerate(sizes):
            if k == 0:
                what = (f"reps[{l}] has no vectors fixed by G, so the invariant head is zero"
                        if l == len(reps) - 1 else f"there is no nonzero equivariant map from reps[{l}] to reps[{l + 1}]")
                raise ParameterError(f"{what}; the network would be identically zero")
        bases = [_readonly(gt.equivariant_basis(a, b, real=True)) for a, b in pairs[: len(reps) - 1]]
        if trivial is not None:
            hb = _readonly(gt.equivariant_basis(reps[-1], trivial, real=True)[:, 0, :])
        else:
            hb = _readonly(np.eye(reps[-1].dim))
        bases.append(hb)
        rng = np.random.default_rng(seed)
        params = [rng.standard_normal(E.shape[0]) * (scale * np.sqrt(E.shape[1] / E.shape[0])) for E in bases[:-1]]
        params.append(rng.standard_normal(hb.shape[0]) * (scale / np.sqrt(hb.shape[0])))
        super().__init__(params)
        self.group = G
        self.representations = reps
        self.head = head
        self.bases = tuple(bases)
        self.generator_images = images
        self.input_dim = reps[0].dim
        self.depth = len(reps)

    # -- the layers ---------------------------------------------------------------------------------
    def layer_matrices(self) -> list[np.ndarray]:
        """``[W_1, ..., W_{L-1}]``, ``W_l = sum_a theta_{l,a} E_{l,a}`` of shape ``(d_l, d_{l-1})``."""
        return [np.tensordot(t, E, axes=1) for t, E in zip(self._params[:-1], self.bases[:-1])]

    def head_vector(self) -> np.ndarray:
        """``h = sum_b phi_b h_b`` (shape ``(d_{L-1},)``): ``f(x) = <h, W_{L-1} ... W_1 x>``."""
        return self._params[-1] @ self.bases[-1]

    def layer_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """``[h_0 = X, h_1, ..., h_{L-1}]`` with ``h_l = h_{l-1} W_l^T`` (rows are samples)."""
        H = [self.check_inputs(X)]
        for W in self.layer_matrices():
            H.append(H[-1] @ W.T)
        return H

    def feature_maps(self, X: np.ndarray) -> list[np.ndarray]:
        """The hidden features ``[h_1, ..., h_{L-1}]``, ``h_l`` of shape ``(N, d_l)``.

        Each is equivariant: the features of ``rep_0(g) x`` are ``rep_l(g) h_l(x)``.

        Raises
        ------
        ShapeError
            If ``X`` is not of shape ``(N, input_dim)``.

        Examples
        --------
        >>> import numpy as np
        >>> import grouptools as gt
        >>> G = gt.dihedral(4); R = G.regular_representation()
        >>> m = SteerableNet(G, [R, R, R], head="dense", seed=0)
        >>> x = np.random.default_rng(1).standard_normal(8); g = G.element("r")
        >>> h = m.feature_maps(x[None])[1][0]
        >>> bool(np.allclose(m.feature_maps((R(g).real @ x)[None])[1][0], R(g).real @ h))
        True
        """
        return self.layer_outputs(X)[1:]

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``<h, h_{L-1}(x_n)>``."""
        return self.layer_outputs(X)[-1] @ self.head_vector()

    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Backpropagation: ``dW_l = G_l^T h_{l-1}`` projected on the basis, ``dtheta_{l,a} = <E_{l,a}, dW_l>``.

        ``G_{L-1} = dL_df h^T`` and ``G_{l-1} = G_l W_l``; the head gets ``dphi = B_h h_{L-1}^T dL_df``.
        """
        X, g = self.check_inputs_and_weights(X, dL_df)
        Ws = self.layer_matrices()
        H = [X]
        for W in Ws:
            H.append(H[-1] @ W.T)
        grads: list[np.ndarray] = [np.empty(0)] * self.depth
        grads[-1] = self.bases[-1] @ (H[-1].T @ g)
        Gr = np.outer(g, self.head_vector())
        for l in range(self.depth - 2, -1, -1):
            dW = Gr.T @ H[l]
            grads[l] = np.tensordot(self.bases[l], dW, axes=([1, 2], [0, 1]))
            if l:
                Gr = Gr @ Ws[l]
        return grads

    def linearization(self) -> np.ndarray:
        """``beta = W_1^T W_2^T ... W_{L-1}^T h`` (matrix-vector products from the head down)."""
        beta = self.head_vector()
        for W in reversed(self.layer_matrices()):
            beta = W.T @ beta
        return beta

    def bilinear_form(self, *, max_bytes: int = DEFAULT_BASIS_BYTES) -> BilinearForm:
        """The depth-2 network as a bilinear form (:class:`training.models._bilinear.BilinearForm`).

        ``beta = W_1^T h = sum_{a,b} theta_a phi_b E_a^T h_b``, so with one channel (``K = 1``),
        ``U = theta^T`` (``p = k_1``) and ``V = phi^T`` (``q`` = number of head parameters),
        ``B[i, a, b] = (E_a^T h_b)_i``. The maps are the reshapes ``theta <-> U``, ``phi <-> V``.

        Parameters
        ----------
        max_bytes : int
            Largest size of the tensor ``B`` (``8 D p q`` bytes), checked before it is built.

        Raises
        ------
        ParameterError
            If the network does not have depth 2, or ``B`` would exceed ``max_bytes``.

        Examples
        --------
        >>> import numpy as np
        >>> import grouptools as gt
        >>> G = gt.symmetric(3); R = G.regular_representation()
        >>> m = SteerableNet(G, [R, R], head="dense", seed=2)
        >>> form = m.bilinear_form()
        >>> form.tensor.shape, form.channels
        ((6, 6, 6), 1)
        >>> bool(np.allclose(form.predictor(*form.to_factors(m.params)), m.linearization()))
        True
        """
        if self.depth != 2:
            raise ParameterError(f"bilinear_form needs a network of depth 2, this one has depth {self.depth}")
        size = 8 * self.input_dim * self.bases[0].shape[0] * self.bases[1].shape[0]
        if size > check_positive_int("max_bytes", max_bytes):
            raise ParameterError(f"the bilinear tensor needs {size} bytes > max_bytes={max_bytes}")
        return vector_form(np.einsum("aji,bj->iab", self.bases[0], self.bases[1]))


def _readonly(a: np.ndarray) -> np.ndarray:
    out = np.ascontiguousarray(a, dtype=np.float64)
    out.setflags(write=False)
    return out
