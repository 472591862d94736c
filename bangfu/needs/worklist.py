"""The needs' sections of each person's day (casework.worklist): what waits for them. The office:
needs reported to it, to assign. An owner: the measures assigned to them, to carry out and resolve.
A caseworker: resolved needs to call back and confirm (or reopen), and the needs they recorded and
have not reported."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.casework.worklist import SECTION_LIMIT, WorklistSection
from bangfu.core.permissions import can
from bangfu.needs import queries

TEMPLATE = "needs/_worklist_section.html"


def _api_items(rows) -> list[dict]:
    return [{
        "need": n.pk, "household": n.household_id, "household_number": n.household.number,
        "head_name": n.household.head_name, "category": n.category, "description": n.description,
        "status": n.status, "urgency": n.urgency, "deadline_at": n.deadline_at.isoformat(),
        "resolved_at": n.resolved_at.isoformat() if n.resolved_at else None,
    } for n in rows]


def _section(key: str, title: str, rows, count, action: str = "") -> WorklistSection | None:
    if not rows:
        return None
    section = WorklistSection(key=key, title=title, template=TEMPLATE, items=rows, count=count,
                              api_items=_api_items(rows))
    section.action = action  # the step each row waits for, named on its button
    return section


def to_assign_section(user, day) -> WorklistSection | None:
    """The office's: needs reported to it or open again, most pressing first. One query (none for
    a user who does not assign)."""
    if not can(user, "need.assign"):
        return None
    rows, count = queries.worklist_to_assign(user, limit=SECTION_LIMIT)
    return _section("needs_to_assign", _("Needs to assign"), rows, count, action="assign")


def assigned_section(user, day) -> WorklistSection | None:
    """The measures assigned to this user and not resolved yet. One query."""
    rows, count = queries.worklist_assigned(user, limit=SECTION_LIMIT)
    return _section("needs_assigned", _("Measures assigned to you"), rows, count, action="resolve")


def to_confirm_section(caseworker, day) -> WorklistSection | None:
    """One query (and a count only when more than SECTION_LIMIT wait)."""
    rows, count = queries.worklist_to_confirm(caseworker, limit=SECTION_LIMIT)
    return _section("needs_to_confirm", _("Needs to confirm"), rows, count, action="confirm")


def not_reported_section(user, day) -> WorklistSection | None:
    """Needs the caseworker recorded (or of their households) that wait with them: kept to solve
    themselves, or not reported yet. One query."""
    if not can(user, "need.report"):
        return None
    rows, count = queries.worklist_not_reported(user, limit=SECTION_LIMIT)
    return _section("needs_not_reported", _("Needs not reported"), rows, count, action="report")


def to_confirm_areas(caseworker_id: int):
    """Where the needs the caseworker recorded are, until confirmed: one of a household that is not
    theirs comes back to them to confirm once resolved (casework.worklist, `areas`)."""
    from bangfu.needs.models import OPEN, Need, Status

    return Need.objects.filter(recorded_by_id=caseworker_id, status__in=(*OPEN, Status.RESOLVED)).values_list(
        "region_code")


def assigned_areas(user_id: int):
    """Where the measures assigned to the user are (casework.worklist, `areas`)."""
    from bangfu.needs.models import Need, Status

    return Need.objects.filter(owner_id=user_id, status=Status.ASSIGNED).values_list("region_code")
