r"""Irreducible real representations of a finite group: :func:`real_irreps` and :class:`RealIrrep`.

Every irreducible real representation of ``G`` is, after complexification, one of three kinds,
told apart by the Frobenius-Schur indicator ``nu(chi) = (1/|G|) sum_g chi(g^2)`` of a complex
irrep ``rho`` (Frobenius & Schur 1906; Serre 1977, section 13.2):

- ``nu = +1`` (type ``"real"``): ``rho`` has a real form; its real orthogonal matrices
  ``S^H rho(g) S`` with ``S`` unitary. Commutant ``R`` (dimension 1).
- ``nu = 0`` (type ``"complex"``): ``rho`` and ``conj(rho)`` are distinct; together they are one
  real irrep of dimension ``2 d``, the realification
  ``g -> [[Re rho(g), -Im rho(g)], [Im rho(g), Re rho(g)]]``. Commutant ``C`` (dimension 2).
- ``nu = -1`` (type ``"quaternionic"``): the realification of ``rho`` (dimension ``2 d``) is
  irreducible over ``R``. Commutant the quaternions (dimension 4).

So the real irreps correspond to the classes of complex irreps under complex conjugation, and
their number is the number of conjugacy classes of ``G`` up to ``C ~ C^-1``.

Real forms of type ``"real"``: groups whose irreps hold all their matrices use
:attr:`Irrep.real_matrices` (a group average, :mod:`grouptools.reps._real`); lazily evaluated
irreps (little-group method, monomial) take the symmetric intertwiner ``K`` with
``rho(s) K = K conj(rho(s))`` from the generators only -- exactly, from the orbits of ``G`` on
pairs of monomial basis lines (the entries of ``K`` are roots of unity, consistent along each
orbit) -- and a blockwise Takagi factorization ``K = S S^T`` (Takagi 1925); ``S`` is block
diagonal along the connected components of the support of ``K``, so an element's real matrix
costs ``O(b d^2)`` for blocks of size ``b`` (``b <= 2`` when ``K`` is monomial).

References
----------
G. Frobenius, I. Schur. Ueber die reellen Darstellungen der endlichen Gruppen. Sitzungsber.
Preuss. Akad. Wiss. (1906) 186-208.
J.-P. Serre. Linear Representations of Finite Groups. Springer GTM 42, 1977, section 13.2.
T. Takagi. On an algebraic problem related to an analytic theorem of Caratheodory and Fejer.
Japan. J. Math. 1 (1925) 83-93.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._errors import (
    ElementError,
    GroupTooLargeError,
    ParameterTypeError,
    VerificationError,
    check_index,
    check_limit,
    check_type,
)
from ..groups._group import FiniteGroup
from ._irrep import Irrep
from ._real import symmetric_unitary_sqrt

__all__ = [
    "DEFAULT_MAX_CHARACTER_WORK",
    "REAL_TYPES",
    "RealIrrep",
    "conjugate_intertwiner",
    "real_irreps",
    "realify",
]

#: The types of real irreps, indexed by ``1 - frobenius_schur``.
REAL_TYPES = ("real", "complex", "quaternionic")
#: Default bound on ``(number of classes) * |G|`` (matrix entries evaluated for the characters
#: of lazily evaluated irreps).
DEFAULT_MAX_CHARACTER_WORK = 10**8


def _elements(elements: Any, n: int) -> np.ndarray:
    """``elements`` as an int64 array of indices in ``0..n-1`` (named errors otherwise)."""
    try:
        xs = np.asarray(elements)
    except (TypeError, ValueError):
        raise ParameterTypeError("elements must be an array of element indices") from None
    if xs.size and xs.dtype.kind not in "iu":
        raise ParameterTypeError(f"elements must be integers, got dtype {xs.dtype}")
    xs = xs.astype(np.int64)
    if xs.size and (xs.min() < 0 or xs.max() >= n):
        bad = int(xs[(xs < 0) | (xs >= n)].flat[0])
        raise ElementError(f"element index must lie in 0..{n - 1}, got {bad}")
    return xs


def realify(U: np.ndarray) -> np.ndarray:
    """``[[Re U, -Im U], [Im U, Re U]]`` for complex matrices ``U`` of shape ``(..., d, d)``.

    The realification: ``U`` acting on ``C^d = R^d + i R^d``; a homomorphism, orthogonal
    when ``U`` is unitary.

    Examples
    --------
    >>> realify(np.array([[1j]]))
    array([[ 0., -1.],
           [ 1.,  0.]])
    """
    U = np.asarray(U)
    d = U.shape[-1]
    out = np.empty(U.shape[:-2] + (2 * d, 2 * d))
    out[..., :d, :d] = U.real
    out[..., :d, d:] = -U.imag
    out[..., d:, :d] = U.imag
    out[..., d:, d:] = U.real
    return out


def _monomial_intertwiner(perms: np.ndarray, exps: np.ndarray, m: int) -> np.ndarray:
    """``K`` with ``U(s) K = K conj(U(s))`` for monomial generators, exactly up to rounding.

    ``U(s) e_u = E(m)^exps[s, u] e_perms[s, u]`` gives ``K[P u, P v] = E(m)^(E[u] + E[v]) K[u, v]``:
    ``K`` is constant up to roots of unity on each orbit of ``G`` on pairs ``(u, v)`` and zero
    on the orbits where the phases are inconsistent. Every orbit meets ``{0} x [d]`` (the
    action on lines is transitive for an irreducible monomial representation).
    """
    k, d = perms.shape
    pot = np.full(d * d, -1, np.int64)
    support: list[np.ndarray] = []
    for v0 in range(d):
        if pot[v0] >= 0:
            continue
        pot[v0] = 0
        frontier = np.array([v0], np.int64)
        members = [frontier]
        ok = True
        while frontier.size:
            u, v = np.divmod(frontier, d)
            new_nodes = []
            for s in range(k):
                nxt = perms[s, u] * d + perms[s, v]
                cand = (pot[frontier] + exps[s, u] + exps[s, v]) % m
                fresh = pot[nxt] < 0
                if fresh.any():
                    first, at = np.unique(nxt[fresh], return_index=True)
                    pot[first] = cand[fresh][at]
                    new_nodes.append(first)
                ok = ok and bool(np.all(pot[nxt] == cand))
            frontier = np.concatenate(new_nodes) if new_nodes else np.zeros(0, np.int64)
            members.append(frontier)
        if ok:
            support.append(np.concatenate(members))
    if len(support) != 1:
        raise VerificationError(f"{len(support)} independent intertwiners with the conjugate "
                                "(expected one: the indicator is not +1)")
    K = np.zeros(d * d, complex)
    nodes = support[0]
    K[nodes] = np.exp(2j * np.pi * pot[nodes] / m)
    return K.reshape(d, d)


def conjugate_intertwiner(gens: np.ndarray, monomial: tuple | None = None) -> np.ndarray:
    """The unitary ``K`` (unique up to a scalar) with ``U(s) K = K conj(U(s))`` for the unitary
    generator images ``gens`` (shape ``(k, d, d)``) of an irreducible representation of real
    type; symmetric, normalized unitary.

    With ``monomial = (perms, exps, m)`` (:attr:`Irrep.monomial_data`) it is read off the orbits
    on pairs of basis lines (``O(k d^2)``); otherwise it spans the nullspace of the stacked
    ``(k d^2, d^2)`` system ``(I (x) U(s) - U(s)^H (x) I) vec(K) = 0``.

    Raises
    ------
    VerificationError
        If the intertwiner is not unique, not unitary or not symmetric (indicator not +1).
    GroupTooLargeError
        If ``d > 48`` without monomial data (the dense system has ``d^4`` entries per generator).

    Examples
    --------
    >>> w = np.exp(2j * np.pi / 3)
    >>> gens = np.array([[[w, 0], [0, w.conjugate()]], [[0, 1], [1, 0]]])   # S3
    >>> K = conjugate_intertwiner(gens)
    >>> bool(np.allclose(gens @ K, K @ gens.conj()) and np.allclose(K, K.T))
    True
    """
    gens = np.asarray(gens, complex)
    k, d, _ = gens.shape
    if monomial is not None:
        perms, exps, m = monomial
        K = _monomial_intertwiner(np.asarray(perms), np.asarray(exps) % m, int(m))
    else:
        if d > 48:
            raise GroupTooLargeError(f"dense intertwiner of degree {d} > 48 needs monomial data")
        eye = np.eye(d)
        A = np.concatenate([np.kron(eye, U) - np.kron(U.conj().T, eye) for U in gens])
        _, sv, Vh = np.linalg.svd(A)
        null = int(np.sum(sv < 1e-9 * max(1.0, sv[0])))
        if null != 1:
            raise VerificationError(f"{null} independent intertwiners with the conjugate (expected one)")
        K = Vh[-1].conj().reshape(d, d, order="F")
    K = K / np.sqrt(np.real(np.trace(K @ K.conj().T)) / d)
    if np.abs(K - K.T).max() > 1e-9 or np.abs(K @ K.conj().T - np.eye(d)).max() > 1e-9:
        raise VerificationError("the intertwiner with the conjugate is not symmetric unitary")
    if np.abs(gens @ K - K @ gens.conj()).max(initial=0) > 1e-9:
        raise VerificationError("the intertwiner does not intertwine the generators")
    return (K + K.T) / 2


def _block_sqrt(K: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``S`` (symmetric unitary, ``S S^T = K``) block diagonal along the connected components
    of the support of ``K``, as column-sparse ``(idx, val)`` of shape ``(b, d)``:
    ``S[idx[t, j], j] = val[t, j]`` (padding has ``val = 0``)."""
    from scipy.sparse.csgraph import connected_components

    d = K.shape[0]
    support = np.abs(K) > 1e-12
    ncomp, label = connected_components(support, directed=False)
    comps = [np.flatnonzero(label == c) for c in range(ncomp)]
    b = max(len(c) for c in comps)
    idx = np.zeros((b, d), np.int64)
    val = np.zeros((b, d), complex)
    for c in comps:
        S = symmetric_unitary_sqrt(K[np.ix_(c, c)])
        idx[: len(c), c] = c[:, None]
        val[: len(c), c] = S
    return idx, val


