"""The kernel convention of grouptools._kernels: every kernel, compiled == plain, and lazy numba.

Each kernel is one Python source run two ways (``k(...)`` compiled by numba, ``k.py(...)`` by the
interpreter); the tests feed both the same random inputs and compare outputs and every array the
kernel writes to.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools._kernels import chain, convolution, coset, group, wigner
from grouptools._kernels import levels as levels_kernels
from grouptools._kernels._function import Kernel, kernel, prange
from grouptools.presentations._coset import _enumerate
from grouptools.presentations._parse import parse_presentation

SETTINGS = settings(max_examples=10, deadline=None)
GROUPS = [gt.cyclic(5), gt.dihedral(4), gt.symmetric(4), gt.abelian((2, 6)), gt.dicyclic(3)]


def both(k: Kernel, *args):
    """Run ``k`` compiled and plain on copies of ``args``; return both results and argument copies."""
    a = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
    b = [x.copy() if isinstance(x, np.ndarray) else x for x in args]
    return k(*a), k.py(*b), a, b


def same(x, y, tol=0.0) -> bool:
    if isinstance(x, tuple):
        return all(same(u, v, tol) for u, v in zip(x, y))
    x, y = np.asarray(x), np.asarray(y)
    if tol == 0.0:
        return x.shape == y.shape and np.array_equal(x, y)
    return x.shape == y.shape and np.allclose(x, y, rtol=tol, atol=tol)


def rand(rng, shape, complex_: bool):
    x = rng.normal(size=shape)
    return x + 1j * rng.normal(size=shape) if complex_ else x


# -- group ------------------------------------------------------------------------------------------
@SETTINGS
@given(i=st.integers(0, len(GROUPS) - 1), seed=st.integers(0, 2**32 - 1))
def test_group_kernels(i, seed):
    G = GROUPS[i]
    rng = np.random.default_rng(seed)
    letters = np.ascontiguousarray(G.letter_perms, dtype=np.int32)
    tree, tree_py, _, _ = both(group.bfs_tree, letters)
    assert same(tree, tree_py)
    order, parent, letter, _ = tree
    start = int(rng.integers(0, G.order))
    assert same(*both(group.tree_apply, order, parent, letter, letters, start)[:2])
    assert same(*both(group.cayley_rows, order, parent, letter, letters)[:2])
    a, b = rng.integers(0, G.order, size=(2, 7)).astype(np.int32)
    assert same(*both(group.multiply_pairs, letters, parent, letter, a, b)[:2])


# -- coset enumeration -------------------------------------------------------------------------------
PRESENTATIONS = [
    "<a,b | a^{n}, b^2, (a*b)^2>",
    "<a,b | a^{n}, b^3, (a*b)^2>",
    "<a,b | a^2, b^3, (a*b)^{n}>",
    "<a,b | a^{n}, b^2*a^-2, b^-1*a*b*a>",
]


@SETTINGS
@given(family=st.integers(0, len(PRESENTATIONS) - 1), n=st.integers(2, 5), rows=st.integers(8, 200),
       subgroup=st.booleans())
def test_coset_driver(family, n, rows, subgroup):
    """The enumeration driver run on both variants: identical tables and counters."""
    pres = parse_presentation(PRESENTATIONS[family].replace("{n}", str(n)))
    sub = [(1,)] if subgroup else []
    results = []
    for python in (False, True):
        stats: dict = {}
        try:
            table = _enumerate(pres, sub, max_cosets=rows, max_order=10**6, time_budget=60.0,
                               python=python, stats=stats)
        except gt.EnumerationLimitError as e:  # too few rows: both variants must fail alike
            results.append(type(e))
            continue
        results.append((table, stats["defined"], stats["coincidences"]))
    assert same(results[0], results[1]) if isinstance(results[0], tuple) else results[0] == results[1]


@SETTINGS
@given(n=st.integers(2, 5), rows=st.integers(6, 40), chunk=st.integers(1, 30))
def test_coset_kernels_step_by_step(n, rows, chunk):
    """Each coset kernel on the same arrays: equal returns and equal arrays after every call."""
    from grouptools.presentations._coset import _columns, _power_flags, _prepare_relators

    pres = parse_presentation(f"<a,b | a^{n}, b^2, (a*b)^2>")
    rels = _prepare_relators(pres.relators)
    rcols, roff = _columns(rels)
    rbit, rroot = _power_flags(rels)
    scols, soff = _columns([])
    table = np.full((rows, 4), -1, np.int32)
    p = np.zeros(rows, np.int32)
    flags = np.zeros(rows, np.uint8)
    state = coset.new_state()
    for _ in range(200):
        r, r_py, a, b = both(coset.hlt_chunk, table, p, flags, rcols, roff, rbit, rroot, scols, soff, state, chunk)
        assert r == r_py and all(same(x, y) for x, y in zip(a, b))
        table, p, flags, state = a[0], a[1], a[2], a[9]
        if r == coset.DONE:
            break
        if r == coset.FULL:
            r, r_py, a, b = both(coset.lookahead, table, p, flags, rcols, roff, rbit, state, 0, chunk)
            assert r == r_py and all(same(x, y) for x, y in zip(a, b))
            table, p, flags, state = a[0], a[1], a[2], a[6]
            _, _, a, b = both(coset.compact, table, p, flags, state)
            assert all(same(x, y) for x, y in zip(a, b))
            table, p, flags, state = a
            if state[coset.NEXT] == rows:  # no room gained: give up
                return
    live = int(state[coset.LIVE])
    order = np.zeros(live, np.int32)
    out = np.zeros((2, live), np.int32)
    r, r_py, a, b = both(coset.standardize, table, p, state, order, out)
    assert r == r_py and all(same(x, y) for x, y in zip(a, b))


# -- convolution and Clifford assembly ----------------------------------------------------------------
@SETTINGS
@given(i=st.integers(0, len(GROUPS) - 1), seed=st.integers(0, 2**32 - 1), complex_=st.booleans(),
       nb=st.integers(1, 3))
def test_convolution_kernels(i, seed, complex_, nb):
    G = GROUPS[i]
    rng = np.random.default_rng(seed)
    n = G.order
    T = np.asarray(G.cayley_table)
    vidx = np.sort(rng.choice(n, size=int(rng.integers(1, n + 1)), replace=False)).astype(np.int64)
    dtype = np.complex128 if complex_ else np.float64
    wval = rand(rng, vidx.shape, complex_).astype(dtype)
    ft = rand(rng, (n, nb), complex_).astype(dtype)
    x, y, _, _ = both(convolution.conv_direct, T, vidx, wval, ft, np.empty((n, nb), dtype))
    assert same(x, y, 1e-12)
    wmat = rand(rng, (vidx.size, 2, 3), complex_).astype(dtype)
    ft3 = rand(rng, (n, nb, 2), complex_).astype(dtype)
    x, y, _, _ = both(convolution.conv_direct_channels, T, vidx, wmat, ft3, np.empty((n, nb, 3), dtype))
    assert same(x, y, 1e-12)


def _sparse_rows(rng, nrows: int, nt: int, d: int):
    """Random CSR rows over columns ``(t, j)``: ``ptr``, ``tt``, ``jj``, ``val``."""
    counts = rng.integers(0, nt * d + 1, size=nrows)
    tt, jj = [], []
    for c in counts:
        cols = np.sort(rng.choice(nt * d, size=c, replace=False))
        tt.append(cols // d)
        jj.append(cols % d)
    ptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    tt = np.concatenate(tt).astype(np.int64) if nrows else np.zeros(0, np.int64)
    jj = np.concatenate(jj).astype(np.int64) if nrows else np.zeros(0, np.int64)
    return ptr, tt, jj, rand(rng, tt.shape, True)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), nb=st.integers(1, 3), nr=st.integers(1, 3), d=st.integers(1, 3),
       nt=st.integers(1, 4), npos=st.integers(1, 6))
def test_clifford_kernels(seed, nb, nr, d, nt, npos):
    rng = np.random.default_rng(seed)
    ptr, tt, jj, val = _sparse_rows(rng, nr * d, nt, d)
    spec = rand(rng, (nb, nt, npos), True)
    rpos = rng.integers(0, npos, size=(nr, d)).astype(np.int64)
    rconj = rng.integers(0, 2, size=(nr, d)).astype(bool)
    x, y, _, _ = both(convolution.clifford_forward, spec, rpos, rconj, ptr, tt, jj, val,
                      np.empty((nb, nr, d, d), np.complex128))
    assert same(x, y, 1e-12)
    blocks = rand(rng, (nb, nr, d, d), True)
    q1, q2 = (rng.integers(-1, npos, size=(nr, d)).astype(np.int64) for _ in range(2))
    c1, c2 = (rng.integers(0, 2, size=(nr, d)).astype(bool) for _ in range(2))
    w = rng.normal(size=nr)
    x, y, _, _ = both(convolution.clifford_inverse, blocks, ptr, tt, jj, val, q1, c1, q2, c2, w,
                      rand(rng, (nb, nt, npos), True))
    assert same(x, y, 1e-12)


# -- Wigner ------------------------------------------------------------------------------------------
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), j=st.integers(0, 6), nb=st.integers(1, 4))
def test_wigner_kernel(seed, j, nb):
    rng = np.random.default_rng(seed)
    prev = rng.normal(size=(max(2 * j - 1, 0), max(2 * j - 1, 0), nb))
    cur = rng.normal(size=(2 * j + 1, 2 * j + 1, nb))
    cb = rng.uniform(-1, 1, nb)
    _, _, a, b = both(wigner.wigner_step, prev, cur, cb, j, np.zeros((2 * j + 3, 2 * j + 3, nb)))
    assert same(a[-1], b[-1], 1e-12)


# -- chain FFT ---------------------------------------------------------------------------------------
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), copies=st.integers(1, 3), rows=st.integers(1, 6), cols=st.integers(1, 6),
       nb=st.integers(1, 4), complex_=st.booleans())
def test_chain_kernel(seed, copies, rows, cols, nb, complex_):
    """``csr_rows`` with copy ``t`` of source row ``c`` at ``c copies + t`` and of destination row
    ``r`` at ``r + t rows`` (both strides of the layout exercised)."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, cols + 1, size=rows)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    indices = np.concatenate([rng.permutation(cols)[:c] for c in counts]).astype(np.int64)
    values = rand(rng, int(indptr[-1]), complex_)
    src = rand(rng, (cols * copies, nb), complex_)
    dst = rand(rng, (rows * copies, nb), complex_)
    args = (indptr, indices * copies, np.ones_like(indices), values, np.arange(rows, dtype=np.int64),
            np.full(rows, rows, np.int64), copies, src, dst)
    x, y, a, b = both(chain.csr_rows, *args)
    assert same(x, y, 1e-12) and same(a[-1], b[-1], 1e-12)
    M = np.zeros((rows, cols), values.dtype)
    for r in range(rows):
        M[r, indices[indptr[r] : indptr[r + 1]]] = values[indptr[r] : indptr[r + 1]]
    want = np.einsum("rc,ctb->trb", M, src.reshape(cols, copies, nb)).reshape(copies * rows, nb)
    assert np.allclose(x, want)


