"""Tests of grouptools.uncertainty: Meshulam's and Donoho-Stark's inequalities.

Expected values: the theorems themselves (inequalities on random sparse functions), the exact
equality cases (subgroup indicators and their cosets have support |K| and Fourier rank |G|/|K|,
both computed here from the subgroup's order), and for abelian groups numpy's FFT.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools.fourier._convolution import left_translate
from grouptools.fourier import transform
from grouptools.uncertainty import (
    block_ranks,
    check_meshulam,
    coset_indicator,
    donoho_stark,
    fourier_rank,
    meshulam_bound,
    subgroup_indicator,
    support_size,
)

SETTINGS = settings(max_examples=25, deadline=None)

_MAKERS = [
    lambda: gt.cyclic(12),
    lambda: gt.abelian((2, 2, 3)),
    lambda: gt.abelian((4, 6)),
    lambda: gt.dihedral(6),
    lambda: gt.dicyclic(4),
    lambda: gt.symmetric(3),
    lambda: gt.symmetric(4),
    lambda: gt.torus_p4m(2),
    lambda: gt.torus_p4m(3),
    lambda: gt.semidirect_product(gt.cyclic(5), gt.cyclic(4), [["a^2"]]),
    lambda: gt.direct_product(gt.dihedral(3), gt.abelian((2,))),
    lambda: gt.smallgroup_200_44(),
]
_GROUPS: dict = {}


def _group(i: int) -> gt.FiniteGroup:
    if i not in _GROUPS:
        _GROUPS[i] = _MAKERS[i]()
    return _GROUPS[i]


groups = st.builds(_group, st.integers(0, len(_MAKERS) - 1))
abelian_groups = st.builds(_group, st.sampled_from([0, 1, 2]))


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1), k=st.integers(1, 12), complex_=st.booleans())
def test_meshulam_on_random_sparse_functions(G, seed, k, complex_):
    rng = np.random.default_rng(seed)
    f = np.zeros(G.order, complex if complex_ else float)
    supp = rng.choice(G.order, size=min(k, G.order), replace=False)
    f[supp] = rng.normal(size=supp.size) + (1j * rng.normal(size=supp.size) if complex_ else 0)
    rep = meshulam_bound(G, f)
    assert rep.support == supp.size
    assert rep.order == G.order and rep.holds and rep.ratio >= 1
    assert check_meshulam(G, f)
    # the rank is at most |G| and at least ceil(|G| / |supp|)
    assert -(-G.order // rep.support) <= rep.rank <= G.order


@SETTINGS
@given(G=groups, seed=st.integers(0, 2**32 - 1), ngen=st.integers(0, 2), side=st.sampled_from(["left", "right"]))
def test_equality_on_subgroups_and_cosets(G, seed, ngen, side):
    rng = np.random.default_rng(seed)
    K = G.subgroup(rng.choice(G.order, size=ngen).tolist())
    expected_rank = G.order // K.order  # f_hat(rho) = |K| * (projector onto rho's K-invariants)
    ind = subgroup_indicator(G, K)
    assert ind.sum() == K.order
    rep = meshulam_bound(G, ind)
    assert (rep.support, rep.rank) == (K.order, expected_rank) and rep.tight
    g = int(rng.integers(G.order))
    coset = coset_indicator(G, K, g, side=side)
    rep_c = meshulam_bound(G, coset)
    assert (rep_c.support, rep_c.rank) == (K.order, expected_rank) and rep_c.tight
    if side == "left":  # g K is the left translate of K
        assert np.array_equal(coset, left_translate(G, ind, g))


@SETTINGS
@given(G=abelian_groups, seed=st.integers(0, 2**32 - 1), k=st.integers(1, 12), ngen=st.integers(0, 2))
def test_donoho_stark(G, seed, k, ngen):
    rng = np.random.default_rng(seed)
    f = np.zeros(G.order)
    supp = rng.choice(G.order, size=min(k, G.order), replace=False)
    f[supp] = rng.normal(size=supp.size)
    rep = donoho_stark(G, f)
    spectrum = np.abs(np.fft.fftn(f.reshape(G.structure.invariants)))  # |f_hat| up to reordering
    assert rep.support == supp.size
    assert rep.rank == int(np.sum(spectrum > 1e-9 * spectrum.max()))
    assert rep.holds
    assert rep.rank == fourier_rank(G, f)  # all d_rho = 1: Meshulam's rank is |supp f_hat|
    K = G.subgroup(rng.choice(G.order, size=ngen).tolist())
    rep_k = donoho_stark(G, subgroup_indicator(G, K))
    assert rep_k.tight and rep_k.support == K.order


def test_fourier_rank_examples():
    G = gt.symmetric(4)
    delta = np.eye(24)[0]
    assert fourier_rank(G, delta) == 24  # every block is the identity
    assert fourier_rank(G, np.ones(24)) == 1  # only the trivial block is nonzero
    assert fourier_rank(G, transform(G, np.ones(24), norm="unitary")) == 1
    f = np.random.default_rng(0).normal(size=(3, 24))
    r = fourier_rank(G, f)
    assert r.shape == (3,) and np.all(r == 24)  # generic functions have full rank
    ranks = block_ranks(G, f)
    assert ranks.shape == (3, len(transform(G, f)))


def test_support_size_and_tolerances():
    f = np.array([[1.0, 1e-12, 0.0, -3.0], [0.0, 0.0, 0.0, 0.0]])
    assert support_size(f).tolist() == [2, 0]
    assert support_size(f, tol=0).tolist() == [3, 0]
    assert support_size([0.0, 2.0]) == 1
    # the rank tolerance is relative to the largest singular value over all blocks
    G = gt.dihedral(4)
    g = np.eye(8)[0] + 1e-13 * np.random.default_rng(1).normal(size=8)
    assert fourier_rank(G, np.ones(8) + 0 * g) == 1
    assert fourier_rank(G, np.ones(8) + 1e-13 * g) == 1
    assert fourier_rank(G, np.ones(8) + 1e-13 * g, tol=0) == 8
    with pytest.raises(gt.InvalidGroupError):
        support_size(f, tol=1.5)
    with pytest.raises(gt.InvalidGroupError):
        support_size(3.0)


def test_errors():
    with pytest.raises(gt.InvalidGroupError):
        donoho_stark(gt.dihedral(3), np.eye(6)[0])
    with pytest.raises(gt.InvalidGroupError):
        meshulam_bound(gt.dihedral(3), np.zeros(6))
    with pytest.raises(gt.InvalidGroupError):
        meshulam_bound(gt.dihedral(3), np.ones((2, 6)))
    with pytest.raises(gt.InvalidGroupError):
        coset_indicator(gt.dihedral(3), [1], 9)
    with pytest.raises(gt.InvalidGroupError):
        coset_indicator(gt.dihedral(3), [1], 1, side="middle")
    other = gt.dihedral(4)
    with pytest.raises(gt.InvalidGroupError):
        subgroup_indicator(gt.cyclic(8), other.subgroup([1]))
