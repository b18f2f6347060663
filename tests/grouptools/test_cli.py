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


# -- issue 10: named errors, bounded one-line messages, limits, --version -------------------------------
def _run(*args, timeout=60):
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "grouptools", *args],
                          capture_output=True, text=True, timeout=timeout)
    return proc, time.monotonic() - t0


def _one_bounded_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr[:500]
    assert lines[0].startswith("grouptools: error:") and "Traceback" not in stderr
    assert len(lines[0]) < 300, len(lines[0])
    return lines[0]


LONG_SPECS = {
    "presentation": "<a,b | " + "a*" * 50_000 + "c>",  # unknown generator at the very end
    "presentation_start": "<a,b | c*" + "a*" * 50_000 + "a>",
    "catalogue": "C2 x " * 20_000 + "foo",
    "integer": "cyclic(" + "9" * 100_000 + ")",
    "name": "x" * 100_000 + "(2)",
    "bad_char": "cyclic(2) $" + " " * 100_000,
    "newlines": "<a |\n" + "a,\n" * 30_000 + "b>",
}


@pytest.mark.parametrize("key", ["presentation", "catalogue"])
def test_long_malformed_spec_subprocess(key):
    proc, elapsed = _run("info", LONG_SPECS[key])
    assert proc.returncode == 2 and proc.stdout == "" and elapsed < 30
    line = _one_bounded_line(proc.stderr)
    assert "<here>" in line and "..." in line


@pytest.mark.parametrize("key", sorted(LONG_SPECS))
def test_long_malformed_spec_in_process(key, capsys):
    assert main(["info", LONG_SPECS[key]]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    _one_bounded_line(captured.err)


def test_long_argument_values_are_quoted_bounded(capsys):
    for argv in (["info", "S4", "--max-order", "x" * 100_000], ["y" * 100_000],
                 ["info", "S4", "--format", "z" * 100_000]):
        assert main(argv) == 2
        _one_bounded_line(capsys.readouterr().err)


def test_catalogue_error_speaks_of_the_users_spec(capsys):
    assert main(["info", "cyclic(10000000)"]) == 2
    line = _one_bounded_line(capsys.readouterr().err)
    assert line == "grouptools: error: cyclic(10000000): order 10000000 exceeds max_order=1000000"
    assert "<here>" not in line and "a^" not in line  # no internal presentation
    assert main(["info", "C2 x cyclic(0)"]) == 2
    assert "cyclic(0):" in _one_bounded_line(capsys.readouterr().err)


@pytest.mark.parametrize("argv, needle", [
    (["info", "S4", "--max-order", "10"], "S4: order 24 exceeds max_order=10"),
    (["info", "symmetric(4) x C2", "--max-order", "47"], "order 48 exceeds max_order=47"),
    (["info", "C5^2", "--max-cosets", "20"], "order 25 exceeds max_cosets=20"),
    (["info", "S4", "--max-order", "-5"], "--max-order"),
    (["info", "S4", "--max-order", "0"], "--max-order"),
    (["info", "<a | a^2>", "--max-order", "-5"], "--max-order"),
    (["info", "S4", "--max-cosets", "-1"], "--max-cosets"),
    (["info", "S4", "--time-budget", "-1"], "--time-budget"),
    (["info", "S4", "--time-budget", "nan"], "--time-budget"),
    (["chartable", "SL(2,3)", "--max-order", "10"], "order 24 exceeds max_order=10"),
    (["irreps", "<a,b | a^2, b^3, (a*b)^5>", "--max-order", "59"], "max_order=59"),
])
def test_limit_flags_for_catalogue_and_presentations(argv, needle, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert needle in _one_bounded_line(captured.err)


def test_limits_refuse_before_building(capsys):
    t0 = time.monotonic()
    assert main(["info", "symmetric(9) x symmetric(9) x symmetric(9)", "--max-order", "1000"]) == 2
    assert main(["info", "C2^64"]) == 2
    assert main(["info", "SL(9999999, 9999991)"]) == 2
    assert time.monotonic() - t0 < 2
    assert "exceeds max_order" in capsys.readouterr().err
    assert main(["info", "S4", "--max-order", "24", "--max-cosets", "24", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["order"] == 24


def test_version_subprocess_and_in_process(capsys):
    from importlib.metadata import version

    proc, _ = _run("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"grouptools {version('grouptools')}"
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"grouptools {version('grouptools')}"


def test_usage_errors_return_2_in_process(capsys):
    for argv in (["nonsense"], [], ["info"], ["info", "S4", "--max-order"]):
        assert main(argv) == 2
        _one_bounded_line(capsys.readouterr().err)
