"""Base class of the linear network models (see :mod:`training.models`)."""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from typing import Any, Callable, Sequence, TypeVar

import numpy as np

from .._checks import as_real
from .._errors import ParameterError, ShapeError

__all__ = ["LinearModel", "check_scale"]

M = TypeVar("M", bound="LinearModel")


def check_scale(init_scale: object) -> float:
    """``init_scale`` as a ``float`` if it is a finite real number ``>= 0``.

    Raises
    ------
    ParameterError
        Anything else.

    Examples
    --------
    >>> check_scale(2)
    2.0
    """
    if isinstance(init_scale, bool) or not isinstance(init_scale, (int, float, np.floating, np.integer)):
        raise ParameterError(f"init_scale must be a real number, got {init_scale!r}")
    if not np.isfinite(init_scale) or init_scale < 0:
        raise ParameterError(f"init_scale must be finite and >= 0, got {init_scale!r}")
    return float(init_scale)


def _checked(method: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``forward(X)`` / ``grad(X, dL_df)`` of a subclass so that ``X`` is checked first (:meth:`LinearModel.check_inputs`)."""
    if getattr(method, "_checks_X", False):
        return method

    @functools.wraps(method)
    def wrapper(self: "LinearModel", X: Any, *args: Any, **kwargs: Any) -> Any:
        return method(self, self.check_inputs(X), *args, **kwargs)

    wrapper._checks_X = True  # type: ignore[attr-defined]
    return wrapper


def clip_shape(shape: tuple) -> str:
    """A shape for a message, cut to 80 characters."""
    s = str(shape)
    return s if len(s) <= 80 else s[:77] + "..."


class LinearModel(ABC):
    """A network whose output is linear in its input: ``f(x; w) = <x, beta(w)>``.

    Subclasses implement the layers (``forward``, ``grad``) and compute the end-to-end predictor
    ``beta(w)`` from the network's structure (``linearization``). Every model here is positively
    homogeneous of degree ``depth`` in its parameters: scaling each of the ``depth`` layers by ``c``
    scales ``f`` by ``c ** depth``.

    Attributes
    ----------
    params : list of numpy.ndarray
        The parameters, one array per layer (``len(params) == depth``).
    input_dim : int
        Dimension D of the inputs.
    depth : int
        Number of layers L, also the degree of homogeneity.
    """

    input_dim: int
    depth: int

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every subclass's ``forward`` and ``grad`` check the shape and type of ``X`` before running.

        So a wrong input width is a :class:`ShapeError` naming the expected and the given width in
        every model, whether or not its own code checks ``X``.
        """
        super().__init_subclass__(**kwargs)
        for name in ("forward", "grad"):
            method = cls.__dict__.get(name)
            if callable(method) and not getattr(method, "__isabstractmethod__", False):
                setattr(cls, name, _checked(method))

    def __init__(self, params: Sequence[np.ndarray]) -> None:
        self._params = [np.array(p, dtype=float) for p in params]

    # -- parameters ---------------------------------------------------------------------------------
    @property
    def params(self) -> list[np.ndarray]:
        """The parameter arrays (the list and the arrays are the model's own: copy before editing)."""
        return self._params

    @property
    def degree(self) -> int:
        """Degree of positive homogeneity of ``f`` in the parameters (equal to ``depth``)."""
        return self.depth

    @property
    def n_params(self) -> int:
        """Total number of scalar parameters."""
        return int(sum(p.size for p in self._params))

    def param_norm_sq(self) -> float:
        """Squared Euclidean norm of all parameters, ``sum_l ||w_l||^2``."""
        return float(sum(np.vdot(p, p) for p in self._params))

    def copy(self: M) -> M:
        """A deep copy (parameters and structure)."""
        return self.with_params([p.copy() for p in self._params])

    def with_params(self: M, params: Sequence[np.ndarray]) -> M:
        """A model with the same structure and the given parameters (copied).

        Raises
        ------
        ShapeError
            If the number of arrays or their shapes differ from ``self.params``.
        """
        params = list(params)
        if len(params) != len(self._params):
            raise ShapeError(f"expected {len(self._params)} parameter arrays, got {len(params)}")
        new = []
        for i, (p, q) in enumerate(zip(params, self._params)):
            a = np.array(p, dtype=float)
            if a.shape != q.shape:
                raise ShapeError(f"parameter {i} must have shape {q.shape}, got {a.shape}")
            new.append(a)
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other._params = new
        return other

    def flat_params(self) -> np.ndarray:
        """All parameters concatenated into one vector (layer by layer, C order)."""
        return np.concatenate([p.ravel() for p in self._params])

    def with_flat_params(self: M, vector: np.ndarray) -> M:
        """Inverse of :meth:`flat_params`: a model with parameters read from ``vector``."""
        vector = np.asarray(vector, dtype=float)
        if vector.shape != (self.n_params,):
            raise ShapeError(f"flat parameter vector must have shape ({self.n_params},), got {vector.shape}")
        out, start = [], 0
        for p in self._params:
            out.append(vector[start : start + p.size].reshape(p.shape))
            start += p.size
        return self.with_params(out)

    def scaled(self: M, c: float) -> M:
        """The model with every layer multiplied by ``c`` (so ``f`` is multiplied by ``c ** depth``)."""
        return self.with_params([c * p for p in self._params])

    # -- data checks --------------------------------------------------------------------------------
    def check_inputs(self, X: np.ndarray) -> np.ndarray:
        """``X`` as a float64 array of shape ``(N, input_dim)`` (returned as is if it already is one).

        Raises
        ------
        ShapeError
            Wrong number of dimensions or wrong input width (the message names both widths).
        DataTypeError
            Strings, objects, complex numbers (:func:`training._checks.as_real`).
        """
        X = as_real("X", X)
        if X.ndim == 2 and X.shape[1] == self.input_dim:
            return X
        name = type(self).__name__
        if X.ndim == 2:
            raise ShapeError(f"X has width {X.shape[1]} but {name} expects width {self.input_dim}: "
                             f"X must have shape (N, {self.input_dim}), got {X.shape}")
        hint = "; for one sample use X.reshape(1, -1)" if X.ndim == 1 and X.size == self.input_dim else ""
        raise ShapeError(f"X must be a 2-d array of shape (N, {self.input_dim}) for {name}, got shape "
                         f"{clip_shape(X.shape)}{hint}")

    def check_inputs_and_weights(self, X: np.ndarray, dL_df: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The arguments of :meth:`grad`: ``X`` by :meth:`check_inputs` and ``dL_df`` as a real ``(N,)`` array.

        Raises
        ------
        ShapeError, DataTypeError
        """
        X = self.check_inputs(X)
        g = as_real("dL_df", dL_df)
        if g.shape != (X.shape[0],):
            raise ShapeError(f"dL_df must have shape ({X.shape[0]},), got {g.shape}")
        return X, g

    # -- the network --------------------------------------------------------------------------------
    @abstractmethod
    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs ``f(x_n)`` for the rows of ``X`` (shape ``(N, D)``), computed layer by layer."""

    @abstractmethod
    def grad(self, X: np.ndarray, dL_df: np.ndarray) -> list[np.ndarray]:
        """Backward pass: gradients of ``sum_n dL_df[n] f(x_n)`` with respect to each parameter array."""

    @abstractmethod
    def linearization(self) -> np.ndarray:
        """The end-to-end predictor ``beta`` (shape ``(D,)``) with ``f(x) = <x, beta>``."""

    # -- derived ------------------------------------------------------------------------------------
    def flat_grad(self, X: np.ndarray, dL_df: np.ndarray) -> np.ndarray:
        """:meth:`grad` concatenated into one vector (the layout of :meth:`flat_params`)."""
        return np.concatenate([g.ravel() for g in self.grad(X, dL_df)])

    def jacobian(self, X: np.ndarray) -> np.ndarray:
        """Jacobian of the outputs with respect to the flat parameters, shape ``(N, n_params)``.

        Row n is ``flat_grad(X[n:n+1], [1])``, one backward pass per sample.
        """
        X = self.check_inputs(X)
        one = np.ones(1)
        if X.shape[0] == 0:
            return np.zeros((0, self.n_params))
        return np.stack([self.flat_grad(X[n : n + 1], one) for n in range(X.shape[0])])

    def __repr__(self) -> str:
        return f"{type(self).__name__}(input_dim={self.input_dim}, depth={self.depth}, n_params={self.n_params})"
