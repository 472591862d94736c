"""API routes for projects: the list and creating one, a step, payments (idempotent by client id).
The same services and queries as the pages; 404 outside the caller's area, 403 by role, 409 by stage."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Path, Query, Router, Status

from bangfu.core.dates import local_today
from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, ErrorOut, FieldErrors, form_errors
from bangfu.core.permissions import require
from bangfu.households.models import Household
from bangfu.households.schemas import MAX_ID
from bangfu.projects import queries, services
from bangfu.projects.forms import StepForm
from bangfu.projects.models import Project, Stage
from bangfu.projects.schemas import ProjectPaymentIn, ProjectPaymentOut, ProjectIn, ProjectOut, StepRefusedOut, ProjectStepIn
from bangfu.regions.models import Region

router = Router(tags=["projects"])


def project_out(p: Project) -> dict[str, Any]:
    return {
        "id": p.pk, "name": p.name, "type": p.type, "level": p.level, "region": p.region_code,
        "villages": [r.region_code for r in p.village_rows.all()], "stage": p.stage, "deadline": p.deadline,
        "overdue": p.is_overdue(local_today()),
        "budget_fen": {s: p.budget(s) for s in ("central", "province", "city", "county", "other")},
        "households": sorted(h.pk for h in p.households.all()), "benefit_households": p.benefit_households,
        "benefit_persons": p.benefit_persons, "contractor": p.contractor, "started_on": p.started_on,
        "progress": p.progress,
        "targets": [{"indicator": t.indicator, "target": t.target, "actual": t.actual} for t in p.targets.all()],
        "notices": [{"stage": n.stage, "start": n.start, "end": n.end, "place": n.place, "objections": n.objections,
                     "outcome": n.outcome} for n in p.notices.all()],
        "money": [{"source": r.source, "budget_fen": r.budget, "allocated_fen": r.allocated, "paid_fen": r.paid,
                   "remaining_fen": r.remaining, "spending_rate": r.rate} for r in queries.money(p)],
        "version": p.version,
    }


def payment_out(e) -> dict[str, Any]:
    return {"id": e.pk, "project": e.project_id, "kind": e.kind, "source": e.source, "amount_fen": e.amount_fen,
            "day": e.day, "payee": e.payee, "note": e.note}


def _id():
    return Path(..., ge=1, le=MAX_ID, description="The project's id.")


@router.get("", response={200: list[ProjectOut], **COMMON_RESPONSES}, summary="Projects of the caller's area")
def project_list(request, stage: str = Query("", pattern=r"^[a-z_]{0,20}$")):
    user = request.auth
    require(user, "project.view")
    rows = queries.projects_list(user, stage=stage if stage in Stage.values else "").prefetch_related(
        "households", "targets", "notices")[:500]
    return [project_out(p) for p in rows]


@router.post("", response={200: ProjectOut, 201: ProjectOut, 403: ErrorOut, **BODY_RESPONSES},
             summary="Apply for a project (idempotent by client id)")
def project_create(request, payload: ProjectIn):
    user = request.auth
    require(user, "project.create")
    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        raise FieldErrors({"region": ["No such region."]})
    villages = list(Region.objects.filter(code__in=payload.villages).order_by("code"))
    if len(villages) != len(set(payload.villages)):
        raise FieldErrors({"villages": ["No such village."]})
    households = list(Household.objects.visible_to(user).filter(pk__in=payload.households))
    if len(households) != len(set(payload.households)):
        raise FieldErrors({"households": ["No such household in your area."]})
    project, created = services.project_create(
        name=payload.name, type=payload.type.value, region=region, villages=villages,
        budget={s: getattr(payload, f"budget_{s}") for s in ("central", "province", "city", "county", "other")},
        meeting_date=payload.meeting_date, meeting_attendance=payload.meeting_attendance,
        meeting_decision=payload.meeting_decision, client_id=payload.client_id, actor=user,
        description=payload.description, households=households, benefit_households=payload.benefit_households,
        benefit_persons=payload.benefit_persons, benefit_note=payload.benefit_note,
        targets=[(t.indicator, t.target) for t in payload.targets])
    return Status(201 if created else 200, project_out(queries.project_get(user, project.pk)))


@router.get("/{id}", response={200: ProjectOut, **COMMON_RESPONSES}, summary="A project")
def project_detail(request, id: int = _id()):
    user = request.auth
    require(user, "project.view")
    return project_out(queries.project_get(user, id))


@router.post("/{id}/steps", response={200: ProjectOut, 403: ErrorOut, 409: StepRefusedOut, **BODY_RESPONSES},
             summary="Take a project's next step")
def project_step(request, payload: ProjectStepIn, id: int = _id()):
    """publish and self_check (village: they post a notice), review and accept (township office:
    they close it), approve, issue and spot_check (county), start and progress (village or office),
    hand_over (office or county, with the list of what is handed over). 404 outside the caller's
    area, 403 for a role that may not take the step, 409 (with the reason) when the stage does not
    allow it now; a refused step writes nothing."""
    user = request.auth
    require(user, "project.view")
    project = queries.project_get(user, id)
    data = {k: v for k, v in payload.dict(exclude={"items", "action"}).items() if v not in (None, "")}
    for key, value in list(data.items()):
        data[key] = value.value if hasattr(value, "value") else value
    for n, item in enumerate(payload.items, start=1):
        data.update({f"item_{n}_name": item.name, f"item_{n}_value": f"{item.value_fen / 100:.2f}",
                     f"item_{n}_owner_level": item.owner_level.value, f"item_{n}_owner_name": item.owner_name,
                     f"item_{n}_keeper": item.keeper})
    form = StepForm(data, action=payload.action.value, rows=0)
    if not form.is_valid():
        raise FieldErrors(form_errors(form))
    try:
        services.project_step(project=project, action=payload.action.value, actor=user, data=form.cleaned_data,
                              version=payload.version)
    except services.StepRefused as refused:
        return Status(409, {"detail": refused.message, "stage": project.stage})
    return project_out(queries.project_get(user, id))


@router.get("/{id}/payments", response={200: list[ProjectPaymentOut], **COMMON_RESPONSES}, summary="A project's ledger")
def payment_list(request, id: int = _id()):
    user = request.auth
    require(user, "project.view")
    return [payment_out(e) for e in queries.ledger(queries.project_get(user, id))]


@router.post("/{id}/payments", response={200: ProjectPaymentOut, 201: ProjectPaymentOut, 403: ErrorOut, 409: StepRefusedOut,
                                         **BODY_RESPONSES},
             summary="Record a payment (idempotent by client id)")
def payment_create(request, payload: ProjectPaymentIn, id: int = _id()):
    """Never above what remains of the source's allocation (422 on amount_fen, with the figure); 409
    before the funds are issued."""
    user = request.auth
    require(user, "project.view")
    project = queries.project_get(user, id)
    require(user, "project.pay")
    try:
        entry, created = services.payment_create(
            project=project, source=payload.source.value, amount_fen=payload.amount_fen, day=payload.day,
            payee=payload.payee, note=payload.note, client_id=payload.client_id, actor=user)
    except services.StepRefused as refused:
        return Status(409, {"detail": refused.message, "stage": project.stage})
    except ValidationError as error:
        if hasattr(error, "error_dict") and "amount" in error.error_dict:
            raise FieldErrors({"amount_fen": error.message_dict["amount"]}) from None
        raise
    return Status(201 if created else 200, payment_out(entry))
