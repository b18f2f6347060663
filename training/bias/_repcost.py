r"""The representation cost of a linear network (its max-margin problem: :mod:`training.bias._repmargin`).

For a network ``f(x; w) = <x, beta(w)>`` homogeneous in its parameters, gradient descent on
separable data with exponential loss heads for a KKT point of ``min ||w||^2 s.t. y_n f(x_n; w) >= 1``
(Lyu & Li 2020; Gunasekar et al. 2018). In predictor space this is ``min R(beta)`` under the same
margins, with the **representation cost**

    ``R(beta) = min {||w||^2 : beta(w) = beta}``.

**Depth 2.** A depth-2 model has a bilinear form (:class:`training.models.BilinearForm`):
``beta_i = sum_{k<K} u_k^T B_i v_k = <B_i, Z>`` with ``Z = U^T V`` and ``||w||^2 = ||U||^2 +
||V||^2``. For a fixed ``p x q`` matrix ``Z``, ``min {||U||^2 + ||V||^2 : U^T V = Z}`` over factors
with any number of rows is ``2 ||Z||_*`` (``||U^T V||_* <= ||U||_F ||V||_F <= (||U||^2 + ||V||^2)/2``
by Hoelder and AM-GM; equality for ``U = S^(1/2) A^T``, ``V = S^(1/2) C^T`` from the SVD
``Z = A S C^T``, which has ``rank Z`` rows). Hence

    ``R_K(beta) = 2 min {||Z||_* : <B_i, Z> = beta_i, rank Z <= K}``,
    ``R_K(beta) >= R_SDP(beta) = 2 min {||Z||_* : <B_i, Z> = beta_i}
               = min {tr X + tr Y : [[X, Z], [Z^T, Y]] PSD, <B_i, Z> = beta_i}``

(the semidefinite form of the nuclear norm; Fazel, Hindi, Boyd 2001; Srebro, Rennie, Jaakkola 2005).
**When is it equal?** ``R_K = R_SDP`` exactly when the SDP has *some* minimizer of rank ``<= K``.
:func:`representation_cost` reports the rank of the minimizer the solver returns; if it is
``<= K``, the factors built from its SVD attain the bound and the answer is exact. An
interior-point solver returns a minimizer of *maximal* rank in the optimal face, so a rank above
``K`` does not yet mean a gap: then the factored nonconvex problem ``min ||U||^2 + ||V||^2 s.t.
<B_i, U^T V> = beta_i`` is solved from several starts (SLSQP; the truncated SVD of the SDP
minimizer, the model's own parameters when they represent ``beta``, random points). Its value is an
upper bound; when it meets the SDP lower bound (relative ``1e-6``) the cost is certified
(``exact=True``), otherwise it is a local answer and the result says so.

Structure can make the rank irrelevant. **Diagonal network** (``B_i = e_i e_i^T``, ``K = 1``): the
SDP minimizer is ``Z = diag(beta)`` of rank ``nnz(beta)``, but ``B`` reads only the diagonal of
``Z`` and ``u_i v_i = beta_i`` gives a rank-one ``Z`` with the same diagonal and cost
``2 sum |beta_i|``, which is the SDP value because ``||Z||_* >= sum_i |Z_ii|``. So ``R = 2 ||beta||_1``.

**Closed forms** (each checked against the SDP in ``tests/training/test_repcost.py``):

- fully connected, depth 2, any hidden width ``K >= 1``: ``B_i = e_i`` (``q = 1``), ``Z = beta``
  as a column, ``R = 2 ||beta||_2``. (The max-margin problem ``min 2||beta||_2`` has the same
  solution as ``min ||beta||_2^2``, the SVM: "``||beta||_2^2``" in the literature is this bias up
  to a monotone map, not the value of ``R``.)
- diagonal, depth 2: ``R = 2 ||beta||_1``.
- full-width G-CNN, depth 2, ``K`` channels: ``R = (2/|G|) sum_rho d_rho ||beta_hat(rho)||_*``
  with the unnormalized transform ``beta_hat(rho) = sum_g beta(g) rho(g)`` of
  :func:`grouptools.fourier.transform`, **for every K**. Derivation: with
  ``(x star w)^(rho) = x_hat(rho) w_hat(rho)^H`` and Plancherel, ``beta_hat(rho) = sum_k
  v_hat_k(rho) w_hat_k(rho)^H = [v_hat_1 ... v_hat_K] [w_hat_1 ... w_hat_K]^H`` (a ``d x Kd`` times
  ``Kd x d`` product, up to the conjugate transposes fixed by the convention, which do not change
  singular values), and ``||w||^2 = (1/|G|) sum_rho d_rho sum_k (||w_hat_k||_F^2 + ||v_hat_k||_F^2)``.
  The inequality above, block by block, gives ``R >= (2/|G|) sum d_rho ||beta_hat(rho)||_*`` for
  any K. One channel attains it: take ``v_hat(rho) = P^(1/2)``, ``w_hat(rho)^H = P^(1/2) W`` from
  the polar decomposition ``beta_hat(rho) = P W``; these blocks are functions of ``beta_hat(rho)``
  that commute with the symmetries real functions impose on Fourier blocks (``f_hat(rho_bar) =
  T conj(f_hat(rho)) T^H``), so they are the transforms of real filters. Channels therefore do not
  change the full-width cost; they matter for local filters, where ``B`` has fewer rows.
  The circular CNN is the cyclic case: ``R = (2/D) sum_j |fft(beta)_j|``.
- steerable network with an invariant head, depth 2 (``training.models._steerable``): ``R = 2
  ||beta||_2`` on the G-invariant predictors and ``+inf`` elsewhere (the derivation is in the
  ``SteerableNet`` docstring), so the max-margin problem is the G-invariant SVM, the SVM on the
  orbit-averaged data (Chen & Zhu 2023).

``R(beta) = +inf`` when no parameters represent ``beta`` (``beta`` outside the range of ``B``).

**Several input channels.** For a depth-2 network whose hidden layer is the regular representation
and whose input is a permutation representation (C channels of functions on G or on ``G/H``) the
cost is the ``d_rho``-weighted nuclear norm of the horizontally stacked blocks
``[lift_1(beta)_hat(rho) ... lift_C(beta)_hat(rho)]``, with ``2/|G|`` for filters and
``2/sqrt|G|`` for steerable layers (:mod:`training.bias._repclosed`, which has the derivation);
``method="closed_form"`` uses it, and ``"auto"`` does when the SDP would exceed ``max_side``.

**Depth >= 3** (and depth-2 models without a bilinear form): the factored problem
``min ||w||^2 s.t. model.with_params(w).linearization() = beta`` from several starts (SLSQP); the
answer is a local one (``exact=False``).

References
----------
Z. Chen, W. Zhu. On the implicit bias of linear equivariant steerable networks. NeurIPS 2023.
K. Lyu, J. Li. Gradient descent maximizes the margin of homogeneous neural networks. ICLR 2020.
S. Gunasekar, J. D. Lee, D. Soudry, N. Srebro. Implicit bias of gradient descent on linear
convolutional networks. NeurIPS 2018.
M. Jagadeesan, I. Razenshteyn, S. Gunasekar. Inductive bias of multi-channel linear convolutional
networks with bounded weight norm. COLT 2022.
M. Fazel, H. Hindi, S. Boyd. A rank minimization heuristic with application to minimum order system
approximation. ACC 2001.
N. Srebro, J. Rennie, T. Jaakkola. Maximum-margin matrix factorization. NeurIPS 2005.
D. Kraft. A software package for sequential quadratic programming. DLR 1988 (SLSQP).
C. Lawson, R. Hanson. Solving Least Squares Problems. Prentice-Hall 1974 (NNLS).

Examples
--------
>>> import numpy as np
>>> from training.models import Diagonal
>>> r = representation_cost(Diagonal(3, depth=2), np.array([1.0, -2.0, 0.0]))
>>> round(r.value, 6), r.exact       # 2 ||beta||_1
(6.0, True)
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from .._checks import check_positive_int, check_vector, clip
from .._errors import ParameterError, ParameterTypeError
from ._convex import solve_separable
from ._core import BiasSolverError
from ._repclosed import ClosedForm, closed_form_of

__all__ = [
    "EXACT_TOL",
    "MAX_FACTORED_VARS",
    "MAX_SDP_SIDE",
    "RepresentationCost",
    "balanced_factors",
    "bilinear_form_of",
    "check_sdp_side",
    "closed_form_choice",
    "min_norm_slsqp",
    "nuclear_sdp",
    "random_starts",
    "representation_cost",
    "sdp_too_large",
    "stationarity",
    "uses_closed_form",
]

#: Relative gap under which a factored upper bound certifies the SDP lower bound.
EXACT_TOL = 1e-6
#: Largest number of scalar variables of the factored SLSQP problems.
MAX_FACTORED_VARS = 4000
#: Default largest side ``p + q`` of an unsplit semidefinite matrix (interior-point time grows like
#: ``(p + q)^6``: about 10 s at side 68, so minutes at 100).
MAX_SDP_SIDE = 100
#: The split formulation of :func:`_sdp` is used when ``min(p, q) <= SPLIT_MAX_SIDE`` ...
SPLIT_MAX_SIDE = 8
#: ... and the unsplit cone would have more than this many entries.
SPLIT_MIN_CONE = 600


@dataclass(frozen=True)
class RepresentationCost:
    """The result of :func:`representation_cost`.

    Attributes
    ----------
    value : float
        The answer: the SDP value when ``exact``, else the best factored value found; ``inf`` when
        ``beta`` is not in the range of the model (then ``params`` is ``None``).
    lower_bound : float
        ``R_SDP(beta)`` (depth 2 with a bilinear form), a certified lower bound; ``nan`` otherwise.
    upper_bound : float
        The smallest ``||w||^2`` found with ``beta(w) = beta`` (``nan`` if no start converged).
    exact : bool
        Whether ``value`` is certified (``upper_bound <= lower_bound (1 + 1e-6)``).
    rank : int or None
        Numerical rank of the SDP minimizer (``None`` without an SDP).
    channels : int or None
        K of the bilinear form.
    method : str
        ``"sdp"`` (rank <= K), ``"sdp+factored"``, ``"factored"`` or ``"closed form"``
        (:mod:`training.bias._repclosed`).
    params : list of numpy.ndarray or None
        Parameters of the model attaining ``upper_bound`` (``None`` for a closed-form answer).
    start_values : tuple of float
        ``||w||^2`` reached from each factored start (``nan`` for a start that did not converge).
    kkt_residual : float
        For a factored answer: ``min_lambda ||2 w - J^T lambda|| / ||2 w||`` with ``J`` the Jacobian
        of ``beta(w)`` (first-order stationarity on the fibre ``beta(w) = beta``); ``nan`` otherwise.
    """

    value: float
    lower_bound: float
    upper_bound: float
    exact: bool
    rank: int | None
    channels: int | None
    method: str
    params: list[np.ndarray] | None
    start_values: tuple[float, ...] = ()
    kkt_residual: float = float("nan")


# -- helpers ------------------------------------------------------------------------------------
def bilinear_form_of(model: Any) -> Any:
    """The model's bilinear form (``model.bilinear_form()``), or ``None`` (no such method, or depth != 2).

    Raises
    ------
    ParameterTypeError
        If ``model`` is not a linear model (no ``params`` or ``linearization``).

    Examples
    --------
    >>> from training.models import Diagonal
    >>> bilinear_form_of(Diagonal(2, 2)).channels, bilinear_form_of(Diagonal(2, 3))
    (1, None)
    """
    if not hasattr(model, "params") or not hasattr(model, "linearization"):
        raise ParameterTypeError(f"model must be a training.models.LinearModel, got {type(model).__name__}")
    if getattr(model, "depth", None) != 2 or not callable(getattr(model, "bilinear_form", None)):
        return None
    return model.bilinear_form()


def balanced_factors(Z: np.ndarray, K: int, rank_tol: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Balanced factors of the top-K part of ``Z`` (``U = S^(1/2) A^T``, ``V = S^(1/2) C^T``) and ``rank Z``.

    ``U`` has shape ``(K, p)``, ``V`` shape ``(K, q)`` (zero rows past the rank), and
    ``||U||^2 + ||V||^2 = 2 ||Z_K||_*``; the rank counts singular values above ``rank_tol`` times
    the largest.

    Examples
    --------
    >>> import numpy as np
    >>> U, V, r = balanced_factors(np.diag([4.0, 1.0]), 2, 1e-9)
    >>> bool(np.allclose(U.T @ V, np.diag([4.0, 1.0]))), r, round(float((U**2).sum() + (V**2).sum()), 9)
    (True, 2, 10.0)
    """
    A, s, Ct = np.linalg.svd(Z, full_matrices=False)
    r = int(np.sum(s > rank_tol * max(s[0], 1e-300))) if s.size and s[0] > 0 else 0
    k = min(K, s.size)
    U = np.zeros((K, Z.shape[0]))
    V = np.zeros((K, Z.shape[1]))
    U[:k] = np.sqrt(s[:k])[:, None] * A[:, :k].T
    V[:k] = np.sqrt(s[:k])[:, None] * Ct[:k]
    return U, V, r


