"""The fund's pages: the councils of the user's area, a council's ledger and its printed public
notice, an agreement with its ledger, the forms that record agreements, contributions (on a phone,
through the outbox) and payouts, and the arrears."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bangfu.core.codes import Level
from bangfu.core.dates import local_today
from bangfu.core.errors import ConflictError
from bangfu.core.forms import attach_errors
from bangfu.core.outbox import outbox_errors, outbox_form
from bangfu.core.permissions import can, require
from bangfu.fund import queries, services
from bangfu.fund.forms import (
    AgreementChangeForm,
    AgreementForm,
    ContributionForm,
    CouncilForm,
    MatchForm,
    PayoutForm,
)
from bangfu.fund.models import EntryKind
from bangfu.fund.services import SupporterData
from bangfu.households.models import Household, Member
from bangfu.regions import queries as region_queries
from bangfu.regions.models import Region

GET = require_http_methods(["GET"])
GET_POST = require_http_methods(["GET", "POST"])
ENTRIES_SHOWN = 200


@login_required
@GET
def council_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "fund.view")
    councils = list(queries.councils_for(request.user))
    totals = queries.totals_by_council(councils)
    rows = [(council, totals[council.pk]) for council in councils]
    overall = queries.Totals(contributions=sum(t.contributions for t in totals.values()),
                             match=sum(t.match for t in totals.values()),
                             payouts=sum(t.payouts for t in totals.values()))
    return render(request, "fund/councils.html", {
        "rows": rows, "overall": overall, "agreement_count": sum(c.agreement_count for c in councils),
        "arrears_count": len(queries.arrears(request.user)),
        "may_manage": can(request.user, "fund.manage")})


@login_required
@GET_POST
def council_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "fund.manage")
    villages = list(region_queries.villages_within(request.user.scope).filter(fund_council__isnull=True)
                    .only("code", "name"))
    form = CouncilForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            council = services.council_create(village=Region.objects.get(code=data["village"]), name=data["name"],
                                               founded_on=data["founded_on"], members=data["members"],
                                               actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("Council recorded."))
            return redirect("fund:council", council.pk)
    return render(request, "fund/council_form.html", {"form": form})


@login_required
@GET
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "fund.view")
    council = queries.council_get(request.user, pk)
    agreements = list(queries.agreements_for(request.user, council=council))
    owed = {a.agreement.pk: a for a in queries.arrears(request.user, council=council)}
    entries = list(queries.entries_for(request.user, council=council)[:ENTRIES_SHOWN])
    return render(request, "fund/council.html", {
        "council": council, "totals": queries.council_totals(council),
        "agreements": [(a, owed.get(a.pk)) for a in agreements], "entries": entries,
        "may_manage": can(request.user, "fund.manage"), "may_record": can(request.user, "fund.record")})


@login_required
@GET
def council_print(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "fund.view")
    council = queries.council_get(request.user, pk)
    return render(request, "fund/council_print.html", {
        "council": council, "rows": queries.public_ledger(council), "totals": queries.council_totals(council),
        "today": local_today(), "percent": queries.percent_text(services.match_percent_for(council.region_code))})


def _elders(user, council) -> list[Member]:
    cutoff = local_today()
    cutoff = cutoff.replace(year=cutoff.year - services.ELDER_AGE) if not (cutoff.month == 2 and cutoff.day == 29) \
        else dt.date(cutoff.year - services.ELDER_AGE, 2, 28)
    households = Household.objects.visible_to(user).filter(region_code=council.region_code)
    return list(Member.objects.filter(household__in=households, birth_date__lte=cutoff)
                .select_related("household").order_by("name", "pk"))


def _supporters(form: AgreementForm) -> list[SupporterData]:
    return [SupporterData(name=s.cleaned_data["name"], relation=s.cleaned_data["relation"],
                          phone=s.cleaned_data["phone"], address=s.cleaned_data["address"])
            for s in form.supporters if s.filled]


@login_required
@GET_POST
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "fund.manage")
    council = queries.council_get(request.user, pk)
    elders = _elders(request.user, council)
    form = AgreementForm(request.POST or None, elders=elders)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        elder = next(m for m in elders if m.pk == data["elder"])
        try:
            agreement = services.agreement_create(
                council=council, elder=elder, monthly_amount=data["monthly_amount"], starts_on=data["starts_on"],
                signed_on=data["signed_on"], witnesses=data["witnesses"], in_kind=data["in_kind"],
                visits=data["visits"], supporters=_supporters(form), actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("Agreement recorded."))
            return redirect("fund:agreement", agreement.pk)
    return render(request, "fund/agreement_form.html", {"form": form, "council": council})


@login_required
@GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "fund.view")
    agreement = queries.agreement_get(request.user, pk)
    due = agreement.monthly_amount * queries.months_due(agreement.starts_on, local_today())
    totals = queries.agreement_totals(agreement)
    return render(request, "fund/agreement.html", {
        "agreement": agreement, "totals": totals, "due": due, "owed": max(due - totals.contributions, 0),
        "entries": list(queries.entries_for(request.user, agreement=agreement)[:ENTRIES_SHOWN]),
        "may_manage": can(request.user, "fund.manage"), "may_record": can(request.user, "fund.record")})


@login_required
@GET_POST
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "fund.manage")
    agreement = queries.agreement_get(request.user, pk)
    initial = {"monthly_amount": agreement.monthly_amount, "in_kind": agreement.in_kind, "visits": agreement.visits,
               "witnesses": agreement.witnesses, "status": agreement.status, "version": agreement.version}
    form = AgreementChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_change(agreement=agreement, monthly_amount=data["monthly_amount"],
                                      in_kind=data["in_kind"], visits=data["visits"], witnesses=data["witnesses"],
                                      status=data["status"], version=data["version"], actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        except ConflictError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Agreement changed."))
            return redirect("fund:agreement", agreement.pk)
    return render(request, "fund/agreement_edit.html", {"form": form, "agreement": agreement})


def _entry_page(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    require(request.user, "fund.record")
    agreement = queries.agreement_get(request.user, pk)
    form_class = ContributionForm if kind == EntryKind.CONTRIBUTION else PayoutForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if kind == EntryKind.CONTRIBUTION:
                _entry, created = services.contribution_record(
                    agreement=agreement, amount=data["amount"], frequency=data["frequency"], on=data["on"],
                    payer=data["payer"], note=data["note"], client_id=data["client_id"] or None, actor=request.user)
            else:
                _entry, created = services.payout_record(
                    agreement=agreement, amount=data["amount"], month=data["month"], on=data["on"],
                    note=data["note"], client_id=data["client_id"] or None, actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            if created:
                messages.success(request, _("Contribution recorded.") if kind == EntryKind.CONTRIBUTION
                                 else _("Payout recorded."))
            else:
                messages.info(request, _("This was recorded already."))
            return redirect("fund:agreement", agreement.pk)
    outbox_errors(request, form)
    return render(request, "fund/entry_form.html", {
        "form": form, "agreement": agreement, "kind": kind,
        "balance": agreement.balance, "percent": queries.percent_text(services.match_percent_for(agreement.region_code))})


@outbox_form
@login_required
@GET_POST
def contribution_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_page(request, pk, EntryKind.CONTRIBUTION)


@outbox_form
@login_required
@GET_POST
def payout_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _entry_page(request, pk, EntryKind.PAYOUT)


@login_required
@GET
def arrears_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "fund.view")
    rows = queries.arrears(request.user)
    return render(request, "fund/arrears.html", {"rows": rows, "total": sum(r.owed for r in rows),
                                                 "today": local_today()})


@login_required
@GET_POST
def match_setting(request: HttpRequest) -> HttpResponse:
    """The county's match: a county user sets their county's, an administrator any county's."""
    require(request.user, "fund.configure")
    counties = list(Region.objects.within(request.user.scope).filter(level=Level.COUNTY).order_by("code"))
    current = {c.code: services.match_percent_for(c.code) for c in counties}
    form = MatchForm(request.POST or None, counties=counties)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.fund_setting_set(county=next(c for c in counties if c.code == data["county"]),
                                      match_percent=data["match_percent"], actor=request.user)
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("Match saved."))
            return redirect("fund:match")
    return render(request, "fund/match.html", {
        "form": form, "rows": [(c, queries.percent_text(current[c.code])) for c in counties]})
