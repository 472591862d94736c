"""In a real browser at 360 px: a caseworker registers a returnee by the household head's name (two
households share it: a choice), every error shown in one round, then finds the household in the
households search by the returnee's name and ID number."""

from __future__ import annotations

import pytest

from bangfu.core.tests.browser import log_in
from bangfu.emergency.models import Returnee
from conftest import member_data, person_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_returnee_registered_by_name_is_found_in_search(phone_page, live_server, personas, make_household,
                                                        emergency):
    page = phone_page
    first = make_household(members=[member_data(name="李大山")], caseworker=personas["caseworker_a"], address="1组")
    second = make_household(members=[member_data(name="李大山")], caseworker=personas["caseworker_a"], address="3组")
    id_number = person_id()
    log_in(page, live_server.url, "caseworker_a", "pw-caseworker_a")
    page.goto(f"{live_server.url}/emergencies/{emergency.pk}/returnees/new/")
    assert page.locator("input[type=radio]:checked").count() == 0  # no yes/no answered in advance
    page.fill("input[name=household]", "李大山")
    page.fill("input[name=name]", "李归乡")
    page.fill("input[name=id_number]", id_number)
    page.get_by_role("button", name="登记").click()
    page.get_by_text("有 2 户与“李大山”相符").wait_for()  # the outbox shows the refused form
    # One round: the household's choice, the place they came from, the three yes/no answers.
    assert page.get_by_text("有 2 户与“李大山”相符").is_visible()
    assert page.locator(".has-error").count() >= 5
    assert page.get_by_text("是否居家隔离：请回答是或否。").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not Returnee.objects.exists()

    page.locator(f"input[name=household_pick][value='{second.pk}']").check()
    page.fill("input[name=origin]", "湖北省武汉市")
    page.get_by_role("group", name="居家隔离").get_by_label("是").check()
    page.get_by_role("group", name="居家物资已保障").get_by_label("是").check()
    page.get_by_role("group", name="需要帮助").get_by_label("否").check()
    page.get_by_role("button", name="登记").click()
    page.wait_for_url(f"{live_server.url}/emergencies/{emergency.pk}/returnees/")
    assert Returnee.objects.get().household_id == second.pk

    for text in ("李归乡", id_number):
        page.goto(f"{live_server.url}/households/?q={text}")
        results = page.locator("main").inner_text()
        assert second.number in results and first.number not in results
    assert not page.errors
