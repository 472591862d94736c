"""The casework API's typed shapes (OpenAPI is generated from them)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from bangfu.core import bounds
from bangfu.households.schemas import NumbersNotBooleans

Channel = Literal["visit", "phone", "wechat", "other"]
Reason = Literal["", "no_answer", "wrong_number", "away", "refused"]
CategoryName = Literal["registered_poor", "monitored", "minimum_living", "extreme_hardship", "disabled",
                       "elderly_alone", "special_family"]


class AssessmentIn(Schema):
    supplies_ok: bool
    prevention_ok: bool
    medical_access_ok: bool
    living_ok: bool
    supplies_ok_note: str = Field("", max_length=bounds.ANSWER)
    prevention_ok_note: str = Field("", max_length=bounds.ANSWER)
    medical_access_ok_note: str = Field("", max_length=bounds.ANSWER)
    living_ok_note: str = Field("", max_length=bounds.ANSWER)


# An answer to a campaign's question: yes/no, a number, or a choice or text.
Answer = (bool | Annotated[float, Field(allow_inf_nan=False, **bounds.ANSWER_NUMBER.api())]
          | Annotated[str, Field(max_length=bounds.ANSWER)] | None)
AnswerKey = Annotated[str, Field(min_length=1, max_length=bounds.ANSWER_KEY)]


class ContactIn(NumbersNotBooleans):
    client_id: uuid.UUID = Field(..., description="Made by the client once per submission: a retry stores nothing new.")
    household: int = Field(..., ge=1, le=2**53)
    channel: Channel
    reached: bool
    at: bounds.PAST_EVENT.datetime() | None = Field(None, description="When; now if left out. Not in the future.")
    not_reached_reason: Reason = ""
    notes: str = Field("", max_length=bounds.LONG_TEXT)
    campaign: int | None = Field(None, ge=1, le=2**53)
    assessment: AssessmentIn | None = Field(None, description="The four conditions, when reached.")
    answers: dict[AnswerKey, Answer] = Field(
        default_factory=dict, max_length=bounds.ANSWERS_MAX,
        description="The campaign's own questions, by key; only with a campaign.")


class UserRef(Schema):
    id: int
    name: str


class AssessmentOut(Schema):
    supplies_ok: bool
    prevention_ok: bool
    medical_access_ok: bool
    living_ok: bool
    notes: dict[str, str]


class ContactOut(Schema):
    id: int
    client_id: uuid.UUID
    household: int
    at: dt.datetime
    day: dt.date
    channel: str
    reached: bool
    not_reached_reason: str
    notes: str
    campaign: int | None
    caseworker: UserRef
    assessment: AssessmentOut | None
    answers: dict[str, Any]


class WorklistSectionOut(Schema):
    key: str
    title: str
    count: int
    items: list[dict[str, Any]]


class WorklistOut(Schema):
    day: dt.date
    caseworker: UserRef
    sections: list[WorklistSectionOut]


class QuestionIn(Schema):
    label: str = Field(..., max_length=bounds.QUESTION)
    kind: Literal["yesno", "choice", "number", "text"] = "yesno"
    choices: list[Annotated[str, Field(max_length=bounds.QUESTION)]] = Field(default_factory=list, max_length=50)


class CampaignIn(NumbersNotBooleans):
    name: str = Field(..., max_length=bounds.TITLE)
    region_codes: list[Annotated[str, Field(max_length=bounds.CODE)]] = Field(..., min_length=1, max_length=500)
    categories: list[CategoryName] = Field(default_factory=list)
    channel: Channel = "phone"
    start: bounds.PLANNED.date()
    end: bounds.PLANNED.date()
    assess: bool = True
    questions: list[QuestionIn] = Field(default_factory=list, max_length=20)
    kind: Literal["follow_up", "screening"] = Field(
        "follow_up", description="screening: a periodic risk check (排查) whose findings become monitoring leads.")


class CoverageCounts(Schema):
    total: int
    reached: int
    tried: int
    not_tried: int
    flagged: int


class CampaignOut(Schema):
    id: int
    name: str
    region_codes: list[str]
    categories: list[str]
    channel: str
    kind: str
    start: dt.date
    end: dt.date
    status: str
    assess: bool
    questions: list[dict[str, Any]]
    coverage: CoverageCounts


class CoverageRowOut(CoverageCounts):
    key: str
    name: str


class FlaggedOut(Schema):
    household: int
    number: str
    head_name: str
    village: str
    tries: int


class CoverageOut(Schema):
    campaign: int
    total: CoverageCounts
    by_village: list[CoverageRowOut]
    by_caseworker: list[CoverageRowOut]
    flagged: list[FlaggedOut]
