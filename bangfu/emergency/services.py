"""Every write to emergencies, daily checks, returnees and quarantine, and the summary rows kept
current with them: permission, checks, one transaction, history. A quarantine begun or ended
changes the priority of the household's open deliveries (bangfu.deliveries) in the same
transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bangfu.accounts.models import User
from bangfu.core import crypto
from bangfu.core.dates import local_today
from bangfu.core.idempotency import create_once, payload_hash, same_body
from bangfu.core.permissions import PermissionDenied, Role, require
from bangfu.deliveries.services import delivery_priority_refresh
from bangfu.emergency.models import (
    CheckItem,
    CheckStatus,
    CheckSubmission,
    Emergency,
    EmergencyKind,
    EmergencyStatus,
    FeverAlert,
    HealthCheck,
    Quarantine,
    QuarantineStatus,
    Reading,
    Returnee,
    Screening,
    Summary,
    TransportMode,
)
from bangfu.history.models import Action
from bangfu.history.services import areas_touch, record
from bangfu.households import identity
from bangfu.households.choices import Status as HouseholdStatus
from bangfu.households.models import Household
from bangfu.regions.models import Region

DEFAULT_CHECK_ITEMS = [item.value for item in CheckItem]


def emergency_snapshot(emergency: Emergency) -> dict[str, Any]:
    return {
        "title": emergency.title, "kind": emergency.kind, "region": emergency.region_code,
        "start": emergency.start.isoformat(), "end": emergency.end.isoformat() if emergency.end else None,
        "status": emergency.status, "check_items": list(emergency.check_items),
        "fever_threshold": str(emergency.fever_threshold), "quarantine_days": emergency.quarantine_days,
        "supplies_days": emergency.supplies_days,
    }


def _emergency_in_scope(actor: User, region_code: str) -> None:
    """The office opens one for its township (or a part of it), the county for its county."""
    if actor.role == Role.ADMIN:
        return
    if not actor.region_id or not region_code.startswith(actor.region_id):
        raise ValidationError({"region": _("This region is outside your area.")})


@transaction.atomic
def emergency_open(
    *, region: Region, kind: str, title: str, start: dt.date, actor: User, end: dt.date | None = None,
    check_items: list[str] | None = None, fever_threshold: Decimal = Decimal("37.3"), quarantine_days: int = 14,
    supplies_days: int = 7,
) -> Emergency:
    require(actor, "emergency.manage")
    _emergency_in_scope(actor, region.code)
    title = title.strip()
    items = DEFAULT_CHECK_ITEMS if check_items is None else [i for i in DEFAULT_CHECK_ITEMS if i in check_items]
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the emergency a title.")]
    if kind not in EmergencyKind.values:
        errors["kind"] = [_("Select a valid choice.")]
    if end is not None and end < start:
        errors["end"] = [_("The end cannot be before the start.")]
    if not items:
        errors["check_items"] = [_("Choose at least one daily check.")]
    if not Decimal("35.0") <= Decimal(fever_threshold) <= Decimal("42.0"):
        errors["fever_threshold"] = [_("Between 35.0 and 42.0 °C.")]
    if not 1 <= quarantine_days <= 60:
        errors["quarantine_days"] = [_("Between 1 and 60 days.")]
    if not 1 <= supplies_days <= 60:
        errors["supplies_days"] = [_("Between 1 and 60 days.")]
    if errors:
        raise ValidationError(errors)
    emergency = Emergency.objects.create(
        title=title, kind=kind, region=region, region_code=region.code, start=start, end=end,
        check_items=items, fever_threshold=Decimal(fever_threshold), quarantine_days=quarantine_days,
        supplies_days=supplies_days, opened_by=actor, opened_at=timezone.now(),
    )
    record(actor, Action.CREATE, emergency)
    return emergency


def _emergency_locked(actor: User, emergency: Emergency) -> Emergency:
    require(actor, "emergency.manage")
    if not Emergency.objects.visible_to(actor).filter(pk=emergency.pk).exists():
        raise PermissionDenied("emergency.view")
    _emergency_in_scope(actor, emergency.region_code)
    return Emergency.objects.select_for_update().get(pk=emergency.pk)


@transaction.atomic
def emergency_extend(*, emergency: Emergency, end: dt.date | None, actor: User) -> Emergency:
    """A new end date (None: open until closed), not before today: ending it now is closing it.
    Checks already made for days after the new end go (they are no longer work to do), today's are
    made if the emergency now covers today, and the summary rows of the days touched are recounted."""
    emergency = _emergency_locked(actor, emergency)
    if emergency.status != EmergencyStatus.OPEN:
        raise ValidationError({"status": _("This emergency is closed.")})
    today = local_today()
    if end is not None and end < emergency.start:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    if end is not None and end < today:
        raise ValidationError({"end": _("The end cannot be before today; to end the emergency now, close it.")})
    before = emergency_snapshot(emergency)
    emergency.end = end
    emergency.version += 1
    emergency.save(update_fields=["end", "version"])
    if end is not None:
        _drop_days_after(emergency, end)
    if emergency.start <= today:
        _checks_make(emergency, today)
    record(actor, Action.UPDATE, emergency, before=before)
    return emergency


@transaction.atomic
def emergency_close(*, emergency: Emergency, actor: User) -> Emergency:
    """Closed today: no more daily checks from tomorrow; the checks already done stay. Quarantines
    of its returnees end today (no check can end them any more), their households' deliveries lose
    that priority, and the summary rows are recounted so the overview does not keep old numbers."""
    emergency = _emergency_locked(actor, emergency)
    if emergency.status != EmergencyStatus.OPEN:
        raise ValidationError({"status": _("This emergency is closed.")})
    before = emergency_snapshot(emergency)
    today = local_today()
    emergency.status = EmergencyStatus.CLOSED
    emergency.closed_at = timezone.now()
    if emergency.end is None or emergency.end > today:
        emergency.end = max(today, emergency.start)
    emergency.version += 1
    emergency.save(update_fields=["status", "closed_at", "end", "version"])
    _drop_days_after(emergency, max(today, emergency.start))
    record(actor, Action.UPDATE, emergency, before=before)
    ended = Quarantine.objects.filter(returnee__emergency=emergency, status=QuarantineStatus.ACTIVE).select_related(
        "returnee", "household")
    households = {}
    for quarantine in ended:
        quarantine.status, quarantine.ended_on = QuarantineStatus.ENDED, today
        quarantine.save(update_fields=["status", "ended_on"])
        record(actor, Action.UPDATE, quarantine, before={"status": QuarantineStatus.ACTIVE.value},
               after={"status": QuarantineStatus.ENDED.value, "ended_on": today.isoformat()},
               message=_("Quarantine ended: the emergency %(title)s is closed") % {"title": emergency.title})
        households[quarantine.household_id] = quarantine.household
    for household in households.values():
        delivery_priority_refresh(household, actor=actor)
    if emergency.start <= today:
        summary_refresh(emergency=emergency, day=today)
    return emergency


def _drop_days_after(emergency: Emergency, last: dt.date) -> None:
    """Checks not done yet for days after `last` are no longer work to do; their days' summary rows
    are recounted (or go, with nothing left to count)."""
    days = set(HealthCheck.objects.filter(emergency=emergency, day__gt=last).values_list("day", flat=True)
               .distinct())
    HealthCheck.objects.filter(emergency=emergency, day__gt=last, status=CheckStatus.DUE).delete()
    Summary.objects.filter(emergency=emergency, day__gt=last).delete()
    # Days that keep checks (done ones stay) are recounted; the others keep no row.
    for day in sorted(set(HealthCheck.objects.filter(emergency=emergency, day__in=days)
                          .values_list("day", flat=True).distinct())):
        summary_refresh(emergency=emergency, day=day)


# --- daily checks --------------------------------------------------------------------------------

def _checked_households(emergency: Emergency):
    return Household.objects.in_region(emergency.region_code).exclude(status=HouseholdStatus.CLOSED)


@transaction.atomic
def checks_generate(*, day: dt.date | None = None) -> int:
    """The due checks of `day` (today in Shanghai by default): one per household of each emergency
    open that day. Idempotent: a second run, or a second worker, creates nothing new. Returns the
    number of rows created."""
    day = day or local_today()
    return sum(_checks_make(emergency, day) for emergency in Emergency.objects.open_on(day))


def _checks_make(emergency: Emergency, day: dt.date) -> int:
    """One emergency's due checks of a day (if it is open that day), and its summary rows."""
    if not Emergency.objects.open_on(day).filter(pk=emergency.pk).exists():
        return 0
    before = HealthCheck.objects.filter(emergency=emergency, day=day).count()
    households = _checked_households(emergency).values_list("pk", "region_code")
    HealthCheck.objects.bulk_create(
        [HealthCheck(emergency=emergency, household_id=pk, region_code=code, day=day) for pk, code in households],
        batch_size=500, ignore_conflicts=True,
    )
    created = HealthCheck.objects.filter(emergency=emergency, day=day).count() - before
    summary_refresh(emergency=emergency, day=day)
    if created:
        # Due checks carry no history of their own; the pages kept for the emergency's area are stale.
        areas_touch([emergency.region_code])
    return created


