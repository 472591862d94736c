"""Delivery pages: the list (scoped, priority first, fixed queries), a delivery's page, marking it
delivered or failed, asking for one from the household's page, and the household's timeline."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.deliveries.models import Delivery, DeliveryKind, DeliveryStatus, GoodsSource
from bangfu.deliveries.services import delivery_create
from bangfu.households.choices import Category
from bangfu.supplies.models import Stock


@pytest.fixture
def household_a(make_household, personas):
    return make_household(caseworker=personas["caseworker_a"], categories=[Category.ELDERLY_ALONE])


@pytest.fixture
def delivery(household_a, personas, stocked, rice):
    return delivery_create(household=household_a, kind=DeliveryKind.GOODS, source=GoodsSource.STOCK, item=rice,
                           quantity=10, actor=personas["office"])


def test_the_list_shows_priority_first_in_fixed_queries(client, make_household, personas, delivery):
    ordinary = make_household(caseworker=personas["caseworker_a"], categories=[Category.REGISTERED_POOR])
    delivery_create(household=ordinary, kind=DeliveryKind.ERRAND, description="代缴电费", actor=personas["office"])
    client.force_login(personas["caseworker_a"])
    url = reverse("deliveries:deliveries")
    with CaptureQueriesContext(connection) as few:
        html = client.get(url).content.decode()
    assert html.index("大米") < html.index("代缴电费")
    for n in range(5):
        delivery_create(household=ordinary, kind=DeliveryKind.ERRAND, description=f"代购{n}", actor=personas["office"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_another_caseworker_neither_lists_nor_opens_it(client, personas, delivery):
    client.force_login(personas["caseworker_b"])
    assert "大米" not in client.get(reverse("deliveries:deliveries")).content.decode()
    assert client.get(reverse("deliveries:detail", args=[delivery.pk])).status_code == 404
    response = client.post(reverse("deliveries:complete", args=[delivery.pk]), {"received_by": "本人"})
    assert response.status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.ASSIGNED


def test_the_caseworker_marks_it_delivered_and_the_timeline_shows_it(client, personas, delivery, household_a, rice):
    client.force_login(personas["caseworker_a"])
    page = client.get(reverse("deliveries:detail", args=[delivery.pk])).content.decode()
    assert reverse("deliveries:complete", args=[delivery.pk]) in page
    response = client.post(reverse("deliveries:complete", args=[delivery.pk]), {"received_by": "老人本人"})
    assert response.status_code == 302
    assert Stock.objects.get(item=rice).quantity == 90
    timeline = client.get(reverse("households:detail", args=[household_a.pk])).content.decode()
    assert "老人本人" in timeline


def test_failing_without_a_reason_names_the_field(client, personas, delivery):
    client.force_login(personas["caseworker_a"])
    response = client.post(reverse("deliveries:fail", args=[delivery.pk]), {"failure_reason": ""})
    assert response.status_code == 422 and "has-error" in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.ASSIGNED


def test_asking_for_an_errand_from_the_household_page(client, personas, household_a):
    client.force_login(personas["caseworker_a"])
    household_page = client.get(reverse("households:detail", args=[household_a.pk])).content.decode()
    url = reverse("deliveries:create") + f"?household={household_a.pk}"
    assert url.replace("&", "&amp;") in household_page or url in household_page
    data = {"what": "errand", "description": "代取降压药", "client_id": "p-1"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    errand = Delivery.objects.get()
    assert errand.kind == DeliveryKind.ERRAND and errand.caseworker == personas["caseworker_a"]


def test_a_household_outside_the_scope_cannot_be_asked_for(client, personas, household_a):
    client.force_login(personas["caseworker_b"])
    url = reverse("deliveries:create") + f"?household={household_a.pk}"
    assert client.post(url, {"what": "errand", "description": "x"}).status_code == 404
    assert not Delivery.objects.exists()


def test_the_office_assigns_a_waiting_request(client, make_household, personas):
    household = make_household()
    request = delivery_create(household=household, kind=DeliveryKind.ERRAND, description="代办医保",
                              actor=personas["office"])
    client.force_login(personas["office"])
    response = client.post(reverse("deliveries:assign", args=[request.pk]),
                           {"caseworker": personas["caseworker_a"].pk})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == DeliveryStatus.ASSIGNED and request.caseworker == personas["caseworker_a"]
