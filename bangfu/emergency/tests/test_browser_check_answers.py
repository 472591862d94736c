"""In a real browser at 360 px: a daily check opens with nothing answered and the temperature box
empty (its example is a hint under it, not a grey value in it); submitted untouched it is refused,
every unanswered question named; answered, it is recorded; 更正排查 opens with the answers given."""

from __future__ import annotations

import pytest

from bangfu.core.tests.browser import log_in
from bangfu.emergency.models import CheckStatus, HealthCheck
from bangfu.emergency.services import checks_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONS = ("今天已消毒？", "有人咳嗽、咽痛或气促吗？", "生活物资够用 7 天吗？", "这户需要帮助吗？")


def test_a_check_starts_unanswered_refuses_untouched_answers_and_is_corrected_from_its_answers(
    phone_page, live_server, personas, make_household, emergency,
):
    page = phone_page
    household = make_household(caseworker=personas["caseworker_a"])
    head = household.members.get()
    checks_generate()
    check = HealthCheck.objects.get(household=household)

    log_in(page, live_server.url, "caseworker_a", "pw-caseworker_a")
    page.goto(f"{live_server.url}/emergencies/checks/{check.pk}/")
    temperature = page.get_by_label(head.name)
    assert temperature.input_value() == "" and temperature.get_attribute("placeholder") is None
    assert page.get_by_text("例如 36.5").is_visible()
    assert page.locator("input[type=radio]:checked").count() == 0

    page.get_by_role("button", name="提交排查").click()
    page.get_by_text(f"{QUESTIONS[0]}请回答是或否。").wait_for()  # the outbox shows the refused form
    for question in QUESTIONS:
        assert page.get_by_text(f"{question}请回答是或否。").is_visible()
    check.refresh_from_db()
    assert check.status == CheckStatus.DUE

    temperature = page.get_by_label(head.name)
    temperature.fill("36.7")
    page.get_by_role("group", name="今天已消毒？").get_by_label("是").check()
    page.get_by_role("group", name="有人咳嗽、咽痛或气促吗？").get_by_label("否").check()
    page.get_by_role("group", name="生活物资够用 7 天吗？").get_by_label("否").check()
    page.get_by_role("group", name="这户需要帮助吗？").get_by_label("是").check()
    page.fill("textarea[name=note]", "米快吃完了")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="提交排查").click()
    page.wait_for_url(f"{live_server.url}/casework/today/")
    check.refresh_from_db()
    assert check.status == CheckStatus.DONE and check.supplies_enough is False and check.help_needed is True

    # 更正排查: the earlier answers are there to change, not to give again.
    page.goto(f"{live_server.url}/emergencies/checks/{check.pk}/")
    assert page.get_by_role("button", name="更正排查").is_visible()
    assert page.get_by_label(head.name).input_value() == "36.7"
    assert page.get_by_role("group", name="生活物资够用 7 天吗？").get_by_label("否").is_checked()
    assert page.get_by_role("group", name="这户需要帮助吗？").get_by_label("是").is_checked()
    assert page.locator("textarea[name=note]").input_value() == "米快吃完了"
    page.get_by_role("group", name="生活物资够用 7 天吗？").get_by_label("是").check()
    page.get_by_role("button", name="更正排查").click()
    page.wait_for_url(f"{live_server.url}/casework/today/")
    check.refresh_from_db()
    assert check.supplies_enough is True and check.help_needed is True and check.note == "米快吃完了"
    assert not page.errors
