"""OpenStreetMap extracts in: the tagged nodes, ways and areas a caller selects, streamed.

:func:`read_osm` reads an ``.osm.pbf`` extract (Geofabrik, BBBike, ``osmium extract``), or the
``.osm`` / ``.osm.bz2`` XML of the OSM editors, with pyosmium (the ``osmium`` package, the
Python binding of libosmium). The choice of reader and its figures are in
``docs/developer/decisions.md`` and ``docs/benchmarks.md``.

Memory stays bounded on a country-size extract:

- the coordinates of the nodes are kept by libosmium in its node location index, never as
  Python objects: in memory (``flex_mem``) for extracts up to :data:`FILE_INDEX_FROM_BYTES`,
  in a temporary file (``sparse_file_array``, 16 bytes per node, read through the page cache)
  above it;
- libosmium's key filter drops, in C++, every object without one of the selected keys (the
  untagged nodes that make up most of a file never reach Python);
- each selected object becomes WKB in C++; the WKB is converted and tested against the
  bounding box by batches of :data:`BATCH` (nodes at once), so only the selected features
  inside the box are held;
- multipolygons are assembled by libosmium (two passes: relations first, then the ways).

The result holds geometries in EPSG:4326 and one text column per recorded tag.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmium
import pandas as pd
import shapely

from observatory.errors import InputDataError, InputFileNotFoundError

#: Extracts larger than this keep their node coordinates in a temporary file, not in memory.
FILE_INDEX_FROM_BYTES = 64 * 1024**2
#: Geometries are converted from WKB and cut to the bounding box by batches of this size.
BATCH = 50_000
#: File names the reader accepts.
OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz")
#: A progress line every this many selected objects.
_PROGRESS_EVERY = 200_000

#: The kinds of objects handed to Python: relations come as areas, when they are areas.
_KINDS = osmium.osm.NODE | osmium.osm.WAY | osmium.osm.AREA


@dataclass(frozen=True)
class OsmSelection:
    """Which objects to keep and which of their tags to record.

    Parameters
    ----------
    points, lines, areas : mapping of str to frozenset of str or None
        Tag key → accepted values (None: any value). A node is kept when one of its tags
        matches ``points``; a way is kept as a line when one matches ``lines``; a closed way
        or a multipolygon relation is kept as an area when one matches ``areas``.
    tag_keys : tuple of str
        Tags copied into columns besides the selection keys.
    tag_prefixes : tuple of str
        Tags whose key starts with one of these are copied too (``name:`` gives every
        language of the name).
    """

    points: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    lines: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    areas: Mapping[str, frozenset[str] | None] = field(default_factory=dict)
    tag_keys: tuple[str, ...] = ()
    tag_prefixes: tuple[str, ...] = ("name:",)

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key that makes an object worth looking at."""
        return tuple(dict.fromkeys([*self.points, *self.lines, *self.areas]))

    @property
    def recorded(self) -> frozenset[str]:
        return frozenset(self.keys + self.tag_keys)


@dataclass(frozen=True)
class OsmFeatures:
    """The selected objects of an extract, in EPSG:4326.

    ``points``, ``lines`` and ``areas`` have the columns ``osm_type`` (``node``, ``way`` or
    ``relation``), ``osm_id`` and one text column per recorded tag (missing when absent).
    ``skipped`` counts what could not become a geometry, by reason; ``cut_lines`` counts the
    lines kept with some of their nodes missing from the extract (ways cut at its edge).
    """

    points: gpd.GeoDataFrame
    lines: gpd.GeoDataFrame
    areas: gpd.GeoDataFrame
    skipped: dict[str, int] = field(default_factory=dict)
    cut_lines: int = 0


