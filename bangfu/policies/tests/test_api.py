"""The policies API: the county's list, create and change by key, receipts idempotent by client id,
a payment sheet as rows; refusals write nothing; scope."""

from __future__ import annotations

import uuid

import pytest

from bangfu.accounts.testing import ApiClient
from bangfu.core.dates import local_today
from bangfu.policies.models import Policy, Receipt
from conftest import person_id

pytestmark = pytest.mark.django_db

DIBAO = {"key": "dibao", "name": "低保", "amount": 60000, "period": "monthly", "per": "member",
         "categories": ["minimum_living"]}


def test_policies_listed_and_changed_by_the_county(personas):
    api = ApiClient(personas["county"])
    listed = api.get("/api/policies").json()
    assert {p["key"] for p in listed} >= {"dibao", "tekun", "disability", "medical", "education", "housing",
                                          "welfare_post", "industry", "microcredit"}
    changed = api.post("/api/policies", DIBAO)
    assert changed.status_code == 200, changed.content
    assert changed.json()["county"] == "370215" and changed.json()["amount"] == 60000
    created = api.post("/api/policies", {**DIBAO, "key": "elderly", "name": "高龄补贴", "categories": [],
                                         "age_min": 80, "amount": 10000})
    assert created.status_code == 201
    assert created.json()["conditions"] == [{"kind": "age_between", "min": 80, "max": None}]
    assert next(p for p in ApiClient(personas["office"]).get("/api/policies").json()
                if p["key"] == "dibao")["amount"] == 60000
    bad = api.post("/api/policies", {**DIBAO, "age_min": 70, "age_max": 60})
    assert bad.status_code == 422 and "age_max" in bad.json()["errors"]


@pytest.mark.parametrize("persona", ["office", "caseworker_a", "village_a"])
def test_policies_changed_by_no_one_else(personas, persona):
    assert ApiClient(personas[persona]).post("/api/policies", DIBAO).status_code == 403
    assert not Policy.objects.exclude(county_code="").exists()


def _receipt(household, **overrides):
    return {"client_id": str(uuid.uuid4()), "household": household.pk, "policy": "dibao",
            "member": household.members.get(name="戴金山").pk, "period": f"{local_today():%Y-%m}",
            "amount": 50000, "paid_on": local_today().isoformat(), **overrides}


def test_receipt_created_once_and_listed_in_scope(dibao_home, personas):
    api = ApiClient(personas["village_a"])
    body = _receipt(dibao_home)
    first = api.post("/api/policy-receipts", body)
    assert first.status_code == 201, first.content
    again = api.post("/api/policy-receipts", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Receipt.objects.count() == 1
    assert [r["id"] for r in api.get("/api/policy-receipts").json()] == [first.json()["id"]]
    assert ApiClient(personas["caseworker_b"]).get("/api/policy-receipts").json() == []
    assert len(ApiClient(personas["county"]).get(f"/api/policy-receipts?household={dibao_home.pk}").json()) == 1
    assert ApiClient(personas["caseworker_b"]).get(
        f"/api/policy-receipts?household={dibao_home.pk}").status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("outsider_office", 404), ("caseworker_b", 403),
                                                 ("caseworker_a", 403), ("county", 403)])
def test_receipt_refused(dibao_home, personas, persona, status):
    assert ApiClient(personas[persona]).post("/api/policy-receipts", _receipt(dibao_home)).status_code == status
    assert not Receipt.objects.exists()


def test_receipt_of_a_stranger_member_is_a_field_error(dibao_home, plain_home, personas):
    response = ApiClient(personas["office"]).post("/api/policy-receipts",
                                                  _receipt(dibao_home, member=plain_home.members.get().pk))
    assert response.status_code == 422 and "member" in response.json()["errors"]
    wrong = ApiClient(personas["office"]).post("/api/policy-receipts", _receipt(dibao_home, period="2026"))
    assert wrong.status_code == 422 and "period" in wrong.json()["errors"]
    assert not Receipt.objects.exists()


def test_import_as_rows(dibao_home, personas):
    api = ApiClient(personas["office"])
    father = dibao_home.members.get(name="戴金山")
    stranger = person_id()
    body = {"policy": "dibao", "period": f"{local_today():%Y-%m}", "rows": [
        {"id_number": father.id_number, "name": "戴金山", "amount": 50000},
        {"id_number": stranger, "name": "张无名", "amount": 50000}]}
    first = api.post("/api/policy-receipts/import", body)
    assert first.status_code == 200, first.content
    assert first.json()["created"] == 1 and first.json()["duplicates"] == []
    assert first.json()["strangers"][0]["row"] == 2 and stranger not in first.content.decode()
    again = api.post("/api/policy-receipts/import", body).json()
    assert again["created"] == 0 and again["duplicates"] == [1]
    bad = api.post("/api/policy-receipts/import", {**body, "rows": [{"id_number": "123", "amount": 1}]})
    assert bad.status_code == 422 and "rows.0.id_number" in bad.json()["errors"]
    assert Receipt.objects.count() == 1
    assert ApiClient(personas["village_a"]).post("/api/policy-receipts/import", body).status_code == 403
