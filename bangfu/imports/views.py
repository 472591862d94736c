"""Import and export pages: upload and preview, confirm, a job's progress and result, downloads, the
template, and the household list's export. Thin: parse the request, call a job service or query, render."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangfu.core.dates import local_today
from bangfu.core.forms import attach_errors
from bangfu.core.htmx import render_page
from bangfu.core.permissions import require
from bangfu.households import choices
from bangfu.households.queries import households_filtered
from bangfu.imports import jobs, queries
from bangfu.imports.models import ImportJob, JobKind, JobStatus
from bangfu.imports.pageforms import ExportForm, UploadForm
from bangfu.imports.services import RowError, households_export, households_notice_export, import_template_write

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content, filename: str) -> FileResponse:
    response = FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "no-store"  # personal data: no copy in a shared cache
    return response


def _today() -> str:
    return local_today().strftime("%Y%m%d")


# --- upload and the jobs -----------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.import")
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_job_create(actor=request.user, upload=form.cleaned_data["file"],
                                         region_code=form.cleaned_data["region"], language=request.LANGUAGE_CODE)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            return redirect("imports:job", job.pk)
    jobs.jobs_stale_fail(owner=request.user)
    return render(request, "imports/upload.html", {
        "form": form,
        "jobs": list(queries.jobs_of(request.user, limit=10)),
        "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024),
    })


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    # Imports and exports alike (an export is anyone's who may see households).
    require(request.user, "household.view")
    jobs.jobs_stale_fail(owner=request.user)
    return render(request, "imports/jobs.html", {
        "jobs": list(queries.jobs_of(request.user, limit=50)), "days": settings.JOB_FILES_DAYS,
    })


def _errors(job: ImportJob) -> list[str]:
    return [str(RowError(row=e.get("row"), column=e.get("column") or "", message=e.get("message") or ""))
            for e in job.errors]


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "household.view")
    job = queries.job_get(request.user, pk)
    if job.status == JobStatus.RUNNING and jobs.jobs_stale_fail(owner=request.user):
        job.refresh_from_db()
    result = job.result or {}
    changed = sum(result.get(part, {}).get(kind, 0) for part in ("households", "members")
                  for kind in ("created", "updated")) if job.is_import else 0
    context = {
        "job": job,
        "progress": jobs.job_progress(job),
        "result": result,
        "errors": _errors(job),
        "more_errors": max(job.error_count - len(job.errors), 0),
        "has_report": jobs.job_file(job, job.report_path) is not None,
        "changed": changed,
        "list_url": f"{reverse('households:list')}?request_id={job.request_id}" if job.request_id else "",
        # A queued job nobody picks up: the task consumer is not running.
        "waiting_long": job.status == JobStatus.QUEUED
        and (timezone.now() - (job.confirmed_at or job.created_at)).total_seconds() > 30,
    }
    response = render_page(request, "imports/job.html", context, partial="job")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "household.import")
    job = queries.job_get(request.user, pk)
    try:
        jobs.import_job_confirm(actor=request.user, job=job)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("imports:job", job.pk)


@login_required
@require_POST
def job_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    """Check again, adding the ticked unknown village names as the township's own villages."""
    require(request.user, "household.import")
    job = queries.job_get(request.user, pk)
    try:
        jobs.import_job_recheck(actor=request.user, job=job, add_villages=request.POST.getlist("add_villages"))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("imports:job", job.pk)


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's error report, or its export: to its owner only (job_get is a 404 for anyone else)."""
    require(request.user, "household.view")
    job = queries.job_get(request.user, pk)
    path = jobs.job_file(job, job.report_path)
    if path is None:
        raise Http404("no file")
    if job.kind == JobKind.IMPORT:
        filename = _("%(name)s - errors") % {"name": Path(job.file_name).stem or _("import")} + ".xlsx"
    elif job.kind == JobKind.NOTICE:
        filename = f"{job.options.get('title') or _('Public notice')}-{job.created_at:%Y%m%d}.xlsx"
    else:
        filename = f"{_('Households')}-{job.created_at:%Y%m%d}.xlsx"
    return _xlsx(open(path, "rb"), filename)  # noqa: SIM115 - FileResponse closes it


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.view")
    out = io.BytesIO()
    import_template_write(out=out)
    out.seek(0)
    return _xlsx(out, _("Import template") + ".xlsx")


# --- export from the household list ------------------------------------------------------------

def _notice_title(category: str) -> str:
    label = dict(choices.Category.choices).get(category or choices.Category.MONITORED, "")
    return _("Public notice: %(category)s") % {"category": label}


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """The household list as filtered: at once for a short list, as a background job for a long one."""
    require(request.user, "household.view")
    form = ExportForm(request.POST)
    flt = form.household_filter()
    kind = form.export_kind
    full = kind == JobKind.EXPORT and bool(form.cleaned_data.get("full"))
    if full:
        require(request.user, "member.reveal_id")
    title = ""
    if kind == JobKind.NOTICE:
        flt.category = flt.category or choices.Category.MONITORED
        title = _notice_title(flt.category)
    limit = settings.EXPORT_INLINE_HOUSEHOLDS
    count = households_filtered(request.user, flt)[: limit + 1].count()
    if count > limit:
        job = jobs.export_job_create(actor=request.user, kind=kind, filters=flt, full=full, title=title,
                                     total=households_filtered(request.user, flt).count(),
                                     language=request.LANGUAGE_CODE)
        return redirect("imports:job", job.pk)
    out = io.BytesIO()
    if kind == JobKind.NOTICE:
        households_notice_export(actor=request.user, out=out, filters=flt, title=title)
        filename = f"{title}-{_today()}.xlsx"
    else:
        households_export(actor=request.user, out=out, filters=flt, full=full)
        filename = f"{_('Households')}-{_today()}.xlsx"
    out.seek(0)
    return _xlsx(out, filename)
