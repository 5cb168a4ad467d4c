"""DESIGN §2 import rules, checked on the source text of every module.

- kernels and degurba import no io, no click, no indicators and open no file;
- indicators import no io;
- nothing imports the cli;
- only io calls ``read_file``/``to_file``/``rasterio.open``/``open(``;
- no import cycle between the modules of the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "observatory"
MODULES = sorted(PACKAGE.rglob("*.py"))
FILE_OPENERS = {
    "read_file",
    "to_file",
    "open",
    "read_dataframe",
    "write_dataframe",
    "read_csv",
    "read_excel",
    "to_csv",
    "to_excel",
    "write_text",
    "read_text",
    "read_bytes",
    "write_bytes",
}


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def imported_modules(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def called_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name):
                names.add(function.id)
            elif isinstance(function, ast.Attribute):
                names.add(function.attr)
    return names


def test_there_are_modules_to_check():
    assert len(MODULES) > 20


@pytest.mark.parametrize("path", MODULES, ids=relative)
def test_import_rules(path: Path):
    name = relative(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = imported_modules(tree)
    if not name.startswith("observatory/cli/"):
        assert not any(m.startswith("observatory.cli") for m in imports), f"{name} imports the cli"
    if name.startswith(("observatory/kernels/", "observatory/degurba/")):
        forbidden = {
            m
            for m in imports
            if m.startswith(("observatory.io", "click", "pyogrio", "observatory.indicators"))
        }
        assert not forbidden, f"{name} imports {forbidden}"
    if name.startswith("observatory/indicators/"):
        forbidden = {m for m in imports if m.startswith(("observatory.io", "pyogrio"))}
        assert not forbidden, f"{name} imports {forbidden}"
    if not name.startswith("observatory/io/"):
        opened = called_names(tree) & FILE_OPENERS
        assert not opened, f"{name} opens files with {opened}; only observatory/io may"


def module_name(path: Path) -> str:
    """The dotted name of a module file of the package (a package is its ``__init__``)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    """Module → the modules of ``sources`` it imports (``from a import b`` counts ``a.b``
    when that is a module, and ``a``)."""
    graph = {}
    for name, text in sources.items():
        found = set()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {module for module in found if module in sources and module != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of ``graph``: each a path of modules back to its first one."""
    found, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            found.append(path[path.index(module) :] + [module])
            return
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return found


def test_no_import_cycle():
    sources = {module_name(path): path.read_text(encoding="utf-8") for path in MODULES}
    assert cycles(import_graph(sources)) == []


def test_an_import_cycle_is_found():
    sources = {
        "observatory.engine": "from observatory.results import Results\n",
        "observatory.results": "from observatory import engine\n",
        "observatory": "",
        "observatory.layers": "import observatory.results\n",
    }
    assert cycles(import_graph(sources)) == [
        ["observatory.engine", "observatory.results", "observatory.engine"]
    ]
