"""Rasters and vector layers given a role from their names.

- Rasters: ``pop``/``population`` → population, ``built``/``bu``/``built_s`` → built_up,
  ``land`` → land, ``pm25``/``pm2.5`` → pm25; the year is read from the file name as
  ``prepare grids`` reads it (the GHSL epoch ``E2020``, else one year standing alone), else
  the latest census year is set.
- Points: ``school``/``ecole``/``etablissement`` → schools, ``health``/``sante``/
  ``hospital`` → health, ``stop``/``arret``/``bus``/``tram`` → transit_stops; other points
  are written commented out. Lines → roads. Polygons named ``park``/``green``/``espace
  vert`` → open_spaces (the other polygons are unit levels, see :mod:`.units`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from observatory.drafting.document import Section
from observatory.drafting.names import counted, has_word, plain, words
from observatory.io.inventory import RasterFile, VectorLayer
from observatory.prepare.grids import year_from_name

#: Raster roles and the words of file names that suggest them (pm25: see :func:`raster_role`).
RASTER_WORDS = {
    "population": frozenset({"pop", "population", "popgrid", "worldpop", "ppp"}),
    "built_up": frozenset({"built", "bu", "builtup", "bati"}),
    "land": frozenset({"land", "lnd"}),
}
#: Point roles and the words of layer names that suggest them.
POINT_WORDS = {
    "schools": frozenset(
        {"school", "schools", "scholen", "ecole", "ecoles", "etablissement", "etablissements"}
        | {"enseignement", "education", "college", "colleges", "lycee", "lycees"}
    ),
    "health": frozenset(
        {"health", "sante", "hospital", "hospitals", "hopital", "hopitaux", "clinic"}
        | {"clinics", "clinique", "cliniques", "ziekenhuis", "ziekenhuizen", "dispensaire"}
    ),
    "transit_stops": frozenset(
        {"stop", "stops", "arret", "arrets", "bus", "tram", "metro", "transit", "gtfs"}
        | {"halte", "haltes", "station", "stations", "train"}
    ),
}
#: Words of polygon layer names that say "open public space".
OPEN_SPACE_WORDS = frozenset(
    {"park", "parks", "parc", "parcs", "green", "groen", "jardin", "jardins", "garden"}
    | {"gardens", "vert", "verts", "verte", "vertes", "openspace", "openspaces"}
)
#: Field settings of each role and the words of field names that suggest them.
FIELD_WORDS = {
    "roads": {
        "class": frozenset({"highway", "fclass", "class", "classe", "categorie", "category"}),
        "bridge": frozenset({"bridge", "brunnel", "pont"}),
    },
    "schools": {
        "capacity": frozenset({"seats", "capacity", "capacite", "places", "eleves", "pupils"}),
    },
    "health": {"capacity": frozenset({"beds", "lits", "capacity", "capacite"})},
    "transit_stops": {"capacity": frozenset({"capacity", "capacite"})},
}


@dataclass
class RolesDraft:
    """The rasters and layers part of the draft, and what it did not use."""

    sections: list[Section] = field(default_factory=list)
    unused: list[tuple[str, str]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


def is_open_space(layer: VectorLayer) -> bool:
    """Whether a polygon layer's name says it holds open public spaces."""
    name = f"{layer.path.stem} {layer.layer or ''}"
    return has_word(name, OPEN_SPACE_WORDS) or "espace vert" in " ".join(words(name))


def raster_role(raster: RasterFile) -> str | None:
    """The role its file name suggests, or None."""
    if "pm25" in re.sub(r"[^a-z0-9]", "", plain(raster.path.stem)):
        return "pm25"
    found = [
        role for role, vocabulary in RASTER_WORDS.items() if has_word(raster.path.stem, vocabulary)
    ]
    return found[0] if len(found) == 1 else None


def _grid_note(raster: RasterFile) -> str:
    x, y = raster.resolution
    cells = f"{x:g} m" if x == y else f"{x:g} × {y:g}"
    where = raster.crs or "no CRS"
    return f"{raster.path.name}: {where}, cells of {cells}, {raster.width} × {raster.height} cells"


def _crs_problem(crs: str | None, geographic: bool) -> str:
    if crs is None:
        return "; it has no CRS: validate will ask for one"
    if geographic:
        return (
            f"; its CRS {crs} is in degrees: validate will ask for a projected grid "
            "(observatory prepare grids makes one)"
        )
    return ""


def _raster_year(raster: RasterFile, census_years: set[int]) -> tuple[int | None, str]:
    year = year_from_name(raster.path)
    if year is not None:
        return year, f"year {year} from the file name"
    if census_years:
        latest = max(census_years)
        return latest, f"no year in the file name: {latest}, the latest census year, is set"
    return None, "no year in the file name: write it"


