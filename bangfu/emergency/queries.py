"""Reads of deliveries and errands shared by pages, the API and summaries. Every one starts at
Delivery.objects.visible_to(user)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from bangfu.core.codes import prefix_q
from bangfu.core.permissions import Role
from bangfu.emergency.models import (
    OPEN_STATUSES,
    CheckStatus,
    Delivery,
    DeliveryStatus,
    Emergency,
    EmergencyStatus,
    FeverAlert,
    HealthCheck,
    Returnee,
    Summary,
)
from bangfu.households.models import Household, scope_q
from bangfu.regions.models import Region


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


# What the worklist's section shows of a delivery (emergency/_delivery_rows.html) and the API gives.
WORKLIST_DELIVERY_COLUMNS = (
    "id", "household_id", "region_code", "kind", "source", "item_id", "quantity", "description", "distribution_id",
    "sequence", "priority", "priority_reasons", "status", "caseworker_id", "requested_at", "assigned_at", "done_at",
    "received_by", "failure_reason",
    "household__id", "household__number", "household__head_name", "household__region_id",
    "household__region__code", "household__region__name", "item__id", "item__name", "item__unit",
)


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


# --- emergencies, daily checks, returnees ------------------------------------------------------

def emergencies_for(user) -> QuerySet[Emergency]:
    """Open first, then the latest."""
    return Emergency.objects.visible_to(user).select_related("region").order_by("status", "-start", "-pk")


def emergency_get(user, pk: int) -> Emergency:
    emergency = Emergency.objects.visible_to(user).select_related("region", "opened_by").filter(pk=pk).first()
    if emergency is None:
        raise Http404("no such emergency")
    return emergency


def checks_of_day(user, day, *, emergency: Emergency | None = None) -> QuerySet[HealthCheck]:
    """The day's checks of the households the user sees, not-done first, by village and number."""
    qs = HealthCheck.objects.filter(household__in=Household.objects.visible_to(user), day=day)
    if emergency is not None:
        qs = qs.filter(emergency=emergency)
    return qs.select_related("household", "household__region", "household__caseworker", "done_by").order_by(
        "status", "household__region_code", "household__number", "pk")


def check_get(user, pk: int) -> HealthCheck:
    check = (HealthCheck.objects.filter(household__in=Household.objects.visible_to(user), pk=pk)
             .select_related("emergency", "household", "household__region").first())
    if check is None:
        raise Http404("no such check")
    return check


@dataclass
class BoardGroup:
    key: str  # a village's code, a caseworker's id, or "none" for households nobody is assigned
    label: str
    due: int
    done: int

    @property
    def missing(self) -> int:
        return self.due - self.done


@dataclass
class Board:
    groups: list[BoardGroup]  # one page of the day's groups, the furthest behind first
    group_page: Page  # that page of groups (a county has over a thousand caseworkers)
    page: Page | None  # one page of the households not checked yet (of `group`, or of all groups)
    group: BoardGroup | None


BOARD_PAGE = 50
GROUPS_PAGE = 50


def check_board(user, day, *, emergency: Emergency | None = None, by: str = "village", group: str = "",
                page: int | str | None = 1, per_page: int = BOARD_PAGE, group_page: int | str | None = 1,
                groups_per_page: int = GROUPS_PAGE) -> Board:
    """The day's checks counted per village (or caseworker), a page of groups at a time, the
    furthest behind first; and the households not checked yet, page by page, by village and number.
    Counts cover every check whatever the size; `page=None`: the groups only. A fixed number of
    queries (the groups and their total, their names, the chosen group, the page and its total)."""
    checks = checks_of_day(user, day, emergency=emergency)
    key_field = "household__caseworker_id" if by == "caseworker" else "region_code"
    counted = (checks.order_by().values(key_field)
               .annotate(due=Count("pk"), done=Count("pk", filter=Q(status=CheckStatus.DONE)))
               .annotate(behind=F("due") - F("done")))
    groups_page = Paginator(counted.order_by("-behind", F(key_field).asc(nulls_last=True)),
                            groups_per_page).get_page(group_page)
    chosen_row = None
    if group:
        wanted = None if group == "none" else group
        if by == "caseworker" and wanted is not None and not wanted.isdigit():
            wanted = -1  # no such caseworker: no group
        chosen_row = counted.filter(**{key_field: wanted}).order_by(key_field).first()
    rows = list(groups_page.object_list) + ([chosen_row] if chosen_row else [])
    keys = [row[key_field] for row in rows]
    if by == "caseworker":
        from bangfu.accounts.models import User

        names = {u.pk: str(u) for u in User.objects.filter(pk__in=[k for k in keys if k])}
    else:
        names = dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    names[None] = _("Nobody assigned")

    def as_group(row) -> BoardGroup:
        return BoardGroup(key=str(row[key_field] or "none"), label=names.get(row[key_field], "—"),
                          due=row["due"], done=row["done"])

    groups = [as_group(row) for row in groups_page.object_list]
    groups_page.object_list = groups
    chosen = as_group(chosen_row) if chosen_row else None
    missing = checks.filter(status=CheckStatus.DUE)
    if chosen is not None:
        missing = missing.filter(**{key_field: None if chosen.key == "none" else chosen.key})
    return Board(groups=groups, group_page=groups_page, group=chosen,
                 page=None if page is None else Paginator(missing, per_page).get_page(page))


