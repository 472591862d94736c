"""Work pages: the labour force with its latest status, a labourer's months and the status form
(phone), the office's grid of a village's month, the import of a sheet; back-to-work drives and a
labourer's outcome; the employment subsidy's amounts, lists, approval and the bank's export."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bangfu.core import bounds
from bangfu.core.codes import COUNTY_LENGTH, Level
from bangfu.core.dates import local_today
from bangfu.core.errors import ConflictError
from bangfu.core.forms import attach_errors
from bangfu.core.htmx import render_page
from bangfu.core.outbox import outbox_errors, outbox_form
from bangfu.core.permissions import Role, can, require
from bangfu.regions.models import Region
from bangfu.work import queries, services
from bangfu.work.areas import AREA_SHORT, BAND_LABELS
from bangfu.work.forms import (
    AccountForm,
    DriveForm,
    ImportForm,
    OutcomePageForm,
    RatesForm,
    StatusForm,
    StatusPageForm,
    SubsidyListForm,
    month_start,
)
from bangfu.work.models import Activity, Area, Outcome, Source

GET_POST = require_http_methods(["GET", "POST"])
GET = require_http_methods(["GET"])


def _month(text: str | None) -> dt.date:
    if text:
        try:
            return dt.datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            pass
    return month_start(local_today())


def _message(error: Exception) -> str:
    if isinstance(error, ConflictError):
        return str(error.message)
    return " ".join(getattr(error, "messages", [str(error)]))


def _village(request, key: str = "village") -> str:
    code = (request.GET.get(key) or "").strip()[:bounds.CODE]
    return code if code.isdigit() else ""


# --- labour -------------------------------------------------------------------------------------

@login_required
@GET
def labour_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "labour.view")
    village = _village(request)
    activity = request.GET.get("activity", "")
    if activity not in (*Activity.values, "none"):
        activity = ""
    search = (request.GET.get("q") or "").strip()[:bounds.SEARCH]
    month = month_start(local_today())
    members = queries.labour_list(request.user, village_code=village, activity=activity, search=search)
    rows = queries.attach_statuses(members[:300])
    counts = queries.labour_counts(request.user, village_code=village, month=month)
    return render_page(request, "work/labour_list.html", {
        "rows": rows, "total": members.count(), "villages": queries.villages_for(request.user), "village": village,
        "activity": activity, "q": search, "activities": Activity.choices, "month": month,
        "by_activity": [(label, counts["activity"][value]) for value, label in Activity.choices
                        if counts["activity"].get(value)],
        "by_band": [(label, counts["band"].get(key, 0)) for key, label in BAND_LABELS.items()],
        "area_short": AREA_SHORT,
        "may_bulk": can(request.user, "labour.bulk"), "may_import": can(request.user, "labour.import"),
    }, partial="rows")


@outbox_form
@login_required
@GET_POST
def labourer(request: HttpRequest, pk: int) -> HttpResponse:
    """A labourer's months, and their status recorded for a month (a phone form, sent again safely)."""
    require(request.user, "labour.view")
    member, statuses = queries.member_statuses(request.user, pk)
    may_record = can(request.user, "labour.record")
    latest = statuses[0] if statuses else None
    initial = {"month": month_start(local_today())}
    if latest is not None:
        initial.update(activity=latest.activity, place_code=latest.place_code, place_name=latest.place_name,
                       employer=latest.employer, job=latest.job, wage=latest.wage_fen, started_on=latest.started_on,
                       reason=latest.reason)
    form = StatusPageForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        require(request.user, "labour.record")
        if form.is_valid():
            try:
                services.status_record(member=member, data=form.cleaned_data, actor=request.user,
                                       source=Source.PAGE,
                                       client_id=form.cleaned_data.get("client_id"))
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, _("The month's status is recorded."))
                return redirect("work:labourer", member.pk)
    outbox_errors(request, form)
    return render(request, "work/labourer.html", {
        "member": member, "statuses": statuses, "form": form, "may_record": may_record, "area_short": AREA_SHORT,
        "client_id": form["client_id"].value() or uuid.uuid4(),
    })


