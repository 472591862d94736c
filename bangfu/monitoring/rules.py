"""Rule flags on households: ONE table (RULES), each rule a plain message and a link to the
household's plan. Evaluated nightly over every household (tasks) and for one household on a
change of its plan or clearance. Reads in bulk, a chunk of households at a time, so the whole
county runs in bounded memory: the households, their members' counts, identification dates,
plan measures and clearances, one query each per chunk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core.codes import COUNTY_LENGTH
from bangfu.core.dates import local_today
from bangfu.households import choices as household_choices
from bangfu.households.models import Household, HouseholdCategory, Member
from bangfu.monitoring.models import (
    OPEN_MEASURE_STATUSES,
    Clearance,
    ClearanceStage,
    Flag,
    Lead,
    PlanMeasure,
    Stage,
)

CHUNK = 5000
# 产业, 就业, 公益岗位, 金融: the measures that build the household's own income.
DEVELOPMENT_TYPES = ("industry", "employment", "welfare_post", "finance")
LABOUR_SKILLS = (household_choices.LaborSkill.ORDINARY, household_choices.LaborSkill.SKILLED,
                 household_choices.LaborSkill.WEAK)
DEVELOPMENT_WITHIN_DAYS = 183
QUICK_CLEARANCE_DAYS = 61


def years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@dataclass
class Facts:
    """What the rules read of one household."""

    pk: int
    region_code: str
    monitored: bool = False
    risks: list = field(default_factory=list)
    income_per_person_fen: int | None = None
    line_fen: int = 690_000
    people: int = 0
    labour: int = 0
    working_age: int = 0
    identified_on: dt.date | None = None
    first_development_on: dt.date | None = None
    open_measures: int = 0
    cleared_on: dt.date | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    label: object
    fires: Callable[[Facts, dt.date], bool]
    message: Callable[[Facts], str]


def _no_development(f: Facts, today: dt.date) -> bool:
    if not f.monitored or f.identified_on is None or not f.labour:
        return False
    window_end = f.identified_on + dt.timedelta(days=DEVELOPMENT_WITHIN_DAYS)
    if today <= window_end:
        return False
    return f.first_development_on is None or f.first_development_on > window_end


def _unstable_work_no_working_age(f: Facts, today: dt.date) -> bool:
    return f.monitored and household_choices.Risk.UNSTABLE_WORK in f.risks and f.people > 0 and not f.working_age


def _quick_clearance(f: Facts, today: dt.date) -> bool:
    return (f.cleared_on is not None and f.identified_on is not None
            and (f.cleared_on - f.identified_on).days <= QUICK_CLEARANCE_DAYS)


def _below_line_no_plan(f: Facts, today: dt.date) -> bool:
    return f.income_per_person_fen is not None and f.income_per_person_fen < f.line_fen and not f.open_measures


def _yuan(fen: int | None) -> str:
    return f"{(fen or 0) / 100:,.0f}"


# The rules, each with its code (kept on the flag), its name, when it fires and what it says.
RULES: tuple[Rule, ...] = (
    Rule("no_development", gettext_lazy("Labour but no development measure"), _no_development,
         lambda f: _("The household can work but no industry, employment, public welfare post or finance "
                     "measure was planned within six months of identification (%(on)s).")
         % {"on": f.identified_on.isoformat() if f.identified_on else ""}),
    Rule("unstable_work_no_working_age", gettext_lazy("Unstable employment, nobody of working age"),
         _unstable_work_no_working_age,
         lambda f: _("The risk is unstable employment, but nobody in the household is of working age: "
                     "check the risk.")),
    Rule("quick_clearance", gettext_lazy("Cleared within two months"), _quick_clearance,
         lambda f: _("The risk was cleared on %(cleared)s, within two months of identification (%(on)s): "
                     "check the income is stable.")
         % {"cleared": f.cleared_on.isoformat() if f.cleared_on else "",
            "on": f.identified_on.isoformat() if f.identified_on else ""}),
    Rule("below_line_no_plan", gettext_lazy("Below the line, no open plan"), _below_line_no_plan,
         lambda f: _("Income per person %(income)s yuan is below the monitoring line of %(line)s yuan and "
                     "the household has no open measure.")
         % {"income": _yuan(f.income_per_person_fen), "line": _yuan(f.line_fen)}),
)
RULE_LABELS = {rule.code: rule.label for rule in RULES}


def link_of(household_id: int) -> str:
    return reverse("monitoring:plan", args=[household_id])


def _lines() -> Callable[[str], int]:
    from bangfu.monitoring.services import limits_for

    cache: dict[str, int] = {}

    def line(region_code: str) -> int:
        county = region_code[:COUNTY_LENGTH]
        if county not in cache:
            cache[county] = limits_for(county).line_fen
        return cache[county]
    return line


def facts_of(households: Iterable[int] | None = None, *, start: int | None = None, end: int | None = None,
             today: dt.date | None = None, line: Callable[[str], int] | None = None) -> dict[int, Facts]:
    """The facts of the households named, or of those with start <= pk < end; six queries."""
    today = today or local_today()
    line = line or _lines()

    def scoped(qs, key: str):
        if households is not None:
            return qs.filter(**{f"{key}__in": list(households)})
        return qs.filter(**{f"{key}__gte": start, f"{key}__lt": end})

    facts: dict[int, Facts] = {}
    rows = scoped(Household.objects.all(), "pk").values_list(
        "pk", "region_code", "risks", "wage_income", "business_income", "property_income", "transfer_income",
        "business_expense")
    incomes: dict[int, int | None] = {}
    for pk, region_code, risks, wage, business, prop, transfer, expense in rows:
        parts = (wage, business, prop, transfer)
        incomes[pk] = None if all(p is None for p in parts) else sum(p or 0 for p in parts) - (expense or 0)
        facts[pk] = Facts(pk=pk, region_code=region_code, risks=risks or [], line_fen=line(region_code))
    oldest, youngest = years_ago(today, settings.WORK_AGE_MAX + 1), years_ago(today, settings.WORK_AGE_MIN)
    members = scoped(Member.objects.all(), "household_id").values("household_id").annotate(
        n=Count("pk"), labour=Count("pk", filter=Q(labor_skill__in=LABOUR_SKILLS)),
        working=Count("pk", filter=Q(birth_date__gt=oldest, birth_date__lte=youngest)))
    for row in members:
        f = facts.get(row["household_id"])
        if f is not None:
            f.people, f.labour, f.working_age = row["n"], row["labour"], row["working"]
    for pk, net in incomes.items():
        if net is not None and facts[pk].people:
            facts[pk].income_per_person_fen = net // facts[pk].people
    for pk in scoped(HouseholdCategory.objects.filter(category=household_choices.Category.MONITORED),
                     "household_id").values_list("household_id", flat=True):
        if pk in facts:
            facts[pk].monitored = True
    for pk, on in scoped(Lead.objects.filter(stage=Stage.MONITORED), "household_id").values("household_id") \
            .annotate(on=Max("decided_on")).values_list("household_id", "on"):
        if pk in facts:
            facts[pk].identified_on = on
    for row in scoped(PlanMeasure.objects.all(), "household_id").values("household_id").annotate(
            first_development=Min("planned_on", filter=Q(type__in=DEVELOPMENT_TYPES)),
            open=Count("pk", filter=Q(status__in=OPEN_MEASURE_STATUSES))):
        f = facts.get(row["household_id"])
        if f is not None:
            f.first_development_on, f.open_measures = row["first_development"], row["open"]
    for pk, on in scoped(Clearance.objects.filter(stage=ClearanceStage.CLEARED), "household_id") \
            .values("household_id").annotate(on=Max("decided_on")).values_list("household_id", "on"):
        if pk in facts:
            facts[pk].cleared_on = on
    return facts


def firing(facts: Facts, today: dt.date) -> list[Rule]:
    return [rule for rule in RULES if rule.fires(facts, today)]


def _sync(facts: dict[int, Facts], today: dt.date, *, households: Iterable[int] | None = None,
          start: int | None = None, end: int | None = None) -> tuple[int, int]:
    """Keep one Flag per household and firing rule: new ones added, those no longer firing removed."""
    wanted: dict[tuple[int, str], tuple[Facts, Rule]] = {}
    for f in facts.values():
        for rule in firing(f, today):
            wanted[(f.pk, rule.code)] = (f, rule)
    if households is None:
        kept = Flag.objects.filter(household_id__gte=start, household_id__lt=end)
    else:
        kept = Flag.objects.filter(household_id__in=list(facts))
    existing = dict(((hh, rule), pk) for pk, hh, rule in kept.values_list("pk", "household_id", "rule"))
    gone = [pk for key, pk in existing.items() if key not in wanted]
    # The message is written only for a flag raised now: a kept flag keeps its own.
    new = [Flag(household_id=f.pk, region_code=f.region_code, rule=rule.code, message=str(rule.message(f))[:300],
                raised_on=today) for key, (f, rule) in wanted.items() if key not in existing]
    with transaction.atomic():
        if gone:
            Flag.objects.filter(pk__in=gone).delete()
        Flag.objects.bulk_create(new, ignore_conflicts=True)
    return len(new), len(gone)


def flags_refresh(*, today: dt.date | None = None, chunk: int = CHUNK) -> dict[str, int]:
    """Every household's flags, a chunk of households at a time (the nightly run)."""
    today = today or local_today()
    line = _lines()
    raised = cleared = seen = 0
    last = Household.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with translation.override(settings.LANGUAGE_CODE):
        for start in range(0, last + 1, chunk):
            facts = facts_of(start=start, end=start + chunk, today=today, line=line)
            seen += len(facts)
            new, gone = _sync(facts, today, start=start, end=start + chunk)
            raised, cleared = raised + new, cleared + gone
    return {"households": seen, "raised": raised, "cleared": cleared}


def flags_refresh_household(household_id: int, *, today: dt.date | None = None) -> list[str]:
    """One household's flags again (after its plan or clearance changed); the rules firing."""
    today = today or local_today()
    with translation.override(settings.LANGUAGE_CODE):
        facts = facts_of([household_id], today=today)
        _sync(facts, today, households=[household_id])
    return [rule.code for f in facts.values() for rule in firing(f, today)]
