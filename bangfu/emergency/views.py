"""Emergency pages: the emergencies of the area and opening one (office, county); an emergency's
overview with the day's numbers, fever alerts and the village board; the daily check board and the
one-screen check form (caseworker, phone); returnees and registering one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bangfu.core.codes import TOWNSHIP_LENGTH, Level, township_of
from bangfu.core.dates import local_today
from bangfu.core.forms import attach_errors
from bangfu.core.outbox import offline_page, outbox_errors, outbox_form
from bangfu.core.permissions import Role, can, require
from bangfu.deliveries import queries as delivery_queries
from bangfu.emergency import queries, services
from bangfu.emergency.forms import CheckForm, EmergencyForm, ExtendForm, ReturneeForm
from bangfu.emergency.models import EmergencyStatus
from bangfu.households import services as household_services
from bangfu.households.models import Household
from bangfu.regions.models import Region
from bangfu.supplies import queries as supply_queries

GET_POST = require_http_methods(["GET", "POST"])


def _regions_to_open(user) -> list[Region]:
    """The user's own region and the townships (and villages) under it."""
    qs = Region.objects.filter(level__in=(Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE))
    if user.role != Role.ADMIN:
        qs = qs.within(user.region_id or "-")
    return list(qs.order_by("code")[:300])


@login_required
@require_http_methods(["GET"])
def emergency_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "emergency.view")
    rows = list(queries.emergencies_for(request.user)[:100])
    return render(request, "emergency/emergency_list.html", {
        "rows": rows, "today": local_today(), "may_open": can(request.user, "emergency.manage"),
    })


