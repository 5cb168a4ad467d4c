"""The indicator catalogue: the :class:`Indicator` spec, the ``@indicator`` decorator, plugins.

How an indicator is written
---------------------------
An indicator is a pure function plus a spec. The function receives the
:class:`~observatory.indicators.inputs.Inputs` of a project (finest units, population,
rasters and layers already loaded in memory), the :class:`Period` to compute and the
resolved parameters, and returns **additive components** for every unit of the finest level:
a :class:`pandas.DataFrame` indexed by unit id whose columns can be summed over units
(people, km², people × metres, people per class, ...).

The engine sums these components up the hierarchy (a province's components are the sums of
its communes') and calls the spec's ``finalize`` at every level to turn components into the
``value``. So a ratio at a parent is always ``sum(numerators) / sum(denominators)``, a
growth rate is recomputed from summed populations, and a class is recomputed from summed
population shares: never an average of ratios and never a vote.

Standard finalizers cover the usual kinds:

- ``count``: components ``numerator``; value = numerator.
- ``ratio``: components ``numerator`` and ``denominator``; value = scale × numerator /
  denominator (no value where the denominator is 0 or missing, with the reason in the
  ``quality`` column).

A finalizer may return a text column ``quality``: why a value is left empty (empty text
where the value is published). The engine adds the coverage of raster-based values and
their own flag (:mod:`observatory.quality`).

``rate`` and ``class`` indicators give their own ``finalize``.

Third-party packages add indicators through the entry-point group
``observatory.indicators``: each entry point names a module that defines indicators with
the decorator (importing it registers them).
"""

from __future__ import annotations

import contextlib
import difflib
import inspect
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from observatory.errors import IndicatorOutputError, ParameterError, UnknownIndicatorError

# METRES and SHARE are written with Parameter in @indicator specs, so importable from here too.
from observatory.indicators.parameters import METRES as METRES
from observatory.indicators.parameters import SHARE as SHARE
from observatory.indicators.parameters import Parameter, override_problems
from observatory.messages import _
from observatory.reasons import RATIO_MISSING_BASE, RATIO_MISSING_NUMERATOR, RATIO_ZERO_BASE

log = logging.getLogger(__name__)

PLUGIN_GROUP = "observatory.indicators"
KINDS = ("count", "ratio", "rate", "class")
PERIOD_KINDS = ("year", "latest", "change")
#: The built-in theme modules, imported in this order when the catalogue loads; the catalogue,
#: and so the columns of every output, lists the indicators in the order they registered.
BUILTIN_MODULES = (
    "observatory.indicators.access",
    "observatory.indicators.two_step_catchment",
    "observatory.indicators.population",
    "observatory.indicators.landuse",
    "observatory.indicators.expansion",
    "observatory.indicators.environment",
    "observatory.indicators.urbanisation",
    "observatory.indicators.streets",
)


@dataclass(frozen=True)
class Period:
    """A year (``start`` is None) or a change period from ``start`` to ``end``.

    A change period is any two years, consecutive or not (the engine plans each pair of
    consecutive years and the whole span); rates divide by its own :attr:`years`.
    """

    end: int
    start: int | None = None

    @property
    def label(self) -> str:
        """``2024`` or ``2014_2024``: the suffix of output columns."""
        return str(self.end) if self.start is None else f"{self.start}_{self.end}"

    @property
    def years(self) -> float:
        """Length of a change period in years."""
        if self.start is None:
            raise ValueError(f"period {self.label} is a single year")
        return float(self.end - self.start)


def period_order(label: str) -> tuple[int, int]:
    """Sort key of period labels: by last year, the shorter period first.

    Years in time order; change periods as the engine plans them, the consecutive pairs in
    time order and the whole span last: ``2000_2005``, ``2005_2015``, ``2000_2015``.
    """
    first, _, last = str(label).partition("_")
    end = int(last or first)
    return end, -int(first)


Compute = Callable[..., pd.DataFrame]
Finalize = Callable[[pd.DataFrame, Period, Mapping[str, Any]], pd.DataFrame]


