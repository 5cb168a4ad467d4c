"""Rooms that fit in the head: no module of the package over 600 lines, no function over 80.

A function's length is counted from its ``def`` to its last line, without its docstring (a
long method note in a docstring is welcome). ruff's complexity rules (C901, PLR09xx in
pyproject.toml) hold the branching; this test holds the size.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "observatory"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def relative(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def function_lengths(source: str) -> dict[str, int]:
    """Lines of every function of ``source`` (qualified by its class), docstrings excluded."""
    lengths = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                length = child.end_lineno - child.lineno + 1
                first = child.body[0]
                if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                    length -= first.end_lineno - first.lineno + 1
                lengths[f"{prefix}{child.name}"] = length
                visit(child, f"{prefix}{child.name}.")

    visit(ast.parse(source), "")
    return lengths


@pytest.mark.parametrize("path", MODULES, ids=relative)
def test_modules_and_functions_fit_in_the_head(path: Path):
    source = path.read_text(encoding="utf-8")
    assert source.count("\n") <= MAX_MODULE_LINES, f"{relative(path)} is over {MAX_MODULE_LINES}"
    long = {name: n for name, n in function_lengths(source).items() if n > MAX_FUNCTION_LINES}
    assert not long, f"{relative(path)}: functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_the_length_count_sees_a_long_function_and_skips_docstrings():
    body = "\n".join(f"    x{i} = {i}" for i in range(81))
    docstring = '    """' + "\n" * 100 + '    """\n'
    source = f"class A:\n  def long(self):\n{body}\n\ndef short():\n{docstring}    pass\n"
    lengths = function_lengths(source)
    assert lengths["A.long"] == 82
    assert lengths["short"] == 2
