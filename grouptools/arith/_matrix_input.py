"""Input of :class:`grouptools.arith.CycMatrix`: validation and conversion to coefficients.

User data (rows of entries, permutations and exponents of monomial matrices, index keys) is
checked here with named errors and turned into power-basis numerators over Q(zeta_m) with
one common denominator (see :mod:`grouptools.arith._fields`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

from grouptools._errors import (
    CyclotomicError,
    ElementError,
    ParameterError,
    ParameterTypeError,
    check_index,
    check_int,
    quote,
)
from grouptools.arith._cyclotomic import Cyclotomic, as_cyclotomic
from grouptools.arith._fields import FieldTables, cyc_vector, field_tables
from grouptools.arith._multiword import imatmul, maxabs, shrink
from grouptools.arith._zumbroich import check_order

__all__ = [
    "as_entry",
    "checked_coefficients",
    "dimension",
    "entries_to_coefficients",
    "index_list",
    "int_array",
    "monomial_sum_coefficients",
    "normalize_fraction",
    "parse_key",
    "rows_of",
    "take_axis",
]


def as_entry(x: object) -> Cyclotomic:
    """``x`` as a :class:`Cyclotomic` matrix entry (CyclotomicError unless a cyclotomic or an
    exact rational).

    Examples
    --------
    >>> as_entry(3)
    Cyclotomic('3')
    """
    if isinstance(x, Cyclotomic):
        return x
    c = as_cyclotomic(x)
    if c is None:
        raise CyclotomicError(f"cannot use {type(x).__name__} as a cyclotomic entry")
    return c


def rows_of(rows: object, what: str) -> list:
    """``rows`` as a list of row sequences; ParameterTypeError unless a sequence of sequences.

    Examples
    --------
    >>> rows_of([(1, 2), [3]], "rows")
    [(1, 2), [3]]
    """
    def seq(x: object) -> bool:
        return not isinstance(x, (str, bytes, dict)) and hasattr(x, "__iter__") and hasattr(x, "__len__")

    if not seq(rows):
        raise ParameterTypeError(f"{what} must be a sequence of rows (sequences of entries), got {quote(rows)}")
    out = list(rows)
    for r in out:
        if not seq(r):
            raise ParameterTypeError(f"each of the {what} must be a sequence of entries, got {quote(r)}")
    return out


def dimension(name: str, n: object) -> int:
    """A matrix dimension: an int >= 0 (ParameterTypeError / ParameterError otherwise).

    Examples
    --------
    >>> dimension("rows", 3)
    3
    """
    n = check_int(name, n)
    if n < 0:
        raise ParameterError(f"{name} must be >= 0, got {n}")
    return n


def index_list(idx: object, what: str) -> list:
    """``idx`` as a list of indices (ParameterTypeError unless a non-string iterable).

    Examples
    --------
    >>> index_list(range(2), "rows")
    [0, 1]
    """
    if isinstance(idx, (str, bytes)) or not hasattr(idx, "__iter__"):
        raise ParameterTypeError(f"{what} needs a sequence of indices, got {quote(idx)}")
    return list(idx)


def int_array(x: object, what: str) -> np.ndarray:
    """``x`` as an int64 array; ParameterTypeError unless its entries are (machine) integers.

    Examples
    --------
    >>> int_array([[1, 2]], "perms").dtype
    dtype('int64')
    """
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):  # ragged
        raise CyclotomicError(f"{what} must be a regular array of ints, got {quote(x)}") from None
    if arr.size == 0:
        return arr.astype(np.int64)
    if arr.dtype.kind not in "iu" and not (arr.dtype == object and all(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in arr.flat)):
        raise ParameterTypeError(f"{what} must have int entries, got {quote(x)}")
    try:
        return arr.astype(np.int64)
    except OverflowError:
        raise CyclotomicError(f"{what} has entries beyond 64 bits, got {quote(x)}") from None


def take_axis(key: object, n: int, what: str) -> np.ndarray:
    """``np.arange(n)[key]`` for a slice, a boolean mask or an index array, with named errors.

    Examples
    --------
    >>> take_axis([True, False, True], 3, "row").tolist(), take_axis([-1], 3, "row").tolist()
    ([0, 2], [2])
    """
    if isinstance(key, slice):
        return np.arange(n)[key]
    if not isinstance(key, np.ndarray) and isinstance(key, (list, tuple)) and key and all(
            isinstance(v, (bool, np.bool_)) for v in key):
        key = np.asarray(key, dtype=bool)
    if isinstance(key, np.ndarray) and key.dtype == bool:
        if key.shape != (n,):
            raise ParameterError(f"a boolean CycMatrix {what} mask must have shape ({n},), got {key.shape}")
        return np.arange(n)[key]
    idx = int_array(key, f"CycMatrix {what} indices")
    if idx.ndim != 1:
        raise ParameterError(f"CycMatrix {what} indices must be one-dimensional, got shape {idx.shape}")
    if idx.size and (idx.min() < -n or idx.max() >= n):
        bad = idx[(idx < -n) | (idx >= n)][0]
        raise ElementError(f"CycMatrix {what} index must lie in {-n}..{n - 1}, got {int(bad)}")
    return np.arange(n)[idx]


def normalize_fraction(coef: np.ndarray, den: int) -> tuple[np.ndarray, int]:
    """``(coef, den)`` with ``den > 0`` and ``gcd(coef, den) = 1``; the dtype shrunk.

    Examples
    --------
    >>> c, d = normalize_fraction(np.array([2, 4]), -6)
    >>> c.tolist(), d
    ([-1, -2], 3)
    """
    den = int(den)
    if den == 0:
        raise CyclotomicError("division by zero")
    coef = shrink(coef)
    if den < 0:
        den = -den
        coef = -coef
    if den == 1:
        return coef, 1
    if coef.size == 0:
        return coef, 1
    if coef.dtype == object:
        g = math.gcd(den, *coef.ravel().tolist())
    else:
        g = math.gcd(den, int(np.gcd.reduce(coef.ravel())))
    if g == 0:
        return coef, 1
    if not coef.any():
        return coef, 1
    if g > 1:
        coef = coef // g
        den //= g
    return coef, den


def entries_to_coefficients(rows: object, m: int | None) -> tuple[np.ndarray, int, int]:
    """Power-basis numerators, common denominator and field ``m`` of a matrix given by rows of
    entries (cyclotomics, ints, Fractions) or a 2-D integer numpy array; ``m`` defaults to the
    lcm of the entries' conductors.

    Examples
    --------
    >>> from fractions import Fraction
    >>> coef, den, m = entries_to_coefficients([[Fraction(1, 2), 1]], None)
    >>> coef.tolist(), den, m
    ([[[1], [2]]], 2, 1)
    """
    if isinstance(rows, np.ndarray) and rows.dtype.kind in "iu" and rows.ndim == 2:
        m = check_order(1 if m is None else m)
        coef = np.zeros(rows.shape + (field_tables(m).d,), dtype=object)
        coef[:, :, 0] = [[int(x) for x in row] for row in rows.tolist()]
        return coef, 1, m
    entries = [[as_entry(x) for x in row] for row in rows_of(rows, "rows")]
    nr = len(entries)
    nc = len(entries[0]) if nr else 0
    if any(len(row) != nc for row in entries):
        raise CyclotomicError("rows of a CycMatrix must have equal lengths")
    if m is None:
        m = 1
        for row in entries:
            for x in row:
                m = math.lcm(m, x.conductor)
    m = check_order(m)
    F = field_tables(m)
    den = 1
    for row in entries:
        for x in row:
            den = math.lcm(den, x.denominator)
    coef = np.zeros((nr, nc, F.d), dtype=object)
    for i, row in enumerate(entries):
        for j, x in enumerate(row):
            if x:
                vec, xd = cyc_vector(F, x)
                f = den // xd
                coef[i, j] = [v * f for v in vec]
    return coef, den, m


def monomial_sum_coefficients(F: FieldTables, perms: object, exponents: object,
                              weights: Sequence[object] | None) -> tuple[np.ndarray, int]:
    """Numerators and denominator of ``sum_g weights[g] * monomial(perms[g], exponents[g])``
    over Q(zeta_m) (see :meth:`grouptools.arith.CycMatrix.monomial_sum`).

    Each term is a scatter-add of shifted coefficient vectors (multiplication by a root of
    unity is a cyclic shift modulo ``x^m - 1``), followed by one reduction mod ``Phi_m``.

    Examples
    --------
    >>> from grouptools.arith._fields import field_tables
    >>> coef, den = monomial_sum_coefficients(field_tables(4), [[1, 0]], [[1, 0]], None)
    >>> coef[:, :, 1].tolist(), den  # E(4) at (1, 0)
    ([[0, 0], [1, 0]], 1)
    """
    m = F.m
    perms = int_array(perms, "perms")
    ex = int_array(exponents, "exponents")
    if perms.ndim != 2 or ex.shape != perms.shape:
        raise CyclotomicError("perms and exponents must be int arrays of equal shape (G, n)")
    G, n = perms.shape
    if G and ((np.sort(perms, axis=1) != np.arange(n)).any()):
        raise CyclotomicError("every row of perms must be a permutation of range(n)")
    if weights is None:
        W = np.zeros((G, F.d), dtype=np.int64)
        if F.d:
            W[:, 0] = 1
        wden = 1
    else:
        if len(weights) != G:
            raise CyclotomicError("need one weight per monomial matrix")
        ws = [as_entry(w) for w in weights]
        wden = 1
        for w in ws:
            wden = math.lcm(wden, w.denominator)
        W = np.zeros((G, F.d), dtype=object)
        for g, w in enumerate(ws):
            if w:
                vec, dd = cyc_vector(F, w)
                W[g] = [v * (wden // dd) for v in vec]
        W = shrink(W)
    d = F.d
    # only power-basis slots used by some weight (just slot 0 for rational weights)
    used = np.nonzero(W.any(axis=0))[0] if G else np.zeros(0, dtype=np.int64)
    W = W[:, used]
    # key of (row, col, exponent-slot) in the "full" representation mod x^m - 1
    rows = perms  # (G, n)
    cols = np.broadcast_to(np.arange(n), (G, n))
    shift = ex % m
    slot = (shift[:, :, None] + used[None, None, :]) % m  # (G, n, |used|)
    key = ((rows * n + cols)[:, :, None] * m + slot).ravel()
    vals = np.broadcast_to(W[:, None, :], (G, n, len(used))).ravel()
    size = n * n * m
    if W.dtype != object and G * maxabs(W) < (1 << 53):
        full = np.rint(np.bincount(key, weights=vals.astype(np.float64), minlength=size))
        full = full.astype(np.int64)
    else:
        full = np.zeros(size, dtype=object)
        np.add.at(full, key, vals.astype(object))
        full = shrink(full)
    coef = imatmul(full.reshape(n * n, m), F.pow).reshape(n, n, d)
    return coef, wden


def checked_coefficients(coef: object, d: int, den: object) -> tuple[np.ndarray, int]:
    """``(coef, den)`` validated as power-basis numerators ``(rows, cols, d)`` (ints) and a
    nonzero int denominator (CyclotomicError otherwise); Python-int entries stay exact.

    Examples
    --------
    >>> c, den = checked_coefficients([[[2**70, 1]]], 2, 3)
    >>> c.dtype, den
    (dtype('O'), 3)
    """
    try:
        arr = np.asarray(coef)
    except (TypeError, ValueError):  # ragged nested sequences
        raise CyclotomicError(f"coefficients must be a regular integer array, got {quote(coef)}") from None
    if arr.dtype == object:
        if not all(isinstance(x, numbers.Integral) for x in arr.flat):
            raise CyclotomicError("coefficients must be integers")
        arr = np.array([int(x) for x in arr.flat], dtype=object).reshape(arr.shape)
    elif not np.issubdtype(arr.dtype, np.integer):
        raise CyclotomicError("coefficients must be integers")
    if arr.ndim != 3 or arr.shape[2] != d:
        raise CyclotomicError(f"coefficient array must have shape (rows, cols, {d})")
    if isinstance(den, bool) or not isinstance(den, numbers.Integral) or den == 0:
        raise CyclotomicError("denominator must be a nonzero int")
    return shrink(arr), int(den)


def parse_key(key: object, shape: tuple[int, int]) -> tuple[int, int] | tuple[np.ndarray, np.ndarray]:
    """A ``CycMatrix[key]`` key as an entry ``(i, j)`` (two ints) or as row and column index
    arrays (any other key; an int index keeps its axis with length 1).

    Examples
    --------
    >>> parse_key((1, -1), (2, 3))
    (1, 2)
    >>> [a.tolist() for a in parse_key(0, (2, 3))]
    [[0], [0, 1, 2]]
    """
    if not isinstance(key, tuple):
        key = (key, slice(None))
    if len(key) != 2:
        raise CyclotomicError("CycMatrix index must have at most two components")
    a, b = key
    ia = isinstance(a, numbers.Integral) and not isinstance(a, bool)
    ib = isinstance(b, numbers.Integral) and not isinstance(b, bool)
    r, c = shape
    if ia:
        i = check_index("CycMatrix row index", a, r, negative=True)
        a = slice(i, i + 1)
    if ib:
        j = check_index("CycMatrix column index", b, c, negative=True)
        if ia:
            return i, j
        b = slice(j, j + 1)
    return take_axis(a, r, "row"), take_axis(b, c, "column")
