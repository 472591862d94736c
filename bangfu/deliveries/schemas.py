"""The API's shapes for deliveries, errands and distributions."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

from ninja import Field, Schema

from bangfu.core import bounds
from bangfu.households.schemas import MAX_ID, Fen, StrictSchema, Text
from bangfu.supplies.schemas import MAX_QUANTITY, ClientId, ClientIdText, ItemOut, Ref, TownshipCode


class KindIn(str, enum.Enum):
    goods = "goods"
    errand = "errand"


class SourceIn(str, enum.Enum):
    stock = "stock"
    bought = "bought"


class StatusFilter(str, enum.Enum):
    open = "open"
    requested = "requested"
    assigned = "assigned"
    delivered = "delivered"
    failed = "failed"
    all = "all"


class DeliveryIn(StrictSchema):
    household: int = Field(ge=1, le=MAX_ID)
    kind: KindIn
    source: SourceIn | None = Field(None, description="Goods: from the township's stock, or bought.")
    item: int | None = Field(None, ge=1, le=MAX_ID, description="Goods from stock: the item.")
    quantity: int | None = Field(None, ge=1, le=MAX_QUANTITY, description="Goods from stock: how many units.")
    description: Text = Field("", max_length=bounds.NOTE, description="Bought goods or an errand: what to buy or do.")
    cost: Fen | None = Field(None, **bounds.COST_FEN.api())
    caseworker: int | None = Field(None, ge=1, le=MAX_ID, description="Default: the household's caseworker.")
    client_id: ClientIdText | None = ClientId


class AssignIn(StrictSchema):
    caseworker: int = Field(ge=1, le=MAX_ID)


class ReopenIn(StrictSchema):
    caseworker: int | None = Field(None, ge=1, le=MAX_ID,
                                   description="Assign at once to this caseworker; left out: requested again "
                                               "(a caseworker's own: back to them).")


class CompleteIn(StrictSchema):
    received_by: Text = Field(min_length=1, max_length=bounds.NAME, description="Who received it (本人, 其子, ...).")


class FailIn(StrictSchema):
    reason: Text = Field(min_length=1, max_length=bounds.ADDRESS)


class HouseholdRef(Schema):
    id: int
    number: str
    head_name: str
    village: str


class DeliveryOut(Schema):
    id: int
    household: HouseholdRef
    kind: str
    source: str | None
    item: ItemOut | None
    quantity: int | None
    description: str
    what: str
    cost: int | None
    distribution: int | None
    sequence: int | None
    priority: bool
    priority_reasons: list[str]
    status: str
    caseworker: Ref | None
    requested_by: Ref
    requested_at: dt.datetime
    assigned_at: dt.datetime | None
    done_at: dt.datetime | None
    done_by: Ref | None
    received_by: str
    failure_reason: str
    stock_move: int | None
    version: int


class DeliveryListParams(Schema):
    status: StatusFilter = StatusFilter.open
    kind: KindIn | None = None
    village: Text = Field("", pattern=r"^([0-9]{9,15})?$", description="A region code (prefix).")
    caseworker: int | None = Field(None, ge=1, le=MAX_ID)
    household: int | None = Field(None, ge=1, le=MAX_ID)
    distribution: int | None = Field(None, ge=1, le=MAX_ID)
    priority: bool = False
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000)


class DeliveryCountsOut(Schema):
    open: int
    priority_open: int
    requested: int


class DistributionLineIn(StrictSchema):
    item: int = Field(ge=1, le=MAX_ID)
    quantity: int = Field(ge=1, le=MAX_QUANTITY, description="Per household.")


class DistributionIn(StrictSchema):
    township: Text = TownshipCode
    title: Text = Field(min_length=1, max_length=bounds.TITLE)
    lines: list[DistributionLineIn] = Field([], max_length=10, description="The items and the quantity of each "
                                                                         "per household.")
    item: int | None = Field(None, ge=1, le=MAX_ID, description="One item alone (instead of `lines`).")
    quantity: int | None = Field(None, ge=1, le=MAX_QUANTITY, description="Per household, with `item`.")
    villages: list[Annotated[Text, Field(max_length=bounds.CODE)]] = Field(
        [], max_length=500, description="Village codes; empty: the whole township.")
    categories: list[Annotated[Text, Field(max_length=20)]] = Field(
        [], max_length=20, description="Household categories; empty: every household.")
    supplies_short: bool = Field(False, description="Only households whose latest assessment found living "
                                                    "supplies not sufficient.")
    note: Text = Field("", max_length=bounds.ADDRESS)
    client_id: ClientIdText | None = ClientId


class DistributionLineOut(Schema):
    item: ItemOut
    quantity: int
    planned: int
    delivered: int
    failed: int
    outstanding: int
    stock_left: int


class DistributionOut(Schema):
    id: int
    township: str
    title: str
    lines: list[DistributionLineOut]
    villages: list[str]
    categories: list[str]
    supplies_short: bool
    note: str
    created_by: Ref
    created_at: dt.datetime
    households: int
    delivered_households: int
    failed_households: int
    outstanding_households: int
