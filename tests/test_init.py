"""The public API of ``import observatory``: every name resolves and is documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import observatory

API_PAGE = Path(__file__).resolve().parents[1] / "docs" / "developer" / "api.md"


def test_version_is_the_package_version():
    from observatory.__about__ import __version__

    assert observatory.__version__ == __version__


@pytest.mark.parametrize("name", [n for n in observatory.__all__ if n != "__version__"])
def test_every_public_name_resolves_and_is_on_the_api_page(name):
    value = getattr(observatory, name)
    assert value.__doc__, name
    module, attribute = observatory._PUBLIC[name]
    assert f"::: {module}.{attribute}" in API_PAGE.read_text(encoding="utf-8"), name


def test_all_lists_exactly_the_public_names():
    assert sorted(observatory.__all__) == sorted(["__version__", *observatory._PUBLIC])


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'lod_project'"):
        _ = observatory.lod_project


def test_importing_the_package_loads_no_heavy_library():
    heavy = "{'geopandas', 'pandas', 'rasterio'}"
    code = f"import sys, observatory; print(sorted({heavy} & set(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"


def test_the_api_runs_a_project_end_to_end(tmp_path):
    from builders import build_project

    project = observatory.load_project(build_project(tmp_path))
    assert not [p for p in observatory.validate(project) if p.severity == "error"]
    results = observatory.run(project, indicator_ids=["population"])
    assert isinstance(results, observatory.Results)
    assert set(results.long_table()["indicator"]) == {"population"}
