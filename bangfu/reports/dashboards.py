"""The dashboards (驾驶舱) of a township office, a county and a province: the headline figures of
every declared indicator for an area and a period, each beside the period before; the same figures
for each region one level down; the trends of the last 12 periods; and the charts' rows (shown by
ECharts, downloadable as Excel). Every read goes through queries (the reader's area) or is checked
by `region_check` first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from bangfu.core.codes import VILLAGE_LENGTH
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role, can, require
from bangfu.core.plugins import declared
from bangfu.regions.models import Region
from bangfu.reports import queries, registry
from bangfu.reports.models import Figure, PeriodKind, RefreshState
from bangfu.reports.periods import period_before, period_end, period_start

DEFAULT_KIND = PeriodKind.MONTH
TREND_COUNT = 12
# The permission of a list page whose menu entry is not the page's own gate (the menu entry of the
# daily checks is the volunteer's; the page itself is open to everyone who sees the checks).
LIST_PERMISSIONS = {"emergencies:checks": "check.view"}


@dataclass
class Tile:
    key: str
    label: str
    unit: str
    value: int | float | None
    previous: int | float | None
    ratio: bool = False
    money: bool = False
    href: str = ""

    @property
    def shown(self) -> str:
        return number_text(self.value, money=self.money, ratio=self.ratio)

    @property
    def previous_shown(self) -> str:
        return number_text(self.previous, money=self.money, ratio=self.ratio)

    @property
    def change(self) -> int | float | None:
        if self.value is None or self.previous is None:
            return None
        difference = self.value - self.previous
        return round(difference, 1) if isinstance(difference, float) else difference

    @property
    def change_shown(self) -> str:
        change = self.change
        if change is None:
            return "—"
        text = number_text(abs(change), money=self.money, ratio=False)
        suffix = _("pts") if self.ratio else ""
        return ("+" if change > 0 else "−" if change < 0 else "±") + text + suffix

    @property
    def direction(self) -> str:
        change = self.change
        return "" if not change else ("up" if change > 0 else "down")


@dataclass
class Group:
    app: str
    label: str
    tiles: list[Tile] = field(default_factory=list)


@dataclass
class Chart:
    """One chart's rows: a category (a period, a region) and one value per series."""

    id: str
    title: str
    kind: str  # "line" or "bar"
    category_label: str
    categories: list[str]
    series: list[tuple[str, list[int | float | None]]]

    def as_data(self) -> dict:
        return {"id": self.id, "title": self.title, "kind": self.kind, "categories": self.categories,
                "series": [{"name": name, "values": values} for name, values in self.series]}

    def rows(self) -> list[list]:
        """The header, then one row per category (the Excel download)."""
        header = [self.category_label, *[name for name, _values in self.series]]
        return [header, *[[category, *[values[i] for _name, values in self.series]]
                          for i, category in enumerate(self.categories)]]


@dataclass
class ChildRow:
    code: str
    name: str
    href: str
    cells: list[str]


@dataclass
class Dashboard:
    region: Region
    kind: str
    start: dt.date
    end: dt.date
    previous_start: dt.date
    as_of: str
    groups: list[Group]
    columns: list[Tile]  # the breakdown's columns (labels and units)
    children: list[ChildRow]
    child_label: str
    charts: list[Chart]
    crumbs: list[tuple[str, str]]  # (code, name) from the reader's own area down to this one


def number_text(value, *, money: bool = False, ratio: bool = False) -> str:
    """A figure as shown: "—" for none, a percentage with one decimal, money (fen) in yuan."""
    if value is None:
        return "—"
    if ratio:
        return f"{value:.1f}%"
    if money:
        yuan = value / 100
        return f"{yuan:,.0f}" if value % 100 == 0 else f"{yuan:,.2f}"
    return f"{value:,}"


def chart_value(value, *, money: bool = False):
    return None if value is None else (round(value / 100, 2) if money else value)


def list_permission(url_name: str) -> str | None:
    """The permission that opens the list page `url_name` (its menu entry's), None when unknown."""
    if url_name in LIST_PERMISSIONS:
        return LIST_PERMISSIONS[url_name]
    return next((item.permission for item in declared("nav") if item.url_name == url_name), None)


