"""API routes for job postings: the list and a new one (the township office), and a posting's
matches (the labourers in the caller's scope who meet it, nearest first)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from bangfu.core import bounds
from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.households.schemas import MAX_ID, StrictSchema, Text
from bangfu.regions.models import Region
from bangfu.work import posting_queries as pq
from bangfu.work import postings as services
from bangfu.work import queries
from bangfu.work.posting_forms import AGE, OPENINGS, PostingForm
from bangfu.work.posting_models import JobPosting

postings = Router(tags=["work"])


class PostingIn(StrictSchema):
    township: Text = Field("", max_length=bounds.CODE, pattern=r"^[0-9]*$",
                           description="The township's code; the caller's own when they have one township.")
    employer: Text = Field(max_length=bounds.TITLE)
    title: Text = Field(max_length=bounds.TITLE)
    openings: int = Field(**OPENINGS.api())
    place_code: Text = Field(max_length=bounds.CODE, description="Division code of the place of work.")
    place_name: Text = Field("", max_length=bounds.TITLE)
    wage_min_fen: int | None = Field(None, **bounds.COST_FEN.api(), description="Monthly wage from, in fen.")
    wage_max_fen: int | None = Field(None, **bounds.COST_FEN.api(), description="Monthly wage up to, in fen.")
    age_min: int | None = Field(None, **AGE.api())
    age_max: int | None = Field(None, **AGE.api())
    sex: Text = Field("", pattern=r"^(M|F)?$", max_length=1, description="M, F, or empty for either.")
    skill: Text = Field("", pattern=r"^(skilled)?$", max_length=10)
    skills: Text = Field("", max_length=bounds.ADDRESS)
    board: Text = Field("", pattern=r"^(both|meals|lodging|none)?$", max_length=8)
    contact: Text = Field(max_length=bounds.TITLE)
    valid_until: bounds.PLANNED.date()
    source: Text = Field("", max_length=bounds.TITLE)


class PostingOut(Schema):
    id: int
    township: str
    employer: str
    title: str
    openings: int
    place_code: str
    place_name: str
    wage_min_fen: int | None
    wage_max_fen: int | None
    age_min: int | None
    age_max: int | None
    sex: str
    skill: str
    skills: str
    board: str
    contact: str
    valid_until: dt.date
    source: str
    status: str
    version: int


class MatchOut(Schema):
    member: int
    name: str
    village: str
    distance: int = Field(description="0 same village, 1 township, 2 county, 3 city, 4 province, 5 farther.")
    step: str = Field(description="told, interested, hired, or empty.")


def posting_out(p: JobPosting) -> dict[str, Any]:
    return {"id": p.pk, "township": p.region_code, **{key: getattr(p, key) for key in services.POSTING_FIELDS},
            "status": p.status, "version": p.version}


@postings.get("", response={200: list[PostingOut], **COMMON_RESPONSES}, summary="Job postings")
def posting_list(request, status: str = Query("", max_length=8, pattern=r"^(open|closed)?$"),
                 offset: int = Query(0, ge=0, le=10**9), limit: int = Query(100, ge=1, le=500)):
    require(request.auth, "posting.view")
    return [posting_out(p) for p in pq.postings_for(request.auth, status=status)[offset:offset + limit]]


@postings.post("", response={201: PostingOut, 403: ErrorOut, **BODY_RESPONSES}, summary="A new job posting")
def posting_create(request, payload: PostingIn):
    user = request.auth
    require(user, "posting.manage")
    townships = queries.townships_for(user)
    code = payload.township or (user.region_id if len(townships) == 1 else "")
    township = next((t for t in townships if t.code == code), None)
    if township is None:
        raise FieldErrors({"township": [_("Choose a township of your area.")]})
    body = payload.dict(exclude={"township", "wage_min_fen", "wage_max_fen"})
    body.update(wage_min=None if payload.wage_min_fen is None else f"{payload.wage_min_fen / 100:.2f}",
                wage_max=None if payload.wage_max_fen is None else f"{payload.wage_max_fen / 100:.2f}")
    form = PostingForm({k: ("" if v is None else v) for k, v in body.items()})
    if not form.is_valid():
        raise FieldErrors({key: [str(m) for m in messages] for key, messages in form.errors.items()})
    posting = services.posting_create(township=Region.objects.get(pk=township.pk), data=form.cleaned_data,
                                      actor=user)
    return Status(201, posting_out(posting))


@postings.get("/{id}/matches", response={200: list[MatchOut], **COMMON_RESPONSES},
              summary="The labourers who meet a posting, nearest first")
def posting_matches(request, id: int = Path(..., ge=1, le=MAX_ID, description="The posting's id.")):
    """The labourers in the caller's scope, of the posting's township, looking for work (their
    latest status 未就业, or none and not back yet from a drive), who meet its age, sex and labour
    ability; nearest to its place first."""
    require(request.auth, "posting.view")
    posting = pq.posting_get(request.auth, id)
    referrals = pq.referrals_of(request.auth, posting)
    return [{"member": m.pk, "name": m.name, "village": m.household.region.name, "distance": d,
             "step": referrals[m.pk].step if m.pk in referrals else ""}
            for m, d in pq.matches(request.auth, posting)[:1000]]
