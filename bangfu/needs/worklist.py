"""The needs' section of the caseworker's day (casework.worklist): needs the office resolved, to call
the household back and confirm (or reopen)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.casework.worklist import SECTION_LIMIT, WorklistSection
from bangfu.needs import queries


def to_confirm_section(caseworker, day) -> WorklistSection | None:
    """One query (and a count only when more than SECTION_LIMIT wait)."""
    rows, count = queries.worklist_to_confirm(caseworker, limit=SECTION_LIMIT)
    if not rows:
        return None
    return WorklistSection(
        key="needs_to_confirm", title=_("Needs to confirm"), template="needs/_worklist_section.html",
        items=rows, count=count,
        api_items=[{
            "need": n.pk, "household": n.household_id, "household_number": n.household.number,
            "head_name": n.household.head_name, "category": n.category, "description": n.description,
            "resolved_at": n.resolved_at.isoformat() if n.resolved_at else None,
        } for n in rows],
    )


def to_confirm_areas(caseworker_id: int):
    """Where the needs the caseworker recorded are, until confirmed: one of a household that is not
    theirs comes back to them to confirm once resolved (casework.worklist, `areas`)."""
    from bangfu.needs.models import OPEN, Need, Status

    return Need.objects.filter(recorded_by_id=caseworker_id, status__in=(*OPEN, Status.RESOLVED)).values_list(
        "region_code")
