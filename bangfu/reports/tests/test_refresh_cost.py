"""The incremental refresh in few statements: flows read once per indicator over the days of every
period (their by-day variants, core.figures), stocks once, the figures written in one insert and
each level above rolled up once for every period; and what it stores is still the direct count."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.casework.models import Contact
from bangfu.core.dates import local_today
from bangfu.core.figures import STOCK
from bangfu.households.models import Household
from bangfu.reports import registry, services
from bangfu.reports.models import Figure, PeriodKind
from bangfu.reports.periods import period_start, periods_of
from bangfu.reports.tests.test_counts import COUNTED, expected_with_sums
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER

pytestmark = pytest.mark.django_db


def refresh_periods():
    today = local_today()
    return [period for period in periods_of(today, previous=True)
            if period[0] != PeriodKind.YEAR or period[1] == period_start(PeriodKind.YEAR, today)]


def contacts_on_days(household, actor, days):
    from bangfu.casework.services import contact_create

    for back in days:
        contact, _created = contact_create(actor=actor, household=household, client_id=uuid.uuid4(), channel="phone",
                                 reached=True, assessment=None, not_reached_reason="")
        Contact.objects.filter(pk=contact.pk).update(day=local_today() - dt.timedelta(days=back))


@pytest.fixture
def spread(make_household, personas):
    """Households in three villages, contacts spread over this year's days, rebuilt; then contacts
    in one village on days of every period a refresh recomputes."""
    a = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    b = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    make_household(VILLAGE_OTHER)
    contacts_on_days(b, personas["caseworker_b"], [0, 3])
    services.figures_rebuild(previous=True)
    contacts_on_days(a, personas["caseworker_a"], [0, 0, 1, 6, 9, 20, 33, 45])
    return a


def test_by_day_variants_sum_to_their_flows(spread):
    variants = {key: registry.by_day(indicator) for key, indicator in registry.indicators().items()}
    assert variants["casework.contacts"] is not None
    assert variants["casework.contacted"] is None  # households contacted is not a sum over days
    assert not any(variants[key] for key, indicator in registry.indicators().items() if indicator.kind == STOCK)
    for key, by_day in variants.items():
        if by_day is None:
            continue
        compute = registry.compute_function(registry.indicators()[key])
        for villages in (None, [VILLAGE_A], [VILLAGE_A, VILLAGE_B]):
            for _kind, start, end in refresh_periods():
                summed: Counter = Counter()
                for (code, _day), value in by_day(villages=villages, start=start, end=end).items():
                    summed[code] += value
                assert dict(summed) == compute(villages=villages, start=start, end=end), (key, start, end)


def test_a_refresh_of_listed_villages_stores_the_direct_counts(spread, monkeypatch):
    monkeypatch.setattr(services, "_wide", lambda villages, region: False)
    assert services.figures_refresh().villages == 1
    flows = {key for key, indicator in registry.indicators().items() if indicator.kind != STOCK}
    today = local_today()
    for kind, start, end in refresh_periods():
        stored = {(region, key): value for region, key, value in
                  Figure.objects.filter(kind=kind, start=start).values_list("region", "indicator", "value")
                  if key.split(".")[0] in COUNTED}
        expected = expected_with_sums(start, end)
        if end < today:  # an ended period keeps its stocks; its flows are recomputed
            stored = {k: v for k, v in stored.items() if k[1] in flows}
            expected = {k: v for k, v in expected.items() if k[1] in flows}
        assert stored == expected, (kind, start)
    assert Figure.objects.get(kind=PeriodKind.MONTH, start=period_start(PeriodKind.MONTH, today),
                              region=VILLAGE_A, indicator="casework.contacts").value == sum(
        1 for back in (0, 0, 1, 6, 9, 20, 33, 45) if (today - dt.timedelta(days=back)).month == today.month)


def statements_of_refresh() -> int:
    with CaptureQueriesContext(connection) as captured:
        services.figures_refresh()
    return len(captured.captured_queries)


def test_the_refresh_of_one_village_runs_few_statements(make_household, monkeypatch):
    """Statements are per indicator (not per indicator and period) plus a handful per level above:
    one dirty village, or two, costs about the same, far fewer than indicators x periods."""
    monkeypatch.setattr(services, "_wide", lambda villages, region: False)
    for village in (VILLAGE_A, VILLAGE_B, VILLAGE_OTHER):
        make_household(village)
    services.figures_rebuild(previous=True)
    Household.objects.filter(region_code__startswith=VILLAGE_A).update(status="lifted")
    from bangfu.history.services import areas_touch

    areas_touch([VILLAGE_A])
    one = statements_of_refresh()
    Household.objects.update(status="active")
    areas_touch([VILLAGE_A, VILLAGE_B])
    two = statements_of_refresh()
    table = registry.indicators()
    not_by_day = sum(1 for indicator in table.values() if indicator.kind != STOCK and registry.by_day(indicator) is None)
    periods = len(refresh_periods())
    # Each indicator read once (the projects' twice: their villages first), a flow without a
    # by-day variant once per period, one delete and one insert (with its ids), three statements
    # for each level above, and the dirty marking's bookkeeping.
    bound = 2 * len(table) + not_by_day * (periods - 1) + 20
    assert one <= bound, one
    assert two <= one
    assert one < len(table) * periods / 2
