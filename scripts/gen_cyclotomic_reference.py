"""Generate ``tests/data/gap_cyclotomics.json``: cyclotomic numbers printed by GAP.

Run from the repository root (needs ``gap`` on the PATH; the library itself never does)::

    python scripts/gen_cyclotomic_reference.py

GAP prints (with ``String``) character values of a few groups (``Irr(G)``), pseudo-random
cyclotomics, sums / products / quotients of pairs of them, Galois conjugates (``GaloisCyc``),
square roots (``ER``, ``EI``), Zumbroich bases (``ZumbroichBase``), inverses of random
matrices over cyclotomic fields and ranks / reduced echelon forms (``RankMat``,
``TriangulizedMat``) of low-rank products. For each printed number GAP also gives its conductor and
its Zumbroich coefficients (``CoeffsCyc``); this script turns those into a complex value with
mpmath (50 digits), independently of grouptools. The tests parse the GAP strings with
``Cyclotomic.from_gap`` and compare values, conductors, printed forms and the arithmetic.
"""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import mpmath

GAP_PROGRAM = r"""
SetPrintFormattingStatus("*stdout*", false);
Reset(GlobalMersenneTwister, 20240611);;
emit := function(tag, x)
  local n;
  n := Conductor(x);
  Print(tag, "\t", String(x), "\t", n, "\t", String(CoeffsCyc(x, n)), "\n");
end;;
groups := [SmallGroup(21,1), SmallGroup(24,3), SmallGroup(39,1), SmallGroup(55,1),
           SmallGroup(57,1), SmallGroup(60,5), SmallGroup(120,5), SmallGroup(80,49),
           PSL(2,7), PSL(2,11), PSL(2,13), AlternatingGroup(7), SmallGroup(63,3),
           SmallGroup(48,29), SmallGroup(100,12), SmallGroup(96,3)];;
vals := [];;
for G in groups do
  for chi in Irr(G) do
    for v in ValuesOfClassFunction(chi) do
      if not v in vals then Add(vals, v); fi;
    od;
  od;
od;;
for v in vals do emit("irr", v); od;
orders := [1, 3, 4, 5, 7, 8, 9, 12, 15, 16, 20, 21, 24, 25, 27, 28, 35, 36, 40, 45, 48,
           60, 63, 84, 105, 120];;
rnd := [];;
for i in [1..120] do
  n := Random(orders);
  x := 0;
  for j in [1..Random([1..6])] do
    x := x + Random([-3..3]) / Random([1,1,1,2,3,4]) * E(n)^Random([0..n-1]);
  od;
  Add(rnd, x);
  emit("rnd", x);
od;;
for i in [1..60] do
  x := Random(rnd); y := Random(Concatenation(rnd, vals));
  Print("pair\t", String(x), "\t", String(y), "\n");
  emit("sum", x + y);
  emit("prod", x * y);
  if y <> 0 then emit("quot", x / y); else emit("quot", 0); fi;
od;;
for i in [1..40] do
  x := Random(rnd);
  n := Conductor(x);
  k := Random(PrimeResidues(n));
  Print("gal\t", String(x), "\t", k, "\n");
  emit("galimg", GaloisCyc(x, k));
od;;
for q in [-12, -7, -5, -3, -2, -1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 13, 15, 18, 21, 1/2, 3/7] do
  Print("sqrt\tER(", q, ")\n"); emit("sqrtval", ER(q));
  Print("sqrt\tEI(", q, ")\n"); emit("sqrtval", EI(q));
od;;
for n in [1, 4, 5, 8, 9, 12, 15, 16, 20, 21, 24, 27, 28, 36, 40, 45, 60, 63, 72, 84, 90, 105] do
  Print("zb\t", n, "\t", String(ZumbroichBase(n, 1)), "\n");
od;;
emitmat := function(tag, M)
  Print(tag, "\t", JoinStringsWithSeparator(List(M, row ->
        JoinStringsWithSeparator(List(row, String), ";")), "|"), "\n");
end;;
rndcyc := function(n)
  local x, j;
  x := 0;
  for j in [1..Random([1..3])] do
    x := x + Random([-2..2]) * E(n)^Random([0..n-1]);
  od;
  return x;
end;;
for spec in [[3, 12], [4, 15], [5, 20], [4, 8], [6, 7], [3, 1]] do
  repeat
    A := List([1..spec[1]], i -> List([1..spec[1]], j -> rndcyc(spec[2])));
  until RankMat(A) = spec[1];
  emitmat("invA", A); emitmat("invB", Inverse(A));
od;;
for spec in [[4, 6, 2, 12], [5, 5, 3, 15], [3, 7, 1, 8], [6, 4, 3, 20]] do
  B := List([1..spec[1]], i -> List([1..spec[3]], j -> rndcyc(spec[4])));
  C := List([1..spec[3]], i -> List([1..spec[2]], j -> rndcyc(spec[4])));
  A := B * C;
  Print("rank\t", RankMat(A), "\t", spec[4], "\n");
  emitmat("rrefA", A); emitmat("rrefB", TriangulizedMat(A));
od;;
QUIT;
"""


