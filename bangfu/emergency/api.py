"""API routes for emergencies, daily checks and returnees: the same services and queries as the
pages, scoped through the households' door; check submission idempotent by client id."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from bangfu.core.dates import local_today
from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, REPLAY_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.deliveries import queries as delivery_queries
from bangfu.emergency import queries, services
from bangfu.emergency.models import Emergency, HealthCheck, Returnee
from bangfu.emergency.schemas import (
    CheckIn,
    CheckOut,
    EmergencyEndIn,
    EmergencyIn,
    EmergencyNumbersOut,
    EmergencyOut,
    ReturneeIn,
    ReturneeOut,
)
from bangfu.households import identity
from bangfu.households import queries as household_queries
from bangfu.households.schemas import MAX_ID
from bangfu.regions.models import Region

emergencies = Router(tags=["emergencies"])
checks = Router(tags=["emergencies"])
returnees = Router(tags=["emergencies"])


def _id(description: str):
    return Path(..., ge=1, le=MAX_ID, description=description)


DayParam = Query(None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", description="YYYY-MM-DD; today (Shanghai) if left out.")


def _day(text: str | None) -> dt.date:
    if not text:
        return local_today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FieldErrors({"day": [_("Enter a valid date.")]}) from None


def emergency_out(e: Emergency) -> dict[str, Any]:
    return {"id": e.pk, "title": e.title, "kind": e.kind, "region": e.region_code, "start": e.start, "end": e.end,
            "status": e.status, "check_items": e.check_items, "fever_threshold": float(e.fever_threshold),
            "quarantine_days": e.quarantine_days, "supplies_days": e.supplies_days, "version": e.version}


def _household(h) -> dict[str, Any]:
    return {"id": h.pk, "number": h.number, "head_name": h.head_name, "village": h.region.name}


def check_out(c: HealthCheck) -> dict[str, Any]:
    """A check with its people and readings: those a submission just wrote when it carries them
    (services.check_submit), read otherwise."""
    people = getattr(c, "checked_people", None)
    if people is None:
        people = services.check_people(c)
    return {
        "id": c.pk, "emergency": c.emergency_id, "household": _household(c.household), "day": c.day,
        "status": c.status, "disinfection": c.disinfection, "symptoms": c.symptoms,
        "supplies_enough": c.supplies_enough, "help_needed": c.help_needed, "note": c.note, "fever": c.fever,
        "people": [{"key": key, "name": name} for key, name, _p in people],
        "readings": [{"person": f"m{r.member_id}" if r.member_id else f"r{r.returnee_id}", "name": r.name,
                      "temperature": float(r.temperature), "fever": r.fever} for r in c.readings.all()],
        "done_at": c.done_at, "version": c.version,
    }


def returnee_out(r: Returnee) -> dict[str, Any]:
    q = getattr(r, "quarantine", None)
    return {
        "id": r.pk, "emergency": r.emergency_id, "household": _household(r.household), "name": r.name,
        "id_number": identity.mask_id(r.id_number), "phone": identity.mask_phone(r.phone) if r.phone_tail else "",
        "origin": r.origin, "arrival": r.arrival, "transport": r.transport, "screening": r.screening,
        "home_supplies_ensured": r.home_supplies_ensured, "help_needed": r.help_needed, "help_note": r.help_note,
        "quarantine": None if q is None else {"start": q.start, "end": q.end, "status": q.status,
                                              "ended_on": q.ended_on},
    }


# --- emergencies ---------------------------------------------------------------------------------

@emergencies.get("", response={200: list[EmergencyOut], **COMMON_RESPONSES}, summary="Emergencies")
def emergency_list(request):
    """Over the caller's area, open ones first."""
    require(request.auth, "emergency.view")
    return [emergency_out(e) for e in queries.emergencies_for(request.auth)[:200]]


@emergencies.post("", response={201: EmergencyOut, 403: ErrorOut, **BODY_RESPONSES}, summary="Open an emergency")
def emergency_open(request, payload: EmergencyIn):
    """The township office (or the county) opens one for its area, with its protocol; today's daily
    checks are made at once."""
    user = request.auth
    require(user, "emergency.manage")
    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        raise FieldErrors({"region": [_("This region is outside your area.")]})
    emergency = services.emergency_open(
        region=region, kind=payload.kind.value, title=payload.title, start=payload.start, end=payload.end,
        check_items=[i.value for i in payload.check_items] if payload.check_items is not None else None,
        fever_threshold=Decimal(str(payload.fever_threshold)), quarantine_days=payload.quarantine_days,
        supplies_days=payload.supplies_days, actor=user)
    services.checks_generate()
    return Status(201, emergency_out(emergency))


@emergencies.get("/{id}", response={200: EmergencyOut, **COMMON_RESPONSES}, summary="An emergency")
def emergency_detail(request, id: int = _id("The emergency's id.")):
    require(request.auth, "emergency.view")
    return emergency_out(queries.emergency_get(request.auth, id))


@emergencies.get("/{id}/numbers", response={200: EmergencyNumbersOut, **COMMON_RESPONSES},
                 summary="An emergency's numbers of a day")
def emergency_numbers(request, id: int = _id("The emergency's id."), day: str | None = DayParam):
    """From the summary rows, in the caller's area: checked / due, fever alerts, in quarantine; and
    deliveries outstanding now."""
    require(request.auth, "emergency.view")
    emergency = queries.emergency_get(request.auth, id)
    day = _day(day)
    numbers = queries.emergency_numbers(request.auth, emergency, day)
    return {"day": day, **numbers.__dict__,
            "deliveries_outstanding": delivery_queries.delivery_counts(request.auth).open}


