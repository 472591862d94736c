"""Who gets in: bearer tokens, the browser session (with CSRF), and nobody else (401)."""

from __future__ import annotations

import json

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from bangfu.accounts.models import ApiToken
from bangfu.accounts.services import token_create
from bangfu.accounts.testing import ApiClient
from bangfu.history.models import Change
from bangfu.households.models import Household
from conftest import VILLAGE_A, person_id


def routes(household_id: int, member_id: int):
    return [
        ("get", "/api/households", None),
        ("post", "/api/households", {"region": VILLAGE_A, "members": []}),
        ("get", f"/api/households/{household_id}", None),
        ("patch", f"/api/households/{household_id}", {"version": 1, "address": "x"}),
        ("get", f"/api/households/{household_id}/history", None),
        ("post", f"/api/households/{household_id}/reveal", {"field": "phone"}),
        ("post", f"/api/members/{member_id}/reveal", {"field": "id_number"}),
    ]


def call(client: ApiClient, method: str, path: str, body):
    return client.get(path) if method == "get" else getattr(client, method)(path, body)


@pytest.fixture
def household(make_household):
    return make_household(VILLAGE_A)


@pytest.mark.parametrize("token", [None, "bf_not-a-real-token", "not even the format"])
def test_every_route_needs_a_valid_token_or_session(household, token):
    client = ApiClient(token=token, language="en")
    before = Change.objects.count()
    for method, path, body in routes(household.pk, household.members.get().pk):
        response = call(client, method, path, body)
        assert response.status_code == 401, (method, path, response.content)
        assert response.json()["detail"]
    assert Change.objects.count() == before


def test_unauthenticated_message_is_translated(household):
    english = ApiClient(language="en").get("/api/households").json()["detail"]
    assert "Bearer" in english
    assert ApiClient(token="bf_nope", language="en").get("/api/households").json()["detail"] != english


def test_a_revoked_token_is_refused(personas, household):
    secret = token_create(user=personas["office"])
    assert ApiClient(token=secret).get("/api/households").status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert ApiClient(token=secret).get("/api/households").status_code == 401


def test_a_token_of_an_inactive_user_is_refused(personas, household):
    secret = token_create(user=personas["office"])
    personas["office"].is_active = False
    personas["office"].save()
    assert ApiClient(token=secret).get("/api/households").status_code == 401


def _session_client(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    return client, secret


def _body():
    return json.dumps({
        "region": VILLAGE_A,
        "members": [{"name": "张三", "relation": "户主", "id_number": person_id(), "education": "初中"}],
    })


def test_session_reads_without_csrf(personas, household):
    client, _secret = _session_client(personas["office"])
    response = client.get("/api/households")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [household.pk]


def test_session_writes_need_the_csrf_token(personas, regions):
    client, secret = _session_client(personas["office"])
    refused = client.post("/api/households", _body(), content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not Household.objects.exists()
    accepted = client.post("/api/households", _body(), content_type="application/json", headers={"X-CSRFToken": secret})
    assert accepted.status_code == 201, accepted.content


def test_no_session_and_no_token_is_401_not_a_csrf_failure(regions):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/households", _body(), content_type="application/json")
    assert response.status_code == 401


def test_a_bearer_token_needs_no_csrf(personas, regions):
    client = Client(enforce_csrf_checks=True)
    secret = token_create(user=personas["office"])
    response = client.post(
        "/api/households", _body(), content_type="application/json", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 201, response.content
