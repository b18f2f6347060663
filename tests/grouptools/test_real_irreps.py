"""Tests of the irreducible real representations (grouptools.reps._realirreps).

Expected values are derived independently of the code under test: the group law
(``G.multiply``, ``G.inverse``), the conjugacy classes (the number of real irreps equals the
number of classes up to ``C ~ C^-1``; Serre 1977, section 13.2), the commutant of the real
generator images computed as a nullspace, the Frobenius-Schur indicator
``(1/|G|) sum_g chi(g^2)`` from the complex irreps and ``G.multiply``, and the character
orthogonality ``<chi_r, chi_s> = delta_rs dim End_G(r)`` from traces of the real matrices.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools._errors import (
    ElementError,
    GroupTooLargeError,
    InvalidLimitError,
    ParameterTypeError,
)
from grouptools.reps import RealIrrep, real_irreps
from grouptools.reps._realirreps import conjugate_intertwiner, realify
from strategies import catalogue_groups, known_presentations

TYPE_COMMUTANT = {"real": 1, "complex": 2, "quaternionic": 4}


def classes_up_to_inversion(G: gt.FiniteGroup) -> int:
    """Classes C with C = C^-1 once, pairs C != C^-1 once."""
    ci = np.asarray(G.class_index)
    inv = np.asarray(G.inverse)
    reps = np.asarray(G.conjugacy_classes().representatives)
    inv_class = ci[inv[reps]]
    selfinv = int(np.sum(inv_class == np.arange(reps.size)))
    return selfinv + (reps.size - selfinv) // 2


def commutant_dim(gens: np.ndarray) -> int:
    """dim {X real : A X = X A for all generator images A}, as a numerical nullspace."""
    d = gens.shape[1]
    if gens.shape[0] == 0:
        return d * d
    eye = np.eye(d)
    M = np.concatenate([np.kron(eye, A) - np.kron(A.T, eye) for A in gens])
    sv = np.linalg.svd(M, compute_uv=False)
    return int(np.sum(sv < 1e-8))


def indicator(G: gt.FiniteGroup, rho) -> int:
    """(1/|G|) sum_g chi(g^2), with g^2 from G.multiply and chi from the complex irrep."""
    xs = np.arange(G.order)
    sq = np.asarray(G.multiply(xs, xs))
    nu = np.trace(rho.at(sq), axis1=-2, axis2=-1).sum() / G.order
    r = int(round(nu.real))
    assert abs(nu - r) < 1e-8
    return r


def check_group(G: gt.FiniteGroup, *, samples: int = 40, seed: int = 0, full: bool = True,
                which=None) -> None:
    R = real_irreps(G)
    rng = np.random.default_rng(seed)
    assert len(R) == classes_up_to_inversion(G)
    # every complex irrep is used exactly once
    used = sorted(i for r in R for i in r.irreps)
    assert used == list(range(len(G.irreps())))
    total = 0.0
    comm = {}
    picks = range(len(R)) if which is None else which
    for k in picks:
        r = R[k]
        assert isinstance(r, RealIrrep) and r.index == k
        gens = r.generator_images
        assert gens.dtype == np.float64 and gens.shape == (len(G.generators), r.dim, r.dim)
        assert np.abs(gens @ np.transpose(gens, (0, 2, 1)) - np.eye(r.dim)).max(initial=0) < 1e-12
        a = rng.integers(0, G.order, samples)
        b = rng.integers(0, G.order, samples)
        A, B, C = r.at(a), r.at(b), r.at(np.asarray(G.multiply(a, b)))
        assert A.dtype == np.float64
        assert np.abs(A @ np.transpose(A, (0, 2, 1)) - np.eye(r.dim)).max() < 1e-12
        assert np.abs(A @ B - C).max() < 1e-10
        assert np.abs(r(int(a[0])) - A[0]).max() == 0
        assert np.abs(r.at(np.zeros(1, int))[0] - np.eye(r.dim)).max() < 1e-12
        # the generator images are the matrices of the generators (homomorphism data)
        assert np.abs(r.at(np.asarray(G.generators, int)) - gens).max(initial=0) < 1e-12
        c = commutant_dim(gens)
        comm[k] = c
        assert c == TYPE_COMMUTANT[r.type] == r.commutant_dim
        assert len(r.irreps) == (2 if r.type == "complex" else 1)
        d = G.irreps()[r.irreps[0]].dim
        assert r.dim == (d if r.type == "real" else 2 * d)
        # character per class: trace at the class representatives
        reps = np.asarray(G.conjugacy_classes().representatives)
        assert np.abs(np.trace(r.at(reps), axis1=1, axis2=2) - r.character).max() < 1e-9
        total += r.dim ** 2 / c
    if which is None:
        assert abs(total - G.order) < 1e-9
    if full:
        # types from the Frobenius-Schur indicator, computed with G.multiply
        for r in R:
            for i in r.irreps:
                assert indicator(G, G.irreps()[i]) == r.frobenius_schur
            assert r.frobenius_schur == {"real": 1, "complex": 0, "quaternionic": -1}[r.type]
        # orthogonality of the real characters from traces of all matrices
        sizes = np.asarray(G.conjugacy_classes().sizes)
        chars = np.array([np.trace(r.at(np.arange(G.order)), axis1=1, axis2=2) for r in R])
        ci = np.asarray(G.class_index)
        per_class = np.zeros((len(R), sizes.size))
        for k in range(len(R)):
            per_class[k] = np.bincount(ci, weights=chars[k]) / sizes
        gram = (per_class * sizes) @ per_class.T / G.order
        assert np.abs(gram - np.diag([comm[k] for k in range(len(R))])).max() < 1e-9


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogue_groups(max_order=120), st.integers(0, 2**32 - 1))
def test_catalogue_groups(data, seed):
    G, order, label = data
    check_group(G, seed=seed)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(known_presentations(), st.integers(0, 2**32 - 1))
def test_presentations(data, seed):
    text, order = data
    G = gt.from_presentation(text)
    assert G.order == order
    check_group(G, seed=seed)


@pytest.mark.parametrize("make", [
    lambda: gt.quaternion(8), lambda: gt.symmetric(4), lambda: gt.alternating(4),
    lambda: gt.alternating(5), lambda: gt.torus_p4m(2), lambda: gt.dicyclic(3),
    lambda: gt.special_linear(2, 3), lambda: gt.special_linear(2, 5),
])
def test_named_groups(make):
    check_group(make())


def test_known_types():
    # Q8: four real characters and the quaternionic 2-dim irrep (Serre 1977, 13.2)
    assert [(r.dim, r.type) for r in real_irreps(gt.quaternion(8))] == [(1, "real")] * 4 + [(4, "quaternionic")]
    # C3: the trivial character and the pair of complex ones, rotation by 2 pi / 3
    R = real_irreps(gt.cyclic(3))
    assert [r.type for r in R] == ["real", "complex"] and R[1].irreps == (1, 2)
    M = R[1](1)
    assert abs(np.trace(M) - 2 * np.cos(2 * np.pi / 3)) < 1e-12 and abs(np.linalg.det(M) - 1) < 1e-12
    # all irreps of symmetric groups are real (Young)
    assert all(r.type == "real" for r in real_irreps(gt.symmetric(5)))


@pytest.mark.parametrize("make,types", [
    (lambda: gt.dihedral(600), {"real"}),
    (lambda: gt.cyclic(1500), {"real", "complex"}),
    (lambda: gt.dicyclic(300), {"real", "quaternionic"}),
    (lambda: gt.torus_p4m(12), {"real"}),
])
def test_large_lazy_groups(make, types):
    G = make()
    assert G.order >= 1024 and G.irreps()[-1].is_lazy
    R = real_irreps(G)
    assert {r.type for r in R} == types
    rng = np.random.default_rng(1)
    which = sorted({0, len(R) - 1, *rng.integers(0, len(R), 6).tolist()})
    check_group(G, samples=60, full=False, which=which)
    # sum of dim^2 / commutant over all real irreps (commutant from the type, checked above
    # on a sample) and the indicators on a sample from G.multiply
    assert sum(r.dim ** 2 / TYPE_COMMUTANT[r.type] for r in R) == G.order
    for k in which[:4]:
        assert indicator(G, G.irreps()[R[k].irreps[0]]) == R[k].frobenius_schur


def test_lazy_real_form_blocks_of_largest_irrep():
    # the 8-dimensional irreps of torus_p4m(12): real form from the generators only, all
    # products of random pairs consistent
    G = gt.torus_p4m(12)
    R = [r for r in real_irreps(G) if r.dim == 8]
    assert len(R) == 10
    x = np.arange(G.order)
    M = R[0].at(x)
    y = np.asarray(G.multiply(x, x[::-1]))
    assert np.abs(M @ M[::-1] - R[0].at(y)).max() < 1e-10


def test_conjugate_intertwiner_dense_matches_monomial():
    for G in (gt.dihedral(5), gt.dihedral(8), gt.symmetric(4)):
        for rho in G.irreps():
            if rho.frobenius_schur != 1 or rho.monomial_data is None or rho.dim < 2:
                continue
            U = rho.unitary_generator_images
            K1 = conjugate_intertwiner(U)
            K2 = conjugate_intertwiner(U, rho.monomial_data)
            for K in (K1, K2):
                assert np.abs(U @ K - K @ U.conj()).max() < 1e-10
                assert np.abs(K - K.T).max() < 1e-12
            c = np.vdot(K1.ravel(), K2.ravel()) / rho.dim
            assert abs(abs(c) - 1) < 1e-10 and np.abs(K2 - c * K1).max() < 1e-10


def test_realify_is_a_homomorphism():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((4, 4)) + 1j * rng.standard_normal((4, 4))
    B = rng.standard_normal((4, 4)) + 1j * rng.standard_normal((4, 4))
    assert np.abs(realify(A @ B) - realify(A) @ realify(B)).max() < 1e-12


def test_bad_input():
    G = gt.dihedral(4)
    with pytest.raises(ParameterTypeError):
        real_irreps("dihedral(4)")
    with pytest.raises(InvalidLimitError):
        real_irreps(G, max_character_work=0)
    with pytest.raises(GroupTooLargeError):
        real_irreps(gt.dihedral(700), max_character_work=1000)
    r = real_irreps(G)[-1]
    with pytest.raises(ElementError):
        r.at([0, 8])
    with pytest.raises(ElementError):
        r(-1)
    with pytest.raises(ParameterTypeError):
        r.at([0.5])
    with pytest.raises(ParameterTypeError):
        r(1.0)
    with pytest.raises(AttributeError):
        r.dim = 3
    with pytest.raises(ValueError):
        r.generator_images[0, 0, 0] = 2.0
    with pytest.raises(ValueError):
        r.character[0] = 2.0
    assert r == real_irreps(G)[-1] and hash(r) == hash(real_irreps(G)[-1])
    assert r("r*s").shape == (2, 2)
