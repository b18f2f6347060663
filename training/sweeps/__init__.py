"""Sweeps: the implicit-bias predictions checked over grids of groups, depths, data and seeds, on Dask.

``python -m training sweep SPEC --out DIR`` (see ``docs/sweeps.md``):

- :func:`load_spec` reads a TOML grid (:mod:`training.sweeps._spec`; families such as
  ``catalogue(max_order=64)``: :func:`family`) and checks it before anything runs;
- :func:`run_sweep` runs the tasks without a row on a :mod:`dask.distributed` cluster, in bounded
  batches, recording errors and worker deaths as rows;
- the store is a Parquet dataset, one atomically written file per task (:func:`read_rows`);
- :func:`run_task` is one task (the protocol of :mod:`training.experiments`), :func:`write_report`
  builds ``report.md`` and the figures with pandas.

Examples
--------
>>> spec = parse_spec({"sweep": {"groups": ["C3", "dihedral(3)"], "architectures": ["G-CNN", "FC"],
...                    "depths": [2], "data": ["gaussian"], "N": [2], "seeds": [0], "steps": 50}})
>>> spec.n_tasks, spec.orders
(4, {'C3': 3, 'dihedral(3)': 6})
"""

from ._cli import CLI_COMMANDS, add_cli_parsers, run_cli_command
from ._execute import SweepSummary, count_done, pending_tasks, run_sweep
from ._family import FAMILIES, catalogue_family, family
from ._report import markdown_table, summary_table, write_report
from ._spec import ARCHITECTURES, BUILTIN, DATA_KINDS, SweepSpec, builtin_spec_path, load_spec, parse_spec, task_key
from ._store import read_row, read_rows, write_row
from ._task import COLUMNS, error_row, make_data, run_task

__all__ = [
    "ARCHITECTURES",
    "BUILTIN",
    "CLI_COMMANDS",
    "COLUMNS",
    "DATA_KINDS",
    "FAMILIES",
    "SweepSpec",
    "SweepSummary",
    "add_cli_parsers",
    "builtin_spec_path",
    "catalogue_family",
    "count_done",
    "error_row",
    "family",
    "load_spec",
    "make_data",
    "markdown_table",
    "parse_spec",
    "pending_tasks",
    "read_row",
    "read_rows",
    "run_cli_command",
    "run_sweep",
    "run_task",
    "summary_table",
    "task_key",
    "write_report",
    "write_row",
]
