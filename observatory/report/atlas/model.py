"""What the atlas's pages read: the results indexed by unit, names, formatted values, links."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property

from observatory.indicators.registry import Indicator, get_indicator
from observatory.report.atlas.svg import LevelDrawing, drawings
from observatory.report.i18n import Translator
from observatory.report.labels import unit_label
from observatory.report.legend import class_names, legend_decimals
from observatory.report.mapdata import computed_indicators, periods_of

#: Indicators shown as the territory's key figures on the home page, when computed.
KEY_FIGURES = (
    "population",
    "population_density",
    "population_growth_rate",
    "built_up_share",
    "sdg_11_3_1",
    "sdg_11_2_1",
    "sdg_11_7_1_share",
    "sdg_11_6_2",
    "degurba_l1",
)
#: Indicator of the home page's map, the first one computed.
HOME_MAP = ("population_density", "population", "built_up_share")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class Unit:
    """A unit of the hierarchy as the atlas shows it."""

    level: str
    id: str
    name: str
    parent_id: str | None
    position: int


@dataclass
class AtlasData:
    """The results of one run, read for the pages of the atlas in one language.

    Attributes
    ----------
    published : PublishedResults
        The results folder.
    t : Translator
        The atlas's language.
    names : dict
        (level, unit id) → the unit's name in the atlas's language, where the project has
        one (see :func:`observatory.io.atlas.read_unit_names`).
    """

    published: object
    t: Translator
    names: dict = field(default_factory=dict)
    _texts: dict = field(default_factory=dict, repr=False)

    @cached_property
    def indicators(self) -> list[Indicator]:
        """The computed indicators of the catalogue, in its order."""
        return [get_indicator(i) for i in computed_indicators(self.published)]

    @cached_property
    def values(self) -> dict[tuple[str, str, str, str], float]:
        """(indicator, period, level, unit id) → value."""
        long = self.published.long
        keys = zip(long["indicator"], long["period"], long["level"], long["unit_id"], strict=True)
        return dict(zip(keys, long["value"].astype(float), strict=True))

    @cached_property
    def units(self) -> dict[str, list[Unit]]:
        """The units of each level, in layer order, named in the atlas's language."""
        result = {}
        for level, layer in self.published.layers.items():
            parents = layer["parent_id"] if "parent_id" in layer.columns else [None] * len(layer)
            result[level] = [
                Unit(
                    level=level,
                    id=str(unit_id),
                    name=self.names.get((level, str(unit_id))) or str(name),
                    parent_id=None
                    if parent is None or (isinstance(parent, float) and math.isnan(parent))
                    else str(parent),
                    position=position,
                )
                for position, (unit_id, name, parent) in enumerate(
                    zip(layer["unit_id"], layer["unit_name"], parents, strict=True)
                )
            ]
        return result

    @cached_property
    def by_id(self) -> dict[tuple[str, str], Unit]:
        return {(u.level, u.id): u for units in self.units.values() for u in units}

    @cached_property
    def drawings(self) -> dict[str, LevelDrawing]:
        return drawings(self.published.layers)

    @cached_property
    def decimals(self) -> dict[str, int]:
        """Decimals of each indicator's values (the same on every page)."""
        long = self.published.long
        return {
            spec.id: legend_decimals(long.loc[long["indicator"] == spec.id, "value"].to_numpy())
            for spec in self.indicators
        }

    @cached_property
    def _periods(self) -> dict[str, list[str]]:
        return {spec.id: periods_of(self.published, spec.id) for spec in self.indicators}

    def periods(self, indicator_id: str) -> list[str]:
        """The periods of ``indicator_id``, oldest first."""
        return self._periods[indicator_id]

    @property
    def territory(self) -> Unit | None:
        """The single unit of the coarsest level, when there is one."""
        coarsest = next(iter(self.units.values()))
        return coarsest[0] if len(coarsest) == 1 else None

    def parent(self, unit: Unit) -> Unit | None:
        levels = list(self.units)
        index = levels.index(unit.level)
        if index == 0 or unit.parent_id is None:
            return None
        return self.by_id.get((levels[index - 1], unit.parent_id))

    def children(self, unit: Unit) -> list[Unit]:
        levels = list(self.units)
        index = levels.index(unit.level)
        if index + 1 >= len(levels):
            return []
        return [u for u in self.units[levels[index + 1]] if u.parent_id == unit.id]

    def value(self, indicator_id: str, period: str, unit: Unit | None) -> float:
        if unit is None:
            return math.nan
        return self.values.get((indicator_id, period, unit.level, unit.id), math.nan)

    def text(self, spec: Indicator, value: float) -> str:
        """``value`` of ``spec`` as the page shows it: a class name or a formatted number."""
        if value is None or not math.isfinite(value):
            return self.t.gettext("No data")
        key = (spec.id, value)
        if key not in self._texts:
            if spec.kind == "class":
                text = class_names(spec.id, self.t).get(int(value), str(int(value)))
            else:
                decimals = self.decimals.get(spec.id, 2)
                # a value that rounds to zero is written 0, not -0
                text = self.t.number(round(value, decimals) + 0.0, decimals=decimals)
            self._texts[key] = text
        return self._texts[key]

    def unit_text(self, spec: Indicator) -> str:
        return "" if spec.kind == "class" else unit_label(spec.unit, self.t)

    def title(self, spec: Indicator) -> str:
        """The indicator's title in the atlas's language, else the results', else English."""
        return self.sheet_text(spec, "title")

    def sheet_text(self, spec: Indicator, key: str) -> str:
        """Title or description of ``spec`` (fallbacks as :meth:`title`)."""
        texts = getattr(spec, key)
        return texts.get(self.t.language) or spec.text(key, self.published.language)


def indicator_page(indicator_id: str) -> str:
    """File name of an indicator's page."""
    return f"indicator-{_UNSAFE.sub('_', indicator_id)}.html"


def unit_page(unit: Unit) -> str:
    """File name of a unit's profile page."""
    return f"unit-{_UNSAFE.sub('_', unit.level)}-{_UNSAFE.sub('_', unit.id)}.html"
