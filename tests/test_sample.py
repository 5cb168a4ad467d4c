"""The bundled samples copied out: Rabat-Salé-Kénitra (the default) and Brussels."""

from __future__ import annotations

import pytest

from observatory.errors import ParameterError
from observatory.sample import sample_folder, write_sample_project


def test_the_rsk_copy_leaves_the_brussels_sample_and_the_generator_out(tmp_path):
    project_file = write_sample_project(tmp_path / "rsk")
    names = {path.name for path in (tmp_path / "rsk").rglob("*")}
    assert project_file == tmp_path / "rsk" / "observatory.toml"
    assert {"units.gpkg", "census.csv", "rasters"} <= names
    assert not names & {"brussels", "gemeente2024.shp", "build.py", "generator"}


def test_the_brussels_copy_is_its_folder(tmp_path):
    write_sample_project(tmp_path / "bxl", region="brussels")
    copied = sorted(p.relative_to(tmp_path / "bxl") for p in (tmp_path / "bxl").rglob("*.*"))
    source = sample_folder("brussels")
    assert copied == sorted(p.relative_to(source) for p in source.rglob("*.*"))
    assert (tmp_path / "bxl" / "boundaries" / "gemeente2024.shp").is_file()


def test_an_unknown_sample_is_refused_with_the_names():
    with pytest.raises(ParameterError, match=r"no sample region 'paris'; use one of rsk, brussels"):
        sample_folder("paris")
