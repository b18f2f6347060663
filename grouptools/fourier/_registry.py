"""The registry of Fourier methods and the choice of ``method="auto"``.

Modelled on the backend dispatch of :mod:`scipy.fft` (``set_backend``/``register_backend``): the
public functions :func:`grouptools.fourier.transform` and :func:`~grouptools.fourier.inverse`
know no method by name; they look one up here. Each :class:`FourierMethod` says whether it
``applies`` to a group, its ``cost`` per function (``method="auto"`` takes the cheapest that
applies, earlier registrations winning ties), how to ``plan`` (kept in the group's memo under
``"fourier.<name>..."``) and how to ``execute`` the plan: one function for both directions,
``execute(plan, data, inverse=..., real=...)``.

Registered, in order: ``"abelian"`` (:mod:`._abelian`), ``"clifford"`` (:mod:`._clifford`),
``"discovered"`` (:mod:`._discovered`), ``"solvable"`` (:mod:`._solvable`), ``"chain"`` (:mod:`._chain`),
``"dense"`` (:mod:`._dense`).

A method may also give a ``lower_bound`` of its cost that is cheap to evaluate: ``method="auto"``
asks for the full ``cost`` only when the bound beats the cheapest method found so far, and a
method whose ``cost`` is ``costly`` to evaluate (the ``"chain"`` cost of a group other than a
symmetric group builds its plan) only when that is the dense one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from .._errors import InvalidGroupError
from . import _abelian, _chain, _clifford, _dense, _discovered, _solvable
from ._blocks import check_choice, check_group
from ._support import memo

if TYPE_CHECKING:
    from ..groups import FiniteGroup

__all__ = ["FourierMethod", "METHODS", "choose_method", "get_method"]


@dataclass(frozen=True)
class FourierMethod:
    """One way of computing the group Fourier transform and its inverse.

    Attributes
    ----------
    name : str
        The value of ``method=`` that selects it.
    applies : callable ``G -> bool``
        Whether it may be used on ``G`` (a forced method that does not apply is an error).
    cost : callable ``G -> float``
        Estimated operations per function; ``inf`` where ``method="auto"`` must not choose it.
    plan : callable ``G -> plan``
        The precomputed data, memoized in ``G.memo("fourier.<name>...")``.
    execute : callable ``(plan, data, *, inverse, real) -> result``
        Functions ``(..., |G|)`` to :class:`FourierBlocks` (``inverse=False``) or back
        (``inverse=True``, ``(1/|G|)`` included, ``real`` for the real part only).
    requirement : str
        What a group needs for the method to apply (for the error message).
    lower_bound : callable ``G -> float`` or None
        A cheap lower bound of ``cost``; ``method="auto"`` skips the method when it is not below
        the best cost so far (``None``: always ask ``cost``).
    costly : callable ``G -> bool`` or None
        Whether ``cost(G)`` is expensive to evaluate (it builds the plan); ``method="auto"`` then
        asks only when the cheapest method so far is the dense one.
    """

    name: str
    applies: Callable[[FiniteGroup], bool]
    cost: Callable[[FiniteGroup], float]
    plan: Callable[[FiniteGroup], Any]
    execute: Callable[..., Any]
    requirement: str
    lower_bound: Callable[[FiniteGroup], float] | None = None
    costly: Callable[[FiniteGroup], bool] | None = None

    def run(self, G: FiniteGroup, data: Any, *, inverse: bool, real: bool = False) -> Any:
        """``execute(plan(G), data, inverse=inverse, real=real)``: the unnormalized transform of
        functions ``(..., |G|)`` (float64 or complex128), or the inverse of :class:`FourierBlocks`.

        Examples
        --------
        >>> import numpy as np
        >>> import grouptools as gt
        >>> G, m = gt.dihedral(3), METHODS["dense"]
        >>> f = np.arange(6.0)
        >>> bool(np.allclose(m.run(G, m.run(G, f, inverse=False), inverse=True, real=True), f))
        True
        """
        return self.execute(self.plan(G), data, inverse=inverse, real=real)


def _module_method(module: Any, name: str, requirement: str) -> FourierMethod:
    return FourierMethod(name, module.applies, module.cost, module.plan, module.execute, requirement,
                         getattr(module, "lower_bound", None), getattr(module, "costly", None))


#: The registered methods by name, in order of registration (which breaks ties of cost).
METHODS: dict[str, FourierMethod] = {
    m.name: m
    for m in (
        _module_method(_abelian, "abelian", "a group with an AbelianStructure"),
        _module_method(
            _clifford,
            "clifford",
            "a semidirect product N : H with N abelian, or a direct product with an abelian factor",
        ),
        _module_method(_discovered, "discovered", "a group with a nontrivial abelian normal subgroup"),
        _module_method(_solvable, "solvable", "a nontrivial solvable group (a composition series)"),
        _module_method(_chain, "chain", "any group (a chain of subgroups)"),
        _module_method(_dense, "dense", "any group"),
    )
}


def choose_method(G: FiniteGroup) -> str:
    """The method ``method="auto"`` uses for ``G``: the registered method of least estimated cost
    per function among those that apply.

    Parameters
    ----------
    G : FiniteGroup

    Returns
    -------
    str
        One of ``"abelian"``, ``"clifford"``, ``"discovered"``, ``"solvable"``, ``"chain"``, ``"dense"``.

    Examples
    --------
    >>> import grouptools as gt
    >>> from grouptools.fourier import choose_method
    >>> choose_method(gt.cyclic(1024)), choose_method(gt.torus_p4m(8)), choose_method(gt.alternating(5))
    ('abelian', 'clifford', 'dense')
    >>> choose_method(gt.from_presentation("<a, x | a^400, x^2*a^-200, x^-1*a*x*a>"))  # no structure
    'discovered'
    >>> choose_method(gt.symmetric(7))                  # Young's orthogonal form along S_1 < ... < S_7
    'chain'
    """
    check_group(G)

    def cheapest() -> str:
        best, best_cost = "dense", METHODS["dense"].cost(G)
        for name, m in METHODS.items():
            if m.lower_bound is not None and not m.lower_bound(G) < best_cost:
                continue
            if m.costly is not None and best != "dense" and m.costly(G):
                continue
            c = m.cost(G)
            earlier = c == best_cost and best == "dense" and name != "dense"  # ties: registration order
            if (c < best_cost or earlier) and m.applies(G):
                best, best_cost = name, c
        return best

    return memo(G, "auto", cheapest)


def get_method(G: FiniteGroup, method: str) -> FourierMethod:
    """The registered method ``method`` (``"auto"``: :func:`choose_method`), checked to apply to ``G``.

    Raises
    ------
    ParameterTypeError
        If ``method`` is not a string.
    InvalidGroupError
        If ``method`` is not ``"auto"`` or a registered name (the message lists them), or does
        not apply to ``G``.

    Examples
    --------
    >>> import grouptools as gt
    >>> get_method(gt.cyclic(3), "auto").name, get_method(gt.cyclic(4096), "auto").name
    ('dense', 'abelian')
    >>> get_method(gt.cyclic(3), "fft")
    Traceback (most recent call last):
    ...
    grouptools...InvalidGroupError: method must be one of ('auto', 'abelian', 'clifford', 'discovered', 'solvable', 'chain', 'dense'), got 'fft'
    """
    check_group(G)
    check_choice(method, "method", ("auto",) + tuple(METHODS))
    m = METHODS[choose_method(G) if method == "auto" else method]
    if not m.applies(G):
        raise InvalidGroupError(f"method={m.name!r} needs {m.requirement}")
    return m
