"""Run every benchmark script and write their markdown output to ``docs/benchmarks.md``.

Usage: ``python benchmarks/run_all.py [names...]`` (names: startup, coset, cyclotomic, chartable, irreps,
fourier, convolution, gcnn, so3, sweep, scale; default all). Each benchmark compares side by side, in one run,
against its named baseline and reports the ratio. Sections not rerun are kept from the existing
file, so one benchmark can be refreshed alone.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "benchmarks.md"
ORDER = ["startup", "coset", "cyclotomic", "chartable", "irreps", "fourier", "convolution", "gcnn", "so3",
         "sweep", "scale"]
TITLES = {
    "startup": "Start-up",
    "coset": "Coset enumeration (issue: groups)",
    "cyclotomic": "Exact cyclotomic arithmetic",
    "chartable": "Character tables",
    "irreps": "Irreducible representations",
    "fourier": "Group Fourier transforms",
    "convolution": "Group convolution",
    "gcnn": "Linear G-CNN training steps",
    "so3": "SO(3) transforms",
    "sweep": "Sweeps on Dask (issue 16)",
    "scale": "Groups at scale (issue 12)",
}


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^<!-- bench:(\w+) -->\n", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def main(names: list[str]) -> int:
    names = names or ORDER
    old = _sections(OUT.read_text()) if OUT.exists() else {}
    new = dict(old)
    for name in names:
        script = ROOT / "benchmarks" / f"bench_{name}.py"
        if not script.exists():
            print(f"skip {name}: {script.name} missing", file=sys.stderr)
            continue
        print(f"running {script.name} ...", file=sys.stderr)
        t0 = time.time()
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
            return proc.returncode
        stamp = time.strftime("%Y-%m-%d")
        new[name] = (f"## {TITLES.get(name, name)}\n\n`python benchmarks/{script.name}`, run {stamp} "
                     f"({time.time() - t0:.0f} s).\n\n{proc.stdout.strip()}\n\n")
    body = "".join(f"<!-- bench:{n} -->\n{new[n]}" for n in ORDER + sorted(set(new) - set(ORDER)) if n in new)
    OUT.write_text(
        "# Benchmarks\n\nSpeed and memory targets live here, not in timed tests. Every figure was "
        "measured by the script named in its section, side by side with the named baseline in the "
        f"same run; ratios are baseline time / our time unless stated. Machine: {_machine()}.\n\n"
        + body
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
