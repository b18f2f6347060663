"""Augmented Lagrangian for the parameter-space max-margin problem of large linear networks.

:func:`training.polish` solves ``min ||w||^2 s.t. y_n f(x_n; w) >= 1`` locally. SLSQP keeps a dense
quasi-Newton matrix (``O(P^2)`` memory, ``O(P^3)`` time per iteration) and is out of reach at the
19,000 parameters of a depth-3 G-CNN over a group of order 6272. This module minimizes the
Powell-Hestenes-Rockafellar augmented Lagrangian of the problem (Rockafellar 1973; Nocedal and
Wright, *Numerical Optimization*, 2006, section 17.4)

    ``Phi(w) = ||w||^2 / s + (1 / (2 mu)) sum_n [max(0, lambda_n - mu c_n(w))^2 - lambda_n^2]``,

``c_n(w) = y_n f(x_n; w) - 1`` and ``s`` the squared norm of the start, by L-BFGS (memory ``O(P)``),
and updates ``lambda <- max(0, lambda - mu c(w))`` between inner solves (``mu`` times 10 when the
violation does not fall by a factor 4). Every evaluation of ``Phi`` and of its gradient is one
forward and one backward pass of the model with weights ``max(0, lambda - mu c) * y``: for the
G-CNN those run block by block in Fourier space (:class:`training.models.GCNN`, ``O(L sum_rho
d_rho^3)`` per pass plus ``O(N |G|)`` for the data), so one iteration costs a few milliseconds at
order 6272 and nothing of size ``P^2`` is ever formed. :func:`training.polish` then certifies the
point and refines it with Newton steps on the KKT system (Hessian-vector products).

Examples
--------
>>> import numpy as np
>>> from training.models import Diagonal
>>> X = np.array([[1.0, 2.0], [2.0, 1.0]]); y = np.array([1.0, 1.0])
>>> m, its, msg = augmented_lagrangian(Diagonal(2, depth=2).with_params([np.ones(2), np.ones(2)]), X, y)
>>> np.round(m.linearization(), 6).tolist()   # l1 max margin: beta = (1/3, 1/3)
[0.333333, 0.333333]
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from ..models import LinearModel


def augmented_lagrangian(
    start: LinearModel,
    X: np.ndarray,
    y: np.ndarray,
    *,
    lam0: np.ndarray | None = None,
    tol: float = 1e-10,
    max_outer: int = 40,
    max_inner: int = 3000,
    mu0: float = 10.0,
    mu_max: float = 1e8,
) -> tuple[LinearModel, int, str]:
    """Local solution of ``min ||w||^2 s.t. y_n f(x_n; w) >= 1`` by an augmented Lagrangian.

    Parameters
    ----------
    start : LinearModel
        Starting point, feasible with minimum margin 1 (:func:`training.polish.rescale_to_unit_margin`).
    X, y : numpy.ndarray
        Inputs ``(N, D)`` and labels ``(N,)`` (checked by the caller).
    lam0 : numpy.ndarray, optional
        Starting multipliers of ``min ||w||^2`` (e.g. the NNLS multipliers at the start); zero by default.
    tol : float
        Stop when the constraint violation and the relative stationarity residual
        ``||2 w - J^T (lambda y)|| / ||2 w||`` are both below ``tol``.
    max_outer, max_inner : int
        Limits on the multiplier updates and on the L-BFGS iterations of each inner solve.
    mu0, mu_max : float
        First and largest penalty.

    Returns
    -------
    model : LinearModel
        The last iterate (not rescaled).
    iterations : int
        L-BFGS iterations in total.
    message : str
        Outer iterations, final violation and stationarity residual. The loop also stops once the
        point is feasible (violation ``<= tol``) and an outer iteration no longer halves the
        stationarity residual: the L-BFGS solves then stall on the rounding of ``Phi``.
    """
    w = start.flat_params().copy()
    s = max(float(w @ w), 1e-300)
    N = X.shape[0]
    lam = np.zeros(N) if lam0 is None else np.maximum(np.asarray(lam0, dtype=float), 0.0) / s
    mu = float(mu0)
    total, viol_prev, outer = 0, np.inf, 0
    viol = stat = stat_prev = np.inf

    def cons(m: LinearModel) -> np.ndarray:
        return y * m.forward(X) - 1.0

    for outer in range(1, max_outer + 1):
        lam_k, mu_k = lam.copy(), mu

        def phi(v: np.ndarray, lam_k: np.ndarray = lam_k, mu_k: float = mu_k) -> tuple[float, np.ndarray]:
            m = start.with_flat_params(v)
            c = cons(m)
            a = np.maximum(0.0, lam_k - mu_k * c)
            val = float(v @ v) / s + float(a @ a - lam_k @ lam_k) / (2.0 * mu_k)
            return val, 2.0 * v / s - m.flat_grad(X, a * y)

        res = minimize(phi, w, jac=True, method="L-BFGS-B",
                       options={"maxiter": max_inner, "maxcor": 30, "gtol": 1e-14, "ftol": 1e-16})
        w = np.asarray(res.x, dtype=float)
        total += int(res.nit)
        m = start.with_flat_params(w)
        c = cons(m)
        lam = np.maximum(0.0, lam - mu * c)
        viol = float(np.max(np.maximum(-c, 0.0)))
        # complementarity enters through lam: inactive constraints lose their multiplier
        g = 2.0 * w / s - m.flat_grad(X, lam * y)
        stat = float(np.linalg.norm(g) / max(np.linalg.norm(2.0 * w / s), 1e-300))
        if viol <= tol and (stat <= tol or stat > 0.5 * stat_prev):
            break  # converged, or the inner solves stall (rounding of Phi): the Newton refinement takes over
        stat_prev = stat
        if viol > 0.25 * viol_prev and mu < mu_max:
            mu = min(10.0 * mu, mu_max)
        viol_prev = viol
    msg = f"augmented Lagrangian: {outer} outer iterations, violation {viol:.1e}, stationarity {stat:.1e}"
    return start.with_flat_params(w), total, msg
