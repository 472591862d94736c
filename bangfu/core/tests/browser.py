"""Browser fixtures: Playwright driving Debian's Chromium (never a downloaded browser).

Without /usr/bin/chromium the browser tests skip, unless BANGFU_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("BANGFU_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}


def _missing(reason: str):
    if os.environ.get("BANGFU_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (BANGFU_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _missing(f"no Chromium at {CHROMIUM}; install Debian's chromium package")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # itself (fixtures writing data) are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A page in a 360 px wide viewport, Chinese, against the live server."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.errors = errors
    yield page
    context.close()


def log_in(page, base_url: str, username: str, password: str, *, lands_on: str | None = "/households/") -> str:
    """Log in through the form and wait for the page it leads to: `lands_on`, asked for as the
    login's next page; or, with lands_on=None, the role's own first page. Returns the page's path."""
    page.goto(f"{base_url}/accounts/login/" + (f"?next={lands_on}" if lands_on else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].full")
    if lands_on:
        page.wait_for_url(f"{base_url}{lands_on}")
    else:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page.url.removeprefix(base_url)
