"""Two open campaigns covering the same households never share a name (caseworkers would see two
identical "电话随访暖心"): the service refuses on the name field, the page shows it on the field,
the API answers 422 naming it, and the database refuses it when two are saved at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bangfu.casework import services
from bangfu.casework.models import Campaign, FollowUp
from bangfu.core.dates import local_today
from bangfu.history.models import Change

TOWNSHIP = "370215010"
VILLAGE_A = "370215010001"
VILLAGE_B = "370215010002"


def create(personas, name="电话随访暖心", codes=(TOWNSHIP,), actor="office"):
    today = local_today()
    return services.campaign_create(actor=personas[actor], name=name, region_codes=list(codes), start=today,
                                    end=today + dt.timedelta(days=6))


def written():
    return Campaign.objects.count(), FollowUp.objects.count(), Change.objects.count()


@pytest.mark.parametrize("first, second", [
    ((TOWNSHIP,), (TOWNSHIP,)),  # the same area
    ((TOWNSHIP,), (VILLAGE_A,)),  # a village inside the township's campaign
    ((VILLAGE_A,), (TOWNSHIP,)),  # the township around a village's campaign
    ((VILLAGE_A, VILLAGE_B), (VILLAGE_B,)),  # one of its villages
])
def test_a_name_open_in_an_overlapping_area_is_refused_on_the_name(personas, regions, first, second):
    create(personas, codes=first)
    before = written()
    with pytest.raises(ValidationError) as refused:
        create(personas, name=" 电话随访暖心 ", codes=second)
    assert list(refused.value.message_dict) == ["name"]
    assert "同名" in refused.value.message_dict["name"][0] or "already has this name" in \
        refused.value.message_dict["name"][0]
    assert written() == before


def test_the_same_name_is_free_in_another_area_after_closing_or_for_another_name(personas, regions):
    first = create(personas, codes=(VILLAGE_A,))
    assert create(personas, codes=(VILLAGE_B,)).name == "电话随访暖心"  # villages apart: no caseworker sees both
    assert create(personas, name="电话随访暖心（第二轮）", codes=(VILLAGE_A,))
    services.campaign_close(actor=personas["office"], campaign=first)
    services.campaign_close(actor=personas["office"], campaign=Campaign.objects.get(region_code=VILLAGE_B))
    assert create(personas, codes=(TOWNSHIP,)).status == "open"


def test_the_database_refuses_two_open_campaigns_of_one_area_and_name(personas, regions):
    campaign = create(personas)
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(name=campaign.name, region_code=campaign.region_code,
                                region_codes=campaign.region_codes, start=campaign.start, end=campaign.end,
                                created_by=personas["office"])
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    Campaign.objects.create(name=campaign.name, region_code=campaign.region_code, region_codes=campaign.region_codes,
                            start=campaign.start, end=campaign.end, created_by=personas["office"])


def test_the_page_shows_the_error_on_the_name_field(client, personas, regions):
    create(personas)
    client.force_login(personas["office"])
    today = local_today()
    response = client.post("/casework/campaigns/new/", {
        "name": "电话随访暖心", "region_codes": [TOWNSHIP], "channel": "phone", "start": today.isoformat(),
        "end": (today + dt.timedelta(days=3)).isoformat(), "assess": "on",
    })
    assert response.status_code in (200, 422)
    form = response.context["form"]
    assert "name" in form.errors and "同名" in form.errors["name"][0]
    assert Campaign.objects.count() == 1


def test_the_api_answers_422_naming_the_field(client, personas, regions):
    create(personas)
    client.force_login(personas["office"])
    today = local_today()
    response = client.post("/api/campaigns", {
        "name": "电话随访暖心", "region_codes": [TOWNSHIP], "start": today.isoformat(),
        "end": (today + dt.timedelta(days=3)).isoformat(),
    }, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422, response.content
    assert "name" in response.content.decode()
    assert Campaign.objects.count() == 1
