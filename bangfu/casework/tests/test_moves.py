"""A household that changes village or caseworker: casework's summary rows (the villages' assessment
tallies, the campaigns' coverage by village and caseworker) and its open follow-ups follow it, as a
recount from scratch would find them."""

from __future__ import annotations

import uuid

import pytest

from bangfu.casework import queries, services
from bangfu.casework.models import AssessmentTally, CoverageTally, FollowUp, FollowUpStatus, HouseholdCase
from bangfu.casework.tests.conftest import ALL_MET
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.households import services as household_services
from conftest import VILLAGE_A, VILLAGE_B, _user, household_data

pytestmark = pytest.mark.django_db
TOWNSHIP = "370215010"


def _assessment_tallies() -> dict:
    return {t.region_code: (t.assessed, t.supplies_ok, t.prevention_ok, t.medical_access_ok, t.living_ok, t.all_ok)
            for t in AssessmentTally.objects.all() if t.assessed}


def _coverage_tallies(campaign) -> dict:
    return {(t.region_code, t.caseworker_id): (t.total, t.reached, t.tried, t.flagged)
            for t in CoverageTally.objects.filter(campaign=campaign)}


def _as_recounted(campaign=None) -> None:
    """The summary rows kept on write equal those counted again from the rows they summarise."""
    kept = _assessment_tallies()
    services.assessment_tallies_rebuild()
    assert kept == _assessment_tallies()
    if campaign is not None:
        kept = _coverage_tallies(campaign)
        services.coverage_tallies_rebuild(campaign=campaign)
        assert kept == _coverage_tallies(campaign)


def _move(personas, regions, household, village):
    household.refresh_from_db()
    return household_services.household_update(actor=personas["office"], household=household,
                                                version=household.version, data=household_data(regions[village]))


def test_assessment_numbers_follow_a_household_to_its_new_village(personas, regions, casework, log):
    worker = personas["caseworker_a"]
    log(worker, casework["poor_a"])
    log(worker, casework["elderly_a"], assessment={**ALL_MET, "living_ok": False, "living_ok_note": "房屋漏雨"})
    log(personas["caseworker_b"], casework["poor_b"])
    assert _assessment_tallies()[VILLAGE_A][0] == 2

    _move(personas, regions, casework["elderly_a"], VILLAGE_B)

    tallies = _assessment_tallies()
    assert tallies[VILLAGE_A] == (1, 1, 1, 1, 1, 1)
    assert tallies[VILLAGE_B] == (2, 2, 2, 2, 1, 1)
    assert HouseholdCase.objects.get(household=casework["elderly_a"]).region_code == VILLAGE_B
    overview = queries.assessment_overview(personas["office"], VILLAGE_B)
    assert overview.total.assessed == 2 and [c.household_id for c in overview.not_met] == [casework["elderly_a"].pk]
    _as_recounted()


def test_campaign_coverage_follows_a_move_and_a_reassignment(personas, regions, casework, log):
    worker_a, worker_b = personas["caseworker_a"], personas["caseworker_b"]
    day = local_today()
    campaign = services.campaign_create(actor=personas["office"], name="电话随访暖心", region_codes=[TOWNSHIP],
                                        start=day, end=day)
    for _ in range(3):
        log(worker_a, casework["elderly_a"], reached=False, campaign=campaign)  # flagged for a visit
    log(worker_a, casework["poor_a"], campaign=campaign)  # reached

    # The flagged household moves to village B; the reached one is handed to village B's caseworker
    # after it moved too (the reached call stays to caseworker_a's credit).
    _move(personas, regions, casework["elderly_a"], VILLAGE_B)
    household_services.assignment_set(actor=personas["office"], households=[casework["elderly_a"]], caseworker=worker_b)
    _move(personas, regions, casework["poor_a"], VILLAGE_B)
    household_services.assignment_set(actor=personas["office"], households=[casework["poor_a"]], caseworker=worker_b)

    coverage = queries.campaign_coverage(personas["office"], campaign)
    by_village = {row.key: (row.total, row.reached, row.tried, row.flagged) for row in coverage.by_village}
    assert by_village == {VILLAGE_A: (1, 0, 0, 0), VILLAGE_B: (3, 1, 1, 1)}
    by_caseworker = {row.key: (row.total, row.reached, row.tried, row.flagged) for row in coverage.by_caseworker}
    assert by_caseworker == {str(worker_a.pk): (2, 1, 0, 0), str(worker_b.pk): (2, 0, 1, 1)}
    # The open call is now on the new caseworker's list, in the new village.
    followup = FollowUp.objects.get(campaign=campaign, household=casework["elderly_a"])
    assert (followup.caseworker_id, followup.region_code, followup.status) == (worker_b.pk, VILLAGE_B, FollowUpStatus.DUE)
    assert [f.household_id for f in queries.campaign_coverage(worker_b, campaign).flagged] == [casework["elderly_a"].pk]
    _as_recounted(campaign)


