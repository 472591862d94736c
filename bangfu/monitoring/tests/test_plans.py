"""The plan per household (一户一策), risk clearance refused by the rules and stepped by role, the
rule flags (each firing and not), the plan's scope, its pages and its API."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.services import token_create
from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.households import choices
from bangfu.households.services import household_monitoring_set
from bangfu.monitoring import rules, services
from bangfu.monitoring.models import Clearance, ClearanceStage, Flag, Lead, PlanMeasure, Stage
from conftest import VILLAGE_A, member_data, person_id

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def _in_english():
    """The reasons are read in English here, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(services, "local_today", lambda now=None: TODAY)
    monkeypatch.setattr(rules, "local_today", lambda now=None: TODAY)
    return TODAY


def monitored(personas, make_household, *, village=VILLAGE_A, identified=TODAY - dt.timedelta(days=300),
              risks=(choices.Risk.ILLNESS,), members=None, **fields):
    """A household made monitored by a county decision on `identified`."""
    fields = {"wage_income": 2_000_000, "safe_water": True, "dilapidated": False} | fields
    household = make_household(village, members=members, **fields)
    household_monitoring_set(actor=personas["admin"], household=household, monitor_type="marginal", risks=list(risks))
    Lead.objects.create(
        client_id=uuid.uuid4(), source="cadre", channel="contact", indicator="大病", name="户主", household=household,
        village=household.region, region_code=household.region_code, received_on=identified, stage=Stage.MONITORED,
        stage_since=identified, identify_by=identified, monitor_type="marginal", decided_on=identified,
        created_at=timezone.now())
    household.refresh_from_db()
    return household


def _measure(personas, household, *, type="employment", client_id=None, actor="office"):
    return services.measure_create(actor=personas[actor], household=household, client_id=client_id or uuid.uuid4(),
                                   type=type, content="推荐到县工业园务工", owner=personas["village_a"],
                                   due_on=TODAY + dt.timedelta(days=30))


# --- the plan ---------------------------------------------------------------------------------------

def test_a_measure_is_added_once_per_client_id_with_history(personas, make_household, today):
    household = monitored(personas, make_household)
    client_id = uuid.uuid4()
    first, created = _measure(personas, household, client_id=client_id)
    again, created_again = _measure(personas, household, client_id=client_id)
    assert (created, created_again) == (True, False) and first.pk == again.pk
    assert PlanMeasure.objects.count() == 1 and first.planned_on == TODAY
    assert Change.objects.filter(object_type="planmeasure", object_id=str(first.pk)).count() == 1
    done = services.measure_status_set(actor=personas["village_a"], measure=first, status="done", version=1)
    assert done.status == "done" and done.done_on == TODAY
    with pytest.raises(services.StepNotAllowed):
        services.measure_status_set(actor=personas["village_a"], measure=first, status="under_way", version=1)


def test_a_measure_is_refused_naming_the_field(personas, make_household, today):
    household = monitored(personas, make_household)
    plain = make_household(VILLAGE_A)
    with pytest.raises(ValidationError) as error:
        _measure(personas, plain)
    assert "household" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _measure(personas, household, type="supplies")
    assert "type" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.measure_create(actor=personas["office"], household=household, client_id=uuid.uuid4(),
                                type="industry", content="养牛", owner=personas["outsider_office"],
                                due_on=TODAY)
    assert "owner" in error.value.message_dict
    assert not PlanMeasure.objects.exists()


def test_the_plan_is_seen_only_within_the_area(personas, make_household, today):
    from bangfu.monitoring import queries

    household = monitored(personas, make_household)
    _measure(personas, household)
    assert len(queries.plan_of(personas["village_a"], household.pk)["measures"]) == 1
    for name in ("outsider_office", "caseworker_b"):
        with pytest.raises(Http404):
            queries.plan_of(personas[name], household.pk)
        with pytest.raises(Http404):
            _measure(personas, household, actor="outsider_office")
    assert queries.plans_list(personas["outsider_office"]) == []
    with pytest.raises(PermissionDenied):
        _measure(personas, household, actor="county")


# --- clearance ---------------------------------------------------------------------------------------

STEP_DATA = {
    "verify": {"cadres": ["王建国", "李秀英"], "findings": "务工收入稳定", "stable_since": TODAY - dt.timedelta(days=200)},
    "publicize": {"meeting_on": TODAY - dt.timedelta(days=8), "notice_start": TODAY - dt.timedelta(days=7),
                  "notice_end": TODAY - dt.timedelta(days=1)},
    "review": {"agreed": True},
    "decide": {"agreed": True},
}
WHO = {"verify": "village_a", "publicize": "village_a", "review": "office", "decide": "county"}


