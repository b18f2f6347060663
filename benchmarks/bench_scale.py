"""Benchmark: groups of 10^4 to 10^6 elements -- irreps, Fourier transforms, the dense crossover.

Run ``python benchmarks/bench_scale.py`` (``--quick``: one repetition, the smaller groups only;
``--escnn PYTHON``: also time escnn (group, irreps, all matrices) with that interpreter, in a subprocess killed above
``--escnn-gb`` GiB resident (default 14) or after ``--escnn-timeout`` seconds). In one run, side by side:

* ``irreps``: ``G.irreps()`` on a fresh group (the lazy sequence, exact relator checks included)
  plus the last irrep at 10 elements; each group runs in its own process, whose peak resident
  memory (``ru_maxrss``: group, irreps, plan, data and transform together) is reported;
* ``FFT``: ``transform(G, x)`` (plan cached) against ``numpy.fft.fft`` (cyclic),
  ``numpy.fft.fft2`` of the ``8 x batch`` images (``torus_p4m``) or ``numpy.fft.fft`` of the
  same data (dihedral), and the ratio;
* ``crossover``: ``method="auto"`` against the dense product ``x @ F.T`` for tiny groups, batch 1000;
* ``matrices``: group + irreps and all numeric matrices of every irrep of ``cyclic(1024)``,
  ``dihedral(512)`` and ``dihedral(2048)``, against escnn when ``--escnn`` is given.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

import grouptools as gt  # noqa: E402
from grouptools.fourier import choose_method, fourier_matrix, transform  # noqa: E402

from _timing import best, run_watched  # noqa: E402

TARGETS = [("cyclic(1000000)", 10), ("dihedral(2048)", 100), ("dihedral(25000)", 100),
           ("torus_p4m(112)", 100), ("torus_p4m(224)", 10)]
ESCNN = """
import time, sys
from escnn.group import dihedral_group, cyclic_group
kind, n = sys.argv[1], int(sys.argv[2])
t = time.perf_counter()
G = dihedral_group(n) if kind == "dihedral" else cyclic_group(n)
irr = G.irreps()
t1 = time.perf_counter() - t
els = list(G.elements)
t = time.perf_counter()
for rho in irr:
    for g in els:
        rho(g)
print(t1, time.perf_counter() - t)
"""


def _irreps(spec: str) -> float:
    t = time.perf_counter()
    G = gt.group(spec)
    build = time.perf_counter() - t
    t = time.perf_counter()
    R = G.irreps()
    R[-1].at(np.arange(10))
    return time.perf_counter() - t, build, len(R)


def _baseline(spec: str, x: np.ndarray) -> float:
    if spec.startswith("torus_p4m"):
        n = int(spec.split("(")[1].rstrip(")"))
        imgs = x.reshape(-1, n, n)  # the same numbers as 8 * batch images of n x n
        return best(lambda: np.fft.fft2(imgs), 3)
    return best(lambda: np.fft.fft(x, axis=-1), 3)


def _escnn(python: str, kind: str, n: int, gb: float, timeout: float) -> str:
    """escnn's group + irreps and all matrices, in a child process killed above ``gb`` GiB resident
    (``ulimit -v`` cannot be used: torch reserves tens of GiB of address space) or ``timeout`` s."""
    out, why, peak = run_watched([python, "-W", "ignore", "-c", ESCNN, kind, str(n)], gb, timeout)
    if out is None:
        return why
    t1, t2 = (float(v) for v in out.split())
    return f"group + irreps {t1:.2f} s, all matrices {t2:.2f} s, peak {peak / 2**30:.1f} GiB"

def _one(spec: str, batch: int, repeat: int) -> None:
    """One row of the first table, measured in this (fresh) process."""
    t_irr, _, nirr = _irreps(spec)
    G = gt.group(spec)
    x = np.random.default_rng(0).standard_normal((batch, G.order))
    transform(G, x)
    ours = best(lambda: transform(G, x), repeat)
    base = _baseline(spec, x)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB -> GiB
    print(f"| `{spec}` | {t_irr:.2f} s ({nirr}) | {batch} | {ours:.3f} s | {base:.3f} s | {ours / base:.2f} | {rss:.2f} GiB |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--escnn", default=None)
    ap.add_argument("--escnn-gb", type=float, default=14.0)
    ap.add_argument("--escnn-timeout", type=float, default=300.0)
    ap.add_argument("--one", nargs=2, default=None, help=argparse.SUPPRESS)  # SPEC BATCH, in a child
    args = ap.parse_args()
    if args.one:
        _one(args.one[0], int(args.one[1]), 1 if args.quick else 3)
        return
    targets = TARGETS[1:3] if args.quick else TARGETS
    print("| group | irreps | FFT batch | ours | numpy | ratio | peak RSS |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for spec, batch in targets:
        cmd = [sys.executable, os.path.abspath(__file__), "--one", spec, str(batch)] + (["--quick"] if args.quick else [])
        out = subprocess.run(cmd, capture_output=True, text=True)
        print(out.stdout.strip() if out.returncode == 0 else f"| `{spec}` | failed: {out.stderr.strip()[-200:]} |")
    print("\n| group | auto | auto time | dense product | ratio |\n| --- | --- | ---: | ---: | ---: |")
    for spec in ["cyclic(8)", "dihedral(4)", "dihedral(8)", "torus_p4m(2)", "dihedral(16)",
                 "cyclic(64)", "dihedral(32)", "torus_p4m(3)", "torus_p4m(4)"]:
        G = gt.group(spec)
        x = np.random.default_rng(1).standard_normal((1000, G.order))
        F = fourier_matrix(G)
        transform(G, x)
        ours = best(lambda: transform(G, x), 20)
        dense = best(lambda: x @ F.T, 20)
        print(f"| `{spec}` | {choose_method(G)} | {ours * 1e3:.2f} ms | {dense * 1e3:.2f} ms | {ours / dense:.2f} |")
    print("\n| group | ours: group + irreps | ours: all numeric matrices | escnn |\n| --- | ---: | ---: | --- |")
    for kind, n in [("cyclic", 1024), ("dihedral", 512), ("dihedral", 2048)]:
        t = time.perf_counter()
        G = gt.cyclic(n) if kind == "cyclic" else gt.dihedral(n)
        R = G.irreps()
        build = time.perf_counter() - t
        t = time.perf_counter()
        for rho in R:
            rho.at(np.arange(G.order))
        ours = time.perf_counter() - t
        other = _escnn(args.escnn, kind, n, args.escnn_gb, args.escnn_timeout) if args.escnn else "not run"
        print(f"| `{kind}({n})` | {build:.2f} s | {ours:.2f} s | {other} |")


if __name__ == "__main__":
    main()
