from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.casework.worklist import WorklistSource
from bangfu.core.nav import NavItem
from bangfu.deliveries.priority import PrioritySource
from bangfu.history.tracked import Keys


class EmergencyConfig(AppConfig):
    name = "bangfu.emergency"
    label = "emergency"
    verbose_name = _("Emergency work")
    history_models = {"emergency": "emergency.Emergency",
                      "healthcheck": "emergency.HealthCheck", "returnee": "emergency.Returnee",
                      "feveralert": "emergency.FeverAlert", "quarantine": "emergency.Quarantine"}
    # How their keys read on a timeline: the daily check's temperatures. It moves onto the model's
    # `history = Tracked(...)` (history.tracked) when it declares one.
    history_keys = Keys(labels={"temperatures": _("temperatures")})
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
