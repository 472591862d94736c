"""The figures of the project library for the summary tables (core.figures): projects by stage and
overdue (stock), their budget, what was allocated and paid to date (fen), and the payments of the
period; 支出率 is paid / budget (a Ratio on the AppConfig).

A project counts in one village, so that a township's figure is the sum of its villages': the
village that applied for it, or, for a project a township or the county applied for, the first
(lowest code) of the villages it is built in. A project built in no village counts nowhere."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Sum

from bangfu.core.codes import VILLAGE_LENGTH
from bangfu.core.dates import local_today
from bangfu.projects.models import LedgerEntry, LedgerKind, Project, ProjectVillage, Stage

# The stages grouped as the summary tables show them.
APPLYING = (Stage.PROPOSED, Stage.VILLAGE_NOTICE, Stage.TOWNSHIP_REVIEWED)
APPROVED = (Stage.COUNTY_APPROVED, Stage.ISSUED)
BUILDING = (Stage.BUILDING,)
CHECKING = (Stage.SELF_CHECKED, Stage.TOWNSHIP_ACCEPTED, Stage.COUNTY_CHECKED)
HANDED_OVER = (Stage.HANDED_OVER,)


def project_villages() -> dict[int, str]:
    """{project id: the village it counts in}."""
    found: dict[int, str] = {}
    for pk, code in Project.objects.order_by().values_list("pk", "region_code"):
        if len(code) == VILLAGE_LENGTH:
            found[pk] = code
    rows = (ProjectVillage.objects.exclude(project_id__in=list(found)).order_by("project_id", "region_code")
            .values_list("project_id", "region_code"))
    for pk, code in rows:
        found.setdefault(pk, code)
    return found


def _count(projects, villages: Sequence[str] | None) -> dict[str, int]:
    where = project_villages()
    wanted = set(villages) if villages is not None else None
    counts: dict[str, int] = defaultdict(int)
    for pk in projects.order_by().values_list("pk", flat=True):
        code = where.get(pk)
        if code and (wanted is None or code in wanted):
            counts[code] += 1
    return dict(counts)


def _sum(pairs, villages: Sequence[str] | None) -> dict[str, int]:
    """Sum (project id, fen) pairs by the project's village."""
    where = project_villages()
    wanted = set(villages) if villages is not None else None
    sums: dict[str, int] = defaultdict(int)
    for pk, value in pairs:
        code = where.get(pk)
        if code and (wanted is None or code in wanted):
            sums[code] += value or 0
    return {code: value for code, value in sums.items() if value}


def _stages(stages, villages):
    return _count(Project.objects.filter(stage__in=list(stages)), villages)


def projects_total(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _count(Project.objects.all(), villages)


def projects_applying(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _stages(APPLYING, villages)


def projects_approved(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _stages(APPROVED, villages)


def projects_building(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _stages(BUILDING, villages)


def projects_checking(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _stages(CHECKING, villages)


def projects_handed_over(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _stages(HANDED_OVER, villages)


def projects_overdue(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Projects past their stage's deadline today, not handed over."""
    return _count(Project.objects.exclude(stage=Stage.HANDED_OVER).filter(deadline__lt=local_today()), villages)


def projects_budget(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = Project.objects.order_by().values_list("pk", "budget_central", "budget_province", "budget_city",
                                                  "budget_county", "budget_other")
    return _sum(((pk, sum(parts)) for pk, *parts in rows), villages)


def _ledger(kind: str, villages, *, start: dt.date | None, end: dt.date) -> dict[str, int]:
    rows = LedgerEntry.objects.filter(kind=kind, day__lte=end)
    if start is not None:
        rows = rows.filter(day__gte=start)
    return _sum(rows.order_by().values("project_id").annotate(total=Sum("amount_fen"))
                .values_list("project_id", "total"), villages)


def projects_allocated(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Allocated (下达) to date: every allocation up to the period's last day."""
    return _ledger(LedgerKind.ALLOCATION, villages, start=None, end=end)


def projects_paid(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Paid (拨付) to date: every payment up to the period's last day."""
    return _ledger(LedgerKind.PAYMENT, villages, start=None, end=end)


def projects_paid_in_period(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _ledger(LedgerKind.PAYMENT, villages, start=start, end=end)


def projects_paid_in_period_by_day(*, villages: Sequence[str] | None, start: dt.date,
                                   end: dt.date) -> dict[tuple[str, dt.date], int]:
    """By-day variant (core.figures): the payments of each day, by the project's village."""
    where = project_villages()
    wanted = set(villages) if villages is not None else None
    sums: dict[tuple[str, dt.date], int] = defaultdict(int)
    rows = (LedgerEntry.objects.filter(kind=LedgerKind.PAYMENT, day__gte=start, day__lte=end).order_by()
            .values("project_id", "day").annotate(total=Sum("amount_fen")).values_list("project_id", "day", "total"))
    for pk, day, total in rows:
        code = where.get(pk)
        if code and (wanted is None or code in wanted):
            sums[(code, day)] += total or 0
    return {key: value for key, value in sums.items() if value}
