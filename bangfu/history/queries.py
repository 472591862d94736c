"""Reading history's counts of changes by area: what a cached page checks before it is served again."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

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


# Stands for the caseworker's id in the compiled selects given to caseworker_version.
MARK = -987654321


def caseworker_version(caseworker_id: int, region_code: str, work: Sequence[tuple[str, Sequence]]) -> str:
    """The changes that concern a caseworker's work: in the villages of their work (`work`: one or
    more selects of one region-code column, as SQL and its parameters with MARK for the caseworker's id: their
    households wherever they are, since a household can keep its caseworker when it moves, and a
    delivery the office gave them of a household that is not theirs), in the caseworker's own
    village, and in the areas above each of these (a campaign or an emergency of their township).
    Changes in the township's other villages do not concern them. The villages are part of the
    answer, not only their sums: work taken away from the caseworker changes the set, not the sum."""
    table = connection.ops.quote_name(AreaChange._meta.db_table)
    selects = []
    params: list = []
    for index, (sql, marked) in enumerate(work):
        selects.append(f"SELECT * FROM ({sql}) AS work{index}")
        params += [caseworker_id if value == MARK else value for value in marked]
    levels = " UNION ".join(f"SELECT substr(code, 1, {n}) FROM mine" for n in (AREA_DIGITS, *LEVELS))
    own = [region_code[:AREA_DIGITS], *_above(region_code[:AREA_DIGITS])] if region_code else [""]
    sql = (f"WITH mine(code) AS ({' UNION '.join(selects)}) "
           f"SELECT region_code, SUM(count) FROM {table} WHERE region_code IN ({levels})"
           f" OR region_code IN ({', '.join(['%s'] * len(own))}) GROUP BY region_code ORDER BY region_code")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *own])
        rows = cursor.fetchall()
    return hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()
