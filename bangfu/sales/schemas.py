"""The API's shapes for produce and sales: the same fields and bounds as the forms (amounts in fen
here, yuan on the pages)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from bangfu.core import bounds
from bangfu.households.schemas import MAX_ID, StrictSchema, Text
from bangfu.sales.forms import SALE_FEN, SALE_QUANTITY
from bangfu.sales.models import BuyerKind, Channel

ClientIdText = Annotated[str, Field(min_length=1, max_length=bounds.CLIENT_ID, pattern=r"^[A-Za-z0-9_.:-]+$"),
                         *Text.__metadata__]

ChannelIn = enum.Enum("ChannelIn", {c: c for c in Channel.values}, type=str)
BuyerKindIn = enum.Enum("BuyerKindIn", {k: k for k in BuyerKind.values}, type=str)


class SaleIn(StrictSchema):
    product: int = Field(ge=1, le=MAX_ID)
    buyer: int = Field(ge=1, le=MAX_ID)
    channel: ChannelIn
    # A number in the document (a Decimal would also take any string there); to the hundredth.
    quantity: float = Field(allow_inf_nan=False, **SALE_QUANTITY.api(),
                            description="In the product's unit (斤, 公斤, 箱...), to the hundredth.")
    amount: int = Field(description="Money in fen (1 yuan = 100 fen).", **SALE_FEN.api())
    sold_on: bounds.PAST_EVENT.date()
    households: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, max_length=500, description="Ids of the households that benefit (optional).")
    beneficiary_households: int | None = Field(None, **bounds.PEOPLE.api(),
                                               description="How many households benefit; by default those named.")
    note: Text = Field("", max_length=bounds.NOTE)
    client_id: ClientIdText | None = Field(
        None, description="A client-generated id (e.g. a UUID): the same request sent again is stored once and "
                          "answered with the first result (200); the same id with another body is refused (409).")


class SaleOut(Schema):
    id: int
    product: int
    product_name: str
    unit: str
    village: str
    buyer: int
    buyer_name: str
    buyer_kind: str
    channel: str
    quantity: Decimal
    amount: int
    sold_on: dt.date
    beneficiary_households: int
    households: list[int]
    note: str


class SaleListParams(Schema):
    channel: ChannelIn | None = None
    buyer_kind: BuyerKindIn | None = None
    start: dt.date | None = Field(None, description="Sold on or after this day.")
    end: dt.date | None = Field(None, description="Sold on or before this day.")
    region: str | None = Field(None, pattern=r"^[0-9]{2,15}$", description="A region code within the caller's area.")
    limit: int = Field(100, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**6)


class ProductOut(Schema):
    id: int
    name: str
    category: str
    unit: str
    village: str
    village_name: str
    household: int | None
    cooperative: int | None
    asset: int | None
    producer: str
    active: bool


class BuyerIn(StrictSchema):
    name: Text = Field(min_length=1, max_length=bounds.TITLE)
    kind: BuyerKindIn
    contact: Text = Field("", max_length=bounds.TITLE)


class BuyerOut(Schema):
    id: int
    name: str
    kind: str
    region: str
    contact: str

