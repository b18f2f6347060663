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
* ``--calibrate``: the data behind ``CHAIN_MADD_DENSE_OPS`` and ``CHAIN_CALL_DENSE_OPS`` (thread
  CPU times of the chain and the dense product, one BLAS and one numba thread, interleaved, best
  of 15; forward and inverse);
* ``dense``: ``PSL(2,13)``, ``A6``, ``S6``: the chain FFT against the dense route, same batch;
* ``2-groups``: iterated wreath products ``C2 wr C2 wr ...`` and their direct products as
  permutation groups of order ``2^k``: the chain FFT against ``numpy.fft.fft`` of the same size,
  and the count against ``|G| log2 |G|``.

Calibration measured on 2026-12-03 on the shared 2-core machine at load average 2.6 to 3.0
(other sessions running), batch 100, forward, thread CPU time (``time.thread_time``: the time the
thread ran, which other processes do not inflate the way they inflate wall time and a
two-threaded BLAS), best of 15, chain and dense interleaved::

    group         |G|   madds    real   calls  chain ms  dense ms  dense/chain  model/y
    A6            360   18807   68498    38     1.60      1.44       0.90       1.23
    S6            720   41694   65802    37     3.06      5.87       1.92       0.63
    PSL(2,11)     660   49431  183844    38     3.49      4.53       1.30       0.97
    PSL(2,13)    1092  117043  435412    39     6.78     12.65       1.87       1.03
    2^9           512   13600   28736    97     3.59      3.13       0.87       0.87
    SG(384,5602)  384   14044   45784    97     2.94      1.91       0.65       1.25

(inverse, same run: dense/chain 1.24, 2.19, 1.95, 2.87, 1.39, 1.00: the dense inverse is a
complex product, twice the forward's real one). The chain of the previous commit (batch
innermost, one sparse kernel or one product per prefix block, rotations ``2 d^3`` apart),
measured the same way in one loop with this one at load 4.4 to 4.6, took 3.29, 3.08, 5.50, 7.59,
2.96 and 2.64 ms (this one then: 1.92, 2.62, 3.70, 5.86, 2.40, 2.35).

``y = chain time / (dense time / |G|^2)`` is the chain's time in dense operations and
``model = real_madds * CHAIN_MADD_DENSE_OPS + calls * CHAIN_CALL_DENSE_OPS`` (1.3 and 2300, a
least-squares fit of an earlier run of the same table): ``method="auto"`` takes the chain for
S6, PSL(2,11) and PSL(2,13) and the dense product for A6, SmallGroup(384,5602) and the 2-group,
the faster choice for each. Wall times under that load are not usable for calibration: best of
7, the dense product (two BLAS threads) took 1.1 to 21 ms for A6 in runs minutes apart. On an
idle machine the dense product also has its second BLAS thread (the chain runs on one): the idle
wall times of the previous calibration (A6 1.68 ms, S6 5.98, PSL(2,11) 5.24, PSL(2,13) 13.16)
are 0.9 to 1.3 times these thread times, so the margin of PSL(2,11) (1.30) may vanish there.

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
from grouptools.fourier import inverse as inverse_transform  # noqa: E402

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


CALIBRATION_GROUPS = (("A6", lambda: gt.alternating(6)), ("S6", lambda: gt.symmetric(6)),
                      ("PSL(2,11)", lambda: gt.projective_special_linear(2, 11)),
                      ("PSL(2,13)", lambda: gt.projective_special_linear(2, 13)),
                      ("2^9", lambda: two_group(9)), ("SG(384,5602)", lambda: gap_group("SmallGroup(384,5602)")))


def gap_group(label: str) -> gt.FiniteGroup:
    """A group of the GAP reference set (``tests/data/gap_reference.json``) from its presentation."""
    import json

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "gap_reference.json")
    with open(path) as fh:
        ref = next(g for g in json.load(fh)["groups"] if g["label"] == label)
    return gt.from_presentation(ref["presentation"])


