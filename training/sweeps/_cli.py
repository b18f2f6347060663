"""The sweep subcommands of ``python -m training``: ``sweep``, ``sweep-report``, ``run-task``.

Usage::

    python -m training sweep SPEC --out DIR [--scheduler tcp://HOST:PORT] [--workers N] [--batch N]
                                  [--retries N] [--retry-failed] [--stall-timeout SECONDS] [--dry-run]
                                  [--no-progress]
    python -m training sweep-report DIR
    python -m training run-task DIR KEY

``sweep`` resolves the specification (every group is built: a bad spec is refused before anything
runs), then runs the tasks without a row in ``DIR`` (:func:`training.sweeps.run_sweep`); ``--dry-run``
prints the grid and, as its last line, ``N tasks (M done)``. ``sweep-report`` writes ``DIR/report.md``
and its figures; ``run-task`` reruns one task of the store in this process and prints the stored and
the new figures. Errors are :class:`~training._errors.ParameterError` (the caller prints one line and
exits with status 2); a sweep that receives no row for ``--stall-timeout`` seconds raises
:class:`~training._errors.SweepStalledError` (one line, exit status 1; rerun to resume).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from .._checks import clip
from .._errors import OutputError, ParameterError
from ._execute import count_done, run_sweep
from ._report import write_report
from ._spec import load_spec
from ._store import read_row
from ._task import PARAMS, RESULTS, run_task

__all__ = ["CLI_COMMANDS", "add_cli_parsers", "run_cli_command"]

CLI_COMMANDS = ("sweep", "sweep-report", "run-task")


def add_cli_parsers(sub: Any) -> None:
    """Add the three subcommands to ``python -m training``'s subparsers."""
    q = sub.add_parser("sweep", help="run a grid of tasks (TOML spec) on a Dask cluster")
    q.add_argument("spec", metavar="SPEC", help="TOML specification (e.g. sweeps/smoke.toml)")
    q.add_argument("--out", required=True, metavar="DIR", help="result store (created if needed)")
    q.add_argument("--scheduler", metavar="ADDR", default=None, help="tcp://HOST:PORT of a running Dask scheduler")
    q.add_argument("--workers", type=int, metavar="N", default=None, help="local worker processes (default: cores)")
    q.add_argument("--batch", type=int, metavar="N", default=None, help="tasks in flight (default: 4 per worker)")
    q.add_argument("--retries", type=int, metavar="N", default=2, help="reschedules after a worker died (default 2)")
    q.add_argument("--retry-failed", action="store_true", help="also rerun the error and failed rows")
    q.add_argument("--stall-timeout", type=float, metavar="SECONDS", default=3600.0,
                   help="give up (exit 1) when no task finishes for this long (default 3600)")
    q.add_argument("--dry-run", action="store_true", help="resolve the spec and count the tasks; run nothing")
    q.add_argument("--no-progress", action="store_true", help="no progress bar")
    r = sub.add_parser("sweep-report", help="report.md and figures of a sweep store")
    r.add_argument("store", metavar="DIR")
    t = sub.add_parser("run-task", help="rerun one task of a sweep store in this process")
    t.add_argument("store", metavar="DIR")
    t.add_argument("key", metavar="KEY")


def _count(name: str, v: int | None, lo: int) -> None:
    if v is not None and not lo <= v <= 100_000:
        raise ParameterError(f"--{name} must be in {lo}..100000, got {v}")


def run_cli_command(args: argparse.Namespace) -> int:
    """Run one of :data:`CLI_COMMANDS`; returns the exit status (0), raises ParameterError for bad input."""
    if args.command == "sweep-report":
        path = write_report(args.store)
        print(f"wrote {path} and the figures")
        return 0
    if args.command == "run-task":
        return _run_task(Path(args.store), args.key)
    _count("workers", args.workers, 1)
    _count("batch", args.batch, 1)
    _count("retries", args.retries, 0)
    spec = load_spec(args.spec)
    if args.dry_run:
        print(f"{spec.name}: {len(spec.groups)} groups x {len(spec.architectures)} architectures x "
              f"{len(spec.depths)} depths x {len(spec.data)} data x {len(spec.N)} N x {len(spec.seeds)} seeds")
        done = count_done(spec, args.out) if (Path(args.out) / "rows").is_dir() else 0
        print(f"{spec.n_tasks} tasks ({done} done)")
        return 0
    if args.scheduler is not None and not args.scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        raise ParameterError(f"--scheduler {clip(repr(args.scheduler))} is not an address like tcp://HOST:PORT")
    s = run_sweep(spec, args.out, scheduler=args.scheduler, workers=args.workers, batch=args.batch,
                  retries=args.retries, progress=not args.no_progress, retry_failed=args.retry_failed,
                  stall_timeout=args.stall_timeout)
    print(f"{s.total} tasks: {s.skipped} already done, {s.ok} finished, {s.errors} errors, {s.failed} failed; "
          f"{s.seconds_run:.1f} s; store {args.out}")
    return 0


def _run_task(store: Path, key: str) -> int:
    old = read_row(store, key)
    if old is None or any(old.get(p) is None for p in PARAMS):
        raise OutputError(f"row {clip(repr(key))} lacks its parameters")
    new = run_task({p: old[p] for p in PARAMS}, key)
    print(json.dumps({p: old[p] for p in PARAMS}, sort_keys=True))
    for col in RESULTS:
        if col in ("worker", "finished") or col.startswith("seconds"):
            continue
        a, b = old.get(col), new.get(col)
        same = a == b or (isinstance(a, float) and isinstance(b, float) and
                          (math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))))
        print(f"{col:16s} stored {a!s:<24.24} now {b!s:<24.24}{'' if same else '  (differs)'}")
    return 0
