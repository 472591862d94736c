"""A failed delivery tried again: failed → requested (or assigned at once), by whoever may assign it
or the caseworker it failed with; only from failed; history says why it had failed; refusals write
nothing; page and API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.accounts.testing import ApiClient
from bangfu.core.permissions import PermissionDenied
from bangfu.deliveries.models import Delivery, DeliveryKind, DeliveryStatus, GoodsSource
from bangfu.deliveries.services import delivery_complete, delivery_create, delivery_fail, delivery_reopen
from bangfu.history.models import Change
from bangfu.households.choices import Category
from bangfu.supplies.models import Stock
from conftest import VILLAGE_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(make_household, personas, stocked, rice):
    household = make_household(caseworker=personas["caseworker_a"], categories=[Category.ELDERLY_ALONE])
    delivery = delivery_create(household=household, kind=DeliveryKind.GOODS, source=GoodsSource.STOCK, item=rice,
                               quantity=10, actor=personas["caseworker_a"])
    return delivery_fail(delivery=delivery, reason="家中无人", actor=personas["caseworker_a"])


def _state(delivery):
    delivery = Delivery.objects.get(pk=delivery.pk)
    return delivery.status, delivery.caseworker_id, delivery.version, Change.objects.count()


def test_the_office_asks_for_it_again(failed, personas):
    again = delivery_reopen(delivery=failed, actor=personas["office"])
    assert again.status == DeliveryStatus.REQUESTED and again.caseworker is None
    assert (again.failure_reason, again.done_at, again.done_by) == ("", None, None)
    assert again.priority and again.priority_reasons == ["elderly_alone"]
    change = Change.objects.filter(object_type="delivery", object_id=failed.pk).latest("pk")
    assert change.actor == personas["office"] and "家中无人" in change.message
    assert change.before["status"] == "failed" and change.after["status"] == "requested"


def test_the_office_reassigns_it_and_it_can_then_be_delivered(failed, personas, rice):
    again = delivery_reopen(delivery=failed, actor=personas["village_a"], caseworker=personas["caseworker_a"])
    assert again.status == DeliveryStatus.ASSIGNED and again.assigned_at is not None
    done = delivery_complete(delivery=again, received_by="本人", actor=personas["caseworker_a"])
    assert done.status == DeliveryStatus.DELIVERED
    assert Stock.objects.get(item=rice).quantity == 90


def test_the_caseworker_it_failed_with_tries_again_themselves(failed, personas):
    again = delivery_reopen(delivery=failed, actor=personas["caseworker_a"])
    assert again.status == DeliveryStatus.ASSIGNED and again.caseworker == personas["caseworker_a"]


def test_refusals_write_nothing(failed, personas):
    before = _state(failed)
    with pytest.raises(PermissionDenied):  # not theirs
        delivery_reopen(delivery=failed, actor=personas["caseworker_b"])
    with pytest.raises(PermissionDenied):  # may not handle deliveries at all
        delivery_reopen(delivery=failed, actor=personas["county"])
    with pytest.raises(ValidationError) as error:  # a caseworker does not hand it to another
        delivery_reopen(delivery=failed, actor=personas["caseworker_a"], caseworker=personas["caseworker_b"])
    assert "caseworker" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # another village's caseworker
        delivery_reopen(delivery=failed, actor=personas["office"], caseworker=personas["caseworker_b"])
    assert "caseworker" in error.value.message_dict
    with pytest.raises(PermissionDenied):  # outside the scope
        delivery_reopen(delivery=failed, actor=personas["outsider_office"])
    assert _state(failed) == before


def test_only_a_failed_delivery_is_tried_again(failed, personas):
    again = delivery_reopen(delivery=failed, actor=personas["office"])
    before = _state(again)
    with pytest.raises(ValidationError) as error:  # another request than the one that reopened it
        delivery_reopen(delivery=again, actor=personas["office"], caseworker=personas["caseworker_a"])
    assert "status" in error.value.message_dict
    assert _state(again) == before
    assert delivery_reopen(delivery=again, actor=personas["office"]).version == again.version  # the same: a retry
    assert _state(again) == before


def test_the_page_tries_it_again(client, failed, personas):
    client.force_login(personas["caseworker_b"])
    assert client.post(reverse("deliveries:reopen", args=[failed.pk])).status_code == 404  # another village's
    client.force_login(personas["office"])
    html = client.get(reverse("deliveries:detail", args=[failed.pk])).content.decode()
    assert reverse("deliveries:reopen", args=[failed.pk]) in html
    response = client.post(reverse("deliveries:reopen", args=[failed.pk]),
                           {"caseworker": personas["caseworker_a"].pk})
    assert response.status_code == 302
    assert Delivery.objects.get(pk=failed.pk).status == DeliveryStatus.ASSIGNED
    html = client.get(reverse("deliveries:detail", args=[failed.pk])).content.decode()
    assert reverse("deliveries:reopen", args=[failed.pk]) not in html
    response = client.post(reverse("deliveries:reopen", args=[failed.pk]), {})
    assert response.status_code == 422


def test_the_api_tries_it_again(failed, personas, make_household):
    assert ApiClient(personas["county"]).post(f"/api/deliveries/{failed.pk}/reopen", {}).status_code == 403
    response = ApiClient(personas["caseworker_a"]).post(f"/api/deliveries/{failed.pk}/reopen", {})
    assert response.status_code == 200 and response.json()["status"] == "assigned"
    before = _state(failed)
    again = ApiClient(personas["caseworker_a"]).post(f"/api/deliveries/{failed.pk}/reopen", {})
    assert again.status_code == 200 and again.json() == response.json()  # a retry: answered as the first time
    assert _state(failed) == before
    # Someone else asking to try an open one again is refused, as is a different request.
    refused = ApiClient(personas["office"]).post(f"/api/deliveries/{failed.pk}/reopen", {})
    assert refused.status_code == 422 and "status" in refused.json()["errors"]
    assert _state(failed) == before
    other = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    delivery = delivery_create(household=other, kind="errand", description="买药", actor=personas["caseworker_b"])
    delivery_fail(delivery=delivery, reason="药店缺货", actor=personas["caseworker_b"])
    assert ApiClient(personas["caseworker_a"]).post(f"/api/deliveries/{delivery.pk}/reopen", {}).status_code == 404


def test_the_office_retrying_a_reopen_with_a_caseworker_is_answered_once(failed, personas):
    api = ApiClient(personas["office"])
    worker = personas["caseworker_a"].pk
    first = api.post(f"/api/deliveries/{failed.pk}/reopen", {"caseworker": worker})
    assert first.status_code == 200 and first.json()["status"] == "assigned"
    before = _state(failed)
    assert api.post(f"/api/deliveries/{failed.pk}/reopen", {"caseworker": worker}).json() == first.json()
    assert _state(failed) == before
    other = api.post(f"/api/deliveries/{failed.pk}/reopen", {})  # not the same request: the status says why
    assert other.status_code == 422 and "status" in other.json()["errors"]
    assert _state(failed) == before


def test_a_second_tap_on_each_step_of_the_page_is_stored_once(client, failed, personas):
    """A double tap, or the form sent again after a lost answer: the step is done once and the page
    says it is done, on the web as in the API."""
    client.force_login(personas["office"])
    reopen = reverse("deliveries:reopen", args=[failed.pk])
    assert client.post(reopen, {"caseworker": personas["caseworker_a"].pk}).status_code == 302
    once = _state(failed)
    response = client.post(reopen, {"caseworker": personas["caseworker_a"].pk}, follow=True)
    assert response.status_code == 200 and "已重新办理" in response.content.decode()
    assert _state(failed) == once

    client.force_login(personas["caseworker_a"])
    fail = reverse("deliveries:fail", args=[failed.pk])
    assert client.post(fail, {"failure_reason": "仍然无人"}).status_code == 302
    once = _state(failed)
    assert client.post(fail, {"failure_reason": "仍然无人"}).status_code == 302
    assert _state(failed) == once

    delivery_reopen(delivery=Delivery.objects.get(pk=failed.pk), actor=personas["caseworker_a"])
    stock = Stock.objects.get(item_id=failed.item_id).quantity
    complete = reverse("deliveries:complete", args=[failed.pk])
    assert client.post(complete, {"received_by": "本人"}).status_code == 302
    once = _state(failed)
    assert client.post(complete, {"received_by": "本人"}).status_code == 302
    assert _state(failed) == once and Stock.objects.get(item_id=failed.item_id).quantity == stock - 10
