"""What a daily-check submission costs in SQL statements (bench/submissions.py measures its
throughput): a first submission and a correction, by the API and by the page, each a fixed
handful of statements that cannot creep back up unnoticed. And what the shortcuts must not change:
the answer is the check as read again, the summary row counts as a full recount does."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.accounts.testing import ApiClient
from bangfu.emergency.models import HealthCheck, Summary
from bangfu.emergency.services import checks_generate, summary_refresh

pytestmark = pytest.mark.django_db

# Statements of one request, the token or session look-up included, and the four savepoint
# statements (the service's transaction inside the request's, create_once's). Lower them when the
# submission gets cheaper; never raise them. (Before: 30 for a first submission by the API.) The
# page's correction raises a fever alert: the need, the message and a full recount of the summary.
API_FIRST, API_CORRECTION = 15, 16
PAGE_FIRST, PAGE_CORRECTION = 17, 47


@pytest.fixture
def home(make_household, personas):
    return make_household(caseworker=personas["caseworker_a"])


def _summary(emergency, check) -> tuple[int, int, int, int]:
    row = Summary.objects.get(emergency=emergency, day=check.day, region_code=check.region_code)
    return row.due, row.done, row.fever_alerts, row.in_quarantine


def _recounted(emergency, check) -> tuple[int, int, int, int]:
    summary_refresh(emergency=emergency, day=check.day)
    return _summary(emergency, check)


def _statements(context) -> list[str]:
    return [q["sql"] for q in context.captured_queries]


def test_an_api_submission_is_a_fixed_handful_of_statements(personas, emergency, home, make_household):
    make_household(caseworker=personas["caseworker_a"])  # a neighbour: the summary counts both
    checks_generate()
    check = HealthCheck.objects.get(household=home)
    api = ApiClient(personas["caseworker_a"])
    person = api.get("/api/checks").json()[0]["people"][0]["key"]
    body = {"client_id": "phone-1", "temperatures": {person: 36.6}, "disinfection": True, "symptoms": False,
            "supplies_enough": True, "help_needed": False, "note": " 一切正常 "}
    with CaptureQueriesContext(connection) as first:
        response = api.post(f"/api/checks/{check.pk}", body)
    assert response.status_code == 201, response.content
    assert len(first) <= API_FIRST, _statements(first)
    # The answer built from the rows written is the check as read again.
    assert response.json() == api.post(f"/api/checks/{check.pk}", body).json()
    assert _summary(emergency, check) == (2, 1, 0, 0)
    with CaptureQueriesContext(connection) as correction:
        corrected = api.post(f"/api/checks/{check.pk}", {**body, "client_id": "phone-2",
                                                          "temperatures": {person: 36.9}})
    assert corrected.status_code == 201
    assert len(correction) <= API_CORRECTION, _statements(correction)
    assert corrected.json()["readings"][0]["temperature"] == 36.9 and corrected.json()["version"] == 3
    assert corrected.json() == api.post(f"/api/checks/{check.pk}", {**body, "client_id": "phone-2",
                                                                     "temperatures": {person: 36.9}}).json()
    # A correction is not counted twice; the counter agrees with a full recount.
    assert _summary(emergency, check) == (2, 1, 0, 0) == _recounted(emergency, check)


def test_a_page_submission_is_a_fixed_handful_of_statements(client, personas, emergency, home):
    checks_generate()
    check = HealthCheck.objects.get(household=home)
    client.force_login(personas["caseworker_a"])
    url = reverse("emergencies:check", args=[check.pk])
    member = home.members.order_by("pk").first()
    form = {"client_id": "page-1", f"t_m{member.pk}": "36.5", "disinfection": "yes", "symptoms": "no",
            "supplies": "yes", "help": "no", "note": ""}
    with CaptureQueriesContext(connection) as first:
        response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(first) <= PAGE_FIRST, _statements(first)
    with CaptureQueriesContext(connection) as correction:
        response = client.post(url, {**form, "client_id": "page-2", f"t_m{member.pk}": "38.0"})
    assert response.status_code == 302
    assert len(correction) <= PAGE_CORRECTION, _statements(correction)
    check.refresh_from_db()
    assert check.fever and check.version == 3
    # The fever alert's summary number is recounted in the same transaction.
    assert _summary(emergency, check) == (1, 1, 1, 0) == _recounted(emergency, check)


def test_a_refused_submission_leaves_its_client_id_free(personas, emergency, home):
    """The client id is taken before the answers are checked, in the same transaction: a refusal
    takes it back, and the same submission corrected goes through."""
    from bangfu.emergency.models import CheckSubmission

    checks_generate()
    check = HealthCheck.objects.get(household=home)
    api = ApiClient(personas["caseworker_a"])
    person = api.get("/api/checks").json()[0]["people"][0]["key"]
    body = {"client_id": "phone-9", "temperatures": {"m999999": 36.5}, "disinfection": True, "symptoms": False,
            "supplies_enough": True, "help_needed": False}
    refused = api.post(f"/api/checks/{check.pk}", body)  # no such person: refused by the service
    assert refused.status_code == 422 and "temperatures" in refused.json()["errors"]
    assert not CheckSubmission.objects.exists() and _summary(emergency, check)[1] == 0
    check.refresh_from_db()
    assert check.status == "due" and check.version == 1
    accepted = api.post(f"/api/checks/{check.pk}", {**body, "temperatures": {person: 36.4}})
    assert accepted.status_code == 201 and CheckSubmission.objects.count() == 1
    assert _summary(emergency, check) == (1, 1, 0, 0) == _recounted(emergency, check)


def test_a_quarantine_ended_at_a_first_check_is_counted_as_a_recount_would(personas, emergency, home):
    """The returnee's quarantine comes with the people read for the check: found well after its
    end, it ends, and the summary row says so (one fewer in quarantine, the check done)."""
    import datetime as dt

    from bangfu.core.dates import local_today
    from bangfu.emergency.models import QuarantineStatus
    from bangfu.emergency.services import returnee_register
    from conftest import person_id

    returnee = returnee_register(emergency=emergency, household=home, name="李归", id_number=person_id(),
                                 phone="13912345678", origin="武汉", transport="train",
                                 arrival=local_today() - dt.timedelta(days=14), actor=personas["caseworker_a"])
    checks_generate()
    check = HealthCheck.objects.get(household=home)
    assert _summary(emergency, check) == (1, 0, 0, 1)
    api = ApiClient(personas["caseworker_a"])
    response = api.post(f"/api/checks/{check.pk}", {
        "client_id": "phone-q", "temperatures": {f"r{returnee.pk}": 36.5}, "disinfection": True,
        "symptoms": False, "supplies_enough": True, "help_needed": False})
    assert response.status_code == 201
    returnee.quarantine.refresh_from_db()
    assert returnee.quarantine.status == QuarantineStatus.ENDED
    # The answer's people are read again: the returnee is no longer measured as one.
    assert f"r{returnee.pk}" not in [p["key"] for p in response.json()["people"]]
    assert _summary(emergency, check) == (1, 1, 0, 0) == _recounted(emergency, check)
