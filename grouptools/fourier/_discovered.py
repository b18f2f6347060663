"""Fast Fourier transform for groups without construction metadata (``G.structure is None``).

The Clifford route of :mod:`._clifford` needs an abelian normal subgroup ``A`` given as a grid
``C_{n1} x ... x C_{nr}`` and a transversal. Here both are found from the multiplication alone:

1. ``A`` is grown from the last nontrivial term of the derived series (solvable ``G``; it is
   characteristic and abelian) or the centre: the centre is adjoined, ``A`` is replaced by its
   centralizer ``C_G(A)`` when that is abelian (it is normal and contains ``A``), and then the
   conjugacy classes of at most ``max_class_size`` elements that commute with ``A`` and among
   themselves are adjoined (a union of normal subsets generates a normal subgroup).
2. An explicit isomorphism ``Z_{n1} x ... x Z_{nr} -> A``, ``e -> prod b_i^{e_i}``, is found per
   Sylow subgroup by the greedy basis (an element of maximal order whose cyclic group meets the
   span so far trivially, i.e. whose power of order ``p`` lies outside it) and verified. If the
   greedy basis fails, the generators of ``A`` give a surjective grid with kernel ``K``; sums over
   the grid are then ``|K|`` times sums over ``A``.
3. A left transversal ``T`` of the right cosets ``A t`` gives ``index[t, e] = phi(e) t``; every
   element is ``a t`` uniquely, and

       f_hat(rho) = sum_t [sum_a f(a t) rho(a)] rho(t) = C [ sum_t diag(F_t(lambda_j)) C^H rho(t) ],

   with ``rho(a) = C diag(lambda_j(a)) C^H`` (one Schur decomposition of a random combination of
   the commuting unitaries ``rho(b_i)`` per irrep, the ``lambda_j`` identified among the characters
   of ``A`` by their values on the ``b_i``) and ``F_t`` the FFT of ``a -> f(a t)`` over the grid.

Step 3 is exactly the assembly of :mod:`._clifford` (the abelian-normal-subgroup step of the FFTs
for solvable groups of Clausen and Baum, *Fast Fourier Transforms*, 1993, and Rockmore, 1995), so
the layout found here is handed explicitly to its plan builder (:func:`._clifford.build_plan`)
and executor, and the plan is kept under this method's own keys (``"fourier.discovered.*"``).
Cost per function: ``|T|`` FFTs of size ``|A|`` plus the sparse assembly, instead of ``|G|^2``
for the dense matrix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import InvalidGroupError, VerificationError
from ..arith._numtheory import prime_factors
from ..groups import Subgroup
from . import _clifford
from ._blocks import FourierBlocks
from ._support import memo

if TYPE_CHECKING:
    from ..groups import FiniteGroup

__all__ = [
    "MIN_PAYING_ORDER",
    "DiscoveredLayout",
    "DiscoveredPlan",
    "abelian_basis",
    "abelian_normal_subgroup",
    "applies",
    "cost",
    "discovered_layout",
    "execute",
    "plan",
]

#: ``method="auto"`` uses this method when the abelian normal subgroup has at least this order.
MIN_PAYING_ORDER = 4
#: Largest abelian normal subgroup handled (memory of the basis search is ``O(|A|)``).
MAX_ABELIAN_ORDER = 1 << 16
#: The padded grid (when no basis is found) may be at most this many times larger than ``|A|``.
MAX_PADDING = 16


# ---------------------------------------------------------------------------------------------
# finding the abelian normal subgroup
# ---------------------------------------------------------------------------------------------
def _commute(G: FiniteGroup, xs: np.ndarray, ys: np.ndarray) -> bool:
    """Whether every element of ``xs`` commutes with every element of ``ys``."""
    xs = np.asarray(xs, dtype=np.int64).ravel()
    ys = np.asarray(ys, dtype=np.int64).ravel()
    if xs.size == 0 or ys.size == 0:
        return True
    a = xs[:, None]
    b = ys[None, :]
    return bool(np.array_equal(G.multiply(a, b), G.multiply(b, a)))


def _reduced_generators(G: FiniteGroup, elements: np.ndarray, limit: int = 64) -> tuple[int, ...]:
    """A small generating set of the subgroup with these elements (greedy, at most ``limit``)."""
    inside = np.zeros(G.order, bool)
    inside[0] = True
    gens: list[int] = []
    for x in np.asarray(elements).tolist():
        if inside[x]:
            continue
        if len(gens) >= limit:
            raise VerificationError("more generators than expected for a subgroup")
        gens.append(int(x))
        inside[G.closure(gens)] = True
    return tuple(gens)


def _subgroup(G: FiniteGroup, gens: list[int] | tuple[int, ...]) -> Subgroup:
    elements = G.closure(sorted({int(g) for g in gens} - {0}))
    return Subgroup(G, _reduced_generators(G, elements), elements)


def abelian_normal_subgroup(G: FiniteGroup, *, max_class_size: int = 64, max_classes: int = 256) -> Subgroup:
    """A large abelian normal subgroup of ``G``, found cheaply (cached per group).

    Parameters
    ----------
    G : FiniteGroup
    max_class_size : int
        Conjugacy classes larger than this are not tried for adjoining.
    max_classes : int
        At most this many conjugacy classes are tried.

    Returns
    -------
    Subgroup
        Abelian and normal in ``G`` (verified), with a small generating set.

    Raises
    ------
    VerificationError
        If the subgroup built is not abelian and normal (a bug).

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.fourier._discovered import abelian_normal_subgroup
    >>> abelian_normal_subgroup(gt.symmetric(4)).order        # the Klein four-group
    4
    """

    def build() -> Subgroup:
        if G.is_abelian:
            return _subgroup(G, G.generators)
        gens: list[int] = list(G.centre().generators) if G.centre().order > 1 else []
        series = G.derived_series()
        if series[-1].order == 1 and len(series) >= 2:
            gens += list(series[-2].generators)
        A = _subgroup(G, gens)
        # centralizer of A (normal as A is): replace A if abelian
        allg = np.arange(G.order, dtype=np.int64)
        mask = np.ones(G.order, bool)
        for a in A.generators:
            mask &= G.multiply(allg, a) == G.multiply(a, allg)
        cent = np.flatnonzero(mask)
        if cent.size > A.order:
            C = _subgroup(G, _reduced_generators(G, cent))
            if _commute(G, C.generators, C.generators):
                A = C
        # adjoin small classes commuting with A and among themselves
        inside = np.zeros(G.order, bool)
        inside[A.elements] = True
        classes = sorted(G.conjugacy_classes()[1:], key=lambda c: c.size)[:max_classes]
        for cl in classes:
            els = np.asarray(cl.elements, dtype=np.int64)
            if els.size > max_class_size or inside[els[0]]:
                continue
            if _commute(G, els, A.generators) and _commute(G, els, els):
                A = _subgroup(G, list(A.generators) + els.tolist())
                inside[A.elements] = True
        if not (_commute(G, A.generators, A.generators) and G.is_subgroup_normal(A)):
            raise VerificationError("the subgroup found is not abelian and normal")
        return A

    return memo(G, "discovered.subgroup", build)


def _powers(H: FiniteGroup, x: int, n: int) -> np.ndarray:
    out = np.zeros(n, np.int64)
    for i in range(1, n):
        out[i] = H.multiply(int(out[i - 1]), int(x))
    return out


def _grid_elements(H: FiniteGroup, basis: list[int], invariants: list[int]) -> np.ndarray:
    """``phi(e) = prod b_i^{e_i}`` for all ``e`` (flat, last axis fastest)."""
    elems = np.zeros(1, np.int64)
    for b, n in zip(basis, invariants):
        pw = _powers(H, b, n)
        elems = np.asarray(H.multiply(elems[:, None], pw[None, :]), dtype=np.int64).ravel()
    return elems


def abelian_basis(H: FiniteGroup) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """A basis of the abelian group ``H``: elements ``b_i`` of orders ``n_i`` with
    ``H = <b_1> x ... x <b_r>``, or ``None`` if the greedy search fails.

    Per prime ``p``, an element of maximal ``p``-power order whose cyclic group meets the span so
    far trivially is adjoined until the span is the Sylow ``p``-subgroup (the greedy construction
    of a basis of a finite abelian ``p``-group, e.g. Cohen, *A Course in Computational Algebraic
    Number Theory*, 1993, section 2.4.3); the result is verified.

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.fourier._discovered import abelian_basis
    >>> basis, invariants = abelian_basis(gt.abelian((2, 6)))
    >>> invariants
    (6, 2)
    """
    m = H.order
    orders = np.asarray(H.element_orders, dtype=np.int64)
    per_prime: list[list[tuple[int, int]]] = []
    for p in prime_factors(m):
        basis: list[int] = []
        invs: list[int] = []
        size_p = p ** next(k for k in range(64) if (m // p**k) % p != 0)
        rest = orders.copy()
        while True:
            div = rest % p == 0
            if not div.any():
                break
            rest[div] //= p
        pmask = rest == 1
        span = np.zeros(m, bool)
        span[0] = True
        span_elems = np.zeros(1, np.int64)
        while span_elems.size < size_p:
            cands = np.flatnonzero(pmask & ~span)
            if cands.size == 0:
                return None
            low = np.asarray(H.power(cands, orders[cands] // p), dtype=np.int64)
            ok = cands[~span[low]]
            if ok.size == 0:
                return None
            x = int(ok[np.argmax(orders[ok])])
            n = int(orders[x])
            new = np.asarray(H.multiply(span_elems[:, None], _powers(H, x, n)[None, :]), dtype=np.int64).ravel()
            if np.unique(new).size != new.size:
                return None
            span_elems = new
            span[new] = True
            basis.append(x)
            invs.append(n)
        per_prime.append(sorted(zip(invs, basis), reverse=True))
    # invariant factors: the i-th largest cyclic factors of the primes multiply to one cyclic
    # factor (Chinese remainder theorem), so the grid has few, long axes
    basis, invs = [], []
    for i in range(max((len(q) for q in per_prime), default=0)):
        b, n = 0, 1
        for q in per_prime:
            if i < len(q):
                b, n = int(H.multiply(b, q[i][1])), n * q[i][0]
        basis.append(b)
        invs.append(n)
    elems = _grid_elements(H, basis, invs)
    if elems.size != m or np.unique(elems).size != m:
        return None
    return tuple(basis), tuple(invs)


# ---------------------------------------------------------------------------------------------
# layout and application of the Clifford machinery
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiscoveredLayout:
    """The grid of ``A``, the coset layout (a :class:`._clifford.Layout`) and the kernel size
    ``|K|`` of the grid map (1 when the grid is a basis).

    The layout is contiguous: ``perm[t P + e] = phi(e) t`` (``P`` the grid size) reorders a
    function into it (``numpy.take`` is several times faster than the fancy-indexed gather of a
    non-contiguous layout). When ``kernel == 1``, ``perm`` is a permutation and ``inv_perm`` its
    inverse; otherwise ``inv_perm`` is ``None`` (each element appears ``kernel`` times).
    """

    subgroup: Subgroup
    layout: _clifford.Layout
    kernel: int
    perm: np.ndarray
    inv_perm: np.ndarray | None


def discovered_layout(G: FiniteGroup, *, max_abelian_order: int = MAX_ABELIAN_ORDER) -> DiscoveredLayout | None:
    """The layout of the discovered route, or ``None`` when it does not apply (kept in
    ``G.memo("fourier.discovered.layout")``).

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.fourier._discovered import discovered_layout
    >>> lay = discovered_layout(gt.dicyclic(3))
    >>> lay.subgroup.order, lay.layout.ncoset, lay.kernel
    (6, 2, 1)
    """

    def build() -> DiscoveredLayout | None:
        if G.order < 2:
            return None
        A = abelian_normal_subgroup(G)
        if A.order < 2 or A.order > max_abelian_order:
            return None
        H, emb = A.as_group()
        found = abelian_basis(H)
        kernel = 1
        if found is None:  # surjective grid from the generators of A
            gens = tuple(int(g) for g in H.generators)
            orders = tuple(int(H.element_orders[g]) for g in gens)
            size = int(np.prod(orders, dtype=np.int64))
            if size > MAX_PADDING * H.order:
                return None
            found, kernel = (gens, orders), size // H.order
        basis, invariants = found
        grid = np.asarray(emb, dtype=np.int64)[_grid_elements(H, list(basis), list(invariants))]
        _, reps = G.cosets(A, side="right")
        reps = np.asarray(reps, dtype=np.int64)
        index = np.asarray(G.multiply(grid[None, :], reps[:, None]), dtype=np.int64)
        covered = np.zeros(G.order, bool)
        covered[index.ravel()] = True
        if not covered.all():
            raise VerificationError("the cosets of the abelian normal subgroup do not cover G")
        n_gens = np.asarray(emb, dtype=np.int64)[np.asarray(basis, dtype=np.int64)]
        lay = _clifford.Layout(tuple(int(v) for v in invariants), int(reps.size), None, reps, n_gens)
        perm = np.ascontiguousarray(index.ravel())
        inv_perm = None
        if kernel == 1:
            inv_perm = np.empty_like(perm)
            inv_perm[perm] = np.arange(perm.size)
        return DiscoveredLayout(A, lay, int(kernel), perm, inv_perm)

    return memo(G, "discovered.layout", build)


def applies(G: FiniteGroup) -> bool:
    """Whether the discovered route applies (``G`` has a nontrivial abelian normal subgroup)."""
    return discovered_layout(G) is not None


def cost(G: FiniteGroup) -> float:
    """Operations per function, ``|G| (log2|A| + |T| + 1)`` (reordering, coset FFTs, assembly).

    ``inf`` (never chosen by ``method="auto"``) for groups with a ``structure`` (their own layout
    is used), where the route does not apply, or when ``|A| < MIN_PAYING_ORDER``.
    """
    if G.structure is not None:
        return math.inf
    g = discovered_layout(G)
    if g is None or g.subgroup.order < MIN_PAYING_ORDER:
        return math.inf
    return G.order * (math.log2(g.subgroup.order) + g.layout.ncoset + 1)


@dataclass(frozen=True)
class DiscoveredPlan:
    """The discovered layout and the Clifford plan over it."""

    found: DiscoveredLayout
    clifford: _clifford.Plan


def plan(G: FiniteGroup) -> DiscoveredPlan:
    """The plan of the discovered route (kept in ``G.memo("fourier.discovered")``).

    Raises
    ------
    InvalidGroupError
        If ``G`` has no nontrivial abelian normal subgroup.
    """

    def build() -> DiscoveredPlan:
        g = discovered_layout(G)
        if g is None:
            raise InvalidGroupError("method='discovered' needs a group with a nontrivial abelian normal subgroup")
        return DiscoveredPlan(g, _clifford.build_plan(G, g.layout))

    return memo(G, "discovered", build)


def execute(
    p: DiscoveredPlan, data: np.ndarray | FourierBlocks, *, inverse: bool, real: bool = False, python: bool = False
) -> Any:
    """The Clifford transform over the discovered layout, in either direction.

    Functions are reordered into the layout (``perm``) before the forward transform and back after
    the inverse; with a padded grid (``kernel = |K| > 1``) the forward sums are ``|K|`` times too
    large and the inverse divides by ``|K| |G|``, which the factor ``1/|K|``, resp. ``|K|``, undoes.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import transform
    >>> G = gt.dicyclic(3)
    >>> f = np.arange(12.0)
    >>> P = plan(G)
    >>> execute(P, f, inverse=False).allclose(transform(G, f, method="dense"))
    True
    >>> bool(np.allclose(execute(P, transform(G, f), inverse=True, real=True), f))
    True
    """
    g = p.found
    if not inverse:
        blocks = _clifford.execute(p.clifford, np.take(data, g.perm, axis=-1), inverse=False, python=python)
        return blocks * (1.0 / g.kernel) if g.kernel != 1 else blocks
    x = _clifford.execute(p.clifford, data, inverse=True, real=real, python=python)
    if g.inv_perm is not None:
        return np.take(x, g.inv_perm, axis=-1)
    out = np.empty(x.shape[:-1] + (g.perm.size // g.kernel,), x.dtype)
    out[..., g.perm] = x * g.kernel  # every copy of an element carries the same value
    return out
