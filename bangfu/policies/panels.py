"""The policies' panel on a household's page (households.panels): what it is entitled to this
period, what arrived, and the gaps."""

from __future__ import annotations

from dataclasses import dataclass

from bangfu.core.permissions import can
from bangfu.policies import queries


@dataclass
class PoliciesPanel:
    household: object
    data: queries.HouseholdPolicies
    template: str = "policies/_household_panel.html"


def policies_panel(user, household) -> PoliciesPanel | None:
    if not can(user, "policy.view"):
        return None
    return PoliciesPanel(household=household, data=queries.household_policies(user, household))
