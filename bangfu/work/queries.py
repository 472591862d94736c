"""Reads of the work app, each starting at the user's scope: the labour force with its latest
monthly status, a village's grid for a month, drives with their counts, subsidy lists."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404

from bangfu.core.codes import Level, township_of
from bangfu.core.permissions import Role
from bangfu.households.models import Member
from bangfu.regions.models import Region
from bangfu.work.areas import band_of
from bangfu.work.labour import labourers
from bangfu.work.models import (
    Drive,
    LabourStatus,
    Outcome,
    Placement,
    SubsidyList,
    SubsidyPayment,
)


def with_latest_status(members: QuerySet, *, month: dt.date | None = None) -> QuerySet:
    """Members with the id of their latest status (of `month` or before) as `latest_status_id`."""
    statuses = LabourStatus.objects.filter(member=OuterRef("pk"))
    if month is not None:
        statuses = statuses.filter(month__lte=month)
    return members.annotate(latest_status_id=Subquery(statuses.order_by("-month").values("pk")[:1]))


def labour_list(user, *, village_code: str = "", activity: str = "", search: str = "",
                month: dt.date | None = None) -> list[tuple[Member, LabourStatus | None]]:
    """The labourers in the user's scope with their latest status; `activity` filters by it
    ("none": no status yet)."""
    members = labourers(user, village_code=village_code).select_related("household__region")
    if search:
        members = members.filter(Q(name__contains=search) | Q(household__number=search))
    members = with_latest_status(members, month=month)
    if activity == "none":
        members = members.filter(latest_status_id__isnull=True)
    elif activity:
        latest = LabourStatus.objects.filter(pk=OuterRef("latest_status_id"))
        members = members.annotate(latest_activity=Subquery(latest.values("activity"))).filter(
            latest_activity=activity)
    return members.order_by("household__region_code", "household_id", "pk")


def attach_statuses(members) -> list[tuple[Member, LabourStatus | None]]:
    members = list(members)
    statuses = LabourStatus.objects.in_bulk([m.latest_status_id for m in members if m.latest_status_id])
    return [(m, statuses.get(m.latest_status_id)) for m in members]


def labour_counts(user, *, village_code: str = "", month: dt.date) -> dict[str, Counter]:
    """The month's statuses in scope by activity and by 地域 (省外 / 省内县外 / 县内)."""
    rows = LabourStatus.objects.visible_to(user).filter(month=month)
    if village_code:
        rows = rows.filter(region_code__startswith=village_code)
    by_activity = Counter(dict(rows.values_list("activity").annotate(n=Count("pk")).values_list("activity", "n")))
    by_band: Counter = Counter()
    for area, n in rows.exclude(area="").values_list("area").annotate(n=Count("pk")).values_list("area", "n"):
        by_band[band_of(area)] += n
    return {"activity": by_activity, "band": by_band}


def villages_for(user) -> list[Region]:
    qs = Region.objects.filter(level=Level.VILLAGE)
    if user.role != Role.ADMIN:
        qs = qs.within(user.region_id or "-")
    return list(qs.order_by("code")[:500])


def townships_for(user) -> list[Region]:
    qs = Region.objects.filter(level=Level.TOWNSHIP)
    if user.role != Role.ADMIN:
        code = user.region_id or "-"
        qs = qs.filter(Q(code__startswith=code) | Q(code=township_of(code)))
    return list(qs.order_by("code")[:300])


def village_get(user, code: str) -> Region:
    village = next((v for v in villages_for(user) if v.code == code), None)
    if village is None:
        raise Http404("no such village")
    return village


def grid_rows(user, village: Region, month: dt.date) -> list[tuple[Member, LabourStatus | None]]:
    """A village's labourers with their status of the month (or, if none yet, the latest before,
    to start from)."""
    members = with_latest_status(labourers(user, village_code=village.code).select_related("household__region"),
                                 month=month).order_by("household_id", "pk")
    return attach_statuses(members)


def member_statuses(user, member_id: int) -> tuple[Member, list[LabourStatus]]:
    member = labourers(user).select_related("household__region").filter(pk=member_id).first()
    if member is None:
        raise Http404("no such labourer")
    return member, list(LabourStatus.objects.filter(member=member).order_by("-month")[:36])


# --- drives -------------------------------------------------------------------------------------

def drives_for(user) -> QuerySet:
    return (Drive.objects.visible_to(user).select_related("region")
            .annotate(targeted=Count("targets"),
                      returned=Count("targets", filter=Q(targets__outcome=Outcome.RETURNED)),
                      nearby=Count("targets", filter=Q(targets__outcome=Outcome.NEARBY))))


def drive_get(user, pk: int) -> Drive:
    drive = drives_for(user).filter(pk=pk).first()
    if drive is None:
        raise Http404("no such drive")
    return drive


def placements(user, drive: Drive, *, outcome: str = "", village_code: str = "") -> QuerySet:
    targets = Placement.objects.visible_to(user).filter(drive=drive).select_related("member", "household__region")
    if outcome:
        targets = targets.filter(outcome=outcome)
    if village_code:
        targets = targets.filter(region_code__startswith=village_code)
    return targets


def drive_counts(user, drive: Drive) -> dict[str, int]:
    """How many targets of the user's scope by outcome, and the subsidy due in all."""
    targets = Placement.objects.visible_to(user).filter(drive=drive)
    counts = dict(targets.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    counts = {value: counts.get(value, 0) for value in Outcome.values}
    counts["total"] = sum(counts.values())
    counts["subsidy_fen"] = targets.aggregate(s=Sum("subsidy_fen"))["s"] or 0
    return counts


def returned_count(drive: Drive) -> int:
    """The drive's labourers back at work, as reports quote it ("7 back to work")."""
    return Placement.objects.filter(drive=drive, outcome=Outcome.RETURNED).count()


def target_get(user, pk: int) -> Placement:
    target = (Placement.objects.visible_to(user).filter(drive__in=Drive.objects.visible_to(user), pk=pk)
              .select_related("member", "household__region", "drive").first())
    if target is None:
        raise Http404("no such labourer in this drive")
    return target


# --- subsidies ---------------------------------------------------------------------------------

def subsidy_lists_for(user) -> QuerySet:
    return (SubsidyList.objects.visible_to(user).select_related("region", "approved_by")
            .annotate(count=Count("payments"), total_fen=Sum("payments__amount_fen")))


def subsidy_list_get(user, pk: int) -> SubsidyList:
    found = subsidy_lists_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("no such list")
    return found


def payments_of(user, subsidy_list: SubsidyList) -> QuerySet:
    return (SubsidyPayment.objects.visible_to(user).filter(subsidy_list=subsidy_list)
            .select_related("member", "household__region"))


def payment_get(user, pk: int) -> SubsidyPayment:
    found = (SubsidyPayment.objects.visible_to(user).filter(subsidy_list__in=SubsidyList.objects.visible_to(user), pk=pk)
             .select_related("member", "subsidy_list").first())
    if found is None:
        raise Http404("no such payment")
    return found