def calibrate(batch: int, repeat: int, inverse: bool = False) -> None:
    """The data behind :data:`grouptools.fourier._chain.CHAIN_MADD_DENSE_OPS` and
    ``CHAIN_CALL_DENSE_OPS``: thread CPU times (one BLAS and one numba thread, chain and dense
    interleaved, least of ``repeat``; robust to the other processes of a shared machine) of the
    chain and the dense product, the chain's time in units of one dense operation
    (``y = chain / (dense / |G|^2)``), and the model's ``real_madds * CHAIN_MADD_DENSE_OPS + calls *
    CHAIN_CALL_DENSE_OPS`` against it; ``inverse``: the inverse transforms instead."""
    import numba
    from threadpoolctl import threadpool_limits

    print(f"-- calibration ({'inverse' if inverse else 'forward'}), thread CPU time, best of {repeat}; "
          f"load average {os.getloadavg()[0]:.2f} --")
    numba.set_num_threads(1)
    with threadpool_limits(1, "blas"):
        for name, build in CALIBRATION_GROUPS:
            G = build()
            P = _chain.plan(G)
            f = np.random.default_rng(0).normal(size=(batch, G.order))
            B = transform(G, f, method="dense")
            if inverse:
                run_c, run_d = (lambda: _chain.execute(P, B, inverse=True)), (lambda: inverse_transform(G, B, method="dense"))
            else:
                run_c, run_d = (lambda: _chain.execute(P, f, inverse=False)), (lambda: transform(G, f, method="dense"))
            run_c()
            run_d()
            tc, td = [], []
            for _ in range(repeat):
                tc.append(best(run_c, 1, time.thread_time))
                td.append(best(run_d, 1, time.thread_time))
            c, d = min(tc), min(td)
            y = c / (d / G.order**2)
            model = P.real_madds * _chain.CHAIN_MADD_DENSE_OPS + P.calls * _chain.CHAIN_CALL_DENSE_OPS
            print(f"{name:>10} |G|={G.order:>5}  madds {P.madds:>7}  real {P.real_madds:>7}  calls {P.calls:>4}  "
                  f"chain {c * 1e3:6.2f} ms  dense {d * 1e3:6.2f} ms  dense/chain {d / c:5.2f}  "
                  f"y/real {y / P.real_madds:5.2f}  model/y {model / y:5.2f}", flush=True)
    print(f"   load average after: {os.getloadavg()[0]:.2f}")


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
        calibrate(args.batch, max(args.repeat, 7), inverse=True)
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
    print('-- 2-groups: method="solvable" (Clausen-Baum, composition series) vs numpy.fft.fft of the same size --')
    for k in ((7,) if args.quick else (7, 10, 12, 14)):
        _solvable_row(k, args.batch, max(repeat, 7 if not args.quick else 1))


def _solvable_row(k: int, batch: int, repeat: int) -> None:
    """``method="solvable"`` on ``two_group(k)``, forward and inverse, interleaved with numpy.fft.fft
    (best of ``repeat`` each); plan time apart from ``G.irreps()``."""
    from grouptools.fourier import choose_method, inverse as inverse_transform
    from grouptools.fourier._registry import METHODS

    m = METHODS["solvable"]
    G = two_group(k)
    t = time.perf_counter()
    G.irreps()
    t_irr = time.perf_counter() - t
    t = time.perf_counter()
    P = m.plan(G)
    t_plan = time.perf_counter() - t
    f = np.random.default_rng(0).normal(size=(batch, G.order))
    x = f.astype(np.complex128)
    B = m.execute(P, f, inverse=False)
    m.execute(P, B, inverse=True, real=True)
    tf, ti, tn = [], [], []
    for _ in range(repeat):
        tf.append(best(lambda: m.execute(P, f, inverse=False), 1))
        ti.append(best(lambda: m.execute(P, B, inverse=True, real=True), 1))
        tn.append(best(lambda: np.fft.fft(x, axis=-1), 1))
    n = G.order
    ok = np.allclose(inverse_transform(G, B, method="dense", real=True), f, atol=1e-9)
    print(f"{'2^' + str(k):>12} |G|={n:>6}  irreps {t_irr:5.1f} s  plan {t_plan:5.1f} s  forward {min(tf) * 1e3:7.2f} ms  "
          f"inverse {min(ti) * 1e3:7.2f} ms  fft {min(tn) * 1e3:6.2f} ms  ratio {min(tf) / min(tn):5.2f}  "
          f"count/(|G| log2|G|) {P.madds / (n * math.log2(n)):4.2f}  auto {choose_method(G)}  "
          f"round trip {'ok' if ok else 'WRONG'}", flush=True)


if __name__ == "__main__":
    main()
