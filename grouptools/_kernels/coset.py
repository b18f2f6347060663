"""Kernels of Todd-Coxeter coset enumeration (HLT with lookahead).

Every kernel is written once, as a plain Python function taking all its data as arguments, and
follows :mod:`grouptools._kernels._function`: ``hlt_chunk(...)`` runs the numba compilation
(built on first use, helpers resolving to their compiled versions), ``hlt_chunk.py(...)`` the
same source in plain Python. Tests run both and compare. :func:`warm_up` compiles them.

Data layout
-----------
``table`` : int32 array ``(capacity, C)`` with ``C = 2k`` columns; column ``2s`` is generator
    ``s`` and column ``2s + 1`` its inverse (so the inverse column of ``x`` is ``x ^ 1``).
    ``table[c, x] = -1`` means undefined. Rows ``>= state[NEXT]`` are unused.
``p`` : int32 array ``(capacity,)``, union-find forest of coincidences: coset ``c`` is live iff
    ``p[c] == c``; for a dead coset ``p[c] < c`` leads to its representative.
``flags`` : uint8 array ``(capacity,)``; bit ``b`` of ``flags[c]`` says that the power relator
    with flag bit ``b`` is known to close at coset ``c`` (so HLT need not scan it there again).
``state`` : int64 array of :data:`STATE_SIZE` counters, indexed by the constants below (the
    kernels bind the slots they use to local names with the same values, as they read no module
    globals).

Words are int32 arrays of column indices, concatenated, with offsets ``off`` (word ``i`` is
``words[off[i]:off[i + 1]]``).

The coincidence queue of dead cosets is a linked list stored in column 0 of the dead rows (as
in ACE, Havas and Ramsay); column 0 of a coset is therefore processed at the moment the coset
dies, the other columns when it is dequeued (Holt, Eick and O'Brien, *Handbook of
Computational Group Theory*, 2005, sec. 5.1, procedures ``COINCIDENCE``/``MERGE``/``REP``).
So the only memory besides the table is ``p`` and ``flags`` (5 bytes per row).
"""

from __future__ import annotations

import numpy as np

from ._function import kernel

__all__ = [
    "ALPHA",
    "CONTINUE",
    "DEFINED",
    "DONE",
    "FULL",
    "LIVE",
    "NEXT",
    "PHASE",
    "STATE_SIZE",
    "SUBI",
    "compact",
    "hlt_chunk",
    "lookahead",
    "new_state",
    "standardize",
    "warm_up",
]

# state slots
ALPHA = 0  #: next coset to be processed by the HLT loop
NEXT = 1  #: number of table rows in use (next coset number to define)
LIVE = 2  #: number of live cosets
PHASE = 3  #: 0 = scanning subgroup generators, 1 = HLT loop, 2 = done
SUBI = 4  #: next subgroup generator to scan (phase 0)
DEFINED = 5  #: total number of coset definitions
QHEAD = 6  #: head of the coincidence queue (-1 if empty)
QTAIL = 7  #: tail of the coincidence queue (-1 if empty)
COINC = 8  #: total number of dead cosets produced by coincidences
STATE_SIZE = 9

# statuses returned by hlt_chunk
DONE = 0  #: the coset table is complete
CONTINUE = 1  #: the work budget of this call is used up; call again
FULL = 2  #: not enough free rows for the next step; compact or grow the table


def new_state() -> np.ndarray:
    """Return the state of an enumeration with only coset 0 defined.

    Examples
    --------
    >>> s = new_state()
    >>> int(s[NEXT]), int(s[LIVE])
    (1, 1)
    """
    s = np.zeros(STATE_SIZE, dtype=np.int64)
    s[NEXT] = 1
    s[LIVE] = 1
    s[QHEAD] = -1
    s[QTAIL] = -1
    return s


@kernel
def _rep(p: np.ndarray, c: int) -> int:
    """Representative of coset ``c`` with path compression (HEO 2005, procedure REP)."""
    r = c
    while p[r] != r:
        r = p[r]
    while p[c] != r:
        nxt = p[c]
        p[c] = r
        c = nxt
    return r


