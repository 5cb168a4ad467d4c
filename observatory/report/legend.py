"""The classes of a map: the colour each unit takes and what its legend says.

Shared by the printed maps (:mod:`observatory.report.maps`) and the atlas's SVG maps, so
both show the same classes. Three kinds of map:

- **sequential**: up to five classes of natural breaks (Fisher-Jenks, the default) or
  quantiles, on the ColorBrewer YlOrRd ramp of the GeoPackage styles;
- **diverging**: indicators whose value changes sign (growth and consumption rates, SDG
  11.3.1), up to three classes on each side of a centre (0, or 1 for SDG 11.3.1, where 1
  separates land consumed faster than the population grows from land used more
  efficiently), blue below and red above; for SDG 11.3.1 the units whose population fell
  form a class of their own, since their negative ratio does not mean efficiency;
- **classes**: class indicators (Degree of Urbanisation) in the GHSL palette with the class
  names in the map's language.

Units without a value are "no data" (hatched).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from observatory.degurba.grid import LEVEL1_COLOURS, LEVEL2_COLOURS
from observatory.report.i18n import Translator
from observatory.report.styles import RAMP

METHODS = ("natural-breaks", "quantiles")
#: ColorBrewer YlOrRd, as :data:`observatory.report.styles.RAMP`, in hex.
SEQUENTIAL = tuple("#{:02x}{:02x}{:02x}".format(*map(int, c.split(","))) for c in RAMP)
#: ColorBrewer RdBu: below the centre (strongest first), above it (weakest first).
BELOW = ("#2166ac", "#67a9cf", "#d1e5f0")
ABOVE = ("#fddbc7", "#ef8a62", "#b2182b")
#: The class of SDG 11.3.1 units whose population fell.
FALLING_COLOUR = "#8c6bb1"
NO_DATA_COLOUR = "#ffffff"
#: Centre of the diverging scheme of a signed indicator (any other ``rate`` has 0).
CENTRES = {"sdg_11_3_1": 1.0}
#: Indicators whose falling-population units are kept apart, and the component saying so.
FALLING_COMPONENT = {"sdg_11_3_1": "sdg_11_3_1_pgr"}
#: Colour of each Degree of Urbanisation unit class: the GHSL palette of the grid classes
#: of the same code (the unit codes 3/2/1 and 30...11 are the grid's).
_CLASS_COLOURS = {"degurba_l1": LEVEL1_COLOURS, "degurba_l2": LEVEL2_COLOURS}
_OTHER_CLASS_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02")


@dataclass(frozen=True)
class MapClass:
    """One legend entry: its label, fill colour and number of units."""

    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class MapLegend:
    """The classes of one map.

    Attributes
    ----------
    kind : {'sequential', 'diverging', 'classes'}
    method : str
        How the classes were made, in the map's language (e.g. "Natural breaks (Jenks)").
    classes : tuple of MapClass
        The legend entries, in legend order (no-data excluded).
    index : numpy.ndarray
        The class of each unit (position in ``classes``), -1 for no data.
    no_data : MapClass
        The no-data entry (count 0 when every unit has a value).
    decimals : int
        Decimals of the values in the legend and the tooltips.
    """

    kind: str
    method: str
    classes: tuple[MapClass, ...]
    index: np.ndarray
    no_data: MapClass
    decimals: int

    def colour_of(self, position: int) -> str:
        """Fill colour of the unit at ``position`` (the no-data colour when it has none)."""
        code = int(self.index[position])
        return self.no_data.colour if code < 0 else self.classes[code].colour


def class_names(indicator_id: str, t: Translator) -> dict[int, str]:
    """Code → class name in ``t``'s language for a Degree of Urbanisation indicator."""
    if indicator_id == "degurba_l1":
        return {
            3: t.gettext("City"),
            2: t.gettext("Town or semi-dense area"),
            1: t.gettext("Rural area"),
        }
    if indicator_id == "degurba_l2":
        return {
            30: t.gettext("City"),
            23: t.gettext("Dense town"),
            22: t.gettext("Semi-dense town"),
            21: t.gettext("Suburban or peri-urban area"),
            13: t.gettext("Village"),
            12: t.gettext("Dispersed rural area"),
            11: t.gettext("Mostly uninhabited area"),
        }
    return {}


def class_colours(indicator_id: str) -> dict[int, str]:
    """Code → hex colour of a Degree of Urbanisation indicator's classes (GHSL palette)."""
    return {
        code: "#{:02x}{:02x}{:02x}".format(*rgba[:3])
        for code, rgba in _CLASS_COLOURS.get(indicator_id, {}).items()
    }


def method_name(method: str, t: Translator) -> str:
    """The classification ``method`` named in ``t``'s language."""
    if method == "quantiles":
        return t.gettext("Quantiles")
    return t.gettext("Natural breaks (Jenks)")


def legend_decimals(values: np.ndarray) -> int:
    """Decimals that keep the classes of ``values`` apart without false precision."""
    finite = np.abs(values[np.isfinite(values)])
    if finite.size == 0:
        return 0
    largest = float(finite.max())
    if largest >= 1000:
        return 0
    if largest >= 10:
        return 1
    return 2


