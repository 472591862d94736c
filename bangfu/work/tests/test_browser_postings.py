"""In a real browser at 360 px (a phone) and 1280 px: the township office's postings, a posting's
matches where a caseworker records a hire, the publish page, the publication with its text and
the poster. Every page fits the phone's width; screenshots go to /tmp/h17posts/."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from bangfu.core.dates import local_today
from bangfu.core.tests.browser import log_in
from bangfu.regions.models import Region
from bangfu.work import postings, services
from bangfu.work.models import Activity, LabourStatus
from bangfu.work.posting_models import Publication, Referral, Step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("BANGFU_SCREENSHOTS", "/tmp/h17posts"))
TODAY = local_today()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.fixture
def open_postings(worker, migrants, personas):
    office = personas["office"]
    for member in [worker, *migrants[:4]]:
        services.status_record(member=member, actor=office, data={
            "month": TODAY.replace(day=1), "activity": Activity.UNEMPLOYED, "reason": "照顾家人"})
    township = Region.objects.get(code="370215010")
    jobs = [("即墨服装厂", "缝纫工", "370215", "即墨区"), ("青岛啤酒厂", "包装工", "3702", "青岛市"),
            ("富士康科技集团", "普工", "440300", "广东省深圳市")]
    return [postings.posting_create(township=township, actor=office, data={
        "employer": employer, "title": title, "openings": 10 * (i + 1), "place_code": code, "place_name": place,
        "wage_min": 350000 + 50000 * i, "wage_max": 550000 + 50000 * i, "age_min": 18, "age_max": 50,
        "board": "both", "contact": "李经理 13912345678", "valid_until": TODAY + dt.timedelta(days=30),
        "source": "即墨区人社局"}) for i, (employer, title, code, place) in enumerate(jobs)]


def test_postings_matched_and_published(browser, live_server, worker, open_postings):
    for width, height in ((360, 740), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        log_in(page, live_server.url, "office", "pw-office")
        page.goto(f"{live_server.url}/work/postings/")
        assert "缝纫工" in page.content()
        _fits(page, width)
        _shot(page, f"postings-{width}")
        page.goto(f"{live_server.url}/work/postings/{open_postings[0].pk}/")
        assert worker.name in page.content()
        _fits(page, width)
        _shot(page, f"matches-{width}")
        page.goto(f"{live_server.url}/work/postings/publish/")
        _fits(page, width)
        _shot(page, f"publish-{width}")
        if width == 360:
            for posting in open_postings:
                page.locator(f"input[name=posting][value='{posting.pk}']").check()
            page.locator("button.full.big").click()
            page.wait_for_url("**/publications/**")
        publication = Publication.objects.get()
        page.goto(f"{live_server.url}/work/postings/publications/{publication.pk}/")
        assert "【蓝村街道岗位信息】" in page.locator("textarea").first.input_value()
        _fits(page, width)
        _shot(page, f"publication-{width}")
        context.close()
    poster = Path(SHOTS / "poster.png")
    from django.test import Client

    client = Client()
    client.login(username="office", password="pw-office")
    poster.write_bytes(client.get(f"/work/postings/publications/{Publication.objects.get().pk}/poster.png").content)


def test_a_caseworker_records_a_hire_on_a_phone(phone_page, live_server, worker, open_postings):
    page = phone_page
    log_in(page, live_server.url, "caseworker_a", "pw-caseworker_a")
    page.goto(f"{live_server.url}/work/postings/{open_postings[0].pk}/")
    form = page.locator(f"form[data-outbox]:has(input[name=member][value='{worker.pk}'])")
    form.locator("select[name=step]").select_option(Step.HIRED)
    form.locator("button[type=submit]").click()
    page.get_by_text(f"{worker.name}：已录用").wait_for()
    assert Referral.objects.get(member=worker).step == Step.HIRED
    assert LabourStatus.objects.get(member=worker, month=TODAY.replace(day=1)).activity == Activity.NEARBY
    _fits(page, 360)
    _shot(page, "hired-360")