#: Raster roles in the order the project file lists them.
RASTER_ROLES = ("population", "built_up", "land", "pm25")


def _placed(
    raster: RasterFile, census_years: set[int], taken: dict[str, dict[int | None, RasterFile]]
) -> tuple[str | None, int | None, str]:
    """Role and year of a raster and its CHECK note, or no role and why it is not used."""
    role = raster_role(raster)
    if role is None:
        return None, None, "role not recognised from the file name"
    note = f"{raster.path.name} as {role}" + _crs_problem(raster.crs, raster.geographic)
    year, how = (None, "") if role == "land" else _raster_year(raster, census_years)
    if role != "land" and year is None:
        return None, None, how
    if year in taken.get(role, {}):
        return None, None, f"another file is already {role}" + (f" {year}" if year else "")
    return role, year, note + (f" ({how})" if how else "")


def draft_rasters(rasters: list[RasterFile], census_years: set[int], where: Callable) -> RolesDraft:
    """The ``[rasters]`` section: each raster by role (and year), with its CHECK notes."""
    draft = RolesDraft()
    section = Section("rasters")
    taken: dict[str, dict[int | None, RasterFile]] = {}
    checks: dict[str, list[str]] = {}
    for raster in rasters:
        role, year, note = _placed(raster, census_years, taken)
        if role is None:
            draft.unused.append((raster.path.name, note))
            continue
        taken.setdefault(role, {})[year] = raster
        checks.setdefault(role, []).append(note)
        section.notes.append(_grid_note(raster))
    for role in (role for role in RASTER_ROLES if role in taken):
        files = taken[role]
        check = "role guessed from the file name: " + "; ".join(checks[role])
        if role == "land":
            section.add(role, where(files[None].path), check)
            draft.summary.append("land")
        else:
            section.add(role, {year: where(files[year].path) for year in sorted(files)}, check)
            draft.summary.append(f"{role} {', '.join(str(year) for year in sorted(files))}")
    if section.entries:
        draft.sections.append(section)
    return draft


def _point_role(layer: VectorLayer) -> str | None:
    name = f"{layer.path.stem} {layer.layer or ''}"
    found = [role for role, vocabulary in POINT_WORDS.items() if has_word(name, vocabulary)]
    return found[0] if len(found) == 1 else None


def _layer_role(layer: VectorLayer) -> str | None:
    if layer.geometry == "line":
        return "roads"
    if layer.geometry == "point":
        return _point_role(layer)
    if layer.geometry == "polygon" and is_open_space(layer):
        return "open_spaces"
    return None


def _field_settings(role: str, layer: VectorLayer, section: Section) -> None:
    for setting, vocabulary in FIELD_WORDS.get(role, {}).items():
        found = [name for name in layer.fields if has_word(name, vocabulary)]
        if found:
            section.add(setting, found[0], f"{setting} field guessed from its name: '{found[0]}'")


def _layer_section(role: str, layer: VectorLayer, where: Callable) -> Section:
    section = Section(f"layers.{role}")
    section.check = (
        f"role guessed from the name of {layer.name} ({counted(layer.features, layer.geometry)})"
        + _crs_problem(layer.crs, layer.geographic)
    )
    section.add("path", where(layer.path))
    section.add("layer", layer.layer)
    _field_settings(role, layer, section)
    return section


def draft_layers(layers: list[VectorLayer], where: Callable) -> RolesDraft:
    """The ``[layers.ROLE]`` sections of the layers that are not unit levels."""
    draft = RolesDraft()
    taken: set[str] = set()
    for layer in layers:
        role = _layer_role(layer)
        if not layer.features:
            draft.unused.append((layer.name, "holds no feature"))
        elif role is None and layer.geometry == "point":
            section = _layer_section("ROLE", layer, where)
            section.commented = True
            section.check = (
                f"{layer.name} holds {counted(layer.features, 'point')} whose role is not "
                "recognised from the name: uncomment this table with ROLE replaced by the "
                "role they serve (schools, health or transit_stops), or delete it"
            )
            draft.sections.append(section)
            draft.summary.append(f"{layer.name}: points of unknown role (commented out)")
        elif role is None:
            draft.unused.append((layer.name, f"{layer.geometry} layer with no role"))
        elif role in taken:
            draft.unused.append((layer.name, f"another layer is already the {role}"))
        else:
            taken.add(role)
            draft.sections.append(_layer_section(role, layer, where))
            draft.summary.append(f"{role}: {layer.name}")
    return draft
