"""Each indicator's stored figure equals a direct count over the records, after random changes
(through the modules' services, and a bulk status change that only touches history's area
counts) and one incremental refresh: for every village, township, county and province, and every
period containing today."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.casework.models import Contact, HouseholdCase
from bangfu.core.codes import ancestors
from bangfu.core.dates import local_today
from bangfu.deliveries.models import Delivery
from bangfu.emergency.models import FeverAlert, HealthCheck as Check, Returnee
from bangfu.households.choices import Category, MonitorType, Status
from bangfu.households.models import Household, HouseholdCategory, Member
from bangfu.needs.models import OPEN, Need
from bangfu.reports import registry, services
from bangfu.reports.models import Figure
from bangfu.reports.periods import periods_of
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER

pytestmark = pytest.mark.django_db


def local_day(moment):
    from django.utils import timezone

    from bangfu.core.dates import SHANGHAI

    return timezone.localtime(moment, SHANGHAI).date() if moment else None


def direct_counts(start, end) -> dict[tuple[str, str], int]:
    """{(village, key): value} counted record by record, in Python."""
    counts: Counter = Counter()
    live = {h.pk: h for h in Household.objects.all()}
    for h in live.values():
        village = h.region_code[:12]
        counts[(village, f"households.status.{h.status}")] += 1
        if h.status != Status.CLOSED:
            counts[(village, "households.total")] += 1
            if h.monitor_type:
                counts[(village, f"households.monitor.{h.monitor_type}")] += 1
    for m in Member.objects.all():
        h = live[m.household_id]
        if h.status != Status.CLOSED:
            counts[(h.region_code[:12], "households.persons")] += 1
    for c in HouseholdCategory.objects.all():
        h = live[c.household_id]
        if h.status != Status.CLOSED:
            key = "households.monitored" if c.category == Category.MONITORED else f"households.category.{c.category}"
            counts[(h.region_code[:12], key)] += 1
    contacted = set()
    for c in Contact.objects.all():
        if start <= c.day <= end:
            counts[(c.region_code[:12], "casework.contacts")] += 1
            contacted.add((c.region_code[:12], c.household_id))
    for village, _household in contacted:
        counts[(village, "casework.contacted")] += 1
    for case in HouseholdCase.objects.all():
        if case.assessment_id:
            counts[(case.region_code[:12], "casework.assessed")] += 1
            if case.all_ok:
                counts[(case.region_code[:12], "casework.four_met")] += 1
    for n in Need.objects.all():
        village = n.region_code[:12]
        if start <= local_day(n.recorded_at) <= end:
            counts[(village, "needs.reported")] += 1
        if n.resolved_at and start <= local_day(n.resolved_at) <= end:
            counts[(village, "needs.resolved")] += 1
        if n.status in OPEN:
            counts[(village, "needs.open")] += 1
            if n.deadline_at and n.deadline_at <= timezone.now():
                counts[(village, "needs.overdue")] += 1
    for check in Check.objects.all():
        if start <= check.day <= end:
            counts[(check.region_code[:12], "emergency.checks_due")] += 1
            if check.status == "done":
                counts[(check.region_code[:12], "emergency.checks_done")] += 1
    for alert in FeverAlert.objects.all():
        if start <= alert.day <= end:
            counts[(alert.region_code[:12], "emergency.fevers")] += 1
    for returnee in Returnee.objects.all():
        if start <= returnee.arrival <= end:
            counts[(returnee.region_code[:12], "emergency.returnees")] += 1
    for d in Delivery.objects.select_related("stock_move"):
        if d.status == "delivered" and d.done_at and start <= local_day(d.done_at) <= end:
            counts[(d.region_code[:12], "deliveries.delivered")] += 1
        if d.stock_move and start <= local_day(d.stock_move.at) <= end:
            counts[(d.region_code[:12], "deliveries.stock_issued")] -= d.stock_move.quantity
    return counts


COUNTED = {"households", "casework", "needs", "emergency", "deliveries"}


def expected_with_sums(start, end) -> dict[tuple[str, str], int]:
    result: Counter = Counter()
    for (village, key), value in direct_counts(start, end).items():
        for code in (*ancestors(village), village):
            result[(code, key)] += value
    return {k: v for k, v in result.items() if v}


OPS = st.lists(st.tuples(st.sampled_from(["status", "monitor", "contact", "need", "resolve", "deliver"]),
                         st.integers(0, 5), st.sampled_from(Status.values), st.booleans()),
               min_size=1, max_size=6)


@pytest.fixture
def world(make_household, personas, stocked, rice):
    caseworkers = {VILLAGE_A: personas["caseworker_a"], VILLAGE_B: personas["caseworker_b"]}
    households = [make_household(village, caseworker=caseworkers.get(village))
                  for village in (VILLAGE_A, VILLAGE_A, VILLAGE_A, VILLAGE_B, VILLAGE_B, VILLAGE_OTHER)]
    services.figures_rebuild()
    return households


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(ops=OPS)
def test_each_figure_is_a_direct_count_after_random_changes(world, personas, rice, ops):
    from bangfu.casework.services import contact_create
    from bangfu.deliveries.services import delivery_complete, delivery_create
    from bangfu.history.services import areas_touch
    from bangfu.needs.models import Category as NeedCategory
    from bangfu.needs.services import need_create

    office, admin = personas["office"], personas["admin"]
    for op, index, status, flag in ops:
        household = Household.objects.get(pk=world[index].pk)
        cadre = household.caseworker or admin
        if op == "status":  # a bulk change without history rows of its own: the area is touched
            Household.objects.filter(pk=household.pk).update(status=status)
            areas_touch([household.region_code])
        elif op == "monitor":
            Household.objects.filter(pk=household.pk).update(monitor_type=MonitorType.MARGINAL if flag else "")
            areas_touch([household.region_code])
        elif op == "contact":
            contact_create(actor=cadre, household=household, client_id=uuid.uuid4(), channel="phone", reached=True,
                           assessment={"supplies_ok": flag, "prevention_ok": True, "medical_access_ok": True,
                                       "living_ok": True, "supplies_ok_note": "" if flag else "米面不足"},
                           not_reached_reason="")
        elif op == "need":
            need_create(household=household, category=NeedCategory.LIVING_SUPPLIES, description="米面不够",
                        urgency="normal", client_id=uuid.uuid4(), actor=cadre)
        elif op == "resolve":
            from bangfu.needs.services import need_report

            need = Need.objects.filter(household=household, status__in=OPEN).first()
            if need is not None and need.status == "recorded":
                need_report(need=need, actor=cadre)
        elif op == "deliver" and household.region_code.startswith("370215010"):
            delivery = delivery_create(household=household, kind="goods", source="stock", item=rice, quantity=1,
                                       actor=office, client_id=str(uuid.uuid4()))
            delivery_complete(delivery=delivery, received_by="户主本人", actor=office)
    services.figures_refresh()
    keys = set(registry.indicators())
    for kind, start, end in periods_of(local_today()):
        # The apps these random changes write to; the other apps' figures have their own tests.
        stored = {(region, key): value for region, key, value in
                  Figure.objects.filter(kind=kind, start=start).values_list("region", "indicator", "value")
                  if key.split(".")[0] in COUNTED}
        expected = expected_with_sums(start, end)
        assert {key for _region, key in expected} <= keys
        assert stored == expected, (kind, start)
