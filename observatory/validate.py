"""Check every layer of a project and report every problem at once.

:func:`validate_project` opens each input of a loaded :class:`~observatory.project.Project`
through :mod:`observatory.io` and returns a list of :class:`Problem`: what is wrong (naming
the file and the first few bad values) and what to do. It never stops at the first problem;
a layer that cannot be opened is one problem, and only the checks that need that layer are
skipped. ``observatory validate`` prints the list and exits 1 when it holds an error.

Severities: an **error** makes indicators wrong or impossible (a missing file, a unit
without CRS, duplicate codes, a commune outside its province, a negative count); a
**warning** is worth a look but the computation can go on (years of population and built-up
that do not pair up, grids that differ between years, a raster that covers only part of the
territory).

Nesting is measured as the share of a child's area inside its declared parent, in a Lambert
azimuthal equal-area projection (:func:`~observatory.kernels.zonal.equal_area_km2`), never
in degrees; a child must lie at least :data:`NESTING_MIN_SHARE` inside its parent. The
intersections are computed pairwise for the declared child → parent pairs only (one
vectorised GEOS call), so the cost grows with the number of children, not its square.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from rasterio.errors import RasterioError
from shapely.geometry import box

from observatory.errors import ObservatoryError
from observatory.io import raster as raster_io
from observatory.io import tables, vector
from observatory.io.tables import codes_as_text, counts_as_numbers
from observatory.kernels.grid import Grid
from observatory.kernels.zonal import equal_area_km2
from observatory.project import Level, Project

Severity = Literal["error", "warning"]

#: A child unit must have at least this share of its area inside its parent unit.
NESTING_MIN_SHARE = 0.99
#: Raster roles measured by zonal sums, which need an equal-area (projected) grid.
ZONAL_RASTER_ROLES = ("population", "built_up", "land")
#: Geometry types each layer role accepts.
GEOMETRY_TYPES = {
    "units": ("Polygon", "MultiPolygon"),
    "roads": ("LineString", "MultiLineString"),
    "schools": ("Point", "MultiPoint"),
    "health": ("Point", "MultiPoint"),
    "transit_stops": ("Point", "MultiPoint"),
    "open_spaces": ("Polygon", "MultiPolygon"),
}
#: Layer roles whose ``capacity`` field holds counts (numbers ≥ 0).
NUMERIC_CAPACITY_ROLES = ("schools", "health")
#: The values allowed in the ``capacity`` field of transit stops.
TRANSIT_CAPACITIES = ("high", "low")
_EXAMPLES = 5
#: What reading a broken file may raise; each becomes one problem.
_UNREADABLE = (ObservatoryError, OSError, RasterioError, DataSourceError, DataLayerError)
_FIX_GEOMETRY = (
    "repair them in QGIS (Vector > Geometry Tools > Fix Geometries) or with "
    "'ogr2ogr -makevalid', or delete the features without geometry."
)
_FIX_NO_CRS = (
    "assign the CRS the layer was drawn in: in QGIS, Layer Properties > Source > Assigned "
    "CRS, then save; or 'ogr2ogr -a_srs EPSG:4326 OUT IN' (use the right code)."
)


@dataclass(frozen=True)
class Problem:
    """One problem found in a project.

    Attributes
    ----------
    severity : {"error", "warning"}
        An error makes the indicators wrong or impossible; a warning deserves a look.
    layer : str
        The input concerned, as in the project file: ``units``, ``units.commune``,
        ``census``, ``rasters.population.2014``, ``rasters.land``, ``layers.schools``.
    message : str
        What is wrong, naming the file and the first few bad values.
    fix : str
        What to do about it.
    """

    severity: Severity
    layer: str
    message: str
    fix: str

    def to_dict(self) -> dict[str, str]:
        """The problem as a plain dict (for JSON)."""
        return asdict(self)


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any of ``problems`` is an error."""
    return any(problem.severity == "error" for problem in problems)


def _examples(values: Sequence[object], *, limit: int = _EXAMPLES, quote: bool = True) -> str:
    """The first ``limit`` values (text quoted unless ``quote`` is False) and how many more."""
    values = list(values)
    shown = ", ".join(
        repr(value) if quote and isinstance(value, str) else str(value) for value in values[:limit]
    )
    if len(values) > limit:
        shown += f" and {len(values) - limit} more"
    return shown


