"""Tests of training.bias: max-margin problems, certificates and regression potentials.

Expected values come from independent computations: scipy SLSQP / linprog / cvxpy on other
formulations (primal epigraphs, Lagrange duals), closed forms, brute-force parameter-space
minimization with a Cayley table, and gradient-flow integration with scipy.integrate.solve_ivp.
The irreps are built here by hand (characters of C_n; rotation/reflection matrices of D_n), not by
grouptools.
"""

from __future__ import annotations

import cvxpy as cp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad, solve_ivp
from scipy.optimize import brentq, linprog, minimize

from training import NotSeparatedError, ParameterError, ParameterTypeError, ShapeError
from training.bias import (
    fourier_operator,
    predictor_kkt_residual,
    max_margin,
    objective,
    objective_gradient,
    q_alpha,
    q_alpha_minimizer,
    quasi_norm,
    regression_min_norm,
)


# -- hand-made groups ----------------------------------------------------------------------------------------
def dihedral_irreps(n: int) -> list[np.ndarray]:
    """Irreps of D_n (order 2n), element a + n b = r^a s^b; real matrices."""
    a = np.tile(np.arange(n), 2)
    b = np.repeat([0, 1], n)
    irr = [np.ones((2 * n, 1, 1)), ((-1.0) ** b).reshape(-1, 1, 1)]
    if n % 2 == 0:
        irr += [((-1.0) ** a).reshape(-1, 1, 1), ((-1.0) ** (a + b)).reshape(-1, 1, 1)]
    for k in range(1, (n - 1) // 2 + 1 if n % 2 else n // 2):
        th = 2 * np.pi * k * a / n
        R = np.stack([np.stack([np.cos(th), -np.sin(th)], -1), np.stack([np.sin(th), np.cos(th)], -1)], -2)
        F = np.where(b[:, None, None] == 1, np.diag([1.0, -1.0])[None], np.eye(2)[None])
        irr.append(R @ F)
    return [m.astype(complex) for m in irr]


def dihedral_table(n: int) -> np.ndarray:
    """Cayley table of D_n: r^a s^b r^c s^d = r^(a + (-1)^b c) s^(b + d)."""
    a = np.tile(np.arange(n), 2)
    b = np.repeat([0, 1], n)
    A = (a[:, None] + np.where(b[:, None] == 1, -1, 1) * a[None, :]) % n
    return A + n * ((b[:, None] + b[None, :]) % 2)


def cyclic_characters(n: int, sign: int = 1) -> list[np.ndarray]:
    return [np.exp(sign * 2j * np.pi * k * np.arange(n) / n).reshape(n, 1, 1) for k in range(n)]


def separable(seed: int, N: int, D: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    y = np.sign(X @ rng.standard_normal(D))
    return X, y


D8 = dihedral_irreps(4)
D8_TABLE = dihedral_table(4)


def test_hand_made_irreps_are_homomorphisms() -> None:
    for rho in D8 + dihedral_irreps(6):
        n = rho.shape[0]
        T = dihedral_table(n // 2)
        assert np.allclose(rho[T], np.einsum("gij,hjk->ghik", rho, rho))


# -- convex problems against independent solvers ----------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_svm_matches_slsqp(seed: int) -> None:
    X, y = separable(seed, 6, 5)
    Z = y[:, None] * X
    ref = minimize(lambda b: b @ b, np.linalg.lstsq(Z, np.ones(6), rcond=None)[0], jac=lambda b: 2 * b,
                   method="SLSQP", constraints=[{"type": "ineq", "fun": lambda b: Z @ b - 1, "jac": lambda b: Z}],
                   options={"ftol": 1e-15, "maxiter": 500})
    r = max_margin(X, y, "l2")
    assert r.convex and r.status == "optimal"
    np.testing.assert_allclose(r.beta, ref.x, atol=1e-7)
    assert r.objective == pytest.approx(ref.fun, rel=1e-8)
    # depth 1 collapses every architecture to the SVM (Plancherel)
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((5, 5)))
    for kind, kw in [("lp", {}), ("dft", {}), ("transformed", {"transform": Q})]:
        np.testing.assert_allclose(max_margin(X, y, kind, depth=1, **kw).beta, ref.x, atol=1e-7)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_l1_max_margin_matches_linprog(seed: int) -> None:
    X, y = separable(seed, 5, 8)
    Z = y[:, None] * X
    D = 8
    # variables (b, t): min sum t, -t <= b <= t, Z b >= 1
    I = np.eye(D)
    A_ub = np.vstack([np.hstack([I, -I]), np.hstack([-I, -I]), np.hstack([-Z, np.zeros((5, D))])])
    b_ub = np.concatenate([np.zeros(2 * D), -np.ones(5)])
    ref = linprog(np.concatenate([np.zeros(D), np.ones(D)]), A_ub=A_ub, b_ub=b_ub, bounds=(None, None), method="highs")
    r = max_margin(X, y, "lp", depth=2)
    assert r.status == "optimal"
    assert r.objective == pytest.approx(ref.fun, rel=1e-8)
    np.testing.assert_allclose(r.beta, ref.x[:D], atol=1e-7)


def _dual_value(Z: np.ndarray, blocks_of, bound: float) -> float:
    """max 1^T lam s.t. lam >= 0 and every Fourier block of Z^T lam has spectral norm <= bound (SLSQP)."""

    def cons(lam: np.ndarray) -> np.ndarray:
        out = []
        for M in blocks_of(Z.T @ lam):
            if M.shape == (1, 1):
                out.append(bound**2 - abs(M[0, 0]) ** 2)
            else:  # bound^2 I - M^H M is PSD iff its trace and determinant are >= 0 (2 x 2)
                P = bound**2 * np.eye(2) - M.conj().T @ M
                out += [np.trace(P).real, np.linalg.det(P).real]
        return np.array(out)

    best = -np.inf
    for start in (np.zeros(Z.shape[0]), np.full(Z.shape[0], 1e-3)):
        res = minimize(lambda lam: -lam.sum(), start, jac=lambda lam: -np.ones_like(lam), method="SLSQP",
                       bounds=[(0, None)] * Z.shape[0], constraints=[{"type": "ineq", "fun": cons}],
                       options={"ftol": 1e-14, "maxiter": 1000})
        if np.all(cons(res.x) > -1e-9):
            best = max(best, -res.fun)
    return best


@pytest.mark.parametrize("seed", [0, 1])
def test_dft_l1_matches_lagrange_dual(seed: int) -> None:
    # min ||F b||_1 s.t. Z b >= 1 has dual max 1^T lam s.t. lam >= 0, ||F Z^T lam||_inf <= D
    D = 6
    X, y = separable(seed, 3, D)
    Z = y[:, None] * X
    dual = _dual_value(Z, lambda g: [np.array([[v]]) for v in np.fft.fft(g)], float(D))
    r = max_margin(X, y, "dft", depth=2)
    assert r.status == "optimal"
    assert r.objective == pytest.approx(dual, rel=1e-6)
    assert np.min(Z @ r.beta) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", [0, 1])
def test_weighted_nuclear_norm_on_d8(seed: int) -> None:
    # dual of min sum d ||b_hat||_* : max 1^T lam s.t. ||(Z^T lam)^(rho)||_op <= |G| (Plancherel)
    X, y = separable(seed, 4, 8)
    Z = y[:, None] * X
    blocks = lambda g: [np.einsum("g,gij->ij", g, rho) for rho in D8]  # noqa: E731
    dual = _dual_value(Z, blocks, 8.0)
    r = max_margin(X, y, "schatten", depth=2, group=D8)
    assert r.status == "optimal" and r.kkt_residual < 1e-6
    assert r.objective == pytest.approx(dual, rel=1e-6)
    # the same problem with complex, unitarily equivalent 2-dim irreps (real-embedding code path)
    U = np.array([[1, 1j], [1j, 1]]) / np.sqrt(2)
    cplx = D8[:4] + [U @ D8[4] @ U.conj().T]
    rc = max_margin(X, y, "schatten", depth=2, group=cplx)
    assert rc.objective == pytest.approx(r.objective, rel=1e-7)
    np.testing.assert_allclose(rc.beta, r.beta, atol=1e-6)
    # and with cvxpy's complex nuclear norm on a third formulation (blocks as complex expressions)
    b = cp.Variable(8)
    terms = [cp.abs(rho[:, 0, 0].real @ b) for rho in cplx[:4]]
    M = sum(b[g] * cplx[4][g] for g in range(8))
    prob = cp.Problem(cp.Minimize(sum(terms) + 2 * cp.normNuc(M)), [Z @ b >= 1])
    prob.solve(solver=cp.SCS, eps=1e-9, max_iters=200000)
    assert prob.value == pytest.approx(r.objective, rel=1e-4)


def _conv(a: np.ndarray, b: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Group convolution (a * b)(u) = sum_{st = u} a(s) b(t) from a Cayley table."""
    out = np.zeros(a.size)
    np.add.at(out, T.ravel(), np.outer(a, b).ravel())
    return out


def _left(a: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Matrix of b -> a * b."""
    M = np.zeros((a.size, a.size))
    np.add.at(M, (T.ravel(), np.tile(np.arange(a.size), a.size)), np.repeat(a, a.size))
    return M


def _right(b: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Matrix of a -> a * b."""
    M = np.zeros((b.size, b.size))
    np.add.at(M, (T.ravel(), np.repeat(np.arange(b.size), b.size)), np.tile(b, b.size))
    return M


@pytest.mark.parametrize("L", [2, 3])
def test_induced_regularizer_of_gcnn_on_d8(L: int) -> None:
    # Lawrence et al. 2022 (the G-CNN result): min{sum ||w_l||^2 : w_1 * ... * w_L = beta} = (L/|G|) sum d ||beta_hat||_{S,2/L}^{2/L},
    # the left side by brute-force local minimization over the filters (best of several starts)
    rng = np.random.default_rng(L)
    n, T = 8, D8_TABLE
    beta = rng.standard_normal(n)

    def cons(x: np.ndarray) -> np.ndarray:
        ws = x.reshape(L, n)
        out = ws[0]
        for w in ws[1:]:
            out = _conv(out, w, T)
        return out - beta

    def jac(x: np.ndarray) -> np.ndarray:
        ws = x.reshape(L, n)
        blocks = []
        for l in range(L):
            left = np.eye(n)
            if l > 0:
                pre = ws[0]
                for w in ws[1:l]:
                    pre = _conv(pre, w, T)
                left = _left(pre, T)
            right = np.eye(n)
            if l < L - 1:
                post = ws[l + 1]
                for w in ws[l + 2 :]:
                    post = _conv(post, w, T)
                right = _right(post, T)
            blocks.append(left @ right)
        return np.hstack(blocks)

    best = np.inf
    for _ in range(6):
        r = minimize(lambda x: (x @ x, 2 * x), rng.standard_normal(L * n), jac=True, method="SLSQP",
                     constraints=[{"type": "eq", "fun": cons, "jac": jac}], options={"ftol": 1e-14, "maxiter": 500})
        if np.linalg.norm(cons(r.x)) < 1e-9:
            best = min(best, r.fun)
    assert best == pytest.approx(L / n * objective(beta, "schatten", depth=L, group=D8), rel=1e-6)


def test_transformed_l1_matches_linprog() -> None:
    X, y = separable(3, 4, 6)
    Q, _ = np.linalg.qr(np.random.default_rng(3).standard_normal((6, 6)))
    S = Q[:5]  # 5 x 6, orthonormal rows
    Zt = (y[:, None] * X) @ S.T
    m = 5
    I = np.eye(m)
    A_ub = np.vstack([np.hstack([I, -I]), np.hstack([-I, -I]), np.hstack([-Zt, np.zeros((4, m))])])
    b_ub = np.concatenate([np.zeros(2 * m), -np.ones(4)])
    ref = linprog(np.concatenate([np.zeros(m), np.ones(m)]), A_ub=A_ub, b_ub=b_ub, bounds=(None, None), method="highs")
    r = max_margin(X, y, "transformed", depth=2, transform=S)
    assert r.objective == pytest.approx(ref.fun, rel=1e-8)
    np.testing.assert_allclose(r.z, ref.x[:m], atol=1e-7)
    np.testing.assert_allclose(r.beta, S.T @ ref.x[:m], atol=1e-7)
    assert objective(r.beta, "transformed", depth=2, transform=S) == pytest.approx(ref.fun, rel=1e-8)


# -- objective values, gradients, abelian consistency -----------------------------------------------------------
def test_objective_closed_forms() -> None:
    b = np.array([1.0, -2.0, 0.0, 3.0])
    assert objective(b, "l2", depth=5) == pytest.approx(14.0)
    assert objective(b, "lp", depth=3) == pytest.approx(1 + 2 ** (2 / 3) + 3 ** (2 / 3))
    F = np.exp(-2j * np.pi * np.outer(np.arange(4), np.arange(4)) / 4)  # explicit DFT matrix
    assert objective(b, "dft", depth=4) == pytest.approx(np.sum(np.abs(F @ b) ** 0.5))
    assert quasi_norm(b, "dft", depth=4) == pytest.approx(np.sum(np.abs(F @ b) ** 0.5) ** 2)
    # Schatten on D8 from explicitly summed blocks and numpy singular values
    beta = np.arange(8.0) - 3
    expected = sum(rho.shape[1] * np.sum(np.linalg.svd(np.einsum("g,gij->ij", beta, rho), compute_uv=False) ** (2 / 3))
                   for rho in D8)
    assert objective(beta, "schatten", depth=3, group=D8) == pytest.approx(expected)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), depth=st.integers(1, 5), sign=st.sampled_from([1, -1]), n=st.integers(2, 9))
def test_schatten_on_cyclic_group_equals_dft(seed: int, depth: int, sign: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    chars = cyclic_characters(n, sign)
    perm = rng.permutation(n)
    chars = [chars[i] for i in perm]  # any order of the characters
    beta = rng.standard_normal(n)
    assert objective(beta, "schatten", depth=depth, group=chars) == pytest.approx(objective(beta, "dft", depth=depth), rel=1e-10)


def test_max_margin_schatten_on_cyclic_group_equals_dft() -> None:
    X, y = separable(5, 3, 6)
    chars = cyclic_characters(6, 1)
    for L in (2, 3):
        a = max_margin(X, y, "schatten", depth=L, group=chars, starts=4)
        b = max_margin(X, y, "dft", depth=L, starts=4)
        assert a.objective == pytest.approx(b.objective, rel=1e-6)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6), depth=st.integers(1, 4), kind=st.sampled_from(["lp", "dft", "schatten", "transformed", "l2"]))
def test_gradient_matches_finite_differences(seed: int, depth: int, kind: str) -> None:
    rng = np.random.default_rng(seed)
    beta = rng.standard_normal(8)  # generic: every block has full rank, entries nonzero
    S = rng.standard_normal((8, 8))
    kw = {"group": D8} if kind == "schatten" else {"transform": S} if kind == "transformed" else {}
    g = objective_gradient(beta, kind, depth=depth, **kw)
    d = rng.standard_normal(8)
    h = 1e-6
    fd = (objective(beta + h * d, kind, depth=depth, **kw) - objective(beta - h * d, kind, depth=depth, **kw)) / (2 * h)
    assert g @ d == pytest.approx(fd, rel=1e-5, abs=1e-6)


def test_gradient_on_rank_deficient_blocks_along_the_manifold() -> None:
    # beta whose 2-dim D8 block has rank 1; move along a curve that keeps the rank
    rng = np.random.default_rng(4)
    op = fourier_operator(D8)
    blocks = op.blocks(rng.standard_normal(8))
    u, v = rng.standard_normal(2), rng.standard_normal(2)
    blocks[4] = np.outer(u, v).astype(complex)
    beta = np.real(sum(rho.shape[1] * np.einsum("ij,gij->g", B, rho.conj()) for B, rho in zip(blocks, D8))) / 8
    assert np.linalg.matrix_rank(op.blocks(beta)[4], tol=1e-9) == 1
    du, dv = rng.standard_normal(2), rng.standard_normal(2)
    dscalar = rng.standard_normal(4)

    def curve(t: float) -> np.ndarray:
        bl = [blocks[k] + t * dscalar[k] for k in range(4)] + [np.outer(u + t * du, v + t * dv).astype(complex)]
        return np.real(sum(rho.shape[1] * np.einsum("ij,gij->g", B, rho.conj()) for B, rho in zip(bl, D8))) / 8

    h = 1e-6
    fd = (objective(curve(h), "schatten", depth=3, group=D8) - objective(curve(-h), "schatten", depth=3, group=D8)) / (2 * h)
    tangent = (curve(h) - curve(-h)) / (2 * h)
    g = objective_gradient(beta, "schatten", depth=3, group=D8)
    assert g @ tangent == pytest.approx(fd, rel=1e-5)


# -- KKT certificates --------------------------------------------------------------------------------------------
CASES = [("lp", {}, 10), ("dft", {}, 8), ("schatten", {"group": D8}, 8)]


@pytest.mark.parametrize("kind,kw,D", CASES)
def test_convex_optimum_is_certified_and_random_point_is_not(kind: str, kw: dict, D: int) -> None:
    X, y = separable(11, 4, D)
    r = max_margin(X, y, kind, depth=2, **kw)
    k = predictor_kkt_residual(r.beta, X, y, kind, depth=2, **kw)
    assert k.residual < 1e-6 and r.kkt_residual < 1e-6
    assert k.normal_norm is not None and k.normal_norm <= 1 + 1e-6
    assert np.all(k.multipliers >= 0) and set(np.flatnonzero(k.multipliers)) <= set(k.active)
    rng = np.random.default_rng(0)
    for _ in range(3):
        svm = max_margin(X, y, "l2").beta
        b = svm + 0.5 * np.linalg.norm(svm) * rng.standard_normal(D) / np.sqrt(D)
        if np.min(y * (X @ b)) <= 0:
            continue
        assert predictor_kkt_residual(b, X, y, kind, depth=2, **kw).residual > 0.05
        assert predictor_kkt_residual(b, X, y, kind, depth=3, **kw).residual > 0.05


def test_svm_certificate_and_multipliers() -> None:
    X, y = separable(2, 5, 4)
    r = max_margin(X, y, "l2")
    k = predictor_kkt_residual(r.beta, X, y, "l2", depth=1)
    assert k.residual < 1e-10
    np.testing.assert_allclose(2 * r.beta, (k.multipliers * y) @ X, atol=1e-9)  # grad ||b||^2 = sum lam y x


@pytest.mark.parametrize("kind,kw,D", CASES + [("schatten", {"group": dihedral_irreps(6)}, 12)])
def test_nonconvex_solutions_are_stationary_local_minima(kind: str, kw: dict, D: int) -> None:
    X, y = separable(7, 4, D)
    r = max_margin(X, y, kind, depth=3, starts=4, **kw)
    assert not r.convex and r.status == "stationary" and r.kkt_residual < 1e-3
    assert len(r.starts) == 4 and r.objective == pytest.approx(min(s.objective for s in r.starts))
    assert np.min(y * (X @ r.beta)) == pytest.approx(1.0, abs=1e-12)
    assert r.norm == pytest.approx(r.objective ** 1.5)
    # independent check of local minimality: feasible perturbations (rescaled to margin 1) do not decrease R
    rng = np.random.default_rng(1)
    R0 = objective(r.beta, kind, depth=3, **kw)
    for _ in range(200):
        b = r.beta + 1e-5 * rng.standard_normal(D)
        b = b / np.min(y * (X @ b))
        assert objective(b, kind, depth=3, **kw) >= R0 - 1e-9


@settings(max_examples=15, deadline=None)
@given(scale=st.floats(1e-3, 1e3), kind=st.sampled_from(["lp", "dft", "schatten"]), depth=st.integers(1, 4))
def test_residual_is_invariant_under_rescaling(scale: float, kind: str, depth: int) -> None:
    X, y = separable(11, 4, 8)
    kw = {"group": D8} if kind == "schatten" else {}
    b = max_margin(X, y, "l2").beta + 0.1 * np.arange(8) / 8
    k1 = predictor_kkt_residual(b, X, y, kind, depth=depth, **kw)
    k2 = predictor_kkt_residual(scale * b, X, y, kind, depth=depth, **kw)
    assert k2.residual == pytest.approx(k1.residual, rel=1e-7, abs=1e-12)
    assert k2.scale == pytest.approx(scale * k1.scale)


def test_stationary_point_moved_along_its_manifold_is_not_stationary() -> None:
    X, y = separable(7, 4, 10)
    r = max_margin(X, y, "lp", depth=3, starts=3)
    supp = np.flatnonzero(np.abs(r.beta) > 1e-9)
    b = r.beta.copy()
    b[supp] *= 1 + 0.2 * np.random.default_rng(0).standard_normal(supp.size)
    assert predictor_kkt_residual(b, X, y, "lp", depth=3).residual > 1e-2


# -- errors ----------------------------------------------------------------------------------------------------------
def test_errors() -> None:
    X, y = separable(0, 3, 4)
    with pytest.raises(ParameterError):
        max_margin(X, y, "l3")
    with pytest.raises(ParameterError):
        max_margin(X, y, "lp", depth=0)
    with pytest.raises(ParameterError):
        max_margin(X, y, "schatten")
    with pytest.raises(ParameterError):
        max_margin(X, y, "transformed")
    with pytest.raises(ParameterError):
        max_margin(X, np.array([1.0, 2.0, -1.0]), "l2")
    with pytest.raises(ShapeError):
        max_margin(X, y[:2], "l2")
    with pytest.raises(ShapeError):
        max_margin(X, y, "schatten", group=D8)  # |G| = 8 but D = 4
    with pytest.raises(ParameterTypeError):
        objective(np.ones(4), "schatten", depth=2, group=42)
    with pytest.raises(NotSeparatedError):
        max_margin(np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([1.0, -1.0]), "lp")
    with pytest.raises(NotSeparatedError):
        predictor_kkt_residual(-max_margin(X, y, "l2").beta, X, y, "l2", depth=1)
    with pytest.raises(ShapeError):
        fourier_operator([np.ones((8, 1, 1))])  # incomplete set of irreps


# -- regression -------------------------------------------------------------------------------------------------------
def _reg_data(seed: int, N: int = 3, D: int = 6) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N, D))
    z = np.zeros(D)
    z[:2] = [1.5, -1.0]  # a sparse teacher
    return X, X @ z


def test_min_norm_interpolants() -> None:
    X, y = _reg_data(0)
    r2 = regression_min_norm(X, y, "l2")
    np.testing.assert_allclose(r2.beta, np.linalg.pinv(X) @ y, atol=1e-10)
    w = np.array([1.0, 2.0, 3.0, 1.0, 0.5, 1.5])
    r1 = regression_min_norm(X, y, "l1", weights=w)
    b = cp.Variable(6)
    prob = cp.Problem(cp.Minimize(w @ cp.abs(b)), [X @ b == y])
    prob.solve(solver=cp.CLARABEL)
    assert r1.objective == pytest.approx(prob.value, rel=1e-7)
    np.testing.assert_allclose(r1.beta, b.value, atol=1e-6)
    assert r1.residual < 1e-8


@pytest.mark.parametrize("L", [2, 3, 4])
def test_q_potential_matches_quadrature(L: int) -> None:
    if L == 2:
        h_inv = lambda t: np.arcsinh(t / 2)  # noqa: E731
    else:
        k = L / (L - 2)
        h = lambda s: (1 - s) ** (-k) - (1 + s) ** (-k)  # noqa: E731
        h_inv = lambda t: np.sign(t) * brentq(lambda s: h(s) - abs(t), 0, 1 - 1e-15, xtol=1e-15)  # noqa: E731
    for x in [0.3, -2.0, 7.5]:
        ref = quad(h_inv, 0, x, epsabs=1e-12)[0]
        assert q_alpha(np.array([x]), 1.0, L) == pytest.approx(ref, rel=1e-8)
    # alpha scaling: Q = alpha^L q(z / alpha^L), and the brief's closed form for L = 2
    assert q_alpha(np.array([0.7, -1.2]), 0.5, L) == pytest.approx(
        0.5**L * sum(q_alpha(np.array([v / 0.5**L]), 1.0, L) for v in (0.7, -1.2)))
    if L == 2:
        u = 3.0
        assert q_alpha(np.array([u]), 1.0, 2) == pytest.approx(2 - np.sqrt(4 + u**2) + u * np.arcsinh(u / 2))


@pytest.mark.parametrize("L", [2, 3])
def test_q_alpha_limits(L: int) -> None:
    X, y = _reg_data(1)
    l1 = regression_min_norm(X, y, "l1").beta
    l2 = regression_min_norm(X, y, "l2").beta
    small = q_alpha_minimizer(X, y, 1e-6, L).beta
    large = q_alpha_minimizer(X, y, 1e4, L).beta
    assert np.linalg.norm(small - l1) < 0.05 * np.linalg.norm(l1)
    assert np.linalg.norm(large - l2) < 1e-4 * np.linalg.norm(l2)
    # in between: strictly between the two in l1 norm
    mid = q_alpha_minimizer(X, y, 0.5, L).beta
    assert np.abs(l1).sum() < np.abs(mid).sum() < np.abs(l2).sum()


@pytest.mark.parametrize("L", [2, 3])
def test_q_alpha_with_coordinate_scales_tends_to_weighted_l2(L: int) -> None:
    # Q ~ sum_j z_j^2 / (2 h'(0) alpha_j^L) for large alpha: the weighted l2 interpolant, weights alpha_j^-L
    X, y = _reg_data(4)
    scales = np.array([1.0, 2.0, 0.5, 1.5, 3.0, 1.0])
    alpha = 1e3 * scales
    ref = regression_min_norm(X, y, "l2", weights=scales ** (-L)).beta
    np.testing.assert_allclose(q_alpha_minimizer(X, y, alpha, L).beta, ref, atol=1e-5)
    assert not np.allclose(ref, regression_min_norm(X, y, "l2").beta, atol=1e-2)


def _gradient_flow(Xt: np.ndarray, y: np.ndarray, alpha: float, L: int, T: float) -> np.ndarray:
    """Integrate gradient flow of (1/2)||Xt (u^L - v^L) - y||^2 from u = v = alpha."""
    m = Xt.shape[1]

    def rhs(_t: float, s: np.ndarray) -> np.ndarray:
        u, v = s[:m], s[m:]
        g = Xt.T @ (Xt @ (u**L - v**L) - y)
        return np.concatenate([-L * u ** (L - 1) * g, L * v ** (L - 1) * g])

    sol = solve_ivp(rhs, (0, T), np.full(2 * m, alpha), method="LSODA", rtol=1e-10, atol=1e-12)
    u, v = sol.y[:m, -1], sol.y[m:, -1]
    return u**L - v**L


@pytest.mark.parametrize("L,alpha", [(2, 0.3), (3, 0.5), (4, 0.6)])
def test_q_alpha_minimizer_is_the_gradient_flow_limit(L: int, alpha: float) -> None:
    X, y = _reg_data(2, N=2, D=4)
    z = _gradient_flow(X, y, alpha, L, 400.0)
    assert np.linalg.norm(X @ z - y) < 1e-6
    np.testing.assert_allclose(q_alpha_minimizer(X, y, alpha, L).beta, z, atol=1e-5)


def test_q_alpha_with_transform_is_the_tensor_network_limit() -> None:
    X, y = _reg_data(3, N=2, D=4)
    S = np.linalg.qr(np.random.default_rng(3).standard_normal((4, 4)))[0]
    z = _gradient_flow(X @ S.T, y, 0.4, 2, 400.0)
    r = q_alpha_minimizer(X, y, 0.4, 2, transform=S)
    np.testing.assert_allclose(r.z, z, atol=1e-5)
    np.testing.assert_allclose(r.beta, S.T @ z, atol=1e-5)
    assert r.residual < 1e-8


def test_regression_errors() -> None:
    X, y = _reg_data(0)
    with pytest.raises(ParameterError):
        regression_min_norm(X, y, "q_alpha")
    with pytest.raises(ParameterError):
        regression_min_norm(X, y, "l3")
    with pytest.raises(ParameterError):
        q_alpha_minimizer(X, y, -1.0, 2)
    with pytest.raises(ParameterError):
        regression_min_norm(np.vstack([X, X[:1]]), np.append(y, 0.0), "l2")  # not full row rank
