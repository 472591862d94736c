"""Monitoring pages: the board of leads by stage and age, recording a lead, a lead's page and its
steps, a department's drop and its outcomes, the village's public notice (print and sheet), the
township's public application form (no login) with its QR code, and the county's settings.
Thin: parse the request, call a query or a service, render."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bangfu.core.codes import Level, prefix_q
from bangfu.core.dates import local_today
from bangfu.core.forms import attach_errors
from bangfu.core.outbox import outbox_errors, outbox_form
from bangfu.core.permissions import Role, can, require
from bangfu.households import identity
from bangfu.households import queries as household_queries
from bangfu.monitoring import exports, queries, services
from bangfu.monitoring.drops import drop_rows
from bangfu.monitoring.forms import (
    CLEARANCE_STEP_FIELDS,
    STEP_FIELDS,
    ClearanceStartForm,
    ClearanceStepForm,
    DropForm,
    LeadForm,
    MeasureForm,
    MeasureStatusForm,
    PublicApplicationForm,
    SettingsForm,
    StepForm,
)
from bangfu.monitoring.models import Lead, MeasureStatus, MonitoringSettings, Source
from bangfu.needs.models import Need
from bangfu.regions.models import Region

GET_POST = require_http_methods(["GET", "POST"])
# The public form: this many submissions per address and hour, then a polite refusal.
APPLY_PER_HOUR = 5
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form_data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET"])
def board(request: HttpRequest) -> HttpResponse:
    require(request.user, "lead.view")
    village = request.GET.get("village", "")[:15]
    context = queries.board(request.user, village=village)
    villages = Region.objects.filter(level=Level.VILLAGE)
    if request.user.role != Role.ADMIN:
        villages = villages.filter(prefix_q("code", request.user.region_id or "-"))
    context.update(closed=queries.closed_leads(request.user), villages=villages.order_by("code")[:200],
                   village=village, drops=queries.drops(request.user, limit=5) if can(request.user, "lead.import") else [],
                   township=_township_of_user(request.user))
    return render(request, "monitoring/board.html", context)


def _township_of_user(user) -> Region | None:
    if user.region_id and len(user.region_id) >= 9:
        return Region.objects.filter(code=user.region_id[:9]).first()
    return None


def _row_id(text) -> int:
    """A row id from a query parameter; 0 (found nowhere) for anything else."""
    text = str(text)
    return int(text) if text.isdigit() and len(text) < 19 else 0


@outbox_form
@login_required
@GET_POST
def lead_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "lead.create")
    need = None
    need_id = request.GET.get("need") or request.POST.get("need")
    if need_id:
        need = Need.objects.visible_to(request.user).select_related("household").filter(
            pk=_row_id(need_id)).first()
        if need is None:
            raise Http404("no such need")
    household = None
    household_id = request.GET.get("household") or request.POST.get("household")
    if household_id and need is None:
        household = household_queries.household_get(
            request.user, _row_id(household_id))
    initial = {}
    if household is not None:
        initial = {"source": Source.CADRE, "village": household.region_id}
    if need is not None:
        initial = {"source": Source.CADRE, "channel": "need", "indicator": need.get_category_display(),
                   "difficulty": need.description, "village": need.household.region_id}
    form = LeadForm(_form_data(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lead, created = services.lead_create(
                actor=request.user, client_id=data["client_id"], source=data["source"], channel=data["channel"],
                village=data["village"] or (need.household.region if need else household.region if household else None),
                household=household or (need.household if need is not None and not data["id_number"] else None),
                name=data["name"], id_number=data["id_number"], phone=data["phone"], indicator=data["indicator"],
                value=data["value"], difficulty=data["difficulty"], received_on=data["received_on"], need=need,
                source_note=_("Need %(id)s") % {"id": need.pk} if need else "")
        except ValidationError as error:
            attach_errors(error, form)
        else:
            if created:
                messages.success(request, _("The lead is recorded."))
            return redirect("monitoring:detail", lead.pk)
    outbox_errors(request, form)
    return render(request, "monitoring/lead_form.html", {"form": form, "need": need, "household": household})


def _lead_context(request: HttpRequest, lead: Lead) -> dict:
    return {
        "lead": lead, "colour": services.colour(lead), "overdue": services.is_overdue(lead),
        "actions": [(name, services.ACTIONS[name]) for name in services.allowed_actions(lead, request.user)],
        "steps": [(step, services.ACTIONS.get(step.action, step.action))
                  for step in lead.steps.select_related("taken_by")],
        "id_masked": f"{'*' * 16}{lead.id_tail}" if lead.id_tail else "",
        "phone_masked": f"*******{lead.phone_tail}" if lead.phone_tail else "",
        "income_yuan": None if lead.income_per_person_fen is None else lead.income_per_person_fen / 100,
    }


@login_required
@require_http_methods(["GET"])
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "lead.view")
    lead = queries.lead_get(request.user, pk)
    return render(request, "monitoring/detail.html", _lead_context(request, lead))


@outbox_form
@login_required
@GET_POST
def lead_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in services.ACTIONS:
        raise Http404("no such step")
    require(request.user, f"lead.{action}")
    lead = queries.lead_get(request.user, pk)
    form = StepForm(_form_data(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.lead_step(lead=lead, actor=request.user, action=action, data=form.step_data())
        except ValidationError as error:
            attach_errors(error, form)
            status = 422
        except services.StepNotAllowed as error:
            messages.error(request, error.message)
            return redirect("monitoring:detail", lead.pk)
        else:
            messages.success(request, _("Step recorded: %(step)s.") % {"step": services.ACTIONS[action]})
            return redirect("monitoring:detail", lead.pk)
    fields = [form[name] for name in STEP_FIELDS[action]]
    context = _lead_context(request, lead) | {"form": form, "fields": fields, "action": action,
                                               "action_label": services.ACTIONS[action]}
    outbox_errors(request, form)
    return render(request, "monitoring/step.html", context, status=status)


# --- department drops ----------------------------------------------------------------------------

@login_required
@GET_POST
def drop_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, "lead.import")
    form = DropForm(_form_data(request), request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        department = form.cleaned_data["department"]
        upload = form.cleaned_data["file"]
        rows, errors = drop_rows(upload, department)
        if not errors and not rows:
            form.add_error("file", _("The file has no rows."))
        elif not errors:
            drop = services.drop_import(actor=request.user, department=department, rows=rows, file_name=upload.name)
            messages.success(request, _("%(leads)d leads from %(rows)d rows.") % {"leads": drop.lead_count,
                                                                               "rows": drop.row_count})
            return redirect("monitoring:drop", drop.pk)
    return render(request, "monitoring/drop_upload.html", {"form": form, "errors": errors},
                  status=422 if errors else 200)


@login_required
@require_http_methods(["GET"])
def drop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "lead.import")
    drop = queries.drop_get(request.user, pk)
    return render(request, "monitoring/drop.html", {"drop": drop, "outcomes": queries.drop_outcomes(drop),
                                                    "labels": exports.RESULT_LABELS})


@login_required
@require_http_methods(["GET"])
def drop_export(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "lead.import")
    drop = queries.drop_get(request.user, pk)
    response = HttpResponse(exports.outcomes_xlsx(drop, queries.drop_outcomes(drop)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="drop-{drop.pk}-outcomes.xlsx"'
    return response


# --- the village's public notice -----------------------------------------------------------------

@login_required
@require_http_methods(["GET"])
def notice_print(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "lead.view")
    village, leads = queries.notice_list(request.user, code)
    return render(request, "monitoring/notice_print.html", {
        "village": village, "rows": exports.notice_rows(leads), "columns": exports.NOTICE_COLUMNS,
        "today": local_today(), "leads": leads})


@login_required
@require_http_methods(["GET"])
def notice_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    require(request.user, "lead.view")
    village, leads = queries.notice_list(request.user, code)
    response = HttpResponse(exports.notice_xlsx(village, leads), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="notice-{village.code}.xlsx"'
    return response


# --- the public application form -----------------------------------------------------------------

def _township(code: str) -> Region:
    township = Region.objects.filter(code=code, level=Level.TOWNSHIP).first()
    if township is None:
        raise Http404("no such township")
    return township


@login_required
@require_http_methods(["GET"])
def apply_qr(request: HttpRequest, code: str) -> HttpResponse:
    """An A4 page for the office: the township's QR code and link to the public form."""
    require(request.user, "lead.view")
    township = _township(code)
    if not services._region_in_scope(request.user, township.code) and \
            not (request.user.region_id or "-").startswith(township.code[:6]):
        raise Http404("no such township")
    url = request.build_absolute_uri(reverse("monitoring:apply", args=[township.code]))
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2)
    return render(request, "monitoring/apply_qr.html", {"township": township, "url": url, "svg": svg})


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


