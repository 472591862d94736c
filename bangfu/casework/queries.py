"""Reads of casework shared by pages, the API and the printable list. Every one is scoped to the user:
households through Household.objects.visible_to, campaigns and tallies by the user's region prefix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404

from bangfu.accounts.models import User
from bangfu.casework.forms import CONDITION_LABELS
from bangfu.casework.models import (
    CONDITIONS,
    TRIES_BEFORE_VISIT,
    AssessmentTally,
    Campaign,
    CampaignStatus,
    Contact,
    CoverageTally,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    HouseholdCase,
)
from bangfu.core.codes import TOWNSHIP_LENGTH, VILLAGE_LENGTH, Level, ancestors, prefix_q, township_of
from bangfu.core.permissions import Role
from bangfu.households.models import Household, HouseholdCategory
from bangfu.regions.models import Region
from bangfu.regions.queries import region_names

FLAGGED_LIMIT = 30
CASEWORKER_ROWS = 30
NOT_MET_LIMIT = 20


# --- contacts ------------------------------------------------------------------------------------

def contacts_of(household: Household, *, limit: int = 50) -> list[Contact]:
    """A household's contacts, newest first (the household must already be visible): two queries."""
    return list(
        Contact.objects.filter(household_id=household.pk)
        .select_related("caseworker", "campaign", "assessment")[:limit]
    )


def followup_get(user: User, pk: int) -> FollowUp:
    row = FollowUp.objects.visible_to(user).select_related("campaign").filter(pk=pk).first()
    if row is None:
        raise Http404("no such follow-up")
    return row


def open_followups_of(household: Household, day: dt.date) -> list[FollowUp]:
    return list(FollowUp.objects.filter(household_id=household.pk, status=FollowUpStatus.DUE, due__lte=day + dt.timedelta(days=7))
                .select_related("campaign").order_by("due"))


def running_campaigns_of(household: Household, day: dt.date) -> list[Campaign]:
    return list(Campaign.objects.filter(followups__household_id=household.pk, status="open", start__lte=day,
                                        end__gte=day).order_by("-start"))


# --- campaigns -----------------------------------------------------------------------------------