def min_norm_slsqp(x0: np.ndarray, fun: Callable, jac: Callable, eq: bool, max_iter: int = 500) -> tuple[np.ndarray, bool, np.ndarray]:
    """``min ||x||^2`` s.t. ``fun(x) = 0`` (``eq``) or ``fun(x) >= 0`` by SLSQP (Kraft 1988), locally.

    Returns ``(x, converged, multipliers)``: ``converged`` when the constraints hold to ``1e-8``
    (relative); for inequalities the multipliers of the active constraints are the NNLS fit of
    ``2 x = J_A^T lambda`` (zeros otherwise).

    Examples
    --------
    >>> import numpy as np
    >>> x, ok, lam = min_norm_slsqp(np.ones(2), lambda x: np.array([x[0] + x[1] - 2.0]),
    ...                             lambda x: np.array([[1.0, 1.0]]), eq=False)
    >>> np.round(x, 6).tolist(), ok, np.round(lam, 6).tolist()
    ([1.0, 1.0], True, [2.0])
    """
    from scipy.optimize import minimize

    con = {"type": "eq" if eq else "ineq", "fun": fun, "jac": jac}
    try:  # one BLAS thread: the products are small, and threads only synchronize on a loaded machine
        from threadpoolctl import threadpool_limits

        limit: Any = threadpool_limits(limits=1, user_api="blas")
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        limit = contextlib.nullcontext()
    with limit, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = minimize(lambda x: float(x @ x), x0, jac=lambda x: 2 * x, constraints=[con], method="SLSQP",
                       options={"ftol": 1e-14, "maxiter": max_iter})
    c = fun(res.x)
    ok = bool(np.all(np.abs(c) <= 1e-8 * (1 + np.abs(c).max(initial=0))) if eq else np.all(c >= -1e-8))
    lam = np.zeros(c.size)
    if ok and not eq:  # multipliers of the active margins: NNLS on 2 x = J_A^T lam (Lawson and Hanson 1974)
        from scipy.optimize import nnls

        active = np.flatnonzero(c <= 1e-6 * (1 + np.abs(c).max(initial=0)))
        if active.size:
            lam[active] = nnls(jac(res.x)[active].T, 2 * res.x)[0]
    return res.x, ok, lam


