"""API routes for the labour force, back-to-work drives and employment subsidies: the same forms,
services and queries as the pages; statuses idempotent by client id."""

from __future__ import annotations

from typing import Any

from ninja import Path, Query, Router, Status

from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.households import identity
from bangfu.households.models import Member
from bangfu.households.schemas import MAX_ID
from bangfu.work import queries, services
from bangfu.work.forms import OutcomeForm, StatusForm
from bangfu.work.models import LabourStatus, Placement, Source, SubsidyPayment
from bangfu.work.schemas import (
    DriveOut,
    LabourerOut,
    OutcomeIn,
    StatusIn,
    StatusOut,
    SubsidyListOut,
)

labour = Router(tags=["work"])
drives = Router(tags=["work"])
subsidies = Router(tags=["work"])


def _id(description: str):
    return Path(..., ge=1, le=MAX_ID, description=description)


def status_out(s: LabourStatus) -> dict[str, Any]:
    return {"id": s.pk, "member": s.member_id, "month": s.month.strftime("%Y-%m"), "activity": s.activity,
            "reason": s.reason, "place_code": s.place_code, "place_name": s.place_name, "area": s.area,
            "employer": s.employer, "job": s.job, "wage_fen": s.wage_fen,
            "started_on": s.started_on, "source": s.source, "version": s.version}


def _bound(form_class, data: dict[str, Any]) -> dict[str, Any]:
    form = form_class({k: ("" if v is None else v) for k, v in data.items()})
    if not form.is_valid():
        raise FieldErrors({key: [str(m) for m in messages] for key, messages in form.errors.items()})
    return form.cleaned_data


@labour.get("", response={200: list[LabourerOut], **COMMON_RESPONSES}, summary="Labourers with their latest status")
def labour_list(request, village: str = Query("", max_length=15, pattern=r"^[0-9]*$"),
                activity: str = Query("", max_length=16, pattern=r"^[a-z_]*$"),
                offset: int = Query(0, ge=0, le=10**9), limit: int = Query(100, ge=1, le=500)):
    """The labourers in the caller's scope (members of working age with labour ability), each with
    their latest monthly status; `activity=none` for those with none yet."""
    require(request.auth, "labour.view")
    members = queries.labour_list(request.auth, village_code=village, activity=activity)[offset:offset + limit]
    return [{"id": m.pk, "name": m.name, "household": {"id": m.household_id, "number": m.household.number},
             "village": m.household.region.name, "labor_skill": m.labor_skill,
             "status": status_out(s) if s else None} for m, s in queries.attach_statuses(members)]


@labour.post("/statuses", response={201: StatusOut, 200: StatusOut, 403: ErrorOut, **BODY_RESPONSES},
             summary="Record a labourer's monthly status")
def status_record(request, payload: StatusIn):
    """A second record for the same labourer and month changes the first (kept in history). With
    `client_id`, a repeat answers 200 with the first record and records nothing new."""
    user = request.auth
    require(user, "labour.record")
    if payload.client_id:
        earlier = LabourStatus.objects.visible_to(user).filter(client_id=payload.client_id).first()
        if earlier is not None:
            return Status(200, status_out(earlier))
    member = Member(pk=payload.member)  # looked up in the caller's scope by the service (404 outside)
    body = payload.dict(exclude={"member", "client_id", "wage_fen"})
    data = _bound(StatusForm, {**body, "wage": None if payload.wage_fen is None else f"{payload.wage_fen / 100:.2f}"})
    status, created = services.status_record(member=member, data=data, actor=user, source=Source.API,
                                             client_id=payload.client_id)
    return Status(201 if created else 200, status_out(status))


def target_out(t: Placement) -> dict[str, Any]:
    return {"id": t.pk, "member": t.member_id, "name": t.member.name, "village": t.household.region.name,
            "outcome": t.outcome, "returned_on": t.returned_on, "place_code": t.place_code,
            "place_name": t.place_name, "area": t.area, "reason": t.reason, "transport": t.transport,
            "subsidy": t.subsidy_fen / 100, "version": t.version}


def drive_out(d, *, targets=None) -> dict[str, Any]:
    return {"id": d.pk, "title": d.title, "region": d.region_code, "start": d.start, "end": d.end, "rule": d.rule,
            "targeted": d.targeted, "returned": d.returned, "nearby": d.nearby,
            "targets": None if targets is None else [target_out(t) for t in targets]}


@drives.get("", response={200: list[DriveOut], **COMMON_RESPONSES}, summary="Back-to-work drives")
def drive_list(request):
    require(request.auth, "drive.view")
    return [drive_out(d) for d in queries.drives_for(request.auth)[:200]]


@drives.get("/{id}", response={200: DriveOut, **COMMON_RESPONSES}, summary="A drive with each labourer's outcome")
def drive_detail(request, id: int = _id("The drive's id.")):
    require(request.auth, "drive.view")
    drive = queries.drive_get(request.auth, id)
    return drive_out(drive, targets=queries.placements(request.auth, drive)[:5000])


@drives.post("/targets/{id}", response={200: DriveOut, 403: ErrorOut, **BODY_RESPONSES},
             summary="Record a labourer's outcome")
def outcome_record(request, payload: OutcomeIn, id: int = _id("The targeted labourer's row id (`targets[].id`).")):
    """The drive answered with this labourer's row only."""
    user = request.auth
    require(user, "drive.record")
    row = queries.target_get(user, id)
    data = _bound(OutcomeForm, payload.dict(exclude={"version"}))
    services.drive_outcome_record(target=row, data=data, actor=user, version=payload.version)
    drive = queries.drive_get(user, row.drive_id)
    return drive_out(drive, targets=queries.placements(user, drive).filter(pk=row.pk))


def payment_out(p: SubsidyPayment) -> dict[str, Any]:
    return {"id": p.pk, "member": p.member_id, "name": p.name, "village": p.household.region.name,
            "id_number": identity.mask_id(p.id_number),
            "account": f"****{p.account_tail}" if p.account_tail else "", "area": p.area,
            "place_name": p.place_name, "amount": p.amount_fen / 100}


def list_out(s, *, payments=None) -> dict[str, Any]:
    return {"id": s.pk, "region": s.region_code, "year": s.year, "status": s.status, "count": s.count,
            "total": (s.total_fen or 0) / 100, "version": s.version,
            "payments": None if payments is None else [payment_out(p) for p in payments]}


@subsidies.get("", response={200: list[SubsidyListOut], **COMMON_RESPONSES}, summary="Employment subsidy lists")
def subsidy_lists(request):
    require(request.auth, "subsidy.view")
    return [list_out(s) for s in queries.subsidy_lists_for(request.auth)[:200]]


@subsidies.get("/{id}", response={200: SubsidyListOut, **COMMON_RESPONSES}, summary="A subsidy list and its payments")
def subsidy_list_detail(request, id: int = _id("The list's id.")):
    require(request.auth, "subsidy.view")
    found = queries.subsidy_list_get(request.auth, id)
    return list_out(found, payments=queries.payments_of(request.auth, found))
