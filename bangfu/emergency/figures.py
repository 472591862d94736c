"""The emergency's figures for the summary tables (core.figures): daily checks due and done,
fevers found and returnees arrived in the period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bangfu.core.villagecounts import village_counts, village_day_counts
from bangfu.emergency.models import CheckStatus, FeverAlert, HealthCheck, Returnee


def checks_due(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return village_counts(HealthCheck.objects.filter(day__gte=start, day__lte=end), villages=villages)


def checks_done(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return village_counts(HealthCheck.objects.filter(day__gte=start, day__lte=end, status=CheckStatus.DONE),
                          villages=villages)


def fevers_found(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return village_counts(FeverAlert.objects.filter(day__gte=start, day__lte=end), villages=villages)


def returnees_arrived(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return village_counts(Returnee.objects.filter(arrival__gte=start, arrival__lte=end), villages=villages)


# By-day variants (core.figures).
def checks_due_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return village_day_counts(HealthCheck.objects.filter(day__gte=start, day__lte=end), villages=villages, day="day")


def checks_done_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return village_day_counts(HealthCheck.objects.filter(day__gte=start, day__lte=end, status=CheckStatus.DONE),
                              villages=villages, day="day")


def fevers_found_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return village_day_counts(FeverAlert.objects.filter(day__gte=start, day__lte=end), villages=villages, day="day")


def returnees_arrived_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return village_day_counts(Returnee.objects.filter(arrival__gte=start, arrival__lte=end), villages=villages,
                              day="arrival")
