"""Tests of training.polish: KKT points of the parameter-space max-margin problem."""

from __future__ import annotations

import cvxpy as cp
import numpy as np
import pytest
from scipy.optimize import linprog, nnls

from training import NotSeparatedError, ParameterError, fit, parameter_kkt_residual, polish
from training.models import GCNN, CircularCNN, Diagonal, FullyConnected, LinearModel
from training.polish import rescale_to_unit_margin


def separable(seed: int, N: int, D: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    return X, np.sign(X @ rng.standard_normal(D))


def l1_max_margin(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """min ||b||_1 s.t. y_n <x_n, b> >= 1 as a linear program in b = p - q, p, q >= 0."""
    N, D = X.shape
    A = -(y[:, None] * X)
    r = linprog(np.ones(2 * D), A_ub=np.hstack([A, -A]), b_ub=-np.ones(N), bounds=(0, None), method="highs")
    assert r.status == 0
    return r.x[:D] - r.x[D:]


def svm(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    b = cp.Variable(X.shape[1])
    cp.Problem(cp.Minimize(cp.sum_squares(b)), [cp.multiply(y, X @ b) >= 1]).solve(
        solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12
    )
    return b.value


def fd_jacobian(model: LinearModel, X: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Jacobian of the outputs in the flat parameters by central differences (no backward pass)."""
    w = model.flat_params()
    cols = []
    for i in range(w.size):
        e = np.zeros_like(w)
        e[i] = eps
        cols.append((model.with_flat_params(w + e).forward(X) - model.with_flat_params(w - e).forward(X)) / (2 * eps))
    return np.array(cols).T


def independent_kkt_residual(model: LinearModel, X: np.ndarray, y: np.ndarray) -> float:
    margins = y * model.forward(X)
    act = margins <= 1 + 1e-6
    A = (fd_jacobian(model, X[act]) * y[act, None]).T
    w2 = 2 * model.flat_params()
    lam, _ = nnls(A, w2)
    return float(np.linalg.norm(A @ lam - w2) / np.linalg.norm(w2))


def rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def check_kkt_point(r, X: np.ndarray, y: np.ndarray) -> None:
    m = r.model
    margins = y * m.forward(X)
    assert margins.min() >= 1 - 1e-9 and abs(margins.min() - 1) < 1e-9
    assert r.kkt_residual < 1e-6 and r.success and r.max_violation < 1e-9
    assert independent_kkt_residual(m, X, y) < 1e-6
    lam = r.multipliers
    assert np.all(lam >= 0) and np.all(lam[margins > 1 + 1e-6] == 0)
    # Euler's identity for degree L: <w, grad f> = L f, so 2 ||w||^2 = L sum_n lambda_n (margins 1)
    assert np.isclose(2 * m.param_norm_sq(), m.depth * lam.sum(), rtol=1e-6)
    assert np.allclose(r.beta, m.linearization())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_diagonal_depth2_polishes_to_l1_max_margin(seed):
    X, y = separable(seed, 6, 12)
    trained = fit(Diagonal(12, depth=2, seed=seed, init_scale=0.3), X, y, steps=1000, lr=0.3, normalized=True, progress=False).model
    r = polish(trained, X, y)
    ref = l1_max_margin(X, y)
    assert rel(r.beta, ref) < 1e-6
    check_kkt_point(r, X, y)
    # the polished objective is 2 ||beta||_1 (balanced layers |u| = |v| = sqrt|beta|)
    assert np.isclose(r.objective, 2 * np.abs(ref).sum(), rtol=1e-6)
    # and polishing really moved the trained direction
    b0 = trained.linearization()
    assert rel(b0 / np.abs(b0).sum(), ref / np.abs(ref).sum()) > 1e-4


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_fully_connected_polishes_to_svm(depth):
    X, y = separable(10 + depth, 10, 6)
    trained = fit(FullyConnected(6, widths=5, depth=depth, seed=1, init_scale=0.5), X, y, steps=500, lr=1.0, normalized=True, progress=False).model
    r = polish(trained, X, y)
    assert r.method == "slsqp"
    assert rel(r.beta, svm(X, y)) < 1e-6
    check_kkt_point(r, X, y)


def test_trust_constr_path_on_a_larger_network():
    X, y = separable(20, 12, 10)
    trained = fit(FullyConnected(10, widths=(20, 20), seed=2, init_scale=0.5), X, y, steps=300, lr=1.0, normalized=True, progress=False).model
    assert trained.n_params > 400
    r = polish(trained, X, y, method="trust-constr")
    assert r.method == "trust-constr"
    assert rel(r.beta, svm(X, y)) < 1e-6
    assert r.success and r.kkt_residual < 1e-6 and r.max_violation < 1e-9


def test_cnn_depth2_polishes_to_fourier_l1_max_margin():
    """Gunasekar et al. Thm 2: depth-2 linear CNN -> min ||fft(beta)||_1 s.t. margins >= 1 (convex)."""
    D = 6
    X, y = separable(30, 4, D)
    trained = fit(CircularCNN(D, depth=2, seed=0), X, y, steps=1000, lr=0.3, normalized=True, progress=False).model
    r = polish(trained, X, y)
    check_kkt_point(r, X, y)
    b = cp.Variable(D)
    F = np.fft.fft(np.eye(D))
    obj = cp.sum(cp.norm(cp.vstack([F.real @ b, F.imag @ b]), axis=0))
    prob = cp.Problem(cp.Minimize(obj), [cp.multiply(y, X @ b) >= 1])
    prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    assert np.isclose(np.abs(np.fft.fft(r.beta)).sum(), prob.value, rtol=1e-6)


def test_gcnn_polish_reaches_a_kkt_point():
    import grouptools

    G = grouptools.dihedral(4)
    X, y = separable(40, 5, 8)
    trained = fit(GCNN(G, depth=3, seed=0), X, y, steps=500, lr=0.5, normalized=True, progress=False).model
    r = polish(trained, X, y)
    check_kkt_point(r, X, y)
    assert r.objective <= r.start_objective + 1e-9


def test_rescale_and_kkt_residual_on_hand_example():
    # depth-2 diagonal net, one point x = (1, 2), y = 1: l1 max margin puts all weight on x_2
    X, y = np.array([[1.0, 2.0]]), np.array([1.0])
    m = Diagonal(2, depth=2).with_params([np.array([1.0, 1.0]), np.array([1.0, 1.0])])
    s = rescale_to_unit_margin(m, X, y)
    assert np.isclose(s.forward(X)[0], 1.0) and np.allclose(s.params[0], 3**-0.5)
    res, lam, active = parameter_kkt_residual(s, X, y)
    assert active.tolist() == [True] and res > 0.1  # not stationary
    r = polish(m, X, y)
    assert np.allclose(r.beta, [0.0, 0.5], atol=1e-7)
    # 2 u_2 = lambda x_2 v_2 with u_2 = v_2 = sqrt(1/2), x_2 = 2: lambda = 1
    assert np.isclose(r.multipliers[0], 1.0)


def test_errors():
    X, y = separable(50, 4, 3)
    m = Diagonal(3, depth=2, seed=0)
    y = np.sign(m.forward(X))
    y[0] = -y[0]  # one point on the wrong side
    with pytest.raises(NotSeparatedError):
        polish(m, X, y)
    with pytest.raises(ParameterError):
        polish(m, X, np.sign(m.forward(X)), method="newton")
    with pytest.raises(ParameterError):
        polish(m, X, np.sign(m.forward(X)), tol=0.0)
    for bad in (-1, 1.5, True, 10**6):
        with pytest.raises(ParameterError, match="continue_factor"):
            polish(m, X, np.sign(m.forward(X)), continue_factor=bad)


def test_auto_polishes_a_600_parameter_gcnn_to_a_certified_point():
    import grouptools as gt
    from training import GCNN, bias

    G = gt.smallgroup_200_44()  # 600 parameters (trust-constr alone stalls here at a non-KKT point)
    rng = np.random.default_rng(5)
    X = rng.standard_normal((4, 200))
    y = np.where(np.arange(4) % 2 == 0, 1.0, -1.0)
    model = fit(GCNN(G, depth=3, init_scale=0.7, seed=2), X, y, steps=3000, lr=0.1,
                normalized=True, progress=False).model
    r = polish(model, X, y)
    assert r.success and r.kkt_residual < 1e-8
    assert bias.predictor_kkt_residual(r.beta, X, y, "schatten", depth=3, group=G).residual < 1e-6
