"""The emergency's figures for the summary tables (core.figures): daily checks due and done,
fevers found and returnees arrived in the period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bangfu.core.villagecounts import village_counts
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
