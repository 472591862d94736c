from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.casework.worklist import WorklistSource
from bangfu.core.nav import NavItem
from bangfu.history.tracked import Keys


class EmergencyConfig(AppConfig):
    name = "bangfu.emergency"
    label = "emergency"
    verbose_name = _("Emergency work")
    history_models = {"delivery": "emergency.Delivery", "emergency": "emergency.Emergency",
                      "healthcheck": "emergency.HealthCheck", "returnee": "emergency.Returnee",
                      "feveralert": "emergency.FeverAlert", "quarantine": "emergency.Quarantine"}
    # How their keys read on a timeline: the daily check's temperatures, a delivery's cost. Both
    # move onto the models' `history = Tracked(...)` (history.tracked) when they declare one.
    history_keys = Keys(labels={"temperatures": _("temperatures")}, money=frozenset({"cost"}))
    nav = (
        NavItem(_("Deliveries"), "emergency:deliveries", "delivery.view", order=50,
                also_current=("emergency:*",)),
        NavItem(_("Emergencies"), "emergencies:list", "emergency.view", order=45,
                also_current=("emergencies:*",), more=True),
        NavItem(_("Daily checks"), "emergencies:checks", "check.menu", order=44,
                also_current=("emergencies:check",)),
    )
    # The caseworker's day (casework.worklist): the emergency's daily checks first, deliveries later.
    worklist_sections = (
        WorklistSource("bangfu.emergency.worklist.checks_section", order=10),
        WorklistSource("bangfu.emergency.worklist.deliveries_section", order=50,
                       areas="bangfu.emergency.worklist.deliveries_areas"),
    )
    # A household that changes village (bangfu.households.moves): its checks still to do, returnees,
    # open deliveries and the summary rows of both villages follow it.
    household_moves = ("bangfu.emergency.moves.households_moved",)
