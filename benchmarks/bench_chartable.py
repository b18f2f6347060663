"""Benchmark: exact character tables, grouptools vs GAP.

Run from the repository root (GAP is optional; without it only grouptools is timed)::

    python benchmarks/bench_chartable.py [--repeat 3] [--gap gap]

For each group, *grouptools* is ``character_table(G)`` on a freshly built group object
(conjugacy classes included, construction of the group excluded; best of ``--repeat``), and
*table only* the same with the classes already computed. *GAP* is ``Irr(CharacterTable(G))``
on a fresh copy of the group, timed inside GAP with ``NanosecondsSinceEpoch`` (GAP's start-up
excluded; best of ``--repeat``). GAP's groups are its usual representations: pc groups for
``DihedralGroup``, ``SmallGroup`` and the torus group, permutation groups for A5, S5, S6,
PSL(2,7). GAP answers ``SymmetricGroup(n)`` from its generic table of the symmetric groups
(partitions), not by Dixon-Schneider, hence its sub-millisecond times there. Prints a markdown
table; ratio = grouptools / GAP.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import grouptools as gt  # noqa: E402
from grouptools.reps import character_table  # noqa: E402

TORUS = ("F1^28, F2^28, Comm(F1,F2), F3^4, F4^2, (F4*F3)^2, F3^-1*F1*F3*F2^-1, "
         "F3^-1*F2*F3*F1, F4^-1*F1*F4*F1^-1, F4^-1*F2*F4*F2")

# label, grouptools constructor, GAP expression building a fresh group
CASES = [
    ("D8", lambda: gt.dihedral(order=8), "DihedralGroup(8)"),
    ("D128", lambda: gt.dihedral(order=128), "DihedralGroup(128)"),
    ("SmallGroup(200,44)", gt.smallgroup_200_44, "SmallGroup(200,44)"),
    ("A5", lambda: gt.alternating(5), "AlternatingGroup(5)"),
    ("S5", lambda: gt.symmetric(5), "SymmetricGroup(5)"),
    ("S6", lambda: gt.symmetric(6), "SymmetricGroup(6)"),
    ("PSL(2,7)", lambda: gt.projective_special_linear(2, 7), "PSL(2,7)"),
    ("torus_p4m(28)", lambda: gt.torus_p4m(28), "PcGroupCode(torusCode, 6272)"),
]

GAP_PROGRAM = r"""
free := FreeGroup("F1", "F2", "F3", "F4");;
F1 := free.1;; F2 := free.2;; F3 := free.3;; F4 := free.4;;
P := Image(IsomorphismPcGroup(free / [TORUS]));;
torusCode := CodePcGroup(P);;
bench := function(label, make, reps)
  local best, i, G, t, n;
  best := infinity;
  for i in [1 .. reps] do
    G := make();
    t := NanosecondsSinceEpoch();
    n := Length(Irr(CharacterTable(G)));
    t := NanosecondsSinceEpoch() - t;
    if t < best then best := t; fi;
  od;
  Print("TIME\t", label, "\t", n, "\t", best, "\n");
end;;
CASES
QUIT;
"""


def gap_times(gap: str, repeat: int, timeout: float = 1800.0) -> dict[str, float]:
    calls = "\n".join(
        f'bench("{label}", function() return {expr}; end, {repeat});' for label, _, expr in CASES
    )
    program = GAP_PROGRAM.replace("TORUS", TORUS).replace("CASES", calls)
    with tempfile.NamedTemporaryFile("w", suffix=".g", delete=False) as fh:
        fh.write(program)
        path = fh.name
    try:
        proc = subprocess.run([gap, "-q", "-o", "4g", path], capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        out = proc.stdout
    finally:
        Path(path).unlink(missing_ok=True)
    times = {}
    for m in re.finditer(r"^TIME\t(.*?)\t(\d+)\t(\d+)$", out, re.M):
        times[m.group(1)] = int(m.group(3)) * 1e-9
    if len(times) != len(CASES):
        sys.stderr.write(proc.stdout[-2000:] + proc.stderr[-2000:])
    return times


def grouptools_times(make, repeat: int) -> tuple[float, float, int, int]:
    total = only = float("inf")
    for _ in range(repeat):
        G = make()
        t = time.perf_counter()
        T = character_table(G)
        total = min(total, time.perf_counter() - t)
        G = make()
        G.conjugacy_classes()
        t = time.perf_counter()
        character_table(G)
        only = min(only, time.perf_counter() - t)
    return total, only, G.order, len(T)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--gap", default="gap")
    args = ap.parse_args()
    gap = shutil.which(args.gap)
    ref = gap_times(gap, args.repeat) if gap else {}
    print("| group | order | classes | grouptools (s) | table only (s) | GAP (s) | ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, make, _ in CASES:
        total, only, n, k = grouptools_times(make, args.repeat)
        g = ref.get(label)
        gs = f"{g:.4f}" if g is not None else "n/a"
        ratio = f"{total / g:.2f}" if g else "n/a"
        print(f"| {label} | {n} | {k} | {total:.4f} | {only:.4f} | {gs} | {ratio} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
