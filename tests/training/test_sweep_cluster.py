"""Sweeps on a real Dask ``LocalCluster`` (worker processes): errors, dead workers, resuming after
``kill -9`` of the driver, and the smoke sweep of CI (``sweeps/smoke.toml``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cloudpickle
import pytest

from training.sweeps import parse_spec, read_rows, run_sweep, run_task, task_key

ROOT = Path(__file__).resolve().parents[2]
SMOKE = ROOT / "sweeps" / "smoke.toml"

cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module

TINY = {"groups": ["C3", "C2"], "architectures": ["FC", "G-CNN"], "depths": [2], "data": ["gaussian", "sparse"],
        "N": [3], "seeds": [0], "steps": 60, "starts": 1}


def die_on_g_cnn_of_c3(task: dict, key: str) -> dict:
    """A task function whose worker process dies (as if killed) on one grid point."""
    if task["group"] == "C3" and task["architecture"] == "G-CNN" and task["data"] == "gaussian":
        os._exit(1)
    return run_task(task, key)


@pytest.mark.slow
def test_local_cluster_records_rows_errors_and_dead_workers(tmp_path):
    spec = parse_spec({"sweep": TINY})
    keys = {task_key(t) for t in spec.tasks()}
    s = run_sweep(spec, tmp_path, workers=2, retries=1, progress=False, task_fn=die_on_g_cnn_of_c3)
    df = read_rows(tmp_path)
    assert set(df["key"]) == keys and len(df) == spec.n_tasks == 8  # one row per task
    status = {(r.group, r.architecture, r.data): r.status for r in df.itertuples()}
    assert status[("C3", "G-CNN", "gaussian")] == "failed"  # worker died twice (retries=1)
    # sparse data with N = 3 need 3 independent real matrix coefficients: C2 has 2, C3 has 2 (Re chi = Re chi-bar)
    assert [status[(g, a, "sparse")] for g in ("C2", "C3") for a in ("FC", "G-CNN")] == ["error"] * 4
    assert list(status.values()).count("ok") == 3 and (s.ok, s.errors, s.failed) == (3, 4, 1)
    failed = df[df["status"] == "failed"].iloc[0]
    assert "KilledWorker" in failed["error"] and "\n" not in failed["error"]
    workers = set(df.loc[df["status"] == "ok", "worker"])
    assert all(int(w.rsplit(":", 1)[1]) != os.getpid() for w in workers)  # ran in worker processes
    # a rerun skips every finished key and starts no cluster
    again = run_sweep(spec, tmp_path, workers=2, progress=False)
    assert (again.skipped, again.ok, again.errors, again.failed) == (8, 0, 0, 0)


def _sweep(out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "training", "sweep", str(SMOKE), "--out", str(out),
                             "--no-progress", *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


@pytest.mark.slow
def test_kill_9_of_the_driver_then_rerun_gives_one_row_per_task(tmp_path):
    proc = _sweep(tmp_path, "--workers", "1")
    rows = tmp_path / "rows"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and len(list(rows.glob("*.parquet")) if rows.is_dir() else []) < 6:
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, signal.SIGKILL)  # the driver only: its workers notice and exit
        proc.wait(timeout=60)
    before = read_rows(tmp_path)
    assert 6 <= len(before) < 36, len(before)
    rerun = _sweep(tmp_path, "--workers", "2")
    out, err = rerun.communicate(timeout=240)
    assert rerun.returncode == 0, err
    assert out.splitlines()[-1].startswith(f"36 tasks: {len(before)} already done")
    after = read_rows(tmp_path)
    assert len(after) == 36 and after["key"].is_unique  # nothing lost, nothing duplicated
    assert set(after["key"]) == {task_key(t) for t in __import__("training").sweeps.load_spec(SMOKE).tasks()}
    merged = before.merge(after, on="key", suffixes=("_before", "_after"))
    for col in ("ratio_raw", "ratio_polished", "kkt_polished", "status", "finished"):
        assert merged[f"{col}_before"].equals(merged[f"{col}_after"]), col
    ok = after[after["status"] == "ok"]
    assert len(ok) == 36 and ok.loc[ok["architecture"] == "FC", "met"].all()  # the SVM is convex: always met
    assert sorted(p.name for p in rows.iterdir() if not p.name.startswith(".")) == sorted(after["key"] + ".parquet")


@pytest.mark.slow
def test_an_existing_scheduler_is_used(tmp_path):
    from distributed import LocalCluster

    spec = parse_spec({"sweep": {**TINY, "groups": ["C3"], "data": ["gaussian"]}})
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        s = run_sweep(spec, tmp_path, scheduler=cluster.scheduler_address, progress=False)
        assert len(cluster.scheduler.workers) == 1  # the cluster survives the sweep (its client only closed)
    df = read_rows(tmp_path)
    assert (s.ok, len(df)) == (2, 2) and (df["status"] == "ok").all()


def hang_on_g_cnn(task: dict, key: str) -> dict:
    """A task function that never returns (in a test's time) on the G-CNN points: a stand-in for a
    cluster that stopped answering."""
    if task["architecture"] == "G-CNN":
        time.sleep(3600)
    return run_task(task, key)


@pytest.mark.slow
def test_a_stalled_sweep_raises_and_keeps_its_rows(tmp_path):
    from training import SweepStalledError

    spec = parse_spec({"sweep": {**TINY, "groups": ["C2"], "data": ["gaussian"]}})  # FC then G-CNN
    t = time.monotonic()
    with pytest.raises(SweepStalledError, match="no task finished in 3 s"):
        run_sweep(spec, tmp_path, workers=1, batch=1, progress=False, task_fn=hang_on_g_cnn, stall_timeout=3)
    assert time.monotonic() - t < 120  # bounded: the driver gave up and closed the cluster
    df = read_rows(tmp_path)
    assert list(df["architecture"]) == ["FC"] and (df["status"] == "ok").all()  # the row before the stall is kept


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), "10", True])
def test_stall_timeout_is_checked_before_anything_runs(tmp_path, bad):
    from training import ParameterError

    spec = parse_spec({"sweep": {**TINY, "groups": ["C2"], "data": ["gaussian"]}})
    with pytest.raises(ParameterError, match="stall_timeout"):
        run_sweep(spec, tmp_path, progress=False, stall_timeout=bad)
    assert not (tmp_path / "rows").exists() or not any((tmp_path / "rows").iterdir())
