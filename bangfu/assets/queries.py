"""Every read of the asset register, starting at the scope door (Asset.objects.visible_to)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bangfu.assets import defaults, services
from bangfu.assets.models import (
    COST_CATEGORIES,
    Asset,
    AssetSetting,
    DistributionPlan,
    Finding,
    IncomeEntry,
    Inspection,
    Photo,
    Share,
)
from bangfu.core.codes import COUNTY_LENGTH, prefix_q
from bangfu.regions.models import Region


def assets_list(user, *, asset_class: str = "", kind: str = "", village: str = "", keeper: str = ""):
    rows = Asset.objects.visible_to(user).select_related("village", "inspector")
    if asset_class:
        rows = rows.filter(asset_class=asset_class)
    if kind:
        rows = rows.filter(kind=kind)
    if village:
        rows = rows.filter(prefix_q("region_code", village))
    if keeper:
        rows = rows.filter(keeper__icontains=keeper)
    return rows.annotate(last_inspected=Max("inspections__day"),
                         open_fixes=Count("findings", filter=Q(findings__fixed_on__isnull=True), distinct=True)) \
        .order_by("region_code", "kind", "name", "pk")


def asset_get(user, pk: int) -> Asset:
    return get_object_or_404(Asset.objects.visible_to(user).select_related("village", "inspector", "project",
                                                                           "household", "created_by"), pk=pk)


def villages_for(user) -> list[Region]:
    from bangfu.core.codes import Level
    from bangfu.core.permissions import Role

    rows = Region.objects.filter(level=Level.VILLAGE)
    if user.role != Role.ADMIN:
        if not user.region_id:
            return []
        rows = rows.filter(prefix_q("code", user.region_id))
    return list(rows.order_by("code").only("code", "name"))


def settings_by_county(codes) -> dict[str, AssetSetting]:
    counties = {code[:COUNTY_LENGTH] for code in codes}
    return {s.county_id: s for s in AssetSetting.objects.filter(county_id__in=counties)}


@dataclass
class Due:
    asset: Asset
    last: dt.date | None
    due: dt.date

    def overdue(self, today: dt.date) -> bool:
        return self.due < today


def due_of(asset: Asset, last: dt.date | None, setting: AssetSetting | None) -> dt.date:
    start = last or timezone.localtime(asset.created_at).date()  # a Shanghai day
    if last is None:
        return start  # never inspected: due now
    return start + dt.timedelta(days=services.interval_days(asset.kind, asset.region_code, setting=setting))


def inspections_due(assets, *, today: dt.date) -> list[Due]:
    """The assets whose next inspection falls today or earlier (the interval of their kind after the
    last one; never inspected: due at once), the longest overdue first."""
    rows = list(assets.annotate(last=Max("inspections__day")))
    settings = settings_by_county([a.region_code for a in rows])
    due = []
    for asset in rows:
        when = due_of(asset, asset.last, settings.get(asset.region_code[:COUNTY_LENGTH]))
        if when <= today:
            due.append(Due(asset=asset, last=asset.last, due=when))
    return sorted(due, key=lambda d: (d.due, d.asset.pk))


def asset_due(asset: Asset) -> dt.date:
    last = asset.inspections.aggregate(last=Max("day"))["last"]
    return due_of(asset, last, services.setting_for(asset.region_code))


def inspections_of(asset: Asset, limit: int = 24):
    return list(asset.inspections.select_related("inspector").prefetch_related("photos", "findings")[:limit])


def findings_open(asset: Asset):
    return list(asset.findings.filter(fixed_on__isnull=True).select_related("inspection").order_by("fix_by", "pk"))


def findings_for(user, *, open_only: bool = True):
    rows = Finding.objects.filter(asset__in=Asset.objects.visible_to(user)).select_related("asset", "inspection")
    if open_only:
        rows = rows.filter(fixed_on__isnull=True)
    return rows.order_by("fix_by", "pk")


def finding_get(user, pk: int) -> Finding:
    return get_object_or_404(Finding.objects.filter(asset__in=Asset.objects.visible_to(user))
                             .select_related("inspection", "asset"), pk=pk)


def photo_get(user, pk: int) -> Photo:
    """A photo whose asset is in the user's area; a 404 otherwise."""
    return get_object_or_404(Photo.objects.filter(inspection__asset__in=Asset.objects.visible_to(user)), pk=pk)


def checklist_rows(asset: Asset, inspection: Inspection) -> list[tuple[str, str, object]]:
    return [(str(label), type_, inspection.checklist.get(key))
            for key, label, type_ in defaults.CHECKLISTS.get(asset.kind, defaults.CHECKLISTS["other"])]


@dataclass
class MonthRow:
    month: dt.date
    income: int
    costs: int

    @property
    def net(self) -> int:
        return self.income - self.costs


def income_months(asset: Asset, year: int) -> list[MonthRow]:
    by_month: dict[dt.date, MonthRow] = {}
    for entry in IncomeEntry.objects.filter(asset=asset, month__year=year).values("month", "category") \
            .annotate(total=Sum("amount_fen")):
        row = by_month.setdefault(entry["month"], MonthRow(entry["month"], 0, 0))
        if entry["category"] in COST_CATEGORIES:
            row.costs += entry["total"]
        else:
            row.income += entry["total"]
    return [by_month[m] for m in sorted(by_month)]


def income_entries(asset: Asset, limit: int = 200):
    return list(asset.income.select_related("recorded_by")[:limit])


@dataclass
class ShareRow:
    share: str
    label: str
    percent: int
    amount: int
    paid: int

    @property
    def left(self) -> int:
        return max(self.amount - self.paid, 0)


def plan_shares(plan: DistributionPlan) -> tuple[services.YearMoney, list[ShareRow]]:
    money = services.year_money(plan.asset, plan.year)
    paid = services.share_paid(plan)
    return money, [ShareRow(s.value, str(s.label), plan.percent(s.value),
                            money.distributable * plan.percent(s.value) // 100, paid[s.value]) for s in Share]


def plan_get(user, pk: int) -> DistributionPlan:
    return get_object_or_404(DistributionPlan.objects.filter(asset__in=Asset.objects.visible_to(user))
                             .select_related("asset", "asset__village", "approved_by"), pk=pk)
