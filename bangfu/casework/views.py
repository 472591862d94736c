"""Casework pages: the caseworker's day and its printable list, the contact form, campaigns and their
coverage, the four-condition overview, schedules. Thin: parse, call a query or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bangfu.accounts.models import User
from bangfu.accounts.queries import caseworkers_near
from bangfu.casework import queries, services
from bangfu.casework.contactform import contact_form_parts
from bangfu.casework.forms import CONDITION_LABELS, CampaignForm, ContactForm, ExtendForm, ScheduleForm
from bangfu.casework.models import CONDITIONS, Channel, FollowUp, FollowUpStatus, NotReachedReason
from bangfu.casework.printcolumns import print_columns
from bangfu.casework.worklist import caseworker_version, worklist_for
from bangfu.core.codes import TOWNSHIP_LENGTH, Level, level_of
from bangfu.core.dates import local_today
from bangfu.core.forms import attach_errors
from bangfu.core.outbox import offline_page, outbox_errors, outbox_form
from bangfu.core.permissions import Role, can, require
from bangfu.history import queries as history_queries
from bangfu.history.pagecache import cached_page
from bangfu.households import choices as household_choices
from bangfu.households import queries as household_queries
from bangfu.households import services as household_services
from bangfu.households.identity import mask_phone
from bangfu.households.schemas import MAX_ID
from bangfu.regions import queries as region_queries
from bangfu.regions.models import Region

GET_POST = require_http_methods(["GET", "POST"])
# Rows of each section of the worklist page (the printable list and ?all=1 show up to SECTION_LIMIT).
WORKLIST_PAGE_ROWS = 30
# Caseworkers a page of the office's view of their day (a township has hundreds).
WORKLISTS_PAGE_ROWS = 50


def _caseworker_for(request: HttpRequest, user_id: int | None) -> User:
    """The caseworker whose day is shown: oneself, or (for the office) one working within its area."""
    user = request.user
    if user_id is None or user_id == user.pk:
        require(user, "worklist.view")
        return user
    require(user, "worklist.view_others")
    if user_id > MAX_ID:
        raise Http404("no such caseworker")
    caseworker = User.objects.filter(pk=user_id, role=Role.CASEWORKER, is_active=True).first()
    if caseworker is None or not (user.role == Role.ADMIN or (caseworker.region_id or "").startswith(user.scope)):
        raise Http404("no such caseworker")
    return caseworker


# --- the caseworker's day -------------------------------------------------------------------------

def users_area(request: HttpRequest, *args, **kwargs) -> str:
    """The version of what the user sees (history.pagecache): a caseworker's work, or everything
    in the user's scope."""
    user = request.user
    if user.role == Role.CASEWORKER:
        return caseworker_version(user.pk, user.region_id or "")
    return str(history_queries.area_version(user.scope))


def _worklist_area(request: HttpRequest, user_id: int | None = None) -> str:
    """The version of a caseworker's day: one's own, or (for the office) that caseworker's."""
    if user_id is None or user_id == request.user.pk:
        return users_area(request)
    if user_id > MAX_ID:
        return ""  # no such user; the view refuses (403 or 404) before anything is kept
    region = User.objects.filter(pk=user_id).values_list("region_id", flat=True).first()
    return caseworker_version(user_id, region or "")


