"""Checks of the census table: its columns, codes and counts, and its codes against the
units of its level.

Rows matching no unit are ignored by ``compute`` (a national table may serve a region), so
they are one warning and their counts are not checked; units without a row are an error.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from observatory.checks.counts import check_counts
from observatory.checks.describe import examples, field_names
from observatory.checks.units import UnitLevel, check_codes
from observatory.io.tables import codes_as_text
from observatory.problems import Problem
from observatory.project import CensusSpec


def check_census(
    spec: CensusSpec, table: pd.DataFrame, units: UnitLevel | None, project_file: str
) -> list[Problem]:
    """Columns, codes and counts of the census ``table``, and its codes against ``units``
    (the level of the census, when it could be read)."""
    problems = []
    source = spec.path.name
    columns = {"id": spec.id} | {
        f"population.{year}": column for year, column in spec.population.items()
    }
    missing = {key: column for key, column in columns.items() if column not in table.columns}
    for key, column in missing.items():
        problems.append(
            Problem(
                "error",
                "census",
                f"column '{column}' (census.{key}) not found in {source}; its columns are: "
                f"{field_names(table)}.",
                f"set census.{key} in {project_file} to one of these column names.",
            )
        )
    if spec.id in missing.values():
        return problems
    codes = codes_as_text(table[spec.id])
    problems += check_codes("census", source, codes, spec.id, what="rows")
    known_units = units is not None and units.codes is not None
    # Rows matching no unit are ignored by compute (reported once below), so their
    # counts are not checked: a national table with merged municipalities stays usable.
    used = codes.isin(units.usable_codes) if known_units else pd.Series(True, codes.index)
    for year, column in spec.population.items():
        if column not in missing.values():
            problems += check_counts(
                spec, table[column][used], codes[used], column, year, project_file
            )
    if known_units:
        problems += check_census_codes(source, set(codes.dropna()), units)
    return problems


def check_census_codes(source: str, census_codes: set[str], units: UnitLevel) -> list[Problem]:
    """Census codes and unit codes of the census level match both ways."""
    level = units.level
    unit_codes = units.usable_codes
    unknown = sorted(census_codes - unit_codes)
    uncounted = sorted(unit_codes - census_codes)
    problems = []
    hint = ""
    if _simplified(unknown) & _simplified(uncounted):
        hint = (
            " Some codes differ only in format (leading zeros, dots or spaces): keep codes "
            "as text (in Excel, format the column as Text before typing or importing)."
        )
    if unknown:
        problems.append(
            Problem(
                "warning",
                "census",
                f"{len(unknown)} census id(s) in {source} match no {level.name} unit and are "
                f"ignored: {examples(unknown)} (the {level.name} ids look like "
                f"{examples(sorted(unit_codes), limit=3)}).",
                f"correct these codes so they match '{level.id}' of the {level.name} layer, "
                "or remove the rows if they are outside the territory." + hint,
            )
        )
    if uncounted:
        problems.append(
            Problem(
                "error",
                units.name,
                f"{len(uncounted)} {level.name} unit(s) have no row in the census {source}: "
                f"{examples(uncounted)}.",
                "add their census rows with the counts of the census source, or correct the "
                "codes so they match." + hint,
            )
        )
    return problems


def _simplified(codes: Iterable[str]) -> set[str]:
    """Codes without separators and leading zeros, to recognise format differences."""
    return {"".join(ch for ch in code if ch.isalnum()).lstrip("0") for code in codes}
