"""The caseworker's day (今日待办) as a list of sections that apps declare.

Protocol, the way the menu is declared (bangfu.core.nav):

* An app lists its sections on its AppConfig::

      worklist_sections = (WorklistSource("bangfu.needs.worklist.to_confirm_section", order=15),)

  `order` places the section among all apps' sections (lower first). Taken so far:
  10 reserved for emergency checks (first), 20 overdue follow-ups, 30 campaign calls,
  40 follow-ups due today.
* The dotted path names a function ``(caseworker, day) -> WorklistSection | None``: the work of
  that caseworker (a User) on that Shanghai calendar day. It returns None when it has nothing to
  show. It must run a fixed number of queries, whatever the data size (tests assert the worklist's
  total); it reads through the scope door of the caseworker, and bounds its rows (`limit`).
* A WorklistSection names the template that renders it (an include, given `section` and
  `worklist_day`) and carries its rows in `items`, a total in `count` (rows beyond `items` are
  counted, not shown), and an optional `print_template` for the printable daily list (default:
  the same template).
* A section that can show work of households that are not the caseworker's own (a delivery the
  office gave them) names, in `areas`, a function ``(caseworker_id) -> QuerySet`` of one column,
  the region codes of that work: a kept page of the caseworker's day (history.pagecache) is built
  again when anything changes there, as it is for a change in the villages of their households.

The page, the printable list and `GET /api/worklist` all come from `worklist_for(caseworker, day)`;
the API serialises each section by `key`, `title`, `count` and `items` through the section's
`api_items` (a list of plain dicts), so a section gives that too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import dateformat
from django.utils.module_loading import import_string
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from bangfu.core.plugins import declared

SECTION_LIMIT = 100
PRINT = "casework/_section_followups_print.html"


@dataclass(frozen=True)
class WorklistSource:
    function: str  # dotted path of (caseworker, day) -> WorklistSection | None
    order: int = 100
    areas: str = ""  # dotted path of (caseworker_id) -> QuerySet of region codes (see above)


@dataclass
class WorklistSection:
    key: str
    title: str
    template: str
    items: list[Any]
    count: int
    order: int = 100
    print_template: str = ""
    api_items: list[dict[str, Any]] = field(default_factory=list)
    empty_text: str = ""


@cache
def _sources() -> list[tuple[int, Callable]]:
    return [(source.order, import_string(source.function)) for source in declared("worklist_sections")]


@cache
def work_areas() -> tuple[tuple[str, tuple], ...]:
    """The region codes of a caseworker's work as SQL: their households, and the sections' `areas`
    (their other work), compiled once per process with history's MARK for the caseworker's id
    (history.queries.caseworker_version puts the id in)."""
    from bangfu.history.queries import MARK
    from bangfu.households.models import Household

    compiled = []
    for areas in [Household.objects.filter(caseworker_id=MARK).values("region_code"),
                  *(import_string(source.areas)(MARK) for source in declared("worklist_sections") if source.areas)]:
        sql, params = areas.order_by().query.sql_with_params()
        compiled.append((sql, tuple(params)))
    return tuple(compiled)


def caseworker_version(caseworker_id: int, region_code: str) -> str:
    """The version of a caseworker's pages (history.pagecache): the changes in the villages of
    their households and of the other work the sections declare, their own village, and above."""
    from bangfu.history.queries import caseworker_version as version

    return version(caseworker_id, region_code, work_areas())


def worklist_for(caseworker, day: dt.date) -> list[WorklistSection]:
    """The caseworker's day: every declared section that has something, in order."""
    sections = []
    # Sections may share reads through memos on the caseworker object: fresh for each list.
    caseworker.__dict__.pop("_casework_open_followups", None)
    for order, build in _sources():
        section = build(caseworker, day)
        if section is not None:
            section.order = order
            sections.append(section)
    return sections


# --- casework's own sections ------------------------------------------------------------------

