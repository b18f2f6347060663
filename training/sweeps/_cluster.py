"""The local Dask cluster of a sweep, run in a process of its own.

:class:`distributed.LocalCluster` runs its scheduler inside the process that creates it. In the
driver of a sweep that scheduler's bookkeeping (task records, logs, the per-task transitions) grew
the driver's memory by about half a KiB per task over thousands of tasks. So the driver starts
this module's :func:`main` in a child process (arguments ``WORKERS RETRIES``): it
creates the cluster, prints the scheduler's address as its first line of output, and keeps the
cluster alive until its standard input reaches end of file, which happens when the driver closes
the pipe or dies (even by ``kill -9``); then it closes the cluster, whose worker processes exit
with it. The driver is only a client of that scheduler, as with ``--scheduler``.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from typing import Any

__all__ = ["BLAS_ENV", "SCHEDULER_HISTORY", "LocalClusterProcess", "main"]

BLAS_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "NUMBA_NUM_THREADS": "1"}
"""Environment of the worker processes of the local cluster."""

SCHEDULER_HISTORY = {"distributed.admin.low-level-log-length": 200,
                     "distributed.diagnostics.computations.max-history": 10,
                     "distributed.diagnostics.erred-tasks.max-history": 10}
"""History the scheduler of the local cluster keeps: its event logs and records of past computations
are ring buffers of these lengths (Dask's defaults: 1000, 100, 100)."""

#: Seconds to wait for the cluster process to print the scheduler's address.
START_TIMEOUT = 120.0


class LocalClusterProcess:
    """A :class:`distributed.LocalCluster` of ``workers`` single-threaded worker processes, run by
    a child process (module docstring); :attr:`address` is its scheduler's.

    Parameters
    ----------
    workers : int
        Worker processes.
    retries : int
        ``distributed.scheduler.allowed-failures``: reschedules of a task whose worker died.

    Raises
    ------
    RuntimeError
        If the cluster does not start within :data:`START_TIMEOUT` seconds.
    """

    def __init__(self, workers: int, retries: int) -> None:
        env = dict(os.environ)
        # the workers must import what the driver can (task functions of the caller's modules)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from training.sweeps._cluster import main; sys.exit(main())",
             str(int(workers)), str(int(retries))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
        line = self._read_address()
        if not line.startswith(("tcp://", "inproc://", "tls://")):
            self.close()
            raise RuntimeError(f"the local cluster did not start: {line[:80]!r}")
        self.address = line

    def _read_address(self) -> str:
        import threading

        out: list[str] = []
        reader = threading.Thread(target=lambda: out.append(self._proc.stdout.readline() if self._proc.stdout else ""),
                                  daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        return out[0].strip() if out else ""

    def close(self, timeout: float = 30.0) -> None:
        """Close the pipe (the child closes the cluster), wait, kill it if it does not exit."""
        proc = self._proc
        if proc.poll() is None:
            try:
                if proc.stdin:
                    proc.stdin.close()
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def __enter__(self) -> LocalClusterProcess:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def main(argv: list[str] | None = None) -> int:
    """The child process: start the cluster, print its address, wait for end of input, close it."""
    workers, retries = (int(a) for a in (argv if argv is not None else sys.argv[1:]))
    import dask
    from distributed import LocalCluster

    # worker-saturation 1: a worker holds only the task it runs, so a worker that dies takes no
    # queued task down with it (each would count as one of its allowed failures)
    with dask.config.set({"distributed.scheduler.allowed-failures": retries,
                          "distributed.scheduler.worker-saturation": 1.0,
                          "distributed.worker.daemon": True, **SCHEDULER_HISTORY}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR, env=dict(BLAS_ENV))
        try:
            print(cluster.scheduler_address, flush=True)
            sys.stdin.read()  # returns at end of file: the driver closed the pipe or died
        finally:
            cluster.close(timeout=20)
    return 0
