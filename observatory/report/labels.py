"""Names people read: the column aliases of the output layers, in the project's language."""

from __future__ import annotations

from observatory.results import quality_column

#: Names of the columns every output layer has, per language the outputs are labelled in.
BASE_LABELS = {
    "en": {"unit_id": "Code", "unit_name": "Name", "parent_id": "Parent code"},
    "fr": {"unit_id": "Code", "unit_name": "Nom", "parent_id": "Code parent"},
}
#: The word naming an indicator's quality field (``<id>_<period>_quality``), per language.
QUALITY_LABELS = {"en": "quality", "fr": "qualité"}
#: Language of the labels when the project's language has none of its own.
FALLBACK_LANGUAGE = "en"


def output_language(language: str) -> str:
    """The language the outputs are labelled in: the project's when labels exist for it."""
    return language if language in BASE_LABELS else FALLBACK_LANGUAGE


def column_aliases(results, columns: list[str], language: str) -> dict[str, str]:
    """Column → the name QGIS shows for it, for every column but the geometry, in order.

    An indicator column ``<id>_<period>`` is named by the indicator's title in ``language``
    followed by the period (``Population density 2024``), its quality field
    ``<id>_<period>_quality`` by the same and :data:`QUALITY_LABELS` (``Population density
    2024: quality``); the unit columns by
    :data:`BASE_LABELS`; any other column (a component) keeps its own name.

    Parameters
    ----------
    results : Results
        The run whose indicators and periods name the columns.
    columns : list of str
        The columns of one output layer.
    language : str
        One of the languages of :data:`BASE_LABELS` (see :func:`output_language`).
    """
    titles = {}
    for result in results.level_results:
        title = result.indicator.text("title", language)
        name = f"{title} {result.period.label}"
        titles[f"{result.indicator.id}_{result.period.label}"] = name
        titles[quality_column(result)] = f"{name}: {QUALITY_LABELS[language]}"
    base = BASE_LABELS[language]
    return {c: titles.get(c, base.get(c, c)) for c in columns if c != "geometry"}
