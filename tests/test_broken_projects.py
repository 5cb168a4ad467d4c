"""A corpus of broken projects, built the way technicians send data, run through the CLI.

Every case starts from the tiny project of :func:`builders.build_project` (4 communes near
Rabat; see tests/builders.py) and breaks one thing: a renamed column, codes that lost their
leading zeros, counts with thousands separators, a BOM, a wrong CRS, a cropped or shifted
raster, points instead of polygons, a misspelt key... Then ``validate`` and ``compute`` (and
``access`` or ``degurba units`` where they read the broken input) run through the top-level
group, and each must either

- stop: exit 1, ``validate`` naming the problem and ``compute`` with exactly one ``Error:``
  line that names the file, key or value (the case's ``fails`` texts) and gives a fix; no
  output folder left; or
- succeed: exit 0 with the case's warning, and the values it checks right;

never with a traceback, and never changing an input (every file of the project is hashed
before and after). Files the builder writes are cached by content, so a case only writes
what it changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from builders import (
    CELL,
    NODATA,
    X0,
    Y0,
    build_project,
    replace_raster,
    sample_grid,
    set_census,
    set_commune,
    write_raster,
)
from click.testing import CliRunner
from rasterio.crs import CRS
from shapely.geometry import Polygon

from observatory.cli.main import cli
from observatory.kernels.grid import Grid, Raster

#: What the successful cases compute (fast ones; a case may ask for more), at two levels.
INDICATORS = ("population", "built_up_area")
LEVELS = ("region", "commune")
#: The 2024 population of the region, and its built-up area on the ellipsoid (4.4 km² of
#: nominal Mollweide cells at 34° N, 0.25 % less).
REGION_2024 = 4400.0
BUILT_2024_KM2 = 4.4 * (1 - 0.002527)


@dataclasses.dataclass(frozen=True)
class Case:
    """One broken project and what the commands must do with it.

    ``fails``: texts of the error (each in ``validate``'s output and in ``compute``'s one
    ``Error:`` line); empty for a project that must compute. ``warns``: texts of a warning
    ``validate`` and ``compute`` give. ``check``: tests the long table of a successful
    ``compute``. ``edit``/``edit_config``: changes made before the builder writes the
    project; ``then``: changes made to the written files. ``output``: where ``-o`` points,
    relative to the case's folder; ``options``: more options of ``compute``. ``also``:
    further commands run on the project (``{project}`` and ``{out}`` in them replaced), each
    expected to fail or succeed as the case says.
    """

    name: str
    fails: tuple[str, ...] = ()
    warns: tuple[str, ...] = ()
    check: Callable[[pd.DataFrame], None] | None = None
    edit: Callable | None = None
    edit_config: Callable | None = None
    then: Callable[[Path], None] | None = None
    output: str = "out"
    also: tuple[tuple[str, ...], ...] = ()
    validate: bool = True
    options: tuple[str, ...] = ()


# -- how files get broken -------------------------------------------------------------------
def rewrite(name: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    """Change the text of the project's file ``name``."""

    def then(folder: Path) -> None:
        path = folder / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return then


def replace_text(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(text: str) -> str:
        assert old in text, (name, old)
        return text.replace(old, new)

    return rewrite(name, change)


def with_bom(name: str) -> Callable[[Path], None]:
    def then(folder: Path) -> None:
        path = folder / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    return then


def census_rows(change: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable:
    """An edit of the census table (all text) before it is written."""

    def edit(sample) -> None:
        sample.census = change(sample.census.copy())

    return edit


def with_counts(format_count: Callable[[int], str]) -> Callable:
    def change(table: pd.DataFrame) -> pd.DataFrame:
        for column in ("population_2014", "population_2024"):
            table[column] = [format_count(int(value)) for value in table[column]]
        return table

    return census_rows(change)


def set_config(*path_and_value) -> Callable[[dict], None]:
    """An edit of the project-file document: ``set_config("census", "level", 3)``."""
    *keys, value = path_and_value

    def edit(config: dict) -> None:
        target = config
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value

    return edit


def drop_config(*keys: str) -> Callable[[dict], None]:
    def edit(config: dict) -> None:
        target = config
        for key in keys[:-1]:
            target = target[key]
        del target[keys[-1]]

    return edit


def raster_values(role: str, year: int | None, change: Callable[[np.ndarray], None]):
    def edit(sample) -> None:
        raster = sample.rasters[role][year]
        data = raster.data.copy()
        change(data)
        sample.rasters[role][year] = dataclasses.replace(raster, data=data)

    return edit


def raster_on(role: str, year: int | None, grid: Grid, data: np.ndarray):
    def edit(sample) -> None:
        raster = sample.rasters[role][year]
        sample.rasters[role][year] = dataclasses.replace(raster, grid=grid, data=data)

    return edit


def cells(size: float, *, dx: float = 0.0, dy: float = 0.0, count: int | None = None) -> Grid:
    count = count or round(4 * CELL / size)
    crs = sample_grid().crs
    return Grid(crs, Affine(size, 0, X0 + dx, 0, -size, Y0 + dy), count, count)


def units_layer(layer: str, change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]):
    def edit(sample) -> None:
        sample.units[layer] = change(sample.units[layer].copy())

    return edit


def layer(role: str, change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]):
    def edit(sample) -> None:
        sample.layers[role] = change(sample.layers[role].copy())

    return edit


