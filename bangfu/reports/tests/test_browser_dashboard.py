"""In a real browser at 360 px and 1280 px: the township office's dashboard draws its charts and
nothing sticks out sideways outside the boxes that scroll."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bangfu.core.tests.browser import log_in, measure
from bangfu.reports import services
from conftest import VILLAGE_A, VILLAGE_B, member_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str) -> None:
    """A screenshot to look at, when BANGFU_SCREENSHOTS names a folder."""
    folder = os.environ.get("BANGFU_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_the_township_dashboard_at_360_and_1280_px(phone_page, live_server, personas, make_household):
    make_household(VILLAGE_A, members=[member_data(), member_data(relation="配偶", name="王芳", sex="F")])
    make_household(VILLAGE_B)
    services.figures_rebuild()
    page = phone_page
    log_in(page, live_server.url, "office", "pw-office", lands_on="/reports/dashboard/")
    assert page.locator("h1").inner_text().startswith("驾驶舱")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.locator(".chart svg").first.wait_for()
        assert page.locator(".chart svg").count() == page.locator(".chart").count() > 0
        found = measure(page)
        assert found["wide"] == [], found["wide"]
        assert found["scrollWidth"] <= width
        assert "数据截至" in page.locator(".tile .as-of").first.inner_text()
        _shot(page, f"dashboard-township-{width}.png")
    assert page.errors == []
