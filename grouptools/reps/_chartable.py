"""Exact character tables of finite groups (Dixon-Schneider), certified.

:func:`character_table` computes the irreducible characters of a :class:`FiniteGroup` from its
class multiplication coefficients, numerically, recovers every value exactly as a sum of roots
of unity and then *proves* the result with exact integer arithmetic (see
:func:`character_table` for the algorithm and :func:`_certify` for the proof). Exact values are
kept as the eigenvalue multisets of ``rho(g)``: ``chi(g_c) = sum_t zeta_e^{X[c, t]}`` with
``e`` the exponent of the group, which is compact (``chi(1)`` small integers per class),
exact, and makes Galois conjugation and power maps integer operations.

References
----------
.. [Dix67] J. D. Dixon, *High speed computation of group characters*, Numer. Math. 10
   (1967), 446-450.
.. [Sch90] G. J. A. Schneider, *Dixon's character table algorithm revisited*, J. Symbolic
   Comput. 9 (1990), 601-606.
.. [Isa76] I. M. Isaacs, *Character Theory of Finite Groups*, Academic Press 1976 (ch. 2-4).
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from typing import Any, Sequence

import numpy as np
from scipy import sparse

from ..arith._numtheory import is_prime, prime_factors
from ..arith._cyclotomic import Cyclotomic
from .._errors import (
    GroupTooLargeError,
    ParameterError,
    ParameterTypeError,
    VerificationError,
    check_index,
    check_int,
    check_limit,
    check_type,
    quote,
)
from ..groups._group import ConjugacyClass, FiniteGroup

__all__ = ["CharacterTable", "character_table", "class_names"]

#: Largest ``|G| * (number of classes)`` for which the class products are tabulated.
MAX_CLASS_PRODUCTS = 1 << 26
#: Largest number of conjugacy classes (the table has ``k^2`` entries, the eigen step is k^3).
MAX_CLASSES = 4000
#: Largest dense :attr:`CharacterTable.multiplicities` array (entries).
MAX_DENSE_MULTIPLICITIES = 1 << 27
#: Attempts of the numerical stage (fresh random combinations) before giving up.
_ATTEMPTS = 4


def _blas_limit(k: int) -> Any:
    """Single-threaded BLAS for small eigenproblems: multithreaded OpenBLAS on matrices of a
    few hundred rows is slower, and pathologically so on a loaded machine."""
    if k > 1500:
        return nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        return nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


class _NumericFailure(Exception):
    """The floating point stage did not produce roundable data (retry with new randomness)."""


# ---------------------------------------------------------------------------------------------
# number theory helpers
# ---------------------------------------------------------------------------------------------
def _primes_one_mod(e: int, limit: int = 1 << 31) -> Any:
    """Primes ``p = 1 (mod e)`` below ``limit``, largest first (a generator)."""
    m = (limit - 2) // e
    while m >= 1:
        p = m * e + 1
        if p > 2 and is_prime(p):
            yield p
        m -= 1


def _root_of_unity_mod(e: int, p: int) -> int:
    """A primitive ``e``-th root of unity modulo the prime ``p = 1 (mod e)``."""
    qs = prime_factors(p - 1)
    for g in range(2, p):
        if all(pow(g, (p - 1) // q, p) != 1 for q in qs):
            return pow(g, (p - 1) // e, p)
    raise VerificationError(f"no primitive root modulo {p}")  # pragma: no cover


def _unit_generators(e: int) -> list[int]:
    """A small generating set of the unit group ``(Z/e)^*`` (greedy, smallest elements)."""
    if e <= 2:
        return []
    inside = np.zeros(e, bool)
    inside[1] = True
    gens: list[int] = []
    for u in range(2, e):
        if inside[u] or math.gcd(u, e) != 1:
            continue
        gens.append(u)
        members = np.flatnonzero(inside)
        power = u
        while not inside[power]:
            inside[(members * power) % e] = True
            power = power * u % e
        # the new subgroup is <H, u> = union of H u^t (power walked until u^t lies in H)
        members = np.flatnonzero(inside)
        if members.size == sum(1 for v in range(1, e) if math.gcd(v, e) == 1):
            break
    return gens


def _matmul_mod(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """``a @ b mod p`` exactly for int64 entries in ``[0, p)``, ``p < 2^31``.

    Both factors are split into 16-bit limbs; each limb product has entries below
    ``K * 2^32 < 2^53`` (``K < 2^21`` the inner dimension), so float64 BLAS is exact.
    """
    if a.shape[1] >= 1 << 21:  # pragma: no cover - far beyond the class limits
        raise GroupTooLargeError("inner dimension too large for exact modular products")
    a1, a0 = (a >> 16).astype(np.float64), (a & 0xFFFF).astype(np.float64)
    b1, b0 = (b >> 16).astype(np.float64), (b & 0xFFFF).astype(np.float64)
    hh = (a1 @ b1).astype(np.int64) % p
    mid = ((a1 @ b0).astype(np.int64) + (a0 @ b1).astype(np.int64)) % p
    ll = (a0 @ b0).astype(np.int64) % p
    return (hh * ((1 << 32) % p) % p + mid * (1 << 16) % p + ll) % p


# ---------------------------------------------------------------------------------------------
# class names (GAP's ClassNames)
# ---------------------------------------------------------------------------------------------
def _letters(n: int, alphabet: str) -> str:
    name = ""
    while n > 0:
        name = alphabet[(n - 1) % len(alphabet)] + name
        n = (n - 1) // len(alphabet)
    return name


def class_names(orders: Sequence[int]) -> tuple[str, ...]:
    """GAP's / the ATLAS's class names: element order and a letter per class of that order.

    Letters ``a .. z, aa, ab, ...`` are given in the order of the classes (GAP's
    ``ClassNames``).

    Examples
    --------
    >>> class_names([1, 2, 2, 4, 3])
    ('1a', '2a', '2b', '4a', '3a')
    """
    count: dict[int, int] = {}
    out = []
    for o in orders:
        count[o] = count.get(o, 0) + 1
        out.append(f"{o}{_letters(count[o], 'abcdefghijklmnopqrstuvwxyz')}")
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# the table
# ---------------------------------------------------------------------------------------------
class CharacterTable:
    """The exact character table of a finite group (build with :func:`character_table`).

    Immutable. Rows are the irreducible characters, trivial first, then by degree (ties broken
    deterministically by the exact values, see :func:`character_table`); columns are the
    conjugacy classes in the order of ``G.conjugacy_classes()``.

    Attributes
    ----------
    group : FiniteGroup
    classes : tuple of ConjugacyClass
    class_sizes, class_orders : tuple of int
        Class lengths and element orders.
    centralizer_orders : tuple of int
        ``|C_G(g_c)| = |G| / |class c|``.
    exponent : int
        Least common multiple of the element orders; every value lies in ``Z[E(exponent)]``.
    degrees : tuple of int
        ``chi_i(1)``.
    values : ndarray
        Read-only complex128 ``(nchars, nclasses)``, evaluated from the exact values (error
        ~1e-15 relative to the degree).
    frobenius_schur : tuple of int
        Frobenius-Schur indicators (exact).

    Examples
    --------
    >>> import grouptools as gt
    >>> T = character_table(gt.symmetric(3))
    >>> T.degrees, T.frobenius_schur
    ((1, 1, 2), (1, 1, 1))
    >>> T.value(2, 2), T.class_names
    (Cyclotomic('-1'), ('1a', '2a', '3a'))
    """

    __slots__ = (
        "group",
        "classes",
        "class_sizes",
        "class_orders",
        "centralizer_orders",
        "exponent",
        "degrees",
        "values",
        "frobenius_schur",
        "_groups",
        "_row_group",
        "_powers",
        "_cache",
    )

    group: FiniteGroup
    classes: tuple[ConjugacyClass, ...]
    class_sizes: tuple[int, ...]
    class_orders: tuple[int, ...]
    centralizer_orders: tuple[int, ...]
    exponent: int
    degrees: tuple[int, ...]
    values: np.ndarray
    frobenius_schur: tuple[int, ...]

    def __init__(
        self,
        group: FiniteGroup,
        exponent: int,
        degrees: tuple[int, ...],
        groups: tuple[np.ndarray, ...],
        powers: np.ndarray,
        frobenius_schur: tuple[int, ...],
    ) -> None:
        setattr_ = object.__setattr__
        classes = group.conjugacy_classes()
        n = group.order
        setattr_(self, "group", group)
        setattr_(self, "classes", classes)
        setattr_(self, "class_sizes", tuple(c.size for c in classes))
        setattr_(self, "class_orders", tuple(c.order for c in classes))
        setattr_(self, "centralizer_orders", tuple(n // c.size for c in classes))
        setattr_(self, "exponent", int(exponent))
        setattr_(self, "degrees", tuple(int(d) for d in degrees))
        setattr_(self, "_groups", groups)
        rows = []
        for g, X in enumerate(groups):
            rows.extend((g, j) for j in range(X.shape[0]))
        setattr_(self, "_row_group", tuple(rows))
        setattr_(self, "_powers", powers)
        setattr_(self, "frobenius_schur", tuple(int(v) for v in frobenius_schur))
        setattr_(self, "_cache", {})
        roots = np.exp(2j * np.pi * np.arange(exponent) / exponent)
        vals = np.concatenate([roots[X].sum(axis=-1) for X in groups], axis=0)
        setattr_(self, "values", _readonly(vals))

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("CharacterTable is immutable")

    def __repr__(self) -> str:
        return (
            f"<CharacterTable of {self.group!r}: {len(self.degrees)} characters, "
            f"degrees {self._degree_summary()}>"
        )

    def _degree_summary(self) -> str:
        parts: list[str] = []
        for d in sorted(set(self.degrees)):
            m = self.degrees.count(d)
            parts.append(f"{m}x{d}" if m > 1 else str(d))
        return ", ".join(parts)

    def __len__(self) -> int:
        return len(self.degrees)

    # -- exact data -------------------------------------------------------------------------
    def eigenvalue_exponents(self, i: int) -> np.ndarray:
        """Read-only ``(nclasses, chi_i(1))`` int array ``X``: the eigenvalues of
        ``rho_i(g_c)`` are ``E(exponent)^X[c, t]`` (sorted ascending in each row).

        So ``chi_i(g_c) = sum_t E(exponent)^X[c, t]``; this is the exact form of the table.

        Examples
        --------
        >>> import grouptools as gt
        >>> T = character_table(gt.cyclic(4))
        >>> T.class_orders
        (1, 2, 4, 4)
        >>> T.eigenvalue_exponents(2)[:, 0].tolist()   # a faithful linear character
        [0, 2, 1, 3]
        """
        g, j = self._row_group[self._check_row(i)]
        return self._groups[g][j]

    def _check_row(self, i: int) -> int:
        # ParameterTypeError for a non-integer, ElementError (an IndexError) out of range
        return check_index("character index", i, len(self.degrees), negative=True)

    def value(self, i: int, c: int) -> Cyclotomic:
        """``chi_i(g_c)`` exactly.

        Examples
        --------
        >>> import grouptools as gt
        >>> T = character_table(gt.cyclic(3))
        >>> T.value(1, 1).to_gap()
        'E(3)'
        """
        c = check_index("class index", c, len(self.classes), negative=True)
        X = self.eigenvalue_exponents(i)
        return self._cyc(X[c])

    def _cyc(self, exps: np.ndarray) -> Cyclotomic:
        memo = self._cache.setdefault("cyc", {})
        key = exps.tobytes()
        val = memo.get(key)
        if val is None:
            e = self.exponent
            g = math.gcd(e, *(int(x) for x in exps)) if exps.size else e
            counts: dict[int, int] = {}
            for x in exps:
                counts[int(x) // g] = counts.get(int(x) // g, 0) + 1
            val = Cyclotomic.from_root_coefficients(e // g, counts)
            memo[key] = val
        return val

    def galois_conjugate(self, i: int, k: int) -> int:
        """Index of the character ``g -> sigma_k(chi_i(g)) = chi_i(g^k)``, for ``k`` coprime
        to the exponent (``k = -1``: the complex conjugate character).

        Examples
        --------
        >>> import grouptools as gt
        >>> T = character_table(gt.cyclic(3))
        >>> [T.galois_conjugate(i, -1) for i in range(3)]
        [0, 2, 1]
        """
        e = self.exponent
        k = check_int("Galois exponent", k)
        if math.gcd(k, e) != 1:
            raise ParameterError(f"Galois exponent {k} is not coprime to the exponent {e}")
        g, j = self._row_group[self._check_row(i)]
        X = self._groups[g]
        img = np.sort(X[j].astype(np.int64) * int(k) % e, axis=-1).astype(X.dtype)
        index = self._cache.setdefault("row_index", {})
        if g not in index:
            index[g] = {X[r].tobytes(): r for r in range(X.shape[0])}
        start = sum(self._groups[t].shape[0] for t in range(g))
        return start + index[g][img.tobytes()]

    @property
    def exact_values(self) -> tuple[tuple[Cyclotomic, ...], ...]:
        """All values as :class:`Cyclotomic` (rows = characters, columns = classes)."""
        if "exact" not in self._cache:
            out = []
            for i in range(len(self.degrees)):
                X = self.eigenvalue_exponents(i)
                out.append(tuple(self._cyc(X[c]) for c in range(X.shape[0])))
            self._cache["exact"] = tuple(out)
        return self._cache["exact"]

    @property
    def multiplicities(self) -> np.ndarray:
        """Read-only int ``(nchars, nclasses, exponent)`` array of eigenvalue multiplicities:
        ``chi_i(g_c) = sum_j mult[i, c, j] * E(exponent)^j``.

        Raises
        ------
        GroupTooLargeError
            If the dense array would exceed ``MAX_DENSE_MULTIPLICITIES`` entries (use
            :meth:`eigenvalue_exponents`, the same data in compact form).
        """
        if "mult" not in self._cache:
            h, k, e = len(self.degrees), len(self.classes), self.exponent
            if h * k * e > MAX_DENSE_MULTIPLICITIES:
                raise GroupTooLargeError(
                    f"dense multiplicities need {h * k * e} entries; use eigenvalue_exponents"
                )
            out = np.zeros(h * k * e, np.int64)
            for i in range(h):
                X = self.eigenvalue_exponents(i)
                idx = (i * k + np.arange(k)[:, None]) * e + X
                np.add.at(out, idx.ravel(), 1)
            self._cache["mult"] = _readonly(out.reshape(h, k, e))
        return self._cache["mult"]

    # -- class data -------------------------------------------------------------------------
    @property
    def class_names(self) -> tuple[str, ...]:
        """GAP-style class names (``1a 2a 2b 4a ...``) in the table's class order."""
        return class_names(self.class_orders)

    def power_map(self, k: int) -> np.ndarray:
        """Read-only int array: ``power_map(k)[c]`` is the class of ``g_c^k`` (any int ``k``).

        Examples
        --------
        >>> import grouptools as gt
        >>> character_table(gt.cyclic(4)).power_map(2).tolist()
        [0, 0, 1, 1]
        """
        return self._powers[check_int("power", k) % self.exponent]

    @property
    def inverse_classes(self) -> np.ndarray:
        """``power_map(-1)``: the class of ``g_c^-1``."""
        return self.power_map(-1)

    @property
    def nclasses(self) -> int:
        """Number of conjugacy classes (= number of irreducible characters)."""
        return len(self.classes)

    # -- class functions --------------------------------------------------------------------
    def _class_function(self, f: Any) -> np.ndarray:
        try:
            arr = np.asarray(f, dtype=np.complex128)
        except (TypeError, ValueError):
            raise ParameterTypeError(f"a class function must be an array of numbers, got {quote(f)}") from None
        if arr.ndim not in (1, 2) or arr.shape[-1] != len(self.classes):
            raise ParameterError(
                f"a class function has shape (nclasses,) or (m, nclasses) with "
                f"nclasses={len(self.classes)}, got {arr.shape}"
            )
        return arr

    def inner_product(self, f: Any, h: Any) -> Any:
        """``<f, h> = (1/|G|) sum_c |C_c| f(c) conj(h(c))`` for class functions (complex arrays
        over the classes). 2-d inputs ``(m1, k)``, ``(m2, k)`` give the ``(m1, m2)`` matrix.

        Examples
        --------
        >>> import grouptools as gt
        >>> T = character_table(gt.dihedral(4))
        >>> complex(T.inner_product(T.values[4], T.values[4])).real.__round__(12)
        1.0
        >>> np.round(T.inner_product(T.values, T.values).real, 12).tolist() == np.eye(5).tolist()
        True
        """
        a, b = self._class_function(f), self._class_function(h)
        sizes = np.asarray(self.class_sizes, dtype=np.float64)
        return (a * sizes) @ b.conj().T / self.group.order

    def decompose(self, class_function: Any, *, tol: float = 1e-6) -> np.ndarray:
        """Multiplicities of the irreducible characters in a (virtual) character.

        Returns an int array ``(nchars,)`` (or ``(m, nchars)`` for a 2-d input): the rounded
        inner products with the irreducible characters.

        Raises
        ------
        ParameterError
            If an inner product is farther than ``tol`` from an integer (not a virtual
            character), or the class function has the wrong shape.
        ParameterTypeError
            If the class function is not an array of numbers.

        Examples
        --------
        >>> import grouptools as gt
        >>> T = character_table(gt.symmetric(3))
        >>> regular = np.array([6, 0, 0])
        >>> T.decompose(regular).tolist()
        [1, 1, 2]
        """
        f = self._class_function(class_function)
        c = self.inner_product(f, self.values)
        r = np.rint(c.real)
        err = np.abs(c - r)
        if err.size and err.max() > tol * max(1.0, float(np.abs(r).max(initial=0))):
            raise ParameterError(
                f"not a virtual character: inner product {c.flat[int(err.argmax())]:.6g} "
                "is not an integer"
            )
        return r.astype(np.int64)

    # -- output -----------------------------------------------------------------------------
    def display(self, width: int = 80) -> str:
        """The table in the layout of GAP's ``Display(CharacterTable(G))``.

        Header: for each prime ``p`` dividing ``|G|`` the ``p``-part exponent of the centralizer
        orders (``.`` for 0), class names, the ``p``-th power maps (rows ``pP``), then the
        characters ``X.1, X.2, ...`` with ``.`` for 0 and irrationalities abbreviated as in GAP
        (``A``, ``-A``, ``/A`` complex conjugate, ``*A`` the other conjugate of a quadratic
        irrationality), explained below the table. Wide tables are split in column blocks.

        Examples
        --------
        >>> import grouptools as gt
        >>> print(character_table(gt.cyclic(3)).display())
        C3
        <BLANKLINE>
             3  1  1  1
        <BLANKLINE>
               1a 3a 3b
            3P 1a 1a 1a
        <BLANKLINE>
        X.1     1  1  1
        X.2     1  A /A
        X.3     1 /A  A
        <BLANKLINE>
        A = E(3)
        """
        width = check_int("width", width)
        G = self.group
        n = G.order
        primes = prime_factors(n)
        names = self.class_names
        k = len(names)
        head_rows: list[tuple[str, list[str]]] = []
        for p in primes:
            row = []
            for z in self.centralizer_orders:
                v = 0
                while z % p == 0:
                    z //= p
                    v += 1
                row.append(str(v) if v else ".")
            head_rows.append((str(p), row))
        pm_rows = [(f"{p}P", [names[int(c)] for c in self.power_map(p)]) for p in primes]
        irrstack: list[Cyclotomic] = []
        irrnames: list[str] = []
        body = []
        for i in range(len(self.degrees)):
            body.append((f"X.{i + 1}", [self._display_entry(v, irrstack, irrnames)
                                        for v in self.exact_values[i]]))
        col_w = [
            max([len(names[c])] + [len(r[1][c]) for r in head_rows + pm_rows + body]) + 1
            for c in range(k)
        ]
        label_w = max([len(r[0]) for r in head_rows + pm_rows + body] + [4]) + 1
        lines = [G.name or "CT", ""]
        start = 0
        while start < k:
            stop, used = start, label_w
            while stop < k and (stop == start or used + col_w[stop] <= width):
                used += col_w[stop]
                stop += 1
            cols = range(start, stop)

            def fmt(label: str, entries: list[str], right: bool = True) -> str:
                cells = "".join(entries[c].rjust(col_w[c]) for c in cols)
                return (label.rjust(label_w - 1) + " " if right else label.ljust(label_w)) + cells

            for label, row in head_rows:
                lines.append(fmt(label, row).rstrip())
            lines.append("")
            lines.append(fmt("", list(names)).rstrip())
            for label, row in pm_rows:
                lines.append(fmt(label, row).rstrip())
            lines.append("")
            for label, row in body:
                lines.append(fmt(label, row, right=False).rstrip())
            start = stop
            if start < k:
                lines.append("")
        if irrstack:
            lines.append("")
            for name, val in zip(irrnames, irrstack):
                lines.append(f"{name} = {val.to_gap()}")
        return "\n".join(lines)

    @staticmethod
    def _display_entry(v: Cyclotomic, irrstack: list[Cyclotomic], irrnames: list[str]) -> str:
        # GAP's CharacterTableDisplayStringEntryDefault
        if v == 0:
            return "."
        if v.is_rational:
            return str(v.to_fraction())
        for x, name in zip(irrstack, irrnames):
            if v == x:
                return name
            if v == -x:
                return "-" + name
            c = x.conjugate()
            if v == c:
                return "/" + name
            if v == -c:
                return "-/" + name
            s = _star(x)
            if s is not None:
                if v == s:
                    return "*" + name
                if v == -s:
                    return "-*" + name
        irrstack.append(v)
        irrnames.append(_letters(len(irrstack), "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        return irrnames[-1]

    def to_json(self) -> dict:
        """A JSON-serializable description (values as GAP strings).

        Examples
        --------
        >>> import grouptools as gt
        >>> d = character_table(gt.cyclic(2)).to_json()
        >>> d["degrees"], d["characters"]
        ([1, 1], [['1', '1'], ['1', '-1']])
        """
        G = self.group
        primes = prime_factors(G.order)
        return {
            "group": {
                "name": G.name,
                "order": G.order,
                "generators": list(G.generator_names),
            },
            "exponent": self.exponent,
            "classes": [
                {
                    "name": name,
                    "representative": int(c.representative),
                    "word": G.word(c.representative),
                    "size": int(c.size),
                    "order": int(c.order),
                }
                for name, c in zip(self.class_names, self.classes)
            ],
            "power_maps": {str(p): [int(x) for x in self.power_map(p)] for p in primes},
            "degrees": list(self.degrees),
            "frobenius_schur": list(self.frobenius_schur),
            "characters": [[v.to_gap() for v in row] for row in self.exact_values],
        }


def _star(x: Cyclotomic) -> Cyclotomic | None:
    """GAP's ``StarCyc``: the other Galois conjugate if ``x`` has exactly two, else None."""
    n = x.conductor
    conj = {x}
    for u in range(2, n):
        if math.gcd(u, n) == 1:
            conj.add(x.galois(u))
            if len(conj) > 2:
                return None
    if len(conj) == 2:
        (other,) = conj - {x}
        return other
    return None


# ---------------------------------------------------------------------------------------------
# the algorithm
# ---------------------------------------------------------------------------------------------
def character_table(
    G: FiniteGroup,
    *,
    max_class_products: int = MAX_CLASS_PRODUCTS,
    max_classes: int = MAX_CLASSES,
) -> CharacterTable:
    """The exact, certified character table of ``G`` (memoized on ``G``).

    Algorithm (Dixon [Dix67]_, Schneider [Sch90]_, numerical variant):

    1. *Class matrices.* ``M_j[r, s] = #{x in C_j : x g_r in C_s}`` for representatives
       ``g_r``, tabulated once as a sparse ``(k^2, k)`` matrix from the ``k`` right
       multiplications ``x -> x g_r`` (``O(|G| k)``; the Cayley table is used if present,
       never anything larger). Since ``sum_{x in C_j} rho(x) = omega_chi(K_j) I`` for an
       irreducible ``rho``, ``M_j chi = omega_chi(K_j) chi`` with the central character
       ``omega_chi(K_j) = |C_j| chi(g_j) / chi(1)``.
    2. *Common eigenvectors.* ``N_j = D M_j D^-1`` (``D = diag sqrt|C_r|``) are normal and
       commute, with the orthonormal common eigenvectors ``(chi(g_s) sqrt(|C_s|/|G|))_s``
       (column orthogonality). A random complex combination ``A = sum_j u_j N_j / |C_j|`` gives
       the Hermitian ``A + A^H`` whose eigenvalues ``2 Re sum_j u_j chi(g_j)/chi(1)`` separate
       the characters almost surely; clusters of close eigenvalues are split by further random
       combinations restricted to the cluster (Schneider's splitting). The eigenvector
       normalised by its identity entry gives ``chi(1) = |v_1| sqrt|G|`` and ``chi``.
    3. *Exact values.* For a class of element order ``o`` the eigenvalue multiplicities
       ``a_j = (1/o) sum_t chi(g^t) E(o)^(-jt)`` (power maps, one FFT) are rounded to
       nonnegative integers with ``sum a_j = chi(1)``; they give ``chi(g)`` exactly.
    4. *Certificate* (:func:`_certify`): exact integer checks proving that the rows are the
       irreducible characters. If anything fails the numerical stage is repeated with fresh
       randomness; persistent failure raises :class:`VerificationError` (never wrong data).

    Rows are ordered by degree, ties broken by the eigenvalue exponents (lexicographic over the
    classes), so the trivial character is first and the order does not depend on randomness.

    Parameters
    ----------
    G : FiniteGroup
    max_class_products : int
        Limit on ``|G| * k`` (memory of the class products).
    max_classes : int
        Limit on the number ``k`` of conjugacy classes.

    Raises
    ------
    GroupTooLargeError
        Above the limits.
    VerificationError
        If the computed table cannot be certified (a bug).

    Examples
    --------
    >>> import grouptools as gt
    >>> T = character_table(gt.alternating(5))
    >>> T.degrees
    (1, 3, 3, 4, 5)
    >>> T is character_table(gt.alternating(5)) or T is character_table(T.group)
    True
    >>> sorted({v.to_gap() for v in T.exact_values[1]})
    ['-1', '-E(5)-E(5)^4', '-E(5)^2-E(5)^3', '0', '3']
    """
    check_type("G", G, FiniteGroup, "a FiniteGroup")
    max_class_products = check_limit("max_class_products", max_class_products)
    max_classes = check_limit("max_classes", max_classes)
    default = max_class_products == MAX_CLASS_PRODUCTS and max_classes == MAX_CLASSES
    known = G.memo("character_table")
    if known is not None:
        return known
    if default:
        return G.memo("character_table", lambda: _compute(G, max_class_products, max_classes))
    return _compute(G, max_class_products, max_classes)


def _compute(G: FiniteGroup, max_class_products: int, max_classes: int) -> CharacterTable:
    n = G.order
    classes = G.conjugacy_classes()
    k = len(classes)
    if k > max_classes:
        raise GroupTooLargeError(f"{k} conjugacy classes exceed max_classes={max_classes}")
    if n * k > max_class_products:
        raise GroupTooLargeError(
            f"class products of a group of order {n} with {k} classes need {n * k} entries "
            f"(max_class_products={max_class_products})"
        )
    e = G.exponent
    if e * k > max_class_products:
        raise GroupTooLargeError(f"power maps need exponent * classes = {e * k} entries")
    sizes = np.array([c.size for c in classes], np.int64)
    orders = np.array([c.order for c in classes], np.int64)
    reps = np.array([c.representative for c in classes], np.int64)
    powers = _power_maps(G, reps, e)
    B = _class_products(G, reps)
    with _blas_limit(k):
        return _attempts(G, B, sizes, orders, powers, n, e)


def _attempts(G: FiniteGroup, B: sparse.csc_matrix, sizes: np.ndarray, orders: np.ndarray,
              powers: np.ndarray, n: int, e: int) -> CharacterTable:
    last: Exception | None = None
    for attempt in range(_ATTEMPTS):
        rng = np.random.default_rng(0x5EED + attempt)
        try:
            approx = _numerical_characters(B, sizes, n, rng)
            degrees, groups = _exact_values(approx, powers, orders, e, n)
        except _NumericFailure as exc:
            last = exc
            continue
        fs = _certify(G, B, sizes, powers, degrees, groups, e)
        return CharacterTable(G, e, degrees, groups, powers, fs)
    raise VerificationError(f"character table of {G!r} could not be computed: {last}")


def _power_maps(G: FiniteGroup, reps: np.ndarray, e: int) -> np.ndarray:
    """``(e, k)`` read-only array: row ``t`` is the class of ``g_c^t``."""
    cls = G.class_index
    k = reps.size
    out = np.empty((e, k), np.int32)
    x = np.zeros(k, np.int64)
    for t in range(e):
        out[t] = cls[x]
        if t + 1 < e:
            x = np.asarray(G.multiply(x, reps), dtype=np.int64).reshape(k)
    for row in out:
        row.setflags(write=False)
    return _readonly(out)


def _class_products(G: FiniteGroup, reps: np.ndarray) -> sparse.csc_matrix:
    """Sparse ``(k^2, k)`` int64 matrix: entry ``(r k + s, j)`` is ``M_j[r, s]``."""
    n, k = G.order, reps.size
    cls = np.asarray(G.class_index, dtype=np.int64)
    if G.memo("table") is not None:
        right = np.asarray(G.cayley_table[:, reps])
    else:
        right = np.stack([np.asarray(G.right_multiplication(int(g))) for g in reps], axis=1)
    k2 = k * k
    key = (cls[:, None] * k2 + np.arange(k, dtype=np.int64)[None, :] * k + cls[right]).ravel()
    key.sort()
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    nz = key[starts]
    data = np.diff(np.append(starts, key.size))
    cols = nz // k2
    indptr = np.searchsorted(cols, np.arange(k + 1))
    return sparse.csc_matrix((data.astype(np.int64), nz % k2, indptr), shape=(k2, k))


def _numerical_characters(B: sparse.csc_matrix, sizes: np.ndarray, n: int,
                          rng: np.random.Generator) -> np.ndarray:
    """Approximate irreducible characters, ``(k, k)`` complex (rows in arbitrary order).

    First a real symmetric combination ``sum_j c_j (N_j + N_j^T)`` (real ``c_j``; its
    eigenvalues ``2 sum_j c_j Re omega(K_j)`` cannot separate complex conjugate characters, but
    real ``eigh`` is ~5x faster than complex), then every cluster of close eigenvalues is split
    by complex Hermitian combinations restricted to the cluster, until all are simple.
    """
    k = sizes.size
    if k == 1:
        return np.ones((1, 1), complex)
    sq = np.sqrt(sizes.astype(np.float64))
    Bc = B.tocsr().astype(np.float64)

    def normal(u: np.ndarray) -> np.ndarray:
        M = (Bc @ u).reshape(k, k)
        return sq[:, None] * M / sq[None, :]

    A = normal(rng.standard_normal(k) / sizes)
    evals, W = np.linalg.eigh(A + A.T)
    scale = max(1.0, float(np.abs(evals).max()))
    tol = 1e-7 * scale

    def split(ev: np.ndarray) -> list[np.ndarray]:
        cuts = np.flatnonzero(np.diff(ev) > tol) + 1
        return np.split(np.arange(ev.size), cuts)

    done: list[np.ndarray] = []
    pending: list[np.ndarray] = []
    for block in split(evals):
        (done if block.size == 1 else pending).append(W[:, block].astype(complex))
    rounds = 0
    while pending:
        rounds += 1
        if rounds > 40:
            raise _NumericFailure("could not separate the common eigenspaces")
        A = normal(rng.standard_normal(k) / sizes) + 1j * normal(rng.standard_normal(k) / sizes)
        Q = np.concatenate(pending, axis=1)
        HQ = A @ Q + A.conj().T @ Q
        nxt = []
        start = 0
        for P in pending:
            m = P.shape[1]
            h = P.conj().T @ HQ[:, start:start + m]
            start += m
            ev, V = np.linalg.eigh((h + h.conj().T) / 2)
            P2 = P @ V
            for block in split(ev):
                (done if block.size == 1 else nxt).append(P2[:, block])
        pending = nxt
    W = np.concatenate(done, axis=1)
    w0 = W[0]
    if np.abs(w0).min() < 0.5 / math.sqrt(n):
        raise _NumericFailure("an eigenvector vanishes at the identity")
    phase = w0 / np.abs(w0)
    vals = (W * phase.conj()[None, :]).T * np.sqrt(n / sizes.astype(np.float64))[None, :]
    return vals


def _galois_orbits(powers: np.ndarray, e: int) -> tuple[np.ndarray, np.ndarray]:
    """Orbits of the classes under ``g -> g^u``, ``u`` a unit mod ``e`` ("rational classes").

    Returns ``(rep, unit)``: class ``c`` is the class of ``g_rep[c]^unit[c]``; representatives
    have ``rep[c] = c``, ``unit[c] = 1``.
    """
    k = powers.shape[1]
    units = np.array([u for u in range(e) if math.gcd(u, e) == 1], np.int64)
    rep = np.full(k, -1, np.int64)
    unit = np.ones(k, np.int64)
    for c in range(k):
        if rep[c] >= 0:
            continue
        members = powers[units, c]
        first = np.unique(members, return_index=True)
        for m, idx in zip(*first):
            if rep[m] < 0:
                rep[m] = c
                unit[m] = units[idx]
        rep[c], unit[c] = c, 1
    return rep, unit


def _exact_values(approx: np.ndarray, powers: np.ndarray, orders: np.ndarray, e: int,
                  n: int) -> tuple[tuple[int, ...], tuple[np.ndarray, ...]]:
    """Round the eigenvalue multiplicities; return degrees and per-degree exponent arrays.

    Multiplicities are computed (one FFT over the power orbit ``g^t``, ``t < o``) for one class
    per Galois orbit; the exponents at ``g^u`` (``u`` a unit) are ``u`` times those at ``g``.
    The certificate checks all of it. Returns ``degrees`` (sorted) and for each distinct
    degree ``d`` an ``(n_d, k, d)`` int32 array of sorted eigenvalue exponents (mod ``e``),
    rows in the canonical order.
    """
    h, k = approx.shape
    degrees = np.rint(approx[:, 0].real).astype(np.int64)
    if np.any(degrees < 1) or np.abs(approx[:, 0] - degrees).max() > 1e-3:
        raise _NumericFailure("degrees are not positive integers")
    rep, unit = _galois_orbits(powers, e)
    reps = np.flatnonzero(rep == np.arange(k))
    dmax = int(degrees.max())
    # exponents per row and class, padded: (h, k, dmax), padding e (sorts last)
    X_all = np.full((h, k, dmax), e, np.int64)
    for o in np.unique(orders[reps]):
        o = int(o)
        cols_all = reps[orders[reps] == o]
        chunk = max(1, (1 << 23) // (h * o))
        for s0 in range(0, cols_all.size, chunk):
            cols = cols_all[s0:s0 + chunk]
            sample = approx[:, powers[:o][:, cols]]  # (h, o, m)
            a = np.fft.fft(sample, axis=1) / o
            r = np.rint(a.real)
            if np.abs(a - r).max() > 0.05:
                raise _NumericFailure(f"eigenvalue multiplicities at order {o} are not integral")
            r = r.astype(np.int64)
            if r.min() < 0 or np.any(r.sum(axis=1) != degrees[:, None]):
                raise _NumericFailure("eigenvalue multiplicities are negative or do not sum to chi(1)")
            r = np.moveaxis(r, 1, 2)  # (h, m, o)
            exps = np.arange(o, dtype=np.int64) * (e // o)
            for i in range(h):
                d = int(degrees[i])
                X_all[i, cols, :d] = np.repeat(np.tile(exps, cols.size), r[i].ravel()).reshape(
                    cols.size, d
                )
    others = np.flatnonzero(rep != np.arange(k))
    if others.size:
        src = X_all[:, rep[others], :]
        img = np.where(src < e, src * unit[others][None, :, None] % e, e)
        X_all[:, others, :] = np.sort(img, axis=-1)
    groups = []
    out_degrees: list[int] = []
    for d in np.unique(degrees):
        d = int(d)
        rows = np.flatnonzero(degrees == d)
        X = X_all[rows, :, :d].astype(np.int32)
        keys = X.reshape(rows.size, -1)
        order = np.lexsort(keys.T[::-1]) if keys.shape[1] else np.arange(rows.size)
        X = np.ascontiguousarray(X[order])
        for j in range(X.shape[0]):
            X[j].setflags(write=False)
        groups.append(_readonly(X))
        out_degrees.extend([d] * rows.size)
    return tuple(out_degrees), tuple(groups)


# ---------------------------------------------------------------------------------------------
# the certificate
# ---------------------------------------------------------------------------------------------
def _certify(G: FiniteGroup, B: sparse.csc_matrix, sizes: np.ndarray, powers: np.ndarray,
             degrees: tuple[int, ...], groups: tuple[np.ndarray, ...], e: int) -> tuple[int, ...]:
    """Prove that the rows are exactly the irreducible characters; return the FS indicators.

    Each row is the class function ``chi_i(g_c) = sum_t z^X_i[c, t]`` with ``z = E(e)`` and
    integer exponents ``X`` (so every value and all its Galois conjugates have absolute value
    at most ``d_i = chi_i(1)``). Checks, all in exact integer arithmetic:

    (a) *Counts*: ``k`` rows for ``k`` classes, ``sum d_i^2 = |G|``, ``d_i | |G|``; the
        identity column is ``d_i`` (all exponents 0).
    (b) *Power maps*: for generators ``u`` of the monoid ``(Z/e, *)`` (generators of the units
        and the primes dividing ``e``) the exponents at the class of ``g^u`` are the sorted
        ``u X mod e``; hence ``chi_i(g^u) = sigma_u(chi_i(g))`` for every unit ``u``, where
        ``sigma_u: z -> z^u`` is the Galois automorphism.
    (c) *Galois closure*: for generators ``u`` of ``(Z/e)^*`` the rows ``u X_i mod e`` are a
        permutation of the rows.
    (d) Work modulo primes ``p = 1 (mod e)`` with ``prod p > 2 |G| max d_i^2`` and a primitive
        ``e``-th root ``w`` mod ``p``: ``phi_w: Z[z] -> F_p, z -> w`` is a ring homomorphism.
        A set ``S`` of classes is chosen such that the tuples
        ``(d_{i'} chi_i(g_j))_{j in S}`` and ``(d_i chi_{i'}(g_j))_{j in S}`` differ modulo
        ``p`` for ``i != i'``: then the rows have pairwise distinct central characters on
        ``S`` (equal numbers have equal images).
    (e) *Eigen equations* ``y = d_i (M_j chi_i)(r) - |C_j| chi_i(g_j) chi_i(g_r) = 0`` for
        ``j in S``, all ``r``, all ``i``: checked under ``phi_w`` for each prime. By (c) the
        image of row ``i`` under ``z -> w^u`` is the image of another row under ``phi_w``, so
        ``y`` lies in every prime ideal over every ``p`` used; ``p`` is unramified, so
        ``prod p`` divides ``y``. All conjugates of ``y`` are at most ``2 |C_j| d_i^2 < prod
        p`` in absolute value, so ``N(y / prod p)`` is a rational integer of absolute value
        ``< 1``: ``y = 0``.
    (f) *Norms*: by (b), ``<chi_i, chi_i'> |G| = sum_c |C_c| chi_i(g_c) conj chi_i'(g_c)`` is
        fixed by every ``sigma_u`` (``g -> g^u`` permutes the classes preserving sizes), so it
        is a rational integer of absolute value ``<= |G| d_i d_i'``; checking it is
        ``|G| delta_ii'`` modulo every ``p`` proves it exactly. Likewise the Frobenius-Schur
        sums ``sum_c |C_c| chi_i(g_c^2)`` are rational integers, recovered exactly.

    Conclusion: by (e) each ``chi_i / d_i`` restricted to the class sums in ``S`` is an
    eigenvector of all ``M_j`` (``j in S``); the joint eigenspaces of these commuting
    diagonalizable matrices are spanned by irreducible characters (step 1 of
    :func:`character_table`), and ``k`` vectors with pairwise distinct eigenvalue tuples (d)
    force ``k`` distinct joint eigenspaces of dimension 1. So ``chi_i = c_i psi_i`` for
    distinct irreducibles ``psi_i``, with ``c_i > 0`` (degrees) and ``c_i = 1`` by (f).
    """
    n = G.order
    k = sizes.size
    deg = np.array(degrees, np.int64)
    h = deg.size
    # (a)
    if h != k:
        raise VerificationError(f"{h} characters for {k} classes")
    if int((deg**2).sum()) != n or np.any(n % deg != 0):
        raise VerificationError("degrees do not satisfy sum d^2 = |G|, d | |G|")
    rows = [X[j] for X in groups for j in range(X.shape[0])]
    if any(np.any(X[0] != 0) for X in rows):
        raise VerificationError("a character is not its degree at the identity")
    # (b) power maps
    units = _unit_generators(e)
    for u in units + prime_factors(e):
        pm = powers[u % e]
        for X in groups:
            img = np.sort((X.astype(np.int64) * u) % e, axis=-1)
            if not np.array_equal(img, X[:, pm, :]):
                raise VerificationError(f"values are not compatible with the {u}-th power map")
    # (c) Galois closure
    for X in groups:
        flat = X.reshape(X.shape[0], -1)
        known = {row.tobytes(): j for j, row in enumerate(flat)}
        for u in units:
            img = np.sort((X.astype(np.int64) * u) % e, axis=-1).astype(X.dtype)
            perm = [known.get(r.tobytes()) for r in img.reshape(X.shape[0], -1)]
            if None in perm or len(set(perm)) != len(perm):
                raise VerificationError(f"the rows are not closed under Galois action {u}")
    # (d)-(f) modulo primes
    bound = 2 * n * int(deg.max()) ** 2
    primes: list[int] = []
    prod = 1
    for p in _primes_one_mod(max(e, 2)):
        primes.append(p)
        prod *= p
        if prod > bound:
            break
    size_arr = sizes.astype(np.int64)
    fs_sums: list[np.ndarray] = []
    S: list[int] | None = None
    for p in primes:
        w = _root_of_unity_mod(e, p)
        pw = np.ones(e, np.int64)
        for t in range(1, e):
            pw[t] = pw[t - 1] * w % p
        V = np.concatenate([pw[X].sum(axis=-1) % p for X in groups], axis=0)  # (h, k)
        Vbar = np.concatenate([pw[(-X.astype(np.int64)) % e].sum(axis=-1) % p for X in groups])
        if S is None:
            S = _separating_classes(V, deg, p)
        # (e) eigen equations
        for j in S:
            col = B[:, j].tocoo()
            Mj = sparse.csr_matrix((col.data, (col.row // k, col.row % k)), shape=(k, k))
            lhs = np.asarray(Mj @ V.T).T % p * (deg[:, None] % p) % p  # (h, k)
            rhs = (V[:, j:j + 1] * (int(size_arr[j]) % p) % p) * V % p
            if not np.array_equal(lhs, rhs):
                raise VerificationError(f"class {j}: rows are not eigenvectors of M_{j}")
        # (f) Gram matrix and Frobenius-Schur sums
        gram = _matmul_mod(V * (size_arr % p)[None, :] % p, Vbar.T.copy(), p)
        target = np.where(np.eye(h, dtype=bool), n % p, 0)
        if not np.array_equal(gram, target):
            raise VerificationError("the rows are not orthonormal")
        fs_sums.append(V[:, powers[2 % e]] * (size_arr % p)[None, :] % p)
    # Frobenius-Schur: sum_c |C_c| chi(g_c^2) = nu |G| with nu in {-1, 0, 1}
    fs = []
    for i in range(h):
        found = None
        for nu in (1, 0, -1):
            if all(int(s[i].sum()) % p == (nu * n) % p for s, p in zip(fs_sums, primes)):
                found = nu
                break
        if found is None:
            raise VerificationError(f"Frobenius-Schur indicator of X.{i + 1} is not in {{-1,0,1}}")
        fs.append(found)
    return tuple(fs)


def _separating_classes(V: np.ndarray, deg: np.ndarray, p: int) -> list[int]:
    """Classes whose (scaled) central characters modulo ``p`` separate all rows."""
    h, k = V.shape
    # central character up to the class size: chi(g_j) / chi(1), as chi(g_j) * d^-1 mod p
    inv = np.array([pow(int(d), -1, p) for d in deg], np.int64)
    cc = V * inv[:, None] % p
    labels = np.zeros(h, np.int64)
    nlabels = 1
    S: list[int] = []
    for j in range(k):
        if nlabels == h:
            break
        _, new = np.unique(labels * p + cc[:, j], return_inverse=True)
        new = new.ravel()
        count = int(new.max()) + 1
        if count > nlabels:
            S.append(j)
            labels, nlabels = new.astype(np.int64), count
    if np.unique(labels).size != h:
        raise VerificationError("central characters do not separate the rows modulo p")
    return S
