"""The page and files of ``observatory compare``: territories side by side, or one unit.

A comparison of territories is written as ``comparison.csv``, ``comparability.csv``,
``comparison.xlsx`` (:mod:`observatory.report.comparison`) and ``index.html``: the
territories, what concerns every indicator, a comparability table, then per indicator its
notes beside the ranking of the pooled units (with a bar per unit on a common scale,
coloured by territory). A unit's profile is written as ``unit.csv``, ``unit.xlsx`` and
``index.html``: the unit, its parent, its Degree of Urbanisation peers, and per indicator
its value beside its parent's, its peers' median and its level's distribution (a one-line
box plot). The pages use the atlas's templates, stylesheet and script; they work offline.
"""

from __future__ import annotations

import math
from datetime import date
from functools import partial
from pathlib import Path

from markupsafe import Markup

from observatory.__about__ import __version__
from observatory.compare import Comparison, UnitProfile, compare_territories, unit_profile
from observatory.indicators.registry import get_indicator
from observatory.io.atlas import read_atlas_sources
from observatory.io.comparison import write_comparison_files
from observatory.report.atlas import template_environment
from observatory.report.atlas.texts import atlas_texts
from observatory.report.charts import comparison_bars, distribution_strip
from observatory.report.comparison import (
    comparability_table,
    comparison_sheets,
    difference_text,
    only_in_text,
    profile_sheet,
    profile_table,
    ranked_on_text,
    status_text,
)
from observatory.report.i18n import Translator, translator
from observatory.report.labels import decimals, unit_label
from observatory.report.legend import class_names
from observatory.report.mapdata import level_label, period_label

#: Colours of the territories (ColorBrewer Dark2), in the order they are given.
TERRITORY_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")
PAGE = "index.html"
ASSETS = ("atlas.css", "atlas.js")


def comparison_texts(t: Translator) -> dict[str, str]:
    """Key → text of the comparison pages' furniture."""
    return {
        "comparison_title": t.gettext("Comparison of territories"),
        "territories": t.gettext("Territories"),
        "territory": t.gettext("Territory"),
        "level": t.gettext("Level"),
        "units": t.gettext("Units"),
        "median_area": t.gettext("Median unit area (km²)"),
        "version": t.gettext("Observatory version"),
        "folder": t.gettext("Results folder"),
        "before_reading": t.gettext("Before reading the figures"),
        "comparability": t.gettext("Comparability of the indicators"),
        "comparability_hint": t.gettext(
            "Read from the provenance of each run: years, grids, population sources, "
            "parameters, units of measure and quality flags. An indicator marked "
            "comparable may still differ in ways the provenance does not record, such as "
            "the sources of the layers."
        ),
        "status": t.gettext("Status"),
        "ranked_on": t.gettext("Ranked on"),
        "notes": t.gettext("What makes the figures not comparable"),
        "rank_rule": t.gettext(
            "Rank 1 is the highest value, whatever the indicator; tied values share the "
            "lowest rank of their group (1, 2=, 2=, 4); units without a value are not "
            "ranked; classes are not ranked."
        ),
        "no_difference": t.gettext("No difference found in the provenance of the runs."),
        "ranking": t.gettext("Ranking"),
        "rank": t.gettext("Rank"),
        "value": t.gettext("Value"),
        "profile_title": t.gettext("{unit} within its territory"),
        "peers": t.gettext("Peers"),
        "peers_of": t.gettext(
            "Other units of the level in the same Degree of Urbanisation class ({period})"
        ),
        "no_peers": t.gettext("No Degree of Urbanisation class in these results: no peers."),
        "peer_median": t.gettext("Peers' median"),
        "minimum": t.gettext("Minimum"),
        "first_quartile": t.gettext("First quartile"),
        "median": t.gettext("Median"),
        "third_quartile": t.gettext("Third quartile"),
        "maximum": t.gettext("Maximum"),
        "percentile": t.gettext("Percentile"),
        "distribution": t.gettext("Distribution"),
        "distribution_rule": t.gettext(
            "The distribution is that of every unit of the level in the territory. "
            "Quartiles interpolate linearly between the sorted values (as Excel's "
            "QUARTILE.INC); the percentile is the share of the units whose value is lower "
            "than or equal to the unit's. The box spans the quartiles, the line the range, "
            "the tick is the median and the dot the unit."
        ),
    }


