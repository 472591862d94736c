"""Every write to deliveries, errands and distributions: permission, checks, one transaction,
history on the household's timeline. Delivering goods from stock issues them from the township's
ledger in the same transaction, so a delivery is delivered exactly when its goods have left the
stock."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core.codes import township_of
from bangfu.core.idempotency import create_once, replayed
from bangfu.core.permissions import PermissionDenied, Role, can, require
from bangfu.deliveries.models import (
    OPEN_STATUSES,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
    Distribution,
    DistributionLine,
    GoodsSource,
    PriorityReason,
)
from bangfu.deliveries.priority import declared_priorities
from bangfu.deliveries.queries import severely_disabled
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.households.choices import Category
from bangfu.households.models import Household
from bangfu.households.services import caseworkers_for
from bangfu.needs.models import Need
from bangfu.needs.services import need_resolve_by_delivery
from bangfu.regions.models import Region
from bangfu.supplies.models import Item
from bangfu.supplies.services import item_check, stock_issue_for_delivery, township_check


# 优先 on a delivery card means those who cannot go out for goods and have nobody who does: 特困供养
# and 留守老人 (household categories), and 重残, a member disabled who cannot work (丧失劳动力 or 无劳动力,
# the member's own fields). Not every special group: 低保 is an income test, and a hand-out to the
# special groups would otherwise flag every card, so that the flag said nothing.
PRIORITY_CATEGORIES = {
    Category.EXTREME_HARDSHIP: PriorityReason.EXTREME_HARDSHIP,
    Category.ELDERLY_ALONE: PriorityReason.ELDERLY_ALONE,
}


def priority_reasons(household: Household, *, declared: dict[str, set[int]] | None = None,
                     severe: set[int] | None = None) -> list[str]:
    """Why a household's deliveries go first: 特困供养, 留守老人, 重残 (PRIORITY_CATEGORIES), or a reason
    another app declares (bangfu.deliveries.priority; the emergency work's: someone in home
    quarantine). `declared` and `severe`: the declared reasons' households and the severely
    disabled ones, when the caller read them for many households at once."""
    categories = set(household.category_values())
    reasons = [reason.value for category, reason in PRIORITY_CATEGORIES.items() if category in categories]
    if severe is None:
        severe = severely_disabled([household.pk])
    if household.pk in severe:
        reasons.append(PriorityReason.SEVERE_DISABILITY.value)
    if declared is None:
        declared = declared_priorities([household.pk])
    reasons += [reason for reason, households in declared.items() if household.pk in households]
    return reasons


def snapshot(delivery: Delivery) -> dict:
    return {
        "kind": delivery.kind, "source": delivery.source, "item": delivery.item.name if delivery.item_id else "",
        "quantity": delivery.quantity, "description": delivery.description, "cost": delivery.cost,
        "priority": delivery.priority, "status": delivery.status, "caseworker": delivery.caseworker_id,
        "received_by": delivery.received_by, "failure_reason": delivery.failure_reason,
        "distribution": delivery.distribution.title if delivery.distribution_id else "",
    }


def _visible(actor: User, household: Household) -> None:
    if not Household.objects.visible_to(actor).filter(pk=household.pk).exists():
        raise PermissionDenied("household.view")


def _delivery_visible(actor: User, delivery: Delivery) -> None:
    if not Delivery.objects.visible_to(actor).filter(pk=delivery.pk).exists():
        raise PermissionDenied("delivery.view")


def _check_caseworker(household: Household, caseworker: User | None) -> None:
    if caseworker is not None and not caseworkers_for(household.region_code).filter(pk=caseworker.pk).exists():
        # Any user's id may be sent: the refusal names nobody the caller may not see.
        raise ValidationError({"caseworker": _("Not a caseworker of this village.")})


def _locked(delivery: Delivery) -> Delivery:
    """The row as it is now, locked until the end of the transaction (PostgreSQL), so two taps on
    "delivered" cannot both pass the status check."""
    return Delivery.objects.select_for_update(of=("self",)).select_related("item", "household").get(pk=delivery.pk)


def may_deliver_for(actor: User, need: Need) -> bool:
    """Who makes or links a delivery for a need: the office, or the owner the office named for it."""
    return can(actor, "delivery.create") and (can(actor, "need.assign") or need.owner_id == actor.pk)


def _need_check(actor: User, need: Need, household: Household) -> None:
    """The need as it is now (not as the caller read it): seen by the actor, theirs to act on, the
    household's, and open."""
    need = Need.objects.visible_to(actor).filter(pk=need.pk).first()
    if need is None:
        raise PermissionDenied("need.view")
    if not may_deliver_for(actor, need):
        raise PermissionDenied("need.assign")
    if need.household_id != household.pk:
        raise ValidationError({"need": _("This need is another household's.")})
    if not need.is_open:
        raise ValidationError({"need": _("This need is %(status)s already: it takes no delivery now.") % {
            "status": need.get_status_display()}})


