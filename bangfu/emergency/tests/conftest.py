"""Fixtures for deliveries: the 蓝村街道 township, two items, some stock (as in supplies.tests)."""

from __future__ import annotations

import pytest

from bangfu.supplies.models import Item, ItemKind
from bangfu.supplies.services import stock_receive

TOWNSHIP = "370215010"


@pytest.fixture
def township(regions):
    return regions[TOWNSHIP]


@pytest.fixture
def rice(db):
    # get_or_create: a transactional test flushes the rows the data migration seeded.
    item, _created = Item.objects.get_or_create(township=None, name="大米", defaults={"kind": ItemKind.LIVING,
                                                                                     "unit": "kg"})
    return item


@pytest.fixture
def masks(db):
    item, _created = Item.objects.get_or_create(township=None, name="口罩", defaults={"kind": ItemKind.PROTECTIVE,
                                                                                     "unit": "只"})
    return item


@pytest.fixture
def stocked(township, rice, masks, personas):
    """100 kg of rice and 500 masks received by the office."""
    stock_receive(township=township, item=rice, quantity=100, source="区民政局调拨", actor=personas["office"])
    stock_receive(township=township, item=masks, quantity=500, source="爱心企业捐赠", actor=personas["office"])
    return township


# --- emergencies and daily checks --------------------------------------------------------------

@pytest.fixture
def emergency(township, personas):
    import datetime as dt

    from bangfu.emergency.services import emergency_open, shanghai_today

    return emergency_open(region=township, kind="epidemic", title="新冠疫情防控", actor=personas["office"],
                          start=shanghai_today() - dt.timedelta(days=3))
