"""Import and export jobs: every write of an ImportJob, and the work a background task does for one.

An import goes: upload (stored, a job queued) -> dry run (in the request for a small file, in the
background for a big one) -> preview -> the owner confirms -> commit in the background -> result.
A big export goes: job queued -> export written to a file in the background -> download.

Tasks are enqueued on commit and safe to run twice: a task first claims its job with a
compare-and-set update (queued -> running); a job that is not queued is left alone. While a job
runs, its progress is kept in the task queue's storage (huey's key-value store), not in the
database: an import holds its write transaction from the first row to the last.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core import requestid
from bangfu.core.permissions import PermissionDenied, require
from bangfu.households.queries import HouseholdFilter
from bangfu.households.services import region_in_scope
from bangfu.imports.models import ImportJob, JobKind, JobStatus
from bangfu.imports.readers import FileError, open_table
from bangfu.imports.services import (
    ImportResult,
    households_export,
    households_import,
    households_notice_export,
    import_report_write,
)
from bangfu.regions.models import Region

logger = logging.getLogger(__name__)

SUFFIXES = (".xlsx", ".xls", ".csv")
KEPT_ERRORS = 50  # errors stored on the job for the page; the report holds them all


# --- files -------------------------------------------------------------------------------------

def job_dir(job: ImportJob) -> Path:
    return Path(settings.JOB_FILES_DIR) / str(job.pk)


def job_file(job: ImportJob, relative: str) -> Path | None:
    """The absolute path of one of the job's files, or None when it is not there (any more)."""
    if not relative:
        return None
    path = Path(settings.JOB_FILES_DIR) / relative
    return path if path.is_file() else None


def _relative(path: Path) -> str:
    return path.relative_to(Path(settings.JOB_FILES_DIR)).as_posix()


# --- progress, outside the database ------------------------------------------------------------

def _progress_key(job: ImportJob) -> str:
    started = job.started_at.timestamp() if job.started_at else ""
    return f"bangfu:job:{job.pk}:{started}:progress"


def _huey():
    from huey.contrib.djhuey import HUEY

    return HUEY


def _progress_put(key: str, percent: int | None) -> None:
    try:
        if percent is None:
            _huey().delete(key)
        else:
            _huey().put(key, percent)
    except Exception:  # progress is a nicety: never let it stop the work
        logger.warning("could not store progress (%s)", key, exc_info=True)


def job_progress(job: ImportJob) -> int:
    """0-100: what the job has done so far (the running figure while it runs)."""
    if job.status != JobStatus.RUNNING:
        return job.progress
    try:
        running = _huey().get(_progress_key(job), peek=True)
    except Exception:
        running = None
    return max(job.progress, int(running or 0))


