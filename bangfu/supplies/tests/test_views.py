"""Supply pages: who may open them, the move forms (a clear message on the field when an issue
exceeds the balance, stored once per client id)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.supplies.models import Stock, StockMove


@pytest.fixture
def office_client(client, personas):
    client.force_login(personas["office"])
    return client


def test_the_stock_page_lists_every_item_with_its_balance_in_fixed_queries(office_client, stocked, rice):
    url = reverse("supplies:stock")
    office_client.get(url)
    with CaptureQueriesContext(connection) as first:
        response = office_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "大米" in html and "100" in html and "口罩" in html and "500" in html
    office_client.post(reverse("supplies:move", args=["issue"]), {"item": rice.pk, "quantity": 5, "note": "村委会"})
    with CaptureQueriesContext(connection) as second:
        office_client.get(url)
    assert len(second) == len(first)


@pytest.mark.parametrize(("persona", "status"), [("caseworker_a", 403), ("county", 200), ("village_a", 200)])
def test_who_sees_the_stock(client, personas, stocked, persona, status):
    client.force_login(personas[persona])
    assert client.get(reverse("supplies:stock")).status_code == status


def test_another_township_is_not_found(client, personas, stocked):
    client.force_login(personas["outsider_office"])
    assert client.get(reverse("supplies:stock") + "?township=370215010").status_code == 404


def test_an_issue_beyond_the_balance_says_so_on_the_quantity_field(office_client, stocked, rice):
    response = office_client.post(reverse("supplies:move", args=["issue"]),
                                  {"item": rice.pk, "quantity": 120, "note": "发放", "client_id": "x1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "has-error" in html and "120" in html and "100" in html
    assert Stock.objects.get(item=rice).quantity == 100 and not StockMove.objects.filter(kind="issue").exists()


def test_a_receipt_posted_twice_is_stored_once(office_client, township, rice):
    data = {"item": rice.pk, "quantity": 30, "source": "爱心企业捐赠", "client_id": "form-7"}
    first = office_client.post(reverse("supplies:move", args=["receive"]), data)
    second = office_client.post(reverse("supplies:move", args=["receive"]), data)
    assert first.status_code == second.status_code == 302
    assert StockMove.objects.count() == 1 and Stock.objects.get(item=rice).quantity == 30


def test_a_caseworker_cannot_post_a_move(client, personas, stocked, rice):
    client.force_login(personas["caseworker_a"])
    response = client.post(reverse("supplies:move", args=["issue"]), {"item": rice.pk, "quantity": 1, "note": "x"})
    assert response.status_code == 403 and Stock.objects.get(item=rice).quantity == 100
