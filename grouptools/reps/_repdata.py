"""Generator data of representations: input conversion, evaluation at elements, verification.

A representation of a finite group ``G`` is stored by the images of ``G``'s generators in one
of three forms: *monomial* ``(perms, exps, m)`` with ``R(s) e_i = E(m)^exps[s, i] e_perms[s, i]``
(permutation, regular and induced representations, exact and cheap: index arithmetic),
*exact* dense matrices over a cyclotomic field (:class:`~grouptools.arith.CycMatrix`), or
*numeric* complex matrices. This module converts input into these forms, evaluates the images of
arbitrary elements as products along their spanning-tree words, and checks that generator images
define a homomorphism: every relator of the group's stored presentation maps to the identity
(powers ``x^e`` by repeated squaring), or, without a stored presentation, ``R(g) R(s) = R(g s)``
on every edge of the Cayley graph (the relators of Schreier's presentation; Schreier 1927).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..arith._cycmatrix import CycMatrix
from ..arith._cyclotomic import Cyclotomic
from .._errors import (
    CyclotomicError,
    GroupTooLargeError,
    InvalidGroupError,
    ParameterError,
    ParameterTypeError,
    quote,
)
from ..groups._group import FiniteGroup
from ._induce import monomial_homomorphism_ok, monomial_images

__all__ = [
    "DEFAULT_TOL",
    "MAX_EXACT_EDGE_WORK",
    "ExactEvaluator",
    "as_images",
    "check_monomial",
    "class_values",
    "exact_kron",
    "exact_relators_ok",
    "monomial_at",
    "monomial_dense",
    "monomial_matrix",
    "numeric_at",
    "numeric_relator_error",
    "relator_runs",
    "roots",
]

#: Default tolerance of numeric verification (relative to the size of the matrices).
DEFAULT_TOL = 1e-9
#: Largest ``|G| * dim^3`` for which exact images are verified on every Cayley-graph edge when the
#: group has no stored presentation.
MAX_EXACT_EDGE_WORK = 20_000_000


def roots(e: Any, m: int) -> np.ndarray:
    """``exp(2 pi i e / m)`` with exact values at multiples of a quarter turn.

    Examples
    --------
    >>> roots(np.array([0, 1, 2]), 4).tolist()
    [(1+0j), 1j, (-1+0j)]
    """
    e = np.asarray(e, np.int64) % m
    out = np.exp(2j * np.pi * e / m)
    four = (4 * e) % m == 0
    if four.any():
        out[four] = np.array([1, 1j, -1, -1j])[(4 * e[four]) // m]
    return out


def class_values(rep: Any) -> np.ndarray:
    """The character of a representation per conjugacy class as a complex array."""
    ch = rep.character
    return np.asarray(ch if isinstance(ch, np.ndarray) else [complex(c) for c in ch], complex)


def monomial_matrix(perm: np.ndarray, exps: np.ndarray, m: int) -> np.ndarray:
    """The complex matrix ``M e_i = E(m)^exps[i] e_perm[i]``.

    Examples
    --------
    >>> monomial_matrix(np.array([1, 0]), np.array([0, 2]), 4).real.tolist()
    [[0.0, -1.0], [1.0, 0.0]]
    """
    n = perm.size
    out = np.zeros((n, n), complex)
    out[perm, np.arange(n)] = roots(exps, m)
    return out


def monomial_dense(P: np.ndarray, E: np.ndarray, m: int) -> np.ndarray:
    """Complex matrices ``(len, n, n)`` of monomial images ``P, E`` of shape ``(len, n)``."""
    L, n = P.shape
    out = np.zeros((L, n, n), complex)
    out[np.arange(L)[:, None], P, np.arange(n)[None, :]] = roots(E, m)
    return out


def _to_exact(x: Any, what: str) -> CycMatrix | None:
    """``x`` as a CycMatrix if it is exact data (CycMatrix, sympy matrix, integer array, nested
    lists of ints / Fractions / Cyclotomics), ``None`` if it is floating point."""
    if isinstance(x, CycMatrix):
        return x
    if type(x).__module__.startswith("sympy"):
        try:
            rows = [[Cyclotomic.from_sympy(v) for v in x.row(i)] for i in range(x.rows)]
            return CycMatrix(rows)
        except (CyclotomicError, AttributeError, TypeError, ValueError) as exc:
            raise ParameterError(f"{what}: sympy entries must be cyclotomic ({quote(str(exc))})") from None
    if isinstance(x, np.ndarray):
        if x.dtype.kind in "iub":
            return CycMatrix(x.astype(np.int64).tolist())
        if x.dtype.kind in "fc":
            return None
        if x.dtype != object:
            raise ParameterTypeError(f"{what}: unsupported dtype {x.dtype}")
        x = x.tolist()
    if isinstance(x, (list, tuple)):
        flat = [v for row in x for v in (row if isinstance(row, (list, tuple)) else [row])]
        if any(isinstance(v, (float, complex, np.floating, np.complexfloating)) for v in flat):
            return None
        try:
            return CycMatrix(x)
        except CyclotomicError as exc:
            raise ParameterError(f"{what}: {quote(str(exc))}") from None
    raise ParameterTypeError(f"{what}: expected a matrix, got {type(x).__name__}")


def as_images(G: FiniteGroup, images: Any) -> tuple[list[CycMatrix] | None, np.ndarray]:
    """Generator images (a sequence in the order of ``G.generator_names`` or a dict name ->
    matrix) as exact matrices (or ``None`` if any is floating point) and as a complex array
    ``(k, n, n)``.

    Raises
    ------
    ParameterTypeError, ParameterError
        Wrong types, missing or unknown generators, non-square or mismatched shapes.

    Examples
    --------
    >>> import grouptools as gt
    >>> X, U = as_images(gt.cyclic(2), [[[-1]]])
    >>> X[0].to_gap(), U.shape
    ([['-1']], (1, 1, 1))
    """
    names = G.generator_names
    if isinstance(images, dict):
        unknown = sorted(set(map(str, images)) - set(names))
        if unknown or len(images) != len(names):
            raise ParameterError(f"images need exactly the generators {quote(list(names))}, got {quote(list(images))}")
        images = [images[s] for s in names]
    if isinstance(images, (str, bytes, np.ndarray)) and not (isinstance(images, np.ndarray) and images.ndim == 3):
        raise ParameterTypeError(f"images must be a sequence of matrices, got {type(images).__name__}")
    try:
        seq = list(images)
    except TypeError:
        raise ParameterTypeError(f"images must be a sequence of matrices, got {type(images).__name__}") from None
    if len(seq) != len(names):
        raise ParameterError(f"{len(names)} generators but {len(seq)} images")
    exact = [_to_exact(x, f"image of {names[s]}") for s, x in enumerate(seq)]
    if all(e is not None for e in exact):
        mats = [e.to_complex() for e in exact]
    else:
        exact = None
        try:
            mats = [np.asarray(x.to_complex() if isinstance(x, CycMatrix) else x, dtype=complex) for x in seq]
        except (TypeError, ValueError):
            raise ParameterTypeError("images must be numeric matrices") from None
    shapes = {m.shape for m in mats}
    if len(shapes) > 1 or any(len(s) != 2 or s[0] != s[1] or s[0] < 1 for s in shapes):
        raise ParameterError(f"images must be square matrices of one size, got shapes {quote(sorted(shapes))}")
    n = mats[0].shape[0] if mats else 1
    num = np.stack(mats) if mats else np.zeros((0, n, n), complex)
    if not np.all(np.isfinite(num)):
        raise ParameterError("images have non-finite entries")
    return exact, num


def relator_runs(G: FiniteGroup) -> list[list[tuple[int, int]]] | None:
    """The stored presentation's relators as runs ``(generator, exponent)``, or ``None``."""
    pres = G.defining_presentation
    if pres is None:
        return None
    out = []
    for rel in pres.relators:
        runs: list[tuple[int, int]] = []
        for c in rel:
            s, e = abs(int(c)) - 1, (1 if c > 0 else -1)
            if runs and runs[-1][0] == s:
                runs[-1] = (s, runs[-1][1] + e)
            else:
                runs.append((s, e))
        out.append(runs)
    return out


