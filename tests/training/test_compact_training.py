"""Tests of the band-limited linear G-CNNs (training.models.bandlimited), their predicted bias
(training.bias.bandlimited), the spherical CNN, and the experiments spherical_local and
bandlimited_linear.

Expected values come from the defining integrals (quadrature on exact grids), finite differences,
independent convex programs written here, and the variational formula of the Schatten quasi-norm.
"""

from __future__ import annotations

import math

import cvxpy as cp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import training
from grouptools import compact as gc
from training._errors import ParameterError, ParameterTypeError, ShapeError
from training.bias.bandlimited import (
    bandlimited_kkt_certificate,
    bandlimited_max_margin,
    bandlimited_operator,
    schatten_objective,
)
from training.models import BandLimitedGCNN, SphericalCNN
from training.models.bandlimited import balanced_params

FAST = settings(max_examples=10, deadline=None, database=None)
GROUPS = [("so3", 3), ("o2", 3), ("so2", 4)]


def _fd_params(model, X, g, eps=1e-6):
    w0 = model.flat_params()
    out = np.empty_like(w0)
    for i in range(w0.size):
        e = np.zeros_like(w0)
        e[i] = eps
        out[i] = (g @ model.with_flat_params(w0 + e).forward(X) - g @ model.with_flat_params(w0 - e).forward(X)) / (2 * eps)
    return out


# -- the linear model -------------------------------------------------------------------------------------
@pytest.mark.parametrize("group,B", GROUPS)
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_model_linearization_and_gradients(group, B, depth):
    m = BandLimitedGCNN(group, B, depth=depth, seed=depth)
    rng = np.random.default_rng(7)
    X = rng.standard_normal((4, m.input_dim))
    g = rng.standard_normal(4)
    beta = m.linearization()
    assert np.abs(m.forward(np.eye(m.input_dim)) - beta).max() < 1e-12
    assert np.abs(m.forward(X) - X @ beta).max() < 1e-12
    assert np.abs(m.flat_grad(X, g) - _fd_params(m, X, g)).max() < 1e-7


def test_model_layer_is_the_so3_correlation():
    # h = x star w, (x star w)(g) = int w(u) x(g u) du, by quadrature on an exact grid
    B = 3
    m = BandLimitedGCNN("so3", B, depth=2, seed=3)
    S = m.space
    rng = np.random.default_rng(0)
    x = rng.standard_normal(S.dim)
    h = m.layer_blocks(x[None])[1]
    xb, wb = S.to_blocks(x), S.to_blocks(m.params[0])
    grid = gc.so3_grid(B, "gauss")
    U = gc.rotation_matrix(*grid.angles()).reshape(-1, 3, 3)
    w_u = gc.so3_evaluate(wb, *gc.euler_angles(U))
    for _ in range(3):
        ang = rng.uniform(0, 3, 3)
        x_gu = gc.so3_evaluate(xb, *gc.euler_angles(gc.rotation_matrix(*ang) @ U))
        direct = float(np.sum(grid.weights.reshape(-1) * w_u * x_gu))
        assert abs(direct - float(gc.so3_evaluate([b[0] for b in h], *ang))) < 1e-10


def test_model_layer_is_the_so2_and_o2_correlation():
    rng = np.random.default_rng(1)
    # SO(2): (x star w)(t) = (1/2pi) int w(u) x(t + u) du, exact on 4B points
    B = 3
    m = BandLimitedGCNN("so2", B, depth=2, seed=0)
    x = rng.standard_normal(m.input_dim)
    n = 4 * B

    def samples(coords, shift=0.0):
        c = [b[0, 0] for b in m.space.to_blocks(coords)]
        full = np.array([np.conj(v) for v in c[:0:-1]] + c)  # c_{-k} = conj(c_k)
        k = np.arange(-(B - 1), B)
        t = 2 * np.pi * np.arange(n) / n + shift
        return (np.exp(-1j * np.outer(t, k)) @ full).real

    h = m.layer_blocks(x[None])[1]
    hx = m.space.from_blocks([b[0] for b in h])
    w_u = samples(m.params[0])
    for t in (0.0, 0.7, 2.1):
        direct = np.mean(w_u * samples(x, t))
        assert abs(direct - samples(hx, t)[0]) < 1e-12
    # O(2): int w(u) x(g u) du over both sheets
    m = BandLimitedGCNN("o2", B, depth=2, seed=0)
    x = rng.standard_normal(m.input_dim)
    h = m.space.from_blocks([b[0] for b in m.layer_blocks(x[None])[1]])
    dims = [1, 1] + [2] * (B - 1)

    def value(coords, t, s):
        return sum(d * np.einsum("...ab,ab->...", r, F) for d, r, F in zip(dims, gc.o2_irreps(B, t, s), m.space.to_blocks(coords)))

    tt = 2 * np.pi * np.arange(n) / n
    for g in ((0.3, 0), (1.9, 1)):
        total = 0.0
        for su in (0, 1):
            ut, us = gc.o2_multiply(g, (tt, np.full(n, su)))
            total += np.mean(value(m.params[0], tt, np.full(n, su)) * value(x, ut, us)) / 2
        assert abs(total - value(h, *g)) < 1e-12


