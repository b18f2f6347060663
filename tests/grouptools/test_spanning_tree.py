"""The level-by-level spanning tree (numpy) equals the element-by-element kernel's, exactly."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from grouptools._kernels.group import bfs_tree, bfs_tree_levels, spanning_tree


@st.composite
def letter_arrays(draw):
    n = draw(st.integers(1, 80))
    k = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(k):
        p = rng.permutation(n)
        rows += [p, np.argsort(p)]  # a letter and its inverse, as in letter_perms
    return np.stack(rows).astype(np.int32)


@settings(max_examples=200, deadline=None)
@given(letter_arrays())
def test_levels_equal_the_kernel(letters):
    expected = bfs_tree.py(letters)
    got = bfs_tree_levels(letters, max_levels=10**6)
    for a, b in zip(expected, got):
        assert np.array_equal(a, b)
    for a, b in zip(expected, spanning_tree(letters)):
        assert np.array_equal(a, b)


def test_too_many_levels_hands_over():
    n = 200
    cyc = np.roll(np.arange(n), -1).astype(np.int32)
    letters = np.stack([cyc, np.argsort(cyc).astype(np.int32)])
    assert bfs_tree_levels(letters, max_levels=10) is None  # diameter 100
    order, parent, letter, depth = spanning_tree(letters)
    assert int(depth.max()) == n // 2 and sorted(order.tolist()) == list(range(n))