def stationarity(x: np.ndarray | None, jac: Callable) -> float:
    """``min_lambda ||2 x - J(x)^T lambda|| / ||2 x||`` (least squares), ``nan`` without a point.

    First-order stationarity of ``min ||x||^2`` on the set ``fun(x) = 0`` whose Jacobian is ``jac``.

    Examples
    --------
    >>> import numpy as np
    >>> stationarity(np.array([1.0, 1.0]), lambda x: np.array([[1.0, 1.0]]))
    0.0
    """
    if x is None or not np.any(x):
        return float("nan")
    J = jac(x)
    lam = np.linalg.lstsq(J.T, 2 * x, rcond=None)[0]
    return float(np.linalg.norm(2 * x - J.T @ lam) / np.linalg.norm(2 * x))


def sdp_too_large(p: int, q: int, max_side: int) -> bool:
    """Whether the SDP of a ``p x q`` bilinear form is unsplit (``min(p, q) > SPLIT_MAX_SIDE``) and of
    side ``p + q > max_side`` (``max_side`` checked to be a positive integer).

    Examples
    --------
    >>> sdp_too_large(4, 1000, 100), sdp_too_large(60, 60, 100)   # split formulation; side 120
    (False, True)
    """
    check_positive_int("max_side", max_side)
    return min(p, q) > SPLIT_MAX_SIDE and p + q > max_side