class _Collector:
    """Records of one geometry kind: ids, tags, and geometries as WKB converted by batches."""

    def __init__(self, box) -> None:
        self.box = box
        self.types: list[str] = []
        self.ids: list[int] = []
        self.tags: list[dict[str, str]] = []
        self.geometries: list[np.ndarray] = []
        self._wkb: list = []

    def add(self, osm_type: str, osm_id: int, tags: dict[str, str], wkb) -> None:
        self.types.append(osm_type)
        self.ids.append(osm_id)
        self.tags.append(tags)
        self._wkb.append(wkb)
        if len(self._wkb) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Convert the pending WKB and drop the records outside the bounding box."""
        if not self._wkb:
            return
        converted = shapely.from_wkb(np.asarray(self._wkb, dtype=object))
        start = len(self.ids) - len(self._wkb)
        self._wkb = []
        if self.box is not None:
            keep = np.flatnonzero(shapely.intersects(converted, self.box))
            if keep.size < converted.size:
                converted = converted[keep]
                for records in (self.types, self.ids, self.tags):
                    records[start:] = [records[start + i] for i in keep]
        self.geometries.append(converted)

    def frame(self) -> gpd.GeoDataFrame:
        self.flush()
        index = pd.RangeIndex(len(self.ids))
        tags = pd.DataFrame.from_records(self.tags, index=index)
        base = pd.DataFrame(
            {"osm_type": self.types, "osm_id": np.asarray(self.ids, dtype=np.int64)}, index=index
        )
        geometries = np.concatenate(self.geometries) if self.geometries else np.zeros(0, object)
        return gpd.GeoDataFrame(
            pd.concat([base, tags.astype(object).where(tags.notna(), None)], axis=1),
            geometry=gpd.GeoSeries(geometries, index=index, crs="EPSG:4326"),
        )


def _location_store(path: Path, folder: str) -> str:
    if path.stat().st_size <= FILE_INDEX_FROM_BYTES:
        return "flex_mem"
    return f"sparse_file_array,{Path(folder) / 'node-locations.bin'}"


def _check_extract(path: Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise InputFileNotFoundError(
            f"OSM extract {path} does not exist; download one (e.g. from "
            "https://download.geofabrik.de) and give its path."
        )
    if not path.name.lower().endswith(OSM_SUFFIXES):
        raise InputDataError(
            f"{path} is not an OSM extract; give a file ending in {', '.join(OSM_SUFFIXES)}."
        )
    return path


def read_osm(
    path: Path,
    selection: OsmSelection,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    progress: Callable[[str], None] | None = None,
    location_store: str | None = None,
) -> OsmFeatures:
    """Read the selected nodes, ways and areas of an OSM extract.

    Parameters
    ----------
    path : pathlib.Path
        The extract (``.osm.pbf``, ``.osm``, ``.osm.bz2``).
    selection : OsmSelection
        The keys that select points, lines and areas, and the tags to record.
    bbox : tuple of float, optional
        ``(west, south, east, north)`` in degrees: features that do not intersect it are
        dropped while reading. Lines are kept whole.
    progress : callable, optional
        Receives a progress message now and then.
    location_store : str, optional
        A libosmium node location index (``flex_mem``, ``sparse_file_array``...); by
        default chosen from the file size. File-based indexes get a temporary file.

    Returns
    -------
    OsmFeatures

    Raises
    ------
    InputFileNotFoundError
        If the extract does not exist.
    InputDataError
        If it is not an OSM file or libosmium cannot read it.
    """
    path = _check_extract(path)
    report = progress or (lambda message: None)
    router = _Router(selection, bbox)
    with tempfile.TemporaryDirectory(prefix="observatory-osm-") as folder:
        store = location_store or _location_store(path, folder)
        if "file_array" in store and "," not in store:
            store = f"{store},{Path(folder) / 'node-locations.bin'}"
        report(f"reading {path.name} ({path.stat().st_size / 1024**2:,.1f} MB)")
        processor = osmium.FileProcessor(str(path)).with_locations(store)
        if selection.areas:
            processor.with_areas(osmium.filter.KeyFilter(*selection.areas))
        processor.with_filter(osmium.filter.EntityFilter(_KINDS))
        for wanted, kind in (
            (selection.points, osmium.osm.NODE),
            (selection.lines, osmium.osm.WAY),
            (selection.areas, osmium.osm.AREA),
        ):
            processor.with_filter(_tag_filter(wanted, kind))
        try:
            for seen, entity in enumerate(processor, start=1):
                router.take(entity)
                if seen % _PROGRESS_EVERY == 0:
                    report(f"{seen:,} tagged objects read")
        except RuntimeError as error:
            raise InputDataError(
                f"{path} cannot be read as an OSM extract ({error}); download it again."
            ) from None
    frames = {kind: collector.frame() for kind, collector in router.collectors.items()}
    return OsmFeatures(
        **frames,
        skipped={reason: n for reason, n in router.skipped.items() if n},
        cut_lines=router.cut_lines,
    )


_WKB = osmium.geom.WKBFactory()


def _tag_filter(wanted: Mapping[str, frozenset[str] | None], kind):
    """A libosmium filter letting through the objects of ``kind`` with one of the wanted
    tags (any value of a key whose values are None); other kinds pass."""
    if not wanted:
        tag_filter = osmium.filter.EntityFilter(osmium.osm.NOTHING)
    elif any(values is None for values in wanted.values()):
        tag_filter = osmium.filter.KeyFilter(*wanted)
    else:
        pairs = [(key, value) for key, values in wanted.items() for value in sorted(values)]
        tag_filter = osmium.filter.TagFilter(*pairs)
    tag_filter.enable_for(kind)
    return tag_filter


def _recorded_tags(tags, selection: OsmSelection) -> dict[str, str]:
    recorded = selection.recorded
    prefixes = selection.tag_prefixes
    return {tag.k: tag.v for tag in tags if tag.k in recorded or tag.k.startswith(prefixes)}


class _Router:
    """Sends each object that passed libosmium's key filter to its collector."""

    def __init__(self, selection: OsmSelection, bbox) -> None:
        self.selection = selection
        self.bbox = bbox
        box = None if bbox is None else shapely.box(*bbox)
        self.collectors = {kind: _Collector(box) for kind in ("points", "lines", "areas")}
        self.skipped = {"lines with fewer than two located nodes": 0, "areas that do not close": 0}
        self.cut_lines = 0

    def take(self, entity) -> None:
        selection = self.selection
        if entity.is_node():
            if not entity.location.valid():
                return
            lon, lat = entity.location.lon, entity.location.lat
            if self.bbox is not None and not (
                self.bbox[0] <= lon <= self.bbox[2] and self.bbox[1] <= lat <= self.bbox[3]
            ):
                return
            kind, osm_type, osm_id = "points", "node", entity.id
            geometry = shapely.to_wkb(shapely.Point(lon, lat), hex=True)
        elif entity.is_way():
            geometry = self._line(entity)
            if geometry is None:
                self.skipped["lines with fewer than two located nodes"] += 1
                return
            kind, osm_type, osm_id = "lines", "way", entity.id
        elif entity.is_area():
            try:
                geometry = _WKB.create_multipolygon(entity)
            except RuntimeError:
                self.skipped["areas that do not close"] += 1
                return
            kind, osm_id = "areas", entity.orig_id()
            osm_type = "way" if entity.from_way() else "relation"
        else:
            return
        tags = _recorded_tags(entity.tags, selection)
        self.collectors[kind].add(osm_type, osm_id, tags, geometry)

    def _line(self, way):
        """A way as WKB; a way cut at the extract's edge keeps its located nodes."""
        try:
            return _WKB.create_linestring(way)
        except osmium.InvalidLocationError:
            pass
        except RuntimeError:  # fewer than two distinct points
            return None
        located = [(node.lon, node.lat) for node in way.nodes if node.location.valid()]
        distinct = [xy for i, xy in enumerate(located) if i == 0 or xy != located[i - 1]]
        if len(distinct) < 2:
            return None
        self.cut_lines += 1
        return shapely.to_wkb(shapely.LineString(distinct), hex=True)
