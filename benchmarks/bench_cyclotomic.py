"""Benchmarks of exact cyclotomic linear algebra: grouptools vs sympy.

Run from the repository root::

    python benchmarks/bench_cyclotomic.py            # full sizes
    python benchmarks/bench_cyclotomic.py --quick    # smaller sympy budget

Baseline: sympy's ``DomainMatrix`` over ``QQ.cyclotomic_field(m)`` (same power basis modulo the
cyclotomic polynomial). Each grouptools timing is the best of several runs; a sympy run that
exceeds its time budget is reported as ``> budget``. Results are checked for equality against
each other (and ``A^-1 A = I``). BLAS is pinned to one thread (set before numpy is imported)
so that timings do not depend on other load on the machine. Prints a markdown table.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import math  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grouptools.arith._cycmatrix import CycMatrix
from grouptools.arith._fields import field_tables
from grouptools.arith._cyclotomic import Cyclotomic


class Timeout(Exception):
    pass


def _alarm(signum, frame):  # pragma: no cover - signal handler
    raise Timeout


def best_of(fn, repeat: int = 5, budget: float = 2.0) -> tuple[float, object]:
    """Best wall time (s) of up to ``repeat`` runs within ``budget`` seconds."""
    result = fn()
    best = float("inf")
    start = time.perf_counter()
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    return best, result


def timed_once(fn, budget: float) -> tuple[float | None, object]:
    """Wall time of one run, or None if it exceeds ``budget`` seconds."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, budget)
    t = time.perf_counter()
    try:
        res = fn()
    except Timeout:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - t, res


def random_matrix(rng, rows: int, cols: int, m: int, terms: int = 3) -> CycMatrix:
    """Entries ``sum_{few k} c_k E(m)^k`` with small integer ``c_k``."""
    entries = []
    for _ in range(rows):
        row = []
        for _ in range(cols):
            coeffs = {int(rng.integers(m)): int(rng.integers(-2, 3)) for _ in range(terms)}
            row.append(Cyclotomic.from_root_coefficients(m, coeffs))
        entries.append(row)
    return CycMatrix(entries, m)


def to_sympy(M: CycMatrix):
    """The same matrix as a sympy DomainMatrix over QQ.cyclotomic_field(m)."""
    from sympy import QQ
    from sympy.polys.matrices import DomainMatrix

    K = QQ.cyclotomic_field(M.m)
    den = M.denominator
    rows = []
    for i in range(M.shape[0]):
        row = []
        for j in range(M.shape[1]):
            coeffs = [QQ(int(c), den) for c in M.coefficients[i, j]][::-1]
            row.append(K(coeffs))
        rows.append(row)
    return DomainMatrix(rows, M.shape, K), K


