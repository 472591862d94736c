"""In a real browser: the township office uploads a medical-insurance drop (1280 px), which makes a
lead; the village cadre verifies it on a 360 px phone; after the meeting and the notice the
township office includes it at its review. Screenshots of the board, the lead, the public form and
the notice go to /tmp/h16mon/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from bangfu.core.dates import local_today
from bangfu.core.tests.browser import PHONE
from bangfu.monitoring import services
from bangfu.monitoring.models import Lead, Stage
from conftest import VILLAGE_A, member_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
SHOTS = Path("/tmp/h16mon")


def _page(browser, viewport, *, phone: bool):
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"pw-{username}")
    page.click("button[type=submit].full")
    page.wait_for_function("!location.pathname.startsWith('/accounts/login')")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_drop_makes_a_lead_the_village_verifies_on_a_phone_and_the_township_includes(
    browser, live_server, personas, make_household, tmp_path,
):
    base = live_server.url
    household = make_household(VILLAGE_A, members=[member_data(name="逄珍波")], wage_income=800000)
    member = household.members.get()
    book = Workbook()
    book.active.append(["姓名", "身份证号", "自付金额"])
    book.active.append([member.name, member.id_number, 26000])
    book.active.append(["外乡人", "410308196608090771", 50000])
    path = tmp_path / "医保11月.xlsx"
    book.save(path)

    office = _page(browser, DESKTOP, phone=False)
    _log_in(office, base, "office")
    office.goto(f"{base}/monitoring/drops/new/")
    office.select_option("select[name=department]", "medical")
    office.set_input_files("input[name=file]", str(path))
    office.click("form[enctype] button[type=submit]")
    office.wait_for_url(f"{base}/monitoring/drops/*/")
    assert "外乡人" in office.inner_text("table")  # the stranger is reported, not dropped
    lead = Lead.objects.get(household=household)
    assert lead.stage == Stage.VERIFY

    village = _page(browser, PHONE, phone=True)
    _log_in(village, base, "village_a")
    village.goto(f"{base}/monitoring/")
    _shot(village, "board-360.png")
    village.click(f"a[href='/monitoring/{lead.pk}/']")
    village.wait_for_url(f"{base}/monitoring/{lead.pk}/")
    _shot(village, "lead-360.png")
    village.click(f"a[href='/monitoring/{lead.pk}/verify/']")
    form = village.locator("form[data-outbox]")
    assert form.locator("input[name=client_id]").count() == 1
    village.fill("input[name=cadres]", "王建国、李秀英")
    village.fill("textarea[name=findings]", "住院花费大，家中主要劳动力无法务工")
    assert village.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(village, "verify-360.png")
    form.locator("button[type=submit]").click()
    village.wait_for_url(f"{base}/monitoring/{lead.pk}/")
    lead.refresh_from_db()
    assert lead.stage == Stage.COMPARE and lead.income_per_person_fen == 800000

    # The comparison, the meeting and the notice, as their roles take them.
    lead = services.lead_step(lead=lead, actor=personas["office"], action="compare", data={"answers": "无车无房"})
    lead = services.lead_step(lead=lead, actor=personas["village_a"], action="deliberate",
                              data={"meeting_on": local_today(), "attendance": 21, "agreed": True})
    office.goto(f"{base}/monitoring/notice/{VILLAGE_A}/")
    _shot(office, "notice-1280.png")
    village.goto(f"{base}/monitoring/notice/{VILLAGE_A}/")
    _shot(village, "notice-360.png")
    lead = services.lead_step(lead=lead, actor=personas["village_a"], action="publicize", data={
        "notice_start": local_today() - dt.timedelta(days=6), "notice_end": local_today() - dt.timedelta(days=1)})

    office.goto(f"{base}/monitoring/{lead.pk}/review/")
    office.select_option("select[name=agreed]", "yes")
    office.click("form[data-outbox] button[type=submit]")
    office.wait_for_url(f"{base}/monitoring/{lead.pk}/")
    _shot(office, "lead-1280.png")
    lead.refresh_from_db()
    assert lead.stage == Stage.DECIDE
    office.goto(f"{base}/monitoring/")
    _shot(office, "board-1280.png")

    public = _page(browser, PHONE, phone=True)
    public.goto(f"{base}/monitoring/apply/370215010/")
    _shot(public, "apply-360.png")
    wide = _page(browser, DESKTOP, phone=False)
    wide.goto(f"{base}/monitoring/apply/370215010/")
    _shot(wide, "apply-1280.png")
    office.goto(f"{base}/monitoring/qr/370215010/")
    _shot(office, "qr-1280.png")
    assert not office.errors and not village.errors and not public.errors
