"""The demo's supplies: stock received, a hand-out partly delivered, requests for the caseworker;
the balances equal the ledger."""

from __future__ import annotations

from django.db.models import Sum

from bangfu.deliveries.demo import deliveries_demo_load
from bangfu.deliveries.models import Delivery, DeliveryStatus, Distribution
from bangfu.households.choices import Category as C
from bangfu.supplies.demo import supplies_demo_load
from bangfu.supplies.models import Stock, StockMove


def test_the_demo_supplies(make_household, personas, rice):
    for categories in ([C.DISABLED], [C.ELDERLY_ALONE], [C.MINIMUM_LIVING], [C.REGISTERED_POOR], [C.DISABLED]):
        make_household(caseworker=personas["caseworker_a"], categories=categories)
    supplies_demo_load(office_username="office")
    deliveries_demo_load(office_username="office", caseworker_username="caseworker_a")

    distribution = Distribution.objects.get()
    statuses = list(distribution.deliveries.order_by("sequence").values_list("status", flat=True))
    assert statuses == [DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERED, DeliveryStatus.FAILED,
                        DeliveryStatus.ASSIGNED]
    mine = Delivery.objects.filter(distribution=None, caseworker=personas["caseworker_a"])
    assert mine.count() == 5 and mine.filter(status=DeliveryStatus.DELIVERED).count() == 1
    for stock in Stock.objects.all():
        moved = StockMove.objects.filter(township=stock.township, item=stock.item).aggregate(s=Sum("quantity"))["s"]
        assert stock.quantity == moved >= 0
    assert Stock.objects.get(item=rice).quantity == 2000 - 20