@offline_page
@login_required
@require_http_methods(["GET"])
@cached_page(_worklist_area)
def worklist(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    if user_id is None and not can(request.user, "worklist.view") and can(request.user, "worklist.view_others"):
        return redirect("casework:worklists")
    caseworker = _caseworker_for(request, user_id)
    day = local_today()
    sections = worklist_for(caseworker, day)
    show_all = request.GET.get("all") == "1"
    if not show_all:
        # A phone screen: the first rows of each section, most urgent first; the rest on request.
        for section in sections:
            section.items = section.items[:WORKLIST_PAGE_ROWS]
    return render(request, "casework/worklist.html", {
        "caseworker": caseworker, "own": caseworker.pk == request.user.pk, "day": day, "sections": sections,
        "total": sum(section.count for section in sections), "show_all": show_all,
        "may_view_others": can(request.user, "worklist.view_others"),
    })


@login_required
@require_http_methods(["GET"])
@cached_page(_worklist_area)
def worklist_print(request: HttpRequest, user_id: int | None = None) -> HttpResponse:
    caseworker = _caseworker_for(request, user_id)
    day = local_today()
    return render(request, "casework/worklist_print.html", {
        "caseworker": caseworker, "day": day, "sections": worklist_for(caseworker, day),
    })


PICK_LIMIT = 500  # regions listed on one level of the village picker; more are said to be there


@login_required
@require_http_methods(["GET"])
def village_print_pick(request: HttpRequest) -> HttpResponse:
    """The villages of the user's area, each with its printable list (a village cadre goes straight
    to theirs). Above a township, the user goes down the tree first (?area=a code in their area),
    so that a county's thousand villages are never cut to a first few hundred."""
    require(request.user, "worklist.view_others")
    scope = request.user.scope
    area = request.GET.get("area", "") or scope
    if not area.startswith(scope) or (area and not area.isdigit()):
        raise Http404
    region = Region.objects.filter(code=area).first() if area else None
    if area and region is None:
        raise Http404
    path = [r for r in region_queries.region_path(region) if r.code.startswith(scope) and r.code != area] \
        if region else []
    choosing_area = len(area) < TOWNSHIP_LENGTH
    found = list((region_queries.children_with_villages(area) if choosing_area
                  else region_queries.villages_within(area)).only("code", "name")[:PICK_LIMIT + 1])
    if not choosing_area and len(found) == 1 and area == scope:
        return redirect("casework:village_print", found[0].code)
    entries = [(f"?area={r.code}" if choosing_area else reverse("casework:village_print", args=[r.code]), r)
               for r in found[:PICK_LIMIT]]
    return render(request, "casework/village_pick.html", {
        "region": region, "path": path, "day": local_today(), "entries": entries,
        "choosing_area": choosing_area, "cut": len(found) > PICK_LIMIT, "limit": PICK_LIMIT,
    })


@login_required
@require_http_methods(["GET"])
@cached_page(lambda request, code: history_queries.area_version(code),
             unless=lambda request: request.GET.get("phones") == "full")
def village_print(request: HttpRequest, code: str) -> HttpResponse:
    """A village's list for the day, one A4 sheet per caseworker, for places where phones are not
    used. Phone numbers are masked; a user who may see them in full can print them so, and each
    one shown is recorded as a reveal."""
    require(request.user, "worklist.view_others")
    village = queries.village_get(request.user, code)
    day = local_today()
    listing = queries.village_day(request.user, village, day)
    may_reveal = can(request.user, "member.reveal_phone")
    full = may_reveal and request.GET.get("phones") == "full"
    households = [entry.household for group in listing.groups for entry in group.households]
    phones = (household_services.households_reveal_phones(actor=request.user, households=households,
                                                          message="phone: village daily list") if full else {})
    for household in households:
        household.phone_shown = phones.get(household.pk) or (mask_phone(household.phone) if household.phone_encrypted else "")
    # Other apps' columns (the day's daily check, deliveries), one cell per household.
    columns = print_columns([h.pk for h in households], day)
    for group in listing.groups:
        for entry in group.households:
            entry.cells = [cells.get(entry.household.pk, "") for _label, cells in columns]
    response = render(request, "casework/village_print.html", {
        "village": village, "day": day, "listing": listing, "may_reveal": may_reveal, "full": full,
        "columns": [label for label, _cells in columns], "conditions": [CONDITION_LABELS[n] for n in CONDITIONS],
    })
    if full:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET"])
@cached_page(users_area)
def worklists(request: HttpRequest) -> HttpResponse:
    """The office's view: each caseworker of its area with what is open today, a page of them at a
    time (two queries, whatever the number of caseworkers)."""
    require(request.user, "worklist.view_others")
    day = local_today()
    page = request.GET.get("page", "1")
    page = max(int(page), 1) if page.isdigit() and len(page) < 6 else 1
    start = (page - 1) * WORKLISTS_PAGE_ROWS
    caseworkers = list(caseworkers_near(request.user.scope).select_related("region")
                       .only("id", "username", "display_name", "role", "region_id", "region__code", "region__name")
                       .order_by("region_id", "display_name", "username", "pk")[start:start + WORKLISTS_PAGE_ROWS + 1])
    more = len(caseworkers) > WORKLISTS_PAGE_ROWS
    caseworkers = caseworkers[:WORKLISTS_PAGE_ROWS]
    counts = {
        row["household__caseworker"]: row for row in
        FollowUp.objects.visible_to(request.user)
        .filter(status=FollowUpStatus.DUE, due__lte=day, household__caseworker__in=[c.pk for c in caseworkers])
        .values("household__caseworker").annotate(
            overdue=Count("pk", filter=Q(due__lt=day)), today=Count("pk", filter=Q(due=day)))
    } if caseworkers else {}
    rows = [(c, counts.get(c.pk, {}).get("overdue", 0), counts.get(c.pk, {}).get("today", 0)) for c in caseworkers]
    return render(request, "casework/worklists.html", {
        "rows": rows, "day": day, "page": page, "previous": page - 1, "next": page + 1 if more else 0,
    })


@login_required
@require_POST
def call(request: HttpRequest, pk: int) -> HttpResponse:
    """Tap to call: the household's phone in full (the reveal is recorded), as a tel: link."""
    household = household_queries.household_get(request.user, pk)
    phone = household_services.household_reveal_phone(actor=request.user, household=household)
    context = {"phone": phone, "household": household}
    template = "casework/_call.html" if request.htmx else "casework/call.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


# --- the contact form -----------------------------------------------------------------------------

def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _parts_body(request: HttpRequest, form) -> dict[str, list[str]]:
    """The posted fields that are not the contact's own (the parts'): part of the submission's hash."""
    own = {*form.fields, "next", "followup"}
    return {key: request.POST.getlist(key) for key in request.POST
            if key not in own and not key.endswith("client_id")}


@offline_page
@outbox_form
@login_required
@GET_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "contact.create")
    household = household_queries.household_get(request.user, pk)
    day = local_today()
    campaigns = queries.running_campaigns_of(household, day)
    followup = None
    followup_id = request.GET.get("followup") or request.POST.get("followup")
    if followup_id and str(followup_id).isdigit():
        followup = FollowUp.objects.filter(pk=int(followup_id), household_id=household.pk).select_related("campaign").first()
    campaign = followup.campaign if followup and followup.campaign in campaigns else (
        campaigns[0] if len(campaigns) == 1 else None)
    # What the follow-up or campaign asks for is said next to the channel, never preselected.
    asked_channel = followup.channel if followup else campaign.channel if campaign else ""
    data = request.POST if request.method == "POST" else None
    form = ContactForm(data, campaigns=campaigns, campaign=campaign, followup_id=followup.pk if followup else None)
    parts = contact_form_parts(data, household=household, user=request.user)
    back = _next_url(request, reverse("casework:worklist") if request.user.role == Role.CASEWORKER
                     else reverse("households:detail", args=[household.pk]))
    if data is not None and form.is_valid() and all(part.is_valid() for part in parts):
        try:
            contact, created = services.contact_create(
                actor=request.user, household=household, then=[part.save for part in parts],
                extra=_parts_body(request, form), **form.service_kwargs())
        except ValidationError as error:
            attach_errors(error, form)
        else:
            name = household.head_name or household.number
            if created:
                saved = (_("Contact with %(name)s saved.") % {"name": name} if contact.reached
                         else _("Attempt to reach %(name)s saved.") % {"name": name})
                # What each part did with what it saved (a need reported, kept to solve).
                outcomes = [str(part.outcome) for part in parts if getattr(part, "outcome", "")]
                messages.success(request, " ".join([saved, *outcomes]))
            else:
                messages.info(request, _("This contact was already saved."))
            return redirect(back)
    outbox_errors(request, form, *parts)
    return render(request, "casework/contact_form.html", {
        "household": household, "form": form, "parts": parts, "followup": followup, "next": back,
        "asked_channel": Channel(asked_channel).label if asked_channel else "",
        "recent": queries.contacts_of(household, limit=3), "reasons": NotReachedReason.choices,
    })


