"""In a real browser at 360 px: the caseworker opens their deliveries, the priority one first, marks
it delivered with who received it, and the township's stock goes down by what was delivered."""

from __future__ import annotations

import pytest

from bangfu.core.tests.browser import log_in, menu_go
from bangfu.deliveries.models import DeliveryKind, DeliveryStatus, GoodsSource
from bangfu.deliveries.services import delivery_create
from bangfu.households.choices import Category
from bangfu.supplies.models import Stock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_marks_a_delivery_delivered_and_the_stock_goes_down(
    phone_page, live_server, personas, make_household, stocked, rice,
):
    page = phone_page
    ordinary = make_household(caseworker=personas["caseworker_a"], categories=[Category.REGISTERED_POOR])
    elderly = make_household(caseworker=personas["caseworker_a"], categories=[Category.ELDERLY_ALONE])
    delivery_create(household=ordinary, kind=DeliveryKind.ERRAND, description="代缴电费", actor=personas["office"])
    rice_delivery = delivery_create(household=elderly, kind=DeliveryKind.GOODS, source=GoodsSource.STOCK,
                                    item=rice, quantity=10, actor=personas["office"])

    log_in(page, live_server.url, "caseworker_a", "pw-caseworker_a")
    menu_go(page, "送货代办")
    page.wait_for_url(f"{live_server.url}/deliveries/")
    cards = page.locator(".delivery-card")
    assert cards.count() == 2
    assert "大米 10kg" in cards.first.inner_text() and "优先" in cards.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    cards.first.locator(".delivery-who").click()
    page.wait_for_url(f"{live_server.url}/deliveries/{rice_delivery.pk}/")
    assert page.get_by_text("乡镇现有库存 100 kg。").is_visible()
    page.get_by_label("接收人").fill("老人之女")
    page.get_by_role("button", name="确认送达").click()
    page.get_by_text("已送达：大米 10kg。").wait_for()
    assert page.locator(".dstatus").first.inner_text() == "已送达"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    rice_delivery.refresh_from_db()
    assert rice_delivery.status == DeliveryStatus.DELIVERED and rice_delivery.received_by == "老人之女"
    assert Stock.objects.get(township_id="370215010", item=rice).quantity == 90
    # The household's page shows it in its history.
    page.get_by_role("link", name="该户的变更记录").click()
    page.get_by_text("接收人：老人之女").first.wait_for()
    assert not page.errors