def _start(personas, household, method=choices.RiskEliminationMethod.ASSISTED):
    clearance, _created = services.clearance_start(actor=personas["village_a"], household=household,
                                                   client_id=uuid.uuid4(), method=method)
    return clearance


def test_a_clearance_through_every_step_clears_the_household(personas, make_household, today):
    household = monitored(personas, make_household)
    clearance = _start(personas, household, choices.RiskEliminationMethod.NATURAL)
    for action in WHO:
        clearance = services.clearance_step(clearance=clearance, actor=personas[WHO[action]], action=action,
                                            data=STEP_DATA[action])
    assert clearance.stage == ClearanceStage.CLEARED and clearance.decided_on == TODAY
    assert [s["action"] for s in clearance.steps] == list(WHO)
    assert clearance.stable_since == TODAY - dt.timedelta(days=200) and clearance.income_per_person_fen == 2_000_000
    household.refresh_from_db()
    assert choices.Category.MONITORED not in household.category_values()
    assert (household.risk_elimination_method, household.risk_eliminated_on) == ("自然消除", TODAY)
    assert Change.objects.filter(object_type="clearance", object_id=str(clearance.pk)).count() == 5


@pytest.mark.parametrize("action", list(WHO))
def test_each_clearance_step_is_refused_to_other_roles_and_from_another_stage(personas, make_household, today,
                                                                              action):
    household = monitored(personas, make_household)
    clearance = _start(personas, household)
    order = list(WHO)
    for step in order[:order.index(action)]:
        clearance = services.clearance_step(clearance=clearance, actor=personas[WHO[step]], action=step,
                                            data=STEP_DATA[step])
    for name in ("caseworker_a", "office", "village_a", "county"):
        if name != WHO[action]:
            with pytest.raises(PermissionDenied):
                services.clearance_step(clearance=clearance, actor=personas[name], action=action, data=STEP_DATA[action])
    wrong = order[(order.index(action) + 1) % len(order)]
    with pytest.raises(services.ClearanceStepNotAllowed):
        services.clearance_step(clearance=clearance, actor=personas["admin"], action=wrong, data=STEP_DATA[wrong])


def test_a_township_saying_no_ends_the_clearance_with_its_reason(personas, make_household, today):
    household = monitored(personas, make_household)
    clearance = _start(personas, household)
    for action in ("verify", "publicize"):
        clearance = services.clearance_step(clearance=clearance, actor=personas["village_a"], action=action,
                                            data=STEP_DATA[action])
    with pytest.raises(ValidationError) as error:
        services.clearance_step(clearance=clearance, actor=personas["office"], action="review", data={"agreed": False})
    assert "reason" in error.value.message_dict
    clearance = services.clearance_step(clearance=clearance, actor=personas["office"], action="review",
                                        data={"agreed": False, "reason": "收入来源不稳定"})
    assert clearance.stage == ClearanceStage.REFUSED and clearance.outcome_reason == "收入来源不稳定"
    household.refresh_from_db()
    assert choices.Category.MONITORED in household.category_values()


