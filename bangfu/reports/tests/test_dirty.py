"""Each module's writing services mark their village dirty (through history's area changes), so the
incremental refresh changes the figure the write changed, with no rebuild."""

from __future__ import annotations

import uuid

import pytest

from bangfu.casework.tests.conftest import ALL_MET
from bangfu.core.dates import local_today
from bangfu.reports import services
from bangfu.reports.models import Figure
from conftest import VILLAGE_A, member_data

pytestmark = pytest.mark.django_db


def stored(key: str, region: str = VILLAGE_A, kind: str = "day") -> int:
    from bangfu.reports.periods import period_start

    row = Figure.objects.filter(kind=kind, start=period_start(kind, local_today()), region=region,
                                indicator=key).first()
    return row.value if row else 0


def refreshed() -> None:
    assert services.figures_refresh().villages >= 1


def test_households(make_household, personas):
    make_household(VILLAGE_A)
    services.figures_rebuild()
    assert stored("households.status.active") == 1
    make_household(VILLAGE_A, members=[member_data(), member_data(relation="配偶", name="王芳", sex="F")])
    refreshed()
    assert (stored("households.total"), stored("households.persons"), stored("households.total", "37")) == (2, 3, 2)


def test_casework(make_household, personas):
    from bangfu.casework.services import contact_create

    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    services.figures_rebuild()
    contact_create(actor=personas["caseworker_a"], household=household, client_id=uuid.uuid4(), channel="phone",
                   reached=True, assessment=dict(ALL_MET), not_reached_reason="")
    refreshed()
    assert stored("casework.contacts") == 1
    assert stored("casework.contacted", "370215010", "week") == 1
    assert (stored("casework.assessed"), stored("casework.four_met")) == (1, 1)


def test_needs(make_household, personas):
    from bangfu.needs.models import Category, Urgency
    from bangfu.needs.services import need_create

    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    services.figures_rebuild()
    need_create(household=household, category=Category.LIVING_SUPPLIES, description="米面不够", urgency=Urgency.NORMAL,
                client_id=uuid.uuid4(), actor=personas["caseworker_a"])
    refreshed()
    assert (stored("needs.reported"), stored("needs.open"), stored("needs.open", "370215")) == (1, 1, 1)


def test_emergency(make_household, personas, township):
    import datetime as dt

    from bangfu.emergency.models import HealthCheck
    from bangfu.emergency.services import check_submit, checks_generate, emergency_open

    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    emergency_open(region=township, kind="epidemic", title="疫情防控", actor=personas["office"],
                   start=local_today() - dt.timedelta(days=1))
    services.figures_rebuild()
    checks_generate()
    refreshed()
    assert (stored("emergency.checks_due"), stored("emergency.checks_done")) == (1, 0)
    check = HealthCheck.objects.get(household=household, day=local_today())
    head = household.members.first()
    check_submit(check=check, actor=personas["caseworker_a"], client_id=str(uuid.uuid4()),
                 temperatures={f"m{head.pk}": "38.5"}, disinfection=True, symptoms=False, supplies_enough=True,
                 help_needed=False)
    refreshed()
    assert (stored("emergency.checks_done"), stored("emergency.fevers")) == (1, 1)


def test_deliveries(make_household, personas, stocked, rice):
    from bangfu.deliveries.services import delivery_complete, delivery_create

    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    delivery = delivery_create(household=household, kind="goods", source="stock", item=rice, quantity=3,
                               actor=personas["office"], client_id=str(uuid.uuid4()))
    services.figures_rebuild()
    delivery_complete(delivery=delivery, received_by="户主本人", actor=personas["caseworker_a"])
    refreshed()
    assert (stored("deliveries.delivered"), stored("deliveries.stock_issued")) == (1, 3)
    assert stored("deliveries.stock_issued", "370215010", "year") == 3
