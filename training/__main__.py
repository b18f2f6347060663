"""Command line of the experiments: ``python -m training run NAME`` and ``python -m training reproduce``.

Usage::

    python -m training list
    python -m training run NAME [--quick] [--out DIR] [--mnist PATH] [--no-progress]
    python -m training reproduce [--quick] [--out DIR] [--mnist PATH] [--no-progress]

``run`` writes ``DIR/NAME.png``, ``DIR/metrics.json`` and ``DIR/report.md``; ``reproduce`` runs every
experiment of :data:`training.experiments.EXPERIMENTS` and writes one PNG each, ``metrics.json`` and
``report.md`` (default ``DIR = results``). ``--quick`` uses the small configurations (the whole quick
reproduction takes a few minutes on 2 cores), the default the full ones (the seeds' sizes or larger).
``--mnist PATH`` runs the digits experiment on MNIST (a directory with the IDX training files).
Bad arguments (or a malformed MNIST directory) exit with status 2 and one line on stderr; a
training failure exits with status 1. Tests set the environment variable
``GROUPTOOLS_EXPERIMENTS_TINY=1`` (or pass the hidden flag ``--tiny``) for tiny configurations.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from ._errors import ParameterError, TrainingError
from .experiments import EXPERIMENTS, TINY_ENV, reproduce, run_experiment


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (``python -m training: error: ...``) and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"python -m training: error: {message}\n")
        raise SystemExit(2)


def _parser() -> _Parser:
    p = _Parser(prog="python -m training", description="Run the implicit-bias experiments of the seeds.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("list", help="list the experiments")
    for name, helptext in (("run", "run one experiment"), ("reproduce", "run every experiment")):
        q = sub.add_parser(name, help=helptext)
        if name == "run":
            q.add_argument("name", choices=EXPERIMENTS, metavar="NAME", help="one of: " + ", ".join(EXPERIMENTS))
        q.add_argument("--quick", action="store_true", help="small configurations (minutes)")
        q.add_argument("--out", default="results", metavar="DIR", help="output directory (default: results)")
        q.add_argument("--mnist", metavar="PATH", default=None,
                       help="directory with MNIST IDX training files (digits experiment on MNIST)")
        q.add_argument("--no-progress", action="store_true", help="no progress bars")
        q.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 success, 1 runtime failure, 2 bad arguments)."""
    args = _parser().parse_args(argv)
    if args.command == "list":
        print("\n".join(EXPERIMENTS))
        return 0
    tiny = bool(args.tiny) or os.environ.get(TINY_ENV, "") == "1"
    if args.mnist is not None and not Path(args.mnist).is_dir():
        sys.stderr.write(f"python -m training: error: --mnist {args.mnist!r} is not a directory\n")
        return 2
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        sys.stderr.write(f"python -m training: error: --out {args.out!r} exists and is not a directory\n")
        return 2
    progress = not args.no_progress
    try:
        if args.command == "run":
            run_experiment(args.name, out, quick=args.quick, tiny=tiny, mnist=args.mnist, progress=progress)
        else:
            reproduce(out, quick=args.quick, tiny=tiny, mnist=args.mnist, progress=progress)
    except ParameterError as exc:  # e.g. a malformed MNIST directory
        sys.stderr.write(f"python -m training: error: {exc}\n")
        return 2
    except TrainingError as exc:
        sys.stderr.write(f"python -m training: {type(exc).__name__}: {exc}\n")
        return 1
    print(f"wrote {out / 'report.md'}, {out / 'metrics.json'} and the figures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
