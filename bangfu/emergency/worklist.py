"""Emergency work in the caseworker's day (casework.worklist): the daily checks not done yet today,
first of all (order 10)."""

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