@login_required
@GET_POST
def emergency_open(request: HttpRequest) -> HttpResponse:
    require(request.user, "emergency.manage")
    regions = _regions_to_open(request.user)
    form = EmergencyForm(request.POST if request.method == "POST" else None, regions=regions,
                         initial={"start": local_today(),
                                  "region": request.user.region_id or ""})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = next(r for r in regions if r.code == data["region"])
        try:
            emergency = services.emergency_open(
                region=region, kind=data["kind"], title=data["title"], start=data["start"], end=data["end"],
                check_items=data["check_items"], fever_threshold=data["fever_threshold"],
                quarantine_days=data["quarantine_days"], supplies_days=data["supplies_days"],
                actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            services.checks_generate()
            messages.success(request, _("The emergency is open; today's daily checks are on the caseworkers' lists."))
            return redirect("emergencies:overview", emergency.pk)
    return render(request, "emergency/emergency_form.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def emergency_overview(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "emergency.view")
    user = request.user
    emergency = queries.emergency_get(user, pk)
    today = local_today()
    township = None
    if len(emergency.region_code) >= TOWNSHIP_LENGTH:
        township = Region.objects.filter(code=township_of(emergency.region_code)).first()
    stock = supply_queries.stock_lines(township) if township and can(user, "supplies.view") else []
    by = "caseworker" if request.GET.get("by") == "caseworker" else "village"
    board = queries.check_board(user, today, emergency=emergency, by=by, page=None)
    return render(request, "emergency/overview.html", {
        "emergency": emergency, "today": today, "numbers": queries.emergency_numbers(user, emergency, today),
        "alerts": queries.fever_alerts(user, emergency, today),
        "deliveries": delivery_queries.delivery_counts(user),
        "stock": [line for line in stock if line.quantity or line.outstanding],
        "board": board, "by": by, "base_query": urlencode({"by": by, "emergency": emergency.pk}),
        "groups_query": urlencode({"by": by, "emergency": emergency.pk}),
        "may_manage": can(user, "emergency.manage") and emergency.status == EmergencyStatus.OPEN,
        "extend_form": ExtendForm(initial={"end": emergency.end}),
    })


@login_required
@require_POST
def emergency_extend(request: HttpRequest, pk: int) -> HttpResponse:
    emergency = queries.emergency_get(request.user, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            services.emergency_extend(emergency=emergency, end=form.cleaned_data["end"], actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The end date is changed."))
    else:
        messages.error(request, _("Enter a valid date."))
    return redirect("emergencies:overview", emergency.pk)


@login_required
@require_POST
def emergency_close(request: HttpRequest, pk: int) -> HttpResponse:
    emergency = queries.emergency_get(request.user, pk)
    try:
        services.emergency_close(emergency=emergency, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The emergency is closed."))
    return redirect("emergencies:overview", emergency.pk)


@login_required
@require_http_methods(["GET"])
def check_board(request: HttpRequest) -> HttpResponse:
    """Which households are not checked yet today, counted by village (or caseworker), and the
    list of them page by page, of one group or of all; of one emergency or of every open one."""
    require(request.user, "check.view")
    today = local_today()
    by = "caseworker" if request.GET.get("by") == "caseworker" else "village"
    emergency = None
    if request.GET.get("emergency", "").isdigit():
        emergency = queries.emergency_get(request.user, int(request.GET["emergency"]))
    board = queries.check_board(request.user, today, emergency=emergency, by=by,
                                group=request.GET.get("group", ""), page=request.GET.get("page", 1),
                                per_page=queries.BOARD_PAGE, group_page=request.GET.get("groups", 1),
                                groups_per_page=queries.GROUPS_PAGE)
    base = {"by": by, **({"emergency": emergency.pk} if emergency else {})}
    groups = {"groups": board.group_page.number} if board.group_page.number > 1 else {}
    chosen = {"group": board.group.key} if board.group else {}
    return render(request, "emergency/check_board.html", {
        "board": board, "by": by, "today": today, "emergency": emergency,
        "page_query": urlencode({**base, **groups, **chosen}), "base_query": urlencode({**base, **groups}),
        "groups_query": urlencode({**base, **chosen}),
    })


def _after_check(request: HttpRequest) -> str:
    """Back where the check was opened from: the caseworker's day, or the board."""
    following = request.POST.get("next") or ""
    if following and url_has_allowed_host_and_scheme(following, allowed_hosts={request.get_host()}):
        return following
    return reverse("casework:worklist") if request.user.role == Role.CASEWORKER else reverse("emergencies:checks")


@offline_page
@outbox_form
@login_required
@GET_POST
def check_form(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "check.view")
    check = queries.check_get(request.user, pk)
    may_submit = can(request.user, "check.submit")
    people = services.check_people(check)
    form = CheckForm(request.POST if request.method == "POST" and may_submit else None,
                     emergency=check.emergency, people=people, check=check)
    if request.method == "POST":
        require(request.user, "check.submit")
        if form.is_valid():
            try:
                row, _written = services.check_submit(check=check, actor=request.user, people=people,
                                                      **form.service_kwargs())
            except ValidationError as error:
                attach_errors(error, form)
            else:
                if row.fever:
                    messages.warning(request, _("Fever recorded: the township office is alerted and an urgent "
                                                "medical need is open."))
                else:
                    messages.success(request, _("The daily check is recorded."))
                return redirect(_after_check(request))
    outbox_errors(request, form)
    readings = {(f"m{r.member_id}" if r.member_id else f"r{r.returnee_id}"): r for r in check.readings.all()}
    return render(request, "emergency/check_form.html", {
        "check": check, "form": form, "readings": readings, "may_submit": may_submit,
        "household": check.household, "emergency": check.emergency, "back": _after_check(request),
    })


@login_required
@require_http_methods(["GET"])
def returnee_list(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "emergency.view")
    emergency = queries.emergency_get(request.user, pk)
    today = local_today()
    return render(request, "emergency/returnee_list.html", {
        "emergency": emergency, "rows": queries.returnees_for(request.user, emergency), "today": today,
        "may_register": can(request.user, "returnee.register") and emergency.status == EmergencyStatus.OPEN,
    })


def _returnee_household(request: HttpRequest, form: ReturneeForm) -> tuple[Household | None, list[Household]]:
    """The household typed on the form (number, name or ID number), or the one picked among several
    matches: (household, []) when found, (None, the matches to choose from) otherwise, with the
    form's error saying which."""
    pick = form.cleaned_data.get("household_pick")
    if pick:
        household = Household.objects.visible_to(request.user).select_related("region").filter(pk=pick).first()
        if household is not None:
            return household, []
    text = (form.cleaned_data.get("household") or "").strip()
    if not text:
        return None, []
    found = queries.households_for_returnee(request.user, text)
    if len(found) == 1:
        return found[0], []
    if not found:
        form.add_error("household", _("No household in your area matches “%(text)s”: enter its number, the name "
                                      "of someone in it, or an ID number.") % {"text": text})
        return None, []
    form.add_error("household", _("%(n)d households match “%(text)s”: choose one below.") % {
        "n": len(found), "text": text})
    return None, found


@offline_page
@outbox_form
@login_required
@GET_POST
def returnee_register(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "returnee.register")
    emergency = queries.emergency_get(request.user, pk)
    initial = {"arrival": local_today()}
    household_id = request.GET.get("household", "")
    if household_id.isdigit():
        household = Household.objects.visible_to(request.user).filter(pk=int(household_id)).first()
        if household is not None:
            initial["household"] = household.number
    villages = (list(services.new_household_villages(request.user, emergency).order_by("code")[:300])
                if can(request.user, "household.create") else None)
    form = ReturneeForm(request.POST if request.method == "POST" else None, initial=initial, villages=villages)
    candidates: list[Household] = []
    if request.method == "POST":
        # Every error in one round: the form's own, the household typed, and what the service would
        # refuse of the ID number and phone.
        form.is_valid()
        data = form.cleaned_data
        if data.get("client_id") and queries.returnee_registered(request.user, client_id=data["client_id"]):
            # A double tap or a retry: registered by the first submission, nothing to check again,
            # unless what was sent differs from what was stored under its id.
            services.returnee_replay_check(client_id=data["client_id"], payload=services.returnee_payload(
                emergency=emergency, name=data.get("name", ""), id_number=data.get("id_number", ""),
                origin=data.get("origin", ""), arrival=data.get("arrival"), transport=data.get("transport", ""),
                phone=data.get("phone", ""), screening=data.get("screening", ""), help_note=data.get("help_note", ""),
                **form.answers()))
            messages.info(request, _("The returnee is registered."))
            return redirect("emergencies:returnees", emergency.pk)
        household, new_household = None, None
        if form.joins_new_household():
            if data.get("village"):
                new_household = services.NewHousehold(village=data["village"], address=data.get("address", ""),
                                                      education=data.get("education", ""),
                                                      school_status=data.get("school_status", ""))
            errors = household_services.registry_errors(actor=request.user, members=[data]) \
                if data.get("id_number") else {}
            if errors:
                attach_errors(ValidationError(errors), form, members=[form])
        elif "household" not in form.errors:
            household, candidates = _returnee_household(request, form)
        checked, _parsed, _phone = services.returnee_person_checked(
            emergency=emergency, id_number=data.get("id_number", ""), phone=data.get("phone", ""))
        for name, messages_ in checked.items():
            if name not in form.errors:
                for message in messages_:
                    form.add_error(name, message)
        if not form.errors:
            try:
                services.returnee_register(
                    emergency=emergency, household=household, new_household=new_household, name=data["name"],
                    id_number=data["id_number"], phone=data["phone"], origin=data["origin"],
                    arrival=data["arrival"], transport=data["transport"], screening=data["screening"],
                    help_note=data["help_note"], client_id=data["client_id"] or None, actor=request.user,
                    **form.answers())
            except ValidationError as error:
                attach_errors(error, form)
            except Http404:
                form.add_error("household", _("No household with this number in your area."))
            else:
                messages.success(request, _("The returnee is registered."))
                return redirect("emergencies:returnees", emergency.pk)
    outbox_errors(request, form)
    return render(request, "emergency/returnee_form.html", {
        "emergency": emergency, "form": form, "candidates": candidates})
