"""Region codes: the levels and the length of a code at each, a code's township, village and
ancestors, and code prefixes as index-friendly range filters."""

from __future__ import annotations

from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")
    GROUP = "group", _("Village group")


# Code length at each level: 2 province, 2 city, 2 county, 3 township, 3 village, 3 group.
CODE_LENGTHS = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
    Level.GROUP: 15,
}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTHS.items()}
CHILD_LEVEL = {
    Level.PROVINCE: Level.CITY,
    Level.CITY: Level.COUNTY,
    Level.COUNTY: Level.TOWNSHIP,
    Level.TOWNSHIP: Level.VILLAGE,
    Level.VILLAGE: Level.GROUP,
}
COUNTY_LENGTH = CODE_LENGTHS[Level.COUNTY]
TOWNSHIP_LENGTH = CODE_LENGTHS[Level.TOWNSHIP]
VILLAGE_LENGTH = CODE_LENGTHS[Level.VILLAGE]
GROUP_LENGTH = CODE_LENGTHS[Level.GROUP]


def level_of(code: str) -> Level | None:
    """The level of a whole code (None for a length no level has)."""
    return LEVEL_BY_LENGTH.get(len(code))


def city_of(code: str) -> str:
    return code[:CODE_LENGTHS[Level.CITY]]


def township_of(code: str) -> str:
    """The township part of a code of a township or below (a shorter code as it is)."""
    return code[:TOWNSHIP_LENGTH]


def village_of(code: str) -> str:
    """The village part of a code of a village or a group (a shorter code as it is)."""
    return code[:VILLAGE_LENGTH]


def ancestors(code: str) -> list[str]:
    """Codes of the regions above a code, top first."""
    return [code[:length] for length in CODE_LENGTHS.values() if length < len(code)]


def parent_of(code: str) -> str:
    """The code of the region right above (empty for a province)."""
    above = ancestors(code)
    return above[-1] if above else ""


def prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string greater than every string that starts with an ASCII prefix.

    Codes and initials are ASCII digits and letters, so incrementing the last character gives a
    bound that every collation orders the same way, and `>= prefix AND < bound` uses a plain
    B-tree index on SQLite and PostgreSQL alike (LIKE 'x%' does not, on either, by default).
    """
    chars = list(prefix)
    while chars:
        last = chars.pop()
        if last == "9":
            continue  # "19" -> "2"
        if last == "z":
            continue
        return "".join(chars) + chr(ord(last) + 1)
    return None


def prefix_q(field: str, prefix: str) -> Q:
    """`field` starts with `prefix` (ASCII digits or lower-case letters), as an indexable range."""
    if not prefix:
        return Q()
    upper = prefix_upper_bound(prefix)
    condition = Q(**{f"{field}__gte": prefix})
    if upper is not None:
        condition &= Q(**{f"{field}__lt": upper})
    return condition


def text_prefix_q(field: str, prefix: str) -> Q:
    """`field` starts with any text `prefix` (a Chinese name), in the form each database indexes.

    SQLite compares text by code point, so a range up to the last code point uses the plain index
    (its LIKE does not); PostgreSQL uses LIKE 'x%' with a varchar_pattern_ops index (households
    migration 0002), whatever the database's collation.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{field}__startswith": prefix})
