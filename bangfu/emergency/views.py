"""Delivery and errand pages: the list (priority first), asking for one for a household, a delivery's
page where the caseworker marks it delivered or failed on a phone, and the office assigns it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bangfu.accounts import queries as account_queries
from bangfu.core.permissions import Role, can, require
from bangfu.emergency import queries, services
from bangfu.emergency.forms import AssignForm, CompleteForm, DeliveryFilterForm, DeliveryForm, FailForm, ReopenForm
from bangfu.emergency.models import DeliveryStatus
from bangfu.households import queries as household_queries
from bangfu.households.pageforms import attach_errors
from bangfu.households.services import caseworkers_for
from bangfu.regions import queries as region_queries
from bangfu.regions.models import Region
from bangfu.supplies import queries as supply_queries

GET_POST = require_http_methods(["GET", "POST"])
LIST_LIMIT = 200
CASEWORKER_CHOICES_LIMIT = 300


@login_required
@require_http_methods(["GET"])
def delivery_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "delivery.view")
    user = request.user
    villages = list(region_queries.villages_within(user.scope).only("code", "name"))
    caseworkers = None
    if user.role != Role.CASEWORKER:
        candidates = list(account_queries.caseworkers_near(user.scope)[: CASEWORKER_CHOICES_LIMIT + 1])
        caseworkers = candidates if len(candidates) <= CASEWORKER_CHOICES_LIMIT else None
    form = DeliveryFilterForm(request.GET or None, villages=villages, caseworkers=caseworkers)
    flt = queries.DeliveryFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        flt = queries.DeliveryFilter(status=data["status"] or "open", kind=data["kind"], village=data["village"],
                                     caseworker=data.get("caseworker"), priority=data["priority"])
    rows = list(queries.deliveries_filtered(user, flt)[: LIST_LIMIT + 1])
    template = "emergency/list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, {
        "form": form, "rows": rows[:LIST_LIMIT], "more": len(rows) > LIST_LIMIT, "limit": LIST_LIMIT,
        "counts": queries.delivery_counts(user), "filtered": bool(request.GET),
    })


@login_required
@GET_POST
def delivery_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "delivery.create")
    household = household_queries.household_get(request.user, _int(request.GET.get("household")))
    township = Region.objects.get(code=household.region_code[:9])
    caseworkers = None
    if can(request.user, "delivery.assign"):
        caseworkers = caseworkers_for(household.region_code).order_by("display_name", "username")
    form = DeliveryForm(request.POST if request.method == "POST" else None,
                        items=supply_queries.items_for(township), caseworkers=caseworkers)
    if request.method == "POST" and form.is_valid():
        try:
            delivery = services.delivery_create(household=household, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("The request is saved: %(what)s.") % {"what": delivery.what})
            return redirect("emergency:detail", delivery.pk)
    return render(request, "emergency/form.html", {
        "form": form, "household": household,
        "cancel_url": reverse("households:detail", args=[household.pk]),
    })


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _reopen_choices(user, delivery):
    """Whom a failed delivery may go to when tried again; None: the caseworker trying it again."""
    if not can(user, "delivery.assign"):
        return None
    return caseworkers_for(delivery.region_code).order_by("display_name", "username")


def _detail_context(request: HttpRequest, delivery, **forms) -> dict:
    user = request.user
    context = {"delivery": delivery, "timeline_url": reverse("households:detail", args=[delivery.household_id])}
    if delivery.is_open and services.may_complete(user, delivery):
        if delivery.status == DeliveryStatus.ASSIGNED:
            context["complete_form"] = forms.get("complete") or CompleteForm(
                initial={"received_by": delivery.household.head_name})
        context["fail_form"] = forms.get("fail") or FailForm()
    if delivery.is_open and can(user, "delivery.assign"):
        choices = caseworkers_for(delivery.region_code).order_by("display_name", "username")
        context["assign_form"] = forms.get("assign") or AssignForm(
            caseworkers=choices, initial={"caseworker": delivery.caseworker_id})
    if delivery.status == DeliveryStatus.FAILED and services.may_reopen(user, delivery):
        context["reopen_form"] = forms.get("reopen") or ReopenForm(
            caseworkers=_reopen_choices(user, delivery), initial={"caseworker": delivery.caseworker_id})
    if delivery.kind == "goods" and delivery.source == "stock" and delivery.is_open:
        township = Region.objects.get(code=delivery.township_code)
        context["stock_left"] = supply_queries.stock_balance(township, delivery.item)
    return context


@login_required
@require_http_methods(["GET"])
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "delivery.view")
    delivery = queries.delivery_get(request.user, pk)
    return render(request, "emergency/detail.html", _detail_context(request, delivery))


def _step(request: HttpRequest, delivery, name: str, form, apply) -> HttpResponse:
    """One step of a delivery from its page: `apply(cleaned_data)` calls the service and returns the
    message to show. A refused step shows the page again with the form's errors (422)."""
    if form.is_valid():
        try:
            message = apply(form.cleaned_data)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, message)
            return redirect("emergency:detail", delivery.pk)
    delivery = queries.delivery_get(request.user, delivery.pk)  # as stored, not as the refused step left it
    return render(request, "emergency/detail.html", _detail_context(request, delivery, **{name: form}), status=422)


@login_required
@require_POST
def delivery_complete(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "delivery.view")
    delivery = queries.delivery_get(request.user, pk)

    def apply(data):
        services.delivery_complete(delivery=delivery, received_by=data["received_by"], actor=request.user)
        return _("Delivered: %(what)s.") % {"what": delivery.what}

    return _step(request, delivery, "complete", CompleteForm(request.POST), apply)


@login_required
@require_POST
def delivery_fail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "delivery.view")
    delivery = queries.delivery_get(request.user, pk)

    def apply(data):
        services.delivery_fail(delivery=delivery, reason=data["failure_reason"], actor=request.user)
        return _("Recorded as not delivered.")

    return _step(request, delivery, "fail", FailForm(request.POST), apply)


@login_required
@require_POST
def delivery_assign(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "delivery.assign")
    delivery = queries.delivery_get(request.user, pk)

    def apply(data):
        services.delivery_assign(delivery=delivery, caseworker=data["caseworker"], actor=request.user)
        return _("Assigned to %(name)s.") % {"name": data["caseworker"]}

    form = AssignForm(request.POST, caseworkers=caseworkers_for(delivery.region_code))
    return _step(request, delivery, "assign", form, apply)


@login_required
@require_POST
def delivery_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "delivery.reopen")
    delivery = queries.delivery_get(request.user, pk)

    def apply(data):
        services.delivery_reopen(delivery=delivery, caseworker=data.get("caseworker"), actor=request.user)
        return _("The delivery is open again.")

    form = ReopenForm(request.POST, caseworkers=_reopen_choices(request.user, delivery))
    return _step(request, delivery, "reopen", form, apply)
