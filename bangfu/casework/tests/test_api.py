"""The casework API: idempotent contacts, the caller's day, campaigns and coverage, a household's
contacts; scope (404) and refusals (nothing written)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from bangfu.accounts.testing import ApiClient
from bangfu.casework.models import Campaign, Contact, FollowUp
from bangfu.casework.tests.conftest import ALL_MET
from bangfu.core.dates import local_today

pytestmark = pytest.mark.django_db
TOWNSHIP = "370215010"


@pytest.fixture
def api(personas):
    clients = {}

    def make(persona):
        if persona not in clients:
            clients[persona] = ApiClient(personas[persona])
        return clients[persona]

    return make


def contact_body(household, **overrides):
    body = {"client_id": str(uuid.uuid4()), "household": household.pk, "channel": "phone", "reached": True,
            "assessment": dict(ALL_MET), "notes": "一切都好"}
    body.update(overrides)
    return body


def test_post_contact_twice_stores_one_and_answers_the_same(api, casework):
    body = contact_body(casework["poor_a"])
    first = api("caseworker_a").post("/api/contacts", body)
    second = api("caseworker_a").post("/api/contacts", body)
    assert first.status_code == second.status_code == 201, first.content
    assert first.json() == second.json()
    assert Contact.objects.count() == 1
    assert first.json()["assessment"]["supplies_ok"] is True


def test_post_contact_out_of_scope_is_404_and_bad_input_is_422(api, casework):
    response = api("caseworker_b").post("/api/contacts", contact_body(casework["poor_a"]))
    assert response.status_code == 404
    response = api("caseworker_a").post("/api/contacts", contact_body(casework["poor_a"], reached=False,
                                                                      assessment=None))
    assert response.status_code == 422
    assert "not_reached_reason" in response.content.decode()
    response = api("county").post("/api/contacts", contact_body(casework["poor_a"]))
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_a_client_id_of_another_submission_is_refused(api, casework):
    body = contact_body(casework["poor_a"])
    assert api("caseworker_a").post("/api/contacts", body).status_code == 201
    other = api("caseworker_a").post("/api/contacts", {**body, "household": casework["elderly_a"].pk})
    assert other.status_code == 422
    assert Contact.objects.count() == 1


def test_worklist_and_campaign_routes(api, casework, personas):
    today = local_today()
    response = api("office").post("/api/campaigns", {
        "name": "电话随访暖心", "region_codes": [TOWNSHIP], "start": today.isoformat(),
        "end": (today + dt.timedelta(days=6)).isoformat(),
        "questions": [{"label": "家中有无发热", "kind": "yesno"}],
    })
    assert response.status_code == 201, response.content
    campaign_id = response.json()["id"]
    assert response.json()["coverage"] == {"total": 4, "reached": 0, "tried": 0, "not_tried": 4, "flagged": 0}
    day = api("caseworker_a").get("/api/worklist").json()
    assert [s["key"] for s in day["sections"]] == ["campaign"]
    items = day["sections"][0]["items"]
    assert len(items) == 3 and items[0]["special"] is True  # the elderly household first
    for _ in range(3):
        assert api("caseworker_a").post("/api/contacts", contact_body(
            casework["elderly_a"], reached=False, assessment=None, not_reached_reason="no_answer",
            campaign=campaign_id)).status_code == 201
    api("caseworker_a").post("/api/contacts", contact_body(casework["poor_a"], campaign=campaign_id,
                                                           answers={"q1": False}))
    coverage = api("office").get(f"/api/campaigns/{campaign_id}/coverage").json()
    assert coverage["total"] == {"total": 4, "reached": 1, "tried": 1, "not_tried": 2, "flagged": 1}
    assert [f["household"] for f in coverage["flagged"]] == [casework["elderly_a"].pk]
    assert {row["key"]: row["total"] for row in coverage["by_village"]} == {"370215010001": 3, "370215010002": 1}
    assert api("outsider_office").get(f"/api/campaigns/{campaign_id}/coverage").status_code == 404
    assert [c["id"] for c in api("caseworker_b").get("/api/campaigns").json()] == [campaign_id]
    assert api("caseworker_a").post("/api/campaigns", {
        "name": "x", "region_codes": [TOWNSHIP], "start": today.isoformat(), "end": today.isoformat()}).status_code == 403
    assert Campaign.objects.count() == 1
    # The office's own day: what waits for it (needs to assign), not a caseworker's calls.
    office_day = api("office").get("/api/worklist")
    assert office_day.status_code == 200 and office_day.json()["sections"] == []
    assert api("county").get("/api/worklist").status_code == 403
    assert FollowUp.objects.filter(campaign_id=campaign_id, status="done").count() == 1


def test_household_contacts_route(api, casework, log, personas):
    log(personas["caseworker_a"], casework["poor_a"], notes="甲")
    log(personas["caseworker_a"], casework["poor_a"], reached=False, notes="乙")
    body = api("office").get(f"/api/households/{casework['poor_a'].pk}/contacts").json()
    assert [c["notes"] for c in body] == ["乙", "甲"]
    assert body[0]["assessment"] is None and body[1]["assessment"]["living_ok"] is True
    assert api("caseworker_b").get(f"/api/households/{casework['poor_a'].pk}/contacts").status_code == 404
