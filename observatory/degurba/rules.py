"""Named rule sets of the Degree of Urbanisation, with every threshold and switch.

A :class:`DegurbaRules` holds everything the grid classification (stage 1) needs. Three named
sets are provided:

``ghsl-2023`` (default)
    GHSL Data Package 2023 (GHS-SMOD R2023A): urban centres and dense urban clusters use the
    built-up criterion (built-up share of permanent land >= 0.20, DP2023 footnote 30), the
    R2023A majority rule (DP2023 footnote 29), and the July 2024 Eurostat semi-dense rule
    (density >= 900, population >= 2,500, 4-connectivity, farther than 2 km from centres and
    dense clusters).
``ghsl-2022``
    As ``ghsl-2023`` but with the built-up criterion at 0.50 (DP2022 footnote 25) and the R2022A
    majority rule (a cell joins a centre when at least 5 of its 8 neighbours belong to it).
``eurostat-2021``
    The 2021 methodological manual: no built-up criterion, the 5-of-8 majority rule, and the
    2021 semi-dense rule (density >= 300, population >= 5,000, 8-connectivity, 3 km).

Sources: *Applying the Degree of Urbanisation*, Eurostat et al. 2021 (ISBN 978-92-76-20306-3),
chapters 6-8 as updated online in July 2024; GHSL Data Packages 2022 and 2023. Every threshold
is "at least" (>=).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from observatory.errors import ParameterError

SMOOTHING_VARIANTS = ("r2023a", "r2022a", "none")
CONTIGUITY_FIELDS = (
    "uc_contiguity",
    "ucl_contiguity",
    "duc_contiguity",
    "sduc_contiguity",
    "rc_contiguity",
)


@dataclass(frozen=True)
class DegurbaRules:
    """Every threshold and switch of the Degree of Urbanisation grid classification.

    Densities are inhabitants per km² of permanent land; sizes are inhabitants per cluster;
    built-up thresholds are shares (0-1) of permanent land; contiguity is 4 (rook) or 8 (queen).

    Attributes
    ----------
    name : str
        Name of the rule set the values came from (``"custom"`` mentions are added by overrides).
    uc_density, uc_size, uc_contiguity
        Urban centre: minimum density, minimum cluster population, contiguity.
    uc_built_criterion, uc_built_threshold
        Whether a cell with built-up share >= ``uc_built_threshold`` also counts as dense.
    uc_smoothing : {"r2023a", "r2022a", "none"}
        Majority-rule edge smoothing variant.
    uc_majority_neighbours : int
        R2022A only: number of the 8 neighbours that must belong to one centre (5).
    uc_gap_fill, uc_max_gap_km2
        Fill holes of a centre whose area is smaller than ``uc_max_gap_km2`` (15).
    ucl_density, ucl_size, ucl_contiguity
        Urban cluster: its cells not in a centre, dense or semi-dense cluster are level 2
        suburban or peri-urban cells (21).
    duc_density, duc_size, duc_contiguity, duc_built_criterion, duc_built_threshold
        Level 2 dense urban cluster (not part of an urban centre).
    sduc_density, sduc_size, sduc_contiguity, sduc_buffer_km
        Level 2 semi-dense urban cluster, kept only when no cell lies within
        ``sduc_buffer_km`` of an urban centre or dense urban cluster.
    rc_density, rc_size, rc_contiguity
        Level 2 rural cluster.
    ldr_density
        Level 2 low-density rural cell (below: very low density).
    water_land_threshold, water_pop_threshold, water_built_threshold
        Water cell: land share < threshold, population <= threshold, built-up share <=
        threshold.
    built_share_decimals : int
        The built-up share of permanent land is rounded to this many decimals before it is
        compared (3, as GHSL and flexurba do).
    """

    name: str = "ghsl-2023"
    uc_density: float = 1500.0
    uc_size: float = 50_000.0
    uc_contiguity: int = 4
    uc_built_criterion: bool = True
    uc_built_threshold: float = 0.2
    uc_smoothing: str = "r2023a"
    uc_majority_neighbours: int = 5
    uc_gap_fill: bool = True
    uc_max_gap_km2: float = 15.0
    ucl_density: float = 300.0
    ucl_size: float = 5000.0
    ucl_contiguity: int = 8
    duc_density: float = 1500.0
    duc_size: float = 5000.0
    duc_contiguity: int = 4
    duc_built_criterion: bool = True
    duc_built_threshold: float = 0.2
    sduc_density: float = 900.0
    sduc_size: float = 2500.0
    sduc_contiguity: int = 4
    sduc_buffer_km: int = 2
    rc_density: float = 300.0
    rc_size: float = 500.0
    rc_contiguity: int = 8
    ldr_density: float = 50.0
    water_land_threshold: float = 0.5
    water_pop_threshold: float = 0.0
    water_built_threshold: float = 0.0
    built_share_decimals: int = 3

    def __post_init__(self) -> None:
        for name in CONTIGUITY_FIELDS:
            if getattr(self, name) not in (4, 8):
                raise ParameterError(
                    f"degurba rule {name} = {getattr(self, name)!r} is not valid; use 4 (rook) "
                    "or 8 (queen)."
                )
        if self.uc_smoothing not in SMOOTHING_VARIANTS:
            raise ParameterError(
                f"degurba rule uc_smoothing = {self.uc_smoothing!r} is not valid; use one of "
                f"{', '.join(SMOOTHING_VARIANTS)}."
            )
        if not 1 <= self.uc_majority_neighbours <= 8:
            raise ParameterError(
                f"degurba rule uc_majority_neighbours = {self.uc_majority_neighbours} is not "
                "valid; use a number of neighbours from 1 to 8."
            )
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type == "float" and value < 0:
                raise ParameterError(
                    f"degurba rule {field.name} = {value} is negative; thresholds are >= 0."
                )
        if self.sduc_buffer_km < 0 or self.built_share_decimals < 0:
            raise ParameterError(
                "degurba rules sduc_buffer_km and built_share_decimals must be >= 0 "
                f"(got {self.sduc_buffer_km} and {self.built_share_decimals})."
            )


RULE_SETS: dict[str, DegurbaRules] = {
    "ghsl-2023": DegurbaRules(),
    "ghsl-2022": DegurbaRules(
        name="ghsl-2022",
        uc_built_threshold=0.5,
        duc_built_threshold=0.5,
        uc_smoothing="r2022a",
    ),
    "eurostat-2021": DegurbaRules(
        name="eurostat-2021",
        uc_built_criterion=False,
        duc_built_criterion=False,
        uc_smoothing="r2022a",
        sduc_density=300.0,
        sduc_size=5000.0,
        sduc_contiguity=8,
        sduc_buffer_km=3,
    ),
}
DEFAULT_RULE_SET = "ghsl-2023"

_TRUE_WORDS = {"true", "yes", "on", "1"}
_FALSE_WORDS = {"false", "no", "off", "0"}


def _convert(key: str, kind: str, value: str | float | bool) -> object:
    """Turn an override value (often a string from the command line) into the field's type."""
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise ParameterError(f"degurba rule {key} = {value!r} is not a boolean; use true or false.")
    if kind == "str":
        return str(value).strip().lower()
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"degurba rule {key} = {value!r} is not a number.") from None
    if kind == "int":
        if not number.is_integer():
            raise ParameterError(f"degurba rule {key} = {value!r} must be a whole number.")
        return int(number)
    return number


