"""Every read of the prints and the briefing, each through a scope door: the households a user may
see (`Household.objects.visible_to`), the villages and areas within their scope."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from bangfu.casework.models import Contact
from bangfu.core.codes import Level, prefix_q
from bangfu.core.permissions import Role
from bangfu.households.models import Assignment, Household
from bangfu.needs.models import Need
from bangfu.policies.queries import county_of_code, policies_of_county
from bangfu.briefings.models import JobStatus, PrintJob
from bangfu.regions.models import Region



def _in_scope(user, code: str) -> bool:
    return user.role == Role.ADMIN or bool(user.scope) and code.startswith(user.scope)


def village_get(user, code: str) -> Region:
    """A village within the user's scope, or 404."""
    village = Region.objects.filter(code=code, level=Level.VILLAGE).first()
    if village is None or not _in_scope(user, code):
        raise Http404("no such village")
    return village


def area_get(user, code: str) -> Region:
    """A region within the user's scope (a township, a county...), or 404."""
    region = Region.objects.filter(code=code).first()
    if region is None or not _in_scope(user, code):
        raise Http404("no such area")
    return region


def villages_for(user, *, limit: int = 500) -> list[Region]:
    """The villages a user may print for, by code (the prints page's choice)."""
    rows = Region.objects.filter(level=Level.VILLAGE).order_by("code")
    if user.role != Role.ADMIN:
        if not user.scope:
            return []
        rows = rows.filter(prefix_q("code", user.scope))
    return list(rows[:limit])


def _files(households: QuerySet[Household]) -> QuerySet[Household]:
    """Households with everything their file shows, in a fixed number of queries however many."""
    return (
        households.select_related("region", "caseworker")
        .prefetch_related(
            "categories", "members",
            Prefetch("assignments", queryset=Assignment.objects.select_related("caseworker").order_by("-start", "-id")),
            Prefetch("needs", queryset=Need.objects.select_related("owner").prefetch_related("measures__owner")
                     .order_by("-recorded_at")),
            Prefetch("policy_receipts", queryset=_receipts()),
            Prefetch("contacts", queryset=Contact.objects.select_related("caseworker").order_by("-at")),
        )
        .order_by("number")
    )


def _receipts():
    from bangfu.policies.models import Receipt

    return Receipt.objects.select_related("member").order_by("-paid_on", "-id")


def household_file_get(user, pk: int) -> Household:
    """One household the user may see, with its file's rows, or 404."""
    household = _files(Household.objects.visible_to(user).filter(pk=pk)).first()
    if household is None:
        raise Http404("no such household")
    return household


def village_households(user, code: str) -> QuerySet[Household]:
    """The households of a village that the user may see, with their files' rows."""
    return _files(Household.objects.visible_to(user).filter(prefix_q("region_code", code)))


def policy_names(region_code: str) -> dict[str, str]:
    """Policy key -> name, as the household's county names them."""
    return {p.key: p.name for p in policies_of_county(county_of_code(region_code))}


# --- print jobs -------------------------------------------------------------------------------------

def print_dir() -> Path:
    return Path(settings.JOB_FILES_DIR) / "prints"


def print_job_get(user, pk: int) -> PrintJob:
    """One of the user's own print jobs (another's is a 404: it holds their households' files)."""
    job = PrintJob.objects.filter(pk=pk, owner=user).first()
    if job is None:
        raise Http404("no such print job")
    return job


def print_jobs_of(user, *, limit: int = 10) -> list[PrintJob]:
    """The user's latest print jobs, each with its village's name (`village_name`): two queries."""
    jobs = list(PrintJob.objects.filter(owner=user)[:limit])
    names = dict(Region.objects.filter(code__in={j.region_code for j in jobs}).values_list("code", "name"))
    for job in jobs:
        job.village_name = names.get(job.region_code, "")
    return jobs


def print_job_file(job: PrintJob) -> Path | None:
    if job.status != JobStatus.DONE or not job.file_path:
        return None
    path = print_dir() / job.file_path
    return path if path.is_file() else None


# --- the briefing ------------------------------------------------------------------------------

def briefing_areas(user, *, limit: int = 300) -> list[Region]:
    """The areas a user may issue a briefing for: their own area and the townships (or counties) in it."""
    from bangfu.core.codes import CODE_LENGTHS

    if user.role == Role.ADMIN:
        return list(Region.objects.filter(level__in=(Level.TOWNSHIP, Level.COUNTY)).order_by("code")[:limit])
    if not user.scope:
        return []
    own = Region.objects.filter(code=user.scope).first()
    below = Region.objects.filter(prefix_q("code", user.scope), level=Level.TOWNSHIP).exclude(code=user.scope) \
        if len(user.scope) < CODE_LENGTHS[Level.TOWNSHIP] else Region.objects.none()
    return ([own] if own else []) + list(below.order_by("code")[:limit])


def template_for(region: Region):
    """The area's own template, or None (the default applies)."""
    from bangfu.briefings.models import BriefingTemplate

    return BriefingTemplate.objects.filter(region_code=region.code).first()


def briefings_visible(user):
    from bangfu.briefings.models import Briefing

    rows = Briefing.objects.select_related("generated_by")
    if user.role == Role.ADMIN:
        return rows
    if not user.scope:
        return rows.none()
    return rows.filter(prefix_q("region_code", user.scope))


def briefing_get(user, pk: int):
    briefing = briefings_visible(user).filter(pk=pk).first()
    if briefing is None:
        raise Http404("no such briefing")
    return briefing
