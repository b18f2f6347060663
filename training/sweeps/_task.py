"""One sweep task: build the group and the data, solve the predicted problem, train, polish, score.

:func:`run_task` runs the protocol of :mod:`training.experiments` (:func:`training.experiments.solve_problem`,
:func:`training.experiments.run_arch`) for one grid point and returns one flat row (the columns of
:data:`COLUMNS`). It never raises for a failing task: any exception becomes an error row (``status =
"error"``, ``error = "Name: message"`` on one line), so a sweep goes on.

Data kinds (:func:`make_data`, ``N`` points on ``G``, labels +-1, inputs rescaled to RMS norm 1):

- ``gaussian``: standard Gaussian functions on ``G`` with alternating labels
  (:func:`training.experiments.separable_gaussian`);
- ``sparse``: Fourier-sparse inputs ("sparse characters"): each input is the real part of one matrix
  coefficient ``g -> rho(g)[i, j]`` of an irrep (as in Lawrence et al.'s D8 notebook), the coefficients
  drawn at random without repetition, skipping those linearly dependent on the ones already drawn, with
  alternating labels;
- ``teacher``: Gaussian inputs labelled by a Gaussian teacher, ``y = sign(<w, x>)``; each input is
  reflected (``x -> -x``) if needed so that the labels alternate (the data stay consistent with the teacher).

Examples
--------
>>> X, y = make_data("sparse", "dihedral(4)", 3, seed=0)
>>> X.shape, y.tolist()
((3, 8), [1.0, -1.0, 1.0])
>>> row = run_task({"group": "C4", "order": 4, "architecture": "FC", "depth": 2, "data": "gaussian",
...                 "N": 2, "seed": 0, "steps": 200, "polish": True, "lr": 0.1, "init_scale": 0.5,
...                 "starts": 1, "fc_width": 0, "polish_max_iter": 100})
>>> row["status"], row["met"]
('ok', True)
"""

from __future__ import annotations

import functools
import math
import os
import socket
import time
from typing import Any

import numpy as np

import grouptools as gt

from .._checks import check_positive_int
from .._errors import ParameterError
from ..experiments import (
    ARCH_KIND,
    KKT_TOL,
    RATIO_TOL,
    TrainConfig,
    run_arch,
    separable_gaussian,
    solve_problem,
)
from ..experiments.d8_sparse import fourier_sparse_inputs

__all__ = ["COLUMNS", "error_row", "make_data", "run_task"]

PARAMS = ("group", "order", "architecture", "depth", "data", "N", "seed", "steps", "polish", "lr",
          "init_scale", "starts", "fc_width", "polish_max_iter")
"""The parameters of a task (:meth:`training.sweeps.SweepSpec.tasks`)."""

RESULTS = ("status", "error", "convex", "prediction", "ratio_raw", "ratio_polished", "cosine_raw",
           "cosine_polished", "kkt_raw", "kkt_polished", "certified", "met", "verdict", "lr_used", "n_params",
           "seconds_solve", "seconds_train", "seconds_polish", "seconds", "worker", "finished")
"""The result columns of a row."""

COLUMNS = ("key",) + PARAMS + RESULTS
"""Every column of a row, in order."""


@functools.lru_cache(maxsize=8)
def _group(expr: str) -> gt.FiniteGroup:
    """The group of an expression, kept per worker process (its irreps and Fourier operator are memoized)."""
    return gt.group(expr)


