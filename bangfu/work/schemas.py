"""The API's shapes for the labour force, drives and subsidies."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from bangfu.core import bounds
from bangfu.households.schemas import MAX_ID, StrictSchema, Text
from bangfu.supplies.schemas import ClientId, ClientIdText

ACTIVITY_PATTERN = r"^(migrant|nearby|self_employed|welfare_post|unemployed|in_school|unable)$"
OUTCOME_PATTERN = r"^(pending|returned|nearby|not_yet|not_going)$"


class StatusIn(StrictSchema):
    member: int = Field(ge=1, le=MAX_ID, description="The labourer (a member's id).")
    month: Text = Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", max_length=7, description="YYYY-MM.")
    activity: Text = Field(pattern=ACTIVITY_PATTERN, max_length=16)
    reason: Text = Field("", max_length=bounds.ADDRESS)
    place_code: Text = Field("", max_length=bounds.CODE, description="Division code of the place of work.")
    place_name: Text = Field("", max_length=bounds.TITLE)
    employer: Text = Field("", max_length=bounds.TITLE)
    job: Text = Field("", max_length=bounds.TITLE)
    wage_fen: int | None = Field(None, **bounds.COST_FEN.api(), description="Monthly wage in fen.")
    started_on: bounds.PAST_EVENT.date() | None = None
    client_id: ClientIdText | None = ClientId


class StatusOut(Schema):
    id: int
    member: int
    month: str
    activity: str
    reason: str
    place_code: str
    place_name: str
    area: str
    employer: str
    job: str
    wage_fen: int | None
    started_on: dt.date | None
    source: str
    version: int


class LabourerOut(Schema):
    id: int
    name: str
    household: dict
    village: str
    labor_skill: str
    status: StatusOut | None


class TargetOut(Schema):
    id: int
    member: int
    name: str
    village: str
    outcome: str
    returned_on: dt.date | None
    place_code: str
    place_name: str
    area: str
    reason: str
    transport: str
    subsidy: float
    version: int


class DriveOut(Schema):
    id: int
    title: str
    region: str
    start: dt.date
    end: dt.date
    rule: str
    targeted: int
    returned: int
    nearby: int
    targets: list[TargetOut] | None = None


class OutcomeIn(StrictSchema):
    outcome: Text = Field(pattern=OUTCOME_PATTERN, max_length=10)
    returned_on: bounds.PAST_EVENT.date() | None = None
    place_code: Text = Field("", max_length=bounds.CODE)
    place_name: Text = Field("", max_length=bounds.TITLE)
    reason: Text = Field("", max_length=bounds.ADDRESS)
    transport: Text = Field("", pattern=r"^(point_to_point|chartered|own|)$", max_length=16)
    version: int | None = Field(None, ge=bounds.VERSION.min, le=bounds.VERSION.max)


class PaymentOut(Schema):
    id: int
    member: int | None
    name: str
    village: str
    id_number: str = Field(description="Masked.")
    account: str = Field(description="Masked: the last 4 digits.")
    area: str
    place_name: str
    amount: float


class SubsidyListOut(Schema):
    id: int
    region: str
    year: int
    status: str
    count: int
    total: float
    version: int
    payments: list[PaymentOut] | None = None
