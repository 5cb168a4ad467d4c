"""Tests of observatory.validate: one small broken project per problem it must report.

Every project comes from :func:`builders.build_project` (4 communes of 2 km x 2 km in 2
provinces in 1 region, rasters of 1 km cells; see tests/builders.py) with one thing broken.
"""

from __future__ import annotations

import dataclasses

import builders
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from builders import CELL, X0, Y0, build_project, sample_grid
from rasterio.crs import CRS
from shapely.affinity import translate
from shapely.geometry import LineString, Point, Polygon, box

from observatory.kernels.grid import Grid, Raster
from observatory.project import load_project
from observatory.validate import Problem, has_errors, validate_project


@pytest.fixture(autouse=True)
def _pm25(monkeypatch):
    """Give the default project a pm25 raster too (on the sample grid, all cells 10 µg/m³)."""
    original = builders.sample_rasters

    def with_pm25():
        rasters = original()
        data = np.full((4, 4), 10.0, dtype="float32")
        rasters["pm25"] = {2024: Raster(data, sample_grid(), -200.0, "pm25")}
        return rasters

    monkeypatch.setattr(builders, "sample_rasters", with_pm25)


def problems_of(folder, **variations) -> list[Problem]:
    return validate_project(load_project(build_project(folder, **variations)))


def only(problems: list[Problem], severity: str, layer: str) -> Problem:
    """The single problem of ``severity`` on ``layer`` (fails when there are 0 or several)."""
    found = [p for p in problems if p.severity == severity and p.layer == layer]
    assert len(found) == 1, problems
    return found[0]


def set_commune(column: str, code: str, value):
    """An edit setting ``column`` of the commune ``code``."""

    def edit(sample):
        communes = sample.units["communes"]
        communes.loc[communes["code"] == code, column] = value

    return edit


def set_census(code: str, column: str, value: str):
    def edit(sample):
        sample.census.loc[sample.census["code"] == code, column] = value

    return edit


def replace_raster(role: str, year, **changes):
    def edit(sample):
        sample.rasters[role][year] = dataclasses.replace(sample.rasters[role][year], **changes)

    return edit


# -- a valid project ------------------------------------------------------------------------
def test_valid_project_has_no_problem(tmp_path):
    assert problems_of(tmp_path) == []


def test_valid_project_in_lon_lat_has_no_problem(tmp_path):
    # Units and layers in EPSG:4326, rasters in ESRI:54009: nesting is measured in an
    # equal-area projection and the overlap in the raster CRS, so all is still fine.
    assert problems_of(tmp_path, units_crs="EPSG:4326", layers_crs="EPSG:4326") == []


def test_has_errors_only_counts_errors():
    warning = Problem("warning", "rasters", "m", "f")
    error = Problem("error", "units", "m", "f")
    assert not has_errors([warning])
    assert has_errors([warning, error])
    assert error.to_dict() == {"severity": "error", "layer": "units", "message": "m", "fix": "f"}


# -- files ----------------------------------------------------------------------------------
def test_missing_units_file_is_one_error_and_skips_what_depends_on_it(tmp_path):
    build_project(tmp_path)
    (tmp_path / "units.gpkg").unlink()
    problems = validate_project(load_project(tmp_path))
    # the census codes and raster overlap need the units: they are not checked, not reported
    assert len(problems) == 1
    problem = only(problems, "error", "units")
    assert "units.gpkg does not exist" in problem.message
    assert "units.path" in problem.message


def test_missing_shared_file_is_reported_once_with_every_key_using_it(tmp_path):
    build_project(tmp_path)
    (tmp_path / "facilities.gpkg").unlink()
    problems = validate_project(load_project(tmp_path))
    problem = only(problems, "error", "layers.schools")
    assert len(problems) == 1
    assert "layers.schools.path, layers.health.path, layers.transit_stops.path" in problem.message


def test_unreadable_vector_file(tmp_path):
    build_project(tmp_path)
    (tmp_path / "network.gpkg").write_text("not a geopackage", encoding="utf-8")
    problem = only(validate_project(load_project(tmp_path)), "error", "layers.roads")
    assert "network.gpkg cannot be read as a vector file" in problem.message


def test_unreadable_raster_file(tmp_path):
    build_project(tmp_path)
    (tmp_path / "rasters" / "land.tif").write_text("not a tiff", encoding="utf-8")
    problem = only(validate_project(load_project(tmp_path)), "error", "rasters.land")
    assert "cannot be read as a raster" in problem.message


def test_layer_not_found_in_geopackage_lists_the_layers(tmp_path):
    def rename(config):
        config["units"]["levels"][2]["layer"] = "communez"

    problem = only(problems_of(tmp_path, edit_config=rename), "error", "units.commune")
    assert "layer 'communez' not found" in problem.message
    assert "the file has: regions, provinces, communes." in problem.message
    assert "units.levels[3].layer" in problem.fix


