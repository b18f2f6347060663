"""Running a sweep on a Dask cluster: bounded batches, retries, one atomic row per task.

:func:`run_sweep` walks the grid lazily, skips the tasks whose row is already in the store, and keeps
at most ``batch`` tasks in flight on a :mod:`dask.distributed` cluster: a new task is submitted only when
one finishes, so the driver's memory does not grow with the grid. The driver writes each row as it
arrives (:func:`training.sweeps.write_row`); workers need no access to the store, so ``--scheduler``
may point at machines that do not share the disk.

Failures: a task that raises returns its error row (:func:`training.sweeps.run_task` catches it); a
worker that dies (killed, out of memory) has its task rescheduled by Dask up to ``retries`` times
(``distributed.scheduler.allowed-failures`` and ``submit(retries=)``), then the task is recorded with
``status = "failed"`` and the sweep goes on. Rerunning the same command runs only the tasks without a
row (``retry_failed=True`` also reruns the error and failed rows, replacing them).

By default the cluster is a :class:`distributed.LocalCluster` with one single-threaded worker process
per core, BLAS limited to one thread in each (environment of the worker processes and
:func:`threadpoolctl.threadpool_limits` around every task). Its scheduler runs inside the driver, so
what it keeps per task is bounded (:data:`SCHEDULER_HISTORY`, :data:`OMITTED_EXTENSIONS`,
:data:`KEY_CACHE_FLUSH`); its workers run without Dask's profiler (:data:`CLUSTER_CONFIG`) and import
the task's module before the first task.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from .._checks import check_positive_int, clip
from .._errors import ParameterError, SweepStalledError
from ._spec import SweepSpec, task_key
from ._store import check_store, is_done, read_row, row_path, write_row, write_spec
from ._task import error_row, run_task

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

__all__ = ["SweepSummary", "count_done", "pending_tasks", "run_sweep"]

BLAS_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "NUMBA_NUM_THREADS": "1"}
"""Environment of the worker processes of the local cluster."""

SCHEDULER_HISTORY = {"distributed.admin.low-level-log-length": 200,
                     "distributed.diagnostics.computations.max-history": 10,
                     "distributed.diagnostics.erred-tasks.max-history": 10,
                     "distributed.admin.system-monitor.log-length": 120}
"""History the scheduler of the local cluster keeps (it runs inside the driver process): its event
logs, records of past computations and system-monitor samples are ring buffers of these lengths
(Dask's defaults: 1000, 100, 100 and 7200 samples, one hour at 0.5 s), so the driver's memory stops
growing after a few hundred tasks instead of after thousands."""

CLUSTER_CONFIG = {"distributed.worker.profile.enabled": False, "distributed.scheduler.worker-saturation": 1.0,
                  "distributed.worker.daemon": True}
"""Dask configuration of the local cluster and its workers (besides :data:`SCHEDULER_HISTORY`). Dask's statistical profiler samples every
thread's stack every 10 ms in a thread of its own; with one worker per core that thread competes with
the tasks for the cores (the sweep reads no profile). A worker saturation of 1.0 gives a worker one
task at a time (Dask's default 1.1 hands a single-threaded worker a second, queued task): when a task
kills its worker, Dask counts the death against every task on that worker, so a queued task would be
recorded as failed with it. Daemonic workers exit with the driver."""

OMITTED_EXTENSIONS = ("spans",)
"""Scheduler extensions the local cluster runs without. Dask's span extension (performance metrics
per computation for the dashboard) appends the metadata of every ``submit`` to the default span and
never drops it: about 180 bytes per task for as long as the scheduler lives, which made the driver's
memory grow with the grid. The sweep has no dashboard and reads no span; the workers run without their
span extension too (their heartbeats would report to it)."""

KEY_CACHE_FLUSH = 1000
"""Rows between two flushes of :func:`dask.utils.key_split`'s memo (an LRU cache of up to 100,000
keys, filled by the scheduler inside the driver with one entry per task key)."""


@dataclass(frozen=True)
class SweepSummary:
    """What a run of :func:`run_sweep` did.

    Attributes
    ----------
    total : int
        Grid points of the specification.
    skipped : int
        Tasks already in the store before the run.
    ok, errors, failed : int
        Rows written by this run: finished, raised (error rows), worker died (failed rows).
    seconds_startup : float
        Time to start (or connect to) the cluster.
    seconds_run : float
        Time from the first submission to the last row written.
    """

    total: int
    skipped: int
    ok: int
    errors: int
    failed: int
    seconds_startup: float = 0.0
    seconds_run: float = 0.0

    @property
    def done(self) -> int:
        """Tasks with a row after the run."""
        return self.skipped + self.ok + self.errors + self.failed


def _needs_run(out: Path, key: str, retry_failed: bool) -> bool:
    if not is_done(out, key):
        return True
    return retry_failed and read_row(out, key)["status"] != "ok"


def pending_tasks(spec: SweepSpec, out: str | os.PathLike, *, retry_failed: bool = False) -> Iterator[tuple[str, dict]]:
    """``(key, task)`` of every task of ``spec`` without a row in ``out`` (lazily, grid order)."""
    out = Path(out)
    for task in spec.tasks():
        key = task_key(task)
        if _needs_run(out, key, retry_failed):
            yield key, task


def _cluster(scheduler: str | None, workers: int | None, retries: int) -> tuple[Client, LocalCluster | None]:
    """A client of an existing scheduler, or of a new local cluster of single-threaded processes."""
    import dask
    from distributed import Client, LocalCluster
    from distributed.scheduler import DEFAULT_EXTENSIONS

    if scheduler is not None:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, ValueError) as exc:  # unreachable (timeout) or malformed address
            raise ParameterError(f"cannot reach the scheduler {clip(repr(scheduler))}: {type(exc).__name__}") from None
    n = workers or os.cpu_count() or 1
    with dask.config.set({"distributed.scheduler.allowed-failures": retries, **SCHEDULER_HISTORY, **CLUSTER_CONFIG}):
        extensions = {name: ext for name, ext in DEFAULT_EXTENSIONS.items() if name not in OMITTED_EXTENSIONS
                      and (name != "stealing" or dask.config.get("distributed.scheduler.work-stealing"))}
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR, env=dict(BLAS_ENV),
                               scheduler_kwargs={"extensions": extensions},
                               extensions={})
        return Client(cluster), cluster


def _warm_up(client: Client, task_fn: Callable[[dict, str], dict]) -> None:
    """Import the task's module on every worker, so the one-time import (about 1.3 s for
    :func:`training.sweeps.run_task`: numpy, scipy, cvxpy, the toolkit) counts as start-up rather than
    as the first task's time. A worker that cannot import it gets the error with its first task."""
    import importlib

    try:
        client.run(importlib.import_module, task_fn.__module__)
    except Exception:  # noqa: BLE001 - reported per task by run_task's error rows
        pass


