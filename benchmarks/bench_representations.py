"""Benchmark: decomposition of representations and bases of equivariant maps (issue 13).

Run ``python benchmarks/bench_representations.py`` (``--quick``: small groups and one repetition,
a smoke test of the script; ``--escnn PYTHON``: also time escnn with that interpreter, e.g.
``/tmp/escnn-venv/bin/python``). Best of ``--repeat`` runs after one warm-up on the same group
(the group's irreps, character table and spanning tree are built once, as in a network that
decomposes many representations of one group).

Measured (targets of issue 13):

* ``decompose tensor^2``: exact decomposition of the tensor square of an 8-dimensional irrep of
  ``torus_p4m(28)`` (64 x 64 over Q(E(28)); target < 1 s);
* ``decompose S6 pairs``: exact decomposition of the permutation representation of ``S6`` on
  the 15 two-element subsets (cosets of ``C(b) = S2 x S4``; target < 0.5 s);
* ``decompose pixels``: numeric decomposition of ``torus_p4m(28)`` on its 784 pixels
  (``G / D4``; target < 5 s);
* ``equivariant reg->reg``: ``equivariant_basis`` between regular representations of the
  dihedral group of order 16;
* ``equivariant pixels->reg``: between the 64 pixels and the regular representation of
  ``torus_p4m(8)`` (order 512).

escnn (``--escnn``) solves the same equivariance constraints numerically: its Sylvester solver
``escnn.group._numerical.find_intertwiner_basis_sylvester`` on the generator matrices (the
solver escnn uses for intertwiners of finite groups), and for the dihedral group also
``escnn.kernels.kernels_on_point`` on its own ``dihedral_group(8)`` regular representation (the
basis of a 1x1 steerable convolution). The generator matrices are passed from here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

import grouptools as gt  # noqa: E402
from benchmarks._timing import best, run_watched  # noqa: E402

ESCNN_SCRIPT = r"""
import json, sys, time
import numpy as np
key, repeat = sys.argv[2], int(sys.argv[3])
best = float("inf")
if key == "kernels_on_point":
    from escnn.group import dihedral_group
    from escnn.kernels import kernels_on_point
    G = dihedral_group(8)
    for _ in range(repeat):
        t = time.perf_counter()
        b = kernels_on_point(G.regular_representation, G.regular_representation)
        best = min(best, time.perf_counter() - t)
    k = int(b.dim)
else:
    from escnn.group._numerical import find_intertwiner_basis_sylvester
    data = np.load(sys.argv[1])
    rin = list(data[key + "_in"]); rout = list(data[key + "_out"])
    for _ in range(repeat):
        t = time.perf_counter()
        basis = find_intertwiner_basis_sylvester(rin, rout)
        best = min(best, time.perf_counter() - t)
    k = int(basis.shape[1])
print(json.dumps({"seconds": best, "k": k}))
"""


def _centralizer_of_b(G: gt.FiniteGroup) -> gt.Subgroup:
    b = G.element("b")
    x = np.arange(G.order)
    return G.subgroup(x[G.multiply(x, b) == G.multiply(b, x)])


def s6_pairs() -> gt.Representation:
    G = gt.symmetric(6)
    return G.permutation_representation(_centralizer_of_b(G))


def pixels(n: int) -> gt.Representation:
    G = gt.torus_p4m(n)
    return G.permutation_representation(G.subgroup([G.element("r"), G.element("s")]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small groups, one repetition (smoke test)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--escnn", metavar="PYTHON", help="interpreter with escnn installed")
    ap.add_argument("--escnn-gb", type=float, default=14.0, help="kill escnn above this resident size")
    ap.add_argument("--escnn-timeout", type=float, default=600.0)
    args = ap.parse_args()
    repeat = 1 if args.quick else args.repeat
    big, small, dih = (6, 4, 4) if args.quick else (28, 8, 8)
    rows = []

    G = gt.torus_p4m(big)
    rho = next(r for r in G.irreps() if r.dim == 8)
    T = rho.tensor(rho)
    T.decompose()
    rows.append((f"decompose tensor^2 (torus_p4m({big}), 64, exact)",
                 best(lambda: rho.tensor(rho).decompose(), repeat), 1.0))
    if not args.quick:
        P6 = s6_pairs()
        P6.decompose()
        S6 = P6.group
        rows.append(("decompose S6 pairs (15, exact; irreps of S6 known)",
                     best(lambda: S6.permutation_representation(_centralizer_of_b(S6)).decompose(), repeat),
                     0.5))
        rows.append(("  same, cold: new S6, its irreps, the subgroup, the representation",
                     best(lambda: s6_pairs().decompose(), repeat), None))
    Pb = pixels(big)
    Pb.decompose(exact=False)
    rows.append((f"decompose pixels (torus_p4m({big}), {Pb.dim}, numeric)",
                 best(lambda: pixels(big).decompose(exact=False), repeat), 5.0))

    D = gt.dihedral(dih)
    RD = D.regular_representation()
    gt.equivariant_basis(RD, RD)
    rows.append((f"equivariant reg->reg (dihedral order {2 * dih})",
                 best(lambda: gt.equivariant_basis(D.regular_representation(), D.regular_representation()),
                      repeat), None))
    Gs = gt.torus_p4m(small)
    Ps, Rs = pixels(small), Gs.regular_representation()
    B = gt.equivariant_basis(Ps, Rs)
    rows.append((f"equivariant pixels->reg (torus_p4m({small}), {Ps.dim} -> {Rs.dim}, k={B.shape[0]})",
                 best(lambda: gt.equivariant_basis(pixels(small), Gs.regular_representation()), repeat),
                 None))

    for name, sec, target in rows:
        flag = "" if target is None else (" ok" if sec < target else f" ABOVE target {target} s")
        print(f"{name:70s} {sec:8.3f} s{flag}")

    if args.escnn:
        # each escnn case in its own process, killed above --escnn-gb GiB resident: a case that
        # exhausts memory must not take the others with it
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "mats.npz")
            np.savez(path,
                     dihedral_in=RD.numeric_generator_images.real, dihedral_out=RD.numeric_generator_images.real,
                     pixels_in=Ps.numeric_generator_images.real, pixels_out=Rs.numeric_generator_images.real)
            script = os.path.join(tmp, "escnn_bench.py")
            with open(script, "w") as f:
                f.write(ESCNN_SCRIPT)
            keys = ["dihedral", "pixels"] + (["kernels_on_point"] if dih == 8 else [])
            for key in keys:
                out, why, peak = run_watched([args.escnn, "-W", "ignore", script, path, key, str(repeat)],
                                             args.escnn_gb, args.escnn_timeout)
                if out is None:
                    print(f"escnn {key:64s} {why}")
                    continue
                val = json.loads(out.strip().splitlines()[-1])
                print(f"escnn {key:64s} {val['seconds']:8.3f} s (k={val['k']}, peak {peak / 2**30:.1f} GiB)")

if __name__ == "__main__":
    main()