def check_people(check: HealthCheck) -> list[tuple[str, str, Any]]:
    """Who is measured at a check: the household's members, then returnees in quarantine there.
    (person key, name, member or returnee). A returnee who is also a member of the household (its
    head when they came with a new household) is measured once, as the returnee: their reading is
    what ends the quarantine."""
    returnees = list(Returnee.objects.filter(household_id=check.household_id,
                                             quarantine__status=QuarantineStatus.ACTIVE)
                     .select_related("quarantine").order_by("pk"))
    as_returnee = {r.member_id for r in returnees if r.member_id}
    people: list[tuple[str, str, Any]] = [(f"m{m.pk}", m.name, m) for m in check.household.members.all()
                                          if m.pk not in as_returnee]
    people += [(f"r{r.pk}", r.name, r) for r in returnees]
    return people


def _parse_temperature(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
        if not number.is_finite():  # NaN passes quantize and every comparison would be wrong
            raise InvalidOperation
        number = number.quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a temperature such as 36.5.")) from None
    if not Decimal("34.0") <= number <= Decimal("43.0"):
        raise ValidationError(_("A temperature between 34.0 and 43.0 °C."))
    return number


def check_snapshot(check: HealthCheck) -> dict[str, Any]:
    return {
        "status": check.status, "disinfection": check.disinfection, "symptoms": check.symptoms,
        "supplies_enough": check.supplies_enough, "help_needed": check.help_needed, "note": check.note,
        "temperatures": "、".join(f"{r.name} {r.temperature} °C" for r in check.readings.all()),
    }


@transaction.atomic
def check_submit(
    *, check: HealthCheck | int, actor: User, client_id: str, temperatures: dict[str, Any] | None = None,
    disinfection: bool | None = None, symptoms: bool | None = None, supplies_enough: bool | None = None,
    help_needed: bool | None = None, note: str = "", people: list[tuple[str, str, Any]] | None = None,
) -> tuple[HealthCheck, bool]:
    """Record a household's daily check, once per client id: (check, written). A later submission
    with another client id corrects the day's check. `check` is the check or its id (read here, in
    the actor's area, whichever is given). `temperatures` maps a person key of
    `check_people` ("m12", "r3") to degrees Celsius; `people`, when the caller has just read them
    for its form, spares reading them again.

    A temperature at or above the emergency's threshold raises a fever alert to the township office
    and opens an urgent medical need, once per person per day however often the check is submitted.
    A returnee found well on or after the planned end of quarantine leaves quarantine.

    The check returned carries what was written, for an answer built without reading it again: its
    readings (as `check.readings.all()`) and, unless a quarantine ended, its people
    (`check.checked_people`). The village's summary row counts the check done in the same
    transaction (a counter; recounted when a fever alert or a quarantine changes other numbers)."""
    require(actor, "check.submit")
    if not client_id:
        raise ValidationError({"client_id": _("A client id is required.")})
    payload = {"temperatures": temperatures or {}, "disinfection": disinfection, "symptoms": symptoms,
               "supplies_enough": supplies_enough, "help_needed": help_needed, "note": note}
    # In the actor's area and locked: one statement.
    locked = (HealthCheck.objects.select_for_update(of=("self",))
              .select_related("emergency", "household", "household__region")
              .filter(pk=check if isinstance(check, int) else check.pk,
                      household__in=Household.objects.visible_to(actor)).first())
    if locked is None:
        raise Http404("no such household")
    check = locked

    def create() -> CheckSubmission:
        return CheckSubmission.objects.create(check_row=check, client_id=client_id, submitted_by=actor,
                                              submitted_at=timezone.now())

    # The one look-up of the client id; a retry with another body is refused (ReplayMismatch). A
    # submission refused below leaves no row: the transaction is rolled back with it.
    submission, created = create_once(CheckSubmission, client_id=client_id, create=create, payload=payload)
    if not created:
        if submission.check_row_id != check.pk:
            raise ValidationError({"client_id": _("This client id was used for another check.")})
        return check, False
    emergency = check.emergency
    today = local_today()
    if check.day > today:
        raise ValidationError({"day": _("This check is not due yet.")})
    if people is None:
        people = check_people(check)
    known = {key: (name, person) for key, name, person in people}
    readings: list[tuple[str, str, Any, Decimal]] = []
    errors: dict[str, list[str]] = {}
    for key, value in (temperatures or {}).items():
        if key not in known:
            errors.setdefault("temperatures", []).append(_("Unknown person %(key)s.") % {"key": key})
            continue
        try:
            degrees = _parse_temperature(value)
        except ValidationError as error:
            errors[f"t_{key}"] = error.messages
            continue
        if degrees is not None:
            readings.append((key, *known[key], degrees))
    if emergency.asks(CheckItem.TEMPERATURE) and not readings and "temperatures" not in errors:
        errors["temperatures"] = [_("Enter the temperature of at least one person present.")]
    if errors:
        raise ValidationError(errors)

    first = check.status == CheckStatus.DUE
    # A check due has no readings yet and its history row needs no "before".
    before = None if first else check_snapshot(check)
    if not first:
        Reading.objects.filter(check_row=check).delete()
    threshold = emergency.fever_threshold
    rows = []
    for key, name, person, degrees in readings:
        is_member = key.startswith("m")
        rows.append(Reading(check_row=check, member=person if is_member else None,
                            returnee=None if is_member else person, name=name, temperature=degrees,
                            fever=degrees >= threshold))
    if rows:
        Reading.objects.bulk_create(rows)
    # What the check now holds, for its history row and the answer: not read back.
    check._prefetched_objects_cache = {**getattr(check, "_prefetched_objects_cache", {}), "readings": rows}
    check.checked_people = people
    check.status = CheckStatus.DONE
    check.disinfection = disinfection if emergency.asks(CheckItem.DISINFECTION) else None
    check.symptoms = symptoms if emergency.asks(CheckItem.SYMPTOMS) else None
    check.supplies_enough = supplies_enough if emergency.asks(CheckItem.SUPPLIES) else None
    check.help_needed = help_needed if emergency.asks(CheckItem.HELP) else None
    check.note = (note or "").strip()[:300]
    check.fever = any(r.fever for r in rows)
    check.done_at = timezone.now()
    check.done_by = actor
    check.version += 1
    check.save()
    record(actor, Action.UPDATE, check, before=before,
           message=(_("Daily check of %(day)s") if first else _("Daily check of %(day)s corrected")) % {
               "day": check.day.isoformat()})
    fevers = raised = 0
    for key, name, _person, degrees in readings:
        if degrees >= threshold:
            raised += _fever_alert(check=check, key=key, name=name, degrees=degrees, actor=actor)
            fevers += 1
    if check.help_needed and not fevers:
        _help_need(check=check, actor=actor)
    well = {key for key, _name, _p, degrees in readings if degrees < threshold} if not check.symptoms else set()
    ended = _quarantines_review(check=check, people=people, well=well, actor=actor)
    if ended:  # who is measured has changed: an answer reads them again
        del check.checked_people
    if raised or ended:
        summary_refresh(emergency=emergency, day=check.day, region_code=check.region_code)
    elif first:
        _summary_count_done(check)
    return check, True


def _summary_count_done(check: HealthCheck) -> None:
    """One more check done in its village's summary row of the day: what summary_refresh would
    count, without counting again. A village with no row yet (its checks made before the row was)
    is counted in full."""
    counted = Summary.objects.filter(emergency_id=check.emergency_id, day=check.day,
                                     region_code=check.region_code).update(done=F("done") + 1)
    if not counted:
        summary_refresh(emergency=check.emergency, day=check.day, region_code=check.region_code)


def fever_need_client_id(emergency: Emergency, key: str, day: dt.date) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"bangfu:fever:{emergency.pk}:{key}:{day.isoformat()}")