def test_model_is_equivariant_so3():
    # left-translating x, (L_g x)(u) = x(g^-1 u) (blocks X -> D_real(g) X), left-translates the hidden layer
    m = BandLimitedGCNN("so3", 3, depth=3, seed=4)
    rng = np.random.default_rng(2)
    x = rng.standard_normal(m.input_dim)
    ang = (0.3, 1.2, 2.0)
    xr = m.space.from_blocks([gc.wigner_D_real(l, *ang) @ b for l, b in enumerate(m.space.to_blocks(x))])
    g = gc.rotation_matrix(*ang)
    for _ in range(3):  # the block map is the left translation: xr(u) = x(g^-1 u)
        u = gc.rotation_matrix(*rng.uniform(0, 3, 3))
        val_r = gc.so3_evaluate(m.space.to_blocks(xr), *gc.euler_angles(u))
        val = gc.so3_evaluate(m.space.to_blocks(x), *gc.euler_angles(g.T @ u))
        assert abs(float(val_r) - float(val)) < 1e-10
    H, Hr = m.layer_blocks(x[None]), m.layer_blocks(xr[None])
    for l, (a, b) in enumerate(zip(H[2], Hr[2])):
        assert np.abs(gc.wigner_D_real(l, *ang) @ a[0] - b[0]).max() < 1e-12


# -- the predicted bias ------------------------------------------------------------------------------------
@FAST
@given(st.sampled_from(GROUPS), st.integers(2, 4), st.integers(0, 2**31 - 1))
def test_balanced_factorization_is_the_minimum(gb, L, seed):
    group, B = gb
    m = BandLimitedGCNN(group, B, depth=L, seed=seed % 1000)
    beta = m.linearization()
    R = schatten_objective(beta, m.space, L)
    bal = m.with_params(balanced_params(beta, m.space, L))
    assert np.abs(bal.linearization() - beta).max() < 1e-10 * max(1.0, np.abs(beta).max())
    assert abs(bal.param_norm_sq() - L * R) < 1e-9 * max(1.0, L * R)
    assert m.param_norm_sq() >= L * R * (1 - 1e-12)  # any factorization costs at least L R


def test_schatten_objective_from_independent_fourier_transforms():
    rng = np.random.default_rng(3)
    # SO(2): R = sum_{|k| < B} |c_k|^p with c_k from the FFT of samples
    B, L = 4, 3
    S = gc.so2_space(B)
    x = rng.standard_normal(S.dim)
    c = [b[0, 0] for b in S.to_blocks(x)]
    full = np.array([np.conj(v) for v in c[:0:-1]] + c)
    f = gc.so2_inverse(full, 2 * B).real
    ck = np.fft.ifft(f)[np.arange(-(B - 1), B) % (2 * B)]
    assert abs(schatten_objective(x, S, L) - np.sum(np.abs(ck) ** (2 / L))) < 1e-12
    # SO(3): blocks from samples, weights 2l+1
    B = 3
    S = gc.so3_space(B)
    x = rng.standard_normal(S.dim)
    grid = gc.so3_grid(B)
    F = gc.so3_forward(gc.so3_evaluate(S.to_blocks(x), *grid.angles()), grid)
    expect = sum((2 * l + 1) * np.sum(np.linalg.svd(Fl, compute_uv=False) ** 1.0) for l, Fl in enumerate(F))
    assert abs(schatten_objective(x, S, 2) - expect) < 1e-10


@pytest.mark.parametrize("group,B", GROUPS)
def test_bandlimited_operator_plancherel(group, B):
    op = bandlimited_operator(group, B)
    n = op.n
    assert op.c == float(n)
    eye = np.eye(n)
    assert np.abs(op.inverse(op.forward(eye)) - eye).max() < 1e-12
    x = np.random.default_rng(0).standard_normal(n)
    R_op = training.bias.objective(x, "schatten", depth=2, group=op)
    assert abs(R_op - math.sqrt(n) * schatten_objective(x, group, 2, bandlimit=B)) < 1e-9 * R_op