def _rows(mask: np.ndarray | pd.Series) -> list[int]:
    """1-based row numbers (as QGIS counts features in a GeoPackage) where ``mask`` is True."""
    return [int(position) + 1 for position in np.flatnonzero(np.asarray(mask))]


def _fields(frame: pd.DataFrame) -> str:
    return ", ".join(str(column) for column in frame.columns if column != "geometry") or "none"


@dataclass
class _LoadedUnits:
    """One level of units, read and with its codes as text."""

    level: Level
    frame: gpd.GeoDataFrame
    codes: pd.Series | None
    parents: pd.Series | None
    placed: bool
    geometries: np.ndarray  # shapely geometries, invalid ones repaired

    @property
    def usable_codes(self) -> set[str]:
        return set() if self.codes is None else set(self.codes.dropna())


class _Validator:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.problems: list[Problem] = []
        self.missing_files: set[Path] = set()
        self.units: dict[str, _LoadedUnits] = {}
        self._unit_extent_cache: dict[str, gpd.GeoSeries] = {}
        self._covered_share_cache: dict[tuple, float | None] = {}
        self._layer_names: dict[Path, list[str]] = {}

    # -- reporting ---------------------------------------------------------------------
    def error(self, layer: str, message: str, fix: str) -> None:
        self.problems.append(Problem("error", layer, message, fix))

    def warning(self, layer: str, message: str, fix: str) -> None:
        self.problems.append(Problem("warning", layer, message, fix))

    # -- files -------------------------------------------------------------------------
    def check_files_exist(self) -> None:
        """One error per missing file, naming every key of the project file that uses it."""
        users: dict[Path, list[tuple[str, str]]] = {}
        project = self.project
        users.setdefault(project.units.path, []).append(("units", "units.path"))
        if project.census is not None:
            users.setdefault(project.census.path, []).append(("census", "census.path"))
        for role, by_year in project.rasters.items():
            for year, path in by_year.items():
                name = f"rasters.{role}" if year is None else f"rasters.{role}.{year}"
                users.setdefault(path, []).append((name, name))
        for role, spec in project.layers.items():
            users.setdefault(spec.path, []).append((f"layers.{role}", f"layers.{role}.path"))
        for path, using in users.items():
            if path.is_file():
                continue
            self.missing_files.add(path)
            keys = ", ".join(key for _, key in using)
            what = "is a folder, not a file" if path.is_dir() else "does not exist"
            self.error(
                using[0][0],
                f"{path} {what} (named by {keys} in {self.project.file.name}).",
                "check the spelling and that the path is relative to the folder of "
                f"{self.project.file.name} ({self.project.root}), or copy the file there.",
            )

    def open_vector(
        self, path: Path, layer: str | None, name: str, layer_key: str
    ) -> gpd.GeoDataFrame | None:
        """Read a vector layer, or report why it cannot be read and return None."""
        if path in self.missing_files:
            return None
        try:
            if path not in self._layer_names:
                self._layer_names[path] = vector.list_layers(path)
            available = self._layer_names[path]
        except _UNREADABLE as error:
            self.error(
                name,
                f"{error}",
                "open it in QGIS to check it; save it again as a GeoPackage if needed.",
            )
            return None
        if not available:
            self.error(
                name,
                f"{path} holds no layer.",
                "check that it is the right file, and save the layer into it again.",
            )
            return None
        if layer is not None and layer not in available:
            self.error(
                name,
                f"layer '{layer}' not found in {path}; the file has: {', '.join(available)}.",
                f"set {layer_key} in {self.project.file.name} to one of these layer names.",
            )
            return None
        try:
            frame = vector.read_layer(path, layer=layer or available[0])
        except _UNREADABLE as error:
            self.error(name, f"{error}", "open it in QGIS to check it and save it again.")
            return None
        if not isinstance(frame, gpd.GeoDataFrame):  # a table without geometry column
            self.error(
                name,
                f"{path.name}, layer {layer or available[0]} is a table without geometry.",
                f"point {layer_key} to a layer with geometries (points, lines or polygons).",
            )
            return None
        frame.attrs["source"] = f"{path.name}, layer {layer or available[0]}"
        return frame

    # -- checks shared by every vector layer -------------------------------------------
    def check_geometries(
        self,
        name: str,
        frame: gpd.GeoDataFrame,
        allowed: tuple[str, ...],
        what: str,
        codes: pd.Series | None = None,
    ) -> tuple[bool, np.ndarray]:
        """CRS, geometry types, and missing, empty or invalid geometries of a layer.

        Returns whether the layer can be placed on the map (it has a CRS and, in a
        geographic CRS, coordinates that are longitudes and latitudes) and the mask of its
        invalid geometries.
        """
        source = frame.attrs.get("source", name)
        geometries = frame.geometry.values
        missing = shapely.is_missing(geometries) | shapely.is_empty(geometries)
        present = ~missing
        placed = frame.crs is not None
        if frame.crs is None:
            self.error(
                name, f"{source} has no CRS, so it cannot be placed or measured.", _FIX_NO_CRS
            )
        elif frame.crs.is_geographic and present.any():
            xmin, ymin, xmax, ymax = shapely.total_bounds(geometries[present])
            if xmin < -180.5 or xmax > 180.5 or ymin < -90.5 or ymax > 90.5:
                placed = False
                self.error(
                    name,
                    f"{source} is declared in the geographic CRS {frame.crs.to_string()}, but "
                    f"its coordinates ({xmin:.8g}, {ymin:.8g}, {xmax:.8g}, {ymax:.8g}) are not "
                    "longitudes and latitudes: the CRS is wrongly assigned.",
                    "assign the projected CRS the coordinates are in (in QGIS: Layer "
                    "Properties > Source > Assigned CRS), not a reprojection.",
                )
        names = pd.Series(frame.geometry[present].geom_type.to_numpy())
        wrong = ~names.isin(allowed)
        if wrong.any():
            counts = names[wrong].value_counts()
            found = ", ".join(f"{count} {kind}" for kind, count in counts.items())
            self.error(
                name,
                f"{source} has {found} feature(s); {what} must be {' or '.join(allowed)}.",
                "point the project file to the right layer, or convert the geometries in "
                "QGIS (Vector > Geometry Tools).",
            )

        def label(mask: np.ndarray) -> str:
            if codes is not None:
                return "ids " + _examples(list(codes[mask].fillna("(no id)")))
            return "rows " + _examples(_rows(mask))

        if missing.any():
            self.error(
                name,
                f"{source} has {int(missing.sum())} feature(s) without geometry or with an "
                f"empty geometry ({label(missing)}).",
                _FIX_GEOMETRY,
            )
        invalid = present & ~shapely.is_valid(geometries)
        if invalid.any():
            first = shapely.is_valid_reason(geometries[invalid][0])
            self.error(
                name,
                f"{source} has {int(invalid.sum())} invalid geometr"
                f"{'y' if invalid.sum() == 1 else 'ies'} ({label(invalid)}; first: {first}).",
                _FIX_GEOMETRY,
            )
        return placed, invalid

    def require_fields(self, name: str, frame: gpd.GeoDataFrame, fields: dict[str, str]) -> bool:
        """Report the declared fields (setting → field) the layer lacks; True if all exist."""
        missing = {
            setting: field for setting, field in fields.items() if field not in frame.columns
        }
        for setting, field in missing.items():
            self.error(
                name,
                f"field '{field}' (given as {setting}) not found in "
                f"{frame.attrs.get('source', 'the layer')}; its fields are: {_fields(frame)}.",
                f"set {setting} to one of these field names in {self.project.file.name}.",
            )
        return not missing

    # -- units ---------------------------------------------------------------------------
    def check_units(self) -> None:
        spec = self.project.units
        for position, level in enumerate(spec.levels, start=1):
            name = f"units.{level.name}"
            key = f"units.levels[{position}].layer"
            frame = self.open_vector(spec.path, level.layer, name, key)
            if frame is None:
                continue
            self.units[level.name] = self.check_unit_level(name, level, frame)
        for child_level in spec.levels[1:]:
            parent_level = spec.parent_of(child_level.name)
            child = self.units.get(child_level.name)
            parent = self.units.get(parent_level.name)
            if child is None or parent is None:
                continue
            self.check_parents(child, parent)
            self.check_nesting(child, parent)

    def check_unit_level(self, name: str, level: Level, frame: gpd.GeoDataFrame) -> _LoadedUnits:
        source = frame.attrs["source"]
        if frame.empty:
            self.error(
                name,
                f"{source} has no features.",
                "point the level to the layer that holds its units.",
            )
        declared = {"id": level.id}
        if level.label is not None:
            declared["label"] = level.label
        if level.parent is not None:
            declared["parent"] = level.parent
        self.require_fields(name, frame, declared)
        codes = codes_as_text(frame[level.id]) if level.id in frame.columns else None
        parents = (
            codes_as_text(frame[level.parent])
            if level.parent is not None and level.parent in frame.columns
            else None
        )
        placed, invalid = self.check_geometries(
            name, frame, GEOMETRY_TYPES["units"], "units", codes
        )
        if codes is not None:
            self.check_codes(name, source, codes, level.id, what=f"{level.name} units")
        repaired = np.array(frame.geometry.values, dtype=object)
        repaired[invalid] = shapely.make_valid(repaired[invalid])
        return _LoadedUnits(level, frame, codes, parents, placed, repaired)

    def check_codes(self, name: str, source: str, codes: pd.Series, field: str, what: str) -> None:
        """Null and duplicate unit codes."""
        empty = codes.isna().to_numpy()
        if empty.any():
            self.error(
                name,
                f"{source}: {int(empty.sum())} {what} have no id in '{field}' "
                f"(rows {_examples(_rows(empty))}).",
                f"give every unit its code in '{field}'.",
            )
        duplicated = codes[codes.duplicated(keep=False) & codes.notna()]
        if not duplicated.empty:
            counts = duplicated.value_counts()
            listed = _examples(
                [f"{code!r} ({count}×)" for code, count in counts.items()], quote=False
            )
            self.error(
                name,
                f"{source}: {len(counts)} id(s) in '{field}' are used by several {what}: {listed}.",
                "each unit needs its own code: merge the duplicated features (QGIS: Dissolve "
                "by the id field) or correct the codes.",
            )

    def check_parents(self, child: _LoadedUnits, parent: _LoadedUnits) -> None:
        """Every child names an existing parent; every parent has children."""
        if child.parents is None or parent.codes is None:
            return
        name = f"units.{child.level.name}"
        known = parent.usable_codes
        orphan = ~child.parents.isin(known).to_numpy()
        if orphan.any():
            ids = child.codes if child.codes is not None else pd.Series(_rows(orphan))
            pairs = [
                f"{code!r} → {parent_code if parent_code is not None else '(empty)'!r}"
                for code, parent_code in zip(
                    ids[orphan].fillna("(no id)"), child.parents[orphan], strict=True
                )
            ]
            self.error(
                name,
                f"{int(orphan.sum())} {child.level.name} unit(s) name in "
                f"'{child.level.parent}' a {parent.level.name} that does not exist: "
                f"{_examples(pairs, quote=False)} (the {parent.level.name} ids look like "
                f"{_examples(sorted(known), limit=3)}).",
                f"correct '{child.level.parent}' so it holds the '{parent.level.id}' of the "
                f"{parent.level.name} each unit belongs to.",
            )
        childless = sorted(known - set(child.parents.dropna()))
        if childless:
            self.warning(
                f"units.{parent.level.name}",
                f"{len(childless)} {parent.level.name} unit(s) have no {child.level.name}: "
                f"{_examples(childless)}.",
                f"check '{child.level.parent}' in the {child.level.name} layer; a unit without "
                "children gets no indicators.",
            )

    def check_nesting(self, child: _LoadedUnits, parent: _LoadedUnits) -> None:
        """Each child lies at least NESTING_MIN_SHARE inside its declared parent."""
        if (
            child.parents is None
            or child.codes is None
            or parent.codes is None
            or not child.placed
            or not parent.placed
        ):
            return
        parent_geometries = (
            gpd.GeoSeries(parent.geometries, crs=parent.frame.crs).to_crs(child.frame.crs).values
        )
        unique = ~parent.codes.duplicated(keep=False) & parent.codes.notna()
        parent_by_code = pd.Series(
            parent_geometries[unique.to_numpy()], index=parent.codes[unique].to_numpy()
        )
        child_geometries = child.geometries
        usable = (
            child.parents.isin(parent_by_code.index).to_numpy()
            & ~shapely.is_missing(child_geometries)
            & ~shapely.is_empty(child_geometries)
        )
        if not usable.any():
            return
        children = child_geometries[usable]
        parents = parent_by_code.loc[child.parents[usable]].to_numpy()
        # Most children lie entirely inside their parent: a prepared "covers" test settles
        # them cheaply, and only the others are intersected and measured.
        shapely.prepare(parents)
        share = np.ones(len(children))
        partial = ~shapely.covers(parents, children)
        if partial.any():
            crs = child.frame.crs
            inside = shapely.intersection(children[partial], parents[partial])
            child_area = equal_area_km2(gpd.GeoSeries(children[partial], crs=crs))
            inside_area = equal_area_km2(gpd.GeoSeries(inside, crs=crs))
            share[partial] = np.divide(
                inside_area, child_area, out=np.ones_like(child_area), where=child_area > 0
            )
        outside = share < NESTING_MIN_SHARE
        if not outside.any():
            return
        codes = child.codes[usable][outside]
        parent_codes = child.parents[usable][outside]
        order = np.argsort(share[outside])
        listed = [
            f"{codes.iloc[i]!r} ({100 * share[outside][i]:.1f} % inside {parent_codes.iloc[i]!r})"
            for i in order
        ]
        self.error(
            f"units.{child.level.name}",
            f"{int(outside.sum())} {child.level.name} unit(s) lie less than "
            f"{100 * NESTING_MIN_SHARE:g} % inside their {parent.level.name}: "
            f"{_examples(listed, quote=False)}.",
            f"check their '{child.level.parent}' codes, and that both levels come from the same "
            "boundary set (same source, same date, same CRS).",
        )

    # -- census --------------------------------------------------------------------------
    def check_census(self) -> None:
        spec = self.project.census
        if spec is None or spec.path in self.missing_files:
            return
        try:
            table = tables.read_table(spec.path, sheet=spec.layer)
        except _UNREADABLE as error:
            self.error(
                "census",
                f"{error}",
                "open it in a spreadsheet and save it as CSV UTF-8 or XLSX.",
            )
            return
        source = spec.path.name
        columns = {"id": spec.id} | {
            f"population.{year}": column for year, column in spec.population.items()
        }
        missing = {key: column for key, column in columns.items() if column not in table.columns}
        for key, column in missing.items():
            self.error(
                "census",
                f"column '{column}' (census.{key}) not found in {source}; its columns are: "
                f"{_fields(table)}.",
                f"set census.{key} in {self.project.file.name} to one of these column names.",
            )
        if spec.id in missing.values():
            return
        codes = codes_as_text(table[spec.id])
        self.check_codes("census", source, codes, spec.id, what="rows")
        units = self.units.get(spec.level)
        known_units = units is not None and units.codes is not None
        # Rows matching no unit are ignored by compute (reported once below), so their
        # counts are not checked: a national table with merged municipalities stays usable.
        used = codes.isin(units.usable_codes) if known_units else pd.Series(True, codes.index)
        for year, column in spec.population.items():
            if column not in missing.values():
                self.check_counts(source, table[column][used], codes[used], column, year)
        if known_units:
            self.check_census_codes(source, set(codes.dropna()), units)

    def check_counts(
        self, source: str, values: pd.Series, codes: pd.Series, column: str, year: int
    ) -> None:
        """Census counts are numbers ≥ 0 (spaces as thousands separators, ',' as decimal)."""
        text = values.astype(object).where(values.notna(), None)
        numbers = counts_as_numbers(values)
        empty = text.isna().to_numpy()
        not_number = ~empty & ~np.isfinite(numbers)
        negative = np.isfinite(numbers) & (numbers < 0)
        ids = codes.fillna("(no id)")

        def cells(mask: np.ndarray) -> str:
            pairs = zip(ids[mask], text[mask], strict=True)
            return _examples([f"{code!r}: {value!r}" for code, value in pairs], quote=False)

        if empty.any():
            self.error(
                "census",
                f"{source}: column '{column}' ({year}) is empty for {int(empty.sum())} row(s): "
                f"ids {_examples(list(ids[empty]))}.",
                "fill in the population (0 if nobody lives there) or remove the rows.",
            )
        if not_number.any():
            self.error(
                "census",
                f"{source}: column '{column}' ({year}) has {int(not_number.sum())} value(s) that "
                f"are not numbers: {cells(not_number)}.",
                "write plain numbers (digits, optionally spaces between thousands); remove "
                "notes, dashes and footnote marks.",
            )
        if negative.any():
            self.error(
                "census",
                f"{source}: column '{column}' ({year}) has {int(negative.sum())} negative "
                f"count(s): {cells(negative)}.",
                "a population count is 0 or more: correct these values.",
            )

    def check_census_codes(self, source: str, census_codes: set[str], units: _LoadedUnits) -> None:
        """Census codes and unit codes of the census level match both ways."""
        level = units.level
        unit_codes = units.usable_codes
        unknown = sorted(census_codes - unit_codes)
        uncounted = sorted(unit_codes - census_codes)
        if not unknown and not uncounted:
            return
        hint = ""
        if _simplified(unknown) & _simplified(uncounted):
            hint = (
                " Some codes differ only in format (leading zeros, dots or spaces): keep codes "
                "as text (in Excel, format the column as Text before typing or importing)."
            )
        if unknown:
            # Extra rows are ignored by compute (a national table may serve a region), so
            # they are a warning; units without a row are an error below.
            self.warning(
                "census",
                f"{len(unknown)} census id(s) in {source} match no {level.name} unit and are "
                f"ignored: {_examples(unknown)} (the {level.name} ids look like "
                f"{_examples(sorted(unit_codes), limit=3)}).",
                f"correct these codes so they match '{level.id}' of the {level.name} layer, "
                "or remove the rows if they are outside the territory." + hint,
            )
        if uncounted:
            self.error(
                f"units.{level.name}",
                f"{len(uncounted)} {level.name} unit(s) have no row in the census {source}: "
                f"{_examples(uncounted)}.",
                "add their census rows, or correct the codes so they match." + hint,
            )

    # -- rasters -------------------------------------------------------------------------
    def check_rasters(self) -> None:
        grids: dict[str, dict[int | None, Grid]] = {}
        for role, by_year in self.project.rasters.items():
            for year, path in by_year.items():
                name = f"rasters.{role}" if year is None else f"rasters.{role}.{year}"
                grid = self.check_raster(name, role, path)
                if grid is not None and grid.crs is not None:
                    grids.setdefault(role, {})[year] = grid
        self.check_years()
        for role in ("population", "built_up"):
            self.check_same_grid_across_years(role, grids.get(role, {}))
        self.check_land_grid(grids)

    def check_raster(self, name: str, role: str, path: Path) -> Grid | None:
        if path in self.missing_files:
            return None
        try:
            grid, nodata, count = raster_io.read_grid(path)
        except _UNREADABLE as error:
            self.error(name, f"{error}", "give a GeoTIFF; check it opens in QGIS.")
            return None
        if grid.crs is None:
            self.error(
                name,
                f"{path.name} has no CRS.",
                "assign the CRS it was made in, e.g. 'gdal_edit.py -a_srs ESRI:54009 FILE' "
                "for GHSL grids.",
            )
        elif role in ZONAL_RASTER_ROLES and not grid.crs.is_projected:
            self.error(
                name,
                f"{path.name} is in the geographic CRS {grid.crs.to_string()}; its cells are "
                "not equal in area, so sums per unit would be wrong.",
                "warp it to an equal-area grid, e.g. 'gdalwarp -t_srs ESRI:54009 -tr 100 100 "
                "IN.tif OUT.tif' (use -r sum for counts).",
            )
        if grid.transform.b != 0 or grid.transform.d != 0 or grid.transform.e >= 0:
            self.error(
                name,
                f"{path.name} is rotated or not north-up ({tuple(grid.transform)[:6]}).",
                "warp it to a north-up grid with gdalwarp.",
            )
        if nodata is None:
            self.error(
                name,
                f"{path.name} has no nodata value, so cells outside the data would be read "
                "as real values.",
                "set one, e.g. 'gdal_edit.py -a_nodata -200 FILE' (GHSL uses -200 for "
                "population, 65535 for built-up).",
            )
        if count > 1:
            self.warning(
                name,
                f"{path.name} has {count} bands; only band 1 is used.",
                "keep one band per file (gdal_translate -b N) if band 1 is not the right one.",
            )
        if grid.crs is not None:
            self.check_overlap(name, path.name, grid)
        return grid

    def units_extent(self) -> gpd.GeoSeries | None:
        """The geometries of the coarsest readable level of units (with CRS), or None."""
        for level in self.project.units.levels:
            units = self.units.get(level.name)
            if units is None or not units.placed:
                continue
            geometries = units.geometries
            keep = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
            if keep.any():
                return gpd.GeoSeries(geometries[keep], crs=units.frame.crs)
        return None

    def units_in(self, crs) -> gpd.GeoSeries | None:
        """:meth:`units_extent` reprojected to ``crs`` (cached per CRS)."""
        key = crs.to_wkt()
        if key not in self._unit_extent_cache:
            extent = self.units_extent()
            if extent is None:
                return None
            self._unit_extent_cache[key] = extent.to_crs(crs)
        return self._unit_extent_cache[key]

    def covered_share(self, grid: Grid) -> float | None:
        """Share of the units' area inside the bounds of ``grid`` (cached per CRS and bounds)."""
        key = (grid.crs.to_wkt(), grid.bounds)
        if key not in self._covered_share_cache:
            units = self.units_in(grid.crs)
            if units is None:
                return None
            inside = shapely.intersection(units.values, box(*grid.bounds))
            total = equal_area_km2(units).sum()
            covered = equal_area_km2(gpd.GeoSeries(inside, crs=units.crs)).sum()
            self._covered_share_cache[key] = covered / total if total > 0 else None
        return self._covered_share_cache[key]

    def check_overlap(self, name: str, file_name: str, grid: Grid) -> None:
        """Share of the units' area inside the raster's bounds: 0 → error, < 99.9 % → warning."""
        share = self.covered_share(grid)
        if share is None:
            return
        if share == 0:
            units_bounds = ", ".join(f"{v:.8g}" for v in self.units_in(grid.crs).total_bounds)
            raster_bounds = ", ".join(f"{v:.8g}" for v in grid.bounds)
            self.error(
                name,
                f"{file_name} does not overlap the units: the raster spans ({raster_bounds}) and "
                f"the units ({units_bounds}) in {grid.crs.to_string()}.",
                "give a raster that covers the territory; if it does, its CRS is wrongly "
                "assigned (check it in QGIS).",
            )
        elif share < 0.999:
            self.warning(
                name,
                f"{file_name} covers only {100 * share:.1f} % of the units' area; units outside "
                "it get partial values.",
                "give a raster that covers the whole territory.",
            )

    def check_years(self) -> None:
        """Population and built-up rasters should come for the same years."""
        rasters = self.project.rasters
        if "population" not in rasters or "built_up" not in rasters:
            return
        population = {year for year in rasters["population"] if year is not None}
        built_up = {year for year in rasters["built_up"] if year is not None}
        only_population = sorted(population - built_up)
        only_built_up = sorted(built_up - population)
        if only_population or only_built_up:
            parts = []
            if only_population:
                parts.append(f"population for {_examples(only_population)} but no built-up")
            if only_built_up:
                parts.append(f"built-up for {_examples(only_built_up)} but no population")
            self.warning(
                "rasters",
                f"the years of the rasters do not pair up: {'; '.join(parts)}. Built-up per "
                "capita and land use efficiency (SDG 11.3.1) are computed only for years that "
                "have both.",
                "add the missing years (GHSL has population and built-up for the same epochs) "
                "or accept fewer indicators.",
            )

    def check_same_grid_across_years(self, role: str, grids: dict[int | None, Grid]) -> None:
        years = sorted(year for year in grids if year is not None)
        if len(years) < 2:
            return
        first = grids[years[0]]
        for year in years[1:]:
            if not grids[year].same_as(first):
                self.warning(
                    f"rasters.{role}.{year}",
                    f"the {role} grid of {year} differs from that of {years[0]} "
                    f"({_describe(grids[year])} vs {_describe(first)}); changes between years "
                    "then mix real change with resampling.",
                    "warp all years onto one grid (same CRS, cell size and origin), e.g. "
                    "gdalwarp -tap -tr with the first year's settings.",
                )

    def check_land_grid(self, grids: dict[str, dict[int | None, Grid]]) -> None:
        """The land raster must be on the built-up grid (or the population grid without one)."""
        land = grids.get("land", {}).get(None)
        reference_role = "built_up" if grids.get("built_up") else "population"
        references = grids.get(reference_role, {})
        if land is None or not references:
            return
        year, reference = min(references.items(), key=lambda item: item[0] or 0)
        if not land.same_as(reference):
            self.error(
                "rasters.land",
                f"the land raster is not on the grid of {reference_role} {year} "
                f"({_describe(land)} vs {_describe(reference)}).",
                "warp it onto the same grid (same CRS, cell size and origin), e.g. with "
                "gdalwarp -tap -tr and the target CRS, or use the matching GHSL LAND tile.",
            )

    # -- other layers ------------------------------------------------------------------
    def check_layers(self) -> None:
        for role, spec in self.project.layers.items():
            name = f"layers.{role}"
            frame = self.open_vector(spec.path, spec.layer, name, f"{name}.layer")
            if frame is None:
                continue
            if frame.empty:
                self.warning(
                    name,
                    f"{frame.attrs['source']} has no features; indicators of access to "
                    f"{role.replace('_', ' ')} will be 0 or missing.",
                    "point it to the layer that holds the features, or remove the entry.",
                )
                continue
            placed, _ = self.check_geometries(
                name, frame, GEOMETRY_TYPES[role], role.replace("_", " ")
            )
            capacity = spec.fields.get("capacity")
            if self.require_fields(name, frame, spec.fields) and capacity is not None:
                if role in NUMERIC_CAPACITY_ROLES:
                    self.check_capacity_numbers(name, frame, capacity)
                elif role == "transit_stops":
                    self.check_transit_capacity(name, frame, capacity)
            if placed:
                self.check_layer_overlap(name, frame)

    def check_capacity_numbers(self, name: str, frame: gpd.GeoDataFrame, field: str) -> None:
        values = frame[field]
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
        bad = ~np.isfinite(numbers) | (numbers < 0)
        if bad.any():
            listed = [
                f"row {row}: {value!r}"
                for row, value in zip(_rows(bad), values[bad].tolist(), strict=True)
            ]
            self.error(
                name,
                f"{frame.attrs['source']}: field '{field}' must hold numbers ≥ 0; "
                f"{int(bad.sum())} feature(s) do not: {_examples(listed, quote=False)}.",
                f"fill in '{field}' with the capacity (0 if unknown) as a number.",
            )

    def check_transit_capacity(self, name: str, frame: gpd.GeoDataFrame, field: str) -> None:
        values = frame[field]
        text = values.astype(object).where(values.notna(), None)
        bad = ~text.isin(TRANSIT_CAPACITIES).to_numpy()
        if bad.any():
            counts = text[bad].fillna("(empty)").value_counts()
            listed = _examples(
                [f"{value!r} ({count}×)" for value, count in counts.items()], quote=False
            )
            self.error(
                name,
                f"{frame.attrs['source']}: field '{field}' must be 'high' or 'low'; "
                f"{int(bad.sum())} stop(s) have: {listed}.",
                "write 'high' for tram, train, metro and BRT stops, 'low' for bus stops "
                "(QGIS field calculator: CASE WHEN ... THEN 'high' ELSE 'low' END).",
            )

    def check_layer_overlap(self, name: str, frame: gpd.GeoDataFrame) -> None:
        units = self.units_in(frame.crs)
        if units is None:
            return
        geometries = frame.geometry.values
        present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
        area = box(*units.total_bounds)
        if present.any() and not shapely.intersects(geometries[present], area).any():
            self.warning(
                name,
                f"no feature of {frame.attrs['source']} lies within the extent of the units.",
                "check that the layer covers the territory and that its CRS is right.",
            )


def _simplified(codes: Iterable[str]) -> set[str]:
    """Codes without separators and leading zeros, to recognise format differences."""
    return {"".join(ch for ch in code if ch.isalnum()).lstrip("0") for code in codes}


def _describe(grid: Grid) -> str:
    crs = grid.crs.to_string() if grid.crs is not None else "no CRS"
    x, y = grid.transform.c, grid.transform.f
    return (
        f"{crs}, {grid.width}×{grid.height} cells of {grid.cell_width:g}×{grid.cell_height:g} "
        f"from ({x:g}, {y:g})"
    )


def validate_project(project: Project) -> list[Problem]:
    """Open every layer of ``project`` and report every problem found.

    Parameters
    ----------
    project : Project
        A loaded project (:func:`observatory.project.load_project`).

    Returns
    -------
    list of Problem
        Errors and warnings in the order the inputs are checked: files, units (each level,
        then parents and nesting), census, rasters, other layers. Empty when all is well.
    """
    validator = _Validator(project)
    validator.check_files_exist()
    validator.check_units()
    validator.check_census()
    validator.check_rasters()
    validator.check_layers()
    return validator.problems
