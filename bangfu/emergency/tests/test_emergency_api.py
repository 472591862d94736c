"""The API for emergencies, daily checks and returnees: scoped, idempotent by client id, the fever
alert once per person per day, refusals that write nothing, ID numbers masked."""

from __future__ import annotations

import pytest

from bangfu.accounts.testing import ApiClient
from bangfu.core.dates import local_today
from bangfu.emergency.models import CheckStatus, Emergency, FeverAlert, HealthCheck, Returnee
from bangfu.emergency.services import checks_generate
from bangfu.needs.models import Need
from conftest import VILLAGE_B, person_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(make_household, personas):
    return make_household(caseworker=personas["caseworker_a"])


def test_office_opens_and_the_numbers_follow(personas, township, home):
    api = ApiClient(personas["office"])
    response = api.post("/api/emergencies", {"title": "疫情防控", "kind": "epidemic", "region": township.code,
                                             "start": local_today().isoformat()})
    assert response.status_code == 201
    emergency = response.json()["id"]
    numbers = api.get(f"/api/emergencies/{emergency}/numbers").json()
    assert (numbers["due"], numbers["done"]) == (1, 0)
    denied = ApiClient(personas["caseworker_a"]).post("/api/emergencies", {
        "title": "x", "kind": "flood", "region": township.code, "start": local_today().isoformat()})
    assert denied.status_code == 403 and Emergency.objects.count() == 1
    assert ApiClient(personas["outsider_office"]).get(f"/api/emergencies/{emergency}").status_code == 404


def test_check_submission_idempotent_and_fever_once(personas, emergency, home):
    checks_generate()
    api = ApiClient(personas["caseworker_a"])
    rows = api.get("/api/checks").json()
    assert len(rows) == 1 and rows[0]["status"] == "due"
    check, person = rows[0]["id"], rows[0]["people"][0]["key"]
    body = {"client_id": "phone-1", "temperatures": {person: 38.4}, "disinfection": True, "symptoms": False,
            "supplies_enough": True, "help_needed": False}
    first, again = api.post(f"/api/checks/{check}", body), api.post(f"/api/checks/{check}", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["fever"] and first.json()["status"] == CheckStatus.DONE
    third = api.post(f"/api/checks/{check}", {**body, "client_id": "phone-2"})
    assert third.status_code == 201
    assert FeverAlert.objects.count() == 1 and Need.objects.count() == 1
    numbers = ApiClient(personas["office"]).get(f"/api/emergencies/{emergency.pk}/numbers").json()
    assert numbers["fever_alerts"] == 1 and numbers["done"] == 1


def test_checks_are_scoped(personas, emergency, home, make_household):
    other = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    checks_generate()
    theirs = HealthCheck.objects.get(household=other)
    api = ApiClient(personas["caseworker_a"])
    assert [row["household"]["id"] for row in api.get("/api/checks").json()] == [home.pk]
    response = api.post(f"/api/checks/{theirs.pk}", {"client_id": "x-1", "temperatures": {}})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == CheckStatus.DUE


def test_returnee_registered_once_and_masked(personas, emergency, home):
    api = ApiClient(personas["caseworker_a"])
    id_number = person_id()
    body = {"emergency": emergency.pk, "household": home.pk, "name": "赵归", "id_number": id_number,
            "phone": "13700001234", "origin": "上海", "arrival": local_today().isoformat(), "transport": "bus",
            "quarantine": True, "home_supplies_ensured": True, "help_needed": False, "client_id": "ret-1"}
    first, again = api.post("/api/returnees", body), api.post("/api/returnees", body)
    assert (first.status_code, again.status_code) == (201, 200) and Returnee.objects.count() == 1
    assert id_number not in first.text and "13700001234" not in first.text
    assert first.json()["quarantine"]["status"] == "active"
    listed = api.get(f"/api/returnees?emergency={emergency.pk}").json()
    assert [r["name"] for r in listed] == ["赵归"]
    outsider = ApiClient(personas["caseworker_b"]).post("/api/returnees", {**body, "client_id": "ret-2"})
    assert outsider.status_code == 404 and Returnee.objects.count() == 1


def test_fever_alert_is_written_in_the_deployments_language_not_the_submitters(personas, emergency, home):
    from bangfu.history.models import Change
    from bangfu.notify.models import Message

    checks_generate()
    api = ApiClient(personas["caseworker_a"], language="en")
    row = api.get("/api/checks").json()[0]
    response = api.post(f"/api/checks/{row['id']}", {
        "client_id": "phone-en", "temperatures": {row["people"][0]["key"]: 38.4}, "disinfection": True,
        "symptoms": False, "supplies_enough": True, "help_needed": False})
    assert response.status_code == 201
    assert response.json()["fever"]

    need = Need.objects.get()
    message = Message.objects.get(kind="fever_alert")
    alert_change = Change.objects.get(object_type="feveralert")
    assert "每日排查发现发热" in need.description and "Fever" not in need.description
    assert message.subject.startswith("发热") and message.body == need.description
    assert alert_change.message == need.description


def test_a_name_of_one_newline_is_refused_by_the_form_not_the_schema(personas, emergency, home):
    """The document's minLength allows "\\n"; the form behind the schema refuses it as blank, on its
    field (found by the fuzz test on PostgreSQL)."""
    body = {"emergency": emergency.pk, "household": home.pk, "name": "\n", "id_number": person_id(),
            "origin": "上海", "arrival": local_today().isoformat(), "transport": "bus", "client_id": "ret-nl",
            "quarantine": True, "home_supplies_ensured": True, "help_needed": False}
    response = ApiClient(personas["caseworker_a"]).post("/api/returnees", body)
    assert response.status_code == 422 and "name" in response.json()["errors"]
    assert not Returnee.objects.exists()


@pytest.mark.parametrize("answer", ["quarantine", "home_supplies_ensured", "help_needed"])
def test_a_returnee_without_an_answer_is_refused_on_its_field_as_on_the_page(personas, emergency, home, answer):
    """Home quarantine, supplies and help are answers: the API assumes none, as the page's form does."""
    body = {"emergency": emergency.pk, "household": home.pk, "name": "赵归", "id_number": person_id(),
            "origin": "上海", "arrival": local_today().isoformat(), "transport": "bus",
            "quarantine": False, "home_supplies_ensured": True, "help_needed": False}
    del body[answer]
    response = ApiClient(personas["caseworker_a"]).post("/api/returnees", body)
    assert response.status_code == 422 and answer in str(response.json())
    assert not Returnee.objects.exists()
    body[answer] = False
    registered = ApiClient(personas["caseworker_a"]).post("/api/returnees", body)
    assert registered.status_code == 201, registered.content
    if answer == "quarantine":
        assert registered.json()["quarantine"] is None  # no, as answered: not quarantined
    else:
        assert getattr(Returnee.objects.get(), answer) is False