def rules_from_name(
    name: str = DEFAULT_RULE_SET, overrides: dict[str, str | float | bool] | None = None
) -> DegurbaRules:
    """The named rule set with some of its values replaced.

    Parameters
    ----------
    name : str
        ``"ghsl-2023"`` (default), ``"ghsl-2022"`` or ``"eurostat-2021"``.
    overrides : dict, optional
        Field name → new value; strings such as ``"1200"``, ``"false"`` or ``"r2022a"`` are
        converted to the field's type.

    Returns
    -------
    DegurbaRules

    Raises
    ------
    ParameterError
        For an unknown rule-set name, an unknown key (the message lists the valid keys) or a
        value of the wrong type or range.
    """
    if name not in RULE_SETS:
        raise ParameterError(
            f"unknown Degree of Urbanisation rule set {name!r}; use one of {', '.join(RULE_SETS)}."
        )
    rules = RULE_SETS[name]
    if not overrides:
        return rules
    kinds = {field.name: field.type for field in fields(DegurbaRules) if field.name != "name"}
    changes: dict[str, object] = {}
    for key, value in overrides.items():
        if key not in kinds:
            raise ParameterError(
                f"unknown Degree of Urbanisation parameter {key!r}; valid keys are: "
                f"{', '.join(kinds)}."
            )
        changes[key] = _convert(key, str(kinds[key]), value)
    return replace(rules, name=f"{name} (modified)", **changes)


def rule_set_table() -> list[tuple[str, ...]]:
    """Rows (parameter, value in each named set) comparing the rule sets, for docs and --help."""
    names = list(RULE_SETS)
    rows = [("parameter", *names)]
    for field in fields(DegurbaRules):
        if field.name == "name":
            continue
        rows.append(
            (field.name, *(str(getattr(RULE_SETS[set_name], field.name)) for set_name in names))
        )
    return rows
