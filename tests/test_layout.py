"""The package's layout keeps the pipeline readable: imports run one way, no cycles, small modules.

Layers, lowest first (``LAYERS``): the top-level modules (errors, paths, files,
tables, envfile), then ``corpus``, then ``sources``, ``counting`` and
``periods`` side by side, then ``analysis``, then ``book``.  A module may import
from its own sub-package and from lower layers only; sub-packages that share a
layer never import each other.  Every ``import`` statement counts, also one
inside a function: a deferred import is still a dependency.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "fplang"

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "paths", "files", "tables", "envfile", "literals", "collector"}),
    frozenset({"corpus"}),
    frozenset({"sources", "counting", "periods"}),
    frozenset({"build"}),
    frozenset({"analysis"}),
    frozenset({"book"}),
)
"""Each top-level name under fplang (a module or a sub-package) in its layer, lowest first."""

MAX_LINES = 600
SIZE_EXCEPTIONS: dict[str, str] = {}
"""Modules allowed past MAX_LINES, each with the issue that splits it (none at present)."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path, name: str) -> set[str]:
    """The fplang modules that ``path`` imports (absolute or relative), at any depth of its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    known = modules()
    return {module for module in found if module in known and module != name}


def top(module: str) -> str:
    """The top-level name under fplang: ``fplang.corpus.clean`` -> ``corpus``; ``fplang`` -> ``""``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_of(module: str) -> int:
    for number, names in enumerate(LAYERS):
        if top(module) in names:
            return number
    raise AssertionError(f"{module} is in no layer: add its sub-package to LAYERS")


def import_graph() -> dict[str, set[str]]:
    return {name: imported_modules(path, name) for name, path in modules().items()}


def test_every_module_belongs_to_a_layer():
    for name in modules():
        if name != "fplang":
            layer_of(name)


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Each import that goes up a layer or sideways to a sibling sub-package of the same layer."""
    wrong = []
    for name, imported in sorted(graph.items()):
        if name == "fplang":
            continue
        for other in sorted(imported):
            if other == "fplang" or top(other) == top(name):
                continue
            if layer_of(other) == layer_of(name) == 0:
                continue  # the top-level modules are one unit; find_cycle still checks them
            if layer_of(other) > layer_of(name):
                wrong.append(f"{name} imports {other}, a higher layer")
            elif layer_of(other) == layer_of(name):
                wrong.append(f"{name} imports {other}, a sibling of the same layer")
    return wrong


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules (first = last), or ``[]`` when there is none."""
    state: dict[str, int] = defaultdict(int)  # 0 new, 1 on the stack, 2 done
    stack: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        stack.append(module)
        for other in sorted(graph.get(module, ())):
            if state[other] == 1:
                return [*stack[stack.index(other) :], other]
            if state[other] == 0 and (cycle := visit(other)):
                return cycle
        stack.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if state[module] == 0 and (cycle := visit(module)):
            return cycle
    return []


def test_no_module_imports_a_higher_layer_or_a_sibling_sub_package():
    wrong = layer_violations(import_graph())
    assert not wrong, "\n".join(wrong)


def test_the_package_root_imports_nothing_of_its_own():
    """``import fplang`` stays cheap: its table of contents names the sub-packages, it does not load them."""
    assert import_graph()["fplang"] == set()


def test_the_imports_have_no_cycle():
    cycle = find_cycle(import_graph())
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_the_checks_catch_an_upward_import_a_sideways_import_and_a_cycle():
    graph = {
        "fplang.corpus.clean": {"fplang.book.report", "fplang.corpus.rule"},
        "fplang.corpus.rule": {"fplang.corpus.clean"},
        "fplang.counting.engine": {"fplang.periods.table", "fplang.files"},
        "fplang.analysis.un": {"fplang.counting.engine", "fplang.periods.table"},
    }
    assert layer_violations(graph) == [
        "fplang.corpus.clean imports fplang.book.report, a higher layer",
        "fplang.counting.engine imports fplang.periods.table, a sibling of the same layer",
    ]
    assert find_cycle(graph) == ["fplang.corpus.clean", "fplang.corpus.rule", "fplang.corpus.clean"]


def test_imports_inside_functions_and_relative_imports_are_seen(tmp_path, monkeypatch):
    package = tmp_path / "fplang"
    (package / "corpus").mkdir(parents=True)
    (package / "book").mkdir()
    for path in (package / "__init__.py", package / "corpus" / "__init__.py", package / "book" / "__init__.py",
                 package / "book" / "report.py", package / "corpus" / "rule.py"):
        path.write_text("")
    bad = package / "corpus" / "clean.py"
    bad.write_text("from .rule import Rule\n\ndef later():\n    from fplang.book import report\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    assert imported_modules(bad, "fplang.corpus.clean") == {"fplang.corpus.rule", "fplang.book", "fplang.book.report"}


def test_no_module_is_longer_than_600_lines():
    too_long = []
    for path in modules().values():
        relative = path.relative_to(PACKAGE.parent).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and relative not in SIZE_EXCEPTIONS:
            too_long.append(f"{relative}: {lines} lines")
    assert not too_long, "\n".join(too_long)


def test_the_size_exceptions_are_still_needed():
    for relative in SIZE_EXCEPTIONS:
        lines = len((PACKAGE.parent / relative).read_text(encoding="utf-8").splitlines())
        assert lines > MAX_LINES, f"{relative} has {lines} lines: drop its exception"