def _check_answers(check: HealthCheck) -> str:
    """The check's answers and note, as a line of the need it raises (read by the office and the
    caseworker, who were not there)."""
    answers = [
        _("%(item)s: %(answer)s") % {"item": item.label, "answer": _("Yes") if value else _("No")}
        for item, value in ((CheckItem.SYMPTOMS, check.symptoms), (CheckItem.SUPPLIES, check.supplies_enough),
                            (CheckItem.HELP, check.help_needed), (CheckItem.DISINFECTION, check.disinfection))
        if value is not None
    ]
    if check.note:
        answers.append(_("note: %(note)s") % {"note": check.note})
    return _("At the check: %(answers)s.") % {"answers": "; ".join(answers)} if answers else ""


def help_need_client_id(emergency: Emergency, household_id: int, day: dt.date) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"bangfu:help:{emergency.pk}:{household_id}:{day.isoformat()}")


def _help_need(*, check: HealthCheck, actor: User) -> None:
    """A household that needs help (and has no fever, whose need says so already): a need reported
    to the office at once, once per household per day, with the check's answers and note."""
    from bangfu.needs.models import Category as NeedCategory
    from bangfu.needs.services import need_create

    with translation.override(settings.LANGUAGE_CODE):
        description = "\n".join(filter(None, [
            _("Help needed, said at the daily check of %(day)s.") % {"day": check.day.isoformat()},
            _check_answers(check)]))
    need_create(
        household=check.household, category=NeedCategory.OTHER, description=description,
        client_id=help_need_client_id(check.emergency, check.household_id, check.day), actor=actor,
        permission="check.submit", report=True, replay_checked=False,
    )