def check_sdp_side(p: int, q: int, max_side: int) -> None:
    """Refuse an unsplit SDP (:func:`nuclear_sdp`) of side ``p + q > max_side`` before any work.

    Raises
    ------
    ParameterError
        If ``min(p, q) > SPLIT_MAX_SIDE`` and ``p + q > max_side``, or ``max_side`` is not a
        positive integer.

    Examples
    --------
    >>> check_sdp_side(4, 1000, 100)   # split formulation: allowed
    """
    if sdp_too_large(p, q, max_side):
        raise ParameterError(f"the SDP would have side p + q = {p + q} > max_side = {max_side}, and no closed form "
                             "is known for this model (training.bias._repclosed)")


def closed_form_choice(model: Any, form: Any, method: str, max_side: int) -> ClosedForm | None:
    """The closed form to use instead of the SDP (:mod:`training.bias._repclosed`), or ``None``.

    ``method="sdp"``: never; ``"closed_form"``: always (``ParameterError`` if the model has none);
    ``"auto"``: when the model has one and its unsplit SDP would exceed ``max_side``
    (:func:`check_sdp_side`), so that the SDP, which also returns factors and a rank, stays the
    general computation wherever it fits.

    Raises
    ------
    ParameterError
        Unknown ``method``, or ``"closed_form"`` for a model without one.

    Examples
    --------
    >>> import grouptools as gt
    >>> from training.models import GCNN
    >>> m = GCNN(gt.dihedral(8), 2)
    >>> closed_form_choice(m, m.bilinear_form(), "auto", 100) is None        # side 32 fits
    True
    >>> closed_form_choice(m, m.bilinear_form(), "auto", 20).scale            # 2/|G|
    0.125
    """
    if method not in ("auto", "sdp", "closed_form"):
        raise ParameterError(f"method must be 'auto', 'sdp' or 'closed_form', got {clip(repr(method))}")
    if method == "sdp":
        return None
    if method == "closed_form":
        cf = closed_form_of(model)
        if cf is None:
            raise ParameterError(f"no closed form of the representation cost is known for {type(model).__name__} "
                                 "(training.bias._repclosed lists the recognised models)")
        return cf
    if form is None:
        return None
    _, p, q = form.tensor.shape
    return closed_form_of(model) if sdp_too_large(p, q, max_side) else None


