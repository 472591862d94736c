"""The briefing's pages (thin): generate an issue, read it and download it (.docx, PDF), and the
area's template editor."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from bangfu.briefings import defaults, queries, services
from bangfu.briefings.briefing import briefing_document, briefing_title
from bangfu.briefings.docx import render_docx
from bangfu.briefings.figures import known_keys
from bangfu.briefings.forms import BriefingForm, TemplateForm
from bangfu.briefings.views import pdf_response
from bangfu.core.dates import local_today
from bangfu.core.forms import attach_errors
from bangfu.core.permissions import require

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_http_methods(["GET", "POST"])
def briefings(request: HttpRequest) -> HttpResponse:
    require(request.user, "briefing.generate")
    areas = queries.briefing_areas(request.user)
    today = local_today()
    form = BriefingForm(request.POST or None, areas=areas,
                        initial={"start": today.replace(day=1), "end": today, "region": areas[0].code if areas else ""})
    if request.method == "POST" and form.is_valid():
        try:
            briefing = services.briefing_generate(actor=request.user, region_code=form.cleaned_data["region"],
                                                  start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        except ValidationError as error:
            attach_errors(error, form)
        else:
            return redirect("briefings:briefing", pk=briefing.pk)
    return render(request, "briefings/briefings.html", {
        "form": form, "briefings": list(queries.briefings_visible(request.user)[:50]),
    })


@login_required
@require_http_methods(["GET"])
def briefing(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "briefing.generate")
    found = queries.briefing_get(request.user, pk)
    return render(request, "briefings/briefing.html", {"briefing": found, "title": briefing_title(found)})


@login_required
@require_http_methods(["GET"])
def briefing_docx(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "briefing.generate")
    found = queries.briefing_get(request.user, pk)
    response = HttpResponse(render_docx(briefing_document(found)), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="briefing-{found.region_code}-{found.year}-{found.number}.docx"'
    return response


@login_required
@require_http_methods(["GET"])
def briefing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "briefing.generate")
    found = queries.briefing_get(request.user, pk)
    return pdf_response(request, briefing_document(found), f"briefing-{found.region_code}-{found.year}-{found.number}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest) -> HttpResponse:
    """The area's template: the user's own area, or the one chosen (an administrator's)."""
    require(request.user, "briefing.template_edit")
    areas = queries.briefing_areas(request.user)
    code = request.GET.get("region") or (areas[0].code if areas else "")
    region = queries.area_get(request.user, code)
    template = queries.template_for(region)
    initial = {"name": template.name if template else defaults.default_name(region),
               "unit": template.unit if template else defaults.default_unit(region)}
    texts = {**defaults.TEXTS, **(template.sections if template else {})}
    initial.update({f"section_{key}": text for key, text in texts.items()})
    form = TemplateForm(request.POST or None, initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            services.template_save(actor=request.user, region=region, name=form.cleaned_data["name"],
                                   unit=form.cleaned_data["unit"], sections=form.sections())
        except ValidationError as error:
            attach_errors(error, form)
        else:
            saved = True
    return render(request, "briefings/template.html", {
        "form": form, "region": region, "areas": areas, "saved": saved, "keys": sorted(known_keys().items()),
    })
