"""Max-margin solvers, regularizer values and predictor-space KKT certificates (:mod:`training.bias`).

The mathematics, the conventions and the references are in the docstring of :mod:`training.bias`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import check_data, check_positive_int, check_vector, clip
from .._errors import NotSeparatedError, ParameterError
from . import _core as core
from ._convex import solve_nuclear
from ._core import KKTResult
from ._factored_polish import factor_polish
from ._fourier import FourierOperator, GroupLike
from ._repmargin import representation_cost_max_margin

KINDS = core.KINDS
STATIONARY_TOL = 1e-4
_POLISH_MAX_VARS = 1500


@dataclass(frozen=True)
class StartInfo:
    """One start of the nonconvex solver.

    Attributes
    ----------
    label : str
        ``"convex"`` (the ``L = 2`` solution), ``"svm"`` or ``"random<i>"``.
    objective : float
        ``R`` of the local solution found from this start (margin 1).
    kkt_residual : float
        Its stationarity residual.
    iterations : int
        Reweighting iterations plus SLSQP iterations.
    """

    label: str
    objective: float
    kkt_residual: float
    iterations: int


@dataclass(frozen=True)
class MaxMarginResult:
    """Solution of a max-margin problem (see :func:`max_margin`).

    Attributes
    ----------
    beta : numpy.ndarray
        The predictor, scaled so that ``min_n y_n <x_n, beta> = 1`` exactly.
    objective : float
        ``R(beta)``, the sum form of the regularizer (see :func:`objective`).
    norm : float
        The (quasi-)norm ``R(beta)^(1/p)``.
    status : str
        ``"optimal"`` (convex, certificate residual <= 1e-6), ``"inaccurate"`` (convex, larger
        residual), ``"stationary"`` (nonconvex, residual <= ``STATIONARY_TOL``) or ``"not_stationary"``.
    kkt_residual : float
        Relative stationarity residual of ``beta`` (:func:`predictor_kkt_residual`).
    multipliers : numpy.ndarray
        The multipliers ``lambda_n >= 0`` of the certificate (shape ``(N,)``).
    kind : str
    depth : int
    p : float
        The exponent ``2/L`` (2 for ``"l2"``).
    convex : bool
        Whether the problem is convex (``p >= 1``), so that ``beta`` is a global minimizer.
    starts : tuple of StartInfo
        The starts of the nonconvex solver (empty when convex).
    z : numpy.ndarray or None
        For ``"transformed"``: the variable ``z`` with ``beta = S^T z``.
    lower_bound : float or None
        For ``regulariser="representation_cost"`` at depth 2: the SDP value, a lower bound on the
        K-channel problem (equal to ``objective`` when the result is exact).
    rank : int or None
        For ``regulariser="representation_cost"`` at depth 2: the rank of the SDP minimizer.
    params : list of numpy.ndarray or None
        For ``regulariser="representation_cost"``: model parameters attaining ``objective``.
    """

    beta: np.ndarray
    objective: float
    norm: float
    status: str
    kkt_residual: float
    multipliers: np.ndarray
    kind: str
    depth: int
    p: float
    convex: bool
    starts: tuple[StartInfo, ...] = ()
    z: np.ndarray | None = None
    lower_bound: float | None = None
    rank: int | None = None
    params: list[np.ndarray] | None = None


def _single_blas_thread(n: int) -> contextlib.AbstractContextManager[Any]:
    """One BLAS thread for the many small products of the local solvers (``n <= 1024``).

    Multithreaded BLAS on matrices of a few hundred rows mostly synchronizes, and on a loaded machine
    it can be 100 times slower than one thread. Uses ``threadpoolctl`` (a scikit-learn dependency)
    when available.
    """
    if n > 1024:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _check_tol(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)) or not (0 <= value < 1):
        raise ParameterError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)




# -- regularizer values -------------------------------------------------------------------------------------
def objective(beta: Any, kind: str, *, depth: int, group: GroupLike | None = None, transform: Any = None) -> float:
    """The regularizer in sum form, ``R(beta) = sum_k w_k sum_i s_i(M_k)^p``, ``p = 2/depth``.

    Parameters
    ----------
    beta : array_like, shape (D,)
        The predictor.
    kind : {"l2", "lp", "dft", "schatten", "transformed"}
        See the module docstring.
    depth : int
        Depth L >= 1 (ignored by ``"l2"``, which is ``||beta||_2^2``).
    group : FiniteGroup, FourierOperator or list of irrep matrices, optional
        Needed by ``"schatten"`` (see :func:`fourier_operator`).
    transform : array_like, shape (m, D), optional
        Needed by ``"transformed"``: ``S`` with linearly independent rows; ``beta`` must lie in the
        range of ``S^T`` and ``R`` is evaluated at ``z = (S S^T)^{-1} S beta``.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> objective(np.array([1.0, -4.0]), "lp", depth=4)  # |1|^(1/2) + |-4|^(1/2)
    3.0
    >>> objective(np.array([1.0, 1.0]), "dft", depth=2)  # |fft| = (2, 0)
    2.0
    """
    b = check_vector("beta", beta)
    st = core.make_setup(kind, b.size, depth=depth, group=group, transform=transform)
    return core.regularizer(st.op, st.p, st.to_var(b))


def quasi_norm(beta: Any, kind: str, *, depth: int, group: GroupLike | None = None, transform: Any = None) -> float:
    """The (quasi-)norm ``R(beta)^(1/p)`` minimized by the max-margin problem of ``kind``.

    Same parameters as :func:`objective`. For ``"schatten"`` this is
    ``||beta_hat||^(S)_{2/L} = [sum_rho d_rho ||beta_hat(rho)||_{S,2/L}^{2/L}]^(L/2)``.

    Examples
    --------
    >>> import numpy as np
    >>> quasi_norm(np.array([1.0, -4.0]), "lp", depth=4)  # (1 + 2)^2
    9.0
    """
    b = check_vector("beta", beta)
    st = core.make_setup(kind, b.size, depth=depth, group=group, transform=transform)
    return core.regularizer(st.op, st.p, st.to_var(b)) ** (1.0 / st.p)


def objective_gradient(
    beta: Any, kind: str, *, depth: int, group: GroupLike | None = None, transform: Any = None, rank_tol: float = 1e-6
) -> np.ndarray:
    """Gradient of :func:`objective` with respect to ``beta``.

    For ``p <= 1`` it is the gradient on the manifold of predictors whose blocks keep their ranks:
    singular values ``<= rank_tol * s_max`` count as zero, and the rest contribute
    ``p U S^(p-1) V^H`` per block, pulled back by the adjoint of the Fourier map (module docstring).
    At a generic point (all blocks of full rank) this is the ordinary gradient. For
    ``"transformed"`` it is ``S^T (S S^T)^{-1} grad_z R``.

    Examples
    --------
    >>> import numpy as np
    >>> objective_gradient(np.array([4.0, -1.0]), "lp", depth=4)  # (1/2) sign(b) |b|^(-1/2)
    array([ 0.25, -0.5 ])
    """
    b = check_vector("beta", beta)
    st = core.make_setup(kind, b.size, depth=depth, group=group, transform=transform)
    rank_tol = _check_tol("rank_tol", rank_tol)
    g = core.gradient(st.op, st.p, st.to_var(b), rank_tol)
    if st.S is None:
        return g
    return st.S.T @ np.linalg.solve(st.S @ st.S.T, g)


# -- certificates -------------------------------------------------------------------------------------------
def predictor_kkt_residual(
    beta: Any,
    X: Any,
    y: Any,
    kind: str,
    *,
    depth: int,
    group: GroupLike | None = None,
    transform: Any = None,
    active_tol: float = 1e-6,
    rank_tol: float = 1e-6,
) -> KKTResult:
    """First-order stationarity certificate of ``beta`` for the max-margin problem of ``kind``.

    ``beta`` is rescaled to minimum margin 1; the active set is the constraints with margin
    ``<= 1 + active_tol``; singular values ``<= rank_tol * s_max`` count as zero. The best
    nonnegative multipliers for ``grad R(beta) = sum_n lambda_n y_n x_n`` (tangent parts, for
    ``p <= 1``) are found by NNLS (``scipy.optimize.nnls``); see the module docstring. The residual
    is invariant under positive rescaling of ``beta``.

    Parameters
    ----------
    beta : array_like, shape (D,)
    X : array_like, shape (N, D)
    y : array_like, shape (N,)
        Labels in {-1, +1}.
    kind, depth, group, transform
        As in :func:`objective`.
    active_tol, rank_tol : float
        Relative tolerances in [0, 1).

    Returns
    -------
    KKTResult

    Raises
    ------
    NotSeparatedError
        ``beta`` does not separate the data (minimum margin ``<= 0``).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 1.0]]); y = np.array([1.0])
    >>> predictor_kkt_residual(np.array([0.5, 0.5]), X, y, "l2", depth=1).residual < 1e-12  # the SVM
    True
    >>> round(predictor_kkt_residual(np.array([1.0, 0.0]), X, y, "l2", depth=1).residual, 6)  # not the SVM
    0.707107
    """
    X, y = check_data(X, y)
    b = check_vector("beta", beta, X.shape[1])
    st = core.make_setup(kind, X.shape[1], depth=depth, group=group, transform=transform)
    active_tol = _check_tol("active_tol", active_tol)
    rank_tol = _check_tol("rank_tol", rank_tol)
    Zv = st.data(y[:, None] * X)
    return core.kkt(st.op, st.p, Zv, st.to_var(b), active_tol=active_tol, rank_tol=rank_tol)


# -- max-margin solvers -------------------------------------------------------------------------------------
def _finish(op: FourierOperator, Zv: np.ndarray, b: np.ndarray, rank_tol: float) -> np.ndarray:
    """Zero tiny singular values (``p <= 1`` candidates) and rescale to minimum margin 1."""
    b = core.truncate(op, b, rank_tol)
    m = float(np.min(Zv @ b))
    if not m > 0:
        raise NotSeparatedError("a max-margin candidate lost separation after cleaning; decrease rank_tol")
    return b / m


def _candidate(op: FourierOperator, p: float, Zv: np.ndarray, b: np.ndarray, rank_tol: float) -> tuple[np.ndarray, float, KKTResult]:
    b = _finish(op, Zv, b, rank_tol)
    return b, core.regularizer(op, p, b), core.kkt(op, p, Zv, b, active_tol=1e-6, rank_tol=rank_tol)


def _polished(
    op: FourierOperator, p: float, L: int, Zv: np.ndarray, b: np.ndarray, rank_tol: float, use: bool
) -> tuple[np.ndarray, float, KKTResult, int]:
    """The better of ``b`` and its SLSQP polish (lower objective, ties to the smaller residual)."""
    b, R, k = _candidate(op, p, Zv, b, rank_tol)
    if not use or k.residual <= 1e-12:
        return b, R, k, 0
    try:
        bp, nit = factor_polish(op, Zv, b, L)
        bp, Rp, kp = _candidate(op, p, Zv, bp, rank_tol)
    except (NotSeparatedError, np.linalg.LinAlgError, ValueError):
        return b, R, k, 0
    if Rp <= R * (1 + 1e-9) and (Rp < R * (1 - 1e-9) or kp.residual <= k.residual):
        return bp, Rp, kp, nit
    return b, R, k, nit


def _representation_cost_margin(
    X: Any, y: Any, kind: str | None, regulariser: str | None, model: Any, starts: int, seed: int,
    solver: str | None, rank_tol: float,
) -> MaxMarginResult:
    """:func:`max_margin` with ``regulariser="representation_cost"``, as a :class:`MaxMarginResult`."""
    if regulariser != "representation_cost":
        raise ParameterError(f"regulariser must be 'representation_cost', got {clip(repr(regulariser))}")
    if model is None or kind is not None:
        raise ParameterError("regulariser='representation_cost' needs model=... and no kind")
    r = representation_cost_max_margin(model, X, y, starts=starts, seed=seed, solver=solver,
                                       rank_tol=_check_tol("rank_tol", rank_tol))
    L = int(model.depth)
    status = r.status if r.status != "local" else ("stationary" if r.kkt_residual <= STATIONARY_TOL else "not_stationary")
    return MaxMarginResult(
        beta=r.beta, objective=r.objective, norm=r.objective ** (L / 2.0), status=status,
        kkt_residual=r.kkt_residual, multipliers=r.multipliers, kind="representation_cost", depth=L,
        p=2.0 / L, convex=bool(r.exact), lower_bound=None if np.isnan(r.lower_bound) else r.lower_bound,
        rank=r.rank, params=r.params,
    )


def max_margin(
    X: Any,
    y: Any,
    kind: str | None = None,
    *,
    depth: int = 2,
    group: GroupLike | None = None,
    transform: Any = None,
    starts: int = 8,
    seed: int = 0,
    solver: str | None = None,
    rank_tol: float = 1e-6,
    polish: bool | None = None,
    regulariser: str | None = None,
    model: Any = None,
) -> MaxMarginResult:
    """Solve the max-margin problem predicted for an architecture (module docstring).

    Parameters
    ----------
    X : array_like, shape (N, D)
        Inputs (for ``"schatten"``: functions on the group, ``D = |G|``).
    y : array_like, shape (N,)
        Labels in {-1, +1}; the data must be linearly separable through the origin.
    kind : {"l2", "lp", "dft", "schatten", "transformed"}
    depth : int
        Depth L >= 1; ``p = 2/L``. ``L <= 2`` is solved exactly (convex), ``L >= 3`` locally.
    group : FiniteGroup, FourierOperator or list of irrep matrices, optional
        For ``"schatten"``.
    transform : array_like, shape (m, D), optional
        ``S`` for ``"transformed"`` (linearly independent rows).
    starts : int
        Number of starts of the nonconvex solver (>= 1): the ``L = 2`` solution, the SVM, then
        standard Gaussian vectors drawn with ``seed``.
    seed : int
        Seed of the random starts.
    solver : str, optional
        cvxpy solver for ``p = 1`` (default Clarabel).
    rank_tol : float
        Relative threshold below which singular values (entries) are zeroed in candidates and
        treated as zero by the certificate.
    polish : bool, optional
        Run the SLSQP polish in the factored parameterization; default: when ``L * D <= 1500``.
    regulariser : {"representation_cost"}, optional
        Instead of ``kind``: minimize the representation cost ``R(beta) = min {||w||^2 : beta(w)
        = beta}`` of ``model`` under the margins (:func:`training.bias.representation_cost_max_margin`;
        depth 2: a semidefinite program, exact when its minimizer has rank <= K channels, else
        certified or reported as local through the factored problem; depth >= 3: a local answer).
        ``starts``, ``seed``, ``solver`` and ``rank_tol`` are passed on; ``depth`` is the model's.
    model : LinearModel, optional
        The architecture, for ``regulariser="representation_cost"``.

    Returns
    -------
    MaxMarginResult

    Raises
    ------
    NotSeparatedError
        The data are not separable through the origin.
    ParameterError, ShapeError
        Invalid arguments.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]]); y = np.array([1.0, 1.0])
    >>> np.round(max_margin(X, y, "l2").beta, 6)  # the SVM
    array([1., 1.])
    >>> r = max_margin(np.array([[2.0, 1.0]]), np.array([1.0]), "lp", depth=3, starts=2)
    >>> np.round(r.beta, 6) + 0.0, r.status
    (array([0.5, 0. ]), 'stationary')

    The representation cost of a depth-2 diagonal network is ``2 ||beta||_1``:

    >>> from training.models import Diagonal
    >>> r = max_margin(np.array([[2.0, 1.0]]), np.array([1.0]), regulariser="representation_cost", model=Diagonal(2, 2))
    >>> np.round(r.beta, 6) + 0.0, round(r.objective, 6), r.status
    (array([0.5, 0. ]), 1.0, 'optimal')
    """
    if regulariser is not None or model is not None:
        return _representation_cost_margin(X, y, kind, regulariser, model, starts, seed, solver, rank_tol)
    if kind is None:
        raise ParameterError("max_margin needs a kind (or regulariser='representation_cost' and a model)")
    X, y = check_data(X, y)
    st = core.make_setup(kind, X.shape[1], depth=depth, group=group, transform=transform)
    check_positive_int("starts", starts)
    rank_tol = _check_tol("rank_tol", rank_tol)
    op, p, L = st.op, st.p, st.depth
    Zv = st.data(y[:, None] * X)
    b_svm = core.svm(Zv)  # raises NotSeparatedError first
    use_polish = (L * op.n <= _POLISH_MAX_VARS) if polish is None else bool(polish)

    def result(b: np.ndarray, R: float, k: KKTResult, status: str, convex: bool, info: tuple[StartInfo, ...]) -> MaxMarginResult:
        return MaxMarginResult(
            beta=st.to_beta(b),
            objective=R,
            norm=R ** (1.0 / p),
            status=status,
            kkt_residual=k.residual,
            multipliers=k.multipliers,
            kind=st.kind,
            depth=L,
            p=p,
            convex=convex,
            starts=info,
            z=b if st.S is not None else None,
        )

    def convex_status(k: KKTResult) -> str:
        ok = k.residual <= 1e-6 and (k.normal_norm is None or k.normal_norm <= 1 + 1e-6)
        return "optimal" if ok else "inaccurate"

    if p == 2.0:
        b = b_svm / float(np.min(Zv @ b_svm))
        k = core.kkt(op, p, Zv, b, active_tol=1e-6, rank_tol=rank_tol)
        return result(b, core.regularizer(op, p, b), k, convex_status(k), True, ())
    b1, _ = solve_nuclear(op, Zv, solver)
    with _single_blas_thread(op.n):
        b1, R1, k1, _ = _polished(op, 1.0, 2, Zv, b1, rank_tol, use_polish)
        if p == 1.0:
            return result(b1, R1, k1, convex_status(k1), True, ())
        rng = np.random.default_rng(seed)
        inits = [("convex", b1), ("svm", b_svm)] + [(f"random{i}", rng.standard_normal(op.n)) for i in range(starts - 2)]
        best = None
        info = []
        for label, b0 in inits[:starts]:
            b, its = core.irls(op, p, Zv, b0)
            b, R, k, nit = _polished(op, p, L, Zv, b, rank_tol, use_polish)
            info.append(StartInfo(label, R, k.residual, its + nit))
            if best is None or R < best[1] * (1 - 1e-9) or (R <= best[1] * (1 + 1e-9) and k.residual < best[2].residual):
                best = (b, R, k)
    b, R, k = best  # type: ignore[misc]
    status = "stationary" if k.residual <= STATIONARY_TOL else "not_stationary"
    return result(b, R, k, status, False, tuple(info))
