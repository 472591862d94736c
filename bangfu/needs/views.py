"""Needs pages: record a need for a household, the board, a need's page with its timeline and the
actions its state and the user's role allow, assigning many at once, the numbers, the deadlines.
Thin: parse the request, call a query or a service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bangfu.core.codes import township_of
from bangfu.core.forms import attach_errors
from bangfu.core.htmx import render_page
from bangfu.core.outbox import offline_page, outbox_errors, outbox_form
from bangfu.core.permissions import Role, can, require
from bangfu.households import queries as household_queries
from bangfu.needs import display, queries, services, workflow
from bangfu.needs.forms import (
    AssignForm,
    DeadlineSettingsForm,
    NeedFilterForm,
    NeedForm,
    NoteForm,
    ReopenForm,
    ResolveForm,
)
from bangfu.needs.plugins import need_panels
from bangfu.regions import queries as region_queries
from bangfu.regions.models import Region

GET_POST = require_http_methods(["GET", "POST"])


def _form_data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@offline_page
@outbox_form
@login_required
@GET_POST
def need_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = household_queries.household_get(request.user, household_pk)
    require(request.user, "need.create")
    form = NeedForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need, created = services.need_create(
                household=household, category=data["category"], description=data["description"],
                urgency=data["urgency"], client_id=data["client_id"], actor=request.user,
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            if created:
                messages.success(request, _("The need is recorded."))
            return redirect("needs:detail", need.pk)
    outbox_errors(request, form)
    return render(request, "needs/need_form.html", {
        "form": form, "household": household,
        "cancel_url": reverse("households:detail", args=[household.pk]),
    })


@login_required
@require_http_methods(["GET"])
def need_board(request: HttpRequest) -> HttpResponse:
    require(request.user, "need.view")
    villages = list(region_queries.villages_within(request.user.scope).only("code", "name"))
    form = NeedFilterForm(request.GET, villages=villages)
    flt = form.need_filter()
    rows = queries.need_board(request.user, flt)
    context = {
        "form": form, "needs": rows, "limit": queries.BOARD_LIMIT,
        "may_assign": can(request.user, "need.assign"),
        "awaiting": list(queries.needs_awaiting_confirmation(request.user)[:50])
        if request.user.role in (Role.CASEWORKER, Role.VILLAGE) else [],
    }
    return render_page(request, "needs/board.html", context, partial="results")


@login_required
@require_http_methods(["GET"])
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "need.view")
    need = queries.need_get(request.user, pk)
    actions = display.actions_for(request.user, need)
    # The next step the viewer may take, as a form on this page: no other page to open first.
    first = actions[0] if actions and actions[0].primary else None
    return render(request, "needs/detail.html", {
        "need": need,
        "measures": list(need.measures.select_related("owner", "done_by")),
        "timeline": display.timeline_entries(queries.need_timeline(need)),
        "actions": actions[1:] if first else actions,
        "next_action": first, "next_form": _action_form(first.action, need, None) if first else None,
        "panels": need_panels(request.user, need),
    })


def _action_form(action: str, need, data):
    if action == "assign":
        owners = queries.owner_choices(need.region_code)
        return AssignForm(data, owners=owners, initial={
            "owner": need.owner_id or queries.default_owner([need], owners), "due_on": need.due_on})
    if action == "resolve":
        return ResolveForm(data)
    if action == "reopen":
        return ReopenForm(data)
    return NoteForm(data)


def _call(action: str, need, user, form):
    data = form.cleaned_data
    if action == "assign":
        return services.need_assign(need=need, actor=user, measure_type=data["measure_type"], plan=data["plan"],
                                    owner=data["owner"], due_on=data["due_on"])
    if action == "resolve":
        return services.need_resolve(need=need, actor=user, result=data["result"], cost_fen=data["cost"])
    if action == "reopen":
        return services.need_reopen(need=need, actor=user, reason=data["reason"])
    return services.TRANSITION_SERVICES[action](need=need, actor=user, note=data["note"])


DONE_MESSAGES = {
    "report": _("The need is reported to the township office."),
    "assign": _("The measure is assigned."),
    "resolve": _("The need is resolved. The caseworker will call the household back."),
    "confirm": _("The household confirms: the need is closed."),
    "reopen": _("The need is open again."),
}


@login_required
@GET_POST
def need_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in workflow.ACTIONS:
        raise Http404("no such action")
    need = queries.need_get(request.user, pk)
    require(request.user, f"need.{action}")
    form = _action_form(action, need, _form_data(request))
    refused, status = None, 200
    if workflow.next_state(need.status, action) is None:
        refused, status = services.TransitionNotAllowed(action=action, status=need.status).message, 409
    elif request.method == "POST" and form.is_valid():
        try:
            _call(action, need, request.user, form)
        except services.TransitionNotAllowed as error:
            refused, status = error.message, 409
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, str(DONE_MESSAGES[action]))
            return redirect("needs:detail", need.pk)
    return render(request, "needs/act.html", {
        "need": need, "action": action, "action_label": workflow.ACTIONS[action], "form": form,
        "refused": refused, "cancel_url": reverse("needs:detail", args=[need.pk]),
    }, status=status)


def _selected(request: HttpRequest) -> list[int]:
    source = request.POST if request.method == "POST" else request.GET
    try:
        return sorted({int(v) for v in source.getlist("need")})
    except ValueError:
        raise Http404("no such need") from None


@login_required
@GET_POST
def needs_assign_bulk(request: HttpRequest) -> HttpResponse:
    require(request.user, "need.assign")
    selected = queries.needs_get_many(request.user, _selected(request))
    # Only needs the office may assign now are taken; the others are named, never refused at the end.
    needs = [n for n in selected if workflow.next_state(n.status, "assign") is not None]
    left_out = [n for n in selected if workflow.next_state(n.status, "assign") is None]
    townships = {township_of(n.region_code) for n in needs}
    owners = queries.owner_choices(next(iter(townships))) if len(townships) == 1 else None
    form = AssignForm(_form_data(request), owners=owners if owners is not None else queries.owner_choices("x").none(),
                      initial={"owner": queries.default_owner(needs, owners) if owners is not None else None})
    refused, status = None, 200
    if len(townships) > 1:
        refused = _("The selected needs are in different townships; assign them one township at a time.")
    elif request.method == "POST" and needs and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.needs_assign(needs=needs, actor=request.user, measure_type=data["measure_type"],
                                          plan=data["plan"], owner=data["owner"], due_on=data["due_on"])
        except services.TransitionNotAllowed as error:
            refused, status = error.message, 409
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("%(count)d needs are assigned.") % {"count": count})
            return redirect("needs:board")
    return render(request, "needs/assign_bulk.html", {
        "needs": needs, "left_out": left_out, "form": form, "refused": refused, "cancel_url": reverse("needs:board"),
    }, status=status)


@login_required
@require_http_methods(["GET"])
def need_numbers(request: HttpRequest) -> HttpResponse:
    require(request.user, "need.view")
    return render(request, "needs/numbers.html", queries.numbers(request.user))


@login_required
@GET_POST
def deadline_settings(request: HttpRequest) -> HttpResponse:
    require(request.user, "need.settings")
    code = request.user.scope if request.user.role != Role.ADMIN else request.GET.get("township", "")
    township = Region.objects.filter(code=code, level="township").first()
    if township is None:
        raise Http404("no township")
    hours, days = services.deadline_settings(township.code)
    form = DeadlineSettingsForm(_form_data(request), initial={"urgent_hours": hours, "normal_days": days})
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_settings_set(township=township, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("The deadlines are saved. They apply to needs recorded from now on."))
            return redirect(f"{reverse('needs:settings')}?{urlencode({'township': township.code})}"
                            if request.user.role == Role.ADMIN else reverse("needs:settings"))
    return render(request, "needs/settings.html", {"form": form, "township": township})
