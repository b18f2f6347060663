"""Integer lattices: Hermite and Smith normal forms of small integer matrices (exact, Python ints).

Used for abelian invariants: the linear characters of a subgroup (through the relation lattice of
its abelianization) and the index arithmetic of abelian groups without a construction record.
Smith (1861), "On systems of linear indeterminate equations and congruences"; Cohen (1993),
*A Course in Computational Algebraic Number Theory*, 2.4.

Examples
--------
>>> import numpy as np
>>> d, Q = smith_form(np.array([[2, 0], [0, 3]]))
>>> d
[1, 6]
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["relation_lattice", "smith_form"]


def _xgcd(a: int, b: int) -> tuple[int, int, int]:
    """``(g, x, y)`` with ``g = gcd(a, b) = x a + y b`` and ``g >= 0``."""
    x0, y0, x1, y1 = 1, 0, 0, 1
    while b:
        q, r = divmod(a, b)
        a, b = b, r
        x0, x1 = x1, x0 - q * x1
        y0, y1 = y1, y0 - q * y1
    if a < 0:
        a, x0, y0 = -a, -x0, -y0
    return a, x0, y0


def _hnf_insert(B: list[list[int]], v: list[int]) -> None:
    """Insert the vector ``v`` into the upper-triangular full-rank lattice basis ``B`` (in place);
    off-diagonal entries are reduced modulo the pivots (Hermite normal form)."""
    r = len(B)
    v = list(v)
    for i in range(r):
        if v[i] == 0:
            continue
        b = B[i]
        g, x, y = _xgcd(b[i], v[i])
        p, q = b[i] // g, v[i] // g
        newb = [x * bb + y * vv for bb, vv in zip(b, v)]
        v = [p * vv - q * bb for bb, vv in zip(b, v)]
        B[i] = newb
    for i in range(r):  # reduce above-diagonal entries
        for j in range(i):
            f = B[j][i] // B[i][i]
            if f:
                B[j] = [a - f * c for a, c in zip(B[j], B[i])]


def relation_lattice(rows: np.ndarray, m: int) -> np.ndarray:
    """Hermite basis (upper triangular, ``r x r``) of the lattice spanned by the integer ``rows``
    and by ``m Z^r`` (which the caller guarantees to lie in the lattice).

    Rows are reduced against the current basis all at once; only rows that are not yet in the
    lattice are inserted one by one (each insertion at least halves a pivot).
    """
    r = rows.shape[1]
    B = [[m if i == j else 0 for j in range(r)] for i in range(r)]
    rows = np.mod(rows, m)
    if r * math.log2(m) < 62:  # dedupe through one integer key per row (fast 1-D unique)
        key = rows @ (m ** np.arange(r, dtype=np.int64))
        _, first = np.unique(key, return_index=True)
        todo = rows[first]
    else:
        todo = np.unique(rows, axis=0)
    while todo.size:
        Bt = np.array(B, dtype=np.int64)
        red = todo.copy()
        for i in range(r):
            q = np.floor_divide(red[:, i], Bt[i, i])
            red -= q[:, None] * Bt[i][None, :]
        bad = np.flatnonzero(red.any(axis=1))
        if bad.size == 0:
            break
        _hnf_insert(B, [int(x) for x in red[bad[0]]])
        todo = red[bad[1:]]
    return np.array(B, dtype=np.int64)


def smith_form(B: np.ndarray) -> tuple[list[int], list[list[int]]]:
    """Smith normal form of a nonsingular square integer matrix: ``(d, Q)`` with
    ``P B Q = diag(d)`` for some unimodular ``P``, ``d_1 | d_2 | ...``, and ``Q`` unimodular
    (the column operations, returned as a list of rows)."""
    A = [[int(x) for x in row] for row in B]
    r = len(A)
    Q = [[int(i == j) for j in range(r)] for i in range(r)]

    def col_op(j: int, t: int, f: int) -> None:  # col_j -= f col_t
        for row in A:
            row[j] -= f * row[t]
        for row in Q:
            row[j] -= f * row[t]

    def col_swap(a: int, b: int) -> None:
        for row in A:
            row[a], row[b] = row[b], row[a]
        for row in Q:
            row[a], row[b] = row[b], row[a]

    for t in range(r):
        while True:
            nz = [(abs(A[i][j]), i, j) for i in range(t, r) for j in range(t, r) if A[i][j]]
            if not nz:
                break
            _, i0, j0 = min(nz)
            A[t], A[i0] = A[i0], A[t]
            col_swap(t, j0)
            piv = A[t][t]
            done = True
            for i in range(t + 1, r):
                f = A[i][t] // piv
                if f:
                    A[i] = [a - f * c for a, c in zip(A[i], A[t])]
                if A[i][t]:
                    done = False
            for j in range(t + 1, r):
                f = A[t][j] // piv
                if f:
                    col_op(j, t, f)
                if A[t][j]:
                    done = False
            if not done:
                continue
            bad = [(i, j) for i in range(t + 1, r) for j in range(t + 1, r) if A[i][j] % piv]
            if not bad:
                break
            A[t] = [a + c for a, c in zip(A[t], A[bad[0][0]])]
        if A[t][t] < 0:
            A[t] = [-a for a in A[t]]
    return [A[i][i] for i in range(r)], Q

