"""Generate ``tests/data/gap_reference.json``: character tables computed by GAP.

Run from the repository root (needs ``gap`` with the SmallGroups library on the PATH; the
library itself never calls GAP)::

    python scripts/gen_gap_reference.py [--gap gap] [--timeout 1800]

For every group of order 1..32 (``AllSmallGroups``) and a list of larger groups, GAP prints

* a presentation on generators ``F1, F2, ...`` (``IsomorphismFpGroupByGenerators(G,
  GeneratorsOfGroup(G))``; for the group given by a presentation, that presentation),
* for every class of ``CharacterTable(G)`` (GAP's class order): a representative as a word in
  ``F1, F2, ...``, the class size, the element order and GAP's class name,
* the ``p``-th power maps for the primes ``p`` dividing ``|G|``,
* the irreducible characters (values in GAP's notation, ``String`` of each cyclotomic) and
  their Frobenius-Schur indicators (``Indicator(tbl, 2)``),
* the group id (``IdGroup``) where GAP knows it.

The tests rebuild each group with ``gt.from_presentation``, map the class representatives into
grouptools' classes and compare the tables exactly (up to the order of the characters).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "gap_reference.json"

#: The order-6272 group of the brief: (C28 x C28) : D4, the torus p4m group.
TORUS_RELATORS = [
    "F1^28", "F2^28", "Comm(F1,F2)", "F3^4", "F4^2", "(F4*F3)^2", "F3^-1*F1*F3*F2^-1",
    "F3^-1*F2*F3*F1", "F4^-1*F1*F4*F1^-1", "F4^-1*F2*F4*F2",
]

#: Larger groups: (label, GAP expression). Tables with more than ``FULL_LIMIT`` classes are
#: stored without characters (degrees and class data only).
LARGER = [
    ("SmallGroup(200,44)", "SmallGroup(200,44)"),
    ("DihedralGroup(60)", "DihedralGroup(60)"),
    ("DihedralGroup(64)", "DihedralGroup(64)"),
    ("DihedralGroup(128)", "DihedralGroup(128)"),
    ("AlternatingGroup(5)", "AlternatingGroup(5)"),
    ("SymmetricGroup(5)", "SymmetricGroup(5)"),
    ("SL(2,5)", "SL(2,5)"),
    ("PSL(2,7)", "PSL(2,7)"),
    ("AlternatingGroup(6)", "AlternatingGroup(6)"),
    ("SymmetricGroup(6)", "SymmetricGroup(6)"),
    ("GL(2,3)", "GL(2,3)"),
    ("PSL(2,11)", "PSL(2,11)"),
    ("SmallGroup(39,1)", "SmallGroup(39,1)"),
    ("SmallGroup(55,1)", "SmallGroup(55,1)"),
    ("SmallGroup(57,1)", "SmallGroup(57,1)"),
    ("SmallGroup(63,3)", "SmallGroup(63,3)"),
    ("SmallGroup(64,32)", "SmallGroup(64,32)"),
    ("SmallGroup(72,41)", "SmallGroup(72,41)"),
    ("SmallGroup(80,49)", "SmallGroup(80,49)"),
    ("SmallGroup(81,10)", "SmallGroup(81,10)"),
    ("SmallGroup(96,3)", "SmallGroup(96,3)"),
    ("SmallGroup(100,12)", "SmallGroup(100,12)"),
    ("SmallGroup(120,5)", "SmallGroup(120,5)"),
    ("SmallGroup(160,199)", "SmallGroup(160,199)"),
    ("SmallGroup(384,5602)", "SmallGroup(384,5602)"),
    ("SmallGroup(120,34)", "SmallGroup(120,34)"),
    ("SmallGroup(168,42)", "SmallGroup(168,42)"),
    ("SmallGroup(243,26)", "SmallGroup(243,26)"),
]
MAX_SMALL_ORDER = 32
FULL_LIMIT = 400  # store characters of tables with at most this many classes

GAP_TEMPLATE = r"""
SetPrintFormattingStatus("*stdout*", false);
wordString := function(w)
  if IsOne(w) then return "1"; fi;
  return String(w);
end;;
emitTable := function(label, G, iso, fpwords, idg, full)
  local tbl, ccl, irr, ind, p, cl, chi;
  tbl := CharacterTable(G);
  ccl := ConjugacyClasses(tbl);
  Print("GROUP\t", label, "\t", Size(G), "\t", idg, "\n");
  Print("GENS\t", JoinStringsWithSeparator(List(fpwords[1], String), ","), "\n");
  for p in fpwords[2] do Print("REL\t", wordString(p), "\n"); od;
  for cl in [1 .. Length(ccl)] do
    Print("CLASS\t", ClassNames(tbl)[cl], "\t", SizesConjugacyClasses(tbl)[cl], "\t",
          OrdersClassRepresentatives(tbl)[cl], "\t",
          wordString(iso(Representative(ccl[cl]))), "\n");
  od;
  for p in PrimeDivisors(Size(G)) do
    Print("POW\t", p, "\t", JoinStringsWithSeparator(List(PowerMap(tbl, p), String), ","), "\n");
  od;
  irr := Irr(tbl);
  ind := Indicator(tbl, 2);
  for cl in [1 .. Length(irr)] do
    chi := irr[cl];
    if full then
      Print("CHAR\t", ind[cl], "\t",
            JoinStringsWithSeparator(List(ValuesOfClassFunction(chi), String), ";"), "\n");
    else
      Print("DEG\t", ind[cl], "\t", chi[1], "\n");
    fi;
  od;
  Print("END\n");
