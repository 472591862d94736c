"""API routes for casework: contacts (idempotent by client id), the caller's day, campaigns and their
coverage, a household's contacts. The same services and queries as the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from bangfu.casework import queries, services
from bangfu.casework.models import Campaign, Contact
from bangfu.casework.schemas import (
    CampaignIn,
    CampaignOut,
    ContactIn,
    ContactOut,
    CoverageOut,
    WorklistOut,
)
from bangfu.casework.worklist import worklist_for
from bangfu.core.dates import local_today
from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, REPLAY_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.households import queries as household_queries

router = Router(tags=["casework"])
MAX_ID = 2**53


def _contact_out(contact: Contact) -> dict[str, Any]:
    assessment = getattr(contact, "assessment", None) if contact.reached else None
    return {
        "id": contact.pk, "client_id": contact.client_id, "household": contact.household_id, "at": contact.at,
        "day": contact.day, "channel": contact.channel, "reached": contact.reached,
        "not_reached_reason": contact.not_reached_reason, "notes": contact.notes, "campaign": contact.campaign_id,
        "caseworker": {"id": contact.caseworker_id, "name": str(contact.caseworker)},
        "assessment": None if assessment is None else {
            "supplies_ok": assessment.supplies_ok, "prevention_ok": assessment.prevention_ok,
            "medical_access_ok": assessment.medical_access_ok, "living_ok": assessment.living_ok,
            "notes": assessment.notes,
        },
        "answers": contact.answers,
    }


def _counts(row: queries.CoverageRow) -> dict[str, int]:
    return {"total": row.total, "reached": row.reached, "tried": row.tried, "not_tried": row.not_tried,
            "flagged": row.flagged}


def _campaign_out(campaign: Campaign, row: queries.CoverageRow) -> dict[str, Any]:
    return {
        "id": campaign.pk, "name": campaign.name, "region_codes": campaign.region_codes,
        "categories": campaign.categories, "channel": campaign.channel, "kind": campaign.kind, "start": campaign.start, "end": campaign.end,
        "status": campaign.status, "assess": campaign.assess, "questions": campaign.questions,
        "coverage": _counts(row),
    }


@router.post("/contacts", response={201: ContactOut, 403: ErrorOut, **BODY_RESPONSES,
                                 **REPLAY_RESPONSES}, summary="Log a contact")
def contact_create(request, payload: ContactIn):
    """One attempt to reach a household. Idempotent by `client_id`: sending the same submission
    again stores nothing and answers with the contact the first one stored (201 both times)."""
    user = request.auth
    require(user, "contact.create")
    household = household_queries.household_get(user, payload.household)
    campaign = queries.campaigns_visible(user).filter(pk=payload.campaign).first() if payload.campaign else None
    if payload.campaign and campaign is None:
        raise FieldErrors({"campaign": [_("No such campaign.")]})
    contact, _created = services.contact_create(
        actor=user, household=household, client_id=payload.client_id, channel=payload.channel,
        reached=payload.reached, at=payload.at, not_reached_reason=payload.not_reached_reason,
        notes=payload.notes, campaign=campaign,
        assessment=payload.assessment.model_dump() if payload.assessment else None, answers=payload.answers,
    )
    contact = Contact.objects.select_related("caseworker", "assessment").get(pk=contact.pk)
    return Status(201, _contact_out(contact))


@router.get("/worklist", response={200: WorklistOut, 403: ErrorOut, **COMMON_RESPONSES}, summary="The caller's day")
def worklist(request):
    """Today's (Shanghai) due and overdue follow-ups and campaign calls of the calling caseworker,
    section by section, in the page's order."""
    user = request.auth
    require(user, "worklist.view")
    day = local_today()
    sections = worklist_for(user, day)
    return {
        "day": day, "caseworker": {"id": user.pk, "name": str(user)},
        "sections": [{"key": s.key, "title": s.title, "count": s.count, "items": s.api_items} for s in sections],
    }


@router.get("/campaigns", response={200: list[CampaignOut], **COMMON_RESPONSES}, summary="Campaigns")
def campaign_list(request):
    """Campaigns over or within the caller's area, newest first, each with its coverage there."""
    require(request.auth, "campaign.view")
    return [_campaign_out(c, row) for c, row in queries.campaign_list(request.auth)]


@router.post("/campaigns", response={201: CampaignOut, 403: ErrorOut, **BODY_RESPONSES}, summary="Start a campaign")
def campaign_create(request, payload: CampaignIn):
    """Every household in the areas (optionally of these categories) gets a follow-up for its
    caseworker, due on `start`."""
    user = request.auth
    campaign = services.campaign_create(
        actor=user, name=payload.name, region_codes=payload.region_codes, categories=list(payload.categories),
        channel=payload.channel, start=payload.start, end=payload.end, assess=payload.assess,
        questions=[q.model_dump() for q in payload.questions], kind=payload.kind,
    )
    coverage = queries.campaign_coverage(user, campaign, with_flagged=False)
    return Status(201, _campaign_out(campaign, coverage.total))


@router.get("/campaigns/{id}/coverage", response={200: CoverageOut, **COMMON_RESPONSES}, summary="A campaign's coverage")
def campaign_coverage(request, id: int = Path(..., ge=1, le=MAX_ID)):
    """Reached / tried but not reached / not yet tried, in total, by village and by caseworker,
    and the households not reached after 3 tries (a home visit is needed)."""
    require(request.auth, "campaign.view")
    campaign = queries.campaign_get(request.auth, id)
    coverage = queries.campaign_coverage(request.auth, campaign, caseworker_rows=None, flagged_limit=100)
    return {
        "campaign": campaign.pk, "total": _counts(coverage.total),
        "by_village": [{"key": r.key, "name": r.label, **_counts(r)} for r in coverage.by_village],
        "by_caseworker": [{"key": r.key, "name": r.label, **_counts(r)} for r in coverage.by_caseworker],
        "flagged": [{"household": f.household_id, "number": f.household.number, "head_name": f.household.head_name,
                     "village": f.household.region.name, "tries": f.tries} for f in coverage.flagged],
    }


@router.get("/households/{id}/contacts", response={200: list[ContactOut], **COMMON_RESPONSES},
            summary="A household's contacts")
def household_contacts(request, id: int = Path(..., ge=1, le=MAX_ID),
                       limit: int = Query(50, ge=1, le=500)):
    """Newest first."""
    require(request.auth, "contact.view")
    household = household_queries.household_get(request.auth, id)
    return [_contact_out(c) for c in queries.contacts_of(household, limit=limit)]
