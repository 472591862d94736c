"""A delivery answers a need: made or linked from the need's page by the office (or the need's
owner), it resolves the need when delivered, with the stock issued by the delivery; a need whose
delivery is under way is not resolved by hand; refused steps write nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.dates import local_today
from bangfu.core.permissions import PermissionDenied
from bangfu.deliveries.models import Delivery, DeliveryKind, DeliveryStatus, GoodsSource
from bangfu.deliveries.services import delivery_complete, delivery_create, delivery_fail, delivery_link_need
from bangfu.history.models import Change
from bangfu.needs import services as need_services
from bangfu.needs import workflow
from bangfu.needs.models import Category, Measure, MeasureType, Need, Status
from bangfu.notify.models import Message
from bangfu.supplies.models import Stock
from conftest import VILLAGE_B, member_data


def balance(item) -> int:
    return Stock.objects.filter(township_id="370215010", item=item).values_list("quantity", flat=True).first() or 0


@pytest.fixture
def household_a(make_household, personas):
    return make_household(caseworker=personas["caseworker_a"], members=[member_data(name="逄珍波")])


def make_need(household, personas, *, category=Category.LIVING_SUPPLIES, description="家中缺米，需送大米"):
    # Recorded by the office: reported at once.
    need, _created = need_services.need_create(
        household=household, category=category, description=description, client_id=uuid.uuid4(),
        actor=personas["office"])
    return need


def written():
    return (Delivery.objects.count(), Change.objects.count(),
            list(Need.objects.order_by("pk").values_list("status", "version")), Measure.objects.count())


def test_a_supplies_need_resolves_when_its_delivery_from_stock_is_delivered(household_a, personas, stocked, rice):
    need = make_need(household_a, personas)
    assert need.status == Status.REPORTED
    delivery = delivery_create(household=household_a, kind=DeliveryKind.GOODS, source=GoodsSource.STOCK, item=rice,
                               quantity=10, need=need, actor=personas["office"])
    assert delivery.need_id == need.pk and delivery.caseworker == personas["caseworker_a"]
    need.refresh_from_db()
    assert need.status == Status.REPORTED  # asked for, not delivered: still open

    delivery_complete(delivery=delivery, received_by="逄珍波", actor=personas["caseworker_a"])

    need.refresh_from_db()
    assert need.status == Status.RESOLVED and need.resolved_at is not None
    assert balance(rice) == 90
    measure = need.measures.get()
    assert measure.type == MeasureType.SUPPLIES and measure.done_by == personas["caseworker_a"]
    assert "大米 10kg" in measure.result and "逄珍波" in measure.result
    step = Change.objects.filter(object_type="need", object_id=need.pk).order_by("id").last()
    assert step.actor == personas["caseworker_a"] and step.after["status"] == "resolved"
    assert step.after["action"] == "resolve" and "大米 10kg" in step.message
    # The caseworker delivered it: no message tells them what they did themselves (the call back
    # waits in their day, among the needs to confirm).
    assert not Message.objects.filter(kind="need.resolved").exists()


def test_an_assigned_errand_need_resolves_with_its_measure_done(household_a, personas):
    need = make_need(household_a, personas, category=Category.ERRAND, description="代购降压药")
    need_services.need_assign(need=need, actor=personas["office"], measure_type=MeasureType.ERRAND,
                              plan="代购降压药一盒", owner=personas["caseworker_a"],
                              due_on=local_today() + dt.timedelta(days=1))
    # The owner the office named makes the errand.
    errand = delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="代购降压药一盒",
                             need=need, actor=personas["caseworker_a"])
    delivery_complete(delivery=errand, received_by="本人", actor=personas["caseworker_a"])
    need.refresh_from_db()
    assert need.status == Status.RESOLVED
    measure = need.measures.get()  # the planned measure is the one done, no second one
    assert measure.plan == "代购降压药一盒" and measure.done_at and "代购降压药一盒" in measure.result


def test_a_need_is_not_resolved_by_hand_while_its_delivery_is_under_way(household_a, personas, stocked, rice):
    need = make_need(household_a, personas)
    need_services.need_assign(need=need, actor=personas["office"], measure_type=MeasureType.SUPPLIES,
                              plan="送大米", owner=personas["caseworker_a"],
                              due_on=local_today() + dt.timedelta(days=1))
    delivery = delivery_create(household=household_a, kind=DeliveryKind.GOODS, source=GoodsSource.STOCK, item=rice,
                               quantity=5, need=need, actor=personas["office"])
    # Neither the page nor the API offers to resolve it by hand meanwhile.
    need.refresh_from_db()
    assert "resolve" not in workflow.actions_for(personas["office"], need)
    assert "resolve" not in workflow.actions_for(personas["caseworker_a"], need)
    before = written()
    with pytest.raises(ValidationError) as refused:
        need_services.need_resolve(need=need, actor=personas["office"], result="已送大米到户")
    assert "result" in refused.value.message_dict
    assert written() == before and balance(rice) == 100
    # Not delivered after all: now the office may resolve it another way, saying what was done.
    delivery_fail(delivery=delivery, reason="家中无人", actor=personas["caseworker_a"])
    need.refresh_from_db()
    assert "resolve" in workflow.actions_for(personas["office"], need)
    resolved = need_services.need_resolve(need=need, actor=personas["office"], result="户主到村委会领取了大米")
    assert resolved.status == Status.RESOLVED
    assert resolved.measures.get().result == "户主到村委会领取了大米"


def test_resolving_by_hand_must_say_what_was_done(household_a, personas):
    need = make_need(household_a, personas)
    need_services.need_assign(need=need, actor=personas["office"], measure_type=MeasureType.SUPPLIES,
                              plan="送大米", owner=personas["caseworker_a"],
                              due_on=local_today() + dt.timedelta(days=1))
    before = written()
    with pytest.raises(ValidationError) as refused:
        need_services.need_resolve(need=need, actor=personas["office"], result="  ")
    assert list(refused.value.message_dict) == ["result"]
    assert written() == before


def test_linking_a_delivered_delivery_resolves_the_need_at_once(household_a, personas, stocked, rice):
    delivery = delivery_create(household=household_a, kind=DeliveryKind.GOODS, source=GoodsSource.STOCK, item=rice,
                               quantity=10, actor=personas["caseworker_a"])
    delivery_complete(delivery=delivery, received_by="逄珍波", actor=personas["caseworker_a"])
    need = make_need(household_a, personas)
    delivery_link_need(delivery=delivery, need=need, actor=personas["office"])
    need.refresh_from_db()
    assert need.status == Status.RESOLVED
    assert balance(rice) == 90  # issued once, by the delivery
    # Linking again changes nothing.
    before = written()
    delivery_link_need(delivery=delivery, need=need, actor=personas["office"])
    assert written() == before


def test_linking_an_open_delivery_resolves_the_need_when_it_is_delivered(household_a, personas):
    errand = delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="代缴电费",
                             actor=personas["caseworker_a"])
    need = make_need(household_a, personas, category=Category.ERRAND, description="电费没交")
    delivery_link_need(delivery=errand, need=need, actor=personas["office"])
    need.refresh_from_db()
    assert need.status == Status.REPORTED
    delivery_complete(delivery=errand, received_by="本人", actor=personas["caseworker_a"])
    need.refresh_from_db()
    assert need.status == Status.RESOLVED and need.measures.get().type == MeasureType.ERRAND


def test_who_may_make_a_delivery_for_a_need(household_a, make_household, personas, rice, stocked):
    need = make_need(household_a, personas)
    other = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    before = written()
    # The household's caseworker is not the need's owner (none named yet): the office decides.
    with pytest.raises(PermissionDenied):
        delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="送米", need=need,
                        actor=personas["caseworker_a"])
    # Another village's caseworker does not see the household.
    with pytest.raises(PermissionDenied):
        delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="送米", need=need,
                        actor=personas["caseworker_b"])
    # A need of another household.
    with pytest.raises(ValidationError) as refused:
        delivery_create(household=other, kind=DeliveryKind.ERRAND, description="送米", need=need,
                        actor=personas["office"])
    assert "need" in refused.value.message_dict
    assert written() == before


def test_a_resolved_need_takes_no_delivery_and_a_failed_one_is_not_linked(household_a, personas):
    need = make_need(household_a, personas)
    errand = delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="代缴电费",
                             actor=personas["caseworker_a"])
    delivery_fail(delivery=errand, reason="营业厅关门", actor=personas["caseworker_a"])
    before = written()
    with pytest.raises(ValidationError) as refused:
        delivery_link_need(delivery=errand, need=need, actor=personas["office"])
    assert "delivery" in refused.value.message_dict
    assert written() == before
    made = delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="送米", need=need,
                           actor=personas["office"])
    delivery_complete(delivery=made, received_by="本人", actor=personas["caseworker_a"])
    before = written()
    with pytest.raises(ValidationError) as refused:
        delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="再送", need=need,
                        actor=personas["office"])
    assert "need" in refused.value.message_dict
    assert written() == before


def test_the_need_page_offers_a_delivery_and_the_form_is_prefilled(client, household_a, personas, stocked, rice):
    need = make_need(household_a, personas)
    client.force_login(personas["office"])
    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert f"/deliveries/new/?need={need.pk}" in page
    form = client.get(f"/deliveries/new/?need={need.pk}")
    assert form.status_code == 200 and household_a.head_name in form.content.decode()
    response = client.post(f"/deliveries/new/?need={need.pk}", {
        "what": "stock", "item": rice.pk, "quantity": "3", "client_id": uuid.uuid4().hex,
    })
    delivery = Delivery.objects.get(need=need)
    assert response.status_code == 302 and delivery.household_id == household_a.pk
    assert delivery.status == DeliveryStatus.ASSIGNED and delivery.quantity == 3
    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert f"/deliveries/{delivery.pk}/" in page
    # The caseworker of another village cannot open the form for this need.
    client.force_login(personas["caseworker_b"])
    assert client.get(f"/deliveries/new/?need={need.pk}").status_code == 404


def test_linking_from_the_need_page(client, household_a, personas):
    errand = delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="代缴电费",
                             actor=personas["caseworker_a"])
    need = make_need(household_a, personas, category=Category.ERRAND, description="电费没交")
    client.force_login(personas["office"])
    assert f'value="{errand.pk}"' in client.get(f"/needs/{need.pk}/").content.decode()
    response = client.post(f"/deliveries/for-need/{need.pk}/link/", {"delivery": errand.pk})
    assert response.status_code == 302
    errand.refresh_from_db()
    assert errand.need_id == need.pk
