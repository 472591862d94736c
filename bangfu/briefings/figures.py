"""The figures a briefing is filled with, and the placeholders its template may name.

A placeholder is `{key}`: an indicator or ratio that an app declares (core.figures, read through
core.plugins), one of the keys the default template expects (CATALOGUE: named there before every
app declares its own), or a fact of the briefing itself (AREA_KEYS: the area's name, the period).
A placeholder whose indicator is not declared yet, or that has no figure for the area and period,
is written as GAP: the reader sees that a number is missing, never a silent 0.

The figures are read by one function, `figures_read(user=, region=, start=, end=)`, which gives
{key: value} and the time they were computed. Here it computes them from the declared indicators'
own functions for the area's villages (each a sum over villages, core.figures); the summary tables
of the reports app hold the same numbers for whole days, weeks, months and years."""

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

GAP = "（暂无数据）"
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
AREA_KEYS = {"area": "地区名称", "start": "起始日期", "end": "截止日期", "year": "年份"}

# The indicators the default template names, with what they count: the keys the apps are expected
# to declare. A key here that no app declares yet is written as GAP.
CATALOGUE = {
    "households.count": "农户数（户）",
    "households.people": "人数（人）",
    "households.registered_poor": "脱贫户（户）",
    "households.monitored": "监测户（户）",
    "casework.contacts": "走访联系（次）",
    "casework.households_contacted": "走访户数（户）",
    "casework.coverage": "走访覆盖率",
    "casework.assessed": "“两不愁三保障”核查户数（户）",
    "casework.four_conditions_met": "“两不愁三保障”全部达标户数（户）",
    "needs.reported": "新登记困难诉求（件）",
    "needs.resolved": "办结困难诉求（件）",
    "needs.open": "未办结困难诉求（件）",
    "needs.overdue": "超期未办结诉求（件）",
    "emergency.checks_done": "应急每日核查（户次）",
    "emergency.fevers": "发现发热（人）",
    "emergency.returnees": "返乡人员（人）",
    "work.migrant_workers": "外出务工（人）",
    "work.returned": "返岗（人）",
    "work.postings": "发布岗位（条）",
    "work.welfare_posts": "公益性岗位在岗（人）",
    "work.welfare_paid": "公益性岗位发放（元）",
    "projects.count": "项目（个）",
    "projects.funds_spent": "项目资金支出（元）",
    "projects.overdue": "超期项目环节（个）",
    "assets.count": "扶贫资产（项）",
    "assets.income": "资产收益（元）",
    "fund.councils": "孝善理事会（个）",
    "fund.agreements": "赡养协议（份）",
    "fund.amount": "孝善基金（元）",
    "monitoring.leads": "监测线索（条）",
    "monitoring.identified": "新识别监测对象（户）",
    "monitoring.eliminated": "风险消除（户）",
    "monitoring.overdue": "超期未核实线索（条）",
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
    values: dict[str, int] = field(default_factory=dict)  # indicator key -> value (money in fen)
    as_of: dt.datetime | None = None


def _villages(region: Region) -> list[str]:
    if region.level == Level.VILLAGE:
        return [region.code]
    return list(Region.objects.filter(prefix_q("code", region.code), level=Level.VILLAGE)
                .values_list("code", flat=True))


def figures_read(*, region: Region, start: dt.date, end: dt.date) -> Figures:
    """The declared indicators' figures for the area (in the caller's scope) and the period."""
    villages = _villages(region)
    values: dict[str, int] = {}
    for key, indicator in indicators().items():
        by_village = import_string(indicator.compute)(villages=villages, start=start, end=end)
        values[key] = int(sum(by_village.values()))
    return Figures(values=values, as_of=timezone.now())


def _number(value: int, *, money: bool) -> str:
    if money:
        return f"{value // 100:,}" if value % 100 == 0 else f"{value / 100:,.2f}"
    return str(value)


def value_text(key: str, figures: Figures) -> str | None:
    """A placeholder's text from the figures, or None (no such figure)."""
    indicator = indicators().get(key)
    if indicator is not None and key in figures.values:
        return _number(figures.values[key], money=indicator.money)
    ratio = ratios().get(key)
    if ratio is not None:
        denominator = figures.values.get(ratio.denominator)
        numerator = figures.values.get(ratio.numerator)
        if numerator is None or not denominator:
            return None
        return f"{100 * numerator / denominator:.2f}%"
    return None


def fill(text: str, figures: Figures, area: dict[str, str]) -> str:
    """The template's text with each placeholder replaced: a figure, a fact of the briefing, or GAP."""
    def replace(match: re.Match) -> str:
        key = match.group(1).strip()
        if key in area:
            return area[key]
        value = value_text(key, figures)
        return GAP if value is None else value

    return PLACEHOLDER.sub(replace, text)
