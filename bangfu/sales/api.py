"""API routes for produce and sales: the sales of the caller's area (filtered as the page is) and a
sale recorded once per client id, the products, and the buyers (list and create), through the
same services and queries as the pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, REPLAY_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.households.models import Household
from bangfu.sales import queries, services
from bangfu.sales.models import Product, Sale
from bangfu.sales.schemas import BuyerIn, BuyerOut, ProductOut, SaleIn, SaleListParams, SaleOut

router = Router(tags=["sales"])
HUNDREDTH = Decimal("0.01")


def sale_out(sale: Sale) -> dict[str, Any]:
    return {"id": sale.pk, "product": sale.product_id, "product_name": sale.product.name, "unit": sale.product.unit,
            "village": sale.region_code, "buyer": sale.buyer_id, "buyer_name": sale.buyer.name,
            "buyer_kind": sale.buyer.kind, "channel": sale.channel, "quantity": sale.quantity, "amount": sale.amount,
            "sold_on": sale.sold_on, "beneficiary_households": sale.beneficiary_households,
            "households": sorted(h.pk for h in sale.households.all()), "note": sale.note}


def product_out(p: Product) -> dict[str, Any]:
    return {"id": p.pk, "name": p.name, "category": p.category, "unit": p.unit, "village": p.region_code,
            "village_name": p.village.name, "household": p.household_id, "cooperative": p.cooperative_id,
            "asset": p.asset_id, "producer": p.producer, "active": p.active}


def buyer_out(b) -> dict[str, Any]:
    return {"id": b.pk, "name": b.name, "kind": b.kind, "region": b.region_code, "contact": b.contact}


@router.get("", response={200: list[SaleOut], **COMMON_RESPONSES}, summary="Sales")
def sale_list(request, params: Query[SaleListParams]):
    """The sales of the caller's area, latest first; by channel, kind of buyer, period and area."""
    require(request.auth, "sale.view")
    chosen = queries.SaleFilter(channel=params.channel.value if params.channel else "",
                                buyer_kind=params.buyer_kind.value if params.buyer_kind else "",
                                start=params.start, end=params.end, region=params.region or "")
    rows = queries.sales_for(request.auth, chosen).prefetch_related("households")
    return [sale_out(s) for s in rows[params.offset: params.offset + params.limit]]


@router.post("", response={201: SaleOut, 200: SaleOut, 403: ErrorOut, **BODY_RESPONSES, **REPLAY_RESPONSES},
             summary="Record a sale")
def sale_create(request, payload: SaleIn):
    """A sale of a product of the caller's area. With `client_id`, a repeat answers 200 with the
    first sale; the same id with another body is refused (409)."""
    user = request.auth
    require(user, "sale.record")
    product = queries.product_get(user, payload.product)
    buyer = queries.buyer_get(user, payload.buyer)
    households = list(Household.objects.visible_to(user).filter(pk__in=payload.households))
    if len(households) != len(set(payload.households)):
        raise FieldErrors({"households": [_("A household is outside your area.")]})
    quantity = Decimal(str(payload.quantity))
    if quantity != quantity.quantize(HUNDREDTH):
        raise FieldErrors({"quantity": [_("Give the quantity to the hundredth at most.")]})
    sale, created = services.sale_record(
        product=product, buyer=buyer, channel=payload.channel.value, quantity=quantity, amount=payload.amount,
        sold_on=payload.sold_on, households=households, beneficiary_households=payload.beneficiary_households,
        note=payload.note, client_id=payload.client_id, actor=user)
    sale = queries.sales_for(user).prefetch_related("households").filter(pk=sale.pk).first()
    if sale is None:  # recorded under this id by someone else, out of the caller's area
        raise Http404("no such sale")
    return Status(201 if created else 200, sale_out(sale))


@router.get("/products", response={200: list[ProductOut], **COMMON_RESPONSES}, summary="Products")
def product_list(request):
    require(request.auth, "sale.view")
    return [product_out(p) for p in queries.products_for(request.auth)]


@router.get("/buyers", response={200: list[BuyerOut], **COMMON_RESPONSES}, summary="Buyers")
def buyer_list(request):
    require(request.auth, "sale.view")
    return [buyer_out(b) for b in queries.buyers_for(request.auth)]


@router.post("/buyers", response={201: BuyerOut, 403: ErrorOut, **BODY_RESPONSES}, summary="Record a buyer")
def buyer_create(request, payload: BuyerIn):
    """Recorded for the caller's area: seen there and in every area below it."""
    require(request.auth, "sale.record")
    buyer = services.buyer_create(name=payload.name, kind=payload.kind.value, contact=payload.contact,
                                  actor=request.auth)
    return Status(201, buyer_out(buyer))
