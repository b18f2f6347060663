"""G-CNNs with K channels and local filters: gradient descent vs the SDP-predicted optimum (issue 14).

``GCNN(G, depth, channels=K, support=S)`` (filters on ``S``, ``1 -> K -> ... -> K`` channels, dense
head) is trained on Gaussian functions on G and compared with the minimizer of its representation
cost under the margins (:func:`training.bias.max_margin` with ``regulariser="representation_cost"``;
depth 2: the semidefinite program of Jagadeesan, Razenshteyn & Gunasekar (2022) in the model's
bilinear form, exact when its minimizer has rank <= K or the factored problem meets the SDP bound;
depth 3: the factored problem from several starts, a local answer scored by the parameter ratio).
For the full support the cost is the closed form ``(2/|G|) sum_rho d_rho ||beta_hat(rho)||_*``
for every K (``training.bias._repcost``); on ``gt.torus_p4m(4)`` (order 128) the full-width SDP
(side 256) exceeds the size limit, so the full width is scored with the closed form
(:func:`~training.experiments._problems.solve_problem`, kind ``"schatten"``) and the SDP is used for
the local supports only (``|S| <= 8``: the split formulation). On ``gt.dihedral(8)`` (order 16)
both are available and the experiment checks that they agree.

Supports are balls of the Cayley graph around the identity (generators and inverses): on the
dihedral group of order 16 ``B_1 = {1, r, r^-1, s}``; on ``torus_p4m(4)`` ``B_1`` is the unit
translations, a quarter turn each way and the reflection (8 elements), ``plus`` the identity and
the four unit translations (the plus-shaped 3 x 3 neighbourhood at the identity rotation) and
``{1}`` the 1 x 1 filter, whose network is a fully connected one in disguise (``beta = sum_k w_k
v_k``: the SVM). The second figure row shows how the predicted regulariser moves from the weighted
nuclear norm (full) towards the l2 norm ({1}) as the support shrinks: ``R_S(beta*_full) /
R_S(beta*_S)`` (how far the full-width optimum is from optimal for the local network) and the
cosines of ``beta*_S`` to ``beta*_full`` and to the SVM.

References
----------
M. Jagadeesan, I. Razenshteyn, S. Gunasekar. Inductive bias of multi-channel linear convolutional
networks with bounded weight norm. COLT 2022.
S. Gunasekar, J. D. Lee, D. Soudry, N. Srebro. Implicit bias of gradient descent on linear
convolutional networks. NeurIPS 2018.

Examples
--------
>>> QUICK.groups, QUICK.channels
(('dihedral8',), (1, 2, 4))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import grouptools as gt

from .. import bias
from .._checks import check_positive_int, clip
from .._errors import ParameterError
from ..metrics import cosine
from ..models import GCNN
from ._config import TrainConfig
from ._data import separable_gaussian
from ._plots import new_figure, save_figure
from ._problems import solve_problem
from ._repruns import rep_cost_problem, run_model
from ._report import num, progress_bar, row
from ._store import write_json

__all__ = ["Config", "FULL", "FULL_SDP_MAX_ORDER", "NAME", "QUICK", "TINY", "cayley_ball", "plot", "run", "supports"]

NAME = "channels_and_locality"

#: Largest group order whose full-width SDP is solved (above it: the closed form).
FULL_SDP_MAX_ORDER = 32


@dataclass(frozen=True)
class Config:
    """Attributes: ``groups`` (``dihedral8``, ``torus4``), ``N`` points, ``channels`` (the K values),
    ``depths`` (3 only on groups of order <= 32), ``seed``, ``starts`` (factored solver), ``train``."""

    groups: tuple[str, ...] = ("dihedral8", "torus4")
    N: int = 6
    channels: tuple[int, ...] = (1, 2, 4)
    depths: tuple[int, ...] = (2, 3)
    seed: int = 0
    starts: int = 3
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        for g in self.groups:
            if g not in ("dihedral8", "torus4"):
                raise ParameterError(f"unknown group {clip(repr(g))}; choose from dihedral8, torus4")
        check_positive_int("N", self.N)
        check_positive_int("starts", self.starts)
        for K in self.channels:
            check_positive_int("channels", K)
        for L in self.depths:
            check_positive_int("depth", L, 2)


TINY = Config(groups=("dihedral8",), N=4, channels=(1, 2), depths=(2,), train=TrainConfig(steps=200, lr=0.1, record_points=6))
QUICK = Config(groups=("dihedral8",), N=5, channels=(1, 2, 4), depths=(2,), train=TrainConfig(steps=600, lr=0.1, record_points=12))
FULL = Config(groups=("dihedral8", "torus4"), N=8, channels=(1, 2, 4), depths=(2, 3),
              train=TrainConfig(steps=10000, lr=0.1, record_points=30))


def cayley_ball(G: Any, radius: int) -> list[int]:
    """Element indices of word length ``<= radius`` in the generators and their inverses (sorted).

    Examples
    --------
    >>> cayley_ball(gt.dihedral(8), 1)
    [0, 1, 7, 8]
    """
    T, inv = np.asarray(G.cayley_table), np.asarray(G.inverse)
    gens = {int(g) for g in G.generators} | {int(inv[g]) for g in G.generators}
    ball = {0}
    for _ in range(radius):
        ball |= {int(T[b, g]) for b in ball for g in gens}
    return sorted(ball)


def supports(key: str) -> tuple[Any, dict[str, list[int] | None]]:
    """The group and its supports ``{label: indices}`` (``None``: all of G), largest first."""
    if key == "dihedral8":
        G = gt.dihedral(8)
        return G, {"full": None, "B_2": cayley_ball(G, 2), "B_1": cayley_ball(G, 1), "{1}": [0]}
    G = gt.torus_p4m(4)
    inv = np.asarray(G.inverse)
    x, yy = int(G.element("x")), int(G.element("y"))
    plus = sorted({0, x, yy, int(inv[x]), int(inv[yy])})
    return G, {"full": None, "B_1": cayley_ball(G, 1), "plus": plus, "{1}": [0]}


def _problem(G: Any, K: int, S: list[int] | None, L: int, X: np.ndarray, y: np.ndarray, cfg: Config) -> Any:
    """The predicted problem of ``GCNN(G, L, channels=K, support=S)``: SDP / factored, or the closed form."""
    if S is None and L == 2 and G.order > FULL_SDP_MAX_ORDER:
        return solve_problem(X, y, "schatten", 2, group=G)
    return rep_cost_problem(GCNN(G, L, channels=K, support=S), X, y, starts=cfg.starts, seed=cfg.seed,
                            note="SDP" if L == 2 else "factored, local")


def _sweep(G: Any, sups: dict, X: np.ndarray, y: np.ndarray, K: int) -> dict:
    """Predicted optima ``beta*_S`` (K channels) and how the full-width and SVM optima fare under ``R_S``."""
    full = solve_problem(X, y, "schatten", 2, group=G).optimum.beta
    svm = bias.max_margin(X, y, "l2").beta
    out = {}
    for label, S in sups.items():
        if S is None:
            out[label] = {"size": G.order, "cost_of_full_optimum": 1.0, "cos_full": 1.0, "cos_svm": cosine(full, svm)}
            continue
        m = GCNN(G, 2, channels=K, support=S)
        opt = bias.max_margin(X, y, regulariser="representation_cost", model=m)
        out[label] = {"size": len(S), "cost_of_full_optimum": float(bias.representation_cost(m, full).value) / opt.objective,
                      "cos_full": cosine(opt.beta, full), "cos_svm": cosine(opt.beta, svm), "rank": opt.rank,
                      "status": opt.status}
    return out


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Train every (K, support, depth) on each group and solve the support sweep; return the metrics."""
    out: dict = {"name": NAME, "config": config, "runs": {}, "sweep": {}, "checks": {}, "rows": [], "summary": []}
    for key in config.groups:
        G, sups = supports(key)
        X, y = separable_gaussian(config.N, G.order, seed=config.seed)
        local = "B_1"
        runs: dict = {}
        cases = [(L, K, s) for L in config.depths for K in config.channels for s in ("full", local)
                 if L == 2 or G.order <= FULL_SDP_MAX_ORDER]
        with progress_bar(len(cases), f"{NAME} {key}", progress) as bar:
            for L, K, s in cases:
                m = GCNN(G, L, channels=K, support=sups[s], init_scale=config.train.init_scale, seed=config.seed + K)
                P = _problem(G, K, sups[s], L, X, y, config)
                name = f"K={K} S={s} (|S|={G.order if sups[s] is None else len(sups[s])}) L={L}"
                runs[name] = run_model(name, m, X, y, P, config.train)
                out["rows"].append(row(NAME, runs[name], f"{key}: {name}"))
                bar.update(1)
        out["runs"][key] = runs
        if G.order <= FULL_SDP_MAX_ORDER:  # the closed form against the SDP, full width
            sch = solve_problem(X, y, "schatten", 2, group=G)
            sdp = bias.max_margin(X, y, regulariser="representation_cost", model=GCNN(G, 2, channels=2))
            out["checks"][key] = {"closed_form_ratio_at_sdp_optimum": sch.ratio(sdp.beta, X, y),
                                  "cosine": cosine(sch.optimum.beta, sdp.beta)}
        out["sweep"][key] = _sweep(G, sups, X, y, max(config.channels))
    out["summary"] += _summary(out)
    if out_dir is not None:
        write_json(out, Path(out_dir) / f"{NAME}.json")
    return out


