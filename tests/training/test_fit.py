"""Tests of training.fit: convergence to the SVM direction, normalized steps, stopping, history, divergence."""

from __future__ import annotations

import sys

import cvxpy as cp
import numpy as np
import pytest

from training import DivergenceError, ParameterError, Record, ShapeError, StopRule, fit
from training.losses import exponential
from training.models import CircularCNN, Diagonal, FullyConnected


def separable(seed: int, N: int, D: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    y = np.sign(X @ rng.standard_normal(D))
    return X, y


def svm_direction(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Hard-margin SVM min ||b||^2 s.t. y_n <x_n, b> >= 1 (primal QP, cvxpy with Clarabel)."""
    b = cp.Variable(X.shape[1])
    prob = cp.Problem(cp.Minimize(cp.sum_squares(b)), [cp.multiply(y, X @ b) >= 1])
    prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    assert prob.status == "optimal" and np.min(y * (X @ b.value)) > 1 - 1e-8
    return b.value / np.linalg.norm(b.value)


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_fully_connected_reaches_svm_direction(depth):
    X, y = separable(depth, 12, 6)
    svm = svm_direction(X, y)
    res = fit(FullyConnected(6, widths=5, depth=depth, seed=1, init_scale=0.5), X, y, steps=1500, lr=1.0, normalized=True, progress=False)
    beta = res.model.linearization()
    cos = beta @ svm / np.linalg.norm(beta)
    assert cos >= 0.999
    assert np.isclose(res.history.beta_dir[-1] @ svm, cos)
    # the normalized margin approaches the SVM margin 1/||b_svm|| from below
    assert res.history.margin[-1] <= np.min(y * (X @ svm)) + 1e-12


def test_plain_gd_is_slow_but_moving_toward_svm():
    X, y = separable(0, 12, 6)
    svm = svm_direction(X, y)
    res = fit(FullyConnected(6, widths=5, depth=2, seed=1, init_scale=0.5), X, y, steps=400, lr=0.2, record=30, progress=False)
    cos = res.history.beta_dir @ svm
    assert cos[-1] > cos[np.searchsorted(res.history.step, 20)]
    assert np.all(np.diff(res.history.loss) <= 1e-12)  # small constant steps decrease the loss


def test_one_step_is_gradient_descent():
    X, y = separable(3, 7, 4)
    m = Diagonal(4, depth=3, seed=2)
    lr = 0.05
    res = fit(m, X, y, "logistic", steps=1, lr=lr, reduction="sum", progress=False)
    f = m.forward(X)
    dL_df = -y / (1 + np.exp(y * f))  # derivative of sum log(1 + exp(-y f)), written out
    expected = [p - lr * g for p, g in zip(m.params, m.grad(X, dL_df))]
    for a, b in zip(res.model.params, expected):
        assert np.allclose(a, b)
    # the input model is untouched
    assert np.array_equal(m.params[0], Diagonal(4, depth=3, seed=2).params[0])


def test_normalized_step_divides_by_loss_and_scale():
    X, y = separable(4, 6, 3)
    m = FullyConnected(3, widths=(4,), seed=0)
    lr = 0.1
    res = fit(m, X, y, steps=1, lr=lr, normalized=True, reduction="sum", progress=False)
    f = m.forward(X)
    e = np.exp(-y * f)
    eta = lr / (e.sum() * max(1.0, m.param_norm_sq() / 2))
    expected = [p - eta * g for p, g in zip(m.params, m.grad(X, -y * e))]
    for a, b in zip(res.model.params, expected):
        assert np.allclose(a, b)
    assert np.isclose(res.history.lr[-1], lr / max(1.0, m.param_norm_sq() / 2))
    # Nacson's rule (divide by the loss only) coincides with it for depth 1
    lin = FullyConnected(3, depth=1, seed=5)
    a = fit(lin, X, y, steps=20, lr=0.3, normalized="loss", progress=False).model
    b = fit(lin, X, y, steps=20, lr=0.3, normalized=True, progress=False).model
    assert np.allclose(a.linearization(), b.linearization())


def test_normalized_gd_survives_loss_underflow():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -0.5]])
    y = np.array([1.0, 1.0, -1.0])
    res = fit(FullyConnected(2, depth=1, seed=0), X, y, steps=600, lr=3.0, normalized=True, record=20, progress=False)
    assert res.history.loss[-1] == 0.0 and np.isfinite(res.history.log_loss[-1])
    assert res.history.log_loss[-1] < -800
    # max-margin direction (1, 1)/sqrt(2), margin 1/sqrt(2)
    assert np.allclose(res.history.beta_dir[-1], [2**-0.5, 2**-0.5]) and np.isclose(res.history.margin[-1], 2**-0.5)


def test_history_layout_and_metrics():
    X, y = separable(6, 8, 5)
    calls = []

    def beta0(model):
        calls.append(1)
        return float(model.linearization()[0])

    res = fit(CircularCNN(5, depth=2, seed=0), X, y, steps=1000, lr=0.1, record=Record(points=15, metrics={"beta0": beta0}), progress=False)
    h = res.history
    assert h.step[0] == 0 and h.step[-1] == 1000 == res.steps and res.stop_reason == "steps"
    assert np.all(np.diff(h.step) > 0) and len(h.step) <= 17
    ratios = h.step[2:] / h.step[1:-1]
    assert ratios.max() < 3.0 and ratios.min() > 1.1  # log-spaced
    assert len(calls) == len(h.step) and h.metrics["beta0"].shape == h.step.shape
    beta = res.model.linearization()
    assert np.isclose(h.margin[-1], np.min(y * (X @ beta)) / np.linalg.norm(beta))
    assert np.isclose(h.margin_raw[-1], np.min(y * res.model.forward(X)))
    assert np.isclose(h.param_margin[-1], h.margin_raw[-1] / res.model.param_norm_sq())
    assert np.allclose(np.linalg.norm(h.beta_dir, axis=1), 1.0)
    assert np.isclose(h.beta_norm[-1], np.linalg.norm(beta)) and h.metrics["beta0"][-1] == beta[0]
    assert np.isclose(h.loss[-1], exponential(res.model.forward(X), y, "mean").value)
    assert np.isnan(h.lr[0]) and np.all(h.lr[1:] == 0.1)


def test_stopping_rules():
    X, y = separable(7, 10, 4)
    m = FullyConnected(4, widths=4, depth=2, seed=3)
    r = fit(m, X, y, steps=100000, lr=0.5, normalized=True, stop=StopRule(loss_tol=1e-3), progress=False)
    assert r.stop_reason == "loss_tol" and r.history.loss[-1] <= 1e-3 < r.history.loss[-2] and r.steps < 100000
    target = 0.9 * np.min(y * (X @ svm_direction(X, y)))
    r = fit(m, X, y, steps=100000, lr=0.5, normalized=True, stop=StopRule(margin=target), progress=False)
    assert r.stop_reason == "margin" and r.history.margin[-1] >= target and r.steps < 100000
    r = fit(m, X, y, steps=10**9, lr=0.01, stop=StopRule(time_budget=0.05), progress=False)
    assert r.stop_reason == "time_budget" and 0.05 <= r.elapsed < 5.0 and r.history.step[-1] == r.steps
    schedule_calls = []
    r = fit(m, X, y, steps=5, schedule=lambda t: schedule_calls.append(t) or 0.1 / (t + 1), progress=False)
    assert schedule_calls == [0, 1, 2, 3, 4] and np.allclose(r.history.lr[1:][-1], 0.1 / 5)


def test_minibatch_full_size_equals_full_batch_and_is_seeded():
    X, y = separable(8, 9, 4)
    m = Diagonal(4, depth=2, seed=0)
    full = fit(m, X, y, steps=50, lr=0.1, progress=False).model
    mb = fit(m, X, y, steps=50, lr=0.1, batch_size=9, seed=1, progress=False).model
    assert np.allclose(full.linearization(), mb.linearization())
    a = fit(m, X, y, steps=50, lr=0.1, batch_size=3, seed=2, progress=False).model
    b = fit(m, X, y, steps=50, lr=0.1, batch_size=3, seed=2, progress=False).model
    c = fit(m, X, y, steps=50, lr=0.1, batch_size=3, seed=3, progress=False).model
    assert np.array_equal(a.linearization(), b.linearization())
    assert not np.allclose(a.linearization(), c.linearization())


def test_divergence_is_reported_with_advice():
    X, y = separable(9, 10, 5)
    with pytest.raises(DivergenceError) as info:
        fit(FullyConnected(5, widths=5, depth=3, seed=0), X, y, steps=1000, lr=50.0, progress=False)
    msg = str(info.value)
    assert "\n" not in msg and "lr=50" in msg and "lower lr" in msg and "normalized=True" in msg
    assert info.value.step >= 1 and f"step {info.value.step}" in msg
    # regression with a far too large step: the squared loss grows by more than 1e6x
    with pytest.raises(DivergenceError, match="grew by more than"):
        fit(Diagonal(5, depth=1, seed=0), X, X @ np.ones(5), "squared", steps=1000, lr=5.0, progress=False)


def test_argument_errors():
    X, y = separable(10, 5, 3)
    m = Diagonal(3, depth=2)
    with pytest.raises(ParameterError):
        fit(m, X, y, steps=10, progress=False)
    with pytest.raises(ParameterError):
        fit(m, X, y, steps=-1, lr=0.1, progress=False)
    with pytest.raises(ParameterError):
        fit(m, X, y, steps=10, lr=0.1, normalized="yes", progress=False)
    with pytest.raises(ParameterError):
        fit(m, X, y, steps=10, schedule=lambda t: float("nan"), progress=False)
    with pytest.raises(ParameterError):
        StopRule(time_budget=-1.0)
    with pytest.raises(ShapeError):
        fit(m, X, y[:-1], steps=10, lr=0.1, progress=False)
    with pytest.raises(ParameterError):
        fit(np.eye(3), X, y, steps=10, lr=0.1, progress=False)


def test_overflowing_loss_is_a_divergence():
    X, y = separable(11, 6, 3)
    with pytest.raises(DivergenceError, match=r"loss overflowed at step 1 with lr=1e\+30"):
        fit(Diagonal(3, depth=1, seed=0), X, y, steps=10, lr=1e30, progress=False)


def test_progress_bar_only_on_a_terminal(capsys, monkeypatch):
    X, y = separable(12, 5, 3)
    m = Diagonal(3, depth=2, seed=0)
    fit(m, X, y, steps=5, lr=0.1, progress=True)  # captured stderr is not a terminal
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    fit(m, X, y, steps=5, lr=0.1, progress=False)
    assert capsys.readouterr().err == ""
    fit(m, X, y, steps=5, lr=0.1, progress=True)
    assert "fit" in capsys.readouterr().err