# --- campaigns ---------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET"])
@cached_page(users_area)
def campaign_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "campaign.view")
    return render(request, "casework/campaign_list.html", {
        "rows": queries.campaign_list(request.user), "day": local_today(),
    })


def _campaign_areas(user: User) -> list[Region]:
    """The township itself (when the user's area is one) and its villages."""
    areas = list(Region.objects.filter(code=user.scope)) if level_of(user.scope) == Level.TOWNSHIP else []
    villages = region_queries.villages_within(user.scope).only("code", "name") if user.scope else Region.objects.none()
    return areas + list(villages[:500])


@login_required
@GET_POST
def campaign_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "campaign.manage")
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, areas=_campaign_areas(request.user))
    if data is not None and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("Campaign started: each household in it is on its caseworker's list."))
            return redirect("casework:campaign_detail", campaign.pk)
    return render(request, "casework/campaign_form.html", {"form": form})


@login_required
@require_http_methods(["GET"])
@cached_page(users_area)
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "campaign.view")
    campaign = queries.campaign_get(request.user, pk)
    all_caseworkers = request.GET.get("caseworkers") == "all"
    coverage = queries.campaign_coverage(request.user, campaign,
                                         caseworker_rows=None if all_caseworkers else queries.CASEWORKER_ROWS)
    return render(request, "casework/campaign_detail.html", {
        "campaign": campaign, "coverage": coverage, "day": local_today(),
        "extend_form": ExtendForm(initial={"end": campaign.end}),
        "may_manage": can(request.user, "campaign.manage") and campaign.region_code.startswith(request.user.scope),
    })


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = queries.campaign_get(request.user, pk)
    services.campaign_close(actor=request.user, campaign=campaign)
    messages.success(request, _("Campaign closed. Its coverage stays as it is."))
    return redirect("casework:campaign_detail", campaign.pk)


