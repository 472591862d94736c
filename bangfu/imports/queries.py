"""Reads for exports: the households a user sees, with their members, in chunks (any size of list)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch, Q

from bangfu.core.codes import CODE_LENGTHS
from bangfu.households.models import Household, HouseholdCategory, Member
from bangfu.households.queries import HouseholdFilter, households_filtered, members_of
from bangfu.regions.models import Region

CHUNK = 500


class RegionNames:
    """Names of regions by code, fetched as they are first needed."""

    def __init__(self):
        self.names: dict[str, str] = {}

    def fill(self, codes: set[str]) -> None:
        missing = [code for code in codes if code not in self.names]
        for start in range(0, len(missing), 1000):
            chunk = missing[start:start + 1000]
            self.names.update(Region.objects.filter(code__in=chunk).values_list("code", "name"))
            for code in chunk:
                self.names.setdefault(code, "")


def export_rows(user, flt: HouseholdFilter) -> Iterator[tuple[Household, list[Member], dict[str, str]]]:
    """(household, its members head first, region names by code) for each household the user sees
    that the filter keeps, in (village, number) order, CHUNK households per query (keyset)."""
    base = households_filtered(user, flt).order_by("region_code", "number")
    names = RegionNames()
    position: tuple[str, str] | None = None
    while True:
        qs = base
        if position is not None:
            region_code, number = position
            qs = qs.filter(Q(region_code__gt=region_code) | Q(region_code=region_code, number__gt=number))
        chunk = list(qs.prefetch_related(
            Prefetch("categories", queryset=HouseholdCategory.objects.only("household_id", "category")),
            Prefetch("members", queryset=Member.objects.order_by("pk")),
        )[:CHUNK])
        if not chunk:
            return
        names.fill({h.region_code[:n] for h in chunk for n in CODE_LENGTHS.values() if len(h.region_code) >= n})
        for household in chunk:
            yield household, members_of(household), names.names
        last = chunk[-1]
        position = (last.region_code, last.number)


# --- jobs ------------------------------------------------------------------------------------

def jobs_of(user, *, limit: int = 20):
    """The user's own import and export jobs, newest first."""
    from bangfu.imports.models import ImportJob

    return ImportJob.objects.filter(owner=user).select_related("region").order_by("-created_at", "-id")[:limit]


def job_get(user, pk: int):
    """One of the user's own jobs, or 404: nobody sees another's job, nor its files."""
    from django.http import Http404

    from bangfu.imports.models import ImportJob

    job = ImportJob.objects.select_related("region").filter(pk=pk, owner=user).first()
    if job is None:
        raise Http404("no such job")
    return job
