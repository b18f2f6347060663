"""Exact linear algebra of :class:`grouptools.arith.CycMatrix`: rank, rref, nullspace, solve.

:class:`LinearAlgebra` is a mixin of :class:`~grouptools.arith.CycMatrix` that works through
the matrix's public interface (``shape``, ``m``, ``coefficients``, ``denominator``,
``to_field``, ``from_coefficients``, ``zeros``, ``identity``) and the certified multimodular
elimination of :mod:`grouptools.arith._certify` [vzGG]_.

References
----------
.. [vzGG] J. von zur Gathen, J. Gerhard, *Modern Computer Algebra*, 3rd ed., CUP 2013.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from grouptools._errors import CyclotomicError
from grouptools.arith._certify import eliminate, rref_rows, solve_square
from grouptools.arith._fields import field_tables
from grouptools.arith._multiword import as_object, scale, shrink

if TYPE_CHECKING:  # pragma: no cover
    from typing import Self

__all__ = ["LinearAlgebra"]


class LinearAlgebra:
    """Exact linear algebra over Q(zeta_m), mixed into :class:`~grouptools.arith.CycMatrix`.

    Examples
    --------
    >>> from grouptools.arith import CycMatrix
    >>> isinstance(CycMatrix.identity(2, 3), LinearAlgebra)
    True
    """

    __slots__ = ()

    if TYPE_CHECKING:  # pragma: no cover - the interface the host class provides
        shape: tuple[int, int]
        m: int
        coefficients: np.ndarray
        denominator: int

        def to_field(self, m: int) -> Self: ...
        @classmethod
        def from_coefficients(cls, coef: object, m: int, den: int = 1) -> Self: ...
        @classmethod
        def zeros(cls, rows: int, cols: int, m: int) -> Self: ...
        @classmethod
        def identity(cls, n: int, m: int) -> Self: ...

    def rank(self) -> int:
        """Exact rank (certified multi-modular elimination).

        Examples
        --------
        >>> from grouptools.arith import CycMatrix, E
        >>> CycMatrix([[1, E(3)], [E(3) ** 2, 1]]).rank()
        1
        """
        if self.coefficients.size == 0:
            return 0
        return eliminate(field_tables(self.m), self.coefficients, for_rank=True).r

    def rref(self) -> tuple[Self, tuple[int, ...]]:
        """Reduced row echelon form and the pivot columns.

        Examples
        --------
        >>> from grouptools.arith import CycMatrix, E
        >>> R, piv = CycMatrix([[2, 2 * E(4)], [1, E(4)]]).rref()
        >>> R.to_gap(), piv
        ([['1', 'E(4)'], ['0', '0']], (0,))
        """
        r, c = self.shape
        if self.coefficients.size == 0:
            return self.zeros(r, c, self.m), ()
        F = field_tables(self.m)
        cert = eliminate(F, self.coefficients)
        coef, den = rref_rows(F, cert, c)
        out = np.zeros((r, c, F.d), dtype=object)
        if cert.r:
            out[:cert.r] = coef
        return self.from_coefficients(shrink(out), self.m, den), cert.J

    def nullspace(self) -> Self:
        """Basis of ``{x : A x = 0}`` as the columns of a ``cols x (cols - rank)`` matrix.

        Column ``k`` has a 1 in the ``k``-th non-pivot row and zeros in the other non-pivot
        rows (the basis read off the rref, as in sympy).

        Examples
        --------
        >>> from grouptools.arith import CycMatrix, E
        >>> A = CycMatrix([[1, E(3)], [E(3) ** 2, 1]])
        >>> (A @ A.nullspace()).is_zero()
        True
        """
        c = self.shape[1]
        if self.coefficients.size == 0:
            return self.identity(c, self.m)
        F = field_tables(self.m)
        cert = eliminate(F, self.coefficients)
        T = cert.T
        coef = np.zeros((c, len(T), F.d), dtype=object)
        if not T:
            return self.from_coefficients(shrink(coef), self.m)
        rows, den = rref_rows(F, cert, c)
        # x_T = e_k, x_J = -R[:, T_k]
        coef[list(T), np.arange(len(T)), 0] = den
        if cert.r:
            coef[list(cert.J)] = -as_object(rows[:, list(T)])
        return self.from_coefficients(shrink(coef), self.m, den)

    def solve(self, rhs: Self) -> Self:
        """The unique ``X`` with ``self @ X == rhs`` for square nonsingular ``self``.

        Raises
        ------
        CyclotomicError
            If the matrix is not square or is singular.

        Examples
        --------
        >>> from grouptools.arith import CycMatrix, E
        >>> A = CycMatrix([[1, E(4)], [E(4), 3]])
        >>> b = CycMatrix([[1], [0]], 4)
        >>> A @ A.solve(b) == b
        True
        """
        if not isinstance(rhs, type(self)):
            raise CyclotomicError("solve needs a CycMatrix right-hand side")
        n, c = self.shape
        if n != c:
            raise CyclotomicError(f"solve needs a square matrix, got shape {self.shape}")
        if rhs.shape[0] != n:
            raise CyclotomicError(f"shape mismatch {self.shape} vs {rhs.shape}")
        m = math.lcm(self.m, rhs.m)
        A, B = self.to_field(m), rhs.to_field(m)
        if n == 0:
            return self.zeros(0, B.shape[1], m)
        X, den = solve_square(field_tables(m), A.coefficients, B.coefficients)
        # (Ac / da) X = Bc / db  =>  X = (da / db) Ac^-1 Bc
        return self.from_coefficients(scale(X, A.denominator), m, den * B.denominator)

    def inverse(self) -> Self:
        """Exact inverse; raises CyclotomicError if the matrix is singular or not square.

        Examples
        --------
        >>> from grouptools.arith import CycMatrix, E
        >>> A = CycMatrix([[E(5), 1], [0, 2]])
        >>> (A @ A.inverse()).is_identity()
        True
        """
        n, c = self.shape
        if n != c:
            raise CyclotomicError(f"inverse needs a square matrix, got shape {self.shape}")
        return self.solve(self.identity(n, self.m))
