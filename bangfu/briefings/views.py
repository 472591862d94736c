"""The prints' pages (thin): one household's file, a village's files in the background, the
village's 公示 as PDF; and the briefing's pages (briefing_views.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from bangfu.briefings import queries, services, sheets
from bangfu.briefings.fonts import print_fonts
from bangfu.briefings.pdf import render_pdf
from bangfu.briefings.prints import household_files_document, notice_document
from bangfu.core.permissions import require
from bangfu.monitoring import exports as notice_exports
from bangfu.monitoring import queries as monitoring_queries
from bangfu.projects import queries as project_queries
from bangfu.work.welfare_models import Payroll

PDF = "application/pdf"


def pdf_response(request: HttpRequest, document, filename: str) -> HttpResponse:
    """The document as a PDF download, or the page that says no CJK font is installed."""
    fonts = print_fonts()
    if fonts is None:
        return no_font(request)
    response = HttpResponse(render_pdf(document, fonts), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def no_font(request: HttpRequest) -> HttpResponse:
    return render(request, "briefings/no_font.html", status=503)


@login_required
@require_http_methods(["GET"])
def prints(request: HttpRequest) -> HttpResponse:
    """What can be printed for a village: its households' files, its 公示; the user's print jobs."""
    require(request.user, "print.village")
    villages = queries.villages_for(request.user)
    code = request.GET.get("village") or (villages[0].code if len(villages) == 1 else "")
    village = queries.village_get(request.user, code) if code else None
    return render(request, "briefings/prints.html", {
        "villages": villages, "village": village, "jobs": queries.print_jobs_of(request.user),
        "fonts": print_fonts(),
        "households": queries.village_households(request.user, village.code).count() if village else 0,
    })


@login_required
@require_http_methods(["GET"])
def household_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "print.household")
    household = queries.household_file_get(request.user, pk)
    document = household_files_document([household], policies_of=queries.policy_names)
    return pdf_response(request, document, f"household-{household.number}.pdf")


@login_required
@require_http_methods(["POST"])
def village_files(request: HttpRequest, code: str) -> HttpResponse:
    if print_fonts() is None:
        require(request.user, "print.village")
        return no_font(request)
    job = services.print_job_create(actor=request.user, village_code=code)
    return redirect("briefings:job", pk=job.pk)


@login_required
@require_http_methods(["GET"])
def job(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "print.village")
    found = queries.print_job_get(request.user, pk)
    context = {"job": found, "village": queries.area_get(request.user, found.region_code)}
    if request.htmx:
        return render(request, "briefings/job.html#job", context)
    return render(request, "briefings/job.html", context)


@login_required
@require_http_methods(["GET"])
def job_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "print.village")
    path = queries.print_job_file(queries.print_job_get(request.user, pk))
    if path is None:
        raise Http404("not printed yet")
    response = FileResponse(open(path, "rb"), content_type=PDF, as_attachment=True,
                            filename=f"households-{pk}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET"])
def notice_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The village's 公示 list: the same rows as its sheet (no ID numbers, phones, bank accounts or
    health details)."""
    require(request.user, "print.notice")
    village, leads = monitoring_queries.notice_list(request.user, code)
    return pdf_response(request, notice_document(village, notice_exports.notice_rows(leads)),
                        f"notice-{village.code}.pdf")


@login_required
@require_http_methods(["GET"])
def payroll_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A welfare-post payroll's 发放表 (`pay`) or 考勤表 (`attendance`) as PDF."""
    require(request.user, "welfare.view")
    payroll = Payroll.objects.visible_to(request.user).select_related("region", "approved_by").filter(pk=pk).first()
    if payroll is None or kind not in ("pay", "attendance"):
        raise Http404("no such payroll")
    document = sheets.pay_sheet_document(payroll=payroll, actor=request.user) if kind == "pay" \
        else sheets.attendance_document(payroll=payroll)
    return pdf_response(request, document, f"welfare-{kind}-{payroll.pk}.pdf")


@login_required
@require_http_methods(["GET"])
def project_notice_pdf(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """A project stage's 公示 (application, self-check) as PDF."""
    require(request.user, "project.view")
    project = project_queries.project_get(request.user, pk)
    if not sheets.notice_stage_valid(stage):
        raise Http404("no such notice")
    return pdf_response(request, sheets.project_notice_document(project=project, stage=stage),
                        f"project-{project.pk}-{stage}.pdf")
