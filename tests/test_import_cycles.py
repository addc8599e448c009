"""No module of the package imports itself back, and no module reaches into another's private names.

Every import counts: at the top, inside a function, or under `TYPE_CHECKING` (a cycle that only
type-checks is still two modules that cannot be read, or moved, one without the other).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"


def _modules(root: Path = GENERATOR) -> dict[str, Path]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules an import statement names (a `from x import y` names `x`, and `x.y` if that is one)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([node.module] if node.module else [])])
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(root: Path = GENERATOR) -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports, anywhere in its code."""
    modules = _modules(root)
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        names = {
            name
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for name in _imported(module, path, node)
        }
        graph[module] = {name for name in names if name in modules and name != module}
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """One import cycle per group of modules that import each other, as a path back to its start."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_path_back(sorted(group)[0], group, graph) for group in groups]


def _path_back(start: str, group: set[str], graph: Mapping[str, Iterable[str]]) -> list[str]:
    """The shortest path from `start` back to itself through the group (breadth first)."""
    paths = [[start]]
    seen = {start}
    while paths:
        path = paths.pop(0)
        for other in sorted(graph.get(path[-1], ())):
            if other == start:
                return [*path, start]
            if other in group and other not in seen:
                seen.add(other)
                paths.append([*path, other])
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover - a group always has one


def test_no_import_cycle_in_the_package():
    found = cycles(import_graph())
    assert found == [], "import cycles: " + "; ".join(" -> ".join(c) for c in found)


def test_a_cycle_is_found_and_named_wherever_its_imports_are(tmp_path):
    package = tmp_path / "generator"
    (package / "pages").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import x\n")
    (package / "b.py").write_text("def f():\n    from .pages import kind\n")
    (package / "pages" / "__init__.py").write_text("")
    (package / "pages" / "kind.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..a import y\n"
    )
    (package / "c.py").write_text("import generator.a\n")
    graph = import_graph(package)
    assert graph["generator.b"] == {"generator.pages", "generator.pages.kind"}
    assert cycles(graph) == [["generator.a", "generator.b", "generator.pages.kind", "generator.a"]]
    assert cycles({"x": {"y"}, "y": {"z"}, "z": set()}) == []


def _private_imports(root: Path = GENERATOR) -> list[str]:
    """Each `from module import _name` and `module._name` that reaches into another panelsite module."""
    modules = _modules(root)
    found = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        aliases: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    target = _imported(module, path, node)[0]
                    if f"{target}.{alias.name}" in modules:
                        aliases[alias.asname or alias.name] = f"{target}.{alias.name}"
                    elif alias.name.startswith("_") and not alias.name.startswith("__") and target in modules:
                        found.append(f"{path.relative_to(root.parent)}:{node.lineno}: {target}.{alias.name}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}: {aliases[node.value.id]}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    assert _private_imports() == []


def test_a_private_name_crossing_modules_is_found(tmp_path):
    package = tmp_path / "generator"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "dataset.py").write_text("def _walk():\n    pass\n")
    (package / "feeds.py").write_text("from .dataset import _walk\nfrom . import dataset\ndataset._walk()\n")
    assert _private_imports(package) == [
        "generator/feeds.py:1: generator.dataset._walk",
        "generator/feeds.py:3: generator.dataset._walk",
    ]
