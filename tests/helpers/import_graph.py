"""Which modules of a package import which, and the import cycles among them.

Every import statement counts wherever it is: at module level, inside a function or method,
under `if TYPE_CHECKING:`, in a try block; so does `importlib.import_module("literal")`.
Relative imports are resolved. `from p.x import y` is an edge to the module `p.x.y` when there
is one, else to `p.x`; a package stands for its `__init__.py`. Importing `p.x.y` is an edge to
`p.x.y` alone: that Python runs `p/x/__init__.py` first is left out, so a package's `__init__`
that imports its own submodules makes no cycle unless one of them imports the package back.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path

Graph = dict[str, set[str]]


def module_names(root: Path, skip: Iterable[str] = ()) -> dict[str, Path]:
    """Every module under the package directory `root`, by dotted name; `skip` holds folders
    relative to `root` (as "a/b") whose files are left out."""
    skipped = [root / folder for folder in skip]
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        if any(path.is_relative_to(folder) for folder in skipped):
            continue
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def import_graph(root: Path, skip: Iterable[str] = ()) -> Graph:
    """module -> the modules of the same package it imports (itself never included)."""
    modules = module_names(root, skip)
    graph: Graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        targets = set(_imported(tree, name, is_package, set(modules), root.name))
        graph[name] = targets - {name}
    return graph


def _imported(
    tree: ast.AST, module: str, is_package: bool, modules: set[str], top: str
) -> Iterator[str]:
    def existing(dotted: str) -> str | None:
        """The module `dotted` names, or the nearest package above it that exists."""
        parts = dotted.split(".")
        if parts[0] != top:
            return None
        while parts:
            if ".".join(parts) in modules:
                return ".".join(parts)
            parts.pop()
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (target := existing(alias.name)) is not None:
                    yield target
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(node, module, is_package)
            if base is None:
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                target = submodule if submodule in modules else existing(base)
                if target is not None:
                    yield target
        elif isinstance(node, ast.Call) and _is_import_module(node.func):
            first = node.args[0] if node.args else None
            name = first.value if isinstance(first, ast.Constant) else None
            if isinstance(name, str) and (target := existing(name)) is not None:
                yield target


def _from_base(node: ast.ImportFrom, module: str, is_package: bool) -> str | None:
    """The absolute name of the module a `from … import` statement imports from."""
    if node.level == 0:
        return node.module
    package = module.split(".") if is_package else module.split(".")[:-1]
    up = node.level - 1
    if up >= len(package):
        return None  # beyond the top-level package: Python refuses it too
    parts = package[: len(package) - up]
    if node.module:
        parts.append(node.module)
    return ".".join(parts)


def _is_import_module(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name in {"import_module", "__import__"}


def strongly_connected_components(graph: Graph) -> list[list[str]]:
    """Tarjan's algorithm without recursion; each component sorted, in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> Iterator[str]:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        return iter(sorted(graph.get(node, ())))

    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, visit(start))]
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    work.append((child, visit(child)))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
    return sorted(components)


def shortest_cycle_through(graph: Graph, start: str, within: set[str]) -> list[str] | None:
    """The shortest path start -> … -> start inside `within`, by breadth-first search."""
    came_from: dict[str, str] = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph.get(node, ())):
            if child not in within:
                continue
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if child not in came_from:
                came_from[child] = node
                queue.append(child)
    return None


def cycles(graph: Graph) -> list[list[list[str]]]:
    """For each group of modules that import one another (a strongly connected component of
    two or more), the shortest cycle through each member, shortest first, each once.

    A cycle is a list of modules whose last repeats its first; it starts at its smallest name.
    """
    found = []
    for component in strongly_connected_components(graph):
        if len(component) < 2:
            continue
        members = set(component)
        seen: set[tuple[str, ...]] = set()
        for member in component:
            cycle = shortest_cycle_through(graph, member, members)
            assert cycle is not None  # every member of a component lies on a cycle
            ring = cycle[:-1]
            first = ring.index(min(ring))
            seen.add(tuple(ring[first:] + ring[:first]))
        found.append([[*ring, ring[0]] for ring in sorted(seen, key=lambda r: (len(r), r))])
    return found


def describe(groups: list[list[list[str]]]) -> str:
    lines = [f"{len(groups)} group(s) of modules import one another:"]
    for number, group in enumerate(groups, 1):
        members = sorted({module for cycle in group for module in cycle})
        lines.append(f"group {number} ({len(members)} modules): {', '.join(members)}")
        lines.extend(f"  {' -> '.join(cycle)}" for cycle in group)
    return "\n".join(lines)
