"""The dashboard pages: a region's dashboard for a period, and one chart's rows as Excel."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from bangfu.imports.columns import neutralise
from bangfu.reports import dashboards
from bangfu.reports.models import PeriodKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _choice(request: HttpRequest) -> dict:
    """The region, period kind and day asked for (unknown values fall back to the defaults)."""
    kind = request.GET.get("period", "")
    try:
        day = dt.date.fromisoformat(request.GET.get("day", "")[:10])
    except ValueError:
        day = None
    region = request.GET.get("region", "")[:12]
    return {"region": region if region.isdigit() else None,
            "kind": kind if kind in PeriodKind.values else dashboards.DEFAULT_KIND, "day": day}


@login_required
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    choice = _choice(request)
    board = dashboards.dashboard_read(user=request.user, **choice)
    return render(request, "reports/dashboard.html", {
        "board": board, "kinds": PeriodKind.choices, "charts": [chart.as_data() for chart in board.charts],
    })


@login_required
@require_http_methods(["GET"])
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    chart = dashboards.dashboard_chart(user=request.user, chart=request.GET.get("chart", "")[:60], **_choice(request))
    if chart is None:
        raise Http404("no such chart")
    book = Workbook()
    sheet = book.active
    sheet.title = "数据"
    sheet.append([chart.title])
    for row in chart.rows():
        sheet.append([neutralise(value) if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dashboard-{chart.id}.xlsx"'
    return response
