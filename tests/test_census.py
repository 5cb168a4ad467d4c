"""Tests of observatory.census: tables followed through the crosswalk, matched with the units,
combined, rolled up, and the reasons of a missing figure. Every answer is worked out by hand.

The territory: region R; provinces P1 (communes A, B) and P2 (commune C).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from observatory.census import UnitTree, census_figures, census_provenance, follow
from observatory.census_spec import CensusSpec, CensusTable, Crosswalk

TREE = UnitTree(
    codes={
        "region": pd.Index(["R"]),
        "province": pd.Index(["P1", "P2"]),
        "commune": pd.Index(["A", "B", "C"]),
    },
    parents={
        "province": pd.Series({"P1": "R", "P2": "R"}),
        "commune": pd.Series({"A": "P1", "B": "P1", "C": "P2"}),
    },
)


def table(name: str, years: dict[int, str], level: str = "commune", key: str = "") -> CensusTable:
    return CensusTable(path=Path(name), level=level, id="code", population=years, key=key or name)


def frame(rows: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype=object)


def walk(years=(2014,), share: str | None = None) -> Crosswalk:
    return Crosswalk(Path("cw.csv"), source="old", target="new", years=years, share=share)


def figures_of(tables, frames, walks=(), walk_frames=None):
    spec = CensusSpec(tables=tuple(tables), crosswalks=tuple(walks))
    return census_figures(spec, frames, walk_frames or {}, TREE)


def test_a_merger_sums_the_people_of_the_old_codes():
    # A1 (10) and A2 (20) merged into A; B keeps its code.
    census = table("c.csv", {2014: "p"})
    rows = frame({"code": ["A1", "A2", "B", "C"], "p": ["10", "20", "7", "5"]})
    links = frame({"old": ["A1", "A2"], "new": ["A", "A"]})
    figures = figures_of([census], {"c.csv": rows}, [walk()], {"census.crosswalk": links})
    assert figures.levels["commune"][2014].to_dict() == {"A": 30.0, "B": 7.0, "C": 5.0}
    assert figures.unmatched.empty


def test_a_split_gives_each_new_code_its_share():
    census = table("c.csv", {2014: "p"})
    rows = frame({"code": ["OLD", "C"], "p": ["100", "5"]})
    links = frame({"old": ["OLD", "OLD"], "new": ["A", "B"], "s": ["0.6", "0,4"]})
    figures = figures_of([census], {"c.csv": rows}, [walk(share="s")], {"census.crosswalk": links})
    assert figures.levels["commune"][2014].to_dict() == pytest.approx(
        {"A": 60.0, "B": 40.0, "C": 5.0}
    )


def test_the_crosswalk_applies_only_to_its_years():
    census = table("c.csv", {2014: "p14", 2024: "p24"})
    rows = frame({"code": ["A1", "B", "C"], "p14": ["10", "7", "5"], "p24": ["11", "8", "6"]})
    links = frame({"old": ["A1"], "new": ["A"]})
    figures = figures_of([census], {"c.csv": rows}, [walk((2014,))], {"census.crosswalk": links})
    # 2014: A1 is followed to A; 2024: A1 stays A1, matches no unit, and A has no figure
    assert figures.levels["commune"].loc["A", 2014] == 10.0
    assert np.isnan(figures.levels["commune"].loc["A", 2024])
    unmatched = figures.unmatched
    assert unmatched[["written", "code", "year"]].values.tolist() == [["A1", "A1", 2024]]


def test_unmatched_codes_are_listed_with_their_code_after_the_crosswalk():
    census = table("c.csv", {2014: "p"})
    rows = frame({"code": ["A", "B", "C", "X1", "Z"], "p": ["1", "2", "3", "4", "5"]})
    links = frame({"old": ["X1"], "new": ["X"]})
    figures = figures_of([census], {"c.csv": rows}, [walk()], {"census.crosswalk": links})
    assert figures.unmatched[["file", "written", "code"]].values.tolist() == [
        ["c.csv", "X1", "X"],
        ["c.csv", "Z", "Z"],
    ]
    assert census_provenance(figures)["codes_not_matched"] == [
        {"table": "c.csv", "file": "c.csv", "year": 2014, "written": "X1", "code": "X"},
        {"table": "c.csv", "file": "c.csv", "year": 2014, "written": "Z", "code": "Z"},
    ]


def test_a_unit_missing_in_one_year_has_no_figure_and_neither_has_its_parent():
    tables = [table("a.csv", {2014: "p"}), table("b.csv", {2024: "p"})]
    frames = {
        "a.csv": frame({"code": ["A", "C"], "p": ["10", "5"]}),  # B has no 2014 row
        "b.csv": frame({"code": ["A", "B", "C"], "p": ["11", "22", "6"]}),
    }
    figures = figures_of(tables, frames)
    assert np.isnan(figures.levels["commune"].at["B", 2014])
    provinces = figures.on(TREE, "province")
    # P1 is not 10 (A alone) in 2014: one of its communes is missing
    assert np.isnan(provinces.at["P1", 2014]) and provinces.at["P2", 2014] == 5.0
    assert provinces.loc["P1", 2024] == 33.0
    assert figures.missing(TREE, "commune", [2014, 2024]).to_dict() == {
        "A": "",
        "B": "no census 2014 figure",
        "C": "",
    }
    assert figures.missing(TREE, "region", [2014])["R"] == (
        "no census 2014 figure for 1 of its 3 commune units"
    )
    assert census_provenance(figures)["units_without_figure"] == [
        {"level": "commune", "unit_id": "B", "years": [2014]}
    ]


def test_two_tables_giving_one_unit_and_year_are_a_conflict_or_an_overlap():
    tables = [table("a.csv", {2014: "p"}), table("b.csv", {2014: "p"})]
    frames = {
        "a.csv": frame({"code": ["A", "B"], "p": ["10", "20"]}),
        "b.csv": frame({"code": ["B", "C"], "p": ["21", "5"]}),
    }
    figures = figures_of(tables, frames)
    (conflict,) = figures.conflicts
    assert (conflict.code, conflict.first_people, conflict.second_people) == ("B", 20.0, 21.0)
    assert (conflict.first.path.name, conflict.second.path.name) == ("a.csv", "b.csv")
    # the first table's figure is kept (compute stops on the conflict anyway)
    assert figures.levels["commune"][2014].tolist() == [10.0, 20.0, 5.0]
    frames["b.csv"] = frame({"code": ["B", "C"], "p": ["20", "5"]})
    figures = figures_of(tables, frames)
    assert figures.conflicts == [] and [o.code for o in figures.overlaps] == ["B"]


def test_a_coarser_table_feeds_its_level_and_the_year_level_is_the_finest_one():
    tables = [
        table("communes.csv", {2014: "p"}),
        table("provinces.csv", {2004: "p", 2014: "p14"}, level="province"),
    ]
    frames = {
        "communes.csv": frame({"code": ["A", "B", "C"], "p": ["10", "20", "5"]}),
        "provinces.csv": frame({"code": ["P1", "P2"], "p": ["25", "4"], "p14": ["30", "6"]}),
    }
    figures = figures_of(tables, frames)
    assert figures.year_levels == {2004: "province", 2014: "commune"}
    assert figures.years_at("province") == [2004]
    provinces = figures.on(TREE, "province")
    # 2004 as given; 2014 summed from the communes (30 and 5), not the table's 6 for P2
    assert provinces.to_dict() == {2004: {"P1": 25.0, "P2": 4.0}, 2014: {"P1": 30.0, "P2": 5.0}}
    assert figures.on(TREE, "region").to_dict() == {2004: {"R": 29.0}, 2014: {"R": 35.0}}
    assert list(figures.on(TREE, "commune").columns) == [2014]
    # a commune of a year known only for the provinces: its province's figure is missing
    figures.levels["province"].loc["P2", 2004] = np.nan
    assert figures.missing(TREE, "commune", [2004])["C"] == (
        "no census 2004 figure for its province P2"
    )


def test_a_code_that_receives_others_through_the_crosswalk_is_reported():
    census = table("c.csv", {2014: "p"})
    rows = frame({"code": ["A", "A2", "B", "C"], "p": ["10", "20", "7", "5"]})
    links = frame({"old": ["A2"], "new": ["A"]})
    figures = figures_of([census], {"c.csv": rows}, [walk()], {"census.crosswalk": links})
    assert figures.levels["commune"].at["A", 2014] == 30.0
    assert [(t.key, year, code, codes) for t, year, code, codes in figures.absorbed] == [
        ("c.csv", 2014, "A", ["A2"])
    ]


def test_follow_keeps_codes_not_in_the_crosswalk():
    links = pd.DataFrame({"source": ["X"], "target": ["Y"], "share": [1.0]})
    rows = follow(pd.Series(["X", "Z", None]), np.array([1.0, 2.0, 3.0]), links)
    assert rows[["written", "code", "people", "followed"]].values.tolist() == [
        ["X", "Y", 1.0, True],
        ["Z", "Z", 2.0, False],
    ]


def test_roll_up_leaves_a_parent_without_units_empty():
    tree = UnitTree(
        codes={"province": pd.Index(["P1", "P3"]), "commune": pd.Index(["A"])},
        parents={"commune": pd.Series({"A": "P1"})},
    )
    summed = tree.roll_up(pd.DataFrame({2014: [4.0]}, index=["A"]), "commune", "province")
    assert summed[2014].iloc[0] == 4.0 and np.isnan(summed[2014].iloc[1])  # never 0
