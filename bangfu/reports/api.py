"""GET /api/figures: the summary figures of a region and a period the caller may see, with the
time they are current to."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router

from bangfu.core.dates import local_today
from bangfu.core.errors import COMMON_RESPONSES, FieldErrors
from bangfu.core.permissions import require
from bangfu.reports import queries, registry
from bangfu.reports.models import PeriodKind
from bangfu.reports.periods import period_end, period_start
from bangfu.reports.schemas import FiguresOut

router = Router(tags=["reports"])


@router.get("", response={200: FiguresOut, **COMMON_RESPONSES}, summary="Summary figures of a region and period")
def figures_get(request, region: str | None = Query(None, min_length=2, max_length=12, pattern=r"^[0-9]+$",
                                                   description="a region code (default: the caller's own area)"),
                period: str = Query("day", max_length=5, pattern=r"^(day|week|month|year)$"),
                start: dt.date | None = Query(None, description="a day in the period (default today)"),
                indicator: list[str] = Query([], max_length=60, description="only these keys (repeatable)")):
    """Every indicator and ratio of `region` for the period of `period` containing `start`: the
    region must be within the caller's area (else 404). Ratios are percentages (null when their
    denominator is 0); money is in fen. `as_of`: the figures hold what was recorded before then."""
    require(request.auth, "figure.view")
    region = region or request.auth.scope
    if not region:  # an administrator has no area of their own
        raise FieldErrors({"region": [_("Name the region.")]})
    day = start or local_today()
    found = queries.region_check(request.auth, region)
    figures = queries.figures_for(user=request.auth, region=region, kind=period, start=day)
    keys = list(figures) if not indicator else indicator
    unknown = [key for key in keys if key not in figures]
    if unknown:
        raise Http404("no such indicator")
    indicators, ratios = registry.indicators(), registry.ratios()
    out = []
    for key in keys:
        item = indicators.get(key) or ratios[key]
        out.append({"key": key, "label": str(item.label), "unit": str(getattr(item, "unit", "")) or "%",
                    "value": figures[key], "money": getattr(item, "money", False), "ratio": key in ratios})
    first = period_start(period, day)
    return {"region": region, "region_name": found.name, "period": PeriodKind(period).value, "start": first,
            "end": period_end(period, first), "as_of": figures.computed_at,
            "as_of_label": queries.as_of_label(figures.computed_at), "figures": out}
