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


def mask_id(value: str) -> str:
    """3702**********1234: first 4 and last 4 shown."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


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
