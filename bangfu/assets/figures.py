"""The assets' figures for the summary tables (core.figures): {village code: value}."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from django.db.models import Count, Max, Sum
from django.utils import timezone

from bangfu.assets import defaults
from bangfu.assets.models import (
    COST_CATEGORIES,
    Asset,
    AssetClass,
    AssetSetting,
    Finding,
    IncomeEntry,
    Inspection,
    Payout,
)
from bangfu.core.codes import COUNTY_LENGTH
from bangfu.core.dates import local_today


def _within(rows, villages: Sequence[str] | None, field: str = "region_code"):
    return rows if villages is None else rows.filter(**{f"{field}__in": list(villages)})


def _by_village(rows, field: str, value) -> dict[str, int]:
    return {r[field]: r["v"] for r in rows.values(field).annotate(v=value).order_by() if r["v"]}


def assets_count(*, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    return _by_village(_within(Asset.objects.all(), villages), "region_code", Count("pk"))


def assets_value(*, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    return _by_village(_within(Asset.objects.all(), villages), "region_code", Sum("value_fen"))


def _class_count(asset_class: str, villages) -> dict[str, int]:
    return _by_village(_within(Asset.objects.filter(asset_class=asset_class), villages), "region_code", Count("pk"))


def assets_operating(*, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    return _class_count(AssetClass.OPERATING, villages)


def assets_public(*, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    return _class_count(AssetClass.PUBLIC, villages)


def assets_household(*, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    return _class_count(AssetClass.HOUSEHOLD, villages)


def inspections_done(*, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = _within(Inspection.objects.filter(day__gte=start, day__lte=end), villages, "asset__region_code")
    return _by_village(rows, "asset__region_code", Count("pk"))


def inspections_overdue(*, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    """Assets whose next inspection (the interval of their kind after the last) is before today."""
    today = min(end, local_today())
    settings = {s.county_id: s.intervals or {} for s in AssetSetting.objects.all()}
    counts: Counter[str] = Counter()
    for asset in _within(Asset.objects.all(), villages).annotate(last=Max("inspections__day")) \
            .values("region_code", "kind", "last", "created_at"):
        intervals = settings.get(asset["region_code"][:COUNTY_LENGTH], {})
        days = int(intervals.get(asset["kind"], defaults.INTERVAL_DAYS.get(asset["kind"], 180)))
        due = (asset["last"] + dt.timedelta(days=days) if asset["last"]
               else timezone.localtime(asset["created_at"]).date())
        if due < today:
            counts[asset["region_code"]] += 1
    return dict(counts)


def fixes_open(*, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    return _by_village(_within(Finding.objects.filter(fixed_on__isnull=True), villages), "region_code", Count("pk"))


def fixes_overdue(*, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    today = min(end, local_today())
    rows = Finding.objects.filter(fixed_on__isnull=True, fix_by__lt=today)
    return _by_village(_within(rows, villages), "region_code", Count("pk"))


def income(*, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = IncomeEntry.objects.filter(month__gte=start.replace(day=1), month__lte=end).exclude(
        category__in=COST_CATEGORIES)
    return _by_village(_within(rows, villages, "asset__region_code"), "asset__region_code", Sum("amount_fen"))


def distributed(*, villages, start: dt.date, end: dt.date) -> dict[str, int]:
    rows = Payout.objects.filter(day__gte=start, day__lte=end)
    return _by_village(_within(rows, villages, "plan__asset__region_code"), "plan__asset__region_code",
                       Sum("amount_fen"))
