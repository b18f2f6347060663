"""Benchmark: Todd-Coxeter coset enumeration (HLT + lookahead, numba) vs sympy.

Run from the repository root::

    python benchmarks/bench_coset.py [--repeat 3] [--sympy-timeout 120] [--no-sympy]

For each presentation (trivial subgroup, default limits):

* *first call, cold* is one ``enumerate_cosets`` call in a fresh interpreter with an empty numba
  cache directory (``NUMBA_CACHE_DIR``), so it includes compiling the kernels (importing the
  package before it is not included; it is reported below the table);
* *first call, cached* is the same in a fresh interpreter with the kernels in the on-disk cache
  (it includes importing numba and loading the compiled kernels);
* *best* is the best of ``--repeat`` calls in this process after a warm-up call;
* *peak MB* is the ``tracemalloc`` peak of one call (numpy buffers included) and *RSS MB* the
  maximal resident set size of the cold subprocess (``resource.getrusage``, whole interpreter).

The baseline is sympy's ``coset_enumeration_r`` (HLT in pure Python) on the order-6272 group,
run in a subprocess killed after ``--sympy-timeout`` seconds; ratio = sympy time / our best time.
Prints a markdown table on stdout (progress on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from grouptools.presentations._coset import enumerate_cosets
from grouptools._errors import EnumerationLimitError
from grouptools.presentations._parse import parse_presentation

G6272 = (
    "<a,b,r,s | a^28, b^28, [a,b], r^4, s^2, (s*r)^2, r^-1*a*r*b^-1, r^-1*b*r*a, "
    "s^-1*a*s*a^-1, s^-1*b*s*b>"
)
ABELIAN = "<a,b,c | a^50, b^40, c^50, [a,b], [a,c], [b,c]>"
CASES = [
    ("torus p4m, order 6272", G6272),
    ("C50 x C40 x C50, order 100000", ABELIAN),
    ("C100000", "<a | a^100000>"),
    ("S7 (Coxeter), order 5040", None),  # filled in below
    ("(2,3,7) triangle group, infinite", "<a,b | a^2, b^3, (a*b)^7>"),
]


def coxeter_sn(n: int) -> str:
    g = [f"s{i}" for i in range(1, n)]
    rels = [f"s{i}^2" for i in range(1, n)]
    rels += [f"(s{i}*s{i + 1})^3" for i in range(1, n - 1)]
    rels += [f"(s{i}*s{j})^2" for i in range(1, n) for j in range(i + 2, n)]
    return "<" + ", ".join(g) + " | " + ", ".join(rels) + ">"


CASES[3] = (CASES[3][0], coxeter_sn(7))

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from grouptools.presentations._coset import enumerate_cosets
from grouptools._errors import EnumerationLimitError
from grouptools.presentations._parse import parse_presentation
pres = parse_presentation({text!r})
t1 = time.perf_counter()
try:
    n = enumerate_cosets(pres).shape[1]
except EnumerationLimitError:
    n = -1
t2 = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"import": t1 - t0, "seconds": t2 - t1, "index": n, "rss_mb": rss}}))
"""

SYMPY_CHILD = """
import time
from sympy.combinatorics.free_groups import free_group
from sympy.combinatorics.fp_groups import FpGroup
from sympy.combinatorics.coset_table import coset_enumeration_r
F, a, b, r, s = free_group("a b r s")
rels = [a**28, b**28, a**-1*b**-1*a*b, r**4, s**2, (s*r)**2, r**-1*a*r*b**-1, r**-1*b*r*a,
        s**-1*a*s*a**-1, s**-1*b*s*b]
G = FpGroup(F, rels)
t0 = time.perf_counter()
C = coset_enumeration_r(G, [])
C.compress()
print(time.perf_counter() - t0, len(C.table))
"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_child(code: str, env: dict[str, str], timeout: float) -> dict | None:
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        log(proc.stderr[-2000:])
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def one_call(pres) -> int:
    try:
        return int(enumerate_cosets(pres).shape[1])
    except EnumerationLimitError:
        return -1


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sympy-timeout", type=float, default=120.0)
    ap.add_argument("--no-sympy", action="store_true")
    args = ap.parse_args()

    rows = []
    imports = []
    ours_6272 = None
    for label, text in CASES:
        log(f"{label} ...")
        pres = parse_presentation(text)
        with tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, NUMBA_CACHE_DIR=cache)
            cold = run_child(CHILD.format(root=str(ROOT), text=text), env, 600)
        warm_env = dict(os.environ)
        warm_env.pop("NUMBA_CACHE_DIR", None)
        one_call(pres)  # warm-up: compile or load the kernels in this process, fill the cache
        warm = run_child(CHILD.format(root=str(ROOT), text=text), warm_env, 600)
        best = float("inf")
        index = 0
        for _ in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            index = one_call(pres)
            best = min(best, time.perf_counter() - t0)
        tracemalloc.start()
        one_call(pres)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        if text == G6272:
            ours_6272 = best
        imports += [child["import"] for child in (cold, warm) if child]
        rows.append(
            (
                label,
                "limit reached" if index < 0 else str(index),
                fmt_time(cold["seconds"]) if cold else "failed",
                fmt_time(warm["seconds"]) if warm else "failed",
                fmt_time(best),
                f"{peak:.1f}",
                f"{cold['rss_mb']:.0f}" if cold else "n/a",
            )
        )

    print("| presentation | index | first call, cold (compile) | first call, cached | best | "
          "peak MB | RSS MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    if imports:
        print(f"Importing `grouptools.presentations._coset` (whole package) took {min(imports):.2f}-"
              f"{max(imports):.2f} s in the subprocesses, not included above. ", end="")
    print("The infinite group stops at the default `max_cosets=4000000` "
          "(EnumerationLimitError).")
    print()

    if args.no_sympy:
        return 0
    log(f"sympy coset_enumeration_r on the order-6272 group (timeout {args.sympy_timeout:g} s) ...")
    try:
        proc = subprocess.run(
            [sys.executable, "-c", SYMPY_CHILD],
            capture_output=True,
            text=True,
            timeout=args.sympy_timeout,
        )
        seconds, index = proc.stdout.split()
        sympy_time: float | None = float(seconds)
        sympy_cell = f"{fmt_time(sympy_time)} (index {index})"
    except subprocess.TimeoutExpired:
        sympy_time = None
        sympy_cell = f"> {args.sympy_timeout:g} s"
    ours_6272 = ours_6272 or float("nan")
    if sympy_time is None:
        ratio = f"> {args.sympy_timeout / ours_6272:.0f}x"
    else:
        ratio = f"{sympy_time / ours_6272:.0f}x"
    print("| order-6272 group | grouptools (best) | sympy `coset_enumeration_r` | ratio |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| torus p4m | {fmt_time(ours_6272)} | {sympy_cell} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
