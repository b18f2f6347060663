"""Start-up benchmark: ``import grouptools`` / ``import training`` against ``import numpy`` alone,
and a small question answered end to end on the command line.

Each measurement is a fresh interpreter (``python -c ...`` or the console script), repeated; the
table reports the median and the best. Targets: ``import grouptools`` at most 0.25 s more than
``import numpy``; ``grouptools irreps "<a|a^17>" --format json`` under 0.5 s with warm numba
caches (the benchmark runs it once before timing, which fills them). Also lists which heavy
modules each import loads (numba, scipy.sparse, cvxpy, matplotlib, sympy): none should be.

Usage: ``python benchmarks/bench_startup.py [--repeat N]``; prints markdown.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HEAVY = ("numba", "scipy.sparse", "cvxpy", "matplotlib", "sympy", "networkx", "sklearn")


def _run(cmd: list[str]) -> float:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="0")
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


def _timed(cmd: list[str], repeat: int) -> tuple[float, float]:
    _run(cmd)  # warm the file cache, bytecode and numba caches
    times = [_run(cmd) for _ in range(repeat)]
    return statistics.median(times), min(times)


def _loaded(module: str) -> list[str]:
    code = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return out.stdout.split()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15, help="fresh interpreters per measurement")
    args = ap.parse_args()
    py = sys.executable
    cli = shutil.which("grouptools")
    cases = [
        ("`python -c pass`", [py, "-c", "pass"]),
        ("`import numpy`", [py, "-c", "import numpy"]),
        ("`import grouptools`", [py, "-c", "import grouptools"]),
        ("`import training`", [py, "-c", "import training"]),
    ]
    cli_cmd = [cli] if cli else [py, "-m", "grouptools"]
    cases.append(('`grouptools irreps "<a|a^17>" --format json`', cli_cmd + ["irreps", "<a|a^17>", "--format", "json"]))
    rows = [(label, *_timed(cmd, args.repeat)) for label, cmd in cases]
    base = rows[1][1]
    print(f"Fresh interpreter per run, median (best) of {args.repeat} runs after one warm-up; "
          f"load average {os.getloadavg()[0]:.1f}.\n")
    print("| command | median | best | minus `import numpy` |")
    print("| --- | ---: | ---: | ---: |")
    for label, med, bst in rows:
        extra = "" if "numpy`" in label or "pass" in label else f"{med - base:+.3f} s"
        print(f"| {label} | {med:.3f} s | {bst:.3f} s | {extra} |")
    gt_extra = rows[2][1] - base
    cli_med = rows[4][1]
    print()
    print(f"Targets: `import grouptools` at most 0.25 s more than `import numpy`: "
          f"{'met' if gt_extra <= 0.25 else 'missed'} ({gt_extra:+.3f} s); the CLI under 0.5 s: "
          f"{'met' if cli_med < 0.5 else 'missed'} ({cli_med:.3f} s).")
    for mod in ("grouptools", "training"):
        heavy = _loaded(mod)
        print(f"\nHeavy modules loaded by `import {mod}`: {', '.join(heavy) if heavy else 'none'}.")


if __name__ == "__main__":
    main()
