"""The project file ``observatory.toml``: load it, check its schema, resolve its paths.

A project describes one territory: its administrative units in a hierarchy, its census
tables (and the crosswalks that follow their codes), its rasters by year and its other
layers. Paths are relative to the project file. The format is documented in
``docs/project-file.md``; ``observatory init`` writes the commented template
``observatory/project_template.toml`` (see :func:`template_text`).

Every schema mistake raises :class:`~observatory.errors.ProjectFileError` with the file, the
key (as a dotted path such as ``units.levels[2].parent``) and what to write instead. This
module checks the *file* only; whether the layers it names exist and hold usable data is the
job of :mod:`observatory.layers` (reading) and :mod:`observatory.checks`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from observatory.census_spec import CensusSpec, CensusTable, Crosswalk
from observatory.errors import InputFileNotFoundError, ProjectFileError
from observatory.io.files import package_text
from observatory.io.tables import DECIMAL_MARKS, THOUSANDS_SEPARATORS, read_toml

PROJECT_FILE = "observatory.toml"
DOCS = "docs/project-file.md"
#: The commented template shipped in the package (``observatory init`` writes it).
TEMPLATE = "project_template.toml"
LANGUAGES = ("en", "fr", "ar")
#: Raster roles given per year, ``{ 2014 = "a.tif", 2024 = "b.tif" }`` (or one path, no year).
YEARLY_RASTER_ROLES = ("population", "built_up", "pm25")
#: Raster roles without a year.
STATIC_RASTER_ROLES = ("land",)
#: Layer roles and the field settings each accepts (the value is a field name of the layer).
LAYER_ROLES = {
    "roads": ("class", "bridge"),
    "schools": ("capacity", "level"),
    "health": ("capacity",),
    "transit_stops": ("capacity",),
    "open_spaces": (),
}
_TOP_KEYS = (
    "project",
    "units",
    "census",
    "rasters",
    "layers",
    "parameters",
    "prepare",
    "quality",
)
#: ``[quality] min_coverage``: share of a unit a raster must cover for the values computed
#: from it to be published (see :mod:`observatory.quality`).
DEFAULT_MIN_COVERAGE = 0.99
_LEVEL_KEYS = ("name", "id", "layer", "label", "parent", "path", "dissolve")
_CENSUS_TABLE_KEYS = ("path", "level", "id", "population", "layer", "thousands", "decimal")
_CENSUS_KEYS = (*_CENSUS_TABLE_KEYS, "tables", "crosswalk")
_CROSSWALK_KEYS = ("path", "layer", "from", "to", "share", "years")


@dataclass(frozen=True)
class Level:
    """One level of the unit hierarchy (coarsest first).

    ``id`` is the field holding the unit code, ``label`` the field holding its name,
    ``parent`` the field holding the code of the unit of the previous (coarser) level it
    belongs to (None on the first level, and on a level whose parents are found spatially),
    ``path`` the level's own vector file or folder of shapefiles (None: ``units.path``), and
    ``layer`` the layer of that file holding this level (the first layer of the file when
    omitted; in a folder of shapefiles, the name of the shapefile without ``.shp``).
    ``dissolve`` merges the features that share a code into one unit (parts published as
    separate features, such as a commune and its centre).
    """

    name: str
    id: str
    layer: str | None = None
    label: str | None = None
    parent: str | None = None
    path: Path | None = None
    dissolve: bool = False


@dataclass(frozen=True)
class UnitsSpec:
    """The ``[units]`` table: one layer per level, coarsest level first.

    ``path`` is the vector file of the levels that name no ``path`` of their own (None when
    every level names its own).
    """

    path: Path | None
    levels: tuple[Level, ...]

    def path_of(self, level: Level) -> Path:
        """The file (or folder of shapefiles) holding ``level``.

        Its own ``path``, else ``units.path`` (:func:`parse_project` refuses a level that
        has neither).
        """
        return level.path if level.path is not None else self.path

    def finds_parents_spatially(self, level: Level) -> bool:
        """True when the parents of ``level``'s units are found by overlap, not by a field.

        That is a level below the first that names no ``parent`` field.
        """
        return level.parent is None and level.name != self.levels[0].name

    def level(self, name: str) -> Level:
        """The level called ``name``; KeyError when there is none."""
        for level in self.levels:
            if level.name == name:
                return level
        raise KeyError(name)

    def parent_of(self, name: str) -> Level | None:
        """The level just coarser than ``name`` (None for the first level)."""
        names = [level.name for level in self.levels]
        position = names.index(name)
        return self.levels[position - 1] if position > 0 else None


@dataclass(frozen=True)
class LayerSpec:
    """One entry of ``[layers]``: a vector layer with a role and its field settings."""

    role: str
    path: Path
    layer: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Project:
    """A loaded, schema-checked project with absolute paths.

    ``rasters`` maps a role to ``{year: path}``; a raster without year (``land``, or a
    yearly role given as a single path) has the key ``None``. ``parameters`` maps an
    indicator id to its parameter overrides. ``settings`` is the whole parsed document.
    """

    file: Path
    name: str
    language: str
    description: str
    units: UnitsSpec
    census: CensusSpec | None
    rasters: dict[str, dict[int | None, Path]]
    layers: dict[str, LayerSpec]
    parameters: dict[str, dict[str, Any]]
    settings: dict[str, Any]
    min_coverage: float = DEFAULT_MIN_COVERAGE

    @property
    def root(self) -> Path:
        """The folder of the project file, against which relative paths are resolved."""
        return self.file.parent

    def input_paths(self) -> list[Path]:
        """Every file the project reads, without repeats, in a stable order."""
        paths = [self.units.path_of(level) for level in self.units.levels]
        if self.census is not None:
            paths.extend(self.census.paths)
        for by_year in self.rasters.values():
            paths.extend(by_year.values())
        paths.extend(spec.path for spec in self.layers.values())
        return list(dict.fromkeys(paths))


class _Reader:
    """Reads one table of the TOML document, reporting mistakes with their dotted key.

    Unknown keys are refused as soon as the table is opened, with the closest allowed key
    as a suggestion, so that a typo (``[unit]``) is reported as such and not as a missing
    ``[units]``.
    """

    def __init__(
        self, file: Path, table: dict[str, Any], prefix: str, allowed: tuple[str, ...]
    ) -> None:
        self.file = file
        self.table = table
        self.prefix = prefix
        for name in table:
            if name not in allowed:
                raise self.fail(self.key(name), _unknown_key_problem(name, allowed))

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def fail(self, key: str, problem: str) -> ProjectFileError:
        return ProjectFileError(f"{self.file}: {key}: {problem}")

    def get(
        self,
        name: str,
        kind: type | tuple[type, ...],
        *,
        required: bool,
        default: Any = None,
        example: str = "",
    ) -> Any:
        if name not in self.table:
            if required:
                hint = f", e.g. {example}" if example else ""
                raise self.fail(self.key(name), f"missing required key; add it{hint} (see {DOCS}).")
            return default
        value = self.table[name]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            if str in kinds and not isinstance(value, dict | list):
                fix = f'write it in quotes: {name} = "{value}"'
            else:
                fix = f"write it as {example}" if example else f"see {DOCS}"
            raise self.fail(
                self.key(name),
                f"expected {_type_name(kinds)}, got {_type_name((type(value),))} {value!r}; {fix}.",
            )
        return value

    def text(self, name: str, *, required: bool, example: str = "") -> str | None:
        """A non-empty string (a name or a field name)."""
        value = self.get(name, str, required=required, example=example)
        if value is not None and not value.strip():
            raise self.fail(self.key(name), "empty text; give a name.")
        return value

    def sub(self, name: str, allowed: tuple[str, ...], *, required: bool) -> _Reader | None:
        value = self.get(name, dict, required=required, example=f"[{self.key(name)}]")
        return None if value is None else _Reader(self.file, value, self.key(name), allowed)

    def path(self, name: str, *, example: str = "", required: bool = True) -> Path | None:
        value = self.get(name, str, required=required, example=example)
        if value is None:
            return None
        if not value.strip():
            raise self.fail(
                self.key(name), "empty path; give a file path relative to the project file."
            )
        return (self.file.parent / value).resolve()


def _unknown_key_problem(name: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    suggestion = f"did you mean '{close[0]}'? " if close else ""
    known = ", ".join(allowed) if allowed else "none"
    return f"unknown key '{name}'; {suggestion}The keys allowed here are: {known}."


#: How messages name the TOML types.
_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
_TYPE_NAMES |= {dict: "a table", list: "an array"}


def _type_name(kinds: tuple[type, ...]) -> str:
    return " or ".join(_TYPE_NAMES.get(kind, kind.__name__) for kind in kinds)


def _year(reader: _Reader, text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise reader.fail(reader.key(text), "a year must be 4 digits, e.g. 2024.")
    return int(text)


def _yearly_paths(rasters: _Reader, role: str) -> dict[int | None, Path]:
    example = f'{role} = {{ 2024 = "rasters/{role}_2024.tif" }}'
    value = rasters.get(role, (str, dict), required=True, example=example)
    if isinstance(value, str):
        return {None: rasters.path(role)}
    years = _Reader(rasters.file, value, rasters.key(role), tuple(value))
    paths: dict[int | None, Path] = {_year(years, name): years.path(name) for name in sorted(value)}
    if not paths:
        raise rasters.fail(rasters.key(role), f"empty table; write {example}.")
    return paths


def _read_levels(units: _Reader, default_path: Path | None) -> tuple[Level, ...]:
    raw_levels = units.get(
        "levels", list, required=True, example='[{ name = "commune", id = "code" }]'
    )
    if not raw_levels:
        raise units.fail(units.key("levels"), "give at least one level, coarsest first.")
    levels: list[Level] = []
    for position, raw in enumerate(raw_levels, start=1):
        key = f"{units.key('levels')}[{position}]"
        if not isinstance(raw, dict):
            raise units.fail(key, 'each level is a table { name = "...", id = "..." }.')
        reader = _Reader(units.file, raw, key, _LEVEL_KEYS)
        level = Level(
            name=reader.text("name", required=True, example='name = "commune"'),
            id=reader.text("id", required=True, example='id = "code"'),
            layer=reader.text("layer", required=False),
            label=reader.text("label", required=False),
            parent=reader.text("parent", required=False),
            path=reader.path("path", required=False),
            dissolve=reader.get("dissolve", bool, required=False, default=False),
        )
        if position == 1 and level.parent is not None:
            raise units.fail(
                f"{key}.parent", "the first (coarsest) level has no parent; remove this key."
            )
        if level.path is None and default_path is None:
            raise units.fail(
                f"{key}.path",
                f"level '{level.name}' names no file and [units] has no path; give this level "
                f'its own, e.g. path = "{level.name}.shp", or give units.path for every level '
                f"without one (see {DOCS}).",
            )
        if any(other.name == level.name for other in levels):
            raise units.fail(f"{key}.name", f"level name '{level.name}' is used twice.")
        levels.append(level)
    return tuple(levels)


def _read_census(census: _Reader, level_names: list[str]) -> CensusSpec:
    """``[census]``: one table (its keys in ``[census]``) or ``[[census.tables]]``."""
    if "tables" in census.table:
        given = [name for name in _CENSUS_TABLE_KEYS if name in census.table]
        if given:
            raise census.fail(
                census.key(given[0]),
                "with [[census.tables]], each table gives its own keys; move this key into "
                f"the tables (see {DOCS}).",
            )
        raw_tables = census.get("tables", list, required=True)
        if not raw_tables:
            raise census.fail(census.key("tables"), "give at least one table.")
        tables = tuple(
            _read_census_table(
                _entry(census, "tables", position, raw, _CENSUS_TABLE_KEYS), level_names
            )
            for position, raw in enumerate(raw_tables, start=1)
        )
    else:
        tables = (_read_census_table(census, level_names),)
    years = sorted({year for table in tables for year in table.population})
    return CensusSpec(tables=tables, crosswalks=_read_crosswalks(census, years))


def _entry(
    parent: _Reader, name: str, position: int | None, raw: Any, allowed: tuple[str, ...]
) -> _Reader:
    """The reader of ``parent.name`` (a table), or of its ``position``-th entry (an array)."""
    key = parent.key(name) if position is None else f"{parent.key(name)}[{position}]"
    if not isinstance(raw, dict):
        raise parent.fail(key, f"expected a table, got {_type_name((type(raw),))} {raw!r}.")
    return _Reader(parent.file, raw, key, allowed)


def _read_census_table(census: _Reader, level_names: list[str]) -> CensusTable:
    level = census.text("level", required=False) or level_names[-1]
    if level not in level_names:
        raise census.fail(
            census.key("level"),
            f"'{level}' is not a level of [units]; use one of {', '.join(level_names)}.",
        )
    example = '{ 2024 = "population_2024" }'
    value = census.get("population", dict, required=True, example=f"population = {example}")
    columns = _Reader(census.file, value, census.key("population"), tuple(value))
    population = {_year(columns, name): columns.text(name, required=True) for name in sorted(value)}
    if not population:
        raise census.fail(census.key("population"), f"empty table; write {example}.")
    thousands, decimal = _number_format(census)
    return CensusTable(
        path=census.path("path", example='path = "census.csv"'),
        level=level,
        id=census.text("id", required=True, example='id = "code"'),
        population=population,
        layer=census.text("layer", required=False),
        thousands=thousands,
        decimal=decimal,
        key=census.prefix,
    )


def _read_crosswalks(census: _Reader, years: list[int]) -> tuple[Crosswalk, ...]:
    """``[census.crosswalk]`` (one table) or ``[[census.crosswalk]]`` (several).

    Each applies to census years of its own.
    """
    raw = census.get("crosswalk", (dict, list), required=False)
    if raw is None:
        return ()
    entries = [(None, raw)] if isinstance(raw, dict) else list(enumerate(raw, start=1))
    crosswalks: list[Crosswalk] = []
    for position, entry in entries:
        reader = _entry(census, "crosswalk", position, entry, _CROSSWALK_KEYS)
        walk = Crosswalk(
            path=reader.path("path", example='path = "crosswalk.csv"'),
            source=reader.text("from", required=True, example='from = "code_2018"'),
            target=reader.text("to", required=True, example='to = "code_2019"'),
            years=_crosswalk_years(reader, years),
            share=reader.text("share", required=False),
            layer=reader.text("layer", required=False),
            key=reader.prefix,
        )
        for year in walk.years:
            other = next((done for done in crosswalks if year in done.years), None)
            if other is not None:
                raise reader.fail(
                    reader.key("years"),
                    f"{year} is already followed by {other.key}; give one crosswalk per "
                    "census year (join the two tables into one, from the codes of the census "
                    "to the codes of the units).",
                )
        crosswalks.append(walk)
    return tuple(crosswalks)


def _crosswalk_years(crosswalk: _Reader, census_years: list[int]) -> tuple[int, ...]:
    """``years = [2018]``: census years of the tables, at least one."""
    known = ", ".join(str(year) for year in census_years)
    value = crosswalk.get("years", list, required=True, example=f"years = [{census_years[0]}]")
    if not value or not all(isinstance(year, int) and not isinstance(year, bool) for year in value):
        raise crosswalk.fail(
            crosswalk.key("years"),
            f"give the census years the crosswalk applies to, e.g. years = [{census_years[0]}].",
        )
    for year in value:
        if year not in census_years:
            raise crosswalk.fail(
                crosswalk.key("years"),
                f"{year} is not a year of the census tables ({known}).",
            )
    return tuple(sorted(set(value)))


def _number_format(census: _Reader) -> tuple[str | None, str | None]:
    """``thousands`` and ``decimal`` of a census table: known characters, not the same one."""
    choices = {"thousands": THOUSANDS_SEPARATORS, "decimal": DECIMAL_MARKS}
    values = {}
    for name, allowed in choices.items():
        value = census.get(name, str, required=False)
        if value is not None:
            value = " " if value in ("\u00a0", "\u202f") else value
            if value not in allowed:
                shown = ", ".join(f'"{mark}"' for mark in allowed)
                raise census.fail(
                    census.key(name), f'"{value}" is not one of {shown} (see {DOCS}).'
                )
        values[name] = value
    if values["thousands"] is not None and values["thousands"] == values["decimal"]:
        raise census.fail(
            census.key("decimal"),
            f'"{values["decimal"]}" is also {census.key("thousands")}; a number cannot use one '
            'character for both (e.g. thousands = "." and decimal = ",").',
        )
    return values["thousands"], values["decimal"]


def _read_layers(layers: _Reader) -> dict[str, LayerSpec]:
    specs = {}
    for role in layers.table:
        settings = LAYER_ROLES[role]
        spec = layers.sub(role, ("path", "layer", *settings), required=True)
        specs[role] = LayerSpec(
            role=role,
            path=spec.path("path", example='path = "facilities.gpkg"'),
            layer=spec.text("layer", required=False),
            fields={
                setting: value
                for setting in settings
                if (value := spec.text(setting, required=False)) is not None
            },
        )
    return specs


def parse_project(document: dict[str, Any], file: Path) -> Project:
    """Check a parsed TOML document against the schema and build the :class:`Project`.

    Parameters
    ----------
    document : dict
        The parsed TOML document.
    file : pathlib.Path
        The project file; relative paths are resolved against its folder.

    Raises
    ------
    ProjectFileError
        At the first unknown key, wrong type, missing required key or invalid value, with
        the file and the dotted key.
    """
    top = _Reader(file, document, "", _TOP_KEYS)
    meta = top.sub("project", ("name", "language", "description"), required=True)
    name = meta.text("name", required=True, example='name = "Rabat-Salé-Kénitra"')
    language = meta.get("language", str, required=False, default="en")
    if language not in LANGUAGES:
        raise meta.fail(meta.key("language"), f"'{language}' is not one of {', '.join(LANGUAGES)}.")
    description = meta.get("description", str, required=False, default="")

    units_reader = top.sub("units", ("path", "levels"), required=True)
    raw_levels = units_reader.table.get("levels")
    # units.path may be left out when the levels name their own files (each level that
    # names none is then refused by _read_levels, by its key)
    some_level_has_a_path = isinstance(raw_levels, list) and any(
        isinstance(raw, dict) and "path" in raw for raw in raw_levels
    )
    units_path = units_reader.path(
        "path",
        required=not some_level_has_a_path,
        example='path = "units.gpkg" (or a path on every level)',
    )
    units = UnitsSpec(path=units_path, levels=_read_levels(units_reader, units_path))

    census = None
    census_reader = top.sub("census", _CENSUS_KEYS, required=False)
    if census_reader is not None:
        census = _read_census(census_reader, [level.name for level in units.levels])

    rasters: dict[str, dict[int | None, Path]] = {}
    rasters_reader = top.sub("rasters", YEARLY_RASTER_ROLES + STATIC_RASTER_ROLES, required=False)
    if rasters_reader is not None:
        for role in rasters_reader.table:
            if role in YEARLY_RASTER_ROLES:
                rasters[role] = _yearly_paths(rasters_reader, role)
            else:
                rasters[role] = {None: rasters_reader.path(role)}

    layers: dict[str, LayerSpec] = {}
    layers_reader = top.sub("layers", tuple(LAYER_ROLES), required=False)
    if layers_reader is not None:
        layers = _read_layers(layers_reader)

    parameters: dict[str, dict[str, Any]] = {}
    raw_parameters = top.get("parameters", dict, required=False, default={})
    by_indicator = _Reader(file, raw_parameters, "parameters", tuple(raw_parameters))
    for indicator_id in raw_parameters:
        parameters[indicator_id] = dict(
            by_indicator.get(
                indicator_id, dict, required=True, example=f"[parameters.{indicator_id}]"
            )
        )

    return Project(
        file=file,
        name=name,
        language=language,
        description=description,
        units=units,
        census=census,
        rasters=rasters,
        layers=layers,
        parameters=parameters,
        settings=document,
        min_coverage=_read_min_coverage(top),
    )


def _read_min_coverage(top: _Reader) -> float:
    """``[quality] min_coverage``, a share from 0 to 1 (default 0.99)."""
    quality = top.sub("quality", ("min_coverage",), required=False)
    if quality is None:
        return DEFAULT_MIN_COVERAGE
    value = quality.get("min_coverage", (float, int), required=False, default=None)
    if value is None:
        return DEFAULT_MIN_COVERAGE
    if not 0 <= value <= 1:
        raise quality.fail(
            quality.key("min_coverage"),
            f"{value!r} is not a share from 0 to 1; write e.g. min_coverage = 0.99 (99 %).",
        )
    return float(value)


def find_project_file(location: Path | str = ".") -> Path:
    """The project file at ``location``: the file itself, or ``observatory.toml`` in a folder."""
    path = Path(location)
    if path.is_dir():
        path = path / PROJECT_FILE
    if not path.is_file():
        raise InputFileNotFoundError(
            f"no project file at {path}; give the folder that holds {PROJECT_FILE} or the file "
            "itself, or create one with 'observatory init DIR'."
        )
    return path.resolve()


def load_project(location: Path | str = ".") -> Project:
    """Read, check and resolve the project at ``location`` (a folder or the TOML file).

    Raises
    ------
    InputFileNotFoundError
        If there is no project file there.
    ProjectFileError
        If the file is not valid TOML (the message gives the line) or does not follow the
        schema (the message gives the dotted key).
    """
    file = find_project_file(location)
    return parse_project(read_toml(file), file)


def template_text() -> str:
    """The commented project-file template that ``observatory init`` writes."""
    return package_text(TEMPLATE)
