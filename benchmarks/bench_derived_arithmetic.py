"""Benchmark: the element arithmetic derived for groups without a construction record.

Run from the repository root::

    python benchmarks/bench_derived_arithmetic.py [--repeat 3]

For each group: the time to build it (coset enumeration or closure of permutations), the best
time of ``derive_arithmetic`` over ``--repeat`` calls after a warm-up call (which compiles or
loads the numba kernels), the kind of arithmetic found, and the best time of 10^6 random
products and of 10^5 element orders. Prints a markdown table on stdout.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import grouptools as gt  # noqa: E402
from grouptools.groups._derived import derive_arithmetic  # noqa: E402

from _timing import best  # noqa: E402

CASES = [
    ("C16000", lambda: gt.from_presentation("<a | a^16000>")),
    ("C999999", lambda: gt.from_presentation("<a | a^999999>")),
    ("C300 x C400", lambda: gt.from_presentation("<a, b | a^300, b^400, a*b*a^-1*b^-1>")),
    ("C12289 : C4", lambda: gt.from_presentation("<a, b | a^12289, b^4, b^-1*a*b*a^-1479>")),
    ("S4 x C500", lambda: gt.from_presentation(
        "<a, b, c | a^4, b^2, (a*b)^3, c^500, [a, c], [b, c]>")),
    ("S8", lambda: gt.symmetric(8)),
    ("S9", lambda: gt.symmetric(9)),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| group | order | build s | derive s | arithmetic | 10^6 products s | 10^5 orders s |")
    print("|---|---|---|---|---|---|---|")
    rng = np.random.default_rng(0)
    for label, make in CASES:
        t = time.perf_counter()
        G = make()
        build = time.perf_counter() - t
        G.spanning_tree, G.inverse  # noqa: B018 - shared with the lead's arithmetic property
        A = derive_arithmetic(G)
        derive = best(lambda: derive_arithmetic(G), args.repeat)
        kind = type(getattr(A, "inner", A)).__name__
        a, b = rng.integers(0, G.order, 10**6), rng.integers(0, G.order, 10**6)
        prod = best(lambda: A.multiply(a, b), args.repeat)
        orders = best(lambda: A.orders(a[:10**5]), args.repeat)
        print(f"| {label} | {G.order} | {build:.2f} | {derive:.3f} | {kind} | {prod:.3f} "
              f"| {orders:.3f} |", flush=True)


if __name__ == "__main__":
    main()
