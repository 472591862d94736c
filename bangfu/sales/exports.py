"""The numbers tables as spreadsheets: one sheet, a heading row, the rows, the total."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.sales import queries

TITLES = {
    "buyer": gettext_lazy("By buyer unit"),
    "channel": gettext_lazy("By channel"),
    "week": gettext_lazy("By week"),
    "month": gettext_lazy("By month"),
}


def numbers_xlsx(*, table: str, sales, chosen: queries.SaleFilter) -> bytes:
    from openpyxl import Workbook

    lines = queries.TABLES[table](sales)
    total = queries.totals(sales)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(TITLES[table])[:31])
    period = "–".join(d.isoformat() for d in (chosen.start, chosen.end) if d)
    ws.append([_("Produce sales"), str(TITLES[table]), period])
    ws.append([str(TITLES[table]), _("Sales"), _("Amount (yuan)"), _("Households benefiting")])
    for line in lines:
        ws.append([line.label, line.count, line.amount / 100, line.households])
    ws.append([_("Total"), total.count, total.amount / 100, total.households])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