def _power(X: Any, e: int, mul: Any, one: Any) -> Any:
    out, base = one, X
    while e:
        if e & 1:
            out = mul(out, base)
        e >>= 1
        if e:
            base = mul(base, base)
    return out


def exact_relators_ok(G: FiniteGroup, X: Sequence[CycMatrix], *,
                      max_edge_work: int = MAX_EXACT_EDGE_WORK) -> bool:
    """Exactly whether ``X`` (exact generator images) define a representation of ``G``.

    Raises
    ------
    GroupTooLargeError
        Without a stored presentation, if ``|G| dim^3`` exceeds ``max_edge_work`` (checked
        before the work).
    """
    n = X[0].shape[0] if X else 1
    m = math.lcm(1, *(x.m for x in X))
    X = [x.to_field(m) for x in X]
    one = CycMatrix.identity(n, m)
    runs = relator_runs(G)
    if runs is not None:
        inv = [x.inverse() for x in X]
        for rel in runs:
            P = one
            for s, e in rel:
                P = P @ _power(X[s] if e > 0 else inv[s], abs(e), lambda a, b: a @ b, one)
            if not P.is_identity():
                return False
        return True
    if G.order * n ** 3 > max_edge_work:
        raise GroupTooLargeError(
            f"exact check on all {G.order} elements of a group without stored presentation needs "
            f"|G| dim^3 = {G.order * n ** 3} > max_edge_work={max_edge_work}")
    ev = ExactEvaluator(G, X)
    for s in range(len(X)):
        for x in range(G.order):
            if not ev.image(x) @ X[s] == ev.image(int(G.right_perms[s, x])):
                return False
    return True


