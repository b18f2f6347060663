"""Benchmark of the group Fourier transform (grouptools.fourier.transform); prints markdown.

Part 1, on ``torus_p4m(28) = (C28 x C28) : D4`` (|G| = 6272) with a batch of real signals:
our transform (and inverse) against (a) the dense-matrix method of the reference code of Lawrence et al. (build the
``|G| x |G|`` complex Fourier matrix from the irreps, then multiply; build and multiply timed
separately) and (b) ``numpy.fft.fft2`` over the same data viewed as ``8 * batch`` images
``28 x 28`` (what a plain CNN would pay).

Part 2, scaling over ``|G|`` for ``torus_p4m(n)`` and dihedral groups: one subprocess per group
(fresh memory accounting, and a time limit because ``G.irreps()`` - computed by other code - grows
quickly for large dihedral groups). Reported: ``G.irreps()`` time, plan time (once per group),
transform time for the batch, peak traced memory of the transform (``tracemalloc``: numpy and
scipy buffers) and the process peak RSS; the dense method where its matrix fits in
``--dense-max-gib``.

Usage::

    python benchmarks/bench_fourier.py                 # full run (several minutes)
    python benchmarks/bench_fourier.py --quick         # small sizes only

Timings are the best of ``--repeat`` runs after one warm-up (numba compilation and per-group plans
are excluded from the transform times and reported separately).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import grouptools as gt  # noqa: E402
from _timing import best, mib, traced_peak  # noqa: E402
from grouptools.fourier import choose_method, fourier_matrix, inverse, transform
from grouptools.fourier._support import group_irreps


def make_group(kind: str, n: int) -> gt.FiniteGroup:
    return gt.torus_p4m(n) if kind == "torus" else gt.dihedral(n)


# ---------------------------------------------------------------------------------------------
# part 1
# ---------------------------------------------------------------------------------------------
def part1(n: int, batch: int, repeat: int, dense: bool) -> None:
    G = gt.torus_p4m(n)
    rng = np.random.default_rng(0)
    f = rng.normal(size=(batch, G.order))
    t0 = time.perf_counter()
    group_irreps(G)
    t_irreps = time.perf_counter() - t0
    t0 = time.perf_counter()
    transform(G, f[:2])  # plan + numba compilation (cached on disk after the first run)
    inverse(G, transform(G, f[:2]), real=True)
    t_setup = time.perf_counter() - t0
    t_ours = best(lambda: transform(G, f), repeat)
    B = transform(G, f)
    t_inv = best(lambda: inverse(G, B, real=True), repeat)
    err = float(np.abs(inverse(G, B, real=True) - f).max())
    imgs = f.reshape(batch * 8, n, n)
    np.fft.fft2(imgs[:2])
    t_fft2 = best(lambda: np.fft.fft2(imgs), repeat)
    peak = traced_peak(lambda: transform(G, f))

    print(f"### Fourier transform on torus_p4m({n}) = (C{n} x C{n}) : D4, |G| = {G.order}, "
          f"batch of {batch} real signals\n")
    print(f"method `{choose_method(G)}`; `G.irreps()` {t_irreps:.2f} s and plan + JIT "
          f"{t_setup:.2f} s once per group; round-trip max error {err:.1e}.\n")
    print("| method | time | relative to numpy.fft.fft2 | peak traced memory |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| grouptools `transform` | {t_ours:.3f} s | {t_ours / t_fft2:.2f}x | {mib(peak)} |")
    print(f"| grouptools `inverse` (real) | {t_inv:.3f} s | {t_inv / t_fft2:.2f}x | |")
    print(f"| numpy.fft.fft2, {batch * 8} images {n}x{n} | {t_fft2:.3f} s | 1.00x | |")
    if dense:
        t0 = time.perf_counter()
        for rho in group_irreps(G):
            np.asarray(rho.matrices)
        t_mats = time.perf_counter() - t0
        t0 = time.perf_counter()
        F = fourier_matrix(G)
        t_build = time.perf_counter() - t0
        t_mul = best(lambda: F @ f.T, max(1, repeat // 2))
        ok = np.allclose((F @ f[:3].T).T, B.flatten()[:3], atol=1e-8 * np.abs(B.flatten()[:3]).max())
        print(f"| dense matrix: irrep matrices (all |G|) | {t_mats:.3f} s | | {mib(16 * G.order**2)} |")
        print(f"| dense matrix: build F (|G| x |G| complex) | {t_build:.3f} s | | {mib(16 * G.order**2)} |")
        print(f"| dense matrix: multiply F @ f | {t_mul:.3f} s | {t_mul / t_fft2:.1f}x | |")
        print(f"\nDense multiply / ours: {t_mul / t_ours:.0f}x; dense (build + multiply) / ours: "
              f"{(t_build + t_mul) / t_ours:.0f}x. Dense result agrees: {ok}.")
        del F
    print()


# ---------------------------------------------------------------------------------------------
# part 2: one group per subprocess
# ---------------------------------------------------------------------------------------------
def one(kind: str, n: int, batch: int, repeat: int, dense_max_gib: float) -> dict:
    out: dict = {"kind": kind, "n": n}
    G = make_group(kind, n)
    out["order"] = G.order
    t0 = time.perf_counter()
    group_irreps(G)
    out["irreps_s"] = time.perf_counter() - t0
    f = np.random.default_rng(1).normal(size=(batch, G.order))
    t0 = time.perf_counter()
    transform(G, f[:2])
    out["setup_s"] = time.perf_counter() - t0
    out["method"] = choose_method(G)
    out["transform_s"] = best(lambda: transform(G, f), repeat)
    out["peak_bytes"] = traced_peak(lambda: transform(G, f))
    if 16 * G.order**2 <= dense_max_gib * 2**30:
        t0 = time.perf_counter()
        F = fourier_matrix(G, max_order=10**6)
        out["dense_build_s"] = time.perf_counter() - t0
        out["dense_mul_s"] = best(lambda: F @ f.T, 1)
        del F
    out["rss_bytes"] = peak_rss()
    return out


def peak_rss() -> int:
    """Peak resident set size of this process (``VmHWM``; ``ru_maxrss`` would include the parent's
    peak, which survives fork and exec on Linux)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def part2(sizes: list[tuple[str, int]], batch: int, repeat: int, timeout: float, dense_max_gib: float) -> None:
    print(f"### Scaling: batch of {batch} real signals (one subprocess per group, {timeout:.0f} s limit)\n")
    print("| group | \\|G\\| | method | G.irreps() | plan + JIT | transform | per signal | "
          "peak traced | peak RSS | dense: build F (incl. irrep matrices) + multiply |")
    print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, n in sizes:
        label = f"torus_p4m({n})" if kind == "torus" else f"dihedral({n})"
        cmd = [sys.executable, os.path.abspath(__file__), "--one", kind, str(n), "--batch", str(batch),
               "--repeat", str(repeat), "--dense-max-gib", str(dense_max_gib)]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            print(f"| {label} | {_order(kind, n)} | | > {timeout:.0f} s (not measured) | | | | | | |", flush=True)
            continue
        if res.returncode != 0:
            msg = (res.stderr.strip().splitlines() or ["?"])[-1][:80].replace("|", "/")
            print(f"| {label} | {_order(kind, n)} | | failed: {msg} | | | | | | |", flush=True)
            continue
        r = json.loads(res.stdout.strip().splitlines()[-1])
        dense = (f"{r['dense_build_s']:.2f} + {r['dense_mul_s']:.2f} s" if "dense_build_s" in r
                 else f"skipped (F needs {16 * r['order'] ** 2 / 2**30:.1f} GiB)")
        r["rss"] = mib(r["rss_bytes"])
        print(f"| {label} | {r['order']} | {r['method']} | {r['irreps_s']:.2f} s | {r['setup_s']:.2f} s | "
              f"{1e3 * r['transform_s']:.2f} ms | {1e6 * r['transform_s'] / batch:.1f} us | {mib(r['peak_bytes'])} | "
              f"{r['rss']} | {dense} |", flush=True)
    print()


