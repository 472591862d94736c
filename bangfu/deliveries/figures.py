"""Deliveries' figures for the summary tables (core.figures): deliveries made in the period, and
the stock issued for them. Stock is issued from the township's store only when a delivery is
delivered, so the delivery's household gives the issue its village (a stock move has none)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import F, Sum

from bangfu.core.villagecounts import village_counts, village_day_counts, within
from bangfu.deliveries.models import Delivery, DeliveryStatus


def deliveries_delivered(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return village_counts(Delivery.objects.filter(within("done_at", start, end), status=DeliveryStatus.DELIVERED),
                          villages=villages)


def stock_issued(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Units of stock issued for deliveries in the period (each move's quantity is negative)."""
    return village_counts(Delivery.objects.filter(within("stock_move__at", start, end)), villages=villages,
                          value=Sum(-F("stock_move__quantity")))


# By-day variants (core.figures).
def deliveries_delivered_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return village_day_counts(Delivery.objects.filter(within("done_at", start, end), status=DeliveryStatus.DELIVERED),
                              villages=villages, day="done_at", moment=True)


def stock_issued_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return village_day_counts(Delivery.objects.filter(within("stock_move__at", start, end)), villages=villages,
                              day="stock_move__at", moment=True, value=Sum(-F("stock_move__quantity")))