@login_required
@require_POST
def campaign_extend(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = queries.campaign_get(request.user, pk)
    # Before the form is read: a role that may not extend it is told so (403), not that a date is missing.
    require(request.user, "campaign.manage")
    form = ExtendForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Enter a date."))
        services.campaign_extend(actor=request.user, campaign=campaign, end=form.cleaned_data["end"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Campaign extended."))
    return redirect("casework:campaign_detail", campaign.pk)


# --- the four conditions ----------------------------------------------------------------------------

@login_required
@require_http_methods(["GET"])
@cached_page(users_area)
def assessment_overview(request: HttpRequest) -> HttpResponse:
    require(request.user, "assessment.view")
    category = request.GET.get("category", "")
    category = category if category in household_choices.Category.values else ""
    overview = queries.assessment_overview(request.user, request.GET.get("area", ""), category,
                                           after=request.GET.get("after", ""))
    areas = (queries.area_choices(request.user, overview.area.code if overview.area else "")
             if request.user.role != Role.CASEWORKER else [])
    return render(request, "casework/assessments.html", {
        "overview": overview, "areas": areas, "category": category,
        "categories": household_choices.Category.choices,
    })


# --- schedules -------------------------------------------------------------------------------------

@login_required
@GET_POST
def schedules(request: HttpRequest) -> HttpResponse:
    require(request.user, "schedule.manage")
    current = services.schedules_current()
    data = request.POST if request.method == "POST" else None
    form = ScheduleForm(data, current=current)
    if data is not None and form.is_valid():
        try:
            for category, days, channel in form.changes(current):
                services.schedule_set(actor=request.user, category=category, interval_days=days, channel=channel)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("Schedules saved. Tomorrow's follow-ups follow them."))
            return redirect("casework:schedules")
    return render(request, "casework/schedules.html", {"form": form})
