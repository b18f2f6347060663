"""A group's right Cayley graph and Schreier's presentation read off its spanning tree."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..presentations import Presentation
    from ..typing import GroupLike

__all__ = ["cayley_graph", "schreier_presentation"]


def schreier_presentation(G: GroupLike) -> Presentation:
    """Schreier's presentation: one relator per non-tree edge of the right Cayley graph
    (cyclically reduced, deduplicated up to rotation; correct, not short)."""
    from ..presentations import Presentation, free_reduce

    order, parent, letter, _ = G.spanning_tree
    words: dict[int, tuple[int, ...]] = {0: ()}
    for x in order[1:]:
        t = int(letter[x])
        words[int(x)] = words[int(parent[x])] + ((t // 2 + 1) * (1 if t % 2 == 0 else -1),)
    rels: set[tuple[int, ...]] = set()
    for s in range(len(G.generator_names)):
        for x in range(G.order):
            y = int(G.right_perms[s, x])
            rel = free_reduce(words[x] + (s + 1,) + tuple(-c for c in reversed(words[y])))
            if rel:
                rels.add(min(rel[i:] + rel[:i] for i in range(len(rel))))
    return Presentation(G.generator_names, tuple(sorted(rels, key=lambda r: (len(r), r))))


def cayley_graph(G: GroupLike) -> nx.DiGraph:
    """The right Cayley graph: an edge ``g -> g*s`` labelled ``generator=s`` per generator."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(range(G.order))
    for s, name in enumerate(G.generator_names):
        graph.add_edges_from(
            (int(x), int(y), {"generator": name}) for x, y in enumerate(G.right_perms[s])
        )
    return graph
