"""``observatory degurba grid|units`` on tiny rasters whose classes are worked out by hand.

The 1 km grid is 5 x 6 cells in EPSG:3035 (equal-area), origin (4,000,000, 3,000,000). Two
4-adjacent cells (row 2, columns 2 and 3) hold 1,500 and 48,500 people: 50,000 in dense cells
→ an urban centre; every other cell is empty land → rural (level 2: very low density, 11).
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from click.testing import CliRunner
from rasterio.crs import CRS
from shapely.geometry import Polygon, box

from observatory.cli.main import cli
from observatory.io.raster import write_raster
from observatory.kernels.grid import Grid, Raster

LAEA = CRS.from_epsg(3035)
X0, Y0 = 4_000_000.0, 3_000_000.0


def km_population() -> np.ndarray:
    population = np.zeros((5, 6))
    population[2, 2], population[2, 3] = 1500, 48_500
    return population


def save(path, data, *, size=1000.0, crs=LAEA, nodata=None):
    grid = Grid(crs, Affine(size, 0, X0, 0, -size, Y0), data.shape[0], data.shape[1])
    write_raster(path, Raster(data, grid, nodata, str(path)), overwrite=True)
    return str(path)


def invoke(*args):
    return CliRunner().invoke(cli, ["degurba", *map(str, args)])


@pytest.fixture
def population_100m(tmp_path):
    """The same people on a 100 m grid: 15 and 485 in each of the 100 cells of the 2 cells."""
    fine = np.repeat(np.repeat(km_population() / 100, 10, axis=0), 10, axis=1)
    return save(tmp_path / "pop100.tif", fine, size=100.0)


def test_grid_writes_classes_with_colours_and_prints_population_per_class(tmp_path):
    population = save(tmp_path / "pop.tif", km_population())
    output = tmp_path / "classes.tif"
    result = invoke("grid", "--population", population, "-o", output)
    assert result.exit_code == 0, result.output
    with rasterio.open(output) as dataset:
        classes = dataset.read(1)
        assert dataset.colormap(1)[3] == (255, 0, 0, 255)
        assert dataset.tags()["degurba_rules"] == "ghsl-2023"
    assert classes[2, 2:4].tolist() == [3, 3]
    assert (classes == 1).sum() == 28  # 30 cells - 2 centre cells
    centre_line = next(line for line in result.output.splitlines() if "urban centre" in line)
    assert "50,000" in centre_line and "100.0" in centre_line
    assert "urban centre" in (tmp_path / "classes.tif.aux.xml").read_text()
    # the QGIS style beside it: a paletted legend of the four level 1 classes only
    style = (tmp_path / "classes.qml").read_text(encoding="utf-8")
    assert 'type="paletted"' in style
    assert style.count("<paletteEntry") == 4
    assert '<paletteEntry value="3" color="#ff0000" alpha="255" label="urban centre"/>' in style


def test_grid_json_and_level_2(tmp_path):
    population = save(tmp_path / "pop.tif", km_population())
    result = invoke(
        "grid", "--population", population, "--level", "2", "--json", "-o", tmp_path / "c.tif"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    rows = {row["code"]: row for row in report["classes"]}
    assert rows[30]["population"] == 50_000 and rows[30]["cells"] == 2
    assert rows[11]["cells"] == 28 and report["level"] == 2


def test_grid_sums_a_100m_population_grid_to_1km(tmp_path, population_100m):
    output = tmp_path / "classes.tif"
    result = invoke("grid", "--population", population_100m, "-o", output)
    assert result.exit_code == 0, result.output
    with rasterio.open(output) as dataset:
        assert dataset.shape == (5, 6) and dataset.transform.a == 1000
        assert dataset.read(1)[2, 2:4].tolist() == [3, 3]


def test_grid_reads_ghsl_m2_built_up_and_land(tmp_path):
    # Cell (2, 2) holds 900 people on 500,000 m² of land → 1,800 per km² → dense;
    # 900 + 49,100 = 50,000 → centre. Built-up 0 everywhere, land 1,000,000 m² elsewhere.
    population = km_population()
    population[2, 2], population[2, 3] = 900, 49_100
    land = np.full((5, 6), 1_000_000.0)
    land[2, 2] = 500_000
    result = invoke(
        "grid",
        "--population", save(tmp_path / "pop.tif", population),
        "--land", save(tmp_path / "land.tif", land),
        "--built-up", save(tmp_path / "built.tif", np.zeros((5, 6))),
        "-o", tmp_path / "classes.tif",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with rasterio.open(tmp_path / "classes.tif") as dataset:
        assert dataset.read(1)[2, 2:4].tolist() == [3, 3]


def test_grid_sums_100m_built_up_and_land_in_m2_to_1km(tmp_path):
    # The test above at 100 m: cell (2, 2) is half land (each 100 m cell 5,000 m² of land out
    # of 10,000), so its 900 people are 1,800 per km² of land → dense → centre with (2, 3).
    population = km_population()
    population[2, 2], population[2, 3] = 900, 49_100
    land = np.full((50, 60), 10_000.0)
    land[20:30, 20:30] = 5_000.0
    result = invoke(
        "grid",
        "--population", save(tmp_path / "pop.tif", population),
        "--land", save(tmp_path / "land.tif", land, size=100.0),
        "--built-up", save(tmp_path / "built.tif", np.zeros((50, 60)), size=100.0),
        "-o", tmp_path / "classes.tif",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "summing the 100 m land grid to 1 km cells" in result.output
    with rasterio.open(tmp_path / "classes.tif") as dataset:
        assert dataset.read(1)[2, 2:4].tolist() == [3, 3]


def test_grid_param_overrides_a_rule(tmp_path):
    # With uc_size = 60,000 the 50,000 cluster is no longer a centre: urban cluster (2).
    population = save(tmp_path / "pop.tif", km_population())
    output = tmp_path / "classes.tif"
    result = invoke("grid", "--population", population, "--param", "uc_size=60000", "-o", output)
    assert result.exit_code == 0, result.output
    with rasterio.open(output) as dataset:
        assert dataset.read(1)[2, 2:4].tolist() == [2, 2]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--param", "uc_sise=1"], "unknown Degree of Urbanisation parameter 'uc_sise'"),
        (["--param", "uc_size"], "is not KEY=VALUE"),
    ],
)
def test_grid_refuses_bad_parameters(tmp_path, extra, message):
    population = save(tmp_path / "pop.tif", km_population())
    result = invoke("grid", "--population", population, *extra, "-o", tmp_path / "c.tif")
    assert result.exit_code == 1
    assert message in result.output


def test_grid_refuses_a_geographic_population_grid(tmp_path):
    grid = Grid(CRS.from_epsg(4326), Affine(0.01, 0, 4, 0, -0.01, 51), 5, 6)
    path = tmp_path / "pop4326.tif"
    write_raster(path, Raster(km_population(), grid, None, "pop"), overwrite=True)
    result = invoke("grid", "--population", path, "-o", tmp_path / "c.tif")
    assert result.exit_code == 1
    assert "geographic CRS" in result.output and "ESRI:54009" in result.output


def test_grid_does_not_overwrite_without_the_flag(tmp_path):
    population = save(tmp_path / "pop.tif", km_population())
    output = tmp_path / "classes.tif"
    output.write_text("keep me")
    result = invoke("grid", "--population", population, "-o", output)
    assert result.exit_code == 1 and "--overwrite" in result.output
    assert output.read_text() == "keep me"


def units_file(tmp_path):
    # "centre": the two centre cells exactly (x 2-4 km, y -3 to -2 km from the origin);
    # "empty": the top two rows of 1 km cells (no people, all rural land).
    units = gpd.GeoDataFrame(
        {"code": ["centre", "empty"]},
        geometry=[
            box(X0 + 2000, Y0 - 3000, X0 + 4000, Y0 - 2000),
            box(X0, Y0 - 2000, X0 + 6000, Y0),
        ],
        crs=LAEA,
    )
    path = tmp_path / "units.gpkg"
    units.to_file(path, driver="GPKG")
    return path


def test_units_classifies_from_a_100m_population_grid(tmp_path, population_100m):
    classes = tmp_path / "classes.tif"
    made = invoke("grid", "--population", population_100m, "--level", "2", "-o", classes)
    assert made.exit_code == 0, made.output
    output = tmp_path / "units.csv"
    result = invoke(
        "units", units_file(tmp_path), "--id", "code", "--classes", classes,
        "--population", population_100m, "--level", "2", "-o", output,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    table = pd.read_csv(output, dtype={"code": str}).set_index("code")
    # "centre": 50,000 people, all in urban-centre cells → city (3 / 30).
    assert table.loc["centre", "population"] == pytest.approx(50_000)
    assert table.loc["centre", "share_urban_centre"] == pytest.approx(1.0)
    assert (table.loc["centre", "degurba_l1"], table.loc["centre", "degurba_l2"]) == (3, 30)
    # "empty": nobody; by land area 100 % very low density rural → rural / mostly uninhabited.
    assert (table.loc["empty", "degurba_l1"], table.loc["empty", "degurba_l2"]) == (1, 11)
    assert np.isnan(table.loc["empty", "share_urban_centre"])


def test_units_level_2_needs_a_level_2_class_grid(tmp_path, population_100m):
    classes = tmp_path / "classes.tif"
    invoke("grid", "--population", population_100m, "-o", classes)
    result = invoke(
        "units", units_file(tmp_path), "--id", "code", "--classes", classes,
        "--population", population_100m, "--level", "2", "-o", tmp_path / "u.gpkg",
    )  # fmt: skip
    assert result.exit_code == 1 and "--level 2" in result.output


def test_units_names_the_missing_id_field(tmp_path, population_100m):
    classes = tmp_path / "classes.tif"
    invoke("grid", "--population", population_100m, "-o", classes)
    result = invoke(
        "units", units_file(tmp_path), "--id", "nis", "--classes", classes,
        "--population", population_100m, "-o", tmp_path / "u.gpkg",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "field 'nis'" in result.output and "code" in result.output


def test_units_writes_a_geopackage_layer(tmp_path, population_100m):
    classes = tmp_path / "classes.tif"
    invoke("grid", "--population", population_100m, "-o", classes)
    output = tmp_path / "classified.gpkg"
    result = invoke(
        "units", units_file(tmp_path), "--id", "code", "--classes", classes,
        "--population", population_100m, "-o", output,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    layer = gpd.read_file(output, layer="degurba")
    assert layer["degurba_l1"].tolist() == [3, 1]
    assert "city" in result.output


def test_units_refuses_a_bow_tie_unit_naming_it(tmp_path, population_100m):
    classes = tmp_path / "classes.tif"
    invoke("grid", "--population", population_100m, "-o", classes)
    x, y = X0 + 1000, Y0 - 4000
    bow_tie = Polygon([(x, y), (x + 2000, y + 2000), (x + 2000, y), (x, y + 2000)])
    units = gpd.GeoDataFrame(
        {"code": ["good", "bowtie"]},
        geometry=[box(X0, Y0 - 5000, X0 + 1000, Y0), bow_tie],
        crs=LAEA,
    )
    path = tmp_path / "bad.gpkg"
    units.to_file(path, driver="GPKG")
    output = tmp_path / "u.csv"
    result = invoke(
        "units", path, "--id", "code", "--classes", classes,
        "--population", population_100m, "-o", output,
    )  # fmt: skip
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "invalid geometry: code bowtie" in result.output
    assert "Self-intersection" in result.output and "Fix Geometries" in result.output
    assert not output.exists()


def test_grid_hint_gives_the_cell_size_crs_and_extent_that_sum_into_1_km(tmp_path):
    # 300 m cells: the fix warps onto 250 m cells (the closest that divide 1 km) in the
    # grid's CRS, on an extent widened to whole kilometres; it said 'gdalwarp -tr 100 100'.
    population = save(tmp_path / "pop300.tif", np.ones((10, 10)), size=300.0)
    result = invoke("grid", "--population", population, "-o", tmp_path / "c.tif")
    assert result.exit_code == 1 and result.output.count("Error:") == 1
    assert "Traceback" not in result.output
    assert (
        "'gdalwarp -t_srs EPSG:3035 -tr 250 250 -te 4000000 2997000 4003000 3000000 -r sum "
        "IN.tif OUT.tif'"
    ) in result.output
    assert "-tr 100 100" not in result.output