@GET_POST
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """The public form: no login, CSRF-protected, a few submissions per address and hour; every
    accepted submission answers the same thank-you page, whatever the registry holds."""
    township = _township(code)
    form = PublicApplicationForm(_form_data(request), township=township)
    if request.method == "POST":
        key = f"monitoring-apply:{_client_address(request)}"
        cache.add(key, 0, timeout=3600)
        try:
            tries = cache.incr(key)
        except ValueError:
            tries = 1
        if tries > APPLY_PER_HOUR:
            return render(request, "monitoring/apply_throttled.html", {"township": township}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.lead_apply_public(township=township, village=data["village"], name=data["name"],
                                           id_number=data["id_number"], phone=data["phone"],
                                           difficulty=data["difficulty"])
            except (ValidationError, identity.IdentityError):
                pass  # the same answer whatever: nothing is told about anyone
            return redirect("monitoring:thanks", township.code)
    return render(request, "monitoring/apply.html", {"form": form, "township": township})


@require_http_methods(["GET"])
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "monitoring/thanks.html", {"township": _township(code)})


# --- settings ------------------------------------------------------------------------------------

@login_required
@GET_POST
def settings_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "monitoring.settings")
    county = Region.objects.filter(code=(request.user.region_id or "")[:6], level=Level.COUNTY).first()
    if county is None:
        raise Http404("no county")
    limits = services.limits_for(county.code)
    initial = {name: getattr(limits, name) for name in SettingsForm.base_fields}
    form = SettingsForm(_form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_set(actor=request.user, county=county, data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("monitoring:settings")
    return render(request, "monitoring/settings.html", {"form": form, "county": county,
                                                        "saved": MonitoringSettings.objects.filter(county=county).first()})


# --- the plan per household, risk clearance, rule flags ---------------------------------------------

def _plan_context(request: HttpRequest, household_id: int, *, form=None, start_form=None) -> dict:
    from bangfu.needs.queries import owner_choices

    context = queries.plan_of(request.user, household_id)
    household = context["household"]
    owners = owner_choices(household.region_code)
    context.update(
        form=form or MeasureForm(owners=owners), start_form=start_form or ClearanceStartForm(),
        monitored=services.is_monitored(household), status_choices=MeasureStatus.choices,
        refusals=services.clearance_refusals(household),
        open_clearance=next((c for c in context["clearances"] if c.is_open), None),
        flags=queries.flags_of(request.user, household.pk))
    for clearance in context["clearances"]:
        clearance.actions = [(name, services.CLEARANCE_ACTIONS[name])
                             for name in services.allowed_clearance_actions(clearance, request.user)]
    return context


@login_required
@require_http_methods(["GET"])
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """A monitored household's plan (一户一策): measures by type with owner, due date and status, its
    needs, its clearance and the rules flagging it."""
    require(request.user, "plan.view")
    return render(request, "monitoring/plan.html", _plan_context(request, pk))


@login_required
@require_http_methods(["POST"])
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    from bangfu.needs.queries import owner_choices

    require(request.user, "plan.edit")
    household = household_queries.household_get(request.user, pk)
    form = MeasureForm(request.POST, owners=owner_choices(household.region_code))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.measure_create(actor=request.user, household=household, client_id=data["client_id"],
                                    type=data["type"], content=data["content"], owner=data["owner"],
                                    due_on=data["due_on"])
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("The measure is added to the plan."))
            return redirect("monitoring:plan", household.pk)
    return render(request, "monitoring/plan.html", _plan_context(request, pk, form=form), status=422)


@login_required
@require_http_methods(["POST"])
def measure_status(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "plan.edit")
    measure = queries.measure_get(request.user, pk)
    form = MeasureStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the status."))
        return redirect("monitoring:plan", measure.household_id)
    try:
        services.measure_status_set(actor=request.user, measure=measure, status=form.cleaned_data["status"],
                                    version=form.cleaned_data.get("version"))
    except services.StepNotAllowed:
        messages.error(request, _("Someone changed this measure meanwhile: see it again."))
    else:
        messages.success(request, _("The measure's status is saved."))
    return redirect("monitoring:plan", measure.household_id)


@login_required
@require_http_methods(["POST"])
def clearance_start(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "clearance.verify")
    household = household_queries.household_get(request.user, pk)
    form = ClearanceStartForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            services.clearance_start(actor=request.user, household=household,
                                     client_id=form.cleaned_data["client_id"], method=form.cleaned_data["method"])
        except ValidationError as error:
            attach_errors(error, form)
        except services.ClearanceRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The risk clearance is proposed: verify at home next."))
            return redirect("monitoring:plan", household.pk)
    return render(request, "monitoring/plan.html", _plan_context(request, pk, start_form=form), status=status)


@login_required
@GET_POST
def clearance_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in services.CLEARANCE_ACTIONS:
        raise Http404("no such step")
    require(request.user, f"clearance.{action}")
    clearance = queries.clearance_get(request.user, pk)
    form = ClearanceStepForm(_form_data(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.clearance_step(clearance=clearance, actor=request.user, action=action, data=form.step_data())
        except ValidationError as error:
            attach_errors(error, form)
            status = 422
        except services.ClearanceRefused as error:
            form.add_error(None, error.message)
            status = 422
        except services.ClearanceStepNotAllowed as error:
            messages.error(request, error.message)
            return redirect("monitoring:plan", clearance.household_id)
        else:
            messages.success(request, _("Step recorded: %(step)s.") % {"step": services.CLEARANCE_ACTIONS[action]})
            return redirect("monitoring:plan", clearance.household_id)
    context = {"clearance": clearance, "household": clearance.household, "form": form, "action": action,
               "fields": [form[name] for name in CLEARANCE_STEP_FIELDS[action]],
               "action_label": services.CLEARANCE_ACTIONS[action],
               "refusals": services.clearance_refusals(clearance.household)}
    return render(request, "monitoring/clearance_step.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def flags(request: HttpRequest) -> HttpResponse:
    """The rules flagging households in the township's or county's area, rule by rule."""
    from bangfu.monitoring.rules import RULE_LABELS, RULES

    require(request.user, "flag.view")
    rule = request.GET.get("rule", "")[:40]
    if rule not in RULE_LABELS:
        rule = ""
    rows = queries.flags_list(request.user, rule=rule)
    for flag in rows:
        flag.label = RULE_LABELS.get(flag.rule, flag.rule)
    return render(request, "monitoring/flags.html", {"flags": rows, "rules": RULES, "rule": rule,
                                                     "labels": RULE_LABELS})