def _need_message(need: Need | None) -> str:
    if need is None:
        return ""
    return _("For the need: %(need)s") % {"need": need}


# --- create ------------------------------------------------------------------------------------

@transaction.atomic
def delivery_create(
    *, household: Household, kind: str, actor: User, source: str = "", item: Item | None = None,
    quantity: int | None = None, description: str = "", cost: int | None = None,
    caseworker: User | None = None, client_id: str | None = None, need: Need | None = None,
) -> Delivery:
    """A request for a household: goods from stock, goods bought for it, or an errand. It goes to
    `caseworker`, or the household's own caseworker; without either it waits to be assigned. Made
    for `need` (one of the household's open needs), it resolves the need once delivered."""
    require(actor, "delivery.create")
    _visible(actor, household)
    payload = {"kind": kind, "source": source, "item": item, "quantity": quantity, "description": description,
               "cost": cost, "caseworker": caseworker, "need": need}
    earlier = replayed(Delivery, client_id=client_id, payload=payload) if client_id else None
    if earlier is not None:  # a retry: answered before its fields are checked again
        if earlier.household_id != household.pk:
            raise ValidationError({"client_id": _("This client id was used for another household.")})
        return earlier
    if need is not None:
        _need_check(actor, need, household)
    description = description.strip()
    errors: dict[str, list[str]] = {}
    if kind == DeliveryKind.ERRAND:
        source, item, quantity, cost = "", None, None, None
        if not description:
            errors["description"] = [_("Describe the errand.")]
    elif kind == DeliveryKind.GOODS:
        if source == GoodsSource.STOCK:
            if item is None:
                errors["item"] = [_("Choose the item.")]
            elif item.township_id not in (None, township_of(household.region_code)):
                errors["item"] = [_("This item belongs to another township.")]
            if not quantity or quantity <= 0:
                errors["quantity"] = [_("Enter a whole number greater than zero.")]
            cost = None
        elif source == GoodsSource.BOUGHT:
            item, quantity = None, None
            if not description:
                errors["description"] = [_("Say what to buy.")]
            if cost is not None and cost < 0:
                errors["cost"] = [_("Enter an amount of zero or more.")]
        else:
            errors["source"] = [_("Say where the goods come from.")]
    else:
        errors["kind"] = [_("Select a valid choice.")]
    if caseworker is not None and actor.role == Role.CASEWORKER and caseworker.pk != actor.pk:
        errors["caseworker"] = [_("Only the office or village assigns deliveries to others.")]
    if errors:
        raise ValidationError(errors)
    caseworker = caseworker or household.caseworker
    if caseworker is None and actor.role == Role.CASEWORKER:
        caseworker = actor
    _check_caseworker(household, caseworker)

    def create() -> Delivery:
        now = timezone.now()
        reasons = priority_reasons(household)
        delivery = Delivery.objects.create(
            household=household, region_code=household.region_code, kind=kind, source=source, item=item,
            quantity=quantity, description=description, cost=cost, priority=bool(reasons), priority_reasons=reasons,
            status=DeliveryStatus.ASSIGNED if caseworker else DeliveryStatus.REQUESTED, caseworker=caseworker,
            requested_by=actor, requested_at=now, assigned_at=now if caseworker else None,
            client_id=client_id or None, need=need,
        )
        record(actor, Action.CREATE, delivery, message=_need_message(need))
        return delivery

    if client_id:
        delivery, _created = create_once(Delivery, client_id=client_id, create=create, payload=payload)
        if delivery.household_id != household.pk:
            raise ValidationError({"client_id": _("This client id was used for another household.")})
        return delivery
    return create()


def in_delivery_order(households: list[Household]) -> tuple[list[Household], dict[int, list[str]]]:
    """A distribution's households in the order they are served, and each one's priority reasons:
    priority first, each part in the selection's own order (special groups first). Two queries."""
    declared = declared_priorities(h.pk for h in households)
    severe = severely_disabled(h.pk for h in households)
    reasons_of = {h.pk: priority_reasons(h, declared=declared, severe=severe) for h in households}
    return sorted(households, key=lambda h: not reasons_of[h.pk]), reasons_of


