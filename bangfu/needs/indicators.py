"""The needs app's indicators for the summary tables (core.figures), declared on its AppConfig;
computed in needs/figures.py. Imports no model: the AppConfig loads it before the models."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.figures import FLOW, STOCK, Indicator

_HERE = "bangfu.needs.figures"

INDICATORS = (
    Indicator("needs.reported", _("needs reported"), f"{_HERE}.needs_reported", unit=_("件"), kind=FLOW,
              order=300, list_url="needs:board"),
    Indicator("needs.resolved", _("needs resolved"), f"{_HERE}.needs_resolved", unit=_("件"), kind=FLOW,
              order=301, list_url="needs:board"),
    Indicator("needs.open", _("open needs"), f"{_HERE}.needs_open", unit=_("件"), kind=STOCK,
              order=302, list_url="needs:board"),
    Indicator("needs.overdue", _("open needs past their deadline"), f"{_HERE}.needs_overdue", unit=_("件"),
              kind=STOCK, order=303, list_url="needs:board"),
)
