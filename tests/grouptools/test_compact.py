"""Tests of grouptools.compact: Wigner matrices, quadrature, transforms, convolutions, subgroups.

Expected values come from formulas (representation property, orthogonality relations, Molien series),
exact computations (sympy's ``Rotation.d``; Wigner's explicit sum in exact rational arithmetic),
scipy's spherical harmonics and direct quadrature of the defining integrals.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import sph_harm_y
from sympy.physics.quantum.spin import Rotation

import grouptools as gt
from grouptools import compact as gc
from grouptools._errors import GroupTooLargeError, InvalidGroupError
from grouptools._kernels.wigner import wigner_step

FAST = settings(max_examples=15, deadline=None, database=None)
TWO_PI = 2 * math.pi

angles = st.tuples(st.floats(0, TWO_PI), st.floats(0, math.pi), st.floats(0, TWO_PI))


def _rel(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


def _sph_angles(v):
    """Polar and azimuthal angles of (unit) vectors ``v[..., :3]``, accurate everywhere.

    ``theta = atan2(hypot(x, y), z)``, not ``acos(z)``: near the poles ``acos`` turns the rounding
    error ``~1e-16`` of ``z`` into an error ``~1e-16 / sin(theta)`` in theta (``~1e-8`` at
    ``theta ~ 1e-8``), far above the 1e-10 tolerances of the tests below; ``atan2`` of the
    rounded coordinates is accurate to a few ulps for every direction.
    """
    v = np.asarray(v, dtype=float)
    return np.arctan2(np.hypot(v[..., 0], v[..., 1]), v[..., 2]), np.arctan2(v[..., 1], v[..., 0])


# -- rotations and Wigner matrices ------------------------------------------------------------------------
@FAST
@given(angles)
def test_euler_round_trip(ang):
    R = gc.rotation_matrix(*ang)
    assert _rel(R @ R.T, np.eye(3)) < 1e-12 and abs(np.linalg.det(R) - 1) < 1e-12
    assert _rel(gc.rotation_matrix(*gc.euler_angles(R)), R) < 1e-9


def test_euler_gimbal_lock():
    for beta in (0.0, math.pi):
        R = gc.rotation_matrix(0.7, beta, 1.9)
        a, b, g = gc.euler_angles(R)
        assert float(g) == 0.0 and float(b) == beta
        assert _rel(gc.rotation_matrix(a, b, g), R) < 1e-12


@FAST
@given(angles, angles, st.integers(0, 12))
def test_wigner_D_homomorphism_and_unitarity(a1, a2, l):
    R = gc.rotation_matrix(*a1) @ gc.rotation_matrix(*a2)
    a, b, g = gc.euler_angles(R)
    D1, D2 = gc.wigner_D(l, *a1), gc.wigner_D(l, *a2)
    assert _rel(gc.wigner_D(l, a, b, g), D1 @ D2) < 1e-10
    assert _rel(D1 @ D1.conj().T, np.eye(2 * l + 1)) < 1e-10
    Dr = gc.wigner_D_real(l, *a1)
    assert Dr.dtype == np.float64
    assert _rel(Dr @ Dr.T, np.eye(2 * l + 1)) < 1e-10
    assert _rel(gc.wigner_D_real(l, a, b, g), Dr @ gc.wigner_D_real(l, *a2)) < 1e-10


def test_wigner_D_degree_one_is_the_rotation_itself():
    # D^1 in the spherical basis e_{+1} = -(x + i y)/sqrt 2, e_0 = z, e_{-1} = (x - i y)/sqrt 2 is
    # conjugate to R: R U = U D^1 with U the columns e_{-1}, e_0, e_{+1}
    s = 1 / math.sqrt(2)
    U = np.array([[s, 0, -s], [-1j * s, 0, -1j * s], [0, 1, 0]])
    rng = np.random.default_rng(3)
    for _ in range(5):
        ang = rng.uniform(0, 3, 3)
        assert _rel(gc.rotation_matrix(*ang) @ U, U @ gc.wigner_D(1, *ang)) < 1e-12


def test_sympy_wigner_convention_matches():
    # d^1_{10}(b) = -sin(b)/sqrt(2) (Condon-Shortley), d^{1/2}-free check of the sign conventions
    b = sp.Symbol("b")
    assert sp.simplify(Rotation.d(1, 1, 0, b).doit() + sp.sin(b) / sp.sqrt(2)) == 0
    assert abs(gc.wigner_d(1, 0.4)[2, 1] + math.sin(0.4) / math.sqrt(2)) < 1e-15


EXACT_BETAS = {"pi/3": sp.pi / 3, "pi/2": sp.pi / 2, "2pi/3": 2 * sp.pi / 3, "pi/4": sp.pi / 4}


@settings(max_examples=25, deadline=None, database=None)
@given(st.sampled_from(sorted(EXACT_BETAS)), st.integers(0, 4), st.data())
def test_small_d_against_sympy_exact(name, l, data):
    m = data.draw(st.integers(-l, l))
    n = data.draw(st.integers(-l, l))
    beta = EXACT_BETAS[name]
    exact = sp.nsimplify(sp.simplify(Rotation.d(l, m, n, beta).doit()))  # rational plus radicals
    assert exact.is_real or exact == 0
    assert abs(float(gc.wigner_d(l, float(beta))[m + l, n + l]) - float(sp.N(exact, 30))) < 1e-14


def _wigner_exact_half_atan(j: int, mp: int, m: int) -> float:
    """d^j_{mp m}(beta) at beta = 2 atan(1/2) by Wigner's sum in exact arithmetic.

    cos(beta/2) = 2/sqrt5, sin(beta/2) = 1/sqrt5, so every term is 2^a / 5^j times a rational and the
    value is sqrt((j+mp)!(j-mp)!(j+m)!(j-m)!) * (exact rational) / 5^j.
    """
    total = Fraction(0)
    for k in range(max(0, m - mp), min(j + m, j - mp) + 1):
        a = 2 * j - 2 * k + m - mp  # power of cos(beta/2)
        sign = -1 if (k - m + mp) % 2 else 1
        den = math.factorial(j + m - k) * math.factorial(k) * math.factorial(j - k - mp) * math.factorial(k - m + mp)
        total += Fraction(sign * 2**a, den)
    F = math.factorial(j + mp) * math.factorial(j - mp) * math.factorial(j + m) * math.factorial(j - m)
    with mpmath.workdps(60):
        val = mpmath.sqrt(F) * mpmath.mpf(total.numerator) / mpmath.mpf(total.denominator) / mpmath.mpf(5) ** j
        return float(val)


@settings(max_examples=30, deadline=None, database=None)
@given(st.sampled_from([7, 20, 41, 60]), st.data())
def test_recursion_against_exact_wigner_sum_large_l(l, data):
    m = data.draw(st.integers(-l, l))
    n = data.draw(st.integers(-l, l))
    beta = 2 * math.atan(0.5)
    got = float(gc.wigner_d(l, beta)[m + l, n + l])
    assert abs(got - _wigner_exact_half_atan(l, m, n)) < 1e-12


def test_exact_sum_agrees_with_sympy_small_l():
    # the reference formula itself, checked against sympy (same convention)
    beta = 2 * sp.atan(sp.Rational(1, 2))
    for (l, m, n) in [(1, 1, 0), (2, -1, 2), (3, 2, -1)]:
        ref = float(sp.N(Rotation.d(l, m, n, beta).doit(), 30))
        assert abs(_wigner_exact_half_atan(l, m, n) - ref) < 1e-14


def test_numba_kernel_matches_python_twin():
    beta = np.linspace(0.0, math.pi, 9)
    a = [d for _, d in gc.iter_wigner_d(25, beta, kernel="numba")]
    b = [d for _, d in gc.iter_wigner_d(25, beta, kernel="python")]
    assert max(_rel(x, y) for x, y in zip(a, b)) < 1e-13
    rng = np.random.default_rng(0)
    cur, prev, cb = rng.standard_normal((5, 5, 3)), rng.standard_normal((3, 3, 3)), rng.uniform(-1, 1, 3)
    n1, n2 = np.zeros((7, 7, 3)), np.zeros((7, 7, 3))
    wigner_step(prev, cur, cb, 2, n1)
    wigner_step.py(prev, cur, cb, 2, n2)
    assert _rel(n1, n2) < 1e-13


def test_small_d_symmetries_and_endpoints():
    l = 9
    d0 = gc.wigner_d(l, 0.0)
    dpi = gc.wigner_d(l, math.pi)
    assert _rel(d0, np.eye(2 * l + 1)) < 1e-13
    m = np.arange(-l, l + 1)
    assert _rel(dpi, np.diag((-1.0) ** (l - m))[:, ::-1]) < 1e-12  # d^l_{mn}(pi) = (-1)^(l-n) delta_{m,-n}
    d = gc.wigner_d(l, 1.234)
    sgn = (-1.0) ** (m[:, None] - m[None, :])
    assert _rel(d, sgn * d.T) < 1e-13 and _rel(d, d[::-1, ::-1].T) < 1e-13


@FAST
@given(st.integers(0, 6), st.floats(0, math.pi), st.floats(0, TWO_PI))
def test_spherical_harmonics_against_scipy(l, theta, phi):
    ref = np.array([sph_harm_y(l, m, theta, phi) for m in range(-l, l + 1)])
    assert _rel(gc.spherical_harmonics(l, theta, phi), ref) < 1e-12


@pytest.mark.parametrize("eps", [1e-9, 1e-7, 1e-5])
def test_harmonics_rotate_with_D_near_the_pole(eps):
    # the rotated point lands within eps of the north pole: acos(z) would lose half the digits here
    ang = (1.0, 0.5, 2.0)
    R = gc.rotation_matrix(*ang)
    x = R @ np.array([eps * math.cos(1.0), eps * math.sin(1.0), math.sqrt(1 - eps * eps)])
    theta, phi = (float(a) for a in _sph_angles(x))
    t2, p2 = (float(a) for a in _sph_angles(R.T @ x))
    assert abs(t2 - eps) < 1e-15
    for l in (1, 5):
        lhs = gc.spherical_harmonics(l, t2, p2)
        assert _rel(lhs, gc.spherical_harmonics(l, theta, phi) @ gc.wigner_D(l, *ang)) < 1e-12


@FAST
@given(angles, st.floats(0, math.pi), st.floats(0, TWO_PI), st.integers(0, 5))
def test_harmonics_rotate_with_D(ang, theta, phi, l):
    R = gc.rotation_matrix(*ang)
    x = np.array([math.sin(theta) * math.cos(phi), math.sin(theta) * math.sin(phi), math.cos(theta)])
    y = R.T @ x
    t2, p2 = (float(a) for a in _sph_angles(y))  # stable near the poles (see _sph_angles)
    assert _rel(gc.spherical_harmonics(l, t2, p2), gc.spherical_harmonics(l, theta, phi) @ gc.wigner_D(l, *ang)) < 1e-10
    S2 = gc.real_spherical_harmonics(l, t2, p2)
    assert _rel(S2, gc.real_spherical_harmonics(l, theta, phi) @ gc.wigner_D_real(l, *ang)) < 1e-10


# -- quadrature ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["soft", "gauss"])
def test_quadrature_orthogonality_of_matrix_entries(kind):
    B = 4
    g = gc.so3_grid(B, kind)
    a, b, c = g.angles()
    w = g.weights
    Ds = [gc.wigner_D(l, a, b, c).reshape(-1, (2 * l + 1) ** 2) for l in range(B)]
    allD = np.concatenate(Ds, axis=1)  # (points, sum (2l+1)^2)
    gram = allD.T @ (w.reshape(-1, 1) * allD.conj())
    expected = np.diag(np.concatenate([np.full((2 * l + 1) ** 2, 1.0 / (2 * l + 1)) for l in range(B)]))
    assert _rel(gram, expected) < 1e-13
    assert abs(w.sum() - 1) < 1e-14


@pytest.mark.parametrize("kind", ["soft", "gauss"])
def test_s2_quadrature_orthonormality(kind):
    B = 5
    g = gc.s2_grid(B, kind)
    t, p = np.meshgrid(g.beta, g.alpha, indexing="ij")
    Y = np.concatenate([gc.spherical_harmonics(l, t, p).reshape(-1, 2 * l + 1) for l in range(B)], axis=1)
    gram = Y.T @ (g.weights.reshape(-1, 1) * Y.conj())
    assert _rel(gram, np.eye(B * B)) < 1e-13


def test_quadrature_is_not_exact_beyond_band_limit():
    # sanity: the test above can fail; degree B entries are not orthogonal on the band-B grid
    g = gc.so3_grid(2, "gauss")
    a, b, c = g.angles()
    D = gc.wigner_D(2, a, b, c)[..., 0, 0]
    assert abs(float(np.sum(g.weights * np.abs(D) ** 2)) - 1 / 5) > 1e-3


@settings(max_examples=10, deadline=None, database=None)
@given(st.integers(1, 5), st.sampled_from(["soft", "gauss"]), st.integers(0, 2**31 - 1))
def test_so3_transform_exact_for_band_limited(B, kind, seed):
    rng = np.random.default_rng(seed)
    F = [rng.standard_normal((2 * l + 1, 2 * l + 1)) + 1j * rng.standard_normal((2 * l + 1, 2 * l + 1)) for l in range(B)]
    g = gc.so3_grid(B, kind)
    samples = gc.so3_evaluate(F, *g.angles())  # direct synthesis, independent of the FFT path
    assert _rel(gc.so3_inverse(F, g), samples) < 1e-11
    G = gc.so3_forward(samples, g)
    assert max(_rel(x, y) for x, y in zip(F, G)) < 1e-12
    Fr = [rng.standard_normal((2, 2 * l + 1, 2 * l + 1)) for l in range(B)]  # batch of two real functions
    fr = gc.so3_evaluate(Fr, *g.angles())
    assert fr.shape == (2,) + g.shape and fr.dtype == np.float64
    assert max(_rel(x, y) for x, y in zip(Fr, gc.so3_forward(fr, g, real=True))) < 1e-12
    # Plancherel with the quadrature: int f conj(h) = sum (2l+1) tr(F H^H)
    lhs = g.integrate(fr[0] * fr[1])
    rhs = sum((2 * l + 1) * np.sum(A[0] * A[1]) for l, A in enumerate(Fr))
    assert abs(lhs - rhs) < 1e-10 * max(1.0, abs(rhs))


@settings(max_examples=10, deadline=None, database=None)
@given(st.integers(1, 6), st.sampled_from(["soft", "gauss"]), st.integers(0, 2**31 - 1))
def test_s2_transform_exact_for_band_limited(B, kind, seed):
    rng = np.random.default_rng(seed)
    c = [rng.standard_normal(2 * l + 1) + 1j * rng.standard_normal(2 * l + 1) for l in range(B)]
    g = gc.s2_grid(B, kind)
    t, p = np.meshgrid(g.beta, g.alpha, indexing="ij")
    samples = sum(np.einsum("m,...m->...", cl, np.stack([sph_harm_y(l, m, t, p) for m in range(-l, l + 1)], -1)) for l, cl in enumerate(c))
    assert _rel(gc.s2_inverse(c, g), samples) < 1e-11
    assert max(_rel(x, y) for x, y in zip(c, gc.s2_forward(samples, g))) < 1e-12
    cr = [rng.standard_normal(2 * l + 1) for l in range(B)]
    fr = gc.s2_inverse(cr, g)
    assert fr.dtype == np.float64
    assert abs(g.integrate(fr**2) - sum(float(x @ x) for x in cr)) < 1e-10  # real coefficients are orthonormal


# -- convolution theorems -------------------------------------------------------------------------------------
def _rand_real_blocks(rng, B):
    return [rng.standard_normal((2 * l + 1, 2 * l + 1)) for l in range(B)]


@settings(max_examples=6, deadline=None, database=None)
@given(st.integers(1, 3), st.integers(0, 2**31 - 1))
def test_so3_convolution_and_correlation_theorems(B, seed):
    rng = np.random.default_rng(seed)
    F, H = _rand_real_blocks(rng, B), _rand_real_blocks(rng, B)
    g = gc.so3_grid(B, "gauss")  # integrands have degree <= 2B - 2: exact
    Rv = gc.rotation_matrix(*g.angles()).reshape(-1, 3, 3)
    wts = g.weights.reshape(-1)
    h_v = gc.so3_evaluate(H, *gc.euler_angles(Rv))
    for _ in range(3):
        ang = rng.uniform(0, 3, 3)
        U = gc.rotation_matrix(*ang)
        # (f * h)(u) = int f(u v^-1) h(v) dv
        f_uvinv = gc.so3_evaluate(F, *gc.euler_angles(U @ np.swapaxes(Rv, 1, 2)))
        direct = float(np.sum(wts * f_uvinv * h_v))
        assert abs(direct - float(gc.so3_evaluate(gc.so3_convolve(F, H), *ang))) < 1e-10
        # (x star w)(u) = int w(v) x(u v) dv (Cohen & Welling, left-equivariant), with x = F and w = H
        x_uv = gc.so3_evaluate(F, *gc.euler_angles(U @ Rv))
        direct = float(np.sum(wts * h_v * x_uv))
        assert abs(direct - float(gc.so3_evaluate(gc.so3_correlate(F, H), *ang))) < 1e-10
        # the same from the complex blocks (real w: x_hat w_hat^H)
        cplx = gc.so3_correlate(gc.so3_complex_blocks(F), gc.so3_complex_blocks(H))
        assert abs(direct - complex(gc.so3_evaluate(cplx, *ang))) < 1e-10


def test_so3_correlation_is_the_left_convention_not_the_old_one():
    # fixed B = 3 (B = 1 cannot tell the conventions apart: scalar blocks commute)
    rng = np.random.default_rng(11)
    B = 3
    x, w = _rand_real_blocks(rng, B), _rand_real_blocks(rng, B)
    g = gc.so3_grid(B, "gauss")
    Rv = gc.rotation_matrix(*g.angles()).reshape(-1, 3, 3)
    wts = g.weights.reshape(-1)
    w_v = gc.so3_evaluate(w, *gc.euler_angles(Rv))
    out = gc.so3_correlate(x, w)
    for _ in range(3):
        ang = rng.uniform(0, 3, 3)
        U = gc.rotation_matrix(*ang)
        new = float(np.sum(wts * w_v * gc.so3_evaluate(x, *gc.euler_angles(U @ Rv))))  # int w(v) x(u v) dv
        old = float(np.sum(wts * w_v * gc.so3_evaluate(x, *gc.euler_angles(Rv @ U))))  # int w(v) x(v u) dv
        got = float(gc.so3_evaluate(out, *ang))
        assert abs(got - new) < 1e-10
        assert abs(got - old) > 1e-3  # the old convention differs here
    # the Fourier form x_hat w_hat^H, with the blocks of the direct samples (so3_forward)
    samples = np.sum(wts[None, :] * w_v[None, :] * np.stack([
        gc.so3_evaluate(x, *gc.euler_angles(gc.rotation_matrix(*ang) @ Rv))
        for ang in zip(*(t.reshape(-1) for t in g.angles()))]), axis=1).reshape(g.shape)
    blocks = gc.so3_forward(samples, g, real=True)
    assert max(_rel(a, b) for a, b in zip(blocks, [X @ W.T for X, W in zip(x, w)])) < 1e-10


@settings(max_examples=6, deadline=None, database=None)
@given(st.integers(2, 3), st.integers(0, 2**31 - 1))
def test_so3_correlation_commutes_with_left_translation(B, seed):
    # (L_k x)(g) = x(k^-1 g); (L_k x) star w = L_k (x star w), all values by quadrature of the definition
    rng = np.random.default_rng(seed)
    x, w = _rand_real_blocks(rng, B), _rand_real_blocks(rng, B)
    g = gc.so3_grid(B, "gauss")
    Rv = gc.rotation_matrix(*g.angles()).reshape(-1, 3, 3)
    wts = g.weights.reshape(-1)
    w_v = gc.so3_evaluate(w, *gc.euler_angles(Rv))
    K = gc.rotation_matrix(*rng.uniform(0, 3, 3))

    def x_at(M):  # samples of x at the rotations M
        return gc.so3_evaluate(x, *gc.euler_angles(M))

    def star(fun, U):  # int w(v) fun(U v) dv
        return float(np.sum(wts * w_v * fun(U @ Rv)))

    Lx_blocks = [gc.wigner_D_real(l, *gc.euler_angles(K)) @ X for l, X in enumerate(x)]
    for _ in range(2):
        U = gc.rotation_matrix(*rng.uniform(0, 3, 3))
        lhs = star(lambda M: x_at(K.T @ M), U)  # ((L_k x) star w)(u)
        rhs = star(x_at, K.T @ U)  # (x star w)(k^-1 u)
        assert abs(lhs - rhs) < 1e-10
        # and the library: blocks D(k) X are L_k x, so3_correlate of them is L_k of the output
        assert abs(float(gc.so3_evaluate(Lx_blocks, *gc.euler_angles(U))) - float(x_at(K.T @ U))) < 1e-10
        assert abs(float(gc.so3_evaluate(gc.so3_correlate(Lx_blocks, w), *gc.euler_angles(U))) - lhs) < 1e-10


@settings(max_examples=6, deadline=None, database=None)
@given(st.integers(1, 4), st.integers(0, 2**31 - 1))
def test_s2_convolution_theorems(B, seed):
    rng = np.random.default_rng(seed)
    f = [rng.standard_normal(2 * l + 1) for l in range(B)]
    psi = [rng.standard_normal(2 * l + 1) for l in range(B)]
    grid = gc.s2_grid(B, "gauss")
    X = grid.points().reshape(-1, 3)
    wts = grid.weights.reshape(-1)
    tb, pa = np.meshgrid(grid.beta, grid.alpha, indexing="ij")
    f_x = gc.s2_evaluate(f, tb, pa).reshape(-1)
    F_real = gc.s2_so3_correlate(f, psi)
    F_cplx = gc.s2_so3_correlate(gc.s2_complex_coefficients(f), gc.s2_complex_coefficients(psi))
    for _ in range(3):
        ang = rng.uniform(0, 3, 3)
        Y = X @ gc.rotation_matrix(*ang)  # rows R^{-1} x
        th, ph = _sph_angles(Y)
        direct = float(np.sum(wts * gc.s2_evaluate(psi, th, ph) * f_x))
        assert abs(direct - float(gc.so3_evaluate(F_real, *ang))) < 1e-10
        assert abs(direct - complex(gc.so3_evaluate(F_cplx, *ang))) < 1e-10
    # (f * h)(x) = int_SO(3) f(R e_z) h(R^{-1} x) dR
    g3 = gc.so3_grid(B, "gauss")
    a, b, c = g3.angles()
    R = gc.rotation_matrix(a, b, c)
    fz = gc.s2_evaluate(f, b, a)
    conv = gc.s2_convolve(gc.s2_complex_coefficients(f), gc.s2_complex_coefficients(psi))
    for _ in range(2):
        x = rng.standard_normal(3)
        x /= np.linalg.norm(x)
        y = np.einsum("...ji,j->...i", R, x)
        val = g3.integrate(fz * gc.s2_evaluate(psi, *_sph_angles(y)))
        assert abs(val - complex(gc.s2_evaluate(conv, *_sph_angles(x)))) < 1e-10


def test_s2_so3_correlation_is_equivariant():
    rng = np.random.default_rng(5)
    B = 4
    f = [rng.standard_normal(2 * l + 1) for l in range(B)]
    psi = [rng.standard_normal(2 * l + 1) for l in range(B)]
    T = (0.4, 1.1, 2.2)
    f_rot = [gc.wigner_D_real(l, *T) @ fl for l, fl in enumerate(f)]  # (T f)(x) = f(T^{-1} x)
    R = (1.3, 0.7, 0.1)
    TinvR = gc.euler_angles(gc.rotation_matrix(*T).T @ gc.rotation_matrix(*R))
    lhs = gc.so3_evaluate(gc.s2_so3_correlate(f_rot, psi), *R)
    rhs = gc.so3_evaluate(gc.s2_so3_correlate(f, psi), *TinvR)
    assert abs(float(lhs) - float(rhs)) < 1e-11


# -- SO(2), O(2) ---------------------------------------------------------------------------------------------
@FAST
@given(st.integers(1, 8), st.integers(0, 4), st.integers(0, 2**31 - 1))
def test_so2_transform_and_convolution(B, extra, seed):
    rng = np.random.default_rng(seed)
    n = 2 * B - 1 + extra
    c = rng.standard_normal(2 * B - 1) + 1j * rng.standard_normal(2 * B - 1)
    h = rng.standard_normal(2 * B - 1) + 1j * rng.standard_normal(2 * B - 1)
    theta = TWO_PI * np.arange(n) / n
    k = np.arange(-(B - 1), B)
    f_direct = np.exp(-1j * np.outer(theta, k)) @ c  # f = sum c_k exp(-i k theta)
    assert _rel(gc.so2_inverse(c, n), f_direct) < 1e-11
    assert _rel(gc.so2_forward(f_direct, B), c) < 1e-12
    # (f * h)(u) = (1/2pi) int f(u - v) h(v) dv, by the trapezoidal rule on 4B points (exact here)
    m = 4 * B
    tt = TWO_PI * np.arange(m) / m
    fv = lambda t: np.exp(-1j * np.multiply.outer(t, k)) @ c  # noqa: E731
    hv = np.exp(-1j * np.outer(tt, k)) @ h
    u = rng.uniform(0, TWO_PI)
    direct = np.mean(fv(u - tt) * hv)
    assert abs(direct - np.exp(-1j * u * k) @ gc.so2_convolve(c, h)) < 1e-10


@FAST
@given(st.tuples(st.floats(0, TWO_PI), st.integers(0, 1)), st.tuples(st.floats(0, TWO_PI), st.integers(0, 1)), st.integers(1, 6))
def test_o2_irreps_are_orthogonal_representations(g1, g2, B):
    t, s = gc.o2_multiply(g1, g2)
    for A, P, Q in zip(gc.o2_irreps(B, t, s), gc.o2_irreps(B, *g1), gc.o2_irreps(B, *g2)):
        assert _rel(A, P @ Q) < 1e-12
        assert _rel(P @ P.T, np.eye(P.shape[-1])) < 1e-12
    # the group law against 2x2 matrices r_theta m^s
    def mat(theta, s):
        c, sn = math.cos(theta), math.sin(theta)
        return np.array([[c, -sn], [sn, c]]) @ np.diag([1.0, -1.0 if s else 1.0])

    assert _rel(mat(float(t), int(s)), mat(*g1) @ mat(*g2)) < 1e-12


@FAST
@given(st.integers(1, 6), st.integers(0, 3), st.integers(0, 2**31 - 1))
def test_o2_transform_exact_and_convolution(B, extra, seed):
    rng = np.random.default_rng(seed)
    n = 2 * B - 1 + extra
    dims = [1, 1] + [2] * (B - 1)
    F = [rng.standard_normal((d, d)) for d in dims]
    H = [rng.standard_normal((d, d)) for d in dims]
    theta = TWO_PI * np.arange(n) / n
    s = np.array([[0], [1]])
    rhos = gc.o2_irreps(B, np.broadcast_to(theta, (2, n)), np.broadcast_to(s, (2, n)))
    direct = sum(d * np.einsum("sjab,ab->sj", r, A) for d, r, A in zip(dims, rhos, F))
    assert _rel(gc.o2_inverse(F, n), direct) < 1e-11
    assert max(_rel(a, b) for a, b in zip(F, gc.o2_forward(direct, B))) < 1e-12
    # convolution (f * h)(u) = int f(u v^-1) h(v) dv on a fine grid
    m = 4 * B
    tt = TWO_PI * np.arange(m) / m
    u = (rng.uniform(0, TWO_PI), int(rng.integers(2)))
    total = 0.0
    for sv in (0, 1):
        # v = (t, sv); v^-1 = (-(-1)^sv t, sv)
        vinv_t = np.where(sv == 1, tt, -tt)
        ut, us = gc.o2_multiply(u, (vinv_t, np.full(m, sv)))
        f_vals = sum(d * np.einsum("jab,ab->j", r, A) for d, r, A in zip(dims, gc.o2_irreps(B, ut, us), F))
        h_vals = sum(d * np.einsum("jab,ab->j", r, A) for d, r, A in zip(dims, gc.o2_irreps(B, tt, np.full(m, sv)), H))
        total += np.mean(f_vals * h_vals) / 2
    conv = gc.o2_convolve(F, H)
    expect = sum(d * np.einsum("ab,ab->", r, A) for d, r, A in zip(dims, gc.o2_irreps(B, *u), conv))
    assert abs(total - expect) < 1e-10


# -- coordinates ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,B", [("so3", 3), ("so2", 4), ("o2", 3), ("s2", 4)])
def test_block_space_round_trip_and_plancherel(name, B):
    S = gc.block_space(name, B)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, S.dim))
    assert _rel(S.from_blocks(S.to_blocks(x)), x) < 1e-14
    # ||x||^2 = int f^2, with f sampled independently of the coordinates
    if name == "so3":
        g = gc.so3_grid(B)
        f = gc.so3_evaluate(S.to_blocks(x[0]), *g.angles())
        assert abs(g.integrate(f * f) - x[0] @ x[0]) < 1e-10
    elif name == "s2":
        g = gc.s2_grid(B)
        t, p = np.meshgrid(g.beta, g.alpha, indexing="ij")
        f = gc.s2_evaluate([b[:, 0] for b in S.to_blocks(x[0])], t, p)
        assert abs(g.integrate(f * f) - x[0] @ x[0]) < 1e-10
    elif name == "so2":
        c = [b[0, 0] for b in S.to_blocks(x[0])]
        full = np.array([np.conj(v) for v in c[:0:-1]] + c)  # c_{-k} = conj(c_k)
        f = gc.so2_inverse(full, 2 * B)
        assert np.abs(f.imag).max() < 1e-12
        assert abs(np.mean(f.real**2) - x[0] @ x[0]) < 1e-10
    else:
        f = gc.o2_inverse(S.to_blocks(x[0]), 2 * B)
        assert abs(np.mean(f**2) - x[0] @ x[0]) < 1e-10


def test_fourier_matrices_plancherel():
    for S in (gc.so3_space(3), gc.so2_space(3), gc.o2_space(3)):
        mats = S.fourier_matrices(scale=np.sqrt(S.dim))
        x = np.random.default_rng(1).standard_normal(S.dim)
        blocks = [np.tensordot(x, M, axes=1) for M in mats]
        total = sum(M.shape[1] * np.sum(np.abs(b) ** 2) for M, b in zip(mats, blocks))
        assert abs(total - S.dim * (x @ x)) < 1e-9


# -- finite subgroups ----------------------------------------------------------------------------------------
SUBGROUPS = [("cyclic", 6, 6), ("dihedral", 5, 10), ("tetrahedral", None, 12), ("octahedral", None, 24), ("icosahedral", None, 60)]


def _molien_count(kind: str, n: int | None, l: int) -> int:
    """Number of H-invariant harmonics of degree l, from Molien series / direct counting."""
    def coeff(num: list[int], dens: list[int]) -> int:
        # coefficient of t^l in (sum_{e in num} t^e) / prod (1 - t^d)
        def parts(r: int, ds: list[int]) -> int:
            if not ds:
                return 1 if r == 0 else 0
            return sum(parts(r - k * ds[0], ds[1:]) for k in range(r // ds[0] + 1))
        return sum(parts(l - e, dens) for e in num if l - e >= 0)

    if kind == "cyclic":
        return sum(1 for m in range(-l, l + 1) if m % n == 0)
    if kind == "dihedral":
        return sum(1 for k in range(1, l + 1) if k * n <= l) + (1 if l % 2 == 0 else 0)
    if kind == "tetrahedral":
        return coeff([0, 6], [3, 4])
    if kind == "octahedral":
        return coeff([0, 9], [4, 6])
    return coeff([0, 15], [6, 10])


@pytest.mark.parametrize("kind,n,order", SUBGROUPS)
def test_rotation_subgroups(kind, n, order):
    H = gc.rotation_subgroup(kind, n)
    assert H.order == order
    mats = H.matrices
    assert _rel(mats[0], np.eye(3)) == 0.0
    T = np.asarray(H.group.cayley_table)
    # the Cayley table is matrix multiplication
    prod = np.einsum("iab,jbc->ijac", mats, mats)
    assert _rel(prod, mats[T]) < 1e-9
    # D^l restricted to H is a homomorphism (entries through the table)
    a, b, c = gc.euler_angles(mats)
    D = gc.wigner_D(3, a, b, c)
    i, j = np.random.default_rng(0).integers(0, order, size=(2, 10))
    assert _rel(D[T[i, j]], D[i] @ D[j]) < 1e-10
    for l in range(13):
        m, d = gc.restriction_multiplicities(l, H)
        assert int(m @ d) == 2 * l + 1 and m.min() >= 0
        assert int(m[0]) == _molien_count(kind, n, l)
        # the trivial multiplicity is also the rank of the H-average of D^l
        avg = gc.wigner_D(l, a, b, c).mean(axis=0)
        assert np.linalg.matrix_rank(avg, tol=1e-8) == int(m[0])


@pytest.mark.parametrize("kind,n,order", SUBGROUPS)
def test_numeric_character_table_matches_exact_irreps(kind, n, order):
    H = gc.rotation_subgroup(kind, n)
    num, deg = gc.character_table_numeric(H.group)
    assert int(np.sum(deg**2)) == order
    from grouptools.reps._irreps import irreps

    exact = np.array([np.trace(np.asarray(r.matrices), axis1=1, axis2=2) for r in irreps(H.group)])
    # same set of characters (rows), in any order
    dist = np.abs(num[:, None, :] - exact[None, :, :]).max(axis=2)
    assert np.all(dist.min(axis=1) < 1e-8) and np.all(dist.min(axis=0) < 1e-8)
    for l in range(6):
        m1, d1 = gc.restriction_multiplicities(l, H)
        m2, d2 = gc.restriction_multiplicities(l, H, method="numeric")
        assert sorted(zip(d1.tolist(), m1.tolist())) == sorted(zip(d2.tolist(), m2.tolist()))


def test_known_restrictions_icosahedral():
    # D^1 -> T1 (3), D^2 -> H (5), D^3 -> T2 + G (3 + 4): textbook decomposition for I ~ A5
    H = gc.rotation_subgroup("icosahedral")
    got = {l: sorted(zip(*[x.tolist() for x in gc.restriction_multiplicities(l, H)[::-1]])) for l in (1, 2, 3)}
    assert [d for d, m in got[1] if m] == [3]
    assert [d for d, m in got[2] if m] == [5]
    assert [d for d, m in got[3] if m] == [3, 4]


# -- errors ------------------------------------------------------------------------------------------------------
def test_named_errors():
    with pytest.raises(InvalidGroupError):
        gc.so3_grid(0)
    with pytest.raises(GroupTooLargeError):
        gc.so3_grid(10**6)
    with pytest.raises(InvalidGroupError):
        gc.so3_evaluate([np.zeros((3, 3))], 0.0, 0.0, 0.0)
    with pytest.raises(InvalidGroupError):
        gc.so3_forward(np.zeros((3, 3, 3)), gc.so3_grid(2))
    with pytest.raises(InvalidGroupError):
        gc.so2_forward(np.zeros(3), 3)
    with pytest.raises(InvalidGroupError):
        gc.rotation_subgroup("cyclic")
    with pytest.raises(InvalidGroupError):
        gc.wigner_d(-1, 0.3)
    with pytest.raises(gt.EnumerationLimitError):
        gc.rotation_subgroup("icosahedral", max_order=30)
    with pytest.raises(InvalidGroupError):
        gc.block_space("so4", 2)
