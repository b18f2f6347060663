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
the layout found here is handed to its plan builder and numba kernels, cached per group under
separate keys. Cost per function: ``|T|`` FFTs of size ``|A|`` plus the sparse assembly, instead
of ``|G|^2`` for the dense matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._errors import InvalidGroupError, VerificationError
from ._blocks import FourierBlocks
from ._fourier import memo

__all__ = [
    "applies",
    "pays",
    "abelian_normal_subgroup",
    "abelian_basis",
    "generic_layout",
    "transform_generic",
    "inverse_generic",
    "MIN_PAYING_ORDER",
]

#: ``method="auto"`` uses the generic route when the abelian normal subgroup has at least this order.
MIN_PAYING_ORDER = 4
#: Largest abelian normal subgroup handled (memory of the basis search is ``O(|A|)``).
MAX_ABELIAN_ORDER = 1 << 16
#: The padded grid (when no basis is found) may be at most this many times larger than ``|A|``.
MAX_PADDING = 16


# ---------------------------------------------------------------------------------------------
# finding the abelian normal subgroup
# ---------------------------------------------------------------------------------------------
def _commute(G: Any, xs: np.ndarray, ys: np.ndarray) -> bool:
    """Whether every element of ``xs`` commutes with every element of ``ys``."""
    xs = np.asarray(xs, dtype=np.int64).ravel()
    ys = np.asarray(ys, dtype=np.int64).ravel()
    if xs.size == 0 or ys.size == 0:
        return True
    a = xs[:, None]
    b = ys[None, :]
    return bool(np.array_equal(G.multiply(a, b), G.multiply(b, a)))


def _reduced_generators(G: Any, elements: np.ndarray, limit: int = 64) -> tuple[int, ...]:
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


def _subgroup(G: Any, gens: list[int] | tuple[int, ...]) -> Any:
    from ..groups._group import Subgroup

    elements = G.closure(sorted({int(g) for g in gens} - {0}))
    return Subgroup(G, _reduced_generators(G, elements), elements)


def abelian_normal_subgroup(G: Any, *, max_class_size: int = 64, max_classes: int = 256) -> Any:
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

    def build() -> Any:
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

    return memo(G, "generic_subgroup", build)


def _primes(n: int) -> list[int]:
    out, p = [], 2
    while p * p <= n:
        if n % p == 0:
            out.append(p)
            while n % p == 0:
                n //= p
        p += 1
    if n > 1:
        out.append(n)
    return out


def _powers(H: Any, x: int, n: int) -> np.ndarray:
    out = np.zeros(n, np.int64)
    for i in range(1, n):
        out[i] = H.multiply(int(out[i - 1]), int(x))
    return out


def _grid_elements(H: Any, basis: list[int], invariants: list[int]) -> np.ndarray:
    """``phi(e) = prod b_i^{e_i}`` for all ``e`` (flat, last axis fastest)."""
    elems = np.zeros(1, np.int64)
    for b, n in zip(basis, invariants):
        pw = _powers(H, b, n)
        elems = np.asarray(H.multiply(elems[:, None], pw[None, :]), dtype=np.int64).ravel()
    return elems


def abelian_basis(H: Any) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
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
    for p in _primes(m):
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
class GenericLayout:
    """The grid of ``A``, the coset layout (a :class:`._clifford.Layout`) and the kernel size
    ``|K|`` of the grid map (1 when the grid is a basis).

    The layout is contiguous: ``perm[t P + e] = phi(e) t`` (``P`` the grid size) reorders a
    function into it (``numpy.take`` is several times faster than the fancy-indexed gather of a
    non-contiguous layout). When ``kernel == 1``, ``perm`` is a permutation and ``inv_perm`` its
    inverse; otherwise ``inv_perm`` is ``None`` (each element appears ``kernel`` times).
    """

    subgroup: Any
    layout: Any
    kernel: int
    perm: np.ndarray
    inv_perm: np.ndarray | None


