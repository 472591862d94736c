"""In a real browser: a caseworker's edit made on a form someone changed meanwhile is held, and
the held edit is reviewed side by side at 360 px and 1280 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bangfu.core.tests.browser import log_in
from bangfu.households import services
from bangfu.households.models import ConflictStatus, EditConflict, Household
from conftest import VILLAGE_A, member_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("BANGFU_SCREENSHOTS", "/tmp/h21conflict"))


def test_a_stale_edit_is_held_and_reviewed_side_by_side(phone_page, browser, live_server, make_household, personas):
    page = phone_page
    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"], address="一组 3 号",
                                phone="13812345678", members=[member_data(name="逄珍波")])
    log_in(page, live_server.url, "caseworker_a", "pw-caseworker_a")
    page.goto(f"{live_server.url}/households/{household.pk}/edit/")
    # Meanwhile the office changes the address and the road.
    services.household_update(actor=personas["office"], household=household, version=household.version,
                              data={"address": "二组 5 号", "road_type": "水泥路"})
    page.fill("input[name=address]", "三组 8 号")
    page.fill("input[name=phone]", "13900002222")
    page.locator("form.record-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/households/{household.pk}/")
    assert page.get_by_text("您的修改暂未生效").is_visible()
    assert Household.objects.get(pk=household.pk).address == "二组 5 号"

    page.goto(f"{live_server.url}/households/held-edits/")
    item = page.locator(".work-item")
    assert item.count() == 1
    for text in ("一组 3 号", "二组 5 号", "三组 8 号", "138****5678", "139****2222", "双方都改了"):
        assert item.get_by_text(text).first.is_visible(), text
    assert "13900002222" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "held-edits-360.png"), full_page=True)

    desk = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    office = desk.new_page()
    log_in(office, live_server.url, "office", "pw-office", lands_on="/households/held-edits/")
    office.wait_for_selector(".work-item")
    assert office.evaluate("document.documentElement.scrollWidth") <= 1280
    office.screenshot(path=str(SHOTS / "held-edits-1280.png"), full_page=True)
    office.get_by_role("button", name="采用这条修改").click()
    office.get_by_text("已采用这条修改").wait_for()
    desk.close()
    now = Household.objects.get(pk=household.pk)
    assert (now.address, now.phone, now.road_type) == ("三组 8 号", "13900002222", "水泥路")
    assert EditConflict.objects.get().status == ConflictStatus.APPLIED
    assert not page.errors, page.errors
