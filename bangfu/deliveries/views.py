"""Delivery and errand pages: the list (priority first), asking for one for a household, a delivery's
page where the caseworker marks it delivered or failed on a phone, and the office assigns it; and
distributions (under the supplies' pages): the township's list, planning one with a preview, and
its report."""

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
from bangfu.core.codes import township_of
from bangfu.core.forms import attach_errors
from bangfu.core.htmx import render_page
from bangfu.core.outbox import offline_page, outbox_errors, outbox_form
from bangfu.core.permissions import PermissionDenied, Role, can, require
from bangfu.deliveries import queries, services
from bangfu.deliveries.forms import (
    AssignForm,
    CompleteForm,
    DeliveryFilterForm,
    DeliveryForm,
    DistributionForm,
    FailForm,
    ReopenForm,
)
from bangfu.deliveries.models import DeliveryStatus
from bangfu.households import queries as household_queries
from bangfu.households.choices import Category
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
    return render_page(request, "deliveries/list.html", {
        "form": form, "rows": rows[:LIST_LIMIT], "more": len(rows) > LIST_LIMIT, "limit": LIST_LIMIT,
        "counts": queries.delivery_counts(user), "filtered": bool(request.GET),
    }, partial="results")


@login_required
@GET_POST
def delivery_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "delivery.create")
    need = None
    if "need" in request.GET:  # made for a need: its household, and what the need asks for
        need = queries.need_for_delivery(request.user, _int(request.GET.get("need")))
        household = household_queries.household_get(request.user, need.household_id)
    else:
        household = household_queries.household_get(request.user, _int(request.GET.get("household")))
    township = Region.objects.get(code=township_of(household.region_code))
    caseworkers = None
    if can(request.user, "delivery.assign"):
        caseworkers = caseworkers_for(household.region_code).order_by("display_name", "username")
    initial = {}
    if need is not None:
        errand = need.category == "errand"
        initial = {"what": "errand" if errand else "stock", "description": need.description[:300] if errand else "",
                   "caseworker": need.owner_id if need.owner_id != request.user.pk else None}
    form = DeliveryForm(request.POST if request.method == "POST" else None, initial=initial,
                        items=supply_queries.items_for(township), caseworkers=caseworkers)
    if request.method == "POST" and form.is_valid():
        try:
            delivery = services.delivery_create(household=household, actor=request.user, need=need,
                                                **form.service_kwargs())
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("The request is saved: %(what)s.") % {"what": delivery.what})
            return redirect("deliveries:detail", delivery.pk)
    return render(request, "deliveries/form.html", {
        "form": form, "household": household, "need": need,
        "cancel_url": reverse("needs:detail", args=[need.pk]) if need else reverse("households:detail",
                                                                                    args=[household.pk]),
    })


@login_required
@require_POST
def delivery_link_need(request: HttpRequest, need_pk: int) -> HttpResponse:
    """From a need's page: one of the household's deliveries answers the need."""
    require(request.user, "delivery.create")
    need = queries.need_for_delivery(request.user, need_pk)
    if not request.POST.get("delivery"):
        messages.error(request, _("Choose the delivery that answers this need."))
        return redirect("needs:detail", need.pk)
    delivery = queries.delivery_get(request.user, _int(request.POST.get("delivery")))
    try:
        services.delivery_link_need(delivery=delivery, need=need, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The delivery is linked: %(what)s.") % {"what": delivery.what})
    return redirect("needs:detail", need.pk)


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


@offline_page
@login_required
@require_http_methods(["GET"])
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "delivery.view")
    delivery = queries.delivery_get(request.user, pk)
    return render(request, "deliveries/detail.html", _detail_context(request, delivery))


