"""The API's shapes for emergencies, daily checks and returnees."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

from ninja import Field, Schema

from bangfu.core import bounds
from bangfu.households.schemas import MAX_ID, StrictSchema, Text
from bangfu.supplies.schemas import ClientId, ClientIdText


class EmergencyKindIn(str, enum.Enum):
    epidemic = "epidemic"
    flood = "flood"
    other = "other"


class CheckItemIn(str, enum.Enum):
    disinfection = "disinfection"
    temperature = "temperature"
    symptoms = "symptoms"
    supplies = "supplies"
    help = "help"


class EmergencyIn(StrictSchema):
    title: Text = Field(min_length=1, max_length=bounds.TITLE)
    kind: EmergencyKindIn
    region: Text = Field(pattern=r"^[0-9]{6,12}$", description="The region code: a county, township or village.")
    start: bounds.PLANNED.date()
    end: bounds.PLANNED.date() | None = None
    check_items: list[CheckItemIn] | None = Field(None, description="The daily checks; all of them by default.")
    fever_threshold: float = Field(37.3, **bounds.FEVER_THRESHOLD_C.api(), description="°C: at or above it is a fever.")
    quarantine_days: int = Field(14, **bounds.EMERGENCY_DAYS.api())
    supplies_days: int = Field(7, **bounds.EMERGENCY_DAYS.api(),
                               description="The check asks: supplies enough for this many days?")


class EmergencyNumbersOut(Schema):
    day: dt.date
    due: int
    done: int
    fever_alerts: int
    in_quarantine: int
    deliveries_outstanding: int


class EmergencyOut(Schema):
    id: int
    title: str
    kind: str
    region: str
    start: dt.date
    end: dt.date | None
    status: str
    check_items: list[str]
    fever_threshold: float
    quarantine_days: int
    supplies_days: int
    version: int


class EmergencyEndIn(StrictSchema):
    end: bounds.PLANNED.date() | None = None


class ReadingOut(Schema):
    person: str = Field(description="m<member id> or r<returnee id>")
    name: str
    temperature: float
    fever: bool


class CheckOut(Schema):
    id: int
    emergency: int
    household: dict
    day: dt.date
    status: str
    disinfection: bool | None
    symptoms: bool | None
    supplies_enough: bool | None
    help_needed: bool | None
    note: str
    fever: bool
    people: list[dict] = Field(description="Who to measure: key (m<id>/r<id>) and name.")
    readings: list[ReadingOut]
    done_at: dt.datetime | None
    version: int


# A reading in °C (NaN and infinities are not numbers a thermometer shows).
Temperature = Annotated[float, Field(allow_inf_nan=False, **bounds.TEMPERATURE_C.api())]


class CheckIn(StrictSchema):
    client_id: Text = Field(min_length=1, max_length=bounds.CLIENT_ID, pattern=r"^[A-Za-z0-9_.:-]+$",
                            description="A client-generated id: a repeat stores nothing new and answers 200.")
    temperatures: dict[Annotated[str, Field(max_length=24)], Temperature] = Field(
        default_factory=dict, max_length=100, description="Person key (m<member id>, r<returnee id>) to °C.")
    disinfection: bool | None = None
    symptoms: bool | None = None
    supplies_enough: bool | None = None
    help_needed: bool | None = None
    note: Text = Field("", max_length=bounds.NOTE)


class NewHouseholdIn(StrictSchema):
    village: Text = Field(pattern=r"^[0-9]{12}([0-9]{3})?$", description="Region code of a village (or group).")
    address: Text = Field("", max_length=bounds.ADDRESS)
    education: Text = Field("", max_length=10, description="The head's education (文化程度), e.g. 初中.")
    school_status: Text = Field("", max_length=10, description="Or, for a pupil, the school status (在校生状况).")


class ReturneeIn(StrictSchema):
    emergency: int = Field(ge=1, le=MAX_ID)
    household: int | None = Field(None, ge=1, le=MAX_ID, description="The existing household they join.")
    new_household: NewHouseholdIn | None = Field(
        None, description="Or a household registered now with the returnee as its head (village or township "
                          "office only).")
    name: Text = Field(min_length=1, max_length=bounds.NAME)
    id_number: Text = Field(min_length=15, max_length=bounds.ID_NUMBER)
    phone: Text = Field("", max_length=bounds.PHONE)
    origin: Text = Field(min_length=1, max_length=bounds.TITLE)
    arrival: bounds.PAST_EVENT.date()
    transport: Text = Field(pattern=r"^(train|bus|car|plane|other)$")
    screening: Text = Field("pending", pattern=r"^(pending|normal|abnormal)$")
    # Answers, as on the page's form: none is taken for granted (a missing one is a 422 naming it).
    quarantine: bool = Field(description="In home quarantine (yes or no).")
    home_supplies_ensured: bool = Field(description="The household's supplies for the quarantine ensured.")
    help_needed: bool = Field(description="The household needs help.")
    help_note: Text = Field("", max_length=bounds.ADDRESS)
    client_id: ClientIdText | None = ClientId


class ReturneeOut(Schema):
    id: int
    emergency: int
    household: dict
    name: str
    id_number: str = Field(description="Masked.")
    phone: str = Field(description="Masked.")
    origin: str
    arrival: dt.date
    transport: str
    screening: str
    home_supplies_ensured: bool
    help_needed: bool
    help_note: str
    quarantine: dict | None