@dataclass(frozen=True)
class Indicator:
    """Metadata and functions of one indicator.

    Attributes
    ----------
    id : str
        Stable snake_case identifier, used in output column names.
    title, description : Mapping[str, str]
        Texts by language: ``en`` and ``fr`` required, ``ar`` for every built-in indicator
        (a plugin without it is titled in English in Arabic outputs).
    unit : str
        Unit of measure of the value (``people``, ``%``, ``km²``, ``% per year``...).
    theme : str
        Catalogue theme (population, land use, urbanisation, access, streets, environment).
    references : tuple of str
        Standards and sources, e.g. ``SDG 11.3.1``.
    method : str
        The formula in words and symbols.
    needs : tuple of str
        Layer roles the indicator needs (see :data:`ROLES`).
    params : tuple of Parameter
        Parameters with defaults.
    kind : {'count', 'ratio', 'rate', 'class'}
    period : {'year', 'latest', 'change'}
        Computed for each available year, for the latest one only (layers without a date,
        such as roads and facilities, describe the present), or for each pair of
        consecutive years and, from three years on, the whole span (first to last year).
    compute : callable
        ``compute(inputs, period, params) -> DataFrame`` of additive components per unit.
    finalize : callable
        ``finalize(components, period, params) -> DataFrame`` with a ``value`` column
        (and optional descriptive columns such as ``regime``).
    years_from : tuple of str
        Roles whose years define the periods (all must have the year).
    component_units : Mapping[str, str]
        Units of the extra numeric columns that ``finalize`` returns (e.g.
        ``unreachable_population`` in people), when they differ from ``unit``.
    compares_cells : tuple of str
        Raster roles whose cells a change indicator compares between its two years: a
        period whose two grids differ is not computed.
    """

    id: str
    title: Mapping[str, str]
    description: Mapping[str, str]
    unit: str
    theme: str
    references: tuple[str, ...]
    method: str
    needs: tuple[str, ...]
    kind: str
    period: str
    compute: Compute
    finalize: Finalize
    years_from: tuple[str, ...] = ()
    params: tuple[Parameter, ...] = field(default_factory=tuple)
    component_units: Mapping[str, str] = field(default_factory=dict)
    compares_cells: tuple[str, ...] = ()

    def components(
        self, inputs: Any, period: Period, params: Mapping[str, Any], units: pd.Index
    ) -> pd.DataFrame:
        """``compute``'s additive components of the ``units``, checked before they are summed.

        Raises
        ------
        IndicatorOutputError
            If ``compute`` returned no DataFrame, one without a column its ``finalize`` reads
            (``numerator`` for a count, and ``denominator`` for a ratio), or one whose rows are
            not indexed by unit id. Each would otherwise end as a Python error deep in the
            engine, or as every unit without a value.
        """
        returned = self.compute(inputs, period, params)
        needed = getattr(self.finalize, "components", ())
        shown = {"id": self.id, "columns": ", ".join(needed)}
        if not isinstance(returned, pd.DataFrame):
            raise IndicatorOutputError(
                _(
                    "indicator '{id}' returned a {type}, not a pandas DataFrame with the "
                    "columns {columns}, indexed by unit id (inputs.units.index).",
                    type=type(returned).__name__,
                    **shown,
                )
            )
        missing = [column for column in needed if column not in returned.columns]
        if missing:
            raise IndicatorOutputError(
                _(
                    "indicator '{id}' returned the columns {returned}, without {missing}: a "
                    "{kind} indicator returns {columns}, which the engine adds up by level "
                    "before making the value.",
                    returned=", ".join(map(str, returned.columns)) or "-",
                    missing=", ".join(missing),
                    kind=self.kind,
                    **shown,
                )
            )
        if len(returned) and len(units) and not returned.index.isin(units).any():
            raise IndicatorOutputError(
                _(
                    "indicator '{id}' returned rows labelled {labels}, none of them a unit id "
                    "(such as {unit}): index its DataFrame by inputs.units.index.",
                    labels=", ".join(map(str, returned.index[:3])),
                    unit=units[0],
                    **shown,
                )
            )
        return returned

    def unit_of(self, column: str) -> str:
        """Unit of the value (``column == "value"``) or of a numeric component column."""
        return self.unit if column == "value" else self.component_units.get(column, self.unit)

    def text(self, key: str, lang: str) -> str:
        """Title or description in ``lang`` (``en``, ``fr``, ``ar``), falling back to English."""
        texts = getattr(self, key)
        return texts.get(lang) or texts["en"]

    def resolve_params(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults updated with ``overrides``.

        Raises
        ------
        ParameterError
            At the first unknown name or wrong value (:meth:`param_problems`).
        """
        problems = self.param_problems(overrides or {})
        if problems:
            name, message, fix = problems[0]
            raise ParameterError(f"indicator '{self.id}': {name} {message}; {fix}.")
        return {p.name: p.default for p in self.params} | dict(overrides or {})

    def param_problems(self, overrides: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        """Every unknown name and wrong value of ``overrides``.

        Each is (``name = value``, what is wrong, how to write it).
        """
        return override_problems(self.params, overrides)

    def metadata(self, lang: str = "en") -> dict[str, Any]:
        """The metadata sheet as plain data (for ``indicators show --json`` and the docs)."""
        return {
            "id": self.id,
            "title": self.text("title", lang),
            "description": self.text("description", lang),
            "unit": self.unit,
            "theme": self.theme,
            "kind": self.kind,
            "period": self.period,
            "references": list(self.references),
            "method": self.method,
            "needs": list(self.needs),
            "component_units": dict(self.component_units),
            "parameters": [
                {"name": p.name, "default": p.default, "description": p.description}
                for p in self.params
            ],
        }


def finalize_count(components: pd.DataFrame, period: Period, params: Mapping[str, Any]):
    """Value = numerator."""
    return pd.DataFrame({"value": components["numerator"]}, index=components.index)


#: The components the finalizer reads, which every unit's components must have.
finalize_count.components = ("numerator",)


#: Why a ratio has no value, by the state of its base (denominator).
RATIO_FLAGS = {
    "zero": RATIO_ZERO_BASE,
    "missing": RATIO_MISSING_BASE,
    "no numerator": RATIO_MISSING_NUMERATOR,
}


def ratio_quality(
    numerator: np.ndarray,
    denominator: np.ndarray,
    *,
    zero: str = RATIO_FLAGS["zero"],
    missing: str = RATIO_FLAGS["missing"],
) -> np.ndarray:
    """The reason of every ratio without a value, empty text elsewhere.

    ``missing`` and ``zero`` for a missing or zero base (by default those of
    :data:`RATIO_FLAGS`), then a missing numerator.
    """
    numerator = np.asarray(numerator, dtype="float64")
    denominator = np.asarray(denominator, dtype="float64")
    return np.select(
        [np.isnan(denominator), denominator == 0, np.isnan(numerator)],
        [missing, zero, RATIO_FLAGS["no numerator"]],
        default="",
    ).astype(object)


def ratio_finalizer(scale: float = 1.0) -> Finalize:
    """A finalizer giving ``scale × numerator / denominator``, with its quality flags.

    NaN where the denominator is 0 or missing, with the reason in ``quality``
    (:func:`ratio_quality`).
    """

    def finalize(components: pd.DataFrame, period: Period, params: Mapping[str, Any]):
        numerator = components["numerator"].to_numpy(dtype="float64")
        denominator = components["denominator"].to_numpy(dtype="float64")
        value = np.full(numerator.shape, np.nan)
        np.divide(numerator, denominator, out=value, where=denominator != 0)
        return pd.DataFrame(
            {"value": value * scale, "quality": ratio_quality(numerator, denominator)},
            index=components.index,
        )

    finalize.components = ("numerator", "denominator")

    return finalize


_REGISTRY: dict[str, Indicator] = {}
_LOADED = False


def indicator(  # noqa: PLR0913 (the spec's fields, keyword-only)
    *,
    id: str,
    title: Mapping[str, str],
    description: Mapping[str, str],
    unit: str,
    theme: str,
    references: tuple[str, ...],
    method: str,
    needs: tuple[str, ...],
    kind: str,
    period: str = "year",
    params: tuple[Parameter, ...] = (),
    finalize: Finalize | None = None,
    scale: float = 1.0,
    years_from: tuple[str, ...] = (),
    component_units: Mapping[str, str] | None = None,
    compares_cells: tuple[str, ...] = (),
) -> Callable[[Compute], Compute]:
    """Register the decorated function as the ``compute`` of a new indicator.

    ``finalize`` defaults to :func:`finalize_count` for counts and to
    ``ratio_finalizer(scale)`` for ratios; rates and classes must give one.
    """
    if kind not in KINDS:
        raise ValueError(f"indicator {id}: kind must be one of {KINDS}, not {kind!r}")
    if period not in PERIOD_KINDS:
        raise ValueError(f"indicator {id}: period must be one of {PERIOD_KINDS}")
    if finalize is None:
        if kind == "count":
            finalize = finalize_count
        elif kind == "ratio":
            finalize = ratio_finalizer(scale)
        else:
            raise ValueError(f"indicator {id}: a {kind} indicator needs its own finalize")
    missing = {"en", "fr"} - set(title) | {"en", "fr"} - set(description)
    if missing:
        raise ValueError(f"indicator {id}: title and description need {sorted(missing)}")

    def register(function: Compute) -> Compute:
        if id in _REGISTRY and source_of(_REGISTRY[id].compute) != source_of(function):
            raise ValueError(
                f"indicator id {id!r} is registered twice: by {source_of(_REGISTRY[id].compute)} "
                f"and by {source_of(function)}; give one of them another id."
            )
        _REGISTRY[id] = Indicator(
            id=id,
            title=dict(title),
            description=dict(description),
            unit=unit,
            theme=theme,
            references=tuple(references),
            method=method,
            needs=tuple(needs),
            kind=kind,
            period=period,
            compute=function,
            finalize=finalize,
            years_from=tuple(years_from),
            params=tuple(params),
            component_units=dict(component_units or {}),
            compares_cells=tuple(compares_cells),
        )
        return function

    return register


def source_of(function: Compute) -> str:
    """Where ``function`` is defined: ``"<qualified name> in <file>"``.

    Two registrations of one id from the same source are one indicator loaded twice (an
    editable plugin imported through its entry point and again from its file, a module
    imported again after an edit): the later one replaces the earlier. From two sources,
    they are two indicators that clash.
    """
    code = getattr(inspect.unwrap(function), "__code__", None)
    file = Path(code.co_filename).resolve() if code is not None else "an unknown file"
    return f"{getattr(function, '__qualname__', repr(function))} in {file}"


def registered_source(indicator_id: str) -> str | None:
    """:func:`source_of` the indicator ``indicator_id`` registered so far, None if none."""
    registered = _REGISTRY.get(indicator_id)
    return None if registered is None else source_of(registered.compute)


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    for module in BUILTIN_MODULES:
        import_module(module)
    for entry_point in entry_points(group=PLUGIN_GROUP):
        try:
            entry_point.load()
        except Exception as error:  # a broken plugin must not break the catalogue
            log.warning("indicator plugin %s could not be loaded: %s", entry_point.value, error)


@contextlib.contextmanager
def isolated_registry() -> Iterator[None]:
    """Indicators registered inside the ``with`` block are forgotten when it ends.

    For checks and tests that import code registering indicators more than once (a
    trainee's plugin, re-run after every edit).
    """
    _load()
    saved = dict(_REGISTRY)
    try:
        yield
    finally:
        _REGISTRY.clear()
        _REGISTRY.update(saved)


def catalogue() -> dict[str, Indicator]:
    """Every registered indicator, built-in and plugin, by id (in registration order)."""
    _load()
    return dict(_REGISTRY)


def get_indicator(indicator_id: str) -> Indicator:
    """The indicator ``indicator_id``; UnknownIndicatorError listing the known ids otherwise."""
    indicators = catalogue()
    if indicator_id not in indicators:
        close = difflib.get_close_matches(str(indicator_id), list(indicators), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise UnknownIndicatorError(
            f"unknown indicator '{indicator_id}'; {hint}run 'observatory indicators list' to "
            f"see the {len(indicators)} available ids."
        )
    return indicators[indicator_id]
