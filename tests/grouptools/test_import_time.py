"""Start-up stays light (issue "redesign", point 7; ``benchmarks/bench_startup.py`` times it):
``import grouptools`` loads no heavy optional module, and a small question answered end to end
(the irreps of a small group, as on the command line) imports neither numba nor scipy.sparse:
small coset enumerations and group tables run the kernels' plain Python variants, small graphs
and class-product tables avoid scipy.sparse."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import grouptools as gt

HEAVY = ("numba", "scipy.sparse", "scipy.fft", "scipy.linalg", "scipy.special", "sympy", "networkx")


def _loaded(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300, check=True)
    return out.stdout.split()


def test_import_grouptools_is_light():
    assert _loaded("import grouptools") == []


def test_package_face_still_complete():
    assert _loaded("from grouptools import *\nimport grouptools as gt\ngt.fourier.transform, gt.uncertainty") == []


def test_small_cli_question_loads_no_numba_or_sparse():
    code = (
        "import contextlib, io\n"
        "from grouptools.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['irreps', '<a|a^17>', '--format', 'json']) == 0\n"
    )
    assert not {"numba", "scipy.sparse"} & set(_loaded(code))


@pytest.mark.parametrize("spec", ["<a|a^17>", "<a, b | a^2, b^3, (a*b)^5>", "<a, b | a^8, b^2, (a*b)^2>"])
def test_plain_and_compiled_paths_agree(spec, monkeypatch):
    """The size thresholds only pick which variant runs: forcing the compiled kernels, the scipy
    graph search and the sparse class products gives identical groups and character tables."""
    import grouptools._kernels._function as function
    import grouptools.groups._arrays as arrays
    import grouptools.reps._dixon as dixon
    from grouptools.presentations import parse_presentation
    from grouptools.presentations._coset import _enumerate

    limits = dict(max_cosets=10**5, max_order=10**5, time_budget=60.0)
    pres = parse_presentation(spec)
    monkeypatch.setattr(function, "PLAIN_BUDGET", 1 << 62)  # however much ran in this process
    small = gt.group(spec)
    small_tables = (small.cayley_table, small.class_index, small.character_table().to_json())
    plain = _enumerate(pres, (), **limits)
    monkeypatch.setattr(function, "PLAIN_BUDGET", 0)
    monkeypatch.setattr(arrays, "SMALL_GRAPH", -1)
    monkeypatch.setattr(dixon, "DENSE_CLASSES", 0)
    big = gt.group(spec)
    assert np.array_equal(small_tables[0], big.cayley_table)
    assert np.array_equal(small_tables[1], big.class_index)
    assert small_tables[2] == big.character_table().to_json()
    assert np.array_equal(plain, _enumerate(pres, (), python=False, **limits))
    assert np.array_equal(plain, _enumerate(pres, (), python=True, **limits))


def test_coset_enumeration_switches_to_compiled_kernels_midway(monkeypatch):
    """An enumeration larger than the plain-Python allowance moves to the compiled kernels on the
    same table and ends with the same standardized table."""
    import grouptools._kernels._function as function
    import grouptools.presentations._coset as coset
    from grouptools.presentations import parse_presentation

    pres = parse_presentation("<a, b | a^2, b^3, (a*b)^7, (a*b*a*b^-1)^4>")  # PSL(2, 7)
    limits = dict(max_cosets=10**5, max_order=10**5, time_budget=60.0)
    reference = coset._enumerate(pres, (), python=False, **limits)
    monkeypatch.setattr(function, "PLAIN_BUDGET", 1 << 62)
    monkeypatch.setattr(coset, "_PYTHON_CALLS", 2)
    monkeypatch.setattr(coset, "_WORK_PYTHON", 64)
    assert np.array_equal(coset._enumerate(pres, (), **limits), reference)
    assert reference.shape == (2, 168)


def test_for_work_picks_plain_variant_within_budget(monkeypatch):
    import grouptools._kernels._function as function
    from grouptools._kernels.group import tree_apply

    monkeypatch.setattr(function, "PLAIN_BUDGET", 1 << 62)
    monkeypatch.setattr(function, "COLD_WORK", function.SMALL_WORK)
    assert tree_apply.for_work(100) is tree_apply.py
    assert tree_apply.for_work(function.SMALL_WORK + 1) is tree_apply.compiled
    monkeypatch.setattr(function, "PLAIN_BUDGET", 0)  # the allowance is spent: compiled from now on
    assert tree_apply.for_work(100) is tree_apply.compiled


def test_choose_plain_allows_larger_calls_before_numba_is_loaded(monkeypatch):
    import sys

    import grouptools._kernels._function as function

    monkeypatch.setattr(function, "PLAIN_BUDGET", 1 << 62)
    monkeypatch.setitem(sys.modules, "numba", sys.modules.get("numba", object()))
    assert not function.choose_plain(function.SMALL_WORK + 1)  # numba loaded: compile
    monkeypatch.delitem(sys.modules, "numba")
    assert function.choose_plain(function.SMALL_WORK + 1)  # cold: plain up to COLD_WORK
    assert not function.choose_plain(function.COLD_WORK + 1)
