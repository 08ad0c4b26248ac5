"""The engine's layers: each stage imports only the stages before it, and nothing imports in
a cycle. Read from the source with `ast`, every import counted (inside functions and under
TYPE_CHECKING too: a dependency is one wherever it is written)."""

from __future__ import annotations

import ast
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

ENGINE = Path(__file__).parent.parent / "hooks" / "briefing"
# The stages in order; a module may import its own stage and those before it.
STAGES = {
    "problems": 0,
    "model": 0,
    "labels": 0,
    "cache": 0,
    "weblinks": 0,
    "sources": 1,
    "checks": 2,
    "citations": 3,
    "render": 4,
    "publish": 5,
    "__main__": 6,  # the command line may use every stage
}
Graph = Mapping[str, set[str]]


def _name(path: Path, root: Path) -> str:
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(root: Path) -> dict[str, set[str]]:
    """Each engine module's imports of other engine modules (dotted names)."""
    modules = {_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                found.add(target)
                found |= {
                    f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules
                }
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def stage(module: str) -> int | None:
    """The stage of a dotted engine module name (None for the package itself)."""
    parts = module.split(".")
    return STAGES[parts[1]] if len(parts) > 1 else None


def later_imports(graph: Graph) -> list[str]:
    """Every import of a later stage, as "importer -> imported"."""
    found = []
    for module, targets in sorted(graph.items()):
        own = stage(module)
        for target in sorted(targets):
            theirs = stage(target)
            if own is not None and theirs is not None and theirs > own:
                found.append(f"{module} -> {target}")
    return found


def cycles(graph: Graph) -> list[list[str]]:
    """The import cycles (strongly connected components of more than one module), Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_engine_module_belongs_to_a_stage() -> None:
    graph = imports(ENGINE)
    assert len(graph) > 40
    assert [m for m in graph if m != "briefing" and m.split(".")[1] not in STAGES] == []


def test_no_stage_imports_a_later_one() -> None:
    assert later_imports(imports(ENGINE)) == []


def test_no_import_cycle_inside_the_engine() -> None:
    assert cycles(imports(ENGINE)) == []


@pytest.mark.parametrize(
    ("graph", "later", "cyclic"),
    [
        ({"briefing.render.a": {"briefing.sources.b"}, "briefing.sources.b": set()}, [], []),
        (
            {"briefing.render.a": {"briefing.publish.b"}, "briefing.publish.b": set()},
            ["briefing.render.a -> briefing.publish.b"],
            [],
        ),
        (
            {
                "briefing.render.a": {"briefing.render.b"},
                "briefing.render.b": {"briefing.render.c"},
                "briefing.render.c": {"briefing.render.a"},
            },
            [],
            [["briefing.render.a", "briefing.render.b", "briefing.render.c"]],
        ),
        ({"briefing.__main__": {"briefing.publish.b"}, "briefing.publish.b": set()}, [], []),
    ],
)
def test_the_checks_find_what_they_look_for(
    graph: dict[str, set[str]], later: list[str], cyclic: list[list[str]]
) -> None:
    assert later_imports(graph) == later
    assert cycles(graph) == cyclic


def test_a_planted_bad_import_is_found(tmp_path: Path) -> None:
    copy = tmp_path / "briefing"
    shutil.copytree(ENGINE, copy, ignore=shutil.ignore_patterns("__pycache__", "schemas"))
    text = copy / "render" / "text.py"
    text.write_text(
        text.read_text(encoding="utf-8") + "\n\ndef _late() -> None:\n"
        "    from ..publish import downloads  # noqa\n",
        encoding="utf-8",
    )
    graph = imports(copy)
    assert "briefing.render.text -> briefing.publish.downloads" in later_imports(graph)
    assert any("briefing.render.text" in cycle for cycle in cycles(graph))
