"""Unit levels guessed from polygon layers: their order, names, id, label and parent fields.

Levels go coarsest first, ordered by feature count (fewer units = coarser). For each layer:

- **id**: a field whose values are (nearly) all different, preferring names that say
  "code" (``code``, ``id``, ``nis``, ``refnis``, ``hcp_code``, ``*_code``, or the layer's
  own name, as ``gemeente`` in ``gemeente2024``), codes written with digits, and codes
  stored as text; row numbers (``OBJECTID``, 1..n) and measures (``Shape_Area``) never;
- **label**: a field named as a name (``name``, ``naam``, ``nom``, ``libelle``, ``label``),
  French or English before other languages, then the one with most different values;
- **parent**: a field whose values are all ids of the previous level; when no field is,
  the parent is left out and found spatially (largest overlap).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from observatory.drafting.document import Section
from observatory.drafting.names import counted, has_word, slug, words
from observatory.io.inventory import Column, VectorLayer

#: Level names and the words of layer names that suggest them.
LEVEL_WORDS = {
    "country": frozenset({"country", "countries", "pays", "national"}),
    "region": frozenset({"region", "regions", "gewest", "gewesten", "regio"}),
    "province": frozenset({"province", "provinces", "provincie", "provincies", "prefecture"}),
    "arrondissement": frozenset({"arrondissement", "arrondissements"}),
    "district": frozenset({"district", "districts", "cercle", "cercles"}),
    "municipality": frozenset({"gemeente", "gemeenten", "municipality", "municipalities"}),
    "commune": frozenset({"commune", "communes"}),
    "neighbourhood": frozenset(
        {"wijk", "wijken", "ggw", "quartier", "quartiers", "neighbourhood", "neighborhood"}
    ),
    "sector": frozenset({"statsec", "sector", "sectors", "secteur", "secteurs"}),
}
#: Words of field names that say "code".
CODE_WORDS = frozenset({"code", "codes", "cod", "id", "nis", "refnis", "insee", "hcp", "geocode"})
#: Words of field names that say "name".
NAME_WORDS = frozenset({"name", "names", "naam", "nom", "libelle", "label", "lib", "intitule"})
#: Language words of names preferred for labels (the languages of the outputs but Arabic,
#: whose names are rarer in the files technicians receive).
_LABEL_LANGUAGES = frozenset({"fr", "en"})
#: Fields that number rows, never unit codes.
_ROW_NUMBERS = frozenset({"objectid", "object_id", "fid", "ogc_fid", "ogr_fid", "gid", "rowid"})
#: Share of different values a field needs to be taken for a unit code.
_NEARLY_UNIQUE = 0.95


@dataclass(frozen=True)
class LevelGuess:
    """One guessed unit level and the CHECK note of each guess (by key)."""

    name: str
    layer: VectorLayer
    id: str | None
    label: str | None = None
    parent: str | None = None
    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ids(self) -> set[str]:
        """The unit codes of the level, as text."""
        return set(self.layer.fields[self.id].filled) if self.id else set()


def guess_levels(layers: list[VectorLayer]) -> list[LevelGuess]:
    """The unit levels, coarsest first, one per polygon layer."""
    ordered = sorted(layers, key=lambda layer: layer.features)
    levels: list[LevelGuess] = []
    for layer in ordered:
        name, name_check = _level_name(layer, {level.name for level in levels})
        identifier, id_check = _id_field(layer)
        label, label_check = _label_field(layer, exclude=identifier)
        checks = {"name": name_check, "id": id_check, "label": label_check}
        parent = None
        if levels:
            parent, checks["parent"] = _parent_field(layer, identifier, levels[-1])
        kept = {key: note for key, note in checks.items() if note}
        levels.append(LevelGuess(name, layer, identifier, label, parent, kept))
    return levels


def _level_name(layer: VectorLayer, taken: set[str]) -> tuple[str, str | None]:
    found = [name for name, vocabulary in LEVEL_WORDS.items() if has_word(layer.name, vocabulary)]
    name = found[0] if found else slug(layer.name)
    check = None if found else f"level name made from the layer name '{layer.name}'"
    unique, number = name, 2
    while unique in taken:
        unique, number = f"{name}_{number}", number + 1
    if unique != name:
        check = f"level name '{name}' is already used, so this one is '{unique}'"
    return unique, check


def _distinct_share(column: Column) -> float:
    filled = column.filled
    return len(set(filled)) / len(filled) if filled else 0.0


def _is_row_number(column: Column) -> bool:
    """Whether the values are 0..n-1 or 1..n, as a row number."""
    filled = column.filled
    if column.kind != "integer" or not filled:
        return False
    numbers = sorted(int(value) for value in filled)
    return numbers in (list(range(len(numbers))), list(range(1, len(numbers) + 1)))


def _id_score(layer: VectorLayer, name: str, column: Column) -> tuple:
    own_name = slug(name) in {slug(layer.name), *words(layer.name)}
    filled = column.filled
    return (
        _distinct_share(column) >= _NEARLY_UNIQUE,
        has_word(name, CODE_WORDS) or own_name,
        not _is_row_number(column),
        all(any(c.isdigit() for c in value) for value in filled),
        column.kind == "text",
        _distinct_share(column),
    )


def _id_field(layer: VectorLayer) -> tuple[str | None, str]:
    candidates = {
        name: column
        for name, column in layer.fields.items()
        if column.kind != "real" and column.filled and not has_word(name, NAME_WORDS)
        if name.casefold() not in _ROW_NUMBERS
    }
    if not candidates:
        return None, (
            f"no field of {layer.name} looks like a unit code: write the field holding the "
            "code of each unit"
        )
    best = max(candidates, key=lambda name: _id_score(layer, name, candidates[name]))
    column = candidates[best]
    filled = column.filled
    distinct = len(set(filled))
    how = (
        f"{counted(distinct, 'different value')} in {counted(layer.features, 'unit')}, "
        f"e.g. '{filled[0]}'"
    )
    if distinct < len(filled):
        repeats = len(filled) - distinct
        verb = "repeats" if repeats == 1 else "repeat"
        how += f"; {counted(repeats, 'unit')} {verb} a code: validate names them"
    if column.kind == "integer":
        how += "; stored as numbers, so codes with a leading zero lost it"
    others = sorted(
        (name for name in candidates if name != best),
        key=lambda name: _id_score(layer, name, candidates[name]),
        reverse=True,
    )[:3]
    also = f"; next candidates: {', '.join(others)}" if others else ""
    return best, f"unit code field guessed: '{best}' ({how}){also}"


def _label_score(name: str, column: Column) -> tuple:
    return (
        has_word(name, NAME_WORDS),
        not set(words(name)) - NAME_WORDS or has_word(name, _LABEL_LANGUAGES),
        _distinct_share(column),
    )


def _label_field(layer: VectorLayer, *, exclude: str | None) -> tuple[str | None, str | None]:
    candidates = {
        name: column
        for name, column in layer.fields.items()
        if name != exclude and column.kind == "text" and column.filled
        if has_word(name, NAME_WORDS) or has_word(name, _LABEL_LANGUAGES)
    }
    if not candidates:
        return None, None
    best = max(candidates, key=lambda name: _label_score(name, candidates[name]))
    example = candidates[best].filled[0]
    return best, f"unit name field guessed: '{best}' (e.g. '{example}')"


def _parent_field(
    layer: VectorLayer, identifier: str | None, coarser: LevelGuess
) -> tuple[str | None, str]:
    codes = coarser.ids
    found = [
        name
        for name, column in layer.fields.items()
        if name != identifier and column.filled and codes.issuperset(column.filled)
    ]
    if not found:
        return None, (
            f"no field of {layer.name} holds only {coarser.name} codes ('{coarser.id}'), so "
            f"parent is left out: each unit's {coarser.name} is the one it overlaps most"
        )
    best = max(
        found,
        key=lambda name: (has_word(name, CODE_WORDS), len(set(layer.fields[name].filled))),
    )
    column = layer.fields[best]
    return best, (
        f"parent field guessed: every value of '{best}' is a {coarser.name} code "
        f"('{coarser.id}'); {len(set(column.filled))} of the {len(codes)} {coarser.name} codes "
        "appear in it"
    )


def level_sections(levels: list[LevelGuess], where: Callable[[Path], str]) -> list[Section]:
    """One ``[[units.levels]]`` section per level; ``where`` writes a path for the file."""
    sections = []
    for position, level in enumerate(levels):
        layer = level.layer
        section = Section("units.levels", array=True)
        in_file = f", layer {layer.layer}" if layer.layer else ""
        section.notes.append(
            f"{layer.path.name}{in_file}: {counted(layer.features, 'polygon')}, "
            f"{layer.crs or 'no CRS'}"
        )
        if position == 0:
            order = ", ".join(f"{other.name} ({other.layer.features})" for other in levels)
            section.check = (
                f"levels ordered coarsest first by their number of units: {order}; each unit "
                "must lie inside one unit of the level before"
            )
        section.add("name", level.name, level.checks.get("name"))
        section.add("path", where(layer.path))
        section.add("layer", layer.layer)
        section.add("id", level.id or "FIELD", level.checks.get("id"))
        section.add("label", level.label, level.checks.get("label"))
        repeated = _repeated_codes(level)
        if repeated:
            section.add(
                "dissolve",
                True,
                f"{counted(repeated, 'unit')} {'shares' if repeated == 1 else 'share'} a code "
                "with another: if they are parts of "
                "one unit (a commune and its centre), uncomment this line to merge them; "
                "otherwise correct the codes",
                commented=True,
            )
        if position:
            parent = level.parent or "FIELD"
            section.add("parent", parent, level.checks["parent"], commented=not level.parent)
        sections.append(section)
    return sections


def _repeated_codes(level: LevelGuess) -> int:
    """How many units of ``level`` have a code another unit has too."""
    if not level.id:
        return 0
    codes = level.layer.fields[level.id].filled
    return len(codes) - len(set(codes))


def guessed_language(levels: list[LevelGuess]) -> tuple[str, str]:
    """The language of the outputs suggested by the label fields, and how it was guessed."""
    labels = [level.label for level in levels if level.label]
    for language, vocabulary in (
        ("fr", frozenset({"fr", "nom", "libelle", "intitule"})),
        ("ar", frozenset({"ar"})),
    ):
        found = [label for label in labels if has_word(label, vocabulary)]
        if found:
            return language, f"language guessed from the unit name field '{found[0]}'"
    return "en", "language: no French or Arabic unit name field found (en, fr or ar)"
