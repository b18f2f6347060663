"""The experiments of issue 14 (steerable_invariant, channels_and_locality, homogeneous_inputs), TINY configs.

Expected values are derived independently of the code under test: SVMs by scipy SLSQP, the fixed
vectors of a permutation representation from its definition (channel means), Cayley-graph balls from
the dihedral group's words, right-invariance from the Cayley table.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

import grouptools as gt
from training.experiments import EXPERIMENTS, get
from training.experiments import channels_and_locality as CL
from training.experiments import homogeneous_inputs as HI
from training.experiments import steerable_invariant as SI
from training.experiments._store import jsonable


def svm_ref(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """min ||b||^2 s.t. y_n <x_n, b> >= 1 by scipy SLSQP."""
    cons = {"type": "ineq", "fun": lambda b: y * (X @ b) - 1.0, "jac": lambda b: y[:, None] * X}
    b0 = np.linalg.lstsq(X, y, rcond=None)[0]
    res = minimize(lambda b: b @ b, 2 * b0, jac=lambda b: 2 * b, constraints=[cons], method="SLSQP",
                   options={"ftol": 1e-14, "maxiter": 500})
    return res.x


def cos(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def finite(x) -> bool:
    return x is not None and math.isfinite(float(x))


def test_registered_in_reproduce():
    for name in ("steerable_invariant", "channels_and_locality", "homogeneous_inputs"):
        assert name in EXPERIMENTS
        assert get(name).NAME == name


@pytest.fixture(scope="module")
def steerable():
    return jsonable(SI.run(SI.TINY))


def test_orbit_data_projection_is_channel_mean():
    G = gt.dihedral(3)
    R = G.regular_representation()
    rep = R.direct_sum(R)
    X = np.random.default_rng(0).standard_normal((3, 12))
    Pi, Xa, ya = SI.orbit_data(rep, X, np.array([1.0, -1.0, 1.0]))
    means = np.repeat(X.reshape(3, 2, 6).mean(axis=2), 6, axis=1)  # the fixed vectors: constant per channel
    assert np.allclose(X @ Pi.T, means)
    assert Xa.shape == (18, 12) and ya.tolist() == [1.0] * 6 + [-1.0] * 6 + [1.0] * 6
    assert np.allclose(np.sort(np.linalg.norm(Xa, axis=1)), np.sort(np.repeat(np.linalg.norm(X, axis=1), 6)))


def test_steerable_invariant_numbers(steerable, tmp_path):
    key = SI.TINY.groups[0]
    info = steerable["groups"][key]
    assert info["invariant_svm_vs_augmented"]["cosine"] > 1 - 1e-6
    # the invariant SVM from scipy on the channel means, compared with each invariant net's predictor
    G, P, V, _ = SI._setting(key)
    X, y = SI.make_data(P.dim, SI.TINY.channels, SI.TINY.N, SI.TINY.shift, SI.TINY.seed)
    d = P.dim
    M = np.repeat(X.reshape(len(y), SI.TINY.channels, d).mean(axis=2), d, axis=1)
    ref = svm_ref(M, y)
    for name, r in steerable["runs"][key].items():
        assert finite(r["raw"]["ratio"]) and r["raw"]["ratio"] >= 1 - 1e-6
        pol = r["polished"]
        assert pol is not None and pol["ratio"] >= 1 - 1e-6 and finite(pol["kkt"])
        if name.startswith("inv"):
            b = np.asarray(r["beta_polished"])
            assert np.allclose(b.reshape(-1, d), b.reshape(-1, d).mean(axis=1, keepdims=True), atol=1e-8)
            assert cos(b, ref) > 1 - 1e-6
    SI.plot(steerable, tmp_path / "s.png")
    assert (tmp_path / "s.png").stat().st_size > 0


def test_cayley_ball_dihedral():
    G = gt.dihedral(8)
    words = {G.word(i): i for i in range(G.order)}
    assert CL.cayley_ball(G, 1) == sorted([words["1"], words["r"], words["r^-1"], words["s"]])
    assert len(CL.cayley_ball(G, 4)) == 15  # r^4 s (= s r^4) is the one element of word length 5
    assert CL.cayley_ball(G, 5) == list(range(16))


@pytest.fixture(scope="module")
def channels():
    return jsonable(CL.run(CL.TINY))


def test_channels_and_locality_numbers(channels, tmp_path):
    runs = channels["runs"]["dihedral8"]
    assert len(runs) == 2 * len(CL.TINY.channels)
    for r in runs.values():
        assert finite(r["raw"]["ratio"]) and r["raw"]["ratio"] >= 1 - 1e-6
        assert r["polished"] is None or (r["polished"]["ratio"] >= 1 - 1e-6 and finite(r["polished"]["kkt"]))
    c = channels["checks"]["dihedral8"]
    assert abs(c["closed_form_ratio_at_sdp_optimum"] - 1) < 1e-5 and c["cosine"] > 1 - 1e-6
    sw = channels["sweep"]["dihedral8"]
    # support {1}: beta = sum_k w_k v_k, a fully connected network, so its optimum is the SVM
    assert sw["{1}"]["cos_svm"] > 1 - 1e-6
    assert all(v["cost_of_full_optimum"] >= 1 - 1e-6 for v in sw.values())
    CL.plot(channels, tmp_path / "c.png")


@pytest.fixture(scope="module")
def homogeneous():
    return jsonable(HI.run(HI.TINY))


def test_right_average_is_right_invariant():
    G = gt.torus_p4m(2)
    H = G.subgroup([G.element("r"), G.element("s")])
    f = HI.right_average(G, H, np.random.default_rng(1).standard_normal(G.order))
    T = np.asarray(G.cayley_table)
    assert all(np.allclose(f[T[:, h]], f) for h in np.asarray(H.elements))


def test_homogeneous_inputs_numbers(homogeneous, tmp_path):
    chk = homogeneous["optimum_check"]["L=2"]
    assert chk["ratio_of_right_average"] <= 1 + 1e-6
    for r in homogeneous["runs"]["L=2"].values():
        assert finite(r["raw"]["ratio"]) and r["raw"]["ratio"] >= 1 - 1e-6
        assert r["polished"] is not None and r["polished"]["ratio"] >= 1 - 1e-6 and finite(r["polished"]["kkt"])
    c = homogeneous["coincide_cosine"]["L=2"]["polished"]
    assert c is not None and -1 - 1e-9 <= c <= 1 + 1e-9
    HI.plot(homogeneous, tmp_path / "h.png")
    assert (tmp_path / "h.png").stat().st_size > 0


def test_homogeneous_inputs_depth_three(tmp_path):
    """Depth 3: both networks polish to certified stationary points of the parameter-space problem,
    and right-H averaging of the predicted point does not raise its Schatten-2/3 objective (the
    singular values of M Pi are at most those of M)."""
    from training.experiments._config import TrainConfig

    out = jsonable(HI.run(HI.Config(n_per_class=2, image_size=4, depths=(3,), starts=1,
                                    train=TrainConfig(steps=200, lr=0.1, record_points=4))))
    chk = out["optimum_check"]["L=3"]
    assert not chk["convex"] and chk["ratio_of_right_average"] <= 1 + 1e-9
    for r in out["runs"]["L=3"].values():
        assert r["depth"] == 3 and r["polish"]["success"]
        assert r["polish"]["param_kkt"] <= 1e-6
    HI.plot(out, tmp_path / "h3.png")
    assert (tmp_path / "h3.png").stat().st_size > 0


@pytest.mark.parametrize("make", [
    lambda: SI.Config(groups=("icosahedral",)), lambda: SI.Config(N=0), lambda: SI.Config(depths=(1,)),
    lambda: CL.Config(groups=("torus8",)), lambda: CL.Config(channels=(0,)),
    lambda: HI.Config(image_size=5), lambda: HI.Config(n_per_class=0), lambda: HI.Config(depths=(4,)),
    lambda: HI.Config(depths=()),
])
def test_bad_configs_are_parameter_errors(make):
    from training import ParameterError

    with pytest.raises(ParameterError):
        make()


@settings(max_examples=15, deadline=None)
@given(c=st.integers(1, 3), seed=st.integers(0, 1000))
def test_orbit_projection_is_the_orthogonal_projection_on_fixed_vectors(c, seed):
    G = gt.dihedral(3)
    V = G.permutation_representation(G.subgroup([G.element("s")]))  # the triangle's vertices
    rep = V
    for _ in range(c - 1):
        rep = rep.direct_sum(V)
    X = np.random.default_rng(seed).standard_normal((2, 3 * c))
    Pi, _, _ = SI.orbit_data(rep, X, np.array([1.0, -1.0]))
    assert np.allclose(Pi, Pi.T) and np.allclose(Pi @ Pi, Pi)
    assert round(float(np.trace(Pi))) == c  # one fixed vector per channel: the transitive action has one orbit
    for g in G.generators:
        assert np.allclose(np.asarray(rep(g)).real @ Pi, Pi)


def test_polish_that_stops_at_its_iteration_cap_is_continued():
    """A polish capped at 2 SLSQP iterations does not certify; polish_or_note continues it from its end
    point and reaches a KKT point, checked here by an NNLS fit of 2 w = sum_n lambda_n y_n grad f(x_n)."""
    from scipy.optimize import nnls

    from training import fit
    from training.experiments._config import TrainConfig
    from training.experiments._runner import polish_or_note
    from training.models import GCNN
    from training.polish import polish

    G = gt.dihedral(4)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 8))
    y = np.where(np.arange(6) % 2 == 0, 1.0, -1.0)
    trained = fit(GCNN(G, 2, channels=2, support=[0, 1, 4], seed=3), X, y, "exp", steps=300, lr=0.1,
                  normalized=True, progress=False).model
    assert not polish(trained, X, y, max_iter=2, method="slsqp").success  # the cap alone fails
    pol, note = polish_or_note(trained, X, y, TrainConfig(polish_max_iter=2))
    assert note == "" and pol.success and pol.method.startswith("slsqp+")
    direct = polish(trained, X, y, max_iter=2, method="slsqp", continue_factor=10)  # the mechanism itself
    assert direct.success and direct.method == pol.method
    m = pol.model
    margins = y * m.forward(X)
    assert np.min(margins) == pytest.approx(1.0, abs=1e-8)
    active = margins <= 1 + 1e-6
    w = m.flat_params()
    J = m.jacobian(X[active]) * y[active, None]
    lam, res = nnls(J.T, 2 * w)
    assert res / np.linalg.norm(2 * w) <= 1e-8
