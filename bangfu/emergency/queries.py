"""Reads of deliveries and errands shared by pages, the API and summaries. Every one starts at
Delivery.objects.visible_to(user)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from bangfu.core.codes import prefix_q
from bangfu.emergency.models import OPEN_STATUSES, Delivery, DeliveryStatus


@dataclass
class DeliveryFilter:
    status: str = "open"  # open, delivered, failed, all
    kind: str = ""
    village: str = ""
    caseworker: int | None = None
    priority: bool = False
    distribution: int | None = None
    household: int | None = None


def deliveries_filtered(user, flt: DeliveryFilter) -> QuerySet[Delivery]:
    """Open before done, priority first, then the oldest request (a distribution's own order after it)."""
    qs = Delivery.objects.visible_to(user)
    if flt.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif flt.status in DeliveryStatus.values:
        qs = qs.filter(status=flt.status)
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.village:
        qs = qs.filter(prefix_q("region_code", flt.village))
    if flt.caseworker:
        qs = qs.filter(caseworker_id=flt.caseworker)
    if flt.priority:
        qs = qs.filter(priority=True)
    if flt.distribution:
        qs = qs.filter(distribution_id=flt.distribution)
    if flt.household:
        qs = qs.filter(household_id=flt.household)
    return (
        qs.annotate(done=Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1),
                              output_field=IntegerField()))
        .select_related("household", "household__region", "caseworker", "item", "distribution")
        .order_by("done", "-priority", "requested_at", "sequence", "id")
    )


def worklist_deliveries(user, *, limit: int = 50) -> list[Delivery]:
    """A caseworker's open deliveries and errands, priority first: the section the caseworker's
    worklist (今日待办) shows once the worklist lets apps declare their sections."""
    flt = DeliveryFilter(status="open", caseworker=user.pk)
    return list(deliveries_filtered(user, flt)[:limit])


def delivery_get(user, pk: int) -> Delivery:
    delivery = (
        Delivery.objects.visible_to(user)
        .select_related("household", "household__region", "caseworker", "item", "distribution", "requested_by",
                        "done_by", "stock_move")
        .filter(pk=pk).first()
    )
    if delivery is None:
        raise Http404("no such delivery")
    return delivery


@dataclass
class DeliveryCounts:
    open: int = 0
    priority_open: int = 0
    requested: int = 0  # not yet assigned to anyone


def delivery_counts(user) -> DeliveryCounts:
    """Deliveries and errands outstanding in the user's scope, in one query."""
    totals = Delivery.objects.visible_to(user).filter(status__in=OPEN_STATUSES).aggregate(
        open=Count("id"), priority_open=Count("id", filter=Q(priority=True)),
        requested=Count("id", filter=Q(status=DeliveryStatus.REQUESTED)),
    )
    return DeliveryCounts(**totals)
