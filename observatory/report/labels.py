"""Names people read, in the language of the outputs: columns, units, components, class names.

Indicator titles are metadata of the catalogue (:meth:`~observatory.indicators.registry.
Indicator.text`); every other word of a published table, layer or summary is an English
message of this module, translated by the gettext catalogs of :mod:`observatory.report.i18n`.
The values stay untouched: only their labels and the way numbers are written change.
"""

from __future__ import annotations

import re
from functools import cache

from observatory.indicators.registry import catalogue
from observatory.reasons import FRAGMENTS, TEMPLATES
from observatory.report.i18n import SOURCE_LANGUAGE, Translator, check_language, translator
from observatory.results import quality_column

_FIELD = re.compile(r"\{(\w+)\}")
#: A number with decimals in a reason (``13.8 %``, ``+0.012``): written as the language does.
#: What a field of a reason may hold: any text but the "; " that joins two reasons.
_FIELD_TEXT = r"(?:(?!; ).)+?"
_DECIMAL = re.compile(r"([-+]?)(\d+)\.(\d+)( %)?")


def N_(message: str) -> str:
    """Mark ``message`` for the catalogs (Babel's extractor finds it); translated when shown."""
    return message


#: Labels of the columns every output layer and table has.
BASE_COLUMNS = {"unit_id": N_("Code"), "unit_name": N_("Name"), "parent_id": N_("Parent code")}
#: Units of measure of the built-in indicators and their components.
UNITS = {
    "people": N_("people"),
    "people/km²": N_("people/km²"),
    "%": N_("%"),
    "% per year": N_("% per year"),
    "% of new built-up": N_("% of new built-up"),
    "ratio": N_("ratio"),
    "km²": N_("km²"),
    "m²/person": N_("m²/person"),
    "m": N_("m"),
    "seats/child": N_("seats/child"),
    "µg/m³": N_("µg/m³"),
    "class": N_("class"),
    "km/km²": N_("km/km²"),
    "per km²": N_("per km²"),
}
#: Sub-indicator (component) columns that ``finalize`` functions add beside the value.
COMPONENTS = {
    "unreachable_population": N_("population without access"),
    "low_capacity_share": N_("share near a low-capacity stop"),
    "high_capacity_share": N_("share near a high-capacity stop"),
    "mode": N_("distance mode"),
    "lcr": N_("land consumption rate"),
    "pgr": N_("population growth rate"),
    "regime": N_("regime"),
    "share": N_("share of new built-up"),
    "class": N_("class name"),
    "cluster_share": N_("share in urban clusters"),
    "rural_share": N_("share in rural cells"),
}
#: Text values of the indicators: Degree of Urbanisation classes, SDG 11.3.1 regimes, modes.
VALUES = frozenset(
    (
        N_("city"),
        N_("town and semi-dense area"),
        N_("rural area"),
        N_("dense town"),
        N_("semi-dense town"),
        N_("suburban or peri-urban area"),
        N_("village"),
        N_("dispersed rural area"),
        N_("mostly uninhabited area"),
        N_("expansion with population growth"),
        N_("expansion with population decline"),
        N_("expansion with stable population"),
        N_("densification: population growth without new built-up"),
        N_("stable built-up with population decline"),
        N_("no change"),
        N_("built-up loss with population growth"),
        N_("contraction: built-up loss with population decline"),
        N_("built-up loss with stable population"),
        N_("distance: network"),
        N_("distance: straight-line"),
    )
)
#: Decimals that make sense for a value in each unit (others: 2).
DECIMALS = {
    "people": 0,
    "people/km²": 0,
    "m²/person": 0,
    "m": 0,
    "class": 0,
    "%": 1,
    "% of new built-up": 1,
    "µg/m³": 1,
    "km/km²": 1,
    "per km²": 1,
}
DEFAULT_DECIMALS = 2


def output_language(language: str) -> str:
    """The project's ``language`` if Observatory publishes in it; ParameterError otherwise."""
    return check_language(language, where="project.language")


def decimals(unit: str) -> int:
    """How many decimals a value in ``unit`` is shown with (people 0, % 1, ratios 2...)."""
    return DECIMALS.get(unit, DEFAULT_DECIMALS)


def unit_label(unit: str, t: Translator) -> str:
    """``unit`` as written in the language of ``t`` (a unit it does not know stays as is)."""
    return t.gettext(UNITS[unit]) if unit in UNITS else unit


def value_label(value, t: Translator):
    """A text value of an indicator (class, regime) in the language; other values unchanged."""
    if isinstance(value, str):
        return "; ".join(t.gettext(part) if part in VALUES else part for part in value.split("; "))
    return value


def component_label(indicator_title: str, component: str, t: Translator) -> str:
    """``Title: component`` (``Titre : composante`` in French) for a sub-indicator."""
    name = t.gettext(COMPONENTS[component]) if component in COMPONENTS else component
    return t.gettext("{indicator}: {component}").format(indicator=indicator_title, component=name)


