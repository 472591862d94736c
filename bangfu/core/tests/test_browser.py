"""In a real browser at 360 px: the main menu."""

from __future__ import annotations

import pytest

from bangfu.core.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_more_in_the_menu_opens_and_closes_from_the_keyboard(browser, live_server, personas):
    """On a desk's screen the menu is one line, the less used entries under 更多."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server.url, "office", "pw-office")
    summary = page.locator("details.navmore > summary")
    register = page.locator("nav.mainnav").get_by_role("link", name="登记", exact=True)
    assert summary.inner_text().strip() == "更多" and not register.is_visible()
    assert not page.locator("details.phonemenu").is_visible()
    assert page.locator("nav.mainnav").bounding_box()["height"] < 50
    summary.focus()
    page.keyboard.press("Enter")
    register.wait_for(state="visible")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "登记"
    page.keyboard.press("Escape")
    register.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    context.close()


def test_on_a_phone_the_menu_is_one_button_in_a_short_bar(phone_page, live_server, personas):
    page = phone_page
    log_in(page, live_server.url, "caseworker_a", "pw-caseworker_a", lands_on=None)
    bar = page.locator("header.topbar").bounding_box()
    assert bar["height"] <= 60
    assert not page.locator("nav.mainnav").is_visible()
    summary = page.locator("details.phonemenu > summary")
    # The button names the page shown (the caseworker lands on 今日待办).
    assert "今日待办" in summary.inner_text()
    box = summary.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    panel = page.locator(".phonemenu-panel")
    assert not panel.is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    panel.wait_for(state="visible")
    links = panel.locator("a")
    # Every entry, the less used ones too, one tap away and each at least 44 px tall.
    assert links.count() >= 5
    for i in range(links.count()):
        assert links.nth(i).bounding_box()["height"] >= 44
    assert page.locator("header.topbar").bounding_box()["height"] <= 60  # the panel lies over the page
    page.keyboard.press("Escape")
    panel.wait_for(state="hidden")
    summary.click()
    panel.wait_for(state="visible")
    page.mouse.click(180, 720)  # a tap elsewhere, below the open menu, closes it
    panel.wait_for(state="hidden")
    summary.click()
    panel.get_by_role("link", name="农户", exact=True).click()
    page.wait_for_url(f"{live_server.url}/households/")
    assert "农户" in page.locator("details.phonemenu > summary").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not page.errors
