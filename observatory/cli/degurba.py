"""``observatory degurba grid|units``: the Degree of Urbanisation on your own rasters."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from observatory.cli.language import command_translator
from observatory.cli.options import (
    executor_options,
    json_option,
    open_run_executor,
    output_option,
    overwrite_option,
    progress_printer,
)
from observatory.degurba import (
    RULE_SETS,
    classify_grid_rasters,
    classify_unit_layer,
    rules_from_name,
)
from observatory.errors import OutputExistsError, ParameterError
from observatory.io.raster import open_raster, read_raster, write_raster
from observatory.io.vector import read_layer, write_table
from observatory.messages import _, ngettext
from observatory.reasons import N_
from observatory.report.labels import value_label
from observatory.report.styles import paletted_qml

level_option = click.option(
    "--level",
    type=click.Choice(["1", "2"]),
    default="1",
    show_default=True,
    help="Level 1 (urban centre / cluster / rural / water) or level 2 (GHS-SMOD codes).",
)


@click.group()
def degurba() -> None:
    """Degree of Urbanisation: classify a 1 km grid, then spatial units.

    \b
    Examples:
      observatory degurba grid --population POP.tif --built-up BUILT_S.tif \\
          --land LAND.tif --level 2 -o classes.tif
      observatory degurba grid --population pop100m.tif --rules eurostat-2021 \\
          --param uc_size=40000 -o classes.tif
      observatory degurba units communes.gpkg --id code --classes classes.tif \\
          --population pop100m.tif --level 2 -o communes_degurba.gpkg
    """


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        key, sep, setting = value.partition("=")
        if not sep or not key.strip():
            raise ParameterError(
                f"--param {value!r} is not KEY=VALUE; write for example --param uc_size=40000."
            )
        params[key.strip()] = setting.strip()
    return params


@degurba.command()
@click.option(
    "--population",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Population per cell, 1 km or finer (finer grids are summed to 1 km).",
)
@click.option(
    "--built-up",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Built-up surface, m² per cell (GHS-BUILT-S) or share 0-1; on the population's "
    "1 km grid or a finer grid nested in it (summed to 1 km).",
)
@click.option(
    "--land",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Permanent land, m² per cell (GHSL LAND) or share 0-1, on the 1 km grid or a finer "
    "nested grid. Without it, every cell is all land.",
)
@level_option
@click.option(
    "--rules",
    "rule_set",
    type=click.Choice(list(RULE_SETS)),
    default="ghsl-2023",
    show_default=True,
    help="Named rule set.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override one rule (repeatable), e.g. uc_size=40000 or uc_smoothing=r2022a.",
)
@output_option("File to write.", file=True)
@overwrite_option
@json_option
@executor_options
@click.pass_context
def grid(
    ctx: click.Context,
    population: Path,
    built_up: Path | None,
    land: Path | None,
    level: str,
    rule_set: str,
    params: tuple[str, ...],
    output: Path,
    overwrite: bool,
    as_json: bool,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """Classify the cells of a 1 km grid; write a class GeoTIFF and print the population and
    area of each class.

    The tiles of the grid can be labelled on Dask workers (--workers N on this machine,
    --scheduler ADDRESS on a cluster); the classes are the same cell for cell.

    \b
    Examples:
      observatory degurba grid --population POP.tif -o classes.tif --workers 2
    """
    report = progress_printer(ctx)
    rules = rules_from_name(rule_set, _parse_params(params))
    if output.exists() and not overwrite:
        raise OutputExistsError(f"{output} already exists; add --overwrite to replace it.")
    population_raster, built_up_raster, land_raster = (
        None if path is None else open_raster(path)[0] for path in (population, built_up, land)
    )
    with open_run_executor(ctx, workers=workers, scheduler=scheduler) as executor:
        result = classify_grid_rasters(
            population_raster,
            rules=rules,
            level=int(level),
            built_up=built_up_raster,
            land=land_raster,
            progress=report,
            executor=executor,
        )
    write_raster(
        output,
        result.classes,
        overwrite=overwrite,
        categories=result.codes,
        colormap=result.colours,
        tags=result.tags,
        description=result.description,
        style=paletted_qml(result.codes, result.colours),
    )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "output": str(output),
                    "level": result.level,
                    "rules": asdict(rules),
                    "classes": result.summary,
                },
                indent=2,
            )
        )
        return
    t = command_translator(ctx)
    click.echo(
        t.text(
            _(
                "Degree of Urbanisation level {level}, rules {rules} → {output}",
                level=level,
                rules=rules.name,
                output=output,
            )
        )
    )
    headings = [t.gettext(word) for word in (N_("code"), N_("class"), N_("cells"))]
    headings += [t.gettext(N_("area km²")), t.gettext(N_("population"))]
    code, name, cells, area, people = headings
    click.echo(f"{code:>4}  {name:<26}{cells:>10}{area:>12}{people:>14}{'%':>7}")
    for row in result.summary:
        click.echo(
            f"{row['code']:>4}  {t.gettext(row['name']):<26}{row['cells']:>10}"
            f"{row['area_km2']:>12,.0f}{row['population']:>14,.0f}"
            f"{100 * row['population_share']:>7.1f}"
        )


@degurba.command()
@click.argument("units_path", metavar="UNITS", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--layer", help="Layer of UNITS (default: the first).")
@click.option("--id", "id_field", required=True, help="Field holding each unit's code.")
@click.option(
    "--classes",
    "classes_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Class grid written by 'observatory degurba grid'.",
)
@click.option(
    "--population",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Population grid nested in the class grid, ideally finer (e.g. 100 m).",
)
@level_option
@click.option(
    "--unit-rules",
    type=click.Choice(["2024", "2021"]),
    default="2024",
    show_default=True,
    help="Level 2 unit rules: July 2024 Eurostat update or the 2021 manual.",
)
@output_option("File to write.", file=True)
@overwrite_option
@click.pass_context
def units(
    ctx: click.Context,
    units_path: Path,
    layer: str | None,
    id_field: str,
    classes_path: Path,
    population: Path,
    level: str,
    unit_rules: str,
    output: Path,
    overwrite: bool,
) -> None:
    """Classify spatial units from the population of each grid class inside them (exact
    cell-coverage fractions); write each unit's class and population shares (.gpkg or .csv)."""
    report = progress_printer(ctx)
    if output.suffix.lower() not in (".gpkg", ".csv"):
        raise ParameterError(f"{output}: write .gpkg or .csv.")
    if output.exists() and not overwrite:
        raise OutputExistsError(f"{output} already exists; add --overwrite to replace it.")
    result = classify_unit_layer(
        read_layer(units_path, layer=layer),
        id_field=id_field,
        classes=read_raster(classes_path),
        population=read_raster(population),
        level=int(level),
        unit_rules=unit_rules,
        name=str(units_path),
        progress=report,
    )
    write_table(output, result.table, overwrite=overwrite, layer="degurba")
    t = command_translator(ctx)
    count = len(result.table)
    click.echo(
        t.text(
            ngettext(
                "{count} unit classified at level {level} → {output}",
                "{count} units classified at level {level} → {output}",
                count,
                count=count,
                level=level,
                output=output,
            )
        )
    )
    for code, name, count in result.counts():
        click.echo(f"{code:>4}  {value_label(name, t):<30}{count:>6}")
