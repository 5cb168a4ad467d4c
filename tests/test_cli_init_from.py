"""``observatory init DIR --from PATH...`` through the top-level group: a draft from files."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from drafting_files import write_technician_files

from observatory.cli.main import cli
from observatory.io.tables import tomllib
from observatory.project import PROJECT_FILE, load_project


def run(*arguments):
    result = CliRunner().invoke(cli, [str(argument) for argument in arguments])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def files(tmp_path):
    return write_technician_files(tmp_path / "data")


def draft(tmp_path, files):
    return run(
        "init",
        tmp_path / "brussels",
        "--from",
        files["boundaries"],
        files["population"],
        files["raster"],
        "--from",
        files["facilities"],
    )


def test_init_from_drafts_every_part_of_the_project_file(tmp_path, files):
    result = draft(tmp_path, files)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "brussels" / PROJECT_FILE).read_text(encoding="utf-8")
    document = tomllib.loads(text)
    assert document["project"] == {"name": "brussels", "language": "en"}
    assert document["units"]["levels"] == [
        {"name": "region", "path": "../data/boundaries/gewest.shp", "id": "gewest"},
        {
            "name": "municipality",
            "path": "../data/boundaries/gemeente2024.shp",
            "id": "gemeente",
            "label": "naam",
        },
    ]
    tables = document["census"]["tables"]
    assert [table["path"] for table in tables] == [
        f"../data/population/belgian_municipalities_{year}.csv" for year in (2018, 2019, 2020)
    ]
    assert [table["population"] for table in tables] == [
        {"2018": "inhabitants"},
        {"2019": "inhabitants"},
        {"2020": "inhabitants"},
    ]
    assert [table.get("thousands") for table in tables] == [",", " ", None]
    assert {table["id"] for table in tables} == {"NIS_code"}
    assert {table["level"] for table in tables} == {"municipality"}
    assert document["rasters"] == {"population": {"2020": "../data/rasters/pop_2020.tif"}}
    assert document["layers"] == {
        "schools": {"path": "../data/facilities/ecoles.geojson", "capacity": "places"}
    }
    # the four municipalities are found among the five rows of each table
    notes = text.replace("\n#   ", " ")  # the CHECK notes unwrapped
    assert notes.count("4 of the 4 municipality codes ('gemeente') are found (5 rows)") == 3
    assert "#   readme.txt: not a vector, table or raster file" in text


def test_init_from_prints_what_it_found_and_how_many_checks_to_review(tmp_path, files):
    result = draft(tmp_path, files)
    text = (tmp_path / "brussels" / PROJECT_FILE).read_text(encoding="utf-8")
    checks = text.count("# CHECK: ")
    assert checks == 18
    assert result.output.splitlines() == [
        "  read 3 vector layer(s), 3 table(s) and 1 raster(s)",
        "  unit levels, coarsest first: region (gewest, 1), municipality (gemeente2024, 4)",
        "  census belgian_municipalities_2018.csv: 2018 at municipality",
        "  census belgian_municipalities_2019.csv: 2019 at municipality",
        "  census belgian_municipalities_2020.csv: 2020 at municipality",
        "  population 2020",
        "  schools: ecoles",
        "  not used: readme.txt (not a vector, table or raster file)",
        f"Wrote {tmp_path / 'brussels' / PROJECT_FILE} with {checks} CHECK mark(s) to review. "
        f"Then run: observatory validate {tmp_path / 'brussels'}",
    ]


def test_init_from_never_replaces_a_project_file_without_overwrite(tmp_path, files):
    target = tmp_path / "brussels" / PROJECT_FILE
    target.parent.mkdir()
    target.write_text("# mine\n", encoding="utf-8")
    result = draft(tmp_path, files)
    assert result.exit_code == 1
    assert "Error:" in result.output and "already exists" in result.output
    assert target.read_text(encoding="utf-8") == "# mine\n"
    replaced = run("init", tmp_path / "brussels", "--from", files["boundaries"], "--overwrite")
    assert replaced.exit_code == 0
    assert "[[units.levels]]" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing", None, "missing does not exist; check the path."),
        ("notes.txt", "hello", "notes.txt: '.txt' is not a vector, table or raster file"),
        ("broken.tif", "not a raster", "broken.tif cannot be read as a raster"),
        ("broken.csv", "", "broken.csv cannot be read as a table"),
    ],
)
def test_a_path_that_cannot_be_read_is_an_error_naming_it(tmp_path, files, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("init", tmp_path / "brussels", "--from", files["boundaries"], "--from", path)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert not (tmp_path / "brussels").exists()


def test_paths_without_from_are_a_usage_error(tmp_path, files):
    result = run("init", tmp_path / "brussels", files["boundaries"])
    assert result.exit_code == 2
    assert "give the files to draft from after --from" in result.output


def test_the_help_shows_how_to_draft(tmp_path):
    result = run("init", "--help")
    assert "--from PATH" in result.output
    assert "observatory init brussels --from data/boundaries" in result.output


def test_validate_finishes_the_job_on_a_draft(tmp_path, files):
    """The draft, as written, is a project file that validate reads and passes."""
    draft(tmp_path, files)
    load_project(tmp_path / "brussels")  # the schema accepts every key the draft writes
    result = run("validate", tmp_path / "brussels")
    assert result.exit_code == 0 and "0 error(s)" in result.output, result.output
