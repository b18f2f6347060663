"""Certified multimodular elimination over Q(zeta_m): rank, rref, nullspace and solving.

For primes ``p = 1 mod m`` the matrix is evaluated at the ``d`` roots of ``Phi_m`` mod ``p``
(:func:`grouptools.arith._fields.evaluate`) and the work is ``d`` batched Gauss-Jordan
eliminations over F_p per prime, all primes and roots vectorized at once [vzGG]_ (ch. 5
and 12). With the rank profile ``(I, J)`` (pivot rows and columns) fixed,
``delta = det A[I, J]`` (in Z[zeta_m], *not* its norm) and ``Y = delta A[I, J]^-1 A[I, :]``
are integral, so their power-basis coefficients are recovered by symmetric Chinese
remaindering. The result is *certified*: the identity ``delta A = A[:, J] Y`` holds modulo
every prime used and, once the product of the primes exceeds twice a bound on both sides,
holds over Z; together with ``det A[I, J] != 0 mod p`` this proves rank, pivots and
``rref(A) = Y / delta`` exactly. Primes are added until the certificate holds (early
termination), starting from a Hadamard-bound estimate. Finally ``1/delta`` is computed in the
field (norm, see :meth:`grouptools.arith.Cyclotomic.inverse`).

References
----------
.. [vzGG] J. von zur Gathen, J. Gerhard, *Modern Computer Algebra*, 3rd ed., CUP 2013.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from grouptools._errors import CyclotomicError, VerificationError
from grouptools.arith._fields import (
    MAX_PRIMES,
    PRIME_BITS,
    FieldTables,
    evaluate,
    field_inverse,
)
from grouptools.arith._modular import crt, inverse_det_mod, matmul_mod, rank_profiles
from grouptools.arith._multiword import as_object, imatmul, maxabs, shrink

__all__ = ["Certified", "certified_elimination", "eliminate", "rank_profile", "rref_rows", "solve_square"]

_MAX_PROFILE_ROUNDS = 8


def _row_heights(a: np.ndarray) -> np.ndarray:
    """Bit length of the largest coefficient of each row of ``a (n, c, d)``."""
    n = a.shape[0]
    if a.size == 0:
        return np.zeros(n)
    flat = a.reshape(n, -1)
    return np.array([float(max(abs(int(row.max())), abs(int(row.min()))).bit_length())
                     for row in flat])


def rank_profile(F: FieldTables, a: np.ndarray, idx: Sequence[int]
             ) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    """Best (largest rank, leftmost pivots) rank profile ``(r, I, J)`` of the coefficient array
    ``a (n, c, d)`` over the primes of index ``idx`` (a lower bound on the true rank).

    Examples
    --------
    >>> from grouptools.arith._fields import field_tables
    >>> rank_profile(field_tables(3), np.array([[[0, 0], [1, 0]], [[0, 0], [0, 1]]]), [0])
    (1, (0,), (1,))
    """
    ev, pb = evaluate(F, a, idx)
    rk, pc, pr = rank_profiles(ev, pb, _row_heights(a))
    best = None
    for b in range(len(rk)):
        r = int(rk[b])
        key = (-r, tuple(int(x) for x in pc[b, :r]))
        if best is None or key < best[0]:
            best = (key, tuple(sorted(int(x) for x in pr[b, :r])))
    (negr, J), I = best  # type: ignore[misc]
    return -negr, I, J


def _log2_hadamard(F: FieldTables, a: np.ndarray, I: Sequence[int], J: Sequence[int],
                   T: Sequence[int]) -> float:
    """Estimated log2 of the largest power-basis coefficient of ``det a[I, J]`` and of the
    minors ``det a[I, J with one column replaced by t in T]`` (Cramer's rule).

    Hadamard's bound by rows and by columns, in every complex embedding, the smaller of the
    two, times ``||V^-1||`` (coefficients from embeddings).
    """
    if not len(I):
        return 0.0
    sub = a[list(I)]
    ma = maxabs(sub)
    shift = max(0, ma.bit_length() - 900)
    if sub.dtype == object:
        fl = np.vectorize(lambda x: float(x >> shift), otypes=[float])(sub)
    else:
        fl = sub.astype(np.float64)
    emb = np.abs(fl @ F.emb) ** 2  # (r, c, d)
    J, T = list(J), list(T)
    eJ = emb[:, J]
    extra_r = emb[:, T].max(axis=1) if T else np.zeros((len(I), F.d))
    rows = 0.5 * np.log2(np.maximum(eJ.sum(axis=1) + extra_r, 1.0)).sum(axis=0)
    colJ = 0.5 * np.log2(np.maximum(eJ.sum(axis=0), 1.0)).sum(axis=0)
    colT = 0.5 * np.log2(np.maximum(emb[:, T].sum(axis=0), 1.0)).max(axis=0) if T else 0.0
    per_emb = np.minimum(rows, colJ + colT) + shift * len(I)
    return float(per_emb.max()) + math.log2(F.vinv_norm)


class Certified:
    """Result of :func:`certified_elimination`: ``delta`` and ``Y`` (coefficient ints)."""

    def __init__(self, r: int, I: tuple[int, ...], J: tuple[int, ...], T: tuple[int, ...],
                 delta: np.ndarray, Y: np.ndarray) -> None:
        self.r, self.I, self.J, self.T = r, I, J, T
        self.delta = delta
        self.Y = Y


def certified_elimination(F: FieldTables, a: np.ndarray, square: int | None = None) -> Certified:
    """Certified ``delta = det a[I, J]``, ``Y = delta a[I, J]^-1 a[I, T]`` (T = non-pivots).

    ``a`` is an integer coefficient array ``(n, c, d)``. If ``square`` is given the pivots are
    forced to ``I = J = range(square)`` (caller proved ``a[:, :square]`` nonsingular).

    Examples
    --------
    >>> from grouptools.arith._fields import field_tables
    >>> cert = certified_elimination(field_tables(1), np.array([[[2], [3]], [[4], [6]]]))
    >>> cert.r, cert.I, cert.J, cert.delta.tolist(), cert.Y.tolist()
    (1, (0,), (0,), [2], [[[3]]])
    """
    n, c, d = a.shape
    ma = maxabs(a)
    G = F.red_growth
    if square is not None:
        r, I, J = square, tuple(range(square)), tuple(range(square))
    else:
        r, I, J = rank_profile(F, a, [0])
    next_prime = 1 if square is None else 0
    for _round in range(_MAX_PROFILE_ROUNDS):
        Jset = set(J)
        T = tuple(j for j in range(c) if j not in Jset)
        K = tuple(i for i in range(n) if i not in set(I))
        if r == 0:
            return Certified(0, (), (), T, np.zeros(d, dtype=np.int64),
                              np.zeros((0, len(T), d), dtype=np.int64))
        est = _log2_hadamard(F, a, I, J, T)
        need = est + ma.bit_length() + math.log2(r * d * G + 1) + 4
        nprimes = max(1, math.ceil(need / (PRIME_BITS - 1)))
        res_Y: list[np.ndarray] = []
        res_d: list[np.ndarray] = []
        used: list[int] = []
        restart = False
        zero_mask = np.array([[T[t] < J[i] for t in range(len(T))] for i in range(r)],
                             dtype=bool).reshape(r, len(T))
        while True:
            want = nprimes - len(used)
            idx = list(range(next_prime, next_prime + want))
            next_prime += want
            if next_prime > MAX_PRIMES:
                raise CyclotomicError(f"entries too large: elimination needs more than "
                                      f"{MAX_PRIMES} primes")
            ev, pb = evaluate(F, a, idx)
            P = len(idx)
            sub = ev[:, list(I)][:, :, list(J)]
            inv, det, ok = inverse_det_mod(sub, pb)
            rows_I = ev[:, list(I)]
            RT = matmul_mod(inv, rows_I[:, :, list(T)], pb)  # (P*d, r, t)
            good = ok.reshape(P, d).all(axis=1)
            check = np.ones(P * d, dtype=bool)
            if zero_mask.any():
                check &= ~(RT[:, zero_mask] != 0).any(axis=1)
            if K and T:
                rows_K = ev[:, list(K)]
                lhs = rows_K[:, :, list(T)]
                rhs = matmul_mod(rows_K[:, :, list(J)], RT, pb)
                check &= (lhs == rhs).all(axis=(1, 2))
            check = check.reshape(P, d).all(axis=1)
            bad_profile = good & ~check
            if bad_profile.any():
                # some prime sees a larger rank or earlier pivots: the profile was unlucky
                b = int(np.nonzero(bad_profile)[0][0])
                r2, I2, J2 = rank_profile(F, a, [idx[b]])
                if (-r2, J2) < (-r, J):
                    r, I, J = r2, I2, J2
                    restart = True
                    break
                raise VerificationError("inconsistent modular rank profiles")  # pragma: no cover
            Yev = (det[:, None, None] * RT) % pb[:, None, None]
            t = len(T)
            Yev = Yev.reshape(P, d, r * t).transpose(0, 2, 1)  # (P, r*t, d_roots)
            VinvT = np.stack([F.prime(i)[2].T for i in idx])
            pv = pb[::d]
            Ycoef = matmul_mod(Yev, VinvT, pv)  # (P, r*t, d)
            dcoef = matmul_mod(det.reshape(P, 1, d), VinvT, pv)[:, 0, :]
            for q in range(P):
                if good[q]:
                    used.append(idx[q])
                    res_Y.append(Ycoef[q].reshape(-1))
                    res_d.append(dcoef[q])
            if len(used) < nprimes:
                continue
            primes = [F.prime(i)[0] for i in used]
            both = np.concatenate([np.stack(res_d), np.stack(res_Y)], axis=1)
            vals, M = crt(both, primes)
            delta = vals[:d]
            Y = vals[d:].reshape(r, t, d)
            md, my = maxabs(delta), maxabs(Y)
            bound = max(md * ma * d * G, r * d * G * ma * my)
            if md and M > 2 * bound:
                return Certified(r, I, J, T, delta, Y)
            nprimes = max(nprimes + 1, 2 * nprimes)
        if not restart:  # pragma: no cover
            break
    raise VerificationError("rank profile did not stabilize")


def _remove_content(c: np.ndarray, axis: int) -> np.ndarray:
    """Divide every row (``axis=0``) or column (``axis=1``) of ``c (n, k, d)`` by the gcd of
    its coefficients."""
    if c.size == 0:
        return c
    cc = c if axis == 0 else c.transpose(1, 0, 2)
    r = cc.shape[0]
    flat = cc.reshape(r, -1)
    if c.dtype == object:
        g = [math.gcd(*row) for row in flat.tolist()]
    else:
        g = np.gcd.reduce(flat, axis=1).tolist()
    if not any(x > 1 for x in g):
        return c
    gg = np.array([max(int(x), 1) for x in g], dtype=object if c.dtype == object else np.int64)
    out = cc // gg[:, None, None]
    if axis == 1:
        out = out.transpose(1, 0, 2)
    return shrink(np.ascontiguousarray(out))


def eliminate(F: FieldTables, coef: np.ndarray, for_rank: bool = False) -> Certified:
    """:func:`certified_elimination` of the coefficient array ``coef (n, c, d)``.

    Rank, rref and nullspace do not change when a row is divided by its content; the rank
    does not change either under column scaling and permutation, so with ``for_rank`` columns
    are also made primitive and sorted by height (small pivot blocks = few primes).

    Examples
    --------
    >>> from grouptools.arith._fields import field_tables
    >>> eliminate(field_tables(1), np.array([[[2], [4]], [[1], [2]]]), for_rank=True).r
    1
    """
    c = _remove_content(coef, axis=0)
    if for_rank and c.size:
        c = _remove_content(c, axis=1)
        order = np.argsort(_row_heights(c.transpose(1, 0, 2)), kind="stable")
        c = np.ascontiguousarray(c[:, order])
    return certified_elimination(F, c)


def rref_rows(F: FieldTables, cert: Certified, cols: int) -> tuple[np.ndarray, int]:
    """First ``r`` rows of the reduced row echelon form from an elimination of a matrix with
    ``cols`` columns, as (numerators ``(r, cols, d)``, denominator).

    Examples
    --------
    >>> from grouptools.arith._fields import field_tables
    >>> F = field_tables(1)
    >>> num, den = rref_rows(F, eliminate(F, np.array([[[2], [3]]])), 2)
    >>> num.tolist(), den
    ([[[2], [3]]], 2)
    """
    d = F.d
    r = cert.r
    if r == 0:
        return np.zeros((0, cols, d), dtype=np.int64), 1
    inv_num, inv_den = field_inverse(F, cert.delta)
    coef = np.zeros((r, cols, d), dtype=object)
    coef[np.arange(r), list(cert.J), 0] = inv_den
    if cert.T:
        M = F.mult_matrix(inv_num)
        Yt = imatmul(cert.Y.reshape(r * len(cert.T), d), M).reshape(r, len(cert.T), d)
        coef[:, list(cert.T)] = as_object(Yt)
    return shrink(coef), inv_den


def solve_square(F: FieldTables, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, int]:
    """``X`` with ``a X = b`` for integer coefficient arrays ``a (n, n, d)`` (nonsingular) and
    ``b (n, k, d)``, ``n >= 1``, as (numerators, denominator).

    Raises
    ------
    CyclotomicError
        If ``a`` is singular.

    Examples
    --------
    >>> from grouptools.arith._fields import field_tables
    >>> num, den = solve_square(field_tables(1), np.array([[[2]]]), np.array([[[3]]]))
    >>> num.tolist(), den
    ([[[3]]], 2)
    """
    n = a.shape[0]
    # nonsingular? (rank n mod a prime proves it; otherwise certify the rank)
    r, _, _ = rank_profile(F, a, [0, 1])
    if r < n and eliminate(F, a, for_rank=True).r < n:
        raise CyclotomicError("matrix is singular")
    d, k = F.d, b.shape[1]
    if k == 0:
        return np.zeros((n, 0, d), dtype=np.int64), 1
    if a.dtype == object or b.dtype == object:
        aug = np.concatenate([as_object(a), as_object(b)], axis=1)
    else:
        aug = np.concatenate([a, b], axis=1)
    cert = certified_elimination(F, shrink(aug), square=n)
    inv_num, inv_den = field_inverse(F, cert.delta)
    M = F.mult_matrix(inv_num)
    return imatmul(cert.Y.reshape(n * k, d), M).reshape(n, k, d), inv_den
