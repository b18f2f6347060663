"""The package's layering, checked on its source: imports point down, no cycles, no reads of
another module's underscore attributes, modules of a bounded size.

The layers are documented in ``docs/design.md``; this test is their executable form.
"""

from __future__ import annotations

import ast
import pathlib

import networkx as nx
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

#: Layers, bottom (0) to top. A module belongs to the longest matching prefix.
LAYERS: dict[str, int] = {
    "grouptools._errors": 0,
    "grouptools.typing": 0,
    "grouptools._kernels": 0,
    "grouptools.arith": 1,
    "grouptools.presentations": 2,
    "grouptools.groups": 3,
    "grouptools.reps": 4,
    "grouptools.fourier": 5,
    "grouptools.uncertainty": 5,
    "grouptools.compact": 6,
    "grouptools.cli": 7,
    "grouptools.__main__": 7,
    "grouptools": 7,  # the package face
    "training._errors": 8,
    "training._checks": 8,
    "training._training_set": 8,
    "training.losses": 9,
    "training.models": 9,
    "training": 12,  # the package face and everything not listed
    "training.bias": 10,
    "training.polish": 10,
    "training._fit": 10,
    "training.metrics": 11,
    "training.experiments": 12,
    "training.__main__": 13,
}

#: Lazy (function-level) imports that point up on purpose: convenience methods on the group.
ALLOWED_UPWARD = {
    ("grouptools.groups._group", "grouptools.reps._api"),
}

MAX_LINES = 660  # "about 600": a hard cap a little above it


def modules() -> dict[str, pathlib.Path]:
    out = {}
    for pkg in ("grouptools", "training"):
        for p in (ROOT / pkg).rglob("*.py"):
            parts = list(p.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = p
    return out


MODULES = modules()


def layer(mod: str) -> int:
    best = max((k for k in LAYERS if mod == k or mod.startswith(k + ".")), key=len)
    return LAYERS[best]


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                for n in ast.walk(sub):
                    skip.add(id(n))
    return skip


def imports(mod: str) -> list[tuple[str, bool]]:
    """(target module, lazy) for every import of ``mod`` outside ``if TYPE_CHECKING`` blocks."""
    path = MODULES[mod]
    tree = ast.parse(path.read_text())
    skip = _type_checking_nodes(tree)
    lazy_ids = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
        for n in ast.walk(f)
    }
    pkg = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            cands = [target] + [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            cands = [a.name for a in node.names]
        else:
            continue
        for c in cands:
            if c in MODULES and c != mod:
                out.append((c, id(node) in lazy_ids))
    return out


def test_layers_are_known():
    for mod in MODULES:
        assert layer(mod) >= 0


def test_imports_point_down():
    bad = []
    for mod in MODULES:
        for target, lazy in imports(mod):
            if layer(target) > layer(mod) and not (lazy and (mod, target) in ALLOWED_UPWARD):
                bad.append(f"{mod} -> {target}{' (lazy)' if lazy else ''}")
    assert not bad, "upward imports:\n" + "\n".join(bad)


def test_no_import_cycles():
    g = nx.DiGraph()
    for mod in MODULES:
        for target, lazy in imports(mod):
            if (mod, target) in ALLOWED_UPWARD:
                continue
            # a package face importing its own submodules is not a cycle of the layering
            if target.startswith(mod + "."):
                continue
            g.add_edge(mod, target)
    cycles = list(nx.simple_cycles(g))
    assert not cycles, f"import cycles: {cycles[:5]}"


def _own_private_names(tree: ast.AST) -> set[str]:
    """Underscore names a module defines itself: its functions, classes and class attributes,
    attributes it sets or reads on ``self``/``cls``, and names listed in ``__slots__``."""
    own: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            own.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in ("self", "cls"):
                own.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            own.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.startswith("_") and node.value.isidentifier():
                own.add(node.value)  # __slots__ entries, setattr(self, "_x", ...)
    return own


def _private_reads(mod: str) -> list[str]:
    """Reads of underscore attributes that the module does not define itself (other instances
    of the module's own classes may be read: that is the class's business)."""
    path = MODULES[mod]
    tree = ast.parse(path.read_text())
    own = _own_private_names(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    out.append(f"{mod}: from {node.module or '.'} import {a.name}")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if node.attr in own:
                continue
            out.append(f"{mod}:{node.lineno}: {ast.unparse(node)}")
    return out


def test_no_module_reads_another_modules_private_attributes():
    bad = [line for mod in MODULES for line in _private_reads(mod)]
    # submodule imports such as ``from . import _blocks`` are module imports, not attributes
    bad = [b for b in bad if not _is_module_import(b)]
    assert not bad, "private reads:\n" + "\n".join(bad[:40])


def _is_module_import(line: str) -> bool:
    if " import " not in line:
        return False
    head, _, name = line.rpartition(" import ")
    mod, _, src = head.partition(": from ")
    pkg = mod if MODULES[mod].name == "__init__.py" else mod.rpartition(".")[0]
    level = len(src) - len(src.lstrip("."))
    base = pkg.split(".")[: len(pkg.split(".")) - max(level - 1, 0)] if level else []
    target = ".".join(base + ([src.lstrip(".")] if src.lstrip(".") else [])) if level else src
    return f"{target}.{name}" in MODULES


@pytest.mark.parametrize("mod", sorted(MODULES))
def test_module_size(mod):
    n = len(MODULES[mod].read_text().splitlines())
    assert n <= MAX_LINES, f"{mod} has {n} lines (at most about 600)"


def _public_faces() -> list[str]:
    """Every package and module whose dotted name has no part starting with an underscore."""
    return sorted(m for m in MODULES if not any(part.startswith("_") for part in m.split(".")))


def test_public_faces_are_found():
    faces = _public_faces()
    assert {"grouptools", "grouptools.fourier", "training", "training.sweeps", "grouptools.uncertainty"} <= set(faces)


@pytest.mark.parametrize("mod", _public_faces())
def test_public_faces_have_sorted_all(mod):
    tree = ast.parse(MODULES[mod].read_text())
    found = [
        ast.literal_eval(n.value)
        for n in tree.body
        if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in n.targets)
    ]
    assert len(found) == 1, f"{mod} has no explicit __all__"
    assert list(found[0]) == sorted(found[0]), mod