def uses_closed_form(model: Any, max_side: int = MAX_SDP_SIDE) -> bool:
    """Whether :func:`representation_cost` (and the max-margin problem) with ``method="auto"`` answer
    ``model`` by its closed form rather than the SDP (:func:`closed_form_choice`), without solving.

    Examples
    --------
    >>> import grouptools as gt
    >>> from training.models import GCNN
    >>> uses_closed_form(GCNN(gt.dihedral(8), 2)), uses_closed_form(GCNN(gt.dihedral(8), 2), max_side=20)
    (False, True)
    """
    return closed_form_choice(model, bilinear_form_of(model), "auto", max_side) is not None


def random_starts(model: Any, scale_to: Callable[[np.ndarray], np.ndarray], starts: int, seed: int) -> list[np.ndarray]:
    """``starts`` standard Gaussian flat parameter vectors of ``model`` (seeded), each passed through ``scale_to``.

    Examples
    --------
    >>> from training.models import Diagonal
    >>> [v.shape for v in random_starts(Diagonal(3, 2), lambda v: v, 2, 0)]
    [(6,), (6,)]
    """
    rng = np.random.default_rng(seed)
    return [scale_to(rng.standard_normal(model.n_params)) for _ in range(starts)]


def nuclear_sdp(form: Any, beta: np.ndarray | None, Zd: np.ndarray | None, solver: str | None) -> tuple[float, np.ndarray, np.ndarray, str]:
    """``min tr X + tr Y`` over PSD ``[[X, Z], [Z^T, Y]]`` with ``<B_i, Z> = beta_i`` (or ``Zd B(Z) >= 1``).

    Returns the value, ``Z``, the dual multipliers of the linear constraints and the status
    (cvxpy; Clarabel by default, SCS if Clarabel fails; ``solver`` forces one). Formulation: one PSD matrix of side ``p + q``, or, when the smaller side ``m = min(p, q)`` is at
    most ``SPLIT_MAX_SIDE``, the Schur-complement split ``min tr X + sum_j t_j`` with one
    ``(m + 1) x (m + 1)`` block ``[[X, z_j], [z_j^T, t_j]]`` PSD per column ``z_j`` of ``Z`` (or of
    ``Z^T``): ``Y >= Z^T X^+ Z`` and ``tr(Z^T X^+ Z) = sum_j z_j^T X^+ z_j``. Interior-point cost
    grows like the cube of the cone dimensions, so the split is much faster for local filters.
    """
    import cvxpy as cp

    B = form.tensor
    D, p, q = B.shape
    flip = q < p
    if flip:
        B, (p, q) = B.transpose(0, 2, 1), (q, p)
    Bf = B.transpose(0, 2, 1).reshape(D, p * q)  # column-major vec(Z), the order of cp.vec(order="F")
    cons: list[Any] = []
    if p <= SPLIT_MAX_SIDE and (p + q) * (p + q + 1) // 2 > SPLIT_MIN_CONE:
        Xv, t, Z = cp.Variable((p, p), symmetric=True), cp.Variable(q), cp.Variable((p, q))
        cons = [cp.bmat([[Xv, Z[:, j : j + 1]], [Z[:, j : j + 1].T, cp.reshape(t[j], (1, 1), order="F")]]) >> 0
                for j in range(q)]
        obj = cp.trace(Xv) + cp.sum(t)
    else:
        M = cp.Variable((p + q, p + q), PSD=True)
        Z, obj = M[:p, p:], cp.trace(M)
    b = Bf @ cp.vec(Z, order="F")
    con = (b == beta) if Zd is None else (Zd @ b >= 1)
    prob = cp.Problem(cp.Minimize(obj), [*cons, con])
    scs = {"eps_abs": 1e-9, "eps_rel": 1e-9, "max_iters": 100000}
    try:
        solve_separable(prob, Z, solver, **(scs if solver == cp.SCS else {}))
    except BiasSolverError:
        if solver is not None:
            raise
        solve_separable(prob, Z, cp.SCS, **scs)  # the fallback when Clarabel fails
    Zv = np.asarray(Z.value, dtype=float)
    lam = np.asarray(con.dual_value, dtype=float).reshape(-1)
    return float(prob.value), (Zv.T if flip else Zv), lam, str(prob.status)


