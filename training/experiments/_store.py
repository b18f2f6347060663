"""Results on disk: atomic writes, the output directory check and the merged ``metrics.json``.

Every file of a results directory is written to a temporary file in the same directory and moved into
place with :func:`os.replace`, so an interrupted or failed write leaves the previous version intact
(never a truncated JSON file). ``metrics.json`` accumulates experiments: running one experiment
replaces its own entry and keeps every other one (:func:`merge_metrics`); a corrupt existing file is an
:class:`~training._errors.OutputError`, never overwritten silently.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = merge_metrics(d / "metrics.json", {"a": {"elapsed": 1.0}}, mode="tiny")
>>> m = merge_metrics(d / "metrics.json", {"b": {"elapsed": 2.0}}, mode="tiny")
>>> sorted(m["experiments"]), m["mode"], m["elapsed"]
(['a', 'b'], 'tiny', 3.0)
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import IO, Any, Callable, Mapping, Sequence

import numpy as np

from .._checks import clip
from .._errors import OutputError

__all__ = [
    "atomic_write",
    "atomic_write_text",
    "check_out_dir",
    "jsonable",
    "merge_metrics",
    "read_metrics",
    "write_json",
]


def jsonable(obj: Any) -> Any:
    """Convert numpy arrays/scalars, dataclasses and tuples to JSON types; NaN and inf become None.

    Examples
    --------
    >>> jsonable({"a": np.array([1.0, np.nan]), "b": (np.int64(2),)})
    {'a': [1.0, None], 'b': [2]}
    """
    if is_dataclass(obj) and not isinstance(obj, type):
        return jsonable(asdict(obj))
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    if obj is None or isinstance(obj, str):
        return obj
    return str(obj)


def atomic_write(path: str | os.PathLike, writer: Callable[[IO[bytes]], None]) -> None:
    """Call ``writer(file)`` on a temporary file next to ``path``, then move it to ``path`` (:func:`os.replace`).

    If ``writer`` raises, the temporary file is removed and ``path`` keeps its previous content.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            writer(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (:func:`atomic_write`)."""
    atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))


def write_json(obj: Any, path: str | os.PathLike) -> None:
    """Write :func:`jsonable` ``obj`` to ``path`` atomically (sorted keys, strict JSON, streamed)."""
    data = jsonable(obj)

    def writer(fh: IO[bytes]) -> None:
        import io

        text = io.TextIOWrapper(fh, encoding="utf-8", newline="\n")
        json.dump(data, text, indent=1, sort_keys=True, allow_nan=False)
        text.write("\n")
        text.flush()
        text.detach()

    atomic_write(path, writer)


def check_out_dir(out: str | os.PathLike) -> Path:
    """Create the output directory if needed and check that files can be written in it and that an
    existing ``metrics.json`` is readable (before any experiment runs).

    Raises
    ------
    OutputError
        ``out`` is not a directory, cannot be created or written, or holds a corrupt ``metrics.json``.
    """
    out = Path(out)
    quoted = clip(repr(str(out)))
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {quoted} exists and is not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write to --out {quoted}: {exc.strerror or type(exc).__name__}") from None
    read_metrics(out / "metrics.json")
    return out


def read_metrics(path: str | os.PathLike) -> dict | None:
    """The content of an existing ``metrics.json`` (``None`` if there is none).

    Raises
    ------
    OutputError
        The file is not valid JSON or not a results file (``{"experiments": {...}, ...}``).
    """
    path = Path(path)
    if not path.exists():
        return None
    quoted = clip(repr(str(path)))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        why = f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        raise OutputError(f"{quoted} is not valid JSON ({why}): move it away or choose another --out") from None
    if not isinstance(data, dict) or not isinstance(data.get("experiments"), dict):
        raise OutputError(f"{quoted} is not a metrics file (no 'experiments' object): move it away or choose "
                          "another --out")
    return data


def merge_metrics(path: str | os.PathLike, results: Mapping[str, Any], *, mode: str,
                  order: Sequence[str] = ()) -> dict:
    """Merge ``results`` (``{name: metrics}``) into the ``metrics.json`` at ``path`` and write it back.

    Each new entry gets ``"mode": mode``; entries of other experiments are kept as they are. The
    top-level ``"mode"`` is the common mode of all entries (``"mixed (quick, tiny)"`` otherwise) and
    ``"elapsed"`` the sum of their times. Experiments are listed in ``order``, then the others.

    Returns
    -------
    dict
        The merged content that was written.

    Raises
    ------
    OutputError
        The existing file is corrupt (it is left untouched).
    """
    old = read_metrics(path)
    experiments = dict(old["experiments"]) if old else {}
    old_mode = old.get("mode") if old else None
    for name, m in experiments.items():  # files written before entries carried their mode
        if isinstance(m, dict) and "mode" not in m and isinstance(old_mode, str):
            m["mode"] = old_mode
    for name, m in results.items():
        experiments[name] = {**jsonable(m), "mode": mode}
    ranked = [n for n in order if n in experiments] + [n for n in experiments if n not in order]
    experiments = {n: experiments[n] for n in ranked}
    modes = sorted({str(m.get("mode")) for m in experiments.values() if isinstance(m, dict) and m.get("mode")})
    elapsed = sum(float(m.get("elapsed") or 0.0) for m in experiments.values() if isinstance(m, dict))
    merged = {"mode": modes[0] if len(modes) == 1 else f"mixed ({', '.join(modes)})", "elapsed": elapsed,
              "experiments": experiments}
    write_json(merged, path)
    return merged
