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

Calibration measured on 2026-12-03 (15:25 UTC, load average 0.7, nothing else running), batch
100, forward, thread CPU time (``time.thread_time``: one BLAS and one numba thread for both, so
that other processes do not enter), best of 7, chain and dense interleaved, for every candidate
plan (``_chain.candidate_plans``; ``*`` the one ``plan`` chooses)::

     group         |G|  chain                   arith  real madds calls chain ms dense ms dense/chain
     A6            360  (360, 60, 12, 4, 2, 1)  cplx     68138    29    2.09    2.15    1.03
     A6            360  (360, 60, 1)            real     42390    21    1.01    1.87    1.84
    *A6            360  (360, 18, 1)            real     32086    17    0.75    1.73    2.31
    *S6            720  (720, 120, 24, 6, 1)    real     60378    19    2.91    7.15    2.46
     S6            720  (720, 120, 24, 1)       real     70038    18    2.65    7.13    2.69
     PSL(2,11)     660  (660, 60, 12, 1)        cplx    186484    25    3.41    5.75    1.68
    *PSL(2,11)     660  (660, 60, 1)            cplx    194404    21    3.62    6.32    1.75
     PSL(2,13)    1092  (1092, 78, 26, 13, 1)   cplx    434320    19    6.44   11.53    1.79
    *PSL(2,13)    1092  (1092, 14, 2, 1)        real    228050    19    3.71   12.53    3.38
    *2^9           512  (512, ..., 32, 1)       real     40192    33    1.97    3.04    1.54
     SG(384,5602)  384  (384, 192, ..., 2, 1)   cplx     45784    40    2.27    1.86    0.82
    *SG(384,5602)  384  (384, 32, 1)            real     21468    17    0.78    1.81    2.32
     S6 (GAP)      720  (720, 120, 24, 1)       real     76444    27    2.04    5.91    2.90
    *S6 (GAP)      720  (720, 16, 1)            real     88228    17    2.15    5.80    2.70

(44 plans in all; a selection.) A relative least-squares fit of ``y = chain time / (dense time /
|G|^2) = a real_madds + b calls`` over them gives ``a = 1.15``, ``b = 2583``; an earlier run
(14:37 UTC, before complex rotations stopped being folded into real top levels) gave 1.19 and
2912: ``CHAIN_MADD_DENSE_OPS = 1.2`` and ``CHAIN_CALL_DENSE_OPS = 2900``. The model is within
0.55 to 1.6 of the measured times (Young's sparse levels are slower than it says, the real plans
of A6 faster), so it may pick a candidate somewhat slower than the best (S6 from GAP above),
never one slower than the dense product here. The complex plans of the previous version,
measured the same way at a load of 2.6 to 3.0, were 0.90 (A6), 1.92 (S6), 1.30 (PSL(2,11)),
1.87 (PSL(2,13)), 0.87 (2^9) and 0.65 (SmallGroup(384,5602)) times as fast as the dense product.

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


#: Seconds of pause between the methods of a round against the dense route (longer than the
#: spinning of idle OpenBLAS and OpenMP workers after a multithreaded call).
PAUSE = 0.3


def _row(name: str, G: gt.FiniteGroup, batch: int, repeat: int, baseline: str, deg: int | None = None) -> None:
    t = time.perf_counter()
    P = _chain.plan(G)
    plan_time = time.perf_counter() - t
    rng = np.random.default_rng(0)
    f = rng.normal(size=(batch, G.order))
    _chain.execute(P, f, inverse=False)
    t_chain = best(lambda: _chain.execute(P, f, inverse=False), repeat)
    if baseline == "dense":  # interleaved rounds: the median of the per-round ratios (robust to
        transform(G, f[:1], method="dense")  # the host's bursts) and the least times of all rounds
        x = f.astype(np.complex128)
        tc, td, tf = [], [], []
        for _ in range(max(repeat, 7)):  # a pause before each: OpenBLAS and OpenMP worker threads
            time.sleep(PAUSE)             # spin after a multithreaded call and slow the next method
            tc.append(best(lambda: _chain.execute(P, f, inverse=False), 5))
            time.sleep(PAUSE)
            td.append(best(lambda: transform(G, f, method="dense"), 5))
            time.sleep(PAUSE)
            tf.append(best(lambda: np.fft.fft(x, axis=-1), 5))
        t_chain, t_base, t_fft = min(tc), min(td), min(tf)
        median_ratio = float(np.median(np.array(td) / np.array(tc)))
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
    else:  # the 10x target against the dense route, set beside numpy.fft.fft of the same size
        from grouptools.fourier import choose_method

        extra = (f"  dense/chain {t_base / t_chain:5.2f} (median of rounds {median_ratio:5.2f})  "
                 f"numpy.fft.fft {t_fft * 1e3:6.3f} ms "
                 f"(dense/10 = {t_base / 10 * 1e3:6.3f} ms)  auto {choose_method(G)}")
    print(f"{name:>12} |G|={n:>6}  plan {plan_time:6.1f} s  chain {t_chain * 1e3:8.2f} ms  "
          f"{baseline} {t_base * 1e3:8.2f} ms  ratio {t_chain / t_base:6.2f}  madds {P.madds:>10}"
          f"  chain {P.chain_orders}{extra}", flush=True)


CALIBRATION_GROUPS = (("A6", lambda: gt.alternating(6)), ("S6", lambda: gt.symmetric(6)),
                      ("PSL(2,11)", lambda: gt.projective_special_linear(2, 11)),
                      ("PSL(2,13)", lambda: gt.projective_special_linear(2, 13)),
                      ("2^9", lambda: two_group(9)), ("SG(384,5602)", lambda: gap_group("SmallGroup(384,5602)")),
                      ("S6 (GAP)", lambda: gap_group("SymmetricGroup(6)")))


