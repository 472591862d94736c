"""Reads of users: the users a user may see (the users page), and the caseworkers a user may pick or filter by."""

from __future__ import annotations

from django.db.models import Q, QuerySet
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


def user_get(user, user_id, *, for_update: bool = False) -> User:
    """One user in `user`'s area, or a 404 (the same as for one that does not exist)."""
    qs = users_visible_to(user)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    found = qs.select_related("region").filter(pk=user_id).first() if str(user_id).isdigit() else None
    if found is None:
        raise Http404(_("No such user."))
    return found