def indicator_label(indicator_id: str, t: Translator) -> str:
    """Title of an indicator or of a component ``<indicator>_<component>`` in the language."""
    indicators = catalogue()
    if indicator_id in indicators:
        return indicators[indicator_id].text("title", t.language)
    owner = _owner(indicator_id, indicators)
    if owner is None:
        return indicator_id
    title = indicators[owner].text("title", t.language)
    return component_label(title, indicator_id[len(owner) + 1 :], t)


def _owner(name: str, indicators) -> str | None:
    """The longest indicator id of which ``name`` is a component (``<id>_<component>``)."""
    owners = [i for i in indicators if name.startswith(f"{i}_")]
    return max(owners, key=len) if owners else None


def column_aliases(results, columns: list[str], language: str) -> dict[str, str]:
    """Column → the name QGIS shows for it, for every column but the geometry, in order.

    An indicator column ``<id>_<period>`` is named by the indicator's title in ``language``
    followed by the period (``Population density 2024``); a component column
    ``<id>_<component>_<period>`` by the title, the component's label and the period
    (``Accès commode aux transports publics : population sans accès 2024``); its quality
    field ``<id>_<period>_quality`` by the title, the period and the word "quality"; the unit
    columns by :data:`BASE_COLUMNS`; any other column keeps its own name.

    Parameters
    ----------
    results : Results
        The run whose indicators and periods name the columns.
    columns : list of str
        The columns of one output layer.
    language : str
        A language of :func:`observatory.report.i18n.languages`.
    """
    t = translator(language)
    computed = {(r.indicator.id, r.period.label): r.indicator for r in results.level_results}
    quality = {
        quality_column(r): f"{r.indicator.text('title', language)} {r.period.label}: "
        + t.gettext("quality")
        for r in results.level_results
    }
    aliases = {}
    for column in columns:
        if column == "geometry":
            continue
        if column in BASE_COLUMNS:
            aliases[column] = t.gettext(BASE_COLUMNS[column])
            continue
        if column in quality:
            aliases[column] = quality[column]
            continue
        aliases[column] = _computed_label(column, computed, t) or column
    return aliases


def _computed_label(column: str, computed: dict, t: Translator) -> str | None:
    """``Title [: component] period`` of a wide column of ``computed``, None if not one."""
    matches = [
        (spec, period)
        for (indicator_id, period), spec in computed.items()
        if column.startswith(f"{indicator_id}_") and column.endswith(f"_{period}")
    ]
    if not matches:
        return None
    spec, period = max(matches, key=lambda match: len(match[0].id))
    title = spec.text("title", t.language)
    middle = column[len(spec.id) + 1 : len(column) - len(period) - 1]
    if column == f"{spec.id}_{period}":
        return f"{title} {period}"
    if not middle:
        return None
    return f"{component_label(title, middle, t)} {period}"


def reason_label(text, t: Translator):
    """Why a value or an indicator is not published (:mod:`observatory.reasons`), in the
    language of ``t``.

    The text is matched against the templates it was made from; the template is translated
    and its fields put back, themselves translated when they are fragments or reasons, and
    their decimal numbers written as the language writes them. Reasons joined by ``"; "``
    are translated one by one; a text no template makes stays as it is.
    """
    if not isinstance(text, str) or not text or t.language == SOURCE_LANGUAGE:
        return text
    translated = _translated_reason(text, t)
    if translated is not None:
        return translated
    return "; ".join(_translated_reason(part, t) or part for part in text.split("; "))


def _translated_reason(text: str, t: Translator) -> str | None:
    if text in FRAGMENTS:
        return t.gettext(text)
    for pattern, template in _reason_patterns():
        match = pattern.fullmatch(text)
        if match:
            fields = {
                name: value if name in VERBATIM_FIELDS else _reason_field(value, t)
                for name, value in match.groupdict().items()
            }
            return t.gettext(template).format(**fields)
    return None


#: Fields of a reason written as they are: unit codes (``04.01`` is no decimal number).
VERBATIM_FIELDS = ("code",)


def _reason_field(value: str, t: Translator) -> str:
    translated = _translated_reason(value, t)
    if translated is not None:
        return translated
    number = _DECIMAL.fullmatch(value)
    if number is None:
        return value
    sign, whole, decimals, percent = number.groups()
    written = t.number(float(f"{whole}.{decimals}"), decimals=len(decimals))
    return f"{sign}{written}{percent or ''}"


@cache
def _reason_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """A regular expression per template: its text, each field any text without ``"; "``
    (which joins reasons; a field named twice must be the same text twice)."""
    patterns = []
    for template in TEMPLATES:
        parts, seen = [], set()
        for position, part in enumerate(_FIELD.split(template)):
            if position % 2 == 0:
                parts.append(re.escape(part))
            else:
                parts.append(f"(?P={part})" if part in seen else f"(?P<{part}>{_FIELD_TEXT})")
                seen.add(part)
        patterns.append((re.compile("".join(parts), re.DOTALL), template))
    return tuple(patterns)
