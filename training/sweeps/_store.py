"""The result store of a sweep: a Parquet dataset, one file per finished task, written atomically.

Layout of a store directory ``DIR``::

    DIR/sweep.json            the resolved specification of the last run (atomic)
    DIR/rows/<key>.parquet    one row per task (``training.sweeps.COLUMNS``)

A row is written to a hidden temporary file in ``DIR/rows`` (``.<key>.*.tmp``, ignored by Parquet
readers), flushed, synced and moved to ``<key>.parquet`` with :func:`os.replace`: a killed writer leaves
either no file or a complete one, never a truncated one, and writing a key twice leaves one file. A task
is finished when its file exists (:func:`is_done`), so the check costs one ``stat`` and the driver keeps
no list of finished keys in memory. Temporary files of killed writers are removed by a later run
(:func:`check_store`, after :data:`STALE_TMP` seconds).

Examples
--------
>>> import tempfile
>>> d = tempfile.mkdtemp()
>>> write_row(d, {"key": "abc", "status": "ok", "ratio_raw": 1.5})  # missing columns are null
>>> is_done(d, "abc"), is_done(d, "xyz")
(True, False)
>>> read_rows(d)[["key", "status", "ratio_raw"]].to_dict("records")
[{'key': 'abc', 'status': 'ok', 'ratio_raw': 1.5}]
"""

from __future__ import annotations

import itertools
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .._checks import clip
from .._errors import OutputError
from ..experiments import atomic_write, jsonable
from ._task import COLUMNS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["check_store", "is_done", "read_row", "read_rows", "row_path", "write_row", "write_spec"]

STALE_TMP = 3600.0
"""Temporary files older than this (seconds) are removed when a run opens the store (a writer killed
mid-write leaves one; a younger one may belong to a running writer)."""

_KEY = re.compile(r"^[0-9a-zA-Z_-]{1,64}$")

_INT = {"order", "depth", "N", "seed", "steps", "starts", "fc_width", "polish_max_iter", "n_params"}
_BOOL = {"polish", "convex", "certified", "met"}
_STR = {"key", "group", "architecture", "data", "status", "error", "prediction", "verdict", "worker"}


def schema():
    """The Arrow schema of a row: every file of a store has it, so the dataset reads as one table."""
    import pyarrow as pa

    def kind(c: str):
        return pa.int64() if c in _INT else pa.bool_() if c in _BOOL else pa.string() if c in _STR else pa.float64()

    return pa.schema([(c, kind(c)) for c in COLUMNS])


def row_path(out: str | os.PathLike, key: str) -> Path:
    """Where the row of ``key`` is stored."""
    if not _KEY.match(str(key)):
        raise OutputError(f"malformed task key {clip(repr(key))}")
    return Path(out) / "rows" / f"{key}.parquet"


def check_store(out: str | os.PathLike) -> Path:
    """Create ``out`` and ``out/rows`` if needed and check that files can be written there.

    Raises
    ------
    OutputError
        ``out`` is a file or cannot be written.
    """
    from ..experiments import check_out_dir

    out = check_out_dir(out)
    rows = out / "rows"
    if rows.exists() and not rows.is_dir():
        raise OutputError(f"{clip(repr(str(rows)))} exists and is not a directory")
    rows.mkdir(exist_ok=True)
    now = time.time()
    for tmp in itertools.islice(rows.glob(".*.tmp"), 100_000):  # left by a writer killed mid-write
        try:
            if now - tmp.stat().st_mtime > STALE_TMP:
                tmp.unlink()
        except OSError:
            pass
    return out


def is_done(out: str | os.PathLike, key: str) -> bool:
    """Whether the task ``key`` has a row in the store."""
    return row_path(out, key).exists()


def write_row(out: str | os.PathLike, row: dict) -> None:
    """Write one row as ``rows/<key>.parquet`` atomically (temporary file, fsync, :func:`os.replace`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = row_path(out, row["key"])
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist([{c: row.get(c) for c in COLUMNS}], schema=schema())
    atomic_write(path, lambda fh: pq.write_table(table, fh))


def write_spec(out: str | os.PathLike, resolved: dict) -> None:
    """Write the resolved specification as ``sweep.json`` (atomic)."""
    from ..experiments import atomic_write_text
    import json

    atomic_write_text(Path(out) / "sweep.json", json.dumps(jsonable(resolved), indent=1, sort_keys=True) + "\n")


def read_row(out: str | os.PathLike, key: str) -> dict:
    """The stored row of ``key``.

    Raises
    ------
    OutputError
        No row for ``key``.
    """
    import pyarrow.parquet as pq

    path = row_path(out, key)
    if not path.exists():
        raise OutputError(f"no task {clip(repr(key))} in {clip(repr(str(out)))}")
    return pq.read_table(path).to_pylist()[0]


def read_rows(out: str | os.PathLike) -> "pd.DataFrame":
    """Every row of the store as a pandas DataFrame (empty if there is none).

    Raises
    ------
    OutputError
        ``out`` has no ``rows`` directory (not a sweep store).
    """
    import pandas as pd
    import pyarrow.dataset as ds

    rows = Path(out) / "rows"
    if not rows.is_dir():
        raise OutputError(f"{clip(repr(str(out)))} is not a sweep store (no rows/ directory)")
    files = sorted(str(p) for p in rows.glob("*.parquet"))
    if not files:
        return pd.DataFrame()
    return ds.dataset(files, schema=schema(), format="parquet").to_table().to_pandas()