def list_link(user, url_name: str, region: str) -> str:
    """The list behind a number, for `region`, when the user may open that list; else ""."""
    permission = list_permission(url_name) if url_name else None
    if permission is None or not can(user, permission):
        return ""
    try:
        return f"{reverse(url_name)}?{urlencode({'region': region})}"
    except NoReverseMatch:
        return ""


def dashboard_region(user, region: str | None) -> str:
    """The region shown: the one asked for, else the user's own area (an administrator's: the first
    province)."""
    if region:
        return region
    if user.role != Role.ADMIN:
        return user.scope
    first = Region.objects.filter(level="province").order_by("code").values_list("code", flat=True).first()
    return first or ""


def _app_label(app: str) -> str:
    try:
        return str(apps.get_app_config(app).verbose_name)
    except LookupError:
        return app


def _ordered_items() -> list[tuple[str, object, bool]]:
    """(key, indicator or ratio, is ratio) in dashboard order: by app (the first indicator's order),
    then by order within the app."""
    items = [(key, item, False) for key, item in registry.indicators().items()]
    items += [(key, item, True) for key, item in registry.ratios().items()]
    first: dict[str, int] = {}
    for key, item, _ratio in items:
        app = key.split(".", 1)[0]
        first[app] = min(first.get(app, item.order), item.order)
    return sorted(items, key=lambda entry: (first[entry[0].split(".", 1)[0]], entry[1].order))


def _series(*, region: str, kind: str, starts: list[dt.date]) -> tuple[dict[tuple[dt.date, str], int],
                                                                      dt.datetime | None]:
    """Every indicator's value of `region` at each period start, and the latest time one was
    computed: one read (the region is checked by the caller)."""
    values: dict[tuple[dt.date, str], int] = {}
    latest = None
    for start, indicator, value, at in (Figure.objects.filter(region=region, kind=kind, start__in=starts)
                                        .values_list("start", "indicator", "value", "computed_at")):
        values[(start, indicator)] = value
        latest = at if latest is None or at > latest else latest
    return values, latest


def _figure_set(values: dict, start: dt.date, computed_at) -> queries.FigureSet:
    """The figures of one period out of the trend's read, as queries.figures_for gives them: every
    indicator (0 where missing), every ratio as a percentage with one decimal (None over 0)."""
    result = {key: values.get((start, key), 0) for key in registry.indicators()}
    for key, ratio in registry.ratios().items():
        result[key] = _value_at(values, start, key, ratio)
    return queries.FigureSet(result, computed_at=computed_at)


def _value_at(values: dict, start: dt.date, key: str, ratio) -> int | float | None:
    if ratio is None:
        return values.get((start, key), 0)
    denominator = values.get((start, ratio.denominator), 0)
    return round(100 * values.get((start, ratio.numerator), 0) / denominator, 1) if denominator else None


def period_label(kind: str, start: dt.date) -> str:
    if kind == PeriodKind.YEAR:
        return f"{start.year}"
    if kind == PeriodKind.MONTH:
        return f"{start.year}-{start.month:02d}"
    return start.isoformat()


