"""Groups from Cayley tables: the group axioms checked, associativity by Light's test."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import GroupTooLargeError, InvalidGroupError, check_limit
from ._arrays import default_names, readonly

if TYPE_CHECKING:  # pragma: no cover
    from ._group import FiniteGroup

__all__ = ["from_cayley_table"]


def from_cayley_table(
    cls: type[FiniteGroup], table: Any, *, name: str | None = None, max_order: int = 20000
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
    G = cls(perms, default_names(len(gens)), name=name)
    G.memo("table", lambda: readonly(t.copy()))
    return G
