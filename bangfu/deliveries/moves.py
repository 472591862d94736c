"""Deliveries follow a household that changes village or caseworker (bangfu.households.moves), in
the same transaction.

What was done stays where it was done: a delivery handed over counts for the village it happened
in. Open deliveries follow the household, except goods planned from its township's stock when it
moves to another township: those end as not delivered (nothing was issued), with the reason.

A change of caseworker moves the household's open deliveries that were its old caseworker's to
the new one (back to "requested", for the office to assign, when the household is left without a
caseworker); a delivery the office gave someone else stays theirs.

A fixed number of queries per call, whatever the number of households."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from bangfu.core.codes import township_of
from bangfu.deliveries.models import OPEN_STATUSES, Delivery, DeliveryKind, DeliveryStatus, GoodsSource
from bangfu.households.moves import HouseholdMove

MOVED_AWAY = gettext_lazy("The household moved to another township before it was delivered; nothing was issued.")


def households_moved(moves: list[HouseholdMove]) -> None:
    _deliveries_follow_the_caseworker([move for move in moves if move.caseworker_changed])
    _deliveries_follow_the_household([move for move in moves if move.region_changed])


def _deliveries_follow_the_caseworker(moves: list[HouseholdMove]) -> None:
    if not moves:
        return
    by_household = {move.household_id: move for move in moves}
    deliveries = list(Delivery.objects.select_for_update().filter(
        household_id__in=sorted(by_household), status=DeliveryStatus.ASSIGNED).order_by("pk"))
    now = timezone.now()
    changed = []
    for delivery in deliveries:
        move = by_household[delivery.household_id]
        if delivery.caseworker_id != move.old_caseworker_id:
            continue  # given to someone else than the household's caseworker: still theirs
        delivery.caseworker_id = move.new_caseworker_id
        delivery.status = DeliveryStatus.ASSIGNED if move.new_caseworker_id else DeliveryStatus.REQUESTED
        delivery.assigned_at = now if move.new_caseworker_id else None
        delivery.version += 1
        changed.append(delivery)
    Delivery.objects.bulk_update(changed, ["caseworker", "status", "assigned_at", "version"], batch_size=1000)


def _deliveries_follow_the_household(moves: list[HouseholdMove]) -> None:
    moved = {move.household_id: move for move in moves}
    if not moved:
        return
    ids = sorted(moved)
    # Open deliveries go to the household's new village; goods planned from the township's stock
    # cannot follow it to another township (that stock is not there): they end as not delivered,
    # nothing issued, on the lists of the township that planned them.
    deliveries = list(Delivery.objects.select_for_update().filter(
        household_id__in=ids, status__in=OPEN_STATUSES).order_by("pk"))
    now = timezone.now()
    for delivery in deliveries:
        new_code = moved[delivery.household_id].new_region_code
        if (delivery.kind == DeliveryKind.GOODS and delivery.source == GoodsSource.STOCK
                and township_of(new_code) != delivery.township_code):
            delivery.status = DeliveryStatus.FAILED
            with translation.override(settings.LANGUAGE_CODE):  # stored text, as a user would type it
                delivery.failure_reason = str(MOVED_AWAY)
            delivery.done_at, delivery.done_by = now, None
            delivery.version += 1
        else:
            delivery.region_code = new_code
    Delivery.objects.bulk_update(deliveries, ["region_code", "status", "failure_reason", "done_at", "done_by",
                                              "version"], batch_size=1000)