def generic_layout(G: Any, *, max_abelian_order: int = MAX_ABELIAN_ORDER) -> GenericLayout | None:
    """The layout of the generic route, or ``None`` when it does not apply (cached per group).

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.fourier._discovered import generic_layout
    >>> lay = generic_layout(gt.dicyclic(3))
    >>> lay.subgroup.order, lay.layout.ncoset, lay.kernel
    (6, 2, 1)
    """

    def build() -> GenericLayout | None:
        from ._clifford import Layout

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
        lay = Layout(tuple(int(v) for v in invariants), int(reps.size), None, reps, n_gens)
        perm = np.ascontiguousarray(index.ravel())
        inv_perm = None
        if kernel == 1:
            inv_perm = np.empty_like(perm)
            inv_perm[perm] = np.arange(perm.size)
        return GenericLayout(A, lay, int(kernel), perm, inv_perm)

    return memo(G, "generic_layout", build)


def applies(G: Any) -> bool:
    """Whether the generic route applies (``G`` has a nontrivial abelian normal subgroup)."""
    return generic_layout(G) is not None


def pays(G: Any) -> bool:
    """Whether ``method="auto"`` should use the generic route: it applies and
    ``|A| >= MIN_PAYING_ORDER`` (cost ``|T| |G| + |G| log|A|`` instead of ``|G|^2``)."""
    g = generic_layout(G)
    return g is not None and g.subgroup.order >= MIN_PAYING_ORDER


class _View:
    """``G`` seen through the generic layout: :mod:`._clifford` reads its layout from the group
    memo, so this view answers that key with the generic layout and stores the plan under a
    separate key of ``G``'s memo; ``order`` is the length ``|K| |G|`` of the reordered functions
    (the inverse divides by it, so its result is multiplied by ``|K|``); every other attribute is
    ``G``'s."""

    def __init__(self, G: Any, layout: Any, order: int) -> None:
        self._group = G
        self._layout = layout
        self.order = order  # the length of the reordered functions, |K| |G|

    def __getattr__(self, name: str) -> Any:
        return getattr(self._group, name)

    def memo(self, key: str, fn: Any) -> Any:
        if key == "fourier.clifford_layout":
            return self._layout
        return self._group.memo(f"generic.{key}", fn)


def _view(G: Any) -> tuple[_View, GenericLayout]:
    g = generic_layout(G)
    if g is None:
        raise InvalidGroupError("method='generic' needs a group with a nontrivial abelian normal subgroup")
    return _View(G, g.layout, int(g.perm.size)), g


def transform_generic(G: Any, f: np.ndarray, *, py_kernels: bool = False) -> FourierBlocks:
    """Fourier blocks of ``f`` ``(..., |G|)`` (float64 or complex128) by the generic route.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import transform
    >>> from grouptools.fourier._discovered import transform_generic
    >>> G = gt.dicyclic(3)
    >>> f = np.arange(12.0)
    >>> transform_generic(G, f).allclose(transform(G, f, method="dense"))
    True
    """
    from ._clifford import transform_clifford

    view, g = _view(G)
    blocks = transform_clifford(view, np.take(f, g.perm, axis=-1), py_kernels=py_kernels)
    return blocks * (1.0 / g.kernel) if g.kernel != 1 else blocks


def inverse_generic(G: Any, blocks: FourierBlocks, real: bool, *, py_kernels: bool = False) -> np.ndarray:
    """Inverse transform by the generic route (scatter into the coset spectra, one FFT per coset).

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.fourier import transform
    >>> from grouptools.fourier._discovered import inverse_generic
    >>> G = gt.dicyclic(3)
    >>> f = np.arange(12.0)
    >>> bool(np.allclose(inverse_generic(G, transform(G, f, method="dense"), real=True), f))
    True
    """
    from ._clifford import inverse_clifford

    view, g = _view(G)
    x = inverse_clifford(view, blocks, real, py_kernels=py_kernels)
    if g.inv_perm is not None:
        return np.take(x, g.inv_perm, axis=-1)
    out = np.empty(x.shape[:-1] + (G.order,), x.dtype)
    out[..., g.perm] = x * g.kernel  # every copy of an element carries the same value
    return out
