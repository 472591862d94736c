"""Reads of items, stock and the ledger, shared by pages, the API and reports. Stock is scoped by the
township's region code."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bangfu.core.codes import TOWNSHIP_LENGTH, Level, prefix_q, township_of
from bangfu.core.permissions import Role
from bangfu.households.models import Household
from bangfu.regions.models import Region
from bangfu.supplies.models import Item, Stock, StockMove

# --- townships ---------------------------------------------------------------------------------

def townships_for(user) -> QuerySet[Region]:
    """The townships whose stock the user may see: their own, or those under their county."""
    if not user.is_authenticated:
        return Region.objects.none()
    townships = Region.objects.filter(level=Level.TOWNSHIP)
    if user.role == Role.ADMIN:
        return townships
    scope = user.scope
    if not scope:
        return townships.none()
    if len(scope) >= TOWNSHIP_LENGTH:
        return townships.filter(code=township_of(scope))
    return townships.filter(prefix_q("code", scope))


def township_get(user, code: str | None = None) -> Region:
    """The township asked for (or the user's first one), if the user may see it; else 404."""
    townships = townships_for(user)
    township = townships.filter(code=code).first() if code else townships.order_by("code").first()
    if township is None:
        raise Http404("no such township")
    return township


def items_for(township: Region) -> QuerySet[Item]:
    return Item.objects.for_township(township.code).order_by("kind", "id")


def item_get(township: Region, pk: int) -> Item:
    item = items_for(township).filter(pk=pk).first()
    if item is None:
        raise Http404("no such item")
    return item


# --- stock -------------------------------------------------------------------------------------

@dataclass
class StockLine:
    item: Item
    quantity: int
    outstanding: int = 0  # promised to open claims (deliveries from stock), not yet issued

    @property
    def short(self) -> int:
        return max(self.outstanding - self.quantity, 0)


def stock_lines(township: Region) -> list[StockLine]:
    """Every item of the township with its balance (from the balance rows, never summing the ledger)
    and what open claims on it will still take (declared by other apps: bangfu.supplies.panels)."""
    from bangfu.supplies.panels import promised_sources

    balances = dict(Stock.objects.filter(township=township).values_list("item_id", "quantity"))
    outstanding: dict[int, int] = {}
    for promised in promised_sources():
        for item_id, units in promised(township).items():
            outstanding[item_id] = outstanding.get(item_id, 0) + (units or 0)
    return [StockLine(item, balances.get(item.pk, 0), outstanding.get(item.pk) or 0)
            for item in items_for(township)]


def stock_balance(township: Region, item: Item) -> int:
    return Stock.objects.filter(township=township, item=item).values_list("quantity", flat=True).first() or 0


def balances_for(user, *, township: str = "") -> QuerySet[Stock]:
    """Balance rows in the user's townships (for the API)."""
    qs = Stock.objects.filter(township__in=townships_for(user)).select_related("item", "township")
    if township:
        qs = qs.filter(township_id=township)
    return qs.order_by("township_id", "item__kind", "item_id")


def ledger(township: Region, item: Item | None = None) -> QuerySet[StockMove]:
    qs = StockMove.objects.filter(township=township).select_related("item", "actor", "delivery__household")
    if item is not None:
        qs = qs.filter(item=item)
    return qs.order_by("-at", "-id")


def moves_for(user, *, township: str = "", item: int | None = None) -> QuerySet[StockMove]:
    qs = StockMove.objects.filter(township__in=townships_for(user)).select_related("item", "actor")
    if township:
        qs = qs.filter(township_id=township)
    if item:
        qs = qs.filter(item_id=item)
    return qs.order_by("-at", "-id")


def _household_of(move: StockMove) -> int | None:
    try:
        return move.delivery.household_id
    except ObjectDoesNotExist:
        return None


def moves_as_seen(user, moves: list[StockMove]) -> list[StockMove]:
    """The moves as the user may read them. A township's ledger is seen by every village of it, but
    an issue for a delivery names its household (the note carries the household's number): for a
    household outside the user's scope the move stays, naming nobody (`household_shown` false)."""
    household_ids = {pk for pk in map(_household_of, moves) if pk is not None}
    visible = set(Household.objects.visible_to(user).filter(pk__in=household_ids).values_list("pk", flat=True))
    for move in moves:
        household_id = _household_of(move)
        move.household_shown = household_id is None or household_id in visible
        if not move.household_shown:
            move.note = _("Delivered to a household of another area")
    return moves
