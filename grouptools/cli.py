"""The ``grouptools`` command line.

Subcommands: ``info``, ``chartable``, ``irreps``, ``demo``; ``grouptools --version``. Bad input
(a malformed specification, a group beyond the limits, a bad flag value) exits with code 2 and a
single line on stderr, never a traceback; the line quotes at most 80 characters of the input.

The limit flags ``--max-order``, ``--max-cosets`` and ``--time-budget`` apply to presentations
(coset enumeration) and to catalogue expressions alike: a catalogue group larger than
``--max-order`` (its order is known by formula) is refused before it is built.

Examples
--------
>>> from grouptools.cli import main
>>> main(["info", "dihedral(4)"])
group: D8
order: 8
exponent: 4
classes: 5
class sizes: 1 1 2 2 2
abelian: no
solvable: yes
0
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from typing import TYPE_CHECKING, Any, Sequence

from ._errors import GroupToolsError, quote

if TYPE_CHECKING:  # pragma: no cover
    from .groups import FiniteGroup

__all__ = ["group_info", "main", "version"]

#: Safety bound on the length of the error line (messages are bounded at their source already).
_MAX_LINE = 400
_LONG_QUOTE = re.compile(r"'([^'\n]{81,})'")


def version() -> str:
    """The installed version of grouptools (from the package metadata)."""
    from importlib import metadata

    try:
        return metadata.version("grouptools")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        from . import __version__

        return __version__


def _error_line(message: str) -> str:
    """``grouptools: error: <message>`` on one bounded line (a safety net: grouptools' own
    messages are bounded where they are raised)."""
    message = " ".join(message.split("\n")).replace("\r", " ")
    line = f"grouptools: error: {message}"
    return line if len(line) <= _MAX_LINE else line[: _MAX_LINE - 3] + "..."


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit code 2
        # argparse quotes offending values in full: cut long ones to QUOTE_LIMIT characters
        message = _LONG_QUOTE.sub(lambda m: quote(m.group(1)), message)
        self.exit(2, _error_line(message) + "\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {quote(text)}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {quote(text)}") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {quote(text)}")
    return value


def group_info(G: FiniteGroup) -> dict[str, Any]:
    """Summary of a group as a JSON-serializable dict (what ``grouptools info`` prints)."""
    classes = G.conjugacy_classes()
    return {
        "name": G.name,
        "order": G.order,
        "generators": list(G.generator_names),
        "exponent": G.exponent,
        "classes": len(classes),
        "class_sizes": classes.sizes.tolist(),
        "class_orders": classes.orders.tolist(),
        "abelian": G.is_abelian,
        "solvable": G.is_solvable,
    }


def _limits(args: argparse.Namespace) -> dict[str, Any]:
    return {"max_order": args.max_order, "max_cosets": args.max_cosets,
            "time_budget": args.time_budget}


def _build(args: argparse.Namespace) -> Any:
    from .groups._spec import group

    return group(args.spec, **_limits(args))


def _cmd_info(args: argparse.Namespace) -> None:
    G = _build(args)
    info = group_info(G)
    if args.format == "json":
        print(json.dumps(info))
        return
    yn = {True: "yes", False: "no"}
    print(f"group: {info['name']}")
    print(f"order: {info['order']}")
    print(f"exponent: {info['exponent']}")
    print(f"classes: {info['classes']}")
    sizes = info["class_sizes"]
    shown = " ".join(map(str, sizes[:64])) + (" ..." if len(sizes) > 64 else "")
    print(f"class sizes: {shown}")
    print(f"abelian: {yn[info['abelian']]}")
    print(f"solvable: {yn[info['solvable']]}")


def _cmd_chartable(args: argparse.Namespace) -> None:
    from .reps._api import character_table

    G = _build(args)
    table = character_table(G)
    if args.format == "json":
        print(json.dumps(table.to_json()))
    else:
        print(table.display())


def _cmd_irreps(args: argparse.Namespace) -> None:
    from .reps._export import format_irreps, irreps_to_json

    G = _build(args)
    if args.format == "json":
        print(json.dumps(irreps_to_json(G)))
    else:
        print(format_irreps(G))


_DEMO = [
    "cyclic(12)",
    "dihedral(4)",
    "dihedral(order=60)",
    "quaternion(8)",
    "C10 x C10 x C2",
    "SmallGroup(200,44)",
    "symmetric(5)",
    "<a, b | a^2, b^3, (a*b)^5>",
    "torus_p4m(28)",
]


def _cmd_demo(args: argparse.Namespace) -> None:
    from .groups._spec import group

    print(f"{'group':<34} {'order':>6} {'exp':>4} {'classes':>7}  abelian solvable")
    for spec in _DEMO:
        G = group(spec)
        info = group_info(G)
        print(
            f"{spec:<34} {info['order']:>6} {info['exponent']:>4} {info['classes']:>7}  "
            f"{'yes' if info['abelian'] else 'no':<7} {'yes' if info['solvable'] else 'no'}"
        )


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="grouptools", description="Finite groups, character tables and irreps.")
    parser.add_argument("--version", action="version", version=f"grouptools {version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    spec_help = "a presentation '<a,b | a^4, b^2, (a*b)^2>' or a catalogue expression 'dihedral(4) x cyclic(3)'"
    for name, fn, helptext in [
        ("info", _cmd_info, "order, exponent, classes, abelian, solvable"),
        ("chartable", _cmd_chartable, "the exact character table"),
        ("irreps", _cmd_irreps, "exact and unitary irreducible representations"),
    ]:
        p = sub.add_parser(name, help=helptext)
        p.add_argument("spec", help=spec_help)
        p.add_argument("--format", choices=("text", "json"), default="text")
        p.add_argument("--max-order", type=_positive_int, default=1_000_000,
                       help="refuse groups of larger order (default 10^6)")
        p.add_argument("--max-cosets", type=_positive_int, default=4_000_000,
                       help="largest coset table of an enumeration (default 4*10^6)")
        p.add_argument("--time-budget", type=_positive_float, default=20.0,
                       help="seconds allowed to build the group (default 20)")
        p.set_defaults(func=fn)
    p = sub.add_parser("demo", help="build a few catalogue groups and print their structure")
    p.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 success, 2 bad input)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2), --help and --version (0)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        args.func(args)
    except GroupToolsError as exc:
        print(_error_line(str(exc)), file=sys.stderr)
        return 2
    except (MemoryError, RecursionError) as exc:
        print(f"grouptools: error: out of resources ({type(exc).__name__})", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. head
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("grouptools: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
