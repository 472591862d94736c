"""The contact form gives no answer for the caseworker: no channel (not even the one a follow-up asks
for), none of the four conditions; a reached contact with one untouched is refused by name and
nothing is written; the headline counts only answers given."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse

from bangfu.casework import services
from bangfu.casework.models import CONDITIONS, AssessmentTally, Contact, FollowUp, HouseholdCase
from bangfu.core.dates import local_today
from conftest import VILLAGE_A

pytestmark = pytest.mark.django_db


def _checked_radios(html: str) -> list[str]:
    """The contact's own radios that are ticked (a part's, prefixed "need-", are its own form's)."""
    return [tag for tag in re.findall(r"<input[^>]*>", html)
            if 'type="radio"' in tag and "checked" in tag and 'name="need-' not in tag]


def test_an_overdue_visit_follow_up_opens_with_no_channel_and_no_condition_answered(client, personas, casework):
    household = casework["poor_a"]
    followup = FollowUp.objects.create(household=household, region_code=household.region_code,
                                       caseworker=personas["caseworker_a"], kind="schedule", channel="visit",
                                       due=local_today() - dt.timedelta(days=3))
    client.force_login(personas["caseworker_a"])
    response = client.get(reverse("casework:contact_add", args=[household.pk]), {"followup": followup.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert _checked_radios(html) == []
    assert "本次随访要求：入户走访" in html  # said, not selected
    # Placeholders read as hints, not as values already written.
    placeholders = re.findall(r'placeholder="([^"]*)"', html)
    assert placeholders and not [p for p in placeholders if re.fullmatch(r"[\d.\s]+", p)]
    assert "在此填写了解到的情况" in placeholders


def test_a_reached_contact_with_untouched_answers_is_refused_by_name(client, personas, casework):
    household = casework["poor_a"]
    client.force_login(personas["caseworker_a"])
    url = reverse("casework:contact_add", args=[household.pk])
    response = client.post(url, {"client_id": str(uuid.uuid4()), "notes": "身体好", "outcome": "reached"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "请选择本次联系的方式。" in html
    for label in ("生活储备充足", "防疫措施落实", "就医途径畅通", "生活境况良好"):
        assert f"{label}：请回答是或否。" in html
    # One condition answered, three not: still refused, each of the three named.
    response = client.post(url, {"client_id": str(uuid.uuid4()), "channel": "phone", "outcome": "reached",
                                 "supplies_ok": "true"})
    html = response.content.decode()
    assert "生活储备充足：请回答是或否。" not in html and "生活境况良好：请回答是或否。" in html
    assert not Contact.objects.exists()
    assert not HouseholdCase.objects.filter(household=household, assessment__isnull=False).exists()


def test_not_reached_needs_no_conditions_but_still_a_channel(client, personas, casework):
    household = casework["poor_a"]
    client.force_login(personas["caseworker_a"])
    url = reverse("casework:contact_add", args=[household.pk])
    assert client.post(url, {"client_id": str(uuid.uuid4()), "outcome": "no_answer"}).status_code == 200
    assert not Contact.objects.exists()
    response = client.post(url, {"client_id": str(uuid.uuid4()), "channel": "phone", "outcome": "no_answer"})
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.reached is False and not hasattr(contact, "assessment") or contact.assessment is None


def test_a_campaign_that_does_not_ask_the_conditions_saves_none(client, personas, casework):
    household = casework["poor_a"]
    today = local_today()
    campaign = services.campaign_create(actor=personas["office"], name="端午慰问", region_codes=["370215010"],
                                        start=today, end=today + dt.timedelta(days=6), assess=False)
    client.force_login(personas["caseworker_a"])
    url = reverse("casework:contact_add", args=[household.pk])
    response = client.post(url, {"client_id": str(uuid.uuid4()), "channel": "phone", "outcome": "reached",
                                 "campaign": campaign.pk})
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.reached and not hasattr(contact, "assessment")
    assert not AssessmentTally.objects.filter(region_code=VILLAGE_A, assessed__gt=0).exists()


def test_the_headline_counts_only_answers_given(client, personas, casework):
    """Two households answered all yes through the form, one answered with a condition not met, one
    reached on a call that did not ask (no assessment): 2 of the 3 assessed are counted as met."""
    today = local_today()
    campaign = services.campaign_create(actor=personas["office"], name="端午慰问", region_codes=["370215010"],
                                        start=today, end=today + dt.timedelta(days=6), assess=False)
    client.force_login(personas["caseworker_a"])

    def post(household, **answers):
        data = {"client_id": str(uuid.uuid4()), "channel": "phone", "outcome": "reached", "campaign": campaign.pk,
                **answers}
        assert client.post(reverse("casework:contact_add", args=[household.pk]), data).status_code == 302

    yes = {name: "true" for name in CONDITIONS}
    post(casework["poor_a"], **yes)
    post(casework["elderly_a"], **yes)
    post(casework["monitored_a"], **{**yes, "living_ok": "false", "living_ok_note": "房屋漏雨"})
    tally = AssessmentTally.objects.get(region_code=VILLAGE_A)
    assert (tally.assessed, tally.all_ok, tally.living_ok) == (3, 2, 2)
    client.force_login(personas["office"])
    html = client.get(reverse("casework:assessments")).content.decode()
    assert "<strong>2</strong> 户四项情况均达标" in html
