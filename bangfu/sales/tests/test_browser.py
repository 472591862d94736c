"""In a real browser at 360 px: a village cadre records a sale of the cooperative's morels on a
phone, and the sales list and the numbers show it; the pages are looked at at 360 and 1280 px."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

from bangfu.core.dates import local_today
from bangfu.core.tests.browser import log_in, measure
from bangfu.sales.models import Sale
from bangfu.sales.services import sale_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("BANGFU_SHOTS", "/tmp/h18sales"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_village_cadre_records_a_sale_on_a_phone(phone_page, live_server, personas, goods):
    page = phone_page
    today = local_today()
    for n, (product, buyer, channel) in enumerate((("morels", "unit", "platform_832"),
                                                   ("tomatoes", "canteen", "canteen"),
                                                   ("morels", "unit", "budget_unit"))):
        sale_record(product=goods[product], buyer=goods[buyer], channel=channel, quantity=Decimal(20 + n),
                    amount=160000 + 1000 * n, sold_on=today - dt.timedelta(days=9 * n), beneficiary_households=4,
                    actor=personas["office"])

    log_in(page, live_server.url, "village_a", "pw-village_a", lands_on="/sales/new/")
    assert page.locator("form[data-outbox] input[name=client_id]").count() == 1
    form = page.locator("form[data-outbox]")
    form.locator("select[name=product]").select_option(str(goods["morels"].pk))
    form.locator("select[name=buyer]").select_option(str(goods["canteen"].pk))
    form.locator("select[name=channel]").select_option("canteen")
    form.locator("input[name=quantity]").fill("12.5")
    form.locator("input[name=amount]").fill("1000")
    form.locator("input[name=beneficiary_households]").fill("3")
    assert "销售渠道" in form.inner_text() and "金额（元）" in form.inner_text()
    _shot(page, "sale-form-360.png")
    checked = measure(page)
    assert checked["wide"] == [] and checked["scrollWidth"] <= 360
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/sales/")
    page.get_by_text("销售已登记。").wait_for()
    sale = Sale.objects.get(amount=100000)
    assert sale.quantity == Decimal("12.5") and sale.beneficiary_households == 3
    assert sale.recorded_by.username == "village_a"
    assert "1,000.00" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _shot(page, "sales-360.png")
    for name, path in (("numbers", "/sales/numbers/"), ("products", "/sales/products/"), ("buyers", "/sales/buyers/")):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
        _shot(page, f"{name}-360.png")

    page.set_viewport_size({"width": 1280, "height": 900})
    for name, path in (("sales", "/sales/"), ("sale-form", "/sales/new/"), ("numbers", "/sales/numbers/"),
                       ("products", "/sales/products/"), ("buyers", "/sales/buyers/")):
        page.goto(live_server.url + path)
        _shot(page, f"{name}-1280.png")
    assert not page.errors
