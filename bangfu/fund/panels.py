"""The fund's panel on a household's page: the agreements of its elders, with each one's balance."""

from __future__ import annotations

from dataclasses import dataclass

from bangfu.core.permissions import can
from bangfu.fund import queries


@dataclass
class AgreementsPanel:
    agreements: list
    template: str = "fund/_household_panel.html"


def agreements_panel(user, household) -> AgreementsPanel | None:
    """One query: the household's agreements (none: no panel)."""
    if not can(user, "fund.view"):
        return None
    agreements = list(queries.agreements_for(user, household_id=household.pk).select_related(None)
                      .select_related("elder").prefetch_related(None))
    return AgreementsPanel(agreements=agreements) if agreements else None