def _order(kind: str, n: int) -> int:
    return 8 * n * n if kind == "torus" else 2 * n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    ap.add_argument("--batch", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=600.0, help="per-group limit of part 2 (seconds)")
    ap.add_argument("--dense-max-gib", type=float, default=1.0, help="largest dense Fourier matrix built")
    ap.add_argument("--one", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        r = one(args.one[0], int(args.one[1]), args.batch or 100, args.repeat, args.dense_max_gib)
        print(json.dumps(r))
        return
    print(f"numpy {np.__version__}, {os.cpu_count()} CPUs\n")
    if args.quick:
        part1(8, args.batch or 100, args.repeat, dense=True)
        part2([("torus", 2), ("torus", 4), ("torus", 8), ("dihedral", 32), ("dihedral", 100)],
              args.batch or 100, 3, args.timeout, args.dense_max_gib)
        return
    part1(28, args.batch or 1000, args.repeat, dense=True)
    torus = [2, 3, 4, 6, 8, 12, 16, 20, 28, 40, 56, 79]
    dihedral = [32, 100, 256, 500, 1000, 2000, 3136, 25000]
    part2([("torus", n) for n in torus] + [("dihedral", m) for m in dihedral],
          args.batch or 100, 3, args.timeout, args.dense_max_gib)


if __name__ == "__main__":
    main()
