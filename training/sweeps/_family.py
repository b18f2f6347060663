"""Named families of groups for the sweeps: ``catalogue(max_order=M)`` and ``seeds``.

``catalogue(max_order=M)`` (``2 <= M <= 128``) lists the groups of order ``2..M`` that the catalogue
constructors of :func:`grouptools.group` build, in this order of construction:

1. every abelian group, once per isomorphism class: ``cyclic(n)`` or ``abelian(n1, ..., nr)`` with
   invariant factors ``n1 | n2 | ... | nr`` (two abelian groups are isomorphic exactly when their
   invariant factors agree, so this part has no duplicates);
2. the non-abelian catalogue groups: ``dihedral(n)`` (``n >= 3``), ``dicyclic(n)`` (``n >= 2``;
   ``dicyclic(2)`` is the quaternion group of order 8, ``dicyclic(2^k)`` the generalized quaternion
   groups), ``alternating(4)``, ``symmetric(4)``, ``alternating(5)``, ``SL(2,3)``, ``GL(2,3)``,
   ``torus_p4m(2)``;
3. direct products ``N x A`` of a group ``N`` of part 2 with a nontrivial abelian group ``A`` of
   part 1, and ``N1 x N2`` of two groups of part 2 (``N1`` not after ``N2`` in part 2).

Duplicates are removed by a fingerprint that is an isomorphism invariant: the order, the number of
elements of each order, the sizes of the conjugacy classes, the orders of the centre and of the
derived subgroup, and the number of elements of each order in the centre. A group whose fingerprint
was already seen is dropped and the *first* expression in the order above is kept (so ``dihedral(3)``
stands for ``symmetric(3)``, ``dihedral(3) x C2`` is dropped for ``dihedral(6)``). Isomorphic groups
always merge; the fingerprint could in principle also merge two non-isomorphic groups (the family
would then hold one of them), which is the price of not having an isomorphism test.

``seeds`` are the groups of the experiments of Lawrence et al. (2022) reproduced by
:mod:`training.experiments`: ``dihedral(4)`` (D8), ``C10 x C10 x C2``, ``SmallGroup(200,44)``, and the
dihedral groups of order 60 and 64 of the visualization experiment. The digits experiment's
``torus_p4m(8)`` (order 512) is left out: a single training there takes minutes, not seconds.

Examples
--------
>>> exprs = catalogue_family(8)
>>> exprs
('cyclic(2)', 'cyclic(3)', 'cyclic(4)', 'abelian(2,2)', 'cyclic(5)', 'cyclic(6)', 'dihedral(3)', 'cyclic(7)', 'cyclic(8)', 'abelian(2,4)', 'abelian(2,2,2)', 'dihedral(4)', 'dicyclic(2)')
>>> len(exprs)  # the 14 groups of order 2..8, less S3 = D6 counted once (all 13 classes)
13
"""

from __future__ import annotations

import functools
import itertools
from typing import Iterator

import numpy as np

import grouptools as gt

from .._errors import ParameterError

__all__ = ["FAMILIES", "MAX_FAMILY_ORDER", "SEED_GROUPS", "abelian_invariant_factors", "catalogue_family", "family",
           "fingerprint"]

MAX_FAMILY_ORDER = 128
"""Largest ``max_order`` of ``catalogue(max_order=M)`` (the enumeration builds every candidate group)."""

SEED_GROUPS = ("dihedral(4)", "C10 x C10 x C2", "SmallGroup(200,44)", "dihedral(30)", "dihedral(32)")
"""The groups of the experiments of Lawrence et al. (2022) that the sweeps use (family ``seeds``)."""

FAMILIES = ("catalogue(max_order=M)", "seeds")
"""The named families a sweep specification may use."""

_SPORADIC = ("alternating(4)", "symmetric(4)", "alternating(5)", "SL(2,3)", "GL(2,3)", "torus_p4m(2)")


def _partitions(n: int, largest: int | None = None) -> Iterator[tuple[int, ...]]:
    """Partitions of ``n`` into parts ``<= largest``, largest part first."""
    largest = n if largest is None else largest
    if n == 0:
        yield ()
        return
    for k in range(min(n, largest), 0, -1):
        for rest in _partitions(n - k, k):
            yield (k,) + rest


def _prime_powers(n: int) -> list[tuple[int, int]]:
    out, p = [], 2
    while p * p <= n:
        e = 0
        while n % p == 0:
            n //= p
            e += 1
        if e:
            out.append((p, e))
        p += 1
    if n > 1:
        out.append((n, 1))
    return out


