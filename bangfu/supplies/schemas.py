"""The API's shapes for items, stock balances and stock moves."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

from ninja import Field, Schema

from bangfu.core import bounds
from bangfu.households.schemas import MAX_ID, StrictSchema, Text

MAX_QUANTITY = bounds.QUANTITY.max
# Constraints before Text's validators: so placed, pydantic states the pattern in the document even
# where the id may be null (after a validator, it checks it without stating it).
ClientIdText = Annotated[str, Field(min_length=1, max_length=bounds.CLIENT_ID, pattern=r"^[A-Za-z0-9_.:-]+$"),
                         *Text.__metadata__]
ClientId = Field(None, description="A client-generated id (e.g. a UUID): sending the same request again stores it "
                                   "once and answers with the first result.")
TownshipCode = Field(description="The township's 9-digit region code.", pattern=r"^[0-9]{9}$")


class MoveKindIn(str, enum.Enum):
    receive = "receive"
    issue = "issue"
    adjust = "adjust"


class Ref(Schema):
    id: int
    name: str


class ItemOut(Schema):
    id: int
    name: str
    kind: str
    unit: str
    shared: bool = Field(description="Shared by every township (the defaults), or a township's own.")


class BalanceOut(Schema):
    township: str
    item: ItemOut
    quantity: int
    updated_at: dt.datetime


class MoveIn(StrictSchema):
    township: Text = TownshipCode
    kind: MoveKindIn
    item: int = Field(ge=1, le=MAX_ID)
    quantity: int = Field(**bounds.STOCK_CHANGE.api(),
                          description="Receive and issue: a positive number. Adjust: the signed change.")
    source: Text = Field("", max_length=bounds.TITLE, description="Receive: where the goods came from (required).")
    reason: Text = Field("", max_length=bounds.ADDRESS, description="Adjust: why (required).")
    note: Text = Field("", max_length=bounds.ADDRESS, description="Issue: who takes the goods and what for (required).")
    client_id: ClientIdText | None = ClientId


class MoveOut(Schema):
    id: int
    township: str
    kind: str
    item: ItemOut
    quantity: int
    balance_after: int
    source: str
    reason: str
    note: str
    actor: Ref
    at: dt.datetime
    delivery: int | None


class MoveListParams(Schema):
    township: Text = Field("", pattern=r"^([0-9]{9})?$", description="A township's code (default: all yours).")
    item: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(100, ge=1, le=500)
