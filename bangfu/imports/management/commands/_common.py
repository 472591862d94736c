"""What the import and export commands share: who they act as."""

from __future__ import annotations

from django.core.management.base import CommandError

from bangfu.accounts.models import User
from bangfu.core.permissions import Role


def acting_user(username: str | None) -> User:
    """The user named by --as, or else the first active administrator."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        return user
    user = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("no active administrator to act as; pass --as USERNAME")
    return user