@dataclass
class EmergencyNumbers:
    due: int = 0
    done: int = 0
    fever_alerts: int = 0
    in_quarantine: int = 0


def emergency_numbers(user, emergency: Emergency, day) -> EmergencyNumbers:
    """The day's numbers from the summary rows of the villages the user sees (one query)."""
    qs = Summary.objects.filter(emergency=emergency, day=day)
    if user.role != Role.ADMIN:
        qs = qs.filter(prefix_q("region_code", user.region_id or "-"))
    totals = qs.aggregate(due=Sum("due"), done=Sum("done"), fever_alerts=Sum("fever_alerts"),
                          in_quarantine=Sum("in_quarantine"))
    return EmergencyNumbers(**{key: value or 0 for key, value in totals.items()})


def village_numbers(user, emergency: Emergency, day) -> list[tuple[str, Summary]]:
    qs = Summary.objects.filter(emergency=emergency, day=day).order_by("region_code")
    if user.role != Role.ADMIN:
        qs = qs.filter(prefix_q("region_code", user.region_id or "-"))
    rows = list(qs)
    names = dict(Region.objects.filter(code__in=[r.region_code for r in rows]).values_list("code", "name"))
    return [(names.get(r.region_code, r.region_code), r) for r in rows]


def fever_alerts(user, emergency: Emergency, day, *, limit: int = 100) -> list[FeverAlert]:
    return list(FeverAlert.objects.filter(emergency=emergency, day=day,
                                          household__in=Household.objects.visible_to(user))
                .select_related("household", "household__region", "need").order_by("-raised_at")[:limit])


def returnees_for(user, emergency: Emergency, *, limit: int = 300) -> list[Returnee]:
    return list(Returnee.objects.visible_to(user).filter(emergency=emergency)
                .select_related("household", "household__region", "quarantine").order_by("-arrival", "-pk")[:limit])


def worklist_checks(user, day, *, limit: int = 100) -> tuple[list[HealthCheck], int]:
    """A caseworker's households not checked yet today in open emergencies (rows, count). The
    households visible to the user and assigned to them: the scope door's rule applied by a join on
    the check's household (scope_q) rather than a subquery of all the visible households."""
    scope = scope_q(user, "household__")
    if scope is None:
        return [], 0
    qs = HealthCheck.objects.filter(scope, household__caseworker=user, day=day, status=CheckStatus.DUE,
                                    emergency__status=EmergencyStatus.OPEN)
    rows = list(qs.select_related("household", "household__region", "emergency")
                .only(*WORKLIST_CHECK_COLUMNS)
                .order_by("household__region_code", "household__number")[: limit + 1])
    count = len(rows) if len(rows) <= limit else qs.count()
    return rows[:limit], count


# What the worklist's section shows of a check (emergency/_section_checks.html) and the API gives.
WORKLIST_CHECK_COLUMNS = (
    "id", "household_id", "emergency_id", "day", "status",
    "household__id", "household__number", "household__head_name", "household__region_id",
    "household__region__code", "household__region__name", "emergency__id", "emergency__title",
)
