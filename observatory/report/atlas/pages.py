"""The content of each page of the atlas, as plain data for its template."""

from __future__ import annotations

import math
from collections import Counter

from markupsafe import Markup

from observatory.report.atlas.model import (
    HOME_MAP,
    KEY_FIGURES,
    AtlasData,
    Unit,
    indicator_page,
    unit_page,
)
from observatory.report.atlas.svg import HATCH_DEFS, defs_markup, locator_markup, map_markup
from observatory.report.atlas.texts import theme_name
from observatory.report.charts import change_steps, comparison_bars, trend_line
from observatory.report.labels import reason_label
from observatory.report.legend import class_colours, class_names
from observatory.report.mapdata import legend_of, level_label, period_label, titled

#: Levels with fewer units than this get no map (a single region is not a map).
MIN_MAP_UNITS = 2


def home(data: AtlasData) -> dict:
    """The home page: the territory, its key figures, a map and the contents."""
    territory = data.territory
    figures = []
    for indicator_id in KEY_FIGURES:
        spec = next((s for s in data.indicators if s.id == indicator_id), None)
        if spec is None or territory is None:
            continue
        period = data.periods(spec.id)[-1]
        figures.append(
            {
                "label": titled(data.title(spec), period_label(period), data.t),
                "value": data.text(spec, data.value(spec.id, period, territory)),
                "unit": data.unit_text(spec),
                "href": indicator_page(spec.id),
            }
        )
    themes: dict[str, list] = {}
    for spec in data.indicators:
        themes.setdefault(theme_name(spec.theme, data.t), []).append(
            {"title": data.title(spec), "href": indicator_page(spec.id)}
        )
    levels = [
        {
            "name": level_label(level, data.t),
            "count": len(units),
            "units": [{"name": u.name, "href": unit_page(u)} for u in units],
        }
        for level, units in data.units.items()
    ]
    home_map = next((i for i in HOME_MAP if any(s.id == i for s in data.indicators)), None)
    maps, defs = ([], "")
    if home_map is not None:
        level = list(data.units)[-1]
        maps = [indicator_map(data, home_map, data.periods(home_map)[-1], level)]
        defs = Markup(HATCH_DEFS + defs_markup(level, data.drawings[level]))
    return {
        "territory": territory.name if territory else data.published.name,
        "description": _description(data),
        "figures": figures,
        "themes": themes,
        "levels": levels,
        "maps": maps,
        "defs": defs,
    }


def indicator(data: AtlasData, spec) -> dict:
    """An indicator's page: a map per level and period, a table per level, its sheet."""
    periods = data.periods(spec.id)
    mapped = [level for level, units in data.units.items() if len(units) >= MIN_MAP_UNITS]
    maps = [indicator_map(data, spec.id, p, level) for level in mapped for p in reversed(periods)]
    defs = HATCH_DEFS + "".join(defs_markup(lv, data.drawings[lv]) for lv in mapped)
    tables = []
    for level, units in data.units.items():
        rows = []
        for unit in units:
            cells = [_cell(data, spec, data.value(spec.id, p, unit)) for p in periods]
            parent = data.parent(unit)
            rows.append(
                {
                    "code": unit.id,
                    "name": unit.name,
                    "href": unit_page(unit),
                    "parent": parent.name if parent else "",
                    "cells": cells,
                }
            )
        tables.append({"level": level_label(level, data.t), "rows": rows})
    return {
        "spec": spec,
        "title": data.title(spec),
        "periods": [period_label(p) for p in periods],
        "unit": data.unit_text(spec),
        "maps": maps,
        "defs": Markup(defs),
        "tables": tables,
        "sheet": _sheet(data, spec),
    }


def _cell(data: AtlasData, spec, value: float) -> dict:
    finite = value is not None and math.isfinite(value)
    return {"text": data.text(spec, value), "sort": repr(float(value)) if finite else ""}


def indicator_map(data: AtlasData, indicator_id: str, period: str, level: str) -> dict:
    """One inline map: its heading, SVG and legend entries."""
    spec = next(s for s in data.indicators if s.id == indicator_id)
    legend = legend_of(data.published, indicator_id, period, level, data.t, method="natural-breaks")
    units = [
        {
            "fill": None if legend.index[u.position] < 0 else legend.colour_of(u.position),
            "name": u.name,
            "value": _hover_text(data, spec, data.value(indicator_id, period, u)),
            "href": unit_page(u),
        }
        for u in data.units[level]
    ]
    heading = titled(level_label(level, data.t), period_label(period), data.t)
    entries = [{"label": c.label, "colour": c.colour, "count": c.count} for c in legend.classes]
    return {
        "heading": heading,
        "title": data.title(spec),
        "svg": Markup(map_markup(level, data.drawings[level], units, label=heading)),
        "legend": entries,
        "no_data": legend.no_data if legend.no_data.count else None,
        "method": legend.method,
        "unit": data.unit_text(spec),
    }


def _hover_text(data: AtlasData, spec, value: float) -> str:
    text = data.text(spec, value)
    unit = data.unit_text(spec)
    return f"{text} {unit}" if unit and math.isfinite(value) else text