def run_sweep(
    spec: SweepSpec, out: str | os.PathLike, *, scheduler: str | None = None, workers: int | None = None,
    batch: int | None = None, retries: int = 2, progress: bool = True, retry_failed: bool = False,
    task_fn: Callable[[dict, str], dict] = run_task, stall_timeout: float | None = 3600.0,
) -> SweepSummary:
    """Run every task of ``spec`` that has no row in the store ``out`` (module docstring).

    Parameters
    ----------
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://HOST:PORT``); default: a local cluster.
    workers : int, optional
        Worker processes of the local cluster (default: one per core).
    batch : int, optional
        Tasks in flight at once (default: 4 per worker thread).
    retries : int
        Reschedules of a task whose worker died, before it is recorded as failed.
    task_fn : callable
        ``task_fn(task, key) -> row`` run on the workers (default :func:`training.sweeps.run_task`).
    stall_timeout : float or None
        Seconds the driver waits for the next row before it gives up (``None``: forever). A cluster
        whose workers stop answering (lost connections, failed heartbeats, a deadlocked task) would
        otherwise make the driver wait forever; the default allows tasks of up to an hour.

    Raises
    ------
    OutputError
        ``out`` cannot be written.
    SweepStalledError
        No row arrived for ``stall_timeout`` seconds. The rows written so far are complete: rerunning
        the same command resumes.
    """
    from dask.utils import key_split
    from distributed import wait
    from tqdm.auto import tqdm

    if workers is not None:
        check_positive_int("workers", workers)
    retries = check_positive_int("retries", retries, 0)
    stall = _check_stall_timeout(stall_timeout)
    out = check_store(out)
    write_spec(out, spec.resolved())
    remaining = sum(1 for _ in pending_tasks(spec, out, retry_failed=retry_failed))
    counts = {"ok": 0, "error": 0, "failed": 0}
    if remaining == 0:
        return SweepSummary(spec.n_tasks, spec.n_tasks, 0, 0, 0)
    t0 = time.perf_counter()
    client, cluster = _cluster(scheduler, workers, retries)
    _warm_up(client, task_fn)
    t1 = time.perf_counter()
    try:
        threads = max(1, sum(client.nthreads().values()))
        window = check_positive_int("batch", batch) if batch is not None else 4 * threads
        todo = pending_tasks(spec, out, retry_failed=retry_failed)
        flight: dict[str, tuple[Future, str, dict]] = {}

        def submit_next() -> None:
            nxt = next(todo, None)
            if nxt is not None:
                fut = client.submit(task_fn, nxt[1], nxt[0], key=f"sweep-{nxt[0]}", pure=False, retries=retries)
                flight[fut.key] = (fut, *nxt)

        for _ in range(window):
            submit_next()
        with tqdm(total=remaining, desc=spec.name, file=sys.stderr, dynamic_ncols=True,
                  disable=not (progress and sys.stderr.isatty())) as bar:
            while flight:
                try:
                    finished = wait([f for f, _, _ in flight.values()], timeout=stall,
                                    return_when="FIRST_COMPLETED").done
                except TimeoutError:
                    raise SweepStalledError(
                        f"no task finished in {stall_timeout:g} s ({len(flight)} in flight, "
                        f"{sum(counts.values())} rows written by this run): the cluster stopped answering "
                        "or a task runs longer than --stall-timeout; rerun to resume") from None
                for fut in sorted(finished, key=lambda f: f.key):
                    _, key, task = flight.pop(fut.key)
                    try:
                        row = fut.result()
                    except Exception as exc:  # noqa: BLE001 - KilledWorker after the retries, lost connections
                        row = error_row(task, key, "failed", exc)
                    fut.release()
                    write_row(out, row)
                    counts[row["status"] if row["status"] in counts else "error"] += 1
                    bar.update(1)
                    bar.set_postfix_str(f"done {counts['ok']} failed {counts['error'] + counts['failed']} "
                                        f"remaining {bar.total - bar.n}")
                    if sum(counts.values()) % KEY_CACHE_FLUSH == 0:
                        key_split.cache_clear()
                    submit_next()
        t2 = time.perf_counter()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return SweepSummary(spec.n_tasks, spec.n_tasks - remaining, counts["ok"], counts["error"], counts["failed"],
                        t1 - t0, t2 - t1)


def _check_stall_timeout(value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 10**7:
        raise ParameterError(f"stall_timeout must be a number of seconds in (0, 1e7] or None, got {clip(repr(value))}")
    return float(value)


def count_done(spec: SweepSpec, out: str | os.PathLike) -> int:
    """Tasks of ``spec`` with a row in ``out`` (one ``stat`` per task)."""
    out = Path(out)
    return sum(1 for t in spec.tasks() if row_path(out, task_key(t)).exists())
