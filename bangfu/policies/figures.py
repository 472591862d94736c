"""Policies' figures for the summary tables (bangfu.core.figures): the policy gaps now, both ways
(entitled but nothing received this period; received but not entitled), by village. The same
derivation as the township's list (queries.gaps_of), over every household not closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bangfu.core.dates import local_today
from bangfu.households.models import Household
from bangfu.policies import queries


def _gaps(villages: Sequence[str] | None, kind: str) -> dict[str, int]:
    households = Household.objects.all()
    if villages is not None:
        households = households.filter(region_code__in=list(villages))
    counts: dict[str, int] = {}
    for gap in queries.gaps_of(households, day=local_today()):
        if gap.kind == kind:
            counts[gap.region_code] = counts.get(gap.region_code, 0) + 1
    return counts


def gaps_missing(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Entitlements of this period with nothing recorded as received."""
    return _gaps(villages, "missing")


def gaps_unexpected(*, villages: Sequence[str] | None, start: dt.date, end: dt.date) -> dict[str, int]:
    """Payments of this period recorded for someone the registry does not entitle."""
    return _gaps(villages, "unexpected")
