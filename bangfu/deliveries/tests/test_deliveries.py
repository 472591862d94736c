"""Deliveries and errands: who may ask, assign and complete; the states a delivery may move
between; delivering goods from stock issues them; idempotent creation; scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.permissions import PermissionDenied
from bangfu.deliveries.models import Delivery, DeliveryKind, DeliveryStatus, GoodsSource
from bangfu.deliveries.services import delivery_assign, delivery_complete, delivery_create, delivery_fail
from bangfu.history.models import Change
from bangfu.households.choices import Category
from bangfu.supplies.models import Stock, StockMove
from bangfu.supplies.services import InsufficientStock

VILLAGE_B = "370215010002"


def balance(item) -> int:
    return Stock.objects.filter(township_id="370215010", item=item).values_list("quantity", flat=True).first() or 0


@pytest.fixture
def household_a(make_household, personas):
    return make_household(caseworker=personas["caseworker_a"], categories=[Category.REGISTERED_POOR,
                                                                          Category.ELDERLY_ALONE])


@pytest.fixture
def rice_delivery(household_a, personas, stocked, rice):
    return delivery_create(household=household_a, kind=DeliveryKind.GOODS, source=GoodsSource.STOCK, item=rice,
                           quantity=10, actor=personas["caseworker_a"])


def test_a_caseworkers_request_goes_to_the_households_caseworker_with_priority(rice_delivery, household_a, personas):
    assert rice_delivery.status == DeliveryStatus.ASSIGNED
    assert rice_delivery.caseworker == personas["caseworker_a"]
    assert rice_delivery.priority and rice_delivery.priority_reasons == ["elderly_alone"]
    change = Change.objects.get(object_type="delivery", object_id=rice_delivery.pk)
    assert change.household_id == household_a.pk and change.after["item"] == "大米"


def test_an_ordinary_household_is_not_priority(make_household, personas):
    household = make_household(caseworker=personas["caseworker_a"], categories=[Category.REGISTERED_POOR])
    errand = delivery_create(household=household, kind=DeliveryKind.ERRAND, description="代缴电费",
                             actor=personas["caseworker_a"])
    assert not errand.priority and errand.what == "代缴电费"


def test_delivering_goods_from_stock_issues_them_and_writes_the_timeline(rice_delivery, rice, household_a, personas):
    done = delivery_complete(delivery=rice_delivery, received_by="逄珍波", actor=personas["caseworker_a"])
    assert done.status == DeliveryStatus.DELIVERED and done.received_by == "逄珍波" and done.done_at
    assert balance(rice) == 90
    move = StockMove.objects.get(pk=done.stock_move_id)
    assert (move.kind, move.quantity, move.balance_after) == ("issue", -10, 90)
    timeline = Change.objects.filter(household_id=household_a.pk, object_type="delivery").order_by("id")
    assert timeline.last().after["status"] == "delivered"
    assert "逄珍波" in timeline.last().message
    # The ledger line is on the household's timeline too.
    assert Change.objects.filter(household_id=household_a.pk, object_type="stockmove").count() == 1


def test_a_delivery_the_stock_cannot_cover_is_refused_and_stays_open(household_a, personas, stocked, rice):
    big = delivery_create(household=household_a, kind=DeliveryKind.GOODS, source=GoodsSource.STOCK, item=rice,
                          quantity=150, actor=personas["office"])
    changes = Change.objects.count()
    with pytest.raises(InsufficientStock):
        delivery_complete(delivery=big, received_by="本人", actor=personas["caseworker_a"])
    big.refresh_from_db()
    assert big.status == DeliveryStatus.ASSIGNED and big.stock_move_id is None
    assert balance(rice) == 100 and Change.objects.count() == changes


def test_a_delivered_delivery_is_final(rice_delivery, rice, personas):
    delivery_complete(delivery=rice_delivery, received_by="本人", actor=personas["caseworker_a"])
    # The same step again by the same caseworker is a retry: answered, done once.
    again = delivery_complete(delivery=rice_delivery, received_by="本人", actor=personas["caseworker_a"])
    assert again.status == DeliveryStatus.DELIVERED and again.version == 2
    for attempt in (
        lambda: delivery_complete(delivery=rice_delivery, received_by="本人", actor=personas["office"]),
        lambda: delivery_fail(delivery=rice_delivery, reason="无人在家", actor=personas["caseworker_a"]),
        lambda: delivery_assign(delivery=rice_delivery, caseworker=personas["caseworker_a"], actor=personas["office"]),
    ):
        with pytest.raises(ValidationError) as error:
            attempt()
        assert "status" in error.value.message_dict
    assert balance(rice) == 90 and StockMove.objects.filter(kind="issue").count() == 1


def test_a_failed_delivery_needs_a_reason_and_cannot_be_delivered_as_it_is(rice_delivery, rice, personas):
    with pytest.raises(ValidationError) as error:
        delivery_fail(delivery=rice_delivery, reason="  ", actor=personas["caseworker_a"])
    assert "failure_reason" in error.value.message_dict
    failed = delivery_fail(delivery=rice_delivery, reason="户主住院，家中无人", actor=personas["caseworker_a"])
    assert failed.status == DeliveryStatus.FAILED
    with pytest.raises(ValidationError):
        delivery_complete(delivery=failed, received_by="本人", actor=personas["caseworker_a"])
    assert balance(rice) == 100


def test_a_request_without_caseworker_waits_for_the_office_to_assign_it(make_household, personas, stocked, rice):
    household = make_household()  # nobody responsible yet
    request = delivery_create(household=household, kind=DeliveryKind.GOODS, source=GoodsSource.BOUGHT,
                              description="买降压药", cost=3500, actor=personas["village_a"])
    assert request.status == DeliveryStatus.REQUESTED and request.caseworker is None
    with pytest.raises(ValidationError) as error:
        delivery_complete(delivery=request, received_by="本人", actor=personas["office"])
    assert "status" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        delivery_assign(delivery=request, caseworker=personas["caseworker_a"], actor=personas["caseworker_a"])
    with pytest.raises(ValidationError) as error:  # a caseworker of another village
        delivery_assign(delivery=request, caseworker=personas["caseworker_b"], actor=personas["office"])
    assert "caseworker" in error.value.message_dict
    assigned = delivery_assign(delivery=request, caseworker=personas["caseworker_a"], actor=personas["office"])
    assert assigned.status == DeliveryStatus.ASSIGNED and assigned.assigned_at
    # The caseworker it now belongs to completes it; bought goods leave the stock alone.
    delivery_complete(delivery=assigned, received_by="本人", actor=personas["caseworker_a"])
    assert balance(rice) == 100 and not StockMove.objects.filter(kind="issue").exists()


def test_another_caseworker_may_not_complete_it(rice_delivery, personas, rice):
    for persona in ("caseworker_b", "outsider_office"):
        with pytest.raises(PermissionDenied):
            delivery_complete(delivery=rice_delivery, received_by="本人", actor=personas[persona])
    rice_delivery.refresh_from_db()
    assert rice_delivery.status == DeliveryStatus.ASSIGNED and balance(rice) == 100


def test_a_household_outside_the_scope_cannot_be_asked_for(household_a, personas, rice):
    for persona in ("caseworker_b", "outsider_office"):
        with pytest.raises(PermissionDenied):
            delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="代购",
                            actor=personas[persona])
    assert not Delivery.objects.exists() and not Change.objects.filter(object_type="delivery").exists()


def test_a_request_says_what_it_is(household_a, personas, rice):
    cases = [
        ({"kind": DeliveryKind.ERRAND, "description": ""}, "description"),
        ({"kind": DeliveryKind.GOODS, "source": GoodsSource.STOCK, "item": None, "quantity": 1}, "item"),
        ({"kind": DeliveryKind.GOODS, "source": GoodsSource.STOCK, "item": rice, "quantity": 0}, "quantity"),
        ({"kind": DeliveryKind.GOODS, "source": GoodsSource.BOUGHT, "description": ""}, "description"),
        ({"kind": DeliveryKind.GOODS, "source": ""}, "source"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as error:
            delivery_create(household=household_a, actor=personas["caseworker_a"], **fields)
        assert field in error.value.message_dict, fields
    assert not Delivery.objects.exists()


def test_a_request_sent_twice_with_one_client_id_is_stored_once(household_a, personas):
    first = delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="代取快递",
                            actor=personas["caseworker_a"], client_id="c-1")
    again = delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="代取快递",
                            actor=personas["caseworker_a"], client_id="c-1")
    assert again.pk == first.pk and Delivery.objects.count() == 1
    assert Change.objects.filter(object_type="delivery").count() == 1


def test_scope_of_the_list(rice_delivery, personas):
    visible = {name: Delivery.objects.visible_to(personas[name]).exists() for name in personas}
    assert visible == {"admin": True, "province": True, "county": True, "office": True, "village_a": True,
                       "caseworker_a": True, "caseworker_b": False, "outsider_office": False}


def test_the_worklist_section_holds_the_caseworkers_open_ones_priority_first(make_household, personas, rice_delivery):
    from bangfu.deliveries.queries import worklist_deliveries

    ordinary = make_household(caseworker=personas["caseworker_a"], categories=[Category.REGISTERED_POOR])
    errand = delivery_create(household=ordinary, kind=DeliveryKind.ERRAND, description="代缴电费",
                             actor=personas["office"])
    done = delivery_create(household=ordinary, kind=DeliveryKind.ERRAND, description="代取快递",
                           actor=personas["office"])
    delivery_fail(delivery=done, reason="无人", actor=personas["caseworker_a"])
    assert [d.pk for d in worklist_deliveries(personas["caseworker_a"])] == [rice_delivery.pk, errand.pk]
    assert worklist_deliveries(personas["caseworker_b"]) == []


def test_open_deliveries_follow_the_household_to_its_new_caseworker(rice_delivery, household_a, personas):
    from bangfu.core.permissions import Role
    from bangfu.households.services import assignment_set
    from conftest import _user

    successor = _user("caseworker_a2", Role.CASEWORKER, "370215010001")
    township_worker = _user("caseworker_town", Role.CASEWORKER, "370215010")
    errand = delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="代缴医保",
                             actor=personas["office"], caseworker=township_worker)
    done = delivery_create(household=household_a, kind=DeliveryKind.ERRAND, description="代办证明",
                           actor=personas["caseworker_a"])
    delivery_complete(delivery=done, received_by="本人", actor=personas["caseworker_a"])
    history = Change.objects.count()

    assignment_set(actor=personas["office"], households=[household_a], caseworker=successor)
    moved = Delivery.objects.get(pk=rice_delivery.pk)
    assert (moved.caseworker_id, moved.status, moved.version) == (successor.pk, DeliveryStatus.ASSIGNED, 2)
    assert Delivery.objects.get(pk=errand.pk).caseworker_id == township_worker.pk  # the office's choice stays
    assert Delivery.objects.get(pk=done.pk).caseworker_id == personas["caseworker_a"].pk  # what was done stays
    with pytest.raises(PermissionDenied):
        delivery_complete(delivery=moved, received_by="本人", actor=personas["caseworker_a"])
    # The household's change is the history (the assignment and the household), nothing per delivery.
    assert Change.objects.count() == history + 3

    assignment_set(actor=personas["office"], households=[household_a], caseworker=None)
    unassigned = Delivery.objects.get(pk=rice_delivery.pk)
    assert (unassigned.caseworker_id, unassigned.status, unassigned.assigned_at) == (
        None, DeliveryStatus.REQUESTED, None)


def test_assigning_it_again_to_the_same_caseworker_is_still_a_step_on_the_timeline(rice_delivery, personas):
    delivery_assign(delivery=rice_delivery, caseworker=personas["caseworker_a"], actor=personas["office"])
    step = Change.objects.filter(object_type="delivery", object_id=rice_delivery.pk).latest("pk")
    assert (step.action, step.before, step.after, step.actor) == ("update", {}, {}, personas["office"])
