"""Checks of the census counts: whole numbers ≥ 0, written one way.

A count is read with the separators its census table declares (``thousands``, ``decimal``);
undeclared, a cell that can be read two ways (``14,304`` is 14304 or 14.304) is an error
that gives both readings and the key to set, never a guess. A count with a fractional part,
and a column that writes its numbers in two ways, are errors too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.census_spec import CensusTable
from observatory.checks.describe import examples, joined
from observatory.io.tables import CountColumn, read_counts
from observatory.messages import _, ngettext
from observatory.problems import Problem


class _Column:
    """One population column of the census table, and how its messages name it."""

    def __init__(
        self, spec: CensusTable, values: pd.Series, codes: pd.Series, column: str, year: int
    ) -> None:
        self.spec = spec
        self.counts: CountColumn = read_counts(
            values, thousands=spec.thousands, decimal=spec.decimal
        )
        self.ids = codes.fillna("(no id)").to_numpy()
        # read_table gives a RangeIndex; the header is row 1, as a spreadsheet counts them
        self.rows = np.asarray(values.index) + 2
        self.name = _(
            "{file}: column '{column}' ({year})", file=spec.path.name, column=column, year=str(year)
        )

    def cell(self, position: int) -> str:
        """``row 2 (id '11001'): '14,304'``."""
        text = self.counts.text[position]
        return _(
            "row {row} (id {code!r}): {text!r}",
            row=str(self.rows[position]),
            code=self.ids[position],
            text=text,
        )

    def cells(self, mask: np.ndarray) -> str:
        return examples([self.cell(int(p)) for p in np.flatnonzero(mask)], quote=False, limit=3)

    def error(self, message: str, fix: str) -> Problem:
        return Problem(
            "error", self.spec.key, _("{name} {message}", name=self.name, message=message), fix
        )


def check_counts(
    spec: CensusTable,
    values: pd.Series,
    codes: pd.Series,
    column: str,
    year: int,
    project_file: str,
) -> list[Problem]:
    """The counts of one census column are whole numbers ≥ 0, each readable one way only,
    all written with the same separators."""
    counts = _Column(spec, values, codes, column, year)
    found = counts.counts
    problems = []
    empty = found.empty
    if empty.any():
        problems.append(
            counts.error(
                ngettext(
                    "is empty for {count} row(s): ids {ids}.",
                    "is empty for {count} row(s): ids {ids}.",
                    int(empty.sum()),
                    count=int(empty.sum()),
                    ids=examples(list(counts.ids[empty])),
                ),
                _(
                    "copy these counts from the census source; if the source publishes none for "
                    "a unit, ask the statistics office for it: do not make one up."
                ),
            )
        )
    not_number = found.not_number
    if not_number.any():
        problems.append(
            counts.error(
                ngettext(
                    "has {count} value(s) that are not numbers: {cells}.",
                    "has {count} value(s) that are not numbers: {cells}.",
                    int(not_number.sum()),
                    count=int(not_number.sum()),
                    cells=counts.cells(not_number),
                ),
                _(
                    "write plain whole numbers (digits, optionally grouped by thousands); remove "
                    "notes, dashes and footnote marks, and check {key}.thousands and "
                    "{key}.decimal in {file}.",
                    key=spec.key,
                    file=project_file,
                ),
            )
        )
    problems += _ambiguous(counts, project_file)
    problems += _fractional(counts, project_file)
    problems += _mixed(counts)
    negative = np.nan_to_num(found.numbers(), nan=0.0) < 0
    if negative.any():
        problems.append(
            counts.error(
                ngettext(
                    "has {count} negative count(s): {cells}.",
                    "has {count} negative count(s): {cells}.",
                    int(negative.sum()),
                    count=int(negative.sum()),
                    cells=counts.cells(negative),
                ),
                _("a population count is 0 or more: correct these values from the census source."),
            )
        )
    return problems


def _ambiguous(counts: _Column, project_file: str) -> list[Problem]:
    mask = counts.counts.ambiguous
    if not mask.any():
        return []
    first = int(np.flatnonzero(mask)[0])
    readings = counts.counts.readings[first]
    both = _either([reading.describe() for reading in readings])
    keys = _either([_declaration(reading) for reading in readings if _declaration(reading)])
    return [
        counts.error(
            ngettext(
                "has {count} count(s) that can be read two ways: {cells}; the first is {both}.",
                "has {count} count(s) that can be read two ways: {cells}; the first is {both}.",
                int(mask.sum()),
                count=int(mask.sum()),
                cells=counts.cells(mask),
                both=both,
            ),
            _(
                "say how the table writes numbers: add {keys} to {section} in {file} (see "
                "docs/project-file.md).",
                keys=keys,
                section=counts.spec.section,
                file=project_file,
            ),
        )
    ]


def _either(choices: list[str]) -> str:
    """``a or b`` (or ``a`` alone)."""
    if len(choices) == 1:
        return choices[0]
    return _("{first} or {second}", first=choices[0], second=_either(choices[1:]))


def _declaration(reading) -> str:
    """The census table key that makes ``reading`` the only one: ``thousands = ","``."""
    if reading.thousands is not None:
        return f'thousands = "{reading.thousands}"'
    if reading.decimal is not None:
        return f'decimal = "{reading.decimal}"'
    return ""


def _fractional(counts: _Column, project_file: str) -> list[Problem]:
    mask = counts.counts.fractional
    if not mask.any():
        return []
    declared = [
        f'{key} = "{value}"'
        for key, value in (("thousands", counts.spec.thousands), ("decimal", counts.spec.decimal))
        if value is not None
    ]
    as_declared = _(" (read with {declared})", declared=", ".join(declared)) if declared else ""
    return [
        counts.error(
            ngettext(
                "has {count} count(s) with a fractional part{as_declared}: {cells}; a "
                "population count is a whole number.",
                "has {count} count(s) with a fractional part{as_declared}: {cells}; a "
                "population count is a whole number.",
                int(mask.sum()),
                count=int(mask.sum()),
                as_declared=as_declared,
                cells=counts.cells(mask),
            ),
            _(
                "give the census counts of people, not estimates or shares; if the mark is a "
                "thousands separator, set {key}.thousands in {file} to it.",
                key=counts.spec.key,
                file=project_file,
            ),
        )
    ]


def _mixed(counts: _Column) -> list[Problem]:
    problems = []
    for role, marks, positions in counts.counts.mixed():
        pairs = zip(marks, positions, strict=True)
        shown = [
            _("{mark!r} in {cell}", mark=mark, cell=counts.cell(position))
            for mark, position in pairs
        ]
        problems.append(
            counts.error(
                _(
                    "writes its numbers in more than one way ({role} written {shown}).",
                    role=role,
                    shown=joined(shown, "; "),
                ),
                _(
                    "write the whole column one way (in a spreadsheet: format the column as "
                    "Number, then save it again as CSV)."
                ),
            )
        )
    return problems
