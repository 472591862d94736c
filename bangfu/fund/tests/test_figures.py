"""The fund's figures (core.figures): each one equals a direct count or sum over a small ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db.models import Sum
from django.utils.module_loading import import_string

from bangfu.core.dates import local_today
from bangfu.fund import queries
from bangfu.fund.models import Agreement, Council, Entry, EntryKind
from bangfu.fund.services import SupporterData, agreement_create, contribution_record, council_create, payout_record
from conftest import VILLAGE_B

from .conftest import elder_data

pytestmark = pytest.mark.django_db


def _compute(key: str, **kw):
    indicator = next(i for i in apps.get_app_config("fund").figure_indicators if i.key == key)
    today = local_today()
    return import_string(indicator.compute)(**{"villages": None, "start": today.replace(day=1), "end": today, **kw})


@pytest.fixture
def ledger(agreement, personas, regions, make_household):
    office = personas["office"]
    today = local_today()
    contribution_record(agreement=agreement, amount=30000, frequency="quarterly", on=today, actor=office)
    contribution_record(agreement=agreement, amount=10000, frequency="monthly", on=today - dt.timedelta(days=400),
                        actor=office)
    payout_record(agreement=agreement, amount=20000, month=today, on=today, actor=office)
    council_b = council_create(village=regions[VILLAGE_B], name="北郝家庄村孝心养老理事会", founded_on=today,
                               members=[], actor=office)
    elder = make_household(VILLAGE_B, members=[elder_data(name="郝老汉")]).members.get()
    owing = agreement_create(council=council_b, elder=elder, monthly_amount=15000,
                             starts_on=(today.replace(day=1) - dt.timedelta(days=40)), signed_on=today,
                             witnesses="村委会", supporters=[SupporterData(name="郝强", relation="长子")], actor=office)
    contribution_record(agreement=owing, amount=5000, frequency="monthly", on=today, actor=office)
    return {"paid_up": agreement, "owing": owing}


def test_councils_agreements_and_the_ledger_equal_direct_sums(ledger):
    village_a, village_b = ledger["paid_up"].region_code, ledger["owing"].region_code
    assert _compute("fund.councils") == {village_a: 1, village_b: 1} and Council.objects.count() == 2
    assert _compute("fund.agreements") == {village_a: 1, village_b: 1} and Agreement.objects.count() == 2
    today = local_today()
    for key, kind in (("fund.contributions", EntryKind.CONTRIBUTION), ("fund.match", EntryKind.MATCH),
                      ("fund.payouts", EntryKind.PAYOUT)):
        direct = {}
        for code in (village_a, village_b):
            total = Entry.objects.filter(kind=kind, region_code=code, on__gte=today.replace(day=1),
                                         on__lte=today).aggregate(s=Sum("amount"))["s"]
            if total:
                direct[code] = total
        assert _compute(key) == direct, key
    assert _compute("fund.contributions") == {village_a: 30000, village_b: 5000}
    assert _compute("fund.contributions", villages=[village_b]) == {village_b: 5000}


def test_arrears_equal_the_arrears_list(ledger, personas):
    listed = queries.arrears(personas["admin"])
    found = {}
    for arrear in listed:
        found.setdefault(arrear.agreement.region_code, []).append(arrear.owed)
    assert _compute("fund.arrears") == {code: len(owed) for code, owed in found.items()}
    assert _compute("fund.arrears_amount") == {code: sum(owed) for code, owed in found.items()}
    assert ledger["owing"].region_code in found
