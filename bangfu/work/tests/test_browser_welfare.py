"""In a real browser: a village cadre takes the day's attendance of the village's appointees on a
360 px phone, a tap each; the township office assesses last month and runs its payroll at 1280 px.
Every page fits its width; screenshots go to /tmp/h17welfare/."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from bangfu.core.dates import local_today
from bangfu.core.tests.browser import log_in
from bangfu.regions.models import Region
from bangfu.work import welfare
from bangfu.work.welfare_models import Attendance, Mark, PayLine, Payroll, PayrollStatus, PostType
from conftest import VILLAGE_A, member_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("BANGFU_SCREENSHOTS", "/tmp/h17welfare"))
TODAY = local_today()
LAST_MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
START = (LAST_MONTH - dt.timedelta(days=1)).replace(day=1)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def appointees(make_household, personas):
    office = personas["office"]
    post = welfare.post_create(village=Region.objects.get(code=VILLAGE_A), actor=office, data={
        "post_type": PostType.CLEANING, "places": 3, "pay_fen": 800_00, "funding": "linkage"})
    rows = []
    for name in ("戴明", "郝芳"):
        member = make_household(caseworker=personas["caseworker_a"], members=[
            member_data(name=name, birth_date=dt.date(TODAY.year - 45, 1, 1))]).members.get()
        a = welfare.appoint(post=post, member=member, actor=office, published_on=START - dt.timedelta(days=7),
                            start=START, end=START + dt.timedelta(days=364))
        rows.append(welfare.appointment_start(appointment=a, actor=office, today=START))
    # Last month: the first present every day marked, the second absent two of ten days.
    for i in range(10):
        day = LAST_MONTH + dt.timedelta(days=i)
        welfare.attendance_record(appointment=rows[0], day=day, mark=Mark.PRESENT, actor=office)
        welfare.attendance_record(appointment=rows[1], day=day, mark=Mark.ABSENT if i < 2 else Mark.PRESENT,
                                  actor=office)
    return rows


def test_a_village_cadre_takes_attendance_and_the_office_pays(browser, phone_page, live_server, appointees):
    page = phone_page
    log_in(page, live_server.url, "village_a", "pw-village_a")
    page.goto(f"{live_server.url}/work/welfare/attendance/")
    _fits(page, 360)
    _shot(page, "attendance-360-before")
    first, second = appointees
    # Each tap goes through the phone's outbox (a fetch, not a page load): wait for the server's answer.
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator(f"#appointee-{first.pk} button[value=present]").click()
    page.wait_for_load_state()
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator(f"#appointee-{second.pk} button[value=leave]").click()
    page.wait_for_load_state()
    assert dict(Attendance.objects.filter(day=TODAY).values_list("appointment_id", "mark")) == {
        first.pk: Mark.PRESENT, second.pk: Mark.LEAVE}
    # The outbox then loads the page the plain form would have shown.
    page.locator(f"#appointee-{second.pk} [data-mark=leave]").wait_for()
    assert page.locator(f"#appointee-{second.pk} [data-mark=leave]").count() == 1
    _fits(page, 360)
    _shot(page, "attendance-360")
    page.goto(f"{live_server.url}/work/welfare/")
    _fits(page, 360)
    _shot(page, "posts-360")

    for width, height in ((1280, 900), (360, 740)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        office = context.new_page()
        log_in(office, live_server.url, "office", "pw-office")
        office.goto(f"{live_server.url}/work/welfare/assessment/?month={LAST_MONTH:%Y-%m}")
        if width == 1280:
            for a, (t, r) in zip(appointees, ((50, 20), (45, 18))):
                card = office.locator(f"#assess-{a.pk}")
                card.locator("input[name=township_points]").fill(str(t))
                card.locator("input[name=review_points]").fill(str(r))
                card.locator("button[type=submit]").click()
                office.wait_for_load_state()
        # 30 × 8/10 = 24 village points for the second: 24 + 45 + 18 = 87, 696.00 of 800.00.
        assert "87.0" in office.locator(f"#assess-{second.pk}").inner_text()
        _fits(office, width)
        _shot(office, f"assessment-{width}")
        office.goto(f"{live_server.url}/work/welfare/payrolls/")
        if width == 1280:
            office.fill("input[name=month]", f"{LAST_MONTH:%Y-%m}")
            office.locator("main form button[type=submit]").click()
            office.wait_for_url(lambda url: "/payrolls/" in url and url.rstrip("/").split("/")[-1].isdigit())
            office.locator("form[action$='/approve/'] button").click()
            office.wait_for_load_state()
        payroll = Payroll.objects.get(month=LAST_MONTH)
        assert payroll.status == PayrollStatus.APPROVED
        assert sorted(PayLine.objects.values_list("amount_fen", flat=True)) == [696_00, 800_00]
        office.goto(f"{live_server.url}/work/welfare/payrolls/{payroll.pk}/")
        _fits(office, width)
        _shot(office, f"payroll-{width}")
        office.goto(f"{live_server.url}/work/welfare/")
        _fits(office, width)
        _shot(office, f"posts-{width}")
        if width == 1280:
            office.goto(f"{live_server.url}/work/welfare/payrolls/{payroll.pk}/?print=attendance")
            _shot(office, "attendance-sheet-1280")
            office.goto(f"{live_server.url}/work/welfare/payrolls/{payroll.pk}/?print=pay")
            _shot(office, "pay-sheet-1280")
        context.close()
    assert not page.errors