def numeric_relator_error(G: FiniteGroup, U: np.ndarray) -> float:
    """Largest ``|R(relator) - I|`` (entrywise) over the stored presentation's relators, or
    without one over ``R(g) R(s) - R(g s)`` on every Cayley-graph edge."""
    k, n, _ = U.shape
    eye = np.eye(n)
    runs = relator_runs(G)
    if runs is not None:
        inv = np.linalg.inv(U) if k else U
        err = 0.0
        for rel in runs:
            P = eye
            for s, e in rel:
                P = P @ np.linalg.matrix_power(U[s] if e > 0 else inv[s], abs(e))
            err = max(err, float(np.abs(P - eye).max()))
        return err
    mats = numeric_at(G, U, np.arange(G.order))
    return max((float(np.abs(mats @ U[s] - mats[G.right_perms[s]]).max()) for s in range(k)),
               default=0.0)


def numeric_at(G: FiniteGroup, U: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """Numeric images ``(len(xs), n, n)`` of the elements ``xs``: products of the generator images
    along the spanning tree, walked up from all elements at once (``g_x = g_parent * letter``,
    so ``R(g_x) = R(letter_1) ... R(letter_depth)`` is accumulated from the right)."""
    xs = np.asarray(xs, np.int64).ravel()
    k, n, _ = U.shape
    letters = np.empty((2 * k, n, n), complex)
    letters[0::2] = U
    if k:
        letters[1::2] = np.linalg.inv(U)
    _, parent, letter, _ = G.spanning_tree
    out = np.broadcast_to(np.eye(n, dtype=complex), (xs.size, n, n)).copy()
    cur = xs.copy()
    act = np.flatnonzero(cur != 0)
    while act.size:
        out[act] = letters[letter[cur[act]]] @ out[act]
        cur[act] = parent[cur[act]]
        act = act[cur[act] != 0]
    return out


class ExactEvaluator:
    """Exact images of elements, ``X(g_x) = X(g_parent) X(letter)`` along the spanning tree,
    memoized per element (each element costs one product once its parent is known); ``dim`` is
    the degree when there are no generator images (a representation of the trivial group).

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.cyclic(4)
    >>> ev = ExactEvaluator(G, [CycMatrix([[0, -1], [1, 0]])])
    >>> ev.image(G.element("a^2")).to_gap()
    [['-1', '0'], ['0', '-1']]
    """

    def __init__(self, G: FiniteGroup, X: Sequence[CycMatrix], dim: int | None = None) -> None:
        self.group = G
        n = X[0].shape[0] if X else (1 if dim is None else int(dim))  # no generators: the trivial group
        self.m = math.lcm(1, *(x.m for x in X))
        self.gens = [x.to_field(self.m) for x in X]
        self.invs: list[CycMatrix | None] = [None] * len(X)
        self.memo: dict[int, CycMatrix] = {0: CycMatrix.identity(n, self.m)}

    def _letter(self, t: int) -> CycMatrix:
        s = t // 2
        if t % 2 == 0:
            return self.gens[s]
        if self.invs[s] is None:
            self.invs[s] = self.gens[s].inverse()
        return self.invs[s]

    def image(self, x: int) -> CycMatrix:
        """The exact image of element ``x``."""
        x = int(x)
        got = self.memo.get(x)
        if got is not None:
            return got
        _, parent, letter, _ = self.group.spanning_tree
        path = []
        while x not in self.memo:
            path.append(x)
            x = int(parent[x])
        P = self.memo[x]
        for y in reversed(path):
            P = P @ self._letter(int(letter[y]))
            self.memo[y] = P
        return P


def exact_kron(A: CycMatrix, B: CycMatrix) -> CycMatrix:
    """The Kronecker product ``A (x) B`` exactly: ``(A (x) I)(I (x) B)``, both factors placed by
    index arithmetic, one exact product.

    Examples
    --------
    >>> exact_kron(CycMatrix([[1, 2]]), CycMatrix([[0], [1]])).to_gap()
    [['0', '0'], ['1', '2']]
    """
    m = math.lcm(A.m, B.m)
    A, B = A.to_field(m), B.to_field(m)
    (r1, c1), (r2, c2) = A.shape, B.shape
    a, b = np.asarray(A.coefficients), np.asarray(B.coefficients)
    deg = a.shape[2]
    left = np.zeros((r1 * r2, c1 * r2, deg), dtype=a.dtype)
    for j in range(r2):
        left[j::r2, j::r2] = a
    right = np.zeros((c1 * r2, c1 * c2, deg), dtype=b.dtype)
    for i in range(c1):
        right[i * r2:(i + 1) * r2, i * c2:(i + 1) * c2] = b
    return (CycMatrix.from_coefficients(left, m, A.denominator)
            @ CycMatrix.from_coefficients(right, m, B.denominator))


def check_monomial(G: FiniteGroup, perms: np.ndarray, exps: np.ndarray, m: int) -> None:
    """Exact check of monomial generator data (raises InvalidGroupError)."""
    if not monomial_homomorphism_ok(G, perms, exps[None], m)[0]:
        raise InvalidGroupError("the monomial images do not satisfy the relators of the group")


def monomial_at(G: FiniteGroup, perms: np.ndarray, exps: np.ndarray, m: int,
                xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact monomial images ``(P, E)`` of the elements ``xs`` (shapes ``(len, n)``)."""
    xs = np.asarray(xs, np.int64).ravel()
    if xs.size == 0:
        n = perms.shape[1]
        return np.zeros((0, n), np.int64), np.zeros((0, n), np.int64)
    P, E = monomial_images(G, perms, exps[None], m, xs)
    return P, E[0]