def _may_complete(user, delivery) -> None:
    """Who may not mark it done is refused before the form is read: a 403 tells them so, not the
    form's errors."""
    if not services.may_complete(user, delivery):
        raise PermissionDenied("delivery.complete")


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
            return redirect("deliveries:detail", delivery.pk)
    outbox_errors(request, form)
    delivery = queries.delivery_get(request.user, delivery.pk)  # as stored, not as the refused step left it
    return render(request, "deliveries/detail.html", _detail_context(request, delivery, **{name: form}), status=422)


@outbox_form
@login_required
@require_POST
def delivery_complete(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "delivery.view")
    delivery = queries.delivery_get(request.user, pk)
    _may_complete(request.user, delivery)

    def apply(data):
        services.delivery_complete(delivery=delivery, received_by=data["received_by"], actor=request.user)
        return _("Delivered: %(what)s.") % {"what": delivery.what}

    return _step(request, delivery, "complete", CompleteForm(request.POST), apply)


@outbox_form
@login_required
@require_POST
def delivery_fail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "delivery.view")
    delivery = queries.delivery_get(request.user, pk)
    _may_complete(request.user, delivery)

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


# --- distributions -----------------------------------------------------------------------------

def _township(request: HttpRequest) -> Region:
    return supply_queries.township_get(request.user, request.GET.get("township") or request.POST.get("township"))


@login_required
@require_http_methods(["GET"])
def distribution_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "supplies.view")
    township = _township(request)
    return render(request, "deliveries/distributions.html", {
        "township": township, "distributions": list(queries.distributions_for(request.user, township)[:100]),
    })


@login_required
@GET_POST
def distribution_plan(request: HttpRequest) -> HttpResponse:
    """POST with `preview` shows the households and the stock needed; POST with `confirm` plans it."""
    require(request.user, "distribution.plan")
    township = _township(request)
    villages = list(Region.objects.villages().within(township.code).only("code", "name"))
    form = DistributionForm(request.POST if request.method == "POST" else None,
                            items=supply_queries.items_for(township), villages=villages)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.DistributionPlan(
            township=township, title=data["title"], lines=form.lines(),
            villages=data["villages"], categories=data["categories"], note=data.get("note") or "",
            supplies_short=data["supplies_short"],
        )
        if "confirm" in request.POST:
            try:
                distribution = services.distribution_create(plan=plan, actor=request.user,
                                                            client_id=data.get("client_id") or None)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, _("%(title)s is planned: one delivery per household and item.") % {
                    "title": distribution.title})
                return redirect("deliveries:distribution", distribution.pk)
        households = queries.distribution_selection(request.user, township=township, villages=plan.villages,
                                                    categories=plan.categories, supplies_short=plan.supplies_short)
        households, reasons_of = services.in_delivery_order(households)
        lines = []
        for line in plan.lines:
            balance = supply_queries.stock_balance(township, line.item)
            needed = len(households) * line.quantity
            lines.append({"item": line.item, "quantity": line.quantity, "needed": needed, "balance": balance,
                          "short": max(needed - balance, 0)})
        owed = queries.earlier_outstanding(township, [h.pk for h in households])
        for household in households:
            household.owed = owed.get(household.pk, [])
            household.priority = bool(reasons_of[household.pk])
        preview = {"households": households, "lines": lines, "short": any(line["short"] for line in lines),
                   "plan": plan, "owed": len(owed)}
    return render(request, "deliveries/distribution_form.html", {
        "form": form, "township": township, "preview": preview,
        "order": [Category(c).label for c in queries.SPECIAL_ORDER],
        "cancel_url": reverse("deliveries:distributions"),
    })


@login_required
@require_http_methods(["GET"])
def distribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "supplies.view")
    distribution = queries.distribution_get(request.user, pk)
    return render(request, "deliveries/distribution.html", {
        "distribution": distribution,
        "report": queries.distribution_report(request.user, distribution),
        "village_names": dict(Region.objects.filter(code__in=distribution.villages).values_list("code", "name")),
        "category_names": [label for value, label in Category.choices if value in distribution.categories],
    })
