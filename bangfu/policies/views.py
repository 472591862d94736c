"""The policies' pages: the county's policies and their editing, the gaps of the caller's area, a
receipt written down by hand, and a department's payment sheet imported."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bangfu.core.codes import village_of
from bangfu.core.forms import attach_errors
from bangfu.core.outbox import outbox_errors, outbox_form
from bangfu.core.permissions import require
from bangfu.households import queries as household_queries
from bangfu.imports.readers import FileError
from bangfu.policies import payments, queries, rules, services
from bangfu.policies.forms import GapFilterForm, ImportForm, NewPolicyForm, PolicyForm, ReceiptForm
from bangfu.regions import queries as region_queries


@login_required
@require_http_methods(["GET"])
def policy_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "policy.view")
    county = queries.county_of(request.user)
    return render(request, "policies/policy_list.html", {
        "policies": queries.policies_of_county(county), "county": county, "kinds": rules.KINDS,
    })


def _policy_form(request, form, *, key: str, title: str, created_message: str):
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_save(actor=request.user, key=key, data=form.policy_data())
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, created_message)
            return redirect("policies:list")
    return render(request, "policies/policy_form.html", {"form": form, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, key: str) -> HttpResponse:
    require(request.user, "policy.manage")
    policy = queries.policy_get(request.user, key)
    form = PolicyForm(request.POST if request.method == "POST" else None, initial=PolicyForm.initial_of(policy))
    return _policy_form(request, form, key=key, title=policy.name, created_message=_("The policy is saved."))


@login_required
@require_http_methods(["GET", "POST"])
def policy_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "policy.manage")
    form = NewPolicyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["key"]
        if any(p.key == key for p in queries.policies_of_county(queries.county_of(request.user))):
            form.add_error("key", _("A policy with this code exists already: change that one."))
        else:
            return _policy_form(request, form, key=key, title=_("New policy"),
                                created_message=_("The policy is saved."))
    return render(request, "policies/policy_form.html", {"form": form, "title": _("New policy")})


@login_required
@require_http_methods(["GET"])
def gaps(request: HttpRequest) -> HttpResponse:
    require(request.user, "policy.view")
    villages = list(region_queries.villages_within(request.user.scope).only("code", "name"))
    form = GapFilterForm(request.GET, villages=villages)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    rows = queries.gaps_in_scope(request.user, village=data.get("village", ""), kind=data.get("kind", ""))
    names = {v.code: v.name for v in villages}
    for gap in rows:
        gap.village_name = names.get(village_of(gap.region_code), "")
    return render(request, "policies/gaps.html", {
        "form": form, "gaps": rows,
        "missing": sum(g.kind == "missing" for g in rows), "unexpected": sum(g.kind == "unexpected" for g in rows),
    })


@outbox_form
@login_required
@require_http_methods(["GET", "POST"])
def receipt_add(request: HttpRequest, household_pk: int) -> HttpResponse:
    require(request.user, "policy.receipt")
    household = household_queries.household_get(request.user, household_pk)
    policies = queries.policies_of_county(queries.county_of_code(household.region_code), in_force=True)
    members = list(household.members.all())
    form = ReceiptForm(request.POST if request.method == "POST" else None, policies=policies, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = next((m for m in members if str(m.pk) == data["member"]), None)
        try:
            _receipt, created = services.receipt_record(
                actor=request.user, household=household, policy_key=data["policy"], period=data["period"].strip(),
                amount=data["amount"], paid_on=data["paid_on"], member=member, client_id=data["client_id"])
        except ValidationError as error:
            attach_errors(error, form)
        else:
            if created:
                messages.success(request, _("The receipt is recorded."))
            return redirect(reverse("households:detail", args=[household.pk]) + "#policies")
    outbox_errors(request, form)
    return render(request, "policies/receipt_form.html", {
        "form": form, "household": household, "cancel_url": reverse("households:detail", args=[household.pk]),
    })


@login_required
@require_http_methods(["GET", "POST"])
def receipts_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "policy.import")
    policies = queries.policies_of_county(queries.county_of(request.user))
    form = ImportForm(request.POST if request.method == "POST" else None,
                      request.FILES if request.method == "POST" else None, policies=policies)
    result = errors = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rows, errors = payments.read_sheet(data["file"])
        except FileError as error:
            form.add_error("file", error.message)
        else:
            if not errors:
                try:
                    result = services.receipts_import(actor=request.user, policy_key=data["policy"],
                                                      period=data["period"].strip(), rows=rows)
                except ValidationError as error:
                    attach_errors(error, form)
    return render(request, "policies/import.html", {"form": form, "result": result, "errors": errors})


