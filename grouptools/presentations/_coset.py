"""Todd-Coxeter coset enumeration and abelian invariants of finitely presented groups.

:func:`enumerate_cosets` runs the Hasselgrove-Leech-Trotter (HLT) strategy with lookahead and
table compaction (Holt, Eick and O'Brien, *Handbook of Computational Group Theory*, 2005,
ch. 5) in numba kernels (:mod:`grouptools._kernels.coset`), in bounded chunks so that the
time budget is checked from Python between them; an enumeration starts on the kernels' plain
Python variants and compiles them only when it proves not to be small, so that small groups
never import numba. :func:`abelian_invariants` computes the
invariants of ``G/G'`` from the Smith normal form of the exponent-sum matrix; the enumeration
uses it to reject presentations of provably infinite groups at once.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

import numpy as np

from grouptools._kernels import coset as _k
from grouptools._kernels._function import choose_plain
from grouptools._errors import (
    EnumerationLimitError,
    GroupTooLargeError,
    InfiniteGroupError,
    PresentationSyntaxError,
    VerificationError,
    check_limit,
    quote,
)
from ._parse import parse_word
from ._words import Presentation, free_reduce, word_root

__all__ = ["MAX_TABLE_ENTRIES", "abelian_invariants", "enumerate_cosets"]

#: Largest coset table (``max_cosets * 2k`` int32 entries) :func:`enumerate_cosets` allocates.
MAX_TABLE_ENTRIES = 2**28

_INITIAL_ROWS = 1 << 12
_LOOKAHEAD_ROWS = 1 << 16
# when the table has max_cosets rows, go on only if lookahead + compaction free this fraction
_MIN_FREE_FRACTION = 32
_WORK_NUMBA = 1 << 22  # letters scanned per kernel call (a few ms)
_WORK_PYTHON = 1 << 13
# by default an enumeration starts on the plain kernels and moves to the compiled ones after this
# many kernel calls of _WORK_PYTHON letters (~10-20 ms each), or earlier once the process-wide
# allowance of plain kernel work (grouptools._kernels._function.choose_plain) is spent: small
# groups never import numba, whose first use costs ~0.5-1 s even with warm disk caches
_PYTHON_CALLS = 8
_PYTHON_MAX_LOWER = 1 << 14  # ... unless the abelianization shows the index is at least this
# canonical form (rotation/inversion class) is computed only for relators up to this length
_CANONICAL_MAX_LEN = 256


def _exponent_sums(words: Sequence[Sequence[int]], ngens: int) -> list[list[int]]:
    """Distinct nonzero exponent-sum vectors of the words (rows of the relation matrix)."""
    rows: dict[tuple[int, ...], None] = {}
    for w in words:
        row = [0] * ngens
        for x in w:
            row[abs(x) - 1] += 1 if x > 0 else -1
        if any(row):
            rows[tuple(row)] = None
    return [list(r) for r in rows]


def _smith_diagonal(rows: list[list[int]], ncols: int) -> list[int]:
    """Nonzero diagonal entries of a diagonal form of the integer matrix ``rows``.

    Pivoting on an entry of least absolute value and reducing its row and column by Euclidean
    division (Smith, 1861; see Cohen, *A Course in Computational Algebraic Number Theory*,
    1993, sec. 2.4.4) until the pivot divides its row and column.
    """
    a = [r[:] for r in rows if any(r)]
    diag: list[int] = []
    while a:
        best = None
        for i, r in enumerate(a):
            for j in range(ncols):
                if r[j] and (best is None or abs(r[j]) < best[0]):
                    best = (abs(r[j]), i, j)
        if best is None:
            break
        _, i0, j0 = best
        a[0], a[i0] = a[i0], a[0]
        for r in a:
            r[0], r[j0] = r[j0], r[0]
        while True:
            piv = a[0][0]
            done = True
            for r in a[1:]:
                if r[0]:
                    q = r[0] // piv
                    for j in range(ncols):
                        r[j] -= q * a[0][j]
                    if r[0]:
                        done = False
            top = a[0]
            for j in range(1, ncols):
                if top[j]:
                    q = top[j] // piv
                    for r in a:
                        r[j] -= q * r[0]
                    if top[j]:
                        done = False
            if done:
                break
            # a smaller remainder exists in row or column 0: make it the pivot
            best = None
            for i, r in enumerate(a):
                if r[0] and (best is None or abs(r[0]) < best[0]):
                    best = (abs(r[0]), i, 0)
            for j in range(ncols):
                if top[j] and (best is None or abs(top[j]) < best[0]):
                    best = (abs(top[j]), 0, j)
            if best is None:  # pragma: no cover - a nonzero remainder was just seen
                break
            _, i1, j1 = best
            a[0], a[i1] = a[i1], a[0]
            for r in a:
                r[0], r[j1] = r[j1], r[0]
        diag.append(abs(a[0][0]))
        a = [r[1:] for r in a[1:] if any(r[1:])]
        ncols -= 1
    return diag


def _invariant_factors(diag: list[int]) -> list[int]:
    """Turn a diagonal ``d_1, ..., d_r`` into invariant factors ``e_1 | e_2 | ...``."""
    d = sorted(diag)
    n = len(d)
    for i in range(n):
        for j in range(i + 1, n):
            g = math.gcd(d[i], d[j])
            if g != d[i]:
                d[i], d[j] = g, d[i] // g * d[j]
    return d


def _invariants(words: Sequence[Sequence[int]], ngens: int) -> tuple[int, ...]:
    rows = _exponent_sums(words, ngens)
    diag = _smith_diagonal(rows, ngens)
    factors = [e for e in _invariant_factors(diag) if e != 1]
    return tuple(factors) + (0,) * (ngens - len(diag))


def abelian_invariants(pres: Presentation) -> tuple[int, ...]:
    """Invariants of the abelianization ``G/G'`` of a finitely presented group.

    Computed from the Smith normal form of the exponent-sum matrix (one row per relator, one
    column per generator).

    Parameters
    ----------
    pres : Presentation
        The presentation.

    Returns
    -------
    tuple of int
        Invariant factors ``d_1 | d_2 | ...`` (all > 1) followed by one ``0`` per infinite
        cyclic factor, so ``G/G'`` is ``Z/d_1 x Z/d_2 x ... x Z^r``. ``()`` if ``G`` is perfect.

    Raises
    ------
    PresentationSyntaxError
        If ``pres`` is not a :class:`~grouptools.presentations._parse.Presentation`.

    Examples
    --------
    >>> from grouptools.presentations import parse_presentation
    >>> abelian_invariants(parse_presentation("<a, b | a^4, b^6, [a, b]>"))
    (2, 12)
    >>> abelian_invariants(parse_presentation("<a, b | a^2>"))
    (2, 0)
    >>> abelian_invariants(parse_presentation("<a, b | a^2, b^3, (a*b)^5>"))
    ()
    """
    _check_presentation(pres)
    return _invariants(pres.relators, len(pres.generators))


def _check_presentation(pres: object) -> None:
    if not isinstance(pres, Presentation):
        raise PresentationSyntaxError(f"expected a Presentation, got {type(pres).__name__}")


def _describe_abelian(invariants: Sequence[int]) -> str:
    return " x ".join("Z" if d == 0 else f"C{d}" for d in invariants) or "trivial"


def _cyclic_core(w: tuple[int, ...]) -> tuple[int, ...]:
    t = 0
    n = len(w)
    while 2 * t + 1 < n and w[t] == -w[n - 1 - t]:
        t += 1
    return w[t : n - t]


def _canonical_relator(w: tuple[int, ...]) -> tuple[int, ...]:
    if len(w) > _CANONICAL_MAX_LEN:
        return w
    inv = tuple(-x for x in reversed(w))
    return min(min(u[i:] + u[:i] for i in range(len(u))) for u in (w, inv))


def _prepare_relators(relators: Sequence[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """Cyclically reduce, drop empty and equivalent relators; shortest first."""
    seen: set[tuple[int, ...]] = set()
    out: list[tuple[int, ...]] = []
    for r in relators:
        c = _cyclic_core(r)
        if not c:
            continue
        key = _canonical_relator(c)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    out.sort(key=len)
    return out


def _columns(words: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate words as column indices (``2s`` for generator ``s``, ``2s+1`` inverse)."""
    off = np.zeros(len(words) + 1, dtype=np.int64)
    off[1:] = np.cumsum([len(w) for w in words]) if words else 0
    cols = np.empty(int(off[-1]), dtype=np.int32)
    pos = 0
    for w in words:
        arr = np.asarray(w, dtype=np.int64)
        cols[pos : pos + len(w)] = np.where(arr > 0, 2 * (arr - 1), 2 * (-arr - 1) + 1)
        pos += len(w)
    return cols, off