def from_sympy(D, m: int) -> CycMatrix:
    """sympy DomainMatrix over QQ.cyclotomic_field(m) -> CycMatrix."""
    from fractions import Fraction

    d = field_tables(m).d
    rows, cols = D.shape
    dense = D.to_dense().rep.to_ddm()
    den = 1
    fr = []
    for i in range(rows):
        frow = []
        for j in range(cols):
            rep = list(dense[i][j].to_list())[::-1] if dense[i][j] else []
            v = [Fraction(int(c.numerator), int(c.denominator)) for c in rep]
            v += [Fraction(0)] * (d - len(v))
            for c in v:
                den = den * c.denominator // math.gcd(den, c.denominator)
            frow.append(v)
        fr.append(frow)
    coef = [[[int(c * den) for c in v] for v in row] for row in fr]
    return CycMatrix.from_coefficients(np.array(coef, dtype=object), m, den)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller sympy time budget")
    args = ap.parse_args()
    budget = 30.0 if args.quick else 300.0
    rng = np.random.default_rng(2024)
    rows: list[tuple[str, float, float | None, str]] = []

    # 1. inverse 16x16 over Q(zeta_60)
    A = random_matrix(rng, 16, 16, 60)
    t_gt, Ai = best_of(A.inverse)
    assert (Ai @ A).is_identity()
    DA, _ = to_sympy(A)
    t_sp, Ds = timed_once(DA.inv, budget)
    note = ""
    if Ds is not None:
        note = "equal" if from_sympy(Ds, 60) == Ai else "MISMATCH"
    rows.append(("inverse 16x16, Q(zeta_60)", t_gt, t_sp, note))

    # 2. product of two 20x20 over Q(zeta_60)
    B = random_matrix(rng, 20, 20, 60)
    C = random_matrix(rng, 20, 20, 60)
    t_gt, P = best_of(lambda: B @ C, repeat=20)
    DB, _ = to_sympy(B)
    DC, _ = to_sympy(C)
    t_sp, Dp = timed_once(lambda: DB.matmul(DC), budget)
    note = ("equal" if from_sympy(Dp, 60) == P else "MISMATCH") if Dp is not None else ""
    rows.append(("product 20x20 @ 20x20, Q(zeta_60)", t_gt, t_sp, note))

    # 2b. product with big entries (an inverse times a matrix)
    t_gt, _ = best_of(lambda: Ai @ A, repeat=5)
    DAi, _ = to_sympy(Ai)
    t_sp, _ = timed_once(lambda: DAi.matmul(DA), budget)
    rows.append(("product A^-1 @ A (660-bit entries), 16x16, Q(zeta_60)", t_gt, t_sp, ""))

    # 3. rank of 16x100 over Q(zeta_24)
    R = random_matrix(rng, 16, 100, 24)
    t_gt, r = best_of(R.rank)
    DR, _ = to_sympy(R)
    t_sp, rs = timed_once(DR.rank, budget)
    note = ("equal" if rs == r else "MISMATCH") if rs is not None else ""
    rows.append((f"rank of 16x100, Q(zeta_24) (rank {r})", t_gt, t_sp, note))

    # 3b. nullspace of a rank-deficient 12x40 over Q(zeta_24)
    L = random_matrix(rng, 12, 6, 24) @ random_matrix(rng, 6, 40, 24)
    t_gt, N = best_of(L.nullspace)
    assert (L @ N).is_zero()
    DL, _ = to_sympy(L)
    t_sp, _ = timed_once(DL.nullspace, budget)
    rows.append(("nullspace of rank-6 12x40, Q(zeta_24)", t_gt, t_sp, ""))

    # 4. projection: sum of 720 monomial 45x45 matrices (weighted) applied to a vector
    G, n, m = 720, 45, 60
    perms = np.array([rng.permutation(n) for _ in range(G)])
    ex = rng.integers(0, m, size=(G, n))
    weights = [Cyclotomic.from_root_coefficients(m, {int(rng.integers(m)): 1,
                                                     int(rng.integers(m)): -1})
               for _ in range(G)]
    v = random_matrix(rng, n, 1, m)
    t_gt, pv = best_of(lambda: CycMatrix.monomial_sum(perms, ex, m, weights) @ v)

    def sympy_projection():
        from sympy.polys.matrices import DomainMatrix

        Dv, K = to_sympy(v)
        dv = Dv.to_sparse()
        z = K([1, 0])  # zeta
        powers = [K.one]
        for _ in range(m - 1):
            powers.append(powers[-1] * z)
        total = DomainMatrix.zeros((n, 1), K).to_sparse()
        for g in range(G):
            w = to_sympy(CycMatrix([[weights[g]]], m))[0][0, 0].element
            entries = {int(perms[g, i]): {i: w * powers[int(ex[g, i])]} for i in range(n)}
            Mg = DomainMatrix(entries, (n, n), K)
            total = total + Mg.matmul(dv)
        return total

    t_sp, sv = timed_once(sympy_projection, budget)
    note = ("equal" if from_sympy(sv, m) == pv else "MISMATCH") if sv is not None else ""
    rows.append(("sum_g w_g M_g v, 720 monomial 45x45, Q(zeta_60)", t_gt, t_sp, note))
    t_gt2, _ = best_of(lambda: CycMatrix.monomial_sum(perms, ex, m) @ v)
    rows.append(("same, unweighted (w_g = 1)", t_gt2, None, "no baseline"))

    # 5. scalars
    xs = [Cyclotomic.from_root_coefficients(60, {int(rng.integers(60)): int(rng.integers(-3, 4))
                                                 for _ in range(12)}) for _ in range(50)]
    t_mul, _ = best_of(lambda: [xs[i] * xs[i + 1] for i in range(49)], repeat=5)
    t_inv, _ = best_of(lambda: [x.inverse() for x in xs[:10]], repeat=3)
    rows.append(("Cyclotomic product, Q(zeta_60) (per op)", t_mul / 49, None, ""))
    rows.append(("Cyclotomic inverse, Q(zeta_60) (per op)", t_inv / 10, None, ""))

    def fmt(t: float | None) -> str:
        if t is None:
            return "-"
        return f"{t * 1e3:.3g} ms" if t < 1 else f"{t:.3g} s"

    print("| operation | grouptools | sympy DomainMatrix | sympy / grouptools | check |")
    print("| --- | --- | --- | --- | --- |")
    for name, tg, ts, note in rows:
        if ts is None and note == "":
            sp, ratio = (f"> {budget:g} s", f"> {budget / tg:.0f}") if "Cyclotomic" not in name \
                else ("-", "-")
        elif ts is None:
            sp, ratio = "-", "-"
        else:
            sp, ratio = fmt(ts), f"{ts / tg:.0f}x"
        print(f"| {name} | {fmt(tg)} | {sp} | {ratio} | {note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
