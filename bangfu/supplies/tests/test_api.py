"""The API for stock: scoped, idempotent by client id, refusals that write nothing, the stock never
negative."""

from __future__ import annotations

import pytest

from bangfu.accounts.testing import ApiClient
from bangfu.supplies.models import Stock, StockMove


def rice_balance(rice) -> int:
    return Stock.objects.get(township_id="370215010", item=rice).quantity


def test_stock_moves_by_api(township, rice, personas):
    api = ApiClient(personas["office"])
    body = {"township": "370215010", "kind": "receive", "item": rice.pk, "quantity": 20, "source": "捐赠",
            "client_id": "m-1"}
    assert api.post("/api/stock/moves", body).status_code == 201
    assert api.post("/api/stock/moves", body).status_code == 200
    too_much = api.post("/api/stock/moves", {"township": "370215010", "kind": "issue", "item": rice.pk,
                                             "quantity": 21, "note": "发放"})
    assert too_much.status_code == 422 and "quantity" in too_much.json()["errors"]
    assert rice_balance(rice) == 20 and StockMove.objects.count() == 1
    balances = api.get("/api/stock/balances").json()
    assert [(b["item"]["name"], b["quantity"]) for b in balances] == [("大米", 20)]
    assert [m["quantity"] for m in api.get("/api/stock/moves").json()] == [20]


@pytest.mark.parametrize(("persona", "status"), [("caseworker_a", 403), ("outsider_office", 404)])
def test_stock_moves_refused(township, rice, personas, persona, status):
    response = ApiClient(personas[persona]).post("/api/stock/moves", {
        "township": "370215010", "kind": "receive", "item": rice.pk, "quantity": 5, "source": "捐赠"})
    assert response.status_code == status and not StockMove.objects.exists()
