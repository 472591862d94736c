"""A refused request is logged as one line (method, path, user, request id); a server error keeps
its traceback."""

from __future__ import annotations

import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.log import log_response

from bangfu.accounts.testing import ApiClient
from conftest import VILLAGE_B

pytestmark = pytest.mark.django_db


def _request_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request"]


def _one_refusal(caplog, response, status: int, method: str, path: str, user) -> None:
    assert response.status_code == status
    records = _request_records(caplog)
    assert len(records) == 1, [r.getMessage() for r in records]
    record = records[0]
    user_part = user.pk if user is not None else "-"
    assert record.getMessage() == (
        f"Refused {status}: {method} {path} user={user_part} request={response['X-Request-Id']}")
    assert record.exc_info is None and record.exc_text is None
    assert "Traceback" not in caplog.text


def test_a_page_refused_to_a_role_is_one_line(client, personas, caplog):
    user = personas["caseworker_a"]
    client.force_login(user)
    path = reverse("emergencies:open")
    with caplog.at_level(logging.WARNING):
        response = client.get(path)
    _one_refusal(caplog, response, 403, "GET", path, user)


def test_a_page_out_of_scope_is_one_line(client, personas, make_household, caplog):
    other = make_household(VILLAGE_B)
    user = personas["caseworker_a"]
    client.force_login(user)
    path = reverse("households:detail", args=[other.pk])
    with caplog.at_level(logging.WARNING):
        response = client.get(path)
    _one_refusal(caplog, response, 404, "GET", path, user)


def test_api_refusals_are_one_line(personas, make_household, caplog):
    other = make_household(VILLAGE_B)
    user = personas["caseworker_a"]
    with caplog.at_level(logging.WARNING):
        response = ApiClient(user).get(f"/api/households/{other.pk}")
    _one_refusal(caplog, response, 404, "GET", f"/api/households/{other.pk}", user)

    caplog.clear()
    with caplog.at_level(logging.WARNING):
        response = ApiClient().get("/api/households")
    _one_refusal(caplog, response, 401, "GET", "/api/households", None)


def test_a_server_error_keeps_its_traceback(caplog):
    request = RequestFactory().get("/households/")
    with caplog.at_level(logging.WARNING):
        try:
            raise RuntimeError("boom")
        except RuntimeError as exc:
            log_response("Internal Server Error: %s", request.path, response=HttpResponse(status=500),
                         request=request, exception=exc)
    (record,) = _request_records(caplog)
    assert record.getMessage() == "Internal Server Error: /households/"
    assert record.exc_info is not None and "RuntimeError: boom" in caplog.text