def _value_text(spec, value: float, t: Translator) -> str:
    if value is None or not math.isfinite(value):
        return t.gettext("No data")
    if spec.kind == "class":
        return class_names(spec.id, t).get(int(value), str(int(value)))
    places = decimals(spec.unit)
    return t.number(round(value, places) + 0.0, decimals=places)


def _sort_key(value) -> str:
    return repr(float(value)) if value is not None and math.isfinite(value) else ""


def comparison_page(comparison: Comparison, t: Translator) -> dict:
    """The content of the comparison's ``index.html``."""
    colours = {
        tr.name: TERRITORY_COLOURS[i % len(TERRITORY_COLOURS)]
        for i, tr in enumerate(comparison.territories)
    }
    territories = [
        {
            "name": tr.name,
            "colour": colours[tr.name],
            "level": level_label(tr.level, t),
            "units": len(tr.published.layers[tr.level]),
            "median_area": t.number(comparison.unit_areas[tr.name], decimals=1),
            "version": tr.published.provenance.get("tool", {}).get("version", ""),
            "folder": str(tr.published.folder),
        }
        for tr in comparison.territories
    ]
    table = comparability_table(comparison, t)
    anchors = {item.spec.id for item in comparison.indicators}
    rows = [
        {**row, "href": f"#{row['indicator']}"}
        for row in table.to_dict(orient="records")
        if row["indicator"] in anchors
    ]
    partial: dict[tuple[str, ...], list[str]] = {}
    for indicator_id, where in comparison.partial.items():
        partial.setdefault(where, []).append(get_indicator(indicator_id).text("title", t.language))
    return {
        "lead": " · ".join(tr.name for tr in comparison.territories),
        "territories": territories,
        "general": [difference_text(d, t) for d in comparison.general],
        "comparability": rows,
        "indicators": [
            _indicator_section(comparison, item, t, colours) for item in comparison.indicators
        ],
        "partial": [
            {"where": only_in_text(where, t), "titles": titles} for where, titles in partial.items()
        ],
    }


def _indicator_section(comparison: Comparison, item, t: Translator, colours: dict) -> dict:
    """One indicator: its notes and the ranking of the pooled units."""
    spec, table = item.spec, comparison.table
    if item.ranked_on is not None:
        values = table[f"{spec.id}_{item.ranked_on}"]
        periods = [item.ranked_on] * len(table)
    else:
        values = table[f"{spec.id}_latest"]
        periods = list(table[f"{spec.id}_latest_period"])
    finite = [v for v in values if math.isfinite(v)]
    span = (min(finite), max(finite)) if finite else None
    ranks = table[f"{spec.id}_rank"] if item.ranked else None
    counts = ranks.value_counts() if ranks is not None else {}
    rows = []
    for index, value in enumerate(values):
        rank = None if ranks is None or ranks.isna().iloc[index] else int(ranks.iloc[index])
        territory = table["territory"].iloc[index]
        rows.append(
            {
                "rank": "" if rank is None else f"{rank}=" if counts[rank] > 1 else str(rank),
                "rank_sort": "" if rank is None else str(rank),
                "territory": territory,
                "colour": colours[territory],
                "code": table["unit_id"].iloc[index],
                "name": table["unit_name"].iloc[index],
                "period": period_label(periods[index]),
                "value": _value_text(spec, value, t),
                "sort": _sort_key(value),
                "chart": Markup(
                    ""
                    if not item.ranked
                    else comparison_bars(
                        [value],
                        label=spec.text("title", t.language),
                        span=span,
                        colours=(colours[territory],),
                    )
                ),
            }
        )
    rows.sort(key=lambda row: (row["rank_sort"] == "", int(row["rank_sort"] or 0)))
    return {
        "anchor": spec.id,
        "title": spec.text("title", t.language),
        "unit": "" if spec.kind == "class" else unit_label(spec.unit, t),
        "status": status_text(item, t),
        "ranked_on": ranked_on_text(item, t),
        "notes": [difference_text(d, t) for d in item.differences],
        "rows": rows,
    }


