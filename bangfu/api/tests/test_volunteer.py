"""A village volunteer reads nothing of the API but the daily checks (and who they are): every other
route answers 403 or 404 for the rows of their own village. The pages: bangfu.emergency.tests."""

from __future__ import annotations

import pytest

from bangfu.accounts.testing import ApiClient
from bangfu.api.urls import api as ninja_api
from bangfu.emergency.tests.conftest import emergency  # noqa: F401 (fixtures)
from bangfu.emergency.tests.test_volunteer import _ids_in_village, village  # noqa: F401 (fixtures)
from bangfu.supplies.tests.conftest import masks, rice, stocked, township  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

ALLOWED_API = {"/api/checks", "/api/me"}


def _required_query(operation, value) -> dict:
    """Required query parameters (an emergency's id) filled with a real id."""
    fill = {"township": "370215010"}
    return {p["name"]: fill.get(p["name"], value or 1) for p in operation.get("parameters", [])
            if p["in"] == "query" and p.get("required")}


def test_every_other_api_read_is_refused(village, volunteer_a, emergency):
    client = ApiClient(volunteer_a)
    ids = _ids_in_village(village, emergency)
    schema = ninja_api.get_openapi_schema()
    checked, leaks = 0, []
    for path, operations in schema["paths"].items():
        if "get" not in operations or path in ALLOWED_API:
            continue
        for value in sorted(ids) if "{" in path else [None]:
            url = path
            for param in [p for p in operations["get"].get("parameters", []) if p["in"] == "path"]:
                url = url.replace("{" + param["name"] + "}", str(value))
            status = client.get(url, **_required_query(operations["get"], value)).status_code
            if status not in (403, 404):
                leaks.append(f"GET {url}: {status}")
            checked += 1
    assert not leaks, "\n".join(leaks)
    assert checked > 20