def _sparse_conjugate(U: np.ndarray, idx: np.ndarray, val: np.ndarray) -> np.ndarray:
    """``S^H U S`` for column-sparse ``S`` (:func:`_block_sqrt`), ``O(b d^2)`` per matrix."""
    US = (U[..., :, idx] * val[None, :, :]).sum(axis=-2)               # (..., d, d)
    return (US[..., idx, :] * val.conj()[:, :, None]).sum(axis=-3)      # rows idx[t, a]


class RealIrrep:
    """An irreducible real orthogonal representation of a finite group (immutable).

    Obtain them from :func:`real_irreps` (``G.real_irreps()``); equality and hashing use
    ``(group, index)``.

    Attributes
    ----------
    group : FiniteGroup
    index : int
        Position in ``real_irreps(group)``.
    dim : int
        Real dimension: ``d`` for type ``"real"``, ``2 d`` otherwise.
    type : str
        ``"real"``, ``"complex"`` or ``"quaternionic"`` (module docstring).
    irreps : tuple of int
        Indices into ``G.irreps()`` of the complex irreps it comes from: one for types
        ``"real"`` and ``"quaternionic"``, the pair ``(i, conj i)`` for ``"complex"``.
    frobenius_schur : int
        The Frobenius-Schur indicator of those complex irreps: 1, 0 or -1.

    Examples
    --------
    >>> import grouptools as gt
    >>> R = real_irreps(gt.cyclic(3))
    >>> [(r.dim, r.type, r.irreps) for r in R]
    [(1, 'real', (0,)), (2, 'complex', (1, 2))]
    >>> np.round(R[1](1), 6) + 0.0
    array([[-0.5     , -0.866025],
           [ 0.866025, -0.5     ]])
    """

    __slots__ = ("_group", "_index", "_type", "_irreps", "_rho", "_character", "_cache")

    def __init__(self, group: FiniteGroup, index: int, kind: str, irrep_indices: tuple[int, ...],
                 rho: Irrep, character: np.ndarray) -> None:
        if kind not in REAL_TYPES:
            raise VerificationError(f"unknown real irrep type {kind!r}")
        character = np.array(character, np.float64)
        character.setflags(write=False)
        for key, value in (("_group", group), ("_index", int(index)), ("_type", kind),
                           ("_irreps", tuple(int(i) for i in irrep_indices)), ("_rho", rho),
                           ("_character", character), ("_cache", {})):
            object.__setattr__(self, key, value)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("RealIrrep is immutable")

    def __delattr__(self, key: str) -> None:
        raise AttributeError("RealIrrep is immutable")

    def _memo(self, key: str, fn: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    # -- identity --------------------------------------------------------------------------
    @property
    def group(self) -> FiniteGroup:
        """The group represented."""
        return self._group

    @property
    def index(self) -> int:
        """Position in ``real_irreps(group)``."""
        return self._index

    @property
    def type(self) -> str:
        """``"real"``, ``"complex"`` or ``"quaternionic"``."""
        return self._type

    @property
    def irreps(self) -> tuple[int, ...]:
        """Indices into ``G.irreps()`` of the complex irreps it comes from."""
        return self._irreps

    @property
    def frobenius_schur(self) -> int:
        """Frobenius-Schur indicator of the complex irreps it comes from (1, 0 or -1)."""
        return 1 - REAL_TYPES.index(self._type)

    @property
    def dim(self) -> int:
        """Real dimension."""
        return self._rho.dim * (1 if self._type == "real" else 2)

    @property
    def commutant_dim(self) -> int:
        """Dimension of the real commutant ``End_G``: 1, 2 or 4 (R, C or the quaternions)."""
        return (1, 2, 4)[REAL_TYPES.index(self._type)]

    @property
    def label(self) -> str:
        """``"real_<index>"``."""
        return f"real_{self._index}"

    def __hash__(self) -> int:
        return hash((hash(self._group), self._index))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RealIrrep):
            return NotImplemented
        return self._index == other._index and self._group == other._group

    def __repr__(self) -> str:
        return (f"<RealIrrep {self.label} of {self._group!r}: dim {self.dim}, {self._type}, "
                f"from irreps {self._irreps}>")

    # -- characters -------------------------------------------------------------------------
    @property
    def character(self) -> np.ndarray:
        """Read-only float64 character per conjugacy class (order of ``G.conjugacy_classes()``):
        ``chi``, ``chi + conj(chi) = 2 Re chi`` or ``2 chi`` for the three types."""
        return self._character

    # -- matrices ---------------------------------------------------------------------------
    def _real_form(self) -> tuple[str, Any]:
        """How type ``"real"`` matrices are obtained: ``("table", all real matrices)`` or
        ``("sparse", (idx, val))`` for ``S^H rho(g) S``."""
        rho = self._rho
        if not rho.is_lazy:
            return "table", rho.real_matrices
        gens = rho.at(np.asarray(self._group.generators, np.int64))
        K = conjugate_intertwiner(gens, rho.monomial_data)
        return "sparse", _block_sqrt(K)

    def _complex_to_real(self, U: np.ndarray, xs: np.ndarray) -> np.ndarray:
        if self._type != "real":
            return realify(U)
        how, data = self._memo("form", self._real_form)
        if how == "table":
            return np.array(data[xs])
        R = _sparse_conjugate(U, *data)
        err = np.abs(R.imag).max(initial=0)
        if err > 1e-10:
            raise VerificationError(f"{self.label}: real form has imaginary part {err:.1e}")
        return np.ascontiguousarray(R.real)

    @property
    def generator_images(self) -> np.ndarray:
        """Read-only float64 ``(k, dim, dim)``: the real orthogonal images of ``G.generators``,
        checked real and orthogonal to 1e-12."""
        def build() -> np.ndarray:
            out = self.at(np.asarray(self._group.generators, np.int64))
            err = np.abs(out @ np.transpose(out, (0, 2, 1)) - np.eye(self.dim)).max(initial=0)
            if err > 1e-12:
                raise VerificationError(f"{self.label}: generator images not orthogonal ({err:.1e})")
            return out
        return self._memo("generators", build)

    def at(self, elements: Any) -> np.ndarray:
        """The real orthogonal matrices of the given elements: shape ``elements.shape + (dim, dim)``,
        read-only float64. Vectorized; ``O(dim^2)`` per element (``O(b dim^2)`` for the lazily
        evaluated irreps of type ``"real"``, ``b`` the block size of the module docstring).

        Raises
        ------
        ElementError
            An index outside ``0..|G|-1``.
        ParameterTypeError
            Non-integer indices.

        Examples
        --------
        >>> import grouptools as gt
        >>> r = real_irreps(gt.dihedral(600))[-1]      # lazily evaluated irreps
        >>> r.type, r.at([[0, 1], [2, 3]]).shape
        ('real', (2, 2, 2, 2))
        """
        xs = _elements(elements, self._group.order)
        flat = xs.ravel()
        if self._type == "real" and not self._rho.is_lazy:
            out = self._complex_to_real(None, flat)
        else:
            out = self._complex_to_real(self._rho.at(flat), flat)
        out.setflags(write=False)
        return out.reshape(xs.shape + (self.dim, self.dim))

    def __call__(self, g: int | str) -> np.ndarray:
        """The real orthogonal matrix of element ``g`` (an index or a word in the generators)."""
        if isinstance(g, str):
            x = self._group.element(g)
        else:
            x = check_index("element index", g, self._group.order)
        return self.at(x)


