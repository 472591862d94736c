"""Region-code prefixes as index-friendly range filters."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q


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
