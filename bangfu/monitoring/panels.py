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
