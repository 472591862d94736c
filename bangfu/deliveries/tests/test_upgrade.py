"""Upgrading a database written before deliveries were an app of their own: the deliveries (goods
from stock delivered, goods bought, errands, a distribution's shares, one failed, one tried again)
and the distribution written through the models of the time are all there afterwards, field for
field, with their links, through the deliveries app's models."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bangfu.deliveries.models import Delivery, Distribution
from bangfu.supplies.models import StockMove

# The last migrations before the move.
BEFORE = [("emergency", "0004_delivery_reopened_by"), ("supplies", "0003_distribution_supplies_short")]
AT = dt.datetime(2020, 2, 10, 9, 30, tzinfo=dt.UTC)


def _migrate(targets):
    """Migrate to `targets` with a fresh executor (the graph as applied now), and return it."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _write_before(old, *, households, township, rice, personas) -> None:
    """Rows as the emergency and supplies apps wrote them, through the models of that state."""
    Delivery, Distribution, StockMove = (old.get_model("emergency", "Delivery"),  # noqa: N806
                                         old.get_model("supplies", "Distribution"),
                                         old.get_model("supplies", "StockMove"))
    office, worker = personas["office"], personas["caseworker_a"]
    common = {"requested_by_id": office.pk, "requested_at": AT, "region_code": households[0].region_code}
    distribution = Distribution.objects.create(
        township_id=township.code, title="慰问大米", item_id=rice.pk, quantity=10, villages=["370215010001"],
        categories=["disabled"], supplies_short=True, note="特殊群体优先", created_by_id=office.pk,
        client_id="plan-1")
    move = StockMove.objects.create(township_id=township.code, item_id=rice.pk, kind="issue", quantity=-10,
                                    balance_after=90, note="送货上门", actor_id=worker.pk, at=AT)
    Delivery.objects.create(  # a share of the distribution, delivered: its goods left the stock
        household_id=households[0].pk, kind="goods", source="stock", item_id=rice.pk, quantity=10,
        distribution_id=distribution.pk, sequence=1, priority=True, priority_reasons=["special_group"],
        status="delivered", caseworker_id=worker.pk, assigned_at=AT, done_at=AT, done_by_id=worker.pk,
        received_by="户主本人", stock_move_id=move.pk, **common)
    Delivery.objects.create(  # the second share, failed
        household_id=households[1].pk, kind="goods", source="stock", item_id=rice.pk, quantity=10,
        distribution_id=distribution.pk, sequence=2, status="failed", caseworker_id=worker.pk, assigned_at=AT,
        done_at=AT, done_by_id=worker.pk, failure_reason="家中无人", **common)
    Delivery.objects.create(  # goods bought, tried again after it failed
        household_id=households[0].pk, kind="goods", source="bought", description="降压药两盒", cost=3680,
        priority=True, priority_reasons=["special_group", "quarantine"], status="assigned",
        caseworker_id=worker.pk, assigned_at=AT, reopened_by_id=office.pk, client_id="phone-7", version=3,
        **common)
    Delivery.objects.create(  # an errand waiting for a caseworker
        household_id=households[1].pk, kind="errand", description="代缴电费", **common)


# Columns added after the move (a delivery's need), or moved (a distribution's item and quantity, to
# its lines), each with its own migration and tests.
LATER = {"need_id", "client_hash"}
MOVED = {"item_id", "quantity", "client_hash"}


def _rows(model, without=LATER) -> list[dict]:
    return [{key: value for key, value in row.items() if key not in without}
            for row in model.objects.order_by("pk").values()]


@pytest.mark.django_db(transaction=True)
def test_deliveries_errands_and_distributions_survive_the_move(make_household, personas, stocked, rice):
    households = [make_household(caseworker=personas["caseworker_a"]) for _ in range(2)]
    latest = _latest()
    try:
        executor = _migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        _write_before(old, households=households, township=stocked, rice=rice, personas=personas)
        deliveries = _rows(old.get_model("emergency", "Delivery"))
        distributions = _rows(old.get_model("supplies", "Distribution"), without=MOVED)

        _migrate(latest)

        # The open delivery's "special group" is regrouped (0003_priority_groups): the household is
        # in none of 特困供养, 留守老人, 重残; its quarantine stays.
        deliveries[2] |= {"priority_reasons": ["quarantine"]}
        assert _rows(Delivery) == deliveries and len(deliveries) == 4
        assert _rows(Distribution, without=MOVED) == distributions and len(distributions) == 1
        distribution = Distribution.objects.get()
        assert (distribution.township_id, distribution.created_by) == (stocked.code, personas["office"])
        # Its item and quantity are its one line now (0004_distribution_lines).
        assert [(line.item, line.quantity) for line in distribution.lines.all()] == [(rice, 10)]
        shares = list(distribution.deliveries.order_by("sequence"))
        assert [(d.household, d.status) for d in shares] == [(households[0], "delivered"), (households[1], "failed")]
        assert StockMove.objects.get(kind="issue").delivery == shares[0]
        assert [line.distribution for line in rice.distribution_lines.all()] == [distribution]
        reopened = Delivery.objects.get(client_id="phone-7")
        assert (reopened.reopened_by, reopened.caseworker, reopened.priority_text) == (
            personas["office"], personas["caseworker_a"], "居家隔离")
        assert households[1].deliveries.get(kind="errand").what == "代缴电费"
        assert set(Delivery.objects.visible_to(personas["caseworker_a"])) == set(Delivery.objects.all())
    finally:
        _migrate(latest)  # the schema later tests expect, whatever happened
