"""The API answers in JSON whatever goes wrong: a body over the size limit is a 413, an unexpected
error a 500 carrying the request id its log line carries; and the document declares both (issue 20,
finding 5)."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
from django.test import Client, override_settings

from bangfu.accounts.services import token_create
from bangfu.api.urls import api
from bangfu.casework.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller(personas):
    # Django's test client re-raises a request's unhandled exception; a server does not.
    client = Client(raise_request_exception=False)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_create(user=personas['caseworker_a'])}"
    return client


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_body_over_the_limit_is_a_json_413(caller, make_household, personas):
    home = make_household(caseworker=personas["caseworker_a"])
    body = {"client_id": str(uuid.uuid4()), "household": home.pk, "channel": "phone", "reached": True,
            "notes": "x" * 20_000}
    response = caller.post("/api/contacts", json.dumps(body), content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "请求内容过大：最多 10000 字节。"
    assert not Contact.objects.exists()


def test_an_unexpected_error_is_a_json_500_with_the_request_id(caller, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("bangfu.casework.api.worklist_for", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = caller.get("/api/worklist")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    request_id = response["X-Request-Id"]
    assert response.json()["request_id"] == request_id
    assert request_id in response.json()["detail"]
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    # The traceback is kept, and the line names the request id the caller quotes.
    assert records[0].exc_info is not None and request_id in records[0].getMessage()


def test_every_operation_declares_the_errors_it_may_give():
    spec = api.get_openapi_schema(path_prefix="/api/")
    missing = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            expected = {"401", "403", "404", "422", "500"}
            if method in {"post", "put", "patch"}:
                expected |= {"400", "413"}
            lacking = expected - {str(status) for status in operation["responses"]}
            if lacking:
                missing.append(f"{method.upper()} {path}: {sorted(lacking)}")
    assert missing == []
    assert spec["components"]["schemas"]["ServerErrorOut"]["required"] == ["detail", "request_id"]
