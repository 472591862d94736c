"""Needs' figures for the summary tables (core.figures): needs reported and resolved in the
period, and the needs open now (and those of them past their deadline)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from bangfu.core.villagecounts import village_counts, village_day_counts, within
from bangfu.needs.models import OPEN, Need


def needs_reported(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Needs recorded in the period (a household's need as it was first written down)."""
    return village_counts(Need.objects.filter(within("recorded_at", start, end)), villages=villages)


def needs_resolved(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return village_counts(Need.objects.filter(within("resolved_at", start, end)), villages=villages)


def needs_open(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return village_counts(Need.objects.filter(status__in=OPEN), villages=villages)


def needs_overdue(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Open needs whose deadline has passed, as the figures are computed: a need passing its deadline
    is escalated (a write that marks its village), and the nightly rebuild counts the rest."""
    return village_counts(Need.objects.filter(status__in=OPEN, deadline_at__lte=timezone.now()), villages=villages)


# By-day variants (core.figures).
def needs_reported_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return village_day_counts(Need.objects.filter(within("recorded_at", start, end)), villages=villages,
                              day="recorded_at", moment=True)


def needs_resolved_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return village_day_counts(Need.objects.filter(within("resolved_at", start, end)), villages=villages,
                              day="resolved_at", moment=True)
