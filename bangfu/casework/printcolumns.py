"""Other apps' columns on a village's printed daily list (casework village print): the day's daily
check, the deliveries due, each filled in by the app that knows it.

Protocol:

* An app lists its columns on its AppConfig::

      village_print_columns = (PrintColumn(_("Daily check"), "bangfu.emergency.queries.print_checks", order=10),)

* The dotted path names a function ``(household_ids, day) -> dict[household_id, str]``: the cell of
  each household (missing: an empty cell). It runs a fixed number of queries whatever the number
  of households; the list has already checked the user's scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.module_loading import import_string

from bangfu.core.plugins import declared


@dataclass(frozen=True)
class PrintColumn:
    label: Any  # a lazy translation
    function: str  # dotted path of (household_ids, day) -> dict[int, str]
    order: int = 100


@cache
def _columns() -> tuple[tuple[PrintColumn, Any], ...]:
    return tuple((column, import_string(column.function)) for column in declared("village_print_columns"))


def print_columns(household_ids: list[int], day: dt.date) -> list[tuple[Any, dict[int, str]]]:
    """(label, cells by household id) of every declared column."""
    return [(column.label, function(household_ids, day)) for column, function in _columns()]
