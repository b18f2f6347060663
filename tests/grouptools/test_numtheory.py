"""The number-theory and modular foundations of grouptools.arith against independent computations.

Each function in ``grouptools.arith._numtheory`` and ``grouptools.arith._modular`` (the one copy
used by every layer) is checked against sympy's number theory, sympy's matrices over ``GF(p)``
or brute force.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import GF
from sympy.ntheory.modular import crt as sympy_crt
from sympy.polys.matrices import DomainMatrix

from grouptools.arith._modular import (
    crt,
    inverse_det_mod,
    inverse_mod,
    matmul_mod,
    rank_profiles,
    reduce_mod,
)
from grouptools.arith._numtheory import (
    as_rational,
    cyclotomic_polynomial,
    factorize,
    is_prime,
    prime_factors,
    primes_one_mod,
    primitive_root,
    root_of_unity_mod,
    square_part,
    unit_group_generators,
)

FAST = settings(max_examples=40, deadline=None)
PRIMES = [3, 5, 7, 13, 97, 65537, (1 << 26) - 5, (1 << 31) - 1]  # below 2^26 and up to 2^31


@FAST
@given(st.one_of(st.integers(-5, 10**6), st.integers(1, 10**24)))
def test_is_prime(n):
    assert is_prime(n) == sympy.isprime(n)


def test_is_prime_strong_pseudoprimes():
    # strong pseudoprimes to several small bases
    for n in (2047, 1373653, 25326001, 3215031751, 2152302898747, 3474749660383, 341550071728321,
              3825123056546413051):
        assert not is_prime(n)


@FAST
@given(st.integers(1, 10**9))
def test_factorize_and_prime_factors(n):
    assert dict(factorize(n)) == sympy.factorint(n)
    assert [p for p, _ in factorize(n)] == sorted(sympy.factorint(n))
    assert prime_factors(n) == sympy.primefactors(n)


@FAST
@given(st.integers(1, 10**9))
def test_square_part(n):
    s, f = square_part(n, 1 << 17)
    assert s * s * f == n
    assert all(e == 1 for e in sympy.factorint(f).values())


def test_square_part_bound():
    big = sympy.nextprime(10**7) * sympy.nextprime(10**7 + 100)
    with pytest.raises(ValueError):
        square_part(big, 1000)
    assert square_part(sympy.nextprime(10**5), 1000) == (1, sympy.nextprime(10**5))


@FAST
@given(st.integers(3, 10**6).map(sympy.prevprime))
def test_primitive_root(p):
    assert primitive_root(p) == sympy.primitive_root(p)


@FAST
@given(st.integers(1, 400), st.integers(3, 5000))
def test_primes_one_mod(m, limit):
    want = [p for p in range(limit - 1, 2, -1) if (p - 1) % m == 0 and sympy.isprime(p)]
    assert list(primes_one_mod(m, limit)) == want


@FAST
@given(st.integers(1, 200), st.integers(0, 5))
def test_root_of_unity_mod(m, skip):
    gen = primes_one_mod(m, 1 << 31)
    for _ in range(skip):
        next(gen)
    p = next(gen)
    w = root_of_unity_mod(m, p)
    assert 0 < w < p and pow(w, m, p) == 1
    assert sympy.n_order(w, p) == m


def test_root_of_unity_mod_brute_force():
    for p in (13, 37, 41, 97):
        for m in sympy.divisors(p - 1):
            w = root_of_unity_mod(m, p)
            assert min(k for k in range(1, m + 1) if pow(w, k, p) == 1) == m
    with pytest.raises(ValueError):
        root_of_unity_mod(5, 13)


@FAST
@given(st.integers(1, 3000))
def test_unit_group_generators(n):
    gens = unit_group_generators(n)
    units = {u for u in range(n) if math.gcd(u, n) == 1} if n > 1 else {0}
    assert math.prod(t for _, t in gens) == sympy.totient(n)
    for g, t in gens:
        assert sympy.n_order(g, n) == t
    # the products g_1^a_1 ... g_r^a_r, 0 <= a_i < t_i, are all the units: a direct product
    span = {1 % n}
    for g, t in gens:
        span = {x * pow(g, a, n) % n for x in span for a in range(t)}
    assert span == units


@FAST
@given(st.integers(1, 300))
def test_cyclotomic_polynomial(m):
    x = sympy.Symbol("x")
    want = [int(c) for c in reversed(sympy.Poly(sympy.cyclotomic_poly(m, x), x).all_coeffs())]
    assert list(cyclotomic_polynomial(m)) == want


def test_as_rational():
    assert as_rational(np.int64(3)) == 3 and type(as_rational(np.int64(3))) is int
    assert as_rational(Fraction(2, 4)) == Fraction(1, 2)
    assert as_rational(sympy.Rational(1, 3)) == Fraction(1, 3)  # a numbers.Rational
    assert as_rational(0.5) is None and as_rational("1") is None


# -- modular linear algebra ------------------------------------------------------------------


@FAST
@given(st.sampled_from(PRIMES), st.integers(1, 6), st.integers(1, 2100), st.integers(1, 5),
       st.integers(0, 2**32))
def test_matmul_mod(p, r, k, c, seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, p, (r, k)).astype(np.int64)
    b = rng.integers(0, p, (k, c)).astype(np.int64)
    want = (a.astype(object) @ b.astype(object)) % p
    assert (matmul_mod(a, b, p) == want).all()


@FAST
@given(st.lists(st.sampled_from(PRIMES), min_size=1, max_size=4), st.integers(0, 2**32))
def test_matmul_mod_batched(ps, seed):
    rng = np.random.default_rng(seed)
    pv = np.array(ps, dtype=np.int64)
    a = np.stack([rng.integers(0, p, (3, 4)) for p in ps]).astype(np.int64)
    b = np.stack([rng.integers(0, p, (4, 2)) for p in ps]).astype(np.int64)
    got = matmul_mod(a, b, pv)
    for i, p in enumerate(ps):
        assert (got[i] == (a[i].astype(object) @ b[i].astype(object)) % p).all()


@FAST
@given(st.lists(st.sampled_from(PRIMES[:6]), min_size=1, max_size=5), st.integers(1, 5),
       st.integers(0, 2**32))
def test_inverse_and_det_mod(ps, n, seed):
    rng = np.random.default_rng(seed)
    pv = np.array(ps, dtype=np.int64)
    # small entries make singular matrices likely for the small primes
    M = rng.integers(0, 3, (len(ps), n, n)).astype(np.int64)
    inv, det, ok = inverse_det_mod(M, pv)
    for i, p in enumerate(ps):
        K = GF(p)
        D = DomainMatrix([[K(int(x)) for x in row] for row in M[i]], (n, n), K)
        d = D.det()
        assert int(det[i]) == int(d) % p
        assert bool(ok[i]) == (int(d) % p != 0)
        if ok[i]:
            assert ((M[i].astype(object) @ inv[i].astype(object)) % p == np.eye(n, dtype=int)).all()
    xs = rng.integers(1, min(ps), len(ps))
    assert all(int(v) * int(x) % p == 1 for v, x, p in zip(inverse_mod(xs, pv), xs, ps))


@FAST
@given(st.sampled_from(PRIMES[:6]), st.integers(1, 5), st.integers(1, 6), st.integers(0, 2**32))
def test_rank_profiles(p, n, c, seed):
    rng = np.random.default_rng(seed)
    M = rng.integers(0, 3, (1, n, c)).astype(np.int64)
    rk, cols, rows = rank_profiles(M, np.array([p], dtype=np.int64))
    K = GF(p)
    D = DomainMatrix([[K(int(x)) for x in row] for row in M[0]], (n, c), K)
    r = int(rk[0])
    assert r == D.rank()
    # pivot columns of the row echelon form, and a nonsingular pivot block
    assert tuple(int(j) for j in cols[0, :r]) == D.rref()[1]
    I, J = [int(i) for i in rows[0, :r]], [int(j) for j in cols[0, :r]]
    sub = DomainMatrix([[K(int(M[0, i, j])) for j in J] for i in I], (r, r), K)
    assert r == 0 or int(sub.det()) % p != 0


@FAST
@given(st.lists(st.integers(-(10**60), 10**60), min_size=1, max_size=6), st.integers(1, 12))
def test_crt_and_reduce_mod(vals, nprimes):
    gen = primes_one_mod(4, 1 << 26)
    primes = [next(gen) for _ in range(nprimes)]
    M = math.prod(primes)
    res = reduce_mod(np.array(vals, dtype=object), primes)
    assert res.tolist() == [[v % p for v in vals] for p in primes]
    out, M2 = crt(res, primes)
    assert M2 == M
    for v, x, col in zip(vals, out, res.T):
        want = v % M if v % M <= M // 2 else v % M - M  # symmetric residue in (-M/2, M/2]
        assert int(x) == want
        y, _ = sympy_crt(primes, [int(r) for r in col], symmetric=True)
        assert (int(y) - want) % M == 0
