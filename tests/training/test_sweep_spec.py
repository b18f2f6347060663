"""Sweep specifications, families, data kinds, single tasks and the store (no cluster: fast)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

import grouptools as gt
from grouptools.fourier import transform
from training._errors import OutputError, ParameterError
from training.sweeps import (
    catalogue_family,
    family,
    load_spec,
    make_data,
    parse_spec,
    read_row,
    read_rows,
    run_task,
    task_key,
    write_report,
    write_row,
)

ROOT = Path(__file__).resolve().parents[2]

BASE = {"groups": ["C4"], "architectures": ["FC"], "depths": [2], "data": ["gaussian"], "N": [2], "seeds": [0],
        "steps": 20}


def spec_of(**changes):
    return parse_spec({"sweep": {**BASE, **changes}})


def check_refused(fragment: str, **changes) -> None:
    with pytest.raises(ParameterError) as exc:
        spec_of(**changes)
    msg = str(exc.value)
    assert fragment in msg and "\n" not in msg and len(msg) < 400, msg


def test_grid_size_order_and_keys():
    spec = spec_of(groups=["C4", "dihedral(3)"], architectures=["FC", "G-CNN"], depths=[2, 3], seeds=[0, 1, 2])
    tasks = list(spec.tasks())
    assert spec.n_tasks == len(tasks) == 2 * 2 * 2 * 3
    assert [t["seed"] for t in tasks[:8]] == [0] * 8  # seeds outermost
    keys = [task_key(t) for t in tasks]
    assert len(set(keys)) == len(keys)
    assert keys == [task_key(t) for t in spec.tasks()]  # stable
    assert task_key({**tasks[0], "steps": 21}) != keys[0]


def test_extending_the_grid_keeps_the_old_keys():
    small = {task_key(t) for t in spec_of(seeds=[0]).tasks()}
    big = {task_key(t) for t in spec_of(seeds=[0, 1]).tasks()}
    assert small < big and len(big) == 2 * len(small)


@pytest.mark.parametrize("changes, fragment", [
    ({"groups": ["foo(3)"]}, "unknown group 'foo'"),
    ({"groups": ["<a | a^2, >"]}, "PresentationSyntaxError"),
    ({"groups": ["<a, b | a*b>"]}, "group '<a, b | a*b>'"),  # infinite
    ({"architectures": ["MLP"]}, "unknown architecture 'MLP'"),
    ({"data": ["uniform"]}, "unknown data 'uniform'"),
    ({"families": ["everything"]}, "unknown family 'everything'"),
    ({"depths": [0]}, "depths: entries must be in 1..8"),
    ({"steps": "many"}, "steps: expected int"),
    ({"bogus": 1}, "unknown key 'bogus'"),
    ({"groups": ["C1"]}, "is trivial"),
    ({"seeds": list(range(20000))}, "at most 10000 entries"),
])
def test_bad_specs_are_refused(changes, fragment):
    check_refused(fragment, **changes)


def test_cli_refuses_a_bad_spec_before_running(tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text('[sweep]\ngroups = ["C4", "nosuchgroup(2)"]\narchitectures = ["FC"]\ndepths = [2]\n'
                    'data = ["gaussian"]\nN = [2]\nseeds = [0]\nsteps = 10\n')
    out = tmp_path / "store"
    proc = subprocess.run([sys.executable, "-m", "training", "sweep", str(spec), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr.startswith("python -m training: error: group 'nosuchgroup(2)'")
    assert not out.exists()  # nothing ran, nothing was created


@pytest.mark.parametrize("value", ["-1", "0", "nan", "soon"])
def test_cli_refuses_a_bad_stall_timeout(tmp_path, value):
    out = tmp_path / "store"
    proc = subprocess.run([sys.executable, "-m", "training", "sweep", str(ROOT / "sweeps" / "smoke.toml"), "--out",
                           str(out), f"--stall-timeout={value}"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "stall" in proc.stderr and not out.exists()


def test_dry_run_counts_tasks_and_done(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "training", "sweep", str(ROOT / "sweeps" / "smoke.toml"), "--out",
                           str(tmp_path), "--dry-run"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "36 tasks (0 done)"
    assert not (tmp_path / "rows").exists()


def test_catalogue_family_small_orders_are_the_isomorphism_classes():
    # number of groups of order n, n = 2..16 (OEIS A000001): the catalogue has them all up to 15;
    # of the 14 groups of order 16 it builds 9 (the abelian ones, D16, Q16, D8 x C2, Q8 x C2)
    counts = {n: 0 for n in range(2, 17)}
    for expr in catalogue_family(16):
        counts[gt.group(expr).order] += 1
    expected = {2: 1, 3: 1, 4: 2, 5: 1, 6: 2, 7: 1, 8: 5, 9: 2, 10: 2, 11: 1, 12: 5, 13: 1, 14: 2, 15: 1}
    assert {n: counts[n] for n in expected} == expected
    assert counts[16] == 9
    assert "symmetric(3)" not in catalogue_family(16) and "dihedral(3)" in catalogue_family(16)


def test_families_by_name():
    assert family("catalogue(max_order=6)") == catalogue_family(6)
    assert "SmallGroup(200,44)" in family("seeds")
    with pytest.raises(ParameterError):
        family("catalogue(max_order=100000)")


@pytest.mark.parametrize("kind", ["gaussian", "sparse", "teacher"])
def test_data_kinds_are_separable_and_labelled(kind):
    X, y = make_data(kind, "dihedral(4)", 4, seed=3)
    assert X.shape == (4, 8) and sorted(set(y.tolist())) == [-1.0, 1.0]
    assert np.linalg.matrix_rank(X) == 4  # linearly independent rows: separable with any labels
    assert np.isclose(np.mean(np.sum(X**2, axis=1)), 1.0)
    X2, y2 = make_data(kind, "dihedral(4)", 4, seed=3)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)


def test_sparse_data_lie_on_single_irreps():
    G = gt.group("dihedral(4)")
    X, _ = make_data("sparse", "dihedral(4)", 3, seed=1)
    for x in X:
        blocks = [np.linalg.norm(b) for b in transform(G, x)]  # Fourier blocks, one per irrep
        assert sum(b > 1e-9 for b in blocks) <= 2  # one irrep (and its conjugate for a real part)


def test_teacher_labels_agree_with_a_linear_teacher():
    X, y = make_data("teacher", "C10", 6, seed=2)
    w = np.random.default_rng([2, 16]).standard_normal(10)
    assert np.array_equal(np.sign(X @ w), y)


def test_a_task_that_raises_gives_an_error_row():
    task = {**next(spec_of(groups=["C2"]).tasks()), "data": "sparse", "N": 4}
    row = run_task(task, "k1")
    assert row["status"] == "error" and row["error"].startswith("ParameterError: sparse data")
    assert "\n" not in row["error"] and row["ratio_raw"] is None and row["group"] == "C2"


def test_store_roundtrip_and_report(tmp_path):
    spec = spec_of(architectures=["FC", "G-CNN"], steps=150)
    for t in spec.tasks():
        write_row(tmp_path, run_task(t, task_key(t)))
    bad = {**next(spec.tasks()), "data": "sparse", "N": 9}
    write_row(tmp_path, run_task(bad, "err0"))
    df = read_rows(tmp_path)
    assert len(df) == 3 and df["key"].is_unique
    assert sorted(df["status"]) == ["error", "ok", "ok"]
    ok = df[df["status"] == "ok"]
    assert ok["met"].all() and (ok["ratio_polished"] <= 1 + 1e-3).all()  # convex L = 2 problems on C4
    assert read_row(tmp_path, "err0")["status"] == "error"
    report = write_report(tmp_path).read_text()
    assert "| FC | 2 | 1 | 1.000 | 1.000 |" in report and "err0" in report
    assert (tmp_path / "ratios.png").stat().st_size > 1000
    with pytest.raises(OutputError):
        read_row(tmp_path, "nosuchkey")


@pytest.mark.parametrize("name", ["smoke", "theorems"])
def test_packaged_specs_are_the_repository_copies(name):
    from training.sweeps import builtin_spec_path

    assert builtin_spec_path(name).read_bytes() == (ROOT / "sweeps" / f"{name}.toml").read_bytes()


def test_shipped_specs_resolve():
    smoke = load_spec("smoke")  # by name: the packaged copy
    assert 15 <= smoke.n_tasks <= 40
    doc = tomllib.loads((ROOT / "sweeps" / "theorems.toml").read_text())["sweep"]
    assert doc["families"] == ["catalogue(max_order=64)", "seeds"] and doc["depths"] == [2, 3]
    assert len(doc["seeds"]) == 5 and len(doc["data"]) == 2 and doc["architectures"] == ["G-CNN", "CNN", "FC"]


def test_run_task_cli_reproduces_a_stored_row(tmp_path):
    t = next(spec_of(steps=100).tasks())
    write_row(tmp_path, run_task(t, task_key(t)))
    proc = subprocess.run([sys.executable, "-m", "training", "run-task", str(tmp_path), task_key(t)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    assert "ratio_polished" in proc.stdout and "(differs)" not in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "training", "run-task", str(tmp_path), "nosuchkey"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "no task 'nosuchkey'" in proc.stderr