def campaigns_visible(user: User) -> QuerySet[Campaign]:
    """Campaigns over the user's area or within it (a caseworker sees the township's campaign)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Campaign.objects.none()
    if user.role == Role.ADMIN:
        return Campaign.objects.all()
    scope = user.scope
    if not scope:
        return Campaign.objects.none()
    return Campaign.objects.filter(prefix_q("region_code", scope) | Q(region_code__in=ancestors(scope) + [scope]))


def campaign_get(user: User, pk: int) -> Campaign:
    campaign = campaigns_visible(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("no such campaign")
    return campaign


@dataclass
class CoverageRow:
    key: str
    label: str
    total: int = 0
    reached: int = 0
    tried: int = 0
    flagged: int = 0

    @property
    def not_tried(self) -> int:
        return self.total - self.reached - self.tried

    @property
    def percent(self) -> int:
        return round(100 * self.reached / self.total) if self.total else 0

    def add(self, total: int, reached: int, tried: int, flagged: int) -> None:
        self.total += total
        self.reached += reached
        self.tried += tried
        self.flagged += flagged


@dataclass
class Coverage:
    campaign: Campaign
    total: CoverageRow
    by_village: list[CoverageRow]
    by_caseworker: list[CoverageRow]
    caseworkers: int = 0  # rows of the by-caseworker table before it was cut
    flagged: list[FollowUp] = field(default_factory=list)
    tries_before_visit: int = TRIES_BEFORE_VISIT


def _tallies_for(user: User, campaign: Campaign) -> QuerySet[CoverageTally]:
    tallies = CoverageTally.objects.filter(campaign=campaign)
    if user.role == Role.CASEWORKER:
        return tallies.filter(caseworker=user)
    if user.role != Role.ADMIN:
        tallies = tallies.filter(prefix_q("region_code", user.scope))
    return tallies


def campaign_coverage(user: User, campaign: Campaign, *, with_flagged: bool = True,
                      caseworker_rows: int | None = CASEWORKER_ROWS, flagged_limit: int = FLAGGED_LIMIT) -> Coverage:
    """Reached / tried but not reached / not yet tried, from the summary rows: three queries (four
    with the households flagged for a visit). `caseworker_rows` bounds the by-caseworker table to the
    caseworkers with the most left to do (None: all of them; a township has hundreds)."""
    tallies = list(_tallies_for(user, campaign).values_list(
        "region_code", "caseworker_id", "caseworker__display_name", "caseworker__username",
        "total", "reached", "tried", "flagged"))
    villages = region_names(t[0] for t in tallies)
    total = CoverageRow(key="", label="")
    by_village: dict[str, CoverageRow] = {}
    by_caseworker: dict[int | None, CoverageRow] = {}
    for code, caseworker_id, display_name, username, *counts in tallies:
        total.add(*counts)
        village = by_village.get(code)
        if village is None:
            village = by_village[code] = CoverageRow(code, villages.get(code, code))
        village.add(*counts)
        worker = by_caseworker.get(caseworker_id)
        if worker is None:
            worker = by_caseworker[caseworker_id] = CoverageRow(str(caseworker_id or ""),
                                                               display_name or username or "—")
        worker.add(*counts)
    flagged = []
    if with_flagged and total.flagged:
        rows = FollowUp.objects.visible_to(user).filter(campaign=campaign, status=FollowUpStatus.DUE,
                                                         tries__gte=TRIES_BEFORE_VISIT)
        flagged = list(rows.select_related("household", "household__region", "household__caseworker")
                       .only("id", "household_id", "tries", "status", "region_code", "household__id",
                             "household__number", "household__head_name", "household__region_id",
                             "household__caseworker_id", "household__region__code", "household__region__name",
                             "household__caseworker__id", "household__caseworker__username",
                             "household__caseworker__display_name")
                       .order_by("region_code", "household__number")[:flagged_limit])
    workers = sorted(by_caseworker.values(), key=lambda row: (-row.not_tried - row.tried, row.label))
    return Coverage(
        campaign=campaign, total=total,
        by_village=sorted(by_village.values(), key=lambda row: row.key),
        by_caseworker=workers[:caseworker_rows] if caseworker_rows is not None else workers,
        caseworkers=len(workers),
        flagged=flagged,
    )


def campaign_list(user: User, *, limit: int = 100) -> list[tuple[Campaign, CoverageRow]]:
    """Campaigns newest first, each with its coverage in the user's area: two queries."""
    campaigns = list(campaigns_visible(user).order_by("-start", "-id")[:limit])
    rows = {c.pk: CoverageRow(str(c.pk), c.name) for c in campaigns}
    if campaigns:
        tallies = CoverageTally.objects.filter(campaign__in=campaigns)
        if user.role == Role.CASEWORKER:
            tallies = tallies.filter(caseworker=user)
        elif user.role != Role.ADMIN:
            tallies = tallies.filter(prefix_q("region_code", user.scope))
        for row in tallies.values("campaign_id").annotate(total=Sum("total"), reached=Sum("reached"),
                                                          tried=Sum("tried"), flagged=Sum("flagged")):
            target = rows[row["campaign_id"]]
            target.total, target.reached, target.tried, target.flagged = (
                row["total"], row["reached"], row["tried"], row["flagged"])
    return [(c, rows[c.pk]) for c in campaigns]


# --- the four-condition assessment overview --------------------------------------------------------

@dataclass
class ConditionCount:
    name: str
    met: int


@dataclass
class AssessmentRow:
    code: str
    label: str
    assessed: int = 0
    all_ok: int = 0
    conditions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CONDITIONS, 0))


@dataclass
class Area:
    code: str
    name: str


@dataclass
class AssessmentOverview:
    area: Area | None
    households: int
    total: AssessmentRow
    by_village: list[AssessmentRow]  # one row per township (a county or wider) or per village
    not_met: list[HouseholdCase]
    not_met_count: int
    by: str = "village"  # what by_village's rows are: "township" or "village"
    not_met_next: str = ""  # the cursor of the next page of not_met, if there is one

    @property
    def not_assessed(self) -> int:
        return max(self.households - self.total.assessed, 0)

    @property
    def all_met(self) -> bool:
        return self.households > 0 and self.total.all_ok == self.households


def area_for(user: User, code: str) -> str:
    """The area asked for if it lies within the user's scope, else the scope itself."""
    scope = user.scope
    if code and (user.role == Role.ADMIN or code.startswith(scope)):
        return code
    return scope


