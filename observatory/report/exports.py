"""SDG indicators in the formats national statistics offices load: Open SDG and SDMX-CSV.

Both read a results folder of ``observatory compute`` (:func:`observatory.io.published.
read_published`) and keep its values unrounded.

- **Open SDG** (the open-source SDG reporting platform): per SDG indicator, a data file
  ``data/indicator_11-3-1.csv`` in the platform's tidy layout (``Year`` first, the
  disaggregation columns, ``GeoCode``, ``Units``, ``Value`` last; a blank disaggregation
  means the total) and a metadata file ``meta/11-3-1.yml`` with the mandatory fields
  (``indicator_number``, ``indicator_name``, ``reporting_status``, ``data_non_statistical``,
  ``graph_title``, ``graph_type``) and the usual national ones.
- **SDMX-CSV** with the dimensions of the SDG data structure (``SERIES`` with the global
  series codes, ``REF_AREA`` the unit code, ``URBANISATION``, ``TIME_PERIOD``...).

Disaggregation by Degree of Urbanisation: when the results have the level-1 class of the
finest units and the indicator's numerator and denominator, the territory's value for each
class (cities, towns and semi-dense areas, rural areas; SDMX: urban = cities + towns,
rural) is ``Σ numerator / Σ denominator`` over the finest units of that class, scaled as
the indicator scales it (read from the data). An indicator period ``2014_2024`` is
reported for its last year; of the change periods ending in the same year (the last pair of
consecutive years and the whole span, from three years on), the shorter is reported, so a
series has one observation a year (:func:`reported`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from observatory.degurba import UNIT_LEVEL1_CODES
from observatory.indicators.registry import catalogue, period_order
from observatory.report.i18n import Translator, translator
from observatory.report.labels import unit_label, value_label


@dataclass(frozen=True)
class SdgSeries:
    """How an Observatory indicator is reported as an SDG indicator.

    Attributes
    ----------
    indicator : str
        The SDG indicator number (``11.3.1``).
    series : str or None
        The series code of the SDG global database (None: the indicator has no global
        series; it is published in Open SDG only).
    unit_measure : str
        The SDMX ``UNIT_MEASURE`` code of the series.
    custodian : str
        The custodian agency.
    """

    indicator: str
    series: str | None
    unit_measure: str
    custodian: str


#: The SDG indicators Observatory computes, with their global series (SDG global database).
SDG_SERIES = {
    "sdg_11_2_1": SdgSeries("11.2.1", "SP_TRN_PUBL", "PT", "UN-Habitat"),
    "sdg_11_3_1": SdgSeries("11.3.1", "EN_LND_CNSPOP", "RO", "UN-Habitat"),
    "sdg_11_6_2": SdgSeries("11.6.2", "EN_ATM_PM25", "GPERM3", "WHO"),
    "sdg_11_7_1_share": SdgSeries("11.7.1", "EN_URB_OPENSP", "PT", "UN-Habitat"),
    "sdg_11_7_1_access": SdgSeries("11.7.1", None, "PT", "UN-Habitat"),
}
#: The default SDMX dataflow of the rows (``agency:id(version)``).
DATAFLOW = "IAEG-SDGs:DF_SDG_GLC(1.20)"
#: Dimensions of the SDG data structure, in order, and the attributes written after them.
SDMX_DIMENSIONS = (
    "FREQ",
    "REPORTING_TYPE",
    "SERIES",
    "REF_AREA",
    "SEX",
    "AGE",
    "URBANISATION",
    "INCOME_WEALTH_QUANTILE",
    "EDUCATION_LEV",
    "OCCUPATION",
    "CUST_BREAKDOWN",
    "COMPOSITE_BREAKDOWN",
    "DISABILITY_STATUS",
    "ACTIVITY",
    "PRODUCT",
    "TIME_PERIOD",
)
SDMX_COLUMNS = ("DATAFLOW", *SDMX_DIMENSIONS, "OBS_VALUE", "UNIT_MEASURE", "UNIT_MULT")
#: SDMX ``URBANISATION`` of each Degree of Urbanisation level-1 class (urban = city + town).
URBANISATION = {3: "U", 2: "U", 1: "R"}
TOTAL = "_T"
#: Open SDG columns around the disaggregations.
YEAR, SERIES, GEOCODE, UNITS, VALUE = "Year", "Series", "GeoCode", "Units", "Value"


def year_of(period: str) -> int:
    """The year a period is reported for: ``2024``, or the last year of ``2014_2024``."""
    return int(str(period).split("_")[-1])


def reported(rows: pd.DataFrame) -> pd.DataFrame:
    """The ``rows`` of one indicator whose period is reported: one period per year.

    Of the periods ending in the same year, the shortest: ``2005_2015`` rather than the
    whole span ``2000_2015``, which stays in the results' own tables. Two observations of
    one series in one year would be a duplicate key in SDMX and in Open SDG.
    """
    kept: dict[int, str] = {}
    for period in sorted(set(rows["period"].astype(str)), key=period_order):
        kept.setdefault(year_of(period), period)
    return rows[rows["period"].astype(str).isin(set(kept.values()))]


def top_units(published) -> dict[str, str]:
    """Every unit code → the code of its unit at the coarsest level."""
    levels = published.levels
    top_of = {str(u): str(u) for u in published.layers[levels[0]]["unit_id"]}
    for level in levels[1:]:
        frame = published.layers[level]
        for unit, parent in zip(frame["unit_id"], frame["parent_id"], strict=True):
            top_of[str(unit)] = top_of.get(str(parent), str(parent))
    return top_of


def ratio_scale(rows: pd.DataFrame) -> float | None:
    """The factor ``value / (numerator / denominator)`` the rows share, None if they do not.

    It tells how the indicator scales its ratio (100 for a percentage), so that a ratio of
    summed components is scaled as the indicator's own values are.
    """
    usable = rows[(rows["numerator"] > 0) & (rows["denominator"] > 0) & np.isfinite(rows["value"])]
    if usable.empty:
        return None
    factors = usable["value"] / (usable["numerator"] / usable["denominator"])
    scale = float(factors.median())
    return scale if np.allclose(factors, scale, rtol=1e-6) else None


def class_aggregates(published, indicator_id: str, groups: dict[int, str]) -> pd.DataFrame:
    """The indicator for the finest units of each group of Degree of Urbanisation classes.

    Parameters
    ----------
    published : PublishedResults
        The results folder.
    indicator_id : str
        A ratio indicator with numerator and denominator in the long table.
    groups : dict of int to str
        Level-1 class code → the group it counts in (``{3: "U", 2: "U", 1: "R"}``).

    Returns
    -------
    DataFrame
        ``top`` (coarsest unit code), ``period``, ``group``, ``value``; empty when the
        results cannot give it (no class, no components, a change period).
    """
    empty = pd.DataFrame(columns=["top", "period", "group", "value"])
    long, finest = published.long, published.levels[-1]
    rows = long[(long["indicator"] == indicator_id) & (long["level"] == finest)]
    classes = long[(long["indicator"] == "degurba_l1") & (long["level"] == finest)]
    scale = ratio_scale(long[long["indicator"] == indicator_id])
    if rows.empty or classes.empty or scale is None:
        return empty
    classes = classes[["unit_id", "period", "value"]].rename(columns={"value": "klass"})
    merged = rows.merge(classes, on=["unit_id", "period"])
    merged = merged[merged["klass"].isin(list(groups))]
    if merged.empty:
        return empty
    top_of = top_units(published)
    merged = merged.assign(
        top=merged["unit_id"].map(top_of), group=merged["klass"].astype(int).map(groups)
    )
    sums = merged.groupby(["top", "period", "group"], sort=False)[["numerator", "denominator"]]
    totals = sums.sum().reset_index()
    totals = totals[totals["denominator"] > 0]
    totals["value"] = scale * totals["numerator"] / totals["denominator"]
    return totals[["top", "period", "group", "value"]].reset_index(drop=True)


# -- Open SDG ------------------------------------------------------------------------------
def opensdg_files(published, language: str) -> dict[str, pd.DataFrame | str]:
    """The Open SDG files of the SDG indicators in ``published``: path → table or text.

    One ``data/indicator_<n>.csv`` and one ``meta/<n>.yml`` per SDG indicator number with
    at least one value (``n`` is the number with dashes, ``11-3-1``).
    """
    t = translator(language)
    present = set(published.long["indicator"])
    numbers: dict[str, list[str]] = {}
    for indicator_id, sdg in SDG_SERIES.items():
        if indicator_id in present:
            numbers.setdefault(sdg.indicator, []).append(indicator_id)
    files: dict[str, pd.DataFrame | str] = {}
    for number, indicator_ids in numbers.items():
        dashed = number.replace(".", "-")
        files[f"data/indicator_{dashed}.csv"] = opensdg_data(published, indicator_ids, t)
        files[f"meta/{dashed}.yml"] = opensdg_metadata(published, number, indicator_ids, t)
    return files


def opensdg_data(published, indicator_ids: list[str], t: Translator) -> pd.DataFrame:
    """The tidy data of one SDG indicator (its series in ``indicator_ids``) for Open SDG.

    Columns ``Year``, ``Series``, one per level of units (the coarsest is left out when it
    is a single unit: its rows are the headline, every disaggregation blank), the Degree of
    Urbanisation class (when there are class rows), ``GeoCode``, ``Units``, ``Value``.
    """
    levels = published.levels
    headline = len(published.layers[levels[0]]) == 1
    level_columns = {level: level.capitalize() for level in (levels[1:] if headline else levels)}
    class_column = t.gettext("Degree of urbanisation")
    specs = catalogue()
    names = _unit_names(published)
    rows = []
    for indicator_id in indicator_ids:
        spec = specs[indicator_id]
        series = spec.text("title", t.language)
        units = unit_label(spec.unit, t)
        long = published.long
        values = reported(long[(long["indicator"] == indicator_id) & long["value"].notna()])
        for row in values.itertuples(index=False):
            record = {YEAR: year_of(row.period), SERIES: series, GEOCODE: row.unit_id}
            if row.level in level_columns:
                record[level_columns[row.level]] = row.unit_name
            rows.append({**record, UNITS: units, VALUE: row.value})
        for row in class_aggregates(
            published, indicator_id, {c: c for c in UNIT_LEVEL1_CODES}
        ).itertuples(index=False):
            record = {YEAR: year_of(row.period), SERIES: series, GEOCODE: ""}
            if not headline:
                record[level_columns[levels[0]]] = names[row.top]
            record[class_column] = value_label(UNIT_LEVEL1_CODES[row.group], t)
            rows.append({**record, UNITS: units, VALUE: row.value})
    frame = pd.DataFrame(rows)
    disaggregations = list(level_columns.values())
    if class_column in frame.columns:
        disaggregations.append(class_column)
    columns = [YEAR, SERIES, *disaggregations, GEOCODE, UNITS, VALUE]
    frame = frame.reindex(columns=columns)
    for column in [*disaggregations, GEOCODE]:
        frame[column] = frame[column].astype(object).fillna("")
    frame["_detail"] = (frame[disaggregations] != "").sum(axis=1)
    frame = frame.sort_values(["_detail", SERIES, YEAR], kind="stable")
    return frame.drop(columns="_detail").reset_index(drop=True)


def _unit_names(published) -> dict[str, str]:
    """Unit code → name, over every level."""
    return {
        str(code): str(name)
        for frame in published.layers.values()
        for code, name in zip(frame["unit_id"], frame["unit_name"], strict=True)
    }


def opensdg_metadata(published, number: str, indicator_ids: list[str], t: Translator) -> str:
    """The Open SDG metadata (YAML) of one SDG indicator, in the language of ``t``."""
    specs = catalogue()
    first = specs[indicator_ids[0]]
    goal, target, _ = number.split(".")
    name = first.text("title", t.language)
    fields = {
        "indicator_number": number,
        "indicator_name": name,
        "indicator_sort_order": "-".join(f"{int(p):02d}" for p in number.split(".")),
        "sdg_goal": goal,
        "target_id": f"{goal}.{target}",
        "reporting_status": "complete",
        "published": True,
        "data_non_statistical": False,
        "data_show_map": True,
        "graph_type": "line",
        "graph_title": name,
        "computation_units": unit_label(first.unit, t),
        "national_indicator_description": " ".join(
            specs[i].text("description", t.language) for i in indicator_ids
        ),
        "computation_calculations": " ".join(specs[i].method for i in indicator_ids),
        "national_geographical_coverage": published.name,
        "un_custodian_agency": SDG_SERIES[indicator_ids[0]].custodian,
        "source_active_1": True,
        "source_organisation_1": published.name,
        "source_data_1": "; ".join(
            dict.fromkeys(r for i in indicator_ids for r in specs[i].references)
        ),
        "source_periodicity_1": t.gettext("at each census and grid update"),
        "sdmx_series": [SDG_SERIES[i].series or "" for i in indicator_ids],
    }
    return yaml_text(fields)


def yaml_text(fields: dict) -> str:
    """``fields`` as a YAML mapping (strings double-quoted, so never misread as numbers)."""
    lines = []
    for key, value in fields.items():
        if isinstance(value, list):
            items = "".join(f"\n  - {json.dumps(item, ensure_ascii=False)}" for item in value)
            lines.append(f"{key}:{items}")
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


# -- SDMX ----------------------------------------------------------------------------------
def sdmx_table(published, *, dataflow: str = DATAFLOW) -> tuple[pd.DataFrame, dict[str, str]]:
    """The SDG indicators of ``published`` as SDMX-CSV rows, and those left out (id → why).

    One observation per unit and year (``URBANISATION = _T``), and for each unit of the
    coarsest level its urban (``U``) and rural (``R``) values when the Degree of
    Urbanisation classes allow them. Missing values are left out.
    """
    long = published.long
    rows, skipped = [], {}
    for indicator_id, sdg in SDG_SERIES.items():
        if indicator_id not in set(long["indicator"]):
            continue
        if sdg.series is None:
            skipped[indicator_id] = (
                f"SDG {sdg.indicator} has no global series for it; it is in the Open SDG export"
            )
            continue
        values = reported(long[(long["indicator"] == indicator_id) & long["value"].notna()])
        for row in values.itertuples(index=False):
            rows.append(_observation(dataflow, sdg, row.unit_id, TOTAL, row.period, row.value))
        for row in class_aggregates(published, indicator_id, URBANISATION).itertuples(index=False):
            rows.append(_observation(dataflow, sdg, row.top, row.group, row.period, row.value))
    return pd.DataFrame(rows, columns=list(SDMX_COLUMNS)), skipped


def _observation(dataflow, sdg: SdgSeries, area, urbanisation, period, value) -> dict:
    """One SDMX-CSV row: the series' key (totals but for ``URBANISATION``) and its value."""
    row = {dimension: TOTAL for dimension in SDMX_DIMENSIONS}
    row.update(
        DATAFLOW=dataflow,
        FREQ="A",
        REPORTING_TYPE="N",
        SERIES=sdg.series,
        REF_AREA=str(area),
        URBANISATION=urbanisation,
        TIME_PERIOD=str(year_of(period)),
        OBS_VALUE=float(value),
        UNIT_MEASURE=sdg.unit_measure,
        UNIT_MULT="0",
    )
    return row
