"""Tests of the SO(3) Clebsch-Gordan coefficients and 3j symbols (grouptools.compact._clebsch).

Expected values are independent of the code under test: ``sympy.physics.wigner`` (exact
symbolic values) for small degrees, and the coupling identity
``D^{l1}(R) (x) D^{l2}(R) Q = Q (sum_l D^l(R))`` with the toolkit's Wigner matrices (complex and
real) for random rotations, with ``Q`` checked orthogonal.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.physics.wigner import clebsch_gordan as sympy_cg
from sympy.physics.wigner import wigner_3j as sympy_3j

from grouptools._errors import GroupTooLargeError, ParameterError, ParameterTypeError
from grouptools.compact import (
    MAX_CG_DEGREE,
    clebsch_gordan_so3,
    real_basis_change,
    so3_coupling_matrix,
    wigner_3j,
    wigner_d_matrices,
)


def all_D(L: int, a: float, b: float, g: float, basis: str) -> list[np.ndarray]:
    """D^l for l = 0..L from one small-d recursion (module convention
    D_mn = exp(-i m a) d_mn(b) exp(-i n g)); real: P D P^H."""
    out = []
    for l, d in enumerate(wigner_d_matrices(L, b)):
        m = np.arange(-l, l + 1)
        D = np.exp(-1j * m * a)[:, None] * d * np.exp(-1j * m * g)[None, :]
        if basis == "real":
            P = real_basis_change(l)
            D = P @ D @ P.conj().T
            assert np.abs(D.imag).max() < 1e-12
            D = D.real
        out.append(D)
    return out


def check_coupling(l1: int, l2: int, basis: str, angles: tuple[float, float, float]) -> None:
    Q = so3_coupling_matrix(l1, l2, basis)
    N = (2 * l1 + 1) * (2 * l2 + 1)
    assert Q.shape == (N, N) and Q.dtype == np.float64
    assert np.abs(Q.T @ Q - np.eye(N)).max() < 1e-12
    D = all_D(l1 + l2, *angles, basis)
    # (D1 (x) D2) Q, applied factor by factor
    X = Q.reshape(2 * l1 + 1, 2 * l2 + 1, N)
    lhs = np.tensordot(D[l1], X, axes=(1, 0))                     # (a, j, c)
    lhs = np.matmul(D[l2][None], lhs).reshape(N, N)                # (a, b, c)
    rhs = np.empty_like(lhs)
    start = 0
    for l in range(abs(l1 - l2), l1 + l2 + 1):
        w = 2 * l + 1
        rhs[:, start:start + w] = Q[:, start:start + w] @ D[l]
        start += w
    assert start == N
    assert np.abs(lhs - rhs).max() < 1e-11


def test_sympy_clebsch_gordan_small():
    for l1 in range(4):
        for l2 in range(4):
            for l in range(abs(l1 - l2), l1 + l2 + 1):
                C = clebsch_gordan_so3(l1, l2, l)
                assert C.shape == (2 * l1 + 1, 2 * l2 + 1, 2 * l + 1)
                expect = np.zeros_like(C)
                for m1 in range(-l1, l1 + 1):
                    for m2 in range(-l2, l2 + 1):
                        m = m1 + m2
                        if abs(m) <= l:
                            expect[m1 + l1, m2 + l2, m + l] = float(sympy_cg(l1, l2, l, m1, m2, m))
                assert np.abs(C - expect).max() < 1e-14, (l1, l2, l)


def test_sympy_wigner_3j_small():
    for l1 in range(4):
        for l2 in range(4):
            for l3 in range(abs(l1 - l2), l1 + l2 + 1):
                W = wigner_3j(l1, l2, l3)
                expect = np.zeros_like(W)
                for m1 in range(-l1, l1 + 1):
                    for m2 in range(-l2, l2 + 1):
                        m3 = -m1 - m2
                        if abs(m3) <= l3:
                            expect[m1 + l1, m2 + l2, m3 + l3] = float(sympy_3j(l1, l2, l3, m1, m2, m3))
                assert np.abs(W - expect).max() < 1e-14, (l1, l2, l3)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_sympy_spot_checks_up_to_6(data):
    l1 = data.draw(st.integers(0, 6))
    l2 = data.draw(st.integers(0, 6))
    l = data.draw(st.integers(abs(l1 - l2), l1 + l2))
    m1 = data.draw(st.integers(-l1, l1))
    m2 = data.draw(st.integers(max(-l2, -l - m1), min(l2, l - m1)))
    C = clebsch_gordan_so3(l1, l2, l)
    assert abs(C[m1 + l1, m2 + l2, m1 + m2 + l] - float(sympy_cg(l1, l2, l, m1, m2, m1 + m2))) < 1e-14
    W = wigner_3j(l1, l2, l)
    m3 = -m1 - m2
    assert abs(W[m1 + l1, m2 + l2, m3 + l] - float(sympy_3j(l1, l2, l, m1, m2, m3))) < 1e-14


def test_large_degree_exact_values():
    # <l l l -l | 0 0> = (-1)^(l - m1) / sqrt(2l + 1) at m1 = l (Varshalovich 8.5.1)
    for l in (10, 15, 20):
        C = clebsch_gordan_so3(l, l, 0)
        m = np.arange(-l, l + 1)
        assert np.abs(C[:, ::-1, 0].diagonal() - (-1.0) ** (l - m) / np.sqrt(2 * l + 1)).max() < 1e-15
    # stretched state <l1 l1 l2 l2 | l1+l2, l1+l2> = 1, and a sympy value at l = 20
    assert clebsch_gordan_so3(20, 20, 40)[40, 40, 80] == 1.0
    v = float(sympy_cg(20, 19, 21, 3, -5, -2))
    assert abs(clebsch_gordan_so3(20, 19, 21)[23, 14, 19] - v) < 1e-15


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 20), st.integers(0, 20), st.sampled_from(["complex", "real"]),
       st.tuples(st.floats(0, 2 * np.pi), st.floats(0, np.pi), st.floats(0, 2 * np.pi)))
def test_coupling_identity_random(l1, l2, basis, angles):
    if l1 + l2 > 20:
        l2 = 20 - l1
    check_coupling(l1, l2, basis, angles)


@pytest.mark.parametrize("l1,l2", [(0, 0), (1, 1), (2, 3), (10, 10), (20, 20)])
@pytest.mark.parametrize("basis", ["complex", "real"])
def test_coupling_identity_fixed(l1, l2, basis):
    check_coupling(l1, l2, basis, (0.7, 1.9, 4.1))


def test_real_coefficients_are_real_orthonormal():
    for l1, l2 in [(1, 1), (2, 1), (3, 2)]:
        for l in range(abs(l1 - l2), l1 + l2 + 1):
            C = clebsch_gordan_so3(l1, l2, l, basis="real")
            assert C.dtype == np.float64
            M = C.reshape(-1, 2 * l + 1)
            assert np.abs(M.T @ M - np.eye(2 * l + 1)).max() < 1e-14


def test_bad_input():
    with pytest.raises(ParameterTypeError):
        clebsch_gordan_so3(1.0, 1, 1)
    with pytest.raises(ParameterTypeError):
        wigner_3j(1, "1", 1)
    with pytest.raises(ParameterTypeError):
        clebsch_gordan_so3(True, 1, 1)
    with pytest.raises(ParameterError):
        clebsch_gordan_so3(-1, 1, 1)
    with pytest.raises(ParameterError):
        clebsch_gordan_so3(1, 1, 3)   # triangle
    with pytest.raises(ParameterError):
        wigner_3j(5, 1, 1)             # triangle
    with pytest.raises(ParameterError):
        clebsch_gordan_so3(1, 1, 1, basis="spherical")
    with pytest.raises(ParameterTypeError):
        so3_coupling_matrix(1, 1, basis=None)
    with pytest.raises(GroupTooLargeError):
        clebsch_gordan_so3(MAX_CG_DEGREE + 1, 1, MAX_CG_DEGREE + 1)
    with pytest.raises(GroupTooLargeError):
        so3_coupling_matrix(1, MAX_CG_DEGREE + 1)
    # the returned arrays are copies: writing to one does not change the next
    C = clebsch_gordan_so3(1, 1, 1)
    C[:] = 0
    assert np.abs(clebsch_gordan_so3(1, 1, 1)).max() > 0.5
