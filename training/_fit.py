"""Full-batch (or mini-batch) gradient descent for the linear network models.

See :func:`fit`. Directional convergence is slow (like ``1/log t`` for plain gradient descent on the
exponential loss; Soudry et al. 2018), so the history is recorded at log-spaced steps.
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Literal, Mapping

import numpy as np

from ._checks import check_positive_int
from ._errors import DivergenceError, ParameterError
from ._training_set import check_training_set
from .losses import LossFunction, get_loss, loss_labels
from .models import LinearModel

__all__ = ["FitResult", "History", "Record", "StopRule", "fit"]

Metric = Callable[[LinearModel], float]


@dataclass(frozen=True)
class StopRule:
    """Stopping rules of :func:`fit` besides the step limit (any one that holds stops the run).

    Attributes
    ----------
    loss_tol : float, optional
        Stop once the loss (with the chosen reduction) is ``<= loss_tol``.
    margin : float, optional
        Stop once the normalized margin ``min_n y_n <x_n, beta> / ||beta||_2`` is ``>= margin``.
    time_budget : float, optional
        Stop after this many seconds of wall-clock time.
    """

    loss_tol: float | None = None
    margin: float | None = None
    time_budget: float | None = None

    def __post_init__(self) -> None:
        for name in ("loss_tol", "margin", "time_budget"):
            v = getattr(self, name)
            if v is not None and (not isinstance(v, (int, float)) or isinstance(v, bool) or math.isnan(v)):
                raise ParameterError(f"StopRule.{name} must be a real number or None, got {v!r}")
        if self.time_budget is not None and self.time_budget <= 0:
            raise ParameterError(f"StopRule.time_budget must be > 0 seconds, got {self.time_budget!r}")


@dataclass(frozen=True)
class Record:
    """What :func:`fit` records, and when.

    Attributes
    ----------
    points : int
        Approximate number of log-spaced record steps (``0``, the final step and ``points`` values of
        ``numpy.geomspace(1, steps, points)``, deduplicated).
    metrics : mapping of str to callable
        Extra ``name -> metric(model) -> float`` evaluated at every record step.
    """

    points: int = 100
    metrics: Mapping[str, Metric] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.points, bool) or not isinstance(self.points, int) or self.points < 1:
            raise ParameterError(f"Record.points must be an integer >= 1, got {self.points!r}")
        for name, fn in self.metrics.items():
            if not callable(fn):
                raise ParameterError(f"Record.metrics[{name!r}] must be callable model -> float")


@dataclass
class History:
    """Quantities recorded by :func:`fit` (one entry per record step; arrays after the run).

    Attributes
    ----------
    step : numpy.ndarray
        Number of updates done (0 = initial model).
    loss, log_loss : numpy.ndarray
        Full-batch loss and its logarithm (finite even when the loss underflows).
    margin : numpy.ndarray
        Normalized margin ``min_n y_n <x_n, beta> / ||beta||_2``.
    margin_raw : numpy.ndarray
        Raw margin ``min_n y_n f(x_n)``.
    param_margin : numpy.ndarray
        ``min_n y_n f(x_n) / ||w||^L``, the margin normalized in parameter space (non-decreasing
        under gradient flow once positive, Lyu & Li 2020).
    beta_norm, param_norm : numpy.ndarray
        ``||beta||_2`` and ``||w||_2``.
    beta_dir : numpy.ndarray
        ``beta / ||beta||_2``, shape ``(records, D)``.
    lr : numpy.ndarray
        Effective step size used for the update that led to this record (``nan`` at step 0).
    time : numpy.ndarray
        Seconds since the start.
    metrics : dict of str to numpy.ndarray
        The user metrics.
    """

    step: list | np.ndarray = field(default_factory=list)
    loss: list | np.ndarray = field(default_factory=list)
    log_loss: list | np.ndarray = field(default_factory=list)
    margin: list | np.ndarray = field(default_factory=list)
    margin_raw: list | np.ndarray = field(default_factory=list)
    param_margin: list | np.ndarray = field(default_factory=list)
    beta_norm: list | np.ndarray = field(default_factory=list)
    param_norm: list | np.ndarray = field(default_factory=list)
    beta_dir: list | np.ndarray = field(default_factory=list)
    lr: list | np.ndarray = field(default_factory=list)
    time: list | np.ndarray = field(default_factory=list)
    metrics: dict = field(default_factory=dict)

    def _finalize(self) -> None:
        for name in ("step", "loss", "log_loss", "margin", "margin_raw", "param_margin", "beta_norm", "param_norm", "lr", "time"):
            setattr(self, name, np.asarray(getattr(self, name)))
        self.beta_dir = np.asarray(self.beta_dir)
        self.metrics = {k: np.asarray(v) for k, v in self.metrics.items()}


@dataclass
class FitResult:
    """Result of :func:`fit`.

    Attributes
    ----------
    model : LinearModel
        The trained model (a copy; the input model is not modified).
    history : History
        Recorded quantities.
    steps : int
        Number of updates done.
    stop_reason : str
        ``"steps"``, ``"loss_tol"``, ``"margin"`` or ``"time_budget"``.
    elapsed : float
        Wall-clock seconds.
    """

    model: LinearModel
    history: History
    steps: int
    stop_reason: str
    elapsed: float


def _record_steps(steps: int, points: int) -> set[int]:
    if steps == 0:
        return {0}
    s = np.unique(np.round(np.geomspace(1, steps, points)).astype(int))
    return {0, steps, *s.tolist()}


def _margins(model: LinearModel, X: np.ndarray, y: np.ndarray, f: np.ndarray) -> tuple[float, float, float, np.ndarray, float]:
    beta = model.linearization()
    bn = float(np.linalg.norm(beta))
    raw = float(np.min(y * f))
    normalized = float(np.min(y * (X @ beta)) / bn) if bn > 0 else 0.0
    pn = math.sqrt(model.param_norm_sq())
    pm = raw / pn**model.depth if pn > 0 else 0.0
    return normalized, raw, pm, beta, bn


def fit(
    model: LinearModel,
    X: np.ndarray,
    y: np.ndarray,
    loss: str | LossFunction = "exp",
    *,
    steps: int,
    lr: float | None = None,
    schedule: Callable[[int], float] | None = None,
    normalized: bool | Literal["loss", "homogeneous"] = False,
    reduction: Literal["sum", "mean"] = "mean",
    stop: StopRule | None = None,
    record: Record | int | None = None,
    progress: bool = True,
    seed: int | None = None,
    batch_size: int | None = None,
    divergence_factor: float = 1e6,
) -> FitResult:
    """Train ``model`` by gradient descent and record the implicit-bias quantities.

    The update is ``w <- w - eta_t grad L(w)`` with ``eta_t = schedule(t)`` if given, else ``lr``.
    Normalized gradient descent divides the step by the loss (Nacson et al. 2019; Gunasekar et al.
    2018), which for the exponential loss makes the margin grow linearly in t and speeds up
    directional convergence:

    - ``normalized="loss"``: ``eta_t / L(w)``, exactly Nacson et al.'s rule. For a network of depth
      ``L >= 2`` the gradient of ``log L`` grows like ``||w||^(L-1)`` and its curvature like
      ``||w||^(2L-2)``, so a constant ``eta_t`` eventually diverges.
    - ``normalized=True`` or ``"homogeneous"``: ``eta_t / (L(w) * max(1, ||w||^2 / L)^(L-1))``,
      which is the same rule for ``L = 1`` and keeps the step below the curvature scale of
      ``log L`` for deeper networks (for balanced layers of norm c, ``||w||^2 / L = c^2``).

    ``grad L / L`` is computed in the log domain (:class:`training.losses.LossResult`), so training
    continues when the loss itself underflows to 0.

    Parameters
    ----------
    model : LinearModel
        Initial model (not modified).
    X : numpy.ndarray
        Inputs, shape ``(N, D)``.
    y : numpy.ndarray
        Labels, each exactly ``-1`` or ``+1`` for the exponential and logistic losses (finite real
        targets for the squared loss), shape ``(N,)``.
    loss : str or callable
        ``"exp"``, ``"logistic"``, ``"squared"`` (see :func:`training.losses.get_loss`).
    steps : int
        Maximum number of updates.
    lr : float, optional
        Constant step size (required unless ``schedule`` is given).
    schedule : callable, optional
        ``t -> eta_t`` for ``t = 0, 1, ...``; overrides ``lr``.
    normalized : bool or {"loss", "homogeneous"}
        Normalized gradient descent (see above).
    reduction : {"sum", "mean"}
        Loss reduction (it rescales the step of plain gradient descent only).
    stop : StopRule, optional
        Extra stopping rules (loss below a tolerance, margin reached, wall-clock budget).
    record : Record or int, optional
        What to record; an int is the number of log-spaced record points (default 100).
    progress : bool
        Show a tqdm progress bar (only when stderr is a terminal).
    seed : int, optional
        Seed of the mini-batch sampler (used only with ``batch_size``).
    batch_size : int, optional
        Mini-batch size for stochastic gradient descent (sampling without replacement, reshuffled
        every epoch); ``None`` means full batch.
    divergence_factor : float
        Raise :class:`DivergenceError` when the loss exceeds its smallest value so far by this factor.

    Returns
    -------
    FitResult

    Raises
    ------
    DivergenceError
        If the outputs, loss or parameters become NaN/inf, or the loss grows by ``divergence_factor``;
        the message says what to change (at step 0, before any update, the data or initialization
        scale rather than the step size).
    LabelError
        Classification loss with labels other than -1 and +1 (e.g. 0/1 labels: use ``2*y - 1``).
    ShapeError, DataTypeError
        ``X`` or ``y`` of the wrong shape, not finite, or not real numbers.

    References
    ----------
    M. S. Nacson, J. D. Lee, S. Gunasekar, P. H. P. Savarese, N. Srebro, D. Soudry. Convergence of
    gradient descent on separable data. AISTATS 2019.
    S. Gunasekar, J. D. Lee, D. Soudry, N. Srebro. Implicit bias of gradient descent on linear
    convolutional networks. NeurIPS 2018.
    K. Lyu, J. Li. Gradient descent maximizes the margin of homogeneous neural networks. ICLR 2020.

    Examples
    --------
    >>> from training.models import FullyConnected
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -0.5]]); y = np.array([1.0, 1.0, -1.0])
    >>> res = fit(FullyConnected(2, widths=(3,), seed=0), X, y, steps=200, lr=0.5,
    ...           normalized=True, progress=False)
    >>> res.stop_reason, bool(res.history.margin[-1] > 0.6)
    ('steps', True)
    """
    loss_fn = get_loss(loss)
    X, y = check_training_set(model, X, y, *loss_labels(loss_fn))
    steps = check_positive_int("steps", steps, 0)
    if schedule is None:
        if lr is None or isinstance(lr, bool) or not np.isfinite(lr) or lr <= 0:
            raise ParameterError(f"lr must be a finite number > 0 (or give a schedule), got {lr!r}")
        lr_of = lambda t: float(lr)  # noqa: E731
    elif callable(schedule):
        lr_of = schedule
    else:
        raise ParameterError("schedule must be a callable step -> lr")
    if normalized not in (False, True, "loss", "homogeneous"):
        raise ParameterError(f"normalized must be False, True, 'loss' or 'homogeneous', got {normalized!r}")
    mode = "homogeneous" if normalized is True else (normalized or "")
    if reduction not in ("sum", "mean"):
        raise ParameterError(f"reduction must be 'sum' or 'mean', got {reduction!r}")
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1):
        raise ParameterError(f"batch_size must be a positive integer or None, got {batch_size!r}")
    stop = stop if stop is not None else StopRule()
    if not isinstance(stop, StopRule):
        raise ParameterError("stop must be a training.StopRule or None")
    if record is None:
        record = Record()
    elif isinstance(record, (int, np.integer)) and not isinstance(record, bool):
        record = Record(points=int(record))
    elif not isinstance(record, Record):
        raise ParameterError("record must be a training.Record, an int or None")
    if not (divergence_factor > 1):
        raise ParameterError(f"divergence_factor must be > 1, got {divergence_factor!r}")

    model = model.copy()
    N, L = X.shape[0], model.depth
    when = _record_steps(steps, record.points)
    hist = History(metrics={k: [] for k in record.metrics})
    rng = np.random.default_rng(seed)
    order = rng.permutation(N) if batch_size else None
    cursor = 0
    log_div = math.log(divergence_factor)
    best_log = math.inf
    hint = "lower lr" + ("" if mode else " or use normalized=True")
    t0 = time.perf_counter()
    show = progress and sys.stderr.isatty()
    bar = None
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(total=steps, desc="fit", leave=False)

    x_norm = float(np.max(np.linalg.norm(X, axis=1)))

    def fail(msg: str, t: int, eta: float) -> DivergenceError:
        if t == 0:
            # before any update: the step size plays no part, the data or initialization scale does
            with np.errstate(all="ignore"):
                f0 = np.abs(model.forward(X))
            f_max = float(np.max(f0[np.isfinite(f0)], initial=0.0)) if np.any(np.isfinite(f0)) else math.inf
            return DivergenceError(
                f"{msg} at step 0, before any update (not a step-size problem): the initial outputs reach "
                f"|f| = {f_max:.3g} with inputs of norm up to {x_norm:.3g}: rescale X (e.g. divide it by "
                f"{x_norm:.3g}) or lower init_scale", step=0)
        where = f"at step {t} with lr={last_user_lr:.3g}"
        if mode and eta == eta and eta != last_user_lr:
            where += f" (normalized step {eta:.3g})"
        advice = hint
        if x_norm > 1e3:
            advice += f" (inputs have norm up to {x_norm:.3g}: rescaling X to norm about 1 also helps)"
        return DivergenceError(f"{msg} {where}: {advice}", step=t)

    def evaluate(t: int, eta: float):
        f = model.forward(X)
        if not np.all(np.isfinite(f)):
            raise fail("model outputs overflowed", t, eta)
        res = loss_fn(f, y, reduction)
        return f, res

    last_eta = last_user_lr = float("nan")
    stop_reason = "steps"
    t = 0
    try:
        while True:
            full = batch_size is None or t in when
            if full or stop.loss_tol is not None or stop.margin is not None:
                f, res = evaluate(t, last_eta)
            else:
                f = res = None
            if res is not None:
                if math.isnan(res.value) or math.isnan(res.log_value):
                    raise fail("loss became NaN", t, last_eta)
                if math.isinf(res.value) and res.value > 0:
                    raise fail("loss overflowed", t, last_eta)
                if res.log_value - best_log > log_div:
                    raise fail(f"loss grew by more than {divergence_factor:.0e}x", t, last_eta)
                best_log = min(best_log, res.log_value)
            reason = None
            margin_info = None
            if t >= steps:
                reason = "steps"
            elif stop.loss_tol is not None and res is not None and res.value <= stop.loss_tol:
                reason = "loss_tol"
            elif stop.margin is not None and res is not None:
                margin_info = _margins(model, X, y, f)
                if margin_info[0] >= stop.margin:
                    reason = "margin"
            if reason is None and stop.time_budget is not None and time.perf_counter() - t0 >= stop.time_budget:
                reason = "time_budget"
            if t in when or reason is not None:
                if res is None:
                    f, res = evaluate(t, last_eta)
                mg, raw, pm, beta, bn = margin_info or _margins(model, X, y, f)
                hist.step.append(t)
                hist.loss.append(res.value)
                hist.log_loss.append(res.log_value)
                hist.margin.append(mg)
                hist.margin_raw.append(raw)
                hist.param_margin.append(pm)
                hist.beta_norm.append(bn)
                hist.param_norm.append(math.sqrt(model.param_norm_sq()))
                hist.beta_dir.append(beta / bn if bn > 0 else beta)
                hist.lr.append(last_eta)
                hist.time.append(time.perf_counter() - t0)
                for k, fn in record.metrics.items():
                    hist.metrics[k].append(float(fn(model)))
                if bar is not None:
                    bar.set_postfix(loss=f"{res.value:.3g}", margin=f"{mg:.4g}", refresh=False)
            if reason is not None:
                stop_reason = reason
                break
            # -- one update ----------------------------------------------------------------------------
            if batch_size is None:
                Xb, yb, fb, rb = X, y, f, res
            else:
                if cursor + batch_size > N:
                    order = rng.permutation(N)
                    cursor = 0
                idx = order[cursor : cursor + batch_size]
                cursor += batch_size
                Xb, yb = X[idx], y[idx]
                fb = model.forward(Xb)
                if not np.all(np.isfinite(fb)):
                    raise fail("model outputs overflowed", t, last_eta)
                rb = loss_fn(fb, yb, reduction)
            eta = last_user_lr = float(lr_of(t))
            if not (math.isfinite(eta) and eta > 0):
                raise ParameterError(f"schedule({t}) returned {eta!r}: step sizes must be finite and > 0")
            if mode:
                g = rb.grad_over_value
                if mode == "homogeneous" and L > 1:
                    eta = eta / max(1.0, model.param_norm_sq() / L) ** (L - 1)
            else:
                g = rb.grad
            for p, q in zip(model.params, model.grad(Xb, g)):
                p -= eta * q
            last_eta = eta
            t += 1
            if not all(np.all(np.isfinite(p)) for p in model.params):
                raise fail("parameters became NaN or inf", t, eta)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    hist._finalize()
    return FitResult(model=model, history=hist, steps=t, stop_reason=stop_reason, elapsed=time.perf_counter() - t0)
