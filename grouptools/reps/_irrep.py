"""The :class:`Irrep` object: an exact irreducible representation and its numeric images.

An irrep carries exact generator images (monomial data or cyclotomic matrices) and gives unitary
complex matrices: all of them (:attr:`Irrep.matrices`, within a memory budget), or those of given
elements (:meth:`Irrep.at`, :meth:`Irrep.__call__`). Irreps built by the little-group method
(:mod:`grouptools.reps._little`) carry an *evaluator* that computes the monomial images of any
elements from the group's coordinates, so nothing of size ``|G|`` is built unless asked for;
irreps of direct products (:mod:`grouptools.reps._products`) carry a *numeric evaluator* giving
the unitary matrices of any elements directly (Kronecker products of the factors' matrices).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..arith._cycmatrix import CycMatrix
from .._errors import (
    ElementError,
    GroupTooLargeError,
    ParameterTypeError,
    VerificationError,
    check_index,
    check_limit,
)
from ..groups._group import FiniteGroup
from ._induce import MonomialRep as _Mono
from ._induce import monomial_edges_ok, tree_monomials
from ._project import CyclotomicRep
from ._real import real_form
from ._representation import Representation
from ._serialize import irrep_dict, irrep_gap
from ._subgroups import tree_levels

__all__ = ["DEFAULT_MATRIX_BYTES", "Evaluator", "Irrep", "NumericEvaluator", "check_numeric",
           "tree_products"]

#: Default memory budget of :attr:`Irrep.matrices` (bytes).
DEFAULT_MATRIX_BYTES = 2 * 2**30

#: ``evaluator(xs) -> (P, E, M)``: monomial images ``rho(g_x) e_u = E(M)^E[x, u] e_P[x, u]``.
Evaluator = Callable[[np.ndarray], "tuple[np.ndarray, np.ndarray, int]"]
#: ``numeric(xs) -> U``: the unitary matrices ``(len(xs), d, d)`` of the elements ``xs`` (1-d).
NumericEvaluator = Callable[[np.ndarray], np.ndarray]


def _element_array(elements: Any, n: int) -> np.ndarray:
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


class Irrep(Representation):
    """An irreducible unitary representation of a finite group (immutable).

    Obtain irreps from :func:`irreps` (``G.irreps()``); equality and hashing use
    ``(group, index)``.

    An irrep is a :class:`~grouptools.Representation` (tensor products, direct sums, duals,
    restriction, induction, decomposition) in the basis of :meth:`__call__`, the unitary one: it
    is exact there when its exact images are unitary (:attr:`exact_unitary`), numeric otherwise
    (``Representation(G, rho.generator_images)`` is the exact representation in the basis of
    the exact images).

    Attributes
    ----------
    group : FiniteGroup
    index : int
        Position in ``irreps(group)`` and row of the character table.
    dim : int

    Examples
    --------
    >>> import grouptools as gt
    >>> rho = gt.irreps(gt.dihedral(4))[4]
    >>> rho.dim, rho.is_monomial, rho.exact_unitary, rho.frobenius_schur
    (2, True, True, 1)
    >>> [X.to_gap() for X in rho.generator_images]
    [[['E(4)', '0'], ['0', '-E(4)']], [['0', '1'], ['1', '0']]]
    >>> rho.matrices.shape
    (8, 2, 2)
    >>> bool(np.allclose(rho("r*s"), rho("r") @ rho("s")))
    True
    """

    __slots__ = ("_group", "_index", "_dim", "_mono", "_cyc", "_evaluator", "_numeric", "_table_fn")

    def __init__(self, group: FiniteGroup, index: int, dim: int, *, mono: _Mono | None = None,
                 cyc: CyclotomicRep | None = None, evaluator: Evaluator | None = None,
                 table: Callable[[], Any] | None = None,
                 numeric: NumericEvaluator | None = None) -> None:
        if (mono is None) == (cyc is None):
            raise VerificationError("an Irrep needs exactly one of monomial or cyclotomic data")
        if evaluator is not None and numeric is not None:
            raise VerificationError("an Irrep takes a monomial or a numeric evaluator, not both")
        object.__setattr__(self, "_evaluator", evaluator)
        object.__setattr__(self, "_numeric", numeric)
        object.__setattr__(self, "_table_fn", table)
        object.__setattr__(self, "_group", group)
        object.__setattr__(self, "_index", int(index))
        object.__setattr__(self, "_dim", int(dim))
        object.__setattr__(self, "_mono", mono)
        object.__setattr__(self, "_cyc", cyc)
        object.__setattr__(self, "_rcache", {})  # the memo of Representation._memo

    # -- identity --------------------------------------------------------------------------
    @property
    def group(self) -> FiniteGroup:
        """The group represented."""
        return self._group

    @property
    def index(self) -> int:
        """Position in ``irreps(group)`` (row of the character table)."""
        return self._index

    @property
    def dim(self) -> int:
        """The degree ``chi(1)``."""
        return self._dim

    @property
    def label(self) -> str:
        """``"rho_<index>"``."""
        return f"rho_{self._index}"

    @property
    def key(self) -> tuple[int, int]:
        """Hashable id ``(hash(group), index)``."""
        return (hash(self._group), self._index)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Irrep):
            return NotImplemented
        return self._index == other._index and self._group == other._group

    def __repr__(self) -> str:
        kind = "monomial" if self.is_monomial else "cyclotomic"
        return f"<Irrep {self.label} of {self._group!r}: dim {self._dim}, {kind}>"

    # -- characters -------------------------------------------------------------------------
    def _table(self) -> Any:
        if self._table_fn is not None:
            return self._table_fn()
        from ._chartable import character_table

        return character_table(self._group)

    @property
    def character(self) -> tuple:
        """Exact character values per conjugacy class (tuple of ``Cyclotomic``)."""
        t = self._table()
        return self._memo("character", lambda: tuple(
            t.value(self._index, c) for c in range(len(t.degrees))))

    @property
    def character_values(self) -> np.ndarray:
        """Complex character value of every element (element order)."""
        def build() -> np.ndarray:
            if self._without_table():
                vals = self._traces(np.arange(self._group.order))
            else:
                vals = np.asarray(self._table().values)[self._index][self._group.class_index]
            vals.setflags(write=False)
            return vals
        return self._memo("character_values", build)

    def _without_table(self) -> bool:
        """Lazily evaluated and no character table built: characters come from the evaluator."""
        return self.is_lazy and self._group.memo("character_table") is None

    def _traces(self, xs: np.ndarray) -> np.ndarray:
        """Character values at the elements ``xs`` from the evaluator, in chunks."""
        out = np.empty(xs.shape, complex)
        step = max(1, (1 << 20) // self._dim)
        for i in range(0, xs.size, step):
            if self._numeric is not None:
                out[i:i + step] = np.trace(self._numeric(xs[i:i + step]), axis1=-2, axis2=-1)
                continue
            P, E, M = self._evaluator(xs[i:i + step])
            fixed = P == np.arange(self._dim)
            out[i:i + step] = np.where(fixed, _roots(E, M), 0).sum(axis=-1)
        return out

    @property
    def frobenius_schur(self) -> int:
        """Frobenius-Schur indicator: 1 (real), 0 (complex) or -1 (quaternionic).

        From the character table, or for lazily evaluated irreps
        ``(1/|G|) sum_g chi(g^2)`` (an integer, rounded and checked to 1e-6).
        """
        if self._without_table():
            def build() -> int:
                G = self._group
                squares = np.asarray(G.power(np.arange(G.order), 2)).ravel()
                nu = self._traces(squares).sum() / G.order
                r = round(nu.real)
                if abs(nu - r) > 1e-6 or r not in (-1, 0, 1):
                    raise VerificationError(f"{self.label}: Frobenius-Schur indicator {nu} is not -1, 0 or 1")
                return int(r)
            return self._memo("frobenius_schur", build)
        return int(np.asarray(self._table().frobenius_schur)[self._index])

    # -- the Representation protocol --------------------------------------------------------
    @property
    def is_exact(self) -> bool:
        """As a :class:`~grouptools.Representation`: exact iff the exact images are unitary."""
        return self.exact_unitary

    @property
    def exact_generator_images(self) -> tuple[CycMatrix, ...] | None:
        """:attr:`generator_images` when they are unitary (the basis of :meth:`__call__`), else
        ``None``."""
        return self.generator_images if self.exact_unitary else None

    @property
    def numeric_generator_images(self) -> np.ndarray:
        """:attr:`unitary_generator_images`."""
        return self.unitary_generator_images

    @property
    def is_unitary(self) -> bool:
        """Always ``True`` (the matrices of :meth:`__call__` are unitary)."""
        return True

    @property
    def is_irreducible(self) -> bool:
        """Always ``True``."""
        return True

    @property
    def points(self) -> None:
        """``None`` (no permutation basis)."""
        return None

    # -- exact data -------------------------------------------------------------------------
    @property
    def is_lazy(self) -> bool:
        """Whether matrices are evaluated from the group's coordinates (:meth:`at`) rather than
        read from :attr:`matrices`."""
        return self._evaluator is not None or self._numeric is not None

    @property
    def is_monomial(self) -> bool:
        """Whether the exact generator images are monomial (induced from a linear character)."""
        return self._mono is not None

    @property
    def exact_unitary(self) -> bool:
        """Whether the exact generator images are unitary (then ``matrices`` uses them)."""
        return True if self._mono is not None else self._cyc.exact_unitary

    @property
    def field(self) -> int:
        """``M``: the exact images lie in Q(zeta_M) (``E(M)``)."""
        return self._mono.m if self._mono is not None else self._cyc.M

    @property
    def source(self) -> str:
        """How the representation was constructed (human-readable)."""
        return self._mono.source if self._mono is not None else self._cyc.source

    @property
    def monomial_data(self) -> tuple[np.ndarray, np.ndarray, int] | None:
        """``(perms, exps, m)`` with ``rho(s) e_i = E(m)^exps[s, i] e_perms[s, i]``, or ``None``."""
        if self._mono is None:
            return None
        return self._mono.perms.copy(), self._mono.exps.copy(), self._mono.m

    @property
    def generator_images(self) -> tuple[CycMatrix, ...]:
        """Exact images of the generators (``CycMatrix`` over Q(zeta_M))."""
        def build() -> tuple[CycMatrix, ...]:
            if self._mono is not None:
                mo = self._mono
                return tuple(CycMatrix.monomial(mo.perms[s], mo.exps[s], mo.m)
                             for s in range(mo.perms.shape[0]))
            return tuple(self._cyc.images)
        return self._memo("generator_images", build)

    @property
    def change_of_basis(self) -> np.ndarray | None:
        """``C`` with ``matrices[g] = C^-1 X(g) C`` for the exact images ``X``; ``None`` when the
        exact images are unitary (then ``matrices`` are their values)."""
        if self._mono is not None or self._cyc.change_of_basis is None:
            return None
        return self._cyc.change_of_basis.copy()

    @property
    def unitary_generator_images(self) -> np.ndarray:
        """``(k, d, d)`` complex: the unitary images of the generators."""
        def build() -> np.ndarray:
            if self._mono is not None:
                mo = self._mono
                k, d = mo.perms.shape
                out = np.zeros((k, d, d), complex)
                for s in range(k):
                    out[s, mo.perms[s], np.arange(d)] = _roots(mo.exps[s], mo.m)
            else:
                out = np.array(self._cyc.unitary, dtype=complex)
            out.setflags(write=False)
            return out
        return self._memo("unitary_generator_images", build)

    # -- matrices ---------------------------------------------------------------------------
    @property
    def matrices(self) -> np.ndarray:
        """Read-only ``(|G|, d, d)`` complex128: the unitary matrix of every element (element
        order), built on first use within :data:`DEFAULT_MATRIX_BYTES` (see
        :meth:`build_matrices`; :meth:`at` evaluates a few elements without them).

        Lazily evaluated irreps (little-group method): the monomial formula at every element,
        checked exactly to be multiplicative on every Cayley-graph edge. Irreps with a numeric
        evaluator (direct products): its values at every element, verified unitary to 1e-12 and
        multiplicative on every Cayley-graph edge to 1e-10. Otherwise products along the BFS
        spanning tree ``G.spanning_tree``:

        Monomial irreps: products of the exact (permutation, exponent) data, checked exactly to
        be multiplicative on every Cayley-graph edge, so the matrices are monomial with
        correctly rounded roots of unity (unitary and multiplicative to rounding). Otherwise:
        products of the unitary generator images, verified unitary to 1e-12 and multiplicative
        on every Cayley-graph edge to 1e-10.
        """
        return self.build_matrices()

    def build_matrices(self, max_bytes: int = DEFAULT_MATRIX_BYTES) -> np.ndarray:
        """:attr:`matrices`, refused above a memory budget.

        Raises
        ------
        GroupTooLargeError
            If ``|G| d^2 * 16`` bytes exceed ``max_bytes`` (raised before any work).
        InvalidLimitError
            If ``max_bytes`` is not a positive int.
        """
        max_bytes = check_limit("max_bytes", max_bytes)
        need = self._group.order * self._dim ** 2 * 16
        if not self.has_matrices and need > max_bytes:
            raise GroupTooLargeError(
                f"{self.label}: all {self._group.order} matrices of degree {self._dim} need "
                f"{need / 2**30:.2f} GiB > max_bytes={max_bytes}; use at(elements)")
        return self._memo("matrices", self._build_matrices)

    def at(self, elements: Any) -> np.ndarray:
        """The unitary matrices of the given elements: shape ``elements.shape + (d, d)``.

        Lazily evaluated irreps compute them from the group's coordinates (no table, no tree);
        the others read :attr:`matrices`. Vectorized over any array of element indices.

        Raises
        ------
        ElementError
            An index outside ``0..|G|-1`` (an ``IndexError``).
        ParameterTypeError
            Non-integer indices.

        Examples
        --------
        >>> import grouptools as gt
        >>> rho = gt.dihedral(5000).irreps()[-1]
        >>> rho.at([[0, 1], [2, 3]]).shape
        (2, 2, 2, 2)
        >>> bool(np.allclose(rho.at(7) @ rho.at(9), rho.at(rho.group.multiply(7, 9))))
        True
        """
        xs = _element_array(elements, self._group.order)
        if self._numeric is not None:
            out = np.asarray(self._numeric(xs.ravel()), complex)
            out.setflags(write=False)
            return out.reshape(xs.shape + (self._dim, self._dim))
        if self._evaluator is None:
            return self.matrices[xs]
        flat = xs.ravel()
        P, E, M = self._evaluator(flat)
        d = self._dim
        out = np.zeros((flat.size, d, d), complex)
        out[np.arange(flat.size)[:, None], P, np.arange(d)[None, :]] = _roots(E, M)
        out.setflags(write=False)
        return out.reshape(xs.shape + (d, d))

    @property
    def has_matrices(self) -> bool:
        """Whether :attr:`matrices`, the ``(|G|, d, d)`` numeric images, are built already (then
        reading them costs nothing; callers needing a few elements may use them).

        Examples
        --------
        >>> import grouptools as gt
        >>> rho = gt.dihedral(5).irreps()[-1]
        >>> rho.has_matrices
        False
        >>> rho.matrices.shape
        (10, 2, 2)
        >>> rho.has_matrices
        True
        """
        return "matrices" in self._rcache

    def _build_matrices(self) -> np.ndarray:
        G = self._group
        n, d = G.order, self._dim
        if self._numeric is not None:  # verified like the projected irreps below
            out = np.array(self._numeric(np.arange(n)), complex)
            check_numeric(G, out, self.unitary_generator_images, self.label)
        elif self._evaluator is not None:
            xs = np.arange(n)
            P, E, M = self._evaluator(xs)
            for s in range(G.right_perms.shape[0]):  # exact: rho(x) rho(s) = rho(x s) on every edge
                Ps, Es, _ = self._evaluator(np.array([G.generators[s]]))
                ys = G.right_perms[s]
                if not (np.array_equal(P[ys], P[:, Ps[0]])
                        and np.array_equal(E[ys] % M, (Es[0][None, :] + E[:, Ps[0]]) % M)):
                    raise VerificationError(f"{self.label}: matrices are not multiplicative")
            out = np.zeros((n, d, d), complex)
            out[np.arange(n)[:, None], P, np.arange(d)[None, :]] = _roots(E, M)
        elif self._mono is not None:
            mo = self._mono
            P, E = tree_monomials(G, mo.perms, mo.exps[None], mo.m)
            # exact checks of the data placed below: permutations, multiplicative on every edge
            if not (np.array_equal(np.sort(P, axis=1), np.broadcast_to(np.arange(d), P.shape))
                    and monomial_edges_ok(G, mo.perms, mo.exps[None], P, E, mo.m)[0]):
                raise VerificationError(f"{self.label}: monomial matrices are not multiplicative")
            out = np.zeros((n, d, d), complex)
            out[np.arange(n)[:, None], P, np.arange(d)[None, :]] = _roots(E[0], mo.m)
        else:
            out = tree_products(G, self.unitary_generator_images)
            check_numeric(G, out, self.unitary_generator_images, self.label)
        out.setflags(write=False)
        return out

    def __call__(self, g: int | str) -> np.ndarray:
        """The unitary matrix of element ``g`` (an index in ``0..|G|-1`` or a word in the generators).

        Raises :class:`~grouptools.ElementError` (an ``IndexError``) for an index out of range and
        :class:`~grouptools.ParameterTypeError` (a ``TypeError``) for a non-integer.
        """
        if isinstance(g, str):
            x = self._group.element(g)
        else:  # ParameterTypeError for a non-integer, ElementError (an IndexError) out of range
            x = check_index("element index", g, self._group.order)
        if self.is_lazy:
            return self.at(x)
        return self.matrices[x]

    @property
    def real_matrices(self) -> np.ndarray | None:
        """For Frobenius-Schur indicator +1: a real orthogonal form ``(|G|, d, d)`` float64,
        equivalent to :attr:`matrices` (``real = S^H U S`` for a unitary ``S``); else ``None``."""
        if self.frobenius_schur != 1:
            return None
        return self._memo("real", lambda: real_form(self._group, self.matrices, self.label))

    # -- export -----------------------------------------------------------------------------
    def to_json(self) -> dict:
        """JSON-ready dict (the format of :func:`grouptools.irreps_to_json`)."""
        return irrep_dict(self)

    def to_gap(self) -> str:
        """The exact generator images as a GAP list of matrices."""
        return irrep_gap(self)


def _roots(e: np.ndarray, m: int) -> np.ndarray:
    """``exp(2 pi i e / m)`` with exact values at multiples of a quarter turn."""
    e = np.asarray(e) % m
    out = np.exp(2j * np.pi * e / m)
    four = (4 * e) % m == 0
    if four.any():
        out[four] = np.array([1, 1j, -1, -1j])[(4 * e[four]) // m]
    return out


def tree_products(G: FiniteGroup, gens: np.ndarray) -> np.ndarray:
    """All element matrices as products of generator matrices along the BFS tree."""
    _, parent, letter, _ = G.spanning_tree
    k, d, _ = gens.shape
    letters = np.empty((2 * k, d, d), complex)
    letters[0::2] = gens
    letters[1::2] = np.conj(np.transpose(gens, (0, 2, 1)))
    out = np.empty((G.order, d, d), complex)
    out[0] = np.eye(d)
    for lvl in tree_levels(G):
        out[lvl] = out[parent[lvl]] @ letters[letter[lvl]]
    return out


def check_numeric(G: FiniteGroup, mats: np.ndarray, gens: np.ndarray, label: str) -> None:
    d = mats.shape[1]
    err = np.abs(mats @ np.conj(np.transpose(mats, (0, 2, 1))) - np.eye(d)).max(initial=0)
    if err > 1e-12:
        raise VerificationError(f"{label}: matrices are not unitary (error {err:.1e})")
    for s in range(gens.shape[0]):
        e2 = np.abs(mats @ gens[s] - mats[G.right_perms[s]]).max(initial=0)
        if e2 > 1e-10:
            raise VerificationError(f"{label}: matrices are not multiplicative (error {e2:.1e})")