def _independent_nuclear(X, y, space):
    """min sum_l w_l ||B_l||_* s.t. margins >= 1, written directly on the blocks (cvxpy)."""
    b = cp.Variable(space.dim)
    terms = []
    for spec, a, e in zip(space.specs, space.offsets[:-1], space.offsets[1:]):
        v = b[int(a):int(e)] / math.sqrt(spec.weight)
        if spec.pair:
            terms.append(spec.weight * cp.norm(v, 2))  # |c_k|, counted for k and -k
        elif spec.rows == 1:
            terms.append(spec.weight * cp.abs(v[0]))
        else:
            terms.append(spec.weight * cp.normNuc(cp.reshape(v, (spec.rows, spec.cols), order="C")))
    prob = cp.Problem(cp.Minimize(cp.sum(cp.hstack(terms))), [cp.multiply(y, X @ b) >= 1])
    prob.solve(solver=cp.CLARABEL)
    return prob.value


@pytest.mark.parametrize("group,B", [("so3", 3), ("o2", 3), ("so2", 4)])
def test_bandlimited_max_margin_matches_independent_convex_program(group, B):
    space = gc.block_space(group, B)
    rng = np.random.default_rng(11)
    X = rng.standard_normal((5, space.dim))
    y = np.array([1.0, -1.0, 1.0, -1.0, 1.0])
    r = bandlimited_max_margin(X, y, space, 2)
    assert r.status == "optimal" and r.convex
    assert abs(r.objective - _independent_nuclear(X, y, space)) < 1e-6 * r.objective
    assert abs(np.min(y * (X @ r.beta)) - 1) < 1e-9
    k = bandlimited_kkt_certificate(r.beta, X, y, space, 2)
    assert k.residual < 1e-6 and k.normal_norm <= 1 + 1e-6
    # a non-optimal separating predictor is not certified
    svm = training.bias.max_margin(X, y, "l2").beta
    assert bandlimited_kkt_certificate(svm, X, y, space, 2).residual > 1e-3 or bandlimited_kkt_certificate(svm, X, y, space, 2).normal_norm > 1 + 1e-3


def test_gradient_descent_reaches_the_prediction():
    space = gc.so3_space(2)
    rng = np.random.default_rng(5)
    X = rng.standard_normal((4, space.dim))
    y = np.array([1.0, -1.0, 1.0, -1.0])
    target = bandlimited_max_margin(X, y, space, 2)
    res = training.fit(BandLimitedGCNN(space, depth=2, init_scale=0.5, seed=1), X, y, steps=1500, lr=0.1,
                       normalized=True, progress=False)
    pol = training.polish(res.model, X, y)
    assert pol.success
    b = pol.beta / np.min(y * (X @ pol.beta))
    assert abs(schatten_objective(b, space, 2) / target.objective - 1) < 1e-6
    assert bandlimited_kkt_certificate(b, X, y, space, 2).residual < 1e-6
    assert abs(pol.objective - 2 * schatten_objective(pol.beta, space, 2)) < 1e-8 * pol.objective


# -- the spherical CNN --------------------------------------------------------------------------------------
def test_spherical_cnn_gradients_against_finite_differences():
    net = SphericalCNN(3, (2, 3), grid="soft", seed=0)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((3, 9))
    g = rng.standard_normal(3)
    grads, dX = net.backward(X, g)
    eps = 1e-6
    for pi in (0, 2, 3, 4, 6, 7, 8, 9):  # psi1_0, psi1_2, b1, psi2_0, psi2_2, b2, v, b0
        p = net.params[pi]
        for idx in list(np.ndindex(p.shape))[:12]:
            old = p[idx]
            p[idx] = old + eps
            fp = g @ net.forward(X)
            p[idx] = old - eps
            fm = g @ net.forward(X)
            p[idx] = old
            assert abs((fp - fm) / (2 * eps) - grads[pi][idx]) < 1e-7
    for idx in np.ndindex(X.shape):
        Xp, Xm = X.copy(), X.copy()
        Xp[idx] += eps
        Xm[idx] -= eps
        assert abs((g @ net.forward(Xp) - g @ net.forward(Xm)) / (2 * eps) - dX[idx]) < 1e-7
    assert np.abs(net.input_gradient(X[:1])[0] - net.backward(X[:1], np.ones(1))[1][0]).max() < 1e-14