def _deliveries_for_distribution(*, distribution: Distribution, lines: list[DistributionLine],
                                 households: list[Household], actor: User) -> int:
    """One delivery per household and line of a distribution, each household numbered in order
    (priority first, then the special groups) and its lines sharing its number, each to the
    household's caseworker. Runs inside distribution_create's transaction."""
    now = timezone.now()
    rows = []
    households, reasons_of = in_delivery_order(households)
    for sequence, household in enumerate(households, start=1):
        reasons = reasons_of[household.pk]
        for line in lines:
            rows.append(Delivery(
                household=household, region_code=household.region_code, kind=DeliveryKind.GOODS,
                source=GoodsSource.STOCK, item=line.item, quantity=line.quantity,
                distribution=distribution, sequence=sequence, priority=bool(reasons), priority_reasons=reasons,
                status=DeliveryStatus.ASSIGNED if household.caseworker_id else DeliveryStatus.REQUESTED,
                caseworker_id=household.caseworker_id, requested_by=actor, requested_at=now,
                assigned_at=now if household.caseworker_id else None,
            ))
    Delivery.objects.bulk_create(rows, batch_size=500)
    created = Delivery.objects.filter(distribution=distribution).select_related("item").order_by("sequence", "pk")
    message = _("Planned in distribution %(title)s") % {"title": distribution.title}
    for delivery in created:
        record(actor, Action.CREATE, delivery, message=message)
    return len(rows)


# --- state changes -----------------------------------------------------------------------------

def may_complete(actor: User, delivery: Delivery) -> bool:
    """The caseworker it is assigned to, or the office and village cadres of its area."""
    if not can(actor, "delivery.complete"):
        return False
    if actor.role == Role.CASEWORKER:
        return delivery.caseworker_id == actor.pk
    return True


def _open_or_error(delivery: Delivery) -> None:
    if delivery.status not in OPEN_STATUSES:
        raise ValidationError({"status": _("This delivery is already %(status)s.") % {
            "status": delivery.get_status_display()}})


@transaction.atomic
def delivery_assign(*, delivery: Delivery, caseworker: User, actor: User) -> Delivery:
    require(actor, "delivery.assign")
    _delivery_visible(actor, delivery)
    delivery = _locked(delivery)
    _open_or_error(delivery)
    _check_caseworker(delivery.household, caseworker)
    before = snapshot(delivery)
    delivery.caseworker = caseworker
    delivery.status = DeliveryStatus.ASSIGNED
    delivery.assigned_at = timezone.now()
    delivery.version += 1
    delivery.save(update_fields=["caseworker", "status", "assigned_at", "version"])
    record(actor, Action.UPDATE, delivery, before=before)
    return delivery


@transaction.atomic
def delivery_complete(*, delivery: Delivery, received_by: str, actor: User) -> Delivery:
    """Delivered: who received it, now. Goods from stock leave the township's stock in the same
    transaction; if the stock cannot cover them, nothing is written and the error says so. The
    same actor completing it again (a retried request, a second tap) changes nothing."""
    _delivery_visible(actor, delivery)
    if not may_complete(actor, delivery):
        raise PermissionDenied("delivery.complete")
    delivery = _locked(delivery)
    if delivery.status == DeliveryStatus.DELIVERED and delivery.done_by_id == actor.pk:
        return delivery  # the same step again (a retried request, a second tap): done once
    if delivery.status == DeliveryStatus.REQUESTED:
        raise ValidationError({"status": _("Assign this delivery to a caseworker first.")})
    _open_or_error(delivery)
    received_by = received_by.strip()
    if not received_by:
        raise ValidationError({"received_by": _("Say who received it.")})
    before = snapshot(delivery)
    if delivery.kind == DeliveryKind.GOODS and delivery.source == GoodsSource.STOCK:
        township = Region.objects.get(code=delivery.township_code)
        delivery.stock_move = stock_issue_for_delivery(
            township=township, item=delivery.item, quantity=delivery.quantity, actor=actor,
            note=_("Delivered to household %(number)s") % {"number": delivery.household.number},
            household_id=delivery.household_id,
        )
    delivery.status = DeliveryStatus.DELIVERED
    delivery.received_by = received_by
    delivery.done_at = timezone.now()
    delivery.done_by = actor
    delivery.version += 1
    delivery.save(update_fields=["stock_move", "status", "received_by", "done_at", "done_by", "version"])
    message = _("Delivered %(what)s, received by %(who)s") % {"what": delivery.what, "who": received_by}
    record(actor, Action.UPDATE, delivery, before=before, message=message)
    if delivery.need_id:
        need_resolve_by_delivery(need=delivery.need, actor=actor, result=message,
                                 errand=delivery.kind == DeliveryKind.ERRAND)
    return delivery


