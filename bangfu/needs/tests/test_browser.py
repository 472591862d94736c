"""In a real browser at 360 px: a caseworker logs a phone contact and records the need heard on it
on the same screen, reported to the office as the call is saved; the township office finds it in its
day, assigns it and resolves it on the need's page; the caseworker calls back from today's list and
confirms."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.core.dates import local_today
from bangfu.core.tests.browser import PHONE, log_in, menu_go
from bangfu.needs.models import Need, Status
from bangfu.notify.models import Notification
from bangfu.notify.services import messages_deliver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_caseworker_records_office_resolves_caseworker_confirms(phone_page, browser, live_server, household_a):
    page = phone_page
    base = live_server.url
    log_in(page, base, "caseworker_a", "pw-caseworker_a")
    # The phone call, logged from the household's page, with the need heard on it.
    page.goto(f"{base}/households/{household_a.pk}/")
    page.get_by_role("button", name="记录随访").click()
    page.wait_for_url(f"{base}/casework/households/{household_a.pk}/contact/**")
    page.locator("input[name=channel][value=phone]").check()
    for name in ("supplies_ok", "prevention_ok", "medical_access_ok", "living_ok"):
        page.locator(f"input[name={name}][value=true]").check()
    page.get_by_text("本次随访了解到困难诉求？在这里记录").click()
    page.select_option("select[name=need-category]", "medical")
    page.locator("input[name=need-urgency][value=urgent]").check()
    page.fill("textarea[name=need-description]", "老人发烧，需要送街道卫生院")
    assert fits(page)
    page.get_by_role("button", name="已联系上 · 保存").click()
    # Saved with the call and reported at once: the message says so.
    page.get_by_text("诉求已上报乡镇扶贫办。").wait_for()
    need = Need.objects.get()
    assert need.status == Status.REPORTED and need.urgency == "urgent"
    assert need.contact is not None and need.contact.channel == "phone"
    messages_deliver()

    # The township office, on its own phone: the need waits in its day and its inbox.
    office = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True).new_page()
    office.set_default_timeout(10_000)
    log_in(office, base, "office", "pw-office")
    assert Notification.objects.filter(user__username="office", message__kind="need.reported").count() == 1
    office.goto(f"{base}/casework/today/")
    office.locator("#section-needs_to_assign").get_by_text("老人发烧，需要送街道卫生院").click()
    office.wait_for_url(f"{base}/needs/{need.pk}/")
    # Assigned on the need's own page: no measure chosen for it, the household's caseworker proposed.
    form = office.locator("#next-action")
    assert form.locator("select[name=measure_type]").input_value() == ""
    assert form.locator("select[name=owner] option:checked").inner_text() == "caseworker_a · 帮扶干部"
    form.locator("select[name=measure_type]").select_option("health")
    form.locator("textarea[name=plan]").fill("联系家庭医生上门")
    form.locator("input[name=due_on]").fill((local_today() + dt.timedelta(days=7)).isoformat())
    assert fits(office)
    form.get_by_role("button", name="分派").click()
    office.get_by_text("措施已分派。").wait_for()
    need.refresh_from_db()
    assert need.status == Status.ASSIGNED and need.owner.username == "caseworker_a"
    office.fill("#next-action textarea[name=result]", "家庭医生已上门，已退烧")
    office.fill("#next-action input[name=cost]", "35.5")
    office.locator("#next-action").get_by_role("button", name="办结").click()
    office.get_by_text("诉求已办结，帮扶责任人将回访农户。").wait_for()
    assert fits(office)
    need.refresh_from_db()
    assert need.status == Status.RESOLVED and need.measures.get().cost_fen == 3550
    office.context.close()

    # Back to the caseworker: the need waits for the call back, in today's list.
    menu_go(page, "今日待办")
    page.locator("#section-needs_to_confirm").get_by_text("老人发烧，需要送街道卫生院").click()
    page.wait_for_url(f"{base}/needs/{need.pk}/")
    page.locator("#next-action").get_by_role("button", name="回访确认").click()
    page.get_by_text("农户已确认：诉求办结。").wait_for()
    assert Need.objects.get().status == Status.CONFIRMED
    timeline = page.locator("#timeline").inner_text()
    for step in ("上报", "分派", "办结", "回访确认"):
        assert step in timeline
    assert fits(page)
    assert not page.errors, page.errors
