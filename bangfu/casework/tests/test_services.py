"""Contacts, idempotent submissions, schedules and due follow-ups, campaigns and their coverage, the
assessment summary: through the services, as the pages and the API use them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from bangfu.casework import queries, services
from bangfu.casework.models import (
    Assessment,
    AssessmentTally,
    Campaign,
    Contact,
    CoverageTally,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    HouseholdCase,
)
from bangfu.casework.tests.conftest import ALL_MET
from bangfu.core.dates import local_today
from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from conftest import VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.django_db
TOWNSHIP = "370215010"


def today():
    return local_today()


# --- contacts and idempotency ------------------------------------------------------------------

def test_same_client_id_twice_stores_one_contact(personas, casework):
    worker, household = personas["caseworker_a"], casework["poor_a"]
    client_id = uuid.uuid4()
    kwargs = {"actor": worker, "household": household, "client_id": client_id, "channel": "phone", "reached": True,
              "assessment": dict(ALL_MET), "notes": "身体还好"}
    first, created = services.contact_create(**kwargs)
    again, created_again = services.contact_create(**kwargs)
    assert created and not created_again
    assert again.pk == first.pk
    assert Contact.objects.count() == 1
    assert Assessment.objects.count() == 1
    assert Change.objects.filter(object_type="contact").count() == 1
    assert AssessmentTally.objects.get(region_code=VILLAGE_A).assessed == 1


def test_then_steps_run_once_in_the_same_transaction(personas, casework):
    calls = []
    client_id = uuid.uuid4()
    for _ in range(2):
        services.contact_create(actor=personas["caseworker_a"], household=casework["poor_a"], client_id=client_id,
                                channel="visit", reached=True, assessment=dict(ALL_MET), then=[calls.append])
    assert len(calls) == 1 and calls[0].pk == Contact.objects.get().pk

    def fail(contact):
        raise ValidationError({"need": "no"})

    with pytest.raises(ValidationError):
        services.contact_create(actor=personas["caseworker_a"], household=casework["poor_a"], client_id=uuid.uuid4(),
                                channel="visit", reached=True, assessment=dict(ALL_MET), then=[fail])
    assert Contact.objects.count() == 1  # the failed step took its contact with it


def test_contact_outside_scope_is_404_and_writes_nothing(personas, casework):
    with pytest.raises(Http404):
        services.contact_create(actor=personas["caseworker_b"], household=casework["poor_a"], client_id=uuid.uuid4(),
                                channel="phone", reached=True, assessment=dict(ALL_MET))
    with pytest.raises(Http404):
        services.contact_create(actor=personas["outsider_office"], household=casework["poor_a"],
                                client_id=uuid.uuid4(), channel="phone", reached=False, not_reached_reason="away")
    assert not Contact.objects.exists() and not HouseholdCase.objects.exists()
    assert not Change.objects.filter(object_type="contact").exists()


def test_role_without_permission_is_refused_and_writes_nothing(personas, casework):
    with pytest.raises(PermissionDenied):
        services.contact_create(actor=personas["county"], household=casework["poor_a"], client_id=uuid.uuid4(),
                                channel="phone", reached=False, not_reached_reason="away")
    assert not Contact.objects.exists()


@pytest.mark.parametrize("kwargs, field", [
    ({"reached": False}, "not_reached_reason"),
    ({"reached": True, "not_reached_reason": "away", "assessment": dict(ALL_MET)}, "not_reached_reason"),
    ({"reached": True, "assessment": {**ALL_MET, "living_ok": False}}, "living_ok_note"),
    ({"reached": True, "assessment": {**ALL_MET, "supplies_ok": None}}, "supplies_ok"),
    ({"reached": True, "at": timezone.now() + dt.timedelta(days=1)}, "at"),
    ({"reached": False, "not_reached_reason": "away", "assessment": dict(ALL_MET)}, "assessment"),
])
def test_bad_contacts_are_refused_with_a_field_error(personas, casework, kwargs, field):
    with pytest.raises(ValidationError) as error:
        services.contact_create(actor=personas["caseworker_a"], household=casework["poor_a"], client_id=uuid.uuid4(),
                                channel="phone", **kwargs)
    assert field in error.value.message_dict
    assert not Contact.objects.exists()


def test_contacts_of_a_household_newest_first(personas, casework, log):
    old = log(personas["caseworker_a"], casework["poor_a"], reached=False, at=timezone.now() - dt.timedelta(days=2))
    new = log(personas["caseworker_a"], casework["poor_a"], channel="visit")
    assert [c.pk for c in queries.contacts_of(casework["poor_a"])] == [new.pk, old.pk]
    case = HouseholdCase.objects.get(household=casework["poor_a"])
    assert case.last_reached_on == today() and case.all_ok is True


# --- schedules and due follow-ups ----------------------------------------------------------------

def test_generation_is_idempotent_and_follows_the_schedules(casework):
    first = services.followups_generate(day=today())
    assert first["created"] == 4
    second = services.followups_generate(day=today())
    assert second == {"created": 0, "missed": 0}
    rows = {row.household_id: row for row in FollowUp.objects.all()}
    assert len(rows) == 4
    assert rows[casework["poor_a"].pk].channel == "visit"
    assert rows[casework["elderly_a"].pk].channel == "phone"
    assert rows[casework["elderly_a"].pk].priority == 0  # a special group comes first
    assert rows[casework["poor_a"].pk].priority == 1
    assert all(row.due == today() for row in rows.values())


def test_a_contact_closes_what_it_covers(personas, casework, log):
    services.followups_generate(day=today())
    worker = personas["caseworker_a"]
    # A call does not stand in for a home visit, and an unanswered one closes nothing.
    log(worker, casework["poor_a"], channel="phone")
    log(worker, casework["elderly_a"], reached=False)
    assert FollowUp.objects.get(household=casework["poor_a"]).status == FollowUpStatus.DUE
    assert FollowUp.objects.get(household=casework["elderly_a"]).status == FollowUpStatus.DUE
    visit = log(worker, casework["poor_a"], channel="visit")
    call = log(worker, casework["elderly_a"], channel="phone")
    poor = FollowUp.objects.get(household=casework["poor_a"])
    assert (poor.status, poor.closed_by_id) == (FollowUpStatus.DONE, visit.pk)
    assert FollowUp.objects.get(household=casework["elderly_a"]).closed_by_id == call.pk
    # The next one is made when it comes within the window (the weekly call's, not the monthly visit's), once.
    assert services.followups_generate(day=today())["created"] == 1
    assert FollowUp.objects.get(household=casework["elderly_a"], status="due").due == today() + dt.timedelta(days=7)
    assert services.followups_generate(day=today())["created"] == 0
    later = today() + dt.timedelta(days=30 - services.GENERATE_DAYS_AHEAD)
    assert services.followups_generate(day=later)["created"] >= 1
    assert services.followups_generate(day=later)["created"] == 0
    nxt = FollowUp.objects.get(household=casework["poor_a"], status=FollowUpStatus.DUE)
    assert nxt.due == today() + dt.timedelta(days=30)


def test_a_follow_up_left_for_a_whole_period_is_missed_and_replaced(casework):
    services.followups_generate(day=today())
    later = today() + dt.timedelta(days=7)
    result = services.followups_generate(day=later)
    assert result["missed"] == 1  # the weekly call of the elderly household
    rows = FollowUp.objects.filter(household=casework["elderly_a"]).order_by("pk")
    assert [(r.status, r.due) for r in rows] == [(FollowUpStatus.MISSED, today()), (FollowUpStatus.DUE, later)]


def test_schedules_are_the_offices_to_change(personas, casework):
    with pytest.raises(PermissionDenied):
        services.schedule_set(actor=personas["caseworker_a"], category="registered_poor", interval_days=7)
    assert services.schedules_current()["registered_poor"] == (30, "visit")
    services.schedule_set(actor=personas["office"], category="registered_poor", interval_days=10, channel="phone")
    assert services.schedules_current()["registered_poor"] == (10, "phone")
    assert Change.objects.filter(object_type="schedule").count() == 1
    with pytest.raises(ValidationError):
        services.schedule_set(actor=personas["office"], category="registered_poor", interval_days=0)


# --- campaigns and coverage ------------------------------------------------------------------------

def _campaign(personas, name="电话随访暖心", **kwargs):
    kwargs.setdefault("region_codes", [TOWNSHIP])
    return services.campaign_create(actor=personas["office"], name=name, start=today(),
                                    end=today() + dt.timedelta(days=6), **kwargs)


def test_campaign_gives_each_household_a_follow_up_for_its_caseworker(personas, casework):
    campaign = _campaign(personas)
    rows = FollowUp.objects.filter(campaign=campaign)
    assert rows.count() == 4
    assert set(rows.values_list("caseworker_id", flat=True)) == {personas["caseworker_a"].pk, personas["caseworker_b"].pk}
    coverage = queries.campaign_coverage(personas["office"], campaign)
    assert (coverage.total.total, coverage.total.reached, coverage.total.tried, coverage.total.not_tried) == (4, 0, 0, 4)
    poor_only = _campaign(personas, "建档立卡户随访", region_codes=[VILLAGE_A], categories=["registered_poor"])
    assert list(FollowUp.objects.filter(campaign=poor_only).values_list("household_id", flat=True)) == [casework["poor_a"].pk]


def test_campaign_outside_the_office_area_is_refused(personas, casework):
    with pytest.raises(ValidationError):
        _campaign(personas, region_codes=["410308103"])
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=personas["caseworker_a"], name="x", region_codes=[VILLAGE_A], start=today(),
                                 end=today())
    assert not Campaign.objects.exists()


def test_coverage_counts_reached_tried_and_flagged_after_three_tries(personas, casework, log):
    campaign = _campaign(personas)
    worker = personas["caseworker_a"]
    log(worker, casework["poor_a"], campaign=campaign)
    for _ in range(3):
        log(worker, casework["elderly_a"], reached=False, campaign=campaign)
    log(worker, casework["monitored_a"], reached=False, not_reached_reason="away")
    coverage = queries.campaign_coverage(personas["office"], campaign)
    total = coverage.total
    assert (total.total, total.reached, total.tried, total.not_tried, total.flagged) == (4, 1, 2, 1, 1)
    assert [f.household_id for f in coverage.flagged] == [casework["elderly_a"].pk]
    by_village = {row.key: row for row in coverage.by_village}
    assert (by_village[VILLAGE_A].reached, by_village[VILLAGE_B].not_tried) == (1, 1)
    by_worker = {row.label: row for row in coverage.by_caseworker}
    assert by_worker[str(personas["caseworker_a"])].total == 3
    # Reached at last: no longer flagged nor tried.
    log(worker, casework["elderly_a"], campaign=campaign)
    total = queries.campaign_coverage(personas["office"], campaign).total
    assert (total.reached, total.tried, total.flagged) == (2, 1, 0)
    # The summary rows agree with the follow-ups they summarise.
    assert sum(t.reached for t in CoverageTally.objects.filter(campaign=campaign)) == \
        FollowUp.objects.filter(campaign=campaign, status="done").count()


def test_a_caseworker_sees_coverage_of_their_own_households(personas, casework, log):
    campaign = _campaign(personas)
    coverage = queries.campaign_coverage(personas["caseworker_b"], campaign)
    assert coverage.total.total == 1
    with pytest.raises(Http404):
        queries.campaign_get(personas["outsider_office"], campaign.pk)


def test_closing_a_campaign_takes_its_calls_off_the_worklist_and_extending_reopens(personas, casework):
    from bangfu.casework.worklist import worklist_for

    campaign = _campaign(personas)
    keys = [s.key for s in worklist_for(personas["caseworker_a"], today())]
    assert "campaign" in keys
    services.campaign_close(actor=personas["office"], campaign=campaign)
    assert "campaign" not in [s.key for s in worklist_for(personas["caseworker_a"], today())]
    with pytest.raises(ValidationError):  # a contact for a closed campaign
        services.contact_create(actor=personas["caseworker_a"], household=casework["poor_a"], client_id=uuid.uuid4(),
                                channel="phone", reached=False, not_reached_reason="away", campaign=campaign)
    services.campaign_extend(actor=personas["office"], campaign=campaign, end=today() + dt.timedelta(days=10))
    campaign.refresh_from_db()
    assert campaign.status == "open" and campaign.end == today() + dt.timedelta(days=10)
    assert "campaign" in [s.key for s in worklist_for(personas["caseworker_a"], today())]


# --- assessment summary ---------------------------------------------------------------------------

def test_assessment_overview_counts_the_latest_assessment(personas, casework, log):
    worker = personas["caseworker_a"]
    log(worker, casework["poor_a"], assessment={**ALL_MET, "supplies_ok": False, "supplies_ok_note": "米面不足"},
        at=timezone.now() - dt.timedelta(days=3))
    log(worker, casework["elderly_a"])
    overview = queries.assessment_overview(personas["office"], TOWNSHIP)
    assert overview.households == 4
    assert (overview.total.assessed, overview.total.all_ok, overview.not_assessed) == (2, 1, 2)
    assert overview.total.conditions["supplies_ok"] == 1
    assert [c.household_id for c in overview.not_met] == [casework["poor_a"].pk]
    # A newer assessment replaces the older one in the counts: nothing counted twice.
    log(worker, casework["poor_a"])
    overview = queries.assessment_overview(personas["office"], TOWNSHIP)
    assert (overview.total.assessed, overview.total.all_ok, overview.total.conditions["supplies_ok"]) == (2, 2, 2)
    assert overview.not_met == []
    # An older assessment logged late does not replace a newer one.
    log(worker, casework["poor_a"], assessment={**ALL_MET, "living_ok": False, "living_ok_note": "房屋漏雨"},
        at=timezone.now() - dt.timedelta(days=5))
    assert queries.assessment_overview(personas["office"], TOWNSHIP).total.all_ok == 2
    # Village B's office view is its own; the caseworker's is their households.
    assert queries.assessment_overview(personas["office"], VILLAGE_B).total.assessed == 0
    assert queries.assessment_overview(personas["caseworker_b"]).total.assessed == 0
    assert queries.assessment_overview(personas["caseworker_a"]).total.assessed == 2
    # By category, from the summary rows: "all N registered-poor households ..."
    poor = queries.assessment_overview(personas["office"], TOWNSHIP, "registered_poor")
    assert (poor.households, poor.total.assessed, poor.total.all_ok) == (2, 1, 1)


# --- the worklist --------------------------------------------------------------------------------

def test_worklist_orders_overdue_first_and_special_groups_first(personas, casework):
    from bangfu.casework.worklist import worklist_for

    services.followups_generate(day=today() - dt.timedelta(days=3))
    FollowUp.objects.filter(household=casework["monitored_a"]).update(due=today())
    sections = worklist_for(personas["caseworker_a"], today())
    assert [s.key for s in sections] == ["overdue", "due"]
    overdue = sections[0].items
    assert [row.household_id for row in overdue] == [casework["elderly_a"].pk, casework["poor_a"].pk]
    assert [row.household_id for row in sections[1].items] == [casework["monitored_a"].pk]
    assert worklist_for(personas["caseworker_b"], today())[0].items[0].household_id == casework["poor_b"].pk


def test_worklist_query_count_is_fixed(personas, casework, make_household, django_assert_num_queries):
    from bangfu.casework.worklist import worklist_for

    _campaign(personas)
    services.followups_generate(day=today())
    # Casework's three sections share two queries: the open follow-ups, their households' categories;
    # the needs' sections (measures assigned, needs to confirm, needs not reported) add one each;
    # emergency's daily checks, deliveries and the assets' inspections due one each.
    with django_assert_num_queries(8):
        worklist_for(personas["caseworker_a"], today())
    for _ in range(5):
        make_household(VILLAGE_A, caseworker=personas["caseworker_a"], categories=["disabled"])
    _campaign(personas, "电话随访暖心（第二轮）")
    services.followups_generate(day=today())
    with django_assert_num_queries(8):
        sections = worklist_for(personas["caseworker_a"], today())
    assert sum(s.count for s in sections) == (3 + 8) + 8  # two campaigns, then the regular follow-ups


def test_command_and_task_make_follow_ups_once(casework):
    from io import StringIO

    from django.core.management import call_command

    from bangfu.casework.tasks import followups_generate_task

    out = StringIO()
    call_command("followups", stdout=out)
    assert "created 4" in out.getvalue()
    followups_generate_task.call_local()
    call_command("followups", stdout=out)
    assert FollowUp.objects.count() == 4


def test_synth_adds_a_year_of_casework_consistent_with_the_summary_rows(personas, casework):
    from bangfu.casework.synthetic import synth_casework

    result = synth_casework(county_code="370215", seed=3)
    assert result.households == 4 and result.contacts > 4 * 12
    weekly = Contact.objects.filter(household=casework["elderly_a"]).count()
    assert weekly > 45
    assert FollowUp.objects.filter(kind=FollowUpKind.SCHEDULE, status="due").count() >= 1
    tally = {t.region_code: t for t in AssessmentTally.objects.all()}
    overview = queries.assessment_overview(personas["office"], TOWNSHIP)
    assert overview.total.assessed == 4 == sum(t.assessed for t in tally.values())
    campaign = Campaign.objects.get(name="电话随访暖心")
    coverage = queries.campaign_coverage(personas["office"], campaign)
    assert coverage.total.total == 4
    assert coverage.total.reached == FollowUp.objects.filter(campaign=campaign, status="done").count()
    # A second run adds nothing for the same households.
    assert synth_casework(county_code="370215", seed=3).contacts == 0


def test_synth_campaign_calls_that_reached_carry_the_four_conditions(personas, casework, make_household):
    from bangfu.casework.synthetic import synth_casework

    # Enough households that the campaign's draw reaches some and leaves some untried.
    for _ in range(12):
        make_household(VILLAGE_A, caseworker=personas["caseworker_a"], categories=["elderly_alone"])
    result = synth_casework(county_code="370215", seed=5)
    campaign = Campaign.objects.get(name="电话随访暖心")
    reached = Contact.objects.filter(campaign=campaign, reached=True)
    assert reached.exists()
    assert not reached.filter(assessment__isnull=True).exists()
    assert not Contact.objects.filter(campaign=campaign, reached=False, assessment__isnull=False).exists()
    assert result.assessments == Assessment.objects.count()
    assert result.contacts == Contact.objects.count()
    # Each household's summary row points at its latest assessment, the campaign's where it is the latest.
    for case in HouseholdCase.objects.select_related("assessment"):
        latest = Assessment.objects.filter(household_id=case.household_id).order_by("-day", "-contact__at").first()
        assert case.assessed_on == latest.day
        assert case.all_ok == case.assessment.all_ok
        last = Contact.objects.filter(household_id=case.household_id).order_by("-at").first()
        assert case.last_contact_at == last.at
    # The villages' tallies agree with the summary rows after the campaign's assessments.
    tallies = {t.region_code: t for t in AssessmentTally.objects.all()}
    for village in (VILLAGE_A, VILLAGE_B):
        cases = HouseholdCase.objects.filter(region_code__startswith=village, assessment__isnull=False)
        assert tallies[village].assessed == cases.count()
        assert tallies[village].all_ok == cases.filter(all_ok=True).count()
        assert tallies[village].supplies_ok == cases.filter(supplies_ok=True).count()