@transaction.atomic
def delivery_link_need(*, delivery: Delivery, need: Need, actor: User) -> Delivery:
    """A delivery already asked for (or made) for the household is the answer to one of its open
    needs: linked, it resolves the need when delivered, or at once if it was delivered already.
    Linking it again to the same need changes nothing."""
    _delivery_visible(actor, delivery)
    delivery = _locked(delivery)
    if delivery.need_id == need.pk:
        return delivery  # linked already (a second tap): once
    _need_check(actor, need, delivery.household)
    if delivery.need_id is not None:
        raise ValidationError({"delivery": _("This delivery answers another need already.")})
    if delivery.status == DeliveryStatus.FAILED:
        raise ValidationError({"delivery": _("This delivery failed: try it again first, or make a new one.")})
    before = snapshot(delivery)
    delivery.need = need
    delivery.version += 1
    delivery.save(update_fields=["need", "version"])
    record(actor, Action.UPDATE, delivery, before=before, message=_need_message(need))
    if delivery.status == DeliveryStatus.DELIVERED:
        need_resolve_by_delivery(
            need=need, actor=actor, errand=delivery.kind == DeliveryKind.ERRAND,
            result=_("Delivered %(what)s, received by %(who)s") % {"what": delivery.what, "who": delivery.received_by},
        )
    return delivery


@transaction.atomic
def delivery_fail(*, delivery: Delivery, reason: str, actor: User) -> Delivery:
    """Not delivered, and why (nobody at home, refused, bought goods not to be had). It can be tried
    again (delivery_reopen). The same actor failing it again changes nothing (a retry)."""
    _delivery_visible(actor, delivery)
    if not may_complete(actor, delivery):
        raise PermissionDenied("delivery.complete")
    delivery = _locked(delivery)
    if delivery.status == DeliveryStatus.FAILED and delivery.done_by_id == actor.pk:
        return delivery  # the same step again (a retried request, a second tap): recorded once
    _open_or_error(delivery)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"failure_reason": _("Say why it could not be delivered.")})
    before = snapshot(delivery)
    delivery.status = DeliveryStatus.FAILED
    delivery.failure_reason = reason
    delivery.done_at = timezone.now()
    delivery.done_by = actor
    delivery.version += 1
    delivery.save(update_fields=["status", "failure_reason", "done_at", "done_by", "version"])
    record(actor, Action.UPDATE, delivery, before=before,
           message=_("Not delivered: %(reason)s") % {"reason": reason})
    return delivery


def may_reopen(actor: User, delivery: Delivery) -> bool:
    """The office and village cadres of its area, or the caseworker it failed with."""
    if not can(actor, "delivery.reopen"):
        return False
    if actor.role == Role.CASEWORKER:
        return delivery.caseworker_id == actor.pk
    return True


@transaction.atomic
def delivery_reopen(*, delivery: Delivery, actor: User, caseworker: User | None = None) -> Delivery:
    """A failed delivery tried again: requested again (waiting to be assigned), or assigned to
    `caseworker` at once. A caseworker tries again one that failed with them, and it stays theirs.
    Why it failed stays in the history; the delivery takes the household's priority as it is now.
    The same request again by whoever reopened it (the same caseworker, or none) changes nothing."""
    _delivery_visible(actor, delivery)
    if not may_reopen(actor, delivery):
        raise PermissionDenied("delivery.reopen")
    if actor.role == Role.CASEWORKER:
        if caseworker is not None and caseworker.pk != actor.pk:
            raise ValidationError({"caseworker": _("Only the office or village assigns deliveries to others.")})
        caseworker = actor
    delivery = _locked(delivery)
    if (delivery.status in OPEN_STATUSES and delivery.reopened_by_id == actor.pk
            and delivery.caseworker_id == (caseworker.pk if caseworker else None)):
        return delivery  # the same step again (a retried request, a second tap): reopened once
    if delivery.status != DeliveryStatus.FAILED:
        raise ValidationError({"status": _("Only a delivery that failed can be tried again; this one is %(status)s.")
                               % {"status": delivery.get_status_display()}})
    _check_caseworker(delivery.household, caseworker)
    before = snapshot(delivery)
    failed_because = delivery.failure_reason
    reasons = priority_reasons(delivery.household)
    delivery.status = DeliveryStatus.ASSIGNED if caseworker else DeliveryStatus.REQUESTED
    delivery.caseworker = caseworker
    delivery.assigned_at = timezone.now() if caseworker else None
    delivery.failure_reason, delivery.done_at, delivery.done_by = "", None, None
    delivery.priority, delivery.priority_reasons = bool(reasons), reasons
    delivery.reopened_by = actor
    delivery.version += 1
    delivery.save(update_fields=["status", "caseworker", "assigned_at", "failure_reason", "done_at", "done_by",
                                 "priority", "priority_reasons", "reopened_by", "version"])
    record(actor, Action.UPDATE, delivery, before=before,
           message=_("Tried again after it failed: %(reason)s") % {"reason": failed_because})
    return delivery


