"""The project library's figures (core.figures): each one equals a direct count or sum over a small
library, with every project counted in one village."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.apps import apps
from django.db.models import Sum
from django.utils.module_loading import import_string

from bangfu.core.dates import local_today
from bangfu.projects import figures, services
from bangfu.projects.models import LedgerEntry, LedgerKind, Project, Stage
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER

from .test_services import advance, make

pytestmark = pytest.mark.django_db
TOWNSHIP_A = "370215010"


def _compute(key: str, **kw):
    indicator = next(i for i in apps.get_app_config("projects").figure_indicators if i.key == key)
    today = local_today()
    return import_string(indicator.compute)(**{"villages": None, "start": today.replace(day=1), "end": today, **kw})


@pytest.fixture
def library(personas, regions):
    building = advance(make(personas, regions), personas, "building")
    proposed = make(personas, regions, village=VILLAGE_B, actor="office", name="北郝家庄村路灯工程",
                    budget={"county": 50_000_00})
    Project.objects.filter(pk=proposed.pk).update(deadline=local_today() - dt.timedelta(days=1))
    township, _created = services.project_create(
        name="蓝村街道灌溉工程", type="infrastructure", region=regions[TOWNSHIP_A],
        villages=[regions[VILLAGE_B], regions[VILLAGE_A]], budget={"other": 20_000_00}, meeting_date=local_today(),
        meeting_attendance=20, meeting_decision="同意申报", client_id=uuid.uuid4(), actor=personas["office"])
    services.payment_create(project=building, source="central", amount_fen=50_000_00, day=local_today(),
                            payee="鑫盛建筑", client_id=uuid.uuid4(), actor=personas["office"])
    services.payment_create(project=building, source="central", amount_fen=7_000_00,
                            day=local_today() - dt.timedelta(days=400), payee="鑫盛建筑", client_id=uuid.uuid4(),
                            actor=personas["office"])
    make(personas, regions, village=VILLAGE_OTHER, actor="outsider_office", name="外省水厂工程")
    return {"building": building, "proposed": proposed, "township": township}


def test_each_project_counts_in_one_village(library):
    # The township's project counts in the lower code of its villages.
    assert figures.project_villages()[library["township"].pk] == VILLAGE_A
    assert _compute("projects.total") == {VILLAGE_A: 2, VILLAGE_B: 1, VILLAGE_OTHER: 1} == {
        code: sum(1 for c in figures.project_villages().values() if c == code)
        for code in (VILLAGE_A, VILLAGE_B, VILLAGE_OTHER)}
    assert sum(_compute("projects.total").values()) == Project.objects.count()
    assert _compute("projects.total", villages=[VILLAGE_B]) == {VILLAGE_B: 1}


def test_projects_by_stage_and_overdue_equal_direct_counts(library):
    assert _compute("projects.building") == {VILLAGE_A: Project.objects.filter(stage=Stage.BUILDING).count()}
    applying = Project.objects.filter(stage__in=figures.APPLYING)
    assert sum(_compute("projects.applying").values()) == applying.count() == 3
    assert _compute("projects.handed_over") == {} and _compute("projects.checking") == {}
    overdue = Project.objects.exclude(stage=Stage.HANDED_OVER).filter(deadline__lt=local_today())
    assert _compute("projects.overdue") == {VILLAGE_B: overdue.count()} == {VILLAGE_B: 1}


def test_budget_allocated_and_paid_equal_direct_sums(library):
    building = library["building"]
    assert _compute("projects.budget")[VILLAGE_A] == building.budget_total + library["township"].budget_total
    assert _compute("projects.budget")[VILLAGE_B] == 50_000_00
    allocated = LedgerEntry.objects.filter(kind=LedgerKind.ALLOCATION).aggregate(s=Sum("amount_fen"))["s"]
    assert _compute("projects.allocated") == {VILLAGE_A: allocated}
    paid = LedgerEntry.objects.filter(kind=LedgerKind.PAYMENT).aggregate(s=Sum("amount_fen"))["s"]
    assert _compute("projects.paid") == {VILLAGE_A: paid} == {VILLAGE_A: 57_000_00}
    assert _compute("projects.paid_in_period") == {VILLAGE_A: 50_000_00}
    ratio = apps.get_app_config("projects").figure_ratios[0]
    assert (ratio.numerator, ratio.denominator) == ("projects.paid", "projects.budget")


def test_payments_by_day_sum_to_the_period(library):
    today = local_today()
    by_day = figures.projects_paid_in_period_by_day(villages=None, start=today - dt.timedelta(days=500), end=today)
    assert by_day == {(VILLAGE_A, today): 50_000_00, (VILLAGE_A, today - dt.timedelta(days=400)): 7_000_00}
    assert figures.projects_paid_in_period_by_day(villages=[VILLAGE_B], start=today, end=today) == {}
