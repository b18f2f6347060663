"""Tests of training.losses: values against high-precision references, derivatives, stability."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from training._errors import ParameterError, ShapeError
from training.losses import exponential, get_loss, logistic, squared

FAST = settings(max_examples=40, deadline=None, database=None)
mpmath.mp.dps = 50

margins = st.lists(st.floats(-60, 60, allow_nan=False), min_size=1, max_size=6)


def mp_exp_loss(m):
    return mpmath.fsum(mpmath.exp(-mpmath.mpf(v)) for v in m)


def mp_logistic_loss(m):
    return mpmath.fsum(mpmath.log1p(mpmath.exp(-mpmath.mpf(v))) for v in m)


def close(a: float, b, rtol: float = 1e-12) -> bool:
    b = float(b)
    return abs(a - b) <= rtol * max(abs(b), 1e-300)


@FAST
@given(m=margins, flip=st.lists(st.booleans(), min_size=6, max_size=6))
def test_values_and_logs_match_high_precision(m, flip):
    y = np.array([-1.0 if flip[i] else 1.0 for i in range(len(m))])
    f = np.array(m) * y  # so that y * f = m
    for fn, ref in ((exponential, mp_exp_loss), (logistic, mp_logistic_loss)):
        r = fn(f, y)
        v = ref(m)
        assert close(r.value, v, 1e-12)
        assert close(r.log_value, mpmath.log(v), 1e-12) or abs(r.log_value - float(mpmath.log(v))) < 1e-12


@FAST
@given(m=margins)
def test_derivatives_by_finite_differences(m):
    f = np.array(m)
    y = np.ones_like(f)
    for fn in (exponential, logistic, squared):
        r = fn(f, y)
        h = 1e-6
        fd = np.array([(fn(f + h * e, y).value - fn(f - h * e, y).value) / (2 * h) for e in np.eye(f.size)])
        assert np.allclose(r.grad, fd, rtol=1e-5, atol=1e-7 * max(1.0, r.value))
        if r.value > 0:
            assert np.allclose(r.grad_over_value, r.grad / r.value, rtol=1e-10, atol=1e-300)


def test_extreme_margins_are_finite_where_representable():
    f = np.array([1e4, -1e4, 0.0])
    y = np.ones(3)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        lg = logistic(f, y)
        sq = squared(f, y)
    with np.errstate(invalid="raise", divide="raise"):
        ex = exponential(f, y)
    # logistic: value ~ 1e4 + log 2, gradient -sigma(-m) = [-0, -1, -1/2]
    assert close(lg.value, mpmath.log1p(mpmath.exp(-10000)) + mpmath.log1p(mpmath.exp(10000)) + mpmath.log(2))
    assert np.allclose(lg.grad, [0.0, -1.0, -0.5])
    assert np.all(np.isfinite(lg.grad_over_value))
    # squared: (1e4 - 1)^2 / 2 + (1e4 + 1)^2 / 2 + 1/2
    assert close(sq.value, ((1e4 - 1) ** 2 + (1e4 + 1) ** 2 + 1) / 2)
    # exponential: exp(1e4) is not representable -> documented inf, but the log and the ratio are finite
    assert ex.value == math.inf
    assert close(ex.log_value, 1e4, 1e-15)
    assert np.allclose(ex.grad_over_value, [0.0, -1.0, 0.0])
    # all margins very large: the value underflows, the log and the ratio do not
    big = exponential(np.array([1e4, 1e4 + 1.0]), np.ones(2))
    assert big.value == 0.0
    assert close(big.log_value, mpmath.log(mp_exp_loss([1e4, 1e4 + 1])), 1e-15)
    assert np.allclose(big.grad_over_value, -np.array([1.0, math.exp(-1)]) / (1 + math.exp(-1)))
    lbig = logistic(np.array([1e4, 2e4]), np.ones(2))
    assert close(lbig.log_value, mpmath.log(mp_logistic_loss([1e4, 2e4])), 1e-15)
    assert np.allclose(lbig.grad_over_value, [-1.0, 0.0])


def test_mean_reduction_rescales():
    f = np.array([0.3, -1.2, 2.0, 0.1])
    y = np.array([1.0, -1.0, -1.0, 1.0])
    for fn in (exponential, logistic, squared):
        s, m = fn(f, y, "sum"), fn(f, y, "mean")
        assert close(m.value, s.value / 4)
        assert np.allclose(m.grad, s.grad / 4)
        assert close(m.log_value, s.log_value - math.log(4))
        assert np.allclose(m.grad_over_value, s.grad_over_value)


def test_known_values():
    assert close(exponential(np.array([1.0]), np.array([-1.0])).value, math.e)
    assert close(logistic(np.array([0.0, 0.0]), np.array([1.0, -1.0])).value, 2 * math.log(2))
    r = squared(np.array([2.0]), np.array([2.0]))
    assert r.value == 0.0 and r.log_value == -math.inf and r.grad_over_value.tolist() == [0.0]


def test_errors_and_names():
    with pytest.raises(ShapeError):
        exponential(np.ones(3), np.ones(2))
    with pytest.raises(ShapeError):
        logistic(np.array([np.nan]), np.ones(1))
    with pytest.raises(ParameterError):
        squared(np.ones(2), np.ones(2), reduction="max")
    with pytest.raises(ParameterError):
        get_loss("hinge")
    assert get_loss("LOGISTIC") is logistic and get_loss("sq") is squared and get_loss(exponential) is exponential
