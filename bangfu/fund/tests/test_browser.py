"""In a real browser at 360 px: a village cadre records a contribution for an agreement on a phone,
and the council's ledger shows it with its match; the pages are looked at at 360 and 1280 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bangfu.core.dates import local_today
from bangfu.core.tests.browser import log_in, measure
from bangfu.fund.models import Entry, EntryKind, Frequency
from bangfu.fund.services import contribution_record, payout_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("BANGFU_SHOTS", "/tmp/h18fund"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_village_cadre_records_a_contribution_on_a_phone(phone_page, live_server, personas, agreement):
    page = phone_page
    today = local_today()
    contribution_record(agreement=agreement, amount=60000, frequency=Frequency.QUARTERLY, on=today,
                        payer="逄建明", actor=personas["office"])
    payout_record(agreement=agreement, amount=20000, month=today, on=today, note="现金发放，本人签字",
                  actor=personas["office"])

    log_in(page, live_server.url, "village_a", "pw-village_a", lands_on=f"/fund/councils/{agreement.council_id}/")
    assert page.get_by_text("逄秀英").first.is_visible()
    _shot(page, "council-ledger-360.png")
    page.get_by_role("link", name="登记收缴").first.click()
    page.wait_for_url(f"{live_server.url}/fund/agreements/{agreement.pk}/contributions/new/")
    assert page.locator("form[data-outbox] input[name=client_id]").count() == 1
    page.get_by_label("收缴金额（元）").fill("200")
    page.get_by_label("按月").check()
    page.get_by_label("收缴日期").fill(today.isoformat())
    page.get_by_label("缴款人").fill("逄建明")
    _shot(page, "contribution-form-360.png")
    checked = measure(page)
    assert checked["wide"] == [] and checked["scrollWidth"] <= 360
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/fund/agreements/{agreement.pk}/")
    page.get_by_text("收缴已登记。").wait_for()
    assert Entry.objects.filter(kind=EntryKind.CONTRIBUTION).count() == 2
    assert Entry.objects.filter(kind=EntryKind.MATCH).get(matches__amount=20000).amount == 2000
    # 600 + 60 + 200 + 20 - 200 = 680 yuan
    assert "680.00" in page.locator(".fund-totals").inner_text()
    assert "10% of 200.00" in Entry.objects.get(matches__amount=20000).note or "200.00 的 10%" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(f"{live_server.url}/fund/councils/{agreement.council_id}/agreements/new/")
    _shot(page, "agreement-form-360.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/fund/councils/{agreement.council_id}/")
    _shot(page, "council-ledger-1280.png")
    page.goto(f"{live_server.url}/fund/councils/{agreement.council_id}/agreements/new/")
    _shot(page, "agreement-form-1280.png")
    page.goto(f"{live_server.url}/fund/agreements/{agreement.pk}/contributions/new/")
    _shot(page, "contribution-form-1280.png")
    page.goto(f"{live_server.url}/fund/councils/{agreement.council_id}/print/")
    _shot(page, "council-notice-1280.png")
    assert not page.errors
