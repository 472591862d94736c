"""API routes for deliveries, errands and distributions: the same services and queries as the pages,
scoped through the households' door (distributions: the caller's townships), creation idempotent by
client id."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from bangfu.accounts.models import User
from bangfu.core.codes import Level, township_of
from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, REPLAY_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.deliveries import queries, services
from bangfu.deliveries.models import Delivery, Distribution
from bangfu.deliveries.schemas import (
    AssignIn,
    CompleteIn,
    DeliveryCountsOut,
    DeliveryIn,
    DeliveryListParams,
    DeliveryOut,
    DistributionIn,
    DistributionOut,
    FailIn,
    ReopenIn,
    StatusFilter,
)
from bangfu.households import queries as household_queries
from bangfu.households.choices import Category
from bangfu.households.schemas import MAX_ID
from bangfu.regions.models import Region
from bangfu.supplies import queries as supply_queries
from bangfu.supplies.api import item_in_township, item_out, same_township

router = Router(tags=["deliveries"])
distributions_router = Router(tags=["distributions"])


def _ref(user) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": str(user)}


def delivery_out(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "household": {"id": d.household_id, "number": d.household.number, "head_name": d.household.head_name,
                      "village": d.household.region.name},
        "kind": d.kind, "source": d.source or None, "item": item_out(d.item) if d.item_id else None,
        "quantity": d.quantity, "description": d.description, "what": d.what, "cost": d.cost,
        "distribution": d.distribution_id, "sequence": d.sequence, "priority": d.priority,
        "priority_reasons": d.priority_reasons, "status": d.status, "caseworker": _ref(d.caseworker),
        "requested_by": _ref(d.requested_by), "requested_at": d.requested_at, "assigned_at": d.assigned_at,
        "done_at": d.done_at, "done_by": _ref(d.done_by), "received_by": d.received_by,
        "failure_reason": d.failure_reason, "stock_move": d.stock_move_id, "version": d.version,
    }


def _id(description: str):
    return Path(..., ge=1, le=MAX_ID, description=description)


def _caseworker(pk: int | None) -> User | None:
    if pk is None:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None:
        # The same words as a user who is not a caseworker here: which ids exist is not the caller's.
        raise FieldErrors({"caseworker": [_("Not a caseworker of this village.")]})
    return user


@router.get("", response={200: list[DeliveryOut], **COMMON_RESPONSES}, summary="Deliveries and errands")
def delivery_list(request, params: Query[DeliveryListParams]):
    """Open ones first, priority first among them, then the oldest request."""
    require(request.auth, "delivery.view")
    flt = queries.DeliveryFilter(
        status="open" if params.status == StatusFilter.open else params.status.value,
        kind=params.kind.value if params.kind else "", village=params.village, caseworker=params.caseworker,
        priority=params.priority, distribution=params.distribution, household=params.household,
    )
    rows = queries.deliveries_filtered(request.auth, flt).select_related("requested_by", "done_by")
    return [delivery_out(d) for d in rows[params.offset: params.offset + params.limit]]


@router.get("/counts", response={200: DeliveryCountsOut, **COMMON_RESPONSES}, summary="Deliveries outstanding")
def delivery_counts(request):
    require(request.auth, "delivery.view")
    return queries.delivery_counts(request.auth).__dict__


@router.post("", response={201: DeliveryOut, 200: DeliveryOut, 403: ErrorOut, **BODY_RESPONSES,
                                 **REPLAY_RESPONSES},
             summary="Ask for a delivery or an errand")
def delivery_create(request, payload: DeliveryIn):
    """For a household in the caller's area (404 otherwise). With `client_id`, a repeat answers 200
    with the first request."""
    user = request.auth
    require(user, "delivery.create")
    household = household_queries.household_get(user, payload.household)
    repeat = False
    if payload.client_id:
        existing = Delivery.objects.visible_to(user).filter(client_id=payload.client_id).first()
        if existing is not None and existing.household_id == household.pk:
            repeat = True
    item = None
    if payload.item is not None:
        township = Region.objects.get(code=township_of(household.region_code))
        item = supply_queries.items_for(township).filter(pk=payload.item).first()
        if item is None:
            raise FieldErrors({"item": [_("No such item in this township.")]})
    delivery = services.delivery_create(
        household=household, kind=payload.kind.value, actor=user,
        source=payload.source.value if payload.source else "", item=item, quantity=payload.quantity,
        description=payload.description, cost=payload.cost, caseworker=_caseworker(payload.caseworker),
        client_id=payload.client_id,
    )
    return Status(200 if repeat else 201, delivery_out(queries.delivery_get(user, delivery.pk)))


@router.get("/{id}", response={200: DeliveryOut, **COMMON_RESPONSES}, summary="A delivery or errand")
def delivery_detail(request, id: int = _id("The delivery's id.")):
    require(request.auth, "delivery.view")
    return delivery_out(queries.delivery_get(request.auth, id))


@router.post("/{id}/assign", response={200: DeliveryOut, 403: ErrorOut, **BODY_RESPONSES}, summary="Assign")
def delivery_assign(request, payload: AssignIn, id: int = _id("The delivery's id.")):
    user = request.auth
    delivery = queries.delivery_get(user, id)
    services.delivery_assign(delivery=delivery, caseworker=_caseworker(payload.caseworker), actor=user)
    return delivery_out(queries.delivery_get(user, id))


@router.post("/{id}/complete", response={200: DeliveryOut, 403: ErrorOut, **BODY_RESPONSES},
             summary="Mark delivered")
def delivery_complete(request, payload: CompleteIn, id: int = _id("The delivery's id.")):
    """Delivered now, received by `received_by`. Goods from stock leave the township's stock; if the
    stock cannot cover them the answer is 422 on `quantity`. A repeat of a delivered one answers 200
    unchanged (a retried request from a phone)."""
    user = request.auth
    delivery = queries.delivery_get(user, id)
    services.delivery_complete(delivery=delivery, received_by=payload.received_by, actor=user)
    return delivery_out(queries.delivery_get(user, id))


@router.post("/{id}/fail", response={200: DeliveryOut, 403: ErrorOut, **BODY_RESPONSES}, summary="Mark failed")
def delivery_fail(request, payload: FailIn, id: int = _id("The delivery's id.")):
    user = request.auth
    delivery = queries.delivery_get(user, id)
    services.delivery_fail(delivery=delivery, reason=payload.reason, actor=user)
    return delivery_out(queries.delivery_get(user, id))


@router.post("/{id}/reopen", response={200: DeliveryOut, 403: ErrorOut, **BODY_RESPONSES},
             summary="Try a failed one again")
def delivery_reopen(request, payload: ReopenIn, id: int = _id("The delivery's id.")):
    """Failed → requested again, or assigned to `caseworker`. Anything but a failed delivery is 422
    on `status`, except the same request again by whoever tried it again (the same caseworker, or
    none): it answers 200 unchanged (a retried request from a phone)."""
    user = request.auth
    delivery = queries.delivery_get(user, id)
    services.delivery_reopen(delivery=delivery, actor=user,
                             caseworker=_caseworker(payload.caseworker))
    return delivery_out(queries.delivery_get(user, id))


# --- distributions -----------------------------------------------------------------------------

def _distribution_out(user, distribution: Distribution) -> dict[str, Any]:
    report = queries.distribution_report(user, distribution)
    return {
        "id": distribution.pk, "township": distribution.township_id, "title": distribution.title,
        "lines": [{"item": item_out(p.line.item), "quantity": p.line.quantity, "planned": p.planned,
                   "delivered": p.delivered, "failed": p.failed, "outstanding": p.outstanding,
                   "stock_left": p.stock_left} for p in report.lines],
        "villages": distribution.villages,
        "categories": distribution.categories, "supplies_short": distribution.supplies_short,
        "note": distribution.note,
        "created_by": {"id": distribution.created_by_id, "name": str(distribution.created_by)},
        "created_at": distribution.created_at, "households": report.households,
        "delivered_households": report.delivered_households, "failed_households": report.failed_households,
        "outstanding_households": report.outstanding_households,
    }


@distributions_router.get("", response={200: list[DistributionOut], **COMMON_RESPONSES}, summary="Distributions")
def distribution_list(request, township: str = Query(..., pattern=r"^[0-9]{9}$",
                                                     description="The township's code.")):
    require(request.auth, "supplies.view")
    found = supply_queries.township_get(request.auth, township)
    return [_distribution_out(request.auth, d) for d in queries.distributions_for(request.auth, found)[:100]]


@distributions_router.get("/{id}", response={200: DistributionOut, **COMMON_RESPONSES},
                          summary="A distribution and its progress")
def distribution_detail(request, id: int = Path(..., ge=1, le=MAX_ID)):
    require(request.auth, "supplies.view")
    return _distribution_out(request.auth, queries.distribution_get(request.auth, id))


@distributions_router.post("", response={201: DistributionOut, 200: DistributionOut, 403: ErrorOut,
                                         **BODY_RESPONSES}, summary="Plan a distribution")
def distribution_create(request, payload: DistributionIn):
    """`lines` (or one `item` and `quantity`) to each selected household, one delivery per household and
    item, priority households first.
    With `client_id`, a repeat answers 200 with the first plan."""
    user = request.auth
    require(user, "distribution.plan")
    township = supply_queries.township_get(user, payload.township)
    if payload.client_id:
        existing = Distribution.objects.filter(client_id=payload.client_id).first()
        if existing is not None:
            same_township(existing.township_id, township)
            return Status(200, _distribution_out(user, existing))
    errors: dict[str, list[str]] = {}
    unknown = [c for c in payload.categories if c not in Category.values]
    if unknown:
        errors["categories"] = [_("Unknown category: %(value)s") % {"value": "、".join(unknown)}]
    villages = set(Region.objects.filter(code__in=payload.villages, level=Level.VILLAGE,
                                         code__startswith=township.code).values_list("code", flat=True))
    if set(payload.villages) - villages:
        errors["villages"] = [_("Not a village of this township: %(value)s") % {
            "value": "、".join(sorted(set(payload.villages) - villages))}]
    asked = [(line.item, line.quantity) for line in payload.lines]
    if payload.item is not None or payload.quantity is not None:
        if asked:
            errors["lines"] = [_("Give the items either as lines or as one item and quantity, not both.")]
        elif payload.item is None or payload.quantity is None:
            errors["item" if payload.item is None else "quantity"] = [_("This field is required.")]
        else:
            asked = [(payload.item, payload.quantity)]
    if not asked and "lines" not in errors:
        errors["lines"] = [_("Give at least one item and its quantity per household.")]
    if errors:
        raise FieldErrors(errors)
    plan = services.DistributionPlan(
        township=township, title=payload.title,
        lines=[services.PlanLine(item=item_in_township(township, item), quantity=quantity)
               for item, quantity in asked],
        villages=sorted(villages), categories=list(dict.fromkeys(payload.categories)), note=payload.note,
        supplies_short=payload.supplies_short,
    )
    distribution = services.distribution_create(plan=plan, actor=user, client_id=payload.client_id)
    return Status(201, _distribution_out(user, queries.distribution_get(user, distribution.pk)))
