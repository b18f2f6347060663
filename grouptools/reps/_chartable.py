"""Exact character tables of finite groups (Dixon-Schneider), certified.

:func:`character_table` computes the irreducible characters of a :class:`FiniteGroup` from its
class multiplication coefficients, numerically, recovers every value exactly as a sum of roots
of unity and then *proves* the result with exact integer arithmetic (see
:func:`character_table` for the algorithm and :func:`grouptools.reps._dixon.certify` for the proof). Exact values are
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
from typing import Any, Sequence

import numpy as np

from ..arith._numtheory import prime_factors
from ..arith._cyclotomic import Cyclotomic
from .._errors import (
    GroupTooLargeError,
    ParameterError,
    ParameterTypeError,
    check_index,
    check_int,
    check_limit,
    check_type,
    quote,
)
from ..groups import ConjugacyClass, FiniteGroup
from ._dixon import compute_characters

__all__ = ["CharacterTable", "character_table", "class_names"]

#: Largest ``|G| * (number of classes)`` for which the class products are tabulated.
MAX_CLASS_PRODUCTS = 1 << 26
#: Largest number of conjugacy classes (the table has ``k^2`` entries, the eigen step is k^3).
MAX_CLASSES = 4000
#: Largest dense :attr:`CharacterTable.multiplicities` array (entries).
MAX_DENSE_MULTIPLICITIES = 1 << 27


def _readonly(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


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
    4. *Certificate* (:func:`grouptools.reps._dixon.certify`): exact integer checks proving that the rows are the
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
        return G.memo(
            "character_table",
            lambda: CharacterTable(G, *compute_characters(G, max_class_products, max_classes)),
        )
    return CharacterTable(G, *compute_characters(G, max_class_products, max_classes))


