"""MkDocs hook: pages generated at build time, never hand-copied.

- ``reference/indicators.md``: the indicator reference, from the registry
  (:func:`observatory.indicators.registry.catalogue`), so every registered indicator,
  built-in or plugin, appears with its metadata in English and French.
- ``training/<module>.<lang>.md``: the learner pages of the course, from
  ``training/<module>/README.<lang>.md``.
- ``trainer/<document>.<lang>.md``: the trainer's pack, from ``training/trainer/`` (its
  quiz pages are themselves the rendering of ``training/quiz.toml``).
"""

from __future__ import annotations

from mkdocs.structure.files import File

from observatory.indicators.registry import catalogue
from observatory.io.workshop import read_text_file
from observatory.workshop import bundled_course
from observatory.workshop.manifest import TRAINER_FOLDER

REFERENCE_PAGE = "reference/indicators.md"


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def indicator_reference() -> str:
    """The Markdown of the indicator reference: a summary table and one section per id."""
    indicators = catalogue()
    lines = [
        "# Indicator reference",
        "",
        "Generated from the registry at build time (`observatory indicators list`); "
        f"{len(indicators)} indicators. Titles are given in English and French.",
        "",
        "| id | title | unit | theme | kind |",
        "| --- | --- | --- | --- | --- |",
    ]
    for spec in indicators.values():
        lines.append(
            f"| [`{spec.id}`](#{spec.id}) | {_cell(spec.text('title', 'en'))}"
            f" | {_cell(spec.unit)} | {_cell(spec.theme)} | {spec.kind} |"
        )
    for spec in indicators.values():
        english, french = spec.metadata("en"), spec.metadata("fr")
        lines += [
            "",
            f"## {spec.id}",
            "",
            f"**{_cell(english['title'])}** / *{_cell(french['title'])}*",
            "",
            english["description"],
            "",
            f"*{french['description']}*",
            "",
            f"- Unit: {english['unit']}; kind: {english['kind']}; period: {english['period']}",
            f"- Method: `{english['method']}`",
            f"- Needs: {', '.join(english['needs']) or '–'}",
            f"- References: {'; '.join(english['references']) or '–'}",
        ]
        for parameter in english["parameters"]:
            lines.append(
                f"- Parameter `{parameter['name']}` (default `{parameter['default']}`): "
                f"{parameter['description']}"
            )
    return "\n".join(lines) + "\n"


def trainee_pages() -> dict[str, str]:
    """``{"training/<module>.<lang>.md": page text}`` for every module and language."""
    course = bundled_course()
    pages = {}
    for module in course.modules.values():
        for language in ("en", "fr"):
            text = read_text_file(course.root / module.page(language))
            pages[f"training/{module.id}.{language}.md"] = text
    return pages


def trainer_pages() -> dict[str, str]:
    """``{"trainer/<document>.<lang>.md": page text}`` for every document of the pack."""
    folder = bundled_course().root / TRAINER_FOLDER
    return {
        f"trainer/{path.name}": read_text_file(path)
        for path in sorted(folder.glob("*.md"))
        if path.name != "README.md"
    }


def on_files(files, config):
    """Add the generated pages to the site's files."""
    generated = {REFERENCE_PAGE: indicator_reference(), **trainee_pages(), **trainer_pages()}
    for src_uri, content in generated.items():
        files.append(File.generated(config, src_uri, content=content))
    return files
