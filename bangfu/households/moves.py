"""When households change village or caseworker: other apps' rows kept by village or by caseworker
(summary rows, due follow-ups, needs) follow them, declared the way the menu is.

An app lists what it does on its AppConfig::

    household_moves = ("bangfu.casework.moves.households_moved",)

The dotted path names a function ``(moves: list[HouseholdMove]) -> None``. The households' own
services (household_update, assignment_set, the Excel import) call every declared function after
saving the households, inside their transaction, with all the households one write moved, so a
function runs a fixed number of queries per call whatever the number of households. It writes no
history: the household's own change is the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import import_string

from bangfu.core.plugins import declared
from bangfu.history.services import areas_touch


@dataclass(frozen=True)
class HouseholdMove:
    household_id: int
    old_region_code: str
    new_region_code: str
    old_caseworker_id: int | None
    new_caseworker_id: int | None

    @property
    def region_changed(self) -> bool:
        return self.old_region_code != self.new_region_code

    @property
    def caseworker_changed(self) -> bool:
        return self.old_caseworker_id != self.new_caseworker_id


@cache
def _hooks():
    return [import_string(path) for path in declared("household_moves")]


def households_moved(moves: list[HouseholdMove]) -> None:
    """Tell the apps that keep rows by village or caseworker; a move that changes nothing is dropped."""
    moves = [move for move in moves if move.region_changed or move.caseworker_changed]
    if not moves:
        return
    # The household's change is recorded in its new village; the pages of the one it left change too.
    areas_touch(move.old_region_code for move in moves if move.region_changed)
    for hook in _hooks():
        hook(moves)
