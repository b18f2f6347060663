"""``python -m training``: exit codes and one-line errors, merging of results, atomic writes, progress bars.

Experiments run in their TINY configuration (``--tiny``); the two used here (``tensor_regression``,
``d8_sparse``) take a few seconds each.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from training.__main__ import main
from training._errors import OutputError
from training.experiments import TINY_ENV, run_experiment
from training.experiments import _store
from training.experiments._report import progress_bar

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, **{TINY_ENV: "1"})
    return subprocess.run([sys.executable, "-m", "training", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("args, fragment", [
    (["reproduce", "--out", "/proc/forbidden", "--no-progress"], "cannot write to --out '/proc/forbidden'"),
    (["run", "uncertainty", "--out", "/dev/null/x", "--no-progress"], "cannot write to --out '/dev/null/x'"),
    (["run", "no_such_experiment"], "unknown experiment 'no_such_experiment'"),
    (["reproduce", "--bogus"], "unrecognized arguments: --bogus"),
])
def test_bad_invocations_exit_2_with_one_line(args, fragment):
    proc = cli(*args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("python -m training: error: ") and fragment in proc.stderr
    assert proc.stdout == ""


def test_long_user_input_is_quoted_to_80_characters(capsys):
    name = "x" * 500
    with pytest.raises(SystemExit) as exc:
        main(["run", name])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "x" * 81 not in err and "x" * 60 in err
    assert "choose from" not in err  # not the whole list of experiments
    assert main(["run", "uncertainty", "--tiny", "--out", "/dev/null/" + "y" * 300]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "y" * 81 not in err


def test_run_merges_into_existing_metrics_and_report(tmp_path, capsys):
    assert main(["run", "tensor_regression", "--tiny", "--no-progress", "--out", str(tmp_path)]) == 0
    first = json.loads((tmp_path / "metrics.json").read_text())
    assert list(first["experiments"]) == ["tensor_regression"]
    assert main(["run", "d8_sparse", "--tiny", "--no-progress", "--out", str(tmp_path)]) == 0
    merged = json.loads((tmp_path / "metrics.json").read_text())
    assert set(merged["experiments"]) == {"tensor_regression", "d8_sparse"}
    assert merged["experiments"]["tensor_regression"] == first["experiments"]["tensor_regression"]  # untouched
    assert merged["mode"] == "tiny"
    total = sum(m["elapsed"] for m in merged["experiments"].values())
    assert merged["elapsed"] == pytest.approx(total)
    report = (tmp_path / "report.md").read_text()
    for name in ("tensor_regression", "d8_sparse"):
        assert f"## {name}" in report and f"![{name}]({name}.png)" in report and (tmp_path / f"{name}.png").exists()
        assert f"| {name} |" in report  # its rows are in the table
    assert "2 experiment(s)" in report
    # rerunning one experiment replaces only its own entry
    assert main(["run", "tensor_regression", "--tiny", "--no-progress", "--out", str(tmp_path)]) == 0
    again = json.loads((tmp_path / "metrics.json").read_text())
    assert again["experiments"]["d8_sparse"] == merged["experiments"]["d8_sparse"]
    assert set(again["experiments"]) == {"tensor_regression", "d8_sparse"}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary files left
    capsys.readouterr()


@pytest.mark.parametrize("content", ["{not json", json.dumps([1, 2]), json.dumps({"mode": "tiny"})])
def test_corrupt_metrics_is_not_overwritten(tmp_path, capsys, content):
    (tmp_path / "metrics.json").write_text(content)
    assert main(["run", "tensor_regression", "--tiny", "--no-progress", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "metrics.json" in err and "move it away" in err
    assert (tmp_path / "metrics.json").read_text() == content
    assert not (tmp_path / "tensor_regression.png").exists()  # checked before running anything
    with pytest.raises(OutputError):
        run_experiment("tensor_regression", tmp_path, tiny=True)


def test_failed_serialisation_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "metrics.json"
    _store.write_json({"mode": "tiny", "experiments": {"a": {"x": list(range(100))}}}, path)
    before = path.read_bytes()

    class Boom:
        pass

    # serialisation fails halfway: "a" is streamed to the temporary file, then "z" cannot be encoded
    monkeypatch.setattr(_store, "jsonable", lambda obj: {"a": list(range(10_000)), "z": Boom()})
    with pytest.raises(TypeError):
        _store.write_json({"anything": 1}, path)
    assert path.read_bytes() == before
    assert json.loads(path.read_text())["experiments"]["a"]["x"][-1] == 99
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.json"]  # the temporary file is removed


def test_atomic_write_uses_a_temporary_file_and_os_replace(tmp_path, monkeypatch):
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((Path(src), Path(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(_store.os, "replace", spy)
    _store.atomic_write_text(tmp_path / "report.md", "hello\n")
    assert (tmp_path / "report.md").read_text() == "hello\n"
    [(src, dst)] = calls
    assert src.parent == dst.parent == tmp_path and src != dst


def test_progress_bars_only_on_a_terminal(capsys):
    with progress_bar(3, "test", True) as bar:  # captured stderr is not a terminal
        bar.update(3)
    assert capsys.readouterr().err == ""