def _power_flags(rels: Sequence[tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """Choose up to 8 relators ``u^e`` (``e >= 3``, largest ``e`` first) to get closure flags.

    Returns ``rbit`` (flag bit of each relator, -1 for none) and ``rroot`` (``|u|``).
    """
    rbit = np.full(len(rels), -1, dtype=np.int64)
    rroot = np.zeros(len(rels), dtype=np.int64)
    candidates = []
    for i, r in enumerate(rels):
        root, e = word_root(r)
        rroot[i] = len(root)
        if e >= 3:
            candidates.append((-e, i))
    for bit, (_, i) in enumerate(sorted(candidates)[:8]):
        rbit[i] = bit
    return rbit, rroot


def _inverse_perm(perm: np.ndarray) -> np.ndarray:
    inv = np.empty_like(perm)
    inv[perm] = np.arange(len(perm), dtype=perm.dtype)
    return inv


def _perm_power(perm: np.ndarray, e: int) -> np.ndarray:
    result = np.arange(len(perm), dtype=perm.dtype)
    base = perm
    while e:
        if e & 1:
            result = base[result]
        e >>= 1
        if e:
            base = base[base]
    return result


def _verify_table(
    out: np.ndarray, rels: Sequence[tuple[int, ...]], subs: Sequence[tuple[int, ...]]
) -> None:
    """Check the standardized table: permutations, relators trivial, subgroup fixes coset 0.

    Costs ``O(index * (k + sum |root(r)| log e_r))``: a relator ``u^e`` is checked as the
    ``e``-th power of the permutation of ``u``.
    """
    ngens, index = out.shape
    expected = np.arange(index)
    gens = []
    for s in range(ngens):
        if not np.array_equal(np.sort(out[s]), expected):
            raise VerificationError(f"generator {s} does not act as a permutation on the cosets")
        gens.append(out[s])
    invs = [_inverse_perm(g) for g in gens]

    def word_perm(w: Sequence[int]) -> np.ndarray:
        perm = np.arange(index, dtype=out.dtype)  # coset i -> i * w
        for x in w:
            perm = (gens[x - 1] if x > 0 else invs[-x - 1])[perm]
        return perm

    for r in rels:
        root, e = word_root(r)
        if not np.array_equal(_perm_power(word_perm(root), e), expected):
            raise VerificationError("a relator does not act trivially on the cosets")
    for w in subs:
        c = 0
        for x in w:
            c = (gens[x - 1] if x > 0 else invs[-x - 1])[c]
        if c != 0:
            raise VerificationError("a subgroup generator does not fix the subgroup's coset")


def _check_subgroup(subgroup: object, pres: Presentation) -> list[tuple[int, ...]]:
    if isinstance(subgroup, (str, bytes)) or not isinstance(subgroup, Sequence):
        raise PresentationSyntaxError(
            "subgroup must be a sequence of words (each a sequence of ints or a str)"
        )
    ngens = len(pres.generators)
    words = []
    for w in subgroup:
        if isinstance(w, str):
            words.append(parse_word(w, pres.generators))
            continue
        if not isinstance(w, Sequence) and not isinstance(w, np.ndarray):
            raise PresentationSyntaxError(f"a subgroup generator must be a word, got {quote(w)}")
        red = free_reduce(w)
        for x in red:
            if abs(x) > ngens:
                raise PresentationSyntaxError(
                    f"letter {x} out of range for {ngens} generator(s) in subgroup word {quote(tuple(w))}"
                )
        words.append(red)
    return [w for w in words if w]


def _positive_int(name: str, value: object) -> int:
    """A limit: a positive int, else :class:`InvalidLimitError` (an EnumerationLimitError)."""
    return int(check_limit(name, value))


def enumerate_cosets(
    pres: Presentation,
    subgroup: Sequence[Sequence[int]] = (),
    *,
    max_cosets: int = 4_000_000,
    max_order: int = 1_000_000,
    time_budget: float = 60.0,
) -> np.ndarray:
    """Standardized coset table of a subgroup of a finitely presented group.

    Todd-Coxeter coset enumeration (Todd and Coxeter, 1936) with the HLT strategy
    (Hasselgrove, Leech and Trotter) plus lookahead, coincidences handled by union-find and a
    queue, and table compaction (Holt, Eick and O'Brien, *Handbook of Computational Group
    Theory*, 2005, sec. 5.1-5.2).

    Parameters
    ----------
    pres : Presentation
        Presentation of ``G`` with ``k`` generators.
    subgroup : sequence of words, optional
        Generators of the subgroup ``H`` as words (tuples of letters, or strs parsed with
        :func:`~grouptools.presentations._parse.parse_word`). Default: the trivial subgroup.
    max_cosets : int, optional
        Number of rows of the largest coset table allowed, i.e. of cosets alive at once. Each
        row takes ``2k`` int32 entries plus 5 bytes of bookkeeping; the table starts small and
        doubles as needed. ``max_cosets * 2k`` may not exceed :data:`MAX_TABLE_ENTRIES`.
    max_order : int, optional
        Maximal index ``[G : H]`` accepted.
    time_budget : float, optional
        Wall-clock seconds allowed (checked every few milliseconds).

    Returns
    -------
    numpy.ndarray
        int32 array of shape ``(k, index)``: ``table[s, i]`` is the coset reached from coset
        ``i`` by right multiplication by generator ``s``. Coset 0 is ``H``; cosets are numbered
        in the order a breadth-first search from 0 reaches them, trying ``a, a^-1, b, b^-1,
        ...``. For the trivial subgroup this is the right regular representation with the
        identity as element 0.

    Raises
    ------
    InfiniteGroupError
        If the abelianization shows ``[G : H]`` is infinite (e.g. ``G/G'`` has a ``Z`` factor
        and ``H`` is trivial).
    EnumerationLimitError
        If ``max_cosets``, ``time_budget`` or ``max_order`` is exceeded; for an invalid limit
        value (not positive, not a number) its subclass :class:`~grouptools.InvalidLimitError`,
        which is also a :class:`~grouptools.ParameterError`.
    GroupTooLargeError
        If ``max_cosets * 2k`` exceeds :data:`MAX_TABLE_ENTRIES`.
    PresentationSyntaxError
        If ``pres`` is not a Presentation or a subgroup word is invalid.

    Examples
    --------
    >>> from grouptools.presentations import parse_presentation
    >>> t = enumerate_cosets(parse_presentation("<a, b | a^4, b^2, (a*b)^2>"))
    >>> t.shape
    (2, 8)
    >>> t[:, 0].tolist()  # images of the identity: a, b
    [1, 3]
    >>> enumerate_cosets(parse_presentation("<a, b | a^4, b^2, (a*b)^2>"), [(1,)]).shape
    (2, 2)
    """
    return _enumerate(
        pres,
        subgroup,
        max_cosets=max_cosets,
        max_order=max_order,
        time_budget=time_budget,
    )


def _enumerate(
    pres: Presentation,
    subgroup: Sequence[Sequence[int]],
    *,
    max_cosets: int,
    max_order: int,
    time_budget: float,
    python: bool | None = None,
    stats: dict | None = None,
) -> np.ndarray:
    """Implementation of :func:`enumerate_cosets`; ``python=True`` runs the kernels
    uncompiled (their ``.py`` variants), ``python=False`` compiled, and the default ``None``
    starts uncompiled and switches to the compiled kernels (on the same table) after
    ``_PYTHON_CALLS`` kernel calls or when the process-wide plain-work allowance is spent
    (:func:`~grouptools._kernels._function.choose_plain`), so that small enumerations never
    import numba; it compiles at once when the index is at least ``_PYTHON_MAX_LOWER``. The result
    does not depend on the choice: both variants run the same code."""
    start_time = time.perf_counter()
    _check_presentation(pres)
    max_cosets = _positive_int("max_cosets", max_cosets)
    max_order = _positive_int("max_order", max_order)
    time_budget = float(check_limit("time_budget", time_budget, integer=False))
    subs = _check_subgroup(subgroup, pres)
    ngens = len(pres.generators)
    ncols = 2 * ngens
    if ngens == 0:
        return np.zeros((0, 1), dtype=np.int32)
    if max_cosets * ncols > MAX_TABLE_ENTRIES:
        raise GroupTooLargeError(
            f"max_cosets * 2k = {max_cosets} * {ncols} exceeds {MAX_TABLE_ENTRIES} table "
            f"entries: lower max_cosets to at most {MAX_TABLE_ENTRIES // ncols}"
        )

    inv = _invariants(list(pres.relators) + subs, ngens)
    if 0 in inv:
        if subs:
            raise InfiniteGroupError(
                "subgroup has infinite index: G/G' modulo the subgroup is "
                f"{_describe_abelian(inv)}"
            )
        raise InfiniteGroupError(
            f"presentation defines an infinite group: abelianization {_describe_abelian(inv)}"
        )
    lower = math.prod(inv)
    if lower > max_order:
        raise EnumerationLimitError(
            f"index is at least {lower} (abelianization {_describe_abelian(inv)}), "
            f"more than max_order={max_order}"
        )
    if lower > max_cosets:
        raise EnumerationLimitError(
            f"index is at least {lower} (abelianization {_describe_abelian(inv)}), "
            f"more than max_cosets={max_cosets}"
        )

    kernels = (_k.hlt_chunk, _k.lookahead, _k.compact, _k.standardize)
    if python is None and lower >= _PYTHON_MAX_LOWER:
        python = False
    if python is False:
        _k.warm_up()
        hlt_chunk, lookahead, compact, standardize = kernels
        work = _WORK_NUMBA
    else:
        hlt_chunk, lookahead, compact, standardize = (k.py for k in kernels)
        work = _WORK_PYTHON
    plain_calls = 0 if python is None else -1  # -1: never switch
    start_time = time.perf_counter()  # compiling the kernels does not count
    rels = _prepare_relators(pres.relators)
    rcols, roff = _columns(rels)
    rbit, rroot = _power_flags(rels)
    scols, soff = _columns(subs)
    cap = min(max_cosets, max(_INITIAL_ROWS, 2 * lower))
    table = np.full((cap, ncols), -1, dtype=np.int32)
    p = np.zeros(cap, dtype=np.int32)
    flags = np.zeros(cap, dtype=np.uint8)
    state = _k.new_state()
    counters = stats if stats is not None else {}
    counters.update(compactions=0, lookaheads=0, max_rows=cap)

    def elapsed() -> float:
        return time.perf_counter() - start_time

    def limit_error(what: str) -> EnumerationLimitError:
        return EnumerationLimitError(
            f"coset enumeration {what}: {int(state[_k.LIVE])} live cosets, "
            f"{int(state[_k.DEFINED]) + 1} defined in total, {elapsed():.1f} s "
            "(the group may be infinite or too large)"
        )

    def check_time() -> None:
        if elapsed() > time_budget:
            raise limit_error(f"exceeded time_budget={time_budget:g} s")

    def maybe_compile() -> None:
        # default mode: after _PYTHON_CALLS plain kernel calls, go on with the compiled kernels
        nonlocal plain_calls, hlt_chunk, lookahead, compact, standardize, work, start_time
        if plain_calls < 0:
            return
        plain_calls += 1
        if plain_calls <= _PYTHON_CALLS and choose_plain(work):
            return
        plain_calls = -1
        t = time.perf_counter()
        _k.warm_up()
        start_time += time.perf_counter() - t  # compiling the kernels does not count
        hlt_chunk, lookahead, compact, standardize = kernels
        work = _WORK_NUMBA

    def run_lookahead() -> None:
        pos = 0
        while pos >= 0:
            maybe_compile()
            pos = lookahead(table, p, flags, rcols, roff, rbit, state, pos, work)
            check_time()
        counters["lookaheads"] += 1

    lookahead_before_growth = True
    while True:
        maybe_compile()
        status = hlt_chunk(
            table, p, flags, rcols, roff, rbit, rroot, scols, soff, state, work
        )
        check_time()
        if status == _k.DONE:
            break
        if status == _k.CONTINUE:
            continue
        # FULL: a definition found no free row
        dead = int(state[_k.NEXT]) - int(state[_k.LIVE])
        if dead >= cap // 4:
            compact(table, p, flags, state)
            counters["compactions"] += 1
            continue
        if cap < max_cosets and cap >= _LOOKAHEAD_ROWS and lookahead_before_growth:
            # a large table filled up: a lookahead pass may free enough rows to avoid growing;
            # if it does not, it is not tried again (typical of infinite or very large groups)
            run_lookahead()
            compact(table, p, flags, state)
            counters["compactions"] += 1
            if cap - int(state[_k.NEXT]) >= cap // 4:
                continue
            lookahead_before_growth = False
        if cap < max_cosets:
            cap = min(max_cosets, 2 * cap)
            table.resize((cap, ncols), refcheck=False)
            p.resize(cap, refcheck=False)
            flags.resize(cap, refcheck=False)
            counters["max_rows"] = cap
            continue
        # the table has its maximal size: look ahead for coincidences, then compact
        run_lookahead()
        compact(table, p, flags, state)
        counters["compactions"] += 1
        if cap - int(state[_k.NEXT]) < max(1, cap // _MIN_FREE_FRACTION):
            raise limit_error(
                f"exceeded max_cosets={max_cosets} (table still full after lookahead and "
                "compaction)"
            )

    index = int(state[_k.LIVE])
    if index > max_order:
        raise EnumerationLimitError(
            f"coset enumeration finished with index {index}, more than max_order={max_order}"
        )
    order = np.empty(index, dtype=np.int32)
    out = np.empty((ngens, index), dtype=np.int32)
    reached = standardize(table, p, state, order, out)
    del table, p
    if reached != index:
        raise VerificationError(
            f"coset table inconsistent after enumeration (reached {reached} of {index} cosets)"
        )
    _verify_table(out, rels, subs)
    if stats is not None:
        stats.update(
            defined=int(state[_k.DEFINED]) + 1,
            coincidences=int(state[_k.COINC]),
            seconds=elapsed(),
            index=index,
        )
    return out
