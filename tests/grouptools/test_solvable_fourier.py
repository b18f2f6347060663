"""The Clausen-Baum route along a composition series (``grouptools.fourier._solvable``).

Expected values come from the dense definition ``f_hat(rho) = sum_g f(g) rho(g)`` (``method="dense"``,
an independent computation with the irrep matrices), from round trips through the dense blocks,
from the group multiplication (homomorphism checks of the adapted irreps) and from counting the
entries of the levels directly.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import grouptools as gt
from grouptools._errors import InvalidGroupError
from grouptools._kernels.levels import apply_levels
from grouptools.fourier import _solvable, choose_method, inverse, transform
from grouptools.fourier._solvable_irreps import adapted_irreps, evaluate
from strategies import rel_err, signals


def wreath_gens(m: int, offset: int, total: int) -> list[list[int]]:
    """Generators of ``C2 wr ... wr C2`` (``m`` factors, order ``2^(2^m - 1)``) on the points
    ``offset .. offset + 2^m - 1`` of ``total`` points: swap the halves of the first block of each size."""
    gens = []
    for level in range(m):
        half = 2**level
        p = list(range(total))
        for i in range(half):
            p[offset + i], p[offset + i + half] = offset + i + half, offset + i
        gens.append(p)
    return gens


def two_group(parts: tuple[int, ...]) -> gt.FiniteGroup:
    """The direct product of the wreath products ``parts`` as a permutation group (no metadata)."""
    total = sum(2**m for m in parts)
    gens, offset = [], 0
    for m in parts:
        gens += wreath_gens(m, offset, total)
        offset += 2**m
    return gt.from_permutations(gens)


BUILDERS = {
    "P128 (C2 wr C2 wr C2)": lambda: two_group((3,)),
    "P256 (P128 x C2)": lambda: two_group((3, 1)),
    "D4 x D4 x C2": lambda: two_group((2, 2, 1)),
    "dic100 presented": lambda: gt.from_presentation("<a, x | a^100, x^2*a^-50, x^-1*a*x*a>"),
    "SD32 presented": lambda: gt.from_presentation("<a, b | a^16, b^2, b*a*b*a^-7>"),
    "(C3 x C3) : C4 presented": lambda: gt.from_presentation("<a, b, t | a^3, b^3, a*b*a^-1*b^-1, t^4, t^-1*a*t*b^-1, t^-1*b*t*a>"),
    "S4": lambda: gt.symmetric(4),
    "SL(2,3)": lambda: gt.special_linear(2, 3),
    "dihedral(9)": lambda: gt.dihedral(9),
    "torus_p4m(3)": lambda: gt.torus_p4m(3),
}
GROUPS = {name: build() for name, build in BUILDERS.items()}
NAMES = sorted(GROUPS)


def test_orders():
    # orders by hand: 2^7; 2^8; 8 * 8 * 2; 2 * 100; 32; 9 * 4; 24; 24; 18; 9 * 8
    want = {"P128 (C2 wr C2 wr C2)": 128, "P256 (P128 x C2)": 256, "D4 x D4 x C2": 128, "dic100 presented": 200,
            "SD32 presented": 32, "(C3 x C3) : C4 presented": 36, "S4": 24, "SL(2,3)": 24, "dihedral(9)": 18,
            "torus_p4m(3)": 72}
    assert {name: G.order for name, G in GROUPS.items()} == want


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), batch=st.sampled_from([(), (3,), (2, 5)]), complex_=st.booleans())
def test_forward_matches_dense(name, seed, batch, complex_):
    G = GROUPS[name]
    f = signals(G, seed, batch, complex_)
    got = transform(G, f, method="solvable")
    want = transform(G, f, method="dense")
    assert got.dims == want.dims and got.batch_shape == batch
    assert rel_err(got, want) < 1e-10


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), batch=st.sampled_from([(), (4,), (2, 3)]), complex_=st.booleans())
def test_inverse_matches_dense(name, seed, batch, complex_):
    G = GROUPS[name]
    f = signals(G, seed, batch, complex_)
    blocks = transform(G, f, method="dense")
    back = inverse(G, blocks, method="solvable")
    assert back.shape == f.shape
    np.testing.assert_allclose(back, f, atol=1e-10 * max(1.0, float(np.abs(f).max())))
    assert rel_err(inverse(G, blocks, method="solvable"), inverse(G, blocks, method="dense")) < 1e-10


@pytest.mark.parametrize("name", ["P128 (C2 wr C2 wr C2)", "(C3 x C3) : C4 presented", "SL(2,3)"])
def test_adapted_irreps_restrict_block_diagonally_and_multiply(name):
    G = GROUPS[name]
    ch = _solvable.chain(G)
    levels = adapted_irreps(G, ch)
    orders = ch.orders
    for i in range(1, len(levels)):
        assert sum(r.dim**2 for r in levels[i]) == orders[i]
        for rho in levels[i]:
            # restriction to G_(i-1): the listed irreps of G_(i-1), in their bases, on the diagonal
            d = rho.dim
            want = np.zeros((i - 1, d, d), complex)
            for k, s in rho.blocks:
                e = levels[i - 1][k].dim
                want[:, s : s + e, s : s + e] = levels[i - 1][k].gm
            np.testing.assert_allclose(rho.gm[:-1], want, atol=1e-12)
            np.testing.assert_allclose(rho.gm[-1] @ np.conj(rho.gm[-1].T), np.eye(d), atol=1e-10)
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, G.order, 30), rng.integers(0, G.order, 30)
    xy = np.asarray(G.multiply(x, y))
    n = ch.gens.size
    for rho in levels[-1]:
        a, b, c = (evaluate(rho, ch.digits(z, n)) for z in (x, y, xy))
        np.testing.assert_allclose(a @ b, c, atol=1e-10)


def _entries(levels: tuple) -> list[int]:
    segptr, _, _, start, block = levels
    ends = list(start[1:]) + [segptr.size - 1]
    return [int(segptr[e] - segptr[s]) for s, e in zip(start, ends)]


@pytest.mark.parametrize("name", NAMES)
def test_madds_count_the_levels(name):
    G = GROUPS[name]
    P = _solvable.plan(G)
    n = G.order
    blocks = P.forward[4]
    assert P.madds == sum(e * (n // int(k)) for e, k in zip(_entries(P.forward), blocks))
    assert P.madds == sum(e * (n // int(k)) for e, k in zip(_entries(P.adjoint), P.adjoint[4]))
    assert int(blocks[-1]) == n and n % int(blocks[0]) == 0


def test_two_group_count_is_a_small_multiple_of_n_log_n():
    G = two_group((3, 1))  # 2^8
    P = _solvable.plan(G)
    ratio = P.madds / (G.order * math.log2(G.order))
    assert 1.0 <= ratio <= 3.0  # a level reads at least the |G| spectra once; target "small constant"
    assert P.madds < G.order**2 / 8


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), nb=st.integers(1, 19), complex_=st.booleans(),
       cache_rows=st.sampled_from([1, 4, 16, 128, 1024]))
def test_kernel_compiled_equals_plain(seed, nb, complex_, cache_rows):
    """Both variants, with the leading levels run block by block (``cache_rows``) or not, agree."""
    G = GROUPS["D4 x D4 x C2"]
    P = _solvable.plan(G)
    f = signals(G, seed, (nb,), complex_)
    n = G.order
    outs = []
    for levels in (P.forward, P.adjoint):  # blocks growing, resp. shrinking
        outs = []
        for fn, rows in ((apply_levels, cache_rows), (apply_levels.py, cache_rows), (apply_levels.py, 1)):
            out = np.empty((nb, n), complex)
            fn(f, P.chain.elements, *levels, np.arange(n), out, rows)
            outs.append(out)
        scale = max(1.0, float(np.abs(outs[2]).max()))
        np.testing.assert_allclose(outs[0], outs[2], atol=1e-12 * scale)
        np.testing.assert_allclose(outs[1], outs[2], atol=1e-12 * scale)


def test_not_solvable_and_auto_choice():
    A5 = gt.alternating(5)
    assert not _solvable.applies(A5)
    with pytest.raises(InvalidGroupError):
        transform(A5, np.zeros(60), method="solvable")
    # structured groups keep their own routes; small ones stay dense
    assert _solvable.cost(gt.dihedral(500)) == math.inf
    assert choose_method(GROUPS["P128 (C2 wr C2 wr C2)"]) == "dense"
    # |G| sum p_i = 256 * 16 against the dense 256^2 / 24
    assert _solvable.cost(GROUPS["P256 (P128 x C2)"]) == 256 * 16 and choose_method(GROUPS["P256 (P128 x C2)"]) == "dense"
    G = two_group((3, 2))  # P128 x (C2 wr C2), order 2^10: 1024 * 20 against 23552 for the discovered route
    assert G.structure is None and _solvable.cost(G) == 1024 * 20 and choose_method(G) == "solvable"
    f = signals(G, 3, (2,), False)
    assert rel_err(transform(G, f), transform(G, f, method="dense")) < 1e-10