def _fever_alert(*, check: HealthCheck, key: str, name: str, degrees: Decimal, actor: User) -> int:
    """Once per person per day: the alert row, the urgent medical need, the office's message.
    Returns 1 if it raised the alert, 0 if the person's alert of the day was raised already."""
    from bangfu.needs.models import Category as NeedCategory
    from bangfu.needs.models import Urgency
    from bangfu.needs.services import need_create
    from bangfu.notify.services import message_enqueue

    emergency, household = check.emergency, check.household
    if FeverAlert.objects.filter(emergency=emergency, person_key=key, day=check.day).exists():
        return 0
    # Read by the township office, whatever the language of whoever submitted the check.
    with translation.override(settings.LANGUAGE_CODE):
        description = _("Fever %(degrees)s °C at the daily check of %(day)s: %(name)s. Arrange a doctor.") % {
            "degrees": degrees, "day": check.day.isoformat(), "name": name}
        description = "\n".join(filter(None, [description, _check_answers(check)]))
        subject = _("Fever: %(name)s, %(degrees)s °C, household %(number)s") % {
            "name": name, "degrees": degrees, "number": household.number}
    # Straight to the office, whoever checked: a fever waits for no one.
    need, _created = need_create(
        household=household, category=NeedCategory.MEDICAL, urgency=Urgency.URGENT,
        description=description,
        client_id=fever_need_client_id(emergency, key, check.day), actor=actor, permission="check.submit",
        report=True, replay_checked=False,
    )

    def create() -> FeverAlert:
        return FeverAlert.objects.create(
            emergency=emergency, household=household, region_code=household.region_code, person_key=key,
            name=name, day=check.day, temperature=degrees, need=need, raised_by=actor, raised_at=timezone.now(),
        )

    try:
        with transaction.atomic():  # a concurrent check of the same person raised it first
            alert = create()
    except IntegrityError:
        return 0
    record(actor, Action.CREATE, alert, after={"name": name, "temperature": str(degrees), "day": check.day.isoformat()},
           message=description)
    message_enqueue(
        kind="fever_alert", dedupe_key=f"fever:{emergency.pk}:{key}:{check.day.isoformat()}",
        subject=subject, body=description, link=reverse("emergencies:overview", args=[emergency.pk]),
        role=Role.TOWNSHIP_OFFICE, region_code=household.region_code,
    )
    return 1


