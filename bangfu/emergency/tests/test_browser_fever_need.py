"""In a real browser: a village volunteer records a fever at a daily check (360 px); the need goes
straight to the township office with the check's answers, and the household's caseworker is told;
the office (1280 px) finds it in its day and assigns it on the need's page, with no other step; the
owner finds the measure in their day and in their inbox."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.core.dates import local_today
from bangfu.core.tests.browser import PHONE, log_in
from bangfu.emergency.services import checks_generate
from bangfu.needs.models import Need, Status
from bangfu.notify.models import Notification
from bangfu.notify.services import messages_deliver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_volunteers_fever_reaches_the_office_and_the_owner(
    phone_page, browser, live_server, personas, volunteer_a, make_household, emergency,
):
    base = live_server.url
    page = phone_page
    household = make_household(caseworker=personas["caseworker_a"])
    head = household.members.get()
    checks_generate()

    log_in(page, base, "volunteer_a", "pw-volunteer_a", lands_on="/emergencies/checks/")
    page.locator(".board-missing a").first.click()
    page.get_by_label(head.name).fill("38.2")
    for question in ("今天已消毒？", "生活物资够用 7 天吗？", "有人咳嗽、咽痛或气促吗？", "这户需要帮助吗？"):
        page.get_by_role("group", name=question).get_by_label("是").check()
    page.locator("[name=note]").fill("户主发热伴咳嗽")
    page.get_by_role("button", name="提交排查").click()
    page.get_by_text("已记录发热").wait_for()

    # Straight to the office, with what the volunteer saw; one need, not a second for "help needed".
    need = Need.objects.get(household=household)
    assert need.status == Status.REPORTED and need.urgency == "urgent" and need.reported_at is not None
    assert "38.2" in need.description and "户主发热伴咳嗽" in need.description
    assert "是否需要帮助：是" in need.description
    messages_deliver()
    told = Notification.objects.filter(user=personas["caseworker_a"]).values_list("message__kind", flat=True)
    assert list(told) == ["need.raised"]

    # The office, at its desk.
    office = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
    office.set_default_timeout(10_000)
    log_in(office, base, "office", "pw-office")
    office.goto(f"{base}/casework/today/")
    office.locator("#section-needs_to_assign a.need-link", has_text="38.2 °C").click()
    office.wait_for_url(f"{base}/needs/{need.pk}/")
    form = office.locator("#next-action")
    assert form.locator("select[name=measure_type]").input_value() == ""
    assert form.locator("select[name=owner] option:checked").inner_text() == "caseworker_a · 帮扶干部"
    form.locator("select[name=measure_type]").select_option("health")
    form.locator("textarea[name=plan]").fill("联系卫生院医生上门诊治")
    form.locator("input[name=due_on]").fill((local_today() + dt.timedelta(days=7)).isoformat())
    form.get_by_role("button", name="分派").click()
    office.get_by_text("措施已分派。").wait_for()
    need.refresh_from_db()
    assert need.status == Status.ASSIGNED and need.owner == personas["caseworker_a"]
    office.context.close()

    # The owner: told, and the measure in today's list, with its resolve form on the need's page.
    messages_deliver()
    assert Notification.objects.filter(user=personas["caseworker_a"], message__kind="need.assigned").count() == 1
    page.context.clear_cookies()
    log_in(page, base, "caseworker_a", "pw-caseworker_a")
    page.goto(f"{base}/casework/today/")
    page.locator("#section-needs_assigned a.need-link", has_text="38.2 °C").click()
    page.wait_for_url(f"{base}/needs/{need.pk}/")
    assert page.locator("#next-action").get_by_role("button", name="办结").is_visible()
    page.goto(f"{base}/notifications/")
    page.get_by_text("分派给您").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