def _table_data(G: FiniteGroup) -> tuple[list[int], list[int], np.ndarray]:
    """Frobenius-Schur indicators, conjugate partners and character values from the exact table."""
    T = G.character_table()  # via the group: _api imports this module
    fs = [int(v) for v in T.frobenius_schur]
    partner = [i if fs[i] else T.galois_conjugate(i, -1) for i in range(len(fs))]
    return fs, partner, np.asarray(T.values)


def _lazy_data(G: FiniteGroup, R: Any) -> tuple[list[int], list[int], np.ndarray]:
    """The same from lazily evaluated irreps: traces at the class representatives, indicators
    ``sum_c |c| chi(g_c^2) / |G|``, partners by matching ``conj(chi)`` (checked)."""
    classes = G.conjugacy_classes()
    reps = np.asarray(classes.representatives, np.int64)
    sizes = np.asarray(classes.sizes, np.float64)
    ci = np.asarray(G.class_index)
    sq = ci[np.asarray(G.power(reps, 2)).reshape(-1)]
    inv = ci[np.asarray(G.inverse)[reps]]
    chars = np.empty((len(R), reps.size), complex)
    for i in range(len(R)):
        chars[i] = np.trace(R[i].at(reps), axis1=-2, axis2=-1)
    nu = (chars[:, sq] * sizes).sum(axis=1) / G.order
    fs = np.rint(nu.real).astype(int)
    if np.abs(nu - fs).max(initial=0) > 1e-6 or np.any(np.abs(fs) > 1):
        raise VerificationError(f"Frobenius-Schur indicators of {G!r} are not -1, 0 or 1")
    keys = {np.round(chars[j] * 1e6).tobytes(): j for j in range(len(R))}
    partner = []
    for i in range(len(R)):
        conj = chars[i, inv]
        j = keys.get(np.round(conj * 1e6).tobytes())
        if j is None or np.abs(chars[j] - conj).max() > 1e-8:
            j = int(np.argmin(np.abs(chars - conj[None, :]).max(axis=1)))
        if np.abs(chars[j] - conj).max() > 1e-8 or (j == i) != (fs[i] != 0):
            raise VerificationError(f"no consistent complex conjugate of irrep {i} of {G!r}")
        partner.append(j)
    return fs.tolist(), partner, chars


