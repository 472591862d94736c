"""Every write of the briefings app: a village's files queued and printed in the background, a
township's briefing template saved, a briefing generated (numbered, with history)."""

from __future__ import annotations

import logging
from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.briefings import queries
from bangfu.briefings.queries import print_dir
from bangfu.briefings.fonts import print_fonts
from bangfu.briefings.models import JobStatus, PrintJob
from bangfu.briefings.pdf import render_pdf
from bangfu.briefings.prints import household_files_document
from bangfu.core.permissions import require

logger = logging.getLogger(__name__)


# --- a village's files, in the background --------------------------------------------------------

def print_job_create(*, actor: User, village_code: str) -> PrintJob:
    """Queue the 一户一档 of every household of a village that the actor may see, as one PDF.
    Raises PermissionDenied (role) or Http404 (a village outside the actor's scope)."""
    require(actor, "print.village")
    village = queries.village_get(actor, village_code)
    with transaction.atomic():
        job = PrintJob.objects.create(owner=actor, region_code=village.code,
                                      total=queries.village_households(actor, village.code).count())
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from bangfu.briefings.tasks import print_job_task

    print_job_task(job_id)


def print_job_run(*, job_id: int) -> None:
    """Print a queued job (claimed by compare-and-set: a second run of the same job does nothing)."""
    claimed = PrintJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now())
    if not claimed:
        return
    job = PrintJob.objects.select_related("owner").get(pk=job_id)
    try:
        households = list(queries.village_households(job.owner, job.region_code))
        names: dict[str, dict[str, str]] = {}

        def policies_of(code: str) -> dict[str, str]:
            county = code[:6]
            if county not in names:
                names[county] = queries.policy_names(code)
            return names[county]

        def progress(done: int, total: int) -> None:
            if done == total or done % 5 == 0:
                PrintJob.objects.filter(pk=job_id).update(done=done, total=total)

        data = render_pdf(household_files_document(households, policies_of=policies_of, progress=progress),
                          print_fonts())
        folder = print_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{job.pk}.pdf"
        path.write_bytes(data)
        PrintJob.objects.filter(pk=job_id).update(status=JobStatus.DONE, done=len(households), total=len(households),
                                                  file_path=path.name, finished_at=timezone.now())
    except Exception as error:  # the page shows the failure; the log keeps the trace
        logger.exception("print job %s failed", job_id)
        PrintJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=str(error)[:300],
                                                  finished_at=timezone.now())


# --- the briefing ------------------------------------------------------------------------------------

def template_snapshot(template) -> dict:
    return {"name": template.name, "unit": template.unit, "sections": dict(template.sections)}


def briefing_snapshot(briefing) -> dict:
    return {"number": briefing.number, "year": briefing.year, "start": briefing.start.isoformat(),
            "end": briefing.end.isoformat(), "name": briefing.name, "unit": briefing.unit,
            "issued_on": briefing.issued_on.isoformat()}