def _summary(out: dict) -> list[str]:
    lines = []
    for key, runs in out["runs"].items():
        cells = ", ".join(f"{n}: {num((r.get('polished') or {}).get('ratio'), '.5f')} (raw {num(r['raw']['ratio'], '.3f')}, "
                          f"KKT {num((r.get('polished') or {}).get('kkt'), '.0e')})" for n, r in runs.items())
        lines.append(f"{key}: polished (raw) ratio to the predicted optimum and polished KKT residual: {cells}")
        bad = [n for n, r in runs.items() if r["depth"] == 2 and not ((r.get("polished") or {}).get("ratio") or 9) <= 1.001]
        if bad:
            lines.append(f"{key}: NOT within 1.001 of the predicted optimum at depth 2 (a parameter-space KKT point "
                         "of the K-channel problem above the optimum; rank of the SDP minimizer vs K): "
                         + ", ".join(f"{n} (ratio {num(runs[n]['polished']['ratio'] if runs[n].get('polished') else None, '.4f')}, "
                                     f"SDP rank {runs[n]['optimum']['rank']}, optimum {runs[n]['optimum']['status']})"
                                     for n in bad))
        if key in out["checks"]:
            c = out["checks"][key]
            lines.append(f"{key}: closed form vs SDP (full width, K=2): closed-form ratio at the SDP optimum "
                         f"{num(c['closed_form_ratio_at_sdp_optimum'], '.7f')}, cosine {num(c['cosine'], '.7f')}")
        sw = out["sweep"][key]
        lines.append(f"{key}: as |S| shrinks, R_S(beta*_full)/R_S(beta*_S), cos(beta*_S, beta*_full), cos(beta*_S, SVM): "
                     + "; ".join(f"{s} (|S|={v['size']}) {num(v['cost_of_full_optimum'], '.4f')}, "
                                 f"{num(v['cos_full'], '.4f')}, {num(v['cos_svm'], '.4f')}" for s, v in sw.items()))
    return lines


