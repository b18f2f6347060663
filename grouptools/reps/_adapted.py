"""Irreps adapted to a chain of subgroups (Gel'fand-Tsetlin bases) and the default chains.

For a chain ``G = G_m > G_{m-1} > ... > G_0 = 1`` the irreps of every ``G_i`` are chosen so that
the restriction of each to ``G_{i-1}`` is *exactly* block diagonal with irreps of ``G_{i-1}`` (in
the same adapted bases) in fixed positions. These are the bases in which the separation of
variables FFT of Maslen and Rockmore (*Separation of variables and the computation of Fourier
transforms on finite groups, I*, J. AMS 1997) and Clausen's FFT (*Fast generalized Fourier
transforms*, Theoret. Comput. Sci. 1989) run (:mod:`grouptools.fourier._chain`).

Three routes:

* the symmetric group (``gt.symmetric(n)`` and any group with a natural action of degree ``n``
  and order ``n!``) with the chain ``S_1 < ... < S_n`` takes Young's orthogonal form
  (:mod:`._young`), exact and real;
* any other chain is built bottom-up numerically (:mod:`._adapted_numeric`): each irrep ``rho``
  of ``G_i`` (``G_i``'s own ``irreps()``, unitary) is restricted to ``G_{i-1}`` and decomposed
  (:meth:`Representation.decompose`, a unitary change of basis ``Q`` with the irreps of
  ``G_{i-1}`` in the blocks); then ``W = Q . diag(W_sigma)`` composes it with the adapted bases
  ``W_sigma`` of the blocks, and the adapted irrep is ``W^H rho W``;
* when every group of the chain has only irreps of real type, real orthogonal adapted irreps
  (the default where possible): the copies of each adapted block are found as images of
  intertwiners and the remaining freedom makes every matrix real (:mod:`._adapted_numeric`).
  :func:`real_chain` chooses such a chain for the chain FFT.

At the top the adapted irreps are in the order of ``G.irreps()`` and
:meth:`AdaptedIrreps.basis` gives the unitary ``U`` with ``G.irreps()[r](g) = U rho_r(g) U^H``.

Default chains (:func:`default_chain`): for symmetric groups the ``S_k`` chain; for solvable
groups the derived series refined to prime steps (a composition series; Baum, *Existence and
efficient construction of fast Fourier transforms on supersolvable groups*, 1991); otherwise a
descent through the largest of the point stabilisers of the natural action and the normalisers
of cyclic subgroups until the subgroup is solvable.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from .._errors import GroupTooLargeError, InvalidGroupError, ParameterTypeError, VerificationError, check_limit
from ..groups import FiniteGroup, Subgroup
from ..groups._permutation import NATURAL_ACTION
from ._adapted_numeric import REAL_MAX_ORDER, numeric_route, real_prefix, real_type_degrees
from ._adapted_types import ADAPTED_TOL, AdaptedIrreps, ChainLevel, chain_key
from ._young import (
    partitions,
    permutation_images,
    removable_corners,
    standard_tableaux,
    symmetric_degree,
    transposition_elements,
    young_matrices,
    young_sparse,
)

__all__ = ["AdaptedIrreps", "ChainLevel", "adapted_irreps", "default_chain", "irrep_at", "real_chain"]

#: Subgroups are enlarged by adjoining elements (:func:`default_chain`) up to this order.
MAX_GROW_ORDER = 1 << 17
#: ... and all candidates are enlarged up to this order (only the ``grow`` largest above it).
MAX_GROW_ALL = 1 << 13


# ---------------------------------------------------------------------------------------------
# chains
# ---------------------------------------------------------------------------------------------
def _as_subgroup(G: FiniteGroup, elements: np.ndarray) -> Subgroup:
    """The subgroup with these elements (indices in ``G``), with a greedy generating set."""
    elements = np.sort(np.asarray(elements, np.int64))
    inside = np.zeros(G.order, bool)
    inside[0] = True
    gens: list[int] = []
    for x in elements.tolist():
        if not inside[x]:
            gens.append(int(x))
            inside[G.closure(gens)] = True
    return G.subgroup(gens)


def _symmetric_chain(G: FiniteGroup, n: int) -> tuple[Subgroup, ...]:
    img = permutation_images(G)
    chain = []
    for k in range(n, 0, -1):  # S_k: the permutations fixing the points k..n-1
        fixed = np.all(img[:, k:] == np.arange(k, n), axis=1)
        chain.append(_as_subgroup(G, np.flatnonzero(fixed)))
    return tuple(chain)


def _solvable_steps(G: FiniteGroup, top: np.ndarray, max_steps: int) -> list[np.ndarray]:
    """Elements of ``top = A_r > ... > A_0 = 1``: the derived series of ``<top>`` refined to
    prime steps (each normal in the next), top first."""
    S = _as_subgroup(G, top)
    K, emb = S.as_group()
    series = [np.asarray(emb, np.int64)[D.elements] for D in K.derived_series()]
    if series[-1].size != 1:
        raise InvalidGroupError("the subgroup is not solvable")
    out: list[np.ndarray] = []
    for A, B in zip(series, series[1:] + [None]):
        if B is None:
            continue
        steps = [np.sort(B)]
        cur = np.zeros(G.order, bool)
        cur[B] = True
        while int(cur.sum()) < A.size:
            if len(steps) > max_steps:
                raise GroupTooLargeError(f"the chain needs more than max_steps={max_steps} subgroups")
            y = int(A[~cur[A]][0])
            k = 1  # the least k with y^k in the current subgroup, then x = y^(k/p) has x^p in it
            while not cur[int(G.power(y, k))]:
                k += 1
            p = next(q for q in range(2, k + 1) if k % q == 0)
            x = int(G.power(y, k // p))
            new = G.closure(sorted(set(steps[-1].tolist()) - {0} | {x})) if steps[-1].size < 4096 else None
            if new is None:  # large: closure from a generating set of the current step
                new = G.closure(list(_as_subgroup(G, steps[-1]).generators) + [x])
            cur[:] = False
            cur[new] = True
            steps.append(np.sort(np.asarray(new, np.int64)))
        out.extend(reversed(steps[1:]))
    out.append(np.zeros(1, np.int64))
    return out


def _largest_proper(G: FiniteGroup, S: np.ndarray, tries: int, grow: int = 4) -> np.ndarray:
    """A large proper subgroup of ``<S>``: the largest of :func:`_proper_candidates` (grown)."""
    grown = _proper_candidates(G, S, tries, grow)[1]
    best = max(grown, key=lambda c: c.size, default=np.zeros(1, np.int64))
    if best.size == 1 and S.size > 1:
        raise InvalidGroupError("no proper subgroup found for the chain")
    return best


def _proper_candidates(G: FiniteGroup, S: np.ndarray, tries: int, grow: int = 4) -> tuple[list, list]:
    """Proper subgroups of ``<S>`` (sorted element arrays): the point stabilisers of the natural
    action and the normalisers of cyclic subgroups of up to ``tries`` elements of distinct
    orders, largest first; and each of them (the ``grow`` largest above :data:`MAX_GROW_ALL`)
    enlarged by adjoining elements of ``S`` while it stays proper."""
    inv = G.inverse
    act = G.memo(NATURAL_ACTION)
    cands: list[np.ndarray] = []
    if act is not None and G.order <= 1 << 20:
        pts = _action_images(G, np.asarray(act, np.int64), S)
        for p in range(pts.shape[1]):
            cands.append(S[pts[:, p] == p])
    orders = G.element_orders[S]
    seen: set[int] = set()
    for x in S[np.argsort(-orders, kind="stable")].tolist():
        o = int(G.element_orders[x])
        if o in seen or x == 0:
            continue
        seen.add(o)
        if len(seen) > tries:
            break
        cyc = np.asarray(G.closure([x]), np.int64)
        inside = np.zeros(G.order, bool)
        inside[cyc] = True
        conj = G.multiply(G.multiply(S, np.full(S.size, x)), inv[S])
        cands.append(S[inside[conj]])
    cands = sorted((np.sort(c) for c in cands if c.size < S.size), key=lambda c: -c.size)
    grown = []
    rng = np.random.default_rng(0)
    for c in (cands if S.size <= MAX_GROW_ALL else cands[:grow]):  # adjoin elements while proper
        if S.size <= MAX_GROW_ORDER:
            gens = list(_as_subgroup(G, c).generators)
            for x in rng.permutation(S)[:40].tolist():
                inside = np.zeros(G.order, bool)
                inside[c] = True
                if inside[x]:
                    continue
                new = np.asarray(G.closure(gens + [x]), np.int64)
                if new.size < S.size:
                    c, gens = new, gens + [x]
        grown.append(np.sort(c))
    return cands, grown


def _action_images(G: FiniteGroup, act: np.ndarray, S: np.ndarray) -> np.ndarray:
    """Images of the points under the elements ``S`` (along the spanning tree)."""
    order, parent, letter, depth = G.spanning_tree
    d = act.shape[1]
    letters = np.empty((2 * act.shape[0], d), np.int64)
    letters[0::2] = act
    letters[1::2] = np.argsort(act, axis=1)
    img = np.empty((G.order, d), np.int64)
    img[0] = np.arange(d)
    order = np.asarray(order)
    dep = np.asarray(depth)[order]
    for lvl in range(1, int(dep.max(initial=0)) + 1):
        xs = order[dep == lvl]
        img[xs] = np.take_along_axis(letters[np.asarray(letter)[xs]], img[np.asarray(parent)[xs]], axis=1)
    return img[S]


def default_chain(G: FiniteGroup, *, max_steps: int = 256) -> tuple[Subgroup, ...]:
    """The chain :func:`adapted_irreps` and the chain FFT use by default, top (``G``) first.

    Symmetric groups: ``S_n > S_{n-1} > ... > S_1``. Solvable groups: the derived series refined
    to prime steps. Others: the largest proper subgroup among point stabilisers and normalisers
    of cyclic subgroups, repeatedly, until solvable, then as solvable groups.

    Parameters
    ----------
    G : FiniteGroup
    max_steps : int
        Longest chain built.

    Examples
    --------
    >>> import grouptools as gt
    >>> [H.order for H in default_chain(gt.symmetric(4))]
    [24, 6, 2, 1]
    >>> [H.order for H in default_chain(gt.dihedral(4))]
    [8, 4, 2, 1]
    >>> [H.order for H in default_chain(gt.alternating(5))]
    [60, 12, 4, 2, 1]
    """
    if not isinstance(G, FiniteGroup):
        raise ParameterTypeError(f"expected a FiniteGroup, got {type(G).__name__}")
    max_steps = check_limit("max_steps", max_steps)

    def build() -> tuple[Subgroup, ...]:
        n = symmetric_degree(G)
        if n is not None and n >= 3:
            return _symmetric_chain(G, n)
        tops = [np.arange(G.order, dtype=np.int64)]
        while True:
            S = tops[-1]
            K, _ = _as_subgroup(G, S).as_group()
            if K.is_solvable:
                break
            if len(tops) > max_steps:
                raise GroupTooLargeError(f"the chain needs more than max_steps={max_steps} subgroups")
            tops.append(np.sort(_largest_proper(G, S, 24)))
        steps = [t for t in tops[:-1]] + _solvable_steps(G, tops[-1], max_steps)
        return tuple(_as_subgroup(G, s) for s in steps)

    return G.memo("reps.default_chain", build)


def _real_type(G: FiniteGroup, S: np.ndarray) -> tuple[int, ...] | None:
    """:func:`real_type_degrees` of ``<S>``."""
    return real_type_degrees(_as_subgroup(G, S).as_group()[0])


def real_chain(G: FiniteGroup, *, overhead: float = 0.0, tries: int = 24,
               max_order: int = REAL_MAX_ORDER, max_steps: int = 64) -> tuple[Subgroup, ...] | None:
    """A chain along which every group has only irreps of real type, chosen for the chain FFT in
    real arithmetic; ``None`` if ``G`` itself has an irrep of indicator 0 or -1.

    Greedy, top down: from ``S`` the next group is the candidate ``H`` (point stabilisers,
    normalisers of cyclic subgroups, and these enlarged; see :func:`default_chain`) of real type
    and order at most ``max_order`` that minimises the modelled count of a level and a dense
    transform of ``H`` below it, ``[S:H]^2 sum_sigma d_sigma^3 + [S:H] |H|^2`` (the separation of
    variables level from ``H`` to ``S``: one product of side ``[S:H] d_sigma`` per irrep
    ``sigma`` of ``H``; Maslen and Rockmore 1997), plus ``overhead * |S| / |G|`` (a level's fixed
    cost per transform of ``G``, in multiply-adds); the descent stops when the dense transform
    of ``S``, ``|S|^2``, is cheaper.

    Parameters
    ----------
    G : FiniteGroup
    overhead : float
        The fixed cost of a level, in multiply-adds per transform of ``G``.
    tries : int
        Cyclic subgroups whose normalisers are tried per step.
    max_order : int
        Largest proper subgroup considered.
    max_steps : int
        Longest chain built.

    Examples
    --------
    >>> import grouptools as gt
    >>> C = real_chain(gt.alternating(6))
    >>> C[0].order, C[-1].order, all(a.order % b.order == 0 for a, b in zip(C, C[1:]))
    (360, 1, True)
    >>> real_chain(gt.cyclic(3)) is None                  # complex characters
    True
    """
    if not isinstance(G, FiniteGroup):
        raise ParameterTypeError(f"expected a FiniteGroup, got {type(G).__name__}")
    tries, max_order, max_steps = (check_limit(k, v) for k, v in
                                   (("tries", tries), ("max_order", max_order), ("max_steps", max_steps)))
    if real_type_degrees(G) is None:
        return None
    S = np.arange(G.order, dtype=np.int64)
    chain = [S]
    while S.size > 1:
        if len(chain) > max_steps:
            raise GroupTooLargeError(f"the chain needs more than max_steps={max_steps} subgroups")
        cands, grown = _proper_candidates(G, S, tries) if S.size > 2 else ([np.zeros(1, np.int64)], [])
        seen: set[bytes] = set()
        best, best_cost = None, float(S.size) ** 2 if len(chain) > 1 else math.inf
        for H in cands + grown:
            key = H.tobytes()
            if key in seen or H.size > max_order or H.size >= S.size:
                continue
            seen.add(key)
            dims = _real_type(G, H) if H.size > 1 else (1,)
            if dims is None:
                continue
            idx = S.size // H.size
            cost = idx * idx * sum(d**3 for d in dims) + idx * float(H.size) ** 2 + overhead * S.size / G.order
            if cost < best_cost:
                best, best_cost = H, cost
        if best is None:
            break
        chain.append(best)
        S = best
    if S.size > 1:  # the dense transform of S below: the trivial group next
        chain.append(np.zeros(1, np.int64))
    return tuple(_as_subgroup(G, c) for c in chain)


def _check_chain(G: FiniteGroup, chain: Any) -> tuple[Subgroup, ...]:
    if isinstance(chain, (str, bytes)) or not hasattr(chain, "__iter__"):
        raise ParameterTypeError(f"chain must be a sequence of Subgroups, got {type(chain).__name__}")
    subs = list(chain)
    for H in subs:
        if not isinstance(H, Subgroup):
            raise ParameterTypeError(f"chain must contain Subgroups, got {type(H).__name__}")
        if H.parent is not G:
            raise InvalidGroupError("every subgroup of the chain must be a subgroup of G")
    if not subs or subs[0].order != G.order:
        subs.insert(0, G.subgroup(G.generators))
    if subs[-1].order != 1:
        subs.append(G.subgroup([]))
    for big, small in zip(subs, subs[1:]):
        inside = np.zeros(G.order, bool)
        inside[big.elements] = True
        if not inside[small.elements].all() or small.order == big.order:
            raise InvalidGroupError(
                f"the chain must descend strictly: a subgroup of order {small.order} is not a proper "
                f"subgroup of the previous one (order {big.order})"
            )
    return tuple(subs)


# ---------------------------------------------------------------------------------------------
# adapted irreps
# ---------------------------------------------------------------------------------------------
def adapted_irreps(G: FiniteGroup, chain: Sequence[Subgroup] | None = None, *, real: bool | None = None) -> AdaptedIrreps:
    """Irreps of ``G`` and of every subgroup of ``chain``, adapted to the chain.

    Parameters
    ----------
    G : FiniteGroup
    chain : sequence of Subgroup, optional
        ``G = G_m > ... > G_0 = 1`` (subgroups of ``G``; ``G`` and the trivial group are added if
        missing). ``None``: :func:`default_chain` (Young's orthogonal form for symmetric groups).
    real : bool, optional
        Real orthogonal adapted irreps (:mod:`._adapted_numeric`): ``True`` requires them (every
        irrep of every subgroup of the chain but the trivial one has Frobenius-Schur indicator +1),
        ``False`` takes complex unitary ones, ``None`` (default) real ones where the chain allows
        (Young's form is always real).

    Returns
    -------
    AdaptedIrreps
        The irreps of ``G`` in the order of ``G.irreps()``, unitary, each restricting to
        ``G_{m-1}`` as the block diagonal of the adapted irreps listed in ``levels[-1].branching``.

    Raises
    ------
    InvalidGroupError
        A chain that does not descend strictly inside ``G``; ``real=True`` on a chain with an
        irrep of indicator 0 or -1 (or a subgroup above :data:`._adapted_numeric.REAL_MAX_ORDER`).
    VerificationError
        If a change of basis fails its check.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> G = gt.symmetric(4)
    >>> A = adapted_irreps(G)
    >>> A.young, A.dims == tuple(r.dim for r in G.irreps())
    (True, True)
    >>> r = 3
    >>> g = A.chain[1].elements[4]                            # an element of S_3
    >>> M = A.at(r, [g])[0]
    >>> blocks = [A.levels[-2].evaluate(s, np.array([g]))[0] for s in A.levels[-1].branching[r]]
    >>> from scipy.linalg import block_diag
    >>> bool(np.allclose(M, block_diag(*blocks)))
    True
    >>> U = A.basis(r)
    >>> bool(np.allclose(G.irreps()[r](int(g)), U @ M @ U.conj().T))
    True
    """
    if not isinstance(G, FiniteGroup):
        raise ParameterTypeError(f"expected a FiniteGroup, got {type(G).__name__}")
    if real is not None and not isinstance(real, bool):
        raise ParameterTypeError(f"real must be a bool or None, got {type(real).__name__}")
    subs = default_chain(G) if chain is None else _check_chain(G, chain)
    n = symmetric_degree(G)
    if n is not None and n >= 3 and real is not False and (
            chain is None or chain_key(subs, "") == chain_key(default_chain(G), "")):
        return G.memo(chain_key(subs, "young"), lambda: _young_route(G, n, subs))
    if real is not False:
        groups = [G] + [H.as_group()[0] for H in subs[1:-1]]
        if real_prefix(groups) == len(groups):
            try:
                return G.memo(chain_key(subs, "real"), lambda: numeric_route(G, subs, real=True))
            except (VerificationError, GroupTooLargeError):  # numerically or in size out of reach
                if real:
                    raise
        elif real:
            raise InvalidGroupError("the chain has an irrep that is not of real type (or a subgroup too large "
                                    "for the real route): no real adapted irreps")
    return G.memo(chain_key(subs, "numeric"), lambda: numeric_route(G, subs))


def _young_route(G: FiniteGroup, n: int, subs: tuple[Subgroup, ...]) -> AdaptedIrreps:
    img = permutation_images(G)
    irr = G.irreps()
    levels = []
    prev: tuple = ()
    for k in range(1, n + 1):
        if k < n:
            labels = partitions(k)
        else:  # the top in the order of G.irreps(): each matched by its spectrum (below)
            labels = tuple(_match_partition(G, rho) for rho in irr)
        where = {lam: i for i, lam in enumerate(prev)}
        branching = tuple(
            tuple(where[_minus(lam, i)] for i in removable_corners(lam)) if k > 1 else () for lam in labels
        )

        def evaluate(r: int, xs: np.ndarray, labels: tuple = labels, k: int = k) -> np.ndarray:
            return young_matrices(labels[r], img[xs][:, :k])

        levels.append(ChainLevel(subs[n - k].elements, tuple(int(young_sparse(l).dim) for l in labels),
                                 branching, labels, evaluate))
        prev = labels

    def bases() -> tuple[np.ndarray, ...]:
        return tuple(_young_basis(G, rho, lam) for rho, lam in zip(irr, levels[-1].labels))

    return AdaptedIrreps(G, subs, tuple(levels), True, bases, True)


def _minus(lam: tuple[int, ...], i: int) -> tuple[int, ...]:
    out = list(lam)
    out[i] -= 1
    return tuple(x for x in out if x)


def _jucys_murphy(G: FiniteGroup, rho: Any) -> np.ndarray:
    """A generic real combination ``Z = sum_k c_k X_k`` of the Jucys-Murphy elements
    ``X_k = sum_{j<k} (j, k)`` in ``rho`` (Hermitian; on Young's basis vector ``e_T`` it is
    ``sum_k c_k content_T(k)``; Okounkov and Vershik 1996)."""
    img = permutation_images(G)
    n = img.shape[1]
    weights = n ** np.arange(n - 1, -1, -1, dtype=np.int64)
    keys = img @ weights
    order = np.argsort(keys)
    trans, coef = [], []
    for k in range(1, n):
        for j in range(k):
            p = np.arange(n)
            p[[j, k]] = [k, j]
            trans.append(int(order[np.searchsorted(keys[order], p @ weights)]))
            coef.append(np.sqrt(float(k + 2)) + 1.0 / (k + 3))
    mats = irrep_at(G, rho, np.array(trans, np.int64))
    Z = np.tensordot(np.array(coef), mats, axes=1)
    return (Z + Z.conj().T) / 2


def irrep_at(G: FiniteGroup, rho: Any, xs: np.ndarray, max_bytes: int = 1 << 28) -> np.ndarray:
    """``rho(x)`` at a few elements ``xs``, ``(len, d, d)``; when all ``|G|`` matrices take more than
    ``max_bytes`` (``Irrep.at`` may build them all), products of the unitary generator images
    along the spanning tree (``g_x = g_parent * letter``).

    Examples
    --------
    >>> import grouptools as gt
    >>> rho, xs = gt.symmetric(4).irreps()[-1], np.array([0, 5, 17])
    >>> bool(np.allclose(irrep_at(rho.group, rho, xs, max_bytes=0), rho.at(xs)))
    True
    """
    xs = np.asarray(xs, np.int64)
    d = int(rho.dim)
    if G.order * d * d * 16 <= max_bytes:
        return np.asarray(rho.at(xs), np.complex128)
    gens = np.asarray(rho.unitary_generator_images, np.complex128)
    letters = np.empty((2 * gens.shape[0], d, d), np.complex128)
    letters[0::2] = gens
    letters[1::2] = np.conj(np.swapaxes(gens, -1, -2))  # unitary: the inverse is the adjoint
    _, parent, letter, _ = G.spanning_tree
    out = np.empty((xs.size, d, d), np.complex128)  # one product per letter of each word
    for i, x in enumerate(xs.tolist()):
        M = np.eye(d, dtype=np.complex128)
        while x != 0:
            M = letters[int(letter[x])] @ M
            x = int(parent[x])
        out[i] = M
    return out


def _spectrum(lam: tuple[int, ...]) -> np.ndarray:
    rows = standard_tableaux(lam)
    n = rows.shape[1]
    cols = np.zeros_like(rows)
    for k in range(n):
        cols[:, k] = (rows[:, :k] == rows[:, k : k + 1]).sum(axis=1)
    cont = cols - rows
    coef = np.array([0.0] + [np.sqrt(float(k + 2)) + 1.0 / (k + 3) for k in range(1, n)])
    return cont @ coef


def _match_partition(G: FiniteGroup, rho: Any) -> tuple[int, ...]:
    n = permutation_images(G).shape[1]
    ev = np.sort(np.linalg.eigvalsh(_jucys_murphy(G, rho)))
    for lam in partitions(n):
        sp = np.sort(_spectrum(lam))
        if sp.size == ev.size and np.allclose(sp, ev, atol=1e-6):
            return lam
    raise VerificationError(f"an irrep of degree {rho.dim} of S_{n} matches no partition")


def _young_basis(G: FiniteGroup, rho: Any, lam: tuple[int, ...]) -> np.ndarray:
    """``U`` with ``rho(g) = U young(g) U^H``: eigenvectors of the Jucys-Murphy combination
    (one per tableau), phases fixed so that ``U^H rho(s_i) U`` has Young's positive off-diagonal
    entries, then checked on every ``s_i``."""
    spec = _spectrum(lam)
    w, V = np.linalg.eigh(_jucys_murphy(G, rho))
    pos = np.array([int(np.argmin(np.abs(w - s))) for s in spec])
    if np.unique(pos).size != pos.size or np.max(np.abs(w[pos] - spec)) > 1e-6:
        raise VerificationError("the Jucys-Murphy spectrum does not separate the tableaux")
    U = V[:, pos]
    Y = young_sparse(lam)
    S = irrep_at(G, rho, transposition_elements(G))
    fixed = np.zeros(Y.dim, bool)
    fixed[0] = True
    stack = [0]
    while stack:
        t = stack.pop()
        for k in range(Y.partner.shape[0]):
            p = int(Y.partner[k, t])
            if p >= 0 and not fixed[p]:
                m = U[:, t].conj() @ S[k] @ U[:, p]
                U[:, p] *= np.conj(m) / abs(m)
                fixed[p] = True
                stack.append(p)
    for k in range(Y.partner.shape[0]):
        if np.max(np.abs(U.conj().T @ S[k] @ U - Y.dense(k + 1))) > ADAPTED_TOL * max(1, Y.dim):
            raise VerificationError("Young's form does not match the irrep on an adjacent transposition")
    return U


