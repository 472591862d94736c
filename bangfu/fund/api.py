"""API routes for the filial-piety fund: councils, agreements, contributions (idempotent by client
id, as a phone retries) and payouts, through the same services and queries as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.fund import queries, services
from bangfu.fund.models import Agreement, Entry, EntryKind
from bangfu.fund.schemas import (
    AgreementIn,
    AgreementListParams,
    AgreementOut,
    ContributionIn,
    CouncilIn,
    CouncilOut,
    EntryListParams,
    EntryOut,
    PayoutIn,
)
from bangfu.households.identity import IdentityError, mask_phone, normalise_phone
from bangfu.households.models import Household, Member
from bangfu.regions.models import Region

router = Router(tags=["fund"])


def _totals(t: queries.Totals) -> dict[str, int]:
    return {"contributions": t.contributions, "match": t.match, "payouts": t.payouts, "balance": t.balance}


def council_out(council, totals: queries.Totals, agreements: int) -> dict[str, Any]:
    return {"id": council.pk, "village": council.region_code, "village_name": council.village.name,
            "name": council.name, "founded_on": council.founded_on, "members": council.members,
            "agreements": agreements, "totals": _totals(totals)}


def agreement_out(a: Agreement) -> dict[str, Any]:
    return {"id": a.pk, "council": a.council_id, "household": a.household_id, "elder": a.elder.name,
            "monthly_amount": a.monthly_amount, "starts_on": a.starts_on, "in_kind": a.in_kind, "visits": a.visits,
            "signed_on": a.signed_on, "witnesses": a.witnesses, "status": a.status, "balance": a.balance,
            "supporters": [{"name": s.name, "relation": s.relation, "address": s.address,
                            "phone": mask_phone(s.phone) if s.phone_encrypted else ""} for s in a.supporters.all()],
            "version": a.version}


def entry_out(e: Entry, match: int | None = None) -> dict[str, Any]:
    return {"id": e.pk, "agreement": e.agreement_id, "council": e.council_id, "kind": e.kind, "amount": e.amount,
            "on": e.on, "frequency": e.frequency, "payer": e.payer, "month": e.month, "note": e.note, "match": match}


@router.get("/councils", response={200: list[CouncilOut], **COMMON_RESPONSES}, summary="Fund councils")
def council_list(request):
    """The councils of the caller's area, each with its ledger's totals."""
    require(request.auth, "fund.view")
    councils = list(queries.councils_for(request.auth))
    totals = queries.totals_by_council(councils)
    return [council_out(c, totals[c.pk], c.agreement_count) for c in councils]


@router.post("/councils", response={201: CouncilOut, 403: ErrorOut, **BODY_RESPONSES}, summary="Record a council")
def council_create(request, payload: CouncilIn):
    require(request.auth, "fund.manage")
    village = Region.objects.filter(code=payload.village).first()
    if village is None:
        raise FieldErrors({"village": [_("No such village.")]})
    council = services.council_create(village=village, name=payload.name, founded_on=payload.founded_on,
                                      members=payload.members, actor=request.auth)
    return Status(201, council_out(council, queries.Totals(), 0))


@router.get("/agreements", response={200: list[AgreementOut], **COMMON_RESPONSES}, summary="Support agreements")
def agreement_list(request, params: Query[AgreementListParams]):
    require(request.auth, "fund.view")
    council = queries.council_get(request.auth, params.council) if params.council else None
    rows = queries.agreements_for(request.auth, council=council)
    return [agreement_out(a) for a in rows[params.offset: params.offset + params.limit]]


@router.post("/agreements", response={201: AgreementOut, 403: ErrorOut, **BODY_RESPONSES},
             summary="Record a support agreement")
def agreement_create(request, payload: AgreementIn):
    """For an elder of the council's village, 60 or older on the day signed (422 otherwise)."""
    user = request.auth
    require(user, "fund.manage")
    council = queries.council_get(user, payload.council)
    elder = Member.objects.filter(pk=payload.elder, household__in=Household.objects.visible_to(user)) \
        .select_related("household").first()
    if elder is None:
        raise Http404("no such member")
    supporters, errors = [], {}
    for n, s in enumerate(payload.supporters):
        phone = ""
        if s.phone:
            try:
                phone = normalise_phone(s.phone)
            except IdentityError as error:
                errors[f"supporters.{n}.phone"] = [str(error.message)]
        supporters.append(services.SupporterData(name=s.name, relation=s.relation, phone=phone, address=s.address))
    if errors:
        raise FieldErrors(errors)
    agreement = services.agreement_create(
        council=council, elder=elder, monthly_amount=payload.monthly_amount, starts_on=payload.starts_on,
        signed_on=payload.signed_on, witnesses=payload.witnesses, in_kind=payload.in_kind, visits=payload.visits,
        supporters=supporters, actor=user)
    return Status(201, agreement_out(queries.agreement_get(user, agreement.pk)))


def _entries(request, params: EntryListParams, kind: str):
    require(request.auth, "fund.view")
    council = queries.council_get(request.auth, params.council) if params.council else None
    agreement = queries.agreement_get(request.auth, params.agreement) if params.agreement else None
    rows = list(queries.entries_for(request.auth, council=council, agreement=agreement, kind=kind)
                [params.offset: params.offset + params.limit])
    matches = {}
    if kind == EntryKind.CONTRIBUTION:
        matches = dict(Entry.objects.filter(matches__in=[e.pk for e in rows]).values_list("matches_id", "amount"))
    return [entry_out(e, matches.get(e.pk, 0) if kind == EntryKind.CONTRIBUTION else None) for e in rows]


@router.get("/contributions", response={200: list[EntryOut], **COMMON_RESPONSES}, summary="Contributions received")
def contribution_list(request, params: Query[EntryListParams]):
    return _entries(request, params, EntryKind.CONTRIBUTION)


@router.post("/contributions", response={201: EntryOut, 200: EntryOut, 403: ErrorOut, **BODY_RESPONSES},
             summary="Record a contribution")
def contribution_create(request, payload: ContributionIn):
    """Money received from the children; the county's match is added to it. With `client_id`, a
    repeat answers 200 with the first record."""
    require(request.auth, "fund.record")
    agreement = queries.agreement_get(request.auth, payload.agreement)
    entry, created = services.contribution_record(
        agreement=agreement, amount=payload.amount, frequency=payload.frequency.value, on=payload.on,
        payer=payload.payer, note=payload.note, client_id=payload.client_id, actor=request.auth)
    match = Entry.objects.filter(matches=entry).values_list("amount", flat=True).first() or 0
    return Status(201 if created else 200, entry_out(entry, match))


@router.get("/payouts", response={200: list[EntryOut], **COMMON_RESPONSES}, summary="Payouts to elders")
def payout_list(request, params: Query[EntryListParams]):
    return _entries(request, params, EntryKind.PAYOUT)


@router.post("/payouts", response={201: EntryOut, 200: EntryOut, 403: ErrorOut, **BODY_RESPONSES},
             summary="Record a payout")
def payout_create(request, payload: PayoutIn):
    """Never above the agreement's balance: refused (422 on `amount`) with the figure."""
    require(request.auth, "fund.record")
    agreement = queries.agreement_get(request.auth, payload.agreement)
    entry, created = services.payout_record(
        agreement=agreement, amount=payload.amount, month=payload.month, on=payload.on, note=payload.note,
        client_id=payload.client_id, actor=request.auth)
    return Status(201 if created else 200, entry_out(entry))
