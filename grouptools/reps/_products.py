"""Character tables and irreps of direct products, assembled from the factors (no Dixon-Schneider).

For ``G = K_1 x ... x K_r`` (``G.structure`` a :class:`~grouptools.DirectProductStructure`,
elements ``ravel_multi_index((g_1, ..., g_r), orders)``), Serre 1977, "Linear representations
of finite groups", 3.2 (and Curtis & Reiner 1962, "Representation theory of finite groups and
associative algebras", 43.2):

* the conjugacy classes of ``G`` are the tuples of classes of the factors;
* the irreducible characters are ``chi_1 x ... x chi_r : (g_1, ..., g_r) -> prod chi_f(g_f)``,
  the irreps the outer tensor products ``psi_1 (x) ... (x) psi_r``, each once;
* the eigenvalues of ``psi_1(g_1) (x) psi_2(g_2)`` are the products of the factors' eigenvalues:
  with ``e = lcm(e_1, ..., e_r)`` their exponents mod ``e`` are all sums
  ``x_1 e/e_1 + ... + x_r e/e_r``; power maps act coordinatewise; Frobenius-Schur indicators
  multiply (``nu(chi_1 x chi_2) = (1/|G|) sum chi_1(g_1^2) chi_2(g_2^2) = nu(chi_1) nu(chi_2)``).

The factors' tables and irreps come from their own routes (closed forms, little-group method,
Dixon-Schneider, recursively for products of products), passed in by
:mod:`grouptools.reps._api`. Rows are in the canonical order of the Dixon-Schneider table (by
degree, ties by the eigenvalue exponents over the classes), found class by class without
building the table (:func:`product_rows`), so both routes give the same table and
:class:`ProductIrreps` agrees with it.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from functools import partial
from typing import Any, Callable, Sequence

import numpy as np

from .._errors import GroupTooLargeError, VerificationError, check_index
from ..groups import DirectProductStructure, FiniteGroup
from ._chartable import CharacterTable
from ._irrep import Irrep
from ._lazyseq import LazyIrreps
from ._project import CyclotomicRep
from ._tensor import kron_identity, monomial_product, outer_unitary

__all__ = ["ProductIrreps", "product_applies", "product_order", "product_rows", "product_table"]

#: Eigenvalue exponents computed at once (bounds the scratch memory of the table and the order).
_CHUNK_ENTRIES = 1 << 22


def product_applies(G: FiniteGroup) -> bool:
    """Whether ``G`` was built as a direct product (:class:`~grouptools.DirectProductStructure`).

    Examples
    --------
    >>> import grouptools as gt
    >>> product_applies(gt.group("A5 x C4")), product_applies(gt.alternating(5))
    (True, False)
    """
    return isinstance(G.structure, DirectProductStructure)


def _factors(G: FiniteGroup) -> tuple[FiniteGroup, ...]:
    st = G.structure
    if not isinstance(st, DirectProductStructure):
        raise VerificationError(f"{G!r} is not a direct product")
    return tuple(st.factors)


def product_order(degrees: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """The row order of a product: ``(dims, tuples)`` with ``dims[i]`` the degree of row ``i``
    and ``tuples[i]`` (``(r,)`` per row) its factor indices; by degree, ties by the index tuple
    (the order that :func:`product_rows` refines to the canonical one).

    Examples
    --------
    >>> dims, tuples = product_order([(1, 1, 2), (1, 2)])
    >>> dims.tolist(), tuples.tolist()
    ([1, 1, 2, 2, 2, 4], [[0, 0], [1, 0], [0, 1], [1, 1], [2, 0], [2, 1]])
    """
    shape = tuple(len(d) for d in degrees)
    dims = np.ones(shape, np.int64)
    for f, d in enumerate(degrees):
        view = [1] * len(shape)
        view[f] = shape[f]
        dims = dims * np.asarray(d, np.int64).reshape(view)
    flat = dims.ravel()
    order = np.argsort(flat, kind="stable")
    tuples = np.stack(np.unravel_index(order, shape), axis=1) if shape else np.zeros((1, 0), np.int64)
    return flat[order], tuples.astype(np.int64)


class _ClassMap:
    """Classes of ``G`` <-> tuples of factor classes (through the element coordinates)."""

    def __init__(self, G: FiniteGroup, factors: tuple[FiniteGroup, ...]) -> None:
        reps = np.asarray(G.conjugacy_classes().representatives, np.int64)
        coords = np.unravel_index(reps, tuple(F.order for F in factors))
        self.ks = tuple(len(F.conjugacy_classes()) for F in factors)
        self.fcls = [np.asarray(F.class_index, np.int64)[c] for F, c in zip(factors, coords)]
        flat = np.ravel_multi_index(tuple(self.fcls), self.ks)
        size = math.prod(self.ks)
        inverse = np.full(size, -1, np.int64)
        inverse[flat] = np.arange(reps.size)
        if reps.size != size or np.any(inverse < 0):
            raise VerificationError(f"the classes of {G!r} are not the tuples of factor classes")
        self.inverse = inverse

    def join(self, cols: Sequence[np.ndarray]) -> np.ndarray:
        """Class of ``G`` of the tuples of factor classes ``cols[f]``."""
        return self.inverse[np.ravel_multi_index(tuple(cols), self.ks)]


class _ProductPowers:
    """``powers[t]``: the class of ``g_c^t`` for every class of ``G``, from the factors' maps."""

    def __init__(self, cmap: _ClassMap, tables: Sequence[CharacterTable], e: int) -> None:
        self._cmap, self._tables, self._e = cmap, tables, e
        self._memo: dict[int, np.ndarray] = {}

    def __getitem__(self, t: int) -> np.ndarray:
        t = int(t) % self._e
        if t not in self._memo:
            cols = [np.asarray(T.power_map(t), np.int64)[c] for T, c in zip(self._tables, self._cmap.fcls)]
            row = self._cmap.join(cols).astype(np.int32)
            row.setflags(write=False)
            self._memo[t] = row
        return self._memo[t]

    def __len__(self) -> int:
        return self._e


