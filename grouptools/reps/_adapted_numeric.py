"""Adapted irreps along any chain, numerically: complex unitary, or real orthogonal.

Bottom-up along ``G = G_0 > G_1 > ... > G_m = 1`` (``subs[j]`` is ``G_j``), each irrep ``rho`` of
``G_j`` (``G_j``'s own ``irreps()``, unitary) gets a unitary ``W`` such that ``W^H rho W``
restricts to ``G_{j+1}`` as the block diagonal of the adapted irreps of ``G_{j+1}``:

* **complex** (:func:`numeric_route` with ``real=False``): the restriction is decomposed
  (:meth:`Representation.decompose`, a unitary change of basis ``Q`` with ``G_{j+1}``'s own irreps
  in the blocks) and ``W = Q . diag(W_sigma)`` composes it with the adapted bases of the blocks;
* **real** (``real=True``, when every irrep of every ``G_j`` but the last has Frobenius-Schur
  indicator +1): each copy of an adapted ``sigma`` in ``rho`` is the image of the intertwiner
  ``T = sum_h rho(h) v sigma(h)[:, 0]^T`` of a random vector ``v`` in the complement of the copies
  found so far (``rho(k) T = T sigma(k)``; Serre, *Linear representations of finite groups*, 1977,
  section 2.7), normalized, which gives ``Q``. The adapted bases are then ``Q S`` with ``S`` in the
  commutant of the restriction: the symmetric unitary ``K`` with ``rho_Q(x) K = K conj(rho_Q(x))``
  on the generators ``x`` of ``G_j`` is solved for within that commutant (a few unknowns per
  multiplicity), and ``S = sqrt(K)`` (a polynomial in ``K``, so still in the commutant; Takagi
  1925, as :func:`grouptools.reps._real.real_intertwiner`) makes every ``S^H rho_Q S`` real
  (Frobenius & Schur 1906) without changing the restriction. Real adapted irreps let the chain
  FFT run in real arithmetic.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._errors import GroupTooLargeError, VerificationError
from ..groups import FiniteGroup, Subgroup
from ._adapted_types import ADAPTED_TOL, AdaptedIrreps, ChainLevel
from ._real import symmetric_unitary_sqrt

__all__ = ["REAL_MAX_ENTRIES", "REAL_MAX_ORDER", "REAL_MAX_UNKNOWNS", "numeric_route", "real_prefix", "real_type_degrees",
           "unitary_blocks"]

#: The real route evaluates the adapted irreps of each proper subgroup of the chain at all its
#: elements (``|G_j|^2`` floats): subgroups up to this order.
REAL_MAX_ORDER = 4096
#: ... and solves for the commutant element ``K`` with at most this many unknowns (``sum m^2``
#: over the multiplicities ``m`` of the restriction) ...
REAL_MAX_UNKNOWNS = 1024
#: ... and at most this many entries in its linear system (unknowns x generators x ``d^2``).
REAL_MAX_ENTRIES = 1 << 22
_SEED = 20261203


def real_type_degrees(K: FiniteGroup) -> tuple[int, ...] | None:
    """The degrees of the irreps of ``K`` if every one has Frobenius-Schur indicator +1 (from
    the character table), else ``None``."""
    T = K.character_table()
    return tuple(int(d) for d in T.degrees) if all(v == 1 for v in T.frobenius_schur) else None


def real_prefix(groups: Sequence[FiniteGroup]) -> int:
    """How many of ``groups`` (top first), from the first on, the real route can take: each has
    only irreps of indicator +1, and each but the first has order at most :data:`REAL_MAX_ORDER`."""
    for k, K in enumerate(groups):
        if (k and K.order > REAL_MAX_ORDER) or real_type_degrees(K) is None:
            return k
    return len(groups)


def _tower(G: FiniteGroup, subs: tuple[Subgroup, ...]) -> tuple[list, list, list]:
    """``groups[j]`` (``subs[j]`` as a group), ``embs[j]`` (its elements in ``G``) and
    ``inner[j]`` (``subs[j+1]`` as a subgroup of ``groups[j]``)."""
    groups: list[FiniteGroup] = [G]
    embs: list[np.ndarray] = [np.arange(G.order, dtype=np.int64)]
    inner: list[Subgroup] = []
    for j in range(len(subs) - 1):
        pos = np.full(G.order, -1, np.int64)
        pos[embs[j]] = np.arange(embs[j].size)
        H = groups[j].subgroup([int(pos[g]) for g in subs[j + 1].generators])
        K, e = H.as_group()
        inner.append(H)
        groups.append(K)
        embs.append(embs[j][np.asarray(e, np.int64)])
    return groups, embs, inner


def numeric_route(G: FiniteGroup, subs: tuple[Subgroup, ...], real: bool = False) -> AdaptedIrreps:
    """The adapted irreps of ``G`` along ``subs`` (``G`` first, the trivial group last), complex
    unitary or (``real``) real orthogonal; see the module docstring.

    Raises
    ------
    VerificationError
        If a change of basis fails its check (or, ``real``, a restriction does not decompose
        into real adapted blocks).
    GroupTooLargeError
        ``real``: a commutant with more than :data:`REAL_MAX_UNKNOWNS` unknowns (checked before
        its linear system is built).

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> from grouptools.reps import default_chain
    >>> G = gt.alternating(6)
    >>> top, A5 = default_chain(G)[:2]                       # A6 > A5: every irrep of real type
    >>> A = numeric_route(G, (top, A5, G.subgroup([])), real=True)
    >>> A.real, A.levels[1].order, A.at(4, [7]).dtype
    (True, 60, dtype('float64'))
    """
    m = len(subs) - 1
    groups, embs, inner = _tower(G, subs)
    # bottom-up: W[j][r] maps groups[j].irreps()[r] to its adapted form
    W: list[list[np.ndarray]] = [[] for _ in range(m + 1)]
    branch: list[tuple[tuple[int, ...], ...]] = [() for _ in range(m + 1)]
    W[m] = [np.ones((1, 1), np.complex128) for _ in groups[m].irreps()]
    branch[m] = tuple(() for _ in W[m])
    below: list[np.ndarray] = [np.ones((1, 1, 1))]  # real route: adapted irreps of groups[j+1] at all elements
    for j in range(m - 1, -1, -1):
        mats, bl = [], []
        for rho in groups[j].irreps():
            if real:
                Wr, blocks = _real_basis(groups[j], inner[j], rho, below)
                mats.append(Wr)
                bl.append(blocks)
                continue
            if groups[j + 1].order == 1:  # the trivial subgroup: d copies of the trivial irrep
                cblocks = tuple((0, c) for c in range(int(rho.dim)))
                Q = np.eye(int(rho.dim), dtype=np.complex128)
            else:
                dec = rho.restrict(inner[j]).decompose(exact=False)
                cblocks = dec.blocks
                Q = np.asarray(dec.numeric_change_of_basis, np.complex128)
                Q = unitary_blocks(Q, cblocks, [int(s.dim) for s in groups[j + 1].irreps()])
            mats.append(Q @ _block_diag([W[j + 1][i] for i, _ in cblocks]))
            bl.append(tuple(i for i, _ in cblocks))
        W[j] = mats
        branch[j] = tuple(bl)
        if real and j > 0:
            every = np.arange(groups[j].order)
            below = [_conjugated(r, w, every, True) for r, w in zip(groups[j].irreps(), W[j])]
    levels = []
    for j in range(m, -1, -1):
        K, emb, Ws = groups[j], embs[j], W[j]
        pos = np.full(G.order, -1, np.int64)
        pos[emb] = np.arange(emb.size)
        irr = K.irreps()

        def evaluate(r: int, xs: np.ndarray, irr: Any = irr, Ws: list = Ws, pos: np.ndarray = pos) -> np.ndarray:
            return _conjugated(irr[r], Ws[r], pos[xs], real)

        levels.append(ChainLevel(np.sort(emb), tuple(int(r.dim) for r in irr), branch[j],
                                 tuple(range(len(irr))), evaluate))
    top = tuple(_real_phase(U) for U in W[0])
    return AdaptedIrreps(G, subs, tuple(levels), False, lambda: top, real)


def _conjugated(rho: Any, W: np.ndarray, xs: np.ndarray, real: bool) -> np.ndarray:
    """``W^H rho(x) W`` at the elements ``xs`` (of ``rho``'s group), float64 when ``real``."""
    R = W.conj().T @ np.asarray(rho.at(xs), np.complex128) @ W
    return np.ascontiguousarray(R.real) if real else R


def _real_phase(U: np.ndarray) -> np.ndarray:
    """``U`` times the global phase that makes its largest entry real and positive (the basis
    ``U`` is defined up to a phase; a real one comes out real)."""
    k = int(np.argmax(np.abs(U)))
    z = U.flat[k]
    return U * (np.conj(z) / abs(z))


def _real_basis(K: FiniteGroup, H: Subgroup, rho: Any, below: list) -> tuple[np.ndarray, tuple[int, ...]]:
    """The unitary ``W`` with ``W^H rho W`` real and restricting to ``H`` as the block diagonal of
    the real adapted irreps ``below[s]`` (``(|H|, e, e)`` at the elements of ``H`` as a group, in
    the order of ``H.as_group()``), and the irreps of those blocks."""
    d = int(rho.dim)
    hs = np.asarray(H.as_group()[1], np.int64)
    R = np.asarray(rho.at(hs), np.complex128)  # (|H|, d, d)
    chi = np.trace(R, axis1=1, axis2=2)
    rng = np.random.default_rng(_SEED)
    cols: list[np.ndarray] = []
    blocks: list[int] = []
    for s, S in enumerate(below):
        e = S.shape[1]
        mult = float(np.real(chi @ np.trace(S, axis1=1, axis2=2))) / hs.size
        m = int(round(mult))
        if abs(mult - m) > 1e-6:
            raise VerificationError("a restriction has a non-integral multiplicity")
        for _ in range(m):
            for _attempt in range(8):
                v = rng.standard_normal(d) + 1j * rng.standard_normal(d)
                if cols:
                    Qf = np.concatenate(cols, axis=1)
                    v = v - Qf @ (Qf.conj().T @ v)
                T = (R @ v).T @ S[:, :, 0]  # (d, e): sum_h rho(h) v sigma(h)[:, 0]^T
                c = np.trace(T.conj().T @ T).real / e
                if c > 1e-6 * hs.size:
                    break
            else:
                raise VerificationError("no copy of an adapted block found in a restriction")
            cols.append(T / np.sqrt(c))
            blocks.append(s)
    if sum(below[s].shape[1] for s in blocks) != d:
        raise VerificationError("the restriction does not decompose into the adapted blocks")
    Q = np.concatenate(cols, axis=1)
    if np.abs(Q.conj().T @ Q - np.eye(d)).max() > ADAPTED_TOL * d:
        raise VerificationError("the copies of the adapted blocks are not orthonormal")
    S = symmetric_unitary_sqrt(_conjugation_intertwiner(K, rho, Q, blocks, [S.shape[1] for S in below]))
    Wr = Q @ S
    gens = np.asarray(K.generators, np.int64)
    A = Wr.conj().T @ np.asarray(rho.at(gens), np.complex128) @ Wr
    if np.abs(A.imag).max(initial=0) > ADAPTED_TOL * d:
        raise VerificationError("the adapted basis is not real")
    hg = np.asarray(H.generators, np.int64)
    B = Wr.conj().T @ np.asarray(rho.at(hg), np.complex128) @ Wr
    pos = np.full(K.order, -1, np.int64)
    pos[hs] = np.arange(hs.size)
    want = [_block_diag([below[s][pos[h]] for s in blocks]) for h in hg.tolist()]
    if want and np.abs(B - np.array(want)).max() > ADAPTED_TOL * d:
        raise VerificationError("the real adapted basis changed the restriction")
    return Wr, tuple(blocks)


def _block_diag(mats: list) -> np.ndarray:
    from scipy.linalg import block_diag  # scipy only when the numeric route runs

    return block_diag(*mats)


def _conjugation_intertwiner(K: FiniteGroup, rho: Any, Q: np.ndarray, blocks: list, dims: list) -> np.ndarray:
    """The symmetric unitary ``C`` in the commutant of the block diagonal (``C = (+)_s M_s (x) I``
    over the copies of each block ``s``) with ``rho_Q(x) C = C conj(rho_Q(x))`` on the generators
    ``x`` of ``K``, ``rho_Q = Q^H rho Q``: the null vector of that linear system."""
    d = Q.shape[0]
    gens = np.asarray(K.generators, np.int64)
    unknowns = sum(blocks.count(s) ** 2 for s in set(blocks))
    if unknowns > REAL_MAX_UNKNOWNS or unknowns * max(1, gens.size) * d * d > REAL_MAX_ENTRIES:
        raise GroupTooLargeError(f"the real adapted basis of a degree-{d} irrep needs {unknowns} unknowns "
                                 f"(at most {REAL_MAX_UNKNOWNS}, and {REAL_MAX_ENTRIES} matrix entries)")
    offs = np.concatenate([[0], np.cumsum([dims[s] for s in blocks])]).astype(int)
    basis = []
    for s in sorted(set(blocks)):
        idx = [b for b, t in enumerate(blocks) if t == s]
        for a in idx:
            for b in idx:
                E = np.zeros((d, d))
                E[offs[a] : offs[a + 1], offs[b] : offs[b + 1]] = np.eye(dims[s])
                basis.append(E)
    A = Q.conj().T @ np.asarray(rho.at(gens), np.complex128) @ Q  # (k, d, d)
    M = np.stack([(A @ E - E @ np.conj(A)).ravel() for E in basis], axis=1)
    _, sv, Vh = np.linalg.svd(M, full_matrices=False)
    if len(basis) > 1 and sv.size >= len(basis) and sv[len(basis) - 2] < 1e-8 * max(1.0, sv[0]):
        raise VerificationError("the conjugation intertwiner is not unique: not of real type")
    x = Vh[-1].conj()
    C = np.tensordot(x, np.array(basis), axes=1)
    C = C / np.sqrt(np.trace(C @ C.conj().T).real / d)
    if np.abs(C - C.T).max() > 1e-8 or np.abs(C @ C.conj().T - np.eye(d)).max() > 1e-8:
        raise VerificationError("the conjugation intertwiner is not symmetric unitary: not of real type")
    return (C + C.T) / 2


def unitary_blocks(Q: np.ndarray, blocks: Sequence[tuple[int, int]], dims: Sequence[int]) -> np.ndarray:
    """``Q`` made unitary without changing its blocks: within each isotypic component the copies
    ``Q_a`` satisfy ``Q_a^H Q_b = c_ab I`` (Schur), so ``Q (C^{-1/2} (x) I)`` is unitary."""
    n = Q.shape[0]
    if np.allclose(Q.conj().T @ Q, np.eye(n), atol=ADAPTED_TOL * n):
        return Q
    out = Q.copy()
    offs = np.concatenate([[0], np.cumsum([dims[i] for i, _ in blocks])])
    for i in sorted({i for i, _ in blocks}):
        idx = [b for b, (k, _) in enumerate(blocks) if k == i]
        d = dims[i]
        cols = [Q[:, offs[b] : offs[b] + d] for b in idx]
        C = np.array([[np.trace(a.conj().T @ c) / d for c in cols] for a in cols])
        w, V = np.linalg.eigh(C)
        if w.min() <= 0:
            raise VerificationError("a decomposition has a singular change of basis")
        T = V @ np.diag(w ** -0.5) @ V.conj().T
        for a, b in enumerate(idx):
            out[:, offs[b] : offs[b] + d] = sum(T[c, a] * cols[c] for c in range(len(idx)))
    if not np.allclose(out.conj().T @ out, np.eye(n), atol=ADAPTED_TOL * n):
        raise VerificationError("could not make a change of basis unitary")
    return out
