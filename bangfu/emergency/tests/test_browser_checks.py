"""In a real browser at 360 px: the caseworker opens today's list, the daily check comes first,
records a fever on one screen; the township office sees the alert on the emergency's overview."""

from __future__ import annotations

import pytest

from bangfu.core.tests.browser import log_in
from bangfu.emergency.models import CheckStatus, FeverAlert, HealthCheck
from bangfu.emergency.services import checks_generate
from bangfu.needs.models import Need

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_records_a_fever_and_the_office_sees_the_alert(
    phone_page, live_server, personas, make_household, emergency,
):
    page = phone_page
    household = make_household(caseworker=personas["caseworker_a"])
    head = household.members.get()
    checks_generate()

    log_in(page, live_server.url, "caseworker_a", "pw-caseworker_a")
    page.goto(f"{live_server.url}/casework/today/")
    assert page.locator(".worklist-section").first.get_attribute("id") == "section-emergency_checks"
    page.locator(".check-worklist a").first.click()
    page.get_by_label(head.name).fill("38.6")
    for question in ("今天已消毒？", "生活物资够用 7 天吗？"):
        page.get_by_role("group", name=question).get_by_label("是").check()
    for question in ("有人咳嗽、咽痛或气促吗？", "这户需要帮助吗？"):
        page.get_by_role("group", name=question).get_by_label("否").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="提交排查").click()
    page.get_by_text("已记录发热").wait_for()

    check = HealthCheck.objects.get(household=household)
    assert check.status == CheckStatus.DONE and check.fever
    assert FeverAlert.objects.count() == 1
    assert Need.objects.filter(household=household, urgency="urgent").count() == 1

    page.context.clear_cookies()
    log_in(page, live_server.url, "office", "pw-office")
    page.goto(f"{live_server.url}/emergencies/{emergency.pk}/")
    alert = page.locator(".alert-row").first
    assert head.name in alert.inner_text() and "38.6" in alert.inner_text()
    assert page.locator(".stat.is-alert .stat-n").inner_text() == "1"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not page.errors


def test_a_village_volunteer_records_a_fever_from_the_board(
    phone_page, live_server, personas, volunteer_a, make_household, emergency,
):
    """The volunteer lands on the board, the only menu entry; the check records the fever; the
    registry stays closed to them."""
    page = phone_page
    household = make_household(caseworker=personas["caseworker_a"])
    head = household.members.get()
    checks_generate()

    log_in(page, live_server.url, "volunteer_a", "pw-volunteer_a", lands_on="/emergencies/checks/")
    assert page.locator(".mainnav a").all_inner_texts() == ["每日排查"]
    page.locator(".board-missing a").first.click()
    page.get_by_label(head.name).fill("38.9")
    for question in ("今天已消毒？", "生活物资够用 7 天吗？"):
        page.get_by_role("group", name=question).get_by_label("是").check()
    for question in ("有人咳嗽、咽痛或气促吗？", "这户需要帮助吗？"):
        page.get_by_role("group", name=question).get_by_label("否").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="提交排查").click()
    page.get_by_text("已记录发热").wait_for()
    assert page.url.endswith("/emergencies/checks/")

    check = HealthCheck.objects.get(household=household)
    assert check.status == CheckStatus.DONE and check.fever and check.done_by == volunteer_a
    assert FeverAlert.objects.get().raised_by == volunteer_a

    response = page.goto(f"{live_server.url}/households/{household.pk}/")
    assert response.status == 403
    page.get_by_text("返回每日排查").wait_for()
    assert [error for error in page.errors if "403" not in error] == []  # only the refusal itself
