"""The figures of produce and sales (core.figures): each one equals a direct sum over a few sales."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Sum
from django.utils.module_loading import import_string

from bangfu.core.dates import local_today
from bangfu.sales.models import Sale
from bangfu.sales.services import sale_record
from conftest import VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.django_db


def _compute(key: str, **kw):
    indicator = next(i for i in apps.get_app_config("sales").figure_indicators if i.key == key)
    today = local_today()
    return import_string(indicator.compute)(**{"villages": None, "start": today.replace(day=1), "end": today, **kw})


@pytest.fixture
def sales(goods, personas):
    today = local_today()
    plan = [("morels", "canteen", "canteen", "10.5", 42000, today, 3),
            ("morels", "unit", "platform_832", "4", 16000, today, 2),
            ("tomatoes", "unit", "budget_unit", "100", 60000, today, 5),
            ("tomatoes", "canteen", "fair", "20", 9000, today, 1),
            ("morels", "canteen", "livestream", "2", 8000, today.replace(day=1) - dt.timedelta(days=1), 4)]
    for product, buyer, channel, quantity, amount, day, households in plan:
        sale_record(product=goods[product], buyer=goods[buyer], channel=channel, quantity=Decimal(quantity),
                    amount=amount, sold_on=day, beneficiary_households=households, actor=personas["office"])
    return plan


def _direct(**filters) -> dict[str, int]:
    today = local_today()
    found = {}
    for code in (VILLAGE_A, VILLAGE_B):
        total = Sale.objects.filter(region_code=code, sold_on__gte=today.replace(day=1), sold_on__lte=today,
                                    **filters).aggregate(s=Sum("amount"))["s"]
        if total:
            found[code] = total
    return found


def test_amounts_by_channel_equal_direct_sums(sales):
    assert _compute("sales.amount") == _direct() == {VILLAGE_A: 58000, VILLAGE_B: 69000}
    assert _compute("sales.amount_832") == _direct(channel="platform_832")
    assert _compute("sales.amount_budget_unit") == _direct(channel="budget_unit") == {VILLAGE_B: 60000}
    assert _compute("sales.amount_canteen") == _direct(channel="canteen")
    assert _compute("sales.amount_livestream") == {}  # sold last month
    assert _compute("sales.amount_other_channels") == _direct(channel="fair")
    channels = [k for k in ("sales.amount_832", "sales.amount_budget_unit", "sales.amount_canteen",
                            "sales.amount_livestream", "sales.amount_other_channels")]
    per_village = {VILLAGE_A: 0, VILLAGE_B: 0}
    for key in channels:
        for code, value in _compute(key).items():
            per_village[code] += value
    assert per_village == _compute("sales.amount")


def test_count_households_and_weight(sales):
    assert _compute("sales.count") == {VILLAGE_A: 2, VILLAGE_B: 2}
    assert _compute("sales.households") == {VILLAGE_A: 5, VILLAGE_B: 6}
    # 斤 as they are, 公斤 twice: 14.5 斤 of morels, 120 公斤 of tomatoes.
    assert _compute("sales.quantity") == {VILLAGE_A: 15, VILLAGE_B: 240}
    assert _compute("sales.amount", villages=[VILLAGE_A]) == {VILLAGE_A: 58000}
    whole = local_today().replace(day=1) - dt.timedelta(days=40)
    assert _compute("sales.amount_livestream", start=whole) == {VILLAGE_A: 8000}
