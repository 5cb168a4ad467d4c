"""The OSM tag mapping of ``observatory prepare osm``: one table, documented in
``docs/methods/osm-tags.md`` (keep the two in step).

Sources: the OSM wiki pages of the keys (``highway``, ``amenity``, ``healthcare``,
``public_transport``, ``railway``, ``leisure``, ``bridge``, ``tunnel``), the UN-Habitat
metadata of SDG 11.2.1 (low-capacity stops: bus; high-capacity: tram, train, metro, BRT,
ferry) and SDG 11.7.1 (open public spaces: parks, gardens, squares, playgrounds, recreation
grounds, open to all).

A project may override parts of the table in ``observatory.toml`` (see
:func:`merged_mapping`)::

    [prepare.osm.road_classes]
    trail = "path"          # a highway value kept, as class "path"
    service = ""            # a highway value left out

    [prepare.osm.schools]
    amenity = ["school", "kindergarten"]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from observatory.errors import ProjectFileError
from observatory.io.osm import OsmSelection

#: highway value → road class written in the ``class`` field (the street-land widths of
#: ``docs/methods/streets.md`` use these names). Motorways are kept: the street indicators
#: count them and the walking network leaves them out (its default ``excluded_classes``).
#: Indoor corridors and elevator ways are kept: in Helsinki they are what joins the
#: underground walkways and stations to the streets (without them 90 fragments, with them
#: fewer; see docs/methods/osm-tags.md).
ROAD_CLASSES: dict[str, str] = {
    value: value
    for value in (
        "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
        "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
        "residential", "living_street", "service", "pedestrian", "track", "road",
        "footway", "path", "steps", "cycleway", "bridleway", "corridor", "elevator",
    )
}  # fmt: skip
#: highway values of ways that are not streets (yet, any more, or at all): left out, counted.
NOT_STREETS = (
    "construction", "proposed", "planned", "abandoned", "disused", "razed", "platform",
    "bus_stop", "raceway", "bus_guideway", "busway", "escape",
    "emergency_bay", "rest_area", "services", "crossing", "via_ferrata",
)  # fmt: skip
#: Pedestrians may not use a way with one of these tags (unless ``foot`` allows it).
NO_FOOT = {"foot": ("no", "use_sidepath"), "access": ("no", "private")}
#: ``foot`` values that allow walking whatever ``access`` says.
FOOT_ALLOWED = ("yes", "designated", "permissive", "official")
#: Trunk roads without a sidewalk (``sidewalk`` one of these) are left out of the network.
NO_SIDEWALK = ("no", "none")
TRUNK_CLASSES = ("trunk", "trunk_link")
#: A way is grade-separated (crosses others without a junction) when ``bridge`` is not one of
#: the first values or ``tunnel`` is not one of the second: a building passage or a culvert is
#: at street level.
NOT_BRIDGE = ("", "no")
NOT_TUNNEL = ("", "no", "building_passage", "culvert")

#: Facilities: role → {key: values}; an object with one of the values under one of the keys
#: belongs to the role. Nodes are taken as points; areas as a point inside them.
FACILITY_TAGS: dict[str, dict[str, tuple[str, ...]]] = {
    "schools": {"amenity": ("school",)},
    "health": {
        "amenity": ("hospital", "clinic", "doctors"),
        "healthcare": (
            "hospital", "clinic", "doctor", "centre", "health_post", "birthing_centre",
            "midwife", "nurse",
        ),
    },
}  # fmt: skip
#: Open public spaces (polygons): key → values; ``access`` private or no is left out.
OPEN_SPACE_TAGS: dict[str, tuple[str, ...]] = {
    "leisure": ("park", "garden", "playground", "recreation_ground", "common", "dog_park"),
    "landuse": ("recreation_ground", "village_green"),
    "place": ("square",),
}
#: A pedestrian area (``highway=pedestrian`` with ``area=yes``, or a multipolygon relation) is
#: a square, hence open space.
PEDESTRIAN_AREA = ("highway", "pedestrian")
PRIVATE_ACCESS = ("private", "no", "customers")

#: Public-transport stops: the mode of a stop, tried in order. Each rule is (mode, key,
#: values, extra key, extra values): the object has ``key`` in ``values`` and, when an extra
#: key is given, that key in its values. High-capacity modes per the SDG 11.2.1 method.
STOP_RULES: tuple[tuple[str, str, tuple[str, ...], str | None, tuple[str, ...]], ...] = (
    ("ferry", "amenity", ("ferry_terminal",), None, ()),
    ("brt", "brt", ("yes",), None, ()),
    ("subway", "railway", ("subway_entrance",), None, ()),
    ("subway", "station", ("subway",), None, ()),
    ("subway", "subway", ("yes",), "public_transport", ("station", "platform", "stop_position")),
    ("light_rail", "station", ("light_rail",), None, ()),
    ("light_rail", "light_rail", ("yes",), "public_transport", ("station", "platform")),
    ("tram", "railway", ("tram_stop",), None, ()),
    ("tram", "tram", ("yes",), "public_transport", ("station", "platform", "stop_position")),
    ("train", "railway", ("station", "halt"), None, ()),
    ("train", "train", ("yes",), "public_transport", ("station", "platform", "stop_position")),
    ("bus", "highway", ("bus_stop",), None, ()),
    ("bus", "amenity", ("bus_station",), None, ()),
    ("bus", "bus", ("yes",), "public_transport", ("station", "platform", "stop_position")),
    ("bus", "trolleybus", ("yes",), "public_transport", ("platform", "stop_position")),
)
HIGH_CAPACITY_MODES = ("ferry", "brt", "subway", "light_rail", "tram", "train")
#: Stops of one capacity and one name (or both unnamed) closer than this are one stop: the
#: platform, stop position and station node of a station, the two sides of a bus stop.
STOP_MERGE_M = 100.0

#: Tags recorded besides the selection keys.
EXTRA_TAGS = (
    "name", "bridge", "tunnel", "layer", "foot", "access", "sidewalk", "area", "capacity",
    "isced:level", "beds", "operator", "public_transport", "station", "bus", "tram", "train",
    "subway", "light_rail", "trolleybus", "brt",
)  # fmt: skip


@dataclass(frozen=True)
class TagMapping:
    """The mapping in force: the defaults above with a project's overrides applied."""

    road_classes: dict[str, str]
    facilities: dict[str, dict[str, tuple[str, ...]]]
    open_spaces: dict[str, tuple[str, ...]]

    def selection(self) -> OsmSelection:
        """What :func:`~observatory.io.osm.read_osm` must select for this mapping."""
        facilities: dict[str, set[str]] = {}
        for tags in self.facilities.values():
            _add_values(facilities, tags)
        stops: dict[str, set[str]] = {}
        for _, key, values, extra_key, extra_values in STOP_RULES:
            _add_values(stops, {extra_key: extra_values} if extra_key else {key: values})
        points: dict[str, set[str]] = {}
        for tags in (facilities, stops):
            _add_values(points, tags)
        areas: dict[str, set[str]] = {}
        for tags in (points, self.open_spaces, {PEDESTRIAN_AREA[0]: (PEDESTRIAN_AREA[1],)}):
            _add_values(areas, tags)
        return OsmSelection(
            points={key: frozenset(values) for key, values in points.items()},
            lines={"highway": None},
            areas={key: frozenset(values) for key, values in areas.items()},
            tag_keys=EXTRA_TAGS,
        )