# -- units ----------------------------------------------------------------------------------
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


def test_units_file_without_geometry(tmp_path):
    def census_as_units(config):
        config["units"]["path"] = "census.csv"
        config["units"]["levels"] = [{"name": "commune", "id": "code"}]

    problem = only(problems_of(tmp_path, edit_config=census_as_units), "error", "units.commune")
    assert "census.csv, layer census is a table without geometry" in problem.message


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
    assert "1 feature(s) without geometry or with an empty geometry" in problem.message
    assert "'04.002'" in problem.message


def test_units_must_be_polygons(tmp_path):
    def points(sample):
        regions = sample.units["regions"]
        sample.units["regions"] = regions.set_geometry(regions.geometry.centroid)

    problem = only(problems_of(tmp_path, edit=points), "error", "units.region")
    assert "1 Point feature(s)" in problem.message
    assert "Polygon or MultiPolygon" in problem.message


def test_duplicate_unit_ids(tmp_path):
    problems = problems_of(tmp_path, edit=set_commune("code", "04.002", "04.001"))
    problem = only(problems, "error", "units.commune")
    assert "'04.001' (2×)" in problem.message
    # the census row 04.002 now matches no commune: reported too, on the census (a warning:
    # compute ignores census rows without a unit)
    assert "'04.002'" in only(problems, "warning", "census").message


def test_null_unit_ids(tmp_path):
    problems = problems_of(tmp_path, edit=set_commune("code", "04.003", None))
    messages = [p.message for p in problems if p.layer == "units.commune"]
    # 04.003 is the 3rd feature of the communes layer
    assert any("1 commune units have no id in 'code' (rows 3)" in m for m in messages)


def test_child_whose_parent_does_not_exist(tmp_path):
    problems = problems_of(tmp_path, edit=set_commune("province_code", "04.004", "04.09"))
    problem = only(problems, "error", "units.commune")
    assert "'04.004' → '04.09'" in problem.message
    assert "province that does not exist" in problem.message


def test_child_not_nested_in_its_declared_parent(tmp_path):
    # 04.003 is in the east half but declares the west province 04.01: 0 % inside it.
    problems = problems_of(tmp_path, edit=set_commune("province_code", "04.003", "04.01"))
    problem = only(problems, "error", "units.commune")
    assert "less than 99 % inside their province" in problem.message
    assert "'04.003' (0.0 % inside '04.01')" in problem.message


def test_child_partly_outside_its_parent(tmp_path):
    # 04.001 (x from X0 to X0 + 2 km) shifted 100 m west: 1900 / 2000 = 95.0 % inside 04.01.
    def shift(sample):
        communes = sample.units["communes"]
        moved = translate(communes.geometry.iloc[0], xoff=-100)
        communes.loc[communes["code"] == "04.001", "geometry"] = moved

    problems = problems_of(tmp_path, edit=shift)
    problem = only(problems, "error", "units.commune")
    assert "'04.001' (95.0 % inside '04.01')" in problem.message


def test_child_slightly_outside_its_parent_is_accepted(tmp_path):
    # 10 m west: 1990 / 2000 = 99.5 % ≥ 99 %: no problem.
    def shift(sample):
        communes = sample.units["communes"]
        communes.loc[communes["code"] == "04.001", "geometry"] = translate(
            communes.geometry.iloc[0], xoff=-10
        )

    assert problems_of(tmp_path, edit=shift) == []


def test_parent_without_children_is_a_warning(tmp_path):
    # A third province inside the region, but no commune names it.
    def add_province(sample):
        provinces = sample.units["provinces"]
        extra = gpd.GeoDataFrame(
            {"code": ["04.03"], "name": ["Vide"], "region_code": ["04"]},
            geometry=[box(X0, Y0 - 1000, X0 + 1000, Y0)],
            crs=provinces.crs,
        )
        sample.units["provinces"] = gpd.GeoDataFrame(
            [*provinces.to_dict("records"), *extra.to_dict("records")], crs=provinces.crs
        )

    problems = problems_of(tmp_path, edit=add_province)
    assert not has_errors(problems)
    assert "'04.03'" in only(problems, "warning", "units.province").message


