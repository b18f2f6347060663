"""Element arithmetic derived from a group without a construction record.

:func:`derive_arithmetic` tries, in order:

1. **abelian groups** (the generators commute): the relation lattice of the generators from a
   polycyclic normal form (add one generator at a time: its relative order ``m`` and the
   normal form of its ``m``-th power give a triangular basis), its Smith normal form (Smith
   1861) gives the invariants and the coordinates of each generator, and every element its
   exponent vector: :class:`~grouptools.groups._arithmetic.AbelianArithmetic`, relabelled;
2. **a recorded faithful permutation action** (groups from permutations or matrices,
   :mod:`._concrete`): products through base images (:mod:`._permutation`);
3. **solvable groups**: a polycyclic series with tabulated conjugation (:mod:`._polycyclic`).

Each result is checked on the regular action before it is returned: the relabelling is a
bijection and carries right multiplication by every generator to the arithmetic's product
(``O(k |G| depth)``). Every route charges a :class:`~grouptools.groups._regular.Budget`; past
``max_work`` (about one step per array element touched) :func:`derive_arithmetic` gives up and
returns ``None`` (products then walk the spanning tree) instead of running on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._errors import VerificationError
from .._kernels import derived as _kp
from ..arith._lattice import smith_form
from ..arith._numtheory import prime_factors
from ._arithmetic import AbelianArithmetic, Arithmetic, RelabelledArithmetic, TableArithmetic
from ._arrays import readonly
from ._permutation import NATURAL_ACTION, permutation_arithmetic
from ._polycyclic import polycyclic_arithmetic
from ._regular import Budget, WorkLimitExceeded

if TYPE_CHECKING:  # pragma: no cover
    from ._group import FiniteGroup

__all__ = ["DEFAULT_MAX_WORK", "abelian_arithmetic", "derive_arithmetic", "group_arithmetic"]

#: Default work bound of :func:`derive_arithmetic` (steps; a few seconds of numpy and numba).
DEFAULT_MAX_WORK = 1 << 30


def group_arithmetic(G: FiniteGroup) -> Arithmetic | None:
    """The arithmetic of :attr:`FiniteGroup.arithmetic`: from the construction record when there
    is one, else the Cayley table when it is cheap, else :func:`derive_arithmetic`."""
    st = G.structure
    if st is not None and hasattr(st, "arithmetic"):
        return st.arithmetic()
    if G.has_cayley_table():
        table = G.cayley_table
        inv = np.argmin(table, axis=1).astype(np.int64)  # g_i g_j = 1 at j = inverse
        return TableArithmetic(table, readonly(inv), tuple(prime_factors(G.order)))
    return derive_arithmetic(G)


def derive_arithmetic(G: FiniteGroup, max_work: int = DEFAULT_MAX_WORK) -> Arithmetic | None:
    """An arithmetic for ``G`` in ``G``'s own element indices, found from its regular action,
    or ``None`` (not abelian, no recorded action, not solvable, or past ``max_work``).

    Parameters
    ----------
    G : FiniteGroup
        The group (its Cayley table is not used).
    max_work : int
        Bound on the work, in steps of about one array element touched; checked before each
        ``O(|G|)`` stage.

    Examples
    --------
    >>> import numpy as np
    >>> import grouptools as gt
    >>> G = gt.from_presentation("<a, b | a^4, b^6, a*b*a^-1*b^-1>")
    >>> A = derive_arithmetic(G)
    >>> type(A.inner).__name__, A.inner.invariants
    ('AbelianArithmetic', (2, 12))
    >>> x = np.arange(G.order)
    >>> bool(np.array_equal(A.multiply(x, 5), G.cayley_table[:, 5]))
    True
    >>> derive_arithmetic(G, max_work=100) is None
    True
    """
    budget = Budget(max_work)
    try:
        budget.charge(G.order * (len(G.generator_names) + 2))
        if _generators_commute(G, budget):
            return abelian_arithmetic(G, budget)
        arith = permutation_arithmetic(G, G.memo(NATURAL_ACTION), budget)  # checks itself
        if arith is not None:
            return arith
        found = polycyclic_arithmetic(G, budget)
        if found is None:
            return None
        return _checked(G, RelabelledArithmetic.of(*found), budget)
    except WorkLimitExceeded:
        return None


def _generators_commute(G: FiniteGroup, budget: Budget) -> bool:
    P = G.right_perms
    k = P.shape[0]
    budget.charge(G.order * k * k)
    return all(np.array_equal(P[s][P[t]], P[t][P[s]]) for s in range(k) for t in range(s))


def abelian_arithmetic(G: FiniteGroup, budget: Budget | None = None) -> RelabelledArithmetic:
    """The arithmetic of an abelian ``G``: :class:`AbelianArithmetic` on its invariants
    (``d_1 | d_2 | ...``), relabelled to ``G``'s indices.

    Raises :class:`~grouptools.groups._regular.WorkLimitExceeded` past the budget.

    Examples
    --------
    >>> import grouptools as gt
    >>> abelian_arithmetic(gt.from_presentation("<a, b | a^6, b^10, a*b*a^-1*b^-1>")).inner
    AbelianArithmetic(invariants=(2, 30))
    """
    budget = budget if budget is not None else Budget(1 << 62)
    n, P = G.order, G.right_perms
    k = P.shape[0]
    # polycyclic normal form over the generators (left = right multiplication: G is abelian)
    code = np.full(n, -1, np.int64)  # mixed-radix exponents, the first generator lowest
    code[0] = 0
    members = np.zeros(1, np.int32)
    radix = np.ones(k + 1, np.int64)  # radix[s] = |<g_0, ..., g_{s-1}>|
    rows = []
    for s in range(k):
        perm = np.ascontiguousarray(P[s], np.int32)
        budget.charge(2 * n)
        m, c = _kp.relative_order.for_work(n)(perm, code >= 0, n)
        digits = [(int(code[c]) // int(radix[i])) % int(radix[i + 1] // radix[i]) for i in range(s)]
        rows.append([-x for x in digits] + [int(m)] + [0] * (k - s - 1))
        N = members.size
        members = _kp.iterate_blocks.for_work(m * N)(perm, members, int(m))
        code[members[N:]] = np.arange(N, m * N)
        radix[s + 1] = radix[s] * m
    if members.size != n:  # pragma: no cover - the generators generate G
        raise VerificationError("the generators of an abelian group do not generate it")
    d, Q = smith_form(np.array(rows, dtype=object))
    keep = [i for i, di in enumerate(d) if di != 1]
    invariants = tuple(int(d[i]) for i in keep) or (1,)
    A = AbelianArithmetic(invariants)
    coords = [np.zeros(n, np.int64) for _ in invariants]
    budget.charge(3 * n * k * len(invariants))
    for s in range(k):
        e = (code // radix[s]) % (radix[s + 1] // radix[s])  # exponent of generator s
        for c_i, i in zip(coords, keep):
            c_i += e * (int(Q[s][i]) % int(d[i]))
    return _checked(G, RelabelledArithmetic.of(A, A.index(coords)), budget)


def _checked(G: FiniteGroup, A: Arithmetic, budget: Budget) -> Arithmetic:
    """``A`` after checking that it is an arithmetic of ``G`` in ``G``'s indices: right
    multiplication by each generator agrees with ``G.right_perms`` (a relabelling must also be
    a bijection, which :meth:`RelabelledArithmetic.of` does not check)."""
    n = G.order
    budget.charge(n * len(G.generator_names) * (A.depth + 2))
    if isinstance(A, RelabelledArithmetic):
        if np.bincount(A.to_inner, minlength=n).max(initial=1) != 1 or A.inner.order != n:
            raise VerificationError("the derived relabelling is not a bijection")
    x = np.arange(n, dtype=np.int64)
    for s, g in enumerate(G.generators):
        if not np.array_equal(A.multiply(x, np.int64(g)), G.right_perms[s]):
            raise VerificationError(f"the derived arithmetic disagrees with generator {s}")
    return A
