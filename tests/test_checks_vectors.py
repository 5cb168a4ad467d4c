"""Tests of observatory.checks.vectors: CRS, geometry types, missing and invalid geometries and
declared fields, on units and on the layers of [layers].

Every project comes from :func:`builders.build_project` (4 communes of 2 km x 2 km in 2
provinces in 1 region, rasters of 1 km cells; see tests/builders.py) with one thing broken.
"""

from __future__ import annotations

import pytest
from builders import CELL, X0, Y0, only, problems_of, set_commune
from shapely.geometry import Polygon

pytestmark = pytest.mark.usefixtures("pm25_in_sample")


def test_units_without_crs(tmp_path):
    problems = problems_of(tmp_path, units_crs=None)
    for level in ("region", "province", "commune"):
        assert "has no CRS" in only(problems, "error", f"units.{level}").message


def test_units_with_a_wrongly_assigned_geographic_crs(tmp_path):
    # Mollweide metres (x about -612000) labelled as EPSG:4326 longitudes and latitudes.
    def mislabel(sample):
        for name, frame in sample.units.items():
            sample.units[name] = frame.set_crs("EPSG:4326", allow_override=True)

    problems = problems_of(tmp_path, edit=mislabel)
    problem = only(problems, "error", "units.commune")
    assert "declared in the geographic CRS EPSG:4326" in problem.message
    assert "-612000" in problem.message
    # the nesting and overlap checks, which would need a right CRS, are skipped
    assert all("are not longitudes and latitudes" in p.message for p in problems)


def test_declared_field_missing_from_units(tmp_path):
    def rename(config):
        config["units"]["levels"][2]["parent"] = "prov_code"

    problem = only(problems_of(tmp_path, edit_config=rename), "error", "units.commune")
    assert "field 'prov_code' (given as parent) not found" in problem.message
    assert "code, name, province_code" in problem.message


def test_invalid_geometry_is_counted_and_named(tmp_path):
    # A bow tie inside the SE commune: its two triangles cross at the square's centre.
    x, y = X0 + 2 * CELL, Y0 - 2 * CELL
    bow_tie = Polygon([(x, y), (x + 2000, y - 2000), (x + 2000, y), (x, y - 2000)])
    problem = only(
        problems_of(tmp_path, edit=set_commune("geometry", "04.004", bow_tie)),
        "error",
        "units.commune",
    )
    assert "1 invalid geometry" in problem.message
    assert "'04.004'" in problem.message
    assert "Self-intersection" in problem.message


def test_empty_geometry_is_counted_and_named(tmp_path):
    problems = problems_of(tmp_path, edit=set_commune("geometry", "04.002", None))
    problem = only(problems, "error", "units.commune")
    assert "1 feature without geometry or with an empty geometry" in problem.message
    assert "'04.002'" in problem.message


def test_units_must_be_polygons(tmp_path):
    def points(sample):
        regions = sample.units["regions"]
        sample.units["regions"] = regions.set_geometry(regions.geometry.centroid)

    problem = only(problems_of(tmp_path, edit=points), "error", "units.region")
    assert "1 Point feature(s)" in problem.message
    assert "Polygon or MultiPolygon" in problem.message


def test_facility_layer_with_wrong_geometry_type(tmp_path):
    def as_polygons(sample):
        schools = sample.layers["schools"]
        sample.layers["schools"] = schools.set_geometry(schools.geometry.buffer(50))

    problem = only(problems_of(tmp_path, edit=as_polygons), "error", "layers.schools")
    assert "2 Polygon feature(s); schools must be Point or MultiPoint" in problem.message


def test_roads_must_be_lines(tmp_path):
    def as_points(sample):
        roads = sample.layers["roads"]
        sample.layers["roads"] = roads.set_geometry(roads.geometry.centroid)

    problem = only(problems_of(tmp_path, edit=as_points), "error", "layers.roads")
    assert "LineString or MultiLineString" in problem.message


def test_facility_layer_without_crs(tmp_path):
    problems = problems_of(tmp_path, layers_crs=None)
    assert "has no CRS" in only(problems, "error", "layers.health").message


def test_facility_without_geometry(tmp_path):
    def drop_geometry(sample):
        sample.layers["health"] = sample.layers["health"].set_geometry([None])

    problem = only(problems_of(tmp_path, edit=drop_geometry), "error", "layers.health")
    assert "1 feature without geometry" in problem.message
    assert "rows 1" in problem.message
