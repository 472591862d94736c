"""The households app's indicators for the summary tables (core.figures), declared on its AppConfig;
computed in households/figures.py. Imports no model: the AppConfig loads it before the models."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.figures import STOCK, Indicator
from bangfu.households.choices import Category, MonitorType, Status

_HERE = "bangfu.households.figures"
_HOUSEHOLDS = _("户")

INDICATORS = (
    Indicator("households.total", _("households on the registry"), f"{_HERE}.households_total", unit=_HOUSEHOLDS,
              kind=STOCK, order=10, list_url="households:list"),
    Indicator("households.persons", _("persons on the registry"), f"{_HERE}.persons_total", unit=_("人"), kind=STOCK, order=11,
              list_url="households:list"),
    Indicator("households.monitored", _("monitored households"), f"{_HERE}.monitored_total", unit=_HOUSEHOLDS,
              kind=STOCK, order=12, list_url="households:list"),
    *(Indicator(f"households.status.{status.value}", status.label, f"{_HERE}.households_status_{status.value}",
                unit=_HOUSEHOLDS, kind=STOCK, order=13 + i, list_url="households:list")
      for i, status in enumerate(Status)),
    *(Indicator(f"households.monitor.{kind.value}", kind.label, f"{_HERE}.households_monitor_{kind.value}",
                unit=_HOUSEHOLDS, kind=STOCK, order=20 + i, list_url="households:list")
      for i, kind in enumerate(MonitorType)),
    # Households by category (registered poor, minimum living allowance...; in monitoring: above).
    *(Indicator(f"households.category.{category.value}", category.label,
                f"{_HERE}.households_category_{category.value}", unit=_HOUSEHOLDS, kind=STOCK, order=30 + i,
                list_url="households:list")
      for i, category in enumerate(Category) if category != Category.MONITORED),
)
