"""API routes for needs: record (idempotent by client id), list, one need, and its transitions.
The same services and queries as the pages; 404 outside the scope, 403 by role, 409 by state."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from ninja import Path, Query, Router, Status

from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, REPLAY_RESPONSES, ErrorOut
from bangfu.core.idempotency import ReplayMismatch
from bangfu.core.permissions import require
from bangfu.households import queries as household_queries
from bangfu.needs import queries, services, workflow
from bangfu.needs.models import Need
from bangfu.needs.schemas import MAX_ID, NeedDetailOut, NeedIn, NeedListParams, NeedPage, RefusedOut, TransitionIn

router = Router(tags=["needs"])


def _user_ref(user) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": str(user)}


def _need_out(need: Need, user) -> dict[str, Any]:
    return {
        "id": need.pk, "client_id": need.client_id, "household": need.household_id, "contact": need.contact_id, "village": need.region_code,
        "category": need.category, "description": need.description, "urgency": need.urgency,
        "status": need.status, "deadline_at": need.deadline_at, "overdue": need.is_overdue(timezone.now()),
        "recorded_by": _user_ref(need.recorded_by), "recorded_at": need.recorded_at,
        "reported_at": need.reported_at, "owner": _user_ref(need.owner), "due_on": need.due_on,
        "resolved_at": need.resolved_at, "confirmed_at": need.confirmed_at, "escalated_at": need.escalated_at,
        "version": need.version,
        "actions": workflow.actions_for(user, need),
    }


def _detail_out(need: Need, user) -> dict[str, Any]:
    steps = []
    for change in queries.need_timeline(need):
        after = change.after or {}
        action = "recorded" if change.action == "create" else after.get("action") or (
            "escalated" if "escalated_at" in after else change.action)
        steps.append({"at": change.at, "actor": _user_ref(change.actor), "action": action,
                      "before": change.before, "after": change.after, "message": change.message})
    return {
        **_need_out(need, user),
        "measures": [
            {"type": m.type, "plan": m.plan, "owner": _user_ref(m.owner), "due_on": m.due_on, "result": m.result,
             "cost_fen": m.cost_fen, "done_at": m.done_at}
            for m in need.measures.select_related("owner")
        ],
        "timeline": steps,
    }


@router.post("", response={201: NeedDetailOut, 200: NeedDetailOut, 403: ErrorOut, **BODY_RESPONSES,
                                 **REPLAY_RESPONSES},
             summary="Record a need")
def need_create(request, payload: NeedIn):
    """Record a need for a household in the caller's area. Idempotent by `client_id`: a retry
    answers 200 with the need the first call recorded; the same id with another body is refused (409,
    code `replay_mismatch`)."""
    user = request.auth
    require(user, "need.create")
    existing = Need.objects.visible_to(user).filter(client_id=payload.client_id).first()
    if existing is not None and existing.household_id != payload.household:
        raise ReplayMismatch()  # the same id for another household: not a retry
    household = household_queries.household_get(user, payload.household)
    need, created = services.need_create(
        household=household, category=payload.category.value, description=payload.description,
        urgency=payload.urgency.value, client_id=payload.client_id, actor=user,
    )
    return Status(201 if created else 200, _detail_out(queries.need_get(user, need.pk), user))


@router.get("", response={200: NeedPage, **COMMON_RESPONSES}, summary="List needs")
def need_list(request, filters: Query[NeedListParams]):
    """Needs in the caller's area, open ones by deadline first, at most `limit`."""
    user = request.auth
    require(user, "need.view")
    flt = queries.NeedFilter(
        status="open" if filters.open else (filters.status.value if filters.status else ""),
        category=filters.category.value if filters.category else "", village=filters.village,
        urgency=filters.urgency.value if filters.urgency else "", overdue=filters.overdue,
        household=filters.household,
    )
    count = queries.needs_filtered(user, flt).count()
    rows = queries.need_board(user, flt, limit=filters.limit)
    return {"items": [_need_out(n, user) for n in rows], "count": count}


@router.get("/{id}", response={200: NeedDetailOut, **COMMON_RESPONSES}, summary="A need")
def need_detail(request, id: int = Path(..., ge=1, le=MAX_ID)):
    user = request.auth
    require(user, "need.view")
    return _detail_out(queries.need_get(user, id), user)


@router.post("/{id}/transitions",
             response={200: NeedDetailOut, 403: ErrorOut, 409: RefusedOut, **BODY_RESPONSES},
             summary="Move a need through its workflow")
def need_transition(request, payload: TransitionIn, id: int = Path(..., ge=1, le=MAX_ID)):
    """report (caseworker), assign and resolve (township office), confirm or reopen (caseworker).
    404 outside the caller's area, 403 when the role may not take the action, 409 (with the
    current status) when the need's state does not allow it; a refused step writes nothing."""
    user = request.auth
    need = queries.need_get(user, id)
    action = payload.action
    try:
        if action == "assign":
            owner = get_user_model().objects.filter(pk=payload.owner).first() if payload.owner else None
            services.need_assign(need=need, actor=user, measure_type=payload.measure_type and payload.measure_type.value,
                                 plan=payload.plan, owner=owner, due_on=payload.due_on)
        elif action == "resolve":
            services.need_resolve(need=need, actor=user, result=payload.result, cost_fen=payload.cost_fen)
        elif action == "reopen":
            services.need_reopen(need=need, actor=user, reason=payload.reason)
        else:
            services.TRANSITION_SERVICES[action](need=need, actor=user, note=payload.note)
    except services.TransitionNotAllowed as refused:
        return Status(409, {"detail": str(refused.message), "status": refused.status})
    return _detail_out(queries.need_get(user, id), user)
