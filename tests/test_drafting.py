"""draft_project: the whole draft from what the files hold, valid TOML with relative paths."""

from __future__ import annotations

from pathlib import Path

from drafting_files import layer, raster, table

from observatory.drafting import draft_project, relative_path
from observatory.io.inventory import Inventory
from observatory.io.tables import tomllib
from observatory.project import PROJECT_FILE, parse_project

FOLDER = Path("/work/projects/brussels")


def brussels_inventory() -> Inventory:
    return Inventory(
        vectors=[
            layer("boundaries/gemeente2024.shp", {"gemeente": [21001, 21002], "naam": ["a", "b"]}),
            layer("boundaries/gewest.shp", {"gewest": ["04000"]}),
            layer("facilities/arrets.geojson", {"ligne": ["1"]}, geometry="point"),
        ],
        tables=[
            table(
                "population/belgian_municipalities_2019.csv",
                {"NIS_code": ["21001", "21002"], "inhabitants": ["14 293", "9 870"]},
            ),
            table("legend.csv", {"value": ["1"]}),
        ],
        rasters=[raster("rasters/pop_2019.tif"), raster("rasters/ghsl_LAND.tif")],
        skipped=[(Path("/data/readme.txt"), "not a vector, table or raster file")],
    )


def test_the_draft_is_toml_holding_every_guess():
    draft = draft_project(brussels_inventory(), FOLDER, sources=[Path("/data")])
    document = tomllib.loads(draft.text)
    assert document["project"] == {"name": "brussels", "language": "en"}
    region, municipality = document["units"]["levels"]
    assert region == {
        "name": "region",
        "path": "../../../data/boundaries/gewest.shp",
        "id": "gewest",
    }
    assert municipality == {
        "name": "municipality",
        "path": "../../../data/boundaries/gemeente2024.shp",
        "id": "gemeente",
        "label": "naam",
    }
    assert document["census"]["tables"] == [
        {
            "path": "../../../data/population/belgian_municipalities_2019.csv",
            "id": "NIS_code",
            "level": "municipality",
            "population": {"2019": "inhabitants"},
            "thousands": " ",
        }
    ]
    assert document["rasters"] == {
        "population": {"2019": "../../../data/rasters/pop_2019.tif"},
        "land": "../../../data/rasters/ghsl_LAND.tif",
    }
    assert document["layers"] == {
        "transit_stops": {"path": "../../../data/facilities/arrets.geojson"}
    }


def test_the_draft_says_what_it_read_and_counts_its_check_marks():
    draft = draft_project(brussels_inventory(), FOLDER, sources=[Path("/data")])
    assert draft.text.startswith(
        "# observatory.toml drafted by `observatory init --from` from:\n#   ../../../data\n"
    )
    assert draft.checks == draft.text.count("# CHECK: ") == 13
    assert draft.text.endswith(
        "# Found but not used:\n"
        "#   legend.csv: no population column: no numbers with a year in the column or file name\n"
        "#   readme.txt: not a vector, table or raster file\n"
    )
    assert draft.summary == [
        "read 3 vector layer(s), 2 table(s) and 2 raster(s)",
        "unit levels, coarsest first: region (gewest, 1), municipality (gemeente2024, 2)",
        "census belgian_municipalities_2019.csv: 2019 at municipality",
        "population 2019",
        "land",
        "transit_stops: arrets",
        "not used: legend.csv (no population column: no numbers with a year in the column or "
        "file name)",
        "not used: readme.txt (not a vector, table or raster file)",
    ]


def test_the_parts_of_the_draft_that_exist_today_follow_the_schema():
    document = tomllib.loads(draft_project(brussels_inventory(), FOLDER, sources=[]).text)
    today = {key: document[key] for key in ("project", "rasters", "layers")}
    today["units"] = {"path": "units.gpkg", "levels": [{"name": "region", "id": "gewest"}]}
    project = parse_project(today, FOLDER / PROJECT_FILE)
    assert project.name == "brussels"
    assert project.rasters["population"] == {2019: Path("/data/rasters/pop_2019.tif")}
    assert project.rasters["land"] == {None: Path("/data/rasters/ghsl_LAND.tif")}
    assert project.layers["transit_stops"].path == Path("/data/facilities/arrets.geojson")


def test_paths_are_relative_to_the_project_folder():
    assert relative_path(Path("/data/a.shp"), Path("/data/project")) == "../a.shp"
    assert relative_path(Path("/data/project/in/a.csv"), Path("/data/project")) == "in/a.csv"


def test_without_polygons_the_draft_says_the_levels_must_be_written():
    draft = draft_project(Inventory(rasters=[raster("pop_2020.tif")]), FOLDER, sources=[])
    assert "no polygon layer for the unit levels: [[units.levels]] must be written" in draft.summary
    assert "units" not in tomllib.loads(draft.text)
