"""A casework campaign of kind 排查 (periodic risk check): a risk found on one of its contacts becomes
a monitoring lead of source 干部排查 through the contact form's part, once per contact."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from bangfu.casework import services as casework_services
from bangfu.casework.models import CampaignKind, Contact
from bangfu.core.dates import local_today
from bangfu.monitoring.models import Channel, Lead, Source, Stage
from conftest import VILLAGE_A

pytestmark = pytest.mark.django_db


def _campaign(personas, kind):
    today = local_today()
    return casework_services.campaign_create(actor=personas["office"], name=f"{kind}排查", region_codes=[VILLAGE_A],
                                             start=today, end=today, kind=kind)


def _contact(campaign, **overrides) -> dict:
    return {"client_id": str(uuid.uuid4()), "channel": "visit", "notes": "入户排查", "outcome": "reached",
            "campaign": str(campaign.pk), "supplies_ok": "true", "prevention_ok": "true",
            "medical_access_ok": "true", "living_ok": "true", "need-client_id": str(uuid.uuid4()),
            "need-urgency": "normal", **overrides}


def test_a_risk_found_on_a_screening_contact_becomes_a_cadre_lead_once(client, personas, make_household):
    household = make_household(VILLAGE_A)
    campaign = _campaign(personas, CampaignKind.SCREENING)
    assert campaign.kind == CampaignKind.SCREENING
    client.force_login(personas["village_a"])
    url = reverse("casework:contact_add", args=[household.pk])
    assert 'name="screening-found"' in client.get(url).content.decode()
    # Ticked without saying what: neither the contact nor the lead.
    response = client.post(url, _contact(campaign, **{"screening-found": "on"}))
    assert response.status_code == 200 and not Contact.objects.exists() and not Lead.objects.exists()
    body = _contact(campaign, **{"screening-found": "on", "screening-indicator": "务工收入骤减",
                                 "screening-difficulty": "工厂停工"})
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302  # the same submission again
    lead = Lead.objects.get()
    assert (lead.source, lead.channel, lead.stage) == (Source.CADRE, Channel.CAMPAIGN, Stage.VERIFY)
    assert lead.household == household and lead.indicator == "务工收入骤减" and lead.source_note == campaign.name
    assert Contact.objects.count() == 1
    # Left unticked, a contact records no lead.
    assert client.post(url, _contact(campaign)).status_code == 302
    assert Lead.objects.count() == 1 and Contact.objects.count() == 2


def test_a_follow_up_campaign_offers_no_lead(client, personas, make_household):
    household = make_household(VILLAGE_A)
    _campaign(personas, CampaignKind.FOLLOW_UP)
    client.force_login(personas["village_a"])
    page = client.get(reverse("casework:contact_add", args=[household.pk])).content.decode()
    assert 'name="screening-found"' not in page


def test_the_campaign_form_and_api_take_the_kind(client, personas):
    client.force_login(personas["office"])
    today = local_today().isoformat()
    response = client.post(reverse("casework:campaign_create"), {
        "name": "春季排查", "kind": "screening", "region_codes": [VILLAGE_A], "channel": "visit", "start": today,
        "end": today})
    assert response.status_code == 302
    from bangfu.casework.models import Campaign

    assert Campaign.objects.get(name="春季排查").kind == CampaignKind.SCREENING
