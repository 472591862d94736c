"""In a real browser: the township office (at 1280 px) makes a delivery from stock from a supplies
need's page; the caseworker (on a 360 px phone) marks it delivered; the stock goes down and the
need is resolved, with what was delivered as what was done."""

from __future__ import annotations

import uuid

import pytest

from bangfu.core.tests.browser import PHONE
from bangfu.deliveries.models import Delivery, DeliveryStatus
from bangfu.needs import services as need_services
from bangfu.needs.models import Category, Need, Status
from bangfu.supplies.models import Stock
from conftest import member_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}


def _page(browser, viewport, *, phone: bool):
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def _log_in(page, base: str, username: str) -> None:
    # Wherever the role lands, the test goes on from the page it opens next.
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"pw-{username}")
    page.click("button[type=submit].full")
    page.wait_for_function("!location.pathname.startsWith('/accounts/login')")


def test_resolving_a_supplies_need_through_its_delivery_issues_stock_and_resolves_the_need(
    browser, live_server, personas, make_household, stocked, rice,
):
    base = live_server.url
    household = make_household(caseworker=personas["caseworker_a"], members=[member_data(name="逄珍波")])
    need, _created = need_services.need_create(
        household=household, category=Category.LIVING_SUPPLIES, description="家里米吃完了，需要送大米",
        client_id=uuid.uuid4(), actor=personas["office"])

    office = _page(browser, DESKTOP, phone=False)
    _log_in(office, base, "office")
    office.goto(f"{base}/needs/{need.pk}/")
    panel = office.locator("#need-deliveries")
    assert "还没有送货" in panel.inner_text()
    panel.get_by_role("button", name="安排送货").click()
    office.wait_for_url(f"{base}/deliveries/new/?need={need.pk}")
    assert office.get_by_text("对应诉求：").first.is_visible()
    office.select_option("select[name=item]", str(rice.pk))
    office.fill("input[name=quantity]", "10")
    office.get_by_role("button", name="保存").click()
    delivery = Delivery.objects.get(need=need)
    office.wait_for_url(f"{base}/deliveries/{delivery.pk}/")
    assert delivery.status == DeliveryStatus.ASSIGNED and delivery.caseworker == personas["caseworker_a"]
    assert Stock.objects.get(township_id="370215010", item=rice).quantity == 100  # not issued yet

    phone = _page(browser, PHONE, phone=True)
    _log_in(phone, base, "caseworker_a")
    phone.goto(f"{base}/deliveries/")
    phone.locator(".delivery-card", has_text="大米 10kg").locator(".delivery-who").click()
    phone.wait_for_url(f"{base}/deliveries/{delivery.pk}/")
    phone.get_by_label("接收人").fill("逄珍波")
    phone.get_by_role("button", name="确认送达").click()
    phone.get_by_text("已送达：大米 10kg。").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    assert Stock.objects.get(township_id="370215010", item=rice).quantity == 90
    need = Need.objects.get(pk=need.pk)
    assert need.status == Status.RESOLVED

    # The office sees the need resolved, with what was delivered and who received it.
    office.goto(f"{base}/needs/{need.pk}/")
    assert office.locator(".need-status").inner_text() == "已办结"
    done = office.locator(".measure-done").inner_text()
    assert "大米 10kg" in done and "逄珍波" in done
    assert "已送达" in office.locator("#need-deliveries").inner_text()
    assert not office.errors and not phone.errors
    # Closed here, not when the browser closes at the end of the run: until then the live server
    # keeps a thread for each of their connections.
    office.context.close()
    phone.context.close()
