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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from observatory.census_spec import CENSUS_KEYS, CensusSpec, read_census
from observatory.errors import InputFileNotFoundError
from observatory.io.files import package_text
from observatory.io.tables import read_toml
from observatory.toml_reader import DOCS, TableReader, read_year

PROJECT_FILE = "observatory.toml"
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


def _yearly_paths(rasters: TableReader, role: str) -> dict[int | None, Path]:
    example = f'{role} = {{ 2024 = "rasters/{role}_2024.tif" }}'
    value = rasters.get(role, (str, dict), required=True, example=example)
    if isinstance(value, str):
        return {None: rasters.path(role)}
    years = TableReader(rasters.file, value, rasters.key(role), tuple(value))
    paths: dict[int | None, Path] = {
        read_year(years, name): years.path(name) for name in sorted(value)
    }
    if not paths:
        raise rasters.fail(rasters.key(role), f"empty table; write {example}.")
    return paths


def _read_levels(units: TableReader, default_path: Path | None) -> tuple[Level, ...]:
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
        reader = TableReader(units.file, raw, key, _LEVEL_KEYS)
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


def _read_layers(layers: TableReader) -> dict[str, LayerSpec]:
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
    top = TableReader(file, document, "", _TOP_KEYS)
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
    census_reader = top.sub("census", CENSUS_KEYS, required=False)
    if census_reader is not None:
        census = read_census(census_reader, [level.name for level in units.levels])

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
    by_indicator = TableReader(file, raw_parameters, "parameters", tuple(raw_parameters))
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


def _read_min_coverage(top: TableReader) -> float:
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
