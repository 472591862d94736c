"""Resident ID numbers (GB 11643-1999), disability certificate numbers and phone numbers.

Pure functions: normalise what people type or paste, check it, mask it. Messages are
translatable; the callers attach them to the field they came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from operator import mul

from django.utils.translation import gettext_lazy as _

from bangfu.core.dates import local_today
from bangfu.core.text import clean_text

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
# Area code and a 7-8 digit number, optionally an extension. Area codes are 3 digits for
# Beijing (010) and 020-029, and 4 digits everywhere else, which settles where an undashed one ends.
LANDLINE_RE = re.compile(r"^(0[12][0-9]|0[3-9][0-9]{2})-?([2-9][0-9]{6,7})(?:-([0-9]{1,6}))?$")


class IdentityError(ValueError):
    """A value that is not a valid ID or phone number; `message` says why, for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check_char(first17: str) -> str:
    if len(first17) != 17:
        raise ValueError("check_char takes the first 17 digits")
    return CHECK_CHARS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]


@dataclass(frozen=True)
class IdNumber:
    """A checked ID number: `base` is the 18-character resident ID, `full` may carry a
    disability certificate suffix (20 or 22 characters)."""

    full: str
    base: str

    @property
    def birth_date(self) -> dt.date:
        return dt.date(int(self.base[6:10]), int(self.base[10:12]), int(self.base[12:14]))

    @property
    def sex(self) -> str:
        return "M" if int(self.base[16]) % 2 == 1 else "F"

    @property
    def is_disability_number(self) -> bool:
        return len(self.full) > 18


def parse_id_number(value: object, *, allow_disability: bool = True, today: dt.date | None = None) -> IdNumber:
    """Normalise and check an ID number; raise IdentityError with the reason."""
    return _parse_id_number(clean_text(value).upper(), allow_disability, today or local_today())


# An import checks each number when it reads the row, then in the form field and in the form's
# cross-field rules once the rows of a chunk (imports.services.CHUNK_ROWS) are read: the answers
# for more than a chunk of numbers are kept (a checked number is immutable).
@lru_cache(maxsize=4096)
def _parse_id_number(text: str, allow_disability: bool, today: dt.date) -> IdNumber:
    if not text:
        raise IdentityError(_("The ID number is empty."))
    if re.fullmatch(r"[0-9.]+E\+?[0-9]+", text):
        raise IdentityError(
            _("The ID number was stored by Excel as a number and lost its last digits; enter it as text.")
        )
    suffix = ""
    if len(text) in (20, 22) and allow_disability:
        text, suffix = text[:18], text[18:]
        if not re.fullmatch(r"[0-9A-Z]+", suffix):
            raise IdentityError(_("A disability certificate number is the ID number followed by 2 or 4 digits or letters."))
    if len(text) != 18:
        if allow_disability:
            raise IdentityError(
                _("An ID number has 18 characters (20 or 22 for a disability certificate number); this one has %(n)d.")
                % {"n": len(text) + len(suffix)}
            )
        raise IdentityError(_("An ID number has 18 characters; this one has %(n)d.") % {"n": len(text)})
    if not ID_RE.match(text):
        raise IdentityError(_("An ID number is 17 digits followed by a digit or X."))
    if check_char(text[:17]) != text[17]:
        raise IdentityError(_("The check digit is wrong."))
    try:
        born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise IdentityError(_("The birth date inside the ID number is not a real date.")) from None
    if born > today or born.year < 1890:
        raise IdentityError(_("The birth date inside the ID number is not possible."))
    return IdNumber(full=text + suffix, base=text)


# What a role without the reveal permission ("member.reveal_id") sees of an ID number and a birth
# date, and why that cannot be narrowed to fewer than 1,000 numbers. A resident ID number is
#
#     area (6 digits) + birth date (8) + sequence (3, the last one odd for a man) + check char (1)
#
# Such a role may know the area (the village's code gives the county), sees the sex and the birth
# year, and sees the last ID_TAIL_SHOWN = 2 characters: the sequence's last digit and the check
# character. Left open are the day of birth within the year (365, or 366) and the sequence's first
# two digits (100); the check character is a function of the other 17 (check_char), so about one
# in 11 of those 17-character choices has the one shown:
#
#     365 days x 100 sequences / 11 check characters ~= 3,318 candidates (never fewer than ~3,000)
#
# A third visible character (the sequence's middle digit) would leave 365 x 10 / 11 ~= 332, and
# the full birth date with the last 4 (as shown before) 1 x 1 x 1 = 1: the number itself. Hiding
# the check character alone would change nothing (it is computed). The tail search (4 to 6 typed
# characters) still finds a member, but no page echoes more than mask_id shows.
#
# The birth year is not enough when the record was made early in the year of birth: the history
# shows the day a member was recorded (`recorded`), and nobody is born after it, so a child born
# in January and recorded on 20 January would have 20 days open (20 x 100 / 11 = 182). So a
# member recorded in the first BIRTH_YEAR_MIN_DAYS days of a year and born that year or the year
# before shows both years ("2025–2026"), whichever it was: [1 January of the year before, the day
# recorded] is at least 365 days. Recorded later in the year of birth, at least 120 days are
# open: 120 x 100 / 11 ~= 1,090.
ID_TAIL_SHOWN = 2
BIRTH_YEAR_MIN_DAYS = 120


def mask_id(value: str) -> str:
    """3702************1X: the first 4 and the last 2 characters shown (see above)."""
    if not value:
        return ""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 4 - ID_TAIL_SHOWN) + value[-ID_TAIL_SHOWN:]


def birth_years(birth_date: dt.date, recorded: dt.date | None) -> tuple[int, int]:
    """The years of birth a role without the reveal permission is shown: (first, last), equal but
    for a member recorded early in the year of birth or the year after it (see above). The
    answer depends on the birth year and the day recorded alone, never on the day of birth."""
    year = birth_date.year
    if recorded is not None and (recorded - dt.date(recorded.year, 1, 1)).days < BIRTH_YEAR_MIN_DAYS \
            and year in (recorded.year - 1, recorded.year):
        return recorded.year - 1, recorded.year
    return year, year


def birth_shown(birth_date: dt.date | None, recorded: dt.date | None) -> str:
    """birth_years as text: "1965", or "2025–2026"."""
    if birth_date is None:
        return ""
    first, last = birth_years(birth_date, recorded)
    return str(first) if first == last else f"{first}–{last}"


def normalise_phone(value: object) -> str:
    """An 11-digit mobile or a landline with area code (as 0532-88881234), checked."""
    text = clean_text(value)
    text = re.sub(r"[()（）]", "", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    digits = text.replace("-", "")
    if MOBILE_RE.match(digits):
        return digits
    match = LANDLINE_RE.match(text) or LANDLINE_RE.match(digits)
    if match:
        area, number, extension = match.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    raise IdentityError(
        _("A phone number is an 11-digit mobile number or a landline with its area code, such as 0532-88881234.")
    )


def mask_phone(value: str) -> str:
    """138****5678 for a mobile; 0532-****1234 for a landline."""
    if not value:
        return ""
    if "-" in value:
        area, _sep, rest = value.partition("-")
        return f"{area}-" + "*" * max(len(rest) - 4, 0) + rest[-4:]
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    return "*" * max(len(value) - 4, 0) + value[-4:]
