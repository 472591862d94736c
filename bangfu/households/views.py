"""Household pages: the list with search and filters, a household's page, and the forms that change
households, members and assignments. Thin: parse the request, call a query or a service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bangfu.accounts import queries as account_queries
from bangfu.core.codes import township_of
from bangfu.core.errors import ConflictError
from bangfu.core.forms import attach_errors
from bangfu.core.htmx import render_page
from bangfu.core.outbox import offline_page
from bangfu.core.permissions import Role, can, require
from bangfu.history.timeline import field_label, history_entries
from bangfu.households import display, queries, services
from bangfu.households.models import Household, Member
from bangfu.households.pageforms import (
    AssignForm,
    HouseholdFilterForm,
    HouseholdPageForm,
    MakeHeadForm,
    MemberPageForm,
    ReasonForm,
    VersionForm,
)
from bangfu.households.panels import household_panels
from bangfu.regions import queries as region_queries
from bangfu.regions.models import Region

GET_POST = require_http_methods(["GET", "POST"])
CASEWORKER_CHOICES_LIMIT = 300


def _form_data(request: HttpRequest):
    return request.POST if request.method == "POST" else None


# --- list --------------------------------------------------------------------------------------

def _filter_form(request: HttpRequest) -> HouseholdFilterForm:
    user = request.user
    villages = list(region_queries.villages_within(user.scope).only("code", "name"))
    township_codes = {township_of(v.code) for v in villages}
    townships = (
        dict(Region.objects.filter(code__in=township_codes).values_list("code", "name"))
        if len(township_codes) > 1 else {}
    )
    # A caseworker sees only their own households: a caseworker filter would say nothing. Above a
    # township there can be thousands of caseworkers: the filter appears once a village narrows them.
    caseworkers = None
    if user.role != Role.CASEWORKER:
        village = request.GET.get("village") or ""
        area = village if village.startswith(user.scope) else user.scope
        candidates = list(account_queries.caseworkers_near(area)[: CASEWORKER_CHOICES_LIMIT + 1])
        caseworkers = candidates if len(candidates) <= CASEWORKER_CHOICES_LIMIT else None
    return HouseholdFilterForm(request.GET, villages=villages, caseworkers=caseworkers, townships=townships)


@login_required
@require_http_methods(["GET"])
def household_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.view")
    form = _filter_form(request)
    flt = form.household_filter()
    page = queries.household_page(request.user, flt, cursor=request.GET.get("cursor", ""))
    params = flt.as_params()
    matches = queries.search_matches(page.rows, flt.q) if flt.q else {}
    context = {
        "form": form,
        "page": page,
        "rows": [(h, matches.get(h.pk, [])) for h in page.rows],
        "next_url": f"?{urlencode({**params, 'cursor': page.next_cursor})}" if page.next_cursor else "",
        "first_url": f"?{urlencode(params)}" if request.GET.get("cursor") else "",
        "has_filters": bool(params),
    }
    return render_page(request, "households/list.html", context, partial="results")


# --- one household -----------------------------------------------------------------------------

@offline_page
@login_required
@require_http_methods(["GET"])
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "household.view")
    household = queries.household_get(request.user, pk)
    members = queries.members_of(household)
    changes = queries.household_history(request.user, household)
    return render(request, "households/detail.html", {
        "household": household,
        "region_label": region_queries.region_label(household.region),
        "members": [(m, display.member_facts(m)) for m in members],
        "member_count": len(members),
        "sections": display.household_sections(household, members),
        "assignments": list(queries.assignments_of(household)),
        "history": history_entries(changes, viewer=request.user),
        "panels": household_panels(request.user, household),
    })


@login_required
@require_POST
def household_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    household = queries.household_get(request.user, pk)
    value = services.household_reveal_phone(actor=request.user, household=household)
    return _revealed(request, value=value, kind="phone", back=reverse("households:detail", args=[household.pk]))


@login_required
@require_POST
def member_reveal(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    if field not in {"id_number", "phone"}:
        raise Http404("no such field")
    member = queries.member_get(request.user, pk)
    value = services.member_reveal(actor=request.user, member=member, field=field)
    return _revealed(request, value=value, kind=field, back=reverse("households:detail", args=[member.household_id]))


def _revealed(request: HttpRequest, *, value: str, kind: str, back: str) -> HttpResponse:
    context = {"value": value, "kind": kind, "back": back}
    template = "households/detail.html#revealed" if request.htmx else "households/revealed.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


# --- create, edit, delete ----------------------------------------------------------------------

def _sections(form, spec):
    """Fields grouped into titled sections; the first is open, the others open when they hold an error."""
    sections = []
    for index, (slug, title, names) in enumerate(spec):
        fields = [form[name] for name in names if name in form.fields]
        sections.append({
            "slug": slug, "title": title, "fields": fields,
            "open": index == 0 or any(f.errors for f in fields),
        })
    return sections


def _household_spec():
    return [
        ("basic", _("Household"), ["region", "number", "address", "phone", "phone_clear", "status", "categories",
                                   "monitor_type"]),
        ("poverty", _("Poverty and monitoring"), [
            "identification_standard", "poverty_attribute", "main_cause", "other_causes", "risks",
            "risk_elimination_method", "risk_eliminated_on",
        ]),
        ("living", _("Living conditions"), [
            "farmland_mu", "road_type", "housing_area", "dilapidated", "dilapidation_level", "safe_water",
            "electricity", "sanitary_toilet", "fuel_type",
        ]),
        ("income", _("Income of last year"), [
            "wage_income", "business_income", "property_income", "transfer_income", "business_expense",
        ]),
    ]


def _member_spec():
    return [
        ("person", _("Person"), ["name", "relation", "id_type", "id_number", "sex", "birth_date", "ethnicity",
                                 "phone", "phone_clear"]),
        ("education", _("Education and health"), ["education", "school_status", "health", "political_status",
                                                  "disability_category", "disability_grade"]),
        ("work", _("Work"), ["labor_skill", "work_status", "work_months", "work_place", "employer",
                             "welfare_post_type", "welfare_post_months"]),
        ("assistance", _("Assistance and insurance"), ["minimum_living", "extreme_hardship", "pension_insured",
                                                       "medical_insured", "critical_illness_insured"]),
    ]


@login_required
@GET_POST
def household_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.create")
    data = _form_data(request)
    form = HouseholdPageForm(data, user=request.user)
    head_form = MemberPageForm(data, prefix="head", head=True)
    if data is not None and all([form.is_valid(), head_form.is_valid()]):
        try:
            household = services.household_create(
                actor=request.user, data=form.cleaned_data, members=[head_form.cleaned_data]
            )
        except ValidationError as error:
            attach_errors(error, form, members=[head_form])
        else:
            messages.success(request, _("Household %(number)s is registered.") % {"number": household.number})
            return redirect("households:detail", household.pk)
    elif data is not None:  # the registry's checks too, on what did clean: every error in one round
        _attach_registry_errors(request.user, form, [head_form], number=form.cleaned_data.get("number") or "")
    return render(request, "households/household_form.html", {
        "form": form,
        "sections": _sections(form, _household_spec()),
        "head_form": head_form,
        "head_sections": _sections(head_form, _member_spec()),
        "cancel_url": reverse("households:list"),
    })


def _attach_registry_errors(user, form, member_forms, *, number: str = "") -> None:
    """The registry's refusals (services.registry_errors) of the fields that cleaned, on a page
    whose forms have errors of their own."""
    errors = services.registry_errors(actor=user, members=[f.cleaned_data for f in member_forms], number=number)
    if errors:
        attach_errors(ValidationError(errors), form, members=member_forms)


def _save_versioned(data, form, *, version: int, save) -> tuple[object, VersionForm, str | None, int]:
    """The edit pages' shared step: check the form and the version it was read at, save through
    `save(version, cleaned_data)` (an edit on an old version is applied or held for review by the
    service), and turn a missing version into 400. Returns (the service's EditOutcome or None,
    version_form, error message, status)."""
    version_form = VersionForm(data, initial={"version": version})
    if data is None:
        return None, version_form, None, 200
    form_ok, version_ok = form.is_valid(), version_form.is_valid()  # both, so every error shows
    if not version_ok:
        return None, version_form, _("The form is incomplete; reload the page and try again."), 400
    if not form_ok:
        return None, version_form, None, 200
    try:
        outcome = save(version_form.cleaned_data["version"], form.cleaned_data)
    except ConflictError as error:
        return None, version_form, error.message, 409
    except ValidationError as error:
        attach_errors(error, form)
        return None, version_form, None, 200
    return outcome, version_form, None, 200


def _saved_message(request: HttpRequest, outcome) -> None:
    if outcome.held:
        messages.warning(request, services.held_message())
    else:
        messages.success(request, _("Your changes are saved."))


@login_required
@GET_POST
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = queries.household_get(request.user, pk)
    require(request.user, "household.change")
    data = _form_data(request)
    form = HouseholdPageForm(data, instance=household, user=request.user)
    outcome, version_form, conflict, status = _save_versioned(
        data, form, version=household.version,
        save=lambda version, cleaned: services.household_edit(
            actor=request.user, household=household, version=version, data=cleaned),
    )
    if outcome is not None:
        _saved_message(request, outcome)
        return redirect("households:detail", household.pk)
    return render(request, "households/household_form.html", {
        "form": form,
        "version_form": version_form,
        "sections": _sections(form, _household_spec()),
        "household": household,
        "conflict": conflict,
        "cancel_url": reverse("households:detail", args=[household.pk]),
    }, status=status)


@login_required
@GET_POST
def household_delete(request: HttpRequest, pk: int) -> HttpResponse:
    household = queries.household_get(request.user, pk)
    require(request.user, "household.delete")
    form = ReasonForm(_form_data(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        number = household.number
        try:
            services.household_delete(actor=request.user, household=household, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(error, form)
            status = 409
        else:
            messages.success(request, _("Household %(number)s is deleted.") % {"number": number})
            return redirect("households:list")
    return render(request, "households/confirm.html", {
        "title": _("Delete household %(number)s") % {"number": household.number},
        "question": _("Delete the household of %(name)s with all its members? Its history is kept.")
        % {"name": household.head_name or household.number},
        "form": form,
        "household": household,
        "submit": _("Delete"),
        "danger": True,
        "cancel_url": reverse("households:detail", args=[household.pk]),
    }, status=status)


# --- members -----------------------------------------------------------------------------------

@login_required
@GET_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = queries.household_get(request.user, pk)
    require(request.user, "household.change")
    members = queries.members_of(household)
    has_head = any(m.is_head for m in members)
    form = MemberPageForm(_form_data(request), head=not members, household_has_head=has_head)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(actor=request.user, household=household, data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": member.name})
            return redirect(reverse("households:detail", args=[household.pk]) + "#members")
    elif request.method == "POST":
        _attach_registry_errors(request.user, form, [form])
    return render(request, "households/member_form.html", {
        "form": form,
        "sections": _sections(form, _member_spec()),
        "household": household,
        "title": _("Add a member"),
        "cancel_url": reverse("households:detail", args=[household.pk]) + "#members",
    })


@login_required
@GET_POST
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = queries.member_get(request.user, pk)
    household = member.household
    require(request.user, "household.change")
    data = _form_data(request)
    form = MemberPageForm(data, instance=member, birth_date_shown=can(request.user, "member.reveal_id"))
    outcome, version_form, conflict, status = _save_versioned(
        data, form, version=member.version,
        save=lambda version, cleaned: services.member_edit(
            actor=request.user, member=member, version=version, data=cleaned),
    )
    if outcome is not None:
        _saved_message(request, outcome)
        return redirect(reverse("households:detail", args=[household.pk]) + "#members")
    return render(request, "households/member_form.html", {
        "form": form,
        "version_form": version_form,
        "sections": _sections(form, _member_spec()),
        "household": household,
        "member": member,
        "title": _("Edit %(name)s") % {"name": member.name},
        "conflict": conflict,
        "cancel_url": reverse("households:detail", args=[household.pk]) + "#members",
    }, status=status)


@login_required
@GET_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = queries.member_get(request.user, pk)
    household = member.household
    require(request.user, "household.change")
    form = ReasonForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_remove(actor=request.user, member=member, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("%(name)s is removed from the household.") % {"name": member.name})
            return redirect(reverse("households:detail", args=[household.pk]) + "#members")
    return render(request, "households/confirm.html", {
        "title": _("Remove %(name)s") % {"name": member.name},
        "question": _("Remove %(name)s (%(relation)s) from the household of %(head)s?") % {
            "name": member.name, "relation": member.get_relation_display(),
            "head": household.head_name or household.number,
        },
        "form": form,
        "household": household,
        "submit": _("Remove"),
        "danger": True,
        "cancel_url": reverse("households:detail", args=[household.pk]) + "#members",
    })


@login_required
@GET_POST
def member_make_head(request: HttpRequest, pk: int) -> HttpResponse:
    member = queries.member_get(request.user, pk)
    household = member.household
    require(request.user, "household.change")
    if member.is_head:
        return redirect("households:detail", household.pk)
    form = MakeHeadForm(_form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_make_head(
                actor=request.user, member=member, former_head_relation=form.cleaned_data["former_head_relation"]
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("%(name)s is now the head of the household.") % {"name": member.name})
            return redirect(reverse("households:detail", args=[household.pk]) + "#members")
    return render(request, "households/make_head.html", {
        "form": form,
        "member": member,
        "household": household,
        "cancel_url": reverse("households:detail", args=[household.pk]) + "#members",
    })


# --- assignments -------------------------------------------------------------------------------

@login_required
@GET_POST
def household_assign(request: HttpRequest, pk: int) -> HttpResponse:
    household = queries.household_get(request.user, pk)
    require(request.user, "household.assign")
    caseworkers = services.caseworkers_for(household.region_code).order_by("display_name", "username")
    form = AssignForm(_form_data(request), caseworkers=caseworkers, initial={"caseworker": household.caseworker_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_set(
                actor=request.user, households=[household], caseworker=form.cleaned_data["caseworker"],
                start=form.cleaned_data["start"],
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("The caseworker is saved."))
            return redirect(reverse("households:detail", args=[household.pk]) + "#caseworker")
    return render(request, "households/assign.html", {
        "form": form,
        "household": household,
        "households": [household],
        "has_caseworkers": caseworkers.exists(),
        "cancel_url": reverse("households:detail", args=[household.pk]),
    })


def _selected_ids(request: HttpRequest) -> list[int]:
    source = request.POST if request.method == "POST" else request.GET
    try:
        return sorted({int(value) for value in source.getlist("household")})
    except ValueError:
        raise Http404("no such household") from None


@login_required
@GET_POST
def household_assign_bulk(request: HttpRequest) -> HttpResponse:
    require(request.user, "household.assign")
    ids = _selected_ids(request)
    households = list(
        queries.households_filtered(request.user, queries.HouseholdFilter())
        .filter(pk__in=ids).select_related("region", "caseworker").order_by("region_code", "number")
    )
    if len(households) != len(ids):
        raise Http404("no such household")
    caseworkers = services.caseworkers_for(households[0].region_code) if households else None
    for code in sorted({h.region_code for h in households[1:]}):
        caseworkers = caseworkers.filter(pk__in=services.caseworkers_for(code).values("pk"))
    if caseworkers is None:
        caseworkers = services.caseworkers_for("").none()
    caseworkers = caseworkers.order_by("display_name", "username")
    form = AssignForm(_form_data(request), caseworkers=caseworkers)
    if request.method == "POST" and households and form.is_valid():
        try:
            changed = services.assignment_set(
                actor=request.user, households=households, caseworker=form.cleaned_data["caseworker"],
                start=form.cleaned_data["start"],
            )
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("%(count)d of %(total)d households changed their caseworker.") % {
                "count": changed, "total": len(households),
            })
            return redirect("households:list")
    return render(request, "households/assign.html", {
        "form": form,
        "households": households,
        "bulk": True,
        "has_caseworkers": caseworkers.exists(),
        "cancel_url": reverse("households:list"),
    })


# --- edits held for review ---------------------------------------------------------------------

def _current_snapshot(conflict) -> dict:
    if conflict.member_id:
        return services.member_snapshot(conflict.member)
    return services.household_snapshot(conflict.household)


@login_required
@require_http_methods(["GET"])
def conflict_list(request: HttpRequest) -> HttpResponse:
    """The edits held for review in the user's area: each field side by side, masked."""
    require(request.user, "household.conflict_review")
    conflicts = queries.conflicts_open(request.user)
    return render(request, "households/conflicts.html", {
        "items": [(c, display.conflict_rows(c, _current_snapshot(c), request.user)) for c in conflicts],
    })


def _resolve(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    conflict = queries.conflict_get(request.user, pk)
    require(request.user, "household.conflict_review")
    try:
        service(actor=request.user, conflict=conflict)
    except ValidationError as error:
        # What the form refuses of the edit on the record as it is now, each on its field's name.
        model = Member if conflict.member_id else Household
        found = error.message_dict.items() if hasattr(error, "error_dict") else [("__all__", error.messages)]
        messages.error(request, " ".join(
            " ".join(texts) if field == "__all__" else f"{field_label(model, field)}：{' '.join(texts)}"
            for field, texts in found))
        return redirect("households:conflicts")
    messages.success(request, done)
    return redirect("households:conflicts")


@login_required
@require_POST
def conflict_apply(request: HttpRequest, pk: int) -> HttpResponse:
    return _resolve(request, pk, services.conflict_apply, _("The held edit is applied."))


@login_required
@require_POST
def conflict_keep(request: HttpRequest, pk: int) -> HttpResponse:
    return _resolve(request, pk, services.conflict_keep_current, _("The current values are kept."))
