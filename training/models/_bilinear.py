r"""The bilinear parameterisation of a depth-2 linear network (:class:`BilinearForm`).

Every depth-2 linear model here computes a predictor that is bilinear in its two layers. With K
channels (hidden units, feature channels), first-layer factors ``u_k in R^p`` and second-layer
factors ``v_k in R^q`` (``k = 0..K-1``), and a fixed real tensor ``B`` of shape ``(D, p, q)``,

    ``beta_i = sum_{k<K} u_k^T B_i v_k = <B_i, Z>``,   ``Z = U^T V = sum_k u_k v_k^T``  (p x q),
    ``||w||^2 = sum_k ||u_k||^2 + ||v_k||^2 = ||U||_F^2 + ||V||_F^2``,

with ``U`` of shape ``(K, p)`` (row k is ``u_k``) and ``V`` of shape ``(K, q)``. The channels share
the tensor ``B``: the architecture (weight sharing, filter support, equivariance constraints) is
all in ``B``, the width in ``K``. A model exposes this form through ``model.bilinear_form()``.

Contract of the two maps stored in the form (every model's form is checked against it in the tests):

- ``to_factors(params) -> (U, V)`` and ``from_factors(U, V) -> params`` are mutually inverse
  **linear isometries** between the model's parameter list and the pairs ``(U, V)``:
  ``sum_l ||params[l]||^2 = ||U||_F^2 + ||V||_F^2``;
- ``model.with_params(from_factors(U, V)).linearization() == form.predictor(U, V)``.

So the representation cost ``R(beta) = min {||w||^2 : beta(w) = beta}`` of the model is
``min {||U||^2 + ||V||^2 : form.predictor(U, V) = beta}``, and, since
``min {||U||^2 + ||V||^2 : U^T V = Z} = 2 ||Z||_*`` (attained with ``rank Z`` channels),

    ``R(beta) >= 2 min {||Z||_* : <B_i, Z> = beta_i}``   (equality when some minimizer has rank <= K),

the semidefinite program solved by :func:`training.bias.representation_cost` (Srebro, Rennie,
Jaakkola 2005 for the variational form of the nuclear norm; Gunasekar et al. 2018 and Jagadeesan,
Razenshteyn, Gunasekar 2022 for its use on linear networks).

References
----------
N. Srebro, J. Rennie, T. Jaakkola. Maximum-margin matrix factorization. NeurIPS 2005.
S. Gunasekar, J. D. Lee, D. Soudry, N. Srebro. Implicit bias of gradient descent on linear
convolutional networks. NeurIPS 2018.
M. Jagadeesan, I. Razenshteyn, S. Gunasekar. Inductive bias of multi-channel linear convolutional
networks with bounded weight norm. COLT 2022.

Examples
--------
A form with two channels whose tensor reads the diagonal of ``Z``:

>>> import numpy as np
>>> B = np.zeros((3, 3, 3)); B[[0, 1, 2], [0, 1, 2], [0, 1, 2]] = 1.0
>>> form = stacked_form(B, channels=2)
>>> U = np.array([[1.0, 2, 0], [0, 1, 1]]); V = np.array([[1.0, 1, 1], [2, 0, 3]])
>>> form.predictor(U, V).tolist(), form.norm_sq(U, V)
([1.0, 2.0, 3.0], 23.0)
>>> params = form.from_factors(U, V)
>>> [p.shape for p in params]
[(2, 3), (2, 3)]
>>> [np.array_equal(a, b) for a, b in zip(form.to_factors(params), (U, V))]
[True, True]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .._checks import as_real, check_positive_int
from .._errors import ParameterTypeError, ShapeError

__all__ = ["BilinearForm", "correlation_tensor", "stacked_form", "vector_form"]

Factors = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True, eq=False)
class BilinearForm:
    """The bilinear parameterisation ``beta_i = sum_{k<K} u_k^T B_i v_k`` of a depth-2 linear model.

    See the module docstring of :mod:`training.models._bilinear` for the contract of the maps.

    Parameters
    ----------
    tensor : numpy.ndarray
        ``B``, real, shape ``(D, p, q)``: ``B[i]`` is the ``p x q`` matrix of output coordinate
        ``i``. Stored as a read-only float64 copy.
    channels : int
        Number K of channels (``>= 1``).
    to_factors : callable
        ``params -> (U, V)``: the model's parameter list to the factors ``U`` of shape ``(K, p)``
        and ``V`` of shape ``(K, q)``; linear, isometric.
    from_factors : callable
        ``(U, V) -> params``: the inverse of ``to_factors``.

    Raises
    ------
    ShapeError
        If ``tensor`` is not a finite real 3-d array.
    ParameterTypeError
        If a map is not callable.
    ParameterError
        If ``channels`` is not a positive integer.

    Examples
    --------
    The fully connected network ``beta = W_1 w_2`` with hidden width 2, as two channels with
    ``p = D`` and ``q = 1`` (``B_i = e_i``, a ``D x 1`` matrix):

    >>> import numpy as np
    >>> B = np.eye(3).reshape(3, 3, 1)
    >>> form = BilinearForm(B, 2, lambda ps: (ps[0].T, ps[1]), lambda U, V: [U.T, V])
    >>> form.input_dim, form.left_dim, form.right_dim
    (3, 3, 1)
    >>> W1 = np.arange(6.0).reshape(3, 2); w2 = np.array([[1.0], [-1.0]])
    >>> form.predictor(*form.to_factors([W1, w2])).tolist() == (W1 @ w2)[:, 0].tolist()
    True
    """

    tensor: np.ndarray
    channels: int
    to_factors: Callable[[Sequence[np.ndarray]], Factors]
    from_factors: Callable[[np.ndarray, np.ndarray], list[np.ndarray]]

    def __post_init__(self) -> None:
        B = np.array(as_real("tensor", self.tensor), dtype=float)
        if B.ndim != 3 or min(B.shape) < 1:
            raise ShapeError(f"tensor must be a non-empty 3-d array (D, p, q), got shape {B.shape}")
        if not np.all(np.isfinite(B)):
            raise ShapeError("tensor must be finite")
        B.setflags(write=False)
        object.__setattr__(self, "tensor", B)
        object.__setattr__(self, "channels", check_positive_int("channels", self.channels))
        for name in ("to_factors", "from_factors"):
            if not callable(getattr(self, name)):
                raise ParameterTypeError(f"{name} must be callable, got {type(getattr(self, name)).__name__}")

    # -- dimensions ------------------------------------------------------------------------------
    @property
    def input_dim(self) -> int:
        """D, the dimension of the predictor."""
        return int(self.tensor.shape[0])

    @property
    def left_dim(self) -> int:
        """p, the length of each first-layer factor ``u_k``."""
        return int(self.tensor.shape[1])

    @property
    def right_dim(self) -> int:
        """q, the length of each second-layer factor ``v_k``."""
        return int(self.tensor.shape[2])

    # -- the maps --------------------------------------------------------------------------------
    def check_factors(self, U: object, V: object) -> Factors:
        """``(U, V)`` as float arrays of shapes ``(K, p)`` and ``(K, q)``.

        Raises
        ------
        ShapeError, DataTypeError
        """
        U = as_real("U", U)
        V = as_real("V", V)
        K, p, q = self.channels, self.left_dim, self.right_dim
        if U.shape != (K, p) or V.shape != (K, q):
            raise ShapeError(f"U and V must have shapes ({K}, {p}) and ({K}, {q}), got {U.shape} and {V.shape}")
        return U, V

    def apply(self, Z: object) -> np.ndarray:
        """The linear map ``Z -> (<B_i, Z>)_i`` on ``p x q`` matrices (shape ``(D,)``).

        Raises
        ------
        ShapeError
            If ``Z`` is not of shape ``(p, q)``.
        """
        Z = as_real("Z", Z)
        if Z.shape != self.tensor.shape[1:]:
            raise ShapeError(f"Z must have shape {self.tensor.shape[1:]}, got {Z.shape}")
        return self.tensor.reshape(self.input_dim, -1) @ Z.ravel()

    def adjoint(self, lam: object) -> np.ndarray:
        """The adjoint map ``lambda -> sum_i lambda_i B_i`` (a ``p x q`` matrix).

        Raises
        ------
        ShapeError
            If ``lam`` is not of shape ``(D,)``.
        """
        lam = as_real("lam", lam)
        if lam.shape != (self.input_dim,):
            raise ShapeError(f"lam must have shape ({self.input_dim},), got {lam.shape}")
        return np.tensordot(lam, self.tensor, axes=1)

    def predictor(self, U: object, V: object) -> np.ndarray:
        """``beta_i = sum_k u_k^T B_i v_k`` (shape ``(D,)``)."""
        U, V = self.check_factors(U, V)
        return self.apply(U.T @ V)

    def norm_sq(self, U: object, V: object) -> float:
        """``||U||_F^2 + ||V||_F^2``, the squared parameter norm of the factors."""
        U, V = self.check_factors(U, V)
        return float(np.vdot(U, U) + np.vdot(V, V))

    def predictor_jacobian(self, U: object, V: object) -> Factors:
        """Jacobians of :meth:`predictor`: ``(dbeta/dU, dbeta/dV)`` of shapes ``(D, K, p)`` and ``(D, K, q)``.

        ``d beta_i / d u_k = B_i v_k`` and ``d beta_i / d v_k = B_i^T u_k``.
        """
        U, V = self.check_factors(U, V)
        return np.einsum("ipq,kq->ikp", self.tensor, V), np.einsum("ipq,kp->ikq", self.tensor, U)


def stacked_form(tensor: object, channels: int) -> BilinearForm:
    """The form of a model whose parameters are exactly ``[U, V]`` (shapes ``(K, p)`` and ``(K, q)``).

    Parameters
    ----------
    tensor : array_like
        ``B``, shape ``(D, p, q)``.
    channels : int
        K.

    Returns
    -------
    BilinearForm
        With ``to_factors(params) = (params[0], params[1])`` (copies) and its inverse.

    Examples
    --------
    >>> import numpy as np
    >>> f = stacked_form(np.ones((2, 1, 1)), channels=1)
    >>> f.predictor([[2.0]], [[3.0]]).tolist()
    [6.0, 6.0]
    """

    def to_factors(params: Sequence[np.ndarray]) -> Factors:
        if len(params) != 2:
            raise ShapeError(f"a depth-2 model has 2 parameter arrays, got {len(params)}")
        return np.array(params[0], dtype=float), np.array(params[1], dtype=float)

    def from_factors(U: np.ndarray, V: np.ndarray) -> list[np.ndarray]:
        return [np.array(U, dtype=float), np.array(V, dtype=float)]

    return BilinearForm(np.asarray(tensor, dtype=float), channels, to_factors, from_factors)


def vector_form(tensor: object) -> BilinearForm:
    """The one-channel form of a model whose parameters are two vectors ``[u, v]`` (``U = u[None]``, ``V = v[None]``).

    Examples
    --------
    >>> import numpy as np
    >>> f = vector_form(np.ones((1, 2, 1)))
    >>> [a.tolist() for a in f.to_factors([np.array([1.0, 2.0]), np.array([3.0])])]
    [[[1.0, 2.0]], [[3.0]]]
    >>> [a.tolist() for a in f.from_factors(np.array([[1.0, 2.0]]), np.array([[3.0]]))]
    [[1.0, 2.0], [3.0]]
    """

    def to_factors(params: Sequence[np.ndarray]) -> Factors:
        if len(params) != 2:
            raise ShapeError(f"a depth-2 model has 2 parameter arrays, got {len(params)}")
        return np.array(params[0], dtype=float)[None], np.array(params[1], dtype=float)[None]

    def from_factors(U: np.ndarray, V: np.ndarray) -> list[np.ndarray]:
        return [np.array(U[0], dtype=float), np.array(V[0], dtype=float)]

    return BilinearForm(np.asarray(tensor, dtype=float), 1, to_factors, from_factors)


def correlation_tensor(cayley_table: object, support: object = None) -> np.ndarray:
    """The tensor ``B`` of a depth-2 correlation network: ``B[m, s, g] = 1`` if ``g h_s = m``, else 0.

    For the layer ``(x star w)(g) = sum_{s} w_s x(g h_s)`` with filter support ``S = (h_s)`` and a
    dense second layer ``v``, ``f(x) = sum_g v(g) (x star w)(g)`` is ``<x, beta>`` with
    ``beta_m = sum_{s, g : g h_s = m} w_s v(g) = w^T B_m v`` (Cohen and Welling 2016). The circular
    CNN is the cyclic group, ``cayley_table[g, h] = (g + h) mod D``.

    Parameters
    ----------
    cayley_table : array_like
        ``[i, j]`` = index of ``g_i g_j``, shape ``(n, n)``.
    support : array_like of int, optional
        Element indices ``h_s`` of the filter support (default: all of G, in order).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, |S|, n)``, entries 0 and 1; each ``B[m]`` has exactly one 1 per row and column
        block ``(s, :)``.

    Raises
    ------
    ShapeError
        If the table is not square or the support indices are out of range.

    Examples
    --------
    >>> import numpy as np
    >>> T = (np.arange(3)[:, None] + np.arange(3)) % 3
    >>> B = correlation_tensor(T)
    >>> w, v = np.array([1.0, 2, 3]), np.array([1.0, 0, -1])
    >>> [float(w @ B[m] @ v) for m in range(3)]   # the circular convolution of w and v
    [-1.0, -1.0, 2.0]
    """
    T = np.asarray(cayley_table)
    if T.ndim != 2 or T.shape[0] != T.shape[1] or T.shape[0] < 1:
        raise ShapeError(f"cayley_table must be a square (n, n) array, got shape {T.shape}")
    n = T.shape[0]
    S = np.arange(n) if support is None else np.asarray(support).ravel()
    if S.size == 0 or S.dtype.kind not in "iu" or S.min() < 0 or S.max() >= n:
        raise ShapeError(f"support must be non-empty element indices in [0, {n}), got {S.size} entries")
    B = np.zeros((n, S.size, n))
    s_idx, g_idx = np.meshgrid(np.arange(S.size), np.arange(n), indexing="ij")
    B[T[g_idx, S[s_idx]], s_idx, g_idx] = 1.0
    return B
