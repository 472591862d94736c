"""Reads of needs shared by pages and the API. Every one starts at Need.objects.visible_to(user)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.core.codes import prefix_q, township_of
from bangfu.core.permissions import Role
from bangfu.history.models import Change
from bangfu.households.models import scope_q
from bangfu.needs.models import OPEN, Need, Status, Summary
from bangfu.regions.models import Region


@dataclass
class NeedFilter:
    status: str = ""  # a Status value, or "open"
    category: str = ""
    village: str = ""
    urgency: str = ""
    overdue: bool = False
    household: int | None = None
    mine: bool = False  # the caseworker's own: recorded by them or of their households

    def as_params(self) -> dict[str, str]:
        params = {"status": self.status, "category": self.category, "village": self.village,
                  "urgency": self.urgency, "overdue": "1" if self.overdue else ""}
        return {k: v for k, v in params.items() if v}


def needs_filtered(user, flt: NeedFilter, *, now: dt.datetime | None = None) -> QuerySet[Need]:
    now = now or timezone.now()
    qs = Need.objects.visible_to(user)
    if flt.status == "open":
        qs = qs.filter(status__in=OPEN)
    elif flt.status:
        qs = qs.filter(status=flt.status)
    if flt.category:
        qs = qs.filter(category=flt.category)
    if flt.village:
        qs = qs.filter(prefix_q("region_code", flt.village))
    if flt.urgency:
        qs = qs.filter(urgency=flt.urgency)
    if flt.overdue:
        qs = qs.filter(status__in=OPEN, deadline_at__lte=now)
    if flt.household:
        qs = qs.filter(household_id=flt.household)
    return qs


BOARD_LIMIT = 200


def need_board(user, flt: NeedFilter, *, limit: int = BOARD_LIMIT) -> list[Need]:
    """Most pressing first: open needs by deadline, then the closed ones, newest first."""
    return list(
        needs_filtered(user, flt).select_related("household", "household__region", "owner", "recorded_by")
        .order_by("resolved_at", "deadline_at", "pk")[:limit]
    )


def need_get(user, pk: int) -> Need:
    """A need the user may see, or 404."""
    need = (
        Need.objects.visible_to(user)
        .select_related("household", "household__region", "owner", "recorded_by", "contact").filter(pk=pk).first()
    )
    if need is None:
        raise Http404("no such need")
    return need


def needs_get_many(user, ids: list[int]) -> list[Need]:
    needs = list(Need.objects.visible_to(user).filter(pk__in=ids).select_related("household").order_by("pk"))
    if len(needs) != len(set(ids)):
        raise Http404("no such need")
    return needs


def need_timeline(need: Need) -> list[Change]:
    """Every step of the need, oldest first (the need is already visible)."""
    return list(Change.objects.filter(object_type="need", object_id=need.pk).select_related("actor")
                .order_by("at", "pk"))


def open_needs_of(user, household_id: int) -> list[Need]:
    return list(Need.objects.visible_to(user).filter(household_id=household_id, status__in=OPEN)
                .select_related("owner").order_by("deadline_at", "pk"))


def needs_awaiting_confirmation(user) -> QuerySet[Need]:
    """Resolved needs of the caseworker's households: to call back and confirm (or reopen)."""
    return (Need.objects.visible_to(user).filter(status=Status.RESOLVED)
            .filter(Q(household__caseworker=user) | Q(recorded_by=user))
            .select_related("household", "household__region", "owner").order_by("resolved_at", "pk"))


def worklist_to_confirm(user, *, limit: int) -> tuple[list[Need], int]:
    """The rows of needs_awaiting_confirmation for the caseworker's day (rows, count; the count
    only when more than `limit` wait), read more cheaply: the scope door's rule applied by a join
    on the need's household (scope_q) rather than a subquery of all the visible households, and of
    the household and the owner only what the section shows."""
    scope = scope_q(user, "household__")
    if scope is None:
        return [], 0
    qs = (Need.objects.filter(scope, status=Status.RESOLVED)
          .filter(Q(household__caseworker=user) | Q(recorded_by=user)))
    rows = list(qs.select_related("household", "household__region", "owner").only(*WORKLIST_NEED_COLUMNS)
                .order_by("resolved_at", "pk")[: limit + 1])
    count = len(rows) if len(rows) <= limit else qs.count()
    return rows[:limit], count


