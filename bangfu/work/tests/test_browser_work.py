"""In a real browser: on a 360 px phone a caseworker records a labourer's month on a call (the
contact form's work part) and a drive's outcome; the office fills a village's month in the grid
at 1280 px. Every page fits the phone's width; screenshots of each go to /tmp/h17work/."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from bangfu.core.dates import local_today
from bangfu.core.tests.browser import log_in
from bangfu.work import services
from bangfu.work.models import Activity, DriveTargetRule, LabourStatus, Outcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("BANGFU_SCREENSHOTS", "/tmp/h17work"))
TODAY = local_today()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def away(migrants, worker, personas):
    """Last December: the worker and migrants away; a February drive targeting them."""
    for member in [worker, *migrants[:5]]:
        services.status_record(member=member, actor=personas["office"], data={
            "month": dt.date(TODAY.year - 1, 12, 1), "activity": Activity.MIGRANT, "place_code": "440300",
            "place_name": "广东省深圳市", "employer": "电子厂", "wage": 520000})
    from bangfu.regions.models import Region

    drive = services.drive_create(township=Region.objects.get(code="370215010"), title="春节后返岗复工",
                                  rule=DriveTargetRule.MIGRANT_LAST_YEAR, start=dt.date(TODAY.year, 2, 1),
                                  end=dt.date(TODAY.year, 3, 31), actor=personas["office"])
    for target in drive.targets.order_by("pk")[:2]:
        services.drive_outcome_record(target=target, actor=personas["office"], data={
            "outcome": Outcome.RETURNED, "returned_on": dt.date(TODAY.year, 2, 12), "place_code": "440300",
            "place_name": "深圳", "transport": "chartered"})
    return drive


def test_a_caseworker_records_work_on_a_phone(phone_page, live_server, home, worker, away):
    page = phone_page
    log_in(page, live_server.url, "caseworker_a", "pw-caseworker_a")
    # On a call: the contact form's work part.
    page.goto(f"{live_server.url}/casework/households/{home.pk}/contact/")
    page.locator("input[name=channel][value=phone]").check()
    page.locator("details.contact-work summary").click()
    page.select_option("select[name=work-member]", str(worker.pk))
    page.select_option("select[name=work-activity]", "migrant")
    _fits(page, 360)
    _shot(page, "contact-part-360")
    for name in ("supplies_ok", "prevention_ok", "medical_access_ok", "living_ok"):
        choice = page.locator(f"input[name={name}][value=true]")
        if choice.count():
            choice.check()
    page.get_by_role("button", name="已联系上").click()
    # The outbox sends the form and shows the page the server answers with, the part's error at its field.
    page.locator("main [role=alert]").first.wait_for()
    # No place for work away: the part says so, nothing is saved.
    assert page.locator("details.contact-work[open]").count() == 1
    assert not LabourStatus.objects.filter(member=worker, month=TODAY.replace(day=1)).exists()
    page.fill("input[name=work-place_code]", "320500")
    page.fill("input[name=work-place_name]", "江苏省苏州市")
    page.get_by_role("button", name="已联系上").click()
    page.wait_for_url(lambda url: "/contact/" not in url)
    status = LabourStatus.objects.get(member=worker, month=TODAY.replace(day=1))
    assert status.contact_id is not None and status.area == "outside_province"

    page.goto(f"{live_server.url}/work/")
    assert "戴明" in page.locator("main").inner_text()
    _fits(page, 360)
    _shot(page, "labour-list-360")
    page.goto(f"{live_server.url}/work/drives/{away.pk}/")
    assert page.locator(".drive-returned").inner_text() == "2"
    _fits(page, 360)
    _shot(page, "drive-360")
    # A labourer not yet back: the outcome form.
    pending = away.targets.filter(outcome=Outcome.PENDING).order_by("pk").first()
    page.goto(f"{live_server.url}/work/drives/targets/{pending.pk}/")
    assert page.locator("form[data-outbox] input[name=client_id]").count() == 1
    page.select_option("select[name=outcome]", "not_yet")
    page.fill("input[name=reason]", "等待企业复工通知")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/work/drives/{away.pk}/")
    pending.refresh_from_db()
    assert pending.outcome == Outcome.NOT_YET
    assert not page.errors


def test_the_office_fills_a_villages_month(browser, live_server, worker, migrants, away):
    month = TODAY.replace(day=1).strftime("%Y-%m")
    for width, height in ((1280, 900), (360, 740)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        log_in(page, live_server.url, "office", "pw-office")
        page.goto(f"{live_server.url}/work/grid/?village=370215010001&month={month}")
        _fits(page, width)
        if width == 1280:
            page.select_option(f"select[name=m{migrants[6].pk}-activity]", "unemployed")
            page.get_by_role("button", name="保存本村本月情况").click()
            page.wait_for_load_state()
            assert "请填写原因" in page.locator("main").inner_text()
            assert not LabourStatus.objects.filter(member=migrants[6]).exists()
            page.fill(f"input[name=m{migrants[6].pk}-reason]", "照顾孩子")
            page.select_option(f"select[name=m{migrants[7].pk}-activity]", "nearby")
            page.fill(f"input[name=m{migrants[7].pk}-employer]", "本镇扶贫车间")
            page.get_by_role("button", name="保存本村本月情况").click()
            page.wait_for_load_state()
            assert LabourStatus.objects.get(member=migrants[7], month=TODAY.replace(day=1)).area == "in_county"
            # Last month's statuses are shown, not recorded again for this month.
            assert not LabourStatus.objects.filter(member=migrants[1], month=TODAY.replace(day=1)).exists()
        _shot(page, f"grid-{width}")
        page.goto(f"{live_server.url}/work/")
        _fits(page, width)
        _shot(page, f"labour-list-{width}")
        page.goto(f"{live_server.url}/work/drives/{away.pk}/")
        _fits(page, width)
        _shot(page, f"drive-{width}")
        if width == 1280:
            page.goto(f"{live_server.url}/casework/households/{worker.household_id}/contact/")
            page.locator("details.contact-work summary").click()
            _shot(page, "contact-part-1280")
        assert not errors
        context.close()
