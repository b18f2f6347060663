"""``report.md`` and figures of a sweep store, built with pandas.

The report gives, per architecture and depth: the number of tasks, the fraction *certified* (the
polished point's predictor-space KKT residual at most ``KKT_TOL``), the fraction *met* (certified and
polished objective ratio at most ``1 + RATIO_TOL``: the global optimum for a convex problem, at or below
the best known stationary point otherwise), and quantiles of the raw and polished objective ratios
``R(beta) / R(beta*)``; then the same per data kind, the error and failed rows, and the worst instances
(largest polished ratio) with their keys, to rerun with ``python -m training run-task DIR KEY``.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"architecture": ["FC", "FC"], "depth": [2, 2], "status": ["ok", "ok"],
...                    "certified": [True, True], "met": [True, False], "ratio_raw": [1.1, 1.3],
...                    "ratio_polished": [1.0, 1.2]})
>>> t = summary_table(df, ["architecture", "depth"])
>>> int(t["tasks"][0]), float(t["met"][0]), float(t["polished_median"][0])
(2, 0.5, 1.1)
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..experiments import KKT_TOL, RATIO_TOL, atomic_write_text
from ._store import read_rows

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["markdown_table", "summary_table", "write_report"]


def summary_table(df: "pd.DataFrame", by: Sequence[str]) -> "pd.DataFrame":
    """Tasks, fractions certified and met, and ratio quantiles of the ``ok`` rows, grouped by ``by``."""
    ok = df[df["status"] == "ok"]
    g = ok.groupby(list(by), sort=True)
    out = g.agg(tasks=("status", "size"), certified=("certified", "mean"), met=("met", "mean"),
                raw_median=("ratio_raw", "median"), raw_p90=("ratio_raw", lambda s: s.quantile(0.9)),
                polished_median=("ratio_polished", "median"),
                polished_max=("ratio_polished", "max")).reset_index()
    return out


def markdown_table(df: "pd.DataFrame") -> str:
    """A DataFrame as a Markdown table (floats: 3 decimals, KKT columns in scientific notation, NaN as n/a)."""

    def cell(col: str, v: object) -> str:
        if isinstance(v, float):
            if not math.isfinite(v):
                return "n/a"
            return f"{v:.1e}" if col.startswith("kkt") else (f"{v:.3f}" if abs(v) < 1e4 else f"{v:.3g}")
        return str(v).replace("|", "\\|")

    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    lines += ["| " + " | ".join(cell(c, v) for c, v in zip(cols, r)) + " |" for r in df.itertuples(index=False)]
    return "\n".join(lines)


def _figures(ok: "pd.DataFrame", out: Path, prefix: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    names = []
    cells = sorted({(a, int(d)) for a, d in zip(ok["architecture"], ok["depth"])})
    if not cells:
        return names
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for ax, col, title in ((axes[0], "ratio_raw", "raw (gradient descent)"),
                           (axes[1], "ratio_polished", "polished")):
        data = []
        for a, d in cells:
            v = ok[(ok["architecture"] == a) & (ok["depth"] == d)][col].to_numpy(dtype=float)
            v = v[np.isfinite(v)]
            data.append(np.log10(np.maximum(v, 1e-12)) if len(v) else np.array([np.nan]))
        ax.boxplot(data, whis=(5, 95), showfliers=True)
        ax.set_xticks(range(1, len(cells) + 1), [f"{a}\nL={d}" for a, d in cells], fontsize=8)
        ax.axhline(0.0, color="k", lw=0.6, ls=":")
        ax.set_title(f"objective ratio, {title}")
    axes[0].set_ylabel("log10 R(beta)/R(beta*)")
    fig.tight_layout()
    names.append(f"{prefix}ratios.png")
    fig.savefig(out / names[-1], dpi=110)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    labels = [f"{a} L={d}" for a, d in cells]
    met = [ok[(ok["architecture"] == a) & (ok["depth"] == d)]["met"].mean() for a, d in cells]
    cert = [ok[(ok["architecture"] == a) & (ok["depth"] == d)]["certified"].mean() for a, d in cells]
    x = np.arange(len(cells))
    ax.bar(x - 0.2, cert, 0.4, label="certified (KKT)")
    ax.bar(x + 0.2, met, 0.4, label="prediction met")
    ax.set_xticks(x, labels, fontsize=8, rotation=20)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("fraction of tasks")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    names.append(f"{prefix}fractions.png")
    fig.savefig(out / names[-1], dpi=110)
    plt.close(fig)
    return names


def write_report(store: str | os.PathLike, out: str | os.PathLike | None = None, *, worst: int = 15,
                 figure_prefix: str = "", figure_dir: str | os.PathLike | None = None) -> Path:
    """Write ``report.md`` and the figures (``ratios.png``, ``fractions.png``) for the store ``store``.

    ``out`` is the report's directory (default ``store``); figures go to ``figure_dir`` (default ``out``)
    with names prefixed by ``figure_prefix``. Returns the path of ``report.md``.

    Raises
    ------
    OutputError
        ``store`` is not a sweep store.
    """
    df = read_rows(store)
    out = Path(store if out is None else out)
    fig_dir = Path(out if figure_dir is None else figure_dir)
    lines = ["# Sweep report", ""]
    if df.empty:
        lines += ["The store holds no rows yet."]
        atomic_write_text(out / "report.md", "\n".join(lines) + "\n")
        return out / "report.md"
    ok = df[df["status"] == "ok"]
    n_err, n_fail = int((df["status"] == "error").sum()), int((df["status"] == "failed").sum())
    lines += [
        f"{len(df)} rows: {len(ok)} finished, {n_err} errors (the task raised), {n_fail} failed (worker died); "
        f"{df['group'].nunique()} groups, seeds {sorted(int(s) for s in df['seed'].unique())[:20]}; "
        f"median task time {float(ok['seconds'].median() if len(ok) else float('nan')):.2f} s.",
        "",
        f"*Certified*: the polished point's predictor-space KKT residual is at most {KKT_TOL:g}. *Met*: certified"
        f" and polished ratio R(beta)/R(beta*) <= 1 + {RATIO_TOL:g} (the global optimum for a convex problem:"
        " FC at any depth, L = 2; the best stationary point the solver found for L >= 3).",
        "",
        "## By architecture and depth",
        "",
        markdown_table(summary_table(df, ["architecture", "depth"])),
        "",
        "## By architecture, depth and data",
        "",
        markdown_table(summary_table(df, ["architecture", "depth", "data"])),
        "",
    ]
    for name in _figures(ok, fig_dir, figure_prefix):
        rel = os.path.relpath(fig_dir / name, out)
        lines += [f"![{name}]({rel})", ""]
    cols = ["key", "group", "architecture", "depth", "data", "seed", "ratio_raw", "ratio_polished", "kkt_polished"]
    bad = ok[ok["ratio_polished"].notna()].sort_values("ratio_polished", ascending=False)
    undecided = ok[ok["ratio_polished"].isna()]
    lines += ["## Worst instances (largest polished ratio)", "", "Rerun one with `python -m training run-task DIR KEY`.",
              "", markdown_table(bad[cols].head(worst)), ""]
    if len(undecided):
        lines += [f"{len(undecided)} finished tasks have no polished ratio (the verdict says why, e.g. the "
                  "trained iterate does not separate the data):", "",
                  markdown_table(undecided[["key", "group", "architecture", "depth", "data", "seed", "verdict"]]
                                 .head(worst)), ""]
    errs = df[df["status"] != "ok"]
    if len(errs):
        lines += ["## Errors and failures", "", markdown_table(errs[["key", "group", "architecture", "depth", "data", "status",
                                                                 "error"]].head(worst)), ""]
    atomic_write_text(out / "report.md", "\n".join(lines))
    return out / "report.md"
