"""The public entry points :func:`irreps` and :func:`character_table`, for groups of any size.

Groups with an abelian normal subgroup given by their construction (abelian groups, ``A : H``,
``A . C_m``: :func:`grouptools.reps._little.little_group_applies`) of order at least
:data:`LITTLE_MIN_ORDER` get their irreps by the little-group method, as a lazy
:class:`IrrepSequence` (an irrep object is made when it is accessed; its matrices are evaluated
from the group's coordinates); their character table is read off those irreps at the class
representatives (exact eigenvalues of monomial matrices). Direct products of order at least
:data:`PRODUCT_MIN_ORDER` (:func:`uses_direct_product`) get their table and irreps from their
factors' (:mod:`grouptools.reps._products`: pairs of classes, products of characters, outer
tensor products). Every other group, and the small ones, take the Dixon-Schneider table and the
constructions of :mod:`grouptools.reps._irreps`.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import partial
from typing import Any, Sequence

import numpy as np

from .._errors import (
    GroupTooLargeError,
    InvalidGroupError,
    ParameterError,
    VerificationError,
    check_index,
    check_limit,
    check_type,
    quote,
)
from ..groups._group import FiniteGroup, Subgroup
from ._adapted import AdaptedIrreps, adapted_irreps
from ._chartable import MAX_CLASS_PRODUCTS, MAX_CLASSES, CharacterTable
from ._chartable import character_table as dixon_table
from ._induce import MonomialRep, monomial_eigenvalues
from ._irrep import Irrep
from ._lazyseq import LazyIrreps
from ._irreps import DEFAULT_SEARCH_LIMIT
from ._irreps import irreps as constructed_irreps
from ._little import DEFAULT_MAX_ACTION, Family, families, little_group_applies, relators_hold
from ._products import ProductIrreps, product_applies, product_rows, product_table
from ._representation import Representation

__all__ = [
    "DEFAULT_MAX_TABLE_ENTRIES",
    "IrrepSequence",
    "adapted_to_chain",
    "LITTLE_MIN_ORDER",
    "PRODUCT_MIN_ORDER",
    "character_table",
    "irreps",
    "permutation_representation",
    "real_irreps",
    "regular_representation",
    "uses_direct_product",
    "uses_little_group",
]

#: Groups of at least this order that the little-group method covers use it.
LITTLE_MIN_ORDER = 1024
#: Direct products of at least this order are assembled from their factors. Measured (cold, one
#: process per run, irreps + table): equal within noise to Dixon-Schneider and the small-group
#: constructions at orders 12-36 (0.13-0.16 s), faster from 48 on (Q8 x S3 0.15 s vs 0.20 s,
#: A5 x C2 1.0 s vs 1.6 s, A5 x C8 1.4 s vs 4.2 s); both give the same table row for row.
PRODUCT_MIN_ORDER = 48
#: Default bound on ``sum_chi chi(1) * (number of classes)`` (eigenvalue exponents stored by a
#: character table built from lazily evaluated irreps).
DEFAULT_MAX_TABLE_ENTRIES = 50_000_000


def uses_little_group(G: FiniteGroup) -> bool:
    """Whether :func:`irreps` and :func:`character_table` take the little-group route for ``G``."""
    return G.order >= LITTLE_MIN_ORDER and little_group_applies(G)


def uses_direct_product(G: FiniteGroup) -> bool:
    """Whether :func:`irreps` and :func:`character_table` assemble ``G``'s from its factors':
    ``G`` built by :func:`~grouptools.direct_product` (not covered by :func:`uses_little_group`)
    of order at least :data:`PRODUCT_MIN_ORDER`.

    Examples
    --------
    >>> import grouptools as gt
    >>> uses_direct_product(gt.group("A5 x C200")), uses_direct_product(gt.group("C2 x S3"))
    (True, False)
    """
    return G.order >= PRODUCT_MIN_ORDER and product_applies(G) and not uses_little_group(G)


class IrrepSequence(LazyIrreps):
    """The irreps of a group as a lazy, read-only sequence (``len``, indexing, slicing,
    iteration): trivial first, then by degree; the order of the character table's rows.

    Attributes
    ----------
    group : FiniteGroup
    dims : ndarray
        The degrees, in sequence order (read-only).

    Examples
    --------
    >>> import grouptools as gt
    >>> R = gt.cyclic(10**6).irreps()
    >>> len(R), R[0].dim, R[-1](1).shape
    (1000000, 1, (1, 1))
    """

    __slots__ = ("group", "dims", "_fams", "_fam", "_member", "_keep")

    def __init__(self, G: FiniteGroup, fams: list[Family]) -> None:
        counts = np.array([f.count for f in fams], np.int64)
        fam_of = np.repeat(np.arange(len(fams)), counts)
        member = np.concatenate([np.arange(c) for c in counts]) if len(fams) else np.zeros(0, np.int64)
        dims = np.repeat(np.array([f.dim for f in fams], np.int64), counts)
        order = np.argsort(dims, kind="stable")
        self.group = G
        self._fams = fams
        self._fam = fam_of[order]
        self._member = member[order]
        dims = dims[order]
        dims.setflags(write=False)
        self.dims = dims
        self._keep: OrderedDict[int, Irrep] = OrderedDict()

    def __repr__(self) -> str:
        return f"<IrrepSequence of {len(self)} irreps of {self.group!r}>"

    def character_labels(self) -> np.ndarray | None:
        """For an abelian group ``C_{n1} x ... x C_{nr}``: the flat label
        ``ravel_multi_index(k, invariants)`` of each irrep ``chi_k(a) = exp(2 pi i sum k_c a_c / n_c)``
        (in sequence order); ``None`` for other groups."""
        if len(self._fams) != 1 or self._fams[0].kind != "abelian":
            return None
        return self._member.copy()

    def members(self) -> tuple[list[Family], np.ndarray, np.ndarray]:
        """``(families, family_index, member)``: irrep ``i`` is member ``member[i]`` of
        ``families[family_index[i]]`` (read-only arrays, sequence order)."""
        fi, mi = self._fam.copy(), self._member.copy()
        fi.setflags(write=False)
        mi.setflags(write=False)
        return list(self._fams), fi, mi

    def family(self, i: int) -> tuple[Family, int]:
        """The family of irrep ``i`` and its position in it."""
        i = check_index("irrep index", i, len(self), negative=True) % len(self)
        return self._fams[int(self._fam[i])], int(self._member[i])

    def _make(self, i: int) -> Irrep:
        fam, f = self.family(i)
        G = self.group
        P, E = fam.images(f, np.array(G.generators, np.int64))
        mono = MonomialRep(P, E, fam.M, fam.source)
        evaluator = partial(_evaluate, fam, f)
        return Irrep(G, i, fam.dim, mono=mono, evaluator=evaluator,
                     table=partial(character_table, G))


def _evaluate(fam: Family, f: int, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    P, E = fam.images(f, xs)
    return P, E, fam.M


def _little_irreps(G: FiniteGroup, max_action: int) -> IrrepSequence:
    fams = families(G, max_action=max_action)
    for fam in fams:
        if not relators_hold(fam):
            raise VerificationError(f"little-group irreps of {G!r} do not satisfy the relators")
    seq = IrrepSequence(G, fams)
    if int((seq.dims ** 2).sum()) != G.order:
        raise VerificationError(f"the degrees of {G!r} do not satisfy sum d^2 = |G|")
    return seq


def irreps(G: FiniteGroup, *, search_limit: int = DEFAULT_SEARCH_LIMIT,
           max_order: int | None = None, max_action: int = DEFAULT_MAX_ACTION) -> Sequence[Irrep]:
    """All irreducible unitary representations of ``G``, in the order of its character table.

    Memoized per group (the first call's limits apply).

    Groups that :func:`uses_little_group` covers (abelian groups, ``A : H`` and ``A . C_m`` with
    ``A`` abelian, of order at least :data:`LITTLE_MIN_ORDER`) get an :class:`IrrepSequence` by the
    little-group method (:mod:`grouptools.reps._little`): orbits of the characters of ``A``
    under the complement, irreps of the stabilisers, induced; monomial and exactly unitary,
    every relator of the presentation checked exactly on every irrep, ``sum d^2 = |G|``
    checked. Direct products that :func:`uses_direct_product` covers get a lazy
    :class:`~grouptools.reps._products.ProductIrreps` (outer tensor products of the factors'
    irreps, numeric images by Kronecker products at the factors' coordinates). The others get
    the tuple of :func:`grouptools.reps._irreps.irreps` (character
    table, then induction from linear characters, tensor products or projection).

    Parameters
    ----------
    G : FiniteGroup
    search_limit : int
        Candidate subgroups examined by the constructions of the small-group route.
    max_order : int, optional
        Largest group order accepted (default 200,000 for the small-group route, 10^7 for the
        little-group route).
    max_action : int
        Largest ``|H| * |A|`` for the little-group route.

    Raises
    ------
    ParameterTypeError, InvalidLimitError, GroupTooLargeError, GroupToolsError, VerificationError

    Examples
    --------
    >>> import grouptools as gt
    >>> R = irreps(gt.dihedral(2048))
    >>> len(R), sorted(set(R.dims.tolist())), type(R).__name__
    (1027, [1, 2], 'IrrepSequence')
    >>> [rho.dim for rho in irreps(gt.alternating(5))]
    [1, 3, 3, 4, 5]
    """
    check_type("G", G, FiniteGroup, "a FiniteGroup")
    max_action = check_limit("max_action", max_action)
    search_limit = check_limit("search_limit", search_limit)
    if uses_direct_product(G):
        limit = 10**7 if max_order is None else check_limit("max_order", max_order)
        if G.order > limit:
            raise GroupTooLargeError(f"group order {G.order} exceeds max_order={limit}")
        sub = partial(irreps, search_limit=search_limit, max_action=max_action)
        return G.memo("irreps", lambda: ProductIrreps(
            G, [sub(F) for F in G.structure.factors], product_rows(G, character_table),
            partial(character_table, G)))
    if not uses_little_group(G):
        if max_order is None:
            return constructed_irreps(G, search_limit=search_limit)
        return constructed_irreps(G, search_limit=search_limit, max_order=max_order)
    limit = 10**7 if max_order is None else check_limit("max_order", max_order)
    if G.order > limit:
        raise GroupTooLargeError(f"group order {G.order} exceeds max_order={limit}")
    return G.memo("irreps", lambda: _little_irreps(G, max_action))


def character_table(G: FiniteGroup, *, max_entries: int = DEFAULT_MAX_TABLE_ENTRIES,
                    max_class_products: int = MAX_CLASS_PRODUCTS,
                    max_classes: int = MAX_CLASSES) -> CharacterTable:
    """The exact character table of ``G`` (memoized on ``G``).

    For groups the little-group method covers (see :func:`irreps`): the characters of those
    irreps at the class representatives, exactly (the eigenvalues of a monomial matrix are read
    off its cycles), in the order of :func:`irreps`; at most ``max_entries`` eigenvalue
    exponents (``sum_chi chi(1) * classes``), refused before the work otherwise. Direct products
    (:func:`uses_direct_product`): assembled from the factors' tables
    (:func:`grouptools.reps._products.product_table`, the same rows as Dixon-Schneider's, within
    ``max_entries``; the factors' tables take these limits too). Other groups:
    Dixon-Schneider with an exact certificate (:func:`grouptools.reps._chartable.character_table`,
    with its limits ``max_class_products`` and ``max_classes``).

    Raises
    ------
    GroupTooLargeError
        Above the limits.

    Examples
    --------
    >>> import grouptools as gt
    >>> T = character_table(gt.dihedral(1500))
    >>> len(T), T.degrees[:3], T.value(-1, 0).to_gap()
    (753, (1, 1, 1), '2')
    """
    check_type("G", G, FiniteGroup, "a FiniteGroup")
    max_entries = check_limit("max_entries", max_entries)
    max_class_products = check_limit("max_class_products", max_class_products)
    max_classes = check_limit("max_classes", max_classes)
    if uses_direct_product(G):
        known = G.memo("character_table")
        if known is not None:
            return known
        sub = partial(character_table, max_entries=max_entries,
                      max_class_products=max_class_products, max_classes=max_classes)
        return G.memo("character_table", lambda: product_table(G, sub, max_entries=max_entries))
    if not uses_little_group(G):
        return dixon_table(G, max_class_products=max_class_products, max_classes=max_classes)
    known = G.memo("character_table")
    if known is not None:
        return known
    seq = irreps(G)
    classes = G.conjugacy_classes()
    k = len(classes)
    need = int(seq.dims.sum()) * k
    if need > max_entries:
        raise GroupTooLargeError(
            f"the character table of {k} classes needs {need} eigenvalue exponents "
            f"(max_entries={max_entries}); irreps(G) evaluates characters lazily")
    return G.memo("character_table", lambda: _table_from(G, seq, classes))


class _LazyPowers:
    """``powers[t]``: the class of ``g_c^t`` for every class, computed on demand."""

    def __init__(self, G: FiniteGroup, reps: np.ndarray, e: int) -> None:
        self._G, self._reps, self._e = G, reps, e
        self._memo: dict[int, np.ndarray] = {}

    def __getitem__(self, t: int) -> np.ndarray:
        t = int(t) % self._e
        if t not in self._memo:
            row = np.asarray(self._G.class_index)[np.asarray(self._G.power(self._reps, t)).reshape(-1)]
            row = row.astype(np.int32)
            row.setflags(write=False)
            self._memo[t] = row
        return self._memo[t]

    def __len__(self) -> int:
        return self._e


def _table_from(G: FiniteGroup, seq: IrrepSequence, classes: Any) -> CharacterTable:
    reps = np.asarray(classes.representatives, np.int64)
    e = G.exponent
    groups: list[np.ndarray] = []
    fs: list[int] = []
    powers = _LazyPowers(G, reps, e)
    sq = powers[2]
    sizes = np.asarray(classes.sizes, np.float64)
    roots = np.exp(2j * np.pi * np.arange(e) / e)
    fams, fam_of, member = seq.members()
    for d in np.unique(seq.dims):
        idx = np.flatnonzero(seq.dims == d)
        block = np.empty((idx.size, reps.size, int(d)), np.int64)
        fam_ids = fam_of[idx]
        for fid in np.unique(fam_ids):
            rows = fam_ids == fid
            fam = fams[int(fid)]
            P, E = fam.images(member[idx[rows]][:, None], reps[None, :])
            X = monomial_eigenvalues(P[0], E, fam.M, e)
            if X is None:
                raise VerificationError(f"an eigenvalue of {G!r} is not an {e}-th root of unity")
            block[rows] = X
        groups.append(block)
        vals = roots[block].sum(axis=-1)  # (count, classes)
        nu = (vals[:, sq] * sizes).sum(axis=1) / G.order
        fs.extend(int(round(v.real)) for v in nu)
    degrees = tuple(int(d) for d in seq.dims)
    return CharacterTable(G, e, degrees, tuple(groups), powers, tuple(fs))


def regular_representation(G: FiniteGroup) -> Representation:
    """The left regular representation ``R(g) e_u = e_{g u}`` on ``C[G]`` (exact, monomial: a
    permutation of the elements), basis labelled by the elements (:attr:`~Representation.points`).

    Examples
    --------
    >>> import grouptools as gt
    >>> R = gt.dihedral(3).regular_representation()
    >>> R.dim, R.decompose().multiplicities.tolist()
    (6, [1, 1, 2])
    """
    check_type("G", G, FiniteGroup, "a FiniteGroup")
    perms = np.stack([np.asarray(G.left_multiplication(g), np.int64) for g in G.generators]) \
        if G.generators else np.zeros((0, G.order), np.int64)
    return Representation.from_monomial(G, perms, points=np.arange(G.order), verify=False)


def permutation_representation(G: FiniteGroup, H: Subgroup) -> Representation:
    """The permutation representation on the left cosets ``G/H`` (the homogeneous space):
    ``R(g) e_{tH} = e_{gtH}``, points labelled by the coset representatives (smallest element of
    each coset, ``points[0] = 0`` for ``H`` itself; :attr:`~Representation.points`).

    Raises
    ------
    InvalidGroupError
        If ``H`` is not a subgroup of ``G``.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.symmetric(3)
    >>> R = G.permutation_representation(G.subgroup([G.element("b")]))
    >>> R.dim, R.points.tolist(), R.decompose().multiplicities.tolist()
    (3, [0, 1, 3], [1, 0, 1])
    """
    check_type("G", G, FiniteGroup, "a FiniteGroup")
    check_type("H", H, Subgroup, "a Subgroup")
    if H.parent != G:
        raise InvalidGroupError("the subgroup belongs to another group")
    labels, reps = G.cosets(H if H.parent is G else G.subgroup(H.generators), "left")
    labels = np.asarray(labels, np.int64)
    reps = np.asarray(reps, np.int64)
    perms = np.stack([labels[np.asarray(G.multiply(int(g), reps))] for g in G.generators]) \
        if G.generators else np.zeros((0, reps.size), np.int64)
    return Representation.from_monomial(G, perms, points=reps, verify=False)


def real_irreps(G: FiniteGroup) -> Any:
    """The irreducible real representations of ``G`` (:func:`grouptools.reps._realirreps.real_irreps`)."""
    from ._realirreps import real_irreps as build

    return build(G)


def adapted_to_chain(G: FiniteGroup, adapted_to: Any) -> AdaptedIrreps:
    """``G.irreps(adapted_to=...)``: :func:`grouptools.reps.adapted_irreps` along ``adapted_to``, a
    sequence of :class:`Subgroup` or ``"default"`` (:func:`grouptools.reps.default_chain`).

    Raises
    ------
    ParameterError
        A string other than ``"default"``.

    Examples
    --------
    >>> import grouptools as gt
    >>> adapted_to_chain(gt.symmetric(3), "default").young
    True
    """
    if isinstance(adapted_to, str):
        if adapted_to != "default":
            raise ParameterError(f"adapted_to must be a chain of subgroups or 'default', got {quote(adapted_to)}")
        return adapted_irreps(G)
    return adapted_irreps(G, adapted_to)
