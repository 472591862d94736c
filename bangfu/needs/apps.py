from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.casework.worklist import WorklistSource
from bangfu.core.nav import NavItem
from bangfu.core.permissions import OFFICE_UP, STAFF, Role
from bangfu.core.plugins import Step
from bangfu.households.panels import PanelSource
from bangfu.needs import indicators


class NeedsConfig(AppConfig):
    name = "bangfu.needs"
    label = "needs"
    verbose_name = _("Needs")
    # Pages (bangfu.urls) under this prefix, and API routers (bangfu.api.urls).
    urls = {"needs/": "bangfu.needs.urls"}
    api_routers = {"/needs": "bangfu.needs.api.router"}
    # A caseworker (or village cadre) records, reports and confirms; the township office assigns and
    # resolves, and may record (what it records is reported at once).
    permissions = {
        "need.view": STAFF,
        "need.create": OFFICE_UP | {Role.VILLAGE, Role.CASEWORKER},
        "need.report": frozenset({Role.ADMIN, Role.VILLAGE, Role.CASEWORKER}),
        "need.assign": OFFICE_UP,
        # The office resolves; the owner of a measure and a caseworker who solves a need themselves
        # resolve theirs (workflow.may).
        "need.resolve": OFFICE_UP | {Role.VILLAGE, Role.CASEWORKER},
        "need.confirm": frozenset({Role.ADMIN, Role.VILLAGE, Role.CASEWORKER}),
        "need.reopen": frozenset({Role.ADMIN, Role.VILLAGE, Role.CASEWORKER}),
        "need.settings": OFFICE_UP,
    }
    # The demo (bangfu.ops.demo): needs in every state, some overdue and escalated.
    demo_steps = (Step("bangfu.needs.demo.demo_needs", order=30),)
    # The office lands on the needs waiting for it; the county on the needs' numbers.
    home_pages = {Role.COUNTY: "needs:numbers"}
    nav = (
        NavItem(_("Needs"), "needs:board", "need.view", order=35, also_current=("needs:*",)),
    )
    # The household's page shows its open needs (households.panels), before its contacts.
    household_panels = (PanelSource("bangfu.needs.panels.needs_panel", order=5),)
    # Each person's day (casework.worklist): needs to assign (the office), measures assigned to
    # them, resolved needs to call back and confirm, needs recorded and not reported.
    worklist_sections = (
        WorklistSource("bangfu.needs.worklist.to_assign_section", order=12),
        WorklistSource("bangfu.needs.worklist.assigned_section", order=14,
                       areas="bangfu.needs.worklist.assigned_areas"),
        WorklistSource("bangfu.needs.worklist.to_confirm_section", order=15,
                       areas="bangfu.needs.worklist.to_confirm_areas"),
        WorklistSource("bangfu.needs.worklist.not_reported_section", order=16),
    )
    # A need heard on a call or visit, recorded on the contact form (casework.contactform).
    contact_form_parts = ("bangfu.needs.contactpart.NeedPart",)
    # A household that changes village (bangfu.households.moves): its needs and the numbers follow.
    household_moves = ("bangfu.needs.services.households_moved",)
    # Figures for the summary tables (core.figures): declared in indicators.py, computed in figures.py.
    figure_indicators = indicators.INDICATORS
