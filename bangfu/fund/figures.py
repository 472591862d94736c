"""The figures of the filial-piety fund for the summary tables (core.figures): councils and the
agreements in force (stock), the contributions received, the match added and the payouts of the
period (fen), and the agreements in arrears with what they owe (stock, as of today)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q, Sum

from bangfu.core.dates import local_today
from bangfu.fund.models import Agreement, AgreementStatus, Council, Entry, EntryKind
from bangfu.fund.queries import months_due


def _within(rows, villages: Sequence[str] | None):
    rows = rows.order_by()
    return rows if villages is None else rows.filter(region_code__in=list(villages))


def _by_village(rows, value) -> dict[str, int]:
    return {row["region_code"]: int(row["value"]) for row in rows.values("region_code").annotate(value=value)
            if row["value"]}


def fund_councils(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _by_village(_within(Council.objects.all(), villages), Count("pk"))


def fund_agreements(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Agreements in force."""
    return _by_village(_within(Agreement.objects.filter(status=AgreementStatus.ACTIVE), villages), Count("pk"))


def _entries(kind: str, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = _within(Entry.objects.filter(kind=kind, on__gte=start, on__lte=end), villages)
    return _by_village(rows, Sum("amount"))


def fund_contributions(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _entries(EntryKind.CONTRIBUTION, villages, start, end)


def fund_match(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _entries(EntryKind.MATCH, villages, start, end)


def fund_payouts(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _entries(EntryKind.PAYOUT, villages, start, end)


def _owed(villages) -> dict[str, list[int]]:
    """{village: [what each agreement in arrears owes, in fen]} today (fund.queries.arrears' rule)."""
    today = local_today()
    rows = (_within(Agreement.objects.filter(status=AgreementStatus.ACTIVE), villages)
            .annotate(paid=Sum("entries__amount", filter=Q(entries__kind=EntryKind.CONTRIBUTION), default=0))
            .values_list("region_code", "monthly_amount", "starts_on", "paid"))
    found: dict[str, list[int]] = defaultdict(list)
    for code, monthly, starts_on, paid in rows:
        due = monthly * months_due(starts_on, today)
        if paid < due:
            found[code].append(due - paid)
    return found


def fund_arrears(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Agreements in force whose children paid less than was due to date."""
    return {code: len(owed) for code, owed in _owed(villages).items()}


def fund_arrears_amount(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return {code: sum(owed) for code, owed in _owed(villages).items()}


# By-day variants (core.figures).
def _entries_by_day(kind: str, villages, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    rows = _within(Entry.objects.filter(kind=kind, on__gte=start, on__lte=end), villages)
    return {(row["region_code"], row["on"]): int(row["value"])
            for row in rows.values("region_code", "on").annotate(value=Sum("amount")) if row["value"]}


def fund_contributions_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return _entries_by_day(EntryKind.CONTRIBUTION, villages, start, end)


def fund_match_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return _entries_by_day(EntryKind.MATCH, villages, start, end)


def fund_payouts_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return _entries_by_day(EntryKind.PAYOUT, villages, start, end)
