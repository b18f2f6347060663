"""``import training`` stays light: the heavy optional dependencies load only where they are used
(cvxpy in the convex solver, matplotlib in the plotting functions, scikit-learn in data loading)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("cvxpy", "matplotlib", "sklearn")


def _loaded(statement: str) -> list[str]:
    code = f"import sys; {statement}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    return out.stdout.split()


@pytest.mark.parametrize(
    "statement",
    ["import training", "import training.bias, training.metrics", "import training.experiments"],
)
def test_import_does_not_load_cvxpy_matplotlib_or_sklearn(statement):
    assert _loaded(statement) == []
