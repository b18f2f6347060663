r"""Closed forms of the depth-2 representation cost: weighted nuclear norms of stacked Fourier blocks.

:func:`closed_form_of` recognises the depth-2 models whose representation cost
``R(beta) = min {||w||^2 : beta(w) = beta}`` (:mod:`training.bias._repcost`) has the closed form

    ``R(beta) = c sum_rho d_rho ||M_rho(beta)||_*``,
    ``M_rho(beta) = [lift_1(beta)_hat(rho) ... lift_m(beta)_hat(rho)]``     (``d_rho x m d_rho``),

the ``d_rho``-weighted sum of nuclear norms of the **horizontally stacked** Fourier blocks of the
input's channels, with the unnormalized transform ``f_hat(rho) = sum_g f(g) rho(g)`` of
:func:`grouptools.fourier.transform` (unitary irreps):

=====================================================  ===================  =========================
model (depth 2, hidden layer regular, dense head)      input                ``c``
=====================================================  ===================  =========================
:class:`~training.models.GCNN`, full support, any K    one function on G    ``2 / |G|``
:class:`~training.models.LiftingGCNN`                  a function on G/H    ``2 / |G|``
:class:`~training.models.SteerableNet` ``[P, R]``,     ``P`` any permu-     ``2 / sqrt|G|``
``head="dense"``, ``R`` K copies of the regular rep    tation rep (C chan-
(up to relabelling), any K                             nels of G/H_i ...)
=====================================================  ===================  =========================

An input vector of a permutation representation ``P`` splits into its orbits ``G x_i = G/H_i``
(one per channel); ``lift_i(beta)(g) = beta(g x_i) / sqrt|H_i|`` lifts orbit ``i`` to a function on
G (the base point ``x_i`` only multiplies the block on the right by a unitary ``rho(t)``, which leaves
singular values unchanged). The two constants differ because the parameter norms differ: a
G-correlation layer with filter ``w`` has ``||W||_F^2 = |G| ||w||^2``, and the steerable layer's
parameters are the coordinates of ``W`` in an orthonormal basis (``||theta|| = ||W||_F``).

**Derivation** (``docs/theory.md``, "Several input channels"). Write the input as ``P = sum_rho
m_rho rho`` and the hidden regular representation as ``sum_rho d_rho rho`` (orthogonal changes of
basis, which change no norm). By Schur's lemma an equivariant ``W : P -> R`` is ``sum_rho A_rho (x)
I_{d_rho}`` with ``A_rho`` of size ``d_rho x m_rho`` (multiplicity spaces), so ``||W||_F^2 = sum_rho
d_rho ||A_rho||_F^2``; the dense head ``h`` has coordinates ``H_rho`` (``d_rho x d_rho``, ``||h||^2 =
sum ||H_rho||_F^2``), and ``beta = W^T h`` has coordinates ``B_rho = A_rho^H H_rho`` (``m_rho x
d_rho``, ``||beta||^2 = sum ||B_rho||_F^2``). For each ``rho`` separately, ``min {a ||A||^2 +
||H||^2 : A^H H = B} = 2 sqrt(a) ||B||_*`` (rescale ``A`` by ``sqrt a`` and use ``||X^H Y||_* <=
(||X||^2 + ||Y||^2)/2``, with equality at the polar factors ``X = P^(1/2) Q``, ``Y = P^(1/2)``,
``B^H = P Q``, ``P = (B^H B)^(1/2)``; the inner dimension ``d_rho`` is at least the rank of ``B``). With
``a = d_rho`` (steerable) the cost is ``2 sum sqrt(d_rho) ||B_rho||_*``. The coordinates: the left
translation acts on ``f_hat(rho)`` by ``rho(k) f_hat(rho)``, so the columns of ``f_hat(rho)`` are the
multiplicity index, and Plancherel (``||f||^2 = (1/|G|) sum d_rho ||f_hat(rho)||_F^2``) makes
``sqrt(d_rho/|G|) f_hat(rho)`` isometric; channels add multiplicity, i.e. columns:
``B_rho^H = sqrt(d_rho / |G|) M_rho`` up to a right isometry. Hence ``R = (2/sqrt|G|) sum d_rho
||M_rho||_*``, and with filters (``a = d_rho / |G|``) ``R = (2/|G|) sum d_rho ||M_rho||_*``. The
minimizing factors are functions of ``M_rho`` that commute with the symmetry real functions impose
on Fourier blocks, so they are real, and one hidden copy of the regular representation (one
channel) attains the bound. ``tests/training/test_repclosed.py`` checks every row of the table
against the semidefinite program.

**Max-margin problem.** ``min R(beta) s.t. y_n <x_n, beta> >= 1`` is solved with cvxpy and Clarabel
(a complex block ``P + iQ`` through its real embedding ``[[P, -Q], [Q, P]]``, whose nuclear norm is
twice the block's) and certified by **duality**: for multipliers ``lambda >= 0``,
``sum lambda_n <= <g, beta> <= R°(g) R(beta)`` with ``g = sum_n lambda_n y_n x_n`` and the dual norm
``R°(g) = max_rho ||M_rho(g)||_2 / (c |G|)`` (``<g, beta> = (1/|G|) sum d_rho Re tr(M_rho(g)^H
M_rho(beta))`` by Plancherel, the lifts being isometries; the blocks of the range of the lift form a
subspace onto which the orthogonal projection does not increase nuclear norms, so restricting the
supremum to it changes nothing). The relative gap ``1 - sum lambda_n / (R°(g) R(beta))`` bounds the
relative distance of ``R(beta)`` to the optimum.

References
----------
Z. Chen, W. Zhu. On the implicit bias of linear equivariant steerable networks. NeurIPS 2023.
H. Lawrence, K. Georgiev, A. Dienes, B. T. Kiani. Implicit bias of linear equivariant networks. ICML 2022.
N. Srebro, J. Rennie, T. Jaakkola. Maximum-margin matrix factorization. NeurIPS 2005.
J.-P. Serre. Linear representations of finite groups. Springer 1977 (Schur's lemma, Plancherel).

Examples
--------
>>> import numpy as np
>>> import grouptools as gt
>>> from training.models import SteerableNet
>>> G = gt.dihedral(3); R = G.regular_representation()
>>> cf = closed_form_of(SteerableNet(G, [R.direct_sum(R), R], head="dense"))
>>> bool(cf.scale == 2 / np.sqrt(6)), len(cf.lifts), [M.shape for M in cf.blocks(np.ones(12))]
(True, 2, [(1, 2), (1, 2), (2, 4)])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import check_data, check_positive_int, check_vector
from .._errors import ParameterError
from ._convex import solve_separable
from ._core import BiasSolverError
from ._fourier import fourier_operator

__all__ = ["GAP_TOL", "MAX_CLOSED_FORM_ORDER", "ClosedForm", "ClosedFormMargin", "closed_form_of", "orbit_lifts"]

#: Largest group order for which :func:`closed_form_of` builds a closed form (its Fourier operator
#: holds ``|G|^2`` numbers).
MAX_CLOSED_FORM_ORDER = 4096
#: Relative duality gap under which a closed-form max-margin solution is certified optimal.
GAP_TOL = 1e-6


@dataclass(frozen=True)
class ClosedFormMargin:
    """The max-margin solution of a :class:`ClosedForm` (``beta`` at minimum margin 1).

    Attributes
    ----------
    beta : numpy.ndarray
    objective : float
        ``R(beta)``.
    multipliers : numpy.ndarray
        The solver's dual multipliers of the margins (clipped at 0).
    gap : float
        Relative duality gap ``1 - sum lambda / (R°(g) R(beta))`` (module docstring).
    status : str
        ``"optimal"`` when ``gap <= GAP_TOL``, else ``"inaccurate"``.
    """

    beta: np.ndarray
    objective: float
    multipliers: np.ndarray
    gap: float
    status: str


@dataclass(frozen=True)
class ClosedForm:
    """``R(beta) = scale * sum_rho d_rho ||[lift_1(beta)_hat(rho) ... lift_m(beta)_hat(rho)]||_*``.

    Attributes
    ----------
    group : grouptools.FiniteGroup
    scale : float
        ``c`` (``2/|G|`` for filters, ``2/sqrt|G|`` for steerable layers).
    lifts : tuple of numpy.ndarray
        Per orbit (input channel), the integer array ``pts`` of length ``|G|`` with
        ``lift_i(beta)(g) = weights[i] * beta[pts[g]]``.
    weights : tuple of float
        ``1 / sqrt|H_i|`` per orbit.
    input_dim : int
    description : str
    """

    group: Any
    scale: float
    lifts: tuple[np.ndarray, ...]
    weights: tuple[float, ...]
    input_dim: int
    description: str

    def lifted(self, beta: np.ndarray) -> np.ndarray:
        """The lifted channels ``(m, |G|)`` of one vector (or ``(..., m, |G|)`` of rows)."""
        beta = np.asarray(beta, dtype=float)
        return np.stack([w * beta[..., p] for p, w in zip(self.lifts, self.weights)], axis=-2)

    def blocks(self, beta: Any) -> list[np.ndarray]:
        """The stacked blocks ``M_rho(beta)`` (``d_rho x m d_rho``, complex) in ``G.irreps()`` order."""
        beta = check_vector("beta", beta, self.input_dim)
        op = fourier_operator(self.group)
        out: list[np.ndarray] = [np.empty((0, 0))] * int(op.dims.size)
        for g, M in zip(op.batches, op.forward(self.lifted(beta))):  # M: (m, k, d, d)
            m, k, d, _ = M.shape
            S = M.transpose(1, 2, 0, 3).reshape(k, d, m * d)
            for j, idx in enumerate(g.indices):
                out[int(idx)] = S[j]
        return out

    def cost(self, beta: Any) -> float:
        """``R(beta)``.

        Examples
        --------
        >>> import grouptools as gt
        >>> from training.models import GCNN
        >>> round(closed_form_of(GCNN(gt.cyclic(4), 2)).cost(np.array([1.0, 0, 0, 0])), 12)   # (2/4) * 4 |1|
        2.0
        """
        op = fourier_operator(self.group)
        return self.scale * float(sum(d * np.linalg.svd(M, compute_uv=False).sum()
                                      for d, M in zip(op.dims, self.blocks(beta))))

    def dual_norm(self, g: Any) -> float:
        """``R°(g) = max {<g, beta> : R(beta) <= 1} = max_rho ||M_rho(g)||_2 / (scale |G|)``."""
        return max(float(np.linalg.norm(M, 2)) for M in self.blocks(g)) / (self.scale * self.group.order)

    def max_margin(self, X: Any, y: Any, solver: str | None = None) -> ClosedFormMargin:
        """``min R(beta) s.t. y_n <x_n, beta> >= 1`` (cvxpy; Clarabel, SCS if it fails), certified by the duality gap.

        Raises
        ------
        NotSeparatedError
            The margins are infeasible.
        BiasSolverError
            The solver fails.

        Examples
        --------
        >>> import grouptools as gt
        >>> from training.models import GCNN
        >>> cf = closed_form_of(GCNN(gt.cyclic(2), 2))
        >>> r = cf.max_margin(np.array([[1.0, 0.0]]), np.array([1.0]))   # R = |b0 + b1| + |b0 - b1| >= 2 b0 >= 2
        >>> round(r.objective, 6), r.status
        (2.0, 'optimal')
        """
        import cvxpy as cp

        X, y = check_data(X, y)
        if X.shape[1] != self.input_dim:
            raise ParameterError(f"X has width {X.shape[1]} but the closed form expects {self.input_dim}")
        Zd = y[:, None] * X
        b = cp.Variable(self.input_dim)
        con = Zd @ b >= 1
        prob = cp.Problem(cp.Minimize(self.scale * cp.sum(cp.hstack(self._terms(b)))), [con])
        try:
            bv, _ = solve_separable(prob, b, solver)
        except BiasSolverError:
            if solver is not None:
                raise
            bv, _ = solve_separable(prob, b, cp.SCS, eps_abs=1e-9, eps_rel=1e-9, max_iters=100000)  # Clarabel failed
        bv = bv / float(np.min(Zd @ bv))
        lam = np.maximum(np.asarray(con.dual_value, dtype=float).reshape(-1), 0.0)
        value = self.cost(bv)
        dn = self.dual_norm(Zd.T @ lam)
        gap = float(1.0 - lam.sum() / (dn * value)) if dn > 0 and value > 0 else float("inf")
        gap = max(gap, 0.0)
        return ClosedFormMargin(bv, value, lam, gap, "optimal" if gap <= GAP_TOL else "inaccurate")

    def _terms(self, b: Any) -> list[Any]:
        """``d_rho ||M_rho(b)||_*`` as cvxpy expressions (real embedding for complex blocks)."""
        import cvxpy as cp

        op = fourier_operator(self.group)
        n = self.input_dim
        terms: list[Any] = []
        for g in op.batches:
            d = g.d
            mats = []
            for part in (g.re, g.im):  # A_i with lift_i(beta) @ part = beta @ A_i
                if part is None:
                    mats.append(None)
                    continue
                per = []
                for p, w in zip(self.lifts, self.weights):
                    A = np.zeros((n, part.shape[1]))
                    np.add.at(A, p, w * part)
                    per.append(A)
                mats.append(per)
            for j, weight in enumerate(g.weights):
                cols = slice(j * d * d, (j + 1) * d * d)  # entry (a, c) of block j is column j*d*d + a*d + c

                def stacked(per: list[np.ndarray]) -> Any:
                    return cp.hstack([cp.reshape(A[:, cols].T @ b, (d, d), order="C") for A in per])

                P = stacked(mats[0])
                if g.real:
                    term = cp.norm(cp.vec(P, order="C"), 2) if d == 1 else cp.normNuc(P)
                else:
                    Q = stacked(mats[1])
                    if d == 1:
                        term = cp.norm(cp.hstack([cp.vec(P, order="C"), cp.vec(Q, order="C")]), 2)
                    else:
                        term = cp.normNuc(cp.bmat([[P, -Q], [Q, P]])) / 2
                terms.append(float(weight) * term)
        return terms


def orbit_lifts(rep: Any, max_order: int = MAX_CLOSED_FORM_ORDER) -> tuple[tuple[np.ndarray, ...], tuple[float, ...]] | None:
    """The orbit lifts of a permutation representation, or ``None`` if ``rep`` is not one.

    For each orbit ``G x_i`` (``x_i`` its smallest point) the array ``pts`` with ``pts[g]`` = the
    point ``g x_i``, found by a breadth-first search over ``s g`` (``s`` a generator, Cayley table
    ``T[s, g] = s g``) from the generator images; its weight is ``1/sqrt|H_i|``, ``|H_i| = |G| / |G x_i|``.

    Raises
    ------
    ParameterError
        ``|G| > max_order``.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.dihedral(3)
    >>> pts, w = orbit_lifts(G.permutation_representation(G.subgroup([G.element("s")])))
    >>> len(pts), sorted(set(pts[0].tolist())), round(w[0] ** -2)
    (1, [0, 1, 2], 2)
    """
    G = rep.group
    if G.order > check_positive_int("max_order", max_order):
        raise ParameterError(f"|G| = {G.order} > max_order={max_order}")
    U = np.asarray(rep.numeric_generator_images)
    n = int(rep.dim)
    if U.size and (np.abs(U.imag).max() > 1e-12 or not np.allclose(U.real, np.round(U.real), atol=1e-12)):
        return None
    U = np.round(U.real)
    if not (np.all((U == 0) | (U == 1)) and np.all(U.sum(axis=1) == 1) and np.all(U.sum(axis=2) == 1)):
        return None
    perms = np.argmax(U, axis=1)  # perms[s, x] = the point s x  (U_s e_x = e_{s x})
    T = np.asarray(G.cayley_table)
    gens = [int(s) for s in G.generators]
    seen = np.zeros(n, dtype=bool)
    lifts, weights = [], []
    for x0 in range(n):
        if seen[x0]:
            continue
        pts = np.full(G.order, -1, dtype=np.intp)
        pts[0] = x0  # the identity is element 0 of every FiniteGroup
        queue = [0]
        for g in queue:  # grows to |G| at most
            for k, s in enumerate(gens):
                h = int(T[s, g])
                if pts[h] < 0:
                    pts[h] = perms[k, pts[g]]
                    queue.append(h)
        orbit = np.unique(pts)
        seen[orbit] = True
        lifts.append(pts)
        weights.append(float(np.sqrt(orbit.size / G.order)))
    return tuple(lifts), tuple(weights)


def _free_orbits(rep: Any, max_order: int) -> int:
    """The number ``K`` of orbits of a permutation representation whose orbits are all free (``K`` copies
    of the regular representation, relabelled), else 0."""
    G = rep.group
    if rep.dim % G.order:
        return 0
    out = orbit_lifts(rep, max_order)
    if out is None or len(out[0]) * G.order != rep.dim:
        return 0
    return len(out[0])


def closed_form_of(model: Any, *, max_order: int = MAX_CLOSED_FORM_ORDER) -> ClosedForm | None:
    """The closed form of ``model``'s depth-2 representation cost (module docstring), or ``None``.

    Recognised: a full-support :class:`~training.models.GCNN` of depth 2 (any number of channels), a
    :class:`~training.models.LiftingGCNN` of depth 2, and a :class:`~training.models.SteerableNet`
    ``[P, R]`` with the dense head, ``P`` a permutation representation and ``R`` a sum of ``K``
    copies of the regular representation up to relabelling (``K`` hidden channels: the bound
    does not depend on the inner dimension and one copy attains it).

    Raises
    ------
    ParameterError
        The group is larger than ``max_order``.

    Examples
    --------
    >>> import grouptools as gt
    >>> from training.models import GCNN
    >>> G = gt.dihedral(4)
    >>> closed_form_of(GCNN(G, 2, channels=3)).description
    'full-width G-CNN (3 channels): (2/|G|) sum_rho d_rho ||beta_hat(rho)||_*'
    >>> closed_form_of(GCNN(G, 2, support=[0, 1])) is None, closed_form_of(GCNN(G, 3)) is None
    (True, True)
    """
    from ..models import GCNN, LiftingGCNN, SteerableNet

    if getattr(model, "depth", None) != 2:
        return None
    if isinstance(model, GCNN):
        G = model.group
        if model.support.size != G.order:
            return None
        if G.order > check_positive_int("max_order", max_order):
            raise ParameterError(f"|G| = {G.order} > max_order={max_order}")
        return ClosedForm(G, 2.0 / G.order, (np.arange(G.order),), (1.0,), G.order,
                          f"full-width G-CNN ({model.channels} channel{'s' if model.channels > 1 else ''}): "
                          "(2/|G|) sum_rho d_rho ||beta_hat(rho)||_*")
    if isinstance(model, LiftingGCNN):
        G = model.group
        lifts, weights = orbit_lifts(model.representation, max_order)  # type: ignore[misc]
        return ClosedForm(G, 2.0 / G.order, lifts, weights, model.input_dim,
                          "lifting G-CNN: (2/|G|) sum_rho d_rho ||lift(beta)_hat(rho) / sqrt|H|||_*")
    if isinstance(model, SteerableNet) and model.head == "dense":
        G = model.group
        rep0, rep1 = model.representations
        if not _free_orbits(rep1, max_order):
            return None
        out = orbit_lifts(rep0, max_order)
        if out is None:
            return None
        return ClosedForm(G, 2.0 / np.sqrt(G.order), out[0], out[1], model.input_dim,
                          f"steerable [P, R] dense head, {len(out[0])} input orbit(s): (2/sqrt|G|) sum_rho d_rho "
                          "||[lift_1(beta)_hat ... lift_m(beta)_hat](rho)||_*")
    return None
