"""Needs on casework's screens: recorded on the contact form in the same transaction as the
contact (and linked to it), and the caseworker's day listing resolved needs to confirm."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.casework.models import Contact
from bangfu.needs.models import Need, Status

ALL_MET = {"supplies_ok": "true", "prevention_ok": "true", "medical_access_ok": "true", "living_ok": "true"}


def contact_post(**overrides) -> dict:
    return {"client_id": str(uuid.uuid4()), "channel": "phone", "notes": "身体好", "outcome": "reached",
            **ALL_MET, "need-client_id": str(uuid.uuid4()), "need-urgency": "normal", **overrides}


def test_contact_form_offers_a_need(client, household_a, personas):
    client.force_login(personas["caseworker_a"])
    html = client.get(reverse("casework:contact_add", args=[household_a.pk])).content.decode()
    assert 'name="need-description"' in html and 'name="need-client_id"' in html


def test_a_need_recorded_on_the_contact_form_is_linked_once(client, household_a, personas):
    client.force_login(personas["caseworker_a"])
    url = reverse("casework:contact_add", args=[household_a.pk])
    data = contact_post(**{"need-category": "living_supplies", "need-urgency": "urgent",
                           "need-description": "家里米面油只够两天"})
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double tap
    contact = Contact.objects.get()
    need = Need.objects.get()
    assert need.contact == contact and need.household == household_a and need.urgency == "urgent"
    assert need.recorded_at == contact.at and need.recorded_by == personas["caseworker_a"]
    page = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert "电话" in page  # where it was heard


def test_an_empty_need_part_records_no_need(client, household_a, personas):
    client.force_login(personas["caseworker_a"])
    assert client.post(reverse("casework:contact_add", args=[household_a.pk]), contact_post()).status_code == 302
    assert Contact.objects.count() == 1 and not Need.objects.exists()


def test_an_invalid_need_part_saves_neither(client, household_a, personas):
    client.force_login(personas["caseworker_a"])
    response = client.post(reverse("casework:contact_add", args=[household_a.pk]),
                           contact_post(**{"need-description": "需要帮助"}))  # no category
    assert response.status_code == 200
    assert "请选择诉求类别" in response.content.decode()
    assert not Contact.objects.exists() and not Need.objects.exists()


def test_worklist_lists_needs_to_confirm(client, make_need, personas, household_b):
    resolved = make_need(Status.RESOLVED, description="屋顶漏雨已修")
    make_need(Status.ASSIGNED, description="还在办的事")
    make_need(Status.RESOLVED, household=household_b, actor=personas["caseworker_b"], description="别人的事")
    client.force_login(personas["caseworker_a"])
    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("casework:worklist")).content.decode()
    assert "屋顶漏雨已修" in html and reverse("needs:detail", args=[resolved.pk]) in html
    assert "别人的事" not in html
    # The assigned one (to caseworker_a) is theirs to carry out, not to confirm.
    confirm = html.split('id="section-needs_to_confirm"')[1].split("</section>")[0]
    assert "屋顶漏雨已修" in confirm and "还在办的事" not in confirm
    assert "还在办的事" in html.split('id="section-needs_assigned"')[1].split("</section>")[0]
    for _ in range(3):
        make_need(Status.RESOLVED)
    with CaptureQueriesContext(connection) as four:
        client.get(reverse("casework:worklist"))
    assert len(four.captured_queries) == len(one.captured_queries)
    api = client.get("/api/worklist").json()
    section = next(s for s in api["sections"] if s["key"] == "needs_to_confirm")
    assert section["count"] == 4 and section["items"][0]["need"] == resolved.pk


@pytest.mark.parametrize("persona", ["caseworker_b", "outsider_office"])
def test_contact_form_outside_scope_writes_no_need(client, household_a, personas, persona):
    client.force_login(personas[persona])
    response = client.post(reverse("casework:contact_add", args=[household_a.pk]),
                           contact_post(**{"need-category": "other", "need-description": "x"}))
    assert response.status_code in (403, 404)
    assert not Need.objects.exists()
