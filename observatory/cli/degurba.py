"""``observatory degurba grid|units``: the Degree of Urbanisation on your own rasters."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import click
import numpy as np

from observatory.cli.options import (
    json_option,
    output_option,
    overwrite_option,
    progress_printer,
)
from observatory.degurba import (
    LEVEL1_CODES,
    LEVEL1_COLOURS,
    LEVEL2_CODES,
    LEVEL2_COLOURS,
    RULE_SETS,
    UNIT_LEVEL1_CODES,
    UNIT_LEVEL2_CODES,
    class_summary,
    classify_rasters,
    classify_units,
    level1_of_unit_class,
    repeat_to_fine_grid,
    rules_from_name,
    unit_class_area,
    unit_class_population,
)
from observatory.errors import InputDataError, OutputExistsError, ParameterError
from observatory.io.raster import read_raster, write_raster
from observatory.io.vector import read_layer, write_table
from observatory.kernels.grid import Raster
from observatory.kernels.zonal import CoverageMatrix
from observatory.report.styles import paletted_qml

#: Cell size of the Degree of Urbanisation grid, in metres.
GRID_CELL_M = 1000.0
#: Class code written where a class grid has no data (never a class).
CLASS_NODATA = 255

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


def _read_grid(path: Path, what: str, report, *, may_be_shares: bool = False) -> Raster:
    """The raster at ``path``, in counts per cell (people, m²), as :func:`classify_rasters`
    takes it.

    ``may_be_shares``: a built-up or land raster whose values are all 0-1 holds shares of the
    cell and is turned into m² per cell (GHSL gives m²; shares are accepted for convenience).
    """
    raster = read_raster(path)
    if raster.grid.cell_width < GRID_CELL_M - 1e-6:
        report(f"summing the {raster.grid.cell_width:g} m {what} grid to 1 km cells")
    if not may_be_shares:
        return raster
    values = raster.filled(np.nan)
    if np.nanmin(values, initial=0.0) < 0:
        raise InputDataError(f"{path} has negative values; check its nodata value.")
    if np.nanmax(values, initial=0.0) <= 1.0:
        return Raster(values * raster.grid.cell_area, raster.grid, None, raster.name)
    return raster


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
) -> None:
    """Classify the cells of a 1 km grid; write a class GeoTIFF and print the population and
    area of each class."""
    report = progress_printer(ctx)
    rules = rules_from_name(rule_set, _parse_params(params))
    if output.exists() and not overwrite:
        raise OutputExistsError(f"{output} already exists; add --overwrite to replace it.")
    pop = _read_grid(population, "population", report)
    built_up_m2, land_m2 = (
        None if path is None else _read_grid(path, name, report, may_be_shares=True)
        for path, name in ((built_up, "built-up"), (land, "land"))
    )
    level_number = int(level)
    report(f"classifying the 1 km cells at level {level}")
    classes, prepared = classify_rasters(
        pop, rules=rules, level=level_number, built_up=built_up_m2, land=land_m2
    )
    codes = LEVEL1_CODES if level_number == 1 else LEVEL2_CODES
    colours = LEVEL1_COLOURS if level_number == 1 else LEVEL2_COLOURS
    rule_values = asdict(rules)
    write_raster(
        output,
        Raster(classes.data, classes.grid, CLASS_NODATA, str(output)),
        overwrite=overwrite,
        categories=codes,
        colormap=colours,
        tags={
            "degurba_level": level,
            "degurba_rules": rules.name,
            "degurba_parameters": json.dumps(rule_values),
        },
        description=f"Degree of Urbanisation level {level} ({rules.name})",
        style=paletted_qml(codes, colours),
    )
    summary = class_summary(
        classes.data,
        prepared.population,
        codes=codes,
        cell_area_km2=classes.grid.cell_area / 1e6,
    )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "output": str(output),
                    "level": level_number,
                    "rules": rule_values,
                    "classes": summary,
                },
                indent=2,
            )
        )
        return
    click.echo(f"Degree of Urbanisation level {level}, rules {rules.name} → {output}")
    click.echo(f"{'code':>4}  {'class':<26}{'cells':>10}{'area km²':>12}{'population':>14}{'%':>7}")
    for row in summary:
        click.echo(
            f"{row['code']:>4}  {row['name']:<26}{row['cells']:>10}{row['area_km2']:>12,.0f}"
            f"{row['population']:>14,.0f}{100 * row['population_share']:>7.1f}"
        )


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


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
    frame = read_layer(units_path, layer=layer)
    if id_field not in frame.columns:
        raise InputDataError(
            f"field '{id_field}' is not in {units_path}; it has: "
            f"{', '.join(c for c in frame.columns if c != 'geometry')}."
        )
    classes = read_raster(classes_path)
    pop = read_raster(population)
    pop.grid.require_projected(str(population))
    present = set(np.unique(classes.data[classes.valid_mask()]).tolist())
    grid_codes = LEVEL2_CODES if any(code >= 10 for code in present) else LEVEL1_CODES
    if not present <= set(grid_codes):
        raise InputDataError(
            f"{classes_path} holds codes {sorted(present - set(grid_codes))} that are not "
            "Degree of Urbanisation classes; give a grid written by 'observatory degurba grid'."
        )
    codes = tuple(grid_codes)
    report(f"overlaying {len(frame)} units on the {pop.grid.height} x {pop.grid.width} grid")
    fine_classes = repeat_to_fine_grid(classes, pop.grid)
    coverage = CoverageMatrix.build(frame.geometry, pop.grid, name=str(units_path)).matrix
    population_by_class = unit_class_population(coverage, pop.filled(0.0), fine_classes, codes)
    area_by_class = unit_class_area(
        coverage, fine_classes, codes, cell_area_km2=pop.grid.cell_area / 1e6
    )
    level_number = int(level)
    unit_classes = classify_units(
        population_by_class,
        codes,
        area_by_class=area_by_class,
        level=level_number,
        rules=unit_rules,
    )
    table = frame[[id_field, "geometry"]].copy()
    if level_number == 2:
        table["degurba_l1"] = level1_of_unit_class(unit_classes)
        table["degurba_l2"] = unit_classes
    else:
        table["degurba_l1"] = unit_classes
    total = population_by_class.sum(axis=1)
    table["population"] = total
    for k, code in enumerate(codes):
        table[f"share_{_slug(grid_codes[code])}"] = np.where(
            total > 0, population_by_class[:, k] / np.where(total > 0, total, 1), np.nan
        )
    write_table(output, table, overwrite=overwrite, layer="degurba")
    names = UNIT_LEVEL1_CODES if level_number == 1 else UNIT_LEVEL2_CODES
    click.echo(f"{len(table)} units classified at level {level} → {output}")
    counts = np.bincount(unit_classes.astype(np.int64), minlength=max(names) + 1)
    for code, name in names.items():
        click.echo(f"{code:>4}  {name:<30}{counts[code]:>6}")
