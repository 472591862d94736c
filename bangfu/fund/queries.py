"""Every read of the fund, starting at a scope door: councils by the user's area, agreements and
ledger lines by the elder's household (Household.objects.visible_to)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.http import Http404

from bangfu.core.dates import local_today
from bangfu.fund.models import Agreement, AgreementStatus, Council, Entry, EntryKind


@dataclass(frozen=True)
class Totals:
    contributions: int = 0
    match: int = 0
    payouts: int = 0

    @property
    def received(self) -> int:
        return self.contributions + self.match

    @property
    def balance(self) -> int:
        return self.contributions + self.match - self.payouts


def percent_text(percent) -> str:
    """10.00 -> "10", 12.50 -> "12.5" (never 1E+1)."""
    return format(percent.normalize(), "f")


def _sums(entries) -> Totals:
    sums = entries.aggregate(
        contributions=Sum("amount", filter=Q(kind=EntryKind.CONTRIBUTION), default=0),
        match=Sum("amount", filter=Q(kind=EntryKind.MATCH), default=0),
        payouts=Sum("amount", filter=Q(kind=EntryKind.PAYOUT), default=0))
    return Totals(**sums)


def councils_for(user):
    """The councils in the user's area, each with its agreements counted."""
    return (Council.objects.visible_to(user).select_related("village")
            .annotate(agreement_count=Count("agreements", distinct=True)).order_by("region_code"))


def council_get(user, pk: int) -> Council:
    council = Council.objects.visible_to(user).select_related("village").filter(pk=pk).first()
    if council is None:
        raise Http404("no such council")
    return council


def council_totals(council: Council) -> Totals:
    """The whole council's ledger (a public notice shows all of it, whoever reads it)."""
    return _sums(Entry.objects.filter(council=council))


def totals_by_council(councils: list[Council]) -> dict[int, Totals]:
    rows = (Entry.objects.filter(council__in=councils).values("council_id")
            .annotate(contributions=Sum("amount", filter=Q(kind=EntryKind.CONTRIBUTION), default=0),
                      match=Sum("amount", filter=Q(kind=EntryKind.MATCH), default=0),
                      payouts=Sum("amount", filter=Q(kind=EntryKind.PAYOUT), default=0)))
    found = {row.pop("council_id"): Totals(**row) for row in rows}
    return {council.pk: found.get(council.pk, Totals()) for council in councils}


def agreements_for(user, *, council: Council | None = None, household_id: int | None = None):
    rows = Agreement.objects.visible_to(user).select_related("elder", "council", "household")
    if council is not None:
        rows = rows.filter(council=council)
    if household_id is not None:
        rows = rows.filter(household_id=household_id)
    return rows.prefetch_related("supporters").order_by("council_id", "elder__name", "id")


def agreement_get(user, pk: int) -> Agreement:
    agreement = (Agreement.objects.visible_to(user).select_related("elder", "council", "council__village",
                                                                   "household").prefetch_related("supporters")
                 .filter(pk=pk).first())
    if agreement is None:
        raise Http404("no such agreement")
    return agreement


def agreement_totals(agreement: Agreement) -> Totals:
    return _sums(Entry.objects.filter(agreement=agreement))


def entries_for(user, *, council: Council | None = None, agreement: Agreement | None = None,
                kind: str | None = None):
    rows = Entry.objects.visible_to(user).select_related("agreement__elder", "recorded_by")
    if council is not None:
        rows = rows.filter(council=council)
    if agreement is not None:
        rows = rows.filter(agreement=agreement)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return rows.order_by("-on", "-id")


def months_due(starts_on: dt.date, today: dt.date) -> int:
    """Months an agreement has been due, its first month and the current one included."""
    if today < starts_on:
        return 0
    return (today.year - starts_on.year) * 12 + today.month - starts_on.month + 1


@dataclass(frozen=True)
class Arrear:
    agreement: Agreement
    due: int
    paid: int

    @property
    def owed(self) -> int:
        return self.due - self.paid


def arrears(user, *, council: Council | None = None, today: dt.date | None = None) -> list[Arrear]:
    """The agreements in force whose children paid less than was due to date (the monthly amount
    for every month from the first to the current one), most owed first."""
    today = today or local_today()
    rows = (Agreement.objects.visible_to(user).filter(status=AgreementStatus.ACTIVE)
            .select_related("elder", "council").prefetch_related("supporters")
            .annotate(paid=Sum("entries__amount", filter=Q(entries__kind=EntryKind.CONTRIBUTION), default=0)))
    if council is not None:
        rows = rows.filter(council=council)
    found = []
    for agreement in rows:
        due = agreement.monthly_amount * months_due(agreement.starts_on, today)
        if agreement.paid < due:
            found.append(Arrear(agreement=agreement, due=due, paid=agreement.paid))
    return sorted(found, key=lambda a: (-a.owed, a.agreement.pk))


def public_ledger(council: Council) -> list[dict]:
    """The council's notice (公示): per agreement, the elder's name, the supporters' names, the
    monthly amount, and the contributions, match and payouts to date. No phones, no ID numbers."""
    agreements = (Agreement.objects.filter(council=council).select_related("elder").prefetch_related("supporters")
                  .annotate(contributions=Sum("entries__amount", filter=Q(entries__kind=EntryKind.CONTRIBUTION),
                                              default=0),
                            match=Sum("entries__amount", filter=Q(entries__kind=EntryKind.MATCH), default=0),
                            payouts=Sum("entries__amount", filter=Q(entries__kind=EntryKind.PAYOUT), default=0))
                  .order_by("elder__name", "id"))
    return [{"elder": a.elder.name, "supporters": "、".join(s.name for s in a.supporters.all()),
             "monthly_amount": a.monthly_amount, "contributions": a.contributions, "match": a.match,
             "payouts": a.payouts, "balance": a.balance} for a in agreements]
