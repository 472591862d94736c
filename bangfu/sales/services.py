"""Every write to produce and sales: permission, scope, one transaction, history. A sale recorded on
a phone is stored once per client id, and a retry with another body is refused (409)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.assets.models import Asset
from bangfu.core.codes import Level, ancestors
from bangfu.core.idempotency import create_once
from bangfu.core.permissions import Role, require
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.households.models import Household
from bangfu.regions.models import Region
from bangfu.sales.models import PRODUCING_KINDS, Buyer, BuyerKind, Category, Channel, Cooperative, Product, Sale

# --- snapshots (reads the writes share) ---------------------------------------------------------


def cooperative_snapshot(cooperative: Cooperative) -> dict:
    return {"name": cooperative.name, "contact": cooperative.contact}


def product_snapshot(product: Product) -> dict:
    return {"name": product.name, "category": product.category, "unit": product.unit,
            "producer": product.producer, "asset": product.asset.name if product.asset_id else "",
            "active": product.active}


def buyer_snapshot(buyer: Buyer) -> dict:
    return {"name": buyer.name, "kind": buyer.kind, "contact": buyer.contact}


def sale_snapshot(sale: Sale) -> dict:
    return {"product": sale.product.name, "buyer": sale.buyer.name, "channel": sale.channel,
            "quantity": str(sale.quantity), "amount": sale.amount, "sold_on": sale.sold_on.isoformat(),
            "beneficiary_households": sale.beneficiary_households, "note": sale.note}


def _in_area(actor: User, code: str) -> bool:
    return actor.role == Role.ADMIN or bool(actor.region_id) and code.startswith(actor.region_id)


def _village(actor: User, village: Region) -> Region:
    if village.level != Level.VILLAGE:
        raise ValidationError({"village": _("Choose a village.")})
    if not _in_area(actor, village.code):
        raise ValidationError({"village": _("This village is outside your area.")})
    return village


# --- cooperatives, products, buyers -------------------------------------------------------------

@transaction.atomic
def cooperative_create(*, village: Region, name: str, contact: str = "", actor: User) -> Cooperative:
    require(actor, "product.manage")
    _village(actor, village)
    name = name.strip()
    if Cooperative.objects.filter(village=village, name=name).exists():
        raise ValidationError({"name": _("This village has a cooperative of this name already.")})
    cooperative = Cooperative.objects.create(village=village, region_code=village.code, name=name,
                                             contact=contact.strip(), created_by=actor)
    record(actor, Action.CREATE, cooperative)
    return cooperative


@transaction.atomic
def product_create(*, village: Region, name: str, category: str, unit: str, actor: User,
                   household: Household | None = None, cooperative: Cooperative | None = None,
                   asset: Asset | None = None) -> Product:
    """A product of a village; its producer a household, a cooperative or a producing asset (a
    greenhouse, a workshop) of the same village, or none."""
    require(actor, "product.manage")
    _village(actor, village)
    if category not in Category.values:
        raise ValidationError({"category": _("Select a valid choice.")})
    if sum(p is not None for p in (household, cooperative, asset)) > 1:
        raise ValidationError({"producer": _("Name one producer: a household, a cooperative or an asset.")})
    if asset is not None and (asset.region_code != village.code or asset.kind not in PRODUCING_KINDS
                              or not Asset.objects.visible_to(actor).filter(pk=asset.pk).exists()):
        raise ValidationError({"asset": _("The asset must be a greenhouse, workshop or other producing asset "
                                          "of the product's village.")})
    if household is not None and (household.region_code != village.code
                                  or not Household.objects.visible_to(actor).filter(pk=household.pk).exists()):
        raise ValidationError({"household": _("The household must be of the product's village.")})
    if cooperative is not None and (cooperative.region_code != village.code
                                    or not Cooperative.objects.visible_to(actor).filter(pk=cooperative.pk).exists()):
        raise ValidationError({"cooperative": _("The cooperative must be of the product's village.")})
    name = name.strip()
    if Product.objects.filter(village=village, name=name).exists():
        raise ValidationError({"name": _("This village has a product of this name already.")})
    product = Product.objects.create(village=village, region_code=village.code, name=name, category=category,
                                     unit=unit.strip(), household=household, cooperative=cooperative,
                                     asset=asset, created_by=actor)
    record(actor, Action.CREATE, product)
    return product


@transaction.atomic
def buyer_create(*, name: str, kind: str, actor: User, region: Region | None = None, contact: str = "") -> Buyer:
    """A buyer recorded for the actor's area (or, for an administrator or a county user, a region
    of theirs): seen by that area and every area below it."""
    require(actor, "sale.record")
    if kind not in BuyerKind.values:
        raise ValidationError({"kind": _("Select a valid choice.")})
    if region is None:
        if not actor.region_id:
            raise ValidationError({"region": _("Choose the area the buyer is recorded for.")})
        region = Region.objects.get(code=actor.region_id)
    if not _in_area(actor, region.code):
        raise ValidationError({"region": _("This area is outside yours.")})
    name = name.strip()
    # One name per area and the areas above it: the same unit is not recorded twice.
    if Buyer.objects.filter(name=name, region_code__in=[region.code, *ancestors(region.code)]).exists():
        raise ValidationError({"name": _("A buyer of this name is recorded already.")})
    buyer = Buyer.objects.create(name=name, kind=kind, region=region, region_code=region.code,
                                 contact=contact.strip(), created_by=actor)
    record(actor, Action.CREATE, buyer)
    return buyer


# --- sales --------------------------------------------------------------------------------------

@transaction.atomic
def sale_record(*, product: Product, buyer: Buyer, channel: str, quantity: Decimal, amount: int,
                sold_on: dt.date, actor: User, households: list[Household] | None = None,
                beneficiary_households: int | None = None, note: str = "",
                client_id: str | None = None) -> tuple[Sale, bool]:
    """A sale of a product of the actor's area to a buyer they see. `beneficiary_households` is the
    count of households that benefit (at least the households named). With `client_id`, a retry of
    the same body answers with the first sale (created False), another body is refused."""
    require(actor, "sale.record")
    households = list(households or [])
    payload = {"product": product.pk, "buyer": buyer.pk, "channel": channel, "quantity": Decimal(quantity),
               "amount": amount, "sold_on": sold_on, "households": sorted(h.pk for h in households),
               "beneficiary_households": beneficiary_households, "note": note.strip()}

    def create() -> Sale:
        if not Product.objects.visible_to(actor).filter(pk=product.pk).exists():
            raise ValidationError({"product": _("This product is outside your area.")})
        if not Buyer.objects.visible_to(actor).filter(pk=buyer.pk).exists():
            raise ValidationError({"buyer": _("This buyer is outside your area.")})
        if channel not in Channel.values:
            raise ValidationError({"channel": _("Select a valid choice.")})
        if amount <= 0:
            raise ValidationError({"amount": _("Enter an amount greater than zero.")})
        if Decimal(quantity) <= 0:
            raise ValidationError({"quantity": _("Enter a quantity greater than zero.")})
        visible = set(Household.objects.visible_to(actor).filter(pk__in=[h.pk for h in households])
                      .values_list("pk", flat=True))
        if len(visible) != len({h.pk for h in households}):
            raise ValidationError({"households": _("A household is outside your area.")})
        count = beneficiary_households if beneficiary_households is not None else len(visible)
        if count < len(visible):
            raise ValidationError({"beneficiary_households": _(
                "At least the %(count)s households named benefit.") % {"count": len(visible)}})
        sale = Sale.objects.create(product=product, buyer=buyer, region_code=product.region_code, channel=channel,
                                   quantity=Decimal(quantity), amount=amount, sold_on=sold_on,
                                   beneficiary_households=count, note=note.strip(),
                                   client_id=client_id or None, recorded_by=actor)
        if visible:
            sale.households.set(visible)
        record(actor, Action.CREATE, sale)
        return sale

    if client_id:
        return create_once(Sale, client_id=client_id, create=create, payload=payload)
    return create(), True
