"""The registry's figures for the summary tables (core.figures): households by status, by
monitoring type and in monitoring, and persons. All are stocks: the registry as it is now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bangfu.core.villagecounts import village_counts
from bangfu.households.choices import Category, MonitorType, Status
from bangfu.households.models import Household, HouseholdCategory, Member


def households_total(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Households on the registry (closed ones left out)."""
    return village_counts(Household.objects.exclude(status=Status.CLOSED), villages=villages)


def persons_total(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Members of the households on the registry."""
    return village_counts(Member.objects.exclude(household__status=Status.CLOSED), villages=villages,
                          field="household__region_code")


def monitored_total(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Households in the monitoring category."""
    return village_counts(HouseholdCategory.objects.filter(category=Category.MONITORED)
                          .exclude(household__status=Status.CLOSED),
                          villages=villages, field="household__region_code")


def _by_status(status: str):
    def compute(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
        return village_counts(Household.objects.filter(status=status), villages=villages)

    compute.__name__ = f"households_status_{status}"
    return compute


def _by_monitor_type(monitor_type: str):
    def compute(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
        return village_counts(Household.objects.filter(monitor_type=monitor_type)
                              .exclude(status=Status.CLOSED), villages=villages)

    compute.__name__ = f"households_monitor_{monitor_type}"
    return compute


def _by_category(category: str):
    def compute(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
        return village_counts(HouseholdCategory.objects.filter(category=category)
                              .exclude(household__status=Status.CLOSED),
                              villages=villages, field="household__region_code")

    compute.__name__ = f"households_category_{category}"
    return compute


for _category in Category.values:
    globals()[f"households_category_{_category}"] = _by_category(_category)
for _status in Status.values:
    globals()[f"households_status_{_status}"] = _by_status(_status)
for _type in MonitorType.values:
    globals()[f"households_monitor_{_type}"] = _by_monitor_type(_type)
