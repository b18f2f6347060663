"""Young's orthogonal form (``grouptools.reps._young``) and the Gel'fand-Tsetlin property.

Expected values are independent of the code under test: characters from the Murnaghan-Nakayama
rule (implemented here on beta-sets: removing a rim hook of length ``k`` is moving a bead from
``b`` to ``b - k``, with sign ``(-1)^(beads jumped)``), degrees from the hook length formula,
products of permutations composed directly, and the branching rule from the shapes.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import block_diag

import grouptools as gt
from grouptools._errors import ParameterError
from grouptools.reps import _young as Y


@lru_cache(maxsize=None)
def mn_character(shape: tuple[int, ...], cycle_type: tuple[int, ...]) -> int:
    """chi^shape on the class of cycle type ``cycle_type`` by the Murnaghan-Nakayama rule."""
    if not cycle_type:
        return 1 if sum(shape) == 0 else 0
    k, rest = cycle_type[0], cycle_type[1:]
    L = len(shape)
    beta = [shape[i] + (L - 1 - i) for i in range(L)]  # distinct, decreasing
    total = 0
    for i, b in enumerate(beta):
        nb = b - k
        if nb < 0 or nb in beta:
            continue
        sign = (-1) ** sum(1 for c in beta if nb < c < b)
        new = sorted([c for c in beta if c != b] + [nb], reverse=True)
        lam = tuple(x for x in (new[j] - (L - 1 - j) for j in range(L)) if x > 0)
        total += sign * mn_character(lam, rest)
    return total


def hook_dimension(shape: tuple[int, ...]) -> int:
    n = sum(shape)
    conj = [sum(1 for r in shape if r > j) for j in range(shape[0])]
    hooks = 1
    for i, r in enumerate(shape):
        for j in range(r):
            hooks *= (r - j - 1) + (conj[j] - i - 1) + 1
    return math.factorial(n) // hooks


def perm_of_type(cycle_type: tuple[int, ...]) -> np.ndarray:
    p = np.arange(sum(cycle_type))
    start = 0
    for c in cycle_type:
        idx = np.arange(start, start + c)
        p[idx] = np.roll(idx, -1)
        start += c
    return p


def compose(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """GAP's product ``p*q`` (first ``p``, then ``q``) of image lists."""
    return q[p]


def test_partitions_and_degrees():
    for n in range(1, 9):
        parts = Y.partitions(n)
        assert len(set(parts)) == len(parts)
        assert all(sum(p) == n for p in parts)
        # sum of squares of the degrees is n!
        assert sum(hook_dimension(p) ** 2 for p in parts) == math.factorial(n)
        for p in parts:
            assert Y.standard_tableaux(p).shape == (hook_dimension(p), n)
    assert [len(Y.partitions(n)) for n in range(1, 10)] == [1, 2, 3, 5, 7, 11, 15, 22, 30]


def test_tableaux_are_standard_and_in_last_letter_order():
    for lam in Y.partitions(6):
        rows = Y.standard_tableaux(lam)
        for t in rows:
            # rows filled in increasing order left to right, columns increasing downwards
            fill = [[k + 1 for k in range(6) if t[k] == i] for i in range(len(lam))]
            assert [len(r) for r in fill] == list(lam)
            for i in range(1, len(fill)):
                assert all(fill[i][j] > fill[i - 1][j] for j in range(len(fill[i])))
        keys = [tuple(t[::-1]) for t in rows.tolist()]  # row of n, then of n-1, ...
        assert keys == sorted(keys) and len(set(keys)) == len(keys)


@pytest.mark.parametrize("n", range(2, 8))
def test_characters_are_murnaghan_nakayama(n):
    for lam in Y.partitions(n):
        for mu in Y.partitions(n):
            M = Y.young_matrices(lam, perm_of_type(mu)[None, :])[0]
            assert abs(np.trace(M) - mn_character(lam, mu)) < 1e-9, (lam, mu)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 7), data=st.data())
def test_homomorphism_orthogonal(n, data):
    lam = data.draw(st.sampled_from(Y.partitions(n)))
    p = np.array(data.draw(st.permutations(range(n))))
    q = np.array(data.draw(st.permutations(range(n))))
    A, B, C = Y.young_matrices(lam, np.stack([p, q, compose(p, q)]))
    assert np.allclose(A @ B, C, atol=1e-10)
    assert np.allclose(A @ A.T, np.eye(A.shape[0]), atol=1e-10)


@pytest.mark.parametrize("n", range(2, 7))
def test_generators_satisfy_coxeter_relations(n):
    for lam in Y.partitions(n):
        S = Y.young_generators(lam)
        d = S.shape[1]
        for i in range(n - 1):
            assert np.allclose(S[i] @ S[i], np.eye(d))
            assert np.allclose(S[i], S[i].T)
            assert np.count_nonzero(np.abs(S[i]) > 1e-15, axis=1).max() <= 2
            for j in range(i + 1, n - 1):
                if j == i + 1:
                    assert np.allclose(S[i] @ S[j] @ S[i], S[j] @ S[i] @ S[j])
                else:
                    assert np.allclose(S[i] @ S[j], S[j] @ S[i])


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 7), data=st.data())
def test_restriction_is_the_branching_rule(n, data):
    lam = data.draw(st.sampled_from(Y.partitions(n)))
    h = np.array(data.draw(st.permutations(range(n - 1))))
    p = np.concatenate([h, [n - 1]])  # fixes the last point: an element of S_{n-1}
    M = Y.young_matrices(lam, p[None, :])[0]
    blocks = []
    for i in Y.removable_corners(lam):  # rows ascending: the box removed from row i
        mu = list(lam)
        mu[i] -= 1
        mu = tuple(x for x in mu if x)
        blocks.append(Y.young_matrices(mu, h[None, :])[0] if mu else np.ones((1, 1)))
    assert np.allclose(M, block_diag(*blocks), atol=1e-10)


def test_group_elements_and_transpositions():
    for n in (3, 4, 5):
        G = gt.symmetric(n)
        img = Y.permutation_images(G)
        assert len({r.tobytes() for r in img}) == G.order
        x, y = 7 % G.order, 11 % G.order
        assert np.array_equal(img[G.multiply(x, y)], compose(img[x], img[y]))
        s = Y.transposition_elements(G)
        for i, e in enumerate(s, start=1):
            p = np.arange(n)
            p[[i - 1, i]] = [i, i - 1]
            assert np.array_equal(img[e], p)
    assert Y.symmetric_degree(gt.alternating(4)) is None
    assert Y.symmetric_degree(gt.dihedral(3)) is None  # no natural action recorded


def test_bad_input():
    with pytest.raises(ParameterError):
        Y.partitions(0)
    with pytest.raises(ParameterError):
        Y.standard_tableaux((1, 2))
    with pytest.raises(ParameterError):
        Y.young_matrices((2, 1), [[0, 0, 1]])
    with pytest.raises(ParameterError):
        Y.young_sparse((2, 1)).dense(3)
    with pytest.raises(gt.GroupTooLargeError):
        Y.young_matrices((2, 1), np.tile(np.arange(3), (10, 1)), max_entries=8)


def test_all_permutations_of_s4_give_the_regular_character():
    perms = np.array(list(itertools.permutations(range(4))))
    total = np.zeros(len(perms))
    for lam in Y.partitions(4):
        M = Y.young_matrices(lam, perms)
        total += hook_dimension(lam) * np.trace(M, axis1=1, axis2=2)
    expected = np.where((perms == np.arange(4)).all(axis=1), 24.0, 0.0)
    assert np.allclose(total, expected)
