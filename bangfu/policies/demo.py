"""Demo policies in both demo counties: the defaults (蓝村's county raises 低保), receipts for most
entitled households this period, and a few gaps of each kind, made through the services (each
with its history). Deterministic, and safe to run twice (receipts by their client ids)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Q

from bangfu.accounts.models import User
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.households.choices import Category
from bangfu.households.models import Household
from bangfu.policies import queries, services
from bangfu.policies.models import Answer, Receipt

NAMESPACE = uuid.UUID("0d7f6c55-93b1-4f0e-8f1c-4c2b7a9e5d10")
# Every so many households, one with nothing received this period (a gap "not received").
SKIP_EVERY = 15


def _paid_on(today: dt.date) -> dt.date:
    return max(today.replace(day=1), today - dt.timedelta(days=3))


def demo_policies() -> int:
    """Returns how many receipts were made."""
    today = local_today()
    # The demo's county user (of 蓝村街道's county) sets its own 低保; the other county keeps the default.
    for county in User.objects.filter(role=Role.COUNTY, is_active=True).exclude(region=None).order_by("pk")[:1]:
        dibao = queries.policy_get(county, "dibao")
        if not dibao.county_code:
            data = {f: getattr(dibao, f) for f in services.POLICY_FIELDS}
            services.policy_save(actor=county, key="dibao", data={**data, "amount": 60_000})
    made = 0
    offices = {}
    for office in User.objects.filter(role=Role.TOWNSHIP_OFFICE, is_active=True).exclude(region=None).order_by("pk"):
        offices.setdefault(office.region_id, office)
    for township, office in sorted(offices.items()):
        households = Household.objects.in_region(township)
        owed = queries.entitlements_of(households, today)
        by_id = {h.pk: h for h in households}
        skipped = []
        for index, household_id in enumerate(sorted(owed)):
            if not owed[household_id]:
                continue
            if index % SKIP_EVERY == 4:
                skipped.append(household_id)
                continue
            household = by_id[household_id]
            members = {m.pk: m for m in household.members.all()}
            for e in owed[household_id]:
                _receipt, created = services.receipt_record(
                    actor=office, household=household, policy_key=e.policy.key, period=e.period,
                    amount=e.amount, paid_on=_paid_on(today), member=members.get(e.member_id),
                    client_id=uuid.uuid5(NAMESPACE, f"{household_id}-{e.policy.key}-{e.member_id}-{e.period}"))
                made += created
        # Asked on a visit: one says it has not arrived, one that it has (not written down yet).
        for household_id, answer in zip(skipped[:2], (Answer.NOT_ARRIVED, Answer.ARRIVED), strict=False):
            key = owed[household_id][0].policy.key
            if not by_id[household_id].policy_checks.exists():
                services.policy_check_record(actor=office, household=by_id[household_id], policy_key=key,
                                             answer=answer)
        # Paid without being entitled: 低保 to two households of no such category.
        strangers = (households.exclude(Q(categories__category=Category.MINIMUM_LIVING))
                     .order_by("region_code", "number")[:2])
        for household in strangers:
            head = household.members.order_by("id").first()
            client_id = uuid.uuid5(NAMESPACE, f"unexpected-{household.pk}")
            if head is None or Receipt.objects.filter(client_id=client_id).exists():
                continue
            services.receipt_record(actor=office, household=household, policy_key="dibao",
                                    period=f"{today:%Y-%m}", amount=50_000, paid_on=_paid_on(today), member=head,
                                    client_id=client_id)
            made += 1
    return made
