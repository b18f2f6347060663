"""The immutable :class:`FiniteGroup` and its subgroups.

A finite group is stored as its right-regular permutation representation on the generators: the
coset table of the trivial subgroup, as Todd-Coxeter produces it. Everything else (words, the
Cayley table, inverses, classes, subgroups) is derived from it on demand and memoized.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple, Sequence, TypeVar

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from .._kernels import group as _k
from ..arith._numtheory import prime_factors
from .._errors import (
    ElementError,
    GroupTooLargeError,
    InvalidGroupError,
    ParameterError,
    ParameterTypeError,
    check_limit,
    quote,
)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

T = TypeVar("T")


class SpanningTree(NamedTuple):
    """The BFS spanning tree of a group's right Cayley graph (see
    :attr:`FiniteGroup.spanning_tree`)."""

    order: np.ndarray
    parent: np.ndarray
    letter: np.ndarray
    depth: np.ndarray


    from ..presentations._parse import Presentation

__all__ = ["FiniteGroup", "Subgroup", "ConjugacyClass", "DEFAULT_MAX_TABLE_ORDER"]

#: Largest order for which :attr:`FiniteGroup.cayley_table` is built (int32: 4 n^2 bytes).
DEFAULT_MAX_TABLE_ORDER = 16384


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class ConjugacyClass:
    """A conjugacy class: its representative (smallest element index), size and elements."""

    representative: int
    size: int
    elements: np.ndarray
    order: int

    def __len__(self) -> int:
        return self.size

    def __contains__(self, x: object) -> bool:
        return bool(np.any(self.elements == x))


class FiniteGroup:
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
            perms = _integer_array(right_perms, "right_perms")
        if perms.ndim != 2:
            raise InvalidGroupError("right_perms must have shape (number of generators, order)")
        k, n = perms.shape
        if n < 1:
            raise InvalidGroupError("a group has at least one element")
        if generator_names is None:
            generator_names = _default_names(k)
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
        perms = _readonly(perms.astype(np.int32))
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
            return _readonly(out)

        return self.memo("letters", build)

    @property
    def spanning_tree(self) -> SpanningTree:
        """The shortlex breadth-first spanning tree of the right Cayley graph (memoized).

        ``g_x = g_parent[x] * letter[x]`` for ``x != 0``; ``order`` lists the elements in BFS
        order, ``depth[x]`` is the word length of ``x``. Letters as in :attr:`letter_perms`.
        Layers above use it to evaluate homomorphisms element by element along the tree.
        """
        return self.memo(
            "tree", lambda: SpanningTree(*(_readonly(a) for a in _k.bfs_tree(self.letter_perms)))
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
            return _readonly(_k.cayley_rows(order, parent, letter, self.letter_perms))

        return self.memo("table", build)

    def has_cayley_table(self) -> bool:
        """Whether :attr:`cayley_table` is built, or cheap enough to be built on first use."""
        return "table" in self._cache or self.order <= min(self._max_table_order, 8192)

    def multiply(self, a: Any, b: Any) -> Any:
        """Index of ``g_a * g_b`` (vectorized over arrays of indices).

        Examples
        --------
        >>> import grouptools as gt
        >>> G = gt.cyclic(5)
        >>> G.multiply(3, 4)
        2
        """
        a_arr, b_arr = self._check_pair(a, b)
        if self.has_cayley_table():
            out = self.cayley_table[a_arr, b_arr]
        else:
            _, parent, letter, _ = self.spanning_tree
            out = _k.multiply_pairs(
                self.letter_perms,
                parent,
                letter,
                a_arr.ravel().astype(np.int32),
                b_arr.ravel().astype(np.int32),
            ).reshape(a_arr.shape)
        return int(out) if out.ndim == 0 else out

    def _check_elements(self, x: Any, what: str = "element indices") -> np.ndarray:
        """``x`` as an integer array of element indices.

        Raises ParameterTypeError unless the entries are integers, ElementError (an IndexError)
        unless they lie in ``0..order-1``.
        """
        arr = _integer_array(x, what)
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
        order, parent, letter, _ = self.spanning_tree
        return _k.tree_apply(order, parent, letter, self.letter_perms, s)

    def right_multiplication(self, s: int) -> np.ndarray:
        """Right multiplication ``x -> g_x * g_s`` as an index array of length ``|G|``."""
        if "table" in self._cache:
            return self._cache["table"][:, s]
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
            order, parent, letter, _ = self.spanning_tree
            k = self._perms.shape[0]
            # g_x = g_p * t  =>  g_x^-1 = t^-1 * g_p^-1 : left multiplication by t^-1
            lefts = np.empty((2 * k, self.order), np.int32)
            for s in range(k):
                inv_s = int(self.letter_perms[2 * s + 1, 0])
                lefts[2 * s] = self.left_multiplication(inv_s)  # letter a: left-multiply by a^-1
                lefts[2 * s + 1] = self.left_multiplication(int(self._perms[s, 0]))
            return _readonly(_k.tree_apply(order, parent, letter, lefts, 0))

        return self.memo("inverse", build)

    def power(self, a: Any, e: int | np.ndarray) -> Any:
        """``g_a ** e`` by repeated squaring (vectorized; negative ``e`` allowed)."""
        n = self.order
        if isinstance(e, int) and not isinstance(e, bool):
            e = e % n  # g^n = 1: also keeps huge exponents in range
        a_arr, e_arr = self._check_pair(a, self._check_exponents(e))
        base = a_arr.astype(np.int32)
        e_arr = np.mod(e_arr, n).astype(np.int64)
        result = np.zeros(base.shape, np.int32)
        while np.any(e_arr > 0):
            odd = (e_arr & 1) == 1
            if np.any(odd):
                result = np.where(odd, self.multiply(result, base), result)
            e_arr = e_arr >> 1
            if np.any(e_arr > 0):
                base = self.multiply(base, base)
        return int(result) if result.ndim == 0 else result

    def _check_exponents(self, e: Any) -> np.ndarray:
        return _integer_array(e, "exponents")

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

    # -- orders ---------------------------------------------------------------------------
    @property
    def element_orders(self) -> np.ndarray:
        """Read-only array of the orders of all elements."""

        def build() -> np.ndarray:
            n = self.order
            inv = getattr(self._structure, "invariants", None)
            if inv is not None:  # abelian product: lcm of the coordinate orders
                coords = np.indices(inv).reshape(len(inv), -1)
                ords = np.ones(n, np.int64)
                for c, m in zip(coords, inv):
                    ords = np.lcm(ords, m // np.gcd(c, m))
                return _readonly(ords)
            elems = np.arange(n, dtype=np.int32)
            orders = np.full(n, n, dtype=np.int64)
            for p in prime_factors(n):
                while True:
                    cand = orders % p == 0
                    if not np.any(cand):
                        break
                    idx = np.nonzero(cand)[0]
                    pw = np.asarray(self.power(elems[idx], orders[idx] // p))
                    hit = pw == 0
                    if not np.any(hit):
                        break
                    orders[idx[hit]] //= p
            return _readonly(orders)

        return self.memo("orders", build)

    def element_order(self, x: int) -> int:
        """Order of the single element ``x``."""
        x = self._index(x)
        if "orders" in self._cache:
            return int(self._cache["orders"][x])
        o = self.order
        for p in prime_factors(self.order):
            while o % p == 0 and self.power(x, o // p) == 0:
                o //= p
        return o

    @property
    def exponent(self) -> int:
        """Least common multiple of the element orders."""
        return reduce(math.lcm, (c.order for c in self.conjugacy_classes()), 1)

    # -- words ----------------------------------------------------------------------------
    def word(self, i: int) -> str:
        """Shortlex normal form of element ``i`` as a word in the generators (GAP syntax).

        Words are minimal length over ``a, a^-1, b, b^-1, ...`` and shortlex least among those.
        The identity is ``'1'``.
        """
        from ..presentations._parse import format_word

        i = self._index(i)
        word = [(t // 2 + 1) * (1 if t % 2 == 0 else -1) for t in self.letter_word(i)]
        return format_word(word, self._names)

    def element(self, word: str | Sequence[int] | int) -> int:
        """Index of the element given by a word: a string in GAP syntax, or a sequence of
        letters (``s + 1`` for generator ``s``, ``-(s + 1)`` for its inverse). An int is taken
        as an element index and returned after a range check.

        Raises
        ------
        PresentationSyntaxError
            If the word does not parse or names an unknown generator.
        ElementError
            If a letter or an element index is out of range (an :class:`IndexError`).
        ParameterTypeError
            If ``word`` is neither a str, a sequence of ints nor an int.

        Examples
        --------
        >>> import grouptools as gt
        >>> G = gt.dihedral(4)
        >>> G.element("r*s"), G.element([1, 2]), G.element(5)
        (5, 5, 5)
        """
        from ..presentations._parse import parse_word

        if isinstance(word, (int, np.integer)) and not isinstance(word, (bool, np.bool_)):
            return self._index(word)
        if isinstance(word, str):
            letters: Sequence[Any] = parse_word(word, self._names)
        elif isinstance(word, bytes) or not hasattr(word, "__iter__"):
            raise ParameterTypeError(
                f"a word must be a str or a sequence of ints, got {quote(word)}"
            )
        else:
            letters = list(np.asarray(word).ravel()) if isinstance(word, np.ndarray) else list(word)
        x = 0
        lt = self.letter_perms
        k = len(self._names)
        for c in letters:
            if isinstance(c, (bool, np.bool_)) or not isinstance(c, (int, np.integer)):
                raise ParameterTypeError(f"a letter must be a nonzero int, got {quote(c)}")
            c = int(c)
            if c == 0 or abs(c) > k:
                raise ElementError(
                    f"letter {c} out of range for {k} generators (1 <= |letter| <= {k})"
                )
            x = int(lt[2 * (abs(c) - 1) + (0 if c > 0 else 1), x])
        return x

    @property
    def presentation(self) -> Presentation:
        """A presentation on :attr:`generator_names` that defines this group.

        Either the one the group was built from, or Schreier's presentation read off a spanning
        tree of the Cayley graph (one relator per non-tree edge: correct, not short).
        """
        if self._presentation is not None:
            return self._presentation
        return self.memo("schreier", self._schreier_presentation)

    @property
    def defining_presentation(self) -> Presentation | None:
        """The presentation the group was built from, or ``None`` (no Schreier fallback)."""
        return self._presentation

    def _schreier_presentation(self) -> Presentation:
        from ..presentations._parse import Presentation, free_reduce

        order, parent, letter, _ = self.spanning_tree
        words: dict[int, tuple[int, ...]] = {0: ()}
        for x in order[1:]:
            t = int(letter[x])
            words[int(x)] = words[int(parent[x])] + ((t // 2 + 1) * (1 if t % 2 == 0 else -1),)
        rels: set[tuple[int, ...]] = set()
        k = len(self._names)
        for s in range(k):
            for x in range(self.order):
                y = int(self._perms[s, x])
                rel = free_reduce(words[x] + (s + 1,) + tuple(-c for c in reversed(words[y])))
                if rel:
                    rels.add(_min_rotation(rel))
        return Presentation(self._names, tuple(sorted(rels, key=lambda r: (len(r), r))))

    # -- structure ------------------------------------------------------------------------
    @property
    def is_abelian(self) -> bool:
        """Whether all generators commute."""
        gens = self.generators
        return all(
            self.multiply(a, b) == self.multiply(b, a) for i, a in enumerate(gens) for b in gens[i + 1 :]
        )

    def conjugation_perms(self) -> np.ndarray:
        """Read-only ``(k, n)`` array, row ``s``: ``x -> s^-1 x s`` for generator ``s``."""

        def build() -> np.ndarray:
            k = len(self._names)
            out = np.empty((k, self.order), np.int32)
            for s in range(k):
                left_inv = self.left_multiplication(int(self.letter_perms[2 * s + 1, 0]))
                out[s] = self._perms[s][left_inv]
            return _readonly(out)

        return self.memo("conj", build)

    def conjugacy_classes(self) -> tuple[ConjugacyClass, ...]:
        """The conjugacy classes: identity first, then by element order, size, representative.

        Orbits of conjugation by the generators (connected components of the union of the
        conjugation permutations), ``O(n k)``.
        """

        def build() -> tuple[ConjugacyClass, ...]:
            labels = self.class_index
            orders = self.element_orders
            idx = np.argsort(labels, kind="stable")
            bounds = np.flatnonzero(np.diff(labels[idx])) + 1
            groups = np.split(idx.astype(np.int32), bounds)
            classes = []
            for els in groups:
                rep = int(els.min())
                classes.append(
                    ConjugacyClass(rep, int(els.size), _readonly(np.sort(els)), int(orders[rep]))
                )
            classes.sort(key=lambda c: (c.representative != 0, c.order, c.size, c.representative))
            return tuple(classes)

        return self.memo("classes", build)

    @property
    def class_index(self) -> np.ndarray:
        """Read-only array mapping each element to the index of its conjugacy class
        (in the order of :meth:`conjugacy_classes`)."""

        def build() -> np.ndarray:
            n = self.order
            conj = self.conjugation_perms()
            k = conj.shape[0]
            rows = np.tile(np.arange(n), k)
            graph = csr_matrix((np.ones(n * k, np.int8), (rows, conj.ravel())), shape=(n, n))
            _, raw = connected_components(graph, directed=True, connection="weak")
            # relabel in the sorted class order
            reps = np.full(raw.max() + 1, n, dtype=np.int64)
            np.minimum.at(reps, raw, np.arange(n))
            sizes = np.bincount(raw)
            orders = self.element_orders[reps]
            keys = sorted(range(len(reps)), key=lambda c: (reps[c] != 0, orders[c], sizes[c], reps[c]))
            relabel = np.empty(len(reps), np.int32)
            relabel[keys] = np.arange(len(reps), dtype=np.int32)
            return _readonly(relabel[raw])

        return self.memo("class_index", build)

    def centre(self) -> Subgroup:
        """The centre ``Z(G)``."""
        conj = self.conjugation_perms()
        fixed = np.all(conj == np.arange(self.order), axis=0)
        return self.subgroup(np.flatnonzero(fixed))

    center = centre

    def subgroup(self, elements: Iterable[int]) -> Subgroup:
        """The subgroup generated by ``elements`` (element indices).

        Raises
        ------
        ElementError
            If an index is out of range (an :class:`IndexError`).
        ParameterTypeError
            If ``elements`` is not an iterable of ints.
        """
        gens = sorted(set(self._indices(elements)) - {0})
        return Subgroup(self, tuple(gens), self.closure(gens))

    def closure(self, gens: Sequence[int]) -> np.ndarray:
        """Sorted element indices of the subgroup generated by ``gens`` (unchecked indices; see
        :meth:`subgroup` for the checked, user-facing version)."""
        n = self.order
        perms = [self.right_multiplication(g) for g in gens]
        seen = np.zeros(n, bool)
        seen[0] = True
        frontier = np.array([0], np.int32)
        while frontier.size:
            new = []
            for p in perms:
                img = p[frontier]
                img = img[~seen[img]]
                img = np.unique(img)
                seen[img] = True
                new.append(img)
            frontier = np.concatenate(new) if new else np.empty(0, np.int32)
        return _readonly(np.flatnonzero(seen).astype(np.int32))

    def normal_closure(self, elements: Iterable[int]) -> Subgroup:
        """The smallest normal subgroup containing ``elements``."""
        return _normal_closure_in(self, self.generators, self._indices(elements))

    def derived_subgroup(self) -> Subgroup:
        """The commutator subgroup ``[G, G]``."""
        gens = self.generators
        comms = [int(self.commutator(a, b)) for a in gens for b in gens]
        return self.normal_closure(comms)

    def derived_series(self) -> tuple[Subgroup, ...]:
        """``G = G^(0) > G^(1) > ...`` until it stabilizes (each as a subgroup of ``G``)."""

        def build() -> tuple[Subgroup, ...]:
            series = [self.subgroup(self.generators)]
            while True:
                top = series[-1]
                gens = top.generators
                comms = [int(self.commutator(a, b)) for a in gens for b in gens]
                nxt = _normal_closure_in(self, top.generators, comms)
                if nxt.order == top.order:
                    return tuple(series)
                series.append(nxt)

        return self.memo("derived_series", build)

    @property
    def is_solvable(self) -> bool:
        """Whether the derived series reaches the trivial group."""
        return self.derived_series()[-1].order == 1

    @property
    def is_nilpotent(self) -> bool:
        """Whether the lower central series reaches the trivial group."""
        current = self.subgroup(self.generators)
        while current.order > 1:
            comms = [int(self.commutator(a, b)) for a in self.generators for b in current.generators]
            nxt = _normal_closure_in(self, self.generators, comms)
            if nxt.order == current.order:
                return False
            current = nxt
        return True

    def cosets(self, subgroup: Subgroup, side: str = "left") -> tuple[np.ndarray, np.ndarray]:
        """Partition into cosets of ``subgroup``.

        Returns ``(labels, representatives)``: ``labels[i]`` is the coset of element ``i``
        (left cosets ``gH`` for ``side="left"``, right cosets ``Hg`` for ``side="right"``) and
        ``representatives[c]`` the smallest element of coset ``c``.
        """
        _check_subgroup(subgroup)
        if subgroup.parent is not self:
            raise InvalidGroupError("the subgroup belongs to another group")
        if side not in ("left", "right"):
            raise ParameterError(f"side must be 'left' or 'right', got {quote(side)}")
        n = self.order
        if side == "left":  # gH: orbits of right multiplication by H's generators
            perms = [self.right_multiplication(h) for h in subgroup.generators]
        else:  # Hg: orbits of left multiplication
            perms = [self.left_multiplication(h) for h in subgroup.generators]
        if perms:
            rows = np.tile(np.arange(n), len(perms))
            cols = np.concatenate(perms)
            graph = csr_matrix((np.ones(rows.size, np.int8), (rows, cols)), shape=(n, n))
            _, raw = connected_components(graph, directed=True, connection="weak")
        else:
            raw = np.arange(n)
        reps = np.full(raw.max() + 1, n, dtype=np.int64)
        np.minimum.at(reps, raw, np.arange(n))
        order = np.argsort(reps)
        relabel = np.empty_like(order)
        relabel[order] = np.arange(order.size)
        return _readonly(relabel[raw].astype(np.int32)), _readonly(reps[order].astype(np.int32))

    def cayley_graph(self) -> nx.DiGraph:
        """The right Cayley graph: an edge ``g -> g*s`` labelled ``generator=s`` per generator.

        Examples
        --------
        >>> import grouptools as gt
        >>> g = gt.cyclic(4).cayley_graph()
        >>> g.number_of_nodes(), g.number_of_edges(), g.edges[0, 1]["generator"]
        (4, 4, 'a')
        """
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(range(self.order))
        for s, name in enumerate(self._names):
            graph.add_edges_from(
                (int(x), int(y), {"generator": name}) for x, y in enumerate(self._perms[s])
            )
        return graph

    # -- representation theory --------------------------------------------------------------
    def character_table(self) -> Any:
        """The exact character table (memoized); see :func:`grouptools.character_table`.

        Examples
        --------
        >>> import grouptools as gt
        >>> gt.symmetric(3).character_table().degrees
        (1, 1, 2)
        """
        from ..reps._chartable import character_table

        return character_table(self)

    def irreps(self) -> tuple:
        """The irreducible unitary representations (memoized), in character-table order;
        see :func:`grouptools.irreps`."""
        from ..reps._irreps import irreps

        return irreps(self)

    # -- constructors ---------------------------------------------------------------------
    @classmethod
    def from_cayley_table(
        cls, table: Any, *, name: str | None = None, max_order: int = 20000
    ) -> FiniteGroup:
        """Build a group from its Cayley table, validating the group axioms.

        ``table[i, j]`` is the index of ``g_i g_j``; element 0 must be the identity. The table is
        checked to be a Latin square with identity 0, and associativity is checked by Light's
        test on a generating set (associativity holds iff ``x(ys) = (xy)s`` for all x, y and
        every generator s). A small generating set is chosen greedily.

        Raises
        ------
        InvalidGroupError
            Naming the axiom that fails (with a witness).
        """
        max_order = check_limit("max_order", max_order)
        try:
            t = np.asarray(table)
        except (TypeError, ValueError):  # ragged rows
            raise InvalidGroupError("a Cayley table must be a non-empty square array") from None
        if t.ndim != 2 or t.shape[0] != t.shape[1] or t.shape[0] == 0:
            raise InvalidGroupError("a Cayley table must be a non-empty square array")
        n = t.shape[0]
        if n > max_order:
            raise GroupTooLargeError(f"Cayley table of order {n} exceeds max_order={max_order}")
        if not np.issubdtype(t.dtype, np.integer):
            raise InvalidGroupError("Cayley table entries must be integers")
        if t.min() < 0 or t.max() >= n:
            raise InvalidGroupError(f"Cayley table entries must lie in 0..{n - 1}")
        t = t.astype(np.int32)
        ar = np.arange(n)
        if not (np.array_equal(t[0], ar) and np.array_equal(t[:, 0], ar)):
            ident = [e for e in range(n) if np.array_equal(t[e], ar) and np.array_equal(t[:, e], ar)]
            where = f"the identity is element {ident[0]}" if ident else "there is no identity"
            raise InvalidGroupError(f"element 0 is not the identity ({where})")
        for i in range(n):
            if np.bincount(t[i], minlength=n).max() != 1:
                raise InvalidGroupError(f"row {i} is not a permutation (no left cancellation)")
            if np.bincount(t[:, i], minlength=n).max() != 1:
                raise InvalidGroupError(f"column {i} is not a permutation (missing inverses)")
        # greedy generating set
        gens: list[int] = []
        inside = np.zeros(n, bool)
        inside[0] = True
        while not inside.all():
            g = int(np.flatnonzero(~inside)[0])
            gens.append(g)
            inside[:] = False
            inside[0] = True
            frontier = [0]
            while frontier:
                f = np.array(frontier)
                nxt = np.unique(t[np.ix_(f, gens)].ravel())
                nxt = nxt[~inside[nxt]]
                inside[nxt] = True
                frontier = nxt.tolist()
        for s in gens:  # Light's associativity test
            lhs = t[:, t[:, s]]  # x (y s)
            rhs = t[t, s]  # (x y) s
            bad = np.argwhere(lhs != rhs)
            if bad.size:
                x, y = (int(v) for v in bad[0])
                raise InvalidGroupError(f"not associative: ({x}*{y})*{s} != {x}*({y}*{s})")
        perms = t[:, gens].T
        G = cls(perms, _default_names(len(gens)), name=name)
        G.memo("table", lambda: _readonly(t.copy()))
        return G

    def is_subgroup_normal(self, subgroup: Subgroup) -> bool:
        """Whether ``subgroup`` is normal in this group."""
        _check_subgroup(subgroup)
        if subgroup.parent is not self and subgroup.parent != self:
            raise InvalidGroupError("the subgroup belongs to another group")
        inside = np.zeros(self.order, bool)
        inside[subgroup.elements] = True
        conj = self.conjugation_perms()
        return all(inside[c[subgroup.elements]].all() for c in conj)


def _normal_closure_in(G: FiniteGroup, conjugators: Sequence[int], elements: Iterable[int]) -> Subgroup:
    """Closure of ``<elements>`` under conjugation by ``conjugators`` (the normal closure in the
    subgroup they generate)."""
    gens = sorted({int(x) for x in elements} - {0})
    members = G.closure(gens)
    while True:
        inside = np.zeros(G.order, bool)
        inside[members] = True
        extra = next((c for g in gens for h in conjugators
                      if not inside[c := int(G.conjugate(g, h))]), None)
        if extra is None:
            return Subgroup(G, tuple(gens), members)
        gens = sorted(set(gens) | {extra})
        members = G.closure(gens)


class Subgroup:
    """A subgroup of a :class:`FiniteGroup`, as a sorted array of element indices.

    Attributes
    ----------
    parent : FiniteGroup
    generators : tuple of int
        Generating elements (indices in ``parent``).
    elements : ndarray
        Sorted indices of its elements in ``parent``.
    """

    __slots__ = ("parent", "generators", "elements", "_group")

    def __init__(self, parent: FiniteGroup, generators: tuple[int, ...], elements: np.ndarray):
        object.__setattr__(self, "parent", parent)
        object.__setattr__(self, "generators", generators)
        object.__setattr__(self, "elements", elements)
        object.__setattr__(self, "_group", None)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("Subgroup is immutable")

    @property
    def order(self) -> int:
        """Number of elements."""
        return int(self.elements.size)

    @property
    def index(self) -> int:
        """Index in the parent group."""
        return self.parent.order // self.order

    def __len__(self) -> int:
        return self.order

    def __contains__(self, x: object) -> bool:
        i = np.searchsorted(self.elements, x)
        return bool(i < self.elements.size and self.elements[i] == x)

    def __repr__(self) -> str:
        return f"<Subgroup of order {self.order} (index {self.index}) of {self.parent!r}>"

    @property
    def is_normal(self) -> bool:
        """Whether the subgroup is normal in its parent."""
        return self.parent.is_subgroup_normal(self)

    def as_group(self) -> tuple[FiniteGroup, np.ndarray]:
        """The subgroup as a :class:`FiniteGroup` and the embedding (its element j -> parent index).

        Generators are named after their words in the parent group.
        """
        if self._group is None:
            G = self.parent
            gens = self.generators
            m = self.order
            pos = np.full(G.order, -1, np.int64)
            pos[self.elements] = np.arange(m)
            if gens:
                perms = np.stack([pos[G.right_multiplication(g)[self.elements]] for g in gens])
            else:
                perms = np.zeros((0, 1), np.int64)
            # renumber so that the identity (parent 0) is 0: it is already first (sorted, 0 in H)
            names = [G.word(g) for g in gens]
            names = [n if n.isidentifier() else f"x{i + 1}" for i, n in enumerate(names)]
            if len(set(names)) != len(names):
                names = _default_names(len(gens))
            H = FiniteGroup(perms, names, _checked=True)
            object.__setattr__(self, "_group", (H, self.elements))
        return self._group


def _integer_array(x: Any, what: str) -> np.ndarray:
    """``x`` as an int64 array; ParameterTypeError unless its entries are integers (an empty
    float array, e.g. ``np.asarray([])``, counts as integer)."""
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):  # ragged nested sequences
        raise ParameterTypeError(f"{what} must be an array of integers, got {quote(x)}") from None
    if arr.dtype.kind not in "iu":
        if not (arr.size == 0 and arr.dtype.kind == "f"):
            raise ParameterTypeError(f"{what} must be integers, got {quote(x)}")
    return arr.astype(np.int64, copy=False)


def _check_subgroup(subgroup: Any) -> None:
    if not isinstance(subgroup, Subgroup):
        raise ParameterTypeError(f"expected a Subgroup, got {type(subgroup).__name__}")


def _rebuild(perms, names, presentation, structure, name) -> FiniteGroup:
    return FiniteGroup(perms, names, presentation=presentation, structure=structure, name=name, _checked=True)


def _default_names(k: int) -> tuple[str, ...]:
    if k <= 26:
        return tuple(chr(ord("a") + i) for i in range(k))
    return tuple(f"g{i + 1}" for i in range(k))


def _min_rotation(word: tuple[int, ...]) -> tuple[int, ...]:
    """Canonical cyclic conjugate of a relator (for deduplication)."""
    return min(word[i:] + word[:i] for i in range(len(word))) if word else word
