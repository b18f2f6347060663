r"""The max-margin problem of the representation cost (:func:`representation_cost_max_margin`).

``min R(beta) s.t. y_n <x_n, beta> >= 1`` for the representation cost ``R`` of a model; the
mathematics, the SDP and the closed forms are in :mod:`training.bias._repcost`. Depth 2: the
semidefinite program with margin constraints (convex), certified through the optimality conditions
of the nuclear norm; depth >= 3: ``min ||w||^2`` under the margins in parameter space (Lyu & Li
2020), a local answer.

References
----------
K. Lyu, J. Li. Gradient descent maximizes the margin of homogeneous neural networks. ICLR 2020.
C. Lawson, R. Hanson. Solving Least Squares Problems. Prentice-Hall 1974 (NNLS).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import check_data, check_positive_int
from .._errors import ParameterError
from ._repcost import (
    EXACT_TOL,
    MAX_FACTORED_VARS,
    MAX_SDP_SIDE,
    balanced_factors,
    bilinear_form_of,
    check_sdp_side,
    closed_form_choice,
    min_norm_slsqp,
    nuclear_sdp,
    random_starts,
)

__all__ = ["MarginResult", "representation_cost_max_margin"]


@dataclass(frozen=True)
class MarginResult:
    """The result of :func:`representation_cost_max_margin` (``beta`` scaled to minimum margin 1).

    Attributes
    ----------
    beta : numpy.ndarray
    objective : float
        ``R(beta)``: the SDP value when ``exact``, else the best factored value.
    lower_bound : float
        The SDP optimum (depth 2), a lower bound on the K-channel problem; ``nan`` for depth >= 3.
    exact : bool
    rank : int or None
    multipliers : numpy.ndarray
        Dual multipliers ``lambda_n >= 0`` of the margin constraints (SDP) or of SLSQP.
    kkt_residual : float
        Closed form: the relative duality gap. Depth 2: relative residual of ``P_T(G) = 2 A C^T`` with ``G = sum_i (sum_n lambda_n y_n
        x_n)_i B_i`` at the SVD ``Z = A S C^T`` (tangent part of the nuclear-norm optimality);
        depth >= 3: of the parameter-space KKT condition.
    normal_norm : float
        Depth 2: ``||(I - A A^T) G (I - C C^T)||_2 / 2`` (optimality needs ``<= 1``); ``nan`` otherwise.
    params : list of numpy.ndarray or None
        Model parameters attaining ``objective`` (when found).
    status : str
        ``"optimal"`` (exact, certificate <= 1e-6), ``"inaccurate"``, ``"local"`` (not certified).
    """

    beta: np.ndarray
    objective: float
    lower_bound: float
    exact: bool
    rank: int | None
    multipliers: np.ndarray
    kkt_residual: float
    normal_norm: float
    params: list[np.ndarray] | None
    status: str


# -- the max-margin problem --------------------------------------------------------------------
def _nuclear_certificate(form: Any, Z: np.ndarray, Zd: np.ndarray, lam: np.ndarray, rank_tol: float) -> tuple[float, float, np.ndarray]:
    """Tangent residual, normal norm and multipliers of ``G = 2 d||Z||_*``, ``G = B^*(Zd^T lam)``.

    At the SVD ``Z = A S C^T`` (rank r) optimality asks ``P_T(G) = 2 A C^T`` and
    ``||G - P_T(G)||_2 <= 2``. The multipliers are those of the solver, or, if better, the NNLS fit
    of ``P_T(G) = 2 A C^T`` on the active margins (``<= 1 + 1e-6``; Lawson and Hanson 1974).
    """
    from scipy.optimize import nnls

    A, s, Ct = np.linalg.svd(Z, full_matrices=True)
    r = max(int(np.sum(s > rank_tol * s[0])), 1)
    Ar, Cr = A[:, :r], Ct[:r].T
    PA, PC = Ar @ Ar.T, Cr @ Cr.T
    target = 2 * Ar @ Cr.T

    def tangent(G: np.ndarray) -> np.ndarray:
        return PA @ G + G @ PC - PA @ G @ PC

    def measure(l: np.ndarray) -> tuple[float, float]:
        G = form.adjoint(Zd.T @ l)
        T = tangent(G)
        return float(np.linalg.norm(T - target) / np.linalg.norm(target)), float(np.linalg.norm(G - T, 2) / 2)

    res, nn = measure(lam)
    margins = Zd @ form.apply(Z)
    active = np.flatnonzero(margins <= np.min(margins) + 1e-6)
    cols = np.stack([tangent(form.adjoint(Zd[n])).ravel() for n in active], axis=1)
    fit = np.zeros_like(lam)
    fit[active] = nnls(cols, target.ravel())[0]
    res2, nn2 = measure(fit)
    return (res2, nn2, fit) if res2 < res else (res, nn, lam)


def representation_cost_max_margin(
    model: Any,
    X: Any,
    y: Any,
    *,
    starts: int = 4,
    seed: int = 0,
    solver: str | None = None,
    rank_tol: float = 1e-6,
    max_side: int = MAX_SDP_SIDE,
    method: str = "auto",
) -> MarginResult:
    """``min R(beta) s.t. y_n <x_n, beta> >= 1`` for the representation cost ``R`` of ``model``.

    Depth 2 with a bilinear form: the SDP ``min tr M`` over PSD ``M = [[X, Z], [Z^T, Y]]`` with
    ``y_n <x_n, B(Z)> >= 1`` (convex), then as in :func:`representation_cost`: exact when the
    minimizer has rank ``<= K``, else the factored problem ``min ||U||^2 + ||V||^2`` under the
    margins from several starts (an upper bound; ``exact`` when it meets the SDP value). Depth >= 3:
    ``min ||w||^2`` under the margins in parameter space from several starts (a local answer).

    Parameters
    ----------
    model : LinearModel
    X, y : array_like
        Inputs ``(N, D)`` and labels in {-1, +1}, separable through the origin.
    starts, seed, solver, rank_tol, max_side, method
        As in :func:`representation_cost`. A closed-form answer (:mod:`training.bias._repclosed`)
        is certified by its relative duality gap, reported as ``kkt_residual`` (``rank`` and
        ``params`` are ``None``, ``normal_norm`` is ``nan``).

    Returns
    -------
    MarginResult

    Raises
    ------
    NotSeparatedError
        The margin constraints are infeasible.
    ParameterTypeError, ParameterError, ShapeError
        Bad arguments.

    Examples
    --------
    >>> import numpy as np
    >>> from training.models import Diagonal
    >>> X = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0]]); y = np.array([1.0, -1.0])
    >>> r = representation_cost_max_margin(Diagonal(3, depth=2), X, y)
    >>> np.round(r.beta, 6) + 0.0, round(r.objective, 6), r.status   # the l1 max-margin, R = 2 ||beta||_1
    (array([ 0. ,  0.5, -0.5]), 2.0, 'optimal')
    """
    form = bilinear_form_of(model)
    X, y = check_data(X, y)
    if X.shape[1] != model.input_dim:
        raise ParameterError(f"X has width {X.shape[1]} but the model expects {model.input_dim}")
    check_positive_int("starts", starts, 0)
    Zd = y[:, None] * X
    cf = closed_form_choice(model, form, method, max_side)
    if form is None:
        return _deep_margin(model, Zd, starts, seed)
    if cf is not None:
        c = cf.max_margin(X, y, solver)
        return MarginResult(c.beta, c.objective, c.objective, True, None, c.multipliers, c.gap, float("nan"), None,
                            c.status)
    D, p, q = form.tensor.shape
    check_sdp_side(p, q, max_side)
    lower, Z, lam, _ = nuclear_sdp(form, None, Zd, solver)
    lam = np.maximum(lam, 0.0)
    K = form.channels
    U, V, r = balanced_factors(Z, K, rank_tol)
    n = K * (p + q)
    if n > MAX_FACTORED_VARS:
        raise ParameterError(f"the factored problem would have {n} > MAX_FACTORED_VARS = {MAX_FACTORED_VARS} variables")

    def split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return x[: K * p].reshape(K, p), x[K * p :].reshape(K, q)

    def cons(x: np.ndarray) -> np.ndarray:
        return Zd @ form.predictor(*split(x)) - 1.0

    def jac(x: np.ndarray) -> np.ndarray:
        dU, dV = form.predictor_jacobian(*split(x))
        return Zd @ np.hstack([dU.reshape(D, -1), dV.reshape(D, -1)])

    if r <= K:  # exact; if the certificate is loose, polish the factors (SLSQP from the SDP point)
        res, nn, _ = _nuclear_certificate(form, U.T @ V, Zd, lam, rank_tol)
        if res > 1e-8 or nn > 1 + 1e-6:
            x, ok, _ = min_norm_slsqp(np.concatenate([U.ravel(), V.ravel()]), cons, jac, eq=False)
            if ok and abs(x @ x - lower) <= EXACT_TOL * lower:
                U, V = split(x)
        beta = form.predictor(U, V)
        c = float(np.min(Zd @ beta))
        U, V = U / np.sqrt(c), V / np.sqrt(c)
        res, nn, lam = _nuclear_certificate(form, U.T @ V, Zd, lam, rank_tol)
        ok = res <= 1e-6 and nn <= 1 + 1e-6
        return MarginResult(beta / c, lower, lower, True, r, lam, res, nn, form.from_factors(U, V),
                            "optimal" if ok else "inaccurate")
    rng = np.random.default_rng(seed)
    x0s = [np.concatenate([U.ravel(), V.ravel()])] + [rng.standard_normal(n) * np.sqrt(lower / n) for _ in range(starts)]
    best = None
    for x0 in x0s:
        x, ok, mult = min_norm_slsqp(x0, cons, jac, eq=False)
        if ok and (best is None or x @ x < best[0] @ best[0]):
            best = (x, mult)
        if best is not None and best[0] @ best[0] <= lower * (1 + EXACT_TOL) + 1e-12:
            break
    if best is None:  # report the SDP point (rank > K: not a K-channel network)
        res, nn, lam = _nuclear_certificate(form, Z, Zd, lam, rank_tol)
        beta = form.apply(Z)
        return MarginResult(beta / float(np.min(Zd @ beta)), lower, lower, False, r, lam, res, nn, None, "local")
    x, mult = best
    c = float(np.min(cons(x))) + 1.0
    Ub, Vb = split(x / np.sqrt(c))
    beta, val = form.predictor(Ub, Vb), float(x @ x) / c
    exact = bool(val <= lower * (1 + EXACT_TOL) + 1e-12)
    if exact:
        res, nn, lam = _nuclear_certificate(form, Ub.T @ Vb, Zd, lam, rank_tol)
    else:  # parameter-space KKT residual of min ||x||^2 s.t. margins >= 1: 2 x = J^T mult
        xs = x / np.sqrt(c)
        res, nn, lam = float(np.linalg.norm(2 * xs - jac(xs).T @ mult) / np.linalg.norm(2 * xs)), float("nan"), mult
    return MarginResult(beta, lower if exact else val, lower, exact, r, lam, res, nn, form.from_factors(Ub, Vb),
                        ("optimal" if res <= 1e-6 and nn <= 1 + 1e-6 else "inaccurate") if exact else "local")


def _deep_margin(model: Any, Zd: np.ndarray, starts: int, seed: int) -> MarginResult:
    """``min ||w||^2 s.t. Zd f(w) >= 1`` in parameter space from several starts (SLSQP, a local answer)."""
    n, L = model.n_params, model.depth
    if n > MAX_FACTORED_VARS:
        raise ParameterError(f"the factored problem would have {n} > MAX_FACTORED_VARS = {MAX_FACTORED_VARS} variables")
    X = Zd  # margins y_n f(x_n) = f(y_n x_n) for a linear f

    def cons(x: np.ndarray) -> np.ndarray:
        return model.with_flat_params(x).forward(X) - 1.0

    def jac(x: np.ndarray) -> np.ndarray:
        return model.with_flat_params(x).jacobian(X)

    def scale_to(x: np.ndarray) -> np.ndarray:
        m = float(np.min(model.with_flat_params(x).forward(X)))
        return x * (1.0 / m) ** (1.0 / L) if m > 0 else x

    x0s = ([model.flat_params()] if np.min(model.forward(X)) > 0 else []) + random_starts(model, scale_to, max(starts, 1), seed)
    best = None
    for x0 in x0s:
        x, ok, mult = min_norm_slsqp(x0, cons, jac, eq=False)
        if ok and (best is None or x @ x < best[0] @ best[0]):
            best = (x, mult)
    if best is None:
        raise ParameterError("no start of the factored max-margin problem converged; try more starts")
    x, mult = best
    m = model.with_flat_params(x)
    c = float(np.min(m.forward(X)))
    mult = np.maximum(np.asarray(mult, dtype=float), 0.0)
    g = m.flat_grad(X, mult)
    res = float(np.linalg.norm(2 * x - g) / max(np.linalg.norm(2 * x), 1e-300))
    w = m.scaled(c ** (-1.0 / L))
    return MarginResult(w.linearization(), w.param_norm_sq(), float("nan"), False, None, mult, res, float("nan"),
                        w.params, "local")
