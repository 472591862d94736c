"""API routes for stock balances and stock moves: the same services and queries as the pages, scoped
to the caller's townships, idempotent by client id."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.regions.models import Region
from bangfu.supplies import queries, services
from bangfu.supplies.models import Item, StockMove
from bangfu.supplies.schemas import (
    BalanceOut,
    MoveIn,
    MoveKindIn,
    MoveListParams,
    MoveOut,
)

stock_router = Router(tags=["stock"])


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


def same_township(code: str, township: Region) -> None:
    """A repeat is answered only where it was first sent; a client id seen elsewhere is an error."""
    if code != township.code:
        raise FieldErrors({"client_id": [_("This client id was already used for another request.")]})


def item_in_township(township: Region, pk: int, field: str = "item") -> Item:
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
    return [_move_out(move) for move in queries.moves_as_seen(request.auth, list(rows[: params.limit]))]


@stock_router.post("/moves", response={201: MoveOut, 200: MoveOut, 403: ErrorOut, **BODY_RESPONSES},
                   summary="Receive, issue or adjust stock")
def move_create(request, payload: MoveIn):
    """One move. An issue or a negative adjustment larger than the balance is refused (422 on
    `quantity`, naming what is left). With `client_id`, a repeat answers 200 with the first move."""
    user = request.auth
    require(user, "stock.move")
    township = _township(user, payload.township)
    item = item_in_township(township, payload.item)
    if payload.client_id:
        existing = StockMove.objects.filter(client_id=payload.client_id).first()
        if existing is not None:
            same_township(existing.township_id, township)
            return Status(200, _move_out(existing))
    common = {"township": township, "item": item, "actor": user, "client_id": payload.client_id}
    if payload.kind == MoveKindIn.receive:
        move = services.stock_receive(quantity=payload.quantity, source=payload.source, note=payload.note, **common)
    elif payload.kind == MoveKindIn.issue:
        move = services.stock_issue(quantity=payload.quantity, note=payload.note, **common)
    else:
        move = services.stock_adjust(quantity=payload.quantity, reason=payload.reason, **common)
    return Status(201, _move_out(move))