class _Progress:
    """The services' progress callback (done, total or None) as a percentage, stored when it moves."""

    def __init__(self, job: ImportJob, *, start: int = 0, span: int = 99, total: int | None = None):
        self.key = _progress_key(job)
        self.start, self.span, self.total = start, span, total
        self.last = -1

    def __call__(self, done: int, total: int | None) -> None:
        total = total or self.total
        if not total:
            return
        percent = self.start + min(self.span, self.span * done // max(total, 1))
        if percent != self.last:
            self.last = percent
            _progress_put(self.key, percent)


# --- creating and confirming jobs --------------------------------------------------------------

def _enqueue(job_id: int) -> None:
    from bangfu.imports.tasks import job_run_task

    transaction.on_commit(lambda: job_run_task(job_id))


def import_job_create(*, actor: User, upload: UploadedFile, region_code: str, language: str = "") -> ImportJob:
    """Store an uploaded sheet and check it (a dry run): at once for a small file, else in the background.

    Raises PermissionDenied for a role that may not import, ValidationError for a file that is not
    a sheet by its name or too big, or an area outside the actor's scope."""
    require(actor, "household.import")
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError({"file": _("Choose an Excel (.xlsx, .xls) or CSV file.")})
    if not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than %(size)d MB.")
                               % {"size": settings.IMPORT_MAX_BYTES // (1024 * 1024)}})
    region = Region.objects.filter(code=region_code).first()
    if region is None or not region_in_scope(actor, region.code):
        raise ValidationError({"region": _("Choose an area within yours.")})
    with transaction.atomic():
        job = ImportJob.objects.create(
            owner=actor, kind=JobKind.IMPORT, region=region, file_name=name[:255], file_size=upload.size,
            language=language or translation.get_language() or settings.LANGUAGE_CODE,
        )
        folder = job_dir(job)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"upload{suffix}"
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job.upload_path = _relative(path)
        job.save(update_fields=["upload_path"])
    if upload.size <= settings.IMPORT_CHECK_INLINE_BYTES:
        job_run(job_id=job.pk)
    else:
        _enqueue(job.pk)
    job.refresh_from_db()
    return job


def import_job_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    """Queue the commit of a checked import with no errors. Confirming twice queues it once."""
    require(actor, "household.import")
    if job.owner_id != actor.pk or job.kind != JobKind.IMPORT:
        raise PermissionDenied("household.import")
    if job.committing:
        return job
    if not job.may_confirm:
        raise ValidationError(_("Only a checked file without errors can be imported."))
    claimed = ImportJob.objects.filter(
        pk=job.pk, status=JobStatus.CHECKED, confirmed_at__isnull=True, error_count=0,
    ).update(status=JobStatus.QUEUED, confirmed_at=timezone.now(), progress=0, finished_at=None)
    if claimed:
        _enqueue(job.pk)
    job.refresh_from_db()
    return job


def import_job_recheck(*, actor: User, job: ImportJob, add_villages: list[str]) -> ImportJob:
    """Check a checked import again, adding the chosen unknown village names ("township code:name",
    as the check listed them) as the township's own villages; the commit adds them the same way."""
    require(actor, "household.import")
    require(actor, "region.add")
    if job.owner_id != actor.pk or job.kind != JobKind.IMPORT:
        raise PermissionDenied("household.import")
    offered = {entry["key"] for entry in (job.result or {}).get("unknown_villages", [])}
    chosen = sorted(set(add_villages) & offered | set((job.options or {}).get("add_villages") or []))
    if not set(add_villages) & offered:
        raise ValidationError({"add_villages": _("Choose the villages to add.")})
    claimed = ImportJob.objects.filter(pk=job.pk, status=JobStatus.CHECKED, confirmed_at__isnull=True).update(
        status=JobStatus.QUEUED, options={**(job.options or {}), "add_villages": chosen}, progress=0,
        finished_at=None)
    if claimed:
        upload = job_file(job, job.upload_path)
        if upload is not None and upload.stat().st_size <= settings.IMPORT_CHECK_INLINE_BYTES:
            job_run(job_id=job.pk)
        else:
            _enqueue(job.pk)
    job.refresh_from_db()
    return job


def export_job_create(
    *, actor: User, kind: str, filters: HouseholdFilter, full: bool = False, title: str = "", total: int | None = None,
    language: str = "",
) -> ImportJob:
    """Queue an export of the households the actor sees (as `filters` narrow them) to a file."""
    require(actor, "household.view")
    if kind not in (JobKind.EXPORT, JobKind.NOTICE):
        raise ValueError(f"not an export: {kind!r}")
    if full:
        if kind != JobKind.EXPORT:
            raise ValueError("a public notice never holds ID numbers")
        require(actor, "member.reveal_id")
    job = ImportJob.objects.create(
        owner=actor, kind=kind, total=total,
        options={"filters": filters.as_params(), "full": full, "title": title},
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
    )
    _enqueue(job.pk)
    return job


# --- running a job -----------------------------------------------------------------------------

def jobs_stale_fail(*, owner: User | None = None) -> int:
    """Mark failed the jobs (of `owner`, or everyone's) still running settings.JOB_STALE_SECONDS
    after they started: their worker was stopped before it could say how they ended, and their
    page would poll forever. An import commits in one transaction, so such a job wrote nothing;
    should it finish after all, its own result replaces this. Returns how many were marked."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
    stale = ImportJob.objects.filter(status=JobStatus.RUNNING, started_at__lt=cutoff)
    if owner is not None:
        stale = stale.filter(owner=owner)
    count = 0
    for pk, language in stale.values_list("pk", "language"):
        with translation.override(language or settings.LANGUAGE_CODE):
            message = _("The job stopped without finishing (its worker was stopped); nothing was written. "
                        "Try again.")
        count += ImportJob.objects.filter(pk=pk, status=JobStatus.RUNNING, started_at__lt=cutoff).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), message=message)
    return count


def job_run(*, job_id: int, retries_left: int = 0) -> None:
    """Do a queued job's work: an import's dry run or commit, or an export. A job that is not queued
    (already taken, done, or gone) is left alone, so running this twice does the work once."""
    jobs_stale_fail()
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=0,
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("owner", "region").get(pk=job_id)
    key = _progress_key(job)
    _progress_put(key, 0)
    with translation.override(job.language or settings.LANGUAGE_CODE), requestid.bound():
        try:
            if job.kind == JobKind.IMPORT:
                fields = _run_import(job)
            else:
                fields = _run_export(job)
        except FileError as error:
            fields = _failed(str(error.message))
        except PermissionDenied:
            fields = _failed(_("You may not do this (any more)."))
        except ValidationError as error:
            fields = _failed(" ".join(error.messages))
        except Exception:
            logger.exception("job %s stopped", job_id)
            if retries_left > 0:
                ImportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(status=JobStatus.QUEUED)
                raise  # the task queue runs it again
            fields = _failed(_("The job stopped on an unexpected error; nothing was written. Try again, "
                               "or tell the administrator the job number."))
    fields.setdefault("finished_at", timezone.now())
    ImportJob.objects.filter(pk=job_id).update(**fields)
    _progress_put(key, None)


def _failed(message: str) -> dict:
    return {"status": JobStatus.FAILED, "message": message[:500]}


def _import_summary(result: ImportResult) -> dict:
    return {
        "rows": result.rows,
        "skipped_rows": result.skipped_rows,
        "households": asdict(result.households),
        "members": asdict(result.members),
        "error_rows": result.error_rows,
        "stopped_at": result.stopped_at,
        "unknown_columns": list(result.unknown_columns),
        "duplicate_columns": list(result.duplicate_columns),
        "villages_created": [list(pair) for pair in result.villages_created],
        "villages_loaded": [list(pair) for pair in result.villages_loaded],
        # As the page offers them to add: "township code:name", with the township's name and rows.
        "unknown_villages": [
            {"key": f"{township}:{name}", "township": township, "name": name, "rows": rows}
            for (township, name), rows in result.unknown_villages.items()
        ],
        "unknown_groups": dict(result.unknown_groups),
        "sheet": result.sheet,
        "header_row": result.header_row,
    }


def _run_import(job: ImportJob) -> dict:
    upload = job_file(job, job.upload_path)
    if upload is None:
        return _failed(_("The uploaded file is no longer kept; upload it again."))
    dry_run = not job.committing
    result = households_import(
        actor=job.owner, source=upload, region_code=job.region_id, dry_run=dry_run,
        progress=_Progress(job, span=90), file_name=job.file_name,
        add_villages=(job.options or {}).get("add_villages") or False,
    )
    report_path = ""
    if result.errors:
        # The sheet again, with an error column and the rows in error highlighted.
        _progress_put(_progress_key(job), 95)
        path = job_dir(job) / ("report.xlsx" if dry_run else "report-commit.xlsx")
        import_report_write(table=open_table(upload), result=result, out=path)
        report_path = _relative(path)
    if dry_run:
        status = JobStatus.CHECKED
    else:
        status = JobStatus.DONE if result.committed else JobStatus.FAILED
    return {
        "status": status,
        "progress": 100,
        "result": _import_summary(result),
        "error_count": len(result.errors),
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors[:KEPT_ERRORS]],
        "report_path": report_path,
        "request_id": result.request_id,
        "message": "" if result.ok else _("Nothing was written."),
    }


def _run_export(job: ImportJob) -> dict:
    options = job.options or {}
    flt = HouseholdFilter(**_filter_kwargs(options.get("filters") or {}))
    path = job_dir(job)
    path.mkdir(parents=True, exist_ok=True)
    path = path / "export.xlsx"
    if job.kind == JobKind.NOTICE:
        result = households_notice_export(actor=job.owner, out=path, filters=flt, title=options.get("title") or "")
    else:
        result = households_export(actor=job.owner, out=path, filters=flt, full=bool(options.get("full")),
                                   progress=_Progress(job, total=job.total))
    return {
        "status": JobStatus.DONE,
        "progress": 100,
        "result": {"households": result.households, "members": result.members, "full": result.full},
        "report_path": _relative(path),
    }


def _filter_kwargs(params: dict) -> dict:
    kwargs = {key: str(params.get(key) or "") for key in ("q", "village", "category", "status", "request_id")}
    caseworker = params.get("caseworker")
    kwargs["caseworker"] = int(caseworker) if str(caseworker or "").isdigit() else None
    return kwargs


# --- housekeeping ------------------------------------------------------------------------------

def job_files_purge(*, days: int | None = None) -> int:
    """Delete the files of jobs finished more than `days` ago (settings.JOB_FILES_DAYS): they hold
    personal data. The jobs stay, as a record; returns how many jobs lost their files."""
    days = settings.JOB_FILES_DAYS if days is None else days
    cutoff = timezone.now() - dt.timedelta(days=days)
    old = ImportJob.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exclude(upload_path="", report_path="")
    count = 0
    for job in old.only("pk", "upload_path", "report_path"):
        shutil.rmtree(job_dir(job), ignore_errors=True)
        ImportJob.objects.filter(pk=job.pk).update(upload_path="", report_path="")
        count += 1
    return count

