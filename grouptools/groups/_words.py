"""Words of a :class:`~grouptools.FiniteGroup` (a mixin): normal forms, parsing, presentations
and the Cayley graph.

Words are shortlex least among the shortest words along the breadth-first spanning tree of the
right Cayley graph (:attr:`~grouptools.FiniteGroup.spanning_tree`); a group without a stored
presentation gets Schreier's, one relator per non-tree edge (Schreier 1927; Holt, Eick and
O'Brien, *Handbook of Computational Group Theory*, 2005, sec. 2.4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from .._errors import ElementError, ParameterTypeError, quote

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..presentations import Presentation

__all__ = ["WordsMixin"]


class WordsMixin:
    """Words, presentations and the Cayley graph; mixed into :class:`~grouptools.FiniteGroup`."""

    __slots__ = ()

    # -- words ----------------------------------------------------------------------------
    def word(self, i: int) -> str:
        """Shortlex normal form of element ``i`` as a word in the generators (GAP syntax).

        Words are minimal length over ``a, a^-1, b, b^-1, ...`` and shortlex least among those.
        The identity is ``'1'``.
        """
        from ..presentations import format_word

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
        from ..presentations import parse_word

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
        from ._graphs import schreier_presentation

        return self.memo("schreier", lambda: schreier_presentation(self))

    @property
    def defining_presentation(self) -> Presentation | None:
        """The presentation the group was built from, or ``None`` (no Schreier fallback)."""
        return self._presentation

    def cayley_graph(self) -> nx.DiGraph:
        """The right Cayley graph: an edge ``g -> g*s`` labelled ``generator=s`` per generator.

        Examples
        --------
        >>> import grouptools as gt
        >>> g = gt.cyclic(4).cayley_graph()
        >>> g.number_of_nodes(), g.number_of_edges(), g.edges[0, 1]["generator"]
        (4, 4, 'a')
        """
        from ._graphs import cayley_graph

        return cayley_graph(self)