@login_required
@GET_POST
def grid(request: HttpRequest) -> HttpResponse:
    """The office's statuses of a village's labourers for a month, all saved together or none."""
    require(request.user, "labour.bulk")
    villages = queries.villages_for(request.user)
    code = _village(request) or (villages[0].code if villages else "")
    month = _month(request.GET.get("month"))
    if not code:
        raise Http404("no village")
    village = queries.village_get(request.user, code)
    rows = queries.grid_rows(request.user, village, month)
    data = request.POST if request.method == "POST" else None
    forms_rows = []
    for member, status in rows:
        initial = {}
        if status is not None:
            # An earlier month's status is a starting point for the place and employer; its status is
            # not this month's answer until someone chooses it.
            initial = {"activity": status.activity if status.month == month else "", "reason": status.reason,
                       "place_code": status.place_code,
                       "place_name": status.place_name, "employer": status.employer, "job": status.job,
                       "wage": status.wage_fen, "started_on": status.started_on}
        form = StatusForm(None if data is None else {**data.dict(), f"m{member.pk}-month": month.strftime("%Y-%m")},
                          prefix=f"m{member.pk}", initial={**initial, "month": month})
        forms_rows.append((member, status, form, status is not None and status.month == month))
    if request.method == "POST":
        chosen = [(m, f) for m, _s, f, _same in forms_rows if data.get(f"m{m.pk}-activity")]
        valid = all(f.is_valid() for _m, f in chosen)
        if valid and chosen:
            try:
                n = services.statuses_grid_save(village=village, month=month,
                                                rows=[(m, f.cleaned_data) for m, f in chosen], actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(n)d labourers' statuses recorded for %(month)s.")
                                 % {"n": n, "month": month.strftime("%Y-%m")})
                return redirect(reverse("work:grid") + f"?village={village.code}&month={month:%Y-%m}")
        elif not chosen:
            messages.error(request, _("Choose a status for at least one labourer."))
        else:
            messages.error(request, _("Nothing was recorded: correct the rows marked below."))
    return render(request, "work/grid.html", {
        "village": village, "villages": villages, "month": month, "rows": forms_rows, "activities": Activity.choices,
    })


@login_required
@GET_POST
def status_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "labour.import")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.statuses_import(source=form.cleaned_data["file"], actor=request.user,
                                          dry_run=form.cleaned_data["dry_run"])
        if not result.errors and not form.cleaned_data["dry_run"]:
            messages.success(request, _("%(created)d statuses recorded, %(changed)d changed.")
                             % {"created": result.created, "changed": result.changed})
            return redirect("work:labour")
    return render(request, "work/import.html", {"form": form, "result": result})


# --- drives -------------------------------------------------------------------------------------

@login_required
@GET
def drive_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "drive.view")
    return render(request, "work/drive_list.html", {
        "rows": list(queries.drives_for(request.user)[:100]), "may_manage": can(request.user, "drive.manage")})


