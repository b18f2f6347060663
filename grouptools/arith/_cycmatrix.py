"""Exact matrices over a cyclotomic field Q(zeta_m), vectorized with numpy.

A :class:`CycMatrix` stores the coefficients of its entries in the power basis
``1, z, ..., z^(d-1)`` of Q(zeta_m) (``z = E(m)``, ``d = phi(m)``, reduction modulo the
cyclotomic polynomial ``Phi_m``) as an integer array of shape ``(rows, cols, d)`` with one
positive common denominator. The array is ``int64`` while every entry is below ``2^62`` in
absolute value and Python ints (``dtype=object``) otherwise (:mod:`~grouptools.arith._multiword`).

Algorithms
----------
* Products ``A @ B`` are multi-modular (:func:`~grouptools.arith._fields.field_matmul`):
  evaluation at the ``d`` roots of ``Phi_m`` modulo primes ``p = 1 mod m`` turns one product
  over Q(zeta_m) into ``d`` integer products mod ``p``, with enough primes for an a-priori
  bound, and Chinese remaindering returns the exact product [vzGG]_. Scalar multiples, the
  Galois action and changes of field are exact integer products.
* Linear algebra (``rref``, ``rank``, ``nullspace``, ``solve``, ``inverse``) is certified
  multi-modular elimination (:mod:`~grouptools.arith._certify`) [vzGG]_.

References
----------
.. [vzGG] J. von zur Gathen, J. Gerhard, *Modern Computer Algebra*, 3rd ed., CUP 2013.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

from grouptools._errors import (
    CyclotomicError,
    GroupTooLargeError,
    ParameterTypeError,
    check_index,
)
from grouptools.arith._cyclotomic import Cyclotomic, as_cyclotomic, from_root_numerators
from grouptools.arith._fields import cyc_vector, field_matmul, field_tables
from grouptools.arith._linalg import LinearAlgebra
from grouptools.arith._matrix_input import (
    checked_coefficients,
    dimension,
    entries_to_coefficients,
    index_list,
    int_array,
    monomial_sum_coefficients,
    normalize_fraction,
    parse_key,
    rows_of,
)
from grouptools.arith._multiword import (
    as_object,
    imatmul,
    lincomb,
    maxabs,
    scale,
    shrink,
)
from grouptools.arith._zumbroich import check_order

__all__ = ["MAX_ENTRIES", "CycMatrix"]

MAX_ENTRIES = 1 << 27
"""Largest number of coefficients (``rows * cols * phi(m)``) of a matrix built by ``zeros``/``identity``."""


def _check_entries(rows: int, cols: int, d: int) -> None:
    if rows * cols * d > MAX_ENTRIES:
        raise GroupTooLargeError(f"a {rows} x {cols} matrix over a field of degree {d} needs "
                                 f"{rows * cols * d} coefficients, more than MAX_ENTRIES={MAX_ENTRIES}")


class CycMatrix(LinearAlgebra):
    """Exact matrix over the cyclotomic field Q(zeta_m) (immutable).

    Parameters
    ----------
    rows : nested sequence of Cyclotomic / int / Fraction, or CycMatrix
        The entries, row by row.
    m : int, optional
        The field Q(zeta_m) (e.g. the exponent of a group). Defaults to the lcm of the entries'
        conductors. Every entry must lie in Q(zeta_m).

    Notes
    -----
    See the module docstring for the storage and the algorithms. Operations between matrices
    over different ``m`` work in Q(zeta_lcm(m1, m2)).

    Examples
    --------
    >>> from grouptools.arith._cyclotomic import E
    >>> A = CycMatrix([[1, E(3)], [E(3) ** 2, 2]], m=3)
    >>> A.inverse() @ A == CycMatrix.identity(2, 3)
    True
    >>> A.trace()
    Cyclotomic('3')
    >>> A.to_gap()
    [['1', 'E(3)'], ['E(3)^2', '2']]
    """

    __slots__ = ("_F", "_c", "_den", "_m")
    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (CycMatrix.from_coefficients, (np.array(self._c), self._m, self._den))

    def __init__(self, rows: object, m: int | None = None) -> None:
        if isinstance(rows, CycMatrix):
            src = rows if m is None else rows.to_field(m)
            self._c, self._den, self._m, self._F = src._c, src._den, src._m, src._F
            return
        self._set(*entries_to_coefficients(rows, m))

    # -- construction -------------------------------------------------------------------------

    def _set(self, coef: np.ndarray, den: int, m: int) -> None:
        self._m = m
        self._F = field_tables(m)
        coef, den = normalize_fraction(coef, den)
        coef.setflags(write=False)
        self._c = coef
        self._den = den

    @classmethod
    def _new(cls, coef: np.ndarray, den: int, m: int) -> CycMatrix:
        obj = object.__new__(cls)
        obj._set(coef, den, m)
        return obj

    @classmethod
    def from_coefficients(cls, coef: object, m: int, den: int = 1) -> CycMatrix:
        """Matrix from power-basis coefficients: entry ``(i, j)`` is
        ``sum_s coef[i, j, s] E(m)^s / den``.

        Parameters
        ----------
        coef : array_like of int, shape (rows, cols, phi(m))
        m : int
        den : int, optional
            Nonzero common denominator.

        Examples
        --------
        >>> CycMatrix.from_coefficients([[[0, 1]]], 3).entry(0, 0)
        Cyclotomic('E(3)')
        """
        m = check_order(m)
        return cls._new(*checked_coefficients(coef, field_tables(m).d, den), m)

    @classmethod
    def zeros(cls, rows: int, cols: int, m: int) -> CycMatrix:
        """The ``rows x cols`` zero matrix over Q(zeta_m).

        Examples
        --------
        >>> CycMatrix.zeros(2, 3, 5).is_zero()
        True
        """
        m = check_order(m)
        rows, cols = dimension("rows", rows), dimension("cols", cols)
        _check_entries(rows, cols, field_tables(m).d)
        return cls._new(np.zeros((rows, cols, field_tables(m).d), dtype=np.int64), 1, m)

    @classmethod
    def identity(cls, n: int, m: int) -> CycMatrix:
        """The ``n x n`` identity matrix over Q(zeta_m).

        Examples
        --------
        >>> CycMatrix.identity(3, 4).is_identity()
        True
        """
        m = check_order(m)
        n = dimension("n", n)
        _check_entries(n, n, field_tables(m).d)
        c = np.zeros((n, n, field_tables(m).d), dtype=np.int64)
        c[np.arange(n), np.arange(n), 0] = 1
        return cls._new(c, 1, m)

    @classmethod
    def monomial(cls, perm: Sequence[int], exponents: Sequence[int], m: int) -> CycMatrix:
        """Monomial matrix ``M`` with ``M[perm[i], i] = E(m)^exponents[i]``, zeros elsewhere.

        So ``M e_i = E(m)^exponents[i] e_perm[i]`` (column convention of induced
        representations).

        Examples
        --------
        >>> M = CycMatrix.monomial([1, 0], [0, 1], 4)
        >>> M.to_gap()
        [['0', 'E(4)'], ['1', '0']]
        """
        m = check_order(m)
        F = field_tables(m)
        perm = int_array(perm, "perm")
        ex = int_array(exponents, "exponents")
        n = len(perm) if perm.ndim == 1 else -1
        if n < 0 or ex.shape != (n,) or sorted(perm.tolist()) != list(range(n)):
            raise CyclotomicError("monomial needs a permutation of range(n) and n exponents")
        c = np.zeros((n, n, F.d), dtype=np.int64)
        c[perm, np.arange(n)] = F.pow[ex % m]
        return cls._new(c, 1, m)

    @classmethod
    def monomial_sum(cls, perms: object, exponents: object, m: int,
                     weights: Sequence[object] | None = None) -> CycMatrix:
        """``sum_g weights[g] * monomial(perms[g], exponents[g], m)``, vectorized.

        The projection pattern ``sum_g c_g rho(g)`` for monomial representations ``rho``:
        each term is a scatter-add of shifted coefficient vectors (multiplication by a root of
        unity is a cyclic shift modulo ``x^m - 1``), followed by one reduction mod ``Phi_m``.

        Parameters
        ----------
        perms : int array (G, n)
            Each row a permutation of ``range(n)``.
        exponents : int array (G, n)
        m : int
        weights : sequence of G cyclotomics (in Q(zeta_m)), ints or Fractions, optional
            Defaults to all 1.

        Examples
        --------
        >>> # regular representation of C3: sum of all group elements
        >>> S = CycMatrix.monomial_sum([[0, 1, 2], [1, 2, 0], [2, 0, 1]], [[0] * 3] * 3, 3)
        >>> S.to_gap()
        [['1', '1', '1'], ['1', '1', '1'], ['1', '1', '1']]
        """
        m = check_order(m)
        return cls._new(*monomial_sum_coefficients(field_tables(m), perms, exponents, weights), m)

    @classmethod
    def from_gap(cls, rows: Sequence[Sequence[str]], m: int | None = None) -> CycMatrix:
        """Matrix from GAP notation, a list of lists of strings (see
        :meth:`Cyclotomic.from_gap`).

        Examples
        --------
        >>> CycMatrix.from_gap([["E(3)", "0"], ["-1/2", "E(3)^2"]]).m
        3
        """
        return cls([[Cyclotomic.from_gap(s) for s in row] for row in rows_of(rows, "rows")], m)

    @staticmethod
    def hstack(blocks: Sequence[CycMatrix]) -> CycMatrix:
        """Horizontal concatenation (equal row counts).

        Examples
        --------
        >>> CycMatrix.hstack([CycMatrix.identity(2, 1), CycMatrix.zeros(2, 1, 1)]).shape
        (2, 3)
        """
        return _stack(blocks, axis=1)

    @staticmethod
    def vstack(blocks: Sequence[CycMatrix]) -> CycMatrix:
        """Vertical concatenation (equal column counts).

        Examples
        --------
        >>> CycMatrix.vstack([CycMatrix.identity(2, 3), CycMatrix.zeros(1, 2, 3)]).shape
        (3, 2)
        """
        return _stack(blocks, axis=0)

    # -- basic properties ---------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, cols)``.

        Examples
        --------
        >>> CycMatrix.zeros(2, 3, 4).shape
        (2, 3)
        """
        return self._c.shape[0], self._c.shape[1]

    @property
    def m(self) -> int:
        """The field is Q(zeta_m).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(3), E(4)]]).m
        12
        """
        return self._m

    @property
    def degree(self) -> int:
        """``phi(m)``, the length of the coefficient vectors.

        Examples
        --------
        >>> CycMatrix.zeros(1, 1, 60).degree
        16
        """
        return self._F.d

    @property
    def denominator(self) -> int:
        """Positive common denominator of all coefficients (coprime to their gcd).

        Examples
        --------
        >>> from fractions import Fraction
        >>> CycMatrix([[Fraction(1, 2), Fraction(1, 3)]]).denominator
        6
        """
        return self._den

    @property
    def coefficients(self) -> np.ndarray:
        """Read-only integer array ``(rows, cols, phi(m))`` of power-basis numerators
        (``int64``, or Python ints in an object array when an entry reaches 2^62).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(3) ** 2]]).coefficients.tolist()  # E(3)^2 = -1 - E(3)
        [[[-1, -1]]]
        """
        return self._c

    def __repr__(self) -> str:
        r, c = self.shape
        return f"CycMatrix(<{r}x{c} over Q(zeta_{self._m})>)"

    # -- entries ------------------------------------------------------------------------------

    def entry(self, i: int, j: int) -> Cyclotomic:
        """Entry ``(i, j)`` as a :class:`Cyclotomic`.

        Examples
        --------
        >>> CycMatrix.identity(2, 5).entry(1, 1)
        Cyclotomic('1')
        """
        r, c = self.shape
        v = self._c[check_index("row index", i, r, negative=True), check_index("column index", j, c, negative=True)]
        return from_root_numerators(self._m, {s: int(x) for s, x in enumerate(v) if x},
                                      self._den)

    def to_cyclotomics(self) -> list[list[Cyclotomic]]:
        """All entries as nested lists of :class:`Cyclotomic`.

        Examples
        --------
        >>> CycMatrix.identity(2, 3).to_cyclotomics()
        [[Cyclotomic('1'), Cyclotomic('0')], [Cyclotomic('0'), Cyclotomic('1')]]
        """
        r, c = self.shape
        return [[self.entry(i, j) for j in range(c)] for i in range(r)]

    def __getitem__(self, key: object) -> CycMatrix | Cyclotomic:
        """``M[i, j]`` is a Cyclotomic; any other key (slices, index lists, ``M[i]``) gives a
        2-D CycMatrix (an int index keeps its axis with length 1).

        Examples
        --------
        >>> M = CycMatrix([[1, 2, 3], [4, 5, 6]])
        >>> M[1, 2], M[0].shape, M[:, [2, 0]].to_gap()
        (Cyclotomic('6'), (1, 3), [['3', '1'], ['6', '4']])
        """
        rows, cols = parse_key(key, self.shape)
        if isinstance(rows, int) and isinstance(cols, int):
            return self.entry(rows, cols)
        return CycMatrix._new(np.array(self._c[np.ix_(rows, cols)]), self._den, self._m)

    def rows(self, idx: Sequence[int]) -> CycMatrix:
        """Submatrix of the given rows (in that order).

        Examples
        --------
        >>> CycMatrix([[1], [2], [3]]).rows([2, 0]).to_gap()
        [['3'], ['1']]
        """
        return self[index_list(idx, "rows"), :]  # type: ignore[return-value]

    def cols(self, idx: Sequence[int]) -> CycMatrix:
        """Submatrix of the given columns (in that order).

        Examples
        --------
        >>> CycMatrix([[1, 2, 3]]).cols([1]).to_gap()
        [['2']]
        """
        return self[:, index_list(idx, "cols")]  # type: ignore[return-value]

    # -- conversions --------------------------------------------------------------------------

    def to_complex(self) -> np.ndarray:
        """complex128 array of the values (principal embedding ``E(m) = exp(2 pi i/m)``).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(4)]]).to_complex()
        array([[0.+1.j]])
        """
        c = self._c
        if c.dtype == object or maxabs(c) >= (1 << 53):
            den = self._den
            fl = np.vectorize(lambda x: x / den, otypes=[np.float64])(c) if c.size else \
                np.zeros(c.shape)
            return fl @ self._F.w
        return (c.astype(np.float64) @ self._F.w) / self._den

    def to_gap(self) -> list[list[str]]:
        """Entries in GAP notation (nested lists of str).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(8) + E(8) ** 3, -1]]).to_gap()
        [['E(8)+E(8)^3', '-1']]
        """
        return [[x.to_gap() for x in row] for row in self.to_cyclotomics()]

    def to_field(self, m: int) -> CycMatrix:
        """The same matrix over Q(zeta_m); every entry must lie in Q(zeta_m).

        Examples
        --------
        >>> CycMatrix.identity(2, 3).to_field(12).m
        12
        """
        m = check_order(m)
        if m == self._m:
            return self
        if m % self._m == 0:
            F2 = field_tables(m)
            f = m // self._m
            emb = F2.pow[(np.arange(self._F.d) * f) % m]  # (d1, d2)
            r, c = self.shape
            coef = imatmul(self._c.reshape(r * c, self._F.d), emb).reshape(r, c, F2.d)
            return CycMatrix._new(coef, self._den, m)
        return CycMatrix(self.to_cyclotomics(), m)

    # -- comparisons --------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CycMatrix):
            return NotImplemented
        if self.shape != other.shape:
            return False
        a, b = _common(self, other)
        return a._den == b._den and bool(np.array_equal(a._c, b._c))

    def is_zero(self) -> bool:
        """True iff every entry is 0.

        Examples
        --------
        >>> CycMatrix([[0, 0]]).is_zero(), CycMatrix([[0, 1]]).is_zero()
        (True, False)
        """
        return not self._c.any()

    def is_identity(self) -> bool:
        """True iff the matrix is square and equals the identity.

        Examples
        --------
        >>> CycMatrix([[1, 0], [0, 1]]).is_identity()
        True
        """
        r, c = self.shape
        if r != c or self._den != 1:
            return False
        target = np.zeros_like(self._c)
        target[np.arange(r), np.arange(r), 0] = 1
        return bool(np.array_equal(self._c, target))

    # -- arithmetic ---------------------------------------------------------------------------

    def __neg__(self) -> CycMatrix:
        return CycMatrix._new(-self._c, self._den, self._m)

    def __pos__(self) -> CycMatrix:
        return self

    def __add__(self, other: object) -> CycMatrix:
        if not isinstance(other, CycMatrix):
            return NotImplemented
        if self.shape != other.shape:
            raise CyclotomicError(f"shape mismatch {self.shape} + {other.shape}")
        a, b = _common(self, other)
        den = math.lcm(a._den, b._den)
        coef = lincomb(a._c, den // a._den, b._c, den // b._den)
        return CycMatrix._new(coef, den, a._m)

    def __sub__(self, other: object) -> CycMatrix:
        if not isinstance(other, CycMatrix):
            return NotImplemented
        return self + (-other)

    def _scalar(self, x: Cyclotomic) -> CycMatrix:
        if not x:
            return CycMatrix.zeros(*self.shape, self._m)
        m = math.lcm(self._m, x.conductor)
        A = self.to_field(m)
        F = A._F
        vec, xden = cyc_vector(F, x)
        r, c = A.shape
        vec_arr = shrink(np.array(vec, dtype=object))
        if x.is_rational:
            coef = scale(A._c, int(vec_arr[0]))
        else:
            M = F.mult_matrix(vec_arr)
            coef = imatmul(A._c.reshape(r * c, F.d), M).reshape(r, c, F.d)
        return CycMatrix._new(coef, A._den * xden, m)

    def __mul__(self, other: object) -> CycMatrix:
        if isinstance(other, CycMatrix):
            return NotImplemented
        x = as_cyclotomic(other)
        if x is None:
            return NotImplemented
        return self._scalar(x)

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> CycMatrix:
        if isinstance(other, CycMatrix):
            return NotImplemented
        x = as_cyclotomic(other)
        if x is None:
            return NotImplemented
        return self._scalar(x.inverse())

    def __matmul__(self, other: object) -> CycMatrix:
        if not isinstance(other, CycMatrix):
            return NotImplemented
        k, k2 = self.shape[1], other.shape[0]
        if k != k2:
            raise CyclotomicError(f"shape mismatch {self.shape} @ {other.shape}")
        a, b = _common(self, other)
        coef = field_matmul(a._F, a._c, b._c)
        return CycMatrix._new(coef, a._den * b._den, a._m)

    def transpose(self) -> CycMatrix:
        """Transpose.

        Examples
        --------
        >>> CycMatrix([[1, 2]]).transpose().to_gap()
        [['1'], ['2']]
        """
        return CycMatrix._new(np.ascontiguousarray(self._c.transpose(1, 0, 2)), self._den,
                              self._m)

    @property
    def T(self) -> CycMatrix:
        """Transpose."""
        return self.transpose()

    def galois(self, k: int) -> CycMatrix:
        """Entrywise Galois automorphism ``E(m) -> E(m)^k`` (``k`` coprime to ``m``).

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(5)]]).galois(2).entry(0, 0) == E(5) ** 2
        True
        """
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            raise CyclotomicError("Galois exponent must be an int")
        k = int(k) % self._m if self._m > 1 else 0
        if math.gcd(k, self._m) != 1:
            raise CyclotomicError(f"Galois exponent {k} is not coprime to m={self._m}")
        if self._m <= 2 or k == 1:
            return self
        r, c = self.shape
        Gm = self._F.galois_matrix(k)
        coef = imatmul(self._c.reshape(r * c, self._F.d), Gm).reshape(r, c, self._F.d)
        return CycMatrix._new(coef, self._den, self._m)

    def conjugate(self) -> CycMatrix:
        """Entrywise complex conjugate.

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[E(3)]]).conjugate().to_gap()
        [['E(3)^2']]
        """
        return self.galois(-1)

    def conj_transpose(self) -> CycMatrix:
        """Conjugate transpose ``A^H``.

        Examples
        --------
        >>> from grouptools.arith._cyclotomic import E
        >>> CycMatrix([[1, E(4)]]).conj_transpose().to_gap()
        [['1'], ['-E(4)']]
        """
        return self.conjugate().transpose()

    @property
    def H(self) -> CycMatrix:
        """Conjugate transpose."""
        return self.conj_transpose()

    def trace(self) -> Cyclotomic:
        """Sum of the diagonal entries.

        Examples
        --------
        >>> CycMatrix.identity(4, 7).trace()
        Cyclotomic('4')
        """
        r, c = self.shape
        n = min(r, c)
        v = as_object(self._c[np.arange(n), np.arange(n)]).sum(axis=0) if n else \
            np.zeros(self._F.d, dtype=object)
        return from_root_numerators(self._m, {s: int(x) for s, x in enumerate(v) if x},
                                      self._den)


def _common(a: CycMatrix, b: CycMatrix) -> tuple[CycMatrix, CycMatrix]:
    """Both matrices over the same field Q(zeta_lcm)."""
    if a._m == b._m:
        return a, b
    m = math.lcm(a._m, b._m)
    return a.to_field(m), b.to_field(m)


def _stack(blocks: Sequence[CycMatrix], axis: int) -> CycMatrix:
    if isinstance(blocks, (str, bytes, CycMatrix)) or not hasattr(blocks, "__iter__"):
        raise ParameterTypeError(f"stack needs a sequence of CycMatrix, got {type(blocks).__name__}")
    blocks = list(blocks)
    bad = [b for b in blocks if not isinstance(b, CycMatrix)]
    if bad:
        raise ParameterTypeError(f"stack needs a sequence of CycMatrix, got an entry of type {type(bad[0]).__name__}")
    if not blocks:
        raise CyclotomicError("stack needs a nonempty sequence of CycMatrix")
    m = 1
    for b in blocks:
        m = math.lcm(m, b._m)
    blocks = [b.to_field(m) for b in blocks]
    other = 1 - axis
    if len({b.shape[other] for b in blocks}) != 1:
        raise CyclotomicError("stacked matrices must agree in the other dimension")
    den = 1
    for b in blocks:
        den = math.lcm(den, b._den)
    parts = [scale(b._c, den // b._den) for b in blocks]
    if any(p.dtype == object for p in parts):
        parts = [as_object(p) for p in parts]
    return CycMatrix._new(np.concatenate(parts, axis=axis), den, m)