def geometries(frame: gpd.GeoDataFrame, values) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=list(values), crs=frame.crs)


def bow_tie(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    x0, y0, x1, y1 = frame.geometry.iloc[0].bounds
    tie = Polygon([(x0, y0), (x1, y1), (x1, y0), (x0, y1)])
    return geometries(frame, [tie, *frame.geometry.iloc[1:]])


# -- what successful runs must give -----------------------------------------------------------
def value(table: pd.DataFrame, indicator: str, period: str, unit: str = "04") -> float:
    rows = table[(table.indicator == indicator) & (table.period == period)]
    return float(rows.set_index("unit_id").loc[unit, "value"])


def right_values(table: pd.DataFrame) -> None:
    assert value(table, "population", "2024") == REGION_2024
    assert value(table, "population", "2024", "04.002") == 1320.0
    assert value(table, "built_up_area", "2024") == pytest.approx(BUILT_2024_KM2, rel=1e-4)


def only_covered_published(table: pd.DataFrame) -> None:
    rows = table[(table.indicator == "built_up_area") & (table.period == "2024")]
    rows = rows.set_index("unit_id")
    assert np.isnan(float(rows.loc["04.003", "value"]))  # not covered: not published
    assert "covers 0.0 % of the unit" in rows.loc["04.003", "quality"]
    assert float(rows.loc["04.001", "value"]) == pytest.approx(2.4 * (1 - 0.00252), rel=1e-3)


def without(indicator: str) -> Callable[[pd.DataFrame], None]:
    """The check of a run that leaves out ``indicator`` and computes the rest right."""

    def check(table: pd.DataFrame) -> None:
        assert not table.indicator.str.startswith(indicator).any()
        population_right(table)

    return check


def population_right(table: pd.DataFrame) -> None:
    assert value(table, "population", "2024") == REGION_2024


# -- the corpus ---------------------------------------------------------------------------------
def classes_grid(folder: Path) -> None:
    """A level 2 class grid on the project's grid: every cell a village (13)."""
    data = np.full((4, 4), 13, dtype="uint8")
    write_raster(folder / "classes.tif", Raster(data, sample_grid(), 0, "classes"))


def moved(frame, dx):
    return geometries(frame, frame.geometry.translate(dx, 0))


CASES = [
    # census tables
    Case(
        "census column renamed",
        fails=("population_2024", "census.csv"),
        edit=census_rows(lambda t: t.rename(columns={"population_2024": "pop_2024"})),
    ),
    Case(
        "census id column renamed",
        fails=("census.csv", "'code'"),
        edit=census_rows(lambda t: t.rename(columns={"code": "Code INS"})),
    ),
    Case(
        "codes as numbers, leading zeros lost",
        fails=("census",),
        edit=census_rows(lambda t: t.assign(code=[c.lstrip("0") for c in t["code"]])),
    ),
    Case(
        "thousands separator not declared",
        fails=("census.csv", "1,200", 'thousands = ","'),
        edit=with_counts(lambda n: f"{n:,}"),
    ),
    Case(
        "thousands separator declared",
        edit=with_counts(lambda n: f"{n:,}"),
        edit_config=set_config("census", "thousands", ","),
        check=right_values,
    ),
    Case(
        "counts with a decimal comma declared",
        edit=with_counts(lambda n: f"{n},0"),
        edit_config=set_config("census", "decimal", ","),
        check=right_values,
    ),
    Case("census with a BOM (Excel)", then=with_bom("census.csv"), check=right_values),
    Case(
        "census separated by semicolons (French Excel)",
        then=rewrite("census.csv", lambda text: text.replace(",", ";")),
        check=right_values,
    ),
    Case(
        "negative count",
        fails=("census.csv", "-880"),
        edit=set_census("04.003", "population_2024", "-880"),
    ),
    Case(
        "empty count",
        fails=("census.csv", "population_2024"),
        edit=set_census("04.003", "population_2024", ""),
    ),
    Case(
        "count written as text",
        fails=("census.csv", "n/a"),
        edit=set_census("04.003", "population_2024", "n/a"),
    ),
    Case(
        "fractional count",
        fails=("census.csv", "880.5"),
        edit=set_census("04.003", "population_2024", "880.5"),
    ),
    Case(
        "duplicate census code",
        fails=("census.csv", "04.003"),
        edit=census_rows(lambda t: pd.concat([t, t.iloc[[2]]], ignore_index=True)),
    ),
    Case(
        "census row of another territory",
        warns=("09.999",),
        edit=census_rows(
            lambda t: pd.concat(
                [t, pd.DataFrame([["09.999", "Ailleurs", "10", "10"]], columns=t.columns)]
            )
        ),
        check=right_values,
    ),
    Case(
        "census missing a commune",
        fails=("04.004", "census"),
        edit=census_rows(lambda t: t.iloc[:3]),
    ),
    Case(
        "census file missing",
        fails=("census.csv", "does not exist"),
        then=lambda folder: (folder / "census.csv").unlink(),
    ),
    Case(
        "census path is a folder",
        fails=("census.csv", "is a folder"),
        then=lambda folder: ((folder / "census.csv").unlink(), (folder / "census.csv").mkdir()),
    ),
    Case(
        "census in Latin-1 (old Excel)",
        then=lambda folder: (folder / "census.csv").write_bytes(
            (folder / "census.csv").read_text(encoding="utf-8").encode("latin-1")
        ),
        fails=("census.csv", "not UTF-8", "CSV UTF-8"),
    ),
    Case(
        "census level unknown",
        fails=("census.level", "'municipality'"),
        edit_config=set_config("census", "level", "municipality"),
    ),
    Case(
        "census year not a year",
        fails=("census.population", "twenty"),
        edit_config=set_config(
            "census", "population", {"twenty": "population_2014", "2024": "population_2024"}
        ),
    ),
    # units
    Case(
        "units without CRS",
        fails=("units.gpkg", "CRS"),
        edit=lambda s: s.units.update(
            {k: v.set_crs(None, allow_override=True) for k, v in s.units.items()}
        ),
    ),
    Case(
        "units in Mollweide declared as degrees",
        fails=("units.gpkg",),
        edit=lambda s: s.units.update(
            {k: v.set_crs("EPSG:4326", allow_override=True) for k, v in s.units.items()}
        ),
    ),
    Case(
        "duplicate commune codes",
        fails=("04.001", "units.gpkg"),
        edit=set_commune("code", "04.002", "04.001"),
    ),
    Case(
        "commune outside its province",
        fails=("04.001", "04.02"),
        edit=set_commune("province_code", "04.001", "04.02"),
    ),
    Case(
        "unknown parent code",
        fails=("04.09",),
        edit=set_commune("province_code", "04.001", "04.09"),
    ),
    Case(
        "communes as points",
        fails=("units.gpkg", "communes"),
        edit=units_layer("communes", lambda f: geometries(f, f.geometry.representative_point())),
    ),
    Case(
        "empty commune layer",
        fails=("units.gpkg", "no features"),
        edit=units_layer("communes", lambda f: f.iloc[:0]),
    ),
    Case(
        "commune id field renamed",
        fails=("'code'", "units.gpkg"),
        edit=units_layer("communes", lambda f: f.rename(columns={"code": "CODE_COM"})),
    ),
    Case(
        "commune layer misspelt",
        fails=("communez", "units.gpkg"),
        edit_config=lambda c: c["units"]["levels"][2].update(layer="communez"),
    ),
    Case(
        "bow-tie commune",
        fails=("units.gpkg", "04.001"),
        edit=units_layer("communes", bow_tie),
    ),
    Case(
        "commune without geometry",
        fails=("units.gpkg",),
        edit=units_layer("communes", lambda f: geometries(f, [None, *f.geometry.iloc[1:]])),
    ),
    Case(
        "units file is not a GeoPackage",
        fails=("units.gpkg",),
        then=lambda folder: (folder / "units.gpkg").write_text("code,name\n", encoding="utf-8"),
    ),
    # rasters
    Case(
        "built-up raster cropped to the west half",
        warns=("built_up_2024.tif covers only 50.0 % of the units' area",),
        edit=raster_on(
            "built_up",
            2024,
            dataclasses.replace(cells(CELL, count=4), width=2),
            np.array([[600_000, 600_000]] * 2 + [[150_000, 150_000]] * 2, "float32"),
        ),
        check=only_covered_published,
    ),
    Case(
        "raster shifted far away",
        fails=("population_2014.tif", "does not overlap"),
        edit=replace_raster("population", 2014, grid=cells(CELL, dx=5e6)),
    ),
    Case(
        "population 2024 on 500 m cells",
        warns=("the population grids of 2014 and 2024 differ",),
        edit=raster_on(
            "population",
            2024,
            cells(500.0),
            np.kron(
                np.array([[110, 110, 220, 220]] * 2 + [[330, 330, 440, 440]] * 2), np.ones((2, 2))
            ).astype("float32")
            / 4,
        ),
        check=right_values,
    ),
    Case(
        "population raster all nodata",
        fails=("population_2024.tif", "no data over the units"),
        edit=raster_values("population", 2024, lambda d: d.fill(NODATA)),
    ),
    Case(
        "negative population values",
        fails=("population_2024.tif", "negative"),
        edit=raster_values("population", 2024, lambda d: d.__setitem__((0, 0), -9999)),
    ),
    Case(
        "raster without nodata",
        fails=("population_2014.tif", "nodata"),
        edit=replace_raster("population", 2014, nodata=None),
    ),
    Case(
        "raster without CRS",
        fails=("built_up_2014.tif", "no CRS"),
        edit=replace_raster("built_up", 2014, grid=dataclasses.replace(sample_grid(), crs=None)),
    ),
    Case(
        "raster in degrees",
        fails=("population_2014.tif", "geographic CRS", "-t_srs ESRI:54009 -tr 1000 1000"),
        edit=replace_raster(
            "population",
            2014,
            grid=Grid(CRS.from_epsg(4326), Affine(0.01, 0, -6.9, 0, -0.01, 34.1), 4, 4),
        ),
    ),
    Case(
        "raster file missing",
        fails=("built_up_2024.tif", "does not exist"),
        then=lambda folder: (folder / "rasters" / "built_up_2024.tif").unlink(),
    ),
    Case(
        "raster file is not a GeoTIFF",
        fails=("land.tif",),
        then=lambda folder: (folder / "rasters" / "land.tif").write_text("x", encoding="utf-8"),
    ),
    Case(
        "built-up in m² above the cell area (resampled badly)",
        fails=("built_up_2014.tif", "more m² than the cell"),
        edit=raster_values("built_up", 2014, lambda d: d.__setitem__((0, 0), 4e6)),
    ),
    Case(
        "built-up as shares 0-1",
        edit=lambda s: [
            raster_values("built_up", year, lambda d: d.__itruediv__(1e6))(s)
            for year in (2014, 2024)
        ],
        check=right_values,
    ),
    Case(
        "land raster on 500 m cells",
        warns=("the land raster is not on the population grid",),
        edit=raster_on("land", None, cells(500.0), np.full((8, 8), 250_000.0, "float32")),
        check=right_values,
    ),
    Case(
        "built-up 2024 on 500 m cells",
        warns=("the built_up grids of 2014 and 2024 differ",),
        edit=raster_on(
            "built_up",
            2024,
            cells(500.0),
            np.kron(
                np.array([[600, 600, 300, 300]] * 2 + [[150, 150, 50, 50]] * 2), np.ones((2, 2))
            ).astype("float32")
            * 250,
        ),
        check=right_values,
    ),
    Case(
        "population mostly nodata",
        warns=("nodata over 75.0 %",),
        edit=raster_values("population", 2014, lambda d: d[1:, :].fill(NODATA)),
        check=population_right,
    ),
    # layers
    Case(
        "schools as polygons",
        fails=("facilities.gpkg", "schools"),
        edit=layer("schools", lambda f: geometries(f, f.geometry.buffer(50))),
    ),
    Case(
        "roads as points",
        fails=("network.gpkg", "roads"),
        edit=layer("roads", lambda f: geometries(f, f.geometry.centroid)),
    ),
    Case(
        "empty schools layer",
        # Before: school access published as 0 % everywhere.
        warns=("has no features; the indicators that need the schools layer are not computed",),
        edit=layer("schools", lambda f: f.iloc[:0]),
        options=("--indicator=school_access",),
        check=without("school_access"),
    ),
    Case(
        "capacity field renamed",
        fails=("'seats'", "facilities.gpkg"),
        edit=layer("schools", lambda f: f.rename(columns={"seats": "places"})),
    ),
    Case(
        "capacity written as text",
        fails=("facilities.gpkg", "beaucoup"),
        edit=layer("schools", lambda f: f.assign(seats=["400", "beaucoup"])),
    ),
    Case(
        "transit capacity unknown",
        fails=("facilities.gpkg", "tram"),
        edit=layer("transit_stops", lambda f: f.assign(capacity=["tram", "low", "low"])),
    ),
    Case(
        "layer without CRS",
        fails=("facilities.gpkg", "health", "CRS"),
        edit=layer("health", lambda f: f.set_crs(None, allow_override=True)),
    ),
    Case(
        "facilities far from the units",
        warns=("no feature of facilities.gpkg, layer health lies within the extent",),
        edit=layer("health", lambda f: moved(f, 5e6)),
        options=("--indicator=health_access",),
        check=without("health_access"),
    ),
    # the project file
    Case(
        "bad TOML",
        fails=("observatory.toml", "line"),
        then=rewrite(
            "observatory.toml", lambda text: text.replace('name = "Test', "name = Test", 1)
        ),
    ),
    Case(
        "unknown key",
        fails=("observatory.toml", "nmae", "name"),
        edit_config=lambda c: c["project"].update(nmae="x"),
    ),
    Case(
        "wrong type",
        fails=("observatory.toml", "census.level"),
        edit_config=set_config("census", "level", 3),
    ),
    Case(
        "parameter out of range",
        fails=("low_capacity_m", "-500"),
        edit_config=set_config("parameters", "sdg_11_2_1", {"low_capacity_m": -500}),
    ),
    Case(
        "parameter with its unit",
        fails=("low_capacity_m", "500 m"),
        edit_config=set_config("parameters", "sdg_11_2_1", {"low_capacity_m": "500 m"}),
    ),
    Case(
        "misspelt indicator id",
        fails=("sdg_11_2_l", "sdg_11_2_1"),
        edit_config=set_config("parameters", "sdg_11_2_l", {"low_capacity_m": 500}),
    ),
    Case(
        "BOM in the project file (Notepad)", then=with_bom("observatory.toml"), check=right_values
    ),
    Case(
        "raster path absolute and wrong",
        fails=("/nowhere/population_2014.tif", "does not exist"),
        edit_config=lambda c: c["rasters"]["population"].update(
            {"2014": "/nowhere/population_2014.tif"}
        ),
    ),
    Case(
        "project without units",
        fails=("observatory.toml", "units"),
        edit_config=drop_config("units"),
    ),
    # outputs
    Case("output in a folder of the project", output="project/results", check=right_values),
    Case("output is the project folder", output="project", check=right_values),
    Case(
        "output is the census file",
        fails=("census.csv",),
        output="project/census.csv",
        validate=False,
    ),
    Case(
        "output would replace an input of the same name",
        fails=("indicators.csv",),
        edit_config=set_config("census", "path", "indicators.csv"),
        then=lambda folder: (folder / "census.csv").rename(folder / "indicators.csv"),
        output="project",
        options=("--overwrite",),
        validate=False,
    ),
    Case(
        "output is a file",
        fails=("out.txt",),
        output="out.txt",
        validate=False,
        then=lambda folder: (folder.parent / "out.txt").write_text("keep", encoding="utf-8"),
    ),
    Case(
        "misspelt --indicator",
        fails=("school_acess", "school_access"),
        options=("--indicator=school_acess",),
        validate=False,
    ),
    Case(
        "unknown --level",
        fails=("district", "commune"),
        options=("--level=district",),
        validate=False,
    ),
    # other commands on broken inputs
    Case(
        "access to facilities without a layer",
        fails=("schools",),
        edit=lambda s: s.layers.pop("schools"),
        also=(("access", "{project}", "--to", "schools", "-o", "{out}/d.tif"),),
        validate=False,
    ),
    Case(
        "access on a census with a renamed column",
        fails=("population_2024", "census.csv"),
        edit=census_rows(lambda t: t.rename(columns={"population_2024": "pop_2024"})),
        also=(("access", "{project}", "--to", "schools", "-o", "{out}/d.tif"),),
    ),
    Case(
        "access on an all-nodata population raster",
        fails=("population_2024.tif", "no data over the units"),
        edit=raster_values("population", 2024, lambda d: d.fill(NODATA)),
        also=(("access", "{project}", "--to", "health", "-o", "{out}/d.tif"),),
    ),
    Case(
        "degurba units on points",
        fails=("units.gpkg",),
        then=classes_grid,
        edit=units_layer("communes", lambda f: geometries(f, f.geometry.representative_point())),
        also=(
            (
                "degurba",
                "units",
                "{project}/units.gpkg",
                "--layer",
                "communes",
                "--id",
                "code",
                "--classes",
                "{project}/classes.tif",
                "--population",
                "{project}/rasters/population_2024.tif",
                "-o",
                "{out}/u.csv",
            ),
        ),
        validate=False,
    ),
    Case(
        "degurba units with a wrong id field",
        fails=("'CODE'",),
        then=classes_grid,
        also=(
            (
                "degurba",
                "units",
                "{project}/units.gpkg",
                "--layer",
                "communes",
                "--id",
                "CODE",
                "--classes",
                "{project}/classes.tif",
                "--population",
                "{project}/rasters/population_2024.tif",
                "-o",
                "{out}/u.csv",
            ),
        ),
        validate=False,
    ),
]


# -- running them -------------------------------------------------------------------------------
#: Words one of which every error's fix starts or holds.
FIX_WORDS = (
    *("Fix:", "did you mean", "use ", "set ", "give ", "warp", "check", "add ", "remove"),
    *("point ", "rename", "write", "choose", "delete", "fill", "save", "declare", "e.g."),
)


def fingerprint(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, and every folder (so that none is left)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        found[key] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return found


def commands(case: Case, project: Path, out: Path) -> list[list[str]]:
    chosen = [f"--indicator={indicator}" for indicator in INDICATORS]
    chosen += [f"--level={level}" for level in LEVELS]
    listed = [["validate", str(project)]] if case.validate else []
    if not case.also:
        listed.append(["compute", str(project), "-o", str(out), *chosen, *case.options])
    listed += [[a.format(project=project, out=out) for a in args] for args in case.also]
    return listed


def run(args: list[str]):
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.output,
    )
    assert "Traceback" not in result.output, result.output
    return result


def assert_refused(case: Case, args: list[str], result) -> None:
    output = result.output
    assert result.exit_code == 1, (case.name, args[0], output)
    errors = [line for line in output.splitlines() if line.startswith("Error:")]
    if args[0] == "validate" and not errors:
        errors = [line for line in output.splitlines() if line.startswith("ERROR")]
        assert errors, output
    else:
        assert len(errors) == 1, output
        assert any(word.lower() in errors[0].lower() for word in FIX_WORDS), errors[0]
    for text in case.fails:
        assert any(text in line for line in errors), (case.name, args[0], text, output)


def assert_computed(case: Case, args: list[str], result, out: Path) -> None:
    assert result.exit_code == 0, (case.name, args[0], result.output)
    for text in case.warns:
        assert text in result.output, (case.name, args[0], text, result.output)
    if args[0] == "compute" and case.check is not None:
        table = pd.read_csv(out / "indicators.csv", dtype={"unit_id": str, "period": str})
        case.check(table)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_broken_project_is_refused_or_computed_right(case, tmp_path):
    project = build_project(tmp_path / "project", edit=case.edit, edit_config=case.edit_config)
    if case.then is not None:
        case.then(project)
    out = tmp_path / case.output
    everything, inputs = fingerprint(tmp_path), fingerprint(project)
    for args in commands(case, project, out):
        result = run(args)
        if case.fails:
            assert_refused(case, args, result)
            assert fingerprint(tmp_path) == everything, "an output or a leftover was written"
        else:
            assert_computed(case, args, result, out)
            after = fingerprint(project)
            assert {key: after.get(key) for key in inputs} == inputs, "an input was changed"


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 60


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders"
)
def test_a_read_only_output_folder_is_refused_before_computing(tmp_path):
    project = build_project(tmp_path / "project")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run(["compute", str(project), "-o", str(locked / "out")])
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and str(locked) in errors[0]
    assert "reading the project's layers" not in result.output  # refused before computing
    assert list(locked.iterdir()) == []
