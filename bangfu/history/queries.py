"""Reading history's counts of changes by area: what a cached page checks before it is served again."""

from __future__ import annotations

import hashlib

from django.db import connection

from bangfu.history.models import AreaChange
from bangfu.history.services import AREA_DIGITS

# The lengths of region codes above a village: province, city, county, township.
LEVELS = (2, 4, 6, 9)
_TOP = "9" * 15


def _above(code: str) -> list[str]:
    """The areas whose changes concern everything in `code`: its parents, and "" (no region)."""
    return ["", *(code[:n] for n in LEVELS if n < len(code))]


def area_version(prefix: str) -> int:
    """The count of changes in everything under a region code prefix and in the areas above it
    ("" is the whole country: an administrator's scope). Counts are only added (folding keeps
    their sums), so this changes whenever a change is committed in any of them."""
    prefix = prefix[:AREA_DIGITS]
    above = _above(prefix)
    table = connection.ops.quote_name(AreaChange._meta.db_table)
    with connection.cursor() as cursor:
        # Codes are digits, so "under the prefix" is a range an index serves on every database.
        cursor.execute(
            f"SELECT COALESCE(SUM(count), 0) FROM {table} WHERE (region_code >= %s AND region_code <= %s)"
            f" OR region_code IN ({', '.join(['%s'] * len(above))})",
            [prefix, prefix + _TOP[len(prefix):], *above],
        )
        return int(cursor.fetchone()[0])


def caseworker_version(caseworker_id: int, region_code: str = "") -> str:
    """The changes that concern a caseworker's work: in the villages of their households wherever
    they are (a household can keep its caseworker when it moves), and anywhere in the caseworker's
    township (the office can give them a delivery or a need of a household that is not theirs). The
    villages are part of the answer, not only their sums: a household taken away from the caseworker
    changes the set, not the sum."""
    from bangfu.households.models import Household

    households = connection.ops.quote_name(Household._meta.db_table)
    table = connection.ops.quote_name(AreaChange._meta.db_table)
    region = region_code[:LEVELS[-1]]
    above = _above(region)
    levels = " UNION ".join(f"SELECT substr(region_code, 1, {n}) FROM {households} WHERE caseworker_id = %s"
                            for n in (AREA_DIGITS, *LEVELS))
    sql = f"SELECT region_code, SUM(count) FROM {table} WHERE (region_code IN ({levels})"
    params: list = [caseworker_id] * (1 + len(LEVELS))
    if region:
        sql += " OR (region_code >= %s AND region_code <= %s)"
        params += [region, region + _TOP[len(region):]]
    sql += f" OR region_code IN ({', '.join(['%s'] * len(above))})) GROUP BY region_code ORDER BY region_code"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *above])
        rows = cursor.fetchall()
    return hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()
