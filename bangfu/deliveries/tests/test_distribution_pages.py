"""Distribution pages: planning with a preview, then the report; only the office plans."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.deliveries.models import Delivery, Distribution
from bangfu.households.choices import Category as C


@pytest.fixture
def office_client(client, personas):
    client.force_login(personas["office"])
    return client


def test_plan_preview_then_confirm(office_client, make_household, personas, stocked, rice):
    make_household(caseworker=personas["caseworker_a"], categories=[C.REGISTERED_POOR])
    disabled = make_household(caseworker=personas["caseworker_a"], categories=[C.DISABLED])
    data = {"title": "慰问大米", "item": rice.pk, "quantity": 60, "villages": ["370215010001"],
            "categories": [], "client_id": "plan-x"}
    url = reverse("deliveries:distribution_plan")
    preview = office_client.post(url, {**data, "preview": "1"})
    html = preview.content.decode()
    assert preview.status_code == 200 and not Distribution.objects.exists()
    assert "120" in html and "20" in html  # needed, and short by 20
    assert html.index(disabled.head_name) < html.index("</table>")
    confirmed = office_client.post(url, {**data, "confirm": "1"})
    distribution = Distribution.objects.get()
    assert confirmed.status_code == 302 and confirmed["Location"] == reverse("deliveries:distribution",
                                                                             args=[distribution.pk])
    first = Delivery.objects.filter(distribution=distribution).order_by("sequence").first()
    assert first.household_id == disabled.pk
    report = office_client.get(confirmed["Location"]).content.decode()
    assert "慰问大米" in report and disabled.head_name in report


def test_a_caseworker_cannot_plan(client, personas, stocked):
    client.force_login(personas["caseworker_a"])
    assert client.get(reverse("deliveries:distribution_plan")).status_code == 403
