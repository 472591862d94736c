"""Distributions: the selection and its order (special groups first), a delivery per household,
delivering issues stock, and the report of planned / delivered / outstanding / stock left."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.permissions import PermissionDenied
from bangfu.deliveries.models import Delivery, DeliveryStatus, Distribution
from bangfu.deliveries.queries import distribution_report, distribution_selection
from bangfu.deliveries.services import (
    DistributionPlan,
    PlanLine,
    delivery_complete,
    delivery_fail,
    distribution_create,
)
from bangfu.history.models import Change
from bangfu.households.choices import Category as C
from bangfu.households.choices import Status

VILLAGE_A, VILLAGE_B = "370215010001", "370215010002"


@pytest.fixture
def households(make_household, personas):
    cw_a, cw_b = personas["caseworker_a"], personas["caseworker_b"]
    return {
        "poor": make_household(caseworker=cw_a, categories=[C.REGISTERED_POOR]),
        "minimum": make_household(caseworker=cw_a, categories=[C.REGISTERED_POOR, C.MINIMUM_LIVING]),
        "disabled": make_household(caseworker=cw_a, categories=[C.DISABLED]),
        "extreme": make_household(VILLAGE_B, caseworker=cw_b, categories=[C.EXTREME_HARDSHIP]),
        "elderly_b": make_household(VILLAGE_B, caseworker=cw_b, categories=[C.ELDERLY_ALONE, C.MINIMUM_LIVING]),
        "closed": make_household(caseworker=cw_a, categories=[C.DISABLED], status=Status.CLOSED),
    }


def plan(township, rice, **overrides) -> DistributionPlan:
    fields = {"township": township, "title": "春节慰问大米", "lines": [PlanLine(item=rice, quantity=10)],
              "villages": [], "categories": []}
    fields.update(overrides)
    return DistributionPlan(**fields)


def test_the_selection_is_ordered_special_groups_first(township, households, personas):
    ordered = distribution_selection(personas["office"], township=township, villages=[], categories=[])
    names = {h.pk: name for name, h in households.items()}
    assert [names[h.pk] for h in ordered] == ["extreme", "disabled", "elderly_b", "minimum", "poor"]


def test_the_selection_by_village_and_categories(township, households, personas):
    chosen = distribution_selection(personas["office"], township=township, villages=[VILLAGE_A],
                                    categories=[C.MINIMUM_LIVING, C.DISABLED])
    assert [h.pk for h in chosen] == [households["disabled"].pk, households["minimum"].pk]


def test_each_share_becomes_a_delivery_to_the_caseworker_in_order(township, households, personas, stocked, rice):
    distribution = distribution_create(plan=plan(township, rice, categories=[C.MINIMUM_LIVING, C.DISABLED,
                                                                             C.EXTREME_HARDSHIP]),
                                       actor=personas["office"])
    rows = list(Delivery.objects.filter(distribution=distribution).order_by("sequence"))
    assert [d.household_id for d in rows] == [households[n].pk for n in ("extreme", "elderly_b", "disabled",
                                                                       "minimum")]
    assert [d.sequence for d in rows] == [1, 2, 3, 4]
    assert all(d.status == DeliveryStatus.ASSIGNED and d.quantity == 10 for d in rows)
    # 优先: 特困供养 and 留守老人 (and 重残), not every special group of the selection.
    assert [(d.priority, d.priority_reasons) for d in rows] == [
        (True, ["extreme_hardship"]), (True, ["elderly_alone"]), (False, []), (False, [])]
    assert rows[0].caseworker == personas["caseworker_b"] and rows[2].caseworker == personas["caseworker_a"]
    # Planned on each household's timeline.
    assert Change.objects.filter(object_type="delivery", household_id=households["disabled"].pk).exists()


def test_the_report_counts_planned_delivered_outstanding_and_stock_left(township, households, personas, stocked, rice):
    distribution = distribution_create(plan=plan(township, rice), actor=personas["office"])
    rows = list(Delivery.objects.filter(distribution=distribution).order_by("sequence"))
    # In order: 特困 and 留守老人 (caseworker_b's, priority), then the others (caseworker_a's).
    delivery_complete(delivery=rows[0], received_by="本人", actor=personas["caseworker_b"])
    delivery_complete(delivery=rows[2], received_by="其子", actor=personas["caseworker_a"])
    delivery_fail(delivery=rows[1], reason="已搬离", actor=personas["caseworker_b"])

    report = distribution_report(personas["office"], distribution)
    [rice_line] = report.lines
    assert (report.households, rice_line.planned) == (5, 50)
    assert (report.delivered_households, rice_line.delivered) == (2, 20)
    assert (report.failed_households, report.outstanding_households, rice_line.outstanding) == (1, 2, 20)
    assert rice_line.stock_left == 80
    # A caseworker sees only their households' rows, but the same totals.
    mine = distribution_report(personas["caseworker_a"], distribution)
    assert {d.household.caseworker_id for d in mine.rows} == {personas["caseworker_a"].pk}


def test_only_the_office_plans_and_nothing_is_written_when_refused(township, households, personas, rice):
    for persona in ("caseworker_a", "village_a", "county"):
        with pytest.raises(PermissionDenied):
            distribution_create(plan=plan(township, rice), actor=personas[persona])
    with pytest.raises(ValidationError):
        distribution_create(plan=plan(township, rice), actor=personas["outsider_office"])
    assert not Distribution.objects.exists() and not Delivery.objects.exists()


def test_an_empty_selection_is_refused(township, households, personas, rice):
    with pytest.raises(ValidationError) as error:
        distribution_create(plan=plan(township, rice, categories=[C.SPECIAL_FAMILY]), actor=personas["office"])
    assert "villages" in error.value.message_dict
    assert not Distribution.objects.exists()


def test_a_plan_sent_twice_with_one_client_id_is_made_once(township, households, personas, rice):
    first = distribution_create(plan=plan(township, rice), actor=personas["office"], client_id="plan-1")
    again = distribution_create(plan=plan(township, rice), actor=personas["office"], client_id="plan-1")
    assert first.pk == again.pk and Delivery.objects.count() == 5


def _assess(household, personas, *, supplies_ok: bool) -> None:
    from bangfu.casework.services import contact_create

    conditions = {"supplies_ok": supplies_ok, "prevention_ok": True, "medical_access_ok": True, "living_ok": True}
    if not supplies_ok:
        conditions["supplies_ok_note"] = "米面只够三天"
    contact_create(actor=personas["office"], household=household, client_id=uuid.uuid4(), channel="phone",
                   reached=True, assessment=conditions)


def test_the_selection_of_households_short_of_supplies_by_their_latest_assessment(
        township, households, personas, stocked, rice):
    _assess(households["poor"], personas, supplies_ok=False)
    _assess(households["disabled"], personas, supplies_ok=False)
    _assess(households["disabled"], personas, supplies_ok=True)  # the latest assessment counts
    _assess(households["minimum"], personas, supplies_ok=True)
    # "extreme" and "elderly_b" were never assessed: not known to be short, so not chosen.
    chosen = distribution_selection(personas["office"], township=township, villages=[], categories=[],
                                    supplies_short=True)
    assert [h.pk for h in chosen] == [households["poor"].pk]

    distribution = distribution_create(plan=plan(township, rice, supplies_short=True), actor=personas["office"])
    assert distribution.supplies_short is True
    assert list(Delivery.objects.filter(distribution=distribution).values_list("household_id", flat=True)) == [
        households["poor"].pk]
