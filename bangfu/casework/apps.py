from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.casework import indicators
from bangfu.casework.worklist import WorklistSource
from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, OFFICE_UP, STAFF, Role
from bangfu.core.plugins import Step
from bangfu.households.panels import PanelSource


class CaseworkConfig(AppConfig):
    name = "bangfu.casework"
    label = "casework"
    verbose_name = _("Casework")
    # Pages (bangfu.urls) under this prefix, and API routers (bangfu.api.urls).
    urls = {"casework/": "bangfu.casework.urls"}
    api_routers = {"": "bangfu.casework.api.router"}
    # A contact is logged by whoever made it; campaigns and schedules are the office's.
    permissions = {
        "contact.create": EDITORS | {Role.CASEWORKER},
        "contact.view": STAFF,
        "campaign.view": STAFF,
        "campaign.manage": OFFICE_UP,
        "schedule.manage": OFFICE_UP,
        # One's own day: a caseworker's calls and checks; the office's and a village cadre's needs
        # to assign and measures to carry out (the needs' sections).
        "worklist.view": EDITORS | {Role.CASEWORKER},
        "worklist.view_others": EDITORS | {Role.COUNTY},
        "assessment.view": STAFF,
    }
    # Where these roles land after logging in (core.permissions.home_url_name): a caseworker's day,
    # a village cadre's caseworkers' days.
    home_pages = {Role.CASEWORKER: "casework:worklist", Role.TOWNSHIP_OFFICE: "casework:worklist",
                  Role.VILLAGE: "casework:worklists"}
    nav = (
        NavItem(_("Today"), "casework:worklist", "worklist.view", order=5, also_current=("casework:contact_add",)),
        NavItem(_("Caseworkers' day"), "casework:worklists", "worklist.view_others", order=30,
                also_current=("casework:worklist_of", "casework:worklist_print_of", "casework:village_print_pick",
                              "casework:village_print")),
        NavItem(_("Campaigns"), "casework:campaigns", "campaign.view", order=40,
                also_current=("casework:campaign_detail", "casework:campaign_create")),
        NavItem(_("Four conditions"), "casework:assessments", "assessment.view", order=50, more=True),
        NavItem(_("Schedules"), "casework:schedules", "schedule.manage", order=60, more=True),
    )
    # The caseworker's day: see bangfu.casework.worklist for the protocol.
    worklist_sections = (
        WorklistSource("bangfu.casework.worklist.overdue_section", order=20),
        WorklistSource("bangfu.casework.worklist.campaign_section", order=30),
        WorklistSource("bangfu.casework.worklist.due_section", order=40),
    )
    # Other apps' household pages: see bangfu.households.panels.
    household_panels = (PanelSource("bangfu.casework.panels.contacts_panel", order=10),)
    # The demo (bangfu.ops.demo): 蓝村's phone campaign, home visits and today's follow-ups, first of the
    # apps' parts, on the households and users the demo made.
    demo_steps = (Step("bangfu.casework.demo.demo_casework", order=10),)
    # `bangfu synth`: a year of contacts and today's due follow-ups for the new households.
    synth_steps = (Step("bangfu.casework.synthetic.synth_casework"),)
    # A household that changes village or caseworker (bangfu.households.moves): its summary rows,
    # open follow-ups and campaign coverage follow it.
    household_moves = ("bangfu.casework.moves.households_moved",)
    # Figures for the summary tables (core.figures): declared in indicators.py, computed in figures.py.
    figure_indicators = indicators.INDICATORS
    figure_ratios = indicators.RATIOS