REFUSALS = {
    "no_income": ({"wage_income": None}, "not recorded"),
    "below_line": ({"wage_income": 600_000}, "not above the monitoring line"),
    "housing": ({"dilapidated": True}, "Housing is not safe"),
    "water": ({"safe_water": False}, "Drinking water"),
    "medical": ({"members": [member_data(medical_insured=False)]}, "medical insurance"),
    "schooling": ({"members": [member_data(), member_data(
        relation=choices.Relation.SON, id_number=person_id(sex="M", birth=dt.date(2016, 3, 1)),
        birth_date=dt.date(2016, 3, 1), school_status="", labor_skill=choices.LaborSkill.NONE)]},
        "Compulsory schooling"),
    "no_labour": ({"members": [member_data(labor_skill=choices.LaborSkill.LOST)]}, "able to work"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_clearance_is_refused_with_the_reason_when_the_rules_say_no(personas, make_household, today, case):
    fields, words = REFUSALS[case]
    household = monitored(personas, make_household, **fields)
    with pytest.raises(services.ClearanceRefused) as refused:
        _start(personas, household)
    assert any(words in reason for reason in refused.value.reasons), refused.value.reasons
    assert not Clearance.objects.exists()


def test_clearance_is_refused_when_income_has_not_stood_above_the_line_long_enough(personas, make_household, today):
    from bangfu.monitoring.models import MonitoringSettings

    household = monitored(personas, make_household)
    clearance = _start(personas, household)
    short = STEP_DATA["verify"] | {"stable_since": TODAY - dt.timedelta(days=100)}
    with pytest.raises(services.ClearanceRefused) as refused:
        services.clearance_step(clearance=clearance, actor=personas["village_a"], action="verify", data=short)
    assert "less than 6 months" in refused.value.reasons[0]
    clearance.refresh_from_db()
    assert clearance.stage == ClearanceStage.VERIFY
    # A county's own line and period count.
    MonitoringSettings.objects.create(county_id="370215", line_fen=2_500_000, stable_months=3,
                                      updated_by=personas["county"], updated_at=timezone.now())
    assert any("25,000" in r for r in services.clearance_refusals(household))


# --- rule flags --------------------------------------------------------------------------------------

def _facts(**kwargs) -> rules.Facts:
    base = {"pk": 1, "region_code": VILLAGE_A, "monitored": True, "people": 3, "labour": 2, "working_age": 2,
            "identified_on": TODAY - dt.timedelta(days=300), "income_per_person_fen": 1_000_000,
            "open_measures": 1, "first_development_on": TODAY - dt.timedelta(days=250)}
    return rules.Facts(**(base | kwargs))


RULE_CASES = {
    "no_development": (
        _facts(first_development_on=None),
        [_facts(), _facts(labour=0, first_development_on=None),
         _facts(identified_on=TODAY - dt.timedelta(days=30), first_development_on=None)]),
    "unstable_work_no_working_age": (
        _facts(risks=[choices.Risk.UNSTABLE_WORK], working_age=0),
        [_facts(risks=[choices.Risk.UNSTABLE_WORK]), _facts(working_age=0, risks=[choices.Risk.ILLNESS])]),
    "quick_clearance": (
        _facts(cleared_on=TODAY - dt.timedelta(days=260)),
        [_facts(cleared_on=TODAY), _facts()]),
    "below_line_no_plan": (
        _facts(income_per_person_fen=500_000, open_measures=0),
        [_facts(income_per_person_fen=500_000), _facts(open_measures=0), _facts(income_per_person_fen=None,
                                                                                 open_measures=0)]),
}


def test_every_rule_has_its_cases():
    assert set(RULE_CASES) == {rule.code for rule in rules.RULES}


@pytest.mark.parametrize("code", list(RULE_CASES))
def test_each_rule_fires_and_does_not(code):
    fires, quiet = RULE_CASES[code]
    assert code in [r.code for r in rules.firing(fires, TODAY)]
    for facts in quiet:
        assert code not in [r.code for r in rules.firing(facts, TODAY)]


def test_the_nightly_run_flags_households_from_the_database_and_clears_them(personas, make_household, today):
    old = person_id(sex="F", birth=dt.date(1940, 1, 1))
    labour = monitored(personas, make_household, wage_income=400_000)
    elderly = monitored(personas, make_household, risks=[choices.Risk.UNSTABLE_WORK],
                        members=[member_data(id_number=old, birth_date=dt.date(1940, 1, 1),
                                             labor_skill=choices.LaborSkill.NONE)])
    quick = monitored(personas, make_household, identified=TODAY - dt.timedelta(days=30))
    _measure(personas, quick, type="industry")
    clearance = _start(personas, quick)
    for action in WHO:
        clearance = services.clearance_step(clearance=clearance, actor=personas[WHO[action]], action=action,
                                            data=STEP_DATA[action])
    counts = rules.flags_refresh(chunk=2)
    flags = {(f.household_id, f.rule) for f in Flag.objects.all()}
    assert (labour.pk, "no_development") in flags and (labour.pk, "below_line_no_plan") in flags
    assert (elderly.pk, "unstable_work_no_working_age") in flags
    assert (quick.pk, "quick_clearance") in flags and (quick.pk, "no_development") not in flags
    assert counts["households"] == 3
    # A measure planned answers the missing plan at once (on change), and the next night keeps it so.
    _measure(personas, labour, type="health")
    assert (labour.pk, "below_line_no_plan") not in {(f.household_id, f.rule) for f in Flag.objects.all()}
    assert rules.flags_refresh()["raised"] == 0
    message = Flag.objects.get(household=labour, rule="no_development").message
    assert "2025-11-05" in message and "%(" not in message


# --- pages and API ------------------------------------------------------------------------------------

def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_create(user=user, name='t')}"})


def test_the_plan_api_adds_a_measure_once_and_lists_in_scope(personas, make_household, today):
    household = monitored(personas, make_household)
    body = {"client_id": str(uuid.uuid4()), "household": household.pk, "type": "employment",
            "content": "公益岗位", "owner": personas["village_a"].pk, "due_on": (TODAY + dt.timedelta(days=9)).isoformat()}
    office = _api(personas["office"])
    first = office.post("/api/plans", json.dumps(body), content_type="application/json")
    again = office.post("/api/plans", json.dumps(body), content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    bad = office.post("/api/plans", json.dumps(body | {"client_id": str(uuid.uuid4()), "owner": 999999}),
                      content_type="application/json")
    assert bad.status_code == 422 and "owner" in bad.content.decode()
    assert len(office.get("/api/plans").json()) == 1
    assert _api(personas["outsider_office"]).get("/api/plans").json() == []
    outside = _api(personas["outsider_office"]).post("/api/plans", json.dumps(body | {"client_id": str(uuid.uuid4())}),
                                                     content_type="application/json")
    assert outside.status_code == 404


def test_the_flags_api_and_page_list_the_flagged_households_with_a_link(personas, make_household, today):
    household = monitored(personas, make_household, wage_income=400_000)
    rules.flags_refresh()
    rows = _api(personas["office"]).get("/api/flags").json()
    assert {r["rule"] for r in rows} == {"no_development", "below_line_no_plan"}
    assert rows[0]["link"] == reverse("monitoring:plan", args=[household.pk])
    assert _api(personas["office"]).get("/api/flags?rule=quick_clearance").json() == []
    assert _api(personas["outsider_office"]).get("/api/flags").json() == []
    assert _api(personas["village_a"]).get("/api/flags").status_code == 403
    client = Client()
    client.force_login(personas["county"])
    page = client.get(reverse("monitoring:flags"))
    assert page.status_code == 200 and reverse("monitoring:plan", args=[household.pk]) in page.content.decode()


def test_the_plan_page_shows_measures_needs_refusals_and_takes_a_measure(personas, make_household, today):
    household = monitored(personas, make_household, safe_water=False)
    client = Client()
    client.force_login(personas["office"])
    page = client.get(reverse("monitoring:plan", args=[household.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "data-outbox" in text and 'name="client_id"' in text
    assert 'id="refusals"' in text
    form = {"client_id": str(uuid.uuid4()), "type": "water", "content": "接通自来水",
            "owner": personas["village_a"].pk, "due_on": (TODAY + dt.timedelta(days=20)).isoformat()}
    response = client.post(reverse("monitoring:measure_add", args=[household.pk]), form)
    assert response.status_code == 302 and PlanMeasure.objects.get().content == "接通自来水"
    refused = client.post(reverse("monitoring:measure_add", args=[household.pk]),
                          form | {"client_id": str(uuid.uuid4()), "content": ""})
    assert refused.status_code == 422 and PlanMeasure.objects.count() == 1
    detail = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert reverse("monitoring:plan", args=[household.pk]) in detail


def test_the_clearance_pages_refuse_with_the_reason(personas, make_household, today):
    household = monitored(personas, make_household, safe_water=False)
    client = Client()
    client.force_login(personas["village_a"])
    response = client.post(reverse("monitoring:clearance_start", args=[household.pk]),
                           {"client_id": str(uuid.uuid4()), "method": "帮扶消除"})
    assert response.status_code == 422 and not Clearance.objects.exists()
    household.safe_water = True
    household.save()
    assert client.post(reverse("monitoring:clearance_start", args=[household.pk]),
                       {"client_id": str(uuid.uuid4()), "method": "帮扶消除"}).status_code == 302
    clearance = Clearance.objects.get()
    step = reverse("monitoring:clearance_step", args=[clearance.pk, "verify"])
    assert client.get(step).status_code == 200
    assert client.post(step, {"cadres": "王建国、李秀英", "findings": "稳定",
                              "stable_since": (TODAY - dt.timedelta(days=30)).isoformat()}).status_code == 422
    other = Client()
    other.force_login(personas["office"])
    assert other.get(step).status_code == 403
