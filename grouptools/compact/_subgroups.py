r"""Finite subgroups of SO(3) as :class:`~grouptools.FiniteGroup` objects, and restrictions of ``D^l``.

Every finite subgroup of SO(3) is conjugate to a cyclic group ``C_n``, a dihedral group ``D_n``
(order ``2n``), or the rotation group of a Platonic solid: tetrahedral ``T ~ A4`` (12), octahedral
``O ~ S4`` (24), icosahedral ``I ~ A5`` (60) (Klein 1884). We build them from rotation generators
(``C_n``: ``2 pi / n`` about ``z``; ``D_n``: plus ``pi`` about ``x``; ``T``: ``pi`` about ``z`` and
``2 pi / 3`` about ``(1,1,1)``; ``O``: ``pi / 2`` about ``z`` and ``2 pi / 3`` about ``(1,1,1)``;
``I``: ``2 pi / 5`` about the vertex ``(0, 1, phi)`` of the icosahedron with vertices the cyclic
permutations of ``(0, +-1, +-phi)``, and ``2 pi / 3`` about its face centre ``(1,1,1)``) by a
breadth-first closure on float matrices, matching products to known elements with a tolerance
(``tol``, default ``1e-9``, far below the smallest distance ``>= 0.3`` between distinct rotations of
these groups). The result is a ``FiniteGroup`` whose element ``i`` is the rotation ``matrices[i]``
(identity first), with right-regular permutations ``right_perms[s, i] = index of g_i g_s``.

The character of ``D^l`` restricted to a rotation by angle ``omega`` is
``chi_l(omega) = sum_{m=-l}^{l} exp(i m omega) = sin((2l+1) omega / 2) / sin(omega / 2)``
(``omega = arccos((tr R - 1) / 2)``). Its multiplicities in the irreps of the subgroup,
``m_rho = (1/|H|) sum_h chi_l(h) conj(chi_rho(h))``, are nonnegative integers with
``sum m_rho d_rho = 2l + 1``; :func:`restriction_multiplicities` computes them from the subgroup's
character table (``H.irreps()`` when the finite layer provides it, else numerically by Burnside's
algorithm: common eigenvectors of the class multiplication matrices, Burnside 1911, Dixon 1967).

References
----------
F. Klein. Vorlesungen ueber das Ikosaeder. 1884.
W. Burnside. Theory of Groups of Finite Order, 2nd ed. 1911, section 223.
J. D. Dixon. High speed computation of group characters. Numer. Math. 10 (1967) 446-450.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._errors import EnumerationLimitError, InvalidGroupError, VerificationError, quote
from ..groups._group import FiniteGroup

__all__ = [
    "RotationGroup",
    "rotation_subgroup",
    "axis_angle_matrix",
    "rotation_angle",
    "restriction_character",
    "character_table_numeric",
    "restriction_multiplicities",
]

SUBGROUP_KINDS = ("cyclic", "dihedral", "tetrahedral", "octahedral", "icosahedral")


@dataclass(frozen=True)
class RotationGroup:
    """A finite rotation group: the abstract group and its rotation matrices (element order).

    Attributes
    ----------
    group : FiniteGroup
    matrices : numpy.ndarray
        Shape ``(|H|, 3, 3)``; ``matrices[i]`` is element ``i`` (``matrices[0]`` is the identity).
    name : str
    """

    group: FiniteGroup
    matrices: np.ndarray
    name: str

    @property
    def order(self) -> int:
        return self.group.order


def axis_angle_matrix(axis: Any, angle: float) -> np.ndarray:
    """Rotation by ``angle`` about ``axis`` (Rodrigues' formula).

    Examples
    --------
    >>> np.round(axis_angle_matrix([0, 0, 1], np.pi / 2) @ [1.0, 0.0, 0.0], 12) + 0.0
    array([0., 1., 0.])
    """
    u = np.asarray(axis, dtype=float)
    nrm = np.linalg.norm(u)
    if u.shape != (3,) or not nrm > 0:
        raise InvalidGroupError(f"axis must be a nonzero 3-vector, got {quote(axis)}")
    u = u / nrm
    K = np.array([[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]])
    return np.eye(3) + np.sin(angle) * K + (1 - np.cos(angle)) * (K @ K)


def rotation_angle(R: Any) -> np.ndarray:
    """Rotation angle ``omega in [0, pi]`` of rotation matrices ``(..., 3, 3)``."""
    R = np.asarray(R, dtype=float)
    return np.arccos(np.clip((np.trace(R, axis1=-2, axis2=-1) - 1) / 2, -1.0, 1.0))


def _closure(gens: list[np.ndarray], max_order: int, tol: float) -> tuple[np.ndarray, np.ndarray]:
    elems = [np.eye(3)]
    stack = np.eye(3)[None]
    rows: list[list[int]] = [[] for _ in gens]
    head = 0
    while head < len(elems):
        x = elems[head]
        for s, g in enumerate(gens):
            y = x @ g
            dist = np.abs(stack - y).max(axis=(1, 2))
            j = int(np.argmin(dist))
            if dist[j] > tol:
                j = len(elems)
                if j >= max_order:
                    raise EnumerationLimitError(f"the rotations generate a group of order > max_order={max_order}")
                elems.append(y)
                stack = np.concatenate([stack, y[None]])
            rows[s].append(j)
        head += 1
    return np.array(rows, dtype=np.int64), np.stack(elems)


def rotation_subgroup(kind: str, n: int | None = None, *, max_order: int = 10_000, tol: float = 1e-9) -> RotationGroup:
    """A finite subgroup of SO(3): ``"cyclic"`` (order n), ``"dihedral"`` (2n), ``"tetrahedral"``,
    ``"octahedral"``, ``"icosahedral"``.

    Parameters
    ----------
    kind : str
    n : int, optional
        Required for ``"cyclic"`` and ``"dihedral"`` (``n >= 1``).
    max_order : int
        Limit of the closure.
    tol : float
        Matching tolerance (max-abs) for products.

    Returns
    -------
    RotationGroup

    Raises
    ------
    InvalidGroupError
        Unknown kind or bad ``n``.
    EnumerationLimitError
        More than ``max_order`` elements.

    Examples
    --------
    >>> [rotation_subgroup(k).order for k in ("tetrahedral", "octahedral", "icosahedral")]
    [12, 24, 60]
    >>> rotation_subgroup("dihedral", 5).group.is_abelian
    False
    """
    if kind not in SUBGROUP_KINDS:
        raise InvalidGroupError(f"kind must be one of {SUBGROUP_KINDS}, got {quote(kind)}")
    if kind in ("cyclic", "dihedral"):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise InvalidGroupError(f"{kind} subgroups need an integer n >= 1, got {quote(n)}")
        n = int(n)
        gens = [axis_angle_matrix([0, 0, 1], 2 * np.pi / n)]
        names = ["r"]
        if kind == "dihedral":
            gens.append(axis_angle_matrix([1, 0, 0], np.pi))
            names.append("s")
        name = f"C{n}" if kind == "cyclic" else f"D{n}"
    elif kind == "tetrahedral":
        gens, names, name = [axis_angle_matrix([0, 0, 1], np.pi), axis_angle_matrix([1, 1, 1], 2 * np.pi / 3)], ["a", "b"], "T"
    elif kind == "octahedral":
        gens, names, name = [axis_angle_matrix([0, 0, 1], np.pi / 2), axis_angle_matrix([1, 1, 1], 2 * np.pi / 3)], ["a", "b"], "O"
    else:
        phi = (1 + np.sqrt(5)) / 2
        gens = [axis_angle_matrix([0, 1, phi], 2 * np.pi / 5), axis_angle_matrix([1, 1, 1], 2 * np.pi / 3)]
        names, name = ["a", "b"], "I"
    perms, mats = _closure(gens, max_order, tol)
    G = FiniteGroup(perms, names, name=name)
    return RotationGroup(G, mats, name)


def restriction_character(l: int, matrices: Any) -> np.ndarray:
    """``chi_l(R) = sin((2l+1) omega/2) / sin(omega/2)`` (``2l+1`` at ``omega = 0``) for every matrix.

    Examples
    --------
    >>> np.round(restriction_character(1, rotation_subgroup("cyclic", 4).matrices), 12) + 0.0
    array([ 3.,  1., -1.,  1.])
    """
    if isinstance(l, bool) or not isinstance(l, (int, np.integer)) or l < 0:
        raise InvalidGroupError(f"l must be an integer >= 0, got {quote(l)}")
    w = rotation_angle(matrices)
    m = np.arange(-l, l + 1)
    return np.real(np.exp(1j * np.multiply.outer(w, m)).sum(axis=-1))


def character_table_numeric(G: FiniteGroup, *, tol: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    """Complex character table by Burnside's algorithm; rows irreps (trivial first, by degree), columns elements.

    Returns ``(chars, degrees)`` with ``chars`` of shape ``(k, |G|)``. Cost ``O(|G|^2 + k^3)``.

    Raises
    ------
    VerificationError
        If the eigenvectors fail the orthogonality relations (a bug or a degenerate random combination).

    Examples
    --------
    >>> chars, deg = character_table_numeric(rotation_subgroup("tetrahedral").group)
    >>> deg.tolist()
    [1, 1, 1, 3]
    """
    n = G.order
    classes = G.conjugacy_classes()
    k = len(classes)
    cls = np.asarray(G.class_index)
    sizes = np.array([c.size for c in classes], dtype=float)
    T = np.asarray(G.cayley_table)
    # a[r, s, t] = #{(x, y) in C_r x C_s : x y = z} for a fixed z in C_t
    a = np.zeros((k, k, k))
    for r, cr in enumerate(classes):
        xs = np.asarray(cr.elements)
        for s, cs in enumerate(classes):
            ys = np.asarray(cs.elements)
            prod = T[np.ix_(xs, ys)].ravel()
            a[r, s] = np.bincount(cls[prod], minlength=k) / sizes
    rng = np.random.default_rng(12345)
    M = np.tensordot(rng.standard_normal(k), a, axes=1)  # M[s, t] = sum_r c_r a[r, s, t]
    # omega(r) omega(s) = sum_t a[r, s, t] omega(t): omega is a right eigenvector of every a[r]
    _, V = np.linalg.eig(M)
    omegas = V / V[0:1, :]  # normalize omega(identity class) = 1
    chars_cls = []
    degrees = []
    for j in range(k):
        om = omegas[:, j]
        d2 = n / np.sum(np.abs(om) ** 2 / sizes)
        d = np.sqrt(d2.real)
        chars_cls.append(d * om / sizes)
        degrees.append(int(round(d)))
    C = np.array(chars_cls)  # (k irreps, k classes)
    gram = (C * sizes) @ np.conj(C).T / n
    if not np.allclose(gram, np.eye(k), atol=tol * 100):
        raise VerificationError("numeric character table fails the orthogonality relations")
    keys = [
        (degrees[i], 0 if np.allclose(C[i], 1.0, atol=1e-6) else 1, tuple(np.round(-C[i].real, 6)), tuple(np.round(-C[i].imag, 6)))
        for i in range(k)
    ]
    order = sorted(range(k), key=keys.__getitem__)
    return C[order][:, cls], np.array(degrees)[order]


def restriction_multiplicities(
    l: int, H: RotationGroup, *, tol: float = 1e-8, method: str = "auto"
) -> tuple[np.ndarray, np.ndarray]:
    """Multiplicities of the irreps of ``H`` in ``D^l`` restricted to ``H``, and their degrees.

    Uses the exact irreps ``H.group.irreps()``; ``method="numeric"`` uses :func:`character_table_numeric` instead.

    Returns
    -------
    (multiplicities, degrees) : tuple of numpy.ndarray
        Integer arrays (one entry per irrep of ``H``).

    Raises
    ------
    VerificationError
        A multiplicity is not a nonnegative integer, or ``sum m d != 2l + 1`` (a bug).

    Examples
    --------
    >>> m, d = restriction_multiplicities(2, rotation_subgroup("icosahedral"))
    >>> (int(m @ d), m.tolist(), d.tolist())                 # D^2 restricts to the irrep of degree 5
    (5, [0, 0, 0, 0, 1], [1, 3, 3, 4, 5])
    """
    if not isinstance(H, RotationGroup):
        raise InvalidGroupError(f"H must be a RotationGroup (rotation_subgroup(...)), got {type(H).__name__}")
    if method not in ("auto", "numeric"):
        raise InvalidGroupError(f"method must be 'auto' or 'numeric', got {quote(method)}")
    chars, degrees = character_table_numeric(H.group) if method == "numeric" else _characters(H.group)
    chi = restriction_character(l, H.matrices)
    mult = (chars.conj() @ chi) / H.order
    rounded = np.round(mult.real)
    if np.abs(mult - rounded).max() > tol * max(1, 2 * l + 1) or rounded.min() < 0:
        raise VerificationError(f"restriction of D^{l} to {H.name} has non-integral multiplicities {mult}")
    m = rounded.astype(int)
    if int(m @ degrees) != 2 * l + 1:
        raise VerificationError(f"restriction of D^{l} to {H.name}: sum m d = {int(m @ degrees)} != {2 * l + 1}")
    return m, degrees


def _characters(G: FiniteGroup) -> tuple[np.ndarray, np.ndarray]:
    """Characters (rows, element order) and degrees from the exact irreps of ``G``."""
    reps = G.irreps()
    chars = np.array([np.trace(np.asarray(r.matrices), axis1=-2, axis2=-1) for r in reps], dtype=complex)
    return chars, np.array([int(r.dim) for r in reps])
