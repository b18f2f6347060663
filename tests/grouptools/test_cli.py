"""The command line: output, JSON, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from grouptools.cli import main

BIG = ("<a,b,r,s | a^28, b^28, [a,b], r^4, s^2, (s*r)^2, r^-1*a*r*b^-1, r^-1*b*r*a, "
       "s^-1*a*s*a^-1, s^-1*b*s*b>")


def test_info_json(capsys):
    assert main(["info", "dihedral(4) x cyclic(3)", "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["order"] == 24 and info["classes"] == 15
    assert sum(info["class_sizes"]) == 24
    assert info["abelian"] is False and info["solvable"] is True


def test_info_order_6272(capsys):
    assert main(["info", BIG, "--format", "json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["order"] == 6272 and info["classes"] == 170


@pytest.mark.parametrize("spec", ["<a,b | >", "<a,b | [a,b]>", "<a,b | a^2, b^3, (a*b)^7>",
                                  "<a,b | a^2, b^", "<a | a^2, c>", "D8", "cyclic(-1)", "((("])
def test_errors_one_line_exit_2(spec):
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "grouptools", "info", spec],
                          capture_output=True, text=True, timeout=60)
    assert time.monotonic() - t0 < 30
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("grouptools: error:")
    assert "Traceback" not in proc.stderr


def test_usage_error_exit_2():
    proc = subprocess.run([sys.executable, "-m", "grouptools", "nonsense"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_demo(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "6272" in out and "torus_p4m(28)" in out


def test_irreps_json_shape(capsys):
    import numpy as np

    assert main(["irreps", "SL(2,3)", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["order"] == 24 and data["generators"]
    degrees = sorted(r["dim"] for r in data["irreps"])
    assert degrees == [1, 1, 1, 2, 2, 2, 3] and sum(d * d for d in degrees) == 24
    for rep in data["irreps"]:
        assert set(rep) >= {"dim", "frobenius_schur", "images", "exact"}
        for name in data["generators"]:
            m = np.array(rep["images"][name])
            mat = m[..., 0] + 1j * m[..., 1]
            assert mat.shape == (rep["dim"], rep["dim"])
            assert np.allclose(mat @ mat.conj().T, np.eye(rep["dim"]), atol=1e-12)
            assert len(rep["exact"][name]) == rep["dim"]


def test_chartable_text(capsys):
    assert main(["chartable", "symmetric(4)"]) == 0
    out = capsys.readouterr().out
    assert "X.5" in out and "X.6" not in out