def plot(metrics: dict, path: str | Path) -> None:
    """Top: polished and raw ratios of every (K, S) run; bottom: the support sweep of the predicted optima."""
    keys = list(metrics["runs"])
    fig, axes = new_figure(2, len(keys), width=5.2)
    for j, key in enumerate(keys):
        ax = axes[0, j]
        runs = metrics["runs"][key]
        names = list(runs)
        pos = np.arange(len(names))
        raw = [runs[n]["raw"]["ratio"] for n in names]
        pol = [(runs[n].get("polished") or {}).get("ratio") for n in names]
        ax.bar(pos - 0.2, [np.nan if v is None else max(abs(v - 1), 1e-12) for v in raw], 0.4, label="raw",
               color="tab:blue")
        ax.bar(pos + 0.2, [np.nan if v is None else max(abs(v - 1), 1e-12) for v in pol], 0.4, label="polished",
               color="tab:red")
        ax.set_yscale("log")
        ax.axhline(1e-3, color="black", ls="--", lw=0.8, label="target 1e-3")
        ax.set_xticks(pos, [n.replace(" (", "\n(") for n in names], fontsize=6, rotation=90)
        ax.set_ylabel("|ratio - 1| (floor 1e-12)")
        ax.set_title(f"{key}: |R(beta)/R(beta*) - 1|", fontsize=9)
        ax.legend(fontsize=7)
        ax = axes[1, j]
        sw = dict(sorted(metrics["sweep"][key].items(), key=lambda kv: -kv[1]["size"]))  # JSON sorts the keys
        sizes = [v["size"] for v in sw.values()]
        ax.plot(sizes, [v["cost_of_full_optimum"] for v in sw.values()], "o-", color="tab:red",
                label="R_S(beta*_full) / R_S(beta*_S)")
        ax.plot(sizes, [v["cos_full"] for v in sw.values()], "s-", color="tab:blue", label="cos(beta*_S, beta*_full)")
        ax.plot(sizes, [v["cos_svm"] for v in sw.values()], "^-", color="tab:green", label="cos(beta*_S, SVM)")
        for s, v in sw.items():
            ax.annotate(s, (v["size"], v["cos_full"]), fontsize=7)
        ax.set_xscale("log")
        ax.set_xlabel("|S| (filter support)")
        ax.set_title(f"{key}: the predicted optimum as the support shrinks", fontsize=9)
        ax.legend(fontsize=7)
    fig.suptitle("K-channel local G-CNNs vs the SDP prediction", fontsize=10)
    save_figure(fig, path)
