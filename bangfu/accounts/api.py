"""API routes for users: list, add and change them within the caller's scope (the users page's services)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from bangfu.accounts import queries, services
from bangfu.accounts.models import User
from bangfu.accounts.schemas import UserCreated, UserIn, UserOut, UserPage, UserPatch
from bangfu.core import bounds
from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require

router = Router(tags=["users"])
MAX_ID = 2**53


def _user_out(user: User) -> dict[str, Any]:
    return {"id": user.pk, "username": user.username, "display_name": user.display_name, "role": user.role,
            "region": user.region_id, "phone": user.phone, "organisation": user.organisation,
            "is_active": user.is_active, "must_change_password": user.must_change_password}


MAX_PAGE_SIZE = 200


@router.get("", response={200: UserPage, 403: ErrorOut, **COMMON_RESPONSES}, summary="Users in the caller's area")
def user_list(request, q: str = Query("", max_length=bounds.SEARCH),
              cursor: str = Query("", max_length=bounds.SEARCH * 8, description="`next_cursor` of the previous page."),
              limit: int | None = Query(None, ge=1, le=MAX_PAGE_SIZE,
                                        description="Rows a page (default BANGFU_PAGE_SIZE, at most 200).")):
    """The users in the caller's area by area, role and username. Follow `next_cursor` for the next page."""
    require(request.auth, "user.view")
    if cursor and queries.decode_user_cursor(cursor) is None:
        raise FieldErrors({"cursor": [_("This cursor is not valid; start again without one.")]})
    page = queries.user_page(request.auth, q=q, cursor=cursor, size=min(limit or settings.PAGE_SIZE, MAX_PAGE_SIZE))
    return {"items": [_user_out(user) for user in page.rows], "next_cursor": page.next_cursor, "count": page.count}


@router.post("", response={201: UserCreated, 403: ErrorOut, **BODY_RESPONSES}, summary="Add a user")
def user_create(request, payload: UserIn):
    user, password = services.user_create(actor=request.auth, username=payload.username, role=payload.role,
                                          region_code=payload.region, display_name=payload.display_name,
                                          phone=payload.phone, organisation=payload.organisation)
    return Status(201, {**_user_out(user), "password": password})


@router.patch("/{id}", response={200: UserOut, 403: ErrorOut, **BODY_RESPONSES},
              summary="Change a user's role, area, details, or deactivate them")
def user_change(request, payload: UserPatch, id: int = Path(..., ge=1, le=MAX_ID)):
    require(request.auth, "user.manage")
    with transaction.atomic():
        fields = payload.dict(exclude_unset=True)
        active = fields.pop("is_active", None)
        region = fields.pop("region", None)
        if fields or region is not None or active is None:
            services.user_change(actor=request.auth, user_id=id, region_code=region, **fields)
        if active is not None:
            services.user_set_active(actor=request.auth, user_id=id, active=active)
    return _user_out(queries.user_get(request.auth, id))
