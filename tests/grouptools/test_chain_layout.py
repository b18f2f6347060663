"""The levels of the chain FFT on their row layout (``grouptools.fourier._chain_levels``).

Expected values come from the definition of a level written out with explicit loops over the
layout (input row ``(s, j, t, c, t')``, output row ``(r, o + j, t', a)``, block entry
``R[a, (t, c)] = rho_r(t)[a, o + c]``), independently of the BLAS products and of the sparse kernel;
the adjoints are checked against ``<Y, L X> = <L^H Y, X>``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools.fourier import _chain, _chain_rotate
from grouptools.fourier._chain_levels import DenseLevel, Sparse, flat_offsets, level_blocks
from grouptools.reps import adapted_irreps

GROUPS = {"S4": gt.symmetric(4), "A5": gt.alternating(5), "SL(2,3)": gt.special_linear(2, 3), "Q8": gt.quaternion()}


def _structure(name, i):
    """Degrees, input degrees, branching and coset count of level ``i`` of the default chain."""
    A = adapted_irreps(GROUPS[name])
    L, B = A.levels[i], A.levels[i - 1]
    return L.dims, B.dims, L.branching, L.order // B.order


def _reference(dims, in_dims, branching, mats, copies, X):
    """The level by its definition, entry by entry."""
    out_off, in_off = flat_offsets(dims), flat_offsets(in_dims)
    nT = mats[0].shape[0]
    Y = np.zeros(X.shape, np.result_type(X, mats[0]))
    for r, d in enumerate(dims):
        o = 0
        for s in branching[r]:
            e = in_dims[s]
            for j in range(e):
                for tp in range(copies):
                    for a in range(d):
                        row = out_off[r] * copies + (o + j) * copies * d + tp * d + a
                        for t in range(nT):
                            for c in range(e):
                                src = (nT * in_off[s] + j * nT * e + t * e + c) * copies + tp
                                Y[row] += mats[r][t, a, o + c] * X[src]
            o += e
    return Y


def _levels(name, i, copies, seed, real):
    dims, in_dims, branching, nT = _structure(name, i)
    rng = np.random.default_rng(seed)
    mats = [rng.normal(size=(nT, d, d)) + (0 if real else 1j * rng.normal(size=(nT, d, d))) for d in dims]
    mats = [np.where(np.abs(M) < 0.3, 0, M) for M in mats]  # exact zeros for the sparse kernel to drop
    blocks = level_blocks(dims, in_dims, branching, mats)
    return (dims, in_dims, branching, mats, DenseLevel.build(dims, in_dims, blocks, copies),
            Sparse.build(dims, in_dims, blocks, copies))


CASES = [("S4", 1), ("S4", 2), ("S4", 3), ("A5", 2), ("A5", 4), ("SL(2,3)", 3), ("Q8", 2)]


@pytest.mark.parametrize("name, i", CASES)
@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), copies=st.integers(1, 3), width=st.integers(1, 3),
       real=st.booleans(), real_data=st.booleans())
def test_levels_match_the_definition(name, i, seed, copies, width, real, real_data):
    dims, in_dims, branching, mats, D, S = _levels(name, i, copies, seed, real)
    rng = np.random.default_rng(seed + 1)
    rows = sum(d * d for d in dims) * copies
    X = rng.normal(size=(rows, width)) + (0 if real_data else 1j * rng.normal(size=(rows, width)))
    want = _reference(dims, in_dims, branching, mats, copies, X)
    for op in (D, S):  # real data into a complex level: DenseLevel's one real product [Re R; Im R]
        got = op.forward(X)
        assert got.shape == X.shape and np.allclose(got, want, atol=1e-12)
    Y = rng.normal(size=(rows, width)) + 1j * rng.normal(size=(rows, width))
    for back in (D.adjoint(Y), S.adjoint.apply(Y)):  # <Y, L X> = <L^H Y, X>
        assert np.isclose(np.vdot(Y, want), np.vdot(back, X), atol=1e-9)


@pytest.mark.parametrize("name", ["S4", "A5", "SL(2,3)"])
def test_plan_layout_and_counts(name):
    """The first level's rows are the elements ``t_m ... t_1`` with ``t_1`` outermost (each once);
    the output step stores entry ``(a, b)`` of a block from row ``(b, a)`` and its adjoint undoes it
    (the rotations are unitary); the real count lies between the count and 4 times it, and
    ``rotation_madds`` between ``sum d^3`` and ``2 sum d^3``."""
    G = GROUPS[name]
    P = _chain.plan(G)
    assert np.array_equal(np.sort(P.perm), np.arange(G.order))
    Y = np.arange(G.order, dtype=float)[:, None] + np.zeros((1, 3))
    out = _chain_rotate.emit(P, Y, False)
    o = 0
    for d in P.dims:  # entry (a, b) of a block is stored at (b, a)
        blk = out[0, o : o + d * d].real.reshape(d, d) - o
        assert np.array_equal(blk, (np.arange(d)[None, :] * d + np.arange(d)[:, None]))
        o += d * d
    Z = np.random.default_rng(1).normal(size=(G.order, 3))
    for rotate in (False, True):
        assert np.allclose(_chain_rotate.absorb(P, _chain_rotate.emit(P, Z, rotate), rotate), Z, atol=1e-12)
    assert P.madds <= P.real_madds <= 4 * P.madds
    cube = sum(d**3 for d in P.dims if d > 1)
    # at least the right factor; folding is chosen by the real count, never above no folding (2 d^3 apart)
    unfolded = _chain.chain_plan(G, P.adapted, fold=False)
    assert cube <= P.rotation_madds and unfolded.rotation_madds == 2 * cube
    assert P.real_madds <= unfolded.real_madds or P.chain_orders != unfolded.chain_orders


@pytest.mark.parametrize("name", ["A5", "S4"])
def test_rotation_fold_choice(name):
    """Folding the left factor into the top level changes how the rotation is run and counted
    (``d^3`` per irrep apart, or the top level's own count), not the result."""
    G = GROUPS[name]
    A = adapted_irreps(G)
    f = np.random.default_rng(3).normal(size=(2, G.order))
    want = _chain.execute(_chain.plan(G), f, inverse=False)
    cube = sum(d**3 for d in A.dims if d > 1)
    for fold in (False, True):
        P = _chain.chain_plan(G, A, fold=fold)
        assert all((left is None) == (fold or d == 1) for d, (left, _) in zip(P.dims, P.rotations))
        if not fold:
            assert P.rotation_madds == 2 * cube
        got = _chain.execute(P, f, inverse=False)
        assert max(np.abs(a - b).max() for a, b in zip(got, want)) < 1e-10
        assert np.allclose(_chain.execute(P, got, inverse=True, real=True), f, atol=1e-10)
