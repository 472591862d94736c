"""The API: leads listed and recorded once per client id, a department's drop, the monitored
households with their stage, a step refused by the stage (409) and by the role (403)."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from bangfu.accounts.services import token_create
from bangfu.monitoring.models import Lead, Stage
from conftest import VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_create(user=user, name='t')}"})


def _post(client, path, body):
    import json

    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_lead_is_recorded_once_per_client_id_and_listed_in_scope(personas, make_household):
    household = make_household(VILLAGE_A)
    other = make_household(VILLAGE_B)
    office = _client(personas["office"])
    body = {"client_id": str(uuid.uuid4()), "source": "cadre", "channel": "campaign", "household": household.pk,
            "indicator": "务工收入骤减"}
    first = _post(office, "/api/leads", body)
    again = _post(office, "/api/leads", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["stage"] == "verify"
    assert "id_number" not in first.json() and len(first.json()["id_tail"]) == 2
    _post(office, "/api/leads", body | {"client_id": str(uuid.uuid4()), "household": other.pk, "indicator": "灾"})
    assert len(_client(personas["village_a"]).get("/api/leads").json()) == 1
    assert len(_client(personas["county"]).get("/api/leads").json()) == 2
    assert _client(personas["outsider_office"]).get("/api/leads").json() == []


def test_a_drop_through_the_api_reports_each_row(personas, make_household):
    household = make_household(VILLAGE_A)
    member = household.members.get()
    response = _post(_client(personas["office"]), "/api/leads/imports", {"department": "medical", "rows": [
        {"row": 2, "name": member.name, "id_number": member.id_number, "amount_fen": 2500000},
        {"row": 3, "name": "外乡人", "id_number": "410308196608090771", "amount_fen": 6000000},
    ]})
    assert response.status_code == 201
    assert [(r["row"], r["result"]) for r in response.json()["rows"]] == [(2, "lead"), (3, "stranger")]
    bad = _post(_client(personas["office"]), "/api/leads/imports", {"department": "medical", "rows": [
        {"row": 9, "name": "某", "id_number": "123", "amount_fen": 100}]})
    assert bad.status_code == 422 and "rows.0.id_number" in bad.json()["errors"]
    assert Lead.objects.count() == 1


def test_steps_409_from_the_wrong_stage_403_for_the_wrong_role(personas, make_household):
    household = make_household(VILLAGE_A)
    lead = _post(_client(personas["office"]), "/api/leads", {
        "client_id": str(uuid.uuid4()), "source": "cadre", "channel": "contact", "household": household.pk,
        "indicator": "大病支出"}).json()
    path = f"/api/monitored/{lead['id']}/steps"
    refused = _post(_client(personas["office"]), path, {"action": "accept"})
    assert refused.status_code == 409 and refused.json()["stage"] == "verify"
    assert _post(_client(personas["office"]), path, {"action": "verify", "cadres": ["甲", "乙"],
                                                      "findings": "x"}).status_code == 403
    missing = _post(_client(personas["village_a"]), path, {"action": "verify", "cadres": ["甲"], "findings": ""})
    assert missing.status_code == 422 and {"cadres", "findings"} <= set(missing.json()["errors"])
    done = _post(_client(personas["village_a"]), path, {"action": "verify", "cadres": ["甲", "乙"], "findings": "住院"})
    assert done.status_code == 200 and done.json()["stage"] == "compare"
    assert _post(_client(personas["caseworker_b"]), path, {"action": "accept"}).status_code == 403
    listed = _client(personas["county"]).get("/api/monitored?stage=compare").json()
    assert [row["id"] for row in listed] == [lead["id"]]
    assert Lead.objects.get(pk=lead["id"]).stage == Stage.COMPARE
