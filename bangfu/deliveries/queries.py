"""Reads of deliveries, errands and distributions shared by pages, the API, the worklist and the
supplies' stock page. Every read of deliveries starts at Delivery.objects.visible_to(user); the
households a distribution serves at Household.objects.visible_to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from bangfu.core.codes import prefix_q
from bangfu.core.dates import SHANGHAI
from bangfu.deliveries.models import (
    OPEN_STATUSES,
    Delivery,
    DeliveryStatus,
    Distribution,
    DistributionLine,
    GoodsSource,
)
from bangfu.households.choices import Category, Health, LaborSkill, Status
from bangfu.households.models import Household, HouseholdCategory, Member
from bangfu.needs.models import Need
from bangfu.regions.models import Region
from bangfu.supplies.queries import stock_balance, townships_for


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
    """A caseworker's open deliveries and errands, priority first: the section of the caseworker's
    worklist (今日待办). The same rows, in the same order, as deliveries_filtered(user, open, assigned
    to the user), read more cheaply: a delivery assigned to the user is visible to them (the second
    branch of Delivery.visible_to), so that filter alone is the scope, with no subquery of the
    visible households; all rows are open, so the open-first key is left out; only the columns the
    section shows are read, and the caseworker on each row is the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    rows = list(Delivery.objects.filter(caseworker_id=user.pk, status__in=OPEN_STATUSES)
                .select_related("household", "household__region", "item")
                .only(*WORKLIST_DELIVERY_COLUMNS)
                .order_by("-priority", "requested_at", "sequence", "id")[:limit])
    for row in rows:
        row.caseworker = user
    return rows


# What the worklist's section shows of a delivery (deliveries/_delivery_rows.html) and the API gives.
WORKLIST_DELIVERY_COLUMNS = (
    "id", "household_id", "region_code", "kind", "source", "item_id", "quantity", "description", "distribution_id",
    "sequence", "priority", "priority_reasons", "status", "caseworker_id", "requested_at", "assigned_at", "done_at",
    "received_by", "failure_reason",
    "household__id", "household__number", "household__head_name", "household__region_id",
    "household__region__code", "household__region__name", "item__id", "item__name", "item__unit",
)


def severely_disabled(household_ids) -> set[int]:
    """Those of `household_ids` with a member disabled (健康状况 残疾) who cannot work (劳动技能
    丧失劳动力 or 无劳动力): 重残 as the national forms' fields can tell it. One query."""
    rows = Member.objects.filter(household_id__in=list(household_ids),
                                 labor_skill__in=(LaborSkill.LOST, LaborSkill.NONE)).values_list("household_id",
                                                                                                 "health")
    return {household_id for household_id, health in rows if Health.DISABLED in (health or [])}



def need_for_delivery(user, pk: int) -> Need:
    """A need the user may see, to make or link a delivery for, or 404."""
    need = Need.objects.visible_to(user).select_related("household").filter(pk=pk).first()
    if need is None:
        raise Http404("no such need")
    return need


