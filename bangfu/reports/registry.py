"""Every app's indicators and ratios (core.figures), read from their AppConfigs, keys checked."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from bangfu.core.figures import STOCK, Indicator, Ratio
from bangfu.core.plugins import declared


@cache
def indicators() -> dict[str, Indicator]:
    """Every declared indicator by key, in dashboard order."""
    table = _unique(declared("figure_indicators"), "figure_indicators")
    for indicator in table.values():
        if not isinstance(indicator, Indicator):
            raise ImproperlyConfigured(f"figure_indicators holds {indicator!r}, not a core.figures.Indicator")
    return table


@cache
def ratios() -> dict[str, Ratio]:
    """Every declared ratio by key; its two indicators must be declared."""
    table = _unique(declared("figure_ratios"), "figure_ratios")
    known = indicators()
    for ratio in table.values():
        if ratio.key in known:
            raise ImproperlyConfigured(f"{ratio.key!r} is declared both as an indicator and as a ratio")
        for part in (ratio.numerator, ratio.denominator):
            if part not in known:
                raise ImproperlyConfigured(f"ratio {ratio.key!r} reads {part!r}, which no app declares")
    return table


def compute_function(indicator: Indicator) -> Callable:
    return import_string(indicator.compute)


@cache
def by_day(indicator: Indicator) -> Callable | None:
    """The flow's by-day variant (core.figures): `<compute>_by_day` beside its compute function, or None."""
    if indicator.kind == STOCK:
        return None
    try:
        return import_string(f"{indicator.compute}_by_day")
    except ImportError:
        return None


def registry_check() -> None:
    """At start (ReportsConfig.ready): keys unique, ratios over declared indicators, every compute
    function importable is left to the first rebuild (importing it loads models)."""
    indicators()
    ratios()


def _unique(items, attribute: str) -> dict:
    table: dict = {}
    for item in items:
        if item.key in table:
            raise ImproperlyConfigured(f"{attribute}: the key {item.key!r} is declared twice")
        table[item.key] = item
    return table
