"""The casework app's indicators for the summary tables (core.figures), declared on its AppConfig;
computed in casework/figures.py. Imports no model: the AppConfig loads it before the models."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.figures import FLOW, STOCK, Indicator, Ratio

_HERE = "bangfu.casework.figures"

INDICATORS = (
    Indicator("casework.contacts", _("contacts made"), f"{_HERE}.contacts_made", unit=_("次"), kind=FLOW,
              order=100),
    Indicator("casework.contacted", _("households contacted"), f"{_HERE}.households_contacted", unit=_("户"),
              kind=FLOW, order=101),
    Indicator("casework.assessed", _("households assessed"), f"{_HERE}.households_assessed", unit=_("户"),
              kind=STOCK, order=110, list_url="casework:assessments"),
    Indicator("casework.four_met", _("households with all four conditions met"), f"{_HERE}.four_conditions_met",
              unit=_("户"), kind=STOCK, order=111, list_url="casework:assessments"),
)
RATIOS = (
    Ratio("casework.coverage", _("contact coverage"), "casework.contacted", "households.total", order=102),
    Ratio("casework.four_met_rate", _("rate of all four conditions met"), "casework.four_met", "casework.assessed", order=112),
)
