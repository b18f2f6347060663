"""The 28 x 28 path of digits_1_vs_5: the upsampled stand-in, the block-structured Schatten solver and
the augmented-Lagrangian polish (checked against the dense solvers on problems small enough for both)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import grouptools as gt
from training import bias, fit
from training._errors import ParameterError
from training.experiments import digits_1_vs_5 as digits
from training.experiments._large_schatten import balanced_gcnn, lean_operator, schatten_problem
from training.models import GCNN
from training.polish import polish


def bilinear_reference(img: np.ndarray, size: int) -> np.ndarray:
    """Corner-aligned bilinear interpolation written out: output pixel i sits at i (h-1)/(size-1)."""
    h = img.shape[0]
    t = np.arange(size) * (h - 1) / (size - 1)
    rows = np.stack([np.interp(t, np.arange(h), img[:, j]) for j in range(h)], axis=1)  # (size, h)
    return np.stack([np.interp(t, np.arange(h), rows[i]) for i in range(size)])


def test_upsampling_is_corner_aligned_bilinear_then_seed_normalization():
    imgs, _ = digits.load_digits_1_vs_5(3, seed=1)
    out = digits.upsample_digits(imgs, 28)
    assert out.shape == (6, 28, 28)
    for img, up in zip(imgs, out):
        assert np.allclose(up * 0.3081 + 0.1307, bilinear_reference(img, 28), atol=1e-12)
    assert np.array_equal(out, digits.upsample_digits(imgs, 28))  # deterministic
    assert np.allclose(digits.upsample_digits(np.zeros((1, 8, 8)), 14), -0.1307 / 0.3081)
    assert np.allclose(digits.upsample_digits(np.ones((2, 8, 8)), 28), (1 - 0.1307) / 0.3081)


@pytest.mark.parametrize("images, size", [(np.zeros((2, 8, 9)), 28), (np.zeros((2, 8, 8)), 7),
                                          (np.zeros((2, 8, 8)), 65), (np.zeros((2, 8, 8)), True),
                                          (np.zeros((8, 8)), 28)])
def test_upsampling_rejects_bad_input(images, size):
    with pytest.raises(ParameterError):
        digits.upsample_digits(images, size)


def test_config_checks_image_size():
    with pytest.raises(ParameterError, match="image_size"):
        digits.Config(image_size=7)
    assert digits.FULL.image_size == 28 and digits.FULL.n_per_class == 50 and digits.FULL.depths == (3, 2)


def test_lean_operator_equals_the_dense_one():
    G = gt.torus_p4m(4)
    lean, dense = lean_operator(G), bias.fourier_operator(G)
    b = np.random.default_rng(0).standard_normal(G.order)
    assert np.array_equal(lean.dims, dense.dims)
    for M, N in zip(lean.forward(b), dense.forward(b)):
        assert np.allclose(M, N, atol=1e-12)


def test_balanced_gcnn_factors_the_predictor():
    G = gt.dihedral(5)
    op = lean_operator(G)
    b = np.random.default_rng(3).standard_normal(G.order)
    for L in (2, 3):
        m = balanced_gcnn(G, op, b, L)
        assert np.allclose(m.linearization(), b, atol=1e-12)
        assert np.isclose(m.param_norm_sq(), L / G.order * bias.objective(b, "schatten", depth=L, group=op))


def _data(G, N=12, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N, G.order)), np.where(np.arange(N) % 2 == 0, 1.0, -1.0)


@pytest.mark.parametrize("G", [gt.dihedral(6), gt.torus_p4m(4)], ids=["D6", "p4m(4)"])
def test_block_schatten_solver_agrees_with_the_dense_one(G):
    X, y = _data(G)
    op = lean_operator(G)
    for L in (2, 3):
        mine = schatten_problem(X, y, L, G, op).optimum
        ref = bias.max_margin(X, y, "schatten", depth=L, group=G, starts=4)
        if L == 2:  # convex: the same optimum
            assert mine.status == ref.status == "optimal"
            assert abs(mine.objective / ref.objective - 1) < 1e-8
        else:  # a stationary point at least as good as the dense solver's best
            assert mine.status == "stationary" and mine.objective <= ref.objective * (1 + 1e-8)
        assert np.isclose(float(np.min(y * (X @ mine.beta))), 1.0)


@pytest.mark.parametrize("L", [2, 3])
def test_augmented_lagrangian_polish_agrees_with_slsqp(L):
    G = gt.dihedral(6)
    X, y = _data(G, N=10)
    trained = fit(GCNN(G, L, init_scale=0.5, seed=1), X, y, "exp", steps=2000, lr=0.05, normalized=True).model
    dense = polish(trained, X, y, method="slsqp")
    scal = polish(trained, X, y, method="augmented-lagrangian")
    assert dense.success and scal.success and scal.method == "augmented-lagrangian"
    assert scal.kkt_residual <= 1e-6 and scal.max_violation <= 1e-9
    assert abs(scal.objective / dense.objective - 1) < 1e-7
    assert np.allclose(scal.beta, dense.beta, atol=1e-5 * np.linalg.norm(dense.beta))


def test_large_models_use_the_augmented_lagrangian(monkeypatch):
    import sys

    tp = sys.modules["training.polish"]  # the package face exports the function polish under that name

    G = gt.dihedral(4)
    X, y = _data(G, N=6)
    trained = fit(GCNN(G, 2, init_scale=0.5, seed=2), X, y, "exp", steps=1000, lr=0.05, normalized=True).model
    monkeypatch.setattr(tp, "LARGE_PARAMS", 10)
    r = polish(trained, X, y, method="trust-constr")
    assert r.method == "augmented-lagrangian" and r.success


def test_tiny_run_of_the_block_structured_path(monkeypatch):
    """TINY28's path (upsampled stand-in, lean operator, block Schatten solver, augmented-Lagrangian
    polish) at a small order: 12 x 12 images, |G| = 1152, forced onto the large-order solvers."""
    import sys

    monkeypatch.setattr(digits, "LARGE_ORDER", 100)
    monkeypatch.setattr(sys.modules["training.polish"], "LARGE_PARAMS", 1000)
    cfg = replace(digits.TINY28, image_size=12, train=replace(digits.TINY28.train, steps=300))
    out = digits.run(cfg)
    assert out["group"]["order"] == 1152 and "upsampled to 12x12" in out["source"]
    runs = out["runs"]["L=2"]
    assert set(runs) == {"G-CNN", "CNN", "FC"}
    g = runs["G-CNN"]
    assert g["polish"]["method"] == "augmented-lagrangian" and runs["FC"]["polish"]["method"] == "trust-constr"
    assert g["polished"]["ratio"] <= 1 + 1e-6 and g["polished"]["kkt"] <= 1e-6
    assert len(g["history"]["ratio:schatten"]) == len(g["history"]["step"]) >= 2


@pytest.mark.slow
def test_tiny28_runs_at_order_6272():
    out = digits.run(digits.TINY28)
    assert out["group"]["order"] == 6272 and sorted(out["group"]["irrep_dims"].tolist()).count(8) == 78
    g = out["runs"]["L=2"]["G-CNN"]
    assert g["polish"]["method"] == "augmented-lagrangian" and g["polish"]["success"]
    assert g["polished"]["ratio"] <= 1.001


# -- the row-space FC, the shared convex optimum ------------------------------------------------------------------
@pytest.mark.parametrize("L", [2, 3])
def test_row_space_fc_follows_the_dense_trajectory(L):
    """The reparameterization W_1 = W_1(0) + Q A trains like FullyConnected itself (D > N, normalized GD)."""
    from training import Record
    from training.experiments._rowspace import RowSpaceFC
    from training.models import FullyConnected

    rng = np.random.default_rng(L)
    X, y = rng.standard_normal((7, 50)), np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0])
    fc = FullyConnected(50, widths=6, depth=L, init_scale=0.5, seed=2)
    dense = fit(fc, X, y, "exp", steps=300, lr=0.2, normalized=True, record=Record(points=6), progress=False)
    rows = fit(RowSpaceFC.of(fc, X), X, y, "exp", steps=300, lr=0.2, normalized=True, record=Record(points=6),
               progress=False)
    b = dense.model.linearization()
    assert np.linalg.norm(b - fc.linearization()) > 0.1 * np.linalg.norm(b)  # it did move
    assert np.allclose(rows.model.linearization(), b, rtol=1e-9, atol=1e-12 * np.linalg.norm(b))
    assert np.allclose(rows.history.loss, dense.history.loss, rtol=1e-9)
    full = rows.model.dense()
    assert [p.shape for p in full.params] == [p.shape for p in fc.params]
    for p, q in zip(full.params, dense.model.params):
        assert np.allclose(p, q, rtol=1e-8, atol=1e-12)
    assert np.isclose(rows.model.param_norm_sq(), full.param_norm_sq(), rtol=1e-12)
    X2 = rng.standard_normal((3, 50))  # inputs off the training set take the general path
    assert np.allclose(rows.model.forward(X2), X2 @ full.linearization())


def test_the_convex_optimum_can_be_shared_between_depths():
    from training.experiments._large_schatten import nuclear_blocks

    G = gt.dihedral(6)
    X, y = _data(G)
    op = lean_operator(G)
    b1 = nuclear_blocks(op, y[:, None] * X)
    for L in (2, 3):
        fresh = schatten_problem(X, y, L, G, op).optimum
        given = schatten_problem(X, y, L, G, op, convex=3.7 * b1).optimum  # any positive scale
        assert np.isclose(given.objective, fresh.objective, rtol=1e-9) and given.status == fresh.status


# -- the CLI: --n-per-class, --mnist ------------------------------------------------------------------------------
def _write_idx(path, a):
    import struct

    path.write_bytes(bytes([0, 0, 8, a.ndim]) + struct.pack(">" + "I" * a.ndim, *a.shape) + a.astype(">u1").tobytes())


@pytest.fixture()
def tiny_mnist(tmp_path):
    """An MNIST directory of 4 x 4 images: three ones, two fives (so at most 2 per class)."""
    rng = np.random.default_rng(5)
    labels = np.array([1, 5, 3, 5, 1, 7, 1], dtype=np.uint8)
    imgs = rng.integers(0, 256, size=(labels.size, 4, 4)).astype(np.uint8)
    d = tmp_path / "mnist"
    d.mkdir()
    _write_idx(d / "train-images-idx3-ubyte", imgs)
    _write_idx(d / "train-labels-idx1-ubyte", labels)
    return d, imgs, labels


def test_available_images_and_n_per_class_checks(tiny_mnist):
    from sklearn.datasets import load_digits

    from training.experiments import config_for

    d, _, labels = tiny_mnist
    target = load_digits().target
    assert digits.available_per_class() == min(np.sum(target == 1), np.sum(target == 5))
    assert digits.available_per_class(d) == 2
    assert config_for("digits_1_vs_5", quick=False, n_per_class=13).n_per_class == 13
    assert config_for("digits_1_vs_5", quick=False).n_per_class == 50  # the full mode's default
    cfg = config_for("digits_1_vs_5", quick=True, tiny=True, mnist=d, n_per_class=2)
    assert (cfg.n_per_class, cfg.mnist_path) == (2, str(d))
    for bad in (0, -1, 2.0, True, digits.available_per_class() + 1):
        with pytest.raises(ParameterError, match="n_per_class"):
            config_for("digits_1_vs_5", quick=False, n_per_class=bad)
    with pytest.raises(ParameterError, match="MNIST"):
        config_for("digits_1_vs_5", quick=False, mnist=d, n_per_class=3)
    with pytest.raises(ParameterError, match="digits_1_vs_5 only"):
        config_for("d8_sparse", quick=True, n_per_class=3)


@pytest.mark.parametrize("argv, fragment", [
    (["run", "digits_1_vs_5", "--n-per-class", "0"], "integer >= 1"),
    (["run", "digits_1_vs_5", "--n-per-class", "two"], "integer >= 1"),
    (["run", "digits_1_vs_5", "--n-per-class", "1.5"], "integer >= 1"),
    (["run", "digits_1_vs_5", "--n-per-class", "183"], "exceeds the 182 images"),
    (["reproduce", "--n-per-class", "9999"], "exceeds"),
    (["run", "uncertainty", "--n-per-class", "3"], "digits_1_vs_5 only"),
])
def test_cli_rejects_bad_n_per_class(argv, fragment, tmp_path, capsys):
    from training.__main__ import main

    out = tmp_path / "out"
    try:
        code = main(argv + ["--tiny", "--no-progress", "--out", str(out)])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith("python -m training: error:") and fragment in err
    assert not (out / "metrics.json").exists()  # nothing ran


def test_cli_runs_the_tiny_configuration_on_idx_files_with_n_per_class(tiny_mnist, tmp_path, capsys):
    import json

    from training.__main__ import main

    d, imgs, labels = tiny_mnist
    out = tmp_path / "out"
    assert main(["run", "digits_1_vs_5", "--tiny", "--no-progress", "--mnist", str(d), "--n-per-class", "2",
                 "--out", str(out)]) == 0
    m = json.loads((out / "metrics.json").read_text())["experiments"]["digits_1_vs_5"]
    assert m["config"]["n_per_class"] == 2 and m["config"]["mnist_path"] == str(d)
    assert m["source"].startswith("MNIST 4x4") and m["group"]["order"] == 8 * 16
    # the first two images are a 1 and a 5 of the file, scaled by the largest selected pixel and normalized
    first = np.asarray(m["images"], dtype=float) * 0.3081 + 0.1307
    ones, fives = imgs[labels == 1], imgs[labels == 5]
    assert any(np.allclose(first[0] * v, im) for im in ones for v in range(1, 256))
    assert any(np.allclose(first[1] * v, im) for im in fives for v in range(1, 256))
    assert set(m["runs"]["L=2"]) == {"G-CNN", "CNN", "FC"}
    assert set(m["cpu_seconds"]) >= {"setup", "problems L=2", "G-CNN L=2", "CNN L=2", "FC L=2"}
    assert (out / "digits_1_vs_5.png").stat().st_size > 5000
    capsys.readouterr()
    assert main(["run", "digits_1_vs_5", "--tiny", "--no-progress", "--mnist", str(d), "--n-per-class", "3",
                 "--out", str(out)]) == 2
    assert "exceeds the 2 images" in capsys.readouterr().err
