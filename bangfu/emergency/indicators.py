"""The emergency app's indicators for the summary tables (core.figures), declared on its AppConfig;
computed in emergency/figures.py. Imports no model: the AppConfig loads it before the models."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.figures import FLOW, Indicator, Ratio

_HERE = "bangfu.emergency.figures"

INDICATORS = (
    Indicator("emergency.checks_due", _("daily checks due"), f"{_HERE}.checks_due", unit=_("次"), kind=FLOW,
              order=400, list_url="emergencies:checks"),
    Indicator("emergency.checks_done", _("daily checks done"), f"{_HERE}.checks_done", unit=_("次"), kind=FLOW,
              order=401, list_url="emergencies:checks"),
    Indicator("emergency.fevers", _("fevers found"), f"{_HERE}.fevers_found", unit=_("人"), kind=FLOW,
              order=403, list_url="emergencies:checks"),
    Indicator("emergency.returnees", _("returnees arrived"), f"{_HERE}.returnees_arrived", unit=_("人"),
              kind=FLOW, order=404, list_url="emergencies:list"),
)
RATIOS = (
    Ratio("emergency.checks_rate", _("daily check rate"), "emergency.checks_done", "emergency.checks_due",
          order=402),
)