@kernel
def _merge(table: np.ndarray, p: np.ndarray, state: np.ndarray, a: int, b: int) -> None:
    """MERGE(a, b) of HEO 2005; column 0 of each newly dead coset is processed at once.

    The dead coset ``nu`` is appended to the queue through its column 0, so the edge
    ``nu --0--> e0`` stored there is handled first, exactly as COINCIDENCE would handle it on
    dequeuing ``nu``. That may merge one more pair, so this is a loop, not a recursion.
    """
    LIVE, QHEAD, QTAIL, COINC = 2, 6, 7, 8  # state slots
    while True:
        r1 = _rep(p, a)
        r2 = _rep(p, b)
        if r1 == r2:
            return
        if r1 < r2:
            mu = r1
            nu = r2
        else:
            mu = r2
            nu = r1
        p[nu] = mu
        state[LIVE] -= 1
        state[COINC] += 1
        e0 = table[nu, 0]
        table[nu, 0] = -1
        tail = state[QTAIL]
        if tail < 0:
            state[QHEAD] = nu
        else:
            table[tail, 0] = nu
        state[QTAIL] = nu
        if e0 < 0:
            return
        # edge nu --col 0--> e0: undefine its partner e0 --col 1--> nu, move it to the reps
        table[e0, 1] = -1
        m = mu
        n = _rep(p, e0)
        t = table[m, 0]
        if t >= 0:
            a = n
            b = t
            continue
        t = table[n, 1]
        if t >= 0:
            a = m
            b = t
            continue
        table[m, 0] = n
        table[n, 1] = m
        return


@kernel
def _coincidence(table: np.ndarray, p: np.ndarray, state: np.ndarray, a: int, b: int) -> None:
    """Process the coincidence ``a = b`` and all its consequences (HEO 2005, COINCIDENCE)."""
    QHEAD, QTAIL = 6, 7  # state slots
    ncols = table.shape[1]
    state[QHEAD] = -1
    state[QTAIL] = -1
    _merge(table, p, state, a, b)
    while state[QHEAD] >= 0:
        g = state[QHEAD]
        nxt = table[g, 0]
        state[QHEAD] = nxt
        if nxt < 0:
            state[QTAIL] = -1
        for x in range(1, ncols):
            d = table[g, x]
            if d < 0:
                continue
            ix = x ^ 1
            table[d, ix] = -1
            m = _rep(p, g)
            n = _rep(p, d)
            t = table[m, x]
            if t >= 0:
                _merge(table, p, state, n, t)
                continue
            t = table[n, ix]
            if t >= 0:
                _merge(table, p, state, m, t)
                continue
            table[m, x] = n
            table[n, ix] = m


@kernel
def _define(
    table: np.ndarray, p: np.ndarray, flags: np.ndarray, state: np.ndarray, f: int, x: int
) -> bool:
    """Define a new coset ``f * x``; return False (defining nothing) if no row is free."""
    NEXT, LIVE, DEFINED = 1, 2, 5  # state slots
    n = state[NEXT]
    if n >= table.shape[0]:
        return False
    flags[n] = 0
    for y in range(table.shape[1]):
        table[n, y] = -1
    p[n] = n
    table[f, x] = n
    table[n, x ^ 1] = f
    state[NEXT] = n + 1
    state[LIVE] += 1
    state[DEFINED] += 1
    return True


@kernel
def _scan_and_fill(
    table: np.ndarray,
    p: np.ndarray,
    flags: np.ndarray,
    state: np.ndarray,
    words: np.ndarray,
    start: int,
    end: int,
    alpha: int,
) -> bool:
    """Scan ``words[start:end]`` at ``alpha``, defining cosets to complete it (HEO, SCANANDFILL).

    Returns False if it stopped because the table is full (what it did so far is valid, and
    scanning again after compaction continues the work).
    """
    f = alpha
    b = alpha
    i = start
    j = end - 1
    while True:
        while i <= j and table[f, words[i]] >= 0:
            f = table[f, words[i]]
            i += 1
        if i > j:
            if f != b:
                _coincidence(table, p, state, f, b)
            return True
        while j >= i and table[b, words[j] ^ 1] >= 0:
            b = table[b, words[j] ^ 1]
            j -= 1
        if j < i:
            _coincidence(table, p, state, f, b)
            return True
        if j == i:
            table[f, words[i]] = b
            table[b, words[i] ^ 1] = f
            return True
        if not _define(table, p, flags, state, f, words[i]):
            return False


@kernel
def _scan(
    table: np.ndarray,
    p: np.ndarray,
    state: np.ndarray,
    words: np.ndarray,
    start: int,
    end: int,
    alpha: int,
) -> None:
    """Scan ``words[start:end]`` at ``alpha`` without defining: deduce or find a coincidence."""
    f = alpha
    i = start
    j = end - 1
    while i <= j and table[f, words[i]] >= 0:
        f = table[f, words[i]]
        i += 1
    if i > j:
        if f != alpha:
            _coincidence(table, p, state, f, alpha)
        return
    b = alpha
    while j >= i and table[b, words[j] ^ 1] >= 0:
        b = table[b, words[j] ^ 1]
        j -= 1
    if j < i:
        _coincidence(table, p, state, f, b)
    elif j == i:
        table[f, words[i]] = b
        table[b, words[i] ^ 1] = f


