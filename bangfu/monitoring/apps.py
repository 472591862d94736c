from django.apps import AppConfig
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bangfu.core.figures import FLOW, STOCK, Indicator, Ratio
from bangfu.core.nav import NavItem
from bangfu.core.permissions import OFFICE_UP, STAFF, Role
from bangfu.core.plugins import Step
from bangfu.households.panels import PanelSource


F = "bangfu.monitoring.figures."
HOUSEHOLDS, PERSONS, LEADS = _("户"), _("人"), _("条")


def _risk_indicators() -> tuple[Indicator, ...]:
    from bangfu.households.choices import Risk

    return tuple(Indicator(f"monitoring.risk.{risk.name.lower()}",
                           format_lazy("{}: {}", _("monitored households at risk"), risk.label),
                           f"{F}risk_{risk.name.lower()}", unit=HOUSEHOLDS, kind=STOCK, order=420 + i)
                 for i, risk in enumerate(Risk))


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
    # The summary tables' figures (bangfu.core.figures; computed in monitoring/figures.py).
    figure_indicators = (
        Indicator("monitoring.households", _("monitored households"), f"{F}monitored_households", unit=HOUSEHOLDS,
                  kind=STOCK, order=400, list_url="monitoring:board"),
        Indicator("monitoring.persons", _("monitored persons"), f"{F}monitored_persons", unit=PERSONS, kind=STOCK,
                  order=401),
        Indicator("monitoring.households.unstable", _("monitored households: unstable after poverty"),
                  f"{F}households_unstable", unit=HOUSEHOLDS, kind=STOCK, order=402),
        Indicator("monitoring.households.marginal", _("monitored households: marginal, easily poor"),
                  f"{F}households_marginal", unit=HOUSEHOLDS, kind=STOCK, order=403),
        Indicator("monitoring.households.sudden_hardship", _("monitored households: sudden severe hardship"),
                  f"{F}households_sudden_hardship", unit=HOUSEHOLDS, kind=STOCK, order=404),
        Indicator("monitoring.persons.unstable", _("monitored persons: unstable after poverty"),
                  f"{F}persons_unstable", unit=PERSONS, kind=STOCK, order=405),
        Indicator("monitoring.persons.marginal", _("monitored persons: marginal, easily poor"),
                  f"{F}persons_marginal", unit=PERSONS, kind=STOCK, order=406),
        Indicator("monitoring.persons.sudden_hardship", _("monitored persons: sudden severe hardship"),
                  f"{F}persons_sudden_hardship", unit=PERSONS, kind=STOCK, order=407),
        *_risk_indicators(),
        Indicator("monitoring.identified", _("households identified as monitored"), f"{F}identified",
                  unit=HOUSEHOLDS, kind=FLOW, order=440),
        Indicator("monitoring.identified_on_time", _("households identified within the deadline"),
                  f"{F}identified_on_time", unit=HOUSEHOLDS, kind=FLOW, order=441),
        Indicator("monitoring.cleared", _("households whose risk was cleared"), f"{F}cleared", unit=HOUSEHOLDS,
                  kind=FLOW, order=442),
        Indicator("monitoring.cleared_total", _("households whose risk is cleared, in all"), f"{F}cleared_total",
                  unit=HOUSEHOLDS, kind=STOCK, order=443),
        Indicator("monitoring.identified_total", _("households ever identified as monitored"),
                  f"{F}identified_total", unit=HOUSEHOLDS, kind=STOCK, order=444),
        Indicator("monitoring.leads.application", _("leads: household applied"), f"{F}leads_application",
                  unit=LEADS, kind=FLOW, order=450),
        Indicator("monitoring.leads.cadre", _("leads: found by a cadre"), f"{F}leads_cadre", unit=LEADS, kind=FLOW,
                  order=451),
        Indicator("monitoring.leads.department", _("leads: flagged by a department"), f"{F}leads_department",
                  unit=LEADS, kind=FLOW, order=452),
        Indicator("monitoring.outcome.included", _("leads included"), f"{F}outcome_included", unit=LEADS,
                  kind=FLOW, order=453),
        Indicator("monitoring.outcome.already", _("leads already monitored"), f"{F}outcome_already", unit=LEADS,
                  kind=FLOW, order=454),
        Indicator("monitoring.outcome.not_eligible", _("leads not eligible"), f"{F}outcome_not_eligible",
                  unit=LEADS, kind=FLOW, order=455),
        Indicator("monitoring.leads_overdue", _("open leads overdue"), f"{F}leads_overdue", unit=LEADS, kind=STOCK,
                  order=456, list_url="monitoring:board"),
    )
    figure_ratios = (
        Ratio("monitoring.clearance_rate", _("risk clearance rate"), "monitoring.cleared_total",
              "monitoring.identified_total", order=445),
        Ratio("monitoring.on_time_rate", _("identified within the deadline"), "monitoring.identified_on_time",
              "monitoring.identified", order=446),
    )
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
