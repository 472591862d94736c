"""In a real browser: on a 360 px phone the village cadre adds a measure to a monitored household's
plan and proposes clearing its risk; the township office sees the plan and the rule flags at 1280 px.
Screenshots of the plan page, the clearance step and the flags list go to /tmp/h16plan/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bangfu.core.tests.browser import PHONE
from bangfu.monitoring import rules
from bangfu.monitoring.models import Clearance, PlanMeasure
from bangfu.monitoring.tests.test_browser import _log_in, _page
from bangfu.monitoring.tests.test_plans import monitored

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
SHOTS = Path("/tmp/h16plan")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_the_village_keeps_the_plan_on_a_phone_and_the_township_sees_the_flags(
    browser, live_server, personas, make_household,
):
    base = live_server.url
    household = monitored(personas, make_household, identified=dt.date.today() - dt.timedelta(days=250))
    poor = monitored(personas, make_household, wage_income=300_000, safe_water=False)
    rules.flags_refresh()
    phone = _page(browser, PHONE, phone=True)
    _log_in(phone, base, "village_a")
    phone.goto(f"{base}/monitoring/households/{poor.pk}/plan/")
    assert phone.locator("#refusals").is_visible()
    _shot(phone, "plan-refused-360.png")
    phone.goto(f"{base}/monitoring/households/{household.pk}/plan/")
    phone.click("#measures summary")
    phone.select_option("select[name=type]", "employment")
    phone.fill("input[name=content]", "推荐到县城工业园务工")
    phone.select_option("select[name=owner]", index=1)
    phone.fill("input[name=due_on]", (dt.date.today() + dt.timedelta(days=20)).isoformat())
    phone.click("#measures form button[type=submit]")
    phone.wait_for_selector("text=推荐到县城工业园务工")
    assert PlanMeasure.objects.filter(household=household).count() == 1
    phone.select_option("select[name=method]", "帮扶消除")
    phone.click("#clearance form button[type=submit]")
    phone.wait_for_selector("#clearance a[role=button]")
    _shot(phone, "plan-360.png")
    clearance = Clearance.objects.get(household=household)
    phone.click("#clearance a[role=button]")
    phone.wait_for_selector("input[name=stable_since]")
    _shot(phone, "clearance-verify-360.png")
    assert not phone.errors

    desk = _page(browser, DESKTOP, phone=False)
    _log_in(desk, base, "office")
    desk.goto(f"{base}/monitoring/households/{household.pk}/plan/")
    _shot(desk, "plan-1280.png")
    desk.goto(f"{base}/monitoring/flags/")
    assert desk.locator(f"a[href='/monitoring/households/{poor.pk}/plan/']").count() >= 1
    _shot(desk, "flags-1280.png")
    phone.goto(f"{base}/monitoring/households/{household.pk}/plan/")
    phone.context.close()
    county = _page(browser, PHONE, phone=True)
    _log_in(county, base, "county")
    county.goto(f"{base}/monitoring/flags/")
    _shot(county, "flags-360.png")
    desk.goto(f"{base}/monitoring/clearances/{clearance.pk}/verify/")
    assert not desk.errors
    desk.context.close()
    county.context.close()
