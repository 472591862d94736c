"""The assets' figures (core.figures): by village, per period, money in fen."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from bangfu.assets import figures, services
from bangfu.core.dates import local_today
from conftest import VILLAGE_A, VILLAGE_OTHER

pytestmark = pytest.mark.django_db


def test_the_figures(station, other_station, personas):
    today = local_today()
    services.inspection_create(asset=station, client_id=uuid.uuid4(), actor=personas["caseworker_a"],
                               data=services.InspectionData(day=today - dt.timedelta(days=40), checklist={},
                                                            finding="围栏破损", fix_by=today - dt.timedelta(days=1)))
    services.income_record(asset=station, month=today, category="power", amount_fen=300_000, note="",
                           client_id=uuid.uuid4(), actor=personas["office"])
    services.income_record(asset=station, month=today, category="land_rent", amount_fen=100_000, note="",
                           client_id=uuid.uuid4(), actor=personas["office"])
    plan = services.plan_create(asset=station, year=today.year, shares={"welfare": 100}, meeting="",
                                actor=personas["office"])
    services.plan_publish(plan=services.plan_approve(plan=plan, actor=personas["office"]), actor=personas["office"])
    services.payout_record(plan=plan, share="welfare", amount_fen=150_000, day=today, payee="公益岗",
                           client_id=uuid.uuid4(), actor=personas["office"])
    month = {"start": today.replace(day=1), "end": today}
    assert figures.assets_count(villages=None, **month) == {VILLAGE_A: 1, VILLAGE_OTHER: 1}
    assert figures.assets_value(villages=[VILLAGE_A], **month) == {VILLAGE_A: 48_000_000}
    assert figures.assets_operating(villages=None, **month) == {VILLAGE_A: 1, VILLAGE_OTHER: 1}
    assert figures.assets_public(villages=None, **month) == {}
    # The station was inspected 40 days ago (monthly: overdue); the greenhouse never (due at once, not yet overdue).
    assert figures.inspections_overdue(villages=None, **month) == {VILLAGE_A: 1}
    assert figures.inspections_done(villages=None, start=today - dt.timedelta(days=60), end=today) == {VILLAGE_A: 1}
    assert figures.inspections_done(villages=None, **month) == ({VILLAGE_A: 1} if today.day > 40 else {})
    assert figures.fixes_open(villages=None, **month) == {VILLAGE_A: 1}
    assert figures.fixes_overdue(villages=None, **month) == {VILLAGE_A: 1}
    assert figures.income(villages=None, **month) == {VILLAGE_A: 300_000}
    assert figures.distributed(villages=None, **month) == {VILLAGE_A: 150_000}