@emergencies.post("/{id}/end", response={200: EmergencyOut, 403: ErrorOut, **BODY_RESPONSES},
                  summary="Extend (change the end)")
def emergency_extend(request, payload: EmergencyEndIn, id: int = _id("The emergency's id.")):
    emergency = queries.emergency_get(request.auth, id)
    return emergency_out(services.emergency_extend(emergency=emergency, end=payload.end, actor=request.auth))


@emergencies.post("/{id}/close", response={200: EmergencyOut, 403: ErrorOut, **COMMON_RESPONSES},
                  summary="Close")
def emergency_close(request, id: int = _id("The emergency's id.")):
    emergency = queries.emergency_get(request.auth, id)
    return emergency_out(services.emergency_close(emergency=emergency, actor=request.auth))


# --- daily checks ----------------------------------------------------------------------------------

@checks.get("", response={200: list[CheckOut], **COMMON_RESPONSES}, summary="Daily checks of a day")
def check_list(request, day: str | None = DayParam, emergency: int | None = Query(None, ge=1, le=MAX_ID),
               due_only: bool = False, limit: int = Query(200, ge=1, le=500), offset: int = Query(0, ge=0, le=100_000)):
    """The checks of the households the caller sees (today by default), not-done first."""
    require(request.auth, "check.view")
    e = queries.emergency_get(request.auth, emergency) if emergency else None
    qs = queries.checks_of_day(request.auth, _day(day), emergency=e)
    if due_only:
        qs = qs.filter(status="due")
    rows = list(qs.select_related("emergency").prefetch_related("readings", "household__members")
                [offset: offset + limit])
    return [check_out(c) for c in rows]


@checks.post("/{id}", response={200: CheckOut, 201: CheckOut, 403: ErrorOut, **BODY_RESPONSES,
                                 **REPLAY_RESPONSES},
             summary="Record a daily check")
def check_submit(request, payload: CheckIn, id: int = _id("The check's id.")):
    """Idempotent by `client_id`: a repeat answers 200 with the check as the first one left it. A
    temperature at or above the threshold alerts the township office and opens an urgent medical
    need, once per person per day."""
    user = request.auth
    require(user, "check.submit")
    # The service reads the check in the caller's area (404 otherwise) and locks it: one statement.
    row, written = services.check_submit(
        check=id, actor=user, client_id=payload.client_id, temperatures=payload.temperatures,
        disinfection=payload.disinfection, symptoms=payload.symptoms, supplies_enough=payload.supplies_enough,
        help_needed=payload.help_needed, note=payload.note)
    if not written:  # a repeat: the check as it is now, read again
        return Status(200, check_out(queries.check_get(user, id)))
    return Status(201, check_out(row))  # built from the rows just written


# --- returnees ------------------------------------------------------------------------------------

@returnees.get("", response={200: list[ReturneeOut], **COMMON_RESPONSES}, summary="Returnees of an emergency")
def returnee_list(request, emergency: int = Query(..., ge=1, le=MAX_ID)):
    require(request.auth, "emergency.view")
    e = queries.emergency_get(request.auth, emergency)
    return [returnee_out(r) for r in queries.returnees_for(request.auth, e)]


@returnees.post("", response={201: ReturneeOut, 200: ReturneeOut, 403: ErrorOut, **BODY_RESPONSES,
                                 **REPLAY_RESPONSES},
                summary="Register a returnee")
def returnee_register(request, payload: ReturneeIn):
    """In a household of the caller's area (404 otherwise), or in a new household registered in the
    same transaction with the returnee as its head (`new_household`; the registry's rules and
    permission apply). Whether in home quarantine, supplies ensured and help needed are answers
    the body must give: none is assumed. With `client_id`, a repeat answers 200 with
    the first registration and registers nothing new."""
    user = request.auth
    require(user, "returnee.register")
    emergency = queries.emergency_get(user, payload.emergency)
    if payload.client_id:
        existing = Returnee.objects.visible_to(user).filter(client_id=payload.client_id).first()
        if existing is not None:  # a repeat: answered once its body is checked to be the same
            services.returnee_replay_check(client_id=payload.client_id, payload=services.returnee_payload(
                emergency=emergency, name=payload.name, id_number=payload.id_number, origin=payload.origin,
                arrival=payload.arrival, transport=payload.transport, phone=payload.phone,
                screening=payload.screening, quarantine=payload.quarantine,
                home_supplies_ensured=payload.home_supplies_ensured, help_needed=payload.help_needed,
                help_note=payload.help_note))
            return Status(200, returnee_out(existing))
    if (payload.household is None) == (payload.new_household is None):
        raise FieldErrors({"household": [_("Give either household or new_household.")]})
    household = household_queries.household_get(user, payload.household) if payload.household else None
    new = payload.new_household
    new_household = None if new is None else services.NewHousehold(
        village=new.village, address=new.address, education=new.education, school_status=new.school_status)
    returnee = services.returnee_register(
        emergency=emergency, household=household, new_household=new_household, name=payload.name,
        id_number=payload.id_number, phone=payload.phone, origin=payload.origin, arrival=payload.arrival, transport=payload.transport,
        screening=payload.screening, quarantine=payload.quarantine,
        home_supplies_ensured=payload.home_supplies_ensured, help_needed=payload.help_needed,
        help_note=payload.help_note, client_id=payload.client_id, actor=user)
    return Status(201, returnee_out(Returnee.objects.select_related("household__region", "quarantine")
                                    .get(pk=returnee.pk)))