def profile_page(profile: UnitProfile, t: Translator) -> dict:
    """The content of a unit profile's ``index.html``."""
    published = profile.published
    names = dict(
        zip(
            published.layers[profile.level]["unit_id"].astype(str),
            published.layers[profile.level]["unit_name"].astype(str),
            strict=True,
        )
    )
    rows = []
    for record in profile.rows.to_dict(orient="records"):
        spec = get_indicator(record["indicator"])
        show = partial(_value_text, spec, t=t)
        stats = [record[c] for c in ("min", "q1", "median", "q3", "max")]
        rows.append(
            {
                "title": spec.text("title", t.language),
                "unit": "" if spec.kind == "class" else unit_label(spec.unit, t),
                "period": period_label(record["period"]),
                "value": show(record["value"]),
                "parent": show(record["parent_value"]) if profile.parent else "",
                "peer_median": "" if spec.kind == "class" else show(record["peer_median"]),
                "stats": [] if spec.kind == "class" else [show(v) for v in stats],
                "percentile": ""
                if spec.kind == "class"
                else t.number(record["percentile"], decimals=0),
                "chart": Markup(
                    distribution_strip(
                        *stats, record["value"], label=spec.text("title", t.language)
                    )
                ),
            }
        )
    klass = None
    if profile.degurba_class is not None:
        klass = class_names("degurba_l1", t).get(profile.degurba_class, str(profile.degurba_class))
    return {
        "unit": profile.unit_name,
        "code": profile.unit_id,
        "level": level_label(profile.level, t),
        "parent": profile.parent[2] if profile.parent else "",
        "parent_level": level_label(profile.parent[0], t) if profile.parent else "",
        "class": klass,
        "class_period": period_label(profile.degurba_period or ""),
        "peers": [names.get(code, code) for code in profile.peers],
        "rows": rows,
    }


def render_page(template: str, page: dict, t: Translator, *, project: str) -> dict[str, str]:
    """``index.html`` rendered from ``template`` with ``page``, and the atlas's assets."""
    sources = read_atlas_sources()
    text = {**atlas_texts(t), **comparison_texts(t)}
    html = (
        template_environment(sources)
        .get_template(f"templates/{template}")
        .render(
            page=page,
            defs="",
            lang=t.language,
            dir=t.direction,
            project=project,
            version=__version__,
            text=text,
            generated=text["generated"].format(version=__version__, date=date.today().isoformat()),
        )
    )
    return {PAGE: html, **{name: sources[f"assets/{name}"] for name in ASSETS}}


def write_comparison(
    published: list, directory: Path, *, levels=(), language: str, overwrite: bool
) -> list[Path]:
    """Compare the territories of ``published`` and write the files into ``directory``.

    Parameters
    ----------
    published : list of PublishedResults
        Two or more results folders, read back.
    directory : Path
        The output folder.
    levels : sequence of str
        The level of each territory (see :func:`observatory.compare.territories_of`).
    language : str
        The language of the texts.
    overwrite : bool
        Replace files that exist (checked before anything is written).
    """
    t = translator(language)
    comparison = compare_territories(published, levels=tuple(levels))
    title = comparison_texts(t)["comparison_title"]
    return write_comparison_files(
        directory,
        tables={
            "comparison.csv": comparison.table,
            "comparability.csv": comparability_table(comparison, t),
        },
        workbooks={"comparison.xlsx": comparison_sheets(comparison, t)},
        texts=render_page("comparison.html", comparison_page(comparison, t), t, project=title),
        overwrite=overwrite,
        inputs=[p.folder for p in published],
    )


def write_profile(
    published, code: str, directory: Path, *, level: str | None, language: str, overwrite: bool
) -> list[Path]:
    """Write the profile of the unit ``code`` of ``published`` into ``directory``.

    Parameters are those of :func:`write_comparison`, with the unit's ``code`` and, when the
    code is used at several levels, its ``level``.
    """
    t = translator(language)
    profile = unit_profile(published, code, level=level)
    return write_comparison_files(
        directory,
        tables={"unit.csv": profile_table(profile)},
        workbooks={"unit.xlsx": [profile_sheet(profile, t)]},
        texts=render_page(
            "unit_comparison.html", profile_page(profile, t), t, project=published.name
        ),
        overwrite=overwrite,
        inputs=[published.folder],
    )
