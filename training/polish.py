"""Polishing: solve the parameter-space max-margin problem locally from a gradient-descent iterate.

For a network ``f(x; w)`` positively homogeneous of degree L in its parameters, gradient descent on
the exponential or logistic loss of separable data converges in direction to a KKT point of

    ``min ||w||^2   subject to   y_n f(x_n; w) >= 1  for all n``

(Lyu & Li 2020; Ji & Telgarsky 2020). Because the convergence is only logarithmic in time, the
trained direction can be far from that KKT point; :func:`polish` rescales the iterate so its minimum
margin is 1 (each layer times ``gamma^(-1/L)``) and solves the problem with a local constrained
solver, using the model's backward pass for the constraint Jacobian. It reports the multipliers and
the KKT residual in parameter space:

    ``2 w = sum_n lambda_n y_n grad_w f(x_n; w)``, ``lambda_n >= 0``, ``lambda_n = 0`` off the active set.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Literal

import numpy as np

from ._errors import NotSeparatedError, ParameterError
from ._training_set import check_training_set
from .bias._block_polish import augmented_lagrangian
from .models import GCNN, LinearModel

__all__ = ["PolishResult", "parameter_kkt_residual", "polish", "rescale_to_unit_margin"]

SLSQP_MAX_PARAMS = 1000
"""``method="auto"`` tries SLSQP (dense, O(n^3) per iteration) first up to this many parameters,
trust-constr first above; if the first does not reach a KKT point, it tries the other."""
LARGE_PARAMS = 2000
"""For G-CNNs with more parameters than this every method is replaced by the augmented Lagrangian
(:mod:`training.bias._block_polish`, memory and time per iteration O(n), forward and backward passes
in Fourier space), and the Newton refinement caps its MINRES iterations at ``LARGE_MINRES_ITER``
(other models keep the requested method and ``20 (n + k)`` MINRES iterations)."""
LARGE_MINRES_ITER = 400


@dataclass
class PolishResult:
    """Result of :func:`polish`.

    Attributes
    ----------
    model : LinearModel
        The polished model (minimum margin 1 up to the solver tolerance).
    beta : numpy.ndarray
        Its linearization.
    multipliers : numpy.ndarray
        ``lambda_n >= 0`` (shape ``(N,)``) for the problem ``min ||w||^2``: ``2 w = sum_n lambda_n
        y_n grad f(x_n; w)``; zero off the active set.
    kkt_residual : float
        ``||2 w - J^T (lambda * y)|| / ||2 w||`` with the best nonnegative multipliers on the active set.
    max_violation : float
        ``max_n max(0, 1 - y_n f(x_n))``.
    active : numpy.ndarray
        Boolean mask of the active constraints (margin within ``active_tol`` of 1).
    objective : float
        ``||w||^2`` at the polished point.
    start_objective : float
        ``||w||^2`` of the rescaled starting point.
    method : str
        The solver used.
    success : bool
        ``kkt_residual <= kkt_tol`` and ``max_violation <= kkt_tol`` (certified at the returned
        point, whatever the solver reported; its message is in ``message``).
    message : str
        Solver message.
    n_iter : int
        Solver iterations.
    newton_steps : int
        Active-set Newton refinement steps after the solver.
    """

    model: LinearModel
    beta: np.ndarray
    multipliers: np.ndarray
    kkt_residual: float
    max_violation: float
    active: np.ndarray
    objective: float
    start_objective: float
    method: str
    success: bool
    message: str
    n_iter: int
    newton_steps: int


def _check_data(model: LinearModel, X: np.ndarray, y: np.ndarray, labels: str = "binary") -> tuple[np.ndarray, np.ndarray]:
    """The shared input checks (:func:`training._training_set.check_training_set`): labels exactly -1/+1 by default."""
    return check_training_set(model, X, y, labels, "the max-margin problem")  # type: ignore[arg-type]


def rescale_to_unit_margin(model: LinearModel, X: np.ndarray, y: np.ndarray) -> LinearModel:
    """Scale every layer by ``gamma^(-1/L)`` so that ``min_n y_n f(x_n) = 1`` (``gamma`` the current minimum).

    Parameters
    ----------
    model : LinearModel
        A model of degree L that separates the data.
    X, y : numpy.ndarray
        Inputs ``(N, D)`` and labels ``(N,)`` (usually -1/+1; any finite real weights are accepted
        here, the margin being ``y_n f(x_n)``).

    Returns
    -------
    LinearModel

    Raises
    ------
    NotSeparatedError
        If some margin is ``<= 0``.

    Examples
    --------
    >>> from training.models import Diagonal
    >>> m = Diagonal(2, depth=2).with_params([np.array([2.0, 1.0]), np.array([2.0, 1.0])])
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]]); y = np.array([1.0, 1.0])
    >>> rescale_to_unit_margin(m, X, y).forward(X).tolist()
    [4.0, 1.0]
    >>> np.round(rescale_to_unit_margin(m, X, 2 * y).forward(X), 12).tolist()  # y f = 2 f = [4, 1]
    [2.0, 0.5]
    """
    X, y = _check_data(model, X, y, "real")
    gamma = float(np.min(y * model.forward(X)))
    if not gamma > 0:
        raise NotSeparatedError(f"model does not separate the data (min margin {gamma:.3g}): train longer before polishing")
    return model.scaled(gamma ** (-1.0 / model.depth))


def parameter_kkt_residual(
    model: LinearModel, X: np.ndarray, y: np.ndarray, *, active_tol: float = 1e-6
) -> tuple[float, np.ndarray, np.ndarray]:
    """Parameter-space KKT residual of ``min ||w||^2`` s.t. ``y_n f(x_n; w) >= 1`` at the model's point.

    The multipliers are the nonnegative least-squares solution of ``J_A^T (lambda_A * y_A) = 2 w`` over
    the active set ``A = {n : y_n f(x_n) <= 1 + active_tol}`` (scipy.optimize.nnls).

    Parameters
    ----------
    model : LinearModel
        The point (assumed feasible, minimum margin about 1: see :func:`rescale_to_unit_margin`).
    X, y : numpy.ndarray
        Inputs ``(N, D)`` and labels ``(N,)``, each exactly -1 or +1.
    active_tol : float
        Constraints with margin ``<= 1 + active_tol`` count as active.

    Returns
    -------
    residual : float
        ``||2 w - J_A^T (lambda_A * y_A)|| / ||2 w||``.
    multipliers : numpy.ndarray
        ``lambda`` (shape ``(N,)``, zero off the active set).
    active : numpy.ndarray
        Boolean mask of the active set.

    Examples
    --------
    >>> from training.models import Diagonal
    >>> m = Diagonal(1, depth=2).with_params([np.array([1.0]), np.array([1.0])])
    >>> r, lam, act = parameter_kkt_residual(m, np.array([[1.0]]), np.array([1.0]))
    >>> round(r, 12), np.round(lam, 12).tolist()
    (0.0, [2.0])
    """
    from scipy.optimize import nnls

    X, y = _check_data(model, X, y)
    margins = y * model.forward(X)
    active = margins <= 1.0 + active_tol
    w = model.flat_params()
    lam = np.zeros(X.shape[0])
    target = 2.0 * w
    tn = float(np.linalg.norm(target))
    if tn == 0.0:
        return 0.0, lam, active
    if not np.any(active):
        return 1.0, lam, active
    A = (model.jacobian(X[active]) * y[active, None]).T
    lam_a, _ = nnls(A, target, maxiter=50 * A.shape[1] + 100)
    lam[active] = lam_a
    return float(np.linalg.norm(A @ lam_a - target) / tn), lam, active


def _hvp_factory(model: LinearModel, X: np.ndarray, y: np.ndarray):
    """Hessian-vector products of ``w -> sum_n v_n y_n f(x_n; w)`` from the backward pass.

    The gradient is a polynomial of degree L - 1 in w, so the 4-point central difference
    ``[8 (g(e) - g(-e)) - (g(2e) - g(-2e))] / (12 e)`` is exact (up to rounding) for L <= 5.
    """

    from scipy.sparse.linalg import LinearOperator

    def hess(w: np.ndarray, v: np.ndarray) -> LinearOperator:
        weights = v * y
        base = model.with_flat_params(w)
        wn = max(float(np.linalg.norm(w)), 1.0)

        def matvec(p: np.ndarray) -> np.ndarray:
            p = np.asarray(p, dtype=float).ravel()
            pn = float(np.linalg.norm(p))
            if pn == 0.0:
                return np.zeros_like(w)
            e = 1e-3 * wn / pn

            def g(s: float) -> np.ndarray:
                return base.with_flat_params(w + s * e * p).flat_grad(X, weights)

            return (8.0 * (g(1) - g(-1)) - (g(2) - g(-2))) / (12.0 * e)

        return LinearOperator((w.size, w.size), matvec=matvec, dtype=float)

    return hess


def _refine(
    model: LinearModel, X: np.ndarray, y: np.ndarray, *, tol: float, max_newton: int = 30, max_rounds: int = 5
) -> tuple[LinearModel, int]:
    """Active-set Newton iterations on the KKT system of ``min ||w||^2`` s.t. ``c_A(w) = 0``.

    Unknowns ``(w, lambda_A)``; equations ``F1 = 2 w - Jt_A^T lambda_A = 0`` and
    ``F2 = c_A(w) = y_A f_A(w) - 1 = 0`` with ``Jt_A = diag(y_A) J_A``. Each step solves the symmetric
    indefinite system ``[[2I - H, -Jt^T], [-Jt, 0]] [dw; dlambda] = [-F1; F2]``
    (``H = sum_n lambda_n y_n hess f_n``) with MINRES and Hessian-vector products from the backward
    pass, so memory stays O(n_params), and is accepted with backtracking on the merit
    ``sqrt(||F1||^2 / ||w||^2 + ||F2||^2)`` (the KKT matrix is singular when the solution set is not
    isolated, and a full step can then leave the solution). The active set starts as the constraints
    with positive NNLS multipliers; constraints whose multiplier turns negative are dropped and
    violated ones added, for at most ``max_rounds`` rounds. Returns the refined model (the input
    model if refinement does not lower the KKT residual) and the number of Newton steps taken.
    """
    from scipy.sparse.linalg import LinearOperator, minres

    base_res, lam_full, _ = parameter_kkt_residual(model, X, y, active_tol=1e-3)
    best, best_res = model, base_res
    if not np.any(lam_full > 0) or base_res <= tol:
        return model, 0
    active = lam_full > 1e-8 * float(np.max(lam_full))
    w = model.flat_params().copy()
    lam = lam_full[active].copy()
    steps = 0

    def system(w: np.ndarray, lam: np.ndarray, XA: np.ndarray, yA: np.ndarray):
        m = model.with_flat_params(w)
        Jt = m.jacobian(XA) * yA[:, None]
        F1 = 2.0 * w - Jt.T @ lam
        F2 = yA * m.forward(XA) - 1.0
        scale = max(float(np.linalg.norm(w)), 1e-300)
        return F1, F2, Jt, math.sqrt(float(F1 @ F1) / scale**2 + float(F2 @ F2))

    for _ in range(max_rounds):
        XA, yA = X[active], y[active]
        hess = _hvp_factory(model, XA, yA)
        P, k = w.size, int(active.sum())
        F1, F2, Jt, merit = system(w, lam, XA, yA)
        for _ in range(max_newton):
            if merit <= 0.1 * tol:
                break
            Hop = hess(w, lam)

            def mv(z: np.ndarray, Hop=Hop, Jt=Jt) -> np.ndarray:
                dw, dl = z[:P], z[P:]
                return np.concatenate([2.0 * dw - Hop.matvec(dw) - Jt.T @ dl, -(Jt @ dw)])

            K = LinearOperator((P + k, P + k), matvec=mv, dtype=float)
            its = LARGE_MINRES_ITER if isinstance(model, GCNN) and P > LARGE_PARAMS else 20 * (P + k)
            sol = minres(K, np.concatenate([-F1, F2]), rtol=1e-14, maxiter=its)[0]
            if not np.all(np.isfinite(sol)):
                break
            alpha, accepted = 1.0, False
            for _ in range(12):
                w_new, lam_new = w + alpha * sol[:P], lam + alpha * sol[P:]
                new = system(w_new, lam_new, XA, yA)
                if new[3] < merit:
                    w, lam, (F1, F2, Jt, merit) = w_new, lam_new, new
                    accepted = True
                    break
                alpha *= 0.5
            if not accepted:
                break
            steps += 1
        cur = model.with_flat_params(w)
        margins = y * cur.forward(X)
        full = np.zeros(X.shape[0])
        full[active] = lam
        drop = active & (full < -tol * max(1.0, float(np.max(np.abs(full)))))
        add = ~active & (margins < 1.0 - tol)
        if float(np.min(margins)) > 0:
            scaled = rescale_to_unit_margin(cur, X, y)
            res, _, _ = parameter_kkt_residual(scaled, X, y, active_tol=max(1e-6, 10 * tol))
            if res < best_res and not np.any(add):
                best, best_res = scaled, res
        if not (np.any(drop) or np.any(add)):
            break
        active = (active & ~drop) | add
        lam = np.where(add, 0.0, full)[active]
    return best, steps


def polish(
    model: LinearModel,
    X: np.ndarray,
    y: np.ndarray,
    *,
    tol: float = 1e-10,
    max_iter: int = 2000,
    method: Literal["auto", "slsqp", "trust-constr", "augmented-lagrangian"] = "auto",
    active_tol: float = 1e-6,
    kkt_tol: float = 1e-6,
    refine: bool = True,
    continue_factor: int = 0,
) -> PolishResult:
    """Solve ``min ||w||^2`` s.t. ``y_n f(x_n; w) >= 1`` locally, starting from a trained model.

    Parameters
    ----------
    model : LinearModel
        A model that separates the data, typically the result of :func:`training.fit`; it is first
        rescaled to minimum margin 1 (:func:`rescale_to_unit_margin`).
    X, y : numpy.ndarray
        Inputs ``(N, D)`` and labels ``(N,)``, each exactly -1 or +1.
    tol : float
        Solver tolerance (SLSQP ``ftol``; trust-constr ``gtol`` and ``xtol``).
    max_iter : int
        Maximum solver iterations (augmented Lagrangian: outer iterations, at most 40).
    method : {"auto", "slsqp", "trust-constr", "augmented-lagrangian"}
        ``"slsqp"`` (scipy SLSQP, dense quasi-Newton, O(n^3) per iteration) is tried first by
        ``"auto"`` up to ``SLSQP_MAX_PARAMS`` parameters, and the other method when the first does
        not reach a KKT point; above, ``"trust-constr"`` first (interior point, memory O(n), with
        Hessian-vector products of the constraints from a 4-point difference of backward passes,
        exact up to rounding for depth <= 5). ``"augmented-lagrangian"``: L-BFGS on the augmented
        Lagrangian (:mod:`training.bias._block_polish`), one forward and one backward pass per
        iteration, memory O(n); for a :class:`~training.models.GCNN` with more than ``LARGE_PARAMS``
        parameters it replaces every method (``PolishResult.method`` says so), because SLSQP's
        dense matrices and trust-constr's iterations do not scale to the G-CNNs of large groups.
    active_tol : float
        Margin tolerance of the active set used for the multipliers.
    kkt_tol : float
        Tolerance of ``success`` on the KKT residual and the constraint violation.
    refine : bool
        After the solver, run active-set Newton iterations on the KKT system (MINRES with
        Hessian-vector products); this is what brings the residual from the solvers' typical
        ``1e-6`` down to ``tol``. The refined point is kept only if it lowers the KKT residual.
    continue_factor : int
        ``0`` (default): the fallback method of ``"auto"`` starts again from ``model``. ``k >= 1``:
        a solve that does not certify (typically the solver's iteration cap, after which the
        active-set refinement starts from a wrong active set) is **continued from its end point**,
        first with the same method and ``k * max_iter`` iterations, then with the other method; the
        candidate with the smallest KKT residual is kept and ``PolishResult.method`` names every
        stage (e.g. ``"slsqp+slsqp"``). A solve that certifies costs one solve either way.

    Returns
    -------
    PolishResult

    Raises
    ------
    NotSeparatedError
        If the model does not separate the data.
    LabelError
        Labels other than -1 and +1 (e.g. 0/1 labels: use ``2*y - 1``).
    ShapeError, DataTypeError
        ``X`` or ``y`` of the wrong shape, not finite, or not real numbers.

    References
    ----------
    K. Lyu, J. Li. Gradient descent maximizes the margin of homogeneous neural networks. ICLR 2020.
    Z. Ji, M. Telgarsky. Directional convergence and alignment in deep learning. NeurIPS 2020.
    D. Kraft. A software package for sequential quadratic programming. DFVLR-FB 88-28, 1988 (SLSQP).

    Examples
    --------
    >>> from training.models import Diagonal
    >>> X = np.array([[1.0, 2.0], [2.0, 1.0]]); y = np.array([1.0, 1.0])
    >>> r = polish(Diagonal(2, depth=2).with_params([np.ones(2), np.ones(2)]), X, y)
    >>> np.round(r.beta, 6).tolist(), r.success     # l1 max margin: beta = (1/3, 1/3)
    ([0.333333, 0.333333], True)
    """
    X, y = _check_data(model, X, y)
    if not (isinstance(tol, float) and 0 < tol < 1):
        raise ParameterError(f"tol must be a float in (0, 1), got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise ParameterError(f"max_iter must be an integer >= 1, got {max_iter!r}")
    if method not in ("auto", "slsqp", "trust-constr", "augmented-lagrangian"):
        raise ParameterError(f"method must be 'auto', 'slsqp', 'trust-constr' or 'augmented-lagrangian', got {method!r}")
    if isinstance(continue_factor, bool) or not isinstance(continue_factor, int) or not 0 <= continue_factor <= 1000:
        raise ParameterError(f"continue_factor must be an integer in 0..1000, got {continue_factor!r}")
    start = rescale_to_unit_margin(model, X, y)
    if method == "augmented-lagrangian" or (isinstance(start, GCNN) and start.n_params > LARGE_PARAMS):
        methods = ["augmented-lagrangian"]
    else:
        first = method if method != "auto" else "slsqp" if start.n_params <= SLSQP_MAX_PARAMS else "trust-constr"
        methods = [first, "trust-constr" if first == "slsqp" else "slsqp"]
        if method != "auto" and not continue_factor:
            methods = [first]
    kw = {"tol": tol, "refine": refine, "active_tol": active_tol, "kkt_tol": kkt_tol}
    if continue_factor:  # the first method, then the same and the other one from the best end point
        best = _solve_once(start, X, y, methods[0], max_iter=max_iter, **kw)
        stages = [methods[0]]
        for again in (methods[0], methods[-1]):
            if best.success:
                break
            stages.append(again)
            cont = rescale_to_unit_margin(best.model, X, y)
            candidate = _solve_once(cont, X, y, again, max_iter=continue_factor * max_iter, **kw)
            if candidate.kkt_residual < best.kkt_residual:
                best = candidate
        if len(stages) > 1:
            best.method = "+".join(stages)
        return best
    best = None
    for m in methods:
        candidate = _solve_once(start, X, y, m, max_iter=max_iter, **kw)
        if best is None or candidate.kkt_residual < best.kkt_residual:
            best = candidate
        if best.success:
            break
    return best


def _solve_once(
    start: LinearModel, X: np.ndarray, y: np.ndarray, method: str, *, tol: float, max_iter: int,
    refine: bool, active_tol: float, kkt_tol: float,
) -> PolishResult:
    """One local solve of ``min ||w||^2 s.t. y f(x; w) >= 1`` from ``start`` with ``method``."""

    def cons(w: np.ndarray) -> np.ndarray:
        return y * start.with_flat_params(w).forward(X) - 1.0

    def cons_jac(w: np.ndarray) -> np.ndarray:
        return start.with_flat_params(w).jacobian(X) * y[:, None]

    if method == "augmented-lagrangian":
        _, lam0, _ = parameter_kkt_residual(start, X, y, active_tol=1e-3)
        model, nit, message = augmented_lagrangian(start, X, y, lam0=lam0, tol=tol,
                                                                 max_outer=min(max_iter, 40))
        res = SimpleNamespace(x=model.flat_params(), message=message, nit=nit)
    else:
        res = _scipy_solve(start, X, y, method, cons, cons_jac, tol=tol, max_iter=max_iter)
    w = np.asarray(res.x, dtype=float)
    polished = start.with_flat_params(w)
    # the solver may end a hair inside or outside the feasible set: restore min margin exactly 1
    if float(np.min(cons(w))) > -1.0:
        polished = rescale_to_unit_margin(polished, X, y)
    else:
        polished = start
    newton = 0
    if refine:
        polished, newton = _refine(polished, X, y, tol=tol)
    violation = float(max(0.0, -np.min(cons(polished.flat_params()))))
    resid, lam, active = parameter_kkt_residual(polished, X, y, active_tol=active_tol)
    success = resid <= kkt_tol and violation <= kkt_tol
    return PolishResult(
        model=polished,
        beta=polished.linearization(),
        multipliers=lam,
        kkt_residual=resid,
        max_violation=violation,
        active=active,
        objective=polished.param_norm_sq(),
        start_objective=start.param_norm_sq(),
        method=method,
        success=success,
        message=f"{method}: {res.message}; {newton} Newton refinement steps",
        n_iter=int(getattr(res, "nit", 0) or getattr(res, "niter", 0)),
        newton_steps=newton,
    )


def _scipy_solve(start: LinearModel, X: np.ndarray, y: np.ndarray, method: str, cons, cons_jac, *, tol: float,
                 max_iter: int):
    """scipy's SLSQP or trust-constr on ``min ||w||^2 s.t. cons(w) >= 0`` from ``start``."""
    from scipy.optimize import NonlinearConstraint, minimize
    from scipy.sparse.linalg import LinearOperator

    w0 = start.flat_params()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=UserWarning)  # trust-constr's "delta_grad == 0" notice
        if method == "slsqp":
            return minimize(
                lambda w: float(w @ w),
                w0,
                jac=lambda w: 2.0 * w,
                method="SLSQP",
                constraints=[{"type": "ineq", "fun": cons, "jac": cons_jac}],
                options={"ftol": tol, "maxiter": max_iter},
            )
        n = w0.size
        return minimize(
            lambda w: float(w @ w),
            w0,
            jac=lambda w: 2.0 * w,
            hess=lambda w: LinearOperator((n, n), matvec=lambda p: 2.0 * np.asarray(p).ravel(), dtype=float),
            method="trust-constr",
            constraints=[NonlinearConstraint(cons, 0.0, np.inf, jac=cons_jac, hess=_hvp_factory(start, X, y))],
            options={"gtol": tol, "xtol": tol, "barrier_tol": tol, "maxiter": max_iter},
        )
