"""Reads of users: the users a user may see (the users page), and the caseworkers a user may pick or filter by."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core.codes import TOWNSHIP_LENGTH, prefix_q, township_of
from bangfu.core.permissions import Role
from bangfu.core.text import clean_text


def caseworkers_near(scope: str) -> QuerySet[User]:
    """Active caseworkers who work inside `scope`, or in a township above it (a township-level
    caseworker can hold households in any of its villages)."""
    qs = User.objects.filter(role=Role.CASEWORKER, is_active=True)
    if scope:
        above = [township_of(scope)] if len(scope) > TOWNSHIP_LENGTH else []
        qs = qs.filter(prefix_q("region_id", scope) | Q(region_id__in=above))
    return qs.order_by("display_name", "username")


def users_visible_to(user) -> QuerySet[User]:
    """The users working inside `user`'s area; an administrator sees everyone, and only an
    administrator sees administrators (who have no area)."""
    if not user.is_authenticated or not user.role:
        return User.objects.none()
    if user.role == Role.ADMIN:
        return User.objects.all()
    return User.objects.filter(prefix_q("region_id", user.scope), region__isnull=False)


def users_listed(user, *, q: str = "", role: str = "", active: bool | None = None) -> QuerySet[User]:
    qs = users_visible_to(user).select_related("region")
    # As typed, full-width and spaces evened out; a NUL, which PostgreSQL cannot compare, dropped.
    q = clean_text(q).replace("\x00", "")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(phone__icontains=q))
    if role:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("region_id", "role", "username")


# --- the API's pages: keyset on the list's order (area, role, username; the username is unique) ---

def encode_user_cursor(user: User) -> str:
    raw = json.dumps([user.region_id or "", user.role, user.username], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_user_cursor(cursor: str) -> tuple[str, str, str] | None:
    """The (area, role, username) after which the next page starts, or None for a cursor we did not make."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        region, role, username = (str(value) for value in json.loads(raw))
    except (ValueError, TypeError):
        return None
    if "\x00" in region + role + username:
        return None  # PostgreSQL cannot compare a NUL
    return region, role, username


@dataclass
class UserPage:
    rows: list[User]
    next_cursor: str | None
    count: int


def user_page(user, *, q: str = "", cursor: str = "", size: int = 50) -> UserPage:
    """One page of users_listed, in its order, starting after `cursor` (an invalid one: the first page)."""
    listed = users_listed(user, q=q)
    qs = listed.annotate(area=Coalesce("region_id", Value(""))).order_by("area", "role", "username")
    after = decode_user_cursor(cursor)
    if after is not None:
        area, role, username = after
        qs = qs.filter(Q(area__gt=area) | Q(area=area, role__gt=role) | Q(area=area, role=role, username__gt=username))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return UserPage(rows=rows, next_cursor=encode_user_cursor(rows[-1]) if more else None, count=listed.count())


def user_get(user, user_id, *, for_update: bool = False) -> User:
    """One user in `user`'s area, or a 404 (the same as for one that does not exist)."""
    qs = users_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    found = qs.select_related("region").filter(pk=user_id).first() if str(user_id).isdigit() else None
    if found is None:
        raise Http404(_("No such user."))
    return found
