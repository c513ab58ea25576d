"""The import-cycle checker itself, on small made-up packages."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.helpers.import_graph import (
    cycles,
    describe,
    import_graph,
    module_names,
    shortest_cycle_through,
    strongly_connected_components,
)


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A package `pkg` in tmp_path with the given files (relative to it) and contents."""
    root = tmp_path / "pkg"
    for name, source in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return root


def test_module_names_map_packages_to_their_init_and_skip_folders(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {"a.py": "", "sub/__init__.py": "", "sub/b.py": "", "gen/versions/v1.py": "import pkg.a"},
    )
    assert set(module_names(root, ["gen/versions"])) == {"pkg", "pkg.a", "pkg.sub", "pkg.sub.b"}
    assert module_names(root)["pkg.sub"] == root / "sub" / "__init__.py"


def test_a_module_level_cycle(tmp_path: Path) -> None:
    root = tree(tmp_path, {"a.py": "import pkg.b\n", "b.py": "from pkg import a\n", "c.py": ""})
    graph = import_graph(root)
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.b"] == {"pkg.a"}
    assert cycles(graph) == [[["pkg.a", "pkg.b", "pkg.a"]]]


def test_a_cycle_through_an_import_inside_a_method(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "a.py": "from pkg.b import B\n",
            "b.py": """
                class B:
                    def run(self):
                        if True:
                            from pkg.a import helper
                        return helper
            """,
        },
    )
    assert cycles(import_graph(root)) == [[["pkg.a", "pkg.b", "pkg.a"]]]


def test_a_cycle_only_under_type_checking(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "window.py": "from pkg.view import View\n",
            "view.py": """
                from __future__ import annotations
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from pkg.window import Window
            """,
        },
    )
    assert cycles(import_graph(root)) == [[["pkg.view", "pkg.window", "pkg.view"]]]


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "a.py": "",
            "sub/__init__.py": "from . import b\nfrom .c import thing\n",
            "sub/b.py": "from .. import a\nfrom ..a import name\nfrom . import c\n",
            "sub/c.py": "from ...outside import x\n",  # beyond the top: no edge
        },
    )
    graph = import_graph(root)
    assert graph["pkg.sub"] == {"pkg.sub.b", "pkg.sub.c"}
    assert graph["pkg.sub.b"] == {"pkg.a", "pkg.sub.c"}
    assert graph["pkg.sub.c"] == set()


def test_from_import_names_the_submodule_if_there_is_one_else_the_module(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "a.py": "from pkg.sub import b, CONSTANT\nimport pkg.sub.b as alias\n",
            "sub/__init__.py": "CONSTANT = 1\n",
            "sub/b.py": "",
            "c.py": "from pkg.sub.b import *\nimport pkg.missing.deep\n",
        },
    )
    graph = import_graph(root)
    assert graph["pkg.a"] == {"pkg.sub.b", "pkg.sub"}
    assert graph["pkg.c"] == {"pkg.sub.b", "pkg"}  # an unknown module: its nearest package


def test_other_packages_dynamic_imports_and_self_imports(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "a.py": """
                import os, json
                import importlib
                from pkgx import y
                from pkg import a
                mod = importlib.import_module("pkg.b")
            """,
            "b.py": "",
        },
    )
    assert import_graph(root)["pkg.a"] == {"pkg.b"}


def test_an_init_importing_its_submodules_is_no_cycle_by_itself(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "sub/__init__.py": "from pkg.sub.b import B\nfrom pkg.sub.c import C\n",
            "sub/b.py": "from pkg.sub.c import C\n",  # a sibling, not the package
            "sub/c.py": "class C: ...\n",
        },
    )
    assert cycles(import_graph(root)) == []


def test_a_submodule_importing_its_package_back_is_a_cycle(tmp_path: Path) -> None:
    root = tree(
        tmp_path,
        {
            "sub/__init__.py": "from pkg.sub.b import B\nSETTING = 1\n",
            "sub/b.py": "from pkg.sub import SETTING\n",
        },
    )
    assert cycles(import_graph(root)) == [[["pkg.sub", "pkg.sub.b", "pkg.sub"]]]


def test_components_and_the_shortest_cycle_through_each_member() -> None:
    graph = {
        "a": {"b"},
        "b": {"c", "a"},
        "c": {"d"},
        "d": {"a"},
        "e": {"a"},  # reaches the cycle, is on none
        "f": {"g"},
        "g": {"f"},
        "h": set(),
    }
    assert strongly_connected_components(graph) == [
        ["a", "b", "c", "d"],
        ["e"],
        ["f", "g"],
        ["h"],
    ]
    assert shortest_cycle_through(graph, "a", {"a", "b", "c", "d"}) == ["a", "b", "a"]
    assert shortest_cycle_through(graph, "d", {"a", "b", "c", "d"}) == ["d", "a", "b", "c", "d"]
    assert shortest_cycle_through(graph, "e", {"e"}) is None
    assert cycles(graph) == [
        [["a", "b", "a"], ["a", "b", "c", "d", "a"]],
        [["f", "g", "f"]],
    ]


def test_a_long_chain_needs_no_recursion() -> None:
    size = 20_000
    graph = {f"m{i:05}": {f"m{(i + 1) % size:05}"} for i in range(size)}
    components = strongly_connected_components(graph)
    assert len(components) == 1 and len(components[0]) == size


def test_the_report_lists_each_cycle_with_arrows() -> None:
    text = describe([[["a", "b", "a"], ["a", "b", "c", "a"]], [["x", "y", "x"]]])
    assert text.splitlines() == [
        "2 group(s) of modules import one another:",
        "group 1 (3 modules): a, b, c",
        "  a -> b -> a",
        "  a -> b -> c -> a",
        "group 2 (2 modules): x, y",
        "  x -> y -> x",
    ]
