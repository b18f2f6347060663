"""The G-CNN's Schatten max-margin problem over groups of order in the thousands (digits at 28 x 28).

:func:`training.bias.max_margin` works with dense ``|G| x |G|`` matrices: its convex step (cvxpy)
receives the Fourier transform as a dense matrix, and :func:`training.bias.fourier_operator`
verifies Plancherel's identity on the identity matrix (``O(|G|^3)``). At ``|G| = 6272`` (the group
``(C28 x C28) : D4`` of the 28 x 28 digits) that takes a minute and 5 GB. This module solves the same
problem with the block structure instead:

- :func:`lean_operator`: the Fourier operator filled irrep by irrep (peak memory about the size of
  the operator itself, ``16 |G|^2`` bytes), checked on random vectors;
- :func:`nuclear_blocks`: the convex ``L = 2`` problem ``min sum_rho d_rho ||M_rho||_*`` s.t.
  ``(1/|G|) sum_rho d_rho Re tr(z_hat_n(rho)^H M_rho) >= 1`` with the blocks ``M_rho`` as free complex
  variables (cvxpy with Clarabel; ``N x |G|`` data instead of ``|G| x |G|``). Free blocks relax the
  problem (blocks of a real function satisfy ``M_rho' = U conj(M_rho) U^H`` for the conjugate irrep
  ``rho'``), but that map is an isometric involution which fixes the data and the objective, so
  averaging a relaxed optimum with its image, which is what :meth:`FourierOperator.inverse`
  does, gives an optimum of the original problem with the same value;
- :func:`schatten_problem`: for ``L = 2`` that optimum, for ``L >= 3`` the best stationary point
  found by the augmented Lagrangian of :func:`training.polish` on the G-CNN itself, started from the
  balanced factors (:func:`balanced_gcnn`) of the ``L = 2`` optimum and of the SVM. In both cases
  the point is certified by :func:`training.bias.predictor_kkt_residual`.

Examples
--------
>>> import grouptools as gt
>>> op = lean_operator(gt.dihedral(3))
>>> op.n, sorted(op.dims.tolist())
(6, [1, 1, 2])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import bias
from ..models import GCNN
from ..polish import polish
from ._problems import Problem

if TYPE_CHECKING:
    from grouptools import FiniteGroup

__all__ = ["balanced_gcnn", "lean_operator", "nuclear_blocks", "schatten_problem"]

_CLARABEL = {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10, "max_iter": 500}


def lean_operator(G: FiniteGroup, *, checks: int = 3, seed: int = 0) -> bias.FourierOperator:
    """The Fourier operator of ``G`` (as :func:`training.bias.fourier_operator`), built irrep by irrep.

    Plancherel's identity and the left inverse are checked on ``checks`` random vectors
    (``O(|G|^2)`` each) instead of the identity matrix.

    Raises
    ------
    ShapeError
        The irreps are incomplete or fail the checks.
    """
    from .._errors import ShapeError

    irreps = G.irreps()
    n = int(G.order)
    dims = np.array([int(r.dim) for r in irreps])
    if int(np.sum(dims**2)) != n:
        raise ShapeError(f"irreps are incomplete: sum d^2 = {int(np.sum(dims ** 2))} but |G| = {n}")
    batches = []
    for d in sorted(set(dims.tolist())):
        idx = np.flatnonzero(dims == d)
        re = np.empty((n, idx.size * d * d))
        im = np.empty((n, idx.size * d * d))
        for j, i in enumerate(idx):
            m = np.asarray(irreps[int(i)].matrices, dtype=complex).reshape(n, d * d)
            re[:, j * d * d : (j + 1) * d * d] = m.real
            im[:, j * d * d : (j + 1) * d * d] = m.imag
        real = bool(np.max(np.abs(im), initial=0.0) <= 1e-13)
        batches.append(bias.BlockBatch(d, dims[idx].astype(float), real, idx, re, None if real else im))
        del re, im
    op = bias.FourierOperator(n, float(n), "group", batches)
    V = np.random.default_rng(seed).standard_normal((checks, n))
    back = op.inverse(op.forward(V))
    if not np.allclose(back, V, atol=1e-8 * np.sqrt(n)):
        raise ShapeError("irreps fail Plancherel's identity: are they pairwise inequivalent and unitary?")
    return op


def nuclear_blocks(op: bias.FourierOperator, Zv: np.ndarray) -> np.ndarray:
    """``argmin sum_rho d_rho ||b_hat(rho)||_* s.t. Zv b >= 1`` with free blocks (module docstring).

    Returns ``b`` in ``R^n`` (not rescaled).

    Raises
    ------
    NotSeparatedError
        Infeasible (the rows of ``Zv`` are not separable through the origin).
    TrainingError
        The solver failed.
    """
    import cvxpy as cp

    N = Zv.shape[0]
    data = op.forward(Zv)
    cols, layout, off = [], [], 0
    for g, D in zip(op.batches, data):
        wt = (g.weights / op.c)[None, :, None, None]
        size = g.weights.size * g.d * g.d
        cols.append((wt * D.real).reshape(N, size))
        re_off = off
        off += size
        im_off = None
        if not g.real:
            cols.append((wt * D.imag).reshape(N, size))
            im_off, off = off, off + size
        layout.append((g, re_off, im_off))
    A = np.hstack(cols)
    v = cp.Variable(off)
    terms = []
    for g, re_off, im_off in layout:
        d = g.d
        for j, w in enumerate(g.weights):
            P = v[re_off + j * d * d : re_off + (j + 1) * d * d]
            Q = None if im_off is None else v[im_off + j * d * d : im_off + (j + 1) * d * d]
            if d == 1:
                term = cp.abs(P) if Q is None else cp.norm(cp.hstack([P, Q]), 2)
            elif Q is None:
                term = cp.normNuc(cp.reshape(P, (d, d), order="C"))
            else:
                Pm, Qm = cp.reshape(P, (d, d), order="C"), cp.reshape(Q, (d, d), order="C")
                term = cp.normNuc(cp.bmat([[Pm, -Qm], [Qm, Pm]])) / 2
            terms.append(float(w) * term)
    prob = cp.Problem(cp.Minimize(cp.sum(cp.hstack(terms))), [A @ v >= 1])
    x, _ = bias.solve_separable(prob, v, **_CLARABEL)
    blocks = []
    for g, re_off, im_off in layout:
        shape = (g.weights.size, g.d, g.d)
        M = x[re_off : re_off + g.weights.size * g.d * g.d].reshape(shape).astype(complex)
        if im_off is not None:
            M = M + 1j * x[im_off : im_off + g.weights.size * g.d * g.d].reshape(shape)
        blocks.append(M)
    return op.inverse(blocks)


def balanced_gcnn(G: FiniteGroup, op: bias.FourierOperator, b: np.ndarray, depth: int) -> GCNN:
    """A depth-``L`` G-CNN with linearization ``b`` and balanced layers: ``sum ||w_l||^2 = (L/|G|) R(b)``.

    Per block ``M = U S V^H``: the G-CNN's ``beta_hat = v_hat w_hat_{L-1} ... w_hat_1`` gets
    ``v_hat = w_hat_{L-1} = ... = w_hat_2 = (M M^H)^(1/(2L))`` and ``w_hat_1 = U S^(1/L) V^H``
    (``op`` must use the irreps of ``G``, as :func:`lean_operator`).

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.dihedral(4); op = lean_operator(G)
    >>> b = np.arange(8.0) - 3.0
    >>> m = balanced_gcnn(G, op, b, 3)
    >>> bool(np.allclose(m.linearization(), b))
    True
    >>> bool(np.isclose(m.param_norm_sq(), 3 / 8 * bias.objective(b, "schatten", depth=3, group=op)))
    True
    """
    inner, last = [], []
    for M in op.forward(np.asarray(b, dtype=float)):
        U, s, Vh = np.linalg.svd(M)
        r = s ** (1.0 / depth)
        inner.append(np.einsum("kij,kj,klj->kil", U, r, np.conj(U)))
        last.append(np.einsum("kij,kj,kjl->kil", U, r, Vh))
    w_inner = op.inverse(inner)
    return GCNN(G, depth).with_params([op.inverse(last)] + [w_inner.copy() for _ in range(depth - 1)])


def _result(op: bias.FourierOperator, X: np.ndarray, y: np.ndarray, b: np.ndarray, L: int,
            info: tuple[bias.StartInfo, ...]) -> bias.MaxMarginResult:
    b = b / float(np.min(y * (X @ b)))
    R = bias.objective(b, "schatten", depth=L, group=op)
    k = bias.predictor_kkt_residual(b, X, y, "schatten", depth=L, group=op)
    if L <= 2:
        ok = k.residual <= 1e-6 and (k.normal_norm is None or k.normal_norm <= 1 + 1e-6)
        status = "optimal" if ok else "inaccurate"
    else:
        status = "stationary" if k.residual <= 1e-4 else "not_stationary"
    p = 2.0 / L
    return bias.MaxMarginResult(beta=b, objective=R, norm=R ** (1.0 / p), status=status, kkt_residual=k.residual,
                                multipliers=k.multipliers, kind="schatten", depth=L, p=p, convex=L <= 2,
                                starts=info, z=None)


def schatten_problem(X: np.ndarray, y: np.ndarray, depth: int, G: FiniteGroup, op: bias.FourierOperator, *,
                     polish_iter: int = 40, convex: np.ndarray | None = None) -> Problem:
    """The G-CNN's predicted problem (``"schatten"``, depth ``L``) over a large group (module docstring).

    ``L = 2``: the convex optimum of :func:`nuclear_blocks`, or its polish in the factored
    (G-CNN) parameterization when that has a lower objective. ``L >= 3``: the best of the
    factored polishes from the ``L = 2`` optimum and from the SVM (``starts`` records both).
    ``convex``: the ``L = 2`` optimum if already known (:func:`nuclear_blocks` of the same data,
    any positive scale), so that a run over several depths solves the convex problem once.
    """
    Zv = y[:, None] * X
    b1 = nuclear_blocks(op, Zv) if convex is None else np.asarray(convex, dtype=float)
    b1 = b1 / float(np.min(Zv @ b1))
    cands = [("convex", b1)] if depth <= 2 else []
    starts = [("convex", b1)] + ([] if depth <= 2 else [("svm", bias.max_margin(X, y, "l2").beta)])
    for label, b0 in starts:
        pol = polish(balanced_gcnn(G, op, b0, depth), X, y, method="augmented-lagrangian", max_iter=polish_iter)
        cands.append((label if depth > 2 else "convex, factored polish", pol.beta))
    results = [_result(op, X, y, b, depth, ()) for _, b in cands]
    info = [bias.StartInfo(label, r.objective, r.kkt_residual, 0) for (label, _), r in zip(cands, results)]
    best = results[0]
    for r in results[1:]:
        if r.objective < best.objective * (1 - 1e-9) or (
                r.objective <= best.objective * (1 + 1e-9) and r.kkt_residual < best.kkt_residual):
            best = r
    final = _result(op, X, y, best.beta, depth, tuple(info) if depth > 2 else ())
    return Problem("schatten", int(depth), final, op, None)
