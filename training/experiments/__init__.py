"""The experiments of the papers, runnable end to end (``python -m training reproduce``).

Each experiment is a module with a frozen-dataclass ``Config`` and three instances ``TINY`` (tests),
``QUICK`` (the whole quick run takes a few minutes) and ``FULL`` (Lawrence et al.'s sizes or larger),
``run(config, out_dir=None, progress=False) -> dict`` (JSON-ready metrics with a ``"rows"`` list for
the report table and a ``"summary"`` list of lines) and ``plot(metrics, path)`` (one PNG).

=========================  =====================================================================
experiment                 what it tests
=========================  =====================================================================
fc_vs_diag_vs_cnn          FC -> SVM, diagonal -> l_{2/L}, CNN -> DFT l_{2/L} (Gunasekar et al.)
d8_sparse, d8_gaussian     G-CNN vs CNN vs FC on D8 (Lawrence et al.), Fourier-sparse / Gaussian data
abelian_c10c10c2           the same on C10 x C10 x C2
smallgroup_200_44          the same on (C5 x C5) : Q8
digits_1_vs_5              digits 1 vs 5 (8x8 quick, 28x28 stand-in full, or MNIST) on (C_n x C_n) : D4
dihedral_visualization     beta and the singular values of beta_hat, dihedral groups of order 64, 60
tensor_regression          Yun et al.: regression limits over initialization scales
nonlinear_local            ReLU G-CNN on D60: Schatten norms of local linearizations
uncertainty                Meshulam's |supp f| * rank(f_hat) >= |G|
bandlimited_linear         linear band-limited G-CNNs over SO(3): the compact-group version
spherical_local            spherical CNN: local linearizations (the poster's figure 5b)
steerable_invariant        steerable nets: invariant head -> G-invariant SVM (Chen & Zhu), dense head
channels_and_locality      G-CNNs with K channels and local filters vs the SDP representation cost
homogeneous_inputs         digits on the torus G/D4: lifting G-CNN vs the G-CNN on lifted data
=========================  =====================================================================

The last two modules come with the compact-group part of the toolkit (:mod:`training.models.bandlimited`,
:mod:`training.bias.bandlimited`, :class:`training.models.SphericalCNN`) and follow the same protocol.

:func:`run_experiment` runs one experiment, writes ``NAME.png``, merges its entry into
``metrics.json`` (the other experiments' entries are kept) and regenerates ``report.md`` from the
merged metrics; :func:`reproduce` runs all of them. Every file is written atomically (a temporary file
in the same directory, then :func:`os.replace`; :mod:`training.experiments._store`), and a corrupt
existing ``metrics.json`` is an :class:`~training._errors.OutputError`, not overwritten. BLAS is limited to one thread while they run: the
problems are small, and multithreaded OpenBLAS made :func:`training.fit` up to 50x slower on 2 cores.

Examples
--------
>>> EXPERIMENTS[:2]
('fc_vs_diag_vs_cnn', 'd8_sparse')
>>> get("uncertainty").NAME
'uncertainty'
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import os
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Sequence

from .._errors import ParameterError
from ._config import TrainConfig
from ._data import separable_gaussian
from ._problems import ARCH_KIND, KKT_TOL, RATIO_TOL, solve_problem
from ._report import progress_bar, report_table
from ._runner import run_arch
from ._store import atomic_write, atomic_write_text, check_out_dir, jsonable, merge_metrics

__all__ = [
    "ARCH_KIND",
    "EXPERIMENTS",
    "KKT_TOL",
    "RATIO_TOL",
    "TINY_ENV",
    "TrainConfig",
    "atomic_write",
    "atomic_write_text",
    "check_out_dir",
    "config_for",
    "get",
    "jsonable",
    "reproduce",
    "run_arch",
    "run_experiment",
    "separable_gaussian",
    "solve_problem",
    "write_report",
]

EXPERIMENTS = (
    "fc_vs_diag_vs_cnn",
    "d8_sparse",
    "d8_gaussian",
    "abelian_c10c10c2",
    "smallgroup_200_44",
    "digits_1_vs_5",
    "dihedral_visualization",
    "tensor_regression",
    "nonlinear_local",
    "uncertainty",
    "bandlimited_linear",
    "spherical_local",
    "steerable_invariant",
    "channels_and_locality",
    "homogeneous_inputs",
)

TINY_ENV = "GROUPTOOLS_EXPERIMENTS_TINY"
"""If this environment variable is ``1``, the CLI uses the ``TINY`` configurations (tests)."""


def get(name: str) -> ModuleType:
    """The module of experiment ``name``.

    Raises
    ------
    ParameterError
        Unknown name.
    """
    if name not in EXPERIMENTS:
        raise ParameterError(f"unknown experiment {name!r}; choose from {', '.join(EXPERIMENTS)}")
    return importlib.import_module(f"{__name__}.{name}")


def config_for(name: str, *, quick: bool, tiny: bool = False, mnist: str | os.PathLike | None = None,
               n_per_class: int | None = None) -> Any:
    """The ``TINY``, ``QUICK`` or ``FULL`` config of ``name``.

    ``mnist`` sets the digits experiment's MNIST path (other experiments ignore it); ``n_per_class``
    its number of images of each digit (CLI ``--n-per-class``), checked against the images available
    (:func:`training.experiments.digits_1_vs_5.check_n_per_class`).

    Raises
    ------
    ParameterError
        Unknown name; ``n_per_class`` given for another experiment, not a positive integer, or larger
        than the number of ones or fives available.

    Examples
    --------
    >>> config_for("digits_1_vs_5", quick=False, n_per_class=7).n_per_class
    7
    """
    mod = get(name)
    cfg = mod.TINY if tiny else (mod.QUICK if quick else mod.FULL)
    if n_per_class is not None and name != "digits_1_vs_5":
        raise ParameterError(f"n_per_class (--n-per-class) applies to digits_1_vs_5 only, not to {name}")
    if mnist is not None and name == "digits_1_vs_5":
        cfg = dataclasses.replace(cfg, mnist_path=str(mnist))
    if n_per_class is not None:
        cfg = dataclasses.replace(cfg, n_per_class=mod.check_n_per_class(n_per_class, cfg.mnist_path))
    return cfg


def _limits():
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _mode(quick: bool, tiny: bool) -> str:
    return "tiny" if tiny else ("quick" if quick else "full")


def run_experiment(name: str, out_dir: str | os.PathLike, *, quick: bool = True, tiny: bool = False,
                   mnist: str | os.PathLike | None = None, progress: bool = False, report: bool = True,
                   n_per_class: int | None = None) -> dict:
    """Run one experiment; write ``NAME.png`` and (if ``report``) merge it into ``metrics.json`` and
    regenerate ``report.md`` from all the experiments recorded there (``mnist`` and ``n_per_class``:
    :func:`config_for`).

    Returns
    -------
    dict
        The experiment's metrics, with ``"elapsed"`` seconds added.

    Raises
    ------
    OutputError
        ``out_dir`` cannot be written, or its ``metrics.json`` is corrupt (checked before running).
    ParameterError
        Bad ``n_per_class`` (:func:`config_for`), also checked before running.
    """
    mod = get(name)
    cfg = config_for(name, quick=quick, tiny=tiny, mnist=mnist, n_per_class=n_per_class)
    out = check_out_dir(out_dir)
    t0 = time.perf_counter()
    with _limits():
        metrics = jsonable(mod.run(cfg, None, progress))  # plot() sees what metrics.json holds
        mod.plot(metrics, out / f"{name}.png")
    metrics["elapsed"] = time.perf_counter() - t0
    if report:
        _record(out, {name: metrics}, _mode(quick, tiny))
    return metrics


def _record(out: Path, results: dict, mode: str) -> dict:
    """Merge ``results`` into ``out/metrics.json`` and rewrite ``out/report.md`` from the merged metrics."""
    merged = merge_metrics(out / "metrics.json", results, mode=mode, order=EXPERIMENTS)
    write_report(merged["experiments"], out / "report.md", mode=merged["mode"], elapsed=merged["elapsed"])
    return merged


def reproduce(out_dir: str | os.PathLike, *, quick: bool = True, tiny: bool = False,
              mnist: str | os.PathLike | None = None, progress: bool = False,
              names: Sequence[str] | None = None, n_per_class: int | None = None) -> dict:
    """Run every experiment (or ``names``); write one PNG each, ``metrics.json`` and ``report.md``.

    Each finished experiment is merged into ``metrics.json`` at once (an interrupted reproduction keeps
    the experiments already done; entries of experiments not in ``names`` are kept). ``n_per_class``
    applies to ``digits_1_vs_5`` (checked before the first experiment runs).

    Returns
    -------
    dict
        ``{name: metrics}``.
    """
    names = tuple(EXPERIMENTS if names is None else names)
    for n in names:
        get(n)
    digits_n = {"n_per_class": n_per_class} if n_per_class is not None else {}
    if digits_n and "digits_1_vs_5" in names:
        config_for("digits_1_vs_5", quick=quick, tiny=tiny, mnist=mnist, **digits_n)
    out = check_out_dir(out_dir)
    results: dict = {}
    with progress_bar(len(names), "reproduce", progress) as bar:
        for n in names:
            bar.set_postfix_str(n)
            results[n] = run_experiment(n, out, quick=quick, tiny=tiny, mnist=mnist, progress=progress, report=True,
                                        **(digits_n if n == "digits_1_vs_5" else {}))
            bar.update(1)
    return results


def write_report(results: dict, path: str | os.PathLike, *, mode: str, elapsed: float) -> None:
    """Write ``report.md`` (atomically): the table of all rows, then each experiment's figure, summary,
    mode and time."""
    rows = [r for m in results.values() for r in m.get("rows", [])]
    lines = [
        "# Reproduction report",
        "",
        f"Mode: {mode}; {len(results)} experiment(s); total {elapsed:.1f} s.",
        "Ratios are R(beta)/R(beta*) with both at minimum margin 1 (R the predicted regularizer, beta* the",
        "optimum of max_margin: convex optimum for L <= 2, best stationary point found for L >= 3). RAW is",
        "the normalized-GD iterate, POLISHED the KKT point of training.polish. KKT is the predictor-space",
        "stationarity residual of the predicted problem (raw: active set within 5% of the margin, rank",
        "tolerance 1e-2; for L = 2 it includes the excess over 1 of the normal part, the subgradient",
        "condition of the nuclear / l1 norm). Verdicts: for a convex problem, \"global optimum\"; for",
        "L >= 3 the theory predicts a stationary point only, so \"stationary\" (KKT residual) is reported",
        "separately from \"at the best known point\" (ratio). See docs/experiments.md.",
        "",
        report_table(rows),
        "",
    ]
    for name, m in results.items():
        lines += [f"## {name}", "", f"![{name}]({name}.png)", ""]
        lines += [f"- {s}" for s in m.get("summary", [])]
        t = m.get("elapsed")
        timing = (f"{t:.1f} s" if isinstance(t, (int, float)) and not isinstance(t, bool) and math.isfinite(t)
                  else "not recorded")
        lines += [f"- time: {timing}" + (f" ({m['mode']} mode)" if m.get("mode") else ""), ""]
    atomic_write_text(path, "\n".join(lines))