def dashboard_read(*, user, region: str | None = None, kind: str = DEFAULT_KIND,
                   day: dt.date | None = None) -> Dashboard:
    """The dashboard of `region` (the user's own area by default) for the period of `kind` that
    contains `day` (today by default). PermissionDenied without `dashboard.view`; 404 for a region
    outside the user's area."""
    require(user, "dashboard.view")
    code = dashboard_region(user, region)
    found = queries.region_check(user, code)
    day = day or local_today()
    kind = kind if kind in PeriodKind.values else DEFAULT_KIND
    start = period_start(kind, day)
    previous_start = period_before(kind, start)
    # The trend's one read holds this period and the one before: the headline numbers come from it.
    starts = [start]
    while len(starts) < TREND_COUNT:
        starts.append(period_before(kind, starts[-1]))
    starts.reverse()
    values, computed = _series(region=code, kind=kind, starts=starts)
    refreshed = RefreshState.objects.filter(pk=1).values_list("as_of", flat=True).first()
    computed = max((at for at in (computed, refreshed) if at is not None), default=None)
    now = _figure_set(values, start, computed)
    before = _figure_set(values, previous_start, computed)
    children = queries.figures_by_child(user=user, region=code, kind=kind, start=start)

    items = _ordered_items()
    groups: dict[str, Group] = {}
    columns: list[Tile] = []
    for key, item, is_ratio in items:
        app = key.split(".", 1)[0]
        group = groups.setdefault(app, Group(app=app, label=_app_label(app)))
        money = bool(getattr(item, "money", False))
        tile = Tile(key=key, label=str(item.label), unit="%" if is_ratio else str(getattr(item, "unit", "")),
                    value=now[key], previous=before[key], ratio=is_ratio, money=money,
                    href="" if is_ratio else list_link(user, item.list_url, code))
        group.tiles.append(tile)
        columns.append(tile)

    rows = []
    page = reverse("reports:dashboard")
    for child in children:
        query = urlencode({"region": child.code, "period": kind, "day": start.isoformat()})
        href = f"{page}?{query}" if len(child.code) < VILLAGE_LENGTH else ""
        rows.append(ChildRow(code=child.code, name=child.name, href=href,
                             cells=[number_text(child.figures[tile.key], money=tile.money, ratio=tile.ratio)
                                    for tile in columns]))

    ratios = registry.ratios()
    charts = []
    for group in groups.values():
        counted = [tile for tile in group.tiles if not tile.ratio]
        if counted:
            charts.append(Chart(
                id=f"trend-{group.app}", title=_("%(group)s: the last %(count)s periods") % {
                    "group": group.label, "count": TREND_COUNT},
                kind="line", category_label=_("Period"), categories=[period_label(kind, s) for s in starts],
                series=[(tile.label, [chart_value(_value_at(values, s, tile.key, None), money=tile.money)
                                      for s in starts]) for tile in counted]))
        rated = [tile for tile in group.tiles if tile.ratio]
        if rated:
            charts.append(Chart(
                id=f"rate-{group.app}", title=_("%(group)s: rates (%%)") % {"group": group.label},
                kind="line", category_label=_("Period"), categories=[period_label(kind, s) for s in starts],
                series=[(tile.label, [_value_at(values, s, tile.key, ratios[tile.key]) for s in starts])
                        for tile in rated]))
    if children:
        shown = [tile for tile in columns if not tile.ratio][:3]
        charts.insert(0, Chart(
            id="children", title=_("By %(level)s") % {"level": _child_label(code)}, kind="bar",
            category_label=_child_label(code), categories=[child.name for child in children],
            series=[(tile.label, [chart_value(child.figures[tile.key], money=tile.money) for child in children])
                    for tile in shown]))

    return Dashboard(region=found, kind=kind, start=start, end=period_end(kind, start),
                     previous_start=previous_start, as_of=queries.as_of_label(now.computed_at),
                     groups=list(groups.values()), columns=columns, children=rows,
                     child_label=_child_label(code), charts=charts, crumbs=_crumbs(user, found))


def _child_label(code: str) -> str:
    return {2: _("city"), 4: _("county"), 6: _("township"), 9: _("village")}.get(len(code), _("region"))


def _crumbs(user, region: Region) -> list[tuple[str, str]]:
    """From the reader's own area (everything for an administrator) down to `region`."""
    scope = "" if user.role == Role.ADMIN else user.scope
    codes = [region.code[:length] for length in (2, 4, 6, 9, 12)
             if length <= len(region.code) and len(region.code[:length]) >= max(len(scope), 2)]
    names = ({region.code: region.name} if codes == [region.code]
             else dict(Region.objects.filter(code__in=codes).values_list("code", "name")))
    return [(code, names[code]) for code in codes if code in names]


def dashboard_chart(*, user, region: str | None = None, kind: str = DEFAULT_KIND, day: dt.date | None = None,
                    chart: str) -> Chart | None:
    """One chart of the dashboard (its rows for the Excel download), None when it has no such chart."""
    board = dashboard_read(user=user, region=region, kind=kind, day=day)
    return next((item for item in board.charts if item.id == chart), None)