def _open_followups(caseworker, day: dt.date) -> tuple[list, bool]:
    """The caseworker's open follow-ups due by `day` (regular ones) or of a running campaign, most
    urgent first: one query and one for the households' categories, shared by casework's three
    sections (memoised on the caseworker object for this day). The bool says whether rows were cut."""
    memo = caseworker.__dict__.setdefault("_casework_open_followups", {})
    if day in memo:
        return memo[day]
    from bangfu.casework.models import CampaignStatus, Channel, FollowUp, FollowUpKind, FollowUpStatus
    from bangfu.households.choices import Category
    from bangfu.households.models import HouseholdCategory

    limit = 3 * SECTION_LIMIT
    qs = FollowUp.objects.filter(
        Q(kind=FollowUpKind.SCHEDULE, due__lte=day)
        | Q(kind=FollowUpKind.CAMPAIGN, campaign__status=CampaignStatus.OPEN, campaign__start__lte=day,
            campaign__end__gte=day),
        # The caseworker's own households: the scope door's first branch for a caseworker
        # (Household.objects.visible_to), as a join rather than a subquery.
        household__caseworker=caseworker,
        status=FollowUpStatus.DUE,
    )
    rows = list(
        qs.select_related("household", "household__region", "campaign")
        # Only what the list shows: a household row has some forty columns.
        .only(*FOLLOWUP_COLUMNS)
        .order_by("priority", "due", "household__region_code", "household__number")[: limit + 1]
    )
    categories: dict[int, set[str]] = {}
    if rows:
        for household, category in HouseholdCategory.objects.filter(
                household_id__in={row.household_id for row in rows}).values_list("household_id", "category"):
            categories.setdefault(household, set()).add(category)
    links = _link_formats(get_urlconf(), get_script_prefix())
    labels = {value: str(label) for value, label in Category.choices}
    channels = {value: str(label) for value, label in Channel.choices}
    for row in rows:
        household = row.household_id
        present = categories.get(household, ())
        row.badges = [(value, labels[value]) for value in labels if value in present]
        row.household_url = links["households:detail"] % household
        row.call_url = links["casework:call"] % household
        row.log_url = f"{links['casework:contact_add'] % household}?followup={row.pk}"
        # The row's words, once here rather than by template tags on every row.
        row.channel_label = channels.get(row.channel, row.channel)
        row.overdue = row.due < day
        row.due_text = gettext("due %(date)s") % {"date": dateformat.format(row.due, "m-d")} if row.overdue else ""
        row.tries_text = (ngettext("tried %(counter)s time", "tried %(counter)s times", row.tries)
                          % {"counter": row.tries}) if row.tries else ""
    memo[day] = (rows[:limit], len(rows) > limit)
    return memo[day]


FOLLOWUP_COLUMNS = (
    "id", "household_id", "due", "kind", "channel", "campaign_id", "status", "priority", "tries",
    "household__id", "household__number", "household__head_name", "household__phone_tail",
    "household__region_id", "household__region_code", "household__region__code", "household__region__name",
    "campaign__id", "campaign__name",
)


@lru_cache(maxsize=16)
def _link_formats(urlconf, prefix: str) -> dict[str, str]:
    """The row links as %d patterns, reversed once rather than three times a row."""
    marker = 987654321
    return {name: reverse(name, args=[marker]).replace(str(marker), "%d")
            for name in ("households:detail", "casework:call", "casework:contact_add")}


def _followups(caseworker, day: dt.date, keep) -> tuple[list, int]:
    rows, _cut = _open_followups(caseworker, day)
    mine = [row for row in rows if keep(row)]
    # Beyond 3 x SECTION_LIMIT open rows (a caseworker far behind), the count is a lower bound.
    return mine[:SECTION_LIMIT], len(mine)


def _api_items(rows) -> list[dict[str, Any]]:
    return [{
        "followup": row.pk, "household": row.household_id, "household_number": row.household.number,
        "head_name": row.household.head_name, "village": row.household.region.name, "due": row.due.isoformat(),
        "kind": row.kind, "channel": row.channel, "campaign": row.campaign_id, "tries": row.tries,
        "flagged": row.flagged, "special": row.priority == 0,
    } for row in rows]


def overdue_section(caseworker, day: dt.date) -> WorklistSection | None:
    from bangfu.casework.models import FollowUpKind

    rows, count = _followups(caseworker, day, lambda row: row.kind == FollowUpKind.SCHEDULE and row.due < day)
    if not rows:
        return None
    return WorklistSection(key="overdue", title=str(_("Overdue follow-ups")), template="casework/_section_followups.html", print_template=PRINT,
                           items=rows, count=count, api_items=_api_items(rows))


def due_section(caseworker, day: dt.date) -> WorklistSection | None:
    from bangfu.casework.models import FollowUpKind

    rows, count = _followups(caseworker, day, lambda row: row.kind == FollowUpKind.SCHEDULE and row.due == day)
    if not rows:
        return None
    return WorklistSection(key="due", title=str(_("Due today")), template="casework/_section_followups.html", print_template=PRINT,
                           items=rows, count=count, api_items=_api_items(rows))


def campaign_section(caseworker, day: dt.date) -> WorklistSection | None:
    from bangfu.casework.models import FollowUpKind

    rows, count = _followups(caseworker, day, lambda row: row.kind == FollowUpKind.CAMPAIGN)
    if not rows:
        return None
    return WorklistSection(key="campaign", title=str(_("Campaign calls")), template="casework/_section_followups.html", print_template=PRINT,
                           items=rows, count=count, api_items=_api_items(rows))