def delivery_get(user, pk: int) -> Delivery:
    delivery = (
        Delivery.objects.visible_to(user)
        .select_related("household", "household__region", "caseworker", "item", "distribution", "requested_by",
                        "done_by", "stock_move", "need")
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


def stock_promised(township: Region) -> dict[int, int]:
    """What open deliveries from the township's stock will still take, per item (the supplies' stock
    page, bangfu.supplies.queries.stock_lines). One query."""
    return dict(
        Delivery.objects.open().filter(prefix_q("region_code", township.code), source=GoodsSource.STOCK)
        .values("item_id").annotate(total=Sum("quantity")).values_list("item_id", "total")
    )


# --- distributions -----------------------------------------------------------------------------

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


def earlier_outstanding(township: Region, household_ids, *, before=None,
                        exclude: Distribution | None = None) -> dict[int, list[Delivery]]:
    """For each of `household_ids`, the goods an earlier distribution of the township still owes
    it: shares not delivered (waiting, or failed and not tried again), oldest plan first. `before`:
    only plans made before then; `exclude`: not this plan's own shares. One query."""
    qs = Delivery.objects.filter(distribution__township=township, household_id__in=list(household_ids),
                                 status__in=(*OPEN_STATUSES, DeliveryStatus.FAILED))
    if before is not None:
        qs = qs.filter(distribution__created_at__lt=before)
    if exclude is not None:
        qs = qs.exclude(distribution=exclude)
    owed: dict[int, list[Delivery]] = {}
    for delivery in qs.select_related("item", "distribution").order_by("distribution__created_at", "pk"):
        owed.setdefault(delivery.household_id, []).append(delivery)
    return owed


def distributions_for(user, township: Region) -> QuerySet[Distribution]:
    if township not in townships_for(user):
        return Distribution.objects.none()
    return (
        Distribution.objects.filter(township=township).select_related("created_by")
        .prefetch_related(Prefetch("lines", queryset=DistributionLine.objects.select_related("item")))
        .annotate(
            # Households (a plan of several items has several shares per household).
            planned=Count("deliveries__household", distinct=True),
            delivered=Count("deliveries__household", distinct=True,
                            filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
            failed=Count("deliveries__household", distinct=True, filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        ).order_by("-created_at", "-id")
    )


def distribution_get(user, pk: int) -> Distribution:
    distribution = (
        Distribution.objects.filter(pk=pk, township__in=townships_for(user))
        .select_related("township", "created_by")
        .prefetch_related(Prefetch("lines", queryset=DistributionLine.objects.select_related("item"))).first()
    )
    if distribution is None:
        raise Http404("no such distribution")
    return distribution


@dataclass
class LineProgress:
    """One item of a distribution: units planned, delivered, failed, outstanding, and the stock."""

    line: DistributionLine
    planned: int = 0
    delivered: int = 0
    failed: int = 0
    stock_left: int = 0

    @property
    def outstanding(self) -> int:
        return self.planned - self.delivered - self.failed

    @property
    def stock_short(self) -> int:
        return max(self.outstanding - self.stock_left, 0)


@dataclass
class DistributionReport:
    """Households: delivered when every share reached them, failed when a share failed and none is
    still to go, outstanding while a share is still to go. Units: per item (LineProgress)."""

    distribution: Distribution
    households: int = 0
    delivered_households: int = 0
    failed_households: int = 0
    lines: list[LineProgress] = field(default_factory=list)
    rows: list = field(default_factory=list)
    # (this plan's share, the earlier plans' shares still owed to its household), for rows shown.
    owed: list = field(default_factory=list)

    @property
    def outstanding_households(self) -> int:
        return self.households - self.delivered_households - self.failed_households

    @property
    def stock_short(self) -> bool:
        return any(line.stock_short for line in self.lines)


def distribution_report(user, distribution: Distribution) -> DistributionReport:
    """Planned, delivered, failed and outstanding (households, and units of each item), and the
    stock left of each; the rows are the deliveries the user may see, in the distribution's order."""
    report = DistributionReport(distribution)
    by_item = {line.item_id: LineProgress(line) for line in distribution.lines.all()}
    statuses: dict[int, set[str]] = {}
    for household_id, item_id, status, quantity in Delivery.objects.filter(distribution=distribution).values_list(
            "household_id", "item_id", "status", "quantity"):
        statuses.setdefault(household_id, set()).add(status)
        progress = by_item.get(item_id)
        if progress is None:
            continue
        progress.planned += quantity or 0
        if status == DeliveryStatus.DELIVERED:
            progress.delivered += quantity or 0
        elif status == DeliveryStatus.FAILED:
            progress.failed += quantity or 0
    report.households = len(statuses)
    for found in statuses.values():
        if found <= {DeliveryStatus.DELIVERED}:
            report.delivered_households += 1
        elif DeliveryStatus.FAILED in found and not found & set(OPEN_STATUSES):
            report.failed_households += 1
    for progress in by_item.values():
        progress.stock_left = stock_balance(distribution.township, progress.line.item)
    report.lines = list(by_item.values())
    report.rows = list(
        Delivery.objects.visible_to(user).filter(distribution=distribution)
        .select_related("household", "household__region", "caseworker", "item").order_by("sequence", "pk")
    )
    owed = earlier_outstanding(distribution.township, {row.household_id for row in report.rows},
                               before=distribution.created_at, exclude=distribution)
    first_share = {}
    for row in report.rows:
        first_share.setdefault(row.household_id, row)
    report.owed = [(row, owed[household_id]) for household_id, row in first_share.items() if household_id in owed]
    return report


def print_deliveries(household_ids: list[int], day: dt.date) -> dict[int, str]:
    """The village's printed list (casework.printcolumns): each household's deliveries and errands
    still to do, and those delivered on `day`. One query."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI)
    rows = (Delivery.objects.filter(household_id__in=household_ids)
            .filter(Q(status__in=OPEN_STATUSES)
                    | Q(status=DeliveryStatus.DELIVERED, done_at__gte=start, done_at__lt=start + dt.timedelta(days=1)))
            .select_related("item").order_by("household_id", "requested_at", "pk"))
    cells: dict[int, list[str]] = {}
    for delivery in rows:
        label = _("Delivered") if delivery.status == DeliveryStatus.DELIVERED else _("To deliver")
        cells.setdefault(delivery.household_id, []).append(
            _("%(state)s: %(what)s") % {"state": label, "what": delivery.what})
    return {household_id: "; ".join(texts) for household_id, texts in cells.items()}
