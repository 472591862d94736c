"""Counting by village for the indicators (core.figures): one grouped read over a region code,
restricted to a list of villages as index-friendly code ranges."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Sequence

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Substr, TruncDate

from bangfu.core.codes import VILLAGE_LENGTH, prefix_q
from bangfu.core.dates import SHANGHAI

# Villages per query when a list is given: each is one range on the code's index.
CHUNK = 400


def villages_q(field: str, villages: Sequence[str]) -> Q:
    """`field` (a region code of a village or a group under it) lies in one of `villages`."""
    if not villages:
        return Q(pk__in=[])
    return functools.reduce(operator.or_, (prefix_q(field, code) for code in villages))


def moments(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The Shanghai days `start` to `end` (both included) as a half-open range of moments."""
    return (dt.datetime.combine(start, dt.time(), SHANGHAI),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), SHANGHAI))


def within(field: str, start: dt.date, end: dt.date) -> Q:
    """A moment `field` falls in the Shanghai days `start` to `end`."""
    low, high = moments(start, end)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


def village_counts(qs: QuerySet, *, villages: Sequence[str] | None, field: str = "region_code",
                   value=None) -> dict[str, int]:
    """{village code: value} over `qs`, grouped by the first 12 digits of `field` (a household's
    code may be a village group's), `value` an aggregate (by default the number of rows); zeros
    left out. With `villages`, only those (in chunks of CHUNK ranges, so a long list stays one
    indexed read per chunk)."""
    value = Count("pk") if value is None else value
    chunks: list[Sequence[str] | None] = [None] if villages is None else [
        villages[i:i + CHUNK] for i in range(0, len(villages), CHUNK)]
    result: dict[str, int] = {}
    for chunk in chunks:
        part = qs if chunk is None else qs.filter(villages_q(field, chunk))
        rows = (part.annotate(_village=Substr(field, 1, VILLAGE_LENGTH)).order_by().values("_village")
                .annotate(_value=value).values_list("_village", "_value"))
        for village, total in rows:
            if total and len(village or "") == VILLAGE_LENGTH:
                result[village] = result.get(village, 0) + int(total)
    return result


def village_day_counts(qs: QuerySet, *, villages: Sequence[str] | None, day: str, field: str = "region_code",
                       value=None, moment: bool = False) -> dict[tuple[str, dt.date], int]:
    """{(village code, day): value} over `qs` (a by-day variant of a flow, core.figures), as
    village_counts but grouped by the day too: `day` a date field, or with `moment` a moment field
    taken as its Shanghai day."""
    value = Count("pk") if value is None else value
    on = TruncDate(day, tzinfo=SHANGHAI) if moment else F(day)
    chunks: list[Sequence[str] | None] = [None] if villages is None else [
        villages[i:i + CHUNK] for i in range(0, len(villages), CHUNK)]
    result: dict[tuple[str, dt.date], int] = {}
    for chunk in chunks:
        part = qs if chunk is None else qs.filter(villages_q(field, chunk))
        rows = (part.annotate(_village=Substr(field, 1, VILLAGE_LENGTH), _day=on).order_by()
                .values("_village", "_day").annotate(_value=value).values_list("_village", "_day", "_value"))
        for village, on_day, total in rows:
            if total and len(village or "") == VILLAGE_LENGTH:
                result[(village, on_day)] = result.get((village, on_day), 0) + int(total)
    return result
