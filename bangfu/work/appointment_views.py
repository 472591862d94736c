"""Appointment pages of the public-welfare posts: appointing a village's person to a post (each
rule's refusal shown with its reason), an appointment with its masked bank card, its start after
the publicity and its exit with a reason, and the county's rules (age limit, minimum wage, the
assessment's weights, the publicity days), kept by the county office."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core import bounds
from bangfu.core.codes import COUNTY_LENGTH, Level
from bangfu.core.dates import local_today
from bangfu.core.errors import ConflictError
from bangfu.core.forms import attach_errors
from bangfu.core.permissions import Role, can, require
from bangfu.households.models import Household, Member
from bangfu.regions.models import Region
from bangfu.work import welfare
from bangfu.work.welfare_forms import AppointeeAccountForm, AppointForm, ExitForm, RulesForm
from bangfu.work.welfare_models import Appointment, AppointmentStatus, WelfarePost
from bangfu.work.welfare_views import GET, GET_POST, _message


def _post(user, pk: int) -> WelfarePost:
    found = WelfarePost.objects.visible_to(user).select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404("no such post")
    return found


def _appointment(user, pk: int) -> Appointment:
    found = (Appointment.objects.visible_to(user).select_related("post__region", "member", "household")
             .filter(pk=pk).first())
    if found is None:
        raise Http404("no such appointment")
    return found


def _candidates(user, post: WelfarePost):
    """The village's people of 16 and over the office may appoint, by household."""
    today = local_today()
    return (Member.objects.filter(household__in=Household.objects.visible_to(user),
                                  household__region_code=post.region_code,
                                  birth_date__lte=today.replace(year=today.year - welfare.MIN_AGE))
            .select_related("household").order_by("household_id", "pk")[:500])


@login_required
@GET_POST
def appoint(request: HttpRequest, pk: int) -> HttpResponse:
    """The township office puts a person of the post's village on its list of appointees."""
    require(request.user, "welfare.manage")
    post = _post(request.user, pk)
    rules = welfare.rules_for(post.region_code)
    today = local_today()
    initial = {"published_on": today, "start": today + dt.timedelta(days=rules["publicity_days"]),
               "end": today.replace(year=today.year + 1) - dt.timedelta(days=1)}
    form = AppointForm(request.POST if request.method == "POST" else None, initial=initial)
    candidates = _candidates(request.user, post)
    if request.method == "POST" and form.is_valid():
        member = next((m for m in candidates if m.pk == form.cleaned_data["member"]), None)
        if member is None:
            form.add_error("member", _("Choose a person of the post's village."))
        else:
            try:
                appointment = welfare.appoint(
                    post=post, member=member, published_on=form.cleaned_data["published_on"],
                    start=form.cleaned_data["start"], end=form.cleaned_data["end"],
                    account=form.cleaned_data.get("account") or "", actor=request.user)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, _("%(name)s is on the list of appointees.") % {"name": appointment.name})
                return redirect("work:welfare_appointment", appointment.pk)
    held = post.appointments.exclude(status=AppointmentStatus.EXITED).count()
    return render(request, "work/welfare_appoint.html", {
        "post": post, "form": form, "candidates": candidates, "rules": rules, "held": held})


@login_required
@GET
def appointment(request: HttpRequest, pk: int) -> HttpResponse:
    """An appointee: the post, the contract, the bank card (masked), and what the office may do."""
    require(request.user, "welfare.view")
    found = _appointment(request.user, pk)
    may_manage = can(request.user, "welfare.manage")
    return render(request, "work/welfare_appointment.html", {
        "a": found, "may_manage": may_manage and found.status != AppointmentStatus.EXITED,
        "exit_form": ExitForm(initial={"exited_on": local_today(), "version": found.version}),
        "account_form": AppointeeAccountForm(initial={"version": found.version}),
        "starts_on": found.published_on + dt.timedelta(days=welfare.rules_for(found.region_code)["publicity_days"])})


@login_required
@require_POST
def appointment_start(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "welfare.manage")
    found = _appointment(request.user, pk)
    try:
        welfare.appointment_start(appointment=found, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("%(name)s is serving.") % {"name": found.name})
    return redirect("work:welfare_appointment", found.pk)


@login_required
@require_POST
def appointment_exit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "welfare.manage")
    found = _appointment(request.user, pk)
    form = ExitForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("work:welfare_appointment", found.pk)
    try:
        welfare.appointment_exit(appointment=found, reason=form.cleaned_data["exit_reason"],
                                 on=form.cleaned_data["exited_on"], actor=request.user,
                                 version=form.cleaned_data.get("version"))
    except (ConflictError, ValidationError) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("%(name)s has left the post.") % {"name": found.name})
    return redirect("work:welfare_appointment", found.pk)


@login_required
@require_POST
def appointment_account(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "welfare.manage")
    found = _appointment(request.user, pk)
    form = AppointeeAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("work:welfare_appointment", found.pk)
    try:
        welfare.appointment_account_set(appointment=found, account=form.cleaned_data["account"],
                                        actor=request.user, version=form.cleaned_data.get("version"))
    except (ConflictError, ValidationError) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("%(name)s: bank card recorded.") % {"name": found.name})
    return redirect("work:welfare_appointment", found.pk)


def _county(request) -> Region | None:
    own = request.user.region_id or ""
    code = (request.GET.get("county") or request.POST.get("county") or "").strip()[:bounds.CODE]
    if not code.isdigit():
        code = own[:COUNTY_LENGTH] if len(own) >= COUNTY_LENGTH else ""
    if request.user.role != Role.ADMIN and not code.startswith(own):
        code = own[:COUNTY_LENGTH] if len(own) >= COUNTY_LENGTH else ""
    return Region.objects.filter(code=code, level=Level.COUNTY).first() if code else None


@login_required
@GET_POST
def rules(request: HttpRequest) -> HttpResponse:
    """The county's rules for public-welfare posts; the county office changes them, others read them."""
    require(request.user, "welfare.view")
    county = _county(request)
    current = welfare.rules_for(county.code if county else "")
    may_set = can(request.user, "welfare.rules") and county is not None
    form = RulesForm(request.POST if request.method == "POST" else None, initial=current)
    if request.method == "POST":
        require(request.user, "welfare.rules")
        if county is None:
            raise Http404("no county")
        if form.is_valid():
            try:
                welfare.rules_set(county=county, data=form.cleaned_data, actor=request.user)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, _("The county's rules are saved."))
                return redirect(f"{request.path}?county={county.code}")
    return render(request, "work/welfare_rules.html", {
        "form": form, "county": county, "rules": current, "may_set": may_set,
        "counties": Region.objects.filter(level=Level.COUNTY).order_by("code")[:200]
        if request.user.role == Role.ADMIN else []})
