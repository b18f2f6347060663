r"""Implicit bias in underdetermined regression: minimum-norm interpolants and the Q_alpha potential.

Model (Woodworth et al. 2020, sections 4 and 6; Yun, Krishnan, Mobahi 2021, section 5)
-------------------------------------------------------------------------------------
A depth-L diagonal network in the transformed coordinates ``z`` (``S = I`` for a plain diagonal
network; for an orthogonally decomposable linear tensor network the dynamics decouple in
``z = S beta``-coordinates in the same way):

    ``z = u^L - v^L``  (elementwise),   ``f(x) = <S x, z> = <x, S^T z>``,
    ``u(0) = v(0) = alpha``  (balanced: both streams and all layers of a stream start equal),

trained by gradient flow on the squared loss ``(1/2)||Xt z - y||^2``, ``Xt = X S^T``. Write
``g(t) = Xt^T (Xt z - y)`` and ``nu(t) = -int_0^t g`` (``nu`` stays in the row space of ``Xt``).

- ``L = 2``: ``u' = -2 u g`` and ``v' = 2 v g`` give ``u = alpha e^(2 nu)``, ``v = alpha e^(-2 nu)``,
  so ``z = alpha^2 h_2(4 nu)`` with ``h_2(t) = 2 sinh t``.
- ``L >= 3``: ``(u^(2-L))' = (2-L) u^(1-L) u' = L (L-2) g``, hence
  ``u = alpha (1 - s)^(-1/(L-2))``, ``v = alpha (1 + s)^(-1/(L-2))`` with
  ``s = L (L-2) alpha^(L-2) nu``, and

      ``z = alpha^L h_L(s)``,   ``h_L(s) = (1 - s)^(-L/(L-2)) - (1 + s)^(-L/(L-2))``,  ``|s| < 1``.

In both cases ``z(t) = alpha^L h_L(theta(t))`` with ``theta`` in the row space of ``Xt`` and
``h_L`` odd and increasing. If the flow converges to an interpolant ``z_inf``, then
``h_L^{-1}(z_inf / alpha^L)`` lies in the row space of ``Xt`` and ``Xt z_inf = y``: these are the
optimality conditions of the strictly convex problem

    ``min Q_alpha(z) = sum_j alpha_j^L q_L(z_j / alpha_j^L)  s.t.  Xt z = y``,
    ``q_L(x) = int_0^x h_L^{-1}(t) dt``,

so gradient flow returns its unique solution. Integrating by parts, with ``s* = h_L^{-1}(x)`` and
``H_L = int_0 h_L``:

    ``q_L(x) = x s* - H_L(s*)``,
    ``H_2(t) = 2 cosh t - 2``,
    ``H_L(s) = ((L-2)/2) [(1 - s)^(-2/(L-2)) + (1 + s)^(-2/(L-2)) - 2]``  (``L >= 3``).

For ``L = 2``, ``s* = arcsinh(x/2)`` and ``q_2(x) = 2 - sqrt(4 + x^2) + x arcsinh(x/2)``, the
hyperbolic entropy of Woodworth et al. (their Theorem 1); for ``L >= 3`` this is their depth-D
potential (their Theorem 3), with ``h_L^{-1}`` computed numerically. ``L = 1`` (a linear model) is
plain gradient descent: ``Q = ||z||^2``.

Limits. ``alpha -> infinity``: ``q_L(x) ~ x^2 / (2 h_L'(0))`` (``h_2'(0) = 2``,
``h_L'(0) = 2L/(L-2)``), so the solution tends to the ``sum_j z_j^2 / alpha_j^L``-minimal (for a
scalar alpha: the l2 minimal) interpolant. ``alpha -> 0``: ``h_L^{-1}`` saturates (``L >= 3``:
``q_L(x) = |x| - O(|x|^((L-2)/L))``) or grows like ``log`` (``L = 2``:
``alpha^2 q_2(z/alpha^2) = |z| log(|z|/alpha^2) - |z| + o(1)``), and the solution tends to the
l1-minimal interpolant (for ``L = 2`` and coordinate-dependent ``alpha_j``, to the weighted l1 with
weights ``log(1/alpha_j^2)`` when all ``alpha_j`` go to 0 at comparable rates).

A two-layer single-stream network ``z = a (.) b`` with ``a(0) = 2 alpha``, ``b(0) = 0`` has the same
trajectory up to a time change (``a = u + v``, ``b = u - v``), hence the same ``Q_alpha``.

Solver. The dual of ``min Q s.t. Xt z = y`` is the smooth convex problem
``min_mu Phi(mu) = sum_j alpha_j^L H_L((Xt^T mu)_j) - y^T mu`` with ``grad Phi = Xt z(mu) - y`` and
``z(mu) = alpha^L h_L(Xt^T mu)``; we minimize it with Newton's method and a backtracking line search
that keeps ``|Xt^T mu| < 1`` when ``L >= 3``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog

from .._checks import as_real, check_data, check_positive_int, check_vector
from .._errors import ParameterError, ShapeError
from ._core import BiasSolverError


@dataclass(frozen=True)
class RegressionResult:
    """An interpolating predictor selected by a regularizer.

    Attributes
    ----------
    beta : numpy.ndarray
        The predictor in input space (``S^T z``).
    z : numpy.ndarray
        The transformed variable (equal to ``beta`` without a transform).
    objective : float
        Value of the minimized function at ``z``.
    residual : float
        Interpolation error ``||X beta - y||_2``.
    kind : str
        ``"l2"``, ``"l1"`` or ``"q_alpha"``.
    """

    beta: np.ndarray
    z: np.ndarray
    objective: float
    residual: float
    kind: str


# -- h_L, its inverse, H_L and q_L ------------------------------------------------------------------------
def _h(s: np.ndarray, L: int) -> np.ndarray:
    """``h_L`` without cancellation: ``(1 -+ s)^(-k) - 1`` by ``expm1``/``log1p`` (opposite signs)."""
    if L == 2:
        return 2.0 * np.sinh(s)
    k = L / (L - 2.0)
    return np.expm1(-k * np.log1p(-s)) - np.expm1(-k * np.log1p(s))


def _dh(s: np.ndarray, L: int) -> np.ndarray:
    if L == 2:
        return 2.0 * np.cosh(s)
    k = L / (L - 2.0)
    return k * ((1.0 - s) ** (-k - 1.0) + (1.0 + s) ** (-k - 1.0))


def _H(s: np.ndarray, L: int) -> np.ndarray:
    """``H_L = int_0 h_L``; an even power series near 0, where the closed form cancels."""
    s = np.asarray(s, dtype=float)
    if L == 2:
        return 4.0 * np.sinh(s / 2.0) ** 2
    e = 2.0 / (L - 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        closed = (L - 2.0) / 2.0 * (np.expm1(-e * np.log1p(-s)) + np.expm1(-e * np.log1p(s)))
    # (1-s)^(-e) + (1+s)^(-e) - 2 = 2 sum_{m>=1} c_{2m} s^(2m), c_j = e (e+1) ... (e+j-1) / j!
    s2 = s * s
    series = np.zeros_like(s)
    c, power = 1.0, np.ones_like(s)
    for j in range(1, 25):
        c *= (e + j - 1.0) / j
        if j % 2 == 0:
            power = power * s2
            series = series + c * power
    return np.where(np.abs(s) < 0.05, (L - 2.0) * series, closed)


def _h_inv(x: np.ndarray, L: int) -> np.ndarray:
    """``h_L^{-1}`` (closed form for L = 2; safeguarded Newton on ``(-1, 1)`` otherwise)."""
    x = np.asarray(x, dtype=float)
    if L == 2:
        return np.arcsinh(x / 2.0)
    ax = np.abs(x)
    lo, hi = np.zeros_like(ax), np.ones_like(ax)
    # start: small-x linearization, or the (1 - s)^(-k) ~ x asymptote for large x
    k = L / (L - 2.0)
    s = np.where(ax < 1.0, ax / (2.0 * k), 1.0 - np.maximum(ax, 1e-300) ** (-1.0 / k))
    s = np.clip(s, 0.0, 1.0 - 1e-16)
    for _ in range(200):
        f = _h(s, L) - ax
        lo = np.where(f < 0, s, lo)
        hi = np.where(f >= 0, s, hi)
        step = s - f / _dh(s, L)
        bad = ~((step > lo) & (step < hi))
        new = np.where(bad, 0.5 * (lo + hi), step)
        if np.all(np.abs(new - s) <= 1e-15 * np.maximum(1.0 - s, 1e-300) + 1e-17):
            s = new
            break
        s = new
    return np.sign(x) * s


def q_potential(x: Any, depth: int) -> np.ndarray:
    """``q_L(x) = int_0^x h_L^{-1}(t) dt`` (module docstring), elementwise; ``q_1(x) = x^2``."""
    L = check_positive_int("depth", depth)
    x = as_real("x", x)
    if L == 1:
        return x**2
    if L == 2:
        return 2.0 - np.sqrt(4.0 + x**2) + x * np.arcsinh(x / 2.0)
    s = _h_inv(x, L)
    return x * s - _H(s, L)


def _alpha_vector(alpha: Any, m: int) -> np.ndarray:
    a = as_real("alpha", alpha)
    if a.ndim == 0:
        a = np.full(m, float(a))
    if a.shape != (m,) or not np.all(np.isfinite(a)) or not np.all(a > 0):
        raise ParameterError(f"alpha must be a positive scalar or a positive vector of length {m}")
    return a


def q_alpha_value(z: Any, alpha: Any, depth: int) -> float:
    """``Q_alpha(z) = sum_j alpha_j^L q_L(z_j / alpha_j^L)``."""
    z = as_real("z", z)
    L = check_positive_int("depth", depth)
    a = _alpha_vector(alpha, z.size) ** L
    if L == 1:
        return float(np.sum(z**2))
    return float(np.sum(a * q_potential(z / a, L)))


# -- solvers ------------------------------------------------------------------------------------------------
def _transformed(X: Any, y: Any, transform: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    X, y = check_data(X, y, "real")
    S = None
    Xt = X
    if transform is not None:
        S = as_real("transform", transform)
        if S.ndim != 2 or S.shape[1] != X.shape[1] or not np.all(np.isfinite(S)):
            raise ShapeError(f"transform must be a finite (m, {X.shape[1]}) matrix, got shape {S.shape}")
        Xt = X @ S.T
    if np.linalg.matrix_rank(Xt) < Xt.shape[0]:
        raise ParameterError("X (times transform.T) must have full row rank N <= dimension for interpolation")
    return X, y, S, Xt


def _result(X: np.ndarray, y: np.ndarray, S: np.ndarray | None, z: np.ndarray, obj: float, kind: str) -> RegressionResult:
    beta = z if S is None else S.T @ z
    return RegressionResult(beta, z, float(obj), float(np.linalg.norm(X @ beta - y)), kind)


def min_l2(X: Any, y: Any, *, weights: Any = None, transform: Any = None) -> RegressionResult:
    X, y, S, Xt = _transformed(X, y, transform)
    w = np.ones(Xt.shape[1]) if weights is None else _alpha_vector(weights, Xt.shape[1])
    K = (Xt / w) @ Xt.T
    z = (Xt.T @ np.linalg.solve(K, y)) / w
    return _result(X, y, S, z, float(np.sum(w * z**2)), "l2")


def min_l1(X: Any, y: Any, *, weights: Any = None, transform: Any = None) -> RegressionResult:
    X, y, S, Xt = _transformed(X, y, transform)
    m = Xt.shape[1]
    w = np.ones(m) if weights is None else _alpha_vector(weights, m)
    res = linprog(np.concatenate([w, w]), A_eq=np.hstack([Xt, -Xt]), b_eq=y, bounds=(0, None), method="highs")
    if res.status != 0:
        raise BiasSolverError(f"linprog failed on the weighted l1 interpolation problem: {res.message}")
    z = res.x[:m] - res.x[m:]
    return _result(X, y, S, z, float(np.sum(w * np.abs(z))), "l1")


def min_q_alpha(X: Any, y: Any, alpha: Any, depth: int, *, transform: Any = None, tol: float = 1e-12, max_iter: int = 500) -> RegressionResult:
    L = check_positive_int("depth", depth)
    X, y, S, Xt = _transformed(X, y, transform)
    m = Xt.shape[1]
    a = _alpha_vector(alpha, m) ** L
    if L == 1:
        r = min_l2(X, y, transform=transform)
        return RegressionResult(r.beta, r.z, r.objective, r.residual, "q_alpha")

    # Work with y / sc and a / sc, sc = max_j alpha_j^L, so that the dual variables are O(1) for
    # every alpha (z = a h(theta) is invariant).
    sc = float(np.max(a))
    an, yn = a / sc, y / sc

    def phi(mu: np.ndarray) -> float:
        return float(np.sum(an * _H(Xt.T @ mu, L)) - yn @ mu)

    def grad_at(mu: np.ndarray) -> np.ndarray:
        return Xt @ (an * _h(Xt.T @ mu, L)) - yn

    mu = np.zeros(Xt.shape[0])
    ynorm = max(float(np.linalg.norm(yn)), 1e-300)
    grad = grad_at(mu)
    for _ in range(max_iter):
        if np.linalg.norm(grad) <= tol * ynorm:
            break
        th = Xt.T @ mu
        Hm = (Xt * (an * _dh(th, L))) @ Xt.T
        # Hm is positive definite but can be numerically singular when some curvatures underflow
        # (nearly inactive coordinates at small alpha): take the least-squares Newton step then.
        step = -np.linalg.lstsq(Hm, grad, rcond=None)[0]
        dth = Xt.T @ step
        t = 1.0
        if L >= 3:  # stay inside |theta| < 1
            room = np.where(dth > 0, 1.0 - th, -1.0 - th)
            with np.errstate(divide="ignore", invalid="ignore"):
                ratios = np.where(dth != 0, room / np.where(dth != 0, dth, 1.0), np.inf)
            t = min(1.0, 0.99 * float(np.min(ratios)))
        f0, slope, g0 = phi(mu), float(grad @ step), float(np.linalg.norm(grad))
        accepted = False
        for _ls in range(60):
            trial = mu + t * step
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                f1, g1 = phi(trial), grad_at(trial)
                ok = np.isfinite(f1) and np.all(np.isfinite(g1))
                if ok and (f1 <= f0 + 1e-4 * t * slope or np.linalg.norm(g1) < 0.5 * g0):
                    accepted = True
                    break
            t *= 0.5
        if not accepted:
            break
        mu, grad = trial, g1
    z = a * _h(Xt.T @ mu, L)
    res = float(np.linalg.norm(Xt @ z - y))
    if res > 1e-6 * max(float(np.linalg.norm(y)), 1e-300):
        raise BiasSolverError(
            f"the Q_alpha dual Newton method stopped with interpolation error {res:.3g}; alpha^L is too extreme for double precision"
        )
    return _result(X, y, S, z, q_alpha_value(z, alpha, L), "q_alpha")


# -- public functions (re-exported by training.bias) ---------------------------------------------------------------------------------------------
def regression_min_norm(
    X: Any,
    y: Any,
    kind: str,
    *,
    alpha: Any = None,
    depth: int = 2,
    transform: Any = None,
    weights: Any = None,
) -> RegressionResult:
    """Interpolating predictor of underdetermined regression selected by a regularizer.

    With ``Xt = X S^T`` (``S = I`` without ``transform``), returns ``beta = S^T z`` for

    - ``"l2"``: ``argmin sum_j w_j z_j^2 s.t. Xt z = y`` (closed form
      ``z = W^{-1} Xt^T (Xt W^{-1} Xt^T)^{-1} y``; plain gradient descent from 0 on a linear model
      finds it for ``w = 1``);
    - ``"l1"``: ``argmin sum_j w_j |z_j| s.t. Xt z = y`` (a linear program, HiGHS);
    - ``"q_alpha"``: :func:`q_alpha_minimizer` (``alpha`` and ``depth`` required).

    Parameters
    ----------
    X : array_like, shape (N, D)
    y : array_like, shape (N,)
        Real targets; ``Xt`` must have full row rank.
    kind : {"l2", "l1", "q_alpha"}
    alpha : float or array_like, optional
        Initialization scale(s) for ``"q_alpha"``.
    depth : int
        Depth for ``"q_alpha"``.
    transform : array_like, shape (m, D), optional
    weights : array_like, shape (m,), optional
        Positive weights ``w_j`` for ``"l2"`` and ``"l1"`` (default 1).

    Returns
    -------
    RegressionResult

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0]]); y = np.array([2.0])
    >>> regression_min_norm(X, y, "l2").beta
    array([0.4, 0.8])
    >>> regression_min_norm(X, y, "l1").beta
    array([0., 1.])
    """
    if kind == "l2":
        return min_l2(X, y, weights=weights, transform=transform)
    if kind == "l1":
        return min_l1(X, y, weights=weights, transform=transform)
    if kind == "q_alpha":
        if alpha is None:
            raise ParameterError("kind='q_alpha' needs alpha= (the initialization scale)")
        return min_q_alpha(X, y, alpha, depth, transform=transform)
    raise ParameterError(f"kind must be 'l2', 'l1' or 'q_alpha', got {kind!r}")


def q_alpha(z: Any, alpha: Any, depth: int) -> float:
    """The potential ``Q_alpha(z) = sum_j alpha_j^L q_L(z_j / alpha_j^L)`` of depth-L diagonal networks.

    ``q_2(u) = 2 - sqrt(4 + u^2) + u arcsinh(u/2)`` (Woodworth et al. 2020); for ``L >= 3``
    ``q_L(x) = int_0^x h_L^{-1}``, ``h_L(s) = (1 - s)^(-L/(L-2)) - (1 + s)^(-L/(L-2))``; ``Q = ||z||^2``
    for ``L = 1``. The derivation (gradient flow of ``z = u^L - v^L`` from ``u = v = alpha``) is in
    the module docstring of ``training.bias._regression``.

    Parameters
    ----------
    z : array_like, shape (m,)
    alpha : float or array_like, shape (m,)
        Positive initialization scale(s).
    depth : int

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> round(q_alpha(np.array([1.0]), 1.0, 2), 6)  # 2 - sqrt(5) + arcsinh(1/2)
    0.245144
    """
    z = check_vector("z", z)
    return q_alpha_value(z, alpha, depth)


def q_alpha_minimizer(X: Any, y: Any, alpha: Any, depth: int = 2, transform: Any = None) -> RegressionResult:
    """The interpolant reached by gradient flow on a depth-L diagonal (or tensor) network.

    ``argmin Q_alpha(z) s.t. X S^T z = y`` (:func:`q_alpha`), the limit of gradient flow on the
    squared loss for ``z = u^L - v^L`` with ``u(0) = v(0) = alpha`` (Woodworth et al. 2020;
    Yun et al. 2021 for tensor networks in the transformed coordinates). Convex for every L; solved
    by Newton's method on the smooth dual (see the module docstring of ``training.bias._regression``). As
    ``alpha -> 0`` the solution tends to the l1-minimal interpolant, as ``alpha -> infinity`` to the
    l2-minimal one; coordinate-dependent scales ``alpha_j`` weight these norms (for large ``alpha``:
    weights ``alpha_j^-L`` on ``z_j^2``). In double precision the dual variable must keep
    ``1 - |theta_j| ~ (alpha_j^L / |z_j|)^((L-2)/L)`` above about ``1e-12`` for ``L >= 3`` (e.g.
    ``alpha >= 1e-4`` for ``L = 4`` and unit-size targets); beyond, the solution is the l1 interpolant
    to all printed digits and a :class:`BiasSolverError` is raised if Newton's method stalls.

    Parameters
    ----------
    X : array_like, shape (N, D)
    y : array_like, shape (N,)
    alpha : float or array_like, shape (m,)
        Initialization scale(s), positive.
    depth : int
    transform : array_like, shape (m, D), optional

    Returns
    -------
    RegressionResult

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 2.0]]); y = np.array([2.0])
    >>> np.round(q_alpha_minimizer(X, y, 1e-4, 2).beta, 2)  # close to the l1 solution (0, 1)
    array([0., 1.])
    >>> np.round(q_alpha_minimizer(X, y, 1e3, 2).beta, 4)  # the l2 solution (0.4, 0.8)
    array([0.4, 0.8])
    """
    if alpha is None:
        raise ParameterError("alpha must be given")
    return min_q_alpha(X, y, alpha, depth, transform=transform)
