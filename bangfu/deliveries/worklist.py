"""Deliveries in the caseworker's day (casework.worklist): open deliveries and errands, priority
first (order 50)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.casework.worklist import SECTION_LIMIT, WorklistSection
from bangfu.deliveries import queries
from bangfu.deliveries.models import OPEN_STATUSES, Delivery


def deliveries_section(caseworker, day) -> WorklistSection | None:
    """One query (and a count only beyond SECTION_LIMIT): the caseworker's open deliveries and errands."""
    rows = queries.worklist_deliveries(caseworker, limit=SECTION_LIMIT + 1)
    if not rows:
        return None
    count = len(rows)
    if count > SECTION_LIMIT:
        count = queries.deliveries_filtered(
            caseworker, queries.DeliveryFilter(status="open", caseworker=caseworker.pk)).count()
    return WorklistSection(
        key="deliveries", title=_("Deliveries and errands"), template="deliveries/_section_deliveries.html",
        items=rows[:SECTION_LIMIT], count=count,
        api_items=[{
            "delivery": d.pk, "household": d.household_id, "household_number": d.household.number,
            "head_name": d.household.head_name, "what": d.what, "status": d.status, "priority": d.priority,
        } for d in rows[:SECTION_LIMIT]],
    )


def deliveries_areas(caseworker_id: int):
    """Where the caseworker's open deliveries are: the office may give them one of a household
    that is not theirs (casework.worklist, `areas`)."""
    return Delivery.objects.filter(caseworker_id=caseworker_id, status__in=OPEN_STATUSES).values_list("region_code")