def _quarantines_review(*, check: HealthCheck, people: list[tuple[str, str, Any]], well: set[str],
                        actor: User) -> int:
    """A returnee found well (no fever, no symptoms) at a check on or after the planned end leaves
    quarantine; otherwise it goes on. A day without a check changes nothing. The quarantines are
    those of the check's people (the returnees in quarantine in the household, read with them).
    Returns how many ended."""
    ended = 0
    for key, _name, person in people:
        if not key.startswith("r") or key not in well:
            continue
        quarantine = person.quarantine
        if quarantine.status != QuarantineStatus.ACTIVE or quarantine.end > check.day:
            continue
        quarantine.status = QuarantineStatus.ENDED
        quarantine.ended_on = check.day
        quarantine.save(update_fields=["status", "ended_on"])
        record(actor, Action.UPDATE, quarantine, before={"status": QuarantineStatus.ACTIVE.value},
               after={"status": QuarantineStatus.ENDED.value, "ended_on": check.day.isoformat()},
               message=_("Quarantine ended: found well at the check of %(day)s") % {"day": check.day.isoformat()},
               region_code=check.region_code)
        delivery_priority_refresh(check.household, actor=actor)
        ended += 1
    return ended


# --- returnees -----------------------------------------------------------------------------------

def returnee_snapshot(returnee: Returnee) -> dict[str, Any]:
    return {
        "name": returnee.name, "id_number": identity.mask_id(returnee.id_number),
        "phone": identity.mask_phone(returnee.phone) if returnee.phone_encrypted else "",
        "origin": returnee.origin, "arrival": returnee.arrival.isoformat(), "transport": returnee.transport,
        "screening": returnee.screening, "home_supplies_ensured": returnee.home_supplies_ensured,
        "help_needed": returnee.help_needed, "help_note": returnee.help_note,
    }


@dataclass(frozen=True)
class NewHousehold:
    """A household to register with the returnee as its head: where, and the few facts the
    registry asks of a head that a returnee's registration does not already hold."""

    village: str  # region code of a village (or group) in the user's area and the emergency's
    address: str = ""
    education: str = ""
    school_status: str = ""


# Where the registry's own errors about a new household land on the returnee's form.
_NEW_HOUSEHOLD_FIELDS = {"region": "village", "address": "address", "name": "name", "id_number": "id_number",
                         "phone": "phone", "education": "education", "school_status": "school_status"}


def new_household_villages(actor: User, emergency: Emergency):
    """The villages where the user may register a returnee's new household: in both areas."""
    from bangfu.core.codes import Level

    villages = Region.objects.filter(level__in=(Level.VILLAGE, Level.GROUP)).within(emergency.region_code)
    if actor.role != Role.ADMIN:
        villages = villages.within(actor.region_id or "-")
    return villages


