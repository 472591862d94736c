"""API routes for monitoring: leads (list; record, idempotent by client id; a department's drop)
and the households in identification or monitored, with their steps (409 when the stage does not
allow one). The same services and queries as the pages; 404 outside the scope, 403 by role."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from bangfu.core import bounds
from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.households import identity
from bangfu.households import queries as household_queries
from bangfu.monitoring import queries, services
from bangfu.monitoring.models import CLEARANCE_OPEN, Clearance, Lead, PlanMeasure, Stage
from bangfu.monitoring.schemas import (
    DropIn,
    DropOut,
    FlagOut,
    FlagRule,
    LeadIn,
    LeadOut,
    LeadStage,
    MeasureIn,
    MeasureOut,
    RefusedOut,
    StepIn,
)
from bangfu.regions.models import Region

leads = Router(tags=["monitoring"])
monitored = Router(tags=["monitoring"])


def clearance_out(clearance: Clearance | None) -> dict[str, Any] | None:
    if clearance is None:
        return None
    return {"id": clearance.pk, "method": clearance.method, "stage": clearance.stage,
            "proposed_on": clearance.proposed_on, "decided_on": clearance.decided_on,
            "outcome_reason": clearance.outcome_reason}


def latest_clearances(leads: list[Lead]) -> dict[int, Clearance]:
    """The latest clearance of each monitored lead's household, in one query."""
    households = {lead.household_id for lead in leads if lead.stage == Stage.MONITORED and lead.household_id}
    latest: dict[int, Clearance] = {}
    if households:
        for clearance in Clearance.objects.filter(household_id__in=households).order_by("proposed_on", "pk"):
            latest[clearance.household_id] = clearance
    return latest


def lead_out(lead: Lead, clearances: dict[int, Clearance] | None = None) -> dict[str, Any]:
    if clearances is None:
        clearances = latest_clearances([lead])
    return {
        "id": lead.pk, "client_id": lead.client_id, "source": lead.source, "channel": lead.channel,
        "department": lead.department, "kind": lead.kind, "indicator": lead.indicator, "value": lead.value,
        "name": lead.name, "id_tail": lead.id_tail, "village": lead.region_code, "household": lead.household_id,
        "stage": lead.stage, "received_on": lead.received_on, "due_on": lead.due_on,
        "identify_by": lead.identify_by, "overdue": services.is_overdue(lead), "colour": services.colour(lead),
        "outcome": lead.outcome, "outcome_reason": lead.outcome_reason, "monitor_type": lead.monitor_type,
        "risks": list(lead.risks), "version": lead.version,
        "clearance": clearance_out(clearances.get(lead.household_id)) if lead.stage == Stage.MONITORED else None,
    }


@leads.get("", response={200: list[LeadOut], **COMMON_RESPONSES}, summary="Leads in the caller's area")
def leads_list(request, stage: LeadStage | None = Query(None)):
    """The newest 200 leads the caller may see (a village its own, the county all of its own)."""
    require(request.auth, "lead.view")
    rows = queries.leads_list(request.auth, stage=stage.value if stage else "")
    clearances = latest_clearances(rows)
    return [lead_out(lead, clearances) for lead in rows]


@leads.post("", response={200: LeadOut, 201: LeadOut, **BODY_RESPONSES}, summary="Record a lead")
def lead_create(request, payload: LeadIn):
    """201 with the new lead, or 200 with the lead a retry (the same client_id) recorded first."""
    user = request.auth
    require(user, "lead.create")
    household = village = None
    if payload.household:
        household = household_queries.household_get(user, payload.household)
    else:
        village = Region.objects.filter(code=payload.village, level="village").first() if payload.village else None
        if village is None:
            raise FieldErrors({"village": [_("Choose the village.")]})
    if payload.id_number:
        try:
            identity.parse_id_number(payload.id_number)
        except identity.IdentityError as error:
            raise FieldErrors({"id_number": [str(error.message)]}) from None
    phone = ""
    if payload.phone:
        try:
            phone = identity.normalise_phone(payload.phone)
        except identity.IdentityError as error:
            raise FieldErrors({"phone": [str(error.message)]}) from None
    lead, created = services.lead_create(
        actor=user, client_id=payload.client_id, source=payload.source, channel=payload.channel,
        village=village, household=household, name=payload.name, id_number=payload.id_number, phone=phone,
        indicator=payload.indicator, value=payload.value, difficulty=payload.difficulty)
    return Status(201 if created else 200, lead_out(lead))


