"""Exact solution of the convex (p = 1) max-margin problems with cvxpy and Clarabel.

``min sum_k w_k ||M_k||_*`` subject to ``<z_n, b> >= 1``, ``M_k = (A b)_k``:

- identity operator: ``||b||_1`` (a linear program in conic form);
- DFT: ``sum_j |fft(b)_j| = sum_j ||(Re, Im) fft(b)_j||_2`` (second-order cones);
- group: ``sum_rho d_rho ||beta_hat(rho)||_*``; a real block (real irrep matrices) uses ``normNuc``
  directly, a complex block ``M = P + iQ`` its real embedding ``[[P, -Q], [Q, P]]``, whose singular
  values are those of ``M``, each twice, so ``||M||_* = ||[[P, -Q], [Q, P]]||_* / 2``; 1 x 1 blocks
  use the modulus. cvxpy turns nuclear norms into semidefinite constraints (Clarabel supports them).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._errors import NotSeparatedError
from ._core import BiasSolverError
from ._fourier import FourierOperator

_CLARABEL_TOLS = {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10, "max_iter": 500}


def _nuclear_terms(op: FourierOperator, b: Any) -> list[Any]:
    """The terms ``w_k ||M_k||_*`` as cvxpy expressions of the variable ``b``."""
    import cvxpy as cp

    terms: list[Any] = []
    if op.kind == "identity":
        return [cp.norm1(b)]
    if op.kind == "dft":
        F = np.fft.fft(np.eye(op.n), axis=0)  # F @ b = fft(b)
        return [cp.sum(cp.norm(cp.vstack([F.real @ b, F.imag @ b]), 2, axis=0))]
    for g in op.batches:
        d = g.d
        for j, w in enumerate(g.weights):
            cols = slice(j * d * d, (j + 1) * d * d)  # entry (a, b) of block j is column j*d*d + a*d + b
            re = g.re[:, cols].T @ b
            if d == 1:
                term = cp.abs(re) if g.real else cp.norm(cp.hstack([re, g.im[:, cols].T @ b]), 2)
            elif g.real:
                term = cp.normNuc(cp.reshape(re, (d, d), order="C"))
            else:
                P = cp.reshape(re, (d, d), order="C")
                Q = cp.reshape(g.im[:, cols].T @ b, (d, d), order="C")
                term = cp.normNuc(cp.bmat([[P, -Q], [Q, P]])) / 2
            terms.append(float(w) * term)
    return terms


def solve_nuclear(op: FourierOperator, Zv: np.ndarray, solver: str | None = None) -> tuple[np.ndarray, str]:
    """``argmin sum_k w_k ||M_k||_* s.t. Zv b >= 1`` and the cvxpy status (cvxpy is imported here, on first use)."""
    import cvxpy as cp

    b = cp.Variable(op.n)
    prob = cp.Problem(cp.Minimize(cp.sum(cp.hstack(_nuclear_terms(op, b)))), [Zv @ b >= 1])
    return solve_separable(prob, b, solver)


def solve_separable(prob, var, solver: str | None = None, **options: float) -> tuple[np.ndarray, str]:
    """Solve a cvxpy max-margin problem: ``var``'s value and the status (Clarabel with tight
    tolerances by default; ``options`` override them).

    Raises
    ------
    NotSeparatedError
        If the margin constraints are infeasible.
    BiasSolverError
        If the solver fails or ends without an (inaccurate) optimum.
    """
    import cvxpy as cp

    name = solver or cp.CLARABEL
    kwargs = {**_CLARABEL_TOLS, **options} if name == cp.CLARABEL else dict(options)
    try:
        with warnings.catch_warnings():  # "Solution may be inaccurate": the caller certifies and polishes
            warnings.simplefilter("ignore", UserWarning)
            prob.solve(solver=name, **kwargs)
    except cp.error.SolverError as exc:
        raise BiasSolverError(f"cvxpy solver {name} failed: {exc}") from exc
    if prob.status in (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE):
        raise NotSeparatedError("the data are not linearly separable through the origin")
    if var.value is None or prob.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
        raise BiasSolverError(f"cvxpy solver {name} returned status {prob.status}")
    return np.asarray(var.value, dtype=float), str(prob.status)