def _part_length(area: str) -> int:
    """The code length of the rows an area's overview is broken down into: townships of a county
    (or wider), villages of a township; a village is its own row."""
    return TOWNSHIP_LENGTH if len(area) < TOWNSHIP_LENGTH else VILLAGE_LENGTH


def area_choices(user: User, area: str) -> list[Region]:
    """The areas the overview can be narrowed to: the townships of a county and the villages of
    the township chosen (or of the user's own township); one query."""
    scope = user.scope
    if len(scope) >= VILLAGE_LENGTH:
        return []
    if len(scope) >= TOWNSHIP_LENGTH:
        wanted = Q(level=Level.VILLAGE) & prefix_q("code", scope)
    else:
        wanted = Q(level=Level.TOWNSHIP) & prefix_q("code", scope)
        if len(area) >= TOWNSHIP_LENGTH:
            wanted |= Q(level=Level.VILLAGE) & prefix_q("code", township_of(area))
    return list(Region.objects.filter(wanted).only("code", "name", "level").order_by("code")[:500])


NOT_MET_COLUMNS = (
    "household_id", "region_code", "assessed_on", "all_ok", "assessment_id",
    "household__id", "household__number", "household__head_name", "household__region_id",
    "household__region__code", "household__region__name",
    "assessment__id", "assessment__supplies_ok", "assessment__prevention_ok", "assessment__medical_access_ok",
    "assessment__living_ok", "assessment__notes",
)


def _not_met_after(cursor: str) -> Q:
    """Rows after a "region code:household id" cursor in the list's order (nothing for a bad one)."""
    code, _sep, pk = cursor.partition(":")
    if not (code.isdigit() and pk.isdigit()):
        return Q()
    return Q(region_code__gt=code) | Q(region_code=code, household_id__gt=int(pk))


def assessment_overview(user: User, area_code: str = "", category: str = "", after: str = "") -> AssessmentOverview:
    """How many households meet each condition as of their latest assessment, from the summary rows,
    and which do not (each linked): a fixed number of queries, none of which reads more than the
    area's tally rows or the first page of households not met, except the count of households."""
    area = area_for(user, area_code)
    part = _part_length(area)
    households = Household.objects.visible_to(user)
    cases = HouseholdCase.objects.all()
    tallies = AssessmentTally.objects.all()
    own_only = user.role == Role.CASEWORKER
    if own_only:
        cases = cases.filter(household__in=households)
    if area:
        # The scope door already limits office and county users to their area (a prefix of it).
        if area != user.scope or own_only:
            households = households.filter(prefix_q("region_code", area))
        tallies = tallies.filter(prefix_q("region_code", area))
        cases = cases.filter(prefix_q("region_code", area))
    if category:
        in_category = HouseholdCategory.objects.filter(category=category).values("household_id")
        households = households.filter(pk__in=in_category)
        cases = cases.filter(household_id__in=in_category)
    counts = {"assessed": Sum("assessed"), "all_ok": Sum("all_ok"), **{n: Sum(n) for n in CONDITIONS}}
    if own_only or category:
        # A caseworker sees their own households, not the village's tally; a category is counted
        # from the households' summary rows (one grouped read of the area's rows).
        grouped = (cases.filter(assessment__isnull=False).annotate(part=Substr("region_code", 1, part))
                   .values("part").annotate(assessed=Count("pk"), all_ok=Count("pk", filter=Q(all_ok=True)),
                                            **{n: Count("pk", filter=Q(**{n: True})) for n in CONDITIONS}))
    else:
        # One grouped read of the villages' tally rows (a county has a few hundred).
        grouped = (tallies.annotate(part=Substr("region_code", 1, part)).values("part").annotate(**counts)
                   .order_by("part"))
    parts = list(grouped)
    names = region_names({row["part"] for row in parts} | ({area} if area else set()))
    total = AssessmentRow(area, names.get(area, ""))
    by_part: list[AssessmentRow] = []
    for row in parts:
        code = row.pop("part")
        counted = AssessmentRow(code, names.get(code, code), assessed=row["assessed"] or 0, all_ok=row["all_ok"] or 0,
                                conditions={n: row[n] or 0 for n in CONDITIONS})
        total.assessed += counted.assessed
        total.all_ok += counted.all_ok
        for name in CONDITIONS:
            total.conditions[name] += counted.conditions[name]
        by_part.append(counted)
    # Households whose latest assessment found a condition not met, by village and id (the index
    # case_not_met serves filter and order, so the first page is read, not the area).
    # all_ok IN (false), not NOT all_ok (how Django writes =False): an equality, so the index serves it.
    not_met_qs = cases.filter(all_ok__in=[False])
    not_met = list((not_met_qs.filter(_not_met_after(after)) if after else not_met_qs)
                   .select_related("household", "household__region", "assessment")
                   .only(*NOT_MET_COLUMNS).order_by("region_code", "household_id")[:NOT_MET_LIMIT + 1])
    more = len(not_met) > NOT_MET_LIMIT
    not_met = not_met[:NOT_MET_LIMIT]
    if not more and not after:
        not_met_count = len(not_met)
    elif own_only or category:
        not_met_count = not_met_qs.count()
    else:
        not_met_count = total.assessed - total.all_ok  # a tally's assessed households not all met
    labels = {name: str(label) for name, label in CONDITION_LABELS.items()}
    for case in not_met:
        notes = case.assessment.notes or {}
        case.failing = [(labels[n], notes.get(n, "")) for n in CONDITIONS if not getattr(case.assessment, n)]
    return AssessmentOverview(
        area=Area(area, names.get(area, area)) if area else None,
        households=households.count(), total=total,
        by_village=sorted(by_part, key=lambda row: row.code),
        not_met=not_met, not_met_count=not_met_count, by="township" if part == TOWNSHIP_LENGTH else "village",
        not_met_next=f"{not_met[-1].region_code}:{not_met[-1].household_id}" if more else "",
    )


