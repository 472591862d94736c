"""API routes for stock balances, stock moves and distributions: the same services and queries as
the pages, scoped to the caller's townships, idempotent by client id."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from bangfu.api.errors import BODY_RESPONSES, COMMON_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.households.choices import Category
from bangfu.households.schemas import MAX_ID
from bangfu.regions.models import Level, Region
from bangfu.supplies import queries, services
from bangfu.supplies.models import Distribution, Item, StockMove
from bangfu.supplies.schemas import (
    BalanceOut,
    DistributionIn,
    DistributionOut,
    MoveIn,
    MoveKindIn,
    MoveListParams,
    MoveOut,
)

stock_router = Router(tags=["stock"])
distributions_router = Router(tags=["distributions"])


def item_out(item: Item) -> dict[str, Any]:
    return {"id": item.pk, "name": item.name, "kind": item.kind, "unit": item.unit, "shared": item.township_id is None}


def _move_out(move: StockMove) -> dict[str, Any]:
    try:
        delivery_id = move.delivery.pk
    except ObjectDoesNotExist:
        delivery_id = None
    return {
        "id": move.pk, "township": move.township_id, "kind": move.kind, "item": item_out(move.item),
        "quantity": move.quantity, "balance_after": move.balance_after, "source": move.source,
        "reason": move.reason, "note": move.note, "actor": {"id": move.actor_id, "name": str(move.actor)},
        "at": move.at, "delivery": delivery_id,
    }


def _township(user, code: str) -> Region:
    """A township the caller may see; 404 otherwise (as a household outside the scope)."""
    return queries.township_get(user, code)


def _same_township(code: str, township: Region) -> None:
    """A repeat is answered only where it was first sent; a client id seen elsewhere is an error."""
    if code != township.code:
        raise FieldErrors({"client_id": [_("This client id was already used for another request.")]})


def _item(township: Region, pk: int, field: str = "item") -> Item:
    item = queries.items_for(township).filter(pk=pk).first()
    if item is None:
        raise FieldErrors({field: [_("No such item in this township.")]})
    return item


@stock_router.get("/balances", response={200: list[BalanceOut], **COMMON_RESPONSES}, summary="Stock balances")
def balances(request, township: str = Query("", pattern=r"^([0-9]{9})?$",
                                            description="A township's code (default: all yours).")):
    """The balance of every item in the caller's townships, from the balance rows."""
    require(request.auth, "supplies.view")
    return [
        {"township": row.township_id, "item": item_out(row.item), "quantity": row.quantity,
         "updated_at": row.updated_at}
        for row in queries.balances_for(request.auth, township=township)[:2000]
    ]


@stock_router.get("/moves", response={200: list[MoveOut], **COMMON_RESPONSES}, summary="The stock ledger")
def moves(request, params: Query[MoveListParams]):
    """Stock moves, newest first."""
    require(request.auth, "supplies.view")
    rows = queries.moves_for(request.auth, township=params.township, item=params.item).select_related("delivery")
    return [_move_out(move) for move in rows[: params.limit]]


@stock_router.post("/moves", response={201: MoveOut, 200: MoveOut, 403: ErrorOut, **BODY_RESPONSES},
                   summary="Receive, issue or adjust stock")
def move_create(request, payload: MoveIn):
    """One move. An issue or a negative adjustment larger than the balance is refused (422 on
    `quantity`, naming what is left). With `client_id`, a repeat answers 200 with the first move."""
    user = request.auth
    require(user, "stock.move")
    township = _township(user, payload.township)
    item = _item(township, payload.item)
    if payload.client_id:
        existing = StockMove.objects.filter(client_id=payload.client_id).first()
        if existing is not None:
            _same_township(existing.township_id, township)
            return Status(200, _move_out(existing))
    common = {"township": township, "item": item, "actor": user, "client_id": payload.client_id}
    if payload.kind == MoveKindIn.receive:
        move = services.stock_receive(quantity=payload.quantity, source=payload.source, note=payload.note, **common)
    elif payload.kind == MoveKindIn.issue:
        move = services.stock_issue(quantity=payload.quantity, note=payload.note, **common)
    else:
        move = services.stock_adjust(quantity=payload.quantity, reason=payload.reason, **common)
    return Status(201, _move_out(move))


# --- distributions -----------------------------------------------------------------------------

def _distribution_out(user, distribution: Distribution) -> dict[str, Any]:
    report = queries.distribution_report(user, distribution)
    return {
        "id": distribution.pk, "township": distribution.township_id, "title": distribution.title,
        "item": item_out(distribution.item), "quantity": distribution.quantity, "villages": distribution.villages,
        "categories": distribution.categories, "supplies_short": distribution.supplies_short,
        "note": distribution.note,
        "created_by": {"id": distribution.created_by_id, "name": str(distribution.created_by)},
        "created_at": distribution.created_at, "households": report.households, "planned": report.planned,
        "delivered_households": report.delivered_households, "delivered": report.delivered,
        "failed_households": report.failed_households, "failed": report.failed,
        "outstanding_households": report.outstanding_households, "outstanding": report.outstanding,
        "stock_left": report.stock_left,
    }


@distributions_router.get("", response={200: list[DistributionOut], **COMMON_RESPONSES}, summary="Distributions")
def distribution_list(request, township: str = Query(..., pattern=r"^[0-9]{9}$",
                                                     description="The township's code.")):
    require(request.auth, "supplies.view")
    found = _township(request.auth, township)
    return [_distribution_out(request.auth, d) for d in queries.distributions_for(request.auth, found)[:100]]


@distributions_router.get("/{id}", response={200: DistributionOut, **COMMON_RESPONSES},
                          summary="A distribution and its progress")
def distribution_detail(request, id: int = Path(..., ge=1, le=MAX_ID)):
    require(request.auth, "supplies.view")
    return _distribution_out(request.auth, queries.distribution_get(request.auth, id))


@distributions_router.post("", response={201: DistributionOut, 200: DistributionOut, 403: ErrorOut,
                                         **BODY_RESPONSES}, summary="Plan a distribution")
def distribution_create(request, payload: DistributionIn):
    """`quantity` of `item` to each selected household, one delivery each, special groups first.
    With `client_id`, a repeat answers 200 with the first plan."""
    user = request.auth
    require(user, "distribution.plan")
    township = _township(user, payload.township)
    if payload.client_id:
        existing = Distribution.objects.filter(client_id=payload.client_id).first()
        if existing is not None:
            _same_township(existing.township_id, township)
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
    if errors:
        raise FieldErrors(errors)
    plan = services.DistributionPlan(
        township=township, title=payload.title, item=_item(township, payload.item), quantity=payload.quantity,
        villages=sorted(villages), categories=list(dict.fromkeys(payload.categories)), note=payload.note,
        supplies_short=payload.supplies_short,
    )
    distribution = services.distribution_create(plan=plan, actor=user, client_id=payload.client_id)
    return Status(201, _distribution_out(user, queries.distribution_get(user, distribution.pk)))
