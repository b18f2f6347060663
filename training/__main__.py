"""Command line of the experiments: ``python -m training run NAME`` and ``python -m training reproduce``.

Usage::

    python -m training list
    python -m training run NAME [--quick] [--out DIR] [--mnist PATH] [--n-per-class N] [--no-progress]
    python -m training reproduce [--quick] [--out DIR] [--mnist PATH] [--n-per-class N] [--no-progress]
    python -m training sweep SPEC --out DIR [--scheduler ADDR] [--workers N] [--dry-run] ...
    python -m training sweep-report DIR
    python -m training run-task DIR KEY

``run`` writes ``DIR/NAME.png``, merges the experiment into ``DIR/metrics.json`` (keeping the other
experiments' results) and regenerates ``DIR/report.md`` from it; ``reproduce`` runs every experiment
of :data:`training.experiments.EXPERIMENTS` the same way (default ``DIR = results``). Files are
written atomically. ``--quick`` uses the small configurations (the whole quick
reproduction takes a few minutes on 2 cores), the default the full ones (Lawrence et al.'s sizes or larger).
``--mnist PATH`` runs the digits experiment on MNIST (a directory with the IDX training files);
``--n-per-class N`` sets its number of images of each digit (default: 50 in the full mode, 20 in the
quick one; at most the number of ones and fives available, 182 in scikit-learn's digits; only
``digits_1_vs_5`` takes it).
Bad arguments (unknown experiment or option, a bad ``--n-per-class``, a malformed MNIST directory, an output directory that
cannot be written or holds a corrupt ``metrics.json``) exit with status 2 and one line on stderr,
quoting at most 80 characters of the input; a training failure exits with status 1, also with one
line. Progress bars are shown only when stderr is a terminal. Tests set the environment variable
``GROUPTOOLS_EXPERIMENTS_TINY=1`` (or pass the hidden flag ``--tiny``) for tiny configurations.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Sequence

from ._checks import clip
from ._errors import ParameterError, TrainingError
from .experiments import EXPERIMENTS, TINY_ENV, reproduce, run_experiment
from .sweeps import CLI_COMMANDS, add_cli_parsers, run_cli_command

PROG = "python -m training"


def _fail(message: str) -> int:
    """Write ``python -m training: error: message`` as one line on stderr; return the status 2."""
    sys.stderr.write(f"{PROG}: error: {' '.join(str(message).split())}\n")
    return 2


def _short(message: str) -> str:
    """An argparse message with the user's input cut to 80 characters (and no list of choices)."""
    m = re.match(r"argument NAME: invalid choice: (.*?) \(choose from", message, re.S)
    if m:
        return f"unknown experiment {clip(m.group(1))}: `{PROG} list` shows the names"
    m = re.match(r"(unrecognized arguments: )(.*)", message, re.S)
    if m:
        return m.group(1) + clip(m.group(2))
    m = re.match(r"(argument \S+: invalid choice: )(.*?)( \(choose from .*)", message, re.S)
    if m:
        return m.group(1) + clip(m.group(2)) + clip(m.group(3), 200)
    return re.sub(r"'([^']*)'", lambda q: repr(clip(q.group(1))), message)


def _positive_int(text: str) -> int:
    """argparse type of ``--n-per-class``: an integer >= 1 (else a one-line error, exit status 2)."""
    try:
        value = int(text, 10)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {clip(repr(text))}")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (``python -m training: error: ...``, no usage) and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise SystemExit(_fail(_short(message)))


def _parser() -> _Parser:
    p = _Parser(prog=PROG, description="Run the implicit-bias experiments of the papers.")
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
        q.add_argument("--n-per-class", type=_positive_int, default=None, metavar="N",
                       help="digits_1_vs_5: images of each digit (default 50 full, 20 quick)")
        q.add_argument("--no-progress", action="store_true", help="no progress bars")
        q.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)
    add_cli_parsers(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 success, 1 runtime failure, 2 bad arguments or output).

    Every failure it expects is one line on stderr (no traceback).
    """
    args = _parser().parse_args(argv)
    if args.command == "list":
        print("\n".join(EXPERIMENTS))
        return 0
    if args.command in CLI_COMMANDS:  # sweep, sweep-report, run-task (docs/sweeps.md)
        try:
            return run_cli_command(args)
        except ParameterError as exc:  # a bad spec or store, an unreachable scheduler, an unwritable --out
            return _fail(str(exc))
        except OSError as exc:
            return _fail(f"cannot write: {exc.strerror or type(exc).__name__}")
        except TrainingError as exc:  # SweepStalledError: no row for --stall-timeout seconds
            sys.stderr.write(f"{PROG}: {type(exc).__name__}: {' '.join(str(exc).split())}\n")
            return 1
        except KeyboardInterrupt:
            sys.stderr.write(f"{PROG}: interrupted (the rows written so far are complete: rerun to resume)\n")
            return 130
    tiny = bool(args.tiny) or os.environ.get(TINY_ENV, "") == "1"
    if args.mnist is not None and not Path(args.mnist).is_dir():
        return _fail(f"--mnist {clip(repr(args.mnist))} is not a directory")
    if args.n_per_class is not None and args.command == "run" and args.name != "digits_1_vs_5":
        return _fail(f"--n-per-class applies to digits_1_vs_5 only, not to {args.name}")
    out = Path(args.out)
    progress = not args.no_progress
    try:
        if args.command == "run":
            run_experiment(args.name, out, quick=args.quick, tiny=tiny, mnist=args.mnist, progress=progress,
                           n_per_class=args.n_per_class)
        else:
            reproduce(out, quick=args.quick, tiny=tiny, mnist=args.mnist, progress=progress,
                      n_per_class=args.n_per_class)
    except ParameterError as exc:  # a malformed MNIST directory, an unusable --out, a corrupt metrics.json
        return _fail(str(exc))
    except TrainingError as exc:
        sys.stderr.write(f"{PROG}: {type(exc).__name__}: {' '.join(str(exc).split())}\n")
        return 1
    except OSError as exc:  # e.g. the disk filled up or --out was removed while running
        where = f" {clip(repr(exc.filename))}" if exc.filename else ""
        return _fail(f"cannot write{where}: {exc.strerror or type(exc).__name__}")
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted (files written so far are complete)\n")
        return 130
    print(f"wrote {out / 'report.md'}, {out / 'metrics.json'} and the figures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
