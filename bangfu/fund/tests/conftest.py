"""Fixtures for the fund: a council of 戴家庄村, an elder of 70 there with an agreement."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from bangfu.core.dates import local_today
from bangfu.fund.services import SupporterData, agreement_create, council_create
from bangfu.households.synthetic import make_id_number
from conftest import VILLAGE_A, member_data

ELDER_BIRTH = dt.date(1950, 3, 1)


_sequence = itertools.count()


def elder_data(name="逄秀英", birth=ELDER_BIRTH, **kw):
    """An elder born on exactly `birth` (the shared `person_id` moves the birth date a day on every
    50 numbers it hands out, and an elder's age on the day signed is what the fund checks)."""
    id_number = make_id_number("370215", birth, next(_sequence) % 50, "F")
    return member_data(name=name, id_number=id_number, sex="F", **kw)


@pytest.fixture
def council(personas, regions):
    return council_create(village=regions[VILLAGE_A], name="戴家庄村孝心养老理事会", founded_on=dt.date(2018, 3, 1),
                          members=["戴建国（会长）", "王秀兰（理事）"], actor=personas["office"])


@pytest.fixture
def elder_household(make_household, personas):
    return make_household(VILLAGE_A, caseworker=personas["caseworker_a"], members=[elder_data()])


@pytest.fixture
def agreement(council, elder_household, personas):
    today = local_today()
    return agreement_create(
        council=council, elder=elder_household.members.get(), monthly_amount=20000,
        starts_on=today.replace(day=1), signed_on=today, witnesses="戴家庄村党支部、村委会",
        supporters=[SupporterData(name="逄建明", relation="长子", phone="13905321234", address="即墨区蓝村街道")],
        in_kind="每年小麦200斤", visits="每月两次", actor=personas["office"])
