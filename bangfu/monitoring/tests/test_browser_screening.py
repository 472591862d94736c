"""In a real browser, on a 360 px phone and at 1280 px: a village cadre's contact during a periodic
risk check (排查) records a risk found, which becomes a monitoring lead of source 干部排查; the
campaign form offers the kind. Screenshots go to /tmp/h16mon/."""

from __future__ import annotations

from pathlib import Path

import pytest

from bangfu.casework import services as casework_services
from bangfu.core.dates import local_today
from bangfu.core.tests.browser import PHONE, log_in, measure
from bangfu.monitoring.models import Channel, Lead, Source
from conftest import VILLAGE_A

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/h16mon")
DESKTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_a_risk_found_on_a_screening_visit_becomes_a_lead(browser, live_server, personas, make_household, viewport):
    household = make_household(VILLAGE_A)
    today = local_today()
    casework_services.campaign_create(actor=personas["office"], name="冬季防返贫排查", region_codes=[VILLAGE_A],
                                      start=today, end=today, kind="screening", channel="visit", assess=False)
    phone = viewport == PHONE
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone)
    context.set_default_timeout(60_000)
    page = context.new_page()
    log_in(page, live_server.url, "village_a", "pw-village_a", lands_on=None)
    page.goto(f"{live_server.url}/casework/households/{household.pk}/contact/")
    page.locator("input[name=channel][value=visit]").check(force=True)
    part = page.locator("details.contact-screening")
    part.locator("summary").click()
    part.locator("input[name=screening-found]").check()
    part.locator("input[name=screening-indicator]").fill("务工收入骤减")
    part.locator("textarea[name=screening-difficulty]").fill("工厂停工两个月")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"screening-contact-{viewport['width']}.png"), full_page=True)
    if phone:
        assert measure(page)["scrollWidth"] <= viewport["width"]
    page.locator("form[data-outbox] button[type=submit]").first.click()
    page.wait_for_url(lambda url: not url.rstrip('/').endswith('/contact'))
    lead = Lead.objects.get()
    assert (lead.source, lead.channel, lead.indicator) == (Source.CADRE, Channel.CAMPAIGN, "务工收入骤减")
    client_login = context.new_page()
    log_in(client_login, live_server.url, "office", "pw-office", lands_on=None)
    client_login.goto(f"{live_server.url}/casework/campaigns/new/")
    client_login.screenshot(path=str(SHOTS / f"campaign-form-{viewport['width']}.png"), full_page=True)
    context.close()
