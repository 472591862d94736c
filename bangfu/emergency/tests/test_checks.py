"""Emergencies, daily checks, fever alerts, returnees and quarantine: the services."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404

from bangfu.core.dates import local_today
from bangfu.core.idempotency import ReplayMismatch
from bangfu.core.permissions import PermissionDenied
from bangfu.deliveries.models import Delivery
from bangfu.deliveries.services import delivery_create
from bangfu.emergency.models import (
    CheckStatus,
    Emergency,
    FeverAlert,
    HealthCheck,
    Quarantine,
    QuarantineStatus,
    Returnee,
    Summary,
)
from bangfu.emergency.services import (
    check_submit,
    checks_generate,
    emergency_close,
    emergency_open,
    returnee_register,
)
from bangfu.history.models import Change
from bangfu.needs.models import Category, Need, Urgency
from bangfu.notify.models import Message
from conftest import VILLAGE_B, VILLAGE_OTHER, member_data, person_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(make_household, personas):
    return make_household(members=[member_data(), member_data(relation="配偶", id_number=person_id(sex="F"))], caseworker=personas["caseworker_a"])


def _check(household, day=None):
    return HealthCheck.objects.get(household=household, day=day or local_today())


def _key(member):
    return f"m{member.pk}"


def test_generation_is_idempotent(emergency, home, make_household, personas):
    other_village = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    outside = make_household(VILLAGE_OTHER)
    assert checks_generate() == 2
    assert checks_generate() == 0
    call_command("checks")
    today = local_today()
    assert set(HealthCheck.objects.filter(day=today).values_list("household_id", flat=True)) == {
        home.pk, other_village.pk}
    assert not HealthCheck.objects.filter(household=outside).exists()
    summary = Summary.objects.get(emergency=emergency, region_code=home.region_code, day=today)
    assert (summary.due, summary.done) == (1, 0)


def test_no_checks_once_closed(emergency, home, personas):
    emergency_close(emergency=emergency, actor=personas["office"])
    assert checks_generate(day=local_today() + dt.timedelta(days=1)) == 0
    assert Change.objects.filter(object_type="emergency", object_id=emergency.pk).count() == 2


def test_only_office_or_county_opens_one(township, personas):
    before = Emergency.objects.count()
    with pytest.raises(PermissionDenied):
        emergency_open(region=township, kind="flood", title="汛期", start=local_today(),
                       actor=personas["caseworker_a"])
    with pytest.raises(ValidationError):  # another township's office
        emergency_open(region=township, kind="flood", title="汛期", start=local_today(),
                       actor=personas["outsider_office"])
    assert Emergency.objects.count() == before


def _submit(check, actor, temps, **kw):
    return check_submit(check=check, actor=actor, client_id=kw.pop("client_id", str(uuid.uuid4())),
                        temperatures=temps, disinfection=True, symptoms=kw.pop("symptoms", False),
                        supplies_enough=True, help_needed=False, **kw)


def test_submission_is_idempotent_by_client_id(emergency, home, personas):
    checks_generate()
    check = _check(home)
    head = home.members.order_by("pk").first()
    client_id = str(uuid.uuid4())
    _row, written = _submit(check, personas["caseworker_a"], {_key(head): "36.6"}, client_id=client_id)
    assert written
    changes = Change.objects.filter(object_type="healthcheck").count()
    row, written = _submit(check, personas["caseworker_a"], {_key(head): "36.6"}, client_id=client_id)
    assert not written
    # The same id with another body is not a retry: refused, never answered as stored.
    with pytest.raises(ReplayMismatch):
        _submit(check, personas["caseworker_a"], {_key(head): "39.0"}, client_id=client_id)
    row.refresh_from_db()
    assert row.status == CheckStatus.DONE and not row.fever
    assert row.readings.get().temperature == Decimal("36.6")
    assert Change.objects.filter(object_type="healthcheck").count() == changes
    summary = Summary.objects.get(emergency=emergency, region_code=home.region_code, day=local_today())
    assert (summary.due, summary.done) == (1, 1)


def test_fever_alerts_once_per_person_per_day(emergency, home, personas):
    checks_generate()
    check = _check(home)
    head, spouse = home.members.order_by("pk")
    for _ in range(3):
        _submit(check, personas["caseworker_a"], {_key(head): "37.3", _key(spouse): "36.5"})
    assert FeverAlert.objects.count() == 1
    alert = FeverAlert.objects.get()
    assert alert.person_key == _key(head) and alert.temperature == Decimal("37.3")
    need = Need.objects.get(household=home)
    assert need.category == Category.MEDICAL and need.urgency == Urgency.URGENT and alert.need == need
    messages = Message.objects.filter(kind="fever_alert")
    assert messages.count() == 1
    assert messages.get().recipient_role == "township_office"
    # The spouse's fever later the same day is a second alert; the head's fever tomorrow a third.
    _submit(check, personas["caseworker_a"], {_key(head): "38.0", _key(spouse): "38.2"})
    assert FeverAlert.objects.count() == 2 and Need.objects.count() == 2
    assert Summary.objects.get(emergency=emergency, region_code=home.region_code,
                               day=local_today()).fever_alerts == 2


def test_below_threshold_is_no_alert(emergency, home, personas):
    checks_generate()
    head = home.members.order_by("pk").first()
    row, _written = _submit(_check(home), personas["caseworker_a"], {_key(head): "37.2"})
    assert not row.fever and not FeverAlert.objects.exists() and not Need.objects.exists()


def test_scope(emergency, home, make_household, personas):
    other = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    checks_generate()
    head = other.members.first()
    with pytest.raises(Http404):
        _submit(_check(other), personas["caseworker_a"], {_key(head): "36.5"})
    with pytest.raises(PermissionDenied):
        _submit(_check(other), personas["county"], {_key(head): "36.5"})
    assert not HealthCheck.objects.filter(status=CheckStatus.DONE).exists()
    assert not Change.objects.filter(object_type="healthcheck").exists()


def test_temperature_required_and_checked(emergency, home, personas):
    checks_generate()
    head = home.members.first()
    with pytest.raises(ValidationError):
        _submit(_check(home), personas["caseworker_a"], {})
    with pytest.raises(ValidationError):
        _submit(_check(home), personas["caseworker_a"], {_key(head): "52"})
    assert _check(home).status == CheckStatus.DUE


def _returnee(emergency, home, personas, arrival):
    return returnee_register(emergency=emergency, household=home, name="李归", id_number=person_id(),
                             phone="13912345678", origin="武汉", arrival=arrival, transport="train",
                             actor=personas["caseworker_a"])


def test_quarantine_extended_until_a_well_check_after_its_end(emergency, home, personas):
    today = local_today()
    returnee = _returnee(emergency, home, personas, today - dt.timedelta(days=14))
    quarantine = returnee.quarantine
    assert quarantine.end == today and quarantine.status == QuarantineStatus.ACTIVE
    # Yesterday's check (before the end) finds them well: it goes on.
    yesterday = today - dt.timedelta(days=1)
    checks_generate(day=yesterday)
    _submit(_check(home, yesterday), personas["caseworker_a"], {f"r{returnee.pk}": "36.4"})
    quarantine.refresh_from_db()
    assert quarantine.status == QuarantineStatus.ACTIVE
    # Today, at the end, a fever: extended.
    checks_generate()
    _submit(_check(home), personas["caseworker_a"], {f"r{returnee.pk}": "37.8"})
    quarantine.refresh_from_db()
    assert quarantine.status == QuarantineStatus.ACTIVE
    assert quarantine.extended(today + dt.timedelta(days=1))
    # Found well later that day: it ends.
    _submit(_check(home), personas["caseworker_a"], {f"r{returnee.pk}": "36.5"})
    quarantine.refresh_from_db()
    assert quarantine.status == QuarantineStatus.ENDED and quarantine.ended_on == today


def test_missed_day_does_not_end_quarantine(emergency, home, personas):
    today = local_today()
    returnee = _returnee(emergency, home, personas, today - dt.timedelta(days=20))
    checks_generate()
    assert Quarantine.objects.get(returnee=returnee).status == QuarantineStatus.ACTIVE
    # Symptoms reported: not well, whatever the temperature.
    _submit(_check(home), personas["caseworker_a"], {f"r{returnee.pk}": "36.5"}, symptoms=True)
    assert Quarantine.objects.get(returnee=returnee).status == QuarantineStatus.ACTIVE


def test_quarantine_makes_deliveries_priority(emergency, home, personas):
    delivery = delivery_create(household=home, kind="errand", description="买药", actor=personas["caseworker_a"])
    assert not delivery.priority
    returnee = _returnee(emergency, home, personas, local_today())
    delivery.refresh_from_db()
    assert delivery.priority and "quarantine" in delivery.priority_reasons
    later = delivery_create(household=home, kind="errand", description="送菜", actor=personas["caseworker_a"])
    assert later.priority_reasons == ["quarantine"]
    assert Returnee.objects.get(pk=returnee.pk).id_number != "" and "李归" in str(returnee)
    assert Delivery.objects.filter(priority=True).count() == 2


def test_returnee_id_encrypted_and_once_per_emergency(emergency, home, personas):
    id_number = person_id()
    returnee = returnee_register(emergency=emergency, household=home, name="王返", id_number=id_number,
                                 origin="上海", arrival=local_today(), transport="car",
                                 actor=personas["caseworker_a"])
    assert id_number not in returnee.id_number_encrypted and returnee.id_number == id_number
    with pytest.raises(ValidationError):
        returnee_register(emergency=emergency, household=home, name="王返", id_number=id_number, origin="上海",
                          arrival=local_today(), transport="car", actor=personas["caseworker_a"])
    assert Returnee.objects.count() == 1
    change = Change.objects.get(object_type="returnee")
    assert id_number not in str(change.after)


def test_extend_and_refusals_write_nothing(emergency, home, personas):
    from bangfu.emergency.services import emergency_extend

    end = local_today() + dt.timedelta(days=10)
    with pytest.raises(PermissionDenied):
        emergency_extend(emergency=emergency, end=end, actor=personas["caseworker_a"])
    emergency.refresh_from_db()
    assert emergency.end is None and emergency.version == 1
    emergency_extend(emergency=emergency, end=end, actor=personas["office"])
    emergency.refresh_from_db()
    assert emergency.end == end and emergency.version == 2
    assert checks_generate(day=end) == 1 and checks_generate(day=end + dt.timedelta(days=1)) == 0


def test_a_check_records_the_whole_check_and_its_correction_both_sides_whole(emergency, home, personas):
    checks_generate()
    check = _check(home)
    head = home.members.order_by("pk").first()
    _submit(check, personas["caseworker_a"], {_key(head): "36.6"})
    _submit(check, personas["caseworker_a"], {_key(head): "36.6"}, note="复测")
    first, corrected = Change.objects.filter(object_type="healthcheck", object_id=check.pk).order_by("pk")
    assert first.before is None and first.after["disinfection"] is True and first.after["note"] == ""
    # Unchanged keys stay on both sides of a correction: it reads as the day's check, before and after.
    assert corrected.before["disinfection"] is True and corrected.after["disinfection"] is True
    assert corrected.before["temperatures"] == corrected.after["temperatures"]
    assert (corrected.before["note"], corrected.after["note"]) == ("", "复测")
