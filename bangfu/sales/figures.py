"""The figures of produce and sales for the summary tables (core.figures): sales in the period by
the product's village, their amount in fen (all, and by the main channels), the quantity sold by
weight, and the households that benefit."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from bangfu.sales.models import Channel, Sale

# Units of weight, in 斤 (the quantity figure adds the sales weighed in one of them).
JIN_PER_UNIT = {"斤": Decimal(1), "市斤": Decimal(1), "公斤": Decimal(2), "千克": Decimal(2), "kg": Decimal(2),
                "吨": Decimal(2000)}
# The channels with a figure of their own; the rest add up in "other channels".
MAIN_CHANNELS = (Channel.BUDGET_UNIT, Channel.PLATFORM_832, Channel.CANTEEN, Channel.LIVESTREAM)


def _sales(villages: Sequence[str] | None, start: dt.date, end: dt.date):
    rows = Sale.objects.filter(sold_on__gte=start, sold_on__lte=end)
    if villages is not None:
        rows = rows.filter(region_code__in=list(villages))
    return rows.order_by()


def _by_village(rows, value) -> dict[str, int]:
    return {row["region_code"]: int(row["value"]) for row in rows.values("region_code").annotate(value=value)
            if row["value"]}


def sales_amount(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _by_village(_sales(villages, start, end), Sum("amount"))


def sales_count(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _by_village(_sales(villages, start, end), Count("pk"))


def sales_households(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Households benefiting, counted per sale (带动户次): a household benefiting from two sales counts twice."""
    return _by_village(_sales(villages, start, end), Sum("beneficiary_households"))


def sales_quantity(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """The weight sold, in 斤 (rounded half up), of the sales whose product is sold by weight."""
    weights: dict[str, Decimal] = defaultdict(Decimal)
    rows = (_sales(villages, start, end).filter(product__unit__in=list(JIN_PER_UNIT))
            .values("region_code", "product__unit").annotate(quantity=Sum("quantity")))
    for row in rows:
        weights[row["region_code"]] += row["quantity"] * JIN_PER_UNIT[row["product__unit"]]
    found = {code: int(w.quantize(Decimal(1), rounding=ROUND_HALF_UP)) for code, w in weights.items()}
    return {code: value for code, value in found.items() if value}


def _channel(channels, villages, start, end) -> dict[str, int]:
    return _by_village(_sales(villages, start, end).filter(channel__in=list(channels)), Sum("amount"))


def amount_budget_unit(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _channel([Channel.BUDGET_UNIT], villages, start, end)


def amount_832(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _channel([Channel.PLATFORM_832], villages, start, end)


def amount_canteen(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _channel([Channel.CANTEEN], villages, start, end)


def amount_livestream(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _channel([Channel.LIVESTREAM], villages, start, end)


def amount_other_channels(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _channel([c for c in Channel if c not in MAIN_CHANNELS], villages, start, end)


# By-day variants (core.figures): the sums over days (the weight is rounded per period, so it has none).
def _by_village_day(rows, value) -> dict[tuple[str, dt.date], int]:
    return {(row["region_code"], row["sold_on"]): int(row["value"])
            for row in rows.values("region_code", "sold_on").annotate(value=value) if row["value"]}


def sales_amount_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return _by_village_day(_sales(villages, start, end), Sum("amount"))


def sales_count_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return _by_village_day(_sales(villages, start, end), Count("pk"))


def sales_households_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return _by_village_day(_sales(villages, start, end), Sum("beneficiary_households"))


def _channel_by_day(channels, villages, start, end) -> dict[tuple[str, dt.date], int]:
    return _by_village_day(_sales(villages, start, end).filter(channel__in=list(channels)), Sum("amount"))


def amount_budget_unit_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return _channel_by_day([Channel.BUDGET_UNIT], villages, start, end)


def amount_832_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return _channel_by_day([Channel.PLATFORM_832], villages, start, end)


def amount_canteen_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return _channel_by_day([Channel.CANTEEN], villages, start, end)


def amount_livestream_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return _channel_by_day([Channel.LIVESTREAM], villages, start, end)


def amount_other_channels_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return _channel_by_day([c for c in Channel if c not in MAIN_CHANNELS], villages, start, end)
