"""The API's shapes for projects: a project, its creation, a step, a payment. Money in fen."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from ninja import Field, Schema

from bangfu.core import bounds
from bangfu.households.schemas import StrictSchema, Text


class ProjectTypeIn(str, enum.Enum):
    industry = "industry"
    infrastructure = "infrastructure"
    public_service = "public_service"
    employment = "employment"
    other = "other"


class ProjectActionIn(str, enum.Enum):
    publish = "publish"
    review = "review"
    approve = "approve"
    issue = "issue"
    start = "start"
    progress = "progress"
    self_check = "self_check"
    accept = "accept"
    spot_check = "spot_check"
    hand_over = "hand_over"


class FundSourceIn(str, enum.Enum):
    central = "central"
    province = "province"
    city = "city"
    county = "county"
    other = "other"


class NoticeOutcomeIn(str, enum.Enum):
    no_objection = "no_objection"
    resolved = "resolved"
    upheld = "upheld"


class HandoverOwnerIn(str, enum.Enum):
    county = "county"
    township = "township"
    village = "village"
    household = "household"


Fen = int


class ProjectTargetIn(StrictSchema):
    indicator: Text = Field(min_length=1, max_length=bounds.TITLE)
    target: Text = Field(min_length=1, max_length=bounds.TITLE)


class ProjectIn(StrictSchema):
    client_id: uuid.UUID = Field(description="A client-generated UUID: the same request sent again is stored once.")
    name: Text = Field(min_length=1, max_length=bounds.TITLE)
    type: ProjectTypeIn
    region: Text = Field(pattern=r"^[0-9]{6,12}$", description="The code of the village, township or county applying.")
    villages: list[Text] = Field(min_length=1, max_length=100, description="Codes of the villages served.")
    description: Text = Field("", max_length=bounds.LONG_TEXT)
    budget_central: Fen = Field(0, **bounds.INCOME_FEN.api())
    budget_province: Fen = Field(0, **bounds.INCOME_FEN.api())
    budget_city: Fen = Field(0, **bounds.INCOME_FEN.api())
    budget_county: Fen = Field(0, **bounds.INCOME_FEN.api())
    budget_other: Fen = Field(0, **bounds.INCOME_FEN.api())
    households: list[int] = Field([], max_length=1000, description="Ids of the households benefiting.")
    benefit_households: int = Field(0, **bounds.PEOPLE.api())
    benefit_persons: int = Field(0, **bounds.PEOPLE.api())
    benefit_note: Text = Field("", max_length=bounds.ANSWER)
    meeting_date: bounds.PAST_EVENT.date()
    meeting_attendance: int = Field(**bounds.PEOPLE.api())
    meeting_decision: Text = Field(min_length=1, max_length=bounds.ANSWER)
    targets: list[ProjectTargetIn] = Field([], max_length=50)


class HandoverItemIn(StrictSchema):
    name: Text = Field(min_length=1, max_length=bounds.TITLE)
    value_fen: Fen = Field(**bounds.INCOME_FEN.api())
    owner_level: HandoverOwnerIn
    owner_name: Text = Field(min_length=1, max_length=bounds.TITLE)
    keeper: Text = Field(min_length=1, max_length=bounds.TITLE)


class ProjectStepIn(StrictSchema):
    action: ProjectActionIn
    version: int | None = Field(None, **bounds.VERSION.api())
    notice_start: bounds.PLANNED.date() | None = None
    notice_days: int | None = Field(None, **bounds.NOTICE_DAYS.api())
    place: Text = Field("", max_length=bounds.TITLE)
    outcome: NoticeOutcomeIn | None = None
    objections: Text = Field("", max_length=bounds.LONG_TEXT)
    day: bounds.PAST_EVENT.date() | None = None
    contractor: Text = Field("", max_length=bounds.TITLE)
    started_on: bounds.PAST_EVENT.date() | None = None
    progress: int | None = Field(None, **bounds.PERCENT.api())
    actuals: Text = Field("", max_length=bounds.LONG_TEXT,
                          description="self_check: one a line, “indicator: actual value”.")
    note: Text = Field("", max_length=bounds.NOTE)
    items: list[HandoverItemIn] = Field([], max_length=50)


class ProjectPaymentIn(StrictSchema):
    client_id: uuid.UUID = Field(description="A client-generated UUID: the same request sent again is stored once.")
    source: FundSourceIn
    amount_fen: Fen = Field(**bounds.INCOME_FEN.api())
    day: bounds.PAST_EVENT.date()
    payee: Text = Field(min_length=1, max_length=bounds.TITLE)
    note: Text = Field("", max_length=bounds.NOTE)


class ProjectMoneyOut(Schema):
    source: str = Field(description="A funding source, or empty for the total.")
    budget_fen: int
    allocated_fen: int
    paid_fen: int
    remaining_fen: int
    spending_rate: float | None = Field(description="Paid / allocated, in percent.")


class ProjectNoticeOut(Schema):
    stage: str
    start: dt.date
    end: dt.date
    place: str
    objections: str
    outcome: str


class ProjectTargetOut(Schema):
    indicator: str
    target: str
    actual: str


class ProjectOut(Schema):
    id: int
    name: str
    type: str
    level: str
    region: str
    villages: list[str]
    stage: str
    deadline: dt.date | None
    overdue: bool
    budget_fen: dict[str, int]
    households: list[int]
    benefit_households: int
    benefit_persons: int
    contractor: str
    started_on: dt.date | None
    progress: int
    targets: list[ProjectTargetOut]
    notices: list[ProjectNoticeOut]
    money: list[ProjectMoneyOut]
    version: int


class ProjectPaymentOut(Schema):
    id: int
    project: int
    kind: str
    source: str
    amount_fen: int
    day: dt.date
    payee: str
    note: str


class StepRefusedOut(Schema):
    detail: str
    stage: str

