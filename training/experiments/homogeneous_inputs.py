"""Digits as functions on the torus G/D4: a lifting G-CNN vs the G-CNN on lifted data (issue 14).

The 8 x 8 digits 1 (label +1) and 5 (label -1) of scikit-learn (as in ``digits_1_vs_5``) are
functions on the pixels, i.e. on ``G/H`` for ``G = gt.torus_p4m(n)`` and ``H`` its point group D4.
Two depth-2 linear networks are trained:

- :class:`~training.models.LiftingGCNN` ``(G, H, 2)`` on the images themselves (a lifting correlation
  with a filter on G/H, then a dense layer on G);
- the seeds' choice: the G-CNN (:class:`~training.models.GCNN`, depth 2) on the lifted images
  ``lift(x)(t h) = x(t)`` (:func:`grouptools.fourier.lift_image`).

The lifting derivation (``LiftingGCNN`` Notes) predicts that both head for the same classifier:
the representation cost of the lifting network is ``R(beta) = 2/(|G| sqrt|H|) sum_rho d_rho
||lift(beta)_hat(rho)||_*``, so its max-margin problem is the G-CNN's weighted nuclear-norm problem
on the lifted data restricted to right-H-invariant predictors, and the unrestricted optimum can be
taken right-H-invariant. The experiment solves that problem once (kind ``"schatten"``, convex),
checks that its optimum is (or averages to) a right-H-invariant function, scores both networks on
it (the lifting network through ``lift(beta) / sqrt|H|``, which has the same margins on the
normalised lifted data) and reports the cosine between the two networks' polished predictors.

**Depth 3.** The same holds for the representation cost of depth L: with filters, ``R`` of both
networks is (a multiple of) ``sum_rho d_rho ||lift(beta)_hat(rho)||_{S,2/L}^{2/L}`` on the lifted
predictor (the balanced factors of the SVD of a block whose columns lie in the ``H``-fixed subspace
keep them there), and right-H averaging ``M -> M Pi`` does not increase any singular value and keeps
the margins of lifted data, so the global optimum can again be taken right-H-invariant. The problem
is not convex: the experiment solves it from ``starts`` points (kind ``"schatten"``, depth 3, the
best stationary point), trains both networks at depth 3, polishes them and reports raw and
polished ratios to that point, the predictor-space KKT residuals (target ``<= 1e-6``) and whether
the two networks reach the same stationary point.

Quick mode uses the digits average-pooled to 4 x 4 (``G = torus_p4m(4)``, order 128) to stay within
the CI budget; full mode the 8 x 8 digits on ``torus_p4m(8)`` (order 512).

References
----------
T. Cohen, M. Welling. Group equivariant convolutional networks. ICML 2016 (the lifting layer).
H. Lawrence, K. Georgiev, A. Dienes, B. T. Kiani. Implicit bias of linear equivariant networks.
ICML 2022 (the lifted digits).

Examples
--------
>>> QUICK.image_size, FULL.image_size
(4, 8)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import grouptools as gt
from grouptools.fourier import lift_image

from .._checks import check_positive_int, clip
from .._errors import ParameterError
from ..metrics import cosine
from ..models import LiftingGCNN
from ._config import TrainConfig
from ._data import unit_rms
from ._plots import new_figure, plot_ratio_traces, save_figure
from ._problems import solve_problem
from ._repruns import run_model
from ._report import num, row
from ._runner import run_arch
from ._store import write_json
from .digits_1_vs_5 import load_digits_1_vs_5

__all__ = ["Config", "FULL", "NAME", "QUICK", "TINY", "plot", "right_average", "run"]

NAME = "homogeneous_inputs"


@dataclass(frozen=True)
class Config:
    """Attributes: ``n_per_class`` images of each digit, ``image_size`` (8, or 4 = 2 x 2 average pooling),
    ``depths`` (2 and/or 3), ``starts`` (of the nonconvex depth-3 solver), ``seed``, ``train``."""

    n_per_class: int = 10
    image_size: int = 8
    depths: tuple[int, ...] = (2, 3)
    starts: int = 4
    seed: int = 0
    train: TrainConfig = field(default_factory=TrainConfig)

    def __post_init__(self) -> None:
        if self.image_size not in (4, 8):
            raise ParameterError(f"image_size must be 4 or 8, got {clip(repr(self.image_size))}")
        check_positive_int("n_per_class", self.n_per_class)
        check_positive_int("starts", self.starts)
        if not self.depths or any(L not in (2, 3) for L in self.depths):
            raise ParameterError(f"depths must be a non-empty tuple of 2 and 3, got {clip(repr(self.depths))}")


TINY = Config(n_per_class=2, image_size=4, depths=(2,), train=TrainConfig(steps=200, lr=0.1, record_points=6))
QUICK = Config(n_per_class=4, image_size=4, depths=(2, 3), starts=2, train=TrainConfig(steps=800, lr=0.1, record_points=16))
FULL = Config(n_per_class=10, image_size=8, depths=(2, 3), train=TrainConfig(steps=20000, lr=0.1, record_points=40))


def right_average(G: Any, H: Any, f: np.ndarray) -> np.ndarray:
    """``(1/|H|) sum_{h in H} f(g h)``: the right-H-invariant part of a function on G.

    Examples
    --------
    >>> G = gt.dihedral(3); H = G.subgroup([G.element("s")])
    >>> f = right_average(G, H, np.arange(6.0))
    >>> bool(np.allclose(right_average(G, H, f), f))
    True
    """
    T = np.asarray(G.cayley_table)
    return np.mean([f[T[:, h]] for h in np.asarray(H.elements)], axis=0)


def run(config: Config = QUICK, out_dir: str | Path | None = None, progress: bool = False) -> dict:
    """Train the lifting network and the G-CNN on lifted digits at each depth; return the metrics (JSON-ready).

    ``optimum_check``, ``coincide_cosine`` and ``runs`` are keyed by depth (``"L=2"``, ``"L=3"``).
    """
    imgs, y = load_digits_1_vs_5(config.n_per_class, seed=config.seed)
    n = config.image_size
    if n == 4:
        imgs = imgs.reshape(len(y), 4, 2, 4, 2).mean(axis=(2, 4))
    G = gt.torus_p4m(n)
    H = G.subgroup([G.element("r"), G.element("s")])
    nh = H.order
    XI = unit_rms(imgs.reshape(len(y), n * n))
    XG = lift_image(G, XI) / np.sqrt(nh)

    def embed(b: np.ndarray) -> np.ndarray:
        return lift_image(G, b) / np.sqrt(nh)  # <XG, embed(b)> = <XI, b>

    checks: dict = {}
    coincide: dict = {}
    runs_by_depth: dict = {}
    b_image = None
    for L in config.depths:
        P = solve_problem(XG, y, "schatten", L, group=G, starts=config.starts, seed=config.seed)
        b_star = P.optimum.beta
        b_avg = right_average(G, H, b_star)
        b_image = b_avg if b_image is None else b_image
        checks[f"L={L}"] = {"right_H_defect": float(np.linalg.norm(b_star - b_avg) / np.linalg.norm(b_star)),
                            "ratio_of_right_average": P.ratio(b_avg, XG, y), "status": P.optimum.status,
                            "kkt": P.optimum.kkt_residual, "convex": bool(P.optimum.convex)}
        runs: dict = {}
        m = LiftingGCNN(G, H, L, init_scale=config.train.init_scale, seed=config.seed + 1)
        runs["lifting G-CNN"] = run_model(f"lifting G-CNN L={L}", m, XI, y, P, config.train, embed=embed, X_pred=XG)
        runs["G-CNN on lifted data"] = run_arch("G-CNN", XG, y, P, config.train, seed=config.seed + 1, group=G)
        runs["G-CNN on lifted data"]["architecture"] = f"G-CNN on lifted data L={L}"
        for r in runs.values():
            r["prediction"] = f"min Schatten_{'1' if L == 2 else '{2/%d}' % L}(lift(b)_hat) (L={L}), right-H-invariant"
        a, b = runs["lifting G-CNN"], runs["G-CNN on lifted data"]
        coincide[f"L={L}"] = {k: (None if a[f"beta_{k}"] is None or b[f"beta_{k}"] is None else
                                  cosine(embed(np.asarray(a[f"beta_{k}"])), np.asarray(b[f"beta_{k}"])))
                              for k in ("raw", "polished")}
        runs_by_depth[f"L={L}"] = runs
    out: dict = {"name": NAME, "config": config, "group": {"order": G.order, "H": nh, "image_size": n},
                 "optimum_check": checks, "coincide_cosine": coincide, "runs": runs_by_depth,
                 "rows": [row(NAME, r, r["architecture"]) for runs in runs_by_depth.values() for r in runs.values()],
                 "summary": [], "beta_star_image": _on_pixels(G, b_image, n)}
    out["summary"].append(f"data: scikit-learn digits 1 vs 5, {len(y)} images at {n} x {n}; G = torus_p4m({n}) of order "
                          f"{G.order}, H = D4")
    for key, runs in runs_by_depth.items():
        check, co = checks[key], coincide[key]
        what = "convex optimum" if check["convex"] else f"best stationary point of {config.starts} starts"
        out["summary"] += [
            f"{key}: predicted optimum (Schatten on lifted data, {what}, status {check['status']}, KKT "
            f"{num(check['kkt'], '.1e')}): distance to its right-H average {num(check['right_H_defect'], '.1e')}, "
            f"ratio of the average {num(check['ratio_of_right_average'], '.7f')}",
            f"{key}: polished (raw) ratios and polished KKT: " + ", ".join(
                f"{k} {num((r.get('polished') or {}).get('ratio'), '.6f')} (raw {num(r['raw']['ratio'], '.4f')}, KKT "
                f"{num((r.get('polished') or {}).get('kkt'), '.1e')})" for k, r in runs.items()),
            f"{key}: do the two coincide? cosine of lift(beta_lifting) and beta_G-CNN: raw {num(co['raw'], '.6f')}, "
            f"polished {num(co['polished'], '.6f')}",
        ]
        bad = [k for k, r in runs.items() if key != "L=2" and not ((r.get("polished") or {}).get("kkt") or 1.0) <= 1e-6]
        if bad:
            out["summary"].append(f"{key}: NOT certified to KKT <= 1e-6 (the depth-3 target): {', '.join(bad)}")
    if out_dir is not None:
        write_json(out, Path(out_dir) / f"{NAME}.json")
    return out


def _on_pixels(G: Any, f: np.ndarray, n: int) -> np.ndarray:
    """A right-D4-invariant function on G read on the translations, as an ``n x n`` image."""
    basis = lift_image(G, np.eye(n * n))  # (n^2, |G|): lift of each pixel indicator
    return (basis @ f / (G.order // (n * n))).reshape(n, n)


def plot(metrics: dict, path: str | Path) -> None:
    """Ratio traces of both networks at each depth, and the predicted depth-2 optimum as an image (right)."""
    depths = list(metrics["runs"])
    fig, axes = new_figure(1, len(depths) + 1)
    for j, key in enumerate(depths):
        plot_ratio_traces(axes[0, j], metrics["runs"][key], "ratio:pred",
                          f"{key}: both networks vs the lifted Schatten optimum")
    ax = axes[0, len(depths)]
    im = ax.imshow(np.asarray(metrics["beta_star_image"], dtype=float), cmap="RdBu_r")
    fig.colorbar(im, ax=ax)
    ax.set_title(f"predicted beta* ({depths[0]}) on the pixels (right-D4 average)", fontsize=9)
    fig.suptitle("Digits 1 vs 5 on the torus G/D4: lifting layer vs lifted data", fontsize=10)
    save_figure(fig, path)
