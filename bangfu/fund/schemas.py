"""The API's shapes for the filial-piety fund: the same fields and bounds as its forms (amounts in
fen here, yuan on the pages)."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

from ninja import Field, Schema

from bangfu.core import bounds
from bangfu.fund.forms import FUND_FEN, SUPPORTER_ROWS
from bangfu.households.schemas import MAX_ID, StrictSchema, Text

ClientIdText = Annotated[str, Field(min_length=1, max_length=bounds.CLIENT_ID, pattern=r"^[A-Za-z0-9_.:-]+$"),
                         *Text.__metadata__]
ClientId = Field(None, description="A client-generated id (e.g. a UUID): sending the same request again stores it "
                                   "once and answers with the first result.")
FundFen = Annotated[int, Field(description="Money in fen (1 yuan = 100 fen).", **FUND_FEN.api())]


class FrequencyIn(str, enum.Enum):
    monthly = "monthly"
    quarterly = "quarterly"
    yearly = "yearly"


class CouncilIn(StrictSchema):
    village: str = Field(description="The village's 12-digit region code.", pattern=r"^[0-9]{12}$")
    name: Text = Field(min_length=1, max_length=bounds.TITLE)
    founded_on: bounds.PAST_EVENT.date()
    members: list[Annotated[Text, Field(min_length=1, max_length=bounds.NAME)]] = Field(
        default_factory=list, max_length=30, description="One each: name and role, e.g. 李建国（会长）.")


class TotalsOut(Schema):
    contributions: int
    match: int
    payouts: int
    balance: int


class CouncilOut(Schema):
    id: int
    village: str
    village_name: str
    name: str
    founded_on: dt.date
    members: list[str]
    agreements: int
    totals: TotalsOut


class SupporterIn(StrictSchema):
    name: Text = Field(min_length=1, max_length=bounds.NAME)
    relation: Text = Field(min_length=1, max_length=20)
    phone: Text = Field("", max_length=bounds.PHONE)
    address: Text = Field("", max_length=bounds.ADDRESS)


class AgreementIn(StrictSchema):
    council: int = Field(ge=1, le=MAX_ID)
    elder: int = Field(ge=1, le=MAX_ID, description="The member (60 or older on the day signed).")
    monthly_amount: FundFen
    starts_on: bounds.PLANNED.date() = Field(description="Due from this month on.")
    in_kind: Text = Field("", max_length=bounds.NOTE)
    visits: Text = Field("", max_length=bounds.ADDRESS)
    signed_on: bounds.PAST_EVENT.date()
    witnesses: Text = Field(min_length=1, max_length=bounds.ADDRESS)
    supporters: list[SupporterIn] = Field(min_length=1, max_length=SUPPORTER_ROWS)


class SupporterOut(Schema):
    name: str
    relation: str
    phone: str = Field(description="Masked (138****5678).")
    address: str


class AgreementOut(Schema):
    id: int
    council: int
    household: int
    elder: str
    monthly_amount: int
    starts_on: dt.date
    in_kind: str
    visits: str
    signed_on: dt.date
    witnesses: str
    status: str
    balance: int
    supporters: list[SupporterOut]
    version: int


class ContributionIn(StrictSchema):
    agreement: int = Field(ge=1, le=MAX_ID)
    amount: FundFen
    frequency: FrequencyIn
    on: bounds.PAST_EVENT.date()
    payer: Text = Field("", max_length=bounds.NAME)
    note: Text = Field("", max_length=bounds.ADDRESS)
    client_id: ClientIdText | None = ClientId


class PayoutIn(StrictSchema):
    agreement: int = Field(ge=1, le=MAX_ID)
    amount: FundFen
    month: bounds.PLANNED.date() = Field(description="Any day of the month paid for.")
    on: bounds.PAST_EVENT.date()
    note: Text = Field("", max_length=bounds.ADDRESS)
    client_id: ClientIdText | None = ClientId


class EntryOut(Schema):
    id: int
    agreement: int
    council: int
    kind: str
    amount: int
    on: dt.date
    frequency: str
    payer: str
    month: dt.date | None
    note: str
    match: int | None = Field(None, description="A contribution: the match added to it, in fen.")


class EntryListParams(Schema):
    agreement: int | None = Field(None, ge=1, le=MAX_ID)
    council: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(100, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**6)


class AgreementListParams(Schema):
    council: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(100, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10**6)
