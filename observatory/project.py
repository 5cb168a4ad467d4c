"""The project file ``observatory.toml``: load it, check its schema, resolve its paths.

A project describes one territory: its administrative units in a hierarchy, its census
table, its rasters by year and its other layers. Paths are relative to the project file.
The format is documented in ``docs/project-file.md``; ``observatory init`` writes a
commented template (:data:`TEMPLATE`).

Every schema mistake raises :class:`~observatory.errors.ProjectFileError` with the file, the
key (as a dotted path such as ``units.levels[2].parent``) and what to write instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from observatory.errors import InputFileNotFoundError, ProjectFileError
from observatory.io.tables import read_toml

PROJECT_FILE = "observatory.toml"
LANGUAGES = ("en", "fr", "ar")
YEARLY_RASTER_ROLES = ("population", "built_up", "pm25")
STATIC_RASTER_ROLES = ("land",)
LAYER_ROLES = {
    "roads": ("class", "bridge"),
    "schools": ("capacity", "level"),
    "health": ("capacity",),
    "transit_stops": ("capacity",),
    "open_spaces": (),
}


@dataclass(frozen=True)
class Level:
    """One level of the unit hierarchy (coarsest first)."""

    name: str
    id: str
    layer: str | None = None
    label: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class UnitsSpec:
    path: Path
    levels: tuple[Level, ...]

    def level(self, name: str) -> Level:
        for level in self.levels:
            if level.name == name:
                return level
        raise KeyError(name)


@dataclass(frozen=True)
class CensusSpec:
    path: Path
    level: str
    id: str
    population: dict[int, str]
    layer: str | None = None


@dataclass(frozen=True)
class LayerSpec:
    role: str
    path: Path
    layer: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Project:
    """A loaded, schema-checked project with absolute paths."""

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

    @property
    def root(self) -> Path:
        return self.file.parent

    def input_paths(self) -> list[Path]:
        """Every file the project reads, without repeats, in a stable order."""
        paths = [self.units.path]
        if self.census is not None:
            paths.append(self.census.path)
        for by_year in self.rasters.values():
            paths.extend(by_year.values())
        paths.extend(spec.path for spec in self.layers.values())
        return list(dict.fromkeys(paths))


class _Reader:
    """Reads one table of the TOML document, reporting mistakes with their dotted key."""

    def __init__(self, file: Path, table: dict[str, Any], prefix: str) -> None:
        self.file = file
        self.table = table
        self.prefix = prefix
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def fail(self, key: str, problem: str) -> ProjectFileError:
        return ProjectFileError(f"{self.file}: {key}: {problem}")

    def get(self, name: str, kind: type | tuple[type, ...], *, required: bool, default=None):
        self.used.add(name)
        if name not in self.table:
            if required:
                raise self.fail(self.key(name), "missing required key; add it (see docs).")
            return default
        value = self.table[name]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            expected = _type_name(kind)
            raise self.fail(
                self.key(name),
                f"expected {expected}, got {_type_name(type(value))} {value!r}.",
            )
        return value

    def sub(self, name: str, *, required: bool) -> _Reader | None:
        value = self.get(name, dict, required=required)
        return None if value is None else _Reader(self.file, value, self.key(name))

    def finish(self, allowed: tuple[str, ...] | None = None) -> None:
        unknown = [k for k in self.table if k not in self.used]
        if unknown:
            known = ", ".join(sorted(allowed or self.used)) or "none"
            raise self.fail(
                self.key(unknown[0]), f"unknown key; the keys allowed here are: {known}."
            )

    def path(self, name: str, *, required: bool = True) -> Path | None:
        value = self.get(name, str, required=required)
        if value is None:
            return None
        if not value.strip():
            raise self.fail(self.key(name), "empty path; give a file path relative to the file.")
        return (self.file.parent / value).resolve()


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        dict: "a table",
        list: "an array",
    }
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _year(reader: _Reader, key: str, text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise reader.fail(f"{reader.prefix}.{key}", "a year must be 4 digits, e.g. 2024.")
    return int(text)


def _yearly_paths(reader: _Reader, role: str) -> dict[int | None, Path]:
    value = reader.get(role, (str, dict), required=True)
    if isinstance(value, str):
        return {None: reader.path(role)}
    sub = _Reader(reader.file, value, reader.key(role))
    paths = {_year(sub, name, name): sub.path(name) for name in value}
    if not paths:
        raise reader.fail(reader.key(role), 'empty table; write { 2024 = "file.tif" }.')
    return paths


def _read_levels(units: _Reader) -> tuple[Level, ...]:
    raw_levels = units.get("levels", list, required=True)
    if not raw_levels:
        raise units.fail(units.key("levels"), "give at least one level, coarsest first.")
    levels = []
    for position, raw in enumerate(raw_levels, start=1):
        key = f"{units.key('levels')}[{position}]"
        if not isinstance(raw, dict):
            raise units.fail(key, 'each level is a table { name = "...", id = "..." }.')
        reader = _Reader(units.file, raw, key)
        level = Level(
            name=reader.get("name", str, required=True),
            id=reader.get("id", str, required=True),
            layer=reader.get("layer", str, required=False),
            label=reader.get("label", str, required=False),
            parent=reader.get("parent", str, required=False),
        )
        reader.finish(("name", "id", "layer", "label", "parent"))
        if position == 1 and level.parent is not None:
            raise units.fail(
                f"{key}.parent", "the first (coarsest) level has no parent; remove it."
            )
        if position > 1 and level.parent is None:
            raise units.fail(
                f"{key}.parent",
                f"missing required key: level '{level.name}' must name the field holding the id "
                f"of its parent in level '{levels[-1].name}'.",
            )
        if any(other.name == level.name for other in levels):
            raise units.fail(f"{key}.name", f"level name '{level.name}' is used twice.")
        levels.append(level)
    return tuple(levels)


def parse_project(document: dict[str, Any], file: Path) -> Project:
    """Check a parsed TOML document against the schema and build the :class:`Project`."""
    top = _Reader(file, document, "")
    meta = top.sub("project", required=True)
    name = meta.get("name", str, required=True)
    language = meta.get("language", str, required=False, default="en")
    if language not in LANGUAGES:
        raise meta.fail("project.language", f"'{language}' is not one of {', '.join(LANGUAGES)}.")
    description = meta.get("description", str, required=False, default="")
    meta.finish(("name", "language", "description"))

    units_reader = top.sub("units", required=True)
    units = UnitsSpec(path=units_reader.path("path"), levels=_read_levels(units_reader))
    units_reader.finish(("path", "levels"))
    level_names = [level.name for level in units.levels]

    census = None
    census_reader = top.sub("census", required=False)
    if census_reader is not None:
        level = census_reader.get("level", str, required=True)
        if level not in level_names:
            raise census_reader.fail(
                "census.level", f"'{level}' is not a level of [units] ({', '.join(level_names)})."
            )
        population_reader = census_reader.sub("population", required=True)
        population = {}
        for year_text in population_reader.table:
            column = population_reader.get(year_text, str, required=True)
            population[_year(population_reader, year_text, year_text)] = column
        if not population:
            raise census_reader.fail(
                "census.population", 'empty table; write { 2024 = "population_2024" }.'
            )
        census = CensusSpec(
            path=census_reader.path("path"),
            level=level,
            id=census_reader.get("id", str, required=True),
            population=population,
            layer=census_reader.get("layer", str, required=False),
        )
        census_reader.finish(("path", "level", "id", "population", "layer"))

    rasters: dict[str, dict[int | None, Path]] = {}
    rasters_reader = top.sub("rasters", required=False)
    if rasters_reader is not None:
        for role in rasters_reader.table:
            if role in YEARLY_RASTER_ROLES:
                rasters[role] = _yearly_paths(rasters_reader, role)
            elif role in STATIC_RASTER_ROLES:
                rasters[role] = {None: rasters_reader.path(role)}
        rasters_reader.finish(YEARLY_RASTER_ROLES + STATIC_RASTER_ROLES)

    layers: dict[str, LayerSpec] = {}
    layers_reader = top.sub("layers", required=False)
    if layers_reader is not None:
        for role in list(layers_reader.table):
            if role not in LAYER_ROLES:
                continue
            spec = layers_reader.sub(role, required=True)
            settings = {
                setting: value
                for setting in LAYER_ROLES[role]
                if (value := spec.get(setting, str, required=False)) is not None
            }
            layers[role] = LayerSpec(
                role=role,
                path=spec.path("path"),
                layer=spec.get("layer", str, required=False),
                fields=settings,
            )
            spec.finish(("path", "layer", *LAYER_ROLES[role]))
        layers_reader.finish(tuple(LAYER_ROLES))

    parameters: dict[str, dict[str, Any]] = {}
    parameters_reader = top.sub("parameters", required=False)
    if parameters_reader is not None:
        for indicator_id in parameters_reader.table:
            parameters[indicator_id] = dict(
                parameters_reader.get(indicator_id, dict, required=True)
            )

    top.finish(("project", "units", "census", "rasters", "layers", "parameters"))
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
    )


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
    """Read, check and resolve the project at ``location`` (a folder or the TOML file)."""
    file = find_project_file(location)
    return parse_project(read_toml(file), file)