def _worklist_rows(user, condition: Q, *, order: tuple[str, ...], limit: int) -> tuple[list[Need], int]:
    scope = scope_q(user, "household__")
    if scope is None:
        return [], 0
    qs = Need.objects.filter(scope).filter(condition)
    rows = list(qs.select_related("household", "household__region", "owner").only(*WORKLIST_NEED_COLUMNS)
                .order_by(*order)[: limit + 1])
    count = len(rows) if len(rows) <= limit else qs.count()
    return rows[:limit], count


def worklist_to_assign(user, *, limit: int) -> tuple[list[Need], int]:
    """Needs waiting for the office in the user's area: reported, or open again; nearest deadline first."""
    return _worklist_rows(user, Q(status__in=(Status.REPORTED, Status.REOPENED)),
                          order=("deadline_at", "pk"), limit=limit)


def worklist_assigned(user, *, limit: int) -> tuple[list[Need], int]:
    """Measures assigned to the user, not resolved yet; the earliest due first."""
    return _worklist_rows(user, Q(status=Status.ASSIGNED, owner=user), order=("due_on", "deadline_at", "pk"),
                          limit=limit)


def worklist_not_reported(user, *, limit: int) -> tuple[list[Need], int]:
    """Needs still with the caseworker (recorded by them, or of their households), not reported."""
    return _worklist_rows(user, Q(status=Status.RECORDED) & (Q(recorded_by=user) | Q(household__caseworker=user)),
                          order=("deadline_at", "pk"), limit=limit)


# All of a need, and what the worklist's section (needs/_need_item.html) shows of its household and owner.
WORKLIST_NEED_COLUMNS = (
    *(field.name for field in Need._meta.concrete_fields),
    "household__id", "household__number", "household__head_name", "household__region_id",
    "household__region__code", "household__region__name", "owner__id", "owner__username", "owner__display_name",
)


def owner_choices(need_region: str) -> QuerySet[User]:
    """Who may carry out a measure in a township: its office, village cadres and caseworkers."""
    township = township_of(need_region)
    return (User.objects.filter(is_active=True, role__in=[Role.TOWNSHIP_OFFICE, Role.VILLAGE, Role.CASEWORKER])
            .filter(prefix_q("region_id", township)).order_by("role", "display_name", "username"))


# --- numbers -----------------------------------------------------------------------------------

@dataclass
class Row:
    code: str
    label: str
    open: int
    overdue: int
    resolved: int
    resolved_in_time: int

    @property
    def in_time_percent(self) -> int | None:
        return round(100 * self.resolved_in_time / self.resolved) if self.resolved else None


def _summary_rows(user) -> QuerySet[Summary]:
    if user.role == Role.ADMIN:
        return Summary.objects.all()
    return Summary.objects.filter(prefix_q("region_code", user.scope))


def numbers(user) -> dict:
    """Open, overdue and resolved-within-deadline by village and by category, from the summary rows."""
    rows = _summary_rows(user)
    sums = {"open": Sum("open"), "overdue": Sum("overdue"), "resolved": Sum("resolved"),
            "resolved_in_time": Sum("resolved_in_time")}
    by_village = list(rows.values("region_code").order_by("region_code").annotate(**sums))
    names = dict(Region.objects.filter(code__in=[r["region_code"] for r in by_village]).values_list("code", "name"))
    from bangfu.needs.models import Category

    labels = dict(Category.choices)
    by_category = list(rows.values("category").order_by("category").annotate(**sums))
    computed = rows.order_by("computed_at").values_list("computed_at", flat=True).first()

    def row(code, label, r):
        return Row(code, label, r["open"] or 0, r["overdue"] or 0, r["resolved"] or 0, r["resolved_in_time"] or 0)

    villages = [row(r["region_code"], names.get(r["region_code"], r["region_code"]), r) for r in by_village]
    order = {value: i for i, value in enumerate(labels)}
    by_category.sort(key=lambda r: order.get(r["category"], len(order)))
    categories = [row(r["category"], str(labels.get(r["category"], r["category"])), r) for r in by_category]
    total = Row("", "", *(sum(getattr(v, k) for v in villages) for k in ("open", "overdue", "resolved", "resolved_in_time")))
    return {"villages": villages, "categories": categories, "total": total, "computed_at": computed}


def default_owner(needs: list[Need], owners: QuerySet[User]) -> int | None:
    """Who the assign form proposes: the households' caseworker, when the needs share one and they
    may carry it out; otherwise no one (the office chooses)."""
    caseworkers = {need.household.caseworker_id for need in needs}
    if len(caseworkers) != 1 or None in caseworkers:
        return None
    caseworker = caseworkers.pop()
    return caseworker if owners.filter(pk=caseworker).exists() else None