def _by_degree(T: CharacterTable) -> tuple[list[int], np.ndarray, dict[int, np.ndarray]]:
    """Per factor table: degrees, position of each row within its degree, stacked exponents."""
    degrees = [int(d) for d in T.degrees]
    pos = np.zeros(len(degrees), np.int64)
    stacks: dict[int, list[np.ndarray]] = {}
    for i, d in enumerate(degrees):
        rows = stacks.setdefault(d, [])
        pos[i] = len(rows)
        rows.append(np.asarray(T.eigenvalue_exponents(i)))
    return degrees, pos, {d: np.stack(rows).astype(np.int64) for d, rows in stacks.items()}


def product_rows(G: FiniteGroup, factor_table: Callable[[FiniteGroup], CharacterTable]
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The rows of the direct product ``G``'s table in the canonical order: ``(dims, tuples)``.

    The order of :func:`grouptools.reps._chartable.character_table` (Dixon-Schneider): by degree,
    ties by the eigenvalue exponents, lexicographic over the classes in ``G``'s order. It is
    found without the table, refining by one class at a time the groups of rows that agree so far
    (memory ``O(sum_chi chi(1))``, stopping when every row is alone); so both routes give the same
    table, row for row. Memoized on ``G``.

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.reps._chartable import character_table as dixon
    >>> dims, tuples = product_rows(gt.group("C2 x S3"), dixon)
    >>> dims.tolist(), tuples.tolist()
    ([1, 1, 1, 1, 2, 2], [[0, 0], [0, 1], [1, 0], [1, 1], [0, 2], [1, 2]])
    """
    def build() -> tuple[np.ndarray, np.ndarray]:
        tables = [factor_table(F) for F in _factors(G)]
        ctx = _Context(G, tables)
        dims, tuples = product_order([T.degrees for T in tables])
        for d in np.unique(dims):
            rows = np.flatnonzero(dims == d)
            tuples[rows] = tuples[rows][_refine(ctx, tuples[rows], int(d))]
        dims.setflags(write=False)
        tuples.setflags(write=False)
        return dims, tuples
    return G.memo("reps.product_rows", build)


def _refine(ctx: _Context, tup: np.ndarray, d: int) -> np.ndarray:
    """Permutation sorting the rows ``tup`` (one degree ``d``) lexicographically by their
    exponents over the classes: the rows that agree so far are split by the next block of
    classes (bounded scratch memory), until every row is alone."""
    n = tup.shape[0]
    group = np.zeros(n, np.int64)
    c = 0
    while c < ctx.k:
        sizes = np.bincount(group)
        if sizes.size == n:
            break
        active = np.flatnonzero(sizes[group] > 1)
        width = max(1, min(ctx.k - c, _CHUNK_ENTRIES // (active.size * d)))
        key = ctx.exponents(tup[active], np.arange(c, c + width), d).reshape(active.size, -1)
        full = np.concatenate([group[active][:, None], key], axis=1).astype(">u8")
        rows = np.ascontiguousarray(full).view(np.dtype((np.void, 8 * full.shape[1]))).ravel()
        order = np.argsort(rows, kind="stable")  # big-endian bytes: lexicographic order
        srt = rows[order]
        new = np.concatenate([[True], srt[1:] != srt[:-1]])
        sub = np.zeros(n, np.int64)
        sub[active[order]] = np.cumsum(new) - 1
        _, group = np.unique(group * (n + 1) + sub, return_inverse=True)
        group = group.ravel()
        c += width
    return np.argsort(group, kind="stable")


class _Context:
    """Factor tables, the class map and the exponents of product rows at given classes."""

    def __init__(self, G: FiniteGroup, tables: list[CharacterTable]) -> None:
        self.tables = tables
        self.cmap = _ClassMap(G, _factors(G))
        self.k = int(self.cmap.inverse.size)
        self.e = math.lcm(*(T.exponent for T in tables))
        self.data = [_by_degree(T) for T in tables]

    def exponents(self, tup: np.ndarray, cols: np.ndarray, d: int) -> np.ndarray:
        """Sorted eigenvalue exponents ``(rows, len(cols), d)`` of the product rows ``tup`` (all
        of degree ``d``) at the classes ``cols`` of ``G``: the sums ``x_f e/e_f mod e``."""
        dtype = np.int32 if self.e < 2**30 else np.int64
        out = np.empty((tup.shape[0], cols.size, d), dtype)
        fdeg = np.stack([np.asarray(dat[0], np.int64)[tup[:, f]] for f, dat in enumerate(self.data)],
                        axis=1)
        shapes, which = np.unique(fdeg, axis=0, return_inverse=True)
        which = which.ravel()
        for s, shape in enumerate(shapes):
            sel = np.flatnonzero(which == s)
            acc = np.zeros((sel.size, cols.size, 1), dtype)
            for f, T in enumerate(self.tables):
                _, pos, stacks = self.data[f]
                X = stacks[int(shape[f])][pos[tup[sel, f]]]  # (rows, k_f, d_f)
                X = X[:, self.cmap.fcls[f][cols], :].astype(dtype) * dtype(self.e // T.exponent)
                acc = (acc[:, :, :, None] + X[:, :, None, :]).reshape(sel.size, cols.size, -1)
                acc %= self.e
            out[sel] = np.sort(acc, axis=-1) if d > 1 else acc
        return out


def product_table(G: FiniteGroup, factor_table: Callable[[FiniteGroup], CharacterTable], *,
                  max_entries: int) -> CharacterTable:
    """The character table of the direct product ``G`` from its factors' tables.

    Columns are the classes of ``G`` in the order of ``G.conjugacy_classes()`` (each mapped to
    its tuple of factor classes through the coordinates of its representative); rows in the
    canonical order of Dixon-Schneider's table (:func:`product_rows`), so the two agree. The
    eigenvalue exponents of row ``(i_1, ..., i_r)`` at class ``(c_1, ..., c_r)`` are the sorted
    sums ``x_1 e/e_1 + ... + x_r e/e_r mod e`` over the factors' exponents (Serre 1977, 3.2).

    Parameters
    ----------
    G : FiniteGroup
        A direct product (:func:`product_applies`).
    factor_table : callable
        ``factor_table(K)``: the character table of a factor (the caller's dispatcher).
    max_entries : int
        Largest ``sum_chi chi(1) * (number of classes)`` (eigenvalue exponents stored), checked
        from the factors' tables before ``G``'s classes are computed.

    Raises
    ------
    GroupTooLargeError
        Above ``max_entries``.
    VerificationError
        If the classes of ``G`` are not the tuples of factor classes (a bug).

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.reps._chartable import character_table as dixon
    >>> T = product_table(gt.group("S3 x C3"), dixon, max_entries=10**6)
    >>> T.degrees, T.frobenius_schur
    ((1, 1, 1, 1, 1, 1, 2, 2, 2), (1, 0, 0, 1, 0, 0, 1, 0, 0))
    >>> T.value(6, 0).to_gap(), T.exponent
    ('2', 6)
    """
    factors = _factors(G)
    tables = [factor_table(F) for F in factors]
    k = math.prod(len(T.classes) for T in tables)
    need = math.prod(sum(T.degrees) for T in tables) * k
    if need > max_entries:
        raise GroupTooLargeError(
            f"the character table of {k} classes needs {need} eigenvalue exponents "
            f"(max_entries={max_entries}); irreps(G) evaluates characters lazily")
    ctx = _Context(G, tables)
    dims, tuples = product_rows(G, factor_table)
    e = ctx.e
    dtype = np.int32 if e < 2**31 else np.int64
    groups: list[np.ndarray] = []
    cols = np.arange(k)
    for d in np.unique(dims):
        rows = np.flatnonzero(dims == d)
        block = np.empty((rows.size, k, int(d)), dtype)
        step = max(1, _CHUNK_ENTRIES // (k * int(d)))
        for lo in range(0, rows.size, step):
            block[lo:lo + step] = ctx.exponents(tuples[rows[lo:lo + step]], cols, int(d))
        block.setflags(write=False)
        groups.append(block)
    fs = np.ones(dims.size, np.int64)
    for f, T in enumerate(tables):
        fs = fs * np.asarray(T.frobenius_schur, np.int64)[tuples[:, f]]
    return CharacterTable(G, e, tuple(int(x) for x in dims), tuple(groups),
                          _ProductPowers(ctx.cmap, tables, e), tuple(int(x) for x in fs))


class ProductIrreps(LazyIrreps):
    """The irreps of a direct product as a lazy, read-only sequence (``len``, indexing, slicing,
    iteration), in the order of :func:`product_table`'s rows: irrep ``i`` is the outer tensor
    product of the factors' irreps ``tuples[i]``.

    Each :class:`Irrep` is made when accessed: exact generator images are Kronecker products
    (the generator ``s`` of factor ``f`` maps to ``I (x) psi_f(s) (x) I``; monomial when every
    factor is, else each formed on first access over its factor's field), numeric images ``rho(g) = psi_1(g_1) (x) ... (x) psi_r(g_r)`` are evaluated from
    the element coordinates (no Cayley table, no spanning tree of ``G``). On creation the
    numeric evaluation at the generators is checked against the exact images (to 1e-10);
    :attr:`Irrep.matrices` are verified unitary and multiplicative on every Cayley-graph edge.

    Attributes
    ----------
    group : FiniteGroup
    dims : ndarray
        The degrees, in sequence order (read-only).
    tuples : ndarray
        ``(len, r)``: the factor irreps of each irrep (read-only).

    Examples
    --------
    >>> import grouptools as gt
    >>> R = gt.group("A5 x C200").irreps()
    >>> len(R), int(R.dims[-1]), R.tuples[-1].tolist()
    (1000, 5, [4, 199])
    >>> rho = R[-1]
    >>> bool(np.allclose(rho.at(7) @ rho.at(9), rho.at(rho.group.multiply(7, 9))))
    True
    """

    __slots__ = ("group", "dims", "tuples", "_firr", "_table", "_keep")

    def __init__(self, G: FiniteGroup, factor_irreps: Sequence[Sequence[Irrep]],
                 rows: tuple[np.ndarray, np.ndarray], table: Callable[[], CharacterTable]) -> None:
        firr = list(factor_irreps)
        dims, tuples = rows
        prod = np.ones(dims.size, np.int64)
        for f, R in enumerate(firr):
            fdims = getattr(R, "dims", None)
            fdims = np.asarray([r.dim for r in R] if fdims is None else fdims, np.int64)
            prod = prod * fdims[tuples[:, f]]
        if not np.array_equal(prod, dims):
            raise VerificationError(f"the factors' irreps of {G!r} do not match their tables")
        if int((dims ** 2).sum()) != G.order:
            raise VerificationError(f"the degrees of {G!r} do not satisfy sum d^2 = |G|")
        self.group, self.dims, self.tuples = G, dims, tuples
        self._firr, self._table = firr, table
        self._keep: OrderedDict[int, Irrep] = OrderedDict()

    def __repr__(self) -> str:
        return f"<ProductIrreps of {len(self)} irreps of {self.group!r}>"

    def factor_irreps(self, i: int) -> tuple[Irrep, ...]:
        """The factors' irreps whose outer tensor product is irrep ``i``."""
        i = check_index("irrep index", i, len(self), negative=True) % len(self)
        return tuple(R[int(j)] for R, j in zip(self._firr, self.tuples[i]))

    def _make(self, i: int) -> Irrep:
        G = self.group
        combo = self.factor_irreps(i)
        dims = [rho.dim for rho in combo]
        if all(rho.is_monomial for rho in combo):
            kf = [len(rho.group.generators) for rho in combo]
            m = math.lcm(*(rho.field for rho in combo))
            exact: dict[str, Any] = {"mono": monomial_product(combo, dims, kf, m)}
        else:
            exact = {"cyc": _cyclotomic(combo, dims)}
        orders = tuple(rho.group.order for rho in combo)
        rho = Irrep(G, i, int(self.dims[i]), numeric=partial(_kron_at, combo, orders),
                    table=self._table, **exact)
        gens = np.asarray(G.generators, np.int64)
        err = np.abs(rho.at(gens) - rho.unitary_generator_images).max(initial=0)
        if err > 1e-10:
            raise VerificationError(f"{rho.label}: numeric and exact generator images differ ({err:.1e})")
        return rho


def _kron_at(combo: tuple[Irrep, ...], orders: tuple[int, ...], xs: np.ndarray) -> np.ndarray:
    """``psi_1(g_1) (x) ... (x) psi_r(g_r)`` for the elements ``xs`` (vectorised Kronecker)."""
    coords = np.unravel_index(np.asarray(xs, np.int64), orders)
    out = np.asarray(combo[0].at(coords[0]), complex)
    for rho, c in zip(combo[1:], coords[1:]):
        B = np.asarray(rho.at(c), complex)
        n, d1, d2 = out.shape[0], out.shape[1], B.shape[1]
        out = np.einsum("nij,nkl->nikjl", out, B).reshape(n, d1 * d2, d1 * d2)
    return out


class _KronImages(Sequence[Any]):
    """The exact images ``I (x) X_s (x) I`` of a product's generators, each formed on first
    access over its own factor's field (a common field such as Q(zeta_7000) would be huge)."""

    def __init__(self, combo: tuple[Irrep, ...], dims: list[int]) -> None:
        self._slots = [(f, s) for f, rho in enumerate(combo) for s in range(len(rho.group.generators))]
        self._combo, self._dims = combo, dims
        self._memo: dict[int, Any] = {}

    def __len__(self) -> int:
        return len(self._slots)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        i = check_index("generator", i, len(self), negative=True) % len(self)
        if i not in self._memo:
            f, s = self._slots[i]
            X = self._combo[f].generator_images[s]
            before, after = math.prod(self._dims[:f]), math.prod(self._dims[f + 1:])
            self._memo[i] = kron_identity(X, before, after, X.m)
        return self._memo[i]


def _cyclotomic(combo: tuple[Irrep, ...], dims: list[int]) -> CyclotomicRep:
    """Exact images (lazy, :class:`_KronImages`), unitary images and change of basis of the
    outer tensor product ``combo`` (the Kronecker products of the factors')."""
    stacked, change, exact = outer_unitary(combo, dims)
    M = math.lcm(*(rho.field for rho in combo))
    images: Any = _KronImages(combo, dims)
    return CyclotomicRep(images, stacked, change, exact, M, "tensor product of factor irreps")
