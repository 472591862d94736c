"""Reading offline: the pages the phone may keep are marked by the server (X-Bangfu-Offline: 1) and
show masked fields only; a reveal, an htmx partial or a refused page is never marked; the service
worker is served with the header that allows it the whole site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.emergency.models import HealthCheck
from bangfu.emergency.services import checks_generate
from conftest import member_data, person_id

pytestmark = pytest.mark.django_db
MARK = "X-Bangfu-Offline"


def test_kept_pages_are_marked_and_masked_reveals_never(client, personas, make_household, emergency):
    id_number = person_id()
    household = make_household(members=[member_data(id_number=id_number, phone="13912345678")],
                               caseworker=personas["caseworker_a"])
    checks_generate()
    check = HealthCheck.objects.get(household=household)
    client.force_login(personas["caseworker_a"])
    for url in (reverse("casework:worklist"), reverse("households:detail", args=[household.pk]),
                reverse("emergencies:check", args=[check.pk]), reverse("casework:contact_add", args=[household.pk]),
                reverse("needs:create", args=[household.pk]), reverse("core:outbox")):
        response = client.get(url)
        assert response.status_code == 200 and response[MARK] == "1", url
        html = response.content.decode()
        assert id_number not in html and "13912345678" not in html, url

    head = household.members.get()
    client.force_login(personas["office"])
    revealed = client.post(reverse("households:member_reveal", args=[head.pk, "id_number"]))
    assert id_number in revealed.content.decode() and MARK not in revealed
    assert "no-store" in revealed["Cache-Control"]
    partial = client.get(reverse("households:detail", args=[household.pk]), HTTP_HX_REQUEST="true")
    assert MARK not in partial
    client.force_login(personas["caseworker_b"])  # out of scope: 404, not marked
    assert MARK not in client.get(reverse("households:detail", args=[household.pk]))


def test_the_service_worker_may_serve_the_whole_site(client):
    response = client.get(reverse("core:service_worker"))
    assert response.status_code == 200 and response["Service-Worker-Allowed"] == "/"
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert "X-Bangfu-Offline" in body and "importScripts" not in body  # nothing loaded from elsewhere