@leads.post("/imports", response={201: DropOut, **BODY_RESPONSES}, summary="A department's drop")
def drop_create(request, payload: DropIn):
    """Every row matched on ID number in the caller's area and checked against the department's
    threshold; each row's result comes back (the rows matching nobody included). A bad row is
    refused with its row number and field, and nothing is written."""
    user = request.auth
    require(user, "lead.import")
    rows, errors = [], {}
    for i, row in enumerate(payload.rows):
        try:
            base = identity.parse_id_number(row.id_number).base
        except identity.IdentityError as error:
            errors.setdefault(f"rows.{i}.id_number", []).append(
                _("Row %(row)d: %(message)s") % {"row": row.row, "message": error.message})
            continue
        if payload.department.value == "medical" and row.amount_fen is None:
            errors.setdefault(f"rows.{i}.amount_fen", []).append(
                _("Row %(row)d: give the self-paid cost.") % {"row": row.row})
            continue
        shown = f"{row.amount_fen / 100:.2f}" if row.amount_fen is not None else row.reason
        rows.append(services.DropRow(row=row.row, id_number=base, name=row.name, value=shown,
                                     amount_fen=row.amount_fen))
    if errors:
        raise FieldErrors(errors)
    drop = services.drop_import(actor=user, department=payload.department.value, rows=rows,
                                file_name=payload.file_name)
    return Status(201, {"id": drop.pk, "department": drop.department, "row_count": drop.row_count,
                        "lead_count": drop.lead_count,
                        "rows": [{"row": r["row"], "result": r["result"], "message": r["message"],
                                  "lead": r.get("lead")} for r in drop.rows]})


@monitored.get("", response={200: list[LeadOut], **COMMON_RESPONSES},
               summary="Households in identification or monitored, with their stage")
def monitored_list(request, stage: LeadStage | None = Query(None)):
    require(request.auth, "lead.view")
    rows = queries.monitored_list(request.auth, stage=stage.value if stage else "")
    clearances = latest_clearances(rows)
    return [lead_out(lead, clearances) for lead in rows]


@monitored.post("/{id}/steps", response={200: LeadOut, 403: ErrorOut, 409: RefusedOut, **BODY_RESPONSES},
                summary="Take an identification or risk clearance step")
def step_take(request, payload: StepIn, id: int = Path(..., ge=1, le=bounds.ID.max)):
    """404 outside the caller's area, 403 when the role may not take the step, 409 (with the
    current stage) when the stage does not allow it, 422 naming the missing field (or, for a
    clearance, the rules' reasons under `clearance`)."""
    user = request.auth
    if payload.action.startswith("clearance_"):
        return _clearance_step(request, payload, id)
    require(user, f"lead.{payload.action}")
    lead = queries.lead_get(user, id)
    try:
        current = services.lead_step(lead=lead, actor=user, action=payload.action, data=payload.dict())
    except services.StepNotAllowed as refused:
        return Status(409, {"detail": str(refused.message), "stage": refused.stage})
    return lead_out(current)