def _sheet(data: AtlasData, spec) -> dict:
    """The metadata sheet: definition, formula, unit, references, inputs, parameters, flags."""
    long = data.published.long
    rows = long[long["indicator"].str.startswith(spec.id)]
    notes = Counter(n for n in rows.get("note", []) if isinstance(n, str) and n)
    warnings = [str(w) for w in data.published.provenance.get("warnings", []) if spec.id in str(w)]
    parameters = data.published.provenance.get("parameters", {}).get(spec.id, {})
    return {
        "definition": data.sheet_text(spec, "description"),
        "formula": spec.method,
        "unit": data.unit_text(spec) or data.t.gettext("class"),
        "references": list(spec.references),
        "inputs": list(spec.needs),
        "parameters": [f"{k} = {v}" for k, v in parameters.items()],
        "notes": [f"{note} ({count})" for note, count in notes.most_common()],
        "warnings": warnings,
    }


def unit(data: AtlasData, this: Unit) -> dict:
    """A unit's profile: each indicator beside its parent's and the territory's."""
    parent = data.parent(this)
    territory = data.territory
    compare = [u for u in (parent, territory) if u is not None and u != this]
    compare = list(dict.fromkeys(compare))
    rows = []
    for spec in data.indicators:
        for period in data.periods(spec.id):
            values = [data.value(spec.id, period, u) for u in (this, *compare)]
            if not math.isfinite(values[0]):
                continue
            chart = "" if spec.kind == "class" else comparison_bars(values, label=data.title(spec))
            rows.append(
                {
                    "title": data.title(spec),
                    "href": indicator_page(spec.id),
                    "period": period_label(period),
                    "unit": data.unit_text(spec),
                    "values": [data.text(spec, v) for v in values],
                    "chart": Markup(chart),
                }
            )
    return {
        "unit": this,
        "level": level_label(this.level, data.t),
        "parent": {"name": parent.name, "href": unit_page(parent)} if parent else None,
        "columns": [this.name, *(u.name for u in compare)],
        "rows": rows,
        "children": [{"name": c.name, "href": unit_page(c)} for c in data.children(this)],
        "locator": Markup(_locator(data, this)),
        "trends": _trends(data, this),
    }


def _trends(data: AtlasData, this: Unit) -> list[dict]:
    """A trend chart of each indicator with two years (or change periods) of ``this``.

    Class indicators have none: a line between classes means nothing.
    """
    trends = []
    for spec in data.indicators:
        if spec.kind == "class":
            continue
        chart = trend_chart(data, spec, this)
        if chart:
            trends.append(
                {
                    "title": data.title(spec),
                    "href": indicator_page(spec.id),
                    "unit": data.unit_text(spec),
                    "chart": Markup(chart),
                }
            )
    return trends


def trend_chart(data: AtlasData, spec, this: Unit) -> str:
    """The values of ``spec`` for ``this`` over its periods: a line through the years, or
    bars over the consecutive change periods with the whole span dashed ("" when the unit
    has fewer than two values)."""
    label = f"{data.title(spec)}: {this.name}"
    values = [(period, data.value(spec.id, period, this)) for period in data.periods(spec.id)]
    if not any("_" in period for period, _ in values):
        points = [(int(period), value, data.text(spec, value)) for period, value in values]
        return trend_line(points, label=label)
    changes = [
        (*(int(year) for year in period.split("_")), value, data.text(spec, value))
        for period, value in values
    ]
    whole = (min(c[0] for c in changes), max(c[1] for c in changes))
    span = next((c for c in changes if (c[0], c[1]) == whole), None)
    if len(changes) < 3:
        span = None
    steps = [change for change in changes if change is not span]
    return change_steps(steps, span=span, label=label)


def _locator(data: AtlasData, this: Unit) -> str:
    """The unit among the units of the level above it (or of its own level at the top)."""
    levels = list(data.units)
    index = levels.index(this.level)
    context = data.drawings[levels[max(index - 1, 0)]]
    own = data.drawings[this.level].paths[this.position]
    return locator_markup(context, own, label=this.name)


def methods(data: AtlasData) -> dict:
    """The methods page: aggregation, map classes, DEGURBA classes, every formula."""
    degurba = []
    for indicator_id in ("degurba_l1", "degurba_l2"):
        colours = class_colours(indicator_id)
        degurba.append(
            [
                {"code": code, "name": name, "colour": colours[code]}
                for code, name in class_names(indicator_id, data.t).items()
            ]
        )
    formulas = [
        {
            "title": data.title(spec),
            "href": indicator_page(spec.id),
            "formula": spec.method,
            "references": "; ".join(spec.references),
        }
        for spec in data.indicators
    ]
    return {"degurba": degurba, "formulas": formulas}


def provenance(data: AtlasData) -> dict:
    """The provenance page: the run, its project, inputs and checksums, the software."""
    record = data.published.provenance
    tool = record.get("tool", {})
    return {
        "tool": f"{tool.get('name', '')} {tool.get('version', '')}",
        "python": record.get("python", ""),
        "started": record.get("started", ""),
        "finished": record.get("finished", ""),
        "project_file": record.get("project", {}).get("file", ""),
        "inputs": sorted(record.get("inputs", {}).items()),
        "population_sources": sorted(record.get("population_sources", {}).items()),
        "not_computed": [
            (name, reason_label(reason, data.t))
            for name, reason in sorted(record.get("indicators_not_computed", {}).items())
        ],
        "warnings": [str(w) for w in record.get("warnings", [])],
        "libraries": sorted(record.get("libraries", {}).items()),
    }


def _description(data: AtlasData) -> str:
    settings = data.published.provenance.get("project", {}).get("settings", {})
    return str(settings.get("project", {}).get("description", ""))
