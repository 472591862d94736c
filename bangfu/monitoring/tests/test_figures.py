"""Monitoring's figures (bangfu.core.figures): each declared compute equals a direct count, in
Python over every row, of a small data set; the ratios name declared indicators."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.module_loading import import_string

from bangfu.core.dates import local_today
from bangfu.households import choices
from bangfu.households.models import Household
from bangfu.households.services import household_monitoring_set
from bangfu.monitoring.models import OPEN_STAGES, Clearance, Lead, Stage
from conftest import VILLAGE_A, VILLAGE_B, member_data

pytestmark = pytest.mark.django_db

TODAY = local_today()
START, END = TODAY - dt.timedelta(days=30), TODAY


def _lead(household, *, source="cadre", received=10, stage=Stage.MONITORED, decided=None, identify_by=0,
          outcome="", due=None):
    return Lead.objects.create(
        client_id=uuid.uuid4(), source=source, channel={"cadre": "contact", "department": "department",
                                                        "application": "in_person"}[source],
        indicator="x", name="户主", household=household, village=household.region, region_code=household.region_code,
        received_on=TODAY - dt.timedelta(days=received), stage=stage, stage_since=TODAY,
        identify_by=TODAY - dt.timedelta(days=identify_by),
        decided_on=None if decided is None else TODAY - dt.timedelta(days=decided), outcome=outcome,
        monitor_type="marginal" if stage == Stage.MONITORED else "",
        due_on=None if due is None else TODAY - dt.timedelta(days=due), created_at=timezone.now())


@pytest.fixture
def county(personas, make_household):
    admin = personas["admin"]
    h1 = make_household(VILLAGE_A)
    h2 = make_household(VILLAGE_A, members=[member_data(), member_data(relation=choices.Relation.SPOUSE, sex="F")])
    h3 = make_household(VILLAGE_B)
    h4 = make_household(VILLAGE_B)
    household_monitoring_set(actor=admin, household=h1, monitor_type="marginal", risks=[choices.Risk.ILLNESS])
    household_monitoring_set(actor=admin, household=h2, monitor_type="unstable",
                             risks=[choices.Risk.ILLNESS, choices.Risk.UNSTABLE_WORK])
    household_monitoring_set(actor=admin, household=h3, monitor_type="sudden_hardship",
                             risks=[choices.Risk.NATURAL_DISASTER])
    _lead(h1, received=20, decided=5, identify_by=0, outcome="included")             # on time
    _lead(h2, source="department", received=25, decided=3, identify_by=4, outcome="included")  # late
    _lead(h3, source="application", received=2, stage=Stage.VERIFY, due=1)           # open, overdue
    _lead(h4, received=40, stage=Stage.NOT_INCLUDED, decided=1, outcome="not_eligible")
    _lead(h3, source="department", received=200, decided=100, identify_by=90, outcome="included")  # long ago
    Clearance.objects.create(client_id=uuid.uuid4(), household=h3, region_code=h3.region_code, method="自然消除",
                             stage="cleared", proposed_on=TODAY - dt.timedelta(days=20),
                             decided_on=TODAY - dt.timedelta(days=2), created_by=admin, created_at=timezone.now())
    return [h1, h2, h3, h4]


def _direct() -> dict[str, Counter]:
    """Every indicator counted the plain way: every row read, tested in Python."""
    monitored = [h for h in Household.objects.prefetch_related("categories", "members")
                 if choices.Category.MONITORED in {c.category for c in h.categories.all()}
                 and h.status != choices.Status.CLOSED]
    leads = list(Lead.objects.all())
    clearances = list(Clearance.objects.all())

    def by(rows, test=lambda r: True, weight=lambda r: 1):
        counted = Counter()
        for r in rows:
            if test(r):
                counted[r.region_code] += weight(r)
        return counted

    def within(day):
        return day is not None and START <= day <= END

    expected = {
        "monitoring.households": by(monitored),
        "monitoring.persons": by(monitored, weight=lambda h: h.members.count()),
        "monitoring.identified": by(leads, lambda r: r.stage == Stage.MONITORED and within(r.decided_on)),
        "monitoring.identified_on_time": by(leads, lambda r: r.stage == Stage.MONITORED and within(r.decided_on)
                                            and r.decided_on <= r.identify_by),
        "monitoring.cleared": by(clearances, lambda c: c.stage == "cleared" and within(c.decided_on)),
        "monitoring.cleared_total": by({c.household_id: c for c in clearances if c.stage == "cleared"
                                        and c.decided_on <= END}.values()),
        "monitoring.identified_total": by({r.household_id: r for r in leads if r.stage == Stage.MONITORED
                                           and r.decided_on <= END}.values()),
        "monitoring.leads_overdue": by(leads, lambda r: r.stage in OPEN_STAGES and r.due_on and r.due_on < TODAY),
    }
    for t in choices.MonitorType:
        expected[f"monitoring.households.{t.value}"] = by(monitored, lambda h, t=t: h.monitor_type == t)
        expected[f"monitoring.persons.{t.value}"] = by(monitored, lambda h, t=t: h.monitor_type == t,
                                                       lambda h: h.members.count())
    for risk in choices.Risk:
        expected[f"monitoring.risk.{risk.name.lower()}"] = by(monitored, lambda h, risk=risk: risk in h.risks)
    for source in ("application", "cadre", "department"):
        expected[f"monitoring.leads.{source}"] = by(leads, lambda r, s=source: r.source == s and within(r.received_on))
    for outcome in ("included", "already", "not_eligible"):
        expected[f"monitoring.outcome.{outcome}"] = by(leads, lambda r, o=outcome: r.outcome == o
                                                       and within(r.decided_on))
    return expected


def _declared():
    indicators, ratios = [], []
    for label in ("monitoring",):
        config = apps.get_app_config(label)
        indicators += list(config.figure_indicators)
        ratios += list(config.figure_ratios)
    return indicators, ratios


def test_each_compute_equals_a_direct_count(county):
    indicators, ratios = _declared()
    expected = _direct()
    assert {i.key for i in indicators} == set(expected)
    for indicator in indicators:
        computed = import_string(indicator.compute)(villages=None, start=START, end=END)
        wanted = {k: v for k, v in expected[indicator.key].items() if v}
        assert computed == wanted, indicator.key
        # Restricted to one village: that village's value only.
        one = import_string(indicator.compute)(villages=[VILLAGE_A], start=START, end=END)
        assert one == {k: v for k, v in wanted.items() if k == VILLAGE_A}, indicator.key
    keys = {i.key for i in indicators}
    for ratio in ratios:
        assert ratio.numerator in keys and ratio.denominator in keys


def test_the_small_data_set_gives_the_figures_it_was_made_for(county):
    def compute(key, villages=None):
        indicator = next(i for i in _declared()[0] if i.key == key)
        return import_string(indicator.compute)(villages=villages, start=START, end=END)

    assert compute("monitoring.households") == {VILLAGE_A: 2, VILLAGE_B: 1}
    assert compute("monitoring.persons") == {VILLAGE_A: 3, VILLAGE_B: 1}
    assert compute("monitoring.risk.illness") == {VILLAGE_A: 2}
    assert compute("monitoring.identified") == {VILLAGE_A: 2}
    assert compute("monitoring.identified_on_time") == {VILLAGE_A: 1}
    assert compute("monitoring.cleared") == {VILLAGE_B: 1}
    assert compute("monitoring.identified_total") == {VILLAGE_A: 2, VILLAGE_B: 1}
    assert compute("monitoring.leads_overdue") == {VILLAGE_B: 1}
    assert compute("monitoring.outcome.not_eligible") == {VILLAGE_B: 1}
    assert compute("monitoring.leads.department") == {VILLAGE_A: 1}
