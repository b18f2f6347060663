"""Polishing of max-margin candidates in the factored (network) parameterization.

For ``p = 2/L`` the weighted Schatten regularizer has the variational form (Gunasekar et al. 2018;
Lawrence et al. 2022; ``docs/theory.md``)

    ``(L/c) R(b) = min { sum_l ||w_l||^2 : b = A^{-1}( A w_1 A w_2 ... A w_L ) }``,

the product taken block by block (``w_l`` real vectors: for a group this is the group convolution
``w_1 * ... * w_L``, for the DFT the circular one, for the identity the elementwise product). So
``min R(b) s.t. margins >= 1`` is equivalent to the smooth problem

    ``min sum_l ||w_l||^2  s.t.  <z_n, b(w)> >= 1``,

which we solve locally with SLSQP (Kraft 1988) from the balanced factorization of a candidate ``b``:
``F_l = (M M^H)^(1/(2L))`` for ``l < L`` and ``F_L = U S^(1/L) V^H`` per block (``M = U S V^H``).
These factors are functions of ``M`` that commute with complex conjugation and with the change of
basis between equivalent irreps, so they are blocks of real vectors, and
``sum_l ||w_l||^2 = (L/c) R(b)``. The polished ``b`` is then certified in predictor space by the KKT
residual; SLSQP avoids the freezing of singular subspaces that slows reweighted methods down once
small singular values are nearly zero.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import minimize

from ._fourier import FourierOperator


def _herm(x: np.ndarray) -> np.ndarray:
    return np.conj(np.swapaxes(x, -1, -2))


def balanced_factors(op: FourierOperator, b: np.ndarray, L: int) -> np.ndarray:
    """Real factors ``(w_1, ..., w_L)`` (shape ``(L, n)``) with ``b(w) = b`` and ``sum ||w_l||^2 = (L/c) R(b)``."""
    inner, last = [], []
    for M in op.forward(b):
        U, s, Vh = np.linalg.svd(M)
        r = s ** (1.0 / L)
        inner.append(np.einsum("kij,kj,klj->kil", U, r, np.conj(U)))
        last.append(np.einsum("kij,kj,kjl->kil", U, r, Vh))
    w_inner = op.inverse(inner)
    return np.stack([w_inner] * (L - 1) + [op.inverse(last)])


def _products(Fs: list[list[np.ndarray]], L: int) -> tuple[list[list[np.ndarray]], list[list[np.ndarray]]]:
    """Prefix products ``F_1...F_{l-1}`` and suffix products ``F_{l+1}...F_L`` per size group."""
    ng = len(Fs[0])
    left = [[np.broadcast_to(np.eye(F.shape[-1]), F.shape) for F in Fs[0]]]
    for l in range(1, L):
        left.append([left[-1][g] @ Fs[l - 1][g] for g in range(ng)])
    right = [[np.broadcast_to(np.eye(F.shape[-1]), F.shape) for F in Fs[0]]]
    for l in range(L - 2, -1, -1):
        right.insert(0, [Fs[l + 1][g] @ right[0][g] for g in range(ng)])
    return left, right


def factor_polish(op: FourierOperator, Zv: np.ndarray, b0: np.ndarray, L: int, *, maxiter: int = 400) -> tuple[np.ndarray, int]:
    """Local solution of ``min sum ||w_l||^2 s.t. Zv b(w) >= 1`` from the factors of ``b0``.

    Returns the predictor ``b(w)`` of the last SLSQP iterate and the number of iterations.
    """
    n = op.n
    N = Zv.shape[0]
    data = op.forward(Zv)  # (N, k, d, d) per size group
    wts = [g.weights[:, None, None] / op.c for g in op.batches]

    def beta_of(x: np.ndarray) -> np.ndarray:
        Fs = [op.forward(w) for w in x.reshape(L, n)]
        prods = []
        for g in range(len(op.batches)):
            P = Fs[0][g]
            for l in range(1, L):
                P = P @ Fs[l][g]
            prods.append(P)
        return op.inverse(prods)

    def cons(x: np.ndarray) -> np.ndarray:
        return Zv @ beta_of(x) - 1.0

    def cons_jac(x: np.ndarray) -> np.ndarray:
        Fs = [op.forward(w) for w in x.reshape(L, n)]
        left, right = _products(Fs, L)
        J = np.empty((N, L, n))
        for l in range(L):
            # d/dF Re tr(X^H P F Q) = P^H X Q^H; constraint n is (1/c) sum_k w_k Re tr(X_nk^H prod_k)
            grads = [wt * (_herm(P)[None] @ Xd @ _herm(Q)[None]) for wt, P, Xd, Q in zip(wts, left[l], data, right[l])]
            J[:, l, :] = op.adjoint(grads)
        return J.reshape(N, L * n)

    x0 = balanced_factors(op, b0, L).ravel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = minimize(
            lambda x: (float(x @ x), 2.0 * x),
            x0,
            jac=True,
            method="SLSQP",
            constraints=[{"type": "ineq", "fun": cons, "jac": cons_jac}],
            options={"maxiter": maxiter, "ftol": 1e-16},
        )
    return beta_of(res.x), int(res.nit)