def test_levels_kernel():
    """``apply_levels`` (with ``level_rows`` inside) compiled and plain, on the forward and adjoint
    levels of the solvable FFT of ``C2 wr C2 wr C2`` (order 128, from permutations), against the
    dense definition of the transform."""
    from grouptools.fourier import transform
    from grouptools.fourier._registry import METHODS

    G = gt.from_permutations([[4, 5, 6, 7, 0, 1, 2, 3], [2, 3, 0, 1, 4, 5, 6, 7], [1, 0, 2, 3, 4, 5, 6, 7]])
    P = METHODS["solvable"].plan(G)
    rng = np.random.default_rng(5)
    f = rng.normal(size=(3, G.order)) + 1j * rng.normal(size=(3, G.order))
    for levels in (P.forward, P.adjoint):
        outs = []
        for fn in (levels_kernels.apply_levels, levels_kernels.apply_levels.py):
            out = np.empty_like(f)
            fn(f, P.chain.elements, *levels, np.arange(G.order), out, 4)
            outs.append(out)
        assert same(outs[0], outs[1], 1e-12)
    got = METHODS["solvable"].execute(P, f, inverse=False)
    assert got.allclose(transform(G, f, method="dense"))


#: Every public kernel and the test that compares its two variants (helpers of coset.py run inside
#: hlt_chunk and lookahead).
COVERED = {
    "grouptools._kernels.group.bfs_tree": test_group_kernels,
    "grouptools._kernels.group.tree_apply": test_group_kernels,
    "grouptools._kernels.group.cayley_rows": test_group_kernels,
    "grouptools._kernels.group.multiply_pairs": test_group_kernels,
    "grouptools._kernels.coset.hlt_chunk": test_coset_kernels_step_by_step,
    "grouptools._kernels.coset.lookahead": test_coset_kernels_step_by_step,
    "grouptools._kernels.coset.compact": test_coset_kernels_step_by_step,
    "grouptools._kernels.coset.standardize": test_coset_kernels_step_by_step,
    "grouptools._kernels.convolution.conv_direct": test_convolution_kernels,
    "grouptools._kernels.convolution.conv_direct_channels": test_convolution_kernels,
    "grouptools._kernels.convolution.clifford_forward": test_clifford_kernels,
    "grouptools._kernels.convolution.clifford_inverse": test_clifford_kernels,
    "grouptools._kernels.wigner.wigner_step": test_wigner_kernel,
    "grouptools._kernels.chain.csr_rows": test_chain_kernel,
    "grouptools._kernels.levels.apply_levels": test_levels_kernel,
    "grouptools._kernels.levels.level_rows": test_levels_kernel,
}


