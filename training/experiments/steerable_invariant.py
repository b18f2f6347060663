"""Steerable linear networks with an invariant head vs the regular G-CNN with a dense head (issue 14).

Inputs are ``c`` channels of functions on ``G/H``, i.e. vectors of the representation
``rep_0 = P_H (+) ... (+) P_H`` (``P_H = G.permutation_representation(H)``, orthogonal): on a dihedral
group ``H`` is trivial (functions on G, ``P_H`` the regular representation), on ``gt.torus_p4m(n)``
``H`` is the point group D4 (``n x n`` images). With ``c >= 2`` the vectors fixed by G form a
``c``-dimensional space (the channel means), so the invariant bias is not forced by the architecture
alone (with one channel every invariant predictor is a multiple of the constant function).

Two biases are compared on the same data (Gaussian points shifted along the channel means by
``label * shift * a``, ``a = (1, -1/2, ...)``):

- :class:`~training.models.SteerableNet` with the **invariant head** and hidden representations
  regular (``R``) or a permutation representation ``V`` (the polygon's vertices ``G/<s>`` for the
  dihedral group, the pixels ``G/D4`` for the torus), depth 2 and 3. Chen & Zhu (2023): gradient
  flow converges in direction to the G-invariant max-margin classifier, which for an orthogonal
  ``rep_0`` is the SVM on the orbit-averaged data ``Pi x`` (``Pi = (1/|G|) sum_g rep_0(g)``) and
  also the SVM on the orbit-augmented data ``{rep_0(g) x_n}``. Both SVMs are solved (the latter on
  ``N |G|`` points) and compared; the networks are scored on the first.
- ``SteerableNet(G, [rep_0, R], head="dense")``, the regular G-CNN with ``c`` input channels and a
  dense head (the lifting G-CNN on the torus), against its representation-cost prediction
  (:func:`training.bias.max_margin` with ``regulariser="representation_cost"``). Its cost is
  ``(2/sqrt|G|) sum_rho d_rho ||[lift_1(beta)_hat(rho) ... lift_c(beta)_hat(rho)]||_*``, the
  weighted nuclear norm of the horizontally stacked Fourier blocks of the ``c`` lifted input
  channels (:mod:`training.bias._repclosed`); where the SDP fits (``dihedral(4)``: side 16 + 8)
  the SDP is solved, on ``torus_p4m(4)`` (side 32 + 128 = 160 > 100) this closed form (a convex
  program with a duality-gap certificate). The report names which one was used.

Ratios are ``||beta/margin||^2 / ||beta*||^2`` for the invariant SVM (the monotone form of
``R = L ||beta||^(2/L)``) and ``R(beta/margin) / R(beta*)`` for the dense head (R by the SDP or the closed form).

References
----------
Z. Chen, W. Zhu. On the implicit bias of linear equivariant steerable networks. NeurIPS 2023.
T. Cohen, M. Welling. Steerable CNNs. ICLR 2017.

Examples
--------
>>> TINY.groups, QUICK.groups
(('dihedral4',), ('dihedral4', 'torus2'))
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

import grouptools as gt

from .. import bias
from .._checks import check_positive_int, clip
from .._errors import ParameterError
from ..metrics import cosine
from ..models import SteerableNet
from ._config import TrainConfig, check_positive
from ._data import unit_rms
from ._plots import new_figure, plot_ratio_traces, save_figure
from ._problems import solve_problem
from ._repruns import rep_cost_problem, run_model
from ._report import num, progress_bar, row
from ._store import write_json

__all__ = ["Config", "FULL", "NAME", "QUICK", "TINY", "make_data", "orbit_data", "plot", "run"]

NAME = "steerable_invariant"

_GROUPS = {"dihedral4": lambda: gt.dihedral(4), "dihedral8": lambda: gt.dihedral(8),
           "torus2": lambda: gt.torus_p4m(2), "torus4": lambda: gt.torus_p4m(4)}


@dataclass(frozen=True)
class Config:
    """Attributes: ``groups`` (keys ``dihedral4``, ``dihedral8``, ``torus2``, ``torus4``), ``N`` points,
    ``channels`` c, ``shift``, ``depths`` of the invariant networks, ``seed``, ``train``."""

    groups: tuple[str, ...] = ("dihedral4", "torus4")
    N: int = 8
    channels: int = 2
    shift: float = 0.6
    depths: tuple[int, ...] = (2, 3)
    seed: int = 0
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        for g in self.groups:
            if g not in _GROUPS:
                raise ParameterError(f"unknown group {clip(repr(g))}; choose from {', '.join(_GROUPS)}")
        check_positive_int("N", self.N)
        check_positive_int("channels", self.channels)
        check_positive("shift", self.shift)
        for L in self.depths:
            check_positive_int("depth", L, 2)


TINY = Config(groups=("dihedral4",), N=4, depths=(2,), train=TrainConfig(steps=200, lr=0.1, record_points=6))
QUICK = Config(groups=("dihedral4", "torus2"), N=6, depths=(2, 3),
               train=TrainConfig(steps=800, lr=0.1, record_points=16))
FULL = Config(groups=("dihedral4", "torus4"), N=10, depths=(2, 3),
              train=TrainConfig(steps=20000, lr=0.1, record_points=40))


def _setting(key: str) -> tuple[Any, Any, Any, str]:
    """``(G, P_H, V, label)`` for a group key."""
    G = _GROUPS[key]()
    if key.startswith("torus"):
        H = G.subgroup([G.element("r"), G.element("s")])
        P = G.permutation_representation(H)
        return G, P, P, f"torus_p4m({key[5:]}) (|G| = {G.order}), inputs on G/D4"
    P = G.regular_representation()
    V = G.permutation_representation(G.subgroup([G.element("s")]))
    return G, P, V, f"dihedral({key[8:]}) (|G| = {G.order}), inputs on G"


def orbit_data(rep: Any, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(Pi, X_aug, y_aug)``: the projection ``(1/|G|) sum_g rep(g)`` on the fixed vectors and the
    orbit-augmented data ``rep(g) x_n`` (all g, all n) with their labels.

    Examples
    --------
    >>> import grouptools as gt
    >>> R = gt.cyclic(3).regular_representation()
    >>> Pi, Xa, ya = orbit_data(R, np.array([[1.0, 0.0, 0.0]]), np.array([1.0]))
    >>> np.round(Pi @ np.array([3.0, 0, 0]), 6).tolist(), Xa.shape, ya.tolist()
    ([1.0, 1.0, 1.0], (3, 3), [1.0, 1.0, 1.0])
    """
    G = rep.group
    mats = np.stack([np.asarray(rep(g)).real for g in range(G.order)])
    Pi = mats.mean(axis=0)
    X_aug = np.einsum("gij,nj->ngi", mats, X).reshape(-1, X.shape[1])
    return Pi, X_aug, np.repeat(y, G.order)


