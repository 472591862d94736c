"""Every write of the briefings app: a village's files queued and printed in the background, a
township's briefing template saved, a briefing generated (numbered, with history)."""

from __future__ import annotations

import logging
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.briefings import queries
from bangfu.briefings.queries import print_dir
from bangfu.briefings.fonts import print_fonts
from bangfu.briefings import defaults
from bangfu.briefings.figures import Figures, figures_read, fill, unknown_placeholders
from bangfu.briefings.models import Briefing, BriefingTemplate, JobStatus, PrintJob
from bangfu.briefings.pdf import render_pdf
from bangfu.briefings.prints import household_files_document
from bangfu.core.dates import local_today
from bangfu.core.permissions import require
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.regions.models import Region

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


def template_save(*, actor: User, region: Region, name: str, unit: str, sections: dict[str, str]) -> BriefingTemplate:
    """Save an area's briefing template. Raises ValidationError naming the field of a placeholder
    that names no figure (`{households.cout}`)."""
    require(actor, "briefing.template_edit")
    region = queries.area_get(actor, region.code)
    errors = {}
    named = [("name", name), ("unit", unit)] + [(f"section_{key}", text) for key, text in sections.items()]
    for field_name, text in named:
        unknown = unknown_placeholders(text)
        if unknown:
            errors[field_name] = _("Unknown placeholder: %(names)s") % {"names": "、".join("{%s}" % u for u in unknown)}
    if errors:
        raise ValidationError(errors)
    kept = {key: sections.get(key, "") for key in defaults.TEXTS}
    with transaction.atomic():
        template = BriefingTemplate.objects.select_for_update().filter(region_code=region.code).first()
        if template is None:
            template = BriefingTemplate.objects.create(region_code=region.code, name=name, unit=unit, sections=kept,
                                                       updated_by=actor)
            record(actor, Action.CREATE, template)
            return template
        before = template_snapshot(template)
        template.name, template.unit, template.sections = name, unit, kept
        template.version += 1
        template.updated_by = actor
        template.save()
        record(actor, Action.UPDATE, template, before=before)
    return template


def briefing_sections(*, region: Region, template: BriefingTemplate | None, figures: Figures, start: dt.date,
                      end: dt.date) -> list[list[str]]:
    """Each section's heading and its sentences filled with the figures."""
    area = {"area": region.name, "start": f"{start.month}月{start.day}日", "end": f"{end.month}月{end.day}日",
            "year": str(end.year)}
    texts = {**defaults.TEXTS, **(template.sections if template else {})}
    return [[heading, fill(texts[key], figures, area)] for key, heading, _text in defaults.SECTIONS
            if texts.get(key, "").strip()]


def briefing_generate(*, actor: User, region_code: str, start: dt.date, end: dt.date,
                      issued_on: dt.date | None = None) -> Briefing:
    """Generate the next issue (第X期 of the year, per area) of an area's briefing for a period,
    filled with the area's figures; history records who generated which number."""
    require(actor, "briefing.generate")
    region = queries.area_get(actor, region_code)
    if end < start:
        raise ValidationError({"end": _("The end is before the start.")})
    issued_on = issued_on or local_today()
    template = queries.template_for(region)
    figures = figures_read(user=actor, region=region, start=start, end=end)
    sections = briefing_sections(region=region, template=template, figures=figures, start=start, end=end)
    for attempt in range(3):  # two generating at once: the loser takes the next number
        try:
            with transaction.atomic():
                last = Briefing.objects.filter(region_code=region.code, year=issued_on.year).order_by("-number").first()
                briefing = Briefing.objects.create(
                    region_code=region.code, year=issued_on.year, number=(last.number + 1) if last else 1,
                    start=start, end=end, name=template.name if template else defaults.default_name(region),
                    unit=template.unit if template else defaults.default_unit(region), issued_on=issued_on,
                    figures=figures.values, figures_as_of=figures.as_of, sections=sections,
                    generated_by=actor)
                record(actor, Action.CREATE, briefing)
                return briefing
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
