"""The prints' panel on a household's page: the link to its file (一户一档) as PDF. No query."""

from __future__ import annotations

from dataclasses import dataclass

from bangfu.core.permissions import can


@dataclass
class PrintPanel:
    household_id: int
    template: str = "briefings/_household_panel.html"


def print_panel(user, household) -> PrintPanel | None:
    return PrintPanel(household_id=household.pk) if can(user, "print.household") else None
