"""In a real browser at 360 px: a caseworker logs in, searches, and opens a household."""

from __future__ import annotations

import pytest

from bangfu.core.tests.browser import log_in
from bangfu.households import choices
from conftest import VILLAGE_A, VILLAGE_B, member_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_on_a_phone_opens_a_household(phone_page, live_server, make_household, personas):
    page = phone_page
    mine = make_household(VILLAGE_A, caseworker=personas["caseworker_a"], phone="13812345678",
                          categories=[choices.Category.REGISTERED_POOR],
                          members=[member_data(name="逄珍波"),
                                   member_data(name="王秀英", relation="配偶", sex="F", phone="13987654321")])
    make_household(VILLAGE_A, caseworker=personas["caseworker_a"], members=[member_data(name="于秀兰", sex="F")])
    other = make_household(VILLAGE_B, caseworker=personas["caseworker_b"], members=[member_data(name="郝建国")])

    log_in(page, live_server.url, "caseworker_a", "pw-caseworker_a")
    assert page.locator("h1").inner_text() == "农户"
    assert page.get_by_text("共 2 户").is_visible()
    assert not page.get_by_text(other.head_name).count()
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # Search as you type (htmx): the list narrows to one household and the address bar follows.
    page.fill("input[name=q]", "pzb")
    page.get_by_text("共 1 户").wait_for()
    assert "q=pzb" in page.url
    assert not page.get_by_text("于秀兰").count()

    page.get_by_role("link", name="逄珍波").click()
    page.wait_for_url(f"{live_server.url}/households/{mine.pk}/")
    assert page.locator("h1").inner_text() == "逄珍波"
    assert page.get_by_text("戴家庄村").first.is_visible()
    assert page.get_by_text("建档立卡户").first.is_visible()
    member = page.locator(".member-card", has_text="王秀英")
    assert member.is_visible()
    assert member.get_by_text("139****4321").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # A caseworker may see a phone in full (recorded); an ID number stays masked, with no button.
    member.get_by_role("button", name="显示完整联系电话").click()
    member.get_by_text("13987654321").wait_for()
    assert not member.get_by_role("button", name="显示完整证件号码").count()
    assert not page.errors, page.errors
