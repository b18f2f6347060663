"""The group catalogue: families, products and groups from permutations, matrices and tables.

Every constructor returns a :class:`~grouptools.FiniteGroup` with a presentation on its generators
(used to verify representations) and, for products, a construction record in
:attr:`FiniteGroup.structure` that fast Fourier transforms exploit.

A note on names: ``dihedral(n)`` is the symmetry group of the regular n-gon, of order ``2n``
(the geometric convention, SymPy's ``DihedralGroup(n)``). The papers and GAP write ``D8`` for the
group of order 8 (GAP's ``DihedralGroup(8)``). Use ``dihedral(order=8)`` to give the order.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from .._errors import (
    InvalidGroupError,
    ParameterTypeError,
    quote,
)
from ..presentations import Presentation, parse_presentation, parse_word
from ._args import (
    as_sequence,
    check_group,
    check_positive,
    int_entries,
    presentation_from,
    word_power,
)
from ._arrays import readonly
from ._abelian import abelian, cyclic
from ._concrete import (
    from_matrices,
)
from ._group import FiniteGroup
from ._structures import (
    AbelianStructure,
    DirectProductStructure,
    ExtensionStructure,
    SemidirectStructure,
)

__all__ = [
    "affine_group",
    "dicyclic",
    "dihedral",
    "direct_product",
    "from_presentation",
    "quaternion",
    "semidirect_product",
    "smallgroup_200_44",
    "torus_p4m",
]


# ---------------------------------------------------------------------------------------------
# presentations
# ---------------------------------------------------------------------------------------------
def from_presentation(
    presentation: str | Presentation,
    *,
    max_order: int = 1_000_000,
    max_cosets: int = 4_000_000,
    time_budget: float = 60.0,
    name: str | None = None,
) -> FiniteGroup:
    """Enumerate a finitely presented group (Todd-Coxeter, HLT strategy).

    Parameters
    ----------
    presentation : str or Presentation
        E.g. ``"<a, b | a^4, b^2, (a*b)^2>"``.
    max_order, max_cosets, time_budget
        Limits of the enumeration; exceeding one raises :class:`EnumerationLimitError`.

    Raises
    ------
    PresentationSyntaxError, InfiniteGroupError, EnumerationLimitError
    InvalidLimitError
        If a limit is not a positive number.
    ParameterTypeError
        If ``presentation`` is neither a str nor a :class:`Presentation`.

    Examples
    --------
    >>> import grouptools as gt
    >>> gt.from_presentation("<a, b | a^4, b^2, (a*b)^2>").order
    8
    """
    from ..presentations._coset import enumerate_cosets

    if not isinstance(presentation, (str, Presentation)):
        raise ParameterTypeError(
            f"a presentation must be a str or a Presentation, got {type(presentation).__name__}"
        )
    pres = parse_presentation(presentation) if isinstance(presentation, str) else presentation
    table = enumerate_cosets(
        pres, max_cosets=max_cosets, max_order=max_order, time_budget=time_budget
    )
    return FiniteGroup(
        table, pres.generators, presentation=pres, name=name or str(pres), _checked=True
    )


# ---------------------------------------------------------------------------------------------
# abelian groups
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# products
# ---------------------------------------------------------------------------------------------
def _disjoint_names(groups: Sequence[FiniteGroup]) -> list[tuple[str, ...]]:
    all_names = [n for G in groups for n in G.generator_names]
    if len(set(all_names)) == len(all_names):
        return [G.generator_names for G in groups]
    return [tuple(f"{n}{i + 1}" for n in G.generator_names) for i, G in enumerate(groups)]


def _shift_word(word: Sequence[int], offset: int) -> tuple[int, ...]:
    return tuple(c + offset if c > 0 else c - offset for c in word)


def direct_product(*groups: FiniteGroup) -> FiniteGroup:
    """The direct product ``G1 x ... x Gr``.

    Element ``(i1, ..., ir)`` has index ``numpy.ravel_multi_index((i1, ..., ir), orders)``.
    Generator names are kept when distinct, else suffixed with the factor number.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.direct_product(gt.cyclic(2), gt.symmetric(3))
    >>> G.order, G.generator_names
    (12, ('a1', 'a2', 'b2'))
    """
    groups = tuple(check_group(G, "each factor") for G in groups)
    if not groups:
        return cyclic(1)
    if len(groups) == 1:
        return groups[0]
    orders = tuple(G.order for G in groups)
    n = math.prod(orders)
    if n > 10**7:
        raise InvalidGroupError(f"direct product of order {n} exceeds the limit 10^7")
    coords = np.indices(orders).reshape(len(orders), -1)
    perm_rows = []
    for f, G in enumerate(groups):
        for s in range(len(G.generator_names)):
            shifted = coords.copy()
            shifted[f] = G.right_perms[s][coords[f]]
            perm_rows.append(np.ravel_multi_index(tuple(shifted), orders))
    names_per = _disjoint_names(groups)
    names = tuple(n for ns in names_per for n in ns)
    rels: list[tuple[int, ...]] = []
    offsets = np.cumsum([0] + [len(G.generator_names) for G in groups])
    for f, G in enumerate(groups):
        rels += [_shift_word(r, int(offsets[f])) for r in G.presentation.relators]
    for f1, f2 in itertools.combinations(range(len(groups)), 2):
        for a in range(offsets[f1] + 1, offsets[f1 + 1] + 1):
            for b in range(offsets[f2] + 1, offsets[f2 + 1] + 1):
                rels.append((-a, -b, a, b))
    if all(isinstance(G.structure, AbelianStructure) for G in groups):
        structure: Any = AbelianStructure(tuple(i for G in groups for i in G.structure.invariants))
        if structure.invariants != orders:
            structure = DirectProductStructure(tuple(groups))
    else:
        structure = DirectProductStructure(tuple(groups))
    label = " x ".join(_paren(G.name) for G in groups)
    return FiniteGroup(
        np.stack(perm_rows) if perm_rows else np.zeros((0, n), np.int64),
        names,
        presentation=Presentation(names, tuple(rels)),
        structure=structure,
        name=label,
        _checked=True,
    )


def _paren(name: str | None) -> str:
    if not name:
        return "G"
    return f"({name})" if (" " in name and not name.startswith("(")) else name


def _homomorphism_images(source: FiniteGroup, target: FiniteGroup, images: Sequence[int]) -> np.ndarray:
    """Evaluate the map ``source -> target`` given on generators, on every element of source,
    along the spanning tree (validity is checked by the caller)."""
    from .._kernels import group as _k

    order, parent, letter, _ = source.spanning_tree
    perms = []
    for img in images:
        r = target.right_multiplication(int(img))
        inv = np.empty_like(r)
        inv[r] = np.arange(r.size, dtype=r.dtype)
        perms += [r, inv]
    if not perms:
        return np.zeros(source.order, np.int32)
    apply = _k.tree_apply.for_work(source.order)
    return apply(order, parent, letter, np.stack(perms).astype(np.int32), 0)


def semidirect_product(
    N: FiniteGroup,
    H: FiniteGroup,
    action: Mapping[str, Sequence[int | str]] | Sequence[Sequence[int | str]] | Callable[..., Any],
    *,
    name: str | None = None,
) -> FiniteGroup:
    """The semidirect product ``N : H`` for an action of ``H`` on ``N`` by automorphisms.

    Parameters
    ----------
    N, H : FiniteGroup
    action
        For each generator ``t`` of ``H`` (a sequence in generator order, or a mapping from
        generator name), the images ``t n t^-1`` of the generators ``n`` of ``N``, as element
        indices or words of ``N``. Or a callable ``action(t, n) -> index`` on generator positions.

    Returns
    -------
    FiniteGroup
        Element ``n*h`` has index ``h*|N| + n``; generators are those of ``N`` then of ``H``.
        ``structure`` is a :class:`SemidirectStructure`.

    Raises
    ------
    InvalidGroupError
        If an image is not an automorphism of ``N`` or the action is not a homomorphism.

    Examples
    --------
    >>> import grouptools as gt
    >>> C5 = gt.cyclic(5)
    >>> G = gt.semidirect_product(C5, gt.cyclic(4), [["a^2"]])   # the Frobenius group F20
    >>> G.order, len(G.conjugacy_classes())
    (20, 5)
    """
    N, H = check_group(N, "N"), check_group(H, "H")
    kN, kH = len(N.generator_names), len(H.generator_names)
    n_N, n_H = N.order, H.order
    if n_N * n_H > 10**7:
        raise InvalidGroupError(f"semidirect product of order {n_N * n_H} exceeds the limit 10^7")

    def to_index(v: int | str) -> int:
        if isinstance(v, str):
            return N.element(v)
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise ParameterTypeError(f"an action image must be an element index or a word, got {quote(v)}")
        iv = int(v)
        if not 0 <= iv < n_N:
            raise InvalidGroupError(f"action image {iv} is not an element of N")
        return iv

    images: list[list[int]] = []
    for t in range(kH):
        if callable(action):
            row = [to_index(action(t, s)) for s in range(kN)]
        elif isinstance(action, Mapping):
            key = H.generator_names[t]
            if key not in action:
                raise InvalidGroupError(f"no action given for generator {quote(key)} of H")
            row = [to_index(v) for v in as_sequence(action[key], "an action row")]
        else:
            rows = as_sequence(action, "action")
            if len(rows) != kH:
                raise InvalidGroupError(f"action needs {kH} rows (one per generator of H)")
            row = [to_index(v) for v in as_sequence(rows[t], "an action row")]
        if len(row) != kN:
            raise InvalidGroupError(f"each action row needs {kN} images (one per generator of N)")
        images.append(row)

    # automorphisms phi_t of N, checked
    phis = []
    for t in range(kH):
        phi = _homomorphism_images(N, N, images[t])
        if np.bincount(phi, minlength=n_N).max() != 1:
            raise InvalidGroupError(f"generator {quote(H.generator_names[t])} of H does not act bijectively")
        for s in range(kN):  # phi(x s) == phi(x) phi(s)
            if not np.array_equal(phi[N.right_perms[s]], N.right_multiplication(images[t][s])[phi]):
                raise InvalidGroupError(
                    f"generator {quote(H.generator_names[t])} of H does not act by an automorphism"
                )
        phis.append(phi.astype(np.int32))
    # action of every h: phi_{h t} = phi_h o phi_t ; check well-definedness on all edges

    order, parent, letter, _ = H.spanning_tree
    act = np.empty((n_H, n_N), np.int32)
    act[0] = np.arange(n_N)
    inv_phis = []
    for phi in phis:
        ip = np.empty_like(phi)
        ip[phi] = np.arange(n_N, dtype=np.int32)
        inv_phis.append(ip)
    for x in order[1:]:
        t = int(letter[x])
        p = act[parent[x]]
        act[x] = p[phis[t // 2]] if t % 2 == 0 else p[inv_phis[t // 2]]
    for t in range(kH):
        succ = H.right_perms[t]
        if not np.array_equal(act[succ], act[:, phis[t]]):
            raise InvalidGroupError("the action is not a homomorphism from H to Aut(N)")

    # right multiplication: (n h) * s = (n * phi_h(s)) h ; (n h) * t = n (h t)
    rows = []
    hs = np.repeat(np.arange(n_H), n_N)
    ns = np.tile(np.arange(n_N), n_H)
    inv_act = np.empty_like(act)
    np.put_along_axis(inv_act, act, np.arange(n_N, dtype=np.int32)[None, :].repeat(n_H, 0), axis=1)
    for s in range(kN):
        # n * phi_h(s) = phi_h( phi_h^-1(n) * s )
        new_n = act[hs, N.right_perms[s][inv_act[hs, ns]]]
        rows.append(hs * n_N + new_n)
    for t in range(kH):
        rows.append(H.right_perms[t][hs] * n_N + ns)
    names_N, names_H = _disjoint_names([N, H])
    names = tuple(names_N) + tuple(names_H)
    rels = list(N.presentation.relators)
    rels += [_shift_word(r, kN) for r in H.presentation.relators]
    for t in range(kH):
        for s in range(kN):
            w = parse_word(N.word(images[t][s]), N.generator_names)
            tt = kN + t + 1
            rels.append((tt, s + 1, -tt) + tuple(-c for c in reversed(w)))
    from ..presentations import free_reduce

    rels = [free_reduce(r) for r in rels]
    label = name or f"{_paren(N.name)} : {_paren(H.name)}"
    return FiniteGroup(
        np.stack(rows),
        names,
        presentation=Presentation(names, tuple(r for r in rels if r)),
        structure=SemidirectStructure(N, H, readonly(act)),
        name=label,
        _checked=True,
    )


def affine_group(modulus: int, matrices: Sequence[Any], *, name: str | None = None) -> FiniteGroup:
    """``(Z_m)^d : H`` with ``H`` the group generated by integer matrices acting mod ``m``.

    The matrix group ``H`` acts on column vectors; ``N = C_m^d`` is :func:`abelian` with
    ``d`` generators. Covers the torus groups of images and GAP's SmallGroup(200,44).

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.affine_group(3, [[[0, -1], [1, 0]]])  # C3^2 : C4
    >>> G.order
    36
    """
    m = check_positive("modulus", modulus, 2)
    mats = [int_entries(M, "a matrix") % m for M in as_sequence(matrices, "matrices")]
    if not mats:
        raise InvalidGroupError("affine_group needs at least one matrix")
    return _affine(m, mats, from_matrices(mats, modulus=m), name)


def _affine(m: int, mats: Sequence[np.ndarray], H: FiniteGroup, name: str | None) -> FiniteGroup:
    """``C_m^d : H`` where the generators of ``H`` act on column vectors by ``mats`` mod m."""
    d = mats[0].shape[0] if mats[0].ndim == 2 else 0
    for M in mats:
        if M.shape != (d, d) or d == 0:
            raise InvalidGroupError("all matrices must be square of the same size")
    N = abelian((m,) * d, names=[f"e{i + 1}" for i in range(d)] if d > 3 else ("x", "y", "z")[:d])
    images = []
    for M in mats:
        row = []
        for j in range(d):
            col = M[:, j] % m
            row.append(int(np.ravel_multi_index(tuple(col), (m,) * d)))
        images.append(row)
    return semidirect_product(N, H, images, name=name)


def torus_p4m(n: int) -> FiniteGroup:
    """``(C_n x C_n) : D4``: translations of the n x n torus with rotations by 90 degrees and
    reflections (order ``8 n^2``); Lawrence et al.'s MNIST group for ``n = 28``.

    Generators ``x, y`` (unit translations) and ``r`` (rotation ``(u, v) -> (-v, u)``),
    ``s`` (reflection ``(u, v) -> (u, -v)``). A pixel ``(u, v)`` of an n x n image is the coset
    of the translation by ``(u, v)``; see :func:`grouptools.lift_image` (Fourier layer).

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.torus_p4m(4)
    >>> G.order, len(G.conjugacy_classes())
    (128, 20)
    """
    n = check_positive("n", n, 1)
    mats = [np.array([[0, -1], [1, 0]]), np.array([[1, 0], [0, -1]])]
    D4 = from_matrices(mats, names=("r", "s"), name="D8")  # over Z: order 8
    return _affine(n, mats, D4, f"(C{n} x C{n}) : D4")


def smallgroup_200_44() -> FiniteGroup:
    """``(C5 x C5) : Q8``, GAP's ``SmallGroup(200, 44)``: Q8 acting faithfully on ``F_5^2``
    through its embedding in ``SL(2, 5)`` (``i -> [[0,-1],[1,0]]``, ``j -> [[2,0],[0,3]]``).

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.smallgroup_200_44()
    >>> G.order, len(G.conjugacy_classes())
    (200, 8)
    """
    return affine_group(5, [[[0, -1], [1, 0]], [[2, 0], [0, 3]]], name="(C5 x C5) : Q8")


# ---------------------------------------------------------------------------------------------
# dihedral, quaternion
# ---------------------------------------------------------------------------------------------
def dihedral(n: int | None = None, *, order: int | None = None) -> FiniteGroup:
    """Symmetries of the regular n-gon: ``<r, s | r^n, s^2, (s*r)^2>``, of order ``2n``.

    Give exactly one of ``n`` (number of vertices) or ``order`` (``= 2n``, GAP's
    ``DihedralGroup(order)`` and the papers' ``D8`` for the square's group).
    Element ``r^i s^j`` has index ``j*n + i``.

    Examples
    --------
    >>> import grouptools as gt
    >>> gt.dihedral(4) == gt.dihedral(order=8)
    True
    """
    if (n is None) == (order is None):
        raise InvalidGroupError("give exactly one of n (vertices) or order (= 2n)")
    if order is not None:
        order = check_positive("order", order, 2)
        if order % 2:
            raise InvalidGroupError(f"a dihedral group has even order, got {order}")
        n = order // 2
    n = check_positive("n", n, 1)
    Cn = abelian((n,), names=("r",))
    C2 = abelian((2,), names=("s",))
    G = semidirect_product(Cn, C2, [[(n - 1) % n]], name=f"D{2 * n}")
    return G


def dicyclic(n: int) -> FiniteGroup:
    """The dicyclic group of order ``4n``: ``<a, x | a^(2n), x^2 = a^n, x^-1*a*x = a^-1>``.

    ``dicyclic(2)`` is the quaternion group Q8; for ``n`` a power of 2 it is generalized
    quaternion. Element ``a^i x^j`` (0 <= i < 2n, j in {0, 1}) has index ``j*2n + i``.
    """
    n = check_positive("n", n, 1)
    if 4 * n > 10**7:
        raise InvalidGroupError(f"dicyclic group of order {4 * n} exceeds the limit 10^7")
    m = 2 * n
    i = np.arange(2 * m)
    j, a = divmod(i, m)
    # right multiply by a: a^i x^j a = a^(i + (-1)^j) x^j
    ra = j * m + (a + np.where(j == 0, 1, -1)) % m
    # right multiply by x: a^i x^0 x = a^i x ; a^i x x = a^(i+n)
    rx = np.where(j == 0, m + a, (a + n) % m)
    pres = presentation_from(("a", "x"), [word_power(1, m), (2, 2) + word_power(1, -n), "x^-1*a*x*a"])
    # x a x^-1 = a^-1, x^2 = a^n: the cyclic extension C_2n . C_2
    action = np.stack([np.arange(m), (-np.arange(m)) % m])
    structure = ExtensionStructure(cyclic(m), 2, readonly(action.astype(np.int32)), n % m)
    return FiniteGroup(np.stack([ra, rx]), ("a", "x"), presentation=pres, name=f"Dic{n}",
                       structure=structure, _checked=True)


def quaternion(order: int = 8) -> FiniteGroup:
    """The (generalized) quaternion group of order ``2^k >= 8`` (``dicyclic(order // 4)``)."""
    order = check_positive("order", order, 8)
    if order & (order - 1):
        raise InvalidGroupError(f"a generalized quaternion group has order 2^k >= 8, got {order}")
    G = dicyclic(order // 4)
    return FiniteGroup(G.right_perms, G.generator_names, presentation=G.presentation,
                       name=f"Q{order}", structure=G.structure, _checked=True)