def gap_group(label: str) -> gt.FiniteGroup:
    """A group of the GAP reference set (``tests/data/gap_reference.json``) from its presentation."""
    import json

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "gap_reference.json")
    with open(path) as fh:
        ref = next(g for g in json.load(fh)["groups"] if g["label"] == label)
    return gt.from_presentation(ref["presentation"])


def counts() -> None:
    """The markdown table of ``docs/fourier.md``: for the groups of order >= 120 of the GAP reference
    set (from their presentations), ``PSL(2,13)`` and the symmetric groups, the chain plan
    ``method="chain"`` runs (the cheapest of ``_chain.candidate_plans``), its counts, the count of
    ``method="solvable"`` where it applies, ``|G|^2``, ``|G| log2 |G|`` and the method ``auto`` takes."""
    import json

    from grouptools.fourier import choose_method
    from grouptools.fourier._registry import METHODS

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "gap_reference.json")
    with open(path) as fh:
        ref = [g for g in json.load(fh)["groups"] if g["order"] >= 120]
    rows = [(g["label"], lambda g=g: gt.from_presentation(g["presentation"]), None) for g in ref]
    rows += [("`projective_special_linear(2, 13)`", lambda: gt.projective_special_linear(2, 13), None)]
    rows += [(f"`symmetric({n})` (Young)", lambda n=n: gt.symmetric(n), n) for n in (5, 6, 7, 8)]
    print("| group | order | chain of the plan | arithmetic | count | real count | of which rotations | "
          "solvable count | dense `|G|^2` | `|G| log2 |G|` | auto |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, build, deg in rows:
        G = build()
        P = _chain.plan(G)
        n = G.order
        solv = METHODS["solvable"]
        sc = f"{solv.plan(G).madds:,}" if solv.applies(G) else "-"
        count = f"{P.madds:,}"
        if deg is not None:
            maslen = 0.75 * deg * (deg - 1) * math.factorial(deg)
            count += f" ({P.madds / maslen:.2f} x Maslen; adapted {P.adapted_madds:,}, {P.adapted_madds / maslen:.2f} x)"
        chain = " > ".join(str(o) for o in P.chain_orders)
        print(f"| {label} | {n} | {chain} | {'real' if P.real else 'complex'} | {count} | {P.real_madds:,} | "
              f"{P.rotation_madds:,} | {sc} | {n * n:,} | {round(n * math.log2(n)):,} | `{choose_method(G)}` |", flush=True)


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
    rows = []
    with threadpool_limits(1, "blas"):
        for name, build in CALIBRATION_GROUPS:
            G = build()
            chosen = _chain.plan(G)
            f = np.random.default_rng(0).normal(size=(batch, G.order))
            B = transform(G, f, method="dense")
            run_d = (lambda: inverse_transform(G, B, method="dense")) if inverse else (lambda: transform(G, f, method="dense"))
            run_d()
            for P in _chain.candidate_plans(G):
                run_c = (lambda: _chain.execute(P, B, inverse=True)) if inverse else (lambda: _chain.execute(P, f, inverse=False))
                run_c()
                tc, td = [], []
                for _ in range(repeat):
                    tc.append(best(run_c, 1, time.thread_time))
                    td.append(best(run_d, 1, time.thread_time))
                c, d = min(tc), min(td)
                y = c / (d / G.order**2)
                rows.append((P.real_madds, P.calls, y))
                model = P.real_madds * _chain.CHAIN_MADD_DENSE_OPS + P.calls * _chain.CHAIN_CALL_DENSE_OPS
                mark = "*" if P.chain_orders == chosen.chain_orders and P.real == chosen.real else " "
                print(f"{mark}{name:>10} |G|={G.order:>5}  {str(P.chain_orders):<28} {'real' if P.real else 'cplx'}  "
                      f"madds {P.madds:>7}  real {P.real_madds:>7}  calls {P.calls:>4}  chain {c * 1e3:6.2f} ms  "
                      f"dense {d * 1e3:6.2f} ms  dense/chain {d / c:5.2f}  y/real {y / P.real_madds:5.2f}  "
                      f"model/y {model / y:5.2f}", flush=True)
    A = np.array([[r[0], r[1]] for r in rows], float)
    y = np.array([r[2] for r in rows])
    coef = np.linalg.lstsq(A / y[:, None], np.ones(len(y)), rcond=None)[0]  # least squares in relative error
    print(f"   fit (relative least squares over {len(rows)} plans): CHAIN_MADD_DENSE_OPS {coef[0]:.2f}, "
          f"CHAIN_CALL_DENSE_OPS {coef[1]:.0f}; model/y with the fit: "
          f"{np.round((A @ coef) / y, 2).tolist()}")
    print(f"   load average after: {os.getloadavg()[0]:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--max-k", type=int, default=10)
    ap.add_argument("--calibrate", action="store_true", help="only the calibration table")
    ap.add_argument("--counts", action="store_true", help="only the counts table of docs/fourier.md")
    args = ap.parse_args()
    if args.counts:
        counts()
        return
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
        ("A6 (GAP)", lambda: gap_group("AlternatingGroup(6)")),
        ("S6 (GAP)", lambda: gap_group("SymmetricGroup(6)")),
        ("PSL(2,11)", lambda: gap_group("PSL(2,11)")),
        ("SG(384,5602)", lambda: gap_group("SmallGroup(384,5602)")),
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
