"""What a delivery shows to those outside its household's village: the stock ledger of the township
names no household the reader may not see, and a refused caseworker is not named."""

from __future__ import annotations

import pytest

from bangfu.accounts.testing import ApiClient
from bangfu.deliveries.models import DeliveryKind, GoodsSource
from bangfu.deliveries.services import delivery_complete, delivery_create
from bangfu.households.choices import Category

VILLAGE_B = "370215010002"


@pytest.fixture
def delivered_in_b(make_household, personas, stocked, rice):
    """10 kg of rice delivered from stock to a household of 北郝家庄村 (village B)."""
    household = make_household(VILLAGE_B, caseworker=personas["caseworker_b"], categories=[Category.DISABLED])
    household.refresh_from_db()
    delivery = delivery_create(household=household, kind=DeliveryKind.GOODS, source=GoodsSource.STOCK, item=rice,
                               quantity=10, actor=personas["caseworker_b"])
    delivery_complete(delivery=delivery, received_by="本人", actor=personas["caseworker_b"])
    return household


def test_the_ledger_page_names_no_household_of_another_village(client, personas, delivered_in_b, rice):
    head = delivered_in_b.head_name
    client.force_login(personas["village_a"])
    page = client.get(f"/supplies/items/{rice.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert head not in text and delivered_in_b.number not in text
    assert "-10" in text  # the move itself is still on the ledger
    client.force_login(personas["office"])
    assert head in client.get(f"/supplies/items/{rice.pk}/").content.decode()


def test_the_ledger_api_names_no_household_of_another_village(personas, delivered_in_b):
    moves = ApiClient(personas["village_a"]).get("/api/stock/moves")
    assert moves.status_code == 200
    issue = next(m for m in moves.json() if m["kind"] == "issue")
    assert delivered_in_b.number not in issue["note"] and issue["note"]
    own = ApiClient(personas["office"]).get("/api/stock/moves").json()
    assert delivered_in_b.number in next(m for m in own if m["kind"] == "issue")["note"]


def test_a_refused_caseworker_is_not_named(make_household, personas):
    household = make_household(caseworker=personas["caseworker_a"], categories=[Category.DISABLED])
    response = ApiClient(personas["office"]).post(
        "/api/deliveries", {"household": household.pk, "kind": "errand", "description": "代购",
                            "caseworker": personas["outsider_office"].pk})
    assert response.status_code == 422, response.content.decode()
    assert "caseworker" in response.json()["errors"]
    assert "outsider_office" not in str(response.json())