def make_data(kind: str, group: str, N: int, *, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``N`` labelled functions on the group ``group`` (module docstring).

    Raises
    ------
    ParameterError
        Unknown kind, or (``sparse``) fewer than ``N`` independent real matrix coefficients.
    """
    N = check_positive_int("N", N)
    G = _group(group)
    rng = np.random.default_rng([seed, 16])
    if kind == "gaussian":
        return separable_gaussian(N, G.order, seed=seed)
    if kind == "teacher":
        X, _ = separable_gaussian(N, G.order, seed=seed)
        w = rng.standard_normal(G.order)
        y = np.where(np.arange(N) % 2 == 0, 1.0, -1.0)
        s = np.sign(X @ w)
        s[s == 0] = 1.0
        return X * (s * y)[:, None], y
    if kind == "sparse":
        coeffs = [(k, i, j) for k, r in enumerate(G.irreps()) for i in range(r.dim) for j in range(r.dim)]
        chosen: list[tuple[int, int, int]] = []
        rows = np.zeros((0, G.order))
        for idx in rng.permutation(len(coeffs)):  # at most |G| coefficients
            cand = np.vstack([rows, fourier_sparse_inputs(G, (coeffs[idx],))])
            if np.linalg.matrix_rank(cand, tol=1e-8) == len(cand):
                rows, chosen = cand, chosen + [coeffs[idx]]
                if len(chosen) == N:
                    y = np.where(np.arange(N) % 2 == 0, 1.0, -1.0)
                    return rows / np.sqrt(np.mean(np.sum(rows**2, axis=1))), y
        raise ParameterError(f"sparse data: {group} has {len(chosen)} independent real matrix coefficients, "
                             f"N = {N} needs more")
    raise ParameterError(f"unknown data kind {kind!r}")


def _num(x: Any) -> float:
    return math.nan if x is None else float(x)


def error_row(task: dict, key: str, status: str, exc: BaseException | str) -> dict:
    """The row of a task that raised (``status="error"``) or whose worker died (``"failed"``)."""
    text = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    row = {c: None for c in COLUMNS}
    row.update({p: task.get(p) for p in PARAMS}, key=key, status=status, error=" ".join(str(text).split())[:300],
               finished=time.time(), worker=f"{socket.gethostname()}:{os.getpid()}")
    return row


def run_task(task: dict, key: str = "") -> dict:
    """Run one task (BLAS limited to one thread) and return its row; an exception gives an error row."""
    from threadpoolctl import threadpool_limits

    t0 = time.perf_counter()
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            return _run(task, key, t0)
    except Exception as exc:  # noqa: BLE001 - every failure of a task is recorded, the sweep goes on
        row = error_row(task, key, "error", exc)
        row["seconds"] = time.perf_counter() - t0
        return row


def _run(task: dict, key: str, t0: float) -> dict:
    G = _group(task["group"])
    X, y = make_data(task["data"], task["group"], task["N"], seed=task["seed"])
    arch, depth = task["architecture"], int(task["depth"])
    if arch not in ARCH_KIND or arch == "tensor":
        raise ParameterError(f"unknown architecture {arch!r}")
    problem = solve_problem(X, y, ARCH_KIND[arch], depth, group=G if arch == "G-CNN" else None,
                            starts=task["starts"], seed=task["seed"])
    t1 = time.perf_counter()
    cfg = TrainConfig(steps=task["steps"], lr=task["lr"], init_scale=task["init_scale"], record_points=4,
                      polish=task["polish"], polish_max_iter=task["polish_max_iter"])
    run = run_arch(arch, X, y, problem, cfg, seed=task["seed"] + 1, group=G, width=task["fc_width"] or None)
    raw, pol = run["raw"], run["polished"] or {}
    kkt = _num(pol.get("kkt"))
    ratio = _num(pol.get("ratio"))
    certified = bool(math.isfinite(kkt) and kkt <= KKT_TOL)
    row = {c: None for c in COLUMNS}
    row.update({p: task[p] for p in PARAMS})
    row.update(
        key=key, status="ok", error="", convex=bool(problem.optimum.convex), prediction=problem.label,
        ratio_raw=_num(raw["ratio"]), ratio_polished=ratio, cosine_raw=_num(raw["cosine"]),
        cosine_polished=_num(pol.get("cosine")), kkt_raw=_num(raw["kkt"]), kkt_polished=kkt,
        certified=certified, met=bool(certified and ratio <= 1 + RATIO_TOL), verdict=run["verdict"],
        lr_used=float(run["lr"]), n_params=int(run["n_params"]), seconds_solve=t1 - t0,
        seconds_train=float(run["seconds"]["train"]), seconds_polish=float(run["seconds"]["polish"]),
        seconds=time.perf_counter() - t0, worker=f"{socket.gethostname()}:{os.getpid()}", finished=time.time(),
    )
    return row
