"""The offline HTML atlas of a results folder: ``observatory report RESULTS -o ATLAS``.

One flat folder that works from ``file://`` with no request to any server: ``index.html``
(the territory, key figures, contents), a page per indicator (an inline SVG map per level
and period, a sortable table per level, the metadata sheet), a profile per unit (its
indicators beside its parent's and the territory's, small charts; prints on A4), a methods
page and a provenance page, with one stylesheet and one small script of its own. Every text
is in the atlas's language (:mod:`observatory.report.atlas.texts`); the pages are Jinja2
templates (package data, read by :mod:`observatory.io.atlas`).
"""

from __future__ import annotations

from pathlib import Path

from observatory.__about__ import __version__
from observatory.io.atlas import read_atlas_sources, read_unit_names, write_atlas_files
from observatory.io.published import PublishedResults, read_published
from observatory.report.atlas import pages
from observatory.report.atlas.model import AtlasData, indicator_page, unit_page
from observatory.report.atlas.texts import atlas_texts
from observatory.report.i18n import translator

INDEX = "index.html"


def write_atlas(
    published_or_results: PublishedResults | Path | str,
    directory: Path | str,
    *,
    language: str,
    overwrite: bool,
) -> Path:
    """Write the atlas of a results folder into ``directory``; return its ``index.html``.

    Parameters
    ----------
    published_or_results : PublishedResults or path
        The results, read back, or the folder ``observatory compute`` wrote.
    directory : path
        The atlas folder (created; its pages replace existing ones only with ``overwrite``).
    language : str
        One of :func:`observatory.report.i18n.languages`.
    overwrite : bool
        Replace pages that exist (checked before anything is written).
    """
    published = (
        published_or_results
        if isinstance(published_or_results, PublishedResults)
        else read_published(Path(published_or_results))
    )
    t = translator(language)
    names = (
        {} if language == published.language else read_unit_names(published.provenance, language)
    )
    data = AtlasData(published, t, names)
    files = render_pages(data)
    write_atlas_files(Path(directory), files, overwrite=overwrite)
    return Path(directory) / INDEX


def template_environment(sources: dict[str, str]):
    """The Jinja2 environment of the atlas's templates (HTML-escaped, strict)."""
    from jinja2 import DictLoader, Environment, StrictUndefined

    return Environment(
        loader=DictLoader(sources),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_pages(data: AtlasData) -> dict[str, str]:
    """File name → content of every file of the atlas of ``data``."""
    sources = read_atlas_sources()
    environment = template_environment(sources)
    record = data.published.provenance
    common = {
        "lang": data.t.language,
        "dir": data.t.direction,
        "project": data.published.name,
        "version": __version__,
        "text": atlas_texts(data.t),
        "generated": atlas_texts(data.t)["generated"].format(
            version=record.get("tool", {}).get("version", __version__),
            date=str(record.get("finished", ""))[:10],
        ),
    }

    def render(template: str, page: dict) -> str:
        defs = page.get("defs", "")
        return environment.get_template(f"templates/{template}").render(
            page=page, defs=defs, **common
        )

    files = {INDEX: render("home.html", pages.home(data))}
    for spec in data.indicators:
        files[indicator_page(spec.id)] = render("indicator.html", pages.indicator(data, spec))
    for units in data.units.values():
        for unit in units:
            files[unit_page(unit)] = render("unit.html", pages.unit(data, unit))
    files["methods.html"] = render("methods.html", pages.methods(data))
    files["provenance.html"] = render("provenance.html", pages.provenance(data))
    files["atlas.css"] = sources["assets/atlas.css"]
    files["atlas.js"] = sources["assets/atlas.js"]
    return files
