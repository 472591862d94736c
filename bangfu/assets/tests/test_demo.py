"""The demo's assets: a PV station of 戴家庄村 with a year of inspections, one fix overdue, its
income and last year's plan paid out within its shares."""

from __future__ import annotations

import pytest

from bangfu.accounts.services import user_add
from bangfu.assets import queries, services
from bangfu.assets.demo import assets_demo_load
from bangfu.assets.models import Asset, Finding, PlanStatus
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role

pytestmark = pytest.mark.django_db


def test_the_demo_station(personas, regions):
    user_add(username="lancun", role=Role.TOWNSHIP_OFFICE, region_code="370215010", password="pw-lancun-x",
             display_name="蓝村街道扶贫办", check_password=False)
    made = assets_demo_load()
    station = Asset.objects.get(name="戴家庄村光伏电站")
    assert made["assets"] == 1 and station.inspector == personas["caseworker_a"]
    assert station.inspections.count() == 11
    assert station.inspections.filter(photos__isnull=False).distinct().count() >= 3
    today = local_today()
    overdue = [f for f in Finding.objects.all() if f.is_overdue(today)]
    assert len(overdue) == 1 and "围栏" in overdue[0].text
    # This month's inspection is due: it is in the keeper's day.
    assert [d.asset for d in queries.inspections_due(Asset.objects.all(), today=today)] == [station]
    assert assets_demo_load() == {"assets": 0, "inspections": 0}  # loading again changes nothing
    plan = station.plans.get()
    assert plan.status == PlanStatus.PUBLISHED
    assert sum(services.share_paid(plan).values()) <= services.year_money(station, plan.year).distributable
