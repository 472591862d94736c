"""Schemathesis against our own OpenAPI document, with every check: for generated requests, valid and
not, every answer is one the document declares (status, content type, body shape), none is a 500,
invalid input is refused, and input valid by the document is accepted or refused only by a rule the
document cannot state.

The cases are drawn from a fixed seed (FUZZ_SEED below), so that CI runs the same cases every time
and a failure found there is found again by running the test again. To explore other cases, set
BANGFU_FUZZ_SEED: a number draws from that seed (run it again with the same number to repeat a
failure), `random` from a new one on every run:

    BANGFU_FUZZ_SEED=random .venv/bin/python -m pytest -p no:randomly bangfu/api/tests/test_fuzz.py
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config._checks import POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES

from bangfu.accounts.services import token_create
from bangfu.api.urls import api
from bangfu.core import errors
from bangfu.wsgi import application
from conftest import VILLAGE_A

# Built from the API object rather than fetched, so that loading it needs no database.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = application
FUZZ_SEED = 20261205


def fuzz_seed(value: str | None) -> int | None:
    """The seed the cases are drawn from: FUZZ_SEED unless BANGFU_FUZZ_SEED names another; None
    (a new one each run) for `random`."""
    if value is None or not value.strip():
        return FUZZ_SEED
    if value.strip().lower() == "random":
        return None
    try:
        return int(value)
    except ValueError:
        raise pytest.UsageError(f"BANGFU_FUZZ_SEED={value!r}: a whole number, or 'random'") from None


SEED = fuzz_seed(os.environ.get("BANGFU_FUZZ_SEED"))
if SEED is not None:
    schema.config.seed = SEED
# Input valid by the document may still break a rule no JSON schema can state: one head per
# household, an ID number's check digit, an area that exists, an end after its start, a date within
# days of today (stated as `x-date-window`). Such a refusal is a 422, a documented answer of every
# operation; `refused_by_its_own_schema` below makes sure the 422 is never the API's own check of
# the document's types, which would mean the document promised what the API refuses.
schema.config.checks.positive_data_acceptance.expected_statuses = [*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]
# The one type check the document cannot state: a date's window, relative to today.
NOT_STATABLE = {"date_window"}
# The caller's token, made by the fixture in each test's database.
TOKEN: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class Bearer:
    """The office's API token on every request, given as the caller's own credentials: schemathesis
    then checks that the same request without them, or with invalid ones, is refused."""

    def get(self, case, context):
        return TOKEN.get("token", "")  # asked once while collecting, before any fixture runs

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


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
    TOKEN["token"] = token_create(user=personas["office"])
    yield TOKEN["token"]
    TOKEN.clear()


@pytest.fixture
def shape_refusals(monkeypatch):
    """The errors of the API's own check of a request against its types (pydantic), as they happen."""
    seen: list[dict] = []
    original = errors.pydantic_errors

    def recording(found):
        seen.extend(found)
        return original(found)

    monkeypatch.setattr(errors, "pydantic_errors", recording)
    return seen


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_every_answer_is_declared(case, token, shape_refusals):
    shape_refusals.clear()

    def refused_by_its_own_schema(ctx, response, case):
        if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 422:
            return None
        broken = [f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('type')}" for e in shape_refusals
                  if e.get("type") not in NOT_STATABLE]
        assert not broken, f"valid by the document, refused by the API's types: {broken}"
        return None

    # The host is the server's business, not the document's: a generated Host that ALLOWED_HOSTS
    # refuses gets Django's undocumented 400 before the API sees the request. Bodies uncompressed:
    # schemathesis reads them as they come (compression has its own tests, core/tests/test_static_collect.py).
    response = case.call(headers={"Host": "localhost", "Accept-Encoding": "identity"})
    case.validate_response(response, additional_checks=[refused_by_its_own_schema])


def test_the_cases_are_drawn_from_a_fixed_seed_unless_another_is_asked_for():
    assert fuzz_seed(None) == fuzz_seed("") == FUZZ_SEED
    assert fuzz_seed("42") == 42 and fuzz_seed("random") is None
    with pytest.raises(pytest.UsageError):
        fuzz_seed("tomorrow")
    if "BANGFU_FUZZ_SEED" not in os.environ:
        assert schema.config.seed == FUZZ_SEED and schema.config.has_explicit_seed