def map_legend(
    values,
    *,
    indicator_id: str,
    kind: str,
    t: Translator,
    method: str = "natural-breaks",
    falling=None,
) -> MapLegend:
    """The classes of a map of ``values`` (one per unit, NaN for no value).

    Parameters
    ----------
    values : array-like of float
        The indicator's value for each unit.
    indicator_id, kind : str
        The indicator and its kind (``class`` → classes, ``rate`` → diverging).
    t : Translator
        The map's language.
    method : {'natural-breaks', 'quantiles'}
        How to cut the values into classes (not used for class indicators).
    falling : array-like of bool, optional
        True for the units whose population fell (their own class, see the module).
    """
    values = np.asarray(values, dtype="float64")
    valid = np.isfinite(values)
    no_data = MapClass(t.gettext("No data"), NO_DATA_COLOUR, int((~valid).sum()))
    if kind == "class":
        return _class_legend(values, valid, indicator_id, t, no_data)
    index = np.full(values.shape, -1)
    classes: list[MapClass] = []
    decimals = legend_decimals(values)
    falling_mask = np.zeros(values.shape, bool) if falling is None else np.asarray(falling, bool)
    falling_mask &= valid
    rest = valid & ~falling_mask
    diverging = kind == "rate" or (rest.any() and values[rest].min() < 0 < values[rest].max())
    if diverging:
        centre = CENTRES.get(indicator_id, 0.0)
        below = _side_classes(values, rest & (values < centre), BELOW, method, t, decimals)
        above = _side_classes(values, rest & (values >= centre), ABOVE, method, t, decimals)
        if below and above and below[-1][0].label.endswith(above[0][0].label.split(" – ")[0]):
            # the highest value below the centre rounds to the lowest above it: say "<"
            last, members = below[-1]
            bounds = last.label.split(" – ")
            label = f"{bounds[0]} – < {bounds[-1]}" if len(bounds) == 2 else f"< {bounds[-1]}"
            below[-1] = (MapClass(label, last.colour, last.count), members)
        sides = below + above
    else:
        sides = _side_classes(values, rest, SEQUENTIAL, method, t, decimals)
    for entry, members in sides:
        index[members] = len(classes)
        classes.append(entry)
    if falling_mask.any():
        index[falling_mask] = len(classes)
        classes.append(
            MapClass(t.gettext("Population fell"), FALLING_COLOUR, int(falling_mask.sum()))
        )
    return MapLegend(
        kind="diverging" if diverging else "sequential",
        method=method_name(method, t),
        classes=tuple(classes),
        index=index,
        no_data=no_data,
        decimals=decimals,
    )


def _side_classes(values, mask, colours, method, t, decimals) -> list:
    """(class, member positions) of up to len(colours) classes of ``values[mask]``.

    The palettes list their colours from the lowest class to the highest; with fewer
    classes than colours, those nearest the centre of a diverging scheme (the light ones)
    are kept.
    """
    if not mask.any():
        return []
    bins = _breaks(values[mask], len(colours), method)
    palette = colours[len(colours) - len(bins) :] if colours is BELOW else colours[: len(bins)]
    positions = np.flatnonzero(mask)
    codes = np.minimum(np.searchsorted(np.asarray(bins), values[mask]), len(bins) - 1)
    lower = float(values[mask].min())
    entries = []
    # one class per distinct value: each class is labelled by its value alone
    single = np.unique(values[mask]).size == len(bins)
    for number, upper in enumerate(bins):
        members = codes == number
        lower = upper if single else lower
        low, high = t.number(lower, decimals=decimals), t.number(upper, decimals=decimals)
        label = low if low == high else f"{low} – {high}"
        entries.append((MapClass(label, palette[number], int(members.sum())), positions[members]))
        lower = upper
    return entries


def _breaks(values: np.ndarray, k: int, method: str) -> list[float]:
    """Upper bounds of up to ``k`` classes of ``values`` (mapclassify), the last = max."""
    distinct = np.unique(values)
    if distinct.size <= k:
        return [float(v) for v in distinct]
    # imported here: mapclassify pulls in scipy.stats and scikit-learn
    import mapclassify

    if method == "quantiles":
        scheme = mapclassify.Quantiles(values, k=k)
    else:
        with warnings.catch_warnings():
            # without numba, Fisher-Jenks runs in pure Python: fast enough for units
            warnings.filterwarnings("ignore", "Numba not installed", UserWarning)
            scheme = mapclassify.FisherJenks(values, k=k)
    return sorted({float(b) for b in scheme.bins})


def _class_legend(values, valid, indicator_id, t, no_data) -> MapLegend:
    names = class_names(indicator_id, t)
    present = sorted({int(v) for v in values[valid]}, reverse=True)
    codes = [c for c in names if c in present] + [c for c in present if c not in names]
    colours = class_colours(indicator_id)
    index = np.full(values.shape, -1)
    classes = []
    for number, code in enumerate(codes):
        members = valid & (values == code)
        index[members] = number
        colour = colours.get(code, _OTHER_CLASS_COLOURS[number % len(_OTHER_CLASS_COLOURS)])
        classes.append(MapClass(names.get(code, str(code)), colour, int(members.sum())))
    return MapLegend(
        kind="classes",
        method=t.gettext("Classes of the Degree of Urbanisation (GHSL palette)")
        if names
        else t.gettext("Classes"),
        classes=tuple(classes),
        index=index,
        no_data=no_data,
        decimals=0,
    )
