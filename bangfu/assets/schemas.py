"""The API's shapes for assets: an asset, an inspection (multipart, with photos), an income line.
Money in fen."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from ninja import Field, Schema

from bangfu.assets.forms import LINE_FEN, VALUE_FEN
from bangfu.core import bounds
from bangfu.households.schemas import StrictSchema, Text


class AssetClassIn(str, enum.Enum):
    operating = "operating"
    public = "public"
    household = "household"


class AssetKindIn(str, enum.Enum):
    pv_station = "pv_station"
    greenhouse = "greenhouse"
    workshop = "workshop"
    road = "road"
    water = "water"
    other = "other"


class OwnerLevelIn(str, enum.Enum):
    county = "county"
    township = "township"
    village = "village"
    household = "household"


class IncomeCategoryIn(str, enum.Enum):
    power = "power"
    rent = "rent"
    other_income = "other_income"
    land_rent = "land_rent"
    maintenance = "maintenance"
    other_cost = "other_cost"


class AssetIn(StrictSchema):
    name: Text = Field(min_length=1, max_length=bounds.TITLE)
    asset_class: AssetClassIn
    kind: AssetKindIn
    village: str = Field(pattern=r"^\d{12}$", description="The village's 12-digit code.")
    location: Text = Field("", max_length=bounds.ADDRESS)
    value_fen: int = Field(0, **VALUE_FEN.api())
    owner_level: OwnerLevelIn
    owner_name: Text = Field(min_length=1, max_length=bounds.TITLE)
    household: int | None = Field(None, **bounds.ID.api(), description="The owning household's id.")
    keeper: Text = Field(min_length=1, max_length=bounds.TITLE)
    inspector: int | None = Field(None, **bounds.ID.api(), description="The user who inspects it.")


class AssetOut(Schema):
    id: int
    name: str
    asset_class: str
    kind: str
    village: str
    location: str
    value_fen: int
    owner_level: str
    owner_code: str
    owner_name: str
    household: int | None
    keeper: str
    inspector: int | None
    project: int | None
    next_inspection: dt.date


class FindingOut(Schema):
    id: int
    text: str
    fix_by: dt.date
    fixed_on: dt.date | None
    overdue: bool


class PhotoOut(Schema):
    id: int
    url: str
    width: int
    height: int


class InspectionIn(StrictSchema):
    """Sent as multipart/form-data with the photos (field `photos`, up to 4 files)."""

    client_id: uuid.UUID = Field(description="A client-generated UUID: the same request sent again is stored once.")
    day: bounds.PAST_EVENT.date()
    checklist: str = Field("{}", max_length=bounds.LONG_TEXT,
                           description="The kind's checklist as JSON: {item key: true/false or a number}.")
    note: Text = Field("", max_length=bounds.NOTE)
    finding: Text = Field("", max_length=bounds.NOTE)
    fix_by: bounds.PLANNED.date() | None = None


class InspectionOut(Schema):
    id: int
    asset: int
    day: dt.date
    checklist: dict
    note: str
    inspector: int
    findings: list[FindingOut]
    photos: list[PhotoOut]


class IncomeIn(StrictSchema):
    client_id: uuid.UUID = Field(description="A client-generated UUID: the same request sent again is stored once.")
    month: bounds.PAST_EVENT.date() = Field(description="Any day of the month.")
    category: IncomeCategoryIn
    amount_fen: int = Field(**LINE_FEN.api())
    note: Text = Field("", max_length=bounds.NOTE)


class IncomeOut(Schema):
    id: int
    asset: int
    month: dt.date
    category: str
    cost: bool
    amount_fen: int
    note: str
