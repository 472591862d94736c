"""The asset register's pages: the register with its filters, an asset's page (inspections with
photos and findings, income by month, the year's plans), the forms (an asset; an inspection and
an income line on a phone, through the outbox; a fix; a plan, its approval and publication; a
payout), the open fixes of the area, the printed plan and the photos (scope checked)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bangfu.accounts.models import User
from bangfu.assets import defaults, photos, queries, services
from bangfu.assets.forms import (
    AssetEditForm,
    AssetForm,
    AssetSettingForm,
    FixForm,
    IncomeForm,
    InspectionForm,
    PayoutForm,
    PlanForm,
)
from bangfu.assets.models import AssetClass, AssetKind, OwnerLevel, PlanStatus
from bangfu.core.codes import Level, prefix_q
from bangfu.core.dates import local_today
from bangfu.core.forms import attach_errors
from bangfu.core.outbox import outbox_errors, outbox_form
from bangfu.core.permissions import Role, can, require
from bangfu.households.models import Household
from bangfu.regions.models import Region

GET = require_http_methods(["GET"])
POST = require_http_methods(["POST"])
GET_POST = require_http_methods(["GET", "POST"])
LIST_ROWS = 500


def _inspectors(village_code: str | None, user) -> list[User]:
    rows = User.objects.filter(is_active=True, role__in=(Role.VILLAGE, Role.CASEWORKER))
    if village_code:
        rows = rows.filter(region_id=village_code)
    elif user.role != Role.ADMIN and user.region_id:
        rows = rows.filter(prefix_q("region_id", user.region_id))
    return list(rows.order_by("region_id", "username")[:300])


@login_required
@GET
def asset_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "asset.view")
    filters = {
        "asset_class": request.GET.get("class", "") if request.GET.get("class") in AssetClass.values else "",
        "kind": request.GET.get("kind", "") if request.GET.get("kind") in AssetKind.values else "",
        "village": request.GET.get("village", "")[:15] if request.GET.get("village", "").isdigit() else "",
        "keeper": request.GET.get("keeper", "")[:50].strip(),
    }
    rows = queries.assets_list(request.user, **filters)
    total = rows.count()
    shown = list(rows[:LIST_ROWS])
    today = local_today()
    due = {d.asset.pk: d for d in queries.inspections_due(
        queries.assets_list(request.user, **filters).filter(pk__in=[a.pk for a in shown]), today=today)}
    return render(request, "assets/list.html", {
        "rows": [(a, due.get(a.pk)) for a in shown], "total": total, "filters": filters,
        "value": sum(a.value_fen for a in shown), "today": today,
        "classes": AssetClass.choices, "kinds": AssetKind.choices, "villages": queries.villages_for(request.user),
        "may_manage": can(request.user, "asset.manage")})


@login_required
@GET_POST
def asset_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "asset.manage")
    villages = queries.villages_for(request.user)
    form = AssetForm(request.POST or None, villages=villages, inspectors=_inspectors(None, request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = None
        if data["owner_level"] == OwnerLevel.HOUSEHOLD and data["household"]:
            household = Household.objects.visible_to(request.user).filter(number=data["household"]).first()
            if household is None:
                form.add_error("household", _("No household with this number in your area."))
        if form.is_valid():
            inspector = User.objects.filter(pk=data["inspector"]).first() if data["inspector"] else None
            try:
                asset = services.asset_create(
                    name=data["name"], asset_class=data["asset_class"], kind=data["kind"],
                    village=Region.objects.get(code=data["village"]), value_fen=data["value"] or 0,
                    owner_level=data["owner_level"], owner_name=data["owner_name"], household=household,
                    keeper=data["keeper"], inspector=inspector, location=data["location"], actor=request.user)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, _("Asset registered."))
                return redirect("assets:detail", asset.pk)
    return render(request, "assets/asset_form.html", {"form": form})


@login_required
@GET
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "asset.view")
    asset = queries.asset_get(request.user, pk)
    today = local_today()
    year = today.year
    inspections = queries.inspections_of(asset)
    return render(request, "assets/detail.html", {
        "asset": asset, "today": today, "due": queries.asset_due(asset),
        "inspections": [(i, queries.checklist_rows(asset, i)) for i in inspections],
        "findings": queries.findings_open(asset),
        "months": queries.income_months(asset, year), "year": year,
        "money": services.year_money(asset, year),
        "plans": list(asset.plans.all()), "entries": queries.income_entries(asset, limit=24)})


@login_required
@GET_POST
def asset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "asset.manage")
    asset = queries.asset_get(request.user, pk)
    form = AssetEditForm(request.POST or None, inspectors=_inspectors(asset.region_code, request.user), initial={
        "location": asset.location, "value": asset.value_fen / 100, "keeper": asset.keeper,
        "inspector": asset.inspector_id or ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        inspector = User.objects.filter(pk=data["inspector"]).first() if data["inspector"] else None
        try:
            services.asset_edit(asset=asset, actor=request.user, keeper=data["keeper"], inspector=inspector,
                                location=data["location"], value_fen=data["value"] or 0)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("Asset changed."))
            return redirect("assets:detail", asset.pk)
    return render(request, "assets/asset_edit.html", {"form": form, "asset": asset})


@outbox_form
@login_required
@GET_POST
def inspection_create(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "asset.inspect")
    asset = queries.asset_get(request.user, pk)
    form = InspectionForm(request.POST or None, request.FILES or None, kind=asset.kind,
                          initial={"day": local_today()})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                _inspection, created = services.inspection_create(
                    asset=asset, client_id=data["client_id"], actor=request.user, uploads=data["photos"],
                    data=services.InspectionData(day=data["day"], checklist=form.checklist(), note=data["note"],
                                                 finding=data["finding"], fix_by=data["fix_by"]))
            except ValidationError as error:
                attach_errors(error, form)
            else:
                if created:
                    messages.success(request, _("Inspection recorded."))
                else:
                    messages.info(request, _("This was recorded already."))
                return redirect("assets:detail", asset.pk)
    outbox_errors(request, form)
    return render(request, "assets/inspection_form.html", {"form": form, "asset": asset,
                                                          "photos_max": defaults.PHOTOS_MAX},
                  status=422 if form.errors else 200)


@login_required
@GET_POST
def finding_fix(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "asset.fix")
    row = queries.finding_get(request.user, pk)
    asset = row.asset
    form = FixForm(request.POST or None, initial={"fixed_on": local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_fix(finding=row, fixed_on=form.cleaned_data["fixed_on"], note=form.cleaned_data["note"],
                                 actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("Fix recorded."))
            return redirect("assets:detail", asset.pk)
    return render(request, "assets/fix_form.html", {"form": form, "asset": asset, "finding": row})


@login_required
@GET
def fixes(request: HttpRequest) -> HttpResponse:
    require(request.user, "asset.view")
    rows = list(queries.findings_for(request.user)[:LIST_ROWS])
    return render(request, "assets/fixes.html", {"rows": rows, "today": local_today()})


@outbox_form
@login_required
@GET_POST
def income_create(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "asset.income")
    asset = queries.asset_get(request.user, pk)
    form = IncomeForm(request.POST or None, initial={"month": local_today().replace(day=1)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _entry, created = services.income_record(
                asset=asset, month=data["month"], category=data["category"], amount_fen=data["amount"],
                note=data["note"], client_id=data["client_id"], actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("Recorded.") if created else _("This was recorded already."))
            return redirect("assets:detail", asset.pk)
    outbox_errors(request, form)
    return render(request, "assets/income_form.html", {"form": form, "asset": asset})


@login_required
@GET_POST
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "asset.plan")
    asset = queries.asset_get(request.user, pk)
    least = services.welfare_min_percent(asset.region_code)
    form = PlanForm(request.POST or None, initial={"year": local_today().year, "welfare_percent": least})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(asset=asset, year=form.cleaned_data["year"], shares=form.shares(),
                                        meeting=form.cleaned_data["meeting"], actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        except services.StateRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("assets:plan", plan.pk)
    return render(request, "assets/plan_form.html", {"form": form, "asset": asset, "least": least})


@login_required
@GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "asset.view")
    row = queries.plan_get(request.user, pk)
    asset = row.asset
    money, shares = queries.plan_shares(row)
    return render(request, "assets/plan.html", {
        "asset": asset, "plan": row, "money": money, "shares": shares,
        "payouts": list(row.payouts.order_by("day", "pk")), "statuses": PlanStatus,
        "print": request.GET.get("print") == "1"})


def _plan_step(request: HttpRequest, pk: int, step) -> HttpResponse:
    row = queries.plan_get(request.user, pk)
    try:
        step(plan=row, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except services.StateRefused as error:
        messages.error(request, error.message)
    return redirect("assets:plan", row.pk)


@login_required
@POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "asset.approve")
    return _plan_step(request, pk, services.plan_approve)


@login_required
@POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "asset.plan")
    return _plan_step(request, pk, services.plan_publish)


@login_required
@GET_POST
def payout_create(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "asset.income")
    row = queries.plan_get(request.user, pk)
    asset = row.asset
    form = PayoutForm(request.POST or None, initial={"day": local_today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.payout_record(plan=row, share=data["share"], amount_fen=data["amount"], day=data["day"],
                                   payee=data["payee"], client_id=data["client_id"], actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        except services.StateRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Payout recorded."))
            return redirect("assets:plan", row.pk)
    money, shares = queries.plan_shares(row)
    return render(request, "assets/payout_form.html", {"form": form, "asset": asset, "plan": row, "shares": shares})


@login_required
@GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo of an asset in the user's area (404 otherwise, and for a file gone missing)."""
    require(request.user, "asset.view")
    row = queries.photo_get(request.user, pk)
    try:
        handle = open(photos.photo_file(row.path), "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError:
        raise Http404("no such photo") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@GET_POST
def asset_settings(request: HttpRequest) -> HttpResponse:
    """A county's rules for its assets: a county user sets their own county's, an administrator any."""
    require(request.user, "asset.settings")
    counties = list(Region.objects.within(request.user.scope).filter(level=Level.COUNTY).order_by("code"))
    chosen = request.POST.get("county") or request.GET.get("county") or (counties[0].code if counties else "")
    county = next((c for c in counties if c.code == chosen), counties[0] if counties else None)
    initial = {}
    if county is not None:
        initial = {"county": county.code, "welfare_min_percent": services.welfare_min_percent(county.code),
                   **{f"days_{kind}": services.interval_days(kind, county.code) for kind in AssetKind.values}}
    form = AssetSettingForm(request.POST or None, counties=counties, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.asset_setting_set(county=county, welfare_min_percent=form.cleaned_data["welfare_min_percent"],
                                       intervals=form.intervals(), actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("assets:settings")
    return render(request, "assets/settings.html", {"form": form, "county": county})
