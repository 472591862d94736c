"""The needs' panel on a household's page (households.panels): its open needs, and the way to
record one."""

from __future__ import annotations

from dataclasses import dataclass

from bangfu.needs import queries
from bangfu.needs.models import Need


@dataclass
class NeedsPanel:
    household: object
    needs: list[Need]
    template: str = "needs/_household_needs.html"


def needs_panel(user, household) -> NeedsPanel:
    """One query: the household's open needs."""
    return NeedsPanel(household=household, needs=queries.open_needs_of(user, household.pk))
