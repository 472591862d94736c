"""The casework API's typed shapes (OpenAPI is generated from them)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from ninja import Field, Schema

Channel = Literal["visit", "phone", "wechat", "other"]
Reason = Literal["", "no_answer", "wrong_number", "away", "refused"]
CategoryName = Literal["registered_poor", "monitored", "minimum_living", "extreme_hardship", "disabled",
                       "elderly_alone", "special_family"]


class AssessmentIn(Schema):
    supplies_ok: bool
    prevention_ok: bool
    medical_access_ok: bool
    living_ok: bool
    supplies_ok_note: str = Field("", max_length=500)
    prevention_ok_note: str = Field("", max_length=500)
    medical_access_ok_note: str = Field("", max_length=500)
    living_ok_note: str = Field("", max_length=500)


class ContactIn(Schema):
    client_id: uuid.UUID = Field(..., description="Made by the client once per submission: a retry stores nothing new.")
    household: int = Field(..., ge=1, le=2**53)
    channel: Channel
    reached: bool
    at: dt.datetime | None = Field(None, description="When; now if left out. Not in the future.")
    not_reached_reason: Reason = ""
    notes: str = Field("", max_length=2000)
    campaign: int | None = Field(None, ge=1, le=2**53)
    assessment: AssessmentIn | None = Field(None, description="The four conditions, when reached.")
    answers: dict[str, Any] = Field(default_factory=dict, description="The campaign's own questions, by key.")


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
    label: str = Field(..., max_length=200)
    kind: Literal["yesno", "choice", "number", "text"] = "yesno"
    choices: list[str] = Field(default_factory=list)


class CampaignIn(Schema):
    name: str = Field(..., max_length=100)
    region_codes: list[str] = Field(..., min_length=1, max_length=500)
    categories: list[CategoryName] = Field(default_factory=list)
    channel: Channel = "phone"
    start: dt.date
    end: dt.date
    assess: bool = True
    questions: list[QuestionIn] = Field(default_factory=list, max_length=20)


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
