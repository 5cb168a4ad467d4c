"""DESIGN §2 import rules, checked on the source text of every module of the package.

The never-arrows:

1. kernels import no io, no click and no indicators;
2. degurba imports no io, no click and no indicators;
3. indicators import no io;
4. nothing outside the cli imports the cli;
5. only io calls ``read_file``/``to_file``/``rasterio.open``/``open(``...;
6. no indicator theme imports another theme;
7. no import cycle, lazy (in-function) imports included.

:func:`rule_violations` applies them to a mapping of module name → source, so the tests can
prove on small broken packages that each rule fails when it is broken.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "observatory"
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
#: Modules of ``observatory.indicators`` that are themes (one family of indicators each);
#: the other modules there (registry, inputs, shared support) may be imported by any theme.
THEMES = {
    "population",
    "landuse",
    "expansion",
    "environment",
    "urbanisation",
    "access",
    "two_step_catchment",
    "streets",
}
#: (rule, modules it applies to, imported prefixes it forbids)
NEVER_ARROWS = (
    ("kernels import no io, click or indicators", "observatory.kernels",
     ("observatory.io", "click", "pyogrio", "observatory.indicators")),
    ("degurba imports no io, click or indicators", "observatory.degurba",
     ("observatory.io", "click", "pyogrio", "observatory.indicators")),
    ("indicators import no io", "observatory.indicators", ("observatory.io", "pyogrio")),
)  # fmt: skip


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_sources() -> dict[str, str]:
    return {
        module_name(path): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _is_package(name: str, modules: Mapping[str, str]) -> bool:
    return any(other.startswith(name + ".") for other in modules)


def imports_of(name: str, tree: ast.AST, modules: Mapping[str, str]) -> list[tuple[str, bool]]:
    """(imported module, executed at run time) for every import in ``tree``.

    Relative imports are resolved; ``from package import submodule`` counts as an import of
    the submodule; imports under ``if TYPE_CHECKING:`` are not executed.
    """
    type_checking = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_checking.update(id(child) for child in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        runs = id(node) not in type_checking
        if isinstance(node, ast.Import):
            found += [(alias.name, runs) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name if _is_package(name, modules) else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}".rstrip(".")
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.append((sub if sub in modules else base, runs))
    return found


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


def _theme(name: str) -> str | None:
    parts = name.split(".")
    if len(parts) >= 3 and parts[1] == "indicators" and parts[2] in THEMES:
        return parts[2]
    return None


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (module → imported modules), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def rule_violations(modules: Mapping[str, str]) -> list[str]:
    """Every broken never-arrow in ``modules`` (module name → source), one line each."""
    broken = []
    graph: dict[str, set[str]] = {}
    for name, source in modules.items():
        tree = ast.parse(source)
        imports = imports_of(name, tree, modules)
        imported = {target for target, _ in imports}
        graph[name] = {t for t, runs in imports if runs and t in modules and t != name}
        for rule, applies_to, forbidden in NEVER_ARROWS:
            if _within(name, applies_to):
                bad = sorted(t for t in imported if any(_within(t, f) for f in forbidden))
                broken += [f"{name} imports {target} ({rule})" for target in bad]
        if not _within(name, "observatory.cli"):
            bad = sorted(t for t in imported if _within(t, "observatory.cli"))
            broken += [f"{name} imports {target} (nothing imports the cli)" for target in bad]
        if not _within(name, "observatory.io"):
            opened = sorted(called_names(tree) & FILE_OPENERS)
            broken += [f"{name} calls {call}() (only io opens files)" for call in opened]
        theme = _theme(name)
        if theme:
            others = sorted(t for t in imported if _theme(t) not in (None, theme))
            broken += [f"{name} imports {target} (no theme imports another)" for target in others]
    cycle = find_cycle(graph)
    if cycle:
        broken.append("import cycle: " + " → ".join(cycle))
    return broken


def test_there_are_modules_to_check():
    assert len(package_sources()) > 20


def test_the_package_keeps_every_never_arrow():
    assert rule_violations(package_sources()) == []


@pytest.mark.parametrize(
    ("modules", "expected"),
    [
        ({"observatory.kernels.zonal": "from observatory.io import raster"}, "kernels import"),
        ({"observatory.kernels.grid": "import click"}, "kernels import"),
        (
            {"observatory.kernels.x": "from observatory.indicators.registry import indicator"},
            "kernels import",
        ),
        ({"observatory.degurba.grid": "from observatory.io.raster import read"}, "degurba"),
        ({"observatory.degurba.units": "import click"}, "degurba"),
        (
            {"observatory.degurba.units": "from observatory.indicators import inputs"},
            "degurba",
        ),
        ({"observatory.indicators.landuse": "from observatory.io import vector"}, "no io"),
        ({"observatory.engine": "from observatory.cli.options import x"}, "imports the cli"),
        ({"observatory.engine": "def f(p):\n    return open(p)"}, "only io opens"),
        ({"observatory.results": "import pandas\npandas.read_csv('x')"}, "only io opens"),
        (
            {"observatory.indicators.streets": "from observatory.indicators.access import w"},
            "no theme imports another",
        ),
        (
            {
                "observatory.engine": "def run():\n    from observatory.results import R",
                "observatory.results": "from observatory.engine import Hierarchy",
            },
            "import cycle: observatory.engine → observatory.results → observatory.engine",
        ),
    ],
)
def test_each_never_arrow_fails_when_it_is_broken(modules, expected):
    violations = rule_violations(modules)
    assert any(expected in line for line in violations), violations


def test_allowed_imports_pass():
    modules = {
        "observatory.indicators.landuse": "from observatory.indicators.registry import x",
        "observatory.indicators.registry": "from observatory.errors import E",
        "observatory.errors": "",
        "observatory.engine": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from observatory.results import R\n"
        ),
        "observatory.results": "from observatory.engine import run",
        "observatory.io.vector": "import pyogrio\npyogrio.read_dataframe('x')",
    }
    assert rule_violations(modules) == []
