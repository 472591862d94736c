"""The stock ledger: receive, issue, adjust; the balance row is the sum of the moves and never
negative, also when two transactions take the last units at once (PostgreSQL)."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.supplies.models import Item, MoveKind, Stock, StockMove
from bangfu.supplies.services import (
    InsufficientStock,
    item_create,
    stock_adjust,
    stock_issue,
    stock_receive,
)


def balance(township, item) -> int:
    return Stock.objects.filter(township=township, item=item).values_list("quantity", flat=True).first() or 0


def ledger_sum(township, item) -> int:
    return StockMove.objects.filter(township=township, item=item).aggregate(s=Sum("quantity"))["s"] or 0


def test_receive_issue_adjust_keep_the_balance_equal_to_the_ledger(township, rice, personas):
    office = personas["office"]
    stock_receive(township=township, item=rice, quantity=80, source="爱心企业捐赠", actor=office)
    stock_issue(township=township, item=rice, quantity=30, note="村委会领取", actor=office)
    move = stock_adjust(township=township, item=rice, quantity=-5, reason="受潮", actor=office)
    stock_receive(township=township, item=rice, quantity=20, source="区民政局调拨", actor=office)

    assert balance(township, rice) == 65 == ledger_sum(township, rice)
    assert move.balance_after == 45
    assert list(StockMove.objects.order_by("id").values_list("kind", "quantity")) == [
        (MoveKind.RECEIVE, 80), (MoveKind.ISSUE, -30), (MoveKind.ADJUST, -5), (MoveKind.RECEIVE, 20),
    ]
    change = Change.objects.filter(object_type="stockmove", object_id=move.pk).get()
    assert change.actor == office and change.region_code == township.code
    assert change.after["reason"] == "受潮" and change.after["balance_after"] == 45


def test_an_issue_larger_than_the_balance_names_the_field_and_writes_nothing(stocked, rice, personas):
    moves, changes = StockMove.objects.count(), Change.objects.count()
    with pytest.raises(InsufficientStock) as error:
        stock_issue(township=stocked, item=rice, quantity=101, note="发放", actor=personas["office"])
    assert list(error.value.message_dict) == ["quantity"]
    assert "100" in error.value.message_dict["quantity"][0]
    assert balance(stocked, rice) == 100
    assert (StockMove.objects.count(), Change.objects.count()) == (moves, changes)


def test_an_adjustment_cannot_take_the_balance_below_zero(stocked, rice, personas):
    with pytest.raises(InsufficientStock):
        stock_adjust(township=stocked, item=rice, quantity=-101, reason="盘点", actor=personas["office"])
    assert balance(stocked, rice) == 100


def test_the_database_itself_refuses_a_negative_balance(stocked, rice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(township=stocked, item=rice).update(quantity=-1)


def test_the_database_refuses_a_move_whose_sign_contradicts_its_kind(stocked, rice, personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMove.objects.create(township=stocked, item=rice, kind=MoveKind.ISSUE, quantity=5, balance_after=105,
                                 actor=personas["office"], at="2026-01-01T00:00Z")


@pytest.mark.parametrize(("call", "field"), [
    (lambda t, i, a: stock_receive(township=t, item=i, quantity=5, source=" ", actor=a), "source"),
    (lambda t, i, a: stock_receive(township=t, item=i, quantity=0, source="捐赠", actor=a), "quantity"),
    (lambda t, i, a: stock_adjust(township=t, item=i, quantity=3, reason="", actor=a), "reason"),
    (lambda t, i, a: stock_adjust(township=t, item=i, quantity=0, reason="盘点", actor=a), "quantity"),
    (lambda t, i, a: stock_issue(township=t, item=i, quantity=1, note="", actor=a), "note"),
])
def test_a_move_says_what_it_needs(township, rice, personas, call, field):
    with pytest.raises(ValidationError) as error:
        call(township, rice, personas["office"])
    assert field in error.value.message_dict
    assert not StockMove.objects.exists()


@pytest.mark.parametrize("persona", ["caseworker_a", "village_a", "county"])
def test_only_the_office_moves_stock(township, rice, personas, persona):
    with pytest.raises(PermissionDenied):
        stock_receive(township=township, item=rice, quantity=5, source="捐赠", actor=personas[persona])
    assert not StockMove.objects.exists() and not Stock.objects.exists() and not Change.objects.exists()


def test_another_township_office_cannot_move_this_townships_stock(township, rice, personas):
    with pytest.raises(ValidationError) as error:
        stock_receive(township=township, item=rice, quantity=5, source="捐赠", actor=personas["outsider_office"])
    assert "township" in error.value.message_dict
    assert not StockMove.objects.exists()


def test_a_move_sent_twice_with_one_client_id_is_stored_once(township, rice, personas):
    first = stock_receive(township=township, item=rice, quantity=7, source="捐赠", actor=personas["office"],
                          client_id="phone-1")
    again = stock_receive(township=township, item=rice, quantity=7, source="捐赠", actor=personas["office"],
                          client_id="phone-1")
    assert again.pk == first.pk
    assert balance(township, rice) == 7
    assert Change.objects.filter(object_type="stockmove").count() == 1


def test_a_township_adds_its_own_item_and_the_name_is_unique_in_its_view(township, rice, personas, regions):
    milk = item_create(township=township, name="牛奶", kind="living", unit="箱", actor=personas["office"])
    assert list(Item.objects.for_township(township.code).filter(name="牛奶")) == [milk]
    assert not Item.objects.for_township("410308103").filter(name="牛奶").exists()
    with pytest.raises(ValidationError) as error:
        item_create(township=township, name="大米", kind="living", unit="kg", actor=personas["office"])
    assert "name" in error.value.message_dict
    # Another township's item cannot be received here.
    other = item_create(township=regions["410308103"], name="牛奶", kind="living", unit="箱",
                        actor=personas["outsider_office"])
    with pytest.raises(ValidationError) as error:
        stock_receive(township=township, item=other, quantity=1, source="捐赠", actor=personas["office"])
    assert "item" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_issues_of_the_last_unit_let_exactly_one_through(regions, personas, rice):
    """Two transactions, each on its own connection, issue the last kilogram at the same moment.
    The first holds its row lock for a while before committing; the second's UPDATE waits for it,
    re-reads the row (quantity now 0), matches nothing and is refused."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite lets one writer at a time into the whole database, so two write transactions "
                    "never overlap; the compare-and-set and the CHECK are covered by the other tests")
    township = regions["370215010"]
    office = personas["office"]
    stock_receive(township=township, item=rice, quantity=1, source="捐赠", actor=office)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(name: str) -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                try:
                    stock_issue(township=township, item=rice, quantity=1, note=name, actor=office)
                    outcomes.append("issued")
                except InsufficientStock:
                    outcomes.append("refused")
                    return
                time.sleep(0.5)  # hold the row lock while the other transaction tries
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(f"发放{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["issued", "refused"]
    assert balance(township, rice) == 0 == ledger_sum(township, rice)
    assert StockMove.objects.filter(kind=MoveKind.ISSUE).count() == 1
