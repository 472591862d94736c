"""Why a household's deliveries go first. Deliveries know one reason of their own (a special group);
other apps add theirs by declaring on their AppConfig, as the menu is declared::

    delivery_priorities = (PrioritySource("quarantine", _("Quarantine"),
                                          "bangfu.emergency.queries.households_in_quarantine"),)

The dotted path names a function ``(household_ids) -> set[int]``: those of the households whose
deliveries go first for that reason, in one query however many households are asked about."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import import_string

from bangfu.core.plugins import declared


@dataclass(frozen=True)
class PrioritySource:
    reason: str  # stored in Delivery.priority_reasons
    label: str  # a lazy translation
    households: str


@cache
def _sources() -> tuple[tuple[str, object], ...]:
    return tuple((s.reason, import_string(s.households)) for s in declared("delivery_priorities"))


def declared_priorities(household_ids) -> dict[str, set[int]]:
    """For each declared reason, the households of `household_ids` it holds for (one query each)."""
    ids = list(household_ids)
    return {reason: set(households(ids)) for reason, households in _sources()}


def priority_labels() -> dict[str, str]:
    from bangfu.deliveries.models import PriorityReason

    return {**dict(PriorityReason.choices), **{s.reason: s.label for s in declared("delivery_priorities")}}
