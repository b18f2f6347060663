"""Figures of the experiments (matplotlib, imported on first use; Agg canvas, no pyplot)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ._store import atomic_write

__all__ = ["ARCH_COLORS", "new_figure", "plot_group_comparison", "plot_ratio_traces", "save_figure"]


ARCH_COLORS = {"G-CNN": "tab:red", "CNN": "tab:blue", "FC": "tab:green", "diagonal": "tab:purple",
               "tensor": "tab:orange"}


def new_figure(nrows: int, ncols: int, *, width: float = 4.2, height: float = 3.2):
    """A matplotlib Figure with an Agg canvas (no pyplot, no global backend change) and its axes array."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def save_figure(fig: Any, path: str | Path) -> None:
    """Save as PNG (100 dpi, fixed metadata so that reruns give identical files), atomically."""
    atomic_write(path, lambda fh: fig.savefig(fh, format="png", dpi=100, metadata={"Software": None}))


def plot_ratio_traces(ax: Any, runs: Mapping[str, Mapping[str, Any]], key: str, title: str, *, ylabel: str = "") -> None:
    """Plot ``history[key]`` (an objective ratio) of several runs against the step (log-log), the line 1,
    and the POLISHED ratio as a star at the last step."""
    top = 1.0
    lo = 1.0
    cycle = iter(["tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown"])
    for arch, run in runs.items():
        h = run["history"]
        steps = np.asarray(h["step"], dtype=float)
        vals = np.asarray([np.nan if v is None else v for v in h[key]], dtype=float)
        ok = (steps > 0) & np.isfinite(vals)
        color = ARCH_COLORS.get(arch) or next(cycle)
        ax.plot(steps[ok], vals[ok], color=color, label=f"{arch} (raw)")
        if ok.any():
            top = max(top, float(np.nanmin(vals[ok])) * 1.5)
            lo = min(lo, float(np.nanmin(vals[ok])))
        name = key.split(":", 1)[1]
        pol = (run.get("polished") or {}).get("ratio") if name == "pred" else run["cross"][name]["polished"]
        if pol is not None and np.isfinite(pol) and steps.size:
            ax.plot([steps[-1]], [pol], marker="*", ms=11, color=color, ls="none")
            lo = min(lo, pol)
    ax.axhline(1.0, color="black", lw=0.8, ls="--", label="optimum (* = polished)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(0.97 * lo, max(top, 1.2 * lo, 1.1))
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.xaxis.set_minor_formatter(NullFormatter())
    fmt_ = FuncFormatter(lambda v, _: f"{v:.3g}")
    ax.yaxis.set_major_formatter(fmt_)
    lo_, hi_ = ax.get_ylim()
    if hi_ / lo_ < 8:  # label the minor ticks only when less than a decade is shown
        ax.yaxis.set_minor_formatter(fmt_)
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel or "R(beta_t) / R(beta*)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)


def plot_group_comparison(metrics: Mapping[str, Any], path: str | Path, title: str) -> None:
    """Top row: Schatten ratio of the three architectures per depth (Lawrence et al.'s figure, at margin 1);
    bottom row: each architecture against its own prediction."""
    runs = metrics["runs"]
    fig, axes = new_figure(2, len(runs))
    for j, (label, rr) in enumerate(runs.items()):
        plot_ratio_traces(axes[0, j], rr, "ratio:schatten", f"{label}: Schatten_{{2/L}} of beta_hat vs G-CNN optimum")
        plot_ratio_traces(axes[1, j], rr, "ratio:pred", f"{label}: each architecture vs its own prediction")
    fig.suptitle(title, fontsize=10)
    save_figure(fig, path)
