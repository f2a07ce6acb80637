"""No import cycles inside ``app/``: neither between modules nor between domains.

Imports inside functions count too (a lazy import hides a cycle from the
interpreter, not from the design). The layers themselves are held by the
import-linter contracts in ``pyproject.toml``; this test also catches cycles among
modules of one domain.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / "app").rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path) -> set[str]:
    names: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _graph(depth: int | None) -> dict[str, set[str]]:
    modules = _modules()

    def key(name: str) -> str:
        return ".".join(name.split(".")[:depth]) if depth else name

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = {_resolve(name, modules) for name in _imports(module, path)}
        edges = graph.setdefault(key(module), set())
        for target in targets:
            # "import app" and a package's own __init__ are not edges
            if target is None or target == "app" or module.startswith(target + "."):
                continue
            if key(target) != key(module):
                edges.add(key(target))
    return graph


@pytest.mark.parametrize(("depth", "what"), [(None, "modules"), (2, "domains")])
def test_no_import_cycle_in_app(depth: int | None, what: str) -> None:
    graph = _graph(depth)
    assert len(graph) > (10 if depth else 50), f"too few {what} found: {sorted(graph)}"
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        pytest.fail(f"import cycle among {what}: {' -> '.join(exc.args[1])}")
