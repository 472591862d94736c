"""The deliveries app's indicators for the summary tables (core.figures), declared on its AppConfig;
computed in deliveries/figures.py. Imports no model: the AppConfig loads it before the models."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.figures import FLOW, Indicator

_HERE = "bangfu.deliveries.figures"

INDICATORS = (
    Indicator("deliveries.delivered", _("deliveries made"), f"{_HERE}.deliveries_delivered", unit=_("次"),
              kind=FLOW, order=500, list_url="deliveries:deliveries"),
    Indicator("deliveries.stock_issued", _("stock issued"), f"{_HERE}.stock_issued", unit=_("件"),
              kind=FLOW, order=501, list_url="deliveries:deliveries"),
)
