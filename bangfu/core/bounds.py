"""The bounds of every number, date and text people enter: one table, read by the forms (so pages,
the API's form bindings and imports share it) and by the API's schemas (so the OpenAPI document
states the same ge / le / max_length, and a date's window under `x-date-window`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from bangfu.core.dates import local_today

Number = int | Decimal


@dataclass(frozen=True)
class Range:
    """An inclusive range of a number."""

    min: Number
    max: Number

    def form(self) -> dict[str, Any]:
        """Keyword arguments of a Django number field."""
        return {"min_value": self.min, "max_value": self.max}

    def api(self) -> dict[str, Any]:
        """Keyword arguments of a ninja/pydantic Field (plain numbers: a Decimal would be written
        into the document as a string)."""
        return {"ge": _plain(self.min), "le": _plain(self.max)}


def _plain(value: Number) -> int | float:
    return int(value) if value == int(value) else float(value)


# --- numbers ---------------------------------------------------------------------------------
# A row's id: big enough for any, small enough for a 64-bit column (a larger one would be a 500).
ID = Range(1, 2**63 - 1)
# A record's version (optimistic locking), a 32-bit column.
VERSION = Range(1, 2**31 - 1)
# A household's farmland and floor space: no village household owns 100,000 mu or 10,000 m²; a
# negative one is a typing slip.
FARMLAND_MU = Range(Decimal(0), Decimal(100_000))
HOUSING_AREA_M2 = Range(Decimal(0), Decimal(10_000))
# A household's yearly income or expense, in fen: up to 100 million yuan.
INCOME_FEN = Range(0, 10**10)
# What one delivery or one measure costs, in fen: up to 1 million yuan.
COST_FEN = Range(0, 10**8)
# Months of a year someone worked.
MONTHS = Range(0, 12)
# One stock move or one hand-out: inside a 32-bit column, far above any township's.
QUANTITY = Range(1, 1_000_000)
STOCK_CHANGE = Range(-1_000_000, 1_000_000)
# A body temperature a thermometer can read on a living person; a fever threshold within it.
TEMPERATURE_C = Range(Decimal("34.0"), Decimal("43.0"))
FEVER_THRESHOLD_C = Range(Decimal("35.0"), Decimal("42.0"))
# An emergency's quarantine and the days of supplies its daily check asks about.
EMERGENCY_DAYS = Range(1, 60)
# A category's regular contact: every so many days.
SCHEDULE_DAYS = Range(1, 366)
# A township's deadlines for needs.
URGENT_HOURS = Range(1, 720)
NORMAL_DAYS = Range(1, 90)
# Projects: a public notice's days, a share in percent, people counted (attendance, households benefiting).
NOTICE_DAYS = Range(1, 60)
PERCENT = Range(0, 100)
PEOPLE = Range(0, 1_000_000)
# A person's age in whole years (a policy's age condition).
AGE_YEARS = Range(0, 150)
# A work group's digest window: the minutes its events are gathered before one message is sent.
DIGEST_MINUTES = Range(1, 1440)

# --- texts: the longest each kind may be -------------------------------------------------------
NAME = 50            # a person's name, who received goods, an item
TITLE = 100          # a campaign's, an emergency's or a distribution's title; where goods came from
ADDRESS = 200        # an address; a short note or reason
NOTE = 300           # a note on a check, a transition, a delivery's description
ANSWER = 500         # an answer to a campaign's question; a condition's note; a planned measure
LONG_TEXT = 2000     # a contact's notes, a need's description, what was done
CLIENT_ID = 64       # a client-generated id
SEARCH = 100         # a search box
CODE = 15            # a region code
ID_NUMBER = 22       # an ID number (22: a disability certificate number)
PHONE = 20
QUESTION = 200       # a campaign's question
QUESTION_CHOICES = 300

# A contact's answers to its campaign's questions: at most this many, each key this long, a number
# answer within this range.
ANSWER_NUMBER = Range(Decimal(-10**9), Decimal(10**9))
ANSWERS_MAX = 20
ANSWER_KEY = 40


# --- dates -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DateWindow:
    """The dates a field accepts: `earliest` and `latest` are each a fixed date or a number of days
    from today (Shanghai), negative for the past."""

    earliest: dt.date | int
    latest: dt.date | int

    def _day(self, end: dt.date | int, today: dt.date) -> dt.date:
        if isinstance(end, dt.date):
            return end
        try:
            return today + dt.timedelta(days=end)
        except OverflowError:
            return dt.date.max if end > 0 else dt.date.min

    def limits(self, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
        today = today or local_today()
        return self._day(self.earliest, today), self._day(self.latest, today)

    def message(self, value: dt.date | dt.datetime) -> str | None:
        """Why `value` is outside the window, or None."""
        day = value
        if isinstance(value, dt.datetime):
            try:
                day = local_today(value) if value.tzinfo is not None else value.date()
            except OverflowError:  # the first or last moments a datetime holds, in another zone
                day = value.date()
        first, last = self.limits()
        if day < first:
            return _("Enter a date on or after %(date)s.") % {"date": first.isoformat()}
        if day > last:
            return _("Enter a date on or before %(date)s.") % {"date": last.isoformat()}
        return None

    def __call__(self, value: dt.date | dt.datetime | None) -> None:
        """As a Django validator."""
        if value is None:
            return
        message = self.message(value)
        if message:
            raise ValidationError(message, code="date_window")

    def stated(self) -> dict[str, str]:
        """The window as the OpenAPI document states it: a date, or `today` plus or minus days."""
        def state(end: dt.date | int) -> str:
            if isinstance(end, dt.date):
                return end.isoformat()
            return "today" if end == 0 else f"today{end:+d}d"
        return {"earliest": state(self.earliest), "latest": state(self.latest)}

    def api_check(self, value: Any) -> Any:
        """A pydantic AfterValidator."""
        if value is None:
            return value
        message = self.message(value)
        if message:
            raise PydanticCustomError("date_window", message)
        return value

    def __get_pydantic_json_schema__(self, core_schema, handler):
        """As an annotation's metadata: the window stated in the OpenAPI document."""
        schema = handler(core_schema)
        stated = self.stated()
        schema["x-date-window"] = stated
        schema.setdefault("description", f"From {stated['earliest']} to {stated['latest']}.")
        return schema

    def date(self) -> Any:
        """The API's type of a date in this window: checked, and stated in the document."""
        return Annotated[dt.date, AfterValidator(self.api_check), self]

    def datetime(self) -> Any:
        return Annotated[dt.datetime, AfterValidator(self.api_check), self]


# Something that happened: a contact, an arrival, a risk eliminated. Not before 2000, and at most a
# day ahead (a phone's clock, a time zone).
PAST_EVENT = DateWindow(dt.date(2000, 1, 1), 1)
# Something planned or under way: a campaign, an emergency, a measure's due date. Within about
# three years of today either way.
PLANNED = DateWindow(-3 * 366, 3 * 366)
# A date of birth.
BIRTH = DateWindow(dt.date(1900, 1, 1), 0)
