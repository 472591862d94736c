"""In a real browser at 360 px and 1280 px: the project list, a project's page with its stages and
ledger, a payment refused with the figure then recorded, and the printed notice, nothing wider than
the screen; screenshots under /tmp/h18proj/."""

from __future__ import annotations

from pathlib import Path

import pytest

from bangfu.core.tests.browser import log_in
from bangfu.projects.models import LedgerEntry, Stage
from bangfu.projects.tests.test_services import advance, make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/h18proj")


def test_a_project_from_list_to_payment_and_notice(phone_page, browser, live_server, personas, regions):
    project = advance(make(personas, regions), personas, Stage.BUILDING)
    make(personas, regions, name="戴家庄村路灯安装工程", budget={"central": 90_000_00, "other": 10_000_00})
    SHOTS.mkdir(exist_ok=True)
    page = phone_page
    log_in(page, live_server.url, "office", "pw-office", lands_on="/projects/")
    assert page.get_by_text("生产路硬化工程").is_visible()
    page.screenshot(path=SHOTS / "list-360.png", full_page=True)
    page.get_by_role("link", name="戴家庄村生产路硬化工程").click()
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/")
    assert page.get_by_text("支出率").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="登记拨付").click()
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/payments/")
    page.get_by_label("中央").check()
    page.fill("input[name=amount]", "300000.01")
    page.fill("input[name=payee]", "鑫盛建筑")
    page.get_by_role("button", name="登记拨付").click()
    assert page.get_by_text("仅剩300,000.00元").is_visible()
    assert not LedgerEntry.objects.filter(kind="payment").exists()
    page.fill("input[name=amount]", "120000")
    page.get_by_role("button", name="登记拨付").click()
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/")
    assert LedgerEntry.objects.get(kind="payment").amount_fen == 120_000_00
    assert page.get_by_text("40.0%").first.is_visible()
    page.screenshot(path=SHOTS / "project-360.png", full_page=True)
    page.goto(f"{live_server.url}/projects/{project.pk}/notices/village_notice/")
    assert page.get_by_text("申报公示").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=SHOTS / "notice-360.png", full_page=True)
    assert not page.errors

    wide = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk = wide.new_page()
    log_in(desk, live_server.url, "office", "pw-office", lands_on="/projects/")
    desk.screenshot(path=SHOTS / "list-1280.png", full_page=True)
    desk.goto(f"{live_server.url}/projects/{project.pk}/")
    desk.screenshot(path=SHOTS / "project-1280.png", full_page=True)
    desk.goto(f"{live_server.url}/projects/{project.pk}/notices/village_notice/")
    desk.screenshot(path=SHOTS / "notice-1280.png", full_page=True)
    desk.goto(f"{live_server.url}/projects/{project.pk}/card/")
    desk.screenshot(path=SHOTS / "card-1280.png", full_page=True)
    wide.close()
