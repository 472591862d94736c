"""A household that changes village during an emergency: its checks still to do, its returnees and
quarantine, its open deliveries and the summary rows of both villages follow it, as a recount from
scratch would find them; what was done stays where it was done; a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.core.dates import local_today
from bangfu.deliveries.models import Delivery
from bangfu.deliveries.services import delivery_create
from bangfu.emergency.models import CheckStatus, HealthCheck, Returnee, Summary
from bangfu.emergency.services import (
    check_people,
    check_submit,
    checks_generate,
    returnee_register,
    summary_refresh,
)
from bangfu.households import services as household_services
from bangfu.households.models import Household
from bangfu.households.moves import HouseholdMove
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER, household_data, person_id

pytestmark = pytest.mark.django_db


def _kept(emergency) -> dict:
    return {(s.day, s.region_code): (s.due, s.done, s.fever_alerts, s.in_quarantine)
            for s in Summary.objects.filter(emergency=emergency)}


def _as_recounted(emergency) -> dict:
    """The summary rows kept on write equal those counted again from the checks, alerts and quarantines."""
    kept = _kept(emergency)
    for day in {day for day, _code in kept} | {local_today()}:
        summary_refresh(emergency=emergency, day=day)
    assert kept == _kept(emergency)
    return kept


def _move(actor, regions, household, village):
    household.refresh_from_db()
    return household_services.household_update(actor=actor, household=household, version=household.version,
                                                data=household_data(regions[village]))


@pytest.fixture
def county(emergency, make_household, personas):
    """Two households of village A (one with a returnee in quarantine and an open delivery), one of B."""
    quarantined = make_household(caseworker=personas["caseworker_a"])
    neighbour = make_household(caseworker=personas["caseworker_a"])
    other = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    checks_generate()
    returnee = returnee_register(emergency=emergency, household=quarantined, name="李归", id_number=person_id(),
                                 origin="武汉", arrival=local_today(), transport="train",
                                 actor=personas["caseworker_a"])
    delivery = delivery_create(household=quarantined, kind="errand", description="买药", actor=personas["office"])
    return {"quarantined": quarantined, "neighbour": neighbour, "other": other, "returnee": returnee,
            "delivery": delivery}


def test_todays_check_and_the_numbers_follow_a_household_to_its_new_village(emergency, county, personas, regions):
    today = local_today()
    assert _kept(emergency)[(today, VILLAGE_A)] == (2, 0, 0, 1)

    _move(personas["office"], regions, county["quarantined"], VILLAGE_B)

    check = HealthCheck.objects.get(household=county["quarantined"], day=today)
    assert check.region_code == VILLAGE_B and check.status == CheckStatus.DUE
    kept = _as_recounted(emergency)
    assert kept[(today, VILLAGE_A)] == (1, 0, 0, 0)
    assert kept[(today, VILLAGE_B)] == (2, 0, 0, 1)
    # The quarantine goes on in the new village: the returnee is still measured at the household's check.
    assert Returnee.objects.get(pk=county["returnee"].pk).region_code == VILLAGE_B
    assert f"r{county['returnee'].pk}" in [key for key, _name, _person in check_people(check)]
    assert Delivery.objects.get(pk=county["delivery"].pk).region_code == VILLAGE_B
    # The board by caseworker reads the household's caseworker as it is: it follows an assignment.
    household_services.assignment_set(actor=personas["office"], households=[county["quarantined"]],
                                      caseworker=personas["caseworker_b"])
    from bangfu.emergency.queries import check_board

    board = check_board(personas["office"], today, by="caseworker", page=None)
    assert {g.key: (g.due, g.done) for g in board.groups} == {
        str(personas["caseworker_a"].pk): (1, 0), str(personas["caseworker_b"].pk): (2, 0)}
    _as_recounted(emergency)


def test_a_check_done_today_stays_where_it_was_done(emergency, county, personas, regions):
    today = local_today()
    neighbour = county["neighbour"]
    check_submit(check=HealthCheck.objects.get(household=neighbour, day=today), actor=personas["caseworker_a"],
                 client_id=str(uuid.uuid4()), temperatures={f"m{neighbour.members.get().pk}": "36.5"})
    tomorrow = today + dt.timedelta(days=1)
    checks_generate(day=tomorrow)

    _move(personas["office"], regions, neighbour, VILLAGE_B)

    assert HealthCheck.objects.get(household=neighbour, day=today).region_code == VILLAGE_A
    assert HealthCheck.objects.get(household=neighbour, day=tomorrow).region_code == VILLAGE_B
    kept = _as_recounted(emergency)
    assert kept[(today, VILLAGE_A)] == (2, 1, 0, 1)
    assert kept[(tomorrow, VILLAGE_A)] == (1, 0, 0, 1)
    assert kept[(tomorrow, VILLAGE_B)] == (2, 0, 0, 0)


def test_leaving_the_emergencys_area_drops_the_checks_still_to_do_and_arriving_adds_todays(
        emergency, county, personas, regions, make_household):
    today = local_today()
    _move(personas["admin"], regions, county["other"], VILLAGE_OTHER)
    assert not HealthCheck.objects.filter(household=county["other"]).exists()
    assert (today, VILLAGE_B) not in _as_recounted(emergency)

    newcomer = make_household(VILLAGE_OTHER)
    _move(personas["admin"], regions, newcomer, VILLAGE_B)
    assert HealthCheck.objects.get(household=newcomer, day=today, emergency=emergency).region_code == VILLAGE_B
    assert _as_recounted(emergency)[(today, VILLAGE_B)] == (1, 0, 0, 0)


def test_the_same_queries_for_one_household_or_many(emergency, county, personas, make_household, regions):
    from bangfu.deliveries.moves import households_moved as deliveries_moved
    from bangfu.emergency.moves import households_moved

    more = [make_household() for _ in range(4)]
    checks_generate()
    for household in more[:2]:
        returnee_register(emergency=emergency, household=household, name="张返", id_number=person_id(),
                          origin="上海", arrival=local_today(), transport="car", actor=personas["office"])
        delivery_create(household=household, kind="errand", description="买菜", actor=personas["office"])
    counts = []
    for households, village in (([county["quarantined"]], VILLAGE_B), ([county["neighbour"], *more], VILLAGE_B)):
        moves = [HouseholdMove(household_id=h.pk, old_region_code=VILLAGE_A, new_region_code=village,
                               old_caseworker_id=None, new_caseworker_id=None) for h in households]
        Household.objects.filter(pk__in=[h.pk for h in households]).update(region=regions[village],
                                                                          region_code=village)
        with CaptureQueriesContext(connection) as ctx:
            households_moved(moves)
            deliveries_moved(moves)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    kept = _as_recounted(emergency)
    assert (local_today(), VILLAGE_A) not in kept
    assert kept[(local_today(), VILLAGE_B)] == (7, 0, 0, 3)


def test_goods_from_the_townships_stock_do_not_follow_a_household_to_another_township(
        emergency, county, personas, regions, stocked, rice):
    from bangfu.deliveries.models import DeliveryStatus
    from bangfu.supplies.models import Stock

    household = county["quarantined"]
    goods = delivery_create(household=household, kind="goods", source="stock", item=rice, quantity=10,
                            actor=personas["caseworker_a"])
    bought = delivery_create(household=household, kind="goods", source="bought", description="退烧药", cost=30,
                             actor=personas["caseworker_a"])
    _move(personas["admin"], regions, household, VILLAGE_OTHER)

    ended = Delivery.objects.get(pk=goods.pk)
    assert (ended.status, ended.region_code, ended.done_by_id) == (DeliveryStatus.FAILED, VILLAGE_A, None)
    assert ended.failure_reason == "该户在送达前已迁往其他乡镇，未出库。"
    assert Stock.objects.get(item=rice, township_id="370215010").quantity == 100  # nothing issued
    assert Delivery.objects.get(pk=bought.pk).region_code == VILLAGE_OTHER  # bought goods and errands follow
    assert Delivery.objects.get(pk=county["delivery"].pk).region_code == VILLAGE_OTHER
