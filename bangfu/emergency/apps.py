from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.casework.printcolumns import PrintColumn
from bangfu.casework.worklist import WorklistSource
from bangfu.core.nav import NavItem
from bangfu.core.permissions import ALL, EDITORS, OFFICE_UP, STAFF, Role
from bangfu.core.plugins import Step
from bangfu.deliveries.priority import PrioritySource
from bangfu.emergency import indicators


class EmergencyConfig(AppConfig):
    name = "bangfu.emergency"
    label = "emergency"
    verbose_name = _("Emergency work")
    # Pages (bangfu.urls) under this prefix, and API routers (bangfu.api.urls).
    urls = {"emergencies/": "bangfu.emergency.urls"}
    api_routers = {
        "/emergencies": "bangfu.emergency.api.emergencies",
        "/checks": "bangfu.emergency.api.checks",
        "/returnees": "bangfu.emergency.api.returnees",
    }
    permissions = {
        # Emergencies: the township office or the county opens, extends and closes one; caseworkers
        # (and village cadres) do the daily checks and register returnees of their households.
        "emergency.view": STAFF,
        "emergency.manage": OFFICE_UP | {Role.COUNTY},
        # The daily-check list and form: a village volunteer's whole job.
        "check.view": ALL,
        # A menu entry of its own only for those whose whole work is the checks; staff reach the board
        # from the emergency and the caseworker's day.
        "check.menu": frozenset({Role.VOLUNTEER}),
        "check.submit": EDITORS | {Role.CASEWORKER, Role.VOLUNTEER},
        "returnee.register": EDITORS | {Role.CASEWORKER},
        "returnee.reveal_id": OFFICE_UP,
    }
    # The demo (bangfu.ops.demo): an epidemic with today's checks, a fever alert and returnees, last
    # (its fever alert opens a need, and its summary counts the needs).
    demo_steps = (Step("bangfu.emergency.demo.emergency_demo_load", order=40),)
    # A volunteer lands on the day's checks.
    home_pages = {Role.VOLUNTEER: "emergencies:checks"}
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
    # The village's printed daily list (casework.printcolumns): the day's daily check of each household.
    village_print_columns = (PrintColumn(_("Daily check today"), "bangfu.emergency.queries.print_checks", order=10),)
    # The households search (bangfu.households.queries) finds a household by its returnees too.
    household_search = ("bangfu.emergency.queries.returnee_household_ids",)
    household_search_matches = ("bangfu.emergency.queries.returnee_search_matches",)
    # A household with someone in home quarantine is supplied at the door first (bangfu.deliveries).
    delivery_priorities = (
        PrioritySource("quarantine", _("Quarantine"), "bangfu.emergency.queries.households_in_quarantine"),
    )
    # Figures for the summary tables (core.figures): declared in indicators.py, computed in figures.py.
    figure_indicators = indicators.INDICATORS
    figure_ratios = indicators.RATIOS
