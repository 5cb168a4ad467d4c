"""The headline figures a command prints after a run, in the project's language.

``observatory demo`` prints the region and its provinces (the two coarsest levels) with a
few headline indicators, their headers translated by the catalogs and the numbers written
as the language writes them (``1 234 567`` in French).
"""

from __future__ import annotations

import math

from observatory.report.i18n import Translator, translator
from observatory.report.labels import N_

#: The tables: (title, [(wide column, header, decimals), ...]).
HEADLINES = (
    (
        N_("Population and land"),
        [
            ("population_2014", N_("Pop. 2014"), 0),
            ("population_2024", N_("Pop. 2024"), 0),
            ("population_density_2024", N_("Density /km²"), 0),
            ("population_growth_rate_2014_2024", N_("Growth %/yr"), 2),
            ("built_up_per_capita_2024", N_("Built m²/pers."), 0),
            ("sdg_11_3_1_2014_2024", N_("SDG 11.3.1"), 2),
        ],
    ),
    (
        N_("Access (% of population, 2024) and urbanisation"),
        [
            ("sdg_11_2_1_2024", N_("SDG 11.2.1"), 1),
            ("school_access_2024", N_("School ≤1 km"), 1),
            ("health_access_2024", N_("Health"), 1),
            ("sdg_11_7_1_access_2024", N_("Open space"), 1),
            ("urban_centre_population_share_2024", N_("Urban centre"), 1),
            ("degurba_l1_2024", N_("DEGURBA*"), 0),
        ],
    ),
)
FOOTNOTE = N_("* Degree of Urbanisation: 3 city, 2 town and semi-dense area, 1 rural area.")
#: Width of the name column and of each figure column (characters).
NAME_WIDTH, CELL_WIDTH = 26, 16


def headline_table(results, language: str | None = None) -> str:
    """The region and provinces (two coarsest levels) of ``results`` with headline figures.

    Parameters
    ----------
    results : Results
        A run of :func:`observatory.engine.run`.
    language : str, optional
        The language of headers and numbers; the project's by default.
    """
    t = translator(language or results.project.language)
    frames = {level: results.wide(level) for level in results.levels()[:2]}
    lines = []
    for title, wanted in HEADLINES:
        lines.append(f"{t.gettext(title)}\n")
        for level, wide in frames.items():
            columns = [(c, header, places) for c, header, places in wanted if c in wide.columns]
            if columns:
                lines.extend(_level_lines(level, wide, columns, t))
                lines.append("")
    lines.append(f"{t.gettext(FOOTNOTE)}\n")
    return "\n".join(lines)


def _level_lines(level: str, wide, columns, t: Translator) -> list[str]:
    """The header line of one level and a line per unit."""
    headers = "".join(f"{t.gettext(header):>{CELL_WIDTH}}" for _, header, _ in columns)
    lines = [f"{level.capitalize():<{NAME_WIDTH}}{headers}"]
    for _, row in wide.iterrows():
        cells = "".join(
            f"{_figure(row[c], places, t)[: CELL_WIDTH - 1]:>{CELL_WIDTH}}"
            for c, _, places in columns
        )
        lines.append(f"{str(row['unit_name'])[: NAME_WIDTH - 1]:<{NAME_WIDTH}}{cells}")
    return lines


def _figure(value, places: int, t: Translator) -> str:
    """``value`` with ``places`` decimals in the language's format; ``–`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return t.number(float(value), decimals=places)
