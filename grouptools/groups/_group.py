"""The immutable :class:`FiniteGroup`: elements, multiplication, words and the group protocol.

A finite group is stored as its right-regular permutation representation on the generators: the
coset table of the trivial subgroup, as Todd-Coxeter produces it. Everything else (words, the
Cayley table, inverses, classes, subgroups) is derived from it on demand and memoized. Element
orders and conjugacy classes come from :mod:`._classes`, subgroups from :mod:`._subgroups`, words
and presentations from :mod:`._words`, all as mixins of :class:`FiniteGroup`; building a group from a Cayley table from :mod:`._tables`.

The public protocol other layers use: :meth:`FiniteGroup.memo` (one per-group memo),
:attr:`~FiniteGroup.spanning_tree`, :attr:`~FiniteGroup.letter_perms`,
:meth:`~FiniteGroup.letter_word`, :meth:`~FiniteGroup.left_multiplication`,
:meth:`~FiniteGroup.right_multiplication`, :attr:`~FiniteGroup.defining_presentation`,
:meth:`~FiniteGroup.has_cayley_table`, :meth:`~FiniteGroup.closure`,
:meth:`~FiniteGroup.conjugation_perms` and :attr:`~FiniteGroup.structure`.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Sequence, TypeVar

import numpy as np

from .._kernels import group as _k
from .._errors import (
    ElementError,
    GroupTooLargeError,
    InvalidGroupError,
    ParameterError,
    ParameterTypeError,
    quote,
)
from ._arithmetic import Arithmetic, power
from ._arrays import default_names, integer_array, readonly
from ._classes import ClassesMixin, ConjugacyClass
from ._subgroups import Subgroup, SubgroupsMixin
from ._words import WordsMixin

if TYPE_CHECKING:  # pragma: no cover
    from ..presentations import Presentation

T = TypeVar("T")


class SpanningTree(NamedTuple):
    """The BFS spanning tree of a group's right Cayley graph (see
    :attr:`FiniteGroup.spanning_tree`)."""

    order: np.ndarray
    parent: np.ndarray
    letter: np.ndarray
    depth: np.ndarray


__all__ = ["FiniteGroup", "Subgroup", "ConjugacyClass", "DEFAULT_MAX_TABLE_ORDER"]

#: Largest order for which :attr:`FiniteGroup.cayley_table` is built (int32: 4 n^2 bytes).
DEFAULT_MAX_TABLE_ORDER = 16384


class FiniteGroup(ClassesMixin, SubgroupsMixin, WordsMixin):
    """An immutable finite group on the elements ``0..n-1`` with the identity at ``0``.

    Parameters
    ----------
    right_perms : array_like of int, shape (k, n)
        ``right_perms[s, i]`` is the index of ``g_i * s`` for the ``s``-th generator: the
        right-regular permutation representation (the coset table of the trivial subgroup).
    generator_names : sequence of str, optional
        Names of the generators (default ``a, b, c, ...``).
    presentation : Presentation, optional
        A presentation on these generators that defines the group (kept for verification; if
        absent one is derived from a spanning tree of the Cayley graph, Schreier's method).
    structure : object, optional
        How the group was constructed (:mod:`grouptools.groups._catalogue` structures), for fast
        algorithms that exploit products.
    name : str, optional
        A display name.
    max_table_order : int
        Largest order for which :attr:`cayley_table` may be built.

    Notes
    -----
    Use the constructors (:func:`grouptools.group`, the catalogue, :meth:`from_cayley_table`,
    :func:`grouptools.from_permutations`) rather than this one.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.dihedral(4)                  # symmetries of the square, order 8
    >>> G.order, G.exponent, G.is_abelian
    (8, 4, False)
    >>> G.word(G.element("r^-1*s*r"))
    'r^2*s'
    >>> [c.size for c in G.conjugacy_classes()]
    [1, 1, 2, 2, 2]
    """

    __slots__ = (
        "_perms",
        "_names",
        "_presentation",
        "_structure",
        "_name",
        "_max_table_order",
        "_cache",
        "__weakref__",
    )

    def __init__(
        self,
        right_perms: Any,
        generator_names: Sequence[str] | None = None,
        *,
        presentation: Presentation | None = None,
        structure: Any = None,
        name: str | None = None,
        max_table_order: int = DEFAULT_MAX_TABLE_ORDER,
        _checked: bool = False,
    ) -> None:
        if _checked:
            perms = np.array(right_perms, dtype=np.int64, copy=True)
        else:
            perms = integer_array(right_perms, "right_perms")
        if perms.ndim != 2:
            raise InvalidGroupError("right_perms must have shape (number of generators, order)")
        k, n = perms.shape
        if n < 1:
            raise InvalidGroupError("a group has at least one element")
        if generator_names is None:
            generator_names = default_names(k)
        if isinstance(generator_names, (str, bytes)) or not hasattr(generator_names, "__iter__"):
            raise ParameterTypeError(
                f"generator_names must be a sequence of str, got {type(generator_names).__name__}"
            )
        names = tuple(str(s) for s in generator_names)
        if isinstance(max_table_order, bool) or not isinstance(max_table_order, (int, np.integer)):
            raise ParameterTypeError(f"max_table_order must be an int, got {quote(max_table_order)}")
        if max_table_order < 0:
            raise ParameterError(f"max_table_order must be >= 0, got {max_table_order}")
        if len(names) != k:
            raise InvalidGroupError(f"{k} generators but {len(names)} names")
        if len(set(names)) != k:
            raise InvalidGroupError(f"generator names are not distinct: {quote(names)}")
        if not _checked:
            if perms.size and (perms.min() < 0 or perms.max() >= n):
                raise InvalidGroupError("right_perms has entries outside 0..n-1")
            for s in range(k):
                if np.bincount(perms[s], minlength=n).max(initial=1) != 1:
                    raise InvalidGroupError(f"generator {quote(names[s])} is not a permutation")
        perms = readonly(perms.astype(np.int32))
        setattr_ = object.__setattr__
        setattr_(self, "_perms", perms)
        setattr_(self, "_names", names)
        setattr_(self, "_presentation", presentation)
        setattr_(self, "_structure", structure)
        setattr_(self, "_name", name)
        setattr_(self, "_max_table_order", int(max_table_order))
        setattr_(self, "_cache", {})
        if not _checked:
            tree_order = self.spanning_tree[0]
            if tree_order.shape[0] != n:
                raise InvalidGroupError(
                    f"the generators reach only {tree_order.shape[0]} of {n} elements from 0"
                )
            if not self._is_regular():
                raise InvalidGroupError("right_perms is not a right-regular representation")

    # -- immutability -------------------------------------------------------------------
    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("FiniteGroup is immutable")

    def __delattr__(self, key: str) -> None:
        raise AttributeError("FiniteGroup is immutable")

    def __reduce__(self) -> tuple:
        return (
            _rebuild,
            (np.asarray(self._perms), self._names, self._presentation, self._structure, self._name),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FiniteGroup):
            return NotImplemented
        return self._names == other._names and np.array_equal(self._perms, other._perms)

    def __hash__(self) -> int:
        return hash((self._names, self._perms.shape, self._perms.tobytes()))

    def __len__(self) -> int:
        return self.order

    def __repr__(self) -> str:
        label = self._name or "FiniteGroup"
        return f"<{label}: order {self.order}, generators {', '.join(self._names)}>"

    def memo(self, key: str, build: Callable[[], T] | None = None) -> T | None:
        """The per-group memo: the value stored under ``key``, built by ``build()`` on first use.

        Every layer that derives data from a group (classes, character tables, irreps, Fourier
        plans) stores it here, so it lives exactly as long as the group. Keys are namespaced by
        the layer (``"fourier.plan"``, ``"irreps"``, ...). With ``build=None`` nothing is built:
        the stored value, or ``None``.

        Examples
        --------
        >>> import grouptools as gt
        >>> G = gt.cyclic(3)
        >>> G.memo("example.answer") is None
        True
        >>> G.memo("example.answer", lambda: 42), G.memo("example.answer")
        (42, 42)
        """
        cache = self._cache
        if key not in cache:
            if build is None:
                return None
            cache[key] = build()
        return cache[key]

    # -- basic data -----------------------------------------------------------------------
    @property
    def order(self) -> int:
        """The number of elements."""
        return int(self._perms.shape[1])

    @property
    def name(self) -> str | None:
        """Display name, if any."""
        return self._name

    @property
    def generator_names(self) -> tuple[str, ...]:
        """Names of the generators, in order."""
        return self._names

    @property
    def generators(self) -> tuple[int, ...]:
        """Element indices of the generators (``right_perms[s, 0]``)."""
        return tuple(int(x) for x in self._perms[:, 0])

    @property
    def right_perms(self) -> np.ndarray:
        """Read-only ``(k, n)`` array: ``right_perms[s, i]`` = index of ``g_i * s``."""
        return self._perms

    @property
    def structure(self) -> Any:
        """The construction record (abelian, direct or semidirect product) or ``None``."""
        return self._structure

    @property
    def max_table_order(self) -> int:
        """Largest order for which the Cayley table is built."""
        return self._max_table_order

    @property
    def letter_perms(self) -> np.ndarray:
        """Read-only ``(2k, n)`` array: row ``2s`` is right multiplication by generator ``s``,
        row ``2s + 1`` by its inverse (``letter_perms[t, x]`` = index of ``g_x * letter t``)."""

        def build() -> np.ndarray:
            k, n = self._perms.shape
            out = np.empty((2 * k, n), np.int32)
            for s in range(k):
                out[2 * s] = self._perms[s]
                inv = np.empty(n, np.int32)
                inv[self._perms[s]] = np.arange(n, dtype=np.int32)
                out[2 * s + 1] = inv
            return readonly(out)

        return self.memo("letters", build)

    @property
    def spanning_tree(self) -> SpanningTree:
        """The shortlex breadth-first spanning tree of the right Cayley graph (memoized).

        ``g_x = g_parent[x] * letter[x]`` for ``x != 0``; ``order`` lists the elements in BFS
        order, ``depth[x]`` is the word length of ``x``. Letters as in :attr:`letter_perms`.
        Layers above use it to evaluate homomorphisms element by element along the tree.
        """
        return self.memo(
            "tree",
            lambda: SpanningTree(
                *(readonly(a) for a in _k.spanning_tree(self.letter_perms))
            ),
        )

    def _is_regular(self) -> bool:
        # A transitive permutation group is regular iff the maps "left multiplication by a
        # generator", propagated along the spanning tree, commute with every generator: then the
        # generators normalize the point stabilizer, which is therefore trivial.
        for s in range(self._perms.shape[0]):
            left = self.left_multiplication(int(self._perms[s, 0]))
            for t in range(self._perms.shape[0]):
                if not np.array_equal(left[self._perms[t]], self._perms[t][left]):
                    return False
        return True

    # -- multiplication ---------------------------------------------------------------------
    @property
    def cayley_table(self) -> np.ndarray:
        """Read-only ``(n, n)`` int32 array, ``cayley_table[i, j]`` = index of ``g_i g_j``.

        Raises
        ------
        GroupTooLargeError
            If the order exceeds :attr:`max_table_order` (the table needs ``4 n^2`` bytes).
        """
        n = self.order
        if n > self._max_table_order:
            raise GroupTooLargeError(
                f"Cayley table of a group of order {n} needs {4 * n * n / 2**30:.1f} GiB "
                f"(max_table_order={self._max_table_order})"
            )

        def build() -> np.ndarray:
            order, parent, letter, _ = self.spanning_tree
            rows = _k.cayley_rows.for_work(n * n)
            return readonly(rows(order, parent, letter, self.letter_perms))

        return self.memo("table", build)

    def has_cayley_table(self) -> bool:
        """Whether :attr:`cayley_table` is built, or cheap enough to be built on first use."""
        return "table" in self._cache or self.order <= min(self._max_table_order, 8192)

    @property
    def arithmetic(self) -> Arithmetic | None:
        """The element arithmetic (memoized): products, inverses, powers and orders in time
        independent of the group's diameter (:mod:`grouptools.groups._arithmetic`).

        From the construction record (:attr:`structure`), else the Cayley table (order <= 8192),
        else derived (:func:`grouptools.groups._derived.derive_arithmetic`: abelian invariants,
        a polycyclic presentation, base images of a permutation action), else ``None``
        (products then walk the spanning tree).

        Examples
        --------
        >>> import grouptools as gt
        >>> type(gt.dihedral(5000).arithmetic).__name__
        'SemidirectArithmetic'
        """
        cache = self._cache
        if "arith" in cache:
            return cache["arith"]
        cache["arith"] = None  # while it is built, products use the table or the tree
        try:
            arith = self._build_arithmetic()
        except BaseException:
            del cache["arith"]
            raise
        cache["arith"] = arith
        return arith

    def _build_arithmetic(self) -> Arithmetic | None:
        from ._derived import group_arithmetic

        return group_arithmetic(self)

    def multiply(self, a: Any, b: Any) -> Any:
        """Index of ``g_a * g_b`` (vectorized over arrays of indices).

        Uses the Cayley table when it is built, else :attr:`arithmetic`.

        Examples
        --------
        >>> import grouptools as gt
        >>> G = gt.cyclic(5)
        >>> G.multiply(3, 4)
        2
        """
        a_arr, b_arr = self._check_pair(a, b)
        out = self._multiply(a_arr, b_arr)
        return int(out) if out.ndim == 0 else out

    def _multiply(self, a_arr: np.ndarray, b_arr: np.ndarray) -> np.ndarray:
        """``multiply`` on checked index arrays of the same shape."""
        if "table" in self._cache:
            return self._cache["table"][a_arr, b_arr]
        arith = self.arithmetic
        if arith is not None:
            return arith.multiply(a_arr, b_arr)
        _, parent, letter, _ = self.spanning_tree
        return _k.multiply_pairs(
            self.letter_perms,
            parent,
            letter,
            a_arr.ravel().astype(np.int32),
            b_arr.ravel().astype(np.int32),
        ).reshape(a_arr.shape)

    def _check_elements(self, x: Any, what: str = "element indices") -> np.ndarray:
        """``x`` as an integer array of element indices.

        Raises ParameterTypeError unless the entries are integers, ElementError (an IndexError)
        unless they lie in ``0..order-1``.
        """
        arr = integer_array(x, what)
        if arr.size and (arr.min() < 0 or arr.max() >= self.order):
            bad = arr[(arr < 0) | (arr >= self.order)].flat[0]
            raise ElementError(f"{what} must lie in 0..{self.order - 1}, got {int(bad)}")
        return arr

    def _check_pair(self, a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
        a_arr = self._check_elements(a)
        b_arr = self._check_elements(b)
        try:
            a_arr, b_arr = np.broadcast_arrays(a_arr, b_arr)
        except ValueError:
            raise ParameterError(
                f"element arrays of shapes {a_arr.shape} and {b_arr.shape} do not broadcast"
            ) from None
        return a_arr, b_arr

    def _index(self, x: Any, what: str = "element index") -> int:
        """``x`` as one element index (ParameterTypeError / ElementError otherwise)."""
        if isinstance(x, np.ndarray) and x.ndim == 0:
            x = x[()]
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)):
            raise ParameterTypeError(f"{what} must be an int, got {quote(x)}")
        if not 0 <= x < self.order:
            raise ElementError(f"{what} must lie in 0..{self.order - 1}, got {int(x)}")
        return int(x)

    def _indices(self, elements: Any, what: str = "elements") -> list[int]:
        """An iterable of element indices as a list of ints."""
        if isinstance(elements, np.ndarray):
            return [int(x) for x in self._check_elements(elements, what).ravel()]
        if isinstance(elements, (str, bytes)) or not hasattr(elements, "__iter__"):
            raise ParameterTypeError(
                f"{what} must be an iterable of element indices, got {quote(elements)}"
            )
        return [self._index(x) for x in elements]

    def left_multiplication(self, s: int) -> np.ndarray:
        """Left multiplication ``x -> g_s * g_x`` as an index array of length ``|G|``.

        Examples
        --------
        >>> import grouptools as gt
        >>> gt.cyclic(4).left_multiplication(1).tolist()
        [1, 2, 3, 0]
        """
        arith = None if "table" in self._cache else self.arithmetic
        if arith is not None:
            return arith.multiply(np.int64(s), np.arange(self.order, dtype=np.int64))
        order, parent, letter, _ = self.spanning_tree
        return _k.tree_apply.for_work(self.order)(order, parent, letter, self.letter_perms, s)

    def right_multiplication(self, s: int) -> np.ndarray:
        """Right multiplication ``x -> g_x * g_s`` as an index array of length ``|G|``."""
        if "table" in self._cache:
            return self._cache["table"][:, s]
        arith = self.arithmetic
        if arith is not None:
            return arith.multiply(np.arange(self.order, dtype=np.int64), np.int64(s))
        order, parent, letter, _ = self.spanning_tree
        letters = self.letter_perms
        perm = np.arange(self.order, dtype=np.int32)
        for t in self.letter_word(s):
            perm = letters[t][perm]
        return perm

    def letter_word(self, x: int) -> list[int]:
        """The word of element ``x`` along :attr:`spanning_tree`, as letters (``2s`` = generator
        ``s``, ``2s + 1`` = its inverse); shortlex least among the shortest words."""
        _, parent, letter, _ = self.spanning_tree
        word = []
        while x != 0:
            word.append(int(letter[x]))
            x = int(parent[x])
        word.reverse()
        return word

    @property
    def inverse(self) -> np.ndarray:
        """Read-only array: ``inverse[i]`` is the index of ``g_i^-1``."""

        def build() -> np.ndarray:
            arith = self.arithmetic
            if arith is not None:
                return readonly(arith.inverse(np.arange(self.order, dtype=np.int64)))
            order, parent, letter, _ = self.spanning_tree
            k = self._perms.shape[0]
            # g_x = g_p * t  =>  g_x^-1 = t^-1 * g_p^-1 : left multiplication by t^-1
            lefts = np.empty((2 * k, self.order), np.int32)
            for s in range(k):
                inv_s = int(self.letter_perms[2 * s + 1, 0])
                lefts[2 * s] = self.left_multiplication(inv_s)  # letter a: left-multiply by a^-1
                lefts[2 * s + 1] = self.left_multiplication(int(self._perms[s, 0]))
            return readonly(_k.tree_apply.for_work(self.order)(order, parent, letter, lefts, 0))

        return self.memo("inverse", build)

    def power(self, a: Any, e: int | np.ndarray) -> Any:
        """``g_a ** e`` by repeated squaring (vectorized; negative ``e`` allowed)."""
        n = self.order
        if isinstance(e, int) and not isinstance(e, bool):
            e = e % n  # g^n = 1: also keeps huge exponents in range
        a_arr = self._check_elements(a)
        try:  # exponents are any integers, not element indices
            a_arr, e_arr = np.broadcast_arrays(a_arr, self._check_exponents(e))
        except ValueError as exc:
            raise ParameterError(f"elements and exponents do not broadcast: {exc}") from None
        e_arr = np.mod(e_arr, n).astype(np.int64)
        out = power(SimpleNamespace(multiply=self._multiply), a_arr, e_arr)  # table, arithmetic or tree
        return int(out) if out.ndim == 0 else out

    def _check_exponents(self, e: Any) -> np.ndarray:
        return integer_array(e, "exponents")

    def conjugate(self, a: Any, b: Any) -> Any:
        """``g_b^-1 g_a g_b`` (GAP's ``a^b``), vectorized."""
        a, b = self._check_pair(a, b)
        return self.multiply(self.multiply(self.inverse[np.asarray(b)], a), b)

    def commutator(self, a: Any, b: Any) -> Any:
        """``[a, b] = a^-1 b^-1 a b``, vectorized."""
        a, b = self._check_pair(a, b)
        inv = self.inverse
        return self.multiply(self.multiply(inv[np.asarray(a)], inv[np.asarray(b)]),
                             self.multiply(a, b))

    # -- representation theory --------------------------------------------------------------
    def character_table(self) -> Any:
        """The exact character table (memoized); see :func:`grouptools.character_table`.

        Examples
        --------
        >>> import grouptools as gt
        >>> gt.symmetric(3).character_table().degrees
        (1, 1, 2)
        """
        from ..reps._api import character_table

        return character_table(self)

    def irreps(self, *, adapted_to: Any = None) -> Any:
        """The irreducible unitary representations (memoized), in character-table order: a
        sequence, lazy for large groups; see :func:`grouptools.irreps`.

        ``adapted_to``: a chain of subgroups ``G > G_{m-1} > ... > 1`` (a sequence of
        :class:`Subgroup`, or ``"default"`` for :func:`grouptools.reps.default_chain`): the same
        irreps in Gel'fand-Tsetlin bases, each restricting block-diagonally to every group of the
        chain with that group's adapted irreps in the blocks
        (:func:`grouptools.reps.adapted_irreps`; Young's orthogonal form for symmetric groups).

        Examples
        --------
        >>> import grouptools as gt
        >>> A = gt.alternating(5).irreps(adapted_to="default")
        >>> [H.order for H in A.chain], A.dims
        ([60, 12, 4, 2, 1], (1, 3, 3, 4, 5))
        """
        if adapted_to is None:
            from ..reps._api import irreps

            return irreps(self)
        from ..reps._api import adapted_to_chain

        return adapted_to_chain(self, adapted_to)

    def real_irreps(self) -> Any:
        """The irreducible real representations (memoized), each with its type ``"real"``,
        ``"complex"`` or ``"quaternionic"``; see :func:`grouptools.reps._api.real_irreps`."""
        from ..reps._api import real_irreps

        return real_irreps(self)

    def regular_representation(self) -> Any:
        """The left regular representation as a :class:`~grouptools.Representation` (exact,
        a permutation of the elements); see :func:`grouptools.reps._api.regular_representation`.

        Examples
        --------
        >>> import grouptools as gt
        >>> gt.cyclic(3).regular_representation().dim
        3
        """
        from ..reps._api import regular_representation

        return regular_representation(self)

    def permutation_representation(self, subgroup: Subgroup) -> Any:
        """The permutation representation on the left cosets of ``subgroup`` (the homogeneous
        space ``G/H``, points labelled by coset representatives); see
        :func:`grouptools.reps._api.permutation_representation`."""
        from ..reps._api import permutation_representation

        return permutation_representation(self, subgroup)

    @classmethod
    def from_cayley_table(
        cls, table: Any, *, name: str | None = None, max_order: int = 20000
    ) -> FiniteGroup:
        """Build a group from its Cayley table, validating the group axioms (Light's test).

        See :func:`grouptools.groups._tables.from_cayley_table` for the checks.

        Examples
        --------
        >>> import grouptools as gt
        >>> gt.FiniteGroup.from_cayley_table([[0, 1], [1, 0]]).order
        2
        """
        from ._tables import from_cayley_table

        return from_cayley_table(cls, table, name=name, max_order=max_order)


def _rebuild(perms, names, presentation, structure, name) -> FiniteGroup:
    return FiniteGroup(perms, names, presentation=presentation, structure=structure, name=name, _checked=True)
