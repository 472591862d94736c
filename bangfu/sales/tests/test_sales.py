"""Produce and sales: a sale recorded once per client id (another body refused), amounts in fen,
the numbers by buyer, channel, week and month equal to direct sums, scope and roles, the pages
and their spreadsheets."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from bangfu.accounts.testing import ApiClient
from bangfu.core.dates import local_today
from bangfu.core.idempotency import ReplayMismatch
from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.sales import queries
from bangfu.sales.models import Buyer, Sale
from bangfu.sales.services import buyer_create, product_create, sale_record
from conftest import VILLAGE_A, VILLAGE_B


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sale(goods, actor, *, product="morels", buyer="canteen", channel="canteen", amount=12000, quantity="10",
          sold_on=None, **kw):
    return sale_record(product=goods[product], buyer=goods[buyer], channel=channel, quantity=Decimal(quantity),
                       amount=amount, sold_on=sold_on or local_today(), actor=actor, **kw)[0]


def test_a_sale_through_the_api_is_stored_once_and_another_body_is_refused(goods, personas):
    api = ApiClient(personas["village_a"])
    body = {"product": goods["morels"].pk, "buyer": goods["unit"].pk, "channel": "budget_unit",
            "quantity": "12.5", "amount": 187550, "sold_on": local_today().isoformat(), "beneficiary_households": 6,
            "client_id": "phone-sale-1"}
    first, again = api.post("/api/sales", body), api.post("/api/sales", body)
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["amount"] == 187550 and Decimal(first.json()["quantity"]) == Decimal("12.5")
    changed = api.post("/api/sales", {**body, "amount": 187551})
    assert changed.status_code == 409 and changed.json()["code"] == "replay_mismatch"
    sale = Sale.objects.get()
    assert (sale.amount, sale.region_code, sale.beneficiary_households) == (187550, VILLAGE_A, 6)
    assert Change.objects.filter(object_type="sales_sale", object_id=sale.pk).count() == 1
    listed = api.get("/api/sales", channel="budget_unit").json()
    assert [s["id"] for s in listed] == [sale.pk] and api.get("/api/sales", channel="canteen").json() == []


def test_the_service_refuses_a_replay_with_another_body_and_stores_nothing_more(goods, personas):
    office = personas["office"]
    _sale(goods, office, client_id="c-1")
    _sale(goods, office, client_id="c-1")
    with pytest.raises(ReplayMismatch):
        _sale(goods, office, client_id="c-1", amount=12001)
    assert Sale.objects.count() == 1 and Sale.objects.get().amount == 12000


def test_households_named_count_and_must_be_in_the_area(goods, personas, make_household):
    office = personas["office"]
    one, two = make_household(VILLAGE_A), make_household(VILLAGE_A)
    sale = _sale(goods, office, households=[one, two])
    assert sale.beneficiary_households == 2 and set(sale.households.all()) == {one, two}
    with pytest.raises(ValidationError):
        _sale(goods, office, households=[one, two], beneficiary_households=1)
    outside = make_household(VILLAGE_B)
    with pytest.raises(ValidationError):
        _sale(goods, personas["village_a"], households=[outside])


def test_the_numbers_by_channel_buyer_week_and_month_equal_the_sums(goods, personas):
    office = personas["office"]
    today = local_today()
    days = [today - dt.timedelta(days=n) for n in (0, 3, 9, 20, 40, 70)]
    plan = [("morels", "canteen", "canteen"), ("tomatoes", "unit", "budget_unit"), ("morels", "unit", "platform_832"),
            ("tomatoes", "canteen", "canteen"), ("morels", "canteen", "fair"), ("tomatoes", "unit", "platform_832")]
    for n, (day, (product, buyer, channel)) in enumerate(zip(days, plan, strict=True)):
        _sale(goods, office, product=product, buyer=buyer, channel=channel, amount=10000 + 137 * n, sold_on=day,
              beneficiary_households=n)
    sales = queries.sales_for(office)
    for line in queries.by_channel(sales):
        direct = Sale.objects.filter(channel=line.key)
        assert line.amount == direct.aggregate(s=Sum("amount"))["s"] and line.count == direct.count()
    for line in queries.by_buyer(sales):
        assert line.amount == Sale.objects.filter(buyer_id=int(line.key)).aggregate(s=Sum("amount"))["s"]
    for line in queries.by_week(sales):
        direct = [s for s in Sale.objects.all() if queries.week_of(s.sold_on)[0] == line.key]
        assert (line.amount, line.households) == (sum(s.amount for s in direct),
                                                  sum(s.beneficiary_households for s in direct))
    for line in queries.by_month(sales):
        assert line.amount == sum(s.amount for s in Sale.objects.all() if f"{s.sold_on:%Y-%m}" == line.key)
    total = sum(line.amount for line in queries.by_month(sales))
    assert total == sum(line.amount for line in queries.by_channel(sales)) == queries.totals(sales).amount
    recent = queries.sales_for(office, queries.SaleFilter(start=today - dt.timedelta(days=10), end=today))
    assert queries.totals(recent).count == 3


def test_a_village_sees_its_own_a_township_its_own_and_another_province_nothing(goods, personas, regions):
    office = personas["office"]
    _sale(goods, office, product="morels")
    _sale(goods, office, product="tomatoes", buyer="unit")
    names = lambda user: sorted(s.product.name for s in queries.sales_for(user))  # noqa: E731
    assert names(personas["village_a"]) == ["羊肚菌"] == names(personas["caseworker_a"])
    assert names(personas["office"]) == ["大棚西红柿", "羊肚菌"] == names(personas["county"])
    assert names(personas["outsider_office"]) == []
    assert [p.name for p in queries.products_for(personas["caseworker_b"])] == ["大棚西红柿"]
    # A buyer recorded by the county is seen below it; one of the township not by another province.
    assert {b.name for b in queries.buyers_for(personas["village_a"])} == {"蓝村街道机关食堂", "即墨区人民医院"}
    assert list(queries.buyers_for(personas["outsider_office"])) == []
    # A village cadre cannot sell the neighbouring village's product.
    with pytest.raises(ValidationError):
        _sale(goods, personas["village_a"], product="tomatoes")
    api = ApiClient(personas["village_a"])
    body = {"product": goods["tomatoes"].pk, "buyer": goods["canteen"].pk, "channel": "canteen", "quantity": "1",
            "amount": 100, "sold_on": local_today().isoformat()}
    assert api.post("/api/sales", body).status_code == 404
    assert ApiClient(personas["outsider_office"]).get("/api/sales").json() == []
    assert Sale.objects.count() == 2


def test_roles_caseworkers_read_cadres_and_the_office_record(goods, personas):
    with pytest.raises(PermissionDenied):
        _sale(goods, personas["caseworker_a"])
    with pytest.raises(PermissionDenied):
        buyer_create(name="某超市", kind="market", actor=personas["caseworker_a"])
    with pytest.raises(PermissionDenied):
        product_create(village=goods["morels"].village, name="土鸡蛋", category="livestock", unit="箱",
                       actor=personas["caseworker_a"])
    caseworker = ApiClient(personas["caseworker_a"])
    assert caseworker.get("/api/sales").status_code == 200
    assert caseworker.post("/api/sales/buyers", {"name": "某超市", "kind": "market"}).status_code == 403
    cadre = ApiClient(personas["village_a"])
    created = cadre.post("/api/sales/buyers", {"name": "蓝村农贸市场", "kind": "market"})
    assert created.status_code == 201 and created.json()["region"] == VILLAGE_A
    assert cadre.post("/api/sales/buyers", {"name": "即墨区人民医院", "kind": "agency"}).status_code == 422
    assert {p["name"] for p in cadre.get("/api/sales/products").json()} == {"羊肚菌"}
    assert Buyer.objects.count() == 3
    assert _sale(goods, personas["village_a"]).amount == 12000


def test_the_phone_form_records_a_sale_once_and_the_pages_show_it(goods, personas, make_household):
    household = make_household(VILLAGE_A)
    client = _client(personas["village_a"])
    page = client.get(reverse("sales:create"))
    html = page.content.decode()
    assert page.status_code == 200 and "data-outbox" in html and 'name="client_id"' in html and "羊肚菌" in html
    assert "大棚西红柿" not in html
    data = {"product": goods["morels"].pk, "buyer": goods["canteen"].pk, "channel": "canteen", "quantity": "30",
            "amount": "1,260.50".replace(",", ""), "sold_on": local_today().isoformat(),
            "households": household.number, "client_id": uuid.uuid4().hex}
    assert client.post(reverse("sales:create"), data).status_code == 302
    assert client.post(reverse("sales:create"), data).status_code == 302
    sale = Sale.objects.get()
    assert sale.amount == 126050 and sale.beneficiary_households == 1
    mismatch = client.post(reverse("sales:create"), {**data, "amount": "99"})
    assert mismatch.status_code == 409 and Sale.objects.count() == 1
    wrong = client.post(reverse("sales:create"), {**data, "client_id": "x2", "households": "NO-SUCH"})
    assert wrong.status_code == 200 and "NO-SUCH" in wrong.content.decode()
    listed = client.get(reverse("sales:list")).content.decode()
    assert "羊肚菌" in listed and "1,260.50" in listed
    for name in ("sales:products", "sales:buyers", "sales:numbers", "sales:product_create", "sales:buyer_create",
                 "sales:cooperative_create"):
        assert client.get(reverse(name)).status_code == 200, name
    assert _client(personas["caseworker_a"]).get(reverse("sales:create")).status_code == 403


def test_a_product_and_a_buyer_are_recorded_on_their_pages(goods, personas):
    client = _client(personas["office"])
    response = client.post(reverse("sales:product_create"), {
        "name": "土鸡蛋", "category": "livestock", "unit": "箱", "village": VILLAGE_A,
        "cooperative": goods["cooperative"].pk})
    assert response.status_code == 302
    assert client.post(reverse("sales:buyer_create"), {"name": "832平台", "kind": "platform"}).status_code == 302
    both = client.post(reverse("sales:product_create"), {
        "name": "黄瓜", "category": "vegetables", "unit": "斤", "village": VILLAGE_B,
        "cooperative": goods["cooperative"].pk, "household": goods["grower"].number})
    assert both.status_code == 200
    assert {p.name for p in queries.products_for(personas["office"])} == {"羊肚菌", "大棚西红柿", "土鸡蛋"}


def test_each_numbers_table_is_a_spreadsheet_with_its_total(goods, personas):
    from openpyxl import load_workbook

    office = personas["office"]
    _sale(goods, office, amount=12000)
    _sale(goods, office, product="tomatoes", buyer="unit", channel="platform_832", amount=30050)
    client = _client(office)
    page = client.get(reverse("sales:numbers")).content.decode()
    assert "420.50" in page and "832" in page
    for table in ("buyer", "channel", "week", "month"):
        response = client.get(reverse("sales:numbers_export", args=[table]))
        assert response.status_code == 200
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[-1][1:] == (2, 420.5, 0), table
    assert client.get(reverse("sales:numbers_export", args=["nothing"])).status_code == 404
    outsider = _client(personas["outsider_office"]).get(reverse("sales:numbers_export", args=["channel"]))
    from openpyxl import load_workbook as load

    assert list(load(io.BytesIO(outsider.content)).active.iter_rows(values_only=True))[-1][1:] == (0, 0, 0)


def test_the_list_behind_a_figure_takes_the_region_and_the_period(goods, personas):
    office = personas["office"]
    today = local_today()
    _sale(goods, office, amount=12000)
    _sale(goods, office, product="tomatoes", buyer="unit", amount=30050)
    _sale(goods, office, amount=7000, sold_on=today - dt.timedelta(days=40))
    client = _client(office)
    page = client.get(reverse("sales:list"), {"region": VILLAGE_A, "from": (today - dt.timedelta(days=5)).isoformat(),
                                              "to": today.isoformat()}).content.decode()
    assert "120.00" in page and "301.50" not in page and "70.00" not in page


def test_the_list_and_the_numbers_read_in_as_many_queries_for_many_sales_as_for_few(goods, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = personas["office"]
    client = _client(office)

    def queries_of(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    _sale(goods, office)
    few = {name: queries_of(name) for name in ("sales:list", "sales:numbers", "sales:products")}
    for n in range(12):
        _sale(goods, office, product="tomatoes" if n % 2 else "morels", buyer="unit" if n % 3 else "canteen",
              channel="platform_832" if n % 2 else "canteen", sold_on=local_today() - dt.timedelta(days=9 * n))
    assert {name: queries_of(name) for name in few} == few
