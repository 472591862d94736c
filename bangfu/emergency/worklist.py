"""Emergency work in the caseworker's day (casework.worklist): the daily checks not done yet today,
first of all (order 10); open deliveries and errands, priority first (order 50)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.casework.worklist import SECTION_LIMIT, WorklistSection
from bangfu.emergency import queries


def checks_section(caseworker, day) -> WorklistSection | None:
    """One query (and a count only beyond SECTION_LIMIT)."""
    rows, count = queries.worklist_checks(caseworker, day, limit=SECTION_LIMIT)
    if not rows:
        return None
    return WorklistSection(
        key="emergency_checks", title=_("Daily checks"), template="emergency/_section_checks.html",
        items=rows, count=count,
        api_items=[{
            "check": c.pk, "household": c.household_id, "household_number": c.household.number,
            "head_name": c.household.head_name, "village": c.household.region.name,
            "emergency": c.emergency_id, "day": c.day.isoformat(),
        } for c in rows],
    )


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
        key="deliveries", title=_("Deliveries and errands"), template="emergency/_section_deliveries.html",
        items=rows[:SECTION_LIMIT], count=count,
        api_items=[{
            "delivery": d.pk, "household": d.household_id, "household_number": d.household.number,
            "head_name": d.household.head_name, "what": d.what, "status": d.status, "priority": d.priority,
        } for d in rows[:SECTION_LIMIT]],
    )


def deliveries_areas(caseworker_id: int):
    """Where the caseworker's open deliveries are: the office may give them one of a household
    that is not theirs (casework.worklist, `areas`)."""
    from bangfu.emergency.models import OPEN_STATUSES, Delivery

    return Delivery.objects.filter(caseworker_id=caseworker_id, status__in=OPEN_STATUSES).values_list("region_code")