@kernel
def _mark_closed(
    table: np.ndarray,
    flags: np.ndarray,
    words: np.ndarray,
    start: int,
    end: int,
    root: int,
    bit: int,
    alpha: int,
) -> None:
    """Flag every coset on the closed path of the power relator ``words[start:end]`` at alpha.

    The relator is ``u^e`` with ``|u| = root``; if its path from ``alpha`` is defined and
    closed, it is closed at each ``alpha * u^i`` too, which need not be scanned again.
    """
    f = alpha
    for i in range(start, end):
        f = table[f, words[i]]
        if f < 0:
            return
    if f != alpha:
        return
    mask = np.uint8(1 << bit)
    i = start
    while i < end:
        flags[f] |= mask
        for t in range(i, i + root):
            f = table[f, words[t]]
        i += root


@kernel
def hlt_chunk(
    table: np.ndarray,
    p: np.ndarray,
    flags: np.ndarray,
    rels: np.ndarray,
    roff: np.ndarray,
    rbit: np.ndarray,
    rroot: np.ndarray,
    subs: np.ndarray,
    soff: np.ndarray,
    state: np.ndarray,
    work_limit: int,
) -> int:
    """Run the HLT enumeration (Hasselgrove, Leech and Trotter; HEO 2005, COSETTABLEHLT).

    Scans the subgroup generators at coset 0, then for each live coset ``alpha`` in order of
    definition scans-and-fills every relator and defines all its missing entries. Relators
    with a flag bit ``rbit[r] >= 0`` (powers ``u^e``, ``|u| = rroot[r]``) are skipped at
    cosets already known to close them. Returns after about ``work_limit`` letters scanned
    (:data:`CONTINUE`), when a definition finds no free row (:data:`FULL`; the current coset
    is processed again on the next call), or when the table is complete (:data:`DONE`). All
    progress is in ``state``, so the caller may compact or grow the arrays and call again.
    """
    ALPHA, NEXT, PHASE, SUBI = 0, 1, 3, 4  # state slots
    DONE, CONTINUE, FULL = 0, 1, 2  # statuses
    ncols = table.shape[1]
    nrel = roff.shape[0] - 1
    nsub = soff.shape[0] - 1
    work = 0
    while state[PHASE] == 0:
        i = state[SUBI]
        if i >= nsub:
            state[PHASE] = 1
            break
        need = soff[i + 1] - soff[i]
        if not _scan_and_fill(table, p, flags, state, subs, soff[i], soff[i + 1], 0):
            return FULL
        state[SUBI] = i + 1
        work += need + 1
        if work >= work_limit:
            return CONTINUE
    if state[PHASE] != 1:
        return DONE
    alpha = state[ALPHA]
    while alpha < state[NEXT]:
        if p[alpha] != alpha:
            alpha += 1
            continue
        if work >= work_limit:
            state[ALPHA] = alpha
            return CONTINUE
        for r in range(nrel):
            if p[alpha] != alpha:
                break
            bit = rbit[r]
            if bit >= 0 and (flags[alpha] >> bit) & 1:
                continue
            if not _scan_and_fill(table, p, flags, state, rels, roff[r], roff[r + 1], alpha):
                state[ALPHA] = alpha
                return FULL
            work += roff[r + 1] - roff[r]
            if bit >= 0 and p[alpha] == alpha:
                _mark_closed(table, flags, rels, roff[r], roff[r + 1], rroot[r], bit, alpha)
                work += 2 * (roff[r + 1] - roff[r])
        if p[alpha] == alpha:
            for x in range(ncols):
                if table[alpha, x] < 0 and not _define(table, p, flags, state, alpha, x):
                    state[ALPHA] = alpha
                    return FULL
            work += ncols
        alpha += 1
    state[ALPHA] = alpha
    state[PHASE] = 2
    return DONE


