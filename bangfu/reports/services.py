"""Building the summary tables: the full rebuild, and the incremental refresh of the villages that
history says have changed.

Roll-up by code prefixes, not a region-ancestor table: a division code holds its ancestors' codes
as its prefixes (township = first 9 digits, county 6, city 4, province 2; core.codes), so the
figures of every region one level up are one grouped read of the level below (SUM grouped by the
code's prefix), over an index on (period, level, region). An ancestor table would have to be kept
in step with the division tree (local villages added by townships) for no gain in reads.

Dirty marking reuses history's signal: every recorded change inserts a history.AreaChange row for
its village (history.services.areas_touch), and `area_changes_fold` folds an area's rows into one
with the same sum (deleting rows and inserting one with a new id). The refresh keeps a watermark
over AreaChange ids to find the areas with rows it has not read, and the version (sum of counts)
of each area when it last took its changes in (AreaVersion): an area whose rows were only folded
has the same sum and is left alone; one whose sum grew is dirty. An area code shorter than a
village (a township's stock move, a distribution) makes every village under it dirty.

AreaChange does not say which day a change belongs to, so a dirty village has the periods that
contain today recomputed and the ones before each (yesterday, last week, last month; the year
only while it runs): a change backdated further (a contact entered for a day two months ago) shows
in the nightly full rebuild (`figures_rebuild_task`), which recomputes the periods of today and
the ones before for every village. A stock indicator is the state now: it is computed only for periods that have not
ended, and a period that has ended keeps the stock it had when last computed.

A refresh runs a number of statements that does not grow with the periods (see _periods_compute):
one or two reads per indicator, one delete and one insert of the villages' figures, three
statements per level above; the rows it reads grow with the dirty villages."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from bangfu.core import bulk
from bangfu.core.codes import CODE_LENGTHS, VILLAGE_LENGTH, Level, prefix_q
from bangfu.core.dates import local_today
from bangfu.core.figures import STOCK
from bangfu.core.villagecounts import villages_q
from bangfu.history.models import AreaChange
from bangfu.regions.models import Region
from bangfu.reports import registry
from bangfu.reports.models import AreaVersion, Figure, PeriodKind, RefreshState
from bangfu.reports.periods import period_start, periods_of

# The levels above a village, lowest first: each is rolled up from the one below it.
UPPER_LENGTHS = [CODE_LENGTHS[level] for level in (Level.TOWNSHIP, Level.COUNTY, Level.CITY, Level.PROVINCE)]
CHUNK = 400
# A region with more villages than this is rebuilt by reading every village and keeping its own.
MANY_VILLAGES = 2000


@dataclass
class Rebuilt:
    villages: int  # how many villages were recomputed (0 for none; -1 for every village)
    periods: int
    rows: int
    as_of: dt.datetime | None


def villages_under(code: str) -> list[str]:
    """The villages of the division tree under (or at) a region code."""
    if len(code) >= VILLAGE_LENGTH:
        return [code[:VILLAGE_LENGTH]]
    return list(Region.objects.filter(prefix_q("code", code), level=Level.VILLAGE)
                .order_by("code").values_list("code", flat=True))


@transaction.atomic
def figures_rebuild(*, region: str | None = None, day: dt.date | None = None, previous: bool = False) -> Rebuilt:
    """Recompute every indicator for the periods containing `day` (today by default; with
    `previous`, the periods before each too), for the villages under `region` (every village
    without), and roll them up to every region above. A rebuild of everything also takes in every
    change recorded so far (the incremental refresh starts from there)."""
    started = timezone.now()
    state = _state_locked()
    if not region:
        top, versions = _versions_now()
    villages: list[str] | None = None if not region else villages_under(region)
    rows = _periods_compute(villages=villages, periods=periods_of(day or local_today(started), previous=previous),
                            region=region or "", at=started)
    if not region:
        AreaVersion.objects.all().delete()
        AreaVersion.objects.bulk_create([AreaVersion(region_code=code, version=version)
                                         for code, version in versions.items()], batch_size=2000)
        state.watermark = max(state.watermark, top)
    state.as_of = started if not region else state.as_of
    state.save()
    return Rebuilt(villages=-1 if villages is None else len(villages), periods=len(periods_of(day or local_today(started),
                   previous=previous)), rows=rows, as_of=started)


@transaction.atomic
def figures_refresh() -> Rebuilt:
    """The incremental refresh: the villages with changes recorded since the last refresh have
    their periods (today's and the ones before) recomputed and their regions above re-rolled."""
    started = timezone.now()
    state = _state_locked()
    top = AreaChange.objects.aggregate(top=Max("pk"))["top"] or 0
    candidates = sorted(set(AreaChange.objects.filter(pk__gt=state.watermark, pk__lte=top)
                            .values_list("region_code", flat=True).distinct()))
    dirty: dict[str, int] = {}
    for i in range(0, len(candidates), 1000):
        chunk = candidates[i:i + 1000]
        sums = dict(AreaChange.objects.filter(region_code__in=chunk).values("region_code")
                    .annotate(total=Sum("count")).values_list("region_code", "total"))
        known = dict(AreaVersion.objects.filter(region_code__in=chunk).values_list("region_code", "version"))
        dirty.update({code: total for code, total in sums.items() if known.get(code) != total})
    villages = sorted({village for code in dirty if code for village in villages_under(code)})
    rows = 0
    periods = [period for period in periods_of(local_today(started), previous=True)
               if period[0] != PeriodKind.YEAR or period[1] == period_start(PeriodKind.YEAR, local_today(started))]
    if villages:
        rows = _periods_compute(villages=villages, periods=periods, region="", at=started)
    if dirty:
        AreaVersion.objects.filter(region_code__in=list(dirty)).delete()
        AreaVersion.objects.bulk_create([AreaVersion(region_code=code, version=version)
                                         for code, version in dirty.items()], batch_size=2000)
    state.watermark = max(state.watermark, top)
    state.as_of = started
    state.save()
    return Rebuilt(villages=len(villages), periods=len(periods) if villages else 0, rows=rows, as_of=started)


def _state_locked() -> RefreshState:
    """The one state row, locked until the transaction ends: refreshes and rebuilds run one at a time."""
    RefreshState.objects.get_or_create(pk=1)
    return RefreshState.objects.select_for_update().get(pk=1)


def _versions_now() -> tuple[int, dict[str, int]]:
    top = AreaChange.objects.aggregate(top=Max("pk"))["top"] or 0
    versions = dict(AreaChange.objects.values("region_code").annotate(total=Sum("count"))
                    .values_list("region_code", "total"))
    return top, versions


def _periods_compute(*, villages: list[str] | None, periods, region: str, at: dt.datetime) -> int:
    """Every indicator for `villages` (None: all) in every period, then the regions above them, in
    few statements whatever the number of periods: a stock is the state now, computed once and
    stored in every period that has not ended; a flow with a by-day variant (registry.by_day) is
    read once over the days of all the periods and summed into each in Python; the stale figures
    go in one delete per chunk of villages, the new ones in one bulk insert, and each level above
    is one grouped read of the level below for every period at once."""
    today = local_today(at)
    wide = villages is not None and _wide(villages, region)
    if wide and not region:
        # Every village is computed anyway: store them all (exact), without hundreds of code ranges.
        villages, wide = None, False
    plan = []  # (kind, start, end, keys)
    for kind, start, end in periods:
        keys = [indicator.key for indicator in registry.indicators().values()
                if indicator.kind != STOCK or end >= today]
        if keys:
            plan.append((kind, start, end, keys))
    if not plan:
        return 0
    rows = _villages_write(villages=villages, wide=wide, region=region, plan=plan, at=at)
    return rows + _ancestors_write(villages=villages, plan=plan, at=at)


def _plan_q(plan) -> Q:
    """The figures of the planned periods and their indicators."""
    return functools.reduce(operator.or_, (Q(kind=kind, start=start, indicator__in=keys)
                                           for kind, start, _end, keys in plan))


def _wide(villages: list[str], region: str) -> bool:
    """Whether to compute every village and keep `villages` rather than read them as code ranges:
    for a region with very many villages, or a refresh of more than a quarter of the villages the
    store holds (one grouped scan is then cheaper than hundreds of ranges)."""
    if len(villages) > MANY_VILLAGES:
        return True
    if region:
        return False
    known = Figure.objects.filter(kind=PeriodKind.YEAR, start=period_start(PeriodKind.YEAR, local_today()),
                                  level=VILLAGE_LENGTH).values("region").distinct().count()
    return len(villages) * 4 > known


def _villages_write(*, villages: list[str] | None, wide: bool, region: str, plan, at: dt.datetime) -> int:
    if villages is not None and not villages:
        return 0
    table = registry.indicators()
    stale = Figure.objects.filter(_plan_q(plan), level=VILLAGE_LENGTH)
    if villages is None:
        stale.delete()
    elif wide and region:
        stale.filter(prefix_q("region", region)).delete()
    else:
        for i in range(0, len(villages), CHUNK):
            stale.filter(villages_q("region", villages[i:i + CHUNK])).delete()
    wanted = set(villages) if villages is not None else None
    among = None if villages is None or wide else villages
    stocks: dict[str, dict[str, int]] = {}
    days: dict[str, dict[tuple[str, dt.date], int]] = {}
    first, last = min(start for _k, start, _e, _keys in plan), max(end for _k, _s, end, _keys in plan)
    batch: list[tuple] = []
    for kind, start, end, keys in plan:
        for key in keys:
            indicator = table[key]
            if indicator.kind == STOCK:
                if key not in stocks:
                    stocks[key] = registry.compute_function(indicator)(villages=among, start=start, end=end)
                values = stocks[key]
            elif (by_day := registry.by_day(indicator)) is not None and among is not None:
                # Per day only for a list of villages: every village's every day would be too many rows.
                if key not in days:
                    days[key] = by_day(villages=among, start=first, end=last)
                values = defaultdict(int)
                for (code, day), value in days[key].items():
                    if start <= day <= end:
                        values[code] += value
            else:
                values = registry.compute_function(indicator)(villages=among, start=start, end=end)
            batch.extend((kind, start, code, VILLAGE_LENGTH, key, int(value), at) for code, value in values.items()
                         if value and (wanted is None or code in wanted))
    # One insert for every period's rows (a village has a few hundred; every village, some hundred thousand).
    bulk.insert_rows(Figure, ("kind", "start", "region", "level", "indicator", "value", "computed_at"), batch)
    return len(batch)


def _ancestors_write(*, villages: list[str] | None, plan, at: dt.datetime) -> int:
    """Each level above the villages, lowest first, from one grouped read of the level below over
    every period (restricted to the ancestors of `villages` when given)."""
    rows = 0
    below = VILLAGE_LENGTH
    where = _plan_q(plan)
    for length in UPPER_LENGTHS:
        parents: Sequence[str] | None = None if villages is None else sorted({code[:length] for code in villages})
        chunks = [None] if parents is None else [parents[i:i + CHUNK] for i in range(0, len(parents), CHUNK)]
        for chunk in chunks:
            scope = Q() if chunk is None else villages_q("region", chunk)
            Figure.objects.filter(where, scope, level=length).delete()
            sums = (Figure.objects.filter(where, scope, level=below)
                    .annotate(parent=Substr("region", 1, length)).order_by()
                    .values("kind", "start", "parent", "indicator")
                    .annotate(total=Sum("value")).values_list("kind", "start", "parent", "indicator", "total"))
            batch = [(kind, start, parent, length, key, int(total), at) for kind, start, parent, key, total in sums
                     if total]
            bulk.insert_rows(Figure, ("kind", "start", "region", "level", "indicator", "value", "computed_at"), batch)
            rows += len(batch)
        below = length
    return rows