# --- a village's list for the day, to print -------------------------------------------------------

VILLAGE_PRINT_LIMIT = 1000


@dataclass
class HouseholdRow:
    """One household on the printed list, once, with everything due for it."""
    household: Household
    followups: list[FollowUp]
    cells: list[str] = field(default_factory=list)  # other apps' columns (casework.printcolumns)

    @property
    def special(self) -> bool:
        return any(f.priority == 0 for f in self.followups)


@dataclass
class CaseworkerRows:
    caseworker: User | None
    rows: list[FollowUp]

    @cached_property
    def households(self) -> list[HouseholdRow]:
        """The rows by household, in the order of their first row (special groups first)."""
        by_household: dict[int, HouseholdRow] = {}
        for row in self.rows:
            by_household.setdefault(row.household_id, HouseholdRow(row.household, [])).followups.append(row)
        return list(by_household.values())


@dataclass
class VillageDay:
    village: Region
    day: dt.date
    groups: list[CaseworkerRows]
    count: int
    shown: int

    @property
    def cut(self) -> bool:
        return self.shown < self.count


def village_get(user: User, code: str) -> Region:
    """A village within the user's area; any other code is a 404."""
    scope = user.scope if user.role != Role.ADMIN else ""
    if not code or (user.role != Role.ADMIN and not (scope and code.startswith(scope))):
        raise Http404("no such village")
    village = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None:
        raise Http404("no such village")
    return village


def village_day(user: User, village: Region, day: dt.date, *, limit: int = VILLAGE_PRINT_LIMIT) -> VillageDay:
    """What is due in a village on `day`, by caseworker: the open regular follow-ups due by then
    (overdue included) and the calls of running campaigns, special groups first. One query (and a
    count when there are more than `limit` rows), whatever the village's size."""
    households = Household.objects.visible_to(user).filter(prefix_q("region_code", village.code))
    qs = FollowUp.objects.filter(
        Q(kind=FollowUpKind.SCHEDULE, due__lte=day)
        | Q(kind=FollowUpKind.CAMPAIGN, campaign__status=CampaignStatus.OPEN, campaign__start__lte=day,
            campaign__end__gte=day),
        household__in=households, status=FollowUpStatus.DUE,
    )
    rows = list(qs.select_related("household", "household__caseworker", "campaign")
                .order_by("household__caseworker_id", "priority", "due", "household__number", "pk")[: limit + 1])
    count = len(rows) if len(rows) <= limit else qs.count()
    rows = rows[:limit]
    groups: dict[int | None, CaseworkerRows] = {}
    for row in rows:
        caseworker = row.household.caseworker
        groups.setdefault(row.household.caseworker_id, CaseworkerRows(caseworker, [])).rows.append(row)
    ordered = sorted(groups.values(), key=lambda g: (g.caseworker is None, str(g.caseworker or "")))
    return VillageDay(village=village, day=day, groups=ordered, count=count, shown=len(rows))