# -- the cost ----------------------------------------------------------------------------------
def representation_cost(
    model: Any,
    beta: Any,
    *,
    starts: int = 4,
    seed: int = 0,
    solver: str | None = None,
    rank_tol: float = 1e-6,
    max_side: int = MAX_SDP_SIDE,
    method: str = "auto",
) -> RepresentationCost:
    """``R(beta) = min {||w||^2 : model.with_params(w).linearization() = beta}`` (module docstring).

    Parameters
    ----------
    model : LinearModel
        Defines the architecture; a depth-2 model with ``bilinear_form()`` gets the SDP, any other
        model the factored problem. Its own parameters are one of the starts when they represent
        ``beta`` (so ``value <= model.param_norm_sq()`` then).
    beta : array_like, shape (D,)
    starts : int
        Random starts of the factored problem (besides the SDP and model starts).
    seed : int
    solver : str, optional
        cvxpy solver (default Clarabel, SCS if Clarabel fails).
    rank_tol : float
        Singular values below ``rank_tol`` times the largest count as zero.
    max_side : int
        Largest side ``p + q`` of the semidefinite matrix when the split formulation does not
        apply (checked before solving).
    method : {"auto", "sdp", "closed_form"}
        Depth 2: the SDP, or the closed form of :mod:`training.bias._repclosed` (full-width and
        lifting G-CNNs, steerable ``[P, R]`` with a dense head); ``"auto"`` takes the closed form
        only when the SDP would exceed ``max_side`` (:func:`closed_form_choice`). A closed-form
        answer has ``method="closed form"``, ``exact=True`` and no ``params`` or ``rank``.

    Returns
    -------
    RepresentationCost

    Raises
    ------
    ParameterTypeError
        ``model`` is not a linear model.
    ShapeError, ParameterError
        ``beta`` of the wrong length or not finite; bad ``starts``; a problem too large
        (``max_side``, ``MAX_FACTORED_VARS``).

    Examples
    --------
    >>> import numpy as np
    >>> from training.models import FullyConnected
    >>> r = representation_cost(FullyConnected(2, widths=3, depth=2), np.array([3.0, 4.0]))
    >>> round(r.value, 6), r.rank, r.method      # 2 ||beta||_2
    (10.0, 1, 'sdp')
    """
    form = bilinear_form_of(model)
    beta = check_vector("beta", beta, model.input_dim)
    check_positive_int("starts", starts, 0)
    cf = closed_form_choice(model, form, method, max_side)
    if not 0 < rank_tol < 1:
        raise ParameterError(f"rank_tol must lie in (0, 1), got {rank_tol!r}")
    if not np.any(beta):
        zero = [np.zeros_like(p) for p in model.params]
        return RepresentationCost(0.0, 0.0, 0.0, True, 0, None if form is None else form.channels, "sdp", zero)
    own = model.param_norm_sq() if np.allclose(model.linearization(), beta, rtol=0, atol=1e-10 * np.linalg.norm(beta)) else None
    if form is None:
        return _deep_cost(model, beta, starts, seed, own)
    if cf is not None:
        v = cf.cost(beta)
        return RepresentationCost(v, v, v, True, None, form.channels, "closed form", None)
    D, p, q = form.tensor.shape
    check_sdp_side(p, q, max_side)
    K = form.channels
    Bf = form.tensor.reshape(D, p * q)
    z, *_ = np.linalg.lstsq(Bf, beta, rcond=None)
    if np.linalg.norm(Bf @ z - beta) > 1e-9 * np.linalg.norm(beta):  # no network represents beta
        return RepresentationCost(np.inf, np.inf, np.inf, True, None, K, "sdp", None)
    lower, Z, _, _ = nuclear_sdp(form, beta, None, solver)
    U, V, r = balanced_factors(Z, K, rank_tol)
    if r <= K and np.linalg.norm(form.predictor(U, V) - beta) <= 1e-8 * np.linalg.norm(beta):
        return RepresentationCost(lower, lower, form.norm_sq(U, V), True, r, K, "sdp", form.from_factors(U, V))
    # rank > K: the factored problem from several starts gives an upper bound
    n = K * (p + q)
    if n > MAX_FACTORED_VARS:
        raise ParameterError(f"the factored problem would have {n} > MAX_FACTORED_VARS = {MAX_FACTORED_VARS} variables")

    def split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return x[: K * p].reshape(K, p), x[K * p :].reshape(K, q)

    def cons(x: np.ndarray) -> np.ndarray:
        return form.predictor(*split(x)) - beta

    def jac(x: np.ndarray) -> np.ndarray:
        dU, dV = form.predictor_jacobian(*split(x))
        return np.hstack([dU.reshape(D, -1), dV.reshape(D, -1)])

    x0s = [np.concatenate([U.ravel(), V.ravel()])]
    if own is not None:
        Uo, Vo = form.to_factors(model.params)
        x0s.append(np.concatenate([Uo.ravel(), Vo.ravel()]))
    rng = np.random.default_rng(seed)
    x0s += [rng.standard_normal(n) * np.sqrt(lower / n) for _ in range(starts)]
    values, best = [], None
    for x0 in x0s:
        x, ok, _ = min_norm_slsqp(x0, cons, jac, eq=True)
        values.append(float(x @ x) if ok else float("nan"))
        if ok and (best is None or x @ x < best @ best):
            best = x
        if best is not None and best @ best <= lower * (1 + EXACT_TOL) + 1e-12:
            break  # certified: no start can do better than the SDP bound
    if own is not None and (best is None or own < best @ best):
        best = np.concatenate([a.ravel() for a in form.to_factors(model.params)])
    upper = float(best @ best) if best is not None else float("nan")
    exact = bool(upper <= lower * (1 + EXACT_TOL) + 1e-12)
    params = None if best is None else form.from_factors(*split(best))
    return RepresentationCost(lower if exact else upper, lower, upper, exact, r, K, "sdp+factored", params, tuple(values),
                              stationarity(best, jac))


