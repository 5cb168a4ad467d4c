"""DESIGN §2 import rules, checked on the source text of every module.

- kernels and degurba import no io, no click and open no file;
- nothing imports the cli;
- only io calls ``read_file``/``to_file``/``rasterio.open``/``open(``.
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
        forbidden = {m for m in imports if m.startswith(("observatory.io", "click", "pyogrio"))}
        assert not forbidden, f"{name} imports {forbidden}"
    if not name.startswith("observatory/io/"):
        opened = called_names(tree) & FILE_OPENERS
        assert not opened, f"{name} opens files with {opened}; only observatory/io may"