def test_spherical_cnn_first_layer_and_invariance():
    B = 4
    net = SphericalCNN(B, (2, 2), grid_bandlimit=6, seed=2)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((1, B * B))
    # layer 1 equals the S^2 -> SO(3) correlation with filter psi1_c, on the grid
    c = net._forward(x)
    f = [x[0, l * l : (l + 1) ** 2] for l in range(B)]
    psi = [net.params[l][0] for l in range(B)]
    z = gc.so3_inverse(gc.s2_so3_correlate(f, psi), net.grid, real=True).reshape(-1)
    assert np.abs(c["z1"][0, 0] - z).max() < 1e-12
    # approximately invariant (ReLU on a finite grid), unlike a generic function of x
    T = (0.5, 1.0, 2.5)
    xr = np.concatenate([x[:, l * l : (l + 1) ** 2] @ gc.wigner_D_real(l, *T).T for l in range(B)], axis=1)
    assert abs(net.forward(x)[0] - net.forward(xr)[0]) < 0.05 * abs(net.forward(x)[0]) + 1e-3


# -- experiments ----------------------------------------------------------------------------------------------
def test_bandlimited_linear_tiny(tmp_path):
    from training.experiments import bandlimited_linear as E

    m = E.run(E.TINY)
    run = m["runs"]["L=2"]["G-CNN"]
    assert run["polished"]["ratio"] == pytest.approx(1.0, abs=1e-3)
    assert run["polished"]["kkt"] < 1e-4
    assert m["runs"]["L=2"]["FC"]["cross"]["schatten"]["polished"] > 1.0
    assert len(m["rows"]) == 2 and m["summary"]
    E.plot(m, tmp_path / "b.png")
    assert (tmp_path / "b.png").stat().st_size > 1000


def test_spherical_local_tiny(tmp_path):
    from training.experiments import spherical_local as E

    m = E.run(E.TINY)
    assert set(m["accuracy"]) == {"spherical CNN", "planar CNN", "FC"}
    for name, e in m["degree_energy"].items():
        assert abs(float(np.sum(e)) - 1) < 1e-12
        assert m["fourier_ratio"][name]["mean"] >= 1.0 and 0 < m["real_space_ratio"][name]["mean"] <= 1.0
    E.plot(m, tmp_path / "s.png")
    assert (tmp_path / "s.png").stat().st_size > 1000


def test_baselines_gradients():
    from training.experiments.spherical_local import FCNet, PlanarCNN

    rng = np.random.default_rng(4)
    X = rng.standard_normal((2, 9))
    g = rng.standard_normal(2)
    for net in (FCNet(9, 5, 0), PlanarCNN(3, 2, 0)):
        grads, dX = net.backward(X, g)
        eps = 1e-6
        for pi, p in enumerate(net.params):
            for idx in list(np.ndindex(p.shape))[:6]:
                old = p[idx]
                p[idx] = old + eps
                fp = g @ net.forward(X)
                p[idx] = old - eps
                fm = g @ net.forward(X)
                p[idx] = old
                assert abs((fp - fm) / (2 * eps) - grads[pi][idx]) < 1e-7
        E = np.eye(9) * eps
        fd = np.stack([(g @ net.forward(X + E[i]) - g @ net.forward(X - E[i])) / (2 * eps) for i in range(9)])
        assert np.abs(fd - dX.sum(axis=0)).max() < 1e-7


def test_projection_of_a_constant_image():
    from training.experiments.spherical_local import degree_norms, project_digit

    x = project_digit(np.ones((1, 8, 8)), 4)
    # the image is symmetric under the rotation by pi/2 about z: only m = 0 mod 4 harmonics
    n = degree_norms(x, 4)[0]
    assert n[0] > 0 and np.all(np.isfinite(n))
    Q = gc.rotation_subgroup("cyclic", 4)
    xr = x.copy()
    a, b, c = gc.euler_angles(Q.matrices[1])
    for l in range(4):
        xr[0, l * l : (l + 1) ** 2] = gc.wigner_D_real(l, a, b, c) @ x[0, l * l : (l + 1) ** 2]
    assert np.abs(xr - x).max() < 1e-6 * np.abs(x).max()


# -- errors --------------------------------------------------------------------------------------------------
def test_errors():
    with pytest.raises(ParameterTypeError):
        BandLimitedGCNN("so4", 3)
    with pytest.raises(ParameterError):
        BandLimitedGCNN("so3", None)
    with pytest.raises(ParameterTypeError):
        BandLimitedGCNN(gc.s2_space(3))
    with pytest.raises(ShapeError):
        schatten_objective(np.zeros(3), "so3", 2, bandlimit=3)
    with pytest.raises(ParameterError):
        SphericalCNN(3, (2,))
    with pytest.raises(ParameterError):
        SphericalCNN(3, (2, 2), grid_bandlimit=2)
    with pytest.raises(training.NotSeparatedError):
        bandlimited_max_margin(np.ones((2, 10)), np.array([1.0, -1.0]), "so3", 2, bandlimit=2)