# -- census ---------------------------------------------------------------------------------
def test_census_id_matching_no_unit(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.004", "code", "04.999"))
    # the extra row is ignored by compute (a warning); the unit without a row is an error
    assert "'04.999'" in only(problems, "warning", "census").message
    assert "'04.004'" in only(problems, "error", "units.commune").message


def test_census_codes_that_lost_their_format_get_a_hint(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.001", "code", "4001"))
    census = only(problems, "warning", "census")
    assert "'4001'" in census.message
    assert "differ only in format" in census.fix


def test_unit_without_census_row(tmp_path):
    def drop(sample):
        sample.census = sample.census[sample.census["code"] != "04.002"]

    problems = problems_of(tmp_path, edit=drop)
    problem = only(problems, "error", "units.commune")
    assert "1 commune unit(s) have no row in the census census.csv: '04.002'" in problem.message


def test_duplicate_census_ids(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.002", "code", "04.001"))
    messages = [p.message for p in problems if p.layer == "census"]
    assert any("'04.001' (2×)" in message for message in messages)


def test_non_numeric_census_count_names_the_row(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.002", "population_2014", "1200 hab"))
    problem = only(problems, "error", "census")
    assert "'population_2014' (2014) has 1 value(s) that are not numbers" in problem.message
    assert "'04.002': '1200 hab'" in problem.message


def test_thousands_separator_and_decimal_comma_are_numbers(tmp_path):
    edit = set_census("04.002", "population_2014", "1 200")
    assert problems_of(tmp_path, edit=edit) == []


def test_negative_census_count(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.003", "population_2024", "-5"))
    problem = only(problems, "error", "census")
    assert "1 negative count(s): '04.003': '-5'" in problem.message


def test_empty_census_count(tmp_path):
    problems = problems_of(tmp_path, edit=set_census("04.003", "population_2024", None))
    problem = only(problems, "error", "census")
    assert "is empty for 1 row(s): ids '04.003'" in problem.message


def test_census_column_not_found(tmp_path):
    def rename(config):
        config["census"]["population"]["2014"] = "pop_2014"

    problem = only(problems_of(tmp_path, edit_config=rename), "error", "census")
    assert "column 'pop_2014' (census.population.2014) not found" in problem.message
    assert "code, name, population_2014, population_2024" in problem.message


# -- rasters --------------------------------------------------------------------------------
def shifted_grid(dx: float, dy: float = 0.0, cell: float = CELL, size: int = 4) -> Grid:
    return Grid(
        CRS.from_string("ESRI:54009"), Affine(cell, 0, X0 + dx, 0, -cell, Y0 + dy), size, size
    )


def test_raster_not_overlapping_the_units(tmp_path):
    edit = replace_raster("population", 2014, grid=shifted_grid(1_000_000))
    problems = problems_of(tmp_path, edit=edit)
    problem = only(problems, "error", "rasters.population.2014")
    assert "does not overlap the units" in problem.message


def test_raster_covering_half_the_units_is_a_warning(tmp_path):
    # The 4 km grid moved 2 km east covers the east half of the territory: 50.0 %.
    problems = problems_of(tmp_path, edit=replace_raster("pm25", 2024, grid=shifted_grid(2000)))
    assert not has_errors(problems)
    assert "covers only 50.0 % of the units' area" in problems[0].message


def test_raster_without_nodata(tmp_path):
    problems = problems_of(tmp_path, edit=replace_raster("built_up", 2024, nodata=None))
    assert "has no nodata value" in only(problems, "error", "rasters.built_up.2024").message


def test_raster_without_crs_is_one_error(tmp_path):
    grid = dataclasses.replace(sample_grid(), crs=None)
    problems = problems_of(tmp_path, edit=replace_raster("land", None, grid=grid))
    assert len(problems) == 1
    assert "land.tif has no CRS" in only(problems, "error", "rasters.land").message


def test_zonal_raster_in_degrees(tmp_path):
    # 4 x 4 cells of 0.05° from 6.9° W, 34.1° N: over the territory (about 6.85° W, 34° N)
    grid = Grid(CRS.from_epsg(4326), Affine(0.05, 0, -6.9, 0, -0.05, 34.1), 4, 4)
    problems = problems_of(tmp_path, edit=replace_raster("population", 2014, grid=grid))
    problem = only(problems, "error", "rasters.population.2014")
    assert "geographic CRS EPSG:4326" in problem.message
    assert "gdalwarp" in problem.fix


def test_population_and_built_up_years_not_paired_is_a_warning(tmp_path):
    def drop_2014(sample):
        del sample.rasters["built_up"][2014]

    problems = problems_of(tmp_path, edit=drop_2014)
    assert not has_errors(problems)
    problem = only(problems, "warning", "rasters")
    assert "population for 2014 but no built-up" in problem.message


def test_population_grids_differing_between_years_is_a_warning(tmp_path):
    # 2024 on 8 x 8 cells of 500 m over the same 4 km square
    finer = Raster(
        np.full((8, 8), 55.0, dtype="float32"), shifted_grid(0, cell=500, size=8), -200.0
    )
    problems = problems_of(tmp_path, edit=lambda s: s.rasters["population"].update({2024: finer}))
    assert not has_errors(problems)
    problem = only(problems, "warning", "rasters.population.2024")
    assert "differs from that of 2014" in problem.message
    assert "8×8 cells of 500×500" in problem.message


def test_land_not_on_the_built_up_grid(tmp_path):
    land = Raster(
        np.full((8, 8), 250_000.0, dtype="float32"), shifted_grid(0, cell=500, size=8), -200.0
    )
    problems = problems_of(tmp_path, edit=lambda s: s.rasters["land"].update({None: land}))
    problem = only(problems, "error", "rasters.land")
    assert "not on the grid of built_up 2014" in problem.message


# -- other layers ---------------------------------------------------------------------------
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


def test_facility_layer_without_its_declared_capacity_field(tmp_path):
    fields = {"schools": {"capacity": "places"}, "transit_stops": {"capacity": "capacity"}}
    problem = only(problems_of(tmp_path, layer_fields=fields), "error", "layers.schools")
    assert "field 'places' (given as capacity) not found" in problem.message
    assert "name, seats, level" in problem.message


def test_transit_capacity_must_be_high_or_low(tmp_path):
    def bad_values(sample):
        sample.layers["transit_stops"]["capacity"] = ["high", "medium", None]

    problem = only(problems_of(tmp_path, edit=bad_values), "error", "layers.transit_stops")
    assert "must be 'high' or 'low'; 2 stop(s) have" in problem.message
    assert "'medium' (1×)" in problem.message and "'(empty)' (1×)" in problem.message


def test_school_seats_must_be_numbers_not_below_zero(tmp_path):
    def bad_seats(sample):
        sample.layers["schools"]["seats"] = [-1, 250]

    problem = only(problems_of(tmp_path, edit=bad_seats), "error", "layers.schools")
    assert "field 'seats' must hold numbers ≥ 0; 1 feature(s) do not: row 1: -1" in (
        problem.message
    )


def test_facility_layer_without_crs(tmp_path):
    problems = problems_of(tmp_path, layers_crs=None)
    assert "has no CRS" in only(problems, "error", "layers.health").message


def test_facility_without_geometry(tmp_path):
    def drop_geometry(sample):
        sample.layers["health"] = sample.layers["health"].set_geometry([None])

    problem = only(problems_of(tmp_path, edit=drop_geometry), "error", "layers.health")
    assert "1 feature(s) without geometry" in problem.message
    assert "rows 1" in problem.message


def test_empty_facility_layer_is_a_warning(tmp_path):
    def empty(sample):
        sample.layers["health"] = sample.layers["health"].iloc[:0]

    problems = problems_of(tmp_path, edit=empty)
    assert not has_errors(problems)
    assert "has no features" in only(problems, "warning", "layers.health").message


def test_facility_layer_outside_the_territory_is_a_warning(tmp_path):
    def far_away(sample):
        far = gpd.GeoDataFrame(
            {"name": ["Loin"]}, geometry=[Point(X0 + 500_000, Y0)], crs="ESRI:54009"
        )
        sample.layers["health"] = far

    problems = problems_of(tmp_path, edit=far_away)
    assert "no feature" in only(problems, "warning", "layers.health").message


def test_every_problem_is_reported_at_once(tmp_path):
    # Four unrelated problems in one project: all four are reported.
    def break_everything(sample):
        set_commune("code", "04.002", "04.001")(sample)
        set_census("04.003", "population_2014", "abc")(sample)
        sample.rasters["built_up"][2024] = dataclasses.replace(
            sample.rasters["built_up"][2024], nodata=None
        )
        sample.layers["roads"] = sample.layers["roads"].set_geometry(
            [Point(X0, Y0), LineString([(X0, Y0), (X0 + 1, Y0)])]
        )

    problems = problems_of(tmp_path, edit=break_everything)
    layers = {problem.layer for problem in problems if problem.severity == "error"}
    assert {"units.commune", "census", "rasters.built_up.2024", "layers.roads"} <= layers


def test_census_rows_matching_no_unit_are_not_checked_for_counts(tmp_path):
    # A national table where a merged municipality has no figure: the row matches no unit,
    # compute ignores it, so it is one warning and not an error about its empty count.
    def add_merged_row(sample):
        extra = pd.DataFrame(
            [{"code": "04.998", "name": "Merged", "population_2014": "", "population_2024": ""}]
        )
        sample.census = pd.concat([sample.census, extra], ignore_index=True)

    problems = problems_of(tmp_path, edit=add_merged_row)
    assert [p.severity for p in problems] == ["warning"]
    assert "'04.998'" in problems[0].message and "ignored" in problems[0].message
