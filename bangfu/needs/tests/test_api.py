"""The needs API: idempotent recording, filters, one need, transitions with 403/404/409, and a
refused call writes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from bangfu.accounts.testing import ApiClient
from bangfu.core.dates import local_today
from bangfu.needs.models import Need, Status
from bangfu.needs.tests.test_services import snapshot


def body(household, **overrides) -> dict:
    return {"client_id": str(uuid.uuid4()), "household": household.pk, "category": "medical",
            "description": "老人需要陪同就医", "urgency": "urgent"} | overrides


def test_create_is_idempotent_by_client_id(household_a, personas):
    api = ApiClient(personas["caseworker_a"])
    payload = body(household_a)
    first = api.post("/api/needs", payload)
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["status"] == "recorded" and data["actions"] == ["report", "resolve"] and data["timeline"][0]["action"] == "recorded"
    again = api.post("/api/needs", payload)
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    changed = api.post("/api/needs", payload | {"description": "changed on retry"})
    assert changed.status_code == 409 and changed.json()["code"] == "replay_mismatch", changed.content
    assert Need.objects.get().description == "老人需要陪同就医"


@pytest.mark.parametrize("persona, status", [("caseworker_b", 404), ("outsider_office", 404), ("county", 403)])
def test_create_refused(household_a, personas, persona, status):
    before = snapshot()
    response = ApiClient(personas[persona]).post("/api/needs", body(household_a))
    assert response.status_code == status and snapshot() == before


def test_create_invalid(household_a, personas):
    response = ApiClient(personas["caseworker_a"]).post("/api/needs", body(household_a, category="cake", extra=1))
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"category", "extra"}
    assert not Need.objects.exists()


def test_list_filters_and_scope(make_need, household_b, personas):
    a = make_need(Status.REPORTED)
    make_need(Status.CONFIRMED)
    b = make_need(Status.RECORDED, household=household_b, actor=personas["caseworker_b"], category="water")
    office = ApiClient(personas["office"])
    assert office.get("/api/needs").json()["count"] == 3
    assert [n["id"] for n in office.get("/api/needs", category="water").json()["items"]] == [b.pk]
    assert {n["id"] for n in office.get("/api/needs", open="true").json()["items"]} == {a.pk, b.pk}
    assert office.get("/api/needs", status="confirmed").json()["count"] == 1
    assert [n["id"] for n in ApiClient(personas["caseworker_b"]).get("/api/needs").json()["items"]] == [b.pk]
    assert ApiClient(personas["outsider_office"]).get("/api/needs").json()["count"] == 0
    assert ApiClient(personas["caseworker_b"]).get(f"/api/needs/{a.pk}").status_code == 404
    detail = office.get(f"/api/needs/{a.pk}").json()
    assert detail["actions"] == ["assign"] and detail["household"] == a.household_id


def test_the_whole_workflow_through_the_api(make_need, personas):
    need = make_need()
    caseworker, office = ApiClient(personas["caseworker_a"]), ApiClient(personas["office"])
    url = f"/api/needs/{need.pk}/transitions"
    assert caseworker.post(url, {"action": "report", "note": "已上报"}).json()["status"] == "reported"
    due = (local_today() + dt.timedelta(days=3)).isoformat()
    response = office.post(url, {"action": "assign", "measure_type": "supplies", "plan": "送米面油",
                                 "owner": personas["caseworker_a"].pk, "due_on": due})
    assert response.status_code == 200 and response.json()["owner"]["id"] == personas["caseworker_a"].pk
    response = office.post(url, {"action": "resolve", "result": "已送到", "cost_fen": 8000})
    assert response.json()["measures"][0]["cost_fen"] == 8000
    response = caseworker.post(url, {"action": "confirm"})
    data = response.json()
    assert data["status"] == "confirmed" and data["actions"] == []
    assert [s["action"] for s in data["timeline"]] == ["recorded", "report", "assign", "resolve", "confirm"]


def test_transition_refusals(make_need, personas):
    need = make_need()
    url = f"/api/needs/{need.pk}/transitions"
    before = snapshot()
    # Role: the office may not report (403), even with a body that is otherwise fine.
    assert ApiClient(personas["office"]).post(url, {"action": "report"}).status_code == 403
    # Part: the office resolves what was reported and assigned, not a need the caseworker keeps (403).
    assert ApiClient(personas["office"]).post(url, {"action": "resolve", "result": "done"}).status_code == 403
    # State: the caseworker may confirm, but not a need still "recorded" (409, with its status).
    response = ApiClient(personas["caseworker_a"]).post(url, {"action": "confirm"})
    assert response.status_code == 409 and response.json()["status"] == "recorded"
    assert "已记录" in ApiClient(personas["caseworker_a"], language="zh-hans").post(
        url, {"action": "confirm"}).json()["detail"]
    # Scope: 404.
    assert ApiClient(personas["caseworker_b"]).post(url, {"action": "report"}).status_code == 404
    # Bad input.
    assert ApiClient(personas["caseworker_a"]).post(url, {"action": "explode"}).status_code == 422
    assert snapshot() == before


def test_assign_without_its_fields_is_422(make_need, personas):
    need = make_need(Status.REPORTED)
    before = snapshot()
    response = ApiClient(personas["office"]).post(f"/api/needs/{need.pk}/transitions", {"action": "assign"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"measure_type", "plan", "owner", "due_on"}
    assert snapshot() == before
