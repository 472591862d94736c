"""In a real browser: the township office generates a briefing and reads it (1280 px and a 360 px
phone), edits the template, and prints a village's files, following the progress page to the
download. Screenshots go to /tmp/briefings-shots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from bangfu.briefings.fonts import print_fonts
from bangfu.briefings.models import Briefing
from bangfu.core.tests.browser import PHONE
from conftest import VILLAGE_A, member_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(print_fonts() is None, reason="no CJK font installed (fonts-noto-cjk)")]

DESKTOP = {"width": 1280, "height": 800}
SHOTS = Path("/tmp/briefings-shots")


def _page(browser, viewport, *, phone: bool):
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone,
                                  accept_downloads=True)
    context.set_default_timeout(15_000)
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


def test_the_office_generates_a_briefing_and_prints_a_villages_files(browser, live_server, personas, make_household,
                                                                     settings, tmp_path):
    settings.JOB_FILES_DIR = tmp_path
    base = live_server.url
    for name in ("逄珍波", "郝晓邻"):
        make_household(VILLAGE_A, members=[member_data(name=name)], caseworker=personas["caseworker_a"])
    office = _page(browser, DESKTOP, phone=False)
    _log_in(office, base, "office")
    office.goto(f"{base}/briefings/")
    office.fill("input[name=start]", "2026-01-01")
    office.fill("input[name=end]", "2026-01-31")
    office.click("form.briefing-form button[type=submit]")
    office.wait_for_selector(".briefing-sheet")
    assert "蓝村街道脱贫攻坚工作简报" in office.inner_text(".briefing-masthead")
    assert Briefing.objects.get().number == 1
    _shot(office, "briefing-1280.png")
    with office.expect_download() as download:
        office.click("text=下载（.docx）")
    assert download.value.suggested_filename.endswith(".docx")
    office.goto(f"{base}/briefings/")
    _shot(office, "briefings-1280.png")
    office.goto(f"{base}/briefings/template/")
    _shot(office, "template-1280.png")

    office.goto(f"{base}/briefings/prints/?village={VILLAGE_A}")
    _shot(office, "prints-1280.png")
    office.click("form[action*='/files/'] button[type=submit]")
    office.wait_for_selector("text=下载 PDF", timeout=60_000)
    _shot(office, "job-1280.png")
    assert not office.errors

    phone = _page(browser, PHONE, phone=True)
    _log_in(phone, base, "office")
    phone.goto(f"{base}/briefings/{Briefing.objects.get().pk}/")
    _shot(phone, "briefing-360.png")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1
    phone.goto(f"{base}/briefings/")
    _shot(phone, "briefings-360.png")
    phone.goto(f"{base}/briefings/prints/?village={VILLAGE_A}")
    _shot(phone, "prints-360.png")
    phone.goto(f"{base}/briefings/template/")
    _shot(phone, "template-360.png")
    assert not phone.errors
