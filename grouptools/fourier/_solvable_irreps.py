"""A composition series of a solvable group and irreps adapted to it, built level by level.

**The chain.** ``1 = G_0 < G_1 < ... < G_n = G`` with ``G_i = <G_(i-1), g_i>``, ``G_(i-1)`` normal
in ``G_i`` of prime index ``p_i``, passing through an abelian normal subgroup ``A = G_a`` of
``G`` (:func:`grouptools.fourier._discovered.abelian_normal_subgroup`). Below ``A`` every
subgroup is normal (``A`` is abelian); above it the chain is refined from ``S = G`` down: the
subgroup ``M = <[S, S], A>`` is normal in ``S`` with ``S / M`` abelian, so elements of prime order
modulo the subgroup built so far give the steps from ``M`` to ``S`` (then ``S = M``). Every
element is ``g_1^(e_1) ... g_n^(e_n)`` (``0 <= e_i < p_i``) once, stored at the mixed-radix
*position* ``sum_i e_i |G_(i-1)|``, so ``G_i`` is the prefix of length ``|G_i|``.

**Adapted irreps** (Clausen and Baum, *Fast Fourier Transforms*, 1993, ch. 7-8; Baum and
Clausen, "Computing irreducible representations of supersolvable groups", Math. Comp. 63, 1994):
irreps ``rho`` of every ``G_i`` whose restriction to ``G_(i-1)`` is the block-diagonal sum of
irreps of ``G_(i-1)`` (in their bases), so ``rho(g_1^(e_1) ... g_i^(e_i)) = prod rho(g_j)^(e_j)``
needs the images ``rho(g_j)`` only. With ``c(y) = g_i y g_i^-1``, Clifford theory for a normal
subgroup of prime index (Clifford 1937): for an irrep ``sigma`` of ``G_(i-1)`` the irrep ``tau``
with ``tau o c`` equivalent to ``sigma`` is found (traces at random elements, then an intertwiner
``M sigma(y) = tau(c(y)) M``, a null vector of a linear system). If ``tau = sigma``, ``sigma``
extends in ``p`` ways, ``rho(g_i) = mu M`` with ``(mu M)^p = sigma(g_i^p)``; otherwise the orbit
``sigma_0, ..., sigma_(p-1)`` induces one irrep with ``rho(g_i)`` block-cyclic (blocks ``M_k``, the
last one fixed by ``rho(g_i)^p = rho(g_i^p)``). The images are floating point, unitary; the
relations ``rho(g_i)^p = rho(g_i^p)`` and ``rho(g_i) rho(g_j) rho(g_i)^-1 = rho(c(g_j))`` are
checked at every level, and ``sum d^2 = |G_i|``.

Above ``A`` every ``rho`` is diagonal on ``A`` (the bottom irreps are its characters), so an
intertwiner can be nonzero only between equal characters of ``A``: the unknowns are restricted to
those entries (monomial when the characters on the diagonal are distinct).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._errors import GroupTooLargeError, VerificationError
from ..arith._numtheory import prime_factors
from ._discovered import abelian_normal_subgroup

if TYPE_CHECKING:
    from ..groups import FiniteGroup

__all__ = [
    "AdaptedIrrep",
    "Chain",
    "MAX_UNKNOWNS",
    "adapted_irreps",
    "build_chain",
    "evaluate",
    "intertwiner",
]

#: Largest number of unknowns of one intertwiner system (``d^2`` without the diagonal subgroup).
MAX_UNKNOWNS = 4096
#: Relative size of a singular value taken as zero (a null vector) ...
NULL_TOL = 1e-6
#: ... and the least relative size of the next one (the solution space is one-dimensional).
GAP_TOL = 1e-3
#: Random elements whose traces identify an irrep (besides the chain generators).
N_PROBES = 12


@dataclass(frozen=True)
class Chain:
    """The chain ``g_1, ..., g_n`` with primes ``p_i``; ``a`` the level of the abelian normal
    subgroup; ``elements[pos]`` the element at each position and ``position`` its inverse."""

    gens: np.ndarray
    primes: np.ndarray
    a: int
    elements: np.ndarray
    position: np.ndarray

    @property
    def orders(self) -> np.ndarray:
        """``|G_i|`` for ``i = 0..n``."""
        return np.concatenate([[1], np.cumprod(self.primes)]).astype(np.int64)

    def digits(self, elements: np.ndarray, level: int) -> np.ndarray:
        """``(len, level)`` exponents ``e_1..e_level`` of elements of ``G_level``."""
        pos = self.position[np.asarray(elements, np.int64)]
        if (pos >= self.orders[level]).any():
            raise VerificationError("an element expected in a subgroup of the chain lies outside it")
        strides = self.orders[:level]
        return (pos[:, None] // strides[None, :]) % self.primes[None, :level]


def _mask(n: int, elements: np.ndarray) -> np.ndarray:
    m = np.zeros(n, bool)
    m[np.asarray(elements, np.int64)] = True
    return m


def _steps_up(G: FiniteGroup, inside: np.ndarray, target: np.ndarray) -> list[tuple[int, int, np.ndarray]]:
    """Steps ``(x, p, mask)`` from the subgroup ``inside`` to ``target`` when every subgroup between
    them is normal in ``target`` (``target / inside`` abelian): ``x`` of prime order ``p`` modulo
    the subgroup so far."""
    steps = []
    cur = inside.copy()
    while (cur != target).any():
        x = int(np.flatnonzero(target & ~cur)[0])
        y, o = x, 1
        while not cur[y]:
            y = int(G.multiply(y, x))
            o += 1
        p = min(prime_factors(o))
        xp = int(G.power(x, o // p))
        els = np.flatnonzero(cur)
        new = cur.copy()
        z = els
        for _ in range(p - 1):
            z = np.asarray(G.multiply(z, xp), np.int64)
            new[z] = True
        if new.sum() != p * cur.sum():
            raise VerificationError("a step of the composition series does not have prime index")
        steps.append((xp, p, new))
        cur = new
    return steps


def _derived_with(G: FiniteGroup, gens: list[int], extra: np.ndarray) -> np.ndarray:
    """Elements of ``<[S, S], extra>`` for ``S = <gens>`` (``extra`` normal in ``S``): the normal
    closure in ``S`` of the commutators of the generators, with ``extra`` adjoined."""
    inv = G.inverse
    sub = {int(G.commutator(s, t)) for s in gens for t in gens} | {int(e) for e in extra}
    sub.discard(0)
    dgens = sorted(sub)
    inside = _mask(G.order, G.closure(dgens))
    changed = True
    while changed:
        changed = False
        for s in gens:
            conj = np.asarray(G.multiply(G.multiply(s, np.asarray(dgens, np.int64)), int(inv[s])), np.int64)
            new = conj[~inside[conj]]
            if new.size:
                dgens += [int(new[0])]
                inside = _mask(G.order, G.closure(dgens))
                changed = True
    return inside


def build_chain(G: FiniteGroup, *, max_order: int = 1 << 16) -> Chain | None:
    """The composition series through the abelian normal subgroup, or ``None`` if ``G`` is not
    solvable (kept in ``G.memo("fourier.solvable.chain")`` by the caller).

    Raises
    ------
    GroupTooLargeError
        If ``G.order > max_order`` (checked first).

    Examples
    --------
    >>> import grouptools as gt
    >>> ch = build_chain(gt.symmetric(4))
    >>> ch.primes.tolist(), ch.a
    ([2, 2, 3, 2], 2)
    """
    if G.order > max_order:
        raise GroupTooLargeError(f"the chain FFT of a solvable group needs |G| <= {max_order}, got {G.order}")
    if not G.is_solvable:
        return None
    n = G.order
    A = abelian_normal_subgroup(G)
    amask = _mask(n, A.elements)
    bottom = _steps_up(G, _mask(n, [0]), amask)
    top: list[tuple[int, int, np.ndarray]] = []
    S = np.ones(n, bool)
    gens = [int(g) for g in G.generators]
    while (S != amask).any():
        M = _derived_with(G, gens, np.asarray(A.generators, np.int64))
        if (M == S).all():
            return None
        top = _steps_up(G, M, S) + top
        S = M
        gens = [int(g) for g in np.flatnonzero(M)] if M.sum() <= 64 else _generators_of(G, M)
    steps = bottom + top
    xs = np.array([s[0] for s in steps], np.int64)
    ps = np.array([s[1] for s in steps], np.int64)
    elements = np.zeros(1, np.int64)
    for x, p in zip(xs.tolist(), ps.tolist()):
        parts, power = [elements], elements
        for _ in range(p - 1):
            power = np.asarray(G.multiply(power, x), np.int64)
            parts.append(power)
        elements = np.concatenate(parts)
    position = np.full(n, -1, np.int64)
    position[elements] = np.arange(elements.size)
    if elements.size != n or (position < 0).any():
        raise VerificationError("the chain's normal form does not enumerate the group")
    return Chain(xs, ps, len(bottom), elements, position)


def _generators_of(G: FiniteGroup, mask: np.ndarray) -> list[int]:
    """A small generating set of the subgroup with element mask ``mask`` (greedy)."""
    inside = _mask(G.order, [0])
    gens: list[int] = []
    for x in np.flatnonzero(mask).tolist():
        if not inside[x]:
            gens.append(int(x))
            inside = _mask(G.order, G.closure(gens))
            if (inside == mask).all():
                break
    return gens


@dataclass(frozen=True)
class AdaptedIrrep:
    """An irrep of ``G_i`` adapted to the chain: the images ``gm[j] = rho(g_(j+1))``, the
    character of ``A`` on each diagonal position (indices into the irreps of ``G_a``; ``None``
    below ``A``), and the restriction to ``G_(i-1)``: ``(index, start)`` of each block."""

    gm: np.ndarray
    labels: np.ndarray | None
    blocks: tuple[tuple[int, int], ...]

    @property
    def dim(self) -> int:
        return int(self.gm.shape[-1])


def evaluate(rho: AdaptedIrrep, digits: np.ndarray) -> np.ndarray:
    """``rho(g_1^(e_1) ... g_i^(e_i))`` for the rows ``e`` of ``digits`` ``(len, i)``: ``(len, d, d)``.

    Examples
    --------
    >>> import numpy as np
    >>> r = AdaptedIrrep(np.array([[[-1.0 + 0j]]]), None, ((0, 0),))
    >>> evaluate(r, np.array([[0], [1]])).ravel().real
    array([ 1., -1.])
    """
    d = rho.dim
    out = np.broadcast_to(np.eye(d, dtype=np.complex128), (digits.shape[0], d, d)).copy()
    for j in range(digits.shape[1]):
        e = digits[:, j]
        top = int(e.max(initial=0))
        power = np.eye(d, dtype=np.complex128)
        for v in range(1, top + 1):
            power = power @ rho.gm[j]
            sel = e == v
            if sel.any():
                out[sel] = out[sel] @ power
    return out


def intertwiner(
    sig: list[np.ndarray], tau: list[np.ndarray], mask: np.ndarray | None, *, max_unknowns: int = MAX_UNKNOWNS
) -> np.ndarray | None:
    """A unitary ``M`` with ``M sig[k] = tau[k] M`` for all ``k``, zero outside ``mask``, or
    ``None`` when there is none (or the solution space is not one-dimensional).

    Examples
    --------
    >>> import numpy as np
    >>> s = [np.array([[0, -1], [1, 0]], complex), np.diag([1, -1]).astype(complex)]  # D4, degree 2
    >>> V = np.array([[1, 1], [1, -1]]) / np.sqrt(2)
    >>> t = [V @ a @ V.T for a in s]
    >>> M = intertwiner(s, t, None)
    >>> bool(np.allclose(M @ s[0], t[0] @ M) and np.allclose(M @ s[1], t[1] @ M))
    True
    >>> intertwiner(s[1:], t[1:], None) is None   # one reflection: not irreducible, no unique M
    True
    """
    d = sig[0].shape[0] if sig else (mask.shape[0] if mask is not None else 1)
    if mask is None:
        mask = np.ones((d, d), bool)
    ul, vl = np.nonzero(mask)
    m = ul.size
    if m == 0:
        return None
    if m > max_unknowns:
        raise GroupTooLargeError(f"an intertwiner with {m} unknowns exceeds max_unknowns={max_unknowns}")
    ar = np.arange(m)
    gram = np.zeros((m, m), np.complex128)
    for S, T in zip(sig, tau):
        E = np.zeros((d, d, m), np.complex128)
        E[ul, :, ar] += S[vl, :]
        E[:, vl, ar] -= T[:, ul]
        E = E.reshape(d * d, m)
        gram += np.conj(E.T) @ E
    if sig:
        # the null vector of the stacked equations: the eigenvector of their Gram matrix with
        # the least eigenvalue (one Hermitian eigensolve of size m instead of an SVD of the stack)
        ev, vecs = np.linalg.eigh(gram)
        s = np.sqrt(np.maximum(ev, 0.0))
        scale = max(float(s[-1]), 1.0)
        if s[0] > NULL_TOL * scale or (m > 1 and s[1] <= GAP_TOL * scale):
            return None
        x = vecs[:, 0]
    elif m == 1:
        x = np.ones(1, np.complex128)
    else:
        return None
    M = np.zeros((d, d), np.complex128)
    M[ul, vl] = x
    c = np.trace(M @ np.conj(M.T)).real / d
    M /= np.sqrt(c)
    if np.abs(M @ np.conj(M.T) - np.eye(d)).max() > 1e-8:
        return None
    return M


def _block_diag(mats: list[np.ndarray]) -> np.ndarray:
    """Block-diagonal stack of ``(..., d_k, d_k)`` arrays with a common leading shape."""
    lead = mats[0].shape[:-2]
    d = sum(m.shape[-1] for m in mats)
    out = np.zeros(lead + (d, d), np.complex128)
    s = 0
    for m in mats:
        e = m.shape[-1]
        out[..., s : s + e, s : s + e] = m
        s += e
    return out


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise VerificationError(f"adapted irreps: {what}")


def adapted_irreps(G: FiniteGroup, chain: Chain, *, seed: int = 20261203) -> list[list[AdaptedIrrep]]:
    """The adapted irreps of every ``G_i`` (``i = 0..n``), level by level.

    Raises
    ------
    VerificationError
        If an orbit, an intertwiner or a relation check fails, or ``sum d^2 != |G_i|``.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.symmetric(4)
    >>> levels = adapted_irreps(G, build_chain(G))
    >>> sorted(r.dim for r in levels[-1])
    [1, 1, 2, 3, 3]
    """
    rng = np.random.default_rng(seed)
    inv = G.inverse
    orders = chain.orders
    levels: list[list[AdaptedIrrep]] = [[AdaptedIrrep(np.zeros((0, 1, 1), np.complex128), None, ())]]
    for i in range(1, chain.gens.size + 1):
        g, p = int(chain.gens[i - 1]), int(chain.primes[i - 1])
        prev = levels[-1]
        nprev = int(orders[i - 1])

        def conj(x: np.ndarray) -> np.ndarray:
            return np.asarray(G.multiply(G.multiply(g, np.asarray(x, np.int64)), int(inv[g])), np.int64)

        gens_prev = chain.gens[: i - 1]
        first = chain.a if i - 1 >= chain.a else 0  # generators of A are handled by the label masks
        eq_els = gens_prev[first:]
        probes = chain.elements[rng.integers(0, nprev, N_PROBES)]
        pts = np.concatenate([eq_els, conj(eq_els), gens_prev, probes, conj(gens_prev), conj(probes),
                              [int(G.power(g, p))]]).astype(np.int64)
        dig = chain.digits(pts, i - 1)
        ne, ng = eq_els.size, gens_prev.size
        vals = [evaluate(s, dig) for s in prev]
        act = _label_action(chain, levels[chain.a], conj) if i - 1 >= chain.a else None
        # fingerprints: traces of sigma at (gens, probes) and of tau o c there
        npr = ng + N_PROBES
        fp = np.stack([np.trace(v[2 * ne : 2 * ne + npr], axis1=1, axis2=2) for v in vals])
        fpc = np.stack([np.trace(v[2 * ne + npr : 2 * ne + 2 * npr], axis1=1, axis2=2) for v in vals])
        dims = np.array([s.dim for s in prev])
        pre: list[tuple[int, np.ndarray]] = []
        for k, sig in enumerate(prev):
            cands = np.flatnonzero((dims == sig.dim) & (np.abs(fpc - fp[k][None, :]).max(axis=1) < 1e-6))
            found = None
            for t in cands.tolist():
                mask = None
                if sig.labels is not None:
                    mask = act[prev[t].labels][:, None] == sig.labels[None, :]
                M = intertwiner(list(vals[k][:ne]), list(vals[t][ne : 2 * ne]), mask)
                if M is not None:
                    found = (t, M)
                    break
            _check(found is not None, f"no conjugate of irrep {k} of G_{i - 1} found")
            pre.append(found)
        done = np.zeros(len(prev), bool)
        new: list[AdaptedIrrep] = []
        for k, sig in enumerate(prev):
            if done[k]:
                continue
            orbit, Ms = [k], []
            while True:
                t, M = pre[orbit[-1]]
                Ms.append(M)
                if t == k:
                    break
                orbit.append(t)
            _check(len(orbit) in (1, p), f"an orbit of length {len(orbit)} under an index-{p} step")
            done[orbit] = True
            Z = vals[k][-1]  # sigma(g^p)
            if len(orbit) == 1:
                M = Ms[0]
                lam = np.trace(np.linalg.matrix_power(M, p) @ np.conj(Z.T)) / sig.dim
                _check(abs(abs(lam) - 1) < 1e-8, "an extension does not satisfy Schur's lemma")
                root = np.exp(-1j * np.angle(lam) / p)
                for j in range(p):
                    R = root * np.exp(2j * np.pi * j / p) * M
                    new.append(AdaptedIrrep(np.concatenate([sig.gm, R[None]]), sig.labels, ((k, 0),)))
                continue
            prod = np.eye(sig.dim, dtype=np.complex128)
            for M in Ms[:-1]:
                prod = M @ prod
            Ms[-1] = Z @ np.conj(prod.T)
            e = sig.dim
            R = np.zeros((p * e, p * e), np.complex128)
            for b in range(p):
                nb = (b + 1) % p
                R[nb * e : (nb + 1) * e, b * e : (b + 1) * e] = Ms[b]
            gm = np.concatenate([_block_diag([prev[t].gm for t in orbit]), R[None]])
            labels = None if sig.labels is None else np.concatenate([prev[t].labels for t in orbit])
            new.append(AdaptedIrrep(gm, labels, tuple((t, b * e) for b, t in enumerate(orbit))))
        _check(sum(r.dim ** 2 for r in new) == orders[i], f"sum of squared degrees of G_{i} is not |G_{i}|")
        _verify_level(chain, new, i, g, p, conj, vals, prev, pts, ne, ng, npr)
        if i == chain.a:
            new = [AdaptedIrrep(r.gm, np.array([q]), r.blocks) for q, r in enumerate(new)]
        levels.append(new)
    return levels


def _label_action(chain: Chain, chars: list[AdaptedIrrep], conj) -> np.ndarray:
    """``act[k]``: the index of the character ``chi_k o c`` of ``A`` (``c`` the conjugation)."""
    a = chain.a
    if a == 0:
        return np.zeros(1, np.int64)
    vals = np.stack([r.gm[:a, 0, 0] for r in chars])  # (|A|, a): chi_k(g_j)
    dig = chain.digits(conj(chain.gens[:a]), a)  # c(g_j) in A
    conj_vals = np.ones((len(chars), a), np.complex128)
    for j in range(a):
        conj_vals[:, j] = np.prod(vals ** dig[j][None, :], axis=1)
    size = int(chain.orders[a])  # chi(g_j)^|A| = 1: angles are multiples of 2 pi / |A|

    def code(v: np.ndarray) -> np.ndarray:
        return np.rint(np.angle(v) / (2 * np.pi) * size).astype(np.int64) % size

    key = {tuple(c): q for q, c in enumerate(code(vals).tolist())}
    out = np.empty(len(chars), np.int64)
    for q, c in enumerate(code(conj_vals).tolist()):
        hit = key.get(tuple(c))
        _check(hit is not None and np.abs(vals[hit] - conj_vals[q]).max() < 1e-8,
               "a conjugate character of A is missing")
        out[q] = hit
    return out


def _verify_level(chain, new, i, g, p, conj, vals, prev, pts, ne, ng, npr) -> None:
    """``rho(g)^p = rho(g^p)`` and ``rho(g) rho(y) = rho(c(y)) rho(g)`` for the chain generators
    ``y`` of ``G_(i-1)``, for every new irrep (from the restrictions' values)."""
    gens_c = slice(2 * ne + npr, 2 * ne + npr + ng)
    for rho in new:
        parts = [b[0] for b in rho.blocks]
        R = rho.gm[-1]
        rest = lambda sl: _block_diag([vals[t][sl] for t in parts])  # noqa: E731
        Zp = rest(slice(-1, None))[0]
        _check(np.abs(np.linalg.matrix_power(R, p) - Zp).max() < 1e-8, "rho(g)^p != rho(g^p)")
        if ng:
            lhs = R[None] @ rho.gm[:-1]
            rhs = rest(gens_c) @ R[None]
            _check(np.abs(lhs - rhs).max() < 1e-8, "the conjugation relation fails")