def complex_value(n: int, coeffs: list[str]) -> tuple[float, float]:
    """``sum_k c_k exp(2 pi i k / n)`` at 50 digits, rounded to double."""
    with mpmath.workdps(50):
        z = mpmath.mpc(0)
        for k, c in enumerate(coeffs):
            q = Fraction(c)
            if q:
                z += mpmath.mpf(q.numerator) / q.denominator * mpmath.expjpi(mpmath.mpf(2 * k) / n)
        return float(z.real), float(z.imag)


def parse_coeffs(text: str) -> list[str]:
    inner = text.strip().strip("[]").strip()
    return [s.strip() for s in inner.split(",")] if inner else []


def parse_matrix(text: str) -> list[list[str]]:
    return [row.split(";") for row in text.split("|")]


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    out_path = root / "tests" / "data" / "gap_cyclotomics.json"
    version = subprocess.run(["gap", "-q"], input='Print(GAPInfo.Version, "\\n");QUIT;',
                             capture_output=True, text=True, check=True).stdout.strip()
    res = subprocess.run(["gap", "-q"], input=GAP_PROGRAM, capture_output=True, text=True,
                         check=True, timeout=600)
    lines = [ln for ln in res.stdout.split("\n") if ln.strip()]

    def number(fields: list[str]) -> dict:
        text, cond, coeffs = fields[1], int(fields[2]), parse_coeffs(fields[3])
        re_, im_ = complex_value(cond, coeffs)
        return {"gap": text, "conductor": cond, "re": re_, "im": im_}

    data: dict = {"generator": "scripts/gen_cyclotomic_reference.py", "gap_version": version,
                  "values": [], "arithmetic": [], "galois": [], "sqrt": [],
                  "zumbroich": [], "inverses": [], "rref": []}
    i = 0
    while i < len(lines):
        f = lines[i].split("\t")
        tag = f[0]
        if tag in ("irr", "rnd"):
            rec = number(f)
            rec["source"] = tag
            data["values"].append(rec)
            i += 1
        elif tag == "pair":
            s, p, q = (number(lines[i + j].split("\t")) for j in (1, 2, 3))
            data["arithmetic"].append({"x": f[1], "y": f[2], "sum": s, "prod": p, "quot": q})
            i += 4
        elif tag == "gal":
            img = number(lines[i + 1].split("\t"))
            data["galois"].append({"x": f[1], "k": int(f[2]), "image": img})
            i += 2
        elif tag == "sqrt":
            val = number(lines[i + 1].split("\t"))
            data["sqrt"].append({"expr": f[1], "value": val})
            i += 2
        elif tag == "zb":
            data["zumbroich"].append({"n": int(f[1]), "basis": json.loads(f[2])})
            i += 1
        elif tag == "invA":
            data["inverses"].append({"matrix": parse_matrix(f[1]),
                                     "inverse": parse_matrix(lines[i + 1].split("\t")[1])})
            i += 2
        elif tag == "rank":
            data["rref"].append({"rank": int(f[1]), "m": int(f[2]),
                                 "matrix": parse_matrix(lines[i + 1].split("\t")[1]),
                                 "rref": parse_matrix(lines[i + 2].split("\t")[1])})
            i += 3
        else:
            raise SystemExit(f"unexpected GAP output line: {lines[i]!r}")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # one record per line: compact and diff-friendly
    chunks = []
    for key, val in data.items():
        if isinstance(val, list):
            body = ",\n".join("  " + json.dumps(r, separators=(",", ":")) for r in val)
            chunks.append(f"{json.dumps(key)}: [\n{body}\n ]")
        else:
            chunks.append(f"{json.dumps(key)}: {json.dumps(val)}")
    out_path.write_text("{\n " + ",\n ".join(chunks) + "\n}\n")
    print(f"wrote {out_path}: " + ", ".join(f"{len(v)} {k}" for k, v in data.items()
                                            if isinstance(v, list)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
