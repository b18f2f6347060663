"""Sweep specifications: a TOML grid, checked and resolved into tasks with stable keys.

A specification is a TOML file with one ``[sweep]`` table::

    [sweep]
    name = "smoke"
    groups = ["dihedral(4)", "C6", "<a, b | a^4, b^2, (a*b)^2>"]   # catalogue expressions, presentations
    families = ["catalogue(max_order=8)"]                          # and/or named families ("seeds")
    architectures = ["G-CNN", "CNN", "FC"]                         # or "diagonal"
    depths = [2, 3]
    data = ["gaussian", "sparse", "teacher"]
    N = [4]
    seeds = [0, 1]
    steps = 300            # gradient-descent budget of every training
    polish = true
    lr = 0.1               # optional: lr, init_scale, starts, fc_width, polish_max_iter

Every group is built (:func:`grouptools.group`) when the specification is loaded, so an unknown group,
architecture, data kind or key is refused before anything runs (:class:`~training._errors.ParameterError`,
one line). Groups are identified by their expression as written; two expressions of the same group
(``C6`` and ``cyclic(6)``) are two grid points.

The grid is enumerated lazily, seeds outermost (a partial run covers every group at the first seeds),
and a task's key is the first 16 hex digits of the SHA-256 of its resolved parameters and the toolkit
version (:func:`task_key`), so reruns and extended grids find the finished tasks again.

Examples
--------
>>> spec = parse_spec({"sweep": {"groups": ["C4"], "architectures": ["FC"], "depths": [2],
...                    "data": ["gaussian"], "N": [2], "seeds": [0, 1], "steps": 10}})
>>> spec.n_tasks, [t["seed"] for t in spec.tasks()]
(2, [0, 1])
>>> len(task_key(next(spec.tasks())))
16
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import grouptools as gt

from .._checks import clip
from .._errors import ParameterError
from ._family import family

__all__ = ["ARCHITECTURES", "BUILTIN", "DATA_KINDS", "MAX_TASKS", "SweepSpec", "builtin_spec_path", "load_spec",
           "parse_spec", "task_key", "toolkit_version"]

ARCHITECTURES = ("G-CNN", "CNN", "FC", "diagonal")
"""Architectures a sweep can train (:func:`training.experiments.make_model`)."""

DATA_KINDS = ("gaussian", "sparse", "teacher")
"""Data kinds (:func:`training.sweeps.make_data`)."""

MAX_TASKS = 1_000_000
"""Largest grid a specification may name."""
MAX_LIST = 10_000
"""Longest list of a specification (groups, seeds, ...)."""
MAX_ORDER = 1024
"""Largest group order of a sweep (the FC network has ``|G|^2`` parameters per layer)."""
MAX_STEPS = 10_000_000

_LISTS = ("groups", "families", "architectures", "depths", "data", "N", "seeds")
_SCALARS = {"name": str, "steps": int, "polish": bool, "lr": float, "init_scale": float, "starts": int,
            "fc_width": int, "polish_max_iter": int}
_DEFAULTS = {"name": "sweep", "polish": True, "lr": 0.1, "init_scale": 0.5, "starts": 2, "fc_width": 0,
             "polish_max_iter": 100, "families": [], "groups": []}


def toolkit_version() -> str:
    """The installed version of the toolkit (part of every task key)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("grouptools")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def task_key(params: dict) -> str:
    """Stable key of a task: SHA-256 of its parameters (sorted JSON) and the toolkit version, 16 hex digits."""
    text = json.dumps({"params": params, "version": toolkit_version()}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class SweepSpec:
    """A checked sweep specification (:func:`parse_spec`).

    Attributes
    ----------
    name : str
    groups : tuple of str
        The group expressions, families expanded, duplicates removed (first occurrence kept).
    orders : dict
        Order of every group.
    architectures, depths, data, N, seeds : tuple
        The grid axes.
    train : dict
        ``steps, polish, lr, init_scale, starts, fc_width, polish_max_iter`` (``fc_width = 0``: ``|G|``).
    """

    name: str
    groups: tuple[str, ...]
    orders: dict = field(compare=False)
    architectures: tuple[str, ...]
    depths: tuple[int, ...]
    data: tuple[str, ...]
    N: tuple[int, ...]
    seeds: tuple[int, ...]
    train: dict = field(compare=False)

    @property
    def n_tasks(self) -> int:
        """Number of grid points."""
        return (len(self.groups) * len(self.architectures) * len(self.depths) * len(self.data) * len(self.N)
                * len(self.seeds))

    def tasks(self) -> Iterator[dict]:
        """The tasks' parameters, one dict per grid point (lazily; seeds outermost, then groups)."""
        for seed, g, data, n, depth, arch in itertools.product(self.seeds, self.groups, self.data, self.N,
                                                               self.depths, self.architectures):
            yield {"group": g, "order": self.orders[g], "architecture": arch, "depth": depth, "data": data,
                   "N": n, "seed": seed, **self.train}

    def resolved(self) -> dict:
        """JSON-ready resolved specification (written next to the results)."""
        return {"name": self.name, "groups": list(self.groups), "architectures": list(self.architectures),
                "depths": list(self.depths), "data": list(self.data), "N": list(self.N),
                "seeds": list(self.seeds), "train": dict(self.train), "n_tasks": self.n_tasks,
                "version": toolkit_version()}


def _list(table: dict, key: str, kind: type) -> list:
    v = table.get(key, _DEFAULTS.get(key))
    if v is None:
        raise ParameterError(f"the [sweep] table needs {key!r}")
    if not isinstance(v, list):
        v = [v]
    if len(v) > MAX_LIST:
        raise ParameterError(f"{key}: at most {MAX_LIST} entries, got {len(v)}")
    for x in v:
        if not isinstance(x, kind) or isinstance(x, bool):
            raise ParameterError(f"{key}: expected {kind.__name__} entries, got {clip(repr(x))}")
    return v


def _int_list(table: dict, key: str, lo: int, hi: int) -> tuple[int, ...]:
    v = _list(table, key, int)
    for x in v:
        if not lo <= x <= hi:
            raise ParameterError(f"{key}: entries must be in {lo}..{hi}, got {x}")
    return tuple(dict.fromkeys(v))


def _choice_list(table: dict, key: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    v = _list(table, key, str)
    for x in v:
        if x not in choices:
            raise ParameterError(f"unknown {key[:-1] if key.endswith('s') else key} {clip(repr(x))}; "
                                 f"choose from {', '.join(choices)}")
    return tuple(dict.fromkeys(v))


def _scalars(table: dict) -> dict:
    out = {}
    for key, kind in _SCALARS.items():
        v = table.get(key, _DEFAULTS.get(key))
        if v is None:
            raise ParameterError(f"the [sweep] table needs {key!r}")
        if kind is float and isinstance(v, int) and not isinstance(v, bool):
            v = float(v)
        if not isinstance(v, kind) or (kind is not bool and isinstance(v, bool)):
            raise ParameterError(f"{key}: expected {kind.__name__}, got {clip(repr(v))}")
        out[key] = v
    if not 1 <= out["steps"] <= MAX_STEPS:
        raise ParameterError(f"steps must be in 1..{MAX_STEPS}, got {out['steps']}")
    for key in ("lr", "init_scale"):
        if not 0 < out[key] < 1e6:
            raise ParameterError(f"{key} must be in (0, 1e6), got {out[key]}")
    for key, lo, hi in (("starts", 1, 100), ("fc_width", 0, 4096), ("polish_max_iter", 1, 100_000)):
        if not lo <= out[key] <= hi:
            raise ParameterError(f"{key} must be in {lo}..{hi}, got {out[key]}")
    return out


def _groups(table: dict) -> tuple[tuple[str, ...], dict]:
    exprs = [" ".join(g.split()) for g in _list(table, "groups", str)]
    for name in _list(table, "families", str):
        exprs += family(name)
    exprs = list(dict.fromkeys(exprs))
    if not exprs:
        raise ParameterError("the sweep names no group (groups = [...] or families = [...])")
    orders = {}
    for g in exprs:
        try:
            G = gt.group(g, max_order=MAX_ORDER, max_cosets=8 * MAX_ORDER, time_budget=10.0)
        except gt.GroupToolsError as exc:
            raise ParameterError(f"group {clip(repr(g), 40)}: {type(exc).__name__}: {clip(exc, 120)}") from None
        if G.order < 2:
            raise ParameterError(f"group {clip(repr(g), 40)} is trivial")
        orders[g] = int(G.order)
    return tuple(exprs), orders


def parse_spec(doc: dict) -> SweepSpec:
    """Check a parsed TOML document and resolve it (module docstring).

    Raises
    ------
    ParameterError
        Unknown keys, groups, families, architectures or data kinds; values of the wrong type or out of
        range; a grid of more than :data:`MAX_TASKS` points.
    """
    if not isinstance(doc, dict) or set(doc) != {"sweep"} or not isinstance(doc["sweep"], dict):
        raise ParameterError("a sweep specification has exactly one table, [sweep]")
    table = doc["sweep"]
    unknown = sorted(set(table) - set(_LISTS) - set(_SCALARS))
    if unknown:
        raise ParameterError(f"unknown key {clip(repr(unknown[0]))} in [sweep]; known: "
                             f"{', '.join(sorted(set(_LISTS) | set(_SCALARS)))}")
    archs = _choice_list(table, "architectures", ARCHITECTURES)
    data = _choice_list(table, "data", DATA_KINDS)
    depths = _int_list(table, "depths", 1, 8)
    Ns = _int_list(table, "N", 1, 10_000)
    seeds = _int_list(table, "seeds", 0, 2**31 - 1)
    train = _scalars(table)
    groups, orders = _groups(table)
    spec = SweepSpec(train.pop("name"), groups, orders, archs, depths, data, Ns, seeds, train)
    if not 1 <= spec.n_tasks <= MAX_TASKS:
        raise ParameterError(f"the grid has {spec.n_tasks} points; at most {MAX_TASKS}")
    return spec


BUILTIN = ("smoke", "theorems")
"""Built-in specifications, shipped with the package (``training/sweeps/specs/NAME.toml``, the same
files as ``sweeps/NAME.toml`` of the repository): ``load_spec("smoke")`` finds them by name."""


def builtin_spec_path(name: str) -> Path:
    """The packaged file of a built-in specification (:data:`BUILTIN`)."""
    return Path(__file__).resolve().parent / "specs" / f"{name}.toml"


def load_spec(path: str | os.PathLike) -> SweepSpec:
    """Read and resolve a TOML specification (:func:`parse_spec`); a built-in name (:data:`BUILTIN`)
    that is not an existing file loads the packaged specification.

    Raises
    ------
    ParameterError
        The file cannot be read, is not TOML (or larger than 1 MB), or is not a valid specification.
    """
    p = Path(path)
    if str(path) in BUILTIN and not p.exists():
        p = builtin_spec_path(str(path))
    quoted = clip(repr(str(path)))
    try:
        if p.stat().st_size > 1_000_000:
            raise ParameterError(f"spec {quoted} is larger than 1 MB")
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParameterError(f"cannot read spec {quoted}: {exc.strerror or type(exc).__name__}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ParameterError(f"spec {quoted} is not valid TOML: {clip(exc, 60)}") from None
    return parse_spec(doc)
