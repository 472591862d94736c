"""Project pages: the list of the area's projects, applying for one, a project's page (its stages,
notices, targets, money and ledger), each step's form, a payment, and the printed card and notices."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bangfu.core.dates import local_today
from bangfu.core.forms import attach_errors
from bangfu.core.permissions import PermissionDenied, can, require
from bangfu.households.models import Household
from bangfu.projects import queries, services
from bangfu.projects.forms import DeadlinesForm, PaymentForm, ProjectForm, StepForm
from bangfu.projects.models import NOTICE_STAGES, Stage
from bangfu.regions.models import Region

GET_POST = require_http_methods(["GET", "POST"])


def _stages(project) -> list[dict]:
    reached = Stage.values.index(project.stage)
    return [{"value": s.value, "label": s.label, "done": i < reached, "current": i == reached}
            for i, s in enumerate(Stage)]


@login_required
@require_http_methods(["GET"])
def project_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.view")
    stage = request.GET.get("stage", "")
    stage = stage if stage in Stage.values else ""
    rows = list(queries.projects_list(request.user, stage=stage)[:200])
    return render(request, "projects/project_list.html", {
        "rows": rows, "today": local_today(), "stage": stage, "stages": Stage.choices,
        "may_create": can(request.user, "project.create"),
    })


def bind_project(form: ProjectForm, user):
    """The cleaned form as the service's arguments, or None with the form's errors."""
    data = form.cleaned_data
    region = Region.objects.filter(code=data["region"]).first()
    villages = list(Region.objects.filter(code__in=data["villages"]).order_by("code"))
    numbers = data["households"]
    found = {h.number: h for h in Household.objects.visible_to(user).filter(number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        form.add_error("households", _("No household numbered %(numbers)s in your area.") % {
            "numbers": "、".join(missing[:5])})
        return None
    return {
        "name": data["name"], "type": data["type"], "region": region, "villages": villages, "budget": form.budget(),
        "meeting_date": data["meeting_date"], "meeting_attendance": data["meeting_attendance"],
        "meeting_decision": data["meeting_decision"], "client_id": data["client_id"],
        "description": data["description"], "households": [found[n] for n in numbers],
        "benefit_households": data["benefit_households"] or 0, "benefit_persons": data["benefit_persons"] or 0,
        "benefit_note": data["benefit_note"], "targets": data["targets"],
    }


@login_required
@GET_POST
def project_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "project.create")
    applying, villages = queries.regions_for(request.user)
    form = ProjectForm(request.POST if request.method == "POST" else None, regions=applying, villages=villages,
                       initial={"region": request.user.region_id or ""})
    if request.method == "POST" and form.is_valid():
        arguments = bind_project(form, request.user)
        if arguments is not None:
            try:
                project, _created = services.project_create(actor=request.user, **arguments)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, _("The project is applied for: post its village notice next."))
                return redirect("projects:detail", project.pk)
    return render(request, "projects/project_form.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "project.view")
    project = queries.project_get(request.user, pk)
    may_pay = can(request.user, "project.pay") and project.stage not in (Stage.PROPOSED, Stage.VILLAGE_NOTICE,
                                                                         Stage.TOWNSHIP_REVIEWED, Stage.COUNTY_APPROVED)
    return render(request, "projects/project_detail.html", {
        "project": project, "stages": _stages(project), "steps": services.steps_open(project, request.user),
        "money": queries.money(project), "ledger": list(queries.ledger(project)), "may_pay": may_pay,
        "overdue": project.is_overdue(local_today()), "villages": [r.region for r in project.village_rows.all()],
        "notice_stages": NOTICE_STAGES,
    })


@login_required
@GET_POST
def project_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    require(request.user, "project.view")
    project = queries.project_get(request.user, pk)
    step = services.STEPS.get(action)
    if step is None:
        raise Http404("no such step")
    if not services.step_allowed_roles(step, request.user):
        raise PermissionDenied(step.permission)
    form = StepForm(request.POST if request.method == "POST" else None, action=action,
                    initial={"version": project.version})
    refused = ""
    status = 200
    if project.stage != step.before:
        refused = _("This project is at “%(stage)s”: “%(step)s” is taken at “%(before)s”.") % {
            "stage": project.get_stage_display(), "step": step.label, "before": step.before.label}
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.project_step(project=project, action=action, actor=request.user, data=data,
                                  version=data.get("version"))
        except ValidationError as error:
            attach_errors(error, form)
        except services.StepRefused as error:
            refused, status = error.message, 409
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": step.label})
            return redirect("projects:detail", project.pk)
    return render(request, "projects/step.html", {
        "project": project, "step": step, "form": form, "refused": refused,
        "deadlines": services.deadlines_of(project.region_code),
    }, status=status)


@login_required
@GET_POST
def payment_create(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "project.view")
    project = queries.project_get(request.user, pk)
    require(request.user, "project.pay")
    form = PaymentForm(request.POST if request.method == "POST" else None, initial={"day": local_today()})
    refused, status = "", 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.payment_create(project=project, source=data["source"], amount_fen=data["amount"],
                                    day=data["day"], payee=data["payee"], note=data["note"],
                                    client_id=data["client_id"], actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        except services.StepRefused as error:
            refused, status = error.message, 409
        else:
            messages.success(request, _("The payment is recorded."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/payment.html", {
        "project": project, "form": form, "refused": refused, "money": queries.money(project),
    }, status=status)


@login_required
@require_http_methods(["GET"])
def project_card(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "project.view")
    project = queries.project_get(request.user, pk)
    return render(request, "projects/card.html", {
        "project": project, "money": queries.money(project), "villages": [r.region for r in project.village_rows.all()],
        "payments": list(queries.payments(project)), "today": local_today(),
    })


@login_required
@require_http_methods(["GET"])
def notice_print(request: HttpRequest, pk: int, stage: str) -> HttpResponse:
    """The 公示 of a stage as posted on the notice board: the notice's dates when it is posted, or a
    draft to post with the county's days."""
    require(request.user, "project.view")
    project = queries.project_get(request.user, pk)
    if stage not in NOTICE_STAGES:
        raise Http404("no such notice")
    notice = project.notices.filter(stage=stage).order_by("-start", "-pk").first()
    start = notice.start if notice else local_today()
    end = notice.end if notice else services.notice_end(start, services.deadlines_of(project.region_code)["notice_days"])
    return render(request, "projects/notice_print.html", {
        "project": project, "notice": notice, "stage_label": Stage(stage).label, "self_check": stage == Stage.SELF_CHECKED,
        "start": start, "end": end, "days": (end - start + dt.timedelta(days=1)).days, "money": queries.money(project),
        "villages": [r.region for r in project.village_rows.all()],
    })


@login_required
@GET_POST
def deadlines(request: HttpRequest) -> HttpResponse:
    """A county's deadlines: the notice days, the days of each stage, the start-by day."""
    require(request.user, "project.settings")
    counties = queries.counties_for(request.user)
    chosen = request.POST.get("county") or request.GET.get("county") or (counties[0].code if counties else "")
    current = services.deadlines_of(chosen) if chosen else {}
    form = DeadlinesForm(request.POST if request.method == "POST" else None, counties=counties,
                         initial={"county": chosen, **current})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        county = next(c for c in counties if c.code == data["county"])
        try:
            services.deadlines_set(county=county, notice_days=data["notice_days"], stage_days=data["stage_days"],
                                   start_by_month=data["start_by_month"], start_by_day=data["start_by_day"],
                                   actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("The deadlines are saved; each project's next stage follows them."))
            return redirect("projects:list")
    return render(request, "projects/deadlines.html", {"form": form})
