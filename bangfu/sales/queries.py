"""Every read of produce and sales, starting at a scope door (`visible_to(user)`): products,
cooperatives and sales by the village, buyers by the area that recorded them and the areas above;
and the numbers by buyer unit, channel, week and month (周调度 / 月通报)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.http import Http404

from bangfu.assets.models import Asset
from bangfu.core.codes import prefix_q
from bangfu.sales.models import PRODUCING_KINDS, Buyer, Channel, Cooperative, Product, Sale


def products_for(user):
    return (Product.objects.visible_to(user).select_related("village", "household", "cooperative", "asset")
            .annotate(sale_count=Count("sales"), sold=Sum("sales__amount", default=0))
            .order_by("region_code", "name", "pk"))


def product_get(user, pk: int) -> Product:
    product = Product.objects.visible_to(user).select_related("village").filter(pk=pk).first()
    if product is None:
        raise Http404("no such product")
    return product


def cooperatives_for(user):
    return Cooperative.objects.visible_to(user).select_related("village").order_by("region_code", "name", "pk")


def producing_assets_for(user):
    """The assets the user may see that produce something to sell (greenhouses, workshops, other)."""
    return (Asset.objects.visible_to(user).filter(kind__in=PRODUCING_KINDS).select_related("village")
            .order_by("region_code", "kind", "name", "pk"))


def buyers_for(user):
    return (Buyer.objects.visible_to(user).select_related("region")
            .order_by("kind", "name", "pk"))


def buyer_get(user, pk: int) -> Buyer:
    buyer = Buyer.objects.visible_to(user).filter(pk=pk).first()
    if buyer is None:
        raise Http404("no such buyer")
    return buyer


@dataclass(frozen=True)
class SaleFilter:
    channel: str = ""
    buyer_kind: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    region: str = ""  # a region code within the user's area
    buyer: int | None = None
    product: int | None = None


def sales_for(user, f: SaleFilter = SaleFilter()):
    rows = Sale.objects.visible_to(user).select_related("product", "product__village", "buyer")
    if f.channel:
        rows = rows.filter(channel=f.channel)
    if f.buyer_kind:
        rows = rows.filter(buyer__kind=f.buyer_kind)
    if f.start:
        rows = rows.filter(sold_on__gte=f.start)
    if f.end:
        rows = rows.filter(sold_on__lte=f.end)
    if f.region:
        rows = rows.filter(prefix_q("region_code", f.region))
    if f.buyer:
        rows = rows.filter(buyer_id=f.buyer)
    if f.product:
        rows = rows.filter(product_id=f.product)
    return rows.order_by("-sold_on", "-pk")


@dataclass
class Line:
    """One row of a numbers table: its label, the sales, their amount in fen, and the households."""

    key: str
    label: str
    count: int = 0
    amount: int = 0
    households: int = 0


def _totals(rows) -> tuple[int, int, int]:
    sums = rows.aggregate(count=Count("pk"), amount=Sum("amount", default=0),
                          households=Sum("beneficiary_households", default=0))
    return sums["count"], sums["amount"], sums["households"]


def totals(sales) -> Line:
    count, amount, households = _totals(sales)
    return Line("", "", count, amount, households)


def by_channel(sales) -> list[Line]:
    found = {row["channel"]: row for row in sales.order_by().values("channel").annotate(
        count=Count("pk"), amount=Sum("amount"), households=Sum("beneficiary_households"))}
    return [Line(c.value, str(c.label), found[c.value]["count"], found[c.value]["amount"],
                 found[c.value]["households"]) for c in Channel if c.value in found]


def by_buyer(sales) -> list[Line]:
    rows = (sales.order_by().values("buyer_id", "buyer__name")
            .annotate(count=Count("pk"), amount=Sum("amount"), households=Sum("beneficiary_households")))
    lines = [Line(str(r["buyer_id"]), r["buyer__name"], r["count"], r["amount"], r["households"]) for r in rows]
    return sorted(lines, key=lambda line: (-line.amount, line.label))


def _by_day(sales) -> list[dict]:
    return list(sales.order_by().values("sold_on").annotate(
        count=Count("pk"), amount=Sum("amount"), households=Sum("beneficiary_households")))


def _folded(days: list[dict], key_of) -> list[Line]:
    lines: dict[str, Line] = {}
    for row in days:
        key, label = key_of(row["sold_on"])
        line = lines.setdefault(key, Line(key, label))
        line.count += row["count"]
        line.amount += row["amount"]
        line.households += row["households"]
    return [lines[key] for key in sorted(lines, reverse=True)]


def week_of(day: dt.date) -> tuple[str, str]:
    """The ISO week a day is in: its key ("2026-W05") and its label (Monday to Sunday)."""
    year, week, weekday = day.isocalendar()
    monday = day - dt.timedelta(days=weekday - 1)
    return f"{year}-W{week:02d}", f"{monday:%Y-%m-%d}–{monday + dt.timedelta(days=6):%m-%d}"


def month_of(day: dt.date) -> tuple[str, str]:
    return f"{day:%Y-%m}", f"{day:%Y-%m}"


def by_week(sales) -> list[Line]:
    return _folded(_by_day(sales), week_of)


def by_month(sales) -> list[Line]:
    return _folded(_by_day(sales), month_of)


TABLES = {"buyer": by_buyer, "channel": by_channel, "week": by_week, "month": by_month}


def quantity_text(quantity: Decimal) -> str:
    """12.50 -> "12.5", 3.00 -> "3"."""
    return format(Decimal(quantity).normalize(), "f")