def _new_household_create(*, new: NewHousehold, emergency: Emergency, name: str, id_number: str, phone: str,
                          actor: User) -> Household:
    """Register the household through the registry's own forms and service (its rules, numbering,
    duplicate checks and history), the returnee as head. Errors name the returnee form's fields."""
    from bangfu.households import choices as household_choices
    from bangfu.households.forms import HouseholdForm, MemberForm
    from bangfu.households.services import household_create

    household_form = HouseholdForm(
        data={"region": new.village, "address": new.address, "phone": phone, "status": HouseholdStatus.ACTIVE,
              "dilapidated": "unknown", "safe_water": "unknown", "electricity": "unknown",
              "sanitary_toilet": "unknown"},
        regions=new_household_villages(actor, emergency))
    member_form = MemberForm(data={
        "name": name, "relation": household_choices.Relation.HEAD, "id_type": household_choices.IdType.RESIDENT_ID,
        "id_number": id_number, "phone": phone, "education": new.education, "school_status": new.school_status,
        "pension_insured": "unknown", "medical_insured": "unknown", "critical_illness_insured": "unknown",
    })
    errors: dict[str, list[str]] = {}
    for form in (household_form, member_form):
        if not form.is_valid():
            for field, messages in form.errors.items():
                errors.setdefault(_NEW_HOUSEHOLD_FIELDS.get(field, "new_household"), []).extend(messages)
    if errors:
        raise ValidationError(errors)
    try:
        return household_create(actor=actor, data=household_form.cleaned_data, members=[member_form.cleaned_data])
    except ValidationError as error:
        moved: dict[str, list[str]] = {}
        for key, messages in error.message_dict.items():
            field = key.rsplit(".", 1)[-1] if key.startswith("members.") else key
            moved.setdefault(_NEW_HOUSEHOLD_FIELDS.get(field, "new_household"), []).extend(messages)
        raise ValidationError(moved) from None


def returnee_person_checked(*, emergency: Emergency, id_number: str, phone: str):
    """The returnee's ID number and phone, checked (valid, and the person not registered already in
    this emergency): (errors by field, the parsed ID number or None, the normalised phone). Read
    only: the returnee page shows these with its form's own errors in one round."""
    errors: dict[str, list[str]] = {}
    parsed = None
    try:
        parsed = identity.parse_id_number(id_number, allow_disability=False)
    except identity.IdentityError as error:
        errors["id_number"] = [str(error.message)]
    phone_clean = ""
    if phone:
        try:
            phone_clean = identity.normalise_phone(phone)
        except identity.IdentityError as error:
            errors["phone"] = [str(error.message)]
    if parsed is not None and Returnee.objects.filter(emergency=emergency,
                                                      id_hash=crypto.keyed_hash(parsed.base)).exists():
        errors["id_number"] = [_("This person is already registered as a returnee of this emergency.")]
    return errors, parsed, phone_clean


