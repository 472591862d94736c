"""A lone surrogate ("\\ud800": half of a UTF-16 pair, which no database can store) in a household's
address or a member's name is refused on its field, through the API and on the pages, and nothing
is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.accounts.testing import ApiClient
from bangfu.households.models import Household, Member
from bangfu.households.tests.test_api import household_body, member_body

LONE = "\ud800"


@pytest.fixture
def api(personas):
    return ApiClient(personas["caseworker_a"])


def test_an_address_with_a_lone_surrogate_is_refused_on_its_field(api):
    response = api.post("/api/households", household_body(address=f"戴家庄村{LONE}号"))
    assert response.status_code == 422 and "address" in response.json()["errors"]
    assert not Household.objects.exists()


def test_a_member_name_with_a_lone_surrogate_is_refused_on_its_field(api):
    response = api.post("/api/households", household_body(members=[member_body(name=f"逄{LONE}")]))
    assert response.status_code == 422 and "members.0.name" in response.json()["errors"]
    assert not Member.objects.exists()


def test_a_change_with_a_lone_surrogate_is_refused(api, make_household):
    household = make_household()
    response = api.patch(f"/api/households/{household.pk}", {"version": household.version, "address": LONE})
    assert response.status_code == 422 and "address" in response.json()["errors"]
    household.refresh_from_db()
    assert household.address == ""


def test_a_page_given_the_bytes_of_a_lone_surrogate_answers_without_a_server_error(client, personas, make_household):
    # A form cannot carry the character itself: its UTF-8 bytes (ED A0 80) are what a client can send.
    household = make_household()
    client.force_login(personas["caseworker_a"])
    response = client.post(reverse("households:edit", args=[household.pk]), "address=%ED%A0%80",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500
    household.refresh_from_db()
    assert household.address == ""
