"""Casework's figures for the summary tables (core.figures): contacts made and households
contacted in the period (coverage: contacted / households), and the four conditions as the
latest assessment of each household found them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count

from bangfu.casework.models import Contact, HouseholdCase
from bangfu.core.villagecounts import village_counts, village_day_counts


def contacts_made(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return village_counts(Contact.objects.filter(day__gte=start, day__lte=end), villages=villages)


def households_contacted(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    return village_counts(Contact.objects.filter(day__gte=start, day__lte=end), villages=villages,
                          value=Count("household", distinct=True))


def households_assessed(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Households with an assessment of the four conditions (their latest counts)."""
    return village_counts(HouseholdCase.objects.filter(assessment__isnull=False), villages=villages)


def four_conditions_met(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Households whose latest assessment found all four conditions met."""
    return village_counts(HouseholdCase.objects.filter(assessment__isnull=False, all_ok=True), villages=villages)


# By-day variants (core.figures): the flows summed over days; households contacted is not a sum.
def contacts_made_by_day(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[tuple[str, dt.date], int]:
    return village_day_counts(Contact.objects.filter(day__gte=start, day__lte=end), villages=villages, day="day")
