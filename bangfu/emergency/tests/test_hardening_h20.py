"""Daily checks through the API: values that are not numbers, and paging past the database's
integers, are refused with a message, never a server error."""

from __future__ import annotations

import pytest

from bangfu.accounts.testing import ApiClient
from bangfu.emergency.models import CheckStatus, HealthCheck, Reading
from bangfu.emergency.services import checks_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(make_household, personas, emergency):
    make_household(caseworker=personas["caseworker_a"])
    checks_generate()
    api = ApiClient(personas["caseworker_a"])
    row = api.get("/api/checks").json()[0]
    return api, row["id"], row["people"][0]["key"]


@pytest.mark.parametrize("value", [float("nan"), "NaN", "nan", "-nan", float("inf"), "Infinity"])
def test_a_temperature_that_is_not_a_number_is_refused_on_its_person(due, value):
    api, check, person = due
    response = api.post(f"/api/checks/{check}", {"client_id": "phone-1", "temperatures": {person: value}})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(key in errors for key in (f"t_{person}", f"temperatures.{person}")), errors
    assert not Reading.objects.exists() and HealthCheck.objects.get(pk=check).status == CheckStatus.DUE


def test_an_offset_past_the_databases_integers_is_refused(due):
    api, _check, _person = due
    response = api.get("/api/checks", offset="9223372036854775808")
    assert response.status_code == 422 and "offset" in response.json()["errors"]
