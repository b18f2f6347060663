"""Formatting of the experiments' results: table cells, report rows, summaries, progress bars.

Examples
--------
>>> fmt(1.23456, "ratio"), fmt(None, "kkt"), fmt(3.2e-9, "kkt")
('1.2346', 'n/a', '3.2e-09')
>>> num(float("nan"), ".2f"), num(None, ".2f")
('n/a', 'skipped')
"""

from __future__ import annotations

import math
import sys
from typing import Any, Iterable, Mapping

__all__ = [
    "REPORT_COLUMNS",
    "fmt",
    "num",
    "polish_status",
    "polished_cell",
    "progress_bar",
    "report_table",
    "row",
    "summarize",
]


def num(x: Any, spec: str) -> str:
    """``x`` formatted with ``spec``; ``"skipped"`` for None, ``"n/a"`` for NaN/inf (never ``nan``)."""
    if x is None:
        return "skipped"
    x = float(x)
    return format(x, spec) if math.isfinite(x) else "n/a"


def progress_bar(total: int, desc: str, enabled: bool):
    """A tqdm bar on stderr, shown only if ``enabled`` and stderr is a terminal (no escape codes in logs)."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, leave=False, disable=not (enabled and sys.stderr.isatty()), file=sys.stderr)


def fmt(x: Any, what: str) -> str:
    """Format a table entry: ``what`` in {"ratio", "cosine", "kkt"}; None/NaN -> ``n/a``."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "n/a"
    return f"{x:.1e}" if what == "kkt" else f"{x:.4f}"


REPORT_COLUMNS = ("experiment", "architecture", "prediction", "ratio raw", "ratio polished", "cosine raw",
                  "cosine polished", "KKT raw", "KKT polished", "verdict")


def report_table(rows: Iterable[Mapping[str, Any]]) -> str:
    """The Markdown table of the report (columns :data:`REPORT_COLUMNS`).

    Missing entries print as ``n/a``, the polished ones as the row's ``polish_status`` (e.g.
    ``skipped``) when it has one.

    Examples
    --------
    >>> print(report_table([{"experiment": "e", "architecture": "FC", "prediction": "SVM",
    ...     "ratio_raw": 1.0, "ratio_polished": None, "cosine_raw": 1.0, "cosine_polished": None,
    ...     "kkt_raw": 0.0, "kkt_polished": None, "verdict": "ok"}]).splitlines()[2])
    | e | FC | SVM | 1.0000 | n/a | 1.0000 | n/a | 0.0e+00 | n/a | ok |
    """
    lines = ["| " + " | ".join(REPORT_COLUMNS) + " |", "|" + " --- |" * len(REPORT_COLUMNS)]
    for r in rows:
        status = r.get("polish_status")  # "skipped" etc. in the polished cells when there is no polished point

        def pol(x: Any, what: str) -> str:
            return status if x is None and status else fmt(x, what)

        cells = [r["experiment"], r["architecture"], r["prediction"],
                 fmt(r["ratio_raw"], "ratio"), pol(r["ratio_polished"], "ratio"),
                 fmt(r["cosine_raw"], "cosine"), pol(r["cosine_polished"], "cosine"),
                 fmt(r["kkt_raw"], "kkt"), pol(r["kkt_polished"], "kkt"), r["verdict"]]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def summarize(runs: Mapping[str, Mapping[str, Mapping[str, Any]]], key: str = "pred") -> str:
    """One line per depth with the polished (else raw) ratio of every architecture for problem ``key``.

    ``key="pred"`` is each architecture's own prediction; other keys are the ``cross`` problems. A raw
    ratio stands in (marked ``(raw)``) where there is no polished point; a ratio that is undefined
    (NaN: the predictor does not separate the data) prints as ``n/a`` with that reason, never ``nan``.

    Examples
    --------
    >>> summarize({"L=2": {"FC": {"raw": {"ratio": float("nan")}, "polished": None}}})
    'L=2: FC n/a (raw; does not separate the data)'
    """
    def finite(x: Any) -> bool:
        return x is not None and math.isfinite(float(x))

    parts = []
    for label, rr in runs.items():
        cells = []
        for arch, run in rr.items():
            if key == "pred":
                pol, raw = (run.get("polished") or {}).get("ratio"), run["raw"]["ratio"]
            else:
                pol, raw = run["cross"][key]["polished"], run["cross"][key]["raw"]
            if finite(pol):
                cells.append(f"{arch} {fmt(pol, 'ratio')}")
            elif finite(raw):
                cells.append(f"{arch} {fmt(raw, 'ratio')} (raw)")
            else:
                cells.append(f"{arch} n/a (raw; does not separate the data)")
        parts.append(f"{label}: " + ", ".join(cells))
    return "; ".join(parts)


def polish_status(run: Mapping[str, Any]) -> str | None:
    """``None`` if the run has a polished point, else what the report prints in its place:
    ``"skipped"`` (polish disabled or skipped), ``"failed"`` or ``"n/a"``."""
    if run.get("polished"):
        return None
    note = str((run.get("polish") or {}).get("note") or "")
    if note.startswith(("polish skipped", "polish disabled")):
        return "skipped"
    if note.startswith(("polish failed", "polish impossible")):
        return "failed"
    return "n/a"


def polished_cell(run: Mapping[str, Any], key: str, what: str) -> str:
    """The polished ``key`` of a run formatted by :func:`fmt`, or, when the run has no polished point,
    its :func:`polish_status` (``"skipped"``, ``"failed"``, ``"n/a"``): never ``nan``.

    Examples
    --------
    >>> polished_cell({"polished": None, "polish": {"note": "polish skipped (500 parameters)"}}, "ratio", "ratio")
    'skipped'
    >>> polished_cell({"polished": {"ratio": 1.0}}, "ratio", "ratio")
    '1.0000'
    """
    status = polish_status(run)
    return status if status is not None else fmt((run.get("polished") or {}).get(key), what)


def row(experiment: str, run: Mapping[str, Any], architecture: str | None = None) -> dict:
    """A report row from :func:`run_arch` output (``polish_status``: see :func:`polish_status`)."""
    pol = run.get("polished") or {}
    return {
        "polish_status": polish_status(run),
        "experiment": experiment,
        "architecture": architecture or f"{run['architecture']} L={run['depth']}",
        "prediction": run["prediction"],
        "ratio_raw": run["raw"]["ratio"],
        "ratio_polished": pol.get("ratio"),
        "cosine_raw": run["raw"]["cosine"],
        "cosine_polished": pol.get("cosine"),
        "kkt_raw": run["raw"]["kkt"],
        "kkt_polished": pol.get("kkt"),
        "verdict": run["verdict"],
    }
