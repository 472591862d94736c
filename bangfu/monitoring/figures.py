"""Monitoring's figures for the summary tables (bangfu.core.figures): the monitored households and
persons by category and by risk, identification and clearance in the period, leads by source and
by outcome, identification within the deadline, and open leads overdue. Each compute function
reads the app's own tables (and the registry's) directly, one query, and returns {village: value}
without zeros; the keys are declared on the AppConfig (apps.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, F, Q, QuerySet

from bangfu.core.dates import local_today
from bangfu.households import choices as household_choices
from bangfu.households.models import Household, Member
from bangfu.monitoring.models import OPEN_STAGES, Clearance, ClearanceStage, Lead, Outcome, Source, Stage


def _in(rows: QuerySet, villages: Sequence[str] | None, field: str = "region_code") -> QuerySet:
    return rows if villages is None else rows.filter(**{f"{field}__in": list(villages)})


def _counted(rows: QuerySet, field: str = "region_code", *, distinct: str = "") -> dict[str, int]:
    counted = rows.values(field).annotate(n=Count(distinct, distinct=True) if distinct else Count("pk"))
    return {row[field]: row["n"] for row in counted.order_by() if row["n"]}


def _monitored(villages: Sequence[str] | None) -> QuerySet:
    """The households in the monitored category (监测对象) now, not closed."""
    return _in(Household.objects.filter(categories__category=household_choices.Category.MONITORED)
               .exclude(status=household_choices.Status.CLOSED), villages)


# --- stock: the monitored households and persons ---------------------------------------------------

def monitored_households(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return _counted(_monitored(villages), distinct="pk")


def monitored_persons(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    households = _monitored(villages).values("pk")
    return _counted(_in(Member.objects.filter(household__in=households), villages, "household__region_code"),
                    "household__region_code")


def _households_of_type(monitor_type: str):
    def compute(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
        return _counted(_monitored(villages).filter(monitor_type=monitor_type), distinct="pk")
    return compute


def _persons_of_type(monitor_type: str):
    def compute(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
        households = _monitored(villages).filter(monitor_type=monitor_type).values("pk")
        return _counted(Member.objects.filter(household__in=households), "household__region_code")
    return compute


def _households_with_risk(risk: str):
    def compute(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
        # The risks are a JSON list: counted here, the same on SQLite and PostgreSQL.
        counts: dict[str, int] = {}
        seen: set[int] = set()
        for pk, region_code, risks in _monitored(villages).values_list("pk", "region_code", "risks"):
            if pk not in seen and risk in (risks or ()):
                seen.add(pk)
                counts[region_code] = counts.get(region_code, 0) + 1
        return counts
    return compute


households_unstable = _households_of_type(household_choices.MonitorType.UNSTABLE)
households_marginal = _households_of_type(household_choices.MonitorType.MARGINAL)
households_sudden_hardship = _households_of_type(household_choices.MonitorType.SUDDEN_HARDSHIP)
persons_unstable = _persons_of_type(household_choices.MonitorType.UNSTABLE)
persons_marginal = _persons_of_type(household_choices.MonitorType.MARGINAL)
persons_sudden_hardship = _persons_of_type(household_choices.MonitorType.SUDDEN_HARDSHIP)
# One compute per risk type (the key is the risk's English name: stored keys are never renamed).
RISK_KEYS = {risk.name.lower(): risk.value for risk in household_choices.Risk}
risk_computes = {key: _households_with_risk(value) for key, value in RISK_KEYS.items()}
for _key, _compute in risk_computes.items():
    globals()[f"risk_{_key}"] = _compute


# --- flow: identified and cleared in the period; the clearance rate's parts -----------------------

def _identified(villages, start, end) -> QuerySet:
    return _in(Lead.objects.filter(stage=Stage.MONITORED, decided_on__gte=start, decided_on__lte=end), villages)


def identified(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Households identified as monitored in the period (the county's decision)."""
    return _counted(_identified(villages, start, end))


def identified_on_time(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Of those, the ones decided within the whole identification's deadline (identify_by)."""
    return _counted(_identified(villages, start, end).filter(decided_on__lte=F("identify_by")))


def cleared(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Households whose risk was cleared (风险消除) in the period."""
    return _counted(_in(Clearance.objects.filter(stage=ClearanceStage.CLEARED, decided_on__gte=start,
                                                 decided_on__lte=end), villages))


def cleared_total(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Households whose risk is cleared, up to the end of the period (the clearance rate's numerator)."""
    return _counted(_in(Clearance.objects.filter(stage=ClearanceStage.CLEARED, decided_on__lte=end), villages),
                    distinct="household_id")


def identified_total(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Households ever identified as monitored, up to the end of the period (its denominator)."""
    return _counted(_in(Lead.objects.filter(stage=Stage.MONITORED, decided_on__lte=end), villages),
                    distinct="household_id")


# --- leads by source and by outcome in the period, and open leads overdue -------------------------

def _leads_from(source: str):
    def compute(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
        return _counted(_in(Lead.objects.filter(source=source, received_on__gte=start, received_on__lte=end),
                            villages))
    return compute


def _leads_ending(outcome: str):
    def compute(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
        return _counted(_in(Lead.objects.filter(outcome=outcome, decided_on__gte=start, decided_on__lte=end),
                            villages))
    return compute


leads_application = _leads_from(Source.APPLICATION)
leads_cadre = _leads_from(Source.CADRE)
leads_department = _leads_from(Source.DEPARTMENT)
outcome_included = _leads_ending(Outcome.INCLUDED)
outcome_already = _leads_ending(Outcome.ALREADY)
outcome_not_eligible = _leads_ending(Outcome.NOT_ELIGIBLE)


def leads_overdue(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Open leads whose step is past its due date now."""
    return _counted(_in(Lead.objects.filter(Q(stage__in=OPEN_STAGES), due_on__lt=local_today()), villages))
