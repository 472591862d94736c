"""The API for deliveries and distributions: scoped, idempotent by client id, refusals that write
nothing, the stock never negative."""

from __future__ import annotations

import pytest

from bangfu.accounts.testing import ApiClient
from bangfu.deliveries.models import Delivery, DeliveryStatus, Distribution
from bangfu.households.choices import Category
from bangfu.supplies.models import Stock


@pytest.fixture
def household_a(make_household, personas):
    return make_household(caseworker=personas["caseworker_a"], categories=[Category.ELDERLY_ALONE])


def rice_balance(rice) -> int:
    return Stock.objects.get(township_id="370215010", item=rice).quantity


def test_a_caseworker_asks_for_rice_and_delivers_it(household_a, personas, stocked, rice):
    api = ApiClient(personas["caseworker_a"])
    body = {"household": household_a.pk, "kind": "goods", "source": "stock", "item": rice.pk, "quantity": 10,
            "client_id": "phone-42"}
    first = api.post("/api/deliveries", body)
    again = api.post("/api/deliveries", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Delivery.objects.count() == 1
    assert first.json()["priority"] is True and first.json()["status"] == "assigned"
    done = api.post(f"/api/deliveries/{first.json()['id']}/complete", {"received_by": "本人"})
    assert done.status_code == 200 and done.json()["status"] == "delivered" and done.json()["stock_move"]
    retried = api.post(f"/api/deliveries/{first.json()['id']}/complete", {"received_by": "本人"})
    assert retried.status_code == 200 and rice_balance(rice) == 90


def test_a_household_outside_the_scope_is_404_and_nothing_is_written(household_a, personas):
    api = ApiClient(personas["caseworker_b"])
    response = api.post("/api/deliveries", {"household": household_a.pk, "kind": "errand", "description": "代购"})
    assert response.status_code == 404 and not Delivery.objects.exists()
    assert api.get("/api/deliveries").json() == []


def test_the_list_is_scoped_and_priority_first(make_household, household_a, personas):
    ordinary = make_household(caseworker=personas["caseworker_a"], categories=[Category.REGISTERED_POOR])
    office = ApiClient(personas["office"])
    office.post("/api/deliveries", {"household": ordinary.pk, "kind": "errand", "description": "代缴电费"})
    office.post("/api/deliveries", {"household": household_a.pk, "kind": "errand", "description": "代购药"})
    rows = ApiClient(personas["caseworker_a"]).get("/api/deliveries").json()
    assert [r["description"] for r in rows] == ["代购药", "代缴电费"]
    assert ApiClient(personas["outsider_office"]).get("/api/deliveries").json() == []
    assert office.get("/api/deliveries/counts").json() == {"open": 2, "priority_open": 1, "requested": 0}


def test_a_distribution_by_api(household_a, personas, stocked, rice):
    api = ApiClient(personas["office"])
    body = {"township": "370215010", "title": "慰问", "item": rice.pk, "quantity": 5, "categories": ["elderly_alone"],
            "client_id": "d-1"}
    created = api.post("/api/distributions", body)
    assert created.status_code == 201 and created.json()["households"] == 1
    assert created.json()["lines"][0]["planned"] == 5
    assert api.post("/api/distributions", body).status_code == 200 and Distribution.objects.count() == 1
    bad = api.post("/api/distributions", {**body, "client_id": "d-2", "villages": ["410308103001"],
                                          "categories": ["nobody"]})
    assert bad.status_code == 422 and {"villages", "categories"} <= set(bad.json()["errors"])
    detail = api.get(f"/api/distributions/{created.json()['id']}").json()
    assert [(line["item"]["name"], line["outstanding"], line["stock_left"]) for line in detail["lines"]] == [
        ("大米", 5, 100)]
    assert ApiClient(personas["outsider_office"]).get(f"/api/distributions/{created.json()['id']}").status_code == 404


def test_a_distribution_of_several_items_by_api(household_a, personas, stocked, rice, masks):
    api = ApiClient(personas["office"])
    body = {"township": "370215010", "title": "慰问", "categories": ["elderly_alone"],
            "lines": [{"item": rice.pk, "quantity": 5}, {"item": masks.pk, "quantity": 20}]}
    created = api.post("/api/distributions", body)
    assert created.status_code == 201, created.json()
    assert [(line["item"]["name"], line["planned"]) for line in created.json()["lines"]] == [("大米", 5), ("口罩", 20)]
    assert Delivery.objects.filter(distribution_id=created.json()["id"]).count() == 2
    both = api.post("/api/distributions", {**body, "item": rice.pk, "quantity": 5})
    none = api.post("/api/distributions", {**body, "lines": []})
    twice = api.post("/api/distributions", {**body, "lines": [{"item": rice.pk, "quantity": 5}] * 2})
    assert [r.status_code for r in (both, none, twice)] == [422, 422, 422]
    assert "lines" in both.json()["errors"] and "lines" in none.json()["errors"] and "lines" in twice.json()["errors"]
    assert Distribution.objects.count() == 1


def test_failing_needs_the_assigned_caseworker(household_a, personas):
    office = ApiClient(personas["office"])
    created = office.post("/api/deliveries", {"household": household_a.pk, "kind": "errand", "description": "代办"})
    other = ApiClient(personas["caseworker_b"]).post(f"/api/deliveries/{created.json()['id']}/fail",
                                                     {"reason": "x"})
    assert other.status_code == 404
    mine = ApiClient(personas["caseworker_a"]).post(f"/api/deliveries/{created.json()['id']}/fail",
                                                    {"reason": "家中无人"})
    assert mine.status_code == 200 and mine.json()["status"] == DeliveryStatus.FAILED
