"""The figures a briefing is filled with, and the placeholders its template may name.

A placeholder is `{key}`: an indicator or ratio that an app declares (core.figures, read through
core.plugins), one of the keys the default template expects (CATALOGUE: named there before every
app declares its own), or a fact of the briefing itself (AREA_KEYS: the area's name, the period).
A placeholder whose indicator is not declared yet, or that has no figure for the area and period,
is written as GAP: the reader sees that a number is missing, never a silent 0.

The figures are read by one function, `figures_read(user=, region=, start=, end=)`, which gives
{key: value} and the time they are current to. A period that is a whole day, week (Monday to
Sunday), month or year is read from the reports app's summary tables (`reports.queries.figures_for`:
the same numbers as the dashboards, "数据截至 HH:MM"); any other span is computed from the declared
indicators' own functions for the area's villages (each a sum over villages, core.figures)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from django.utils import timezone
from django.utils.module_loading import import_string

from bangfu.core.codes import Level, prefix_q
from bangfu.core.figures import Indicator, Ratio
from bangfu.core.plugins import declared
from bangfu.regions.models import Region
from bangfu.reports.models import PeriodKind
from bangfu.reports.periods import period_end, period_start
from bangfu.reports.queries import figures_for

GAP = "（暂无数据）"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
AREA_KEYS = {"area": "地区名称", "start": "起始日期", "end": "截止日期", "year": "年份"}

# The indicators the default template names, with what they count: the keys the apps declare or
# are expected to declare. A key here that no app declares yet is written as GAP.
CATALOGUE = {
    "households.total": "农户数（户）",
    "households.persons": "人数（人）",
    "households.category.registered_poor": "脱贫户（户）",
    "households.monitored": "监测户（户）",
    "casework.contacts": "走访联系（次）",
    "casework.contacted": "走访户数（户）",
    "casework.coverage": "走访覆盖率",
    "casework.assessed": "“两不愁三保障”核查户数（户）",
    "casework.four_met": "“两不愁三保障”全部达标户数（户）",
    "needs.reported": "新登记困难诉求（件）",
    "needs.resolved": "办结困难诉求（件）",
    "needs.open": "未办结困难诉求（件）",
    "needs.overdue": "超期未办结诉求（件）",
    "emergency.checks_done": "应急每日核查（户次）",
    "emergency.fevers": "发现发热（人）",
    "emergency.returnees": "返乡人员（人）",
    "work.migrant": "外出务工（人）",
    "work.returned": "返岗（人）",
    "work.postings_published": "发布岗位（条）",
    "work.welfare_filled": "公益性岗位在岗（人）",
    "work.pay_issued": "公益性岗位发放（元）",
    "projects.total": "项目（个）",
    "projects.building": "在建项目（个）",
    "projects.handed_over": "已移交项目（个）",
    "projects.allocated": "项目资金下达（元）",
    "projects.paid": "项目资金支出（元）",
    "projects.spending_rate": "项目资金支出率",
    "projects.overdue": "超期项目环节（个）",
    "assets.count": "扶贫资产（项）",
    "assets.income": "资产收益（元）",
    "fund.councils": "孝善理事会（个）",
    "fund.agreements": "赡养协议（份）",
    "fund.contributions": "收到赡养金（元）",
    "fund.payouts": "向老人发放（元）",
    "monitoring.leads.application": "监测线索：农户自主申报（条）",
    "monitoring.leads.cadre": "监测线索：干部排查（条）",
    "monitoring.leads.department": "监测线索：部门筛查预警（条）",
    "monitoring.identified": "新识别监测对象（户）",
    "monitoring.cleared": "风险消除（户）",
    "monitoring.leads_overdue": "超期未核实线索（条）",
}


@cache
def indicators() -> dict[str, Indicator]:
    return {indicator.key: indicator for indicator in declared("figure_indicators")}


@cache
def ratios() -> dict[str, Ratio]:
    return {ratio.key: ratio for ratio in declared("figure_ratios")}


def known_keys() -> dict[str, str]:
    """Every placeholder a template may name, with its label."""
    keys = dict(AREA_KEYS)
    keys.update(CATALOGUE)
    keys.update({key: str(i.label) for key, i in indicators().items()})
    keys.update({key: str(r.label) for key, r in ratios().items()})
    return keys


def unknown_placeholders(text: str) -> list[str]:
    """The placeholders of `text` that name nothing known (a typo, an indicator no app has)."""
    known = known_keys()
    return [name for name in PLACEHOLDER.findall(text) if name.strip() not in known]


@dataclass
class Figures:
    # indicator key -> value (money in fen); ratio key -> percentage (one decimal) or None
    values: dict[str, int | float | None] = field(default_factory=dict)
    as_of: dt.datetime | None = None
    stored: bool = False  # read from the summary tables (a whole period), not computed for the span


def stored_period(start: dt.date, end: dt.date) -> str | None:
    """The kind of the summary tables' period that is exactly [start, end], or None."""
    for kind in (PeriodKind.DAY, PeriodKind.WEEK, PeriodKind.MONTH, PeriodKind.YEAR):
        if period_start(kind, start) == start and period_end(kind, start) == end:
            return kind
    return None


def _villages(region: Region) -> list[str]:
    if region.level == Level.VILLAGE:
        return [region.code]
    return list(Region.objects.filter(prefix_q("code", region.code), level=Level.VILLAGE)
                .values_list("code", flat=True))


def figures_read(*, user, region: Region, start: dt.date, end: dt.date) -> Figures:
    """The figures of the area (within the user's scope: the caller has checked it) for the period."""
    kind = stored_period(start, end)
    if kind is not None:
        found = figures_for(user=user, region=region.code, kind=kind, start=start)
        return Figures(values=dict(found), as_of=found.computed_at, stored=True)
    villages = _villages(region)
    values: dict[str, int | float | None] = {}
    for key, indicator in indicators().items():
        by_village = import_string(indicator.compute)(villages=villages, start=start, end=end)
        values[key] = int(sum(by_village.values()))
    for key, ratio in ratios().items():
        numerator, denominator = values.get(ratio.numerator), values.get(ratio.denominator)
        values[key] = round(100 * numerator / denominator, 1) if numerator is not None and denominator else None
    return Figures(values=values, as_of=timezone.now())


def _number(value: int, *, money: bool) -> str:
    if money:
        return f"{value // 100:,}" if value % 100 == 0 else f"{value / 100:,.2f}"
    return str(value)


def value_text(key: str, figures: Figures) -> str | None:
    """A placeholder's text from the figures, or None (no such figure)."""
    value = figures.values.get(key)
    if value is None:
        return None
    if key in ratios():
        return f"{value:.1f}%"
    indicator = indicators().get(key)
    return _number(int(value), money=bool(indicator and indicator.money))


def fill(text: str, figures: Figures, area: dict[str, str]) -> str:
    """The template's text with each placeholder replaced: a figure, a fact of the briefing, or GAP."""
    def replace(match: re.Match) -> str:
        key = match.group(1).strip()
        if key in area:
            return area[key]
        value = value_text(key, figures)
        return GAP if value is None else value

    return PLACEHOLDER.sub(replace, text)
