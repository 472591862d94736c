"""Every write to items and the stock ledger: permission, checks, one transaction,
history. The balance rows change only here, by compare-and-set updates, so that two people taking
the last units at the same moment cannot both succeed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core.codes import Level
from bangfu.core.idempotency import create_once
from bangfu.core.permissions import Role, require
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.regions.models import Region
from bangfu.supplies.models import Item, ItemKind, MoveKind, Stock, StockMove


class InsufficientStock(ValidationError):
    """An issue larger than the balance; names the quantity field and what is left."""

    def __init__(self, *, item: Item, wanted: int, balance: int, field: str = "quantity"):
        message = _("Only %(balance)d %(unit)s of %(item)s left in stock; %(wanted)d %(unit)s cannot be issued.") % {
            "balance": balance, "unit": item.unit, "item": item.name, "wanted": wanted,
        }
        super().__init__({field: [message]})
        self.item, self.wanted, self.balance = item, wanted, balance


def township_in_scope(actor: User, township: Region) -> bool:
    return actor.role == Role.ADMIN or bool(actor.scope) and township.code.startswith(actor.scope)


def township_check(actor: User, township: Region) -> None:
    if township.level != Level.TOWNSHIP:
        raise ValidationError({"township": _("Stock is kept per township.")})
    if not township_in_scope(actor, township):
        raise ValidationError({"township": _("%(region)s is outside your area.") % {"region": township.name}})


def item_check(item: Item, township: Region) -> None:
    if item.township_id not in (None, township.code):
        raise ValidationError({"item": _("This item belongs to another township.")})


# --- items -------------------------------------------------------------------------------------

@transaction.atomic
def item_create(*, township: Region, name: str, kind: str, unit: str, actor: User) -> Item:
    """A township's own item (the shared defaults come with the installation)."""
    require(actor, "supplies.manage")
    township_check(actor, township)
    name, unit = name.strip(), unit.strip()
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    if not unit:
        raise ValidationError({"unit": _("This field is required.")})
    if kind not in ItemKind.values:
        raise ValidationError({"kind": _("Select a valid choice.")})
    if Item.objects.for_township(township.code).filter(name=name).exists():
        raise ValidationError({"name": _("There is already an item called %(name)s.") % {"name": name}})
    item = Item.objects.create(township=township, name=name, kind=kind, unit=unit)
    record(actor, Action.CREATE, item, after={"name": name, "kind": kind, "unit": unit, "township": township.code})
    return item


# --- the balance -------------------------------------------------------------------------------

def _balance_add(township: Region, item: Item, quantity: int) -> int:
    """Add to the balance (creating its row); returns the new balance."""
    stock, _created = Stock.objects.get_or_create(township=township, item=item)
    Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + quantity, updated_at=timezone.now())
    return Stock.objects.values_list("quantity", flat=True).get(pk=stock.pk)


def _balance_take(township: Region, item: Item, quantity: int, *, field: str = "quantity") -> int:
    """Take from the balance only if that much is there: one UPDATE ... WHERE quantity >= n, so of two
    concurrent takes of the last units the second finds the row already lowered (PostgreSQL re-reads
    a row it waited for) and changes nothing. Returns the new balance."""
    taken = Stock.objects.filter(township=township, item=item, quantity__gte=quantity).update(
        quantity=F("quantity") - quantity, updated_at=timezone.now()
    )
    if not taken:
        balance = Stock.objects.filter(township=township, item=item).values_list("quantity", flat=True).first()
        raise InsufficientStock(item=item, wanted=quantity, balance=balance or 0, field=field)
    return Stock.objects.values_list("quantity", flat=True).get(township=township, item=item)


# --- moves -------------------------------------------------------------------------------------

def move_snapshot(move: StockMove) -> dict:
    return {
        "kind": move.kind, "item": move.item.name, "quantity": move.quantity, "balance_after": move.balance_after,
        "source": move.source, "reason": move.reason, "note": move.note,
    }


def _positive(quantity: int) -> None:
    if not isinstance(quantity, int) or quantity <= 0:
        raise ValidationError({"quantity": _("Enter a whole number greater than zero.")})


def _write_move(*, township, item, kind, quantity, actor, client_id, source="", reason="", note="",
                household_id=None) -> tuple[StockMove, bool]:
    """Change the balance and write the ledger line, once per client id."""

    def create() -> StockMove:
        if quantity > 0:
            balance = _balance_add(township, item, quantity)
        else:
            balance = _balance_take(township, item, -quantity)
        move = StockMove.objects.create(
            township=township, item=item, kind=kind, quantity=quantity, balance_after=balance, source=source,
            reason=reason, note=note, actor=actor, at=timezone.now(), client_id=client_id or None,
        )
        record(actor, Action.CREATE, move, household_id=household_id)
        return move

    if client_id:
        return create_once(StockMove, client_id=client_id, create=create, payload={
            "township": township, "item": item, "kind": kind, "quantity": quantity, "source": source,
            "reason": reason, "note": note, "household_id": household_id})
    return create(), True


@transaction.atomic
def stock_receive(*, township: Region, item: Item, quantity: int, source: str, actor: User,
                  note: str = "", client_id: str | None = None) -> StockMove:
    """入库: goods received (a donation, a purchase, an allocation from the county)."""
    require(actor, "stock.move")
    township_check(actor, township)
    item_check(item, township)
    _positive(quantity)
    if not source.strip():
        raise ValidationError({"source": _("Say where the goods came from.")})
    move, _created = _write_move(township=township, item=item, kind=MoveKind.RECEIVE, quantity=quantity,
                                 actor=actor, client_id=client_id, source=source.strip(), note=note.strip())
    return move


@transaction.atomic
def stock_issue(*, township: Region, item: Item, quantity: int, actor: User, note: str = "",
                client_id: str | None = None) -> StockMove:
    """出库 by the office (handed out at the office, sent on to a village); deliveries to a household
    issue through delivery_complete."""
    require(actor, "stock.move")
    township_check(actor, township)
    item_check(item, township)
    _positive(quantity)
    if not note.strip():
        raise ValidationError({"note": _("Say what the goods are for.")})
    move, _created = _write_move(township=township, item=item, kind=MoveKind.ISSUE, quantity=-quantity,
                                 actor=actor, client_id=client_id, note=note.strip())
    return move


def stock_issue_for_delivery(*, township: Region, item: Item, quantity: int, actor: User, note: str,
                             household_id: int) -> StockMove:
    """The issue behind a delivered delivery. Called by deliveries.services.delivery_complete inside
    its transaction, after it has checked the caseworker's right to complete that delivery."""
    item_check(item, township)
    move, _created = _write_move(township=township, item=item, kind=MoveKind.ISSUE, quantity=-quantity,
                                 actor=actor, client_id=None, note=note, household_id=household_id)
    return move


@transaction.atomic
def stock_adjust(*, township: Region, item: Item, quantity: int, reason: str, actor: User,
                 client_id: str | None = None) -> StockMove:
    """A correction after a count (spoiled, miscounted): `quantity` is the signed change."""
    require(actor, "stock.move")
    township_check(actor, township)
    item_check(item, township)
    if not isinstance(quantity, int) or quantity == 0:
        raise ValidationError({"quantity": _("Enter the change: a positive or negative whole number, not zero.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the stock is adjusted.")})
    move, _created = _write_move(township=township, item=item, kind=MoveKind.ADJUST, quantity=quantity,
                                 actor=actor, client_id=client_id, reason=reason.strip())
    return move
