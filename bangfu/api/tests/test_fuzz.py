"""Schemathesis against our own OpenAPI document: for generated requests, valid and not, every
answer is one the document declares (status, content type, body shape), and none is a 500."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from bangfu.accounts.services import token_create
from bangfu.api.urls import api
from bangfu.wsgi import application
from conftest import VILLAGE_A

# Built from the API object rather than fetched, so that loading it needs no database.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = application


@pytest.fixture
def connection_kept():
    """What Django's test client does around a request: the raw WSGI app would otherwise close
    the database connection after each response, and with it the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(personas, make_household, connection_kept):
    # A household and a member with small ids, so that some generated ids find something.
    make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    return token_create(user=personas["office"])


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_every_answer_is_declared(case, token):
    # The host is the server's business, not the document's: a generated Host that ALLOWED_HOSTS
    # refuses gets Django's undocumented 400 before the API sees the request.
    response = case.call(headers={"Authorization": f"Bearer {token}", "Host": "localhost"})
    case.validate_response(
        response,
        # A request can fit the document and still break a rule that only the forms know (422);
        # and a generated session cookie is rightly ignored when a valid bearer token comes with it.
        excluded_checks=[positive_data_acceptance, ignored_auth],
    )
