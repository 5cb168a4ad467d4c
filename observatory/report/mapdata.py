"""What a map of a results folder shows: one indicator, period and level, its classes and texts.

Shared by ``observatory map`` (:mod:`observatory.report.maps`) and the atlas: both take a
:class:`~observatory.io.published.PublishedResults`, choose the period and level the same
way and label them the same way.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.errors import ParameterError, UnknownIndicatorError
from observatory.indicators.registry import get_indicator, period_order
from observatory.report.i18n import Translator
from observatory.report.legend import FALLING_COMPONENT, MapLegend, map_legend


def computed_indicators(published) -> list[str]:
    """Ids of the catalogue's indicators with a value in the results, in catalogue order."""
    from observatory.indicators.registry import catalogue

    present = set(published.long["indicator"])
    return [indicator_id for indicator_id in catalogue() if indicator_id in present]


def periods_of(published, indicator_id: str) -> list[str]:
    """The periods of ``indicator_id`` in the results, oldest first.

    In :func:`~observatory.indicators.registry.period_order`: years in time order; change
    periods by their last year, the whole span after the last pair of consecutive years.
    """
    rows = published.long[published.long["indicator"] == indicator_id]
    return sorted(set(rows["period"].astype(str)), key=period_order)


def choose(published, indicator_id: str, *, period: str | None, level: str | None):
    """The (period, level) of a map: the last period and finest level unless given.

    The last period of :func:`periods_of`: the latest year, or for a change indicator the
    whole span (the last pair of consecutive years when there are only two years).

    Raises
    ------
    UnknownIndicatorError
        If the indicator has no value in the results (the message lists those that have).
    ParameterError
        If the period or level is not in the results (the message lists those that are).
    """
    get_indicator(indicator_id)
    periods = periods_of(published, indicator_id)
    if not periods:
        raise UnknownIndicatorError(
            f"{published.folder}: indicator '{indicator_id}' has no value in these results; "
            f"use one of {', '.join(computed_indicators(published))}."
        )
    if period is None:
        period = periods[-1]
    elif period not in periods:
        raise ParameterError(
            f"--period: {indicator_id} has no period '{period}' in {published.folder}; "
            f"use one of {', '.join(periods)}."
        )
    if level is None:
        level = published.levels[-1]
    elif level not in published.levels:
        raise ParameterError(
            f"--level: {published.folder} has no level '{level}'; "
            f"use one of {', '.join(published.levels)}."
        )
    return period, level


def values_of(published, indicator_id: str, period: str, level: str) -> np.ndarray:
    """The value of every unit of ``level`` (layer order), NaN where it has none."""
    long = published.long
    rows = long[
        (long["indicator"] == indicator_id) & (long["period"] == period) & (long["level"] == level)
    ]
    by_unit = pd.Series(rows["value"].to_numpy(), index=rows["unit_id"].to_numpy())
    units = published.layers[level]["unit_id"].astype(str)
    return units.map(by_unit).to_numpy(dtype="float64")


def legend_of(
    published, indicator_id: str, period: str, level: str, t: Translator, *, method: str
) -> MapLegend:
    """The classes of the map of ``indicator_id`` (see :func:`.legend.map_legend`)."""
    component = FALLING_COMPONENT.get(indicator_id)
    falling = None
    if component is not None:
        falling = values_of(published, component, period, level) < 0
    return map_legend(
        values_of(published, indicator_id, period, level),
        indicator_id=indicator_id,
        kind=get_indicator(indicator_id).kind,
        t=t,
        method=method,
        falling=falling,
    )


def period_label(period: str) -> str:
    """``2014_2024`` → ``2014–2024``; a year stays as it is."""
    return period.replace("_", "–")


def level_label(level: str, t: Translator) -> str:
    """The name of a level of the hierarchy in ``t``'s language (known names translated)."""
    known = {
        "country": t.gettext("Country"),
        "region": t.gettext("Region"),
        "province": t.gettext("Province"),
        "district": t.gettext("District"),
        "municipality": t.gettext("Municipality"),
        "commune": t.gettext("Commune"),
    }
    return known.get(level, level.replace("_", " ").capitalize())


def map_title(indicator_id: str, period: str, t: Translator, *, fallback: str = "en") -> str:
    """``<title of the indicator>, <period>`` in ``t``'s language.

    An indicator without a title in that language takes its title in ``fallback`` (the
    results' language), else in English.
    """
    spec = get_indicator(indicator_id)
    title = spec.title.get(t.language) or spec.text("title", fallback)
    return titled(title, period_label(period), t)


def titled(title: str, detail: str, t: Translator) -> str:
    """``title, detail`` with the comma of ``t``'s language."""
    return t.gettext("{title}, {detail}").format(title=title, detail=detail)


def source_lines(published, t: Translator) -> list[str]:
    """Source and credits of a map: the project, its description, the tool and the date."""
    provenance = published.provenance
    settings = provenance.get("project", {}).get("settings", {}).get("project", {})
    version = provenance.get("tool", {}).get("version", "")
    finished = str(provenance.get("finished", ""))[:10]
    lines = [t.gettext("Source: {project}").format(project=published.name)]
    if settings.get("description"):
        lines.append(str(settings["description"]))
    lines.append(
        t.gettext("Computed with Observatory {version} on {date}").format(
            version=version, date=finished
        )
    )
    return lines