def test_a_closed_campaign_keeps_its_numbers(personas, regions, casework, log):
    day = local_today()
    campaign = services.campaign_create(actor=personas["office"], name="春节走访", region_codes=[TOWNSHIP],
                                        start=day, end=day)
    services.campaign_close(actor=personas["office"], campaign=campaign)
    before = _coverage_tallies(campaign)
    _move(personas, regions, casework["monitored_a"], VILLAGE_B)
    assert _coverage_tallies(campaign) == before


def test_a_new_caseworker_takes_the_open_follow_ups(personas, casework):
    colleague = _user("caseworker_a2", Role.CASEWORKER, VILLAGE_A)
    services.followups_generate(day=local_today())
    household = casework["poor_a"]
    household_services.assignment_set(actor=personas["office"], households=[household], caseworker=colleague)
    assert set(FollowUp.objects.filter(household=household, status="due").values_list("caseworker_id", flat=True)) \
        == {colleague.pk}


def test_a_reassignment_costs_the_same_queries_for_one_household_or_many(personas, casework, log, make_household):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    more = [make_household(VILLAGE_A, caseworker=personas["caseworker_a"]) for _ in range(5)]
    for household in more:
        log(personas["caseworker_a"], household)
    day = local_today()
    services.campaign_create(actor=personas["office"], name="电话随访暖心", region_codes=[TOWNSHIP], start=day, end=day)
    services.followups_generate(day=day)
    counts = []
    for n, households in enumerate(([casework["poor_a"]], [casework["elderly_a"], *more])):
        colleague = _user(f"caseworker_a{n + 2}", Role.CASEWORKER, VILLAGE_A)
        with CaptureQueriesContext(connection) as ctx:
            household_services.assignment_set(actor=personas["office"], households=households, caseworker=colleague)
        counts.append(len([q for q in ctx.captured_queries if "casework_" in q["sql"] or "needs_" in q["sql"]]))
    assert counts[0] == counts[1]


def test_a_household_moved_by_an_excel_import_takes_its_numbers_along(personas, tmp_path):
    from bangfu.households.models import Household
    from bangfu.imports.services import households_import
    from bangfu.imports.tests.support import write_xlsx
    from conftest import person_id

    headers = ["户编号", "村", "姓名", "证件号码", "与户主关系", "文化程度", "在校生状况"]
    head = person_id()
    for village, name in ((VILLAGE_A, "戴家庄村"), (VILLAGE_B, "北郝家庄村")):
        path = write_xlsx(tmp_path / f"{village}.xlsx", headers, [["370215010001701", name, "钱进", head, "户主", "初中", ""]])
        result = households_import(actor=personas["office"], source=path, region_code=TOWNSHIP)
        assert result.ok
        household = Household.objects.get()
        if village == VILLAGE_A:
            household_services.assignment_set(actor=personas["office"], households=[household],
                                              caseworker=personas["caseworker_a"])
            services.contact_create(actor=personas["caseworker_a"], household=household, client_id=uuid.uuid4(),
                                    channel="visit", reached=True, assessment=dict(ALL_MET))
            assert _assessment_tallies() == {VILLAGE_A: (1, 1, 1, 1, 1, 1)}
    assert household.region_code == VILLAGE_B
    assert _assessment_tallies() == {VILLAGE_B: (1, 1, 1, 1, 1, 1)}
    _as_recounted()
