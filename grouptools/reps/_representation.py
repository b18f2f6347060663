"""The :class:`Representation` object: a finite-dimensional representation of a finite group.

A representation is given by the images of the group's generators, exact (monomial data or
matrices over a cyclotomic field) or numeric (complex matrices), verified on the relators of the
group (:mod:`grouptools.reps._repdata`). Constructions (direct sum, tensor product, dual,
restriction, induction) keep exact data exact and monomial data monomial; the decomposition into
irreducibles is :mod:`grouptools.reps._decompose`. Every :class:`~grouptools.Irrep` is a
:class:`Representation` (a subclass that provides the same protocol).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..arith._cycmatrix import CycMatrix
from ..arith._cyclotomic import Cyclotomic
from .._errors import (
    GroupTooLargeError,
    InvalidGroupError,
    ParameterError,
    ParameterTypeError,
    check_index,
    check_limit,
    check_type,
)
from ..groups._group import FiniteGroup, Subgroup
from ._decompose import Decomposition, decompose
from ._induce import Transversal
from ._repdata import (
    DEFAULT_TOL,
    ExactEvaluator,
    as_images,
    class_values,
    check_monomial,
    exact_kron,
    exact_relators_ok,
    monomial_at,
    monomial_dense,
    numeric_at,
    numeric_relator_error,
)
from ._repexport import representation_dict, representation_gap

__all__ = ["DEFAULT_AT_BYTES", "Representation", "as_representation", "induce"]

#: Memory budget of :meth:`Representation.at` (bytes of the returned array).
DEFAULT_AT_BYTES = 2 * 2**30


class Representation:
    """A representation of a finite group by matrices, exact or numeric (immutable).

    Parameters
    ----------
    group : FiniteGroup
    images : sequence or dict
        The images of ``group.generator_names`` (a dict keyed by name, or a sequence in that
        order). Exact input: :class:`~grouptools.CycMatrix`, sympy matrices with cyclotomic
        entries (rationals, roots of unity, square roots of rationals), integer arrays, nested
        lists of ints, ``Fraction`` or ``Cyclotomic``. Any floating-point image makes the
        representation numeric (complex128).
    tol : float
        Tolerance of the numeric check (entrywise, times the dimension).
    verify : bool
        Check that the images satisfy the relators (exactly for exact input). Disable only for
        images known to be a representation.

    Raises
    ------
    InvalidGroupError
        If the images do not satisfy the relators of ``group``'s stored presentation (or,
        without one, are not multiplicative on the Cayley graph).
    ParameterError, ParameterTypeError
        Malformed images.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.cyclic(4)
    >>> rho = gt.Representation(G, [[[0, -1], [1, 0]]])     # rotation by a quarter turn
    >>> rho.dim, rho.is_exact, rho.is_unitary, rho.is_irreducible
    (2, True, True, False)
    >>> [c.to_gap() for c in rho.character]
    ['2', '-2', '0', '0']
    >>> rho.decompose().multiplicities.tolist()
    [0, 0, 1, 1]
    """

    __slots__ = ("_rgroup", "_rdim", "_rexact", "_rnum", "_rmono", "_rchar", "_rcache", "_rpoints")

    def __init__(self, group: FiniteGroup, images: Any, *, tol: float = DEFAULT_TOL,
                 verify: bool = True) -> None:
        check_type("group", group, FiniteGroup, "a FiniteGroup")
        exact, num = as_images(group, images)
        tol = check_limit("tol", tol, integer=False)
        if verify:
            if exact is not None:
                if not exact_relators_ok(group, exact):
                    raise InvalidGroupError("the images do not satisfy the relators of the group")
            else:
                err = numeric_relator_error(group, num)
                if err > tol * num.shape[1]:
                    raise InvalidGroupError(f"the images do not satisfy the relators (error {err:.1e})")
        if exact is not None:
            m = math.lcm(1, *(x.m for x in exact))
            exact = tuple(x.to_field(m) for x in exact)
        self._set(group, num.shape[1], exact, num, None)

    def _set(self, group: FiniteGroup, dim: int, exact: Any, num: Any, mono: Any,
             char: Any = None, points: Any = None) -> None:
        object.__setattr__(self, "_rgroup", group)
        object.__setattr__(self, "_rdim", int(dim))
        object.__setattr__(self, "_rexact", exact)
        if num is not None:
            num = np.array(num, complex)
            num.setflags(write=False)
        object.__setattr__(self, "_rnum", num)
        object.__setattr__(self, "_rmono", mono)
        object.__setattr__(self, "_rchar", char)
        object.__setattr__(self, "_rpoints", points)
        object.__setattr__(self, "_rcache", {})

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, key: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    @classmethod
    def from_monomial(cls, group: FiniteGroup, perms: Any, exps: Any = None, m: int = 1, *,
                      points: Any = None, verify: bool = True) -> Representation:
        """The monomial representation ``R(s) e_i = E(m)^exps[s, i] e_perms[s, i]`` (exact).

        Parameters
        ----------
        perms : int array (k, n)
            One permutation of ``range(n)`` per generator of ``group``.
        exps : int array (k, n), optional
            Exponents of ``E(m)`` (default 0: a permutation representation).
        points : array, optional
            Labels of the basis vectors (kept as :attr:`points`).

        Examples
        --------
        >>> import grouptools as gt
        >>> R = Representation.from_monomial(gt.cyclic(3), [[1, 2, 0]])
        >>> R.dim, [c.to_gap() for c in R.character]
        (3, ['3', '0', '0'])
        """
        check_type("group", group, FiniteGroup, "a FiniteGroup")
        try:
            P = np.asarray(perms, dtype=np.int64)
            E = np.zeros_like(P) if exps is None else np.asarray(exps, dtype=np.int64)
        except (TypeError, ValueError):
            raise ParameterTypeError("perms and exps must be integer arrays") from None
        k = len(group.generator_names)
        m = check_limit("m", m)
        if P.ndim != 2 or P.shape[0] != k or E.shape != P.shape or P.shape[1] < 1:
            raise ParameterError(f"perms and exps must have shape ({k}, n), got {P.shape} and {E.shape}")
        n = P.shape[1]
        if np.any(np.sort(P, axis=1) != np.arange(n)):
            raise ParameterError("every row of perms must be a permutation of range(n)")
        if verify:
            check_monomial(group, P, E % m, m)
        obj = object.__new__(cls)
        obj._set(group, n, None, None, (P, E % m, m), points=points)
        return obj

    # -- the protocol (overridden by Irrep) -----------------------------------------------------
    @property
    def group(self) -> FiniteGroup:
        """The group represented."""
        return self._rgroup

    @property
    def dim(self) -> int:
        """The dimension."""
        return self._rdim

    @property
    def is_exact(self) -> bool:
        """Whether the images are exact (monomial data or cyclotomic matrices)."""
        return self._rmono is not None or self._rexact is not None

    @property
    def monomial_data(self) -> tuple[np.ndarray, np.ndarray, int] | None:
        """``(perms, exps, m)`` of monomial generator images, or ``None``."""
        if self._rmono is None:
            return None
        P, E, m = self._rmono
        return P.copy(), E.copy(), m

    @property
    def exact_generator_images(self) -> tuple[CycMatrix, ...] | None:
        """Exact generator images (``CycMatrix``) in the basis of :meth:`__call__`, or ``None``."""
        if self._rexact is not None:
            return self._rexact
        if self._rmono is None:
            return None
        P, E, m = self._rmono
        return self._memo("exact", lambda: tuple(CycMatrix.monomial(p, e, m) for p, e in zip(P, E)))

    @property
    def numeric_generator_images(self) -> np.ndarray:
        """``(k, n, n)`` complex generator images (read-only)."""
        if self._rnum is not None:
            return self._rnum

        def build() -> np.ndarray:
            if self._rexact is not None:
                out = (np.stack([x.to_complex() for x in self._rexact]) if self._rexact
                       else np.zeros((0, self.dim, self.dim), complex))  # the trivial group
            else:
                P, E, m = self._rmono
                out = monomial_dense(P, E, m)
            out.setflags(write=False)
            return out
        return self._memo("numeric", build)

    @property
    def points(self) -> np.ndarray | None:
        """Labels of the basis vectors of permutation and induced representations (the coset
        representatives, element indices), else ``None``."""
        return self._rpoints

    def _memo(self, key: str, fn: Any) -> Any:
        cache = self._rcache
        if key not in cache:
            cache[key] = fn()
        return cache[key]

    # -- evaluation ------------------------------------------------------------------------------
    def at(self, elements: Any, *, max_bytes: int = DEFAULT_AT_BYTES) -> np.ndarray:
        """Complex matrices of the given elements, shape ``elements.shape + (n, n)``.

        Products of the generator images along the elements' spanning-tree words, all elements
        at once (monomial data: index arithmetic); nothing of size ``|G|`` is built.

        Raises
        ------
        ElementError, ParameterTypeError
            Bad element indices.
        GroupTooLargeError
            If the result exceeds ``max_bytes``.

        Examples
        --------
        >>> import grouptools as gt
        >>> G = gt.dihedral(6)
        >>> R = G.regular_representation()
        >>> bool(np.allclose(R.at(3) @ R.at(5), R(G.multiply(3, 5))))
        True
        """
        G = self.group
        xs = _elements(G, elements)
        n = self.dim
        max_bytes = check_limit("max_bytes", max_bytes)
        if xs.size * n * n * 16 > max_bytes:
            raise GroupTooLargeError(f"{xs.size} matrices of dimension {n} exceed max_bytes={max_bytes}")
        mono = self.monomial_data
        if mono is not None:
            P, E = monomial_at(G, mono[0], mono[1], mono[2], xs.ravel())
            out = monomial_dense(P, E, mono[2])
        else:
            out = numeric_at(G, self.numeric_generator_images, xs.ravel())
        return out.reshape(xs.shape + (n, n))

    def __call__(self, g: int | str) -> np.ndarray:
        """The complex matrix of element ``g`` (an index or a word in the generators)."""
        x = self.group.element(g) if isinstance(g, str) else check_index("element index", g, self.group.order)
        return self.at(x)

    def exact_at(self, elements: Sequence[int]) -> list[CycMatrix]:
        """Exact matrices of the given elements (an exact representation only).

        Raises
        ------
        ParameterError
            For a numeric representation.
        """
        if not self.is_exact:
            raise ParameterError("exact_at needs an exact representation")
        xs = _elements(self.group, elements).ravel()
        mono = self.monomial_data
        if mono is not None:
            P, E = monomial_at(self.group, mono[0], mono[1], mono[2], xs)
            return [CycMatrix.monomial(p, e, mono[2]) for p, e in zip(P, E)]
        ev = self._memo("evaluator", lambda: ExactEvaluator(self.group, self.exact_generator_images, self.dim))
        return [ev.image(int(x)) for x in xs]

    # -- characters --------------------------------------------------------------------------------
    @property
    def character(self) -> Any:
        """The character per conjugacy class (in the order of ``G.conjugacy_classes()``): a tuple
        of exact ``Cyclotomic`` for an exact representation, a complex array otherwise."""
        if self._rchar is not None:
            return self._rchar

        def build() -> Any:
            G = self.group
            reps = np.asarray(G.conjugacy_classes().representatives, np.int64)
            mono = self.monomial_data
            if mono is not None:
                P, E = monomial_at(G, mono[0], mono[1], mono[2], reps)
                fixed = P == np.arange(self.dim)
                out = []
                for c in range(reps.size):
                    counts: dict[int, int] = {}
                    for e in E[c][fixed[c]]:
                        counts[int(e)] = counts.get(int(e), 0) + 1
                    out.append(Cyclotomic.from_root_coefficients(mono[2], counts))
                return tuple(out)
            if self.is_exact:
                return tuple(X.trace() for X in self.exact_at(reps))
            vals = np.trace(self.at(reps), axis1=1, axis2=2)
            vals.setflags(write=False)
            return vals
        return self._memo("character", build)

    @property
    def is_unitary(self) -> bool:
        """Whether the generator images are unitary (exactly for exact images, else to 1e-9)."""
        def build() -> bool:
            if self.monomial_data is not None:
                return True
            X = self.exact_generator_images
            if X is not None:
                return all((x @ x.conj_transpose()).is_identity() for x in X)
            U = self.numeric_generator_images
            err = np.abs(U @ np.conj(np.transpose(U, (0, 2, 1))) - np.eye(self.dim)).max(initial=0)
            return bool(err <= 1e-9)
        return self._memo("unitary", build)

    @property
    def is_irreducible(self) -> bool:
        """Whether ``<chi, chi> = 1`` (from the class sizes)."""
        G = self.group
        chi = class_values(self)
        sizes = np.asarray(G.conjugacy_classes().sizes, np.float64)
        return bool(abs(float((sizes * np.abs(chi) ** 2).sum()) / G.order - 1) < 1e-6)

    def __repr__(self) -> str:
        kind = "monomial" if self.monomial_data is not None else ("exact" if self.is_exact else "numeric")
        return f"<Representation of {self.group!r}: dim {self.dim}, {kind}>"

    # -- constructions -------------------------------------------------------------------------------
    def _other(self, other: Any) -> Representation:
        check_type("other", other, Representation, "a Representation")
        if other.group != self.group:
            raise ParameterError("the representations are of different groups")
        return other

    def direct_sum(self, other: Representation) -> Representation:
        """``self (+) other`` (the basis of ``self`` first).

        Examples
        --------
        >>> import grouptools as gt
        >>> R = gt.irreps(gt.symmetric(3))
        >>> S = R[1].direct_sum(R[2])
        >>> S.dim, S.monomial_data is not None, S.decompose().multiplicities.tolist()
        (3, True, [0, 1, 1])
        """
        other = self._other(other)
        G, n1, n2 = self.group, self.dim, other.dim
        char = _combine(self.character, other.character, lambda a, b: a + b)
        a, b = self.monomial_data, other.monomial_data
        if a is not None and b is not None:
            m = math.lcm(a[2], b[2])
            P = np.concatenate([a[0], b[0] + n1], axis=1)
            E = np.concatenate([a[1] * (m // a[2]), b[1] * (m // b[2])], axis=1)
            return _new(G, n1 + n2, mono=(P, E, m), char=char)
        X, Y = self.exact_generator_images, other.exact_generator_images
        if X is not None and Y is not None:
            Z = tuple(CycMatrix.vstack([CycMatrix.hstack([x, CycMatrix.zeros(n1, n2, x.m)]),
                                        CycMatrix.hstack([CycMatrix.zeros(n2, n1, y.m), y])])
                      for x, y in zip(X, Y))
            return _new(G, n1 + n2, exact=Z, char=char)
        U, V = self.numeric_generator_images, other.numeric_generator_images
        W = np.zeros((U.shape[0], n1 + n2, n1 + n2), complex)
        W[:, :n1, :n1], W[:, n1:, n1:] = U, V
        return _new(G, n1 + n2, num=W, char=char)

    def tensor(self, other: Representation) -> Representation:
        """The tensor product ``self (x) other`` (basis ``e_i (x) f_j`` at ``i * other.dim + j``,
        as ``numpy.kron``).

        Examples
        --------
        >>> import grouptools as gt
        >>> rho = gt.irreps(gt.symmetric(3))[2]
        >>> rho.tensor(rho).decompose().multiplicities.tolist()
        [1, 1, 1]
        """
        other = self._other(other)
        G, n1, n2 = self.group, self.dim, other.dim
        char = _combine(self.character, other.character, lambda a, b: a * b)
        a, b = self.monomial_data, other.monomial_data
        if a is not None and b is not None:
            m = math.lcm(a[2], b[2])
            P = (a[0][:, :, None] * n2 + b[0][:, None, :]).reshape(a[0].shape[0], -1)
            E = (a[1][:, :, None] * (m // a[2]) + b[1][:, None, :] * (m // b[2])).reshape(P.shape)
            return _new(G, n1 * n2, mono=(P, E % m, m), char=char)
        X, Y = self.exact_generator_images, other.exact_generator_images
        if X is not None and Y is not None:
            return _new(G, n1 * n2, exact=tuple(exact_kron(x, y) for x, y in zip(X, Y)), char=char)
        U, V = self.numeric_generator_images, other.numeric_generator_images
        W = np.einsum("kab,kcd->kacbd", U, V).reshape(U.shape[0], n1 * n2, n1 * n2)
        return _new(G, n1 * n2, num=W, char=char)

    def dual(self) -> Representation:
        """The dual (contragredient) ``g -> R(g^-1)^T``; the complex conjugate for unitary ``R``.

        Examples
        --------
        >>> import grouptools as gt
        >>> rho = gt.irreps(gt.cyclic(3))[1]
        >>> rho.dual().character[1] == rho.character[2]
        True
        """
        G, n = self.group, self.dim
        ch = self.character
        char = tuple(c.conjugate() for c in ch) if isinstance(ch, tuple) else np.conj(ch)
        a = self.monomial_data
        if a is not None:
            return _new(G, n, mono=(a[0], (-a[1]) % a[2], a[2]), char=char)
        X = self.exact_generator_images
        if X is not None:
            return _new(G, n, exact=tuple(x.inverse().transpose() for x in X), char=char)
        U = self.numeric_generator_images
        return _new(G, n, num=np.transpose(np.linalg.inv(U), (0, 2, 1)), char=char)

    def restrict(self, H: Subgroup) -> Representation:
        """The restriction to a subgroup, as a representation of ``H.as_group()[0]`` (whose
        element ``j`` is ``H.as_group()[1][j]`` of this group).

        Examples
        --------
        >>> import grouptools as gt
        >>> G = gt.symmetric(3)
        >>> H = G.subgroup([G.element("a")])
        >>> G.irreps()[2].restrict(H).decompose().multiplicities.tolist()
        [0, 1, 1]
        """
        check_type("H", H, Subgroup, "a Subgroup")
        if H.parent != self.group:
            raise ParameterError("the subgroup belongs to another group")
        K, emb = H.as_group()
        xs = np.asarray(emb, np.int64)[list(K.generators)]
        a = self.monomial_data
        if a is not None:
            P, E = monomial_at(self.group, a[0], a[1], a[2], xs)
            return _new(K, self.dim, mono=(P, E, a[2]))
        if self.is_exact:
            return _new(K, self.dim, exact=tuple(self.exact_at(xs)))
        return _new(K, self.dim, num=self.at(xs))

    # -- decomposition and export -------------------------------------------------------------
    def decompose(self, *, exact: bool | None = None, field: str = "complex") -> Decomposition:
        """The decomposition into irreducibles with its change of basis; see
        :func:`grouptools.reps._decompose.decompose`."""
        return decompose(self, exact=exact, field=field)

    def to_json(self) -> dict:
        """JSON-ready dict: generator images exact (GAP notation) and numeric (``[re, im]``)."""
        return representation_dict(self)

    def to_gap(self) -> str:
        """The generator images as a GAP list of matrices (exact representations only)."""
        return representation_gap(self)


def _elements(G: FiniteGroup, elements: Any) -> np.ndarray:
    try:
        xs = np.asarray(elements)
    except (TypeError, ValueError):
        raise ParameterTypeError("elements must be an array of element indices") from None
    if xs.size and xs.dtype.kind not in "iu":
        raise ParameterTypeError(f"elements must be integers, got dtype {xs.dtype}")
    xs = xs.astype(np.int64)
    if xs.size and (xs.min() < 0 or xs.max() >= G.order):
        from .._errors import ElementError

        bad = int(xs[(xs < 0) | (xs >= G.order)].flat[0])
        raise ElementError(f"element index must lie in 0..{G.order - 1}, got {bad}")
    return xs


def _combine(a: Any, b: Any, op: Any) -> Any:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return tuple(op(x, y) for x, y in zip(a, b))
    return op(np.asarray([complex(x) for x in a]), np.asarray([complex(y) for y in b]))


def _new(G: FiniteGroup, n: int, *, exact: Any = None, num: Any = None, mono: Any = None,
         char: Any = None, points: Any = None) -> Representation:
    obj = object.__new__(Representation)
    if isinstance(char, np.ndarray) and (exact is not None or mono is not None):
        char = None
    if isinstance(char, tuple) and exact is None and mono is None:
        char = None
    obj._set(G, n, exact, num, mono, char, points)
    return obj


def as_representation(rep: Any) -> Representation:
    """``rep`` checked to be a :class:`Representation` (an :class:`~grouptools.Irrep` is one)."""
    return check_type("rep", rep, Representation, "a Representation (or an Irrep)")


def induce(rep: Representation, G: FiniteGroup, embedding: Any) -> Representation:
    """The induced representation ``Ind_K^G rep`` of a representation of ``K`` embedded in ``G``.

    With the left transversal ``t_0 = 1, ..., t_{D-1}`` of ``H = embedding(K)`` (smallest element
    of each coset), ``R(g) (e_i (x) v) = e_j (x) rep(h) v`` where ``g t_i = t_j h`` (Frobenius
    1898; Serre 1977, 3.3). Monomial in, monomial out; exact in, exact out. The coset
    representatives are :attr:`Representation.points`.

    Parameters
    ----------
    rep : Representation
        A representation of ``K = rep.group``.
    G : FiniteGroup
    embedding : int array (|K|,)
        ``embedding[j]`` is the element of ``G`` that element ``j`` of ``K`` maps to (an injective
        homomorphism; e.g. the second value of ``Subgroup.as_group()``).

    Raises
    ------
    InvalidGroupError
        If ``embedding`` is not an injective homomorphism.

    Examples
    --------
    >>> import grouptools as gt
    >>> G = gt.symmetric(3)
    >>> K, emb = G.subgroup([G.element("a")]).as_group()
    >>> R = gt.induce(K.irreps()[1], G, emb)
    >>> R.dim, R.decompose().multiplicities.tolist()
    (2, [0, 0, 1])
    """
    rep = as_representation(rep)
    check_type("G", G, FiniteGroup, "a FiniteGroup")
    K = rep.group
    emb = _elements(G, embedding).ravel()
    if emb.shape != (K.order,) or emb[0] != 0 or np.unique(emb).size != K.order:
        raise InvalidGroupError(f"embedding must map the {K.order} elements of K injectively, identity to 0")
    for s, g in enumerate(K.generators):
        if not np.array_equal(emb[K.right_perms[s]], np.asarray(G.multiply(emb, int(emb[g])))):
            raise InvalidGroupError("embedding is not a homomorphism")
    H = G.subgroup([int(emb[g]) for g in K.generators])
    if H.order != K.order:
        raise InvalidGroupError("embedding is not a homomorphism")
    T = Transversal(G, H)
    kidx = np.full(G.order, -1, np.int64)
    kidx[emb] = np.arange(K.order)
    j, hp = T.action(np.array(G.generators, np.int64))  # g_s t_i = t_j h
    hk = kidx[H.elements[hp]]  # (k, D) elements of K
    D, d, k = T.size, rep.dim, len(G.generator_names)
    a = rep.monomial_data
    if a is not None:
        P, E = monomial_at(K, a[0], a[1], a[2], hk.ravel())
        P, E = P.reshape(k, D, d), E.reshape(k, D, d)
        perms = (j[:, :, None] * d + P).reshape(k, D * d)
        return _new(G, D * d, mono=(perms, E.reshape(k, D * d), a[2]), points=T.reps.copy())
    if rep.is_exact:
        mats = rep.exact_at(hk.ravel())
        M = math.lcm(1, *(x.m for x in mats))
        out = []
        for s in range(k):
            blocks = [x.to_field(M) for x in mats[s * D:(s + 1) * D]]
            coef = np.zeros((D * d, D * d, blocks[0].degree), dtype=object)
            den = math.lcm(1, *(x.denominator for x in blocks))
            for i, x in enumerate(blocks):
                coef[j[s, i] * d:(j[s, i] + 1) * d, i * d:(i + 1) * d] = \
                    np.asarray(x.coefficients, dtype=object) * (den // x.denominator)
            out.append(CycMatrix.from_coefficients(coef, M, den))
        return _new(G, D * d, exact=tuple(out), points=T.reps.copy())
    mats = rep.at(hk.ravel()).reshape(k, D, d, d)
    W = np.zeros((k, D * d, D * d), complex)
    for s in range(k):
        for i in range(D):
            W[s, j[s, i] * d:(j[s, i] + 1) * d, i * d:(i + 1) * d] = mats[s, i]
    return _new(G, D * d, num=W, points=T.reps.copy())
