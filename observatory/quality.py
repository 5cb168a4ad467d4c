"""Which values are published: the raster coverage of every unit and the quality flags.

A value computed from a raster is only as good as the part of the unit the raster covers:
a unit half outside the population grid has half its people. Every raster-based value
therefore carries the *coverage* of its unit, the share of the unit's area covered by cells
that hold data, the lowest over the rasters the indicator reads (for each raster,
Σ covered area / Σ unit area, so a parent's coverage counts all of its units). Below the
project's ``[quality] min_coverage`` (default 0.99,
:data:`observatory.project.DEFAULT_MIN_COVERAGE`) the value is not published: it is left
empty and its ``quality`` says why. Finalizers flag values that are not meaningful the same
way (a ratio with a zero base, SDG 11.3.1 with a near-zero growth).

The engine sums the coverage components up the hierarchy with the indicator's own
components; this module turns the sums into shares, flags and the run's warning.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from observatory.indicators.inputs import Inputs
from observatory.reasons import HOLDS_NO_UNIT, LOW_COVERAGE, NOT_PUBLISHED, SOME_UNITS_WITHOUT_VALUE

#: Decimals of the published coverage (exactextract's fractions are single precision).
COVERAGE_DECIMALS = 6
#: Units named in a low coverage warning, per level (the quality column has them all).
WARNING_UNITS = 20
#: Columns :func:`flag_low_coverage` adds to a level's values (not values themselves).
QUALITY_COLUMNS = ("coverage", "quality")

RasterKey = tuple[str, int | None]


def raster_label(key: RasterKey) -> str:
    """``population 2024``, or ``land`` for a raster without year."""
    role, year = key
    return role if year is None else f"{role} {year}"


def percent(share: float) -> str:
    """A share as ``13.8 %`` (one decimal, as the warnings and flags write it)."""
    return f"{100 * share:.1f} %"


def coverage_components(inputs: Inputs, keys: Sequence[RasterKey]) -> pd.DataFrame | None:
    """Covered area and area of every finest unit for each raster of ``keys``.

    Columns are pairs ``("covered" | "area", raster label)``, additive over units; None
    when ``keys`` is empty (the indicator reads no raster).
    """
    if not keys:
        return None
    frames = {raster_label(key): inputs.raster_coverage(*key) for key in keys}
    return pd.concat(frames, axis=1).swaplevel(axis=1)


def coverage_shares(summed: pd.DataFrame) -> pd.DataFrame:
    """Share of every unit each raster covers, from summed :func:`coverage_components`
    (NaN for a unit of no area), at most 1."""
    covered = summed["covered"].to_numpy(dtype="float64")
    area = summed["area"].to_numpy(dtype="float64")
    shares = np.full(covered.shape, np.nan)
    np.divide(covered, area, out=shares, where=area > 0)
    return pd.DataFrame(
        np.minimum(shares, 1.0), index=summed.index, columns=summed["covered"].columns
    )


def emptied(values: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """``values`` with every value column emptied where ``mask`` (NaN, or empty text for
    labels); ``quality`` is kept."""
    flagged = values.copy()
    for column in flagged.columns:
        if column == "quality":
            continue
        if pd.api.types.is_numeric_dtype(flagged[column]):
            flagged[column] = flagged[column].astype("float64").where(~mask)
        else:
            flagged[column] = flagged[column].where(~mask, "")
    return flagged


def flag_not_published(values: pd.DataFrame, reasons: pd.Series) -> pd.DataFrame:
    """``values`` emptied where ``reasons`` (same index) is not empty, with ``quality`` =
    ``not published: <reason>`` there (replacing any other flag: the value is missing for
    that reason whatever else is said of it)."""
    reasons = reasons.reindex(values.index).fillna("")
    mask = (reasons != "").to_numpy()
    if not mask.any():
        return values
    flagged = emptied(values, mask)
    quality = flagged.get("quality", pd.Series("", index=values.index)).fillna("")
    published = [NOT_PUBLISHED.format(reason=reason) for reason in reasons]
    flagged["quality"] = np.where(mask, published, quality.to_numpy(dtype=object))
    return flagged


def incomplete_reasons(missing: pd.Series, units: pd.Series, finest: str) -> pd.Series:
    """``N of its M <finest> units have no value`` where ``missing`` (of ``units``) > 0,
    and ``it holds no <finest> unit`` where ``units`` is 0 or missing (a unit none of the
    finest units lies in)."""
    empty = units.isna() | (units == 0)
    text = [
        SOME_UNITS_WITHOUT_VALUE.format(missing=int(some), units=int(all_), level=finest)
        if some > 0
        else ""
        for some, all_ in zip(missing.fillna(0), units.fillna(0), strict=True)
    ]
    reasons = pd.Series(text, index=missing.index, dtype=object)
    return reasons.where(~empty, HOLDS_NO_UNIT.format(level=finest))


def flag_low_coverage(
    values: pd.DataFrame, summed_coverage: pd.DataFrame, min_coverage: float
) -> pd.DataFrame:
    """``values`` with ``coverage`` and ``quality``, emptied where coverage is too low.

    ``coverage`` is the lowest share over the rasters; where it is below ``min_coverage``
    every value column is emptied (NaN, or empty text for labels) and ``quality`` names the
    raster and its coverage, replacing the finalizer's flag if any.
    """
    shares = coverage_shares(summed_coverage)
    coverage = shares.min(axis=1)
    low = (coverage < min_coverage).to_numpy()
    flagged = emptied(values, low)
    quality = flagged.get("quality", pd.Series("", index=values.index)).to_numpy(dtype=object)
    if low.any():
        limiting = shares.loc[low].idxmin(axis=1)
        for position, label, share in zip(
            np.flatnonzero(low), limiting, coverage[low], strict=True
        ):
            quality[position] = LOW_COVERAGE.format(
                raster=label, share=percent(share), minimum=percent(min_coverage)
            )
    flagged["coverage"] = coverage.round(COVERAGE_DECIMALS).to_numpy()
    flagged["quality"] = quality
    return flagged


def low_coverage_units(
    shares: pd.Series, names: pd.Series, level: str, min_coverage: float
) -> str | None:
    """``3 commune(s): Name (code) 13.8 %, ...`` for the units below ``min_coverage``."""
    low = shares[shares < min_coverage]
    if low.empty:
        return None
    listed = ", ".join(
        f"{names.get(code, code)} ({code}) {percent(share)}"
        for code, share in low.iloc[:WARNING_UNITS].items()
    )
    more = f" and {len(low) - WARNING_UNITS} more" if len(low) > WARNING_UNITS else ""
    return f"{len(low)} {level}(s): {listed}{more}"


def low_coverage_warning(key: RasterKey, parts: Sequence[str], min_coverage: float) -> str:
    """The run's warning for one raster, from the :func:`low_coverage_units` of each level."""
    return (
        f"the {raster_label(key)} raster covers less than {percent(min_coverage)} of "
        f"{'; '.join(parts)}; the values computed from it there are not published (empty, "
        "with the reason in the quality column)."
    )