def _add_values(target: dict[str, set[str]], tags: Mapping[str, Any]) -> None:
    for key, values in tags.items():
        target.setdefault(key, set()).update(values)


DEFAULT_MAPPING = TagMapping(ROAD_CLASSES, FACILITY_TAGS, OPEN_SPACE_TAGS)


def osm_selection() -> OsmSelection:
    """The selection of the default mapping (for benchmarks and tests)."""
    return DEFAULT_MAPPING.selection()


def _value_lists(table: Any, key: str, file: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(table, dict) or not all(
        isinstance(values, list) and all(isinstance(v, str) for v in values)
        for values in table.values()
    ):
        raise ProjectFileError(
            f"{file}: prepare.osm.{key}: expected a table of tag keys to lists of values, "
            f'e.g. amenity = ["school", "kindergarten"].'
        )
    return {tag: tuple(values) for tag, values in table.items()}


def merged_mapping(overrides: Mapping[str, Any], *, file: str = "observatory.toml") -> TagMapping:
    """The default mapping with the ``[prepare.osm]`` overrides of a project file.

    ``road_classes`` adds or replaces highway values (an empty class leaves the value out);
    ``schools``, ``health`` and ``open_spaces`` replace the value lists of the keys they name.

    Raises
    ------
    ProjectFileError
        On an unknown table or a value of the wrong type.
    """
    allowed = ("road_classes", "schools", "health", "open_spaces", "buffer_m")
    for key in overrides:
        if key not in allowed:
            raise ProjectFileError(
                f"{file}: prepare.osm.{key}: unknown key; the keys allowed here are: "
                f"{', '.join(allowed)}."
            )
    classes = dict(ROAD_CLASSES)
    raw_classes = overrides.get("road_classes", {})
    if not isinstance(raw_classes, dict) or not all(
        isinstance(value, str) for value in raw_classes.values()
    ):
        raise ProjectFileError(
            f'{file}: prepare.osm.road_classes: expected highway value = "class" lines, e.g. '
            'trail = "path" (an empty class "" leaves the value out).'
        )
    classes.update(raw_classes)
    facilities = {role: dict(tags) for role, tags in FACILITY_TAGS.items()}
    for role in facilities:
        facilities[role].update(_value_lists(overrides.get(role, {}), role, file))
    open_spaces = dict(OPEN_SPACE_TAGS)
    open_spaces.update(_value_lists(overrides.get("open_spaces", {}), "open_spaces", file))
    mapping = replace(
        DEFAULT_MAPPING,
        road_classes={value: cls for value, cls in classes.items() if cls},
        facilities=facilities,
        open_spaces=open_spaces,
    )
    return mapping
