"""Benchmark: exact irreducible representations, grouptools vs GAP's IrreducibleRepresentations.

Run ``python benchmarks/bench_irreps.py`` (``--quick`` for one repetition, ``--no-gap`` to skip
GAP). Every measurement uses a freshly built group (nothing memoized), best of ``--repeat`` runs:

* ``table``: ``character_table(G)`` (a separate module, needed first);
* ``irreps``: ``irreps(G)`` given the table -- exact generator images, verification included;
* ``total``: table + irreps (what GAP's call does);
* ``matrices``: the unitary ``(|G|, d, d)`` matrices of every element for all irreps (dropped
  after each irrep to bound memory: all of them together hold ``|G|^2`` complex numbers);
* ``GAP``: ``IrreducibleRepresentations(G)`` timed inside GAP (wall clock, excluding startup
  and group construction; a fresh group object per run because GAP caches the attribute).

The order-6272 group is ``gt.torus_p4m(28)`` here and, in GAP, the pc group
``Image(IsomorphismPcGroup(F/rels))`` of the same presentation.

BLAS is limited to one thread (set before numpy is imported): the linear algebra here is on
small matrices, where OpenBLAS threads only add overhead, badly so on a loaded machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

import grouptools as gt  # noqa: E402
from grouptools.reps import character_table, irreps  # noqa: E402

TORUS_PRES = ("a^28, b^28, Comm(a,b), r^4, s^2, (s*r)^2, r^-1*a*r*b^-1, r^-1*b*r*a, "
              "s^-1*a*s*a^-1, s^-1*b*s*b")

CASES = [
    ("DihedralGroup(8)", lambda: gt.dihedral(order=8), "DihedralGroup(8)"),
    ("DihedralGroup(128)", lambda: gt.dihedral(order=128), "DihedralGroup(128)"),
    ("SmallGroup(200,44)", gt.smallgroup_200_44, "SmallGroup(200,44)"),
    ("(C28 x C28):D4 (6272)", lambda: gt.torus_p4m(28), "TORUS()"),
    ("A5", lambda: gt.alternating(5), "AlternatingGroup(5)"),
    ("S5", lambda: gt.symmetric(5), "SymmetricGroup(5)"),
    ("S6", lambda: gt.symmetric(6), "SymmetricGroup(6)"),
]

GAP_PRELUDE = f"""
TORUS := function()
  local F, a, b, r, s;
  F := FreeGroup("a", "b", "r", "s");
  a := F.1; b := F.2; r := F.3; s := F.4;
  return Image(IsomorphismPcGroup(F / [{TORUS_PRES}]));
end;
TIME := function(make, reps)
  local best, i, G, t, r;
  best := infinity;
  for i in [1 .. reps] do
    G := make();
    t := NanosecondsSinceEpoch();
    r := IrreducibleRepresentations(G);
    t := NanosecondsSinceEpoch() - t;
    best := Minimum(best, t);
  od;
  return [best / 10^9, Length(r)];
end;
"""


def time_ours(make, repeat: int, with_matrices: bool) -> dict:
    best = {"table": float("inf"), "irreps": float("inf"), "total": float("inf"),
            "matrices": float("inf")}
    info = {}
    for _ in range(repeat):
        G = make()
        G.conjugacy_classes()
        t0 = time.perf_counter()
        character_table(G)
        t1 = time.perf_counter()
        reps = irreps(G)
        t2 = time.perf_counter()
        best["table"] = min(best["table"], t1 - t0)
        best["irreps"] = min(best["irreps"], t2 - t1)
        best["total"] = min(best["total"], t2 - t0)
        if with_matrices:
            t3 = time.perf_counter()
            everything = np.arange(G.order)
            for rho in reps:
                rho.at(everything)  # |G| d^2 numbers; |G|^2 complex numbers in all
            best["matrices"] = min(best["matrices"], time.perf_counter() - t3)
        info = {"order": G.order, "n": len(reps),
                "nonmonomial": sum(not r.is_monomial for r in reps),
                "nonunitary": sum(not r.exact_unitary for r in reps)}
    best.update(info)
    return best


def time_gap(exprs: list[str], repeat: int) -> list[tuple[float, int] | None]:
    gap = shutil.which("gap")
    if gap is None:
        return [None] * len(exprs)
    lines = [GAP_PRELUDE]
    for e in exprs:
        lines.append(f'r := TIME(function() return {e}; end, {repeat}); '
                     f'Print("RESULT ", r[1], " ", r[2], "\\n");')
    lines.append("QUIT;")
    with tempfile.NamedTemporaryFile("w", suffix=".g", delete=False) as fh:
        fh.write("\n".join(lines))
        path = fh.name
    try:
        proc = subprocess.run([gap, "-q", "-b", path], capture_output=True, text=True,
                              timeout=3600)
    finally:
        os.unlink(path)
    out = []
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT"):
            _, t, n = line.split()
            out.append((float(eval(t)), int(n)))  # GAP prints rationals like 123/1000
    return out + [None] * (len(exprs) - len(out))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="one repetition")
    ap.add_argument("--no-gap", action="store_true")
    ap.add_argument("--no-matrices", action="store_true")
    args = ap.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    # warm-up: imports, numba caches, field tables
    irreps(gt.symmetric(4))
    irreps(gt.dihedral(5))
    ours = [time_ours(make, repeat, not args.no_matrices) for _, make, _ in CASES]
    gaps = [None] * len(CASES) if args.no_gap else time_gap([c[2] for c in CASES], repeat)
    print("| group | order | irreps | ours: table | ours: irreps | ours: total | "
          "ours: all matrices | GAP | total / GAP | irreps / GAP |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (name, _, _), o, g in zip(CASES, ours, gaps):
        gt_s = f"{g[0]:.4f} s" if g else "n/a"
        r1 = f"{o['total'] / g[0]:.2f}" if g and g[0] > 0 else "n/a"
        r2 = f"{o['irreps'] / g[0]:.2f}" if g and g[0] > 0 else "n/a"
        mats = "n/a" if args.no_matrices else f"{o['matrices']:.4f} s"
        count = f"{o['n']}" + (f" ({o['nonmonomial']} proj.)" if o["nonmonomial"] else "")
        if g and g[1] != o["n"]:
            count += f" != GAP {g[1]}"
        print(f"| {name} | {o['order']} | {count} | {o['table']:.4f} s | {o['irreps']:.4f} s | "
              f"{o['total']:.4f} s | {mats} | {gt_s} | {r1} | {r2} |")
    print()
    print("proj. = irreps built by projection (not monomial); times are best of "
          f"{repeat} on fresh groups.")


if __name__ == "__main__":
    main()
