"""Reads of users that pages share: the caseworkers a user may pick or filter by."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from bangfu.accounts.models import User
from bangfu.core.codes import TOWNSHIP_LENGTH, prefix_q, township_of
from bangfu.core.permissions import Role


def caseworkers_near(scope: str) -> QuerySet[User]:
    """Active caseworkers who work inside `scope`, or in a township above it (a township-level
    caseworker can hold households in any of its villages)."""
    qs = User.objects.filter(role=Role.CASEWORKER, is_active=True)
    if scope:
        above = [township_of(scope)] if len(scope) > TOWNSHIP_LENGTH else []
        qs = qs.filter(prefix_q("region_id", scope) | Q(region_id__in=above))
    return qs.order_by("display_name", "username")
