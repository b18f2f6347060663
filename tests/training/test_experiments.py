"""Tests of the experiments and of ``python -m training``: every experiment in its TINY configuration.

One module-scoped fixture runs ``python -m training reproduce`` as a subprocess with
``GROUPTOOLS_EXPERIMENTS_TINY=1`` (the CLI's tiny mode); the per-experiment tests check the predicted
orderings in the metrics it wrote, against expected values computed here independently (scipy
SLSQP / linprog for SVM and l1 max-margin solutions, closed forms for the weighted l2 interpolant and
for the SVM of orthogonal inputs, finite differences for the ReLU networks, Schur orthogonality).
"""

from __future__ import annotations

import gzip
import json
import math
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog, minimize

from training import ParameterError
from training.__main__ import main
from training.experiments import EXPERIMENTS, TINY_ENV, config_for, get
from training.experiments._config import TrainConfig
from training.experiments._data import separable_gaussian, unit_rms
from training.experiments._report import fmt, report_table
from training.experiments._runner import verdict
from training.experiments._store import jsonable
from training.experiments.digits_1_vs_5 import load_mnist_1_vs_5, read_idx
from training.models import ReLUNet, real_dft_matrix

ROOT = Path(__file__).resolve().parents[2]


# -- independent reference solutions ---------------------------------------------------------------------
def svm_reference(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """min ||b||^2 s.t. y_n <x_n, b> >= 1 by scipy SLSQP (independent of training.bias)."""
    cons = {"type": "ineq", "fun": lambda b: y * (X @ b) - 1.0, "jac": lambda b: y[:, None] * X}
    b0 = np.linalg.lstsq(X, y, rcond=None)[0]
    res = minimize(lambda b: b @ b, b0 * 2, jac=lambda b: 2 * b, constraints=[cons], method="SLSQP",
                   options={"ftol": 1e-14, "maxiter": 500})
    return res.x


def l1_reference(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """min ||b||_1 s.t. y_n <x_n, b> >= 1 as a linear program in (b+, b-) (scipy HiGHS)."""
    N, D = X.shape
    A = -(y[:, None] * X)
    res = linprog(np.ones(2 * D), A_ub=np.hstack([A, -A]), b_ub=-np.ones(N), bounds=(0, None), method="highs")
    return res.x[:D] - res.x[D:]


def rel(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


# -- the tiny reproduction, once ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("reproduce")
    env = dict(os.environ, **{TINY_ENV: "1"})
    proc = subprocess.run([sys.executable, "-m", "training", "reproduce", "--quick", "--out", str(out), "--no-progress"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    metrics = json.loads((out / "metrics.json").read_text())
    return out, metrics


def test_reproduce_writes_figures_metrics_report(tiny):
    out, metrics = tiny
    assert metrics["mode"] == "tiny" and set(metrics["experiments"]) == set(EXPERIMENTS)
    for name in EXPERIMENTS:
        png = (out / f"{name}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    report = (out / "report.md").read_text()
    assert "| experiment | architecture | prediction | ratio raw | ratio polished |" in report
    for name in EXPERIMENTS:
        assert f"## {name}" in report and f"![{name}]({name}.png)" in report
    rows = [r for m in metrics["experiments"].values() for r in m["rows"]]
    assert len(report.splitlines()) > len(rows) and all(r["verdict"] for r in rows)


def test_fc_diag_cnn_match_independent_solutions(tiny):
    m = tiny[1]["experiments"]["fc_vs_diag_vs_cnn"]
    cfg = get("fc_vs_diag_vs_cnn").TINY
    X, y = separable_gaussian(cfg.N, cfg.D, seed=cfg.seed)
    svm = svm_reference(X, y)
    for arch in ("FC", "diagonal", "CNN"):  # depth 1: every architecture is linear, all give the SVM
        assert rel(m["runs"]["L=1"][arch]["beta_polished"], svm) < 1e-5
        assert m["runs"]["L=1"][arch]["raw"]["cosine"] > 0.99
    assert rel(m["runs"]["L=2"]["FC"]["beta_polished"], svm) < 1e-5  # FC: the SVM at every depth
    assert rel(m["runs"]["L=2"]["diagonal"]["beta_polished"], l1_reference(X, y)) < 1e-5  # depth-2 diagonal: l1
    for arch in ("FC", "diagonal", "CNN"):
        run = m["runs"]["L=2"][arch]
        assert abs(run["polished"]["ratio"] - 1) < 1e-6 and run["verdict"].startswith("consistent: global optimum (ratio 1.0000,")
        assert run["polished"]["ratio"] <= run["raw"]["ratio"] + 1e-9


@pytest.mark.parametrize("name", ["d8_sparse", "d8_gaussian", "abelian_c10c10c2", "smallgroup_200_44"])
def test_group_comparison_ordering(tiny, name):
    m = tiny[1]["experiments"][name]
    assert m["group"]["order"] == sum(d * d for d in m["group"]["irrep_dims"])
    for runs in m["runs"].values():
        def score(arch, key):
            c = runs[arch]["cross"][key]
            return c["polished"] if c["polished"] is not None else c["raw"]

        sch = {a: score(a, "schatten") for a in runs}
        svm = {a: score(a, "l2") for a in runs}
        assert sch["G-CNN"] <= min(sch["CNN"], sch["FC"]) + 1e-6  # the G-CNN has the lowest Schatten norm
        assert svm["FC"] <= min(svm["CNN"], svm["G-CNN"]) + 1e-6  # FC the lowest SVM gap
        assert min(sch.values()) > 1 - 1e-6 and min(svm.values()) > 1 - 1e-6  # optima are optimal (L = 2)
        for arch, run in runs.items():
            if run["polished"] is not None:  # L = 2 is convex: polishing reaches the optimum
                assert abs(run["polished"]["ratio"] - 1) < 1e-4, (arch, run["verdict"])
    if name in ("smallgroup_200_44", "d8_gaussian"):  # nonabelian, generic data: strictly lowest
        for runs in m["runs"].values():
            s = {a: (r["cross"]["schatten"]["polished"] or r["cross"]["schatten"]["raw"]) for a, r in runs.items()}
            assert s["G-CNN"] < min(s["CNN"], s["FC"])


def test_d8_sparse_inputs_are_characters_and_fc_gives_their_svm(tiny):
    m = tiny[1]["experiments"]["d8_sparse"]
    X = np.asarray(m["inputs"])
    y = np.asarray(get("d8_sparse").TINY.labels)
    assert np.allclose(np.abs(X), 1.0) and np.allclose(X @ X.T, 8 * np.eye(len(y)))  # orthogonal +-1 characters
    fc = m["runs"]["L=2"]["FC"]
    assert rel(fc["beta_polished"], (y[:, None] * X).sum(axis=0) / 8) < 1e-6  # SVM of orthogonal inputs


def test_digits_ordering_and_group(tiny):
    m = tiny[1]["experiments"]["digits_1_vs_5"]
    assert m["group"]["order"] == 512 and sum(d * d for d in m["group"]["irrep_dims"]) == 512
    for runs in m["runs"].values():
        sch = {a: r["cross"]["schatten"]["raw"] for a, r in runs.items()}
        svm = {a: r["cross"]["l2"]["raw"] for a, r in runs.items()}
        assert sch["G-CNN"] < min(sch["CNN"], sch["FC"])
        assert svm["FC"] < min(svm["CNN"], svm["G-CNN"])


def test_dihedral_visualization_low_rank(tiny):
    m = tiny[1]["experiments"]["dihedral_visualization"]
    for g in m["groups"].values():
        ranks = g["fourier_rank_1pct"]
        assert ranks["trained"] < ranks["init"] and ranks["optimum"] <= ranks["init"]
        assert g["run"]["verdict"].startswith("consistent")


def test_tensor_regression_limits(tiny):
    m = tiny[1]["experiments"]["tensor_regression"]
    X = np.asarray(m["data"]["X"])
    t = np.asarray(m["data"]["targets"])
    shape = np.asarray(m["data"]["shape"])
    reg = m["regression"]
    D = X.shape[1]
    for e in reg:
        assert e["dist_q"] < 2e-2 and e["stop_reason"] == "loss_tol"
    big = max(reg, key=lambda e: e["alpha"])
    small = min(reg, key=lambda e: e["alpha"])
    z = np.asarray(big["z"])
    a2 = (big["alpha"] * shape) ** 2
    S = real_dft_matrix(D)
    assert np.allclose(S @ S.T, np.eye(D))  # orthogonal, so z = S beta and the data are Xt = X S^T
    Xt = X @ S.T
    z_l2 = a2 * (Xt.T @ np.linalg.solve((Xt * a2) @ Xt.T, t))  # closed form: argmin sum z^2 / a^2 s.t. Xt z = t
    assert rel(z, z_l2) < 1e-3
    assert small["dist_l1"] < big["dist_l1"]


def test_nonlinear_local_ordering(tiny):
    m = tiny[1]["experiments"]["nonlinear_local"]
    raw = {a: r["raw"]["ratio"] for a, r in m["runs"].items()}
    assert raw["G-CNN"] < min(raw["CNN"], raw["FC"])


def test_uncertainty_bound_and_equality(tiny):
    m = tiny[1]["experiments"]["uncertainty"]
    for g in m["groups"].values():
        n = g["order"]
        for key in ("random", "fourier", "subgroup", "coset"):
            prods = np.array(g[key]["support"]) * np.array(g[key]["rank"])
            assert np.all(prods >= n)
        for key in ("subgroup", "coset"):  # indicators of subgroups and cosets: |K| * |G|/|K| = |G|
            assert np.all(np.array(g[key]["support"]) * np.array(g[key]["rank"]) == n)
            assert all(n % s == 0 for s in g[key]["support"])  # Lagrange


# -- ReLU networks: backward pass against finite differences ------------------------------------------------
@settings(max_examples=8, deadline=None)
@given(arch=st.sampled_from(["G-CNN", "CNN", "FC"]), seed=st.integers(0, 10_000))
def test_relu_net_gradients_match_finite_differences(arch, seed):
    import grouptools as gt
    from training.models import correlation_index

    G = gt.dihedral(3) if arch == "G-CNN" else gt.cyclic(6)
    K = None if arch == "FC" else correlation_index(G.cayley_table, G.inverse)
    rng = np.random.default_rng(seed)
    m = ReLUNet(arch, 6, K=K, seed=seed)
    X = rng.standard_normal((3, 6))
    g = rng.standard_normal(3)
    grads = m.flat_grad(X, g)
    w = m.flat_params()
    h = 1e-6
    num = np.array([(g @ m.with_flat_params(w + h * e).forward(X) - g @ m.with_flat_params(w - h * e).forward(X)) / (2 * h)
                    for e in np.eye(w.size)])
    assert np.allclose(grads, num, atol=1e-5)
    Gx = m.input_gradients(X)
    num_x = np.array([[(m.forward(X + h * np.outer(np.eye(3)[n], e))[n] - m.forward(X - h * np.outer(np.eye(3)[n], e))[n])
                       / (2 * h) for e in np.eye(6)] for n in range(3)])
    assert np.allclose(Gx, num_x, atol=1e-5)
    assert np.allclose((Gx * X).sum(axis=1), m.forward(X))  # Euler's identity, degree 1 in x


# -- IDX files ------------------------------------------------------------------------------------------------
_CODES = {"u1": 0x08, "i1": 0x09, ">i2": 0x0B, ">i4": 0x0C, ">f4": 0x0D, ">f8": 0x0E}


def write_idx(path: Path, a: np.ndarray, dtype: str, compress: bool) -> None:
    header = bytes([0, 0, _CODES[dtype], a.ndim]) + struct.pack(">" + "I" * a.ndim, *a.shape)
    payload = header + a.astype(dtype).tobytes()
    path.write_bytes(gzip.compress(payload) if compress else payload)


@settings(max_examples=25, deadline=None)
@given(dtype=st.sampled_from(sorted(_CODES)), shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
       compress=st.booleans(), seed=st.integers(0, 2**16))
def test_read_idx_round_trip(tmp_path_factory, dtype, shape, compress, seed):
    rng = np.random.default_rng(seed)
    a = (rng.integers(-100, 100, size=shape) if dtype != "u1" else rng.integers(0, 255, size=shape)).astype(dtype)
    if dtype.startswith(">f"):
        a = rng.standard_normal(shape).astype(dtype)
    p = tmp_path_factory.mktemp("idx") / "a.idx"
    write_idx(p, a, dtype, compress)
    b = read_idx(p)
    assert b.shape == tuple(shape) and np.array_equal(b, a.astype(np.dtype(dtype).newbyteorder("=")))


def test_read_idx_errors(tmp_path):
    p = tmp_path / "bad"
    p.write_bytes(b"\x01\x02\x08\x01\x00\x00\x00\x02ab")
    with pytest.raises(ParameterError, match="magic"):
        read_idx(p)
    p.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]))
    with pytest.raises(ParameterError, match="bytes"):
        read_idx(p)
    p.write_bytes(bytes([0, 0, 8, 2, 0, 0]))
    with pytest.raises(ParameterError, match="truncated"):
        read_idx(p)
    p.write_bytes(bytes([0, 0, 0x0E, 1, 0, 0, 1, 0]) + bytes(2048))
    with pytest.raises(ParameterError, match="max_bytes"):
        read_idx(p, max_bytes=1000)
    with pytest.raises(ParameterError, match="cannot read"):
        read_idx(tmp_path / "missing")


def test_mnist_loader_on_tiny_idx_files(tmp_path):
    imgs = np.arange(6 * 4 * 4, dtype=np.uint8).reshape(6, 4, 4)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", imgs, "u1", True)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.array([1, 5, 3, 5, 1, 7], dtype=np.uint8), "u1", False)
    X, y = load_mnist_1_vs_5(tmp_path, 2, seed=0)
    assert X.shape == (4, 4, 4) and y.tolist() == [1.0, -1.0, 1.0, -1.0]
    X01 = X * 0.3081 + 0.1307  # undo the MNIST normalization of Lawrence et al.
    assert np.isclose(X01.max(), 1.0) and np.allclose(X01 * imgs[[0, 1, 4, 3]].max(), imgs[[0, 1, 4, 3]])
    with pytest.raises(ParameterError, match="need n_per_class"):
        load_mnist_1_vs_5(tmp_path, 3)


# -- the CLI --------------------------------------------------------------------------------------------------
def test_cli_bad_input_exits_2(tmp_path, capsys):
    for argv in (["run", "nosuch"], ["reproduce", "--bogus"], [], ["run"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("python -m training: error:")
    assert main(["reproduce", "--mnist", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    (tmp_path / "file").write_text("x")
    assert main(["run", "uncertainty", "--tiny", "--out", str(tmp_path / "file")]) == 2
    capsys.readouterr()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["run", "digits_1_vs_5", "--tiny", "--no-progress", "--mnist", str(empty), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "MNIST" in err


def test_cli_subprocess_bad_input():
    proc = subprocess.run([sys.executable, "-m", "training", "run", "not-an-experiment"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and proc.stdout == ""


def test_cli_run_one_experiment(tmp_path, capsys):
    assert main(["run", "uncertainty", "--tiny", "--no-progress", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "uncertainty.png").stat().st_size > 5000
    data = json.loads((tmp_path / "metrics.json").read_text())
    assert list(data["experiments"]) == ["uncertainty"]
    assert "## uncertainty" in (tmp_path / "report.md").read_text()
    capsys.readouterr()
    assert main(["list"]) == 0
    assert capsys.readouterr().out.split() == list(EXPERIMENTS)


def test_config_selection_and_validation():
    assert config_for("digits_1_vs_5", quick=True, mnist="/x").mnist_path == "/x"
    assert config_for("d8_sparse", quick=False) is get("d8_sparse").FULL
    assert config_for("d8_sparse", quick=True, tiny=True) is get("d8_sparse").TINY
    with pytest.raises(ParameterError):
        get("nope")
    with pytest.raises(ParameterError):
        TrainConfig(lr=-1.0)
    with pytest.raises(ParameterError):
        get("d8_sparse").Config(coefficients=((1, 0, 0),), labels=(1.0, -1.0))
    with pytest.raises(ParameterError):
        get("tensor_regression").Config(D=4, N=4)
    for name in EXPERIMENTS:  # every module exposes the protocol
        mod = get(name)
        assert mod.NAME == name and callable(mod.run) and callable(mod.plot)
        assert all(isinstance(c, mod.Config) for c in (mod.TINY, mod.QUICK, mod.FULL))


# -- helpers: properties with independent expectations ----------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(N=st.integers(1, 6), extra=st.integers(0, 5), seed=st.integers(0, 10_000),
       shift=st.floats(0, 1, allow_nan=False))
def test_separable_gaussian_properties(N, extra, seed, shift):
    X, y = separable_gaussian(N, N + extra, seed=seed, shift=shift)
    assert X.shape == (N, N + extra)
    assert y.tolist() == [1.0 if n % 2 == 0 else -1.0 for n in range(N)]
    assert math.isclose(float(np.mean(np.sum(X**2, axis=1))), 1.0, rel_tol=1e-12)
    # separable through the origin: the LP  y_n <x_n, b> >= 1  is feasible
    res = linprog(np.zeros(X.shape[1]), A_ub=-(y[:, None] * X), b_ub=-np.ones(N), bounds=(None, None), method="highs")
    assert res.status == 0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), max_size=5))
def test_jsonable_is_strict_json(values):
    obj = {"a": np.array(values, dtype=float), "b": (np.int64(3), np.bool_(True)), "c": [np.float32(0.5)]}
    out = jsonable(obj)
    text = json.dumps(out, allow_nan=False)
    back = json.loads(text)
    assert back["b"] == [3, True] and back["c"] == [0.5]
    assert back["a"] == [v if math.isfinite(v) else None for v in values]


@settings(max_examples=40, deadline=None)
@given(r=st.floats(1.0, 1.0 + 1e-4), k=st.floats(0, 1e-5), raw=st.floats(1.0, 10.0))
def test_verdict_convex_consistent(r, k, raw):
    assert verdict({"ratio": raw}, {"ratio": r, "kkt": k}, True) == f"consistent: global optimum (ratio {r:.4f}, KKT residual {k:.1e})"
    assert verdict({"ratio": raw}, {"ratio": r + 0.01, "kkt": k}, True).startswith("inconsistent")
    assert verdict({"ratio": raw}, None, True, "polish skipped").endswith("polish skipped)")


def test_format_and_table():
    assert fmt(float("nan"), "ratio") == "n/a" and fmt(2.0, "cosine") == "2.0000" and fmt(1e-7, "kkt") == "1.0e-07"
    row = {"experiment": "e|x", "architecture": "a", "prediction": "p", "ratio_raw": 1.5, "ratio_polished": 1.0,
           "cosine_raw": None, "cosine_polished": 1.0, "kkt_raw": 0.1, "kkt_polished": 1e-12, "verdict": "v"}
    assert report_table([row]).splitlines()[2] == "| e\\|x | a | p | 1.5000 | 1.0000 | n/a | 1.0000 | 1.0e-01 | 1.0e-12 | v |"
    assert np.allclose(unit_rms(np.array([[1.0, 0.0], [0.0, 3.0]])), np.array([[1.0, 0.0], [0.0, 3.0]]) / np.sqrt(5.0))


# -- verdict wording: constructed figures, expected strings written out by hand ---------------------------------
def test_verdict_nonconvex_local_solution_is_stationary_not_optimal():
    v = verdict({"ratio": 1.5}, {"ratio": 1.32, "kkt": 3e-9}, False)
    assert v == ("stationary, not optimal: KKT residual 3.0e-09, a local solution 32% above the best known point "
                 "(ratio 1.3200)")
    assert not v.startswith("consistent") and "optimum" not in v


def test_verdict_nonconvex_best_known_point_and_better():
    assert (verdict({"ratio": 1.2}, {"ratio": 1.0002, "kkt": 2e-10}, False)
            == "consistent: stationary (KKT residual 2.0e-10) at the best known point (ratio 1.0002)")
    assert (verdict({"ratio": 1.2}, {"ratio": 0.9, "kkt": 2e-10}, False)
            == "consistent: stationary (KKT residual 2.0e-10), better than the best known point of the solver (ratio 0.9000)")
    # not stationary: never "consistent", whatever the ratio
    assert (verdict({"ratio": 1.2}, {"ratio": 1.0, "kkt": 0.02}, False)
            == "not certified: polished KKT residual 2.0e-02 > 0.0001 (polish did not converge?)")


def test_verdict_convex_global_optimum_and_failures():
    assert (verdict({"ratio": 1.1}, {"ratio": 1.0, "kkt": 1e-12}, True)
            == "consistent: global optimum (ratio 1.0000, KKT residual 1.0e-12)")
    assert (verdict({"ratio": 1.1}, {"ratio": 1.0, "kkt": None}, True)
            == "consistent: objective at the global optimum (ratio 1.000000), not certified (KKT residual skipped)")
    assert verdict({"ratio": 1.1}, {"ratio": 1.32, "kkt": 1e-12}, True).startswith("inconsistent: polished ratio 1.3200")


def test_verdict_without_polish_says_skipped_never_nan():
    v = verdict({"ratio": 1.01}, None, True, "polish skipped: 5000 parameters > 100")
    assert v == "near the global optimum (raw only, not certified: ratio 1.0100; polish skipped: 5000 parameters > 100)"
    v3 = verdict({"ratio": 1.01}, None, False, "polish skipped: 5000 parameters > 100")
    assert v3.startswith("near the best known point (raw only, not certified")
    assert verdict({"ratio": float("nan")}, {"ratio": float("nan"), "kkt": None}, False).startswith("undecided")
    for v in (v, v3):
        assert "nan" not in v.lower() and not v.startswith("consistent")


def test_report_table_prints_skipped_polish():
    from training.experiments._report import polish_status, row

    run = {"architecture": "FC", "depth": 3, "prediction": "SVM", "raw": {"ratio": 1.02, "cosine": 0.99, "kkt": 0.1},
           "polished": None, "polish": {"note": "polish skipped: 200000 parameters > 100000"},
           "verdict": "near the global optimum (raw only, not certified: ratio 1.0200; polish skipped)"}
    assert polish_status(run) == "skipped"
    line = report_table([row("e", run)]).splitlines()[2]
    assert line == ("| e | FC L=3 | SVM | 1.0200 | skipped | 0.9900 | skipped | 1.0e-01 | skipped | "
                    "near the global optimum (raw only, not certified: ratio 1.0200; polish skipped) |")
    assert "nan" not in line


# -- skipped and undefined values are never printed as nan ---------------------------------------------------
def test_nonlinear_local_prints_skipped_when_polish_is_skipped():
    from dataclasses import replace

    from training.experiments import nonlinear_local as E

    cfg = replace(E.TINY, train=replace(E.TINY.train, polish=False))
    m = E.run(cfg)
    line = m["summary"][0]
    assert "nan" not in line.lower()
    for arch in E.RELU_ARCHS:
        assert f"{arch} {m['runs'][arch]['raw']['ratio']:.4f} -> skipped" in line
    table = report_table(m["rows"])
    assert "nan" not in table.lower() and "| skipped |" in table
    assert all("polish disabled" in r["verdict"] for r in m["rows"])


def test_nonlinear_local_summary_line_formats_missing_values():
    from training.experiments.nonlinear_local import summary_line

    runs = {"G-CNN": {"raw": {"ratio": 1.5}, "polished": {"ratio": 1.25}, "polish": {"note": ""}},
            "CNN": {"raw": {"ratio": 2.0}, "polished": None, "polish": {"note": "polish skipped (9000 parameters)"}},
            "FC": {"raw": {"ratio": float("nan")}, "polished": None, "polish": {"note": "polish failed: LinAlgError"}}}
    line = summary_line(runs)
    assert line.endswith("G-CNN 1.5000 -> 1.2500, CNN 2.0000 -> skipped, FC n/a (zero input gradients) -> failed")


def test_summarize_and_polished_cell_never_print_nan():
    from training.experiments._report import polished_cell, summarize

    nan = float("nan")
    runs = {"L=2": {"A": {"raw": {"ratio": 1.1}, "polished": {"ratio": nan}},
                    "B": {"raw": {"ratio": nan}, "polished": None},
                    "C": {"raw": {"ratio": 1.3}, "polished": {"ratio": 1.0}}}}
    assert summarize(runs) == "L=2: A 1.1000 (raw), B n/a (raw; does not separate the data), C 1.0000"
    assert polished_cell({"polished": None, "polish": {"note": "polish disabled"}}, "ratio", "ratio") == "skipped"
    assert polished_cell({"polished": {"kkt": nan}}, "kkt", "kkt") == "n/a"


def test_spherical_summary_says_na_with_reason():
    from training.experiments import spherical_local as S

    nan = float("nan")
    out = {"accuracy": {"FC": {"test": 0.5}, "CNN": {"test": 1.0}}, "invariance": {"FC": 0.0, "CNN": 0.1},
           "zero_gradients": {"FC": 3, "CNN": 1},
           "fourier_ratio": {"FC": {"mean": nan, "std": nan}, "CNN": {"mean": 2.0, "std": 0.5}},
           "real_space_ratio": {"FC": {"mean": nan, "std": nan}, "CNN": {"mean": 0.5, "std": 0.25}}}
    lines = S.summary_lines(out, S.TINY, 3)
    text = "\n".join(lines)
    assert "nan" not in text.lower()
    assert "FC n/a (all 3 input gradients are zero)" in lines[2]
    assert "CNN 2.00 +- 0.50 (1 of 3 input gradients zero, left out)" in lines[2]
