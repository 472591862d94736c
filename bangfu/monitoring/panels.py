"""The panel on a need's page (needs.plugins): turn the need into a monitoring lead."""

from __future__ import annotations

from dataclasses import dataclass

from bangfu.core.permissions import can
from bangfu.monitoring.models import Lead


@dataclass
class NeedLeadPanel:
    need: object
    lead: Lead | None
    template: str = "monitoring/_need_panel.html"


def need_lead_panel(user, need) -> NeedLeadPanel | None:
    if not can(user, "lead.create"):
        return None
    lead = Lead.objects.visible_to(user).filter(need=need).order_by("-pk").first()
    return NeedLeadPanel(need=need, lead=lead)


@dataclass
class HouseholdLeadsPanel:
    household: object
    leads: list[Lead]
    template: str = "monitoring/_household_panel.html"


def household_leads_panel(user, household) -> HouseholdLeadsPanel | None:
    """The household's monitoring leads (its identification's stage), and a way to record one from
    a visit, a call or a daily check. One query."""
    if not can(user, "lead.view"):
        return None
    leads = list(Lead.objects.visible_to(user).filter(household=household).order_by("-received_on", "-pk")[:5])
    return HouseholdLeadsPanel(household=household, leads=leads)


@dataclass
class HouseholdPlanPanel:
    household: object
    total: int
    open: int
    flags: list
    template: str = "monitoring/_plan_panel.html"


def household_plan_panel(user, household) -> HouseholdPlanPanel | None:
    """A monitored household's plan in brief (measures open of all) and its rule flags; shown for a
    household that is monitored or has a plan."""
    from django.db.models import Count, Q

    from bangfu.monitoring.models import OPEN_MEASURE_STATUSES, Flag, PlanMeasure

    if not can(user, "plan.view"):
        return None
    counts = PlanMeasure.objects.visible_to(user).filter(household=household).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_MEASURE_STATUSES)))
    monitored = any(c.category == "monitored" for c in household.categories.all())
    if not counts["total"] and not monitored:
        return None
    flags = list(Flag.objects.visible_to(user).filter(household=household).order_by("rule"))
    return HouseholdPlanPanel(household=household, total=counts["total"], open=counts["open"], flags=flags)