end;;
emitGroup := function(label, G, idg)
  local iso, F, free;
  if Size(G) = 1 then
    free := FreeGroup("F1");
    emitTable(label, G, g -> One(free), [[free.1], [free.1]], idg, true);
    return;
  fi;
  iso := IsomorphismFpGroupByGenerators(G, GeneratorsOfGroup(G));
  F := Range(iso);
  emitTable(label, G, g -> UnderlyingElement(Image(iso, g)),
            [FreeGeneratorsOfFpGroup(F), RelatorsOfFpGroup(F)], idg,
            NrConjugacyClasses(G) <= FULL_LIMIT);
end;;
Print("VERSION\t", GAPInfo.Version, "\n");
for n in [1 .. MAX_SMALL_ORDER] do
  for i in [1 .. NrSmallGroups(n)] do
    emitGroup(Concatenation("SmallGroup(", String(n), ",", String(i), ")"),
              SmallGroup(n, i), Concatenation(String(n), ",", String(i)));
  od;
od;
Print("SECTION\tlarger\n");
LARGER_GROUPS
free := FreeGroup("F1", "F2", "F3", "F4");;
F1 := free.1;; F2 := free.2;; F3 := free.3;; F4 := free.4;;
rels := [TORUS_RELATORS];;
Gfp := free / rels;;
iso := IsomorphismPcGroup(Gfp);;
P := Image(iso);;
emitTable("torus_p4m(28)", P, g -> UnderlyingElement(PreImagesRepresentative(iso, g)),
          [GeneratorsOfGroup(free), rels], "6272,0", NrConjugacyClasses(P) <= FULL_LIMIT);
QUIT;
"""


def gap_program() -> str:
    larger = []
    for label, expr in LARGER:
        larger.append(
            f'G := {expr};; idg := "0,0";; '
            f"if IdGroupsAvailable(Size(G)) then idg := JoinStringsWithSeparator("
            f'List(IdGroup(G), String), ","); fi;\n'
            f'emitGroup("{label}", G, idg);'
        )
    return (
        GAP_TEMPLATE.replace("MAX_SMALL_ORDER", str(MAX_SMALL_ORDER))
        .replace("FULL_LIMIT", str(FULL_LIMIT))
        .replace("LARGER_GROUPS", "\n".join(larger))
        .replace("TORUS_RELATORS", ", ".join(TORUS_RELATORS))
    )


def run_gap(gap: str, timeout: float) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".g", delete=False) as fh:
        fh.write(gap_program())
        path = fh.name
    try:
        proc = subprocess.run(
            [gap, "-q", "-o", "4g", path], capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    finally:
        Path(path).unlink(missing_ok=True)
    if proc.returncode != 0 or "Error" in proc.stderr:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"gap failed with exit code {proc.returncode}")
    return proc.stdout


def parse(text: str) -> dict:
    groups = []
    version = None
    collection = "small"
    cur: dict | None = None
    for line in text.splitlines():
        if not line.strip():
            continue
        tag, *fields = line.split("\t")
        if tag == "VERSION":
            version = fields[0]
        elif tag == "SECTION":
            collection = fields[0]
        elif tag == "GROUP":
            label, order, idg = fields
            gid = [int(x) for x in idg.split(",")]
            cur = {
                "label": label,
                "collection": collection,
                "order": int(order),
                "gap_id": gid if gid[1] else None,
                "generators": [],
                "relators": [],
                "classes": [],
                "power_maps": {},
                "characters": None,
                "degrees": [],
                "frobenius_schur": [],
            }
        elif cur is None:
            raise ValueError(f"unexpected line {line!r}")
        elif tag == "GENS":
            cur["generators"] = fields[0].split(",")
        elif tag == "REL":
            cur["relators"].append(fields[0])
        elif tag == "CLASS":
            name, size, order, word = fields
            cur["classes"].append(
                {"name": name, "size": int(size), "order": int(order), "word": word}
            )
        elif tag == "POW":
            cur["power_maps"][fields[0]] = [int(x) - 1 for x in fields[1].split(",")]
        elif tag == "CHAR":
            vals = fields[1].split(";")
            if cur["characters"] is None:
                cur["characters"] = []
            cur["characters"].append(vals)
            cur["frobenius_schur"].append(int(fields[0]))
            cur["degrees"].append(int(vals[0]))
        elif tag == "DEG":
            cur["frobenius_schur"].append(int(fields[0]))
            cur["degrees"].append(int(fields[1]))
        elif tag == "END":
            cur["presentation"] = (
                f"<{', '.join(cur['generators'])} | {', '.join(cur['relators'])}>"
            )
            groups.append(cur)
            cur = None
        else:
            raise ValueError(f"unknown tag in {line!r}")
    return {
        "generator": "scripts/gen_gap_reference.py",
        "gap_version": version,
        "notes": "class words are in the generators F1, F2, ...; power maps are 0-based "
        "indices into GAP's class order; characters may be null for big tables",
        "groups": groups,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gap", default="gap")
    ap.add_argument("--timeout", type=float, default=1800.0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    data = parse(run_gap(args.gap, args.timeout))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump(data, fh, separators=(",", ":"))
        fh.write("\n")
    size = args.out.stat().st_size
    print(f"wrote {len(data['groups'])} groups to {args.out} ({size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
