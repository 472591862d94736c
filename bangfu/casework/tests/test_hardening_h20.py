"""Pages that must answer with a refusal, never a server error or another area's data: a campaign
to a role that may not see campaigns, an id past the database's integers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.casework.services import campaign_create
from bangfu.core.dates import local_today

TOWNSHIP = "370215010"


def test_a_volunteer_cannot_open_a_campaign(client, personas, volunteer_a, casework):
    campaign = campaign_create(actor=personas["office"], name="电话随访", region_codes=[TOWNSHIP],
                               start=local_today(), end=local_today() + dt.timedelta(days=6))
    client.force_login(volunteer_a)
    assert client.get(reverse("casework:campaigns")).status_code == 403
    page = client.get(reverse("casework:campaign_detail", args=[campaign.pk]))
    assert page.status_code == 403
    assert casework["poor_a"].head_name not in page.content.decode()


@pytest.mark.parametrize("name", ["casework:worklist_of", "casework:worklist_print_of"])
@pytest.mark.parametrize(("persona", "status"), [("office", 404), ("caseworker_a", 403)])
def test_an_id_past_the_databases_integers_is_refused_as_any_other(client, personas, name, persona, status):
    # A caseworker may not see another's day whatever the id; the office finds no such caseworker.
    client.force_login(personas[persona])
    assert client.get(reverse(name, args=[9223372036854775808])).status_code == status