def _build(G: FiniteGroup, max_character_work: int) -> tuple[RealIrrep, ...]:
    R = G.irreps()
    lazy = len(R) > 0 and R[0].is_lazy
    if lazy:
        work = len(G.conjugacy_classes()) * G.order
        if work > max_character_work:
            raise GroupTooLargeError(
                f"the characters of {len(R)} lazily evaluated irreps need {work} matrix entries "
                f"(max_character_work={max_character_work})")
        fs, partner, chars = _lazy_data(G, R)
    else:
        fs, partner, chars = _table_data(G)
    out: list[RealIrrep] = []
    for i in range(len(R)):
        j = partner[i]
        if j < i:
            continue
        kind = REAL_TYPES[1 - fs[i]]
        idx = (i,) if kind != "complex" else (i, j)
        scale = 1.0 if kind == "real" else 2.0
        out.append(RealIrrep(G, len(out), kind, idx, R[i], scale * chars[i].real))
    return tuple(out)


def real_irreps(G: FiniteGroup, *, max_character_work: int = DEFAULT_MAX_CHARACTER_WORK
                ) -> tuple[RealIrrep, ...]:
    """The irreducible real representations of ``G``, one per class of complex irreps under
    complex conjugation, ordered by the first complex irrep (``G.irreps()`` order). Memoized per
    group (the first call's limit applies).

    Types, indicators and pairs come from the exact character table, or for lazily evaluated
    irreps (little-group method) from their traces at the class representatives; matrices are
    built on first use (module docstring; Frobenius & Schur 1906, Serre 1977 section 13.2).

    Parameters
    ----------
    G : FiniteGroup
    max_character_work : int
        Largest ``(number of classes) * |G|`` for the characters of lazily evaluated irreps,
        refused before the work.

    Raises
    ------
    GroupTooLargeError
        Above ``max_character_work``, or above the limits of :func:`irreps`.
    ParameterTypeError, InvalidLimitError
        Bad arguments.

    Examples
    --------
    >>> import grouptools as gt
    >>> [(r.dim, r.type) for r in real_irreps(gt.quaternion(8))]
    [(1, 'real'), (1, 'real'), (1, 'real'), (1, 'real'), (4, 'quaternionic')]
    >>> R = real_irreps(gt.cyclic(1500))
    >>> len(R), R[-2].type, R[-2].irreps
    (751, 'complex', (749, 751))
    """
    check_type("G", G, FiniteGroup, "a FiniteGroup")
    limit = check_limit("max_character_work", max_character_work)
    return G.memo("real_irreps", lambda: _build(G, limit))
