"""`POST /api/monitored/{id}/steps`: every identification and risk clearance step allowed to its
roles and refused (403) to the others, 409 from a wrong stage, and creates that are idempotent."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client

from bangfu.accounts.services import token_create
from bangfu.core.dates import local_today
from bangfu.households import choices
from bangfu.monitoring.models import Clearance, ClearanceStage, Lead, PlanMeasure, Stage
from bangfu.monitoring.tests.test_plans import STEP_DATA as CLEARANCE_DATA
from bangfu.monitoring.tests.test_plans import monitored, today  # noqa: F401 (a fixture)
from conftest import VILLAGE_A

pytestmark = pytest.mark.django_db

ROLES = ("caseworker_a", "village_a", "office", "county")
# Who may take each identification step (of the personas above); the administrator may take all.
STEPS = {
    "accept": {"office", "village_a"},
    "verify": {"village_a"},
    "compare": {"office"},
    "deliberate": {"village_a"},
    "publicize": {"village_a"},
    "review": {"office"},
    "decide": {"county"},
}
CLEARANCE = {
    "clearance_verify": {"village_a"},
    "clearance_publicize": {"village_a"},
    "clearance_review": {"office"},
    "clearance_decide": {"county"},
}


def _client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_create(user=user, name='t')}"})


def _post(user, path, body):
    return _client(user).post(path, json.dumps(body, default=str), content_type="application/json")


def _step_body(action: str) -> dict:
    day = local_today()
    return {
        "accept": {},
        "verify": {"cadres": ["王建国", "李秀英"], "findings": "住院花费大"},
        "compare": {"answers": "无车辆、无商品房"},
        "deliberate": {"meeting_on": day, "attendance": 30, "agreed": True},
        "publicize": {"notice_start": day - dt.timedelta(days=7), "notice_end": day - dt.timedelta(days=1)},
        "review": {"agreed": True},
        "decide": {"agreed": True, "monitor_type": "sudden_hardship", "risks": [choices.Risk.ILLNESS]},
    }[action] | {"action": action}


def test_every_identification_step_by_role_and_409_from_a_wrong_stage(personas, make_household):
    household = make_household(VILLAGE_A, wage_income=300_000)
    body = {"client_id": str(uuid.uuid4()), "source": "application", "channel": "in_person",
            "household": household.pk, "indicator": "大病支出", "difficulty": "住院"}
    lead = _post(personas["office"], "/api/leads", body).json()
    assert lead["stage"] == "lead"
    path = f"/api/monitored/{lead['id']}/steps"
    order = list(STEPS)
    for index, action in enumerate(order):
        for name in ROLES:
            if name not in STEPS[action]:
                refused = _post(personas[name], path, _step_body(action))
                assert refused.status_code == 403, (action, name)
        # Any step but the stage's own is refused with the stage the lead is at.
        wrong = order[(index + 1) % len(order)]
        conflict = _post(personas["admin"], path, _step_body(wrong))
        assert conflict.status_code == 409 and conflict.json()["stage"] == STEPS_STAGE[action], action
        taker = sorted(STEPS[action])[0]
        taken = _post(personas[taker], path, _step_body(action))
        assert taken.status_code == 200, (action, taken.json())
    final = Lead.objects.get(pk=lead["id"])
    assert final.stage == Stage.MONITORED and final.steps.count() == len(STEPS)
    again = _post(personas["county"], path, _step_body("decide"))
    assert again.status_code == 409 and again.json()["stage"] == "monitored"
    assert _post(personas["office"], path, {"action": "exclude", "reason": "x"}).status_code == 409


STEPS_STAGE = {"accept": "lead", "verify": "verify", "compare": "compare", "deliberate": "deliberate",
               "publicize": "publicize", "review": "review", "decide": "decide"}


def test_a_lead_create_is_idempotent_and_listed_once(personas, make_household):
    household = make_household(VILLAGE_A)
    body = {"client_id": str(uuid.uuid4()), "source": "cadre", "channel": "campaign", "household": household.pk,
            "indicator": "因灾"}
    assert [_post(personas["village_a"], "/api/leads", body).status_code for _ in range(3)] == [201, 200, 200]
    assert Lead.objects.count() == 1
    assert len(_client(personas["village_a"]).get("/api/monitored").json()) == 1


def _propose(personas, lead_id, client_id, who="village_a", method="帮扶消除"):
    return _post(personas[who], f"/api/monitored/{lead_id}/steps",
                 {"action": "clearance_propose", "client_id": str(client_id), "method": method})


def test_every_clearance_step_by_role_and_409_from_a_wrong_stage(personas, make_household, today):  # noqa: F811
    household = monitored(personas, make_household)
    lead = Lead.objects.get(household=household)
    path = f"/api/monitored/{lead.pk}/steps"
    assert _post(personas["village_a"], path, {"action": "clearance_verify", **CLEARANCE_DATA["verify"]}) \
        .status_code == 409  # nothing under way yet
    client_id = uuid.uuid4()
    for name in ("caseworker_a", "office", "county"):
        assert _propose(personas, lead.pk, client_id, who=name).status_code == 403
    first = _propose(personas, lead.pk, client_id)
    repeat = _propose(personas, lead.pk, client_id)
    assert first.status_code == repeat.status_code == 200
    assert first.json()["clearance"]["id"] == repeat.json()["clearance"]["id"]
    assert first.json()["clearance"]["stage"] == "verify" and Clearance.objects.count() == 1
    assert _propose(personas, lead.pk, uuid.uuid4()).status_code == 409  # one under way per household
    order = list(CLEARANCE)
    for index, action in enumerate(order):
        data = CLEARANCE_DATA[action.removeprefix("clearance_")] | {"action": action}
        for name in ROLES:
            if name not in CLEARANCE[action]:
                assert _post(personas[name], path, data).status_code == 403, (action, name)
        wrong = order[(index + 1) % len(order)]
        conflict = _post(personas["admin"], path, CLEARANCE_DATA[wrong.removeprefix("clearance_")] | {"action": wrong})
        assert conflict.status_code == 409 and conflict.json()["stage"] == action.removeprefix("clearance_")
        taken = _post(personas[sorted(CLEARANCE[action])[0]], path, data)
        assert taken.status_code == 200, (action, taken.json())
    assert taken.json()["clearance"]["stage"] == "cleared"
    clearance = Clearance.objects.get()
    assert clearance.stage == ClearanceStage.CLEARED and clearance.decided_on == today
    household.refresh_from_db()
    assert choices.Category.MONITORED not in household.category_values()


def test_a_clearance_refused_by_the_rules_is_a_422_with_the_reasons(personas, make_household, today):  # noqa: F811
    household = monitored(personas, make_household, safe_water=False)
    lead = Lead.objects.get(household=household)
    refused = _propose(personas, lead.pk, uuid.uuid4())
    assert refused.status_code == 422
    assert any("water" in reason or "饮水" in reason for reason in refused.json()["errors"]["clearance"])
    assert not Clearance.objects.exists()


def test_a_clearance_step_on_a_lead_not_monitored_is_a_409(personas, make_household):
    household = make_household(VILLAGE_A)
    lead = _post(personas["office"], "/api/leads", {
        "client_id": str(uuid.uuid4()), "source": "cadre", "channel": "contact", "household": household.pk,
        "indicator": "大病支出"}).json()
    refused = _propose(personas, lead["id"], uuid.uuid4())
    assert refused.status_code == 409 and refused.json()["stage"] == "verify"


def test_plans_and_receipts_are_created_once_per_client_id(personas, make_household, today):  # noqa: F811
    household = monitored(personas, make_household)
    body = {"client_id": str(uuid.uuid4()), "household": household.pk, "type": "employment", "content": "务工",
            "owner": personas["village_a"].pk, "due_on": str(today + dt.timedelta(days=30))}
    assert [_post(personas["office"], "/api/plans", body).status_code for _ in range(2)] == [201, 200]
    assert PlanMeasure.objects.count() == 1
    assert _client(personas["office"]).get("/api/flags").status_code == 200
    assert _client(personas["office"]).get("/api/policies").status_code == 200
    assert _client(personas["office"]).get("/api/policy-receipts").status_code == 200