def _deep_cost(model: Any, beta: np.ndarray, starts: int, seed: int, own: float | None) -> RepresentationCost:
    """The factored problem in the model's parameters (depth >= 3 or no bilinear form): a local answer."""
    n, L = model.n_params, model.depth
    if n > MAX_FACTORED_VARS:
        raise ParameterError(f"the factored problem would have {n} > MAX_FACTORED_VARS = {MAX_FACTORED_VARS} variables")
    eye = np.eye(model.input_dim)

    def cons(x: np.ndarray) -> np.ndarray:
        return model.with_flat_params(x).linearization() - beta

    def jac(x: np.ndarray) -> np.ndarray:
        return model.with_flat_params(x).jacobian(eye)

    def scale_to(x: np.ndarray) -> np.ndarray:
        lin = np.linalg.norm(model.with_flat_params(x).linearization())
        return x * (np.linalg.norm(beta) / lin) ** (1.0 / L) if lin > 0 else x

    x0s = ([model.flat_params()] if own is not None else []) + random_starts(model, scale_to, max(starts, 1), seed)
    values, best = [], None
    for x0 in x0s:
        x, ok, _ = min_norm_slsqp(x0, cons, jac, eq=True)
        values.append(float(x @ x) if ok else float("nan"))
        if ok and (best is None or x @ x < best @ best):
            best = x
    if own is not None and (best is None or own < best @ best):
        best = model.flat_params()
    upper = float(best @ best) if best is not None else float("nan")
    params = None if best is None else model.with_flat_params(best).params
    return RepresentationCost(upper, float("nan"), upper, False, None, None, "factored", params, tuple(values),
                              stationarity(best, jac))