@transaction.atomic
def returnee_register(
    *, emergency: Emergency, name: str, id_number: str, origin: str, arrival: dt.date,
    transport: str, actor: User, household: Household | None = None, new_household: NewHousehold | None = None,
    phone: str = "", screening: str = Screening.PENDING, quarantine: bool = True,
    home_supplies_ensured: bool = False, help_needed: bool = False, help_note: str = "",
    client_id: str | None = None,
) -> Returnee:
    """Register someone come back to a household of the emergency's area, and (by default) put them
    in home quarantine from the arrival date for the emergency's quarantine length. The household's
    open deliveries become priority.

    The household is an existing one (`household`), or one registered now in the same transaction
    with the returnee as its head (`new_household`; the registry's rules and permission apply: the
    village or township office registers households). A retry with the same `client_id` answers the
    first registration and registers nothing new, household included."""
    require(actor, "returnee.register")
    if not Emergency.objects.visible_to(actor).filter(pk=emergency.pk).exists():
        raise Http404("no such emergency")
    payload = returnee_payload(emergency=emergency, name=name, id_number=id_number, origin=origin,
                               arrival=arrival, transport=transport, phone=phone, screening=screening,
                               quarantine=quarantine, home_supplies_ensured=home_supplies_ensured,
                               help_needed=help_needed, help_note=help_note)
    if client_id:
        earlier = Returnee.objects.filter(client_id=client_id).first()
        if earlier is not None:
            if not Returnee.objects.visible_to(actor).filter(pk=earlier.pk).exists():
                raise ValidationError({"client_id": _("This client id was used for another registration.")})
            same_body(earlier, payload_hash(payload))
            return earlier
    if (household is None) == (new_household is None):
        raise ValidationError({"household": [_("Choose the household they join, or register a new one.")]})
    if household is not None and not Household.objects.visible_to(actor).filter(pk=household.pk).exists():
        raise Http404("no such household")
    if new_household is not None:
        require(actor, "household.create")
    errors: dict[str, list[str]] = {}
    if emergency.status != EmergencyStatus.OPEN:
        errors["emergency"] = [_("This emergency is closed.")]
    if household is not None and not household.region_code.startswith(emergency.region_code):
        errors["household"] = [_("This household is outside the emergency's area.")]
    if new_household is not None and not new_household_villages(actor, emergency).filter(
            code=new_household.village).exists():
        errors["village"] = [_("Choose a village of your area within the emergency's area.")]
    name, origin = name.strip(), origin.strip()
    if not name:
        errors["name"] = [_("Enter the name.")]
    if not origin:
        errors["origin"] = [_("Say where they came from.")]
    if transport not in TransportMode.values:
        errors["transport"] = [_("Select a valid choice.")]
    if screening not in Screening.values:
        errors["screening"] = [_("Select a valid choice.")]
    if arrival > local_today():
        errors["arrival"] = [_("The arrival date cannot be in the future.")]
    person_errors, parsed, phone_clean = returnee_person_checked(emergency=emergency, id_number=id_number,
                                                                 phone=phone)
    errors.update(person_errors)
    id_hash = crypto.keyed_hash(parsed.base) if parsed is not None else ""
    if errors:
        raise ValidationError(errors)

    def create() -> Returnee:
        home = household
        member = None
        if new_household is not None:
            home = _new_household_create(new=new_household, emergency=emergency, name=name,
                                         id_number=parsed.full, phone=phone_clean, actor=actor)
            member = home.members.get()
            _due_check_today(emergency, home)
        else:
            member = home.members.filter(id_hash=id_hash).first()
        returnee = Returnee(
            emergency=emergency, household=home, region_code=home.region_code, member=member, name=name,
            origin=origin, arrival=arrival, transport=transport,
            screening=screening, home_supplies_ensured=home_supplies_ensured, help_needed=help_needed,
            help_note=help_note.strip()[:200], client_id=client_id or None, created_by=actor,
            created_at=timezone.now(),
        )
        returnee.id_number_encrypted, returnee.id_hash, returnee.id_tail_reversed = crypto.seal_id_number(
            parsed.full, parsed.base, hashed=id_hash)
        returnee.phone_encrypted, returnee.phone_hash, returnee.phone_tail = crypto.seal_phone(phone_clean)
        returnee.save()
        record(actor, Action.CREATE, returnee,
               message=_("Registered with a new household %(number)s, as its head") % {
                   "number": home.number} if new_household is not None else "")
        if quarantine:
            q = Quarantine.objects.create(returnee=returnee, household=home, start=arrival,
                                          end=arrival + dt.timedelta(days=emergency.quarantine_days))
            record(actor, Action.CREATE, q, after={"start": q.start.isoformat(), "end": q.end.isoformat()},
                   message=_("Home quarantine until %(end)s") % {"end": q.end.isoformat()})
            delivery_priority_refresh(home, actor=actor)
        if quarantine or new_household is not None:
            summary_refresh(emergency=emergency, day=local_today(), region_code=home.region_code)
        return returnee

    if client_id:
        returnee, _created = create_once(Returnee, client_id=client_id, create=create, payload=payload)
        return returnee
    return create()


def returnee_payload(*, emergency, name, id_number, origin, arrival, transport, phone, screening, quarantine,
                     home_supplies_ensured, help_needed, help_note) -> dict[str, Any]:
    """What a registration's client id is stored with (its hash): the person as submitted. The
    household is left out: the page finds it from what was typed, which a retry may find again
    differently (a household registered meanwhile)."""
    return {"emergency": emergency, "name": name, "id_number": id_number, "origin": origin, "arrival": arrival,
            "transport": transport, "phone": phone, "screening": screening, "quarantine": quarantine,
            "home_supplies_ensured": home_supplies_ensured, "help_needed": help_needed, "help_note": help_note}


def returnee_replay_check(*, client_id: str, payload: dict[str, Any]) -> None:
    """Refuse (`ReplayMismatch`) a registration sent again under a stored client id with another body."""
    stored = Returnee.objects.filter(client_id=client_id).first()
    if stored is not None:
        same_body(stored, payload_hash(payload))


def _due_check_today(emergency: Emergency, household: Household) -> None:
    """A household registered during an open emergency is checked from today, like the others."""
    today = local_today()
    if Emergency.objects.open_on(today).filter(pk=emergency.pk).exists():
        HealthCheck.objects.get_or_create(emergency=emergency, household=household, day=today,
                                          defaults={"region_code": household.region_code})


