"""Closing and extending an emergency keep its checks, quarantines, priorities and summary rows
consistent: the overview's numbers after either are the numbers a full recount gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.dates import local_today
from bangfu.deliveries.models import Delivery
from bangfu.deliveries.services import delivery_create
from bangfu.emergency import queries
from bangfu.emergency.models import (
    CheckStatus,
    Emergency,
    HealthCheck,
    Quarantine,
    QuarantineStatus,
    Summary,
)
from bangfu.emergency.services import (
    checks_generate,
    emergency_close,
    emergency_extend,
    emergency_open,
    returnee_register,
    summary_refresh,
)
from bangfu.history.models import Change
from conftest import VILLAGE_B, person_id

pytestmark = pytest.mark.django_db

TODAY = local_today
DAY = dt.timedelta(days=1)


@pytest.fixture
def home(make_household, personas):
    return make_household(caseworker=personas["caseworker_a"])


def _rows(emergency):
    return {(s.region_code, s.day): (s.due, s.done, s.fever_alerts, s.in_quarantine)
            for s in Summary.objects.filter(emergency=emergency)}


def _recounted(emergency):
    """What the summary rows would be if every day were counted again from scratch."""
    saved = _rows(emergency)
    days = {day for _code, day in saved} | set(HealthCheck.objects.filter(emergency=emergency)
                                               .values_list("day", flat=True))
    Summary.objects.filter(emergency=emergency).delete()
    for day in days:
        summary_refresh(emergency=emergency, day=day)
    fresh = _rows(emergency)
    return saved, fresh


def test_closing_recounts_the_summary_rows(emergency, home, make_household, personas):
    make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    checks_generate()
    checks_generate(day=TODAY() + DAY)  # made ahead, e.g. by a worker running after midnight UTC
    returnee = returnee_register(emergency=emergency, household=home, name="返乡甲", id_number=person_id(),
                                 origin="武汉", arrival=TODAY(), transport="train", actor=personas["office"])
    numbers = queries.emergency_numbers(personas["office"], emergency, TODAY())
    assert (numbers.due, numbers.in_quarantine) == (2, 1)
    assert Summary.objects.filter(emergency=emergency, day=TODAY() + DAY).exists()

    emergency_close(emergency=emergency, actor=personas["office"])

    assert not HealthCheck.objects.filter(emergency=emergency, day__gt=TODAY()).exists()
    assert not Summary.objects.filter(emergency=emergency, day__gt=TODAY()).exists()
    numbers = queries.emergency_numbers(personas["office"], emergency, TODAY())
    assert (numbers.due, numbers.done, numbers.in_quarantine) == (2, 0, 0)
    saved, fresh = _recounted(emergency)
    assert saved == fresh
    quarantine = Quarantine.objects.get(returnee=returnee)
    assert quarantine.status == QuarantineStatus.ENDED and quarantine.ended_on == TODAY()
    assert Change.objects.filter(object_type="quarantine", object_id=quarantine.pk, action="update").exists()


def test_closing_takes_the_quarantine_priority_off_open_deliveries(emergency, home, personas):
    returnee_register(emergency=emergency, household=home, name="返乡甲", id_number=person_id(), origin="武汉",
                      arrival=TODAY(), transport="train", actor=personas["office"])
    delivery = delivery_create(household=home, kind="errand", description="买药", actor=personas["office"])
    assert delivery.priority_reasons == ["quarantine"]
    emergency_close(emergency=emergency, actor=personas["office"])
    delivery.refresh_from_db()
    assert delivery.priority_reasons == [] and not delivery.priority


def test_a_closed_emergency_cannot_be_closed_or_extended_again(emergency, personas):
    emergency_close(emergency=emergency, actor=personas["office"])
    before = Change.objects.count()
    for act in (lambda: emergency_close(emergency=emergency, actor=personas["office"]),
                lambda: emergency_extend(emergency=emergency, end=TODAY() + DAY, actor=personas["office"])):
        with pytest.raises(ValidationError):
            act()
    assert Change.objects.count() == before


def test_moving_the_end_earlier_drops_the_later_checks_and_their_numbers(emergency, home, personas):
    emergency_extend(emergency=emergency, end=TODAY() + 5 * DAY, actor=personas["office"])
    checks_generate()
    checks_generate(day=TODAY() + DAY)
    emergency_extend(emergency=emergency, end=TODAY(), actor=personas["office"])
    assert HealthCheck.objects.filter(emergency=emergency, day=TODAY()).count() == 1
    assert not HealthCheck.objects.filter(emergency=emergency, day=TODAY() + DAY).exists()
    assert not Summary.objects.filter(emergency=emergency, day=TODAY() + DAY).exists()
    saved, fresh = _recounted(emergency)
    assert saved == fresh


def test_an_end_before_today_is_refused_and_writes_nothing(emergency, home, personas):
    checks_generate()
    before = (Change.objects.count(), HealthCheck.objects.count(), Summary.objects.count())
    with pytest.raises(ValidationError) as error:
        emergency_extend(emergency=emergency, end=TODAY() - DAY, actor=personas["office"])
    assert list(error.value.message_dict) == ["end"]
    emergency.refresh_from_db()
    assert emergency.end is None and emergency.version == 1
    assert (Change.objects.count(), HealthCheck.objects.count(), Summary.objects.count()) == before


def test_extending_a_lapsed_emergency_puts_todays_checks_on_the_lists(township, home, personas):
    lapsed = emergency_open(region=township, kind="flood", title="汛期", actor=personas["office"],
                            start=TODAY() - 10 * DAY, end=TODAY() - 2 * DAY)
    checks_generate()
    assert not HealthCheck.objects.filter(emergency=lapsed).exists()
    emergency_extend(emergency=lapsed, end=TODAY() + 7 * DAY, actor=personas["office"])
    check = HealthCheck.objects.get(emergency=lapsed)
    assert (check.household, check.day, check.status) == (home, TODAY(), CheckStatus.DUE)
    numbers = queries.emergency_numbers(personas["office"], Emergency.objects.get(pk=lapsed.pk), TODAY())
    assert (numbers.due, numbers.done) == (1, 0)


def test_a_refused_close_writes_nothing(emergency, home, personas):
    checks_generate()
    before = (Change.objects.count(), HealthCheck.objects.count(), Summary.objects.count(), Delivery.objects.count())
    from bangfu.core.permissions import PermissionDenied

    with pytest.raises(PermissionDenied):
        emergency_close(emergency=emergency, actor=personas["caseworker_a"])
    emergency.refresh_from_db()
    assert emergency.status == "open"
    assert (Change.objects.count(), HealthCheck.objects.count(), Summary.objects.count(),
            Delivery.objects.count()) == before
