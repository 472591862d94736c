"""Reading the summary tables, within the reader's area: a township office its township, a county
its county, an administrator everything; a village cadre and a caseworker their village. Every
answer carries the time its figures are current to (`computed_at`, shown as "数据截至 HH:MM")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.codes import CODE_LENGTHS, VILLAGE_LENGTH, Level, prefix_q
from bangfu.core.dates import SHANGHAI, local_today
from bangfu.core.permissions import Role, require
from bangfu.regions.models import Region
from bangfu.reports import registry
from bangfu.reports.models import Figure, PeriodKind, RefreshState
from bangfu.reports.periods import period_before, period_start

FIGURE_LEVELS = frozenset(CODE_LENGTHS[level] for level in
                          (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE))
SERIES_MAX = 60


class FigureSet(dict):
    """{indicator or ratio key: value} for one region and period: every declared indicator (0
    when no row), every ratio as a percentage with one decimal (None when its denominator is 0);
    `computed_at` the time the figures are current to (None before the first rebuild)."""

    def __init__(self, values=(), *, computed_at: dt.datetime | None = None):
        super().__init__(values)
        self.computed_at = computed_at

    @property
    def as_of(self) -> str:
        """"HH:MM" in Shanghai time ("" before the first rebuild)."""
        return as_of_text(self.computed_at)


@dataclass
class ChildFigures:
    code: str
    name: str
    figures: FigureSet


@dataclass
class Series:
    key: str
    kind: str
    points: list[tuple[dt.date, int | float | None]] = field(default_factory=list)  # oldest first
    computed_at: dt.datetime | None = None

    @property
    def as_of(self) -> str:
        return as_of_text(self.computed_at)


def as_of_text(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment, SHANGHAI).strftime("%H:%M") if moment else ""


def as_of_label(moment: dt.datetime | None) -> str:
    """"数据截至 HH:MM" (with the date when it is not today)."""
    if moment is None:
        return _("No figures yet")
    local = timezone.localtime(moment, SHANGHAI)
    if local.date() == local_today():
        return _("Data as of %(time)s") % {"time": local.strftime("%H:%M")}
    return _("Data as of %(time)s") % {"time": local.strftime("%Y-%m-%d %H:%M")}


def region_check(user, region: str) -> Region:
    """The region, if the user may read its figures: PermissionDenied without `figure.view`, a 404
    for a region outside the user's area (or no region at a level that has figures)."""
    require(user, "figure.view")
    code = region or ""
    if user.role != Role.ADMIN:
        scope = user.scope
        if not scope or not code.startswith(scope):
            raise Http404("no such region")
        if user.role in (Role.VILLAGE, Role.CASEWORKER) and len(scope) < VILLAGE_LENGTH:
            raise Http404("no such region")
    if len(code) not in FIGURE_LEVELS:
        raise Http404("no such region")
    found = Region.objects.filter(code=code).first()
    if found is None:
        raise Http404("no such region")
    return found


def _kind_check(kind: str) -> str:
    if kind not in PeriodKind.values:
        raise Http404("no such period")
    return kind


def _refreshed_at() -> dt.datetime | None:
    return RefreshState.objects.filter(pk=1).values_list("as_of", flat=True).first()


def _latest(*moments: dt.datetime | None) -> dt.datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def _complete(values: dict[str, int]) -> dict[str, int | float | None]:
    """Every indicator (0 where missing) and every ratio computed from them."""
    result: dict[str, int | float | None] = {key: values.get(key, 0) for key in registry.indicators()}
    for key, ratio in registry.ratios().items():
        denominator = result[ratio.denominator]
        result[key] = round(100 * result[ratio.numerator] / denominator, 1) if denominator else None
    return result


def figures_for(*, user, region: str, kind: str, start: dt.date) -> FigureSet:
    """One region's figures for the period of `kind` containing `start`: one indexed read."""
    region_check(user, region)
    kind = _kind_check(kind)
    start = period_start(kind, start)
    rows = Figure.objects.filter(region=region, kind=kind, start=start)
    values = dict(rows.values_list("indicator", "value"))
    computed = rows.aggregate(at=Max("computed_at"))["at"]
    return FigureSet(_complete(values), computed_at=_latest(computed, _refreshed_at()))


def figures_by_child(*, user, region: str, kind: str, start: dt.date) -> list[ChildFigures]:
    """The figures of each region one level below, in code order (villages for a township): one
    read of the figures and one of the names, whatever the number of children."""
    region_check(user, region)
    kind = _kind_check(kind)
    start = period_start(kind, start)
    children = list(Region.objects.filter(parent_id=region).exclude(level=Level.GROUP)
                    .order_by("code").values_list("code", "name"))
    if not children:
        return []
    level = len(children[0][0])
    by_code: dict[str, dict[str, int]] = {}
    latest = None
    for code, key, value, at in (Figure.objects.filter(prefix_q("region", region), kind=kind, start=start,
                                                       level=level)
                                 .values_list("region", "indicator", "value", "computed_at")):
        by_code.setdefault(code, {})[key] = value
        latest = _latest(latest, at)
    latest = _latest(latest, _refreshed_at())
    return [ChildFigures(code=code, name=name, figures=FigureSet(_complete(by_code.get(code, {})), computed_at=latest))
            for code, name in children]


def figures_series(*, user, region: str, key: str, kind: str, count: int, end: dt.date | None = None) -> Series:
    """A trend: `key`'s value (an indicator or a ratio) for the last `count` periods of `kind`,
    up to the one containing `end` (today by default), oldest first: one read."""
    region_check(user, region)
    kind = _kind_check(kind)
    ratio = registry.ratios().get(key)
    if key not in registry.indicators() and ratio is None:
        raise Http404("no such indicator")
    count = max(1, min(count, SERIES_MAX))
    starts = [period_start(kind, end or local_today())]
    while len(starts) < count:
        starts.append(period_before(kind, starts[-1]))
    starts.reverse()
    keys = [ratio.numerator, ratio.denominator] if ratio else [key]
    values: dict[tuple[dt.date, str], int] = {}
    latest = None
    for start, indicator, value, at in (Figure.objects.filter(region=region, kind=kind, start__in=starts,
                                                              indicator__in=keys)
                                        .values_list("start", "indicator", "value", "computed_at")):
        values[(start, indicator)] = value
        latest = _latest(latest, at)
    points: list[tuple[dt.date, int | float | None]] = []
    for start in starts:
        if ratio:
            denominator = values.get((start, ratio.denominator), 0)
            numerator = values.get((start, ratio.numerator), 0)
            points.append((start, round(100 * numerator / denominator, 1) if denominator else None))
        else:
            points.append((start, values.get((start, key), 0)))
    return Series(key=key, kind=kind, points=points, computed_at=_latest(latest, _refreshed_at()))
