"""In a real browser at 360 px: the main menu."""

from __future__ import annotations

import pytest

from bangfu.core.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_more_in_the_menu_opens_and_closes_from_the_keyboard(phone_page, live_server, personas):
    page = phone_page
    log_in(page, live_server.url, "office", "pw-office")
    summary = page.locator("details.navmore > summary")
    register = page.get_by_role("link", name="登记", exact=True)
    assert summary.inner_text().strip() == "更多" and not register.is_visible()
    # The whole menu (with More closed) takes at most two lines at 360 px.
    assert page.locator("nav.mainnav").bounding_box()["height"] < 80
    summary.focus()
    page.keyboard.press("Enter")
    register.wait_for(state="visible")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "登记"
    page.keyboard.press("Escape")
    register.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