def make_data(dim: int, channels: int, N: int, shift: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian points in ``R^(channels * dim)`` shifted by ``label * shift * a_k`` on channel k
    (``a = (1, -1/2, 1/3, ...)``), alternating labels, unit RMS norm."""
    rng = np.random.default_rng(seed)
    y = np.where(np.arange(N) % 2 == 0, 1.0, -1.0)
    a = np.repeat([(-1.0) ** k / (k + 1) for k in range(channels)], dim)
    return unit_rms(rng.standard_normal((N, channels * dim)) + shift * y[:, None] * a[None, :]), y


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Train the invariant-head and dense-head networks on each group; return the metrics (JSON-ready)."""
    out: dict = {"name": NAME, "config": config, "groups": {}, "runs": {}, "rows": [], "summary": []}
    with progress_bar(len(config.groups), NAME, progress) as bar:
        for key in config.groups:
            G, P, V, label = _setting(key)
            rep0 = P
            for _ in range(config.channels - 1):
                rep0 = rep0.direct_sum(P)
            R = G.regular_representation()
            X, y = make_data(P.dim, config.channels, config.N, config.shift, config.seed)
            Pi, Xa, ya = orbit_data(rep0, X, y)
            Xi = X @ Pi.T
            inv = solve_problem(Xi, y, "l2", 2)  # the G-invariant SVM (averaged data)
            aug = bias.max_margin(Xa, ya, "l2")  # Chen & Zhu: the SVM of the augmented data
            svm = bias.max_margin(X, y, "l2")
            info = {"label": label, "order": G.order, "input_dim": rep0.dim,
                    "invariant_svm_vs_augmented": {"cosine": cosine(inv.optimum.beta, aug.beta),
                                                   "rel_diff": float(np.linalg.norm(inv.optimum.beta - aug.beta)
                                                                     / np.linalg.norm(inv.optimum.beta))},
                    "invariant_svm_vs_plain_svm_cosine": cosine(inv.optimum.beta, svm.beta)}
            runs: dict = {}
            nets = [("inv [P,R] L=2", [rep0, R]), ("inv [P,V] L=2", [rep0, V])]
            if 3 in config.depths:
                nets.append(("inv [P,V,V] L=3", [rep0, V, V]))
            for j, (name, reps) in enumerate(nets):
                if len(reps) not in config.depths:
                    continue
                m = SteerableNet(G, reps, head="invariant", init_scale=config.train.init_scale, seed=config.seed + 1 + j)
                r = run_model(name, m, X, y, inv, config.train, X_pred=Xi)
                r["prediction"] = "G-invariant SVM (orbit-averaged data)"
                runs[name] = r
            dense = SteerableNet(G, [rep0, R], head="dense", init_scale=config.train.init_scale, seed=config.seed + 7)
            try:
                P_dense = rep_cost_problem(dense, X, y, note="SDP")
            except ParameterError as exc:
                P_dense = None
                info["dense_skipped"] = f"dense head skipped: {exc}"[:200]
            if P_dense is not None:
                P_dense = replace(P_dense, note="closed form" if bias.uses_closed_form(dense) else "SDP")
                info["dense_prediction"] = {"method": P_dense.note, "status": P_dense.optimum.status,
                                            "certificate": P_dense.optimum.kkt_residual}
                r = run_model("G-CNN dense L=2", dense, X, y, P_dense, config.train)
                r["invariance_defect"] = {k: (None if b is None else float(np.linalg.norm(b - Pi @ b) / np.linalg.norm(b)))
                                          for k, b in (("raw", r["beta_raw"]), ("polished", r["beta_polished"]))}
                info["dense_cost_of_invariant_svm"] = P_dense.ratio(inv.optimum.beta, X, y)
                info["dense_optimum_cosine_to_invariant_svm"] = cosine(P_dense.optimum.beta, inv.optimum.beta)
                runs["G-CNN dense L=2"] = r
            for name, r in runs.items():
                out["rows"].append(row(NAME, r, f"{key}: {name}"))
            out["groups"][key] = info
            out["runs"][key] = runs
            bar.update(1)
    out["summary"] += _summary(out)
    if out_dir is not None:
        write_json(out, Path(out_dir) / f"{NAME}.json")
    return out


def _summary(out: dict) -> list[str]:
    lines = []
    for key, info in out["groups"].items():
        c = info["invariant_svm_vs_augmented"]
        runs = out["runs"][key]
        cells = ", ".join(f"{n} {num((r.get('polished') or {}).get('ratio'), '.6f')} (raw {num(r['raw']['ratio'], '.4f')})"
                          for n, r in runs.items())
        lines.append(f"{info['label']}: invariant SVM vs SVM of the orbit-augmented data: cosine "
                     f"{num(c['cosine'], '.8f')}, relative difference {num(c['rel_diff'], '.1e')}; "
                     f"cosine to the plain SVM {num(info['invariant_svm_vs_plain_svm_cosine'], '.4f')}")
        lines.append(f"{key}: polished ratios to each prediction: {cells}")
        d = runs.get("G-CNN dense L=2")
        if d is not None and not ((d.get("polished") or {}).get("ratio") or 9) <= 1.001:
            lines.append(f"{key}: the dense head is NOT within 1.001 of its predicted optimum: polished ratio "
                         f"{num((d.get('polished') or {}).get('ratio'), '.5f')} at a parameter-space KKT point (KKT "
                         f"{num((d.get('polished') or {}).get('kkt'), '.1e')}); SDP minimizer rank {d['optimum']['rank']} "
                         f"(optimum {d['optimum']['status']}) with 1 channel: the factored problem in parameter space is "
                         "not convex and gradient descent + polish stopped at a non-global stationary point")
        if d is not None and "dense_prediction" in info:
            dp = info["dense_prediction"]
            lines.append(f"{key}: dense head's prediction by the {dp['method']} (status {dp['status']}, certificate "
                         f"{num(dp['certificate'], '.1e')}{': relative duality gap' if dp['method'] == 'closed form' else ''}); "
                         f"dense head raw ratio {num(d['raw']['ratio'], '.4f')}, polished "
                         f"{num((d.get('polished') or {}).get('ratio'), '.7f')}, parameter-space KKT "
                         f"{num((d.get('polished') or {}).get('kkt'), '.1e')}")
        if d is not None:
            lines.append(f"{key}: the dense head is not invariant (relative distance of beta to the fixed space "
                         f"{num(d['invariance_defect']['polished'], '.3f')} polished); the invariant SVM costs "
                         f"{num(info['dense_cost_of_invariant_svm'], '.4f')} x the dense head's optimum "
                         f"(cosine of the two optima {num(info['dense_optimum_cosine_to_invariant_svm'], '.4f')})")
        elif "dense_skipped" in info:
            lines.append(f"{key}: {info['dense_skipped']}")
    return lines


def plot(metrics: dict, path: str | Path) -> None:
    """One column per group: the invariant nets vs the invariant SVM (top), the dense head vs its SDP (bottom)."""
    keys = list(metrics["runs"])
    fig, axes = new_figure(2, len(keys))
    for j, key in enumerate(keys):
        runs = metrics["runs"][key]
        inv = {n: r for n, r in runs.items() if n.startswith("inv")}
        dense = {n: r for n, r in runs.items() if not n.startswith("inv")}
        plot_ratio_traces(axes[0, j], inv, "ratio:pred", f"{key}: invariant head vs G-invariant SVM",
                          ylabel="||b_t||^2 / ||b*||^2 (margin 1)")
        if dense:
            plot_ratio_traces(axes[1, j], dense, "ratio:pred", f"{key}: dense head vs its representation cost",
                              ylabel="||w_t||^2 / R(b*) (margin 1)")
        else:
            axes[1, j].text(0.5, 0.5, "dense head: no prediction, skipped", ha="center", va="center", fontsize=8)
            axes[1, j].set_axis_off()
    fig.suptitle("Steerable nets: invariant head -> G-invariant SVM (Chen & Zhu); dense head -> its representation cost",
                 fontsize=10)
    save_figure(fig, path)