def abelian_invariant_factors(n: int) -> list[tuple[int, ...]]:
    """Every abelian group of order ``n`` as its invariant factors ``n1 | n2 | ... | nr`` (one per class).

    Examples
    --------
    >>> abelian_invariant_factors(8), abelian_invariant_factors(12)
    ([(8,), (2, 4), (2, 2, 2)], [(12,), (2, 6)])
    """
    choices = [[(p, part) for part in _partitions(e)] for p, e in _prime_powers(n)]
    out = []
    for combo in itertools.product(*choices):
        r = max((len(part) for _, part in combo), default=0)
        factors = [1] * r
        for p, part in combo:  # the i-th largest exponent of every prime goes into the i-th largest factor
            for i, e in enumerate(part):
                factors[r - 1 - i] *= p**e
        out.append(tuple(factors))
    return out


def _abelian_expr(f: tuple[int, ...]) -> str:
    return f"cyclic({f[0]})" if len(f) == 1 else f"abelian({','.join(map(str, f))})"


def _order(expr: str) -> int:
    return gt.group(expr).order


def _candidates(max_order: int) -> Iterator[str]:
    for n in range(2, max_order + 1):
        for f in abelian_invariant_factors(n):
            yield _abelian_expr(f)
    nonabelian = [f"dihedral({n})" for n in range(3, max_order // 2 + 1)]
    nonabelian += [f"dicyclic({n})" for n in range(2, max_order // 4 + 1)]
    nonabelian += [s for s in _SPORADIC if _order(s) <= max_order]
    nonabelian.sort(key=_order)
    yield from nonabelian
    orders = {s: _order(s) for s in nonabelian}
    for s in nonabelian:
        for m in range(2, max_order // orders[s] + 1):
            for f in abelian_invariant_factors(m):
                yield f"{s} x {_abelian_expr(f)}"
    for i, s in enumerate(nonabelian):
        for t in nonabelian[i:]:
            if orders[s] * orders[t] <= max_order:
                yield f"{s} x {t}"


def fingerprint(G: gt.FiniteGroup) -> tuple:
    """An isomorphism invariant of ``G`` (see the module docstring).

    Examples
    --------
    >>> fingerprint(gt.group("dihedral(3)")) == fingerprint(gt.group("symmetric(3)"))
    True
    >>> fingerprint(gt.group("dihedral(4)")) == fingerprint(gt.group("dicyclic(2)"))
    False
    """
    orders = np.asarray(G.element_orders)
    centre = np.asarray(G.center().elements, dtype=int)
    counts = tuple(sorted(zip(*np.unique(orders, return_counts=True))))
    classes = tuple(sorted(c.size for c in G.conjugacy_classes()))
    centre_orders = tuple(sorted(zip(*np.unique(orders[centre], return_counts=True))))
    return (G.order, tuple((int(a), int(b)) for a, b in counts), classes, int(G.derived_subgroup().order),
            tuple((int(a), int(b)) for a, b in centre_orders))


@functools.lru_cache(maxsize=4)
def catalogue_family(max_order: int) -> tuple[str, ...]:
    """The catalogue groups of order ``2..max_order``, one per fingerprint (module docstring), by order.

    Raises
    ------
    ParameterError
        ``max_order`` is not an integer in ``2..MAX_FAMILY_ORDER``.
    """
    if isinstance(max_order, bool) or not isinstance(max_order, int) or not 2 <= max_order <= MAX_FAMILY_ORDER:
        raise ParameterError(f"catalogue(max_order=M) needs an integer M in 2..{MAX_FAMILY_ORDER}, got {max_order!r}")
    seen: set[tuple] = set()
    kept: list[tuple[int, int, str]] = []
    for i, expr in enumerate(_candidates(max_order)):
        fp = fingerprint(gt.group(expr))
        if fp not in seen:
            seen.add(fp)
            kept.append((fp[0], i, expr))
    return tuple(expr for _, _, expr in sorted(kept))


def family(name: str) -> tuple[str, ...]:
    """The group expressions of a named family (:data:`FAMILIES`).

    Raises
    ------
    ParameterError
        Unknown family name.

    Examples
    --------
    >>> family("seeds")[:2]
    ('dihedral(4)', 'C10 x C10 x C2')
    """
    import re

    text = " ".join(str(name).split())
    if text == "seeds":
        return SEED_GROUPS
    m = re.fullmatch(r"catalogue\(\s*max_order\s*=\s*(\d{1,4})\s*\)", text)
    if m:
        return catalogue_family(int(m.group(1)))
    from .._checks import clip

    raise ParameterError(f"unknown family {clip(repr(text))}; known: {', '.join(FAMILIES)}")