KERNEL_MODULES = (chain, convolution, coset, group, levels_kernels, wigner)  # derived: test_derived_arithmetic.py


def test_every_kernel_is_covered():
    found = {
        f"{mod.__name__}.{name}"
        for mod in KERNEL_MODULES
        for name, obj in vars(mod).items()
        if isinstance(obj, Kernel) and not name.startswith("_")
    }
    assert found == set(COVERED)


# -- the mechanism ---------------------------------------------------------------------------------------
SCALE = 3


@kernel
def _double(x):
    return 2 * x


@kernel(parallel=True)
def _total(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += _double(a[i])
    return s


def test_kernel_variants_resolve_callees_and_prange():
    plain = _total.py.__globals__
    assert plain["prange"] is range and plain["_double"] is _double.py
    compiled = _total.compiled.py_func.__globals__
    assert compiled["_double"] is _double.compiled and compiled["prange"] is not range
    assert _total.py(np.arange(4.0)) == _total(np.arange(4.0)) == 12.0


def test_kernel_rejects_module_constants():
    def scaled(x):
        return SCALE * x

    k = kernel(scaled)
    with pytest.raises(TypeError, match="SCALE"):
        k.py(1.0)
    with pytest.raises(TypeError):
        kernel(np.sum)
    with pytest.raises(TypeError, match="closure"):
        kernel(lambda x: k(x))


def test_import_does_not_load_numba():
    code = "import sys, grouptools; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_perm_multiply_plain_keys_beyond_int16():
    """Keys ``sum_j image_j d^(r-1-j)`` exceed the int16 range of the image table: the plain
    variant must widen them as numba does (it raised OverflowError on S8 in a fresh process)."""
    from itertools import permutations

    from grouptools._kernels.derived import hash_insert, perm_multiply

    perms = np.array(list(permutations(range(7))), np.int16)  # all of S7 on 7 points, as images
    d, base = 7, np.arange(6)
    keys = np.zeros(len(perms), np.int64)
    for p in base:
        keys = keys * d + perms[:, p]
    assert keys.max() > np.iinfo(np.int16).max
    size = 2 * len(perms) + 1
    sk, sv = np.full(size, -1, np.int64), np.zeros(size, np.int64)
    hash_insert.py(keys, np.arange(len(perms)), sk, sv)
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, len(perms), 300), rng.integers(0, len(perms), 300)
    got = perm_multiply.py(perms, base, a, b, sk, sv)
    expected = [perms.tolist().index(perms[b[i]][perms[a[i]]].tolist()) for i in range(300)]
    assert got.tolist() == expected
