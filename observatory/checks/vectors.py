"""Checks every vector layer gets: its CRS, geometry types, missing and invalid geometries,
and the fields the project file names."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from observatory.checks.describe import examples, field_names, rows
from observatory.layers import VectorLayer
from observatory.messages import _, ngettext
from observatory.problems import Problem

#: Geometry types each layer role accepts.
GEOMETRY_TYPES = {
    "units": ("Polygon", "MultiPolygon"),
    "roads": ("LineString", "MultiLineString"),
    "schools": ("Point", "MultiPoint"),
    "health": ("Point", "MultiPoint"),
    "transit_stops": ("Point", "MultiPoint"),
    "open_spaces": ("Polygon", "MultiPolygon"),
}
FIX_GEOMETRY = _(
    "repair them in QGIS (Vector > Geometry Tools > Fix Geometries) or with "
    "'ogr2ogr -makevalid', or delete the features without geometry."
)
FIX_NO_CRS = _(
    "assign the CRS the layer was drawn in: in QGIS, Layer Properties > Source > Assigned "
    "CRS, then save; or 'ogr2ogr -a_srs EPSG:4326 OUT IN' (use the right code)."
)


@dataclass(frozen=True)
class Shapes:
    """The geometries of a vector layer, with what the checks need to know of them.

    Attributes
    ----------
    values : numpy.ndarray
        The shapely geometries, as read.
    missing : numpy.ndarray
        True where a feature has no geometry or an empty one.
    invalid : numpy.ndarray
        True where a present geometry is not valid.
    degree_bounds : tuple of float or None
        The bounds of the present geometries when the layer's CRS is geographic, else None.
    """

    values: np.ndarray
    missing: np.ndarray
    invalid: np.ndarray
    degree_bounds: tuple[float, float, float, float] | None

    @property
    def wrong_degrees(self) -> bool:
        """True when the CRS is geographic but the coordinates are not longitudes and
        latitudes (the CRS is wrongly assigned)."""
        if self.degree_bounds is None:
            return False
        xmin, ymin, xmax, ymax = self.degree_bounds
        return xmin < -180.5 or xmax > 180.5 or ymin < -90.5 or ymax > 90.5

    def repaired(self) -> np.ndarray:
        """The geometries with the invalid ones made valid (a new array)."""
        geometries = np.array(self.values, dtype=object)
        geometries[self.invalid] = shapely.make_valid(geometries[self.invalid])
        return geometries


def shapes_of(frame: gpd.GeoDataFrame) -> Shapes:
    """The :class:`Shapes` of a layer."""
    geometries = frame.geometry.values
    missing = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    present = ~missing
    degree_bounds = None
    if frame.crs is not None and frame.crs.is_geographic and present.any():
        degree_bounds = tuple(shapely.total_bounds(geometries[present]))
    invalid = present & ~shapely.is_valid(geometries)
    return Shapes(np.asarray(geometries), missing, invalid, degree_bounds)


def is_placed(layer: VectorLayer, shapes: Shapes) -> bool:
    """True when the layer can be placed on the map: it has a CRS and, in a geographic CRS,
    coordinates that are longitudes and latitudes."""
    return layer.frame.crs is not None and not shapes.wrong_degrees


def crs_problems(name: str, layer: VectorLayer, shapes: Shapes) -> list[Problem]:
    """A layer without CRS, or whose geographic CRS does not fit its coordinates."""
    frame, source = layer.frame, layer.source
    if frame.crs is None:
        return [
            Problem(
                "error",
                name,
                _("{source} has no CRS, so it cannot be placed or measured.", source=source),
                FIX_NO_CRS,
            )
        ]
    if not shapes.wrong_degrees:
        return []
    bounds = ", ".join(f"{bound:.8g}" for bound in shapes.degree_bounds)
    return [
        Problem(
            "error",
            name,
            _(
                "{source} is declared in the geographic CRS {crs}, but its coordinates "
                "({bounds}) are not longitudes and latitudes: the CRS is wrongly assigned.",
                source=source,
                crs=frame.crs.to_string(),
                bounds=bounds,
            ),
            _(
                "assign the projected CRS the coordinates are in (in QGIS: Layer "
                "Properties > Source > Assigned CRS), not a reprojection."
            ),
        )
    ]


def geometry_problems(
    name: str,
    layer: VectorLayer,
    shapes: Shapes,
    allowed: tuple[str, ...],
    what: str,
    codes: pd.Series | None = None,
) -> list[Problem]:
    """CRS, geometry types, and missing, empty or invalid geometries of a layer.

    Features are named by their code (``codes``, for units) or by their row number.
    """
    frame, source = layer.frame, layer.source
    problems = crs_problems(name, layer, shapes)
    names = pd.Series(frame.geometry[~shapes.missing].geom_type.to_numpy())
    wrong = ~names.isin(allowed)
    if wrong.any():
        counts = names[wrong].value_counts()
        found = ", ".join(f"{count} {kind}" for kind, count in counts.items())
        problems.append(
            Problem(
                "error",
                name,
                _(
                    "{source} has {found} feature(s); {what} must be {allowed}.",
                    source=source,
                    found=found,
                    what=what,
                    allowed=_("{single} or {multi}", single=allowed[0], multi=allowed[-1]),
                ),
                _(
                    "point the project file to the right layer, or convert the geometries in "
                    "QGIS (Vector > Geometry Tools)."
                ),
            )
        )

    def label(mask: np.ndarray) -> str:
        if codes is not None:
            return _("ids {listed}", listed=examples(list(codes[mask].fillna("(no id)"))))
        return _("rows {listed}", listed=examples(rows(mask)))

    if shapes.missing.any():
        problems.append(
            Problem(
                "error",
                name,
                ngettext(
                    "{source} has {count} feature without geometry or with an empty geometry "
                    "({which}).",
                    "{source} has {count} features without geometry or with an empty geometry "
                    "({which}).",
                    int(shapes.missing.sum()),
                    source=source,
                    count=int(shapes.missing.sum()),
                    which=label(shapes.missing),
                ),
                FIX_GEOMETRY,
            )
        )
    invalid = shapes.invalid
    if invalid.any():
        first = shapely.is_valid_reason(shapes.values[invalid][0])
        problems.append(
            Problem(
                "error",
                name,
                ngettext(
                    "{source} has {count} invalid geometry ({which}; first: {first}).",
                    "{source} has {count} invalid geometries ({which}; first: {first}).",
                    int(invalid.sum()),
                    source=source,
                    count=int(invalid.sum()),
                    which=label(invalid),
                    first=first,
                ),
                FIX_GEOMETRY,
            )
        )
    return problems


def missing_fields(
    name: str, layer: VectorLayer, fields: dict[str, str], project_file: str
) -> list[Problem]:
    """An error for each declared field (setting → field name) the layer lacks."""
    frame = layer.frame
    return [
        Problem(
            "error",
            name,
            _(
                "field '{field}' (given as {setting}) not found in {source}; its fields are: "
                "{fields}.",
                field=field,
                setting=setting,
                source=layer.source,
                fields=field_names(frame),
            ),
            _(
                "set {setting} to one of these field names in {file}.",
                setting=setting,
                file=project_file,
            ),
        )
        for setting, field in fields.items()
        if field not in frame.columns
    ]
