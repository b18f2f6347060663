"""Benchmark: the chain FFT (``method="chain"``, separation of variables along a subgroup chain).

Run ``python benchmarks/bench_chain_fft.py`` (``--quick``: one repetition, small groups only;
``--calibrate``: only the calibration table;
``--batch B``, default 100; ``--max-k K``: largest 2-group order ``2^K``, default 10: at 14 the
numeric adapted irreps take more than several minutes to build). In one run, side by side:

* ``S_n``: the chain FFT of ``S_7`` and ``S_8`` (Young's orthogonal form) on a batch of real
  functions against ``numpy.fft.fft`` on arrays of the same size (``batch x |G|`` complex), and the
  plan's multiply-add count against Maslen's bound ``(3/4) n (n-1) n!`` (Maslen, *The efficient
  computation of Fourier transforms on the symmetric group*, Math. Comp. 1998), with the blocks
  in the bases of ``G.irreps()`` (the default) and in Young's orthogonal form
  (``basis="adapted"``, without the rotations);
* ``--calibrate``: the table behind ``CHAIN_MADD_DENSE_OPS`` (time per multiply-add of the chain
  over time per operation of the dense product, interleaved in one run, best of 7 each);
* ``dense``: ``PSL(2,13)``, ``A6``, ``S6``: the chain FFT against the dense route, same batch;
* ``2-groups``: iterated wreath products ``C2 wr C2 wr ...`` and their direct products as
  permutation groups of order ``2^k``: the chain FFT against ``numpy.fft.fft`` of the same size,
  and the count against ``|G| log2 |G|``.

Calibration measured on 2026-12-03 on the idle 2-core machine, batch 100, best of 7, chain and
dense interleaved::

    group      |G|   madds    |G|^2     chain ms  dense ms  dense/chain  q
    A6         360   21270    129600     2.79      1.68      0.60      10.15
    S6         720   35310    518400     3.03      5.98      1.97       7.44
    PSL(2,11)  660   55478    435600     6.15      5.24      0.85       9.22
    PSL(2,13) 1092  129590   1192464     9.37     13.16      1.40       6.55
    2^9        512   11808    262144     3.69      3.19      0.87      25.64

``q = (chain time / madds) / (dense time / |G|^2)``; ``CHAIN_MADD_DENSE_OPS = 8`` makes the faster
choice for all but the 2-group. (An earlier calibration on a machine at load average 14 gave q <=
3: BLAS suffers more from a shared core than the chain's kernel does.)

Plan building (adapted irreps, ``G.irreps()``) is timed separately and not included in the
transform times; each transform is warmed up once (numba compilation) and the best of
``--repeat`` runs is reported.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import numpy as np  # noqa: E402

import grouptools as gt  # noqa: E402
from grouptools.fourier import _chain, transform  # noqa: E402

from _timing import best  # noqa: E402


def wreath_2group(m: int) -> list[list[int]]:
    """Generators of the Sylow 2-subgroup of ``S_{2^m}`` (``C2 wr ... wr C2``, order
    ``2^(2^m - 1)``) as image lists on ``2^m`` points."""
    n = 2**m
    gens = []
    for level in range(m):
        block = 2 ** (level + 1)
        half = block // 2
        p = list(range(n))
        for i in range(half):  # swap the two halves of the first block of this size
            p[i], p[i + half] = p[i + half], p[i]
        gens.append(p)
    return gens


def two_group(k: int) -> gt.FiniteGroup:
    """A permutation 2-group of order ``2^k`` without construction metadata: products of the
    wreath products of orders 2, 8, 128 on disjoint points."""
    parts, left = [], k
    for m, e in ((3, 7), (2, 3), (1, 1)):
        while left >= e:
            parts.append(m)
            left -= e
    gens, offset = [], 0
    total = sum(2**m for m in parts)
    for m in parts:
        for g in wreath_2group(m):
            p = list(range(total))
            for i, x in enumerate(g):
                p[offset + i] = offset + x
            gens.append(p)
        offset += 2**m
    G = gt.from_permutations(gens, name=f"2-group 2^{k}")
    assert G.order == 2**k, G.order
    return G


def _row(name: str, G: gt.FiniteGroup, batch: int, repeat: int, baseline: str, deg: int | None = None) -> None:
    t = time.perf_counter()
    P = _chain.plan(G)
    plan_time = time.perf_counter() - t
    rng = np.random.default_rng(0)
    f = rng.normal(size=(batch, G.order))
    _chain.execute(P, f, inverse=False)
    t_chain = best(lambda: _chain.execute(P, f, inverse=False), repeat)
    if baseline == "dense":
        transform(G, f[:1], method="dense")
        t_base = best(lambda: transform(G, f, method="dense"), repeat)
    else:
        x = f.astype(np.complex128)
        t_base = best(lambda: np.fft.fft(x, axis=-1), repeat)
    n = G.order
    extra = ""
    if deg is not None:
        maslen = 0.75 * deg * (deg - 1) * math.factorial(deg)
        t_ad = best(lambda: _chain.execute(P, f, inverse=False, basis="adapted"), repeat)
        extra = (f"  count/Maslen {P.madds / maslen:5.2f}; basis='adapted' {t_ad * 1e3:8.2f} ms "
                 f"(ratio {t_ad / t_base:5.2f}), count/Maslen {P.adapted_madds / maslen:5.2f}")
    elif baseline == "fft":
        extra = f"  count/(|G| log2|G|) {P.madds / (n * math.log2(n)):5.2f}"
    print(f"{name:>12} |G|={n:>6}  plan {plan_time:6.1f} s  chain {t_chain * 1e3:8.2f} ms  "
          f"{baseline} {t_base * 1e3:8.2f} ms  ratio {t_chain / t_base:6.2f}  madds {P.madds:>10}"
          f"  chain {P.chain_orders}{extra}", flush=True)


def calibrate(batch: int, repeat: int) -> None:
    """Time per multiply-add of the chain FFT against time per operation of the dense product,
    measured interleaved in one run (best of ``repeat`` each): the ratio ``q`` is what
    :data:`grouptools.fourier._chain.CHAIN_MADD_DENSE_OPS` records (the chain's cost is
    ``madds * q / DENSE_SPEEDUP`` against the dense ``|G|^2 / DENSE_SPEEDUP``)."""
    print("-- calibration: chain time per madd / dense time per op (interleaved, best of each) --")
    for name, build in (("A6", lambda: gt.alternating(6)), ("S6", lambda: gt.symmetric(6)),
                        ("PSL(2,11)", lambda: gt.projective_special_linear(2, 11)),
                        ("PSL(2,13)", lambda: gt.projective_special_linear(2, 13)),
                        ("2^9", lambda: two_group(9))):
        G = build()
        P = _chain.plan(G)
        f = np.random.default_rng(0).normal(size=(batch, G.order))
        _chain.execute(P, f, inverse=False)
        transform(G, f[:1], method="dense")
        tc, td = [], []
        for _ in range(repeat):
            tc.append(best(lambda: _chain.execute(P, f, inverse=False), 1))
            td.append(best(lambda: transform(G, f, method="dense"), 1))
        c, d = min(tc), min(td)
        q = (c / P.madds) / (d / G.order**2)
        print(f"{name:>10} |G|={G.order:>5}  madds {P.madds:>8}  |G|^2 {G.order**2:>8}  chain {c * 1e3:7.2f} ms  "
              f"dense {d * 1e3:7.2f} ms  dense/chain {d / c:5.2f}  q {q:5.2f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--max-k", type=int, default=10)
    ap.add_argument("--calibrate", action="store_true", help="only the calibration table")
    args = ap.parse_args()
    if args.calibrate:
        calibrate(args.batch, max(args.repeat, 7))
        return
    repeat = 1 if args.quick else args.repeat
    print(f"batch {args.batch}, best of {repeat}")
    print("-- symmetric groups: chain vs numpy.fft.fft of the same size --")
    for n in ((5, 6) if args.quick else (7, 8)):
        _row(f"S{n}", gt.symmetric(n), args.batch, repeat, "fft", deg=n)
    print("-- chain vs the dense route --")
    groups = [("A5", lambda: gt.alternating(5))] if args.quick else [
        ("PSL(2,13)", lambda: gt.projective_special_linear(2, 13)),
        ("A6", lambda: gt.alternating(6)),
        ("S6", lambda: gt.symmetric(6)),
    ]
    for name, build in groups:
        _row(name, build(), args.batch, repeat, "dense")
    print("-- 2-groups: chain vs numpy.fft.fft of the same size --")
    for k in ((7,) if args.quick else tuple(k for k in (7, 10, 12, 14) if k <= args.max_k)):
        _row(f"2^{k}", two_group(k), args.batch, repeat, "fft")


if __name__ == "__main__":
    main()
