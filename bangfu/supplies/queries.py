"""Reads of items, stock, the ledger and distributions, shared by pages, the API and reports. Stock is
scoped by the township's region code; households always through Household.objects.visible_to."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from bangfu.core.codes import prefix_q
from bangfu.core.permissions import Role
from bangfu.households.choices import Category, Status
from bangfu.households.models import Household, HouseholdCategory
from bangfu.regions.models import Level, Region
from bangfu.supplies.models import Distribution, Item, Stock, StockMove

# The order in which a distribution serves households: those least able to fend for themselves
# first. A household's place is its first category in this list; households in none come last.
SPECIAL_ORDER: tuple[str, ...] = (
    Category.EXTREME_HARDSHIP,  # 特困供养: no one to rely on
    Category.DISABLED,
    Category.ELDERLY_ALONE,
    Category.MINIMUM_LIVING,
    Category.SPECIAL_FAMILY,
)
# Households that are no longer served (closed) are never selected.
SERVED_STATUSES = (Status.ACTIVE, Status.LIFTED, Status.RISK_ELIMINATED)


def special_rank(categories: list[str] | set[str]) -> int:
    ranks = [SPECIAL_ORDER.index(c) for c in categories if c in SPECIAL_ORDER]
    return min(ranks) if ranks else len(SPECIAL_ORDER)


# --- townships ---------------------------------------------------------------------------------

def townships_for(user) -> QuerySet[Region]:
    """The townships whose stock the user may see: their own, or those under their county."""
    if not user.is_authenticated:
        return Region.objects.none()
    townships = Region.objects.filter(level=Level.TOWNSHIP)
    if user.role == Role.ADMIN:
        return townships
    scope = user.scope
    if not scope:
        return townships.none()
    if len(scope) >= 9:
        return townships.filter(code=scope[:9])
    return townships.filter(prefix_q("code", scope))


def township_get(user, code: str | None = None) -> Region:
    """The township asked for (or the user's first one), if the user may see it; else 404."""
    townships = townships_for(user)
    township = townships.filter(code=code).first() if code else townships.order_by("code").first()
    if township is None:
        raise Http404("no such township")
    return township


def items_for(township: Region) -> QuerySet[Item]:
    return Item.objects.for_township(township.code).order_by("kind", "id")


def item_get(township: Region, pk: int) -> Item:
    item = items_for(township).filter(pk=pk).first()
    if item is None:
        raise Http404("no such item")
    return item


# --- stock -------------------------------------------------------------------------------------

@dataclass
class StockLine:
    item: Item
    quantity: int
    outstanding: int = 0  # promised to open deliveries from stock, not yet delivered

    @property
    def short(self) -> int:
        return max(self.outstanding - self.quantity, 0)


def stock_lines(township: Region) -> list[StockLine]:
    """Every item of the township with its balance (from the balance rows, never summing the ledger)
    and what open deliveries will still take."""
    from bangfu.emergency.models import Delivery, GoodsSource

    balances = dict(Stock.objects.filter(township=township).values_list("item_id", "quantity"))
    outstanding = dict(
        Delivery.objects.open().filter(prefix_q("region_code", township.code), source=GoodsSource.STOCK)
        .values("item_id").annotate(total=Sum("quantity")).values_list("item_id", "total")
    )
    return [StockLine(item, balances.get(item.pk, 0), outstanding.get(item.pk) or 0)
            for item in items_for(township)]


def stock_balance(township: Region, item: Item) -> int:
    return Stock.objects.filter(township=township, item=item).values_list("quantity", flat=True).first() or 0


def balances_for(user, *, township: str = "") -> QuerySet[Stock]:
    """Balance rows in the user's townships (for the API)."""
    qs = Stock.objects.filter(township__in=townships_for(user)).select_related("item", "township")
    if township:
        qs = qs.filter(township_id=township)
    return qs.order_by("township_id", "item__kind", "item_id")


def ledger(township: Region, item: Item | None = None) -> QuerySet[StockMove]:
    qs = StockMove.objects.filter(township=township).select_related("item", "actor", "delivery__household")
    if item is not None:
        qs = qs.filter(item=item)
    return qs.order_by("-at", "-id")


def moves_for(user, *, township: str = "", item: int | None = None) -> QuerySet[StockMove]:
    qs = StockMove.objects.filter(township__in=townships_for(user)).select_related("item", "actor")
    if township:
        qs = qs.filter(township_id=township)
    if item:
        qs = qs.filter(item_id=item)
    return qs.order_by("-at", "-id")


# --- distributions -----------------------------------------------------------------------------

def distribution_selection(user, *, township: Region, villages: list[str], categories: list[str],
                           supplies_short: bool = False) -> list[Household]:
    """The households a distribution would serve, in order: special groups first (SPECIAL_ORDER),
    then by village and number. `villages` empty: the whole township; `categories` empty: every
    household. A household in any of the categories is selected. `supplies_short`: only those
    whose latest assessment (casework's summary row per household) found supplies not sufficient."""
    qs = Household.objects.visible_to(user).filter(prefix_q("region_code", township.code),
                                                  status__in=SERVED_STATUSES)
    if villages:
        area = Q()
        for code in villages:
            area |= prefix_q("region_code", code)
        qs = qs.filter(area)
    if categories:
        qs = qs.filter(pk__in=HouseholdCategory.objects.filter(category__in=categories).values("household_id"))
    if supplies_short:
        qs = qs.filter(case__supplies_ok=False)
    households = list(
        qs.select_related("region", "caseworker")
        .prefetch_related(Prefetch("categories", queryset=HouseholdCategory.objects.only("household_id", "category")))
    )
    households.sort(key=lambda h: (special_rank(h.category_values()), h.region_code, h.number))
    return households


def distributions_for(user, township: Region) -> QuerySet[Distribution]:
    from bangfu.emergency.models import DeliveryStatus

    if township not in townships_for(user):
        return Distribution.objects.none()
    return (
        Distribution.objects.filter(township=township).select_related("item", "created_by")
        .annotate(
            planned=Count("deliveries"),
            delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        ).order_by("-created_at", "-id")
    )


def distribution_get(user, pk: int) -> Distribution:
    distribution = (
        Distribution.objects.filter(pk=pk, township__in=townships_for(user))
        .select_related("item", "township", "created_by").first()
    )
    if distribution is None:
        raise Http404("no such distribution")
    return distribution


@dataclass
class DistributionReport:
    distribution: Distribution
    households: int = 0
    delivered_households: int = 0
    failed_households: int = 0
    planned: int = 0
    delivered: int = 0
    failed: int = 0
    stock_left: int = 0
    rows: list = field(default_factory=list)

    @property
    def outstanding(self) -> int:
        return self.planned - self.delivered - self.failed

    @property
    def outstanding_households(self) -> int:
        return self.households - self.delivered_households - self.failed_households

    @property
    def stock_short(self) -> int:
        return max(self.outstanding - self.stock_left, 0)


def distribution_report(user, distribution: Distribution) -> DistributionReport:
    """Planned, delivered, failed and outstanding (households and units), and the stock left; the
    rows are the deliveries the user may see, in the distribution's order."""
    from bangfu.emergency.models import Delivery, DeliveryStatus

    report = DistributionReport(distribution)
    totals = (
        Delivery.objects.filter(distribution=distribution).values("status")
        .annotate(n=Count("id"), units=Sum("quantity"))
    )
    for row in totals:
        report.households += row["n"]
        report.planned += row["units"] or 0
        if row["status"] == DeliveryStatus.DELIVERED:
            report.delivered_households, report.delivered = row["n"], row["units"] or 0
        elif row["status"] == DeliveryStatus.FAILED:
            report.failed_households, report.failed = row["n"], row["units"] or 0
    report.stock_left = stock_balance(distribution.township, distribution.item)
    report.rows = list(
        Delivery.objects.visible_to(user).filter(distribution=distribution)
        .select_related("household", "household__region", "caseworker", "item").order_by("sequence")
    )
    return report
