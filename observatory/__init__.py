"""Observatory: territorial indicators for regional observatories.

The public API, for scripts and notebooks::

    import observatory

    project = observatory.load_project("my-region")      # observatory.toml → Project
    problems = observatory.validate(project)              # every problem, with its fix
    results = observatory.run(project, indicator_ids=["sdg_11_3_1"])
    results.long_table()                                  # one row per unit, indicator, period
    results.wide("province")                              # GeoDataFrame, a column per indicator
    observatory.catalogue()["sdg_11_3_1"].metadata("fr")  # an indicator's metadata sheet

Names are imported when first used, so ``import observatory`` stays fast for the command
line.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from observatory.__about__ import __version__

if TYPE_CHECKING:
    from observatory.checks import validate_project as validate
    from observatory.engine import run
    from observatory.errors import ObservatoryError
    from observatory.indicators.registry import Indicator, catalogue, get_indicator, indicator
    from observatory.io.published import PublishedResults, read_published
    from observatory.layers import Layers, load_layers
    from observatory.problems import Problem
    from observatory.project import Project, load_project
    from observatory.results import Results

#: Public name → (module, attribute).
_PUBLIC = {
    "load_project": ("observatory.project", "load_project"),
    "Project": ("observatory.project", "Project"),
    "load_layers": ("observatory.layers", "load_layers"),
    "Layers": ("observatory.layers", "Layers"),
    "validate": ("observatory.checks", "validate_project"),
    "Problem": ("observatory.problems", "Problem"),
    "run": ("observatory.engine", "run"),
    "Results": ("observatory.results", "Results"),
    "read_published": ("observatory.io.published", "read_published"),
    "PublishedResults": ("observatory.io.published", "PublishedResults"),
    "catalogue": ("observatory.indicators.registry", "catalogue"),
    "get_indicator": ("observatory.indicators.registry", "get_indicator"),
    "indicator": ("observatory.indicators.registry", "indicator"),
    "Indicator": ("observatory.indicators.registry", "Indicator"),
    "ObservatoryError": ("observatory.errors", "ObservatoryError"),
}

__all__ = [  # the keys of _PUBLIC (tests/test_init.py checks they agree)
    "Indicator",
    "Layers",
    "ObservatoryError",
    "Problem",
    "Project",
    "PublishedResults",
    "Results",
    "__version__",
    "catalogue",
    "get_indicator",
    "indicator",
    "load_layers",
    "load_project",
    "read_published",
    "run",
    "validate",
]


def __getattr__(name: str):
    """Import a public name on first use (PEP 562)."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'observatory' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
