"""In a real browser at 360 px: a caseworker opens today's list, taps to call (the number is revealed
and recorded), logs the phone contact in the one-screen form, and the household leaves the list."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.casework import services
from bangfu.casework.models import Contact, FollowUp
from bangfu.core.dates import local_today
from bangfu.core.tests.browser import log_in, menu_go
from bangfu.history.models import Change

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_logs_a_phone_contact_from_the_worklist(phone_page, live_server, personas, casework):
    today = local_today()
    campaign = services.campaign_create(actor=personas["office"], name="电话随访暖心", region_codes=["370215010"],
                                        start=today, end=today + dt.timedelta(days=6))
    page = phone_page
    log_in(page, live_server.url, "caseworker_a", "pw-caseworker_a")
    menu_go(page, "今日待办")
    page.wait_for_url(f"{live_server.url}/casework/today/")
    assert page.locator("h1").inner_text() == "今日待办"
    items = page.locator("#section-campaign .work-item")
    assert items.count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The first call is the elderly household (a special group first); a tap reveals the number as a
    # tel: link (the next tap dials; not followed here).
    first = items.first
    household = casework["elderly_a"]
    first.get_by_role("button", name="拨打").click()
    link = first.locator("a.call-link")
    link.wait_for()
    assert link.get_attribute("href") == "tel:13812345678"
    assert Change.objects.filter(action="reveal", household_id=household.pk).count() == 1

    # Tap 1: open the form; type; tap 2: reached, save.
    first.get_by_role("button", name="记录随访").click()
    page.wait_for_url(f"{live_server.url}/casework/households/{household.pk}/contact/**")
    # Nothing is answered for the caseworker: no channel, none of the four conditions.
    assert page.locator("input[name=channel]:checked").count() == 0
    assert page.locator(".conditions input[type=radio]:checked").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("textarea[name=notes]", "老人身体好，米面充足")
    page.get_by_role("button", name="已联系上 · 保存").click()
    # Saving untouched answers is refused, each one named.
    page.locator(".form-errors").first.wait_for()  # the outbox shows the refused form
    assert page.locator(".form-errors").first.is_visible()
    assert page.get_by_text("生活储备充足：请回答是或否。").is_visible()
    assert not Contact.objects.exists()
    page.locator("input[name=channel][value=phone]").check()
    for name in ("supplies_ok", "prevention_ok", "medical_access_ok", "living_ok"):
        page.locator(f"input[name={name}][value=true]").check()
    page.get_by_role("button", name="已联系上 · 保存").click()
    page.wait_for_url(f"{live_server.url}/casework/today/")
    assert page.get_by_text("已保存对").is_visible()

    contact = Contact.objects.get()
    assert (contact.household_id, contact.channel, contact.reached, contact.campaign_id) == (
        household.pk, "phone", True, campaign.pk)
    assert contact.notes == "老人身体好，米面充足" and contact.assessment.living_ok is True
    assert FollowUp.objects.get(campaign=campaign, household=household).status == "done"
    assert page.locator("#section-campaign .work-item").count() == 2
    assert page.errors == []
