"""The computation behind :func:`~grouptools.reps.character_table`: Dixon-Schneider with
numeric eigenvectors, exact recovery of the values as sums of roots of unity, and an exact
modular certificate.

The class multiplication coefficients ``M_j[r, s]`` are tabulated sparsely; a random combination
of the class matrices is diagonalized numerically (Dixon 1967, Schneider 1990), its eigenvectors
give the characters approximately, and each value is rounded to the eigenvalue multiset of
``rho(g)`` (powers of ``zeta_e``) using the power maps. :func:`certify` then proves the table
exactly: the class-sum relations hold modulo a prime ``p = 1 (mod e)`` for every character,
the Galois action permutes the characters, and the orthogonality relations hold exactly.

References
----------
.. [Dix67] J. D. Dixon, *High speed computation of group characters*, Numer. Math. 10
   (1967), 446-450.
.. [Sch90] G. J. A. Schneider, *Dixon's character table algorithm revisited*, J. Symbolic
   Comput. 9 (1990), 601-606.
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from typing import Any

import numpy as np

from .._errors import GroupTooLargeError, VerificationError
from ..arith._modular import matmul_mod
from ..arith._numtheory import prime_factors, primes_one_mod, root_of_unity_mod, unit_group_generators
from ..groups import FiniteGroup
from ..groups._arrays import readonly

__all__ = ["certify", "class_products", "compute_characters", "power_maps"]

#: Attempts of the numerical stage (fresh random combinations) before giving up.
_ATTEMPTS = 4
#: Up to this many classes the class products are a dense array (``k^3`` entries) rather than a
#: scipy.sparse matrix: small groups then never import scipy.sparse (~0.2-0.4 s).
DENSE_CLASSES = 64

#: The class products: ``(k^2, k)`` int64, sparse, or dense for at most DENSE_CLASSES classes.
ClassProducts = Any


def _blas_limit(k: int) -> Any:
    """Single-threaded BLAS for small eigenproblems: multithreaded OpenBLAS on matrices of a
    few hundred rows is slower, and pathologically so on a loaded machine."""
    if k > 1500:
        return nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


class _NumericFailure(Exception):
    """The floating point stage did not produce roundable data (retry with new randomness)."""


def compute_characters(
    G: FiniteGroup, max_class_products: int, max_classes: int
) -> tuple[int, np.ndarray, list[np.ndarray], np.ndarray, np.ndarray]:
    """The exact irreducible characters of ``G`` by Dixon-Schneider, certified.

    Returns ``(e, degrees, groups, powers, frobenius_schur)``, the data of a
    :class:`~grouptools.reps.CharacterTable`: the exponent, the degrees, per character the
    exponent multisets of the eigenvalues on each class, the power maps and the indicators.
    """
    n = G.order
    classes = G.conjugacy_classes()
    k = len(classes)
    if k > max_classes:
        raise GroupTooLargeError(f"{k} conjugacy classes exceed max_classes={max_classes}")
    if n * k > max_class_products:
        raise GroupTooLargeError(
            f"class products of a group of order {n} with {k} classes need {n * k} entries "
            f"(max_class_products={max_class_products})"
        )
    e = G.exponent
    if e * k > max_class_products:
        raise GroupTooLargeError(f"power maps need exponent * classes = {e * k} entries")
    sizes = np.asarray(classes.sizes, np.int64)
    orders = np.asarray(classes.orders, np.int64)
    reps = np.asarray(classes.representatives, np.int64)
    powers = power_maps(G, reps, e)
    B = class_products(G, reps)
    with _blas_limit(k):
        return _attempts(G, B, sizes, orders, powers, n, e)


def _attempts(G: FiniteGroup, B: ClassProducts, sizes: np.ndarray, orders: np.ndarray,
              powers: np.ndarray, n: int, e: int) -> tuple:
    last: Exception | None = None
    for attempt in range(_ATTEMPTS):
        rng = np.random.default_rng(0x5EED + attempt)
        try:
            approx = _numerical_characters(B, sizes, n, rng)
            degrees, groups = _exact_values(approx, powers, orders, e, n)
        except _NumericFailure as exc:
            last = exc
            continue
        fs = certify(G, B, sizes, powers, degrees, groups, e)
        return e, degrees, groups, powers, fs
    raise VerificationError(f"character table of {G!r} could not be computed: {last}")


def power_maps(G: FiniteGroup, reps: np.ndarray, e: int) -> np.ndarray:
    """``(e, k)`` read-only array: row ``t`` is the class of ``g_c^t``."""
    cls = np.asarray(G.class_index)
    k = reps.size
    # g^t for t < e by doubling: with P[:m] = g^0..g^(m-1) known, P[m:2m] = P[:m] * g^m
    # (powers of one element commute), so about log2(e) vectorised products.
    P = np.zeros((e, k), np.int64)
    m = 1
    while m < e:
        gm = np.asarray(G.multiply(P[m - 1], reps), dtype=np.int64).reshape(k)
        top = min(2 * m, e)
        left = P[: top - m].reshape(-1)
        right = np.broadcast_to(gm, (top - m, k)).reshape(-1)
        P[m:top] = np.asarray(G.multiply(left, right), dtype=np.int64).reshape(top - m, k)
        m = top
    out = np.ascontiguousarray(cls[P], dtype=np.int32)
    for row in out:
        row.setflags(write=False)
    return readonly(out)


def class_products(G: FiniteGroup, reps: np.ndarray) -> ClassProducts:
    """``(k^2, k)`` int64 matrix, entry ``(r k + s, j)`` is ``M_j[r, s]``: a scipy.sparse CSC
    matrix, or a numpy array for at most :data:`DENSE_CLASSES` classes (same entries)."""
    k = reps.size
    cls = np.asarray(G.class_index, dtype=np.int64)
    if G.memo("table") is not None:
        right = np.asarray(G.cayley_table[:, reps])
    else:
        right = np.stack([np.asarray(G.right_multiplication(int(g))) for g in reps], axis=1)
    k2 = k * k
    key = (cls[:, None] * k2 + np.arange(k, dtype=np.int64)[None, :] * k + cls[right]).ravel()
    key.sort()
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    nz = key[starts]
    data = np.diff(np.append(starts, key.size))
    cols = nz // k2
    if k <= DENSE_CLASSES:
        dense = np.zeros((k2, k), np.int64)
        dense[nz % k2, cols] = data
        return dense
    indptr = np.searchsorted(cols, np.arange(k + 1))
    from scipy import sparse

    return sparse.csc_matrix((data.astype(np.int64), nz % k2, indptr), shape=(k2, k))


def _class_matrix(B: ClassProducts, j: int, k: int) -> Any:
    """``M_j`` as a ``(k, k)`` matrix (sparse CSR if ``B`` is sparse)."""
    if isinstance(B, np.ndarray):
        return B[:, j].reshape(k, k)
    from scipy import sparse

    col = B[:, j].tocoo()
    return sparse.csr_matrix((col.data, (col.row // k, col.row % k)), shape=(k, k))


def _numerical_characters(B: ClassProducts, sizes: np.ndarray, n: int,
                          rng: np.random.Generator) -> np.ndarray:
    """Approximate irreducible characters, ``(k, k)`` complex (rows in arbitrary order).

    First a real symmetric combination ``sum_j c_j (N_j + N_j^T)`` (real ``c_j``; its
    eigenvalues ``2 sum_j c_j Re omega(K_j)`` cannot separate complex conjugate characters, but
    real ``eigh`` is ~5x faster than complex), then every cluster of close eigenvalues is split
    by complex Hermitian combinations restricted to the cluster, until all are simple.
    """
    k = sizes.size
    if k == 1:
        return np.ones((1, 1), complex)
    sq = np.sqrt(sizes.astype(np.float64))
    Bc = B.astype(np.float64) if isinstance(B, np.ndarray) else B.tocsr().astype(np.float64)

    def normal(u: np.ndarray) -> np.ndarray:
        M = (Bc @ u).reshape(k, k)
        return sq[:, None] * M / sq[None, :]

    A = normal(rng.standard_normal(k) / sizes)
    evals, W = np.linalg.eigh(A + A.T)
    scale = max(1.0, float(np.abs(evals).max()))
    tol = 1e-7 * scale

    def split(ev: np.ndarray) -> list[np.ndarray]:
        cuts = np.flatnonzero(np.diff(ev) > tol) + 1
        return np.split(np.arange(ev.size), cuts)

    done: list[np.ndarray] = []
    pending: list[np.ndarray] = []
    for block in split(evals):
        (done if block.size == 1 else pending).append(W[:, block].astype(complex))
    rounds = 0
    while pending:
        rounds += 1
        if rounds > 40:
            raise _NumericFailure("could not separate the common eigenspaces")
        A = normal(rng.standard_normal(k) / sizes) + 1j * normal(rng.standard_normal(k) / sizes)
        Q = np.concatenate(pending, axis=1)
        HQ = A @ Q + A.conj().T @ Q
        nxt = []
        start = 0
        for P in pending:
            m = P.shape[1]
            h = P.conj().T @ HQ[:, start:start + m]
            start += m
            ev, V = np.linalg.eigh((h + h.conj().T) / 2)
            P2 = P @ V
            for block in split(ev):
                (done if block.size == 1 else nxt).append(P2[:, block])
        pending = nxt
    W = np.concatenate(done, axis=1)
    w0 = W[0]
    if np.abs(w0).min() < 0.5 / math.sqrt(n):
        raise _NumericFailure("an eigenvector vanishes at the identity")
    phase = w0 / np.abs(w0)
    vals = (W * phase.conj()[None, :]).T * np.sqrt(n / sizes.astype(np.float64))[None, :]
    return vals


def _galois_orbits(powers: np.ndarray, e: int) -> tuple[np.ndarray, np.ndarray]:
    """Orbits of the classes under ``g -> g^u``, ``u`` a unit mod ``e`` ("rational classes").

    Returns ``(rep, unit)``: class ``c`` is the class of ``g_rep[c]^unit[c]``; representatives
    have ``rep[c] = c``, ``unit[c] = 1``.
    """
    k = powers.shape[1]
    units = np.array([u for u in range(e) if math.gcd(u, e) == 1], np.int64)
    rep = np.full(k, -1, np.int64)
    unit = np.ones(k, np.int64)
    for c in range(k):
        if rep[c] >= 0:
            continue
        members = powers[units, c]
        first = np.unique(members, return_index=True)
        for m, idx in zip(*first):
            if rep[m] < 0:
                rep[m] = c
                unit[m] = units[idx]
        rep[c], unit[c] = c, 1
    return rep, unit


def _exact_values(approx: np.ndarray, powers: np.ndarray, orders: np.ndarray, e: int,
                  n: int) -> tuple[tuple[int, ...], tuple[np.ndarray, ...]]:
    """Round the eigenvalue multiplicities; return degrees and per-degree exponent arrays.

    Multiplicities are computed (one FFT over the power orbit ``g^t``, ``t < o``) for one class
    per Galois orbit; the exponents at ``g^u`` (``u`` a unit) are ``u`` times those at ``g``.
    The certificate checks all of it. Returns ``degrees`` (sorted) and for each distinct
    degree ``d`` an ``(n_d, k, d)`` int32 array of sorted eigenvalue exponents (mod ``e``),
    rows in the canonical order.
    """
    h, k = approx.shape
    degrees = np.rint(approx[:, 0].real).astype(np.int64)
    if np.any(degrees < 1) or np.abs(approx[:, 0] - degrees).max() > 1e-3:
        raise _NumericFailure("degrees are not positive integers")
    rep, unit = _galois_orbits(powers, e)
    reps = np.flatnonzero(rep == np.arange(k))
    dmax = int(degrees.max())
    # exponents per row and class, padded: (h, k, dmax), padding e (sorts last)
    X_all = np.full((h, k, dmax), e, np.int64)
    for o in np.unique(orders[reps]):
        o = int(o)
        cols_all = reps[orders[reps] == o]
        chunk = max(1, (1 << 23) // (h * o))
        for s0 in range(0, cols_all.size, chunk):
            cols = cols_all[s0:s0 + chunk]
            sample = approx[:, powers[:o][:, cols]]  # (h, o, m)
            a = np.fft.fft(sample, axis=1) / o
            r = np.rint(a.real)
            if np.abs(a - r).max() > 0.05:
                raise _NumericFailure(f"eigenvalue multiplicities at order {o} are not integral")
            r = r.astype(np.int64)
            if r.min() < 0 or np.any(r.sum(axis=1) != degrees[:, None]):
                raise _NumericFailure("eigenvalue multiplicities are negative or do not sum to chi(1)")
            r = np.moveaxis(r, 1, 2)  # (h, m, o)
            exps = np.arange(o, dtype=np.int64) * (e // o)
            for i in range(h):
                d = int(degrees[i])
                X_all[i, cols, :d] = np.repeat(np.tile(exps, cols.size), r[i].ravel()).reshape(
                    cols.size, d
                )
    others = np.flatnonzero(rep != np.arange(k))
    if others.size:
        src = X_all[:, rep[others], :]
        img = np.where(src < e, src * unit[others][None, :, None] % e, e)
        X_all[:, others, :] = np.sort(img, axis=-1)
    groups = []
    out_degrees: list[int] = []
    for d in np.unique(degrees):
        d = int(d)
        rows = np.flatnonzero(degrees == d)
        X = X_all[rows, :, :d].astype(np.int32)
        keys = X.reshape(rows.size, -1)
        order = np.lexsort(keys.T[::-1]) if keys.shape[1] else np.arange(rows.size)
        X = np.ascontiguousarray(X[order])
        for j in range(X.shape[0]):
            X[j].setflags(write=False)
        groups.append(readonly(X))
        out_degrees.extend([d] * rows.size)
    return tuple(out_degrees), tuple(groups)


# ---------------------------------------------------------------------------------------------
# the certificate
# ---------------------------------------------------------------------------------------------
def certify(G: FiniteGroup, B: ClassProducts, sizes: np.ndarray, powers: np.ndarray,
             degrees: tuple[int, ...], groups: tuple[np.ndarray, ...], e: int) -> tuple[int, ...]:
    """Prove that the rows are exactly the irreducible characters; return the FS indicators.

    Each row is the class function ``chi_i(g_c) = sum_t z^X_i[c, t]`` with ``z = E(e)`` and
    integer exponents ``X`` (so every value and all its Galois conjugates have absolute value
    at most ``d_i = chi_i(1)``). Checks, all in exact integer arithmetic:

    (a) *Counts*: ``k`` rows for ``k`` classes, ``sum d_i^2 = |G|``, ``d_i | |G|``; the
        identity column is ``d_i`` (all exponents 0).
    (b) *Power maps*: for generators ``u`` of the monoid ``(Z/e, *)`` (generators of the units
        and the primes dividing ``e``) the exponents at the class of ``g^u`` are the sorted
        ``u X mod e``; hence ``chi_i(g^u) = sigma_u(chi_i(g))`` for every unit ``u``, where
        ``sigma_u: z -> z^u`` is the Galois automorphism.
    (c) *Galois closure*: for generators ``u`` of ``(Z/e)^*`` the rows ``u X_i mod e`` are a
        permutation of the rows.
    (d) Work modulo primes ``p = 1 (mod e)`` with ``prod p > 2 |G| max d_i^2`` and a primitive
        ``e``-th root ``w`` mod ``p``: ``phi_w: Z[z] -> F_p, z -> w`` is a ring homomorphism.
        A set ``S`` of classes is chosen such that the tuples
        ``(d_{i'} chi_i(g_j))_{j in S}`` and ``(d_i chi_{i'}(g_j))_{j in S}`` differ modulo
        ``p`` for ``i != i'``: then the rows have pairwise distinct central characters on
        ``S`` (equal numbers have equal images).
    (e) *Eigen equations* ``y = d_i (M_j chi_i)(r) - |C_j| chi_i(g_j) chi_i(g_r) = 0`` for
        ``j in S``, all ``r``, all ``i``: checked under ``phi_w`` for each prime. By (c) the
        image of row ``i`` under ``z -> w^u`` is the image of another row under ``phi_w``, so
        ``y`` lies in every prime ideal over every ``p`` used; ``p`` is unramified, so
        ``prod p`` divides ``y``. All conjugates of ``y`` are at most ``2 |C_j| d_i^2 < prod
        p`` in absolute value, so ``N(y / prod p)`` is a rational integer of absolute value
        ``< 1``: ``y = 0``.
    (f) *Norms*: by (b), ``<chi_i, chi_i'> |G| = sum_c |C_c| chi_i(g_c) conj chi_i'(g_c)`` is
        fixed by every ``sigma_u`` (``g -> g^u`` permutes the classes preserving sizes), so it
        is a rational integer of absolute value ``<= |G| d_i d_i'``; checking it is
        ``|G| delta_ii'`` modulo every ``p`` proves it exactly. Likewise the Frobenius-Schur
        sums ``sum_c |C_c| chi_i(g_c^2)`` are rational integers, recovered exactly.

    Conclusion: by (e) each ``chi_i / d_i`` restricted to the class sums in ``S`` is an
    eigenvector of all ``M_j`` (``j in S``); the joint eigenspaces of these commuting
    diagonalizable matrices are spanned by irreducible characters (step 1 of
    :func:`character_table`), and ``k`` vectors with pairwise distinct eigenvalue tuples (d)
    force ``k`` distinct joint eigenspaces of dimension 1. So ``chi_i = c_i psi_i`` for
    distinct irreducibles ``psi_i``, with ``c_i > 0`` (degrees) and ``c_i = 1`` by (f).
    """
    n = G.order
    k = sizes.size
    deg = np.array(degrees, np.int64)
    h = deg.size
    # (a)
    if h != k:
        raise VerificationError(f"{h} characters for {k} classes")
    if int((deg**2).sum()) != n or np.any(n % deg != 0):
        raise VerificationError("degrees do not satisfy sum d^2 = |G|, d | |G|")
    rows = [X[j] for X in groups for j in range(X.shape[0])]
    if any(np.any(X[0] != 0) for X in rows):
        raise VerificationError("a character is not its degree at the identity")
    # (b) power maps
    units = [g for g, _ in unit_group_generators(e)]
    for u in units + prime_factors(e):
        pm = powers[u % e]
        for X in groups:
            img = np.sort((X.astype(np.int64) * u) % e, axis=-1)
            if not np.array_equal(img, X[:, pm, :]):
                raise VerificationError(f"values are not compatible with the {u}-th power map")
    # (c) Galois closure
    for X in groups:
        flat = X.reshape(X.shape[0], -1)
        known = {row.tobytes(): j for j, row in enumerate(flat)}
        for u in units:
            img = np.sort((X.astype(np.int64) * u) % e, axis=-1).astype(X.dtype)
            perm = [known.get(r.tobytes()) for r in img.reshape(X.shape[0], -1)]
            if None in perm or len(set(perm)) != len(perm):
                raise VerificationError(f"the rows are not closed under Galois action {u}")
    # (d)-(f) modulo primes
    bound = 2 * n * int(deg.max()) ** 2
    primes: list[int] = []
    prod = 1
    for p in primes_one_mod(max(e, 2)):
        primes.append(p)
        prod *= p
        if prod > bound:
            break
    size_arr = sizes.astype(np.int64)
    fs_sums: list[np.ndarray] = []
    S: list[int] | None = None
    mats: dict[int, Any] = {}
    for p in primes:
        w = root_of_unity_mod(e, p)
        pw = np.ones(e, np.int64)
        for t in range(1, e):
            pw[t] = pw[t - 1] * w % p
        V = np.concatenate([pw[X].sum(axis=-1) % p for X in groups], axis=0)  # (h, k)
        Vbar = np.concatenate([pw[(-X.astype(np.int64)) % e].sum(axis=-1) % p for X in groups])
        if S is None:
            S = _separating_classes(V, deg, p)
        # (e) eigen equations
        for j in S:
            Mj = mats.get(j)
            if Mj is None:
                Mj = mats[j] = _class_matrix(B, j, k)
            lhs = np.asarray(Mj @ V.T).T % p * (deg[:, None] % p) % p  # (h, k)
            rhs = (V[:, j:j + 1] * (int(size_arr[j]) % p) % p) * V % p
            if not np.array_equal(lhs, rhs):
                raise VerificationError(f"class {j}: rows are not eigenvectors of M_{j}")
        # (f) Gram matrix and Frobenius-Schur sums
        gram = matmul_mod(V * (size_arr % p)[None, :] % p, Vbar.T.copy(), p)
        target = np.where(np.eye(h, dtype=bool), n % p, 0)
        if not np.array_equal(gram, target):
            raise VerificationError("the rows are not orthonormal")
        fs_sums.append(V[:, powers[2 % e]] * (size_arr % p)[None, :] % p)
    # Frobenius-Schur: sum_c |C_c| chi(g_c^2) = nu |G| with nu in {-1, 0, 1}
    fs = []
    for i in range(h):
        found = None
        for nu in (1, 0, -1):
            if all(int(s[i].sum()) % p == (nu * n) % p for s, p in zip(fs_sums, primes)):
                found = nu
                break
        if found is None:
            raise VerificationError(f"Frobenius-Schur indicator of X.{i + 1} is not in {{-1,0,1}}")
        fs.append(found)
    return tuple(fs)


def _separating_classes(V: np.ndarray, deg: np.ndarray, p: int) -> list[int]:
    """Classes whose (scaled) central characters modulo ``p`` separate all rows."""
    h, k = V.shape
    # central character up to the class size: chi(g_j) / chi(1), as chi(g_j) * d^-1 mod p
    inv = np.array([pow(int(d), -1, p) for d in deg], np.int64)
    cc = V * inv[:, None] % p
    labels = np.zeros(h, np.int64)
    nlabels = 1
    S: list[int] = []
    for j in range(k):
        if nlabels == h:
            break
        _, new = np.unique(labels * p + cc[:, j], return_inverse=True)
        new = new.ravel()
        count = int(new.max()) + 1
        if count > nlabels:
            S.append(j)
            labels, nlabels = new.astype(np.int64), count
    if np.unique(labels).size != h:
        raise VerificationError("central characters do not separate the rows modulo p")
    return S
