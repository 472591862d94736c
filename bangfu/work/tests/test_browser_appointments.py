"""In a real browser, at 1280 px and on a 360 px phone: the township office appoints a person to a
post (a refusal shown with its rule first), sees the appointment with its bank card masked, records
the exit with its reason; the county office sets its rules. Every page fits its width; screenshots
go to /tmp/h17appoint/."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from bangfu.core.dates import local_today
from bangfu.core.tests.browser import log_in
from bangfu.regions.models import Region
from bangfu.work import welfare
from bangfu.work.welfare_models import Appointment, AppointmentStatus, PostType, WelfareRules
from conftest import VILLAGE_A, member_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("BANGFU_SCREENSHOTS", "/tmp/h17appoint"))
TODAY = local_today()
CARD = "6228480012345678901"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def people(make_household, personas):
    post = welfare.post_create(village=Region.objects.get(code=VILLAGE_A), actor=personas["office"], data={
        "post_type": PostType.ROAD, "places": 2, "pay_fen": 800_00, "funding": "linkage"})
    young = make_household(caseworker=personas["caseworker_a"], members=[
        member_data(name="戴明", birth_date=dt.date(TODAY.year - 45, 1, 1))]).members.get()
    old = make_household(caseworker=personas["caseworker_a"], members=[
        member_data(name="郝老", birth_date=dt.date(TODAY.year - 63, 1, 1))]).members.get()
    return post, young, old


def test_the_office_appoints_and_records_an_exit_and_the_county_sets_its_rules(browser, live_server, people):
    post, young, old = people
    for width, height in ((1280, 900), (360, 740)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        log_in(page, live_server.url, "office", "pw-office")
        page.goto(f"{live_server.url}/work/welfare/{post.pk}/appoint/")
        _fits(page, width)
        if width == 1280:
            page.select_option("select[name=member]", str(old.pk))
            page.fill("input[name=account]", CARD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            assert "超过本县规定的60岁" in page.inner_text("main")
            _fits(page, width)
            _shot(page, "appoint-refused-1280")
            page.select_option("select[name=member]", str(young.pk))
            page.fill("input[name=account]", CARD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_url(lambda url: "/appointments/" in url)
            appointment = Appointment.objects.get(member=young)
            text = page.inner_text("main")
            assert f"****{CARD[-4:]}" in text and CARD not in page.content()
        else:
            _shot(page, "appoint-360")
            appointment = Appointment.objects.get(member=young)
            page.goto(f"{live_server.url}/work/welfare/appointments/{appointment.pk}/")
        _fits(page, width)
        _shot(page, f"appointment-{width}")
        if width == 360:
            page.select_option("select[name=exit_reason]", "school")
            page.locator("form[action$='/exit/'] button[type=submit]").click()
            page.wait_for_load_state()
            appointment.refresh_from_db()
            assert (appointment.status, appointment.exit_reason) == (AppointmentStatus.EXITED, "school")
            _fits(page, width)
            _shot(page, "appointment-exited-360")
        page.goto(f"{live_server.url}/work/welfare/")
        _fits(page, width)
        _shot(page, f"posts-{width}")
        context.close()

        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        log_in(page, live_server.url, "county", "pw-county")
        page.goto(f"{live_server.url}/work/welfare/rules/")
        _fits(page, width)
        if width == 1280:
            page.fill("input[name=max_age]", "65")
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            assert WelfareRules.objects.get(county_id="370215").max_age == 65
        _shot(page, f"rules-{width}")
        context.close()
