"""Bad input to the entry points of ``training`` gives named errors (``training._errors``), one line each.

Labels that are not -1/+1 for the classification losses, non-real data (strings, objects, complex),
wrong input widths for every model, and data so large that the initial loss overflows.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import grouptools as gt
from training import fit, polish
from training._errors import (DataTypeError, DivergenceError, LabelError, ParameterError, ParameterTypeError,
                              ShapeError, TrainingError)
from training.losses import exponential, logistic, squared
from training.models import GCNN, CircularCNN, Diagonal, FullyConnected, TensorNetwork
from training.polish import parameter_kkt_residual


def data(seed: int = 0, N: int = 12, D: int = 4):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    return X, np.where(X[:, 0] >= 0, 1.0, -1.0)


def one_line(exc: BaseException) -> str:
    msg = str(exc)
    assert "\n" not in msg
    return msg


def test_error_hierarchy():
    assert issubclass(LabelError, ParameterError) and issubclass(LabelError, ValueError)
    assert issubclass(DataTypeError, ParameterTypeError) and issubclass(DataTypeError, TypeError)
    assert issubclass(DataTypeError, ValueError) and issubclass(DataTypeError, TrainingError)


@pytest.mark.parametrize("loss", ["exp", "logistic"])
@pytest.mark.parametrize("recode, found, fix", [
    (lambda y: (y + 1) / 2, "{0, 1}", "2*y - 1"),
    (lambda y: (y + 3) / 2, "{1, 2}", "np.where(y == 2, 1.0, -1.0)"),
    (lambda y: y / 2, "{-0.5, 0.5}", "np.where(y == 0.5, 1.0, -1.0)"),
])
def test_fit_rejects_labels_other_than_plus_minus_one(loss, recode, found, fix):
    X, y = data()
    with pytest.raises(LabelError) as info:
        fit(FullyConnected(4, widths=(3,), seed=0), X, recode(y), loss, steps=5, lr=0.1, progress=False)
    msg = one_line(info.value)
    assert found in msg and fix in msg and ("exponential" in msg or "logistic" in msg)


def test_losses_and_polish_share_the_label_check():
    f = np.array([1.0, -2.0, 0.5])
    for fn in (exponential, logistic):
        with pytest.raises(LabelError, match=r"found \{0, 1\}: use y = 2\*y - 1"):
            fn(f, np.array([0.0, 1.0, 1.0]))
    assert squared(f, np.array([0.0, 1.0, 0.25])).value == pytest.approx((1 + 9 + 0.0625) / 2)
    X, y = data(1)
    m = Diagonal(4, depth=2, seed=0)
    ys = np.sign(m.forward(X))
    with pytest.raises(LabelError, match="max-margin problem"):
        polish(m, X, (ys + 1) / 2)
    with pytest.raises(LabelError):
        parameter_kkt_residual(m, X, 3 * ys)


def test_squared_loss_accepts_real_targets_but_not_nonfinite_or_complex():
    X, y = data(2)
    t = X @ np.array([0.5, -1.0, 2.0, 0.0])
    res = fit(Diagonal(4, depth=1, seed=0), X, t, "squared", steps=50, lr=0.05, progress=False)
    assert res.history.loss[-1] < res.history.loss[0]
    bad = t.copy()
    bad[3] = np.inf
    with pytest.raises(ShapeError, match=r"y must be finite, got y\[3\] = inf"):
        fit(Diagonal(4, depth=1), X, bad, "squared", steps=5, lr=0.05, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning: an error instead
        with pytest.raises(DataTypeError, match="y is complex"):
            fit(Diagonal(4, depth=1), X, t + 1j, "squared", steps=5, lr=0.05, progress=False)


@pytest.mark.parametrize("make, exc, pattern", [
    (lambda X, y: (X, np.array(["a", "b"] * 6)), DataTypeError, "y contains strings"),
    (lambda X, y: (X, y.astype(object)), DataTypeError, "y is an object array"),
    (lambda X, y: (X, [1.0, None] * 6), DataTypeError, "entry None of type NoneType"),
    (lambda X, y: (X, y + 0j), DataTypeError, "y is complex"),
    (lambda X, y: (X + 1e-3j, y), DataTypeError, "X is complex"),
    (lambda X, y: (X.astype(str), y), DataTypeError, "X contains strings"),
    (lambda X, y: ([[1.0, 2.0], [1.0]], y), ShapeError, "not a rectangular array"),
])
def test_non_real_data_are_named_errors(make, exc, pattern):
    X, y = data(3)
    Xb, yb = make(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(exc, match=pattern) as info:
            fit(FullyConnected(4, widths=(3,), seed=0), Xb, yb, steps=5, lr=0.1, progress=False)
    assert len(one_line(info.value)) < 300
    assert isinstance(info.value, ValueError)  # what numpy raised before, for old handlers


def test_long_string_input_is_quoted_briefly():
    X, _ = data(4)
    with pytest.raises(DataTypeError) as info:
        fit(Diagonal(4, depth=1), X, np.array(["z" * 500] * 12), steps=5, lr=0.1, progress=False)
    assert "z" * 30 in str(info.value) and "z" * 81 not in str(info.value)


MODELS = [
    lambda: FullyConnected(4, widths=(3,), seed=0),
    lambda: Diagonal(4, depth=2, seed=0),
    lambda: CircularCNN(4, 2, seed=0),
    lambda: CircularCNN(4, 2, seed=0, method="real"),
    lambda: TensorNetwork.from_transform(np.eye(4), depth=2),
    lambda: GCNN(gt.cyclic(4), 2, seed=0),
    lambda: GCNN(gt.dihedral(2), 2, seed=0, method="real"),
]


@pytest.mark.parametrize("make", MODELS)
@pytest.mark.parametrize("width", [3, 5])
def test_wrong_input_width_is_a_shape_error_in_every_model(make, width):
    m = make()
    X = np.ones((2, width))
    checks = (lambda: m.forward(X), lambda: m.grad(X, np.ones(2)), lambda: m.jacobian(X),
              lambda: fit(m, X, np.array([1.0, -1.0]), steps=1, lr=0.1, progress=False))
    for call in checks:
        with pytest.raises(ShapeError) as info:
            call()
        msg = one_line(info.value)
        assert f"X has width {width} but {type(m).__name__} expects width 4" in msg


@pytest.mark.parametrize("make", MODELS)
def test_forward_checks_dimensions_and_types(make):
    m = make()
    with pytest.raises(ShapeError, match=r"reshape\(1, -1\)"):
        m.forward(np.ones(4))
    with pytest.raises(ShapeError, match="2-d array"):
        m.forward(np.ones((2, 4, 1)))
    with pytest.raises(DataTypeError):
        m.forward(np.ones((2, 4)) * 1j)
    assert np.allclose(m.forward(np.eye(4, dtype=int)), m.linearization())  # integers are fine


@pytest.mark.parametrize("normalized", [False, True])
def test_huge_data_give_an_actionable_message_not_lr_nan(normalized):
    X, y = data(5)
    with pytest.raises(DivergenceError) as info:
        fit(FullyConnected(4, widths=(3,), seed=0), X * 1e6, y, steps=20, lr=0.1, normalized=normalized,
            progress=False)
    msg = one_line(info.value)
    assert "nan" not in msg and info.value.step == 0
    assert "step 0, before any update" in msg and "rescale X" in msg and "e+06" in msg
    # rescaled as advised, the same run trains
    res = fit(FullyConnected(4, widths=(3,), seed=0), X * 1e6 / np.linalg.norm(X * 1e6, axis=1).max(), y,
              steps=20, lr=0.1, normalized=normalized, progress=False)
    assert np.isfinite(res.history.loss[-1])


def test_divergence_after_updates_still_names_lr():
    X, y = data(6)
    with pytest.raises(DivergenceError, match=r"at step [1-9]\d* with lr=1e\+30") as info:
        fit(Diagonal(4, depth=1, seed=0), X, y, steps=10, lr=1e30, progress=False)
    assert "nan" not in str(info.value)


# -- training.bias and training.metrics use the shared checks (training._checks) ----------------------------
def _bias_calls(X, y, beta):
    """Every public entry of training.bias / training.metrics that takes data and labels."""
    from training import bias, metrics

    return {
        "max_margin": lambda: bias.max_margin(X, y, "l2", depth=1),
        "predictor_kkt_residual": lambda: bias.predictor_kkt_residual(beta, X, y, "l2", depth=1),
        "min_margin": lambda: metrics.min_margin(beta, X, y),
        "normalize_margin": lambda: metrics.normalize_margin(beta, X, y),
        "objective_ratio": lambda: metrics.objective_ratio(beta, beta, X, y, "l2", depth=1),
    }


def _regression_calls(X, t):
    from training import bias

    return {
        "regression_min_norm": lambda: bias.regression_min_norm(X, t, "l2"),
        "q_alpha_minimizer": lambda: bias.q_alpha_minimizer(X, t, 1.0),
    }


def _vector_calls(v):
    from training import bias, metrics

    G = gt.cyclic(4)
    return {
        "objective": lambda: bias.objective(v, "l2", depth=2),
        "quasi_norm": lambda: bias.quasi_norm(v, "schatten", depth=2, group=G),
        "objective_gradient": lambda: bias.objective_gradient(v, "lp", depth=2),
        "q_alpha": lambda: bias.q_alpha(v, 1.0, 2),
        "cosine": lambda: metrics.cosine(v, np.ones(4)),
        "lp_norm": lambda: metrics.lp_norm(v, 2),
        "dft_lp_norm": lambda: metrics.dft_lp_norm(v, 1),
        "fourier_blocks": lambda: metrics.fourier_blocks(v, G),
        "schatten_norms": lambda: metrics.schatten_norms(v, G, 1),
        "weighted_schatten_norm": lambda: metrics.weighted_schatten_norm(v, G, 1),
        "fourier_ranks": lambda: metrics.fourier_ranks(v, G),
        "fourier_rank": lambda: metrics.fourier_rank(v, G),
        "support": lambda: metrics.support(v),
        "dft_support": lambda: metrics.dft_support(v),
    }


@pytest.mark.parametrize("what", ["X", "y", "beta"])
def test_bias_and_metrics_refuse_complex_data_without_a_complex_warning(what):
    X, y = data(1, N=4, D=4)
    beta = X.T @ y
    args = {"X": X, "y": y, "beta": beta}
    args[what] = args[what] + 0j  # a zero imaginary part still counts: pass .real
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a ComplexWarning would fail here
        for name, call in _bias_calls(args["X"], args["y"], args["beta"]).items():
            if what == "beta" and name == "max_margin":
                continue  # takes no predictor
            with pytest.raises(DataTypeError, match=f"{what} is complex") as info:
                call()
            assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError), name
            one_line(info.value)


def test_bias_and_metrics_refuse_complex_vectors():
    v = np.array([1.0, 2.0, -1.0, 0.5]) + 1e-3j
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, call in _vector_calls(v).items():
            with pytest.raises(DataTypeError, match="complex") as info:
                call()
            assert "largest |imaginary part| 0.001" in one_line(info.value), name


@pytest.mark.parametrize("labels,found", [([0.0, 1.0, 0.0, 1.0], "{0, 1}: use y = 2*y - 1"),
                                          ([1.0, 2.0, 1.0, 2.0], "{1, 2}"),
                                          ([1.0, -1.0, 0.5, 1.0], "{-1, 0.5, 1}")])
def test_bias_and_metrics_label_errors_name_the_labels(labels, found):
    X, _ = data(2, N=4, D=4)
    y = np.array(labels)
    beta = np.ones(4)
    for name, call in _bias_calls(X, y, beta).items():
        with pytest.raises(LabelError) as info:
            call()
        msg = one_line(info.value)
        assert "needs labels -1 or +1" in msg and found in msg, (name, msg)
        assert isinstance(info.value, ValueError)


def test_regression_accepts_real_targets_but_not_complex_or_strings():
    X, _ = data(3, N=3, D=6)
    t = np.array([0.3, -2.0, 5.0])  # any real targets: no label check
    for call in _regression_calls(X, t).values():
        call()
    for bad, err in ((t + 1j, DataTypeError), (np.array(["a", "b", "c"]), DataTypeError),
                     (np.array([0.3, np.nan, 1.0]), ShapeError)):
        for name, call in _regression_calls(X, bad).items():
            with pytest.raises(err):
                call()
    with pytest.raises(DataTypeError, match="transform is complex"):
        from training import bias

        bias.regression_min_norm(X, t, "l2", transform=np.eye(6) + 0j)


def test_bias_object_and_string_data_are_data_type_errors():
    from training import bias, metrics

    X, y = data(4, N=4, D=4)
    with pytest.raises(DataTypeError, match="strings"):
        metrics.min_margin(np.ones(4), X.astype(str), y)
    with pytest.raises(DataTypeError, match="object array"):
        bias.objective(np.array([1.0, None, 2.0], dtype=object), "l2", depth=1)
    with pytest.raises(ShapeError, match="rectangular"):
        metrics.cosine([[1.0, 2.0], [3.0]], np.ones(2))
