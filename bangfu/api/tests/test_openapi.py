"""The OpenAPI document is valid and complete, and its docs page works offline under the strict CSP."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

ROUTES = {
    "/api/households": {"get", "post"},
    "/api/users": {"get", "post"},
    "/api/users/{id}": {"patch"},
    "/api/households/{id}": {"get", "patch"},
    "/api/households/{id}/history": {"get"},
    "/api/households/{id}/reveal": {"post"},
    "/api/members/{id}/reveal": {"post"},
    "/api/needs": {"get", "post"},
    "/api/needs/{id}": {"get"},
    "/api/needs/{id}/transitions": {"post"},
    "/api/notifications": {"get"},
    "/api/notifications/{id}/read": {"post"},
    "/api/contacts": {"post"},
    "/api/worklist": {"get"},
    "/api/campaigns": {"get", "post"},
    "/api/campaigns/{id}/coverage": {"get"},
    "/api/households/{id}/contacts": {"get"},
    "/api/deliveries": {"get", "post"},
    "/api/deliveries/{id}": {"get"},
    "/api/deliveries/counts": {"get"},
    "/api/deliveries/{id}/assign": {"post"},
    "/api/deliveries/{id}/complete": {"post"},
    "/api/deliveries/{id}/fail": {"post"},
    "/api/deliveries/{id}/reopen": {"post"},
    "/api/stock/moves": {"get", "post"},
    "/api/stock/balances": {"get"},
    "/api/distributions": {"get", "post"},
    "/api/distributions/{id}": {"get"},
    "/api/emergencies": {"get", "post"},
    "/api/emergencies/{id}": {"get"},
    "/api/emergencies/{id}/numbers": {"get"},
    "/api/emergencies/{id}/end": {"post"},
    "/api/emergencies/{id}/close": {"post"},
    "/api/checks": {"get"},
    "/api/checks/{id}": {"post"},
    "/api/returnees": {"get", "post"},
    "/api/fund/councils": {"get", "post"},
    "/api/fund/agreements": {"get", "post"},
    "/api/fund/contributions": {"get", "post"},
    "/api/fund/payouts": {"get", "post"},
    "/api/projects": {"get", "post"},
    "/api/projects/{id}": {"get"},
    "/api/projects/{id}/steps": {"post"},
    "/api/projects/{id}/payments": {"get", "post"},
    "/api/assets": {"get", "post"},
    "/api/assets/{id}": {"get"},
    "/api/assets/{id}/inspections": {"get", "post"},
    "/api/assets/{id}/income": {"get", "post"},
    "/api/policies": {"get", "post"},
    "/api/policy-receipts": {"get", "post"},
    "/api/policy-receipts/import": {"post"},
    "/api/labour": {"get"},
    "/api/labour/statuses": {"post"},
    "/api/drives": {"get"},
    "/api/drives/{id}": {"get"},
    "/api/drives/targets/{id}": {"post"},
    "/api/subsidies": {"get"},
    "/api/subsidies/{id}": {"get"},
    "/api/leads": {"get", "post"},
    "/api/leads/imports": {"post"},
    "/api/monitored": {"get"},
    "/api/monitored/{id}/steps": {"post"},
    "/api/postings": {"get", "post"},
    "/api/postings/{id}/matches": {"get"},
    "/api/welfare-posts": {"get"},
    "/api/appointments": {"get"},
    "/api/attendance": {"post"},
    "/api/payrolls": {"get"},
    "/api/plans": {"get", "post"},
    "/api/flags": {"get"},
    "/api/figures": {"get"},
    "/api/sales": {"get", "post"},
    "/api/sales/products": {"get"},
    "/api/sales/buyers": {"get", "post"},
}


@pytest.fixture
def spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_document_is_valid_openapi(spec):
    validate(spec)


def test_the_document_has_every_route_and_its_errors(spec):
    assert set(spec["paths"]) == set(ROUTES)
    for path, methods in ROUTES.items():
        assert set(spec["paths"][path]) == methods, path
        for method in methods:
            operation = spec["paths"][path][method]
            assert {"401", "404", "422"} <= set(operation["responses"]), (method, path)
            assert operation["security"] == [{"BearerToken": []}, {"SessionAuth": []}]
    # An edit made on an old version is applied or held for review (202), never refused as a conflict.
    assert "202" in spec["paths"]["/api/households/{id}"]["patch"]["responses"]
    assert "409" not in spec["paths"]["/api/households/{id}"]["patch"]["responses"]
    assert "201" in spec["paths"]["/api/households"]["post"]["responses"]


def test_enumerations_are_documented(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["Category"]["enum"] == [
        "registered_poor", "monitored", "minimum_living", "extreme_hardship", "disabled", "elderly_alone",
        "special_family",
    ]
    assert "`registered_poor`: Registered poor" in schemas["Category"]["description"]
    assert schemas["Status"]["enum"] == ["active", "lifted", "risk_eliminated", "closed"]
    assert "户主" in schemas["Relation"]["enum"]
    assert schemas["ValidationErrorOut"]["required"] == ["detail", "errors"]


def test_the_docs_page_loads_nothing_from_elsewhere(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "the docs page must not load from a CDN"
    for asset in re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", html):
        assert client.get(asset).status_code == 200, asset
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "http" not in policy


@pytest.mark.browser
def test_the_docs_page_renders_under_the_csp(browser, live_server):
    """Swagger UI from the bundled files, with the site's CSP: no violation, no request elsewhere.
    The session's one browser (core.tests.browser): a second Playwright started in the same process
    would meet the first one's event loop."""
    problems: list[str] = []
    elsewhere: list[str] = []
    context = browser.new_context()
    try:
        page = context.new_page()
        page.on("console", lambda message: message.type in {"error", "warning"} and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("request", lambda request: request.url.startswith(live_server.url) or elsewhere.append(request.url))
        page.goto(live_server.url + "/api/docs")
        page.wait_for_selector(".opblock", timeout=15_000)
        assert page.locator(".opblock").count() == sum(len(methods) for methods in ROUTES.values())
    finally:
        context.close()
    assert problems == []
    assert elsewhere == []
