"""The import graph of the library: no cycle, and the core never reaches up into the rooms built on it.

The core (``scoring/{engine,compiled,fused,evidence,result,ranking,cases}.py`` with ``criteria/``) is what
a command line or a web front end calls; readers, the workbook, reports, plans, the campaign and
office helpers sit on it. Only module-level imports count (an import under ``if TYPE_CHECKING:``
never runs). Imports inside functions are refused, except in the lazy loader of
``scoring/__init__.py`` and where the import's own comment says what heavy library it loads only
when used (matplotlib for a chart, python-docx for a report: the command line starts fast).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("criteria", "scoring")
CORE = tuple(f"scoring.{name}" for name in ("engine", "compiled", "fused", "evidence", "result", "ranking", "cases"))
ROOMS = tuple(f"scoring.{name}" for name in ("inputs", "workbook", "reports", "plans", "campaign", "office")) + ("web",)
LAZY_LOADERS = {"scoring"}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _module_level(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            found += _module_level(node.body) + _module_level(node.orelse)
        elif isinstance(node, ast.Try):
            found += _module_level(node.body)
            for handler in node.handlers:
                found += _module_level(handler.body)
    return found


def _targets(name: str, path: Path, node: ast.Import | ast.ImportFrom, known: dict[str, Path]) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    if node.level:
        base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    out = {source} if source in known else set()
    out |= {f"{source}.{alias.name}" for alias in node.names if f"{source}.{alias.name}" in known}
    return out


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges: set[str] = set()
        for node in _module_level(tree.body):
            edges |= _targets(name, path, node, known)
        # a module's own packages are imported before it: importing from them is no cycle
        graph[name] = {target for target in edges if not (name + ".").startswith(target + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
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
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 50  # the walk found the library
    assert cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_core_imports_nothing_from_the_rooms_built_on_it() -> None:
    graph = import_graph()
    upward = sorted((module, target) for module in CORE for target in graph[module]
                    if any(target == room or target.startswith(room + ".") for room in ROOMS))
    assert upward == []


def _says_why(line: str) -> bool:
    """“from … import …  # matplotlib: loaded only for a chart”."""
    return "#" in line and "load" in line.split("#", 1)[1]


def test_no_import_hides_inside_a_function() -> None:
    hidden = []
    for name, path in modules().items():
        if name in LAZY_LOADERS:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for function in ast.walk(ast.parse(text)):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                hidden += [f"{name}:{node.lineno}" for node in ast.walk(function)
                           if isinstance(node, (ast.Import, ast.ImportFrom)) and not _says_why(lines[node.lineno - 1])]
    assert hidden == []