def _clearance_step(request, payload: StepIn, id: int):
    """A clearance step on the household a lead made monitored: proposing one (idempotent by
    client_id), then the village's, the township's and the county's steps on the open one."""
    user = request.auth
    step = payload.action.removeprefix("clearance_")
    require(user, "clearance.verify" if step == "propose" else f"clearance.{step}")
    lead = queries.lead_get(user, id)
    if lead.stage != Stage.MONITORED or lead.household_id is None:
        return Status(409, {"detail": _("Only a monitored household's risk is cleared."), "stage": lead.stage})
    try:
        if step == "propose":
            if payload.client_id is None:
                raise FieldErrors({"client_id": [_("Send a client id with the proposal.")]})
            if not payload.method:
                raise FieldErrors({"method": [_("Choose how the risk was eliminated.")]})
            existing = Clearance.objects.filter(client_id=payload.client_id).first()
            if existing is None and Clearance.objects.filter(household_id=lead.household_id,
                                                              stage__in=CLEARANCE_OPEN).exists():
                return Status(409, {"detail": _("A clearance of this household is under way already."),
                                    "stage": Clearance.objects.filter(household_id=lead.household_id,
                                                                      stage__in=CLEARANCE_OPEN).first().stage})
            services.clearance_start(actor=user, household=lead.household, client_id=payload.client_id,
                                     method=payload.method)
        else:
            clearance = Clearance.objects.visible_to(user).filter(
                household_id=lead.household_id, stage__in=CLEARANCE_OPEN).first()
            if clearance is None:
                return Status(409, {"detail": _("No clearance of this household is under way."),
                                    "stage": lead.stage})
            services.clearance_step(clearance=clearance, actor=user, action=step, data=payload.dict())
    except services.ClearanceStepNotAllowed as refused:
        return Status(409, {"detail": str(refused.message), "stage": refused.stage})
    except services.ClearanceRefused as refused:
        raise FieldErrors({"clearance": [str(r) for r in refused.reasons]}) from None
    return lead_out(Lead.objects.get(pk=lead.pk))


# --- plans and flags -------------------------------------------------------------------------------

plans = Router(tags=["monitoring"])
flags = Router(tags=["monitoring"])


def measure_out(measure: PlanMeasure) -> dict[str, Any]:
    return {"id": measure.pk, "client_id": measure.client_id, "household": measure.household_id,
            "type": measure.type, "content": measure.content, "owner": measure.owner_id, "due_on": measure.due_on,
            "status": measure.status, "planned_on": measure.planned_on, "done_on": measure.done_on,
            "version": measure.version}


@plans.get("", response={200: list[MeasureOut], **COMMON_RESPONSES}, summary="Plan measures in the caller's area")
def plans_list(request):
    """The newest 200 measures of the plans (一户一策) of households the caller may see."""
    require(request.auth, "plan.view")
    return [measure_out(m) for m in queries.plans_list(request.auth)]


@plans.post("", response={200: MeasureOut, 201: MeasureOut, **BODY_RESPONSES}, summary="Add a measure to a plan")
def plan_measure_create(request, payload: MeasureIn):
    """201 with the new measure, or 200 with the measure a retry (the same client_id) recorded first;
    404 for a household outside the caller's area, 422 naming the field."""
    from bangfu.accounts.models import User

    user = request.auth
    require(user, "plan.edit")
    household = household_queries.household_get(user, payload.household)
    owner = User.objects.filter(pk=payload.owner).first()
    measure, created = services.measure_create(
        actor=user, household=household, client_id=payload.client_id, type=payload.type.value,
        content=payload.content, owner=owner, due_on=payload.due_on)
    return Status(201 if created else 200, measure_out(measure))


@flags.get("", response={200: list[FlagOut], **COMMON_RESPONSES}, summary="Households flagged by the rules")
def flags_list(request, rule: FlagRule | None = Query(None)):
    """The households in the caller's area that a rule flags, each with its message and a link to
    the household's plan (the newest 500, by village)."""
    from bangfu.monitoring.rules import RULE_LABELS, link_of

    require(request.auth, "flag.view")
    return [{"id": f.pk, "household": f.household_id, "village": f.region_code, "rule": f.rule,
             "label": str(RULE_LABELS.get(f.rule, f.rule)), "message": f.message, "link": link_of(f.household_id),
             "raised_on": f.raised_on}
            for f in queries.flags_list(request.auth, rule=rule.value if rule else "")]