def delivery_priority_refresh(household: Household, *, actor: User) -> None:
    """The household's open deliveries take its priority as it is now (a declared reason begun or
    ended: the emergency work calls it when a quarantine begins or ends), inside the caller's
    transaction."""
    reasons = priority_reasons(household)
    for delivery in Delivery.objects.filter(household=household, status__in=OPEN_STATUSES).select_related("item"):
        if delivery.priority_reasons == reasons:
            continue
        before = snapshot(delivery)
        delivery.priority, delivery.priority_reasons = bool(reasons), reasons
        delivery.version += 1
        delivery.save(update_fields=["priority", "priority_reasons", "version"])
        record(actor, Action.UPDATE, delivery, before=before)


# --- distributions ----------------------------------------------------------------------------

@dataclass
class PlanLine:
    item: Item
    quantity: int


@dataclass
class DistributionPlan:
    township: Region
    title: str
    lines: list[PlanLine]
    villages: list[str]
    categories: list[str]
    note: str = ""
    supplies_short: bool = False


def _check_lines(lines: list[PlanLine], township: Region) -> None:
    if not lines:
        raise ValidationError({"lines": _("Give at least one item and its quantity per household.")})
    seen = set()
    for line in lines:
        item_check(line.item, township)
        if not isinstance(line.quantity, int) or isinstance(line.quantity, bool) or line.quantity <= 0:
            raise ValidationError({"quantity": _("Enter a whole number greater than zero.")})
        if line.item.pk in seen:
            raise ValidationError({"lines": _("%(item)s is listed twice: give it once, with the whole quantity.")
                                   % {"item": line.item.name}})
        seen.add(line.item.pk)


@transaction.atomic
def distribution_create(*, plan: DistributionPlan, actor: User, client_id: str | None = None) -> Distribution:
    """Plan a hand-out of one or more items and turn each selected household's share of each item
    into a delivery, priority households first. Stock is issued when each delivery is delivered,
    not now: a plan may run ahead of donations."""
    from bangfu.deliveries.queries import distribution_selection

    require(actor, "distribution.plan")
    township_check(actor, plan.township)
    _check_lines(plan.lines, plan.township)
    if not plan.title.strip():
        raise ValidationError({"title": _("This field is required.")})
    households = distribution_selection(actor, township=plan.township, villages=plan.villages,
                                        categories=plan.categories, supplies_short=plan.supplies_short)
    if not households:
        raise ValidationError({"villages": _("No household in your area matches this selection.")})

    def create() -> Distribution:
        distribution = Distribution.objects.create(
            township=plan.township, title=plan.title.strip(),
            villages=sorted(plan.villages), categories=sorted(plan.categories), note=plan.note.strip(),
            supplies_short=plan.supplies_short,
            created_by=actor, client_id=client_id or None,
        )
        lines = DistributionLine.objects.bulk_create([
            DistributionLine(distribution=distribution, item=line.item, quantity=line.quantity)
            for line in plan.lines
        ])
        record(actor, Action.CREATE, distribution, after={
            "title": distribution.title,
            "items": [f"{line.item.name} {line.quantity}{line.item.unit}" for line in plan.lines],
            "villages": distribution.villages, "categories": distribution.categories,
            "supplies_short": distribution.supplies_short,
            "households": len(households),
        })
        _deliveries_for_distribution(distribution=distribution, lines=lines, households=households, actor=actor)
        return distribution

    if client_id:
        distribution, _created = create_once(Distribution, client_id=client_id, create=create, payload={
            "plan": plan})
        return distribution
    return create()
