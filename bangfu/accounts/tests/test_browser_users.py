"""In a real browser: a township office adds a caseworker on the users page and sees the one-time
password once; the caseworker logs in with it, is made to choose a password and lands on 今日待办;
the office resets the password and deactivates the user, who can no longer log in. And the first
administrator created from the setup link `bangfu serve` prints.

Screenshots (360 and 1280 px) of the users page, the add form and the setup page go to
$BANGFU_SCREENSHOTS (default /tmp/h15first)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bangfu.accounts import services
from bangfu.accounts.models import User
from bangfu.core.permissions import Role
from bangfu.core.tests.browser import PHONE, log_in, measure, menu_go
from bangfu.history.models import Change

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("BANGFU_SCREENSHOTS", "/tmp/h15first"))
WIDE = {"width": 1280, "height": 900}
TOWNSHIP_A = "370215010"


def _shots(browser, base: str, path: str, name: str, *, cookies=None) -> None:
    """The page at `path` at 360 and 1280 px; at 360 px nothing sticks out sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("360", PHONE), ("1280", WIDE)):
        context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=label == "360",
                                      has_touch=label == "360")
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(base + path)
        if label == "360":
            found = measure(page)
            assert found["scrollWidth"] <= found["width"], found["wide"]
            assert not found["wide"], found["wide"]
        # As tall as the page: the form's sticky buttons drawn where they rest, not over the fields.
        page.set_viewport_size({"width": viewport["width"],
                                "height": max(viewport["height"], page.evaluate("document.body.scrollHeight"))})
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"))
        context.close()


def _try_login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].full")


def test_office_adds_a_caseworker_who_logs_in_then_resets_and_deactivates(phone_page, browser, live_server,
                                                                          personas):
    page, base = phone_page, live_server.url
    log_in(page, base, "office", "pw-office")
    menu_go(page, "用户管理")
    page.wait_for_url(f"{base}/accounts/users/")
    _shots(browser, base, "/accounts/users/", "users", cookies=page.context.cookies())
    page.get_by_role("button", name="添加用户", exact=True).click()
    page.wait_for_url(f"{base}/accounts/users/add/")
    _shots(browser, base, "/accounts/users/add/", "user-add", cookies=page.context.cookies())
    page.fill("input[name=username]", "wang_fang")
    page.fill("input[name=display_name]", "王芳")
    page.fill("input[name=phone]", "13912345678")
    page.select_option("select[name=role]", Role.CASEWORKER.value)
    page.fill("input[name=region]", TOWNSHIP_A)
    page.get_by_role("button", name="保存").click()
    page.get_by_text("用户已添加。").wait_for()
    password = page.locator(".one-time-password").inner_text().strip()
    assert len(password) >= 12
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    added = User.objects.get(username="wang_fang")
    assert added.role == Role.CASEWORKER and added.region_id == TOWNSHIP_A and added.must_change_password
    # Shown once: the user's page, and the list, never show it again.
    page.goto(f"{base}/accounts/users/{added.pk}/")
    assert password not in page.content()
    page.goto(f"{base}/accounts/users/")
    assert password not in page.content() and "王芳" in page.content()

    # The caseworker, on their own phone: the one-time password, then a password of their own.
    worker = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True).new_page()
    worker.set_default_timeout(10_000)
    _try_login(worker, base, "wang_fang", password)
    worker.wait_for_url(f"{base}/accounts/password/")
    worker.goto(f"{base}/casework/today/")  # anything else leads back to the password page
    worker.wait_for_url(f"{base}/accounts/password/")
    worker.fill("input[name=old_password]", password)
    worker.fill("input[name=new_password]", "Wang-fang-2026!")
    worker.fill("input[name=new_password2]", "Wang-fang-2026!")
    worker.get_by_role("button", name="修改密码").click()
    worker.wait_for_url(f"{base}/casework/today/")
    assert "今日待办" in worker.title()
    added.refresh_from_db()
    assert not added.must_change_password and added.check_password("Wang-fang-2026!")
    worker.context.close()

    # The office resets the password: a new one-time password, shown once; the old one is gone.
    page.goto(f"{base}/accounts/users/{added.pk}/")
    page.get_by_role("button", name="重置密码").click()
    page.get_by_text("密码已重置。").wait_for()
    reset = page.locator(".one-time-password").inner_text().strip()
    assert reset != password
    added.refresh_from_db()
    assert added.must_change_password and added.check_password(reset) and not added.check_password("Wang-fang-2026!")

    # Then deactivates the user, who can no longer log in, the right password neither.
    page.goto(f"{base}/accounts/users/{added.pk}/")
    page.get_by_role("button", name="停用").click()
    page.get_by_text("用户已停用。").wait_for()
    added.refresh_from_db()
    assert not added.is_active
    gone = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    gone.set_default_timeout(10_000)
    _try_login(gone, base, "wang_fang", reset)
    gone.get_by_text("用户名或密码错误。").wait_for()
    assert "/accounts/login/" in gone.url
    gone.context.close()
    actions = list(Change.objects.filter(object_type="user", object_id=added.pk).order_by("pk")
                   .values_list("actor__username", flat=True))
    assert actions == ["office", "wang_fang", "office", "office"]


def test_the_setup_link_creates_the_administrator_in_the_browser(phone_page, browser, live_server, regions):
    page, base = phone_page, live_server.url
    lines = services.setup_link(base_url=base)
    link = next(line.strip() for line in lines if "/accounts/setup/" in line)
    _shots(browser, base, link.removeprefix(base), "setup")
    page.goto(link)
    assert page.locator("h1").inner_text() == "创建管理员"
    page.fill("input[name=username]", "county_admin")
    page.fill("input[name=password]", "Hua-shan-2026!")
    page.fill("input[name=password2]", "Hua-shan-2026?")
    page.get_by_role("button", name="创建管理员").click()
    page.get_by_text("两次输入的密码不一致。").wait_for()
    assert not User.objects.filter(username="county_admin").exists()
    page.fill("input[name=password]", "Hua-shan-2026!")
    page.fill("input[name=password2]", "Hua-shan-2026!")
    page.get_by_role("button", name="创建管理员").click()
    page.get_by_text("管理员 county_admin 已创建。").wait_for()
    admin = User.objects.get(username="county_admin")
    assert admin.role == Role.ADMIN and admin.is_active
    assert "/accounts/login/" not in page.url and "/accounts/setup/" not in page.url
    # Logged in: the menu leads to the users page, where the administrator is listed.
    page.goto(f"{base}/accounts/users/")
    assert page.get_by_text("county_admin").count() >= 1
    assert not page.errors
    # The link is used up.
    response = page.goto(link)
    assert response.status == 404