@kernel
def lookahead(
    table: np.ndarray,
    p: np.ndarray,
    flags: np.ndarray,
    rels: np.ndarray,
    roff: np.ndarray,
    rbit: np.ndarray,
    state: np.ndarray,
    start: int,
    work_limit: int,
) -> int:
    """Scan every relator at the live cosets ``>= start`` without defining (HLT lookahead).

    Fills deductions and processes the coincidences found (HEO 2005, sec. 5.2). Returns the
    coset to resume from after about ``work_limit`` letters, or -1 when the pass is complete.
    """
    NEXT = 1  # state slot
    nrel = roff.shape[0] - 1
    work = 0
    c = start
    while c < state[NEXT]:
        if work >= work_limit:
            return c
        if p[c] == c:
            for r in range(nrel):
                if p[c] != c:
                    break
                bit = rbit[r]
                if bit >= 0 and (flags[c] >> bit) & 1:
                    continue
                _scan(table, p, state, rels, roff[r], roff[r + 1], c)
                work += roff[r + 1] - roff[r]
        c += 1
    return -1


@kernel
def compact(table: np.ndarray, p: np.ndarray, flags: np.ndarray, state: np.ndarray) -> None:
    """Renumber the live cosets ``0, 1, ...`` keeping their order; drop the dead rows.

    Must be called with an empty coincidence queue (between :func:`hlt_chunk` calls), when
    live rows only refer to live cosets. ``state[ALPHA]`` is mapped to its new number.
    """
    ALPHA, NEXT, LIVE = 0, 1, 2  # state slots
    n = state[NEXT]
    ncols = table.shape[1]
    alpha = state[ALPHA]
    new_alpha = -1
    j = 0
    for c in range(n):
        if c >= alpha and new_alpha < 0:
            new_alpha = j
        if p[c] == c:
            p[c] = j
            j += 1
        else:
            p[c] = -1
    if new_alpha < 0:
        new_alpha = j
    for c in range(n):
        nc = p[c]
        if nc < 0:
            continue
        flags[nc] = flags[c]
        for x in range(ncols):
            v = table[c, x]
            table[nc, x] = p[v] if v >= 0 else -1
    for c in range(j):
        p[c] = c
    state[NEXT] = j
    state[LIVE] = j
    state[ALPHA] = new_alpha


@kernel
def standardize(
    table: np.ndarray, p: np.ndarray, state: np.ndarray, order: np.ndarray, out: np.ndarray
) -> int:
    """Write the standardized table of the generators into ``out`` (shape ``(k, index)``).

    Cosets are renumbered in the order a breadth-first search from coset 0 first reaches them,
    trying columns ``0, 1, 2, ...`` (``a, a^-1, b, b^-1, ...``). ``p`` is overwritten with the
    renumbering. Returns the number of cosets reached, or -1 if a live row is incomplete or
    refers to a dead coset (the caller treats this as an internal error).
    """
    NEXT = 1  # state slot
    n = state[NEXT]
    ncols = table.shape[1]
    index = order.shape[0]
    for c in range(n):
        if p[c] == c:
            for x in range(ncols):
                v = table[c, x]
                if v < 0 or v >= n or p[v] != v:
                    return -1
    for c in range(n):
        p[c] = -1
    p[0] = 0
    order[0] = 0
    count = 1
    i = 0
    while i < count:
        c = order[i]
        for x in range(ncols):
            d = table[c, x]
            if p[d] < 0:
                if count >= index:
                    return -1
                p[d] = count
                order[count] = d
                count += 1
        i += 1
    for i in range(count):
        c = order[i]
        for s in range(ncols // 2):
            out[s, i] = p[table[c, 2 * s]]
    return count


def warm_up() -> None:
    """Call every compiled kernel once on a tiny enumeration (``<a | a^2>``) with the argument
    types the driver uses, so that compiling (or loading from numba's disk cache) happens here
    and not inside a caller's time budget.

    Examples
    --------
    >>> warm_up()
    """
    table = np.full((4, 2), -1, dtype=np.int32)
    p = np.zeros(4, dtype=np.int32)
    flags = np.zeros(4, dtype=np.uint8)
    rels = np.zeros(2, dtype=np.int32)
    roff = np.array([0, 2], dtype=np.int64)
    rbit = np.array([0], dtype=np.int64)
    rroot = np.array([1], dtype=np.int64)
    subs = np.zeros(0, dtype=np.int32)
    soff = np.zeros(1, dtype=np.int64)
    state = new_state()
    work = 1 << 20
    hlt_chunk(table, p, flags, rels, roff, rbit, rroot, subs, soff, state, work)
    lookahead(table, p, flags, rels, roff, rbit, state, 0, work)
    compact(table, p, flags, state)
    order = np.zeros(int(state[LIVE]), dtype=np.int32)
    out = np.zeros((1, int(state[LIVE])), dtype=np.int32)
    standardize(table, p, state, order, out)
