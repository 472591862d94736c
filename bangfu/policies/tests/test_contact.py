"""'Did it arrive?' on the contact form: one optional answer per policy the household is owed,
saved with the contact; "not arrived" shows in the gap's message."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from bangfu.casework.models import Contact
from bangfu.policies import queries
from bangfu.policies.models import PolicyCheck

pytestmark = pytest.mark.django_db

ALL_MET = {"supplies_ok": "true", "prevention_ok": "true", "medical_access_ok": "true", "living_ok": "true"}


def contact_post(**overrides) -> dict:
    return {"client_id": str(uuid.uuid4()), "channel": "phone", "notes": "身体好", "outcome": "reached",
            **ALL_MET, "need-client_id": str(uuid.uuid4()), "need-urgency": "normal", **overrides}


def test_the_contact_form_asks_about_each_policy_owed_none_answered(client, dibao_home, personas):
    client.force_login(personas["caseworker_a"])
    html = client.get(reverse("casework:contact_add", args=[dibao_home.pk])).content.decode()
    for key in ("dibao", "disability", "medical"):
        assert f'name="policy-{key}"' in html
    assert 'name="policy-tekun"' not in html
    assert "checked" not in html.split("contact-policies", 1)[1].split("</details>", 1)[0]


def test_answers_are_saved_with_the_contact_once(client, dibao_home, personas):
    client.force_login(personas["caseworker_a"])
    url = reverse("casework:contact_add", args=[dibao_home.pk])
    data = contact_post(**{"policy-dibao": "not_arrived", "policy-medical": "arrived"})
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double tap
    contact = Contact.objects.get()
    checks = {c.policy_key: c for c in PolicyCheck.objects.all()}
    assert set(checks) == {"dibao", "medical"}
    assert checks["dibao"].answer == "not_arrived" and checks["dibao"].contact == contact
    assert checks["dibao"].checked_by == personas["caseworker_a"]
    gap = next(g for g in queries.gaps_in_scope(personas["office"]) if g.policy_name == "低保")
    assert "农户说未到账" in gap.message
    medical = next(g for g in queries.gaps_in_scope(personas["office"]) if g.policy_name == "医保参保资助")
    assert "农户说已到账：请登记到账" in medical.message


def test_a_wrong_answer_saves_neither(client, dibao_home, personas):
    client.force_login(personas["caseworker_a"])
    response = client.post(reverse("casework:contact_add", args=[dibao_home.pk]),
                           contact_post(**{"policy-dibao": "maybe"}))
    assert response.status_code == 200
    assert not Contact.objects.exists() and not PolicyCheck.objects.exists()


def test_a_household_owed_nothing_gets_no_question(client, plain_home, personas):
    client.force_login(personas["caseworker_b"])
    html = client.get(reverse("casework:contact_add", args=[plain_home.pk])).content.decode()
    assert "contact-policies" not in html
