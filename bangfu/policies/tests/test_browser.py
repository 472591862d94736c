"""In a real browser: a village cadre on a phone sees what a household is owed and what is missing,
records a receipt, and the township's list of gaps follows; nothing is wider than the phone.
With BANGFU_SCREENSHOTS=<folder>, the pages are also saved there at 360 and 1280 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bangfu.core.dates import local_today
from bangfu.core.tests.browser import log_in
from bangfu.policies import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(target, name: str) -> None:
    """A page whole, or one element (a panel)."""
    folder = os.environ.get("BANGFU_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        options = {"full_page": True} if hasattr(target, "goto") else {}
        target.screenshot(path=str(Path(folder) / name), **options)


def test_a_village_cadre_records_a_receipt_on_a_phone(phone_page, browser, live_server, dibao_home, plain_home,
                                                      personas):
    services.receipt_record(actor=personas["office"], household=plain_home, policy_key="dibao",
                            period=f"{local_today():%Y-%m}", amount=50_000, paid_on=local_today(),
                            member=plain_home.members.get())
    page = phone_page
    log_in(page, live_server.url, "village_a", "pw-village_a", lands_on=f"/households/{dibao_home.pk}/")
    panel = page.locator("#policies")
    assert panel.get_by_text("困难残疾人生活补贴").first.is_visible()
    assert panel.locator(".gap-card").count() == 5  # dibao ×2, disability, medical ×2
    _shot(panel, "household-panel-360.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    panel.get_by_role("button", name="登记到账").click()
    form = page.locator("form[data-outbox]")
    assert form.locator("input[name=client_id]").count() == 1
    form.locator("select[name=policy]").select_option("disability")
    form.locator("select[name=member]").select_option(label="戴小军")
    form.locator("input[name=period]").fill(f"{local_today():%Y-%m}")
    form.locator("input[name=amount]").fill("120")
    form.locator("input[name=paid_on]").fill(local_today().isoformat())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    form.get_by_role("button", name="登记").click()
    page.wait_for_url(f"{live_server.url}/households/{dibao_home.pk}/#policies")
    assert page.locator("#policies .gap-card").count() == 4

    page.goto(f"{live_server.url}/policies/gaps/")
    assert page.get_by_text("戴金山").first.is_visible()
    assert not page.get_by_text("郝玉兰").count()  # the neighbouring village's
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, "gaps-360.png")
    page.goto(f"{live_server.url}/policies/")
    assert page.get_by_text("雨露计划").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, "policies-360.png")
    assert not page.errors, page.errors

    wide = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    log_in(wide, live_server.url, "office", "pw-office", lands_on="/policies/gaps/")
    assert wide.get_by_text("郝玉兰").first.is_visible()  # the township office sees both villages
    _shot(wide, "gaps-1280.png")
    wide.goto(f"{live_server.url}/households/{dibao_home.pk}/#policies")
    _shot(wide.locator("#policies"), "household-panel-1280.png")
    wide.goto(f"{live_server.url}/policies/")
    _shot(wide, "policies-1280.png")
    wide.context.close()
