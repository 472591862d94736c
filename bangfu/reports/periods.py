"""Periods of the summary tables: the day, the week (Monday to Sunday), the month and the year
that contain a day, and the ones before."""

from __future__ import annotations

import datetime as dt

from bangfu.reports.models import PeriodKind


def period_start(kind: str, day: dt.date) -> dt.date:
    if kind == PeriodKind.DAY:
        return day
    if kind == PeriodKind.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if kind == PeriodKind.MONTH:
        return day.replace(day=1)
    if kind == PeriodKind.YEAR:
        return day.replace(month=1, day=1)
    raise ValueError(f"no such period kind: {kind!r}")


def period_end(kind: str, start: dt.date) -> dt.date:
    """The last day of the period that starts on `start`."""
    return period_after(kind, start) - dt.timedelta(days=1)


def period_after(kind: str, start: dt.date) -> dt.date:
    if kind == PeriodKind.DAY:
        return start + dt.timedelta(days=1)
    if kind == PeriodKind.WEEK:
        return start + dt.timedelta(days=7)
    if kind == PeriodKind.MONTH:
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if kind == PeriodKind.YEAR:
        return start.replace(year=start.year + 1)
    raise ValueError(f"no such period kind: {kind!r}")


def period_before(kind: str, start: dt.date) -> dt.date:
    return period_start(kind, start - dt.timedelta(days=1))


def periods_of(day: dt.date, *, previous: bool = False) -> list[tuple[str, dt.date, dt.date]]:
    """(kind, start, end) of the periods containing `day`; with `previous`, the one before each too."""
    result = []
    for kind in PeriodKind.values:
        start = period_start(kind, day)
        result.append((kind, start, period_end(kind, start)))
        if previous:
            before = period_before(kind, start)
            result.append((kind, before, period_end(kind, before)))
    return result


def is_start(kind: str, start: dt.date) -> bool:
    return period_start(kind, start) == start
