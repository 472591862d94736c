from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import OFFICE_UP, STAFF, Role
from bangfu.core.plugins import Step
from bangfu.households.panels import PanelSource


class MonitoringConfig(AppConfig):
    name = "bangfu.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")
    # Pages (bangfu.urls) under this prefix, and API routers (bangfu.api.urls).
    urls = {"monitoring/": "bangfu.monitoring.urls"}
    api_routers = {
        "/leads": "bangfu.monitoring.api.leads",
        "/monitored": "bangfu.monitoring.api.monitored",
        "/plans": "bangfu.monitoring.api.plans",
        "/flags": "bangfu.monitoring.api.flags",
    }
    # Any cadre records a lead; the township accepts applications, compares and reviews; the village
    # verifies at home, holds the deliberation and the notice; the county decides.
    permissions = {
        "lead.view": STAFF,
        "lead.create": STAFF,
        "lead.import": OFFICE_UP | {Role.COUNTY},
        "lead.accept": OFFICE_UP | {Role.VILLAGE},
        "lead.verify": frozenset({Role.ADMIN, Role.VILLAGE}),
        "lead.compare": OFFICE_UP,
        "lead.deliberate": frozenset({Role.ADMIN, Role.VILLAGE}),
        "lead.publicize": frozenset({Role.ADMIN, Role.VILLAGE}),
        "lead.review": OFFICE_UP,
        "lead.decide": frozenset({Role.ADMIN, Role.COUNTY}),
        "lead.exclude": OFFICE_UP | {Role.COUNTY},
        "monitoring.settings": frozenset({Role.ADMIN, Role.COUNTY}),
        # The plan per household: seen by staff, kept by the village and the township; risk
        # clearance by the identification's roles (village verifies, township reviews, county decides).
        "plan.view": STAFF,
        "plan.edit": OFFICE_UP | {Role.VILLAGE},
        "clearance.verify": frozenset({Role.ADMIN, Role.VILLAGE}),
        "clearance.publicize": frozenset({Role.ADMIN, Role.VILLAGE}),
        "clearance.review": OFFICE_UP,
        "clearance.decide": frozenset({Role.ADMIN, Role.COUNTY}),
        "flag.view": OFFICE_UP | {Role.COUNTY},
    }
    demo_steps = (Step("bangfu.monitoring.demo.monitoring_demo_load", order=50),
                  Step("bangfu.monitoring.demo.plans_demo_load", order=51))
    nav = (
        NavItem(_("Monitoring"), "monitoring:board", "lead.view", order=38, also_current=("monitoring:*",)),
        NavItem(_("Rule flags"), "monitoring:flags", "flag.view", order=39),
    )
    # The household's page (households.panels): its leads, and turning a visit, a call or a daily
    # check into a lead.
    household_panels = (PanelSource("bangfu.monitoring.panels.household_leads_panel", order=8),
                        PanelSource("bangfu.monitoring.panels.household_plan_panel", order=9))
    # A need's page offers to turn it into a monitoring lead (needs.plugins).
    need_panels = (PanelSource("bangfu.monitoring.panels.need_lead_panel", order=50),)
    # On a contact of a periodic risk check (a casework campaign of kind 排查): a risk found becomes a
    # lead of source 干部排查 (casework.contactform).
    contact_form_parts = ("bangfu.monitoring.contactpart.ScreeningPart",)