@transaction.atomic
def returnee_update(*, returnee: Returnee, actor: User, screening: str | None = None,
                    home_supplies_ensured: bool | None = None, help_needed: bool | None = None,
                    help_note: str | None = None) -> Returnee:
    require(actor, "returnee.register")
    if not Returnee.objects.visible_to(actor).filter(pk=returnee.pk).exists():
        raise Http404("no such returnee")
    returnee = Returnee.objects.select_for_update().get(pk=returnee.pk)
    if screening is not None and screening not in Screening.values:
        raise ValidationError({"screening": _("Select a valid choice.")})
    before = returnee_snapshot(returnee)
    if screening is not None:
        returnee.screening = screening
    if home_supplies_ensured is not None:
        returnee.home_supplies_ensured = home_supplies_ensured
    if help_needed is not None:
        returnee.help_needed = help_needed
    if help_note is not None:
        returnee.help_note = help_note.strip()[:200]
    returnee.version += 1
    returnee.save()
    record(actor, Action.UPDATE, returnee, before=before)
    return returnee


# --- summary rows --------------------------------------------------------------------------------

def summary_refresh(*, emergency: Emergency, day: dt.date, region_code: str = "") -> int:
    """Recount an emergency's numbers of a day, per village (or of one village). Rows written."""
    checks = HealthCheck.objects.filter(emergency=emergency, day=day)
    alerts = FeverAlert.objects.filter(emergency=emergency, day=day)
    quarantined = Quarantine.objects.filter(returnee__emergency=emergency, status=QuarantineStatus.ACTIVE,
                                            start__lte=day)
    if region_code:
        checks, alerts = checks.filter(region_code=region_code), alerts.filter(region_code=region_code)
        quarantined = quarantined.filter(household__region_code=region_code)
    counts: dict[str, dict[str, int]] = {}
    for row in checks.values("region_code").order_by().annotate(
            due=Count("pk"), done=Count("pk", filter=Q(status=CheckStatus.DONE))):
        counts.setdefault(row["region_code"], {}).update(due=row["due"], done=row["done"])
    for row in alerts.values("region_code").order_by().annotate(n=Count("pk")):
        counts.setdefault(row["region_code"], {})["fever_alerts"] = row["n"]
    for row in quarantined.values("household__region_code").order_by().annotate(n=Count("pk")):
        counts.setdefault(row["household__region_code"], {})["in_quarantine"] = row["n"]
    if region_code:
        counts.setdefault(region_code, {})
    else:  # a village with nothing left to count keeps no row of old numbers
        Summary.objects.filter(emergency=emergency, day=day).exclude(region_code__in=list(counts)).delete()
    rows = [Summary(emergency=emergency, day=day, region_code=code, due=c.get("due", 0), done=c.get("done", 0),
                    fever_alerts=c.get("fever_alerts", 0), in_quarantine=c.get("in_quarantine", 0))
            for code, c in counts.items()]
    Summary.objects.bulk_create(rows, update_conflicts=True, unique_fields=["emergency", "region_code", "day"],
                                update_fields=["due", "done", "fever_alerts", "in_quarantine"])
    return len(rows)


# --- the morning's numbers to the work groups ---------------------------------------------------

def morning_numbers_publish(*, day: dt.date | None = None) -> int:
    """Yesterday's numbers of each emergency open then (checks due and done, fever alerts, people
    in quarantine), per village and in all, to each township's work groups subscribed to the
    morning's numbers (notify.channel_event_publish: coalesced into the group's digest). Once per
    emergency, day and township however often it runs. Returns the townships it went to."""
    from bangfu.core.codes import township_of
    from bangfu.notify.models import Event
    from bangfu.notify.services import channel_event_publish

    day = day or local_today() - dt.timedelta(days=1)
    names = {}
    published = 0
    for emergency in Emergency.objects.open_on(day).order_by("pk"):
        rows = list(Summary.objects.filter(emergency=emergency, day=day).order_by("region_code"))
        by_township: dict[str, list[Summary]] = {}
        for row in rows:
            by_township.setdefault(township_of(row.region_code), []).append(row)
        codes = [r.region_code for r in rows if r.region_code not in names]
        names.update(Region.objects.filter(code__in=codes).values_list("code", "name"))
        for township, villages in by_township.items():
            def line(label, due, done, fever, quarantine):
                return _("%(where)s: %(done)s of %(due)s households checked, %(fever)s fever alerts, "
                         "%(quarantine)s in quarantine") % {"where": label, "due": due, "done": done,
                                                            "fever": fever, "quarantine": quarantine}

            lines = [_("%(title)s, %(day)s:") % {"title": emergency.title, "day": day.isoformat()},
                     line(pgettext("emergency numbers", "In all"), *(sum(getattr(r, f) for r in villages)
                                         for f in ("due", "done", "fever_alerts", "in_quarantine")))]
            lines += [line(names.get(r.region_code, r.region_code), r.due, r.done, r.fever_alerts, r.in_quarantine)
                      for r in villages]
            with transaction.atomic():
                published += bool(channel_event_publish(
                    region=township, event=Event.EMERGENCY_MORNING, lines=lines,
                    once=f"emergency-morning:{emergency.pk}:{day.isoformat()}:{township}"))
    return published
