"""``observatory indicators list|show``: the catalogue and its metadata sheets."""

from __future__ import annotations

import json

import click

from observatory.cli.options import json_option, lang_option
from observatory.indicators.registry import catalogue, get_indicator
from observatory.report.i18n import translator
from observatory.report.labels import N_

#: Row labels of a metadata sheet, translated by the catalogs of observatory.report.i18n.
LABELS = {
    "unit": N_("Unit"),
    "theme": N_("Theme"),
    "kind": N_("Kind"),
    "period": N_("Period"),
    "references": N_("References"),
    "method": N_("Method"),
    "needs": N_("Inputs"),
    "parameters": N_("Parameters"),
    "none": N_("none"),
}


@click.group()
def indicators() -> None:
    """The indicator catalogue.

    \b
    Examples:
      observatory indicators list
      observatory indicators show sdg_11_3_1 --lang fr
      observatory indicators show sdg_11_3_1 --lang ar
    """


@indicators.command(name="list")
@json_option
@lang_option()
def list_indicators(as_json: bool, lang: str) -> None:
    """List every indicator: id, unit and title."""
    sheets = [spec.metadata(lang) for spec in catalogue().values()]
    if as_json:
        click.echo(json.dumps(sheets, indent=2, ensure_ascii=False))
        return
    for sheet in sheets:
        click.echo(f"{sheet['id']:<32} {sheet['unit']:<14} {sheet['title']}")


@indicators.command(name="show")
@click.argument("indicator_id", metavar="ID")
@json_option
@lang_option()
def show_indicator(indicator_id: str, as_json: bool, lang: str) -> None:
    """Show the metadata sheet of indicator ID."""
    sheet = get_indicator(indicator_id).metadata(lang)
    if as_json:
        click.echo(json.dumps(sheet, indent=2, ensure_ascii=False))
        return
    t = translator(lang)
    labels = {key: t.gettext(message) for key, message in LABELS.items()}
    click.echo(f"{sheet['title']} ({sheet['id']})\n\n{sheet['description']}\n")
    for key in ("unit", "theme", "kind", "period", "method"):
        click.echo(f"{labels[key]:<12} {sheet[key]}")
    click.echo(f"{labels['references']:<12} {'; '.join(sheet['references'])}")
    click.echo(f"{labels['needs']:<12} {', '.join(sheet['needs'])}")
    click.echo(f"{labels['parameters']}:")
    for parameter in sheet["parameters"] or [{"name": labels["none"]}]:
        default = f" = {parameter['default']!r}" if "default" in parameter else ""
        description = f": {parameter['description']}" if "description" in parameter else ""
        click.echo(f"  {parameter['name']}{default}{description}")
