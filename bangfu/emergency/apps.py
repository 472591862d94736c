from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.casework.worklist import WorklistSource
from bangfu.core.nav import NavItem
from bangfu.deliveries.priority import PrioritySource


class EmergencyConfig(AppConfig):
    name = "bangfu.emergency"
    label = "emergency"
    verbose_name = _("Emergency work")
    history_models = {"emergency": "emergency.Emergency",
                      "healthcheck": "emergency.HealthCheck", "returnee": "emergency.Returnee",
                      "feveralert": "emergency.FeverAlert", "quarantine": "emergency.Quarantine"}
    nav = (
        NavItem(_("Emergencies"), "emergencies:list", "emergency.view", order=45,
                also_current=("emergencies:*",), more=True),
        NavItem(_("Daily checks"), "emergencies:checks", "check.menu", order=44,
                also_current=("emergencies:check",)),
    )
    # The caseworker's day (casework.worklist): the emergency's daily checks first of all.
    worklist_sections = (WorklistSource("bangfu.emergency.worklist.checks_section", order=10),)
    # A household that changes village (bangfu.households.moves): its checks still to do, returnees
    # and the summary rows of both villages follow it.
    household_moves = ("bangfu.emergency.moves.households_moved",)
    # A household with someone in home quarantine is supplied at the door first (bangfu.deliveries).
    delivery_priorities = (
        PrioritySource("quarantine", _("Quarantine"), "bangfu.emergency.queries.households_in_quarantine"),
    )

    def ready(self) -> None:
        # The daily check's history names its temperatures (a key that is not a model field).
        from bangfu.households import display

        display.EXTRA_LABELS.setdefault("temperatures", _("temperatures"))