@login_required
@GET_POST
def drive_add(request: HttpRequest) -> HttpResponse:
    require(request.user, "drive.manage")
    townships = queries.townships_for(request.user)
    own = request.user.region_id if request.user.region_id and len(townships) == 1 else ""
    form = DriveForm(request.POST if request.method == "POST" else None,
                     initial={"start": local_today(), "township": own or (townships[0].code if townships else "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        township = next((t for t in townships if t.code == (data["township"] or own)), None)
        if township is None:
            form.add_error("township", _("Choose a township of your area."))
        else:
            try:
                drive = services.drive_create(township=township, title=data["title"], start=data["start"],
                                              end=data["end"], rule=data["rule"], actor=request.user)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, _("The drive is open with its labourers."))
                return redirect("work:drive", drive.pk)
    return render(request, "work/drive_form.html", {"form": form, "townships": townships})


@login_required
@GET
def drive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "drive.view")
    drive = queries.drive_get(request.user, pk)
    outcome = request.GET.get("outcome", "")
    if outcome not in Outcome.values:
        outcome = ""
    village = _village(request)
    targets = list(queries.placements(request.user, drive, outcome=outcome, village_code=village)[:500])
    return render_page(request, "work/drive.html", {
        "drive": drive, "targets": targets, "counts": queries.drive_counts(request.user, drive),
        "outcome": outcome, "outcomes": Outcome.choices, "village": village,
        "villages": [v for v in queries.villages_for(request.user) if v.code.startswith(drive.region_code)],
        "may_record": can(request.user, "drive.record"), "area_short": AREA_SHORT,
    }, partial="targets")


@outbox_form
@login_required
@GET_POST
def drive_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """One labourer's outcome (a phone form)."""
    require(request.user, "drive.record")
    row = queries.target_get(request.user, pk)
    drive = row.drive
    form = OutcomePageForm(request.POST if request.method == "POST" else None, initial={
        "outcome": row.outcome if row.outcome != Outcome.PENDING else "", "returned_on": row.returned_on,
        "place_code": row.place_code, "place_name": row.place_name, "reason": row.reason,
        "transport": row.transport, "version": row.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.drive_outcome_record(target=row, data=form.cleaned_data, actor=request.user,
                                          version=form.cleaned_data.get("version"))
        except ValidationError as error:
            attach_errors(error, form)
        except ConflictError as error:
            messages.error(request, str(error.message))
            return redirect("work:drive_outcome", row.pk)
        else:
            messages.success(request, _("%(name)s: outcome recorded.") % {"name": row.member.name})
            return redirect("work:drive", drive.pk)
    outbox_errors(request, form)
    return render(request, "work/outcome_form.html", {
        "drive": drive, "target": row, "form": form,
        "client_id": form["client_id"].value() or uuid.uuid4()})


# --- subsidies ----------------------------------------------------------------------------------

@login_required
@GET
def subsidy_lists(request: HttpRequest) -> HttpResponse:
    require(request.user, "subsidy.view")
    return render(request, "work/subsidy_list.html", {
        "rows": list(queries.subsidy_lists_for(request.user)[:100]),
        "may_prepare": can(request.user, "subsidy.prepare"), "may_rates": can(request.user, "subsidy.rates")})


@login_required
@GET_POST
def subsidy_add(request: HttpRequest) -> HttpResponse:
    require(request.user, "subsidy.prepare")
    townships = queries.townships_for(request.user)
    form = SubsidyListForm(request.POST if request.method == "POST" else None,
                           initial={"year": local_today().year - 1})
    code = request.POST.get("township", "") if request.method == "POST" else ""
    if request.method == "POST" and form.is_valid():
        township = next((t for t in townships if t.code == code), townships[0] if len(townships) == 1 else None)
        if township is None:
            form.add_error(None, _("Choose a township of your area."))
        else:
            try:
                made = services.subsidy_list_prepare(township=township, year=form.cleaned_data["year"],
                                                     actor=request.user)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, _("The list is prepared; the county approves it."))
                return redirect("work:subsidy", made.pk)
    return render(request, "work/subsidy_form.html", {"form": form, "townships": townships})


@login_required
@GET
def subsidy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "subsidy.view")
    found = queries.subsidy_list_get(request.user, pk)
    return render(request, "work/subsidy.html", {
        "list": found, "payments": list(queries.payments_of(request.user, found)), "area_short": AREA_SHORT,
        "may_prepare": can(request.user, "subsidy.prepare") and found.status == "draft",
        "may_approve": can(request.user, "subsidy.approve") and found.status == "draft",
    })


@login_required
@require_POST
def subsidy_account(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "subsidy.prepare")
    row = queries.payment_get(request.user, pk)
    found = row.subsidy_list
    form = AccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{row.name}: " + " ".join(m for ms in form.errors.values() for m in ms))
    else:
        try:
            services.subsidy_account_set(payment=row, account=form.cleaned_data["account"], actor=request.user,
                                         version=form.cleaned_data.get("version"))
        except (ConflictError, ValidationError) as error:
            messages.error(request, _message(error))
        else:
            messages.success(request, _("%(name)s: bank card recorded.") % {"name": row.name})
    return redirect("work:subsidy", found.pk)


@login_required
@require_POST
def subsidy_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "subsidy.prepare")
    row = queries.payment_get(request.user, pk)
    found = row.subsidy_list
    try:
        services.subsidy_payment_remove(payment=row, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("%(name)s is taken off the list.") % {"name": row.name})
    return redirect("work:subsidy", found.pk)


@login_required
@require_POST
def subsidy_approve(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "subsidy.approve")
    found = queries.subsidy_list_get(request.user, pk)
    try:
        services.subsidy_list_approve(subsidy_list=found, actor=request.user)
    except (ConflictError, ValidationError) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("The list is approved; it may be exported for the bank."))
    return redirect("work:subsidy", found.pk)


@login_required
@GET
def subsidy_export(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "subsidy.view")
    found = queries.subsidy_list_get(request.user, pk)
    try:
        content = services.subsidy_export(subsidy_list=found, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
        return redirect("work:subsidy", found.pk)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="subsidy-{found.region_code}-{found.year}.xlsx"'
    return response


@login_required
@GET_POST
def subsidy_rates(request: HttpRequest) -> HttpResponse:
    """The county's yearly subsidy by 地域."""
    require(request.user, "subsidy.rates")
    code = (request.user.region_id or "")[:COUNTY_LENGTH] if request.user.role != Role.ADMIN else (
        _village(request, "county") or "")
    county = Region.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None and request.user.role == Role.ADMIN:
        county = Region.objects.filter(level=Level.COUNTY).order_by("code").first()
    if county is None:
        raise Http404("no county")
    amounts = services.subsidy_amounts(county.code)
    form = RatesForm(request.POST if request.method == "POST" else None,
                     initial={area: amounts[area] for area in services.SUBSIDISED})
    if request.method == "POST" and form.is_valid():
        services.subsidy_rates_set(county=county, amounts={Area(k): v for k, v in form.cleaned_data.items()},
                                   actor=request.user)
        messages.success(request, _("The county's subsidy amounts are saved."))
        return redirect("work:subsidies")
    return render(request, "work/rates.html", {"form": form, "county": county})
